package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/internal/engine"
)

// Nested writes (issue 12): an x2many field to an exposed, writable model
// takes that model's own x2many input, whose create, update and delete
// become Odoo commands 0, 1 and 2 in the parent's one create or write call:
// all or nothing.

type nestedLine struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Qty       float64 `json:"product_uom_qty"`
	PriceUnit float64 `json:"price_unit"`
	ProductID *node   `json:"product_id"`
	TaxID     []node  `json:"tax_id"`
}

type nestedOrder struct {
	ID        string       `json:"id"`
	Ref       string       `json:"client_order_ref"`
	Note      string       `json:"note"`
	PartnerID *node        `json:"partner_id"`
	OrderLine []nestedLine `json:"order_line"`
}

const nestedOrderFields = `id client_order_ref note partner_id { id }
	order_line(orderBy: [{id: ASC}]) { id name product_uom_qty price_unit product_id { id } tax_id { id } }`

func TestNestedCreateInOneCall(t *testing.T) {
	for _, s := range strategies {
		t.Run(s.name, func(t *testing.T) {
			g := newGateway(t, s)
			g.mustDo(`{ resPartners(limit: 1) { nodes { id } } }`, nil, nil) // logs the service account in
			g.odoo.ResetCounters()
			var got struct {
				O nestedOrder `json:"createSaleOrder"`
			}
			g.mustDo(`mutation { createSaleOrder(input: {partner_id: "10", client_order_ref: "NESTED-1", order_line: {create: [
				{product_id: "1", name: "Desk", product_uom_qty: 2, price_unit: 100.5, tax_id: {set: ["1"]}},
				{product_id: "2", name: "Chair", product_uom_qty: 4, price_unit: 20},
				{product_id: "3", name: "Lamp", price_unit: 7.25, tax_id: {add: ["1"]}}
			]}}) { `+nestedOrderFields+` } }`, nil, &got)
			want := map[string]int{"sale.order.create": 1, "sale.order.web_read": 1}
			if s.strategy == engine.Batched {
				// The lines' many2ones and taxes are ids: no read of their own.
				want = map[string]int{"sale.order.create": 1, "sale.order.read": 1, "sale.order.line.search_read": 1}
			}
			if calls := g.odoo.CallCounts(); fmt.Sprint(calls) != fmt.Sprint(want) {
				t.Errorf("calls %v, want %v", calls, want)
			}
			o := got.O
			if o.ID == "" || o.Ref != "NESTED-1" || o.PartnerID == nil || o.PartnerID.ID != "10" {
				t.Fatalf("created %+v", o)
			}
			if len(o.OrderLine) != 3 {
				t.Fatalf("order_line = %+v, want 3 lines", o.OrderLine)
			}
			for i, w := range []struct {
				name, product string
				qty, price    float64
				taxes         int
			}{{"Desk", "1", 2, 100.5, 1}, {"Chair", "2", 4, 20, 0}, {"Lamp", "3", 1, 7.25, 1}} {
				l := o.OrderLine[i]
				if l.ID == "" || l.Name != w.name || l.ProductID == nil || l.ProductID.ID != w.product || l.Qty != w.qty || l.PriceUnit != w.price || len(l.TaxID) != w.taxes {
					t.Errorf("line %d = %+v, want %+v", i, l, w)
				}
			}
			// The lines are records of their own, with new ids.
			var line struct {
				L *struct {
					OrderID *node `json:"order_id"`
				} `json:"saleOrderLine"`
			}
			g.mustDo(`query($id: ID!) { saleOrderLine(id: $id) { order_id { id } } }`, map[string]any{"id": o.OrderLine[2].ID}, &line)
			if line.L == nil || line.L.OrderID == nil || line.L.OrderID.ID != o.ID {
				t.Errorf("line %s: %+v, want order %s", o.OrderLine[2].ID, line.L, o.ID)
			}
			// The same input as a variable: coerced as the literal is, in both
			// schema modes.
			in := map[string]any{"partner_id": "10", "client_order_ref": "NESTED-2", "order_line": map[string]any{"create": []any{
				map[string]any{"product_id": "1", "name": "Desk", "product_uom_qty": 2, "price_unit": 100.5, "tax_id": map[string]any{"set": []any{"1"}}},
				map[string]any{"product_id": 2, "name": "Chair", "product_uom_qty": 4.0, "price_unit": 20},
			}}}
			var again struct {
				O nestedOrder `json:"createSaleOrder"`
			}
			g.mustDo(`mutation($in: SaleOrderCreateInput!) { createSaleOrder(input: $in) { `+nestedOrderFields+` } }`, map[string]any{"in": in}, &again)
			if l := again.O.OrderLine; len(l) != 2 || l[0].Qty != 2 || l[0].PriceUnit != 100.5 || len(l[0].TaxID) != 1 || l[1].ProductID == nil || l[1].ProductID.ID != "2" || l[1].Qty != 4 {
				t.Errorf("created from a variable: %+v", again.O)
			}
		})
	}
}

