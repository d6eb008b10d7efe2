package odoo

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrAuthentication reports bad credentials: common.authenticate answered
// false, or an object call was refused with fault code 3 ("Access Denied").
// Match it with errors.Is; a *Fault of KindAuthentication matches it too.
var ErrAuthentication = errors.New("odoo: authentication failed")

// authError is returned when common.authenticate answers false.
type authError struct{ login, db string }

func (e *authError) Error() string {
	return fmt.Sprintf("odoo: authenticate %q on database %q: wrong login or password", e.login, e.db)
}

func (e *authError) Unwrap() error { return ErrAuthentication }

// ErrResponseTooLarge is wrapped by the *TransportError returned when a
// response body is larger than Config.MaxResponseBytes.
var ErrResponseTooLarge = errors.New("response body too large")

// ErrMalformedResponse is wrapped by the *TransportError returned when a
// response body is not a decodable XML-RPC methodResponse (or JSON-2 JSON
// value), or does not have the shape the called method returns.
var ErrMalformedResponse = errors.New("malformed XML-RPC response")

// ErrBadStatus is wrapped by the *TransportError returned for a non-200
// HTTP status that is not an Odoo error (XML-RPC faults come with 200 and
// JSON-2's error objects become a *Fault; other statuses come from proxies,
// or from a server that is down or overloaded).
var ErrBadStatus = errors.New("unexpected HTTP status")

// Kind classifies a Fault by what the caller can do about it.
type Kind int

const (
	// KindServer is any other server-side failure (a bug, a database
	// error, an unknown database ...): nothing the caller sent can fix it.
	KindServer Kind = iota
	// KindAuthentication: bad credentials (fault code 3, AccessDenied).
	KindAuthentication
	// KindAccess: the user lacks the rights (fault code 4, AccessError,
	// including calling a private method).
	KindAccess
	// KindMissing: the records do not exist or were deleted (MissingError,
	// "Record does not exist or has been deleted"). Note that read and
	// search_read silently drop missing ids instead.
	KindMissing
	// KindValidation: the request was refused as invalid: fault code 2
	// (UserError, ValidationError, "Object x doesn't exist", a required
	// field not set ...), or a code-1 ValueError/KeyError such as an
	// invalid field name or domain operator, or an unknown method.
	KindValidation
	// KindNoneReturned: the method ran and returned None, which Odoo's
	// XML-RPC marshaller cannot send (fault 1, "cannot marshal None unless
	// allow_none is enabled"). The operation succeeded; see IsNoneReturned.
	KindNoneReturned
)

