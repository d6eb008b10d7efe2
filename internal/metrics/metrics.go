// Package metrics provides odoogql's Prometheus metrics: HTTP requests,
// Odoo calls, caches and record loader batches.
package metrics

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
)

// Metrics holds the collectors of one gateway, in its own registry.
type Metrics struct {
	reg *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	rpcTotal     *prometheus.CounterVec
	rpcErrors    *prometheus.CounterVec
	rpcDuration  *prometheus.HistogramVec
	batchSize    *prometheus.HistogramVec
}

// New registers odoogql's metrics. caches returns the caches' statistics at
// scrape time; inFlight the number of Odoo calls in flight.
func New(caches func() []loaders.CacheStats, inFlight func() float64) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "odoogql_http_requests_total",
		Help: "GraphQL requests by operation type (query, mutation, or none when the request did not parse) and outcome (ok or error).",
	}, []string{"operation", "status"})
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "odoogql_http_request_duration_seconds",
		Help:    "Time to answer a GraphQL request.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"operation"})
	m.rpcTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "odoogql_odoo_rpc_total",
		Help: "Calls made to Odoo, by model, method and transport (xmlrpc or json2; model is empty for the common service).",
	}, []string{"model", "method", "transport"})
	m.rpcErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "odoogql_odoo_rpc_errors_total",
		Help: "Odoo calls that failed, by model, method and kind (fault kind, transport or canceled).",
	}, []string{"model", "method", "kind"})
	m.rpcDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "odoogql_odoo_rpc_duration_seconds",
		Help:    "Duration of Odoo calls, by method and transport.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"method", "transport"})
	m.batchSize = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "odoogql_loader_batch_size",
		Help:    "Records read in one batched read, by model.",
		Buckets: prometheus.ExponentialBuckets(1, 4, 8),
	}, []string{"model"})
	m.reg.MustRegister(m.httpRequests, m.httpDuration, m.rpcTotal, m.rpcErrors, m.rpcDuration, m.batchSize,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "odoogql_odoo_rpc_in_flight",
			Help: "Odoo calls in flight.",
		}, inFlight),
		&cacheCollector{stats: caches},
		prometheus.NewGoCollector(),
		prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}),
	)
	return m
}

// SharedStats are the counters of the shared (Redis) store.
type SharedStats struct {
	Up                                   bool
	Hits, Misses, Errors, Outages, Bumps int64
}

// WatchShared exposes the shared store's statistics, read at scrape time.
func (m *Metrics) WatchShared(stats func() SharedStats) {
	m.reg.MustRegister(&sharedCollector{stats: stats})
}

type sharedCollector struct{ stats func() SharedStats }

var (
	redisUp      = prometheus.NewDesc("odoogql_redis_up", "1 when the shared Redis store answers, 0 while it is away (the gateway then serves from Odoo and its local cache).", nil, nil)
	redisHits    = prometheus.NewDesc("odoogql_redis_hits_total", "Shared store lookups that found an entry.", nil, nil)
	redisMisses  = prometheus.NewDesc("odoogql_redis_misses_total", "Shared store lookups that found nothing (including while it is away).", nil, nil)
	redisErrors  = prometheus.NewDesc("odoogql_redis_errors_total", "Shared store operations that failed.", nil, nil)
	redisOutages = prometheus.NewDesc("odoogql_redis_outages_total", "Times the shared store went away.", nil, nil)
	redisBumps   = prometheus.NewDesc("odoogql_redis_invalidations_total", "Write invalidations published to the other replicas.", nil, nil)
)

func (c *sharedCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{redisUp, redisHits, redisMisses, redisErrors, redisOutages, redisBumps} {
		ch <- d
	}
}

