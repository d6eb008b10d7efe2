package scalar

import (
	"bytes"
	"strings"
	"testing"
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
}
