package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// newProductionGateway builds a gateway configured as production is: the
// configuration LoadConfig gives with ODOO_URL (here the test server) and
// the service account set, so introspection and anonymous requests are off
// and every limit has its default. The returned gateway sends credentials.
func newProductionGateway(t *testing.T) *gateway {
	t.Helper()
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	cfg, err := server.LoadConfig(nil, func(k string) string {
		return map[string]string{"ODOO_URL": o.URL, "ODOO_DB": o.DB(), "ODOO_USERNAME": "admin", "ODOO_PASSWORD": "admin"}[k]
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.NoIntrospection || cfg.AllowAnonymous {
		t.Fatalf("not the production posture: %+v", cfg)
	}
	return newGatewayOn(t, o, func(c *server.Config) { *c = cfg }).as("admin", "admin")
}

// send sends one raw request with the gateway's credentials and returns the
// status and the body.
func (g *gateway) send(t *testing.T, method, path, contentType string, body []byte, header http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, g.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if g.auth != "" {
		req.Header.Set("Authorization", g.auth)
	}
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
	return resp.StatusCode, string(raw)
}

type envelope struct {
	Data       map[string]any `json:"data"`
	Errors     []gqlError     `json:"errors"`
	Extensions map[string]any `json:"extensions"`
}

func decodeEnvelope(t *testing.T, raw string) envelope {
	t.Helper()
	var env envelope
	if err := json.Unmarshal([]byte(raw), &env); err != nil {
		t.Fatalf("not a GraphQL response: %s", raw)
	}
	return env
}

// TestGraphQLCopProbes sends every probe of graphql-cop (lib/tests/*.py) to
// the gateway in its production posture; none may find what it looks for.
// Severities are graphql-cop's.
func TestGraphQLCopProbes(t *testing.T) {
	g := newProductionGateway(t)
	postQuery := func(t *testing.T, q string) envelope {
		_, raw := g.send(t, http.MethodPost, "/graphql", "application/json", query(q), nil)
		return decodeEnvelope(t, raw)
	}

	t.Run("alias overloading (HIGH)", func(t *testing.T) {
		var b strings.Builder
		for i := range 101 {
			fmt.Fprintf(&b, "alias%d:__typename \n", i)
		}
		env := postQuery(t, "query { "+b.String()+" }")
		if env.Data["alias100"] != nil || len(env.Errors) == 0 {
			t.Errorf("101 aliases answered: %+v", env)
		}
		// Below the root, where root fields do not count, the aliases do.
		b.Reset()
		for i := range 51 {
			fmt.Fprintf(&b, "a%d: __typename ", i)
		}
		env = postQuery(t, "{ resPartners(limit: 1) { nodes { "+b.String()+"} } }")
		if len(env.Errors) != 1 || env.Errors[0].Message != "aliases 51 exceeds the limit of 50 (ODOOGQL_MAX_ALIASES)" {
			t.Errorf("51 nested __typename aliases: %+v", env)
		}
	})
	t.Run("batch queries (HIGH)", func(t *testing.T) {
		batch := make([]map[string]string, 11)
		for i := range batch {
			batch[i] = map[string]string{"query": "query { __typename }"}
		}
		body, _ := json.Marshal(batch)
		status, raw := g.send(t, http.MethodPost, "/graphql", "application/json", body, nil)
		var list []any
		if json.Unmarshal([]byte(raw), &list) == nil || status == 200 {
			t.Errorf("a batch was answered (%d): %s", status, raw)
		}
	})
	t.Run("directive overloading (HIGH)", func(t *testing.T) {
		env := postQuery(t, "query cop { __typename @aa@aa@aa@aa@aa@aa@aa@aa@aa@aa }")
		if env.Data != nil || len(env.Errors) == 10 {
			t.Errorf("10 unknown directives: %d errors, data %v", len(env.Errors), env.Data)
		}
		// However many directives, the work is bounded by the token limit.
		env = postQuery(t, "query cop { __typename "+strings.Repeat("@aa", 100_000)+" }")
		if len(env.Errors) != 1 || !strings.Contains(env.Errors[0].Message, "ODOOGQL_MAX_TOKENS") || env.Errors[0].code() != "BAD_USER_INPUT" {
			t.Errorf("100,000 directives: %d errors, first %+v", len(env.Errors), env.Errors[:min(1, len(env.Errors))])
		}
	})
	t.Run("field duplication (HIGH)", func(t *testing.T) {
		env := postQuery(t, "query cop { "+strings.Repeat("__typename \n", 500)+"} ")
		if env.Data["__typename"] != nil || len(env.Errors) != 1 || env.Errors[0].Message != "root fields 500 exceeds the limit of 20 (ODOOGQL_MAX_ROOT_FIELDS)" {
			t.Errorf("500 root __typename: %+v", env)
		}
	})
	t.Run("circular introspection (HIGH)", func(t *testing.T) {
		env := postQuery(t, "query { __schema { types { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } }")
		if env.Data["__schema"] != nil || len(env.Errors) == 0 {
			t.Errorf("circular introspection answered: %+v", env)
		}
	})
	t.Run("circular fragment (HIGH)", func(t *testing.T) {
		env := postQuery(t, "query { __schema { ...A } } fragment A on __Schema { __typename ...B } fragment B on __Schema { ...A }")
		if len(env.Errors) == 0 {
			t.Errorf("circular fragments accepted: %+v", env)
		}
	})
	t.Run("introspection (HIGH)", func(t *testing.T) {
		env := postQuery(t, "query cop { __schema { types { name fields { name } } } }")
		if env.Data["__schema"] != nil || len(env.Errors) == 0 {
			t.Errorf("introspection answered: %+v", env)
		}
	})
	t.Run("GET method query support (MEDIUM)", func(t *testing.T) {
		status, raw := g.send(t, http.MethodGet, "/graphql?"+url.Values{"query": {"query cop {__typename}"}}.Encode(), "", nil, nil)
		env := decodeEnvelope(t, raw)
		if status != 400 || env.Data != nil || len(env.Errors) != 1 || !strings.Contains(env.Errors[0].Message, "Apollo-Require-Preflight") {
			t.Errorf("GET without a CSRF header: %d %s", status, raw)
		}
	})
	t.Run("GET-based mutation (MEDIUM)", func(t *testing.T) {
		for _, h := range []http.Header{nil, {"Apollo-Require-Preflight": {"true"}}} {
			status, raw := g.send(t, http.MethodGet, "/graphql?"+url.Values{"query": {"mutation cop {__typename}"}}.Encode(), "", nil, h)
			env := decodeEnvelope(t, raw)
			if env.Data != nil || len(env.Errors) == 0 || status == 200 {
				t.Errorf("GET mutation (headers %v): %d %s", h, status, raw)
			}
		}
	})
	t.Run("POST-based CSRF (MEDIUM)", func(t *testing.T) {
		q := url.Values{"query": {"query cop {__typename}"}}.Encode()
		for _, tt := range []struct {
			path, contentType string
			body              []byte
		}{
			{"/graphql?" + q, "", nil},
			{"/graphql", "application/x-www-form-urlencoded", []byte(q)},
			{"/graphql", "text/plain", query("query cop {__typename}")},
			{"/graphql", "multipart/form-data; boundary=x", []byte("--x\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\n{__typename}\r\n--x--\r\n")},
		} {
			// Never executed: a POST must be JSON (415), which a browser
			// sends cross-origin only after a preflight.
			status, raw := g.send(t, http.MethodPost, tt.path, tt.contentType, tt.body, nil)
			env := decodeEnvelope(t, raw)
			if status != 415 || env.Data != nil || len(env.Errors) != 1 || !strings.Contains(env.Errors[0].Message, "Content-Type: application/json") {
				t.Errorf("POST %s %q: %d %s", tt.path, tt.contentType, status, raw)
			}
		}
	})
	t.Run("field suggestions (LOW)", func(t *testing.T) {
		for _, q := range []string{
			"query cop { __schema { directive } }",
			"{ resPartnerz { totalCount } }",
			"{ resPartners(limt: 1) { totalCount } }",
			"{ resPartners(orderBy: [{name: AS}]) { totalCount } }",
			`{ resPartners(where: {nme: {eq: "a"}}) { totalCount } }`,
			"{ resPartners }",
			"{ resPartners { nodes { ...F } } } fragment F on ResPartnr { name }",
		} {
			_, raw := g.send(t, http.MethodPost, "/graphql", "application/json", query(q), nil)
			env := decodeEnvelope(t, raw)
			if len(env.Errors) == 0 || strings.Contains(raw, "Did you mean") {
				t.Errorf("%s: %s", q, raw)
			}
		}
	})
	t.Run("trace mode (INFO)", func(t *testing.T) {
		_, raw := g.send(t, http.MethodPost, "/graphql", "application/json", query("query cop { __typename }"), nil)
		env := decodeEnvelope(t, raw)
		if env.Data["__typename"] != "Query" || env.Extensions["tracing"] != nil || strings.Contains(strings.ToLower(raw), "stacktrace") || strings.Contains(raw, "exception") {
			t.Errorf("tracing: %s", raw)
		}
	})
	t.Run("unhandled errors (INFO)", func(t *testing.T) {
		_, raw := g.send(t, http.MethodPost, "/graphql", "application/json", query("qwerty cop { abc }"), nil)
		env := decodeEnvelope(t, raw)
		if len(env.Errors) == 0 || env.Errors[0].Extensions["exception"] != nil || strings.Contains(raw, "exception") {
			t.Errorf("unhandled error: %s", raw)
		}
	})
	t.Run("GraphiQL detection (LOW)", func(t *testing.T) {
		for _, path := range []string{"/", "/graphiql", "/playground", "/console", "/graphql"} {
			_, raw := g.send(t, http.MethodGet, path, "", nil, nil)
			for _, word := range []string{"graphiql.min.css", "GraphQL Playground", "GraphiQL", "graphql-playground"} {
				if strings.Contains(raw, word) {
					t.Errorf("GET %s shows %q", path, word)
				}
			}
		}
	})
}

// TestCSRFPrevention: requests a browser sends cross-origin without a
// preflight run only with a CSRF header (a GET), or never (a POST that is
// not JSON: 415, with or without the header); JSON POSTs, as GraphiQL and
// every client send them, need none.
func TestCSRFPrevention(t *testing.T) {
	g := newProductionGateway(t)
	get := "/graphql?" + url.Values{"query": {"{ __typename }"}}.Encode()
	tests := []struct {
		name, method, path, contentType string
		body                            []byte
		header                          http.Header
		status                          int
	}{
		{"JSON POST", http.MethodPost, "/graphql", "application/json", query("{ __typename }"), nil, 200},
		{"JSON POST with charset", http.MethodPost, "/graphql", "application/json; charset=utf-8", query("{ __typename }"), nil, 200},
		{"GET", http.MethodGet, get, "", nil, nil, 400},
		{"GET, empty header", http.MethodGet, get, "", nil, http.Header{"Apollo-Require-Preflight": {""}}, 400},
		{"GET, Apollo-Require-Preflight", http.MethodGet, get, "", nil, http.Header{"Apollo-Require-Preflight": {"true"}}, 200},
		{"GET, X-Apollo-Operation-Name", http.MethodGet, get, "", nil, http.Header{"X-Apollo-Operation-Name": {"Q"}}, 200},
		{"POST without Content-Type", http.MethodPost, "/graphql", "", query("{ __typename }"), nil, 415},
		{"POST text/plain", http.MethodPost, "/graphql", "text/plain;charset=UTF-8", query("{ __typename }"), nil, 415},
		{"POST TEXT/PLAIN", http.MethodPost, "/graphql", "TEXT/PLAIN", query("{ __typename }"), nil, 415},
		{"POST form", http.MethodPost, "/graphql", "application/x-www-form-urlencoded", []byte("query=%7B__typename%7D"), nil, 415},
		{"POST form, Apollo-Require-Preflight", http.MethodPost, "/graphql", "application/x-www-form-urlencoded", []byte("query=%7B__typename%7D"), http.Header{"Apollo-Require-Preflight": {"true"}}, 415},
		{"POST multipart, X-Apollo-Operation-Name", http.MethodPost, "/graphql", "multipart/form-data; boundary=x", []byte("--x--\r\n"), http.Header{"X-Apollo-Operation-Name": {"Q"}}, 415},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, raw := g.send(t, tt.method, tt.path, tt.contentType, tt.body, tt.header)
			env := decodeEnvelope(t, raw)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, raw)
			}
			if status == 200 && env.Data["__typename"] != "Query" {
				t.Errorf("no data: %s", raw)
			}
			if status == 400 && (len(env.Errors) != 1 || env.Errors[0].code() != "BAD_USER_INPUT" ||
				env.Errors[0].Message != "this request has been blocked as a potential cross-site request forgery (CSRF): send it as a POST with Content-Type: application/json, or add a non-empty X-Apollo-Operation-Name or Apollo-Require-Preflight header") {
				t.Errorf("errors: %s", raw)
			}
			if status == 415 && (len(env.Errors) != 1 || env.Errors[0].code() != "BAD_USER_INPUT" ||
				!strings.Contains(env.Errors[0].Message, "must have Content-Type: application/json")) {
				t.Errorf("errors: %s", raw)
			}
		})
	}
}

