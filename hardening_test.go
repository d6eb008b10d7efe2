package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// post sends a raw request and returns the status and decoded errors.
func (g *gateway) post(t *testing.T, header http.Header, body []byte) (int, []gqlError, json.RawMessage) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, g.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	recordRequest(req, body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	_ = json.Unmarshal(raw, &env)
	return resp.StatusCode, env.Errors, env.Data
}

func query(q string) []byte {
	b, _ := json.Marshal(map[string]any{"query": q})
	return b
}

func TestAuthentication(t *testing.T) {
	g := newGatewayConfig(t, func(c *server.Config) { c.AllowAnonymous = false })
	q := query(`{ resPartners(limit: 1) { totalCount } }`)
	tests := []struct {
		name, auth string
		status     int
		code, msg  string
	}{
		{"no credentials", "", 401, "UNAUTHENTICATED", "authentication required"},
		{"bad password", "Basic " + b64("admin:wrong"), 401, "UNAUTHENTICATED", "authentication failed"},
		{"unknown login", "Basic " + b64("nobody:wrong"), 401, "UNAUTHENTICATED", "authentication failed"},
		{"garbled basic", "Basic !!!", 401, "UNAUTHENTICATED", "authentication failed"},
		{"unknown scheme", "Digest abc", 401, "UNAUTHENTICATED", "authentication failed"},
		{"basic admin", "Basic " + b64("admin:admin"), 200, "", ""},
		{"bearer api key", "Bearer demo:demo-api-key", 200, "", ""},
	}
	if !g.odoo.SetAPIKey(odootest.DemoUID, "demo-api-key") {
		t.Fatal("SetAPIKey")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.auth != "" {
				h.Set("Authorization", tt.auth)
			}
			status, errs, _ := g.post(t, h, q)
			if status != tt.status {
				t.Errorf("status %d, want %d (%+v)", status, tt.status, errs)
			}
			if tt.code == "" {
				if len(errs) != 0 {
					t.Errorf("errors: %+v", errs)
				}
				return
			}
			if len(errs) != 1 || errs[0].code() != tt.code || !strings.Contains(errs[0].Message, tt.msg) {
				t.Errorf("errors %+v, want %s %q", errs, tt.code, tt.msg)
			}
			if tt.name != "no credentials" && (strings.Contains(errs[0].Message, "password") || strings.Contains(errs[0].Message, "login")) {
				t.Errorf("the error says which part was wrong: %q", errs[0].Message)
			}
		})
	}
}

func b64(s string) string { return base64Encode(s) }

func TestRestrictedUser(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		demo := g.as("demo", "demo")
		// A model the user may not read at all.
		errs := demo.do(`{ accountTaxes { nodes { name } } }`, nil, nil)
		if len(errs) != 1 || errs[0].code() != "FORBIDDEN" || strings.Contains(errs[0].Message, "Traceback") {
			t.Errorf("account.tax as demo: %+v", errs)
		}
		// A write the user may not make.
		errs = demo.do(`mutation { updateResUsers(ids: ["2"], input: {name: "Hacked"}) { id } }`, nil, nil)
		if len(errs) != 1 || errs[0].code() != "FORBIDDEN" {
			t.Errorf("write res.users as demo: %+v", errs)
		}
		var u struct {
			R struct{ Name string } `json:"resUser"`
		}
		g.mustDo(`{ resUser(id: "2") { name } }`, nil, &u)
		if u.R.Name == "Hacked" {
			t.Error("the refused write happened")
		}
		// Partial results: a field the user may not read is null with an
		// error; the rest of the query returns.
		var got struct {
			ResPartners struct {
				Nodes []struct {
					Name        string   `json:"name"`
					CreditLimit *float64 `json:"credit_limit"`
				} `json:"nodes"`
			} `json:"resPartners"`
			Tags struct {
				Nodes []struct{ Name string } `json:"nodes"`
			} `json:"tags"`
		}
		errs = demo.do(`{ resPartners(limit: 3, orderBy: [{id: ASC}]) { nodes { name credit_limit } } tags: resPartnerCategories { nodes { name } } }`, nil, &got)
		if len(errs) != 1 || errs[0].code() != "FORBIDDEN" || !strings.Contains(errs[0].Message, "res.partner.credit_limit") {
			t.Errorf("errors %+v, want one FORBIDDEN naming res.partner.credit_limit", errs)
		}
		if len(got.ResPartners.Nodes) != 3 || got.ResPartners.Nodes[0].Name == "" || got.ResPartners.Nodes[0].CreditLimit != nil {
			t.Errorf("partial result: %+v", got.ResPartners)
		}
		if len(got.Tags.Nodes) == 0 {
			t.Error("the other root field must still return")
		}
		// Partial results: a record hidden by a record rule is null. Demo
		// sees only its own sale orders; a partner's sale_order_ids lists
		// all of them to admin.
		var orders struct {
			S *struct{ Name string } `json:"saleOrder"`
		}
		hidden := firstOrderNotOf(t, g, "6")
		errs = demo.do(`{ saleOrder(id: "`+hidden+`") { name } }`, nil, &orders)
		if orders.S != nil {
			t.Errorf("demo read order %s of another user: %+v", hidden, orders.S)
		}
		if len(errs) != 1 || errs[0].code() != "FORBIDDEN" {
			t.Errorf("hidden order: errors %+v, want one FORBIDDEN", errs)
		}
	})
}

