package odoo

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/kolo/xmlrpc"
)

// encodeCall serialises an XML-RPC methodCall with kolo's encoder, after
// converting the parameters to shapes Odoo understands (see wireValue).
func encodeCall(method string, params ...any) ([]byte, error) {
	wire := make([]any, len(params))
	for i, p := range params {
		w, err := wireValue(p)
		if err != nil {
			return nil, err
		}
		wire[i] = w
	}
	return xmlrpc.EncodeMethodCall(method, wire...)
}

// wireValue converts a Go value into one kolo encodes the way Odoo expects:
//
//   - nil (and nil pointers) become false, Odoo's empty value (kolo would
//     write <value/>, which Python reads as "");
//   - time.Time becomes an Odoo UTC datetime string (FormatDateTime);
//   - []byte becomes a base64 string, as Odoo binary fields expect;
//   - Spec/SpecField become specification structs;
//   - map keys are XML-escaped (kolo writes them verbatim);
//   - slices and string-keyed maps of any element type are converted
//     recursively.
func wireValue(v any) (any, error) { return wireFormat{}.value(v) }

// wireMap is wireValue of a map.
func wireMap(m map[string]any) (map[string]any, error) { return wireFormat{}.object(m) }

// wireFormat is what the transports' request values differ in: for
// XML-RPC (the zero value) nil is false and map keys are XML-escaped; for
// JSON-2 (json) nil stays null, keys stay as they are, and unsigned
// integers and json.Number pass as they are (encoding/json and AppendJSON
// write them). The rest (times, bytes, specifications, slices and maps of
// any type) is converted alike.
type wireFormat struct{ json bool }

func (w wireFormat) name() string {
	if w.json {
		return "JSON-2"
	}
	return "XML-RPC"
}

func (w wireFormat) value(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		if w.json {
			return nil, nil
		}
		return false, nil
	case bool, string, int, int64, int32, int16, int8, float64, float32, uint8, uint16, uint32:
		return x, nil
	case uint:
		if w.json {
			return x, nil
		}
		if uint64(x) > 1<<63-1 {
			return nil, fmt.Errorf("odoo: integer %d out of range", x)
		}
		return int64(x), nil
	case uint64:
		if w.json {
			return x, nil
		}
		if x > 1<<63-1 {
			return nil, fmt.Errorf("odoo: integer %d out of range", x)
		}
		return int64(x), nil
	case json.Number:
		if w.json {
			return x, nil
		}
		return string(x), nil // as reflection below would
	case time.Time:
		return FormatDateTime(x), nil
	case []byte:
		return base64.StdEncoding.EncodeToString(x), nil
	case []int:
		return x, nil
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := w.value(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case map[string]any:
		return w.object(x)
	case Record:
		return w.object(x)
	case Spec:
		return w.object(x.wire())
	case SpecField:
		return w.object(x.wire())
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return w.value(nil)
		}
		return w.value(rv.Elem().Interface())
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			c, err := w.value(rv.Index(i).Interface())
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("odoo: cannot send %T: map keys must be strings", v)
		}
		out := make(map[string]any, rv.Len())
		it := rv.MapRange()
		for it.Next() {
			c, err := w.value(it.Value().Interface())
			if err != nil {
				return nil, err
			}
			out[w.key(it.Key().String())] = c
		}
		return out, nil
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.String:
		return rv.String(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	}
	return nil, fmt.Errorf("odoo: cannot send a value of type %T over %s", v, w.name())
}

func (w wireFormat) object(m map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(m))
	for k, e := range m {
		c, err := w.value(e)
		if err != nil {
			return nil, err
		}
		out[w.key(k)] = c
	}
	return out, nil
}

func (w wireFormat) key(k string) string {
	if w.json {
		return k
	}
	return escapeKey(k)
}

// escapeKey XML-escapes a struct member name (kolo does not).
func escapeKey(k string) string {
	if !strings.ContainsAny(k, "&<>\"'\r\n\t") {
		return k
	}
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(k))
	return b.String()
}

// Fixes for kolo's decoder, which turns <string></string> into nil instead
// of "" and mis-parses an empty <value></value> inside arrays and structs
// (it consumes the closing tag twice). An empty CDATA section makes it read
// an empty string. Python's marshaller never writes CDATA, so the rewrite
// is skipped when the body has any (it could otherwise alter text).
var emptyStringFixes = []struct{ old, new []byte }{
	{[]byte("<string></string>"), []byte("<string><![CDATA[]]></string>")},
	{[]byte("<string/>"), []byte("<string><![CDATA[]]></string>")},
	{[]byte("<value></value>"), []byte("<value><string><![CDATA[]]></string></value>")},
	{[]byte("<value/>"), []byte("<value><string><![CDATA[]]></string></value>")},
}

var cdataStart = []byte("<![CDATA[")

func fixEmptyStrings(body []byte) []byte {
	copied := false
	for _, f := range emptyStringFixes {
		if !bytes.Contains(body, f.old) {
			continue
		}
		if !copied && bytes.Contains(body, cdataStart) {
			return body
		}
		body = bytes.ReplaceAll(body, f.old, f.new)
		copied = true
	}
	return body
}

