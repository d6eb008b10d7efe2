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
	// Transport is the protocol (odoo.TransportXMLRPC when empty; JSON-2
	// needs Odoo 19 or later and Password an API key).
	Transport odoo.Transport
	// Patterns are model names or glob patterns (sale.*).
	Patterns []string
	// Depth adds models reachable through relations, up to this many hops.
	Depth int
	// Warn receives one line per model skipped because Odoo refused it
	// (listed in ir.model but not loaded: "Object x doesn't exist"); nil
	// discards them.
	Warn func(msg string)
	// Concurrency bounds the fields_get calls in flight (default
	// odoo.DefaultCatalogueConcurrency).
	Concurrency int
}

// FieldAttributes are the fields_get attributes a snapshot keeps (no
// aggregator: the committed snapshots are read without it).
var FieldAttributes = odoo.SnapshotAttributes

// Fetch reads a metadata snapshot from a live Odoo: the models of ir.model
// that match the patterns, plus those reachable from them through relations
// up to opt.Depth hops, each with its fields_get. The fields_get calls of
// each hop run opt.Concurrency at a time (odoo.Session.FieldsGetMany), so
// a whole Odoo (-models '*', 450 models) costs about 450/Concurrency round
// trips instead of 450.
func Fetch(ctx context.Context, opt FetchOptions) (*odoo.Metadata, error) {
	if opt.URL == "" || opt.DB == "" || opt.User == "" {
		return nil, errors.New("fetch: -url, -db and -user are required")
	}
	c, err := odoo.NewClient(odoo.Config{URL: opt.URL, DB: opt.DB, Transport: opt.Transport})
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
	list, err := s.ListModels(ctx)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	known := map[string]odoo.Model{}
	for _, m := range list {
		known[m.Model] = m
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
	read := odoo.FieldsGetManyOptions{Attributes: FieldAttributes, Concurrency: opt.Concurrency}
	if opt.Warn != nil {
		read.OnSkip = func(model string, err error) { opt.Warn(fmt.Sprintf("skipping %s: %v", model, err)) }
	}
	for depth := 0; len(queue) > 0; depth++ {
		fields, err := s.FieldsGetMany(ctx, queue, read)
		if err != nil {
			return nil, fmt.Errorf("fetch: %w", err)
		}
		var next []string
		for _, name := range queue {
			fs, ok := fields[name]
			if !ok {
				continue // refused, reported by OnSkip
			}
			m := known[name]
			m.Fields = fs
			meta.Models = append(meta.Models, m)
			if depth >= opt.Depth {
				continue
			}
			for _, f := range fs {
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

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
