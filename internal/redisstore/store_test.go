package redisstore

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"log/slog"
	"math/big"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gomodule/redigo/redis"
	"go.uber.org/goleak"

	"github.com/odoogql/odoogql/internal/redisstore/redistest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// newStore returns a store on addr that recovers quickly, closed when the
// test ends.
func newStore(t *testing.T, addr string, edit func(*Options)) *Store {
	t.Helper()
	opt := Options{Addr: addr, Backoff: 100 * time.Millisecond, PingInterval: 300 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)}
	if edit != nil {
		edit(&opt)
	}
	s, err := New(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// recorder collects the names a subscription is told.
type recorder struct {
	mu    sync.Mutex
	calls [][]string
}

func (r *recorder) f(names []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, slices.Clone(names))
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = nil
}

// saw reports whether some call named every one of names.
func (r *recorder) saw(names ...string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.calls {
		all := true
		for _, n := range names {
			all = all && slices.Contains(c, n)
		}
		if all {
			return true
		}
	}
	return false
}

func subscribe(t *testing.T, s *Store) *recorder {
	t.Helper()
	r := &recorder{}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s.Subscribe(ctx, r.f)
	return r
}

// eventually polls cond for up to 10s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("after 10s: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func syncStore(t *testing.T, s *Store) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestGetSetTTL(t *testing.T) {
	redistest.NoLeaks(t)
	rs := redistest.Start(t)
	s := newStore(t, rs.Addr(), nil)
	ctx := context.Background()
	if _, ok := s.Get(ctx, "k"); ok {
		t.Fatal("hit on an empty Redis")
	}
	s.Set(ctx, "k", []byte(`{"a":1}`), time.Minute)
	s.Set(ctx, "forever", []byte(`1`), 0) // no TTL: not stored
	s.Set(ctx, "short", []byte(`2`), 150*time.Millisecond)
	syncStore(t, s)
	if v, ok := s.Get(ctx, "k"); !ok || string(v) != `{"a":1}` {
		t.Fatalf("Get k = %q, %v", v, ok)
	}
	if _, ok := s.Get(ctx, "forever"); ok {
		t.Error("a value without TTL was stored")
	}
	raw, err := redis.Dial("tcp", rs.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ms, err := redis.Int64(raw.Do("PTTL", "odoogql:val:k"))
	if ttl := time.Duration(ms) * time.Millisecond; err != nil || ttl <= 50*time.Second || ttl > time.Minute {
		t.Errorf("TTL of odoogql:val:k = %v, %v; want about 1m", ttl, err)
	}
	eventually(t, "the 150ms value expires", func() bool { _, ok := s.Get(ctx, "short"); return !ok })

	// Another prefix is another namespace.
	other := newStore(t, rs.Addr(), func(o *Options) { o.KeyPrefix = "other:" })
	if _, ok := other.Get(ctx, "k"); ok {
		t.Error("a store with another prefix sees odoogql: keys")
	}
	st := s.Stats()
	if !st.Up || st.Hits < 1 || st.Misses < 2 || st.Sets != 2 || st.Errors != 0 || st.Outages != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestGenerationsAcrossReplicas(t *testing.T) {
	redistest.NoLeaks(t)
	rs := redistest.Start(t)
	a, b := newStore(t, rs.Addr(), nil), newStore(t, rs.Addr(), nil)
	ra, rb := subscribe(t, a), subscribe(t, b)
	ctx := context.Background()
	ga := a.Generation(ctx, "g|db|res.partner")
	if gb := b.Generation(ctx, "g|db|res.partner"); ga != gb {
		t.Fatalf("replicas disagree: %d and %d", ga, gb)
	}
	// An absent counter starts at Redis's clock in microseconds.
	if now := uint64(time.Now().UnixMicro()); ga < now-uint64(time.Hour.Microseconds()) || ga > now+uint64(time.Hour.Microseconds()) {
		t.Errorf("new generation %d, want about %d", ga, now)
	}
	if err := a.Bump(ctx, []string{"w|db", "g|db|res.partner"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "both replicas hear of the bump", func() bool {
		return ra.saw("w|db", "g|db|res.partner") && rb.saw("w|db", "g|db|res.partner")
	})
	if g := b.Generation(ctx, "g|db|res.partner"); g != ga+1 {
		t.Errorf("after a bump: %d, want %d", g, ga+1)
	}
	if g := b.Generation(ctx, "w|db"); g < ga {
		t.Errorf("a counter created by a bump: %d, want at least %d", g, ga)
	}
	if st := b.Stats(); st.Received != 1 || st.Subscribed != 1 || st.Bumps != 0 {
		t.Errorf("b stats %+v", st)
	}
	if st := a.Stats(); st.Bumps != 1 {
		t.Errorf("a stats %+v", st)
	}
	// A subscription ends with its context.
	sctx, cancel := context.WithCancel(ctx)
	rc := &recorder{}
	b.Subscribe(sctx, rc.f)
	eventually(t, "second subscription", func() bool { return b.Stats().Subscribed == 2 })
	cancel()
	eventually(t, "subscription ends with its context", func() bool { return b.Stats().Subscribed == 1 })
}

// TestRedisAway: with Redis killed every call returns at once, and the
// store comes back by itself when Redis is restarted (empty) on the same
// port: bumps made meanwhile are replayed, subscribers forget every counter
// and generations never go back.
func TestRedisAway(t *testing.T) {
	redistest.NoLeaks(t)
	rs := redistest.Start(t)
	logs := &logBuffer{}
	a := newStore(t, rs.Addr(), func(o *Options) { o.Logger = slog.New(slog.NewTextHandler(logs, nil)) })
	b := newStore(t, rs.Addr(), nil)
	ra, rb := subscribe(t, a), subscribe(t, b)
	ctx := context.Background()
	g0 := a.Generation(ctx, "g|db|res.partner")
	b.Generation(ctx, "g|db|res.partner")
	b.Generation(ctx, "g|db|res.country") // known to b only
	a.Set(ctx, "k", []byte("1"), time.Minute)
	syncStore(t, a)

	rs.Kill()
	if _, ok := b.Get(ctx, "k"); ok {
		t.Fatal("hit with Redis killed")
	}
	down := a.Generation(ctx, "g|db|res.partner")
	for range 100 {
		a.Get(ctx, "k")
		a.Set(ctx, "k2", []byte("2"), time.Minute)
		b.Get(ctx, "k")
		if g := a.Generation(ctx, "g|db|res.partner"); g != down {
			t.Fatalf("generation moved within an outage: %d then %d", down, g)
		}
	}
	if err := a.Bump(ctx, []string{"g|db|res.partner"}); err == nil {
		t.Error("Bump succeeded with Redis killed")
	}
	// Failing fast, shown without a clock: once down, calls do not try
	// Redis at all, so the error count stays at the few calls that found
	// it away (not one per call of the 400).
	if ea, eb := a.Stats().Errors, b.Stats().Errors; ea > 5 || eb > 5 {
		t.Errorf("errors with Redis away: %d and %d: calls kept trying Redis", ea, eb)
	}
	if down < 1<<63 || down == g0 {
		t.Errorf("generation while down %d, want a value above any counter", down)
	}
	if st := a.Stats(); st.Up || st.Outages != 1 || st.Pending != 1 || st.Errors == 0 {
		t.Errorf("a stats while down: %+v", st)
	}
	if err := a.Healthy(ctx); err == nil {
		t.Error("Healthy with Redis killed")
	}
	eventually(t, "subscriptions notice", func() bool { return a.Stats().Subscribed == 0 && b.Stats().Subscribed == 0 })

	ra.reset()
	rb.reset()
	rs.Restart()
	eventually(t, "both stores come back and subscribe again", func() bool {
		sa, sb := a.Stats(), b.Stats()
		return sa.Up && sb.Up && sa.Subscribed == 1 && sb.Subscribed == 1 && sa.Pending == 0
	})
	// Each replica forgets every counter it holds (the bump made while Redis
	// was away is replayed too, but b may subscribe after it is announced).
	eventually(t, "the replicas forget their counters", func() bool {
		return rb.saw("g|db|res.partner", "g|db|res.country") && ra.saw("g|db|res.partner")
	})
	// Redis restarted empty, yet generations only go forward.
	if g := b.Generation(ctx, "g|db|res.partner"); g <= g0 || g >= 1<<63 {
		t.Errorf("generation after the restart %d, want above %d", g, g0)
	}
	// Sharing works again.
	a.Set(ctx, "k3", []byte("3"), time.Minute)
	syncStore(t, a)
	if v, ok := b.Get(ctx, "k3"); !ok || string(v) != "3" {
		t.Errorf("b.Get after recovery = %q, %v", v, ok)
	}
	if err := a.Healthy(ctx); err != nil {
		t.Error(err)
	}
	// One line when Redis goes away, one when it is back.
	out := logs.String()
	if strings.Count(out, "level=WARN msg=\"redis unavailable") != 1 || strings.Count(out, "level=INFO msg=\"redis is back") != 1 || strings.Contains(out, "level=ERROR") {
		t.Errorf("log:\n%s", out)
	}
}

type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRedisHangs: a Redis that stops answering (SIGSTOP) costs one timeout,
// after which calls return at once; it recovers after SIGCONT.
func TestRedisHangs(t *testing.T) {
	redistest.NoLeaks(t)
	rs := redistest.Start(t)
	s := newStore(t, rs.Addr(), nil)
	r := subscribe(t, s)
	ctx := context.Background()
	g1 := s.Generation(ctx, "g|db|m")
	rs.Pause()
	defer rs.Resume()
	if _, ok := s.Get(ctx, "k"); ok {
		t.Fatal("hit from a hung Redis")
	}
	errsAfterFirst := s.Stats().Errors
	for range 100 {
		s.Get(ctx, "k")
		s.Generation(ctx, "g|db|m")
		s.Set(ctx, "k", []byte("v"), time.Minute)
	}
	// Once the first call timed out, the store answers without waiting on
	// the hung Redis: no further call errors (each would have waited for
	// the operation timeout).
	if e := s.Stats().Errors; e > errsAfterFirst+2 {
		t.Errorf("errors grew from %d to %d: calls kept waiting on the hung Redis", errsAfterFirst, e)
	}
	if s.Stats().Up {
		t.Error("store up with Redis hung")
	}
	if err := s.Bump(ctx, []string{"g|db|m"}); err == nil {
		t.Error("Bump succeeded with Redis hung")
	}
	// The subscription's ping goes unanswered: it reconnects, and is
	// established again once Redis continues.
	eventually(t, "the subscription gives up on the hung connection", func() bool { return s.Stats().Subscribed == 0 })
	r.reset()
	rs.Resume()
	eventually(t, "recovery after SIGCONT", func() bool {
		st := s.Stats()
		return st.Up && st.Subscribed == 1 && st.Pending == 0 && r.saw("g|db|m")
	})
	// Redis kept its data: the bump that failed was replayed.
	if g := s.Generation(ctx, "g|db|m"); g != g1+1 {
		t.Errorf("generation after the replay %d, want %d", g, g1+1)
	}
}

func TestClose(t *testing.T) {
	redistest.NoLeaks(t)
	rs := redistest.Start(t)
	s := newStore(t, rs.Addr(), nil)
	subscribe(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	ctx := context.Background()
	if _, ok := s.Get(ctx, "k"); ok {
		t.Error("hit after Close")
	}
	if err := s.Bump(ctx, []string{"x"}); err == nil {
		t.Error("Bump after Close succeeded")
	}
	s.Set(ctx, "k", []byte("v"), time.Minute)
	s.Subscribe(ctx, func([]string) {}) // returns at once
	if st := s.Stats(); st.Up || st.Outages != 0 {
		t.Errorf("stats after Close: %+v", st)
	}
}

func TestStartsWithoutRedis(t *testing.T) {
	redistest.NoLeaks(t)
	rs := redistest.Start(t)
	addr := rs.Addr()
	rs.Kill()
	s := newStore(t, addr, nil)
	r := subscribe(t, s)
	if st := s.Stats(); st.Up || st.Subscribed != 0 {
		t.Fatalf("up without Redis: %+v", st)
	}
	s.Generation(context.Background(), "g|db|m")
	rs.Restart()
	eventually(t, "comes up when Redis starts", func() bool { st := s.Stats(); return st.Up && st.Subscribed == 1 && r.saw("g|db|m") })
}

func TestParseURL(t *testing.T) {
	o, err := ParseURL("redis://user:s3cret@redis.internal:6380/2?dial_timeout=100ms")
	if err != nil {
		t.Fatal(err)
	}
	if o.Addr != "redis.internal:6380" || o.Username != "user" || o.Password != "s3cret" || o.DB != 2 || o.DialTimeout != 100*time.Millisecond || o.TLSConfig != nil {
		t.Errorf("%+v", o)
	}
	if o, err := ParseURL("rediss://:pw@host"); err != nil || o.Addr != "host:6379" || o.TLSConfig == nil {
		t.Errorf("rediss: %+v %v", o, err)
	}
	if o, err := ParseURL("unix:///run/redis.sock?db=3"); err != nil || o.Network != "unix" || o.Addr != "/run/redis.sock" || o.DB != 3 {
		t.Errorf("unix: %+v %v", o, err)
	}
	if o, err := ParseURL("rediss://u:pw@[::1]?skip_verify=true&pool_size=7&read_timeout=0&write_timeout=2&max_retries=3&client_name=x"); err != nil ||
		o.Addr != "[::1]:6379" || o.TLSConfig == nil || !o.TLSConfig.InsecureSkipVerify || o.TLSConfig.ServerName != "::1" ||
		o.PoolSize != 7 || o.ReadTimeout != 0 || o.WriteTimeout != 2*time.Second || o.Username != "u" || o.Password != "pw" {
		t.Errorf("rediss with options: %+v %v", o, err)
	}
	if o, err := ParseURL("unix://u:pw@/run/redis.sock"); err != nil || o.Network != "unix" || o.Addr != "/run/redis.sock" || o.Username != "u" || o.Password != "pw" || o.DB != 0 {
		t.Errorf("unix with user: %+v %v", o, err)
	}
	if o, err := ParseURL("redis://h/1?db=4"); err != nil || o.DB != 4 || o.Addr != "h:6379" || o.Network != "tcp" {
		t.Errorf("db in the query: %+v %v", o, err)
	}
	for _, bad := range []string{"localhost:6379", "http://host", "redis://:s3cret@host:6379/x", "redis://:s3cret@host:port/0", "redis://", "redis://h:1/0?nope=1",
		"redis://:s3cret@h/1/2", "unix://:s3cret@", "redis://:s3cret@h?db=x", "redis://:s3cret@h?dial_timeout=soon", "redis://:s3cret@h?pool_size=many",
		"redis://:s3cret@h?skip_verify=true", "redis://:s3cret@h?pool_fifo=maybe"} {
		_, err := ParseURL(bad)
		if err == nil {
			t.Errorf("%q accepted", bad)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%q: the error shows the password: %v", bad, err)
		}
	}
}

// TestAuthAndDB: the store logs in as an ACL user with its password and uses
// its database; a wrong password keeps it down.
func TestAuthAndDB(t *testing.T) {
	redistest.NoLeaks(t)
	rs := redistest.Start(t)
	if got := rs.Command("ACL SETUSER gw on >s3cret ~* &* +@all"); got != "+OK" {
		t.Fatalf("ACL SETUSER: %s", got)
	}
	s := newStore(t, rs.Addr(), func(o *Options) { o.Username, o.Password, o.DB, o.PoolSize = "gw", "s3cret", 3, 1 })
	r := subscribe(t, s)
	ctx := context.Background()
	s.Set(ctx, "k", []byte("v"), time.Minute)
	syncStore(t, s)
	if v, ok := s.Get(ctx, "k"); !ok || string(v) != "v" {
		t.Fatalf("Get = %q, %v", v, ok)
	}
	s.Generation(ctx, "g")
	if err := s.Bump(ctx, []string{"g"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the announcement", func() bool { return r.saw("g") })
	raw, err := redis.Dial("tcp", rs.Addr(), redis.DialUsername("gw"), redis.DialPassword("s3cret"), redis.DialDatabase(3))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if v, err := redis.String(raw.Do("GET", "odoogql:val:k")); err != nil || v != "v" {
		t.Errorf("odoogql:val:k in database 3: %q, %v", v, err)
	}
	if st := s.Stats(); !st.Up || st.Errors != 0 || st.Subscribed != 1 {
		t.Errorf("stats %+v", st)
	}

	bad := newStore(t, rs.Addr(), func(o *Options) { o.Username, o.Password = "gw", "wrong" })
	if _, ok := bad.Get(ctx, "k"); ok {
		t.Error("hit with a wrong password")
	}
	if st := bad.Stats(); st.Up || st.Errors == 0 {
		t.Errorf("stats with a wrong password: %+v", st)
	}
}

// TestSubscriptionPings: a silent subscription pings Redis, and stays
// established while the pings are answered.
func TestSubscriptionPings(t *testing.T) {
	redistest.NoLeaks(t)
	rs := redistest.Start(t)
	s := newStore(t, rs.Addr(), func(o *Options) { o.PingInterval = 50 * time.Millisecond })
	s.Generation(context.Background(), "g")
	r := subscribe(t, s)
	eventually(t, "subscribed", func() bool { return s.Stats().Subscribed == 1 })
	r.reset()
	time.Sleep(500 * time.Millisecond) // ten silent intervals
	r.mu.Lock()
	calls := len(r.calls)
	r.mu.Unlock()
	if st := s.Stats(); st.Subscribed != 1 || calls != 0 || st.Errors != 0 {
		t.Errorf("after 500ms of silence: %+v, %d resyncs", st, calls)
	}
}

// TestTLS: rediss:// URLs dial with TLS, checking the server's certificate
// against the URL's host.
func TestTLS(t *testing.T) {
	redistest.NoLeaks(t)
	cert, pool := selfSigned(t)
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); fakeRedis(c) }()
		}
	}()

	o, err := ParseURL("rediss://" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	o.TLSConfig.RootCAs = pool
	o.Backoff, o.Logger = time.Hour, slog.New(slog.DiscardHandler)
	s, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := s.Healthy(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Get(ctx, "k"); ok {
		t.Error("hit on the fake")
	}
	if st := s.Stats(); !st.Up || st.Errors != 0 || st.Misses != 1 {
		t.Errorf("stats %+v", st)
	}

	// Another name than the certificate's: the handshake fails.
	o.TLSConfig = o.TLSConfig.Clone()
	o.TLSConfig.ServerName = "redis.invalid"
	bad, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	if err := bad.Healthy(ctx); err == nil {
		t.Error("Healthy with a certificate for another name")
	}
}

// fakeRedis answers PING with PONG and every other command with nil.
func fakeRedis(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	for {
		line, err := br.ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "*") {
			return
		}
		n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
		var args []string
		for range n {
			if _, err := br.ReadString('\n'); err != nil { // $len
				return
			}
			arg, err := br.ReadString('\n')
			if err != nil {
				return
			}
			args = append(args, strings.TrimSpace(arg))
		}
		reply := "$-1\r\n"
		if len(args) > 0 && strings.EqualFold(args[0], "PING") {
			reply = "+PONG\r\n"
		}
		if _, err := c.Write([]byte(reply)); err != nil {
			return
		}
	}
}

// selfSigned returns a certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "redistest"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
