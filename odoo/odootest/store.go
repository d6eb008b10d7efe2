package odootest

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed testdata/demo testdata/fields_get testdata/ir_model.json testdata/field_order.json testdata/translations.json
var dataFS embed.FS

// field is one field of a model, from the captured fields_get.
type field struct {
	name          string
	typ           string
	relation      string
	relationField string
	related       []string // path of a related field, e.g. partner_id.name
	store         bool
	required      bool
	translate     bool // one value per language (see i18n.go)
	groups        string
	activeTest    int   // context active_test of an x2many: 0 unset, 1 true, -1 false
	domain        []any // static list domain of an x2many, if any
	attrs         ostruct
	// inverse is set on a one2many whose value is computed from the
	// many2one relationField of the comodel.
	inverse bool
}

func (f *field) x2many() bool { return f.typ == "one2many" || f.typ == "many2many" }

// rec is one record: field name -> internal value. Internal values: many2one
// int (0 = empty), x2many []int, integer int, float/monetary float64,
// boolean bool, everything else string or nil (empty), json any. A record
// map is never modified in place once shared: writers copy it first.
type rec map[string]any

type model struct {
	name       string
	desc       string
	order      string
	stub       bool
	fields     map[string]*field
	fieldOrder []string
	recs       map[int]rec
	maxID      int
	hasActive  bool
	// inverse indexes: many2one field name -> target id -> source ids.
	inverse map[string]map[int]map[int]struct{}
	// defaults for required fields, computed from the data (most common value).
	modes map[string]any
	// lazy is set on a model whose records WithMetadata generates on first
	// use (see dataset.model).
	lazy *lazyGen
}

func (m *model) field(name string) *field { return m.fields[name] }

// dataset is the parsed embedded data, shared read-only by all servers.
type dataset struct {
	models map[string]*model
	// planned holds, under WithMetadata, the ids of every model's records
	// as they are (or will be, for lazy models) when the server starts:
	// what generated many2one and many2many values point at.
	planned map[string][]int
}

var (
	baseOnce sync.Once
	baseData *dataset
	baseErr  error
)

func loadBase() (*dataset, error) {
	baseOnce.Do(func() { baseData, baseErr = parseDataset() })
	return baseData, baseErr
}

type irModel struct {
	Name  string `json:"name"`
	Order string `json:"order"`
}

func decodeJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

// jsonToWire converts a JSON-decoded value (UseNumber) to an XML-RPC value.
func jsonToWire(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil && !strings.ContainsAny(string(x), ".eE") {
			return int(i)
		}
		f, _ := x.Float64()
		return f
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonToWire(e)
		}
		return out
	case map[string]any:
		keys := slices.Sorted(maps.Keys(x))
		out := make(ostruct, 0, len(keys))
		for _, k := range keys {
			out = append(out, member{k, jsonToWire(x[k])})
		}
		return out
	}
	return v
}

// attrOrderNoName is the attribute order Odoo uses for the synthetic
// res.users group fields (in_group_N, sel_groups_N_M).
var attrOrderNoName = []string{"type", "string", "selection", "help", "exportable", "selectable"}

