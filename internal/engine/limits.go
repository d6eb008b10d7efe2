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
	// MaxRootFields bounds the root fields of one operation, every field of
	// the root selection counted (__typename included), fragments expanded.
	MaxRootFields int
	// MaxAliases bounds the aliased fields of one operation, every alias
	// counted (on __typename too), fragments expanded.
	MaxAliases int
	// DefaultLimit is the page size of a list root without limit.
	DefaultLimit int
	// MaxLimit is the largest page a list may ask for (limit, first or
	// last). The error of a page size over it, or negative, has the list's
	// path, in the query's response names (no indices: nothing ran yet).
	MaxLimit int
	// X2ManyEstimate is the size assumed for an x2many field without limit.
	X2ManyEstimate int
}

// maxWalkVisits bounds the selections one limits check visits. Every
// fragment is summarized at most twice (at the root and below it), so a
// document visits at most about twice its selections; the budget only
// guards against a bug turning that into more work.
const maxWalkVisits = 1 << 21

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
	w := newWalker(oc, l, maxWalkVisits)
	s := w.summarize(oc.Operation.SelectionSet, true)
	if w.exhausted {
		return &gqlerror.Error{
			Message:    fmt.Sprintf("the operation is too large to analyze (more than %d selections visited)", w.budget),
			Extensions: map[string]any{"code": CodeBadUserInput},
		}
	}
	check := func(name, setting string, got, max int) *gqlerror.Error {
		if max > 0 && got > max {
			return &gqlerror.Error{
				Message:    fmt.Sprintf("%s %d exceeds the limit of %d (%s)", name, got, max, setting),
				Extensions: map[string]any{"code": CodeBadUserInput, "limit": setting, "max": max, "value": got},
			}
		}
		return nil
	}
	var page *gqlerror.Error
	if b := s.badLimit; b != nil {
		page = &gqlerror.Error{
			Message:    fmt.Sprintf("%s %d exceeds the maximum of %d (ODOOGQL_MAX_LIMIT)", b.arg, b.value, l.MaxLimit),
			Path:       b.path,
			Extensions: map[string]any{"code": CodeBadUserInput, "limit": "ODOOGQL_MAX_LIMIT", "max": l.MaxLimit, "value": b.value},
		}
		if b.value < 0 {
			page.Message = fmt.Sprintf("%s must not be negative, got %d", b.arg, b.value)
			page.Extensions = map[string]any{"code": CodeBadUserInput}
		}
		if b.pos != nil {
			page.Locations = []gqlerror.Location{{Line: b.pos.Line, Column: b.pos.Column}}
		}
	}
	for _, e := range []*gqlerror.Error{
		check("query depth", "ODOOGQL_MAX_DEPTH", s.height, l.MaxDepth),
		check("root fields", "ODOOGQL_MAX_ROOT_FIELDS", s.fields, l.MaxRootFields),
		check("aliases", "ODOOGQL_MAX_ALIASES", s.aliases, l.MaxAliases),
		page,
		check("query complexity", "ODOOGQL_MAX_COMPLEXITY", s.cost, l.MaxComplexity),
	} {
		if e != nil {
			return e
		}
	}
	return nil
}

// summary is what the limits need to know of a selection set, fragments
// expanded: counts saturate instead of overflowing, since a few fragments
// spread twice each expand to more fields than an int holds.
type summary struct {
	fields  int // fields of this level
	height  int // deepest nesting of non-introspection fields, 0 for none
	aliases int // aliased fields at this level and below
	cost    int // estimated values returned
	// badLimit is the first list (in document order) whose page size
	// exceeds MaxLimit or is negative; nil for none.
	badLimit *badLimit
}

// badLimit is a list asking for a page over MaxLimit, or a negative one.
type badLimit struct {
	path  ast.Path // response names from the summarized selection down
	pos   *ast.Position
	arg   string // limit, first or last
	value int
}

func (s *summary) add(o summary) {
	s.fields = saturatingAdd(s.fields, o.fields)
	s.height = max(s.height, o.height)
	s.aliases = saturatingAdd(s.aliases, o.aliases)
	s.cost = saturatingAdd(s.cost, o.cost)
	if s.badLimit == nil {
		s.badLimit = o.badLimit
	}
}

// fragmentKey memoizes a fragment's summary: it depends on the fragment and
// on whether it is spread at the root (where a list that is not a
// connection counts once), nothing else.
type fragmentKey struct {
	name string
	root bool
}

// walker summarizes an operation in time linear in the document's size:
// each fragment is summarized once per fragmentKey, however often it is
// spread.
type walker struct {
	oc        *graphql.OperationContext
	limits    Limits
	frags     map[fragmentKey]*summary
	defs      map[string]*ast.FragmentDefinition // FragmentDefinitionList.ForName is a linear scan
	visits    int                                // selections visited
	budget    int
	exhausted bool
}

