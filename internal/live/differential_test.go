package live

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/graph"
	"github.com/odoogql/odoogql/graph/model"
	"github.com/odoogql/odoogql/graph/scalar"
)

// The differential tests serve the same requests through two identical
// gqlgen handler stacks, one over the compiled schema (graph, the
// reference) and one over this package's executor built from the committed
// schema.graphqls, and require byte-identical responses.

// odooScalars are the marshalers and unmarshalers of odoogql's custom
// scalars (graph/scalar).
func odooScalars() map[string]Scalar {
	return map[string]Scalar{
		"Date": {Marshal: func(v any) (graphql.Marshaler, error) {
			s, ok := v.(string)
			if !ok {
				return nil, &ValueError{Type: "Date", Value: v}
			}
			return scalar.MarshalDate(s), nil
		}, Unmarshal: Unmarshaler(scalar.UnmarshalDate)},
		"DateTime": {Marshal: func(v any) (graphql.Marshaler, error) {
			s, ok := v.(string)
			if !ok {
				return nil, &ValueError{Type: "DateTime", Value: v}
			}
			return scalar.MarshalDateTime(s), nil
		}, Unmarshal: Unmarshaler(scalar.UnmarshalDateTime)},
		"JSON": {Marshal: func(v any) (graphql.Marshaler, error) { return scalar.MarshalJSON(v), nil }, Unmarshal: Unmarshaler(scalar.UnmarshalJSON)},
	}
}

