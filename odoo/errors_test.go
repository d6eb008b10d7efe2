package odoo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// decodeFault decodes a captured fault response into a *Fault.
func decodeFault(t *testing.T, body []byte, model, method string) *Fault {
	t.Helper()
	_, raw, err := decodeResponse(body)
	if err != nil || raw == nil {
		t.Fatalf("not a fault: %v", err)
	}
	return newFault(opName(model, method), model, method, raw.code, raw.string)
}

func TestFaultsFromCaptures(t *testing.T) {
	tests := []struct {
		stem          string
		model, method string
		code          int
		codeString    string
		kind          Kind
		exc, msg      string
		errText       string
	}{
		{stem: dir18 + "/010", method: "version", code: 1, kind: KindServer, exc: "xml.parsers.expat.ExpatError",
			msg: "XML or text declaration not at start of entity: line 2, column 0"},
		{stem: dir18 + "/011", method: "no_such_method", code: 1, kind: KindServer, exc: "Exception",
			msg: "Method not found: no_such_method", errText: "odoo: no_such_method: Exception: Method not found: no_such_method"},
		{stem: dir18 + "/102", model: "res.partner", method: "read", codeString: "Invalid field 'no_such_field' on model 'res.partner'",
			kind: KindValidation, exc: "ValueError", msg: "Invalid field 'no_such_field' on model 'res.partner'",
			errText: "odoo: read res.partner: ValueError: Invalid field 'no_such_field' on model 'res.partner'"},
		{stem: dir18 + "/081", model: "res.partner", method: "check_access", code: 1, kind: KindNoneReturned, exc: "TypeError",
			msg:     "cannot marshal None unless allow_none is enabled",
			errText: "odoo: check_access res.partner: TypeError: cannot marshal None unless allow_none is enabled (the method ran, but its result None cannot be sent over XML-RPC)"},
		{stem: dir17 + "/015", model: "res.partner", method: "search_read", code: 1, kind: KindValidation, exc: "ValueError",
			msg: "Invalid field res.partner.no_such_field in leaf ('no_such_field', '=', 1)"},
		{stem: dir17 + "/022", model: "res.partner", method: "check_access", code: 1, kind: KindValidation, exc: "AttributeError",
			msg: "The method 'check_access' does not exist on the model 'res.partner'"},
		{stem: dir17 + "/023", model: "res.users", method: "check_access_rights", code: 4, kind: KindAccess,
			msg: "You are not allowed to modify 'User' (res.users) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Access Rights\n\nContact your administrator to request access if necessary."},
		{stem: dir19 + "/015", model: "res.partner", method: "search_read", code: 1, kind: KindValidation, exc: "ValueError",
			msg: "Invalid field res.partner.no_such_field in condition ('no_such_field', '=', 1)"},
		{stem: dir19 + "/023", model: "res.users", method: "check_access_rights", code: 4, kind: KindAccess},
	}
	for _, tt := range tests {
		t.Run(tt.stem, func(t *testing.T) {
			stem := findFixture(t, filepath.Dir(tt.stem), filepath.Base(tt.stem))
			f := decodeFault(t, fixture(t, stem, "response"), tt.model, tt.method)
			if f.Code != tt.code || f.CodeString != tt.codeString || f.Kind != tt.kind || f.Exception != tt.exc {
				t.Errorf("got code %d %q kind %v exc %q", f.Code, f.CodeString, f.Kind, f.Exception)
			}
			if tt.msg != "" && f.Message != tt.msg {
				t.Errorf("message = %q, want %q", f.Message, tt.msg)
			}
			if tt.errText != "" && f.Error() != tt.errText {
				t.Errorf("Error() = %q, want %q", f.Error(), tt.errText)
			}
			tracebackFree(t, f)
		})
	}
}

