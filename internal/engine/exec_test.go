package engine

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/odoogql/odoogql/odoo"
)

func TestSortByPos(t *testing.T) {
	// Reversed positions, and ids without a position (0), which keep
	// their order among themselves.
	const n = 10000
	ids := make([]int, 0, n+3)
	pos := map[int]int{}
	for i := range n {
		ids = append(ids, i+1)
		pos[i+1] = n - i
	}
	ids = append(ids, -3, -1, -2)
	sortByPos(ids, pos)
	if !slices.Equal(ids[:3], []int{-3, -1, -2}) {
		t.Errorf("ids without a position: %v, want their order kept", ids[:3])
	}
	for i, id := range ids[3:] {
		if id != n-i {
			t.Fatalf("ids[%d] = %d, want %d", i+3, id, n-i)
		}
	}
}

// TestSetScalarDates: Odoo's forms of dates and datetimes are served in the
// scalars' forms; a value in no known form is a badValueError, the field
// null.
func TestSetScalarDates(t *testing.T) {
	tests := []struct {
		typ, raw, want string // want "": a badValueError
	}{
		{"datetime", "2026-11-21 20:40:00", "2026-11-21T20:40:00Z"},
		{"datetime", "2026-11-21 20:40:00.123456", "2026-11-21T20:40:00Z"},
		{"datetime", "2026-11-21T20:40:00", "2026-11-21T20:40:00Z"},
		{"datetime", "2026-11-21T21:40:00+01:00", "2026-11-21T20:40:00Z"},
		{"datetime", "2026-11-21 20:40", "2026-11-21T20:40:00Z"},
		{"datetime", "2026-11-21", "2026-11-21T00:00:00Z"},
		{"datetime", "21/11/2026 20:40", ""},
		{"datetime", "soon", ""},
		{"date", "2026-11-21", "2026-11-21"},
		{"date", "2026-11-21 00:00:00", "2026-11-21"},
		{"date", "21.11.2026", ""},
	}
	for _, tt := range tests {
		var dst *string
		err := setScalar(reflect.ValueOf(&dst).Elem(), odoo.Field{Name: "d", Type: tt.typ}, tt.raw)
		var bad *badValueError
		switch {
		case tt.want == "" && (!errors.As(err, &bad) || dst != nil):
			t.Errorf("%s %q: got %v, %v; want a badValueError and null", tt.typ, tt.raw, dst, err)
		case tt.want != "" && (err != nil || dst == nil || *dst != tt.want):
			t.Errorf("%s %q: got %v, %v; want %s", tt.typ, tt.raw, dst, err, tt.want)
		}
	}
}
