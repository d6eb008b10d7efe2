package engine

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/odoo"
)

// TestClassifyRealFaults replays every fault real Odoo 17, 18 and 19 sent
// (odoo/testdata) through the client and the error classification: each gets
// its code, keeps Odoo's user-facing message, and no Python traceback, file
// path or SQL reaches the message a client sees.
func TestClassifyRealFaults(t *testing.T) {
	faults := realFaults(t) // at least 20, or the test fails there
	codes := map[string]int{}
	for name, err := range faults {
		code, msg := Classify(err)
		codes[code]++
		for _, leak := range []string{"Traceback", "/usr/lib/python3", "File \"", "psycopg2", "SELECT "} {
			if strings.Contains(msg, leak) {
				t.Errorf("%s: %q leaks %q", name, msg, leak)
			}
		}
		if msg == "" {
			t.Errorf("%s: empty message", name)
		}
		var fault *odoo.Fault
		if errors.As(err, &fault) && fault.Code == 2 && code != CodeBadUserInput {
			t.Errorf("%s: fault 2 (%s) classified %s", name, fault.Message, code)
		}
		if errors.As(err, &fault) && fault.Code == 4 && code != CodeForbidden {
			t.Errorf("%s: fault 4 classified %s", name, code)
		}
		if errors.As(err, &fault) && fault.Code == 3 && code != CodeUnauthenticated {
			t.Errorf("%s: fault 3 classified %s", name, code)
		}
	}
	for _, want := range []string{CodeBadUserInput, CodeForbidden, CodeUnauthenticated, CodeInternal} {
		if codes[want] == 0 {
			t.Errorf("no capture classified %s: %v", want, codes)
		}
	}
	b, _ := json.Marshal(codes)
	t.Logf("%d real faults: %s", len(faults), b)
}
