package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/odoogql/odoogql/graph/scalar"
	"github.com/odoogql/odoogql/odoo"
)

// expr is an Odoo domain expression in prefix notation; empty means "true".
type expr []any

var trueLeaf = []any{1, "=", 1}

// and combines expressions with Odoo's & operator.
func and(parts ...expr) expr {
	var nonEmpty []expr
	for _, p := range parts {
		if len(p) > 0 {
			nonEmpty = append(nonEmpty, p)
		}
	}
	var out expr
	for i := 1; i < len(nonEmpty); i++ {
		out = append(out, "&")
	}
	for _, p := range nonEmpty {
		out = append(out, p...)
	}
	return out
}

// or combines expressions with Odoo's | operator; an empty part is true.
func or(parts ...expr) expr {
	if len(parts) == 0 {
		return expr{[]any{0, "=", 1}} // an empty "or" matches nothing
	}
	var out expr
	for i := 1; i < len(parts); i++ {
		out = append(out, "|")
	}
	for _, p := range parts {
		if len(p) == 0 {
			p = expr{trueLeaf}
		}
		out = append(out, p...)
	}
	return out
}

func not(p expr) expr {
	if len(p) == 0 {
		p = expr{trueLeaf}
	}
	return append(expr{"!"}, p...)
}

// scalarOps maps the filter operators of the schema's *Filter inputs to Odoo
// operators.
var scalarOps = map[string]string{
	"eq": "=", "ne": "!=", "in": "in", "nin": "not in",
	"gt": ">", "gte": ">=", "lt": "<", "lte": "<=",
	"like": "like", "ilike": "ilike", "notLike": "not like", "notIlike": "not ilike",
}

// compileWhere turns a where input of model into a domain. prefix is the
// dotted path of the relation the filter is nested in ("" at the top).
func (e *Engine) compileWhere(model string, where map[string]any, prefix string) (expr, error) {
	m := e.model(model)
	keys := sortedKeys(where)
	var parts []expr
	for _, k := range keys {
		v := where[k]
		if v == nil {
			continue
		}
		switch k {
		case "and", "or":
			list, ok := v.([]any)
			if !ok {
				return nil, badInput("where.%s must be a list", k)
			}
			var sub []expr
			for i, item := range list {
				w, ok := item.(map[string]any)
				if !ok {
					return nil, badInput("where.%s[%d] must be an object", k, i)
				}
				p, err := e.compileWhere(model, w, prefix)
				if err != nil {
					return nil, fmt.Errorf("%w (in %s[%d])", err, k, i)
				}
				sub = append(sub, p)
			}
			if k == "and" {
				parts = append(parts, and(sub...))
			} else {
				parts = append(parts, or(sub...))
			}
		case "not":
			w, ok := v.(map[string]any)
			if !ok {
				return nil, badInput("where.not must be an object")
			}
			p, err := e.compileWhere(model, w, prefix)
			if err != nil {
				return nil, err
			}
			parts = append(parts, not(p))
		default:
			f, ok := fieldOf(m, k)
			if !ok {
				return nil, badInput("unknown field %q in where of %s", k, model)
			}
			if err := e.checkDrift(model, k); err != nil {
				return nil, err
			}
			filter, ok := v.(map[string]any)
			if !ok {
				return nil, badInput("where.%s must be an object", k)
			}
			path := prefix + k
			if f.IsRelational() {
				// A filter on the related record's id is a filter on the
				// relation field itself: country_id.id = 5 is country_id = 5.
				if idf, ok := filter["id"].(map[string]any); ok && len(filter) == 1 {
					p, err := compileFilter(path, odoo.Field{Name: "id", Type: "many2one"}, idf)
					if err != nil {
						return nil, err
					}
					parts = append(parts, p)
					continue
				}
				p, err := e.compileWhere(f.Relation, filter, path+".")
				if err != nil {
					return nil, err
				}
				parts = append(parts, p)
				continue
			}
			p, err := compileFilter(path, f, filter)
			if err != nil {
				return nil, err
			}
			parts = append(parts, p)
		}
	}
	return and(parts...), nil
}

// compileFilter turns one field's filter object ({eq: .., in: ..}) into a
// domain: every operator given must hold.
func compileFilter(path string, f odoo.Field, filter map[string]any) (expr, error) {
	var parts []expr
	for _, op := range sortedKeys(filter) {
		v := filter[op]
		if v == nil {
			continue
		}
		if op == "isSet" {
			set, ok := v.(bool)
			if !ok {
				return nil, badInput("%s.isSet must be a boolean", path)
			}
			if set {
				parts = append(parts, expr{[]any{path, "!=", false}})
			} else {
				parts = append(parts, expr{[]any{path, "=", false}})
			}
			continue
		}
		odooOp, ok := scalarOps[op]
		if !ok {
			return nil, badInput("unknown operator %q on %s", op, path)
		}
		var val any
		var err error
		if op == "in" || op == "nin" {
			list, ok := v.([]any)
			if !ok {
				return nil, badInput("%s.%s must be a list", path, op)
			}
			vals := make([]any, 0, len(list))
			for i, item := range list {
				x, err := inputValue(f, item)
				if err != nil {
					return nil, inPath(fmt.Sprintf("where.%s.%s[%d]", path, op, i), err)
				}
				vals = append(vals, x)
			}
			val = vals
		} else {
			val, err = inputValue(f, v)
			if err != nil {
				return nil, inPath("where."+path+"."+op, err)
			}
		}
		parts = append(parts, expr{[]any{path, odooOp, val}})
	}
	return and(parts...), nil
}

