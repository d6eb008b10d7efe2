package odoo

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
)

const (
	dirJSON2 = "testdata/v19/json2"
	// captureKey is the throwaway API key of the capture server.
	captureKey = "1c414065a4c1ba1a4c39f484ea11677598d651c8"
)

// json2Capture is one captured JSON-2 exchange.
type json2Capture struct {
	num, name    string
	path         string      // request path
	reqHeader    http.Header // as sent
	reqBody      []byte
	status       int
	respHeader   http.Header
	respBody     []byte
	authenticate string // the Authorization header, "" when none
}

func loadJSON2Capture(t testing.TB, num string) json2Capture {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dirJSON2, num+"-*.http.txt"))
	if err != nil || len(m) != 1 {
		t.Fatalf("capture %s: %v %v", num, m, err)
	}
	stem := strings.TrimSuffix(m[0], ".http.txt")
	c := json2Capture{num: num, name: filepath.Base(stem), reqHeader: http.Header{}, respHeader: http.Header{}}
	txt, err := os.ReadFile(m[0])
	if err != nil {
		t.Fatal(err)
	}
	// Request line and headers, a body pointer, then the status line and
	// headers, a body pointer.
	sc := bufio.NewScanner(bytes.NewReader(txt))
	part := 0
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "POST "):
			c.path = strings.Fields(line)[1]
		case strings.HasPrefix(line, "HTTP/1.1 "):
			part = 1
			c.status, _ = strconv.Atoi(strings.Fields(line)[1])
		case strings.HasPrefix(line, "<"), line == "":
		default:
			k, v, ok := strings.Cut(line, ": ")
			if !ok {
				k, v, _ = strings.Cut(line, ":")
			}
			if part == 0 {
				c.reqHeader.Add(k, v)
			} else {
				c.respHeader.Add(k, v)
			}
		}
	}
	c.authenticate = c.reqHeader.Get("Authorization")
	if c.reqBody, err = os.ReadFile(stem + ".request.json"); err != nil {
		t.Fatal(err)
	}
	if c.respBody, err = os.ReadFile(stem + ".response.json"); err != nil {
		t.Fatal(err)
	}
	return c
}

func allJSON2Captures(t testing.TB) []json2Capture {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dirJSON2, "*.http.txt"))
	if len(m) == 0 {
		t.Fatal("no JSON-2 captures")
	}
	var out []json2Capture
	for _, f := range m {
		out = append(out, loadJSON2Capture(t, filepath.Base(f)[:3]))
	}
	return out
}

// json2Replay answers every request with one capture's status, headers
// and body, and records what the client sent.
type json2Replay struct {
	*httptest.Server
	mu   sync.Mutex
	cap  json2Capture
	got  []*http.Request
	body [][]byte
}

func newJSON2Replay(t testing.TB) *json2Replay {
	rs := &json2Replay{}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rs.mu.Lock()
		rs.got = append(rs.got, r)
		rs.body = append(rs.body, b)
		c := rs.cap
		rs.mu.Unlock()
		for k, vs := range c.respHeader {
			switch k {
			case "Content-Length", "Connection", "Date", "Server":
				continue
			}
			w.Header()[k] = vs
		}
		w.WriteHeader(c.status)
		_, _ = w.Write(c.respBody)
	}))
	t.Cleanup(rs.Close)
	return rs
}

func (rs *json2Replay) serve(c json2Capture) {
	rs.mu.Lock()
	rs.cap, rs.got, rs.body = c, nil, nil
	rs.mu.Unlock()
}

