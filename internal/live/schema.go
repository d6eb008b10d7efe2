package live

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
)

// OperationDirective runs an operation-level directive (such as odoogql's
// @cached on QUERY) around the execution of the operation, as gqlgen's
// generated _queryMiddleware does: it calls next, possibly with a changed
// context. args are the directive's arguments, coerced to Go types as gqlgen
// coerces them (Int: int, Float: float64, String: string, Boolean: bool).
type OperationDirective func(ctx context.Context, args map[string]any, next func(ctx context.Context) error) error

// ComplexityFunc is graphql.ExecutableSchema's Complexity.
type ComplexityFunc func(ctx context.Context, typeName, field string, childComplexity int, args map[string]any) (int, bool)

// Config configures an ExecutableSchema.
type Config struct {
	// Schema is the served schema, loaded by gqlparser (prelude included).
	Schema *ast.Schema
	// Resolver answers the root fields. Nil answers every one with null.
	Resolver Resolver
	// Scalars are the marshalers of the schema's scalars by name; they
	// override DefaultScalars (Int, Float, String, Boolean, ID). Every
	// scalar of the schema must have one.
	Scalars map[string]Scalar
	// OperationDirectives run the directives declared on QUERY or MUTATION.
	// A directive used in an operation and missing here fails the operation
	// as gqlgen's generated code does ("directive X is not implemented").
	OperationDirectives map[string]OperationDirective
	// Complexity answers Complexity; nil answers (0, false): gqlgen's
	// default (1 + childComplexity).
	Complexity ComplexityFunc
	// PlanCacheSize is the number of operation plans kept; 0 means 1000,
	// a negative value disables the cache.
	PlanCacheSize int
}

// ExecutableSchema is a graphql.ExecutableSchema executing over an
// *ast.Schema at run time.
type ExecutableSchema struct {
	schema     *ast.Schema
	resolver   Resolver
	scalars    map[string]Scalar
	directives map[string]OperationDirective
	complexity ComplexityFunc
	// satisfies are gqlgen's "implementors": for each object type, itself,
	// its interfaces and the unions it is a member of.
	satisfies map[string][]string
	// enums are the values of each enum type.
	enums map[string]map[string]bool
	plans *planCache
	// parallelList is the length from which a list is written in parts
	// concurrently (parallel.go), in listParts parts at most (0: one per
	// core).
	parallelList, listParts int
}

var _ graphql.ExecutableSchema = (*ExecutableSchema)(nil)

// New returns the ExecutableSchema of cfg.
func New(cfg Config) (*ExecutableSchema, error) {
	if cfg.Schema == nil {
		return nil, &ConfigError{Reason: "no schema"}
	}
	if cfg.Schema.Query == nil {
		return nil, &ConfigError{Reason: "the schema has no query type"}
	}
	s := &ExecutableSchema{
		schema:       cfg.Schema,
		resolver:     cfg.Resolver,
		scalars:      map[string]Scalar{},
		directives:   cfg.OperationDirectives,
		complexity:   cfg.Complexity,
		satisfies:    map[string][]string{},
		parallelList: parallelListItems,
		enums:        map[string]map[string]bool{},
	}
	for name, sc := range DefaultScalars() {
		s.scalars[name] = sc
	}
	for name, sc := range cfg.Scalars {
		if sc.Marshal == nil && sc.MarshalContext == nil {
			return nil, &ConfigError{Reason: fmt.Sprintf("scalar %s: no marshaler", name)}
		}
		s.scalars[name] = sc
	}
	names := make([]string, 0, len(cfg.Schema.Types))
	for name := range cfg.Schema.Types {
		names = append(names, name)
	}
	sort.Strings(names)
	var missing []string
	for _, name := range names {
		def := cfg.Schema.Types[name]
		switch def.Kind {
		case ast.Scalar:
			if _, ok := s.scalars[name]; !ok {
				missing = append(missing, name)
			}
		case ast.Enum:
			vals := make(map[string]bool, len(def.EnumValues))
			for _, v := range def.EnumValues {
				vals[v.Name] = true
			}
			s.enums[name] = vals
		case ast.Object:
			sat := append([]string{name}, def.Interfaces...)
			for _, u := range names {
				ud := cfg.Schema.Types[u]
				if ud.Kind == ast.Union && slices.Contains(ud.Types, name) {
					sat = append(sat, u)
				}
			}
			s.satisfies[name] = sat
		}
	}
	if len(missing) > 0 {
		return nil, &ConfigError{Reason: "no marshaler for scalar " + strings.Join(missing, ", ")}
	}
	if cfg.PlanCacheSize >= 0 {
		size := cfg.PlanCacheSize
		if size == 0 {
			size = 1000
		}
		s.plans = &planCache{docs: lru.New[*docPlans](size)}
	}
	return s, nil
}

// Schema returns the served schema.
func (s *ExecutableSchema) Schema() *ast.Schema { return s.schema }

// Complexity is graphql.ExecutableSchema's.
func (s *ExecutableSchema) Complexity(ctx context.Context, typeName, field string, childComplexity int, args map[string]any) (int, bool) {
	if s.complexity == nil {
		return 0, false
	}
	return s.complexity(ctx, typeName, field, childComplexity, args)
}

