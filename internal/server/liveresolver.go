package server

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/odoogql/odoogql/graph/scalar"
	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/live"
	"github.com/odoogql/odoogql/loaders"
)

// RootOp is what a root field of the live schema does.
type rootOp int

const (
	opGet rootOp = iota + 1
	opList
	opCreate
	opCreateMany
	opUpdate
	opDelete
	opAggregate
	opModels // odooModels
	opNode   // node(nodeId)
	opAction // an allow-listed model method (schemagen.Action)
)

// rootField is a root field of the live schema: its model and operation.
type rootField struct {
	model string
	op    rootOp
	// method is the Odoo method of an opAction.
	method string
}

// exposedModel is one entry of odooModels.
type exposedModel struct {
	Model, Name, Type string
}

// liveResolver answers the root fields of the live schema with the engine,
// as the generated resolvers (graph/resolvers_gen.go) do in compiled mode:
// the model root fields of a query run as one plan, on the first of them
// the executor asks for (it gives every root field with its coerced
// arguments; one whose arguments gqlgen would reject is left out, as
// JoinRootFields leaves it out); the root fields of a mutation one at a
// time, each write read back with its selection.
type liveResolver struct {
	e      *engine.Engine
	roots  map[string]rootField
	models []exposedModel
	// nodeTypes is the object type of each model node can fetch.
	nodeTypes map[string]string
	rights    func(ctx context.Context, models []string) (map[string]loaders.Access, error)
}

// liveOp is the result of one query operation's plan, run once.
type liveOp struct {
	once    sync.Once
	results map[*live.Field]engine.QueryResult
}

type liveOpKey struct{ oc *graphql.OperationContext }

func (r *liveResolver) ResolveRoot(ctx context.Context, info live.FieldInfo) (any, error) {
	rf, ok := r.roots[info.Field.Name]
	if !ok {
		return nil, fmt.Errorf("live: no resolver for root field %s", info.Field.Name)
	}
	if rf.op == opModels {
		return r.odooModels(), nil
	}
	l := loaders.For(ctx)
	if l == nil {
		return nil, errors.New("engine: no loaders in the request context (loaders.Middleware missing)")
	}
	field := graphql.CollectedField{Field: info.Field.AST, Selections: info.Field.Selections()}
	args := info.Arguments
	switch rf.op {
	case opGet, opList, opNode:
		op := l.Value(liveOpKey{graphql.GetOperationContext(ctx)}, func() any { return &liveOp{} }).(*liveOp)
		op.once.Do(func() { op.results = r.query(ctx, info.Roots) })
		res, ok := op.results[info.Field]
		if !ok {
			return nil, fmt.Errorf("live: root field %s was not planned", info.Field.ResponseKey)
		}
		for _, n := range res.Notes {
			graphql.AddError(ctx, n)
		}
		return res.Value, res.Err
	case opCreate:
		in, _ := args["input"].(map[string]any)
		objs, err := r.e.CreateValues(ctx, rf.model, field, []map[string]any{in})
		if err != nil || len(objs) == 0 {
			return nil, err
		}
		return objs[0], nil
	case opCreateMany:
		raw, _ := args["inputs"].([]any)
		inputs := make([]map[string]any, len(raw))
		for i, x := range raw {
			inputs[i], _ = x.(map[string]any)
		}
		return values(r.e.CreateValues(ctx, rf.model, field, inputs))
	case opUpdate:
		in, _ := args["input"].(map[string]any)
		return values(r.e.UpdateValues(ctx, rf.model, field, stringList(args["ids"]), in))
	case opAction:
		recs, result, err := r.e.CallValues(ctx, rf.model, rf.method, field, stringList(args["ids"]), args["args"], args["kwargs"])
		if err != nil {
			return nil, err
		}
		return map[string]any{"records": recs, "result": result}, nil
	case opAggregate:
		return r.e.AggregateValues(ctx, rf.model, field)
	case opDelete:
		ids, err := engine.Delete(ctx, r.e, rf.model, stringList(args["ids"]))
		if err != nil {
			return nil, err
		}
		return map[string]any{"ids": ids, "nodeIds": engine.NodeIDs(rf.model, ids)}, nil
	}
	return nil, fmt.Errorf("live: root field %s has no operation", info.Field.Name)
}

func values(objs []any, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return objs, nil
}

