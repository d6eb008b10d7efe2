package schemagen

import (
	"fmt"
	"path"
	"strings"

	"github.com/goccy/go-yaml"
)

// Config chooses what of a metadata snapshot becomes the API. It is read
// from generate.yml (ParseConfig) or from the environment (ConfigFromEnv);
// both mean the same.
//
// A model is exposed when a Models pattern matches it and no ExcludeModels
// pattern does, with three exceptions (see SelectsModel): a transient model
// (a wizard) only when Models names it exactly, a model of TechnicalModels
// only when a pattern other than the catch-all "*" matches it, and never a
// model of the deny-list (internal/secrets). Generate then skips, with one
// warning each, the selected models that have no fields or no id field
// (abstract models: there are no records to read).
type Config struct {
	// Metadata is the snapshot file, relative to the configuration file.
	Metadata string `yaml:"metadata"`
	// Models lists the exposed models by name or glob pattern ("sale.*").
	// Empty means every model of the snapshot, as "*" does.
	Models []string `yaml:"models"`
	// ExcludeModels removes models matched by Models.
	ExcludeModels []string `yaml:"exclude_models"`
	// ExcludeFields are field name patterns ("message_*"), or
	// "model-pattern:field-pattern" ("res.partner:x_legacy_*"), left out.
	ExcludeFields []string `yaml:"exclude_fields"`
	// Binary includes binary fields (base64 strings). Off by default: they
	// make responses large.
	Binary bool `yaml:"binary"`
	// Methods are the model methods callable as mutations ("business
	// actions"): "model.method", the method after the last dot
	// ("sale.order.action_confirm"). Nothing is callable by default; a
	// private method (_...), a name that is not an identifier or a method
	// of a model the configuration does not expose is an error (see
	// ValidateMethods and Generate).
	Methods []string `yaml:"methods"`
}

// TechnicalModels are the patterns of Odoo's technical models: left out when
// the selection is "everything" (Models empty or "*"), exposed when a more
// specific pattern of Models matches them ("ir.attachment", "mail.*"). They
// are the framework and its plumbing, not business records; each group says
// why it is out.
var TechnicalModels = []string{
	// The framework: models, fields, views, menus, actions, access rules,
	// record rules, modules, crons, sequences, QWeb, HTTP, assets, logs.
	// Writable through an API they would let an administrator's token change
	// access rights or run server-action code; read, they are Odoo's own
	// schema, not data. ("ir.attachment" is a common explicit addition.)
	"ir.*",
	// base: the root abstract model and its setup and import helpers;
	// res.config*: settings wizards; _unknown: the placeholder for missing
	// models.
	"base", "base.*", "base_import.*", "res.config*", "_unknown",
	// The web client's own state: editor, guided tours, onboarding panels,
	// dashboards' layout and print layouts.
	"web_editor.*", "web_tour.*", "onboarding.*", "report.layout", "report.paperformat",
	// Real-time and message transport: the bus, web push, WebRTC, outgoing
	// mail and SMS queues, delivery notifications, link previews, mail
	// gateways and aliases, incoming mail servers, IAP credits. The business
	// side of messaging stays: mail.message, mail.followers, mail.activity*,
	// mail.template, discuss.channel.
	"bus.*",
	"mail.alias*", "mail.bot", "mail.gateway.allowed", "mail.guest", "mail.ice.server",
	"mail.link.preview", "mail.mail", "mail.message.reaction", "mail.message.schedule",
	"mail.message.translation", "mail.notification*", "mail.push*", "mail.scheduled.message",
	"mail.tracking.value",
	"discuss.channel.rtc.session", "discuss.gif.favorite", "discuss.voice.metadata",
	"sms.sms", "sms.tracker", "snailmail.letter", "fetchmail.server", "iap.*",
	// Per-user sessions, devices, logs and settings: login logs, device
	// fingerprints, personal UI settings, deletion requests, privacy
	// lookups, autocomplete sync jobs.
	"res.users.log", "res.users.settings*", "res.users.deletion", "res.device*",
	"privacy.log", "res.partner.autocomplete.sync",
}

// ParseConfig reads a generate.yml.
func ParseConfig(b []byte) (Config, error) {
	var c Config
	if err := yaml.UnmarshalWithOptions(b, &c, yaml.DisallowUnknownField()); err != nil {
		return c, fmt.Errorf("schemagen: config: %w", err)
	}
	return c, c.Validate()
}

// Environment variables read by ConfigFromEnv: comma-separated patterns with
// the meaning of generate.yml's models, exclude_models and exclude_fields.
const (
	EnvModels        = "ODOOGQL_MODELS"
	EnvExcludeModels = "ODOOGQL_EXCLUDE_MODELS"
	EnvExcludeFields = "ODOOGQL_EXCLUDE_FIELDS"
	// EnvMethods lists the callable methods, comma-separated
	// model.method names (generate.yml's methods).
	EnvMethods = "ODOOGQL_METHODS"
)

