package odootest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// domainArg converts a domain argument (None/False = empty).
func (e *env) domainArg(v any) ([]any, *rpcFault) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case bool:
		if !x {
			return nil, nil
		}
	case []any:
		return x, nil
	}
	return nil, e.s.badDomainFault(e.method, fmt.Sprintf("Domain %s is syntactically not correct.", pyRepr(v)))
}

func (e *env) compileFault(err error) *rpcFault {
	var de *domainError
	if errors.As(err, &de) {
		switch de.kind {
		case "field":
			return e.s.invalidDomainFieldFault(e.method, de.model, de.field, de.leaf)
		case "leaf":
			return e.s.invalidLeafFault(e.method, de.leaf)
		default:
			return e.s.badDomainFault(e.method, de.msg)
		}
	}
	var oe *orderError
	if errors.As(err, &oe) {
		return e.s.invalidOrderFault(e.method, oe.msg)
	}
	return serverError("ValueError", err.Error())
}

func mentionsActive(dom []any) bool {
	for _, el := range dom {
		if l, ok := el.([]any); ok && len(l) == 3 && l[0] == "active" {
			return true
		}
	}
	return false
}

// idCandidates returns the ids a compiled domain is restricted to by a
// top-level ('id', 'in'|'=', ...) term, or nil.
func idCandidates(n dnode) []int {
	var leaves []dnode
	switch x := n.(type) {
	case *dLeaf:
		leaves = []dnode{x}
	case dAnd:
		leaves = x
	}
	for _, k := range leaves {
		l, ok := k.(*dLeaf)
		if !ok || l.f.name != "id" || l.neg || (l.op != "in" && l.op != "=") {
			continue
		}
		var ids []int
		for _, v := range asList(l.value) {
			if id, ok := v.(int); ok {
				ids = append(ids, id)
			}
		}
		return ids
	}
	return nil
}

// search runs a domain search with Odoo semantics (active filter, record
// rules, order, offset, limit). limit < 0 means no limit; order "" means
// the model's default order. With count, the ids are not sorted.
func (e *env) search(m *model, dom []any, offset, limit int, order string, count bool) ([]int, *rpcFault) {
	if m.hasActive && e.activeTest && !mentionsActive(dom) {
		dom = append([]any{[]any{"active", "=", true}}, dom...)
	}
	node, err := e.compileDomain(m, dom)
	if err != nil {
		return nil, e.compileFault(err)
	}
	var terms []orderTerm
	if !count {
		spec := order
		if strings.TrimSpace(spec) == "" {
			spec = m.order
		}
		terms, err = e.parseOrder(m, spec)
		if err != nil {
			return nil, e.compileFault(err)
		}
	}
	rule := e.ruleNode(m)
	var ids []int
	match := func(id int, r rec) {
		if e.eval(node, m, r) && (rule == nil || e.eval(rule, m, r)) {
			ids = append(ids, id)
		}
	}
	if cand := idCandidates(node); cand != nil {
		seen := map[int]bool{}
		for _, id := range cand {
			if r := m.recs[id]; r != nil && !seen[id] {
				seen[id] = true
				match(id, r)
			}
		}
	} else {
		ids = make([]int, 0, len(m.recs))
		for id, r := range m.recs {
			match(id, r)
		}
	}
	if count {
		return ids, nil
	}
	if len(terms) == 0 {
		slices.Sort(ids)
	} else {
		e.sortIDs(m, ids, terms)
	}
	if offset > 0 {
		if offset >= len(ids) {
			return []int{}, nil
		}
		ids = ids[offset:]
	}
	if limit >= 0 && limit < len(ids) {
		ids = ids[:limit]
	}
	return ids, nil
}

func (e *env) pagingArgs(a *boundArgs) (offset, limit int, order string, f *rpcFault) {
	offset, ok1 := intArg(a.get("offset"), 0)
	limit, ok2 := intArg(a.get("limit"), -1)
	if !ok1 || !ok2 {
		return 0, 0, "", serverError("TypeError", "'<' not supported between instances of 'str' and 'int'")
	}
	if o := a.get("order"); o != nil && o != false {
		s, ok := o.(string)
		if !ok {
			return 0, 0, "", serverError("TypeError", fmt.Sprintf("expected string or bytes-like object, got '%s'", pyTypeName(o)))
		}
		order = s
	}
	return offset, limit, order, nil
}

func (e *env) searchMethod(m *model, _ []int, a *boundArgs) (any, *rpcFault) {
	if f := e.checkModelAccess(m, "read"); f != nil {
		return nil, f
	}
	dom, f := e.domainArg(a.get("domain"))
	if f != nil {
		return nil, f
	}
	offset, limit, order, f := e.pagingArgs(a)
	if f != nil {
		return nil, f
	}
	ids, f := e.search(m, dom, offset, limit, order, false)
	if f != nil {
		return nil, f
	}
	return ids, nil
}

