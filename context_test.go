package main

// Issue 11, the user's Odoo context per request: the language of
// Accept-Language, the operation's @context(lang, tz, companies), translated
// values, filters and orders in that language, the companies a query runs
// in, and a record cache that never serves one context's values to another.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// postWithHeaders posts query with vars and the extra headers (and the
// gateway's credentials), decodes the data into out and returns the errors.
func (g *gateway) postWithHeaders(t *testing.T, query string, vars map[string]any, header map[string]string, out any) []gqlError {
	t.Helper()
	h := http.Header{}
	for k, v := range header {
		h.Set(k, v)
	}
	if g.auth != "" {
		h.Set("Authorization", g.auth)
	}
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	status, errs, data := g.post(t, h, body)
	if status != http.StatusOK {
		t.Fatalf("status %d: %+v", status, errs)
	}
	if out != nil && len(data) > 0 && string(data) != "null" {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("decode data: %v\n%s", err, data)
		}
	}
	return errs
}

// odooContexts returns the Odoo context of every call of model the test
// server received since its counters were reset (method "" for any), in
// order.
func odooContexts(o *odootest.Server, model, method string) []map[string]any {
	var out []map[string]any
	for _, c := range o.CallLog() {
		if c.Model != model || (method != "" && c.Method != method) {
			continue
		}
		ctx, _ := c.Kwargs["context"].(map[string]any)
		out = append(out, ctx)
	}
	return out
}

// countries is the answer of countriesQuery.
type countries struct {
	ResCountries struct {
		Nodes []struct {
			Code string `json:"code"`
			Name string `json:"name"`
		} `json:"nodes"`
	} `json:"resCountries"`
}

func (c countries) names() string {
	var out []string
	for _, n := range c.ResCountries.Nodes {
		out = append(out, n.Name)
	}
	return strings.Join(out, ", ")
}

// countriesQuery lists four countries ordered by name: the order is the
// language's too.
const countriesQuery = `{ resCountries(where: {code: {in: ["BE", "DE", "NL", "ES"]}}, orderBy: [{name: ASC}]) { nodes { code name } } }`

const (
	english = "Belgium, Germany, Netherlands, Spain"
	french  = "Allemagne, Belgique, Espagne, Pays-Bas"
	german  = "Belgien, Deutschland, Niederlande, Spanien"
)

// TestAcceptLanguage: the installed language nearest to Accept-Language is
// the lang of every Odoo call of the request; translated names come back in
// it and are ordered in it; a header no installed language matches keeps
// the user's language, without an error.
func TestAcceptLanguage(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		warm(t, g)
		g.mustDo(countriesQuery, nil, nil)
		if vary := strings.Join(g.hdr().Values("Vary"), ", "); !strings.Contains(vary, "Accept-Language") {
			t.Errorf("Vary: %q, want Accept-Language (the answer depends on it)", vary)
		}
		for _, c := range []struct {
			header string
			lang   any // the lang Odoo is sent; nil: none
			names  string
		}{
			{"", nil, english},
			{"fr", "fr_FR", french},
			{"fr-BE, en;q=0.5", "fr_FR", french}, // fr_BE is not installed: French of France
			{"de-CH;q=0.9, fr;q=0.8", "de_DE", german},
			{"en-GB", "en_US", english},
			{"es-ES, nl;q=0.9", nil, english}, // neither is installed
			{"*, fr;q=0", nil, english},
			{"fr;q=0.2, de;q=0.7, en;q=0.5", "de_DE", german},
			{"FR-fr", "fr_FR", french},
			{"fr;q=nope, de", "de_DE", german}, // a malformed range is skipped
		} {
			g.odoo.ResetCounters()
			var got countries
			if errs := g.postWithHeaders(t, countriesQuery, nil, map[string]string{"Accept-Language": c.header}, &got); len(errs) > 0 {
				t.Fatalf("Accept-Language %q: %+v", c.header, errs)
			}
			if got.names() != c.names {
				t.Errorf("Accept-Language %q: %s, want %s", c.header, got.names(), c.names)
			}
			ctxs := odooContexts(g.odoo, "res.country", "")
			if len(ctxs) != 1 || g.odoo.TotalCalls() != 1 {
				t.Fatalf("Accept-Language %q: calls %v, want one read of res.country", c.header, g.odoo.CallCounts())
			}
			if ctxs[0]["lang"] != c.lang {
				t.Errorf("Accept-Language %q: Odoo context %v, want lang %v", c.header, ctxs[0], c.lang)
			}
		}
	})
}