func (s *ExecutableSchema) rootType(op ast.Operation) *ast.Definition {
	switch op {
	case ast.Query:
		return s.schema.Query
	case ast.Mutation:
		return s.schema.Mutation
	}
	return nil
}

// Exec is graphql.ExecutableSchema's: it runs the operation of the context's
// OperationContext and answers one response, as gqlgen's generated Exec
// does (no incremental delivery: @defer is executed inline).
func (s *ExecutableSchema) Exec(ctx context.Context) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	switch oc.Operation.Operation {
	case ast.Query, ast.Mutation:
	default:
		return graphql.OneShot(graphql.ErrorResponse(ctx, "unsupported GraphQL operation"))
	}
	if s.rootType(oc.Operation.Operation) == nil {
		return graphql.OneShot(graphql.ErrorResponse(ctx, "unsupported GraphQL operation"))
	}
	first := true
	return func(ctx context.Context) *graphql.Response {
		if !first {
			return nil
		}
		first = false
		return &graphql.Response{Data: s.executeOperation(ctx, oc)}
	}
}

// Plan returns the plan of the context's operation, from the cache when it
// was made before for the same document, operation and @include/@skip
// variable values.
func (s *ExecutableSchema) Plan(oc *graphql.OperationContext) (*OperationPlan, error) {
	if s.plans == nil {
		return s.BuildPlan(oc.Doc, oc.Operation, oc.Variables)
	}
	return s.plans.get(s, oc)
}

// planCache keeps plans per document (by identity: the entry holds the
// document, so the key cannot be reused while it is cached), then per
// operation and values of the variables @include/@skip read.
type planCache struct {
	docs *lru.LRU[*docPlans]
}

type docPlans struct {
	doc *ast.QueryDocument
	mu  sync.Mutex
	ops map[string]*opPlans
}

type opPlans struct {
	vars  []string // the variables read by @include/@skip, sorted
	plans map[string]*OperationPlan
}

func (c *planCache) get(s *ExecutableSchema, oc *graphql.OperationContext) (*OperationPlan, error) {
	ctx := context.Background()
	key := fmt.Sprintf("%p", oc.Doc)
	dp, ok := c.docs.Get(ctx, key)
	if !ok || dp.doc != oc.Doc {
		dp = &docPlans{doc: oc.Doc, ops: map[string]*opPlans{}}
		c.docs.Add(ctx, key, dp)
	}
	dp.mu.Lock()
	defer dp.mu.Unlock()
	opKey := oc.Operation.Name + "\x00" + fmt.Sprintf("%p", oc.Operation)
	ops, ok := dp.ops[opKey]
	if !ok {
		ops = &opPlans{vars: conditionVariables(oc.Doc, oc.Operation), plans: map[string]*OperationPlan{}}
		dp.ops[opKey] = ops
	}
	var b strings.Builder
	for _, v := range ops.vars {
		fmt.Fprintf(&b, "%s=%v;", v, oc.Variables[v])
	}
	if p, ok := ops.plans[b.String()]; ok {
		return p, nil
	}
	p, err := s.BuildPlan(oc.Doc, oc.Operation, oc.Variables)
	if err != nil {
		return nil, err
	}
	ops.plans[b.String()] = p
	return p, nil
}

// conditionVariables are the variables read by the @include and @skip
// directives of the operation and of the document's fragments.
func conditionVariables(doc *ast.QueryDocument, op *ast.OperationDefinition) []string {
	seen := map[string]bool{}
	var walk func(ast.SelectionSet)
	dirs := func(ds ast.DirectiveList) {
		for _, d := range ds {
			if d.Name != "include" && d.Name != "skip" {
				continue
			}
			for _, a := range d.Arguments {
				if a.Value != nil && a.Value.Kind == ast.Variable {
					seen[a.Value.Raw] = true
				}
			}
		}
	}
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch sel := sel.(type) {
			case *ast.Field:
				dirs(sel.Directives)
				walk(sel.SelectionSet)
			case *ast.InlineFragment:
				dirs(sel.Directives)
				walk(sel.SelectionSet)
			case *ast.FragmentSpread:
				dirs(sel.Directives)
			}
		}
	}
	walk(op.SelectionSet)
	for _, f := range doc.Fragments {
		walk(f.SelectionSet)
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// coerceDirectiveArgs coerces an operation directive's arguments as
// gqlgen's generated dir_X_args do for the built-in scalars.
func coerceDirectiveArgs(def *ast.DirectiveDefinition, raw map[string]any) (map[string]any, error) {
	args := make(map[string]any, len(raw))
	for _, a := range def.Arguments {
		v, ok := raw[a.Name]
		if !ok {
			continue
		}
		if v == nil {
			args[a.Name] = nil
			continue
		}
		var err error
		switch a.Type.Name() {
		case "Int":
			v, err = graphql.UnmarshalInt(v)
		case "Float":
			v, err = graphql.UnmarshalFloat(v)
		case "String":
			v, err = graphql.UnmarshalString(v)
		case "Boolean":
			v, err = graphql.UnmarshalBoolean(v)
		}
		if err != nil {
			return nil, errors.Join(fmt.Errorf("directive @%s argument %s", def.Name, a.Name), err)
		}
		args[a.Name] = v
	}
	return args, nil
}
