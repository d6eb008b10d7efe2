package odoo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"strconv"
)

// Session calls model methods (object.execute_kw) as one user. It holds no
// context.Context and is cheap to copy; build one per user with
// Client.Session and derive variants with WithContext. A Session is safe for
// concurrent use as long as its fields are not modified.
type Session struct {
	client   *Client
	password string

	// UID is the Odoo user id the calls run as.
	UID int
	// Context is the Odoo context (lang, tz, allowed_company_ids,
	// active_test ...) merged into every call's kwargs["context"]; keys the
	// call sets itself win. Treat it as read-only; use WithContext.
	Context map[string]any
}

// Client returns the session's client.
func (s *Session) Client() *Client { return s.client }

// WithContext returns a copy of s whose Odoo context is s.Context merged
// with kv (kv wins; a nil value removes the key). This is the Odoo context
// sent to the server, not a context.Context.
func (s *Session) WithContext(kv map[string]any) *Session {
	cp := *s
	cp.Context = make(map[string]any, len(s.Context)+len(kv))
	maps.Copy(cp.Context, s.Context)
	for k, v := range kv {
		if v == nil {
			delete(cp.Context, k)
			continue
		}
		cp.Context[k] = v
	}
	return &cp
}

// String describes the session without its password.
func (s *Session) String() string {
	db := ""
	if s.client != nil {
		db = s.client.db
	}
	return fmt.Sprintf("odoo.Session{db: %q, uid: %d}", db, s.UID)
}

// GoString is String, so %#v does not print the password either.
func (s *Session) GoString() string { return s.String() }

// LogValue keeps the password out of structured logs.
func (s *Session) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("uid", s.UID))
}

// ExecuteKW calls model.method(*args, **kwargs) through object.execute_kw
// and returns the decoded, normalised result (see Record for the shapes).
// The session's Odoo context is merged into kwargs["context"]; args and
// kwargs are not modified. Faults are *Fault, transport failures
// *TransportError. Only the read-only methods listed on Client are retried.
func (s *Session) ExecuteKW(ctx context.Context, model, method string, args []any, kwargs map[string]any) (any, error) {
	c := s.client
	if c == nil {
		return nil, errNoClient
	}
	json2 := c.json2.Load()
	if c.db == "" && !json2 {
		return nil, fmt.Errorf("odoo: %s: Config.DB is empty", opName(model, method))
	}
	if args == nil {
		args = []any{}
	}
	kw := kwargs
	if len(s.Context) > 0 {
		kw = make(map[string]any, len(kwargs)+1)
		maps.Copy(kw, kwargs)
		merged := make(map[string]any, len(s.Context))
		maps.Copy(merged, s.Context)
		switch own := kwargs["context"].(type) {
		case map[string]any:
			maps.Copy(merged, own)
		case Record:
			maps.Copy(merged, own)
		}
		kw["context"] = merged
	}
	if kw == nil {
		kw = map[string]any{}
	}
	if json2 {
		named, err := json2Named(method, args, kw)
		if err != nil {
			return nil, err
		}
		return c.callJSON2(ctx, s.password, model, method, named)
	}
	return c.call(ctx, c.objectURL, "execute_kw", model, method,
		[]any{c.db, s.UID, s.password, model, method, args, kw})
}

// SearchOptions are the paging and ordering options of search methods.
// Zero fields are not sent (Odoo's defaults apply).
type SearchOptions struct {
	// Offset skips that many matching records.
	Offset int
	// Limit caps the number of records returned (0: no limit sent).
	Limit int
	// Order is an SQL-like order, e.g. "name desc, id".
	Order string
	// CountLimit caps the length counted by WebSearchRead.
	CountLimit int
}

func (o SearchOptions) kwargs(kw map[string]any) map[string]any {
	if o.Offset > 0 {
		kw["offset"] = o.Offset
	}
	if o.Limit > 0 {
		kw["limit"] = o.Limit
	}
	if o.Order != "" {
		kw["order"] = o.Order
	}
	return kw
}

func domainOrEmpty(d []any) []any {
	if d == nil {
		return []any{}
	}
	return d
}

// shape wraps a result-shape error of op in a *TransportError.
func (s *Session) shape(model, method string, err error) error {
	return s.client.shapeErr(opName(model, method), err)
}