// TestTranslatedFields: the values Odoo translates (fields_get translate:
// true) come back in the request's language at every level — many2one
// display names, relations, x2manys — and filters on them match the
// language's values.
func TestTranslatedFields(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		fr := map[string]string{"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"}
		var partners struct {
			ResPartners struct {
				Nodes []struct {
					Name    string `json:"name"`
					Country struct {
						Name        string `json:"name"`
						DisplayName string `json:"display_name"`
					} `json:"country_id"`
					Tags []struct {
						Name        string `json:"name"`
						DisplayName string `json:"display_name"`
					} `json:"category_id"`
				} `json:"nodes"`
			} `json:"resPartners"`
		}
		q := `{ resPartners(where: {name: {eq: "Deco Addict"}}) { nodes { name country_id { name display_name } category_id { name display_name } } } }`
		g.mustDo(q, nil, &partners)
		en := fmt.Sprint(partners)
		if errs := g.postWithHeaders(t, q, nil, fr, &partners); len(errs) > 0 {
			t.Fatal(errs)
		}
		if len(partners.ResPartners.Nodes) != 1 {
			t.Fatalf("got %+v", partners)
		}
		p := partners.ResPartners.Nodes[0]
		if p.Name != "Deco Addict" || p.Country.Name != "États-Unis" || p.Country.DisplayName != "États-Unis" ||
			len(p.Tags) != 1 || p.Tags[0].Name != "Fabricants de bureaux" || p.Tags[0].DisplayName != "Fournisseur / Fabricants de bureaux" {
			t.Errorf("in French: %+v (in English %s)", p, en)
		}
		if !strings.Contains(en, "United States") || !strings.Contains(en, "Vendor / Desk Manufacturers") {
			t.Errorf("in English: %s", en)
		}

		// A filter on a translated field matches the language's values.
		var found countries
		where := `{ resCountries(where: {name: {ilike: "allemagne"}}) { nodes { code name } } }`
		g.mustDo(where, nil, &found)
		if len(found.ResCountries.Nodes) != 0 {
			t.Errorf("in English, Allemagne matches %s", found.names())
		}
		if errs := g.postWithHeaders(t, where, nil, fr, &found); len(errs) > 0 || found.names() != "Allemagne" {
			t.Errorf("in French, ilike allemagne: %s %+v", found.names(), errs)
		}

		// Products: a template's name and its variants' display names.
		var products struct {
			ProductTemplates struct {
				Nodes []struct {
					Name     string `json:"name"`
					Variants []struct {
						DisplayName string `json:"display_name"`
					} `json:"product_variant_ids"`
				} `json:"nodes"`
			} `json:"productTemplates"`
		}
		pq := `{ productTemplates(where: {name: {eq: "Bureau personnalisable"}}) { nodes { name product_variant_ids { display_name } } } }`
		if errs := g.postWithHeaders(t, pq, nil, fr, &products); len(errs) > 0 || len(products.ProductTemplates.Nodes) != 1 {
			t.Fatalf("Bureau personnalisable in French: %+v %+v", products, errs)
		}
		for _, v := range products.ProductTemplates.Nodes[0].Variants {
			if !strings.Contains(v.DisplayName, "Bureau personnalisable") {
				t.Errorf("variant %q not in French", v.DisplayName)
			}
		}
	})
}

