package server

import (
	"context"
	"fmt"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/live"
	"github.com/odoogql/odoogql/internal/schemagen"
	"github.com/odoogql/odoogql/loaders"
	"github.com/odoogql/odoogql/odoo"
)

// SchemaMode is how the gateway serves its schema.
type SchemaMode int

const (
	// SchemaLive builds the schema at start-up from the metadata
	// (internal/schemagen) and executes it with internal/live.
	SchemaLive SchemaMode = iota
	// SchemaCompiled serves the schema gqlgen compiled from the committed
	// snapshot (package graph), when the binary includes it.
	SchemaCompiled
)

func (m SchemaMode) String() string {
	if m == SchemaCompiled {
		return "compiled"
	}
	return "live"
}

// ParseSchemaMode reads "live" or "compiled".
func ParseSchemaMode(s string) (SchemaMode, error) {
	switch s {
	case "", "live":
		return SchemaLive, nil
	case "compiled":
		return SchemaCompiled, nil
	}
	return SchemaLive, fmt.Errorf("unknown schema mode %q (want live or compiled)", s)
}

// Compiled is the compiled mode: gqlgen's generated schema (package graph).
// The main package registers it when built with it (RegisterCompiled), so
// that a binary serving only the live schema does not compile it.
type Compiled struct {
	// ExposedFields returns, per model, the fields its GraphQL type exposes.
	ExposedFields func() map[string]map[string]bool
	// New returns the executable schema over the engine and the metadata
	// cache; cached is the @cached directive, odooContext @context.
	New func(e *engine.Engine, meta *loaders.Meta, cached func(ctx context.Context, next graphql.Resolver, ttl int) (any, error),
		odooContext func(ctx context.Context, next graphql.Resolver, lang, tz *string, companies []string) (any, error)) graphql.ExecutableSchema
}

var (
	compiledMu sync.Mutex
	compiled   *Compiled
)

// RegisterCompiled makes the compiled mode available. Registering again
// replaces the previous registration.
func RegisterCompiled(c Compiled) {
	compiledMu.Lock()
	defer compiledMu.Unlock()
	compiled = &c
}

func compiledMode() (*Compiled, error) {
	compiledMu.Lock()
	defer compiledMu.Unlock()
	if compiled == nil {
		return nil, fmt.Errorf("this binary has no compiled schema (build with -tags compiled), use ODOOGQL_SCHEMA=live")
	}
	return compiled, nil
}

// liveSource returns the metadata and the exposure rules the live schema is
// built from when the gateway is given a snapshot (the embedded demo, or a
// caller of New with metadata): that snapshot, with cfg.Exposure (generate.yml's
// rules) or the default rules. Without a snapshot, the gateway reads the
// connected Odoo's catalogue with the same rules (liveRules, catalogue).
func liveSource(cfg Config, meta *odoo.Metadata) (*odoo.Metadata, schemagen.Config) {
	return meta, liveRules(cfg)
}

// liveRules are what live mode exposes: cfg.Exposure (a generate.yml given
// by ODOOGQL_CONFIG, the ODOOGQL_MODELS... variables, or the embedded
// demo's generate.yml), else every model with the default field exclusions.
func liveRules(cfg Config) schemagen.Config {
	if cfg.Exposure != nil {
		return *cfg.Exposure
	}
	return schemagen.Config{ExcludeFields: schemagen.DefaultExcludeFields()}
}

// liveSchemaSource is the name of the generated SDL's source, as gqlgen's
// generated code names schema.graphqls.
const liveSchemaSource = "../schema.graphqls"

// BuildLiveSchema generates the SDL of meta with rules (the same generator
// as go generate) and loads it as gqlgen loads a schema, prelude included.
func BuildLiveSchema(meta *odoo.Metadata, rules schemagen.Config) (*ast.Schema, string, error) {
	_, schema, sdl, err := generateLive(meta, rules)
	return schema, sdl, err
}

func generateLive(meta *odoo.Metadata, rules schemagen.Config) (*schemagen.Result, *ast.Schema, string, error) {
	res, err := schemagen.Generate(meta, rules)
	if err != nil {
		return nil, nil, "", err
	}
	sdl := string(res.Files[schemagen.SchemaFile])
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: liveSchemaSource, Input: sdl})
	if gerr != nil {
		return nil, nil, "", gerr
	}
	return res, schema, sdl, nil
}

// liveSchema is what the live mode serves: the schema, the root fields the
// engine answers, the exposed models and fields.
type liveSchema struct {
	schema   *ast.Schema
	sdl      string
	warnings []string // what the generator left out, and why
	roots    map[string]rootField
	models   []exposedModel
	exposed  map[string]map[string]bool
	// nodeTypes are the object type of each model with one (exposed, or
	// a relation's ref type): what node(nodeId) can fetch.
	nodeTypes map[string]string
}

// newLiveSchema builds the live schema of meta; the generator tells each
// exposed model's GraphQL names and fields (schemagen.Result.Models).
func newLiveSchema(meta *odoo.Metadata, rules schemagen.Config) (*liveSchema, error) {
	res, schema, sdl, err := generateLive(meta, rules)
	if err != nil {
		return nil, err
	}
	ls := &liveSchema{schema: schema, sdl: sdl, warnings: res.Warnings,
		roots: map[string]rootField{"odooModels": {op: opModels}, "node": {op: opNode}}, exposed: map[string]map[string]bool{},
		nodeTypes: map[string]string{}}
	for _, r := range res.Refs {
		ls.nodeTypes[r.Model] = r.Type
	}
	for _, m := range res.Models {
		n := m.Names
		ls.nodeTypes[m.Model] = n.Type
		ls.models = append(ls.models, exposedModel{Model: m.Model, Name: m.Name, Type: n.Type})
		for name, op := range map[string]rootOp{n.Singular: opGet, n.Plural: opList,
			n.Create: opCreate, n.CreateN: opCreateMany, n.Update: opUpdate, n.Delete: opDelete,
			n.Plural + "Aggregate": opAggregate} {
			if schema.Query.Fields.ForName(name) != nil || (schema.Mutation != nil && schema.Mutation.Fields.ForName(name) != nil) {
				ls.roots[name] = rootField{model: m.Model, op: op}
			}
		}
		for _, a := range m.Actions {
			ls.roots[a.Field] = rootField{model: m.Model, op: opAction, method: a.Method}
		}
		fields := make(map[string]bool, len(m.Fields))
		for _, f := range m.Fields {
			fields[f] = true
		}
		ls.exposed[m.Model] = fields
	}
	return ls, nil
}

// executable returns the live executable schema over the engine, with
// odooContext as the @context directive.
func (ls *liveSchema) executable(e *engine.Engine, rights func(ctx context.Context, models []string) (map[string]loaders.Access, error), odooContext live.OperationDirective) (*live.ExecutableSchema, error) {
	return live.New(live.Config{
		Schema:              ls.schema,
		Resolver:            &liveResolver{e: e, roots: ls.roots, models: ls.models, nodeTypes: ls.nodeTypes, rights: rights},
		Scalars:             liveScalars(),
		OperationDirectives: map[string]live.OperationDirective{"cached": cachedDirective, "context": odooContext},
	})
}
