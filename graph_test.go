package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/schemagen"
	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/odoo"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// gateway is an odoogql in front of an odootest server, both on loopback.
type gateway struct {
	t    testing.TB
	odoo *odootest.Server
	gw   *server.Gateway
	url  string
	auth string // Authorization header of requests, "" for none
	// json2 is set when the gateway talks JSON-2 (to a 19.0 test server
	// with API keys for admin and demo, see newOdoo19): as() then sends the
	// user's API key instead of the password.
	json2 bool
	logs  *syncBuffer
	last  *atomic.Pointer[http.Header] // headers of the last response
}

// hdr returns the headers of the last response.
func (g *gateway) hdr() http.Header {
	if g.last == nil || g.last.Load() == nil {
		return http.Header{}
	}
	return *g.last.Load()
}

// syncBuffer is a bytes.Buffer safe for a logger and a test at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// as returns a copy of g whose requests log in as login.
func (g *gateway) as(login, password string) *gateway {
	c := *g
	c.auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(login+":"+password))
	if key, ok := apiKeys[login+":"+password]; ok && g.json2 {
		c.auth = "Bearer " + key
	}
	return &c
}

// apiKeys are the API keys newOdoo19 registers, by the login:password
// they stand for.
var apiKeys = map[string]string{"admin:admin": adminKey, "demo:demo": demoKey}

// mode is how a gateway under test serves: its schema (compiled or live)
// and its fetch strategy.
type mode struct {
	name     string
	strategy engine.Strategy
	schema   server.SchemaMode
	// transport is XML-RPC when empty; JSON-2 runs against an Odoo 19.0
	// test server (newOdoo19), logging in with API keys.
	transport odoo.Transport
}

// strategies are the modes every end-to-end test runs under: both schemas,
// each with both fetch strategies.
var strategies = []mode{
	{"nested", engine.Nested, server.SchemaCompiled, ""},
	{"batched", engine.Batched, server.SchemaCompiled, ""},
	{"live-nested", engine.Nested, server.SchemaLive, ""},
	{"live-batched", engine.Batched, server.SchemaLive, ""},
	// The same suites over JSON-2, Odoo 19's transport, with their exact
	// call counts (TestDifferentialTransports compares every response).
	{"live-nested-json2", engine.Nested, server.SchemaLive, odoo.TransportJSON2},
}

// compiledStrategies are the compiled modes of strategies (for tests of
// gqlgen's root-field join, which live mode does without).
func compiledStrategies() []mode {
	var out []mode
	for _, s := range strategies {
		if s.schema == server.SchemaCompiled {
			out = append(out, s)
		}
	}
	return out
}

// defaultSchema is the schema of the tests that run one gateway, not one
// per mode: compiled, or live with ODOOGQL_TEST_SCHEMA=live.
func defaultSchema() server.SchemaMode {
	if os.Getenv("ODOOGQL_TEST_SCHEMA") == "live" {
		return server.SchemaLive
	}
	return server.SchemaCompiled
}

// single is the mode of strategy with the default schema.
func single(strategy engine.Strategy) mode {
	return mode{name: "single", strategy: strategy, schema: defaultSchema()}
}

// xmlrpcModes are the modes of strategies that talk XML-RPC to the
// default (18.0) test server, for tests pinned to Odoo 18's calls
// (read_group before 19's formatted_read_group). Over JSON-2 (19.0) the
// same requests are compared with XML-RPC's, responses and calls, by
// TestDifferentialTransports.
func xmlrpcModes() []mode {
	var out []mode
	for _, s := range strategies {
		if s.transport != odoo.TransportJSON2 {
			out = append(out, s)
		}
	}
	return out
}

// forXMLRPCStrategies is forStrategies over xmlrpcModes.
func forXMLRPCStrategies(t *testing.T, test func(t *testing.T, g *gateway)) {
	for _, s := range xmlrpcModes() {
		t.Run(s.name, func(t *testing.T) { test(t, newGateway(t, s)) })
	}
}

// forStrategies runs test against a fresh gateway for each mode.
func forStrategies(t *testing.T, test func(t *testing.T, g *gateway)) {
	for _, s := range strategies {
		t.Run(s.name, func(t *testing.T) { test(t, newGateway(t, s)) })
	}
}

func newGateway(t *testing.T, m mode, opts ...odootest.Option) *gateway {
	t.Helper()
	return newGatewayWith(t, m, 1000, opts...)
}

// newGatewayWith is newGateway with a maximum list limit.
func newGatewayWith(t *testing.T, m mode, maxLimit int, opts ...odootest.Option) *gateway {
	t.Helper()
	edit := func(c *server.Config) { c.Strategy, c.Schema, c.MaxLimit = m.strategy, m.schema, maxLimit }
	if m.transport != odoo.TransportJSON2 {
		return newGatewayConfig(t, edit, opts...)
	}
	g := newGatewayOn(t, newOdoo19(t, opts...), func(c *server.Config) {
		edit(c)
		c.Transport, c.OdooPassword = string(odoo.TransportJSON2), adminKey
	})
	g.json2 = true
	return g
}

// newGatewayConfig builds a gateway, in front of a test server of its own,
// whose configuration edit may change.
func newGatewayConfig(t testing.TB, edit func(*server.Config), opts ...odootest.Option) *gateway {
	t.Helper()
	o := odootest.NewServer(opts...)
	t.Cleanup(o.Close)
	return newGatewayOn(t, o, edit)
}

// newGatewayOn builds a gateway in front of the test server o (several
// gateways may share one), closed when the test ends.
func newGatewayOn(t testing.TB, o *odootest.Server, edit func(*server.Config)) *gateway {
	t.Helper()
	var logs syncBuffer
	meta, err := server.ParseMetadata(metadataJSON)
	if err != nil {
		t.Fatal(err)
	}
	cfg := server.Config{
		OdooURL: o.URL, OdooDB: o.DB(), OdooUser: "admin", OdooPassword: "admin",
		DefaultLimit: 100, MaxLimit: 1000, OdooTimeout: 30 * time.Second, MaxConns: 16,
		MetadataTTL: time.Hour, LoginTTL: 5 * time.Minute,
		CacheMaxEntries: 100000, CacheMaxBytes: 256 << 20, AllowAnonymous: true,
		Schema: defaultSchema(), Exposure: exposure(t),
	}
	edit(&cfg)
	logger := slog.New(slog.DiscardHandler)
	if cfg.LogFormat == "json" { // tests that read the log set LogFormat
		logger = slog.New(slog.NewJSONHandler(&logs, nil))
	}
	gw, err := server.New(cfg, meta, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = gw.Close() }) // after the HTTP server's cleanup
	hs := httptest.NewServer(gw.Handler())
	t.Cleanup(hs.Close)
	return &gateway{t: t, odoo: o, gw: gw, url: hs.URL, logs: &logs, last: &atomic.Pointer[http.Header]{}}
}

