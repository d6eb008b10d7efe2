package odootest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/odoogql/odoogql/odoo"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// fullServer serves the committed whole-Odoo snapshot of version and
// returns an admin session on it.
func fullServer(t *testing.T, version string, opts ...odootest.Option) (*odootest.Server, *odoo.Session, *odoo.Metadata) {
	t.Helper()
	meta, err := odootest.FullSnapshot(version)
	if err != nil {
		t.Fatal(err)
	}
	srv := odootest.NewServer(append([]odootest.Option{odootest.WithVersion(version), odootest.WithMetadata(meta)}, opts...)...)
	t.Cleanup(srv.Close)
	c, err := odoo.NewClient(odoo.Config{URL: srv.URL, DB: srv.DB()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return srv, c.Session(odootest.AdminUID, "admin"), meta
}

func modelJSON(t *testing.T, m odoo.Model) string {
	t.Helper()
	if m.Fields == nil {
		m.Fields = map[string]odoo.Field{}
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFullSnapshotServesEveryModel reads a whole Odoo back from the server
// serving a snapshot: ir.model lists exactly the snapshot's models and
// fields_get of each (with the snapshot's attributes) is exactly the
// snapshot's, demo models (captured fields_get) included; one call each.
func TestFullSnapshotServesEveryModel(t *testing.T) {
	for _, tc := range []struct {
		version string
		models  int
	}{{"18.0", 450}, {"17.0", 349}} {
		t.Run(tc.version, func(t *testing.T) {
			srv, s, want := fullServer(t, tc.version)
			if len(want.Models) != tc.models {
				t.Fatalf("snapshot has %d models, want %d", len(want.Models), tc.models)
			}
			ctx := context.Background()
			var skipped []string
			got, err := s.Catalogue(ctx, odoo.CatalogueOptions{Attributes: odoo.SnapshotAttributes, OnSkip: func(m string, err error) { skipped = append(skipped, m+": "+err.Error()) }})
			if err != nil {
				t.Fatal(err)
			}
			if len(skipped) != 0 {
				t.Errorf("refused models: %q", skipped)
			}
			if got.ServerVersion != tc.version {
				t.Errorf("server_version %q", got.ServerVersion)
			}
			if len(got.Models) != len(want.Models) {
				t.Fatalf("%d models, want %d", len(got.Models), len(want.Models))
			}
			diffs := 0
			for i, wm := range want.Models {
				if g, w := modelJSON(t, got.Models[i]), modelJSON(t, wm); g != w {
					diffs++
					if diffs <= 3 {
						t.Errorf("model %s differs from the snapshot:\n got %.300s\nwant %.300s", wm.Model, g, w)
					}
				}
			}
			if diffs > 0 {
				t.Errorf("%d of %d models differ", diffs, len(want.Models))
			}
			if n := srv.Calls("ir.model", "search_read"); n != 1 {
				t.Errorf("ir.model search_read: %d calls, want 1", n)
			}
			fg := 0
			for k, n := range srv.CallCounts() {
				if len(k) > 11 && k[len(k)-11:] == ".fields_get" {
					fg += n
					if n != 1 {
						t.Errorf("%s: %d calls, want 1", k, n)
					}
				}
			}
			if fg != tc.models || srv.TotalCalls() != tc.models+2 {
				t.Errorf("%d fields_get, %d calls in all; want %d and %d", fg, srv.TotalCalls(), tc.models, tc.models+2)
			}
			// check_access_rights answers on every model.
			for _, m := range []string{"account.move", "mail.message", "res.partner", want.Models[0].Model} {
				if _, ok := got.Model(m); !ok {
					continue
				}
				if ok, err := s.CheckAccessRights(ctx, m, "read"); err != nil || !ok {
					t.Errorf("check_access_rights %s: %v %v", m, ok, err)
				}
			}
		})
	}
}

func ids(t *testing.T, v any) []int {
	t.Helper()
	var out []int
	list, _ := v.([]any)
	for _, e := range list {
		switch x := e.(type) {
		case int:
			out = append(out, x)
		case odoo.Record:
			id, _ := odoo.AsInt(x["id"])
			out = append(out, id)
		default:
			t.Fatalf("not an id or record: %#v", e)
		}
	}
	return out
}

// TestFullSnapshotGeneratedRecords queries account.move, a model outside the
// demo data, as a live gateway would: one web_search_read with a nested
// specification down to the lines' products. The generated data is
// coherent: each move's invoice_line_ids and line_ids are the lines whose
// move_id is that move, many2ones point at records that exist, with their
// display names, and values have Odoo's types and formats.
func TestFullSnapshotGeneratedRecords(t *testing.T) {
	srv, s, _ := fullServer(t, "18.0", odootest.WithRecordsPerModel(12))
	ctx := context.Background()
	spec := map[string]any{
		"name": map[string]any{}, "date": map[string]any{}, "state": map[string]any{}, "amount_total": map[string]any{},
		"partner_id": map[string]any{"fields": map[string]any{"display_name": map[string]any{}}},
		"invoice_line_ids": map[string]any{"fields": map[string]any{
			"name": map[string]any{}, "quantity": map[string]any{}, "move_id": map[string]any{},
			"product_id": map[string]any{"fields": map[string]any{"display_name": map[string]any{}, "default_code": map[string]any{}}},
		}},
		"line_ids": map[string]any{"fields": map[string]any{"move_id": map[string]any{}}},
	}
	srv.ResetCounters()
	res, err := s.ExecuteKW(ctx, "account.move", "web_search_read", []any{[]any{}}, map[string]any{"specification": spec, "order": "id"})
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.TotalCalls(); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
	// 12 generated moves, plus those the demo sale orders' invoice_ids
	// name.
	nMoves := srv.Count("account.move")
	r, _ := res.(odoo.Record)
	if n, _ := odoo.AsInt(r["length"]); n != nMoves || n < 12 {
		t.Errorf("length %v, want %d (at least 12)", r["length"], nMoves)
	}
	moves, _ := r["records"].([]any)
	if len(moves) != nMoves {
		t.Fatalf("%d moves, want %d", len(moves), nMoves)
	}
	// The lines, read on their own.
	lines, err := s.SearchRead(ctx, "account.move.line", nil, []string{"move_id", "product_id"}, odoo.SearchOptions{Order: "id"})
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Count("account.move.line"); len(lines) != n || n < 12 {
		t.Errorf("%d lines, want %d (at least 12)", len(lines), n)
	}
	linesOf := map[int][]int{}
	product := map[int]int{}
	for _, l := range lines {
		id, _ := odoo.AsInt(l["id"])
		mv, _ := l["move_id"].([]any)
		if len(mv) != 2 {
			t.Fatalf("line %d: move_id %#v, want [id, name] (it is required)", id, l["move_id"])
		}
		mid, _ := odoo.AsInt(mv[0])
		linesOf[mid] = append(linesOf[mid], id)
		if p, ok := l["product_id"].([]any); ok {
			product[id], _ = odoo.AsInt(p[0])
		}
	}
	withLines, withProducts := 0, 0
	for _, mv := range moves {
		m := mv.(odoo.Record)
		id, _ := odoo.AsInt(m["id"])
		if name, _ := m["name"].(string); name != fmt.Sprintf("Journal Entry %d", id) {
			t.Errorf("move %d: name %q", id, name)
		}
		if d, _ := m["date"].(string); len(d) != len("2026-01-02") {
			t.Errorf("move %d: date %q, want YYYY-MM-DD", id, d)
		}
		if st, _ := m["state"].(string); !slices.Contains([]string{"draft", "posted", "cancel"}, st) {
			t.Errorf("move %d: state %q", id, st)
		}
		if _, ok := m["amount_total"].(float64); !ok {
			t.Errorf("move %d: amount_total %#v, want a float", id, m["amount_total"])
		}
		if p, ok := m["partner_id"].(odoo.Record); ok {
			pid, _ := odoo.AsInt(p["id"])
			rec, ok := srv.Record("res.partner", pid)
			if !ok || rec["display_name"] != p["display_name"] {
				t.Errorf("move %d: partner %v is not the demo partner %v", id, p, rec["display_name"])
			}
		}
		inv := ids(t, m["invoice_line_ids"])
		all := ids(t, m["line_ids"])
		want := linesOf[id]
		sort.Ints(inv)
		sort.Ints(all)
		if !slices.Equal(inv, want) || !slices.Equal(all, want) {
			t.Errorf("move %d: invoice_line_ids %v, line_ids %v; the lines whose move_id is %d are %v", id, inv, all, id, want)
		}
		if len(want) > 0 {
			withLines++
		}
		for _, lv := range m["invoice_line_ids"].([]any) {
			l := lv.(odoo.Record)
			lid, _ := odoo.AsInt(l["id"])
			if mid, _ := odoo.AsInt(l["move_id"]); mid != id {
				t.Errorf("line %d of move %d: move_id %v", lid, id, l["move_id"])
			}
			p, ok := l["product_id"].(odoo.Record)
			if !ok {
				if product[lid] != 0 {
					t.Errorf("line %d: no product, read says %d", lid, product[lid])
				}
				continue
			}
			withProducts++
			pid, _ := odoo.AsInt(p["id"])
			rec, ok := srv.Record("product.product", pid)
			if pid != product[lid] || !ok || rec["display_name"] != p["display_name"] {
				t.Errorf("line %d: product %v, read says %d (%v)", lid, p, product[lid], rec["display_name"])
			}
		}
	}
	if withLines == 0 || withProducts == 0 {
		t.Errorf("%d moves with lines, %d lines with a product: the data shows nothing", withLines, withProducts)
	}
	// search_count and a domain through the relation agree with the data.
	n, err := s.SearchCount(ctx, "account.move.line", []any{[]any{"move_id.name", "=", "Journal Entry 1"}})
	if err != nil || n != len(linesOf[1]) {
		t.Errorf("lines of Journal Entry 1: %d (%v), want %d", n, err, len(linesOf[1]))
	}
	// Reading again gives the same data (generated once, deterministic).
	again, err := odootestRead(ctx, s, 1)
	if err != nil {
		t.Fatal(err)
	}
	srv2, s2, _ := fullServer(t, "18.0", odootest.WithRecordsPerModel(12))
	_ = srv2
	other, err := odootestRead(ctx, s2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(again) != fmt.Sprint(other) {
		t.Errorf("two servers generate different data:\n%v\n%v", again, other)
	}
}

func odootestRead(ctx context.Context, s *odoo.Session, id int) ([]odoo.Record, error) {
	return s.Read(ctx, "account.move", []int{id}, []string{"name", "date", "invoice_date", "amount_total", "state", "partner_id", "line_ids", "currency_id"})
}

// TestFullSnapshotLazy: a server serving 450 models generates the records
// of a model only when a call reaches it.
func TestFullSnapshotLazy(t *testing.T) {
	srv, s, _ := fullServer(t, "18.0")
	ctx := context.Background()
	if n := srv.Generated(); n != 0 {
		t.Errorf("%d models generated before any call", n)
	}
	if _, err := s.SearchCount(ctx, "account.analytic.plan", nil); err != nil {
		t.Fatal(err)
	}
	if n := srv.Generated(); n != 1 {
		t.Errorf("%d models generated after a search_count on one, want 1", n)
	}
}

// TestAddField adds an x_ custom field at run time: fields_get lists it
// (one call), reads return its values, a domain filters on it.
func TestAddField(t *testing.T) {
	srv, s, _ := fullServer(t, "18.0")
	ctx := context.Background()
	before, err := s.FieldsGet(ctx, "account.move", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := before["x_priority"]; ok {
		t.Fatal("x_priority before AddField")
	}
	f := odoo.Field{Name: "x_priority", Type: "integer", String: "Priority"}
	if err := srv.AddField("account.move", f, map[int]any{1: 7, 2: 3}); err != nil {
		t.Fatal(err)
	}
	if err := srv.AddField("account.move", f, nil); err == nil {
		t.Error("adding x_priority twice must fail")
	}
	if err := srv.AddField("account.move", odoo.Field{Name: "priority2", Type: "char"}, nil); err == nil {
		t.Error("a custom field not named x_… must fail")
	}
	if err := srv.AddField("res.partner", odoo.Field{Name: "x_note", Type: "char", String: "Note"}, map[int]any{3: "hello"}); err != nil {
		t.Fatal(err)
	}
	srv.ResetCounters()
	after, err := s.FieldsGet(ctx, "account.move", odoo.CatalogueAttributes)
	if err != nil {
		t.Fatal(err)
	}
	want := odoo.Field{Name: "x_priority", Type: "integer", String: "Priority", Store: true, Searchable: true, Sortable: true}
	if got := after["x_priority"]; !slices.Equal([]string{fmt.Sprintf("%+v", got)}, []string{fmt.Sprintf("%+v", want)}) {
		t.Errorf("fields_get x_priority: %+v, want %+v", got, want)
	}
	if len(after) != len(before)+1 || srv.TotalCalls() != 1 {
		t.Errorf("%d fields (was %d), %d calls", len(after), len(before), srv.TotalCalls())
	}
	recs, err := s.SearchRead(ctx, "account.move", []any{[]any{"x_priority", ">", 0}}, []string{"x_priority"}, odoo.SearchOptions{Order: "id"})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(recs) != "[map[id:1 x_priority:7] map[id:2 x_priority:3]]" {
		t.Errorf("x_priority > 0: %v", recs)
	}
	p, err := s.Read(ctx, "res.partner", []int{3}, []string{"x_note"})
	if err != nil || len(p) != 1 || p[0]["x_note"] != "hello" {
		t.Errorf("res.partner 3 x_note: %v %v", p, err)
	}
	if !srv.RemoveField("account.move", "x_priority") || srv.RemoveField("account.move", "x_priority") {
		t.Error("RemoveField must report whether the field was there")
	}
	if fs, _ := s.FieldsGet(ctx, "account.move", nil); len(fs) != len(before) {
		t.Errorf("%d fields after RemoveField, want %d", len(fs), len(before))
	}
}

// TestFullSnapshotConcurrentGeneration reads many models at once from a
// fresh server, so that several calls reach the same lazily generated
// models together (run with -race): every call sees complete data, the
// same as a server that generated them one at a time.
func TestFullSnapshotConcurrentGeneration(t *testing.T) {
	models := []string{"account.move", "account.move.line", "account.payment", "mail.message", "account.journal",
		"account.account", "res.partner", "crm.team", "stock.quant", "stock.location"}
	read := func(s *odoo.Session, model string) (string, error) {
		recs, err := s.SearchRead(context.Background(), model, nil, nil, odoo.SearchOptions{Order: "id", Limit: 5})
		return fmt.Sprint(recs), err
	}
	_, seq, _ := fullServer(t, "18.0")
	want := map[string]string{}
	for _, m := range models {
		r, err := read(seq, m)
		if err != nil {
			t.Fatal(m, err)
		}
		want[m] = r
	}
	srv, s, _ := fullServer(t, "18.0")
	type result struct {
		model, got string
		err        error
	}
	results := make(chan result, 4*len(models))
	for range 4 {
		for _, m := range models {
			go func() {
				got, err := read(s, m)
				results <- result{m, got, err}
			}()
		}
	}
	for range 4 * len(models) {
		r := <-results
		if r.err != nil {
			t.Errorf("%s: %v", r.model, r.err)
		} else if r.got != want[r.model] {
			t.Errorf("%s: concurrent read differs from the sequential one", r.model)
		}
	}
	if srv.Generated() == 0 {
		t.Error("nothing generated")
	}
}
