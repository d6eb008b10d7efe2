package odootest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// partnerSpec is the nested specification of the v17/v19 captures 024-030.
func partnerSpec(childLimit int) ostruct {
	child := KW("fields", KW("name", KW(), "email", KW()))
	if childLimit > 0 {
		child = append(child, member{"limit", childLimit})
	}
	return KW(
		"name", KW(),
		"country_id", KW("fields", KW("name", KW())),
		"parent_id", KW("fields", KW("name", KW(), "country_id", KW("fields", KW("code", KW())))),
		"child_ids", child,
		"category_id", KW("fields", KW("name", KW())),
	)
}

func TestWebSearchReadLength(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	for _, tc := range []struct {
		name       string
		kw         ostruct
		wantLen    int
		wantRecord int
	}{
		{"limit above total", KW("limit", 80), 39, 39},
		{"count_limit above total", KW("limit", 80, "count_limit", 10001), 39, 39},
		// v17/025-026: a full page with count_limit caps length at count_limit.
		{"count_limit caps", KW("limit", 5, "count_limit", 10), 10, 5},
		{"full page counts", KW("limit", 5), 39, 5},
		{"offset + partial page", KW("offset", 35, "limit", 10), 39, 4},
		{"count_limit reached by offset", KW("offset", 10, "limit", 5, "count_limit", 12), 15, 5},
		{"no limit", KW(), 39, 39},
		{"past the end", KW("offset", 100, "limit", 5), 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kw := append(KW("domain", L(), "specification", KW("name", KW())), tc.kw...)
			res := c.must("res.partner", "web_search_read", L(), kw)
			if diff := cmp.Diff([]string{"length", "records"}, keys(res)); diff != "" {
				t.Fatalf("keys (-want +got):\n%s", diff)
			}
			if get(res, "length") != tc.wantLen || len(get(res, "records").([]any)) != tc.wantRecord {
				t.Errorf("length %v, %d records; want %d, %d", get(res, "length"), len(get(res, "records").([]any)), tc.wantLen, tc.wantRecord)
			}
		})
	}
}

func TestWebSearchReadShapes(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	// Companies with a child sub-limit of 2 (v17/027): children past the
	// limit are {id} only; the spec order is kept.
	res := c.must("res.partner", "web_search_read", L(L(L("is_company", "=", true)), partnerSpec(2)), KW("limit", 80))
	recs := get(res, "records").([]any)
	var readyMat any
	for _, r := range recs {
		if get(r, "id") == 12 {
			readyMat = r
		}
	}
	if readyMat == nil {
		t.Fatal("Ready Mat (12) missing")
	}
	if diff := cmp.Diff([]string{"id", "name", "country_id", "parent_id", "child_ids", "category_id"}, keys(readyMat)); diff != "" {
		t.Errorf("record keys (-want +got):\n%s", diff)
	}
	children := get(readyMat, "child_ids").([]any)
	if len(children) != 7 {
		t.Fatalf("Ready Mat has %d children, want 7", len(children))
	}
	for i, ch := range children {
		wantKeys := []string{"id"}
		if i < 2 {
			wantKeys = []string{"id", "name", "email"}
		}
		if diff := cmp.Diff(wantKeys, keys(ch)); diff != "" {
			t.Errorf("child %d keys (-want +got):\n%s", i, diff)
		}
	}
	if get(readyMat, "parent_id") != false {
		t.Errorf("parent_id of a company = %v, want False", get(readyMat, "parent_id"))
	}
	country := get(readyMat, "country_id")
	if diff := cmp.Diff(ostruct{{"id", 233}, {"name", "United States"}}, country); diff != "" {
		t.Errorf("country_id (-want +got):\n%s", diff)
	}

	// A contact: nested many2one two levels deep.
	wr := c.must("res.partner", "web_read", L(L(19)), KW("specification", partnerSpec(0))).([]any)
	wantParent := ostruct{{"id", 10}, {"name", "Deco Addict"}, {"country_id", ostruct{{"id", 233}, {"code", "US"}}}}
	if diff := cmp.Diff(wantParent, get(wr[0], "parent_id")); diff != "" {
		t.Errorf("nested parent_id (-want +got):\n%s", diff)
	}

	// many2one without sub-spec: bare id; with empty fields: bare id; with
	// display_name: appended last.
	wr = c.must("sale.order", "web_read", L(L(1)), KW("specification", KW(
		"partner_id", KW(),
		"user_id", KW("fields", KW()),
		"currency_id", KW("fields", KW("display_name", KW(), "symbol", KW())),
		"order_line", KW("fields", KW("price_unit", KW()), "order", "price_unit desc", "limit", 2),
		"tag_ids", KW(),
	))).([]any)
	want := ostruct{
		{"id", 1},
		{"partner_id", 10},
		{"user_id", 6},
		{"currency_id", ostruct{{"id", 1}, {"symbol", "$"}, {"display_name", "USD"}}},
		{"order_line", []any{ostruct{{"id", 1}, {"price_unit", 295.0}}, ostruct{{"id", 2}, {"price_unit", 145.0}}, ostruct{{"id", 3}}}},
		{"tag_ids", []int{}},
	}
	if diff := cmp.Diff(normalize(want), normalize(wr[0])); diff != "" {
		t.Errorf("web_read shapes (-want +got):\n%s", diff)
	}

	// Empty result.
	res = c.must("sale.order", "web_search_read", L(L(L("id", "<", 0)), KW("name", KW())), KW())
	if diff := cmp.Diff(ostruct{{"length", 0}, {"records", []any{}}}, res); diff != "" {
		t.Errorf("empty (-want +got):\n%s", diff)
	}
	// Positional six arguments (v17/028).
	res = c.must("res.partner", "web_search_read", L(L(L("is_company", "=", true)), KW("name", KW()), 0, 3, "id", 10001), nil)
	if get(res, "length") != 10 || len(get(res, "records").([]any)) != 3 {
		t.Errorf("positional: %s", pyRepr(res))
	}
	// An unknown field in the specification.
	f := c.fault("res.partner", "web_read", L(L(1), KW("bogus", KW())), nil)
	if f.Code != 1 || !strings.HasSuffix(f.String, "ValueError: Invalid field 'bogus' on model 'res.partner'\n") {
		t.Errorf("bad spec field: %v %q", f.Code, f.String)
	}
}

func TestWebMethodsMissingBefore17(t *testing.T) {
	s := NewServer(WithVersion("16.0"))
	defer s.Close()
	c := newClient(t, s)
	for _, m := range []string{"web_search_read", "web_read"} {
		f := c.fault("res.partner", m, L(L(), KW("name", KW())), nil)
		want := "AttributeError: type object 'res.partner' has no attribute '" + m + "'\n"
		if f.Code != 1 || !strings.HasSuffix(f.String, want) {
			t.Errorf("%s on 16.0: %v %q", m, f.Code, f.String)
		}
	}
	v, _ := c.rpc("/xmlrpc/2/common", "version")
	if get(v, "server_version") != "16.0" || get(v, "server_serie") != "16.0" {
		t.Errorf("version: %s", pyRepr(v))
	}
}
