package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/odoogql/odoogql/graph"
	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// readBackConfigs are the gateways the read-back tests run against: each
// fetch strategy, and the batched one with the record cache on for every
// request (ODOOGQL_CACHE_TTL), whose entries the writes must not let through
// either.
var readBackConfigs = []struct {
	name     string
	strategy engine.Strategy
	cacheTTL time.Duration
	schema   server.SchemaMode
}{
	{"nested", engine.Nested, 0, server.SchemaCompiled},
	{"batched", engine.Batched, 0, server.SchemaCompiled},
	{"nested+cache", engine.Nested, time.Minute, server.SchemaCompiled},
	{"batched+cache", engine.Batched, time.Minute, server.SchemaCompiled},
	{"live-nested", engine.Nested, 0, server.SchemaLive},
	{"live-batched", engine.Batched, 0, server.SchemaLive},
	{"live-nested+cache", engine.Nested, time.Minute, server.SchemaLive},
	{"live-batched+cache", engine.Batched, time.Minute, server.SchemaLive},
}

// TestReadBackAfterWrites runs several writes in one mutation operation: each
// write's read-back, and every relation read through it, shows the data as
// it is after that write, never what the request read before it.
func TestReadBackAfterWrites(t *testing.T) {
	type kid struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	type partner struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		ParentID *struct {
			Name     string `json:"name"`
			ChildIDs []kid  `json:"child_ids"`
		} `json:"parent_id"`
		ChildIDs []kid `json:"child_ids"`
	}
	names := func(ks []kid) []string {
		out := make([]string, len(ks))
		for i, k := range ks {
			out[i] = k.ID + ":" + k.Name
		}
		slices.Sort(out)
		return out
	}
	// Partner 10 (Deco Addict) has the contacts 19, 20 and 36.
	tests := []struct {
		name  string
		query string
		check func(t *testing.T, d func(alias string) partner)
		// Odoo calls of the operation, per strategy (the cache changes
		// nothing: every read-back follows a write, which moves the
		// generations its cached entries are keyed by).
		nested, batched map[string]int
	}{
		{
			name: "update twice",
			query: `mutation { a: updateResPartner(ids: ["10"], input: {name: "A"}) { name }
				b: updateResPartner(ids: ["10"], input: {name: "B"}) { name } }`,
			check: func(t *testing.T, d func(alias string) partner) {
				if got := d("a").Name + "," + d("b").Name; got != "A,B" {
					t.Errorf("a.name,b.name = %s, want A,B", got)
				}
			},
			nested:  map[string]int{"res.partner.web_read": 2, "res.partner.write": 2},
			batched: map[string]int{"res.partner.read": 2, "res.partner.write": 2},
		},
		{
			name: "create a contact, then update its company",
			query: `mutation { a: updateResPartner(ids: ["10"], input: {comment: "before"}) { name child_ids { id name } }
				b: createResPartner(input: {name: "New Kid", parent_id: "10"}) { name parent_id { name child_ids { name } } }
				c: updateResPartner(ids: ["10"], input: {name: "Deco Renamed"}) { name child_ids { id name } } }`,
			check: func(t *testing.T, d func(alias string) partner) {
				if n := len(d("a").ChildIDs); n != 3 {
					t.Errorf("a: %d contacts, want 3", n)
				}
				p := d("b").ParentID
				if p == nil || p.Name != "Deco Addict" || len(p.ChildIDs) != 4 {
					t.Errorf("b.parent_id = %+v, want Deco Addict with 4 contacts", p)
				}
				c := d("c")
				if c.Name != "Deco Renamed" || len(c.ChildIDs) != 4 || !slices.ContainsFunc(c.ChildIDs, func(k kid) bool { return k.Name == "New Kid" }) {
					t.Errorf("c = %s %v, want Deco Renamed with 4 contacts, New Kid among them", c.Name, names(c.ChildIDs))
				}
			},
			// a: the company, its contacts; b: the contact, its company, the
			// company's contacts (nested: one web_read with the whole
			// specification); c: as a.
			nested:  map[string]int{"res.partner.create": 1, "res.partner.web_read": 3, "res.partner.write": 2},
			batched: map[string]int{"res.partner.create": 1, "res.partner.read": 7, "res.partner.write": 2},
		},
		{
			name: "delete a contact, then read its company's contacts",
			query: `mutation { a: updateResPartner(ids: ["10"], input: {comment: "x"}) { child_ids { id name } }
				d: deleteResPartner(ids: ["36"]) { ids }
				b: updateResPartner(ids: ["10"], input: {comment: "y"}) { child_ids { id name } } }`,
			check: func(t *testing.T, d func(alias string) partner) {
				if got := names(d("a").ChildIDs); !slices.Equal(got, []string{"19:Douglas Fletcher", "20:Floyd Steward", "36:Addison Olson"}) {
					t.Errorf("a.child_ids = %v", got)
				}
				if got := names(d("b").ChildIDs); !slices.Equal(got, []string{"19:Douglas Fletcher", "20:Floyd Steward"}) {
					t.Errorf("b.child_ids = %v, want 19 and 20", got)
				}
			},
			nested:  map[string]int{"res.partner.unlink": 1, "res.partner.web_read": 2, "res.partner.write": 2},
			batched: map[string]int{"res.partner.read": 4, "res.partner.unlink": 1, "res.partner.write": 2},
		},
		{
			name: "update a contact, read it through its company",
			query: `mutation { a: updateResPartner(ids: ["10"], input: {comment: "x"}) { child_ids { id name } }
				k: updateResPartner(ids: ["19"], input: {name: "Douglas Renamed"}) { id name }
				b: updateResPartner(ids: ["10"], input: {comment: "y"}) { child_ids { id name } } }`,
			check: func(t *testing.T, d func(alias string) partner) {
				if k := d("k"); k.Name != "Douglas Renamed" {
					t.Errorf("k.name = %q", k.Name)
				}
				if got := names(d("b").ChildIDs); !slices.Equal(got, []string{"19:Douglas Renamed", "20:Floyd Steward", "36:Addison Olson"}) {
					t.Errorf("b.child_ids = %v", got)
				}
			},
			nested:  map[string]int{"res.partner.web_read": 3, "res.partner.write": 3},
			batched: map[string]int{"res.partner.read": 5, "res.partner.write": 3},
		},
	}
	for _, c := range readBackConfigs {
		t.Run(c.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					// A fresh Odoo per case: each one writes the demo data.
					g := newGatewayConfig(t, func(cfg *server.Config) { cfg.Strategy, cfg.CacheTTL, cfg.Schema = c.strategy, c.cacheTTL, c.schema })
					g.mustDo(`{ resPartners(limit: 1) { nodes { id } } }`, nil, nil) // logs the service account in
					g.odoo.ResetCounters()
					var data map[string]json.RawMessage
					g.mustDo(tt.query, nil, &data)
					tt.check(t, func(alias string) partner {
						// A create answers an object, an update a list.
						var one partner
						if json.Unmarshal(data[alias], &one) == nil {
							return one
						}
						var list []partner
						if err := json.Unmarshal(data[alias], &list); err != nil || len(list) != 1 {
							t.Fatalf("%s: %s", alias, data[alias])
						}
						return list[0]
					})
					want := tt.batched
					if c.strategy == engine.Nested {
						want = tt.nested
					}
					if got := g.odoo.CallCounts(); fmt.Sprint(got) != fmt.Sprint(want) {
						t.Errorf("calls %v, want %v", got, want)
					}
				})
			}
		})
	}
}

