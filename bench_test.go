package main

// Benchmarks of odoogql against the test server with a fixed latency per
// Odoo call, compared in the same run with a naive N+1 resolver and with the
// minimal hand-written sequence of calls for the same data. Commands and
// numbers: BENCHMARKS.md.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// benchLatency is the latency the test server adds to every call.
const benchLatency = 20 * time.Millisecond

const benchQuery = `query($n: Int) { resPartners(limit: $n, orderBy: [{id: ASC}]) { nodes { name
	country_id { name } parent_id { name country_id { code } } category_id { name } } } }`

// benchServer is a test server with 10,000 more partners, shared by the
// benchmarks of one run.
// It is an Odoo 19.0, which serves both XML-RPC and JSON-2, with an API
// key for admin (benchKey).
var benchServer = sync.OnceValue(func() *odootest.Server {
	s := odootest.NewServer(odootest.WithVersion("19.0"),
		odootest.WithSynthetic(odootest.SyntheticConfig{Partners: 10200, ContactsPerCompany: 3, Tags: 20, Seed: 7}))
	s.SetAPIKey(odootest.AdminUID, benchKey)
	return s
})

// benchKey is admin's API key on the benchmark server.
const benchKey = "b3nchb3nchb3nchb3nchb3nchb3nchb3nchb3nc"

func benchGateway(b *testing.B, strategy engine.Strategy, schema server.SchemaMode) *gateway {
	return benchGatewayAt(b, strategy, schema, benchServer().URL)
}

// benchGatewayAt is a gateway of the benchmarks' settings whose Odoo is at
// url: the benchmark server, or a recorder in front of it.
func benchGatewayAt(b *testing.B, strategy engine.Strategy, schema server.SchemaMode, url string) *gateway {
	return benchGatewayOver(b, strategy, schema, url, odoo.TransportXMLRPC)
}

// benchGatewayOver is benchGatewayAt over a transport (JSON-2 logs in
// with admin's API key).
func benchGatewayOver(b *testing.B, strategy engine.Strategy, schema server.SchemaMode, url string, transport odoo.Transport) *gateway {
	return newGatewayOn(b, benchServer(), func(c *server.Config) {
		c.Strategy, c.Schema, c.MaxLimit, c.OdooURL, c.MaxConns = strategy, schema, 20000, url, 64
		c.Transport = string(transport)
		if transport == odoo.TransportJSON2 {
			c.OdooPassword = benchKey
		}
	})
}

// odooCall is one HTTP request to Odoo, as a recorder saw it.
type odooCall struct {
	path string
	body []byte
}

// recorder is a proxy in front of the benchmark server that, while on,
// keeps the requests it forwards: the calls one run of an implementation
// makes, replayed without the client (replay) to measure what the test
// server alone costs.
type recorder struct {
	url   string
	mu    sync.Mutex
	on    bool
	calls []odooCall
}

func newRecorder(b *testing.B, target string) *recorder {
	r := &recorder{}
	client := &http.Client{}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		if r.on {
			r.calls = append(r.calls, odooCall{path: req.URL.Path, body: body})
		}
		r.mu.Unlock()
		out, err := http.NewRequestWithContext(req.Context(), req.Method, target+req.URL.Path, bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		out.Header = req.Header.Clone()
		resp, err := client.Do(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	}))
	b.Cleanup(hs.Close)
	r.url = hs.URL
	return r
}

// record returns the Odoo calls run makes.
func (r *recorder) record(run func()) []odooCall {
	r.mu.Lock()
	r.on, r.calls = true, nil
	r.mu.Unlock()
	run()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on = false
	return r.calls
}

// replayCalls sends calls to the benchmark server one after the other and reads
// the answers without decoding them: the test server's own work for them.
func replayCalls(b *testing.B, client *http.Client, url string, calls []odooCall) {
	for _, c := range calls {
		resp, err := client.Post(url+c.path, "text/xml", bytes.NewReader(c.body))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// usage is what the process spent: CPU time (user and system) and heap
// allocations.
type usage struct {
	cpu            time.Duration
	bytes, mallocs uint64
}

func readUsage() usage {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return usage{
		cpu:   time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		bytes: ms.TotalAlloc, mallocs: ms.Mallocs,
	}
}

func (u usage) sub(v usage) usage {
	return usage{cpu: u.cpu - v.cpu, bytes: u.bytes - v.bytes, mallocs: u.mallocs - v.mallocs}
}

// peakHeap samples the heap while f runs and returns its peak growth.
func peakHeap(f func()) uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > base && m.HeapAlloc-base > peak.Load() {
					peak.Store(m.HeapAlloc - base)
				}
			}
		}
	}()
	f()
	close(done)
	return peak.Load()
}

