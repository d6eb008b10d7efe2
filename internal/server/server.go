// Package server provides odoogql's HTTP server: configuration, wiring of
// the Odoo client, engine and gqlgen handler, the routes, and graceful
// shutdown. The module's main package only calls Main.
package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/graphiql"
	"github.com/odoogql/odoogql/internal/metrics"
	"github.com/odoogql/odoogql/internal/redisstore"
	"github.com/odoogql/odoogql/internal/schemagen"
	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// Gateway is a configured odoogql: the Odoo client, the caches shared by all
// requests, and the schema it serves (with its engine and GraphQL handler),
// which live mode rebuilds from fresh metadata and swaps without a restart
// (reload.go).
type Gateway struct {
	cfg     Config
	log     *slog.Logger
	client  *odoo.Client
	meta    *loaders.Meta
	logins  *loaders.Logins
	records *loaders.RecordCache
	caches  []*loaders.Cache
	metrics *metrics.Metrics
	warm    atomic.Bool
	// transportSet is true once the transport is settled: from the start
	// when ODOOGQL_TRANSPORT names one, after the first successful
	// detection with auto (chooseTransport).
	transportSet atomic.Bool

	shared     *redisstore.Store // the record cache's second level; nil without Redis
	stopShared context.CancelFunc

	compiled *Compiled      // compiled mode; nil in live mode
	snap     *odoo.Metadata // the snapshot New was given; nil: the connected Odoo's catalogue
	rules    schemagen.Config
	state    atomic.Pointer[schemaState] // the schema served now; nil until first loaded
	reload   reloader

	ctx    context.Context // ends with Close: background reloads
	cancel context.CancelFunc
	bg     sync.WaitGroup
}

// New builds a gateway for cfg. With the metadata snapshot meta it serves
// the schema of that snapshot (the embedded demo, compiled mode); with meta
// nil (live mode only) it serves the connected Odoo's own models, read from
// its catalogue by Warm or Maintain (until then /graphql answers
// ODOO_UNAVAILABLE and /readyz 503). It does not contact Odoo: the service
// account logs in on first use (or in Warm).
func New(cfg Config, meta *odoo.Metadata, log *slog.Logger) (*Gateway, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	g := &Gateway{cfg: cfg, log: log, snap: meta, rules: liveRules(cfg)}
	g.ctx, g.cancel = context.WithCancel(context.Background())
	transport := odoo.TransportXMLRPC // auto starts there and settles in Warm
	if cfg.Transport == string(odoo.TransportJSON2) {
		transport = odoo.TransportJSON2
	}
	client, err := odoo.NewClient(odoo.Config{
		URL:              cfg.OdooURL,
		DB:               cfg.OdooDB,
		Transport:        transport,
		MaxConnsPerHost:  cfg.MaxConns,
		MaxResponseBytes: 64 << 20,
		Timeout:          cfg.OdooTimeout,
		Logger:           log,
		Observer: func(ctx context.Context, c odoo.CallInfo) {
			loaders.CountCall(ctx)
			g.metrics.ObserveCall(ctx, c)
		},
	})
	if err != nil {
		return nil, err
	}
	if cfg.Schema == SchemaCompiled {
		if g.compiled, err = compiledMode(); err != nil {
			return nil, err
		}
		if meta == nil {
			return nil, errors.New("compiled mode serves the committed snapshot: New needs its metadata")
		}
	}
	metaCache := loaders.NewCache("metadata", 0, 10000, 64<<20)
	loginCache := loaders.NewCache("logins", cfg.LoginTTL, 10000, 0)
	recordCache := loaders.NewCache("records", cfg.CacheTTL, cfg.CacheMaxEntries, cfg.CacheMaxBytes)
	g.client = client
	g.meta = loaders.NewMeta(client, metaCache, cfg.MetadataTTL, log)
	g.meta.SetService(g.session) // reads the access rules for every user's odooModels rights
	g.logins = loaders.NewLogins(client, loginCache, cfg.LoginTTL)
	g.records = loaders.NewRecordCache(recordCache, nil)
	g.caches = []*loaders.Cache{metaCache, loginCache, recordCache}
	g.metrics = metrics.New(g.CacheStats, func() float64 { return float64(client.Stats().InFlight) })
	if meta != nil {
		st, err := g.buildState(meta)
		if err != nil {
			return nil, fmt.Errorf("live schema: %w", err)
		}
		st.version = 1
		g.swap(st)
	}
	if err := g.shareRecords(cfg.RedisURL); err != nil {
		return nil, err
	}
	return g, nil
}