// recorded is one request a test sent, as the differential test replays it
// (testdata/differential/requests.jsonl).
type recorded struct {
	Method string              `json:"method"`
	Path   string              `json:"path"`
	Header map[string][]string `json:"header,omitempty"`
	Body   string              `json:"body"`
}

var (
	recordMu   sync.Mutex
	recordSeen = map[string]bool{}
)

// recordRequest appends a request to the file named by
// ODOOGQL_RECORD_REQUESTS: running the end-to-end tests with it set collects
// the requests the differential test replays, each once, in the order the
// tests first sent them:
//
//	rm testdata/differential/requests.jsonl
//	ODOOGQL_RECORD_REQUESTS=$PWD/testdata/differential/requests.jsonl go test -skip 'TestDifferential|TestLoad' .
//
// Bodies over 64 KiB (the size-limit probes, answered before execution)
// are left out.
func recordRequest(req *http.Request, body []byte) {
	path := os.Getenv("ODOOGQL_RECORD_REQUESTS")
	if path == "" || len(body) > 64<<10 {
		return
	}
	r := recorded{Method: req.Method, Path: req.URL.Path, Body: string(body), Header: map[string][]string{}}
	for k, v := range req.Header {
		r.Header[k] = v
	}
	line, _ := json.Marshal(r)
	recordMu.Lock()
	defer recordMu.Unlock()
	if recordSeen[string(line)] {
		return
	}
	recordSeen[string(line)] = true
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	_, _ = f.Write(append(line, '\n'))
}

// exposure are generate.yml's rules, which live mode builds its schema with
// (as main does).
func exposure(t testing.TB) *schemagen.Config {
	t.Helper()
	rules, err := schemagen.ParseConfig(generateYML)
	if err != nil {
		t.Fatal(err)
	}
	return &rules
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

func (e gqlError) code() string { s, _ := e.Extensions["code"].(string); return s }

// do posts a query and decodes data into out; it returns the errors.
func (g *gateway) do(query string, vars map[string]any, out any) []gqlError {
	g.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, g.url+"/graphql", bytes.NewReader(body))
	if err != nil {
		g.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if g.auth != "" {
		req.Header.Set("Authorization", g.auth)
	}
	recordRequest(req, body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		g.t.Fatal(err)
	}
	defer resp.Body.Close()
	h := resp.Header
	if g.last != nil {
		g.last.Store(&h)
	}
	raw, _ := io.ReadAll(resp.Body)
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		g.t.Fatalf("response is not JSON (%d): %s", resp.StatusCode, raw)
	}
	if out != nil && len(env.Data) > 0 && string(env.Data) != "null" {
		if err := json.Unmarshal(env.Data, out); err != nil {
			g.t.Fatalf("decode data: %v\n%s", err, env.Data)
		}
	}
	return env.Errors
}

// mustDo is do that fails the test on any GraphQL error.
func (g *gateway) mustDo(query string, vars map[string]any, out any) {
	g.t.Helper()
	if errs := g.do(query, vars, out); len(errs) > 0 {
		g.t.Fatalf("unexpected errors: %+v", errs)
	}
}

// demo reads the demo dataset the test server serves, straight from its
// files, so expectations do not depend on the server's own search code.
type record map[string]any