func parseField(name string, raw map[string]any) *field {
	f := &field{name: name}
	keys := slices.Sorted(maps.Keys(raw))
	if _, ok := raw["name"]; !ok {
		keys = keys[:0]
		for _, k := range attrOrderNoName {
			if _, ok := raw[k]; ok {
				keys = append(keys, k)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(raw)) {
			if !slices.Contains(attrOrderNoName, k) {
				keys = append(keys, k)
			}
		}
	}
	for _, k := range keys {
		f.attrs = append(f.attrs, member{k, jsonToWire(raw[k])})
	}
	f.typ, _ = raw["type"].(string)
	f.relation, _ = raw["relation"].(string)
	f.relationField, _ = raw["relation_field"].(string)
	if r, ok := raw["related"].(string); ok && r != "" {
		f.related = strings.Split(r, ".")
	}
	f.store, _ = raw["store"].(bool)
	f.required, _ = raw["required"].(bool)
	f.translate, _ = raw["translate"].(bool)
	f.groups, _ = raw["groups"].(string)
	if ctx, ok := raw["context"].(map[string]any); ok {
		if at, ok := ctx["active_test"].(bool); ok {
			if at {
				f.activeTest = 1
			} else {
				f.activeTest = -1
			}
		}
	}
	if dom, ok := raw["domain"].([]any); ok && len(dom) > 0 {
		f.domain = jsonToWire(dom).([]any)
	}
	return f
}

func parseDataset() (*dataset, error) {
	ds := &dataset{models: map[string]*model{}}
	b, err := dataFS.ReadFile("testdata/ir_model.json")
	if err != nil {
		return nil, err
	}
	var irFile struct {
		Fields     map[string]string `json:"fields"`
		FieldOrder []string          `json:"field_order"`
		Records    []map[string]any  `json:"records"`
	}
	if err := decodeJSON(b, &irFile); err != nil {
		return nil, fmt.Errorf("ir_model.json: %w", err)
	}
	irm := map[string]irModel{}
	for _, r := range irFile.Records {
		name, _ := r["model"].(string)
		desc, _ := r["name"].(string)
		order, _ := r["order"].(string)
		irm[name] = irModel{Name: desc, Order: order}
	}
	var orders map[string][]string
	b, err = dataFS.ReadFile("testdata/field_order.json")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &orders); err != nil {
		return nil, fmt.Errorf("field_order.json: %w", err)
	}
	entries, err := dataFS.ReadDir("testdata/fields_get")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".json")
		b, err := dataFS.ReadFile(path.Join("testdata/fields_get", e.Name()))
		if err != nil {
			return nil, err
		}
		var raw map[string]map[string]any
		if err := decodeJSON(b, &raw); err != nil {
			return nil, fmt.Errorf("fields_get %s: %w", name, err)
		}
		m := &model{name: name, fields: map[string]*field{}, recs: map[int]rec{}, inverse: map[string]map[int]map[int]struct{}{}}
		if info, ok := irm[name]; ok {
			m.desc, m.order = info.Name, info.Order
		}
		for fname, attrs := range raw {
			m.fields[fname] = parseField(fname, attrs)
		}
		order := orders[name]
		seen := map[string]bool{}
		for _, f := range order {
			if m.fields[f] != nil {
				m.fieldOrder = append(m.fieldOrder, f)
				seen[f] = true
			}
		}
		for _, f := range slices.Sorted(maps.Keys(m.fields)) {
			if !seen[f] {
				m.fieldOrder = append(m.fieldOrder, f)
			}
		}
		_, m.hasActive = m.fields["active"]
		ds.models[name] = m
	}
	// Records.
	dn := map[string]map[int]string{} // display names seen in many2one pairs
	seenIDs := map[string]map[int]bool{}
	addDN := func(model string, id int, name string) {
		if dn[model] == nil {
			dn[model] = map[int]string{}
		}
		dn[model][id] = name
	}
	addID := func(model string, id int) {
		if seenIDs[model] == nil {
			seenIDs[model] = map[int]bool{}
		}
		seenIDs[model][id] = true
	}
	for name, m := range ds.models {
		b, err := dataFS.ReadFile("testdata/demo/" + name + ".json")
		if err != nil {
			return nil, err
		}
		var file struct {
			Records []map[string]any `json:"records"`
		}
		if err := decodeJSON(b, &file); err != nil {
			return nil, fmt.Errorf("demo %s: %w", name, err)
		}
		for _, raw := range file.Records {
			r := rec{}
			for k, v := range raw {
				if k == "id" {
					id := int(jsonToWire(v).(int))
					r["id"] = id
					continue
				}
				f := m.fields[k]
				if f == nil {
					continue
				}
				iv := internalFromJSON(f, v)
				if iv == nil {
					continue
				}
				r[k] = iv
				switch f.typ {
				case "many2one":
					if pair, ok := v.([]any); ok && len(pair) == 2 {
						s, _ := pair[1].(string)
						addDN(f.relation, iv.(int), s)
					}
				case "one2many", "many2many":
					for _, id := range iv.([]int) {
						addID(f.relation, id)
					}
				}
			}
			id := r["id"].(int)
			m.recs[id] = r
			m.maxID = max(m.maxID, id)
		}
	}
	// Display names of full models.
	for name, m := range ds.models {
		for id, r := range m.recs {
			if s, ok := dn[name][id]; ok {
				r["display_name"] = s
			} else {
				r["display_name"] = ds.computeDisplayName(m, r)
			}
		}
	}
	if err := ds.loadTranslations(); err != nil {
		return nil, err
	}
	ds.models["res.lang"] = newLangModel(irm["res.lang"])
	ds.models["ir.config_parameter"] = newConfigParameter(irm["ir.config_parameter"])
	ds.models["ir.model"] = newIrModel(irm["ir.model"], irFile.Fields, irFile.FieldOrder, irFile.Records)
	// Stub models for relations outside the dataset.
	for _, m := range ds.models {
		for _, f := range m.fields {
			if f.relation == "" || ds.models[f.relation] != nil {
				continue
			}
			ds.models[f.relation] = newStub(f.relation, irm[f.relation])
		}
	}
	for name, ids := range dn {
		st := ds.models[name]
		if st == nil || !st.stub {
			continue
		}
		for id, s := range ids {
			st.recs[id] = rec{"id": id, "display_name": s}
			st.maxID = max(st.maxID, id)
		}
	}
	for name, ids := range seenIDs {
		st := ds.models[name]
		if st == nil || !st.stub {
			continue
		}
		for id := range ids {
			if st.recs[id] == nil {
				st.recs[id] = rec{"id": id, "display_name": fmt.Sprintf("%s,%d", name, id)}
				st.maxID = max(st.maxID, id)
			}
		}
	}
	ds.models["ir.model.access"] = newModelAccess(irm["ir.model.access"], ds)
	// Sequences that had moved past the last record when the data was
	// captured (records created and deleted since).
	for name, seq := range map[string]int{"res.partner": 48} {
		if m := ds.models[name]; m != nil && m.maxID < seq {
			m.maxID = seq
		}
	}
	for _, m := range ds.models {
		ds.setupInverse(m)
		m.computeModes()
	}
	return ds, nil
}

