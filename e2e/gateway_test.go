package e2e

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"

	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// schemas are the two schema modes the client tests run against: the
// answers must satisfy the clients the same way.
var schemas = []server.SchemaMode{server.SchemaLive, server.SchemaCompiled}

// startGateway starts an odoogql serving schema in front of a fresh demo
// Odoo, both on loopback, and returns the gateway's base URL
// (http://127.0.0.1:port).
func startGateway(t *testing.T, schema server.SchemaMode) string {
	t.Helper()
	return startGatewayWith(t, schema)
}

// startGatewayWith is startGateway with more settings (flags, e.g.
// "-cors-origins", "https://app.example.com").
func startGatewayWith(t *testing.T, schema server.SchemaMode, flags ...string) string {
	t.Helper()
	raw, err := os.ReadFile("../metadata.json")
	if err != nil {
		t.Fatal(err)
	}
	meta, err := server.ParseMetadata(raw)
	if err != nil {
		t.Fatal(err)
	}
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	// The gateway's own defaults (settings table), with the environment
	// ignored; requests without credentials run as the service account, and
	// introspection and GraphiQL are on (as with the embedded demo).
	cfg, err := server.LoadConfig(append([]string{
		"-odoo-url", o.URL, "-odoo-db", o.DB(), "-odoo-username", "admin", "-odoo-password", "admin",
		"-allow-anonymous", "true", "-introspection", "true",
		"-config", "../generate.yml", // the demo's exposure, business actions included: what schema.graphqls is
	}, flags...), func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Schema = schema
	gw, err := server.New(cfg, meta, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(gw.Handler()) // listens on 127.0.0.1
	t.Cleanup(hs.Close)
	return hs.URL
}

// postQuery sends a GraphQL query to the gateway and returns the response's
// data, failing the test on any GraphQL error.
func postQuery(t *testing.T, ctx context.Context, endpoint, query string) json.RawMessage {
	t.Helper()
	return postAs(t, ctx, endpoint, "", query)
}

// inCI reports whether the tests run in CI (CI=true), where every tool the
// tests need is installed by .ci/run and a missing one is a failure.
func inCI() bool { return os.Getenv("CI") == "true" }

// skipOrFail skips the test for a missing tool, or fails it in CI.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if inCI() {
		t.Fatalf("CI=true: "+format, args...)
	}
	t.Skipf(format, args...)
}

// lookTool returns the path of the first of names found on PATH (or given as
// an absolute path that exists), or "".
func lookTool(names ...string) string {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}