// exposedOnly returns meta restricted to the fields the schema exposes:
// the record cache invalidates along relations a client can read, not along
// Odoo's technical ones (chatter followers point every model at res.partner).
func exposedOnly(meta *odoo.Metadata, exposed map[string]map[string]bool) *odoo.Metadata {
	out := &odoo.Metadata{ServerVersion: meta.ServerVersion}
	for _, m := range meta.Models {
		keep := exposed[m.Model]
		cp := odoo.Model{Model: m.Model, Name: m.Name, Transient: m.Transient, Fields: map[string]odoo.Field{}}
		for name, f := range m.Fields {
			if keep == nil || keep[name] {
				cp.Fields[name] = f
			}
		}
		out.Models = append(out.Models, cp)
	}
	out.Sort()
	return out
}

// CacheStats returns the statistics of the gateway's caches.
func (g *Gateway) CacheStats() []loaders.CacheStats {
	out := make([]loaders.CacheStats, len(g.caches))
	for i, c := range g.caches {
		out[i] = c.Stats()
	}
	return out
}

// shareRecords puts Redis under the record cache when redisURL is set. The
// gateway starts even when Redis does not answer: the store comes up by
// itself.
func (g *Gateway) shareRecords(redisURL string) error {
	if redisURL == "" {
		return nil
	}
	opt, err := redisstore.ParseURL(redisURL)
	if err != nil {
		return fmt.Errorf("ODOOGQL_REDIS_URL: %w", err)
	}
	opt.Logger = g.log
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	store, err := redisstore.New(ctx, opt)
	if err != nil {
		return err
	}
	sub, stop := context.WithCancel(context.Background())
	g.shared, g.stopShared = store, stop
	g.records.SetShared(sub, store)
	g.meta.SetCatalogueStore(store) // a second replica starts from the first one's catalogue
	g.metrics.WatchShared(func() metrics.SharedStats {
		st := store.Stats()
		return metrics.SharedStats{Up: st.Up, Hits: st.Hits, Misses: st.Misses, Errors: st.Errors, Outages: st.Outages, Bumps: st.Bumps}
	})
	return nil
}

// Shared returns the record cache's Redis store, nil without Redis.
func (g *Gateway) Shared() *redisstore.Store { return g.shared }

// Close stops what the gateway runs in the background (the Redis
// subscription) and closes its Redis connections. It is safe to call more
// than once.
func (g *Gateway) Close() error {
	g.cancel()
	g.bg.Wait()
	if g.shared == nil {
		return nil
	}
	g.stopShared()
	return g.shared.Close()
}

// Client returns the gateway's Odoo client.
func (g *Gateway) Client() *odoo.Client { return g.client }

// session returns the service account's session (its login is cached).
func (g *Gateway) session(ctx context.Context) (*odoo.Session, error) {
	uid, err := g.logins.Authenticate(ctx, g.cfg.OdooUser, g.cfg.OdooPassword)
	if err != nil {
		return nil, fmt.Errorf("service account: %w", err)
	}
	return g.client.Session(uid, g.cfg.OdooPassword), nil
}

// errNoCredentials is a request without credentials when anonymous requests
// are not allowed.
var errNoCredentials = &engine.Error{Code: engine.CodeUnauthenticated, Message: "authentication required: send Authorization: Basic base64(login:password), Bearer login:api-key, or Bearer api-key (JSON-2)"}

// errKeyNeedsJSON2 is a bare "Bearer <api-key>" while the gateway talks
// XML-RPC, whose login call needs the login too.
var errKeyNeedsJSON2 = &engine.Error{Code: engine.CodeUnauthenticated, Message: "an API key without a login (Bearer api-key) needs the JSON-2 transport (Odoo 19 and later); over XML-RPC send Bearer login:api-key"}

// errBadCredentials never says which part was wrong.
var errBadCredentials = &engine.Error{Code: engine.CodeUnauthenticated, Message: "authentication failed"}

