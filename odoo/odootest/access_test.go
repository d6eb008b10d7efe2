package odootest

import (
	"slices"
	"strings"
	"testing"
)

func TestAuthentication(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	for _, tc := range []struct {
		method string
		params []any
		want   any
	}{
		{"authenticate", L("demo", "admin", "admin", KW()), 2},
		{"authenticate", L("demo", "demo", "demo", KW()), 6},
		{"authenticate", L("demo", "admin", "wrong", KW()), false},
		{"authenticate", L("demo", "nobody", "x", KW()), false},
		{"login", L("demo", "admin", "admin"), 2},
		{"login", L("demo", "admin", "nope"), false},
	} {
		got, f := c.rpc("/xmlrpc/2/common", tc.method, tc.params...)
		if f != nil || got != tc.want {
			t.Errorf("%s%s = %v, %v; want %v", tc.method, pyRepr(tc.params), got, f, tc.want)
		}
	}
	_, f := c.rpc("/xmlrpc/2/common", "authenticate", "no_such_db", "admin", "admin", KW())
	if f == nil || f.Code != 1 || !strings.Contains(f.String, `database "no_such_db" does not exist`) {
		t.Errorf("unknown db: %+v", f)
	}
	// execute_kw with a bad password, a bad uid, a bad db.
	if f := c.as(2, "wrong").fault("res.partner", "search", L(L()), nil); f.Code != 3 || f.String != "Access Denied" {
		t.Errorf("bad password: %+v", f)
	}
	if f := c.as(99, "admin").fault("res.partner", "search", L(L()), nil); f.Code != 3 {
		t.Errorf("bad uid: %+v", f)
	}
	_, f = c.rpc("/xmlrpc/2/object", "execute_kw", "other", 2, "admin", "res.partner", "search", L(L()))
	if f == nil || f.Code != 1 || !strings.Contains(f.String, "psycopg2.OperationalError") {
		t.Errorf("bad db: %+v", f)
	}
	// API keys work as passwords.
	if !s.SetAPIKey(6, "0123456789abcdef") {
		t.Fatal("SetAPIKey")
	}
	if got, _ := c.rpc("/xmlrpc/2/common", "authenticate", "demo", "demo", "0123456789abcdef", KW()); got != 6 {
		t.Errorf("authenticate with API key = %v", got)
	}
	c.as(6, "0123456789abcdef").must("res.partner", "search_count", L(L()), nil)
}

func TestDemoAccessRights(t *testing.T) {
	s := NewServer()
	defer s.Close()
	admin := newClient(t, s)
	demo := admin.as(DemoUID, "demo")
	for _, tc := range []struct {
		model string
		read  bool
		write bool
	}{
		{"res.partner", true, true},
		{"account.tax", false, false},
		{"res.users", true, false},
		{"res.company", true, false},
		{"res.country", true, false},
		{"res.currency", true, false},
		{"product.product", true, false},
		{"product.template", true, false},
		{"sale.order", true, true},
		{"ir.config_parameter", false, false},
	} {
		for op, want := range map[string]bool{"read": tc.read, "write": tc.write, "create": tc.write} {
			got := demo.must(tc.model, "check_access_rights", L(op), KW("raise_exception", false))
			if got != want {
				t.Errorf("demo check_access_rights(%s, %s) = %v, want %v", tc.model, op, got, want)
			}
			if got := admin.must(tc.model, "check_access_rights", L(op), KW("raise_exception", false)); got != true {
				t.Errorf("admin check_access_rights(%s, %s) = %v", tc.model, op, got)
			}
		}
	}
	// Capture 086 / 085 wording.
	f := demo.fault("res.users", "write", L(L(2), KW("name", "Hacked")), nil)
	want := "You are not allowed to modify 'User' (res.users) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Access Rights\n\nContact your administrator to request access if necessary."
	if f.Code != 4 || f.String != want {
		t.Errorf("demo write res.users: %v %q", f.Code, f.String)
	}
	if f := demo.fault("account.tax", "search_read", L(L()), nil); f.Code != 4 || !strings.HasPrefix(f.String, "You are not allowed to access 'Tax' (account.tax) records.") {
		t.Errorf("demo read account.tax: %v %q", f.Code, f.String)
	}
	if f := demo.fault("res.country", "create", L(KW("name", "X", "code", "XX")), nil); f.Code != 4 {
		t.Errorf("demo create country: %+v", f)
	}
	if f := demo.fault("product.product", "unlink", L(L(1)), nil); f.Code != 4 || !strings.Contains(f.String, "not allowed to delete") {
		t.Errorf("demo unlink product: %+v", f)
	}
	if f := demo.fault("res.users", "check_access_rights", L("write"), nil); f.Code != 4 {
		t.Errorf("raising check_access_rights: %+v", f)
	}
}

