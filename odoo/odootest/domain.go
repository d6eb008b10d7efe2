package odootest

import (
	"fmt"
	"regexp"
	"strings"
)

// dnode is a compiled domain.
type dnode interface{}

type dAnd []dnode
type dOr []dnode
type dNot struct{ kid dnode }
type dConst bool

// dLeaf is one (path, operator, value) term.
type dLeaf struct {
	f     *field
	sub   dnode  // dotted path or any/not any: the condition on the comodel
	co    *model // comodel of f
	op    string
	value any
	neg   bool // negative operator, evaluated as not(positive)
	// precomputed
	lower   string
	pattern *regexp.Regexp
	set     map[int]bool // child_of / parent_of
	names   []string     // name values of a relational leaf
}

var termOperators = map[string]bool{
	"=": true, "!=": true, "<=": true, "<": true, ">": true, ">=": true, "=?": true,
	"=like": true, "=ilike": true, "like": true, "not like": true, "ilike": true, "not ilike": true,
	"in": true, "not in": true, "child_of": true, "parent_of": true, "any": true, "not any": true,
}

var negOperators = map[string]string{
	"!=": "=", "not like": "like", "not ilike": "ilike", "not in": "in", "not any": "any",
}

type domainError struct {
	kind  string // "field", "leaf", "syntax"
	model string
	field string
	leaf  string
	msg   string
}

func (d *domainError) Error() string { return d.kind + ": " + d.leaf }

// compileDomain validates and compiles an Odoo domain for model m.
func (e *env) compileDomain(m *model, dom []any) (dnode, error) {
	// Odoo checks field names first (anyfy), then operators.
	for _, el := range dom {
		leaf, ok := el.([]any)
		if !ok {
			continue
		}
		if err := e.checkPath(m, leaf); err != nil {
			return nil, err
		}
	}
	var stack []dnode
	for i := len(dom) - 1; i >= 0; i-- {
		el := dom[i]
		switch x := el.(type) {
		case string:
			switch x {
			case "&", "|":
				if len(stack) < 2 {
					return nil, &domainError{kind: "syntax", msg: fmt.Sprintf("Domain %s is syntactically not correct.", pyRepr(dom))}
				}
				a, b := stack[len(stack)-1], stack[len(stack)-2]
				stack = stack[:len(stack)-2]
				if x == "&" {
					stack = append(stack, dAnd{a, b})
				} else {
					stack = append(stack, dOr{a, b})
				}
			case "!":
				if len(stack) < 1 {
					return nil, &domainError{kind: "syntax", msg: fmt.Sprintf("Domain %s is syntactically not correct.", pyRepr(dom))}
				}
				stack[len(stack)-1] = dNot{stack[len(stack)-1]}
			default:
				return nil, &domainError{kind: "leaf", leaf: pyRepr(x)}
			}
		case []any:
			n, err := e.compileLeaf(m, x)
			if err != nil {
				return nil, err
			}
			stack = append(stack, n)
		default:
			return nil, &domainError{kind: "leaf", leaf: pyRepr(el)}
		}
	}
	if len(stack) == 0 {
		return dConst(true), nil
	}
	if len(stack) == 1 {
		return stack[0], nil
	}
	// Implicit AND; the stack holds the terms in reverse order.
	and := make(dAnd, 0, len(stack))
	for i := len(stack) - 1; i >= 0; i-- {
		and = append(and, stack[i])
	}
	return and, nil
}

