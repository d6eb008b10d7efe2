package live

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/introspection"
	"github.com/vektah/gqlparser/v2/ast"
)

// execution is the state of one operation's execution (graphql-js's
// ExecutionContext): the plan, the output buffer and the response path.
type execution struct {
	s    *ExecutableSchema
	ctx  context.Context
	oc   *graphql.OperationContext
	plan *OperationPlan
	buf  bytes.Buffer
	path []pathSegment
	// fields counts the fields executed (for tests: the work done).
	fields int
	// roots are the root fields with their coerced arguments.
	roots []RootField
	// args are the coerced arguments of the fields below the root, per
	// field (the same for every object: they depend on the variables only).
	args map[*Field]map[string]any
	// speculative is set on the executions of the parts of a list written
	// in parallel (parallel.go): they report nothing, and the first error
	// they meet sets failed instead, and the list is written again in
	// sequence.
	speculative, failed bool
}

// abandon reports whether the execution is speculative, and then marks it
// failed: whatever it was about to report or call is left to the
// sequential rerun of the list.
func (e *execution) abandon() bool {
	if e.speculative {
		e.failed = true
	}
	return e.speculative
}

// pathSegment is one step of the response path: a field of an object, or
// an index in a list.
type pathSegment struct {
	field  *Field // nil for an index
	object string
	index  int
}

// nullableSchema is the type gqlgen's generated _Query___schema completes
// __schema with: marshalO__Schema, nonNull false, so an error in __schema
// (introspection disabled) nulls only the field, not the whole data.
var nullableSchema = &ast.Type{NamedType: "__Schema"}

// executeOperation runs the operation of oc and returns the data JSON.
func (s *ExecutableSchema) executeOperation(ctx context.Context, oc *graphql.OperationContext) []byte {
	data, _ := s.execute(ctx, oc)
	return data
}

// execute runs the operation and returns the data JSON and the number of
// fields executed.
func (s *ExecutableSchema) execute(ctx context.Context, oc *graphql.OperationContext) ([]byte, int) {
	plan, err := s.Plan(oc)
	if err != nil {
		oc.Error(ctx, err)
		return []byte("null"), 0
	}
	e := &execution{s: s, ctx: ctx, oc: oc, plan: plan}
	if hint := plan.sizeHint.Load(); hint > 0 {
		e.buf.Grow(int(min(hint, maxSizeHint)))
	}
	defer func() { plan.sizeHint.Store(int64(e.buf.Len())) }()
	run := func(ctx context.Context) error {
		e.ctx = ctx
		e.coerceRoots()
		if !e.executeFields(plan.Root, nil, true) {
			e.buf.Reset()
			e.buf.WriteString("null")
		}
		return nil
	}
	run, err = s.operationDirectives(ctx, oc, run)
	if err == nil {
		err = run(ctx)
	}
	if err != nil {
		oc.Error(ctx, err)
		return []byte("null"), e.fields
	}
	if e.buf.Len() == 0 {
		// A directive did not call next.
		return []byte("null"), e.fields
	}
	return e.buf.Bytes(), e.fields
}

// operationDirectives wraps run in the operation's directives, as gqlgen's
// generated _queryMiddleware does: each directive declared for the
// operation's location wraps the previous ones.
func (s *ExecutableSchema) operationDirectives(ctx context.Context, oc *graphql.OperationContext, run func(context.Context) error) (func(context.Context) error, error) {
	loc := ast.LocationQuery
	if oc.Operation.Operation == ast.Mutation {
		loc = ast.LocationMutation
	}
	for _, d := range oc.Operation.Directives {
		def := s.schema.Directives[d.Name]
		if def == nil || def.Position == nil || def.Position.Src == nil || def.Position.Src.BuiltIn {
			continue
		}
		located := false
		for _, l := range def.Locations {
			located = located || l == loc
		}
		if !located {
			continue
		}
		args, err := coerceDirectiveArgs(def, d.ArgumentMap(oc.Variables))
		if err != nil {
			return nil, err
		}
		next, name, fn := run, d.Name, s.directives[d.Name]
		run = func(ctx context.Context) error {
			if fn == nil {
				return fmt.Errorf("directive %s is not implemented", name)
			}
			return fn(ctx, args, next)
		}
	}
	return run, nil
}

