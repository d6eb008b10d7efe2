// Package scalar provides the custom GraphQL scalars of odoogql's schema:
// Date, DateTime and JSON. gqlgen binds them through the Marshal/Unmarshal
// function pairs below; their Go types are string and any.
package scalar

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
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

// MarshalJSON writes any JSON value.
func MarshalJSON(v any) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		b, err := json.Marshal(v)
		if err != nil {
			_, _ = io.WriteString(w, "null")
			return
		}
		_, _ = w.Write(b)
	})
}

// UnmarshalJSON accepts any value: a GraphQL literal or a variable's JSON.
func UnmarshalJSON(v any) (any, error) { return v, nil }