func TestFaultClassificationCrafted(t *testing.T) {
	tb := func(last string) string {
		return "Traceback (most recent call last):\n" +
			"  File \"/usr/lib/python3/dist-packages/odoo/service/model.py\", line 156, in retrying\n" +
			"    result = func()\n" +
			"             ^^^^^^\n" + last + "\n"
	}
	tests := []struct {
		name     string
		code     any
		str      string
		kind     Kind
		exc, msg string
	}{
		{"missing error code 2", int64(2), "Record does not exist or has been deleted.\n(Record: res.partner(999,), User: 2)", KindMissing, "",
			"Record does not exist or has been deleted.\n(Record: res.partner(999,), User: 2)"},
		{"access denied code 3", int64(3), "Access Denied", KindAuthentication, "", "Access Denied"},
		{"key error", int64(1), tb("KeyError: 'no_such_field'"), KindValidation, "KeyError", "'no_such_field'"},
		{"server bug", int64(1), tb("ZeroDivisionError: division by zero"), KindServer, "ZeroDivisionError", "division by zero"},
		{"attribute error bug", int64(1), tb("AttributeError: 'NoneType' object has no attribute 'id'"), KindServer, "AttributeError", "'NoneType' object has no attribute 'id'"},
		{"multi-line message", int64(1), tb("odoo.exceptions.ValidationError: first line\nsecond line"), KindValidation, "odoo.exceptions.ValidationError", "first line\nsecond line"},
		{"missing in traceback", int64(1), tb("odoo.exceptions.MissingError: Record does not exist or has been deleted."), KindMissing, "odoo.exceptions.MissingError", "Record does not exist or has been deleted."},
		{"chained", int64(1), tb("KeyError: 'x'") + "\nDuring handling of the above exception, another exception occurred:\n\n" + tb("ValueError: Wrong value for x"), KindValidation, "ValueError", "Wrong value for x"},
		{"bare exception class", int64(1), tb("StopIteration"), KindServer, "StopIteration", ""},
		{"code 1 without traceback", int64(1), "something failed", KindServer, "", "something failed"},
		{"path in message is hidden", int64(1), tb("FileNotFoundError: [Errno 2] No such file: File \"/var/lib/odoo/x\""), KindServer, "FileNotFoundError", "server error (details in the server log)"},
		{"legacy missing", "warning -- MissingError\n\nRecord does not exist or has been deleted.", "", KindMissing, "MissingError", "Record does not exist or has been deleted."},
		{"legacy user error", "warning -- UserError\n\nNope.", "", KindValidation, "UserError", "Nope."},
		{"legacy access error", "warning -- AccessError\n\nNot allowed.", "", KindAccess, "AccessError", "Not allowed."},
		{"legacy access denied", "AccessDenied", "Access Denied", KindAuthentication, "AccessDenied", "Access Denied"},
		{"numeric string code", "4", "Not allowed.", KindAccess, "", "Not allowed."},
		{"unknown code", int64(42), "odd", KindServer, "", "odd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFault("write res.partner", "res.partner", "write", tt.code, tt.str)
			if f.Kind != tt.kind || f.Exception != tt.exc || f.Message != tt.msg {
				t.Errorf("got kind %v exc %q msg %q, want %v %q %q", f.Kind, f.Exception, f.Message, tt.kind, tt.exc, tt.msg)
			}
			tracebackFree(t, f)
			if !strings.HasPrefix(f.Error(), "odoo: write res.partner: ") {
				t.Errorf("Error() = %q", f.Error())
			}
		})
	}
}

func TestErrorMatching(t *testing.T) {
	auth := newFault("search res.partner", "res.partner", "search", int64(3), "Access Denied")
	wrapped := fmt.Errorf("engine: %w", auth)
	if !errors.Is(wrapped, ErrAuthentication) {
		t.Error("fault 3 does not match ErrAuthentication")
	}
	var f *Fault
	if !errors.As(wrapped, &f) || f.Code != 3 {
		t.Error("errors.As *Fault failed")
	}
	access := newFault("read x", "x", "read", int64(4), "no")
	if errors.Is(access, ErrAuthentication) {
		t.Error("fault 4 matches ErrAuthentication")
	}
	none := newFault("action_archive res.partner", "res.partner", "action_archive", int64(1),
		"Traceback (most recent call last):\n  File \"x.py\", line 1, in f\nTypeError: cannot marshal None unless allow_none is enabled\n")
	if !IsNoneReturned(fmt.Errorf("w: %w", none)) || IsNoneReturned(access) || IsNoneReturned(nil) {
		t.Error("IsNoneReturned")
	}
	te := &TransportError{Op: "read res.partner", Err: fmt.Errorf("x: %w", context.DeadlineExceeded)}
	if !errors.Is(te, context.DeadlineExceeded) || !te.Timeout() {
		t.Error("TransportError does not unwrap to DeadlineExceeded")
	}
	if _, ok := KindOf(te); ok {
		t.Error("KindOf(TransportError) ok")
	}
	if te.Error() != "odoo: read res.partner: x: context deadline exceeded" {
		t.Errorf("Error() = %q", te.Error())
	}
	for k := KindServer; k <= KindNoneReturned; k++ {
		if strings.HasPrefix(k.String(), "kind(") {
			t.Errorf("Kind %d has no name", k)
		}
	}
}

