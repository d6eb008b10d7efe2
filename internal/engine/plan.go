package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/odoo"
)

// node is the fetch plan of one selection set on records of one model: which
// Odoo fields to read and, for relations, the plans below.
type node struct {
	model string
	meta  *odoo.Model // nil for a model outside the snapshot
	// typeName is the GraphQL object type of the records (from the
	// schema: the selected field's type).
	typeName string
	fields   []*planField
	// keys are the fields' positions by response key (planObject's).
	keys map[string]int
}

// reindex numbers the fields (planField.index, keys) after a change of
// fields.
func (n *node) reindex() {
	n.keys = make(map[string]int, len(n.fields))
	for i, pf := range n.fields {
		pf.index = i
		n.keys[pf.alias] = i
	}
}

// index returns the position in fields of the field of response key key.
func (n *node) index(key string) (int, bool) {
	i, ok := n.keys[key]
	return i, ok
}

// planField is one selected field. The same Odoo field selected under two
// aliases gives two planFields.
type planField struct {
	// index is the field's position in its node's fields.
	index int
	alias string
	name  string
	field odoo.Field
	// kind is how the field's Odoo values are served (its GraphQL type).
	kind scalarKind
	sub  *node

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

// schemaName is the field's name in the schema: the Odoo field's, or
// nodeId for the Node interface's field (which reads the id).
func (pf *planField) schemaName() string {
	if pf.kind == kindNodeID {
		return "nodeId"
	}
	return pf.name
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

// planObject plans a selection set on the GraphQL object type typeName of
// model. The plan depends on the schema only (the fields' definitions), never
// on Go types.
func (e *Engine) planObject(oc *graphql.OperationContext, model, typeName string, sel ast.SelectionSet) (*node, error) {
	n := &node{model: model, meta: e.model(model), typeName: typeName}
	if err := e.checkDrift(model, ""); err != nil {
		return nil, err
	}
	// Every record type implements Node: fragments on it apply.
	for _, cf := range graphql.CollectFields(oc, sel, []string{typeName, "Node"}) {
		if strings.HasPrefix(cf.Name, "__") {
			continue
		}
		if cf.Name == "nodeId" { // Node's: made from the model and the id
			f, _ := fieldOf(n.meta, "id")
			f.Name = "id"
			n.fields = append(n.fields, &planField{alias: cf.Alias, name: "id", field: f, kind: kindNodeID, limit: -1})
			continue
		}
		if err := e.checkDrift(model, cf.Name); err != nil {
			return nil, err
		}
		f, ok := fieldOf(n.meta, cf.Name)
		if !ok {
			return nil, badInput("field %q is not in the metadata of %s", cf.Name, model)
		}
		if cf.Definition == nil {
			return nil, fmt.Errorf("engine: %s.%s has no definition (document not validated)", typeName, cf.Name)
		}
		pf := &planField{alias: cf.Alias, name: cf.Name, field: f, limit: -1}
		if f.Type == "many2one" || f.IsX2Many() {
			sub, err := e.planObject(oc, f.Relation, cf.Definition.Type.Name(), cf.Selections)
			if err != nil {
				return nil, err
			}
			pf.sub = sub
			if f.IsX2Many() {
				if err := e.x2manyArgs(pf, cf.ArgumentMap(oc.Variables)); err != nil {
					return nil, err
				}
			}
		} else {
			pf.kind = kindOfType(cf.Name, cf.Definition.Type)
		}
		n.fields = append(n.fields, pf)
	}
	n.reindex()
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
		return 0, badInput("limit %d exceeds the maximum of %d (ODOOGQL_MAX_LIMIT)", n, e.opt.MaxLimit)
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
