package engine

import (
	"encoding/json"
	"fmt"
	"testing"
)

// TestDomainValueNumbers pins how raw domain values reach Odoo through the
// shared odoo.NormalizeJSON: JSON integers and whole floats of GraphQL
// literals become ints (ids), a written fraction stays a float, null is
// false, inside lists and objects too.
func TestDomainValueNumbers(t *testing.T) {
	e := testEngine()
	for _, tt := range []struct {
		domain any
		want   string
	}{
		{`[["color", "in", [1, 2.0, 2.5, 1e2]]]`, `[]interface {}{"color", "in", []interface {}{1, 2, 2.5, 100}}}`},
		{[]any{[]any{"color", "=", 3.0}}, `[]interface {}{"color", "=", 3}}`}, // a GraphQL literal
		{[]any{[]any{"color", "=", int64(4)}}, `[]interface {}{"color", "=", 4}}`},
		{`[["name", "=", null]]`, `[]interface {}{"name", "=", false}}`},
		{`[["notes", "=", {"a": 1, "b": [2.5, null]}]]`, `[]interface {}{"notes", "=", map[string]interface {}{"a":1, "b":[]interface {}{2.5, false}}}}`},
	} {
		d, err := e.parseDomain("res.partner", tt.domain)
		if err != nil {
			t.Errorf("%v: %v", tt.domain, err)
			continue
		}
		if got := fmt.Sprintf("%#v", []any(d)); got != "[]interface {}{"+tt.want {
			t.Errorf("%v:\n got %s\nwant []interface {}{%s", tt.domain, got, tt.want)
		}
	}
	// The numbers are plain Go numbers, never json.Number (which the
	// XML-RPC encoder would send as a string).
	d, _ := e.parseDomain("res.partner", `[["color", "=", 7]]`)
	if _, isNumber := d[0].([]any)[2].(json.Number); isNumber {
		t.Error("json.Number reached the domain")
	}
}
