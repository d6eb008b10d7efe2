package sdl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
)

// IntrospectionQuery asks for everything SDL can say: graphql-js's
// getIntrospectionQuery with descriptions, specifiedByURL, repeatable
// directives, the schema's description, deprecated arguments and input
// fields, and @oneOf.
const IntrospectionQuery = `query IntrospectionQuery {
  __schema {
    description
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives {
      name
      description
      isRepeatable
      locations
      args(includeDeprecated: true) { ...InputValue }
    }
  }
}

fragment FullType on __Type {
  kind
  name
  description
  specifiedByURL
  isOneOf
  fields(includeDeprecated: true) {
    name
    description
    args(includeDeprecated: true) { ...InputValue }
    type { ...TypeRef }
    isDeprecated
    deprecationReason
  }
  inputFields(includeDeprecated: true) { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) {
    name
    description
    isDeprecated
    deprecationReason
  }
  possibleTypes { ...TypeRef }
}

fragment InputValue on __InputValue {
  name
  description
  type { ...TypeRef }
  defaultValue
  isDeprecated
  deprecationReason
}

fragment TypeRef on __Type {
  kind
  name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}
`

// The introspection result, as IntrospectionQuery asks for it.
type (
	schemaJSON struct {
		Description      *string     `json:"description"`
		QueryType        *named      `json:"queryType"`
		MutationType     *named      `json:"mutationType"`
		SubscriptionType *named      `json:"subscriptionType"`
		Types            []fullType  `json:"types"`
		Directives       []directive `json:"directives"`
	}
	named struct {
		Name string `json:"name"`
	}
	fullType struct {
		Kind           string       `json:"kind"`
		Name           string       `json:"name"`
		Description    *string      `json:"description"`
		SpecifiedByURL *string      `json:"specifiedByURL"`
		IsOneOf        bool         `json:"isOneOf"`
		Fields         []field      `json:"fields"`
		InputFields    []inputValue `json:"inputFields"`
		Interfaces     []typeRef    `json:"interfaces"`
		EnumValues     []enumValue  `json:"enumValues"`
		PossibleTypes  []typeRef    `json:"possibleTypes"`
	}
	field struct {
		Name              string       `json:"name"`
		Description       *string      `json:"description"`
		Args              []inputValue `json:"args"`
		Type              typeRef      `json:"type"`
		IsDeprecated      bool         `json:"isDeprecated"`
		DeprecationReason *string      `json:"deprecationReason"`
	}
	inputValue struct {
		Name              string  `json:"name"`
		Description       *string `json:"description"`
		Type              typeRef `json:"type"`
		DefaultValue      *string `json:"defaultValue"`
		IsDeprecated      bool    `json:"isDeprecated"`
		DeprecationReason *string `json:"deprecationReason"`
	}
	enumValue struct {
		Name              string  `json:"name"`
		Description       *string `json:"description"`
		IsDeprecated      bool    `json:"isDeprecated"`
		DeprecationReason *string `json:"deprecationReason"`
	}
	directive struct {
		Name         string       `json:"name"`
		Description  *string      `json:"description"`
		IsRepeatable bool         `json:"isRepeatable"`
		Locations    []string     `json:"locations"`
		Args         []inputValue `json:"args"`
	}
	typeRef struct {
		Kind   string   `json:"kind"`
		Name   *string  `json:"name"`
		OfType *typeRef `json:"ofType"`
	}
)

// Fetch runs IntrospectionQuery against a GraphQL endpoint (POST, JSON) and
// rebuilds the schema from the answer. header is added to the request
// (authentication, for example); it may be nil.
func Fetch(ctx context.Context, client *http.Client, endpoint string, header http.Header) (*ast.Schema, error) {
	body, _ := json.Marshal(map[string]any{"query": IntrospectionQuery, "operationName": "IntrospectionQuery"})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/graphql-response+json, application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: reading the response: %w", endpoint, err)
	}
	s, err := FromIntrospection(raw)
	if err != nil {
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: %s: %s", endpoint, resp.Status, truncate(raw, 500))
		}
		return nil, fmt.Errorf("%s: %w", endpoint, err)
	}
	return s, nil
}

