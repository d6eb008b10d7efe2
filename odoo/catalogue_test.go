package odoo_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/odoogql/odoogql/odoo"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// catalogueServer serves the committed Odoo 18 snapshot (450 models).
func catalogueServer(t testing.TB, opts ...odootest.Option) (*odootest.Server, *odoo.Client, *odoo.Session) {
	t.Helper()
	var srv *odootest.Server
	if opts == nil {
		meta, err := odootest.FullSnapshot("18.0")
		if err != nil {
			t.Fatal(err)
		}
		srv = odootest.NewServer(odootest.WithMetadata(meta))
	} else {
		srv = odootest.NewServer(opts...)
	}
	t.Cleanup(srv.Close)
	c, err := odoo.NewClient(odoo.Config{URL: srv.URL, DB: srv.DB()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return srv, c, c.Session(odootest.AdminUID, "admin")
}

// sequentialCatalogue reads the metadata the way fetch used to: the list,
// then one fields_get after another.
func sequentialCatalogue(t *testing.T, s *odoo.Session) *odoo.Metadata {
	t.Helper()
	ctx := context.Background()
	ver, err := s.Client().Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.ListModels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	meta := &odoo.Metadata{ServerVersion: ver.ServerVersion}
	for _, m := range list {
		fields, err := s.FieldsGet(ctx, m.Model, odoo.CatalogueAttributes)
		if odoo.ModelRefused(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		m.Fields = fields
		meta.Models = append(meta.Models, m)
	}
	return meta
}

func metaJSON(t *testing.T, m *odoo.Metadata) string {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCatalogueParallel reads a whole Odoo 18 (450 models) from a server
// answering each call after 20 ms: exactly one version, one ir.model
// search_read and one fields_get per model, never more than Concurrency
// of them at once but more than one, and the same metadata as the
// sequential read, whatever order the answers came in.
func TestCatalogueParallel(t *testing.T) {
	srv, c, s := catalogueServer(t)
	want := sequentialCatalogue(t, s)
	if len(want.Models) != 450 {
		t.Fatalf("sequential read: %d models", len(want.Models))
	}
	for _, conc := range []int{8, 3} {
		t.Run(fmt.Sprint(conc), func(t *testing.T) {
			srv.SetLatency(20 * time.Millisecond)
			defer srv.SetLatency(0)
			srv.ResetCounters()
			srv.ResetPeak()
			before := c.Stats()
			got, err := s.Catalogue(context.Background(), odoo.CatalogueOptions{Concurrency: conc})
			if err != nil {
				t.Fatal(err)
			}
			if metaJSON(t, got) != metaJSON(t, want) {
				t.Error("the parallel read differs from the sequential one")
			}
			if n := srv.TotalCalls(); n != 452 {
				t.Errorf("%d calls, want 452 (version, ir.model, 450 fields_get)", n)
			}
			if srv.Calls("", "version") != 1 || srv.Calls("ir.model", "search_read") != 1 {
				t.Errorf("calls: %v", srv.CallCounts())
			}
			for _, m := range want.Models {
				if n := srv.Calls(m.Model, "fields_get"); n != 1 {
					t.Errorf("%s: %d fields_get, want 1", m.Model, n)
				}
			}
			if p := srv.PeakInFlight(); p > conc || p < 2 {
				t.Errorf("peak in flight %d, want 2..%d", p, conc)
			}
			if st := c.Stats(); st.Calls-before.Calls != 452 || st.Retries != before.Retries {
				t.Errorf("client: %d calls, %d retries", st.Calls-before.Calls, st.Retries-before.Retries)
			}
			for _, call := range srv.CallLog() {
				if call.Method != "fields_get" {
					continue
				}
				if fmt.Sprint(call.Kwargs["attributes"]) != fmt.Sprint(odoo.CatalogueAttributes) {
					t.Fatalf("%s fields_get asked for %v", call.Model, call.Kwargs["attributes"])
				}
			}
		})
	}
}

// TestCatalogueSkipsRefusedModels reads the demo server, whose ir.model (a
// real Odoo 18's) lists 450 models but which serves few: each model Odoo
// refuses is reported once, in order, and left out; the others are read.
// Include limits the models read, and their calls.
func TestCatalogueSkipsRefusedModels(t *testing.T) {
	srv, _, s := catalogueServer(t, odootest.WithVersion("18.0"))
	var skipped []string
	meta, err := s.Catalogue(context.Background(), odoo.CatalogueOptions{OnSkip: func(m string, err error) {
		if !odoo.ModelRefused(err) || !strings.Contains(err.Error(), "doesn't exist") {
			t.Errorf("%s: %v", m, err)
		}
		skipped = append(skipped, m)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(meta.Models)+len(skipped) != 450 || len(meta.Models) < 20 || len(skipped) == 0 {
		t.Errorf("%d models read, %d skipped; want 450 in all", len(meta.Models), len(skipped))
	}
	for i := 1; i < len(skipped); i++ {
		if skipped[i-1] >= skipped[i] {
			t.Errorf("skips out of order: %s, %s", skipped[i-1], skipped[i])
		}
	}
	if p, ok := meta.Model("res.partner"); !ok || !p.Fields["country_id"].Searchable {
		t.Errorf("res.partner: %+v", p)
	}

	srv.ResetCounters()
	meta, err = s.Catalogue(context.Background(), odoo.CatalogueOptions{Include: func(m odoo.Model) bool {
		return strings.HasPrefix(m.Model, "res.partner")
	}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range meta.Models {
		names = append(names, m.Model)
	}
	fg := 0
	for k, n := range srv.CallCounts() {
		if strings.HasSuffix(k, ".fields_get") {
			fg += n
		}
	}
	// ir.model lists 6 res.partner* models; the server has 2 of them and
	// stubs (id, display_name) for 3 that its data points at.
	if strings.Join(names, ",") != "res.partner,res.partner.bank,res.partner.category,res.partner.industry,res.partner.title" ||
		fg != 6 || srv.TotalCalls() != 8 {
		t.Errorf("models %v, %d fields_get, %d calls; want 5 models, 6 and 8", names, fg, srv.TotalCalls())
	}
}

// TestCatalogueStopsAtFirstFailure: a failure that is not a refusal (here
// an HTTP 500 on the 40th fields_get) fails the read, and the read stops:
// one at a time, the 40th call is the last; four at a time (each call
// answered after 20 ms), far fewer calls than models are made.
func TestCatalogueStopsAtFirstFailure(t *testing.T) {
	srv, _, s := catalogueServer(t)
	fieldsGets := func() int { return countFieldsGets(srv) }
	for _, conc := range []int{1, 4} {
		srv.ResetCounters()
		srv.SetFaults(odootest.FaultPlan{Kind: odootest.FaultHTTP500, Every: 40, Limit: 1, Methods: []string{"fields_get"}})
		if conc > 1 {
			srv.SetLatency(20 * time.Millisecond)
		}
		skips := 0
		_, err := s.Catalogue(context.Background(), odoo.CatalogueOptions{Concurrency: conc, OnSkip: func(string, error) { skips++ }})
		var te *odoo.TransportError
		if !errors.As(err, &te) || !errors.Is(err, odoo.ErrBadStatus) {
			t.Fatalf("concurrency %d: err %v, want the HTTP 500", conc, err)
		}
		fg := fieldsGets()
		if conc == 1 && fg != 40 || fg < 40 || fg >= 100 || skips != 0 {
			t.Errorf("concurrency %d: %d fields_get calls, %d skips reported", conc, fg, skips)
		}
	}
}

// TestCatalogueListFailure: when the version or the model list cannot be
// read, Catalogue fails with that error and reads no fields.
func TestCatalogueListFailure(t *testing.T) {
	for _, method := range []string{"version", "ir.model.search_read"} {
		srv, _, s := catalogueServer(t) // each its own: a call cancelled by the failure may reach a server late
		srv.SetFaults(odootest.FaultPlan{Kind: odootest.FaultHTTP502, Every: 1, Methods: []string{method}})
		_, err := s.Catalogue(context.Background(), odoo.CatalogueOptions{})
		if !errors.Is(err, odoo.ErrBadStatus) || !strings.Contains(err.Error(), "502") {
			t.Errorf("%s failing: err %v, want its HTTP 502", method, err)
		}
		// The other of the two first calls, cancelled by the failure, may
		// reach the server or not.
		if n := countFieldsGets(srv); n != 0 {
			t.Errorf("%s failing: %d fields_get calls, want none", method, n)
		}
		if n := srv.Calls("", "version") + srv.Calls("ir.model", "search_read"); n > 2 {
			t.Errorf("%s failing: %d calls of the version and the list, want one each at most", method, n)
		}
	}
}

// TestCatalogueHonoursContext cancels a read while every worker waits on a
// slow fields_get: Catalogue returns the context's error, and no further
// call is made.
func TestCatalogueHonoursContext(t *testing.T) {
	srv, _, s := catalogueServer(t)
	srv.SetFaults(odootest.FaultPlan{Kind: odootest.FaultSlow, Every: 1, Delay: time.Hour, Methods: []string{"fields_get"}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := s.Catalogue(ctx, odoo.CatalogueOptions{Concurrency: 5})
		done <- err
	}()
	guard := time.After(time.Minute) // a hang guard, not a threshold
	fieldsGets := func() int { return countFieldsGets(srv) }
	// The server counts a call once it has decoded it, after it counted it
	// in flight: wait for the five to be counted, held by the slow fault.
	for srv.InFlight() < 5 || fieldsGets() < 5 {
		select {
		case err := <-done:
			t.Fatalf("returned before the calls were in flight: %v", err)
		case <-guard:
			t.Fatal("the calls never were in flight")
		case <-time.After(time.Millisecond):
		}
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err %v, want context.Canceled", err)
		}
	case <-guard:
		t.Fatal("Catalogue ignored the cancelled context")
	}
	if fg := fieldsGets(); fg != 5 {
		t.Errorf("%d fields_get calls, want the 5 in flight", fg)
	}
}

// BenchmarkCatalogue reads the whole Odoo 18 snapshot (450 models) from a
// server answering each call after 30 ms, one fields_get after another
// (what fetch did) and Concurrency at a time, in the same run:
//
//	go test ./odoo -run '^$' -bench Catalogue -benchtime 1x
func BenchmarkCatalogue(b *testing.B) {
	srv, _, s := catalogueServer(b)
	srv.SetLatency(30 * time.Millisecond)
	ctx := context.Background()
	read := func(conc int) time.Duration {
		start := time.Now()
		meta, err := s.Catalogue(ctx, odoo.CatalogueOptions{Concurrency: conc})
		if err != nil {
			b.Fatal(err)
		}
		if len(meta.Models) != 450 {
			b.Fatalf("%d models", len(meta.Models))
		}
		return time.Since(start)
	}
	var seq, c8, c16 time.Duration
	for b.Loop() {
		seq += read(1)
		c8 += read(8)
		c16 += read(16)
	}
	n := float64(b.N)
	b.ReportMetric(seq.Seconds()/n, "seq-s/op")
	b.ReportMetric(c8.Seconds()/n, "c8-s/op")
	b.ReportMetric(c16.Seconds()/n, "c16-s/op")
	b.ReportMetric(c8.Seconds()/seq.Seconds(), "c8/seq")
	b.ReportMetric(c16.Seconds()/seq.Seconds(), "c16/seq")
}

// countFieldsGets is how many fields_get calls srv has counted, any model.
func countFieldsGets(srv *odootest.Server) int {
	n := 0
	for k, c := range srv.CallCounts() {
		if strings.HasSuffix(k, ".fields_get") {
			n += c
		}
	}
	return n
}

// TestCatalogueAggregator: metadata read live carries each field's default
// aggregate function: fields_get's aggregator (Odoo 18 and later), or
// group_operator (Odoo 17 and before).
func TestCatalogueAggregator(t *testing.T) {
	_, _, s := catalogueServer(t, odootest.WithVersion("18.0"))
	meta, err := s.Catalogue(context.Background(), odoo.CatalogueOptions{Include: func(m odoo.Model) bool { return m.Model == "sale.order" }})
	if err != nil {
		t.Fatal(err)
	}
	m, ok := meta.Model("sale.order")
	if !ok {
		t.Fatal("no sale.order")
	}
	if got := m.Fields["amount_total"].Aggregator; got != "sum" {
		t.Errorf("sale.order.amount_total aggregator %q, want sum", got)
	}
	if got := m.Fields["name"].Aggregator; got != "" {
		t.Errorf("sale.order.name aggregator %q, want none", got)
	}
	b, _ := json.Marshal(m.Fields["amount_total"])
	if !strings.Contains(string(b), `"aggregator":"sum"`) {
		t.Errorf("JSON %s", b)
	}
	if f := odoo.FieldFromAttrs("x", odoo.Record{"type": "float", "group_operator": "avg"}); f.Aggregator != "avg" {
		t.Errorf("Odoo 17's group_operator: %q", f.Aggregator)
	}
}
