package secrets

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/odoogql/odoogql/odoo"
)

var update = flag.Bool("update", false, "rewrite testdata/denied.txt")

// loadFields reads testdata/odoo17-18-fields.tsv into a metadata snapshot.
func loadFields(t *testing.T) *odoo.Metadata {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "odoo17-18-fields.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fields := map[string]map[string]odoo.Field{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		if fields[cols[0]] == nil {
			fields[cols[0]] = map[string]odoo.Field{}
		}
		if len(cols) == 4 {
			fields[cols[0]][cols[1]] = odoo.Field{Name: cols[1], Type: cols[2], Relation: cols[3]}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	meta := &odoo.Metadata{}
	for name, fs := range fields {
		meta.Models = append(meta.Models, odoo.Model{Model: name, Fields: fs})
	}
	meta.Sort()
	return meta
}

// TestDenyListGolden applies the deny-list to every field of two whole Odoo
// installations and compares what it removes with testdata/denied.txt, so
// any change of the list shows as a reviewed diff.
func TestDenyListGolden(t *testing.T) {
	meta := loadFields(t)
	_, removed := Strip(meta)
	var b strings.Builder
	for _, d := range removed {
		fmt.Fprintf(&b, "%s\t%s\t%s\n", d.Model, d.Field, d.Why)
	}
	path := filepath.Join("testdata", "denied.txt")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/secrets -update)", err)
	}
	if diff := cmp.Diff(string(want), b.String()); diff != "" {
		t.Errorf("denied fields differ (-want +got); review, then go test ./internal/secrets -update:\n%s", diff)
	}
}

// reviewed are the fields of the two installations whose names look like a
// secret's but which the deny-list keeps on purpose, with the reason.
var reviewed = map[string]string{
	"payment_token_count":                  "a count",
	"payment_token_ids":                    "relation to payment.token: ids and masked display names; payment.token.provider_ref is denied",
	"payment_token_id":                     "same",
	"suitable_payment_token_ids":           "same",
	"token_id":                             "same",
	"token_inline_form_view_id":            "a view",
	"totp_enabled":                         "a flag: whether the user uses 2FA",
	"auth_signup_reset_password":           "a setting flag",
	"auth_signup_uninvited":                "a setting: who may sign up",
	"auth_signup_template_user_id":         "a template user",
	"module_auth_oauth":                    "a setting flag",
	"module_auth_ldap":                     "a setting flag",
	"portal_allow_api_keys":                "a setting flag",
	"api_key_duration":                     "a number of days",
	"show_token":                           "a flag",
	"tokenize":                             "a flag",
	"allow_tokenization":                   "a flag",
	"support_tokenization":                 "a flag",
	"show_allow_tokenization":              "a flag",
	"google_gmail_access_token_expiration": "a timestamp",
	"push_to_talk_key":                     "a keyboard key",
	"key":                                  "ir.ui.view key: a view's technical name",
	"auth_msg":                             "a message shown to payers",
	"show_auth_msg":                        "a flag",
	"show_credentials_page":                "a flag",
	"avatar_cache_key":                     "a cache key",
	"grouping_key":                         "a technical grouping",
	"discount_allocation_key":              "a technical grouping",
	"epd_key":                              "a technical grouping",
	"tax_key":                              "a technical grouping",
	"term_key":                             "a technical grouping",
	"rtc_session_ids":                      "discuss call participants",
	"rtc_inviting_session_id":              "discuss call participant",
	"session":                              "ir.profile: the profiler session's name",
	"signup_valid":                         "a flag: whether a signup link is pending (token and URL are denied)",
	"signup_expiration":                    "a timestamp: when the signup link expires",
}

// suspicious matches names that look like a secret's.
var suspicious = regexp.MustCompile(`pass|token|secret|key|totp|oauth|signup|auth_|credential|session`)

// TestEverySuspiciousFieldJudged checks that every field of the two
// installations whose name looks like a secret's is either denied or kept
// on purpose (reviewed), so no field is kept by accident.
func TestEverySuspiciousFieldJudged(t *testing.T) {
	meta := loadFields(t)
	stripped, _ := Strip(meta)
	used := map[string]bool{}
	for _, m := range stripped.Models {
		for name := range m.Fields {
			if !suspicious.MatchString(name) {
				continue
			}
			if _, ok := reviewed[name]; !ok {
				t.Errorf("%s.%s (%s) looks like a secret and is kept: deny it or add it to reviewed", m.Model, name, m.Fields[name].Type)
			}
			used[name] = true
		}
	}
	for name := range reviewed {
		if !used[name] {
			t.Errorf("reviewed %q matches no kept field", name)
		}
	}
}