// requestSession returns the Odoo session a request runs as: the user of its
// credentials, or the service account when it has none and the operator
// allows that.
func (g *Gateway) requestSession(r *http.Request) (*odoo.Session, error) {
	login, password, ok, err := credentials(r.Header.Get("Authorization"))
	if err != nil {
		return nil, err
	}
	if !ok {
		if !g.cfg.AllowAnonymous {
			return nil, errNoCredentials
		}
		return g.session(r.Context())
	}
	if login == "" && g.client.Transport() != odoo.TransportJSON2 {
		return nil, errKeyNeedsJSON2
	}
	uid, err := g.logins.Authenticate(r.Context(), login, password)
	if err != nil {
		if errors.Is(err, odoo.ErrAuthentication) {
			return nil, errBadCredentials
		}
		return nil, err
	}
	return g.client.Session(uid, password), nil
}

// credentials reads "Basic base64(login:password)", "Bearer
// login:api-key" (an Odoo API key stands in for the password) or "Bearer
// api-key" (login "": JSON-2 only, where the key alone is the identity).
func credentials(header string) (login, password string, ok bool, err error) {
	if header == "" {
		return "", "", false, nil
	}
	scheme, rest, _ := strings.Cut(header, " ")
	rest = strings.TrimSpace(rest)
	var pair string
	switch strings.ToLower(scheme) {
	case "basic":
		b, derr := base64.StdEncoding.DecodeString(rest)
		if derr != nil {
			return "", "", false, errBadCredentials
		}
		pair = string(b)
	case "bearer":
		pair = rest
	default:
		return "", "", false, errBadCredentials
	}
	login, password, found := strings.Cut(pair, ":")
	if !found && strings.EqualFold(scheme, "bearer") && pair != "" {
		return "", pair, true, nil // an API key alone
	}
	if !found || login == "" || password == "" {
		return "", "", false, errBadCredentials
	}
	return login, password, true, nil
}

// Warm loads what the first query needs into the caches: in live mode
// without a snapshot, the schema first (the connected Odoo's catalogue, see
// Reload), then the server version and the access rules of the exposed
// models; with a snapshot, the version, the access rules and the fields_get
// of every model of the snapshot, which it compares with the snapshot
// (checkDrift). The gateway is ready (/readyz) once Warm succeeded.
func (g *Gateway) Warm(ctx context.Context) error {
	if err := g.chooseTransport(ctx); err != nil {
		return err
	}
	if g.snap == nil && g.state.Load() == nil {
		if err := g.rebuild(ctx, g.cfg.MetadataTTL, "start-up"); err != nil {
			return err
		}
	}
	st := g.state.Load()
	s, err := g.session(ctx)
	if err != nil {
		return err
	}
	var attrs []string // the catalogue has the fields
	if g.snap != nil {
		attrs = metadataAttributes
	}
	if err := g.meta.Warm(ctx, s, st.models, attrs); err != nil {
		// A model the live Odoo lacks is drift, not a failure to warm up.
		if !isMissingModel(err) {
			return err
		}
	}
	if g.snap != nil {
		g.checkDrift(ctx, s, st)
	}
	g.warm.Store(true)
	return nil
}

// isMissingModel reports whether err is only Odoo saying a model does not
// exist ("Object x doesn't exist").
func isMissingModel(err error) bool {
	var f *odoo.Fault
	if !errors.As(err, &f) {
		return false
	}
	var je interface{ Unwrap() []error }
	if errors.As(err, &je) {
		for _, e := range je.Unwrap() {
			if !errors.As(e, &f) || !strings.Contains(f.Message, "doesn't exist") {
				return false
			}
		}
		return true
	}
	return strings.Contains(f.Message, "doesn't exist")
}

