package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/secrets"
	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
)

// schemaState is one version of what the gateway serves: the metadata the
// schema was built from, the schema, the engine over it and the GraphQL
// handler (with its own parsed-query and APQ caches). A reload builds a new
// one and swaps it in atomically; requests hold the one they started with.
type schemaState struct {
	version int64
	meta    *odoo.Metadata // the metadata the schema was built from
	live    *liveSchema    // nil in compiled mode
	exposed map[string]map[string]bool
	models  []string // the models of meta (warmed, drift-checked)
	engine  *engine.Engine
	handler http.Handler
}

// buildState builds the schema of meta (live or compiled), its engine and
// its handler.
func (g *Gateway) buildState(meta *odoo.Metadata) (*schemaState, error) {
	st := &schemaState{meta: meta}
	if g.compiled != nil {
		st.exposed = g.compiled.ExposedFields()
	} else {
		ls, err := newLiveSchema(meta, g.rules)
		if err != nil {
			return nil, err
		}
		st.live, st.exposed = ls, ls.exposed
	}
	for _, m := range meta.Models {
		st.models = append(st.models, m.Model)
	}
	// The engine sees only what the schema exposes, so a raw domain cannot
	// name (or probe for) a field the schema leaves out.
	st.engine = engine.New(engine.Exposed(meta, st.exposed), engine.Options{
		Strategy:    g.cfg.Strategy,
		ServerMajor: g.meta.Major,
		Readable: func(ctx context.Context, model string) (map[string]bool, error) {
			l := loaders.For(ctx)
			if l == nil {
				return nil, errors.New("no loaders")
			}
			return g.meta.Readable(ctx, l.Session(), model)
		},
		DefaultLimit: g.cfg.DefaultLimit,
		MaxLimit:     g.cfg.MaxLimit,
		Logger:       g.log,
	})
	es, err := g.executable(st)
	if err != nil {
		return nil, err
	}
	st.handler = g.graphQLHandler(es, st)
	return st, nil
}

// swap makes st the schema served to new requests.
func (g *Gateway) swap(st *schemaState) {
	// The record cache invalidates along relations a client can read, not
	// along Odoo's technical ones (chatter followers point every model at
	// res.partner).
	g.records.SetMetadata(exposedOnly(st.meta, st.exposed))
	g.state.Store(st)
}

// SchemaVersion is the version of the schema served now: 1 for the first,
// one more for each reload that changed it; 0 before the first is loaded.
func (g *Gateway) SchemaVersion() int64 {
	if st := g.state.Load(); st != nil {
		return st.version
	}
	return 0
}

// reloader coalesces rebuilds: one at a time, and a request made while one
// runs is served by the next, which every request waiting by then shares.
type reloader struct {
	mu         sync.Mutex
	requests   int64 // rebuild requests so far (under reqMu)
	reqMu      sync.Mutex
	doneAny    int64 // requests covered by the last rebuild
	doneForced int64 // requests covered by the last rebuild that read Odoo
	lastErr    error

	driftMu   sync.Mutex
	driftSeen map[string]int64 // drift errors that started a rebuild, with the schema version they were seen on
}

func (r *reloader) ticket() int64 {
	r.reqMu.Lock()
	defer r.reqMu.Unlock()
	r.requests++
	return r.requests
}

func (r *reloader) issued() int64 {
	r.reqMu.Lock()
	defer r.reqMu.Unlock()
	return r.requests
}

// Reload rebuilds the schema now from fresh metadata (SIGHUP calls it): in
// live mode without a snapshot, it reads the connected Odoo's catalogue,
// builds the schema and, if it differs, swaps it in atomically (requests in
// flight finish on the old one) and logs one line listing the models and
// fields added, removed and retyped. A failed rebuild keeps the old schema.
// With a snapshot (the demo, compiled mode), the schema cannot change: it
// compares the snapshot with Odoo again (Warm's drift check). Concurrent
// calls are coalesced.
func (g *Gateway) Reload(ctx context.Context, reason string) error {
	if g.snap != nil {
		return g.Warm(ctx)
	}
	return g.rebuild(ctx, 0, reason)
}

