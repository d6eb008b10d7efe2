package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/redisstore/redistest"
	"github.com/odoogql/odoogql/internal/schemagen"
	"github.com/odoogql/odoogql/internal/secrets"
	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/odoo"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// Live mode in front of a real Odoo: the gateway is given no snapshot and
// reads the connected Odoo's catalogue (server.New with nil metadata, as Run
// does when ODOO_URL is set), and rebuilds its schema without a restart.

// liveConfig is the configuration of a catalogue-mode gateway in front of
// the Odoo at url (the test server, or a proxy in front of it), logging in
// JSON to logs.
func liveConfig(url string, edit func(*server.Config)) server.Config {
	cfg := server.Config{
		OdooURL: url, OdooDB: odootest.DBName, OdooUser: "admin", OdooPassword: "admin",
		DefaultLimit: 100, MaxLimit: 1000, OdooTimeout: 30 * time.Second, MaxConns: 16,
		MetadataTTL: time.Hour, LoginTTL: 5 * time.Minute,
		CacheMaxEntries: 100000, CacheMaxBytes: 256 << 20, AllowAnonymous: true,
		Schema: server.SchemaLive, Strategy: engine.Nested, LogFormat: "json",
	}
	if edit != nil {
		edit(&cfg)
	}
	return cfg
}

// newCatalogueGateway is a gateway in front of url with no snapshot: it
// serves what the Odoo's catalogue holds, once Warm (or Maintain) has read
// it. It does not warm up.
func newCatalogueGateway(t testing.TB, o *odootest.Server, url string, edit func(*server.Config)) *gateway {
	t.Helper()
	var logs syncBuffer
	gw, err := server.New(liveConfig(url, edit), nil, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = gw.Close() })
	hs := httptest.NewServer(gw.Handler())
	t.Cleanup(hs.Close)
	return &gateway{t: t, odoo: o, gw: gw, url: hs.URL, logs: &logs, last: &atomic.Pointer[http.Header]{}}
}

// demoRules restricts a catalogue-mode gateway to the demo's 20 models
// (generate.yml), so its schema is the committed one.
func demoRules(t testing.TB) func(*server.Config) {
	return func(c *server.Config) { c.Exposure = exposure(t) }
}

func warm(t testing.TB, g *gateway) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := g.gw.Warm(ctx); err != nil {
		t.Fatal(err)
	}
}

func reload(t testing.TB, g *gateway) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := g.gw.Reload(ctx, "test"); err != nil {
		t.Fatal(err)
	}
}

// fieldsGetCalls counts the fields_get calls the test server received.
func fieldsGetCalls(o *odootest.Server) int {
	n := 0
	for k, c := range o.CallCounts() {
		if strings.HasSuffix(k, ".fields_get") {
			n += c
		}
	}
	return n
}

// typeFields returns the fields of a type by introspection.
func typeFields(t testing.TB, g *gateway, typ string) map[string]bool {
	t.Helper()
	var got struct {
		Type *struct {
			Fields []struct{ Name string } `json:"fields"`
		} `json:"__type"`
	}
	g.mustDo(`query($n: String!) { __type(name: $n) { fields { name } } }`, map[string]any{"n": typ}, &got)
	out := map[string]bool{}
	if got.Type != nil {
		for _, f := range got.Type.Fields {
			out[f.Name] = true
		}
	}
	return out
}

