package graph

// This file is not generated: it is the resolver root, where dependencies are
// injected. The resolver methods are generated into resolvers_gen.go by
// odoogql-gen; each is one call into internal/engine.

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"github.com/odoogql/odoogql/graph/model"
	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/loaders"
)

// Resolver is the root of odoogql's resolvers.
type Resolver struct {
	Engine *engine.Engine
	Meta   *loaders.Meta
}

// NewCompiled returns the compiled executable schema over the engine and
// the metadata cache, with cached as the @cached directive and odooContext
// as @context: the gateway's compiled mode (internal/server's Compiled).
func NewCompiled(e *engine.Engine, meta *loaders.Meta, cached func(ctx context.Context, next graphql.Resolver, ttl int) (any, error),
	odooContext func(ctx context.Context, next graphql.Resolver, lang, tz *string, companies []string) (any, error)) graphql.ExecutableSchema {
	cfg := Config{Resolvers: &Resolver{Engine: e, Meta: meta}}
	cfg.Directives.Cached = func(ctx context.Context, _ any, next graphql.Resolver, ttl int) (any, error) {
		return cached(ctx, next, ttl)
	}
	cfg.Directives.Context = func(ctx context.Context, _ any, next graphql.Resolver, lang, tz *string, companies []string) (any, error) {
		return odooContext(ctx, next, lang, tz, companies)
	}
	return NewExecutableSchema(cfg)
}

// nodeOf returns a record fetched by node(nodeId) as the Node interface:
// nil (no typed nil) when there is none.
func nodeOf[T any, P interface {
	*T
	model.Node
}](v P, err error) (model.Node, error) {
	if v == nil || err != nil {
		return nil, err
	}
	return v, nil
}
