package odootest

import (
	"fmt"
	"slices"
	"strings"
)

// handleCall runs one decoded call and returns the encoded response.
func (s *Server) handleCall(service string, mc *methodCall, legacy bool) []byte {
	var (
		res any
		f   *rpcFault
	)
	switch service {
	case "common":
		res, f = s.common(mc.Method, mc.Params)
	case "db":
		res, f = s.dbService(mc.Method)
	case "object":
		res, f = s.object(mc.Method, mc.Params)
	}
	if f == nil {
		b, err := encodeResponse(res, s.style)
		if err == nil {
			return b
		}
		me, ok := err.(*marshalError)
		if !ok {
			f = serverError("TypeError", fmt.Sprintf("cannot marshal %T objects", res))
		} else {
			f = marshalFault(me)
		}
	}
	return s.encodeRPCFault(f, legacy, service == "object")
}

func (s *Server) encodeRPCFault(f *rpcFault, legacy, object bool) []byte {
	if f.code == faultServer && f.full == "" && !f.marshal && f.frames == nil && f.excType == "" {
		f.excType = "Exception"
	}
	if legacy {
		// /xmlrpc: faultCode is a string, faultString the traceback.
		switch f.code {
		case faultUserError:
			return encodeFault("warning -- UserError\n\n"+f.msg, "", s.style)
		case faultAccessError:
			return encodeFault("warning -- AccessError\n\n"+f.msg, "", s.style)
		case faultAccessDenied:
			return encodeFault("AccessDenied", f.msg, s.style)
		}
		return encodeFault(f.msg, s.faultString(f, true, object), s.style)
	}
	if f.code == faultServer {
		return encodeFault(1, s.faultString(f, false, object), s.style)
	}
	return encodeFault(f.code, f.msg, s.style)
}

func (s *Server) common(method string, params []any) (any, *rpcFault) {
	switch method {
	case "version":
		return s.versionInfo(), nil
	case "authenticate", "login":
		want := 4
		if method == "login" {
			want = 3
		}
		if len(params) < want-1 || len(params) > want {
			return nil, serverError("TypeError", fmt.Sprintf("exp_%s() takes %d positional arguments but %d were given", method, want, len(params)))
		}
		db, _ := params[0].(string)
		if db != DBName {
			return nil, &rpcFault{code: faultServer, msg: fmt.Sprintf("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database %q does not exist", db), full: s.unknownDBFault(db, false)}
		}
		login, _ := params[1].(string)
		password, _ := params[2].(string)
		s.mu.RLock()
		defer s.mu.RUnlock()
		for _, u := range s.users {
			if u.login == login && u.checkPassword(password) {
				return u.uid, nil
			}
		}
		return false, nil
	case "about":
		return "See http://openerp.com", nil
	}
	return nil, &rpcFault{code: faultServer, msg: "Method not found: " + method, full: s.commonUnknownFault(method)}
}

func (u *user) checkPassword(pw string) bool {
	if pw == "" {
		return false
	}
	return pw == u.password || slices.Contains(u.apiKeys, pw)
}

func (s *Server) versionInfo() ostruct {
	serie := fmt.Sprintf("%d.0", s.major)
	ver := s.version
	return ostruct{
		{"server_version", ver},
		{"server_version_info", []any{s.major, 0, 0, "final", 0, ""}},
		{"server_serie", serie},
		{"protocol_version", 1},
	}
}

func (s *Server) dbService(method string) (any, *rpcFault) {
	switch method {
	case "list":
		return []any{DBName}, nil
	case "server_version":
		return s.version, nil
	}
	return nil, &rpcFault{code: faultServer, msg: "Method not found: " + method, full: s.commonUnknownFault(method)}
}

