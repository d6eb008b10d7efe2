package main

import (
	"testing"

	"github.com/odoogql/odoogql/internal/engine"
)

// TestNodeIdentity: records of two models the API does not expose, with the
// same id (Deco Addict's payment term and supplier location are both 4),
// have distinct types and node ids — what a client cache keys them by
// (Apollo and urql: __typename and id) — and every record, of an exposed
// model or not, can be fetched again through node with the same Odoo calls
// as its by-id root field.
func TestNodeIdentity(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		type ref struct {
			Typename    string `json:"__typename"`
			ID          string `json:"id"`
			NodeID      string `json:"nodeId"`
			DisplayName string `json:"display_name"`
		}
		var got struct {
			ResPartner struct {
				Typename string `json:"__typename"`
				ID       string `json:"id"`
				NodeID   string `json:"nodeId"`
				Name     string `json:"name"`
				Term     ref    `json:"property_payment_term_id"`
				Location ref    `json:"property_stock_supplier"`
			} `json:"resPartner"`
		}
		g.mustDo(`{ resPartner(id: 10) { __typename id nodeId name
			property_payment_term_id { __typename id nodeId display_name }
			property_stock_supplier { ... on Node { nodeId } __typename id display_name } } }`, nil, &got)
		p := got.ResPartner
		if p.Name != "Deco Addict" || p.Typename != "ResPartner" || p.NodeID != engine.NodeID("res.partner", 10) {
			t.Fatalf("partner: %+v", p)
		}
		if p.Term.ID != "4" || p.Location.ID != "4" {
			t.Fatalf("the two relations no longer share an id (the test's premise): %+v %+v", p.Term, p.Location)
		}
		if p.Term.Typename != "AccountPaymentTerm" || p.Location.Typename != "StockLocation" {
			t.Errorf("types %q and %q, want AccountPaymentTerm and StockLocation", p.Term.Typename, p.Location.Typename)
		}
		for _, r := range []struct {
			ref   ref
			model string
		}{{p.Term, "account.payment.term"}, {p.Location, "stock.location"}} {
			if m, id, err := engine.ParseNodeID(r.ref.NodeID); err != nil || m != r.model || id != "4" {
				t.Errorf("%s node id %q: %s %s %v", r.model, r.ref.NodeID, m, id, err)
			}
		}

		// Refetch through node: the same values, for the same Odoo calls.
		g.odoo.ResetCounters()
		var byID struct {
			R struct {
				Name string `json:"name"`
			} `json:"resPartner"`
		}
		g.mustDo(`{ resPartner(id: 10) { name } }`, nil, &byID)
		calls := g.odoo.TotalCalls()
		g.odoo.ResetCounters()
		var node struct {
			Node map[string]any `json:"node"`
		}
		g.mustDo(`query($n: ID!) { node(nodeId: $n) { __typename nodeId ... on ResPartner { name } } }`, map[string]any{"n": p.NodeID}, &node)
		if node.Node["__typename"] != "ResPartner" || node.Node["nodeId"] != p.NodeID || node.Node["name"] != byID.R.Name {
			t.Errorf("node of the partner: %v", node.Node)
		}
		if n := g.odoo.TotalCalls(); n != calls {
			t.Errorf("node: %d Odoo calls, the by-id root field %d", n, calls)
		}
		node.Node = nil
		g.mustDo(`query($n: ID!) { node(nodeId: $n) { __typename ... on AccountPaymentTerm { id display_name } } }`, map[string]any{"n": p.Term.NodeID}, &node)
		if node.Node["__typename"] != "AccountPaymentTerm" || node.Node["id"] != "4" || node.Node["display_name"] != p.Term.DisplayName {
			t.Errorf("node of the payment term: %v (want %+v)", node.Node, p.Term)
		}

		// null, without an error, for a record that does not exist and a
		// model without a type; an error for what is not a node id.
		for _, n := range []string{engine.NodeID("res.partner", 999999), engine.NodeID("ir.cron", 1)} {
			var res struct {
				Node *map[string]any `json:"node"`
			}
			g.mustDo(`query($n: ID!) { node(nodeId: $n) { nodeId } }`, map[string]any{"n": n}, &res)
			if res.Node != nil {
				t.Errorf("node(%s): %v, want null", n, *res.Node)
			}
		}
		errs := g.do(`{ node(nodeId: "not a node id") { nodeId } }`, nil, nil)
		if len(errs) != 1 || errs[0].code() != engine.CodeBadUserInput {
			t.Errorf("a malformed node id: %+v, want one BAD_USER_INPUT", errs)
		}
	})
}
