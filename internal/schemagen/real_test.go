package schemagen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/codegen/templates"
	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/odoo"
)

// The whole-Odoo snapshots (see testdata/metadata-full/README.md at the
// module root): every model of a real Odoo 18.0 and 17.0.
var fullSnapshots = []struct{ name, path string }{
	{"odoo18", "../../testdata/metadata-full/odoo18-all-models.json"},
	{"odoo17", "../../testdata/metadata-full/odoo17-all-models.json"},
}

func loadSchema(t *testing.T, res *Result) *ast.Schema {
	t.Helper()
	s, err := gqlparser.LoadSchema(&ast.Source{Name: SchemaFile, Input: string(res.Files[SchemaFile])})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func lines(ss []string) []byte {
	if len(ss) == 0 {
		return nil
	}
	return []byte(strings.Join(ss, "\n") + "\n")
}

// modelTypes lists "model → type" for each exposed model, from the
// generated exposedModels table.
func modelTypes(t *testing.T, res *Result) []string {
	t.Helper()
	var out []string
	for _, l := range strings.Split(string(res.Files[ResolversFile]), "\n") {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "{Model: ") {
			continue
		}
		var model, typ string
		if _, err := fmt.Sscanf(l[strings.Index(l, "Model: ")+7:strings.Index(l, ",")], "%q", &model); err != nil {
			t.Fatal(err)
		}
		if _, err := fmt.Sscanf(l[strings.LastIndex(l, "Type: ")+6:], "%q", &typ); err != nil {
			t.Fatal(err)
		}
		out = append(out, model+" "+typ)
	}
	return out
}

// TestRealFixturesAreExtracts checks that every model of testdata/real/ is
// copied unchanged from the Odoo 18.0 snapshot: the odd cases below are what
// a real Odoo produces, not hand-written approximations.
func TestRealFixturesAreExtracts(t *testing.T) {
	full := loadMeta(t, fullSnapshots[0].path)
	files, _ := filepath.Glob("testdata/real/*.json")
	if len(files) == 0 {
		t.Fatal("no testdata/real/*.json")
	}
	for _, f := range files {
		for _, m := range loadMeta(t, f).Models {
			want, ok := full.Model(m.Model)
			if !ok {
				t.Errorf("%s: %s is not in the 18.0 snapshot", f, m.Model)
				continue
			}
			if diff := cmp.Diff(*want, m); diff != "" {
				t.Errorf("%s: %s differs from the 18.0 snapshot (-snapshot +fixture):\n%s", f, m.Model, diff)
			}
		}
	}
}