// logLines returns the JSON log lines whose msg is msg.
func logLines(g *gateway, msg string) []map[string]any {
	var out []map[string]any
	for _, line := range strings.Split(g.logs.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

// TestLiveCatalogueDemo: in front of an Odoo with no snapshot given, the
// gateway reads its catalogue (one ir.model search_read, one fields_get per
// selected model) and, with generate.yml's rules, serves exactly the
// committed schema; before that /graphql answers ODOO_UNAVAILABLE and
// /readyz 503.
func TestLiveCatalogueDemo(t *testing.T) {
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	g := newCatalogueGateway(t, o, o.URL, demoRules(t))
	if errs := g.do(`{ resPartners(limit: 1) { nodes { name } } }`, nil, nil); len(errs) != 1 || errs[0].code() != engine.CodeUnavailable {
		t.Fatalf("before the catalogue is read: %+v, want ODOO_UNAVAILABLE", errs)
	}
	if o.TotalCalls() != 0 {
		t.Fatalf("New called Odoo %d times", o.TotalCalls())
	}
	warm(t, g)
	if got := fieldsGetCalls(o); got != 20 {
		t.Errorf("fields_get calls = %d, want 20 (one per model generate.yml selects)", got)
	}
	if got := o.Calls("ir.model", "search_read"); got != 2 {
		t.Errorf("ir.model search_read = %d, want 2 (the catalogue's list, the access rules' ids)", got)
	}
	var got struct {
		ResPartners struct {
			Nodes []struct{ Name string } `json:"nodes"`
		} `json:"resPartners"`
	}
	g.mustDo(`{ resPartners(limit: 2, orderBy: [{id: ASC}]) { nodes { name } } }`, nil, &got)
	if len(got.ResPartners.Nodes) != 2 || got.ResPartners.Nodes[0].Name == "" {
		t.Errorf("resPartners = %+v", got)
	}
	ls := logLines(g, "schema loaded")
	if len(ls) != 1 || ls[0]["models"] != float64(20) || ls[0]["catalogue"] != "odoo" {
		t.Errorf("schema loaded log lines = %v", ls)
	}
}

// TestLiveOdooDownAtStart: with Odoo down, the gateway starts, /readyz is
// 503 and /graphql answers ODOO_UNAVAILABLE; Maintain retries and the
// gateway becomes ready by itself when Odoo comes back.
func TestLiveOdooDownAtStart(t *testing.T) {
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	o.SetDown(true)
	g := newCatalogueGateway(t, o, o.URL, demoRules(t))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go g.gw.Maintain(ctx)
	status := func() int {
		resp, err := http.Get(g.url + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := status(); s != http.StatusServiceUnavailable {
		t.Fatalf("readyz with Odoo down = %d", s)
	}
	if errs := g.do(`{ resPartners(limit: 1) { nodes { name } } }`, nil, nil); len(errs) != 1 || errs[0].code() != engine.CodeUnavailable {
		t.Fatalf("Odoo down: %+v, want ODOO_UNAVAILABLE", errs)
	}
	// Odoo comes back only once a warm-up attempt has failed (Maintain
	// runs in its own goroutine: on a loaded machine its first attempt may
	// come late).
	deadline := time.Now().Add(30 * time.Second) // hang guard
	for len(logLines(g, "metadata warm-up failed; retrying")) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no failed warm-up logged 30 s after start with Odoo down; logs:\n%s", g.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	o.SetDown(false)
	deadline = time.Now().Add(30 * time.Second)
	for status() != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatalf("not ready 30 s after Odoo came back; logs:\n%s", g.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	g.mustDo(`{ resPartners(limit: 1) { nodes { name } } }`, nil, nil)
}

// TestLiveReloadAddField: a field added in Odoo (an x_ custom field) is not
// in the schema until a reload (what SIGHUP calls), then is queryable with
// no restart; one log line lists it; the parsed-query cache does not serve
// the old schema's answer.
func TestLiveReloadAddField(t *testing.T) {
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	g := newCatalogueGateway(t, o, o.URL, demoRules(t))
	warm(t, g)
	q := `{ resPartners(limit: 3, orderBy: [{id: ASC}]) { nodes { id x_loyalty } } }`
	if errs := g.do(q, nil, nil); len(errs) == 0 || errs[0].code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Fatalf("unknown field: %+v, want a validation error", errs)
	}
	if err := o.AddField("res.partner", odoo.Field{Name: "x_loyalty", Type: "integer", String: "Loyalty"}, map[int]any{1: 7, 3: 9}); err != nil {
		t.Fatal(err)
	}
	if errs := g.do(q, nil, nil); len(errs) == 0 || errs[0].code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Fatalf("before the reload: %+v, want a validation error (the schema is not rebuilt by itself)", errs)
	}
	before := g.gw.SchemaVersion()
	reload(t, g)
	if v := g.gw.SchemaVersion(); v != before+1 {
		t.Errorf("schema version %d after the reload, want %d", v, before+1)
	}
	var got struct {
		ResPartners struct {
			Nodes []struct {
				ID       string `json:"id"`
				XLoyalty *int   `json:"x_loyalty"`
			} `json:"nodes"`
		} `json:"resPartners"`
	}
	g.mustDo(q, nil, &got)
	vals := map[string]int{}
	for _, n := range got.ResPartners.Nodes {
		if n.XLoyalty != nil {
			vals[n.ID] = *n.XLoyalty
		}
	}
	if vals["1"] != 7 || vals["3"] != 9 {
		t.Errorf("x_loyalty = %v, want 1: 7 and 3: 9 (%+v)", vals, got)
	}
	if !typeFields(t, g, "ResPartner")["x_loyalty"] {
		t.Error("introspection lacks x_loyalty")
	}
	ls := logLines(g, "schema reloaded")
	if len(ls) != 1 || ls[0]["fields_added"] != "res.partner.x_loyalty" || ls[0]["fields_removed"] != "" ||
		ls[0]["models_added"] != "" || ls[0]["reason"] != "test" {
		t.Errorf("reload log lines = %v", ls)
	}
	// A second reload with nothing new swaps nothing.
	reload(t, g)
	if v := g.gw.SchemaVersion(); v != before+1 {
		t.Errorf("an unchanged reload moved the version to %d", v)
	}
	if n := len(logLines(g, "schema reloaded: no change")); n != 1 {
		t.Errorf("%d 'no change' lines", n)
	}
}

// TestLiveReloadCoalesced: reloads asked for at once run one at a time and
// share the rebuilds: eight concurrent reloads read the catalogue at most
// twice (the one running, and one for everything asked meanwhile).
func TestLiveReloadCoalesced(t *testing.T) {
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	g := newCatalogueGateway(t, o, o.URL, demoRules(t))
	warm(t, g)
	o.SetLatency(20 * time.Millisecond)
	o.ResetCounters()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); reload(t, g) }()
	}
	wg.Wait()
	if n := o.Calls("ir.model", "search_read"); n < 1 || n > 2 {
		t.Errorf("8 concurrent reloads read the catalogue %d times, want 1 or 2", n)
	}
	if n := fieldsGetCalls(o); n != 20*o.Calls("ir.model", "search_read") {
		t.Errorf("fields_get = %d for %d catalogue reads", n, o.Calls("ir.model", "search_read"))
	}
}

