package loaders_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
	"github.com/odoogql/odoogql/odoo/odootest"
)

func session(t testing.TB, srv *odootest.Server) *odoo.Session {
	c, err := odoo.NewClient(odoo.Config{URL: srv.URL, DB: srv.DB()})
	if err != nil {
		t.Fatal(err)
	}
	return c.Session(odootest.AdminUID, "admin")
}

// TestRecordsBatch: many requests of several models, one read per model,
// results in key order, missing ids absent without an error.
func TestRecordsBatch(t *testing.T) {
	srv := odootest.NewServer()
	defer srv.Close()
	l := loaders.New(session(t, srv), loaders.Options{})
	got, err := l.Records(context.Background(), []loaders.ReadRequest{
		{Model: "res.partner", IDs: []int{10, 11, 999999}, Fields: []string{"name"}},
		{Model: "res.partner", IDs: []int{12, 10}, Fields: []string{"email"}},
		{Model: "res.country", IDs: []int{233}, Fields: []string{"code"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Calls("res.partner", "read"); n != 1 {
		t.Errorf("res.partner reads: %d, want 1", n)
	}
	if n := srv.Calls("res.country", "read"); n != 1 {
		t.Errorf("res.country reads: %d, want 1", n)
	}
	if got["res.partner"][10]["name"] != "Deco Addict" || got["res.partner"][12]["email"] == nil || got["res.country"][233]["code"] != "US" {
		t.Errorf("got %v", got)
	}
	if _, ok := got["res.partner"][999999]; ok {
		t.Error("a missing id must be absent")
	}
	// The same keys again come from the request's loader: no call.
	srv.ResetCounters()
	if _, err := l.Records(context.Background(), []loaders.ReadRequest{{Model: "res.partner", IDs: []int{10}, Fields: []string{"name"}}}); err != nil {
		t.Fatal(err)
	}
	if n := srv.TotalCalls(); n != 0 {
		t.Errorf("repeated keys made %d calls", n)
	}
}

// TestWrittenForgetsReads: after a write through the request, the records
// it read before are read again (and show the write); children handed to
// resolvers are forgotten.
func TestWrittenForgetsReads(t *testing.T) {
	srv := odootest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	l := loaders.New(session(t, srv), loaders.Options{})
	read := func() string {
		t.Helper()
		got, err := l.Records(ctx, []loaders.ReadRequest{
			{Model: "res.partner", IDs: []int{10}, Fields: []string{"name"}},
			{Model: "res.country", IDs: []int{233}, Fields: []string{"code"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		name, _ := got["res.partner"][10]["name"].(string)
		return name
	}
	parent := &struct{}{}
	l.SetChildren(parent, "child_ids", []int{19})
	if got := read(); got != "Deco Addict" {
		t.Fatalf("name %q", got)
	}
	if err := l.Odoo(ctx).Write(ctx, "res.partner", []int{10}, map[string]any{"name": "Renamed"}); err != nil {
		t.Fatal(err)
	}
	srv.ResetCounters()
	if got := read(); got != "Deco Addict" {
		t.Fatalf("before Written: name %q, want the memoized Deco Addict", got)
	}
	if n := srv.TotalCalls(); n != 0 {
		t.Fatalf("memoized keys made %d calls", n)
	}
	l.Written()
	if got := read(); got != "Renamed" {
		t.Errorf("after Written: name %q, want Renamed", got)
	}
	// Every model is read again: a write may change computed fields of others.
	if got := srv.CallCounts(); fmt.Sprint(got) != "map[res.country.read:1 res.partner.read:1]" {
		t.Errorf("calls after Written: %v", got)
	}
	if _, ok := l.Children(parent, "child_ids"); ok {
		t.Error("children survived Written")
	}
}

// TestRecordsNoWait: a flushed level never waits for dataloader's timer.
func TestRecordsNoWait(t *testing.T) {
	srv := odootest.NewServer()
	defer srv.Close()
	l := loaders.New(session(t, srv), loaders.Options{Wait: time.Hour})
	done := make(chan error, 1)
	go func() {
		_, err := l.Records(context.Background(), []loaders.ReadRequest{{Model: "res.partner", IDs: []int{10, 11}, Fields: []string{"name"}}})
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Records waited for the batch timer")
	}
}

// TestRecordCacheScope: cached reads are per user.
func TestRecordCacheScope(t *testing.T) {
	srv := odootest.NewServer()
	defer srv.Close()
	c, _ := odoo.NewClient(odoo.Config{URL: srv.URL, DB: srv.DB()})
	rc := loaders.NewRecordCache(loaders.NewCache("records", time.Minute, 1000, 0), nil)
	ctx := loaders.WithCacheTTL(context.Background(), time.Minute)
	admin := loaders.New(c.Session(odootest.AdminUID, "admin"), loaders.Options{Records: rc})
	if _, err := admin.Odoo(ctx).Read(ctx, "res.partner", []int{10}, []string{"credit_limit"}); err != nil {
		t.Fatal(err)
	}
	demo := loaders.New(c.Session(odootest.DemoUID, "demo"), loaders.Options{Records: rc})
	_, err := demo.Odoo(ctx).Read(ctx, "res.partner", []int{10}, []string{"credit_limit"})
	if err == nil {
		t.Fatal("demo read admin's cached credit_limit")
	}
	if s := rc.Cache().Stats(); s.Hits != 0 {
		t.Errorf("cache hits across users: %+v", s)
	}
}

func ExampleLoaders_Records() {
	srv := odootest.NewServer()
	defer srv.Close()
	c, _ := odoo.NewClient(odoo.Config{URL: srv.URL, DB: srv.DB()})
	l := loaders.New(c.Session(odootest.AdminUID, "admin"), loaders.Options{})
	got, _ := l.Records(context.Background(), []loaders.ReadRequest{
		{Model: "res.partner", IDs: []int{10, 11}, Fields: []string{"name"}},
	})
	fmt.Println(got["res.partner"][10]["name"], got["res.partner"][11]["name"], srv.Calls("res.partner", "read"))
	// Output: Deco Addict Gemini Furniture 1
}
