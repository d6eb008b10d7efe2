package odootest

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// L builds an XML-RPC array.
func L(items ...any) []any { return items }

// KW builds an ordered struct from name, value pairs.
func KW(pairs ...any) ostruct {
	s := ostruct{}
	for i := 0; i+1 < len(pairs); i += 2 {
		s = append(s, member{pairs[i].(string), pairs[i+1]})
	}
	return s
}

// encodeCall writes a methodCall the way Python's xmlrpc.client.dumps does.
func encodeCall(method string, params ...any) []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version='1.0'?>\n<methodCall>\n<methodName>")
	writeEscaped(&b, method)
	b.WriteString("</methodName>\n<params>\n")
	for _, p := range params {
		b.WriteString("<param>\n")
		if err := marshalValue(&b, p); err != nil {
			panic(err)
		}
		b.WriteString("</param>\n")
	}
	b.WriteString("</params>\n</methodCall>\n")
	return b.Bytes()
}

type xfault struct {
	Code   any
	String string
}

// client is a minimal XML-RPC client for the tests.
type client struct {
	t   testing.TB
	url string
	hc  *http.Client
	uid int
	pw  string
}

func newClient(t testing.TB, s *Server) *client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &client{t: t, url: s.URL, hc: &http.Client{Transport: tr}, uid: AdminUID, pw: "admin"}
}

func (c *client) as(uid int, pw string) *client {
	cc := *c
	cc.uid, cc.pw = uid, pw
	return &cc
}

func (c *client) post(path string, body []byte) (*http.Response, []byte, error) {
	resp, err := c.hc.Post(c.url+path, "text/xml", bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func (c *client) rpc(path, method string, params ...any) (any, *xfault) {
	c.t.Helper()
	_, body, err := c.post(path, encodeCall(method, params...))
	if err != nil {
		c.t.Fatalf("%s %s: %v", path, method, err)
	}
	v, isFault, err := decodeMethodResponse(body)
	if err != nil {
		c.t.Fatalf("%s %s: decoding %q: %v", path, method, body, err)
	}
	if isFault {
		s := v.(ostruct)
		code, _ := s.get("faultCode")
		str, _ := s.get("faultString")
		return nil, &xfault{Code: code, String: str.(string)}
	}
	return v, nil
}

// exec calls execute_kw on /xmlrpc/2/object.
func (c *client) exec(model, method string, args []any, kw ostruct) (any, *xfault) {
	c.t.Helper()
	params := []any{DBName, c.uid, c.pw, model, method, args}
	if kw != nil {
		params = append(params, kw)
	}
	return c.rpc("/xmlrpc/2/object", "execute_kw", params...)
}

// must is exec that fails the test on a fault.
func (c *client) must(model, method string, args []any, kw ostruct) any {
	c.t.Helper()
	v, f := c.exec(model, method, args, kw)
	if f != nil {
		c.t.Fatalf("%s.%s: fault %v: %s", model, method, f.Code, f.String)
	}
	return v
}

// fault is exec that expects a fault.
func (c *client) fault(model, method string, args []any, kw ostruct) *xfault {
	c.t.Helper()
	v, f := c.exec(model, method, args, kw)
	if f == nil {
		c.t.Fatalf("%s.%s: want a fault, got %s", model, method, pyRepr(v))
	}
	return f
}

func ints(v any) []int {
	list, _ := v.([]any)
	out := make([]int, 0, len(list))
	for _, x := range list {
		if i, ok := x.(int); ok {
			out = append(out, i)
		}
	}
	return out
}

func get(v any, name string) any {
	s, _ := v.(ostruct)
	x, _ := s.get(name)
	return x
}

func keys(v any) []string {
	s, _ := v.(ostruct)
	out := make([]string, len(s))
	for i, m := range s {
		out[i] = m.Name
	}
	return out
}
