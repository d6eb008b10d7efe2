package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/odoogql/odoogql/odoo/odootest"
)

// protocolGateway serves the demo metadata (live schema) in front of a
// test server, with the defaults of LoadConfig (anonymous requests allowed)
// changed by edit, logging JSON to logs (nil: nowhere), and returns its
// /graphql URL and the test server.
func protocolGateway(t *testing.T, edit func(*Config), logs io.Writer) (string, *odootest.Server) {
	t.Helper()
	_, url, o := testGateway(t, edit, logs)
	return url, o
}

// testGateway starts a gateway (configured as from the environment, then
// edit) in front of a fresh demo Odoo and returns it with its /graphql URL.
func testGateway(t *testing.T, edit func(*Config), logs io.Writer) (*Gateway, string, *odootest.Server) {
	t.Helper()
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	raw, err := os.ReadFile("../../metadata.json")
	if err != nil {
		t.Fatal(err)
	}
	meta, err := ParseMetadata(raw)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(nil, func(k string) string {
		return map[string]string{"ODOO_URL": o.URL, "ODOO_DB": o.DB(), "ODOO_USERNAME": "admin", "ODOO_PASSWORD": "admin", "ODOOGQL_ALLOW_ANONYMOUS": "true"}[k]
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&cfg)
	}
	log := slog.New(slog.DiscardHandler)
	if logs != nil {
		log = slog.New(slog.NewJSONHandler(logs, nil))
	}
	g, err := New(cfg, meta, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Close() })
	hs := httptest.NewServer(g.Handler())
	t.Cleanup(hs.Close)
	return g, hs.URL + "/graphql", o
}

// protocolResponse is one answer of the gateway, its body kept raw.
type protocolResponse struct {
	status int
	header http.Header
	body   string
}

func send(t *testing.T, method, target string, header map[string]string, body string) protocolResponse {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return protocolResponse{resp.StatusCode, resp.Header, string(raw)}
}

// goTypeNames are what an error naming a Go type or echoing a decoder's
// error looks like.
var goTypeNames = regexp.MustCompile(`Go value|Go struct|graphql\.RawParams|map\[string\]|interface \{\}|\[\]json|json: |cannot unmarshal|body:[^ ]`)

// checkErrors checks that every error of a response (an object, or each of
// a batch's) has a message and an extensions.code, names no Go type, and
// that the body does not echo the request's marker. It returns the
// responses, decoded.
func checkErrors(t *testing.T, r protocolResponse, marker string) []map[string]json.RawMessage {
	t.Helper()
	if marker != "" && strings.Contains(r.body, marker) {
		t.Errorf("the response echoes the request body: %s", r.body)
	}
	if goTypeNames.MatchString(r.body) {
		t.Errorf("the response names a Go type or a decoder's error: %s", r.body)
	}
	var list []map[string]json.RawMessage
	if strings.HasPrefix(r.body, "[") {
		if err := json.Unmarshal([]byte(r.body), &list); err != nil {
			t.Fatalf("not a JSON array: %v: %s", err, r.body)
		}
	} else {
		var one map[string]json.RawMessage
		if err := json.Unmarshal([]byte(r.body), &one); err != nil {
			t.Fatalf("not a JSON object: %v: %q", err, r.body)
		}
		list = []map[string]json.RawMessage{one}
	}
	for _, resp := range list {
		var errs []struct {
			Message    string         `json:"message"`
			Extensions map[string]any `json:"extensions"`
		}
		if raw, ok := resp["errors"]; ok {
			if err := json.Unmarshal(raw, &errs); err != nil {
				t.Fatalf("errors: %v: %s", err, raw)
			}
		}
		for _, e := range errs {
			if code, _ := e.Extensions["code"].(string); code == "" || e.Message == "" {
				t.Errorf("an error without a code or message: %+v", e)
			}
		}
	}
	return list
}

// errorOf returns the code and message of the only error of resp.
func errorOf(t *testing.T, resp map[string]json.RawMessage) (code, msg string) {
	t.Helper()
	var errs []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	}
	if err := json.Unmarshal(resp["errors"], &errs); err != nil || len(errs) != 1 {
		t.Fatalf("want one error, got %s", resp["errors"])
	}
	code, _ = errs[0].Extensions["code"].(string)
	return code, errs[0].Message
}

