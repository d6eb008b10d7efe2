package odootest

import (
	"fmt"
	"strings"
)

// Fault codes used by Odoo's /xmlrpc/2 endpoints.
const (
	faultServer       = 1 // any other exception: faultString is a traceback
	faultUserError    = 2 // UserError / ValidationError: message only
	faultAccessDenied = 3 // AccessDenied
	faultAccessError  = 4 // AccessError: message only
)

// rpcFault is an error a dispatched call ends with. For code 1, tb holds the
// traceback frames (without the leading "Traceback (most recent call
// last):" line and the final exception line) and exc the exception line,
// e.g. "ValueError: Invalid field 'x' on model 'y'".
type rpcFault struct {
	code int
	msg  string // message for codes 2-4; exception message (after "Type: ") for 1
	// For code 1:
	excType string
	frames  []string // innermost-last frames specific to the failing method
	// full overrides the whole faultString (used for chained tracebacks).
	full string
	// noCallKw: the traceback does not go through call_kw (method lookup
	// failures, marshalling errors).
	noCallKw bool
	// marshal: the error happened while encoding the result.
	marshal bool
	// record: raised by a record method (Odoo 17 shows _call_kw_multi).
	record bool
}

func (f *rpcFault) Error() string { return fmt.Sprintf("fault %d: %s", f.code, f.msg) }

func userError(msg string) *rpcFault   { return &rpcFault{code: faultUserError, msg: msg} }
func accessError(msg string) *rpcFault { return &rpcFault{code: faultAccessError, msg: msg} }

func serverError(excType, msg string, frames ...string) *rpcFault {
	return &rpcFault{code: faultServer, excType: excType, msg: msg, frames: frames}
}

const pyRoot = "/usr/lib/python3/dist-packages/odoo/"

// frame formats one traceback frame the way Python 3.11 does, with the caret
// line under the expression of an assignment or return statement.
func frame(file string, line int, fn, code string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "  File \"%s\", line %d, in %s\n    %s\n", file, line, fn, code)
	start := -1
	if strings.HasPrefix(code, "return ") {
		start = len("return ")
	} else if i := strings.Index(code, " = "); i > 0 && !strings.ContainsAny(code[:i], "(\"'") {
		start = i + 3
	}
	if start > 0 && start < len(code) {
		sb.WriteString("    " + strings.Repeat(" ", start) + strings.Repeat("^", len([]rune(code[start:]))) + "\n")
	}
	return sb.String()
}

// frameX is frame with the carets under sub-expression expr of code.
func frameX(file string, line int, fn, code, expr string) string {
	i := strings.Index(code, expr)
	return fmt.Sprintf("  File \"%s\", line %d, in %s\n    %s\n    %s%s\n", file, line, fn, code,
		strings.Repeat(" ", len([]rune(code[:i]))), strings.Repeat("^", len([]rune(expr))))
}

// versionFrames are the frames of the RPC layer of one Odoo version.
type versionFrames struct {
	rpc2, rpc1 string // controller frames down to dispatch_rpc (/xmlrpc/2, /xmlrpc)
	dispatch   string // service/model.py frames down to the retrying() call
	callKw     string // api.call_kw frames (model method / record method)
	callKwRec  string
	models     string // path of models.py
	expression string // path of the domain module
}

func (s *Server) frames() *versionFrames {
	switch {
	case s.major >= 19:
		return &frames19
	case s.major <= 17:
		return &frames17
	}
	return &frames18
}

