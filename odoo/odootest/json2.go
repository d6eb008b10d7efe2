package odootest

// Odoo 19's JSON-2 API, POST /json/2/<model>/<method> (addons/rpc,
// controllers/json2.py), as captured in odoo/testdata/v19/json2 and
// described in odoo/testdata/v19/README.md ("JSON-2 API").
//
// A request carries the API key as "Authorization: bearer <key>" and the
// method's named arguments as a JSON object ("ids" the records, "context"
// the context); the answer is the bare result (HTTP 200) or an error object
// {"name", "message", "arguments", "context", "debug"} with the status of
// the exception (werkzeug HTTP errors: their code; UserError and
// ValidationError 422, AccessError and AccessDenied 403, MissingError 404;
// any other exception 500).

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const json2ContentType = "application/json; charset=utf-8"

var json2Wire = wireProto{
	write:   func(s *Server, w http.ResponseWriter, r *wireReply) { s.writeJSON2(w, r) },
	garble:  garbleJSON,
	garbage: []byte(`[{"id": 1, "name": "YourCompany", "country_id": [233, "United St`),
}

// garbleJSON truncates a JSON body so that it no longer parses.
func garbleJSON(b []byte) []byte {
	out := append([]byte(nil), b[:len(b)*2/3]...)
	if json.Valid(out) {
		out = append(out, ',')
	}
	return out
}

// serveJSON2 answers /json/2 and everything under it (Odoo 19 and later).
func (s *Server) serveJSON2(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/json/2"), "/"), "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		// json2.py's web_json_2_404 takes over every other /json/2 path.
		s.writeJSON2(w, json2NotFoundPath().reply())
		return
	}
	model, method := parts[0], parts[1]
	if r.Method != http.MethodPost {
		// Real Odoo 19.0 routes the other methods to web_json_2_404 (a 404
		// "Did you mean POST /json/2/<model>/<method>?"); this server answers
		// werkzeug's 405 instead, which is what a client can act on.
		s.writeJSON2(w, json2MethodNotAllowed().reply())
		return
	}
	if db := r.Header.Get("X-Odoo-Database"); db != "" && db != DBName {
		s.writeJSON2(w, json2UnknownDB().reply())
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 256<<20))
	if err != nil {
		return
	}
	start := time.Now()
	u, authErr := s.json2Auth(r.Header.Get("Authorization"))
	var params ostruct
	if len(body) > 0 {
		v, perr := decodeJSON2(body)
		if perr != nil {
			if authErr == nil {
				// Like a malformed XML-RPC body: answered at once, not counted.
				s.writeJSON2(w, json2BadJSON(perr.Error()).reply())
				return
			}
		} else {
			// Odoo merges the body into the route's parameters with
			// "body | args": a body that is not an object is ignored.
			params, _ = v.(ostruct)
		}
	}
	var ids any
	hasIDs := false
	var kwargs ostruct // keyword arguments, "context" included
	for _, m := range params {
		if m.Name == "ids" {
			ids, hasIDs = m.Value, true
			continue
		}
		kwargs = append(kwargs, m)
	}
	entry := &Call{Model: model, Method: method, Args: []any{}}
	if u != nil {
		entry.UID = u.uid
	}
	if spec := methods[method]; spec != nil && spec.record {
		if hasIDs {
			entry.Args = []any{plainValue(ids)}
		} else {
			entry.Args = []any{[]any{}}
		}
	}
	entry.Kwargs, _ = plainValue(kwargs).(map[string]any) // never nil, like execute_kw's
	s.serveCall(w, r, start, model, method, entry, json2Wire, func() *wireReply {
		if authErr != nil {
			return authErr.reply()
		}
		return s.json2Call(u, model, method, ids, hasIDs, kwargs)
	})
}

