package engine

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"golang.org/x/sync/errgroup"

	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
)

// batch is the records of one plan node at one level, with the structs made
// for them (pointers, parallel to recs).
type batch struct {
	node *node
	recs []odoo.Record
	objs []reflect.Value
}

// list runs a list root field into conn, a pointer to a generated
// connection struct.
func (e *Engine) list(ctx context.Context, l *loaders.Loaders, model string, _ map[string]any, sel ast.SelectionSet, conn reflect.Value) error {
	oc := graphql.GetOperationContext(ctx)
	fc := graphql.GetFieldContext(ctx)
	args := fc.Field.ArgumentMap(oc.Variables)
	ct := conn.Elem().Type()
	info := e.structOf(ct)
	nodesIdx, okN := info.byJSON["nodes"]
	countIdx, okC := info.byJSON["totalCount"]
	if !okN || !okC {
		return fmt.Errorf("engine: %s is not a connection type", ct)
	}

	domain := expr{}
	if w, ok := args["where"].(map[string]any); ok {
		d, err := e.compileWhere(model, w, "")
		if err != nil {
			return err
		}
		domain = d
	}
	if raw, ok := args["domain"]; ok && raw != nil {
		d, err := e.parseDomain(model, raw)
		if err != nil {
			return err
		}
		domain = and(domain, d)
	}
	opt := odoo.SearchOptions{}
	if ob, ok := args["orderBy"].([]any); ok && len(ob) > 0 {
		order, err := compileOrder(e.model(model), ob)
		if err != nil {
			return err
		}
		opt.Order = order
	}
	limit := e.opt.DefaultLimit
	if v, ok := args["limit"]; ok && v != nil {
		n, err := e.checkLimit(v)
		if err != nil {
			return err
		}
		limit = n
	}
	if v, ok := args["offset"]; ok && v != nil {
		n, err := checkOffset(v)
		if err != nil {
			return err
		}
		opt.Offset = n
	}
	opt.Limit = limit

	var nodeSel ast.SelectionSet
	wantNodes, wantCount := false, false
	for _, cf := range graphql.CollectFields(oc, sel, []string{ct.Name()}) {
		switch cf.Name {
		case "nodes":
			wantNodes = true
			nodeSel = append(nodeSel, cf.Selections...)
		case "totalCount":
			wantCount = true
		}
	}
	nodesField := conn.Elem().Field(nodesIdx)
	nodesField.Set(reflect.MakeSlice(nodesField.Type(), 0, 0))

	g, gctx := errgroup.WithContext(ctx)
	if wantCount {
		g.Go(func() error {
			n, err := l.Session().SearchCount(gctx, model, domain)
			if err != nil {
				return err
			}
			conn.Elem().Field(countIdx).SetInt(int64(n))
			return nil
		})
	}
	if wantNodes && limit > 0 {
		g.Go(func() error {
			n, err := e.planObject(oc, model, nodesField.Type().Elem().Elem(), nodeSel)
			if err != nil {
				return err
			}
			recs, err := l.Session().SearchRead(gctx, model, domain, n.odooFields(), opt)
			if err != nil {
				return err
			}
			b := e.newBatch(n, recs)
			if err := e.run(gctx, l, []*batch{b}); err != nil {
				return err
			}
			nodes := reflect.MakeSlice(nodesField.Type(), len(b.objs), len(b.objs))
			for i, o := range b.objs {
				nodes.Index(i).Set(o)
			}
			nodesField.Set(nodes)
			return nil
		})
	}
	return g.Wait()
}

// fetchByIDs reads the records ids of the node's model, in the order of
// ids, skipping those Odoo does not return.
func (e *Engine) fetchByIDs(ctx context.Context, l *loaders.Loaders, n *node, ids []int) ([]reflect.Value, error) {
	recs, err := l.Session().Read(ctx, n.model, ids, n.odooFields())
	if err != nil {
		return nil, err
	}
	byID := make(map[int]odoo.Record, len(recs))
	for _, r := range recs {
		if id, ok := r.ID(); ok {
			byID[id] = r
		}
	}
	ordered := make([]odoo.Record, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			ordered = append(ordered, r)
		}
	}
	b := e.newBatch(n, ordered)
	if err := e.run(ctx, l, []*batch{b}); err != nil {
		return nil, err
	}
	return b.objs, nil
}

func (e *Engine) newBatch(n *node, recs []odoo.Record) *batch {
	b := &batch{node: n, recs: recs, objs: make([]reflect.Value, len(recs))}
	for i := range recs {
		b.objs[i] = reflect.New(n.typ)
	}
	return b
}

