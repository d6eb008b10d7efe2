package odootest

// Languages, translations and companies: what Odoo 18 does with the lang
// and allowed_company_ids keys of a call's context.
//
// Translations: a field with translate=True in fields_get holds one value
// per language (Odoo 16+ stores them as a jsonb {lang: value}). A record
// keeps its en_US value under the field's name, as before, and the values
// of the other languages in a map under trKey(field) (never modified once
// shared: a writer stores a new map). Reading, searching, ordering,
// name_search and display names use the value of the context's lang, or the
// en_US one when the record has none in that language (Odoo's COALESCE of
// the two). A write in a language changes that language's value only; a
// create in a language sets en_US and that language.
//
// Companies (odoo/api.py, Environment.company and companies): without
// allowed_company_ids the user's companies are all active; with it, every
// company must be one of the user's (res.users company_ids), else Odoo
// raises AccessError "Access to unauthorized or invalid companies." when a
// multi-company record rule is evaluated, which the server does on any call
// to a model that has one. Those rules (base_security.xml and the modules'
// own) keep the records of the active companies or of none.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// langRecord is one row of res.lang.
type langRecord struct {
	id                                                   int
	code, name, iso, url                                 string
	active                                               bool
	dateFormat, timeFormat, weekStart, decimal, thousand string
}

// languages are the res.lang rows of the server: the three active ones
// (installed) and a few of the inactive ones every Odoo lists. Formats are
// those of Odoo 18's base/data/res.lang.csv.
var languages = []langRecord{
	{1, "en_US", "English (US)", "en", "en", true, "%m/%d/%Y", "%H:%M:%S", "7", ".", ","},
	{2, "fr_FR", "French / Français", "fr", "fr", true, "%d/%m/%Y", "%H:%M:%S", "1", ",", "\u202f"},
	{3, "de_DE", "German / Deutsch", "de", "de", true, "%d.%m.%Y", "%H:%M:%S", "1", ",", "."},
	{4, "fr_BE", "French (BE) / Français (BE)", "fr_BE", "fr_BE", false, "%d/%m/%Y", "%H:%M:%S", "1", ",", "."},
	{5, "fr_CA", "French (CA) / Français (CA)", "fr_CA", "fr_CA", false, "%Y-%m-%d", "%H:%M:%S", "7", ",", "\u00a0"},
	{6, "en_GB", "English (UK)", "en_GB", "en_GB", false, "%d/%m/%Y", "%H:%M:%S", "1", ".", ","},
	{7, "es_ES", "Spanish / Español", "es", "es", false, "%d/%m/%Y", "%H:%M:%S", "1", ",", "."},
	{8, "nl_NL", "Dutch / Nederlands", "nl", "nl", false, "%d-%m-%Y", "%H:%M:%S", "1", ",", "."},
}

// newLangModel serves res.lang, with the fields of Odoo 18's (those a
// client reads to list the installed languages) and the rows of languages.
func newLangModel(info irModel) *model {
	m := &model{name: "res.lang", desc: info.Name, order: info.Order, hasActive: true, recs: map[int]rec{}, inverse: map[string]map[int]map[int]struct{}{}}
	if m.desc == "" {
		m.desc = "Languages"
	}
	if m.order == "" {
		m.order = "active desc,name"
	}
	type def struct {
		name, typ, str, help string
		required, store      bool
		selection            []any
	}
	defs := []def{
		{name: "name", typ: "char", str: "Name", required: true, store: true},
		{name: "code", typ: "char", str: "Locale Code", help: "This field is used to set/get locales for user", required: true, store: true},
		{name: "iso_code", typ: "char", str: "ISO code", help: "This ISO code is the name of po files to use for translations", store: true},
		{name: "url_code", typ: "char", str: "URL Code", help: "The Lang Code displayed in the URL", required: true, store: true},
		{name: "active", typ: "boolean", str: "Active", store: true},
		{name: "direction", typ: "selection", str: "Direction", required: true, store: true,
			selection: []any{[]any{"ltr", "Left-to-Right"}, []any{"rtl", "Right-to-Left"}}},
		{name: "date_format", typ: "char", str: "Date Format", required: true, store: true},
		{name: "time_format", typ: "char", str: "Time Format", required: true, store: true},
		{name: "week_start", typ: "selection", str: "First Day of Week", required: true, store: true,
			selection: []any{[]any{"1", "Monday"}, []any{"2", "Tuesday"}, []any{"3", "Wednesday"}, []any{"4", "Thursday"},
				[]any{"5", "Friday"}, []any{"6", "Saturday"}, []any{"7", "Sunday"}}},
		{name: "decimal_point", typ: "char", str: "Decimal Separator", required: true, store: true},
		{name: "thousands_sep", typ: "char", str: "Thousands Separator", store: true},
		{name: "id", typ: "integer", str: "ID", store: true},
		{name: "display_name", typ: "char", str: "Display Name"},
	}
	m.fields = map[string]*field{}
	for _, d := range defs {
		raw := map[string]any{"name": d.name, "type": d.typ, "string": d.str, "required": d.required, "store": d.store,
			"readonly": d.name == "id" || d.name == "display_name", "searchable": true, "sortable": d.store}
		if d.help != "" {
			raw["help"] = d.help
		}
		if d.selection != nil {
			raw["selection"] = d.selection
		}
		m.fields[d.name] = parseField(d.name, raw)
		m.fieldOrder = append(m.fieldOrder, d.name)
	}
	for _, l := range languages {
		m.recs[l.id] = rec{"id": l.id, "name": l.name, "display_name": l.name, "code": l.code, "iso_code": l.iso, "url_code": l.url,
			"active": l.active, "direction": "ltr", "date_format": l.dateFormat, "time_format": l.timeFormat,
			"week_start": l.weekStart, "decimal_point": l.decimal, "thousands_sep": l.thousand}
		m.maxID = max(m.maxID, l.id)
	}
	return m
}

