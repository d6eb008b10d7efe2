package engine

import (
	"strings"
	"testing"

	"github.com/odoogql/odoogql/odoo"
)

// TestDenyListAtRunTime: an engine built on metadata that still has
// credentials (a schema generated without the deny-list, a live-schema
// gateway) refuses to read, filter, sort, write or name them in a domain,
// exactly as if they did not exist; the caller's metadata is untouched.
func TestDenyListAtRunTime(t *testing.T) {
	meta := &odoo.Metadata{Models: []odoo.Model{
		{Model: "res.users", Fields: map[string]odoo.Field{
			"id":           {Name: "id", Type: "integer", Searchable: true, Sortable: true},
			"login":        {Name: "login", Type: "char", Searchable: true, Sortable: true},
			"password":     {Name: "password", Type: "char", Searchable: true, Sortable: true},
			"totp_secret":  {Name: "totp_secret", Type: "char", Searchable: true, Sortable: true},
			"api_key_ids":  {Name: "api_key_ids", Type: "one2many", Relation: "res.users.apikeys", Searchable: true},
			"totp_enabled": {Name: "totp_enabled", Type: "boolean", Searchable: true},
		}},
		{Model: "res.users.apikeys", Fields: map[string]odoo.Field{
			"id":   {Name: "id", Type: "integer", Searchable: true, Sortable: true},
			"name": {Name: "name", Type: "char", Searchable: true, Sortable: true},
		}},
	}}
	e := New(meta, Options{})
	if len(meta.Models) != 2 || len(meta.Models[0].Fields) != 6 {
		t.Fatalf("New modified its metadata: %+v", meta)
	}
	m := e.model("res.users")
	for _, name := range []string{"password", "totp_secret", "api_key_ids"} {
		if _, ok := fieldOf(m, name); ok { // what planObject reads from
			t.Errorf("res.users.%s can be read", name)
		}
		if _, err := e.compileWhere("res.users", map[string]any{name: map[string]any{"eq": "x"}}, ""); err == nil || !strings.Contains(err.Error(), `unknown field "`+name+`"`) {
			t.Errorf("where on %s: %v", name, err)
		}
		if _, err := compileOrder(m, []any{map[string]any{name: "ASC"}}); err == nil || !strings.Contains(err.Error(), "cannot sort") {
			t.Errorf("orderBy %s: %v", name, err)
		}
		if _, err := e.writeValues("res.users", map[string]any{name: "x"}); err == nil || !strings.Contains(err.Error(), `unknown field "`+name+`"`) {
			t.Errorf("write %s: %v", name, err)
		}
		if _, err := e.parseDomain("res.users", []any{[]any{name, "=", "x"}}); err == nil || !strings.Contains(err.Error(), `unknown field "`+name+`" on res.users`) {
			t.Errorf("domain on %s: %v", name, err)
		}
	}
	if e.model("res.users.apikeys") != nil {
		t.Error("the denied model res.users.apikeys is in the engine")
	}
	for _, name := range []string{"login", "totp_enabled"} {
		if _, ok := fieldOf(m, name); !ok {
			t.Errorf("res.users.%s must stay", name)
		}
	}
	if _, err := e.parseDomain("res.users", []any{[]any{"totp_enabled", "=", true}}); err != nil {
		t.Error(err)
	}
}

// TestExposed: the engine's metadata restricted to a schema has only the
// schema's models and fields.
func TestExposed(t *testing.T) {
	meta := &odoo.Metadata{Models: []odoo.Model{
		{Model: "res.partner", Fields: map[string]odoo.Field{"id": {Type: "integer"}, "name": {Type: "char"}, "message_ids": {Type: "one2many", Relation: "mail.message"}}},
		{Model: "mail.message", Fields: map[string]odoo.Field{"id": {Type: "integer"}, "body": {Type: "html"}}},
	}}
	out := Exposed(meta, map[string]map[string]bool{"res.partner": {"id": true, "name": true}})
	if len(out.Models) != 1 || out.Models[0].Model != "res.partner" || len(out.Models[0].Fields) != 2 {
		t.Errorf("got %+v", out.Models)
	}
	if len(meta.Models) != 2 || len(meta.Models[0].Fields) != 3 {
		t.Errorf("input modified: %+v", meta.Models)
	}
}
