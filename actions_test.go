package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/schemagen"
	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// Business actions (issue 12): the methods generate.yml lists
// (sale.order.action_confirm, sale.order.action_cancel) are mutations that
// call the method in one Odoo call and read the records back.

// TestActionConfirm confirms a quotation through saleOrderActionConfirm: one
// action_confirm call, then the read-back of the order (state sale) and of
// the delivery order the confirmation created; result is Odoo's True.
func TestActionConfirm(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		g.mustDo(`{ resPartners(limit: 1) { nodes { id } } }`, nil, nil) // logs the service account in
		g.odoo.ResetCounters()
		var data struct {
			SaleOrderActionConfirm struct {
				Records []struct {
					ID         string `json:"id"`
					Name       string `json:"name"`
					State      string `json:"state"`
					PickingIDs []struct {
						Name   string `json:"name"`
						Origin string `json:"origin"`
						SaleID *struct {
							ID string `json:"id"`
						} `json:"sale_id"`
					} `json:"picking_ids"`
				} `json:"records"`
				Result json.RawMessage `json:"result"`
			} `json:"saleOrderActionConfirm"`
		}
		// S00001 (id 1) is a quotation (draft).
		g.mustDo(`mutation { saleOrderActionConfirm(ids: ["1"]) {
			records { id name state picking_ids { name origin sale_id { id } } }
			result
		} }`, nil, &data)
		res := data.SaleOrderActionConfirm
		if string(res.Result) != "true" {
			t.Errorf("result = %s, want true (Odoo's return value)", res.Result)
		}
		if len(res.Records) != 1 || res.Records[0].ID != "1" || res.Records[0].State != "sale" {
			t.Fatalf("records = %+v, want order 1 in state sale", res.Records)
		}
		p := res.Records[0].PickingIDs
		if len(p) != 1 || p[0].Origin != "S00001" || !strings.HasPrefix(p[0].Name, "WH/OUT/") || p[0].SaleID == nil || p[0].SaleID.ID != "1" {
			t.Errorf("picking_ids = %+v, want one delivery WH/OUT/… of S00001", p)
		}
		if n := g.odoo.Calls("sale.order", "action_confirm"); n != 1 {
			t.Errorf("%d action_confirm calls, want 1", n)
		}
		// One call, then the read-back: one web_read (nested), or a read
		// per model and level (batched).
		want := map[engine.Strategy]int{engine.Nested: 2, engine.Batched: 3}[strategyOf(t)]
		if n := g.odoo.TotalCalls(); n != want {
			t.Errorf("%d Odoo calls, want %d: %v", n, want, g.odoo.CallCounts())
		}
	})
}

// strategyOf is the fetch strategy of a forStrategies subtest, by its name.
func strategyOf(t *testing.T) engine.Strategy {
	if strings.HasSuffix(t.Name(), "batched") {
		return engine.Batched
	}
	return engine.Nested
}

// TestActionErrors: confirming an order that is no quotation is Odoo's
// UserError, a BAD_USER_INPUT with Odoo's message after one call; a method
// generate.yml does not list has no mutation (no Odoo call).
func TestActionErrors(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		g.mustDo(`{ resPartners(limit: 1) { nodes { id } } }`, nil, nil)
		g.odoo.ResetCounters()
		// S00004 (id 4) is confirmed already.
		errs := g.do(`mutation { saleOrderActionConfirm(ids: ["4"]) { records { state } result } }`, nil, nil)
		if len(errs) != 1 || errs[0].code() != "BAD_USER_INPUT" || errs[0].Message != "Some orders are not in a state requiring confirmation." {
			t.Errorf("errors = %+v, want one BAD_USER_INPUT with Odoo's message", errs)
		}
		if n, all := g.odoo.Calls("sale.order", "action_confirm"), g.odoo.TotalCalls(); n != 1 || all != 1 {
			t.Errorf("%d action_confirm calls of %d, want 1 of 1: %v", n, all, g.odoo.CallCounts())
		}
		var state struct {
			SaleOrder struct{ State string } `json:"saleOrder"`
		}
		g.mustDo(`{ saleOrder(id: "4") { state } }`, nil, &state)
		if state.SaleOrder.State != "sale" {
			t.Errorf("state = %q after the refused confirmation, want sale", state.SaleOrder.State)
		}

		g.odoo.ResetCounters()
		for _, q := range []string{
			`mutation { saleOrderActionDraft(ids: ["4"]) { result } }`, // not listed
			`mutation { saleOrderActionConfirm(ids: ["4"]) { records { nope } } }`,
		} {
			errs = g.do(q, nil, nil)
			if len(errs) == 0 || errs[0].code() != "GRAPHQL_VALIDATION_FAILED" {
				t.Errorf("%s: errors = %+v, want GRAPHQL_VALIDATION_FAILED", q, errs)
			}
		}
		for _, q := range []string{
			`mutation { saleOrderActionConfirm(ids: ["1"], args: {a: 1}) { result } }`,
			`mutation { saleOrderActionConfirm(ids: ["1"], kwargs: {context: {lang: "fr_FR"}}) { result } }`,
		} {
			errs = g.do(q, nil, nil)
			if len(errs) != 1 || errs[0].code() != "BAD_USER_INPUT" {
				t.Errorf("%s: errors = %+v, want one BAD_USER_INPUT", q, errs)
			}
		}
		if n := g.odoo.TotalCalls(); n != 0 {
			t.Errorf("%d Odoo calls for refused operations, want none: %v", n, g.odoo.CallCounts())
		}
	})
}

