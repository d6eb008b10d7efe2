package odoo

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// refDecodeValue is an independent XML-RPC value parser (encoding/xml
// tokens, no kolo) used to cross-check the client's decoder on the real
// captures, and to read captured request bodies. It follows the XML-RPC
// spec: an untyped <value> is a string, <nil/> is nil, structs become
// Record and integers int.
func refDecodeValue(dec *xml.Decoder, start xml.StartElement) (any, error) {
	// start is <value>.
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			return text.String(), nil // untyped value: string
		case xml.StartElement:
			v, err := refDecodeTyped(dec, t)
			if err != nil {
				return nil, err
			}
			if err := dec.Skip(); err != nil { // </value>
				return nil, err
			}
			return v, nil
		}
	}
}

func refDecodeTyped(dec *xml.Decoder, t xml.StartElement) (any, error) {
	switch t.Name.Local {
	case "struct":
		r := Record{}
		for {
			tok, err := dec.Token()
			if err != nil {
				return nil, err
			}
			switch tok.(type) {
			case xml.EndElement:
				return r, nil
			case xml.StartElement: // <member>
				var name string
				var val any
				for done := false; !done; {
					tok, err := dec.Token()
					if err != nil {
						return nil, err
					}
					switch e := tok.(type) {
					case xml.StartElement:
						if e.Name.Local == "name" {
							var s string
							if err := dec.DecodeElement(&s, &e); err != nil {
								return nil, err
							}
							name = s
						} else if e.Name.Local == "value" {
							if val, err = refDecodeValue(dec, e); err != nil {
								return nil, err
							}
						}
					case xml.EndElement:
						done = true
					}
				}
				r[name] = val
			}
		}
	case "array":
		list := []any{}
		for {
			tok, err := dec.Token()
			if err != nil {
				return nil, err
			}
			switch e := tok.(type) {
			case xml.StartElement:
				if e.Name.Local == "data" {
					continue
				}
				v, err := refDecodeValue(dec, e)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			case xml.EndElement:
				if e.Name.Local == "data" {
					continue
				}
				return list, nil
			}
		}
	case "nil":
		return nil, dec.Skip()
	}
	var s string
	if err := dec.DecodeElement(&s, &t); err != nil {
		return nil, err
	}
	switch t.Name.Local {
	case "int", "i4", "i8":
		return strconv.Atoi(strings.TrimSpace(s))
	case "boolean":
		return strings.TrimSpace(s) == "1", nil
	case "double":
		return strconv.ParseFloat(strings.TrimSpace(s), 64)
	case "string", "base64":
		return s, nil
	case "dateTime.iso8601":
		return time.Parse("20060102T15:04:05", strings.TrimSpace(s))
	}
	return nil, fmt.Errorf("unknown type <%s>", t.Name.Local)
}

// refParse parses a methodCall or methodResponse: the method name (calls
// only), the params, and whether it is a fault (its struct is params[0]).
func refParse(b []byte) (method string, params []any, fault bool, err error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return method, params, fault, nil
		}
		if err != nil {
			return "", nil, false, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "methodName":
			if err := dec.DecodeElement(&method, &se); err != nil {
				return "", nil, false, err
			}
		case "fault":
			fault = true
		case "value":
			v, err := refDecodeValue(dec, se)
			if err != nil {
				return "", nil, false, err
			}
			params = append(params, v)
		}
	}
}

const (
	dir18 = "testdata/xmlrpc"
	dir17 = "testdata/v17/xmlrpc"
	dir19 = "testdata/v19/xmlrpc"
)

// fixture returns the bytes of a captured file; stem is "<dir>/<NNN-name>".
func fixture(t testing.TB, stem, kind string) []byte {
	t.Helper()
	b, err := os.ReadFile(stem + "." + kind + ".xml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// findFixture expands "<dir>/NNN" to the full stem.
func findFixture(t testing.TB, dir, num string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, num+"-*.response.xml"))
	if err != nil || len(m) != 1 {
		t.Fatalf("fixture %s/%s: %v %v", dir, num, m, err)
	}
	return strings.TrimSuffix(m[0], ".response.xml")
}

// replayServer answers every POST with a fixed body and records requests.
type replayServer struct {
	*httptest.Server
	mu       sync.Mutex
	body     []byte
	status   int
	paths    []string
	requests [][]byte
}

func newReplayServer(t testing.TB) *replayServer {
	rs := &replayServer{status: http.StatusOK}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rs.mu.Lock()
		rs.paths = append(rs.paths, r.URL.Path)
		rs.requests = append(rs.requests, b)
		body, status := rs.body, rs.status
		rs.mu.Unlock()
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(rs.Close)
	return rs
}

func (rs *replayServer) respond(status int, body []byte) {
	rs.mu.Lock()
	rs.body, rs.status = body, status
	rs.requests, rs.paths = nil, nil
	rs.mu.Unlock()
}

func (rs *replayServer) last() (string, []byte) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if len(rs.requests) == 0 {
		return "", nil
	}
	return rs.paths[len(rs.paths)-1], rs.requests[len(rs.requests)-1]
}

func newTestClient(t testing.TB, url, db string) *Client {
	t.Helper()
	c, err := NewClient(Config{URL: url, DB: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// tracebackFree checks an error text has no traceback or server path.
func tracebackFree(t testing.TB, err error) {
	t.Helper()
	s := err.Error()
	for _, bad := range []string{"Traceback", "File \"", "/usr/lib/", "dist-packages", ".py\""} {
		if strings.Contains(s, bad) {
			t.Errorf("error text contains %q:\n%s", bad, s)
		}
	}
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
