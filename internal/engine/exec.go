package engine

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"golang.org/x/sync/errgroup"

	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
)

// batch is the records of one plan node at one level, with the structs made
// for them (pointers, parallel to recs).
type batch struct {
	node *node
	out  output
	recs []odoo.Record
	objs []any
}

// listPlan is what a list root field asks for.
type listPlan struct {
	node      *node // nil when nodes is not selected
	domain    expr
	opt       odoo.SearchOptions
	wantCount bool
	count     int
	// counted: count is known before the read (last without before).
	counted bool
	page    pageSpec
}

// execute runs the plans of roots as one: level 0 (the root searches and
// reads), then every deeper level for all roots together. It fills each
// root's result or error and closes its done channel.
func (e *Engine) execute(ctx context.Context, l *loaders.Loaders, roots []*root) {
	defer func() {
		if p := recover(); p != nil {
			perr := &PanicError{Value: p, Stack: debug.Stack()}
			for _, r := range roots {
				if r.err == nil {
					r.err = perr
				}
				r.result = nil
			}
		}
		for _, r := range roots {
			close(r.done)
		}
	}()
	oc := graphql.GetOperationContext(ctx)
	nested := e.useNested(ctx)

	nodes := make([]*node, len(roots))
	lists := make([]*listPlan, len(roots))
	for i, r := range roots {
		var err error
		switch r.kind {
		case rootGet:
			nodes[i], err = e.planObject(oc, r.model, r.typeName(), r.field.Selections)
		case rootList:
			lists[i], err = e.planList(oc, r)
			if err == nil {
				nodes[i] = lists[i].node
			}
		}
		if err == nil && nodes[i] != nil && r.bind != nil {
			err = r.bind(nodes[i])
		}
		if err != nil {
			r.err = err
			continue
		}
		if nested && nodes[i] != nil {
			e.markPrefetch(nodes[i])
		}
	}

	all := make([]int, len(roots))
	for i := range roots {
		all[i] = i
	}
	level0 := make([]*batch, len(roots))
	e.fetch(ctx, l, roots, nodes, lists, level0, all, nested)

	// A root Odoo refused: drop the fields the user may not read, report
	// them, and fetch that root again with batched reads (which also leave
	// out records hidden by record rules, see loaders).
	if e.opt.Readable != nil {
		var retry []int
		for i, r := range roots {
			if kind, ok := odoo.KindOf(r.err); !ok || kind != odoo.KindAccess || nodes[i] == nil {
				continue
			}
			denied, err := e.prune(ctx, nodes[i])
			if err != nil {
				continue
			}
			for _, d := range denied {
				r.notes = append(r.notes, &Error{Code: CodeForbidden, Message: "you may not read " + d + "; it is null"})
			}
			if len(denied) > 0 || nested {
				r.err = nil
				retry = append(retry, i)
			}
		}
		if len(retry) > 0 {
			e.fetch(ctx, l, roots, nodes, lists, level0, retry, false)
		}
	}

	for i, r := range roots {
		if r.err != nil {
			continue
		}
		switch r.kind {
		case rootGet:
			if b := level0[i]; b != nil && len(b.objs) > 0 {
				r.result = b.objs[0]
			}
		case rootList:
			var objs []any
			if b := level0[i]; b != nil {
				objs = b.objs
			}
			r.result = r.out.connection(lists[i], objs)
		}
	}
	takeNotes(l, roots)
}

// takeNotes gives what the plan's shared reads noted (records hidden by
// record rules, values Odoo sent in a form the gateway cannot serve) to one
// root field, the same whatever the order the root fields arrived in: the
// first in the document without an error of its own (else the first).
// What a root's own retry noted (fields it may not read) is already its own.
func takeNotes(l *loaders.Loaders, roots []*root) {
	if len(roots) == 0 {
		return
	}
	before := func(a, b *root) bool {
		pa, pb := a.field.Position, b.field.Position
		if pa == nil || pb == nil {
			return pb == nil && pa != nil
		}
		if pa.Line != pb.Line {
			return pa.Line < pb.Line
		}
		return pa.Column < pb.Column
	}
	var first *root
	for _, r := range roots {
		switch {
		case first == nil,
			(first.err != nil) && r.err == nil,
			(first.err == nil) == (r.err == nil) && before(r, first):
			first = r
		}
	}
	for _, d := range l.TakeDenials() {
		first.notes = append(first.notes, &Error{Code: CodeForbidden, Message: d})
	}
	for _, d := range l.TakeInvalid() {
		first.notes = append(first.notes, &Error{Code: CodeInternal, Message: d})
	}
}

