package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// metadataCalls counts the calls that are not reading or writing records.
func metadataCalls(counts map[string]int) int {
	n := 0
	for k, v := range counts {
		if k == "version" || k == "authenticate" || strings.HasSuffix(k, ".fields_get") || strings.HasSuffix(k, ".check_access_rights") || strings.HasSuffix(k, ".has_access") {
			n += v
		}
	}
	return n
}

func TestWarmCacheNoMetadataCalls(t *testing.T) {
	// Auto strategy: the engine needs the server version on every query.
	g := newGatewayConfig(t, func(c *server.Config) { c.Strategy = engine.Auto })
	if err := g.gw.Warm(context.Background()); err != nil {
		t.Fatal(err)
	}
	warm := g.odoo.CallCounts()
	if warm["version"] != 1 || warm["res.partner.fields_get"] != 1 || warm["authenticate"] != 1 {
		t.Errorf("warm-up calls: %v", warm)
	}
	for i := 0; i < 3; i++ {
		g.odoo.ResetCounters()
		g.mustDo(`{ resPartners(limit: 3) { nodes { name country_id { code } } } }`, nil, nil)
		got := g.odoo.CallCounts()
		if metadataCalls(got) != 0 || fmt.Sprint(got) != "map[res.partner.web_search_read:1]" {
			t.Errorf("query %d on a warm cache: %v", i, got)
		}
	}
	var stats struct{ hits, misses int64 }
	for _, s := range g.gw.CacheStats() {
		if s.Name == "metadata" {
			stats.hits, stats.misses = s.Hits, s.Misses
		}
	}
	if stats.hits < 3 {
		t.Errorf("metadata cache hits %d, want at least 3", stats.hits)
	}
}

func TestOdooModelsAccess(t *testing.T) {
	g := newGateway(t, single(engine.Nested))
	type model struct {
		Model  string `json:"model"`
		Name   string `json:"name"`
		Type   string `json:"type"`
		Access struct {
			Read, Create, Write, Unlink bool
		} `json:"access"`
	}
	var got struct {
		OdooModels []model `json:"odooModels"`
	}
	q := `{ odooModels { model name type access { read create write unlink } } }`
	g.as("demo", "demo").mustDo(q, nil, &got)
	if len(got.OdooModels) != 20 {
		t.Fatalf("%d models, want 20", len(got.OdooModels))
	}
	by := map[string]model{}
	for _, m := range got.OdooModels {
		by[m.Model] = m
	}
	p := by["res.partner"]
	if p.Type != "ResPartner" || p.Name != "Contact" || !p.Access.Read || !p.Access.Write {
		t.Errorf("res.partner for demo: %+v", p)
	}
	if a := by["account.tax"].Access; a.Read || a.Write {
		t.Errorf("demo must not read account.tax: %+v", a)
	}
	if a := by["res.users"].Access; !a.Read || a.Write || a.Create || a.Unlink {
		t.Errorf("demo on res.users: %+v, want read only", a)
	}
	// Warm: the same question again costs no call at all.
	g.odoo.ResetCounters()
	g.as("demo", "demo").mustDo(q, nil, &got)
	if n := g.odoo.TotalCalls(); n != 0 {
		t.Errorf("warm odooModels made %d calls: %v", n, g.odoo.CallCounts())
	}
	// Another user has other rights: admin may write res.users.
	g.as("admin", "admin").mustDo(q, nil, &got)
	for _, m := range got.OdooModels {
		if m.Model == "res.users" && !m.Access.Write {
			t.Errorf("admin must write res.users: %+v", m)
		}
	}
}