// TestActionCancel: a quotation is cancelled (write's True); a confirmed
// order gets Odoo's cancellation wizard, a window action returned as JSON
// (object keys sorted, as every JSON value is printed).
func TestActionCancel(t *testing.T) {
	forStrategies(t, func(t *testing.T, g *gateway) {
		raw := g.rawData(`mutation {
			a: saleOrderActionCancel(ids: ["2"]) { records { id state } result }
			b: saleOrderActionCancel(ids: ["4"]) { result records { state } }
		}`, nil)
		want := `{"a":{"records":[{"id":"2","state":"cancel"}],"result":true},` +
			`"b":{"result":{"context":{"default_order_id":4,"mark_so_as_canceled":true},"name":"Cancel Sales Order","res_model":"sale.order.cancel","target":"new","type":"ir.actions.act_window","view_mode":"form"},"records":[{"state":"sale"}]}}`
		if string(raw) != want {
			t.Errorf("data =\n %s\nwant\n %s", raw, want)
		}
		if n := g.odoo.Calls("sale.order", "action_cancel"); n != 2 {
			t.Errorf("%d action_cancel calls, want 2", n)
		}
	})
}

// TestActionCompiledLiveIdentical: the compiled and the live schema answer
// an action byte for byte the same (a fixed clock: date_order is now).
func TestActionCompiledLiveIdentical(t *testing.T) {
	clock := func() time.Time { return time.Date(2026, 11, 29, 14, 0, 0, 0, time.UTC) }
	query := `mutation Confirm {
		saleOrderActionConfirm(ids: ["1", "19"]) {
			result
			records { id name state date_order amount_total partner_id { name } picking_ids { name origin state } }
			again: records { nodeId ... on SaleOrder { state } }
			__typename
		}
	}`
	var out [][]byte
	for _, m := range []server.SchemaMode{server.SchemaCompiled, server.SchemaLive} {
		for _, s := range []engine.Strategy{engine.Nested, engine.Batched} {
			g := newGatewayConfig(t, func(c *server.Config) { c.Schema, c.Strategy = m, s }, odootest.WithClock(clock))
			out = append(out, g.rawData(query, nil))
		}
	}
	for i := 1; i < len(out); i++ {
		if !bytes.Equal(out[0], out[i]) {
			t.Errorf("answer %d differs:\n %s\n %s", i, out[0], out[i])
		}
	}
	if !bytes.Contains(out[0], []byte(`"date_order":"2026-11-29T14:00:00Z"`)) || !bytes.Contains(out[0], []byte(`"origin":"S00019"`)) {
		t.Errorf("answer %s: want date_order now and the deliveries", out[0])
	}
}

