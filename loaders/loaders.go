package loaders

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/graph-gophers/dataloader/v7"
	"golang.org/x/sync/errgroup"

	"github.com/odoogql/odoogql/odoo"
)

// Reader reads records by id: an *odoo.Session, or a cache in front of one.
type Reader interface {
	Read(ctx context.Context, model string, ids []int, fields []string) ([]odoo.Record, error)
}

// RecordKey identifies one record read: the model, the id, and the fields
// asked for (sorted, comma-joined).
type RecordKey struct {
	Model  string
	ID     int
	Fields string
}

// Options tune the loaders of a request.
type Options struct {
	// Wait is how long a batch waits for more keys before it runs when
	// nobody flushes it. Records flushes every batch as soon as it has
	// enqueued it (even when it panics), so a level never waits for this
	// timer (dataloader's own default of 16ms would otherwise be added to
	// every level); the timer only splits a level's batch in two, one more
	// read, when it fires while the level is being enqueued. Default one
	// minute: never (50ms did, for 4,000 keys on a busy machine).
	Wait time.Duration
	// Records is the gateway's cross-request record cache; nil for none.
	Records *RecordCache
	// OnBatch is told the size of every batch (for metrics).
	OnBatch func(model string, keys int)
}

// Loaders is the per-request state of one GraphQL request: the Odoo session
// it runs as, the batched record loader, and the results handed from the
// engine to child resolvers.
type Loaders struct {
	session atomic.Pointer[odoo.Session] // see SetContext
	rc      *RecordCache
	records *dataloader.Loader[RecordKey, odoo.Record]
	onBatch func(string, int)

	mu       sync.RWMutex
	children map[childKey]any
	values   map[any]any

	calls, cacheHits atomic.Int64

	denials []string
	invalid []string
}

// Deny records that part of the answer was withheld by Odoo's access rules;
// the engine reports it as a FORBIDDEN error.
func (l *Loaders) Deny(msg string) { l.note(&l.denials, msg) }

// TakeDenials returns the denials recorded so far and forgets them.
func (l *Loaders) TakeDenials() []string { return l.take(&l.denials) }

// Invalid records that Odoo sent a value the gateway cannot serve (a
// datetime in no form it knows); the engine leaves it null and reports msg
// as an error.
func (l *Loaders) Invalid(msg string) { l.note(&l.invalid, msg) }

// TakeInvalid returns the values recorded by Invalid so far and forgets
// them.
func (l *Loaders) TakeInvalid() []string { return l.take(&l.invalid) }

// note appends msg to list unless it is there already.
func (l *Loaders) note(list *[]string, msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !slices.Contains(*list, msg) {
		*list = append(*list, msg)
	}
}

func (l *Loaders) take(list *[]string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	d := *list
	*list = nil
	return d
}

// RequestStats are what one request cost.
type RequestStats struct {
	OdooCalls int64 // calls made to Odoo
	CacheHits int64 // reads answered by the record cache
}

// Stats returns what the request has cost so far.
func (l *Loaders) Stats() RequestStats {
	return RequestStats{OdooCalls: l.calls.Load(), CacheHits: l.cacheHits.Load()}
}

// CountCall counts one Odoo call of the request ctx belongs to (an
// odoo.Config.Observer calls it).
func CountCall(ctx context.Context) {
	if l := For(ctx); l != nil {
		l.calls.Add(1)
	}
}

type childKey struct {
	parent any // a pointer to a generated model struct
	alias  string
}

// New returns the loaders of one request that runs as session.
func New(session *odoo.Session, opt Options) *Loaders {
	if opt.Wait <= 0 {
		opt.Wait = time.Minute
	}
	l := &Loaders{rc: opt.Records, onBatch: opt.OnBatch,
		children: map[childKey]any{}, values: map[any]any{}}
	l.session.Store(session)
	l.records = dataloader.NewBatchedLoader(l.batchRead,
		dataloader.WithWait[RecordKey, odoo.Record](opt.Wait),
		dataloader.WithInputCapacity[RecordKey, odoo.Record](1024))
	return l
}

// Session is the Odoo identity of the request.
func (l *Loaders) Session() *odoo.Session { return l.session.Load() }

