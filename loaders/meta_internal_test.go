package loaders

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/odoogql/odoogql/odoo"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// testOdoo starts a demo test server, closed when t ends, and a client of it.
func testOdoo(t *testing.T) (*odootest.Server, *odoo.Client) {
	t.Helper()
	srv := odootest.NewServer()
	t.Cleanup(srv.Close)
	c, err := odoo.NewClient(odoo.Config{URL: srv.URL, DB: srv.DB()})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// TestMetaCancelledFirstCallerDoesNotFailOthers: the first caller starts the
// shared fetch and goes away (its client disconnected); a second caller
// waiting for the same key must get the value, and the value is cached. The
// fetch used to run with the first caller's context and fail for everybody.
func TestMetaCancelledFirstCallerDoesNotFailOthers(t *testing.T) {
	m := NewMeta(nil, NewCache("metadata", 0, 100, 0), time.Hour, nil)
	joined := make(chan string, 2)
	m.joined = func(key string) { joined <- key }
	started, release := make(chan struct{}), make(chan struct{})
	var fetches int
	var once sync.Once
	fetch := func(ctx context.Context) (any, error) {
		fetches++ // one fetch at a time: the others wait for it
		once.Do(func() { close(started) })
		<-release
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return "value", nil
	}
	first, cancel := context.WithCancel(context.Background())
	firstErr := make(chan error, 1)
	go func() {
		_, err := m.get(first, "k", fetch)
		firstErr <- err
	}()
	<-started
	<-joined
	type result struct {
		v   any
		err error
	}
	second := make(chan result, 1)
	go func() {
		v, err := m.get(context.Background(), "k", fetch)
		second <- result{v, err}
	}()
	<-joined // the second caller waits for the same fetch
	cancel()
	select {
	case err := <-firstErr:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("first caller: %v, want context.Canceled (it leaves on its own context)", err)
		}
		close(release)
	case <-time.After(10 * time.Second): // hang guard, not a measurement
		t.Error("the cancelled first caller is still waiting for the shared fetch")
		close(release)
		<-firstErr
	}
	if r := <-second; r.err != nil || r.v != "value" {
		t.Errorf("second caller got %v, %v; want the value", r.v, r.err)
	}
	if v, err := m.get(context.Background(), "k", fetch); err != nil || v != "value" || fetches != 1 {
		t.Errorf("after: %v, %v, %d fetches; want the cached value from 1 fetch", v, err, fetches)
	}
}

// TestMetaStaleEntryOneRefresh: many concurrent reads of a stale entry are
// all answered from the cache and start exactly one background refresh: one
// fields_get on the test server and one goroutine (it used to be one
// goroutine per read, each queueing another refresh).
func TestMetaStaleEntryOneRefresh(t *testing.T) {
	srv, c := testOdoo(t)
	s := c.Session(odootest.AdminUID, "admin")
	ctx := context.Background()
	m := NewMeta(c, NewCache("metadata", 0, 100, 0), time.Hour, nil)
	if _, err := m.FieldsGet(ctx, s, "res.partner", []string{"type"}); err != nil {
		t.Fatal(err)
	}
	// Age the entry past the TTL.
	v, _ := m.cache.Peek("fields|res.partner")
	e := v.(metaEntry)
	e.at = time.Now().Add(-2 * time.Hour)
	m.cache.Set("fields|res.partner", e, 512+SizeOf(e.value), 0)
	srv.ResetCounters()

	const readers = 64
	var wg sync.WaitGroup
	errs := make(chan error, readers)
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, err := m.FieldsGet(ctx, s, "res.partner", []string{"type"})
			if err == nil && len(f) == 0 {
				err = errors.New("empty fields")
			}
			errs <- err
		}()
	}
	wg.Wait()
	m.waitRefreshes()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Calls("res.partner", "fields_get"); n != 1 {
		t.Errorf("%d fields_get calls for %d reads of a stale entry, want 1", n, readers)
	}
	if n := m.refreshes.Load(); n != 1 {
		t.Errorf("%d background refreshes started, want 1", n)
	}
	// Fresh again: reading it starts nothing.
	if _, err := m.FieldsGet(ctx, s, "res.partner", []string{"type"}); err != nil {
		t.Fatal(err)
	}
	m.waitRefreshes()
	if n := srv.TotalCalls(); n != 1 || m.refreshes.Load() != 1 {
		t.Errorf("after the refresh: %d calls, %d refreshes; want 1, 1", n, m.refreshes.Load())
	}
}

// TestMetaRightsFallbackAndSuperuser: without a service account, a user who
// may not read ir.model.access (demo) still gets the rights, from one call
// per model and operation (check_access_rights before Odoo 18, has_access
// from 18 on: 19.1 removes check_access_rights), equal to those the rules
// give when the admin reads them (over groups_id, or 19's all_group_ids);
// the superuser needs no call.
func TestMetaRightsFallbackAndSuperuser(t *testing.T) {
	for version, method := range map[string]string{"17.0": "check_access_rights", "18.0": "has_access", "19.0": "has_access"} {
		t.Run(version, func(t *testing.T) { testRightsFallback(t, version, method) })
	}
}

