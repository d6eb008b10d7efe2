package odoo

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
)

// JSON numbers and Odoo's values.
//
// Odoo tells integers from floats (<int> and <double> on the XML-RPC wire),
// and so does the client: an integer field's value is an int, a float or
// monetary field's a float64, inside json fields too. JSON itself keeps the
// difference only in how a number is written, so the helpers below write and
// read it that way, in one place:
//
//   - AppendJSON writes every float with a fraction (100.0, never 100) and
//     never in exponent notation (0.0000001, never 1e-07), ints as integers;
//   - NormalizeJSON reads a number written as an integer back as an int and
//     any other (a fraction or an exponent) as a float64.
//
// So AppendJSON then NormalizeJSON gives back the values it was given, with
// their Go types: an int stays an int and a whole float a float64.

// AppendFloat appends f in plain decimal notation: the shortest digits that
// parse back to f, never an exponent, always with a fraction (1.0, 0.1,
// 0.0000001, 1000000000000000000000.0). Zero is 0.0 whatever its sign: a
// negative zero (what rounding -0.001 to cents gives) is not shown as -0.
// NaN and the infinities have no JSON form: they are an error.
func AppendFloat(dst []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return dst, fmt.Errorf("odoo: %v has no JSON form", f)
	}
	if f == 0 {
		return append(dst, "0.0"...), nil
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'f', -1, 64)
	if slices.Index(dst[start:], '.') < 0 {
		dst = append(dst, ".0"...)
	}
	return dst, nil
}

// JSONNumber returns a JSON number as the Go value Odoo's client would have
// decoded: an int when it is written as an integer within int range, else a
// float64 (a fraction or an exponent makes it a float, so 1.0 and 1e3 are
// floats).
func JSONNumber(n json.Number) (any, error) {
	if i, err := strconv.ParseInt(string(n), 10, 0); err == nil {
		return int(i), nil
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return nil, fmt.Errorf("odoo: %q is not a JSON number", string(n))
	}
	return f, nil
}

// JSONOptions adapt NormalizeJSON to where its value comes from.
type JSONOptions struct {
	// WholeFloatsAsInts turns a float64 holding a whole number below 2^53
	// into an int: GraphQL literals and variables decoded without UseNumber
	// give float64 where a client wrote an id.
	WholeFloatsAsInts bool
	// NullAsFalse turns null into false, Odoo's "no value".
	NullAsFalse bool
	// Records makes objects Records (as Odoo's client decodes structs);
	// without it they are map[string]any.
	Records bool
}

// NormalizeJSON converts a value decoded from JSON (with UseNumber, or a
// GraphQL literal) to the shapes of Odoo's client: json.Number as JSONNumber
// decides, int64 to int, lists and objects recursively, into new ones. Other
// values are returned as they are.
func NormalizeJSON(v any, opt JSONOptions) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := JSONNumber(x); err == nil {
			return n
		}
		return x
	case float64:
		if opt.WholeFloatsAsInts && x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int(x)
		}
		return x
	case int64:
		return int(x)
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = NormalizeJSON(item, opt)
		}
		return out
	case map[string]any:
		return normalizeObject(x, opt)
	case Record:
		return normalizeObject(x, opt)
	case nil:
		if opt.NullAsFalse {
			return false
		}
	}
	return v
}

func normalizeObject[M ~map[string]any](m M, opt JSONOptions) any {
	out := make(map[string]any, len(m))
	for k, item := range m {
		out[k] = NormalizeJSON(item, opt)
	}
	if opt.Records {
		return Record(out)
	}
	return out
}

// AppendJSON appends v as JSON, keeping the difference between ints and
// floats (see AppendFloat): what NormalizeJSON reads back has the types v
// had. It writes the shapes of Odoo's values (nil, bool, string, the integer
// and float types, json.Number, Record and other maps with string keys,
// slices); strings are escaped as encoding/json escapes them and object keys
// sorted. Any other type is written by encoding/json. NaN and the infinities
// are an error.
func AppendJSON(dst []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case bool:
		return strconv.AppendBool(dst, x), nil
	case string:
		return appendJSONString(dst, x)
	case int:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(dst, x, 10), nil
	case int32:
		return strconv.AppendInt(dst, int64(x), 10), nil
	case float64:
		return AppendFloat(dst, x)
	case float32:
		// The shortest decimal of the float32, not of its float64 widening
		// (0.1, not 0.10000000149011612).
		f, _ := strconv.ParseFloat(strconv.FormatFloat(float64(x), 'g', -1, 32), 64)
		return AppendFloat(dst, f)
	case json.Number:
		n, err := JSONNumber(x)
		if err != nil {
			return dst, err
		}
		return AppendJSON(dst, n)
	case Record:
		return appendJSONObject(dst, x)
	case map[string]any:
		return appendJSONObject(dst, x)
	case []any:
		return appendJSONList(dst, x)
	case []Record:
		return appendJSONList(dst, x)
	case []int:
		return appendJSONList(dst, x)
	case WebSearchResult:
		// As encoding/json writes the struct, with the records' floats kept.
		return appendJSONObject(dst, map[string]any{"Length": x.Length, "Records": x.Records})
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return append(dst, "null"...), nil
		}
		if rv.Type().Elem().Kind() != reflect.Uint8 { // []byte is base64 for encoding/json
			items := make([]any, rv.Len())
			for i := range items {
				items[i] = rv.Index(i).Interface()
			}
			return appendJSONList(dst, items)
		}
	case reflect.Map:
		if rv.Type().Key().Kind() == reflect.String {
			if rv.IsNil() {
				return append(dst, "null"...), nil
			}
			m := make(map[string]any, rv.Len())
			for it := rv.MapRange(); it.Next(); {
				m[it.Key().String()] = it.Value().Interface()
			}
			return appendJSONObject(dst, m)
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return dst, err
	}
	return append(dst, b...), nil
}

// MarshalJSON is AppendJSON into a new slice.
func MarshalJSON(v any) ([]byte, error) { return AppendJSON(nil, v) }

func appendJSONString(dst []byte, s string) ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return dst, err
	}
	return append(dst, b...), nil
}

func appendJSONObject[M ~map[string]any](dst []byte, m M) ([]byte, error) {
	if m == nil {
		return append(dst, "null"...), nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	var err error
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = appendJSONString(dst, k); err != nil {
			return dst, err
		}
		dst = append(dst, ':')
		if dst, err = AppendJSON(dst, m[k]); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

func appendJSONList[T any](dst []byte, list []T) ([]byte, error) {
	if list == nil {
		return append(dst, "null"...), nil
	}
	dst = append(dst, '[')
	var err error
	for i, item := range list {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = AppendJSON(dst, item); err != nil {
			return dst, err
		}
	}
	return append(dst, ']'), nil
}
