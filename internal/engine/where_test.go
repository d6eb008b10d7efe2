package engine

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/odoo"
)

func testEngine() *Engine {
	meta := &odoo.Metadata{Models: []odoo.Model{
		{Model: "res.partner", Fields: map[string]odoo.Field{
			"id":         {Name: "id", Type: "integer", Searchable: true, Sortable: true},
			"name":       {Name: "name", Type: "char", Searchable: true, Sortable: true},
			"color":      {Name: "color", Type: "integer", Searchable: true, Sortable: true},
			"is_company": {Name: "is_company", Type: "boolean", Searchable: true, Sortable: true},
			"write_date": {Name: "write_date", Type: "datetime", Searchable: true, Sortable: true},
			"birthday":   {Name: "birthday", Type: "date", Searchable: true, Sortable: true},
			"country_id": {Name: "country_id", Type: "many2one", Relation: "res.country", Searchable: true, Sortable: true},
			"child_ids":  {Name: "child_ids", Type: "one2many", Relation: "res.partner", Searchable: true},
			"journal_id": {Name: "journal_id", Type: "many2one", Relation: "account.journal", Searchable: true},
			"notes":      {Name: "notes", Type: "text", Searchable: true},
		}},
		{Model: "res.country", Fields: map[string]odoo.Field{
			"id":   {Name: "id", Type: "integer", Searchable: true, Sortable: true},
			"code": {Name: "code", Type: "char", Searchable: true, Sortable: true},
		}},
	}}
	meta.Sort()
	return New(meta, Options{})
}

