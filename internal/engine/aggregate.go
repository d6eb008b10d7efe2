package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
)

// Aggregates: a list field's <list>Aggregate root field asks Odoo for the
// count and the sum, avg, min and max of fields of the records matching
// where and domain with one read_group (lazy=False, no groupby: one row of
// totals), and for its groups by groupBy with one read_group more (ordered
// and paged by Odoo). A many2one group key is the related record: from the
// [id, name] pair Odoo answers, or, when its selection asks for more, from
// one read of the keys' records. Both executors serve the same values
// (compiled mode decodes them into gqlgen's structs), converted as record
// fields are. On Odoo 19 and later, where read_group is deprecated, the
// same calls are formatted_read_group's, whose rows fromFormatted rewrites
// as read_group's.

// aggFuncs are the aggregate selections of an aggregate or group type; all
// but countDistinct (count_distinct) are Odoo's names.
var aggFuncs = map[string]bool{"sum": true, "avg": true, "min": true, "max": true, "countDistinct": true}

// odooFunc is Odoo's name of an aggregate selection.
func odooFunc(fn string) string {
	if fn == "countDistinct" {
		return "count_distinct"
	}
	return fn
}

// granularities are the periods a date groups by (the enum value's suffix:
// date_order_month), as read_group spells them.
var granularities = map[string]bool{"day": true, "week": true, "month": true, "quarter": true, "year": true}

// aggValue is one aggregated field: its read_group alias and how its value
// is served.
type aggValue struct {
	fn, name, alias string
	kind            scalarKind
	field           odoo.Field
}

func (v aggValue) spec() string { return v.alias + ":" + odooFunc(v.fn) + "(" + v.name + ")" }

// spec19 is the aggregate as formatted_read_group spells it (and keys its
// value): amount_total:sum.
func (v aggValue) spec19() string { return v.name + ":" + odooFunc(v.fn) }

// groupSpec is one key of groupBy.
type groupSpec struct {
	key   string // the enum value: state, partner_id, date_order_month
	field odoo.Field
	gran  string // "" or a granularity
	kind  scalarKind
	node  *node // a many2one key's selection
	ids   []int
	objs  map[int]any
}

// spec is the key as read_group's groupby spells it: date_order:month.
func (g *groupSpec) spec() string {
	if g.gran != "" {
		return g.field.Name + ":" + g.gran
	}
	return g.field.Name
}

// aggPlan is the plan of one aggregate root field.
type aggPlan struct {
	model   string
	domain  expr
	totals  bool // count, sum, avg, min or max selected
	values  []aggValue
	groups  bool // groups selected
	keys    []*groupSpec
	gvals   []aggValue
	order   string // read_group's orderby
	order19 string // formatted_read_group's order
	limit   int
	offset  int
}

// AggregateValues resolves an aggregate root field of model in live mode:
// {count, sum: {field: value}, avg, min, max, groups: [...]}, keyed by field
// name.
func (e *Engine) AggregateValues(ctx context.Context, model string, field graphql.CollectedField) (map[string]any, error) {
	return e.aggregate(ctx, model, field, func(string, *node) (output, error) { return liveOutput{}, nil }, true)
}