func testRightsFallback(t *testing.T, version, method string) {
	srv := odootest.NewServer(odootest.WithVersion(version))
	defer srv.Close()
	c, err := odoo.NewClient(odoo.Config{URL: srv.URL, DB: srv.DB()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	models := []string{"res.partner", "account.tax", "res.users", "stock.picking", "ir.model.access"}
	demo := c.Session(odootest.DemoUID, "demo")

	// Rules read by the admin, summed over demo's groups.
	m := NewMeta(c, NewCache("metadata", 0, 100, 0), time.Hour, nil)
	m.SetService(func(context.Context) (*odoo.Session, error) { return c.Session(odootest.AdminUID, "admin"), nil })
	fromRules, err := m.Rights(ctx, demo, models)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Calls("", method) + srv.Calls("res.partner", method); n != 0 {
		t.Errorf("%d %s calls with readable rules", n, method)
	}

	srv.ResetCounters()
	m = NewMeta(c, NewCache("metadata", 0, 100, 0), time.Hour, nil)
	perModel, err := m.Rights(ctx, demo, models)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Calls("ir.model.access", "search_read"); n != 1 {
		t.Errorf("%d ir.model.access reads, want 1 (refused)", n)
	}
	checks := 0
	for _, model := range models {
		checks += srv.Calls(model, method)
	}
	if checks != 4*len(models) || srv.TotalCalls() != 4*len(models)+3 { // + version, ir.model and the refused ir.model.access reads
		t.Errorf("%d %s calls, want %d: %v", checks, method, 4*len(models), srv.CallCounts())
	}
	for _, model := range models {
		if fromRules[model] != perModel[model] {
			t.Errorf("%s: rules give %+v, %s %+v", model, fromRules[model], method, perModel[model])
		}
	}
	if a := perModel["res.partner"]; !a.Read || !a.Write || !a.Create || !a.Unlink {
		t.Errorf("demo on res.partner: %+v", a)
	}
	if a := perModel["stock.picking"]; !a.Read || !a.Write || !a.Create || a.Unlink {
		t.Errorf("demo on stock.picking: %+v", a)
	}
	if a := perModel["ir.model.access"]; a != (Access{}) {
		t.Errorf("demo on ir.model.access: %+v", a)
	}

	srv.ResetCounters()
	root, err := m.Rights(ctx, c.Session(1, "x"), models)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.TotalCalls(); n != 0 || root["account.tax"] != (Access{Read: true, Create: true, Write: true, Unlink: true}) {
		t.Errorf("superuser: %d calls, account.tax %+v", n, root["account.tax"])
	}
}

// TestMetaMissThenStoredFetchesOnce: a caller misses the cache while another
// caller's fetch of the same key runs, stores its entry and leaves the shared
// flight; the first caller must take that entry, not fetch again. It used to
// fetch twice (a second res.users read for one user's rights, seen once in
// 80 runs of TestOdooModelsRightsCalls under -race).
func TestMetaMissThenStoredFetchesOnce(t *testing.T) {
	m := NewMeta(nil, NewCache("metadata", 0, 100, 0), time.Hour, nil)
	var fetches atomic.Int64
	fetch := func(context.Context) (any, error) {
		fetches.Add(1)
		return "value", nil
	}
	missed, release := make(chan struct{}), make(chan struct{})
	var first0 atomic.Bool
	m.missed = func(string) {
		if first0.CompareAndSwap(false, true) {
			close(missed)
			<-release // the first caller stops between its miss and the flight
		}
	}
	first := make(chan any, 1)
	go func() {
		v, _ := m.get(context.Background(), "k", fetch)
		first <- v
	}()
	<-missed
	if v, err := m.get(context.Background(), "k", fetch); err != nil || v != "value" {
		t.Fatalf("second caller: %v, %v", v, err)
	}
	close(release)
	if v := <-first; v != "value" {
		t.Errorf("first caller got %v, want the value", v)
	}
	if n := fetches.Load(); n != 1 {
		t.Errorf("%d fetches, want 1: the first caller fetched again what the second had just stored", n)
	}
}

// TestLoginsMissThenStoredCallsOnce is TestMetaMissThenStoredFetchesOnce for
// the login cache: a login and a user's companies are asked of Odoo once
// when a caller misses the cache just before another caller's call stores
// the entry and ends.
func TestLoginsMissThenStoredCallsOnce(t *testing.T) {
	srv, c := testOdoo(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, counter string
		call          func(*Logins) error
	}{
		{"authenticate", "authenticate", func(l *Logins) error {
			uid, err := l.Authenticate(ctx, "demo", "demo")
			if err == nil && uid != odootest.DemoUID {
				err = fmt.Errorf("uid %d, want %d", uid, odootest.DemoUID)
			}
			return err
		}},
		{"companies", "res.users.read", func(l *Logins) error {
			ids, err := l.Companies(ctx, c.Session(odootest.DemoUID, "demo"))
			if err == nil && len(ids) == 0 {
				err = errors.New("no companies")
			}
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := NewLogins(c, NewCache("logins", time.Minute, 100, 0), time.Minute)
			missed, release := make(chan struct{}), make(chan struct{})
			var first atomic.Bool
			l.missed = func(string) {
				if first.CompareAndSwap(false, true) {
					close(missed)
					<-release
				}
			}
			srv.ResetCounters()
			firstErr := make(chan error, 1)
			go func() { firstErr <- tc.call(l) }()
			<-missed
			if err := tc.call(l); err != nil {
				t.Fatalf("second caller: %v", err)
			}
			close(release)
			if err := <-firstErr; err != nil {
				t.Fatalf("first caller: %v", err)
			}
			if n := srv.CallCounts()[tc.counter]; n != 1 {
				t.Errorf("%d %s calls, want 1: the first caller called again what the second had just stored", n, tc.counter)
			}
		})
	}
}
