package odootest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/odoogql/odoogql/odoo"
)

// DBName is the name of the only database the server knows.
const DBName = "demo"

// Server is an in-process Odoo XML-RPC server backed by an in-memory copy of
// the captured Odoo 18 demo database. Create one with NewServer and Close it
// when done, like an httptest.Server.
type Server struct {
	// URL is the base URL of the server, "http://127.0.0.1:port", without a
	// trailing slash. Empty until the server is started.
	URL string

	ts      *httptest.Server
	handler http.Handler

	version  string
	major    int
	noXMLRPC bool // WithoutXMLRPC
	style    responseStyle
	logger   *slog.Logger
	now      func() time.Time

	mu    sync.RWMutex // guards ds and users
	ds    *dataset
	users map[int]*user

	cmu   sync.Mutex
	calls map[callKey]int
	total int
	log   []Call

	inflight atomic.Int64
	peak     atomic.Int64
	latency  atomic.Int64
	lmu      sync.Mutex
	lchanged chan struct{} // closed and replaced when the latency changes

	fmu      sync.Mutex
	plan     FaultPlan
	planSeen int
	planHits int
	rng      *rand.Rand

	down      atomic.Bool
	done      chan struct{}
	closeOnce sync.Once
}

type callKey struct{ model, method string }

// Option configures a Server.
type Option func(*config)

type config struct {
	version       string
	synthetic     *SyntheticConfig
	models        []string
	without       []string
	withoutFields map[string][]string
	logger        *slog.Logger
	now           func() time.Time
	meta          *odoo.Metadata
	perModel      int
	noXMLRPC      bool
}

// WithVersion sets the Odoo version the server claims and mimics: "16.0",
// "17.0", "18.0" (the default) or "19.0" (any "MAJOR.x" string is accepted;
// it is reported verbatim as server_version). Versions before 17 have no
// web_search_read/web_read; 17 has no has_access/check_access and writes
// Python's own XML envelope; 19 treats check_access as private and words
// some errors differently, and has formatted_read_group (read_group then
// only logs its deprecation).
func WithVersion(v string) Option { return func(c *config) { c.version = v } }

// WithoutXMLRPC makes the server answer 404 on /xmlrpc, /xmlrpc/2 and
// /jsonrpc, as Odoo 22 and Odoo Online 21.1 do once XML-RPC is removed
// (JSON-2 and /web/webclient/version_info stay; use with version 19.0 or
// later).
func WithoutXMLRPC() Option { return func(c *config) { c.noXMLRPC = true } }

// WithModels restricts the server to the named models of the dataset (stub
// models for relations outside the dataset, ir.model and
// ir.config_parameter stay). Fields pointing at a
// model that is not served disappear from the remaining models, as after
// uninstalling a module.
func WithModels(names ...string) Option {
	return func(c *config) { c.models = append(c.models, names...) }
}

// WithoutModels removes the named models (see WithModels).
func WithoutModels(names ...string) Option {
	return func(c *config) { c.without = append(c.without, names...) }
}

// WithoutFields removes fields from a model, to test schema drift.
func WithoutFields(model string, fields ...string) Option {
	return func(c *config) {
		if c.withoutFields == nil {
			c.withoutFields = map[string][]string{}
		}
		c.withoutFields[model] = append(c.withoutFields[model], fields...)
	}
}

// WithLogger logs every call at debug level (and server problems at error
// level) to l.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithClock sets the clock used for create_date and write_date.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// NewServer starts a server on 127.0.0.1 loaded with the demo dataset.
func NewServer(opts ...Option) *Server {
	s := NewUnstarted(opts...)
	s.Start()
	return s
}

