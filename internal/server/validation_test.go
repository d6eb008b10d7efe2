package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/odoogql/odoogql/graph"
)

var gatewaySchema = graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()

func parseDoc(t testing.TB, q string) *ast.QueryDocument {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: q})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// overlapWork runs the overlap check on q's first operation, definitions
// resolved as validation does, and returns the work it counted and the
// conflicts' messages.
func overlapWork(t testing.TB, q string, budget int) (int, bool, []string) {
	t.Helper()
	doc := parseDoc(t, q)
	core.Walk(gatewaySchema, doc, &core.Events{})
	c := newOverlapChecker(gatewaySchema, doc, budget)
	var msgs []string
	for _, cf := range c.sets([]ast.SelectionSet{doc.Operations[0].SelectionSet}, false) {
		msgs = append(msgs, cf.message())
	}
	return c.work, c.exhausted, msgs
}

// TestOverlapLinearInRepeatedFields counts the work of the overlap check on
// n copies of one field (gqlparser's rule compares the n(n-1)/2 pairs): it
// is 2 per field, at the root and in a nested selection, with or without
// arguments and sub-selections.
func TestOverlapLinearInRepeatedFields(t *testing.T) {
	shapes := []struct {
		name  string
		field string
		wrap  func(string) string
		extra int // work outside the repeated fields
	}{
		{"root __typename", "__typename ", func(s string) string { return "{ " + s + "}" }, 0},
		{"nested name", "name ", func(s string) string { return "{ resPartners { nodes { " + s + "} } }" }, 4},
		{"arguments and sub-selection", `resPartners(limit: 1) { totalCount } `, func(s string) string { return "{ " + s + "}" }, 0},
	}
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			for _, n := range []int{1000, 2000, 4000, 8000} {
				work, exhausted, msgs := overlapWork(t, sh.wrap(strings.Repeat(sh.field, n)), 1<<40)
				if exhausted || len(msgs) > 0 {
					t.Fatalf("n=%d: exhausted=%v conflicts %v", n, exhausted, msgs)
				}
				want := 2*n + sh.extra
				if strings.Contains(sh.field, "totalCount") {
					// each field: 1 gathered, 1+1 argument compared, and its
					// totalCount gathered and compared once more.
					want = n*(1+2) + 2*n
				}
				if work != want {
					t.Errorf("n=%d: work %d, want %d", n, work, want)
				}
			}
		})
	}
}

// TestOverlapFragmentBombs: the fragment families that expand to 2^k
// fields cost work linear in k (quadratic in the worst, depth-growing one,
// which the budget bounds).
func TestOverlapFragmentBombs(t *testing.T) {
	bomb := func(k int, body func(i int) string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "{ resPartner(id: \"1\") { ...F%d } }\nfragment F0 on ResPartner { id name }\n", k)
		for i := 1; i <= k; i++ {
			fmt.Fprintf(&b, "fragment F%d on ResPartner { %s }\n", i, body(i))
		}
		return b.String()
	}
	families := map[string]func(i int) string{
		"flat":    func(i int) string { return fmt.Sprintf("...F%d ...F%d", i-1, i-1) },
		"aliased": func(i int) string { return fmt.Sprintf("a: parent_id { ...F%d } b: parent_id { ...F%d }", i-1, i-1) },
		"deep":    func(i int) string { return fmt.Sprintf("parent_id { ...F%d } ...F%d", i-1, i-1) },
	}
	for name, body := range families {
		t.Run(name, func(t *testing.T) {
			works := map[int]int{}
			for _, k := range []int{20, 40, 80} {
				work, exhausted, msgs := overlapWork(t, bomb(k, body), 1<<40)
				if exhausted || len(msgs) > 0 {
					t.Fatalf("k=%d: exhausted=%v conflicts %v", k, exhausted, msgs)
				}
				works[k] = work
			}
			limit := 2*works[40] + 10 // linear: doubling k at most doubles the work
			if name == "deep" {
				limit = 4*works[40] + 10 // k levels of up to k fields
			}
			if works[80] > limit {
				t.Errorf("work %v: grows faster than allowed (%d for k=80, limit %d)", works, works[80], limit)
			}
		})
	}
	// The budget stops the quadratic family: a refusal, not a long run.
	work, exhausted, _ := overlapWork(t, bomb(600, families["deep"]), 50_000)
	if !exhausted || work > 50_000+600 {
		t.Errorf("deep k=600: exhausted=%v after %d steps, budget 50000", exhausted, work)
	}
}

