package odootest

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

type orderTerm struct {
	f          *field
	desc       bool
	nullsFirst bool
}

var orderRe = regexp.MustCompile(`(?i)^\s*([a-z0-9_]+(?:\.[a-z0-9_]+)?)(\s+(?:asc|desc))?(\s+nulls\s+(?:first|last))?\s*$`)

type orderError struct{ msg string }

func (o *orderError) Error() string { return o.msg }

// parseOrder parses an Odoo order specification ("name desc, id").
func (e *env) parseOrder(m *model, spec string) ([]orderTerm, error) {
	if e.orderCache != nil {
		if t, ok := e.orderCache[m.name+"\x00"+spec]; ok {
			return t, nil
		}
	}
	var terms []orderTerm
	if strings.TrimSpace(spec) != "" {
		for _, part := range strings.Split(spec, ",") {
			mm := orderRe.FindStringSubmatch(part)
			if mm == nil {
				return nil, &orderError{fmt.Sprintf(`Invalid "order" specified (%s). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`, spec)}
			}
			name := strings.SplitN(mm[1], ".", 2)[0]
			f := m.fields[name]
			if f == nil {
				return nil, &orderError{fmt.Sprintf("Invalid field %s on model %s", pyRepr(name), pyRepr(m.name))}
			}
			desc := strings.EqualFold(strings.TrimSpace(mm[2]), "desc")
			nulls := strings.ToLower(strings.Join(strings.Fields(mm[3]), " "))
			t := orderTerm{f: f, desc: desc, nullsFirst: desc}
			switch nulls {
			case "nulls first":
				t.nullsFirst = true
			case "nulls last":
				t.nullsFirst = false
			}
			terms = append(terms, t)
		}
	}
	if e.orderCache == nil {
		e.orderCache = map[string][]orderTerm{}
	}
	e.orderCache[m.name+"\x00"+spec] = terms
	return terms, nil
}

// skey is one component of a sort key.
type skey struct {
	null bool
	num  float64
	str  string
	fold string
	sub  []skey // many2one: the comodel's order key
	isS  bool
}

func cmpKey(a, b skey) int {
	if a.sub != nil || b.sub != nil {
		for i := 0; i < len(a.sub) && i < len(b.sub); i++ {
			if c := cmpKey(a.sub[i], b.sub[i]); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(a.sub), len(b.sub))
	}
	if a.isS || b.isS {
		if c := strings.Compare(a.fold, b.fold); c != 0 {
			return c
		}
		return strings.Compare(a.str, b.str)
	}
	return cmp.Compare(a.num, b.num)
}

func (e *env) sortKey(m *model, r rec, f *field, depth int) skey {
	v := e.get(m, r, f)
	switch f.typ {
	case "many2one":
		id, _ := v.(int)
		co := e.ds.model(f.relation)
		if id == 0 || co == nil || co.recs[id] == nil {
			return skey{null: true}
		}
		if depth >= 1 || co.stub {
			return skey{num: float64(id)}
		}
		terms, err := e.parseOrder(co, co.order)
		if err != nil || len(terms) == 0 {
			return skey{num: float64(id)}
		}
		tr := co.recs[id]
		sub := make([]skey, 0, len(terms)+1)
		for _, t := range terms {
			k := e.sortKey(co, tr, t.f, depth+1)
			sub = append(sub, orientKey(k, t))
		}
		sub = append(sub, skey{num: float64(id)})
		return skey{sub: sub}
	case "boolean":
		b, _ := v.(bool)
		if b {
			return skey{num: 1}
		}
		return skey{num: 0}
	case "one2many", "many2many":
		return skey{null: true}
	}
	switch x := v.(type) {
	case nil:
		return skey{null: true}
	case int:
		return skey{num: float64(x)}
	case float64:
		return skey{num: x}
	case string:
		return skey{isS: true, str: x, fold: strings.ToLower(x)}
	case bool:
		if x {
			return skey{num: 1}
		}
		return skey{num: 0}
	}
	s := fmt.Sprint(v)
	return skey{isS: true, str: s, fold: strings.ToLower(s)}
}

// orientKey folds direction and null placement into a key, so that keys of
// a many2one's comodel order can be compared ascending.
func orientKey(k skey, t orderTerm) skey {
	// Encoded as a sub-key: [nullRank, value (negated if desc)].
	nullRank := 0.0
	if k.null {
		nullRank = 1
		if t.nullsFirst {
			nullRank = -1
		}
	}
	if t.desc && !k.null {
		k = negate(k)
	}
	return skey{sub: []skey{{num: nullRank}, k}}
}

func negate(k skey) skey {
	switch {
	case k.sub != nil:
		out := make([]skey, len(k.sub))
		for i, s := range k.sub {
			out[i] = negate(s)
		}
		return skey{sub: out}
	case k.isS:
		return skey{isS: true, str: invert(k.str), fold: invert(k.fold)}
	}
	return skey{num: -k.num}
}

// invert maps a string to one that sorts in reverse order.
func invert(s string) string {
	b := make([]byte, 0, len(s)+1)
	for i := 0; i < len(s); i++ {
		b = append(b, 0xff-s[i])
	}
	return string(append(b, 0xff))
}

// sortIDs sorts ids of model m by the order terms, ties broken by id.
func (e *env) sortIDs(m *model, ids []int, terms []orderTerm) {
	if len(ids) < 2 {
		return
	}
	if len(terms) == 1 && terms[0].f.name == "id" {
		if terms[0].desc {
			slices.SortFunc(ids, func(a, b int) int { return cmp.Compare(b, a) })
		} else {
			slices.Sort(ids)
		}
		return
	}
	type item struct {
		id   int
		keys []skey
	}
	items := make([]item, len(ids))
	for i, id := range ids {
		r := m.recs[id]
		keys := make([]skey, len(terms))
		for j, t := range terms {
			keys[j] = e.sortKey(m, r, t.f, 0)
		}
		items[i] = item{id, keys}
	}
	slices.SortStableFunc(items, func(a, b item) int {
		for j, t := range terms {
			ka, kb := a.keys[j], b.keys[j]
			if ka.null || kb.null {
				if ka.null && kb.null {
					continue
				}
				if ka.null == t.nullsFirst {
					return -1
				}
				return 1
			}
			c := cmpKey(ka, kb)
			if t.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(a.id, b.id)
	})
	for i := range items {
		ids[i] = items[i].id
	}
}
