package odoo

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Record is one record as decoded from an Odoo response: field name to
// value. Values keep Odoo's wire shapes, normalised for Go:
//
//   - integers are int (never int64), floats and monetary values float64;
//   - char, text, html, selection, date, datetime and binary (base64) values
//     are string; an empty value is usually false, sometimes "";
//   - a many2one read with read/search_read is []any{id, "display name"} or
//     false; with web_search_read/web_read it is a bare int id, or a nested
//     Record when the specification has sub-fields;
//   - one2many and many2many values are []any of int ids, or []any of Record
//     with a sub-specification;
//   - other nested structs are Record, other lists []any.
//
// Use the helpers in this file (IsEmpty, AsInt, AsString, Many2One, IDs,
// ParseDate, ParseDateTime ...) rather than type switches: they accept every
// shape Odoo 17, 18 and 19 send.
type Record map[string]any

// ID returns the record's "id" field, if it holds an integer.
func (r Record) ID() (int, bool) { return AsInt(r["id"]) }

// IsEmpty reports whether v is one of Odoo's "no value" shapes: false, "",
// or nil. Odoo sends false for an empty char, selection, many2one, date,
// datetime, binary, html or json field, and occasionally "" for computed
// text fields, so both must be treated as empty.
//
// IsEmpty(false) is true, which is wrong for boolean fields: for a field of
// type "boolean", false is a real value, so do not call IsEmpty on it.
// Empty lists are not empty values: an x2many with no records is an empty
// list, which is a valid value, not a missing one. Zero numbers are not
// empty either (Odoo sends 0 and 0.0 for integer and float fields).
func IsEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case string:
		return x == ""
	}
	return false
}

// AsInt returns v as an int. It accepts int, int64, int32, and a float64
// (or float32) holding a whole number within int range; anything else,
// including false and nil, gives 0, false.
func AsInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	case int32:
		return int(x), true
	case float64:
		return floatToInt(x)
	case float32:
		return floatToInt(float64(x))
	}
	return 0, false
}

func floatToInt(f float64) (int, bool) {
	if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 || math.IsNaN(f) {
		return 0, false
	}
	return int(f), true
}

// AsFloat returns v as a float64. It accepts float64, float32 and the
// integer types; anything else, including false and nil, gives 0, false.
func AsFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	}
	return 0, false
}

// AsString returns v as a string. A string gives itself and true, even
// when it is empty; false, nil and every other type give "", false.
func AsString(v any) (string, bool) {
	if s, ok := v.(string); ok {
		return s, true
	}
	return "", false
}

// AsBool returns v as a bool. Only a real boolean gives ok; note that for
// non-boolean fields false means "empty", see IsEmpty.
func AsBool(v any) (value, ok bool) {
	b, ok := v.(bool)
	return b, ok
}

// Many2One decodes a many2one value in any of the shapes Odoo sends:
//
//   - []any{id, "display name"} from read and search_read (a one-element
//     list gives the id with an empty name);
//   - a bare int id from web_search_read/web_read without a sub-specification;
//   - a nested Record (or map[string]any) with an "id" key from a
//     sub-specification; the name is its "display_name", else its "name".
//
// false, nil and any other shape give ok == false.
func Many2One(v any) (id int, name string, ok bool) {
	switch x := v.(type) {
	case []any:
		if len(x) == 0 || len(x) > 2 {
			return 0, "", false
		}
		id, ok = AsInt(x[0])
		if !ok {
			return 0, "", false
		}
		if len(x) == 2 {
			name, _ = AsString(x[1])
		}
		return id, name, true
	case Record:
		return many2oneMap(x)
	case map[string]any:
		return many2oneMap(x)
	}
	id, ok = AsInt(v)
	return id, "", ok
}

func many2oneMap(m map[string]any) (int, string, bool) {
	id, ok := AsInt(m["id"])
	if !ok {
		return 0, "", false
	}
	name, found := AsString(m["display_name"])
	if !found {
		name, _ = AsString(m["name"])
	}
	return id, name, true
}

// IDs decodes an x2many value into record ids. It accepts []any of ints
// (read/search_read), []any of Records or maps with an "id" key
// (web_search_read/web_read with a sub-specification), and []int. Elements
// that carry no integer id are skipped. false and nil give nil; an empty
// list gives an empty, non-nil slice.
func IDs(v any) []int {
	switch x := v.(type) {
	case []int:
		out := make([]int, len(x))
		copy(out, x)
		return out
	case []any:
		out := make([]int, 0, len(x))
		for _, e := range x {
			switch r := e.(type) {
			case Record:
				if id, ok := AsInt(r["id"]); ok {
					out = append(out, id)
				}
			case map[string]any:
				if id, ok := AsInt(r["id"]); ok {
					out = append(out, id)
				}
			default:
				if id, ok := AsInt(e); ok {
					out = append(out, id)
				}
			}
		}
		return out
	case []Record:
		out := make([]int, 0, len(x))
		for _, r := range x {
			if id, ok := r.ID(); ok {
				out = append(out, id)
			}
		}
		return out
	}
	return nil
}

// Odoo's wire layouts for dates and datetimes (datetimes are UTC, without a
// zone suffix).
const (
	DateLayout     = "2006-01-02"
	DateTimeLayout = "2006-01-02 15:04:05"
)

// ParseDate parses an Odoo date ("2024-07-09"). A datetime string is
// accepted too and truncated to its date. The result is midnight UTC.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) > len(DateLayout) && (s[len(DateLayout)] == ' ' || s[len(DateLayout)] == 'T') {
		s = s[:len(DateLayout)]
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("odoo: invalid date %q: want YYYY-MM-DD", s)
	}
	return t, nil
}

var dateTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	DateLayout,
}

// ParseDateTime parses an Odoo datetime. Odoo sends "2024-07-09 13:45:00"
// in UTC; the "T" separator, fractional seconds, a zone suffix ("Z",
// "+02:00", converted to UTC), minute precision and a bare date (midnight)
// are accepted as well. The result is always in UTC.
func ParseDateTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range dateTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("odoo: invalid datetime %q: want YYYY-MM-DD HH:MM:SS (UTC)", s)
}

// FormatDate writes t's calendar date (in t's own location) in Odoo's
// date form, "2006-01-02".
func FormatDate(t time.Time) string { return t.Format(DateLayout) }

// FormatDateTime writes t converted to UTC in Odoo's datetime form,
// "2006-01-02 15:04:05" (no zone suffix; sub-second precision is dropped).
func FormatDateTime(t time.Time) string { return t.UTC().Format(DateTimeLayout) }