func newJSON2Client(t testing.TB, url, db string) *Client {
	t.Helper()
	c, err := NewClient(Config{URL: url, DB: db, Transport: TransportJSON2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// jsonEqual compares two JSON texts as values.
func jsonEqual(t *testing.T, what string, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: sent body is not JSON: %v\n%s", what, err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("%s: captured body is not JSON: %v", what, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: sent body\n%s\nwant (as captured)\n%s", what, got, want)
	}
}

// TestJSON2Captures calls every captured JSON-2 request through the
// client's typed API against a server answering the captured bytes, and
// checks both directions: the request the client sends equals the captured
// one (path, Authorization, X-Odoo-Database, body as JSON), and the
// response decodes to the value or the fault the same error has over
// XML-RPC.
func TestJSON2Captures(t *testing.T) {
	ctx := ctxT(t)
	rs := newJSON2Replay(t)
	domainCompanies := []any{[]any{"is_company", "=", true}}
	cases := map[string]struct {
		db   string
		key  string
		call func(s *Session) (any, error)
		// check inspects the result; nil means "no error, any value".
		check func(t *testing.T, got any, err error)
	}{
		"039": {call: func(s *Session) (any, error) {
			return s.SearchRead(ctx, "res.partner", domainCompanies,
				[]string{"name", "email", "country_id", "parent_id", "child_ids", "category_id", "is_company", "write_date", "active"}, SearchOptions{Limit: 20})
		}, check: func(t *testing.T, got any, err error) {
			recs := got.([]Record)
			if err != nil || len(recs) != 11 {
				t.Fatalf("got %d records, %v", len(recs), err)
			}
			r := recs[0]
			want := Record{"id": 9, "name": "Acme Corporation", "email": "acme_corp@yourcompany.example.com",
				"country_id": []any{233, "United States"}, "parent_id": false, "child_ids": []any{36, 19, 20},
				"category_id": []any{7}, "is_company": true, "write_date": "2026-11-21 20:33:44", "active": true}
			if !reflect.DeepEqual(r, want) {
				t.Errorf("first record\n got %#v\nwant %#v", r, want)
			}
		}},
		"040": {call: func(s *Session) (any, error) {
			return s.WebSearchRead(ctx, "res.partner", nil, partnerSpec, SearchOptions{Limit: 80})
		}, check: func(t *testing.T, got any, err error) {
			// The same call over XML-RPC (capture 024) decodes to the same value.
			x := decodeXMLCapture(t, dir19, "024")
			r := x.(Record)
			want := WebSearchResult{Length: r["length"].(int)}
			want.Records, _ = asRecords(r["records"])
			if !reflect.DeepEqual(got, want) {
				t.Errorf("JSON-2 and XML-RPC decode differently:\n json2 %v\nxmlrpc %v", got, want)
			}
		}},
		"041": {call: func(s *Session) (any, error) {
			return s.Search(ctx, "res.partner", domainCompanies, SearchOptions{Limit: 2, Order: "id"})
		}, check: wantValue([]int{1, 8})},
		"042": {call: func(s *Session) (any, error) {
			return s.Read(ctx, "res.partner", []int{1, 8}, []string{"name", "country_id", "child_ids"})
		}, check: wantValue([]Record{
			{"id": 1, "name": "YourCompany", "country_id": []any{233, "United States"}, "child_ids": []any{40, 41}},
			{"id": 8, "name": "Wood Corner", "country_id": []any{233, "United States"}, "child_ids": []any{18, 33, 17}},
		})},
		"043": {call: func(s *Session) (any, error) {
			return s.Read(ctx, "res.partner", []int{999999}, []string{"name"})
		}, check: wantValue([]Record{})},
		"044": {call: func(s *Session) (any, error) {
			return s.Read(ctx, "res.partner", []int{1}, []string{"name", "no_such_field"})
		}, check: sameFaultAs(dir19, "014")},
		"045": {call: func(s *Session) (any, error) { return s.Create(ctx, "sale.order", nil) },
			check: sameFaultAs(dir19, "017")},
		"046": {key: "not-a-valid-key", call: func(s *Session) (any, error) {
			return s.SearchRead(ctx, "res.partner", nil, []string{"name"}, SearchOptions{Limit: 1})
		}, check: wantAuthFault("Invalid apikey")},
		"047": {key: "-", call: func(s *Session) (any, error) {
			return s.SearchRead(ctx, "res.partner", nil, []string{"name"}, SearchOptions{Limit: 1})
		}, check: wantAuthFault("User not authenticated, use an API Key with a Bearer Authorization header.")},
		"048": {call: func(s *Session) (any, error) { return s.Search(ctx, "no.such.model", nil, SearchOptions{}) },
			check: wantFault(1, KindValidation, "werkzeug.exceptions.NotFound", "the model 'no.such.model' does not exist")},
		"049": {call: func(s *Session) (any, error) {
			return s.ExecuteKW(ctx, "res.partner", "search_read", []any{[]any{}}, map[string]any{"bogus": 1})
		}, check: wantFault(1, KindServer, "TypeError", "BaseModel._read_format() got an unexpected keyword argument 'bogus'")},
		"050": {call: func(s *Session) (any, error) {
			return s.ExecuteKW(ctx, "res.partner", "read", []any{[]int{1}}, map[string]any{"fields": []string{"name"}, "bogus": 1})
		}, check: wantFault(1, KindServer, "werkzeug.exceptions.UnprocessableEntity", "got an unexpected keyword argument 'bogus'")},
		"051": {call: func(s *Session) (any, error) {
			return s.ExecuteKW(ctx, "res.partner", "has_access", nil, map[string]any{"operation": "write"})
		}, check: wantValue(true)},
		"052": {db: "-", call: func(s *Session) (any, error) {
			return s.SearchCount(ctx, "res.partner", domainCompanies)
		}, check: wantValue(11)},
		"053": {call: func(s *Session) (any, error) {
			return s.ExecuteKW(ctx, "res.partner", "check_access", nil, map[string]any{"operation": "write"})
		}, check: sameFaultAs(dir19, "022")},
		"054": {call: func(s *Session) (any, error) {
			return s.Create(ctx, "res.partner", map[string]any{"name": "Fixture JSON-2 Partner", "email": "json2@example.invalid"})
		}, check: wantValue(47)},
		"055": {call: func(s *Session) (any, error) {
			return nil, s.Write(ctx, "res.partner", []int{47}, map[string]any{"phone": "+32 2 555 00 01"})
		}, check: wantValue(nil)},
		"056": {call: func(s *Session) (any, error) {
			return s.Read(ctx, "res.partner", []int{47}, []string{"name", "email", "phone"})
		}, check: wantValue([]Record{{"id": 47, "name": "Fixture JSON-2 Partner", "email": "json2@example.invalid", "phone": "+32 2 555 00 01"}})},
		"057": {call: func(s *Session) (any, error) { return nil, s.Unlink(ctx, "res.partner", []int{47}) },
			check: wantValue(nil)},
	}
	for _, capt := range allJSON2Captures(t) {
		tc, ok := cases[capt.num]
		if !ok {
			t.Errorf("capture %s has no test case", capt.name)
			continue
		}
		t.Run(capt.name, func(t *testing.T) {
			rs.serve(capt)
			db := "demo19"
			if tc.db == "-" {
				db = ""
			}
			key := captureKey
			switch tc.key {
			case "-":
				key = ""
			case "":
			default:
				key = tc.key
			}
			c := newJSON2Client(t, rs.URL, db)
			got, err := tc.call(c.Session(2, key))
			if tc.check != nil {
				tc.check(t, got, err)
			} else if err != nil {
				t.Fatal(err)
			}
			if err != nil {
				tracebackFree(t, err)
			}
			rs.mu.Lock()
			defer rs.mu.Unlock()
			if len(rs.got) != 1 {
				t.Fatalf("%d requests sent, want 1", len(rs.got))
			}
			r := rs.got[0]
			if r.URL.Path != capt.path {
				t.Errorf("path %q, want %q", r.URL.Path, capt.path)
			}
			for _, h := range []string{"Authorization", "X-Odoo-Database"} {
				if g, w := r.Header.Get(h), capt.reqHeader.Get(h); g != w {
					t.Errorf("%s: %q, want %q", h, g, w)
				}
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			jsonEqual(t, capt.name, rs.body[0], capt.reqBody)
		})
	}
}

// decodeXMLCapture decodes a captured XML-RPC response with the XML-RPC
// decoder.
func decodeXMLCapture(t *testing.T, dir, num string) any {
	t.Helper()
	v, fault, err := decodeResponse(fixture(t, findFixture(t, dir, num), "response"))
	if err != nil || fault != nil {
		t.Fatalf("%s/%s: %v %v", dir, num, fault, err)
	}
	return v
}

// sameFaultAs checks a JSON-2 fault has the Kind, user-facing-ness and
// message of the same error captured over XML-RPC.
func sameFaultAs(dir, num string) func(*testing.T, any, error) {
	return func(t *testing.T, _ any, err error) {
		t.Helper()
		_, raw, derr := decodeResponse(fixture(t, findFixture(t, dir, num), "response"))
		if derr != nil || raw == nil {
			t.Fatalf("%s/%s is not a fault: %v", dir, num, derr)
		}
		want := newFault("", "", "", raw.code, raw.string)
		var f *Fault
		if !errors.As(err, &f) {
			t.Fatalf("err = %#v, want a *Fault", err)
		}
		if f.Kind != want.Kind || f.UserFacing() != want.UserFacing() || f.Message != want.Message {
			t.Errorf("JSON-2 fault kind %v user-facing %v message %q;\nXML-RPC %s/%s: kind %v user-facing %v message %q",
				f.Kind, f.UserFacing(), f.Message, dir, num, want.Kind, want.UserFacing(), want.Message)
		}
		if f.Traceback == "" {
			t.Error("the debug traceback was not kept for the log")
		}
	}
}

func wantAuthFault(msg string) func(*testing.T, any, error) {
	return func(t *testing.T, _ any, err error) {
		t.Helper()
		if !errors.Is(err, ErrAuthentication) {
			t.Fatalf("err = %v, want ErrAuthentication", err)
		}
		var f *Fault
		if !errors.As(err, &f) || f.Kind != KindAuthentication || f.Code != 3 || f.Message != msg {
			t.Errorf("fault = %#v", f)
		}
	}
}

// TestJSON2FaultMapping maps every captured error the way the table in
// json2Fault says, from the real bodies and statuses.
func TestJSON2FaultMapping(t *testing.T) {
	want := map[string]struct {
		code       int
		kind       Kind
		userFacing bool
	}{
		"044": {1, KindValidation, false},
		"045": {2, KindValidation, true},
		"046": {3, KindAuthentication, false},
		"047": {3, KindAuthentication, false},
		"048": {1, KindValidation, false},
		"049": {1, KindServer, false},
		"050": {1, KindServer, false},
		"053": {4, KindAccess, true},
	}
	seen := 0
	for _, c := range allJSON2Captures(t) {
		if c.status == http.StatusOK {
			continue
		}
		seen++
		w, ok := want[c.num]
		if !ok {
			t.Errorf("error capture %s not in the table", c.name)
			continue
		}
		v, err := decodeJSON2(bytes.NewReader(c.respBody), 1<<20)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		f, ok := json2Fault(c.status, v)
		if !ok {
			t.Fatalf("%s: not an Odoo error", c.name)
		}
		var body struct{ Message string }
		_ = json.Unmarshal(c.respBody, &body)
		if f.Code != w.code || f.Kind != w.kind || f.UserFacing() != w.userFacing || f.Message != strings.TrimSpace(body.Message) || f.Traceback == "" {
			t.Errorf("%s (HTTP %d): code %d kind %v user-facing %v message %q traceback %d bytes; want code %d kind %v user-facing %v",
				c.name, c.status, f.Code, f.Kind, f.UserFacing(), f.Message, len(f.Traceback), w.code, w.kind, w.userFacing)
		}
		tracebackFree(t, f)
	}
	if seen != len(want) {
		t.Errorf("%d error captures, table has %d", seen, len(want))
	}
}

// TestJSON2Authenticate: over JSON-2 the key alone is the identity: one
// res.users context_get answers its uid; a refused key is
// ErrAuthentication; the version comes from /web/webclient/version_info.
func TestJSON2Authenticate(t *testing.T) {
	ctx := ctxT(t)
	var mu sync.Mutex
	var paths, auths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		switch {
		case r.URL.Path == "/web/webclient/version_info":
			_, _ = io.WriteString(w, `{"jsonrpc": "2.0", "id": 1, "result": {"server_version": "19.0", "server_version_info": [19, 0, 0, "final", 0, ""], "server_serie": "19.0", "protocol_version": 1}}`)
		case r.Header.Get("Authorization") == "bearer good":
			_, _ = io.WriteString(w, `{"lang": "en_US", "tz": "Europe/Brussels", "uid": 5}`)
		default:
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write(loadJSON2Capture(t, "046").respBody)
		}
	}))
	defer srv.Close()
	c := newJSON2Client(t, srv.URL, "demo19")
	if uid, err := c.Authenticate(ctx, "ignored", "good"); err != nil || uid != 5 {
		t.Fatalf("Authenticate = %d, %v", uid, err)
	}
	if _, err := c.Authenticate(ctx, "demo", "bad"); !errors.Is(err, ErrAuthentication) {
		t.Fatalf("bad key: %v", err)
	}
	if _, err := c.Authenticate(ctx, "demo", ""); !errors.Is(err, ErrAuthentication) {
		t.Fatalf("empty key: %v", err)
	}
	v, err := c.Version(ctx)
	if err != nil || v.Major != 19 || v.ServerVersion != "19.0" {
		t.Fatalf("Version = %+v, %v", v, err)
	}
	want := []string{"/json/2/res.users/context_get", "/json/2/res.users/context_get", "/web/webclient/version_info"}
	if !reflect.DeepEqual(paths, want) || auths[0] != "bearer good" || auths[2] != "" {
		t.Errorf("paths %v auth %q", paths, auths)
	}
}

