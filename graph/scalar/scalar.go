// Package scalar provides the custom GraphQL scalars of odoogql's schema,
// Date, DateTime and JSON, and its own printing of the built-in Float. gqlgen
// binds them through the Marshal/Unmarshal function pairs below; their Go
// types are string, any and float64.
package scalar

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/odoogql/odoogql/odoo"
)

// badInput is the error of a value that is not of the scalar's form; the
// error presenter keeps its message and code.
func badInput(format string, a ...any) error {
	return &gqlerror.Error{Message: fmt.Sprintf(format, a...), Extensions: map[string]any{"code": "BAD_USER_INPUT"}}
}

// DateLayout and DateTimeLayout are the GraphQL forms of Odoo's date and
// datetime values.
const (
	DateLayout     = "2006-01-02"
	DateTimeLayout = "2006-01-02T15:04:05Z"
)

// MarshalDate writes a date (YYYY-MM-DD).
func MarshalDate(s string) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(s)) })
}

// UnmarshalDate accepts "YYYY-MM-DD".
func UnmarshalDate(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", badInput("Date must be a string YYYY-MM-DD, got %T", v)
	}
	if _, err := time.Parse(DateLayout, s); err != nil {
		return "", badInput("Date must be YYYY-MM-DD, got %q", s)
	}
	return s, nil
}

// MarshalDateTime writes a UTC date and time in ISO 8601 (2026-11-21T20:40:00Z).
func MarshalDateTime(s string) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(s)) })
}

// UnmarshalDateTime accepts an RFC 3339 date and time (any offset, converted
// to UTC) and returns it in DateTimeLayout.
func UnmarshalDateTime(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", badInput("DateTime must be an ISO 8601 string, got %T", v)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return "", badInput("DateTime must be ISO 8601 like 2026-11-21T20:40:00Z, got %q", s)
	}
	return t.UTC().Format(DateTimeLayout), nil
}

// MarshalFloat writes a Float (Odoo's float and monetary values) in plain
// decimal notation, never with an exponent (gqlgen's own prints %g:
// 1.234567e+06), with the shortest digits that parse back to the same
// float64, and always with a fraction so a whole float reads as a float in
// every JSON decoder: 1234567.89, 0.0000001, 100.0. A negative zero is 0.0.
// NaN and the infinities are a field error, as in gqlgen.
func MarshalFloat(f float64) graphql.ContextMarshaler {
	return graphql.ContextWriterFunc(func(_ context.Context, w io.Writer) error {
		b, err := odoo.AppendFloat(nil, f)
		if err != nil {
			return err
		}
		_, _ = w.Write(b)
		return nil
	})
}

// UnmarshalFloat coerces a Float input (a literal or a variable) exactly as
// gqlgen's built-in Float does.
func UnmarshalFloat(ctx context.Context, v any) (float64, error) {
	return graphql.UnmarshalFloatContext(ctx, v)
}

// MarshalJSON writes any JSON value. Numbers keep the type Odoo gave them: an
// int is written as an integer, a float as MarshalFloat writes it (100.0,
// never 100 nor an exponent).
func MarshalJSON(v any) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		b, err := odoo.MarshalJSON(v)
		if err != nil {
			_, _ = io.WriteString(w, "null")
			return
		}
		_, _ = w.Write(b)
	})
}

// UnmarshalJSON accepts any value: a GraphQL literal or a variable's JSON.
// Numbers become the Go numbers Odoo's client sends (an integer an int, a
// number with a fraction or an exponent a float64: 100.0 stays a float), in
// lists and objects too; gqlgen hands variables over as json.Number, which
// would reach Odoo as a string.
func UnmarshalJSON(v any) (any, error) { return odoo.NormalizeJSON(v, odoo.JSONOptions{}), nil }
