package odootest

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Expected ids below were computed from testdata/demo/res.partner.json
// independently of the server (39 active partners, 4 archived).
func TestSearchDomains(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	all := []int{1, 3, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43}
	for _, tc := range []struct {
		name   string
		domain []any
		want   []int
		count  int // when want is nil
		ctx    ostruct
	}{
		{name: "empty", domain: L(), want: all},
		{name: "bool =", domain: L(L("is_company", "=", true)), want: []int{1, 9, 10, 11, 12, 13, 14, 15, 16, 42}},
		{name: "m2o = False", domain: L(L("parent_id", "=", false)), want: []int{1, 3, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 42}},
		{name: "m2o != False", domain: L(L("parent_id", "!=", false)), count: 26},
		{name: "ilike", domain: L(L("name", "ilike", "deco")), want: []int{10}},
		{name: "like is case sensitive", domain: L(L("name", "like", "deco")), want: []int{}},
		{name: "like", domain: L(L("name", "like", "Deco")), want: []int{10}},
		{name: "not ilike", domain: L(L("name", "not ilike", "a")), want: []int{8, 9, 11, 13, 16, 17, 18, 22, 23, 25, 28, 29, 30, 33, 40}},
		{name: "not like", domain: L(L("name", "not like", "a")), count: 19},
		{name: "=like", domain: L(L("name", "=like", "D%")), want: []int{10, 19, 41}},
		{name: "=ilike", domain: L(L("name", "=ilike", "d%")), want: []int{10, 19, 41}},
		{name: "=like underscore", domain: L(L("name", "=like", "_eco Addict")), want: []int{10}},
		{name: "in", domain: L(L("id", "in", L(1, 3, 999))), want: []int{1, 3}},
		{name: "not in", domain: L(L("id", "not in", L(1, 3))), count: 37},
		{name: "in strings", domain: L(L("city", "in", L("Fremont", "Pleasant Hill"))), want: []int{10, 15, 19, 20, 27, 28, 34, 36}},
		{name: "not in strings", domain: L(L("city", "not in", L("Fremont", "Pleasant Hill"))), count: 31},
		{name: "<", domain: L(L("id", "<", 10)), want: []int{1, 3, 7, 8, 9}},
		{name: ">=", domain: L(L("id", ">=", 40)), want: []int{40, 41, 42, 43}},
		{name: "<= and >", domain: L(L("id", ">", 8), L("id", "<=", 10)), want: []int{9, 10}},
		{name: "datetime >", domain: L(L("write_date", ">", "2026-11-21 20:25:00")), count: 26},
		{name: "=? False is true", domain: L(L("email", "=?", false)), want: all},
		{name: "=? value", domain: L(L("name", "=?", "Wood Corner")), want: []int{9}},
		{name: "dotted m2o", domain: L(L("country_id.code", "=", "US")), count: 38},
		{name: "dotted m2o negative", domain: L(L("country_id.code", "!=", "US")), want: []int{13}},
		{name: "dotted parent name", domain: L(L("parent_id.name", "=", "Deco Addict")), want: []int{19, 20, 36}},
		{name: "dotted x2many", domain: L(L("child_ids.name", "ilike", "fletcher")), want: []int{10}},
		{name: "m2o by name", domain: L(L("country_id", "ilike", "united")), count: 38},
		{name: "m2o by id", domain: L(L("parent_id", "=", 10)), want: []int{19, 20, 36}},
		{name: "m2o in ids", domain: L(L("parent_id", "in", L(10, 9))), count: 6},
		{name: "m2m in", domain: L(L("category_id", "in", L(7))), want: []int{9, 10, 11, 12}},
		{name: "m2m = False", domain: L(L("category_id", "=", false)), count: 34},
		{name: "m2m by name", domain: L(L("category_id", "ilike", "desk")), want: []int{9, 10, 11, 12}},
		{name: "or", domain: L("|", L("name", "=", "Wood Corner"), L("name", "=", "Deco Addict")), want: []int{9, 10}},
		{name: "not", domain: L("!", L("is_company", "=", true)), count: 29},
		{name: "explicit and", domain: L("&", L("is_company", "=", true), L("id", "<", 10)), want: []int{1, 9}},
		{name: "nested", domain: L("|", "&", L("is_company", "=", true), L("id", "<", 10), L("id", "=", 43)), want: []int{1, 9, 43}},
		{name: "TRUE_LEAF", domain: L(L(1, "=", 1)), want: all},
		{name: "FALSE_LEAF", domain: L(L(0, "=", 1)), want: []int{}},
		{name: "archived only", domain: L(L("active", "=", false)), want: []int{2, 4, 5, 6}},
		{name: "active mentioned", domain: L(L("active", "in", L(true, false))), count: 43},
		{name: "active_test false", domain: L(), count: 43, ctx: KW("active_test", false)},
		{name: "child_of", domain: L(L("id", "child_of", 10)), want: []int{10, 19, 20, 36}},
		{name: "parent_of", domain: L(L("id", "parent_of", 19)), want: []int{10, 19}},
		{name: "any", domain: L(L("child_ids", "any", L(L("name", "ilike", "fletcher")))), want: []int{10}},
		{name: "not any", domain: L(L("is_company", "=", true), L("child_ids", "not any", L())), want: []int{13}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kw := KW("order", "id")
			if tc.ctx != nil {
				kw = append(kw, member{"context", tc.ctx})
			}
			got := ints(c.must("res.partner", "search", L(tc.domain), kw))
			if tc.want != nil {
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("search %s (-want +got):\n%s", pyRepr(tc.domain), diff)
				}
			} else if len(got) != tc.count {
				t.Errorf("search %s: %d records, want %d", pyRepr(tc.domain), len(got), tc.count)
			}
			skw := KW()
			if tc.ctx != nil {
				skw = KW("context", tc.ctx)
			}
			n := c.must("res.partner", "search_count", L(tc.domain), skw)
			if n != len(got) {
				t.Errorf("search_count = %v, search found %d", n, len(got))
			}
		})
	}
}

