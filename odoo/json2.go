package odoo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
)

// Transport is the wire protocol a Client speaks to Odoo.
type Transport string

const (
	// TransportXMLRPC is /xmlrpc/2 (Odoo 8 to 21; deprecated in 19,
	// removed in Odoo 22 and Odoo Online 21.1). Credentials: a login and a
	// password or API key.
	TransportXMLRPC Transport = "xmlrpc"
	// TransportJSON2 is Odoo 19's /json/2/<model>/<method>: named
	// arguments, the bearer API key as the only credential, HTTP statuses
	// for errors, JSON bodies.
	TransportJSON2 Transport = "json2"
)

// ParseTransport reads a transport name: "xmlrpc" or "json2" (case
// insensitive; "json-2" is accepted).
func ParseTransport(s string) (Transport, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "xmlrpc", "xml-rpc":
		return TransportXMLRPC, nil
	case "json2", "json-2":
		return TransportJSON2, nil
	}
	return "", fmt.Errorf("odoo: unknown transport %q: want xmlrpc or json2", s)
}

// Transport returns the protocol the client speaks now.
func (c *Client) Transport() Transport {
	if c.json2.Load() {
		return TransportJSON2
	}
	return TransportXMLRPC
}

// SetTransport switches the protocol of every later call (calls in flight
// finish on the old one). Sessions stay valid: the uid of a key is the
// same over both, and a Session's password is its API key over JSON-2.
func (c *Client) SetTransport(t Transport) error {
	switch t {
	case TransportXMLRPC, "":
		c.json2.Store(false)
	case TransportJSON2:
		c.json2.Store(true)
	default:
		return fmt.Errorf("odoo: unknown transport %q", t)
	}
	return nil
}

// ErrPositionalArgs is wrapped by the error of a call over JSON-2 with
// positional arguments the client cannot name: JSON-2 takes named
// arguments only, and the client knows the parameter names of the ORM's
// methods, not of a business method's arguments after its records.
var ErrPositionalArgs = errors.New("odoo: positional arguments JSON-2 cannot name")

// json2Params names the positional parameters of the methods the gateway
// calls, as Odoo's Python signatures do (after self). JSON-2 takes named
// arguments only; "ids" stands for the records of a record method. A
// method not listed here is taken as a record method whose only positional
// argument is its ids (business actions: action_confirm(ids)).
var json2Params = map[string][]string{
	"read":                 {"ids", "fields", "load"},
	"write":                {"ids", "vals"},
	"unlink":               {"ids"},
	"web_read":             {"ids", "specification"},
	"has_access":           {"ids", "operation"},
	"exists":               {"ids"},
	"search":               {"domain", "offset", "limit", "order"},
	"search_read":          {"domain", "fields", "offset", "limit", "order"},
	"search_count":         {"domain", "limit"},
	"create":               {"vals_list"},
	"name_create":          {"name"},
	"name_search":          {"name", "domain", "operator", "limit"},
	"check_access_rights":  {"operation", "raise_exception"},
	"fields_get":           {"allfields", "attributes"},
	"default_get":          {"fields_list"},
	"web_search_read":      {"domain", "specification", "offset", "limit", "order", "count_limit"},
	"read_group":           {"domain", "fields", "groupby", "offset", "limit", "orderby", "lazy"},
	"formatted_read_group": {"domain", "groupby", "aggregates", "having", "offset", "limit", "order"},
	"context_get":          {},
}

// json2Named turns an execute_kw call (positional args and kwargs) into
// JSON-2's named arguments. kwargs win over nothing: a parameter given both
// ways is an error, as in Python.
func json2Named(method string, args []any, kwargs map[string]any) (map[string]any, error) {
	params, known := json2Params[method]
	if !known {
		params = []string{"ids"}
	}
	if len(args) > len(params) {
		return nil, fmt.Errorf("%w: %s takes %d positional arguments over JSON-2 (%s), %d given: pass the others as keyword arguments",
			ErrPositionalArgs, method, len(params), strings.Join(params, ", "), len(args))
	}
	named := make(map[string]any, len(args)+len(kwargs))
	for i, a := range args {
		named[params[i]] = a
	}
	for k, v := range kwargs {
		if _, dup := named[k]; dup {
			return nil, fmt.Errorf("odoo: %s got multiple values for argument %q", method, k)
		}
		named[k] = v
	}
	if method == "create" {
		// create(vals) of one record: JSON-2 binds vals_list, and answers a
		// list of ids either way (Session.Create takes a one-id list).
		if m, ok := named["vals_list"]; ok && isObject(m) {
			named["vals_list"] = []any{m}
		}
	}
	return named, nil
}

