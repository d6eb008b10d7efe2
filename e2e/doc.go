// Package e2e holds odoogql's end-to-end tests from a client's side: each
// test starts a gateway in-process in front of the demo Odoo (odootest) on
// loopback, then drives it with a real client:
//
//   - browser_test.go: Debian's Chromium, headless, through chromedp, runs
//     the default query in GraphiQL and browses the schema in its docs
//     explorer (a screenshot goes to artifacts/graphiql.png);
//   - graphqljs_test.go: graphql-js (the reference implementation) rebuilds
//     the schema from the live endpoint's introspection, compares it with
//     schema.graphqls and validates realistic client operations against it;
//     GraphQL Code Generator then generates TypeScript types from the live
//     endpoint for the client in graphqljs/client.ts, which tsc type-checks;
//   - clients_test.go: real GraphQL clients (npm project clients/): Apollo
//     Client 3 and 4, urql with Graphcache, and Relay (relay-compiler on
//     schema.graphqls, relay-runtime) run queries, mutations and both kinds
//     of pages, and what their caches hold must equal what the gateway sends.
//
// Tools that are not installed (chromium; node with graphqljs/node_modules or
// clients/node_modules) make their tests skip with a message saying how to
// install them, except under CI=true, where a missing tool fails the test.
package e2e
