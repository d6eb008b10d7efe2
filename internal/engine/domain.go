package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/odoogql/odoogql/odoo"
)

// domainOps are the operators a raw domain may use, as Odoo 17+ accepts them.
var domainOps = map[string]bool{
	"=": true, "!=": true, "<>": true, "<": true, "<=": true, ">": true, ">=": true,
	"in": true, "not in": true, "like": true, "ilike": true, "not like": true, "not ilike": true,
	"=like": true, "=ilike": true, "=?": true, "child_of": true, "parent_of": true,
	"any": true, "not any": true,
}

// parseDomain validates a raw Odoo domain given as JSON (a list, or a string
// holding one) against the metadata of model, and returns it in the form the
// Odoo client sends. Errors name the position and the problem, so a client
// never sees an Odoo traceback for a domain it got wrong.
func (e *Engine) parseDomain(model string, raw any) (expr, error) {
	if raw == nil {
		return nil, nil
	}
	if s, ok := raw.(string); ok {
		var v any
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return nil, badInput("domain: not valid JSON: %v", err)
		}
		raw = v
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, badInput("domain: must be a list such as [[\"state\", \"=\", \"sale\"]], got %s", jsonKind(raw))
	}
	out := make(expr, 0, len(list))
	need := 1 // expressions still needed to complete the domain
	if len(list) == 0 {
		return nil, nil
	}
	for i, item := range list {
		if need == 0 {
			// Odoo joins top-level expressions with an implicit &.
			out = append(expr{"&"}, out...)
			need = 1
		}
		switch x := item.(type) {
		case string:
			switch x {
			case "&", "|":
				need++
			case "!":
			default:
				return nil, badInput("domain[%d]: unknown operator %q (want \"&\", \"|\", \"!\" or a [field, operator, value] term)", i, x)
			}
			out = append(out, x)
		case []any:
			leaf, err := e.parseLeaf(model, i, x)
			if err != nil {
				return nil, err
			}
			out = append(out, leaf)
			need--
		default:
			return nil, badInput("domain[%d]: want an operator or a [field, operator, value] term, got %s", i, jsonKind(item))
		}
	}
	if need != 0 {
		return nil, badInput("domain: %d operand(s) missing after the last operator", need)
	}
	return out, nil
}

func (e *Engine) parseLeaf(model string, i int, x []any) ([]any, error) {
	if len(x) != 3 {
		return nil, badInput("domain[%d]: a term has 3 items [field, operator, value], got %d", i, len(x))
	}
	op, ok := x[1].(string)
	if !ok || !domainOps[strings.ToLower(op)] {
		return nil, badInput("domain[%d]: unknown operator %v", i, x[1])
	}
	op = strings.ToLower(op)
	value := normalizeJSON(x[2])
	// The constant terms [1, "=", 1] and [0, "=", 1].
	if n, isNum := normalizeJSON(x[0]).(int); isNum {
		if (n == 0 || n == 1) && op == "=" {
			return []any{n, op, value}, nil
		}
		return nil, badInput("domain[%d]: the field must be a name, got %v", i, x[0])
	}
	path, ok := x[0].(string)
	if !ok || path == "" {
		return nil, badInput("domain[%d]: the field must be a name, got %s", i, jsonKind(x[0]))
	}
	last, err := e.checkPath(model, path)
	if err != nil {
		var drift *Error
		if errors.As(err, &drift) {
			return nil, &Error{Code: drift.Code, Message: fmt.Sprintf("domain[%d]: %s", i, drift.Message)}
		}
		if strings.Contains(path, ".") {
			return nil, badInput("domain[%d]: %v (in path %q)", i, err, path)
		}
		return nil, badInput("domain[%d]: %v", i, err)
	}
	switch op {
	case "in", "not in":
		if _, isList := value.([]any); !isList {
			if _, isBool := value.(bool); !isBool {
				return nil, badInput("domain[%d]: %q needs a list value, got %s", i, op, jsonKind(x[2]))
			}
		}
	case "any", "not any":
		if last == nil || !last.IsRelational() {
			return nil, badInput("domain[%d]: %q applies to relational fields only", i, op)
		}
		sub, err := e.parseDomain(last.Relation, x[2])
		if err != nil {
			return nil, fmt.Errorf("in domain[%d]: %w", i, err)
		}
		value = []any(sub)
		if value == nil {
			value = []any{}
		}
	}
	return []any{path, op, value}, nil
}

// checkPath checks that a dotted path (partner_id.country_id.code) names,
// from model, only what the API exposes: every step a searchable field of
// an exposed model (the engine's metadata is the exposed part of the
// snapshot, without the deny-list), every step but the last a relation,
// and on a model the API does not expose only id. It returns the last
// field. A field the API hides gets the same error as one that does not
// exist, so a domain cannot probe for hidden fields.
func (e *Engine) checkPath(model, path string) (*odoo.Field, error) {
	parts := strings.Split(path, ".")
	cur := model
	for j, name := range parts {
		m := e.model(cur)
		if m == nil {
			// A model outside the API: its records show id only.
			if name == "id" && j == len(parts)-1 {
				f := odoo.Field{Name: "id", Type: "integer", Searchable: true}
				return &f, nil
			}
			return nil, fmt.Errorf("unknown field %q on %s", name, cur)
		}
		f, ok := fieldOf(m, name)
		if !ok {
			return nil, fmt.Errorf("unknown field %q on %s", name, cur)
		}
		if err := e.checkDrift(cur, name); err != nil {
			return nil, err
		}
		if !f.Searchable && name != "id" {
			return nil, fmt.Errorf("field %q on %s cannot be searched", name, cur)
		}
		if j < len(parts)-1 {
			if !f.IsRelational() {
				return nil, fmt.Errorf("%q on %s is not a relation, so %q cannot follow it", name, cur, strings.Join(parts[j+1:], "."))
			}
			cur = f.Relation
			continue
		}
		return &f, nil
	}
	return nil, nil
}

// normalizeJSON turns JSON numbers into ints where they are whole (so Odoo
// receives <int> for ids, also from a GraphQL literal 1.0) and null into
// false, in lists and objects recursively: odoo.NormalizeJSON, as raw domains
// need it.
func normalizeJSON(v any) any {
	return odoo.NormalizeJSON(v, odoo.JSONOptions{WholeFloatsAsInts: true, NullAsFalse: true})
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "a number"
}