// TestOverlapAgreesWithGqlparser: on valid and conflicting documents the
// replacement reports what gqlparser's rule reports.
func TestOverlapAgreesWithGqlparser(t *testing.T) {
	docs := []string{
		`{ resPartners { nodes { name name } } }`,
		`{ resPartners { nodes { name: email name } } }`,
		`{ a: resPartners(limit: 1) { totalCount } a: resPartners(limit: 2) { totalCount } }`,
		`{ a: resPartners(limit: 1) { totalCount } a: resPartners(limit: 1) { totalCount } }`,
		`{ resPartners { nodes { x: name } } resPartners { nodes { x: email } } }`,
		`{ resPartners { nodes { x: name } } resPartners { nodes { x: name } } }`,
		`{ resPartners { nodes { parent_id { name } parent_id { email } } } }`,
		`{ resPartners { nodes { x: parent_id { name } x: name } } }`,
		`{ resPartners { nodes { ...A ...B } } } fragment A on ResPartner { x: name } fragment B on ResPartner { x: email }`,
		`{ resPartners { nodes { ...A x: name } } } fragment A on ResPartner { x: name }`,
		`{ resPartners { nodes { ... on ResPartner { x: name } x: email } } }`,
		`{ x: resPartners { totalCount } x: resCountries { totalCount } }`,
		`{ x: resPartner(id: "1") { name } x: resPartner(id: "2") { name } }`,
	}
	ours := validationRules(false)()
	for _, q := range docs {
		theirs := overlapMessages(validator.ValidateWithRules(gatewaySchema, parseDoc(t, q), rules.NewDefaultRules()))
		got := overlapMessages(validator.ValidateWithRules(gatewaySchema, parseDoc(t, q), ours))
		if strings.Join(got, "\n") != strings.Join(theirs, "\n") {
			t.Errorf("%s\n got %q\nwant %q", q, got, theirs)
		}
	}
}

func overlapMessages(errs gqlerror.List) []string {
	var out []string
	for _, e := range errs {
		if e.Rule == rules.OverlappingFieldsCanBeMergedRule.Name {
			out = append(out, e.Message)
		}
	}
	return out
}

// TestNoSuggestionsAnywhere: every rule that suggests names suggests them
// with suggestions on, and none does with them off.
func TestNoSuggestionsAnywhere(t *testing.T) {
	docs := map[string]string{
		"field":       `{ resPartnerz { totalCount } }`,
		"field 2":     `{ __schema { directive } }`,
		"argument":    `{ resPartners(limt: 1) { totalCount } }`,
		"type":        `{ resPartners { nodes { ...F } } } fragment F on ResPartnr { name }`,
		"enum value":  `{ resPartners(orderBy: [{name: AS}]) { totalCount } }`,
		"input field": `{ resPartners(where: {nme: {eq: "a"}}) { totalCount } }`,
		"scalar leaf": `{ resPartners }`,
	}
	for name, q := range docs {
		with := validator.ValidateWithRules(gatewaySchema, parseDoc(t, q), validationRules(false)())
		if !strings.Contains(with.Error(), "Did you mean") {
			t.Errorf("%s: suggestions on, yet no suggestion: %v", name, with)
		}
		without := validator.ValidateWithRules(gatewaySchema, parseDoc(t, q), validationRules(true)())
		if len(without) == 0 || strings.Contains(without.Error(), "Did you mean") {
			t.Errorf("%s: suggestions off: %v", name, without)
		}
	}
}

// TestTokenLimit counts tokens up to one past the limit and refuses more.
func TestTokenLimit(t *testing.T) {
	if n, _ := countTokens(`query Q($a: Int = 1) { a: b(c: $a) @d { ...F } }`, 1000); n != 27 {
		t.Errorf("tokens %d, want 27", n)
	}
	if n, _ := countTokens(strings.Repeat("x ", 1_000_000), 11); n != 11 {
		t.Errorf("the count must stop at its limit: %d", n)
	}
	l := documentLimits{maxTokens: 10}
	if err := l.MutateOperationParameters(context.Background(), &graphql.RawParams{Query: "{ a b c d e f g h }"}); err != nil {
		t.Errorf("10 tokens: %v", err)
	}
	err := l.MutateOperationParameters(context.Background(), &graphql.RawParams{Query: "{ a b c d e f g h i }"})
	if err == nil || err.Message != "the query has more than 10 tokens, the limit (ODOOGQL_MAX_TOKENS)" || err.Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("11 tokens: %+v", err)
	}
}

// TestFragmentLimit: fragment definitions are counted outside braces and
// parentheses only (a field or argument named "fragment" is not one), and a
// document with more than the limit is refused before it is parsed.
func TestFragmentLimit(t *testing.T) {
	doc := `query Q($fragment: Int) { fragment(fragment: $fragment) { ...A } } fragment A on T { fragment ...B } fragment B on T { id }`
	tokens, fragments := countTokens(doc, 0)
	if fragments != 2 {
		t.Errorf("fragments %d, want 2", fragments)
	}
	if tokens != 37 {
		t.Errorf("tokens %d, want 37", tokens)
	}
	var chain strings.Builder
	chain.WriteString("{ ...F0 }\n")
	for i := range 300 {
		fmt.Fprintf(&chain, "fragment F%d on Query { ...F%d }\n", i, i+1)
	}
	chain.WriteString("fragment F300 on Query { __typename }\n")
	l := documentLimits{maxTokens: 100_000, maxFragments: 300}
	err := l.MutateOperationParameters(context.Background(), &graphql.RawParams{Query: chain.String()})
	if err == nil || err.Message != "the query defines 301 fragments, over the limit of 300 (ODOOGQL_MAX_FRAGMENTS)" || err.Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("301 fragments: %+v", err)
	}
	l.maxFragments = 301
	if err := l.MutateOperationParameters(context.Background(), &graphql.RawParams{Query: chain.String()}); err != nil {
		t.Errorf("301 fragments with a limit of 301: %v", err)
	}
}
