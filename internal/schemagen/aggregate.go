package schemagen

import (
	"bytes"
	"fmt"
)

// Aggregates: next to each list root field, <list>Aggregate answers the
// count of the records matching where and domain and the sum, avg, min and
// max of their stored numeric fields (min and max also of dates), with one
// read_group.

// aggregateSuffixes are the types made for a model's aggregates.
var aggregateSuffixes = []string{"Aggregate", "AggregateSum", "AggregateAvg", "AggregateMinMax", "AggregateCountDistinct", "Group", "GroupBy", "GroupOrderBy"}

// Granularities are the periods a date or datetime field groups by:
// date_order_month groups by date_order's month.
var Granularities = []string{"day", "week", "month", "quarter", "year"}

// groupKey is one key a model's records group by: a stored field, with a
// granularity for dates.
type groupKey struct {
	name  string // the enum value and the group's field: state, date_order_month
	f     *field
	gran  string // "" or one of Granularities
	isM2O bool
}

// groupKeys returns the keys m's records group by: stored selections,
// chars, booleans, integers and many2ones, and dates and datetimes by
// period.
func groupKeys(m *model) []groupKey {
	names := map[string]bool{}
	for _, f := range m.fields {
		names[f.Name] = true
	}
	var out []groupKey
	for _, f := range m.fields {
		if !f.Store || f.Name == "id" {
			continue
		}
		switch {
		case f.mapping.kind == kindMany2One:
			out = append(out, groupKey{name: f.Name, f: f, isM2O: true})
		case f.mapping.kind != kindScalar:
		case f.Type == "selection", f.Type == "char", f.Type == "boolean", f.Type == "integer":
			out = append(out, groupKey{name: f.Name, f: f})
		case f.Type == "date", f.Type == "datetime":
			for _, g := range Granularities {
				if n := f.Name + "_" + g; !names[n] {
					out = append(out, groupKey{name: n, f: f, gran: g})
				}
			}
		}
	}
	return out
}

// aggregateRoot is the name of the aggregate root field of a model.
func aggregateRoot(m *model) string { return m.Plural + "Aggregate" }

// summable reports whether Odoo can sum and average f (a stored number).
func summable(f *field) bool {
	if !f.Store || f.Name == "id" || f.mapping.kind != kindScalar {
		return false
	}
	switch f.Type {
	case "integer", "float", "monetary":
		return true
	}
	return false
}

// minMaxable reports whether Odoo can take the min and max of f.
func minMaxable(f *field) bool {
	if summable(f) {
		return true
	}
	return f.Store && f.mapping.kind == kindScalar && (f.Type == "date" || f.Type == "datetime")
}

// countDistinctable reports whether countDistinct counts f's distinct
// values (Odoo's count_distinct): stored many2ones, chars, selections and
// integers.
func countDistinctable(f *field) bool {
	if !f.Store || f.Name == "id" {
		return false
	}
	if f.mapping.kind == kindMany2One {
		return true
	}
	if f.mapping.kind != kindScalar {
		return false
	}
	switch f.Type {
	case "char", "selection", "integer":
		return true
	}
	return false
}

