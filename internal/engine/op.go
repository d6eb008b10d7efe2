package engine

import (
	"context"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/loaders"
)

// rootKind says what a root field returns.
type rootKind int

const (
	rootList rootKind = iota // a connection {totalCount, nodes}
	rootGet                  // one record by id, or null
)

// root is one root field of an operation, as its resolver registered it.
type root struct {
	alias string
	model string
	kind  rootKind
	field graphql.CollectedField
	id    int // rootGet
	// objType is the record's object type when the field's type is not
	// (node's Node): the type of the model the node id names.
	objType string

	// out builds the result's objects; bind, when set, prepares it for
	// the planned node (reflectOutput.bind).
	out  output
	bind func(*node) error

	ctx    context.Context // the root field's, for a plan another arrival runs
	engine *Engine

	result any // the connection or the record (nil: null)
	err    error
	notes  []error // reported with this root field (see takeNotes)
	done   chan struct{}
}

// operation gathers the root fields of one query operation so that they run
// as one plan: every level of every root field costs one read per model in
// total. gqlgen calls the root fields of a query concurrently, each through
// JoinRootFields; a model root field registers here and waits, any other
// (odooModels, a root field whose arguments gqlgen rejected, one that
// panicked) counts as arrived when gqlgen is done with it, and the last
// arrival runs the plan. No timer is involved: the plan runs exactly when
// every root field of the operation has arrived.
type operation struct {
	mu       sync.Mutex
	expected int     // root fields the operation will see (expectedRoots)
	arrived  int     // root fields registered or done without registering
	roots    []*root // the registered ones
	started  bool
}

type opKey struct{ oc *graphql.OperationContext }

// expectedRoots counts the root fields of a query that go through
// JoinRootFields: every collected root field but introspection (__typename,
// __schema, __type).
func expectedRoots(oc *graphql.OperationContext) int {
	n := 0
	for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{"Query"}) {
		if !strings.HasPrefix(f.Name, "__") {
			n++
		}
	}
	return n
}

// arrive counts the root field of slot s, which registered r (nil: nothing),
// and returns the roots to run when it was the last to arrive. It reports
// whether s had arrived already.
func (op *operation) arrive(s *slot, r *root) (batch []*root, late, again bool) {
	op.mu.Lock()
	defer op.mu.Unlock()
	if s.arrived {
		return nil, false, true
	}
	s.arrived = true
	if op.started {
		// More arrivals than root fields: never expected, but safe.
		return nil, true, false
	}
	if r != nil {
		op.roots = append(op.roots, r)
	}
	op.arrived++
	if op.arrived < op.expected {
		return nil, false, false
	}
	op.started = true
	return op.roots, false, false
}

// slot is one root field's place at its operation's barrier, put in its
// context by JoinRootFields.
type slot struct {
	op      *operation
	arrived bool // under op.mu
}

type slotKey struct{}

// JoinRootFields is the root field middleware (gqlgen's AroundRootFields)
// that makes the root fields of a query meet: gqlgen calls it around every
// root field, argument coercion included. It gives the field a slot at the
// operation's barrier; a model root field registers through it, and a field
// that returns without registering counts as arrived then. Introspection
// fields, mutations and requests without loaders pass through. Without this
// middleware every root field runs its own plan at once (correct, but the
// root fields' reads are not shared).
func JoinRootFields(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	oc := graphql.GetOperationContext(ctx)
	rc := graphql.GetRootFieldContext(ctx)
	l := loaders.For(ctx)
	if l == nil || oc == nil || oc.Operation == nil || oc.Operation.Operation != ast.Query ||
		rc == nil || strings.HasPrefix(rc.Field.Name, "__") {
		return next(ctx)
	}
	op := l.Value(opKey{oc}, func() any { return &operation{expected: expectedRoots(oc)} }).(*operation)
	s := &slot{op: op}
	// Done without registering (or panicking): arrived now.
	defer s.leave(l)
	return next(context.WithValue(ctx, slotKey{}, s))
}

// Arrive tells the operation's barrier that the root field of ctx takes no
// part in the plan (odooModels), so the model root fields need not wait for
// it to finish. Calling it more than once, or outside JoinRootFields, is
// harmless.
func Arrive(ctx context.Context) {
	if s, _ := ctx.Value(slotKey{}).(*slot); s != nil {
		if l := loaders.For(ctx); l != nil {
			s.leave(l)
		}
	}
}

// leave counts s as arrived without a root of its own (once; later calls do
// nothing). If it was the last arrival, the plan of the registered roots
// runs here, with the context of one of them.
func (s *slot) leave(l *loaders.Loaders) {
	if batch, _, _ := s.op.arrive(s, nil); len(batch) > 0 {
		batch[0].engine.execute(batch[0].ctx, l, batch)
	}
}

// runRoot registers r with its operation and returns r's result once the
// operation's plan has run.
func (e *Engine) runRoot(ctx context.Context, l *loaders.Loaders, r *root) (any, error) {
	v, err := e.runRootInner(ctx, l, r)
	for _, n := range r.notes {
		graphql.AddError(ctx, n)
	}
	reportNotes(ctx, l)
	return v, err
}

// reportNotes adds to the root field of ctx the errors the request's reads
// noted: parts withheld by Odoo's access rules (FORBIDDEN) and values Odoo
// sent in a form the gateway cannot serve (INTERNAL); both left null.
func reportNotes(ctx context.Context, l *loaders.Loaders) {
	for _, d := range l.TakeDenials() {
		graphql.AddError(ctx, &Error{Code: CodeForbidden, Message: d})
	}
	for _, d := range l.TakeInvalid() {
		graphql.AddError(ctx, &Error{Code: CodeInternal, Message: d})
	}
}

func (e *Engine) runRootInner(ctx context.Context, l *loaders.Loaders, r *root) (any, error) {
	r.done = make(chan struct{})
	r.ctx, r.engine = ctx, e
	s, _ := ctx.Value(slotKey{}).(*slot)
	if s == nil {
		// A mutation, or a query without JoinRootFields: run alone.
		e.execute(ctx, l, []*root{r})
		return r.result, r.err
	}
	batch, late, again := s.op.arrive(s, r)
	if late || again {
		// Not part of the plan (a second registration of one root field
		// is never expected): run alone.
		e.execute(ctx, l, []*root{r})
		return r.result, r.err
	}
	if batch != nil {
		e.execute(ctx, l, batch)
	}
	select {
	case <-r.done:
		return r.result, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// typeName is the GraphQL object type of a by-id root's record.
func (r *root) typeName() string {
	if r.objType != "" {
		return r.objType
	}
	return r.field.Definition.Type.Name()
}
