package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/odoo/odootest"
)

var (
	loadDuration = flag.Duration("load.duration", 2*time.Second, "how long each load phase runs")
	loadClients  = flag.Int("load.clients", 16, "concurrent load clients")
	loadLatency  = flag.Duration("load.latency", 0, "latency the test server adds to every Odoo call")
)

// loadResult is what one load phase measured.
type loadResult struct {
	requests, errors, wrong int64
	errorCodes              map[string]int64
	p50, p99, max           time.Duration
	peakHeapMiB             float64
	peakGoroutines          int
	elapsed                 time.Duration
}

func (r loadResult) String() string {
	return fmt.Sprintf("%d requests in %s (%.0f req/s), p50 %s, p99 %s, max %s, errors %d %v, wrong answers %d, peak heap %.1f MiB, peak goroutines %d",
		r.requests, r.elapsed.Round(time.Millisecond), float64(r.requests)/r.elapsed.Seconds(), r.p50, r.p99, r.max,
		r.errors, r.errorCodes, r.wrong, r.peakHeapMiB, r.peakGoroutines)
}

// runLoad drives the gateway with clients concurrent clients for d: a mix of
// list queries, lookups by id, cached queries and writes (each client
// creates, updates and deletes its own partners). Every answer is checked.
func runLoad(t *testing.T, g *gateway, clients int, d time.Duration) loadResult {
	type op struct {
		query string
		check func(data map[string]any) bool
	}
	hasNodes := func(root string) func(map[string]any) bool {
		return func(data map[string]any) bool {
			m, _ := data[root].(map[string]any)
			n, _ := m["nodes"].([]any)
			return len(n) > 0
		}
	}
	reads := []op{
		{`{ resPartners(where: {is_company: {eq: true}}, limit: 20) { totalCount nodes { name country_id { code } child_ids { name } } } }`, hasNodes("resPartners")},
		{`{ saleOrders(limit: 10, orderBy: [{id: DESC}]) { nodes { name amount_total partner_id { name } order_line { name price_subtotal } } } }`, hasNodes("saleOrders")},
		{`{ resPartner(id: "10") { name email parent_id { name } category_id { name } } }`, func(d map[string]any) bool {
			p, _ := d["resPartner"].(map[string]any)
			return p != nil && p["name"] == "Deco Addict"
		}},
		{`query @cached(ttl: 30) { productProducts(limit: 20) { nodes { name list_price categ_id { name } } } }`, hasNodes("productProducts")},
		{`{ a: resPartners(limit: 5) { nodes { name } } b: crmTags { nodes { name } } }`, hasNodes("a")},
	}
	var res loadResult
	res.errorCodes = map[string]int64{}
	var mu sync.Mutex
	var lat []time.Duration
	var requests, errs, wrong atomic.Int64
	stop := make(chan struct{})
	var peakHeap atomic.Uint64
	var peakG atomic.Int64
	go func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peakHeap.Load() {
				peakHeap.Store(ms.HeapInuse)
			}
			if n := int64(runtime.NumGoroutine()); n > peakG.Load() {
				peakG.Store(n)
			}
		}
	}()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 30 * time.Second}
	do := func(q string) (map[string]any, []gqlError) {
		body, _ := json.Marshal(map[string]any{"query": q})
		start := time.Now()
		resp, err := client.Post(g.url+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			return nil, []gqlError{{Message: err.Error(), Extensions: map[string]any{"code": "CLIENT"}}}
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		mu.Lock()
		lat = append(lat, time.Since(start))
		mu.Unlock()
		var env struct {
			Data   map[string]any `json:"data"`
			Errors []gqlError     `json:"errors"`
		}
		if err := json.Unmarshal(raw, &env); err != nil {
			return nil, []gqlError{{Message: "not JSON", Extensions: map[string]any{"code": "CLIENT"}}}
		}
		return env.Data, env.Errors
	}
	record := func(data map[string]any, es []gqlError, ok func(map[string]any) bool) {
		requests.Add(1)
		if len(es) > 0 {
			errs.Add(1)
			mu.Lock()
			for _, e := range es {
				res.errorCodes[e.code()]++
			}
			mu.Unlock()
			return
		}
		if ok != nil && !ok(data) {
			wrong.Add(1)
		}
	}
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				if i%10 == 9 { // a write round trip
					name := fmt.Sprintf("load-%d-%d", c, i)
					data, es := do(`mutation { createResPartner(input: {name: "` + name + `"}) { id name } }`)
					record(data, es, func(d map[string]any) bool {
						p, _ := d["createResPartner"].(map[string]any)
						return p != nil && p["name"] == name
					})
					if p, _ := data["createResPartner"].(map[string]any); p != nil {
						id, _ := p["id"].(string)
						data, es = do(`mutation { deleteResPartner(ids: ["` + id + `"]) { ids } }`)
						record(data, es, func(d map[string]any) bool {
							p, _ := d["deleteResPartner"].(map[string]any)
							l, _ := p["ids"].([]any)
							return len(l) == 1
						})
					}
					continue
				}
				o := reads[(c+i)%len(reads)]
				data, es := do(o.query)
				record(data, es, o.check)
			}
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	close(stop)
	client.CloseIdleConnections()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		res.p50, res.p99, res.max = lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1]
	}
	res.requests, res.errors, res.wrong = requests.Load(), errs.Load(), wrong.Load()
	res.peakHeapMiB = float64(peakHeap.Load()) / (1 << 20)
	res.peakGoroutines = int(peakG.Load())
	return res
}