// TestGenerateRealOddCases generates small extracts of the 18.0 snapshot,
// one per odd case it contains, against golden files.
func TestGenerateRealOddCases(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		// types that must exist, and GraphQL type → Go type of the model
		// structs gqlgen makes (checked in the generated resolvers).
		types []string
		goOf  map[string]string
	}{
		{
			// Abstract models: no fields at all (sale.edi.common, the UBL
			// builder, stock.forecasted_product_product, a mixin), or fields
			// but no id (utm.mixin, the barcode mixin). Each one warning; the
			// default selection ("everything") must not fail on them.
			name:  "abstract",
			cfg:   Config{},
			types: []string{"UtmSource"},
		},
		{
			// Names with underscores and Go initialisms: gqlgen names the
			// struct of SalePdfFormField SalePDFFormField, of IrUiMenu
			// IrUIMenu, of IrActionsActUrl IrActionsActURL.
			name:  "names",
			cfg:   Config{Models: []string{"sale.pdf.form.field", "stock.*", "account.lock_exception", "ir.actions.act_url", "ir.ui.menu"}},
			types: []string{"SalePdfFormField", "StockPackageLevel", "AccountLockException", "IrActionsActUrl", "IrUiMenu"},
			goOf:  map[string]string{"SalePdfFormField": "SalePDFFormField", "IrUiMenu": "IrUIMenu", "IrActionsActUrl": "IrActionsActURL", "StockPackageLevel": "StockPackageLevel"},
		},
		{
			// Selections whose values are not GraphQL names (HALF-UP,
			// gs1-128, "0".."6", "to upgrade") are String with the values in
			// the description; the others are enums.
			name:  "selections",
			cfg:   Config{Models: []string{"*", "ir.module.module.dependency"}},
			types: []string{"AccountCashRounding", "ResourceCalendarAttendance", "BarcodeRule", "IrModuleModuleDependency"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			meta := loadMeta(t, "testdata/real/"+tt.name+".json")
			res, err := Generate(meta, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "real/"+tt.name+".graphqls", res.Files[SchemaFile])
			golden(t, "real/"+tt.name+".resolvers_gen.go.txt", res.Files[ResolversFile])
			golden(t, "real/"+tt.name+".warnings.txt", lines(res.Warnings))
			schema := loadSchema(t, res)
			for _, typ := range tt.types {
				if schema.Types[typ] == nil {
					t.Errorf("type %s missing", typ)
				}
			}
			code := string(res.Files[ResolversFile])
			for gql, goName := range tt.goOf {
				if templates.ToGo(gql) != goName {
					t.Errorf("gqlgen's ToGo(%s) = %s, want %s", gql, templates.ToGo(gql), goName)
				}
				if !strings.Contains(code, "*model."+goName+",") || !strings.Contains(code, "*model."+goName+"Connection,") {
					t.Errorf("resolvers do not use model.%s and model.%sConnection", goName, goName)
				}
				if goName != gql && strings.Contains(code, "model."+gql) {
					t.Errorf("resolvers use model.%s, which gqlgen does not generate (it makes model.%s)", gql, goName)
				}
			}
		})
	}

	// Selections, typed: the fallbacks are String.
	schema := loadSchema(t, mustGenerate(t, "testdata/real/selections.json", Config{Models: []string{"*", "ir.module.module.dependency"}}))
	for _, c := range []struct{ typ, field, want string }{
		{"AccountCashRounding", "rounding_method", "String"},               // UP, DOWN, HALF-UP
		{"AccountCashRounding", "strategy", "AccountCashRoundingStrategy"}, // biggest_tax, add_invoice_line
		{"ResourceCalendarAttendance", "dayofweek", "String"},              // "0".."6"
		{"ResourceCalendarAttendance", "week_type", "String"},              // "1", "0"
		{"BarcodeRule", "encoding", "String"},                              // gs1-128
		{"IrModuleModuleDependency", "state", "String"},                    // "to upgrade"
	} {
		f := schema.Types[c.typ].Fields.ForName(c.field)
		if f == nil || f.Type.String() != c.want {
			t.Errorf("%s.%s: %v, want %s", c.typ, c.field, f, c.want)
		}
	}
}

