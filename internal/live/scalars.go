package live

import (
	"bytes"
	"context"
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
	// Unmarshal coerces an input value (a literal's or a variable's) as
	// gqlgen's generated code does with the scalar's unmarshaler; its error
	// is an argument error. Nil leaves values as they are.
	Unmarshal func(ctx context.Context, v any) (any, error)

	// builtin marks DefaultScalars' String, ID, Int and Boolean, whose
	// values of the common Go types the executor writes itself (the bytes
	// of gqlgen's marshalers, without a marshaler per value).
	builtin builtinScalar
}

type builtinScalar int

const (
	notBuiltin     builtinScalar = iota
	builtinString                // String and ID: a string is MarshalString's
	builtinInt                   // an int is MarshalInt's
	builtinBoolean               // a bool is MarshalBoolean's
)

// DefaultScalars are the marshalers of the built-in scalars, as gqlgen's
// generated code uses them: String (MarshalString), Int (MarshalInt),
// Float (MarshalFloatContext), Boolean (MarshalBoolean), ID (MarshalID of
// the decimal form of an integer id).
func DefaultScalars() map[string]Scalar {
	return map[string]Scalar{
		"String":  {Marshal: marshalString, Unmarshal: unmarshal(graphql.UnmarshalString), builtin: builtinString},
		"Int":     {Marshal: marshalInt, Unmarshal: unmarshal(graphql.UnmarshalInt), builtin: builtinInt},
		"Float":   {MarshalContext: marshalFloat, Unmarshal: unmarshalContext(graphql.UnmarshalFloatContext)},
		"Boolean": {Marshal: marshalBoolean, Unmarshal: unmarshal(graphql.UnmarshalBoolean), builtin: builtinBoolean},
		"ID":      {Marshal: marshalID, Unmarshal: unmarshal(graphql.UnmarshalID), builtin: builtinString},
	}
}

// unmarshal adapts one of gqlgen's unmarshalers to Scalar.Unmarshal.
func unmarshal[T any](f func(v any) (T, error)) func(context.Context, any) (any, error) {
	return func(_ context.Context, v any) (any, error) {
		c, err := f(v)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}

// unmarshalContext adapts one of gqlgen's context unmarshalers.
func unmarshalContext[T any](f func(ctx context.Context, v any) (T, error)) func(context.Context, any) (any, error) {
	return func(ctx context.Context, v any) (any, error) {
		c, err := f(ctx, v)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}

// Unmarshaler adapts an unmarshaler (gqlgen's, or a custom scalar's) to
// Scalar.Unmarshal.
func Unmarshaler[T any](f func(v any) (T, error)) func(context.Context, any) (any, error) {
	return unmarshal(f)
}

// UnmarshalerContext adapts a context unmarshaler to Scalar.Unmarshal.
func UnmarshalerContext[T any](f func(ctx context.Context, v any) (T, error)) func(context.Context, any) (any, error) {
	return unmarshalContext(f)
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

// writeBuiltin writes v when sc is a built-in scalar and v of the Go type
// its marshaler writes without a check, and reports whether it did.
func writeBuiltin(buf *bytes.Buffer, sc builtinScalar, v any) bool {
	switch sc {
	case builtinString:
		if s, ok := v.(string); ok {
			writeQuotedString(buf, s)
			return true
		}
	case builtinInt:
		if i, ok := v.(int); ok {
			buf.Write(strconv.AppendInt(buf.AvailableBuffer(), int64(i), 10))
			return true
		}
	case builtinBoolean:
		if b, ok := v.(bool); ok {
			buf.WriteString(strconv.FormatBool(b))
			return true
		}
	}
	return false
}

// writeQuotedString writes s as gqlgen's MarshalString does (its
// writeQuotedString): control characters, backslash and quote escaped,
// every other byte as it is. Bytes of multi-byte UTF-8 sequences (and
// invalid ones) are all at least 0x80, so a byte scan escapes what
// gqlgen's rune scan escapes.
func writeQuotedString(buf *bytes.Buffer, s string) {
	const hex = "0123456789ABCDEF"
	buf.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '\\' && c != '"' {
			continue
		}
		buf.WriteString(s[start:i])
		switch c {
		case '\t':
			buf.WriteString(`\t`)
		case '\r':
			buf.WriteString(`\r`)
		case '\n':
			buf.WriteString(`\n`)
		case '\\':
			buf.WriteString(`\\`)
		case '"':
			buf.WriteString(`\"`)
		default:
			buf.WriteString(`\u00`)
			buf.WriteByte(hex[c>>4])
			buf.WriteByte(hex[c&0xf])
		}
		start = i + 1
	}
	buf.WriteString(s[start:])
	buf.WriteByte('"')
}
