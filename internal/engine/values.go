package engine

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// The engine's output for the live executor (internal/live): the same plans
// and fetches as the compiled mode, made into plain values instead of
// gqlgen's generated structs. A record is a *LiveObject (its fields by
// response key), a connection a map {totalCount, nodes}, a list []any.

// QueryRoot is one model root field of a query: a list (a connection) or a
// record by id.
type QueryRoot struct {
	Field graphql.CollectedField
	Model string
	List  bool
	// ID is the record id of a by-id root field, as coerced (a string).
	ID any
	// Type is the record's object type when the field's is an interface
	// (node: Node), else "".
	Type string
}

// QueryResult is the value of a QueryRoot, or its error.
type QueryResult struct {
	Value any
	Err   error
	// Notes are the errors to report with this root field: parts withheld
	// by Odoo's access rules (FORBIDDEN) and values Odoo sent in a form the
	// gateway cannot serve (INTERNAL), both left null. The plan gives them
	// to the same root field whatever the order of arrival (takeNotes).
	Notes []error
}

// Query runs the root fields of a query as one plan, as JoinRootFields makes
// the compiled mode's run: every level of every root costs one read per
// model in total. The errors the reads noted (FORBIDDEN parts, INTERNAL
// values) come with the results, each with one root field's.
func (e *Engine) Query(ctx context.Context, roots []QueryRoot) []QueryResult {
	out := make([]QueryResult, len(roots))
	l, err := requestLoaders(ctx)
	if err != nil {
		for i := range out {
			out[i].Err = err
		}
		return out
	}
	var planned []*root
	var idx []int
	for i, q := range roots {
		r := &root{alias: q.Field.Alias, model: q.Model, kind: rootList, out: liveOutput{}, field: q.Field, objType: q.Type, done: make(chan struct{})}
		if !q.List {
			r.kind = rootGet
			id, err := parseID(q.ID)
			if err != nil {
				out[i].Err = err
				continue
			}
			r.id = id
		}
		r.ctx, r.engine = ctx, e
		planned = append(planned, r)
		idx = append(idx, i)
	}
	if len(planned) > 0 {
		e.execute(ctx, l, planned)
	}
	for j, r := range planned {
		out[idx[j]] = QueryResult{Value: r.result, Err: r.err, Notes: r.notes}
	}
	return out
}

// CreateValues creates records (one Odoo call) and reads them back with
// field's selection, as CreateMany does.
func (e *Engine) CreateValues(ctx context.Context, model string, field graphql.CollectedField, inputs []map[string]any) ([]any, error) {
	return e.createMany(ctx, liveOutput{}, nil, model, field, inputs)
}

// UpdateValues writes input to the records ids and reads them back with
// field's selection, as Update does.
func (e *Engine) UpdateValues(ctx context.Context, model string, field graphql.CollectedField, ids []string, input map[string]any) ([]any, error) {
	return e.update(ctx, liveOutput{}, nil, model, field, ids, input)
}

// TypeName is the record's GraphQL object type (live's Typed), which the
// live executor needs under an interface (node).
func (o *LiveObject) TypeName() string { return o.node.typeName }

// ValueByKey returns the value of the field of response key key (live's
// Keyed); false when the plan did not set it (a field the user may not
// read, left out of the plan).
func (o *LiveObject) ValueByKey(key string) (any, bool) {
	i, ok := o.node.index(key)
	if !ok {
		return nil, false
	}
	v := o.values[i]
	return v.v, v.set
}