func demo(t *testing.T, model string) []record {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("odoo", "odootest", "testdata", "demo", model+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Records []record `json:"records"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return f.Records
}

func (r record) id() string { return strconv.Itoa(int(r["id"].(float64))) }
func (r record) str(k string) string {
	s, _ := r[k].(string)
	return s
}
func (r record) m2o(k string) (string, string) {
	v, ok := r[k].([]any)
	if !ok {
		return "", ""
	}
	return strconv.Itoa(int(v[0].(float64))), v[1].(string)
}
func (r record) ids(k string) []string {
	var out []string
	for _, v := range r[k].([]any) {
		out = append(out, strconv.Itoa(int(v.(float64))))
	}
	return out
}

func filter(recs []record, keep func(record) bool) []record {
	var out []record
	for _, r := range recs {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

func active(r record) bool { return r["active"] != false }

func idsOf(recs []record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.id()
	}
	return out
}

func sortedIDs(ids []string) []string {
	out := slices.Clone(ids)
	sort.Slice(out, func(i, j int) bool { a, _ := strconv.Atoi(out[i]); b, _ := strconv.Atoi(out[j]); return a < b })
	return out
}

type node struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func nodeIDs(ns []node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.ID
	}
	return out
}

func TestReadmeQuery(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		var got struct {
			ResPartners struct {
				TotalCount int `json:"totalCount"`
				Nodes      []struct {
					Name      string `json:"name"`
					CountryID *struct {
						Code string `json:"code"`
					} `json:"country_id"`
					ChildIDs []struct {
						Name string `json:"name"`
					} `json:"child_ids"`
				} `json:"nodes"`
			} `json:"resPartners"`
		}
		g.mustDo(`{ resPartners(where: {is_company: {eq: true}}, orderBy: [{name: ASC}], limit: 5) {
			totalCount nodes { name country_id { code } child_ids { name } } } }`, nil, &got)

		partners := demo(t, "res.partner")
		companies := filter(partners, func(r record) bool { return active(r) && r["is_company"] == true })
		sort.Slice(companies, func(i, j int) bool { return companies[i].str("name") < companies[j].str("name") })
		if got.ResPartners.TotalCount != len(companies) {
			t.Errorf("totalCount = %d, want %d", got.ResPartners.TotalCount, len(companies))
		}
		if len(got.ResPartners.Nodes) != 5 {
			t.Fatalf("got %d nodes, want 5", len(got.ResPartners.Nodes))
		}
		names := map[string]record{}
		for _, p := range partners {
			names[p.id()] = p
		}
		for i, n := range got.ResPartners.Nodes {
			want := companies[i]
			if n.Name != want.str("name") {
				t.Errorf("node %d: name %q, want %q", i, n.Name, want.str("name"))
			}
			if n.CountryID == nil || n.CountryID.Code != "US" {
				t.Errorf("node %d: country %+v, want US", i, n.CountryID)
			}
			var wantChildren []string
			for _, id := range want.ids("child_ids") {
				if c := names[id]; active(c) {
					wantChildren = append(wantChildren, c.str("name"))
				}
			}
			var gotChildren []string
			for _, c := range n.ChildIDs {
				gotChildren = append(gotChildren, c.Name)
			}
			sort.Strings(wantChildren)
			sort.Strings(gotChildren)
			if !slices.Equal(gotChildren, wantChildren) {
				t.Errorf("node %d (%s): children %v, want %v", i, n.Name, gotChildren, wantChildren)
			}
		}
	})
}

func TestByID(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		var got struct {
			P *struct {
				ID        string  `json:"id"`
				Name      string  `json:"name"`
				Email     *string `json:"email"`
				IsCompany bool    `json:"is_company"`
				ParentID  *struct {
					ID          string `json:"id"`
					DisplayName string `json:"display_name"`
				} `json:"parent_id"`
				CountryID *struct {
					Code string `json:"code"`
					Name string `json:"name"`
				} `json:"country_id"`
			} `json:"p"`
			Missing *struct{ ID string } `json:"missing"`
		}
		// Partner 27 (Eric Lambert) works at Azure Interior (15).
		g.mustDo(`{ p: resPartner(id: "27") { id name email is_company parent_id { id display_name } country_id { code name } }
			missing: resPartner(id: "999999") { id } }`, nil, &got)
		want := filter(demo(t, "res.partner"), func(r record) bool { return r.id() == "27" })[0]
		if got.P == nil || got.P.Name != want.str("name") || got.P.ID != "27" {
			t.Fatalf("got %+v, want partner 27 %s", got.P, want.str("name"))
		}
		pid, pname := want.m2o("parent_id")
		if got.P.ParentID == nil || got.P.ParentID.ID != pid || got.P.ParentID.DisplayName != pname {
			t.Errorf("parent_id = %+v, want %s %s", got.P.ParentID, pid, pname)
		}
		if got.P.Email == nil || *got.P.Email != want.str("email") {
			t.Errorf("email = %v, want %s", got.P.Email, want.str("email"))
		}
		if got.P.IsCompany {
			t.Error("is_company: want false")
		}
		if got.Missing != nil {
			t.Errorf("a missing id must be null, got %+v", got.Missing)
		}
	})
}

func TestFilterOperators(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		partners := filter(demo(t, "res.partner"), active)
		byID := map[string]record{}
		for _, p := range demo(t, "res.partner") {
			byID[p.id()] = p
		}
		countries := map[string]record{}
		for _, c := range demo(t, "res.country") {
			countries[c.id()] = c
		}
		lower := strings.ToLower
		tests := []struct {
			name  string
			where string
			want  func(record) bool
		}{
			{"eq", `{name: {eq: "Deco Addict"}}`, func(r record) bool { return r.str("name") == "Deco Addict" }},
			{"ne", `{name: {ne: "Deco Addict"}}`, func(r record) bool { return r.str("name") != "Deco Addict" }},
			{"in", `{name: {in: ["Deco Addict", "Lumber Inc"]}}`, func(r record) bool { return r.str("name") == "Deco Addict" || r.str("name") == "Lumber Inc" }},
			{"nin", `{name: {nin: ["Deco Addict", "Lumber Inc"]}}`, func(r record) bool { return r.str("name") != "Deco Addict" && r.str("name") != "Lumber Inc" }},
			{"like", `{name: {like: "Inc"}}`, func(r record) bool { return strings.Contains(r.str("name"), "Inc") }},
			{"ilike", `{name: {ilike: "deco"}}`, func(r record) bool { return strings.Contains(lower(r.str("name")), "deco") }},
			{"notIlike", `{name: {notIlike: "a"}}`, func(r record) bool { return !strings.Contains(lower(r.str("name")), "a") }},
			{"notLike", `{name: {notLike: "a"}}`, func(r record) bool { return !strings.Contains(r.str("name"), "a") }},
			{"id gt lt", `{id: {gt: "10", lt: "20"}}`, func(r record) bool { n, _ := strconv.Atoi(r.id()); return n > 10 && n < 20 }},
			{"id gte lte", `{id: {gte: "10", lte: "20"}}`, func(r record) bool { n, _ := strconv.Atoi(r.id()); return n >= 10 && n <= 20 }},
			{"id in", `{id: {in: ["1", "3", "15"]}}`, func(r record) bool { return r.id() == "1" || r.id() == "3" || r.id() == "15" }},
			{"int gte", `{customer_rank: {gte: 1}}`, func(r record) bool { c, _ := r["customer_rank"].(float64); return c >= 1 }},
			{"int lt", `{customer_rank: {lt: 1}}`, func(r record) bool { c, _ := r["customer_rank"].(float64); return c < 1 }},
			{"bool eq", `{is_company: {eq: true}}`, func(r record) bool { return r["is_company"] == true }},
			{"bool ne", `{is_company: {ne: true}}`, func(r record) bool { return r["is_company"] != true }},
			{"isSet true", `{website: {isSet: true}}`, func(r record) bool { return r.str("website") != "" }},
			{"isSet false", `{website: {isSet: false}}`, func(r record) bool { return r.str("website") == "" }},
			{"enum eq", `{type: {eq: contact}}`, func(r record) bool { return r.str("type") == "contact" }},
			{"m2o isSet false", `{parent_id: {id: {isSet: false}}}`, func(r record) bool { id, _ := r.m2o("parent_id"); return id == "" }},
			{"m2o id eq", `{parent_id: {id: {eq: "15"}}}`, func(r record) bool { id, _ := r.m2o("parent_id"); return id == "15" }},
			{"nested m2o", `{country_id: {code: {eq: "US"}}}`, func(r record) bool {
				id, _ := r.m2o("country_id")
				return id != "" && countries[id].str("code") == "US"
			}},
			{"nested two levels", `{parent_id: {country_id: {code: {eq: "US"}}}}`, func(r record) bool {
				pid, _ := r.m2o("parent_id")
				if pid == "" {
					return false
				}
				cid, _ := byID[pid].m2o("country_id")
				return cid != "" && countries[cid].str("code") == "US"
			}},
			{"x2many any", `{child_ids: {name: {ilike: "edith"}}}`, func(r record) bool {
				for _, c := range r.ids("child_ids") {
					if active(byID[c]) && strings.Contains(lower(byID[c].str("name")), "edith") {
						return true
					}
				}
				return false
			}},
			{"and", `{and: [{is_company: {eq: true}}, {name: {ilike: "in"}}]}`, func(r record) bool {
				return r["is_company"] == true && strings.Contains(lower(r.str("name")), "in")
			}},
			{"or", `{or: [{name: {eq: "Deco Addict"}}, {name: {eq: "Lumber Inc"}}]}`, func(r record) bool {
				return r.str("name") == "Deco Addict" || r.str("name") == "Lumber Inc"
			}},
			{"not", `{not: {is_company: {eq: true}}}`, func(r record) bool { return r["is_company"] != true }},
			{"not or", `{not: {or: [{is_company: {eq: true}}, {name: {ilike: "a"}}]}}`, func(r record) bool {
				return !(r["is_company"] == true || strings.Contains(lower(r.str("name")), "a"))
			}},
			{"several fields", `{is_company: {eq: false}, parent_id: {id: {eq: "15"}}}`, func(r record) bool {
				id, _ := r.m2o("parent_id")
				return r["is_company"] != true && id == "15"
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var got struct {
					ResPartners struct {
						TotalCount int    `json:"totalCount"`
						Nodes      []node `json:"nodes"`
					} `json:"resPartners"`
				}
				g.mustDo(`{ resPartners(where: `+tt.where+`, orderBy: [{id: ASC}], limit: 1000) { totalCount nodes { id name } } }`, nil, &got)
				want := idsOf(filter(partners, tt.want))
				if len(want) == 0 {
					t.Fatalf("test case matches nothing in the demo data: make it stronger")
				}
				if !slices.Equal(nodeIDs(got.ResPartners.Nodes), sortedIDs(want)) {
					t.Errorf("got %v, want %v", nodeIDs(got.ResPartners.Nodes), sortedIDs(want))
				}
				if got.ResPartners.TotalCount != len(want) {
					t.Errorf("totalCount %d, want %d", got.ResPartners.TotalCount, len(want))
				}
			})
		}
	})
}

func TestFilterVariables(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		var got struct {
			ResPartners struct {
				Nodes []node `json:"nodes"`
			} `json:"resPartners"`
		}
		g.mustDo(`query($w: ResPartnerWhere, $n: Int) { resPartners(where: $w, limit: $n, orderBy: [{id: DESC}]) { nodes { id name } } }`,
			map[string]any{"w": map[string]any{"id": map[string]any{"in": []string{"10", "11", "15"}}}, "n": 2}, &got)
		if !slices.Equal(nodeIDs(got.ResPartners.Nodes), []string{"15", "11"}) {
			t.Errorf("got %v, want [15 11]", nodeIDs(got.ResPartners.Nodes))
		}
	})
}

func TestRawDomain(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		partners := filter(demo(t, "res.partner"), active)
		t.Run("valid", func(t *testing.T) {
			var got struct {
				ResPartners struct {
					Nodes []node `json:"nodes"`
				} `json:"resPartners"`
			}
			// Companies or partners named like "Lambert", as a literal and as a variable string.
			want := idsOf(filter(partners, func(r record) bool {
				return r["is_company"] == true || strings.Contains(strings.ToLower(r.str("name")), "lambert")
			}))
			g.mustDo(`{ resPartners(domain: ["|", ["is_company", "=", true], ["name", "ilike", "lambert"]], orderBy: [{id: ASC}]) { nodes { id } } }`, nil, &got)
			if !slices.Equal(nodeIDs(got.ResPartners.Nodes), sortedIDs(want)) {
				t.Errorf("literal: got %v, want %v", nodeIDs(got.ResPartners.Nodes), sortedIDs(want))
			}
			g.mustDo(`query($d: JSON) { resPartners(domain: $d, orderBy: [{id: ASC}]) { nodes { id } } }`,
				map[string]any{"d": `["|", ["is_company", "=", true], ["name", "ilike", "lambert"]]`}, &got)
			if !slices.Equal(nodeIDs(got.ResPartners.Nodes), sortedIDs(want)) {
				t.Errorf("string variable: got %v, want %v", nodeIDs(got.ResPartners.Nodes), sortedIDs(want))
			}
			// Dotted path, and where and domain together (and-ed).
			want = idsOf(filter(partners, func(r record) bool {
				_, c := r.m2o("country_id")
				return c == "United States" && r["is_company"] == true
			}))
			g.mustDo(`{ resPartners(where: {is_company: {eq: true}}, domain: [["country_id.code", "=", "US"]], orderBy: [{id: ASC}]) { nodes { id } } }`, nil, &got)
			if !slices.Equal(nodeIDs(got.ResPartners.Nodes), sortedIDs(want)) {
				t.Errorf("dotted: got %v, want %v", nodeIDs(got.ResPartners.Nodes), sortedIDs(want))
			}
		})
		invalid := []struct{ domain, want string }{
			{`[["no_such_field", "=", 1]]`, `unknown field "no_such_field" on res.partner`},
			{`[["name", "≈", "x"]]`, `unknown operator`},
			{`[["name", "="]]`, `a term has 3 items`},
			{`["|", ["name", "=", "x"]]`, `operand(s) missing`},
			{`[["country_id.nope", "=", "x"]]`, `unknown field "nope" on res.country`},
			{`[["name.code", "=", "x"]]`, `is not a relation`},
			{`[["id", "in", 5]]`, `needs a list value`},
			{`"not json"`, `not valid JSON`},
			{`{"a": 1}`, `must be a list`},
			{`["&&", ["name", "=", "x"]]`, `unknown operator "&&"`},
		}
		for _, tt := range invalid {
			t.Run("invalid "+tt.domain, func(t *testing.T) {
				errs := g.do(`query($d: JSON) { resPartners(domain: $d) { nodes { id } } }`, map[string]any{"d": json.RawMessage(tt.domain)}, nil)
				if tt.domain == `"not json"` {
					errs = g.do(`query($d: JSON) { resPartners(domain: $d) { nodes { id } } }`, map[string]any{"d": "not json"}, nil)
				}
				if len(errs) != 1 {
					t.Fatalf("want one error, got %+v", errs)
				}
				if errs[0].code() != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, tt.want) {
					t.Errorf("got %q (%s), want BAD_USER_INPUT containing %q", errs[0].Message, errs[0].code(), tt.want)
				}
				if strings.Contains(errs[0].Message, "Traceback") {
					t.Error("traceback leaked")
				}
			})
		}
	})
}

func TestOrderAndPagination(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		partners := filter(demo(t, "res.partner"), active)
		// Sort like Odoo: is_company DESC, then name ASC.
		sorted := slices.Clone(partners)
		sort.SliceStable(sorted, func(i, j int) bool {
			a, b := sorted[i], sorted[j]
			if (a["is_company"] == true) != (b["is_company"] == true) {
				return a["is_company"] == true
			}
			return a.str("name") < b.str("name")
		})
		all := idsOf(sorted)
		for _, pg := range []struct{ offset, limit int }{{0, 5}, {5, 5}, {40, 5}, {0, 0}, {3, 100}} {
			t.Run(fmt.Sprintf("offset%d-limit%d", pg.offset, pg.limit), func(t *testing.T) {
				var got struct {
					ResPartners struct {
						TotalCount int    `json:"totalCount"`
						Nodes      []node `json:"nodes"`
					} `json:"resPartners"`
				}
				g.mustDo(`query($o: Int, $l: Int) { resPartners(orderBy: [{is_company: DESC}, {name: ASC}], offset: $o, limit: $l) { totalCount nodes { id name } } }`,
					map[string]any{"o": pg.offset, "l": pg.limit}, &got)
				end := min(pg.offset+pg.limit, len(all))
				want := []string{}
				if pg.offset < len(all) {
					want = all[pg.offset:end]
				}
				if !slices.Equal(nodeIDs(got.ResPartners.Nodes), want) {
					t.Errorf("got %v, want %v", nodeIDs(got.ResPartners.Nodes), want)
				}
				if got.ResPartners.TotalCount != len(all) {
					t.Errorf("totalCount %d, want %d", got.ResPartners.TotalCount, len(all))
				}
			})
		}
	})
}

func TestX2ManyArguments(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		var got struct {
			P struct {
				All     []node `json:"all"`
				Two     []node `json:"two"`
				Skipped []node `json:"skipped"`
				Ericish []node `json:"ericish"`
			} `json:"p"`
		}
		// Gemini Furniture (11) has four contacts.
		g.mustDo(`{ p: resPartner(id: "11") {
			all: child_ids(orderBy: [{name: ASC}]) { id name }
			two: child_ids(orderBy: [{name: DESC}], limit: 2) { id name }
			skipped: child_ids(orderBy: [{name: ASC}], offset: 3) { id name }
			ericish: child_ids(where: {name: {ilike: "e"}}, orderBy: [{id: ASC}]) { id name }
		} }`, nil, &got)
		byID := map[string]record{}
		for _, p := range demo(t, "res.partner") {
			byID[p.id()] = p
		}
		var kids []record
		for _, id := range byID["11"].ids("child_ids") {
			if active(byID[id]) {
				kids = append(kids, byID[id])
			}
		}
		sort.Slice(kids, func(i, j int) bool { return kids[i].str("name") < kids[j].str("name") })
		asc := idsOf(kids)
		if len(asc) < 4 {
			t.Fatalf("demo data changed: partner 11 has %d contacts", len(asc))
		}
		if !slices.Equal(nodeIDs(got.P.All), asc) {
			t.Errorf("all: %v, want %v", nodeIDs(got.P.All), asc)
		}
		desc := slices.Clone(asc)
		slices.Reverse(desc)
		if !slices.Equal(nodeIDs(got.P.Two), desc[:2]) {
			t.Errorf("two: %v, want %v", nodeIDs(got.P.Two), desc[:2])
		}
		if !slices.Equal(nodeIDs(got.P.Skipped), asc[3:]) {
			t.Errorf("skipped: %v, want %v", nodeIDs(got.P.Skipped), asc[3:])
		}
		var e []string
		for _, k := range kids {
			if strings.Contains(strings.ToLower(k.str("name")), "e") {
				e = append(e, k.id())
			}
		}
		if !slices.Equal(nodeIDs(got.P.Ericish), sortedIDs(e)) {
			t.Errorf("filtered: %v, want %v", nodeIDs(got.P.Ericish), sortedIDs(e))
		}
	})
}

func TestFieldTypes(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		orders := demo(t, "sale.order")
		o := orders[0]
		var got struct {
			O struct {
				ID          string  `json:"id"`
				Name        string  `json:"name"`
				State       string  `json:"state"`
				DateOrder   string  `json:"date_order"`
				Validity    *string `json:"validity_date"`
				AmountTotal float64 `json:"amount_total"`
				Locked      bool    `json:"locked"`
				Note        *string `json:"client_order_ref"`
				PartnerID   *node   `json:"partner_id"`
				Lines       []node  `json:"order_line"`
				TagIDs      []node  `json:"tag_ids"`
				Currency    *struct {
					Name string `json:"name"`
				} `json:"currency_id"`
				Journal *struct {
					ID          string `json:"id"`
					DisplayName string `json:"display_name"`
				} `json:"journal_id"`
			} `json:"o"`
		}
		g.mustDo(`{ o: saleOrder(id: "`+o.id()+`") { id name state date_order validity_date amount_total locked client_order_ref
			partner_id { id name } order_line { id name } tag_ids { id name } currency_id { name } journal_id { id display_name } } }`, nil, &got)
		if got.O.Name != o.str("name") || got.O.State != o.str("state") {
			t.Errorf("name/state = %s/%s, want %s/%s", got.O.Name, got.O.State, o.str("name"), o.str("state"))
		}
		wantDate := strings.Replace(o.str("date_order"), " ", "T", 1) + "Z"
		if got.O.DateOrder != wantDate {
			t.Errorf("date_order = %s, want %s (ISO 8601 UTC)", got.O.DateOrder, wantDate)
		}
		if v := o.str("validity_date"); v != "" && (got.O.Validity == nil || *got.O.Validity != v) {
			t.Errorf("validity_date = %v, want %s", got.O.Validity, v)
		}
		if got.O.AmountTotal != o["amount_total"].(float64) {
			t.Errorf("amount_total = %v, want %v", got.O.AmountTotal, o["amount_total"])
		}
		if got.O.Locked != (o["locked"] == true) {
			t.Errorf("locked = %v", got.O.Locked)
		}
		if o["client_order_ref"] == false && got.O.Note != nil {
			t.Errorf("an empty char must be null, got %q", *got.O.Note)
		}
		pid, pname := o.m2o("partner_id")
		if got.O.PartnerID == nil || got.O.PartnerID.ID != pid || got.O.PartnerID.Name != pname {
			t.Errorf("partner_id = %+v, want %s %s", got.O.PartnerID, pid, pname)
		}
		if !slices.Equal(nodeIDs(got.O.Lines), o.ids("order_line")) {
			t.Errorf("order_line = %v, want %v", nodeIDs(got.O.Lines), o.ids("order_line"))
		}
		if got.O.Currency == nil || got.O.Currency.Name == "" {
			t.Errorf("currency_id = %+v", got.O.Currency)
		}
		if jid, jname := o.m2o("journal_id"); jid != "" {
			if got.O.Journal == nil || got.O.Journal.ID != jid || got.O.Journal.DisplayName != jname {
				t.Errorf("journal_id (outside model) = %+v, want %s %s", got.O.Journal, jid, jname)
			}
		} else if got.O.Journal != nil {
			t.Errorf("empty many2one must be null, got %+v", got.O.Journal)
		}
	})
}

func TestMutationsRoundTrip(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		type partner struct {
			ID         string `json:"id"`
			Name       string `json:"name"`
			Email      string `json:"email"`
			IsCompany  bool   `json:"is_company"`
			CountryID  *node  `json:"country_id"`
			CategoryID []node `json:"category_id"`
		}
		var created struct {
			P partner `json:"createResPartner"`
		}
		g.mustDo(`mutation { createResPartner(input: {name: "Zoë & Co <b>", email: "zoe@example.com", is_company: true, country_id: "233", category_id: {set: ["4", "5"]}}) {
			id name email is_company country_id { id name } category_id { id name } } }`, nil, &created)
		p := created.P
		if p.ID == "" || p.Name != "Zoë & Co <b>" || p.Email != "zoe@example.com" || !p.IsCompany {
			t.Fatalf("created %+v", p)
		}
		if p.CountryID == nil || p.CountryID.ID != "233" {
			t.Errorf("country_id = %+v", p.CountryID)
		}
		if !slices.Equal(sortedIDs(nodeIDs(p.CategoryID)), []string{"4", "5"}) {
			t.Errorf("category_id = %v, want [4 5]", nodeIDs(p.CategoryID))
		}

		var updated struct {
			U []partner `json:"updateResPartner"`
		}
		g.mustDo(`mutation($ids: [ID!]!) { updateResPartner(ids: $ids, input: {email: "new@example.com", country_id: null, category_id: {add: ["7"], remove: ["4"]}}) {
			id email country_id { id } category_id { id } } }`, map[string]any{"ids": []string{p.ID}}, &updated)
		if len(updated.U) != 1 || updated.U[0].Email != "new@example.com" || updated.U[0].CountryID != nil {
			t.Fatalf("updated %+v", updated.U)
		}
		if !slices.Equal(sortedIDs(nodeIDs(updated.U[0].CategoryID)), []string{"5", "7"}) {
			t.Errorf("category_id after add/remove = %v, want [5 7]", nodeIDs(updated.U[0].CategoryID))
		}

		var many struct {
			M []partner `json:"createResPartnerMany"`
		}
		g.mustDo(`mutation { createResPartnerMany(inputs: [{name: "A1"}, {name: "A2"}]) { id name } }`, nil, &many)
		if len(many.M) != 2 || many.M[0].Name != "A1" || many.M[1].Name != "A2" {
			t.Fatalf("createMany %+v", many.M)
		}

		var deleted struct {
			D struct {
				IDs     []string `json:"ids"`
				NodeIDs []string `json:"nodeIds"`
			} `json:"deleteResPartner"`
		}
		ids := []string{p.ID, many.M[0].ID, many.M[1].ID}
		g.mustDo(`mutation($ids: [ID!]!) { deleteResPartner(ids: $ids) { ids nodeIds } }`, map[string]any{"ids": ids}, &deleted)
		if !slices.Equal(deleted.D.IDs, ids) {
			t.Errorf("deleted %v, want %v", deleted.D.IDs, ids)
		}
		for i, n := range deleted.D.NodeIDs {
			if m, id, err := engine.ParseNodeID(n); err != nil || m != "res.partner" || i >= len(ids) || id != ids[i] {
				t.Errorf("deleted node id %d: %q (%s %s %v), want res.partner's of %v", i, n, m, id, err, ids)
			}
		}
		if len(deleted.D.NodeIDs) != len(ids) {
			t.Errorf("%d node ids for %d deleted records", len(deleted.D.NodeIDs), len(ids))
		}
		var after struct {
			P *partner `json:"resPartner"`
		}
		g.mustDo(`query($id: ID!) { resPartner(id: $id) { id } }`, map[string]any{"id": p.ID}, &after)
		if after.P != nil {
			t.Errorf("deleted partner still readable: %+v", after.P)
		}
	})
}

func TestBadInput(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		tests := []struct {
			name, query, code, msg string
		}{
			{"bad id", `{ resPartner(id: "abc") { id } }`, "BAD_USER_INPUT", `invalid id "abc"`},
			{"negative id", `{ resPartner(id: "-3") { id } }`, "BAD_USER_INPUT", `invalid id`},
			{"limit too large", `{ resPartners(limit: 5000) { nodes { id } } }`, "BAD_USER_INPUT", "limit 5000 exceeds the maximum of 1000"},
			{"negative offset", `{ resPartners(offset: -1) { nodes { id } } }`, "BAD_USER_INPUT", "offset must not be negative"},
			{"two sort keys in one entry", `{ resPartners(orderBy: [{name: ASC, id: DESC}]) { nodes { id } } }`, "BAD_USER_INPUT", "exactly one field"},
			{"unknown field", `{ resPartners { nodes { no_such_field } } }`, "GRAPHQL_VALIDATION_FAILED", `Cannot query field "no_such_field"`},
			{"missing required (Odoo validation)", `mutation { createSaleOrder(input: {note: "x"}) { id } }`, "BAD_USER_INPUT", "mandatory field"},
			{"bad date", `{ saleOrders(where: {validity_date: {gt: "yesterday"}}) { nodes { id } } }`, "BAD_USER_INPUT", "Date must be YYYY-MM-DD"},
			{"bad date variable", `query($d: Date = "yesterday") { saleOrders(where: {validity_date: {gt: $d}}) { nodes { id } } }`, "BAD_USER_INPUT", "Date must be YYYY-MM-DD"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				errs := g.do(tt.query, nil, nil)
				if len(errs) == 0 {
					t.Fatal("want an error")
				}
				if errs[0].code() != tt.code || !strings.Contains(errs[0].Message, tt.msg) {
					t.Errorf("got %q (%s), want %s containing %q", errs[0].Message, errs[0].code(), tt.code, tt.msg)
				}
			})
		}
	})
}

// TestReadmeExamples runs every GraphQL example of README.md against the
// demo data, so the documentation cannot drift from the code.
func TestReadmeExamples(t *testing.T) {
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(raw), "```graphql\n")[1:]
	if len(blocks) < 4 {
		t.Fatalf("found %d GraphQL examples in README.md, want at least 4", len(blocks))
	}
	g := newGateway(t, single(engine.Auto))
	for i, b := range blocks {
		q, _, _ := strings.Cut(b, "```")
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			var data map[string]any
			g.mustDo(q, nil, &data)
			if len(data) == 0 {
				t.Fatalf("no data for:\n%s", q)
			}
			for k, v := range data {
				if v == nil {
					t.Errorf("%s is null for:\n%s", k, q)
				}
			}
		})
	}
}