// newJoinGateway is a gateway whose GraphQL handler has the engine and the
// root-field join of the real one (GraphQLHandler), plus a test middleware
// inside the join that holds back the root fields named in delay before
// gqlgen coerces their arguments and calls their resolvers: the race of a
// root field scheduled late, made certain. join false leaves the join out.
func newJoinGateway(t *testing.T, strategy engine.Strategy, join bool, delay map[string]time.Duration, fields ...graphql.FieldMiddleware) *gateway {
	t.Helper()
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	meta, err := server.ParseMetadata(metadataJSON)
	if err != nil {
		t.Fatal(err)
	}
	client, err := odoo.NewClient(odoo.Config{URL: o.URL, DB: o.DB()})
	if err != nil {
		t.Fatal(err)
	}
	srv := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{Engine: engine.New(meta, engine.Options{Strategy: strategy})}}))
	srv.AddTransport(transport.POST{})
	srv.Use(extension.Introspection{})
	srv.SetErrorPresenter(engine.ErrorPresenter(slog.New(slog.DiscardHandler)))
	if join {
		srv.AroundRootFields(engine.JoinRootFields)
	}
	srv.AroundRootFields(func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		time.Sleep(delay[graphql.GetRootFieldContext(ctx).Field.Alias])
		return next(ctx)
	})
	for _, f := range fields {
		srv.AroundFields(f)
	}
	build := func(*http.Request) (*loaders.Loaders, error) {
		return loaders.New(client.Session(odootest.AdminUID, "admin"), loaders.Options{}), nil
	}
	mux := http.NewServeMux()
	mux.Handle("/graphql", loaders.Middleware(build, func(w http.ResponseWriter, _ *http.Request, err error) {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	})(srv))
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	return &gateway{t: t, odoo: o, url: hs.URL}
}