// relation is one relational plan field to resolve for the parents of a
// batch.
type relation struct {
	parent *batch
	pf     *planField
}

// readKey groups the plain reads of one level: one Odoo read per model.
type readReq struct {
	ids    []int
	seen   map[int]bool
	fields map[string]bool
	recs   map[int]odoo.Record
}

// run fills the batches' structs and resolves their relations level by
// level: every level costs one read per related model (plus one search per
// filtered, sorted or paginated x2many field), whatever the number of
// parent records.
func (e *Engine) run(ctx context.Context, l *loaders.Loaders, level []*batch) error {
	for len(level) > 0 {
		var rels []relation
		for _, b := range level {
			for i, rec := range b.recs {
				if err := e.fill(b.node, b.objs[i], rec); err != nil {
					return err
				}
			}
			for _, pf := range b.node.fields {
				if pf.sub != nil {
					rels = append(rels, relation{parent: b, pf: pf})
				}
			}
		}
		if len(rels) == 0 {
			return nil
		}

		// Plan this level's Odoo calls.
		reads := map[string]*readReq{}
		type search struct {
			rel  relation
			recs []odoo.Record
		}
		var searches []*search
		for _, r := range rels {
			ids := relIDs(r)
			if len(ids) == 0 {
				continue
			}
			if r.pf.hasArgs {
				searches = append(searches, &search{rel: r})
				continue
			}
			if !r.pf.sub.needsRead(r.pf.field.Type == "many2one") {
				continue
			}
			rq := reads[r.pf.sub.model]
			if rq == nil {
				rq = &readReq{seen: map[int]bool{}, fields: map[string]bool{}}
				reads[r.pf.sub.model] = rq
			}
			for _, id := range ids {
				if !rq.seen[id] {
					rq.seen[id] = true
					rq.ids = append(rq.ids, id)
				}
			}
			for _, f := range r.pf.sub.odooFields() {
				rq.fields[f] = true
			}
		}

		g, gctx := errgroup.WithContext(ctx)
		for model, rq := range reads {
			g.Go(func() error {
				recs, err := l.Session().Read(gctx, model, rq.ids, sortedKeys(rq.fields))
				if err != nil {
					return err
				}
				rq.recs = make(map[int]odoo.Record, len(recs))
				for _, rec := range recs {
					if id, ok := rec.ID(); ok {
						rq.recs[id] = rec
					}
				}
				return nil
			})
		}
		for _, s := range searches {
			g.Go(func() error {
				pf := s.rel.pf
				ids := relIDs(s.rel)
				list := make([]any, len(ids))
				for i, id := range ids {
					list[i] = id
				}
				domain := and(expr{[]any{"id", "in", list}}, pf.where)
				recs, err := l.Session().SearchRead(gctx, pf.sub.model, domain, pf.sub.odooFields(), odoo.SearchOptions{Order: pf.order})
				s.recs = recs
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
		searched := map[*planField]map[int]odoo.Record{}
		searchOrder := map[*planField]map[int]int{}
		for _, s := range searches {
			m := make(map[int]odoo.Record, len(s.recs))
			pos := make(map[int]int, len(s.recs))
			for i, rec := range s.recs {
				if id, ok := rec.ID(); ok {
					m[id] = rec
					pos[id] = i
				}
			}
			searched[s.rel.pf] = m
			searchOrder[s.rel.pf] = pos
		}

		// Hand the records to their parents and build the next level.
		var next []*batch
		for _, r := range rels {
			pf := r.pf
			var source map[int]odoo.Record
			switch {
			case pf.hasArgs:
				source = searched[pf]
			case reads[pf.sub.model] != nil && pf.sub.needsRead(pf.field.Type == "many2one"):
				source = reads[pf.sub.model].recs
			}
			child := &batch{node: pf.sub}
			made := map[int]reflect.Value{}
			obj := func(id int, rec odoo.Record) reflect.Value {
				if o, ok := made[id]; ok {
					return o
				}
				o := reflect.New(pf.sub.typ)
				made[id] = o
				child.recs = append(child.recs, rec)
				child.objs = append(child.objs, o)
				return o
			}
			for i, prec := range r.parent.recs {
				pobj := r.parent.objs[i]
				raw := prec[pf.name]
				if pf.field.Type == "many2one" {
					id, name, ok := odoo.Many2One(raw)
					if !ok {
						continue
					}
					rec := odoo.Record{"id": id, "display_name": name}
					if source != nil {
						full, found := source[id]
						if !found {
							continue // deleted or not visible: null
						}
						rec = full
						if _, has := rec["display_name"]; !has {
							rec["display_name"] = name
						}
					}
					pobj.Elem().Field(pf.index).Set(obj(id, rec))
					continue
				}
				ids := odoo.IDs(raw)
				if pf.hasArgs {
					pos := searchOrder[pf]
					kept := ids[:0:0]
					for _, id := range ids {
						if _, ok := pos[id]; ok {
							kept = append(kept, id)
						}
					}
					sortByPos(kept, pos)
					ids = page(kept, pf.offset, pf.limit)
				}
				list := reflect.MakeSlice(reflect.SliceOf(reflect.PointerTo(pf.sub.typ)), 0, len(ids))
				for _, id := range ids {
					rec := odoo.Record{"id": id}
					if source != nil {
						full, found := source[id]
						if !found {
							continue
						}
						rec = full
					}
					list = reflect.Append(list, obj(id, rec))
				}
				l.SetChildren(pobj.Interface(), pf.alias, list.Interface())
			}
			if len(child.recs) > 0 {
				next = append(next, child)
			}
		}
		level = next
	}
	return nil
}

// relIDs returns the distinct ids a relation of a batch points at.
func relIDs(r relation) []int {
	seen := map[int]bool{}
	var out []int
	for _, rec := range r.parent.recs {
		var ids []int
		if r.pf.field.Type == "many2one" {
			if id, _, ok := odoo.Many2One(rec[r.pf.name]); ok {
				ids = []int{id}
			}
		} else {
			ids = odoo.IDs(rec[r.pf.name])
		}
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

func sortByPos(ids []int, pos map[int]int) {
	// insertion sort: x2many lists are short
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && pos[ids[j]] < pos[ids[j-1]]; j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}

func page(ids []int, offset, limit int) []int {
	if offset >= len(ids) {
		return nil
	}
	ids = ids[offset:]
	if limit >= 0 && limit < len(ids) {
		ids = ids[:limit]
	}
	return ids
}

// fill sets the scalar fields of obj (a pointer to a generated struct) from
// an Odoo record.
func (e *Engine) fill(n *node, obj reflect.Value, rec odoo.Record) error {
	s := obj.Elem()
	for _, pf := range n.fields {
		if pf.sub != nil {
			continue
		}
		if err := setScalar(s.Field(pf.index), pf.field, rec[pf.name]); err != nil {
			return fmt.Errorf("engine: %s.%s: %w", n.model, pf.name, err)
		}
	}
	return nil
}

// setScalar stores an Odoo value in a Go field of gqlgen's generated type:
// string (ID), bool, *string (also enums), *int, *float64 or any (JSON).
// Odoo's False is null, except for booleans.
func setScalar(dst reflect.Value, f odoo.Field, raw any) error {
	if f.Name == "id" {
		id, ok := odoo.AsInt(raw)
		if !ok {
			return fmt.Errorf("id %v is not an integer", raw)
		}
		dst.SetString(strconv.Itoa(id))
		return nil
	}
	if dst.Kind() == reflect.Bool {
		b, _ := raw.(bool)
		dst.SetBool(b)
		return nil
	}
	if dst.Kind() == reflect.Interface {
		if raw == nil || raw == false {
			return nil
		}
		dst.Set(reflect.ValueOf(raw))
		return nil
	}
	if dst.Kind() != reflect.Pointer {
		return fmt.Errorf("unsupported Go type %s", dst.Type())
	}
	if raw == nil || raw == false {
		dst.Set(reflect.Zero(dst.Type()))
		return nil
	}
	v := reflect.New(dst.Type().Elem())
	switch v.Elem().Kind() {
	case reflect.String:
		s, ok := odoo.AsString(raw)
		if !ok {
			s = fmt.Sprint(raw)
		}
		switch f.Type {
		case "datetime":
			if t, err := odoo.ParseDateTime(s); err == nil {
				s = t.UTC().Format("2006-01-02T15:04:05Z")
			}
		case "selection":
			if s == "" {
				return nil
			}
		}
		v.Elem().SetString(s)
	case reflect.Int, reflect.Int64, reflect.Int32:
		i, ok := odoo.AsInt(raw)
		if !ok {
			return fmt.Errorf("%v is not an integer", raw)
		}
		v.Elem().SetInt(int64(i))
	case reflect.Float64, reflect.Float32:
		x, ok := odoo.AsFloat(raw)
		if !ok {
			return fmt.Errorf("%v is not a number", raw)
		}
		v.Elem().SetFloat(x)
	case reflect.Bool:
		b, _ := raw.(bool)
		v.Elem().SetBool(b)
	default:
		return fmt.Errorf("unsupported Go type %s", dst.Type())
	}
	dst.Set(v)
	return nil
}

var _ = strings.TrimSpace
