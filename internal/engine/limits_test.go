package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator/core"
)

// TestLimitsFragmentBombLinear counts the selections the limits walk visits
// on fragment bombs: linear in the number of fragments, whatever they expand
// to, and the expanded depth and complexity still reach the limits.
func TestLimitsFragmentBombLinear(t *testing.T) {
	for _, deep := range []bool{true, false} {
		t.Run(fmt.Sprintf("deep=%v", deep), func(t *testing.T) {
			var prev int
			for _, k := range []int{10, 20, 40, 80} {
				oc := limitsOperation(t, fragmentBomb(k, deep))
				w := newWalker(oc, testLimits, maxWalkVisits)
				s := w.summarize(oc.Operation.SelectionSet, true)
				if w.exhausted {
					t.Fatalf("k=%d: budget exhausted after %d visits", k, w.visits)
				}
				// The root has 2 selections, F0 2, every other fragment 3 (deep)
				// or 2 (flat): each fragment is summarized once, below the root.
				want := 2 + 2 + 2*k
				if deep {
					want = 2 + 2 + 3*k
				}
				if w.visits != want {
					t.Errorf("k=%d: %d selections visited, want %d", k, w.visits, want)
				}
				if deep && s.height != k+2 {
					t.Errorf("k=%d: depth %d, want %d", k, s.height, k+2)
				}
				if !deep && k < 60 && s.cost != 1+(1<<(k+1)) {
					t.Errorf("k=%d: complexity %d, want %d", k, s.cost, 1+(1<<(k+1)))
				}
				if !deep && k >= 62 && s.cost != 1<<62 {
					t.Errorf("k=%d: complexity %d, want it saturated", k, s.cost)
				}
				if prev > 0 && w.visits > 2*prev+2 {
					t.Errorf("k=%d: %d visits, more than twice the %d of k/2", k, w.visits, prev)
				}
				prev = w.visits
				err := testLimits.MutateOperationContext(context.Background(), oc)
				setting := "ODOOGQL_MAX_COMPLEXITY"
				if deep {
					setting = "ODOOGQL_MAX_DEPTH"
				}
				if k >= 20 && (err == nil || !strings.Contains(err.Message, setting)) {
					t.Errorf("k=%d: error %v, want one naming %s", k, err, setting)
				}
			}
		})
	}
}

// TestLimitsVisitBudget: a walk over its budget stops and says so.
func TestLimitsVisitBudget(t *testing.T) {
	oc := limitsOperation(t, fragmentBomb(30, false))
	w := newWalker(oc, testLimits, 10)
	w.summarize(oc.Operation.SelectionSet, true)
	if !w.exhausted || w.visits > 11 {
		t.Fatalf("exhausted=%v after %d visits, want a stop at 11", w.exhausted, w.visits)
	}
}

// TestLimitsCountEveryAlias: aliases of __typename and of introspection
// fields count like any other, and so do root __typename fields.
func TestLimitsCountEveryAlias(t *testing.T) {
	var b strings.Builder
	b.WriteString("{ resPartner(id: \"1\") { ")
	for i := range 60 {
		fmt.Fprintf(&b, "a%d: __typename ", i)
	}
	b.WriteString("} }")
	err := testLimits.MutateOperationContext(context.Background(), limitsOperation(t, b.String()))
	if err == nil || err.Message != "aliases 60 exceeds the limit of 50 (ODOOGQL_MAX_ALIASES)" {
		t.Errorf("60 __typename aliases: %v", err)
	}
	err = testLimits.MutateOperationContext(context.Background(), limitsOperation(t, "{ "+strings.Repeat("__typename ", 21)+"}"))
	if err == nil || err.Message != "root fields 21 exceeds the limit of 20 (ODOOGQL_MAX_ROOT_FIELDS)" {
		t.Errorf("21 root __typename: %v", err)
	}
	err = testLimits.MutateOperationContext(context.Background(), limitsOperation(t, "{ s: __schema { types { a: name b: name } } }"))
	if err != nil {
		t.Errorf("3 aliases in introspection: %v", err)
	}
}