// BenchmarkFetch compares, for N partners with their country, parent (and
// its country) and tags: odoogql with each strategy, a naive resolver
// (one read per record and relation, concurrent like gqlgen's resolvers) and
// the minimal hand-written call sequences (one web_search_read; or one
// search_read and one read per model and level).
func BenchmarkFetch(b *testing.B) {
	srv := benchServer()
	srv.SetLatency(benchLatency)
	defer srv.SetLatency(0)
	rec := newRecorder(b, srv.URL)
	session := func(url string) *odoo.Session {
		client, err := odoo.NewClient(odoo.Config{URL: url, DB: srv.DB(), MaxConnsPerHost: 64})
		if err != nil {
			b.Fatal(err)
		}
		return client.Session(odootest.AdminUID, "admin")
	}
	s, recS := session(srv.URL), session(rec.url)
	replayClient := &http.Client{}
	type impl struct {
		name string
		run  func(b *testing.B) int // returns records
		// once runs the same calls through the recorder; nil: the
		// gateway's share is not measured.
		once func(b *testing.B)
		// setup, when set, prepares run and once (outside the timing).
		setup func()
	}
	// A gateway, and one in front of the recorder, made when its
	// sub-benchmark first runs (-bench may select a few).
	gw := func(name string, strategy engine.Strategy, schema server.SchemaMode, n int) impl {
		run := sync.OnceValue(func() func(*testing.B) int { return gatewayRun(benchGateway(b, strategy, schema), n) })
		recRun := sync.OnceValue(func() func(*testing.B) int {
			return gatewayRun(benchGatewayAt(b, strategy, schema, rec.url), n)
		})
		return impl{name, func(b *testing.B) int { return run()(b) }, func(b *testing.B) { recRun()(b) }, func() { run(); recRun() }}
	}
	for _, n := range []int{10, 100, 1000, 10000} {
		impls := []impl{
			gw("odoogql-nested", engine.Nested, server.SchemaCompiled, n),
			gw("odoogql-batched", engine.Batched, server.SchemaCompiled, n),
			gw("odoogql-live-nested", engine.Nested, server.SchemaLive, n),
			gw("odoogql-live-batched", engine.Batched, server.SchemaLive, n),
			{"minimal-nested", func(b *testing.B) int { return minimalNested(b, s, n) }, func(b *testing.B) { minimalNested(b, recS, n) }, nil},
			{"minimal-batched", func(b *testing.B) int { return minimalBatched(b, s, n) }, func(b *testing.B) { minimalBatched(b, recS, n) }, nil},
		}
		if n <= 1000 {
			impls = append(impls, impl{"naive-n+1", func(b *testing.B) int { return naive(b, s, n) }, nil, nil})
		}
		for _, impl := range impls {
			b.Run(fmt.Sprintf("N=%d/%s", n, impl.name), func(b *testing.B) {
				b.ReportAllocs()
				if impl.setup != nil {
					impl.setup()
				}
				var calls []odooCall
				if impl.once != nil {
					calls = rec.record(func() { impl.once(b) })
				}
				b.ResetTimer()
				srv.ResetCounters()
				var recs int
				before := readUsage()
				peak := peakHeap(func() {
					for i := 0; i < b.N; i++ {
						recs = impl.run(b)
					}
				})
				total := readUsage().sub(before)
				b.ReportMetric(float64(srv.TotalCalls())/float64(b.N), "rpcs/op")
				b.ReportMetric(float64(recs), "records/op")
				b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
				if calls == nil {
					return
				}
				// The same Odoo calls again, without the client: what the
				// in-process test server costs. The rest is the gateway's
				// (or the minimal client's) share, reported per record.
				b.StopTimer()
				srv.SetLatency(0)
				before = readUsage()
				peakHeap(func() { // sampled alike
					for i := 0; i < b.N; i++ {
						replayCalls(b, replayClient, srv.URL, calls)
					}
				})
				odooAlone := readUsage().sub(before)
				srv.SetLatency(benchLatency)
				b.StartTimer()
				per := float64(b.N) * float64(recs)
				b.ReportMetric(float64(total.cpu-odooAlone.cpu)/per/1e3, "gw-cpu-µs/rec")
				b.ReportMetric((float64(total.bytes)-float64(odooAlone.bytes))/per, "gw-B/rec")
				b.ReportMetric((float64(total.mallocs)-float64(odooAlone.mallocs))/per, "gw-allocs/rec")
			})
		}
	}
}