// Aggregate resolves an aggregate root field of model in compiled mode,
// returning gqlgen's struct T of the field's type.
func Aggregate[T any](ctx context.Context, e *Engine, model string) (*T, error) {
	fc := graphql.GetFieldContext(ctx)
	typ := reflect.TypeFor[T]()
	groupType, _ := jsonField(typ, "groups")
	v, err := e.aggregate(ctx, model, fc.Field, func(key string, n *node) (output, error) {
		var rt reflect.Type
		if groupType.Type != nil && groupType.Type.Kind() == reflect.Slice {
			if kf, ok := jsonField(groupType.Type.Elem(), key); ok && kf.Type.Kind() == reflect.Pointer {
				rt = kf.Type.Elem()
			}
		}
		if rt == nil {
			return nil, fmt.Errorf("engine: no Go type for the group key %s of %s", key, typ)
		}
		o, bind := e.reflectOutput(rt, nil)
		return o, bind(n)
	}, false)
	if err != nil {
		return nil, err
	}
	// Scalars go through JSON (gqlgen's structs carry the field names as
	// JSON tags); the key records are set after.
	rawGroups, _ := v["groups"].([]any)
	type keyed struct {
		i     int
		field string
		obj   any
	}
	var objs []keyed
	for i, g := range rawGroups {
		gm := g.(map[string]any)
		for k, x := range gm {
			if _, isObj := x.(aggKeyObject); isObj {
				objs = append(objs, keyed{i, k, x.(aggKeyObject).obj})
				delete(gm, k)
			}
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		return nil, fmt.Errorf("engine: aggregate of %s into %T: %w", model, out, err)
	}
	if len(objs) > 0 {
		gs := reflect.ValueOf(out).Elem().FieldByIndex(groupType.Index)
		for _, o := range objs {
			g := gs.Index(o.i).Elem()
			f, _ := jsonField(g.Type(), o.field)
			g.FieldByIndex(f.Index).Set(reflect.ValueOf(o.obj))
		}
	}
	return out, nil
}

// aggKeyObject wraps a many2one key's record object in compiled mode until it
// is set on its struct.
type aggKeyObject struct{ obj any }

// jsonField returns the field of struct type t whose JSON name is name.
func jsonField(t reflect.Type, name string) (reflect.StructField, bool) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return reflect.StructField{}, false
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// aggregate plans and runs an aggregate root field. keyOut gives the output
// of a many2one key's records; live tells whether they are served as they
// are (live mode) or wrapped in aggKeyObject (compiled mode).
func (e *Engine) aggregate(ctx context.Context, model string, field graphql.CollectedField, keyOut func(key string, n *node) (output, error), live bool) (map[string]any, error) {
	l, err := requestLoaders(ctx)
	if err != nil {
		return nil, err
	}
	oc := graphql.GetOperationContext(ctx)
	p, err := e.planAggregate(oc, model, field)
	if err != nil {
		return nil, err
	}
	s := l.Odoo(ctx)
	formatted := e.formattedReadGroup(ctx)
	out := map[string]any{}
	if p.totals {
		var rows []odoo.Record
		if formatted {
			rows, err = s.FormattedReadGroup(ctx, model, p.domain, nil, aggSpecs19(p.values), odoo.ReadGroupOptions{})
			rows = fromFormatted(rows, nil, p.values)
		} else {
			specs := make([]string, len(p.values))
			for i, v := range p.values {
				specs[i] = v.spec()
			}
			rows, err = s.ReadGroup(ctx, model, p.domain, specs, nil, odoo.ReadGroupOptions{})
		}
		if err != nil {
			return nil, err
		}
		row := odoo.Record{}
		if len(rows) > 0 {
			row = rows[0]
		}
		if err := aggRow(out, model, p.values, row); err != nil {
			return nil, err
		}
	}
	groups := []any{}
	if p.groups && len(p.keys) > 0 {
		groupby := make([]string, len(p.keys))
		for i, k := range p.keys {
			groupby[i] = k.spec()
		}
		var rows []odoo.Record
		if formatted {
			rows, err = s.FormattedReadGroup(ctx, model, p.domain, groupby, aggSpecs19(p.gvals), odoo.ReadGroupOptions{Order: p.order19, Limit: p.limit, Offset: p.offset})
			rows = fromFormatted(rows, p.keys, p.gvals)
		} else {
			specs := make([]string, len(p.gvals))
			for i, v := range p.gvals {
				specs[i] = v.spec()
			}
			rows, err = s.ReadGroup(ctx, model, p.domain, specs, groupby, odoo.ReadGroupOptions{Order: p.order, Limit: p.limit, Offset: p.offset})
		}
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			g := map[string]any{}
			if err := aggRow(g, model, p.gvals, row); err != nil {
				return nil, err
			}
			for _, k := range p.keys {
				raw := row[k.spec()]
				switch {
				case k.field.Type == "many2one":
					if id, ok := pairID(raw); ok && k.node != nil {
						k.ids = append(k.ids, id)
					}
				case k.gran != "":
					rng, _ := row["__range"].(odoo.Record)
					from, _ := rng[k.spec()].(odoo.Record)
					if g[k.key], err = convertScalar(k.kind, k.field, from["from"]); err != nil {
						return nil, fmt.Errorf("group key %s of %s: %w", k.key, model, err)
					}
				default:
					if g[k.key], err = convertScalar(k.kind, k.field, raw); err != nil {
						return nil, fmt.Errorf("group key %s of %s: %w", k.key, model, err)
					}
				}
			}
			groups = append(groups, g)
		}
		for _, k := range p.keys {
			if k.node == nil || len(k.ids) == 0 {
				continue
			}
			if err := e.keyRecords(ctx, l, k, rows, keyOut); err != nil {
				return nil, err
			}
			for i, row := range rows {
				id, ok := pairID(row[k.spec()])
				if !ok || k.objs[id] == nil {
					continue
				}
				if live {
					groups[i].(map[string]any)[k.key] = k.objs[id]
				} else {
					groups[i].(map[string]any)[k.key] = aggKeyObject{k.objs[id]}
				}
			}
		}
	}
	if p.groups {
		out["groups"] = groups
	}
	return out, nil
}