// TestFieldSelectionDrivesFetch checks that Odoo is asked for exactly the
// fields a query names, and that a many2one whose sub-selection the pair
// [id, name] already answers costs no read.
func TestFieldSelectionDrivesFetch(t *testing.T) {
	g := newGateway(t, single(engine.Batched))
	g.mustDo(`{ resPartners(limit: 3) { nodes { name country_id { code } } } }`, nil, nil)
	g.odoo.ResetCounters()
	g.mustDo(`{ resPartners(limit: 3) { nodes { name country_id { code } parent_id { id display_name } } } }`, nil, nil)
	log := g.odoo.CallLog()
	if len(log) != 2 {
		t.Fatalf("want 2 calls (search_read res.partner, read res.country), got %d: %+v", len(log), log)
	}
	if log[0].Model != "res.partner" || log[0].Method != "search_read" {
		t.Fatalf("first call %s.%s", log[0].Model, log[0].Method)
	}
	fieldsOf := func(c odootest.Call) string {
		var out []string
		for _, f := range c.Kwargs["fields"].([]any) {
			out = append(out, f.(string))
		}
		sort.Strings(out)
		return fmt.Sprint(out)
	}
	if got := fieldsOf(log[0]); got != "[country_id id name parent_id]" {
		t.Errorf("partner fields = %s, want [country_id id name parent_id]", got)
	}
	if log[1].Model != "res.country" || log[1].Method != "read" {
		t.Fatalf("second call %s.%s", log[1].Model, log[1].Method)
	}
	if got := fieldsOf(log[1]); got != "[code id]" {
		t.Errorf("country fields = %s, want [code id]", got)
	}
	if n := g.odoo.Calls("res.partner", "search_count"); n != 0 {
		t.Errorf("totalCount not selected, yet %d search_count calls", n)
	}
}