// executeFields writes the object obj's fields of plan (graphql-js's
// executeFields). It returns false when a non-null field is null: the
// object is then null, and the caller truncates what was written. All the
// fields are executed even so, so that every error is reported.
func (e *execution) executeFields(plan *Plan, obj any, root bool) bool {
	e.buf.WriteByte('{')
	valid, first := true, true
	for _, f := range plan.Fields {
		if e.failed {
			return false
		}
		if f.Shadowed {
			continue
		}
		if !first {
			e.buf.WriteByte(',')
		}
		first = false
		e.buf.WriteByte('"')
		e.buf.WriteString(f.ResponseKey)
		e.buf.WriteString(`":`)
		e.path = append(e.path, pathSegment{field: f, object: plan.Type.Name, index: -1})
		if !e.executeField(plan, obj, f, root) {
			valid = false
		}
		e.path = e.path[:len(e.path)-1]
	}
	e.buf.WriteByte('}')
	return valid
}

// executeField resolves and completes one field (graphql-js's executeField).
func (e *execution) executeField(plan *Plan, obj any, f *Field, root bool) bool {
	e.fields++
	if f.Name == "__typename" {
		writeQuotedString(&e.buf, plan.Type.Name)
		return true
	}
	t := f.Definition.Type
	info := FieldInfo{Operation: e.plan.Operation, Parent: plan.Type, Field: f, Variables: e.oc.Variables}
	var v any
	var err error
	switch {
	case root && f.Name == "__schema":
		t = nullableSchema
		v, err = e.introspectSchema()
	case root && f.Name == "__type":
		v, err = e.introspectType(info)
	case root:
		rf := e.rootField(f)
		if rf.Err != nil {
			return e.argumentError(t, rf.Err)
		}
		info.Arguments, info.Roots = rf.Arguments, e.roots
		if e.s.resolver != nil {
			var panicked bool
			if v, panicked, err = e.resolve(e.errorContext(), func(ctx context.Context) (any, error) { return e.s.resolver.ResolveRoot(ctx, info) }); panicked {
				return e.argumentError(t, err)
			}
		}
	default:
		if len(f.Definition.Arguments) > 0 && !strings.HasPrefix(plan.Type.Name, "__") {
			args, aerr := e.fieldArguments(f)
			if aerr != nil {
				return e.argumentError(t, aerr)
			}
			info.Arguments = args
		}
		switch o := obj.(type) {
		case map[string]any:
			v = o[f.Name]
		case Keyed:
			var ok bool
			if v, ok = o.ValueByKey(f.ResponseKey); !ok && t.Elem != nil {
				v = []any{}
			}
		case Object:
			if e.abandon() {
				return false
			}
			var panicked bool
			if v, panicked, err = e.resolve(e.ctx, func(ctx context.Context) (any, error) { return o.FieldValue(ctx, info) }); panicked {
				return e.argumentError(t, err)
			}
		}
	}
	if err != nil {
		v = err
	}
	return e.completeValue(t, f, v)
}

// resolve calls a Resolver or an Object with ctx. A panic becomes the
// error of the operation's RecoverFunc, as in gqlgen's generated code, and
// panicked is set: the field is then null without a further error.
func (e *execution) resolve(ctx context.Context, f func(ctx context.Context) (any, error)) (v any, panicked bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			ctx := e.errorContext()
			if e.oc.RecoverFunc == nil {
				v, panicked, err = nil, true, graphql.ErrorOnPath(ctx, graphql.DefaultRecover(ctx, r))
				return
			}
			v, panicked, err = nil, true, e.oc.Recover(ctx, r)
		}
	}()
	v, err = f(ctx)
	return v, false, err
}

// coerceRoots coerces the arguments of the operation's root fields (but
// the introspection ones), at their paths.
func (e *execution) coerceRoots() {
	e.roots = e.roots[:0]
	for _, f := range e.plan.Root.Fields {
		if f.Shadowed || strings.HasPrefix(f.Name, "__") {
			continue
		}
		e.path = append(e.path, pathSegment{field: f, object: e.plan.Root.Type.Name, index: -1})
		var args map[string]any
		var err error
		if len(f.Definition.Arguments) > 0 {
			args, err = e.s.CoerceArguments(e.errorContext(), f.Definition, f.AST.ArgumentMap(e.oc.Variables))
		}
		e.path = e.path[:len(e.path)-1]
		e.roots = append(e.roots, RootField{Field: f, Arguments: args, Err: err})
	}
}

// rootField returns the coerced arguments of the root field f.
func (e *execution) rootField(f *Field) RootField {
	for _, rf := range e.roots {
		if rf.Field == f {
			return rf
		}
	}
	return RootField{Field: f}
}

// fieldArguments returns the coerced arguments of f at the current path.
// An error is made again at every path it occurs (its path differs).
func (e *execution) fieldArguments(f *Field) (map[string]any, error) {
	if args, ok := e.args[f]; ok {
		return args, nil
	}
	args, err := e.s.CoerceArguments(e.errorContext(), f.Definition, f.AST.ArgumentMap(e.oc.Variables))
	if err != nil {
		return nil, err
	}
	if e.args == nil {
		e.args = map[*Field]map[string]any{}
	}
	e.args[f] = args
	return args, nil
}