func mustGenerate(t *testing.T, path string, cfg Config) *Result {
	t.Helper()
	res, err := Generate(loadMeta(t, path), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestGenerateScope checks which models a configuration exposes, on real
// models: a technical model (bus.bus, ir.ui.menu, mail.message.reaction), two
// wizards (transient) and business models.
func TestGenerateScope(t *testing.T) {
	meta := loadMeta(t, "testdata/real/scope.json")
	tests := []struct {
		name string
		cfg  Config
		want []string
	}{
		{"everything: no technical model, no wizard", Config{},
			[]string{"mail.followers MailFollowers", "res.partner.industry ResPartnerIndustry"}},
		{"* is everything too", Config{Models: []string{"*"}},
			[]string{"mail.followers MailFollowers", "res.partner.industry ResPartnerIndustry"}},
		{"a specific pattern exposes technical models", Config{Models: []string{"*", "ir.*", "mail.message.reaction"}},
			[]string{"ir.ui.menu IrUiMenu", "mail.followers MailFollowers", "mail.message.reaction MailMessageReaction", "res.partner.industry ResPartnerIndustry"}},
		{"a glob does not bring in wizards", Config{Models: []string{"sale.*", "stock.*", "bus.*"}},
			[]string{"bus.bus BusBus"}},
		{"an exact name does", Config{Models: []string{"sale.*", "stock.backorder.confirmation"}},
			[]string{"stock.backorder.confirmation StockBackorderConfirmation"}},
		{"exclude_models wins", Config{Models: []string{"*", "bus.*"}, ExcludeModels: []string{"bus.*", "mail.*"}},
			[]string{"res.partner.industry ResPartnerIndustry"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Generate(meta, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, modelTypes(t, res)); diff != "" {
				t.Errorf("exposed models (-want +got):\n%s", diff)
			}
			if len(res.Warnings) != 0 {
				t.Errorf("what the configuration leaves out is no warning: %q", res.Warnings)
			}
		})
	}
}

// TestGenerateCollisions generates synthetic models whose names collide:
// with another model's derived types (res.partner.where and ResPartnerWhere),
// with an enum (res.partner.where_kind and res.partner.where.kind), with
// odoogql's own types and root fields (odoo.model), in Go only
// (sale.pdf.form.field and sale.p.d.f.form.field: SalePdfFormField and
// SalePDFFormField are both SalePDFFormField in Go), field names equal in Go (x_id,
// x_i_d) or equal to where's and/not, and a name starting with a digit.
func TestGenerateCollisions(t *testing.T) {
	res := mustGenerate(t, "testdata/collisions.json", Config{})
	golden(t, "collisions.graphqls", res.Files[SchemaFile])
	golden(t, "collisions.resolvers_gen.go.txt", res.Files[ResolversFile])
	golden(t, "collisions.warnings.txt", lines(res.Warnings))
	want := []string{
		"2fa.device M2faDevice",
		"odoo.model OdooModelModel",
		"res.partner ResPartner",
		"res.partner.where ResPartnerWhere2",
		"res.partner.where.kind ResPartnerWhereKind",
		"sale.p.d.f.form.field SalePDFFormField",
		"sale.pdf.form.field SalePdfFormField2",
	}
	if diff := cmp.Diff(want, modelTypes(t, res)); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}
	schema := loadSchema(t, res)
	if f := schema.Types["ResPartner"].Fields.ForName("where_kind"); f == nil || f.Type.Name() != "ResPartnerWhereKind2" {
		t.Errorf("ResPartner.where_kind: %v, want the enum ResPartnerWhereKind2", f)
	}
	if schema.Query.Fields.ForName("odooModels").Type.String() != "[OdooModel!]!" {
		t.Error("odooModels must stay odoogql's own query")
	}
	if schema.Types["ResPartner"].Fields.ForName("and") == nil || schema.Types["ResPartnerWhere"].Fields.ForName("and").Type.String() != "[ResPartnerWhere!]" {
		t.Error("a field named and is readable, and where's and stays the combinator")
	}
	assertGoUnique(t, schema)

	// Result.Models says the same as the schema.
	var got []string
	for _, m := range res.Models {
		got = append(got, m.Model+" "+m.Type)
		def := schema.Types[m.Type]
		if def == nil || schema.Query.Fields.ForName(m.Singular).Type.Name() != m.Type || schema.Query.Fields.ForName(m.Plural) == nil {
			t.Errorf("%s: names %+v do not match the schema", m.Model, m.Names)
			continue
		}
		var fields []string
		for _, f := range def.Fields {
			if f.Name != "nodeId" { // the Node interface's, not an Odoo field
				fields = append(fields, f.Name)
			}
		}
		if diff := cmp.Diff(fields, m.Fields); diff != "" {
			t.Errorf("%s: Result.Models fields differ from the type's (-type +result):\n%s", m.Model, diff)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Result.Models (-want +got):\n%s", diff)
	}
}

// assertGoUnique checks that no two types, and no two fields of one type,
// share a Go name (gqlgen would number one of them, and the generated
// resolvers would not compile), and that no two root fields do.
func assertGoUnique(t *testing.T, schema *ast.Schema) {
	t.Helper()
	seen := map[string]string{}
	for name, def := range schema.Types {
		if def.BuiltIn {
			continue
		}
		g := templates.ToGo(name)
		if other, dup := seen[g]; dup {
			t.Errorf("types %s and %s are both %s in Go", other, name, g)
		}
		seen[g] = name
		fields := map[string]string{}
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			g := templates.ToGo(f.Name)
			if other, dup := fields[g]; dup {
				t.Errorf("%s: fields %s and %s are both %s in Go", name, other, f.Name, g)
			}
			fields[g] = f.Name
		}
	}
	roots := map[string]string{}
	for _, def := range []*ast.Definition{schema.Query, schema.Mutation} {
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			g := templates.ToGo(f.Name)
			if other, dup := roots[g]; dup {
				t.Errorf("root fields %s and %s are both %s in Go", other, f.Name, g)
			}
			roots[g] = f.Name
		}
	}
}

// shuffled returns a copy of meta with its models in a random order.
func shuffled(meta *odoo.Metadata, seed int64) *odoo.Metadata {
	out := &odoo.Metadata{ServerVersion: meta.ServerVersion, Models: append([]odoo.Model(nil), meta.Models...)}
	rand.New(rand.NewSource(seed)).Shuffle(len(out.Models), func(i, j int) { out.Models[i], out.Models[j] = out.Models[j], out.Models[i] })
	return out
}

