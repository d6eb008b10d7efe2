package main

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// Values on the wire: how floats and JSON values are printed in responses,
// whatever path served them.

// rawData posts a query as g's user and returns the response's "data"
// member as the gateway wrote it, byte for byte; it fails on any error.
func (g *gateway) rawData(query string, vars map[string]any) []byte {
	g.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, g.url+"/graphql", bytes.NewReader(body))
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
	raw, _ := io.ReadAll(resp.Body)
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.Unmarshal(raw, &env); err != nil || len(env.Errors) > 0 {
		g.t.Fatalf("response %s: %v", raw, err)
	}
	return env.Data
}

// exponentNotation matches a number written with an exponent (1e-07,
// 1.234567e+06), outside strings as inside.
var exponentNotation = regexp.MustCompile(`[0-9][eE][-+]?[0-9]`)

// TestFloatsOnTheWire: a Float (float and monetary fields) is printed in
// plain decimal, never with an exponent (gqlgen printed %g: 1e-07,
// 1.234567e+06, 1e+21), with a fraction always (a whole float reads as a
// float in any JSON decoder), and parses back to the value written, through
// a mutation's read-back and a query, under both fetch strategies.
// A negative zero is printed 0.0 (documented in README.md).
func TestFloatsOnTheWire(t *testing.T) {
	values := []struct {
		f    float64
		want string
	}{
		{0.1, "0.1"},
		{1e-7, "0.0000001"},
		{1234567, "1234567.0"},
		{1234567.89, "1234567.89"},
		{12345678901.5, "12345678901.5"},
		{math.Copysign(0, -1), "0.0"},
		{1, "1.0"},
		{100, "100.0"},
		{1e21, "1000000000000000000000.0"},
		{-math.MaxFloat64, "-179769313486231570" + strings.Repeat("0", 291) + ".0"},
		{math.MaxFloat64, "179769313486231570" + strings.Repeat("0", 291) + ".0"},
		{math.SmallestNonzeroFloat64, "0." + strings.Repeat("0", 323) + "5"},
	}
	forStrategies(t, func(t *testing.T, g *gateway) {
		admin := g.as("admin", "admin")
		for _, v := range values {
			vars := map[string]any{"f": v.f}
			want := `{"partner_latitude":` + v.want + `,"credit_limit":` + v.want + `}`
			// The mutation's read-back.
			got := admin.rawData(`mutation($f: Float) { updateResPartner(ids: ["10"], input: {partner_latitude: $f, credit_limit: $f}) { partner_latitude credit_limit } }`, vars)
			if string(got) != `{"updateResPartner":[`+want+`]}` {
				t.Errorf("%v: mutation answered %s, want %s", v.f, got, want)
			}
			// A query, by id and in a list (the fetch paths differ).
			got = admin.rawData(`{ resPartner(id: "10") { partner_latitude credit_limit } resPartners(where: {id: {eq: "10"}}) { nodes { partner_latitude credit_limit } } }`, nil)
			if string(got) != `{"resPartner":`+want+`,"resPartners":{"nodes":[`+want+`]}}` {
				t.Errorf("%v: query answered %s, want %s", v.f, got, want)
			}
			if exponentNotation.Match(got) {
				t.Errorf("%v: exponent notation in %s", v.f, got)
			}
			var back struct {
				P struct {
					Lat    float64 `json:"partner_latitude"`
					Credit float64 `json:"credit_limit"`
				} `json:"resPartner"`
			}
			if err := json.Unmarshal(got, &back); err != nil || back.P.Lat != v.f || back.P.Credit != v.f {
				t.Errorf("%v: reads back as %+v, %v", v.f, back.P, err)
			}
		}
	})
}