// printAggregateTypes writes the aggregate types of m.
func printAggregateTypes(b *bytes.Buffer, m *model) {
	var sums, minMax, distinct []*field
	for _, f := range m.fields {
		if countDistinctable(f) {
			distinct = append(distinct, f)
		}
		if summable(f) {
			sums = append(sums, f)
		}
		if minMaxable(f) {
			minMax = append(minMax, f)
		}
	}
	description(b, "", fmt.Sprintf("Totals of the %s records matching the filter (one read_group).", m.Model.Model))
	fmt.Fprintf(b, "type %sAggregate {\n", m.Type)
	b.WriteString("  \"\"\"Number of records.\"\"\"\n  count: Int!\n")
	if len(sums) > 0 {
		b.WriteString("  \"\"\"Sums of numeric fields (null when no record matches).\"\"\"\n")
		fmt.Fprintf(b, "  sum: %sAggregateSum!\n", m.Type)
		b.WriteString("  \"\"\"Averages of numeric fields (null when no record matches).\"\"\"\n")
		fmt.Fprintf(b, "  avg: %sAggregateAvg!\n", m.Type)
	}
	if len(minMax) > 0 {
		b.WriteString("  \"\"\"Smallest values of numeric and date fields (null when no record matches).\"\"\"\n")
		fmt.Fprintf(b, "  min: %sAggregateMinMax!\n", m.Type)
		b.WriteString("  \"\"\"Largest values of numeric and date fields (null when no record matches).\"\"\"\n")
		fmt.Fprintf(b, "  max: %sAggregateMinMax!\n", m.Type)
	}
	if len(distinct) > 0 {
		b.WriteString("  \"\"\"Numbers of distinct set values of many2one, char, selection and integer fields (Odoo's count_distinct; 0 when no record matches).\"\"\"\n")
		fmt.Fprintf(b, "  countDistinct: %sAggregateCountDistinct!\n", m.Type)
	}
	keys := groupKeys(m)
	if len(keys) > 0 {
		b.WriteString("  \"\"\"The groups of groupBy, ordered by orderBy (by the keys by default) and paged by limit and offset; empty without groupBy.\"\"\"\n")
		fmt.Fprintf(b, "  groups: [%sGroup!]!\n", m.Type)
	}
	b.WriteString("}\n\n")
	if len(keys) > 0 {
		description(b, "", fmt.Sprintf("One group of %s records: its keys (those of groupBy; the others are null), count and totals.", m.Model.Model))
		fmt.Fprintf(b, "type %sGroup {\n", m.Type)
		b.WriteString("  \"\"\"Number of records in the group.\"\"\"\n  count: Int!\n")
		if len(sums) > 0 {
			fmt.Fprintf(b, "  sum: %sAggregateSum!\n  avg: %sAggregateAvg!\n", m.Type, m.Type)
		}
		if len(minMax) > 0 {
			fmt.Fprintf(b, "  min: %sAggregateMinMax!\n  max: %sAggregateMinMax!\n", m.Type, m.Type)
		}
		if len(distinct) > 0 {
			fmt.Fprintf(b, "  countDistinct: %sAggregateCountDistinct!\n", m.Type)
		}
		for _, k := range keys {
			if k.gran != "" {
				description(b, "  ", fmt.Sprintf("Start of the %s of %s (of a datetime: the instant the period starts in the user's time zone).", k.gran, k.f.Name))
				fmt.Fprintf(b, "  %s: %s\n", k.name, k.f.output)
				continue
			}
			fmt.Fprintf(b, "  %s: %s\n", k.name, k.f.output)
		}
		b.WriteString("}\n\n")
		description(b, "", fmt.Sprintf("A key %s records group by; a date's with its period.", m.Model.Model))
		fmt.Fprintf(b, "enum %sGroupBy {\n", m.Type)
		for _, k := range keys {
			fmt.Fprintf(b, "  %s\n", k.name)
		}
		b.WriteString("}\n\n")
		description(b, "", fmt.Sprintf("One sort key of %s groups: set exactly one: count, a group key of groupBy, or an aggregate (<field>_sum, _avg, _min, _max).", m.Model.Model))
		fmt.Fprintf(b, "input %sGroupOrderBy {\n  count: OrderDirection\n", m.Type)
		for _, k := range keys {
			fmt.Fprintf(b, "  %s: OrderDirection\n", k.name)
		}
		for _, fn := range []string{"sum", "avg", "min", "max"} {
			for _, f := range minMax {
				if (fn == "sum" || fn == "avg") && !summable(f) {
					continue
				}
				fmt.Fprintf(b, "  %s_%s: OrderDirection\n", f.Name, fn)
			}
		}
		b.WriteString("}\n\n")
	}
	if len(sums) > 0 {
		description(b, "", fmt.Sprintf("Sums of %s fields.", m.Model.Model))
		fmt.Fprintf(b, "type %sAggregateSum {\n", m.Type)
		for _, f := range sums {
			fmt.Fprintf(b, "  %s: %s\n", f.Name, f.output)
		}
		b.WriteString("}\n\n")
		description(b, "", fmt.Sprintf("Averages of %s fields.", m.Model.Model))
		fmt.Fprintf(b, "type %sAggregateAvg {\n", m.Type)
		for _, f := range sums {
			fmt.Fprintf(b, "  %s: Float\n", f.Name)
		}
		b.WriteString("}\n\n")
	}
	if len(distinct) > 0 {
		description(b, "", fmt.Sprintf("Numbers of distinct set values of %s fields.", m.Model.Model))
		fmt.Fprintf(b, "type %sAggregateCountDistinct {\n", m.Type)
		for _, f := range distinct {
			fmt.Fprintf(b, "  %s: Int\n", f.Name)
		}
		b.WriteString("}\n\n")
	}
	if len(minMax) > 0 {
		description(b, "", fmt.Sprintf("Smallest or largest values of %s fields.", m.Model.Model))
		fmt.Fprintf(b, "type %sAggregateMinMax {\n", m.Type)
		for _, f := range minMax {
			fmt.Fprintf(b, "  %s: %s\n", f.Name, f.output)
		}
		b.WriteString("}\n\n")
	}
}

// printAggregateRoot writes m's aggregate root field of Query.
func printAggregateRoot(b *bytes.Buffer, m *model) {
	description(b, "  ", fmt.Sprintf("Count and totals of the %s records matching where and domain (a raw Odoo domain as JSON), and their groups by groupBy: one read_group each.", m.Model.Model))
	if len(groupKeys(m)) == 0 {
		fmt.Fprintf(b, "  %s(where: %sWhere, domain: JSON): %sAggregate!\n", aggregateRoot(m), m.Type, m.Type)
		return
	}
	fmt.Fprintf(b, "  %s(where: %sWhere, domain: JSON, groupBy: [%sGroupBy!], orderBy: [%sGroupOrderBy!], limit: Int, offset: Int): %sAggregate!\n",
		aggregateRoot(m), m.Type, m.Type, m.Type, m.Type)
}

// The aggregate types are reserved like the other per-model types.
func init() { typeSuffixes = append(typeSuffixes, aggregateSuffixes...) }

// aggregateGoArgs are the Go parameters of an aggregate resolver after where
// and domain.
func aggregateGoArgs(m *model) string {
	if len(groupKeys(m)) == 0 {
		return ""
	}
	return ", groupBy []model." + goName(m.Type+"GroupBy") + ", orderBy []map[string]any, limit *int, offset *int"
}