// NewUnstarted returns a server that is not listening yet; call Start.
func NewUnstarted(opts ...Option) *Server {
	c := &config{version: "18.0"}
	for _, o := range opts {
		o(c)
	}
	base, err := loadBase()
	if err != nil {
		panic("odootest: loading the embedded dataset: " + err.Error())
	}
	var keep func(string) bool
	if len(c.models) > 0 || len(c.without) > 0 {
		keep = func(name string) bool {
			if name == "ir.config_parameter" || name == "ir.model" || name == "ir.model.access" || name == "res.lang" {
				return !slices.Contains(c.without, name)
			}
			if len(c.models) > 0 && !slices.Contains(c.models, name) {
				return false
			}
			return !slices.Contains(c.without, name)
		}
	}
	s := &Server{
		version:  c.version,
		noXMLRPC: c.noXMLRPC,
		logger:   c.logger,
		now:      c.now,
		ds:       base.clone(keep),
		users:    defaultUsers(),
		calls:    map[callKey]int{},
		done:     make(chan struct{}),
		lchanged: make(chan struct{}),
		rng:      rand.New(rand.NewPCG(1, 2)),
	}
	if c.meta != nil {
		s.ds.applyMetadata(c.meta, c.perModel, keep)
	}
	for model, fields := range c.withoutFields {
		if m := s.ds.model(model); m != nil {
			for _, f := range fields {
				m.removeField(f)
			}
		}
	}
	s.major, _ = strconv.Atoi(strings.SplitN(c.version, ".", 2)[0])
	if s.major == 0 {
		s.major = 18
	}
	if s.major <= 17 {
		s.style = stylePython
	}
	if s.major >= 19 {
		s.ds.adaptTo19()
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if c.synthetic != nil {
		s.grow(*c.synthetic)
	}
	s.handler = http.HandlerFunc(s.serveHTTP)
	s.ts = httptest.NewUnstartedServer(s.handler)
	s.ts.Config.ErrorLog = nil
	return s
}

// Start starts a server from NewUnstarted.
func (s *Server) Start() {
	s.ts.Start()
	s.URL = s.ts.URL
}

// Close shuts the server down, interrupting calls waiting on latency.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
	s.ts.CloseClientConnections()
	s.ts.Close()
}

// Handler returns the server's HTTP handler, to mount it elsewhere.
func (s *Server) Handler() http.Handler { return s.handler }

// DB returns the database name, "demo".
func (s *Server) DB() string { return DBName }

// Version returns the server_version the server reports.
func (s *Server) Version() string { return s.version }

// Calls returns how many calls of method on model the server received. The
// common service counts as model "" (methods "version", "authenticate",
// "login"), the db service as model "" with methods "db.list" and
// "db.server_version". Every parsed call counts, including calls that
// faulted or were hit by an injected fault.
func (s *Server) Calls(model, method string) int {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	return s.calls[callKey{model, method}]
}

// Call is one execute_kw (or JSON-2) call the server received, as decoded:
// positional args and keyword args. A JSON-2 call has the record ids as its
// only positional argument (none for a model method) and the other members
// of its body, "context" included, as keyword args.
type Call struct {
	Model, Method string
	UID           int
	Args          []any
	Kwargs        map[string]any
}

// plainValue turns decoded structs into maps, recursively, for the call log.
func plainValue(v any) any {
	switch x := v.(type) {
	case ostruct:
		m := make(map[string]any, len(x))
		for _, mem := range x {
			m[mem.Name] = plainValue(mem.Value)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = plainValue(item)
		}
		return out
	}
	return v
}

// maxCallLog bounds the call log; past it the older half is dropped.
const maxCallLog = 10000

// CallLog returns the execute_kw calls received since the server started or
// since ResetCounters, oldest first (at most the last 10,000).
func (s *Server) CallLog() []Call {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	return append([]Call(nil), s.log...)
}

// TotalCalls returns the number of calls received.
func (s *Server) TotalCalls() int {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	return s.total
}

// CallCounts returns a copy of all counters, keyed "model.method" (or just
// "method" for the common service).
func (s *Server) CallCounts() map[string]int {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	out := make(map[string]int, len(s.calls))
	for k, n := range s.calls {
		if k.model == "" {
			out[k.method] = n
		} else {
			out[k.model+"."+k.method] = n
		}
	}
	return out
}

// ResetCounters zeroes the call counters.
func (s *Server) ResetCounters() {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	s.calls = map[callKey]int{}
	s.total = 0
	s.log = nil
}

// PeakInFlight returns the largest number of requests the server was
// handling at the same time since it started or since ResetPeak.
func (s *Server) PeakInFlight() int { return int(s.peak.Load()) }

// InFlight returns the number of requests being handled now.
func (s *Server) InFlight() int { return int(s.inflight.Load()) }

// ResetPeak resets PeakInFlight to the current number of requests.
func (s *Server) ResetPeak() { s.peak.Store(s.inflight.Load()) }