// checkDrift compares the live fields_get of every exposed model (from the
// metadata cache) with the snapshot the schema was compiled from, logs one
// report when they differ, and tells the engine.
func (g *Gateway) checkDrift(ctx context.Context, s *odoo.Session, st *schemaState) *engine.Drift {
	d := &engine.Drift{}
	for i := range st.meta.Models {
		m := &st.meta.Models[i]
		live, err := g.meta.FieldsGet(ctx, s, m.Model, metadataAttributes)
		switch {
		case err == nil:
			d.CompareFields(m, live)
		case isMissingModel(err):
			d.CompareFields(m, nil)
		default:
			g.log.Warn("schema drift check incomplete", slog.String("model", m.Model), slog.Any("err", err))
		}
	}
	if !d.Empty() {
		g.log.Warn("schema drift: the connected Odoo differs from the compiled schema; queries touching these parts fail with ODOO_SCHEMA_DRIFT",
			slog.Int("missing_models", len(d.MissingModels)), slog.Int("fields", len(d.Fields)), slog.String("report", d.String()))
	}
	st.engine.SetDrift(d)
	return d
}

// Maintain keeps the metadata warm: it warms up now, retrying with backoff
// while Odoo is unreachable, then every metadata TTL, until ctx is done. In
// live mode without a snapshot, each TTL also rebuilds the schema from the
// catalogue (Reload's rebuild, from a catalogue at most one TTL old).
func (g *Gateway) Maintain(ctx context.Context) {
	backoff := time.Second
	loaded := false
	for {
		start := time.Now()
		wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		var err error
		if g.snap == nil && loaded {
			err = g.rebuild(wctx, g.cfg.MetadataTTL, "metadata TTL")
		}
		if err == nil {
			err = g.Warm(wctx)
		}
		cancel()
		wait := g.cfg.MetadataTTL
		if err != nil {
			g.log.Warn("metadata warm-up failed; retrying", slog.Any("err", err), slog.Duration("retry_in", backoff))
			wait, backoff = backoff, min(backoff*2, 30*time.Second)
		} else {
			n := 0
			if st := g.state.Load(); st != nil {
				n = len(st.models)
			}
			g.log.Info("metadata cache warm", slog.Int("models", n), slog.Duration("took", time.Since(start)))
			loaded = true
			backoff = time.Second
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// metadataAttributes are the fields_get attributes the gateway keeps.
var metadataAttributes = []string{"string", "type", "relation", "required", "readonly", "store", "searchable", "sortable", "selection"}

// ExecutableSchema returns the executable schema of the schema served now.
func (g *Gateway) ExecutableSchema() (graphql.ExecutableSchema, error) {
	st := g.state.Load()
	if st == nil {
		return nil, errors.New("the schema is not loaded yet (Odoo unreachable?)")
	}
	return g.executable(st)
}

// executable returns the executable schema of st.
func (g *Gateway) executable(st *schemaState) (graphql.ExecutableSchema, error) {
	if g.compiled != nil {
		cached := func(ctx context.Context, next graphql.Resolver, ttl int) (any, error) {
			if ttl < 0 {
				return nil, &engine.Error{Code: engine.CodeBadUserInput, Message: fmt.Sprintf("@cached(ttl: %d): ttl must not be negative", ttl)}
			}
			return next(loaders.WithCacheTTL(ctx, time.Duration(ttl)*time.Second))
		}
		return g.compiled.New(st.engine, g.meta, cached, g.compiledContextDirective), nil
	}
	return st.live.executable(st.engine, func(ctx context.Context, models []string) (map[string]loaders.Access, error) {
		l := loaders.For(ctx)
		if l == nil {
			return nil, errors.New("graph: no loaders or metadata cache")
		}
		return g.meta.Rights(ctx, l.Session(), models)
	}, g.liveContextDirective)
}

// GraphQLHandler returns the GraphQL handler: each request is served by the
// handler of the schema served when it arrives (and finishes on it, even if
// a reload swaps the schema meanwhile). Before the first schema is loaded it
// answers 503 ODOO_UNAVAILABLE.
func (g *Gateway) GraphQLHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := g.state.Load()
		if st == nil {
			writeError(w, http.StatusServiceUnavailable, engine.CodeUnavailable,
				"the schema is not loaded yet: Odoo is unavailable (retrying)", engine.RequestID(r.Context()))
			return
		}
		st.handler.ServeHTTP(w, r)
	})
}

