//go:build compiled

package main

// -file: the schema compiled into the binary (package graph). Only a build
// with -tags compiled includes it, and compiles graph/generated.go.

import (
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/graph"
)

func init() {
	compiledSchema = func() *ast.Schema { return graph.NewExecutableSchema(graph.Config{}).Schema() }
}