// formattedReadGroup reports whether this request asks Odoo for
// formatted_read_group (Odoo 19 and later, where read_group is deprecated)
// rather than read_group. An unknown version keeps read_group, which every
// version still answers.
func (e *Engine) formattedReadGroup(ctx context.Context) bool {
	if e.opt.ServerMajor == nil {
		return false
	}
	major, err := e.opt.ServerMajor(ctx)
	if err != nil {
		e.log.WarnContext(ctx, "server version unknown, aggregating with read_group", "err", err)
		return false
	}
	return major >= 19
}

// aggSpecs19 are formatted_read_group's aggregates for values: __count,
// then field:func (which also key their values in its rows).
func aggSpecs19(values []aggValue) []string {
	out := make([]string, 0, len(values)+1)
	out = append(out, "__count")
	for _, v := range values {
		out = append(out, v.spec19())
	}
	return out
}

// fromFormatted rewrites formatted_read_group rows as read_group's (lazy=False)
// so one conversion serves both: aggregates under their alias, a date
// period's key as its label with its start in __range, other keys as they
// are.
func fromFormatted(rows []odoo.Record, keys []*groupSpec, values []aggValue) []odoo.Record {
	out := make([]odoo.Record, len(rows))
	for i, row := range rows {
		r := odoo.Record{"__count": row["__count"]}
		for _, v := range values {
			r[v.alias] = row[v.spec19()]
		}
		var rng odoo.Record
		for _, k := range keys {
			raw := row[k.spec()]
			if k.gran == "" {
				r[k.spec()] = raw
				continue
			}
			if rng == nil {
				rng = odoo.Record{}
			}
			pair, ok := raw.([]any)
			if !ok || len(pair) != 2 {
				r[k.spec()], rng[k.spec()] = false, false
				continue
			}
			r[k.spec()] = pair[1]
			rng[k.spec()] = odoo.Record{"from": pair[0]}
		}
		if rng != nil {
			r["__range"] = rng
		}
		out[i] = r
	}
	return out
}

// pairID is the id of a many2one value [id, name].
func pairID(v any) (int, bool) {
	pair, ok := v.([]any)
	if !ok || len(pair) == 0 {
		return 0, false
	}
	return odoo.AsInt(pair[0])
}

// keyRecords makes the records of a many2one key: from Odoo's [id, name]
// pairs when the selection asks for no more, else with one read.
func (e *Engine) keyRecords(ctx context.Context, l *loaders.Loaders, k *groupSpec, rows []odoo.Record, keyOut func(string, *node) (output, error)) error {
	out, err := keyOut(k.key, k.node)
	if err != nil {
		return err
	}
	ids := uniqueInts(k.ids)
	var objs []any
	if k.node.needsRead(true) {
		if objs, err = e.readIDs(ctx, l, out, k.node, ids); err != nil {
			return err
		}
	} else {
		names := map[int]any{}
		for _, row := range rows {
			if pair, ok := row[k.spec()].([]any); ok && len(pair) == 2 {
				if id, ok := odoo.AsInt(pair[0]); ok {
					names[id] = pair[1]
				}
			}
		}
		recs := make([]odoo.Record, len(ids))
		for i, id := range ids {
			recs[i] = odoo.Record{"id": id, "display_name": names[id]}
		}
		b := newBatch(out, k.node, recs)
		if err := e.run(ctx, l, []*batch{b}); err != nil {
			return err
		}
		objs = b.objs
	}
	k.objs = map[int]any{}
	for i, o := range objs {
		if i < len(ids) {
			k.objs[ids[i]] = o
		}
	}
	return nil
}

