package odoo

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/kolo/xmlrpc"
)

// pyWriteValue writes v exactly as Odoo's marshaller (Python's
// xmlrpc.client with Odoo's OdooMarshaller) does: one member per line,
// explicit <string> tags, only &, < and > escaped, doubles as repr().
// order gives the member order of records.
func pyWriteValue(b *bytes.Buffer, v any, order []string) {
	b.WriteString("<value>")
	switch x := v.(type) {
	case bool:
		if x {
			b.WriteString("<boolean>1</boolean>")
		} else {
			b.WriteString("<boolean>0</boolean>")
		}
	case int:
		fmt.Fprintf(b, "<int>%d</int>", x)
	case float64:
		s := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEn") && !math.IsInf(x, 0) {
			s += ".0"
		}
		fmt.Fprintf(b, "<double>%s</double>", s)
	case string:
		b.WriteString("<string>")
		r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
		b.WriteString(r.Replace(x))
		b.WriteString("</string>")
	case []any:
		b.WriteString("<array><data>\n")
		for _, e := range x {
			pyWriteValue(b, e, nil)
		}
		b.WriteString("</data></array>")
	case Record:
		b.WriteString("<struct>\n")
		for _, k := range order {
			fmt.Fprintf(b, "<member>\n<name>%s</name>\n", k)
			pyWriteValue(b, x[k], nil)
			b.WriteString("</member>\n")
		}
		b.WriteString("</struct>")
	default:
		panic(fmt.Sprintf("pyWriteValue: %T", v))
	}
	b.WriteString("</value>\n")
}

// pyResponse writes a whole methodResponse as Odoo 18 does.
func pyResponse(result []any, order []string) []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n")
	b.WriteString("<value><array><data>\n")
	for _, r := range result {
		pyWriteValue(&b, r, order)
	}
	b.WriteString("</data></array></value>\n")
	b.WriteString("</param>\n</params>\n\n</methodResponse>\n")
	return b.Bytes()
}

// TestBenchmarkPayloadIsOdooWireFormat proves the generator reproduces the
// captured 059 search_read response byte for byte.
func TestBenchmarkPayloadIsOdooWireFormat(t *testing.T) {
	body := fixture(t, findFixture(t, dir18, "059"), "response")
	_, params, _, err := refParse(body)
	if err != nil {
		t.Fatal(err)
	}
	got := pyResponse(params[0].([]any), append([]string{"id"}, partner059Fields...))
	if !bytes.Equal(got, body) {
		i := 0
		for i < len(got) && i < len(body) && got[i] == body[i] {
			i++
		}
		t.Fatalf("generated body differs at byte %d: %q vs %q", i, got[i:min(i+80, len(got))], body[i:min(i+80, len(body))])
	}
}

const benchRecords = 1000

// benchPayload builds a search_read response of 1,000 res.partner records
// with 20 fields each (id + the first 19 fields of capture 059), cycling
// through the 20 captured partners and varying ids, names and emails.
func benchPayload(tb testing.TB) (body []byte, jsonBody []byte) {
	tb.Helper()
	_, params, _, err := refParse(fixture(tb, findFixture(tb, dir18, "059"), "response"))
	if err != nil {
		tb.Fatal(err)
	}
	base := params[0].([]any)
	order := append([]string{"id"}, partner059Fields[:19]...)
	recs := make([]any, benchRecords)
	for i := range recs {
		src := base[i%len(base)].(Record)
		r := Record{}
		for _, k := range order {
			r[k] = src[k]
		}
		r["id"] = 1000 + i
		r["name"] = fmt.Sprintf("%s %d", src["name"], i)
		if email, ok := src["email"].(string); ok {
			r["email"] = strconv.Itoa(i) + "." + email
		}
		recs[i] = r
	}
	body = pyResponse(recs, order)
	jsonBody, err = json.Marshal(recs)
	if err != nil {
		tb.Fatal(err)
	}
	return body, jsonBody
}

