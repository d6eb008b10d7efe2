package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/odoogql/odoogql/odoo"
)

// CodeSchemaDrift is the code of an error for a query that touches a part of
// the compiled schema the live Odoo does not have (any more).
const CodeSchemaDrift = "ODOO_SCHEMA_DRIFT"

// Drift is how the live Odoo differs from the metadata snapshot the schema
// was compiled from.
type Drift struct {
	// MissingModels are exposed models the live Odoo does not have.
	MissingModels map[string]bool
	// Fields maps "model.field" to what is wrong with it: "missing", or
	// "type changed from char to text".
	Fields map[string]string
}

// Empty reports whether there is no drift.
func (d *Drift) Empty() bool { return d == nil || (len(d.MissingModels) == 0 && len(d.Fields) == 0) }

// String is a one-line report.
func (d *Drift) String() string {
	if d.Empty() {
		return "no drift"
	}
	var parts []string
	var models []string
	for m := range d.MissingModels {
		models = append(models, m)
	}
	sort.Strings(models)
	if len(models) > 0 {
		parts = append(parts, "missing models: "+strings.Join(models, ", "))
	}
	var fields []string
	for f, why := range d.Fields {
		fields = append(fields, f+" ("+why+")")
	}
	sort.Strings(fields)
	if len(fields) > 0 {
		parts = append(parts, "fields: "+strings.Join(fields, ", "))
	}
	return strings.Join(parts, "; ")
}

// CompareFields records how the live fields of one model differ from the
// snapshot's. live nil means the model itself is missing.
func (d *Drift) CompareFields(snapshot *odoo.Model, live map[string]odoo.Field) {
	if d.MissingModels == nil {
		d.MissingModels = map[string]bool{}
	}
	if d.Fields == nil {
		d.Fields = map[string]string{}
	}
	if live == nil {
		d.MissingModels[snapshot.Model] = true
		return
	}
	for name, f := range snapshot.Fields {
		l, ok := live[name]
		switch {
		case !ok:
			d.Fields[snapshot.Model+"."+name] = "missing"
		case l.Type != f.Type:
			d.Fields[snapshot.Model+"."+name] = fmt.Sprintf("type changed from %s to %s", f.Type, l.Type)
		case l.Relation != f.Relation:
			d.Fields[snapshot.Model+"."+name] = fmt.Sprintf("relation changed from %s to %s", f.Relation, l.Relation)
		}
	}
}

// SetDrift tells the engine how the live Odoo differs from the snapshot; a
// query touching a drifted part then fails with ODOO_SCHEMA_DRIFT naming it,
// and the rest keeps working.
func (e *Engine) SetDrift(d *Drift) {
	if d.Empty() {
		d = nil
	}
	e.drift.Store(d)
}

// checkDrift returns the error for planning field of model, nil when that
// part of the schema is sound.
func (e *Engine) checkDrift(model, field string) error {
	d := e.drift.Load()
	if d == nil {
		return nil
	}
	if d.MissingModels[model] {
		return &Error{Code: CodeSchemaDrift, Message: fmt.Sprintf("model %s is in this API's schema but not in the connected Odoo (module not installed?)", model)}
	}
	if field == "" {
		return nil
	}
	if why, ok := d.Fields[model+"."+field]; ok {
		return &Error{Code: CodeSchemaDrift, Message: fmt.Sprintf("field %s.%s of this API's schema differs in the connected Odoo: %s", model, field, why)}
	}
	return nil
}