func newStub(name string, info irModel) *model {
	m := &model{name: name, desc: info.Name, order: "id", stub: true, recs: map[int]rec{}, inverse: map[string]map[int]map[int]struct{}{}}
	if m.desc == "" {
		m.desc = name
	}
	m.fields = map[string]*field{
		"id": {name: "id", typ: "integer", store: true, attrs: ostruct{
			{"readonly", true}, {"required", false}, {"searchable", true}, {"sortable", true}, {"store", true}, {"string", "ID"}, {"type", "integer"},
		}},
		"display_name": {name: "display_name", typ: "char", attrs: ostruct{
			{"readonly", true}, {"required", false}, {"searchable", true}, {"sortable", false}, {"store", false}, {"string", "Display Name"}, {"type", "char"},
		}},
	}
	m.fieldOrder = []string{"id", "display_name"}
	return m
}

func newConfigParameter(info irModel) *model {
	m := &model{name: "ir.config_parameter", desc: info.Name, order: "key", recs: map[int]rec{}, inverse: map[string]map[int]map[int]struct{}{}}
	if m.desc == "" {
		m.desc = "System Parameter"
	}
	attrs := func(typ, str string, required bool) ostruct {
		return ostruct{{"readonly", false}, {"required", required}, {"searchable", true}, {"sortable", true}, {"store", true}, {"string", str}, {"type", typ}}
	}
	m.fields = map[string]*field{
		"id":           {name: "id", typ: "integer", store: true, attrs: attrs("integer", "ID", false)},
		"key":          {name: "key", typ: "char", store: true, required: true, attrs: attrs("char", "Key", true)},
		"value":        {name: "value", typ: "text", store: true, required: true, attrs: attrs("text", "Value", true)},
		"display_name": {name: "display_name", typ: "char", attrs: attrs("char", "Display Name", false)},
	}
	m.fieldOrder = []string{"key", "value", "id", "display_name"}
	for i, kv := range [][2]string{
		{"database.create_date", "2026-11-21 20:24:05"},
		{"database.uuid", "6f0b5c0e-0d1e-4c1a-9a77-2f4c3f7a9b10"},
		{"web.base.url", "http://localhost:8069"},
	} {
		id := i + 1
		m.recs[id] = rec{"id": id, "key": kv[0], "value": kv[1], "display_name": kv[0]}
		m.maxID = id
	}
	return m
}

// Group ids of the captured Odoo 18 demo database (res.users groups_id).
const (
	groupUser       = 1 // base.group_user, Internal User: demo
	groupERPManager = 2 // base.group_erp_manager, Administration / Access Rights: admin
	groupSystem     = 4 // base.group_system, Administration / Settings: admin
)

