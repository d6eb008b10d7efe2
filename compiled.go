//go:build compiled

package main

// The compiled mode (ODOOGQL_SCHEMA=compiled): gqlgen's generated schema of
// the committed snapshot, package graph. Only a binary built with
// "-tags compiled" includes it (and compiles graph/generated.go); the
// default build serves the live schema alone.

import (
	"github.com/odoogql/odoogql/graph"
	"github.com/odoogql/odoogql/internal/server"
)

func init() {
	server.RegisterCompiled(server.Compiled{ExposedFields: graph.ExposedFields, New: graph.NewCompiled})
}
