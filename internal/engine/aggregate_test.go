package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator/core"
)

var aggregateLimitsSchema = gqlparser.MustLoadSchema(&ast.Source{Name: "aggregate.graphqls", Input: `
type Query {
  saleOrdersAggregate(groupBy: [String!], limit: Int, offset: Int): SaleOrderAggregate!
}
type SaleOrderAggregate { count: Int! sum: SaleOrderAggregateSum! groups: [SaleOrderGroup!]! }
type SaleOrderAggregateSum { amount_total: Float }
type SaleOrderGroup { count: Int! sum: SaleOrderAggregateSum! partner_id: ResPartner }
type ResPartner { id: ID! name: String child_ids(limit: Int): [ResPartner!]! }
`})

// TestLimitsAggregate: an aggregate root's groups cost its page (limit, else
// the default), and a limit over the maximum is refused before it runs.
func TestLimitsAggregate(t *testing.T) {
	op := func(q string) *graphql.OperationContext {
		doc, err := parser.ParseQuery(&ast.Source{Input: q})
		if err != nil {
			t.Fatal(err)
		}
		core.Walk(aggregateLimitsSchema, doc, &core.Events{})
		return &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0], Variables: map[string]any{}}
	}
	for _, c := range []struct {
		q    string
		cost int
	}{
		// root 1 + page × (count 1 + groups (1 + count 1 + partner_id (1 + name 1)))
		{`{ saleOrdersAggregate(groupBy: ["x"], limit: 5) { count groups { count partner_id { name } } } }`, 1 + 5*(1+1+1+2)},
		{`{ saleOrdersAggregate(groupBy: ["x"]) { groups { count } } }`, 1 + 100*(1+1)},
	} {
		oc := op(c.q)
		w := newWalker(oc, testLimits, maxWalkVisits)
		if s := w.summarize(oc.Operation.SelectionSet, true); s.cost != c.cost {
			t.Errorf("%s: complexity %d, want %d", c.q, s.cost, c.cost)
		}
	}
	l := testLimits
	l.MaxLimit = 1000
	err := l.MutateOperationContext(context.Background(), op(`{ saleOrdersAggregate(limit: 5000) { count } }`))
	if err == nil || !strings.Contains(err.Message, "limit") {
		t.Errorf("limit over the maximum: %v", err)
	}
}