func TestScalarMappings(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		task := demo(t, "project.task")[0]
		line := demo(t, "sale.order.line")[0]
		partner := filter(demo(t, "res.partner"), func(r record) bool { return r.id() == "12" })[0]
		var got struct {
			T struct {
				State    *string `json:"state"`
				Priority *string `json:"priority"`
			} `json:"t"`
			L struct {
				Distribution any      `json:"analytic_distribution"`
				Qty          *float64 `json:"product_uom_qty"`
				Sequence     *int     `json:"sequence"`
			} `json:"l"`
			P struct {
				Rank     *int     `json:"customer_rank"`
				Lat      *float64 `json:"partner_latitude"`
				Type     *string  `json:"type"`
				Function *string  `json:"function"`
			} `json:"p"`
		}
		g.mustDo(`{ t: projectTask(id: "`+task.id()+`") { state priority }
			l: saleOrderLine(id: "`+line.id()+`") { analytic_distribution product_uom_qty sequence }
			p: resPartner(id: "12") { customer_rank partner_latitude type function } }`, nil, &got)
		// Selections whose values are not GraphQL names are strings.
		if got.T.State == nil || *got.T.State != task.str("state") || got.T.Priority == nil || *got.T.Priority != task.str("priority") {
			t.Errorf("task state/priority = %v/%v, want %s/%s", got.T.State, got.T.Priority, task.str("state"), task.str("priority"))
		}
		if got.L.Distribution != nil {
			t.Errorf("empty json must be null, got %v", got.L.Distribution)
		}
		if got.L.Qty == nil || *got.L.Qty != line["product_uom_qty"].(float64) {
			t.Errorf("product_uom_qty = %v, want %v", got.L.Qty, line["product_uom_qty"])
		}
		if got.L.Sequence == nil || float64(*got.L.Sequence) != line["sequence"].(float64) {
			t.Errorf("sequence = %v, want %v", got.L.Sequence, line["sequence"])
		}
		if got.P.Rank == nil || float64(*got.P.Rank) != partner["customer_rank"].(float64) {
			t.Errorf("customer_rank = %v, want %v", got.P.Rank, partner["customer_rank"])
		}
		if got.P.Lat == nil || *got.P.Lat != partner["partner_latitude"].(float64) {
			t.Errorf("partner_latitude = %v, want %v", got.P.Lat, partner["partner_latitude"])
		}
		if got.P.Type == nil || *got.P.Type != partner.str("type") {
			t.Errorf("type (enum) = %v, want %s", got.P.Type, partner.str("type"))
		}
		if partner["function"] == false && got.P.Function != nil {
			t.Errorf("empty char must be null, got %q", *got.P.Function)
		}
	})
}

