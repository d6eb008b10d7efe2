package server

import (
	"os"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/internal/schemagen"
)

// TestLiveSchemaFromMetadata: the live schema of the committed snapshot,
// with generate.yml's rules or with the defaults (every model, the
// chatter fields left out), is the committed schema.graphqls; every query
// and mutation root field maps to its model, and the exposed fields are the
// types' fields.
func TestLiveSchemaFromMetadata(t *testing.T) {
	raw, err := os.ReadFile("../../metadata.json")
	if err != nil {
		t.Fatal(err)
	}
	meta, err := ParseMetadata(raw)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../../schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	yml, err := os.ReadFile("../../generate.yml")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := schemagen.ParseConfig(yml)
	if err != nil {
		t.Fatal(err)
	}
	// The defaults expose what generate.yml does on this snapshot; its
	// methods are given as ODOOGQL_METHODS.
	defaults := Config{Methods: strings.Join(rules.Methods, ",")}
	if err := withMethods(&defaults); err != nil {
		t.Fatal(err)
	}
	for name, cfg := range map[string]Config{"generate.yml": {Exposure: &rules}, "defaults": defaults} {
		src, r := liveSource(cfg, meta)
		_, sdl, err := BuildLiveSchema(src, r)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if sdl != string(committed) {
			t.Errorf("%s: the live SDL differs from schema.graphqls", name)
		}
	}
	ls, err := newLiveSchema(meta, rules)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls.models) != 20 || ls.models[0].Model != "account.tax" || ls.models[0].Type != "AccountTax" || ls.models[0].Name != "Tax" {
		t.Errorf("models = %d, first %+v", len(ls.models), ls.models[0])
	}
	for _, f := range append(ls.schema.Query.Fields, ls.schema.Mutation.Fields...) {
		if len(f.Name) > 2 && f.Name[:2] == "__" {
			continue
		}
		if _, ok := ls.roots[f.Name]; !ok {
			t.Errorf("root field %s has no model", f.Name)
		}
	}
	want := map[string]rootField{
		"resUser": {"res.users", opGet, ""}, "resUsers": {"res.users", opList, ""}, "createResUsersMany": {"res.users", opCreateMany, ""},
		"deleteSaleOrderLine": {"sale.order.line", opDelete, ""}, "odooModels": {"", opModels, ""},
		"saleOrderActionConfirm": {"sale.order", opAction, "action_confirm"},
	}
	for name, rf := range want {
		if ls.roots[name] != rf {
			t.Errorf("root %s = %+v, want %+v", name, ls.roots[name], rf)
		}
	}
	if !ls.exposed["res.partner"]["name"] || ls.exposed["res.partner"]["message_ids"] {
		t.Errorf("exposed res.partner: name %v, message_ids %v", ls.exposed["res.partner"]["name"], ls.exposed["res.partner"]["message_ids"])
	}
}

func TestSchemaMode(t *testing.T) {
	for in, want := range map[string]SchemaMode{"": SchemaLive, "live": SchemaLive, "compiled": SchemaCompiled} {
		if got, err := ParseSchemaMode(in); err != nil || got != want {
			t.Errorf("ParseSchemaMode(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseSchemaMode("dynamic"); err == nil {
		t.Error("ParseSchemaMode(dynamic): no error")
	}
	compiledMu.Lock()
	saved := compiled
	compiled = nil
	compiledMu.Unlock()
	defer func() { compiledMu.Lock(); compiled = saved; compiledMu.Unlock() }()
	if _, err := New(Config{Schema: SchemaCompiled, OdooURL: "http://127.0.0.1:1", OdooDB: "x"}, nil, nil); err == nil {
		t.Error("compiled mode without a registered compiled schema: no error")
	}
}
