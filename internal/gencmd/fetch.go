package gencmd

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/odoogql/odoogql/odoo"
)

// FetchOptions says which Odoo to read metadata from and which models.
type FetchOptions struct {
	URL, DB, User, Password string
	// Patterns are model names or glob patterns (sale.*).
	Patterns []string
	// Depth adds models reachable through relations, up to this many hops.
	Depth int
	// Warn receives one line per model skipped because Odoo refused it
	// (listed in ir.model but not loaded: "Object x doesn't exist"); nil
	// discards them.
	Warn func(msg string)
}

// FieldAttributes are the fields_get attributes a snapshot keeps.
var FieldAttributes = []string{
	"string", "help", "type", "relation", "relation_field", "required", "readonly",
	"store", "searchable", "sortable", "selection", "groups",
}

// Fetch reads a metadata snapshot from a live Odoo: the models of ir.model
// that match the patterns, plus those reachable from them through relations
// up to opt.Depth hops, each with its fields_get.
func Fetch(ctx context.Context, opt FetchOptions) (*odoo.Metadata, error) {
	if opt.URL == "" || opt.DB == "" || opt.User == "" {
		return nil, errors.New("fetch: -url, -db and -user are required")
	}
	c, err := odoo.NewClient(odoo.Config{URL: opt.URL, DB: opt.DB})
	if err != nil {
		return nil, err
	}
	ver, err := c.Version(ctx)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	uid, err := c.Authenticate(ctx, opt.User, opt.Password)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	s := c.Session(uid, opt.Password)
	rows, err := s.SearchRead(ctx, "ir.model", []any{}, []string{"model", "name", "transient"}, odoo.SearchOptions{Order: "model"})
	if err != nil {
		return nil, fmt.Errorf("fetch: list models: %w", err)
	}
	known := map[string]odoo.Model{}
	for _, r := range rows {
		name, _ := odoo.AsString(r["model"])
		desc, _ := odoo.AsString(r["name"])
		transient, _ := r["transient"].(bool)
		known[name] = odoo.Model{Model: name, Name: desc, Transient: transient}
	}
	var queue []string
	for name := range known {
		for _, p := range opt.Patterns {
			if ok, _ := path.Match(strings.TrimSpace(p), name); ok {
				queue = append(queue, name)
				break
			}
		}
	}
	if len(queue) == 0 {
		return nil, fmt.Errorf("fetch: no model of %s matches %v", opt.URL, opt.Patterns)
	}
	sort.Strings(queue)
	meta := &odoo.Metadata{ServerVersion: ver.ServerVersion}
	seen := map[string]bool{}
	for _, q := range queue {
		seen[q] = true
	}
	for depth := 0; len(queue) > 0; depth++ {
		var next []string
		for _, name := range queue {
			fields, err := s.FieldsGet(ctx, name, FieldAttributes)
			if refused(err) {
				if opt.Warn != nil {
					opt.Warn(fmt.Sprintf("skipping %s: %v", name, err))
				}
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("fetch: %w", err)
			}
			m := known[name]
			m.Fields = fields
			meta.Models = append(meta.Models, m)
			if depth >= opt.Depth {
				continue
			}
			for _, f := range fields {
				if f.Relation != "" && !seen[f.Relation] {
					if _, ok := known[f.Relation]; ok {
						seen[f.Relation] = true
						next = append(next, f.Relation)
					}
				}
			}
		}
		sort.Strings(next)
		queue = next
	}
	meta.Sort()
	return meta, nil
}

// refused reports whether err is Odoo refusing one model (ir.model lists
// it but the registry does not have it, or the user may not read it), so
// fetch can skip that model and carry on. Transport failures, bad
// credentials and server errors still stop fetch.
func refused(err error) bool {
	var f *odoo.Fault
	if !errors.As(err, &f) {
		return false
	}
	switch f.Kind {
	case odoo.KindAccess:
		return true
	case odoo.KindValidation:
		return strings.Contains(f.Message, "doesn't exist") || strings.Contains(f.Message, "does not exist")
	}
	return false
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
