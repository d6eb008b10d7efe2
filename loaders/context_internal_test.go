package loaders

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/odoogql/odoogql/odoo/odootest"
)

// TestLanguagesAndCompanies: the installed languages are read once per
// database, the companies of a user once per user (and never with the
// request's allowed_company_ids, which could fail the read); what a user may
// do does not depend on the Odoo context, so a French request costs no new
// rights lookup.
func TestLanguagesAndCompanies(t *testing.T) {
	srv, c := testOdoo(t)
	ctx := context.Background()
	m := NewMeta(c, NewCache("metadata", 0, 100, 0), time.Hour, nil)
	demo := c.Session(odootest.DemoUID, "demo")
	for range 2 {
		langs, err := m.Languages(ctx, demo)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(langs); got != "[{de_DE de de} {en_US en en} {fr_FR fr fr}]" {
			t.Errorf("languages: %s", got)
		}
	}
	if n := srv.Calls("res.lang", "search_read"); n != 1 {
		t.Errorf("%d res.lang reads, want 1", n)
	}

	logins := NewLogins(c, NewCache("logins", time.Minute, 100, 0), time.Minute)
	elsewhere := demo.WithContext(map[string]any{"allowed_company_ids": []int{3}, "lang": "fr_FR"})
	for range 2 {
		ids, err := logins.Companies(ctx, elsewhere)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(ids) != "[1 2]" {
			t.Errorf("demo's companies: %v", ids)
		}
	}
	if n := srv.Calls("res.users", "read"); n != 1 {
		t.Errorf("%d res.users reads, want 1", n)
	}

	srv.ResetCounters()
	if _, err := m.Rights(ctx, demo, []string{"res.partner"}); err != nil {
		t.Fatal(err)
	}
	before := srv.TotalCalls()
	if _, err := m.Rights(ctx, elsewhere, []string{"res.partner"}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Readable(ctx, demo, "res.partner"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Readable(ctx, elsewhere, "res.partner"); err != nil {
		t.Fatal(err)
	}
	if n := srv.TotalCalls() - before; n != 1 {
		t.Errorf("rights and readable fields in two contexts: %d calls %v, want 1 (the fields_get)", n, srv.CallCounts())
	}
}

// TestSetContextScopesTheCache: SetContext changes the Odoo context of every
// later call of the request, and the record cache keys what they read by
// it: the same read in another language is another entry.
func TestSetContextScopesTheCache(t *testing.T) {
	srv, c := testOdoo(t)
	rc := NewRecordCache(NewCache("records", time.Minute, 1000, 0), nil)
	ctx := WithCacheTTL(context.Background(), time.Minute)
	read := func(kv map[string]any) string {
		l := New(c.Session(odootest.AdminUID, "admin"), Options{Records: rc})
		l.SetContext(kv)
		recs, err := l.Odoo(ctx).Read(ctx, "res.country", []int{20}, []string{"name"})
		if err != nil || len(recs) != 1 {
			t.Fatalf("read: %v %v", recs, err)
		}
		s, _ := recs[0]["name"].(string)
		return s
	}
	for round := range 2 {
		srv.ResetCounters()
		en, fr, de := read(nil), read(map[string]any{"lang": "fr_FR"}), read(map[string]any{"lang": "de_DE"})
		if en != "Belgium" || fr != "Belgique" || de != "Belgien" {
			t.Errorf("round %d: %q, %q, %q", round, en, fr, de)
		}
		if want := []int{3, 0}[round]; srv.TotalCalls() != want {
			t.Errorf("round %d: %d calls, want %d", round, srv.TotalCalls(), want)
		}
	}
}
