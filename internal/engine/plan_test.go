package engine

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/odoo"
)

// planFixture plans the first root field of query against the committed
// schema and metadata: no Go type is involved (the same plan serves the
// compiled and the live output).
func planFixture(t *testing.T, query string) (*Engine, *root, *listPlan) {
	t.Helper()
	src, err := os.ReadFile("../../schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	schema := gqlparser.MustLoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(src)})
	doc, errs := gqlparser.LoadQuery(schema, query)
	if errs != nil {
		t.Fatal(errs)
	}
	raw, err := os.ReadFile("../../metadata.json")
	if err != nil {
		t.Fatal(err)
	}
	var meta odoo.Metadata
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	e := New(&meta, Options{})
	oc := &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0], Variables: map[string]any{}}
	f := graphql.CollectFields(oc, doc.Operations[0].SelectionSet, []string{"Query"})[0]
	r := &root{alias: f.Alias, model: "res.partner", kind: rootList, field: f}
	p, err := e.planList(oc, r)
	if err != nil {
		t.Fatal(err)
	}
	return e, r, p
}

func TestPlanFromSchema(t *testing.T) {
	_, _, p := planFixture(t, `{ resPartners(limit: 5, orderBy: [{name: ASC}]) { totalCount nodes {
		id name active create_date credit_limit type color
		a: country_id { code } b: country_id { name }
		kids: child_ids(limit: 2, orderBy: [{name: DESC}]) { id name }
		all: child_ids { email }
	} } }`)
	if !p.wantCount || p.opt.Limit != 5 || p.opt.Order != "name asc" {
		t.Errorf("list plan: count %v, options %+v", p.wantCount, p.opt)
	}
	n := p.node
	if n.typeName != "ResPartner" || n.model != "res.partner" {
		t.Fatalf("node %s of %s", n.typeName, n.model)
	}
	kinds := map[string]scalarKind{}
	subs := map[string]*planField{}
	for _, pf := range n.fields {
		if pf.sub != nil {
			subs[pf.alias] = pf
			continue
		}
		kinds[pf.alias] = pf.kind
	}
	want := map[string]scalarKind{"id": kindID, "name": kindString, "active": kindBool, "create_date": kindString, "credit_limit": kindFloat, "type": kindString, "color": kindInt}
	for k, v := range want {
		if kinds[k] != v {
			t.Errorf("%s: kind %d, want %d", k, kinds[k], v)
		}
	}
	if subs["a"].sub.typeName != "ResCountry" || subs["b"].sub.typeName != "ResCountry" || subs["a"] == subs["b"] {
		t.Errorf("country_id under two aliases: %+v %+v", subs["a"], subs["b"])
	}
	if k := subs["kids"]; k.limit != 2 || k.order != "name desc" || k.sub.typeName != "ResPartner" {
		t.Errorf("kids: limit %d order %q type %s", k.limit, k.order, k.sub.typeName)
	}
	if a := subs["all"]; a.limit != -1 || a.hasArgs {
		t.Errorf("all: limit %d, args %v", a.limit, a.hasArgs)
	}
	if got := n.odooFields(); len(got) != 9 {
		t.Errorf("odoo fields %v", got)
	}
}

// TestConvertScalar: both outputs serve Odoo's values through convertScalar:
// False is null except for a non-null Boolean, an empty selection is null.
func TestConvertScalar(t *testing.T) {
	f := odoo.Field{Name: "x", Type: "char"}
	tests := []struct {
		kind scalarKind
		f    odoo.Field
		raw  any
		want any
	}{
		{kindID, odoo.Field{Name: "id"}, 7, "7"},
		{kindBool, f, false, false},
		{kindBool, f, nil, false},
		{kindBoolNull, f, false, nil},
		{kindBoolNull, f, true, true},
		{kindString, f, false, nil},
		{kindString, f, "a", "a"},
		{kindString, odoo.Field{Type: "selection"}, "", nil},
		{kindInt, f, 3, 3},
		{kindFloat, f, 2, 2.0},
		{kindJSON, f, false, nil},
		{kindJSON, f, map[string]any{"a": 1}, map[string]any{"a": 1}},
		{kindString, odoo.Field{Type: "datetime"}, "2026-11-21 20:40:00", "2026-11-21T20:40:00Z"},
	}
	for _, tt := range tests {
		got, err := convertScalar(tt.kind, tt.f, tt.raw)
		if err != nil || fmtAny(got) != fmtAny(tt.want) {
			t.Errorf("convertScalar(%d, %s, %v) = %v, %v; want %v", tt.kind, tt.f.Type, tt.raw, got, err, tt.want)
		}
	}
}

func fmtAny(v any) string {
	b, _ := odoo.MarshalJSON(v)
	return string(b)
}