// TestJSON2TransportErrors: what is not an Odoo answer is a
// *TransportError, and the body size is bounded while streaming.
func TestJSON2TransportErrors(t *testing.T) {
	ctx := ctxT(t)
	var mu sync.Mutex
	var status int
	var ctype, body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		s, ct, b := status, ctype, body
		mu.Unlock()
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(s)
		_, _ = io.WriteString(w, b)
	}))
	defer srv.Close()
	for _, tc := range []struct {
		name   string
		status int
		ctype  string
		body   string
		max    int64
		want   error
	}{
		{"proxy error page", 502, "text/html", "<html>Bad Gateway</html>", 0, ErrBadStatus},
		{"200 but HTML", 200, "text/html", "<html>login</html>", 0, ErrMalformedResponse},
		{"truncated", 200, "application/json", `[{"id": 1, "name": "A`, 0, ErrMalformedResponse},
		{"two values", 200, "application/json", `[1] [2]`, 0, ErrMalformedResponse},
		{"empty", 200, "application/json", ``, 0, ErrMalformedResponse},
		{"error status, not an Odoo error", 500, "application/json", `{"oops": 1}`, 0, ErrBadStatus},
		{"too large", 200, "application/json", "[" + strings.Repeat(`"x", `, 1000) + `"x"]`, 1000, ErrResponseTooLarge},
		{"too deep", 200, "application/json", strings.Repeat("[", MaxNesting+2) + strings.Repeat("]", MaxNesting+2), 0, ErrMalformedResponse},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mu.Lock()
			status, ctype, body = tc.status, tc.ctype, tc.body
			mu.Unlock()
			c, err := NewClient(Config{URL: srv.URL, DB: "d", Transport: TransportJSON2, MaxResponseBytes: tc.max})
			if err != nil {
				t.Fatal(err)
			}
			defer c.CloseIdleConnections()
			_, err = c.Session(2, "k").Search(ctx, "res.partner", nil, SearchOptions{})
			var te *TransportError
			if !errors.As(err, &te) || !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want a *TransportError wrapping %v", err, tc.want)
			}
			if te.StatusCode != tc.status {
				t.Errorf("status %d, want %d", te.StatusCode, tc.status)
			}
			if st := c.Stats(); st.TransportErrors != 1 || st.Calls != 1 || st.InFlight != 0 {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

// TestJSON2Named: positional execute_kw arguments become JSON-2's named
// ones as Odoo's signatures name them.
func TestJSON2Named(t *testing.T) {
	for _, tc := range []struct {
		method string
		args   []any
		kw     map[string]any
		want   map[string]any
		err    string
	}{
		{"read", []any{[]int{1}}, map[string]any{"fields": []string{"name"}}, map[string]any{"ids": []int{1}, "fields": []string{"name"}}, ""},
		{"write", []any{[]int{1}, map[string]any{"a": 1}}, nil, map[string]any{"ids": []int{1}, "vals": map[string]any{"a": 1}}, ""},
		{"create", []any{map[string]any{"a": 1}}, nil, map[string]any{"vals_list": []any{map[string]any{"a": 1}}}, ""},
		{"create", []any{[]any{map[string]any{"a": 1}}}, nil, map[string]any{"vals_list": []any{map[string]any{"a": 1}}}, ""},
		{"name_search", []any{"Az", []any{}, "ilike"}, map[string]any{"limit": 5}, map[string]any{"name": "Az", "domain": []any{}, "operator": "ilike", "limit": 5}, ""},
		{"read_group", []any{[]any{}, []string{"x"}, []string{"y"}}, map[string]any{"lazy": false}, map[string]any{"domain": []any{}, "fields": []string{"x"}, "groupby": []string{"y"}, "lazy": false}, ""},
		{"action_confirm", []any{[]int{7}}, nil, map[string]any{"ids": []int{7}}, ""},
		{"action_confirm", []any{[]int{7}, "extra"}, nil, nil, "takes 1 positional"},
		{"search", []any{[]any{}}, map[string]any{"domain": []any{}}, nil, "multiple values"},
	} {
		got, err := json2Named(tc.method, tc.args, tc.kw)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err %v, want %q", tc.method, err, tc.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s%v %v = %v, %v; want %v", tc.method, tc.args, tc.kw, got, err, tc.want)
		}
	}
}

