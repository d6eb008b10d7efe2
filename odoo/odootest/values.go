package odootest

import (
	"slices"
	"sort"
)

// env is the execution context of one call: who calls, with which context.
type env struct {
	s          *Server
	ds         *dataset
	u          *user
	activeTest bool
	method     string
	now        string

	// lang is the context's language when it is not en_US ("": en_US);
	// companies the active companies (allowed_company_ids, else all of the
	// user's), restricted whether they leave out some of res.company, and
	// badCompanies whether allowed_company_ids names a company the user may
	// not access (see i18n.go).
	lang         string
	companies    []int
	restricted   bool
	badCompanies bool

	// undo holds the models a writing call changed, as they were before
	// (txn.go): restored when the call fails.
	undo map[*model]*undoModel

	orderCache map[string][]orderTerm
	ruleCache  map[string]dnode
	fdomCache  map[*field]dnode
}

// get returns the internal value of field f of record r: stored data,
// computed one2many, or followed related path.
func (e *env) get(m *model, r rec, f *field) any {
	if f.name == "id" {
		return r["id"]
	}
	if f.inverse {
		co := e.ds.model(f.relation)
		id, _ := r["id"].(int)
		set := co.inverse[f.relationField][id]
		ids := make([]int, 0, len(set))
		for cid := range set {
			ids = append(ids, cid)
		}
		sort.Ints(ids)
		return ids
	}
	if f.name == "display_name" {
		return e.displayName(m, r)
	}
	if v, ok := r[f.name]; ok {
		if t, ok := e.translation(r, f); ok {
			return t
		}
		return v
	}
	if len(f.related) > 1 && !f.store {
		cur, cr := m, r
		for _, hop := range f.related[:len(f.related)-1] {
			hf := cur.fields[hop]
			if hf == nil || hf.typ != "many2one" {
				return nil
			}
			tid, _ := e.get(cur, cr, hf).(int)
			co := e.ds.model(hf.relation)
			if tid == 0 || co == nil || co.recs[tid] == nil {
				return nil
			}
			cur, cr = co, co.recs[tid]
		}
		lf := cur.fields[f.related[len(f.related)-1]]
		if lf == nil {
			return nil
		}
		return e.get(cur, cr, lf)
	}
	return nil
}

func (e *env) displayName(m *model, r rec) string {
	if m.name == "res.users" {
		if p := e.ds.model("res.partner"); p != nil {
			if pid, _ := r["partner_id"].(int); pid != 0 && p.recs[pid] != nil {
				return strVal(p.recs[pid]["name"])
			}
		}
	}
	s, ok := r["display_name"].(string)
	if !ok {
		s = computeDisplayName(e.ds.models, m, r)
	}
	if t, ok := e.translatedDisplayName(m, r, s); ok {
		return t
	}
	return s
}

// m2oTarget returns the record a many2one value points to.
func (e *env) m2oTarget(f *field, v any) (*model, rec) {
	id, _ := v.(int)
	if id == 0 {
		return nil, nil
	}
	co := e.ds.model(f.relation)
	if co == nil {
		return nil, nil
	}
	r := co.recs[id]
	if r == nil {
		return co, nil
	}
	return co, r
}

// x2manyIDs returns the ids of an x2many value as a read shows them:
// existing records only, archived ones and those outside the field's domain
// or the user's record rules left out, in the comodel's order.
func (e *env) x2manyIDs(m *model, r rec, f *field) []int {
	ids, _ := e.get(m, r, f).([]int)
	if len(ids) == 0 {
		return []int{}
	}
	co := e.ds.model(f.relation)
	if co == nil {
		return []int{}
	}
	activeTest := e.activeTest
	if f.activeTest != 0 {
		activeTest = f.activeTest == 1
	}
	dom := e.fieldDomain(co, f)
	rule := e.ruleNode(co)
	out := make([]int, 0, len(ids))
	seen := make(map[int]bool, len(ids))
	for _, id := range ids {
		cr := co.recs[id]
		if cr == nil || seen[id] {
			continue
		}
		seen[id] = true
		if activeTest && co.hasActive {
			if a, ok := cr["active"].(bool); ok && !a {
				continue
			}
		}
		if dom != nil && !e.eval(dom, co, cr) {
			continue
		}
		if rule != nil && !e.eval(rule, co, cr) {
			continue
		}
		out = append(out, id)
	}
	if len(out) > 1 {
		terms, err := e.parseOrder(co, co.order)
		if err == nil {
			e.sortIDs(co, out, terms)
		}
	}
	return out
}

// wireValue converts field f of record r to what read() returns. With
// classic, a many2one is [id, display_name]; otherwise a bare id.
func (e *env) wireValue(m *model, r rec, f *field, classic bool) any {
	switch f.typ {
	case "one2many", "many2many":
		return e.x2manyIDs(m, r, f)
	}
	v := e.get(m, r, f)
	switch f.typ {
	case "many2one":
		co, tr := e.m2oTarget(f, v)
		if tr == nil {
			return false
		}
		if !classic {
			return tr["id"]
		}
		return []any{tr["id"], e.displayName(co, tr)}
	case "integer":
		if v == nil {
			return 0
		}
		return v
	case "float", "monetary":
		switch x := v.(type) {
		case float64:
			return x
		case int:
			return float64(x)
		}
		return 0.0
	case "boolean":
		b, _ := v.(bool)
		return b
	}
	if v == nil {
		return false
	}
	return v
}

// readable reports whether the user may read field f (its groups).
func (e *env) readable(f *field) bool {
	return e.u.hasGroups(f.groups)
}

// readRecords builds read() results for the given existing records, in
// order: "id" first, then the fields.
func (e *env) readRecords(m *model, recs []rec, fields []*field, classic bool) []any {
	out := make([]any, 0, len(recs))
	for _, r := range recs {
		s := make(ostruct, 0, len(fields)+1)
		s = append(s, member{"id", r["id"]})
		for _, f := range fields {
			if f.name == "id" {
				continue
			}
			s = append(s, member{f.name, e.wireValue(m, r, f, classic)})
		}
		out = append(out, s)
	}
	return out
}

// existing returns the records of ids that exist, in the order given,
// without duplicates.
func existing(m *model, ids []int) []rec {
	out := make([]rec, 0, len(ids))
	seen := make(map[int]bool, len(ids))
	for _, id := range ids {
		if r := m.recs[id]; r != nil && !seen[id] {
			seen[id] = true
			out = append(out, r)
		}
	}
	return out
}

// allFields returns the fields of m readable by the user, in Odoo's order.
func (e *env) allFields(m *model) []*field {
	out := make([]*field, 0, len(m.fieldOrder))
	for _, name := range m.fieldOrder {
		f := m.fields[name]
		if f != nil && e.readable(f) {
			out = append(out, f)
		}
	}
	return out
}

func containsInt(s []int, v int) bool { return slices.Contains(s, v) }

// fieldDomain returns the compiled static domain of an x2many field.
func (e *env) fieldDomain(co *model, f *field) dnode {
	if len(f.domain) == 0 || co.stub {
		return nil
	}
	if d, ok := e.fdomCache[f]; ok {
		return d
	}
	if e.fdomCache == nil {
		e.fdomCache = map[*field]dnode{}
	}
	d, err := e.compileDomain(co, f.domain)
	if err != nil {
		d = nil
	}
	e.fdomCache[f] = d
	return d
}
