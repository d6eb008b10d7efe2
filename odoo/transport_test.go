package odoo

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// noLeaks checks, after every cleanup of the test has run (servers closed,
// idle connections closed), that the test left no goroutine behind.
// Registered first, so it runs last.
func noLeaks(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

// countingServer serves a fixed body and counts requests.
func countingServer(t *testing.T, body []byte, handler func(n int64, w http.ResponseWriter, r *http.Request) bool) (*httptest.Server, *atomic.Int64) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		if handler != nil && handler(n, w, r) {
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// hangUp closes the connection without writing a response byte.
func hangUp(t *testing.T, w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	_ = conn.Close()
}

func TestConcurrentReadsOverlap(t *testing.T) {
	noLeaks(t)
	const n = 20
	body := fixture(t, findFixture(t, dir18, "070"), "response")
	var inFlight, peak atomic.Int64
	allIn := make(chan struct{})
	var once sync.Once
	srv, hits := countingServer(t, body, func(_ int64, w http.ResponseWriter, r *http.Request) bool {
		_, _ = io.Copy(io.Discard, r.Body)
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); cur > p && !peak.CompareAndSwap(p, cur); p = peak.Load() {
		}
		if cur == n {
			once.Do(func() { close(allIn) })
		}
		// Injected latency: hold every request 100 ms, and until all n are
		// in flight (bounded, so a serialising client fails instead of
		// hanging).
		time.Sleep(100 * time.Millisecond)
		select {
		case <-allIn:
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
		return false
	})
	c := newTestClient(t, srv.URL, "demo")
	s := c.Session(2, "admin")
	ctx := ctxT(t)

	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			recs, err := s.Read(ctx, "res.partner", []int{1, 999999}, []string{"name"})
			if err == nil && len(recs) != 1 {
				err = errors.New("wrong result")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := peak.Load(); got != n {
		t.Errorf("server saw at most %d requests in flight, want %d: calls did not overlap", got, n)
	}
	st := c.Stats()
	if hits.Load() != n || st.Calls != n || st.PeakInFlight != n || st.InFlight != 0 || st.Retries != 0 {
		t.Errorf("hits %d, stats %+v", hits.Load(), st)
	}
}

func TestMaxConnsPerHostBoundsConcurrency(t *testing.T) {
	noLeaks(t)
	const n, limit = 12, 3
	body := fixture(t, findFixture(t, dir18, "070"), "response")
	var inFlight, peak atomic.Int64
	srv, _ := countingServer(t, body, func(_ int64, _ http.ResponseWriter, _ *http.Request) bool {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); cur > p && !peak.CompareAndSwap(p, cur); p = peak.Load() {
		}
		time.Sleep(20 * time.Millisecond)
		return false
	})
	c, err := NewClient(Config{URL: srv.URL, DB: "demo", MaxConnsPerHost: limit})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	s := c.Session(2, "admin")
	ctx := ctxT(t)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, err := s.Read(ctx, "res.partner", []int{1}, []string{"name"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := peak.Load(); got > limit {
		t.Errorf("server peak in flight %d, want <= %d", got, limit)
	}
}

// blockingServer blocks every request until the client goes away.
func blockingServer(t *testing.T) (*httptest.Server, chan struct{}) {
	started := make(chan struct{}, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body first: only then does the server watch the
		// connection and cancel r.Context() when the client hangs up.
		_, _ = io.Copy(io.Discard, r.Body)
		started <- struct{}{}
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	return srv, started
}

func TestCancelMidCall(t *testing.T) {
	noLeaks(t)
	srv, started := blockingServer(t)
	c := newTestClient(t, srv.URL, "demo")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.Session(2, "admin").Read(ctx, "res.partner", []int{1}, nil)
		done <- err
	}()
	<-started
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		var te *TransportError
		if !errors.As(err, &te) || te.Op != "read res.partner" {
			t.Errorf("err = %#v, want *TransportError for read res.partner", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("call did not return after cancel")
	}
	if st := c.Stats(); st.InFlight != 0 || st.Retries != 0 || st.TransportErrors != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestDeadlines(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration // Config.Timeout
		ctx     func() (context.Context, context.CancelFunc)
	}{
		{"context deadline", 0, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 100*time.Millisecond)
		}},
		{"Config.Timeout", 100 * time.Millisecond, func() (context.Context, context.CancelFunc) {
			return context.Background(), func() {}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeaks(t)
			srv, _ := blockingServer(t)
			c, err := NewClient(Config{URL: srv.URL, DB: "demo", Timeout: tt.timeout})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(c.CloseIdleConnections)
			ctx, cancel := tt.ctx()
			defer cancel()
			done := make(chan error, 1)
			go func() { _, err := c.Version(ctx); done <- err }()
			select {
			case err := <-done:
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("err = %v, want DeadlineExceeded", err)
				}
				var te *TransportError
				if !errors.As(err, &te) || !te.Timeout() {
					t.Errorf("err = %#v, want a timeout *TransportError", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("call did not return at its deadline")
			}
		})
	}
}

func TestRetryPolicy(t *testing.T) {
	readBody := fixture(t, findFixture(t, dir18, "070"), "response")
	createBody := fixture(t, findFixture(t, dir18, "092"), "response")
	versionBody := fixture(t, findFixture(t, dir18, "001"), "response")
	tests := []struct {
		name string
		body []byte
		// fail decides, for the n-th request to the object endpoint, how it fails.
		fail      func(n int64) string // "hangup", "partial", ""
		call      func(ctx context.Context, s *Session) error
		wantErr   bool
		wantHits  int64
		wantRetry int64
	}{
		{"read retried once after hang-up", readBody, firstOnly("hangup"),
			func(ctx context.Context, s *Session) error {
				_, err := s.Read(ctx, "res.partner", []int{1, 999999}, []string{"name"})
				return err
			}, false, 2, 1},
		{"search_read retried once after hang-up", readBody, firstOnly("hangup"),
			func(ctx context.Context, s *Session) error {
				_, err := s.SearchRead(ctx, "res.partner", nil, []string{"name"}, SearchOptions{})
				return err
			}, false, 2, 1},
		{"read retried only once", readBody, func(int64) string { return "hangup" },
			func(ctx context.Context, s *Session) error {
				_, err := s.Read(ctx, "res.partner", []int{1}, nil)
				return err
			}, true, 2, 1},
		{"read not retried once response bytes arrived", readBody, firstOnly("partial"),
			func(ctx context.Context, s *Session) error {
				_, err := s.Read(ctx, "res.partner", []int{1}, nil)
				return err
			}, true, 1, 0},
		{"create never retried", createBody, firstOnly("hangup"),
			func(ctx context.Context, s *Session) error {
				_, err := s.Create(ctx, "res.partner", map[string]any{"name": "x"})
				return err
			}, true, 1, 0},
		{"write never retried", createBody, firstOnly("hangup"),
			func(ctx context.Context, s *Session) error {
				return s.Write(ctx, "res.partner", []int{1}, map[string]any{"name": "x"})
			}, true, 1, 0},
		{"unlink never retried", createBody, firstOnly("hangup"),
			func(ctx context.Context, s *Session) error {
				return s.Unlink(ctx, "res.partner", []int{1})
			}, true, 1, 0},
		{"other methods never retried", createBody, firstOnly("hangup"),
			func(ctx context.Context, s *Session) error {
				_, err := s.ExecuteKW(ctx, "res.partner", "action_archive", []any{[]int{1}}, nil)
				return err
			}, true, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeaks(t)
			var objectHits atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/xmlrpc/2/common" { // warm-up call
					_, _ = w.Write(versionBody)
					return
				}
				n := objectHits.Add(1)
				switch tt.fail(n) {
				case "hangup":
					hangUp(t, w)
					return
				case "partial":
					w.Header().Set("Content-Length", "100000")
					_, _ = w.Write(tt.body[:50])
					http.NewResponseController(w).Flush()
					hangUp(t, w)
					return
				}
				_, _ = w.Write(tt.body)
			}))
			t.Cleanup(srv.Close)
			c := newTestClient(t, srv.URL, "demo")
			ctx := ctxT(t)
			// Warm up so the failing call runs on a reused keep-alive
			// connection, as in production.
			if _, err := c.Version(ctx); err != nil {
				t.Fatal(err)
			}
			err := tt.call(ctx, c.Session(2, "admin"))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil {
				var te *TransportError
				if !errors.As(err, &te) {
					t.Errorf("err = %#v, want *TransportError", err)
				}
				if _, ok := KindOf(err); ok {
					t.Errorf("transport error has a fault Kind")
				}
			}
			if got := objectHits.Load(); got != tt.wantHits {
				t.Errorf("server hits = %d, want %d", got, tt.wantHits)
			}
			if got := c.Stats().Retries; got != tt.wantRetry {
				t.Errorf("retries = %d, want %d", got, tt.wantRetry)
			}
		})
	}
}

