package odoo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Defaults for the zero fields of Config.
const (
	DefaultMaxConnsPerHost  = 64
	DefaultMaxResponseBytes = 256 << 20 // 256 MiB
	DefaultTimeout          = 2 * time.Minute
)

// Config configures a Client.
type Config struct {
	// URL is the server's base URL, e.g. http://127.0.0.1:8069, without
	// /xmlrpc: the client calls URL+"/xmlrpc/2/common" and
	// URL+"/xmlrpc/2/object".
	URL string
	// DB is the database name sent with every authenticate and execute_kw.
	DB string
	// MaxConnsPerHost caps the keep-alive pool: at most this many requests
	// are on the wire at once, further calls wait for a free connection
	// (honouring their context). Default 64.
	MaxConnsPerHost int
	// MaxIdleConnsPerHost is how many idle connections are kept for reuse.
	// Default: MaxConnsPerHost.
	MaxIdleConnsPerHost int
	// MaxResponseBytes bounds a response body; a larger one fails with a
	// *TransportError wrapping ErrResponseTooLarge. Default 256 MiB.
	MaxResponseBytes int64
	// Timeout bounds a call whose context has no deadline. Default 2
	// minutes; negative means no timeout.
	Timeout time.Duration
	// HTTPClient, if set, is used as is and MaxConnsPerHost and
	// MaxIdleConnsPerHost are ignored. Its own Timeout, if any, applies on
	// top of the context.
	HTTPClient *http.Client
	// Logger receives Debug records for fault tracebacks and retries. Nil
	// means no logging. Passwords are never logged.
	Logger *slog.Logger
	// Observer, when set, is told of every call once it has finished (for
	// metrics). It must be quick and safe for concurrent use.
	Observer func(ctx context.Context, call CallInfo)
	// Transport is the protocol: TransportXMLRPC (the default) or
	// TransportJSON2 (Odoo 19 and later, API keys only). SetTransport
	// changes it later.
	Transport Transport
}

// Client calls one Odoo server over XML-RPC. It is safe for concurrent
// use: every call is an independent HTTP request on a pooled keep-alive
// connection, honours its context, and reads at most MaxResponseBytes.
//
// Read-only methods (read, search, search_read, search_count, fields_get,
// name_search, check_access_rights, web_search_read, web_read, version) are
// retried once when the connection breaks before any response byte
// arrives; every other method is sent exactly once.
type Client struct {
	db          string
	baseURL     string
	commonURL   string
	objectURL   string
	http        *http.Client
	maxResponse int64
	timeout     time.Duration
	log         *slog.Logger
	observer    func(context.Context, CallInfo)

	calls, inFlight, peak, retries, faults, transportErrs atomic.Int64
	json2                                                 atomic.Bool // Transport() == TransportJSON2
}

// ClientStats is a snapshot of a Client's counters.
type ClientStats struct {
	// Calls is the number of calls started (a retried call counts once).
	Calls int64
	// InFlight is the number of calls running now.
	InFlight int64
	// PeakInFlight is the highest InFlight seen.
	PeakInFlight int64
	// Retries is the number of second attempts made.
	Retries int64
	// Faults is the number of calls that ended in an XML-RPC fault
	// (including authenticate answering false).
	Faults int64
	// TransportErrors is the number of calls that ended in a *TransportError.
	TransportErrors int64
}