// graphQLHandler serves es (either mode), the schema of st, with the
// gateway's handler stack: transports, caches, limits, validation, errors,
// CSRF, request scope. Its parsed-query and APQ caches are its own: a
// reloaded schema starts with empty ones.
func (g *Gateway) graphQLHandler(es graphql.ExecutableSchema, st *schemaState) http.Handler {
	srv := handler.New(es)
	// protocol.go, transport.go: GET (queries only) and POST (one operation
	// or a batch), writing the data as it is; other methods and media types
	// are answered by checkProtocol.
	srv.AddTransport(getTransport{})
	srv.AddTransport(postTransport{maxBatch: g.cfg.MaxBatch, perOperation: g.freshLoaders})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.Use(documentLimits{maxTokens: g.cfg.MaxTokens, maxFragments: g.cfg.MaxFragments}) // after APQ, which may fill in the query
	// Validation in time linear in the query (validation.go); no "Did you
	// mean" when introspection is off.
	srv.SetValidationRulesFn(validationRules(g.cfg.NoIntrospection))
	srv.SetDisableSuggestion(g.cfg.NoIntrospection)
	if !g.cfg.NoIntrospection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(engine.Limits{
		MaxDepth: g.cfg.MaxDepth, MaxComplexity: g.cfg.MaxComplexity,
		MaxRootFields: g.cfg.MaxRootFields, MaxAliases: g.cfg.MaxAliases,
		DefaultLimit: g.cfg.DefaultLimit, MaxLimit: g.cfg.MaxLimit, X2ManyEstimate: 10,
	})
	present := engine.ErrorPresenter(g.log)
	srv.SetErrorPresenter(func(ctx context.Context, err error) *gqlerror.Error {
		g.noticeDrift(st, err) // a field Odoo no longer has: reload
		return present(ctx, err)
	})
	srv.AroundResponses(g.aroundResponses)
	srv.AroundRootFields(engine.JoinRootFields) // a query's root fields run as one plan
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		g.log.ErrorContext(ctx, "resolver panic", slog.Any("panic", p))
		return &engine.Error{Code: engine.CodeInternal, Message: "internal error"}
	})
	build := func(r *http.Request) (*loaders.Loaders, error) {
		s, err := g.requestSession(r)
		if err != nil {
			return nil, err
		}
		s = g.requestContext(r, s) // Accept-Language (odoocontext.go)
		return g.newLoaders(s), nil
	}
	requestScope := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !g.readBody(w, r) {
				return
			}
			// Answers are in the language of Accept-Language (odoocontext.go).
			w.Header().Add("Vary", "Accept-Language")
			ctx := loaders.WithCacheTTL(r.Context(), g.cfg.CacheTTL)
			if g.cfg.RequestTimeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, g.cfg.RequestTimeout)
				defer cancel()
				ctx = engine.WithRequestTimeout(ctx, g.cfg.RequestTimeout)
			}
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
	return checkProtocol(preventCSRF(requestScope(loaders.Middleware(build, g.writeRequestError)(srv))))
}

// newLoaders returns the loaders of one operation that runs as s.
func (g *Gateway) newLoaders(s *odoo.Session) *loaders.Loaders {
	return loaders.New(s, loaders.Options{Records: g.records, OnBatch: g.metrics.ObserveBatch})
}

// freshLoaders returns ctx with loaders of its own for one operation of a
// batch, as the same user: its own Odoo calls, statistics and per-request
// caches (a read after a mutation of the same batch sees the write).
func (g *Gateway) freshLoaders(ctx context.Context) context.Context {
	l := loaders.For(ctx)
	if l == nil {
		return ctx
	}
	return loaders.NewContext(ctx, g.newLoaders(l.Session()))
}

// readBody reads a request body of at most MaxBodyBytes into memory, or
// answers 413 naming the limit and returns false.
func (g *Gateway) readBody(w http.ResponseWriter, r *http.Request) bool {
	if r.Body == nil || g.cfg.MaxBodyBytes <= 0 {
		return true
	}
	tooLarge := func() bool {
		writeError(w, http.StatusRequestEntityTooLarge, engine.CodeBadUserInput,
			fmt.Sprintf("request body exceeds the limit of %d bytes (ODOOGQL_MAX_BODY_BYTES)", g.cfg.MaxBodyBytes), engine.RequestID(r.Context()))
		return false
	}
	if r.ContentLength > g.cfg.MaxBodyBytes {
		return tooLarge()
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, g.cfg.MaxBodyBytes+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, engine.CodeBadUserInput, "could not read the request body", engine.RequestID(r.Context()))
		return false
	}
	if int64(len(body)) > g.cfg.MaxBodyBytes {
		return tooLarge()
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return true
}

