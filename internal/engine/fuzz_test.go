package engine

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzParseDomain feeds the raw domain parser arbitrary JSON: it must never
// panic, and whatever it accepts must be a well-formed prefix domain of known
// operators.
func FuzzParseDomain(f *testing.F) {
	for _, seed := range []string{
		`[]`, `[["name", "=", "A"]]`, `["|", ["name", "=", "A"], "!", ["color", "=", 1]]`,
		`[["country_id.code", "=ilike", "us"]]`, `[["child_ids", "any", [["name", "ilike", "x"]]]]`,
		`[[1, "=", 1]]`, `["&", "&"]`, `[["name", "in", [1, [2, [3]]]]]`, `"[[\"name\",\"=\",1]]"`,
		`[["name.code.x.y", "=", null]]`, `{"a": 1}`, `[5]`, `[["", "", ""]]`,
	} {
		f.Add(seed)
	}
	e := testEngine()
	f.Fuzz(func(t *testing.T, raw string) {
		var v any
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		if dec.Decode(&v) != nil {
			v = raw // the parser also takes a string holding JSON
		}
		d, err := e.parseDomain("res.partner", v)
		if err != nil {
			if code, _ := Classify(err); code != CodeBadUserInput {
				t.Fatalf("error %v classified %s", err, code)
			}
			return
		}
		need := 1
		if len(d) == 0 {
			return
		}
		for _, item := range d {
			switch x := item.(type) {
			case string:
				if x == "&" || x == "|" {
					need++
				} else if x != "!" {
					t.Fatalf("operator %q in %v", x, d)
				}
			case []any:
				if len(x) != 3 {
					t.Fatalf("leaf %v", x)
				}
				need--
			default:
				t.Fatalf("item %T in %v", item, d)
			}
		}
		if need != 0 {
			t.Fatalf("unbalanced domain %v", d)
		}
	})
}

// FuzzCompileWhere feeds the where compiler arbitrary input objects.
func FuzzCompileWhere(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"name": {"eq": "A"}}`, `{"or": [{"name": {"eq": "A"}}, {"color": {"gt": 3}}]}`,
		`{"not": {"and": [{"country_id": {"code": {"in": ["US", "BE"]}}}]}}`,
		`{"child_ids": {"child_ids": {"child_ids": {"name": {"isSet": true}}}}}`,
		`{"id": {"in": ["1", "x"]}}`, `{"write_date": {"gt": "2026-01-01T00:00:00Z"}}`, `{"or": {}}`,
	} {
		f.Add(seed)
	}
	e := testEngine()
	f.Fuzz(func(t *testing.T, raw string) {
		var w map[string]any
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		if dec.Decode(&w) != nil {
			return
		}
		d, err := e.compileWhere("res.partner", w, "")
		if err != nil {
			if code, _ := Classify(err); code != CodeBadUserInput {
				t.Fatalf("error %v classified %s", err, code)
			}
			return
		}
		// What it compiles, the domain parser accepts.
		if d == nil {
			d = expr{}
		}
		b, _ := json.Marshal([]any(d))
		if _, err := e.parseDomain("res.partner", string(b)); err != nil {
			t.Fatalf("compiled %s is not a valid domain: %v", b, err)
		}
	})
}
