package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"

	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
)

// Strategy is how the engine fetches a selection from Odoo.
type Strategy int

const (
	// Auto picks Nested on Odoo 17 and later, Batched before.
	Auto Strategy = iota
	// Nested fetches a root field and its whole selection with one
	// web_search_read (or web_read) and a nested specification.
	Nested
	// Batched fetches one level at a time, one read per model and level.
	Batched
)

// ParseStrategy reads "auto", "nested" or "batched".
func ParseStrategy(s string) (Strategy, error) {
	switch s {
	case "", "auto":
		return Auto, nil
	case "nested":
		return Nested, nil
	case "batched":
		return Batched, nil
	}
	return Auto, fmt.Errorf("unknown fetch strategy %q (want auto, nested or batched)", s)
}

// Options tune the engine. Zero values take the defaults.
type Options struct {
	// Strategy forces a fetch strategy; Auto asks ServerMajor.
	Strategy Strategy
	// ServerMajor returns the Odoo major version (cached by the caller);
	// used by Auto. Nil means Batched.
	ServerMajor func(ctx context.Context) (int, error)
	// DefaultLimit is the page size of a list without a limit (default 100).
	// Readable returns the fields of model the request's user may read
	// (cached); with it, a field Odoo refuses to read is left null with a
	// FORBIDDEN error instead of failing the whole root field.
	Readable     func(ctx context.Context, model string) (map[string]bool, error)
	DefaultLimit int
	// MaxLimit is the largest limit a list may ask for (default 1000).
	MaxLimit int
	Logger   *slog.Logger
}

// Engine runs GraphQL fields against Odoo. It is safe for concurrent use and
// holds no per-request state: that lives in the request's loaders.
type Engine struct {
	models map[string]*odoo.Model
	opt    Options
	log    *slog.Logger

	structs sync.Map // reflect.Type → *structInfo
	drift   atomic.Pointer[Drift]
}

// New returns an engine for the models of meta.
func New(meta *odoo.Metadata, opt Options) *Engine {
	if opt.DefaultLimit <= 0 {
		opt.DefaultLimit = 100
	}
	if opt.MaxLimit <= 0 {
		opt.MaxLimit = 1000
	}
	if opt.DefaultLimit > opt.MaxLimit {
		opt.DefaultLimit = opt.MaxLimit
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	e := &Engine{models: map[string]*odoo.Model{}, opt: opt, log: log}
	meta = withoutSecrets(meta) // deny.go: credentials are never served
	for i := range meta.Models {
		m := &meta.Models[i]
		e.models[m.Model] = m
	}
	return e
}

// useNested reports whether this request uses the nested strategy.
func (e *Engine) useNested(ctx context.Context) bool {
	switch e.opt.Strategy {
	case Nested:
		return true
	case Batched:
		return false
	}
	if e.opt.ServerMajor == nil {
		return false
	}
	major, err := e.opt.ServerMajor(ctx)
	if err != nil {
		e.log.WarnContext(ctx, "server version unknown, using batched reads", "err", err)
		return false
	}
	return major >= 17
}

// model returns the metadata of an exposed model, nil for others.
func (e *Engine) model(name string) *odoo.Model { return e.models[name] }

// minimalFields are the fields of a model outside the exposed set.
var minimalFields = map[string]odoo.Field{
	"id":           {Name: "id", Type: "integer"},
	"display_name": {Name: "display_name", Type: "char"},
}

// fieldOf returns a field of m; for a nil m (a model outside the snapshot),
// only id and display_name exist.
func fieldOf(m *odoo.Model, name string) (odoo.Field, bool) {
	if m == nil {
		f, ok := minimalFields[name]
		return f, ok
	}
	f, ok := m.Fields[name]
	if ok && f.Name == "" {
		f.Name = name
	}
	return f, ok
}

func requestLoaders(ctx context.Context) (*loaders.Loaders, error) {
	l := loaders.For(ctx)
	if l == nil {
		return nil, errors.New("engine: no loaders in the request context (loaders.Middleware missing)")
	}
	return l, nil
}

// Get resolves a by-id root field: one record of model, or nil when it does
// not exist or is not visible.
func Get[T any](ctx context.Context, e *Engine, model, id string) (*T, error) {
	return GetTyped[T](ctx, e, model, "", id)
}

// GetTyped resolves node(nodeId): the record id of model, of GraphQL type
// typeName (the field's type is the Node interface; "": the field's type,
// as Get), or nil when it does not exist or is not visible.
func GetTyped[T any](ctx context.Context, e *Engine, model, typeName, id string) (*T, error) {
	l, err := requestLoaders(ctx)
	if err != nil {
		return nil, err
	}
	rid, err := parseID(id)
	if err != nil {
		return nil, err
	}
	fc := graphql.GetFieldContext(ctx)
	r := &root{alias: fc.Field.Alias, model: model, kind: rootGet, field: fc.Field, id: rid, objType: typeName}
	r.out, r.bind = e.reflectOutput(reflect.TypeFor[T](), nil)
	v, err := e.runRoot(ctx, l, r)
	if err != nil || v == nil {
		return nil, err
	}
	return v.(*T), nil
}

// List resolves a list root field, returning its connection type T
// ({totalCount, nodes}).
func List[T any](ctx context.Context, e *Engine, model string) (*T, error) {
	l, err := requestLoaders(ctx)
	if err != nil {
		return nil, err
	}
	fc := graphql.GetFieldContext(ctx)
	r := &root{alias: fc.Field.Alias, model: model, kind: rootList, field: fc.Field}
	conn := reflect.TypeFor[T]()
	f, ok := conn.FieldByName("Nodes")
	if !ok {
		return nil, fmt.Errorf("engine: %s has no Nodes field", conn)
	}
	r.out, r.bind = e.reflectOutput(f.Type.Elem().Elem(), conn)
	v, err := e.runRoot(ctx, l, r)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, errors.New("engine: list root without a result")
	}
	return v.(*T), nil
}