// writeError answers with a GraphQL error response.
func writeError(w http.ResponseWriter, status int, code, msg, requestID string) {
	ext := map[string]any{"code": code}
	if requestID != "" {
		ext["requestId"] = requestID
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{"message": msg, "extensions": ext}}})
}

// writeRequestError answers a request that failed before GraphQL execution
// with a GraphQL error response.
func (g *Gateway) writeRequestError(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := engine.Classify(err)
	status := http.StatusServiceUnavailable
	if code == engine.CodeUnauthenticated {
		status = http.StatusUnauthorized
	}
	g.log.WarnContext(r.Context(), "request rejected", slog.String("request_id", engine.RequestID(r.Context())), slog.String("code", code), slog.Any("err", err))
	writeError(w, status, code, msg, engine.RequestID(r.Context()))
}

// Handler returns every route: /graphql, GraphiQL at /, and /healthz.
func (g *Gateway) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", withGzip(g.GraphQLHandler()))
	if !g.cfg.NoIntrospection {
		mux.Handle("GET /{$}", graphiql.Handler(graphiql.Config{Title: "odoogql", Endpoint: "/graphql", DefaultQuery: graphiql.DemoQuery}))
		mux.Handle("GET "+graphiql.AssetsPath, graphiql.Assets())
	}
	mux.Handle("GET /metrics", g.metrics.Handler())
	mux.HandleFunc("GET /readyz", g.readyz)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	return withRequestID(withCORS(g.cfg.CORSOrigins, mux))
}

// ParseMetadata decodes a metadata snapshot (metadata.json).
func ParseMetadata(raw []byte) (*odoo.Metadata, error) {
	var meta odoo.Metadata
	if err := json.Unmarshal(raw, &meta); err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	meta.Sort()
	return &meta, nil
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// Main runs the gateway until SIGINT or SIGTERM and returns the exit code.
// metadata is the snapshot (metadata.json) and exposure the rules of what it
// exposes (generate.yml), which live mode builds its schema with.
func Main(args []string, getenv func(string) string, stdout, stderr io.Writer, metadata, exposure []byte) int {
	cfg, err := LoadConfig(args, getenv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "odoogql: configuration:", err)
		return 2
	}
	if len(exposure) > 0 && cfg.Exposure == nil && cfg.Demo() {
		// The demo serves the snapshot with its own rules; a real Odoo is
		// served with ODOOGQL_CONFIG's or ODOOGQL_MODELS' rules, or the
		// defaults.
		rules, err := schemagen.ParseConfig(exposure)
		if err != nil {
			fmt.Fprintln(stderr, "odoogql:", err)
			return 2
		}
		cfg.Exposure = &rules
		if err := withMethods(&cfg); err != nil {
			fmt.Fprintln(stderr, "odoogql: configuration:", err)
			return 2
		}
	}
	log := newLogger(cfg, stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	meta, err := ParseMetadata(metadata)
	if err != nil {
		fmt.Fprintln(stderr, "odoogql:", err)
		return 1
	}
	if err := Run(ctx, cfg, meta, log, nil); err != nil {
		log.Error("odoogql stopped", slog.Any("err", err))
		return 1
	}
	return 0
}

// Run serves until ctx is done, then shuts down gracefully. When ready is not
// nil it receives the listening address once the server accepts requests.
// meta is the snapshot the embedded demo and compiled mode serve; live mode
// in front of a real Odoo (ODOO_URL) reads that Odoo's catalogue instead.
// SIGHUP reloads the schema (Reload).
func Run(ctx context.Context, cfg Config, meta *odoo.Metadata, log *slog.Logger, ready chan<- string) error {
	demoMode := cfg.Demo()
	if demoMode {
		demo := odootest.NewServer()
		defer demo.Close()
		cfg.OdooURL, cfg.OdooDB, cfg.OdooUser, cfg.OdooPassword = demo.URL, demo.DB(), "admin", "admin"
	} else if cfg.Schema == SchemaLive {
		meta = nil // the connected Odoo's own models
	}
	gw, err := New(cfg, meta, log)
	if err != nil {
		return err
	}
	defer gw.Close()
	go gw.Maintain(ctx)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
				_ = gw.Reload(rctx, "SIGHUP") // logged
				cancel()
			}
		}
	}()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           gw.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	odooDesc := cfg.OdooURL
	if demoMode {
		odooDesc = "embedded demo Odoo (" + cfg.OdooURL + ")"
	}
	log.Info("odoogql listening",
		slog.String("addr", "http://"+ln.Addr().String()),
		slog.String("odoo", odooDesc),
		slog.String("db", cfg.OdooDB),
		slog.Bool("demo", demoMode),
		slog.String("schema", cfg.Schema.String()),
		slog.Bool("catalogue", meta == nil))
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	log.Info("odoogql shutting down")
	return srv.Shutdown(shutdown)
}

