package odoo

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestIsEmpty(t *testing.T) {
	tests := []struct {
		v    any
		want bool
	}{
		{false, true}, {"", true}, {nil, true},
		{true, false}, {"x", false}, {0, false}, {0.0, false},
		{[]any{}, false}, {Record{}, false}, {[]any{1, "x"}, false},
	}
	for _, tt := range tests {
		if got := IsEmpty(tt.v); got != tt.want {
			t.Errorf("IsEmpty(%#v) = %v", tt.v, got)
		}
	}
}

func TestAsScalars(t *testing.T) {
	intTests := []struct {
		v    any
		want int
		ok   bool
	}{
		{7, 7, true}, {int64(-3), -3, true}, {int32(5), 5, true}, {12.0, 12, true}, {float32(2), 2, true},
		{12.5, 0, false}, {math.NaN(), 0, false}, {math.Inf(1), 0, false}, {1e30, 0, false},
		{false, 0, false}, {nil, 0, false}, {"7", 0, false},
	}
	for _, tt := range intTests {
		if got, ok := AsInt(tt.v); got != tt.want || ok != tt.ok {
			t.Errorf("AsInt(%#v) = %v, %v", tt.v, got, ok)
		}
	}
	floatTests := []struct {
		v    any
		want float64
		ok   bool
	}{
		{1.5, 1.5, true}, {3, 3, true}, {int64(4), 4, true}, {float32(0.5), 0.5, true},
		{false, 0, false}, {"1.5", 0, false}, {nil, 0, false},
	}
	for _, tt := range floatTests {
		if got, ok := AsFloat(tt.v); got != tt.want || ok != tt.ok {
			t.Errorf("AsFloat(%#v) = %v, %v", tt.v, got, ok)
		}
	}
	strTests := []struct {
		v    any
		want string
		ok   bool
	}{
		{"abc", "abc", true}, {"", "", true}, {false, "", false}, {nil, "", false}, {3, "", false},
	}
	for _, tt := range strTests {
		if got, ok := AsString(tt.v); got != tt.want || ok != tt.ok {
			t.Errorf("AsString(%#v) = %q, %v", tt.v, got, ok)
		}
	}
	if b, ok := AsBool(false); b || !ok {
		t.Error("AsBool(false)")
	}
	if _, ok := AsBool("x"); ok {
		t.Error("AsBool(string)")
	}
}

func TestMany2One(t *testing.T) {
	tests := []struct {
		name string
		v    any
		id   int
		str  string
		ok   bool
	}{
		{"read pair", []any{233, "United States"}, 233, "United States", true},
		{"pair with false name", []any{5, false}, 5, "", true},
		{"one element", []any{5}, 5, "", true},
		{"web_read bare int", 6, 6, "", true},
		{"nested record display_name", Record{"id": 10, "display_name": "Deco Addict", "name": "Deco"}, 10, "Deco Addict", true},
		{"nested record name", Record{"id": 233, "name": "United States"}, 233, "United States", true},
		{"nested map id only", map[string]any{"id": 4}, 4, "", true},
		{"false", false, 0, "", false},
		{"nil", nil, 0, "", false},
		{"empty list", []any{}, 0, "", false},
		{"three elements", []any{1, "a", "b"}, 0, "", false},
		{"string id", []any{"x", "y"}, 0, "", false},
		{"record without id", Record{"name": "x"}, 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, name, ok := Many2One(tt.v)
			if id != tt.id || name != tt.str || ok != tt.ok {
				t.Errorf("Many2One(%#v) = %d, %q, %v", tt.v, id, name, ok)
			}
		})
	}
}