var frames18 = versionFrames{
	rpc2: frame(pyRoot+"addons/base/controllers/rpc.py", 165, "xmlrpc_2", "response = self._xmlrpc(service)") +
		frame(pyRoot+"addons/base/controllers/rpc.py", 139, "_xmlrpc", "result = dispatch_rpc(service, method, params)") +
		frame(pyRoot+"http.py", 411, "dispatch_rpc", "return dispatch(method, params)"),
	rpc1: frame(pyRoot+"addons/base/controllers/rpc.py", 151, "xmlrpc_1", "response = self._xmlrpc(service)") +
		frame(pyRoot+"addons/base/controllers/rpc.py", 139, "_xmlrpc", "result = dispatch_rpc(service, method, params)") +
		frame(pyRoot+"http.py", 411, "dispatch_rpc", "return dispatch(method, params)"),
	dispatch: frame(pyRoot+"service/model.py", 58, "dispatch", "res = execute_kw(db, uid, *params[3:])") +
		frame(pyRoot+"service/model.py", 81, "execute_kw", "return execute(db, uid, obj, method, *args, **kw or {})") +
		frame(pyRoot+"service/model.py", 87, "execute", "res = execute_cr(cr, uid, obj, method, *args, **kw)"),
	callKw: frame(pyRoot+"service/model.py", 72, "execute_cr", "result = retrying(partial(odoo.api.call_kw, recs, method, args, kw), env)") +
		frame(pyRoot+"service/model.py", 156, "retrying", "result = func()") +
		frame(pyRoot+"api.py", 533, "call_kw", "result = getattr(recs, name)(*args, **kwargs)"),
	models:     pyRoot + "models.py",
	expression: pyRoot + "osv/expression.py",
}

func init() { frames18.callKwRec = frames18.callKw }

var frames17 = versionFrames{
	rpc2: frame(pyRoot+"addons/base/controllers/rpc.py", 147, "xmlrpc_2", "response = self._xmlrpc(service)") +
		frame(pyRoot+"addons/base/controllers/rpc.py", 127, "_xmlrpc", "result = dispatch_rpc(service, method, params)") +
		frame(pyRoot+"http.py", 391, "dispatch_rpc", "return dispatch(method, params)"),
	rpc1: frame(pyRoot+"addons/base/controllers/rpc.py", 133, "xmlrpc_1", "response = self._xmlrpc(service)") +
		frame(pyRoot+"addons/base/controllers/rpc.py", 127, "_xmlrpc", "result = dispatch_rpc(service, method, params)") +
		frame(pyRoot+"http.py", 391, "dispatch_rpc", "return dispatch(method, params)"),
	dispatch: frame(pyRoot+"service/model.py", 37, "dispatch", "res = execute_kw(db, uid, *params[3:])") +
		frame(pyRoot+"service/model.py", 59, "execute_kw", "return execute(db, uid, obj, method, *args, **kw or {})") +
		frame(pyRoot+"service/model.py", 65, "execute", "res = execute_cr(cr, uid, obj, method, *args, **kw)"),
	callKw: frame(pyRoot+"service/model.py", 50, "execute_cr", "result = retrying(partial(odoo.api.call_kw, recs, method, args, kw), env)") +
		frame(pyRoot+"service/model.py", 133, "retrying", "result = func()") +
		frame(pyRoot+"api.py", 464, "call_kw", "result = _call_kw_model(method, model, args, kwargs)") +
		frame(pyRoot+"api.py", 435, "_call_kw_model", "result = method(recs, *args, **kwargs)"),
	callKwRec: frame(pyRoot+"service/model.py", 50, "execute_cr", "result = retrying(partial(odoo.api.call_kw, recs, method, args, kw), env)") +
		frame(pyRoot+"service/model.py", 133, "retrying", "result = func()") +
		frame(pyRoot+"api.py", 468, "call_kw", "result = _call_kw_multi(method, model, args, kwargs)") +
		frame(pyRoot+"api.py", 453, "_call_kw_multi", "result = method(recs, *args, **kwargs)"),
	models:     pyRoot + "models.py",
	expression: pyRoot + "osv/expression.py",
}