// fetch runs level 0 of the roots idx (their searches and reads), then
// every deeper level for all of them together.
func (e *Engine) fetch(ctx context.Context, l *loaders.Loaders, roots []*root, nodes []*node, lists []*listPlan, level0 []*batch, idx []int, nested bool) {
	if !nested {
		for _, i := range idx {
			if nodes[i] != nil {
				unmarkNode(nodes[i])
			}
		}
	}
	var wg sync.WaitGroup
	var getRoots []int
	for _, i := range idx {
		r := roots[i]
		if r.err != nil {
			continue
		}
		if r.kind == rootGet {
			getRoots = append(getRoots, i)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.err = protect(func() error {
				var err error
				level0[i], err = e.listLevel0(ctx, l, r.out, r.model, lists[i], nested)
				return err
			})
		}()
	}
	if len(getRoots) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := protect(func() error { e.getLevel0(ctx, l, roots, nodes, getRoots, level0, nested); return nil }); err != nil {
				for _, i := range getRoots {
					roots[i].err = err
				}
			}
		}()
	}
	wg.Wait()

	var batches []*batch
	for _, i := range idx {
		if roots[i].err == nil && level0[i] != nil {
			batches = append(batches, level0[i])
		}
	}
	if err := e.run(ctx, l, batches); err != nil {
		for _, i := range idx {
			if roots[i].err == nil && level0[i] != nil {
				roots[i].err = err
			}
		}
	}
}

// unmarkNode takes back every prefetch mark of a plan (for batched reads).
func unmarkNode(n *node) {
	for _, pf := range n.fields {
		unmarkPrefetch(pf)
	}
}

// prune removes from a plan the fields its user may not read, and returns
// them as model.field.
func (e *Engine) prune(ctx context.Context, n *node) ([]string, error) {
	readable, err := e.opt.Readable(ctx, n.model)
	if err != nil {
		return nil, err
	}
	var denied []string
	kept := n.fields[:0:0]
	for _, pf := range n.fields {
		if pf.name != "id" && !readable[pf.name] {
			denied = append(denied, n.model+"."+pf.name)
			continue
		}
		kept = append(kept, pf)
		if pf.sub != nil {
			d, err := e.prune(ctx, pf.sub)
			if err != nil {
				return nil, err
			}
			denied = append(denied, d...)
		}
	}
	n.fields = kept
	n.reindex()
	return denied, nil
}

// planList reads a list root field's arguments and selection.
func (e *Engine) planList(oc *graphql.OperationContext, r *root) (*listPlan, error) {
	if err := e.checkDrift(r.model, ""); err != nil {
		return nil, err
	}
	args := r.field.ArgumentMap(oc.Variables)
	p := &listPlan{domain: expr{}}
	if w, ok := args["where"].(map[string]any); ok {
		d, err := e.compileWhere(r.model, w, "")
		if err != nil {
			return nil, err
		}
		p.domain = d
	}
	if raw, ok := args["domain"]; ok && raw != nil {
		d, err := e.parseDomain(r.model, raw)
		if err != nil {
			return nil, err
		}
		p.domain = and(p.domain, d)
	}
	if ob, ok := args["orderBy"].([]any); ok && len(ob) > 0 {
		order, err := compileOrder(e.model(r.model), ob)
		if err != nil {
			return nil, err
		}
		p.opt.Order = order
	}
	p.opt.Limit = e.opt.DefaultLimit
	if v, ok := args["limit"]; ok && v != nil {
		n, err := e.checkLimit(v)
		if err != nil {
			return nil, err
		}
		p.opt.Limit = n
	}
	if v, ok := args["offset"]; ok && v != nil {
		n, err := checkOffset(v)
		if err != nil {
			return nil, err
		}
		p.opt.Offset = n
	}
	if err := e.relayArgs(p, args); err != nil {
		return nil, err
	}
	for _, cf := range graphql.CollectFields(oc, r.field.Selections, []string{r.field.Definition.Type.Name()}) {
		if cf.Name == "totalCount" {
			p.wantCount = true
		}
	}
	nodeSel, nodeType, wantNodes, relay, err := connectionNodes(oc, r.field)
	if err != nil {
		return nil, err
	}
	p.page.relay = relay
	if relay && nodeType == "" {
		// pageInfo or edges { cursor } alone: the records' positions,
		// read with no field (the type is the connection's, less its
		// suffix: the generator names them so).
		nodeType = strings.TrimSuffix(r.field.Definition.Type.Name(), "Connection")
	}
	if (wantNodes || relay) && (p.opt.Limit > 0 || p.page.lastOnly) {
		n, err := e.planObject(oc, r.model, nodeType, nodeSel)
		if err != nil {
			return nil, err
		}
		p.node = n
	}
	return p, nil
}

