package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/server"
)

// deniedOnUsers are fields of res.users in metadata.json that the deny-list
// (internal/secrets) keeps out of the API.
var deniedOnUsers = []string{"password", "new_password", "api_key_ids", "totp_trusted_device_ids", "signup_type"}

// TestSecretsNotInSchema: credentials are never part of the API, whatever
// generate.yml selects: no output field, filter, sort key or input for
// them; flags and counts with similar names stay. A query naming one fails
// validation before any Odoo call.
func TestSecretsNotInSchema(t *testing.T) {
	g := newGateway(t, single(engine.Nested))
	names := func(typ string) []string {
		var got struct {
			Type struct {
				Fields      []struct{ Name string } `json:"fields"`
				InputFields []struct{ Name string } `json:"inputFields"`
			} `json:"__type"`
		}
		g.mustDo(`query($t: String!) { __type(name: $t) { fields { name } inputFields { name } } }`, map[string]any{"t": typ}, &got)
		var out []string
		for _, f := range append(got.Type.Fields, got.Type.InputFields...) {
			out = append(out, f.Name)
		}
		if len(out) == 0 {
			t.Fatalf("type %s has no fields", typ)
		}
		return out
	}
	for _, typ := range []string{"ResUsers", "ResUsersWhere", "ResUsersOrderBy", "ResUsersCreateInput", "ResUsersUpdateInput"} {
		got := names(typ)
		for _, denied := range deniedOnUsers {
			if slices.Contains(got, denied) {
				t.Errorf("%s.%s is a secret and in the schema", typ, denied)
			}
		}
	}
	for _, kept := range []string{"login", "totp_enabled", "payment_token_count"} {
		if !slices.Contains(names("ResUsers"), kept) {
			t.Errorf("ResUsers.%s must stay", kept)
		}
	}
	for _, typ := range []string{"SaleOrder", "ProjectProject", "ProjectTask", "ResPartner"} {
		for _, denied := range []string{"access_token", "signup_type", "signup_token"} {
			if slices.Contains(names(typ), denied) {
				t.Errorf("%s.%s is a secret and in the schema", typ, denied)
			}
		}
	}

	g.odoo.ResetCounters()
	for _, q := range []string{
		`{ resUsers { nodes { password } } }`,
		`{ resUsers(where: {password: {eq: "admin"}}) { nodes { id } } }`,
		`{ resUsers(orderBy: [{password: ASC}]) { nodes { id } } }`,
		`{ resPartners { nodes { user_ids(where: {new_password: {eq: "x"}}) { id } } } }`,
		`{ resPartners { nodes { user_ids(orderBy: [{password: DESC}]) { id } } } }`,
		`{ resUsers { nodes { api_key_ids { id } } } }`,
		`mutation { updateResUsers(ids: ["2"], input: {password: "pwned"}) { id } }`,
		`mutation { createResUsers(input: {login: "x", name: "x", new_password: "pwned"}) { id } }`,
	} {
		errs := g.do(q, nil, nil)
		if len(errs) == 0 || errs[0].code() != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("%s: got %+v, want GRAPHQL_VALIDATION_FAILED", q, errs)
		}
	}
	for _, c := range g.odoo.CallLog() {
		if c.Model == "res.users" {
			t.Errorf("Odoo was called: %s.%s %v", c.Model, c.Method, c.Args)
		}
	}
}

