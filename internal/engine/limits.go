package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Limits bound what one operation may ask for. A zero field disables that
// limit.
type Limits struct {
	// MaxDepth is the deepest nesting of fields (a root field is depth 1).
	MaxDepth int
	// MaxComplexity bounds the estimated number of values an operation can
	// return: every field costs 1, and what a list selects is multiplied by
	// its limit (a list root without one by DefaultLimit, an x2many without
	// one by X2ManyEstimate).
	MaxComplexity int
	// MaxRootFields bounds the root fields of one operation.
	MaxRootFields int
	// MaxAliases bounds the aliased fields of one operation.
	MaxAliases int
	// DefaultLimit is the page size of a list root without limit.
	DefaultLimit int
	// X2ManyEstimate is the size assumed for an x2many field without limit.
	X2ManyEstimate int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = Limits{}

// ExtensionName names the extension for gqlgen.
func (Limits) ExtensionName() string { return "OdoogqlLimits" }

// Validate is part of graphql.HandlerExtension.
func (Limits) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext rejects an operation over a limit before it runs,
// with an error naming the limit and its value.
func (l Limits) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	w := &walker{oc: oc, limits: l, seen: map[string]bool{}}
	roots := w.count(oc.Operation.SelectionSet)
	cost := w.cost(oc.Operation.SelectionSet, 1)
	check := func(name, setting string, got, max int) *gqlerror.Error {
		if max > 0 && got > max {
			return &gqlerror.Error{
				Message:    fmt.Sprintf("%s %d exceeds the limit of %d (%s)", name, got, max, setting),
				Extensions: map[string]any{"code": CodeBadUserInput, "limit": setting, "max": max, "value": got},
			}
		}
		return nil
	}
	for _, e := range []*gqlerror.Error{
		check("query depth", "ODOOGQL_MAX_DEPTH", w.maxDepth, l.MaxDepth),
		check("root fields", "ODOOGQL_MAX_ROOT_FIELDS", roots, l.MaxRootFields),
		check("aliases", "ODOOGQL_MAX_ALIASES", w.aliases, l.MaxAliases),
		check("query complexity", "ODOOGQL_MAX_COMPLEXITY", cost, l.MaxComplexity),
	} {
		if e != nil {
			return e
		}
	}
	return nil
}

type walker struct {
	oc       *graphql.OperationContext
	limits   Limits
	maxDepth int
	aliases  int
	seen     map[string]bool // fragments being expanded (cycles are invalid anyway)
}

// fields returns the fields of a selection set, fragments expanded.
func (w *walker) fields(sel ast.SelectionSet, fn func(f *ast.Field)) {
	for _, s := range sel {
		switch x := s.(type) {
		case *ast.Field:
			fn(x)
		case *ast.InlineFragment:
			w.fields(x.SelectionSet, fn)
		case *ast.FragmentSpread:
			if w.seen[x.Name] {
				continue
			}
			frag := w.oc.Doc.Fragments.ForName(x.Name)
			if frag == nil {
				continue
			}
			w.seen[x.Name] = true
			w.fields(frag.SelectionSet, fn)
			delete(w.seen, x.Name)
		}
	}
}

func (w *walker) count(sel ast.SelectionSet) int {
	n := 0
	w.fields(sel, func(f *ast.Field) {
		if !strings.HasPrefix(f.Name, "__") {
			n++
		}
	})
	return n
}

// cost returns the estimated number of values sel returns, tracking depth
// and aliases on the way.
func (w *walker) cost(sel ast.SelectionSet, depth int) int {
	total := 0
	w.fields(sel, func(f *ast.Field) {
		if strings.HasPrefix(f.Name, "__") {
			return // introspection: bounded by the schema, not by the query
		}
		if depth > w.maxDepth {
			w.maxDepth = depth
		}
		if f.Alias != "" && f.Alias != f.Name {
			w.aliases++
		}
		c := 1
		if len(f.SelectionSet) > 0 {
			c = saturatingAdd(c, saturatingMul(w.multiplier(f, depth), w.cost(f.SelectionSet, depth+1)))
		}
		total = saturatingAdd(total, c)
	})
	return total
}

// multiplier is how many times a field's selection is returned: its limit
// for lists, 1 for single objects.
func (w *walker) multiplier(f *ast.Field, depth int) int {
	if f.Definition == nil || f.Definition.Type == nil {
		return 1
	}
	list := f.Definition.Type.Elem != nil
	connection := strings.HasSuffix(f.Definition.Type.Name(), "Connection")
	if !list && !connection {
		return 1
	}
	if f.Name == "nodes" && f.ObjectDefinition != nil && strings.HasSuffix(f.ObjectDefinition.Name, "Connection") {
		return 1 // the connection field already counted its page
	}
	if v, ok := f.ArgumentMap(w.oc.Variables)["limit"]; ok && v != nil {
		if n, err := toInt(v); err == nil && n >= 0 {
			return max(n, 1)
		}
	}
	if connection {
		return max(w.limits.DefaultLimit, 1)
	}
	if depth == 1 {
		return 1 // a root list that is not a connection (mutation results)
	}
	return max(w.limits.X2ManyEstimate, 1)
}

func saturatingMul(a, b int) int {
	if a != 0 && b > (1<<62)/a {
		return 1 << 62
	}
	return a * b
}

func saturatingAdd(a, b int) int {
	if a > (1<<62)-b {
		return 1 << 62
	}
	return a + b
}