// reflectOutput returns the output filling the generated struct typ (a
// record; conn: the connection struct of a list root), and the function that
// binds a planned node to it.
func (e *Engine) reflectOutput(typ, conn reflect.Type) (output, func(*node) error) {
	o := &reflectOutput{e: e, conn: conn}
	return o, func(n *node) error { return o.bind(n, typ) }
}

// Children returns the records of an x2many field of obj, which the engine
// fetched together with obj.
func Children[T any](ctx context.Context, obj any) ([]*T, error) {
	l, err := requestLoaders(ctx)
	if err != nil {
		return nil, err
	}
	alias := graphql.GetFieldContext(ctx).Field.Alias
	v, ok := l.Children(obj, alias)
	if !ok {
		return []*T{}, nil
	}
	out, ok := v.([]*T)
	if !ok {
		return nil, fmt.Errorf("engine: children of %T.%s have type %T", obj, alias, v)
	}
	return out, nil
}

// Create creates one record from input and returns it, read back with the
// mutation's selection set.
func Create[T any](ctx context.Context, e *Engine, model string, input map[string]any) (*T, error) {
	out, err := CreateMany[T](ctx, e, model, []map[string]any{input})
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return out[0], nil
}

// CreateMany creates records in one Odoo call and returns them.
func CreateMany[T any](ctx context.Context, e *Engine, model string, inputs []map[string]any) ([]*T, error) {
	o, bind := e.reflectOutput(reflect.TypeFor[T](), nil)
	return typed[T](e.createMany(ctx, o, bind, model, graphql.GetFieldContext(ctx).Field, inputs))
}

// Update writes input to the records ids and returns them.
func Update[T any](ctx context.Context, e *Engine, model string, ids []string, input map[string]any) ([]*T, error) {
	o, bind := e.reflectOutput(reflect.TypeFor[T](), nil)
	return typed[T](e.update(ctx, o, bind, model, graphql.GetFieldContext(ctx).Field, ids, input))
}

// typed converts the objects of a reflect output to their type.
func typed[T any](objs []any, err error) ([]*T, error) {
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(objs))
	for i, o := range objs {
		out[i] = o.(*T)
	}
	return out, nil
}

