package loaders

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/singleflight"

	"github.com/odoogql/odoogql/odoo"
)

// Meta caches Odoo's metadata across requests: the server version, fields_get
// of each model, and each user's access rights. Entries older than the TTL
// are still served while one background call refreshes them, so a warm
// gateway makes no metadata call on the path of a query.
type Meta struct {
	client *odoo.Client
	cache  *Cache
	ttl    time.Duration
	log    *slog.Logger
	group  singleflight.Group
}

type metaEntry struct {
	value any
	at    time.Time
}

// NewMeta returns a metadata cache for client's database with ttl.
func NewMeta(client *odoo.Client, cache *Cache, ttl time.Duration, log *slog.Logger) *Meta {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Meta{client: client, cache: cache, ttl: ttl, log: log}
}

// get returns the entry under key: fresh from the cache, stale from the cache
// while a background call refreshes it, or fetched now when absent.
func (m *Meta) get(ctx context.Context, key string, fetch func(context.Context) (any, error)) (any, error) {
	if v, ok := m.cache.Get(key); ok {
		e := v.(metaEntry)
		if time.Since(e.at) > m.ttl {
			go func() {
				defer func() {
					if p := recover(); p != nil {
						m.log.Error("metadata refresh panicked", "key", key, "panic", p)
					}
				}()
				bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
				defer cancel()
				if _, err, _ := m.group.Do(key, func() (any, error) { return m.fetch(bg, key, fetch) }); err != nil {
					m.log.Warn("metadata refresh failed; serving the old entry", "key", key, "err", err)
				}
			}()
		}
		return e.value, nil
	}
	v, err, _ := m.group.Do(key, func() (any, error) { return m.fetch(ctx, key, fetch) })
	return v, err
}

func (m *Meta) fetch(ctx context.Context, key string, fetch func(context.Context) (any, error)) (any, error) {
	v, err := fetch(ctx)
	if err != nil {
		return nil, err
	}
	// The cache's own TTL is far past ours: stale entries stay servable.
	m.cache.Set(key, metaEntry{value: v, at: time.Now()}, 512+SizeOf(v), 24*time.Hour+m.ttl)
	return v, nil
}

// Version returns the Odoo server version.
func (m *Meta) Version(ctx context.Context) (odoo.Version, error) {
	v, err := m.get(ctx, "version", func(ctx context.Context) (any, error) { return m.client.Version(ctx) })
	if err != nil {
		return odoo.Version{}, err
	}
	return v.(odoo.Version), nil
}

// Major returns the Odoo major version (for the engine's strategy).
func (m *Meta) Major(ctx context.Context) (int, error) {
	v, err := m.Version(ctx)
	return v.Major, err
}

// FieldsGet returns fields_get of model as the service account s sees it.
func (m *Meta) FieldsGet(ctx context.Context, s *odoo.Session, model string, attributes []string) (map[string]odoo.Field, error) {
	v, err := m.get(ctx, "fields|"+model, func(ctx context.Context) (any, error) { return s.FieldsGet(ctx, model, attributes) })
	if err != nil {
		return nil, err
	}
	return v.(map[string]odoo.Field), nil
}

// Readable returns the fields of model the session's user may read
// (fields_get as that user leaves out fields of groups the user is not in),
// cached per user.
func (m *Meta) Readable(ctx context.Context, s *odoo.Session, model string) (map[string]bool, error) {
	key := "readable|" + scope(s) + "|" + model
	v, err := m.get(ctx, key, func(ctx context.Context) (any, error) {
		fields, err := s.FieldsGet(ctx, model, []string{"type"})
		if err != nil {
			return nil, err
		}
		out := make(map[string]bool, len(fields))
		for name := range fields {
			out[name] = true
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(map[string]bool), nil
}

// Access is what a user may do with a model.
type Access struct {
	Read, Create, Write, Unlink bool
}

// Access returns the access rights of the session's user on model
// (check_access_rights for the four operations), cached per user.
func (m *Meta) Access(ctx context.Context, s *odoo.Session, model string) (Access, error) {
	key := "access|" + scope(s) + "|" + model
	v, err := m.get(ctx, key, func(ctx context.Context) (any, error) {
		var a Access
		g, gctx := errgroup.WithContext(ctx)
		for op, dst := range map[string]*bool{"read": &a.Read, "create": &a.Create, "write": &a.Write, "unlink": &a.Unlink} {
			g.Go(func() (err error) {
				defer func() {
					if p := recover(); p != nil {
						err = fmt.Errorf("loaders: panic in check_access_rights: %v", p)
					}
				}()
				ok, err := s.CheckAccessRights(gctx, model, op)
				*dst = ok
				return err
			})
		}
		return a, g.Wait()
	})
	if err != nil {
		return Access{}, err
	}
	return v.(Access), nil
}

// Warm loads the version and the fields_get of models now, so the first
// query pays no metadata call. It returns the first error but loads what it
// can.
func (m *Meta) Warm(ctx context.Context, s *odoo.Session, models []string, attributes []string) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	var errs []error
	errc := make(chan error, len(models)+1)
	g.Go(func() error {
		defer recoverTo(errc, "version")
		if _, err := m.Version(gctx); err != nil {
			errc <- fmt.Errorf("version: %w", err)
		}
		return nil
	})
	for _, model := range models {
		g.Go(func() error {
			defer recoverTo(errc, model)
			if _, err := m.FieldsGet(gctx, s, model, attributes); err != nil {
				errc <- fmt.Errorf("fields_get %s: %w", model, err)
			}
			return nil
		})
	}
	_ = g.Wait()
	close(errc)
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// recoverTo turns a panic of a warm-up goroutine into an error on errc.
func recoverTo(errc chan<- error, what string) {
	if p := recover(); p != nil {
		errc <- fmt.Errorf("warm-up of %s panicked: %v", what, p)
	}
}

// Logins caches successful logins across requests, keyed by a hash of the
// database, login and password (never the secret itself). Failed logins are
// never cached.
type Logins struct {
	client *odoo.Client
	cache  *Cache
	ttl    time.Duration
	group  singleflight.Group
}

// NewLogins returns a login cache with ttl.
func NewLogins(client *odoo.Client, cache *Cache, ttl time.Duration) *Logins {
	return &Logins{client: client, cache: cache, ttl: ttl}
}

// Authenticate returns the uid of login, from the cache or from Odoo.
func (l *Logins) Authenticate(ctx context.Context, login, password string) (int, error) {
	sum := sha256.Sum256([]byte(l.client.DB() + "\x00" + login + "\x00" + password))
	key := "login|" + hex.EncodeToString(sum[:])
	if v, ok := l.cache.Get(key); ok {
		return v.(int), nil
	}
	v, err, _ := l.group.Do(key, func() (any, error) {
		uid, err := l.client.Authenticate(ctx, login, password)
		if err != nil {
			return 0, err
		}
		l.cache.Set(key, uid, 128, l.ttl)
		return uid, nil
	})
	if err != nil {
		return 0, err
	}
	return v.(int), nil
}
