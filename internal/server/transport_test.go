package server

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestWriteResponse: writeResponse writes what json.Marshal writes for a
// graphql.Response (the keys, their order, errors and extensions), except
// that the data is copied as it is instead of re-encoded.
func TestWriteResponse(t *testing.T) {
	yes := true
	for _, tc := range []struct {
		name string
		resp *graphql.Response
	}{
		{"data", &graphql.Response{Data: json.RawMessage(`{"a":[1,2.5e-7,"x\"y"],"b":null}`)}},
		{"no data", &graphql.Response{Errors: gqlerror.List{{Message: "bad", Extensions: map[string]any{"code": "BAD_USER_INPUT"}}}}},
		{"all", &graphql.Response{
			Errors:     gqlerror.List{{Message: "partial", Path: ast.Path{ast.PathName("a"), ast.PathIndex(1)}}},
			Data:       json.RawMessage(strings.Repeat(`{"k":"v"}`, 1)),
			Extensions: map[string]any{"odoo": map[string]any{"calls": 2}},
		}},
		{"large", &graphql.Response{Data: json.RawMessage(`{"a":"` + strings.Repeat("x", 10000) + `"}`), Extensions: map[string]any{"n": 1}}},
		{"incremental", &graphql.Response{Data: json.RawMessage(`{}`), Label: "l", HasNext: &yes}},
		{"nil", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got bytes.Buffer
			writeResponse(&got, tc.resp)
			resp := tc.resp
			if resp == nil {
				resp = &graphql.Response{}
			}
			want, err := json.Marshal(resp)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != string(want) {
				t.Errorf("got  %s\nwant %s", got.String(), want)
			}
		})
	}
	// The data is not re-encoded: json.Marshal would write \u003c for <.
	var got bytes.Buffer
	writeResponse(&got, &graphql.Response{Data: json.RawMessage(`{"html":"<p>a & b</p>"}`)})
	if want := `{"data":{"html":"<p>a & b</p>"}}`; got.String() != want || !json.Valid(got.Bytes()) {
		t.Errorf("got %s, want %s", got.String(), want)
	}
}

// TestResponseContentType: the media type follows Accept as in gqlgen's
// transports.
func TestResponseContentType(t *testing.T) {
	for accept, want := range map[string]string{
		"":                                  mediaJSON,
		"*/*":                               mediaJSON,
		"application/json":                  mediaJSON,
		"application/graphql-response+json": mediaGraphQLResponse,
		"application/graphql-response+json, application/json;q=0.9": mediaGraphQLResponse,
		"text/html": mediaGraphQLResponse,
	} {
		r := httptest.NewRequest("POST", "/graphql", nil)
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		if got := responseContentType(r); got != want {
			t.Errorf("Accept %q: got %s, want %s", accept, got, want)
		}
	}
}
