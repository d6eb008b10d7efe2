package engine

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/odoo"
)

// TestClassifyRealFaults replays every fault real Odoo 17, 18 and 19 sent
// (odoo/testdata) through the client and the error classification: each gets
// its code, keeps Odoo's user-facing message, and no Python traceback, file
// path or SQL reaches the message a client sees.
func TestClassifyRealFaults(t *testing.T) {
	root := filepath.Join("..", "..", "odoo", "testdata")
	var files []string
	for _, dir := range []string{"xmlrpc", "v17/xmlrpc", "v19/xmlrpc"} {
		m, _ := filepath.Glob(filepath.Join(root, dir, "*.response.xml"))
		files = append(files, m...)
	}
	faults := 0
	codes := map[string]int{}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(body), "<fault>") {
			continue
		}
		faults++
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			_, _ = w.Write(body)
		}))
		c, _ := odoo.NewClient(odoo.Config{URL: srv.URL, DB: "demo"})
		_, err = c.Session(2, "admin").ExecuteKW(context.Background(), "res.partner", "read", []any{[]int{1}}, nil)
		srv.Close()
		if err == nil {
			t.Errorf("%s: no error", filepath.Base(f))
			continue
		}
		code, msg := Classify(err)
		codes[code]++
		for _, leak := range []string{"Traceback", "/usr/lib/python3", "File \"", "psycopg2", "SELECT "} {
			if strings.Contains(msg, leak) {
				t.Errorf("%s: %q leaks %q", filepath.Base(f), msg, leak)
			}
		}
		if msg == "" {
			t.Errorf("%s: empty message", filepath.Base(f))
		}
		var fault *odoo.Fault
		if errors.As(err, &fault) && fault.Code == 2 && code != CodeBadUserInput {
			t.Errorf("%s: fault 2 (%s) classified %s", filepath.Base(f), fault.Message, code)
		}
		if errors.As(err, &fault) && fault.Code == 4 && code != CodeForbidden {
			t.Errorf("%s: fault 4 classified %s", filepath.Base(f), code)
		}
		if errors.As(err, &fault) && fault.Code == 3 && code != CodeUnauthenticated {
			t.Errorf("%s: fault 3 classified %s", filepath.Base(f), code)
		}
	}
	if faults < 20 {
		t.Fatalf("only %d fault captures found", faults)
	}
	for _, want := range []string{CodeBadUserInput, CodeForbidden, CodeUnauthenticated, CodeInternal} {
		if codes[want] == 0 {
			t.Errorf("no capture classified %s: %v", want, codes)
		}
	}
	b, _ := json.Marshal(codes)
	t.Logf("%d real faults: %s", faults, b)
}