// rebuild reloads the schema from a catalogue at most maxAge old (0: read
// from Odoo now), one rebuild at a time.
func (g *Gateway) rebuild(ctx context.Context, maxAge time.Duration, reason string) error {
	r := &g.reload
	t := r.ticket()
	r.mu.Lock()
	defer r.mu.Unlock()
	if (maxAge == 0 && r.doneForced >= t) || (maxAge > 0 && r.doneAny >= t) {
		return r.lastErr // a rebuild that started after this request did the work
	}
	covered := r.issued()
	err := g.rebuildNow(ctx, maxAge, reason)
	r.doneAny, r.lastErr = covered, err
	if maxAge == 0 {
		r.doneForced = covered
	}
	return err
}

// catalogueKey names the catalogue of the connected database read with the
// gateway's exposure rules.
func (g *Gateway) catalogueKey() string {
	b, _ := json.Marshal(struct {
		Rules any
		Attrs []string
	}{g.rules, odoo.CatalogueAttributes})
	sum := sha256.Sum256(b)
	return g.cfg.OdooDB + "|" + hex.EncodeToString(sum[:8])
}

// readCatalogue reads the models the exposure rules select, with their
// fields (one ir.model search_read, one fields_get per model, in parallel).
func (g *Gateway) readCatalogue(ctx context.Context, s *odoo.Session) (*odoo.Metadata, error) {
	var skipped []string
	meta, err := s.Catalogue(ctx, odoo.CatalogueOptions{
		Include: func(m odoo.Model) bool {
			if _, denied := secrets.Model(m.Model); denied {
				return false
			}
			return g.rules.SelectsModel(m.Model, m.Transient)
		},
		OnSkip: func(model string, err error) { skipped = append(skipped, model) },
	})
	if err != nil {
		return nil, err
	}
	if len(skipped) > 0 {
		g.log.Warn("catalogue: models Odoo refused to describe are left out", slog.Int("count", len(skipped)), slog.String("models", strings.Join(skipped, ", ")))
	}
	return meta, nil
}

func (g *Gateway) rebuildNow(ctx context.Context, maxAge time.Duration, reason string) error {
	start := time.Now()
	s, err := g.session(ctx)
	if err != nil {
		g.log.Warn("schema reload failed; keeping the schema served", slog.String("reason", reason), slog.Any("err", err))
		return err
	}
	cat, from, err := g.meta.Catalogue(ctx, g.catalogueKey(), maxAge, func(ctx context.Context) (*odoo.Metadata, error) {
		return g.readCatalogue(ctx, s)
	})
	if err == nil && len(cat.Models) == 0 {
		err = errors.New("the catalogue selects no model (ODOOGQL_MODELS, ODOOGQL_CONFIG?)")
	}
	var st *schemaState
	if err == nil {
		st, err = g.buildState(cat)
	}
	if err != nil {
		g.log.Error("schema reload failed; keeping the schema served", slog.String("reason", reason), slog.Any("err", err))
		return fmt.Errorf("schema reload: %w", err)
	}
	old := g.state.Load()
	var oldWarnings []string
	if old != nil {
		oldWarnings = old.live.warnings
	}
	for _, w := range st.live.warnings {
		if !slices.Contains(oldWarnings, w) {
			g.log.Info("schema: " + w)
		}
	}
	if old == nil {
		st.version = 1
		g.swap(st)
		g.log.Info("schema loaded", slog.String("reason", reason), slog.Int64("version", 1),
			slog.Int("models", len(st.live.models)), slog.Int("fields", countFields(st.exposed)),
			slog.String("catalogue", string(from)), slog.Duration("took", time.Since(start)))
		return nil
	}
	d := diffSchemas(old, st)
	if d.empty() && old.live.sdl == st.live.sdl {
		g.log.Info("schema reloaded: no change", slog.String("reason", reason), slog.Int64("version", old.version),
			slog.String("catalogue", string(from)), slog.Duration("took", time.Since(start)))
		return nil
	}
	st.version = old.version + 1
	g.meta.ForgetReadable() // a user's readable fields include the new ones
	g.swap(st)
	attrs := []any{slog.String("reason", reason), slog.Int64("version", st.version),
		slog.Int("models", len(st.live.models)), slog.Int("fields", countFields(st.exposed))}
	for _, part := range []struct {
		name string
		list []string
	}{{"models_added", d.modelsAdded}, {"models_removed", d.modelsRemoved}, {"fields_added", d.fieldsAdded},
		{"fields_removed", d.fieldsRemoved}, {"fields_retyped", d.fieldsRetyped}} {
		attrs = append(attrs, slog.String(part.name, strings.Join(part.list, ", ")))
	}
	attrs = append(attrs, slog.String("catalogue", string(from)), slog.Duration("took", time.Since(start)))
	g.log.Info("schema reloaded", attrs...)
	return nil
}

