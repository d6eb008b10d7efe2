package schemagen

import (
	"go/format"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/odoo"
)

// TestActions: each listed method is a mutation named from the model's type
// and the method's words, with a result type; names another root field or
// type holds are numbered, and nothing else changes name.
func TestActions(t *testing.T) {
	fields := map[string]odoo.Field{
		"id":    {Name: "id", Type: "integer", Readonly: true},
		"name":  {Name: "name", Type: "char"},
		"state": {Name: "state", Type: "char"},
	}
	meta := &odoo.Metadata{Models: []odoo.Model{
		{Model: "sale.order", Name: "Sales Order", Fields: fields},
		// Its by-id query is saleOrderActionConfirm, its type
		// SaleOrderActionConfirm: the action's names are numbered.
		{Model: "sale.order.action_confirm", Name: "Odd", Fields: fields},
		{Model: "sale.order.action_confirm_result", Name: "Odder", Fields: fields},
	}}
	base, err := Generate(meta, Config{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Methods: []string{"sale.order.action_confirm", "sale.order.action_cancel", "sale.order.action_confirm.action_go"}}
	res, err := Generate(meta, cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Action{}
	for i, m := range res.Models {
		for _, a := range m.Actions {
			got[m.Model+"."+a.Method] = a
		}
		b := base.Models[i]
		if m.Names != b.Names {
			t.Errorf("%s: names %+v with methods, %+v without", m.Model, m.Names, b.Names)
		}
	}
	want := map[string]Action{
		"sale.order.action_cancel":            {Method: "action_cancel", Field: "saleOrderActionCancel", Type: "SaleOrderActionCancelResult"},
		"sale.order.action_confirm":           {Method: "action_confirm", Field: "saleOrderActionConfirm2", Type: "SaleOrderActionConfirm2Result"},
		"sale.order.action_confirm.action_go": {Method: "action_go", Field: "saleOrderActionConfirmActionGo", Type: "SaleOrderActionConfirmActionGoResult"},
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %+v, want %+v", k, got[k], w)
		}
	}
	sdl := string(res.Files[SchemaFile])
	for _, s := range []string{
		"  saleOrderActionConfirm2(ids: [ID!]!, args: JSON, kwargs: JSON): SaleOrderActionConfirm2Result!\n",
		"type SaleOrderActionConfirm2Result {\n",
		"  records: [SaleOrder!]!\n",
		"  result: JSON\n}\n",
	} {
		if !strings.Contains(sdl, s) {
			t.Errorf("schema lacks %q", s)
		}
	}
	code := res.Files[ResolversFile]
	if formatted, err := format.Source(code); err != nil || string(formatted) != string(code) {
		t.Errorf("resolvers not gofmted: %v", err)
	}
	if !strings.Contains(string(code), `engine.Call[model.SaleOrder](ctx, r.Engine, "sale.order", "action_confirm", ids, args, kwargs)`) {
		t.Errorf("no resolver calling action_confirm:\n%s", code)
	}

	// Refused: private, not an identifier, not model.method, a model the
	// configuration does not select or the schema does not have.
	for _, tt := range []struct {
		cfg  Config
		want string
	}{
		{Config{Methods: []string{"sale.order._action_confirm"}}, "private method"},
		{Config{Methods: []string{"sale.order.__init__"}}, "private method"},
		{Config{Methods: []string{"sale.order.action confirm"}}, "not a valid method name"},
		{Config{Methods: []string{"sale.order."}}, "not model.method"},
		{Config{Methods: []string{"sale.*.action_confirm"}}, "not a pattern"},
		{Config{Models: []string{"sale.order"}, Methods: []string{"res.partner.action_archive"}}, "model res.partner is not exposed by the configuration"},
		{Config{ExcludeModels: []string{"sale.*"}, Methods: []string{"sale.order.action_confirm"}}, "not exposed by the configuration"},
		{Config{Methods: []string{"ir.cron.method_direct_trigger"}}, "model ir.cron is not exposed"},
		{Config{Methods: []string{"x.missing.action_go"}}, "model x.missing is not exposed by the schema"},
	} {
		_, err := Generate(meta, tt.cfg)
		if err == nil {
			err = tt.cfg.Validate()
		}
		if verr := tt.cfg.Validate(); verr != nil {
			err = verr
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want an error with %q", tt.cfg.Methods, err, tt.want)
		}
	}
	if _, err := ConfigFromEnv(func(k string) string {
		return map[string]string{EnvMethods: "sale.order._x"}[k]
	}); err == nil || !strings.Contains(err.Error(), "ODOOGQL_METHODS") {
		t.Errorf("ConfigFromEnv: %v, want an error naming ODOOGQL_METHODS", err)
	}
	if c, err := ParseConfig([]byte("methods: [sale.order.action_confirm]\n")); err != nil || len(c.Methods) != 1 {
		t.Errorf("ParseConfig: %+v, %v", c, err)
	}
}