// newModelAccess serves ir.model.access: the model access rules that
// check_access_rights answers from (canAccess), as Odoo stores them. Per
// model of the dataset (stubs, ir.model and ir.config_parameter included):
// Settings (admin) may do everything, Internal User (demo) what demoAccess
// says (a group-less row for the models base lets everybody read), no row
// when demoAccess grants nothing; ir.model.access itself is
// Access Rights' only, as in base's ir.model.access.csv. Only admin may
// read these rows (demoAccess["ir.model.access"] is empty).
func newModelAccess(info irModel, ds *dataset) *model {
	// Read for every user, with no group (as in base's ir.model.access.csv).
	groupless := map[string]bool{"res.users": true, "res.company": true, "res.country": true, "res.country.state": true, "res.currency": true, "res.lang": true}
	m := &model{name: "ir.model.access", desc: info.Name, order: info.Order, hasActive: true, recs: map[int]rec{}, inverse: map[string]map[int]map[int]struct{}{}}
	if m.desc == "" {
		m.desc = "Model Access"
	}
	if m.order == "" {
		m.order = "model_id,group_id,name,id"
	}
	attrs := func(typ, str, relation string, required bool) ostruct {
		a := ostruct{{"readonly", typ == "integer"}}
		if relation != "" {
			a = append(a, member{"relation", relation})
		}
		return append(a, ostruct{{"required", required}, {"searchable", true}, {"sortable", true}, {"store", true}, {"string", str}, {"type", typ}}...)
	}
	m.fields = map[string]*field{
		"id":           {name: "id", typ: "integer", store: true, attrs: attrs("integer", "ID", "", false)},
		"name":         {name: "name", typ: "char", store: true, required: true, attrs: attrs("char", "Name", "", true)},
		"active":       {name: "active", typ: "boolean", store: true, attrs: attrs("boolean", "Active", "", false)},
		"model_id":     {name: "model_id", typ: "many2one", relation: "ir.model", store: true, required: true, attrs: attrs("many2one", "Model", "ir.model", true)},
		"group_id":     {name: "group_id", typ: "many2one", relation: "res.groups", store: true, attrs: attrs("many2one", "Group", "res.groups", false)},
		"perm_read":    {name: "perm_read", typ: "boolean", store: true, attrs: attrs("boolean", "Read Access", "", false)},
		"perm_write":   {name: "perm_write", typ: "boolean", store: true, attrs: attrs("boolean", "Write Access", "", false)},
		"perm_create":  {name: "perm_create", typ: "boolean", store: true, attrs: attrs("boolean", "Create Access", "", false)},
		"perm_unlink":  {name: "perm_unlink", typ: "boolean", store: true, attrs: attrs("boolean", "Delete Access", "", false)},
		"display_name": {name: "display_name", typ: "char", attrs: attrs("char", "Display Name", "", false)},
	}
	m.fieldOrder = []string{"name", "active", "model_id", "group_id", "perm_read", "perm_write", "perm_create", "perm_unlink", "id", "display_name"}
	irm := ds.models["ir.model"]
	var names []string
	for _, r := range irm.recs {
		if name, _ := r["model"].(string); name == "ir.model.access" || ds.models[name] != nil {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	modelID := map[string]int{}
	for id, r := range irm.recs {
		if name, _ := r["model"].(string); name != "" {
			modelID[name] = id
		}
	}
	add := func(name string, group int, perms string) {
		id := m.maxID + 1
		m.maxID = id
		n := "access_" + strings.ReplaceAll(name, ".", "_") + "_" + strconv.Itoa(group)
		m.recs[id] = rec{"id": id, "name": n, "display_name": n, "active": true, "model_id": modelID[name], "group_id": group,
			"perm_read": strings.Contains(perms, "r"), "perm_write": strings.Contains(perms, "w"),
			"perm_create": strings.Contains(perms, "c"), "perm_unlink": strings.Contains(perms, "u")}
	}
	for _, name := range names {
		if name == "ir.model.access" {
			add(name, groupERPManager, "rwcu")
			continue
		}
		add(name, groupSystem, "rwcu")
		perms, ok := demoAccess[name]
		if !ok {
			perms = "r"
		}
		switch {
		case perms == "":
		case groupless[name]:
			add(name, 0, perms)
		default:
			add(name, groupUser, perms)
		}
	}
	return m
}

var irModelRelations = map[string]string{
	"field_id": "ir.model.fields", "inherited_model_ids": "ir.model", "access_ids": "ir.model.access",
	"rule_ids": "ir.rule", "view_ids": "ir.ui.view", "create_uid": "res.users", "write_uid": "res.users",
}

// newIrModel serves ir.model from the captured ir.model search_read.
func newIrModel(info irModel, types map[string]string, order []string, records []map[string]any) *model {
	m := &model{name: "ir.model", desc: info.Name, order: info.Order, recs: map[int]rec{}, inverse: map[string]map[int]map[int]struct{}{}}
	if m.order == "" {
		m.order = "model"
	}
	m.fields = map[string]*field{}
	for _, name := range order {
		typ := types[name]
		store := name != "count" && name != "display_name"
		label := strings.ReplaceAll(name, "_", " ")
		label = strings.ToUpper(label[:1]) + label[1:]
		f := &field{name: name, typ: typ, store: store, relation: irModelRelations[name], required: name == "model" || name == "name"}
		attrs := ostruct{{"name", name}, {"readonly", name == "id" || name == "count"}}
		if f.relation != "" {
			attrs = append(attrs, member{"relation", f.relation})
		}
		attrs = append(attrs, ostruct{{"required", f.required},
			{"searchable", true}, {"sortable", store}, {"store", store}, {"string", label}, {"type", typ}}...)
		f.attrs = attrs
		m.fields[name] = f
		m.fieldOrder = append(m.fieldOrder, name)
	}
	for _, raw := range records {
		r := rec{}
		for k, v := range raw {
			if k == "id" {
				r["id"] = jsonToWire(v).(int)
				continue
			}
			if f := m.fields[k]; f != nil {
				if iv := internalFromJSON(f, v); iv != nil {
					r[k] = iv
				}
			}
		}
		r["display_name"] = r["name"]
		id := r["id"].(int)
		m.recs[id] = r
		m.maxID = max(m.maxID, id)
	}
	return m
}

// internalFromJSON converts a value of the captured data to its internal form.
func internalFromJSON(f *field, v any) any {
	if b, ok := v.(bool); ok && !b && f.typ != "boolean" {
		switch f.typ {
		case "integer", "float", "monetary":
			return nil
		}
		return nil
	}
	switch f.typ {
	case "many2one":
		if pair, ok := v.([]any); ok && len(pair) >= 1 {
			if id, ok := jsonToWire(pair[0]).(int); ok {
				return id
			}
		}
		if n, ok := v.(json.Number); ok {
			i, _ := n.Int64()
			return int(i)
		}
		return nil
	case "one2many", "many2many":
		arr, _ := v.([]any)
		ids := make([]int, 0, len(arr))
		for _, e := range arr {
			if id, ok := jsonToWire(e).(int); ok {
				ids = append(ids, id)
			}
		}
		return ids
	case "integer", "many2one_reference":
		switch x := jsonToWire(v).(type) {
		case int:
			return x
		case float64:
			return int(x)
		}
		return nil
	case "float", "monetary":
		switch x := jsonToWire(v).(type) {
		case int:
			return float64(x)
		case float64:
			return x
		}
		return nil
	case "boolean":
		b, _ := v.(bool)
		return b
	}
	return jsonToWire(v)
}

// computeDisplayName is the display name of a record when no many2one pair
// named it: a rough version of each model's _compute_display_name.
func (ds *dataset) computeDisplayName(m *model, r rec) string {
	return computeDisplayName(ds.models, m, r)
}

func strVal(v any) string {
	s, _ := v.(string)
	return s
}

func computeDisplayName(models map[string]*model, m *model, r rec) string {
	name := strVal(r["name"])
	id, _ := r["id"].(int)
	switch m.name {
	case "res.partner":
		if s := strVal(r["complete_name"]); s != "" {
			return s
		}
		return name
	case "res.users":
		if p := models["res.partner"]; p != nil {
			if pid, _ := r["partner_id"].(int); pid != 0 && p.recs[pid] != nil {
				return strVal(p.recs[pid]["name"])
			}
		}
	case "product.product":
		if t := models["product.template"]; t != nil && name == "" {
			if tid, _ := r["product_tmpl_id"].(int); tid != 0 && t.recs[tid] != nil {
				name = strVal(t.recs[tid]["name"])
			}
		}
		if code := strVal(r["default_code"]); code != "" {
			return "[" + code + "] " + name
		}
		return name
	case "res.country.state":
		if c := models["res.country"]; c != nil {
			if cid, _ := r["country_id"].(int); cid != 0 && c.recs[cid] != nil {
				return fmt.Sprintf("%s (%s)", name, strVal(c.recs[cid]["code"]))
			}
		}
	case "product.category", "res.partner.category":
		if s := strVal(r["complete_name"]); s != "" {
			return s
		}
		if pid, _ := r["parent_id"].(int); pid != 0 && m.recs[pid] != nil {
			// The parent's own display name may not be computed yet.
			pn := strVal(m.recs[pid]["display_name"])
			if pn == "" {
				pn = computeDisplayName(models, m, m.recs[pid])
			}
			return pn + " / " + name
		}
	case "ir.config_parameter":
		return strVal(r["key"])
	}
	if name != "" {
		return name
	}
	if _, ok := m.fields["name"]; !ok {
		return fmt.Sprintf("%s,%d", m.name, id)
	}
	return ""
}

// setupInverse marks the one2many fields computed from their inverse
// many2one and builds the inverse indexes.
func (ds *dataset) setupInverse(m *model) {
	for _, f := range m.fields {
		if f.typ != "one2many" || f.relationField == "" {
			continue
		}
		co := ds.models[f.relation]
		if co == nil || co.stub {
			continue
		}
		inv := co.fields[f.relationField]
		if inv == nil || inv.typ != "many2one" || !inv.store {
			continue
		}
		f.inverse = true
		if co.inverse[f.relationField] == nil {
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
	}
}

// computeModes records, for every required stored field, the most common
// value in the data: the stand-in for Odoo's defaults on create.
func (m *model) computeModes() {
	m.modes = map[string]any{}
	for name, f := range m.fields {
		if !f.required || !f.store || f.x2many() {
			continue
		}
		counts := map[string]int{}
		vals := map[string]any{}
		for _, r := range m.recs {
			v, ok := r[name]
			if !ok || v == nil {
				continue
			}
			k := fmt.Sprint(v)
			counts[k]++
			vals[k] = v
		}
		best, bestN := "", 0
		for k, n := range counts {
			if n > bestN || (n == bestN && k < best) {
				best, bestN = k, n
			}
		}
		if bestN > 0 {
			m.modes[name] = vals[best]
		}
	}
}

// clone copies the dataset for one server. Record maps are shared; writers
// copy a record before changing it.
func (ds *dataset) clone(keep func(string) bool) *dataset {
	out := &dataset{models: make(map[string]*model, len(ds.models))}
	for name, m := range ds.models {
		if !m.stub && keep != nil && !keep(name) {
			continue
		}
		c := *m
		c.recs = maps.Clone(m.recs)
		c.fields = maps.Clone(m.fields)
		c.fieldOrder = slices.Clone(m.fieldOrder)
		c.inverse = make(map[string]map[int]map[int]struct{}, len(m.inverse))
		for f, idx := range m.inverse {
			ci := make(map[int]map[int]struct{}, len(idx))
			for t, set := range idx {
				ci[t] = maps.Clone(set)
			}
			c.inverse[f] = ci
		}
		out.models[name] = &c
	}
	// Drop fields pointing at removed models.
	for _, m := range out.models {
		for name, f := range m.fields {
			if f.relation != "" && out.models[f.relation] == nil {
				m.removeField(name)
			}
		}
	}
	return out
}

func (m *model) removeField(name string) {
	delete(m.fields, name)
	m.fieldOrder = slices.DeleteFunc(m.fieldOrder, func(s string) bool { return s == name })
}

// sortedIDs returns the ids of all records, ascending.
func (m *model) sortedIDs() []int {
	ids := make([]int, 0, len(m.recs))
	for id := range m.recs {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	return ids
}

// indexAdd and indexRemove maintain the inverse indexes for record id.
func (m *model) indexAdd(id int, r rec) {
	for fname, idx := range m.inverse {
		if t, _ := r[fname].(int); t != 0 {
			if idx[t] == nil {
				idx[t] = map[int]struct{}{}
			}
			idx[t][id] = struct{}{}
		}
	}
}

func (m *model) indexRemove(id int, r rec) {
	for fname, idx := range m.inverse {
		if t, _ := r[fname].(int); t != 0 {
			delete(idx[t], id)
		}
	}
}
