package schemagen

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
)

// Action is one allow-listed model method (Config.Methods) of an exposed
// model: the mutation that calls it and the type of its result.
type Action struct {
	Method string // Odoo's method: action_confirm
	Field  string // the mutation: saleOrderActionConfirm
	Type   string // its result type: SaleOrderActionConfirmResult
}

// methodName is a public Python identifier: what ValidateMethods accepts
// after the model's last dot.
var methodName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// SplitMethod splits "sale.order.action_confirm" into its model and method
// (after the last dot).
func SplitMethod(s string) (model, method string, ok bool) {
	i := strings.LastIndexByte(s, '.')
	if i <= 0 || i == len(s)-1 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// ValidateMethods checks Methods: each must be model.method with a method
// that is a valid, public identifier (not starting with _) of a model the
// configuration selects (SelectsModel; a wizard must be named exactly in
// Models). The error names the first bad entry.
func (c Config) ValidateMethods() error {
	seen := map[string]bool{}
	for _, s := range c.Methods {
		model, method, ok := SplitMethod(s)
		switch {
		case !ok:
			return fmt.Errorf("%q is not model.method (sale.order.action_confirm)", s)
		case strings.HasPrefix(method, "_"):
			return fmt.Errorf("%q: %s is a private method, which Odoo never lets a client call", s, method)
		case !methodName.MatchString(method) || strings.Contains(method, "__"):
			return fmt.Errorf("%q: %q is not a valid method name", s, method)
		case strings.ContainsAny(model, `*?[\`):
			return fmt.Errorf("%q: the model must be named, not a pattern", s)
		case !c.SelectsModel(model, false) && !c.namesExactly(model):
			return fmt.Errorf("%q: model %s is not exposed by the configuration", s, model)
		case seen[s]:
			return fmt.Errorf("%q is listed twice", s)
		}
		seen[s] = true
	}
	return nil
}

// namesExactly reports whether Models names model without wildcards (and
// ExcludeModels does not remove it): a wizard exposed by name.
func (c Config) namesExactly(model string) bool {
	if matchAny(c.ExcludeModels, model) {
		return false
	}
	for _, p := range c.Models {
		if p == model {
			return true
		}
	}
	return false
}

// addActions gives each method of Config.Methods its mutation and result
// type, after every other name is made (so that listing a method never
// renames anything else): the mutation is the model type's camelCase name
// then the method's words (saleOrderActionConfirm), its type the same in
// PascalCase with "Result"; both numbered when taken. A method of a model
// the schema does not expose is an error.
func addActions(models []*model, cfg Config, types *namer) error {
	if len(cfg.Methods) == 0 {
		return nil
	}
	index := map[string]*model{}
	roots := newNamer(reservedRootFields...)
	for _, m := range models {
		index[m.Model.Model] = m
		// Every root field name the model has (reflect: whatever Names
		// holds, present and future).
		v := reflect.ValueOf(m.Names)
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.Kind() == reflect.String && i > 0 && f.String() != "" {
				roots.mark(f.String())
			}
		}
	}
	methods := append([]string{}, cfg.Methods...)
	sort.Strings(methods)
	for _, s := range methods {
		name, method, ok := SplitMethod(s)
		if !ok {
			return fmt.Errorf("schemagen: methods: %q is not model.method", s)
		}
		m := index[name]
		if m == nil {
			return fmt.Errorf("schemagen: methods: %q: model %s is not exposed by the schema", s, name)
		}
		words := pascal(modelWords(method))
		field := roots.take(lowerFirst(m.Type) + words)
		typ := types.take(pascal([]string{field}) + "Result")
		m.actions = append(m.actions, Action{Method: method, Field: field, Type: typ})
	}
	return nil
}

// printActionTypes writes the result type of each action.
func printActionTypes(b *bytes.Buffer, models []*model) {
	for _, m := range models {
		for _, a := range m.actions {
			b.WriteString("\n")
			description(b, "", fmt.Sprintf("What %s.%s did: the records it was called on, read back after it, and what it returned.", m.Model.Model, a.Method))
			fmt.Fprintf(b, "type %s {\n", a.Type)
			b.WriteString("  \"\"\"The records the method was called on, as they are after it.\"\"\"\n")
			fmt.Fprintf(b, "  records: [%s!]!\n", m.Type)
			b.WriteString("  \"\"\"The method's return value, as Odoo returned it (a window action, true, ...); null for None.\"\"\"\n")
			b.WriteString("  result: JSON\n}\n")
		}
	}
}

// printActionFields writes the mutation of each action.
func printActionFields(b *bytes.Buffer, models []*model) {
	for _, m := range models {
		for _, a := range m.actions {
			description(b, "  ", fmt.Sprintf("Call %s.%s on the records ids, in one Odoo call (model.method(ids, *args, **kwargs)), as the caller.", m.Model.Model, a.Method))
			fmt.Fprintf(b, "  %s(ids: [ID!]!, args: JSON, kwargs: JSON): %s!\n", a.Field, a.Type)
		}
	}
}

// printActionResolvers writes the compiled-mode resolver of each action of
// m.
func printActionResolvers(b *bytes.Buffer, m *model) {
	for _, a := range m.actions {
		res, t := goModel(a.Type), goModel(m.Type)
		fmt.Fprintf(b, "// %s calls %s.%s.\n", goName(a.Field), m.Model.Model, a.Method)
		fmt.Fprintf(b, "func (r *mutationResolver) %s(ctx context.Context, ids []string, args any, kwargs any) (*%s, error) {\n", goName(a.Field), res)
		fmt.Fprintf(b, "\trecords, result, err := engine.Call[%s](ctx, r.Engine, %q, %q, ids, args, kwargs)\n", t, m.Model.Model, a.Method)
		b.WriteString("\tif err != nil {\n\t\treturn nil, err\n\t}\n")
		fmt.Fprintf(b, "\treturn &%s{%s: records, %s: result}, nil\n}\n\n", res, goName("records"), goName("result"))
	}
}