// chooseTransport settles the transport once, on the first warm-up that
// reaches Odoo, and logs one line saying which and why. With
// ODOOGQL_TRANSPORT=auto: JSON-2 when Odoo serves no XML-RPC (Odoo 22, Odoo
// Online 21.1), or when it is 19 or later and ODOO_PASSWORD is an API key
// JSON-2 accepts; XML-RPC otherwise. A failure to reach Odoo leaves it
// unsettled (Maintain retries).
func (g *Gateway) chooseTransport(ctx context.Context) error {
	if g.transportSet.Load() {
		return nil
	}
	t, why := g.client.Transport(), "ODOOGQL_TRANSPORT="+g.cfg.Transport
	if g.cfg.Transport == TransportAuto || g.cfg.Transport == "" {
		var uid int
		var err error
		if t, why, uid, err = g.detectTransport(ctx); err != nil {
			return err
		}
		if err := g.client.SetTransport(t); err != nil {
			return err
		}
		if uid > 0 { // the probe was the service account's JSON-2 login
			g.logins.Remember(g.cfg.OdooUser, g.cfg.OdooPassword, uid)
		}
	} else if t == odoo.TransportJSON2 {
		v, err := g.meta.Version(ctx)
		if err != nil {
			return err
		}
		if v.Major < 19 {
			return fmt.Errorf("ODOOGQL_TRANSPORT=json2, but Odoo %s has no JSON-2 API (19.0 and later): use xmlrpc or auto", v.ServerVersion)
		}
	}
	g.transportSet.Store(true)
	g.log.Info("odoo transport", slog.String("transport", string(t)), slog.String("why", why))
	return nil
}

// detectTransport is ODOOGQL_TRANSPORT=auto's choice (chooseTransport),
// with the service account's uid when the JSON-2 probe found it.
func (g *Gateway) detectTransport(ctx context.Context) (odoo.Transport, string, int, error) {
	v, err := g.meta.Version(ctx)
	var te *odoo.TransportError
	if errors.As(err, &te) && te.StatusCode == http.StatusNotFound {
		return odoo.TransportJSON2, "Odoo serves no XML-RPC (HTTP 404 on /xmlrpc/2/common): JSON-2 replaces it from Odoo 22 and Odoo Online 21.1", 0, nil
	}
	if err != nil {
		return "", "", 0, err
	}
	if v.Major < 19 {
		return odoo.TransportXMLRPC, fmt.Sprintf("Odoo %s has no JSON-2 API (19.0 and later)", v.ServerVersion), 0, nil
	}
	uid, err := g.client.KeyUID(ctx, g.cfg.OdooPassword)
	switch {
	case err == nil:
		return odoo.TransportJSON2, fmt.Sprintf("Odoo %s serves JSON-2 and ODOO_PASSWORD is an API key", v.ServerVersion), uid, nil
	case errors.Is(err, odoo.ErrAuthentication):
		return odoo.TransportXMLRPC, fmt.Sprintf("Odoo %s serves JSON-2, but ODOO_PASSWORD is not an API key it accepts (JSON-2 takes API keys only); XML-RPC until it is, which Odoo removes in 22 and Online 21.1", v.ServerVersion), 0, nil
	case errors.As(err, &te) && te.StatusCode == http.StatusNotFound:
		return odoo.TransportXMLRPC, fmt.Sprintf("Odoo %s answers HTTP 404 on /json/2 (the rpc module is not installed?)", v.ServerVersion), 0, nil
	}
	return "", "", 0, fmt.Errorf("probing JSON-2: %w", err)
}