func newWalker(oc *graphql.OperationContext, l Limits, budget int) *walker {
	w := &walker{oc: oc, limits: l, frags: map[fragmentKey]*summary{}, budget: budget,
		defs: make(map[string]*ast.FragmentDefinition, len(oc.Doc.Fragments))}
	for _, f := range oc.Doc.Fragments {
		if _, dup := w.defs[f.Name]; !dup {
			w.defs[f.Name] = f
		}
	}
	return w
}

// summarize returns the summary of sel; root tells whether sel is the
// operation's root selection (depth 1).
func (w *walker) summarize(sel ast.SelectionSet, root bool) summary {
	var s summary
	for _, x := range sel {
		if w.exhausted {
			return s
		}
		if w.visits++; w.visits > w.budget {
			w.exhausted = true
			return s
		}
		switch x := x.(type) {
		case *ast.Field:
			s.add(w.field(x, root))
		case *ast.InlineFragment:
			s.add(w.summarize(x.SelectionSet, root))
		case *ast.FragmentSpread:
			s.add(w.fragment(x.Name, root))
		}
	}
	return s
}

// fragment returns the memoized summary of the named fragment.
func (w *walker) fragment(name string, root bool) summary {
	key := fragmentKey{name, root}
	if s, ok := w.frags[key]; ok {
		return *s // a cycle (invalid anyway) finds the zero summary
	}
	s := &summary{}
	w.frags[key] = s
	if frag := w.defs[name]; frag != nil {
		*s = w.summarize(frag.SelectionSet, root)
	}
	return *s
}

func (w *walker) field(f *ast.Field, root bool) summary {
	s := summary{fields: 1}
	if f.Alias != "" && f.Alias != f.Name {
		s.aliases = 1
	}
	var sub summary
	if len(f.SelectionSet) > 0 {
		sub = w.summarize(f.SelectionSet, false)
	}
	s.aliases = saturatingAdd(s.aliases, sub.aliases)
	if strings.HasPrefix(f.Name, "__") {
		return s // introspection: bounded by the schema, not by the query
	}
	s.height = saturatingAdd(sub.height, 1)
	s.cost = 1
	mult, arg, limit := w.multiplier(f, root)
	if len(f.SelectionSet) > 0 {
		s.cost = saturatingAdd(1, saturatingMul(mult, sub.cost))
	}
	// A bad limit: this field's own first (it encloses any below it), its
	// path prefixed with this field's response name.
	name := f.Alias
	if name == "" {
		name = f.Name
	}
	switch {
	case w.limits.MaxLimit > 0 && arg != "" && (limit < 0 || limit > w.limits.MaxLimit):
		s.badLimit = &badLimit{path: ast.Path{ast.PathName(name)}, pos: f.Position, arg: arg, value: limit}
	case sub.badLimit != nil:
		b := *sub.badLimit
		b.path = append(append(make(ast.Path, 0, len(b.path)+1), ast.PathName(name)), b.path...)
		s.badLimit = &b
	}
	return s
}

// pageArgs are the arguments that set a list's page size.
var pageArgs = [...]string{"limit", "first", "last"}

// multiplier is how many times a field's selection is returned: its page
// size for lists, 1 for single objects; and the argument that sets the
// page size of a list, with its value ("" for none).
func (w *walker) multiplier(f *ast.Field, root bool) (mult int, arg string, size int) {
	if f.Definition == nil || f.Definition.Type == nil {
		return 1, "", 0
	}
	list := f.Definition.Type.Elem != nil
	connection := strings.HasSuffix(f.Definition.Type.Name(), "Connection") ||
		// An aggregate root pages its groups as a connection pages its nodes.
		root && strings.HasSuffix(f.Definition.Type.Name(), "Aggregate") && f.Definition.Arguments.ForName("groupBy") != nil
	if !list && !connection {
		return 1, "", 0
	}
	if (f.Name == "nodes" || f.Name == "edges") && f.ObjectDefinition != nil && strings.HasSuffix(f.ObjectDefinition.Name, "Connection") {
		return 1, "", 0 // the connection field already counted its page
	}
	if f.Name == "groups" && f.ObjectDefinition != nil && strings.HasSuffix(f.ObjectDefinition.Name, "Aggregate") &&
		strings.HasSuffix(f.Definition.Type.Name(), "Group") {
		return 1, "", 0 // the aggregate root already counted its page
	}
	var args map[string]any
	for _, name := range pageArgs {
		if f.Definition.Arguments.ForName(name) == nil {
			continue
		}
		if args == nil {
			args = f.ArgumentMap(w.oc.Variables)
		}
		if v, ok := args[name]; ok && v != nil {
			if n, err := toInt(v); err == nil {
				return max(n, 1), name, n
			}
		}
	}
	if connection {
		return max(w.limits.DefaultLimit, 1), "", 0
	}
	if root {
		return 1, "", 0 // a root list that is not a connection (mutation results)
	}
	return max(w.limits.X2ManyEstimate, 1), "", 0
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