// TestContextDirective: @context(lang:) overrides Accept-Language, tz is
// passed to Odoo, and a language that is not installed or a time zone that
// is not one are BAD_USER_INPUT, with no Odoo call for the query.
func TestContextDirective(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		warm(t, g)
		de := map[string]string{"Accept-Language": "de"}
		for _, c := range []struct{ directive, lang, names string }{
			{`@context(lang: "fr_FR")`, "fr_FR", french},
			{`@context(lang: "fr-FR")`, "fr_FR", french},
			{`@context(lang: "fr")`, "fr_FR", french},
			{`@context(lang: "en_US")`, "en_US", english},
			{`@context(tz: "Europe/Brussels")`, "de_DE", german}, // lang left out: Accept-Language's
		} {
			g.odoo.ResetCounters()
			var got countries
			q := "query " + c.directive + " " + countriesQuery
			if errs := g.postWithHeaders(t, q, nil, de, &got); len(errs) > 0 {
				t.Fatalf("%s: %+v", c.directive, errs)
			}
			if got.names() != c.names {
				t.Errorf("%s: %s, want %s", c.directive, got.names(), c.names)
			}
			ctxs := odooContexts(g.odoo, "res.country", "")
			if len(ctxs) != 1 || ctxs[0]["lang"] != c.lang {
				t.Errorf("%s: Odoo contexts %v, want lang %s", c.directive, ctxs, c.lang)
			}
			if strings.Contains(c.directive, "tz") && ctxs[0]["tz"] != "Europe/Brussels" {
				t.Errorf("%s: Odoo context %v, want tz Europe/Brussels", c.directive, ctxs[0])
			}
		}
		// Every call of the operation carries it: a list, its count and its
		// relations.
		g.odoo.ResetCounters()
		g.mustDo(`query @context(lang: "fr_FR", tz: "America/New_York") { resPartners(limit: 3) { totalCount nodes { name country_id { name } } } }`, nil, nil)
		for _, c := range g.odoo.CallLog() {
			ctx, _ := c.Kwargs["context"].(map[string]any)
			if ctx["lang"] != "fr_FR" || ctx["tz"] != "America/New_York" {
				t.Errorf("%s.%s: context %v", c.Model, c.Method, ctx)
			}
		}
		// Variables work as literals do.
		var got countries
		g.mustDo(`query($l: String) @context(lang: $l) `+countriesQuery, map[string]any{"l": "de_DE"}, &got)
		if got.names() != german {
			t.Errorf("@context(lang: $l) with de_DE: %s", got.names())
		}

		for _, c := range []struct{ directive, msg string }{
			{`@context(lang: "es_ES")`, `@context(lang: "es_ES"): no such language is installed in Odoo; the installed languages are de_DE, en_US, fr_FR`},
			{`@context(lang: "fr_BE")`, `@context(lang: "fr_BE"): no such language is installed in Odoo; the installed languages are de_DE, en_US, fr_FR`},
			{`@context(lang: "")`, `@context(lang: ""): no such language is installed in Odoo; the installed languages are de_DE, en_US, fr_FR`},
			{`@context(tz: "Mars/Olympus_Mons")`, `@context(tz: "Mars/Olympus_Mons"): not an IANA time zone (such as Europe/Brussels or America/New_York)`},
			{`@context(tz: "Local")`, `@context(tz: "Local"): not an IANA time zone (such as Europe/Brussels or America/New_York)`},
			{`@context(tz: "../../etc/passwd")`, `@context(tz: "../../etc/passwd"): not an IANA time zone (such as Europe/Brussels or America/New_York)`},
			{`@context(companies: ["x"])`, `@context(companies): "x" is not a company id`},
		} {
			g.odoo.ResetCounters()
			var data struct {
				ResCountries *json.RawMessage `json:"resCountries"`
			}
			errs := g.postWithHeaders(t, "query "+c.directive+" "+countriesQuery, nil, nil, &data)
			if len(errs) != 1 || errs[0].code() != engine.CodeBadUserInput || errs[0].Message != c.msg {
				t.Errorf("%s: errors %+v, want BAD_USER_INPUT %q", c.directive, errs, c.msg)
			}
			if data.ResCountries != nil {
				t.Errorf("%s: data %s", c.directive, *data.ResCountries)
			}
			if n := g.odoo.TotalCalls(); n != 0 {
				t.Errorf("%s: %d Odoo calls %v, want none", c.directive, n, g.odoo.CallCounts())
			}
		}
	})
}

// warehouses is the answer of warehousesQuery.
type warehouses struct {
	StockWarehouses struct {
		TotalCount int `json:"totalCount"`
		Nodes      []struct {
			Name string `json:"name"`
		} `json:"nodes"`
	} `json:"stockWarehouses"`
}