var frames19 = versionFrames{
	rpc2: frame(pyRoot+"addons/rpc/controllers/xmlrpc.py", 162, "xmlrpc_2", "response = self._xmlrpc(service)") +
		frame(pyRoot+"addons/rpc/controllers/xmlrpc.py", 134, "_xmlrpc", "result = dispatch_rpc(service, method, params)") +
		frame(pyRoot+"http.py", 439, "dispatch_rpc", "return dispatch(method, params)"),
	rpc1: frame(pyRoot+"addons/rpc/controllers/xmlrpc.py", 148, "xmlrpc_1", "response = self._xmlrpc(service)") +
		frame(pyRoot+"addons/rpc/controllers/xmlrpc.py", 134, "_xmlrpc", "result = dispatch_rpc(service, method, params)") +
		frame(pyRoot+"http.py", 439, "dispatch_rpc", "return dispatch(method, params)"),
	dispatch: frame(pyRoot+"service/model.py", 129, "dispatch", "res = execute_cr(cr, uid, model, method_, args, kw)"),
	callKw: frame(pyRoot+"service/model.py", 146, "execute_cr", "result = retrying(partial(call_kw, recs, method, args, kw), env)") +
		frame(pyRoot+"service/model.py", 184, "retrying", "result = func()") +
		frame(pyRoot+"service/model.py", 93, "call_kw", "result = method(recs, *args, **kwargs)"),
	models:     pyRoot + "orm/models.py",
	expression: pyRoot + "orm/domains.py",
}

func init() { frames19.callKwRec = frames19.callKw }

// faultString renders a code-1 fault as Odoo does: a full traceback.
func (s *Server) faultString(f *rpcFault, legacy, object bool) string {
	if f.full != "" {
		return f.full
	}
	vf := s.frames()
	var sb strings.Builder
	sb.WriteString("Traceback (most recent call last):\n")
	if legacy {
		sb.WriteString(vf.rpc1)
	} else {
		sb.WriteString(vf.rpc2)
	}
	if f.marshal {
		// The frames after _xmlrpc are the marshaller's (see marshalFault).
		return marshalTraceback(s, legacy, f)
	}
	if object {
		sb.WriteString(vf.dispatch)
		if !f.noCallKw {
			if f.record {
				sb.WriteString(vf.callKwRec)
			} else {
				sb.WriteString(vf.callKw)
			}
		}
	}
	for _, fr := range f.frames {
		sb.WriteString(fr)
	}
	sb.WriteString(f.excType)
	sb.WriteString(": ")
	sb.WriteString(f.msg)
	sb.WriteString("\n")
	return sb.String()
}

// marshalTraceback is the traceback of a result Python's marshaller cannot
// encode (None, or an int beyond 32 bits).
func marshalTraceback(s *Server, legacy bool, f *rpcFault) string {
	var sb strings.Builder
	sb.WriteString("Traceback (most recent call last):\n")
	ctrl := pyRoot + "addons/base/controllers/rpc.py"
	line, fn := 165, "xmlrpc_2"
	if legacy {
		line, fn = 151, "xmlrpc_1"
	}
	if s.major >= 19 {
		ctrl = pyRoot + "addons/rpc/controllers/xmlrpc.py"
		line = 162
		if legacy {
			line = 148
		}
	}
	sb.WriteString(frame(ctrl, line, fn, "response = self._xmlrpc(service)"))
	if s.major <= 17 {
		sb.WriteString(frame(ctrl, 128, "_xmlrpc", "return xmlrpc.client.dumps((result,), methodresponse=1, allow_none=False)"))
		sb.WriteString(frame("/usr/lib/python3.11/xmlrpc/client.py", 1041, "dumps", "data = m.dumps(params)"))
	} else {
		sb.WriteString(frame(ctrl, 140, "_xmlrpc", "return dumps((result,))"))
		sb.WriteString(frame(ctrl, 114, "dumps", "response = OdooMarshaller(allow_none=False).dumps(params)"))
	}
	sb.WriteString("  File \"/usr/lib/python3.11/xmlrpc/client.py\", line 514, in dumps\n    dump(v, write)\n")
	sb.WriteString("  File \"/usr/lib/python3.11/xmlrpc/client.py\", line 536, in __dump\n    f(self, value, write)\n")
	if f.excType == "OverflowError" {
		sb.WriteString("  File \"/usr/lib/python3.11/xmlrpc/client.py\", line 547, in dump_long\n    raise OverflowError(\"int exceeds XML-RPC limits\")\n")
	} else {
		sb.WriteString("  File \"/usr/lib/python3.11/xmlrpc/client.py\", line 540, in dump_nil\n    raise TypeError(\"cannot marshal None unless allow_none is enabled\")\n")
	}
	sb.WriteString(f.excType + ": " + f.msg + "\n")
	return sb.String()
}

