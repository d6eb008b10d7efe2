package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// TestPanicRecovered: a panic while resolving becomes an INTERNAL error
// with the request id, and the server keeps serving.
func TestPanicRecovered(t *testing.T) {
	g, url, _ := testGateway(t, nil, nil)
	post := func() map[string]any {
		resp, err := http.Post(url, "application/json", bytes.NewReader([]byte(`{"query":"{ resPartners(limit: 2) { nodes { name } } }"}`)))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		out["requestId"] = resp.Header.Get("X-Request-ID")
		return out
	}
	post() // logs the service account in
	saved := g.metrics
	g.metrics = nil // the Odoo call observer now panics inside the resolver
	out := post()
	g.metrics = saved
	errs, _ := out["errors"].([]any)
	if len(errs) == 0 {
		t.Fatalf("want an error, got %v", out)
	}
	e := errs[0].(map[string]any)
	ext := e["extensions"].(map[string]any)
	if ext["code"] != "INTERNAL" || e["message"] != "internal error" || ext["requestId"] != out["requestId"] {
		t.Errorf("error %v (request id %v)", e, out["requestId"])
	}
	out = post()
	if out["errors"] != nil {
		t.Errorf("the server must keep serving: %v", out)
	}
}