func TestTracebackLoggedAtDebugOnly(t *testing.T) {
	rs := newReplayServer(t)
	rs.respond(200, fixture(t, findFixture(t, dir18, "071"), "response"))
	var buf strings.Builder
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := NewClient(Config{URL: rs.URL, DB: "demo", Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	_, err = c.Session(2, "admin").Read(ctxT(t), "res.partner", []int{1}, []string{"no_such_field"})
	if err == nil {
		t.Fatal("no error")
	}
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	if !strings.Contains(out, "level=DEBUG") || !strings.Contains(out, "Traceback (most recent call last)") {
		t.Errorf("traceback not logged at debug:\n%s", out)
	}
	if strings.Contains(out, "level=INFO") || strings.Contains(out, "level=WARN") || strings.Contains(out, "level=ERROR") {
		t.Errorf("logged above debug:\n%s", out)
	}
	if strings.Contains(out, "admin") {
		t.Errorf("password logged:\n%s", out)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestUserFacingRealFaults decodes every fault a real Odoo 17, 18 and 19
// sent (testdata) and checks which messages are Odoo's user-facing ones:
// exactly the faults Odoo sent with code 2, 3 or 4 (UserError and its
// subclasses, AccessDenied, AccessError); never a code-1 traceback
// (ValueError, AttributeError, TypeError …) nor the legacy endpoint's
// string code, which holds a ValueError's message.
func TestUserFacingRealFaults(t *testing.T) {
	var files []string
	for _, dir := range []string{dir18, dir17, dir19} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.response.xml"))
		files = append(files, m...)
	}
	counts := map[bool]int{}
	for _, path := range files {
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(body), "<fault>") {
			continue
		}
		_, raw, err := decodeResponse(body)
		if err != nil || raw == nil {
			t.Fatalf("%s: not a fault: %v", path, err)
		}
		f := newFault("read res.partner", "res.partner", "read", raw.code, raw.string)
		want := false
		switch raw.code {
		case 2, 3, 4, int64(2), int64(3), int64(4):
			want = true
		}
		if got := f.UserFacing(); got != want {
			t.Errorf("%s: code %v %s: UserFacing = %v, want %v (%s)", filepath.Base(path), raw.code, f.Exception, got, want, f.Message)
		}
		counts[f.UserFacing()]++
	}
	if counts[true] < 8 || counts[false] < 8 {
		t.Errorf("too few captures: %v", counts)
	}
	t.Logf("user-facing: %d, not: %d", counts[true], counts[false])
}

func TestUserFacingCrafted(t *testing.T) {
	tb := func(last string) string {
		return "Traceback (most recent call last):\n  File \"/usr/lib/python3/dist-packages/odoo/api.py\", line 533, in call_kw\n    result = f()\n" + last + "\n"
	}
	tests := []struct {
		name string
		code any
		str  string
		want bool
	}{
		{"user error code 2", int64(2), "Contacts require a name", true},
		{"access denied code 3", int64(3), "Access Denied", true},
		{"access error code 4", int64(4), "You are not allowed to modify 'User' (res.users) records.", true},
		{"numeric string code 4", "4", "Not allowed.", true},
		{"legacy user error", "warning -- UserError\n\nNope.", "", true},
		{"legacy missing", "warning -- MissingError\n\nRecord does not exist or has been deleted.", "", true},
		{"legacy access denied", "AccessDenied", "Access Denied", true},
		{"odoo validation error in a traceback", int64(1), tb("odoo.exceptions.ValidationError: Invalid VAT"), true},
		{"value error", int64(1), tb("ValueError: Invalid field 'password' on model 'res.users'"), false},
		{"key error", int64(1), tb("KeyError: 'secret_field'"), false},
		{"unknown method", int64(1), tb("AttributeError: The method 'res.partner.x' does not exist"), false},
		{"database error", int64(1), tb("psycopg2.errors.UndefinedColumn: column \"x\" does not exist"), false},
		{"a ValidationError of another module", int64(1), tb("jsonschema.exceptions.ValidationError: 'x' is not of type 'integer'"), false},
		{"legacy value error", "Invalid field 'x' on model 'res.partner'", tb("ValueError: Invalid field 'x' on model 'res.partner'"), false},
		{"code 1 without traceback", int64(1), "something failed", false},
		{"none returned", int64(1), tb("TypeError: cannot marshal None unless allow_none is enabled"), false},
		{"unknown code", int64(42), "odd", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFault("write res.partner", "res.partner", "write", tt.code, tt.str)
			if got := f.UserFacing(); got != tt.want {
				t.Errorf("UserFacing = %v, want %v (exc %q, msg %q)", got, tt.want, f.Exception, f.Message)
			}
		})
	}
}
