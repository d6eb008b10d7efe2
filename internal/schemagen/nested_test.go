package schemagen

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/odoo"
)

// An x2many field to an exposed model with writable fields takes that
// model's own x2many input (create, update, delete of its records); to a
// model that is not exposed, or has nothing writable, the shared
// X2ManyInput.
func TestX2ManyInputPerTarget(t *testing.T) {
	id := odoo.Field{Type: "integer", Readonly: true}
	meta := &odoo.Metadata{Models: []odoo.Model{
		{Model: "x.order", Fields: map[string]odoo.Field{
			"id":       id,
			"name":     {Type: "char"},
			"line_ids": {Type: "one2many", Relation: "x.line"},
			"log_ids":  {Type: "one2many", Relation: "x.log"},
			"doc_ids":  {Type: "many2many", Relation: "x.hidden"},
		}},
		{Model: "x.line", Fields: map[string]odoo.Field{
			"id":       id,
			"qty":      {Type: "float"},
			"order_id": {Type: "many2one", Relation: "x.order"},
			"sub_ids":  {Type: "one2many", Relation: "x.line"}, // recursive input types
		}},
		{Model: "x.log", Fields: map[string]odoo.Field{
			"id":   id,
			"text": {Type: "char", Readonly: true},
		}},
	}}
	res, err := Generate(meta, Config{Models: []string{"x.order", "x.line", "x.log"}})
	if err != nil {
		t.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: SchemaFile, Input: string(res.Files[SchemaFile])})
	if gerr != nil {
		t.Fatal(gerr)
	}
	input := func(typ, field string) string {
		d := schema.Types[typ]
		if d == nil || d.Fields.ForName(field) == nil {
			return ""
		}
		return d.Fields.ForName(field).Type.String()
	}
	for _, tc := range []struct{ typ, field, want string }{
		{"XOrderCreateInput", "line_ids", "XLineX2ManyInput"},
		{"XOrderUpdateInput", "line_ids", "XLineX2ManyInput"},
		{"XOrderCreateInput", "log_ids", "X2ManyInput"}, // x.log has nothing writable
		{"XOrderCreateInput", "doc_ids", "X2ManyInput"}, // x.hidden is not exposed
		{"XLineCreateInput", "sub_ids", "XLineX2ManyInput"},
		{"XLineX2ManyInput", "set", "[ID!]"},
		{"XLineX2ManyInput", "create", "[XLineCreateInput!]"},
		{"XLineX2ManyInput", "update", "[XLineX2ManyUpdate!]"},
		{"XLineX2ManyInput", "delete", "[ID!]"},
		{"XLineX2ManyUpdate", "id", "ID!"},
		{"XLineX2ManyUpdate", "input", "XLineUpdateInput!"},
	} {
		if got := input(tc.typ, tc.field); got != tc.want {
			t.Errorf("%s.%s: %q, want %q", tc.typ, tc.field, got, tc.want)
		}
	}
	for _, typ := range []string{"XOrderX2ManyInput", "XLogX2ManyInput", "XLogX2ManyUpdate"} {
		if schema.Types[typ] != nil {
			t.Errorf("%s: made for no field", typ)
		}
	}
	gq := string(res.Files[GqlgenFile])
	for _, typ := range []string{"XLineX2ManyInput", "XLineX2ManyUpdate"} {
		if !strings.Contains(gq, "  "+typ+":\n    model: \"map[string]interface{}\"\n") {
			t.Errorf("gqlgen.yml does not bind %s to a map", typ)
		}
	}
}

// The new inputs' names are reserved with the model's other derived types.
func TestX2ManyInputNamesReserved(t *testing.T) {
	names := ModelNames([]string{"res.partner", "res.partner.x2_many.input", "res.partner.x2_many.update"})
	for m, want := range map[string]string{"res.partner": "ResPartner", "res.partner.x2_many.input": "ResPartnerX2ManyInput2", "res.partner.x2_many.update": "ResPartnerX2ManyUpdate2"} {
		if got := names[m].Type; got != want {
			t.Errorf("%s: %s, want %s", m, got, want)
		}
	}
}