func TestDemoRecordRules(t *testing.T) {
	s := NewServer()
	defer s.Close()
	admin := newClient(t, s)
	demo := admin.as(DemoUID, "demo")
	all := ints(admin.must("sale.order", "search", L(L()), KW("order", "id")))
	mine := ints(demo.must("sale.order", "search", L(L()), KW("order", "id")))
	if len(mine) == 0 || len(mine) >= len(all) {
		t.Fatalf("demo sees %d of %d orders", len(mine), len(all))
	}
	users := admin.must("sale.order", "read", L(intsAny(mine)), KW("fields", L("user_id"))).([]any)
	for _, u := range users {
		if v := get(u, "user_id"); v != false && v.([]any)[0] != DemoUID {
			t.Errorf("demo sees order %v of user %v", get(u, "id"), v)
		}
	}
	var other int
	for _, id := range all {
		if !slices.Contains(mine, id) {
			other = id
			break
		}
	}
	want := "Uh-oh! Looks like you have stumbled upon some top-secret records.\n\nSorry, Marc Demo (id=6) doesn't have 'read' access to:\n- Sales Order (sale.order)\n\nIf you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies."
	if f := demo.fault("sale.order", "read", L(L(other)), KW("fields", L("name"))); f.Code != 4 || f.String != want {
		t.Errorf("demo read other's order: %v %q", f.Code, f.String)
	}
	if f := demo.fault("sale.order", "write", L(L(other), KW("note", "x")), nil); f.Code != 4 || !strings.Contains(f.String, "doesn't have 'write' access") {
		t.Errorf("demo write other's order: %+v", f)
	}
	if got := demo.must("sale.order", "has_access", L(L(other), "read"), nil); got != false {
		t.Errorf("has_access on other's order = %v", got)
	}
	if got := demo.must("sale.order", "has_access", L(L(mine[0]), "read"), nil); got != true {
		t.Errorf("has_access on own order = %v", got)
	}
	// Missing ids are still silently dropped.
	if got := demo.must("sale.order", "read", L(L(mine[0], 999999)), KW("fields", L("name"))).([]any); len(got) != 1 {
		t.Errorf("demo read own + missing: %s", pyRepr(got))
	}
	// The rule also filters x2many values: a partner's sale_order_ids.
	orders := admin.must("res.partner", "read", L(L(10)), KW("fields", L("sale_order_ids"))).([]any)
	dOrders := demo.must("res.partner", "read", L(L(10)), KW("fields", L("sale_order_ids"))).([]any)
	for _, id := range ints(get(dOrders[0], "sale_order_ids")) {
		if !slices.Contains(mine, id) {
			t.Errorf("demo sees order %d through sale_order_ids", id)
		}
	}
	if len(ints(get(orders[0], "sale_order_ids"))) < len(ints(get(dOrders[0], "sale_order_ids"))) {
		t.Error("admin sees fewer orders than demo")
	}
}

