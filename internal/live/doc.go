// Package live provides a run-time GraphQL executor over a gqlparser
// *ast.Schema: the core of odoogql's "live schema" mode (issue 10), where the
// schema is built at start-up from the connected Odoo's metadata instead of
// being compiled by gqlgen.
//
// ExecutableSchema implements gqlgen's graphql.ExecutableSchema, so it is
// served by the same handler stack as the compiled mode (handler.New:
// transports, APQ, query cache, extensions, validation). Its Exec writes the
// response's data JSON straight into one buffer, with gqlgen's own scalar
// marshalers, so that both modes answer byte for byte the same.
//
// The work is split in two, as in graphql-js:
//
//   - Planning (plan.go): collectFields groups an operation's selections per
//     object type into a Plan, a plain-data DAG of Fields. Fragment spreads are
//     expanded once per (fragment, type) and sub-plans are shared by key, so
//     the plan's size is linear in the document's even for fragment bombs.
//     A plan depends only on the document, the operation and the values of
//     the variables used by @include/@skip, and is cached on that key.
//   - Execution (execute.go): executeFields walks a Plan over already
//     fetched values (Record maps, Objects, lists) and completeValue writes
//     each value according to its type's kind: leaf (scalar, enum), object,
//     abstract (interface, union), list. A null in a non-null position is
//     reported once with its response path and bubbles up to the nearest
//     nullable parent by truncating the buffer back to where that parent
//     began. A long list (256 items or more: the records of a large page)
//     is written in parts, one per core, concurrently (parallel.go); the
//     parts report nothing and call no resolver, and at the first error,
//     null in a non-null position or resolver they meet the list is written
//     again in sequence, so the bytes and the errors are the sequential
//     ones.
//
// Arguments are coerced as gqlgen's generated code coerces them
// (CoerceArguments: the schema's scalars' unmarshalers, enums, input
// objects, lists), with the same errors at the same paths; a Resolver gets
// them in FieldInfo.Arguments, and, for a root field, every root field of
// the operation (FieldInfo.Roots) so that it may answer them all at once.
// Field middlewares (gqlgen's AroundFields/AroundRootFields) are not run.
//
// Root fields are answered by a Resolver; introspection (__schema, __type,
// __typename) is answered from gqlgen's graphql/introspection package exactly
// as gqlgen's generated code does, OperationContext.DisableIntrospection
// included.
package live