// FromIntrospection rebuilds a schema from the JSON answer to an
// introspection query: a whole response ({"data": {"__schema": …}}), its
// data ({"__schema": …}), or the __schema object itself. The result is
// checked as gqlparser checks any schema, with its prelude (built-in scalars,
// directives and introspection types), which the introspection's own
// built-ins are left to.
func FromIntrospection(raw []byte) (*ast.Schema, error) {
	var env struct {
		Data   *json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
		Schema *schemaJSON `json:"__schema"`
	}
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, fmt.Errorf("introspection: not JSON: %w", err)
	}
	if len(env.Errors) > 0 {
		msgs := make([]string, len(env.Errors))
		for i, e := range env.Errors {
			msgs[i] = e.Message
		}
		return nil, fmt.Errorf("introspection: %s", strings.Join(msgs, "; "))
	}
	s := env.Schema
	if env.Data != nil {
		var data struct {
			Schema *schemaJSON `json:"__schema"`
		}
		if err := json.Unmarshal(*env.Data, &data); err != nil {
			return nil, fmt.Errorf("introspection: %w", err)
		}
		s = data.Schema
	}
	if s == nil {
		var direct schemaJSON
		if err := json.Unmarshal(raw, &direct); err == nil && direct.QueryType != nil {
			s = &direct
		}
	}
	if s == nil || s.QueryType == nil {
		return nil, errors.New("introspection: no __schema with a query type in the answer")
	}
	src := s.sdl()
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "introspection", Input: src})
	if err != nil {
		return nil, fmt.Errorf("introspection: the schema it describes is not valid: %w", err)
	}
	return schema, nil
}

// Print returns the schema as SDL, without the built-in scalars, directives
// and introspection types, formatted by gqlparser's formatter one
// definition at a time: the schema block when its root types are not
// Query, Mutation and Subscription (or it has a description), then the
// directives and the types in name order, a blank line between two; fields,
// arguments and enum values keep the schema's order; two-space indentation.
// The same schema always prints the same text.
//
// Lines of only spaces (blank lines of indented block-string descriptions)
// are written empty, which changes no description: a block string's
// whitespace-only lines are blank whatever their spaces.
func Print(s *ast.Schema) string {
	var blocks []string
	format := func(part *ast.Schema) {
		var buf bytes.Buffer
		formatter.NewFormatter(&buf, formatter.WithIndent("  ")).FormatSchema(part)
		lines := strings.Split(strings.TrimRight(buf.String(), "\n"), "\n")
		for i, l := range lines {
			if strings.TrimLeft(l, " ") == "" {
				lines[i] = ""
			}
		}
		if text := strings.Join(lines, "\n"); text != "" {
			blocks = append(blocks, text+"\n")
		}
	}
	if s.Description != "" {
		// gqlparser's formatter leaves the schema's description out.
		var b strings.Builder
		b.WriteString("\"\"\"\n" + strings.ReplaceAll(s.Description, `"""`, `\"""`) + "\n\"\"\"\nschema {\n")
		for _, root := range []struct {
			op  string
			def *ast.Definition
		}{{"query", s.Query}, {"mutation", s.Mutation}, {"subscription", s.Subscription}} {
			if root.def != nil {
				b.WriteString("  " + root.op + ": " + root.def.Name + "\n")
			}
		}
		blocks = append(blocks, b.String()+"}\n")
	} else {
		format(&ast.Schema{Query: s.Query, Mutation: s.Mutation, Subscription: s.Subscription})
	}
	for _, name := range slices.Sorted(maps.Keys(s.Directives)) {
		format(&ast.Schema{Directives: map[string]*ast.DirectiveDefinition{name: s.Directives[name]}})
	}
	for _, name := range slices.Sorted(maps.Keys(s.Types)) {
		format(&ast.Schema{Types: map[string]*ast.Definition{name: s.Types[name]}})
	}
	return strings.Join(blocks, "\n")
}

// prelude holds what gqlparser adds to every schema; the introspection's
// copies of those are left out of the rebuilt SDL.
var prelude = gqlparser.MustLoadSchema()