// json2Call runs one authenticated call the way web_json_2_rpc does.
func (s *Server) json2Call(u *user, model, method string, ids any, hasIDs bool, kwargs ostruct) *wireReply {
	s.mu.RLock()
	m := s.ds.model(model)
	s.mu.RUnlock()
	if m == nil {
		return json2UnknownModel(model).reply()
	}
	spec, private := s.methodSpecFor(model, method)
	if private {
		return json2Private(model, method).reply()
	}
	if spec == nil {
		return json2UnknownMethod(model, method).reply()
	}
	if !spec.record && hasIDs && pyTruthy(ids) {
		return json2CannotCallWithIDs(model, method).reply()
	}
	if e := json2Bind(spec, kwargs.without("context")); e != nil {
		return e.reply()
	}
	var args []any
	if spec.record {
		if !hasIDs {
			ids = []any{}
		}
		args = []any{ids}
	}
	res, f := s.execute(u, model, method, args, kwargs)
	if f != nil {
		return s.json2Fault(f).reply()
	}
	if method == "create" {
		// create returns a recordset, which JSON-2 answers as its ids.
		if id, ok := res.(int); ok {
			res = []any{id}
		}
	}
	return &wireReply{body: appendPyJSON(nil, res)}
}

// json2Auth is ir.http's _auth_method_bearer: only API keys, no passwords.
func (s *Server) json2Auth(header string) (*user, *json2Error) {
	m := bearerRE.FindStringSubmatch(header)
	if m == nil {
		return nil, json2Unauthorized(250, "User not authenticated, use an API Key with a Bearer Authorization header.")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	uids := make([]int, 0, len(s.users))
	for uid := range s.users {
		uids = append(uids, uid)
	}
	slices.Sort(uids)
	for _, uid := range uids {
		if u := s.users[uid]; slices.Contains(u.apiKeys, m[1]) {
			return u, nil
		}
	}
	return nil, json2Unauthorized(242, "Invalid apikey")
}

var bearerRE = regexp.MustCompile(`(?i)^bearer\s+(.+)$`)

// json2Bind is the inspect.signature(func).bind(records, **kwargs) check
// Odoo makes before the call: a caller's mistake is a 422.
func json2Bind(spec *methodSpec, kwargs ostruct) *json2Error {
	for _, p := range spec.params {
		if kwargs.has(p) {
			continue
		}
		if _, ok := spec.defaults[p]; !ok {
			return json2Unprocessable(true, "missing a required argument: "+pyStrRepr(p))
		}
	}
	if spec.varkw {
		return nil
	}
	for _, kv := range kwargs {
		if !slices.Contains(spec.params, kv.Name) {
			return json2Unprocessable(false, "got an unexpected keyword argument "+pyStrRepr(kv.Name))
		}
	}
	return nil
}

func pyTruthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int:
		return x != 0
	case float64:
		return x != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case ostruct:
		return len(x) > 0
	}
	return true
}

// contextGetMethod is res.users.context_get: the user's lang and tz (from
// the user's partner) and uid.
func (e *env) contextGetMethod(m *model, _ []int, _ *boundArgs) (any, *rpcFault) {
	lang, tz := any("en_US"), any(false)
	if um := e.ds.model("res.users"); um != nil {
		if ur := um.recs[e.u.uid]; ur != nil {
			pid, _ := ur["partner_id"].(int)
			if pm := e.ds.model("res.partner"); pm != nil && pid != 0 {
				if pr := pm.recs[pid]; pr != nil {
					if l, _ := pr["lang"].(string); l != "" {
						lang = l
					}
					if t, _ := pr["tz"].(string); t != "" {
						tz = t
					}
				}
			}
		}
	}
	return ostruct{{"lang", lang}, {"tz", tz}, {"uid", e.u.uid}}, nil
}

// --- errors ---

// json2Error is a JSON-2 error answer.
type json2Error struct {
	status  int
	name    string // Python class with its module
	message string
	args    []any
	debug   string // the traceback
	header  [][2]string
}

func (e *json2Error) reply() *wireReply {
	body := ostruct{
		{"name", e.name},
		{"message", e.message},
		{"arguments", e.args},
		{"context", ostruct{}}, // serialize_exception: getattr(exc, 'context', {})
		{"debug", e.debug},
	}
	return &wireReply{status: e.status, header: e.header, body: appendPyJSON(nil, body)}
}