// String returns the kind's name, e.g. "validation".
func (k Kind) String() string {
	switch k {
	case KindServer:
		return "server"
	case KindAuthentication:
		return "authentication"
	case KindAccess:
		return "access"
	case KindMissing:
		return "missing"
	case KindValidation:
		return "validation"
	case KindNoneReturned:
		return "none_returned"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Fault is an XML-RPC fault returned by Odoo (always with HTTP 200), or a
// JSON-2 error response (an HTTP error status with Odoo's error object),
// given the Code, Kind and Exception the same error has over XML-RPC (see
// json2Fault).
//
// Error() gives "odoo: <op>: <Exception>: <Message>" and never includes
// the Python traceback, which may hold server file paths; the traceback is
// kept in Traceback for logging (the client logs it at Debug level).
type Fault struct {
	// Op names the call: "read res.partner", "authenticate", "version".
	Op string
	// Model and Method of an execute_kw call; Method alone for a common call.
	Model, Method string
	// Code is the integer faultCode of /xmlrpc/2 (1 = server error with a
	// traceback, 2 = UserError/ValidationError, 3 = AccessDenied,
	// 4 = AccessError). It is 0 when the code was a string.
	Code int
	// CodeString is the faultCode when it was a string, as on the legacy
	// /xmlrpc endpoint, where it holds the exception message.
	CodeString string
	// Kind classifies the fault.
	Kind Kind
	// Exception is the Python exception class when known ("ValueError",
	// "psycopg2.OperationalError"), taken from the traceback's last line.
	Exception string
	// Message is the exception's message: for a traceback, the text after
	// the exception class on its last line, e.g. "Invalid field
	// 'no_such_field' on model 'res.partner'"; otherwise the faultString.
	// Only a UserFacing fault's message is meant for users.
	Message string
	// Traceback is the full Python traceback for code-1 faults, empty
	// otherwise. Never shown by Error().
	Traceback string
}

// Error implements error without the traceback.
func (f *Fault) Error() string {
	var b strings.Builder
	b.WriteString("odoo: ")
	if f.Op != "" {
		b.WriteString(f.Op)
		b.WriteString(": ")
	}
	switch {
	case f.Exception != "" && f.Message != "":
		b.WriteString(f.Exception)
		b.WriteString(": ")
		b.WriteString(f.Message)
	case f.Exception != "":
		b.WriteString(f.Exception)
	case f.Message != "":
		b.WriteString(f.Message)
	default:
		fmt.Fprintf(&b, "fault %d without a message", f.Code)
	}
	if f.Kind == KindNoneReturned {
		b.WriteString(" (the method ran, but its result None cannot be sent over XML-RPC)")
	}
	return b.String()
}

// Is makes errors.Is(err, ErrAuthentication) true for authentication faults.
func (f *Fault) Is(target error) bool {
	return target == ErrAuthentication && f.Kind == KindAuthentication
}

// UserFacing reports whether the fault's Message was written by Odoo for
// the user, so an application may show it: Odoo's own user-facing
// exceptions, which /xmlrpc/2 sends with fault code 2 (UserError and its
// subclasses ValidationError, MissingError, RedirectWarning, LockError …),
// 3 (AccessDenied) or 4 (AccessError) and the legacy /xmlrpc endpoint as
// "warning -- <class>" or "AccessDenied". Any other fault (a ValueError,
// KeyError, AttributeError, a database error: code 1 with a traceback) is
// not: its message is a programmer's, and may name fields, models, SQL or
// values the application did not mean to show.
func (f *Fault) UserFacing() bool {
	if f.Kind == KindNoneReturned {
		return false
	}
	if f.Traceback == "" && f.Exception == "" {
		switch f.Code {
		case 2, 3, 4:
			return true
		}
		return false
	}
	return isUserFacingException(f.Exception)
}

// userFacingExceptions are the classes of odoo.exceptions whose message is
// meant for users ("Warning" and "except_orm" are the pre-14 names).
var userFacingExceptions = map[string]bool{
	"UserError": true, "ValidationError": true, "AccessError": true, "MissingError": true,
	"AccessDenied": true, "RedirectWarning": true, "LockError": true,
	"Warning": true, "except_orm": true,
}

// isUserFacingException reports whether exc names one of Odoo's
// user-facing exception classes: bare (the legacy endpoint's
// "warning -- UserError") or in odoo.exceptions (a traceback's last line),
// never a class of the same name from another module.
func isUserFacingException(exc string) bool {
	mod, base := "", exc
	if i := strings.LastIndexByte(exc, '.'); i >= 0 {
		mod, base = exc[:i], exc[i+1:]
	}
	if mod != "" && mod != "odoo.exceptions" && mod != "openerp.exceptions" {
		return false
	}
	return userFacingExceptions[base]
}

// IsNoneReturned reports whether err is the fault Odoo returns when a
// method ran successfully but returned None (check_access in 18.0,
// action_archive ...). Callers of such methods can treat it as success.
func IsNoneReturned(err error) bool {
	var f *Fault
	return errors.As(err, &f) && f.Kind == KindNoneReturned
}

// KindOf returns the Kind of a *Fault in err's chain, KindAuthentication
// for ErrAuthentication, and ok == false for other errors (transport
// errors, cancellations, encoding errors).
func KindOf(err error) (kind Kind, ok bool) {
	var f *Fault
	if errors.As(err, &f) {
		return f.Kind, true
	}
	if errors.Is(err, ErrAuthentication) {
		return KindAuthentication, true
	}
	return KindServer, false
}

// TransportError is a failure to get a decodable XML-RPC response at all:
// connection refused or reset, timeout, cancellation, a non-200 HTTP
// status, a body larger than the configured limit, or an undecodable body.
// It is never a Fault. A cancelled or expired context is kept in the chain,
// so errors.Is(err, context.Canceled) and context.DeadlineExceeded work.
type TransportError struct {
	// Op names the call, as in Fault.Op.
	Op string
	// StatusCode is the HTTP status when a response was received, else 0.
	StatusCode int
	// Err is the underlying error (ErrBadStatus, ErrResponseTooLarge,
	// ErrMalformedResponse, a context error, a network error ...).
	Err error
}

// Error implements error.
func (e *TransportError) Error() string {
	if e.Op == "" {
		return "odoo: " + e.Err.Error()
	}
	return "odoo: " + e.Op + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *TransportError) Unwrap() error { return e.Err }

// Timeout reports whether the error is a timeout (context deadline or
// network timeout).
func (e *TransportError) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.Err, &t) && t.Timeout()
}