func (w warehouses) names() string {
	var out []string
	for _, n := range w.StockWarehouses.Nodes {
		out = append(out, n.Name)
	}
	return strings.Join(out, ", ")
}

// warehousesQuery lists the warehouses: one in each of the demo's two
// companies, San Francisco (1) and Chicago (2).
const warehousesQuery = `{ stockWarehouses(orderBy: [{id: ASC}]) { totalCount nodes { name } } }`

// TestContextCompanies: @context(companies:) runs the operation in those of
// the user's companies, the first the current one (Odoo's
// allowed_company_ids, whose multi-company record rules keep the records of
// those companies); a company that is not the user's is FORBIDDEN, and the
// query makes no Odoo call.
func TestContextCompanies(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		demo := g.as("demo", "demo") // company_ids: Chicago (2), San Francisco (1)
		demo.mustDo(warehousesQuery, nil, nil)
		for _, c := range []struct {
			companies string
			sent      []any
			names     string
		}{
			{``, nil, "YourCompany, My Company (Chicago)"},
			{`["1"]`, []any{1}, "YourCompany"},
			{`["2"]`, []any{2}, "My Company (Chicago)"},
			{`[2, 1]`, []any{2, 1}, "YourCompany, My Company (Chicago)"},
			{`["1", "2", "1"]`, []any{1, 2}, "YourCompany, My Company (Chicago)"},
			{`[]`, nil, "YourCompany, My Company (Chicago)"},
		} {
			q := warehousesQuery
			if c.companies != "" {
				q = "query @context(companies: " + c.companies + ") " + q
			}
			g.odoo.ResetCounters()
			var got warehouses
			demo.mustDo(q, nil, &got)
			if got.names() != c.names || got.StockWarehouses.TotalCount != strings.Count(c.names, ",")+1 {
				t.Errorf("companies %s: %d %s, want %s", c.companies, got.StockWarehouses.TotalCount, got.names(), c.names)
			}
			ctxs := odooContexts(g.odoo, "stock.warehouse", "")
			if len(ctxs) == 0 {
				t.Fatalf("companies %s: no call %v", c.companies, g.odoo.CallCounts())
			}
			for _, ctx := range ctxs {
				if sent, _ := ctx["allowed_company_ids"].([]any); !slices.Equal(sent, c.sent) {
					t.Errorf("companies %s: Odoo context %v, want allowed_company_ids %v", c.companies, ctx, c.sent)
				}
			}
		}
		// Sale orders are all San Francisco's.
		var orders struct {
			SaleOrders struct{ TotalCount int } `json:"saleOrders"`
		}
		demo.mustDo(`query @context(companies: ["2"]) { saleOrders { totalCount } }`, nil, &orders)
		if orders.SaleOrders.TotalCount != 0 {
			t.Errorf("Chicago's sale orders: %d, want none", orders.SaleOrders.TotalCount)
		}

		// A company that is not the user's: FORBIDDEN, before Odoo sees
		// the query (the user's companies, res.users company_ids, were read
		// once by the first @context(companies:) above, and are cached).
		for i := range 2 {
			g.odoo.ResetCounters()
			var data struct {
				StockWarehouses *json.RawMessage `json:"stockWarehouses"`
			}
			errs := demo.postWithHeaders(t, `query @context(companies: ["1", "3"]) `+warehousesQuery, nil, nil, &data)
			msg := "@context(companies): company 3 is not one of your allowed companies (1, 2)"
			if len(errs) != 1 || errs[0].code() != engine.CodeForbidden || errs[0].Message != msg {
				t.Errorf("company 3: errors %+v, want FORBIDDEN %q", errs, msg)
			}
			if data.StockWarehouses != nil {
				t.Errorf("company 3: data %s", *data.StockWarehouses)
			}
			if n := g.odoo.TotalCalls(); n != 0 {
				t.Errorf("company 3, request %d: Odoo calls %v, want none", i, g.odoo.CallCounts())
			}
		}
		// Mutations run in the companies given too.
		var created struct {
			C struct {
				ID        string `json:"id"`
				CompanyID struct {
					ID string `json:"id"`
				} `json:"company_id"`
			} `json:"createResPartner"`
		}
		g.odoo.ResetCounters()
		demo.mustDo(`mutation @context(companies: ["2"]) { createResPartner(input: {name: "Chicago contact", company_id: "2"}) { id company_id { id } } }`, nil, &created)
		if created.C.CompanyID.ID != "2" {
			t.Errorf("created %+v", created)
		}
		for _, ctx := range odooContexts(g.odoo, "res.partner", "") {
			if sent, _ := ctx["allowed_company_ids"].([]any); !slices.Equal(sent, []any{2}) {
				t.Errorf("mutation: Odoo context %v", ctx)
			}
		}
	})
}