func (e *env) searchCountMethod(m *model, _ []int, a *boundArgs) (any, *rpcFault) {
	if f := e.checkModelAccess(m, "read"); f != nil {
		return nil, f
	}
	dom, f := e.domainArg(a.get("domain"))
	if f != nil {
		return nil, f
	}
	limit, _ := intArg(a.get("limit"), -1)
	ids, f := e.search(m, dom, 0, -1, "", true)
	if f != nil {
		return nil, f
	}
	n := len(ids)
	if limit >= 0 && n > limit {
		n = limit
	}
	return n, nil
}

// readFields resolves the fields argument of read: validity, then access.
func (e *env) readFields(m *model, v any) ([]*field, *rpcFault) {
	var names []string
	switch x := v.(type) {
	case nil:
		return e.allFields(m), nil
	case bool:
		if !x {
			return e.allFields(m), nil
		}
	case string:
		names = []string{x}
	case []any:
		if len(x) == 0 {
			return e.allFields(m), nil
		}
		for _, n := range x {
			s, ok := n.(string)
			if !ok {
				return nil, serverError("TypeError", fmt.Sprintf("unhashable type: '%s'", pyTypeName(n)))
			}
			names = append(names, s)
		}
	}
	out := make([]*field, 0, len(names))
	seen := map[string]bool{}
	for _, n := range names {
		f := m.fields[n]
		if f == nil {
			return nil, e.s.invalidFieldFault(m.name, n)
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, f)
		}
	}
	for _, f := range out {
		if !e.readable(f) {
			return nil, e.fieldAccessError(m, f, "read")
		}
	}
	return out, nil
}

func loadArg(a *boundArgs, key string) bool {
	v, ok := a.vals[key]
	if !ok {
		for _, m := range a.extra {
			if m.Name == key {
				v, ok = m.Value, true
			}
		}
	}
	if !ok {
		return true
	}
	return v == "_classic_read"
}

func (e *env) readMethod(m *model, ids []int, a *boundArgs) (any, *rpcFault) {
	if f := e.checkModelAccess(m, "read"); f != nil {
		return nil, f
	}
	fields, f := e.readFields(m, a.get("fields"))
	if f != nil {
		return nil, f
	}
	recs := existing(m, ids)
	if f := e.checkRules(m, recs, "read"); f != nil {
		return nil, f
	}
	return e.readRecords(m, recs, fields, loadArg(a, "load")), nil
}

func (e *env) searchReadMethod(m *model, _ []int, a *boundArgs) (any, *rpcFault) {
	if f := e.checkModelAccess(m, "read"); f != nil {
		return nil, f
	}
	for _, kv := range a.extra {
		if kv.Name != "load" {
			return nil, serverError("TypeError", fmt.Sprintf("BaseModel._read_format() got an unexpected keyword argument %s", pyRepr(kv.Name)))
		}
	}
	dom, f := e.domainArg(a.get("domain"))
	if f != nil {
		return nil, f
	}
	offset, limit, order, f := e.pagingArgs(a)
	if f != nil {
		return nil, f
	}
	ids, f := e.search(m, dom, offset, limit, order, false)
	if f != nil {
		return nil, f
	}
	fields, f := e.readFields(m, a.get("fields"))
	if f != nil {
		return nil, f
	}
	return e.readRecords(m, existing(m, ids), fields, loadArg(a, "load")), nil
}

func (e *env) fieldsGet(m *model, _ []int, a *boundArgs) (any, *rpcFault) {
	var allfields, attributes []string
	for _, p := range []struct {
		v   any
		dst *[]string
	}{{a.get("allfields"), &allfields}, {a.get("attributes"), &attributes}} {
		switch x := p.v.(type) {
		case []any:
			for _, s := range x {
				if str, ok := s.(string); ok {
					*p.dst = append(*p.dst, str)
				}
			}
		case string:
			*p.dst = []string{x}
		}
	}
	out := make(ostruct, 0, len(m.fieldOrder))
	for _, name := range m.fieldOrder {
		f := m.fields[name]
		if f == nil || !e.readable(f) {
			continue
		}
		if len(allfields) > 0 && !slices.Contains(allfields, name) {
			continue
		}
		desc := f.attrs
		if _, hasName := f.attrs.get("name"); len(attributes) > 0 && hasName {
			filtered := make(ostruct, 0, len(attributes))
			for _, at := range desc {
				if slices.Contains(attributes, at.Name) {
					filtered = append(filtered, at)
				}
			}
			desc = filtered
		}
		out = append(out, member{name, desc})
	}
	return out, nil
}