func isObject(v any) bool {
	switch v.(type) {
	case map[string]any, Record:
		return true
	}
	return false
}

// encodeJSON2 writes the request body: one JSON object of named arguments.
func encodeJSON2(named map[string]any) ([]byte, error) {
	w, err := wireFormat{json: true}.object(named)
	if err != nil {
		return nil, err
	}
	// AppendJSON, not encoding/json: a float keeps its fraction (100.0, not
	// 100), or Odoo would read it back as an int (json.loads does), and
	// XML-RPC's <double> and JSON-2 would store different values.
	return AppendJSON(make([]byte, 0, 256), w)
}

// callJSON2 performs one JSON-2 call of model.method as the owner of key:
// POST /json/2/<model>/<method> with the named arguments, retried once when
// the method only reads and the connection broke before any response byte;
// the response is decoded as it streams in (see decodeJSON2), and an error
// status becomes a *Fault (see json2Fault).
func (c *Client) callJSON2(ctx context.Context, key, model, method string, named map[string]any) (any, error) {
	return c.observed(ctx, model, method, TransportJSON2, func() (any, error) {
		return c.callJSON2Inner(ctx, key, model, method, named)
	})
}

func (c *Client) callJSON2Inner(ctx context.Context, key, model, method string, named map[string]any) (any, error) {
	op := opName(model, method)
	body, err := encodeJSON2(named)
	if err != nil {
		return nil, fmt.Errorf("odoo: %s: encoding request: %w", op, err)
	}
	endpoint := c.baseURL + "/json/2/" + url.PathEscape(model) + "/" + url.PathEscape(method)
	return c.exchangeJSON(ctx, op, model, method, endpoint, key, body, func(v any) (any, error) { return v, nil })
}

// exchangeJSON is the HTTP side shared by JSON-2 calls and the JSON-RPC
// version route: count, bound by the timeout, post (retrying once when
// safe), decode, and map errors. unwrap picks the result out of the decoded
// body.
func (c *Client) exchangeJSON(ctx context.Context, op, model, method, endpoint, key string, body []byte, unwrap func(any) (any, error)) (any, error) {
	ctx, done := c.begin(ctx)
	defer done()
	for attempt := 0; ; attempt++ {
		v, status, gotByte, err := c.postJSON(ctx, endpoint, key, body)
		if err == nil {
			return c.finishJSON(ctx, op, model, method, v, status, unwrap)
		}
		again, err := c.retry(ctx, op, method, attempt, gotByte, err)
		if again {
			continue
		}
		c.transportErrs.Add(1)
		return nil, &TransportError{Op: op, StatusCode: status, Err: err}
	}
}

// finishJSON turns a decoded body and its status into the result or a
// *Fault.
func (c *Client) finishJSON(ctx context.Context, op, model, method string, v any, status int, unwrap func(any) (any, error)) (any, error) {
	if status >= 200 && status < 300 {
		res, err := unwrap(v)
		if err != nil {
			if f, ok := err.(*Fault); ok {
				c.faults.Add(1)
				f.Op, f.Model, f.Method = op, model, method
				return nil, f
			}
			c.transportErrs.Add(1)
			return nil, &TransportError{Op: op, StatusCode: status, Err: err} // a shapeError: ErrMalformedResponse
		}
		return res, nil
	}
	f, ok := json2Fault(status, v)
	if !ok {
		c.transportErrs.Add(1)
		return nil, &TransportError{Op: op, StatusCode: status, Err: fmt.Errorf("%w %d with a JSON body that is not an Odoo error", ErrBadStatus, status)}
	}
	c.faults.Add(1)
	f.Op, f.Model, f.Method = op, model, method
	if f.Traceback != "" {
		c.log.LogAttrs(ctx, slog.LevelDebug, "odoo: fault traceback",
			slog.String("op", op), slog.Int("status", status), slog.String("kind", f.Kind.String()),
			slog.String("traceback", f.Traceback))
	}
	return nil, f
}