// TestContextCacheKeys: the record cache keys values by the Odoo context:
// the same @cached query in English, then French, then with other
// companies, answers each time in its own context, and each is served from
// the cache the second time.
func TestContextCacheKeys(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		warm(t, g)
		cq := "query @cached(ttl: 60) " + countriesQuery
		for round := range 2 {
			for _, c := range []struct {
				query  string
				header string
				names  string
			}{
				{cq, "", english},
				{cq, "fr", french},
				{cq, "de", german},
				{`query @cached(ttl: 60) @context(lang: "fr_FR") ` + countriesQuery, "de", french},
				{`query @context(lang: "de_DE") @cached(ttl: 60) ` + countriesQuery, "", german},
			} {
				g.odoo.ResetCounters()
				var got countries
				if errs := g.postWithHeaders(t, c.query, nil, map[string]string{"Accept-Language": c.header}, &got); len(errs) > 0 {
					t.Fatal(errs)
				}
				if got.names() != c.names {
					t.Errorf("round %d, %q with Accept-Language %q: %s, want %s", round, c.query, c.header, got.names(), c.names)
				}
				if n := g.odoo.TotalCalls(); round == 1 && n != 0 {
					t.Errorf("round %d, %q with %q: %d Odoo calls, want none (cached)", round, c.query, c.header, n)
				}
			}
		}
		// Companies too.
		demo := g.as("demo", "demo")
		demo.mustDo(warehousesQuery, nil, nil)
		for round := range 2 {
			for _, c := range []struct{ companies, names string }{
				{`["1"]`, "YourCompany"},
				{`["2"]`, "My Company (Chicago)"},
				{`["2", "1"]`, "YourCompany, My Company (Chicago)"},
			} {
				g.odoo.ResetCounters()
				var got warehouses
				demo.mustDo("query @cached(ttl: 60) @context(companies: "+c.companies+") "+warehousesQuery, nil, &got)
				if got.names() != c.names {
					t.Errorf("round %d, companies %s: %s, want %s", round, c.companies, got.names(), c.names)
				}
				if n := g.odoo.TotalCalls(); round == 1 && n != 0 {
					t.Errorf("round %d, companies %s: %d Odoo calls, want none (cached)", round, c.companies, n)
				}
			}
		}
	})
}

// TestTranslatedWrite: a write in a language changes that language's value
// only (Odoo's translate=True fields), and invalidates what the cache holds
// in every language.
func TestTranslatedWrite(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		q := `query @cached(ttl: 60) { crmTag(id: "8") { name } }`
		type tag struct {
			CrmTag struct{ Name string } `json:"crmTag"`
		}
		read := func(lang string) string {
			var got tag
			if errs := g.postWithHeaders(t, q, nil, map[string]string{"Accept-Language": lang}, &got); len(errs) > 0 {
				t.Fatal(errs)
			}
			return got.CrmTag.Name
		}
		if en, fr := read("en"), read("fr"); en != "Other" || fr != "Autre" {
			t.Fatalf("tag 8: %q in English, %q in French", en, fr)
		}
		g.mustDo(`mutation @context(lang: "fr_FR") { updateCrmTag(ids: ["8"], input: {name: "Divers"}) { name } }`, nil, nil)
		if en, fr, de := read("en"), read("fr"), read("de"); en != "Other" || fr != "Divers" || de != "Other" {
			t.Errorf("after the French write: %q in English, %q in French, %q in German", en, fr, de)
		}
		g.mustDo(`mutation { updateCrmTag(ids: ["8"], input: {name: "Miscellaneous"}) { name } }`, nil, nil)
		if en, fr := read("en"), read("fr"); en != "Miscellaneous" || fr != "Divers" {
			t.Errorf("after the English write: %q in English, %q in French", en, fr)
		}
		var created struct {
			C struct{ ID string } `json:"createCrmTag"`
		}
		g.mustDo(`mutation @context(lang: "fr_FR") { createCrmTag(input: {name: "Nouveau"}) { id } }`, nil, &created)
		for _, lang := range []string{"en", "fr", "de"} {
			var got tag
			g.postWithHeaders(t, `{ crmTag(id: "`+created.C.ID+`") { name } }`, nil, map[string]string{"Accept-Language": lang}, &got)
			if got.CrmTag.Name != "Nouveau" {
				t.Errorf("a tag created in French, read in %s: %q", lang, got.CrmTag.Name)
			}
		}
	})
}

