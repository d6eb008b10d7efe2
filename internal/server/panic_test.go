package server

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/odoogql/odoogql/odoo/odootest"
)

// TestPanicRecovered: a panic while resolving becomes an INTERNAL error
// with the request id, and the server keeps serving.
func TestPanicRecovered(t *testing.T) {
	o := odootest.NewServer()
	defer o.Close()
	raw, err := os.ReadFile("../../metadata.json")
	if err != nil {
		t.Fatal(err)
	}
	meta, err := ParseMetadata(raw)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(nil, func(k string) string {
		return map[string]string{"ODOO_URL": o.URL, "ODOO_DB": o.DB(), "ODOO_USERNAME": "admin", "ODOO_PASSWORD": "admin", "ODOOGQL_ALLOW_ANONYMOUS": "true"}[k]
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(cfg, meta, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(g.Handler())
	defer hs.Close()
	post := func() map[string]any {
		resp, err := http.Post(hs.URL+"/graphql", "application/json", bytes.NewReader([]byte(`{"query":"{ resPartners(limit: 2) { nodes { name } } }"}`)))
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
