package main

// The generation pipeline, in order: metadata.json (a snapshot of Odoo's
// model metadata, see "go run ./cmd/odoogql-gen fetch") and generate.yml →
// schema.graphqls, gqlgen.yml, graph/resolvers_gen.go → gqlgen →
// graph/generated.go, graph/model/models_gen.go.

//go:generate go run ./cmd/odoogql-gen generate -config generate.yml
