package server

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/odoogql/odoogql/internal/engine"
)

// validationRules returns the rule set every query is validated with:
// gqlparser's default rules, with OverlappingFieldsCanBeMerged replaced by
// overlapRule (linear in the document's size where gqlparser's compares
// every pair of fields with the same response name), and, when suggestions
// are off, every rule that appends "Did you mean …" to its message replaced
// by its variant without suggestions (they would disclose the schema that
// turning introspection off hides).
func validationRules(noSuggestions bool) func() *rules.Rules {
	return func() *rules.Rules {
		r := rules.NewDefaultRules()
		r.ReplaceRule(rules.OverlappingFieldsCanBeMergedRule.Name, overlapRule(overlapBudget).RuleFunc)
		if noSuggestions {
			for _, swap := range []struct{ with, without core.Rule }{
				{rules.FieldsOnCorrectTypeRule, rules.FieldsOnCorrectTypeRuleWithoutSuggestions},
				{rules.KnownArgumentNamesRule, rules.KnownArgumentNamesRuleWithoutSuggestions},
				{rules.KnownTypeNamesRule, rules.KnownTypeNamesRuleWithoutSuggestions},
				{rules.ScalarLeafsRule, rules.ScalarLeafsRuleWithoutSuggestions},
				{rules.ValuesOfCorrectTypeRule, rules.ValuesOfCorrectTypeRuleWithoutSuggestions},
			} {
				r.ReplaceRule(swap.with.Name, swap.without.RuleFunc)
			}
		}
		return r
	}
}

// overlapBudget is the work overlapRule may do for a document of n bytes:
// fields gathered plus fields compared. Real operations use a small
// fraction of it; past it the document is refused.
func overlapBudget(n int) int { return 100_000 + 16*n }

// overlapRule checks that fields with the same response name can be merged
// (the GraphQL specification's FieldsInSetCanMerge), with gqlparser's
// messages, in work linear in the document's size: the fields of one
// response name are compared with one representative instead of with each
// other (name, arguments and type shape are equivalences), their
// sub-selections are checked once, merged, and a set already checked is not
// checked again. The work is counted, and a document over its budget is
// refused with one error.
func overlapRule(budget func(docBytes int) int) core.Rule {
	return core.Rule{
		Name: rules.OverlappingFieldsCanBeMergedRule.Name,
		RuleFunc: func(observers *core.Events, addError core.AddErrFunc) {
			// One checker for the document: its memo and its budget are
			// shared by the operations, which may spread the same fragments.
			var c *overlapChecker
			reported := map[string]bool{}
			observers.OnOperation(func(w *core.Walker, op *ast.OperationDefinition) {
				if c == nil {
					size := 0
					if op.Position != nil && op.Position.Src != nil {
						size = len(op.Position.Src.Input)
					}
					c = newOverlapChecker(w.Schema, w.Document, budget(size))
				} else if c.exhausted {
					return // already reported
				}
				conflicts := c.sets([]ast.SelectionSet{op.SelectionSet}, false)
				if c.exhausted {
					addError(core.Message("the operation is too complex to validate: merging its fields takes more than %d steps; repeat fewer fields and fragments", c.budget), core.At(op.Position))
					return
				}
				for _, cf := range conflicts {
					msg := cf.message()
					if !reported[msg] { // a fragment spread twice conflicts twice
						reported[msg] = true
						addError(core.Message("%s", msg), core.At(cf.pos))
					}
				}
			})
		},
	}
}

// overlapChecker checks one operation.
type overlapChecker struct {
	schema    *ast.Schema
	doc       *ast.QueryDocument
	budget    int
	work      int // fields gathered and comparisons made
	exhausted bool
	ids       map[*ast.Field]int
	memo      map[string][]*overlapConflict
	frags     map[string]*ast.FragmentDefinition // FragmentDefinitionList.ForName is a linear scan
}

func newOverlapChecker(schema *ast.Schema, doc *ast.QueryDocument, budget int) *overlapChecker {
	c := &overlapChecker{schema: schema, doc: doc, budget: budget, ids: map[*ast.Field]int{}, memo: map[string][]*overlapConflict{},
		frags: make(map[string]*ast.FragmentDefinition, len(doc.Fragments))}
	for _, f := range doc.Fragments {
		if _, dup := c.frags[f.Name]; !dup {
			c.frags[f.Name] = f
		}
	}
	return c
}

// overlapConflict is a conflict between fields of one response name: a
// reason, or conflicts of their subfields.
type overlapConflict struct {
	name   string
	reason string
	subs   []*overlapConflict
	pos    *ast.Position
}

func (c *overlapConflict) because() string {
	if len(c.subs) == 0 {
		return c.reason
	}
	parts := make([]string, len(c.subs))
	for i, s := range c.subs {
		parts[i] = fmt.Sprintf(`subfields "%s" conflict because %s`, s.name, s.because())
	}
	return strings.Join(parts, " and ")
}

