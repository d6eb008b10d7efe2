package live

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
)

// Scalar marshals the values of one scalar type with gqlgen's marshalers,
// so the bytes are those of the compiled mode. Set one of the two.
type Scalar struct {
	// Marshal returns the marshaler of v, or an error when v is not a value
	// of the scalar (a field error: null propagates).
	Marshal func(v any) (graphql.Marshaler, error)
	// MarshalContext is for gqlgen's context marshalers (Float): an error
	// from MarshalGQLContext is added at the field's path and the value is
	// written as null, without null propagation, as gqlgen's
	// WrapContextMarshaler does.
	MarshalContext func(v any) (graphql.ContextMarshaler, error)
}

// DefaultScalars are the marshalers of the built-in scalars, as gqlgen's
// generated code uses them: String (MarshalString), Int (MarshalInt),
// Float (MarshalFloatContext), Boolean (MarshalBoolean), ID (MarshalID of
// the decimal form of an integer id).
func DefaultScalars() map[string]Scalar {
	return map[string]Scalar{
		"String":  {Marshal: marshalString},
		"Int":     {Marshal: marshalInt},
		"Float":   {MarshalContext: marshalFloat},
		"Boolean": {Marshal: marshalBoolean},
		"ID":      {Marshal: marshalID},
	}
}

func marshalString(v any) (graphql.Marshaler, error) {
	switch v := v.(type) {
	case string:
		return graphql.MarshalString(v), nil
	case *string:
		if v == nil {
			return graphql.Null, nil
		}
		return graphql.MarshalString(*v), nil
	}
	return nil, &ValueError{Type: "String", Value: v}
}

func marshalBoolean(v any) (graphql.Marshaler, error) {
	if b, ok := v.(bool); ok {
		return graphql.MarshalBoolean(b), nil
	}
	return nil, &ValueError{Type: "Boolean", Value: v}
}

func marshalInt(v any) (graphql.Marshaler, error) {
	switch v := v.(type) {
	case int:
		return graphql.MarshalInt(v), nil
	case int32:
		return graphql.MarshalInt32(v), nil
	case int64:
		return graphql.MarshalInt64(v), nil
	case float64:
		if v == math.Trunc(v) && !math.IsInf(v, 0) {
			return graphql.MarshalInt64(int64(v)), nil
		}
		return nil, &ValueError{Type: "Int", Value: v, Reason: "not an integer"}
	case json.Number:
		i, err := v.Int64()
		if err != nil {
			return nil, &ValueError{Type: "Int", Value: v, Reason: "not an integer"}
		}
		return graphql.MarshalInt64(i), nil
	}
	return nil, &ValueError{Type: "Int", Value: v}
}

func marshalFloat(v any) (graphql.ContextMarshaler, error) {
	switch v := v.(type) {
	case float64:
		return graphql.MarshalFloatContext(v), nil
	case float32:
		return graphql.MarshalFloatContext(float64(v)), nil
	case int:
		return graphql.MarshalFloatContext(float64(v)), nil
	case int64:
		return graphql.MarshalFloatContext(float64(v)), nil
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return nil, &ValueError{Type: "Float", Value: v, Reason: "not a number"}
		}
		return graphql.MarshalFloatContext(f), nil
	}
	return nil, &ValueError{Type: "Float", Value: v}
}

func marshalID(v any) (graphql.Marshaler, error) {
	switch v := v.(type) {
	case string:
		return graphql.MarshalID(v), nil
	case int:
		return graphql.MarshalID(strconv.Itoa(v)), nil
	case int64:
		return graphql.MarshalID(strconv.FormatInt(v, 10)), nil
	case json.Number:
		return graphql.MarshalID(string(v)), nil
	}
	return nil, &ValueError{Type: "ID", Value: v}
}