func firstOnly(mode string) func(int64) string {
	return func(n int64) string {
		if n == 1 {
			return mode
		}
		return ""
	}
}

func TestTransportErrors(t *testing.T) {
	big := fixture(t, findFixture(t, dir18, "059"), "response")
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		maxBytes   int64
		wantStatus int
		wantIs     error
	}{
		{"HTTP 500", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "<html>Internal Server Error</html>", http.StatusInternalServerError)
		}, 0, 500, ErrBadStatus},
		{"HTTP 502", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
		}, 0, 502, ErrBadStatus},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/web/login", http.StatusSeeOther)
		}, 0, 303, ErrBadStatus},
		{"garbled XML", func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`<?xml version="1.0"?><methodResponse><params><param><value><array><data><value><int>1</int></value></array>`))
		}, 0, 200, ErrMalformedResponse},
		{"HTML page with 200", func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`<!DOCTYPE html><html><body>Login</body></html>`))
		}, 0, 200, ErrMalformedResponse},
		{"empty body", func(http.ResponseWriter, *http.Request) {}, 0, 200, ErrMalformedResponse},
		{"truncated fixture", func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write(big[:len(big)/2])
		}, 0, 200, ErrMalformedResponse},
		{"wrong result shape", func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`<?xml version="1.0"?><methodResponse><params><param><value><int>7</int></value></param></params></methodResponse>`))
		}, 0, 200, ErrMalformedResponse},
		{"too large with Content-Length", func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write(big)
		}, 4096, 200, ErrResponseTooLarge},
		{"too large, chunked", func(w http.ResponseWriter, _ *http.Request) {
			for i := 0; i < len(big); i += 1000 {
				_, _ = w.Write(big[i:min(i+1000, len(big))])
				http.NewResponseController(w).Flush()
			}
		}, 4096, 200, ErrResponseTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeaks(t)
			srv := httptest.NewServer(tt.handler)
			t.Cleanup(srv.Close)
			c, err := NewClient(Config{URL: srv.URL, DB: "demo", MaxResponseBytes: tt.maxBytes})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(c.CloseIdleConnections)
			_, err = c.Session(2, "admin").SearchRead(ctxT(t), "res.partner", nil, nil, SearchOptions{})
			var te *TransportError
			if !errors.As(err, &te) {
				t.Fatalf("err = %#v, want *TransportError", err)
			}
			if te.StatusCode != tt.wantStatus || !errors.Is(err, tt.wantIs) {
				t.Errorf("status %d, err %v; want %d, %v", te.StatusCode, err, tt.wantStatus, tt.wantIs)
			}
			var f *Fault
			if errors.As(err, &f) {
				t.Errorf("transport error is also a Fault")
			}
			if !strings.HasPrefix(err.Error(), "odoo: search_read res.partner: ") {
				t.Errorf("Error() = %q", err)
			}
			if strings.Contains(err.Error(), "admin") {
				t.Errorf("password in error: %q", err)
			}
		})
	}
}

