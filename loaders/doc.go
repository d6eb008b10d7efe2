// Package loaders provides the per-request data access of odoogql: the Odoo
// session a request runs as, batched reads, and the results the engine hands
// to child resolvers. Loaders are built per request by Middleware and reached
// with For(ctx).
package loaders
