package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/internal/server"
)

// httpExchange is one request of TestHTTPProtocol and what it must be
// answered.
type httpExchange struct {
	name           string
	method, target string // target: the path and query, "" for /graphql
	header         map[string]string
	body           string
	status         int
	allow          string
	// want are substrings of the body (request id masked); dataAbsent: the
	// body (or each element of a batch) has no data entry.
	want       []string
	dataAbsent bool
	items      int // the results of a batch
}

// goTypeLeak is what an error echoing Go's JSON decoder looks like.
var goTypeLeak = regexp.MustCompile(`Go value|Go struct|graphql\.RawParams|cannot unmarshal|map\[string\]|body:[^ ]`)

const echoMarker = "ECHO-MARKER-7f3a"

// httpExchanges are the GraphQL-over-HTTP behaviours of the gateway:
// statuses, headers, bodies, batches.
func httpExchanges() []httpExchange {
	jsonHdr := map[string]string{"Content-Type": "application/json"}
	gqlResp := map[string]string{"Content-Type": "application/json", "Accept": "application/graphql-response+json"}
	getHdr := map[string]string{"Apollo-Require-Preflight": "true"}
	get := func(q string) string { return "/graphql?" + url.Values{"query": {q}}.Encode() }
	read := `{"query": "{ resPartners(limit: 2, orderBy: [{id: ASC}]) { nodes { name } } }"}`
	return []httpExchange{
		{name: "form post", method: "POST", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, body: "query=" + echoMarker,
			status: 415, want: []string{`"code":"BAD_USER_INPUT"`, `Content-Type: application/json`}, dataAbsent: true},
		{name: "put", method: "PUT", header: jsonHdr, body: read, status: 405, allow: "GET, POST, OPTIONS",
			want: []string{`"code":"BAD_USER_INPUT"`, "only GET, POST and OPTIONS"}, dataAbsent: true},
		{name: "delete", method: "DELETE", status: 405, allow: "GET, POST, OPTIONS", want: []string{`"code":"BAD_USER_INPUT"`}, dataAbsent: true},
		{name: "patch", method: "PATCH", header: jsonHdr, body: read, status: 405, allow: "GET, POST, OPTIONS", want: []string{`"code":"BAD_USER_INPUT"`}, dataAbsent: true},
		{name: "get mutation", method: "GET", target: get(`mutation { deleteResPartner(ids: ["999999"]) { ids } }`), header: getHdr,
			status: 405, allow: "POST", want: []string{`"code":"BAD_USER_INPUT"`, "a GET request may only run queries"}, dataAbsent: true},
		{name: "get query", method: "GET", target: get(`{ resPartners(limit: 1, orderBy: [{id: ASC}]) { nodes { name } } }`), header: getHdr,
			status: 200, want: []string{`{"data":{"resPartners":{"nodes":[{"name":`}},
		{name: "array body of a string", method: "POST", header: jsonHdr, body: `["` + echoMarker + `"]`,
			status: 200, want: []string{`[{"errors":[{"message":"operation 1 of the batch is not a JSON object with a query"`}, dataAbsent: true},
		{name: "string body", method: "POST", header: jsonHdr, body: `"` + echoMarker + `"`,
			status: 400, want: []string{`the request body is not a JSON object with a query`, `"code":"BAD_USER_INPUT"`}, dataAbsent: true},
		{name: "bad json", method: "POST", header: jsonHdr, body: `{"query": "` + echoMarker,
			status: 400, want: []string{`the request body is not valid JSON`, `"code":"BAD_USER_INPUT"`}, dataAbsent: true},
		{name: "parse error, application/json", method: "POST", header: jsonHdr, body: `{"query": "{"}`,
			status: 200, want: []string{`"code":"GRAPHQL_PARSE_FAILED"`}, dataAbsent: true},
		{name: "parse error, graphql-response+json", method: "POST", header: gqlResp, body: `{"query": "{"}`,
			status: 400, want: []string{`"code":"GRAPHQL_PARSE_FAILED"`}, dataAbsent: true},
		{name: "validation error, application/json", method: "POST", header: jsonHdr, body: `{"query": "{ resPartners { nodes { nosuchfield } } }"}`,
			status: 200, want: []string{`"code":"GRAPHQL_VALIDATION_FAILED"`, "nosuchfield"}, dataAbsent: true},
		{name: "validation error, graphql-response+json", method: "POST", header: gqlResp, body: `{"query": "{ resPartners { nodes { nosuchfield } } }"}`,
			status: 400, want: []string{`"code":"GRAPHQL_VALIDATION_FAILED"`}, dataAbsent: true},
		{name: "variables, graphql-response+json", method: "POST", header: gqlResp, body: `{"query": "query($n: Int) { resPartners(limit: $n) { totalCount } }", "variables": {"n": "x"}}`,
			status: 400, want: []string{`"code":"GRAPHQL_VALIDATION_FAILED"`}, dataAbsent: true},
		{name: "page size", method: "POST", header: jsonHdr, body: `{"query": "{ resPartners(limit: 1001) { totalCount } }"}`,
			status: 200, want: []string{`"message":"limit 1001 exceeds the maximum of 1000 (ODOOGQL_MAX_LIMIT)","path":["resPartners"]`, `"code":"BAD_USER_INPUT","limit":"ODOOGQL_MAX_LIMIT","max":1000`}, dataAbsent: true},
		{name: "nested page size", method: "POST", header: jsonHdr, body: `{"query": "{ resPartners(limit: 2) { nodes { kids: child_ids(limit: 5000) { name } } } }"}`,
			status: 200, want: []string{`"message":"limit 5000 exceeds the maximum of 1000 (ODOOGQL_MAX_LIMIT)","path":["resPartners","nodes","kids"]`}, dataAbsent: true},
		{name: "nested page size through a fragment", method: "POST", header: jsonHdr,
			body:   `{"query": "{ a: resPartners(limit: 1) { nodes { ...P } } } fragment P on ResPartner { child_ids { child_ids(limit: 1001) { name } } }"}`,
			status: 200, want: []string{`"path":["a","nodes","child_ids","child_ids"]`, `ODOOGQL_MAX_LIMIT`}, dataAbsent: true},
		{name: "nested negative limit", method: "POST", header: jsonHdr, body: `{"query": "{ resPartners(limit: 2) { nodes { child_ids(limit: -1) { name } } } }"}`,
			status: 200, want: []string{`"message":"limit must not be negative, got -1","path":["resPartners","nodes","child_ids"]`}, dataAbsent: true},
		{name: "batch", method: "POST", header: jsonHdr, body: "[" + read + `, {"query": "{ nosuchfield }"}, {"query": "mutation { deleteResPartner(ids: [\"999999\"]) { ids } }"}, ` + read + "]",
			status: 200, items: 4, want: []string{`[{"data":{"resPartners":{"nodes":[{"name":`, `]}}},{"errors":[{"message":"Cannot query field \"nosuchfield\" on type \"Query\".",`}},
		{name: "batch over ODOOGQL_MAX_BATCH", method: "POST", header: jsonHdr, body: "[" + strings.Repeat(read+",", 10) + read + "]",
			status: 400, want: []string{`{"errors":[{"message":"a batch must have from 1 to 10 operations (ODOOGQL_MAX_BATCH), this one has 11","extensions":{"code":"BAD_USER_INPUT"`}, dataAbsent: true},
		{name: "empty batch", method: "POST", header: jsonHdr, body: "[]",
			status: 400, want: []string{`this one has 0`, `"code":"BAD_USER_INPUT"`}, dataAbsent: true},
	}
}