// TestRPCCounts asserts the exact Odoo calls each query shape costs, under
// both fetch strategies, from the test server's own counters.
func TestRPCCounts(t *testing.T) {
	const issueQuery = `{ resPartners(limit: 50) { totalCount nodes { name country_id { name } parent_id { name country_id { code } }
		child_ids { name email } category_id { name } } } }`
	tests := []struct {
		name    string
		query   string
		vars    map[string]any
		nested  map[string]int
		batched map[string]int
	}{
		{"partner list with relations", issueQuery,
			nil,
			map[string]int{"res.partner.web_search_read": 1},
			// search_read + count; level 1: country, partner (parents and
			// children together), category; level 2: the parents' countries.
			map[string]int{"res.partner.search_read": 1, "res.partner.search_count": 1, "res.country.read": 2, "res.partner.read": 1, "res.partner.category.read": 1}},
		{"count only", `{ resPartners { totalCount } }`, nil,
			map[string]int{"res.partner.search_count": 1},
			map[string]int{"res.partner.search_count": 1}},
		{"no count unless asked", `{ resPartners(limit: 3) { nodes { name } } }`, nil,
			map[string]int{"res.partner.web_search_read": 1},
			map[string]int{"res.partner.search_read": 1}},
		{"many2one pair answers id and display_name", `{ resPartners(limit: 5) { nodes { parent_id { id display_name } } } }`, nil,
			map[string]int{"res.partner.web_search_read": 1},
			map[string]int{"res.partner.search_read": 1}},
		{"same model, same level, two paths", `{ resPartners { nodes { parent_id { name } commercial_partner_id { email } } } }`, nil,
			map[string]int{"res.partner.web_search_read": 1},
			map[string]int{"res.partner.search_read": 1, "res.partner.read": 1}},
		{"same model, two levels", `{ saleOrders { nodes { partner_id { name } user_id { partner_id { email } } } } }`, nil,
			map[string]int{"sale.order.web_search_read": 1},
			map[string]int{"sale.order.search_read": 1, "res.partner.read": 2, "res.users.read": 1}},
		{"aliases", `{ resPartners { nodes { a: country_id { name } b: country_id { code } } } }`, nil,
			map[string]int{"res.partner.web_search_read": 1},
			map[string]int{"res.partner.search_read": 1, "res.country.read": 1}},
		{"fragments and @include true", `query($with: Boolean!) { resPartners { nodes { ...F country_id @include(if: $with) { name } } } }
			fragment F on ResPartner { name parent_id { name } }`, map[string]any{"with": true},
			map[string]int{"res.partner.web_search_read": 1},
			map[string]int{"res.partner.search_read": 1, "res.partner.read": 1, "res.country.read": 1}},
		{"@skip", `query($skip: Boolean!) { resPartners { nodes { name country_id @skip(if: $skip) { name } } } }`, map[string]any{"skip": true},
			map[string]int{"res.partner.web_search_read": 1},
			map[string]int{"res.partner.search_read": 1}},
		{"several root fields", `{ a: resPartners(limit: 5) { nodes { country_id { name } } }
			b: saleOrders(limit: 5) { nodes { partner_id { country_id { name } } } } }`, nil,
			map[string]int{"res.partner.web_search_read": 1, "sale.order.web_search_read": 1},
			// level 1: countries (a) and partners (b); level 2: countries (b),
			// the same fields of the same countries as level 1, which the
			// request's record loader already holds.
			map[string]int{"res.partner.search_read": 1, "sale.order.search_read": 1, "res.country.read": 1, "res.partner.read": 1}},
		{"by-id roots in aliases", `{ a: resPartner(id: "10") { name country_id { name } } b: resPartner(id: "11") { name country_id { name } }
			c: saleOrder(id: "1") { name } }`, nil,
			map[string]int{"res.partner.web_read": 1, "sale.order.web_read": 1},
			map[string]int{"res.partner.read": 1, "res.country.read": 1, "sale.order.read": 1}},
		{"filtered x2many", `{ resPartners(limit: 20) { nodes { child_ids(where: {name: {ilike: "a"}}) { name } } } }`, nil,
			map[string]int{"res.partner.web_search_read": 1, "res.partner.search_read": 1},
			map[string]int{"res.partner.search_read": 2}},
		{"x2many limit and order", `{ resPartners(limit: 20) { nodes { child_ids(orderBy: [{name: DESC}], limit: 1) { name } } } }`, nil,
			map[string]int{"res.partner.web_search_read": 1},
			map[string]int{"res.partner.search_read": 2}},
		{"mutation reads back", `mutation { createResPartner(input: {name: "Counted", country_id: "233"}) { id name country_id { code } } }`, nil,
			map[string]int{"res.partner.create": 1, "res.partner.web_read": 1},
			map[string]int{"res.partner.create": 1, "res.partner.read": 1, "res.country.read": 1}},
	}
	for _, s := range strategies {
		t.Run(s.name, func(t *testing.T) {
			g := newGateway(t, s)
			g.mustDo(`{ resPartners(limit: 1) { nodes { id } } }`, nil, nil) // logs the service account in
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					g.odoo.ResetCounters()
					g.mustDo(tt.query, tt.vars, nil)
					want := tt.batched
					if s.strategy == engine.Nested {
						want = tt.nested
					}
					got := g.odoo.CallCounts()
					if fmt.Sprint(got) != fmt.Sprint(want) {
						t.Errorf("calls %v, want %v", got, want)
					}
				})
			}
		})
	}
}