func TestCachedDirective(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		q := `query @cached(ttl: 60) { resPartners(where: {is_company: {eq: true}}, limit: 5) { totalCount nodes { name email country_id { name } child_ids { name } } }
			resPartner(id: "10") { name } }`
		type result struct {
			ResPartners struct {
				TotalCount int `json:"totalCount"`
				Nodes      []struct {
					Name  string `json:"name"`
					Email string `json:"email"`
				} `json:"nodes"`
			} `json:"resPartners"`
		}
		var first, second result
		g.mustDo(q, nil, &first)
		g.odoo.ResetCounters()
		g.mustDo(q, nil, &second)
		if n := g.odoo.TotalCalls(); n != 0 {
			t.Errorf("second @cached query made %d calls: %v", n, g.odoo.CallCounts())
		}
		if fmt.Sprint(first) != fmt.Sprint(second) {
			t.Errorf("cached answer differs:\n%v\n%v", first, second)
		}
		// Without the directive the same query goes to Odoo.
		g.odoo.ResetCounters()
		g.mustDo(strings.Replace(q, "@cached(ttl: 60)", "", 1), nil, nil)
		if g.odoo.TotalCalls() == 0 {
			t.Error("a query without @cached must not be served from the cache")
		}
		// A write through the gateway invalidates: the next read fetches again
		// and sees the new value.
		target := first.ResPartners.Nodes[0].Name
		var upd struct {
			U []struct{ ID string } `json:"updateResPartner"`
		}
		g.mustDo(`mutation { updateResPartner(ids: ["`+idByName(t, g, target)+`"], input: {email: "changed@example.com"}) { id } }`, nil, &upd)
		g.odoo.ResetCounters()
		var third result
		g.mustDo(q, nil, &third)
		if g.odoo.TotalCalls() == 0 {
			t.Error("after a write the cached query must fetch again")
		}
		if third.ResPartners.Nodes[0].Email != "changed@example.com" {
			t.Errorf("stale after write: %+v", third.ResPartners.Nodes[0])
		}
	})
}

func idByName(t *testing.T, g *gateway, name string) string {
	var got struct {
		ResPartners struct {
			Nodes []struct{ ID string } `json:"nodes"`
		} `json:"resPartners"`
	}
	g.mustDo(`query($n: String) { resPartners(where: {name: {eq: $n}}) { nodes { id } } }`, map[string]any{"n": name}, &got)
	if len(got.ResPartners.Nodes) != 1 {
		t.Fatalf("partner %q: %v", name, got)
	}
	return got.ResPartners.Nodes[0].ID
}

// TestCacheFetchesOnlyMissingFields: with batched reads, a cached record
// asked for one more field costs a read of that field only.
func TestCacheFetchesOnlyMissingFields(t *testing.T) {
	g := newGateway(t, single(engine.Batched))
	g.mustDo(`query @cached(ttl: 60) { resPartner(id: "10") { name country_id { name } } }`, nil, nil)
	g.odoo.ResetCounters()
	g.mustDo(`query @cached(ttl: 60) { resPartner(id: "10") { name email country_id { name code } } }`, nil, nil)
	log := g.odoo.CallLog()
	if len(log) != 2 {
		t.Fatalf("calls %+v, want a read of res.partner and one of res.country", log)
	}
	for _, c := range log {
		fields := fmt.Sprint(c.Kwargs["fields"])
		switch c.Model {
		case "res.partner":
			if fields != "[email]" {
				t.Errorf("res.partner read %s, want [email]", fields)
			}
		case "res.country":
			if fields != "[code]" {
				t.Errorf("res.country read %s, want [code]", fields)
			}
		}
	}
}