// sdl writes the introspected schema as SDL text. Strings are written as
// JSON string literals, which are GraphQL string literals too; default values
// are GraphQL literals already.
func (s *schemaJSON) sdl() string {
	var b strings.Builder
	desc := func(indent string, d *string) {
		if d != nil && *d != "" {
			b.WriteString(indent + quote(*d) + "\n")
		}
	}
	deprecated := func(is bool, reason *string) {
		if !is {
			return
		}
		b.WriteString(" @deprecated")
		// graphql-js reports the default reason of a bare @deprecated, gqlgen
		// none: both are written bare.
		if reason != nil && *reason != "No longer supported" {
			b.WriteString("(reason: " + quote(*reason) + ")")
		}
	}
	args := func(vals []inputValue, indent string) {
		if len(vals) == 0 {
			return
		}
		b.WriteString("(\n")
		for _, v := range vals {
			desc(indent+"  ", v.Description)
			b.WriteString(indent + "  " + v.Name + ": " + v.Type.String())
			if v.DefaultValue != nil {
				b.WriteString(" = " + *v.DefaultValue)
			}
			deprecated(v.IsDeprecated, v.DeprecationReason)
			b.WriteString("\n")
		}
		b.WriteString(indent + ")")
	}

	desc("", s.Description)
	b.WriteString("schema {\n  query: " + s.QueryType.Name + "\n")
	if s.MutationType != nil {
		b.WriteString("  mutation: " + s.MutationType.Name + "\n")
	}
	if s.SubscriptionType != nil {
		b.WriteString("  subscription: " + s.SubscriptionType.Name + "\n")
	}
	b.WriteString("}\n")

	for _, d := range s.Directives {
		if prelude.Directives[d.Name] != nil {
			continue
		}
		b.WriteString("\n")
		desc("", d.Description)
		b.WriteString("directive @" + d.Name)
		args(d.Args, "")
		if d.IsRepeatable {
			b.WriteString(" repeatable")
		}
		b.WriteString(" on " + strings.Join(d.Locations, " | ") + "\n")
	}

	for _, t := range s.Types {
		if strings.HasPrefix(t.Name, "__") || prelude.Types[t.Name] != nil {
			continue
		}
		b.WriteString("\n")
		desc("", t.Description)
		switch t.Kind {
		case "SCALAR":
			b.WriteString("scalar " + t.Name)
			if t.SpecifiedByURL != nil {
				b.WriteString(" @specifiedBy(url: " + quote(*t.SpecifiedByURL) + ")")
			}
			b.WriteString("\n")
		case "OBJECT", "INTERFACE":
			if t.Kind == "OBJECT" {
				b.WriteString("type " + t.Name)
			} else {
				b.WriteString("interface " + t.Name)
			}
			for i, iface := range t.Interfaces {
				if i == 0 {
					b.WriteString(" implements ")
				} else {
					b.WriteString(" & ")
				}
				b.WriteString(iface.String())
			}
			b.WriteString(" {\n")
			for _, f := range t.Fields {
				desc("  ", f.Description)
				b.WriteString("  " + f.Name)
				args(f.Args, "  ")
				b.WriteString(": " + f.Type.String())
				deprecated(f.IsDeprecated, f.DeprecationReason)
				b.WriteString("\n")
			}
			b.WriteString("}\n")
		case "UNION":
			members := make([]string, len(t.PossibleTypes))
			for i, m := range t.PossibleTypes {
				members[i] = m.String()
			}
			b.WriteString("union " + t.Name + " = " + strings.Join(members, " | ") + "\n")
		case "ENUM":
			b.WriteString("enum " + t.Name + " {\n")
			for _, v := range t.EnumValues {
				desc("  ", v.Description)
				b.WriteString("  " + v.Name)
				deprecated(v.IsDeprecated, v.DeprecationReason)
				b.WriteString("\n")
			}
			b.WriteString("}\n")
		case "INPUT_OBJECT":
			b.WriteString("input " + t.Name)
			if t.IsOneOf {
				b.WriteString(" @oneOf")
			}
			b.WriteString(" {\n")
			for _, v := range t.InputFields {
				desc("  ", v.Description)
				b.WriteString("  " + v.Name + ": " + v.Type.String())
				if v.DefaultValue != nil {
					b.WriteString(" = " + *v.DefaultValue)
				}
				deprecated(v.IsDeprecated, v.DeprecationReason)
				b.WriteString("\n")
			}
			b.WriteString("}\n")
		default:
			// An unknown kind has no SDL; gqlparser then reports the
			// references to it as undefined types.
			b.WriteString("# " + t.Name + ": unknown kind " + t.Kind + "\n")
		}
	}
	return b.String()
}

// String writes a type reference in SDL: Name, [T], T!.
func (t typeRef) String() string {
	switch {
	case t.Kind == "NON_NULL" && t.OfType != nil:
		return t.OfType.String() + "!"
	case t.Kind == "LIST" && t.OfType != nil:
		return "[" + t.OfType.String() + "]"
	case t.Name != nil:
		return *t.Name
	}
	return "?" // gqlparser reports the syntax error
}

// quote writes s as a GraphQL string literal.
func quote(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(buf.String(), "\n")
}

func truncate(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "…"
}