// TestRootFieldsJoinWithoutTimer: the root fields of a query run as one plan
// however late gqlgen gets to one of them, with odooModels, a root field
// whose arguments gqlgen rejects and one the engine rejects among them: the
// operation costs the joint Odoo calls, one read of the two partners.
func TestRootFieldsJoinWithoutTimer(t *testing.T) {
	const late = 50 * time.Millisecond
	const pair = `a: resPartner(id: "10") { name } b: resPartner(id: "11") { name }`
	tests := []struct {
		name  string
		query string
		delay map[string]time.Duration
		// the error the query answers ("": none), and whether its data
		// holds a and b (a non-null root field's error nulls all data).
		err      string
		withData bool
	}{
		{"second root late", `{ ` + pair + ` }`, map[string]time.Duration{"b": late}, "", true},
		{"first root late", `{ ` + pair + ` }`, map[string]time.Duration{"a": late}, "", true},
		{"odooModels, a root late", `{ odooModels { model } ` + pair + ` }`, map[string]time.Duration{"b": late}, "", true},
		{"odooModels late", `{ odooModels { model } ` + pair + ` }`, map[string]time.Duration{"odooModels": late}, "", true},
		{"introspection and __typename", `{ __typename __type(name: "ResPartner") { name } ` + pair + ` }`, map[string]time.Duration{"b": late}, "", true},
		{"arguments gqlgen rejects, a root late", `{ ` + pair + ` bad: saleOrders(where: {validity_date: {gt: "yesterday"}}) { nodes { id } } }`,
			map[string]time.Duration{"b": late}, "Date must be YYYY-MM-DD", false},
		{"arguments gqlgen rejects, late", `{ ` + pair + ` bad: saleOrders(where: {validity_date: {gt: "yesterday"}}) { nodes { id } } }`,
			map[string]time.Duration{"bad": late}, "Date must be YYYY-MM-DD", false},
		{"id the engine rejects, a root late", `{ ` + pair + ` bad: resPartner(id: "abc") { name } }`,
			map[string]time.Duration{"b": late}, `invalid id "abc"`, true},
	}
	want := map[engine.Strategy]string{
		engine.Nested:  "map[res.partner.web_read:1]",
		engine.Batched: "map[res.partner.read:1]",
	}
	for _, s := range compiledStrategies() {
		t.Run(s.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					g := newJoinGateway(t, s.strategy, true, tt.delay)
					var data struct {
						A, B *struct{ Name string }
					}
					errs := g.do(`query `+tt.query, nil, &data)
					switch {
					case tt.err == "" && len(errs) > 0:
						t.Fatalf("errors: %+v", errs)
					case tt.err != "" && (len(errs) != 1 || !strings.Contains(errs[0].Message, tt.err)):
						t.Fatalf("errors %+v, want one with %q", errs, tt.err)
					}
					if tt.withData && (data.A == nil || data.A.Name != "Deco Addict" || data.B == nil || data.B.Name != "Gemini Furniture") {
						t.Errorf("a, b = %+v, %+v", data.A, data.B)
					}
					if got := fmt.Sprint(g.odoo.CallCounts()); got != want[s.strategy] {
						t.Errorf("calls %s, want %s (one plan for both roots)", got, want[s.strategy])
					}
				})
			}
		})
	}
}