func (c *sharedCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	up := 0.0
	if s.Up {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(redisUp, prometheus.GaugeValue, up)
	ch <- prometheus.MustNewConstMetric(redisHits, prometheus.CounterValue, float64(s.Hits))
	ch <- prometheus.MustNewConstMetric(redisMisses, prometheus.CounterValue, float64(s.Misses))
	ch <- prometheus.MustNewConstMetric(redisErrors, prometheus.CounterValue, float64(s.Errors))
	ch <- prometheus.MustNewConstMetric(redisOutages, prometheus.CounterValue, float64(s.Outages))
	ch <- prometheus.MustNewConstMetric(redisBumps, prometheus.CounterValue, float64(s.Bumps))
}

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// ObserveCall is an odoo.Config.Observer.
func (m *Metrics) ObserveCall(_ context.Context, c odoo.CallInfo) {
	transport := string(c.Transport)
	if transport == "" {
		transport = string(odoo.TransportXMLRPC)
	}
	m.rpcTotal.WithLabelValues(c.Model, c.Method, transport).Inc()
	m.rpcDuration.WithLabelValues(c.Method, transport).Observe(c.Duration.Seconds())
	if c.Err == nil {
		return
	}
	kind := "transport"
	var f *odoo.Fault
	switch {
	case errors.Is(c.Err, context.Canceled), errors.Is(c.Err, context.DeadlineExceeded):
		kind = "canceled"
	case errors.As(c.Err, &f):
		kind = f.Kind.String()
	}
	m.rpcErrors.WithLabelValues(c.Model, c.Method, kind).Inc()
}

// ObserveBatch is a loaders.Options.OnBatch.
func (m *Metrics) ObserveBatch(model string, keys int) {
	m.batchSize.WithLabelValues(model).Observe(float64(keys))
}

// ObserveRequest records one GraphQL request.
func (m *Metrics) ObserveRequest(operation string, failed bool, d time.Duration) {
	status := "ok"
	if failed {
		status = "error"
	}
	m.httpRequests.WithLabelValues(operation, status).Inc()
	m.httpDuration.WithLabelValues(operation).Observe(d.Seconds())
}

// cacheCollector reads the caches' statistics at scrape time.
type cacheCollector struct {
	stats func() []loaders.CacheStats
}

var (
	cacheHits        = prometheus.NewDesc("odoogql_cache_hits_total", "Cache lookups that found an entry.", []string{"cache"}, nil)
	cacheMisses      = prometheus.NewDesc("odoogql_cache_misses_total", "Cache lookups that found nothing.", []string{"cache"}, nil)
	cacheEvictions   = prometheus.NewDesc("odoogql_cache_evictions_total", "Entries removed to keep the cache within its bounds.", []string{"cache"}, nil)
	cacheExpirations = prometheus.NewDesc("odoogql_cache_expirations_total", "Entries removed because their TTL passed.", []string{"cache"}, nil)
	cacheEntries     = prometheus.NewDesc("odoogql_cache_entries", "Entries in the cache.", []string{"cache"}, nil)
	cacheBytes       = prometheus.NewDesc("odoogql_cache_bytes", "Estimated bytes in the cache.", []string{"cache"}, nil)
	cacheHitRate     = prometheus.NewDesc("odoogql_cache_hit_ratio", "Hits over lookups since start.", []string{"cache"}, nil)
)

func (c *cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{cacheHits, cacheMisses, cacheEvictions, cacheExpirations, cacheEntries, cacheBytes, cacheHitRate} {
		ch <- d
	}
}

func (c *cacheCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.stats() {
		ch <- prometheus.MustNewConstMetric(cacheHits, prometheus.CounterValue, float64(s.Hits), s.Name)
		ch <- prometheus.MustNewConstMetric(cacheMisses, prometheus.CounterValue, float64(s.Misses), s.Name)
		ch <- prometheus.MustNewConstMetric(cacheEvictions, prometheus.CounterValue, float64(s.Evictions), s.Name)
		ch <- prometheus.MustNewConstMetric(cacheExpirations, prometheus.CounterValue, float64(s.Expirations), s.Name)
		ch <- prometheus.MustNewConstMetric(cacheEntries, prometheus.GaugeValue, float64(s.Entries), s.Name)
		ch <- prometheus.MustNewConstMetric(cacheBytes, prometheus.GaugeValue, float64(s.Bytes), s.Name)
		ch <- prometheus.MustNewConstMetric(cacheHitRate, prometheus.GaugeValue, s.HitRate(), s.Name)
	}
}
