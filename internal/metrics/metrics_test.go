package metrics

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
)

func TestMetricsExposition(t *testing.T) {
	m := New(func() []loaders.CacheStats {
		return []loaders.CacheStats{{Name: "records", Hits: 3, Misses: 1, Evictions: 2, Entries: 5, Bytes: 100}}
	}, func() float64 { return 4 })
	ctx := context.Background()
	m.ObserveCall(ctx, odoo.CallInfo{Model: "res.partner", Method: "read", Duration: 20 * time.Millisecond})
	m.ObserveCall(ctx, odoo.CallInfo{Model: "res.partner", Method: "read", Duration: time.Millisecond, Err: &odoo.Fault{Kind: odoo.KindAccess}})
	m.ObserveCall(ctx, odoo.CallInfo{Model: "res.partner", Method: "read", Err: context.Canceled})
	m.ObserveCall(ctx, odoo.CallInfo{Model: "", Method: "version", Err: errors.New("refused")})
	m.ObserveCall(ctx, odoo.CallInfo{Model: "res.partner", Method: "read", Transport: odoo.TransportJSON2, Duration: time.Millisecond})
	m.ObserveBatch("res.country", 12)
	m.ObserveRequest("query", false, 5*time.Millisecond)
	m.ObserveRequest("mutation", true, 5*time.Millisecond)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	out := string(body)
	for _, want := range []string{
		`odoogql_odoo_rpc_total{method="read",model="res.partner",transport="xmlrpc"} 3`,
		`odoogql_odoo_rpc_total{method="read",model="res.partner",transport="json2"} 1`,
		`odoogql_odoo_rpc_errors_total{kind="access",method="read",model="res.partner"} 1`,
		`odoogql_odoo_rpc_errors_total{kind="canceled",method="read",model="res.partner"} 1`,
		`odoogql_odoo_rpc_errors_total{kind="transport",method="version",model=""} 1`,
		`odoogql_odoo_rpc_duration_seconds_count{method="read",transport="xmlrpc"} 3`,
		`odoogql_odoo_rpc_duration_seconds_count{method="read",transport="json2"} 1`,
		`odoogql_odoo_rpc_in_flight 4`,
		`odoogql_cache_hits_total{cache="records"} 3`,
		`odoogql_cache_misses_total{cache="records"} 1`,
		`odoogql_cache_evictions_total{cache="records"} 2`,
		`odoogql_cache_entries{cache="records"} 5`,
		`odoogql_cache_bytes{cache="records"} 100`,
		`odoogql_cache_hit_ratio{cache="records"} 0.75`,
		`odoogql_loader_batch_size_sum{model="res.country"} 12`,
		`odoogql_http_requests_total{operation="mutation",status="error"} 1`,
		`odoogql_http_requests_total{operation="query",status="ok"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q", want)
		}
	}
}