func liveFromCommittedSchema(t *testing.T, res Resolver) *ExecutableSchema {
	t.Helper()
	src, err := os.ReadFile("../../schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	// As gqlgen loads it: gqlparser adds its prelude (built-in scalars,
	// directives, introspection types).
	sch, err := gqlparser.LoadSchema(&ast.Source{Name: "../schema.graphqls", Input: string(src)})
	if err != nil {
		t.Fatal(err)
	}
	es, err := New(Config{Schema: sch, Resolver: res, Scalars: odooScalars()})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func stack(es graphql.ExecutableSchema, introspection bool) *handler.Server {
	srv := handler.New(es)
	srv.AddTransport(transport.POST{})
	if introspection {
		srv.Use(extension.Introspection{})
	}
	return srv
}

type request struct {
	name      string
	query     string
	variables map[string]any
	operation string
}

func post(t *testing.T, h http.Handler, r request) []byte {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": r.query, "variables": r.variables, "operationName": r.operation})
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Body.Bytes()
}

func readQuery(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func diff(t *testing.T, compiled, live http.Handler, reqs []request) {
	t.Helper()
	for _, r := range reqs {
		want := post(t, compiled, r)
		got := post(t, live, r)
		t.Logf("%s: %d bytes: %s", r.name, len(want), clip(want[:min(len(want), 160)]))
		if !bytes.Equal(got, want) {
			t.Errorf("%s: responses differ\ncompiled (%d bytes): %s\nlive     (%d bytes): %s", r.name, len(want), clip(want), len(got), clip(got))
		}
	}
}

func clip(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

const typeRefFragment = `
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`

const typeFragments = typeRefFragment + `
fragment Full on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { name type { ...TypeRef } defaultValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { name type { ...TypeRef } defaultValue }
  interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name } possibleTypes { ...TypeRef }
}`

var introspectionRequests = []request{
	{name: "ResPartner with fragments and aliases", query: `{ t: __type(name: "ResPartner") { ...Full alias: name n2: name ...TypeRef } }` + typeFragments},
	{name: "enum and input types", query: `{ e: __type(name: "OrderDirection") { ...Full } i: __type(name: "IDFilter") { ...Full } s: __type(name: "DateTime") { ...Full specifiedByURL isOneOf } }` + typeFragments},
	{name: "unknown type", query: `{ __type(name: "Nope") { name } }`},
	{name: "typename at the root", query: `{ __typename a: __typename __schema { __typename queryType { __typename name } } }`},
	{name: "include/skip", variables: map[string]any{"yes": true, "no": false}, query: `query Q($yes: Boolean!, $no: Boolean!) {
	  a: __type(name: "OdooAccess") @include(if: $yes) { name fields @skip(if: $no) { name } }
	  b: __type(name: "OdooAccess") @skip(if: $yes) { name }
	  ... on Query @include(if: $no) { x: __typename }
	  ... @include(if: $yes) { y: __typename }
	  ...R @skip(if: $no)
	}
	fragment R on Query { __schema { queryType { name } mutationType { name fields { name } } subscriptionType { name } } }`},
	{name: "directives", query: `{ __schema { description directives { name description locations isRepeatable args { name description defaultValue type { ...TypeRef } } } } }` + typeRefFragment},
	{name: "merged fields from several fragments", query: `{ __schema { ...A queryType { name } ...B } } fragment A on __Schema { queryType { kind } } fragment B on __Schema { queryType { description ... on __Type { kind } } ...A }`},
	{name: "operation name", operation: "Two", query: `query One { __typename } query Two { __type(name: "Query") { fields { name } } }`},
	{name: "mutation", query: `mutation { __typename m: __typename }`},
	{name: "operation directive without implementation", query: `query @cached(ttl: 5) { __typename }`},
	{name: "invalid: missing argument", query: `{ __type { name } }`},
	{name: "invalid: unknown field", query: `{ __schema { nope } }`},
	{name: "invalid: syntax", query: `{ __schema { `},
	{name: "invalid: variable type", query: `query($n: String) { __type(name: $n) { name } }`},
}

func TestDifferentialIntrospection(t *testing.T) {
	compiled := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}})
	live := liveFromCommittedSchema(t, nil)
	reqs := append([]request{
		{name: "graphql-js introspection query", query: readQuery(t, "introspection_standard.graphql")},
		{name: "graphql-js introspection query, every option", query: readQuery(t, "introspection_extended.graphql")},
	}, introspectionRequests...)
	diff(t, stack(compiled, true), stack(live, true), reqs)

	// Without extension.Introspection, OperationContext.DisableIntrospection
	// is set: the same error, at the same path, with the same nulls.
	diff(t, stack(compiled, false), stack(live, false), []request{
		{name: "disabled __schema", query: `{ __typename __schema { queryType { name } } }`},
		{name: "disabled __type", query: "{\n  a: __type(name: \"Query\") { name }\n  __typename\n}"},
		{name: "disabled, graphql-js introspection query", query: readQuery(t, "introspection_standard.graphql")},
	})
}

func TestDifferentialIntrospectionSize(t *testing.T) {
	live := liveFromCommittedSchema(t, nil)
	body := post(t, stack(live, true), request{query: readQuery(t, "introspection_extended.graphql")})
	if !json.Valid(body) || !strings.Contains(string(body), `"name":"ResPartner"`) || strings.Contains(string(body), `"errors"`) {
		t.Fatalf("live introspection answer: %s", clip(body))
	}
}

// The data differential: the compiled schema's resolvers are replaced by
// fakes answering the same data the live Resolver answers as Records.

type fakeRoot struct{ graph.ResolverRoot }

func (fakeRoot) Query() graph.QueryResolver { return fakeQuery{} }

type fakeQuery struct{ graph.QueryResolver }

func (fakeRoot) OdooModel() graph.OdooModelResolver { return fakeModel{} }

type fakeModel struct{ graph.OdooModelResolver }

func (fakeModel) Access(_ context.Context, obj *model.OdooModel) (*model.OdooAccess, error) {
	return obj.Access, nil
}

var (
	readAll = &model.OdooAccess{Read: true}
	models  = []*model.OdooModel{
		{Model: "res.partner", Name: "Contact", Type: "ResPartner", Access: readAll},
		{Model: "crm.tag", Name: "Tag \"q\"\n", Type: "CrmTag", Access: &model.OdooAccess{Read: true, Write: true}},
	}
	modelsMissingAccess = []*model.OdooModel{{Model: "res.partner", Name: "Contact", Type: "ResPartner"}}
)

func (fakeQuery) OdooModels(ctx context.Context) ([]*model.OdooModel, error) {
	if graphql.GetOperationContext(ctx).OperationName == "Broken" {
		return modelsMissingAccess, nil
	}
	return models, nil
}

func modelRecords(ms []*model.OdooModel) []Record {
	out := make([]Record, len(ms))
	for i, m := range ms {
		r := Record{"model": m.Model, "name": m.Name, "type": m.Type}
		if m.Access != nil {
			r["access"] = Record{"read": m.Access.Read, "create": m.Access.Create, "write": m.Access.Write, "unlink": m.Access.Unlink}
		}
		out[i] = r
	}
	return out
}

func TestDifferentialData(t *testing.T) {
	compiled := graph.NewExecutableSchema(graph.Config{Resolvers: fakeRoot{}})
	live := liveFromCommittedSchema(t, ResolverFunc(func(ctx context.Context, info FieldInfo) (any, error) {
		if info.Field.Name != "odooModels" {
			return nil, nil
		}
		if info.Operation.Name == "Broken" {
			return modelRecords(modelsMissingAccess), nil
		}
		return modelRecords(models), nil
	}))
	diff(t, stack(compiled, true), stack(live, true), []request{
		{name: "list of objects, aliases, typename", query: `{ odooModels { __typename type m: model name access { write read r2: read } } }`},
		{name: "fragments", query: `{ a: odooModels { ...M } b: odooModels { access { ...A } } } fragment M on OdooModel { model ...N access { ...A } } fragment N on OdooModel { name model } fragment A on OdooAccess { unlink create }`},
		{name: "null in a non-null field bubbles to data", operation: "Broken", query: "query Broken {\n  __typename\n  odooModels { model access { read } }\n}"},
		{name: "null bubbling, introspection beside", operation: "Broken", query: `query Broken { __type(name: "OdooAccess") { name } odooModels { access { read } } }`},
	})
}

// TestDifferentialArgumentErrors: arguments gqlgen's generated code rejects
// (custom scalars in input objects, lists of them, from literals and
// variables) are rejected alike: the same message, path and extensions,
// no location, the field null (and data, for a non-null root field).
func TestDifferentialArgumentErrors(t *testing.T) {
	compiled := graph.NewExecutableSchema(graph.Config{Resolvers: fakeRoot{}})
	live := liveFromCommittedSchema(t, ResolverFunc(func(ctx context.Context, info FieldInfo) (any, error) {
		if info.Field.Name == "odooModels" {
			return modelRecords(models), nil
		}
		t.Errorf("resolver called for %s despite bad arguments", info.Field.Name)
		return nil, nil
	}))
	diff(t, stack(compiled, true), stack(live, true), []request{
		{name: "date in a where", query: `{ saleOrders(where: {validity_date: {gt: "yesterday"}}) { totalCount } }`},
		{name: "datetime in a list in a where", query: `{ resPartners(where: {or: [{name: {eq: "a"}}, {create_date: {lt: "2026-13-01"}}]}) { totalCount } }`},
		{name: "date list", query: `{ saleOrders(where: {validity_date: {in: ["2026-01-01", "soon"]}}) { totalCount } }`},
		{name: "from a variable", query: `query($w: ResPartnerWhere) { resPartners(where: $w) { totalCount } }`,
			variables: map[string]any{"w": map[string]any{"create_date": map[string]any{"gt": "nope"}}}},
		{name: "mutation input", query: `mutation { updateSaleOrder(ids: ["1"], input: {validity_date: "31/12/2026"}) { id } }`},
		{name: "beside a valid root field", query: `{ odooModels { model } bad: saleOrders(where: {validity_date: {gt: "x"}}) { totalCount } }`},
	})
}
