package loaders

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/odoogql/odoogql/odoo"
)

// Odoo is what the engine asks of Odoo during a request. Its implementations
// are the request's session, with or without the record cache in front.
type Odoo interface {
	Reader
	SearchRead(ctx context.Context, model string, domain []any, fields []string, opt odoo.SearchOptions) ([]odoo.Record, error)
	SearchCount(ctx context.Context, model string, domain []any) (int, error)
	WebSearchRead(ctx context.Context, model string, domain []any, spec odoo.Spec, opt odoo.SearchOptions) (odoo.WebSearchResult, error)
	WebRead(ctx context.Context, model string, ids []int, spec odoo.Spec) ([]odoo.Record, error)
	ReadGroup(ctx context.Context, model string, domain []any, fields, groupby []string, opt odoo.ReadGroupOptions) ([]odoo.Record, error)
	// FormattedReadGroup is read_group's successor on Odoo 19 and later.
	FormattedReadGroup(ctx context.Context, model string, domain []any, groupby, aggregates []string, opt odoo.ReadGroupOptions) ([]odoo.Record, error)
	CreateMany(ctx context.Context, model string, vals []map[string]any) ([]int, error)
	Write(ctx context.Context, model string, ids []int, vals map[string]any) error
	Unlink(ctx context.Context, model string, ids []int) error
	// CallMethod calls model.method(*args, **kwargs) (a business action
	// such as sale.order.action_confirm) and returns its result. It counts
	// as a write to model.
	CallMethod(ctx context.Context, model, method string, args []any, kwargs map[string]any) (any, error)
}

// RecordCache is the cross-request cache of record values, shared by all
// requests of a gateway. Entries are scoped by database, Odoo user and Odoo
// context (language, companies, ...), so no user is ever served what another
// user read. Writes through the gateway invalidate at once what they touch:
// the written model and every model with a relation to it (whose computed
// fields may depend on it), in cached values and in every cached search
// whose domain or specification involves one of them.
type RecordCache struct {
	cache  *Cache
	shared Shared

	mu         sync.Mutex
	gens       map[string]uint64 // "g|db|model" and "w|db" → generation
	announced  uint64            // bumps announced by the shared store so far
	dependents map[string][]string
	relations  map[string]map[string]string // model → field → related model
}

// NewRecordCache returns a record cache in c for the models of meta (nil:
// every cached search is invalidated by any write).
func NewRecordCache(c *Cache, meta *odoo.Metadata) *RecordCache {
	rc := &RecordCache{cache: c, gens: map[string]uint64{}}
	rc.SetMetadata(meta)
	return rc
}

// SetMetadata replaces the models the cache knows the relations of (a
// gateway whose schema was rebuilt from new metadata).
func (rc *RecordCache) SetMetadata(meta *odoo.Metadata) {
	relations := map[string]map[string]string{}
	var dependents map[string][]string
	if meta != nil {
		dependents = Dependents(meta)
		for _, m := range meta.Models {
			rel := map[string]string{}
			for name, f := range m.Fields {
				if f.Relation != "" {
					rel[name] = f.Relation
				}
			}
			relations[m.Model] = rel
		}
	}
	rc.mu.Lock()
	rc.relations, rc.dependents = relations, dependents
	rc.mu.Unlock()
}

// involved returns the models whose data a cached search on model with
// domain and spec depends on: the model, the models its domain's dotted
// paths go through, and the models of its specification's relations. ok is
// false when a path leaves the known metadata (then any write invalidates).
func (rc *RecordCache) involved(model string, domain []any, spec odoo.Spec) (models []string, ok bool) {
	rc.mu.Lock()
	relations := rc.relations // replaced, never modified, by SetMetadata
	rc.mu.Unlock()
	if relations[model] == nil {
		return nil, false
	}
	set := map[string]bool{model: true}
	ok = true
	var walkSpec func(m string, s odoo.Spec)
	walkSpec = func(m string, s odoo.Spec) {
		for name, sf := range s {
			target, isRel := relations[m][name]
			if !isRel {
				continue
			}
			if relations[target] == nil && len(sf.Fields) == 0 {
				continue // a pair or ids of a model no write can touch
			}
			if relations[target] == nil {
				if len(sf.Fields) > 0 {
					ok = false
				}
				continue
			}
			set[target] = true
			walkSpec(target, sf.Fields)
		}
	}
	walkSpec(model, spec)
	var walkDomain func(m string, d []any)
	walkDomain = func(m string, d []any) {
		for _, item := range d {
			leaf, isLeaf := item.([]any)
			if !isLeaf || len(leaf) != 3 {
				continue
			}
			path, _ := leaf[0].(string)
			cur := m
			for _, seg := range strings.Split(path, ".") {
				target, isRel := relations[cur][seg]
				if !isRel {
					break
				}
				if relations[target] == nil {
					ok = false
					break
				}
				set[target] = true
				cur = target
			}
			if sub, isSub := leaf[2].([]any); isSub && (leaf[1] == "any" || leaf[1] == "not any") {
				walkDomain(cur, sub)
			}
		}
	}
	walkDomain(model, domain)
	for m := range set {
		models = append(models, m)
	}
	sort.Strings(models)
	return models, ok
}

