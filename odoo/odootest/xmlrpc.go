package odootest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// member is one member of an XML-RPC struct. Structs keep their member order
// (Python dicts do), which matters both for requests (a web_read
// specification is read in order) and for byte-exact responses.
type member struct {
	Name  string
	Value any
}

// ostruct is an ordered XML-RPC struct.
type ostruct []member

func (s ostruct) get(name string) (any, bool) {
	for _, m := range s {
		if m.Name == name {
			return m.Value, true
		}
	}
	return nil, false
}

func (s ostruct) has(name string) bool {
	_, ok := s.get(name)
	return ok
}

// set replaces the value of name, or appends it.
func (s *ostruct) set(name string, v any) {
	for i := range *s {
		if (*s)[i].Name == name {
			(*s)[i].Value = v
			return
		}
	}
	*s = append(*s, member{name, v})
}

// without returns a copy of s without the member name.
func (s ostruct) without(name string) ostruct {
	out := make(ostruct, 0, len(s))
	for _, m := range s {
		if m.Name != name {
			out = append(out, m)
		}
	}
	return out
}

// marshalError is what Python's xmlrpc.client.Marshaller raises.
type marshalError struct {
	kind string // "None" or "Overflow"
}

func (e *marshalError) Error() string {
	if e.kind == "None" {
		return "cannot marshal None unless allow_none is enabled"
	}
	return "int exceeds XML-RPC limits"
}

// responseStyle selects the envelope of the Odoo version being mimicked:
// Odoo 18 and later write their own envelope (double-quoted declaration and a
// blank line before the closing tag); 17 and earlier use Python's dumps.
type responseStyle int

const (
	styleOdoo18 responseStyle = iota
	stylePython
)

func (st responseStyle) head() string {
	if st == stylePython {
		return "<?xml version='1.0'?>\n<methodResponse>\n"
	}
	return "<?xml version=\"1.0\"?>\n<methodResponse>\n"
}

func (st responseStyle) tail() string {
	if st == stylePython {
		return "</methodResponse>\n"
	}
	return "\n</methodResponse>\n"
}

// encodeResponse writes a methodResponse carrying v, formatted exactly like
// Python's xmlrpc.client.Marshaller.
func encodeResponse(v any, st responseStyle) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(256)
	b.WriteString(st.head())
	b.WriteString("<params>\n<param>\n")
	if err := marshalValue(&b, v); err != nil {
		return nil, err
	}
	b.WriteString("</param>\n</params>\n")
	b.WriteString(st.tail())
	return b.Bytes(), nil
}

// encodeFault writes a methodResponse fault. code is an int on /xmlrpc/2 and
// a string on the legacy endpoint.
func encodeFault(code any, msg string, st responseStyle) []byte {
	var b bytes.Buffer
	b.WriteString(st.head())
	b.WriteString("<fault>\n")
	_ = marshalValue(&b, ostruct{{"faultCode", code}, {"faultString", msg}})
	b.WriteString("</fault>\n")
	b.WriteString(st.tail())
	return b.Bytes()
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func writeEscaped(b *bytes.Buffer, s string) {
	if !strings.ContainsAny(s, "&<>") {
		b.WriteString(s)
		return
	}
	xmlEscaper.WriteString(b, s)
}

func marshalInt(b *bytes.Buffer, i int64) error {
	if i > math.MaxInt32 || i < math.MinInt32 {
		return &marshalError{kind: "Overflow"}
	}
	b.WriteString("<value><int>")
	b.WriteString(strconv.FormatInt(i, 10))
	b.WriteString("</int></value>\n")
	return nil
}

func marshalValue(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case nil:
		return &marshalError{kind: "None"}
	case bool:
		if x {
			b.WriteString("<value><boolean>1</boolean></value>\n")
		} else {
			b.WriteString("<value><boolean>0</boolean></value>\n")
		}
	case int:
		return marshalInt(b, int64(x))
	case int64:
		return marshalInt(b, x)
	case int32:
		return marshalInt(b, int64(x))
	case float64:
		b.WriteString("<value><double>")
		b.WriteString(pyFloatRepr(x))
		b.WriteString("</double></value>\n")
	case string:
		b.WriteString("<value><string>")
		writeEscaped(b, x)
		b.WriteString("</string></value>\n")
	case []any:
		b.WriteString("<value><array><data>\n")
		for _, e := range x {
			if err := marshalValue(b, e); err != nil {
				return err
			}
		}
		b.WriteString("</data></array></value>\n")
	case []int:
		b.WriteString("<value><array><data>\n")
		for _, e := range x {
			if err := marshalInt(b, int64(e)); err != nil {
				return err
			}
		}
		b.WriteString("</data></array></value>\n")
	case []string:
		b.WriteString("<value><array><data>\n")
		for _, e := range x {
			_ = marshalValue(b, e)
		}
		b.WriteString("</data></array></value>\n")
	case []ostruct:
		b.WriteString("<value><array><data>\n")
		for _, e := range x {
			if err := marshalValue(b, e); err != nil {
				return err
			}
		}
		b.WriteString("</data></array></value>\n")
	case ostruct:
		b.WriteString("<value><struct>\n")
		for _, m := range x {
			b.WriteString("<member>\n<name>")
			writeEscaped(b, m.Name)
			b.WriteString("</name>\n")
			if err := marshalValue(b, m.Value); err != nil {
				return err
			}
			b.WriteString("</member>\n")
		}
		b.WriteString("</struct></value>\n")
	case map[string]any:
		return marshalValue(b, sortedStruct(x))
	default:
		return fmt.Errorf("odootest: cannot marshal %T", v)
	}
	return nil
}

