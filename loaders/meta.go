package loaders

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/singleflight"

	"github.com/odoogql/odoogql/odoo"
)

// Meta caches Odoo's metadata across requests: the server version, fields_get
// of each model, and each user's access rights. Entries older than the TTL
// are still served while one background call refreshes them, so a warm
// gateway makes no metadata call on the path of a query.
//
// A fetch is shared by every caller asking for the same key at once, and
// belongs to none of them: it runs with its own timeout, detached from the
// cancellation of the caller that started it, and each caller stops waiting
// when its own context ends. A stale entry starts at most one background
// refresh per key.
type Meta struct {
	client  *odoo.Client
	cache   *Cache
	ttl     time.Duration
	timeout time.Duration // of one shared fetch
	log     *slog.Logger
	group   singleflight.Group

	mu         sync.Mutex
	refreshing map[string]bool  // keys with a background refresh in flight
	bg         sync.WaitGroup   // background refreshes
	refreshes  atomic.Int64     // background refreshes started (goroutines spawned)
	joined     func(key string) // test hook: a caller waits for the shared fetch of key
	missed     func(key string) // test hook: a caller found no entry, before it joins a fetch

	service func(context.Context) (*odoo.Session, error) // see SetService

	catalogues CatalogueStore // see SetCatalogueStore
	fieldsGen  atomic.Int64   // generation of the per-user field lists (ForgetReadable)
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
	return &Meta{client: client, cache: cache, ttl: ttl, timeout: time.Minute, log: log, refreshing: map[string]bool{}}
}

// get returns the entry under key: fresh from the cache, stale from the cache
// while a background call refreshes it, or fetched now when absent.
func (m *Meta) get(ctx context.Context, key string, fetch func(context.Context) (any, error)) (any, error) {
	if v, ok := m.cache.Get(key); ok {
		e := v.(metaEntry)
		if time.Since(e.at) > m.ttl {
			m.refresh(ctx, key, fetch)
		}
		return e.value, nil
	}
	if m.missed != nil {
		m.missed(key)
	}
	ch := m.group.DoChan(key, func() (any, error) {
		// Another caller's fetch may have finished, stored its entry and
		// left the group between our miss and now: that entry is as fresh
		// as a fetch would be, and a second fetch would cost a second call.
		if v, ok := m.cache.Peek(key); ok {
			return v.(metaEntry).value, nil
		}
		return m.fetch(ctx, key, fetch)
	})
	if m.joined != nil {
		m.joined(key)
	}
	select {
	case r := <-ch:
		return r.Val, r.Err
	case <-ctx.Done():
		return nil, ctx.Err() // the fetch goes on for the others and the cache
	}
}

// refresh starts a background refresh of key unless one is in flight or the
// entry is fresh again (a refresh finished since the caller looked).
func (m *Meta) refresh(ctx context.Context, key string, fetch func(context.Context) (any, error)) {
	m.mu.Lock()
	if m.refreshing[key] {
		m.mu.Unlock()
		return
	}
	if v, ok := m.cache.Peek(key); ok && time.Since(v.(metaEntry).at) <= m.ttl {
		m.mu.Unlock()
		return
	}
	m.refreshing[key] = true
	m.bg.Add(1)
	m.mu.Unlock()
	m.refreshes.Add(1)
	go func() {
		defer m.bg.Done()
		// The new entry is stored before the flag goes: a caller that finds
		// no refresh in flight finds the fresh entry.
		defer func() {
			m.mu.Lock()
			delete(m.refreshing, key)
			m.mu.Unlock()
		}()
		if _, err, _ := m.group.Do(key, func() (any, error) { return m.fetch(ctx, key, fetch) }); err != nil {
			m.log.Warn("metadata refresh failed; serving the old entry", "key", key, "err", err)
		}
	}()
}