// TestContextModesIdentical: compiled and live mode answer the requests of
// this feature byte for byte alike, with the same Odoo calls, under both
// fetch strategies: translated values, errors of @context, companies.
func TestContextModesIdentical(t *testing.T) {
	type req struct {
		query, lang, auth string
	}
	demo := "Basic " + b64("demo:demo")
	reqs := []req{
		{countriesQuery, "fr-BE,en;q=0.5", ""},
		{countriesQuery, "de", ""},
		{`query @context(lang: "fr_FR", tz: "Europe/Paris") { resPartners(limit: 4, orderBy: [{name: DESC}]) { totalCount nodes { name country_id { name display_name } category_id { name display_name } } } }`, "de", ""},
		{`query @cached(ttl: 30) @context(lang: "fr") { productTemplates(where: {name: {ilike: "bureau"}}, orderBy: [{name: ASC}]) { nodes { name description_sale uom_id { name } } } }`, "", ""},
		{`query @context(lang: "xx_XX") { resCountries { totalCount } }`, "", ""},
		{`query @context(tz: "Nowhere/Town") { resCountries { totalCount } }`, "", ""},
		{`query @context(companies: ["2"]) { stockWarehouses { nodes { name company_id { name } } } saleOrders { totalCount } }`, "", demo},
		{`query @context(companies: ["7"]) { stockWarehouses { nodes { name } } }`, "", demo},
		{`query @context(companies: "1") { stockWarehouses { nodes { name } } }`, "", demo},
		{`mutation @context(lang: "fr_FR") { updateCrmTag(ids: ["7"], input: {name: "Conseil en gestion"}) { id name } }`, "", ""},
		{`mutation @context(lang: "de_DE") { updateCrmTag(ids: ["7"], input: {name: "Beratung"}) { id name } }`, "fr", ""},
		{`{ crmTags(orderBy: [{name: ASC}]) { nodes { id name } } }`, "fr", ""},
		{`query @context(lang: "fr_FR", tz: "Europe/Paris", companies: ["2"]) {
  resCountries(where: {name: {ilike: "belg"}}) { nodes { code name } }    # Belgique
  stockWarehouses { nodes { name company_id { name } } }                  # Chicago's only
}`, "", ""}, // README's
		{`query @context(lang: "de_DE") { crmTags(where: {name: {eq: "Beratung"}}) { nodes { id name } } }`, "", ""},
	}
	for _, strategy := range []engine.Strategy{engine.Nested, engine.Batched} {
		t.Run(map[engine.Strategy]string{engine.Nested: "nested", engine.Batched: "batched"}[strategy], func(t *testing.T) {
			gw := func(schema server.SchemaMode) *gateway {
				return newGatewayConfig(t, func(c *server.Config) { c.Strategy, c.Schema = strategy, schema })
			}
			compiled, live := gw(server.SchemaCompiled), gw(server.SchemaLive)
			for i, r := range reqs {
				body, _ := json.Marshal(map[string]any{"query": r.query})
				rec := recorded{Method: http.MethodPost, Path: "/graphql", Body: string(body),
					Header: map[string][]string{"Content-Type": {"application/json"}}}
				if r.lang != "" {
					rec.Header["Accept-Language"] = []string{r.lang}
				}
				if r.auth != "" {
					rec.Header["Authorization"] = []string{r.auth}
				}
				compiled.odoo.ResetCounters()
				live.odoo.ResetCounters()
				cs, cb := replay(t, compiled, rec)
				ls, lb := replay(t, live, rec)
				cc, lc := fmt.Sprint(compiled.odoo.CallCounts()), fmt.Sprint(live.odoo.CallCounts())
				if cs != ls || cb != lb || cc != lc {
					t.Errorf("request %d %s (Accept-Language %q)\ncompiled %d %s\n  %s\nlive     %d %s\n  %s", i, r.query, r.lang, cs, cc, cb, ls, lc, lb)
				}
				if cs != http.StatusOK || strings.Contains(cb, `"INTERNAL"`) {
					t.Errorf("request %d: %d %s", i, cs, cb)
				}
			}
		})
	}
}