func (c *overlapConflict) message() string {
	return fmt.Sprintf(`Fields "%s" conflict because %s. Use different aliases on the fields to fetch both if this was intentional.`, c.name, c.because())
}

// spend counts n units of work and reports whether the budget allows them.
func (c *overlapChecker) spend(n int) bool {
	if c.exhausted {
		return false
	}
	c.work += n
	if c.work > c.budget {
		c.exhausted = true
	}
	return !c.exhausted
}

// sets checks the fields of the merged selection sets, grouped by response
// name. exclusive tells whether their parents can never both apply (two
// different object types), when only the shapes of the results must agree.
func (c *overlapChecker) sets(sets []ast.SelectionSet, exclusive bool) []*overlapConflict {
	var order []string
	groups := map[string][]*ast.Field{}
	visited := map[string]bool{} // fragments already expanded into these sets
	var gather func(sel ast.SelectionSet)
	gather = func(sel ast.SelectionSet) {
		for _, s := range sel {
			if !c.spend(1) {
				return
			}
			switch s := s.(type) {
			case *ast.Field:
				name := s.Alias
				if name == "" {
					name = s.Name
				}
				if _, ok := groups[name]; !ok {
					order = append(order, name)
				}
				groups[name] = append(groups[name], s)
			case *ast.InlineFragment:
				gather(s.SelectionSet)
			case *ast.FragmentSpread:
				if visited[s.Name] {
					continue
				}
				visited[s.Name] = true
				if def := c.frags[s.Name]; def != nil {
					gather(def.SelectionSet)
				}
			}
		}
	}
	for _, sel := range sets {
		gather(sel)
	}
	var out []*overlapConflict
	for _, name := range order {
		if c.exhausted {
			return nil
		}
		out = append(out, c.group(name, groups[name], exclusive)...)
	}
	return out
}

// group checks the fields of one response name, memoized by the fields.
func (c *overlapChecker) group(name string, fields []*ast.Field, exclusive bool) []*overlapConflict {
	var key strings.Builder
	key.WriteString(strconv.FormatBool(exclusive))
	for _, f := range fields {
		id, ok := c.ids[f]
		if !ok {
			id = len(c.ids)
			c.ids[f] = id
		}
		key.WriteByte(',')
		key.WriteString(strconv.Itoa(id))
	}
	if cf, ok := c.memo[key.String()]; ok {
		return cf
	}
	cf := c.compare(name, fields, exclusive)
	c.memo[key.String()] = cf
	return cf
}

// compare checks fields of one response name against representatives, then
// their merged sub-selections. As in gqlparser, a conflict within the
// selection of one field is reported as it is; a conflict between the
// selections of several is reported as a conflict of these fields.
func (c *overlapChecker) compare(name string, fields []*ast.Field, exclusive bool) []*overlapConflict {
	first := fields[0]
	// Fields of the same parent type (or any field when one parent is
	// abstract) must be the same field with the same arguments; fields of
	// two different object types never both apply.
	refs := map[string]*ast.Field{}
	var abstract *ast.Field
	for _, f := range fields {
		if f.ObjectDefinition != nil && f.ObjectDefinition.Kind != ast.Object && abstract == nil {
			abstract = f
		}
	}
	classes := 0
	for _, f := range fields {
		if !c.spend(1 + len(f.Arguments)) {
			return nil
		}
		if f.ObjectDefinition == nil {
			continue // an unknown parent: FieldsOnCorrectType reports it
		}
		if !exclusive {
			ref := abstract
			if ref == nil {
				ref = refs[f.ObjectDefinition.Name]
				if ref == nil {
					refs[f.ObjectDefinition.Name] = f
					classes++
					ref = f
				}
			}
			if ref != f {
				if ref.Name != f.Name {
					return []*overlapConflict{{name: name, reason: fmt.Sprintf(`"%s" and "%s" are different fields`, ref.Name, f.Name), pos: f.Position}}
				}
				if !sameArguments(ref.Arguments, f.Arguments) {
					return []*overlapConflict{{name: name, reason: "they have differing arguments", pos: f.Position}}
				}
			}
		}
		if f != first && first.Definition != nil && f.Definition != nil && typesConflict(c.schema, first.Definition.Type, f.Definition.Type) {
			return []*overlapConflict{{name: name, reason: fmt.Sprintf(`they return conflicting types "%s" and "%s"`, first.Definition.Type.String(), f.Definition.Type.String()), pos: f.Position}}
		}
	}
	sets := subSelections(fields)
	if len(sets) <= 1 {
		return c.sets(sets, exclusive) // within one selection
	}
	var subs []*overlapConflict
	if exclusive || abstract != nil || classes <= 1 {
		subs = c.sets(sets, exclusive)
	} else {
		// Fields of each object type merge with each other; across types
		// only the shapes must agree.
		byType := map[string][]*ast.Field{}
		var types []string
		for _, f := range fields {
			if f.ObjectDefinition == nil {
				continue
			}
			t := f.ObjectDefinition.Name
			if _, ok := byType[t]; !ok {
				types = append(types, t)
			}
			byType[t] = append(byType[t], f)
		}
		for _, t := range types {
			subs = append(subs, c.sets(subSelections(byType[t]), false)...)
		}
		subs = append(subs, c.sets(sets, true)...)
	}
	if len(subs) == 0 || c.exhausted {
		return nil
	}
	return []*overlapConflict{{name: name, subs: subs, pos: fields[len(fields)-1].Position}}
}