// trKey is the key of a record holding the values of translated field name
// in the languages other than en_US.
func trKey(name string) string { return "\x00" + name }

// loadTranslations seeds the translations of testdata/translations.json
// ({lang: {model: {field: {id: value}}}}; the captured demo database had
// only en_US installed): the French and German names of the 250 countries
// are CLDR's (golang.org/x/text/language/display), with the current names of
// a few (Macédoine du Nord, Eswatini, République démocratique du Congo ...);
// the French names of the demo's products (and some sales descriptions),
// units, CRM tags, partner tags and projects are translations made for it.
func (ds *dataset) loadTranslations() error {
	b, err := dataFS.ReadFile("testdata/translations.json")
	if err != nil {
		return err
	}
	var all map[string]map[string]map[string]map[string]string
	if err := json.Unmarshal(b, &all); err != nil {
		return fmt.Errorf("translations.json: %w", err)
	}
	for lang, models := range all {
		for mname, fields := range models {
			m := ds.models[mname]
			if m == nil {
				continue
			}
			for fname, values := range fields {
				f := m.fields[fname]
				if f == nil || !f.translate {
					return fmt.Errorf("translations.json: %s.%s is not a translated field", mname, fname)
				}
				for sid, v := range values {
					id, _ := strconv.Atoi(sid)
					r := m.recs[id]
					if r == nil {
						return fmt.Errorf("translations.json: no %s record %s", mname, sid)
					}
					tr, _ := r[trKey(fname)].(map[string]string)
					if tr == nil {
						tr = map[string]string{}
						r[trKey(fname)] = tr
					}
					tr[lang] = v
				}
			}
		}
	}
	return nil
}

// activeLang reports whether code is an active (installed) language.
func (e *env) activeLang(code string) bool {
	m := e.ds.model("res.lang")
	if m == nil {
		return code == "en_US"
	}
	for _, r := range m.recs {
		if r["code"] == code {
			a, _ := r["active"].(bool)
			return a
		}
	}
	return false
}

// translation returns the value of translated field f of r in the
// context's language, when it has one.
func (e *env) translation(r rec, f *field) (string, bool) {
	if e.lang == "" || !f.translate {
		return "", false
	}
	tr, _ := r[trKey(f.name)].(map[string]string)
	v, ok := tr[e.lang]
	return v, ok
}