// TestActionConfig: only public methods of exposed models are callable;
// anything else stops the gateway at start (exit code 2), naming the entry.
func TestActionConfig(t *testing.T) {
	odooEnv := map[string]string{"ODOO_URL": "http://odoo.example.com", "ODOO_DB": "db", "ODOO_USERNAME": "u", "ODOO_PASSWORD": "p"}
	for _, tt := range []struct {
		env  map[string]string
		want string // in the error; "" for none
	}{
		{map[string]string{"ODOOGQL_METHODS": "sale.order.action_confirm, sale.order.action_cancel"}, ""},
		{map[string]string{"ODOOGQL_MODELS": "sale.*", "ODOOGQL_METHODS": "sale.order.action_confirm"}, ""},
		{map[string]string{"ODOOGQL_MODELS": "res.partner", "ODOOGQL_METHODS": "sale.order.action_confirm"}, `ODOOGQL_METHODS: "sale.order.action_confirm": model sale.order is not exposed`},
		{map[string]string{"ODOOGQL_METHODS": "sale.order._action_confirm"}, `"sale.order._action_confirm": _action_confirm is a private method`},
		{map[string]string{"ODOOGQL_METHODS": "sale.order.action-confirm"}, `"action-confirm" is not a valid method name`},
		{map[string]string{"ODOOGQL_METHODS": "action_confirm"}, `"action_confirm" is not model.method`},
		{map[string]string{"ODOOGQL_METHODS": "ir.cron.method_direct_trigger"}, `model ir.cron is not exposed`},
	} {
		env := map[string]string{}
		for k, v := range odooEnv {
			env[k] = v
		}
		for k, v := range tt.env {
			env[k] = v
		}
		_, err := server.LoadConfig(nil, func(k string) string { return env[k] }, io.Discard)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%v: %v", tt.env, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%v: error %v, want one with %q", tt.env, err, tt.want)
		}
	}

	// The embedded demo: its generate.yml's rules decide what is exposed.
	for _, methods := range []string{"sale.order._action_confirm", "crm.lead.action_set_won", "sale.order.action_confirm;drop"} {
		var stderr bytes.Buffer
		env := map[string]string{"ODOOGQL_METHODS": methods, "PORT": "0"}
		if code := server.Main(nil, func(k string) string { return env[k] }, io.Discard, &stderr, metadataJSON, generateYML); code != 2 {
			t.Errorf("%s: exit code %d, want 2 (%s)", methods, code, stderr.String())
		}
		if !strings.Contains(stderr.String(), "ODOOGQL_METHODS") {
			t.Errorf("%s: %q does not name ODOOGQL_METHODS", methods, stderr.String())
		}
	}

	// A listed model the snapshot does not have: the schema cannot be
	// built, and New fails.
	meta, err := server.ParseMetadata(metadataJSON)
	if err != nil {
		t.Fatal(err)
	}
	o := odootest.NewServer()
	defer o.Close()
	rules := schemagen.Config{Models: []string{"res.partner", "x.missing"}, Methods: []string{"x.missing.action_go"}}
	cfg := server.Config{OdooURL: o.URL, OdooDB: o.DB(), OdooUser: "admin", OdooPassword: "admin", DefaultLimit: 100, MaxLimit: 1000,
		OdooTimeout: 30 * time.Second, MaxConns: 4, MetadataTTL: time.Hour, LoginTTL: time.Minute, CacheMaxEntries: 10, CacheMaxBytes: 1 << 20,
		Schema: server.SchemaLive, Exposure: &rules}
	if gw, err := server.New(cfg, meta, nil); err == nil || !strings.Contains(err.Error(), `"x.missing.action_go": model x.missing is not exposed`) {
		if gw != nil {
			gw.Close()
		}
		t.Errorf("New: %v, want the method refused", err)
	}
}

// TestActionReturnsNone: a method returning None (res.partner's
// action_archive), which Odoo's XML-RPC answers with a fault although the
// method ran, has result null; listed through ODOOGQL_METHODS's rules in
// live mode. The call drops the cached records it may have changed.
func TestActionReturnsNone(t *testing.T) {
	for _, s := range []engine.Strategy{engine.Nested, engine.Batched} {
		rules := *exposure(t)
		rules.Methods = append(append([]string{}, rules.Methods...), "res.partner.action_archive")
		g := newGatewayConfig(t, func(c *server.Config) {
			c.Schema, c.Strategy, c.Exposure, c.CacheTTL = server.SchemaLive, s, &rules, time.Minute
		})
		if raw := g.rawData(`{ resPartner(id: "10") { active } }`, nil); string(raw) != `{"resPartner":{"active":true}}` {
			t.Fatalf("before: %s", raw)
		}
		g.odoo.ResetCounters()
		raw := g.rawData(`mutation { resPartnerActionArchive(ids: ["10"]) { result records { id active } } }`, nil)
		if want := `{"resPartnerActionArchive":{"result":null,"records":[{"id":"10","active":false}]}}`; string(raw) != want {
			t.Errorf("got %s, want %s", raw, want)
		}
		if n := g.odoo.Calls("res.partner", "action_archive"); n != 1 {
			t.Errorf("%d action_archive calls, want 1", n)
		}
		if raw := g.rawData(`{ resPartner(id: "10") { active } }`, nil); string(raw) != `{"resPartner":{"active":false}}` {
			t.Errorf("after (record cache on): %s", raw)
		}
	}
}
