package odootest

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/odoogql/odoogql/odoo"
)

// DefaultRecordsPerModel is how many records WithMetadata generates for
// each model that has no demo data.
const DefaultRecordsPerModel = 10

// WithMetadata makes the server serve a whole Odoo described by a metadata
// snapshot (odoogql-gen fetch -models '*', e.g. FullSnapshot("18.0")):
//
//   - ir.model lists exactly the snapshot's models (the captured rows keep
//     their ids, others are added), and fields_get answers for every one of
//     them what the snapshot holds, with the attributes asked for;
//   - the demo models keep their captured data (a demo field the snapshot
//     lacks is dropped, one it adds reads as empty);
//   - every other model with fields that is not transient gets generated
//     records (WithRecordsPerModel, default 10; ids 1..N plus the ids the
//     demo data refers to), made from the field types and deterministic:
//     char/text/html, integer, float/monetary, boolean, selection (a valid
//     value), date and datetime in Odoo's formats, many2one to an existing
//     record of the related model, many2many, and one2many as the records
//     whose inverse many2one (relation_field) points back. A model's records
//     are generated the first time a call reaches it;
//   - transient and field-less (abstract) models have no records.
//
// WithModels and WithoutModels filter the snapshot's models too (relations
// to a model left out point at a stub: id and display_name);
// WithoutFields applies after it. meta is not modified.
func WithMetadata(meta *odoo.Metadata) Option { return func(c *config) { c.meta = meta } }

// WithRecordsPerModel sets how many records WithMetadata generates per
// model (at least 1).
func WithRecordsPerModel(n int) Option { return func(c *config) { c.perModel = max(n, 1) } }

// LoadMetadata reads a metadata snapshot file (metadata.json's format).
func LoadMetadata(path string) (*odoo.Metadata, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var meta odoo.Metadata
	if err := json.Unmarshal(b, &meta); err != nil {
		return nil, fmt.Errorf("odootest: %s: %w", path, err)
	}
	meta.Sort()
	return &meta, nil
}

var snapshotFiles = map[string]string{"17.0": "odoo17-all-models.json", "18.0": "odoo18-all-models.json"}

// FullSnapshot loads the committed whole-Odoo snapshot of a version ("17.0":
// 349 models, "18.0": 450 models) from testdata/metadata-full at the root
// of the repository, found from this source file. Each call returns a new
// copy.
func FullSnapshot(version string) (*odoo.Metadata, error) {
	name, ok := snapshotFiles[version]
	if !ok {
		return nil, fmt.Errorf("odootest: no full snapshot of Odoo %q (have 17.0, 18.0)", version)
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return nil, errors.New("odootest: cannot locate the repository")
	}
	return LoadMetadata(filepath.Join(filepath.Dir(file), "..", "..", "testdata", "metadata-full", name))
}

// lazyGen is the pending generation of a model's records.
type lazyGen struct {
	once  sync.Once
	done  atomic.Bool
	ids   []int          // ids to generate, ascending
	names map[int]string // display names the demo data gave some of them
}

// model returns the named model, generating its records first if they are
// still pending. Every lookup of a model while serving goes through it, so
// no code sees a model before its records exist.
func (ds *dataset) model(name string) *model {
	m := ds.models[name]
	if m != nil && m.lazy != nil {
		m.lazy.once.Do(func() { ds.generate(m); m.lazy.done.Store(true) })
	}
	return m
}

