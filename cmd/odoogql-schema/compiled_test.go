package main

// The tests cover -file whatever the build tags: they set the compiled
// schema themselves (compiled.go does in a build with -tags compiled).

import (
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/graph"
)

func init() {
	compiledSchema = func() *ast.Schema { return graph.NewExecutableSchema(graph.Config{}).Schema() }
}