func firstOrderNotOf(t *testing.T, g *gateway, uid string) string {
	var got struct {
		SaleOrders struct {
			Nodes []struct {
				ID     string `json:"id"`
				UserID *struct {
					ID string `json:"id"`
				} `json:"user_id"`
			} `json:"nodes"`
		} `json:"saleOrders"`
	}
	g.mustDo(`{ saleOrders(limit: 100) { nodes { id user_id { id } } } }`, nil, &got)
	for _, n := range got.SaleOrders.Nodes {
		if n.UserID != nil && n.UserID.ID != uid {
			return n.ID
		}
	}
	t.Fatal("no order of another user in the demo data")
	return ""
}

func TestIntrospectionSwitch(t *testing.T) {
	g := newGatewayConfig(t, func(c *server.Config) { c.NoIntrospection = true })
	errs := g.do(`{ __schema { types { name } } }`, nil, nil)
	if len(errs) == 0 || errs[0].code() != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, "introspection is disabled") {
		t.Errorf("introspection must be off: %+v", errs)
	}
	resp, err := http.Get(g.url + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("GraphiQL must be off: %d", resp.StatusCode)
	}
	g.mustDo(`{ resPartners(limit: 1) { totalCount } }`, nil, nil)
}

func TestLimits(t *testing.T) {
	g := newGatewayConfig(t, func(c *server.Config) {
		c.MaxDepth, c.MaxComplexity, c.MaxRootFields, c.MaxAliases, c.MaxBodyBytes = 5, 5000, 3, 4, 4096
	})
	tests := []struct {
		name, q, msg string
	}{
		{"depth", `{ resPartners { nodes { parent_id { parent_id { parent_id { name } } } } } }`, "query depth 6 exceeds the limit of 5 (ODOOGQL_MAX_DEPTH)"},
		{"complexity", `{ resPartners(limit: 1000) { nodes { name email child_ids { name } } } }`, "exceeds the limit of 5000 (ODOOGQL_MAX_COMPLEXITY)"},
		{"root fields", `{ a: resPartners { totalCount } b: resPartners { totalCount } c: resPartners { totalCount } d: resPartners { totalCount } }`, "root fields 4 exceeds the limit of 3 (ODOOGQL_MAX_ROOT_FIELDS)"},
		{"aliases", `{ resPartners(limit: 1) { nodes { a: name b: name c: name d: name e: name } } }`, "aliases 5 exceeds the limit of 4 (ODOOGQL_MAX_ALIASES)"},
		{"page size", `{ resPartners(limit: 1001) { totalCount } }`, "limit 1001 exceeds the maximum of 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := g.do(tt.q, nil, nil)
			if len(errs) != 1 || errs[0].code() != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, tt.msg) {
				t.Errorf("errors %+v, want BAD_USER_INPUT %q", errs, tt.msg)
			}
		})
	}
	// Introspection is bounded by the schema, not counted against the limits.
	g.mustDo(`{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }`, nil, nil)
	// Within the limits, the same shapes pass.
	g.mustDo(`{ resPartners(limit: 10) { nodes { parent_id { parent_id { name } } } } }`, nil, nil)
	// Body size.
	big := query(`{ resPartners { totalCount } }` + strings.Repeat(" ", 5000))
	status, errs, _ := g.post(t, nil, big)
	if status != 413 || len(errs) != 1 || !strings.Contains(errs[0].Message, "exceeds the limit of 4096 bytes (ODOOGQL_MAX_BODY_BYTES)") {
		t.Errorf("big body: %d %+v", status, errs)
	}
}

