package sdl

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

func loadFile(t *testing.T, path string) *ast.Schema {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gqlparser.LoadSchema(&ast.Source{Name: path, Input: string(raw)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFromGraphQLJSIntrospection rebuilds a schema that uses every kind of
// definition from graphql-js's introspection of it
// (testdata/make-introspection.mjs) and prints it as gqlparser prints the
// SDL it came from.
func TestFromGraphQLJSIntrospection(t *testing.T) {
	raw, err := os.ReadFile("testdata/rich.introspection.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := FromIntrospection(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := Print(loadFile(t, "testdata/rich.graphqls"))
	if printed := Print(got); printed != want {
		t.Errorf("rebuilt schema prints\n%s\nwant\n%s", printed, want)
	}
	for _, s := range []string{
		"schema {\n  query: Root\n  mutation: Changes\n}",
		`scalar Instant @specifiedBy(url: "https://www.rfc-editor.org/rfc/rfc3339")`,
		"directive @cost(",
		"repeatable on FIELD_DEFINITION | OBJECT",
		"type Person implements Node & Named {",
		"union Party = Person | Company",
		"input Pick @oneOf {",
		`RANDOM @deprecated(reason: "Not stable.")`,
		`old: Boolean @deprecated(reason: "Use order.")`,
		"point: Point = {x:1.5,y:-2}",
		"staff: [[Person]!]",
		"ünïcödé ✓",
	} {
		if !strings.Contains(want, s) {
			t.Errorf("printed schema lacks %q:\n%s", s, want)
		}
	}
	if got.Description == "" || !strings.HasPrefix(got.Description, "A schema that uses every kind") {
		t.Errorf("schema description %q", got.Description)
	}
}

func TestFromIntrospectionShapes(t *testing.T) {
	raw, err := os.ReadFile("testdata/rich.introspection.json")
	if err != nil {
		t.Fatal(err)
	}
	var whole struct {
		Data struct {
			Schema json.RawMessage `json:"__schema"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &whole); err != nil {
		t.Fatal(err)
	}
	dataOnly := `{"__schema":` + string(whole.Data.Schema) + `}`
	want := Print(loadFile(t, "testdata/rich.graphqls"))
	tests := []struct {
		name  string
		input string
		err   string // "" when it must succeed
	}{
		{"response", string(raw), ""},
		{"data", dataOnly, ""},
		{"__schema", string(whole.Data.Schema), ""},
		{"not JSON", "<html>", "not JSON"},
		{"errors", `{"errors":[{"message":"introspection is disabled"},{"message":"and more"}]}`, "introspection is disabled; and more"},
		{"no schema", `{"data":{"foo":1}}`, "no __schema"},
		{"bad reference", `{"__schema":{"queryType":{"name":"Q"},"types":[{"kind":"OBJECT","name":"Q","fields":[{"name":"a","args":[],"type":{"kind":"OBJECT","name":"Missing"}}]}],"directives":[]}}`, "Missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := FromIntrospection([]byte(tt.input))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if Print(s) != want {
				t.Errorf("prints differently:\n%s", Print(s))
			}
		})
	}
}

func TestFetch(t *testing.T) {
	raw, err := os.ReadFile("testdata/rich.introspection.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Query         string `json:"query"`
			OperationName string `json:"operationName"`
		}
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Token") != "t" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Query != IntrospectionQuery || req.OperationName != "IntrospectionQuery" {
			http.Error(w, "bad query", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(raw)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	s, err := Fetch(ctx, srv.Client(), srv.URL, http.Header{"X-Token": {"t"}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Types["Person"] == nil || s.Query.Name != "Root" {
		t.Errorf("schema %v", s.Types)
	}
	if _, err := Fetch(ctx, srv.Client(), srv.URL, nil); err == nil || !strings.Contains(err.Error(), "400 Bad Request") {
		t.Errorf("without the header: %v, want the 400", err)
	}
}

// TestIntrospectionQueryParses checks IntrospectionQuery against gqlparser's
// own introspection types (the ones gqlgen serves).
func TestIntrospectionQueryParses(t *testing.T) {
	s := gqlparser.MustLoadSchema(&ast.Source{Input: "type Query { a: Int }"})
	if _, errs := gqlparser.LoadQuery(s, IntrospectionQuery); errs != nil {
		t.Fatal(errs)
	}
}

func TestPrintDeterministic(t *testing.T) {
	s := loadFile(t, "testdata/rich.graphqls")
	first := Print(s)
	for range 5 {
		if Print(s) != first {
			t.Fatal("Print differs between runs")
		}
	}
	for i, l := range strings.Split(first, "\n") {
		if strings.TrimSpace(l) == "" && l != "" {
			t.Errorf("line %d has only spaces", i+1)
		}
	}
}
