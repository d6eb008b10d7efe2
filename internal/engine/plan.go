package engine

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/odoo"
)

// node is the fetch plan of one selection set on records of one model: which
// Odoo fields to read and, for relations, the plans below.
type node struct {
	model  string
	meta   *odoo.Model // nil for a model outside the snapshot
	typ    reflect.Type
	info   *structInfo
	fields []*planField
}

// planField is one selected field. The same Odoo field selected under two
// aliases gives two planFields.
type planField struct {
	alias string
	name  string
	field odoo.Field
	index int // Go struct field index; -1 for x2many (held by loaders)
	sub   *node

	// x2many arguments.
	where   expr
	order   string
	limit   int // -1: none
	offset  int
	hasArgs bool

	// prefetched: the nested strategy's specification fetches this relation
	// with its parent, so resolving it costs no call.
	prefetched bool
}

// odooFields returns the distinct Odoo field names the node reads, sorted.
func (n *node) odooFields() []string {
	seen := map[string]bool{"id": true}
	out := []string{"id"}
	for _, f := range n.fields {
		if !seen[f.name] {
			seen[f.name] = true
			out = append(out, f.name)
		}
	}
	sort.Strings(out[1:])
	return out
}

// needsRead reports whether the node asks for more than a many2one pair or an
// id list already gives (id and display_name).
func (n *node) needsRead(fromPair bool) bool {
	for _, f := range n.fields {
		switch {
		case f.name == "id":
		case f.name == "display_name" && fromPair:
		default:
			return true
		}
	}
	return false
}

type structInfo struct {
	byJSON map[string]int
}

// structOf returns the JSON-name index of a generated model struct.
func (e *Engine) structOf(t reflect.Type) *structInfo {
	if v, ok := e.structs.Load(t); ok {
		return v.(*structInfo)
	}
	info := &structInfo{byJSON: map[string]int{}}
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name != "" && name != "-" {
			info.byJSON[name] = i
		}
	}
	v, _ := e.structs.LoadOrStore(t, info)
	return v.(*structInfo)
}

// planObject plans a selection set on the GraphQL object type typ (a
// generated struct) of model.
func (e *Engine) planObject(oc *graphql.OperationContext, model string, typ reflect.Type, sel ast.SelectionSet) (*node, error) {
	n := &node{model: model, meta: e.model(model), typ: typ, info: e.structOf(typ)}
	if err := e.checkDrift(model, ""); err != nil {
		return nil, err
	}
	for _, cf := range graphql.CollectFields(oc, sel, []string{typ.Name()}) {
		if strings.HasPrefix(cf.Name, "__") {
			continue
		}
		if err := e.checkDrift(model, cf.Name); err != nil {
			return nil, err
		}
		f, ok := fieldOf(n.meta, cf.Name)
		if !ok {
			return nil, badInput("field %q is not in the metadata of %s", cf.Name, model)
		}
		pf := &planField{alias: cf.Alias, name: cf.Name, field: f, index: -1, limit: -1}
		idx, hasGo := n.info.byJSON[cf.Name]
		if !hasGo {
			return nil, fmt.Errorf("engine: %s has no Go field for %q", typ, cf.Name)
		}
		sf := typ.Field(idx)
		if f.Type == "many2one" {
			pf.index = idx
			sub, err := e.planObject(oc, f.Relation, sf.Type.Elem(), cf.Selections)
			if err != nil {
				return nil, err
			}
			pf.sub = sub
		} else if f.IsX2Many() {
			sub, err := e.planObject(oc, f.Relation, sf.Type.Elem().Elem(), cf.Selections)
			if err != nil {
				return nil, err
			}
			pf.sub = sub
			if err := e.x2manyArgs(pf, cf.ArgumentMap(oc.Variables)); err != nil {
				return nil, err
			}
		} else {
			pf.index = idx
		}
		n.fields = append(n.fields, pf)
	}
	return n, nil
}

func (e *Engine) x2manyArgs(pf *planField, args map[string]any) error {
	var err error
	if w, ok := args["where"].(map[string]any); ok && len(w) > 0 {
		if pf.where, err = e.compileWhere(pf.field.Relation, w, ""); err != nil {
			return fmt.Errorf("%s: %w", pf.alias, err)
		}
		pf.hasArgs = pf.hasArgs || len(pf.where) > 0
	}
	if ob, ok := args["orderBy"].([]any); ok && len(ob) > 0 {
		if pf.order, err = compileOrder(e.model(pf.field.Relation), ob); err != nil {
			return fmt.Errorf("%s: %w", pf.alias, err)
		}
		pf.hasArgs = true
	}
	if v, ok := args["limit"]; ok && v != nil {
		if pf.limit, err = e.checkLimit(v); err != nil {
			return fmt.Errorf("%s: %w", pf.alias, err)
		}
		pf.hasArgs = true
	}
	if v, ok := args["offset"]; ok && v != nil {
		if pf.offset, err = checkOffset(v); err != nil {
			return fmt.Errorf("%s: %w", pf.alias, err)
		}
		pf.hasArgs = pf.hasArgs || pf.offset > 0
	}
	return nil
}

func (e *Engine) checkLimit(v any) (int, error) {
	n, err := toInt(v)
	if err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, badInput("limit must not be negative, got %d", n)
	}
	if n > e.opt.MaxLimit {
		return 0, badInput("limit %d exceeds the maximum of %d", n, e.opt.MaxLimit)
	}
	return n, nil
}

func checkOffset(v any) (int, error) {
	n, err := toInt(v)
	if err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, badInput("offset must not be negative, got %d", n)
	}
	return n, nil
}
