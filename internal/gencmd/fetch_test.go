package gencmd

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/odoogql/odoogql/internal/schemagen"
	"github.com/odoogql/odoogql/odoo"
	"github.com/odoogql/odoogql/odoo/odootest"
)

var update = flag.Bool("update", false, "rewrite ../../metadata.json from the test server")

// TestFetchReproducesSnapshot reads the metadata of generate.yml's models from
// the test server (which serves real Odoo 18 fields_get and ir.model
// captures) with the same code as "odoogql-gen fetch", and checks that the
// committed metadata.json is exactly what it wrote.
func TestFetchReproducesSnapshot(t *testing.T) {
	srv := odootest.NewServer()
	defer srv.Close()
	root := filepath.Join("..", "..")
	raw, err := os.ReadFile(filepath.Join(root, "generate.yml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := schemagen.ParseConfig(raw)
	if err != nil {
		t.Fatal(err)
	}
	meta, err := Fetch(context.Background(), FetchOptions{URL: srv.URL, DB: srv.DB(), User: "admin", Password: "admin", Patterns: cfg.Models})
	if err != nil {
		t.Fatal(err)
	}
	got, err := MarshalMetadata(meta)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, "metadata.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("metadata.json is not what fetch reads from the test server (run go test ./internal/gencmd -update)")
	}
	if len(meta.Models) != len(cfg.Models) {
		t.Errorf("fetched %d models, want %d", len(meta.Models), len(cfg.Models))
	}
	p, ok := meta.Model("res.partner")
	if !ok || p.Name != "Contact" || p.Fields["country_id"].Relation != "res.country" || !p.Fields["country_id"].Searchable {
		t.Errorf("res.partner metadata: %+v", p)
	}
}

func TestFetchDepth(t *testing.T) {
	srv := odootest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	opt := FetchOptions{URL: srv.URL, DB: srv.DB(), User: "admin", Password: "admin", Patterns: []string{"res.partner.category"}}
	meta, err := Fetch(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(meta.Models) != 1 {
		t.Fatalf("depth 0: %d models, want 1", len(meta.Models))
	}
	opt.Depth = 1
	meta, err = Fetch(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	// res.partner.category points at itself (parent_id, child_ids) and at
	// res.partner (partner_ids): depth 1 adds res.partner, and the models
	// the test server knows beyond it are not followed.
	var names []string
	for _, m := range meta.Models {
		names = append(names, m.Model)
	}
	if !strings.Contains(strings.Join(names, ","), "res.partner,res.partner.category") {
		t.Errorf("depth 1: %v", names)
	}
	if _, err := Fetch(ctx, FetchOptions{URL: srv.URL, DB: srv.DB(), User: "admin", Password: "wrong", Patterns: []string{"res.partner"}}); err == nil {
		t.Error("a bad password must fail")
	}
	if _, err := Fetch(ctx, FetchOptions{URL: srv.URL, DB: srv.DB(), User: "admin", Password: "admin", Patterns: []string{"nothing.*"}}); err == nil {
		t.Error("no matching model must fail")
	}
}

// TestFetchWholeOdooInParallel runs "odoogql-gen fetch -models '*'" against
// the test server serving the whole Odoo 18 snapshot, each call answered
// after 20 ms: it writes that snapshot byte for byte (it was read from a
// real Odoo 18 by the sequential fetch), with exactly one fields_get per
// model, at most -concurrency of them at once, and more than one.
func TestFetchWholeOdooInParallel(t *testing.T) {
	path := filepath.Join("..", "..", "testdata", "metadata-full", "odoo18-all-models.json")
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	meta, err := odootest.LoadMetadata(path)
	if err != nil {
		t.Fatal(err)
	}
	srv := odootest.NewServer(odootest.WithMetadata(meta))
	defer srv.Close()
	srv.SetLatency(20 * time.Millisecond)
	out := filepath.Join(t.TempDir(), "all.json")
	var stdout, stderr bytes.Buffer
	code := Main([]string{"fetch", "-url", srv.URL, "-db", srv.DB(), "-user", "admin", "-password", "admin",
		"-models", "*", "-concurrency", "6", "-o", out}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("fetch wrote %d bytes that differ from the %d of %s", len(got), len(want), path)
	}
	if strings.Contains(stderr.String(), "warning:") {
		t.Errorf("warnings: %s", stderr.String())
	}
	fg := 0
	for k, n := range srv.CallCounts() {
		if strings.HasSuffix(k, ".fields_get") {
			fg += n
			if n != 1 {
				t.Errorf("%s: %d calls", k, n)
			}
		}
	}
	if fg != 450 || srv.TotalCalls() != 453 {
		t.Errorf("%d fields_get, %d calls in all; want 450 and 453 (version, authenticate, ir.model)", fg, srv.TotalCalls())
	}
	if p := srv.PeakInFlight(); p < 2 || p > 6 {
		t.Errorf("peak in flight %d, want 2..6", p)
	}
}

// TestFetchOverJSON2: the same snapshot read over JSON-2 (an Odoo 19 and
// an API key) and over XML-RPC is byte for byte the same.
func TestFetchOverJSON2(t *testing.T) {
	srv := odootest.NewServer(odootest.WithVersion("19.0"))
	defer srv.Close()
	const key = "f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed"
	srv.SetAPIKey(odootest.AdminUID, key)
	ctx := context.Background()
	opt := FetchOptions{URL: srv.URL, DB: srv.DB(), User: "admin", Password: "admin", Patterns: []string{"res.partner*", "sale.order*"}, Depth: 1}
	xml, err := Fetch(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Password, opt.Transport = key, odoo.TransportJSON2
	srv.ResetCounters()
	j2, err := Fetch(ctx, opt)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := MarshalMetadata(xml)
	b, _ := MarshalMetadata(j2)
	if !bytes.Equal(a, b) || len(xml.Models) < 4 {
		t.Errorf("JSON-2 snapshot (%d models, %d bytes) differs from XML-RPC's (%d models, %d bytes)", len(j2.Models), len(b), len(xml.Models), len(a))
	}
	if n := srv.CallCounts()["authenticate"]; n != 0 {
		t.Errorf("%d authenticate calls over JSON-2", n)
	}
	opt.Password = "admin" // a password is not an API key
	if _, err := Fetch(ctx, opt); err == nil || !strings.Contains(err.Error(), "authenticat") {
		t.Errorf("a password over JSON-2: %v", err)
	}
}
