package live

import (
	"context"

	"github.com/99designs/gqlgen/graphql/introspection"
)

// The introspection objects wrap gqlgen's graphql/introspection values and
// answer each field exactly as gqlgen's generated ___Schema, ___Type,
// ___Field, ___InputValue, ___EnumValue and ___Directive do: a nil Go value
// of a nullable field is null, a nil slice of a non-null list field is []
// (the generated marshalN…ᚄ functions see a typed nil slice, of length 0),
// a nil pointer of a non-null field is the "requested element is null"
// error.

type introSchema struct{ s *introspection.Schema }

func (o *introSchema) FieldValue(_ context.Context, info FieldInfo) (any, error) {
	switch info.Field.Name {
	case "description":
		return str(o.s.Description()), nil
	case "types":
		return types(o.s.Types(), true), nil
	case "queryType":
		return wrapType(o.s.QueryType()), nil
	case "mutationType":
		return wrapType(o.s.MutationType()), nil
	case "subscriptionType":
		return wrapType(o.s.SubscriptionType()), nil
	case "directives":
		ds := o.s.Directives()
		out := make([]any, len(ds))
		for i := range ds {
			out[i] = &introDirective{&ds[i]}
		}
		return out, nil
	}
	return nil, nil
}

type introType struct{ t *introspection.Type }

// wrapType returns nil (not a typed nil) for a nil type.
func wrapType(t *introspection.Type) any {
	if t == nil {
		return nil
	}
	return &introType{t}
}

func (o *introType) FieldValue(_ context.Context, info FieldInfo) (any, error) {
	switch info.Field.Name {
	case "kind":
		return o.t.Kind(), nil
	case "name":
		return str(o.t.Name()), nil
	case "description":
		return str(o.t.Description()), nil
	case "specifiedByURL":
		return str(o.t.SpecifiedByURL()), nil
	case "fields":
		includeDeprecated, _ := info.Args()["includeDeprecated"].(bool)
		fs := o.t.Fields(includeDeprecated)
		if fs == nil {
			return nil, nil
		}
		out := make([]any, len(fs))
		for i := range fs {
			out[i] = &introField{&fs[i]}
		}
		return out, nil
	case "interfaces":
		return types(o.t.Interfaces(), false), nil
	case "possibleTypes":
		return types(o.t.PossibleTypes(), false), nil
	case "enumValues":
		includeDeprecated, _ := info.Args()["includeDeprecated"].(bool)
		vs := o.t.EnumValues(includeDeprecated)
		if vs == nil {
			return nil, nil
		}
		out := make([]any, len(vs))
		for i := range vs {
			out[i] = &introEnumValue{&vs[i]}
		}
		return out, nil
	case "inputFields":
		return inputValues(o.t.InputFields(), false), nil
	case "ofType":
		return wrapType(o.t.OfType()), nil
	case "isOneOf":
		return o.t.IsOneOf(), nil
	}
	return nil, nil
}

type introField struct{ f *introspection.Field }

func (o *introField) FieldValue(_ context.Context, info FieldInfo) (any, error) {
	switch info.Field.Name {
	case "name":
		return o.f.Name, nil
	case "description":
		return str(o.f.Description()), nil
	case "args":
		return inputValues(o.f.Args, true), nil
	case "type":
		return wrapType(o.f.Type), nil
	case "isDeprecated":
		return o.f.IsDeprecated(), nil
	case "deprecationReason":
		return str(o.f.DeprecationReason()), nil
	}
	return nil, nil
}

type introInputValue struct{ v *introspection.InputValue }

func (o *introInputValue) FieldValue(_ context.Context, info FieldInfo) (any, error) {
	switch info.Field.Name {
	case "name":
		return o.v.Name, nil
	case "description":
		return str(o.v.Description()), nil
	case "type":
		return wrapType(o.v.Type), nil
	case "defaultValue":
		return str(o.v.DefaultValue), nil
	case "isDeprecated":
		return o.v.IsDeprecated(), nil
	case "deprecationReason":
		return str(o.v.DeprecationReason()), nil
	}
	return nil, nil
}

type introEnumValue struct{ v *introspection.EnumValue }

func (o *introEnumValue) FieldValue(_ context.Context, info FieldInfo) (any, error) {
	switch info.Field.Name {
	case "name":
		return o.v.Name, nil
	case "description":
		return str(o.v.Description()), nil
	case "isDeprecated":
		return o.v.IsDeprecated(), nil
	case "deprecationReason":
		return str(o.v.DeprecationReason()), nil
	}
	return nil, nil
}

type introDirective struct{ d *introspection.Directive }

func (o *introDirective) FieldValue(_ context.Context, info FieldInfo) (any, error) {
	switch info.Field.Name {
	case "name":
		return o.d.Name, nil
	case "description":
		return str(o.d.Description()), nil
	case "isRepeatable":
		return o.d.IsRepeatable, nil
	case "locations":
		out := make([]any, len(o.d.Locations))
		for i, l := range o.d.Locations {
			out[i] = l
		}
		return out, nil
	case "args":
		return inputValues(o.d.Args, true), nil
	}
	return nil, nil
}

// str returns nil (not a typed nil) for a nil string.
func str(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// types converts a list of types; a nil list is null unless nonNull.
func types(ts []introspection.Type, nonNull bool) any {
	if ts == nil && !nonNull {
		return nil
	}
	out := make([]any, len(ts))
	for i := range ts {
		out[i] = &introType{&ts[i]}
	}
	return out
}

// inputValues converts a list of input values; a nil list is null unless
// nonNull.
func inputValues(vs []introspection.InputValue, nonNull bool) any {
	if vs == nil && !nonNull {
		return nil
	}
	out := make([]any, len(vs))
	for i := range vs {
		out[i] = &introInputValue{&vs[i]}
	}
	return out
}