// TestRawDomainOnlyExposedFields: a raw domain may name only fields the API
// exposes and can search, along paths through exposed relations. A hidden
// field (denied, or left out by exclude_fields) gets the very error a field
// that does not exist gets, so a domain cannot probe for it, and Odoo is
// never asked.
func TestRawDomainOnlyExposedFields(t *testing.T) {
	g := newGateway(t, single(engine.Nested))
	domainError := func(root, domain string) gqlError {
		t.Helper()
		errs := g.do(fmt.Sprintf(`query($d: JSON) { %s(domain: $d) { nodes { id } } }`, root), map[string]any{"d": json.RawMessage(domain)}, nil)
		if len(errs) != 1 {
			t.Fatalf("%s %s: want one error, got %+v", root, domain, errs)
		}
		if errs[0].code() != "BAD_USER_INPUT" {
			t.Errorf("%s %s: code %s (%s), want BAD_USER_INPUT", root, domain, errs[0].code(), errs[0].Message)
		}
		return errs[0]
	}
	g.odoo.ResetCounters()
	tests := []struct {
		root, domain, want string
	}{
		// Denied fields, directly and along paths.
		{"resUsers", `[["password", "=", "admin"]]`, `domain[0]: unknown field "password" on res.users`},
		{"resUsers", `["|", ["login", "=", "x"], ["new_password", "!=", false]]`, `domain[2]: unknown field "new_password" on res.users`},
		{"resPartners", `[["user_ids.password", "=like", "a%"]]`, `domain[0]: unknown field "password" on res.users (in path "user_ids.password")`},
		{"resPartners", `[["create_uid.password", "=like", "a%"]]`, `domain[0]: unknown field "password" on res.users (in path "create_uid.password")`},
		{"saleOrders", `[["partner_id.user_ids.signup_type", "!=", false]]`, `domain[0]: unknown field "signup_type" on res.users (in path "partner_id.user_ids.signup_type")`},
		{"resUsers", `[["api_key_ids.name", "=", "x"]]`, `domain[0]: unknown field "api_key_ids" on res.users (in path "api_key_ids.name")`},
		{"saleOrders", `[["access_token", "!=", false]]`, `domain[0]: unknown field "access_token" on sale.order`},
		{"resPartners", `[["user_ids", "any", [["password", "=", "admin"]]]]`, `domain[0]: unknown field "password" on res.users`},
		// Left out by exclude_fields in generate.yml.
		{"resPartners", `[["message_ids", "!=", false]]`, `domain[0]: unknown field "message_ids" on res.partner`},
		{"resPartners", `[["activity_state", "=", "overdue"]]`, `domain[0]: unknown field "activity_state" on res.partner`},
		// A model outside the API: only its id.
		{"resPartners", `[["industry_id.name", "=", "x"]]`, `domain[0]: unknown field "name" on res.partner.industry (in path "industry_id.name")`},
		// Exposed, but Odoo cannot search it.
		{"resPartners", `[["currency_id", "=", 1]]`, `domain[0]: field "currency_id" on res.partner cannot be searched`},
	}
	for _, tt := range tests {
		if e := domainError(tt.root, tt.domain); !strings.Contains(e.Message, tt.want) {
			t.Errorf("%s %s: got %q, want it to contain %q", tt.root, tt.domain, e.Message, tt.want)
		}
	}
	if n := g.odoo.TotalCalls() - g.odoo.Calls("", "authenticate") - g.odoo.Calls("", "version"); n != 0 {
		t.Errorf("refused domains cost %d Odoo calls: %v", n, g.odoo.CallCounts())
	}

	// Hidden and nonexistent fields read alike.
	hidden := domainError("resUsers", `[["password", "=", "x"]]`).Message
	missing := domainError("resUsers", `[["no_such_fieldx", "=", "x"]]`).Message
	if strings.ReplaceAll(missing, "no_such_fieldx", "password") != hidden {
		t.Errorf("a hidden field's error differs from a missing one's:\n%q\n%q", hidden, missing)
	}
	hidden = domainError("resPartners", `[["user_ids.password", "=", "x"]]`).Message
	missing = domainError("resPartners", `[["user_ids.no_such_fieldx", "=", "x"]]`).Message
	if strings.ReplaceAll(missing, "no_such_fieldx", "password") != hidden {
		t.Errorf("a hidden path's error differs from a missing one's:\n%q\n%q", hidden, missing)
	}

	// What the API exposes still works, paths and a model outside the API's id included.
	var got struct {
		ResPartners struct {
			Nodes []node `json:"nodes"`
		} `json:"resPartners"`
	}
	g.mustDo(`{ resPartners(domain: [["user_ids.login", "=", "admin"], ["industry_id.id", "!=", 0]]) { nodes { id } } }`, nil, &got)
	g.mustDo(`{ resPartners(domain: [["country_id.code", "=", "US"], ["user_ids", "any", [["login", "!=", false]]]]) { nodes { id } } }`, nil, &got)
}

// TestOdooProgrammerMessagesHidden: a fault whose message Odoo did not
// write for users (here a ValueError about a selection value) reaches the
// client as a generic message that quotes the request id; the log has
// Odoo's text under that id. A user-facing one (a ValidationError) keeps
// its message.
func TestOdooProgrammerMessagesHidden(t *testing.T) {
	g := newGatewayConfig(t, func(c *server.Config) { c.Strategy, c.LogFormat = engine.Nested, "json" })
	errs := g.do(`mutation { updateProductTemplate(ids: ["1"], input: {sale_line_warn: "bogus"}) { id } }`, nil, nil)
	if len(errs) != 1 {
		t.Fatalf("want one error, got %+v", errs)
	}
	e := errs[0]
	rid, _ := e.Extensions["requestId"].(string)
	if e.code() != "BAD_USER_INPUT" || rid == "" {
		t.Errorf("got %s, requestId %q", e.code(), rid)
	}
	if strings.Contains(e.Message, "Wrong value") || strings.Contains(e.Message, "sale_line_warn") || strings.Contains(e.Message, "bogus") {
		t.Errorf("Odoo's ValueError text reached the client: %q", e.Message)
	}
	if want := "Odoo rejected the request (the details are in the gateway's log under request id " + rid + ")"; e.Message != want {
		t.Errorf("message %q, want %q", e.Message, want)
	}
	logged := false
	sc := bufio.NewScanner(strings.NewReader(g.logs.String()))
	for sc.Scan() {
		var line struct {
			RequestID string `json:"request_id"`
			Err       string `json:"err"`
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.RequestID == rid && strings.Contains(line.Err, "ValueError: Wrong value for product.template.sale_line_warn: 'bogus'") {
			logged = true
		}
	}
	if !logged {
		t.Errorf("Odoo's text is not in the log under request id %s:\n%s", rid, g.logs.String())
	}

	errs = g.do(`mutation { createSaleOrder(input: {note: "x"}) { id } }`, nil, nil)
	if len(errs) != 1 || errs[0].code() != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, "mandatory field") {
		t.Errorf("a user-facing Odoo message must pass: %+v", errs)
	}
}