func TestNestedCreateAllOrNothing(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		type counts struct {
			Orders struct {
				N int `json:"totalCount"`
			} `json:"saleOrders"`
			Lines struct {
				N int `json:"totalCount"`
			} `json:"saleOrderLines"`
			Ref struct {
				N int `json:"totalCount"`
			} `json:"ref"`
		}
		const count = `{ saleOrders { totalCount } saleOrderLines { totalCount } ref: saleOrders(where: {client_order_ref: {eq: "NESTED-BAD"}}) { totalCount } }`
		var before, after counts
		g.mustDo(count, nil, &before)
		g.odoo.ResetCounters()
		// The second line has no product: Odoo refuses it, and with it the
		// order and the other lines.
		var out map[string]any
		errs := g.do(`mutation { createSaleOrder(input: {partner_id: "10", client_order_ref: "NESTED-BAD", order_line: {create: [
			{product_id: "1", name: "Desk"}, {name: "No product"}, {product_id: "2", name: "Chair"}
		]}}) { id order_line { id } } }`, nil, &out)
		if len(errs) != 1 {
			t.Fatalf("errors %+v, want one", errs)
		}
		const msg = "The operation cannot be completed: Missing required fields on accountable sale order line."
		if errs[0].code() != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, msg) || strings.Contains(errs[0].Message, "Traceback") {
			t.Errorf("error %q (%s), want BAD_USER_INPUT with %q", errs[0].Message, errs[0].code(), msg)
		}
		if out["createSaleOrder"] != nil {
			t.Errorf("data %v, want null", out)
		}
		if calls := g.odoo.CallCounts(); fmt.Sprint(calls) != fmt.Sprint(map[string]int{"sale.order.create": 1}) {
			t.Errorf("calls %v, want one create", calls)
		}
		g.mustDo(count, nil, &after)
		if after != before || after.Ref.N != 0 {
			t.Errorf("after the failed create: %+v, want %+v (nothing created)", after, before)
		}
		// A bad value in a nested line is the gateway's BAD_USER_INPUT,
		// saying where it is, before Odoo is called.
		g.odoo.ResetCounters()
		errs = g.do(`mutation { createSaleOrder(input: {partner_id: "10", order_line: {create: [{product_id: "1"}, {product_id: "x1"}]}}) { id } }`, nil, nil)
		if len(errs) != 1 || errs[0].code() != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, "input.order_line.create[1].product_id: invalid id") {
			t.Errorf("errors %+v", errs)
		}
		if calls := g.odoo.CallCounts(); len(calls) != 0 {
			t.Errorf("calls %v, want none", calls)
		}
	})
}

func TestNestedUpdateInOneWrite(t *testing.T) {
	for _, s := range strategies {
		t.Run(s.name, func(t *testing.T) {
			g := newGateway(t, s)
			var created struct {
				O nestedOrder `json:"createSaleOrder"`
			}
			g.mustDo(`mutation { createSaleOrder(input: {partner_id: "10", order_line: {create: [
				{product_id: "1", name: "Keep", product_uom_qty: 1}, {product_id: "2", name: "Change", product_uom_qty: 2}, {product_id: "3", name: "Drop"}
			]}}) { `+nestedOrderFields+` } }`, nil, &created)
			if len(created.O.OrderLine) != 3 {
				t.Fatalf("created %+v", created.O)
			}
			keep, change, drop := created.O.OrderLine[0], created.O.OrderLine[1], created.O.OrderLine[2]
			g.odoo.ResetCounters()
			var updated struct {
				U []nestedOrder `json:"updateSaleOrder"`
			}
			g.mustDo(`mutation($id: ID!, $change: ID!, $drop: ID!) { updateSaleOrder(ids: [$id], input: {note: "revised", order_line: {
				update: [{id: $change, input: {product_uom_qty: 5, tax_id: {set: ["1"]}}}], delete: [$drop],
				create: [{product_id: "4", name: "New", price_unit: 3.5}]}}) { `+nestedOrderFields+` } }`,
				map[string]any{"id": created.O.ID, "change": change.ID, "drop": drop.ID}, &updated)
			want := map[string]int{"sale.order.write": 1, "sale.order.web_read": 1}
			if s.strategy == engine.Batched {
				want = map[string]int{"sale.order.write": 1, "sale.order.read": 1, "sale.order.line.search_read": 1}
			}
			if calls := g.odoo.CallCounts(); fmt.Sprint(calls) != fmt.Sprint(want) {
				t.Errorf("calls %v, want %v", calls, want)
			}
			if len(updated.U) != 1 || updated.U[0].Note != "revised" {
				t.Fatalf("updated %+v", updated.U)
			}
			lines := updated.U[0].OrderLine
			if len(lines) != 3 {
				t.Fatalf("order_line = %+v, want 3 lines", lines)
			}
			if lines[0].ID != keep.ID || lines[0].Qty != 1 || len(lines[0].TaxID) != 0 {
				t.Errorf("kept line %+v, want %+v", lines[0], keep)
			}
			if lines[1].ID != change.ID || lines[1].Qty != 5 || len(lines[1].TaxID) != 1 || lines[1].TaxID[0].ID != "1" {
				t.Errorf("updated line %+v", lines[1])
			}
			if lines[2].ID == drop.ID || lines[2].Name != "New" || lines[2].PriceUnit != 3.5 || lines[2].ProductID == nil || lines[2].ProductID.ID != "4" {
				t.Errorf("new line %+v", lines[2])
			}
			var gone struct {
				L *nestedLine `json:"saleOrderLine"`
			}
			g.mustDo(`query($id: ID!) { saleOrderLine(id: $id) { id } }`, map[string]any{"id": drop.ID}, &gone)
			if gone.L != nil {
				t.Errorf("deleted line %s still there: %+v", drop.ID, gone.L)
			}
		})
	}
}