// listLevel0 runs a list root's search: search_read (and search_count when
// totalCount is asked for), or one web_search_read with the nested strategy.
func (e *Engine) listLevel0(ctx context.Context, l *loaders.Loaders, out output, model string, p *listPlan, nested bool) (*batch, error) {
	s := l.Odoo(ctx)
	if p.page.lastOnly {
		// last without before: the page ends with the list.
		n, err := s.SearchCount(ctx, model, p.domain)
		if err != nil {
			return nil, err
		}
		p.count, p.counted = n, true
		off := max(p.page.start, n-p.page.lastN)
		p.opt.Offset, p.opt.Limit = off, max(0, n-off)
		if p.opt.Limit == 0 {
			return nil, nil
		}
	}
	// A Relay page reads one record more, to tell whether another follows
	// (unless before bounds it, or the list's length is known).
	extra := p.page.relay && p.page.before < 0 && !p.counted && p.node != nil
	trim := func(recs []odoo.Record) []odoo.Record {
		if extra && len(recs) > p.opt.Limit {
			p.page.hasNext = true
			return recs[:p.opt.Limit]
		}
		return recs
	}
	if p.counted {
		p.page.hasNext = p.opt.Offset+p.opt.Limit < p.count
	}
	wantCount := p.wantCount && !p.counted
	if p.node == nil {
		if wantCount {
			n, err := s.SearchCount(ctx, model, p.domain)
			p.count = n
			return nil, err
		}
		return nil, nil
	}
	if nested {
		opt := p.opt
		if extra {
			opt.Limit++
		}
		if !wantCount {
			// Odoo counts only when the page is full and count_limit is not
			// reached: a count_limit of offset+limit skips the count.
			opt.CountLimit = opt.Offset + opt.Limit
		}
		res, err := s.WebSearchRead(ctx, model, p.domain, e.spec(p.node), opt)
		if err != nil {
			return nil, err
		}
		if !p.counted {
			p.count = res.Length
		}
		if wantCount && len(res.Records) == 0 && p.opt.Offset > 0 {
			// Odoo answers length 0 for a page past the end.
			if p.count, err = s.SearchCount(ctx, model, p.domain); err != nil {
				return nil, err
			}
		}
		return newBatch(out, p.node, trim(res.Records)), nil
	}
	g, gctx := errgroup.WithContext(ctx)
	if wantCount {
		g.Go(func() error {
			return protect(func() error {
				n, err := s.SearchCount(gctx, model, p.domain)
				p.count = n
				return err
			})
		})
	}
	var recs []odoo.Record
	g.Go(func() error {
		return protect(func() error {
			var err error
			opt := p.opt
			if extra {
				opt.Limit++
			}
			recs, err = s.SearchRead(gctx, model, p.domain, p.node.odooFields(), opt)
			return err
		})
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return newBatch(out, p.node, trim(recs)), nil
}

// getLevel0 reads the records of by-id root fields: with batched reads, all
// of them through the record loader (one read per model); with the nested
// strategy, one web_read per model and specification.
func (e *Engine) getLevel0(ctx context.Context, l *loaders.Loaders, roots []*root, nodes []*node, idx []int, out []*batch, nested bool) {
	if !nested {
		reqs := make([]loaders.ReadRequest, 0, len(idx))
		for _, i := range idx {
			reqs = append(reqs, loaders.ReadRequest{Model: roots[i].model, IDs: []int{roots[i].id}, Fields: nodes[i].odooFields()})
		}
		got, err := l.Records(ctx, reqs)
		for _, i := range idx {
			if err != nil {
				roots[i].err = err
				continue
			}
			var recs []odoo.Record
			if rec, ok := got[roots[i].model][roots[i].id]; ok {
				recs = append(recs, rec)
			}
			out[i] = newBatch(roots[i].out, nodes[i], recs)
		}
		return
	}
	type group struct {
		model string
		spec  odoo.Spec
		ids   []int
		roots []int
		recs  map[int]odoo.Record
		err   error
	}
	groups := map[string]*group{}
	var order []string
	for _, i := range idx {
		spec := e.rootSpec(nodes[i])
		b, _ := json.Marshal(spec)
		key := roots[i].model + " " + string(b)
		g := groups[key]
		if g == nil {
			g = &group{model: roots[i].model, spec: spec}
			groups[key] = g
			order = append(order, key)
		}
		g.ids = append(g.ids, roots[i].id)
		g.roots = append(g.roots, i)
	}
	var wg sync.WaitGroup
	for _, key := range order {
		g := groups[key]
		wg.Add(1)
		go func() {
			defer wg.Done()
			var recs []odoo.Record
			err := protect(func() error {
				var err error
				recs, err = l.Odoo(ctx).WebRead(ctx, g.model, uniqueInts(g.ids), g.spec)
				return err
			})
			g.err = err
			g.recs = map[int]odoo.Record{}
			for _, r := range recs {
				if id, ok := r.ID(); ok {
					g.recs[id] = r
				}
			}
		}()
	}
	wg.Wait()
	for _, key := range order {
		g := groups[key]
		for _, i := range g.roots {
			if g.err != nil {
				roots[i].err = g.err
				continue
			}
			var recs []odoo.Record
			if rec, ok := g.recs[roots[i].id]; ok {
				recs = append(recs, rec)
			}
			out[i] = newBatch(roots[i].out, nodes[i], recs)
		}
	}
}

// readIDs reads records of n's model by id, in the order of ids, for the
// read-back of mutations.
func (e *Engine) readIDs(ctx context.Context, l *loaders.Loaders, out output, n *node, ids []int) ([]any, error) {
	var recs []odoo.Record
	if e.useNested(ctx) {
		e.markPrefetch(n)
		got, err := l.Odoo(ctx).WebRead(ctx, n.model, ids, e.rootSpec(n))
		if err != nil {
			return nil, err
		}
		recs = got
	} else {
		got, err := l.Records(ctx, []loaders.ReadRequest{{Model: n.model, IDs: ids, Fields: n.odooFields()}})
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if r, ok := got[n.model][id]; ok {
				recs = append(recs, r)
			}
		}
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
	b := newBatch(out, n, ordered)
	if err := e.run(ctx, l, []*batch{b}); err != nil {
		return nil, err
	}
	return b.objs, nil
}

func newBatch(out output, n *node, recs []odoo.Record) *batch {
	b := &batch{node: n, out: out, recs: recs}
	if lo, ok := out.(liveOutput); ok {
		b.objs = lo.objects(n, len(recs))
		return b
	}
	b.objs = make([]any, len(recs))
	for i := range recs {
		b.objs[i] = out.object(n)
	}
	return b
}

// markPrefetch decides, for the nested strategy, which relations of the plan
// Odoo's specification fetches in the same call: every many2one, and every
// x2many whose arguments a specification can express (limit and order, but
// not where or offset). spec may still take the mark back from a field
// selected under several aliases whose arguments conflict.
func (e *Engine) markPrefetch(n *node) {
	for _, pf := range n.fields {
		if pf.sub == nil {
			continue
		}
		pf.prefetched = pf.field.Type == "many2one" || (len(pf.where) == 0 && pf.offset == 0)
		if pf.prefetched {
			e.markPrefetch(pf.sub)
		}
	}
}

// rootSpec is spec for records read by id. Odoo's web_read answers {id} for
// any id, existing or not, when the specification is empty; asking for
// display_name makes it read, so missing records are left out.
func (e *Engine) rootSpec(n *node) odoo.Spec {
	s := e.spec(n)
	if len(s) == 0 {
		s["display_name"] = odoo.SpecField{}
	}
	return s
}

// spec turns a plan node into an Odoo 17+ specification. A relation
// selected under several aliases is fetched once with the union of their
// sub-selections when their limit and order agree; when they conflict, it is
// fetched as ids and resolved with batched reads.
func (e *Engine) spec(n *node) odoo.Spec {
	s := odoo.Spec{}
	groups := map[string][]*planField{}
	var names []string
	for _, pf := range n.fields {
		if pf.name == "id" {
			continue
		}
		if _, seen := groups[pf.name]; !seen {
			names = append(names, pf.name)
		}
		groups[pf.name] = append(groups[pf.name], pf)
	}
	for _, name := range names {
		pfs := groups[name]
		if pfs[0].sub == nil {
			s[name] = odoo.SpecField{}
			continue
		}
		var merged odoo.SpecField
		ok := true
		for i, pf := range pfs {
			if !pf.prefetched {
				ok = false
				break
			}
			sf := odoo.SpecField{Fields: e.spec(pf.sub)}
			if pf.field.IsX2Many() {
				if pf.limit >= 0 {
					sf.Limit = pf.limit
				}
				sf.Order = pf.order
			}
			if i == 0 {
				merged = sf
				continue
			}
			if merged, ok = mergeSpecField(merged, sf); !ok {
				break
			}
		}
		if !ok {
			for _, pf := range pfs {
				unmarkPrefetch(pf)
			}
			s[name] = odoo.SpecField{}
			continue
		}
		s[name] = merged
	}
	return s
}

// unmarkPrefetch takes back the prefetch mark of pf and of every relation
// below it: their records now come from batched reads.
func unmarkPrefetch(pf *planField) {
	pf.prefetched = false
	if pf.sub != nil {
		for _, f := range pf.sub.fields {
			unmarkPrefetch(f)
		}
	}
}

// mergeSpecField unions two sub-specifications of the same field; they
// conflict when their limit, order or the sub-specification of a field in
// both differ in those.
func mergeSpecField(a, b odoo.SpecField) (odoo.SpecField, bool) {
	if a.Limit != b.Limit || a.Order != b.Order {
		return a, false
	}
	out := odoo.SpecField{Limit: a.Limit, Order: a.Order, Fields: odoo.Spec{}}
	for k, v := range a.Fields {
		out.Fields[k] = v
	}
	for k, v := range b.Fields {
		if prev, ok := out.Fields[k]; ok {
			m, ok := mergeSpecField(prev, v)
			if !ok {
				return a, false
			}
			out.Fields[k] = m
			continue
		}
		out.Fields[k] = v
	}
	return out, true
}

// relation is one relational plan field to resolve for the parents of a
// batch.
type relation struct {
	parent *batch
	pf     *planField
}

// run fills the batches' structs and resolves their relations level by
// level. Relations the nested strategy fetched already cost nothing; the
// others cost, per level, one read per related model (through the request's
// record loader, for all batches together) plus one search per filtered or
// offset x2many field, whatever the number of parent records. A level's
// scalar fields are filled while its calls are in flight; the next level's
// calls start, when its records are known from the reads alone
// (nextLevel), before this level's relations are attached; and a large live
// level attaches its relations concurrently (concurrentLevel).
func (e *Engine) run(ctx context.Context, l *loaders.Loaders, level []*batch) error {
	// Calls started ahead are cancelled, and waited for, if the level
	// before them fails.
	ctx, cancel := context.WithCancel(ctx)
	var started []*levelCalls
	defer func() {
		cancel()
		for _, c := range started {
			c.g.Wait() //nolint:errcheck // reported by the loop, or moot
		}
	}()
	start := func(level []*batch) *levelCalls {
		c := e.startCalls(ctx, l, level)
		started = append(started, c)
		if c.started {
			// Let the calls reach Odoo before the fill and the attaches
			// take the processors.
			runtime.Gosched()
		}
		return c
	}
	calls := start(level)
	for len(level) > 0 {
		rels := relationsOf(level)
		// The level's scalar fields are filled while its Odoo calls are in
		// flight: they only read the level's records, the calls only their
		// ids.
		fill := func() error {
			for _, b := range level {
				for i, rec := range b.recs {
					if err := e.fill(l, b.out, b.node, b.objs[i], rec); err != nil {
						return err
					}
				}
			}
			return nil
		}
		if len(rels) == 0 {
			return fill()
		}
		// Without calls in flight, the fill goes beside the attaches below.
		var fillErr error
		if calls.started {
			fillErr, fill = fill(), nil
		}
		if err := calls.g.Wait(); err != nil {
			return err
		}
		if fillErr != nil {
			return fillErr
		}
		read := calls.read
		searched := map[*planField]map[int]odoo.Record{}
		searchPos := map[*planField]map[int]int{}
		for _, s := range calls.searches {
			m := make(map[int]odoo.Record, len(s.recs))
			pos := make(map[int]int, len(s.recs))
			for i, rec := range s.recs {
				if id, ok := rec.ID(); ok {
					m[id] = rec
					pos[id] = i
				}
			}
			searched[s.rel.pf] = m
			searchPos[s.rel.pf] = pos
		}
		var next *levelCalls
		if ahead, ok := nextLevel(calls, read); ok {
			next = start(ahead)
		}

		// Hand the records to their parents and build the next level.
		children := make([]*batch, len(rels))
		attach := func(i int) {
			children[i] = e.attach(l, rels[i], read, searched[rels[i].pf], searchPos[rels[i].pf])
		}
		if concurrentLevel(rels) {
			var cg errgroup.Group
			if fill != nil {
				cg.Go(func() error { return protect(fill) })
			}
			for i := range rels {
				cg.Go(func() error { return protect(func() error { attach(i); return nil }) })
			}
			if err := cg.Wait(); err != nil {
				return err
			}
		} else {
			if fill != nil {
				if err := fill(); err != nil {
					return err
				}
			}
			for i := range rels {
				attach(i)
			}
		}
		level = slices.DeleteFunc(children, func(b *batch) bool { return b == nil })
		if next == nil {
			next = start(level)
		}
		calls = next
	}
	return nil
}

// relationsOf lists the relation fields of a level's batches, batch by
// batch, each in its plan's order.
func relationsOf(level []*batch) []relation {
	var rels []relation
	for _, b := range level {
		for _, pf := range b.node.fields {
			if pf.sub != nil {
				rels = append(rels, relation{parent: b, pf: pf})
			}
		}
	}
	return rels
}

// levelCalls is a level's Odoo calls, in flight until g.Wait returns: one
// read per related model (read, by model then id) and one search per
// filtered or offset x2many relation.
type levelCalls struct {
	g        *errgroup.Group
	started  bool // some call was started
	rels     []relation
	ids      [][]int // per relation: the distinct ids it points at
	read     map[string]map[int]odoo.Record
	searches []*levelSearch
}

// levelSearch is the search of one relation and, once done, its records.
type levelSearch struct {
	rel  relation
	ids  []int
	recs []odoo.Record
}

// startCalls starts the Odoo calls that resolve the relations of level's
// batches (only their nodes and records are read).
func (e *Engine) startCalls(ctx context.Context, l *loaders.Loaders, level []*batch) *levelCalls {
	c := &levelCalls{rels: relationsOf(level)}
	c.g, ctx = errgroup.WithContext(ctx)
	c.ids = make([][]int, len(c.rels))
	readFields := map[string]map[string]bool{}
	readIDs := map[string][]int{}
	readSeen := map[string]map[int]bool{}
	// A large level's relations have their ids collected each in a
	// goroutine of its own: that only reads records, whatever the output.
	var wg sync.WaitGroup
	large := largeLevel(c.rels)
	for i, r := range c.rels {
		switch {
		case r.pf.prefetched:
		case large:
			wg.Go(func() { c.ids[i] = relIDs(r) })
		default:
			c.ids[i] = relIDs(r)
		}
	}
	wg.Wait()
	for i, r := range c.rels {
		if r.pf.prefetched {
			continue
		}
		ids := c.ids[i]
		if len(ids) == 0 {
			continue
		}
		if r.pf.hasArgs {
			c.searches = append(c.searches, &levelSearch{rel: r, ids: ids})
			continue
		}
		if !r.pf.sub.needsRead(r.pf.field.Type == "many2one") {
			continue
		}
		m := r.pf.sub.model
		if readFields[m] == nil {
			readFields[m] = map[string]bool{}
			readSeen[m] = map[int]bool{}
		}
		seen := readSeen[m]
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				readIDs[m] = append(readIDs[m], id)
			}
		}
		for _, f := range r.pf.sub.odooFields() {
			readFields[m][f] = true
		}
	}
	if len(readIDs) > 0 {
		reqs := make([]loaders.ReadRequest, 0, len(readIDs))
		for _, m := range sortedKeys(readIDs) {
			reqs = append(reqs, loaders.ReadRequest{Model: m, IDs: readIDs[m], Fields: sortedKeys(readFields[m])})
		}
		c.started = true
		c.g.Go(func() error {
			return protect(func() error {
				var err error
				c.read, err = l.Records(ctx, reqs)
				return err
			})
		})
	}
	for _, s := range c.searches {
		c.started = true
		c.g.Go(func() error {
			return protect(func() error {
				pf := s.rel.pf
				list := make([]any, len(s.ids))
				for i, id := range s.ids {
					list[i] = id
				}
				domain := and(expr{[]any{"id", "in", list}}, pf.where)
				recs, err := l.Odoo(ctx).SearchRead(ctx, pf.sub.model, domain, pf.sub.odooFields(), odoo.SearchOptions{Order: pf.order})
				s.recs = recs
				return err
			})
		})
	}
	return c
}

