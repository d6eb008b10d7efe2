package odoo

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// wireFloats are the floats every printing of a float is tested with: the
// issue's list, whole values, the extremes of float64.
var wireFloats = []struct {
	f    float64
	want string
}{
	{0.1, "0.1"},
	{1e-7, "0.0000001"},
	{1234567.89, "1234567.89"},
	{12345678901.5, "12345678901.5"},
	{math.Copysign(0, -1), "0.0"},
	{0, "0.0"},
	{1, "1.0"},
	{100, "100.0"},
	{-2.5, "-2.5"},
	{1e21, "1000000000000000000000.0"},
	{1e-300, "0." + strings.Repeat("0", 299) + "1"},
	{math.MaxFloat64, "179769313486231570" + strings.Repeat("0", 291) + ".0"},
	{-math.MaxFloat64, "-179769313486231570" + strings.Repeat("0", 291) + ".0"},
	{math.SmallestNonzeroFloat64, "0." + strings.Repeat("0", 323) + "5"},
}

// exponent matches a number in exponent notation.
var exponent = regexp.MustCompile(`[0-9][eE][-+]?[0-9]`)

func TestAppendFloat(t *testing.T) {
	for _, tt := range wireFloats {
		b, err := AppendFloat([]byte("x"), tt.f)
		if err != nil || string(b) != "x"+tt.want {
			t.Errorf("%v: %s, %v; want %s", tt.f, b, err, tt.want)
			continue
		}
		if exponent.Match(b) {
			t.Errorf("%v: exponent in %s", tt.f, b)
		}
		back, err := strconv.ParseFloat(string(b[1:]), 64)
		if err != nil || back != tt.f {
			t.Errorf("%v: %s parses back as %v, %v", tt.f, b[1:], back, err)
		}
		var viaJSON float64
		if err := json.Unmarshal(b[1:], &viaJSON); err != nil || viaJSON != tt.f {
			t.Errorf("%v: %s is not JSON for it: %v, %v", tt.f, b[1:], viaJSON, err)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := AppendFloat(nil, f); err == nil {
			t.Errorf("%v: no error", f)
		}
	}
}

func TestJSONNumber(t *testing.T) {
	for in, want := range map[string]any{
		"1": 1, "-7": -7, "9007199254740993": 9007199254740993, // ints, beyond 2^53 too
		"1.0": 1.0, "100.0": 100.0, "1e3": 1000.0, "0.1": 0.1, // floats, whole ones too
		"99999999999999999999": 1e20, // beyond int range: a float
	} {
		got, err := JSONNumber(json.Number(in))
		if err != nil || got != want {
			t.Errorf("%s: %#v, %v; want %#v", in, got, err, want)
		}
	}
	if _, err := JSONNumber("x"); err == nil {
		t.Error("x: no error")
	}
}

// TestNormalizeJSON pins the ways the code base reads JSON values: the
// engine's (raw domains: whole floats are ids, null is false), the record
// cache's (objects become Records) and the JSON scalar's (numbers only).
func TestNormalizeJSON(t *testing.T) {
	in := func() any {
		return []any{json.Number("1"), json.Number("1.0"), float64(2), 2.5, int64(3), nil,
			map[string]any{"a": json.Number("4"), "b": []any{json.Number("5.0")}}}
	}
	domain := NormalizeJSON(in(), JSONOptions{WholeFloatsAsInts: true, NullAsFalse: true})
	want := []any{1, 1.0, 2, 2.5, 3, false, map[string]any{"a": 4, "b": []any{5.0}}}
	if !reflect.DeepEqual(domain, want) {
		t.Errorf("domain:\n%#v\nwant\n%#v", domain, want)
	}
	shared := NormalizeJSON(in(), JSONOptions{Records: true})
	want = []any{1, 1.0, float64(2), 2.5, 3, nil, Record{"a": 4, "b": []any{5.0}}}
	if !reflect.DeepEqual(shared, want) {
		t.Errorf("shared:\n%#v\nwant\n%#v", shared, want)
	}
	input := NormalizeJSON(in(), JSONOptions{})
	want = []any{1, 1.0, float64(2), 2.5, 3, nil, map[string]any{"a": 4, "b": []any{5.0}}}
	if !reflect.DeepEqual(input, want) {
		t.Errorf("input:\n%#v\nwant\n%#v", input, want)
	}
}

// TestAppendJSONRoundTrip: what AppendJSON writes, NormalizeJSON reads back
// with the same Go types — a whole float stays a float64, an int an int —
// and it is encoding/json's text but for the floats.
func TestAppendJSONRoundTrip(t *testing.T) {
	v := []Record{{
		"id": 9007199254740993, "qty": 1.0, "price": 100.0, "rate": 0.1, "tiny": 1e-7, "big": 1e21,
		"neg0": 0.0, "count": 0, "name": "<Acme & \"Co\">\u2028", "active": false, "none": nil,
		"partner_id": []any{7, "Azure"}, "tags": []any{1, 2}, "nested": Record{"w": 2.0, "n": 2},
		"json": Record{"12": 100.0, "13": 50},
	}}
	b, err := MarshalJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	if exponent.Match(b) {
		t.Errorf("exponent in %s", b)
	}
	for _, frag := range []string{`"qty":1.0`, `"price":100.0`, `"big":1000000000000000000000.0`, `"tiny":0.0000001`,
		`"count":0,`, `"id":9007199254740993`, `"json":{"12":100.0,"13":50}`, `"nested":{"n":2,"w":2.0}`} {
		if !bytes.Contains(b, []byte(frag)) {
			t.Errorf("%s not in %s", frag, b)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		t.Fatal(err)
	}
	back := NormalizeJSON(generic, JSONOptions{Records: true}).([]any)
	if !reflect.DeepEqual(back[0], v[0]) {
		t.Errorf("round trip:\n%#v\nwant\n%#v", back[0], v[0])
	}
	// Without floats, the bytes are encoding/json's.
	plain := Record{"s": "<a&b>\u2028é\x01", "l": []any{1, true, nil, "x"}, "m": map[string]any{"b": 1, "a": []int{2}}, "e": []any{}}
	want, _ := json.Marshal(plain)
	if got, _ := MarshalJSON(plain); !bytes.Equal(got, want) {
		t.Errorf("plain values:\n%s\nwant\n%s", got, want)
	}
	// The shared store's result type, as encoding/json names its fields.
	got, _ := MarshalJSON(WebSearchResult{Length: 2, Records: []Record{{"x": 1.0}}})
	if string(got) != `{"Length":2,"Records":[{"x":1.0}]}` {
		t.Errorf("WebSearchResult: %s", got)
	}
	if _, err := MarshalJSON([]any{math.NaN()}); err == nil {
		t.Error("NaN: no error")
	}
}
