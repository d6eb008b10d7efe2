package graph

// This file is not generated: it is the resolver root, where dependencies are
// injected. The resolver methods are generated into resolvers_gen.go by
// odoogql-gen; each is one call into internal/engine.

import (
	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/loaders"
)

// Resolver is the root of odoogql's resolvers.
type Resolver struct {
	Engine *engine.Engine
	Meta   *loaders.Meta
}
