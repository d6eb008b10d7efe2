package engine

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/graph/scalar"
	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
)

// scalarKind is how an Odoo value of a non-relational field is served: the
// Go form of its GraphQL type. Both outputs convert values with
// convertScalar, so they serve the same values.
type scalarKind int

const (
	kindString   scalarKind = iota // String, Date, DateTime, enums: string or nil
	kindID                         // the record id: its decimal string
	kindBool                       // Boolean!: bool, Odoo's False is false
	kindBoolNull                   // Boolean: bool or nil (False is nil)
	kindInt                        // Int: int or nil
	kindFloat                      // Float: float64 or nil
	kindJSON                       // JSON: Odoo's value as is, or nil
	kindNodeID                     // nodeId: NodeID of the record's model and id (read from its id)
)

// kindOfType is the kind of a field named name of GraphQL type t.
func kindOfType(name string, t *ast.Type) scalarKind {
	if name == "id" {
		return kindID
	}
	switch t.Name() {
	case "Boolean":
		if t.NonNull {
			return kindBool
		}
		return kindBoolNull
	case "Int":
		return kindInt
	case "Float":
		return kindFloat
	case "JSON":
		return kindJSON
	}
	return kindString
}

// kindOfGo is the kind of a field of gqlgen's generated Go type t.
func kindOfGo(name string, t reflect.Type) (scalarKind, error) {
	if name == "id" {
		return kindID, nil
	}
	switch t.Kind() {
	case reflect.Bool:
		return kindBool, nil
	case reflect.Interface:
		return kindJSON, nil
	case reflect.Pointer:
		switch t.Elem().Kind() {
		case reflect.String:
			return kindString, nil
		case reflect.Int, reflect.Int64, reflect.Int32:
			return kindInt, nil
		case reflect.Float64, reflect.Float32:
			return kindFloat, nil
		case reflect.Bool:
			return kindBoolNull, nil
		}
	}
	return 0, fmt.Errorf("unsupported Go type %s", t)
}

// badValueError is an Odoo value convertScalar cannot serve: raw is not want.
type badValueError struct {
	raw, want string
}

func (b *badValueError) Error() string { return fmt.Sprintf("%q is not %s", b.raw, b.want) }

// convertScalar converts an Odoo value of field f to the value served for
// kind: a string, bool, int, float64, Odoo's JSON value, or nil for null.
// Odoo's False is null, except for booleans.
func convertScalar(kind scalarKind, f odoo.Field, raw any) (any, error) {
	switch kind {
	case kindID:
		id, ok := odoo.AsInt(raw)
		if !ok {
			return nil, fmt.Errorf("id %v is not an integer", raw)
		}
		return strconv.Itoa(id), nil
	case kindBool:
		b, _ := raw.(bool)
		return b, nil
	}
	if raw == nil || raw == false {
		return nil, nil
	}
	switch kind {
	case kindJSON:
		return raw, nil
	case kindBoolNull:
		b, _ := raw.(bool)
		return b, nil
	case kindInt:
		i, ok := odoo.AsInt(raw)
		if !ok {
			return nil, fmt.Errorf("%v is not an integer", raw)
		}
		return i, nil
	case kindFloat:
		x, ok := odoo.AsFloat(raw)
		if !ok {
			return nil, fmt.Errorf("%v is not a number", raw)
		}
		return x, nil
	}
	s, ok := odoo.AsString(raw)
	if !ok {
		s = fmt.Sprint(raw)
	}
	switch f.Type {
	case "datetime":
		// Any of Odoo's layouts (fractional seconds, a zone, a bare
		// date...), served as the DateTime scalar's UTC form.
		t, err := odoo.ParseDateTime(s)
		if err != nil {
			return nil, &badValueError{raw: s, want: "a datetime (YYYY-MM-DD HH:MM:SS, UTC)"}
		}
		return t.UTC().Format(scalar.DateTimeLayout), nil
	case "date":
		t, err := odoo.ParseDate(s)
		if err != nil {
			return nil, &badValueError{raw: s, want: "a date (YYYY-MM-DD)"}
		}
		return t.Format(scalar.DateLayout), nil
	case "selection":
		if s == "" {
			return nil, nil
		}
	}
	if ok {
		return raw, nil // the string as it is, not boxed again
	}
	return s, nil
}

// setScalar stores an Odoo value in a Go field of gqlgen's generated type:
// string (ID), bool, *string (also enums), *int, *float64 or any (JSON).
func setScalar(dst reflect.Value, f odoo.Field, raw any) error {
	kind, err := kindOfGo(f.Name, dst.Type())
	if err != nil {
		return err
	}
	v, err := convertScalar(kind, f, raw)
	assign(dst, v)
	return err
}