// TestGenerateFullSnapshots generates every model of the whole 18.0 and
// 17.0 snapshots, two ways: the default selection (everything but the
// technical models and wizards) and every model named exactly (technical
// models and wizards included, no exclusion at all). Each must give a valid
// schema whatever the order of the models, the same bytes twice, and exactly
// the warnings of the golden lists; the counts of types and fields are
// golden too, and so is the name of every model's type in the default
// selection.
func TestGenerateFullSnapshots(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	for _, snap := range fullSnapshots {
		meta := loadMeta(t, snap.path)
		var every []string
		for _, m := range meta.Models {
			every = append(every, m.Model)
		}
		for _, sel := range []struct {
			name string
			cfg  Config
		}{
			{"default", Config{}},
			{"every", Config{Models: every, Binary: true}},
		} {
			t.Run(snap.name+"/"+sel.name, func(t *testing.T) {
				start := time.Now()
				res, err := Generate(meta, sel.cfg)
				elapsed := time.Since(start)
				if err != nil {
					t.Fatal(err)
				}
				again, err := Generate(shuffled(meta, 1), sel.cfg)
				if err != nil {
					t.Fatal(err)
				}
				for name, b := range res.Files {
					if !bytes.Equal(b, again.Files[name]) {
						t.Errorf("%s differs between two runs on the same models in another order", name)
					}
				}
				if diff := cmp.Diff(res.Warnings, again.Warnings); diff != "" {
					t.Errorf("warnings differ between runs:\n%s", diff)
				}
				schema := loadSchema(t, res)
				assertGoUnique(t, schema)
				if formatted, err := format.Source(res.Files[ResolversFile]); err != nil || !bytes.Equal(formatted, res.Files[ResolversFile]) {
					t.Errorf("the resolvers are not gofmted (%v)", err) // TestResolversAreGofmted shows the difference
				}

				kinds := map[ast.DefinitionKind]int{}
				objectFields, inputFields := 0, 0
				for _, def := range schema.Types {
					if def.BuiltIn {
						continue
					}
					kinds[def.Kind]++
					switch def.Kind {
					case ast.Object:
						objectFields += len(def.Fields)
					case ast.InputObject:
						inputFields += len(def.Fields)
					}
				}
				exposed := modelTypes(t, res)
				summary := fmt.Sprintf("models in the snapshot: %d\nmodels exposed: %d\nwarnings: %d\nobject types: %d\ninput types: %d\nenums: %d\nscalars: %d\nobject fields: %d\ninput fields: %d\nquery fields: %d\nmutation fields: %d\n",
					len(meta.Models), len(exposed), len(res.Warnings), kinds[ast.Object], kinds[ast.InputObject], kinds[ast.Enum], kinds[ast.Scalar],
					objectFields, inputFields, len(schema.Query.Fields), len(schema.Mutation.Fields))
				base := "full/" + snap.name + "." + sel.name
				golden(t, base+".summary.txt", []byte(summary))
				golden(t, base+".warnings.txt", lines(res.Warnings))
				if sel.name == "default" {
					golden(t, base+".types.txt", lines(exposed))
				}
				t.Logf("%s, %s selection: %d models exposed, generated in %v: schema %d bytes, resolvers %d bytes, gqlgen.yml %d bytes, %d warnings",
					snap.name, sel.name, len(exposed), elapsed.Round(time.Millisecond), len(res.Files[SchemaFile]), len(res.Files[ResolversFile]), len(res.Files[GqlgenFile]), len(res.Warnings))
			})
		}
	}
}

// TestFullSnapshotsAreValidJSON keeps the two snapshots loadable with the
// format of metadata.json: models sorted and unique, fields named.
func TestFullSnapshotsAreValidJSON(t *testing.T) {
	for _, snap := range fullSnapshots {
		raw, err := os.ReadFile(snap.path)
		if err != nil {
			t.Fatal(err)
		}
		var meta odoo.Metadata
		if err := json.Unmarshal(raw, &meta); err != nil {
			t.Fatal(err)
		}
		names := make([]string, len(meta.Models))
		for i, m := range meta.Models {
			names[i] = m.Model
		}
		if !sort.StringsAreSorted(names) {
			t.Errorf("%s: models not sorted", snap.name)
		}
	}
}
