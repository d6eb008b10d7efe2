//go:build unix

package main

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/odoo"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// TestLiveSIGHUP runs the gateway as main does (Run, in front of a real
// Odoo: it reads the catalogue), adds an x_ field in Odoo, delivers SIGHUP
// to the process, and queries the field: no restart.
func TestLiveSIGHUP(t *testing.T) {
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	meta, err := server.ParseMetadata(metadataJSON)
	if err != nil {
		t.Fatal(err)
	}
	cfg := liveConfig(o.URL, demoRules(t))
	cfg.Listen = "127.0.0.1:0"
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	go func() { errc <- server.Run(ctx, cfg, meta, slog.New(slog.NewJSONHandler(&logs, nil)), ready) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-errc:
		case <-time.After(30 * time.Second):
			t.Error("Run did not stop")
		}
	})
	var addr string
	select {
	case addr = <-ready:
	case err := <-errc:
		t.Fatal(err)
	case <-time.After(30 * time.Second): // hang guard
		t.Fatal("Run never listened")
	}
	g := &gateway{t: t, odoo: o, url: "http://" + addr, logs: &logs, last: &atomic.Pointer[http.Header]{}}
	waitFor(t, "ready", func() bool {
		resp, err := http.Get(g.url + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	q := `{ resPartners(limit: 1) { nodes { x_sighup } } }`
	if errs := g.do(q, nil, nil); len(errs) == 0 || errs[0].code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Fatalf("before the field exists: %+v", errs)
	}
	if err := o.AddField("res.partner", odoo.Field{Name: "x_sighup", Type: "char"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "x_sighup in the schema", func() bool { return len(g.do(q, nil, nil)) == 0 })
	if !strings.Contains(logs.String(), `"reason":"SIGHUP"`) || !strings.Contains(logs.String(), `"fields_added":"res.partner.x_sighup"`) {
		t.Errorf("no SIGHUP reload line:\n%s", logs.String())
	}
}
