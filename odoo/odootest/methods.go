package odootest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
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

// readGroupMethod is read_group as Odoo 17 and 18 answer it: groupby fields
// ("date_order:month" for a date's period, month by default), aggregates
// "field:func", "alias:func(field)" or the field's own aggregator, orderby
// (group-by fields, aggregate names, __count), offset and limit; lazy=False
// gives __count, lazy the first groupby only and <field>_count. Date groups
// carry Odoo's English label and __range (periods in UTC; weeks are ISO
// weeks). With no groupby, one row: the totals (False for an empty set).
func (e *env) readGroupMethod(m *model, ids []int, a *boundArgs) (any, *rpcFault) {
	if e.s.major >= 19 {
		// Odoo 19 still answers read_group, and only logs its deprecation.
		e.s.logger.Warn("DeprecationWarning: "+readGroupDeprecation, "logger", "py.warnings", "model", m.name, "method", "read_group")
	}
	return e.readGroup(m, ids, a)
}

// readGroup is read_group's computation, shared with formatted_read_group.
func (e *env) readGroup(m *model, _ []int, a *boundArgs) (any, *rpcFault) {
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
	type gspec struct {
		spec, gran string
		f          *field
	}
	var gspecs []gspec
	for _, g := range groupby {
		name, gran, _ := strings.Cut(g, ":")
		gf := m.fields[name]
		if gf == nil {
			return nil, serverError("ValueError", fmt.Sprintf("Invalid field %s on model %s", pyRepr(g), pyRepr(m.name)))
		}
		if gf.typ == "date" || gf.typ == "datetime" {
			if gran == "" {
				gran = "month"
			}
			if !slices.Contains([]string{"day", "week", "month", "quarter", "year"}, gran) {
				return nil, serverError("ValueError", fmt.Sprintf("Invalid granularity %s for field %s", pyRepr(gran), pyRepr(name)))
			}
		}
		gspecs = append(gspecs, gspec{g, gran, gf})
	}
	type agg struct {
		name, fn string
		f        *field
	}
	var aggs []agg
	fieldsArg, _ := a.get("fields").([]any)
	for _, x := range fieldsArg {
		spec, _ := x.(string)
		if spec == "__count" {
			continue
		}
		name, fn, _ := strings.Cut(spec, ":")
		fname := name
		if open := strings.IndexByte(fn, '('); open >= 0 && strings.HasSuffix(fn, ")") {
			fn, fname = fn[:open], fn[open+1:len(fn)-1]
		}
		f := m.fields[fname]
		if f == nil {
			return nil, serverError("ValueError", fmt.Sprintf("Invalid field %s on model %s", pyRepr(fname), pyRepr(m.name)))
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
		dated := f.typ == "date" || f.typ == "datetime"
		if fn == "" || !(isNumeric(f.typ) || dated && (fn == "min" || fn == "max") || fn == "count_distinct") {
			continue
		}
		aggs = append(aggs, agg{name, fn, f})
	}
	ids, f := e.search(m, dom, 0, -1, "", false)
	if f != nil {
		return nil, f
	}
	slices.Sort(ids)
	type group struct {
		key []any
		ids []int
		row ostruct
		agg map[string]any
	}
	var groups []*group
	index := map[string]*group{}
	for _, id := range ids {
		r := m.recs[id]
		key := make([]any, len(gspecs))
		for i, g := range gspecs {
			key[i] = e.wireValue(m, r, g.f, true)
			if g.gran != "" {
				key[i] = periodStart(key[i], g.gran)
			}
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
	if len(gspecs) == 0 && len(groups) == 0 {
		groups = append(groups, &group{})
	}
	for _, gr := range groups {
		gr.agg = map[string]any{}
		row := ostruct{}
		var gdom []any
		var ranges ostruct
		for i, g := range gspecs {
			v := gr.key[i]
			if g.gran != "" {
				start, _ := v.(time.Time)
				if v == false {
					row = append(row, member{g.spec, false})
					ranges = append(ranges, member{g.spec, false})
					gdom = append(gdom, []any{g.f.name, "=", false})
					continue
				}
				from, to := periodWire(g.f, start), periodWire(g.f, periodEnd(start, g.gran))
				row = append(row, member{g.spec, periodLabel(start, g.gran)})
				ranges = append(ranges, member{g.spec, ostruct{{"from", from}, {"to", to}}})
				gdom = append(gdom, "&", []any{g.f.name, ">=", from}, []any{g.f.name, "<", to})
				continue
			}
			row = append(row, member{g.spec, v})
			cond := v
			if pair, ok := v.([]any); ok {
				cond = pair[0]
			}
			gdom = append(gdom, []any{g.spec, "=", cond})
		}
		countKey := "__count"
		if lazy && len(gspecs) == 1 {
			countKey = strings.SplitN(gspecs[0].spec, ":", 2)[0] + "_count"
		}
		row = append(row, member{countKey, len(gr.ids)})
		gr.agg["__count"] = len(gr.ids)
		for _, ag := range aggs {
			var res any = false
			if ag.fn == "count_distinct" {
				// COUNT(DISTINCT column): set values only, 0 of none.
				seen := map[string]bool{}
				for _, id := range gr.ids {
					v := e.wireValue(m, m.recs[id], ag.f, true)
					if pair, ok := v.([]any); ok && len(pair) > 0 {
						v = pair[0]
					}
					if v != false && v != nil {
						seen[pyRepr(v)] = true
					}
				}
				res = len(seen)
			} else if ag.f.typ == "date" || ag.f.typ == "datetime" {
				for _, id := range gr.ids {
					s, ok := e.get(m, m.recs[id], ag.f).(string)
					if !ok || s == "" {
						continue
					}
					cur, _ := res.(string)
					if res == false || (ag.fn == "min" && s < cur) || (ag.fn == "max" && s > cur) {
						res = s
					}
				}
			} else if len(gr.ids) > 0 {
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
				res = sum
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
			}
			row = append(row, member{ag.name, res})
			gr.agg[ag.name] = res
		}
		if len(gspecs) > 0 {
			row = append(row, member{"__domain", append(gdom, dom...)})
		}
		if len(ranges) > 0 {
			row = append(row, member{"__range", ranges})
		}
		gr.row = row
	}
	// Order: orderby's terms (a group-by field, by its name, its period or
	// its record's name; an aggregate; __count), else the group-by fields.
	type term struct {
		key  func(*group) any
		desc bool
	}
	var terms []term
	orderby, _ := a.get("orderby").(string)
	if strings.TrimSpace(orderby) == "" {
		orderby = strings.Join(groupby, ",")
	}
	for _, t := range strings.Split(orderby, ",") {
		fs := strings.Fields(t)
		if len(fs) == 0 {
			continue
		}
		name := fs[0]
		desc := len(fs) > 1 && strings.EqualFold(fs[1], "desc")
		found := false
		for i, g := range gspecs {
			if name == g.spec || name == g.f.name {
				terms = append(terms, term{func(gr *group) any { return gr.key[i] }, desc})
				found = true
				break
			}
		}
		if !found && name == "__count" {
			terms = append(terms, term{func(gr *group) any { return gr.agg["__count"] }, desc})
			found = true
		}
		if !found {
			for _, ag := range aggs {
				if ag.name == name {
					terms = append(terms, term{func(gr *group) any { return gr.agg[ag.name] }, desc})
					found = true
					break
				}
			}
		}
		if !found {
			return nil, serverError("ValueError", fmt.Sprintf("Order a read_group by a group-by field or an aggregate, not %s", pyRepr(name)))
		}
	}
	slices.SortStableFunc(groups, func(x, y *group) int {
		for _, t := range terms {
			c := compareGroupKeys(t.key(x), t.key(y))
			if t.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
	offset, _ := a.get("offset").(int)
	if offset > len(groups) {
		offset = len(groups)
	}
	groups = groups[offset:]
	if limit, ok := a.get("limit").(int); ok && limit > 0 && limit < len(groups) {
		groups = groups[:limit]
	}
	out := make([]any, 0, len(groups))
	for _, gr := range groups {
		out = append(out, gr.row)
	}
	return out, nil
}

// compareGroupKeys orders group keys as PostgreSQL does, empty last: numbers,
// strings, periods, and many2one pairs by their record's name.
func compareGroupKeys(x, y any) int {
	if pair, ok := x.([]any); ok && len(pair) == 2 {
		x = pair[1]
	}
	if pair, ok := y.([]any); ok && len(pair) == 2 {
		y = pair[1]
	}
	switch {
	case x == false && y == false:
		return 0
	case x == false:
		return 1
	case y == false:
		return -1
	}
	switch a := x.(type) {
	case time.Time:
		b, _ := y.(time.Time)
		return a.Compare(b)
	case string:
		b, _ := y.(string)
		return strings.Compare(a, b)
	case bool:
		b, _ := y.(bool)
		switch {
		case a == b:
			return 0
		case !a:
			return -1
		}
		return 1
	}
	return cmpFloat(toFloat(x), toFloat(y))
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// periodStart is the start of the period of gran holding a date or datetime
// value (false for none).
func periodStart(v any, gran string) any {
	s, ok := v.(string)
	if !ok || s == "" {
		return false
	}
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		if t, err = time.Parse(time.DateOnly, s); err != nil {
			return false
		}
	}
	y, mo, d := t.Date()
	switch gran {
	case "week":
		return time.Date(y, mo, d-(int(t.Weekday())+6)%7, 0, 0, 0, 0, time.UTC)
	case "month":
		return time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
	case "quarter":
		return time.Date(y, mo-(mo-1)%3, 1, 0, 0, 0, 0, time.UTC)
	case "year":
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// periodEnd is the start of the next period.
func periodEnd(t time.Time, gran string) time.Time {
	switch gran {
	case "week":
		return t.AddDate(0, 0, 7)
	case "month":
		return t.AddDate(0, 1, 0)
	case "quarter":
		return t.AddDate(0, 3, 0)
	case "year":
		return t.AddDate(1, 0, 0)
	}
	return t.AddDate(0, 0, 1)
}

// periodWire writes a period bound as Odoo does for f's type.
func periodWire(f *field, t time.Time) string {
	if f.typ == "datetime" {
		return t.Format(time.DateTime)
	}
	return t.Format(time.DateOnly)
}

// periodLabel is Odoo's en_US label of a period (babel's formats of
// READ_GROUP_DISPLAY_FORMAT): "05 Nov 2026", "W45 2026", "November 2026",
// "Q4 2026", "2026".
func periodLabel(t time.Time, gran string) string {
	switch gran {
	case "week":
		y, w := t.ISOWeek()
		return fmt.Sprintf("W%d %d", w, y)
	case "month":
		return t.Format("January 2006")
	case "quarter":
		return fmt.Sprintf("Q%d %d", (int(t.Month())-1)/3+1, t.Year())
	case "year":
		return t.Format("2006")
	}
	return t.Format("02 Jan 2006")
}
