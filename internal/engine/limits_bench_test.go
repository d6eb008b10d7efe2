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

// This file uses only the exported limits API, so that the benchmark also
// runs against older versions of the walker (BENCHMARKS.md).

// limitsSchema is the part of the gateway's schema the limits look at.
var limitsSchema = gqlparser.MustLoadSchema(&ast.Source{Name: "limits.graphqls", Input: `
type Query {
  resPartners(limit: Int): ResPartnerConnection!
  resPartner(id: ID!): ResPartner
}
type ResPartnerConnection { totalCount: Int! nodes: [ResPartner!]! }
type ResPartner {
  id: ID!
  name: String
  parent_id: ResPartner
  child_ids(limit: Int): [ResPartner!]!
}
`})

// fragmentBomb returns a query whose fragment F<k> expands to about 2^k
// fields. deep: Fi = { parent_id { ...F(i-1) } ...F(i-1) } (depth k+2);
// flat: Fi = { ...F(i-1) ...F(i-1) } (depth 2, complexity 2^(k+1)+1).
func fragmentBomb(k int, deep bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "{ resPartner(id: \"1\") { ...F%d } }\nfragment F0 on ResPartner { id name }\n", k)
	for i := 1; i <= k; i++ {
		if deep {
			fmt.Fprintf(&b, "fragment F%d on ResPartner { parent_id { ...F%d } ...F%d }\n", i, i-1, i-1)
		} else {
			fmt.Fprintf(&b, "fragment F%d on ResPartner { ...F%d ...F%d }\n", i, i-1, i-1)
		}
	}
	return b.String()
}

// limitsOperation parses q and resolves its fields' definitions as validation
// does (core.Walk visits each fragment once), without the validation rules.
func limitsOperation(t testing.TB, q string) *graphql.OperationContext {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: q})
	if err != nil {
		t.Fatal(err)
	}
	core.Walk(limitsSchema, doc, &core.Events{})
	return &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0], Variables: map[string]any{}}
}

var testLimits = Limits{MaxDepth: 12, MaxComplexity: 200000, MaxRootFields: 20, MaxAliases: 50, DefaultLimit: 100, X2ManyEstimate: 10}

// BenchmarkLimitsFragmentBomb times the limits check of the two fragment
// bomb families (BENCHMARKS.md): flat in k once fragments are memoized.
func BenchmarkLimitsFragmentBomb(b *testing.B) {
	for _, deep := range []bool{true, false} {
		for k := 16; k <= 30; k += 2 {
			name := fmt.Sprintf("flat/k=%d", k)
			if deep {
				name = fmt.Sprintf("deep/k=%d", k)
			}
			b.Run(name, func(b *testing.B) {
				oc := limitsOperation(b, fragmentBomb(k, deep))
				b.ResetTimer()
				for range b.N {
					_ = testLimits.MutateOperationContext(context.Background(), oc)
				}
			})
		}
	}
}
