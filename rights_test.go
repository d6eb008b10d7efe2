package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/odoo"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// TestOdooModelsRightsCalls pins what odooModels' rights cost: a user's first
// query sums the access rules (ir.model.access, read once for all users by
// the service account, or at Warm) over the user's groups, one read of
// res.users; a second query costs nothing. It used to cost 80 calls per
// user (20 models × 4 check_access_rights). The rights must be exactly what
// check_access_rights answers for that user (a differential test), for the
// admin and for demo, who may not read ir.model.access itself.
func TestOdooModelsRightsCalls(t *testing.T) {
	q := `{ odooModels { model access { read create write unlink } } }`
	type models struct {
		OdooModels []struct {
			Model  string
			Access struct{ Read, Create, Write, Unlink bool }
		} `json:"odooModels"`
	}
	users := []struct {
		login string
		uid   int
	}{{"demo", odootest.DemoUID}, {"admin", odootest.AdminUID}}
	for _, warm := range []bool{false, true} {
		t.Run(fmt.Sprintf("warm=%v", warm), func(t *testing.T) {
			g := newGateway(t, single(engine.Nested))
			ctx := context.Background()
			if warm {
				if err := g.gw.Warm(ctx); err != nil {
					t.Fatal(err)
				}
			}
			client, err := odoo.NewClient(odoo.Config{URL: g.odoo.URL, DB: g.odoo.DB()})
			if err != nil {
				t.Fatal(err)
			}
			for i, u := range users {
				g.odoo.ResetCounters()
				var got models
				g.as(u.login, u.login).mustDo(q, nil, &got)
				calls := g.odoo.CallCounts()
				want := map[string]int{"authenticate": 1, "res.users.read": 1}
				if u.login == "admin" {
					delete(want, "authenticate") // the service account's login, cached
				}
				if !warm && i == 0 {
					// The first user of a cold gateway also loads what is
					// shared: the service account's login, the version and the
					// access rules of the 20 models.
					want["authenticate"] = 2
					want["version"] = 1
					want["ir.model.search_read"] = 1
					want["ir.model.access.search_read"] = 1
				}
				if fmt.Sprint(calls) != fmt.Sprint(want) {
					t.Errorf("%s's first odooModels: calls %v, want %v", u.login, calls, want)
				}
				g.odoo.ResetCounters()
				g.as(u.login, u.login).mustDo(q, nil, &got)
				if n := g.odoo.TotalCalls(); n != 0 {
					t.Errorf("%s's second odooModels: %d calls %v, want none", u.login, n, g.odoo.CallCounts())
				}
				if len(got.OdooModels) != 20 {
					t.Fatalf("%d models, want 20", len(got.OdooModels))
				}
				// Differential: what Odoo's check_access_rights answers.
				s := client.Session(u.uid, u.login)
				var granted int
				for _, m := range got.OdooModels {
					for op, have := range map[string]bool{"read": m.Access.Read, "create": m.Access.Create, "write": m.Access.Write, "unlink": m.Access.Unlink} {
						want, err := s.CheckAccessRights(ctx, m.Model, op)
						if err != nil {
							t.Fatal(err)
						}
						if have != want {
							t.Errorf("%s %s %s: odooModels says %v, check_access_rights %v", u.login, m.Model, op, have, want)
						}
						if have {
							granted++
						}
					}
				}
				t.Logf("%s: %d of 80 rights granted", u.login, granted)
			}
		})
	}
}
