// Package graph provides odoogql's executable GraphQL schema: gqlgen's
// generated executor (generated.go, model/), the generated resolvers
// (resolvers_gen.go) and the hand-written resolver root (resolver.go).
package graph