func gatewayRun(g *gateway, n int) func(b *testing.B) int {
	g.mustDo(`{ resPartners(limit: 1) { nodes { id } } }`, nil, nil) // log in once
	body, _ := json.Marshal(map[string]any{"query": benchQuery, "variables": map[string]any{"n": n}})
	return func(b *testing.B) int {
		// The response is checked, not decoded: decoding JSON is the
		// client's cost, not the gateway's.
		resp, err := http.Post(g.url+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := bytes.Count(raw, []byte(`{"name":`)); got < n || bytes.Contains(raw, []byte(`"errors"`)) {
			b.Fatalf("got %d partners, want %d: %.300s", got, n, raw)
		}
		return n
	}
}

var benchSpec = odoo.Spec{
	"name":        {},
	"country_id":  {Fields: odoo.Spec{"name": {}}},
	"parent_id":   {Fields: odoo.Spec{"name": {}, "country_id": {Fields: odoo.Spec{"code": {}}}}},
	"category_id": {Fields: odoo.Spec{"name": {}}},
}

func minimalNested(b *testing.B, s *odoo.Session, n int) int {
	res, err := s.WebSearchRead(context.Background(), "res.partner", []any{}, benchSpec, odoo.SearchOptions{Limit: n, Order: "id ASC", CountLimit: n})
	if err != nil || len(res.Records) != n {
		b.Fatalf("web_search_read: %d records, %v", len(res.Records), err)
	}
	return n
}

func minimalBatched(b *testing.B, s *odoo.Session, n int) int {
	ctx := context.Background()
	recs, err := s.SearchRead(ctx, "res.partner", []any{}, []string{"name", "country_id", "parent_id", "category_id"}, odoo.SearchOptions{Limit: n, Order: "id ASC"})
	if err != nil || len(recs) != n {
		b.Fatalf("search_read: %d, %v", len(recs), err)
	}
	countries, parents, tags := map[int]bool{}, map[int]bool{}, map[int]bool{}
	for _, r := range recs {
		if id, _, ok := odoo.Many2One(r["country_id"]); ok {
			countries[id] = true
		}
		if id, _, ok := odoo.Many2One(r["parent_id"]); ok {
			parents[id] = true
		}
		for _, id := range odoo.IDs(r["category_id"]) {
			tags[id] = true
		}
	}
	var parentRecs []odoo.Record
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := s.Read(gctx, "res.country", keys(countries), []string{"name"}); return err })
	g.Go(func() error { _, err := s.Read(gctx, "res.partner.category", keys(tags), []string{"name"}); return err })
	g.Go(func() error {
		var err error
		parentRecs, err = s.Read(gctx, "res.partner", keys(parents), []string{"name", "country_id"})
		return err
	})
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	pc := map[int]bool{}
	for _, r := range parentRecs {
		if id, _, ok := odoo.Many2One(r["country_id"]); ok {
			pc[id] = true
		}
	}
	if _, err := s.Read(ctx, "res.country", keys(pc), []string{"code"}); err != nil {
		b.Fatal(err)
	}
	return n
}