// FieldsGet calls fields_get and returns the fields by name, with
// Field.Name set from the key. attributes limits the attributes Odoo
// computes (nil means all); attributes not in Field are ignored. Selection
// values that are not strings (integer keys, false) are kept in their JSON
// text form, as Selection.UnmarshalJSON does.
func (s *Session) FieldsGet(ctx context.Context, model string, attributes []string) (map[string]Field, error) {
	kw := map[string]any{}
	if len(attributes) > 0 {
		kw["attributes"] = attributes
	}
	res, err := s.ExecuteKW(ctx, model, "fields_get", nil, kw)
	if err != nil {
		return nil, err
	}
	r, ok := res.(Record)
	if !ok {
		return nil, s.shape(model, "fields_get", shapeError("a struct of fields", res))
	}
	out := make(map[string]Field, len(r))
	for name, v := range r {
		attrs, ok := v.(Record)
		if !ok {
			return nil, s.shape(model, "fields_get", shapeError("a struct of attributes for field "+name, v))
		}
		out[name] = FieldFromAttrs(name, attrs)
	}
	return out, nil
}

// FieldFromAttrs reads one field's fields_get attributes (as Odoo sends
// them) into a Field.
func FieldFromAttrs(name string, a Record) Field {
	str := func(k string) string { s, _ := AsString(a[k]); return s }
	flag := func(k string) bool { b, _ := a[k].(bool); return b }
	f := Field{
		Name:          name,
		Type:          str("type"),
		String:        str("string"),
		Help:          str("help"),
		Relation:      str("relation"),
		RelationField: str("relation_field"),
		Required:      flag("required"),
		Readonly:      flag("readonly"),
		Store:         flag("store"),
		Searchable:    flag("searchable"),
		Sortable:      flag("sortable"),
		Groups:        str("groups"),
		Aggregator:    str("aggregator"),
	}
	if f.Aggregator == "" {
		f.Aggregator = str("group_operator") // Odoo 17 and before
	}
	if sel, ok := a["selection"].([]any); ok {
		for _, e := range sel {
			pair, ok := e.([]any)
			if !ok || len(pair) != 2 {
				continue
			}
			f.Selection = append(f.Selection, Selection{Value: selectionText(pair[0]), Label: selectionText(pair[1])})
		}
	}
	return f
}

// selectionText renders a selection key or label; non-strings in their
// JSON text form.
func selectionText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}

// SearchRead calls search_read. fields nil means all fields (avoid it on
// models with binary fields). Records come back in the search order.
func (s *Session) SearchRead(ctx context.Context, model string, domain []any, fields []string, opt SearchOptions) ([]Record, error) {
	kw := map[string]any{}
	if len(fields) > 0 {
		kw["fields"] = fields
	}
	res, err := s.ExecuteKW(ctx, model, "search_read", []any{domainOrEmpty(domain)}, opt.kwargs(kw))
	if err != nil {
		return nil, err
	}
	recs, err := asRecords(res)
	if err != nil {
		return nil, s.shape(model, "search_read", err)
	}
	return recs, nil
}

// Read calls read. Odoo silently drops ids that do not exist (or that
// were deleted), so the result may be shorter than ids; it is in the order
// of ids otherwise. fields nil means all fields. An empty ids makes no call.
func (s *Session) Read(ctx context.Context, model string, ids []int, fields []string) ([]Record, error) {
	if len(ids) == 0 {
		return []Record{}, nil
	}
	kw := map[string]any{}
	if len(fields) > 0 {
		kw["fields"] = fields
	}
	res, err := s.ExecuteKW(ctx, model, "read", []any{ids}, kw)
	if err != nil {
		return nil, err
	}
	recs, err := asRecords(res)
	if err != nil {
		return nil, s.shape(model, "read", err)
	}
	return recs, nil
}

// Search calls search and returns the matching ids. opt.CountLimit is
// ignored.
func (s *Session) Search(ctx context.Context, model string, domain []any, opt SearchOptions) ([]int, error) {
	res, err := s.ExecuteKW(ctx, model, "search", []any{domainOrEmpty(domain)}, opt.kwargs(map[string]any{}))
	if err != nil {
		return nil, err
	}
	ids, err := asIntList(res)
	if err != nil {
		return nil, s.shape(model, "search", err)
	}
	return ids, nil
}