func marshalFault(err *marshalError) *rpcFault {
	if err.kind == "None" {
		return &rpcFault{code: faultServer, excType: "TypeError", msg: err.Error(), marshal: true}
	}
	return &rpcFault{code: faultServer, excType: "OverflowError", msg: err.Error(), marshal: true}
}

// Frequently used faults.

func (s *Server) invalidFieldFault(model, fieldName string) *rpcFault {
	vf := s.frames()
	if s.major >= 19 {
		full := "Traceback (most recent call last):\n" +
			"  File \"" + vf.models + "\", line 3851, in _determine_fields_to_fetch\n    field = self._fields[field_name]\n            ~~~~~~~~~~~~^^^^^^^^^^^^\n" +
			fmt.Sprintf("KeyError: %s\n\nThe above exception was the direct cause of the following exception:\n\n", pyRepr(fieldName)) +
			"Traceback (most recent call last):\n" + vf.rpc2 + vf.dispatch + vf.callKw +
			"  File \"" + vf.models + "\", line 3489, in read\n    self._origin.fetch(fields)\n" +
			frame(vf.models, 3792, "fetch", "fields_to_fetch = self._determine_fields_to_fetch(field_names, ignore_when_in_cache=True)") +
			"  File \"" + vf.models + "\", line 3853, in _determine_fields_to_fetch\n    raise ValueError(f\"Invalid field {field_name!r} on {self._name!r}\") from e\n" +
			fmt.Sprintf("ValueError: Invalid field %s on %s\n", pyRepr(fieldName), pyRepr(model))
		return &rpcFault{code: faultServer, excType: "ValueError", msg: fmt.Sprintf("Invalid field %s on %s", pyRepr(fieldName), pyRepr(model)), full: full}
	}
	f := serverError("ValueError", fmt.Sprintf("Invalid field %s on model %s", pyRepr(fieldName), pyRepr(model)),
		"  File \""+vf.models+"\", line 3842, in read\n    self._origin.fetch(fields)\n",
		frame(vf.models, 4117, "fetch", "fields_to_fetch = self._determine_fields_to_fetch(field_names, ignore_when_in_cache=True)"),
		"  File \""+vf.models+"\", line 4171, in _determine_fields_to_fetch\n    raise ValueError(f\"Invalid field {field_name!r} on model {self._name!r}\")\n",
	)
	return f
}

// invalidWriteFieldFault is raised by create/write with an unknown field.
func (s *Server) invalidWriteFieldFault(method, model, fieldName string) *rpcFault {
	vf := s.frames()
	msg := fmt.Sprintf("Invalid field %s on model %s", pyRepr(fieldName), pyRepr(model))
	if s.major >= 19 {
		msg = fmt.Sprintf("Invalid field %s on %s", pyRepr(fieldName), pyRepr(model))
	}
	if method == "create" {
		return serverError("ValueError", msg,
			"  File \"/usr/lib/python3/dist-packages/decorator.py\", line 232, in fun\n    return caller(func, *(extras + args), **kw)\n           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
			frame(pyRoot+"api.py", 498, "_model_create_multi", "return create(self, arg)"),
			frame(vf.models, 4898, "create", "data_list = self._prepare_create_values(vals_list)"),
			"  File \""+vf.models+"\", line 5171, in _prepare_create_values\n    raise ValueError(f\"Invalid field {field_name!r} on model {self._name!r}\")\n")
	}
	return serverError("ValueError", msg,
		"  File \""+vf.models+"\", line 4659, in write\n    raise ValueError(\"Invalid field %r on model %r\" % (fname, self._name))\n")
}