func TestRequestTimeoutReachesOdoo(t *testing.T) {
	g := newGatewayConfig(t, func(c *server.Config) { c.RequestTimeout = 300 * time.Millisecond })
	g.mustDo(`{ resPartners(limit: 1) { totalCount } }`, nil, nil) // log in first
	// Odoo would take an hour: the answer can only come from the timeout.
	g.odoo.SetLatency(time.Hour)
	defer g.odoo.SetLatency(0)
	done := make(chan []gqlError, 1)
	go func() { done <- g.do(`{ resPartners(limit: 1) { nodes { name } } }`, nil, nil) }()
	var errs []gqlError
	select {
	case errs = <-done:
	case <-time.After(time.Minute): // a hang guard, not a measurement
		t.Fatal("the request waited for Odoo past its timeout")
	}
	if len(errs) != 1 || errs[0].code() != "ODOO_UNAVAILABLE" || !strings.Contains(errs[0].Message, "request timeout of 300ms (ODOOGQL_REQUEST_TIMEOUT)") {
		t.Errorf("errors %+v", errs)
	}
	// The Odoo call itself was abandoned: nothing stays in flight.
	deadline := time.Now().Add(5 * time.Second)
	for g.odoo.InFlight() > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := g.odoo.InFlight(); n != 0 {
		t.Errorf("%d calls still in flight at Odoo", n)
	}
}

func TestMaxConcurrentOdooCalls(t *testing.T) {
	g := newGatewayConfig(t, func(c *server.Config) { c.MaxConns = 3; c.Strategy = engine.Batched })
	g.mustDo(`{ resPartners(limit: 1) { totalCount } }`, nil, nil)
	g.odoo.SetLatency(30 * time.Millisecond)
	defer g.odoo.SetLatency(0)
	g.odoo.ResetPeak()
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.mustDo(`{ resPartners(limit: 5) { totalCount nodes { name country_id { name } } } }`, nil, nil)
		}()
	}
	wg.Wait()
	if p := g.odoo.PeakInFlight(); p > 3 || p < 2 {
		t.Errorf("peak Odoo calls in flight %d, want at most 3 (ODOOGQL_ODOO_MAX_CONNS) and some overlap", p)
	}
}

func TestSchemaDrift(t *testing.T) {
	g := newGatewayConfig(t, func(c *server.Config) { c.Strategy = engine.Batched },
		odootest.WithoutModels("crm.tag"), odootest.WithoutFields("res.partner", "email"))
	if err := g.gw.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ q, msg string }{
		{`{ resPartners { nodes { name email } } }`, "field res.partner.email of this API's schema differs in the connected Odoo: missing"},
		{`{ resPartners(where: {email: {ilike: "x"}}) { totalCount } }`, "res.partner.email"},
		{`{ resPartners(domain: [["email", "=", "x"]]) { totalCount } }`, "res.partner.email"},
		{`mutation { createResPartner(input: {name: "x", email: "y"}) { id } }`, "res.partner.email"},
		{`{ crmTags { totalCount } }`, "model crm.tag is in this API's schema but not in the connected Odoo"},
	} {
		errs := g.do(tt.q, nil, nil)
		if len(errs) != 1 || errs[0].code() != "ODOO_SCHEMA_DRIFT" || !strings.Contains(errs[0].Message, tt.msg) {
			t.Errorf("%s: errors %+v, want ODOO_SCHEMA_DRIFT %q", tt.q, errs, tt.msg)
		}
	}
	// Everything else works.
	var got struct {
		ResPartners struct{ TotalCount int } `json:"resPartners"`
	}
	g.mustDo(`{ resPartners { totalCount nodes { name phone } } }`, nil, &got)
	if got.ResPartners.TotalCount == 0 {
		t.Error("no partners")
	}
}

func TestOdooVersions(t *testing.T) {
	for _, v := range []struct {
		version string
		method  string
	}{{"16.0", "search_read"}, {"17.0", "web_search_read"}, {"18.0", "web_search_read"}, {"19.0", "web_search_read"}} {
		t.Run(v.version, func(t *testing.T) {
			g := newGatewayConfig(t, func(c *server.Config) { c.Strategy = engine.Auto }, odootest.WithVersion(v.version))
			if err := g.gw.Warm(context.Background()); err != nil {
				t.Fatal(err)
			}
			g.odoo.ResetCounters()
			var got struct {
				ResPartners struct {
					Nodes []struct {
						Name      string `json:"name"`
						CountryID *struct {
							Code string `json:"code"`
						} `json:"country_id"`
					} `json:"nodes"`
				} `json:"resPartners"`
			}
			g.mustDo(`{ resPartners(where: {is_company: {eq: true}}, orderBy: [{name: ASC}], limit: 2) { nodes { name country_id { code } } } }`, nil, &got)
			if len(got.ResPartners.Nodes) != 2 || got.ResPartners.Nodes[0].Name != "Azure Interior" || got.ResPartners.Nodes[0].CountryID.Code != "US" {
				t.Errorf("got %+v", got)
			}
			if n := g.odoo.Calls("res.partner", v.method); n != 1 {
				t.Errorf("%s calls: %d, want 1 (%v)", v.method, n, g.odoo.CallCounts())
			}
		})
	}
}

