// Package odootest provides an in-process Odoo-compatible XML-RPC server for
// tests, in the spirit of net/http/httptest.
//
// NewServer starts a real HTTP server on 127.0.0.1 that speaks Odoo's
// external API (/xmlrpc/2/common, /xmlrpc/2/object, /xmlrpc/2/db and the
// legacy /xmlrpc/* endpoints) over an in-memory copy of a real Odoo 18 demo
// database: the 20 models captured in testdata/demo and their fields_get
// metadata in testdata/fields_get, plus ir.model, ir.config_parameter,
// ir.model.access (the access rules check_access_rights answers from) and
// minimal "stub" models (id and display_name only) for every relation that
// points outside the dataset (res.groups, account.journal, ...).
//
// Responses are byte-compatible with real Odoo: the envelope and the Python
// xmlrpc.client marshalling (no <nil/>, empty values as False, many2one as
// [id, display name], dates as strings, Python float formatting), and faults
// with Odoo's codes and texts: 1 with a Python traceback, 2 for user and
// validation errors, 3 "Access Denied", 4 for access errors, all with HTTP
// 200. The package's tests replay the captured requests of
// odoo/testdata/xmlrpc and compare every response byte for byte.
//
// # Users
//
//	admin / admin   uid 2 (AdminUID)  every right
//	demo  / demo    uid 6 (DemoUID)   internal user (group base.group_user)
//
// The demo user reads everything but account.tax and ir.config_parameter;
// may write, create and unlink res.partner, res.partner.category, crm.tag,
// sale.order, sale.order.line and project.task; may write and create (not
// unlink) stock.picking and stock.move; and only reads the other models
// (res.users, res.company, res.country, res.country.state, res.currency,
// product.*, uom.uom, stock.warehouse, project.project, ir.model, stubs).
// ir.model.access holds these rights as Odoo stores them: rows for Internal
// User (group 1, demo's), Settings (group 4, admin's) and, on
// ir.model.access itself, Access Rights (group 2, admin's); demo may not
// read them.
// A record rule limits demo to the sale orders whose user_id is demo or
// empty, for search, read, write and unlink. Fields whose groups demo lacks
// (e.g. res.partner.credit_limit) are left out of fields_get and a read that
// names them fails with an AccessError. SetAPIKey adds an API key, usable
// wherever a password is.
//
// # Languages and companies
//
// res.lang has en_US, fr_FR and de_DE installed (active) and a few inactive
// languages (fr_BE, fr_CA, en_GB, es_ES, nl_NL). Fields with translate=True
// hold a value per language, seeded from testdata/translations.json (French
// names of the demo's countries, products, units, tags and projects; German
// country names): the lang of a call's context picks the values read,
// searched, ordered, name_searched and shown in display names (falling back
// to en_US), a write in a language changes that language's value only, and
// an inactive or unknown lang fails as Odoo does ("Invalid language code").
// Both users work in the two demo companies (res.users company_ids);
// allowed_company_ids in the context restricts the records of models with a
// multi-company record rule (company_id in the companies or empty; Odoo's own
// rules for res.partner and res.users), and naming a company the user does
// not have is Odoo's AccessError "Access to unauthorized or invalid
// companies." on those models.
//
// # Model methods
//
// fields_get, search, search_count, search_read, read, create, write,
// unlink, name_search, name_create, read_group (lazy or not, date periods
// with Odoo's labels and __range, aggregates including count_distinct,
// orderby, paging; on 19 it logs Odoo's DeprecationWarning),
// formatted_read_group (19 only: Odoo 19's keys and [start, label] periods,
// __extra_domain, aggregate specs and __count), default_get,
// exists, check_access_rights, has_access, check_access, action_archive,
// action_unarchive, web_search_read and web_read, with Odoo's argument
// binding (positional or keyword) and semantics: full domains (prefix
// operators, dotted paths, any/not any, child_of/parent_of, active
// filtering), orders with many2one and null handling, x2many commands,
// one2many values derived from their inverse many2one, related fields.
// A call that writes is one transaction: when it fails, nothing it changed
// stays (a create whose nested line is invalid creates no order), and a
// sale order line without a product fails as Odoo's SQL constraint does.
//
// # JSON-2 (Odoo 19)
//
// With WithVersion("19.0") (or later) the server also answers Odoo 19's
// JSON-2 API, POST /json/2/<model>/<method> (on older versions the path is
// a plain 404). The credential is an API key registered with SetAPIKey, sent
// as "Authorization: bearer <key>" (passwords do not work there); an
// X-Odoo-Database header, when sent, must name DBName. The body is a JSON
// object of named arguments ("ids" for record methods, "context"); the
// answer is the bare result as Python's json.dumps writes it (create: a
// list of ids) or Odoo's error object {"name", "message", "arguments",
// "context", "debug"} with the exception's status: 401 (bad or missing
// key), 403 AccessError, 404 unknown model or method and MissingError, 422
// UserError, ValidationError and signature mismatches, 500 any other
// exception. Calls go through the same methods, counters, call log,
// latency and fault plan as XML-RPC ones; the tests replay the captures of
// odoo/testdata/v19/json2. res.users context_get (lang, tz, uid) tells the
// uid of a key.
//
// On 19 the data follow 19's res.users too (v19.go): a user's groups are
// group_ids and all_group_ids (read-only, not stored), with the values of
// 18's groups_id, which 19 has no more; a write of group_ids sets
// all_group_ids to the same groups (the dataset implies none).
//
// # Test hooks
//
// Calls, TotalCalls and ResetCounters count calls per model and method;
// PeakInFlight measures concurrency; SetLatency slows every call down;
// SetFaults injects failures (refused connections, HTTP 500/502, slow or
// garbled responses), before or after the call is applied; SetDown
// simulates Odoo being unreachable. WithVersion mimics Odoo 16, 17, 18 or
// 19; WithModels, WithoutModels and WithoutFields simulate schema drift;
// WithSynthetic grows the data to tens of thousands of partners.
//
// # A whole Odoo
//
// WithMetadata(FullSnapshot("18.0")) serves every model of a real Odoo
// (450 models; "17.0": 349) from a metadata snapshot: ir.model lists them,
// fields_get answers the snapshot's fields, check_access_rights answers,
// and the models outside the demo data get generated, deterministic
// records (WithRecordsPerModel, default 10), made on a model's first use,
// with many2ones to existing records and one2manys consistent with their
// inverse many2one, so account.move with its invoice_line_ids reads
// coherently. AddField and RemoveField change a model's fields while the
// server runs (an x_ custom field appearing, a field going away);
// Generated counts the models whose records exist.
package odootest