// Shared is a second-level store shared by the replicas of a gateway (Redis),
// under the local cache. It holds encoded values and the generation counters
// that writes bump, and tells every replica of every bump, so a write through
// one replica is never served stale by another. Implementations must be safe
// for concurrent use and degrade (misses, no error) when the store is away.
type Shared interface {
	Get(ctx context.Context, key string) ([]byte, bool)
	Set(ctx context.Context, key string, val []byte, ttl time.Duration)
	// Generation returns the shared counter name (0 when absent or the store
	// is away).
	Generation(ctx context.Context, name string) uint64
	// Bump increments the counters and publishes their names to every
	// replica.
	Bump(ctx context.Context, names []string) error
	// Subscribe calls f with the counter names every replica bumps
	// (including this one), until ctx is done.
	Subscribe(ctx context.Context, f func(names []string))
}

// SetShared puts a shared store under the cache. Generations then come from
// it, and bumps published by any replica drop this replica's local entries.
func (rc *RecordCache) SetShared(ctx context.Context, s Shared) {
	rc.mu.Lock()
	rc.shared = s
	rc.mu.Unlock()
	s.Subscribe(ctx, func(names []string) {
		// Local entries are keyed by generation: dropping the locally known
		// generations makes the next lookups ask the shared store again.
		rc.mu.Lock()
		for _, n := range names {
			delete(rc.gens, n)
		}
		rc.announced++
		rc.mu.Unlock()
	})
}

// Cache returns the underlying bounded cache (for statistics).
func (rc *RecordCache) Cache() *Cache { return rc.cache }

// Invalidate drops what a write to model touched; with a shared store, on
// every replica.
func (rc *RecordCache) Invalidate(db, model string) {
	names := []string{"w|" + db, "g|" + db + "|" + model}
	rc.mu.Lock()
	deps := rc.dependents[model]
	rc.mu.Unlock()
	for _, dep := range deps {
		names = append(names, "g|"+db+"|"+dep)
	}
	rc.mu.Lock()
	shared := rc.shared
	if shared == nil {
		for _, n := range names {
			rc.gens[n]++
		}
		rc.mu.Unlock()
		return
	}
	rc.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := shared.Bump(ctx, names)
	// Forget the local view of these counters: the next lookup reads the
	// shared ones, which the bump moved on.
	rc.mu.Lock()
	for _, n := range names {
		delete(rc.gens, n)
	}
	rc.mu.Unlock()
	if err != nil {
		// The shared store is away: no replica can learn of this write from
		// it, so at least this one drops everything it holds.
		rc.cache.Flush()
	}
}

// counter returns a generation: the local one, or the shared one when there
// is a shared store (remembered until a bump is announced).
func (rc *RecordCache) counter(ctx context.Context, name string) uint64 {
	rc.mu.Lock()
	v, ok := rc.gens[name]
	shared := rc.shared
	epoch := rc.announced
	rc.mu.Unlock()
	if ok || shared == nil {
		return v
	}
	v = shared.Generation(ctx, name)
	rc.mu.Lock()
	// Remember it only if no bump was announced meanwhile: the value read
	// may predate it.
	if rc.announced == epoch {
		if cur, ok := rc.gens[name]; !ok || cur < v {
			rc.gens[name] = v
		} else {
			v = cur
		}
	}
	rc.mu.Unlock()
	return v
}

func (rc *RecordCache) gen(ctx context.Context, db, model string) uint64 {
	return rc.counter(ctx, "g|"+db+"|"+model)
}

func (rc *RecordCache) writeGen(ctx context.Context, db string) uint64 {
	return rc.counter(ctx, "w|"+db)
}

// Dependents computes, from metadata, the models whose relational fields
// point at each model.
func Dependents(meta *odoo.Metadata) map[string][]string {
	out := map[string][]string{}
	for _, m := range meta.Models {
		seen := map[string]bool{}
		for _, f := range m.Fields {
			if f.Relation != "" && f.Relation != m.Model && !seen[f.Relation] {
				seen[f.Relation] = true
				out[f.Relation] = append(out[f.Relation], m.Model)
			}
		}
	}
	for k := range out {
		sort.Strings(out[k])
	}
	return out
}