// TestRPCCountsDoNotGrowWithRecords runs the issue's partner query over 5 and
// over 4,000 partners (of 5,000 synthetic ones): the number of Odoo calls is
// the same. The 4,000 partners' data are the same bytes in every mode (live
// mode attaches a level this large with a goroutine per relation).
func TestRPCCountsDoNotGrowWithRecords(t *testing.T) {
	const q = `query($n: Int) { resPartners(limit: $n) { totalCount nodes { name country_id { name } parent_id { name country_id { code } }
		child_ids { name email } category_id { name } } } }`
	data := map[string][]byte{}
	defer func() {
		for _, s := range strategies[1:] {
			if d, d0 := data[s.name], data[strategies[0].name]; d != nil && d0 != nil && !bytes.Equal(d, d0) {
				t.Errorf("%s: the 4,000 partners' data differ from %s's (%d and %d bytes)", s.name, strategies[0].name, len(d), len(d0))
			}
		}
	}()
	for _, s := range strategies {
		t.Run(s.name, func(t *testing.T) {
			g := newGatewayWith(t, s, 10000, odootest.WithSynthetic(odootest.SyntheticConfig{Partners: 5000, ContactsPerCompany: 3, Tags: 20, Seed: 1}))
			g.mustDo(`{ resPartners(limit: 1) { nodes { id } } }`, nil, nil)
			var counts []map[string]int
			for _, n := range []int{5, 4000} {
				g.odoo.ResetCounters()
				var got struct {
					ResPartners struct {
						TotalCount int `json:"totalCount"`
						Nodes      []struct {
							Name string `json:"name"`
						} `json:"nodes"`
					} `json:"resPartners"`
				}
				g.mustDo(q, map[string]any{"n": n}, &got)
				if len(got.ResPartners.Nodes) != n || got.ResPartners.TotalCount < n {
					t.Fatalf("limit %d: got %d nodes of %d", n, len(got.ResPartners.Nodes), got.ResPartners.TotalCount)
				}
				counts = append(counts, g.odoo.CallCounts())
			}
			if fmt.Sprint(counts[0]) != fmt.Sprint(counts[1]) {
				t.Errorf("5 partners: %v; 4,000 partners: %v", counts[0], counts[1])
			}
			total := 0
			for _, n := range counts[1] {
				total += n
			}
			want := map[engine.Strategy]int{engine.Nested: 1, engine.Batched: 6}[s.strategy]
			if total != want {
				t.Errorf("%d calls for 4,000 partners, want %d: %v", total, want, counts[1])
			}
			data[s.name] = g.rawData(q, map[string]any{"n": 4000})
			if n := bytes.Count(data[s.name], []byte(`"country_id":{"code"`)); n < 1000 {
				t.Errorf("%d parents with a country in 4,000 partners", n)
			}
		})
	}
}