func (s *Server) domainFrames(method string) []string {
	vf := s.frames()
	var out []string
	switch method {
	case "search_read":
		out = append(out,
			frame(vf.models, 6121, "search_read", "records = self.search_fetch(domain or [], fields, offset=offset, limit=limit, order=order)"),
			frame(vf.models, 1773, "search_fetch", "query = self._search(domain, offset=offset, limit=limit, order=order or self._order)"))
	case "search":
		out = append(out,
			frame(vf.models, 1715, "search", "return self.search_fetch(domain, [], offset=offset, limit=limit, order=order)"),
			frame(vf.models, 1773, "search_fetch", "query = self._search(domain, offset=offset, limit=limit, order=order or self._order)"))
	case "search_count":
		out = append(out,
			frame(vf.models, 1674, "search_count", "query = self._search(domain, limit=limit)"))
	case "web_search_read":
		out = append(out,
			frame(pyRoot+"addons/web/models/models.py", 87, "web_search_read", "records = self.search_fetch(domain, specification.keys(), offset=offset, limit=limit, order=order)"),
			frame(vf.models, 1773, "search_fetch", "query = self._search(domain, offset=offset, limit=limit, order=order or self._order)"))
	case "name_search":
		out = append(out,
			frame(vf.models, 1890, "name_search", "ids = self._name_search(name, domain, operator, limit=limit, order=self._order)"),
			frame(vf.models, 1946, "_name_search", "return self._search(domain, limit=limit, order=order)"))
	default:
		out = append(out,
			frame(vf.models, 1773, "search_fetch", "query = self._search(domain, offset=offset, limit=limit, order=order or self._order)"))
	}
	return out
}

// invalidDomainFieldFault: a leaf names a field the model does not have.
func (s *Server) invalidDomainFieldFault(method, model, fieldName, leaf string) *rpcFault {
	vf := s.frames()
	if s.major >= 19 {
		f := serverError("ValueError", fmt.Sprintf("Invalid field %s.%s in condition %s", model, fieldName, leaf), s.domainFrames(method)...)
		f.frames = append(f.frames,
			frame(vf.models, 5364, "_search", "domain = domain.optimize_full(self)"),
			"  File \""+vf.expression+"\", line 916, in __get_field\n    self._raise(\"Invalid field %s.%s\", model._name, field_name)\n",
			"  File \""+vf.expression+"\", line 901, in _raise\n    raise error(message % (*args, self.field_expr, self.operator, self.value))\n")
		return f
	}
	f := serverError("ValueError", fmt.Sprintf("Invalid field %s.%s in leaf %s", model, fieldName, leaf), s.domainFrames(method)...)
	f.frames = append(f.frames,
		frame(vf.models, 5796, "_search", "query = self._where_calc(domain)"),
		frameX(vf.models, 5547, "_where_calc", "return expression.expression(domain, self).query", "expression.expression(domain, self)"),
		"  File \""+vf.expression+"\", line 781, in __init__\n    self.expression = domain_combine_anies(domain, model)\n                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
		frame(vf.expression, 599, "domain_combine_anies", "domain_any = _anyfy_leaves(domain, model)"),
		"  File \""+vf.expression+"\", line 374, in _anyfy_leaves\n    raise ValueError(f\"Invalid field {model._name}.{path[0]} in leaf {item}\")\n")
	return f
}

// invalidLeafFault: a leaf with an unknown operator, or a malformed term.
func (s *Server) invalidLeafFault(method, leaf string) *rpcFault {
	vf := s.frames()
	if s.major >= 19 {
		f := serverError("ValueError", "Invalid operator in condition "+leaf, s.domainFrames(method)...)
		f.frames = append(f.frames,
			frame(vf.models, 5353, "_search", "domain = Domain(domain)"),
			"  File \""+vf.expression+"\", line 822, in checked\n    self._raise(\"Invalid operator\")\n",
			"  File \""+vf.expression+"\", line 901, in _raise\n    raise error(message % (*args, self.field_expr, self.operator, self.value))\n")
		return f
	}
	f := serverError("ValueError", "Invalid leaf "+leaf, s.domainFrames(method)...)
	f.frames = append(f.frames,
		frame(vf.models, 5796, "_search", "query = self._where_calc(domain)"),
		frameX(vf.models, 5547, "_where_calc", "return expression.expression(domain, self).query", "expression.expression(domain, self)"),
		"  File \""+vf.expression+"\", line 787, in __init__\n    self.parse()\n",
		"  File \""+vf.expression+"\", line 952, in parse\n    push(leaf, self.root_model, self.root_alias)\n",
		"  File \""+vf.expression+"\", line 939, in push\n    check_leaf(leaf)\n",
		"  File \""+vf.expression+"\", line 739, in check_leaf\n    raise ValueError(\"Invalid leaf %s\" % str(element))\n")
	return f
}

