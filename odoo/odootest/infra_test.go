package odootest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCounters(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	c.rpc("/xmlrpc/2/common", "version")
	c.rpc("/xmlrpc/2/common", "authenticate", "demo", "admin", "admin", KW())
	for range 3 {
		c.must("res.partner", "search", L(L()), nil)
	}
	c.fault("res.partner", "no_such_method", L(L()), nil)
	c.as(2, "bad").fault("sale.order", "read", L(L(1)), nil)
	for _, tc := range []struct {
		model, method string
		want          int
	}{
		{"", "version", 1}, {"", "authenticate", 1}, {"res.partner", "search", 3},
		{"res.partner", "no_such_method", 1}, {"sale.order", "read", 1}, {"res.partner", "read", 0},
	} {
		if got := s.Calls(tc.model, tc.method); got != tc.want {
			t.Errorf("Calls(%q, %q) = %d, want %d", tc.model, tc.method, got, tc.want)
		}
	}
	if got := s.TotalCalls(); got != 7 {
		t.Errorf("TotalCalls = %d, want 7", got)
	}
	if got := s.CallCounts()["res.partner.search"]; got != 3 {
		t.Errorf("CallCounts: %v", s.CallCounts())
	}
	s.ResetCounters()
	if s.TotalCalls() != 0 || s.Calls("res.partner", "search") != 0 {
		t.Error("ResetCounters")
	}
}

// TestLatencyAndPeak runs concurrent raw HTTP requests against a server
// whose latency holds them: once they are all in flight, SetLatency(0)
// releases them. No wall-clock threshold is involved.
func TestLatencyAndPeak(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	s.SetLatency(time.Hour)
	const n = 8
	body := encodeCall("execute_kw", "demo", 2, "admin", "res.partner", "search_count", L(L()))
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, got, err := c.post("/xmlrpc/2/object", body)
			if err != nil || resp.StatusCode != 200 || !bytes.Contains(got, []byte("<int>39</int>")) {
				t.Errorf("concurrent call: %v %s", err, got)
			}
		}()
	}
	// A call is counted before it waits: once all are counted, all wait.
	for s.Calls("res.partner", "search_count") < n {
		time.Sleep(time.Millisecond)
	}
	if got := s.InFlight(); got != n {
		t.Errorf("InFlight while waiting = %d, want %d", got, n)
	}
	s.SetLatency(0)
	wg.Wait()
	if got := s.PeakInFlight(); got != n {
		t.Errorf("PeakInFlight = %d, want %d", got, n)
	}
	s.ResetPeak()
	if got := s.PeakInFlight(); got != 0 {
		t.Errorf("after ResetPeak: %d", got)
	}
	// A client that goes away stops the server waiting.
	s.SetLatency(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", s.URL+"/xmlrpc/2/object", bytes.NewReader(body))
	errc := make(chan error, 1)
	go func() {
		resp, err := c.hc.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	for s.InFlight() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled request: %v", err)
	}
	for s.InFlight() != 0 {
		time.Sleep(time.Millisecond)
	}
	s.SetLatency(0)
}

