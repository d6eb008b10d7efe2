package odootest

import (
	"testing"
)

// A writing call is one transaction: a nested command that fails undoes
// the whole call, the parent it had stored included, as in Odoo.
func TestWriteCallIsOneTransaction(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	count := func(model string, dom []any) int {
		return c.must(model, "search_count", L(dom), nil).(int)
	}
	orders, lines := count("sale.order", L()), count("sale.order.line", L())

	line := func(product any, qty float64) []any {
		return L(0, 0, KW("product_id", product, "product_uom_qty", qty))
	}
	// One line without a product: Odoo's accountable_required_fields.
	f := c.fault("sale.order", "create", L(KW("partner_id", 10, "client_order_ref", "TXN-1",
		"order_line", L(line(1, 1), L(0, 0, KW("name", "no product")), line(2, 3)))), nil)
	if f.Code != 2 || f.String != "The operation cannot be completed: Missing required fields on accountable sale order line." {
		t.Errorf("fault = %v %q", f.Code, f.String)
	}
	if n := count("sale.order", L()); n != orders {
		t.Errorf("orders: %d after a failed create, want %d", n, orders)
	}
	if n := count("sale.order.line", L()); n != lines {
		t.Errorf("lines: %d after a failed create, want %d", n, lines)
	}
	if n := count("sale.order", L(L("client_order_ref", "=", "TXN-1"))); n != 0 {
		t.Errorf("the failed order was stored (%d)", n)
	}

	// The same with valid lines: one order, its lines, in one call.
	id := c.must("sale.order", "create", L(KW("partner_id", 10, "order_line", L(line(1, 1), line(2, 3)))), nil).(int)
	got := ints(get(c.must("sale.order", "read", L(L(id)), KW("fields", L("order_line"))).([]any)[0], "order_line"))
	if len(got) != 2 {
		t.Fatalf("order_line = %v", got)
	}
	// A write whose later command fails keeps none of its earlier ones.
	f = c.fault("sale.order", "write", L(L(id), KW("note", "changed", "order_line",
		L(L(2, got[0], 0), line(3, 1), L(1, got[1], KW("product_id", false))))), nil)
	if f.Code != 2 {
		t.Errorf("fault = %v %q", f.Code, f.String)
	}
	after := c.must("sale.order", "read", L(L(id)), KW("fields", L("order_line", "note"))).([]any)[0]
	if l := ints(get(after, "order_line")); len(l) != 2 || l[0] != got[0] || l[1] != got[1] {
		t.Errorf("order_line after a failed write = %v, want %v", l, got)
	}
	if note := get(after, "note"); note != false {
		t.Errorf("note after a failed write = %v", note)
	}
	if n := count("sale.order.line", L()); n != lines+2 {
		t.Errorf("lines: %d, want %d", n, lines+2)
	}
	// A batch create is one transaction too.
	partners := count("res.partner", L())
	c.fault("res.partner", "create", L(L(KW("name", "Batch A"), KW("email", "no name"))), nil)
	if n := count("res.partner", L()); n != partners {
		t.Errorf("partners: %d after a failed batch, want %d", n, partners)
	}
}
