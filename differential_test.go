package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// The differential tests: the live schema (built at run time, executed by
// internal/live) answers exactly as the compiled one (gqlgen's generated
// code, the reference), byte for byte, with the same Odoo calls.

// requestsFile holds the requests of the end-to-end suites, recorded by
// running them with ODOOGQL_RECORD_REQUESTS=<this file> (see recordRequest).
const requestsFile = "testdata/differential/requests.jsonl"

func loadRecorded(t *testing.T) []recorded {
	t.Helper()
	f, err := os.Open(requestsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []recorded
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for sc.Scan() {
		var r recorded
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", requestsFile, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// requestID is the per-request id the error presenter adds, and names in
// messages; it is random.
var (
	requestID     = regexp.MustCompile(`"requestId":"[^"]*"`)
	requestIDText = regexp.MustCompile(`request id [0-9a-f]{16}`)
)

// replay sends r to g and returns the status and the body, request id
// masked.
func replay(t *testing.T, g *gateway, r recorded) (int, string) {
	t.Helper()
	req, err := http.NewRequest(r.Method, g.url+r.Path, strings.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = zr
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	masked := requestID.ReplaceAllString(string(raw), `"requestId":"-"`)
	return resp.StatusCode, requestIDText.ReplaceAllString(masked, "request id -")
}

// knownCompiledDefects are recorded requests the compiled mode answers
// wrongly and the live mode rightly: for each, the compiled answer must
// hold wrong and the live one right (so the entry goes when compiled mode
// is fixed). None today.
var knownCompiledDefects = map[string]struct{ wrong, right string }{}

// TestDifferentialRecorded replays every recorded request of the
// end-to-end suites, in order, to a compiled and a live gateway, each in
// front of a test server of its own in the same state (both start from the
// demo data and see the same writes), for both fetch strategies: every
// response must be byte-identical (status, data, errors, extensions, key
// order), and each request must cost the same Odoo calls.
func TestDifferentialRecorded(t *testing.T) {
	reqs := loadRecorded(t)
	if len(reqs) < 100 {
		t.Fatalf("%d recorded requests; record them again (see recordRequest)", len(reqs))
	}
	for _, strategy := range []engine.Strategy{engine.Nested, engine.Batched} {
		t.Run(map[engine.Strategy]string{engine.Nested: "nested", engine.Batched: "batched"}[strategy], func(t *testing.T) {
			// One fixed clock for both test servers: what Odoo stamps with
			// the time (a confirmed order's date_order) is the same in both.
			clock := func() time.Time { return time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) }
			gw := func(schema server.SchemaMode) *gateway {
				return newGatewayConfig(t, func(c *server.Config) { c.Strategy, c.Schema = strategy, schema }, odootest.WithClock(clock))
			}
			compiled, live := gw(server.SchemaCompiled), gw(server.SchemaLive)
			diffs := 0
			for i, r := range reqs {
				compiled.odoo.ResetCounters()
				live.odoo.ResetCounters()
				cs, cb := replay(t, compiled, r)
				cc := fmt.Sprint(compiled.odoo.CallCounts())
				ls, lb := replay(t, live, r)
				lc := fmt.Sprint(live.odoo.CallCounts())
				if defect, ok := knownCompiledDefects[r.Body]; ok {
					if cc != lc || !strings.Contains(cb, defect.wrong) || !strings.Contains(lb, defect.right) {
						t.Errorf("request %d (a known compiled defect): compiled %s %.300s, live %s %.300s", i, cc, cb, lc, lb)
					}
					continue
				}
				if cs != ls || cb != lb || cc != lc {
					diffs++
					if diffs <= 10 {
						t.Errorf("request %d %s %s\n%.600s\ncompiled %d %s\n  %.1500s\nlive     %d %s\n  %.1500s", i, r.Method, r.Path, r.Body, cs, cc, cb, ls, lc, lb)
					}
				}
			}
			if diffs > 0 {
				t.Errorf("%d of %d requests answered differently", diffs, len(reqs))
			}
			t.Logf("%d requests replayed, %d known compiled defects", len(reqs), len(knownCompiledDefects))
		})
	}
}

// introspectionQuery is graphql-js's getIntrospectionQuery (descriptions,
// deprecated items, directives, specifiedByURL, repeatable).
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL isOneOf
  fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`

// TestDifferentialIntrospection: the full introspection result of the live
// schema, built at start-up from metadata.json with generate.yml's rules,
// is the compiled one's, byte for byte; and the SDL the gateway builds is
// the committed schema.graphqls.
func TestDifferentialIntrospection(t *testing.T) {
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	body, _ := json.Marshal(map[string]any{"query": introspectionQuery})
	r := recorded{Method: http.MethodPost, Path: "/graphql", Body: string(body), Header: map[string][]string{"Content-Type": {"application/json"}}}
	var got [2]string
	for i, schema := range []server.SchemaMode{server.SchemaCompiled, server.SchemaLive} {
		g := newGatewayOn(t, o, func(c *server.Config) { c.Schema = schema })
		status, b := replay(t, g, r)
		if status != http.StatusOK || !strings.HasPrefix(b, `{"data":{"__schema":`) {
			t.Fatalf("%s: %d %.300s", schema, status, b)
		}
		got[i] = b
	}
	if got[0] != got[1] {
		t.Errorf("introspection differs: compiled %d bytes, live %d bytes", len(got[0]), len(got[1]))
	}
	if len(got[0]) < 1<<20 {
		t.Errorf("introspection is %d bytes: not the whole schema", len(got[0]))
	}

	meta, err := server.ParseMetadata(metadataJSON)
	if err != nil {
		t.Fatal(err)
	}
	schema, sdl, err := server.BuildLiveSchema(meta, *exposure(t))
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	if sdl != string(committed) {
		t.Errorf("the SDL built at run time differs from schema.graphqls")
	}
	var printed bytes.Buffer
	formatter.NewFormatter(&printed).FormatSchema(schema)
	if printed.Len() == 0 {
		t.Error("the live schema prints empty")
	}
}

// TestManyToOneUnderAliases: one many2one under several aliases with other
// selections, nested, with an x2many below, answers each alias with its own
// selection in every mode (compiled mode's generated struct has one field for
// all aliases: they share one object, filled with what each alias asks).
func TestManyToOneUnderAliases(t *testing.T) {
	const q = `{ resPartners(where: {parent_id: {id: {isSet: true}}}, limit: 3, orderBy: [{id: ASC}]) { nodes {
		a: country_id { name }
		b: country_id { code x: name }
		p: parent_id { c: country_id { name } }
		q: parent_id { c: country_id { code } child_ids(limit: 1) { name } }
	} } }`
	want := ""
	forStrategies(t, func(t *testing.T, g *gateway) {
		got := string(g.rawData(q, nil))
		if !strings.Contains(got, `"a":{"name":"`) || !strings.Contains(got, `"b":{"code":"`) || strings.Contains(got, `null`) {
			t.Errorf("answer %s", got)
		}
		if want == "" {
			want = got
		} else if got != want {
			t.Errorf("answer %s, want (as the first mode) %s", got, want)
		}
	})
}