// httpError is a werkzeug HTTPException; tb is the traceback without its
// exception line.
func httpError(status int, class, desc, tb string) *json2Error {
	return &json2Error{
		status:  status,
		name:    "werkzeug.exceptions." + class,
		message: desc,
		args:    []any{desc, status},
		debug:   tb + fmt.Sprintf("werkzeug.exceptions.%s: %d %s: %s\n", class, status, http.StatusText(status), desc),
	}
}

// pyError is an exception of another class (module.Class) raised with msg.
func pyError(status int, class, msg, tb string) *json2Error {
	line := strings.TrimPrefix(class, "builtins.")
	if msg != "" {
		line += ": " + msg
	}
	return &json2Error{status: status, name: class, message: msg, args: []any{msg}, debug: tb + line + "\n"}
}

const (
	json2Py   = pyRoot + "addons/rpc/controllers/json2.py"
	irHTTPPy  = pyRoot + "addons/base/models/ir_http.py"
	tbHeader  = "Traceback (most recent call last):\n"
	tbCause   = "\nThe above exception was the direct cause of the following exception:\n\n"
	tbContext = "\nDuring handling of the above exception, another exception occurred:\n\n"
)

// The frames of a JSON-2 request, from the captures 044-053.
var (
	json2Serve = frame(pyRoot+"http.py", 2273, "_serve_db", "return service_model.retrying(serve_func, env=self.env)") +
		frame(pyRoot+"service/model.py", 184, "retrying", "result = func()")
	json2Dispatch = json2Serve +
		frame(pyRoot+"http.py", 2328, "_serve_ir_http", "response = self.dispatcher.dispatch(rule.endpoint, args)") +
		frame(pyRoot+"http.py", 2608, "dispatch", "result = self.request.registry['ir.http']._dispatch(endpoint)") +
		frame(irHTTPPy, 355, "_dispatch", "result = endpoint(**request.params)") +
		frame(pyRoot+"http.py", 788, "route_wrapper", "result = endpoint(self, *args, **params_ok)")
	json2CallFrame = frame(json2Py, 86, "web_json_2_rpc", "result = func(records, **kwargs)")
)

// json2Unauthorized: no or a bad bearer key (captures 046, 047).
func json2Unauthorized(line int, msg string) *json2Error {
	tb := tbHeader + json2Serve +
		frame(pyRoot+"http.py", 2326, "_serve_ir_http", "self.registry['ir.http']._authenticate(rule.endpoint)") +
		frame(irHTTPPy, 275, "_authenticate", "cls._authenticate_explicit(auth)") +
		frame(irHTTPPy, 284, "_authenticate_explicit", "getattr(cls, f'_auth_method_{auth}')()") +
		frame(irHTTPPy, line, "_auth_method_bearer", "raise Unauthorized(e, www_authenticate=WWWAuthenticate('bearer'))")
	e := httpError(http.StatusUnauthorized, "Unauthorized", msg, tb)
	e.header = [][2]string{{"WWW-Authenticate", "Bearer "}}
	return e
}

// json2UnknownModel: capture 048.
func json2UnknownModel(model string) *json2Error {
	tb := tbHeader +
		"  File \"" + json2Py + "\", line 66, in web_json_2_rpc\n" +
		"    Model = request.env[__model__].with_context(context)\n" +
		"            ~~~~~~~~~~~^^^^^^^^^^^\n" +
		"  File \"" + pyRoot + "orm/environments.py\", line 107, in __getitem__\n" +
		"    return self.registry[model_name](self, (), ())\n" +
		"           ~~~~~~~~~~~~~^^^^^^^^^^^^\n" +
		"  File \"" + pyRoot + "orm/registry.py\", line 335, in __getitem__\n" +
		"    return self.models[model_name]\n" +
		"           ~~~~~~~~~~~^^^^^^^^^^^^\n" +
		"KeyError: " + pyStrRepr(model) + "\n" + tbCause +
		tbHeader + json2Dispatch +
		frame(json2Py, 69, "web_json_2_rpc", "raise NotFound(e) from exc")
	return httpError(http.StatusNotFound, "NotFound", fmt.Sprintf("the model %s does not exist", pyStrRepr(model)), tb)
}

