package engine

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"time"

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
	typ   reflect.Type // the connection struct (list) or model struct (get)
	field graphql.CollectedField
	id    int // rootGet

	result reflect.Value // *Connection or *Model (zero Value: null)
	err    error
	done   chan struct{}
}

// operation gathers the root fields of one query operation so that they run
// as one plan: every level of every root field costs one read per model in
// total. gqlgen calls the root resolvers of a query concurrently; each
// registers here and waits, and the last one to arrive runs the plan.
type operation struct {
	mu       sync.Mutex
	expected int
	roots    []*root
	started  bool
	timer    *time.Timer
}

// joinWait bounds how long the first root field waits for its siblings (a
// root field whose arguments gqlgen rejects never calls its resolver).
const joinWait = 5 * time.Millisecond

type opKey struct{ oc *graphql.OperationContext }

// expectedRoots counts the root fields of a query that resolvers will
// register: every collected root field but introspection.
func expectedRoots(oc *graphql.OperationContext) int {
	if oc == nil || oc.Operation == nil || oc.Operation.Operation != ast.Query {
		return 1
	}
	n := 0
	for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{"Query"}) {
		if !strings.HasPrefix(f.Name, "__") {
			n++
		}
	}
	if n == 0 {
		return 1
	}
	return n
}

// runRoot registers r with its operation and returns r's result once the
// operation's plan has run.
func (e *Engine) runRoot(ctx context.Context, l *loaders.Loaders, r *root) (reflect.Value, error) {
	v, err := e.runRootInner(ctx, l, r)
	for _, d := range l.TakeDenials() {
		graphql.AddError(ctx, &Error{Code: CodeForbidden, Message: d})
	}
	return v, err
}

func (e *Engine) runRootInner(ctx context.Context, l *loaders.Loaders, r *root) (reflect.Value, error) {
	r.done = make(chan struct{})
	oc := graphql.GetOperationContext(ctx)
	if oc == nil || oc.Operation == nil || oc.Operation.Operation != ast.Query {
		e.execute(ctx, l, []*root{r})
		return r.result, r.err
	}
	op := l.Value(opKey{oc}, func() any { return &operation{expected: expectedRoots(oc)} }).(*operation)
	op.mu.Lock()
	if op.started {
		// A latecomer after the join window: run alone.
		op.mu.Unlock()
		e.execute(ctx, l, []*root{r})
		return r.result, r.err
	}
	op.roots = append(op.roots, r)
	var batch []*root
	if len(op.roots) >= op.expected {
		op.started = true
		batch = op.roots
		if op.timer != nil {
			op.timer.Stop()
		}
	} else if op.timer == nil {
		op.timer = time.AfterFunc(joinWait, func() {
			op.mu.Lock()
			if op.started {
				op.mu.Unlock()
				return
			}
			op.started = true
			roots := op.roots
			op.mu.Unlock()
			e.execute(ctx, l, roots)
		})
	}
	op.mu.Unlock()
	if batch != nil {
		e.execute(ctx, l, batch)
	}
	select {
	case <-r.done:
		return r.result, r.err
	case <-ctx.Done():
		return reflect.Value{}, ctx.Err()
	}
}