// scope identifies whose view of the data a session has: database, user and
// Odoo context.
func scope(s *odoo.Session) string {
	ctx := ""
	if len(s.Context) > 0 {
		b, _ := json.Marshal(s.Context) // map keys are sorted
		sum := sha256.Sum256(b)
		ctx = hex.EncodeToString(sum[:8])
	}
	return s.Client().DB() + "|" + strconv.Itoa(s.UID) + "|" + ctx
}

// plainOdoo is the session itself; its writes still invalidate the cache.
type plainOdoo struct {
	*odoo.Session
	rc *RecordCache
}

func (p plainOdoo) CreateMany(ctx context.Context, model string, vals []map[string]any) ([]int, error) {
	ids, err := p.Session.CreateMany(ctx, model, vals)
	p.invalidate(model, vals...)
	return ids, err
}

func (p plainOdoo) Write(ctx context.Context, model string, ids []int, vals map[string]any) error {
	err := p.Session.Write(ctx, model, ids, vals)
	p.invalidate(model, vals)
	return err
}

func (p plainOdoo) Unlink(ctx context.Context, model string, ids []int) error {
	err := p.Session.Unlink(ctx, model, ids)
	p.invalidate(model)
	return err
}

func (p plainOdoo) CallMethod(ctx context.Context, model, method string, args []any, kwargs map[string]any) (any, error) {
	v, err := p.Session.ExecuteKW(ctx, model, method, args, kwargs)
	p.invalidate(model)
	return v, err
}

// invalidate runs after a write whether it failed or not: a write that
// failed in transport may still have reached Odoo. The models whose
// records the written values create, update or delete through x2many
// commands (0, 1, 2: an order's lines, their taxes) are written too.
func (p plainOdoo) invalidate(model string, vals ...map[string]any) {
	if p.rc == nil {
		return
	}
	db := p.Client().DB()
	p.rc.Invalidate(db, model)
	nested := map[string]bool{}
	for _, v := range vals {
		p.rc.nestedModels(model, v, nested)
	}
	delete(nested, model)
	for _, m := range slices.Sorted(maps.Keys(nested)) {
		p.rc.Invalidate(db, m)
	}
}

// nestedModels adds to into the models whose records vals (of model)
// create, update or delete with x2many commands, at any depth.
func (rc *RecordCache) nestedModels(model string, vals map[string]any, into map[string]bool) {
	rc.mu.Lock()
	rel := rc.relations[model]
	rc.mu.Unlock()
	for name, v := range vals {
		cmds, ok := v.([]any)
		if !ok || rel[name] == "" {
			continue
		}
		for _, c := range cmds {
			cmd, _ := c.([]any)
			if len(cmd) == 0 {
				continue
			}
			switch code, _ := cmd[0].(int); code {
			case 0, 1, 2:
				into[rel[name]] = true
				if len(cmd) > 2 {
					if nv, ok := cmd[2].(map[string]any); ok {
						rc.nestedModels(rel[name], nv, into)
					}
				}
			}
		}
	}
}

// cachedOdoo answers reads from the record cache where it can.
type cachedOdoo struct {
	plainOdoo
	ttl   time.Duration
	scope string
	l     *Loaders
}

// get returns the value under key from the local cache or, failing that,
// from the shared store (decoded into a T and kept locally).
func get[T any](ctx context.Context, c cachedOdoo, key string) (T, bool) {
	if v, ok := c.rc.cache.Get(key); ok {
		c.l.cacheHits.Add(1)
		return v.(T), true
	}
	var zero T
	if c.rc.shared == nil {
		return zero, false
	}
	raw, ok := c.rc.shared.Get(ctx, key)
	if !ok {
		return zero, false
	}
	v, err := decodeShared[T](raw)
	if err != nil {
		return zero, false
	}
	c.l.cacheHits.Add(1)
	c.rc.cache.Set(key, v, int64(len(raw))+64, c.ttl)
	return v, true
}

// set stores v under key locally and in the shared store, encoded so that
// decodeShared gives back the same Go types (a whole float stays a float64:
// odoo.MarshalJSON writes it 100.0).
func set(ctx context.Context, c cachedOdoo, key string, v any, size int64) {
	c.rc.cache.Set(key, v, size, c.ttl)
	if c.rc.shared != nil {
		if raw, err := odoo.MarshalJSON(v); err == nil {
			c.rc.shared.Set(ctx, key, raw, c.ttl)
		}
	}
}

