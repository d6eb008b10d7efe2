// Package sdl provides a GraphQL schema as SDL (schema definition language)
// from a live endpoint: Fetch sends the standard introspection query,
// FromIntrospection rebuilds the schema from the answer and checks it with
// gqlparser, and Print writes it with gqlparser's formatter, deterministically
// (definitions sorted by name), so that two schemas compare as text.
//
// It backs the odoogql-schema command, and lets tests check that what
// clients see through introspection is the schema that was compiled in.
package sdl