// SetLatency adds d to the handling time of every request. A request whose
// client goes away stops waiting. Requests already waiting follow the new
// value (SetLatency(0) releases them).
func (s *Server) SetLatency(d time.Duration) {
	s.lmu.Lock()
	defer s.lmu.Unlock()
	s.latency.Store(int64(d))
	close(s.lchanged)
	s.lchanged = make(chan struct{})
}

// waitLatency waits for the configured latency, measured from start.
func (s *Server) waitLatency(ctx context.Context, start time.Time) bool {
	for {
		s.lmu.Lock()
		changed := s.lchanged
		d := time.Duration(s.latency.Load())
		s.lmu.Unlock()
		left := time.Until(start.Add(d))
		if left <= 0 {
			return true
		}
		t := time.NewTimer(left)
		select {
		case <-t.C:
			return true
		case <-changed:
			t.Stop()
		case <-ctx.Done():
			t.Stop()
			return false
		case <-s.done:
			t.Stop()
			return false
		}
	}
}

// SetDown simulates Odoo being down: while down, every connection is closed
// without a response.
func (s *Server) SetDown(down bool) { s.down.Store(down) }

// Stop is SetDown(true).
func (s *Server) Stop() { s.SetDown(true) }

// Resume is SetDown(false).
func (s *Server) Resume() { s.SetDown(false) }

// SetAPIKey registers key as an additional password of user uid, as an
// Odoo API key is. It reports whether the user exists.
func (s *Server) SetAPIKey(uid int, key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[uid]
	if u == nil {
		return false
	}
	u.apiKeys = append(u.apiKeys, key)
	return true
}

// Record returns a copy of a record as read() would show it to the
// administrator (all stored fields, archived records included): many2one
// as []any{id, display name}, x2many as []int, empty values as false.
func (s *Server) Record(model string, id int) (map[string]any, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m := s.ds.model(model)
	if m == nil {
		return nil, false
	}
	r := m.recs[id]
	if r == nil {
		return nil, false
	}
	e := s.newEnv(s.users[AdminUID], false)
	out := map[string]any{"id": id, "display_name": e.displayName(m, r)}
	for name, f := range m.fields {
		if name == "id" || !(f.store || f.inverse) {
			continue
		}
		out[name] = e.wireValue(m, r, f, true)
	}
	return out, true
}

// Count returns the number of records of a model, archived ones included.
func (s *Server) Count(model string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if m := s.ds.model(model); m != nil {
		return len(m.recs)
	}
	return 0
}