// TestJSON2DecodeShapes: integers stay int, floats float64 (1.0 too),
// objects Record, null nil, as the XML-RPC decoder gives.
func TestJSON2DecodeShapes(t *testing.T) {
	v, err := decodeJSON2(strings.NewReader(`[1, 1.0, 2.5e3, -0.5, "s", true, false, null, {}, {"a": [1, {"b": 9007199254740993}]}, 1e400]`), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	want := []any{1, 1.0, 2500.0, -0.5, "s", true, false, nil, Record{}, Record{"a": []any{1, Record{"b": 9007199254740993}}}}
	got := v.([]any)
	if !reflect.DeepEqual(got[:len(want)], want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
	if f, ok := got[len(want)].(float64); !ok || f < 1e308 {
		t.Errorf("1e400 decoded as %#v", got[len(want)])
	}
}

// FuzzDecodeJSON2 feeds the JSON-2 decoder arbitrary bodies (seeded with
// every captured response): it must never panic, and what it accepts must
// be made only of the client's shapes.
func FuzzDecodeJSON2(f *testing.F) {
	m, _ := filepath.Glob(filepath.Join(dirJSON2, "*.response.json"))
	for _, p := range m {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"a": [1, 2.0, null, {"b": "c"}]}`))
	f.Add([]byte(strings.Repeat("[", 300)))
	f.Fuzz(func(t *testing.T, body []byte) {
		v, err := decodeJSON2(bytes.NewReader(body), 1<<20)
		if err != nil {
			if !errors.Is(err, ErrMalformedResponse) && !errors.Is(err, ErrResponseTooLarge) {
				t.Fatalf("error %v wraps neither ErrMalformedResponse nor ErrResponseTooLarge", err)
			}
			return
		}
		if err := checkShapes(v, 0); err != nil {
			t.Fatalf("%v in %q", err, body)
		}
		_, _ = json2Fault(400, v)
	})
}

func checkShapes(v any, depth int) error {
	if depth > MaxNesting {
		return fmt.Errorf("depth %d", depth)
	}
	switch x := v.(type) {
	case nil, bool, string, int, float64:
		return nil
	case []any:
		for _, e := range x {
			if err := checkShapes(e, depth+1); err != nil {
				return err
			}
		}
		return nil
	case Record:
		for _, e := range x {
			if err := checkShapes(e, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("unexpected %T", v)
}