// recNameFields are the fields name_search matches, per model.
func recNameFields(m *model) []string {
	switch m.name {
	case "res.partner":
		return []string{"complete_name", "email", "ref", "vat", "company_registry"}
	case "product.product", "product.template":
		return []string{"default_code", "name", "barcode"}
	case "res.users":
		return []string{"name", "login"}
	case "res.country", "res.currency", "res.country.state":
		return []string{"name", "code"}
	}
	for _, n := range []string{"complete_name", "name", "display_name"} {
		if m.fields[n] != nil {
			return []string{n}
		}
	}
	return []string{"display_name"}
}

func (e *env) nameSearchMethod(m *model, _ []int, a *boundArgs) (any, *rpcFault) {
	if f := e.checkModelAccess(m, "read"); f != nil {
		return nil, f
	}
	dom, f := e.domainArg(a.get("domain"))
	if f != nil {
		return nil, f
	}
	name := strArg(a.get("name"))
	op := strArg(a.get("operator"))
	if op == "" {
		op = "ilike"
	}
	limit, _ := intArg(a.get("limit"), -1)
	full := slices.Clone(dom)
	if name != "" || (op != "ilike" && op != "like" && op != "=ilike" && op != "=like") {
		fields := recNameFields(m)
		neg := strings.HasPrefix(op, "not ") || op == "!="
		var terms []any
		for i, fn := range fields {
			if m.fields[fn] == nil {
				continue
			}
			if i > 0 && len(terms) > 0 {
				if neg {
					terms = append([]any{"&"}, terms...)
				} else {
					terms = append([]any{"|"}, terms...)
				}
			}
			terms = append(terms, []any{fn, op, name})
		}
		full = append(full, terms...)
	}
	ids, f := e.search(m, full, 0, limit, "", false)
	if f != nil {
		return nil, f
	}
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		out = append(out, []any{id, e.displayName(m, m.recs[id])})
	}
	return out, nil
}

func (e *env) operationArg(a *boundArgs) (string, *rpcFault) {
	op := strArg(a.get("operation"))
	if _, ok := opLetter[op]; !ok {
		return "", serverError("AssertionError", "Invalid access mode")
	}
	return op, nil
}

func (e *env) checkAccessRightsMethod(m *model, _ []int, a *boundArgs) (any, *rpcFault) {
	op, f := e.operationArg(a)
	if f != nil {
		return nil, f
	}
	if e.canAccess(m, op) && !(m.stub && op != "read" && !e.u.admin) {
		return true, nil
	}
	raise := a.get("raise_exception")
	if raise == false || raise == nil || raise == 0 {
		return false, nil
	}
	return nil, e.modelAccessError(m, op)
}

func (e *env) accessOK(m *model, ids []int, op string) *rpcFault {
	if m.stub && op != "read" && !e.u.admin {
		return e.modelAccessError(m, op)
	}
	if f := e.checkModelAccess(m, op); f != nil {
		return f
	}
	return e.checkRules(m, existing(m, ids), op)
}

func (e *env) hasAccessMethod(m *model, ids []int, a *boundArgs) (any, *rpcFault) {
	op, f := e.operationArg(a)
	if f != nil {
		return nil, f
	}
	return e.accessOK(m, ids, op) == nil, nil
}

func (e *env) checkAccessMethod(m *model, ids []int, a *boundArgs) (any, *rpcFault) {
	op, f := e.operationArg(a)
	if f != nil {
		return nil, f
	}
	if f := e.accessOK(m, ids, op); f != nil {
		return nil, f
	}
	return nil, nil // None: the marshaller fails
}

func archiveMethod(active bool) func(*env, *model, []int, *boundArgs) (any, *rpcFault) {
	return func(e *env, m *model, ids []int, _ *boundArgs) (any, *rpcFault) {
		if !m.hasActive {
			return nil, serverError("AttributeError", fmt.Sprintf("'%s' object has no attribute 'active'", m.name))
		}
		if f := e.accessOK(m, ids, "write"); f != nil {
			return nil, f
		}
		recs := existing(m, ids)
		for _, r := range recs {
			a, _ := r["active"].(bool)
			if a == active {
				continue
			}
			if _, f := e.writeRecord(m, r, ostruct{{"active", active}}); f != nil {
				return nil, f
			}
		}
		return nil, nil // None: the marshaller fails
	}
}

func (e *env) existsMethod(m *model, ids []int, _ *boundArgs) (any, *rpcFault) {
	out := []int{}
	for _, r := range existing(m, ids) {
		out = append(out, r["id"].(int))
	}
	return out, nil
}

