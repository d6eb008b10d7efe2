// Command odoogql-gen generates odoogql's GraphQL API from Odoo metadata.
//
//	odoogql-gen [generate]   read generate.yml and its metadata snapshot, write
//	                         schema.graphqls, gqlgen.yml and graph/resolvers_gen.go,
//	                         then run gqlgen (graph/generated.go, graph/model)
//	odoogql-gen fetch ...    read a metadata snapshot from a live Odoo (models
//	                         Odoo refuses are skipped with a warning)
//	odoogql-gen scale ...    write a larger snapshot for generator benchmarks
//	odoogql-gen help         print the usage of every command
//
// An unknown command, flag or argument prints that usage and exits 2.
// "go generate ./..." runs the first form (see generate.go at the module root).
package main

import (
	"os"

	"github.com/odoogql/odoogql/internal/gencmd"
)

func main() {
	os.Exit(gencmd.Main(os.Args[1:], os.Stdout, os.Stderr))
}
