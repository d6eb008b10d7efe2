package main

// The tests run both schemas: they register the compiled one whatever the
// build tags (compiled.go does in a binary built with -tags compiled).

import (
	"github.com/odoogql/odoogql/graph"
	"github.com/odoogql/odoogql/internal/server"
)

func init() {
	server.RegisterCompiled(server.Compiled{ExposedFields: graph.ExposedFields, New: graph.NewCompiled})
}
