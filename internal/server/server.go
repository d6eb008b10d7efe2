// Package server provides odoogql's HTTP server: configuration, wiring of
// the Odoo client, engine and gqlgen handler, the routes, and graceful
// shutdown. The module's main package only calls Main.
package server

import (
	"context"
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
	"sync"
	"syscall"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/odoogql/odoogql/graph"
	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/graphiql"
	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// Gateway is a configured odoogql: the Odoo client and the GraphQL handler.
type Gateway struct {
	cfg    Config
	log    *slog.Logger
	client *odoo.Client
	engine *engine.Engine

	mu      sync.Mutex
	uid     int // the service account's uid, once authenticated
	version odoo.Version
	verAt   time.Time
}

// serverMajor returns Odoo's major version, asking Odoo at most once an hour.
func (g *Gateway) serverMajor(ctx context.Context) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.verAt.IsZero() || time.Since(g.verAt) > time.Hour {
		v, err := g.client.Version(ctx)
		if err != nil {
			return 0, err
		}
		g.version, g.verAt = v, time.Now()
	}
	return g.version.Major, nil
}

// New builds a gateway for cfg and the metadata snapshot meta. It does not
// contact Odoo: the service account logs in on first use.
func New(cfg Config, meta *odoo.Metadata, log *slog.Logger) (*Gateway, error) {
	client, err := odoo.NewClient(odoo.Config{
		URL:             cfg.OdooURL,
		DB:              cfg.OdooDB,
		MaxConnsPerHost: cfg.MaxConns,
		Timeout:         cfg.OdooTimeout,
		Logger:          log,
	})
	if err != nil {
		return nil, err
	}
	g := &Gateway{cfg: cfg, log: log, client: client}
	g.engine = engine.New(meta, engine.Options{
		Strategy:     cfg.Strategy,
		ServerMajor:  g.serverMajor,
		DefaultLimit: cfg.DefaultLimit,
		MaxLimit:     cfg.MaxLimit,
		Logger:       log,
	})
	return g, nil
}

// session returns the service account's session, logging in on first use.
func (g *Gateway) session(ctx context.Context) (*odoo.Session, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.uid == 0 {
		uid, err := g.client.Authenticate(ctx, g.cfg.OdooUser, g.cfg.OdooPassword)
		if err != nil {
			return nil, fmt.Errorf("service account: %w", err)
		}
		g.uid = uid
	}
	return g.client.Session(g.uid, g.cfg.OdooPassword), nil
}

// GraphQLHandler returns the gqlgen handler, with explicit transports.
func (g *Gateway) GraphQLHandler() http.Handler {
	srv := handler.New(graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{Engine: g.engine}}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.Use(extension.Introspection{})
	srv.SetErrorPresenter(engine.ErrorPresenter(g.log))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		g.log.ErrorContext(ctx, "resolver panic", slog.Any("panic", p))
		return &engine.Error{Code: engine.CodeInternal, Message: "internal error"}
	})
	build := func(r *http.Request) (*loaders.Loaders, error) {
		s, err := g.session(r.Context())
		if err != nil {
			return nil, err
		}
		return loaders.New(s, loaders.Options{}), nil
	}
	return loaders.Middleware(build, g.writeRequestError)(srv)
}

// writeRequestError answers a request that failed before GraphQL execution
// with a GraphQL error response.
func (g *Gateway) writeRequestError(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := engine.Classify(err)
	status := http.StatusServiceUnavailable
	if code == engine.CodeUnauthenticated {
		status = http.StatusUnauthorized
	}
	g.log.WarnContext(r.Context(), "request rejected", slog.String("code", code), slog.Any("err", err))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{"message": msg, "extensions": map[string]any{"code": code}}},
	})
}

// Handler returns every route: /graphql, GraphiQL at /, and /healthz.
func (g *Gateway) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", g.GraphQLHandler())
	mux.Handle("GET /{$}", graphiql.Handler(graphiql.Config{Title: "odoogql", Endpoint: "/graphql", DefaultQuery: graphiql.DemoQuery}))
	mux.Handle("GET "+graphiql.AssetsPath, graphiql.Assets())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	return mux
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
func Main(args []string, getenv func(string) string, stdout, stderr io.Writer, metadata []byte) int {
	cfg, err := LoadConfig(args, getenv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "odoogql: configuration:", err)
		return 2
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
func Run(ctx context.Context, cfg Config, meta *odoo.Metadata, log *slog.Logger, ready chan<- string) error {
	demoMode := cfg.Demo()
	if demoMode {
		demo := odootest.NewServer()
		defer demo.Close()
		cfg.OdooURL, cfg.OdooDB, cfg.OdooUser, cfg.OdooPassword = demo.URL, demo.DB(), "admin", "admin"
	}
	gw, err := New(cfg, meta, log)
	if err != nil {
		return err
	}
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
		slog.Int("models", len(meta.Models)))
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