func stringList(v any) []string {
	raw, _ := v.([]any)
	out := make([]string, 0, len(raw))
	for _, x := range raw {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// query runs the model root fields of a query as one plan and returns their
// results.
func (r *liveResolver) query(ctx context.Context, roots []live.RootField) map[*live.Field]engine.QueryResult {
	var qs []engine.QueryRoot
	var fields []*live.Field
	done := map[*live.Field]engine.QueryResult{} // answered without the engine
	for _, f := range roots {
		rf, ok := r.roots[f.Field.Name]
		if f.Err != nil || !ok || (rf.op != opGet && rf.op != opList && rf.op != opNode) {
			continue
		}
		q := engine.QueryRoot{
			Field: graphql.CollectedField{Field: f.Field.AST, Selections: f.Field.Selections()},
			Model: rf.model, List: rf.op == opList, ID: f.Arguments["id"],
		}
		if rf.op == opNode {
			nodeID, _ := f.Arguments["nodeId"].(string)
			m, id, err := engine.ParseNodeID(nodeID)
			switch {
			case err != nil:
				done[f.Field] = engine.QueryResult{Err: err}
				continue
			case r.nodeTypes[m] == "":
				done[f.Field] = engine.QueryResult{} // a model without a type: null
				continue
			}
			q.Model, q.ID, q.Type = m, id, r.nodeTypes[m]
		}
		qs = append(qs, q)
		fields = append(fields, f.Field)
	}
	res := r.e.Query(ctx, qs)
	out := make(map[*live.Field]engine.QueryResult, len(res)+len(done))
	for f, v := range done {
		out[f] = v
	}
	for i, f := range fields {
		out[f] = res[i]
	}
	return out
}

// odooModels is the exposed models, with their access rights computed when
// asked for.
func (r *liveResolver) odooModels() []any {
	out := make([]any, len(r.models))
	for i, m := range r.models {
		out[i] = &modelObject{r: r, m: m}
	}
	return out
}

type modelObject struct {
	r *liveResolver
	m exposedModel
}

// FieldValue is OdooModel's fields; access as graph's odooModelResolver
// answers it: the rights on every exposed model load together.
func (o *modelObject) FieldValue(ctx context.Context, info live.FieldInfo) (any, error) {
	switch info.Field.Name {
	case "model":
		return o.m.Model, nil
	case "name":
		return o.m.Name, nil
	case "type":
		return o.m.Type, nil
	case "access":
		if o.r.rights == nil {
			return nil, errors.New("graph: no loaders or metadata cache")
		}
		names := make([]string, len(o.r.models))
		for i, m := range o.r.models {
			names[i] = m.Model
		}
		rights, err := o.r.rights(ctx, names)
		if err != nil {
			return nil, err
		}
		a := rights[o.m.Model]
		return map[string]any{"read": a.Read, "create": a.Create, "write": a.Write, "unlink": a.Unlink}, nil
	}
	return nil, nil
}

// liveScalars are the marshalers and unmarshalers of odoogql's scalars for
// the live executor: graph/scalar's, as gqlgen.yml binds them in compiled
// mode.
func liveScalars() map[string]live.Scalar {
	str := func(name string, m func(string) graphql.Marshaler) func(any) (graphql.Marshaler, error) {
		return func(v any) (graphql.Marshaler, error) {
			s, ok := v.(string)
			if !ok {
				return nil, &live.ValueError{Type: name, Value: v}
			}
			return m(s), nil
		}
	}
	return map[string]live.Scalar{
		"Date":     {Marshal: str("Date", scalar.MarshalDate), Unmarshal: live.Unmarshaler(scalar.UnmarshalDate)},
		"DateTime": {Marshal: str("DateTime", scalar.MarshalDateTime), Unmarshal: live.Unmarshaler(scalar.UnmarshalDateTime)},
		"JSON": {
			Marshal:   func(v any) (graphql.Marshaler, error) { return scalar.MarshalJSON(v), nil },
			Unmarshal: live.Unmarshaler(scalar.UnmarshalJSON),
		},
		"Float": {
			MarshalContext: func(v any) (graphql.ContextMarshaler, error) {
				f, ok := v.(float64)
				if !ok {
					return nil, &live.ValueError{Type: "Float", Value: v}
				}
				return scalar.MarshalFloat(f), nil
			},
			Unmarshal: live.UnmarshalerContext(scalar.UnmarshalFloat),
		},
	}
}

// cachedDirective is @cached(ttl:) for the live executor, as the compiled
// mode's: the ttl of the operation's record cache.
func cachedDirective(ctx context.Context, args map[string]any, next func(ctx context.Context) error) error {
	ttl, _ := args["ttl"].(int)
	if ttl < 0 {
		return &engine.Error{Code: engine.CodeBadUserInput, Message: fmt.Sprintf("@cached(ttl: %d): ttl must not be negative", ttl)}
	}
	return next(loaders.WithCacheTTL(ctx, time.Duration(ttl)*time.Second))
}