// naive resolves like resolvers without batching: one read per record and
// relation, concurrently (up to the client's 64 connections).
func naive(b *testing.B, s *odoo.Session, n int) int {
	ctx := context.Background()
	recs, err := s.SearchRead(ctx, "res.partner", []any{}, []string{"name", "country_id", "parent_id", "category_id"}, odoo.SearchOptions{Limit: n, Order: "id ASC"})
	if err != nil {
		b.Fatal(err)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(64)
	for _, r := range recs {
		if id, _, ok := odoo.Many2One(r["country_id"]); ok {
			g.Go(func() error { _, err := s.Read(gctx, "res.country", []int{id}, []string{"name"}); return err })
		}
		if id, _, ok := odoo.Many2One(r["parent_id"]); ok {
			g.Go(func() error {
				p, err := s.Read(gctx, "res.partner", []int{id}, []string{"name", "country_id"})
				if err != nil || len(p) == 0 {
					return err
				}
				if cid, _, ok := odoo.Many2One(p[0]["country_id"]); ok {
					_, err = s.Read(gctx, "res.country", []int{cid}, []string{"code"})
				}
				return err
			})
		}
		for _, id := range odoo.IDs(r["category_id"]) {
			g.Go(func() error { _, err := s.Read(gctx, "res.partner.category", []int{id}, []string{"name"}); return err })
		}
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	return n
}

func keys(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// BenchmarkBatchingOverhead measures what the record loader adds to one
// level: the same read through loaders.Records (dataloader batch, flush,
// fan-out to the keys) and straight through the session, no latency.
func BenchmarkBatchingOverhead(b *testing.B) {
	srv := benchServer()
	client, _ := odoo.NewClient(odoo.Config{URL: srv.URL, DB: srv.DB()})
	s := client.Session(odootest.AdminUID, "admin")
	ids := make([]int, 100)
	for i := range ids {
		ids[i] = i + 1
	}
	ctx := context.Background()
	b.Run("session.Read", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := s.Read(ctx, "res.partner", ids, []string{"name"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("loaders.Records", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			l := loaders.New(s, loaders.Options{}) // per request, as in the gateway
			if _, err := l.Records(ctx, []loaders.ReadRequest{{Model: "res.partner", IDs: ids, Fields: []string{"name"}}}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMixedWorkload runs a realistic mix of requests through one
// gateway (Auto strategy, warm-up at start like the server does): lists
// with a handful of recurring filters, lookups by id, 2% writes, half of
// the reads with @cached(ttl: 300). It reports each cache's hit rate. A
// write invalidates every cached search of the database, so the record
// cache's hit rate falls with the share of writes.
func BenchmarkMixedWorkload(b *testing.B) {
	srv := benchServer()
	srv.SetLatency(0)
	g := newGatewayConfig(b, func(c *server.Config) {
		c.Strategy, c.OdooURL, c.MaxLimit = engine.Auto, srv.URL, 20000
	})
	g.odoo = srv
	if err := g.gw.Warm(context.Background()); err != nil {
		b.Fatal(err)
	}
	lists := []string{
		`resPartners(where: {is_company: {eq: true}}, limit: 20) { totalCount nodes { name country_id { code } } }`,
		`resPartners(where: {country_id: {code: {eq: "US"}}}, limit: 10) { nodes { name email parent_id { name } } }`,
		`saleOrders(limit: 10, orderBy: [{id: DESC}]) { nodes { name amount_total partner_id { name } order_line { name price_subtotal } } }`,
		`productProducts(limit: 20) { nodes { name list_price categ_id { name } } }`,
		`resPartners(where: {name: {ilike: "a"}}, limit: 25) { nodes { name category_id { name } } }`,
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cached := ""
		if (i/2)%2 == 0 {
			cached = "@cached(ttl: 300)"
		}
		switch {
		case i%50 == 49:
			g.mustDo(fmt.Sprintf(`mutation { updateResPartner(ids: ["%d"], input: {comment: "run %d"}) { id } }`, 100+i%50, i), nil, nil)
		case i%10 >= 7:
			g.mustDo(fmt.Sprintf(`query %s { resPartner(id: "%d") { name email country_id { name } } }`, cached, 10+i%40), nil, nil)
		default:
			g.mustDo(fmt.Sprintf(`query %s { %s }`, cached, lists[i%len(lists)]), nil, nil)
		}
	}
	b.StopTimer()
	for _, s := range g.gw.CacheStats() {
		b.ReportMetric(100*s.HitRate(), s.Name+"-hit-%")
	}
}

// BenchmarkRecordCacheAtBound fills the record cache past its default bound
// (100,000 entries) with realistic values and reports the entries it keeps
// and the heap they take.
func BenchmarkRecordCacheAtBound(b *testing.B) {
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		c := loaders.NewCache("records", time.Hour, 100000, 256<<20)
		for j := 0; j < 200000; j++ {
			v := fmt.Sprintf("Partner name number %d", j)
			c.Set(fmt.Sprintf("cell|demo|2||res.partner@0|%d|name", j), v, 64+loaders.SizeOf(v), 0)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		s := c.Stats()
		b.ReportMetric(float64(s.Entries), "entries")
		b.ReportMetric(float64(s.Evictions), "evictions")
		b.ReportMetric(float64(s.Bytes)/(1<<20), "estimated-MiB")
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MiB")
		runtime.KeepAlive(c)
	}
}

// BenchmarkCompression answers one large query (1,000 partners with
// relations) with and without gzip and reports the sizes.
func BenchmarkCompression(b *testing.B) {
	g := benchGateway(b, engine.Nested, server.SchemaCompiled)
	body, _ := json.Marshal(map[string]any{"query": benchQuery, "variables": map[string]any{"n": 1000}})
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for _, enc := range []string{"identity", "gzip"} {
		b.Run(enc, func(b *testing.B) {
			var size int
			for i := 0; i < b.N; i++ {
				req, _ := http.NewRequest("POST", g.url+"/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept-Encoding", enc)
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				size = len(raw)
			}
			b.ReportMetric(float64(size), "response-bytes")
		})
	}
}

// BenchmarkFetchPaired measures the ratio of BenchmarkFetch's goal — live
// mode against the minimal call sequence of the same strategy — with paired
// samples: each operation runs the gateway and the minimal sequence back to
// back, in alternating order, so that both see the same machine (load, GC
// state, the test server's caches). Separate sub-benchmarks, minutes
// apart, drift by more than the 5 % being measured. Reported: the ratio of
// the two total times (live/minimal) and each one's ms per operation. The
// -json2 cases run the gateway over JSON-2 and the minimal sequence over
// XML-RPC; the -json2-both cases both over JSON-2.
func BenchmarkFetchPaired(b *testing.B) {
	srv := benchServer()
	srv.SetLatency(benchLatency)
	defer srv.SetLatency(0)
	client, err := odoo.NewClient(odoo.Config{URL: srv.URL, DB: srv.DB(), MaxConnsPerHost: 64})
	if err != nil {
		b.Fatal(err)
	}
	s := client.Session(odootest.AdminUID, "admin")
	client2, err := odoo.NewClient(odoo.Config{URL: srv.URL, DB: srv.DB(), MaxConnsPerHost: 64, Transport: odoo.TransportJSON2})
	if err != nil {
		b.Fatal(err)
	}
	s2 := client2.Session(odootest.AdminUID, benchKey)
	for _, n := range []int{10, 100, 1000, 10000} {
		for _, st := range []struct {
			name      string
			strategy  engine.Strategy
			transport odoo.Transport
			minimal   func(*testing.B, *odoo.Session, int) int
			session   *odoo.Session // of the minimal sequence
		}{
			{"nested", engine.Nested, odoo.TransportXMLRPC, minimalNested, s},
			{"batched", engine.Batched, odoo.TransportXMLRPC, minimalBatched, s},
			// The gateway over JSON-2 against the same minimal sequences
			// over XML-RPC, what a hand-written client uses today ...
			{"nested-json2", engine.Nested, odoo.TransportJSON2, minimalNested, s},
			{"batched-json2", engine.Batched, odoo.TransportJSON2, minimalBatched, s},
			// ... and over JSON-2 too: the gateway's own share.
			{"nested-json2-both", engine.Nested, odoo.TransportJSON2, minimalNested, s2},
			{"batched-json2-both", engine.Batched, odoo.TransportJSON2, minimalBatched, s2},
		} {
			b.Run(fmt.Sprintf("N=%d/%s", n, st.name), func(b *testing.B) {
				live := gatewayRun(benchGatewayOver(b, st.strategy, server.SchemaLive, benchServer().URL, st.transport), n)
				live(b) // warm: the session, the schema's caches
				s := st.session
				st.minimal(b, s, n)
				var tLive, tMin time.Duration
				ratios := make([]float64, 0, b.N)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					first, second := func() { live(b) }, func() { st.minimal(b, s, n) }
					tFirst, tSecond := &tLive, &tMin
					if i%2 == 1 {
						first, second, tFirst, tSecond = second, first, tSecond, tFirst
					}
					t0 := time.Now()
					first()
					t1 := time.Now()
					second()
					t2 := time.Now()
					*tFirst += t1.Sub(t0)
					*tSecond += t2.Sub(t1)
					if i%2 == 0 {
						ratios = append(ratios, float64(t1.Sub(t0))/float64(t2.Sub(t1)))
					} else {
						ratios = append(ratios, float64(t2.Sub(t1))/float64(t1.Sub(t0)))
					}
				}
				b.ReportMetric(float64(tLive)/float64(tMin), "live/minimal")
				// The median of the pairs' ratios: a garbage collection or a
				// neighbour's burst that lands on one side of one pair moves
				// the ratio of the totals, not the median.
				slices.Sort(ratios)
				mid := len(ratios) / 2
				median := ratios[mid]
				if len(ratios)%2 == 0 {
					median = (ratios[mid-1] + ratios[mid]) / 2
				}
				b.ReportMetric(median, "median-pair")
				b.ReportMetric(float64(tLive.Milliseconds())/float64(b.N), "live-ms/op")
				b.ReportMetric(float64(tMin.Milliseconds())/float64(b.N), "minimal-ms/op")
			})
		}
	}
}