// badDomainFault: a domain that is not a list of terms.
func (s *Server) badDomainFault(method, msg string) *rpcFault {
	vf := s.frames()
	f := serverError("ValueError", msg, s.domainFrames(method)...)
	f.frames = append(f.frames,
		frame(vf.models, 5796, "_search", "query = self._where_calc(domain)"),
		frameX(vf.models, 5547, "_where_calc", "return expression.expression(domain, self).query", "expression.expression(domain, self)"),
		"  File \""+vf.expression+"\", line 781, in __init__\n    self.expression = domain_combine_anies(domain, model)\n                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
		frame(vf.expression, 597, "domain_combine_anies", "domain = normalize_domain(domain)"),
		"  File \""+vf.expression+"\", line 211, in normalize_domain\n    raise ValueError(\"Domain %r is syntactically not correct.\" % domain)\n")
	return f
}

func (s *Server) invalidOrderFault(method, msg string) *rpcFault {
	vf := s.frames()
	f := serverError("ValueError", msg, s.domainFrames(method)...)
	f.frames = append(f.frames,
		frame(vf.models, 5808, "_search", "query.order = self._order_to_sql(order, query)"),
		"  File \""+vf.models+"\", line 5392, in _order_to_sql\n    raise ValueError(f\"Invalid field {field_name!r} on model {self._name!r}\")\n")
	return f
}

// unknownMethodFault: the model has no such public method.
func (s *Server) unknownMethodFault(model, method string) *rpcFault {
	switch {
	case s.major <= 16:
		f := serverError("AttributeError", fmt.Sprintf("type object %s has no attribute %s", pyRepr(model), pyRepr(method)),
			frame(pyRoot+"api.py", 461, "call_kw", "method = getattr(type(model), name)"))
		return f
	case s.major == 17:
		f := serverError("AttributeError", fmt.Sprintf("The method '%s' does not exist on the model '%s'", method, model),
			"  File \""+pyRoot+"api.py\", line 461, in call_kw\n    raise AttributeError(f\"The method '{name}' does not exist on the model '{model._name}'\")\n")
		f.noCallKw = true
		f.frames = append([]string{
			frame(pyRoot+"service/model.py", 50, "execute_cr", "result = retrying(partial(odoo.api.call_kw, recs, method, args, kw), env)"),
			frame(pyRoot+"service/model.py", 133, "retrying", "result = func()"),
		}, f.frames...)
		return f
	}
	execCr, getPub := 71, 38
	if s.major >= 19 {
		execCr, getPub = 145, 58
	}
	f := serverError("AttributeError", fmt.Sprintf("The method '%s.%s' does not exist", model, method),
		"  File \""+pyRoot+fmt.Sprintf("service/model.py\", line %d, in execute_cr\n", execCr)+
			"    get_public_method(recs, method)  # Don't use the result, call_kw will redo the getattr\n"+
			"    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
		"  File \""+pyRoot+fmt.Sprintf("service/model.py\", line %d, in get_public_method\n", getPub)+
			"    raise AttributeError(f\"The method '{model._name}.{name}' does not exist\")  # noqa: TRY004\n"+
			"    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n")
	f.noCallKw = true
	return f
}

func (s *Server) typeErrorFault(msg string) *rpcFault {
	return serverError("TypeError", msg)
}

func privateMethodFault(model, method string) *rpcFault {
	return accessError(fmt.Sprintf("Private methods (such as '%s.%s') cannot be called remotely.", model, method))
}

func unknownModelFault(model string) *rpcFault {
	return userError(fmt.Sprintf("Object %s doesn't exist", model))
}