func TestFieldGroups(t *testing.T) {
	s := NewServer()
	defer s.Close()
	admin := newClient(t, s)
	demo := admin.as(DemoUID, "demo")
	// credit_limit is restricted to accounting groups.
	if got := admin.must("res.partner", "read", L(L(10)), KW("fields", L("credit_limit"))).([]any); get(got[0], "credit_limit") != 0.0 {
		t.Errorf("admin credit_limit: %s", pyRepr(got))
	}
	f := demo.fault("res.partner", "read", L(L(10)), KW("fields", L("name", "credit_limit")))
	want := "You do not have enough rights to access the field \"credit_limit\" on Contact (res.partner). Please contact your system administrator.\n\nOperation: read"
	if f.Code != 4 || f.String != want {
		t.Errorf("demo read credit_limit: %v %q", f.Code, f.String)
	}
	fg := demo.must("res.partner", "fields_get", L(), KW("attributes", L("type")))
	if v := get(fg, "credit_limit"); v != nil {
		t.Error("fields_get as demo lists credit_limit")
	}
	if v := get(fg, "activity_ids"); v == nil {
		t.Error("fields_get as demo omits a base.group_user field")
	}
	if v := get(admin.must("res.partner", "fields_get", L(), KW("attributes", L("type"))), "credit_limit"); v == nil {
		t.Error("fields_get as admin omits credit_limit")
	}
	// Reading all fields as demo silently skips the restricted ones.
	all := demo.must("res.partner", "read", L(L(10)), nil).([]any)
	if slices.Contains(keys(all[0]), "credit_limit") || !slices.Contains(keys(all[0]), "name") {
		t.Errorf("demo read all: keys %v", keys(all[0]))
	}
}

func TestMethodFaults(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	for _, tc := range []struct {
		name   string
		model  string
		method string
		args   []any
		kw     ostruct
		code   int
		suffix string
	}{
		{"unknown method", "res.partner", "no_such_method", L(L()), nil, 1, "AttributeError: The method 'res.partner.no_such_method' does not exist\n"},
		{"private method", "res.partner", "_compute_display_name", L(L(1)), nil, 4, "Private methods (such as 'res.partner._compute_display_name') cannot be called remotely."},
		{"unknown model", "no.such.model", "search", L(L()), nil, 2, "Object no.such.model doesn't exist"},
		{"unknown field", "res.partner", "read", L(L(1)), KW("fields", L("name", "no_such_field")), 1, "ValueError: Invalid field 'no_such_field' on model 'res.partner'\n"},
		{"check_access returns None", "res.partner", "check_access", L(L(), "write"), nil, 1, "TypeError: cannot marshal None unless allow_none is enabled\n"},
		{"unexpected kwarg", "res.partner", "search", L(L()), KW("bogus", 1), 1, "TypeError: BaseModel.search() got an unexpected keyword argument 'bogus'\n"},
		{"missing argument", "res.partner", "search", L(), nil, 1, "TypeError: BaseModel.search() missing 1 required positional argument: 'domain'\n"},
		{"too many arguments", "res.partner", "search_count", L(L(), 1, 2), nil, 1, "TypeError: BaseModel.search_count() takes from 2 to 3 positional arguments but 4 were given\n"},
	} {
		f := c.fault(tc.model, tc.method, tc.args, tc.kw)
		if f.Code != tc.code || !strings.HasSuffix(f.String, tc.suffix) {
			t.Errorf("%s: fault %v %q, want %d …%q", tc.name, f.Code, f.String, tc.code, tc.suffix)
		}
		if tc.code == 1 && !strings.HasPrefix(f.String, "Traceback (most recent call last):\n  File \"/usr/lib/python3/dist-packages/odoo/") {
			t.Errorf("%s: not a traceback: %q", tc.name, f.String)
		}
	}
	// Legacy endpoint: string fault codes.
	_, f := c.rpc("/xmlrpc/object", "execute_kw", "demo", 2, "admin", "res.partner", "read", L(L(1)), KW("fields", L("bogus")))
	if f == nil || f.Code != "Invalid field 'bogus' on model 'res.partner'" || !strings.Contains(f.String, "in xmlrpc_1") {
		t.Errorf("legacy fault: %+v", f)
	}
	// Version differences.
	s17 := NewServer(WithVersion("17.0"))
	defer s17.Close()
	c17 := newClient(t, s17)
	if f := c17.fault("res.partner", "has_access", L(L(), "write"), nil); !strings.HasSuffix(f.String, "AttributeError: The method 'has_access' does not exist on the model 'res.partner'\n") {
		t.Errorf("17.0 has_access: %q", f.String)
	}
	s19 := NewServer(WithVersion("19.0"))
	defer s19.Close()
	c19 := newClient(t, s19)
	if f := c19.fault("res.partner", "check_access", L(L(), "write"), nil); f.Code != 4 {
		t.Errorf("19.0 check_access: %+v", f)
	}
	if f := c19.fault("res.partner", "read", L(L(1)), KW("fields", L("bogus"))); !strings.HasSuffix(f.String, "ValueError: Invalid field 'bogus' on 'res.partner'\n") {
		t.Errorf("19.0 bad field: %q", f.String)
	}
}