func reportRecords(b *testing.B) {
	b.ReportMetric(float64(b.N)*benchRecords/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkDecodeSearchRead decodes a 1,000 × 20 search_read response with
// the client's decode path and with baselines on the same bytes:
//
//   - client: sniff + empty-string fixes + kolo + normalise (what
//     Session.SearchRead runs after the HTTP body is read);
//   - kolo-only: kolo's Response.Unmarshal into any, nothing else;
//   - encoding-xml-tokens: encoding/xml Decoder.Token over the body,
//     building nothing (what kolo's decoder pays before doing any work);
//   - encoding-xml-rawtokens: the same with RawToken (no namespace or
//     nesting checks), the floor for any encoding/xml-based decoder;
//   - encoding-xml-handwritten: a reflection-free decoder on encoding/xml
//     tokens building the same values (the test's reference parser);
//   - json2-client: the JSON-2 decode path (decodeJSON2: encoding/json as
//     the body streams in, then numbers and objects to the client's shapes)
//     on the same records as JSON;
//   - json: encoding/json of the same records as JSON, nothing else.
func BenchmarkDecodeSearchRead(b *testing.B) {
	body, jsonBody := benchPayload(b)
	b.Run("client", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			v, fault, err := decodeResponse(body)
			if err != nil || fault != nil {
				b.Fatal(err)
			}
			recs, err := asRecords(v)
			if err != nil || len(recs) != benchRecords {
				b.Fatal(err)
			}
		}
		reportRecords(b)
	})
	b.Run("kolo-only", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var v any
			if err := xmlrpc.Response(body).Unmarshal(&v); err != nil {
				b.Fatal(err)
			}
		}
		reportRecords(b)
	})
	b.Run("encoding-xml-tokens", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			dec := xml.NewDecoder(bytes.NewReader(body))
			n := 0
			for {
				_, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n == 0 {
				b.Fatal("no tokens")
			}
		}
		reportRecords(b)
	})
	b.Run("encoding-xml-rawtokens", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			dec := xml.NewDecoder(bytes.NewReader(body))
			n := 0
			for {
				_, err := dec.RawToken()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n == 0 {
				b.Fatal("no tokens")
			}
		}
		reportRecords(b)
	})
	b.Run("encoding-xml-handwritten", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			_, params, _, err := refParse(body)
			if err != nil || len(params[0].([]any)) != benchRecords {
				b.Fatal(err)
			}
		}
		reportRecords(b)
	})
	b.Run("json2-client", func(b *testing.B) {
		b.SetBytes(int64(len(jsonBody)))
		b.ReportAllocs()
		for b.Loop() {
			v, err := decodeJSON2(bytes.NewReader(jsonBody), 1<<30)
			if err != nil {
				b.Fatal(err)
			}
			recs, err := asRecords(v)
			if err != nil || len(recs) != benchRecords {
				b.Fatal(err)
			}
		}
		reportRecords(b)
	})
	b.Run("json", func(b *testing.B) {
		b.SetBytes(int64(len(jsonBody)))
		b.ReportAllocs()
		for b.Loop() {
			var v []any
			if err := json.Unmarshal(jsonBody, &v); err != nil || len(v) != benchRecords {
				b.Fatal(err)
			}
		}
		reportRecords(b)
	})
}

// BenchmarkSearchReadRoundTrip is the same payload through Session.SearchRead
// against a loopback httptest server: HTTP + decode, no server work.
func BenchmarkSearchReadRoundTrip(b *testing.B) {
	body, _ := benchPayload(b)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	c, err := NewClient(Config{URL: srv.URL, DB: "demo"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.CloseIdleConnections()
	s := c.Session(2, "admin")
	ctx := context.Background()
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		recs, err := s.SearchRead(ctx, "res.partner", nil, partner059Fields[:19], SearchOptions{Limit: benchRecords})
		if err != nil || len(recs) != benchRecords {
			b.Fatal(err)
		}
	}
	reportRecords(b)
}