// applyMetadata turns the dataset into the whole Odoo meta describes.
// keep filters the snapshot's models (nil keeps all).
func (ds *dataset) applyMetadata(meta *odoo.Metadata, perModel int, keep func(string) bool) {
	if perModel <= 0 {
		perModel = DefaultRecordsPerModel
	}
	special := map[string]bool{"ir.model": true, "ir.config_parameter": true, "ir.model.access": true, "res.lang": true}
	want := map[string]*odoo.Model{}
	for i := range meta.Models {
		mm := &meta.Models[i]
		if keep == nil || keep(mm.Model) || (special[mm.Model] && ds.models[mm.Model] != nil) {
			want[mm.Model] = mm
		}
	}
	orders := map[string]string{}
	if irm := ds.models["ir.model"]; irm != nil {
		for _, r := range irm.recs {
			orders[strVal(r["model"])] = strVal(r["order"])
		}
	}
	// Demo models the snapshot lacks go, as after uninstalling a module.
	for name, m := range ds.models {
		if !m.stub && want[name] == nil && !special[name] {
			delete(ds.models, name)
		}
	}
	ds.planned = map[string][]int{}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		mm := want[name]
		if m := ds.models[name]; m != nil && !m.stub {
			m.desc = mm.Name
			ds.reconcileFields(m, mm)
			continue
		}
		m := &model{name: name, desc: mm.Name, recs: map[int]rec{}, inverse: map[string]map[int]map[int]struct{}{}, fields: map[string]*field{}}
		for _, fname := range slices.Sorted(maps.Keys(mm.Fields)) {
			m.fields[fname] = fieldFromMeta(mm.Fields[fname])
			m.fieldOrder = append(m.fieldOrder, fname)
		}
		_, m.hasActive = m.fields["active"]
		m.order = validOrder(m, orders[name])
		lz := &lazyGen{names: map[int]string{}}
		if old := ds.models[name]; old != nil { // a stub: keep the ids the demo data points at
			for id, r := range old.recs {
				// "model,id" is the stub's stand-in for a name the demo
				// data never showed: the generated record gets a real one.
				if dn := strVal(r["display_name"]); dn != fmt.Sprintf("%s,%d", name, id) {
					lz.names[id] = dn
				}
				lz.ids = append(lz.ids, id)
			}
		}
		if !mm.Transient && len(mm.Fields) > 0 {
			for id := 1; id <= perModel; id++ {
				lz.ids = append(lz.ids, id)
			}
		}
		sort.Ints(lz.ids)
		lz.ids = slices.Compact(lz.ids)
		if len(lz.ids) > 0 {
			m.maxID = lz.ids[len(lz.ids)-1]
		}
		m.lazy = lz
		ds.models[name] = m
	}
	// Relations to models outside the snapshot point at stubs.
	for _, m := range ds.models {
		for _, f := range m.fields {
			if f.relation != "" && ds.models[f.relation] == nil {
				ds.models[f.relation] = newStub(f.relation, irModel{})
			}
		}
	}
	for name, m := range ds.models {
		if m.lazy != nil {
			ds.planned[name] = m.lazy.ids
		} else {
			ds.planned[name] = m.sortedIDs()
		}
	}
	ds.rebuildIrModel(meta, want)
	for _, name := range slices.Sorted(maps.Keys(ds.models)) {
		m := ds.models[name]
		for _, fname := range slices.Sorted(maps.Keys(m.fields)) {
			ds.wireInverse(m, fname)
		}
	}
}

