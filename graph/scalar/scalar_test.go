package scalar

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

func TestDate(t *testing.T) {
	for _, tt := range []struct {
		in      any
		want    string
		wantErr string
	}{
		{"2026-11-21", "2026-11-21", ""},
		{"2026-02-30", "", "Date must be YYYY-MM-DD"},
		{"21/11/2026", "", "Date must be YYYY-MM-DD"},
		{20261121, "", "Date must be a string"},
	} {
		got, err := UnmarshalDate(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%v: err %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%v: %q, %v", tt.in, got, err)
		}
	}
	var b bytes.Buffer
	MarshalDate("2026-11-21").MarshalGQL(&b)
	if b.String() != `"2026-11-21"` {
		t.Errorf("marshal: %s", b.String())
	}
}

func TestDateTime(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"2026-11-21T20:40:00Z", "2026-11-21T20:40:00Z", true},
		{"2026-11-21T22:40:00+02:00", "2026-11-21T20:40:00Z", true}, // converted to UTC
		{"2026-11-21 20:40:00", "", false},
		{"yesterday", "", false},
	} {
		got, err := UnmarshalDateTime(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("%s: %q, %v", tt.in, got, err)
		}
	}
}

func TestJSON(t *testing.T) {
	var b bytes.Buffer
	MarshalJSON(map[string]any{"a": []any{1, "x", nil}}).MarshalGQL(&b)
	if b.String() != `{"a":[1,"x",null]}` {
		t.Errorf("marshal: %s", b.String())
	}
	b.Reset()
	MarshalJSON(func() {}).MarshalGQL(&b) // not encodable: null, not a broken response
	if b.String() != "null" {
		t.Errorf("unencodable: %s", b.String())
	}
	v, err := UnmarshalJSON([]any{"|", []any{"a", "=", 1}})
	if err != nil || len(v.([]any)) != 2 {
		t.Errorf("unmarshal: %v %v", v, err)
	}
	// Variables come as json.Number, literals as int64 and float64: all
	// become the numbers Odoo's client sends, a written fraction a float.
	v, err = UnmarshalJSON(map[string]any{"12": json.Number("100.0"), "13": json.Number("50"), "l": []any{int64(7), 2.5}})
	if want := (map[string]any{"12": 100.0, "13": 50, "l": []any{7, 2.5}}); err != nil || !reflect.DeepEqual(v, want) {
		t.Errorf("unmarshal numbers: %#v, %v; want %#v", v, err, want)
	}
}

// exponent matches a number in exponent notation.
var exponent = regexp.MustCompile(`[0-9][eE][-+]?[0-9]`)

// TestFloat: never an exponent (gqlgen's %g printed 1.234567e+06), the
// shortest digits that parse back to the same float64, a fraction always.
func TestFloat(t *testing.T) {
	for _, tt := range []struct {
		f    float64
		want string
	}{
		{0.1, "0.1"},
		{1e-7, "0.0000001"},
		{1234567, "1234567.0"},
		{1234567.89, "1234567.89"},
		{12345678901.5, "12345678901.5"},
		{math.Copysign(0, -1), "0.0"}, // documented: a negative zero is 0.0
		{100, "100.0"},
		{1e21, "1000000000000000000000.0"},
		{math.MaxFloat64, "179769313486231570" + strings.Repeat("0", 291) + ".0"},
		{-math.MaxFloat64, "-179769313486231570" + strings.Repeat("0", 291) + ".0"},
		{math.SmallestNonzeroFloat64, "0." + strings.Repeat("0", 323) + "5"},
	} {
		var b bytes.Buffer
		if err := MarshalFloat(tt.f).MarshalGQLContext(context.Background(), &b); err != nil || b.String() != tt.want {
			t.Errorf("%v: %s, %v; want %s", tt.f, b.String(), err, tt.want)
		}
		if exponent.MatchString(b.String()) {
			t.Errorf("%v: exponent in %s", tt.f, b.String())
		}
		var back float64
		if err := json.Unmarshal(b.Bytes(), &back); err != nil || back != tt.f {
			t.Errorf("%v: %s reads back as %v, %v", tt.f, b.String(), back, err)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if err := MarshalFloat(f).MarshalGQLContext(context.Background(), io.Discard); err == nil {
			t.Errorf("%v: no error", f)
		}
	}
	// Input coercion is gqlgen's, value for value.
	for _, in := range []any{1.5, 2, int64(3), json.Number("4.25"), json.Number("1e3"), "5.5", nil, true, "x", []any{1}} {
		got, err := UnmarshalFloat(context.Background(), in)
		want, wantErr := graphql.UnmarshalFloatContext(context.Background(), in)
		if got != want || (err == nil) != (wantErr == nil) {
			t.Errorf("%#v: %v, %v; gqlgen: %v, %v", in, got, err, want, wantErr)
		}
	}
}

// TestJSONFloats: floats inside JSON values are printed as Float prints them,
// ints as integers, so a whole float stays a float for the client.
func TestJSONFloats(t *testing.T) {
	var b bytes.Buffer
	MarshalJSON(map[string]any{"12": 100.0, "13": 50, "tiny": 1e-7, "big": 1e21, "l": []any{0.1, 1234567.89}}).MarshalGQL(&b)
	want := `{"12":100.0,"13":50,"big":1000000000000000000000.0,"l":[0.1,1234567.89],"tiny":0.0000001}`
	if b.String() != want {
		t.Errorf("marshal: %s\nwant %s", b.String(), want)
	}
}