// tagUntypedStrings wraps the text of every untyped <value>text</value>
// in <string> tags. Text cannot contain '<' (it is escaped), so an untyped
// value ends at the next '<'.
func tagUntypedStrings(body []byte) []byte {
	open := []byte("<value>")
	var out bytes.Buffer
	out.Grow(len(body) + len(body)/16)
	rest := body
	for {
		i := bytes.Index(rest, open)
		if i < 0 {
			out.Write(rest)
			return out.Bytes()
		}
		i += len(open)
		out.Write(rest[:i])
		rest = rest[i:]
		j := 0
		for j < len(rest) && (rest[j] == ' ' || rest[j] == '\t' || rest[j] == '\r' || rest[j] == '\n') {
			j++
		}
		if j == len(rest) || rest[j] == '<' {
			continue
		}
		k := bytes.IndexByte(rest, '<')
		if k < 0 {
			out.Write(rest)
			return out.Bytes()
		}
		out.WriteString("<string>")
		out.Write(rest[:k])
		out.WriteString("</string>")
		rest = rest[k:]
	}
}

// rawFault is a decoded <fault> struct.
type rawFault struct {
	code   any
	string string
}

// decodeResponse decodes an XML-RPC methodResponse body with kolo's
// decoder: either the normalised result value, or the fault.
func decodeResponse(body []byte) (any, *rawFault, error) {
	isFault, err := sniffResponse(body)
	if err != nil {
		return nil, nil, err
	}
	if err := checkDepth(body, MaxNesting); err != nil {
		return nil, nil, err
	}
	body = fixEmptyStrings(body)
	var v any
	err = xmlrpc.Response(body).Unmarshal(&v)
	var mismatch xmlrpc.TypeMismatchError
	if errors.As(err, &mismatch) {
		// kolo cannot decode an untyped <value>text</value> into an
		// interface. Python never sends one; other servers might. Retry
		// with explicit <string> tags (costs nothing on the normal path).
		v = nil
		err = xmlrpc.Response(tagUntypedStrings(body)).Unmarshal(&v)
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("no value in methodResponse")
		}
		return nil, nil, err
	}
	if isFault {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, nil, fmt.Errorf("fault is a %T, not a struct", v)
		}
		s, _ := m["faultString"].(string)
		return nil, &rawFault{code: m["faultCode"], string: s}, nil
	}
	return normalize(v), nil, nil
}

// sniffResponse checks that body is a methodResponse and reports whether
// it holds a fault, reading only its first few tokens.
func sniffResponse(body []byte) (fault bool, err error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	root := false
	for {
		tok, err := dec.RawToken()
		if err != nil {
			if err == io.EOF {
				err = errors.New("empty or truncated body")
			}
			return false, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case !root && se.Name.Local == "methodResponse":
			root = true
		case !root:
			return false, fmt.Errorf("root element is <%s>, not <methodResponse>", se.Name.Local)
		case se.Name.Local == "fault":
			return true, nil
		case se.Name.Local == "params":
			return false, nil
		default:
			return false, fmt.Errorf("unexpected <%s> in methodResponse", se.Name.Local)
		}
	}
}

// normalize converts kolo's decoded values in place: int64 to int, every
// struct (map[string]any) to Record (an empty struct to an empty, non-nil
// Record). Lists stay []any.
func normalize(v any) any {
	switch x := v.(type) {
	case int64:
		return int(x)
	case map[string]any:
		if x == nil {
			// kolo decodes an empty <struct></struct> as a nil map.
			return Record{}
		}
		for k, e := range x {
			switch e.(type) {
			case int64, map[string]any, []any:
				x[k] = normalize(e)
			}
		}
		return Record(x)
	case []any:
		for i, e := range x {
			switch e.(type) {
			case int64, map[string]any, []any:
				x[i] = normalize(e)
			}
		}
		return x
	}
	return v
}

// Shape conversions of decoded results. They return ErrMalformedResponse
// errors, which callers wrap in a *TransportError.

func asRecords(v any) ([]Record, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, shapeError("a list of records", v)
	}
	out := make([]Record, len(list))
	for i, e := range list {
		r, ok := e.(Record)
		if !ok {
			return nil, shapeError("a record", e)
		}
		out[i] = r
	}
	return out, nil
}

func asIntList(v any) ([]int, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, shapeError("a list of ids", v)
	}
	out := make([]int, len(list))
	for i, e := range list {
		n, ok := AsInt(e)
		if !ok {
			return nil, shapeError("an integer id", e)
		}
		out[i] = n
	}
	return out, nil
}

func shapeError(want string, got any) error {
	return fmt.Errorf("%w: want %s, got %s", ErrMalformedResponse, want, describe(got))
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case bool:
		return fmt.Sprintf("boolean %t", x)
	case int:
		return fmt.Sprintf("integer %d", x)
	case string:
		if len(x) > 40 {
			x = x[:40] + "..."
		}
		return fmt.Sprintf("string %q", x)
	}
	return fmt.Sprintf("%T", v)
}

// MaxNesting is the deepest nesting of arrays and structs a response may
// have. Odoo's deepest answers (nested web_search_read specifications) stay
// far below it; a hostile body nested millions deep would otherwise exhaust
// the decoder's stack, which no recover can catch.
const MaxNesting = 256

// checkDepth rejects a body whose <array>/<struct> nesting exceeds max,
// with a byte scan that costs far less than decoding.
func checkDepth(body []byte, max int) error {
	depth := 0
	for i := 0; i < len(body); i++ {
		if body[i] != '<' {
			continue
		}
		rest := body[i+1:]
		switch {
		case bytes.HasPrefix(rest, []byte("array>")), bytes.HasPrefix(rest, []byte("struct>")):
			depth++
			if depth > max {
				return fmt.Errorf("response nests arrays and structs more than %d deep", max)
			}
		case bytes.HasPrefix(rest, []byte("/array>")), bytes.HasPrefix(rest, []byte("/struct>")):
			depth--
		}
	}
	return nil
}