// postJSON sends one JSON request and decodes the JSON response as it
// arrives, reading at most MaxResponseBytes. A non-JSON error response
// (a proxy's HTML page) is an ErrBadStatus error; a JSON one is returned
// decoded with its status, for finishJSON to map.
func (c *Client) postJSON(ctx context.Context, endpoint, key string, body []byte) (v any, status int, gotResponseByte bool, err error) {
	var gotByte atomic.Bool
	trace := &httptrace.ClientTrace{GotFirstResponseByte: func() { gotByte.Store(true) }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, 0, false, err
	}
	h := req.Header
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Accept", "application/json")
	h.Set("User-Agent", "odoogql")
	if key != "" {
		h.Set("Authorization", "bearer "+key)
	}
	if c.db != "" {
		h.Set("X-Odoo-Database", c.db)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, 0, gotByte.Load(), err
	}
	defer resp.Body.Close()
	status = resp.StatusCode
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt != "application/json" {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		if status == http.StatusOK {
			return nil, status, true, fmt.Errorf("%w: Content-Type %q, not application/json", ErrMalformedResponse, resp.Header.Get("Content-Type"))
		}
		return nil, status, true, fmt.Errorf("%w %s", ErrBadStatus, resp.Status)
	}
	if resp.ContentLength > c.maxResponse {
		return nil, status, true, fmt.Errorf("%w: Content-Length %d exceeds the limit of %d bytes (Config.MaxResponseBytes)",
			ErrResponseTooLarge, resp.ContentLength, c.maxResponse)
	}
	v, err = decodeJSON2(resp.Body, c.maxResponse)
	if err != nil {
		if errors.Is(err, ErrResponseTooLarge) || errors.Is(err, ErrMalformedResponse) {
			return nil, status, true, err
		}
		return nil, status, true, fmt.Errorf("reading response body: %w", err)
	}
	// Drain what follows the value (nothing, or a newline) so the
	// connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	return v, status, true, nil
}

// countingReader counts the bytes read through it and stops after limit+1.
type countingReader struct {
	r     io.Reader
	n     int64
	limit int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n > c.limit {
		return 0, ErrResponseTooLarge
	}
	if rest := c.limit + 1 - c.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// decodeJSON2 decodes one JSON value from r as it is read (the body is not
// buffered whole first), into the client's shapes: objects as Record,
// arrays as []any, numbers written as integers as int and others as
// float64 (Python's json writes 1.0 for a float), null as nil. More than
// max bytes, or nesting deeper than MaxNesting, is an error.
func decodeJSON2(r io.Reader, max int64) (any, error) {
	cr := &countingReader{r: r, limit: max}
	dec := json.NewDecoder(cr)
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if cr.n > max {
			return nil, fmt.Errorf("%w: more than the limit of %d bytes (Config.MaxResponseBytes)", ErrResponseTooLarge, max)
		}
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		if errors.As(err, &syn) || errors.As(err, &typ) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || strings.Contains(err.Error(), "exceeded max depth") {
			if errors.Is(err, io.EOF) {
				err = errors.New("empty body")
			}
			return nil, fmt.Errorf("%w: %w", ErrMalformedResponse, err)
		}
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		if cr.n > max {
			return nil, fmt.Errorf("%w: more than the limit of %d bytes (Config.MaxResponseBytes)", ErrResponseTooLarge, max)
		}
		return nil, fmt.Errorf("%w: data after the JSON value", ErrMalformedResponse)
	}
	return normalizeJSON2(v, 0)
}

// normalizeJSON2 converts encoding/json's values in place (see decodeJSON2).
func normalizeJSON2(v any, depth int) (any, error) {
	child := func(e any) (any, error) {
		switch e.(type) {
		case json.Number, map[string]any, []any:
			return normalizeJSON2(e, depth+1)
		}
		return e, nil
	}
	var err error
	switch x := v.(type) {
	case json.Number:
		n, err := JSONNumber(x)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformedResponse, err)
		}
		return n, nil
	case map[string]any:
		if depth >= MaxNesting {
			return nil, errTooDeep
		}
		for k, e := range x {
			if x[k], err = child(e); err != nil {
				return nil, err
			}
		}
		return Record(x), nil
	case []any:
		if depth >= MaxNesting {
			return nil, errTooDeep
		}
		for i, e := range x {
			if x[i], err = child(e); err != nil {
				return nil, err
			}
		}
		return x, nil
	}
	return v, nil
}

// errTooDeep is a JSON-2 response nested deeper than MaxNesting.
var errTooDeep = fmt.Errorf("%w: response nests arrays and objects more than %d deep", ErrMalformedResponse, MaxNesting)