// TestLoad runs the load twice for -load.duration (2s by default, the CI
// variant): first against a healthy Odoo (zero errors allowed), then with
// 10% of Odoo calls failing (500, 502, dropped connections, garbled XML):
// every request must get a correct answer or an ODOO_UNAVAILABLE error, and
// goroutines must come back down. Longer runs: go test -run TestLoad
// -load.duration 30s -load.clients 64 (numbers in BENCHMARKS.md).
func TestLoad(t *testing.T) {
	for _, s := range strategies {
		t.Run(s.name, func(t *testing.T) {
			g := newGatewayConfig(t, func(c *server.Config) { c.Strategy, c.Schema, c.MaxConns = s.strategy, s.schema, 64 })
			g.odoo.SetLatency(*loadLatency)
			g.mustDo(`{ resPartners(limit: 1) { totalCount } }`, nil, nil)
			before := runtime.NumGoroutine()

			healthy := runLoad(t, g, *loadClients, *loadDuration)
			t.Logf("healthy: %s", healthy)
			if healthy.errors != 0 || healthy.wrong != 0 || healthy.requests == 0 {
				t.Errorf("healthy load: %s", healthy)
			}

			kinds := []odootest.FaultKind{odootest.FaultHTTP500, odootest.FaultHTTP502, odootest.FaultRefuse, odootest.FaultGarbled}
			var faulty loadResult
			for i, k := range kinds {
				// Reads only: a write whose answer is lost is reported, not
				// retried, and checked by TestWriteNotRetried.
				g.odoo.SetFaults(odootest.FaultPlan{Kind: k, Rate: 0.1, Seed: uint64(i + 1), Methods: []string{"search_read", "read", "web_search_read", "web_read", "search_count"}})
				r := runLoad(t, g, *loadClients, *loadDuration/time.Duration(len(kinds)))
				faulty.requests += r.requests
				faulty.errors += r.errors
				faulty.wrong += r.wrong
				for code := range r.errorCodes {
					if code != engine.CodeUnavailable {
						t.Errorf("fault %v: error code %s", k, code)
					}
				}
				t.Logf("faults %v: %s", k, r)
			}
			g.odoo.SetFaults(odootest.FaultPlan{})
			if faulty.wrong != 0 {
				t.Errorf("%d wrong answers under faults", faulty.wrong)
			}
			if faulty.errors == 0 {
				t.Error("no request failed although 10% of Odoo calls did")
			}
			// Pooled keep-alive connections are not leaks: close them first.
			g.gw.Client().CloseIdleConnections()
			http.DefaultClient.CloseIdleConnections()
			deadline := time.Now().Add(10 * time.Second)
			for runtime.NumGoroutine() > before+10 && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			if n := runtime.NumGoroutine(); n > before+10 {
				t.Errorf("goroutine leak: %d before the load, %d after", before, n)
			}
			if strings.Contains(g.logs.String(), "panic") {
				t.Error("a panic was logged")
			}
		})
	}
}
