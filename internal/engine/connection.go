package engine

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Relay connections. A list root field pages with limit/offset or with
// Relay's first/after and last/before; either way its connection offers
// nodes and edges (the same records) and pageInfo. A cursor is the
// record's position in the list as filtered and sorted (offset cursors), so
// a page costs the same one read as a limit/offset page: the read asks for
// one record more than the page to tell whether another page follows.
// last without before needs the list's length first: one count more.

// pageSpec is where a list root's page is, and what its connection selects.
type pageSpec struct {
	// relay: edges or pageInfo are selected: the read asks for one record
	// more than the page (hasNext) unless before bounds the page.
	relay bool
	// lastN: last without before: the page's offset is known only after a
	// count (count - lastN, not before after's position).
	lastN    int
	lastOnly bool
	start    int // after's position + 1: the first position last may take
	// before is before's position (-1: none).
	before int

	hasNext bool
}

// Cursor returns the cursor of the record at position pos of a list.
func Cursor(pos int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("cursor," + strconv.Itoa(pos)))
}

// parseCursor returns the position a cursor names.
func parseCursor(arg string, v any) (int, error) {
	s, _ := v.(string)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	pos, ok := strings.CutPrefix(string(raw), "cursor,")
	n, aerr := strconv.Atoi(pos)
	if err != nil || !ok || aerr != nil || n < 0 || strconv.Itoa(n) != pos {
		return 0, badInput("%s: %q is not a cursor of this API (read one from edges.cursor or pageInfo)", arg, s)
	}
	return n, nil
}

// checkPageSize reads first or last: not negative, at most the maximum page.
func (e *Engine) checkPageSize(arg string, v any) (int, error) {
	n, err := toInt(v)
	if err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, badInput("%s must not be negative, got %d", arg, n)
	}
	if n > e.opt.MaxLimit {
		return 0, badInput("%s %d exceeds the maximum of %d (ODOOGQL_MAX_LIMIT)", arg, n, e.opt.MaxLimit)
	}
	return n, nil
}

// relayArgs applies first/after/last/before to p's offset and limit.
func (e *Engine) relayArgs(p *listPlan, args map[string]any) error {
	set := func(name string) bool { v, ok := args[name]; return ok && v != nil }
	relay := set("first") || set("after") || set("last") || set("before")
	if !relay {
		return nil
	}
	if set("limit") || set("offset") {
		return badInput("first/after/last/before and limit/offset are two ways to page: use one")
	}
	if set("first") && set("last") {
		return badInput("first and last cannot be used together")
	}
	pg := &p.page
	pg.before = -1
	if set("after") {
		n, err := parseCursor("after", args["after"])
		if err != nil {
			return err
		}
		pg.start = n + 1
	}
	if set("before") {
		n, err := parseCursor("before", args["before"])
		if err != nil {
			return err
		}
		pg.before = n
	}
	end := pg.before
	if set("last") {
		n, err := e.checkPageSize("last", args["last"])
		if err != nil {
			return err
		}
		if end < 0 {
			// The page ends with the list: its offset needs its length.
			pg.lastOnly, pg.lastN = true, n
			return nil
		}
		off := max(pg.start, end-n)
		p.opt.Offset, p.opt.Limit = off, max(0, end-off)
		return nil
	}
	n := e.opt.DefaultLimit
	if set("first") {
		var err error
		if n, err = e.checkPageSize("first", args["first"]); err != nil {
			return err
		}
	}
	p.opt.Offset, p.opt.Limit = pg.start, n
	if end >= 0 && pg.start+n > end {
		p.opt.Limit = max(0, end-pg.start)
	}
	return nil
}

// connectionNodes collects what a connection selects of its records: the
// selections of nodes and of edges { node }, merged (they are the same
// records), and whether edges or pageInfo are selected. A response key
// selected under both with different fields is an error: the records are
// fetched once, as one selection.
func connectionNodes(oc *graphql.OperationContext, conn graphql.CollectedField) (sel ast.SelectionSet, nodeType string, nodes, relay bool, err error) {
	var fromNodes, fromEdges ast.SelectionSet
	for _, cf := range graphql.CollectFields(oc, conn.Selections, []string{conn.Definition.Type.Name()}) {
		switch cf.Name {
		case "nodes":
			nodes = true
			nodeType = cf.Definition.Type.Name()
			fromNodes = append(fromNodes, cf.Selections...)
		case "edges":
			relay = true
			for _, ef := range graphql.CollectFields(oc, cf.Selections, []string{cf.Definition.Type.Name()}) {
				if ef.Name == "node" {
					nodes = true
					nodeType = ef.Definition.Type.Name()
					fromEdges = append(fromEdges, ef.Selections...)
				}
			}
		case "pageInfo":
			relay = true
		}
	}
	if len(fromNodes) > 0 && len(fromEdges) > 0 {
		if key := selectionConflict(oc, nodeType, fromNodes, fromEdges); key != "" {
			return nil, "", false, false, badInput("nodes and edges.node select different fields as %q: the records are read once; give one of them another alias", key)
		}
	}
	return append(fromNodes, fromEdges...), nodeType, nodes, relay, nil
}

// selectionConflict returns a response key that a and b (selections on
// the object type typeName) give different fields or arguments, at any
// depth, or "".
func selectionConflict(oc *graphql.OperationContext, typeName string, a, b ast.SelectionSet) string {
	satisfies := []string{typeName, "Node"}
	byKey := map[string]graphql.CollectedField{}
	for _, cf := range graphql.CollectFields(oc, a, satisfies) {
		byKey[cf.Alias] = cf
	}
	for _, cf := range graphql.CollectFields(oc, b, satisfies) {
		other, ok := byKey[cf.Alias]
		if !ok {
			continue
		}
		if other.Name != cf.Name || !sameArguments(oc, other, cf) {
			return cf.Alias
		}
		if cf.Definition != nil && len(cf.Selections) > 0 {
			if k := selectionConflict(oc, cf.Definition.Type.Name(), other.Selections, cf.Selections); k != "" {
				return cf.Alias + "." + k
			}
		}
	}
	return ""
}

func sameArguments(oc *graphql.OperationContext, a, b graphql.CollectedField) bool {
	am, bm := a.ArgumentMap(oc.Variables), b.ArgumentMap(oc.Variables)
	if len(am) != len(bm) {
		return false
	}
	for k, v := range am {
		if !equalValue(v, bm[k]) {
			return false
		}
	}
	return true
}

// equalValue compares two coerced argument values.
func equalValue(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if !equalValue(v, y[k]) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalValue(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}

// pageInfo is a connection's pageInfo.
type pageInfo struct {
	HasNextPage, HasPreviousPage bool
	StartCursor, EndCursor       *string
}

// info returns the pageInfo of a page of n records at offset.
func (pg *pageSpec) info(offset, n int) pageInfo {
	pi := pageInfo{HasNextPage: pg.hasNext, HasPreviousPage: offset > 0}
	if pg.before >= 0 {
		pi.HasNextPage = true // before's record follows
	}
	if n > 0 {
		s, e := Cursor(offset), Cursor(offset+n-1)
		pi.StartCursor, pi.EndCursor = &s, &e
	}
	return pi
}
