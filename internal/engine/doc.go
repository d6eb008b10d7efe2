// Package engine provides the heart of odoogql: it turns the selection set of
// a GraphQL field into a fetch plan, runs the plan against Odoo through the
// request's loaders, and fills gqlgen's generated model structs with the
// result. The generated resolvers (graph/resolvers_gen.go) are one call each
// into Get, List, Create, CreateMany, Update, Delete and Children.
//
// A query flows one way: gqlgen → plan (selection set → fields per model and
// level) → execution (one Odoo call per model and level) → loaders → odoo.
package engine