// argumentError reports an error coercing a field's arguments (or a
// resolver's panic) as gqlgen's generated code does (the error as it is,
// without the field's location) and makes the field null: in a non-null
// position its parent is null, with no further error.
func (e *execution) argumentError(t *ast.Type, err error) bool {
	if e.abandon() {
		return false
	}
	e.oc.Error(e.errorContext(), err)
	if t.NonNull {
		return false
	}
	e.buf.WriteString("null")
	return true
}

func (e *execution) introspectSchema() (any, error) {
	if e.oc.DisableIntrospection {
		return nil, errors.New(introspectionDisabledMessage)
	}
	return &introSchema{introspection.WrapSchema(e.s.schema)}, nil
}

func (e *execution) introspectType(info FieldInfo) (any, error) {
	name, _ := info.Args()["name"].(string)
	if e.oc.DisableIntrospection {
		return nil, errors.New(introspectionDisabledMessage)
	}
	return wrapType(introspection.WrapTypeFromDef(e.s.schema, e.s.schema.Types[name])), nil
}

// completeValue writes v, the value of type t at the current path
// (graphql-js's completeValue). It returns false when the value is null in a
// non-null position: nothing is written then, and the caller's object or
// list becomes null in turn (null bubbling). A null in a nullable position is
// written as null.
func (e *execution) completeValue(t *ast.Type, f *Field, v any) bool {
	start := e.buf.Len()
	if e.completeNonNullValue(t, f, v) {
		return true
	}
	e.buf.Truncate(start)
	if t.NonNull {
		return false
	}
	e.buf.WriteString("null")
	return true
}

// completeNonNullValue writes v and returns true, or returns false when the
// value is null (an error, nil, or a null bubbled up from inside it), the
// error already reported.
func (e *execution) completeNonNullValue(t *ast.Type, f *Field, v any) bool {
	if err, ok := v.(error); ok {
		e.handleFieldError(err)
		return false
	}
	if m, ok := v.(map[string]any); ok && m == nil {
		v = nil
	}
	if v == nil {
		if t.NonNull {
			e.addNonNullError()
		}
		return false
	}
	if t.Elem != nil {
		return e.completeListValue(t, f, v)
	}
	def := f.named
	if def == nil || def.Name != t.NamedType {
		def = e.s.schema.Types[t.NamedType]
	}
	switch def.Kind {
	case ast.Scalar:
		if f.scalar != nil && def == f.named {
			return e.completeScalarValue(t, f.scalar, v)
		}
		return e.completeLeafValue(t, def, v)
	case ast.Enum:
		return e.completeEnumValue(def, v)
	case ast.Object:
		return e.completeObjectValue(f.Child, v)
	case ast.Interface, ast.Union:
		return e.completeAbstractValue(def, f, v)
	}
	e.handleFieldError(&ValueError{Type: def.Name, Value: v, Reason: "not an output type"})
	return false
}

// completeListValue writes a list; a null item in a non-null item position
// nulls the list.
func (e *execution) completeListValue(t *ast.Type, f *Field, v any) bool {
	n, ok := listLen(v)
	if !ok {
		e.handleFieldError(&ValueError{Type: t.String(), Value: v})
		return false
	}
	if n >= e.s.parallelList && !e.speculative {
		if e.completeListParallel(t, f, v, n) {
			return true
		}
	}
	e.buf.WriteByte('[')
	valid := true
	for i := 0; i < n && !e.failed; i++ {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		e.path = append(e.path, pathSegment{index: i})
		if !e.completeValue(t.Elem, f, listAt(v, i)) {
			valid = false
		}
		e.path = e.path[:len(e.path)-1]
	}
	e.buf.WriteByte(']')
	return valid
}

// completeLeafValue writes a scalar with its marshaler.
func (e *execution) completeLeafValue(t *ast.Type, def *ast.Definition, v any) bool {
	sc := e.s.scalars[def.Name]
	return e.completeScalarValue(t, &sc, v)
}