// TestJSONValuesOnTheWire: numbers in a JSON field keep Odoo's type both ways:
// written from variables (gqlgen hands them over as json.Number, which used
// to reach Odoo as strings) and from literals, read back with a float as a
// float (100.0) and an int as an int, never with an exponent.
func TestJSONValuesOnTheWire(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		admin := g.as("admin", "admin")
		const want = `{"saleOrderLine":{"analytic_distribution":{"12":100.0,"13":50,"14":0.0000001,"15":1000000000000000000000.0}}}`
		admin.rawData(`mutation($d: JSON) { updateSaleOrderLine(ids: ["1"], input: {analytic_distribution: $d}) { id } }`,
			map[string]any{"d": json.RawMessage(`{"12": 100.0, "13": 50, "14": 1e-7, "15": 1e21}`)})
		if got := admin.rawData(`{ saleOrderLine(id: "1") { analytic_distribution } }`, nil); string(got) != want {
			t.Errorf("after a write from variables: %s, want %s", got, want)
		}
		admin.rawData(`mutation { updateSaleOrderLine(ids: ["1"], input: {analytic_distribution: {a: 2.0, b: 3}}) { id } }`, nil)
		if got := admin.rawData(`{ saleOrderLine(id: "1") { analytic_distribution } }`, nil); string(got) != `{"saleOrderLine":{"analytic_distribution":{"a":2.0,"b":3}}}` {
			t.Errorf("after a write from literals: %s", got)
		}
	})
}

// TestSameShapeEveryPath is a differential test: one query answered from
// Odoo (uncached), by the replica that read it (from Odoo, then from its
// local record cache) and by a second replica (from Redis) gives the same
// bytes: whole floats stay floats (1.0, 100.0, also inside JSON values, which
// came back from Redis as ints), ints stay ints, large ones too.
func TestSameShapeEveryPath(t *testing.T) {
	const q = `query @cached(ttl: 60) {
		resPartners(where: {id: {in: ["10", "11"]}}, orderBy: [{id: ASC}]) {
			totalCount nodes { id color partner_latitude partner_longitude credit_limit country_id { id } } }
		resPartner(id: "11") { id partner_latitude credit_limit }
		saleOrderLine(id: "1") { id analytic_distribution product_uom_qty price_unit order_id { id amount_total } } }`
	for _, s := range strategies {
		t.Run(s.name, func(t *testing.T) {
			r := newReplicas(t, s)
			a, b := r.a.as("admin", "admin"), r.b.as("admin", "admin")
			a.mustDo(`mutation($d: JSON) {
				p10: updateResPartner(ids: ["10"], input: {partner_latitude: 1.0, partner_longitude: 100.0, credit_limit: 1234567.89, color: 7}) { id }
				p11: updateResPartner(ids: ["11"], input: {partner_latitude: 0.1, partner_longitude: 0.0000001, credit_limit: 12345678901.5}) { id }
				l1: updateSaleOrderLine(ids: ["1"], input: {analytic_distribution: $d, price_unit: 100.0}) { id } }`,
				map[string]any{"d": json.RawMessage(`{"12": 100.0, "13": 50, "14": 2147483647, "15": 1.0}`)}, nil)
			r.warm("admin", q) // logins and metadata on both replicas, uncached

			fromOdoo := a.rawData(strings.Replace(q, "@cached(ttl: 60)", "", 1), nil)
			cachedFromOdoo := a.rawData(q, nil)
			r.odoo.ResetCounters()
			fromLocal := a.rawData(q, nil)
			if n := r.odoo.TotalCalls(); n != 0 {
				t.Fatalf("the local cache did not serve the query: %d Odoo calls %v", n, r.odoo.CallCounts())
			}
			syncShared(t, r.a)
			hits := r.b.gw.Shared().Stats().Hits
			fromRedis := b.rawData(q, nil)
			if n := r.odoo.TotalCalls(); n != 0 || r.b.gw.Shared().Stats().Hits == hits {
				t.Fatalf("Redis did not serve replica B: %d Odoo calls %v, %d Redis hits", n, r.odoo.CallCounts(), r.b.gw.Shared().Stats().Hits-hits)
			}
			for _, frag := range []string{`"partner_latitude":1.0,"partner_longitude":100.0,"credit_limit":1234567.89`,
				`"partner_latitude":0.1,"partner_longitude":0.0000001,"credit_limit":12345678901.5`, `"color":7`,
				`"analytic_distribution":{"12":100.0,"13":50,"14":2147483647,"15":1.0}`, `"price_unit":100.0`} {
				if !strings.Contains(string(fromOdoo), frag) {
					t.Errorf("%s not in the answer from Odoo:\n%s", frag, fromOdoo)
				}
			}
			for name, got := range map[string][]byte{"cached, from Odoo": cachedFromOdoo, "local cache": fromLocal, "Redis": fromRedis} {
				if !bytes.Equal(got, fromOdoo) {
					t.Errorf("answer from the %s differs from Odoo's:\n%s\n%s", name, got, fromOdoo)
				}
			}
		})
	}
}