// key is the cache key of a search-like call: its kind, the caller's scope,
// the generations of the models its answer depends on (any write to one of
// them changes the key), and a hash of its arguments.
func (c cachedOdoo) key(ctx context.Context, kind, model string, domain []any, spec odoo.Spec, parts ...any) string {
	db := c.Client().DB()
	var gens strings.Builder
	if models, ok := c.rc.involved(model, domain, spec); ok {
		for _, m := range models {
			gens.WriteString(m + "@" + strconv.FormatUint(c.rc.gen(ctx, db, m), 10) + ",")
		}
	} else {
		gens.WriteString("w" + strconv.FormatUint(c.rc.writeGen(ctx, db), 10))
	}
	b, _ := json.Marshal(append([]any{domain, spec}, parts...))
	sum := sha256.Sum256(b)
	return kind + "|" + c.scope + "|" + model + "|" + gens.String() + "|" + hex.EncodeToString(sum[:16])
}

func (c cachedOdoo) SearchRead(ctx context.Context, model string, domain []any, fields []string, opt odoo.SearchOptions) ([]odoo.Record, error) {
	// Many2one values carry the related record's display name: the
	// related models are involved too.
	k := c.key(ctx, "search_read", model, domain, fieldsSpec(fields), fields, opt)
	if v, ok := get[[]odoo.Record](ctx, c, k); ok {
		return v, nil
	}
	recs, err := c.Session.SearchRead(ctx, model, domain, fields, opt)
	if err == nil {
		set(ctx, c, k, recs, SizeOf(recs))
	}
	return recs, err
}

func (c cachedOdoo) SearchCount(ctx context.Context, model string, domain []any) (int, error) {
	k := c.key(ctx, "search_count", model, domain, nil)
	if v, ok := get[int](ctx, c, k); ok {
		return v, nil
	}
	n, err := c.Session.SearchCount(ctx, model, domain)
	if err == nil {
		set(ctx, c, k, n, 64)
	}
	return n, err
}

func (c cachedOdoo) WebSearchRead(ctx context.Context, model string, domain []any, spec odoo.Spec, opt odoo.SearchOptions) (odoo.WebSearchResult, error) {
	k := c.key(ctx, "web_search_read", model, domain, spec, opt)
	if v, ok := get[odoo.WebSearchResult](ctx, c, k); ok {
		return v, nil
	}
	res, err := c.Session.WebSearchRead(ctx, model, domain, spec, opt)
	if err == nil {
		set(ctx, c, k, res, SizeOf(res.Records))
	}
	return res, err
}

func (c cachedOdoo) WebRead(ctx context.Context, model string, ids []int, spec odoo.Spec) ([]odoo.Record, error) {
	k := c.key(ctx, "web_read", model, nil, spec, ids)
	if v, ok := get[[]odoo.Record](ctx, c, k); ok {
		return v, nil
	}
	recs, err := c.Session.WebRead(ctx, model, ids, spec)
	if err == nil {
		set(ctx, c, k, recs, SizeOf(recs))
	}
	return recs, err
}

// ReadGroup is cached like a search: any write to the model (or to a model
// its group keys point at) changes the key.
func (c cachedOdoo) ReadGroup(ctx context.Context, model string, domain []any, fields, groupby []string, opt odoo.ReadGroupOptions) ([]odoo.Record, error) {
	k := c.key(ctx, "read_group", model, domain, fieldsSpec(groupby), fields, groupby, opt)
	if v, ok := get[[]odoo.Record](ctx, c, k); ok {
		return v, nil
	}
	rows, err := c.Session.ReadGroup(ctx, model, domain, fields, groupby, opt)
	if err == nil {
		set(ctx, c, k, rows, SizeOf(rows))
	}
	return rows, err
}

// FormattedReadGroup is cached as ReadGroup is.
func (c cachedOdoo) FormattedReadGroup(ctx context.Context, model string, domain []any, groupby, aggregates []string, opt odoo.ReadGroupOptions) ([]odoo.Record, error) {
	k := c.key(ctx, "formatted_read_group", model, domain, fieldsSpec(groupby), groupby, aggregates, opt)
	if v, ok := get[[]odoo.Record](ctx, c, k); ok {
		return v, nil
	}
	rows, err := c.Session.FormattedReadGroup(ctx, model, domain, groupby, aggregates, opt)
	if err == nil {
		set(ctx, c, k, rows, SizeOf(rows))
	}
	return rows, err
}