// json2Private: an @api.private or _method (capture 053).
func json2Private(model, method string) *json2Error {
	tb := tbHeader + json2Dispatch +
		frame(json2Py, 72, "web_json_2_rpc", "func = get_public_method(Model, __method__)") +
		frame(pyRoot+"service/model.py", 65, "get_public_method", "raise AccessError(e)")
	return pyError(http.StatusForbidden, "odoo.exceptions.AccessError", privateMethodFault(model, method).msg, tb)
}

// json2UnknownMethod: get_public_method's AttributeError turned into a 404
// (no capture; frames from json2.py and the XML-RPC capture of 19.0).
func json2UnknownMethod(model, method string) *json2Error {
	msg := fmt.Sprintf("The method '%s.%s' does not exist", model, method)
	tb := tbHeader +
		frame(json2Py, 72, "web_json_2_rpc", "func = get_public_method(Model, __method__)") +
		"  File \"" + pyRoot + "service/model.py\", line 58, in get_public_method\n" +
		"    raise AttributeError(f\"The method '{model._name}.{name}' does not exist\")  # noqa: TRY004\n" +
		"    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n" +
		"AttributeError: " + msg + "\n" + tbCause +
		tbHeader + json2Dispatch +
		frame(json2Py, 74, "web_json_2_rpc", "raise NotFound(exc.args[0]) from exc")
	return httpError(http.StatusNotFound, "NotFound", msg, tb)
}

// json2CannotCallWithIDs: ids given to an @api.model method (json2.py; no
// capture).
func json2CannotCallWithIDs(model, method string) *json2Error {
	tb := tbHeader + json2Dispatch + frame(json2Py, 77, "web_json_2_rpc", "raise UnprocessableEntity(e)")
	return httpError(http.StatusUnprocessableEntity, "UnprocessableEntity", fmt.Sprintf("cannot call %s.%s with ids", model, method), tb)
}

// json2Unprocessable: the signature check failed (capture 050 for an
// unexpected keyword; the line of the "missing" raise in Python 3.11's
// inspect.py is not captured).
func json2Unprocessable(missing bool, msg string) *json2Error {
	raise := "  File \"/usr/lib/python3.11/inspect.py\", line 3200, in _bind\n    raise TypeError(\n"
	if missing {
		raise = "  File \"/usr/lib/python3.11/inspect.py\", line 3186, in _bind\n    raise TypeError(msg) from None\n"
	}
	tb := tbHeader +
		"  File \"" + json2Py + "\", line 82, in web_json_2_rpc\n    signature.bind(records, **kwargs)\n" +
		frame("/usr/lib/python3.11/inspect.py", 3211, "bind", "return self._bind(args, kwargs)") +
		raise + "TypeError: " + msg + "\n" + tbContext +
		tbHeader + json2Dispatch +
		frame(json2Py, 84, "web_json_2_rpc", "raise UnprocessableEntity(exc.args[0])")
	return httpError(http.StatusUnprocessableEntity, "UnprocessableEntity", msg, tb)
}

// json2NotFoundPath: web_json_2_404 (no capture).
func json2NotFoundPath() *json2Error {
	tb := tbHeader + json2Dispatch + frame(json2Py, 44, "web_json_2_404", "raise request.not_found(e)")
	return httpError(http.StatusNotFound, "NotFound", "Did you mean POST /json/2/<model>/<method>?", tb)
}

// json2UnknownDB: an X-Odoo-Database naming another database. There is no
// capture of it; the message is werkzeug's default NotFound description and
// the frame an approximation of odoo/http.py.
func json2UnknownDB() *json2Error {
	tb := tbHeader + frame(pyRoot+"http.py", 2181, "_get_session_and_dbname", "raise NotFound()")
	return httpError(http.StatusNotFound, "NotFound", "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.", tb)
}

// json2MethodNotAllowed: see serveJSON2 (no capture).
func json2MethodNotAllowed() *json2Error {
	tb := tbHeader + "  File \"/usr/lib/python3/dist-packages/werkzeug/routing/map.py\", line 624, in match\n" +
		"    raise MethodNotAllowed(valid_methods=list(have_match_for)) from None\n"
	e := httpError(http.StatusMethodNotAllowed, "MethodNotAllowed", "The method is not allowed for the requested URL.", tb)
	e.header = [][2]string{{"Allow", "POST"}}
	return e
}

