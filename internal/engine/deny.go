package engine

import (
	"github.com/odoogql/odoogql/internal/secrets"
	"github.com/odoogql/odoogql/odoo"
)

// withoutSecrets returns meta without the models and fields of the
// deny-list (internal/secrets), the same list the schema generator applies.
// The engine runs on what it returns, so a credential can be neither read,
// filtered, sorted, written nor named in a raw domain, even by a schema
// generated without the list: the engine answers as for a field that does
// not exist. meta is not modified.
func withoutSecrets(meta *odoo.Metadata) *odoo.Metadata {
	out, _ := secrets.Strip(meta)
	return out
}

// Exposed returns meta restricted to what a schema exposes: exposed maps
// each model the schema has a type for (by technical name) to the fields
// of that type (graph.ExposedFields). Models it does not name are left
// out, so the engine treats them as outside the API (their records show id
// and display_name). Run the engine on it: then a raw domain, whose JSON no
// schema types, can only name fields a client can see, and an error for a
// field left out of the schema (exclude_fields, the deny-list) reads like
// the error for a field that does not exist. meta is not modified.
func Exposed(meta *odoo.Metadata, exposed map[string]map[string]bool) *odoo.Metadata {
	out := &odoo.Metadata{ServerVersion: meta.ServerVersion}
	for _, m := range meta.Models {
		keep, ok := exposed[m.Model]
		if !ok {
			continue
		}
		cp := odoo.Model{Model: m.Model, Name: m.Name, Transient: m.Transient, Fields: make(map[string]odoo.Field, len(keep))}
		for name, f := range m.Fields {
			if keep[name] {
				cp.Fields[name] = f
			}
		}
		out.Models = append(out.Models, cp)
	}
	out.Sort()
	return out
}