// fieldsSpec is a read's field list as a specification, for involved.
func fieldsSpec(fields []string) odoo.Spec {
	s := make(odoo.Spec, len(fields))
	for _, f := range fields {
		s[f] = odoo.SpecField{}
	}
	return s
}

// cellKey is the key of one (record, field) value. Records Odoo does not
// return are never stored, so they are asked for again next time.
func (c cachedOdoo) cellKey(model string, gen uint64, id int, field string) string {
	return "cell|" + c.scope + "|" + model + "@" + strconv.FormatUint(gen, 10) + "|" + strconv.Itoa(id) + "|" + field
}

// Read serves each (record, field) pair from the cache and fetches only the
// missing ones, in one read: the records missing any field, with the union
// of the missing fields.
func (c cachedOdoo) Read(ctx context.Context, model string, ids []int, fields []string) ([]odoo.Record, error) {
	gen := c.rc.gen(ctx, c.Client().DB(), model)
	out := make(map[int]odoo.Record, len(ids))
	var missIDs []int
	missFields := map[string]bool{}
	for _, id := range ids {
		rec := odoo.Record{"id": id}
		complete := true
		for _, f := range fields {
			if f == "id" {
				continue
			}
			if v, ok := get[any](ctx, c, c.cellKey(model, gen, id, f)); ok {
				rec[f] = v
				continue
			}
			complete = false
			missFields[f] = true
		}
		out[id] = rec
		if !complete {
			missIDs = append(missIDs, id)
		}
	}
	if len(missIDs) > 0 {
		fs := make([]string, 0, len(missFields)+1)
		for f := range missFields {
			fs = append(fs, f)
		}
		sort.Strings(fs)
		recs, err := c.Session.Read(ctx, model, missIDs, fs)
		if err != nil {
			return nil, err
		}
		got := make(map[int]bool, len(recs))
		for _, r := range recs {
			id, ok := r.ID()
			if !ok {
				continue
			}
			got[id] = true
			for _, f := range fs {
				v := r[f]
				out[id][f] = v
				set(ctx, c, c.cellKey(model, gen, id, f), v, 64+SizeOf(v))
			}
		}
		for _, id := range missIDs {
			if !got[id] {
				delete(out, id) // deleted or not visible
			}
		}
	}
	recs := make([]odoo.Record, 0, len(out))
	for _, id := range ids {
		if r, ok := out[id]; ok {
			recs = append(recs, r)
		}
	}
	return recs, nil
}

type ttlKey struct{}

// WithCacheTTL returns ctx asking for the record cache with ttl (0: none).
func WithCacheTTL(ctx context.Context, ttl time.Duration) context.Context {
	return context.WithValue(ctx, ttlKey{}, ttl)
}

func cacheTTL(ctx context.Context) time.Duration {
	d, _ := ctx.Value(ttlKey{}).(time.Duration)
	return d
}

// Odoo returns the request's access to Odoo: through the record cache when
// ctx asks for it (WithCacheTTL) and the gateway has one, else the session.
func (l *Loaders) Odoo(ctx context.Context) Odoo {
	s := l.Session()
	p := plainOdoo{Session: s, rc: l.rc}
	if ttl := cacheTTL(ctx); ttl > 0 && l.rc != nil {
		return cachedOdoo{plainOdoo: p, ttl: ttl, scope: scope(s), l: l}
	}
	return p
}

// decodeShared decodes a value of the shared store (written by set) into the
// shapes the Odoo client decodes: numbers written as integers become ints,
// numbers with a fraction or an exponent float64 (so a value read from Redis
// has the Go types it had when read from Odoo), objects odoo.Records.
func decodeShared[T any](raw []byte) (T, error) {
	var out T
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return out, err
	}
	v := odoo.NormalizeJSON(generic, odoo.JSONOptions{Records: true})
	switch p := any(&out).(type) {
	case *any:
		*p = v
	case *int:
		n, ok := odoo.AsInt(v)
		if !ok {
			return out, fmt.Errorf("loaders: shared value is not an int")
		}
		*p = n
	case *[]odoo.Record:
		list, _ := v.([]any)
		*p = make([]odoo.Record, 0, len(list))
		for _, it := range list {
			r, _ := it.(odoo.Record)
			*p = append(*p, r)
		}
	case *odoo.WebSearchResult:
		m, _ := v.(odoo.Record)
		p.Length, _ = odoo.AsInt(m["Length"])
		list, _ := m["Records"].([]any)
		for _, it := range list {
			r, _ := it.(odoo.Record)
			p.Records = append(p.Records, r)
		}
	default:
		return out, fmt.Errorf("loaders: cannot decode a shared %T", out)
	}
	return out, nil
}
