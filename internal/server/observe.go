package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"sort"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/loaders"
)

// RequestIDHeader carries the request id, in and out.
const RequestIDHeader = "X-Request-ID"

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// withRequestID gives every request an id (the client's X-Request-ID when it
// is sane), returned in the response header and reachable with
// engine.RequestID.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !validRequestID.MatchString(id) {
			id = newRequestID()
		}
		w.Header().Set(RequestIDHeader, id)
		next.ServeHTTP(w, r.WithContext(engine.WithRequestID(r.Context(), id)))
	})
}

// aroundResponses logs one line per GraphQL operation (request id, operation
// type and name, duration, Odoo calls, cache hits, error codes) and records
// the request metrics.
func (g *Gateway) aroundResponses(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	resp := next(ctx)
	d := time.Since(start)
	opType, opName := "none", ""
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		if oc.Operation != nil {
			opType, opName = string(oc.Operation.Operation), oc.Operation.Name
		}
		d = time.Since(oc.Stats.OperationStart)
	}
	var codes []string
	seen := map[string]bool{}
	errs := graphql.GetErrors(ctx)
	if resp != nil {
		errs = append(errs, resp.Errors...)
	}
	for _, e := range errs {
		code, _ := e.Extensions["code"].(string)
		if code != "" && !seen[code] {
			seen[code] = true
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	attrs := []slog.Attr{
		slog.String("request_id", engine.RequestID(ctx)),
		slog.String("operation", opType),
		slog.String("name", opName),
		slog.Duration("duration", d),
	}
	if l := loaders.For(ctx); l != nil {
		st := l.Stats()
		attrs = append(attrs, slog.Int64("odoo_calls", st.OdooCalls), slog.Int64("cache_hits", st.CacheHits))
	}
	if len(codes) > 0 {
		attrs = append(attrs, slog.Any("error_codes", codes))
	}
	g.log.LogAttrs(ctx, slog.LevelInfo, "graphql", attrs...)
	if g.metrics != nil {
		g.metrics.ObserveRequest(opType, len(errs) > 0, d)
	}
	return resp
}

// readyz reports whether Odoo answers and the metadata is loaded.
func (g *Gateway) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if _, err := g.client.Version(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("not ready: Odoo is unreachable\n"))
		return
	}
	if !g.warm.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("not ready: metadata not loaded yet\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}