// createMany creates records in one Odoo call and reads them back with
// field's selection.
func (e *Engine) createMany(ctx context.Context, out output, bind func(*node) error, model string, field graphql.CollectedField, inputs []map[string]any) ([]any, error) {
	l, err := requestLoaders(ctx)
	if err != nil {
		return nil, err
	}
	vals := make([]map[string]any, len(inputs))
	for i, in := range inputs {
		if vals[i], err = e.writeValues(model, in); err != nil {
			return nil, err
		}
	}
	ids, err := l.Odoo(ctx).CreateMany(ctx, model, vals)
	l.Written()
	if err != nil {
		return nil, writeError("create", model, err)
	}
	return e.readBack(ctx, l, out, bind, model, field, ids)
}

// update writes input to the records ids and reads them back with field's
// selection.
func (e *Engine) update(ctx context.Context, out output, bind func(*node) error, model string, field graphql.CollectedField, ids []string, input map[string]any) ([]any, error) {
	l, err := requestLoaders(ctx)
	if err != nil {
		return nil, err
	}
	rids, err := parseIDs(ids)
	if err != nil {
		return nil, err
	}
	vals, err := e.writeValues(model, input)
	if err != nil {
		return nil, err
	}
	if len(vals) > 0 && len(rids) > 0 {
		err := l.Odoo(ctx).Write(ctx, model, rids, vals)
		l.Written()
		if err != nil {
			return nil, writeError("update", model, err)
		}
	}
	return e.readBack(ctx, l, out, bind, model, field, rids)
}

// Delete deletes the records ids and returns their ids.
func Delete(ctx context.Context, e *Engine, model string, ids []string) ([]string, error) {
	l, err := requestLoaders(ctx)
	if err != nil {
		return nil, err
	}
	rids, err := parseIDs(ids)
	if err != nil {
		return nil, err
	}
	if len(rids) > 0 {
		err := l.Odoo(ctx).Unlink(ctx, model, rids)
		l.Written()
		if err != nil {
			return nil, writeError("delete", model, err)
		}
	}
	return ids, nil
}

// writeError explains a write whose outcome is unknown: writes are never
// retried, so when Odoo's answer was lost the client must check before it
// tries again.
func writeError(op, model string, err error) error {
	var te *odoo.TransportError
	if errors.As(err, &te) || errors.Is(err, context.DeadlineExceeded) {
		return &Error{Code: CodeUnavailable, Err: err,
			Message: fmt.Sprintf("Odoo did not confirm the %s of %s records: it may have been applied; check before retrying", op, model)}
	}
	return err
}

// readBack reads the written records with the mutation's selection set. The
// write has made the request forget what it read before (Loaders.Written),
// so a second write in the same operation never reads back the first one's
// values.
func (e *Engine) readBack(ctx context.Context, l *loaders.Loaders, out output, bind func(*node) error, model string, field graphql.CollectedField, ids []int) ([]any, error) {
	n, err := e.planObject(graphql.GetOperationContext(ctx), model, field.Definition.Type.Name(), field.Selections)
	if err == nil && bind != nil {
		err = bind(n)
	}
	if err != nil {
		return nil, err
	}
	objs, err := e.readIDs(ctx, l, out, n, ids)
	reportNotes(ctx, l)
	return objs, err
}