// assign stores a converted value (convertScalar) in a Go field.
func assign(dst reflect.Value, v any) {
	if v == nil {
		dst.Set(reflect.Zero(dst.Type()))
		return
	}
	switch dst.Kind() {
	case reflect.String:
		dst.SetString(v.(string))
		return
	case reflect.Bool:
		dst.SetBool(v.(bool))
		return
	case reflect.Interface:
		dst.Set(reflect.ValueOf(v))
		return
	}
	p := reflect.New(dst.Type().Elem())
	switch x := v.(type) {
	case string:
		p.Elem().SetString(x)
	case int:
		p.Elem().SetInt(int64(x))
	case float64:
		p.Elem().SetFloat(x)
	case bool:
		p.Elem().SetBool(x)
	}
	dst.Set(p)
}

// output builds the objects a plan's records become: gqlgen's generated
// structs (reflectOutput, compiled mode) or plain values the live executor
// writes (liveOutput). The plan and the fetching are the same for both.
type output interface {
	// object returns a new, empty object for one record of n.
	object(n *node) any
	// scalar sets a non-relational field to v (convertScalar's; nil: null).
	scalar(obj any, pf *planField, v any)
	// one sets a many2one field to child.
	one(obj any, pf *planField, child any)
	// many sets an x2many field to children.
	many(l *loaders.Loaders, obj any, pf *planField, children []any)
	// connection returns a list root's connection: totalCount, nodes,
	// edges and pageInfo.
	connection(p *listPlan, nodes []any) any
}