// TestRootFieldsWithoutJoin: a handler without JoinRootFields still answers
// every root field (each runs its own plan at once, nothing waits).
func TestRootFieldsWithoutJoin(t *testing.T) {
	for _, s := range compiledStrategies() {
		t.Run(s.name, func(t *testing.T) {
			g := newJoinGateway(t, s.strategy, false, nil)
			var data struct {
				A, B *struct{ Name string }
			}
			g.mustDo(`{ a: resPartner(id: "10") { name } b: resPartner(id: "11") { name } }`, nil, &data)
			if data.A == nil || data.A.Name != "Deco Addict" || data.B == nil || data.B.Name != "Gemini Furniture" {
				t.Errorf("a, b = %+v, %+v", data.A, data.B)
			}
			// A plan per root field, run at once: two calls; with the batched
			// strategy, the two reads may also meet in one loader batch when
			// the second root starts within the first one's batch window (a
			// slow machine, -race), which is one read of both ids.
			n, reads := g.odoo.TotalCalls(), g.odoo.Calls("res.partner", "read")
			if n != 2 && (s.strategy != engine.Batched || n != 1 || reads != 1) {
				t.Errorf("%d calls, want 2 (a plan per root field): %v", n, g.odoo.CallCounts())
			}
		})
	}
}

// TestWhereDatesChecked: a Date or DateTime in a relation's where (a map
// input, which the engine plans before gqlgen checks it) is checked as the
// scalars check it: one BAD_USER_INPUT naming where it is, and nothing sent
// to Odoo.
func TestWhereDatesChecked(t *testing.T) {
	tests := []struct{ query, msg string }{
		{`{ resPartners(limit: 5) { nodes { sale_order_ids(where: {validity_date: {gt: "yesterday"}}) { id } } } }`,
			`where.validity_date.gt: Date must be YYYY-MM-DD, got "yesterday"`},
		{`{ resPartners(limit: 5) { nodes { sale_order_ids(where: {date_order: {lt: "2024-01-01 10:00"}}) { id } } } }`,
			`where.date_order.lt: DateTime must be ISO 8601 like 2026-11-21T20:40:00Z, got "2024-01-01 10:00"`},
		{`{ saleOrders(limit: 1) { nodes { order_line(where: {order_id: {validity_date: {in: ["2024-01-01", "x"]}}}) { id } } } }`,
			`where.order_id.validity_date.in[1]: Date must be YYYY-MM-DD, got "x"`},
	}
	forStrategies(t, func(t *testing.T, g *gateway) {
		g.mustDo(`{ resPartners(limit: 1) { nodes { id } } }`, nil, nil) // logs the service account in
		for _, tt := range tests {
			g.odoo.ResetCounters()
			errs := g.do(tt.query, nil, nil)
			if len(errs) != 1 || errs[0].code() != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, tt.msg) {
				t.Errorf("%s:\n got %+v\n want one BAD_USER_INPUT with %q", tt.query, errs, tt.msg)
			}
			if n := g.odoo.TotalCalls(); n != 0 {
				t.Errorf("%s: %d Odoo calls, want none: %v", tt.query, n, g.odoo.CallCounts())
			}
		}
		// Valid values filter as before.
		var got struct {
			ResPartners struct {
				Nodes []struct {
					SaleOrderIDs []node `json:"sale_order_ids"`
				}
			}
		}
		g.mustDo(`{ resPartners(limit: 50) { nodes { sale_order_ids(where: {date_order: {gte: "2000-01-01T00:00:00Z"}, validity_date: {gte: "2026-12-01"}}) { id } } } }`, nil, &got)
		n := 0
		for _, p := range got.ResPartners.Nodes {
			n += len(p.SaleOrderIDs)
		}
		if n == 0 {
			t.Error("a valid date filter matched no order")
		}
	})
}