// reconcileFields makes a demo model's fields those of the snapshot: a
// captured field whose attributes match is kept as captured (its order of
// attributes, its domain and related path), any other is rebuilt from the
// snapshot.
func (ds *dataset) reconcileFields(m *model, mm *odoo.Model) {
	for name := range m.fields {
		if _, ok := mm.Fields[name]; !ok {
			m.removeField(name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(mm.Fields)) {
		mf := mm.Fields[name]
		cf := m.fields[name]
		switch {
		case cf == nil:
			m.fields[name] = fieldFromMeta(mf)
			m.fieldOrder = append(m.fieldOrder, name)
		case sameField(metaField(name, cf.attrs), mf):
		case cf.typ == mf.Type && cf.relation == mf.Relation:
			nf := fieldFromMeta(mf)
			nf.related, nf.domain, nf.activeTest = cf.related, cf.domain, cf.activeTest
			m.fields[name] = nf
		default:
			m.fields[name] = fieldFromMeta(mf)
		}
	}
	_, m.hasActive = m.fields["active"]
	m.order = validOrder(m, m.order)
}

func sameField(a, b odoo.Field) bool {
	if b.Aggregator == "" { // a snapshot read without the attribute
		a.Aggregator = ""
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// validOrder returns order if every field it names exists, else "id".
func validOrder(m *model, order string) string {
	if strings.TrimSpace(order) == "" {
		return "id"
	}
	for _, part := range strings.Split(order, ",") {
		w := strings.Fields(part)
		if len(w) == 0 || m.fields[strings.SplitN(w[0], ".", 2)[0]] == nil {
			return "id"
		}
	}
	return order
}

// metaField reads fields_get attributes as odoo.Session.FieldsGet does.
func metaField(name string, attrs ostruct) odoo.Field {
	rec := make(odoo.Record, len(attrs))
	for _, m := range attrs {
		rec[m.Name] = m.Value
	}
	return odoo.FieldFromAttrs(name, rec)
}

// fieldFromMeta builds a served field from a snapshot's: its fields_get
// attributes are exactly the snapshot's (booleans always present, as Odoo
// sends them), in sorted order.
func fieldFromMeta(mf odoo.Field) *field {
	attrs := ostruct{{"name", mf.Name}, {"readonly", mf.Readonly}, {"required", mf.Required}, {"searchable", mf.Searchable},
		{"sortable", mf.Sortable}, {"store", mf.Store}, {"string", mf.String}, {"type", mf.Type}}
	if mf.Help != "" {
		attrs = append(attrs, member{"help", mf.Help})
	}
	if mf.Groups != "" {
		attrs = append(attrs, member{"groups", mf.Groups})
	}
	if mf.Aggregator != "" {
		attrs = append(attrs, member{"aggregator", mf.Aggregator})
	}
	if mf.Relation != "" {
		attrs = append(attrs, member{"relation", mf.Relation})
	}
	if mf.RelationField != "" {
		attrs = append(attrs, member{"relation_field", mf.RelationField})
	}
	if mf.Type == "selection" || len(mf.Selection) > 0 {
		sel := make([]any, 0, len(mf.Selection))
		for _, s := range mf.Selection {
			sel = append(sel, []any{s.Value, s.Label})
		}
		attrs = append(attrs, member{"selection", sel})
	}
	sort.SliceStable(attrs, func(i, j int) bool { return attrs[i].Name < attrs[j].Name })
	return &field{name: mf.Name, typ: mf.Type, relation: mf.Relation, relationField: mf.RelationField,
		store: mf.Store, required: mf.Required, groups: mf.Groups, attrs: attrs}
}

// wireInverse marks a one2many of m as computed from its inverse many2one
// when the comodel has that stored many2one, and makes sure the comodel
// indexes it (now for records it has, when generated for lazy ones).
func (ds *dataset) wireInverse(m *model, fname string) {
	f := m.fields[fname]
	if f == nil || f.typ != "one2many" {
		return
	}
	co := ds.models[f.relation]
	ok := f.relationField != "" && co != nil && !co.stub
	if ok {
		inv := co.fields[f.relationField]
		ok = inv != nil && inv.typ == "many2one" && inv.store
	}
	if ok != f.inverse { // fields are shared with the base dataset: copy
		nf := *f
		nf.inverse = ok
		m.fields[fname] = &nf
	}
	if !ok || co.inverse[f.relationField] != nil {
		return
	}
	idx := map[int]map[int]struct{}{}
	for id, r := range co.recs {
		if t, _ := r[f.relationField].(int); t != 0 {
			if idx[t] == nil {
				idx[t] = map[int]struct{}{}
			}
			idx[t][id] = struct{}{}
		}
	}
	co.inverse[f.relationField] = idx
}

// rebuildIrModel makes ir.model list the snapshot's models: captured rows
// keep their ids, the others get new ones after them.
func (ds *dataset) rebuildIrModel(meta *odoo.Metadata, want map[string]*odoo.Model) {
	irm := ds.models["ir.model"]
	if irm == nil {
		return
	}
	byModel := map[string]int{}
	for id, r := range irm.recs {
		byModel[strVal(r["model"])] = id
	}
	recs := map[int]rec{}
	for _, mm := range meta.Models {
		if want[mm.Model] == nil {
			continue
		}
		if id, ok := byModel[mm.Model]; ok {
			r := maps.Clone(irm.recs[id])
			r["name"], r["display_name"], r["transient"] = mm.Name, mm.Name, mm.Transient
			recs[id] = r
			continue
		}
		irm.maxID++
		id := irm.maxID
		recs[id] = rec{"id": id, "model": mm.Model, "name": mm.Name, "display_name": mm.Name, "transient": mm.Transient,
			"state": "base", "order": ds.models[mm.Model].order}
	}
	irm.recs = recs
	// Access rules of models that went away go too.
	if acc := ds.models["ir.model.access"]; acc != nil {
		for id, r := range acc.recs {
			if mid, _ := r["model_id"].(int); recs[mid] == nil {
				delete(acc.recs, id)
			}
		}
	}
}

// generate makes the records of a lazily generated model.
func (ds *dataset) generate(m *model) {
	names := slices.Sorted(maps.Keys(m.fields))
	for _, id := range m.lazy.ids {
		r := rec{"id": id}
		for _, fname := range names {
			if v := ds.genValue(m, m.fields[fname], id); v != nil {
				r[fname] = v
			}
		}
		if s := m.lazy.names[id]; s != "" {
			r["display_name"] = s
			if f := m.fields["name"]; f != nil && (f.typ == "char" || f.typ == "text") {
				r["name"] = s
			}
		} else {
			r["display_name"] = computeDisplayName(nil, m, r)
			if r["display_name"] == "" {
				r["display_name"] = fmt.Sprintf("%s %d", m.desc, id)
			}
		}
		m.recs[id] = r
	}
	for fname, idx := range m.inverse {
		for id, r := range m.recs {
			if t, _ := r[fname].(int); t != 0 {
				if idx[t] == nil {
					idx[t] = map[int]struct{}{}
				}
				idx[t][id] = struct{}{}
			}
		}
	}
	m.computeModes()
}

func genHash(model, field string, id int) uint64 {
	h := fnv.New64a()
	h.Write([]byte(model))
	h.Write([]byte{0})
	h.Write([]byte(field))
	h.Write([]byte{0})
	h.Write([]byte(strconv.Itoa(id)))
	return h.Sum64()
}

var genEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// genValue is the generated internal value of field f of record id (nil:
// empty). Values depend only on the model, field and id.
func (ds *dataset) genValue(m *model, f *field, id int) any {
	h := genHash(m.name, f.name, id)
	label := f.name
	if s, ok := f.attrs.get("string"); ok && strVal(s) != "" {
		label = strVal(s)
	}
	switch f.name {
	case "id", "display_name":
		return nil
	case "active":
		if f.typ == "boolean" {
			return true
		}
	case "name":
		if f.typ == "char" || f.typ == "text" {
			return fmt.Sprintf("%s %d", m.desc, id)
		}
	case "sequence":
		if f.typ == "integer" {
			return id * 10
		}
	}
	switch f.typ {
	case "char":
		if strings.Contains(f.name, "email") {
			return fmt.Sprintf("%s.%d@example.com", strings.ReplaceAll(m.name, ".", "-"), id)
		}
		return fmt.Sprintf("%s %d", label, id)
	case "text":
		return fmt.Sprintf("%s of record %d.", label, id)
	case "html":
		return fmt.Sprintf("<p>%s of record %d</p>", label, id)
	case "integer":
		return int(h % 100)
	case "float", "monetary":
		return float64(h%100000) / 100
	case "boolean":
		return h%2 == 0
	case "date":
		return genEpoch.AddDate(0, 0, int(h%365)).Format("2006-01-02")
	case "datetime":
		return genEpoch.Add(time.Duration(h%(365*86400)) * time.Second).Format("2006-01-02 15:04:05")
	case "selection":
		v, ok := f.attrs.get("selection")
		sel, _ := v.([]any)
		if !ok || len(sel) == 0 {
			return nil
		}
		pair, _ := sel[h%uint64(len(sel))].([]any)
		if len(pair) != 2 {
			return nil
		}
		s, ok := pair[0].(string)
		if !ok {
			return nil
		}
		return s
	case "many2one":
		ids := ds.planned[f.relation]
		if f.relation == m.name { // a hierarchy: point at an earlier record, no cycles
			ids = ids[:sort.SearchInts(ids, id)]
		}
		if len(ids) == 0 || (!f.required && h%5 == 0) {
			return nil
		}
		return ids[(h/5)%uint64(len(ids))]
	case "many2many":
		ids := ds.planned[f.relation]
		if len(ids) == 0 {
			return []int{}
		}
		n := int(h % 3)
		set := map[int]bool{}
		for i := range n {
			set[ids[(h>>(8*(i+1)))%uint64(len(ids))]] = true
		}
		return slices.Sorted(maps.Keys(set))
	}
	return nil
}

// Generated returns how many models have had their records generated so
// far (see WithMetadata).
func (s *Server) Generated() int {
	n := 0
	for _, m := range s.ds.models {
		if m.lazy != nil && m.lazy.done.Load() {
			n++
		}
	}
	return n
}

// AddField adds a custom field to a model at run time, as a user does in
// Odoo's settings or Studio: fields_get lists it from now on and reads
// return its values. The name must start with "x_" and be new. values are
// the records' values by id (internal forms: string, int, float64, bool,
// a many2one's id, an x2many's []int); nil generates them as WithMetadata
// does. A one2many needs its relation_field on the comodel.
func (s *Server) AddField(modelName string, f odoo.Field, values map[int]any) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.ds.model(modelName)
	if m == nil || m.stub {
		return fmt.Errorf("odootest: AddField: unknown model %q", modelName)
	}
	if !strings.HasPrefix(f.Name, "x_") {
		return fmt.Errorf("odootest: AddField: custom field %q: the name must start with x_", f.Name)
	}
	if m.fields[f.Name] != nil {
		return fmt.Errorf("odootest: AddField: %s already has a field %q", modelName, f.Name)
	}
	if f.Type == "" {
		return fmt.Errorf("odootest: AddField: field %q has no type", f.Name)
	}
	if f.Relation != "" && s.ds.model(f.Relation) == nil {
		return fmt.Errorf("odootest: AddField: field %q: unknown comodel %q", f.Name, f.Relation)
	}
	if f.String == "" {
		f.String = f.Name
	}
	if f.Type != "one2many" {
		f.Store = true
	}
	f.Searchable, f.Sortable = f.Store, f.Store && !f.IsX2Many()
	nf := fieldFromMeta(f)
	m.fields[f.Name] = nf
	m.fieldOrder = append(m.fieldOrder, f.Name)
	s.ds.wireInverse(m, f.Name)
	nf = m.fields[f.Name]
	if nf.inverse {
		return nil
	}
	for id, r := range m.recs {
		var v any
		if values == nil {
			v = s.ds.genValue(m, nf, id)
		} else if x, ok := values[id]; ok {
			v = x
			if n, ok := x.(int); ok && (nf.typ == "float" || nf.typ == "monetary") {
				v = float64(n)
			}
		}
		if v == nil {
			continue
		}
		m.indexRemove(id, r)
		nr := maps.Clone(r)
		nr[f.Name] = v
		m.recs[id] = nr
		m.indexAdd(id, nr)
	}
	return nil
}

// RemoveField removes a field from a model at run time (an uninstalled
// module, a deleted custom field). It reports whether the field existed.
func (s *Server) RemoveField(modelName, fieldName string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.ds.model(modelName)
	if m == nil || m.fields[fieldName] == nil {
		return false
	}
	m.removeField(fieldName)
	return true
}