// TestLiveReloadFailureKeepsSchema: a rebuild that fails (Odoo down) keeps
// the schema served, and says so in the log.
func TestLiveReloadFailureKeepsSchema(t *testing.T) {
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	g := newCatalogueGateway(t, o, o.URL, demoRules(t))
	warm(t, g)
	o.SetDown(true)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := g.gw.Reload(ctx, "test"); err == nil {
		t.Fatal("reload with Odoo down: no error")
	}
	o.SetDown(false)
	if v := g.gw.SchemaVersion(); v != 1 {
		t.Errorf("schema version %d", v)
	}
	if !typeFields(t, g, "ResPartner")["name"] {
		t.Error("the schema is gone after a failed reload")
	}
	if n := len(logLines(g, "schema reload failed; keeping the schema served")); n != 1 {
		t.Errorf("%d failure lines; logs:\n%s", n, g.logs.String())
	}
}

// TestLiveReloadInFlight: a request in flight when the schema is swapped
// finishes on the old schema (its answer holds a field the new schema no
// longer has), while new requests see the new one.
func TestLiveReloadInFlight(t *testing.T) {
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	if err := o.AddField("res.partner", odoo.Field{Name: "x_old", Type: "char"}, map[int]any{1: "old one"}); err != nil {
		t.Fatal(err)
	}
	// A proxy that holds the first read naming x_old after the test server
	// answered it.
	var armed atomic.Bool
	held, release := make(chan struct{}), make(chan struct{})
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		o.Handler().ServeHTTP(rec, r)
		if bytes.Contains(body, []byte("x_old")) && armed.CompareAndSwap(true, false) {
			close(held)
			<-release
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(proxy.Close)
	t.Cleanup(func() {
		select {
		case <-release:
		default:
			close(release)
		}
	})
	g := newCatalogueGateway(t, o, proxy.URL, demoRules(t))
	warm(t, g)
	armed.Store(true)
	type answer struct {
		data struct {
			ResPartner *struct {
				XOld *string `json:"x_old"`
			} `json:"resPartner"`
		}
		errs []gqlError
	}
	done := make(chan answer, 1)
	go func() {
		var a answer
		a.errs = g.do(`{ resPartner(id: "1") { x_old } }`, nil, &a.data)
		done <- a
	}()
	select {
	case <-held:
	case <-time.After(30 * time.Second): // hang guard
		t.Fatal("the query never reached Odoo")
	}
	if !o.RemoveField("res.partner", "x_old") {
		t.Fatal("RemoveField")
	}
	reload(t, g)
	if g.gw.SchemaVersion() != 2 {
		t.Fatalf("schema version %d", g.gw.SchemaVersion())
	}
	if errs := g.do(`{ resPartner(id: "1") { x_old } }`, nil, nil); len(errs) == 0 || errs[0].code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("a new request on the new schema: %+v, want a validation error", errs)
	}
	close(release)
	var a answer
	select {
	case a = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the request in flight never finished")
	}
	if len(a.errs) > 0 || a.data.ResPartner == nil || a.data.ResPartner.XOld == nil || *a.data.ResPartner.XOld != "old one" {
		t.Errorf("the request in flight: %+v %+v, want x_old from the old schema", a.data.ResPartner, a.errs)
	}
	ls := logLines(g, "schema reloaded")
	if len(ls) != 1 || ls[0]["fields_removed"] != "res.partner.x_old" {
		t.Errorf("reload log lines = %v", ls)
	}
}