// completeScalarValue writes a scalar with the marshaler sc.
func (e *execution) completeScalarValue(t *ast.Type, sc *Scalar, v any) bool {
	if sc.builtin != notBuiltin && writeBuiltin(&e.buf, sc.builtin, v) {
		return true
	}
	if sc.MarshalContext != nil {
		m, err := sc.MarshalContext(v)
		if err != nil {
			e.handleFieldError(err)
			return false
		}
		start := e.buf.Len()
		if err := m.MarshalGQLContext(e.ctx, &e.buf); err != nil {
			// gqlgen's WrapContextMarshaler: the error is added and null
			// written at marshal time, after null propagation was decided.
			e.buf.Truncate(start)
			if e.abandon() {
				return false
			}
			graphql.AddError(e.errorContext(), err)
			e.buf.WriteString("null")
		}
		return true
	}
	m, err := sc.Marshal(v)
	if err != nil {
		e.handleFieldError(err)
		return false
	}
	if m == graphql.Null {
		if t.NonNull {
			e.addNonNullError()
		}
		return false
	}
	m.MarshalGQL(&e.buf)
	return true
}

// completeEnumValue writes an enum value, which must be one of the enum's.
func (e *execution) completeEnumValue(def *ast.Definition, v any) bool {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case fmt.Stringer:
		s = v.String()
	default:
		e.handleFieldError(&ValueError{Type: def.Name, Value: v})
		return false
	}
	if !e.s.enums[def.Name][s] {
		e.handleFieldError(&ValueError{Type: def.Name, Value: s, Reason: "not a value of the enum"})
		return false
	}
	graphql.MarshalString(s).MarshalGQL(&e.buf)
	return true
}

// completeObjectValue writes an object: the sub-plan's fields.
func (e *execution) completeObjectValue(plan *Plan, v any) bool {
	switch v.(type) {
	case map[string]any, Keyed, Object:
	default:
		e.handleFieldError(&ValueError{Type: plan.Type.Name, Value: v})
		return false
	}
	return e.executeFields(plan, v, false)
}

// completeAbstractValue finds the value's object type and writes it.
func (e *execution) completeAbstractValue(def *ast.Definition, f *Field, v any) bool {
	var name string
	switch o := v.(type) {
	case map[string]any:
		name, _ = o["__typename"].(string)
	case Typed:
		name = o.TypeName()
	}
	if name == "" {
		e.handleFieldError(&AbstractTypeError{Abstract: def.Name, Field: f.Name})
		return false
	}
	plan := f.Possible[name]
	if plan == nil {
		e.handleFieldError(&AbstractTypeError{Abstract: def.Name, TypeName: name, Field: f.Name})
		return false
	}
	return e.completeObjectValue(plan, v)
}

// handleFieldError reports a field error at the current path, with the
// field's location when the path ends at a field, as gqlgen's resolveField
// does (AddFieldLocationToError).
func (e *execution) handleFieldError(err error) {
	if e.abandon() {
		return
	}
	ctx := e.errorContext()
	if n := len(e.path); n > 0 && e.path[n-1].field != nil {
		err = graphql.AddFieldLocationToError(ctx, err)
	}
	e.oc.Error(ctx, err)
}

// addNonNullError reports a null in a non-null position, as gqlgen's
// marshalN… functions do.
func (e *execution) addNonNullError() {
	if e.abandon() {
		return
	}
	ctx := e.errorContext()
	if !graphql.HasFieldError(ctx, graphql.GetFieldContext(ctx)) {
		graphql.AddErrorf(ctx, nonNullMessage)
	}
}

// errorContext returns the context gqlgen's generated code would have at
// the current path: a chain of FieldContexts (the root one, then one per
// field and per list index), so that the error presenter and the errors'
// paths see what they see in compiled mode. It is built only for errors.
func (e *execution) errorContext() context.Context {
	ctx := graphql.WithFieldContext(e.ctx, &graphql.FieldContext{Object: e.plan.Root.Type.Name})
	for i := range e.path {
		seg := &e.path[i]
		if seg.field == nil {
			idx := seg.index
			ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &idx})
			continue
		}
		ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{
			Object: seg.object,
			Field:  graphql.CollectedField{Field: seg.field.AST, Selections: seg.field.atoms},
			Args:   seg.field.AST.ArgumentMap(e.oc.Variables),
		})
	}
	return ctx
}

func listLen(v any) (int, bool) {
	switch l := v.(type) {
	case []any:
		return len(l), true
	case []map[string]any:
		return len(l), true
	case []Object:
		return len(l), true
	case []string:
		return len(l), true
	case []int:
		return len(l), true
	case []int64:
		return len(l), true
	case []float64:
		return len(l), true
	case []bool:
		return len(l), true
	case List:
		return l.Len(), true
	}
	return 0, false
}

func listAt(v any, i int) any {
	switch l := v.(type) {
	case []any:
		return l[i]
	case []map[string]any:
		return l[i]
	case []Object:
		return l[i]
	case []string:
		return l[i]
	case []int:
		return l[i]
	case []int64:
		return l[i]
	case []float64:
		return l[i]
	case []bool:
		return l[i]
	case List:
		return l.At(i)
	}
	return nil
}
