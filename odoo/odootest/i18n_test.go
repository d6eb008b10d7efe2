package odootest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Country ids of the demo data.
const (
	countryBE = 20
	countryDE = 57
	countryUS = 233
)

func TestLanguagesInstalled(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	rows := c.must("res.lang", "search_read", L(L(L("active", "=", true))), KW("fields", L("code", "iso_code", "url_code"), "order", "code"))
	var got []string
	for _, r := range rows.([]any) {
		got = append(got, fmt.Sprintf("%s/%s/%s", get(r, "code"), get(r, "iso_code"), get(r, "url_code")))
	}
	if strings.Join(got, " ") != "de_DE/de/de en_US/en/en fr_FR/fr/fr" {
		t.Errorf("installed languages: %v", got)
	}
	// Every user may read them; inactive ones are listed with active_test off.
	if n := c.as(DemoUID, "demo").must("res.lang", "search_count", L(L()), KW("context", KW("active_test", false))).(int); n != len(languages) {
		t.Errorf("demo counts %d languages, want %d", n, len(languages))
	}
	// A language that is not installed fails every call, as Odoo's
	// Environment.lang does.
	for _, lang := range []string{"fr_BE", "xx_XX"} {
		if f := c.fault("res.country", "read", L(L(countryBE)), KW("fields", L("name"), "context", KW("lang", lang))); f.Code != 2 || f.String != "Invalid language code: "+lang {
			t.Errorf("lang %s: fault %v %q", lang, f.Code, f.String)
		}
	}
}

func TestTranslations(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	fr := func(kv ...any) ostruct { return append(KW(kv...), member{"context", KW("lang", "fr_FR")}) }
	name := func(v any) string {
		list, _ := v.([]any)
		if len(list) != 1 {
			t.Fatalf("want one record, got %s", pyRepr(v))
		}
		s, _ := get(list[0], "name").(string)
		return s
	}
	if got := name(c.must("res.country", "read", L(L(countryBE)), fr("fields", L("name")))); got != "Belgique" {
		t.Errorf("Belgium in French: %q", got)
	}
	if got := name(c.must("res.country", "read", L(L(countryBE)), KW("fields", L("name"), "context", KW("lang", "de_DE")))); got != "Belgien" {
		t.Errorf("Belgium in German: %q", got)
	}
	if got := name(c.must("res.country", "read", L(L(countryBE)), KW("fields", L("name"), "context", KW("lang", "en_US")))); got != "Belgium" {
		t.Errorf("Belgium in English: %q", got)
	}
	// Domains and orders follow the language.
	if ids := ints(c.must("res.country", "search", L(L(L("name", "=", "Belgique"))), fr())); !slices.Equal(ids, []int{countryBE}) {
		t.Errorf("name = Belgique in French: %v", ids)
	}
	if ids := ints(c.must("res.country", "search", L(L(L("name", "=", "Belgique"))), nil)); len(ids) != 0 {
		t.Errorf("name = Belgique in English: %v", ids)
	}
	if ids := ints(c.must("res.country", "search", L(L(L("code", "in", L("BE", "DE")))), fr("order", "name"))); !slices.Equal(ids, []int{countryDE, countryBE}) {
		t.Errorf("BE, DE by name in French: %v, want Allemagne first", ids)
	}
	if ids := ints(c.must("res.country", "search", L(L(L("code", "in", L("BE", "DE")))), KW("order", "name"))); !slices.Equal(ids, []int{countryBE, countryDE}) {
		t.Errorf("BE, DE by name in English: %v, want Belgium first", ids)
	}
	// name_search, many2one pairs, web_search_read's nested records, display names.
	if got := pyRepr(c.must("res.country", "name_search", L("allem"), fr())); got != fmt.Sprintf("[[%d, 'Allemagne']]", countryDE) {
		t.Errorf("name_search allem in French: %s", got)
	}
	p := c.must("res.partner", "read", L(L(10)), fr("fields", L("country_id", "category_id")))
	if got := pyRepr(get(p.([]any)[0], "country_id")); got != fmt.Sprintf("[%d, 'États-Unis']", countryUS) {
		t.Errorf("Deco Addict's country in French: %s", got)
	}
	res := c.must("res.partner", "web_search_read", nil, fr("domain", L(L("id", "=", 10)),
		"specification", KW("country_id", KW("fields", KW("display_name", KW())), "category_id", KW("fields", KW("name", KW(), "display_name", KW())))))
	rec := get(res, "records").([]any)[0]
	if got := pyRepr(get(rec, "country_id")); got != fmt.Sprintf("{'id': %d, 'display_name': 'États-Unis'}", countryUS) {
		t.Errorf("web_search_read country in French: %s", got)
	}
	if got := pyRepr(get(rec, "category_id")); got != "[{'id': 7, 'name': 'Fabricants de bureaux', 'display_name': 'Fournisseur / Fabricants de bureaux'}]" {
		t.Errorf("web_search_read tags in French: %s", got)
	}
	variants := c.must("product.product", "search_read", L(L(L("product_tmpl_id", "=", 9))), fr("fields", L("name", "display_name")))
	for _, v := range variants.([]any) {
		if get(v, "name") != "Bureau personnalisable" || !strings.Contains(get(v, "display_name").(string), "Bureau personnalisable") {
			t.Errorf("variant of Customizable Desk in French: %s", pyRepr(v))
		}
	}
	// A record without a translation reads its en_US value.
	if got := name(c.must("uom.uom", "read", L(L(12)), fr("fields", L("name")))); got != "kg" {
		t.Errorf("kg in French: %q", got)
	}
	// fields_get says which fields are translated.
	fg := c.must("res.country", "fields_get", L(), KW("attributes", L("translate")))
	if get(get(fg, "name"), "translate") != true || get(get(fg, "code"), "translate") != false {
		t.Errorf("fields_get translate: %s / %s", pyRepr(get(fg, "name")), pyRepr(get(fg, "code")))
	}
}

