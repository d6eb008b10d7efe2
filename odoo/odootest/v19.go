package odootest

import (
	"maps"
	"slices"
)

// adaptTo19 changes the captured Odoo 18 dataset where Odoo 19 differs in a
// way the gateway depends on. res.users: 18's groups_id holds every group
// of a user, the implied ones included; 19 keeps the groups given in
// group_ids and all of them in all_group_ids (computed, read-only), and
// has no groups_id. The demo users' groups are the same in both fields:
// the dataset does not tell given groups from implied ones.
func (ds *dataset) adaptTo19() {
	m := ds.models["res.users"]
	if m == nil {
		return
	}
	old := m.fields["groups_id"]
	if old == nil {
		return
	}
	given := renamed(old, "group_ids", map[string]any{})
	all := renamed(old, "all_group_ids", map[string]any{
		"string": "Groups and implied groups", "store": false, "readonly": true,
		"sortable": false, "groupable": false, "depends": []any{"group_ids"},
	})
	all.store = false
	delete(m.fields, "groups_id")
	m.fields[given.name], m.fields[all.name] = given, all
	if i := slices.Index(m.fieldOrder, "groups_id"); i >= 0 {
		m.fieldOrder = slices.Replace(m.fieldOrder, i, i+1, given.name, all.name)
	}
	for id, r := range m.recs {
		c := maps.Clone(r)
		v := c["groups_id"]
		delete(c, "groups_id")
		c[given.name], c[all.name] = v, v
		m.recs[id] = c // records are shared with other servers: copied
	}
}

// renamed returns a copy of f named name, with the fields_get attributes
// in set replaced.
func renamed(f *field, name string, set map[string]any) *field {
	c := *f
	c.name = name
	c.attrs = make(ostruct, len(f.attrs))
	for i, a := range f.attrs {
		c.attrs[i] = a
		if a.Name == "name" {
			c.attrs[i].Value = name
		}
		if v, ok := set[a.Name]; ok {
			c.attrs[i].Value = jsonToWire(v)
		}
	}
	return &c
}

// syncAllGroups keeps a 19.0 user's all_group_ids in step with group_ids
// after a write: Odoo computes it from the given groups and the groups they
// imply, and the dataset has no implied groups (see adaptTo19), so it is
// group_ids itself. On 18 (groups_id only) it does nothing.
func (e *env) syncAllGroups(m *model, id int) {
	if m.name != "res.users" || m.fields["all_group_ids"] == nil {
		return
	}
	r := m.recs[id]
	if r == nil {
		return
	}
	given, _ := r["group_ids"].([]int)
	if all, _ := r["all_group_ids"].([]int); slices.Equal(all, given) {
		return
	}
	nr := maps.Clone(r)
	nr["all_group_ids"] = slices.Clone(given)
	e.touch(m)
	m.recs[id] = nr
}