// SearchCount calls search_count.
func (s *Session) SearchCount(ctx context.Context, model string, domain []any) (int, error) {
	res, err := s.ExecuteKW(ctx, model, "search_count", []any{domainOrEmpty(domain)}, nil)
	if err != nil {
		return 0, err
	}
	n, ok := AsInt(res)
	if !ok {
		return 0, s.shape(model, "search_count", shapeError("an integer", res))
	}
	return n, nil
}

// Create calls create with one record's values and returns its id. It is
// never retried.
func (s *Session) Create(ctx context.Context, model string, vals map[string]any) (int, error) {
	if vals == nil {
		vals = map[string]any{}
	}
	res, err := s.ExecuteKW(ctx, model, "create", []any{vals}, nil)
	if err != nil {
		return 0, err
	}
	if id, ok := AsInt(res); ok {
		return id, nil
	}
	// Some servers answer a one-element list.
	if ids, err := asIntList(res); err == nil && len(ids) == 1 {
		return ids[0], nil
	}
	return 0, s.shape(model, "create", shapeError("a record id", res))
}

// CreateMany calls create with a list of values (one call, one
// transaction) and returns the new ids in order. An empty vals makes no
// call. It is never retried.
func (s *Session) CreateMany(ctx context.Context, model string, vals []map[string]any) ([]int, error) {
	if len(vals) == 0 {
		return []int{}, nil
	}
	list := make([]any, len(vals))
	for i, v := range vals {
		if v == nil {
			v = map[string]any{}
		}
		list[i] = v
	}
	res, err := s.ExecuteKW(ctx, model, "create", []any{list}, nil)
	if err != nil {
		return nil, err
	}
	ids, err := asIntList(res)
	if err != nil {
		return nil, s.shape(model, "create", err)
	}
	if len(ids) != len(vals) {
		return nil, s.shape(model, "create", fmt.Errorf("%w: %d ids for %d records", ErrMalformedResponse, len(ids), len(vals)))
	}
	return ids, nil
}

// Write calls write on ids with vals. Writing to a deleted record is a
// *Fault of KindMissing. An empty ids makes no call. It is never retried.
func (s *Session) Write(ctx context.Context, model string, ids []int, vals map[string]any) error {
	if len(ids) == 0 {
		return nil
	}
	if vals == nil {
		vals = map[string]any{}
	}
	_, err := s.ExecuteKW(ctx, model, "write", []any{ids, vals}, nil)
	return err
}

// Unlink deletes ids. An empty ids makes no call. It is never retried.
func (s *Session) Unlink(ctx context.Context, model string, ids []int) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.ExecuteKW(ctx, model, "unlink", []any{ids}, nil)
	return err
}

// NameResult is one result of name_search.
type NameResult struct {
	// ID of the matching record.
	ID int
	// Name is its display name.
	Name string
}

// NameSearch calls name_search(name, domain, operator, limit). An empty
// operator means "ilike"; limit 0 means Odoo's default (100). The domain
// and operator are sent positionally, which works whether the server calls
// the parameter args (17.0) or domain (18.0+).
func (s *Session) NameSearch(ctx context.Context, model, name string, domain []any, operator string, limit int) ([]NameResult, error) {
	if operator == "" {
		operator = "ilike"
	}
	kw := map[string]any{}
	if limit > 0 {
		kw["limit"] = limit
	}
	res, err := s.ExecuteKW(ctx, model, "name_search", []any{name, domainOrEmpty(domain), operator}, kw)
	if err != nil {
		return nil, err
	}
	list, ok := res.([]any)
	if !ok {
		return nil, s.shape(model, "name_search", shapeError("a list of [id, name] pairs", res))
	}
	out := make([]NameResult, 0, len(list))
	for _, e := range list {
		id, n, ok := Many2One(e)
		if !ok {
			return nil, s.shape(model, "name_search", shapeError("an [id, name] pair", e))
		}
		out = append(out, NameResult{ID: id, Name: n})
	}
	return out, nil
}

// CheckAccessRights calls check_access_rights(operation,
// raise_exception=False): whether the user's access rights allow operation
// ("read", "write", "create", "unlink") on the model (record rules are not
// checked). It works on 17.0 to 19.0 (deprecated since 18.0).
func (s *Session) CheckAccessRights(ctx context.Context, model, operation string) (bool, error) {
	res, err := s.ExecuteKW(ctx, model, "check_access_rights", []any{operation},
		map[string]any{"raise_exception": false})
	return s.boolAnswer(model, "check_access_rights", res, err)
}

