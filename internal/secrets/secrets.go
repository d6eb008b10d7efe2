// Package secrets is odoogql's deny-list: the Odoo models and fields that
// hold credentials and secrets (passwords, API keys, TOTP secrets, signup,
// OAuth and access tokens, …) and are never part of the API, whatever
// generate.yml says.
//
// One list serves two places: the schema generator (internal/schemagen)
// leaves denied models and fields out of the schema, and the engine
// (internal/engine) drops them from the metadata it runs on, so a field
// cannot be read, filtered, ordered or written even if a schema had it.
//
// The list is judged field by field against the metadata of whole Odoo 17
// and 18 installations (../shared/odoo-fixtures/metadata-full; the golden
// file testdata/denied-odoo18.txt lists what it denies there). Three rules:
//
//   - Models: every record of the model is a credential or a credential
//     wizard (API keys, TOTP devices, password wizards, system parameters,
//     which hold database.secret).
//   - Fields: name patterns, matched on every model (or on the models a
//     rule names). They apply only to fields that can carry a secret
//     string: boolean, integer, float, monetary, date and datetime fields
//     are never denied by name, so flags and counts such as totp_enabled,
//     payment_token_count or auth_signup_reset_password stay.
//   - Relations: a relational field whose related model is denied
//     (api_key_ids, totp_trusted_device_ids) is denied too, so even the ids
//     and display names of such records are not reachable.
package secrets

import (
	"path"

	"github.com/odoogql/odoogql/odoo"
)

// Rule is one entry of the deny-list: glob patterns (path.Match) for the
// model and the field, and why they are denied.
type Rule struct {
	Model string // model pattern; "*" for every model
	Field string // field pattern; "" in a model rule
	Why   string
}

// Models are the models denied as a whole.
var Models = []Rule{
	{Model: "res.users.apikeys*", Why: "API keys and the wizards that create and show them"},
	{Model: "auth_totp.*", Why: "TOTP secrets and trusted devices"},
	{Model: "change.password.*", Why: "password change wizards"},
	{Model: "res.users.identitycheck", Why: "password re-check wizard"},
	{Model: "ir.config_parameter", Why: "system parameters, including database.secret, which signs Odoo's tokens"},
}

// Fields are the field patterns denied on every model matching Model.
var Fields = []Rule{
	{Model: "*", Field: "password", Why: "password"},
	{Model: "*", Field: "*_password", Why: "password (new_password, confirm_password, …)"},
	{Model: "*", Field: "*_passwd", Why: "password (new_passwd)"},
	{Model: "*", Field: "smtp_pass", Why: "mail server password"},
	{Model: "*", Field: "*secret*", Why: "secrets: totp_secret, OAuth client secrets, webhook secrets"},
	{Model: "*", Field: "token", Why: "token"},
	{Model: "*", Field: "*_token", Why: "tokens: access_token, signup_token, oauth_access_token, refresh tokens, account tokens"},
	{Model: "*", Field: "api_key", Why: "API key"},
	{Model: "*", Field: "*_api_key", Why: "API keys of integrations"},
	{Model: "*", Field: "*_access_key", Why: "access keys of integrations"},
	{Model: "*", Field: "*_private_key", Why: "private keys (SMTP TLS key)"},
	{Model: "*", Field: "*_hmac_key", Why: "HMAC keys of payment providers"},
	{Model: "*", Field: "sfu_server_key", Why: "key of the discuss SFU server"},
	{Model: "*", Field: "*authorization_code", Why: "OAuth authorization codes"},
	{Model: "*", Field: "verification_code", Why: "SMS verification codes"},
	{Model: "*", Field: "signup_*", Why: "signup plumbing: the token, its type and the URL that carries it"},
	{Model: "*", Field: "oauth_*", Why: "OAuth plumbing: access token, provider user id"},
	{Model: "*", Field: "credential", Why: "credentials (TURN server)"},
	{Model: "*", Field: "*_credential", Why: "credentials"},
	{Model: "*", Field: "*_credentials", Why: "credentials"},
	{Model: "*", Field: "session_identifier", Why: "login session identifiers"},
	{Model: "*", Field: "share_link", Why: "links that carry an access token"},
	{Model: "*", Field: "callback_hash", Why: "HMAC that authenticates payment callbacks"},
	{Model: "mail.push.device", Field: "keys", Why: "web push subscription keys"},
	{Model: "mail.partner.device", Field: "keys", Why: "web push subscription keys"},
	{Model: "payment.token", Field: "provider_ref", Why: "the token at the payment provider"},
}

// flagTypes are the field types that cannot carry a secret string: name
// patterns never deny them.
var flagTypes = map[string]bool{
	"boolean": true, "integer": true, "float": true, "monetary": true, "date": true, "datetime": true,
}

func match(pattern, s string) bool {
	ok, _ := path.Match(pattern, s)
	return ok
}

// Model reports whether a model is denied as a whole, and why.
func Model(model string) (why string, denied bool) {
	for _, r := range Models {
		if match(r.Model, model) {
			return r.Why, true
		}
	}
	return "", false
}

// Field reports whether field f (named name) of model is denied, and why.
// The model itself being denied is Model's business.
func Field(model, name string, f odoo.Field) (why string, denied bool) {
	if name == "id" {
		return "", false
	}
	if f.Relation != "" && f.IsRelational() {
		if why, ok := Model(f.Relation); ok {
			return "relation to " + f.Relation + ": " + why, true
		}
	}
	if flagTypes[f.Type] {
		return "", false
	}
	for _, r := range Fields {
		if match(r.Model, model) && match(r.Field, name) {
			return r.Why, true
		}
	}
	return "", false
}

// Denied is one model or field the deny-list removed.
type Denied struct {
	Model string
	Field string // "" for a whole model
	Why   string
}

// Strip returns meta without the denied models and fields, and what it
// removed, sorted by model and field. meta is not modified; models without
// a denied field are shared with it.
func Strip(meta *odoo.Metadata) (*odoo.Metadata, []Denied) {
	out := &odoo.Metadata{ServerVersion: meta.ServerVersion, Models: make([]odoo.Model, 0, len(meta.Models))}
	var removed []Denied
	for _, m := range meta.Models {
		if why, ok := Model(m.Model); ok {
			removed = append(removed, Denied{Model: m.Model, Why: why})
			continue
		}
		var fields map[string]odoo.Field
		for _, name := range m.FieldNames() {
			why, ok := Field(m.Model, name, m.Fields[name])
			if !ok {
				continue
			}
			if fields == nil {
				fields = make(map[string]odoo.Field, len(m.Fields))
				for k, v := range m.Fields {
					fields[k] = v
				}
			}
			delete(fields, name)
			removed = append(removed, Denied{Model: m.Model, Field: name, Why: why})
		}
		if fields != nil {
			m.Fields = fields
		}
		out.Models = append(out.Models, m)
	}
	return out, removed
}