// aggRow sets count and the aggregates of a read_group row on out.
func aggRow(out map[string]any, model string, values []aggValue, row odoo.Record) error {
	count, _ := odoo.AsInt(row["__count"])
	out["count"] = count
	for fn := range aggFuncs {
		out[fn] = map[string]any{}
	}
	for _, v := range values {
		x, err := convertScalar(v.kind, v.field, row[v.alias])
		if err != nil {
			return fmt.Errorf("%s of %s.%s: %w", v.fn, model, v.name, err)
		}
		out[v.fn].(map[string]any)[v.name] = x
	}
	return nil
}

// planAggregate reads an aggregate root field's arguments and selection.
func (e *Engine) planAggregate(oc *graphql.OperationContext, model string, field graphql.CollectedField) (*aggPlan, error) {
	if err := e.checkDrift(model, ""); err != nil {
		return nil, err
	}
	m := e.model(model)
	args := field.ArgumentMap(oc.Variables)
	p := &aggPlan{model: model, domain: expr{}, limit: e.opt.DefaultLimit}
	if w, ok := args["where"].(map[string]any); ok {
		d, err := e.compileWhere(model, w, "")
		if err != nil {
			return nil, err
		}
		p.domain = d
	}
	if raw, ok := args["domain"]; ok && raw != nil {
		d, err := e.parseDomain(model, raw)
		if err != nil {
			return nil, err
		}
		p.domain = and(p.domain, d)
	}
	gb, _ := args["groupBy"].([]any)
	seenKey := map[string]bool{}
	for _, x := range gb {
		key, _ := x.(string)
		if seenKey[key] {
			continue
		}
		seenKey[key] = true
		k, err := e.groupKey(m, key)
		if err != nil {
			return nil, err
		}
		if err := e.checkDrift(model, k.field.Name); err != nil {
			return nil, err
		}
		p.keys = append(p.keys, k)
	}
	if v, ok := args["limit"]; ok && v != nil {
		n, err := e.checkLimit(v)
		if err != nil {
			return nil, err
		}
		p.limit = n
	}
	if v, ok := args["offset"]; ok && v != nil {
		n, err := checkOffset(v)
		if err != nil {
			return nil, err
		}
		p.offset = n
	}
	typeName := field.Definition.Type.Name()
	for _, cf := range graphql.CollectFields(oc, field.Selections, []string{typeName}) {
		switch {
		case cf.Name == "count":
			p.totals = true
		case aggFuncs[cf.Name]:
			p.totals = true
			vals, err := e.aggValues(oc, m, model, cf)
			if err != nil {
				return nil, err
			}
			p.values = append(p.values, vals...)
		case cf.Name == "groups":
			p.groups = true
			if err := e.planGroups(oc, m, model, p, cf); err != nil {
				return nil, err
			}
		}
	}
	p.values = uniqueValues(p.values)
	if ob, ok := args["orderBy"].([]any); ok && len(ob) > 0 {
		if err := e.groupOrder(m, p, ob); err != nil {
			return nil, err
		}
	}
	p.gvals = uniqueValues(p.gvals)
	return p, nil
}

// groupKey reads one groupBy value: a field, or a date field and a period.
func (e *Engine) groupKey(m *odoo.Model, key string) (*groupSpec, error) {
	if f, ok := fieldOf(m, key); ok && key != "id" {
		return &groupSpec{key: key, field: f, kind: groupKind(f)}, nil
	}
	if i := strings.LastIndexByte(key, '_'); i > 0 && granularities[key[i+1:]] {
		if f, ok := fieldOf(m, key[:i]); ok && (f.Type == "date" || f.Type == "datetime") {
			return &groupSpec{key: key, field: f, gran: key[i+1:], kind: kindString}, nil
		}
	}
	return nil, badInput("cannot group %s by %q", m.Model, key)
}

// groupKind is how a plain group key is served: as the field is, except that
// a boolean group's false is false.
func groupKind(f odoo.Field) scalarKind {
	switch f.Type {
	case "boolean":
		return kindBool
	case "integer":
		return kindInt
	case "float", "monetary":
		return kindFloat
	}
	return kindString
}