func intsAny(ids []int) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// TestModelAccessRows checks ir.model.access against check_access_rights:
// for every model and operation, a user's right is whether an active row of
// a group of the user (res.users groups_id) or a group-less row grants it,
// which is how Odoo computes it (ir.model.access _get_allowed_models).
// Only admin may read the rows; demo gets Odoo's AccessError.
func TestModelAccessRows(t *testing.T) {
	s := NewServer()
	defer s.Close()
	admin, demo := newClient(t, s), newClient(t, s).as(DemoUID, "demo")
	rows := admin.must("ir.model.access", "search_read", L(L()), KW("fields", L("model_id", "group_id", "perm_read", "perm_write", "perm_create", "perm_unlink"))).([]any)
	models := map[int]string{}
	for _, r := range admin.must("ir.model", "search_read", L(L()), KW("fields", L("model"))).([]any) {
		r := r.(ostruct)
		id, _ := r.get("id")
		name, _ := r.get("model")
		models[id.(int)] = name.(string)
	}
	for _, u := range []struct {
		c   *client
		uid int
	}{{admin, AdminUID}, {demo, DemoUID}} {
		users := u.c.must("res.users", "read", L(L(u.uid)), KW("fields", L("groups_id"))).([]any)
		groups := map[int]bool{}
		gids, _ := users[0].(ostruct).get("groups_id")
		for _, g := range gids.([]any) {
			groups[g.(int)] = true
		}
		granted := map[string]bool{}
		for _, r := range rows {
			r := r.(ostruct)
			m, _ := r.get("model_id")
			g, _ := r.get("group_id")
			if gp, ok := g.([]any); ok && !groups[gp[0].(int)] {
				continue
			}
			for _, op := range []string{"read", "write", "create", "unlink"} {
				if v, _ := r.get("perm_" + op); v == true {
					granted[models[m.([]any)[0].(int)]+"/"+op] = true
				}
			}
		}
		checked := 0
		for _, name := range append(s.Models(), "res.groups") {
			for _, op := range []string{"read", "write", "create", "unlink"} {
				want := u.c.must(name, "check_access_rights", L(op), KW("raise_exception", false))
				if granted[name+"/"+op] != want {
					t.Errorf("uid %d %s %s: rows grant %v, check_access_rights %v", u.uid, name, op, granted[name+"/"+op], want)
				}
				checked++
			}
		}
		if checked < 80 {
			t.Errorf("only %d rights checked", checked)
		}
	}
	if f := demo.fault("ir.model.access", "search_read", L(L()), nil); f.Code != 4 ||
		!strings.HasPrefix(f.String, "You are not allowed to access 'Model Access' (ir.model.access) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Access Rights") {
		t.Errorf("demo reads ir.model.access: %v %q", f.Code, f.String)
	}
}