// HasAccess calls has_access(operation) on an empty recordset: whether the
// user's access rights allow operation ("read", "write", "create",
// "unlink") on the model. It is Odoo 18's replacement of
// check_access_rights, which 18.0 deprecates and Odoo 19.1 removes; it
// does not exist before 18.0. It works over both transports.
func (s *Session) HasAccess(ctx context.Context, model, operation string) (bool, error) {
	res, err := s.ExecuteKW(ctx, model, "has_access", []any{[]int{}, operation}, nil)
	return s.boolAnswer(model, "has_access", res, err)
}

// boolAnswer is the answer of a method that returns a boolean.
func (s *Session) boolAnswer(model, method string, res any, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	b, ok := res.(bool)
	if !ok {
		return false, s.shape(model, method, shapeError("a boolean", res))
	}
	return b, nil
}

// Spec is an Odoo 17+ web_search_read/web_read specification: the fields
// to read, with sub-specifications for relational fields.
type Spec map[string]SpecField

// SpecField is one field of a Spec. The zero value reads the field plainly:
// a many2one as a bare id, an x2many as a list of ids. With Fields, related
// records come back as nested Records; Limit and Order page an x2many
// (records past Limit come back as {id} only); Context is the Odoo context
// for reading the related records.
type SpecField struct {
	// Fields is the sub-specification of a relational field.
	Fields Spec
	// Limit caps the records read of an x2many.
	Limit int
	// Order orders an x2many's records, e.g. "id desc".
	Order string
	// Context is the Odoo context for reading the related records.
	Context map[string]any
}

// wire converts the spec to plain maps (wireValue escapes the keys).
func (s Spec) wire() map[string]any {
	out := make(map[string]any, len(s))
	for name, f := range s {
		out[name] = f.wire()
	}
	return out
}

func (f SpecField) wire() map[string]any {
	out := map[string]any{}
	if f.Fields != nil {
		out["fields"] = f.Fields.wire()
	}
	if f.Limit > 0 {
		out["limit"] = f.Limit
	}
	if f.Order != "" {
		out["order"] = f.Order
	}
	if len(f.Context) > 0 {
		out["context"] = f.Context
	}
	return out
}

// WebSearchResult is the result of web_search_read.
type WebSearchResult struct {
	// Length is the number of matching records, capped by
	// SearchOptions.CountLimit when the page is full.
	Length int
	// Records is the requested page.
	Records []Record
}

// WebSearchRead calls web_search_read (Odoo 17+) with keyword arguments
// domain, specification, offset, limit, order and count_limit (zero options
// are not sent).
func (s *Session) WebSearchRead(ctx context.Context, model string, domain []any, spec Spec, opt SearchOptions) (WebSearchResult, error) {
	kw := opt.kwargs(map[string]any{
		"domain":        domainOrEmpty(domain),
		"specification": spec,
	})
	if opt.CountLimit > 0 {
		kw["count_limit"] = opt.CountLimit
	}
	res, err := s.ExecuteKW(ctx, model, "web_search_read", nil, kw)
	if err != nil {
		return WebSearchResult{}, err
	}
	r, ok := res.(Record)
	if !ok {
		return WebSearchResult{}, s.shape(model, "web_search_read", shapeError("a {length, records} struct", res))
	}
	length, okLen := AsInt(r["length"])
	recs, err := asRecords(r["records"])
	if err != nil || !okLen {
		if err == nil {
			err = shapeError("an integer length", r["length"])
		}
		return WebSearchResult{}, s.shape(model, "web_search_read", err)
	}
	return WebSearchResult{Length: length, Records: recs}, nil
}

// WebRead calls web_read (Odoo 17+) on ids with a specification. Missing
// ids are dropped, as with Read. An empty ids makes no call.
func (s *Session) WebRead(ctx context.Context, model string, ids []int, spec Spec) ([]Record, error) {
	if len(ids) == 0 {
		return []Record{}, nil
	}
	res, err := s.ExecuteKW(ctx, model, "web_read", []any{ids}, map[string]any{"specification": spec})
	if err != nil {
		return nil, err
	}
	recs, err := asRecords(res)
	if err != nil {
		return nil, s.shape(model, "web_read", err)
	}
	return recs, nil
}

// errNoClient guards against a zero Session.
var errNoClient = errors.New("odoo: Session has no Client; use Client.Session")
