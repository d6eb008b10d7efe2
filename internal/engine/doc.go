// Package engine provides the heart of odoogql: it turns the selection set of
// a GraphQL field into a fetch plan, runs the plan against Odoo through the
// request's loaders, and makes the result into the values the GraphQL layer
// writes.
//
// Planning (plan.go) reads only the operation and the schema (each field's
// definition gives its GraphQL type): a plan is plain data. Execution
// (exec.go) fetches it and hands every record to an output (output.go):
// reflectOutput fills gqlgen's generated structs for the compiled schema
// (graph/resolvers_gen.go calls Get, List, Create, CreateMany, Update, Delete
// and Children), liveOutput makes LiveObjects for the live executor
// (internal/live; values.go: Query, CreateValues, UpdateValues). Both
// convert Odoo's values with convertScalar, so both serve the same values.
//
// A query flows one way: GraphQL layer → plan (selection set → fields per
// model and level) → execution (one Odoo call per model and level) →
// loaders → odoo. Round trips dominate, so execution keeps the processors
// busy while calls are in flight: a level's scalars are filled during its
// calls, and the next level's calls start as soon as the reads tell its
// records (nextLevel), before this level's records are attached to their
// parents.
package engine