// newFault builds a Fault from a decoded faultCode and faultString.
func newFault(op, model, method string, code any, faultString string) *Fault {
	f := &Fault{Op: op, Model: model, Method: method}
	numeric := true // the faultCode is an integer (or a string of digits)
	switch c := code.(type) {
	case int:
		f.Code = c
	case int64:
		f.Code = int(c)
	case string:
		f.CodeString = c
		n, err := strconv.Atoi(strings.TrimSpace(c))
		f.Code, numeric = n, err == nil
	case float64:
		f.Code = int(c)
	}
	msg := strings.TrimSpace(faultString)

	switch {
	case numeric && f.Code == 3:
		f.Kind, f.Message = KindAuthentication, msg
	case numeric && f.Code == 4:
		f.Kind, f.Message = KindAccess, msg
	case numeric && f.Code == 2:
		f.Message = msg
		f.Kind = KindValidation
		if isMissingMessage(msg) {
			f.Kind = KindMissing
		}
	case isTraceback(msg):
		f.Traceback = faultString
		f.Exception, f.Message = lastException(msg)
		f.Kind = classifyException(f.Exception, f.Message)
	case !numeric:
		// Legacy /xmlrpc endpoint without a traceback:
		// "warning -- UserError\n\nmessage" / "AccessDenied".
		f.Exception, f.Message = legacyCode(f.CodeString, msg)
		f.Kind = classifyException(f.Exception, f.Message)
	default:
		f.Message = msg
		f.Kind = KindServer
	}
	f.Message = sanitizeMessage(f.Message)
	return f
}

func isTraceback(s string) bool {
	return strings.HasPrefix(s, "Traceback (most recent call last):") ||
		strings.Contains(s, "\nTraceback (most recent call last):")
}

// lastException extracts the exception class and message of a Python
// traceback: the text after the last stack frame (lines starting with
// `  File "`) and its indented source and caret lines, up to the end. The
// message may span several lines.
func lastException(tb string) (exc, msg string) {
	lines := strings.Split(strings.TrimRight(tb, "\n"), "\n")
	start := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "  File ") {
			start = i + 1
		}
	}
	for start < len(lines) && (strings.HasPrefix(lines[start], " ") || strings.TrimSpace(lines[start]) == "") {
		start++
	}
	if start >= len(lines) {
		// No frame structure: use the last non-empty line.
		for i := len(lines) - 1; i >= 0; i-- {
			if strings.TrimSpace(lines[i]) != "" {
				start = i
				break
			}
		}
	}
	text := strings.TrimSpace(strings.Join(lines[start:], "\n"))
	if i := strings.Index(text, ": "); i > 0 && isPythonName(text[:i]) {
		return text[:i], strings.TrimSpace(text[i+2:])
	}
	if isPythonName(text) {
		return text, ""
	}
	return "", text
}

// isPythonName reports whether s looks like a (dotted) Python class name.
func isPythonName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r == '.' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// legacyCode decodes the string faultCode of the legacy /xmlrpc endpoint.
func legacyCode(code, faultString string) (exc, msg string) {
	if rest, ok := strings.CutPrefix(code, "warning -- "); ok {
		exc, msg, _ = strings.Cut(rest, "\n")
		return strings.TrimSpace(exc), strings.TrimSpace(msg)
	}
	if code == "AccessDenied" {
		if faultString == "" {
			faultString = "Access Denied"
		}
		return "AccessDenied", faultString
	}
	if faultString != "" {
		return "", faultString
	}
	return "", code
}

func isMissingMessage(msg string) bool {
	return strings.HasPrefix(msg, "Record does not exist or has been deleted") ||
		strings.Contains(msg, "you are trying to modify has already been deleted")
}

// classifyException maps a Python exception class (and message) to a Kind.
func classifyException(exc, msg string) Kind {
	base := exc
	if i := strings.LastIndexByte(base, '.'); i >= 0 {
		base = base[i+1:]
	}
	switch base {
	case "TypeError":
		if strings.Contains(msg, "cannot marshal None") {
			return KindNoneReturned
		}
	case "ValueError", "KeyError", "UserError", "ValidationError", "RedirectWarning", "LockError", "Warning", "except_orm":
		return KindValidation
	case "AttributeError":
		// Unknown method: "The method 'res.partner.x' does not exist".
		if strings.Contains(msg, "does not exist") {
			return KindValidation
		}
	case "MissingError":
		return KindMissing
	case "AccessError":
		return KindAccess
	case "AccessDenied":
		return KindAuthentication
	}
	if isMissingMessage(msg) {
		return KindMissing
	}
	return KindServer
}

// sanitizeMessage keeps tracebacks and source paths out of messages.
func sanitizeMessage(msg string) string {
	if strings.Contains(msg, "Traceback (most recent call last)") || strings.Contains(msg, "File \"/") {
		return "server error (details in the server log)"
	}
	return msg
}