// ConfigFromEnv builds a Config from environment variables, for a gateway
// that generates its schema at start-up without a generate.yml: getenv is
// os.Getenv (or a test's map). ODOOGQL_MODELS, ODOOGQL_EXCLUDE_MODELS and
// ODOOGQL_EXCLUDE_FIELDS hold comma-separated patterns (spaces around
// commas are ignored); unset or empty ODOOGQL_MODELS means every model.
// Binary fields are left out. A bad pattern is an error naming the variable.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Models:        SplitPatterns(getenv(EnvModels)),
		ExcludeModels: SplitPatterns(getenv(EnvExcludeModels)),
		ExcludeFields: SplitPatterns(getenv(EnvExcludeFields)),
		Methods:       SplitPatterns(getenv(EnvMethods)),
	}
	for _, v := range []struct {
		name     string
		patterns []string
	}{{EnvModels, c.Models}, {EnvExcludeModels, c.ExcludeModels}, {EnvExcludeFields, c.ExcludeFields}} {
		if err := validatePatterns(v.patterns); err != nil {
			return Config{}, fmt.Errorf("schemagen: %s: %w", v.name, err)
		}
	}
	if err := c.ValidateMethods(); err != nil {
		return Config{}, fmt.Errorf("schemagen: %s: %w", EnvMethods, err)
	}
	return c, nil
}

// SplitPatterns splits a comma-separated list of patterns, trimming spaces
// and dropping empty items: " res.partner, sale.* ," gives
// [res.partner sale.*].
func SplitPatterns(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Validate checks every pattern of the configuration.
func (c Config) Validate() error {
	if err := validatePatterns(append(append(append([]string{}, c.Models...), c.ExcludeModels...), c.ExcludeFields...)); err != nil {
		return fmt.Errorf("schemagen: config: %w", err)
	}
	if err := c.ValidateMethods(); err != nil {
		return fmt.Errorf("schemagen: config: methods: %w", err)
	}
	return nil
}

func validatePatterns(patterns []string) error {
	for _, p := range patterns {
		for _, part := range strings.SplitN(p, ":", 2) {
			if _, err := path.Match(part, ""); err != nil {
				return fmt.Errorf("bad pattern %q: %w", p, err)
			}
		}
	}
	return nil
}

func matchAny(patterns []string, s string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, s); ok {
			return true
		}
	}
	return false
}

// isGlob reports whether a pattern has wildcards, as opposed to naming one
// model exactly.
func isGlob(p string) bool { return strings.ContainsAny(p, `*?[\`) }

// SelectsModel reports whether the configuration exposes a model, given its
// technical name and whether it is transient (ir.model's transient flag):
//
//   - Models empty or holding "*" selects every model; else a model must
//     match one of its patterns;
//   - a transient model (a wizard) is selected only when Models names it
//     exactly, without wildcards: "sale.*" does not bring in
//     sale.advance.payment.inv;
//   - a model of TechnicalModels is selected only when a Models pattern other
//     than "*" matches it ("ir.attachment", "ir.*");
//   - ExcludeModels removes what matches it, whatever selected it.
//
// The deny-list (internal/secrets) is applied on top of this by Generate.
func (c Config) SelectsModel(model string, transient bool) bool {
	if matchAny(c.ExcludeModels, model) {
		return false
	}
	catchAll := len(c.Models) == 0
	exact, specific := false, false
	for _, p := range c.Models {
		if p == "*" {
			catchAll = true
			continue
		}
		if ok, _ := path.Match(p, model); ok {
			specific = true
			exact = exact || !isGlob(p)
		}
	}
	switch {
	case transient:
		return exact
	case specific:
		return true
	case catchAll:
		return !matchAny(TechnicalModels, model)
	}
	return false
}

// fieldExcluded reports whether a field of a model is left out by pattern.
func (c Config) fieldExcluded(model, field string) bool {
	for _, p := range c.ExcludeFields {
		mp, fp, ok := strings.Cut(p, ":")
		if !ok {
			mp, fp = "*", p
		}
		if m1, _ := path.Match(mp, model); !m1 {
			continue
		}
		if f1, _ := path.Match(fp, field); f1 {
			return true
		}
	}
	return false
}

// DefaultExcludeFields are the fields left out when no rule names fields to
// exclude: the chatter and activity plumbing every Odoo model carries (the
// defaults of the committed generate.yml). Live mode and odoogql-schema
// apply them when exposure comes from nothing or from the environment.
func DefaultExcludeFields() []string {
	return []string{"message_*", "activity_*", "website_message_ids", "has_message", "rating_*"}
}