func TestIDs(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want []int
	}{
		{"read ids", []any{27, 34, 28}, []int{27, 34, 28}},
		{"empty x2many", []any{}, []int{}},
		{"web_read records", []any{Record{"id": 56, "name": "x"}, Record{"id": 54}}, []int{56, 54}},
		{"maps", []any{map[string]any{"id": 1}}, []int{1}},
		{"[]int", []int{3, 4}, []int{3, 4}},
		{"[]Record", []Record{{"id": 9}}, []int{9}},
		{"skips junk", []any{1, "x", Record{"name": "no id"}, 2}, []int{1, 2}},
		{"false", false, nil},
		{"nil", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, IDs(tt.v)); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func TestDates(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	dtTests := []struct {
		in   string
		want time.Time
	}{
		{"2026-11-21 20:24:49", utc(2026, 11, 21, 20, 24, 49, 0)},
		{"2026-11-21T20:24:49", utc(2026, 11, 21, 20, 24, 49, 0)},
		{"2026-11-21 20:24:49.123456", utc(2026, 11, 21, 20, 24, 49, 123456000)},
		{"2026-11-21T20:24:49.5Z", utc(2026, 11, 21, 20, 24, 49, 500000000)},
		{"2026-11-21T22:24:49+02:00", utc(2026, 11, 21, 20, 24, 49, 0)},
		{"2026-11-21 20:24", utc(2026, 11, 21, 20, 24, 0, 0)},
		{"2026-11-21", utc(2026, 11, 21, 0, 0, 0, 0)},
	}
	for _, tt := range dtTests {
		got, err := ParseDateTime(tt.in)
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("ParseDateTime(%q) = %v, %v", tt.in, got, err)
		}
	}
	for _, bad := range []string{"", "false", "21/11/2026", "2026-13-01 00:00:00"} {
		if _, err := ParseDateTime(bad); err == nil || !strings.HasPrefix(err.Error(), "odoo: ") {
			t.Errorf("ParseDateTime(%q) err = %v", bad, err)
		}
	}
	for in, want := range map[string]time.Time{
		"2026-10-21":          utc(2026, 10, 21, 0, 0, 0, 0),
		"2026-10-21 20:25:00": utc(2026, 10, 21, 0, 0, 0, 0),
		"2026-10-21T20:25:00": utc(2026, 10, 21, 0, 0, 0, 0),
	} {
		if got, err := ParseDate(in); err != nil || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseDate("2026-02-30"); err == nil {
		t.Error("ParseDate accepted 2026-02-30")
	}

	brussels := time.FixedZone("CET", 3600)
	tm := time.Date(2026, 1, 1, 0, 30, 0, 999, brussels)
	if got := FormatDateTime(tm); got != "2025-12-31 23:30:00" {
		t.Errorf("FormatDateTime = %q", got)
	}
	if got := FormatDate(tm); got != "2026-01-01" {
		t.Errorf("FormatDate = %q", got)
	}
	// Round trip through the wire form.
	if back, _ := ParseDateTime(FormatDateTime(tm)); !back.Equal(tm.Truncate(time.Second)) {
		t.Errorf("round trip %v != %v", back, tm)
	}
}

func TestWireValue(t *testing.T) {
	type named string
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	in := map[string]any{
		"nil":     nil,
		"time":    when,
		"bytes":   []byte("hi"),
		"ptr":     (*int)(nil),
		"named":   named("x"),
		"ints":    []int{1, 2},
		"strs":    []string{"a"},
		"records": []Record{{"a": 1}},
		"a&b":     1,
		"spec":    Spec{"partner_id": {Fields: Spec{"name": {}}, Limit: 2, Order: "id", Context: map[string]any{"active_test": false}}},
		"uint":    uint(7),
	}
	got, err := wireValue(in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"nil":     false,
		"time":    "2026-01-02 03:04:05",
		"bytes":   "aGk=",
		"ptr":     false,
		"named":   "x",
		"ints":    []int{1, 2},
		"strs":    []any{"a"},
		"records": []any{map[string]any{"a": 1}},
		"a&amp;b": 1,
		"spec": map[string]any{"partner_id": map[string]any{
			"fields": map[string]any{"name": map[string]any{}}, "limit": 2, "order": "id",
			"context": map[string]any{"active_test": false},
		}},
		"uint": int64(7),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []any{make(chan int), map[int]any{1: 2}, struct{}{}, uint64(math.MaxUint64)} {
		if _, err := wireValue(bad); err == nil {
			t.Errorf("wireValue(%T) accepted", bad)
		}
	}
	// JSON-2's form of the same values: null stays null, keys as they are,
	// unsigned integers as they are; the rest alike.
	got, err = wireFormat{json: true}.value(in)
	if err != nil {
		t.Fatal(err)
	}
	want["nil"], want["ptr"], want["uint"] = nil, nil, uint(7)
	want["a&b"] = want["a&amp;b"]
	delete(want, "a&amp;b")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON-2 (-want +got):\n%s", diff)
	}
	// The encoded request must parse back to the same values.
	body, err := encodeCall("execute_kw", "demo", 2, "pw", "res.partner", "write", []any{[]int{1}, in}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, params, _, err := refParse(body)
	if err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	vals := params[5].([]any)[1].(Record)
	if vals["a&b"] != 1 || vals["nil"] != false || params[6] != false {
		t.Errorf("round trip: %v / %v", vals, params[6])
	}
}

func TestSessionContext(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", "demo")
	s := c.Session(2, "secret")
	s2 := s.WithContext(map[string]any{"lang": "fr_FR", "tz": "Europe/Brussels"})
	s3 := s2.WithContext(map[string]any{"tz": nil, "active_test": false})
	if s.Context != nil || len(s2.Context) != 2 {
		t.Errorf("WithContext modified the original: %v %v", s.Context, s2.Context)
	}
	if diff := cmp.Diff(map[string]any{"lang": "fr_FR", "active_test": false}, s3.Context); diff != "" {
		t.Error(diff)
	}
	for _, text := range []string{s3.String(), s3.GoString(), s3.LogValue().String()} {
		if strings.Contains(text, "secret") {
			t.Errorf("password visible: %s", text)
		}
	}
	if s3.UID != 2 || s3.Client() != c {
		t.Error("WithContext lost the uid or client")
	}
}

func TestSessionContextMergedIntoKwargs(t *testing.T) {
	rs := newReplayServer(t)
	rs.respond(200, fixture(t, findFixture(t, dir18, "064"), "response"))
	c := newTestClient(t, rs.URL, "demo")
	s := c.Session(2, "admin").WithContext(map[string]any{"lang": "fr_FR", "active_test": false})
	own := map[string]any{"context": map[string]any{"lang": "nl_BE"}, "limit": 3}
	if _, err := s.ExecuteKW(ctxT(t), "res.partner", "search_count", []any{[]any{}}, own); err != nil {
		t.Fatal(err)
	}
	_, sent := rs.last()
	_, params, _, err := refParse(sent)
	if err != nil {
		t.Fatal(err)
	}
	want := Record{"limit": 3, "context": Record{"lang": "nl_BE", "active_test": false}}
	if diff := cmp.Diff(want, params[6]); diff != "" {
		t.Errorf("kwargs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"context": map[string]any{"lang": "nl_BE"}, "limit": 3}, own); diff != "" {
		t.Errorf("caller's kwargs modified: %s", diff)
	}
}

func TestEmptyInputsMakeNoCall(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", "demo") // nothing listens
	s := c.Session(2, "admin")
	ctx := ctxT(t)
	if recs, err := s.Read(ctx, "res.partner", nil, nil); err != nil || recs == nil || len(recs) != 0 {
		t.Errorf("Read: %v %v", recs, err)
	}
	if recs, err := s.WebRead(ctx, "res.partner", nil, nil); err != nil || recs == nil {
		t.Errorf("WebRead: %v %v", recs, err)
	}
	if ids, err := s.CreateMany(ctx, "res.partner", nil); err != nil || ids == nil {
		t.Errorf("CreateMany: %v %v", ids, err)
	}
	if err := s.Write(ctx, "res.partner", nil, map[string]any{"a": 1}); err != nil {
		t.Error(err)
	}
	if err := s.Unlink(ctx, "res.partner", nil); err != nil {
		t.Error(err)
	}
	if st := c.Stats(); st.Calls != 0 {
		t.Errorf("stats %+v", st)
	}
	var zero Session
	if _, err := zero.ExecuteKW(ctx, "res.partner", "read", nil, nil); err == nil {
		t.Error("zero Session worked")
	}
}

func TestParseVersionFallbacks(t *testing.T) {
	tests := []struct {
		in   Record
		want Version
	}{
		{Record{"server_version": "saas~17.2", "server_version_info": []any{"saas~17", 2, 0, "final", 0, ""}, "server_serie": "saas~17.2", "protocol_version": 1},
			Version{"saas~17.2", 17, 2, 1, "saas~17.2"}},
		{Record{"server_version": "17.0-20240709"}, Version{ServerVersion: "17.0-20240709", Major: 17}},
		{Record{"server_version": "saas~16.3+e"}, Version{ServerVersion: "saas~16.3+e", Major: 16, Minor: 3}},
		{Record{"server_version": "18.0+e", "server_version_info": []any{18}}, Version{ServerVersion: "18.0+e", Major: 18}},
		{Record{"server_serie": "19.0"}, Version{ServerSerie: "19.0", Major: 19}},
		{Record{}, Version{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, parseVersion(tt.in)); diff != "" {
			t.Errorf("%v: %s", tt.in, diff)
		}
	}
}
