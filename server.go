// Command odoogql is a GraphQL API gateway for Odoo. With no ODOO_URL it
// serves an embedded demo Odoo, so GraphiQL at http://localhost:8080/ works
// at once. See README.md for the configuration.
package main

import (
	_ "embed"
	"os"

	"github.com/odoogql/odoogql/internal/server"
)

// metadataJSON is the snapshot the schema was generated from.
//
//go:embed metadata.json
var metadataJSON []byte

// generateYML are the rules of what the snapshot exposes (go generate's, and
// the live schema's).
//
//go:embed generate.yml
var generateYML []byte

func main() {
	os.Exit(server.Main(os.Args[1:], os.Getenv, os.Stdout, os.Stderr, metadataJSON, generateYML))
}