const (
	jsonCT     = "application/json"
	gqlRespCT  = "application/graphql-response+json"
	preflight  = "Apollo-Require-Preflight"
	secretMark = "S3CR3T-MARKER"
)

// TestProtocolRequestErrors: the statuses, headers and bodies of what the
// gateway refuses, and of request errors (which prevent execution), per
// the GraphQL-over-HTTP spec; every error has a code, none echoes the body
// or names a Go type.
func TestProtocolRequestErrors(t *testing.T) {
	t.Parallel()
	endpoint, _ := protocolGateway(t, nil, nil)
	get := func(params url.Values) string { return endpoint + "?" + params.Encode() }
	for _, tc := range []struct {
		name           string
		method, target string
		header         map[string]string
		body           string
		status         int
		allow          string // the Allow header, "" for none
		contentType    string // "" for application/json
		code, msg      string // of the only error; "" for no error
		data           string // "absent" for no data entry, else the data entry
	}{
		{name: "form post (curl's default)", method: "POST", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			body: "query=" + secretMark, status: 415, code: "BAD_USER_INPUT", msg: "Content-Type: application/json", data: "absent"},
		{name: "text/plain post", method: "POST", header: map[string]string{"Content-Type": "text/plain", preflight: "true"},
			body: `{"query":"{ __typename }"}`, status: 415, code: "BAD_USER_INPUT", msg: "Content-Type: application/json", data: "absent"},
		{name: "multipart post", method: "POST", header: map[string]string{"Content-Type": "multipart/form-data; boundary=x"},
			body: "--x--", status: 415, code: "BAD_USER_INPUT", msg: "Content-Type: application/json", data: "absent"},
		{name: "post without content type", method: "POST", body: `{"query":"{ __typename }"}`,
			status: 415, code: "BAD_USER_INPUT", msg: "Content-Type: application/json", data: "absent"},
		{name: "put", method: "PUT", header: map[string]string{"Content-Type": jsonCT}, body: `{"query":"{ __typename }"}`,
			status: 405, allow: "GET, POST, OPTIONS", code: "BAD_USER_INPUT", msg: "only GET, POST and OPTIONS", data: "absent"},
		{name: "delete", method: "DELETE", status: 405, allow: "GET, POST, OPTIONS", code: "BAD_USER_INPUT", msg: "only GET, POST and OPTIONS", data: "absent"},
		{name: "patch", method: "PATCH", header: map[string]string{"Content-Type": jsonCT}, body: `{}`,
			status: 405, allow: "GET, POST, OPTIONS", code: "BAD_USER_INPUT", msg: "only GET, POST and OPTIONS", data: "absent"},
		{name: "get without preflight header (CSRF)", method: "GET", target: get(url.Values{"query": {"{ __typename }"}}),
			status: 400, code: "BAD_USER_INPUT", msg: "X-Apollo-Operation-Name or Apollo-Require-Preflight", data: "absent"},
		{name: "get mutation", method: "GET", target: get(url.Values{"query": {`mutation { deleteResPartner(ids: ["1"]) { ids } }`}}), header: map[string]string{preflight: "true"},
			status: 405, allow: "POST", code: "BAD_USER_INPUT", msg: "a GET request may only run queries", data: "absent"},
		{name: "get query", method: "GET", target: get(url.Values{"query": {"{ __typename }"}}), header: map[string]string{preflight: "true"},
			status: 200, data: `{"__typename":"Query"}`},
		{name: "get bad variables", method: "GET", target: get(url.Values{"query": {"{ __typename }"}, "variables": {"[" + secretMark}}), header: map[string]string{preflight: "true"},
			status: 400, code: "BAD_USER_INPUT", msg: `"variables" parameter must be a JSON object`, data: "absent"},
		{name: "get without query", method: "GET", target: endpoint, header: map[string]string{preflight: "true"},
			status: 400, code: "BAD_USER_INPUT", msg: `has no "query"`, data: "absent"},
		{name: "array of strings", method: "POST", header: map[string]string{"Content-Type": jsonCT}, body: `["` + secretMark + `"]`,
			status: 200, data: "batch"},
		{name: "json string body", method: "POST", header: map[string]string{"Content-Type": jsonCT}, body: `"` + secretMark + `"`,
			status: 400, code: "BAD_USER_INPUT", msg: "the request body is not a JSON object with a query", data: "absent"},
		{name: "invalid json", method: "POST", header: map[string]string{"Content-Type": jsonCT}, body: `{"query": "` + secretMark,
			status: 400, code: "BAD_USER_INPUT", msg: "the request body is not valid JSON", data: "absent"},
		{name: "invalid json, graphql-response+json", method: "POST", header: map[string]string{"Content-Type": jsonCT, "Accept": gqlRespCT}, body: `{"query": "` + secretMark,
			status: 400, contentType: gqlRespCT, code: "BAD_USER_INPUT", msg: "the request body is not valid JSON", data: "absent"},
		{name: "empty body", method: "POST", header: map[string]string{"Content-Type": jsonCT},
			status: 400, code: "BAD_USER_INPUT", msg: "the request body is not valid JSON", data: "absent"},
		{name: "query not a string", method: "POST", header: map[string]string{"Content-Type": jsonCT}, body: `{"query": {"` + secretMark + `": 1}}`,
			status: 400, code: "BAD_USER_INPUT", msg: `"query" must be a string`, data: "absent"},
		{name: "operationName not a string", method: "POST", header: map[string]string{"Content-Type": jsonCT}, body: `{"query": "{ __typename }", "operationName": 1}`,
			status: 400, code: "BAD_USER_INPUT", msg: `"operationName" must be a string`, data: "absent"},
		{name: "variables not an object", method: "POST", header: map[string]string{"Content-Type": jsonCT}, body: `{"query": "{ __typename }", "variables": "` + secretMark + `"}`,
			status: 400, code: "BAD_USER_INPUT", msg: `"variables" must be a JSON object`, data: "absent"},
		{name: "extensions not an object", method: "POST", header: map[string]string{"Content-Type": jsonCT}, body: `{"query": "{ __typename }", "extensions": [1]}`,
			status: 400, code: "BAD_USER_INPUT", msg: `"extensions" must be a JSON object`, data: "absent"},
		{name: "no query", method: "POST", header: map[string]string{"Content-Type": jsonCT}, body: `{"qeury": "{ __typename }"}`,
			status: 400, code: "BAD_USER_INPUT", msg: `the request body has no "query"`, data: "absent"},
		{name: "null parameters", method: "POST", header: map[string]string{"Content-Type": jsonCT}, body: `{"query": "{ __typename }", "operationName": null, "variables": null, "extensions": null}`,
			status: 200, data: `{"__typename":"Query"}`},
		{name: "parse error, application/json", method: "POST", header: map[string]string{"Content-Type": jsonCT, "Accept": jsonCT}, body: `{"query": "{"}`,
			status: 200, code: "GRAPHQL_PARSE_FAILED", data: "absent"},
		{name: "parse error, graphql-response+json", method: "POST", header: map[string]string{"Content-Type": jsonCT, "Accept": gqlRespCT}, body: `{"query": "{"}`,
			status: 400, contentType: gqlRespCT, code: "GRAPHQL_PARSE_FAILED", data: "absent"},
		{name: "validation error, application/json", method: "POST", header: map[string]string{"Content-Type": jsonCT}, body: `{"query": "{ nosuchfield }"}`,
			status: 200, code: "GRAPHQL_VALIDATION_FAILED", msg: "nosuchfield", data: "absent"},
		{name: "validation error, graphql-response+json", method: "POST", header: map[string]string{"Content-Type": jsonCT, "Accept": gqlRespCT}, body: `{"query": "{ nosuchfield }"}`,
			status: 400, contentType: gqlRespCT, code: "GRAPHQL_VALIDATION_FAILED", msg: "nosuchfield", data: "absent"},
		{name: "variable coercion, application/json", method: "POST", header: map[string]string{"Content-Type": jsonCT},
			body:   `{"query": "query($n: Int) { resPartners(limit: $n) { totalCount } }", "variables": {"n": "x"}}`,
			status: 200, code: "GRAPHQL_VALIDATION_FAILED", msg: "Int", data: "absent"},
		{name: "variable coercion, graphql-response+json", method: "POST", header: map[string]string{"Content-Type": jsonCT, "Accept": gqlRespCT},
			body:   `{"query": "query($n: Int) { resPartners(limit: $n) { totalCount } }", "variables": {"n": "x"}}`,
			status: 400, contentType: gqlRespCT, code: "GRAPHQL_VALIDATION_FAILED", msg: "Int", data: "absent"},
		{name: "limit exceeded, graphql-response+json", method: "POST", header: map[string]string{"Content-Type": jsonCT, "Accept": gqlRespCT},
			body:   `{"query": "{ resPartners(limit: 5000) { totalCount } }"}`,
			status: 400, contentType: gqlRespCT, code: "BAD_USER_INPUT", msg: "limit 5000 exceeds the maximum of 1000 (ODOOGQL_MAX_LIMIT)", data: "absent"},
		{name: "unknown persisted query", method: "POST", header: map[string]string{"Content-Type": jsonCT, "Accept": gqlRespCT},
			body:   `{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "` + strings.Repeat("ab", 32) + `"}}}`,
			status: 200, contentType: gqlRespCT, code: "PERSISTED_QUERY_NOT_FOUND", data: "null"},
		{name: "batch too large", method: "POST", header: map[string]string{"Content-Type": jsonCT},
			body:   "[" + strings.Repeat(`{"query":"{ __typename }"},`, 10) + `{"query":"{ __typename }"}]`,
			status: 400, code: "BAD_USER_INPUT", msg: "a batch must have from 1 to 10 operations (ODOOGQL_MAX_BATCH), this one has 11", data: "absent"},
		{name: "empty batch", method: "POST", header: map[string]string{"Content-Type": jsonCT}, body: `[]`,
			status: 400, code: "BAD_USER_INPUT", msg: "(ODOOGQL_MAX_BATCH), this one has 0", data: "absent"},
		{name: "bad json batch", method: "POST", header: map[string]string{"Content-Type": jsonCT}, body: `[{"query": "` + secretMark + `"},`,
			status: 400, code: "BAD_USER_INPUT", msg: "the request body is not valid JSON", data: "absent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := tc.target
			if target == "" {
				target = endpoint
			}
			r := send(t, tc.method, target, tc.header, tc.body)
			if r.status != tc.status {
				t.Errorf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if got := r.header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow %q, want %q", got, tc.allow)
			}
			wantCT := tc.contentType
			if wantCT == "" {
				wantCT = jsonCT
			}
			if got := r.header.Get("Content-Type"); got != wantCT {
				t.Errorf("Content-Type %q, want %q", got, wantCT)
			}
			list := checkErrors(t, r, secretMark)
			if tc.data == "batch" {
				if len(list) != 1 {
					t.Fatalf("want one result, got %s", r.body)
				}
				code, msg := errorOf(t, list[0])
				if _, ok := list[0]["data"]; ok || code != "BAD_USER_INPUT" || msg != "operation 1 of the batch is not a JSON object with a query" {
					t.Errorf("batch of a string: %s", r.body)
				}
				return
			}
			resp := list[0]
			data, hasData := resp["data"]
			switch {
			case tc.data == "absent" && hasData:
				t.Errorf("a data entry: %s", r.body)
			case tc.data != "absent" && string(data) != tc.data:
				t.Errorf("data %s, want %s", data, tc.data)
			}
			if tc.code == "" {
				if _, ok := resp["errors"]; ok {
					t.Errorf("unexpected errors: %s", r.body)
				}
				return
			}
			code, msg := errorOf(t, resp)
			if code != tc.code || !strings.Contains(msg, tc.msg) {
				t.Errorf("error %s %q, want %s containing %q", code, msg, tc.code, tc.msg)
			}
		})
	}
	// OPTIONS: the methods, before credentials.
	r := send(t, "OPTIONS", endpoint, nil, "")
	if r.status != 200 || r.header.Get("Allow") != "GET, POST, OPTIONS" {
		t.Errorf("OPTIONS: %d Allow %q", r.status, r.header.Get("Allow"))
	}
}

