package graph

// This file is not generated: the resolvers of the odooModels meta query.

import (
	"context"
	"errors"

	"github.com/odoogql/odoogql/graph/model"
	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/loaders"
)

// OdooModels lists the exposed models. It takes no part in the operation's
// plan, so it tells the other root fields at once not to wait for it (its
// access lookups would otherwise delay their shared plan).
func (r *queryResolver) OdooModels(ctx context.Context) ([]*model.OdooModel, error) {
	engine.Arrive(ctx)
	return exposedModels(), nil
}

// OdooModel returns the resolver of OdooModel's access field.
func (r *Resolver) OdooModel() OdooModelResolver { return &odooModelResolver{r} }

type odooModelResolver struct{ *Resolver }

// Access returns the caller's rights on the model, from the metadata cache
// (per user): the rights on every exposed model are loaded together, from
// Odoo's access rules and the user's groups (see loaders.Meta.Rights), so
// the resolvers of one odooModels list share one load.
func (r *odooModelResolver) Access(ctx context.Context, obj *model.OdooModel) (*model.OdooAccess, error) {
	l := loaders.For(ctx)
	if l == nil || r.Meta == nil {
		return nil, errors.New("graph: no loaders or metadata cache")
	}
	exposed := exposedModels()
	names := make([]string, len(exposed))
	for i, m := range exposed {
		names[i] = m.Model
	}
	rights, err := r.Meta.Rights(ctx, l.Session(), names)
	if err != nil {
		return nil, err
	}
	a := rights[obj.Model]
	return &model.OdooAccess{Read: a.Read, Create: a.Create, Write: a.Write, Unlink: a.Unlink}, nil
}

// ExposedFields returns, per model technical name, the Odoo fields its
// GraphQL type exposes (what a client can read).
func ExposedFields() map[string]map[string]bool {
	schema := NewExecutableSchema(Config{}).Schema()
	out := map[string]map[string]bool{}
	for _, m := range exposedModels() {
		def := schema.Types[m.Type]
		if def == nil {
			continue
		}
		fields := make(map[string]bool, len(def.Fields))
		for _, f := range def.Fields {
			fields[f.Name] = true
		}
		out[m.Model] = fields
	}
	return out
}