// json2BadJSON: a body that is not JSON (Json2Dispatcher.dispatch; no
// capture).
func json2BadJSON(msg string) *json2Error {
	tb := tbHeader + json2Serve +
		frame(pyRoot+"http.py", 2328, "_serve_ir_http", "response = self.dispatcher.dispatch(rule.endpoint, args)") +
		frame(pyRoot+"http.py", 2597, "dispatch", "raise BadRequest(e) from exc")
	return httpError(http.StatusBadRequest, "BadRequest", "could not parse the body as json: "+msg, tb)
}

// json2Fault turns a fault of execute into the JSON-2 error Odoo answers.
func (s *Server) json2Fault(f *rpcFault) *json2Error {
	var class string
	switch f.code {
	case faultServer:
		exc := f.excType
		if exc == "" {
			exc = "Exception"
		}
		if !strings.Contains(exc, ".") {
			exc = "builtins." + exc
		}
		e := pyError(http.StatusInternalServerError, exc, f.msg, "")
		e.debug = s.json2Traceback(f, exc)
		return e
	case faultAccessDenied:
		class = "AccessDenied"
	case faultAccessError:
		class = "AccessError"
	default: // UserError and its subclasses
		switch {
		case f.excType != "":
			class = f.excType
		case strings.HasPrefix(f.msg, "Record does not exist or has been deleted."):
			class = "MissingError"
		case strings.HasPrefix(f.msg, "The operation cannot be completed:"):
			class = "ValidationError" // an SQL constraint, turned into a ValidationError by retrying()
		default:
			class = "UserError"
		}
	}
	status := http.StatusUnprocessableEntity
	switch class {
	case "AccessError", "AccessDenied":
		status = http.StatusForbidden
	case "MissingError":
		status = http.StatusNotFound
	}
	tb := tbHeader + json2Dispatch + json2CallFrame
	if class == "ValidationError" && strings.HasPrefix(f.msg, "The operation cannot be completed:") {
		// Raised by retrying() from the psycopg2 error (capture 045; the
		// chained psycopg2 traceback is left out).
		tb = tbHeader + frame(pyRoot+"http.py", 2273, "_serve_db", "return service_model.retrying(serve_func, env=self.env)") +
			frame(pyRoot+"service/model.py", 210, "retrying", "raise ValidationError(message) from exc")
	}
	return pyError(status, "odoo.exceptions."+class, f.msg, tb)
}

// json2Traceback renders a code-1 fault's traceback as raised under
// web_json_2_rpc instead of the XML-RPC dispatcher.
func (s *Server) json2Traceback(f *rpcFault, class string) string {
	vf := s.frames()
	if f.full != "" {
		for _, head := range []string{vf.rpc2 + vf.dispatch + vf.callKw, vf.rpc2 + vf.dispatch, vf.rpc2} {
			if strings.Contains(f.full, head) {
				return strings.Replace(f.full, head, json2Dispatch+json2CallFrame, 1)
			}
		}
		return f.full
	}
	var sb strings.Builder
	sb.WriteString(tbHeader + json2Dispatch + json2CallFrame)
	frames := f.frames
	if len(frames) == 0 && strings.HasPrefix(f.msg, "BaseModel._read_format() got an unexpected keyword argument") {
		frames = []string{frame(vf.models, 5785, "search_read", "return records._read_format(fnames=fields, **read_kwargs)")} // capture 049
	}
	for _, fr := range frames {
		sb.WriteString(fr)
	}
	sb.WriteString(strings.TrimPrefix(class, "builtins."))
	if f.msg != "" {
		sb.WriteString(": " + f.msg)
	}
	sb.WriteString("\n")
	return sb.String()
}

// --- wire ---