func TestConnectionRefused(t *testing.T) {
	noLeaks(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	c := newTestClient(t, "http://"+addr, "demo")
	_, err = c.Version(ctxT(t))
	var te *TransportError
	if !errors.As(err, &te) || te.StatusCode != 0 {
		t.Fatalf("err = %#v, want *TransportError without status", err)
	}
	if c.Stats().Retries != 0 {
		t.Errorf("connection refused was retried")
	}
	if strings.Contains(err.Error(), "Post ") {
		t.Errorf("Error() repeats the URL: %q", err)
	}
}

func TestNewClientValidation(t *testing.T) {
	tests := []struct {
		url     string
		wantErr string
	}{
		{"", "Config.URL is empty"},
		{"127.0.0.1:8069", "scheme must be http or https"},
		{"ftp://odoo.example", "scheme must be http or https"},
		{"http://", "has no host"},
		{"http://odoo.example/xmlrpc/2", "without /xmlrpc"},
		{"http://odoo.example/xmlrpc/2/object", "without /xmlrpc"},
		{"http://odoo.example/xmlrpc/", "without /xmlrpc"},
		{"http://odoo.example/?db=x", "must not have a query"},
		{"http://odoo.example:8069", ""},
		{"https://odoo.example/", ""},
		{"https://example.com/odoo/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			c, err := NewClient(Config{URL: tt.url, DB: "demo"})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if strings.HasSuffix(c.objectURL, "//xmlrpc/2/object") || !strings.HasSuffix(c.objectURL, "/xmlrpc/2/object") {
					t.Errorf("objectURL = %q", c.objectURL)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
	if _, err := NewClient(Config{URL: "http://x", MaxResponseBytes: -1}); err == nil {
		t.Error("negative MaxResponseBytes accepted")
	}
}

func TestEmptyDB(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1", "")
	if _, err := c.Authenticate(context.Background(), "a", "b"); err == nil || !strings.Contains(err.Error(), "Config.DB is empty") {
		t.Errorf("err = %v", err)
	}
	if _, err := c.Session(2, "x").SearchCount(context.Background(), "res.partner", nil); err == nil || !strings.Contains(err.Error(), "Config.DB is empty") {
		t.Errorf("err = %v", err)
	}
}
