package schemagen

import (
	"testing"

	"github.com/99designs/gqlgen/codegen/templates"
)

// TestGoNameIsGqlgens checks the copy of gqlgen's Go naming (goName)
// against gqlgen's own (templates.ToGo) on every model, field and
// selection value of the whole-Odoo snapshots and the odd test cases,
// and the GraphQL names made of them.
func TestGoNameIsGqlgens(t *testing.T) {
	names := map[string]bool{
		"_": true, "": true, "id": true, "ID": true, "IDFoo": true, "IdFoo": true, "URLs": true, "ipAddress": true,
		"IPAddress": true, "x_studio_pdf_url": true, "sale_pdf_form_field": true, "SalePdfFormField": true,
		"SalePDFFormField": true, "v1_2": true, "a__b": true, "__typename": true, "utf8_json": true,
		"Überblick": true, "ß_id": true, "tax_ids": true, "l10n_in_gst_treatment": true, "x-y z": true,
	}
	paths := []string{"testdata/odd.json", "testdata/collisions.json", "testdata/secrets.json"}
	for _, s := range fullSnapshots {
		paths = append(paths, s.path)
	}
	for _, p := range paths {
		meta := loadMeta(t, p)
		models := make([]string, 0, len(meta.Models))
		for _, m := range meta.Models {
			models = append(models, m.Model)
			names[m.Model] = true
			for fname, f := range m.Fields {
				names[fname] = true
				for _, s := range f.Selection {
					names[s.Value] = true
				}
			}
		}
		for _, n := range ModelNames(models) {
			for _, s := range []string{n.Type, n.Singular, n.Plural, n.Create, n.CreateN, n.Update, n.Delete} {
				names[s] = true
			}
		}
	}
	if len(names) < 5000 {
		t.Fatalf("only %d names", len(names))
	}
	for n := range names {
		if got, want := goName(n), templates.ToGo(n); got != want {
			t.Errorf("goName(%q) = %q, gqlgen's ToGo %q", n, got, want)
		}
	}
}