// NewClient validates cfg and returns a Client. It does not contact the
// server.
func NewClient(cfg Config) (*Client, error) {
	base, err := parseBaseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.MaxConnsPerHost < 0 || cfg.MaxIdleConnsPerHost < 0 || cfg.MaxResponseBytes < 0 {
		return nil, errors.New("odoo: Config.MaxConnsPerHost, MaxIdleConnsPerHost and MaxResponseBytes must not be negative")
	}
	c := &Client{
		db:          cfg.DB,
		baseURL:     base,
		commonURL:   base + "/xmlrpc/2/common",
		objectURL:   base + "/xmlrpc/2/object",
		maxResponse: cfg.MaxResponseBytes,
		timeout:     cfg.Timeout,
		log:         cfg.Logger,
		observer:    cfg.Observer,
		http:        cfg.HTTPClient,
	}
	if err := c.SetTransport(cfg.Transport); err != nil {
		return nil, err
	}
	if c.maxResponse == 0 {
		c.maxResponse = DefaultMaxResponseBytes
	}
	if c.timeout == 0 {
		c.timeout = DefaultTimeout
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.http == nil {
		maxConns := cfg.MaxConnsPerHost
		if maxConns == 0 {
			maxConns = DefaultMaxConnsPerHost
		}
		maxIdle := cfg.MaxIdleConnsPerHost
		if maxIdle == 0 {
			maxIdle = maxConns
		}
		c.http = newHTTPClient(maxConns, maxIdle)
	}
	return c, nil
}

func parseBaseURL(raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", errors.New("odoo: Config.URL is empty: want the server's base URL, e.g. http://127.0.0.1:8069")
	}
	if !strings.Contains(raw, "://") {
		return "", fmt.Errorf("odoo: Config.URL %q: scheme must be http or https, e.g. http://127.0.0.1:8069", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // without the raw URL, which may hold a password
		}
		return "", fmt.Errorf("odoo: Config.URL is not a valid URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("odoo: Config.URL %q: scheme must be http or https", u.Redacted())
	}
	if u.Host == "" {
		return "", fmt.Errorf("odoo: Config.URL %q has no host", u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("odoo: Config.URL %q must not have a query or fragment", u.Redacted())
	}
	path := strings.TrimRight(u.Path, "/")
	if strings.HasSuffix(path, "/xmlrpc") || strings.Contains(path, "/xmlrpc/") {
		return "", fmt.Errorf("odoo: Config.URL %q must be the server's base URL without /xmlrpc (the client adds /xmlrpc/2/...)", u.Redacted())
	}
	u.Path = path
	u.RawPath = ""
	return u.String(), nil
}

// DB returns the configured database name.
func (c *Client) DB() string { return c.db }

// Stats returns a snapshot of the client's counters.
func (c *Client) Stats() ClientStats {
	return ClientStats{
		Calls:           c.calls.Load(),
		InFlight:        c.inFlight.Load(),
		PeakInFlight:    c.peak.Load(),
		Retries:         c.retries.Load(),
		Faults:          c.faults.Load(),
		TransportErrors: c.transportErrs.Load(),
	}
}

// CloseIdleConnections closes the pool's idle keep-alive connections (for
// shutdown, or tests checking for leaked goroutines). Calls may continue.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// Version is the result of common.version.
type Version struct {
	// ServerVersion as reported, e.g. "18.0", "17.0-20240709", "saas~17.2".
	ServerVersion string
	// Major and Minor from server_version_info (17 and 0 for 17.0), or
	// parsed from ServerVersion when server_version_info is unusable.
	Major, Minor int
	// ProtocolVersion is protocol_version (1 for every current Odoo).
	ProtocolVersion int
	// ServerSerie, e.g. "17.0".
	ServerSerie string
}

// Version calls common.version. It needs no credentials.
func (c *Client) Version(ctx context.Context) (Version, error) {
	const op = "version"
	var res any
	var err error
	if c.json2.Load() {
		res, err = c.versionJSON(ctx)
	} else {
		res, err = c.call(ctx, c.commonURL, "version", "", "version", nil)
	}
	if err != nil {
		return Version{}, err
	}
	r, ok := res.(Record)
	if !ok {
		return Version{}, c.shapeErr(op, shapeError("a struct", res))
	}
	return parseVersion(r), nil
}

var versionRx = regexp.MustCompile(`(\d+)(?:\.(\d+))?`)

func parseVersion(r Record) Version {
	v := Version{}
	v.ServerVersion, _ = AsString(r["server_version"])
	v.ServerSerie, _ = AsString(r["server_serie"])
	v.ProtocolVersion, _ = AsInt(r["protocol_version"])
	if info, ok := r["server_version_info"].([]any); ok && len(info) >= 2 {
		major, okMajor := AsInt(info[0])
		if !okMajor { // saas: ["saas~17", 2, ...]
			if s, ok := AsString(info[0]); ok {
				if m := versionRx.FindStringSubmatch(s); m != nil {
					major, _ = strconv.Atoi(m[1])
					okMajor = true
				}
			}
		}
		minor, okMinor := AsInt(info[1])
		if okMajor && okMinor {
			v.Major, v.Minor = major, minor
			return v
		}
	}
	for _, s := range []string{v.ServerVersion, v.ServerSerie} {
		if m := versionRx.FindStringSubmatch(s); m != nil {
			v.Major, _ = strconv.Atoi(m[1])
			if m[2] != "" {
				v.Minor, _ = strconv.Atoi(m[2])
			}
			break
		}
	}
	return v
}

// Authenticate checks a login and password (or API key) with
// common.authenticate and returns the user id. Over JSON-2, which has no
// login, password must be an API key and login is not checked: the key
// alone says who the user is (one res.users context_get call). Bad credentials give an
// error matching ErrAuthentication (Odoo answers false, not a fault); an
// unknown database is a *Fault of KindServer.
func (c *Client) Authenticate(ctx context.Context, login, password string) (int, error) {
	const op = "authenticate"
	if c.json2.Load() {
		return c.whoAmI(ctx, login, password)
	}
	if c.db == "" {
		return 0, errors.New("odoo: authenticate: Config.DB is empty")
	}
	res, err := c.call(ctx, c.commonURL, "authenticate", "", "authenticate",
		[]any{c.db, login, password, map[string]any{}})
	if err != nil {
		return 0, err
	}
	if uid, ok := AsInt(res); ok && uid > 0 {
		return uid, nil
	}
	if b, ok := res.(bool); ok && !b {
		c.faults.Add(1)
		return 0, &authError{login: login, db: c.db}
	}
	return 0, c.shapeErr(op, shapeError("a user id or false", res))
}

// Session returns a Session that calls models as uid with password (or API
// key). It is cheap and makes no call; check credentials with Authenticate.
func (c *Client) Session(uid int, password string) *Session {
	return &Session{client: c, UID: uid, password: password}
}

func (c *Client) shapeErr(op string, err error) error {
	c.transportErrs.Add(1)
	return &TransportError{Op: op, StatusCode: http.StatusOK, Err: err}
}

// opName names a call in errors: "read res.partner", "version".
func opName(model, method string) string {
	if model == "" {
		return method
	}
	return method + " " + model
}

// CallInfo describes one finished call, for Config.Observer.
type CallInfo struct {
	Model, Method string // Model is "" for the common service
	Transport     Transport
	Duration      time.Duration
	Err           error
}

// observed runs one call and tells Config.Observer, if any, of it.
func (c *Client) observed(ctx context.Context, model, method string, t Transport, run func() (any, error)) (any, error) {
	if c.observer == nil {
		return run()
	}
	start := time.Now()
	v, err := run()
	c.observer(ctx, CallInfo{Model: model, Method: method, Transport: t, Duration: time.Since(start), Err: err})
	return v, err
}

// call performs one XML-RPC call of rpcMethod ("execute_kw", "version" ...)
// on endpoint: encode, POST (retrying once when method, the Odoo method, is
// read-only and the connection broke before any response byte), decode, and
// turn faults into *Fault.
func (c *Client) call(ctx context.Context, endpoint, rpcMethod, model, method string, params []any) (any, error) {
	return c.observed(ctx, model, method, TransportXMLRPC, func() (any, error) {
		return c.callInner(ctx, endpoint, rpcMethod, model, method, params)
	})
}

func (c *Client) callInner(ctx context.Context, endpoint, rpcMethod, model, method string, params []any) (any, error) {
	op := opName(model, method)
	body, err := encodeCall(rpcMethod, params...)
	if err != nil {
		return nil, fmt.Errorf("odoo: %s: encoding request: %w", op, err)
	}

	ctx, done := c.begin(ctx)
	defer done()

	var res attemptResult
	for attempt := 0; ; attempt++ {
		res, err = c.post(ctx, endpoint, body)
		var again bool
		if again, err = c.retry(ctx, op, method, attempt, res.gotResponseByte, err); !again {
			break
		}
	}
	if err != nil {
		c.transportErrs.Add(1)
		return nil, &TransportError{Op: op, StatusCode: res.status, Err: err}
	}

	val, fault, err := decodeResponse(res.body)
	if err != nil {
		c.transportErrs.Add(1)
		return nil, &TransportError{Op: op, StatusCode: res.status, Err: fmt.Errorf("%w: %w", ErrMalformedResponse, err)}
	}
	if fault != nil {
		c.faults.Add(1)
		f := newFault(op, model, method, fault.code, fault.string)
		if f.Traceback != "" {
			c.log.LogAttrs(ctx, slog.LevelDebug, "odoo: fault traceback",
				slog.String("op", op), slog.Int("code", f.Code), slog.String("kind", f.Kind.String()),
				slog.String("traceback", f.Traceback))
		}
		return nil, f
	}
	return val, nil
}

// retry decides, after attempt (0 for the first) of a call ended in err,
// whether to send it again: once, when method only reads and the connection
// broke before any response byte arrived. Otherwise it returns the error to
// report: the context's own cancellation or deadline when it is done,
// whatever the transport made of it; err else (nil on success).
func (c *Client) retry(ctx context.Context, op, method string, attempt int, gotResponseByte bool, err error) (bool, error) {
	if err == nil {
		return false, nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if attempt == 0 && retryable[method] && !gotResponseByte && isBrokenConnection(err) {
		c.retries.Add(1)
		c.log.LogAttrs(ctx, slog.LevelDebug, "odoo: retrying read-only call after broken connection",
			slog.String("op", op), slog.String("error", err.Error()))
		return true, nil
	}
	return false, err
}

// begin counts a call starting (Stats: calls, in flight, peak) and bounds
// it by Config.Timeout when ctx has no deadline; call done when it ends.
// Both transports start their calls with it.
func (c *Client) begin(ctx context.Context) (context.Context, func()) {
	c.calls.Add(1)
	n := c.inFlight.Add(1)
	for {
		p := c.peak.Load()
		if n <= p || c.peak.CompareAndSwap(p, n) {
			break
		}
	}
	cancel := context.CancelFunc(func() {})
	if _, ok := ctx.Deadline(); !ok && c.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
	}
	return ctx, func() {
		cancel()
		c.inFlight.Add(-1)
	}
}