// Models returns the names of the models served with full data (not the
// stub models standing in for relations outside the dataset), sorted.
func (s *Server) Models() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for name, m := range s.ds.models {
		if !m.stub {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func (s *Server) newEnv(u *user, activeTest bool) *env {
	return &env{s: s, ds: s.ds, u: u, activeTest: activeTest, now: s.now().UTC().Format("2006-01-02 15:04:05")}
}

// sleep waits d, or until the request's client goes away or the server
// closes. It reports whether the full time passed.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.inflight.Add(1)
	defer s.inflight.Add(-1)
	for {
		p := s.peak.Load()
		if n <= p || s.peak.CompareAndSwap(p, n) {
			break
		}
	}
	if s.down.Load() {
		abort(w, true)
		return
	}
	if s.major >= 19 && (r.URL.Path == "/json/2" || strings.HasPrefix(r.URL.Path, "/json/2/")) {
		s.serveJSON2(w, r)
		return
	}
	if r.URL.Path == "/web/webclient/version_info" {
		s.serveVersionInfo(w, r)
		return
	}
	if s.noXMLRPC {
		http.NotFound(w, r)
		return
	}
	var service string
	legacy := false
	switch r.URL.Path {
	case "/xmlrpc/2/common", "/xmlrpc/2/object", "/xmlrpc/2/db":
		service = strings.TrimPrefix(r.URL.Path, "/xmlrpc/2/")
	case "/xmlrpc/common", "/xmlrpc/object", "/xmlrpc/db":
		service, legacy = strings.TrimPrefix(r.URL.Path, "/xmlrpc/"), true
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "405 Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 256<<20))
	if err != nil {
		return
	}
	start := time.Now()
	mc, perr := decodeMethodCall(body)
	if perr != nil {
		s.writeXML(w, encodeFault(s.faultCode(1, "", legacy), s.malformedFault(legacy, describeParseError(body, perr)), s.style))
		return
	}
	model, method := callName(service, mc)
	var entry *Call
	if service == "object" && len(mc.Params) >= 5 {
		c := Call{Model: model, Method: method}
		c.UID, _ = mc.Params[1].(int)
		if len(mc.Params) > 5 {
			c.Args, _ = plainValue(mc.Params[5]).([]any)
		}
		if len(mc.Params) > 6 {
			c.Kwargs, _ = plainValue(mc.Params[6]).(map[string]any)
		}
		entry = &c
	}
	s.serveCall(w, r, start, model, method, entry, xmlWire, func() *wireReply {
		return &wireReply{body: s.handleCall(service, mc, legacy)}
	})
}

// wireReply is a response of one protocol: status (0 = 200), extra
// headers and body.
type wireReply struct {
	status int
	header [][2]string
	body   []byte
}

// wireProto is what serveCall needs of a protocol (XML-RPC, JSON-2): how
// to write a reply, how to break a body for FaultGarbled, and a broken body
// for FaultGarbled before the call ran.
type wireProto struct {
	write   func(s *Server, w http.ResponseWriter, r *wireReply)
	garble  func(body []byte) []byte
	garbage []byte
}

var xmlWire = wireProto{
	write: func(s *Server, w http.ResponseWriter, r *wireReply) { s.writeXML(w, r.body) },
	garble: func(b []byte) []byte {
		if len(b) > 40 {
			return b[:len(b)*2/3]
		}
		return b
	},
	garbage: []byte("<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n<value><int>1</int></value>\n<value><in"),
}

// countCall counts a parsed call and, for model calls (entry != nil),
// appends it to the call log.
func (s *Server) countCall(model, method string, entry *Call) {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	s.calls[callKey{model, method}]++
	s.total++
	if entry != nil {
		if len(s.log) >= maxCallLog {
			s.log = append(s.log[:0], s.log[len(s.log)/2:]...)
		}
		s.log = append(s.log, *entry)
	}
}

// serveCall is the part of a call both protocols share: it counts the
// call, applies the latency and the fault plan, runs handle and writes its
// reply.
func (s *Server) serveCall(w http.ResponseWriter, r *http.Request, start time.Time, model, method string, entry *Call, proto wireProto, handle func() *wireReply) {
	s.countCall(model, method, entry)
	kind, plan := s.pickFault(model, method)
	if !s.waitLatency(r.Context(), start) {
		abort(w, false)
		return
	}
	if kind == FaultSlow {
		d := plan.Delay
		if d == 0 {
			d = 200 * time.Millisecond
		}
		if !s.sleep(r.Context(), d) {
			abort(w, false)
			return
		}
	}
	if kind != FaultNone && kind != FaultSlow && !plan.AfterApply {
		s.injectFault(w, kind, nil, proto)
		return
	}
	resp := handle()
	if kind != FaultNone && kind != FaultSlow {
		s.injectFault(w, kind, resp, proto)
		return
	}
	s.logger.Debug("odootest call", "model", model, "method", method, "elapsed", time.Since(start))
	proto.write(s, w, resp)
}

func describeParseError(body []byte, err error) string {
	msg := err.Error()
	if strings.HasPrefix(msg, "XML or text declaration") {
		i := strings.Index(string(body[1:]), "<?xml") + 1
		line := strings.Count(string(body[:i]), "\n") + 1
		col := i - strings.LastIndex(string(body[:i]), "\n") - 1
		return fmt.Sprintf("%s: line %d, column %d", msg, line, col)
	}
	return msg
}

func (s *Server) writeXML(w http.ResponseWriter, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/xml; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// abort drops the connection without a response.
func abort(w http.ResponseWriter, reset bool) {
	if hj, ok := w.(http.Hijacker); ok {
		conn, _, err := hj.Hijack()
		if err == nil {
			if tc, ok := conn.(*net.TCPConn); ok && reset {
				_ = tc.SetLinger(0)
			}
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func callName(service string, mc *methodCall) (model, method string) {
	switch service {
	case "object":
		if (mc.Method == "execute_kw" || mc.Method == "execute") && len(mc.Params) >= 5 {
			model, _ = mc.Params[3].(string)
			method, _ = mc.Params[4].(string)
			return model, method
		}
		return "", "object." + mc.Method
	case "db":
		return "", "db." + mc.Method
	}
	return "", mc.Method
}

func (s *Server) faultCode(code int, msg string, legacy bool) any {
	if legacy {
		return msg
	}
	return code
}

// FaultKind is a kind of injected failure.
type FaultKind int

const (
	// FaultNone injects nothing.
	FaultNone FaultKind = iota
	// FaultRefuse closes the connection without a response.
	FaultRefuse
	// FaultHTTP500 answers 500 Internal Server Error with an HTML body.
	FaultHTTP500
	// FaultHTTP502 answers 502 Bad Gateway, as a reverse proxy does.
	FaultHTTP502
	// FaultSlow delays the response by FaultPlan.Delay, then answers normally.
	FaultSlow
	// FaultGarbled answers 200 with a truncated, invalid XML (or JSON-2:
	// JSON) body.
	FaultGarbled
)

func (k FaultKind) String() string {
	switch k {
	case FaultRefuse:
		return "refuse"
	case FaultHTTP500:
		return "http500"
	case FaultHTTP502:
		return "http502"
	case FaultSlow:
		return "slow"
	case FaultGarbled:
		return "garbled"
	}
	return "none"
}

// FaultPlan describes which calls get an injected failure.
type FaultPlan struct {
	Kind FaultKind
	// Every injects the fault into every Every-th matching call (1 = all).
	Every int
	// Rate injects the fault into a matching call with this probability
	// (0..1), drawn from a generator seeded with Seed. Used when Every is 0.
	Rate float64
	Seed uint64
	// Methods restricts the plan to these calls: a model method name
	// ("write"), "model.method" ("res.partner.write") or a common service
	// method ("version", "authenticate"). Empty matches every call.
	Methods []string
	// AfterApply performs the call first, then fails (for writes: the write
	// reached Odoo but the client saw an error). Without it the call is not
	// executed.
	AfterApply bool
	// Delay is the extra delay of FaultSlow (default 200ms).
	Delay time.Duration
	// Limit stops injecting after this many faults (0 = no limit).
	Limit int
}

// SetFaults installs a fault plan, replacing the previous one.
// SetFaults(FaultPlan{}) stops injecting.
func (s *Server) SetFaults(p FaultPlan) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.plan = p
	s.planSeen, s.planHits = 0, 0
	s.rng = rand.New(rand.NewPCG(p.Seed, p.Seed^0x9e3779b97f4a7c15))
}

// InjectedFaults returns how many faults the current plan injected.
func (s *Server) InjectedFaults() int {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return s.planHits
}

func (s *Server) pickFault(model, method string) (FaultKind, FaultPlan) {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	p := s.plan
	if p.Kind == FaultNone {
		return FaultNone, p
	}
	if len(p.Methods) > 0 {
		ok := false
		for _, want := range p.Methods {
			if want == method || (model != "" && want == model+"."+method) {
				ok = true
				break
			}
		}
		if !ok {
			return FaultNone, p
		}
	}
	if p.Limit > 0 && s.planHits >= p.Limit {
		return FaultNone, p
	}
	s.planSeen++
	hit := false
	switch {
	case p.Every > 0:
		hit = s.planSeen%p.Every == 0
	case p.Rate > 0:
		hit = s.rng.Float64() < p.Rate
	}
	if !hit {
		return FaultNone, p
	}
	s.planHits++
	return p.Kind, p
}

const html500 = `<!doctype html>
<html lang=en>
<title>500 Internal Server Error</title>
<h1>Internal Server Error</h1>
<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>
`

const html502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

func (s *Server) injectFault(w http.ResponseWriter, kind FaultKind, resp *wireReply, proto wireProto) {
	switch kind {
	case FaultRefuse:
		abort(w, false)
	case FaultHTTP500:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, html500)
	case FaultHTTP502:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, html502)
	case FaultGarbled:
		// 200 with a truncated body (the protocol's canned one when the
		// call did not run).
		body := proto.garbage
		if resp != nil {
			body = proto.garble(resp.body)
		}
		proto.write(s, w, &wireReply{body: body})
	}
}

var errNotStarted = errors.New("odootest: server not started")

// Addr returns the listening address, host:port.
func (s *Server) Addr() (string, error) {
	if s.ts == nil || s.ts.Listener == nil || s.URL == "" {
		return "", errNotStarted
	}
	return s.ts.Listener.Addr().String(), nil
}
