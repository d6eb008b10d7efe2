package odootest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCreateWriteUnlink(t *testing.T) {
	s := NewServer(WithClock(captureClock))
	defer s.Close()
	c := newClient(t, s)

	id := c.must("res.partner", "create", L(KW("name", "Acme", "is_company", true, "email", "a@example.com")), nil)
	if id != 49 {
		t.Errorf("first new partner id = %v, want 49 (the captured sequence)", id)
	}
	multi := ints(c.must("res.partner", "create", L(L(KW("name", "A"), KW("name", "B", "parent_id", id))), nil))
	if diff := cmp.Diff([]int{50, 51}, multi); diff != "" {
		t.Errorf("multi create ids (-want +got):\n%s", diff)
	}
	got := c.must("res.partner", "read", L(L(51)), KW("fields", L("display_name", "complete_name", "parent_id", "active", "create_date", "create_uid", "type")))
	want := []any{ostruct{{"id", 51}, {"display_name", "Acme, B"}, {"complete_name", "Acme, B"}, {"parent_id", []any{49, "Acme"}},
		{"active", true}, {"create_date", "2026-11-21 20:26:38"}, {"create_uid", []any{2, "Mitchell Admin"}}, {"type", "contact"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	// one2many computed from the inverse many2one.
	if ch := get(c.must("res.partner", "read", L(L(49)), KW("fields", L("child_ids"))).([]any)[0], "child_ids"); !slices.Equal(ints(ch), []int{51}) {
		t.Errorf("child_ids = %v", ch)
	}
	// Renaming the parent renames the child's display name.
	c.must("res.partner", "write", L(L(49), KW("name", "Acme Corp")), nil)
	if dn := get(c.must("res.partner", "read", L(L(51)), KW("fields", L("display_name"))).([]any)[0], "display_name"); dn != "Acme Corp, B" {
		t.Errorf("child display_name after rename = %v", dn)
	}
	// x2many commands.
	for _, tc := range []struct {
		name string
		cmds any
		want []int
	}{
		{"set", L(L(6, 0, L(7, 6))), []int{7, 6}},
		{"unlink", L(L(3, 6)), []int{7}},
		{"link", L(L(4, 5)), []int{7, 5}},
		{"clear", L(L(5)), []int{}},
		{"plain ids", L(5, 6), []int{6, 5}},
		{"create", L(L(0, 0, KW("name", "Fresh Tag"))), []int{6, 5, 8}},
		{"update", L(L(1, 8, KW("name", "Renamed Tag"))), []int{6, 5, 8}},
		{"delete", L(L(2, 8)), []int{6, 5}},
	} {
		c.must("res.partner", "write", L(L(49), KW("category_id", tc.cmds)), nil)
		got := ints(get(c.must("res.partner", "read", L(L(49)), KW("fields", L("category_id"))).([]any)[0], "category_id"))
		// The read order is the comodel's order (name); compare as sets.
		slices.Sort(got)
		w := slices.Clone(tc.want)
		slices.Sort(w)
		if !slices.Equal(got, w) {
			t.Errorf("%s: category_id = %v, want %v", tc.name, got, tc.want)
		}
	}
	if r, ok := s.Record("res.partner.category", 8); ok {
		t.Errorf("deleted tag still there: %v", r)
	}
	// one2many commands on an inverse field: create a child, unlink another.
	c.must("res.partner", "write", L(L(49), KW("child_ids", L(L(0, 0, KW("name", "C")), L(3, 51)))), nil)
	kids := ints(get(c.must("res.partner", "read", L(L(49)), KW("fields", L("child_ids"))).([]any)[0], "child_ids"))
	if len(kids) != 1 || kids[0] == 51 {
		t.Errorf("child_ids after commands = %v", kids)
	}
	if r, _ := s.Record("res.partner", 51); r["parent_id"] != false {
		t.Errorf("unlinked child keeps parent_id %v", r["parent_id"])
	}

	// Archive: the call succeeds, then the None result cannot be marshalled.
	f := c.fault("res.partner", "action_archive", L(L(49)), nil)
	if f.Code != 1 || !strings.HasSuffix(f.String, "TypeError: cannot marshal None unless allow_none is enabled\n") {
		t.Errorf("action_archive: %v %q", f.Code, f.String)
	}
	if r, _ := s.Record("res.partner", 49); r["active"] != false {
		t.Error("action_archive did not archive")
	}
	if n := len(ints(c.must("res.partner", "search", L(L(L("id", "=", 49))), nil))); n != 0 {
		t.Error("archived partner still found by search")
	}
	c.fault("res.partner", "action_unarchive", L(L(49)), nil)
	if r, _ := s.Record("res.partner", 49); r["active"] != true {
		t.Error("action_unarchive did not unarchive")
	}

	// Unlink, then reads drop the id.
	if v := c.must("res.partner", "unlink", L(L(49, 50)), nil); v != true {
		t.Errorf("unlink = %v", v)
	}
	if got := c.must("res.partner", "read", L(L(49, 50, 1)), KW("fields", L("name"))).([]any); len(got) != 1 {
		t.Errorf("read after unlink: %s", pyRepr(got))
	}
	// A many2one to a deleted record reads as False.
	if r, _ := s.Record("res.partner", 51); r["parent_id"] != false {
		t.Errorf("parent_id of orphan = %v", r["parent_id"])
	}
}

func TestCreateValidation(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	for _, tc := range []struct {
		name  string
		model string
		vals  any
		code  any
		msg   string
	}{
		{"missing required", "sale.order", KW(), 2, "Model: Sales Order (sale.order)\nField: Customer (partner_id)\n"},
		{"contact without name", "res.partner", KW("email", "x@example.invalid"), 2, "The operation cannot be completed: Contacts require a name"},
		{"unknown field", "res.partner", KW("name", "x", "bogus", 1), 1, "ValueError: Invalid field 'bogus' on model 'res.partner'\n"},
		{"bad selection", "res.partner", KW("name", "x", "type", "nope"), 1, "ValueError: Wrong value for res.partner.type: 'nope'"},
		{"dangling many2one", "res.partner", KW("name", "x", "parent_id", 999999), 2, "The operation cannot be completed"},
	} {
		f := c.fault(tc.model, "create", L(tc.vals), nil)
		if f.Code != tc.code || !strings.Contains(f.String, tc.msg) {
			t.Errorf("%s: fault %v %q, want %v containing %q", tc.name, f.Code, f.String, tc.code, tc.msg)
		}
	}
	// A sale order gets Odoo-like defaults.
	id := c.must("sale.order", "create", L(KW("partner_id", 10, "order_line", L(L(0, 0, KW("product_id", 5, "price_unit", 10.0, "product_uom_qty", 3.0))))), nil)
	so := c.must("sale.order", "read", L(L(id)), KW("fields", L("name", "state", "user_id", "partner_invoice_id", "order_line", "company_id"))).([]any)[0]
	if get(so, "name") != "S00027" || get(so, "state") != "draft" || get(so, "user_id").([]any)[0] != 2 ||
		get(so, "partner_invoice_id").([]any)[0] != 10 || len(ints(get(so, "order_line"))) != 1 || get(so, "company_id") == false {
		t.Errorf("new sale order: %s", pyRepr(so))
	}
	line := c.must("sale.order.line", "read", L(ints(get(so, "order_line"))), KW("fields", L("order_id", "price_subtotal"))).([]any)[0]
	if get(line, "order_id").([]any)[0] != id || get(line, "price_subtotal") != 30.0 {
		t.Errorf("new line: %s", pyRepr(line))
	}
	// Unlinking the order cascades to its lines.
	c.must("sale.order", "unlink", L(L(id)), nil)
	if n := c.must("sale.order.line", "search_count", L(L(L("order_id", "=", id))), nil); n != 0 {
		t.Errorf("%v lines left after unlinking their order", n)
	}
	// A write to a missing record fails.
	f := c.fault("res.partner", "write", L(L(999999), KW("name", "x")), nil)
	if f.Code != 2 || !strings.HasPrefix(f.String, "Record does not exist or has been deleted.") {
		t.Errorf("write missing: %v %q", f.Code, f.String)
	}
	// Writing a related field writes through (res.users.name → partner).
	c.must("res.users", "write", L(L(6), KW("name", "Marc Demo II")), nil)
	if r, _ := s.Record("res.partner", 7); r["name"] != "Marc Demo II" {
		t.Errorf("partner of demo after write: %v", r["name"])
	}
	// A product variant created by name gets a template.
	pid := c.must("product.product", "create", L(KW("name", "Widget", "default_code", "W1", "list_price", 9.5)), nil)
	p := c.must("product.product", "read", L(L(pid)), KW("fields", L("display_name", "list_price", "product_tmpl_id"))).([]any)[0]
	if get(p, "display_name") != "[W1] Widget" || get(p, "list_price") != 9.5 {
		t.Errorf("new product: %s", pyRepr(p))
	}
}

func TestConcurrentWritesVisible(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	done := make(chan int, 20)
	for i := range 20 {
		go func() {
			cc := newClient(t, s)
			v, f := cc.exec("res.partner", "create", L(KW("name", "Concurrent "+time.Duration(i).String())), nil)
			if f != nil {
				done <- -1
				return
			}
			done <- v.(int)
		}()
	}
	var ids []any
	for range 20 {
		id := <-done
		if id < 0 {
			t.Fatal("create failed")
		}
		ids = append(ids, id)
	}
	if n := c.must("res.partner", "search_count", L(L(L("id", "in", ids))), nil); n != 20 {
		t.Errorf("found %v of 20 concurrently created partners", n)
	}
}
