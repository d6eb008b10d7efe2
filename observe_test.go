package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/server"
)

func scrape(t *testing.T, g *gateway) string {
	t.Helper()
	resp, err := http.Get(g.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("/metrics: %d", resp.StatusCode)
	}
	return string(b)
}

func TestMetrics(t *testing.T) {
	g := newGatewayConfig(t, func(c *server.Config) { c.Strategy = engine.Batched })
	g.mustDo(`query @cached(ttl: 30) { resPartners(limit: 5) { totalCount nodes { name country_id { name } } } }`, nil, nil)
	g.mustDo(`query @cached(ttl: 30) { resPartners(limit: 5) { totalCount nodes { name country_id { name } } } }`, nil, nil)
	g.do(`{ resPartner(id: "nope") { id } }`, nil, nil)
	m := scrape(t, g)
	for _, want := range []string{
		`odoogql_odoo_rpc_total{method="search_read",model="res.partner",transport="xmlrpc"} 1`,
		`odoogql_odoo_rpc_total{method="search_count",model="res.partner",transport="xmlrpc"} 1`,
		`odoogql_odoo_rpc_total{method="read",model="res.country",transport="xmlrpc"} 1`,
		`odoogql_odoo_rpc_total{method="authenticate",model="",transport="xmlrpc"} 1`,
		`odoogql_odoo_rpc_duration_seconds_count{method="search_read",transport="xmlrpc"} 1`,
		`odoogql_cache_hits_total{cache="records"} 3`,
		`odoogql_cache_misses_total{cache="records"}`,
		`odoogql_cache_evictions_total{cache="records"} 0`,
		`odoogql_cache_entries{cache="records"}`,
		`odoogql_cache_hits_total{cache="logins"} 2`,
		`odoogql_loader_batch_size_count{model="res.country"} 2`, // the second batch is answered by the record cache
		`odoogql_http_requests_total{operation="query",status="ok"} 2`,
		`odoogql_http_requests_total{operation="query",status="error"} 1`,
		`odoogql_http_request_duration_seconds_count{operation="query"} 3`,
		`odoogql_odoo_rpc_in_flight 0`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	for _, help := range []string{"# HELP odoogql_odoo_rpc_total ", "# HELP odoogql_cache_hits_total ", "# TYPE odoogql_odoo_rpc_duration_seconds histogram"} {
		if !strings.Contains(m, help) {
			t.Errorf("/metrics lacks %q", help)
		}
	}
}

func TestRequestLogAndID(t *testing.T) {
	g := newGatewayConfig(t, func(c *server.Config) { c.Strategy, c.LogFormat = engine.Batched, "json" })
	g.mustDo(`query Companies { resPartners(limit: 2) { nodes { name country_id { code } } } }`, nil, nil)
	id := g.hdr().Get("X-Request-ID")
	if len(id) != 16 {
		t.Fatalf("X-Request-ID = %q", id)
	}
	errs := g.do(`{ resPartner(id: "bad") { id } }`, nil, nil)
	if len(errs) != 1 || errs[0].Extensions["requestId"] != g.hdr().Get("X-Request-ID") {
		t.Errorf("error without the request id: %+v (header %s)", errs, g.hdr().Get("X-Request-ID"))
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(g.logs.String()), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["msg"] == "graphql" {
			lines = append(lines, m)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("want one log line per request, got %d:\n%s", len(lines), g.logs.String())
	}
	first := lines[0]
	if first["request_id"] != id || first["operation"] != "query" || first["name"] != "Companies" || first["odoo_calls"] != float64(2) {
		t.Errorf("log line %v (want request_id %s, 2 Odoo calls: search_read, read)", first, id)
	}
	if codes, _ := lines[1]["error_codes"].([]any); len(codes) != 1 || codes[0] != "BAD_USER_INPUT" {
		t.Errorf("second line error codes: %v", lines[1])
	}
	// A client's own request id is kept.
	req, _ := http.NewRequest("GET", g.url+"/healthz", nil)
	req.Header.Set("X-Request-ID", "client-id-42")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("X-Request-ID"); got != "client-id-42" {
		t.Errorf("X-Request-ID = %q, want the client's", got)
	}
}

func TestHealthAndReady(t *testing.T) {
	g := newGateway(t, single(engine.Batched))
	get := func(path string) int {
		resp, err := http.Get(g.url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if get("/healthz") != 200 {
		t.Error("/healthz")
	}
	if get("/readyz") != 503 {
		t.Error("/readyz before the metadata is loaded must be 503")
	}
	if err := g.gw.Warm(t.Context()); err != nil {
		t.Fatal(err)
	}
	if get("/readyz") != 200 {
		t.Error("/readyz after warm-up must be 200")
	}
	g.odoo.SetDown(true)
	if get("/readyz") != 503 {
		t.Error("/readyz with Odoo down must be 503")
	}
	g.odoo.SetDown(false)
	if get("/readyz") != 200 {
		t.Error("/readyz must recover with Odoo")
	}
}

func TestCompressionAndAPQ(t *testing.T) {
	g := newGateway(t, single(engine.Batched))
	big := `{"query":"{ resPartners(limit: 40) { nodes { name email street city country_id { name } } } }"}`
	small := `{"query":"{ resPartners(limit: 1) { totalCount } }"}`
	post := func(body string, gzipOK bool) (*http.Response, []byte) {
		req, _ := http.NewRequest("POST", g.url+"/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if gzipOK {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		tr := &http.Transport{DisableCompression: true}
		resp, err := (&http.Client{Transport: tr}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	plainResp, plain := post(big, false)
	gzResp, zipped := post(big, true)
	if plainResp.Header.Get("Content-Encoding") != "" || gzResp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding: %q without, %q with Accept-Encoding", plainResp.Header.Get("Content-Encoding"), gzResp.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, _ := io.ReadAll(zr)
	if !bytes.Equal(unzipped, plain) {
		t.Error("the gzipped response differs from the plain one")
	}
	if len(zipped)*2 > len(plain) {
		t.Errorf("gzip: %d bytes from %d, want at least halved", len(zipped), len(plain))
	}
	if r, _ := post(small, true); r.Header.Get("Content-Encoding") != "" {
		t.Error("a small response must not be compressed")
	}
	if !strings.Contains(gzResp.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary: %q, want Accept-Encoding (shared caches must not mix the two)", gzResp.Header.Get("Vary"))
	}
	refused, _ := http.NewRequest("POST", g.url+"/graphql", strings.NewReader(big))
	refused.Header.Set("Content-Type", "application/json")
	refused.Header.Set("Accept-Encoding", "gzip;q=0, identity")
	if r, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(refused); err != nil {
		t.Fatal(err)
	} else {
		r.Body.Close()
		if r.Header.Get("Content-Encoding") != "" {
			t.Error("gzip;q=0 refuses gzip: the response must not be compressed")
		}
	}

	// Automatic persisted queries: the hash alone fails first, then the
	// query with its hash registers it, then the hash alone works.
	q := "{ resPartners(limit: 2) { totalCount } }"
	sum := sha256.Sum256([]byte(q))
	ext := fmt.Sprintf(`"extensions":{"persistedQuery":{"version":1,"sha256Hash":"%s"}}`, hex.EncodeToString(sum[:]))
	_, b := post("{"+ext+"}", false)
	if !strings.Contains(string(b), "PersistedQueryNotFound") {
		t.Errorf("unknown hash: %s", b)
	}
	qj, _ := json.Marshal(q)
	_, b = post(`{"query":`+string(qj)+`,`+ext+"}", false)
	if !strings.Contains(string(b), "totalCount") {
		t.Errorf("register: %s", b)
	}
	_, b = post("{"+ext+"}", false)
	if !strings.Contains(string(b), "totalCount") {
		t.Errorf("hash alone after registering: %s", b)
	}
}