func countFields(exposed map[string]map[string]bool) int {
	n := 0
	for _, f := range exposed {
		n += len(f)
	}
	return n
}

// schemaDiff is how a rebuilt schema differs from the one served: models and
// fields (model.field) added and removed, fields whose Odoo type or
// relation changed (model.field: char -> integer).
type schemaDiff struct {
	modelsAdded, modelsRemoved                []string
	fieldsAdded, fieldsRemoved, fieldsRetyped []string
}

func (d schemaDiff) empty() bool {
	return len(d.modelsAdded)+len(d.modelsRemoved)+len(d.fieldsAdded)+len(d.fieldsRemoved)+len(d.fieldsRetyped) == 0
}

// diffSchemas compares the exposed models and fields of two states.
func diffSchemas(old, cur *schemaState) schemaDiff {
	var d schemaDiff
	typeOf := func(st *schemaState, model, field string) string {
		m, ok := st.meta.Model(model)
		if !ok {
			return ""
		}
		f := m.Fields[field]
		if f.Relation != "" {
			return f.Type + " " + f.Relation
		}
		return f.Type
	}
	for model, fields := range cur.exposed {
		was, ok := old.exposed[model]
		if !ok {
			d.modelsAdded = append(d.modelsAdded, model)
			continue
		}
		for f := range fields {
			switch {
			case !was[f]:
				d.fieldsAdded = append(d.fieldsAdded, model+"."+f)
			case typeOf(old, model, f) != typeOf(cur, model, f):
				d.fieldsRetyped = append(d.fieldsRetyped, model+"."+f+": "+typeOf(old, model, f)+" -> "+typeOf(cur, model, f))
			}
		}
		for f := range was {
			if !fields[f] {
				d.fieldsRemoved = append(d.fieldsRemoved, model+"."+f)
			}
		}
	}
	for model := range old.exposed {
		if _, ok := cur.exposed[model]; !ok {
			d.modelsRemoved = append(d.modelsRemoved, model)
		}
	}
	for _, l := range [][]string{d.modelsAdded, d.modelsRemoved, d.fieldsAdded, d.fieldsRemoved, d.fieldsRetyped} {
		sort.Strings(l)
	}
	return d
}

// noticeDrift starts a rebuild, in the background, when err says a query
// met a part of the schema the connected Odoo does not have (any more): the
// engine's ODOO_SCHEMA_DRIFT, or Odoo refusing a field it does not know.
// Each distinct error starts at most one rebuild per schema version.
func (g *Gateway) noticeDrift(st *schemaState, err error) {
	if g.snap != nil || err == nil {
		return
	}
	key := driftKey(err)
	if key == "" {
		return
	}
	r := &g.reload
	r.driftMu.Lock()
	if v, seen := r.driftSeen[key]; seen && v >= st.version {
		r.driftMu.Unlock()
		return
	}
	if r.driftSeen == nil {
		r.driftSeen = map[string]int64{}
	}
	r.driftSeen[key] = st.version
	r.driftMu.Unlock()
	if g.ctx.Err() != nil {
		return
	}
	g.bg.Add(1)
	go func() {
		defer g.bg.Done()
		ctx, cancel := context.WithTimeout(g.ctx, 2*time.Minute)
		defer cancel()
		_ = g.rebuild(ctx, 0, "drift: "+key) // logged
	}()
}

// driftKey returns what identifies a drift error, "" for any other error.
func driftKey(err error) string {
	var e *engine.Error
	if errors.As(err, &e) && e.Code == engine.CodeSchemaDrift {
		return e.Message
	}
	var f *odoo.Fault
	if errors.As(err, &f) && f.Kind == odoo.KindValidation && strings.Contains(f.Message, "Invalid field") {
		return f.Message
	}
	return ""
}
