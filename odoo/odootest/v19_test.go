package odootest

import (
	"slices"
	"strings"
	"testing"
)

// TestUserGroupsBy19: Odoo 19 serves a user's groups as group_ids (given)
// and all_group_ids (implied ones too, read-only, not stored) instead of
// 18's groups_id; the values are 18's, and 18 is unchanged.
func TestUserGroupsBy19(t *testing.T) {
	s18 := NewServer()
	defer s18.Close()
	s19 := NewServer(WithVersion("19.0"))
	defer s19.Close()
	c18, c19 := newClient(t, s18).as(DemoUID, "demo"), newClient(t, s19).as(DemoUID, "demo")

	want := ints(get(c18.must("res.users", "read", L(L(DemoUID)), KW("fields", L("groups_id"))).([]any)[0], "groups_id"))
	if len(want) == 0 {
		t.Fatal("demo has no groups on 18")
	}
	got := c19.must("res.users", "read", L(L(DemoUID)), KW("fields", L("group_ids", "all_group_ids"))).([]any)[0]
	for _, f := range []string{"group_ids", "all_group_ids"} {
		if g := ints(get(got, f)); !slices.Equal(g, want) {
			t.Errorf("19 %s = %v, want 18's groups_id %v", f, g, want)
		}
	}
	if f := c19.fault("res.users", "read", L(L(DemoUID)), KW("fields", L("groups_id"))); !strings.Contains(f.String, "groups_id") {
		t.Errorf("19 read of groups_id: %q", f.String)
	}

	fields := c19.must("res.users", "fields_get", L(), KW("attributes", L("name", "string", "store", "readonly", "relation"))).(ostruct)
	if _, ok := fields.get("groups_id"); ok {
		t.Error("19 fields_get has groups_id")
	}
	all, _ := fields.get("all_group_ids")
	if get(all, "name") != "all_group_ids" || get(all, "store") != false || get(all, "readonly") != true || get(all, "relation") != "res.groups" {
		t.Errorf("19 all_group_ids: %s", pyRepr(all))
	}
	given, _ := fields.get("group_ids")
	if get(given, "name") != "group_ids" || get(given, "store") != true || get(given, "string") != "Groups" {
		t.Errorf("19 group_ids: %s", pyRepr(given))
	}
	f18 := newClient(t, s18).must("res.users", "fields_get", L(), KW("attributes", L("name"))).(ostruct)
	if _, ok := f18.get("groups_id"); !ok {
		t.Error("18 fields_get lost groups_id")
	}
	if _, ok := f18.get("all_group_ids"); ok {
		t.Error("18 fields_get has all_group_ids")
	}
}

// TestAllGroupsFollowGivenGroups19: on 19, all_group_ids is computed from
// group_ids, so a write of group_ids (any command) changes both; on 18
// groups_id is the one field.
func TestAllGroupsFollowGivenGroups19(t *testing.T) {
	s19 := NewServer(WithVersion("19.0"))
	defer s19.Close()
	admin := newClient(t, s19).as(AdminUID, "admin")
	read := func() (given, all []int) {
		r := admin.must("res.users", "read", L(L(DemoUID)), KW("fields", L("group_ids", "all_group_ids"))).([]any)[0]
		return ints(get(r, "group_ids")), ints(get(r, "all_group_ids"))
	}
	given, _ := read()
	if len(given) < 2 {
		t.Fatalf("demo has %d groups", len(given))
	}
	dropped := given[len(given)-1]
	for _, step := range []struct {
		name string
		cmds []any
	}{
		{"unlink one", L(L(3, dropped))},
		{"link it back", L(L(4, dropped))},
		{"set two", L(L(6, 0, L(given[0], dropped)))},
	} {
		admin.must("res.users", "write", L(L(DemoUID), KW("group_ids", step.cmds)), nil)
		g, a := read()
		if !slices.Equal(a, g) {
			t.Errorf("%s: all_group_ids %v, group_ids %v: want them equal (the dataset implies no groups)", step.name, a, g)
		}
		if step.name == "unlink one" && slices.Contains(a, dropped) {
			t.Errorf("%s: all_group_ids %v still has %d", step.name, a, dropped)
		}
	}
	if g, _ := read(); !slices.Equal(g, []int{given[0], dropped}) {
		t.Errorf("after set: group_ids %v, want %v", g, []int{given[0], dropped})
	}
}