// TestCacheIsolation: what the administrator's queries put in the cache is
// never served to the restricted user, for records, fields and errors.
func TestCacheIsolation(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		admin, demo := g.as("admin", "admin"), g.as("demo", "demo")
		q := ordersQuery // orders of every user, @cached (redis_test.go)
		var a, d orders
		admin.mustDo(q, nil, &a)
		demo.mustDo(q, nil, &d)
		if a.SaleOrders.TotalCount <= d.SaleOrders.TotalCount || len(d.SaleOrders.Nodes) == 0 {
			t.Fatalf("admin sees %d orders, demo %d: the record rule should hide some", a.SaleOrders.TotalCount, d.SaleOrders.TotalCount)
		}
		for _, n := range d.SaleOrders.Nodes {
			if n.UserID != nil && n.UserID.ID != "6" {
				t.Errorf("demo got order %s of user %s", n.ID, n.UserID.ID)
			}
		}
		// A field only the administrator may read: cached for admin, an
		// access error for demo.
		fq := `query @cached(ttl: 600) { resPartner(id: "10") { name credit_limit } }`
		var ar struct {
			ResPartner struct {
				CreditLimit *float64 `json:"credit_limit"`
			} `json:"resPartner"`
		}
		admin.mustDo(fq, nil, &ar)
		errs := demo.do(fq, nil, nil)
		if len(errs) == 0 || errs[0].code() != "FORBIDDEN" {
			t.Errorf("demo reading credit_limit after admin cached it: %+v, want FORBIDDEN", errs)
		}
		// And the other way round: demo's error is not cached for admin.
		admin.mustDo(fq, nil, &ar)
		// A wrong password is refused even though the login is cached for the
		// right one.
		if errs := g.as("demo", "wrong").do(`{ resPartners { totalCount } }`, nil, nil); len(errs) == 0 || errs[0].code() != "UNAUTHENTICATED" {
			t.Errorf("wrong password: %+v", errs)
		}
	})
}

// TestCacheBound: the record cache never holds more than its bound.
func TestCacheBound(t *testing.T) {
	g := newGatewayConfig(t, func(c *server.Config) { c.Strategy, c.CacheMaxEntries, c.MaxLimit = engine.Batched, 50, 5000 },
		odootest.WithSynthetic(odootest.SyntheticConfig{Partners: 500, Seed: 2}))
	g.mustDo(`query @cached(ttl: 60) { resPartners(limit: 400) { nodes { name child_ids { name email } parent_id { name } } } }`, nil, nil)
	for _, s := range g.gw.CacheStats() {
		if s.Name != "records" {
			continue
		}
		if s.Entries > 50 {
			t.Errorf("records cache holds %d entries, bound 50", s.Entries)
		}
		if s.Evictions == 0 {
			t.Errorf("no eviction although the query filled far more than 50 entries: %+v", s)
		}
	}
	_ = time.Second
}

// TestCacheInvalidationScope: a write invalidates the cached searches that
// involve the written model (or models related to it), and only those.
func TestCacheInvalidationScope(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		tags := `query @cached(ttl: 60) { crmTags { nodes { name } } }`
		partners := `query @cached(ttl: 60) { resPartners(where: {is_company: {eq: true}}, limit: 3, orderBy: [{id: ASC}]) { nodes { name country_id { name } } } }`
		g.mustDo(tags, nil, nil)
		g.mustDo(partners, nil, nil)
		calls := func(q string) int {
			g.odoo.ResetCounters()
			g.mustDo(q, nil, nil)
			return g.odoo.TotalCalls()
		}
		if calls(tags) != 0 || calls(partners) != 0 {
			t.Fatal("not cached")
		}
		// A partner write: partner searches refetch, crm.tag's stay cached.
		g.mustDo(`mutation { updateResPartner(ids: ["12"], input: {comment: "x"}) { id } }`, nil, nil)
		if n := calls(tags); n != 0 {
			t.Errorf("a res.partner write invalidated crm.tag searches (%d calls)", n)
		}
		if n := calls(partners); n == 0 {
			t.Error("a res.partner write did not invalidate partner searches")
		}
		// Renaming a country: the partners' cached answer shows a country
		// name, so it must refetch and show the new one.
		g.mustDo(`mutation { updateResCountry(ids: ["233"], input: {name: "United States of America"}) { id } }`, nil, nil)
		var got struct {
			ResPartners struct {
				Nodes []struct {
					CountryID *struct{ Name string } `json:"country_id"`
				} `json:"nodes"`
			} `json:"resPartners"`
		}
		g.mustDo(partners, nil, &got)
		if c := got.ResPartners.Nodes[0].CountryID; c == nil || c.Name != "United States of America" {
			t.Errorf("stale country after rename: %+v", c)
		}
		if n := calls(tags); n != 0 {
			t.Errorf("a res.country write invalidated crm.tag searches (%d calls)", n)
		}
	})
}
