package engine

import (
	"context"
	"errors"
	"reflect"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/odoo"
)

// Business actions: an allow-listed model method (schemagen.Config.Methods)
// called on records as the caller, in one Odoo call, then the records read
// back with the client's selection of the result's records field.

// Call calls model.method on the records ids (model.method(ids, *args,
// **kwargs)) and returns the records, read back with the selection of the
// result's records fields, and the method's return value (nil for None).
func Call[T any](ctx context.Context, e *Engine, model, method string, ids []string, args, kwargs any) ([]*T, any, error) {
	o, bind := e.reflectOutput(reflect.TypeFor[T](), nil)
	objs, result, err := e.call(ctx, o, bind, model, method, graphql.GetFieldContext(ctx).Field, ids, args, kwargs)
	if err != nil {
		return nil, nil, err
	}
	recs, err := typed[T](objs, nil)
	return recs, result, err
}

// CallValues is Call for the live executor: the records as plain values.
func (e *Engine) CallValues(ctx context.Context, model, method string, field graphql.CollectedField, ids []string, args, kwargs any) ([]any, any, error) {
	return e.call(ctx, liveOutput{}, nil, model, method, field, ids, args, kwargs)
}

func (e *Engine) call(ctx context.Context, out output, bind func(*node) error, model, method string, field graphql.CollectedField, ids []string, args, kwargs any) ([]any, any, error) {
	l, err := requestLoaders(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := e.checkDrift(model, ""); err != nil {
		return nil, nil, err
	}
	rids, err := parseIDs(ids)
	if err != nil {
		return nil, nil, err
	}
	var extra []any
	switch a := plain(args).(type) {
	case nil:
	case []any:
		extra = a
	default:
		return nil, nil, badInput("args must be a JSON list of the method's positional arguments after the records")
	}
	var kw map[string]any
	switch k := plain(kwargs).(type) {
	case nil:
	case map[string]any:
		if _, ok := k["context"]; ok {
			return nil, nil, badInput("kwargs must not hold context: use @context(lang, tz, companies)")
		}
		kw = k
	default:
		return nil, nil, badInput("kwargs must be a JSON object of the method's keyword arguments")
	}
	idList := make([]any, len(rids))
	for i, id := range rids {
		idList[i] = id
	}
	result, err := l.Odoo(ctx).CallMethod(ctx, model, method, append([]any{idList}, extra...), kw)
	l.Written()
	switch {
	case odoo.IsNoneReturned(err):
		// The method ran and returned None, which Odoo's XML-RPC cannot
		// send: null.
		result, err = nil, nil
	case errors.Is(err, odoo.ErrPositionalArgs):
		return nil, nil, badInput("args: over JSON-2 (Odoo 19 and later) a method's arguments after the records have no positions: pass them by name in kwargs")
	case err != nil:
		return nil, nil, writeError(method, model, err)
	}
	records, ok := recordsField(ctx, field)
	if !ok {
		return []any{}, result, nil
	}
	objs, err := e.readBack(ctx, l, out, bind, model, records, rids)
	if err != nil {
		return nil, nil, err
	}
	return objs, result, nil
}

// recordsField is the records field of an action's result selection: every
// records field asked for (aliases and fragments included) merged into one,
// so the records are read once; false when none is.
func recordsField(ctx context.Context, field graphql.CollectedField) (graphql.CollectedField, bool) {
	oc := graphql.GetOperationContext(ctx)
	var first *graphql.CollectedField
	var sel ast.SelectionSet
	for _, f := range graphql.CollectFields(oc, field.Selections, []string{field.Definition.Type.Name()}) {
		if f.Name != "records" {
			continue
		}
		if first == nil {
			f := f
			first = &f
		}
		sel = append(sel, f.Selections...)
	}
	if first == nil {
		return graphql.CollectedField{}, false
	}
	return graphql.CollectedField{Field: first.Field, Selections: sel}, true
}