// writeJSON2 writes a JSON-2 reply. Error statuses go out with werkzeug's
// upper-case reason phrase ("401 UNAUTHORIZED") and "Connection: close",
// as Odoo sends them, when the connection can be taken over.
func (s *Server) writeJSON2(w http.ResponseWriter, rep *wireReply) {
	status := rep.status
	if status == 0 {
		status = http.StatusOK
	}
	if status != http.StatusOK && writeRawResponse(w, status, rep) {
		return
	}
	h := w.Header()
	for _, kv := range rep.header {
		h.Set(kv[0], kv[1])
	}
	h.Set("Content-Type", json2ContentType)
	h.Set("Content-Length", strconv.Itoa(len(rep.body)))
	if status == http.StatusOK {
		h.Set("X-Content-Type-Options", "nosniff")
	}
	w.WriteHeader(status)
	_, _ = w.Write(rep.body)
}

// writeRawResponse hijacks the connection to write a response whose status
// line Go's server would spell differently, then closes the connection.
func writeRawResponse(w http.ResponseWriter, status int, rep *wireReply) bool {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return false
	}
	conn, rw, err := hj.Hijack()
	if err != nil {
		return false
	}
	defer conn.Close()
	bw := rw.Writer
	fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", status, strings.ToUpper(http.StatusText(status)))
	fmt.Fprintf(bw, "Date: %s\r\n", time.Now().UTC().Format(http.TimeFormat))
	for _, kv := range rep.header {
		fmt.Fprintf(bw, "%s: %s\r\n", kv[0], kv[1])
	}
	fmt.Fprintf(bw, "Content-Length: %d\r\nContent-Type: %s\r\nConnection: close\r\n\r\n", len(rep.body), json2ContentType)
	_, _ = bw.Write(rep.body)
	_ = bw.Flush()
	return true
}

// decodeJSON2 parses a request body: objects as ostruct (in order; a
// repeated key keeps its first place and its last value, as in Python),
// numbers without '.', 'e' or 'E' as int, others as float64.
func decodeJSON2(body []byte) (any, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 || !strings.ContainsRune(`{["-0123456789tfn`, rune(trimmed[0])) {
		pos := len(body) - len(trimmed)
		return nil, fmt.Errorf("Expecting value: %s", jsonPos(body, pos))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	v, err := readJSONValue(dec)
	if err != nil {
		return nil, err
	}
	off := int(dec.InputOffset())
	for off < len(body) && strings.ContainsRune(" \t\r\n", rune(body[off])) {
		off++
	}
	if off < len(body) {
		return nil, fmt.Errorf("Extra data: %s", jsonPos(body, off))
	}
	return v, nil
}

// jsonPos is the "line L column C (char P)" of Python's json errors.
func jsonPos(body []byte, pos int) string {
	line := bytes.Count(body[:pos], []byte("\n")) + 1
	col := pos - bytes.LastIndexByte(body[:pos], '\n')
	return fmt.Sprintf("line %d column %d (char %d)", line, col, utf8.RuneCount(body[:pos]))
}

var errJSONSyntax = errors.New("invalid JSON")

func readJSONValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := ostruct{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, ok := kt.(string)
				if !ok {
					return nil, errJSONSyntax
				}
				v, err := readJSONValue(dec)
				if err != nil {
					return nil, err
				}
				if i := slices.IndexFunc(obj, func(m member) bool { return m.Name == key }); i >= 0 {
					obj[i].Value = v
				} else {
					obj = append(obj, member{key, v})
				}
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return obj, nil
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := readJSONValue(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return arr, nil
		}
		return nil, errJSONSyntax
	case json.Number:
		s := t.String()
		if !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.Atoi(s); err == nil {
				return i, nil
			}
		}
		f, err := t.Float64()
		if err != nil && !math.IsInf(f, 0) {
			return nil, err
		}
		return f, nil
	}
	return tok, nil // string, bool, nil
}