// nextLevel returns the batches of the level after the one of calls, with
// their records but no objects yet, when the reads alone tell them: every
// relation whose records have relations of their own was read by id (not
// prefetched, not searched), so its records are the ones read for the ids
// it points at, in the order attach makes them. The next level's calls
// need nothing more. Relations without sub-relations are left out: they
// make no calls.
func nextLevel(c *levelCalls, read map[string]map[int]odoo.Record) ([]*batch, bool) {
	var out []*batch
	for i, r := range c.rels {
		pf := r.pf
		if !slices.ContainsFunc(pf.sub.fields, func(f *planField) bool { return f.sub != nil }) {
			continue
		}
		if pf.prefetched || pf.hasArgs {
			return nil, false
		}
		source := read[pf.sub.model]
		b := &batch{node: pf.sub, recs: make([]odoo.Record, 0, len(c.ids[i]))}
		for _, id := range c.ids[i] {
			if rec := source[id]; rec != nil {
				b.recs = append(b.recs, rec)
			}
		}
		out = append(out, b)
	}
	return out, true
}

// concurrentLevelRecords is the number of parent records from which a
// level's relations are attached concurrently.
const concurrentLevelRecords = 256

// concurrentLevel tells whether the relations of a level may be attached
// concurrently, each by a goroutine of its own, beside the level's fill: for
// the live output, where each relation sets its own slot of the parents'
// objects and the fill only the scalar slots, and for a level large enough
// to be worth the goroutines. (The compiled output's structs share a
// many2one's object between its aliases: they stay sequential.)
func concurrentLevel(rels []relation) bool {
	for _, r := range rels {
		if _, live := r.parent.out.(liveOutput); !live {
			return false
		}
	}
	return largeLevel(rels)
}

