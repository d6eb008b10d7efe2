package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/server"
)

// FuzzGraphQLRequest sends arbitrary request bodies and queries through the
// whole handler, against the test server: every answer must be JSON with
// data or errors, every error must have a code, and nothing may panic or
// leak a traceback.
func FuzzGraphQLRequest(f *testing.F) {
	for _, q := range []string{
		`{ resPartners(where: {is_company: {eq: true}}, orderBy: [{name: ASC}], limit: 5) { totalCount nodes { name country_id { code } child_ids { name } } } }`,
		`{ resPartner(id: "10") { name parent_id { name } category_id(limit: 1) { name } } }`,
		`query($d: JSON) { resPartners(domain: $d) { nodes { id } } }`,
		`{ saleOrders(where: {or: [{state: {eq: sale}}, {amount_total: {gt: 100}}]}) { nodes { name order_line(where: {name: {ilike: "a"}}, offset: 1) { name } } } }`,
		`mutation { deleteResPartner(ids: ["999999"]) { ids nodeIds } }`,
		`{ odooModels { model access { read } } }`,
		`{ __schema { queryType { name } } }`,
		`query @cached(ttl: 5) { crmTags { nodes { name } } }`,
		`{ a: resPartners { nodes { b: name } } ...on Query { resPartners { totalCount } } }`,
		`{`, `}`, ``, `{ resPartner(id: "-1") { id } }`, `{ resPartners(limit: -5) { totalCount } }`,
	} {
		f.Add(q, `[["name", "ilike", "a"]]`)
	}
	// Query-cost bombs (issue 9): fragments expanding to 2^30 fields, and
	// repeated fields; this gateway has no depth or complexity limit, so
	// validation, planning and execution must each stay linear in the size.
	for _, q := range []string{
		fragmentBomb(30, true), fragmentBomb(30, false),
		"{ " + strings.Repeat("__typename ", 2000) + "}",
		"{ resPartners(limit: 2) { nodes { " + strings.Repeat("name ", 2000) + "} } }",
	} {
		f.Add(q, `[]`)
	}
	g := newGatewayConfig(f, func(c *server.Config) { c.Strategy = engine.Auto; c.RequestTimeout = 0 })
	h := g.gw.Handler()
	f.Fuzz(func(t *testing.T, query, domain string) {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"d": domain}})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		var env struct {
			Data   json.RawMessage `json:"data"`
			Errors []gqlError      `json:"errors"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
			t.Fatalf("not JSON (%d): %q", rec.Code, rec.Body)
		}
		for _, e := range env.Errors {
			if e.code() == "" {
				t.Fatalf("error without a code: %+v", e)
			}
			if e.code() == "INTERNAL" || strings.Contains(e.Message, "Traceback") {
				t.Fatalf("internal error for %q: %+v", query, e)
			}
		}
	})
}
