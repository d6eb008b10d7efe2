package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

const testSDL = `
type Query {
  me: User
  users: [User!]!
  node(id: ID!): Node
  search: [SearchResult]
  matrix: [[Int!]]
  boom: String!
  t: T
}
type Mutation { rename(name: String!): User }
interface Node { id: ID! }
type User implements Node {
  id: ID!
  name: String!
  email: String
  friends: [User!]!
  best: User
  tags: [String!]
  score: Float
  role: Role
}
type Post implements Node { id: ID! title: String }
union SearchResult = User | Post
enum Role { ADMIN MEMBER }
type T { a: String x: T y: T }
`

func testSchema(t *testing.T, res Resolver) *ExecutableSchema {
	t.Helper()
	sch, err := gqlparser.LoadSchema(&ast.Source{Name: "test.graphqls", Input: testSDL})
	if err != nil {
		t.Fatal(err)
	}
	es, err := New(Config{Schema: sch, Resolver: res})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// roots answers each root field from a map by field name.
func roots(m map[string]any) Resolver {
	return ResolverFunc(func(_ context.Context, info FieldInfo) (any, error) {
		v := m[info.Field.Name]
		if f, ok := v.(func(FieldInfo) (any, error)); ok {
			return f(info)
		}
		if err, ok := v.(error); ok {
			return nil, err
		}
		return v, nil
	})
}

type result struct {
	data   string
	errors string
	fields int
}

// run executes query directly (no handler) and returns the data JSON and
// the errors as "path: message" lines.
func run(t *testing.T, es *ExecutableSchema, query string, vars map[string]any) result {
	t.Helper()
	doc, errs := gqlparser.LoadQuery(es.Schema(), query)
	if errs != nil {
		t.Fatalf("invalid query: %v", errs)
	}
	oc := &graphql.OperationContext{RawQuery: query, Doc: doc, Operation: doc.Operations[0], Variables: vars}
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
	ctx = graphql.WithOperationContext(ctx, oc)
	data, n := es.execute(ctx, oc)
	if !json.Valid(data) {
		t.Fatalf("invalid JSON: %s", data)
	}
	var lines []string
	for _, e := range graphql.GetErrors(ctx) {
		loc := ""
		if len(e.Locations) > 0 {
			loc = fmt.Sprintf(" @%d:%d", e.Locations[0].Line, e.Locations[0].Column)
		}
		lines = append(lines, fmt.Sprintf("%s: %s%s", e.Path, e.Message, loc))
	}
	return result{data: string(data), errors: strings.Join(lines, "\n"), fields: n}
}

func check(t *testing.T, got result, data, errs string) {
	t.Helper()
	if got.data != data {
		t.Errorf("data:\n got %s\nwant %s", got.data, data)
	}
	if got.errors != errs {
		t.Errorf("errors:\n got %q\nwant %q", got.errors, errs)
	}
}

func user(id int, name any) Record {
	return Record{"id": id, "name": name, "friends": []Record{}, "__typename": "User"}
}

func TestAliasesAndFieldOrder(t *testing.T) {
	es := testSchema(t, roots(map[string]any{"me": Record{"id": 7, "name": "Ann", "email": nil, "score": 1.5, "role": "ADMIN", "tags": []string{"a", "b\"c"}}}))
	got := run(t, es, `{ me { b: name id a: name email __typename tags score role } z: __typename }`, nil)
	check(t, got, `{"me":{"b":"Ann","id":"7","a":"Ann","email":null,"__typename":"User","tags":["a","b\"c"],"score":1.5,"role":"ADMIN"},"z":"Query"}`, "")
}

func TestMergedFieldsKeepFirstPosition(t *testing.T) {
	es := testSchema(t, roots(map[string]any{"me": Record{"id": 1, "name": "A", "email": "a@x", "best": Record{"id": 2, "name": "B", "email": "b@x"}}}))
	got := run(t, es, `{ me { best { name } id ...F best { id } } } fragment F on User { email best { email } id }`, nil)
	check(t, got, `{"me":{"best":{"name":"B","email":"b@x","id":"2"},"id":"1","email":"a@x"}}`, "")
}

func TestFragmentsAndTypeConditions(t *testing.T) {
	es := testSchema(t, roots(map[string]any{
		"node": func(info FieldInfo) (any, error) {
			if info.Args()["id"] == "p1" {
				return Record{"__typename": "Post", "id": "p1", "title": "Hello"}, nil
			}
			return Record{"__typename": "User", "id": "u1", "name": "Ann"}, nil
		},
		"search": []any{Record{"__typename": "Post", "id": "p2", "title": nil}, nil, Record{"__typename": "User", "id": 3, "name": "Bob"}},
	}))
	q := `query($p: ID!, $u: ID!) {
	  p: node(id: $p) { __typename id ... on User { name } ...PostF }
	  u: node(id: $u) { __typename id ... on User { name } ...PostF }
	  search { __typename ... on Node { id } ... on User { name } ... on Post { title } }
	}
	fragment PostF on Post { title }`
	got := run(t, es, q, map[string]any{"p": "p1", "u": "u1"})
	check(t, got, `{"p":{"__typename":"Post","id":"p1","title":"Hello"},"u":{"__typename":"User","id":"u1","name":"Ann"},"search":[{"__typename":"Post","id":"p2","title":null},null,{"__typename":"User","id":"3","name":"Bob"}]}`, "")
}

func TestIncludeSkip(t *testing.T) {
	es := testSchema(t, roots(map[string]any{"me": Record{"id": 1, "name": "A", "email": "e"}}))
	q := `query($yes: Boolean!, $no: Boolean!) { me { id @skip(if: $yes) name @include(if: $yes) email @include(if: $no) ...F @include(if: $no) ... @skip(if: $no) { e2: email } ...F } } fragment F on User { f: id }`
	got := run(t, es, q, map[string]any{"yes": true, "no": false})
	check(t, got, `{"me":{"name":"A","e2":"e","f":"1"}}`, "")
	got = run(t, es, q, map[string]any{"yes": false, "no": true})
	check(t, got, `{"me":{"id":"1","email":"e","f":"1"}}`, "")
}

func TestNestedLists(t *testing.T) {
	ann := Record{"id": 1, "name": "Ann", "friends": []Record{{"id": 2, "name": "Bob", "friends": []any{}}}}
	es := testSchema(t, roots(map[string]any{
		"users":  []Record{ann, {"id": 3, "name": "Cy", "friends": nil}},
		"matrix": []any{[]int{1, 2}, nil, []any{}, []int64{3}},
	}))
	got := run(t, es, `{ users { name friends { name friends { id } } } matrix }`, nil)
	check(t, got, `{"users":null,"matrix":[[1,2],null,[],[3]]}`[:0]+
		`null`, `users[1].friends: the requested element is null which the schema does not allow`)

	es = testSchema(t, roots(map[string]any{
		"users":  []Record{ann, {"id": 3, "name": "Cy", "friends": []Record{}}},
		"matrix": []any{[]int{1, 2}, nil, []any{}, []int64{3}},
	}))
	got = run(t, es, `{ users { name friends { name friends { id } } } matrix }`, nil)
	check(t, got, `{"users":[{"name":"Ann","friends":[{"name":"Bob","friends":[]}]},{"name":"Cy","friends":[]}],"matrix":[[1,2],null,[],[3]]}`, "")
}

func TestNullPropagation(t *testing.T) {
	errBad := errors.New("bad name")
	// An error in a String! field nulls the User; me is nullable: it is null.
	es := testSchema(t, roots(map[string]any{"me": Record{"id": 1, "name": errBad, "email": "e"}}))
	got := run(t, es, "{\n  me { email name }\n  m2: me { id }\n}", nil)
	check(t, got, `{"me":null,"m2":{"id":"1"}}`, `me.name: bad name @2:14`)

	// In a [User!]! the null bubbles through the item, the list and the
	// non-null users field up to data; paths carry list indices.
	bob := Record{"id": 2, "name": nil, "friends": []Record{}}
	es = testSchema(t, roots(map[string]any{
		"users": []Record{{"id": 1, "name": "Ann", "friends": []Record{user(5, "E"), bob}}},
		"me":    Record{"id": 9, "name": "Me"},
	}))
	got = run(t, es, `{ me { name } users { friends { id name } } }`, nil)
	check(t, got, `null`, `users[0].friends[1].name: the requested element is null which the schema does not allow`)

	// Nullable best: the null stops there; siblings are kept (partial results).
	es = testSchema(t, roots(map[string]any{"me": Record{"id": 1, "name": "Ann", "best": Record{"id": 2, "name": nil}, "email": errors.New("no email")}}))
	got = run(t, es, `{ me { name best { id name } email } }`, nil)
	check(t, got, `{"me":{"name":"Ann","best":null,"email":null}}`,
		"me.best.name: the requested element is null which the schema does not allow\nme.email: no email @1:30")

	// A root resolver error in a non-null root field nulls data; every
	// sibling still runs and reports its errors.
	es = testSchema(t, roots(map[string]any{"boom": errors.New("kaboom"), "me": Record{"id": 1, "name": nil}}))
	got = run(t, es, `{ boom me { name } }`, nil)
	check(t, got, `null`, "boom: kaboom @1:3\nme.name: the requested element is null which the schema does not allow")
}

func TestValueErrors(t *testing.T) {
	es := testSchema(t, roots(map[string]any{
		"me":     Record{"id": 1, "name": 42, "role": "OWNER"},
		"search": []any{Record{"id": 1}, Record{"__typename": "Nope"}},
	}))
	got := run(t, es, `{ me { role } search { __typename } }`, nil)
	check(t, got, `{"me":{"role":null},"search":[null,null]}`,
		"me.role: Role cannot represent value OWNER: not a value of the enum @1:8\n"+
			"search[0]: abstract type SearchResult must resolve to an object type at runtime for field search\n"+
			`search[1]: runtime object type "Nope" is not a possible type for "SearchResult"`)
	got = run(t, es, `{ me { name } }`, nil)
	check(t, got, `{"me":null}`, "me.name: String cannot represent a value of Go type int @1:8")
}

func TestMutation(t *testing.T) {
	es := testSchema(t, roots(map[string]any{"rename": func(info FieldInfo) (any, error) {
		return Record{"id": 1, "name": info.Args()["name"]}, nil
	}}))
	got := run(t, es, `mutation { __typename rename(name: "Zed") { name } }`, nil)
	check(t, got, `{"__typename":"Mutation","rename":{"name":"Zed"}}`, "")
}

// TestFragmentBomb: k levels of fragments, each spreading the previous one
// three times under two response keys. A planner without memoization (and
// gqlgen's per-object CollectFields over a cyclic record) does 2^k work;
// here every fragment is expanded once per type and the selections visited
// and the plans made are linear in k.
func TestFragmentBomb(t *testing.T) {
	for _, k := range []int{5, 10, 20, 40} {
		q := bomb(k, false)
		es := testSchema(t, roots(map[string]any{"t": Record{"a": "leaf"}}))
		plan := buildPlan(t, es, q)
		if max := 8*k + 10; plan.Stats.Selections > max {
			t.Errorf("k=%d: %d selections visited, want at most %d (linear)", k, plan.Stats.Selections, max)
		}
		if len(plan.Plans) > 2*k+3 {
			t.Errorf("k=%d: %d plans, want at most %d", k, len(plan.Plans), 2*k+3)
		}
		got := run(t, es, q, nil)
		if want := `{"t":{"x":null,"y":null}}`; got.data != want {
			t.Errorf("k=%d: data %s, want %s", k, got.data, want)
		}
		if got.fields != 3 {
			t.Errorf("k=%d: %d fields executed, want 3", k, got.fields)
		}
	}
}

// TestFragmentBombAccumulating: each level also spreads the previous one
// beside its fields, so the merged field x of level k has selections from
// every level below: the work is quadratic in k (as the merged selection
// sets themselves are), never exponential.
func TestFragmentBombAccumulating(t *testing.T) {
	for _, k := range []int{5, 10, 20, 40} {
		es := testSchema(t, nil)
		plan := buildPlan(t, es, bomb(k, true))
		if max := 2*k*k + 8*k + 10; plan.Stats.Selections > max {
			t.Errorf("k=%d: %d selections visited, want at most %d (quadratic)", k, plan.Stats.Selections, max)
		}
		if len(plan.Plans) > 2*k+3 {
			t.Errorf("k=%d: %d plans, want at most %d", k, len(plan.Plans), 2*k+3)
		}
	}
}

func bomb(k int, accumulate bool) string {
	var b strings.Builder
	b.WriteString("{ t { ...F" + fmt.Sprint(k) + " } }\nfragment F0 on T { a }\n")
	for i := 1; i <= k; i++ {
		fmt.Fprintf(&b, "fragment F%d on T { x { ...F%d } y { ...F%d } x { ...F%d a }", i, i-1, i-1, i-1)
		if accumulate {
			fmt.Fprintf(&b, " ...F%d", i-1)
		}
		b.WriteString(" }\n")
	}
	return b.String()
}

func buildPlan(t *testing.T, es *ExecutableSchema, q string) *OperationPlan {
	t.Helper()
	doc, errs := gqlparser.LoadQuery(es.Schema(), q)
	if errs != nil {
		t.Fatal(errs)
	}
	plan, err := es.BuildPlan(doc, doc.Operations[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

// TestCollectFieldsMatchesGqlgen: the planner's field order and merging
// equal gqlgen's CollectFields on tricky selection sets.
func TestCollectFieldsMatchesGqlgen(t *testing.T) {
	es := testSchema(t, nil)
	queries := []string{
		`{ me { ...A id ...B name ...A } } fragment A on User { email ...B } fragment B on User { name id best { id } }`,
		`{ me { ... on Node { id } ... on User { id name } id ...N } } fragment N on Node { id }`,
		`{ node(id: 1) { ... on User { name } ... on Post { title } id ...U } } fragment U on User { email }`,
		`query($s: Boolean!) { me { id @skip(if: $s) ...A @include(if: $s) ...A name } } fragment A on User { id }`,
	}
	for _, q := range queries {
		doc, errs := gqlparser.LoadQuery(es.Schema(), q)
		if errs != nil {
			t.Fatal(errs)
		}
		vars := map[string]any{"s": true}
		plan, err := es.BuildPlan(doc, doc.Operations[0], vars)
		if err != nil {
			t.Fatal(err)
		}
		oc := &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0], Variables: vars}
		top := graphql.CollectFields(oc, doc.Operations[0].SelectionSet, []string{"Query"})
		for i, tf := range top {
			sub := tf.Definition.Type.Name()
			for _, typ := range es.Schema().GetPossibleTypes(es.Schema().Types[sub]) {
				want := graphql.CollectFields(oc, tf.Selections, es.satisfies[typ.Name])
				var pf *Field
				for _, f := range plan.Root.Fields {
					if f.ResponseKey == tf.Alias {
						pf = f
					}
				}
				got := pf.Child
				if pf.Possible != nil {
					got = pf.Possible[typ.Name]
				}
				var w, g []string
				for _, f := range want {
					w = append(w, f.Alias+":"+f.Name)
				}
				for _, f := range got.Fields {
					g = append(g, f.ResponseKey+":"+f.Name)
				}
				if strings.Join(w, " ") != strings.Join(g, " ") {
					t.Errorf("%s\nroot field %d on %s: gqlgen %v, plan %v", q, i, typ.Name, w, g)
				}
			}
		}
	}
}

func TestPlanString(t *testing.T) {
	es := testSchema(t, nil)
	doc, errs := gqlparser.LoadQuery(es.Schema(), `{ me { n: name best { ...F } friends { ...F } } node(id: 1) { id } } fragment F on User { id }`)
	if errs != nil {
		t.Fatal(errs)
	}
	plan, err := es.BuildPlan(doc, doc.Operations[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `#0 Query
  me: me User -> #1
  node: node Node -> Post:#3 User:#4
#1 User
  n: name String!
  best: best User -> #2
  friends: friends [User!]! -> #2
#2 User
  id: id ID!
#3 Post
  id: id ID!
#4 User
  id: id ID!
`
	if got := plan.String(); got != want {
		t.Errorf("plan:\n%s\nwant:\n%s", got, want)
	}
}

func TestPlanCache(t *testing.T) {
	es := testSchema(t, nil)
	q := `query($a: Boolean!, $b: ID!) { me @include(if: $a) { id } node(id: $b) { id } }`
	doc, errs := gqlparser.LoadQuery(es.Schema(), q)
	if errs != nil {
		t.Fatal(errs)
	}
	oc := func(vars map[string]any) *graphql.OperationContext {
		return &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0], Variables: vars}
	}
	p1, _ := es.Plan(oc(map[string]any{"a": true, "b": 1}))
	p2, _ := es.Plan(oc(map[string]any{"a": true, "b": 2}))
	p3, _ := es.Plan(oc(map[string]any{"a": false, "b": 1}))
	if p1 != p2 {
		t.Error("a variable @include/@skip do not read made a new plan")
	}
	if p1 == p3 || len(p3.Root.Fields) != 1 {
		t.Error("a different @include value reused the plan")
	}
}

func TestNewChecksScalars(t *testing.T) {
	sch, err := gqlparser.LoadSchema(&ast.Source{Input: "scalar Date type Query { d: Date }"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(Config{Schema: sch})
	var ce *ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "Date") {
		t.Fatalf("New without a Date marshaler: %v", err)
	}
}

type panicky struct{}

func (panicky) FieldValue(context.Context, FieldInfo) (any, error) { panic("object") }

// TestResolverPanics: a panic in a Resolver or an Object is the recover
// function's error at the field's path, the field null without a further
// error (gqlgen's resolveField), and the operation goes on.
func TestResolverPanics(t *testing.T) {
	es := testSchema(t, ResolverFunc(func(_ context.Context, info FieldInfo) (any, error) {
		switch info.Field.Name {
		case "me", "boom":
			panic("root")
		case "t":
			return panicky{}, nil
		}
		return []any{}, nil
	}))
	got := run(t, es, `{ me { id } t { a } users { id } }`, nil)
	check(t, got, `{"me":null,"t":{"a":null},"users":[]}`, "me: internal system error\nt.a: internal system error")
	got = run(t, es, `{ boom }`, nil)
	if got.data != "null" || got.errors != "boom: internal system error" {
		t.Errorf("non-null root panicking: %s, %q", got.data, got.errors)
	}
}

// TestResponseSizeHint checks that a plan's next response starts with a
// buffer of the last one's size: the same bytes, without the reallocations
// of a buffer doubling its way up.
func TestResponseSizeHint(t *testing.T) {
	users := make([]Record, 5000)
	for i := range users {
		users[i] = user(i+1, fmt.Sprintf("user number %d", i+1))
	}
	es := testSchema(t, roots(map[string]any{"users": users}))
	q := `{ users { id name } }`
	doc, errs := gqlparser.LoadQuery(es.Schema(), q)
	if errs != nil {
		t.Fatal(errs)
	}
	oc := &graphql.OperationContext{RawQuery: q, Doc: doc, Operation: doc.Operations[0]}
	ctx := graphql.WithResponseContext(context.Background(), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
	ctx = graphql.WithOperationContext(ctx, oc)
	plan, err := es.Plan(oc)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := es.execute(ctx, oc)
	if got := plan.sizeHint.Load(); got != int64(len(first)) {
		t.Fatalf("size hint %d after a %d-byte response", got, len(first))
	}
	second, _ := es.execute(ctx, oc)
	if string(second) != string(first) {
		t.Fatal("the second response differs")
	}
	cold := testing.AllocsPerRun(5, func() {
		plan.sizeHint.Store(0)
		es.execute(ctx, oc)
	})
	warm := testing.AllocsPerRun(5, func() { es.execute(ctx, oc) })
	if warm > cold-5 {
		t.Errorf("%v allocations with the hint, %v without: the buffer still grows", warm, cold)
	}
}