func TestOdooDownAtStart(t *testing.T) {
	g := newGatewayConfig(t, func(c *server.Config) { c.Strategy = engine.Auto })
	g.odoo.SetDown(true)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { g.gw.Maintain(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	ready := func() int {
		resp, err := http.Get(g.url + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if ready() != 503 {
		t.Error("/readyz must be 503 while Odoo is down")
	}
	// Failing fast: the gateway makes one attempt and answers; it does not
	// wait or retry until Odoo comes back (which it would not, here).
	g.odoo.ResetCounters()
	errs := g.do(`{ resPartners(limit: 1) { totalCount } }`, nil, nil)
	if len(errs) != 1 || errs[0].code() != "ODOO_UNAVAILABLE" {
		t.Errorf("errors %+v, want ODOO_UNAVAILABLE", errs)
	}
	g.odoo.SetDown(false)
	deadline := time.Now().Add(20 * time.Second)
	for ready() != 200 {
		if time.Now().After(deadline) {
			t.Fatal("the gateway did not recover when Odoo came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	g.mustDo(`{ resPartners(limit: 1) { totalCount } }`, nil, nil)
}

// TestFaultyOdoo: with a share of Odoo calls failing in every way, every
// request gets a correct answer or a correct error, and no goroutine leaks.
func TestFaultyOdoo(t *testing.T) {
	for _, kind := range []struct {
		name string
		kind odootest.FaultKind
	}{{"http500", odootest.FaultHTTP500}, {"http502", odootest.FaultHTTP502}, {"refuse", odootest.FaultRefuse}, {"garbled", odootest.FaultGarbled}} {
		t.Run(kind.name, func(t *testing.T) {
			g := newGatewayConfig(t, func(c *server.Config) { c.Strategy = engine.Batched })
			want := map[string]any{}
			q := `{ resPartners(limit: 5, orderBy: [{id: ASC}]) { nodes { name country_id { code } category_id { name } } } }`
			g.mustDo(q, nil, &want)
			before := runtime.NumGoroutine()
			g.odoo.SetFaults(odootest.FaultPlan{Kind: kind.kind, Rate: 0.3, Seed: 42})
			ok, failed := 0, 0
			for i := 0; i < 40; i++ {
				var got map[string]any
				errs := g.do(q, nil, &got)
				if len(errs) == 0 {
					ok++
					if fmt.Sprint(got) != fmt.Sprint(want) {
						t.Fatalf("wrong answer under faults:\n%v\nwant %v", got, want)
					}
					continue
				}
				failed++
				for _, e := range errs {
					if e.code() != "ODOO_UNAVAILABLE" || strings.Contains(e.Message, "Traceback") {
						t.Errorf("error under faults: %+v", e)
					}
				}
			}
			g.odoo.SetFaults(odootest.FaultPlan{})
			if ok == 0 || failed == 0 {
				t.Errorf("%d answers, %d errors: want both with 30%% faults", ok, failed)
			}
			g.mustDo(q, nil, nil)
			deadline := time.Now().Add(5 * time.Second)
			for runtime.NumGoroutine() > before+5 && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			if n := runtime.NumGoroutine(); n > before+5 {
				t.Errorf("goroutines: %d before, %d after", before, n)
			}
		})
	}
}

// TestWriteNotRetried: a write that reached Odoo but whose answer was lost
// is not retried: the client gets an error it can act on, and the record
// exists exactly once.
func TestWriteNotRetried(t *testing.T) {
	g := newGatewayConfig(t, func(c *server.Config) { c.Strategy = engine.Batched })
	g.mustDo(`{ resPartners(limit: 1) { totalCount } }`, nil, nil)
	g.odoo.SetFaults(odootest.FaultPlan{Kind: odootest.FaultRefuse, Every: 1, Methods: []string{"create"}, AfterApply: true, Limit: 1})
	errs := g.do(`mutation { createResPartner(input: {name: "Exactly Once"}) { id } }`, nil, nil)
	g.odoo.SetFaults(odootest.FaultPlan{})
	if len(errs) != 1 || errs[0].code() != "ODOO_UNAVAILABLE" || !strings.Contains(errs[0].Message, "may have been applied") {
		t.Errorf("errors %+v, want ODOO_UNAVAILABLE saying the write may have been applied", errs)
	}
	if n := g.odoo.Calls("res.partner", "create"); n != 1 {
		t.Errorf("create calls: %d, want exactly 1 (no retry)", n)
	}
	var got struct {
		ResPartners struct{ TotalCount int } `json:"resPartners"`
	}
	g.mustDo(`{ resPartners(where: {name: {eq: "Exactly Once"}}) { totalCount } }`, nil, &got)
	if got.ResPartners.TotalCount != 1 {
		t.Errorf("%d records, want exactly 1", got.ResPartners.TotalCount)
	}
}

func base64Encode(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