func js(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestCompileWhere(t *testing.T) {
	e := testEngine()
	tests := []struct {
		where string
		want  string
	}{
		{`{}`, `null`},
		{`{"name": {"eq": "A"}}`, `[["name","=","A"]]`},
		{`{"name": {"ilike": "a", "ne": "B"}}`, `["\u0026",["name","ilike","a"],["name","!=","B"]]`},
		{`{"color": {"in": [1, 2]}}`, `[["color","in",[1,2]]]`},
		{`{"id": {"nin": ["3", "4"]}}`, `[["id","not in",[3,4]]]`},
		{`{"is_company": {"eq": true}}`, `[["is_company","=",true]]`},
		{`{"name": {"isSet": false}}`, `[["name","=",false]]`},
		{`{"name": {"isSet": true}}`, `[["name","!=",false]]`},
		{`{"write_date": {"gte": "2026-11-21T20:40:00Z"}}`, `[["write_date","\u003e=","2026-11-21 20:40:00"]]`},
		{`{"country_id": {"code": {"eq": "US"}}}`, `[["country_id.code","=","US"]]`},
		{`{"country_id": {"id": {"eq": "233"}}}`, `[["country_id","=",233]]`},
		{`{"country_id": {"id": {"isSet": false}}}`, `[["country_id","=",false]]`},
		{`{"child_ids": {"country_id": {"code": {"eq": "BE"}}}}`, `[["child_ids.country_id.code","=","BE"]]`},
		{`{"journal_id": {"id": {"eq": "1"}}}`, `[["journal_id","=",1]]`},
		{`{"or": [{"name": {"eq": "A"}}, {"name": {"eq": "B"}}, {"color": {"gt": 3}}]}`, `["|","|",["name","=","A"],["name","=","B"],["color","\u003e",3]]`},
		{`{"or": []}`, `[[0,"=",1]]`},
		{`{"or": [{}, {"name": {"eq": "A"}}]}`, `["|",[1,"=",1],["name","=","A"]]`},
		{`{"not": {"or": [{"name": {"eq": "A"}}, {"name": {"eq": "B"}}]}}`, `["!","|",["name","=","A"],["name","=","B"]]`},
		{`{"not": {}}`, `["!",[1,"=",1]]`},
		{`{"and": [{"name": {"eq": "A"}}], "color": {"eq": 1}}`, `["\u0026",["name","=","A"],["color","=",1]]`},
	}
	for _, tt := range tests {
		t.Run(tt.where, func(t *testing.T) {
			var w map[string]any
			dec := json.NewDecoder(strings.NewReader(tt.where))
			dec.UseNumber()
			if err := dec.Decode(&w); err != nil {
				t.Fatal(err)
			}
			got, err := e.compileWhere("res.partner", w, "")
			if err != nil {
				t.Fatal(err)
			}
			if js(got) != tt.want {
				t.Errorf("got %s, want %s", js(got), tt.want)
			}
		})
	}
}

func TestCompileWhereErrors(t *testing.T) {
	e := testEngine()
	tests := []struct{ where, want string }{
		{`{"nope": {"eq": 1}}`, `unknown field "nope"`},
		{`{"name": {"regex": "x"}}`, `unknown operator "regex"`},
		{`{"id": {"eq": "abc"}}`, `invalid id "abc"`},
		{`{"color": {"eq": "many"}}`, `where.color.eq: want an integer, got many`},
		{`{"name": {"in": "A"}}`, `must be a list`},
		{`{"and": {"name": {"eq": "A"}}}`, `where.and must be a list`},
		{`{"or": [{"nope": {"eq": 1}}]}`, `unknown field "nope"`},
		// Dates and datetimes are checked as the Date and DateTime scalars
		// check them, the message naming where the value is.
		{`{"write_date": {"gt": "yesterday"}}`, `where.write_date.gt: DateTime must be ISO 8601 like 2026-11-21T20:40:00Z, got "yesterday"`},
		{`{"write_date": {"gt": "2026-11-21 20:40:00"}}`, `where.write_date.gt: DateTime must be ISO 8601`},
		{`{"write_date": {"gt": 20261121}}`, `where.write_date.gt: DateTime must be an ISO 8601 string`},
		{`{"write_date": {"in": ["2026-11-21T20:40:00Z", "soon"]}}`, `where.write_date.in[1]: DateTime must be ISO 8601`},
		{`{"birthday": {"eq": "yesterday"}}`, `where.birthday.eq: Date must be YYYY-MM-DD, got "yesterday"`},
		{`{"birthday": {"lt": "2026-11-21T00:00:00Z"}}`, `where.birthday.lt: Date must be YYYY-MM-DD`},
		{`{"child_ids": {"birthday": {"nin": ["2026-02-30"]}}}`, `where.child_ids.birthday.nin[0]: Date must be YYYY-MM-DD, got "2026-02-30"`},
	}
	for _, tt := range tests {
		var w map[string]any
		_ = json.Unmarshal([]byte(tt.where), &w)
		_, err := e.compileWhere("res.partner", w, "")
		if err == nil {
			t.Errorf("%s: no error, want %q", tt.where, tt.want)
			continue
		}
		// What a client sees: the code and the message.
		if code, msg := Classify(err); code != CodeBadUserInput || !strings.Contains(msg, tt.want) {
			t.Errorf("%s: got %s %q, want BAD_USER_INPUT %q", tt.where, code, msg, tt.want)
		}
	}
	// Valid dates and datetimes reach Odoo in its own form.
	var w map[string]any
	_ = json.Unmarshal([]byte(`{"birthday": {"gte": "2026-02-28"}, "write_date": {"lt": "2026-11-21T21:40:00+01:00"}}`), &w)
	got, err := e.compileWhere("res.partner", w, "")
	if want := `["\u0026",["birthday","\u003e=","2026-02-28"],["write_date","\u003c","2026-11-21 20:40:00"]]`; err != nil || js(got) != want {
		t.Errorf("got %s, %v; want %s", js(got), err, want)
	}
}

func TestParseDomain(t *testing.T) {
	e := testEngine()
	tests := []struct {
		domain any
		want   string
	}{
		{`[]`, `null`},
		{`[["name", "=", "A"]]`, `[["name","=","A"]]`},
		{`[["name", "=", "A"], ["color", ">", 2]]`, `["\u0026",["name","=","A"],["color","\u003e",2]]`},
		{`[["name", "=", "A"], ["color", ">", 2], ["id", "in", [1, 2]]]`, `["\u0026","\u0026",["name","=","A"],["color","\u003e",2],["id","in",[1,2]]]`},
		{`["|", ["name", "=", "A"], "!", ["color", "=", 1]]`, `["|",["name","=","A"],"!",["color","=",1]]`},
		{`[["country_id.code", "=ilike", "us"]]`, `[["country_id.code","=ilike","us"]]`},
		{`[["journal_id.id", "=", 1]]`, `[["journal_id.id","=",1]]`}, // a model outside the API: id only
		{`[[1, "=", 1]]`, `[[1,"=",1]]`},
		{`[["name", "=", null]]`, `[["name","=",false]]`},
		{`[["child_ids", "any", [["name", "ilike", "x"]]]]`, `[["child_ids","any",[["name","ilike","x"]]]]`},
		{[]any{[]any{"color", "=", float64(3)}}, `[["color","=",3]]`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.domain), func(t *testing.T) {
			got, err := e.parseDomain("res.partner", tt.domain)
			if err != nil {
				t.Fatal(err)
			}
			if js(got) != tt.want {
				t.Errorf("got %s, want %s", js(got), tt.want)
			}
		})
	}
	bad := []struct {
		domain any
		want   string
	}{
		{`{"a": 1}`, "must be a list"},
		{`nope`, "not valid JSON"},
		{`[["nope", "=", 1]]`, `domain[0]: unknown field "nope" on res.partner`},
		{`[["name", "~", 1]]`, "domain[0]: unknown operator"},
		{`[["name", "="]]`, "a term has 3 items"},
		{`["|", ["name", "=", 1]]`, "1 operand(s) missing"},
		{`["!"]`, "1 operand(s) missing"},
		{`["^", ["name", "=", 1]]`, `unknown operator "^"`},
		{`[["name.code", "=", 1]]`, "is not a relation"},
		{`[["country_id.nope", "=", 1]]`, `unknown field "nope" on res.country`},
		{`[["journal_id.anything", "=", 1]]`, `unknown field "anything" on account.journal (in path "journal_id.anything")`},
		{`[["id", "in", 3]]`, "needs a list value"},
		{`[["name", "any", []]]`, "applies to relational fields only"},
		{`[["child_ids", "any", [["nope", "=", 1]]]]`, `in domain[0]`},
		{`[5]`, "want an operator or a [field, operator, value] term"},
		{`[[7, "=", 1]]`, "the field must be a name"},
	}
	for _, tt := range bad {
		_, err := e.parseDomain("res.partner", tt.domain)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got %v, want %q", tt.domain, err, tt.want)
		}
		if code, _ := Classify(err); err != nil && code != CodeBadUserInput {
			t.Errorf("%v: code %s, want BAD_USER_INPUT", tt.domain, code)
		}
	}
}