func subSelections(fields []*ast.Field) []ast.SelectionSet {
	var out []ast.SelectionSet
	for _, f := range fields {
		if len(f.SelectionSet) > 0 {
			out = append(out, f.SelectionSet)
		}
	}
	return out
}

// sameArguments reports whether two argument lists are the same, in any
// order, in time linear in their length.
func sameArguments(a, b ast.ArgumentList) bool {
	if len(a) != len(b) {
		return false
	}
	vals := make(map[string]string, len(b))
	for _, arg := range b {
		vals[arg.Name] = argValue(arg.Value)
	}
	for _, arg := range a {
		v, ok := vals[arg.Name]
		if !ok || v != argValue(arg.Value) {
			return false
		}
	}
	return true
}

func argValue(v *ast.Value) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(int(v.Kind)) + ":" + v.String()
}

// typesConflict reports whether two field types give responses of
// different shapes (as gqlparser's rule decides it).
func typesConflict(schema *ast.Schema, a, b *ast.Type) bool {
	for a.Elem != nil || b.Elem != nil {
		if a.Elem == nil || b.Elem == nil {
			return true
		}
		a, b = a.Elem, b.Elem
	}
	if a.NonNull != b.NonNull {
		return true
	}
	ta, tb := schema.Types[a.NamedType], schema.Types[b.NamedType]
	if ta == nil || tb == nil {
		return false
	}
	leaf := func(t *ast.Definition) bool { return t.Kind == ast.Scalar || t.Kind == ast.Enum }
	if leaf(ta) && leaf(tb) {
		return ta.Name != tb.Name
	}
	return false
}

// documentLimits refuses, before parsing, a query of more than maxTokens
// tokens (ODOOGQL_MAX_TOKENS) or more than maxFragments fragment definitions
// (ODOOGQL_MAX_FRAGMENTS). It lexes the query once, stopping at the first
// token over a limit. The fragment cap exists because gqlparser's validator
// walks every fragment definition again for each of its spreads: a chain of
// 1,200 small fragments (under the token cap) costs it over a second.
type documentLimits struct{ maxTokens, maxFragments int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = documentLimits{}

func (documentLimits) ExtensionName() string                   { return "OdoogqlDocumentLimits" }
func (documentLimits) Validate(graphql.ExecutableSchema) error { return nil }

func (d documentLimits) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	stop := 0
	if d.maxTokens > 0 {
		stop = d.maxTokens + 1
	}
	tokens, fragments := countTokens(p.Query, stop)
	if d.maxTokens > 0 && tokens > d.maxTokens {
		return &gqlerror.Error{
			Message:    fmt.Sprintf("the query has more than %d tokens, the limit (ODOOGQL_MAX_TOKENS)", d.maxTokens),
			Extensions: map[string]any{"code": engine.CodeBadUserInput, "limit": "ODOOGQL_MAX_TOKENS", "max": d.maxTokens},
		}
	}
	if d.maxFragments > 0 && fragments > d.maxFragments {
		return &gqlerror.Error{
			Message:    fmt.Sprintf("the query defines %d fragments, over the limit of %d (ODOOGQL_MAX_FRAGMENTS)", fragments, d.maxFragments),
			Extensions: map[string]any{"code": engine.CodeBadUserInput, "limit": "ODOOGQL_MAX_FRAGMENTS", "max": d.maxFragments, "value": fragments},
		}
	}
	return nil
}

// countTokens counts the GraphQL tokens of q, stopping at stop (0: no stop),
// and the fragment definitions among them: the keyword "fragment" outside
// any braces and parentheses. A lexing error ends the count: the parser
// reports it.
func countTokens(q string, stop int) (tokens, fragments int) {
	lx := lexer.New(&ast.Source{Input: q})
	depth := 0
	for stop <= 0 || tokens < stop {
		tok, err := lx.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			break
		}
		tokens++
		switch tok.Kind {
		case lexer.BraceL, lexer.ParenL:
			depth++
		case lexer.BraceR, lexer.ParenR:
			depth--
		case lexer.Name:
			if depth == 0 && tok.Value == "fragment" {
				fragments++
			}
		}
	}
	return tokens, fragments
}