func (e *env) defaultGetMethod(m *model, _ []int, a *boundArgs) (any, *rpcFault) {
	list, _ := a.get("fields_list").([]any)
	out := ostruct{}
	for _, v := range list {
		name, _ := v.(string)
		f := m.fields[name]
		if f == nil {
			continue
		}
		if dv, ok := e.defaultValue(m, f, nil); ok {
			out = append(out, member{name, e.wireValue(m, rec{name: dv}, f, false)})
		}
	}
	return out, nil
}

// readGroupMethod is a small read_group: one or more groupby fields (no
// date granularity), aggregates "field:agg" or the field's own aggregator.
func (e *env) readGroupMethod(m *model, _ []int, a *boundArgs) (any, *rpcFault) {
	if f := e.checkModelAccess(m, "read"); f != nil {
		return nil, f
	}
	dom, f := e.domainArg(a.get("domain"))
	if f != nil {
		return nil, f
	}
	var groupby []string
	switch g := a.get("groupby").(type) {
	case string:
		groupby = []string{g}
	case []any:
		for _, x := range g {
			if s, ok := x.(string); ok {
				groupby = append(groupby, s)
			}
		}
	}
	lazy := a.get("lazy") != false
	if lazy && len(groupby) > 1 {
		groupby = groupby[:1]
	}
	for _, g := range groupby {
		if m.fields[strings.SplitN(g, ":", 2)[0]] == nil {
			return nil, serverError("ValueError", fmt.Sprintf("Invalid field %s on model %s", pyRepr(g), pyRepr(m.name)))
		}
	}
	type agg struct {
		name, fn string
		f        *field
	}
	var aggs []agg
	fieldsArg, _ := a.get("fields").([]any)
	for _, x := range fieldsArg {
		spec, _ := x.(string)
		name, fn, _ := strings.Cut(spec, ":")
		if alias, rest, ok := strings.Cut(name, ":"); ok {
			name, fn = alias, rest
		}
		f := m.fields[name]
		if f == nil {
			return nil, serverError("ValueError", fmt.Sprintf("Invalid field %s on model %s", pyRepr(name), pyRepr(m.name)))
		}
		if slices.Contains(groupby, name) {
			continue
		}
		if fn == "" {
			for _, at := range f.attrs {
				if at.Name == "aggregator" {
					fn, _ = at.Value.(string)
				}
			}
		}
		if fn == "" || !isNumeric(f.typ) {
			continue
		}
		aggs = append(aggs, agg{name, fn, f})
	}
	ids, f := e.search(m, dom, 0, -1, "", false)
	if f != nil {
		return nil, f
	}
	type group struct {
		key   []any
		ids   []int
		first int
	}
	var groups []*group
	index := map[string]*group{}
	for _, id := range ids {
		r := m.recs[id]
		key := make([]any, len(groupby))
		for i, g := range groupby {
			key[i] = e.wireValue(m, r, m.fields[g], true)
		}
		k := pyRepr(key)
		gr := index[k]
		if gr == nil {
			gr = &group{key: key}
			index[k] = gr
			groups = append(groups, gr)
		}
		gr.ids = append(gr.ids, id)
	}
	slices.SortStableFunc(groups, func(x, y *group) int { return strings.Compare(pyRepr(x.key), pyRepr(y.key)) })
	out := make([]any, 0, len(groups))
	for _, gr := range groups {
		row := ostruct{}
		var gdom []any
		for i, g := range groupby {
			v := gr.key[i]
			row = append(row, member{g, v})
			cond := v
			if pair, ok := v.([]any); ok {
				cond = pair[0]
			}
			gdom = append(gdom, []any{g, "=", cond})
		}
		countKey := "__count"
		if lazy && len(groupby) == 1 {
			countKey = groupby[0] + "_count"
		}
		row = append(row, member{countKey, len(gr.ids)})
		for _, ag := range aggs {
			var sum, mn, mx float64
			for i, id := range gr.ids {
				v := toFloat(e.get(m, m.recs[id], ag.f))
				sum += v
				if i == 0 || v < mn {
					mn = v
				}
				if i == 0 || v > mx {
					mx = v
				}
			}
			var res any = sum
			switch ag.fn {
			case "min":
				res = mn
			case "max":
				res = mx
			case "avg":
				res = sum / float64(len(gr.ids))
			case "count":
				res = len(gr.ids)
			}
			if ag.f.typ == "integer" {
				if fl, ok := res.(float64); ok && ag.fn != "avg" {
					res = int(fl)
				}
			}
			row = append(row, member{ag.name, res})
		}
		row = append(row, member{"__domain", gdom})
		out = append(out, row)
	}
	return out, nil
}
