package schemagen_test

import (
	"fmt"
	"strings"

	"github.com/odoogql/odoogql/internal/schemagen"
	"github.com/odoogql/odoogql/odoo"
)

func ExampleGenerate() {
	meta := &odoo.Metadata{Models: []odoo.Model{{
		Model: "res.partner", Name: "Contact",
		Fields: map[string]odoo.Field{
			"id":         {Type: "integer", String: "ID", Readonly: true, Searchable: true, Sortable: true},
			"name":       {Type: "char", String: "Name", Searchable: true, Sortable: true},
			"country_id": {Type: "many2one", String: "Country", Relation: "res.country", Searchable: true},
		},
	}}}
	res, err := schemagen.Generate(meta, schemagen.Config{})
	if err != nil {
		panic(err)
	}
	schema := string(res.Files[schemagen.SchemaFile])
	start := strings.Index(schema, "type ResPartner implements Node {")
	fmt.Println(schema[start : start+strings.Index(schema[start:], "}")+1])
	// Output:
	// type ResPartner implements Node {
	//   """ID — Database id of the record."""
	//   id: ID!
	//   """Globally unique, opaque id of the record (Node): pass it to node to refetch it."""
	//   nodeId: ID!
	//   """Country — Odoo many2one to res.country; null when empty."""
	//   country_id: ResCountry
	//   """Name — Odoo char."""
	//   name: String
	// }
}

func ExampleModelNames() {
	n := schemagen.ModelNames([]string{"res.users", "sale.order.line"})
	fmt.Println(n["res.users"].Type, n["res.users"].Singular, n["res.users"].Plural, n["res.users"].Update)
	fmt.Println(n["sale.order.line"].Type, n["sale.order.line"].Singular, n["sale.order.line"].Plural)
	// Output:
	// ResUsers resUser resUsers updateResUsers
	// SaleOrderLine saleOrderLine saleOrderLines
}