// TestHTTPProtocol runs httpExchanges over real HTTP against both schema
// modes: each answer as wanted, every error with a code, no body echoed and
// no Go type named, and both modes answering the same bytes.
func TestHTTPProtocol(t *testing.T) {
	exchanges := httpExchanges()
	answers := map[string][]string{}
	for _, schema := range []server.SchemaMode{server.SchemaCompiled, server.SchemaLive} {
		t.Run(schema.String(), func(t *testing.T) {
			g := newGatewayConfig(t, func(c *server.Config) { c.Schema, c.MaxBatch = schema, 10 })
			for _, x := range exchanges {
				status, header, body := exchange(t, g, x)
				answers[x.name] = append(answers[x.name], fmt.Sprintf("%d %s", status, body))
				if status != x.status || header.Get("Allow") != x.allow {
					t.Errorf("%s: %d (Allow %q), want %d (Allow %q): %s", x.name, status, header.Get("Allow"), x.status, x.allow, body)
				}
				for _, w := range x.want {
					if !strings.Contains(body, w) {
						t.Errorf("%s: the body lacks %s:\n%s", x.name, w, body)
					}
				}
				if strings.Contains(body, echoMarker) || goTypeLeak.MatchString(body) {
					t.Errorf("%s: the body echoes the request or names a Go type: %s", x.name, body)
				}
				if n := checkEveryErrorHasCode(t, x.name, body, x.dataAbsent); x.items > 0 && n != x.items {
					t.Errorf("%s: %d results, want %d: %s", x.name, n, x.items, body)
				}
			}
		})
	}
	for _, x := range exchanges {
		if a := answers[x.name]; len(a) == 2 && a[0] != a[1] {
			t.Errorf("%s: the modes answer differently:\ncompiled %s\nlive     %s", x.name, a[0], a[1])
		}
	}
}