// fetch runs one shared fetch of key and caches its result. It keeps the
// values of ctx (request id, call counters) but not its cancellation or
// deadline: it has its own timeout. A panic becomes an error.
func (m *Meta) fetch(ctx context.Context, key string, fetch func(context.Context) (any, error)) (v any, err error) {
	defer func() {
		if p := recover(); p != nil {
			m.log.Error("metadata fetch panicked", "key", key, "panic", p)
			v, err = nil, fmt.Errorf("loaders: metadata fetch of %s panicked: %v", key, p)
		}
	}()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), m.timeout)
	defer cancel()
	v, err = fetch(ctx)
	if err != nil {
		return nil, err
	}
	// The cache's own TTL is far past ours: stale entries stay servable.
	m.cache.Set(key, metaEntry{value: v, at: time.Now()}, 512+SizeOf(v), 24*time.Hour+m.ttl)
	return v, nil
}

// waitRefreshes waits for the background refreshes in flight (tests).
func (m *Meta) waitRefreshes() { m.bg.Wait() }

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
// cached per user: they depend on the user's groups, not on the Odoo
// context (language, companies), which the call leaves out.
func (m *Meta) Readable(ctx context.Context, s *odoo.Session, model string) (map[string]bool, error) {
	key := "readable|" + strconv.FormatInt(m.fieldsGen.Load(), 10) + "|" + userScope(s) + "|" + model
	s = bare(s)
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

// Access returns the access rights of the session's user on model, cached
// per user (see Rights; this asks for model alone).
func (m *Meta) Access(ctx context.Context, s *odoo.Session, model string) (Access, error) {
	all, err := m.Rights(ctx, s, []string{model})
	if err != nil {
		return Access{}, err
	}
	return all[model], nil
}

// Rights returns the session user's rights on each of models, what Odoo's
// check_access_rights answers, cached per user and list of models. Odoo
// computes them from ir.model.access: a user may do an operation on a model
// when an active rule of that model grants it to a group of the user or to
// no group in particular (ir.model.access _get_allowed_models; only public
// methods can be called over XML-RPC, so the gateway does that sum itself).
// The rules of the models are read once for all users (ACL) and each user
// costs one call, the read of their groups. The superuser (uid 1) may do
// everything. When the rules or the groups cannot be read (the account may
// not read ir.model.access, a server without the field ...), it falls back
// to asking Odoo: four calls per model (has_access on 18 and later,
// check_access_rights before). Like Readable, the rights
// are the user's whatever the Odoo context of the request.
func (m *Meta) Rights(ctx context.Context, s *odoo.Session, models []string) (map[string]Access, error) {
	models = slices.Sorted(slices.Values(models))
	models = slices.Compact(models)
	key := "rights|" + userScope(s) + "|" + listKey(models)
	s = bare(s)
	v, err := m.get(ctx, key, func(ctx context.Context) (any, error) {
		if s.UID == superuserUID {
			out := make(map[string]Access, len(models))
			for _, model := range models {
				out[model] = Access{Read: true, Create: true, Write: true, Unlink: true}
			}
			return out, nil
		}
		out, err := m.rightsFromRules(ctx, s, models)
		var f *odoo.Fault
		if errors.As(err, &f) {
			m.log.Debug("access rights: reading ir.model.access refused; asking check_access_rights per model", "err", err)
			return m.rightsPerModel(ctx, s, models)
		}
		return out, err
	})
	if err != nil {
		return nil, err
	}
	return v.(map[string]Access), nil
}

// superuserUID is Odoo's SUPERUSER_ID (__system__): its environment is
// sudo, past every access check.
const superuserUID = 1

// listKey is a short key for a sorted list of names.
func listKey(names []string) string {
	sum := sha256.Sum256([]byte(strings.Join(names, ",")))
	return hex.EncodeToString(sum[:8])
}

// aclRule is one active ir.model.access row: group 0 is every user.
type aclRule struct {
	model  string
	group  int
	access Access
}

// SetService gives Meta the service account's session, which reads the
// access rules (ir.model.access, usually readable by administrators only)
// for every user. Without it, each user's session reads them.
func (m *Meta) SetService(session func(context.Context) (*odoo.Session, error)) {
	m.service = session
}

// acl returns the active ir.model.access rules of models (sorted), read
// with the service account (SetService) or else with s, cached for all users.
func (m *Meta) acl(ctx context.Context, s *odoo.Session, models []string) ([]aclRule, error) {
	key := "acl|" + s.Client().DB() + "|" + listKey(models)
	v, err := m.get(ctx, key, func(ctx context.Context) (any, error) {
		reader := s
		if m.service != nil {
			svc, err := m.service(ctx)
			if err != nil {
				return nil, err
			}
			reader = svc
		}
		irModels, err := reader.SearchRead(ctx, "ir.model", []any{[]any{"model", "in", models}}, []string{"model"}, odoo.SearchOptions{})
		if err != nil {
			return nil, err
		}
		names := make(map[int]string, len(irModels))
		ids := make([]any, 0, len(irModels))
		for _, r := range irModels {
			id, _ := r.ID()
			name, _ := odoo.AsString(r["model"])
			names[id] = name
			ids = append(ids, id)
		}
		rows, err := reader.SearchRead(ctx, "ir.model.access", []any{[]any{"model_id", "in", ids}},
			[]string{"model_id", "group_id", "perm_read", "perm_write", "perm_create", "perm_unlink"}, odoo.SearchOptions{})
		if err != nil {
			return nil, err
		}
		rules := make([]aclRule, 0, len(rows))
		for _, r := range rows {
			mid, _, _ := odoo.Many2One(r["model_id"])
			gid, _, _ := odoo.Many2One(r["group_id"]) // 0 when empty
			rd, _ := odoo.AsBool(r["perm_read"])
			wr, _ := odoo.AsBool(r["perm_write"])
			cr, _ := odoo.AsBool(r["perm_create"])
			ul, _ := odoo.AsBool(r["perm_unlink"])
			rules = append(rules, aclRule{model: names[mid], group: gid, access: Access{Read: rd, Write: wr, Create: cr, Unlink: ul}})
		}
		return rules, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]aclRule), nil
}

// rightsFromRules sums the rules of models over the groups of s's user.
func (m *Meta) rightsFromRules(ctx context.Context, s *odoo.Session, models []string) (map[string]Access, error) {
	rules, err := m.acl(ctx, s, models)
	if err != nil {
		return nil, err
	}
	major, err := m.Major(ctx)
	if err != nil {
		return nil, err
	}
	// Up to 17.0 and 18.0 groups_id holds the implied groups too; 19.0
	// keeps the assigned ones in group_ids and all of them in all_group_ids.
	field := "groups_id"
	if major >= 19 {
		field = "all_group_ids"
	}
	users, err := s.Read(ctx, "res.users", []int{s.UID}, []string{field})
	if err != nil {
		return nil, err
	}
	if len(users) != 1 {
		return nil, fmt.Errorf("loaders: res.users %d: %d records read", s.UID, len(users))
	}
	if _, ok := users[0][field]; !ok {
		return nil, &odoo.Fault{Op: "read res.users", Model: "res.users", Method: "read", Kind: odoo.KindValidation, Message: "no field " + field}
	}
	groups := map[int]bool{0: true}
	for _, g := range odoo.IDs(users[0][field]) {
		groups[g] = true
	}
	out := make(map[string]Access, len(models))
	for _, model := range models {
		out[model] = Access{}
	}
	for _, r := range rules {
		a, ok := out[r.model]
		if !ok || !groups[r.group] {
			continue
		}
		a.Read = a.Read || r.access.Read
		a.Write = a.Write || r.access.Write
		a.Create = a.Create || r.access.Create
		a.Unlink = a.Unlink || r.access.Unlink
		out[r.model] = a
	}
	return out, nil
}

// rightsPerModel asks check_access_rights for each model and operation.
func (m *Meta) rightsPerModel(ctx context.Context, s *odoo.Session, models []string) (map[string]Access, error) {
	// has_access on Odoo 18 and later: check_access_rights is deprecated
	// there and removed from Odoo 19.1 on (odoo/odoo#226551).
	check := s.CheckAccessRights
	if v, err := m.Version(ctx); err == nil && v.Major >= 18 {
		check = s.HasAccess
	}
	out := make([]Access, len(models))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	for i, model := range models {
		a := &out[i]
		for op, dst := range map[string]*bool{"read": &a.Read, "create": &a.Create, "write": &a.Write, "unlink": &a.Unlink} {
			g.Go(func() (err error) {
				defer func() {
					if p := recover(); p != nil {
						err = fmt.Errorf("loaders: panic in an access check: %v", p)
					}
				}()
				ok, err := check(gctx, model, op)
				*dst = ok
				return err
			})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	res := make(map[string]Access, len(models))
	for i, model := range models {
		res[model] = out[i]
	}
	return res, nil
}

// Warm loads the version, the installed languages, the fields_get of models
// and their access rules (ir.model.access) now, so the first query pays no
// metadata call and a user's first odooModels one call. It returns the first
// error but loads what it can. With attributes nil it loads the version, the
// languages and the access rules only (live mode has read the fields with
// the catalogue).
func (m *Meta) Warm(ctx context.Context, s *odoo.Session, models []string, attributes []string) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(8)
	var errs []error
	errc := make(chan error, len(models)+3)
	g.Go(func() error {
		defer recoverTo(errc, "version")
		if _, err := m.Version(gctx); err != nil {
			errc <- fmt.Errorf("version: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		defer recoverTo(errc, "access rules")
		// The rules every user's rights are summed from; a refusal is not an
		// error (rights then come from check_access_rights).
		var f *odoo.Fault
		if _, err := m.acl(gctx, s, slices.Compact(slices.Sorted(slices.Values(models)))); err != nil && !errors.As(err, &f) {
			errc <- fmt.Errorf("access rules: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		defer recoverTo(errc, "languages")
		// The languages Accept-Language is matched with; a refusal (or an
		// Odoo without res.lang) is not an error: requests then keep the
		// user's language.
		var f *odoo.Fault
		if _, err := m.Languages(gctx, s); err != nil && !errors.As(err, &f) {
			errc <- fmt.Errorf("languages: %w", err)
		}
		return nil
	})
	for _, model := range models {
		if attributes == nil {
			break
		}
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

// Language is a language installed (active) in Odoo: a res.lang record.
type Language struct {
	Code    string // fr_FR, as the lang of an Odoo context
	ISOCode string // fr
	URLCode string // fr
}

// Languages returns the languages installed in Odoo (res.lang records that
// are active), sorted by code, cached per database like the other metadata.
// They are read by the service account (SetService), else by s.
func (m *Meta) Languages(ctx context.Context, s *odoo.Session) ([]Language, error) {
	v, err := m.get(ctx, "langs|"+s.Client().DB(), func(ctx context.Context) (any, error) {
		reader := bare(s)
		if m.service != nil {
			svc, err := m.service(ctx)
			if err != nil {
				return nil, err
			}
			reader = svc
		}
		rows, err := reader.SearchRead(ctx, "res.lang", []any{[]any{"active", "=", true}},
			[]string{"code", "iso_code", "url_code"}, odoo.SearchOptions{Order: "code"})
		if err != nil {
			return nil, err
		}
		out := make([]Language, 0, len(rows))
		for _, r := range rows {
			code, _ := odoo.AsString(r["code"])
			iso, _ := odoo.AsString(r["iso_code"])
			url, _ := odoo.AsString(r["url_code"])
			if code != "" {
				out = append(out, Language{Code: code, ISOCode: iso, URLCode: url})
			}
		}
		slices.SortFunc(out, func(a, b Language) int { return strings.Compare(a.Code, b.Code) })
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]Language), nil
}

// userScope identifies a user of a database, whatever the Odoo context.
func userScope(s *odoo.Session) string {
	return s.Client().DB() + "|" + strconv.Itoa(s.UID) + "|"
}

// bare returns s without its Odoo context: what a user may do does not
// depend on it, and an allowed_company_ids the user may not have must not
// fail the lookup.
func bare(s *odoo.Session) *odoo.Session {
	if len(s.Context) == 0 {
		return s
	}
	cp := *s
	cp.Context = nil
	return &cp
}

// ForgetReadable starts a new generation of the per-user lists of readable
// fields (Readable): after a schema reload, a field added to or removed from
// Odoo is seen at once, not after the metadata TTL. The old entries age out.
func (m *Meta) ForgetReadable() { m.fieldsGen.Add(1) }

// CatalogueStore is where Catalogue shares catalogues between the replicas
// of a gateway (Redis): encoded values under keys, with a TTL. Get misses
// when the store is away.
type CatalogueStore interface {
	Get(ctx context.Context, key string) ([]byte, bool)
	Set(ctx context.Context, key string, val []byte, ttl time.Duration)
}

// SetCatalogueStore shares the catalogues Catalogue reads through s. Call it
// before the first Catalogue.
func (m *Meta) SetCatalogueStore(s CatalogueStore) { m.catalogues = s }

// CatalogueSource says where Catalogue found a catalogue.
type CatalogueSource string

// Where a catalogue came from.
const (
	FromCache  CatalogueSource = "cache"  // this gateway's metadata cache
	FromShared CatalogueSource = "shared" // the shared store: another replica read it
	FromOdoo   CatalogueSource = "odoo"   // read now
)

// catalogueEntry is a cached catalogue and when it was read from Odoo.
type catalogueEntry struct {
	At   time.Time      `json:"at"`
	Meta *odoo.Metadata `json:"metadata"`
}

// Catalogue returns the catalogue under key (the models and fields of a
// whole Odoo, odoo.Session.Catalogue) read at most maxAge ago: from this
// cache, else from the shared store (SetCatalogueStore), else read now with
// read and then kept in both. maxAge 0 always reads. The caller serializes
// its reads (the gateway rebuilds its schema one at a time). A shared copy
// that cannot be decoded is ignored (and logged).
func (m *Meta) Catalogue(ctx context.Context, key string, maxAge time.Duration, read func(context.Context) (*odoo.Metadata, error)) (*odoo.Metadata, CatalogueSource, error) {
	key = "catalogue|" + key
	if maxAge > 0 {
		if v, ok := m.cache.Get(key); ok {
			if e := v.(catalogueEntry); time.Since(e.At) <= maxAge {
				return e.Meta, FromCache, nil
			}
		}
		if m.catalogues != nil {
			if raw, ok := m.catalogues.Get(ctx, key); ok {
				e, err := decodeCatalogue(raw)
				switch {
				case err != nil:
					m.log.Warn("shared catalogue unreadable; reading Odoo's", "key", key, "err", err)
				case time.Since(e.At) <= maxAge:
					m.cache.Set(key, e, int64(len(raw))*8, 24*time.Hour+m.ttl)
					return e.Meta, FromShared, nil
				}
			}
		}
	}
	meta, err := read(ctx)
	if err != nil {
		return nil, FromOdoo, err
	}
	e := catalogueEntry{At: time.Now(), Meta: meta}
	raw, err := encodeCatalogue(e)
	if err != nil {
		return nil, FromOdoo, err
	}
	m.cache.Set(key, e, int64(len(raw))*8, 24*time.Hour+m.ttl)
	if m.catalogues != nil {
		m.catalogues.Set(ctx, key, raw, 24*time.Hour+m.ttl)
	}
	return meta, FromOdoo, nil
}

// encodeCatalogue is gzipped JSON (450 models: 2.6 MB of JSON, about 250 KB).
func encodeCatalogue(e catalogueEntry) ([]byte, error) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if err := json.NewEncoder(zw).Encode(e); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func decodeCatalogue(raw []byte) (catalogueEntry, error) {
	var e catalogueEntry
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return e, err
	}
	if err := json.NewDecoder(zr).Decode(&e); err != nil {
		return e, err
	}
	if e.Meta == nil {
		return e, errors.New("loaders: shared catalogue without metadata")
	}
	e.Meta.Sort()
	return e, nil
}

// Logins caches successful logins across requests, keyed by a hash of the
// database, login and password (never the secret itself). Failed logins are
// never cached.
type Logins struct {
	client *odoo.Client
	cache  *Cache
	ttl    time.Duration
	group  singleflight.Group
	missed func(key string) // test hook: a caller found no entry, before it joins a flight
}

// NewLogins returns a login cache with ttl.
func NewLogins(client *odoo.Client, cache *Cache, ttl time.Duration) *Logins {
	return &Logins{client: client, cache: cache, ttl: ttl}
}

// Companies returns the companies the session's user may work in (res.users
// company_ids, read by the user, without the request's Odoo context),
// cached per user for the login TTL, as logins are. Failures are never
// cached.
func (l *Logins) Companies(ctx context.Context, s *odoo.Session) ([]int, error) {
	v, err := l.once("companies|"+userScope(s), func() (any, int64, error) {
		users, err := bare(s).Read(ctx, "res.users", []int{s.UID}, []string{"company_ids"})
		if err != nil {
			return nil, 0, err
		}
		if len(users) != 1 {
			return nil, 0, fmt.Errorf("loaders: res.users %d: %d records read", s.UID, len(users))
		}
		ids := odoo.IDs(users[0]["company_ids"])
		return ids, 64 + 8*int64(len(ids)), nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]int), nil
}

// Authenticate returns the uid of login, from the cache or from Odoo.
func (l *Logins) Authenticate(ctx context.Context, login, password string) (int, error) {
	v, err := l.once(l.key(login, password), func() (any, int64, error) {
		uid, err := l.client.Authenticate(ctx, login, password)
		return uid, 128, err
	})
	if err != nil {
		return 0, err
	}
	return v.(int), nil
}

// once returns the entry under key: from the cache, or else made by call,
// once for all the callers that miss together, and cached (with call's
// size estimate) for the login TTL unless call fails.
func (l *Logins) once(key string, call func() (v any, size int64, err error)) (any, error) {
	if v, ok := l.cache.Get(key); ok {
		return v, nil
	}
	if l.missed != nil {
		l.missed(key)
	}
	v, err, _ := l.group.Do(key, func() (any, error) {
		// A flight that ended since our miss may have stored the entry:
		// calling Odoo again would cost a second call.
		if v, ok := l.cache.Peek(key); ok {
			return v, nil
		}
		v, size, err := call()
		if err != nil {
			return nil, err
		}
		l.cache.Set(key, v, size, l.ttl)
		return v, nil
	})
	return v, err
}

// Remember caches uid as the login of login and password, found by a call
// made outside Authenticate (the JSON-2 probe of the gateway's transport
// choice), so that Authenticate does not make it again.
func (l *Logins) Remember(login, password string, uid int) {
	l.cache.Set(l.key(login, password), uid, 128, l.ttl)
}

// key is the cache key of a login: a hash of the database and the
// credentials. Over JSON-2 the login is left out: the API key alone is the
// identity, and Odoo does not check the login.
func (l *Logins) key(login, password string) string {
	if l.client.Transport() == odoo.TransportJSON2 {
		login = ""
	}
	sum := sha256.Sum256([]byte(l.client.DB() + "\x00" + login + "\x00" + password))
	return "login|" + hex.EncodeToString(sum[:])
}