// TestOdooDateForms: dates and datetimes Odoo sends in another of its forms
// are served in the scalars' forms; one in no known form is null, with an
// error naming the field and the record, and the rest of the answer intact.
func TestOdooDateForms(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		password := "admin"
		if g.json2 {
			password = adminKey
		}
		uid, err := g.gw.Client().Authenticate(t.Context(), "admin", password)
		if err != nil {
			t.Fatal(err)
		}
		// The test server stores strings as it gets them, as a database
		// written by other code than Odoo's ORM may hold them.
		if err := g.gw.Client().Session(uid, password).Write(t.Context(), "sale.order", []int{1}, map[string]any{
			"date_order":      "2026-10-21 20:25:00.123456",
			"validity_date":   "2026-12-21 00:00:00",
			"commitment_date": "21/11/2026 10:00",
		}); err != nil {
			t.Fatal(err)
		}
		var data struct {
			A, B *struct {
				Name           string  `json:"name"`
				DateOrder      *string `json:"date_order"`
				ValidityDate   *string `json:"validity_date"`
				CommitmentDate *string `json:"commitment_date"`
			}
		}
		errs := g.do(`{ a: saleOrder(id: "1") { name date_order validity_date commitment_date } b: saleOrder(id: "2") { name date_order } }`, nil, &data)
		a, b := data.A, data.B
		if a == nil || b == nil {
			t.Fatalf("a, b = %+v, %+v; errors %+v", a, b, errs)
		}
		str := func(p *string) string {
			if p == nil {
				return "null"
			}
			return *p
		}
		if got := str(a.DateOrder) + " " + str(a.ValidityDate) + " " + str(a.CommitmentDate); got != "2026-10-21T20:25:00Z 2026-12-21 null" {
			t.Errorf("date_order validity_date commitment_date = %s, want 2026-10-21T20:25:00Z 2026-12-21 null", got)
		}
		if a.Name == "" || b.Name == "" || str(b.DateOrder) != "2026-10-21T20:25:00Z" {
			t.Errorf("the rest of the answer: a %+v, b %+v", *a, *b)
		}
		const msg = `Odoo sent sale.order.commitment_date of record 1 as "21/11/2026 10:00", which is not a datetime (YYYY-MM-DD HH:MM:SS, UTC); it is null`
		if len(errs) != 1 || errs[0].Message != msg || errs[0].code() != "INTERNAL" {
			t.Errorf("errors %+v, want one INTERNAL: %s", errs, msg)
		}
	})
}

// TestOdooModelsDoesNotHoldThePlan: odooModels takes no part in the plan, so
// the model root fields beside it run their plan while its own fields are
// still resolving. The test holds every OdooModel.model field until the
// partners' read has reached Odoo: if odooModels counted as arrived only
// once it is done (as before engine.Arrive), the plan would wait for it and
// this would never happen (the hang guard then fails the test).
func TestOdooModelsDoesNotHoldThePlan(t *testing.T) {
	for _, s := range compiledStrategies() {
		t.Run(s.name, func(t *testing.T) {
			var g *gateway
			hold := func(ctx context.Context, next graphql.Resolver) (any, error) {
				fc := graphql.GetFieldContext(ctx)
				if fc.Object == "OdooModel" && fc.Field.Name == "model" {
					guard := time.Now().Add(10 * time.Second) // hang guard, not a measurement
					for g.odoo.Calls("res.partner", "web_read")+g.odoo.Calls("res.partner", "read") == 0 {
						if time.Now().After(guard) {
							return nil, errors.New("the partners were not read while odooModels was resolving")
						}
						time.Sleep(time.Millisecond)
					}
				}
				return next(ctx)
			}
			g = newJoinGateway(t, s.strategy, true, nil, hold)
			var data struct {
				OdooModels []struct{ Model string }
				A, B       *struct{ Name string }
			}
			g.mustDo(`{ odooModels { model } a: resPartner(id: "10") { name } b: resPartner(id: "11") { name } }`, nil, &data)
			if len(data.OdooModels) == 0 || data.A == nil || data.A.Name != "Deco Addict" || data.B == nil || data.B.Name != "Gemini Furniture" {
				t.Errorf("data = %+v", data)
			}
		})
	}
}