// SetContext merges kv into the Odoo context of the request's session (as
// odoo.Session.WithContext: a nil value removes a key): the operation's
// @context directive does, before the operation makes any Odoo call. Every
// later call carries it, and the record cache keys what they read by it.
func (l *Loaders) SetContext(kv map[string]any) {
	if len(kv) == 0 {
		return
	}
	l.session.Store(l.Session().WithContext(kv))
}

// FieldsKey is the canonical form of a field list in a RecordKey.
func FieldsKey(fields []string) string {
	f := append([]string(nil), fields...)
	sort.Strings(f)
	return strings.Join(f, ",")
}

// ReadRequest asks for records of one model.
type ReadRequest struct {
	Model  string
	IDs    []int
	Fields []string
}

// Records reads every request through the request's record loader and runs
// the batch at once: one Odoo read per model, whatever the number of
// requests and ids, with the union of the fields asked for. Records Odoo
// does not return (deleted, or hidden by a record rule) are absent from the
// result; that is not an error.
func (l *Loaders) Records(ctx context.Context, reqs []ReadRequest) (map[string]map[int]odoo.Record, error) {
	var keys []RecordKey
	for _, r := range reqs {
		fk := FieldsKey(r.Fields)
		for _, id := range r.IDs {
			keys = append(keys, RecordKey{Model: r.Model, ID: id, Fields: fk})
		}
	}
	out := make(map[string]map[int]odoo.Record, len(reqs))
	if len(keys) == 0 {
		return out, nil
	}
	// Load enqueues each key before it returns (LoadMany would enqueue from
	// one goroutine per key, after the Flush below), so the flush runs the
	// whole level as one batch.
	thunks := make([]dataloader.Thunk[odoo.Record], len(keys))
	func() {
		defer l.records.Flush()
		for i, k := range keys {
			thunks[i] = l.records.Load(ctx, k)
		}
	}()
	for i, k := range keys {
		rec, err := thunks[i]()
		if err != nil {
			return nil, err
		}
		if rec == nil {
			continue
		}
		m := out[k.Model]
		if m == nil {
			m = map[int]odoo.Record{}
			out[k.Model] = m
		}
		m[k.ID] = rec
	}
	return out, nil
}

// batchRead is the dataloader batch function: one read per model, with the
// union of the fields of that model's keys. Results come back in key order.
func (l *Loaders) batchRead(ctx context.Context, keys []RecordKey) []*dataloader.Result[odoo.Record] {
	type group struct {
		ids    []int
		seen   map[int]bool
		fields map[string]bool
		lists  map[string]bool // the keys' Fields merged into fields
		recs   map[int]odoo.Record
		err    error
	}
	groups := map[string]*group{}
	for _, k := range keys {
		g := groups[k.Model]
		if g == nil {
			g = &group{seen: map[int]bool{}, fields: map[string]bool{}, lists: map[string]bool{}}
			groups[k.Model] = g
		}
		if !g.seen[k.ID] {
			g.seen[k.ID] = true
			g.ids = append(g.ids, k.ID)
		}
		if g.lists[k.Fields] {
			continue // a level's keys share a few field lists
		}
		g.lists[k.Fields] = true
		for _, f := range strings.Split(k.Fields, ",") {
			if f != "" {
				g.fields[f] = true
			}
		}
	}
	var wg errgroup.Group
	for model, g := range groups {
		if l.onBatch != nil {
			l.onBatch(model, len(g.ids))
		}
		wg.Go(func() error {
			defer func() {
				if p := recover(); p != nil {
					g.err = fmt.Errorf("loaders: panic reading %s: %v\n%s", model, p, debug.Stack())
				}
			}()
			fields := make([]string, 0, len(g.fields))
			for f := range g.fields {
				fields = append(fields, f)
			}
			sort.Strings(fields)
			recs, err := l.Odoo(ctx).Read(ctx, model, g.ids, fields)
			if kind, ok := odoo.KindOf(err); ok && kind == odoo.KindAccess {
				recs, err = l.readVisible(ctx, model, g.ids, fields)
			}
			if err != nil {
				g.err = err
				return nil
			}
			g.recs = make(map[int]odoo.Record, len(recs))
			for _, r := range recs {
				if id, ok := r.ID(); ok {
					g.recs[id] = r
				}
			}
			return nil
		})
	}
	_ = wg.Wait()
	out := make([]*dataloader.Result[odoo.Record], len(keys))
	for i, k := range keys {
		g := groups[k.Model]
		if g.err != nil {
			out[i] = &dataloader.Result[odoo.Record]{Error: g.err}
			continue
		}
		out[i] = &dataloader.Result[odoo.Record]{Data: g.recs[k.ID]} // nil when absent
	}
	return out
}