// pyFloatRepr formats f like Python's repr(float): the shortest string that
// round-trips, always with a decimal point or an exponent, switching to
// scientific notation below 1e-4 and from 1e16.
func pyFloatRepr(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	epos := strings.IndexByte(s, 'e')
	mant, expStr := s[:epos], s[epos+1:]
	exp, _ := strconv.Atoi(expStr)
	digits := strings.Replace(mant, ".", "", 1)
	if exp < -4 || exp >= 16 {
		m := digits[:1]
		if len(digits) > 1 {
			m += "." + digits[1:]
		}
		es := "+"
		if exp < 0 {
			es, exp = "-", -exp
		}
		return fmt.Sprintf("%s%se%s%02d", sign, m, es, exp)
	}
	if exp < 0 {
		return sign + "0." + strings.Repeat("0", -exp-1) + digits
	}
	if len(digits) <= exp+1 {
		return sign + digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
	}
	return sign + digits[:exp+1] + "." + digits[exp+1:]
}

// methodCall is a decoded XML-RPC request.
type methodCall struct {
	Method string
	Params []any
}

// parseError is a request body that is not a valid methodCall.
type parseError struct{ msg string }

func (e *parseError) Error() string { return e.msg }

// decodeMethodCall parses an XML-RPC methodCall. Values decode to: int, bool,
// string, float64, nil, []any and ostruct. base64 values stay as their
// base64 text and dateTime.iso8601 values become Odoo's
// "YYYY-MM-DD HH:MM:SS" strings.
func decodeMethodCall(body []byte) (*methodCall, error) {
	if bytes.Count(body, []byte("<?xml")) > 1 {
		return nil, &parseError{"XML or text declaration not at start of entity"}
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	mc := &methodCall{}
	root, err := nextStart(d)
	if err != nil {
		return nil, err
	}
	if root.Name.Local != "methodCall" {
		return nil, &parseError{"unknown root element " + root.Name.Local}
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, &parseError{err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "methodName":
				s, err := readText(d)
				if err != nil {
					return nil, err
				}
				mc.Method = strings.TrimSpace(s)
			case "params":
				ps, err := readParams(d)
				if err != nil {
					return nil, err
				}
				mc.Params = ps
			default:
				return nil, &parseError{"unknown tag " + t.Name.Local}
			}
		case xml.EndElement:
			if mc.Method == "" {
				return nil, &parseError{"missing methodName"}
			}
			return mc, nil
		}
	}
}

// decodeMethodResponse parses a methodResponse (used by the tests to decode
// captured responses). It returns the value, or the fault struct with
// fault set.
func decodeMethodResponse(body []byte) (v any, fault bool, err error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	root, err := nextStart(d)
	if err != nil {
		return nil, false, err
	}
	if root.Name.Local != "methodResponse" {
		return nil, false, &parseError{"not a methodResponse"}
	}
	el, err := nextStart(d)
	if err != nil {
		return nil, false, err
	}
	switch el.Name.Local {
	case "params":
		ps, err := readParams(d)
		if err != nil {
			return nil, false, err
		}
		if len(ps) != 1 {
			return nil, false, &parseError{"want one param"}
		}
		return ps[0], false, nil
	case "fault":
		vs, err := nextStart(d)
		if err != nil {
			return nil, false, err
		}
		if vs.Name.Local != "value" {
			return nil, false, &parseError{"fault without value"}
		}
		v, err := readValue(d)
		return v, true, err
	}
	return nil, false, &parseError{"unexpected " + el.Name.Local}
}

func nextStart(d *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return xml.StartElement{}, &parseError{"no element found"}
			}
			return xml.StartElement{}, &parseError{err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.EndElement:
			return xml.StartElement{}, &parseError{"unexpected end tag " + t.Name.Local}
		}
	}
}

// readText reads character data up to the end of the current element.
func readText(d *xml.Decoder) (string, error) {
	var sb strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return "", &parseError{err.Error()}
		}
		switch t := tok.(type) {
		case xml.CharData:
			sb.Write(t)
		case xml.EndElement:
			return sb.String(), nil
		case xml.StartElement:
			return "", &parseError{"unexpected tag " + t.Name.Local}
		}
	}
}