// TestProtocolBatch: a batch runs each operation with its own result and
// errors, in order, each with loaders of its own (its own Odoo calls), and
// at most Config.MaxBatch of them.
func TestProtocolBatch(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	endpoint, o := protocolGateway(t, func(c *Config) { c.MaxBatch = 3 }, &logs)
	hdr := map[string]string{"Content-Type": jsonCT}
	read := `{"query": "{ resPartners(limit: 1, orderBy: [{id: ASC}]) { nodes { name } } }"}`
	send(t, "POST", endpoint, hdr, read) // logs the service account in
	o.ResetCounters()
	single := send(t, "POST", endpoint, hdr, read)
	calls := sumCalls(o.CallCounts())
	if single.status != 200 || calls == 0 {
		t.Fatalf("single: %d %s (%d calls)", single.status, single.body, calls)
	}

	o.ResetCounters()
	logged := len(logs.String())
	r := send(t, "POST", endpoint, hdr, "[ "+read+`, {"query": "{ nosuchfield }"}, `+read+"]")
	list := checkErrors(t, r, "")
	if r.status != 200 || len(list) != 3 {
		t.Fatalf("batch: %d %s", r.status, r.body)
	}
	for _, i := range []int{0, 2} {
		if _, ok := list[i]["errors"]; ok || string(list[i]["data"]) != strings.TrimSuffix(strings.TrimPrefix(single.body, `{"data":`), "}") {
			t.Errorf("result %d: %v, want the single answer %s", i, list[i], single.body)
		}
	}
	if code, msg := errorOf(t, list[1]); code != "GRAPHQL_VALIDATION_FAILED" || !strings.Contains(msg, "nosuchfield") {
		t.Errorf("result 1: %s %q", code, msg)
	}
	if _, ok := list[1]["data"]; ok {
		t.Errorf("result 1 (a request error) has data: %s", r.body)
	}
	// Each operation reads with loaders of its own: the same Odoo calls
	// twice, none for the invalid one.
	if got := sumCalls(o.CallCounts()); got != 2*calls {
		t.Errorf("the batch cost %d Odoo calls, want 2×%d", got, calls)
	}
	// One log line per operation, each with its own Odoo calls.
	var perOp []string
	for line := range strings.SplitSeq(logs.String()[logged:], "\n") {
		var rec struct {
			Msg       string `json:"msg"`
			OdooCalls *int   `json:"odoo_calls"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "graphql" && rec.OdooCalls != nil {
			perOp = append(perOp, fmt.Sprint(*rec.OdooCalls))
		}
	}
	if want := fmt.Sprint(calls) + " 0 " + fmt.Sprint(calls); strings.Join(perOp, " ") != want {
		t.Errorf("Odoo calls per operation %q, want %q", perOp, want)
	}

	// A limit error in one operation leaves the others alone.
	r = send(t, "POST", endpoint, hdr, `[{"query": "{ resPartners(limit: 2) { nodes { child_ids(limit: 5000) { name } } } }"}, {"query": "{ __typename }"}]`)
	list = checkErrors(t, r, "")
	if r.status != 200 || len(list) != 2 || string(list[1]["data"]) != `{"__typename":"Query"}` {
		t.Fatalf("batch: %d %s", r.status, r.body)
	}
	var errs []struct {
		Path []any `json:"path"`
	}
	_ = json.Unmarshal(list[0]["errors"], &errs)
	if code, msg := errorOf(t, list[0]); code != "BAD_USER_INPUT" || !strings.Contains(msg, "ODOOGQL_MAX_LIMIT") || fmt.Sprint(errs[0].Path) != "[resPartners nodes child_ids]" {
		t.Errorf("result 0: %s %q path %v", code, msg, errs[0].Path)
	}

	// Config.MaxBatch.
	r = send(t, "POST", endpoint, hdr, "["+strings.Repeat(`{"query":"{ __typename }"},`, 3)+`{"query":"{ __typename }"}]`)
	list = checkErrors(t, r, "")
	if code, msg := errorOf(t, list[0]); r.status != 400 || code != "BAD_USER_INPUT" || msg != "a batch must have from 1 to 3 operations (ODOOGQL_MAX_BATCH), this one has 4" {
		t.Errorf("4 operations: %d %s", r.status, r.body)
	}
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

func sumCalls(counts map[string]int) int {
	n := 0
	for k, c := range counts {
		if !strings.Contains(k, "authenticate") && !strings.Contains(k, "version") {
			n += c
		}
	}
	return n
}

// TestDecodeParams: the messages of requests that are not GraphQL requests
// quote neither the body nor a Go type.
func TestDecodeParams(t *testing.T) {
	for body, want := range map[string]string{
		``:                                "the body is not valid JSON: send a JSON object with a query",
		`nope`:                            "the body is not valid JSON: send a JSON object with a query",
		`42`:                              "the body is not a JSON object with a query",
		`{"query": "{ x }"`:               "the body is not valid JSON: send a JSON object with a query",
		`{"query": 1}`:                    `the body: "query" must be a string`,
		`{"query": ["x"]}`:                `the body: "query" must be a string`,
		`{"query": "x", "variables": []}`: `the body: "variables" must be a JSON object`,
		`{}`:                              `the body has no "query"`,
		`{"query": ""}`:                   `the body has no "query"`,
	} {
		if _, msg := decodeParams([]byte(body), "the body"); msg != want {
			t.Errorf("%q: %q, want %q", body, msg, want)
		}
	}
	p, msg := decodeParams([]byte(`{"query": "q", "operationName": "Op", "variables": {"n": 1.5, "m": {"k": 2}}, "extensions": {"e": true}}`), "the body")
	if msg != "" || p.Query != "q" || p.OperationName != "Op" || p.Variables["n"] != json.Number("1.5") ||
		p.Variables["m"].(map[string]any)["k"] != json.Number("2") || p.Extensions["e"] != true {
		t.Errorf("decoded %+v, %q", p, msg)
	}
	// A persisted query's hash stands for the query.
	if _, msg := decodeParams([]byte(`{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "x"}}}`), "the body"); msg != "" {
		t.Errorf("APQ without query: %q", msg)
	}
}

// TestRequestStatus: request errors are 200 for application/json and 400
// for application/graphql-response+json, without data; an unknown
// persisted query is 200 with data null in both.
func TestRequestStatus(t *testing.T) {
	parse := gqlerror.List{{Message: "x", Extensions: map[string]any{"code": "GRAPHQL_PARSE_FAILED"}}}
	limit := gqlerror.List{{Message: "x", Extensions: map[string]any{"code": "BAD_USER_INPUT"}}}
	apq := gqlerror.List{{Message: "PersistedQueryNotFound", Extensions: map[string]any{"code": "PERSISTED_QUERY_NOT_FOUND"}}}
	for _, tc := range []struct {
		contentType string
		errs        gqlerror.List
		status      int
		noData      bool
	}{
		{mediaJSON, parse, 200, true},
		{mediaJSON, limit, 200, true},
		{mediaGraphQLResponse, parse, 400, true},
		{mediaGraphQLResponse, limit, 400, true},
		{mediaJSON, apq, 200, false},
		{mediaGraphQLResponse, apq, 200, false},
	} {
		if status, noData := requestStatus(tc.contentType, tc.errs); status != tc.status || noData != tc.noData {
			t.Errorf("%s %v: %d (no data %v), want %d (%v)", tc.contentType, tc.errs, status, noData, tc.status, tc.noData)
		}
	}
	var b bytes.Buffer
	writeErrors(&b, &graphql.Response{Errors: limit, Extensions: map[string]any{"k": 1}})
	if want := `{"errors":[{"message":"x","extensions":{"code":"BAD_USER_INPUT"}}],"extensions":{"k":1}}`; b.String() != want {
		t.Errorf("writeErrors: %s, want %s", b.String(), want)
	}
}