// TestLimitsPageSize: a page size (limit, first, last) over MaxLimit, or
// negative, is refused before the operation runs, with an error naming
// ODOOGQL_MAX_LIMIT and carrying the list's path (response names, from the
// root, through fragments) and location; the first such list in document
// order is reported.
func TestLimitsPageSize(t *testing.T) {
	relaySchema := gqlparser.MustLoadSchema(&ast.Source{Name: "relay.graphqls", Input: `
type Query { resPartners(limit: Int, first: Int, last: Int): ResPartnerConnection! }
type ResPartnerConnection { nodes: [ResPartner!]! edges: [ResPartnerEdge!]! }
type ResPartnerEdge { node: ResPartner! }
type ResPartner { id: ID! child_ids(limit: Int): [ResPartner!]! }
`})
	limits := testLimits
	limits.MaxLimit = 1000
	for _, tc := range []struct {
		name, query string
		vars        map[string]any
		relay       bool
		msg, path   string // "" for no error
		line, col   int
	}{
		{name: "root", query: `{ resPartners(limit: 1001) { totalCount } }`,
			msg: "limit 1001 exceeds the maximum of 1000 (ODOOGQL_MAX_LIMIT)", path: "resPartners", line: 1, col: 3},
		{name: "at the maximum", query: `{ resPartners(limit: 1000) { totalCount } a: resPartners(limit: 1) { nodes { child_ids(limit: 1000) { id } } } }`},
		{name: "nested, aliased", query: "{ resPartners(limit: 2) {\n nodes { kids: child_ids(limit: 5000) { id } } } }",
			msg: "limit 5000 exceeds the maximum of 1000 (ODOOGQL_MAX_LIMIT)", path: "resPartners.nodes.kids", line: 2, col: 10},
		{name: "negative, nested", query: `{ resPartners { nodes { child_ids(limit: -1) { id } } } }`,
			msg: "limit must not be negative, got -1", path: "resPartners.nodes.child_ids", line: 1, col: 25},
		{name: "variable", query: `query($n: Int) { resPartners { nodes { child_ids(limit: $n) { id } } } }`, vars: map[string]any{"n": int64(2000)},
			msg: "limit 2000 exceeds the maximum of 1000 (ODOOGQL_MAX_LIMIT)", path: "resPartners.nodes.child_ids", line: 1, col: 40},
		{name: "fragment spread twice, the first place reported",
			query: `{ a: resPartner(id: "1") { parent_id { ...F } } b: resPartners { nodes { ...F } } } fragment F on ResPartner { child_ids { child_ids(limit: 2000) { id } } }`,
			msg:   "limit 2000 exceeds the maximum of 1000 (ODOOGQL_MAX_LIMIT)", path: "a.parent_id.child_ids.child_ids", line: 1, col: 124},
		{name: "first", relay: true, query: `{ resPartners(first: 1001) { edges { node { id } } } }`,
			msg: "first 1001 exceeds the maximum of 1000 (ODOOGQL_MAX_LIMIT)", path: "resPartners", line: 1, col: 3},
		{name: "last, negative", relay: true, query: `{ resPartners(last: -2) { nodes { id } } }`,
			msg: "last must not be negative, got -2", path: "resPartners", line: 1, col: 3},
		{name: "below an edge", relay: true, query: `{ resPartners(first: 3) { edges { node { child_ids(limit: 1001) { id } } } } }`,
			msg: "limit 1001 exceeds the maximum of 1000 (ODOOGQL_MAX_LIMIT)", path: "resPartners.edges.node.child_ids", line: 1, col: 42},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var oc *graphql.OperationContext
			if tc.relay {
				doc, err := parser.ParseQuery(&ast.Source{Input: tc.query})
				if err != nil {
					t.Fatal(err)
				}
				core.Walk(relaySchema, doc, &core.Events{})
				oc = &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0], Variables: map[string]any{}}
			} else {
				oc = limitsOperation(t, tc.query)
			}
			if tc.vars != nil {
				oc.Variables = tc.vars
			}
			err := limits.MutateOperationContext(context.Background(), oc)
			if tc.msg == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.msg)
			}
			if err.Message != tc.msg || err.Path.String() != tc.path || err.Extensions["code"] != CodeBadUserInput {
				t.Errorf("error %q at %s (%v), want %q at %s", err.Message, err.Path, err.Extensions, tc.msg, tc.path)
			}
			if len(err.Locations) != 1 || err.Locations[0].Line != tc.line || err.Locations[0].Column != tc.col {
				t.Errorf("locations %v, want %d:%d", err.Locations, tc.line, tc.col)
			}
			if !strings.HasPrefix(tc.msg, "limit must") && !strings.HasPrefix(tc.msg, "last must") &&
				(err.Extensions["limit"] != "ODOOGQL_MAX_LIMIT" || err.Extensions["max"] != 1000) {
				t.Errorf("extensions %v", err.Extensions)
			}
		})
	}
	// Without MaxLimit, the engine checks the page size when it plans.
	if err := testLimits.MutateOperationContext(context.Background(), limitsOperation(t, `{ resPartners(limit: 5000) { totalCount } }`)); err != nil {
		t.Errorf("MaxLimit 0: %v", err)
	}
}