// largeLevel tells whether a level has a batch of concurrentLevelRecords
// records or more: enough for its relations to be worth a goroutine each.
func largeLevel(rels []relation) bool {
	for _, r := range rels {
		if len(r.parent.recs) >= concurrentLevelRecords {
			return true
		}
	}
	return false
}

// attach sets relation r on every parent of its batch and returns the batch
// of related records for the next level.
func (e *Engine) attach(l *loaders.Loaders, r relation, read map[string]map[int]odoo.Record, searched map[int]odoo.Record, pos map[int]int) *batch {
	pf := r.pf
	var source map[int]odoo.Record
	switch {
	case pf.prefetched:
	case pf.hasArgs:
		source = searched
	case pf.sub.needsRead(pf.field.Type == "many2one"):
		source = read[pf.sub.model]
	}
	out := r.parent.out
	child := &batch{node: pf.sub, out: out}
	made := make(map[int]any, min(len(r.parent.recs), 1024))
	obj := func(id int, rec odoo.Record) any {
		if o, ok := made[id]; ok {
			return o
		}
		o := out.object(pf.sub)
		made[id] = o
		child.recs = append(child.recs, rec)
		child.objs = append(child.objs, o)
		return o
	}
	// A many2one's name completes its record only when the plan reads it.
	needName := false
	for _, f := range pf.sub.fields {
		needName = needName || f.name == "display_name"
	}
	for i, prec := range r.parent.recs {
		pobj := r.parent.objs[i]
		raw := prec[pf.name]
		if pf.field.Type == "many2one" {
			id, name, ok := odoo.Many2One(raw)
			if !ok {
				continue
			}
			var full odoo.Record
			if pf.prefetched || source == nil {
				full, _ = raw.(odoo.Record)
				if full == nil {
					full = odoo.Record{"id": id, "display_name": name}
				}
			} else if full = source[id]; full == nil {
				continue // deleted or not visible: null
			}
			if _, has := full["display_name"]; !has && name != "" && needName {
				// Records may be shared with the cache: copy, never mutate.
				cp := make(odoo.Record, len(full)+1)
				for k, v := range full {
					cp[k] = v
				}
				cp["display_name"] = name
				full = cp
			}
			out.one(pobj, pf, obj(id, full))
			continue
		}
		if pf.prefetched { // the records themselves
			items, _ := raw.([]any)
			list := make([]any, 0, len(items))
			n := 0 // records seen
			for _, it := range items {
				rec, ok := it.(odoo.Record)
				if !ok {
					continue
				}
				if n++; pf.limit >= 0 && n > pf.limit {
					break // Odoo returns {id} past a sub-limit
				}
				if id, ok := rec.ID(); ok {
					list = append(list, obj(id, rec))
				}
			}
			out.many(l, pobj, pf, list)
		} else {
			ids := odoo.IDs(raw)
			if pf.hasArgs {
				kept := ids[:0:0]
				for _, id := range ids {
					if _, ok := pos[id]; ok {
						kept = append(kept, id)
					}
				}
				sortByPos(kept, pos)
				ids = page(kept, pf.offset, pf.limit)
			}
			list := make([]any, 0, len(ids))
			for _, id := range ids {
				full := odoo.Record(nil)
				if source == nil {
					full = odoo.Record{"id": id}
				} else if full = source[id]; full == nil {
					continue // deleted or not visible
				}
				list = append(list, obj(id, full))
			}
			out.many(l, pobj, pf, list)
		}
	}
	if len(child.recs) == 0 {
		return nil
	}
	return child
}