func TestTranslatedWrites(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	in := func(lang string) ostruct { return KW("context", KW("lang", lang)) }
	tagName := func(id int, lang string) string {
		r := c.must("crm.tag", "read", L(L(id)), append(KW("fields", L("name")), in(lang)...))
		return get(r.([]any)[0], "name").(string)
	}
	// A write in French changes the French value only.
	c.must("crm.tag", "write", L(L(8), KW("name", "Divers")), in("fr_FR"))
	if en, fr, de := tagName(8, "en_US"), tagName(8, "fr_FR"), tagName(8, "de_DE"); en != "Other" || fr != "Divers" || de != "Other" {
		t.Errorf("after a French write: %q, %q, %q", en, fr, de)
	}
	// A write without a language is the en_US value; French keeps its own.
	c.must("crm.tag", "write", L(L(8), KW("name", "Miscellaneous")), nil)
	if en, fr := tagName(8, "en_US"), tagName(8, "fr_FR"); en != "Miscellaneous" || fr != "Divers" {
		t.Errorf("after an English write: %q, %q", en, fr)
	}
	// A create in French sets en_US and French.
	id := c.must("crm.tag", "create", L(KW("name", "Nouveau")), in("fr_FR")).(int)
	if en, fr, de := tagName(id, "en_US"), tagName(id, "fr_FR"), tagName(id, "de_DE"); en != "Nouveau" || fr != "Nouveau" || de != "Nouveau" {
		t.Errorf("created in French: %q, %q, %q", en, fr, de)
	}
	// False empties every language.
	c.must("product.template", "write", L(L(9), KW("description_sale", false)), in("fr_FR"))
	for _, lang := range []string{"en_US", "fr_FR"} {
		r := c.must("product.template", "read", L(L(9)), append(KW("fields", L("description_sale")), in(lang)...))
		if v := get(r.([]any)[0], "description_sale"); v != false {
			t.Errorf("description_sale in %s after writing False: %s", lang, pyRepr(v))
		}
	}
	// Another server starts from the demo data again.
	s2 := NewServer()
	defer s2.Close()
	c2 := newClient(t, s2)
	if r := c2.must("crm.tag", "read", L(L(8)), append(KW("fields", L("name")), in("fr_FR")...)); get(r.([]any)[0], "name") != "Autre" {
		t.Errorf("a new server's tag 8 in French: %s", pyRepr(r))
	}
}

func TestMultiCompany(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	demo := c.as(DemoUID, "demo")
	companies := func(ids ...any) ostruct { return KW("context", KW("allowed_company_ids", L(ids...))) }
	for _, u := range []*client{c, demo} {
		for _, tc := range []struct {
			kw   ostruct
			want []int
		}{
			{nil, []int{1, 2}},
			{companies(1), []int{1}},
			{companies(2), []int{2}},
			{companies(2, 1), []int{1, 2}},
		} {
			if ids := ints(u.must("stock.warehouse", "search", L(L()), tc.kw)); !slices.Equal(ids, tc.want) {
				t.Errorf("uid %d, %s: warehouses %v, want %v", u.uid, pyRepr(tc.kw), ids, tc.want)
			}
		}
		// A record of another company: a record rule refuses it.
		if f := u.fault("stock.warehouse", "read", L(L(2)), append(KW("fields", L("name")), companies(1)...)); f.Code != 4 || !strings.Contains(f.String, "Sorry, ") {
			t.Errorf("uid %d reads Chicago's warehouse in San Francisco: %v %q", u.uid, f.Code, f.String)
		}
		// A company the user does not have: Odoo's AccessError on any model
		// with a multi-company rule.
		for _, model := range []string{"stock.warehouse", "sale.order", "res.partner", "res.users"} {
			if f := u.fault(model, "search_count", L(L()), companies(1, 3)); f.Code != 4 || f.String != "Access to unauthorized or invalid companies." {
				t.Errorf("uid %d, %s with company 3: %v %q", u.uid, model, f.Code, f.String)
			}
		}
		if n := u.must("res.country", "search_count", L(L()), companies(3)).(int); n != 250 {
			t.Errorf("res.country has no company rule: %d countries", n)
		}
	}
	// Partners of internal users (partner_share False) stay visible; a
	// customer of company 1 does not in company 2.
	ids := ints(demo.must("res.partner", "search", L(L(L("id", "in", L(3, 23)))), companies(2)))
	if !slices.Equal(ids, []int{3}) {
		t.Errorf("partners 3 (Mitchell Admin) and 23 (Jesse Brown, company 1) in company 2: %v", ids)
	}
	// Sale orders (all of company 1) in company 2: none; their lines too.
	if n := c.must("sale.order", "search_count", L(L()), companies(2)).(int); n != 0 {
		t.Errorf("sale orders in company 2: %d", n)
	}
	// x2many values leave out the records of other companies.
	p := c.must("res.partner", "read", L(L(10)), append(KW("fields", L("sale_order_ids")), companies(2)...))
	if got := ints(get(p.([]any)[0], "sale_order_ids")); len(got) != 0 {
		t.Errorf("Deco Addict's orders in company 2: %v", got)
	}
}
