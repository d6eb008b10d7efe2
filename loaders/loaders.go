package loaders

import (
	"context"
	"net/http"
	"sync"

	"github.com/odoogql/odoogql/odoo"
)

// Loaders is the per-request state of one GraphQL request: the Odoo session
// it runs as, and the results handed from the engine to child resolvers.
type Loaders struct {
	session *odoo.Session

	mu       sync.RWMutex
	children map[childKey]any
}

type childKey struct {
	parent any // a pointer to a generated model struct
	alias  string
}

// New returns the loaders of one request that runs as session.
func New(session *odoo.Session) *Loaders {
	return &Loaders{session: session, children: map[childKey]any{}}
}

// Session is the Odoo identity of the request.
func (l *Loaders) Session() *odoo.Session { return l.session }

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
// makes them reachable with For. A build error answers 401 when it is an
// authentication error and 503 otherwise.
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