// aggValues plans the fields of a sum, avg, min or max selection.
func (e *Engine) aggValues(oc *graphql.OperationContext, m *odoo.Model, model string, cf graphql.CollectedField) ([]aggValue, error) {
	var out []aggValue
	for _, sub := range graphql.CollectFields(oc, cf.Selections, []string{cf.Definition.Type.Name()}) {
		if strings.HasPrefix(sub.Name, "__") {
			continue
		}
		f, ok := fieldOf(m, sub.Name)
		if !ok || sub.Definition == nil {
			return nil, badInput("field %q is not in the metadata of %s", sub.Name, model)
		}
		if err := e.checkDrift(model, sub.Name); err != nil {
			return nil, err
		}
		out = append(out, aggValue{fn: cf.Name, name: sub.Name, alias: sub.Name + "__" + cf.Name,
			kind: kindOfType(sub.Name, sub.Definition.Type), field: f})
	}
	return out, nil
}

// planGroups plans the selection of groups: aggregates, and the selections
// of many2one keys (every alias's, merged into one plan).
func (e *Engine) planGroups(oc *graphql.OperationContext, m *odoo.Model, model string, p *aggPlan, cf graphql.CollectedField) error {
	byKey := map[string]*groupSpec{}
	for _, k := range p.keys {
		byKey[k.key] = k
	}
	sels := map[string]ast.SelectionSet{}
	var typeNames = map[string]string{}
	for _, sub := range graphql.CollectFields(oc, cf.Selections, []string{cf.Definition.Type.Name()}) {
		switch {
		case aggFuncs[sub.Name]:
			vals, err := e.aggValues(oc, m, model, sub)
			if err != nil {
				return err
			}
			p.gvals = append(p.gvals, vals...)
		case byKey[sub.Name] != nil && byKey[sub.Name].field.Type == "many2one":
			sels[sub.Name] = append(sels[sub.Name], sub.Selections...)
			typeNames[sub.Name] = sub.Definition.Type.Name()
		}
	}
	for _, k := range p.keys {
		if k.field.Type != "many2one" {
			continue
		}
		if _, ok := sels[k.key]; !ok {
			continue
		}
		n, err := e.planObject(oc, k.field.Relation, typeNames[k.key], sels[k.key])
		if err != nil {
			return err
		}
		k.node = n
	}
	return nil
}

// groupOrder reads a groups orderBy: count, a group key, or an aggregate
// (amount_total_sum), each asked of read_group in its terms (__count, the
// key's field, the aggregate's alias, which the groups' read then asks for).
func (e *Engine) groupOrder(m *odoo.Model, p *aggPlan, orderBy []any) error {
	var terms, terms19 []string
	for i, item := range orderBy {
		om, ok := item.(map[string]any)
		if !ok {
			return badInput("orderBy[%d] must be an object", i)
		}
		var set []string
		for k, v := range om {
			if v != nil {
				set = append(set, k)
			}
		}
		if len(set) != 1 {
			return badInput("orderBy[%d] must set exactly one field, got %d", i, len(set))
		}
		key := set[0]
		dir := strings.ToLower(fmt.Sprint(om[key]))
		if dir != "asc" && dir != "desc" {
			return badInput("orderBy[%d].%s must be ASC or DESC", i, key)
		}
		term, term19 := "", ""
		if key == "count" {
			term, term19 = "__count", "__count"
		}
		for _, k := range p.keys {
			if k.key == key {
				term, term19 = k.field.Name, k.spec()
			}
		}
		if i := strings.LastIndexByte(key, '_'); term == "" && i > 0 && aggFuncs[key[i+1:]] {
			if f, ok := fieldOf(m, key[:i]); ok {
				v := aggValue{fn: key[i+1:], name: key[:i], alias: key[:i] + "__" + key[i+1:], field: f, kind: groupKind(f)}
				if v.fn == "avg" {
					v.kind = kindFloat
				}
				p.gvals = append(p.gvals, v)
				term, term19 = v.alias, v.spec19()
			}
		}
		if term == "" {
			return badInput("orderBy[%d]: cannot order groups by %q (not count, a key of groupBy or an aggregate)", i, key)
		}
		terms = append(terms, term+" "+dir)
		terms19 = append(terms19, term19+" "+dir)
	}
	p.order = strings.Join(terms, ", ")
	p.order19 = strings.Join(terms19, ", ")
	return nil
}

// uniqueValues sorts values by alias and drops repeats (a field selected
// under two aliases, or selected and ordered by).
func uniqueValues(vs []aggValue) []aggValue {
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].alias < vs[j].alias })
	out := vs[:0]
	for i, v := range vs {
		if i > 0 && v.alias == vs[i-1].alias {
			continue
		}
		out = append(out, v)
	}
	return out
}