// object handles the object service: execute_kw and execute.
func (s *Server) object(method string, params []any) (any, *rpcFault) {
	var args []any
	var kwargs ostruct
	switch method {
	case "execute_kw":
		if len(params) < 5 {
			return nil, serverError("TypeError", fmt.Sprintf("execute_kw() missing %d required positional arguments", 5-len(params)))
		}
		if len(params) > 7 {
			return nil, serverError("TypeError", fmt.Sprintf("execute_kw() takes from 4 to 5 positional arguments but %d were given", len(params)-2))
		}
		if len(params) >= 6 {
			a, ok := params[5].([]any)
			if !ok {
				return nil, serverError("TypeError", fmt.Sprintf("odoo.service.model.execute() argument after * must be an iterable, not %s", pyTypeName(params[5])))
			}
			args = a
		} else {
			return nil, serverError("TypeError", "execute_kw() missing 1 required positional argument: 'args'")
		}
		if len(params) == 7 {
			switch k := params[6].(type) {
			case ostruct:
				kwargs = k
			case nil, bool:
			default:
				return nil, serverError("TypeError", fmt.Sprintf("odoo.service.model.execute() argument after ** must be a mapping, not %s", pyTypeName(params[6])))
			}
		}
	case "execute":
		if len(params) < 5 {
			return nil, serverError("TypeError", "execute() missing required positional arguments")
		}
		args = params[5:]
	default:
		return nil, &rpcFault{code: faultServer, msg: "Method not found: " + method, full: s.commonUnknownFault(method)}
	}
	db, _ := params[0].(string)
	if db != DBName {
		return nil, &rpcFault{code: faultServer, msg: fmt.Sprintf("database %q does not exist", db), full: s.unknownDBFault(db, true)}
	}
	uid, _ := params[1].(int)
	password, _ := params[2].(string)
	model, _ := params[3].(string)
	name, _ := params[4].(string)

	s.mu.RLock()
	u := s.users[uid]
	ok := u != nil && u.checkPassword(password)
	s.mu.RUnlock()
	if !ok {
		return nil, &rpcFault{code: faultAccessDenied, msg: "Access Denied"}
	}
	return s.execute(u, model, name, args, kwargs)
}

func pyTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case int:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []any:
		return "list"
	case ostruct:
		return "dict"
	}
	return fmt.Sprintf("%T", v)
}

// methodSpec describes a public model method: its Python signature and
// whether it is called on records (ids first) and writes.
type methodSpec struct {
	params   []string
	defaults map[string]any // parameters with a default value
	record   bool
	write    bool
	varkw    bool // accepts **kwargs
	stubOK   bool // available on stub models
	fn       func(e *env, m *model, ids []int, a *boundArgs) (any, *rpcFault)
}

type boundArgs struct {
	vals  map[string]any
	extra ostruct // **kwargs
}

func (a *boundArgs) get(name string) any { return a.vals[name] }

var methods map[string]*methodSpec

func init() {
	methods = map[string]*methodSpec{
		"fields_get":           {params: []string{"allfields", "attributes"}, defaults: map[string]any{"allfields": nil, "attributes": nil}, stubOK: true, fn: (*env).fieldsGet},
		"search":               {params: []string{"domain", "offset", "limit", "order"}, defaults: map[string]any{"offset": 0, "limit": nil, "order": nil}, stubOK: true, fn: (*env).searchMethod},
		"search_count":         {params: []string{"domain", "limit"}, defaults: map[string]any{"limit": nil}, stubOK: true, fn: (*env).searchCountMethod},
		"search_read":          {params: []string{"domain", "fields", "offset", "limit", "order"}, defaults: map[string]any{"domain": nil, "fields": nil, "offset": 0, "limit": nil, "order": nil}, varkw: true, stubOK: true, fn: (*env).searchReadMethod},
		"read":                 {params: []string{"fields", "load"}, defaults: map[string]any{"fields": nil, "load": "_classic_read"}, record: true, stubOK: true, fn: (*env).readMethod},
		"create":               {params: []string{"vals_list"}, write: true, fn: (*env).createMethod},
		"write":                {params: []string{"vals"}, record: true, write: true, fn: (*env).writeMethod},
		"unlink":               {params: []string{}, record: true, write: true, fn: (*env).unlinkMethod},
		"name_search":          {params: []string{"name", "domain", "operator", "limit"}, defaults: map[string]any{"name": "", "domain": nil, "operator": "ilike", "limit": 100}, stubOK: true, fn: (*env).nameSearchMethod},
		"check_access_rights":  {params: []string{"operation", "raise_exception"}, defaults: map[string]any{"raise_exception": true}, stubOK: true, fn: (*env).checkAccessRightsMethod},
		"has_access":           {params: []string{"operation"}, record: true, stubOK: true, fn: (*env).hasAccessMethod},
		"check_access":         {params: []string{"operation"}, record: true, stubOK: true, fn: (*env).checkAccessMethod},
		"action_archive":       {params: []string{}, record: true, write: true, fn: archiveMethod(false)},
		"action_unarchive":     {params: []string{}, record: true, write: true, fn: archiveMethod(true)},
		"web_search_read":      {params: []string{"domain", "specification", "offset", "limit", "order", "count_limit"}, defaults: map[string]any{"offset": 0, "limit": nil, "order": nil, "count_limit": nil}, stubOK: true, fn: (*env).webSearchReadMethod},
		"web_read":             {params: []string{"specification"}, record: true, stubOK: true, fn: (*env).webReadMethod},
		"read_group":           {params: []string{"domain", "fields", "groupby", "offset", "limit", "orderby", "lazy"}, defaults: map[string]any{"offset": 0, "limit": nil, "orderby": false, "lazy": true}, fn: (*env).readGroupMethod},
		"formatted_read_group": {params: []string{"domain", "groupby", "aggregates", "having", "offset", "limit", "order"}, defaults: map[string]any{"groupby": []any{}, "aggregates": []any{}, "having": []any{}, "offset": 0, "limit": nil, "order": nil}, fn: (*env).formattedReadGroupMethod},
		"name_create":          {params: []string{"name"}, write: true, fn: (*env).nameCreateMethod},
		"exists":               {params: []string{}, record: true, stubOK: true, fn: (*env).existsMethod},
		"default_get":          {params: []string{"fields_list"}, fn: (*env).defaultGetMethod},
		"context_get":          {params: []string{}, fn: (*env).contextGetMethod}, // res.users only (json2.go)
		// sale.order's business actions (sale.go).
		"action_confirm": {params: []string{}, record: true, write: true, fn: (*env).actionConfirmMethod},
		"action_cancel":  {params: []string{}, record: true, write: true, fn: (*env).actionCancelMethod},
	}
}

