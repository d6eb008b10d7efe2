package schemagen

import (
	"encoding/json"
	"flag"
	"go/format"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/odoo"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func loadMeta(t *testing.T, path string) *odoo.Metadata {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var meta odoo.Metadata
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	meta.Sort()
	return &meta
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); run go test ./internal/schemagen -update if the change is intended:\n%s", name, diff)
	}
}

func TestModelNames(t *testing.T) {
	models := []string{
		"account.tax", "product.category", "query", "res.company", "res.country", "res.currency",
		"res.partner", "res.partner.category", "res.partner_category", "res.users",
		"sale.order", "sale.order.line", "status.x", "uom.uom", "x.analysis", "x.news", "x_custom.model",
	}
	got := ModelNames(models)
	tests := []struct {
		model string
		want  Names
	}{
		{"res.partner", Names{"ResPartner", "resPartner", "resPartners", "createResPartner", "createResPartnerMany", "updateResPartner", "deleteResPartner"}},
		{"res.users", Names{"ResUsers", "resUser", "resUsers", "createResUsers", "createResUsersMany", "updateResUsers", "deleteResUsers"}},
		{"sale.order", Names{"SaleOrder", "saleOrder", "saleOrders", "createSaleOrder", "createSaleOrderMany", "updateSaleOrder", "deleteSaleOrder"}},
		{"sale.order.line", Names{"SaleOrderLine", "saleOrderLine", "saleOrderLines", "createSaleOrderLine", "createSaleOrderLineMany", "updateSaleOrderLine", "deleteSaleOrderLine"}},
		{"account.tax", Names{"AccountTax", "accountTax", "accountTaxes", "createAccountTax", "createAccountTaxMany", "updateAccountTax", "deleteAccountTax"}},
		{"res.company", Names{"ResCompany", "resCompany", "resCompanies", "createResCompany", "createResCompanyMany", "updateResCompany", "deleteResCompany"}},
		{"res.currency", Names{"ResCurrency", "resCurrency", "resCurrencies", "createResCurrency", "createResCurrencyMany", "updateResCurrency", "deleteResCurrency"}},
		{"product.category", Names{"ProductCategory", "productCategory", "productCategories", "createProductCategory", "createProductCategoryMany", "updateProductCategory", "deleteProductCategory"}},
		{"uom.uom", Names{"UomUom", "uomUom", "uomUoms", "createUomUom", "createUomUomMany", "updateUomUom", "deleteUomUom"}},
		{"x.analysis", Names{"XAnalysis", "xAnalysis", "xAnalyses", "createXAnalysis", "createXAnalysisMany", "updateXAnalysis", "deleteXAnalysis"}},
		{"x.news", Names{"XNews", "xNew", "xNews", "createXNews", "createXNewsMany", "updateXNews", "deleteXNews"}},
		// A reserved GraphQL name gets the suffix Model.
		{"query", Names{"QueryModel", "query", "queries", "createQueryModel", "createQueryModelMany", "updateQueryModel", "deleteQueryModel"}},
		// Names that differ only by dots and underscores: the first in sort
		// order keeps the name, the next gets a number.
		{"res.partner.category", Names{"ResPartnerCategory", "resPartnerCategory", "resPartnerCategories", "createResPartnerCategory", "createResPartnerCategoryMany", "updateResPartnerCategory", "deleteResPartnerCategory"}},
		{"res.partner_category", Names{"ResPartnerCategory2", "resPartnerCategory2", "resPartnerCategories2", "createResPartnerCategory2", "createResPartnerCategory2Many", "updateResPartnerCategory2", "deleteResPartnerCategory2"}},
		{"x_custom.model", Names{"XCustomModel", "xCustomModel", "xCustomModels", "createXCustomModel", "createXCustomModelMany", "updateXCustomModel", "deleteXCustomModel"}},
	}
	for _, tt := range tests {
		t.Run(tt.model, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, got[tt.model]); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	// Every name is unique.
	seen := map[string]string{}
	for m, n := range got {
		for _, name := range []string{n.Singular, n.Plural, n.Create, n.CreateN, n.Update, n.Delete} {
			if other, dup := seen[name]; dup {
				t.Errorf("%s and %s share the root field name %s", other, m, name)
			}
			seen[name] = m
		}
	}
}

func TestFieldTypesTable(t *testing.T) {
	tests := []struct {
		odooType, output, filter, input string
		nonNull                         bool
	}{
		{"char", "String", "StringFilter", "String", false},
		{"text", "String", "StringFilter", "String", false},
		{"html", "String", "StringFilter", "String", false},
		{"integer", "Int", "IntFilter", "Int", false},
		{"float", "Float", "FloatFilter", "Float", false},
		{"monetary", "Float", "FloatFilter", "Float", false},
		{"boolean", "Boolean", "BooleanFilter", "Boolean", true},
		{"date", "Date", "DateFilter", "Date", false},
		{"datetime", "DateTime", "DateTimeFilter", "DateTime", false},
		{"binary", "String", "", "String", false},
		{"reference", "JSON", "", "JSON", false},
		{"many2one_reference", "JSON", "", "JSON", false},
		{"json", "JSON", "", "JSON", false},
		{"properties", "JSON", "", "JSON", false},
		{"many2one", "", "", "ID", false},
		{"one2many", "", "", "X2ManyInput", false},
		{"many2many", "", "", "X2ManyInput", false},
	}
	for _, tt := range tests {
		m, ok := FieldTypes[tt.odooType]
		if !ok {
			t.Errorf("%s: missing from FieldTypes", tt.odooType)
			continue
		}
		if m.Output != tt.output || m.Filter != tt.filter || m.Input != tt.input || m.NonNull != tt.nonNull {
			t.Errorf("%s: got %+v", tt.odooType, m)
		}
	}
}

func TestGenerateOdd(t *testing.T) {
	meta := loadMeta(t, "testdata/odd.json")
	cfg := Config{ExcludeFields: []string{"message_*"}}
	res, err := Generate(meta, cfg)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "odd.graphqls", res.Files[SchemaFile])
	golden(t, "odd.gqlgen.yml", res.Files[GqlgenFile])
	golden(t, "odd.resolvers_gen.go.txt", res.Files[ResolversFile])
	golden(t, "odd.warnings.txt", []byte(strings.Join(res.Warnings, "\n")+"\n"))

	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "odd", Input: string(res.Files[SchemaFile])})
	if gerr != nil {
		t.Fatal(gerr)
	}
	typ := schema.Types["XCustomModel"]
	checks := []struct{ field, typ string }{
		{"id", "ID!"},
		{"x_name", "String"},
		{"x_int", "Int"},
		{"x_float", "Float"},
		{"x_amount", "Float"},
		{"x_flag", "Boolean!"},
		{"x_day", "Date"},
		{"x_when", "DateTime"},
		{"x_state", "XCustomModelXState"},
		{"x_odd_sel", "String"},
		{"x_bool_sel", "String"},
		{"x_case_sel", "String"},
		{"x_partner_id", "ResPartner"},
		{"x_outside_id", "AccountJournal"}, // a model outside the schema: its own ref type
		{"x_line_ids", "[XCustomModel2!]!"},
		{"x_tag_ids", "[ResPartner!]!"},
		{"x_ref", "JSON"},
		{"x_res_id", "JSON"},
		{"x_json", "JSON"},
		{"x_props", "JSON"},
		{"x_props_def", "JSON"},
	}
	for _, c := range checks {
		f := typ.Fields.ForName(c.field)
		if f == nil {
			t.Errorf("XCustomModel.%s missing", c.field)
			continue
		}
		if f.Type.String() != c.typ {
			t.Errorf("XCustomModel.%s: type %s, want %s", c.field, f.Type, c.typ)
		}
	}
	for _, left := range []string{"x_future", "__last_update", "message_ids", "x_file"} {
		if typ.Fields.ForName(left) != nil {
			t.Errorf("XCustomModel.%s should be left out", left)
		}
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), `x_custom.model.x_future: left out: unknown Odoo field type "vector"`) {
		t.Errorf("unknown type not reported: %v", res.Warnings)
	}
	where := schema.Types["XCustomModelWhere"]
	if where.Fields.ForName("x_bool_sel") != nil {
		t.Error("a field that is not searchable must not be in where")
	}
	if where.Fields.ForName("x_partner_id").Type.String() != "ResPartnerWhere" {
		t.Error("many2one filters nest the related model's where")
	}
	if schema.Types["XCustomModelCreateInput"].Fields.ForName("x_computed") != nil {
		t.Error("read-only fields must not be in inputs")
	}
	if schema.Types["XNewsCreateInput"] != nil || schema.Mutation.Fields.ForName("createXNews") != nil {
		t.Error("a model without writable fields gets no create/update")
	}
	if schema.Mutation.Fields.ForName("deleteXNews") == nil {
		t.Error("deleteXNews missing")
	}

	// Binary fields are opt-in.
	res, err = Generate(meta, Config{Binary: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.Files[SchemaFile]), "x_file: String") {
		t.Error("binary: true should expose x_file")
	}
}