// unknownDBFault is what authenticate (and any call) on a missing database
// gives: psycopg2 refusing the connection (capture 005).
func (s *Server) unknownDBFault(db string, object bool) string {
	vf := s.frames()
	reg := pyRoot + "modules/registry.py"
	dec := "  File \"/usr/lib/python3/dist-packages/decorator.py\", line 232, in fun\n    return caller(func, *(extras + args), **kw)\n           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
	locked := frame(pyRoot+"tools/func.py", 97, "locked", "return func(inst, *args, **kwargs)")
	var sb strings.Builder
	sb.WriteString("Traceback (most recent call last):\n")
	sb.WriteString("  File \"" + reg + "\", line 104, in __new__\n    return cls.registries[db_name]\n           ~~~~~~~~~~~~~~^^^^^^^^^\n")
	sb.WriteString(dec + locked)
	sb.WriteString("  File \"" + pyRoot + "tools/lru.py\", line 33, in __getitem__\n    a = self.d[obj]\n        ~~~~~~^^^^^\n")
	sb.WriteString("KeyError: " + pyRepr(db) + "\n\nDuring handling of the above exception, another exception occurred:\n\n")
	sb.WriteString("Traceback (most recent call last):\n")
	sb.WriteString(vf.rpc2)
	if object {
		sb.WriteString(vf.dispatch)
		sb.WriteString(frame(pyRoot+"service/model.py", 85, "execute", "with Registry(db).cursor() as cr:"))
	} else {
		sb.WriteString(frame(pyRoot+"service/common.py", 58, "dispatch", "return g[exp_method_name](*params)"))
		sb.WriteString(frameX(pyRoot+"service/common.py", 26, "exp_authenticate", "res_users = Registry(db)['res.users']", "Registry(db)"))
	}
	sb.WriteString(frame(reg, 106, "__new__", "return cls.new(db_name)"))
	sb.WriteString(dec + locked)
	sb.WriteString("  File \"" + reg + "\", line 114, in new\n    registry.init(db_name)\n")
	sb.WriteString("  File \"" + reg + "\", line 206, in init\n    with closing(self.cursor()) as cr:\n                 ^^^^^^^^^^^^^\n")
	sb.WriteString(frame(reg, 1005, "cursor", "return self._db.cursor()"))
	sb.WriteString(frame(pyRoot+"sql_db.py", 796, "cursor", "return Cursor(self.__pool, self.__dbname, self.__dsn)"))
	sb.WriteString(frame(pyRoot+"sql_db.py", 288, "__init__", "self._cnx = pool.borrow(dsn)"))
	sb.WriteString(dec + locked)
	sb.WriteString("  File \"" + pyRoot + "sql_db.py\", line 723, in borrow\n    result = psycopg2.connect(\n             ^^^^^^^^^^^^^^^^^\n")
	sb.WriteString(frame("/usr/lib/python3/dist-packages/psycopg2/__init__.py", 122, "connect", "conn = _connect(dsn, connection_factory=connection_factory, **kwasync)"))
	sb.WriteString(fmt.Sprintf("psycopg2.OperationalError: connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database %q does not exist\n\n", db))
	return sb.String()
}

// commonMethodFault: an unknown method of the common service (capture 011).
func (s *Server) commonUnknownFault(method string) string {
	vf := s.frames()
	return "Traceback (most recent call last):\n" + vf.rpc2 +
		"  File \"" + pyRoot + "service/common.py\", line 60, in dispatch\n    raise Exception(\"Method not found: %s\" % method)\n" +
		"Exception: Method not found: " + method + "\n"
}

// malformedFault: the request body is not XML-RPC (capture 010).
func (s *Server) malformedFault(legacy bool, msg string) string {
	ctrl := pyRoot + "addons/base/controllers/rpc.py"
	line, fn := 165, "xmlrpc_2"
	if legacy {
		line, fn = 151, "xmlrpc_1"
	}
	return "Traceback (most recent call last):\n" +
		frame(ctrl, line, fn, "response = self._xmlrpc(service)") +
		frame(ctrl, 138, "_xmlrpc", "params, method = xmlrpc.client.loads(data, use_datetime=True)") +
		"  File \"/usr/lib/python3.11/xmlrpc/client.py\", line 1029, in loads\n    p.feed(data)\n" +
		"  File \"/usr/lib/python3.11/xmlrpc/client.py\", line 451, in feed\n    self._parser.Parse(data, False)\n" +
		"xml.parsers.expat.ExpatError: " + msg + "\n"
}