// execute runs a model method for user u.
func (s *Server) execute(u *user, modelName, method string, args []any, kwargs ostruct) (any, *rpcFault) {
	if strings.HasPrefix(method, "_") {
		return nil, privateMethodFault(modelName, method)
	}
	s.mu.RLock()
	m := s.ds.model(modelName)
	s.mu.RUnlock()
	if m == nil {
		return nil, unknownModelFault(modelName)
	}
	spec, private := s.methodSpecFor(modelName, method)
	if private {
		return nil, privateMethodFault(modelName, method)
	}
	if spec == nil {
		return nil, s.unknownMethodFault(modelName, method)
	}
	// context
	activeTest := true
	var callCtx ostruct
	if ctx, ok := kwargs.get("context"); ok {
		kwargs = kwargs.without("context")
		if c, ok := ctx.(ostruct); ok {
			callCtx = c
			if at, ok := c.get("active_test"); ok && (at == false || at == 0 || at == nil) {
				activeTest = false
			}
		}
	}
	var ids []int
	if spec.record {
		if len(args) == 0 {
			return nil, serverError("IndexError", "tuple index out of range")
		}
		var ok bool
		ids, ok = toIDs(args[0])
		if !ok {
			return nil, serverError("TypeError", fmt.Sprintf("unhashable type: '%s'", pyTypeName(args[0])))
		}
		args = args[1:]
	}
	// name_search(args=...) is the pre-18 spelling of domain.
	if method == "name_search" {
		if v, ok := kwargs.get("args"); ok && !kwargs.has("domain") {
			kwargs = kwargs.without("args")
			kwargs = append(kwargs, member{"domain", v})
		}
	}
	bound, f := bind(method, spec, args, kwargs)
	if f != nil {
		return nil, f
	}
	if spec.write {
		s.mu.Lock()
		defer s.mu.Unlock()
	} else {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	e := s.newEnv(u, activeTest)
	e.method = method
	m = s.ds.model(modelName)
	if m == nil {
		return nil, unknownModelFault(modelName)
	}
	if f := e.applyContext(callCtx); f != nil {
		return nil, f
	}
	if f := e.companyFault(m); f != nil {
		return nil, f
	}
	if m.stub && !spec.stubOK {
		op := "write"
		if method == "create" || method == "name_create" {
			op = "create"
		} else if method == "unlink" {
			op = "unlink"
		}
		return nil, e.modelAccessError(m, op)
	}
	res, f := spec.fn(e, m, ids, bound)
	if f != nil && spec.write {
		e.rollback() // one transaction: nothing of a failed call stays (txn.go)
	}
	if f != nil && spec.record {
		f.record = true
	}
	return res, f
}

// methodSpecFor returns the public method model.method as this server's
// version has it (nil: no such method); private reports a method Odoo
// refuses to call remotely.
func (s *Server) methodSpecFor(modelName, method string) (spec *methodSpec, private bool) {
	if strings.HasPrefix(method, "_") {
		return nil, true
	}
	spec = methods[method]
	switch {
	case s.major <= 17 && (method == "has_access" || method == "check_access"):
		spec = nil
	case s.major <= 16 && (method == "web_search_read" || method == "web_read"):
		spec = nil
	case s.major <= 18 && method == "formatted_read_group":
		spec = nil
	case s.major >= 19 && method == "check_access":
		return nil, true
	case method == "context_get" && modelName != "res.users":
		spec = nil
	}
	return spec, false
}

func toIDs(v any) ([]int, bool) {
	switch x := v.(type) {
	case int:
		return []int{x}, true
	case []any:
		ids := make([]int, 0, len(x))
		for _, e := range x {
			switch id := e.(type) {
			case int:
				ids = append(ids, id)
			case float64:
				ids = append(ids, int(id))
			default:
				return nil, false
			}
		}
		return ids, true
	case nil, bool:
		return []int{}, true
	}
	return nil, false
}

// bind maps positional and keyword arguments to the method's parameters,
// failing like Python does.
func bind(name string, spec *methodSpec, args []any, kwargs ostruct) (*boundArgs, *rpcFault) {
	qual := "BaseModel." + name
	if strings.HasPrefix(name, "web_") {
		qual = "Base." + name
	}
	a := &boundArgs{vals: map[string]any{}}
	if len(args) > len(spec.params) {
		minArgs := 1
		for _, p := range spec.params {
			if _, ok := spec.defaults[p]; !ok {
				minArgs++
			}
		}
		maxArgs := len(spec.params) + 1
		takes := fmt.Sprintf("from %d to %d positional arguments", minArgs, maxArgs)
		if minArgs == maxArgs {
			takes = fmt.Sprintf("%d positional argument", maxArgs)
			if maxArgs != 1 {
				takes += "s"
			}
		}
		return nil, serverError("TypeError", fmt.Sprintf("%s() takes %s but %d were given", qual, takes, len(args)+1))
	}
	for i, v := range args {
		a.vals[spec.params[i]] = v
	}
	for _, kv := range kwargs {
		if !slices.Contains(spec.params, kv.Name) {
			if spec.varkw {
				a.extra = append(a.extra, kv)
				continue
			}
			return nil, serverError("TypeError", fmt.Sprintf("%s() got an unexpected keyword argument %s", qual, pyRepr(kv.Name)))
		}
		if _, dup := a.vals[kv.Name]; dup {
			return nil, serverError("TypeError", fmt.Sprintf("%s() got multiple values for argument %s", qual, pyRepr(kv.Name)))
		}
		a.vals[kv.Name] = kv.Value
	}
	var missing []string
	for _, p := range spec.params {
		if _, ok := a.vals[p]; ok {
			continue
		}
		if d, ok := spec.defaults[p]; ok {
			a.vals[p] = d
			continue
		}
		missing = append(missing, pyRepr(p))
	}
	if len(missing) > 0 {
		noun := "argument"
		if len(missing) > 1 {
			noun = "arguments"
		}
		list := strings.Join(missing, ", ")
		if len(missing) > 1 {
			list = strings.Join(missing[:len(missing)-1], ", ") + " and " + missing[len(missing)-1]
		}
		return nil, serverError("TypeError", fmt.Sprintf("%s() missing %d required positional %s: %s", qual, len(missing), noun, list))
	}
	return a, nil
}

// intArg converts an optional integer argument (None/False = unset → def).
func intArg(v any, def int) (int, bool) {
	switch x := v.(type) {
	case nil:
		return def, true
	case bool:
		if !x {
			return def, true
		}
		return 1, true
	case int:
		return x, true
	case float64:
		return int(x), true
	}
	return 0, false
}

func strArg(v any) string {
	s, _ := v.(string)
	return s
}