// readVisible reads the records among ids that the user may see: Odoo
// refuses a whole read when one record is hidden by a record rule, while a
// search leaves hidden records out. The hidden ones are reported as a
// denial and come back absent (null in the answer).
func (l *Loaders) readVisible(ctx context.Context, model string, ids []int, fields []string) ([]odoo.Record, error) {
	list := make([]any, len(ids))
	for i, id := range ids {
		list[i] = id
	}
	// active_test off: an archived record is not a hidden one.
	visible, err := l.Session().WithContext(map[string]any{"active_test": false}).Search(ctx, model, []any{[]any{"id", "in", list}}, odoo.SearchOptions{})
	if err != nil {
		return nil, err
	}
	if len(visible) == len(ids) {
		// Every record is visible: the refusal was about fields.
		return l.Odoo(ctx).Read(ctx, model, ids, fields)
	}
	l.Deny(fmt.Sprintf("%d %s record(s) are hidden from you by Odoo's access rules; they are null", len(ids)-len(visible), model))
	if len(visible) == 0 {
		return []odoo.Record{}, nil
	}
	return l.Odoo(ctx).Read(ctx, model, visible, fields)
}

// Written forgets what the request has read so far, after a write through
// it (create, update or delete; applied or not, since a write whose answer
// was lost may still have reached Odoo): the records its loader memoized and
// the x2many lists handed to resolvers. Every model is forgotten, not only
// the written one: Odoo's computed and related fields carry a write to other
// models (a partner's name is in its contacts' display names, an order
// line's price in its order's total). The record cache needs nothing here:
// the write moved the generations its entries are keyed by. Values (the
// engine's per-operation state) hold no Odoo data and are kept. A mutation
// runs its root fields one after the other, each resolved and written out
// before the next starts, so nothing still reads what this drops.
func (l *Loaders) Written() {
	l.records.ClearAll()
	l.mu.Lock()
	clear(l.children)
	l.mu.Unlock()
}

// SetChildren records the records of an x2many field, asked for under alias,
// of the parent object, for the field's resolver to return.
func (l *Loaders) SetChildren(parent any, alias string, v any) {
	l.mu.Lock()
	l.children[childKey{parent, alias}] = v
	l.mu.Unlock()
}

// Children returns what SetChildren recorded.
func (l *Loaders) Children(parent any, alias string) (any, bool) {
	l.mu.RLock()
	v, ok := l.children[childKey{parent, alias}]
	l.mu.RUnlock()
	return v, ok
}

// Value returns the request-scoped value stored under key, creating it with
// make on first use. The engine keeps its per-operation state here.
func (l *Loaders) Value(key any, make func() any) any {
	l.mu.Lock()
	defer l.mu.Unlock()
	v, ok := l.values[key]
	if !ok {
		v = make()
		l.values[key] = v
	}
	return v
}

type ctxKey struct{}

// NewContext returns ctx carrying l.
func NewContext(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// For returns the loaders of the request ctx belongs to, or nil outside a
// request.
func For(ctx context.Context) *Loaders {
	l, _ := ctx.Value(ctxKey{}).(*Loaders)
	return l
}

// Middleware builds fresh loaders for every HTTP request with build, and
// makes them reachable with For. A build error is answered by onError.
func Middleware(build func(r *http.Request) (*Loaders, error), onError func(w http.ResponseWriter, r *http.Request, err error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			l, err := build(r)
			if err != nil {
				onError(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(NewContext(r.Context(), l)))
		})
	}
}