// inPath puts where a bad input is (where.name.eq, input.name) in front of
// its error's message, the part a client sees.
func inPath(where string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return &Error{Code: e.Code, Message: where + ": " + e.Message, Err: e.Err}
	}
	return fmt.Errorf("%s: %w", where, err)
}

// inputValue converts a GraphQL input value of field f into Odoo's form.
// Dates and datetimes are checked as the Date and DateTime scalars check
// them: filter inputs are maps, which gqlgen hands over unchecked when the
// engine plans a relation's where before its resolver runs.
func inputValue(f odoo.Field, v any) (any, error) {
	if v == nil {
		return false, nil
	}
	switch f.Type {
	case "many2one", "one2many", "many2many":
		return parseID(v)
	case "integer":
		if f.Name == "id" {
			return parseID(v)
		}
		return toInt(v)
	case "float", "monetary":
		return toFloat(v)
	case "boolean":
		b, ok := v.(bool)
		if !ok {
			return nil, badInput("want a boolean, got %T", v)
		}
		return b, nil
	case "date":
		s, err := scalar.UnmarshalDate(v)
		if err != nil {
			return nil, scalarError(err)
		}
		return s, nil
	case "datetime":
		s, err := scalar.UnmarshalDateTime(v)
		if err != nil {
			return nil, scalarError(err)
		}
		return isoToOdooDateTime(s)
	case "json", "properties", "properties_definition", "reference", "many2one_reference":
		return v, nil
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case fmt.Stringer:
		return x.String(), nil
	}
	return fmt.Sprint(v), nil
}

// parseID accepts an ID as a GraphQL string or number.
func parseID(v any) (int, error) {
	switch x := v.(type) {
	case string:
		id, err := strconv.Atoi(strings.TrimSpace(x))
		if err != nil || id <= 0 {
			return 0, badInput("invalid id %q: ids are positive integers", x)
		}
		return id, nil
	default:
		id, err := toInt(v)
		if err != nil || id <= 0 {
			return 0, badInput("invalid id %v: ids are positive integers", v)
		}
		return id, nil
	}
}

// toInt is odoo.AsInt for GraphQL input values, which may also be a
// variable's json.Number or a string of digits.
func toInt(v any) (int, error) {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i), nil
		}
	case string:
		if i, err := strconv.Atoi(x); err == nil {
			return i, nil
		}
	default:
		if i, ok := odoo.AsInt(v); ok {
			return i, nil
		}
	}
	return 0, badInput("want an integer, got %v", v)
}

func toFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return f, nil
		}
	}
	return 0, badInput("want a number, got %v", v)
}

// isoToOdooDateTime turns 2026-11-21T20:40:00Z (as scalar.UnmarshalDateTime
// returns it) into Odoo's 2026-11-21 20:40:00.
func isoToOdooDateTime(s string) (string, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return "", badInput("DateTime must be ISO 8601 like 2026-11-21T20:40:00Z, got %q", s)
	}
	return odoo.FormatDateTime(t), nil
}

// scalarError is a scalar's bad-input error as the engine's.
func scalarError(err error) error {
	var g *gqlerror.Error
	if errors.As(err, &g) {
		return badInput("%s", g.Message)
	}
	return badInput("%v", err)
}

// compileOrder turns orderBy ([{name: ASC}, {id: DESC}]) into an Odoo order
// string ("name asc, id desc").
func compileOrder(model *odoo.Model, orderBy []any) (string, error) {
	var keys []string
	for i, item := range orderBy {
		m, ok := item.(map[string]any)
		if !ok {
			return "", badInput("orderBy[%d] must be an object", i)
		}
		var set []string
		for k, v := range m {
			if v != nil {
				set = append(set, k)
			}
		}
		if len(set) != 1 {
			return "", badInput("orderBy[%d] must set exactly one field, got %d", i, len(set))
		}
		field := set[0]
		if model != nil {
			f, ok := fieldOf(model, field)
			if !ok || !(f.Sortable || field == "id") {
				return "", badInput("cannot sort %s by %q", model.Model, field)
			}
		}
		dir := strings.ToLower(fmt.Sprint(m[field]))
		if dir != "asc" && dir != "desc" {
			return "", badInput("orderBy[%d].%s must be ASC or DESC", i, field)
		}
		keys = append(keys, field+" "+dir)
	}
	return strings.Join(keys, ", "), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// plain turns the typed values gqlgen puts into map-bound inputs (pointers
// for nullable fields, named string types for enums, typed slices) into
// plain Go values: nil, string, bool, numbers, []any and map[string]any.
func plain(v any) any {
	switch x := v.(type) {
	case nil, string, bool, int, int64, float64, json.Number:
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[k] = plain(item)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = plain(item)
		}
		return out
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil
		}
		return plain(rv.Elem().Interface())
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		return rv.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = plain(rv.Index(i).Interface())
		}
		return out
	case reflect.Map:
		out := make(map[string]any, rv.Len())
		iter := rv.MapRange()
		for iter.Next() {
			out[fmt.Sprint(iter.Key().Interface())] = plain(iter.Value().Interface())
		}
		return out
	}
	return v
}