// translatedDisplayName is the display name of r in the context's language
// when it differs from the stored (en_US) one: the models whose display
// name shows a translated name.
func (e *env) translatedDisplayName(m *model, r rec, stored string) (string, bool) {
	if e.lang == "" {
		return "", false
	}
	nameOf := func(m *model, r rec) (en, local string, ok bool) {
		f := m.fields["name"]
		if f == nil || !f.translate {
			return "", "", false
		}
		en = strVal(r["name"])
		local, ok = e.translation(r, f)
		return en, local, ok
	}
	switch m.name {
	case "product.product":
		t := e.ds.model("product.template")
		tid, _ := r["product_tmpl_id"].(int)
		if t == nil || tid == 0 || t.recs[tid] == nil {
			return "", false
		}
		en, local, ok := nameOf(t, t.recs[tid])
		if !ok || en == "" {
			return "", false
		}
		return strings.Replace(stored, en, local, 1), true
	case "res.partner.category":
		en, local, ok := nameOf(m, r)
		if !ok {
			local = en
		}
		pid, _ := r["parent_id"].(int)
		if pid == 0 || m.recs[pid] == nil {
			return local, ok
		}
		return e.displayName(m, m.recs[pid]) + " / " + local, true
	}
	en, local, ok := nameOf(m, r)
	if !ok || en == "" || !strings.Contains(stored, en) {
		return "", false
	}
	return strings.Replace(stored, en, local, 1), true
}

// setTranslation stores v as the value of translated field name of r in
// lang (r is the writer's copy; its map of translations is replaced).
func setTranslation(r rec, name, lang, v string) {
	old, _ := r[trKey(name)].(map[string]string)
	tr := make(map[string]string, len(old)+1)
	for k, x := range old {
		tr[k] = x
	}
	tr[lang] = v
	r[trKey(name)] = tr
}

// errInvalidCompanies is Odoo's refusal of an allowed_company_ids entry the
// user may not access (odoo/api.py, Environment.company/companies).
const errInvalidCompanies = "Access to unauthorized or invalid companies."

// applyContext reads the lang and allowed_company_ids of a call's context
// into e. It fails as Odoo does on a language that is not installed
// (Environment.lang: UserError "Invalid language code: xx").
func (e *env) applyContext(c ostruct) *rpcFault {
	if v, ok := c.get("lang"); ok {
		if lang, _ := v.(string); lang != "" && lang != "en_US" {
			if !e.activeLang(lang) {
				return userError("Invalid language code: " + lang)
			}
			e.lang = lang
		}
	}
	mine := e.userCompanies()
	e.companies = mine
	if v, ok := c.get("allowed_company_ids"); ok {
		var ids []int
		switch x := v.(type) {
		case []any:
			for _, it := range x {
				if id, ok := it.(int); ok {
					ids = append(ids, id)
				}
			}
		case int:
			ids = []int{x}
		}
		if len(ids) > 0 {
			for _, id := range ids {
				if !slices.Contains(mine, id) {
					e.badCompanies = true
				}
			}
			e.companies = ids
		}
	}
	if len(e.companies) == 0 {
		return nil // no user record to tell (WithModels without res.users)
	}
	// The rules restrict nothing when every company is active.
	if rc := e.ds.model("res.company"); rc != nil {
		for id := range rc.recs {
			if !slices.Contains(e.companies, id) {
				e.restricted = true
				break
			}
		}
	}
	return nil
}

// userCompanies returns the companies of the user (res.users company_ids).
func (e *env) userCompanies() []int {
	if u := e.ds.model("res.users"); u != nil {
		if r := u.recs[e.u.uid]; r != nil {
			ids, _ := r["company_ids"].([]int)
			return ids
		}
	}
	return nil
}

// companyRule returns the domain of m's multi-company record rule, nil when
// m has none.
func companyRule(m *model, companies []int) []any {
	ids := make([]any, len(companies))
	for i, id := range companies {
		ids[i] = id
	}
	switch m.name {
	case "res.users": // base's "user rule"
		if m.fields["share"] == nil || m.fields["company_ids"] == nil {
			return nil
		}
		return []any{"|", []any{"share", "=", false}, []any{"company_ids", "in", ids}}
	case "res.partner": // base's "res.partner company"
		if m.fields["company_id"] == nil {
			return nil
		}
		dom := []any{"|", []any{"company_id", "=", false}, []any{"company_id", "in", ids}}
		if m.fields["partner_share"] != nil {
			dom = append([]any{"|", []any{"partner_share", "=", false}}, dom...)
		}
		return dom
	}
	if f := m.fields["company_id"]; f != nil && f.typ == "many2one" && f.relation == "res.company" {
		return []any{"|", []any{"company_id", "=", false}, []any{"company_id", "in", ids}}
	}
	return nil
}

// companyFault is the AccessError of a call on a model with a multi-company
// rule when allowed_company_ids names a company the user may not access.
func (e *env) companyFault(m *model) *rpcFault {
	if e.badCompanies && companyRule(m, nil) != nil {
		return accessError(errInvalidCompanies)
	}
	return nil
}
