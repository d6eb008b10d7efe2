// Package odoo provides a client for Odoo's external APIs, XML-RPC
// (/xmlrpc/2/common and /xmlrpc/2/object, Odoo 8 to 21) and JSON-2
// (/json/2/<model>/<method>, Odoo 19 and later; json2.go), the model
// metadata types the schema generator and the engine share, and helpers to
// decode Odoo's value shapes (False for empty, many2one pairs, x2many id
// lists, date strings).
//
// Both transports sit behind the same Client and Session: Session.ExecuteKW
// takes execute_kw's positional arguments and keyword arguments, and over
// JSON-2 names the positional ones from Odoo's signatures. Values decode to
// the same Go shapes (int, float64, string, bool, []any, Record), and
// JSON-2's HTTP error statuses become the *Fault kinds XML-RPC's faults
// give, so callers cannot tell which transport ran.
//
// XML-RPC requests are encoded and decoded with github.com/kolo/xmlrpc;
// JSON-2 with encoding/json as the body streams in. Both are sent through
// the client's own pooled http.Client, so many calls run at once, every call
// honours its context, and response sizes are bounded.
package odoo