func TestDecisions(t *testing.T) {
	tests := []struct {
		model, field string
		f            odoo.Field
		denied       bool
	}{
		{"res.users", "password", odoo.Field{Type: "char"}, true},
		{"res.users", "new_password", odoo.Field{Type: "char"}, true},
		{"res.users", "api_key_ids", odoo.Field{Type: "one2many", Relation: "res.users.apikeys"}, true},
		{"res.users", "totp_secret", odoo.Field{Type: "char"}, true},
		{"res.users", "totp_trusted_device_ids", odoo.Field{Type: "one2many", Relation: "auth_totp.device"}, true},
		{"res.users", "signup_token", odoo.Field{Type: "char"}, true},
		{"res.partner", "signup_url", odoo.Field{Type: "char"}, true},
		{"res.users", "oauth_access_token", odoo.Field{Type: "char"}, true},
		{"res.users", "oauth_uid", odoo.Field{Type: "char"}, true},
		{"sale.order", "access_token", odoo.Field{Type: "char"}, true},
		{"fetchmail.server", "google_gmail_refresh_token", odoo.Field{Type: "char"}, true},
		{"ir.mail_server", "smtp_pass", odoo.Field{Type: "char"}, true},
		{"payment.token", "provider_ref", odoo.Field{Type: "char"}, true},
		{"x.model", "x_link", odoo.Field{Type: "many2one", Relation: "ir.config_parameter"}, true},

		{"res.users", "totp_enabled", odoo.Field{Type: "boolean"}, false},
		{"res.users", "payment_token_count", odoo.Field{Type: "integer"}, false},
		{"res.users", "payment_token_ids", odoo.Field{Type: "one2many", Relation: "payment.token"}, false},
		{"res.config.settings", "auth_signup_reset_password", odoo.Field{Type: "boolean"}, false},
		{"res.users", "signature", odoo.Field{Type: "html"}, false},
		{"res.users", "login", odoo.Field{Type: "char"}, false},
		{"res.users.settings", "push_to_talk_key", odoo.Field{Type: "char"}, false},
		{"mail.partner.device", "endpoint", odoo.Field{Type: "char"}, false},
		{"res.users", "id", odoo.Field{Type: "integer"}, false},
	}
	for _, tt := range tests {
		if _, got := Field(tt.model, tt.field, tt.f); got != tt.denied {
			t.Errorf("Field(%s, %s) denied = %v, want %v", tt.model, tt.field, got, tt.denied)
		}
	}
	for model, want := range map[string]bool{
		"res.users.apikeys": true, "res.users.apikeys.show": true, "auth_totp.device": true,
		"change.password.wizard": true, "ir.config_parameter": true, "res.users.identitycheck": true,
		"res.users": false, "payment.token": false, "res.users.settings": false,
	} {
		if _, got := Model(model); got != want {
			t.Errorf("Model(%s) denied = %v, want %v", model, got, want)
		}
	}
}

// TestStripDoesNotModify checks that Strip leaves its input alone.
func TestStripDoesNotModify(t *testing.T) {
	meta := &odoo.Metadata{Models: []odoo.Model{
		{Model: "res.users", Fields: map[string]odoo.Field{"id": {Type: "integer"}, "login": {Type: "char"}, "password": {Type: "char"}}},
		{Model: "res.users.apikeys", Fields: map[string]odoo.Field{"id": {Type: "integer"}}},
	}}
	out, removed := Strip(meta)
	if len(meta.Models) != 2 || len(meta.Models[0].Fields) != 3 {
		t.Fatalf("input modified: %+v", meta)
	}
	if len(out.Models) != 1 || len(out.Models[0].Fields) != 2 {
		t.Fatalf("output: %+v", out)
	}
	if _, ok := out.Models[0].Fields["password"]; ok {
		t.Error("password kept")
	}
	want := []Denied{{Model: "res.users", Field: "password", Why: "password"}, {Model: "res.users.apikeys", Why: Models[0].Why}}
	if diff := cmp.Diff(want, removed); diff != "" {
		t.Errorf("removed (-want +got):\n%s", diff)
	}
}
