package live

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// CoerceArguments coerces the arguments of field f (raw: as
// ast.Field.ArgumentMap gives them) exactly as gqlgen's generated
// field_X_args functions do: in the order of the field's definition, each
// value through its type's unmarshaler (Config.Scalars), enums checked, input
// objects field by field in the order of their definition, lists through
// graphql.CoerceList. An error carries the path of the value (the field's
// path from ctx, then the argument's), as graphql.ErrorOnPath sets it.
func (s *ExecutableSchema) CoerceArguments(ctx context.Context, def *ast.FieldDefinition, raw map[string]any) (map[string]any, error) {
	args := make(map[string]any, len(def.Arguments))
	for _, a := range def.Arguments {
		v, ok := raw[a.Name]
		if !ok {
			continue
		}
		ctx := graphql.WithPathContext(ctx, graphql.NewPathWithField(a.Name))
		c, err := s.coerceValue(ctx, a.Type, v)
		if err != nil {
			return nil, err
		}
		args[a.Name] = c
	}
	return args, nil
}

// coerceValue is one of gqlgen's generated unmarshalN…/unmarshalO…
// functions, for the type t.
func (s *ExecutableSchema) coerceValue(ctx context.Context, t *ast.Type, v any) (any, error) {
	if !t.NonNull && v == nil {
		return nil, nil
	}
	if t.Elem != nil {
		items := graphql.CoerceList(v)
		out := make([]any, len(items))
		for i := range items {
			ctx := graphql.WithPathContext(ctx, graphql.NewPathWithIndex(i))
			c, err := s.coerceValue(ctx, t.Elem, items[i])
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	def := s.schema.Types[t.NamedType]
	if def == nil {
		return nil, graphql.ErrorOnPath(ctx, fmt.Errorf("unknown type %s", t.NamedType))
	}
	switch def.Kind {
	case ast.Scalar:
		sc := s.scalars[def.Name]
		if sc.Unmarshal == nil {
			return v, nil
		}
		c, err := sc.Unmarshal(ctx, v)
		return c, graphql.ErrorOnPath(ctx, err)
	case ast.Enum:
		str, ok := v.(string)
		if !ok {
			return nil, graphql.ErrorOnPath(ctx, fmt.Errorf("enums must be strings"))
		}
		if !s.enums[def.Name][str] {
			return nil, graphql.ErrorOnPath(ctx, fmt.Errorf("%s is not a valid %s", str, def.Name))
		}
		return str, nil
	case ast.InputObject:
		c, err := s.coerceInputObject(ctx, def, v)
		return c, graphql.ErrorOnPath(ctx, err)
	}
	return v, nil
}

// coerceInputObject is gqlgen's generated unmarshalInputX.
func (s *ExecutableSchema) coerceInputObject(ctx context.Context, def *ast.Definition, v any) (map[string]any, error) {
	if v == nil {
		return nil, nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s must be an object, got %T", def.Name, v)
	}
	out := make(map[string]any, len(obj))
	for _, f := range def.Fields {
		fv, ok := obj[f.Name]
		if !ok {
			continue
		}
		ctx := graphql.WithPathContext(ctx, graphql.NewPathWithField(f.Name))
		c, err := s.coerceValue(ctx, f.Type, fv)
		if err != nil {
			return out, err
		}
		out[f.Name] = c
	}
	return out, nil
}