// appendPyJSON encodes v like Python's json.dumps(v, ensure_ascii=False),
// as Odoo's make_json_response does: ", " and ": " separators, non-ASCII
// text as is, floats as repr() does.
func appendPyJSON(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		if x {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case int32:
		return strconv.AppendInt(b, int64(x), 10)
	case float64:
		switch {
		case math.IsNaN(x):
			return append(b, "NaN"...)
		case math.IsInf(x, 1):
			return append(b, "Infinity"...)
		case math.IsInf(x, -1):
			return append(b, "-Infinity"...)
		}
		return append(b, pyFloatRepr(x)...)
	case string:
		return appendPyJSONString(b, x)
	case []any:
		return appendPyList(b, x, appendPyJSON)
	case []int:
		return appendPyList(b, x, func(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) })
	case []string:
		return appendPyList(b, x, appendPyJSONString)
	case []ostruct:
		return appendPyList(b, x, func(b []byte, e ostruct) []byte { return appendPyJSON(b, e) })
	case ostruct:
		b = append(b, '{')
		for i, m := range x {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendPyJSONString(b, m.Name)
			b = append(b, ": "...)
			b = appendPyJSON(b, m.Value)
		}
		return append(b, '}')
	case map[string]any:
		return appendPyJSON(b, sortedStruct(x))
	}
	return appendPyJSONReflect(b, reflect.ValueOf(v))
}

// appendPyList writes a list as json.dumps does: "[a, b]".
func appendPyList[T any](b []byte, list []T, item func([]byte, T) []byte) []byte {
	b = append(b, '[')
	for i, e := range list {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = item(b, e)
	}
	return append(b, ']')
}

// appendPyJSONReflect encodes the other Go values: numbers, strings,
// slices, string-keyed maps (sorted), pointers.
func appendPyJSONReflect(b []byte, rv reflect.Value) []byte {
	switch rv.Kind() {
	case reflect.Invalid:
		return append(b, "null"...)
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return append(b, "null"...)
		}
		return appendPyJSON(b, rv.Elem().Interface())
	case reflect.Bool:
		return appendPyJSON(b, rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(b, rv.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return appendPyJSON(b, rv.Float())
	case reflect.String:
		return appendPyJSONString(b, rv.String())
	case reflect.Slice, reflect.Array:
		b = append(b, '[')
		for i := range rv.Len() {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendPyJSON(b, rv.Index(i).Interface())
		}
		return append(b, ']')
	case reflect.Map:
		keys := rv.MapKeys()
		names := make([]string, len(keys))
		for i, k := range keys {
			names[i] = fmt.Sprint(k.Interface())
		}
		order := make([]int, len(keys))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, c int) int { return strings.Compare(names[a], names[c]) })
		b = append(b, '{')
		for i, j := range order {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendPyJSONString(b, names[j])
			b = append(b, ": "...)
			b = appendPyJSON(b, rv.MapIndex(keys[j]).Interface())
		}
		return append(b, '}')
	}
	return appendPyJSONString(b, fmt.Sprint(rv.Interface()))
}

// appendPyJSONString quotes s as Python's json does with ensure_ascii=False:
// only '"', '\\' and control characters are escaped.
func appendPyJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		default:
			if c < 0x20 {
				b = fmt.Appendf(b, `\u%04x`, c)
			} else {
				b = append(b, c)
			}
		}
	}
	return append(b, '"')
}

// serveVersionInfo answers /web/webclient/version_info, the JSON-RPC route
// (auth none) of Odoo's web client that JSON-2 clients ask for the version
// (JSON-2 has no version call; the route is not deprecated like /jsonrpc):
// {"jsonrpc": "2.0", "id": <id>, "result": {server_version,
// server_version_info, server_serie, protocol_version}}. It is counted as
// common.version is, so both transports cost the same calls.
func (s *Server) serveVersionInfo(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "405 Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return
	}
	start := time.Now()
	var id any
	if v, err := decodeJSON2(body); err == nil {
		if req, ok := v.(ostruct); ok {
			id, _ = req.get("id")
		}
	}
	s.serveCall(w, r, start, "", "version", nil, json2Wire, func() *wireReply {
		res := ostruct{{"jsonrpc", "2.0"}, {"id", id}, {"result", s.versionInfo()}}
		return &wireReply{status: http.StatusOK, header: [][2]string{{"Content-Type", "application/json"}}, body: appendPyJSON(nil, res)}
	})
}