func TestGenerateDeterministic(t *testing.T) {
	meta := loadMeta(t, "testdata/odd.json")
	a, err := Generate(meta, Config{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		b, err := Generate(meta, Config{})
		if err != nil {
			t.Fatal(err)
		}
		for name := range a.Files {
			if string(a.Files[name]) != string(b.Files[name]) {
				t.Fatalf("%s differs between runs", name)
			}
		}
	}
}

func TestConfig(t *testing.T) {
	cfg, err := ParseConfig([]byte("models: [\"res.*\", sale.order]\nexclude_models: [res.users]\nexclude_fields: [\"message_*\", \"res.partner:x_*\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	for model, want := range map[string]bool{"res.partner": true, "sale.order": true, "res.users": false, "sale.order.line": false} {
		if got := cfg.SelectsModel(model, false); got != want {
			t.Errorf("modelIncluded(%s) = %v", model, got)
		}
	}
	for _, c := range []struct {
		model, field string
		want         bool
	}{{"res.partner", "x_a", true}, {"sale.order", "x_a", false}, {"sale.order", "message_ids", true}, {"sale.order", "name", false}} {
		if got := cfg.fieldExcluded(c.model, c.field); got != c.want {
			t.Errorf("fieldExcluded(%s, %s) = %v", c.model, c.field, got)
		}
	}
	if _, err := ParseConfig([]byte("modelz: [a]\n")); err == nil {
		t.Error("an unknown key must be an error")
	}
	if _, err := ParseConfig([]byte("models: [\"[\"]\n")); err == nil {
		t.Error("a bad pattern must be an error")
	}
}

func TestNoModel(t *testing.T) {
	meta := loadMeta(t, "testdata/odd.json")
	if _, err := Generate(meta, Config{Models: []string{"nothing.*"}}); err == nil {
		t.Error("want an error when no model is selected")
	}
}

// TestDenyList checks that the deny-list (internal/secrets) keeps
// credentials out of the schema whatever the configuration selects: no
// output field, filter, sort key or input for them, no type for a denied
// model, no relation to one; flags and counts stay.
func TestDenyList(t *testing.T) {
	meta := loadMeta(t, "testdata/secrets.json")
	res, err := Generate(meta, Config{Models: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "secrets.graphqls", res.Files[SchemaFile])
	if len(res.Warnings) != 0 {
		t.Errorf("denied fields are not warnings (-strict must pass): %v", res.Warnings)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "secrets", Input: string(res.Files[SchemaFile])})
	if gerr != nil {
		t.Fatal(gerr)
	}
	for _, typ := range []string{"ResUsers", "ResUsersWhere", "ResUsersOrderBy", "ResUsersCreateInput", "ResUsersUpdateInput"} {
		def := schema.Types[typ]
		if def == nil {
			t.Fatalf("type %s missing", typ)
		}
		for _, denied := range []string{"password", "new_password", "signup_token", "oauth_access_token", "api_key_ids", "totp_trusted_device_ids", "param_id"} {
			if def.Fields.ForName(denied) != nil {
				t.Errorf("%s.%s is a secret and must not be in the schema", typ, denied)
			}
		}
	}
	for _, kept := range []string{"login", "totp_enabled", "payment_token_count"} {
		if schema.Types["ResUsers"].Fields.ForName(kept) == nil {
			t.Errorf("ResUsers.%s must stay", kept)
		}
	}
	for _, typ := range []string{"ResUsersApikeys", "IrConfigParameter"} {
		if schema.Types[typ] != nil {
			t.Errorf("denied model type %s in the schema", typ)
		}
	}
	// Excluding a denied field by configuration changes nothing.
	res2, err := Generate(meta, Config{Models: []string{"*"}, ExcludeFields: []string{"password"}})
	if err != nil {
		t.Fatal(err)
	}
	if string(res2.Files[SchemaFile]) != string(res.Files[SchemaFile]) {
		t.Error("exclude_fields of a denied field changed the schema")
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	cfg, err := ConfigFromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Config{}, cfg); diff != "" {
		t.Errorf("no variables: want the zero Config (every model, binaries off):\n%s", diff)
	}

	cfg, err = ConfigFromEnv(env(map[string]string{
		"ODOOGQL_MODELS":         " res.partner, sale.* ,,ir.attachment",
		"ODOOGQL_EXCLUDE_MODELS": "sale.report",
		"ODOOGQL_EXCLUDE_FIELDS": "message_*, activity_*,res.partner:x_legacy_*",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		Models:        []string{"res.partner", "sale.*", "ir.attachment"},
		ExcludeModels: []string{"sale.report"},
		ExcludeFields: []string{"message_*", "activity_*", "res.partner:x_legacy_*"},
	}
	if diff := cmp.Diff(want, cfg); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// The same rules as generate.yml's.
	yml, err := ParseConfig([]byte("models: [res.partner, \"sale.*\", ir.attachment]\nexclude_models: [sale.report]\nexclude_fields: [\"message_*\", \"activity_*\", \"res.partner:x_legacy_*\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(yml, cfg); diff != "" {
		t.Errorf("environment and generate.yml differ (-yml +env):\n%s", diff)
	}
	for model, want := range map[string]bool{"res.partner": true, "sale.order": true, "sale.report": false, "ir.attachment": true, "ir.ui.view": false, "account.move": false} {
		if got := cfg.SelectsModel(model, false); got != want {
			t.Errorf("SelectsModel(%s) = %v, want %v", model, got, want)
		}
	}
	if !cfg.fieldExcluded("sale.order", "message_ids") || !cfg.fieldExcluded("res.partner", "x_legacy_code") || cfg.fieldExcluded("sale.order", "x_legacy_code") {
		t.Error("exclude_fields patterns from the environment do not apply")
	}

	for _, name := range []string{"ODOOGQL_MODELS", "ODOOGQL_EXCLUDE_MODELS", "ODOOGQL_EXCLUDE_FIELDS"} {
		_, err := ConfigFromEnv(env(map[string]string{name: "res.partner,sale.[order"}))
		if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), `"sale.[order"`) {
			t.Errorf("%s with a bad pattern: error %v, want one naming the variable and the pattern", name, err)
		}
	}
}

func TestSelectsModel(t *testing.T) {
	tests := []struct {
		cfg       Config
		model     string
		transient bool
		want      bool
	}{
		// Everything (no models, or "*"): business models, not the
		// technical ones, not wizards.
		{Config{}, "res.partner", false, true},
		{Config{}, "ir.ui.view", false, false},
		{Config{}, "mail.mail", false, false},
		{Config{}, "mail.message", false, true},
		{Config{}, "bus.bus", false, false},
		{Config{}, "base", false, false},
		{Config{}, "sale.advance.payment.inv", true, false},
		{Config{Models: []string{"*"}}, "ir.ui.view", false, false},
		{Config{Models: []string{"*"}}, "sale.order", false, true},
		// A specific pattern exposes technical models.
		{Config{Models: []string{"*", "ir.*"}}, "ir.ui.view", false, true},
		{Config{Models: []string{"ir.attachment"}}, "ir.attachment", false, true},
		{Config{Models: []string{"ir.attachment"}}, "ir.ui.view", false, false},
		// Wizards only by exact name.
		{Config{Models: []string{"sale.*"}}, "sale.advance.payment.inv", true, false},
		{Config{Models: []string{"sale.*", "sale.advance.payment.inv"}}, "sale.advance.payment.inv", true, true},
		{Config{Models: []string{"*", "sale.advance.payment.inv"}}, "sale.advance.payment.inv", true, true},
		// exclude_models wins over everything.
		{Config{Models: []string{"ir.*"}, ExcludeModels: []string{"ir.ui.*"}}, "ir.ui.view", false, false},
		{Config{Models: []string{"sale.advance.payment.inv"}, ExcludeModels: []string{"sale.*"}}, "sale.advance.payment.inv", true, false},
	}
	for _, tt := range tests {
		if got := tt.cfg.SelectsModel(tt.model, tt.transient); got != tt.want {
			t.Errorf("%+v.SelectsModel(%s, transient %v) = %v, want %v", tt.cfg, tt.model, tt.transient, got, tt.want)
		}
	}
	for _, p := range TechnicalModels {
		if err := validatePatterns([]string{p}); err != nil {
			t.Error(err)
		}
	}
}

// TestDefaultExcludeFieldsAreGenerateYML: the defaults live mode and
// odoogql-schema apply are the committed generate.yml's field exclusions.
func TestDefaultExcludeFieldsAreGenerateYML(t *testing.T) {
	raw, err := os.ReadFile("../../generate.yml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.ExcludeFields, DefaultExcludeFields()) {
		t.Errorf("generate.yml excludes %q, DefaultExcludeFields %q", cfg.ExcludeFields, DefaultExcludeFields())
	}
}

// TestResolversAreGofmted: the resolvers are written as gofmt writes them
// (the generator does not run go/format, to keep it out of the gateway's
// binary), for the committed metadata and the odd and colliding cases.
func TestResolversAreGofmted(t *testing.T) {
	for _, name := range []string{"../../metadata.json", "testdata/odd.json", "testdata/collisions.json"} {
		res, err := Generate(loadMeta(t, name), Config{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		code := res.Files[ResolversFile]
		formatted, err := format.Source(code)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d := cmp.Diff(string(formatted), string(code)); d != "" {
			t.Errorf("%s: the resolvers are not gofmted (-gofmt +generated):\n%s", name, d)
		}
	}
}