func TestFaultInjection(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	body := encodeCall("execute_kw", "demo", 2, "admin", "res.partner", "search_count", L(L()))
	post := func() (int, []byte, error) {
		tr := &http.Transport{DisableKeepAlives: true}
		defer tr.CloseIdleConnections()
		resp, err := (&http.Client{Transport: tr}).Post(s.URL+"/xmlrpc/2/object", "text/xml", bytes.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}
	for _, tc := range []struct {
		kind   FaultKind
		status int
		check  func([]byte) bool
	}{
		{FaultRefuse, 0, nil},
		{FaultHTTP500, 500, func(b []byte) bool { return bytes.Contains(b, []byte("Internal Server Error")) }},
		{FaultHTTP502, 502, func(b []byte) bool { return bytes.Contains(b, []byte("502 Bad Gateway")) }},
		{FaultGarbled, 200, func(b []byte) bool { _, _, err := decodeMethodResponse(b); return err != nil }},
		{FaultSlow, 200, func(b []byte) bool { return bytes.Contains(b, []byte("<int>39</int>")) }},
	} {
		t.Run(tc.kind.String(), func(t *testing.T) {
			s.SetFaults(FaultPlan{Kind: tc.kind, Every: 2, Delay: 10 * time.Millisecond})
			for i := 1; i <= 4; i++ {
				status, b, err := post()
				injected := i%2 == 0
				switch {
				case !injected || tc.kind == FaultSlow:
					if err != nil || status != 200 || !bytes.Contains(b, []byte("<int>39</int>")) {
						t.Errorf("call %d: %d %v %q", i, status, err, b)
					}
				case tc.kind == FaultRefuse:
					if err == nil {
						t.Errorf("call %d: want a connection error, got %d %q", i, status, b)
					}
				default:
					if err != nil || status != tc.status || !tc.check(b) {
						t.Errorf("call %d: %d %v %q", i, status, err, b)
					}
				}
			}
			if got := s.InjectedFaults(); got != 2 {
				t.Errorf("InjectedFaults = %d, want 2", got)
			}
		})
	}
	// Method filter, rate with a seed, and a write that lands before the
	// connection drops.
	s.SetFaults(FaultPlan{Kind: FaultRefuse, Every: 1, Methods: []string{"res.partner.write"}, AfterApply: true})
	if _, f := c.exec("res.partner", "search_count", L(L()), nil); f != nil {
		t.Errorf("unfiltered call faulted: %+v", f)
	}
	wbody := encodeCall("execute_kw", "demo", 2, "admin", "res.partner", "write", L(L(10), KW("name", "Deco Addict (applied)")))
	if _, _, err := c.post("/xmlrpc/2/object", wbody); err == nil {
		t.Error("write: want a connection error")
	}
	if r, _ := s.Record("res.partner", 10); r["name"] != "Deco Addict (applied)" {
		t.Errorf("AfterApply: write not applied: %v", r["name"])
	}
	s.SetFaults(FaultPlan{Kind: FaultHTTP502, Every: 1, Methods: []string{"write"}})
	wbody = encodeCall("execute_kw", "demo", 2, "admin", "res.partner", "write", L(L(10), KW("name", "Not applied")))
	if resp, _, err := c.post("/xmlrpc/2/object", wbody); err != nil || resp.StatusCode != 502 {
		t.Errorf("502 before apply: %v", err)
	}
	if r, _ := s.Record("res.partner", 10); r["name"] == "Not applied" {
		t.Error("write applied although the fault came first")
	}
	hits := func(seed uint64) []bool {
		s.SetFaults(FaultPlan{Kind: FaultHTTP500, Rate: 0.5, Seed: seed})
		var out []bool
		for range 16 {
			status, _, _ := post()
			out = append(out, status == 500)
		}
		return out
	}
	a, b := hits(42), hits(42)
	if !equalBools(a, b) {
		t.Errorf("same seed, different faults: %v %v", a, b)
	}
	s.SetFaults(FaultPlan{Kind: FaultHTTP500, Every: 1, Limit: 1})
	if st, _, _ := post(); st != 500 {
		t.Error("Limit: first call not faulted")
	}
	if st, _, _ := post(); st != 200 {
		t.Error("Limit: second call faulted")
	}
	s.SetFaults(FaultPlan{})
}

func equalBools(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDownAndResume(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := newClient(t, s)
	s.Stop()
	body := encodeCall("version")
	if _, _, err := c.post("/xmlrpc/2/common", body); err == nil {
		t.Error("down: want a connection error")
	}
	s.Resume()
	if v, f := c.rpc("/xmlrpc/2/common", "version"); f != nil || get(v, "server_version") != "18.0" {
		t.Errorf("after resume: %v %v", v, f)
	}
}

func TestSyntheticScale(t *testing.T) {
	start := time.Now()
	s := NewServer(WithSynthetic(SyntheticConfig{Partners: 10000, ContactsPerCompany: 4, Tags: 30}))
	defer s.Close()
	build := time.Since(start)
	t.Logf("built 10,000 partners in %v", build)
	c := newClient(t, s)
	if n := s.Count("res.partner"); n != 43+10000 {
		t.Errorf("Count = %d", n)
	}
	total := c.must("res.partner", "search_count", L(L()), KW("context", KW("active_test", false)))
	if total != 10043 {
		t.Errorf("search_count = %v", total)
	}
	companies := c.must("res.partner", "search_count", L(L(L("is_company", "=", true))), nil).(int)
	if companies < 1900 || companies > 2100 {
		t.Errorf("%d companies", companies)
	}
	recs := c.must("res.partner", "search_read", L(L(L("is_company", "=", true), L("child_ids", "!=", false))),
		KW("fields", L("name", "child_ids", "country_id", "category_id"), "limit", 2, "offset", 100, "order", "id desc")).([]any)
	for _, r := range recs {
		kids := ints(get(r, "child_ids"))
		if len(kids) == 0 || len(kids) > 4 {
			t.Errorf("company %v has children %v", get(r, "id"), kids)
		}
		for _, k := range c.must("res.partner", "read", L(intsAny(kids)), KW("fields", L("parent_id", "complete_name"))).([]any) {
			if get(k, "parent_id").([]any)[0] != get(r, "id") {
				t.Errorf("child %v of %v has parent %v", get(k, "id"), get(r, "id"), get(k, "parent_id"))
			}
		}
	}
	// A big read: every partner, the gateway's benchmark shape.
	spec := KW(
		"name", KW(),
		"country_id", KW("fields", KW("code", KW())),
		"parent_id", KW("fields", KW("display_name", KW())),
		"category_id", KW("fields", KW("name", KW())),
	)
	res := c.must("res.partner", "web_search_read", L(L(), spec), nil)
	if n := len(get(res, "records").([]any)); n != 9936 {
		t.Errorf("web_search_read returned %d records", n)
	}
	tagged := c.must("res.partner", "search_count", L(L(L("category_id.name", "ilike", "segment"))), nil).(int)
	if tagged == 0 {
		t.Error("no tagged partner")
	}
}

func TestSchemaDrift(t *testing.T) {
	s := NewServer(WithModels("res.partner", "res.country", "res.partner.category"), WithoutFields("res.partner", "email"))
	defer s.Close()
	c := newClient(t, s)
	if got := s.Models(); !equalStrings(got, []string{"ir.config_parameter", "ir.model", "ir.model.access", "res.country", "res.lang", "res.partner", "res.partner.category"}) {
		t.Errorf("Models = %v", got)
	}
	if f := c.fault("sale.order", "fields_get", L(), nil); f.Code != 2 || f.String != "Object sale.order doesn't exist" {
		t.Errorf("removed model: %+v", f)
	}
	fg := c.must("res.partner", "fields_get", L(), KW("attributes", L("type")))
	for _, gone := range []string{"email", "sale_order_ids", "state_id"} {
		if get(fg, gone) != nil {
			t.Errorf("field %s still listed", gone)
		}
	}
	if get(fg, "country_id") == nil || get(fg, "name") == nil {
		t.Error("kept fields missing")
	}
	if f := c.fault("res.partner", "read", L(L(1)), KW("fields", L("email"))); f.Code != 1 {
		t.Errorf("read removed field: %+v", f)
	}
	// Relations outside the dataset stay as stubs.
	if n := c.must("res.groups", "search_count", L(L()), nil).(int); n == 0 {
		t.Error("no res.groups stub records")
	}
	s2 := NewServer(WithoutModels("account.tax"))
	defer s2.Close()
	if got := len(s2.Models()); got != 23 { // 19 of the demo, ir.*, res.lang
		t.Errorf("WithoutModels: %d models", got)
	}
}

func TestLogger(t *testing.T) {
	var buf syncBuffer
	s := NewServer(WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	defer s.Close()
	newClient(t, s).must("res.partner", "search_count", L(L()), nil)
	if !strings.Contains(buf.String(), "model=res.partner method=search_count") {
		t.Errorf("log: %q", buf.String())
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
