package engine

import (
	"fmt"
	"slices"
	"testing"

	"github.com/odoogql/odoogql/odoo"
)

// testNode is a plan node of model with fields (reindexed).
func testNode(model string, fields ...*planField) *node {
	n := &node{model: model, typeName: model, fields: fields}
	n.reindex()
	return n
}

func scalarField(name string) *planField {
	return &planField{alias: name, name: name, field: odoo.Field{Name: name, Type: "char"}, limit: -1}
}

func relField(name, typ string, sub *node) *planField {
	return &planField{alias: name, name: name, field: odoo.Field{Name: name, Type: typ}, sub: sub, limit: -1}
}

// pipelinePlan is partners { name parent_id { name country_id { code } }
// category_id { name parent_id { name } } user_id { login } country_id {
// display_name } }: relations with relations below them (parent_id,
// category_id), one without (user_id), one that needs no read
// (country_id's display_name).
func pipelinePlan() *node {
	return testNode("res.partner",
		scalarField("name"),
		relField("parent_id", "many2one", testNode("res.partner",
			scalarField("name"),
			relField("country_id", "many2one", testNode("res.country", scalarField("code"))))),
		relField("category_id", "many2many", testNode("res.partner.category",
			scalarField("name"),
			relField("parent_id", "many2one", testNode("res.partner.category", scalarField("name"))))),
		relField("user_id", "many2one", testNode("res.users", scalarField("login"))),
		relField("country_id", "many2one", testNode("res.country", scalarField("display_name"))),
	)
}

// TestNextLevelIsAttachsLevel: the next level's batches that nextLevel
// makes from the reads alone, to start its calls before attaching, have
// the records attach gives the next level, in the same order, so the
// calls are the ones the next level would make: same ids, same order.
func TestNextLevelIsAttachsLevel(t *testing.T) {
	plan := pipelinePlan()
	var recs []odoo.Record
	for i := 1; i <= 600; i++ {
		rec := odoo.Record{"id": i, "name": fmt.Sprint("P", i), "user_id": false, "country_id": []any{i%7 + 1, "C"}}
		switch {
		case i%5 == 0:
			rec["parent_id"] = false
		default:
			// Parents out of order, repeated, one deleted (999).
			rec["parent_id"] = []any{[]int{40, 7, 999, 12, 7, 3}[i%6], "Parent"}
		}
		rec["category_id"] = []any{(i*7)%11 + 1, (i*3)%11 + 1, 77} // 77: deleted
		recs = append(recs, rec)
	}
	level := []*batch{newBatch(liveOutput{}, plan, recs)}
	read := map[string]map[int]odoo.Record{"res.partner": {}, "res.partner.category": {}, "res.users": {}}
	for _, id := range []int{40, 7, 12, 3} {
		read["res.partner"][id] = odoo.Record{"id": id, "name": fmt.Sprint("P", id), "country_id": []any{id % 4, "C"}}
	}
	for id := 1; id <= 11; id++ {
		read["res.partner.category"][id] = odoo.Record{"id": id, "name": "T", "parent_id": []any{id%3 + 20, "T"}}
	}

	calls := &levelCalls{rels: relationsOf(level)}
	for _, r := range calls.rels {
		calls.ids = append(calls.ids, relIDs(r))
	}
	ahead, ok := nextLevel(calls, read)
	if !ok {
		t.Fatal("nextLevel: not known from the reads")
	}
	var e Engine
	var attached []*batch
	for _, r := range calls.rels {
		if child := e.attach(nil, r, read, nil, nil); child != nil {
			attached = append(attached, child)
		}
	}
	// The next level's relations and their ids, from attach's batches and
	// from nextLevel's.
	want, got := relationsOf(attached), relationsOf(ahead)
	if len(want) != 2 || len(got) != len(want) {
		t.Fatalf("%d relations ahead, want %d (and 2)", len(got), len(want))
	}
	for i := range want {
		if got[i].pf != want[i].pf {
			t.Fatalf("relation %d: %s, want %s", i, got[i].pf.name, want[i].pf.name)
		}
		g, w := relIDs(got[i]), relIDs(want[i])
		if !slices.Equal(g, w) || len(w) == 0 {
			t.Errorf("relation %s: ids %v, want %v", want[i].pf.name, g, w)
		}
		gotIDs, wantIDs := recordIDs(got[i].parent.recs), recordIDs(want[i].parent.recs)
		if !slices.Equal(gotIDs, wantIDs) {
			t.Errorf("relation %s: records %v, want %v", want[i].pf.name, gotIDs, wantIDs)
		}
	}
	if ids := recordIDs(got[0].parent.recs); !slices.Equal(ids, []int{7, 12, 40, 3}) {
		t.Errorf("parents %v, want [7 12 40 3] (first seen first, 999 deleted)", ids)
	}

	// A relation fetched with its parent, or searched, has records
	// nextLevel cannot know from the reads.
	for _, mark := range []func(*planField){
		func(pf *planField) { pf.prefetched = true },
		func(pf *planField) { pf.hasArgs = true },
	} {
		plan := pipelinePlan()
		mark(plan.fields[2]) // category_id
		calls := &levelCalls{rels: relationsOf([]*batch{newBatch(liveOutput{}, plan, recs)})}
		calls.ids = make([][]int, len(calls.rels))
		if _, ok := nextLevel(calls, read); ok {
			t.Errorf("nextLevel known with %+v", plan.fields[2])
		}
	}
}

func recordIDs(recs []odoo.Record) []int {
	ids := make([]int, len(recs))
	for i, r := range recs {
		ids[i], _ = r.ID()
	}
	return ids
}