func TestSearchOrderLimitOffset(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	for _, tc := range []struct {
		name string
		kw   ostruct
		want []int
	}{
		// Capture 067: order "name desc, id", offset 5, limit 5.
		{"multi-key desc", KW("order", "name desc, id", "offset", 5, "limit", 5), []int{31, 14, 24, 37, 18}},
		// Capture 058: default order complete_name ASC, id DESC.
		{"default order", KW("limit", 6), []int{15, 27, 34, 28, 10, 36}},
		{"id desc", KW("order", "id desc", "limit", 3), []int{43, 42, 41}},
		{"offset past end", KW("order", "id", "offset", 100), []int{}},
		{"limit 0", KW("order", "id", "limit", 0), []int{}},
		{"limit false", KW("order", "id", "limit", false, "offset", 37), []int{42, 43}},
		// m2o orders by the comodel's order (parent name), nulls last.
		{"m2o order", KW("order", "parent_id, id", "limit", 4), []int{27, 28, 34, 19}},
		{"nulls first", KW("order", "parent_id desc, id", "limit", 2), []int{1, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ints(c.must("res.partner", "search", L(L()), tc.kw))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	// sale.order default order: date_order desc, id desc.
	got := ints(c.must("sale.order", "search", L(L(L("state", "=", "sale"))), KW("limit", 2)))
	if diff := cmp.Diff([]int{26, 25}, got); diff != "" {
		t.Errorf("sale.order default order (-want +got):\n%s", diff)
	}
	f := c.fault("res.partner", "search", L(L()), KW("order", "bogus"))
	if f.Code != 1 || !strings.HasSuffix(f.String, "ValueError: Invalid field 'bogus' on model 'res.partner'\n") {
		t.Errorf("bad order field: %v %q", f.Code, f.String)
	}
	f = c.fault("res.partner", "search", L(L()), KW("order", "name; drop table"))
	if f.Code != 1 || !strings.Contains(f.String, `ValueError: Invalid "order" specified`) {
		t.Errorf("bad order spec: %v %q", f.Code, f.String)
	}
}

func TestDomainFaults(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	for _, tc := range []struct {
		domain []any
		last   string
	}{
		{L(L("no_such_field", "=", 1)), "ValueError: Invalid field res.partner.no_such_field in leaf ('no_such_field', '=', 1)"},
		{L(L("country_id.bogus", "=", "x")), "ValueError: Invalid field res.country.bogus in leaf ('bogus', '=', 'x')"},
		{L(L("name", "BOGUS_OP", 1)), "ValueError: Invalid leaf ('name', 'BOGUS_OP', 1)"},
		{L(L("name", "=")), "ValueError: Invalid leaf ('name', '=')"},
		{L("|", L("name", "=", "x")), "is syntactically not correct."},
	} {
		f := c.fault("res.partner", "search_read", L(tc.domain), KW("fields", L("name")))
		if f.Code != 1 || !strings.HasPrefix(f.String, "Traceback (most recent call last):\n") || !strings.Contains(f.String, tc.last) {
			t.Errorf("domain %s: fault %v %q, want %q", pyRepr(tc.domain), f.Code, f.String, tc.last)
		}
	}
}

func TestReadDropsMissingAndKeepsOrder(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	got := c.must("res.partner", "read", L(L(10, 999999, 9)), KW("fields", L("name", "parent_id", "child_ids", "category_id", "credit_limit", "color")))
	want := []any{
		ostruct{{"id", 10}, {"name", "Deco Addict"}, {"parent_id", false}, {"child_ids", []int{36, 19, 20}}, {"category_id", []int{7}}, {"credit_limit", 0.0}, {"color", 0}},
		ostruct{{"id", 9}, {"name", "Wood Corner"}, {"parent_id", false}, {"child_ids", []int{18, 33, 17}}, {"category_id", []int{7, 6}}, {"credit_limit", 0.0}, {"color", 0}},
	}
	if diff := cmp.Diff(normalize(want), normalize(got)); diff != "" {
		t.Errorf("read (-want +got):\n%s", diff)
	}
	// Reading every field works and returns id first.
	all := c.must("sale.order", "read", L(L(1)), nil).([]any)
	if len(all) != 1 || keys(all[0])[0] != "id" || len(keys(all[0])) < 100 {
		t.Errorf("read all fields: %d records, keys %v", len(all), keys(all[0]))
	}
	// Related non-stored fields follow their path.
	u := c.must("res.users", "read", L(L(2)), KW("fields", L("name", "email", "login"))).([]any)
	if get(u[0], "name") != "Mitchell Admin" || get(u[0], "login") != "admin" {
		t.Errorf("res.users read: %s", pyRepr(u))
	}
	p := c.must("product.product", "read", L(L(5)), KW("fields", L("display_name", "name", "list_price", "categ_id"))).([]any)
	if get(p[0], "display_name") != "[FURN_7777] Office Chair" || get(p[0], "name") != "Office Chair" {
		t.Errorf("product.product read: %s", pyRepr(p))
	}
	// Stub models answer id/display_name.
	st := c.must("res.users", "read", L(L(2)), KW("fields", L("sale_team_id"))).([]any)
	team := get(st[0], "sale_team_id").([]any)
	stub := c.must(s.stubName("res.users", "sale_team_id"), "read", L(L(team[0])), KW("fields", L("display_name"))).([]any)
	if get(stub[0], "display_name") != team[1] {
		t.Errorf("stub read: %s, want %v", pyRepr(stub), team)
	}
}

// stubName returns the relation of a field (test helper).
func (s *Server) stubName(model, f string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ds.models[model].fields[f].relation
}

// normalize turns []int into []any so that cmp compares decoded values.
func normalize(v any) any {
	switch x := v.(type) {
	case []int:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case ostruct:
		out := make(ostruct, len(x))
		for i, m := range x {
			out[i] = member{m.Name, normalize(m.Value)}
		}
		return out
	}
	return v
}

func TestNameSearch(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	got := c.must("res.partner", "name_search", L(), KW("name", "de", "limit", 5)).([]any)
	var ids []int
	for _, p := range got {
		ids = append(ids, p.([]any)[0].(int))
	}
	if diff := cmp.Diff([]int{10, 36, 19, 20, 25}, ids); diff != "" {
		t.Errorf("name_search (-want +got):\n%s", diff)
	}
	// The pre-18 keyword "args" is accepted as the domain.
	got = c.must("res.partner", "name_search", L("de"), KW("args", L(L("is_company", "=", true)))).([]any)
	if len(got) != 1 || got[0].([]any)[1] != "Deco Addict" {
		t.Errorf("name_search with args: %s", pyRepr(got))
	}
	if !slices.Equal(ints(c.must("res.country", "search", L(L(L("code", "=", "BE"))), nil)), []int{20}) {
		t.Error("country BE")
	}
}