func parseIDs(ids []string) ([]int, error) {
	out := make([]int, 0, len(ids))
	seen := map[int]bool{}
	for _, s := range ids {
		id, err := parseID(s)
		if err != nil {
			return nil, err
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

// writeValues converts a create/update input into Odoo values.
func (e *Engine) writeValues(model string, input map[string]any) (map[string]any, error) {
	return e.writeValuesAt("input", model, input)
}

// writeValuesAt converts the input at path (input, or a nested record's:
// input.order_line.create[0]) into Odoo values.
func (e *Engine) writeValuesAt(path, model string, input map[string]any) (map[string]any, error) {
	m := e.model(model)
	if err := e.checkDrift(model, ""); err != nil {
		return nil, err
	}
	at := func(err error) error { // a nested record's errors say where it is
		if path == "input" {
			return err
		}
		return inPath(path, err)
	}
	input, _ = plain(input).(map[string]any)
	vals := make(map[string]any, len(input))
	for _, k := range sortedKeys(input) {
		v := input[k]
		f, ok := fieldOf(m, k)
		if !ok {
			return nil, at(badInput("unknown field %q in input of %s", k, model))
		}
		if f.Readonly {
			return nil, at(badInput("field %q of %s is read-only", k, model))
		}
		if err := e.checkDrift(model, k); err != nil {
			return nil, err
		}
		switch {
		case f.IsX2Many():
			cmds, err := e.x2manyCommands(path+"."+k, f, v)
			if err != nil {
				return nil, err
			}
			vals[k] = cmds
		case v == nil:
			vals[k] = false
		default:
			x, err := inputValue(f, v)
			if err != nil {
				return nil, inPath(path+"."+k, err)
			}
			vals[k] = x
		}
	}
	return vals, nil
}

// x2manyCommands turns an x2many input at path into Odoo's x2many
// commands, in this order: set (6, 0, ids), add (4, id), remove (3, id),
// create (0, 0, vals), update (1, id, vals) and delete (2, id, 0). The values
// of created and updated records are converted as a top-level input's are,
// nested x2many inputs included: Odoo applies them all in the parent's one
// create or write, so all or nothing.
func (e *Engine) x2manyCommands(path string, f odoo.Field, v any) ([]any, error) {
	if v == nil {
		return []any{[]any{6, 0, []any{}}}, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, badInput("%s must be an object {set, add, remove}", path)
	}
	ids := func(key string) ([]int, error) {
		raw, _ := m[key].([]any)
		out := make([]int, 0, len(raw))
		for _, x := range raw {
			id, err := parseID(x)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: %w", path, key, err)
			}
			out = append(out, id)
		}
		return out, nil
	}
	var cmds []any
	if m["set"] != nil {
		set, err := ids("set")
		if err != nil {
			return nil, err
		}
		list := make([]any, len(set))
		for i, id := range set {
			list[i] = id
		}
		cmds = append(cmds, []any{6, 0, list})
	}
	add, err := ids("add")
	if err != nil {
		return nil, err
	}
	for _, id := range add {
		cmds = append(cmds, []any{4, id})
	}
	remove, err := ids("remove")
	if err != nil {
		return nil, err
	}
	for _, id := range remove {
		cmds = append(cmds, []any{3, id})
	}
	nested := func(key string) ([]map[string]any, error) {
		raw, _ := m[key].([]any)
		out := make([]map[string]any, len(raw))
		for i, x := range raw {
			if out[i], ok = x.(map[string]any); !ok {
				return nil, badInput("%s.%s[%d] must be an object", path, key, i)
			}
		}
		return out, nil
	}
	creates, err := nested("create")
	if err != nil {
		return nil, err
	}
	for i, in := range creates {
		vals, err := e.writeValuesAt(fmt.Sprintf("%s.create[%d]", path, i), f.Relation, in)
		if err != nil {
			return nil, err
		}
		cmds = append(cmds, []any{0, 0, vals})
	}
	updates, err := nested("update")
	if err != nil {
		return nil, err
	}
	for i, u := range updates {
		at := fmt.Sprintf("%s.update[%d]", path, i)
		id, err := parseID(u["id"])
		if err != nil {
			return nil, inPath(at+".id", err)
		}
		in, ok := u["input"].(map[string]any)
		if !ok {
			return nil, badInput("%s.input must be an object", at)
		}
		vals, err := e.writeValuesAt(at+".input", f.Relation, in)
		if err != nil {
			return nil, err
		}
		cmds = append(cmds, []any{1, id, vals})
	}
	del, err := ids("delete")
	if err != nil {
		return nil, err
	}
	for _, id := range del {
		cmds = append(cmds, []any{2, id, 0})
	}
	return cmds, nil
}