// TestLiveDriftReload: a field removed from Odoo fails the query that names
// it (Odoo: Invalid field) and starts a rebuild in the background, after
// which the field is gone from the schema (introspection and validation).
func TestLiveDriftReload(t *testing.T) {
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	if err := o.AddField("res.partner", odoo.Field{Name: "x_gone", Type: "char"}, nil); err != nil {
		t.Fatal(err)
	}
	g := newCatalogueGateway(t, o, o.URL, demoRules(t))
	warm(t, g)
	q := `{ resPartners(limit: 2) { nodes { name x_gone } } }`
	g.mustDo(q, nil, nil)
	o.RemoveField("res.partner", "x_gone")
	errs := g.do(q, nil, nil)
	if len(errs) == 0 {
		t.Fatal("a query on a removed field: no error")
	}
	deadline := time.Now().Add(30 * time.Second) // hang guard
	for typeFields(t, g, "ResPartner")["x_gone"] {
		if time.Now().After(deadline) {
			t.Fatalf("x_gone still in the schema; first error %+v; logs:\n%s", errs[0], g.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if errs := g.do(q, nil, nil); len(errs) == 0 || errs[0].code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("after the drift reload: %+v, want a validation error", errs)
	}
	ls := logLines(g, "schema reloaded")
	if len(ls) != 1 || ls[0]["fields_removed"] != "res.partner.x_gone" || !strings.HasPrefix(ls[0]["reason"].(string), "drift: ") {
		t.Errorf("reload log lines = %v", ls)
	}
}

// TestLiveCatalogueRedis: the catalogue is shared through Redis, so a second
// replica starts warm: no fields_get and no ir.model listing of its own.
func TestLiveCatalogueRedis(t *testing.T) {
	rs := redistest.Start(t)
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	edit := func(c *server.Config) { c.Exposure = exposure(t); c.RedisURL = rs.URL() }
	g1 := newCatalogueGateway(t, o, o.URL, edit)
	warm(t, g1)
	if n := fieldsGetCalls(o); n != 20 {
		t.Fatalf("first replica: %d fields_get, want 20", n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := g1.gw.Shared().Sync(ctx); err != nil {
		t.Fatal(err)
	}
	o.ResetCounters()
	g2 := newCatalogueGateway(t, o, o.URL, edit)
	warm(t, g2)
	if n := fieldsGetCalls(o); n != 0 {
		t.Errorf("second replica: %d fields_get, want 0", n)
	}
	// The only ir.model read is the access rules' (Warm), not a listing.
	if n := o.Calls("ir.model", "search_read"); n != 1 {
		t.Errorf("second replica: %d ir.model search_read, want 1", n)
	}
	if ls := logLines(g2, "schema loaded"); len(ls) != 1 || ls[0]["catalogue"] != "shared" {
		t.Errorf("second replica: %v", ls)
	}
	g2.mustDo(`{ resPartners(limit: 1) { nodes { name } } }`, nil, nil)
}

// fullRules are the default exposure (every model with fields, minus the
// technical ones and wizards, chatter fields out), as server.New applies
// them without a configuration.
func fullSelected(t testing.TB, meta *odoo.Metadata, rules schemagen.Config) int {
	t.Helper()
	n := 0
	for _, m := range meta.Models {
		if _, denied := secrets.Model(m.Model); !denied && rules.SelectsModel(m.Model, m.Transient) {
			n++
		}
	}
	return n
}

// fullSnapshotServer is a test server holding the whole Odoo 18.0 snapshot
// (450 models), answering each call after 30 ms, as a real Odoo on a
// network would; the test is skipped with -short.
func fullSnapshotServer(t *testing.T) (*odoo.Metadata, *odootest.Server) {
	t.Helper()
	if testing.Short() {
		t.Skip("whole-Odoo test")
	}
	meta, err := odootest.FullSnapshot("18.0")
	if err != nil {
		t.Fatal(err)
	}
	o := odootest.NewServer(odootest.WithMetadata(meta))
	t.Cleanup(o.Close)
	o.SetLatency(30 * time.Millisecond)
	return meta, o
}

// TestLiveFullSnapshot serves the whole Odoo 18 snapshot (450 models) from
// its catalogue, with 30 ms per Odoo call: start-up (its RPCs counted
// exactly, its time logged), the built schema's memory, introspection size
// and time, a query on a model outside the demo's 20 (account.move with its
// lines and their products), and a reload that adds a field.
func TestLiveFullSnapshot(t *testing.T) {
	meta, o := fullSnapshotServer(t)
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	heap0 := ms.HeapAlloc
	g := newCatalogueGateway(t, o, o.URL, nil)
	start := time.Now()
	warm(t, g)
	took := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&ms)
	selected := fullSelected(t, meta, schemagen.Config{})
	loaded := logLines(g, "schema loaded")
	if len(loaded) != 1 {
		t.Fatalf("schema loaded lines: %v", loaded)
	}
	t.Logf("full 18.0 snapshot: %d models in ir.model, %d selected, %d exposed (%v fields); ready in %v at 30 ms per call; gateway heap after start-up %.1f MB",
		len(meta.Models), selected, int(loaded[0]["models"].(float64)), loaded[0]["fields"], took.Round(time.Millisecond), float64(ms.HeapAlloc-heap0)/(1<<20))
	// Start-up: login; the version and the model list (the catalogue); one
	// fields_get per selected model; the version again (the metadata
	// cache's), the access rules (ir.model ids, ir.model.access) and the
	// installed languages (res.lang, for Accept-Language).
	want := map[string]int{
		"authenticate": 1, "version": 2, "ir.model.search_read": 2, "ir.model.access.search_read": 1, "res.lang.search_read": 1,
	}
	got := o.CallCounts()
	if n := fieldsGetCalls(o); n != selected {
		t.Errorf("fields_get calls = %d, want %d (one per selected model)", n, selected)
	}
	total := selected
	for k, n := range want {
		total += n
		if got[k] != n {
			t.Errorf("%s = %d, want %d", k, got[k], n)
		}
	}
	if o.TotalCalls() != total {
		t.Errorf("start-up made %d calls, want %d: %v", o.TotalCalls(), total, got)
	}

	// Introspection of the whole schema.
	body, _ := json.Marshal(map[string]any{"query": introspectionQuery})
	start = time.Now()
	resp, err := http.Post(g.url+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	t.Logf("introspection of the full schema: %d bytes (%.1f MB) in %v", len(raw), float64(len(raw))/(1<<20), time.Since(start).Round(time.Millisecond))
	if resp.StatusCode != http.StatusOK || !bytes.Contains(raw, []byte(`"AccountMove"`)) {
		t.Fatalf("introspection: %d %.300s", resp.StatusCode, raw)
	}

	// account.move with its lines and their products, by the names the
	// schema gives.
	var moves struct {
		AccountMoves struct {
			Nodes []struct {
				Name    string `json:"name"`
				LineIDs []struct {
					ProductID *struct {
						ID          string `json:"id"`
						DisplayName string `json:"display_name"`
					} `json:"product_id"`
				} `json:"line_ids"`
			} `json:"nodes"`
		} `json:"accountMoves"`
	}
	o.ResetCounters()
	g.mustDo(`{ accountMoves(limit: 3, orderBy: [{id: ASC}]) { nodes { name line_ids { product_id { id display_name } } } } }`, nil, &moves)
	if len(moves.AccountMoves.Nodes) != 3 {
		t.Fatalf("accountMoves = %+v", moves)
	}
	lines, products := 0, 0
	for _, m := range moves.AccountMoves.Nodes {
		lines += len(m.LineIDs)
		for _, l := range m.LineIDs {
			if l.ProductID != nil && l.ProductID.ID != "" {
				products++
			}
		}
	}
	if lines == 0 || products == 0 {
		t.Errorf("account.move lines %d, with products %d: %+v", lines, products, moves)
	}
	t.Logf("accountMoves with lines and products: %d Odoo calls %v", o.TotalCalls(), o.CallCounts())

	// Reload: a custom field on account.move.
	if err := o.AddField("account.move", odoo.Field{Name: "x_review", Type: "boolean"}, nil); err != nil {
		t.Fatal(err)
	}
	o.ResetCounters()
	start = time.Now()
	reload(t, g)
	t.Logf("reload of the full schema: %v, %d calls", time.Since(start).Round(time.Millisecond), o.TotalCalls())
	if n := fieldsGetCalls(o); n != selected {
		t.Errorf("reload: %d fields_get, want %d", n, selected)
	}
	g.mustDo(`{ accountMoves(limit: 1) { nodes { x_review } } }`, nil, nil)
	if ls := logLines(g, "schema reloaded"); len(ls) != 1 || ls[0]["fields_added"] != "account.move.x_review" {
		t.Errorf("reload log lines = %v", ls)
	}
}

// TestLiveStartupScale measures start-up (ready) and memory for 20, about
// 100 and all 450 models of the Odoo 18 snapshot, at 30 ms per Odoo call
// (BENCHMARKS.md): the gateway's heap after start-up (schema, engine,
// handler, cached catalogue) and the built schema's alone. It asserts only
// that each serves.
//
//	go test -run TestLiveStartupScale -v .
func TestLiveStartupScale(t *testing.T) {
	meta, o := fullSnapshotServer(t)
	demo := exposure(t)
	var every []string // naming each model selects wizards and technical models too
	for _, m := range meta.Models {
		every = append(every, m.Model)
	}
	for _, c := range []struct {
		name  string
		rules *schemagen.Config
	}{
		{"20 (the demo's)", &schemagen.Config{Models: demo.Models, ExcludeFields: demo.ExcludeFields}},
		{"~100 (res.partner,sale.*,account.move,account.move.line,product.*,stock.*,project.*)", &schemagen.Config{Models: schemagen.SplitPatterns("res.partner,sale.*,account.move,account.move.line,product.*,stock.*,project.*"), ExcludeFields: demo.ExcludeFields}},
		{"default rules", nil},
		{"all 450 named", &schemagen.Config{Models: every, ExcludeFields: demo.ExcludeFields}},
	} {
		heap := func() uint64 {
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			return ms.HeapAlloc
		}
		rules := schemagen.Config{ExcludeFields: demo.ExcludeFields}
		if c.rules != nil {
			rules = *c.rules
		}
		h0 := heap()
		schema, _, err := server.BuildLiveSchema(meta, rules)
		if err != nil {
			t.Fatal(err)
		}
		schemaMB := float64(heap()-h0) / (1 << 20)
		runtime.KeepAlive(schema)
		schema = nil
		h0 = heap()
		o.ResetCounters()
		g := newCatalogueGateway(t, o, o.URL, func(cfg *server.Config) { cfg.Exposure = c.rules })
		start := time.Now()
		warm(t, g)
		took := time.Since(start)
		gwMB := float64(heap()-h0) / (1 << 20)
		ls := logLines(g, "schema loaded")
		t.Logf("%s: %d models read, %v exposed, %v fields; ready in %v (%d calls); built schema %.1f MB, gateway heap %.1f MB",
			c.name, fieldsGetCalls(o), ls[0]["models"], ls[0]["fields"], took.Round(time.Millisecond), o.TotalCalls(), schemaMB, gwMB)
		g.mustDo(`{ odooModels { model } }`, nil, nil)
		_ = g.gw.Close()
	}
}

// TestLiveReloadOnMetadataTTL: with Maintain running, each metadata refresh
// rebuilds the schema from fresh metadata: a field added in Odoo becomes
// queryable by itself, with no reload asked for, and the log line names the
// TTL as the reason.
func TestLiveReloadOnMetadataTTL(t *testing.T) {
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	g := newCatalogueGateway(t, o, o.URL, func(c *server.Config) {
		c.Exposure = exposure(t)
		c.MetadataTTL = 50 * time.Millisecond
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); <-done })
	go func() { defer close(done); g.gw.Maintain(ctx) }()
	guard := time.Now().Add(time.Minute) // a hang guard, not a measurement
	for g.gw.SchemaVersion() == 0 {
		if time.Now().After(guard) {
			t.Fatal("the schema was never loaded")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if typeFields(t, g, "ResPartner")["x_ttl"] {
		t.Fatal("x_ttl before it was added")
	}
	if err := o.AddField("res.partner", odoo.Field{Name: "x_ttl", Type: "char", String: "TTL"}, nil); err != nil {
		t.Fatal(err)
	}
	for !typeFields(t, g, "ResPartner")["x_ttl"] {
		if time.Now().After(guard) {
			t.Fatal("x_ttl never appeared: the metadata refresh did not rebuild the schema")
		}
		time.Sleep(10 * time.Millisecond)
	}
	found := false
	for _, l := range logLines(g, "schema reloaded") {
		if l["reason"] == "metadata TTL" && l["fields_added"] == "res.partner.x_ttl" {
			found = true
		}
	}
	if !found {
		t.Errorf("no 'schema reloaded' line for the TTL adding res.partner.x_ttl: %v", logLines(g, "schema reloaded"))
	}
}