// reflectOutput fills gqlgen's generated structs: the compiled mode. The
// Go type of each plan node is bound before execution (bind).
type reflectOutput struct {
	e     *Engine
	conn  reflect.Type // the connection struct of a list root
	types map[*node]reflect.Type
	index map[*planField]int // the Go struct field of each plan field

	// A generated struct has one Go field per GraphQL field, not per alias:
	// a many2one selected under two aliases (a: country_id { name }
	// b: country_id { code }) is one object, which gqlgen marshals once per
	// alias with that alias's selection. The first alias's object is kept,
	// and what is set on the other aliases' objects goes to it (same): each
	// plan node's fields are set on the object gqlgen will marshal.
	mu   sync.Mutex
	same map[any]any // an alias's object → the object its field holds
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

// bind records the Go struct type t of n and of every node below it.
func (o *reflectOutput) bind(n *node, t reflect.Type) error {
	if o.types == nil {
		o.types = map[*node]reflect.Type{}
		o.index = map[*planField]int{}
	}
	o.types[n] = t
	info := o.e.structOf(t)
	for _, pf := range n.fields {
		idx, ok := info.byJSON[pf.schemaName()]
		if !ok {
			return fmt.Errorf("engine: %s has no Go field for %q", t, pf.schemaName())
		}
		o.index[pf] = idx
		if pf.sub == nil {
			continue
		}
		st := t.Field(idx).Type.Elem() // *T or []*T
		if pf.field.IsX2Many() {
			st = st.Elem()
		}
		if err := o.bind(pf.sub, st); err != nil {
			return err
		}
	}
	return nil
}

func (o *reflectOutput) field(obj any, pf *planField) reflect.Value {
	return reflect.ValueOf(o.target(obj)).Elem().Field(o.index[pf])
}

// target is the object that holds what is set on obj (see same).
func (o *reflectOutput) target(obj any) any {
	o.mu.Lock()
	defer o.mu.Unlock()
	if t, ok := o.same[obj]; ok {
		return t
	}
	return obj
}

func (o *reflectOutput) object(n *node) any { return reflect.New(o.types[n]).Interface() }

func (o *reflectOutput) scalar(obj any, pf *planField, v any) { assign(o.field(obj, pf), v) }

func (o *reflectOutput) one(obj any, pf *planField, child any) {
	f := o.field(obj, pf)
	if !f.IsNil() && f.Interface() != child {
		// Another alias of this many2one set it already (to the same
		// record: one field of one record): fill that object.
		o.mu.Lock()
		if o.same == nil {
			o.same = map[any]any{}
		}
		o.same[child] = f.Interface()
		o.mu.Unlock()
		return
	}
	f.Set(reflect.ValueOf(child))
}

func (o *reflectOutput) many(l *loaders.Loaders, obj any, pf *planField, children []any) {
	list := reflect.MakeSlice(reflect.SliceOf(reflect.PointerTo(o.types[pf.sub])), len(children), len(children))
	for i, c := range children {
		list.Index(i).Set(reflect.ValueOf(c))
	}
	l.SetChildren(o.target(obj), pf.alias, list.Interface())
}

func (o *reflectOutput) connection(p *listPlan, nodes []any) any {
	info := o.e.structOf(o.conn)
	conn := reflect.New(o.conn)
	f := conn.Elem().Field(info.byJSON["nodes"])
	list := reflect.MakeSlice(f.Type(), len(nodes), len(nodes))
	for i, n := range nodes {
		list.Index(i).Set(reflect.ValueOf(n))
	}
	f.Set(list)
	conn.Elem().Field(info.byJSON["totalCount"]).SetInt(int64(p.count))
	if i, ok := info.byJSON["edges"]; ok && p.page.relay { // built only when selected
		ef := conn.Elem().Field(i) // []*XEdge
		edgeType := ef.Type().Elem().Elem()
		einfo := o.e.structOf(edgeType)
		edges := reflect.MakeSlice(ef.Type(), len(nodes), len(nodes))
		for k, n := range nodes {
			edge := reflect.New(edgeType)
			edge.Elem().Field(einfo.byJSON["cursor"]).SetString(Cursor(p.opt.Offset + k))
			edge.Elem().Field(einfo.byJSON["node"]).Set(reflect.ValueOf(n))
			edges.Index(k).Set(edge)
		}
		ef.Set(edges)
	}
	if i, ok := info.byJSON["pageInfo"]; ok && p.page.relay {
		pf := conn.Elem().Field(i) // *PageInfo
		pi := p.page.info(p.opt.Offset, len(nodes))
		v := reflect.New(pf.Type().Elem())
		pinfo := o.e.structOf(pf.Type().Elem())
		v.Elem().Field(pinfo.byJSON["hasNextPage"]).SetBool(pi.HasNextPage)
		v.Elem().Field(pinfo.byJSON["hasPreviousPage"]).SetBool(pi.HasPreviousPage)
		v.Elem().Field(pinfo.byJSON["startCursor"]).Set(reflect.ValueOf(pi.StartCursor))
		v.Elem().Field(pinfo.byJSON["endCursor"]).Set(reflect.ValueOf(pi.EndCursor))
		pf.Set(v)
	}
	return conn.Interface()
}

// liveOutput makes the values of the live executor (internal/live): an
// object is a LiveObject keyed by response key, so that one field under
// several aliases with different arguments has one value per alias.
type liveOutput struct{}

// LiveObject is a record as the live executor reads it: field values by
// response key. The values are in the order of its plan node's fields
// (one per response key), so a record costs one slice, not a map.
type LiveObject struct {
	node   *node
	values []liveValue // written while the plan runs, read after
}

// liveValue is one field's value; set is false until the plan sets it.
type liveValue struct {
	v   any
	set bool
}

func (liveOutput) object(n *node) any {
	return &LiveObject{node: n, values: make([]liveValue, len(n.fields))}
}

// objects makes the objects of a batch of count records of n with two
// allocations, whatever count.
func (liveOutput) objects(n *node, count int) []any {
	objs := make([]LiveObject, count)
	values := make([]liveValue, count*len(n.fields))
	out := make([]any, count)
	for i := range objs {
		objs[i] = LiveObject{node: n, values: values[i*len(n.fields) : (i+1)*len(n.fields) : (i+1)*len(n.fields)]}
		out[i] = &objs[i]
	}
	return out
}

func (liveOutput) scalar(obj any, pf *planField, v any) { obj.(*LiveObject).set(pf, v) }

func (liveOutput) one(obj any, pf *planField, child any) { obj.(*LiveObject).set(pf, child) }

func (liveOutput) many(_ *loaders.Loaders, obj any, pf *planField, children []any) {
	obj.(*LiveObject).set(pf, children)
}

func (liveOutput) connection(p *listPlan, nodes []any) any {
	if nodes == nil {
		nodes = []any{}
	}
	conn := map[string]any{"totalCount": p.count, "nodes": nodes}
	if !p.page.relay { // neither edges nor pageInfo selected: not built
		return conn
	}
	edges := make([]any, len(nodes))
	for k, n := range nodes {
		edges[k] = map[string]any{"cursor": Cursor(p.opt.Offset + k), "node": n}
	}
	pi := p.page.info(p.opt.Offset, len(nodes))
	info := map[string]any{"hasNextPage": pi.HasNextPage, "hasPreviousPage": pi.HasPreviousPage, "startCursor": nil, "endCursor": nil}
	if pi.StartCursor != nil {
		info["startCursor"], info["endCursor"] = *pi.StartCursor, *pi.EndCursor
	}
	conn["edges"], conn["pageInfo"] = edges, info
	return conn
}

func (o *LiveObject) set(pf *planField, v any) {
	o.values[pf.index] = liveValue{v: v, set: true}
}