// exchange sends x to g and returns the status, the headers and the body,
// request ids masked.
func exchange(t *testing.T, g *gateway, x httpExchange) (int, http.Header, string) {
	t.Helper()
	target := x.target
	if target == "" {
		target = "/graphql"
	}
	req, err := http.NewRequest(x.method, g.url+target, strings.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range x.header {
		req.Header.Set(k, v)
	}
	recordRequest(req, []byte(x.body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	masked := requestID.ReplaceAllString(string(raw), `"requestId":"-"`)
	return resp.StatusCode, resp.Header, requestIDText.ReplaceAllString(masked, "request id -")
}

// checkEveryErrorHasCode checks that body is a GraphQL response, or an
// array of them, whose every error has an extensions.code, and (with
// dataAbsent) no data entry. It returns the number of responses.
func checkEveryErrorHasCode(t *testing.T, name, body string, dataAbsent bool) int {
	t.Helper()
	var list []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		var one map[string]json.RawMessage
		if err := json.Unmarshal([]byte(body), &one); err != nil {
			t.Errorf("%s: not JSON: %s", name, body)
			return 0
		}
		list = append(list, one)
	}
	for _, r := range list {
		var errs []gqlError
		_ = json.Unmarshal(r["errors"], &errs)
		for _, e := range errs {
			if e.code() == "" {
				t.Errorf("%s: an error without a code: %+v", name, e)
			}
		}
		if _, ok := r["data"]; ok && dataAbsent {
			t.Errorf("%s: a data entry: %s", name, body)
		}
	}
	return len(list)
}

// TestHTTPBatchOwnCalls: each operation of a batch makes its own Odoo
// calls, the ones it makes alone, in both schema modes.
func TestHTTPBatchOwnCalls(t *testing.T) {
	for _, schema := range []server.SchemaMode{server.SchemaCompiled, server.SchemaLive} {
		t.Run(schema.String(), func(t *testing.T) {
			g := newGatewayConfig(t, func(c *server.Config) { c.Schema = schema })
			one := `{"query": "{ resPartners(limit: 3, orderBy: [{id: ASC}]) { nodes { name parent_id { name } } } }"}`
			jsonHdr := map[string]string{"Content-Type": "application/json"}
			_, _, single := exchange(t, g, httpExchange{method: "POST", header: jsonHdr, body: one}) // logs in
			g.odoo.ResetCounters()
			exchange(t, g, httpExchange{method: "POST", header: jsonHdr, body: one})
			alone := g.odoo.CallCounts()
			g.odoo.ResetCounters()
			status, _, batch := exchange(t, g, httpExchange{method: "POST", header: jsonHdr, body: "[" + one + "," + one + "]"})
			if want := "[" + single + "," + single + "]"; status != 200 || batch != want {
				t.Fatalf("batch: %d %s\nwant %s", status, batch, want)
			}
			for k, n := range g.odoo.CallCounts() {
				if n != 2*alone[k] {
					t.Errorf("%s: %d calls in the batch, %d alone", k, n, alone[k])
				}
			}
		})
	}
}
