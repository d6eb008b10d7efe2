// Package schemagen provides odoogql's schema generator: a pure function
// from a metadata snapshot (Odoo's ir.model and fields_get) and a
// configuration to the GraphQL schema, the gqlgen configuration and the
// resolver code. Names are made by ModelNames and types by the FieldTypes
// table; both are documented in README.md and tested with golden files.
package schemagen
