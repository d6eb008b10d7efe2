package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/internal/engine"
)

type pageInfoJSON struct {
	HasNextPage     bool    `json:"hasNextPage"`
	HasPreviousPage bool    `json:"hasPreviousPage"`
	StartCursor     *string `json:"startCursor"`
	EndCursor       *string `json:"endCursor"`
}

type connJSON struct {
	TotalCount int `json:"totalCount"`
	Nodes      []struct {
		ID string `json:"id"`
	} `json:"nodes"`
	Edges []struct {
		Cursor string `json:"cursor"`
		Node   struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"node"`
	} `json:"edges"`
	PageInfo pageInfoJSON `json:"pageInfo"`
}

func (c connJSON) edgeIDs() []string {
	var out []string
	for _, e := range c.Edges {
		out = append(out, e.Node.ID)
	}
	return out
}

// TestRelayConnections pages through the partners with first/after and
// last/before and checks each page against the ids limit/offset give, the
// cursors, pageInfo and the Odoo calls: a first/after page costs what a
// limit/offset page costs; last without before one count more.
func TestRelayConnections(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		// The whole list, in order, as limit/offset gives it.
		var all struct {
			C struct {
				TotalCount int `json:"totalCount"`
				Nodes      []struct {
					ID string `json:"id"`
				} `json:"nodes"`
			} `json:"resPartners"`
		}
		g.mustDo(`{ resPartners(orderBy: [{id: ASC}], limit: 1000) { totalCount nodes { id } } }`, nil, &all)
		var ids []string
		for _, n := range all.C.Nodes {
			ids = append(ids, n.ID)
		}
		if len(ids) < 10 || len(ids) != all.C.TotalCount {
			t.Fatalf("demo partners: %d ids, totalCount %d", len(ids), all.C.TotalCount)
		}
		page := func(args string, vars map[string]any) connJSON {
			t.Helper()
			var out struct {
				C connJSON `json:"resPartners"`
			}
			var decl []string
			for _, v := range []string{"after", "before"} {
				if _, ok := vars[v]; ok {
					decl = append(decl, "$"+v+": String")
				}
			}
			op := "query"
			if len(decl) > 0 {
				op += "(" + strings.Join(decl, ", ") + ")"
			}
			g.mustDo(op+` { resPartners(orderBy: [{id: ASC}], `+args+`) {
				totalCount nodes { id } edges { cursor node { id name } }
				pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`, vars, &out)
			return out.C
		}
		check := func(name string, c connJSON, want []string, next, prev bool) {
			t.Helper()
			if got := c.edgeIDs(); !slices.Equal(got, want) {
				t.Errorf("%s: edges %v, want %v", name, got, want)
			}
			for i, n := range c.Nodes {
				if i >= len(c.Edges) || n.ID != c.Edges[i].Node.ID {
					t.Errorf("%s: nodes and edges differ: %+v", name, c)
					break
				}
			}
			pi := c.PageInfo
			if pi.HasNextPage != next || pi.HasPreviousPage != prev {
				t.Errorf("%s: hasNextPage %v hasPreviousPage %v, want %v %v", name, pi.HasNextPage, pi.HasPreviousPage, next, prev)
			}
			if len(c.Edges) == 0 {
				if pi.StartCursor != nil || pi.EndCursor != nil {
					t.Errorf("%s: cursors of an empty page: %v %v", name, pi.StartCursor, pi.EndCursor)
				}
				return
			}
			if pi.StartCursor == nil || *pi.StartCursor != c.Edges[0].Cursor || pi.EndCursor == nil || *pi.EndCursor != c.Edges[len(c.Edges)-1].Cursor {
				t.Errorf("%s: start/end cursors do not match the edges'", name)
			}
			if c.TotalCount != len(ids) {
				t.Errorf("%s: totalCount %d, want %d", name, c.TotalCount, len(ids))
			}
		}
		p1 := page("first: 3", nil)
		check("first 3", p1, ids[:3], true, false)
		p2 := page("first: 3, after: $after", map[string]any{"after": *p1.PageInfo.EndCursor})
		check("next 3", p2, ids[3:6], true, true)
		back := page("last: 2, before: $before", map[string]any{"before": *p2.PageInfo.StartCursor})
		check("last 2 before page 2", back, ids[1:3], true, true)
		tail := page("last: 2", nil)
		check("last 2", tail, ids[len(ids)-2:], false, true)
		past := page("first: 3, after: $after", map[string]any{"after": *tail.PageInfo.EndCursor})
		check("past the end", past, nil, false, true)
		// A limit/offset page's cursors work with after.
		lo := page("limit: 2, offset: 4", nil)
		check("limit/offset", lo, ids[4:6], true, true)
		check("after a limit/offset page", page("first: 2, after: $after", map[string]any{"after": lo.Edges[1].Cursor}), ids[6:8], true, true)

		// Odoo calls: a Relay page costs a limit/offset page's; last
		// without before one count more.
		calls := func(q string) int {
			g.odoo.ResetCounters()
			g.mustDo(q, nil, nil)
			return g.odoo.TotalCalls()
		}
		plain := calls(`{ resPartners(orderBy: [{id: ASC}], limit: 3) { nodes { id name } } }`)
		if n := calls(`{ resPartners(orderBy: [{id: ASC}], first: 3) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`); n != plain {
			t.Errorf("first 3 with edges and pageInfo: %d Odoo calls, limit 3 with nodes %d", n, plain)
		}
		if n := calls(`{ resPartners(orderBy: [{id: ASC}], last: 3) { edges { node { id name } } } }`); n != plain+1 {
			t.Errorf("last 3: %d Odoo calls, want %d (a count, then the page)", n, plain+1)
		}
		if c := g.odoo.Calls("res.partner", "search_count"); c != 1 {
			t.Errorf("last 3: %d search_count calls, want 1", c)
		}

		for _, bad := range []struct{ args, want string }{
			{"first: 2, limit: 2", "use one"},
			{"first: 2, last: 2", "together"},
			{"first: -1", "first must not be negative"},
			{"last: 100000", "ODOOGQL_MAX_LIMIT"},
			{`after: "nope"`, "not a cursor"},
			{fmt.Sprintf("before: %q", engine.NodeID("res.partner", 1)), "not a cursor"},
		} {
			errs := g.do(`{ resPartners(`+bad.args+`) { edges { cursor } } }`, nil, nil)
			if len(errs) != 1 || errs[0].code() != engine.CodeBadUserInput || !strings.Contains(errs[0].Message, bad.want) {
				t.Errorf("%s: %+v, want one BAD_USER_INPUT saying %q", bad.args, errs, bad.want)
			}
		}
		errs := g.do(`{ resPartners(first: 2) { nodes { a: name } edges { node { a: email } } } }`, nil, nil)
		if len(errs) != 1 || errs[0].code() != engine.CodeBadUserInput || !strings.Contains(errs[0].Message, `"a"`) {
			t.Errorf("conflicting aliases in nodes and edges.node: %+v", errs)
		}
	})
}