// fragmentBomb returns a query whose fragment F<k> expands to 2^k copies of
// F0: deep, Fi = { parent_id { ...F(i-1) } ...F(i-1) } (depth k+2); flat,
// Fi = { ...F(i-1) ...F(i-1) } (complexity 2^(k+1)+1).
func fragmentBomb(k int, deep bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{ resPartner(id: \"1\") { ...F%d } }\nfragment F0 on ResPartner { id name }\n", k)
	for i := 1; i <= k; i++ {
		if deep {
			fmt.Fprintf(&b, "fragment F%d on ResPartner { parent_id { ...F%d } ...F%d }\n", i, i-1, i-1)
		} else {
			fmt.Fprintf(&b, "fragment F%d on ResPartner { ...F%d ...F%d }\n", i, i-1, i-1)
		}
	}
	return b.String()
}

// TestQueryCostBombs: documents that cost exponential or quadratic work
// before are refused, or answered, by work linear in their size (counted in
// internal/engine and internal/server; here they must come back with the
// right error).
func TestQueryCostBombs(t *testing.T) {
	g := newProductionGateway(t)
	bomb := fragmentBomb
	tests := []struct {
		name, q, msg string
	}{
		{"deep fragments k=30", bomb(30, true), "query depth 32 exceeds the limit of 12 (ODOOGQL_MAX_DEPTH)"},
		{"flat fragments k=30", bomb(30, false), "query complexity 2147483649 exceeds the limit of 200000 (ODOOGQL_MAX_COMPLEXITY)"},
		{"1 MiB of __typename", "{ resPartners(limit: 1) { nodes { " + strings.Repeat("__typename ", 95_000) + "} } }", "the query has more than 10000 tokens, the limit (ODOOGQL_MAX_TOKENS)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, raw := g.send(t, http.MethodPost, "/graphql", "application/json", query(tt.q), nil)
			env := decodeEnvelope(t, raw)
			if len(env.Errors) != 1 || env.Errors[0].Message != tt.msg || env.Errors[0].code() != "BAD_USER_INPUT" {
				t.Errorf("%d %s", status, raw[:min(len(raw), 500)])
			}
		})
	}
	// Repeated fields under the token limit are valid and answered.
	var out struct {
		ResPartners struct{ Nodes []map[string]any } `json:"resPartners"`
	}
	g.mustDo("{ resPartners(limit: 1) { nodes { "+strings.Repeat("name ", 9_000)+"} } }", nil, &out)
	if len(out.ResPartners.Nodes) != 1 || out.ResPartners.Nodes[0]["name"] == nil {
		t.Errorf("9,000 names: %+v", out)
	}
}
