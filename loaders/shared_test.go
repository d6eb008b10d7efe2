package loaders_test

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// memShared is a loaders.Shared in memory: what one replica writes, another
// reads, as bytes, as through Redis.
type memShared struct {
	mu   sync.Mutex
	vals map[string][]byte
	gets int
}

func (m *memShared) Get(_ context.Context, key string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.vals[key]
	if ok {
		m.gets++
	}
	return v, ok
}

func (m *memShared) Set(_ context.Context, key string, val []byte, _ time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.vals[key] = val
}

func (m *memShared) Generation(context.Context, string) uint64       { return 1 }
func (m *memShared) Bump(context.Context, []string) error            { return nil }
func (m *memShared) Subscribe(context.Context, func(names []string)) {}

// TestSharedKeepsTypes: a value a replica reads from the shared store has
// the Go types it had when the other replica read it from Odoo — a whole
// float (1.0, 100.0) stays a float64, inside json values too, and an int
// (large ids included) an int — for every cached call.
func TestSharedKeepsTypes(t *testing.T) {
	srv := odootest.NewServer()
	defer srv.Close()
	ctx := loaders.WithCacheTTL(context.Background(), time.Minute)
	c, err := odoo.NewClient(odoo.Config{URL: srv.URL, DB: srv.DB()})
	if err != nil {
		t.Fatal(err)
	}
	s := c.Session(odootest.AdminUID, "admin")
	if err := s.Write(ctx, "res.partner", []int{10}, map[string]any{"partner_latitude": 100.0, "credit_limit": 1.0, "color": 3}); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(ctx, "sale.order.line", []int{1}, map[string]any{"analytic_distribution": map[string]any{"12": 100.0, "13": 0.5}}); err != nil {
		t.Fatal(err)
	}
	shared := &memShared{vals: map[string][]byte{}}
	replica := func() loaders.Odoo {
		rc := loaders.NewRecordCache(loaders.NewCache("records", time.Minute, 1000, 0), nil)
		rc.SetShared(ctx, shared)
		return loaders.New(s, loaders.Options{Records: rc}).Odoo(ctx)
	}
	a, b := replica(), replica()
	fields := []string{"partner_latitude", "credit_limit", "color", "name"}
	for _, call := range []struct {
		name string
		run  func(o loaders.Odoo) (any, error)
	}{
		{"read", func(o loaders.Odoo) (any, error) { return o.Read(ctx, "res.partner", []int{10}, fields) }},
		{"search_read", func(o loaders.Odoo) (any, error) {
			return o.SearchRead(ctx, "res.partner", []any{[]any{"id", "=", 10}}, fields, odoo.SearchOptions{})
		}},
		{"web_search_read", func(o loaders.Odoo) (any, error) {
			return o.WebSearchRead(ctx, "res.partner", []any{[]any{"id", "=", 10}}, odoo.Spec{"partner_latitude": {}, "credit_limit": {}, "color": {}}, odoo.SearchOptions{})
		}},
		{"web_read", func(o loaders.Odoo) (any, error) {
			return o.WebRead(ctx, "res.partner", []int{10}, odoo.Spec{"partner_latitude": {}, "credit_limit": {}, "color": {}})
		}},
		{"read json", func(o loaders.Odoo) (any, error) {
			return o.Read(ctx, "sale.order.line", []int{1}, []string{"analytic_distribution", "product_uom_qty"})
		}},
	} {
		fromOdoo, err := call.run(a)
		if err != nil {
			t.Fatalf("%s on A: %v", call.name, err)
		}
		srv.ResetCounters()
		before := shared.gets
		fromShared, err := call.run(b)
		if err != nil {
			t.Fatalf("%s on B: %v", call.name, err)
		}
		if n := srv.TotalCalls(); n != 0 || shared.gets == before {
			t.Fatalf("%s on B: %d Odoo calls, %d shared reads: not served from the shared store", call.name, n, shared.gets-before)
		}
		if !reflect.DeepEqual(fromOdoo, fromShared) {
			t.Errorf("%s: from the shared store\n%s\nfrom Odoo\n%s", call.name, typed(fromShared), typed(fromOdoo))
		}
	}
}

// typed prints v with the Go type of every number (%#v prints a float64
// 100 as 100).
func typed(v any) string {
	var b strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []odoo.Record:
			walk(slices.Collect(func(yield func(any) bool) {
				for _, r := range x {
					if !yield(r) {
						return
					}
				}
			}))
		case odoo.WebSearchResult:
			fmt.Fprintf(&b, "{Length:%d Records:", x.Length)
			walk(x.Records)
			b.WriteString("}")
		case []any:
			b.WriteString("[")
			for i, it := range x {
				if i > 0 {
					b.WriteString(" ")
				}
				walk(it)
			}
			b.WriteString("]")
		case odoo.Record:
			b.WriteString("{")
			for i, k := range slices.Sorted(maps.Keys(x)) {
				if i > 0 {
					b.WriteString(" ")
				}
				b.WriteString(k + ":")
				walk(x[k])
			}
			b.WriteString("}")
		case int, float64:
			fmt.Fprintf(&b, "%T(%v)", x, x)
		default:
			fmt.Fprintf(&b, "%q", fmt.Sprint(x))
		}
	}
	walk(v)
	return b.String()
}