// TestRedisContextKeys: replicas sharing a Redis keep each Odoo context's
// values apart there too: what one replica cached in French, the other
// serves in French only.
func TestRedisContextKeys(t *testing.T) {
	for _, s := range strategies {
		t.Run(s.name, func(t *testing.T) {
			r := newReplicas(t, s)
			a, b := r.a.as("admin", "admin"), r.b.as("admin", "admin")
			cq := "query @cached(ttl: 60) " + countriesQuery
			fr := map[string]string{"Accept-Language": "fr"}
			ask := func(g *gateway, header map[string]string, want string, cached bool) {
				t.Helper()
				r.odoo.ResetCounters()
				var got countries
				if errs := g.postWithHeaders(t, cq, nil, header, &got); len(errs) > 0 {
					t.Fatal(errs)
				}
				if got.names() != want {
					t.Errorf("%s, want %s", got.names(), want)
				}
				if n := r.odoo.TotalCalls(); (n == 0) != cached {
					t.Errorf("%s: %d Odoo calls %v; served from the cache: want %v", want, n, r.odoo.CallCounts(), cached)
				}
			}
			ask(a, fr, french, false)
			syncShared(t, r.a)
			ask(b, nil, english, false) // not A's French entries
			syncShared(t, r.b)
			ask(b, fr, french, true) // A's, through Redis
			ask(a, nil, english, true)
			ask(b, map[string]string{"Accept-Language": "de"}, german, false)
		})
	}
}

// TestContextLookupCalls pins what resolving the context costs: the
// installed languages are read at warm-up (else by the first request with
// Accept-Language, once), a user's companies by their first
// @context(companies:), once; after that a request costs only its own calls.
func TestContextLookupCalls(t *testing.T) {
	fr := map[string]string{"Accept-Language": "fr"}
	type step struct {
		g      *gateway
		query  string
		header map[string]string
		want   string
	}
	run := func(t *testing.T, steps []step) {
		for i, s := range steps {
			s.g.odoo.ResetCounters()
			if errs := s.g.postWithHeaders(t, s.query, nil, s.header, nil); len(errs) > 0 {
				t.Fatal(errs)
			}
			if got := fmt.Sprint(s.g.odoo.CallCounts()); got != s.want {
				t.Errorf("step %d (%s): calls %s, want %s", i, s.query, got, s.want)
			}
		}
	}
	t.Run("warm", func(t *testing.T) {
		g := newGateway(t, single(engine.Nested))
		warm(t, g)
		demo := g.as("demo", "demo")
		companies := `query @context(companies: ["2"]) ` + warehousesQuery
		run(t, []step{
			{g, countriesQuery, fr, "map[res.country.web_search_read:1]"},
			{demo, companies, nil, "map[authenticate:1 res.users.read:1 stock.warehouse.web_search_read:1]"},
			{demo, companies, fr, "map[stock.warehouse.web_search_read:1]"},
		})
	})
	t.Run("cold", func(t *testing.T) {
		g := newGateway(t, single(engine.Nested))
		g.mustDo(countriesQuery, nil, nil) // the service account's login, the version
		run(t, []step{
			{g, countriesQuery, fr, "map[res.country.web_search_read:1 res.lang.search_read:1]"},
			{g, countriesQuery, map[string]string{"Accept-Language": "de"}, "map[res.country.web_search_read:1]"},
		})
	})
}