func TestCompileOrder(t *testing.T) {
	e := testEngine()
	m := e.model("res.partner")
	got, err := compileOrder(m, []any{map[string]any{"name": "ASC"}, map[string]any{"id": "DESC"}})
	if err != nil || got != "name asc, id desc" {
		t.Errorf("got %q, %v", got, err)
	}
	for _, bad := range [][]any{
		{map[string]any{"name": "ASC", "id": "DESC"}},
		{map[string]any{}},
		{map[string]any{"notes": "ASC"}},
		{map[string]any{"name": "UP"}},
		{"name"},
	} {
		if _, err := compileOrder(m, bad); err == nil {
			t.Errorf("%v: want an error", bad)
		}
	}
}

func TestX2ManyCommands(t *testing.T) {
	e := testEngine()
	f := odoo.Field{Name: "child_ids", Type: "one2many", Relation: "res.partner"}
	got, err := e.x2manyCommands("input.child_ids", f, map[string]any{"set": []any{"1", "2"}, "add": []any{"3"}, "remove": []any{"4"}})
	if err != nil {
		t.Fatal(err)
	}
	if js(got) != `[[6,0,[1,2]],[4,3],[3,4]]` {
		t.Errorf("got %s", js(got))
	}
	if got, _ := e.x2manyCommands("input.child_ids", f, nil); js(got) != `[[6,0,[]]]` {
		t.Errorf("null clears: got %s", js(got))
	}
	if _, err := e.x2manyCommands("input.child_ids", f, map[string]any{"add": []any{"x"}}); err == nil {
		t.Error("bad id must fail")
	}
	// create, update and delete convert their values as a top-level input,
	// nested x2many inputs included.
	got, err = e.x2manyCommands("input.child_ids", f, map[string]any{
		"create": []any{map[string]any{"name": "A", "birthday": "2026-01-02", "country_id": "3",
			"child_ids": map[string]any{"create": []any{map[string]any{"name": "B"}}}}},
		"update": []any{map[string]any{"id": "7", "input": map[string]any{"country_id": nil}}},
		"delete": []any{"8"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := `[[0,0,{"birthday":"2026-01-02","child_ids":[[0,0,{"name":"B"}]],"country_id":3,"name":"A"}],[1,7,{"country_id":false}],[2,8,0]]`; js(got) != want {
		t.Errorf("got  %s\nwant %s", js(got), want)
	}
	_, err = e.x2manyCommands("input.child_ids", f, map[string]any{"create": []any{map[string]any{"name": "A"}, map[string]any{"birthday": "tomorrow"}}})
	if err == nil || !strings.HasPrefix(err.Error(), "input.child_ids.create[1].birthday: ") {
		t.Errorf("a bad nested value must say where it is: %v", err)
	}
	_, err = e.x2manyCommands("input.child_ids", f, map[string]any{"update": []any{map[string]any{"id": "7", "input": map[string]any{"nope": 1}}}})
	if err == nil || !strings.HasPrefix(err.Error(), "input.child_ids.update[0].input: unknown field") {
		t.Errorf("an unknown nested field must say where it is: %v", err)
	}
}

func TestPlain(t *testing.T) {
	type enum string
	s, n := "a", 3
	var nilp *string
	in := map[string]any{"s": &s, "n": &n, "e": enum("x"), "nil": nilp, "list": []string{"1", "2"}, "m": map[string]any{"p": &s}}
	got := plain(in)
	if js(got) != `{"e":"x","list":["1","2"],"m":{"p":"a"},"n":3,"nil":null,"s":"a"}` {
		t.Errorf("got %s", js(got))
	}
}