// json2Fault maps a JSON-2 error response to a *Fault with the Kind, Code
// and Exception the same error has over XML-RPC, so callers (and clients of
// the gateway) cannot tell the transports apart:
//
//	401 werkzeug Unauthorized          → code 3, KindAuthentication
//	403 odoo.exceptions.AccessError    → code 4, KindAccess
//	404 odoo.exceptions.MissingError   → code 2, KindMissing
//	422 odoo.exceptions.UserError, ValidationError … → code 2, KindValidation
//	404 werkzeug NotFound (unknown model or method) → code 1, KindValidation
//	422 werkzeug UnprocessableEntity (a bad keyword) → code 1, KindServer,
//	    like the TypeError XML-RPC gives
//	500 builtins.ValueError, KeyError …  → code 1, classified by exception
//
// The body's debug traceback is kept in Traceback (never in Error()). ok is
// false when v is not an Odoo error object.
func json2Fault(status int, v any) (f *Fault, ok bool) {
	r, isObj := v.(Record)
	if !isObj {
		return nil, false
	}
	name, hasName := r["name"].(string)
	msg, _ := r["message"].(string)
	if !hasName {
		return nil, false
	}
	f = &Fault{Code: 1}
	if tb, _ := r["debug"].(string); isTraceback(tb) {
		f.Traceback = tb
	}
	exc := strings.TrimPrefix(name, "builtins.")
	msg = strings.TrimSpace(msg)
	switch {
	case status == http.StatusUnauthorized || exc == "odoo.exceptions.AccessDenied":
		f.Code, f.Kind, f.Exception = 3, KindAuthentication, exc
	case exc == "odoo.exceptions.AccessError":
		f.Code, f.Kind, f.Exception = 4, KindAccess, exc
	case strings.HasPrefix(exc, "werkzeug.exceptions."):
		f.Exception = exc
		switch status {
		case http.StatusNotFound:
			f.Kind = KindValidation // unknown model or method, as KeyError/AttributeError over XML-RPC
		default:
			f.Kind = KindServer
		}
	case isUserFacingException(exc):
		f.Code, f.Exception = 2, exc
		f.Kind = classifyException(exc, msg)
	default:
		f.Exception = exc
		f.Kind = classifyException(exc, msg)
	}
	f.Message = sanitizeMessage(msg)
	return f, true
}

// versionJSON asks /web/webclient/version_info, the JSON-RPC route Odoo's
// web client uses (not deprecated, unlike /jsonrpc; it needs no
// credentials): the same struct as common.version.
func (c *Client) versionJSON(ctx context.Context) (any, error) {
	body := []byte(`{"jsonrpc": "2.0", "method": "call", "params": {}, "id": 1}`)
	return c.observed(ctx, "", "version", TransportJSON2, func() (any, error) {
		return c.exchangeJSON(ctx, "version", "", "version", c.baseURL+"/web/webclient/version_info", "", body, unwrapJSONRPC)
	})
}

// unwrapJSONRPC returns a JSON-RPC 2.0 response's result, or its error as
// a *Fault.
func unwrapJSONRPC(v any) (any, error) {
	r, ok := v.(Record)
	if !ok {
		return nil, shapeError("a JSON-RPC response object", v)
	}
	if e, ok := r["error"].(Record); ok {
		data, _ := e["data"].(Record)
		msg, _ := data["message"].(string)
		if msg == "" {
			msg, _ = e["message"].(string)
		}
		name, _ := data["name"].(string)
		f := &Fault{Code: 1, Exception: strings.TrimPrefix(name, "builtins."), Message: sanitizeMessage(msg)}
		f.Kind = classifyException(f.Exception, msg)
		if tb, _ := data["debug"].(string); isTraceback(tb) {
			f.Traceback = tb
		}
		return nil, f
	}
	res, ok := r["result"]
	if !ok {
		return nil, shapeError("a JSON-RPC result", v)
	}
	return res, nil
}

// KeyUID returns the user id of an API key over JSON-2, whatever the
// client's transport: one res.users context_get as the key's owner, which
// answers the user's lang, tz and uid. A key Odoo refuses is an error
// matching ErrAuthentication; a server without JSON-2 (before 19.0)
// answers HTTP 404, a *TransportError.
func (c *Client) KeyUID(ctx context.Context, key string) (int, error) {
	return c.whoAmI(ctx, "", key)
}

// whoAmI is Authenticate over JSON-2 (see KeyUID).
func (c *Client) whoAmI(ctx context.Context, login, key string) (int, error) {
	if key == "" {
		c.faults.Add(1)
		return 0, &authError{login: login, db: c.db}
	}
	res, err := c.callJSON2(ctx, key, "res.users", "context_get", map[string]any{})
	if err != nil {
		var f *Fault
		if errors.As(err, &f) && f.Kind == KindAuthentication {
			return 0, &authError{login: login, db: c.db}
		}
		return 0, err
	}
	r, ok := res.(Record)
	if uid, okUID := AsInt(r["uid"]); ok && okUID && uid > 0 {
		return uid, nil
	}
	return 0, c.shapeErr("context_get res.users", shapeError("a context with the uid", res))
}
