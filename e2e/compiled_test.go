package e2e

// The client tests run both schemas: they register the compiled one (package
// graph), which a default build of the gateway leaves out.

import (
	"github.com/odoogql/odoogql/graph"
	"github.com/odoogql/odoogql/internal/server"
)

func init() {
	server.RegisterCompiled(server.Compiled{ExposedFields: graph.ExposedFields, New: graph.NewCompiled})
}
