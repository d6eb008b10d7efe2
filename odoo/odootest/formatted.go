package odootest

import (
	"fmt"
	"strings"
)

// readGroupDeprecation is the DeprecationWarning Odoo 19 logs (py.warnings)
// for every read_group call; the caller is not told.
const readGroupDeprecation = "Since 19.0, read_group is deprecated. Please use _read_group in the backend code or formatted_read_group for a complete formatted result"

// formattedReadGroupMethod is formatted_read_group as Odoo 19 answers it
// (addons/web/models/models.py: formatted_read_group, _web_read_group_format,
// _web_read_group_groupby_formatter; empty values from odoo/orm/models.py
// _read_group_empty_value): one dict per group whose keys are, in order, the
// groupby specs (a many2one's [id, display_name], a date period's
// [start, label], false for no value, other values as they are),
// __extra_domain (the group's own conditions, and-ed), then each aggregate
// spec as asked ("__count", "field:func"; an empty set's aggregate is false,
// its count 0). order takes groupby specs, aggregate specs and __count
// (default: the groupby specs); with no groupby, one row: the totals. The
// groups themselves are read_group's (same periods, record rules, order of
// many2one keys by their name).
func (e *env) formattedReadGroupMethod(m *model, ids []int, a *boundArgs) (any, *rpcFault) {
	strs := func(v any) []string {
		var out []string
		switch x := v.(type) {
		case string:
			out = []string{x}
		case []any:
			for _, y := range x {
				if s, ok := y.(string); ok {
					out = append(out, s)
				}
			}
		}
		return out
	}
	groupby := strs(a.get("groupby"))
	aggregates := strs(a.get("aggregates"))
	if h, ok := a.get("having").([]any); ok && len(h) > 0 {
		return nil, serverError("NotImplementedError", "having is not emulated by the test server")
	}
	// read_group's fields: each aggregate under an alias of its own, so
	// that amount_total:sum and amount_total:max stay apart.
	alias := map[string]string{}
	var fields []any
	addAgg := func(spec string) *rpcFault {
		if spec == "__count" || alias[spec] != "" {
			return nil
		}
		name, fn, _ := strings.Cut(spec, ":")
		if fn == "" {
			return serverError("ValueError", fmt.Sprintf("Aggregate method is mandatory for %s", pyRepr(name)))
		}
		al := fmt.Sprintf("__agg%d", len(alias))
		alias[spec] = al
		fields = append(fields, al+":"+fn+"("+name+")")
		return nil
	}
	for _, spec := range aggregates {
		if f := addAgg(spec); f != nil {
			return nil, f
		}
	}
	order, _ := a.get("order").(string)
	if strings.TrimSpace(order) == "" {
		order = strings.Join(groupby, ", ")
	}
	var orderby []string
	for _, t := range strings.Split(order, ",") {
		fs := strings.Fields(t)
		if len(fs) == 0 {
			continue
		}
		term := fs[0]
		switch {
		case term == "__count" || containsStr(groupby, term):
		case strings.Contains(term, ":"):
			if f := addAgg(term); f != nil {
				return nil, f
			}
			term = alias[term]
		default:
			return nil, serverError("ValueError", fmt.Sprintf("Order term %s is not a valid aggregate nor valid groupby", pyRepr(strings.TrimSpace(t))))
		}
		orderby = append(orderby, strings.Join(append([]string{term}, fs[1:]...), " "))
	}
	gb := make([]any, len(groupby))
	for i, g := range groupby {
		gb[i] = g
	}
	rg := &boundArgs{vals: map[string]any{
		"domain": a.get("domain"), "fields": fields, "groupby": gb,
		"offset": a.get("offset"), "limit": a.get("limit"), "orderby": strings.Join(orderby, ", "), "lazy": false,
	}}
	res, f := e.readGroup(m, ids, rg)
	if f != nil {
		return nil, f
	}
	rows, _ := res.([]any)
	out := make([]any, 0, len(rows))
	for _, r := range rows {
		row := r.(ostruct)
		rng, _ := row.get("__range")
		ranges, _ := rng.(ostruct)
		d := ostruct{}
		var extra [][]any
		for _, g := range groupby {
			name, gran, _ := strings.Cut(g, ":")
			v, _ := row.get(g)
			if bounds, ok := ranges.get(g); ok && gran != "" {
				b, ok := bounds.(ostruct)
				if !ok { // no value
					d = append(d, member{g, false})
					extra = append(extra, []any{[]any{name, "=", false}})
					continue
				}
				from, _ := b.get("from")
				to, _ := b.get("to")
				d = append(d, member{g, []any{from, v}})
				extra = append(extra, []any{"&", []any{name, ">=", from}, []any{name, "<", to}})
				continue
			}
			d = append(d, member{g, v})
			cond := v
			if pair, ok := v.([]any); ok && len(pair) == 2 {
				cond = pair[0]
			}
			extra = append(extra, []any{[]any{name, "=", cond}})
		}
		d = append(d, member{"__extra_domain", andDomains(extra)})
		for _, spec := range aggregates {
			if spec == "__count" {
				v, _ := row.get("__count")
				d = append(d, member{spec, v})
				continue
			}
			v, ok := row.get(alias[spec])
			if !ok {
				v = false
			}
			d = append(d, member{spec, v})
		}
		out = append(out, d)
	}
	return out, nil
}

// andDomains is Odoo's AND of domains in prefix notation: the TRUE leaf for
// none, else one "&" per domain past the first, then their terms.
func andDomains(ds [][]any) []any {
	if len(ds) == 0 {
		return []any{[]any{1, "=", 1}}
	}
	var out []any
	for range len(ds) - 1 {
		out = append(out, "&")
	}
	for _, d := range ds {
		out = append(out, d...)
	}
	return out
}

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
