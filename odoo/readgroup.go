package odoo

import "context"

// ReadGroupOptions are the ordering and paging options of ReadGroup. Zero
// fields are not sent.
type ReadGroupOptions struct {
	// Offset skips that many groups.
	Offset int
	// Limit caps the number of groups (0: no limit sent).
	Limit int
	// Order orders the groups: group-by fields, aggregate aliases or
	// __count, each with asc or desc.
	Order string
}

// ReadGroup calls read_group (Odoo 16–18; see FormattedReadGroup for 19+) with lazy=False: one row per group
// of the groupby fields ("date_order:month" for a granularity), with
// __count, __domain and the aggregates of fields ("alias:func(field)" or
// "field:func"). With no groupby, Odoo answers one row: the totals.
func (s *Session) ReadGroup(ctx context.Context, model string, domain []any, fields, groupby []string, opt ReadGroupOptions) ([]Record, error) {
	if fields == nil {
		fields = []string{}
	}
	if groupby == nil {
		groupby = []string{}
	}
	kw := map[string]any{"lazy": false}
	if opt.Offset > 0 {
		kw["offset"] = opt.Offset
	}
	if opt.Limit > 0 {
		kw["limit"] = opt.Limit
	}
	if opt.Order != "" {
		kw["orderby"] = opt.Order
	}
	res, err := s.ExecuteKW(ctx, model, "read_group", []any{domainOrEmpty(domain), fields, groupby}, kw)
	if err != nil {
		return nil, err
	}
	recs, err := asRecords(res)
	if err != nil {
		return nil, s.shape(model, "read_group", err)
	}
	return recs, nil
}

// FormattedReadGroup calls formatted_read_group (Odoo 19 and later, where
// read_group is deprecated): one row per group of the groupby specs, keyed
// by the specs themselves — a many2one's [id, display_name], a date
// period's [start, label] — with __extra_domain and each aggregate spec
// ("field:func", "__count") as asked. opt.Order orders by group-by specs,
// aggregate specs or __count. With no groupby, Odoo answers one row: the
// totals (False for an empty set, 0 for counts).
func (s *Session) FormattedReadGroup(ctx context.Context, model string, domain []any, groupby, aggregates []string, opt ReadGroupOptions) ([]Record, error) {
	if groupby == nil {
		groupby = []string{}
	}
	if aggregates == nil {
		aggregates = []string{}
	}
	kw := map[string]any{}
	if opt.Offset > 0 {
		kw["offset"] = opt.Offset
	}
	if opt.Limit > 0 {
		kw["limit"] = opt.Limit
	}
	if opt.Order != "" {
		kw["order"] = opt.Order
	}
	res, err := s.ExecuteKW(ctx, model, "formatted_read_group", []any{domainOrEmpty(domain), groupby, aggregates}, kw)
	if err != nil {
		return nil, err
	}
	recs, err := asRecords(res)
	if err != nil {
		return nil, s.shape(model, "formatted_read_group", err)
	}
	return recs, nil
}
