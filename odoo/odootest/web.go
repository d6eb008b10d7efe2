package odootest

import (
	"fmt"
)

// specArg checks a web_read specification: a dict of field name -> dict.
func specArg(v any) (ostruct, *rpcFault) {
	switch x := v.(type) {
	case ostruct:
		for _, m := range x {
			if _, ok := m.Value.(ostruct); !ok {
				return nil, serverError("AttributeError", fmt.Sprintf("'%s' object has no attribute 'get'", pyTypeName(m.Value)))
			}
		}
		return x, nil
	case nil:
		return ostruct{}, nil
	}
	return nil, serverError("AttributeError", fmt.Sprintf("'%s' object has no attribute 'items'", pyTypeName(v)))
}

func (e *env) webReadMethod(m *model, ids []int, a *boundArgs) (any, *rpcFault) {
	spec, f := specArg(a.get("specification"))
	if f != nil {
		return nil, f
	}
	return e.webRead(m, ids, spec)
}

// webRead is Odoo's web_read: read(load=None), then nested values per the
// specification.
func (e *env) webRead(m *model, ids []int, spec ostruct) ([]any, *rpcFault) {
	if len(spec) == 0 || (len(spec) == 1 && spec[0].Name == "id") {
		out := make([]any, 0, len(ids))
		for _, id := range ids {
			out = append(out, ostruct{{"id", id}})
		}
		return out, nil
	}
	if f := e.checkModelAccess(m, "read"); f != nil {
		return nil, f
	}
	names := make([]any, len(spec))
	for i, s := range spec {
		names[i] = s.Name
	}
	fields, f := e.readFields(m, names)
	if f != nil {
		return nil, f
	}
	recs := existing(m, ids)
	if f := e.checkRules(m, recs, "read"); f != nil {
		return nil, f
	}
	values := e.readRecords(m, recs, fields, false)
	if len(values) == 0 {
		return values, nil
	}
	for _, sm := range spec {
		fspec := sm.Value.(ostruct)
		fld := m.fields[sm.Name]
		co := e.ds.model(fld.relation)
		switch fld.typ {
		case "many2one":
			sub, ok := fspec.get("fields")
			if !ok || co == nil {
				continue
			}
			subSpec, _ := sub.(ostruct)
			extra := subSpec.without("display_name")
			var targets []int
			seen := map[int]bool{}
			for _, v := range values {
				if id, ok := mustGet(v, sm.Name).(int); ok && !seen[id] {
					seen[id] = true
					targets = append(targets, id)
				}
			}
			data, f := e.webRead(co, targets, extra)
			if f != nil {
				return nil, f
			}
			byID := map[int]ostruct{}
			for _, d := range data {
				s := d.(ostruct)
				id, _ := mustGet(s, "id").(int)
				byID[id] = s
			}
			if subSpec.has("display_name") {
				for _, id := range targets {
					if s, ok := byID[id]; ok {
						dn := any(false)
						if tr := co.recs[id]; tr != nil {
							dn = e.displayName(co, tr)
						}
						s.set("display_name", dn)
						byID[id] = s
					}
				}
			}
			for i, v := range values {
				s := v.(ostruct)
				id, ok := mustGet(s, sm.Name).(int)
				if !ok {
					continue
				}
				if len(subSpec) == 0 {
					s.set(sm.Name, id)
				} else if d, ok := byID[id]; ok {
					s.set(sm.Name, d)
				}
				values[i] = s
			}
		case "one2many", "many2many":
			if len(fspec) == 0 || co == nil {
				continue
			}
			if o, ok := fspec.get("order"); ok && o != nil && o != false && o != "" {
				order, _ := o.(string)
				var all []int
				for _, v := range values {
					all = append(all, mustGet(v, sm.Name).([]int)...)
				}
				sorted, f := e.search(co, []any{[]any{"id", "in", intsToAny(all)}}, 0, -1, order, false)
				if f != nil {
					return nil, f
				}
				pos := make(map[int]int, len(sorted))
				for i, id := range sorted {
					pos[id] = i
				}
				for i, v := range values {
					s := v.(ostruct)
					var kept []int
					for _, id := range mustGet(s, sm.Name).([]int) {
						if _, ok := pos[id]; ok {
							kept = append(kept, id)
						}
					}
					sortByPos(kept, pos)
					s.set(sm.Name, kept)
					values[i] = s
				}
			}
			var toRead []int
			seen := map[int]bool{}
			limit := -1
			if l, ok := fspec.get("limit"); ok {
				if n, ok := intArg(l, -1); ok {
					limit = n
				}
			}
			for _, v := range values {
				list := mustGet(v, sm.Name).([]int)
				if limit >= 0 && len(list) > limit {
					list = list[:limit]
				}
				for _, id := range list {
					if !seen[id] {
						seen[id] = true
						toRead = append(toRead, id)
					}
				}
			}
			sub, _ := fspec.get("fields")
			subSpec, _ := sub.(ostruct)
			data, f := e.webRead(co, toRead, subSpec)
			if f != nil {
				return nil, f
			}
			byID := map[int]ostruct{}
			for _, d := range data {
				s := d.(ostruct)
				id, _ := mustGet(s, "id").(int)
				byID[id] = s
			}
			for i, v := range values {
				s := v.(ostruct)
				list := mustGet(s, sm.Name).([]int)
				out := make([]any, 0, len(list))
				for _, id := range list {
					if d, ok := byID[id]; ok {
						out = append(out, d)
					} else {
						out = append(out, ostruct{{"id", id}})
					}
				}
				s.set(sm.Name, out)
				values[i] = s
			}
		}
	}
	return values, nil
}

func mustGet(v any, name string) any {
	s, _ := v.(ostruct)
	x, _ := s.get(name)
	return x
}

func intsToAny(ids []int) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

func sortByPos(ids []int, pos map[int]int) {
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && pos[ids[j]] < pos[ids[j-1]]; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}

func (e *env) webSearchReadMethod(m *model, _ []int, a *boundArgs) (any, *rpcFault) {
	spec, f := specArg(a.get("specification"))
	if f != nil {
		return nil, f
	}
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
	countLimit, _ := intArg(a.get("count_limit"), -1)
	ids, f := e.search(m, dom, offset, limit, order, false)
	if f != nil {
		return nil, f
	}
	records, f := e.webRead(m, ids, spec)
	if f != nil {
		return nil, f
	}
	if len(records) == 0 {
		return ostruct{{"length", 0}, {"records", []any{}}}, nil
	}
	length := len(records) + offset
	limitReached := limit >= 0 && len(records) == limit
	countLimitReached := countLimit > 0 && countLimit <= length
	if limit > 0 && limitReached && !countLimitReached {
		all, f := e.search(m, dom, 0, -1, "", true)
		if f != nil {
			return nil, f
		}
		length = len(all)
		if countLimit > 0 && length > countLimit {
			length = countLimit
		}
	}
	return ostruct{{"length", length}, {"records", records}}, nil
}
