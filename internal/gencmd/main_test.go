package gencmd

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/odoo/odootest"
)

// TestMainRefusesUnknownCommandsAndFlags runs Main in an empty directory: a
// misspelt sub-command or an unknown flag must exit 2 with the usage of every
// sub-command and write nothing (it used to run generate).
func TestMainRefusesUnknownCommandsAndFlags(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, args := range [][]string{
		{"fecth"},
		{"generat", "-schema-only"},
		{"-bogus"},
		{"generate", "-bogus"},
		{"fetch", "-nope"},
		{"scale", "-copies", "x"},
		{"generate", "extra"},
	} {
		var stdout, stderr bytes.Buffer
		if code := Main(args, &stdout, &stderr); code != 2 {
			t.Errorf("%q: exit %d, want 2 (stderr %q)", args, code, stderr.String())
		}
		for _, cmd := range []string{"generate", "fetch", "scale", "help"} {
			if !strings.Contains(stderr.String(), "\n  "+cmd+" ") {
				t.Errorf("%q: the usage on stderr does not describe %s:\n%s", args, cmd, stderr.String())
			}
		}
		if stdout.Len() != 0 {
			t.Errorf("%q: wrote to stdout: %q", args, stdout.String())
		}
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}

func TestMainHelp(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"fetch", "-h"}, {"generate", "-help"}} {
		var stdout, stderr bytes.Buffer
		if code := Main(args, &stdout, &stderr); code != 0 {
			t.Errorf("%q: exit %d, want 0 (stderr %q)", args, code, stderr.String())
		}
		if !strings.Contains(stdout.String(), "usage: odoogql-gen <command>") || !strings.Contains(stdout.String(), "\n  fetch ") {
			t.Errorf("%q: stdout %q, want the usage", args, stdout.String())
		}
	}
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}

// TestFetchSkipsRefusedModels fetches sale.*: the test server's ir.model
// (captured from a real Odoo 18) lists wizards and reports such as
// sale.advance.payment.inv that the server does not load, so fields_get
// answers "Object … doesn't exist" for them. fetch skips each one with one
// warning and keeps the others (it used to stop at the first).
func TestFetchSkipsRefusedModels(t *testing.T) {
	srv := odootest.NewServer()
	defer srv.Close()
	var warnings []string
	meta, err := Fetch(context.Background(), FetchOptions{URL: srv.URL, DB: srv.DB(), User: "admin", Password: "admin",
		Patterns: []string{"sale.*"}, Warn: func(msg string) { warnings = append(warnings, msg) }})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, m := range meta.Models {
		got[m.Model] = true
	}
	if !got["sale.order"] || !got["sale.order.line"] {
		t.Errorf("fetched %v, want sale.order and sale.order.line", got)
	}
	const listed = 15 // sale.* models in the captured ir.model
	if len(meta.Models)+len(warnings) != listed {
		t.Errorf("%d models + %d warnings, want %d: %q", len(meta.Models), len(warnings), listed, warnings)
	}
	var skippedWizard bool
	for _, w := range warnings {
		if strings.Count(w, "\n") != 0 || !strings.HasPrefix(w, "skipping ") {
			t.Errorf("warning %q: want one line \"skipping <model>: …\"", w)
		}
		if strings.HasPrefix(w, "skipping sale.advance.payment.inv: ") && strings.Contains(w, "doesn't exist") {
			skippedWizard = true
		}
	}
	if !skippedWizard {
		t.Errorf("no warning for sale.advance.payment.inv: %q", warnings)
	}

	// Through the command: exit 0, one "warning:" line per skipped model.
	t.Chdir(t.TempDir())
	var stdout, stderr bytes.Buffer
	code := Main([]string{"fetch", "-url", srv.URL, "-db", srv.DB(), "-user", "admin", "-password", "admin", "-models", "sale.*", "-o", "-"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("fetch exit %d: %s", code, stderr.String())
	}
	if n := strings.Count(stderr.String(), "warning: skipping "); n != len(warnings) {
		t.Errorf("%d warning lines, want %d:\n%s", n, len(warnings), stderr.String())
	}
}
