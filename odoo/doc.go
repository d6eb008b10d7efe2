// Package odoo provides a client for Odoo's external XML-RPC API
// (/xmlrpc/2/common and /xmlrpc/2/object), the model metadata types the
// schema generator and the engine share, and helpers to decode Odoo's value
// shapes (False for empty, many2one pairs, x2many id lists, date strings).
//
// Requests are encoded and decoded with github.com/kolo/xmlrpc but sent
// through the client's own pooled http.Client, so many calls run at once,
// every call honours its context, and response sizes are bounded.
package odoo