func readParams(d *xml.Decoder) ([]any, error) {
	params := []any{}
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, &parseError{err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "param" {
				return nil, &parseError{"unknown tag " + t.Name.Local}
			}
			vs, err := nextStart(d)
			if err != nil {
				return nil, err
			}
			if vs.Name.Local != "value" {
				return nil, &parseError{"unknown tag " + vs.Name.Local}
			}
			v, err := readValue(d)
			if err != nil {
				return nil, err
			}
			params = append(params, v)
			if err := skipToEnd(d); err != nil { // </param>
				return nil, err
			}
		case xml.EndElement:
			return params, nil
		}
	}
}

func skipToEnd(d *xml.Decoder) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return &parseError{err.Error()}
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			return &parseError{"unexpected tag " + t.Name.Local}
		}
	}
}

// readValue reads the content of a <value> element whose start tag has been
// consumed, through its end tag.
func readValue(d *xml.Decoder) (any, error) {
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, &parseError{err.Error()}
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.EndElement: // </value> with untyped content: a string
			return text.String(), nil
		case xml.StartElement:
			v, err := readTyped(d, t.Name.Local)
			if err != nil {
				return nil, err
			}
			if err := skipToEnd(d); err != nil { // </value>
				return nil, err
			}
			return v, nil
		}
	}
}

func readTyped(d *xml.Decoder, typ string) (any, error) {
	switch typ {
	case "int", "i4", "i8", "i2", "i1":
		s, err := readText(d)
		if err != nil {
			return nil, err
		}
		i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, &parseError{fmt.Sprintf("invalid literal for int() with base 10: %q", s)}
		}
		return int(i), nil
	case "boolean":
		s, err := readText(d)
		if err != nil {
			return nil, err
		}
		switch strings.TrimSpace(s) {
		case "1":
			return true, nil
		case "0":
			return false, nil
		}
		return nil, &parseError{"bad boolean value"}
	case "string":
		return readText(d)
	case "double":
		s, err := readText(d)
		if err != nil {
			return nil, err
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return nil, &parseError{fmt.Sprintf("could not convert string to float: %q", s)}
		}
		return f, nil
	case "nil":
		if err := skipToEnd(d); err != nil {
			return nil, err
		}
		return nil, nil
	case "base64":
		s, err := readText(d)
		if err != nil {
			return nil, err
		}
		return strings.Join(strings.Fields(s), ""), nil
	case "dateTime.iso8601":
		s, err := readText(d)
		if err != nil {
			return nil, err
		}
		return isoToOdoo(strings.TrimSpace(s)), nil
	case "array":
		out := []any{}
		ds, err := nextStart(d)
		if err != nil {
			return nil, err
		}
		if ds.Name.Local != "data" {
			return nil, &parseError{"unknown tag " + ds.Name.Local}
		}
		for {
			tok, err := d.Token()
			if err != nil {
				return nil, &parseError{err.Error()}
			}
			switch t := tok.(type) {
			case xml.StartElement:
				if t.Name.Local != "value" {
					return nil, &parseError{"unknown tag " + t.Name.Local}
				}
				v, err := readValue(d)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			case xml.EndElement: // </data>
				if err := skipToEnd(d); err != nil { // </array>
					return nil, err
				}
				return out, nil
			}
		}
	case "struct":
		out := ostruct{}
		for {
			tok, err := d.Token()
			if err != nil {
				return nil, &parseError{err.Error()}
			}
			switch t := tok.(type) {
			case xml.StartElement:
				if t.Name.Local != "member" {
					return nil, &parseError{"unknown tag " + t.Name.Local}
				}
				var m member
				var haveValue bool
			members:
				for {
					tok, err := d.Token()
					if err != nil {
						return nil, &parseError{err.Error()}
					}
					switch t := tok.(type) {
					case xml.StartElement:
						switch t.Name.Local {
						case "name":
							s, err := readText(d)
							if err != nil {
								return nil, err
							}
							m.Name = s
						case "value":
							v, err := readValue(d)
							if err != nil {
								return nil, err
							}
							m.Value, haveValue = v, true
						default:
							return nil, &parseError{"unknown tag " + t.Name.Local}
						}
					case xml.EndElement:
						break members
					}
				}
				if !haveValue {
					return nil, &parseError{"member without value"}
				}
				out.set(m.Name, m.Value)
			case xml.EndElement:
				return out, nil
			}
		}
	}
	return nil, &parseError{"unknown tag " + typ}
}

// isoToOdoo turns "20261121T20:25:00" into "2026-11-21 20:25:00".
func isoToOdoo(s string) string {
	s = strings.ReplaceAll(s, "-", "")
	if len(s) >= 17 && s[8] == 'T' {
		return s[0:4] + "-" + s[4:6] + "-" + s[6:8] + " " + s[9:17]
	}
	return s
}

// sortedStruct is m as an ostruct with its keys sorted, the order both
// encoders (XML-RPC, JSON-2) write a map in.
func sortedStruct(m map[string]any) ostruct {
	s := make(ostruct, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		s = append(s, member{k, m[k]})
	}
	return s
}
