package engine

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/odoo"
)

// realFaults replays every fault a real Odoo 17, 18 and 19 sent
// (odoo/testdata) through the client and returns the errors it gave.
func realFaults(t *testing.T) map[string]error {
	t.Helper()
	root := filepath.Join("..", "..", "odoo", "testdata")
	out := map[string]error{}
	for _, dir := range []string{"xmlrpc", "v17/xmlrpc", "v19/xmlrpc"} {
		files, _ := filepath.Glob(filepath.Join(root, dir, "*.response.xml"))
		for _, f := range files {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(body), "<fault>") {
				continue
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "text/xml")
				_, _ = w.Write(body)
			}))
			c, _ := odoo.NewClient(odoo.Config{URL: srv.URL, DB: "demo"})
			_, err = c.Session(2, "admin").ExecuteKW(context.Background(), "res.partner", "read", []any{[]int{1}}, nil)
			srv.Close()
			if err == nil {
				t.Fatalf("%s: no error", f)
			}
			out[filepath.Join(dir, filepath.Base(f))] = err
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d fault captures found", len(out))
	}
	return out
}

// TestOnlyUserFacingOdooMessages presents every real Odoo fault as gqlgen
// would: Odoo's user-facing messages (UserError, ValidationError,
// AccessError, MissingError …) reach the client as they are; any other
// (ValueError, KeyError, AttributeError …) becomes a generic message that
// quotes the request id, and Odoo's text goes to the log under that id.
func TestOnlyUserFacingOdooMessages(t *testing.T) {
	const rid = "req-0123456789abcdef"
	var logs strings.Builder
	present := ErrorPresenter(slog.New(slog.NewJSONHandler(&logs, nil)))
	ctx := WithRequestID(context.Background(), rid)
	shown, hidden := 0, 0
	for name, err := range realFaults(t) {
		var f *odoo.Fault
		if !errors.As(err, &f) {
			t.Errorf("%s: not a fault: %v", name, err)
			continue
		}
		if f.Kind == odoo.KindAuthentication {
			continue // "authentication failed", never Odoo's text
		}
		logs.Reset()
		got := present(ctx, err)
		code, _ := got.Extensions["code"].(string)
		if f.UserFacing() {
			shown++
			if got.Message != f.Message {
				t.Errorf("%s: user-facing %q shown as %q", name, f.Message, got.Message)
			}
			continue
		}
		hidden++
		if f.Message != "" && strings.Contains(got.Message, f.Message) {
			t.Errorf("%s: %s message %q reached the client: %q", name, f.Exception, f.Message, got.Message)
		}
		if !strings.Contains(got.Message, "request id "+rid) || got.Extensions["requestId"] != rid {
			t.Errorf("%s: generic message %q (extensions %v) does not quote the request id", name, got.Message, got.Extensions)
		}
		if f.Kind == odoo.KindValidation && code != CodeBadUserInput {
			t.Errorf("%s: %s classified %s, want %s", name, f.Exception, code, CodeBadUserInput)
		}
		var entry struct {
			RequestID string `json:"request_id"`
			Err       string `json:"err"`
		}
		if jerr := json.Unmarshal([]byte(logs.String()), &entry); jerr != nil || entry.RequestID != rid || entry.Err != err.Error() {
			t.Errorf("%s: the log lacks the request id or Odoo's text (%v):\n%s", name, jerr, logs.String())
		}
	}
	if shown < 8 || hidden < 8 {
		t.Errorf("shown %d, hidden %d: too few captures of a kind", shown, hidden)
	}
	t.Logf("%d user-facing messages shown, %d hidden", shown, hidden)
}

// TestHiddenOdooMessageCodes checks the code and message of a withheld
// ValueError, KeyError and server error, with and without a request id.
func TestHiddenOdooMessageCodes(t *testing.T) {
	tb := func(last string) string {
		return "Traceback (most recent call last):\n  File \"/usr/lib/python3/dist-packages/odoo/api.py\", line 533, in call_kw\n    result = f()\n" + last + "\n"
	}
	tests := []struct {
		last, code, lead string
	}{
		{"ValueError: Invalid field 'password' on model 'res.users'", CodeBadUserInput, msgOdooRejected},
		{"KeyError: 'totp_secret'", CodeBadUserInput, msgOdooRejected},
		{"ZeroDivisionError: division by zero", CodeInternal, msgOdooFailed},
	}
	for _, tt := range tests {
		err := fakeFault(t, tb(tt.last))
		code, msg := Classify(err)
		if code != tt.code || msg != tt.lead+" (the details are in the gateway's log)" {
			t.Errorf("%s: Classify = %s %q", tt.last, code, msg)
		}
	}
}

// fakeFault returns the error the client gives for a code-1 fault with the
// traceback tb.
func fakeFault(t *testing.T, tb string) error {
	t.Helper()
	body := `<?xml version="1.0"?><methodResponse><fault><value><struct>` +
		`<member><name>faultCode</name><value><int>1</int></value></member>` +
		`<member><name>faultString</name><value><string>` + xmlEscape(tb) + `</string></value></member>` +
		`</struct></value></fault></methodResponse>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	c, _ := odoo.NewClient(odoo.Config{URL: srv.URL, DB: "demo"})
	_, err := c.Session(2, "admin").ExecuteKW(context.Background(), "res.partner", "read", []any{[]int{1}}, nil)
	if err == nil {
		t.Fatal("no error")
	}
	return err
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(s)
}