// checkPath validates the field path of a leaf (recursively through relations).
func (e *env) checkPath(m *model, leaf []any) error {
	if len(leaf) != 3 {
		return nil
	}
	path, ok := leaf[0].(string)
	if !ok {
		return nil
	}
	parts := strings.SplitN(path, ".", 2)
	f := m.fields[parts[0]]
	if f == nil {
		return &domainError{kind: "field", model: m.name, field: parts[0], leaf: pyTupleRepr(leaf)}
	}
	co := e.ds.model(f.relation)
	if len(parts) == 2 {
		if co == nil {
			return &domainError{kind: "field", model: m.name, field: path, leaf: pyTupleRepr(leaf)}
		}
		return e.checkPath(co, []any{parts[1], leaf[1], leaf[2]})
	}
	if op, _ := leaf[1].(string); (op == "any" || op == "not any") && co != nil {
		if sub, ok := leaf[2].([]any); ok {
			for _, el := range sub {
				if l, ok := el.([]any); ok {
					if err := e.checkPath(co, l); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

func (e *env) compileLeaf(m *model, leaf []any) (dnode, error) {
	if len(leaf) != 3 {
		return nil, &domainError{kind: "leaf", leaf: pyTupleRepr(leaf)}
	}
	opRaw, ok := leaf[1].(string)
	if !ok {
		return nil, &domainError{kind: "leaf", leaf: pyTupleRepr(leaf)}
	}
	op := opRaw
	if e.s.major >= 19 {
		op = strings.ToLower(op)
	}
	switch op {
	case "<>":
		op = "!="
	case "==":
		op = "="
	}
	// TRUE_LEAF (1, '=', 1) / FALSE_LEAF (0, '=', 1)
	switch l := leaf[0].(type) {
	case int:
		if op == "=" && leaf[2] == 1 && (l == 0 || l == 1) {
			return dConst(l == 1), nil
		}
		return nil, &domainError{kind: "leaf", leaf: pyTupleRepr(leaf)}
	case bool:
		if op == "=" && leaf[2] == 1 {
			return dConst(l), nil
		}
		return nil, &domainError{kind: "leaf", leaf: pyTupleRepr(leaf)}
	case string:
	default:
		return nil, &domainError{kind: "leaf", leaf: pyTupleRepr(leaf)}
	}
	if !termOperators[op] {
		if e.s.major >= 19 {
			return nil, &domainError{kind: "leaf", leaf: pyTupleRepr([]any{leaf[0], op, leaf[2]})}
		}
		return nil, &domainError{kind: "leaf", leaf: pyTupleRepr(leaf)}
	}
	path := leaf[0].(string)
	value := leaf[2]
	parts := strings.SplitN(path, ".", 2)
	f := m.fields[parts[0]]
	if f == nil {
		return nil, &domainError{kind: "field", model: m.name, field: parts[0], leaf: pyTupleRepr(leaf)}
	}
	l := &dLeaf{f: f, op: op, value: value, co: e.ds.model(f.relation)}
	if len(parts) == 2 {
		// ('a.b', op, v) is ('a', 'any', [('b', op, v)]).
		sub, err := e.compileLeaf(l.co, []any{parts[1], opRaw, value})
		if err != nil {
			return nil, err
		}
		l.op, l.sub = "any", sub
		return l, nil
	}
	if pos, ok := negOperators[op]; ok {
		l.op, l.neg = pos, true
	}
	if op == "=?" {
		if value == nil || value == false {
			return dConst(true), nil
		}
		l.op = "="
	}
	switch l.op {
	case "any":
		if l.co == nil {
			return nil, &domainError{kind: "leaf", leaf: pyTupleRepr(leaf)}
		}
		sub, ok := value.([]any)
		if !ok {
			return nil, &domainError{kind: "leaf", leaf: pyTupleRepr(leaf)}
		}
		n, err := e.compileDomain(l.co, sub)
		if err != nil {
			return nil, err
		}
		l.sub = n
	case "like", "ilike", "=like", "=ilike":
		s := fmt.Sprint(value)
		if value == false || value == nil {
			s = ""
		}
		if l.op == "like" || l.op == "ilike" {
			s = "%" + s + "%"
		}
		l.pattern = likePattern(s, l.op == "ilike" || l.op == "=ilike")
		l.lower = strings.ToLower(s)
	case "child_of", "parent_of":
		l.set = e.hierarchy(m, l, value)
	}
	if f.relation != "" {
		for _, v := range asList(value) {
			if s, ok := v.(string); ok {
				l.names = append(l.names, s)
			}
		}
	}
	return l, nil
}

// likePattern turns a SQL LIKE pattern into a regexp.
func likePattern(p string, fold bool) *regexp.Regexp {
	var sb strings.Builder
	if fold {
		sb.WriteString("(?is)")
	} else {
		sb.WriteString("(?s)")
	}
	sb.WriteString("^")
	for _, r := range p {
		switch r {
		case '%':
			sb.WriteString(".*")
		case '_':
			sb.WriteString(".")
		default:
			sb.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	sb.WriteString("$")
	return regexp.MustCompile(sb.String())
}

func asList(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case []int:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	}
	return []any{v}
}

// hierarchy computes the ids matched by child_of / parent_of.
func (e *env) hierarchy(m *model, l *dLeaf, value any) map[int]bool {
	target := m
	if l.f.name != "id" && l.co != nil {
		target = l.co
	}
	start := map[int]bool{}
	for _, v := range asList(value) {
		switch x := v.(type) {
		case int:
			start[x] = true
		case string:
			for id, r := range target.recs {
				if strings.EqualFold(e.displayName(target, r), x) {
					start[id] = true
				}
			}
		}
	}
	pf := target.fields["parent_id"]
	out := map[int]bool{}
	if pf == nil || pf.typ != "many2one" || pf.relation != target.name {
		return start
	}
	if l.op == "parent_of" {
		for id := range start {
			for cur, n := id, 0; cur != 0 && !out[cur] && n < 1000; n++ {
				r := target.recs[cur]
				if r == nil {
					break
				}
				out[cur] = true
				cur, _ = r["parent_id"].(int)
			}
		}
		return out
	}
	children := map[int][]int{}
	for id, r := range target.recs {
		if p, _ := r["parent_id"].(int); p != 0 {
			children[p] = append(children[p], id)
		}
	}
	queue := make([]int, 0, len(start))
	for id := range start {
		if target.recs[id] != nil {
			queue = append(queue, id)
		}
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if out[id] {
			continue
		}
		out[id] = true
		queue = append(queue, children[id]...)
	}
	return out
}

// eval evaluates a compiled domain on record r of model m.
func (e *env) eval(n dnode, m *model, r rec) bool {
	switch x := n.(type) {
	case dConst:
		return bool(x)
	case dAnd:
		for _, k := range x {
			if !e.eval(k, m, r) {
				return false
			}
		}
		return true
	case dOr:
		for _, k := range x {
			if e.eval(k, m, r) {
				return true
			}
		}
		return false
	case dNot:
		return !e.eval(x.kid, m, r)
	case *dLeaf:
		ok := e.evalLeaf(x, m, r)
		if x.neg {
			return !ok
		}
		return ok
	}
	return false
}

func (e *env) evalLeaf(l *dLeaf, m *model, r rec) bool {
	f := l.f
	switch {
	case l.op == "any":
		switch f.typ {
		case "many2one":
			_, tr := e.m2oTarget(f, e.get(m, r, f))
			return tr != nil && e.eval(l.sub, l.co, tr)
		case "one2many", "many2many":
			for _, id := range e.domainX2Many(m, r, f) {
				if tr := l.co.recs[id]; tr != nil && e.eval(l.sub, l.co, tr) {
					return true
				}
			}
		}
		return false
	case l.op == "child_of" || l.op == "parent_of":
		switch f.typ {
		case "one2many", "many2many":
			for _, id := range e.domainX2Many(m, r, f) {
				if l.set[id] {
					return true
				}
			}
			return false
		}
		id, _ := e.get(m, r, f).(int)
		return l.set[id]
	}
	switch f.typ {
	case "many2one":
		return e.evalM2O(l, m, r)
	case "one2many", "many2many":
		return e.evalX2Many(l, m, r)
	}
	return evalScalar(l, f, e.get(m, r, f))
}

// domainX2Many is the x2many value seen by a domain: existing, and active
// ones only unless active_test is off.
func (e *env) domainX2Many(m *model, r rec, f *field) []int {
	ids, _ := e.get(m, r, f).([]int)
	co := e.ds.model(f.relation)
	if co == nil || len(ids) == 0 {
		return nil
	}
	activeTest := e.activeTest && co.hasActive
	if f.activeTest == -1 {
		activeTest = false
	}
	if !activeTest {
		return ids
	}
	out := make([]int, 0, len(ids))
	for _, id := range ids {
		if cr := co.recs[id]; cr != nil {
			if a, ok := cr["active"].(bool); !ok || a {
				out = append(out, id)
			}
		}
	}
	return out
}

func (e *env) nameMatches(l *dLeaf, co *model, id int) bool {
	tr := co.recs[id]
	if tr == nil {
		return false
	}
	name := e.displayName(co, tr)
	switch l.op {
	case "=":
		return name == fmt.Sprint(l.value)
	case "in":
		for _, n := range l.names {
			if name == n {
				return true
			}
		}
		return false
	case "like", "ilike", "=like", "=ilike":
		return l.pattern.MatchString(name)
	}
	return false
}

func (e *env) evalM2O(l *dLeaf, m *model, r rec) bool {
	id, _ := e.get(m, r, l.f).(int)
	switch l.op {
	case "=":
		switch v := l.value.(type) {
		case nil:
			return id == 0
		case bool:
			return !v && id == 0
		case int:
			return id == v
		case float64:
			return float64(id) == v
		case string:
			return id != 0 && l.co != nil && e.nameMatches(l, l.co, id)
		}
		return false
	case "in":
		for _, v := range asList(l.value) {
			switch x := v.(type) {
			case int:
				if id == x {
					return true
				}
			case bool:
				if !x && id == 0 {
					return true
				}
			case nil:
				if id == 0 {
					return true
				}
			case string:
				if id != 0 && l.co != nil && e.nameMatches(&dLeaf{op: "=", value: x}, l.co, id) {
					return true
				}
			}
		}
		return false
	case "like", "ilike", "=like", "=ilike":
		if l.value == false || l.value == nil || l.value == "" {
			return id != 0 || l.value == ""
		}
		return id != 0 && l.co != nil && e.nameMatches(l, l.co, id)
	case "<", "<=", ">", ">=":
		if id == 0 {
			return false
		}
		return compareNum(float64(id), l.op, toFloat(l.value))
	}
	return false
}

func (e *env) evalX2Many(l *dLeaf, m *model, r rec) bool {
	ids := e.domainX2Many(m, r, l.f)
	switch l.op {
	case "=", "in":
		vals := asList(l.value)
		if len(vals) == 1 && (vals[0] == false || vals[0] == nil) {
			return len(ids) == 0
		}
		for _, v := range vals {
			switch x := v.(type) {
			case int:
				if containsInt(ids, x) {
					return true
				}
			case string:
				for _, id := range ids {
					if e.nameMatches(&dLeaf{op: "=", value: x}, l.co, id) {
						return true
					}
				}
			case bool, nil:
				if len(ids) == 0 {
					return true
				}
			}
		}
		return false
	case "like", "ilike", "=like", "=ilike":
		for _, id := range ids {
			if e.nameMatches(l, l.co, id) {
				return true
			}
		}
		return false
	}
	return false
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	case bool:
		if x {
			return 1
		}
	}
	return 0
}

func compareNum(a float64, op string, b float64) bool {
	switch op {
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	}
	return false
}

func compareStr(a, op, b string) bool {
	switch op {
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	}
	return false
}

func isNumeric(t string) bool {
	return t == "integer" || t == "float" || t == "monetary" || t == "many2one_reference"
}

// scalarEq compares a stored scalar with a domain value.
func scalarEq(f *field, v, x any) bool {
	if x == nil || (x == false && f.typ != "boolean") {
		return v == nil
	}
	switch f.typ {
	case "boolean":
		b, _ := v.(bool)
		xb := x == true || x == 1
		return b == xb
	case "integer", "float", "monetary", "many2one_reference":
		if v == nil {
			return false
		}
		switch x.(type) {
		case int, float64:
			return toFloat(v) == toFloat(x)
		}
		return fmt.Sprint(v) == fmt.Sprint(x)
	}
	if v == nil {
		return false
	}
	if s, ok := v.(string); ok {
		if xs, ok := x.(string); ok {
			return s == xs
		}
	}
	return fmt.Sprint(v) == fmt.Sprint(x)
}

func evalScalar(l *dLeaf, f *field, v any) bool {
	switch l.op {
	case "=":
		return scalarEq(f, v, l.value)
	case "in":
		for _, x := range asList(l.value) {
			if scalarEq(f, v, x) {
				return true
			}
		}
		return false
	case "<", "<=", ">", ">=":
		if v == nil || l.value == nil || l.value == false {
			return false
		}
		if isNumeric(f.typ) || f.typ == "boolean" {
			return compareNum(toFloat(v), l.op, toFloat(l.value))
		}
		return compareStr(fmt.Sprint(v), l.op, fmt.Sprint(l.value))
	case "like", "ilike", "=like", "=ilike":
		if v == nil {
			return false
		}
		s, ok := v.(string)
		if !ok {
			s = fmt.Sprint(v)
		}
		if l.op == "ilike" && !strings.ContainsAny(l.lower[1:len(l.lower)-1], "%_") {
			return strings.Contains(strings.ToLower(s), l.lower[1:len(l.lower)-1])
		}
		return l.pattern.MatchString(s)
	}
	return false
}