// An x2many field keeps the shared X2ManyInput (links only) when its model
// is not exposed; to an exposed one it takes that model's own input.
func TestNestedInputTypes(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		var got struct {
			Order struct {
				Fields []struct {
					Name string `json:"name"`
					Type struct {
						Name string `json:"name"`
					} `json:"type"`
				} `json:"inputFields"`
			} `json:"order"`
			Tax   map[string]any `json:"tax"`
			Links struct {
				Fields []struct {
					Name string `json:"name"`
				} `json:"inputFields"`
			} `json:"links"`
			Line struct {
				Fields []struct {
					Name string `json:"name"`
				} `json:"inputFields"`
			} `json:"line"`
		}
		g.mustDo(`{ order: __type(name: "SaleOrderCreateInput") { inputFields { name type { name } } }
			tax: __type(name: "AccountTaxCreateInput") { inputFields { name type { name } } }
			links: __type(name: "X2ManyInput") { inputFields { name } }
			line: __type(name: "SaleOrderLineX2ManyInput") { inputFields { name } } }`, nil, &got)
		types := map[string]string{}
		for _, f := range got.Order.Fields {
			types[f.Name] = f.Type.Name
		}
		for field, want := range map[string]string{"order_line": "SaleOrderLineX2ManyInput", "tag_ids": "CrmTagX2ManyInput", "quotation_document_ids": "X2ManyInput"} {
			if types[field] != want {
				t.Errorf("SaleOrderCreateInput.%s: %q, want %s", field, types[field], want)
			}
		}
		var names []string
		for _, f := range got.Links.Fields {
			names = append(names, f.Name)
		}
		if fmt.Sprint(names) != "[set add remove]" {
			t.Errorf("X2ManyInput fields %v", names)
		}
		names = nil
		for _, f := range got.Line.Fields {
			names = append(names, f.Name)
		}
		if fmt.Sprint(names) != "[set add remove create update delete]" {
			t.Errorf("SaleOrderLineX2ManyInput fields %v", names)
		}
		// account.tax.repartition_line_ids: account.tax.repartition.line is
		// not exposed.
		if !strings.Contains(fmt.Sprint(got.Tax), "map[name:repartition_line_ids type:map[name:X2ManyInput]]") {
			t.Errorf("AccountTaxCreateInput.repartition_line_ids is not an X2ManyInput: %v", got.Tax)
		}
	})
}

// A nested write invalidates the cached records of the models it created,
// updated or deleted through, not only the parent's model and its
// dependents: a tag renamed through an order's tag_ids reads back renamed.
func TestNestedWriteInvalidatesCache(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		const tag = `query @cached(ttl: 60) { crmTag(id: "1") { name } }`
		var got struct {
			T struct {
				Name string `json:"name"`
			} `json:"crmTag"`
		}
		g.mustDo(tag, nil, &got)
		g.odoo.ResetCounters()
		g.mustDo(tag, nil, &got)
		if n := g.odoo.TotalCalls(); n != 0 {
			t.Fatalf("not cached: %d calls", n)
		}
		g.mustDo(`mutation { updateSaleOrder(ids: ["1"], input: {tag_ids: {add: ["1"], update: [{id: "1", input: {name: "Renamed through an order"}}]}}) { id } }`, nil, nil)
		g.mustDo(tag, nil, &got)
		if got.T.Name != "Renamed through an order" {
			t.Errorf("tag name %q after a nested rename: stale cache", got.T.Name)
		}
	})
}