// relIDs returns the distinct ids a relation of a batch points at.
func relIDs(r relation) []int {
	seen := make(map[int]struct{}, min(len(r.parent.recs), 1024))
	var out []int
	add := func(id int) {
		if _, ok := seen[id]; !ok {
			seen[id] = struct{}{}
			out = append(out, id)
		}
	}
	for _, rec := range r.parent.recs {
		if r.pf.field.Type == "many2one" {
			if id, _, ok := odoo.Many2One(rec[r.pf.name]); ok {
				add(id)
			}
			continue
		}
		for _, id := range odoo.IDs(rec[r.pf.name]) {
			add(id)
		}
	}
	return out
}

func uniqueInts(ids []int) []int {
	seen := map[int]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// sortByPos sorts ids by their position in pos, stably.
func sortByPos(ids []int, pos map[int]int) {
	slices.SortStableFunc(ids, func(a, b int) int { return cmp.Compare(pos[a], pos[b]) })
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

// fill sets the scalar fields of obj from an Odoo record. A value of a form
// the gateway cannot read (a datetime Odoo sent in no known layout) leaves
// that field null and is reported through l as an error naming the field and
// the record; the rest of the record is served.
func (e *Engine) fill(l *loaders.Loaders, out output, n *node, obj any, rec odoo.Record) error {
	for _, pf := range n.fields {
		if pf.sub != nil {
			continue
		}
		if pf.kind == kindNodeID {
			id, ok := rec.ID()
			if !ok {
				return fmt.Errorf("engine: %s record without an id", n.model)
			}
			out.scalar(obj, pf, NodeID(n.model, id))
			continue
		}
		v, err := convertScalar(pf.kind, pf.field, rec[pf.name])
		var bad *badValueError
		if errors.As(err, &bad) {
			id, _ := rec.ID()
			l.Invalid(fmt.Sprintf("Odoo sent %s.%s of record %d as %q, which is not %s; it is null", n.model, pf.name, id, bad.raw, bad.want))
			out.scalar(obj, pf, nil)
			continue
		}
		if err != nil {
			return fmt.Errorf("engine: %s.%s: %w", n.model, pf.name, err)
		}
		out.scalar(obj, pf, v)
	}
	return nil
}
