package server

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/redisstore"
	"github.com/odoogql/odoogql/internal/schemagen"
	"github.com/odoogql/odoogql/odoo"
)

// TransportAuto is ODOOGQL_TRANSPORT's default: the gateway picks the
// transport when it first reaches Odoo (Gateway.Warm).
const TransportAuto = "auto"

// Config is the gateway's configuration, from flags and environment
// variables (a flag wins over its variable).
type Config struct {
	OdooURL      string
	OdooDB       string
	OdooUser     string
	OdooPassword string
	Listen       string
	DefaultLimit int
	MaxLimit     int
	OdooTimeout  time.Duration
	MaxConns     int
	// Transport is how the gateway talks to Odoo: TransportAuto (JSON-2
	// when Odoo is 19 or later and ODOO_PASSWORD is an API key, else
	// XML-RPC), or odoo.TransportXMLRPC / odoo.TransportJSON2 as such.
	Transport string
	LogLevel  string
	LogFormat string
	Strategy  engine.Strategy
	// Schema is live (built at start-up from the metadata, the default) or
	// compiled (gqlgen's code generated from the committed snapshot).
	Schema SchemaMode
	// Exposure are the rules of what live mode exposes (generate.yml's):
	// LoadConfig reads them from ConfigFile or from the ODOOGQL_MODELS,
	// ODOOGQL_EXCLUDE_MODELS and ODOOGQL_EXCLUDE_FIELDS patterns; nil: every
	// model (minus the technical ones) with the default field exclusions.
	Exposure *schemagen.Config
	// ConfigFile is the generate.yml Exposure was read from ("" for none).
	ConfigFile string
	// Models, ExcludeModels and ExcludeFields are the comma-separated
	// patterns of the exposure variables (see schemagen.ConfigFromEnv).
	Models, ExcludeModels, ExcludeFields string
	// Methods are ODOOGQL_METHODS: comma-separated model.method names
	// callable as mutations; set, they replace the exposure's methods
	// (withMethods).
	Methods string

	MetadataTTL     time.Duration
	LoginTTL        time.Duration
	CacheTTL        time.Duration
	CacheMaxEntries int
	CacheMaxBytes   int64
	// RedisURL, when set, shares the record cache between replicas through
	// Redis (internal/redisstore).
	RedisURL       string
	AllowAnonymous bool
	// NoIntrospection turns introspection and GraphiQL off (the zero
	// Config serves them, as the demo does).
	NoIntrospection bool

	MaxDepth       int
	MaxComplexity  int
	MaxRootFields  int
	MaxAliases     int
	MaxTokens      int
	MaxFragments   int
	MaxBodyBytes   int64
	RequestTimeout time.Duration
	// MaxBatch is the most operations one batched request (a JSON array
	// body) may carry.
	MaxBatch int
	// CORSOrigins are the origins browsers may call the gateway from
	// (cors.go): exact origins such as https://app.example.com, or "*" for
	// any origin (never with credentials). Empty: no CORS headers.
	CORSOrigins []string
}

// Demo reports whether no Odoo is configured, so the embedded demo Odoo is
// served.
func (c Config) Demo() bool { return c.OdooURL == "" }

// setting is one row of the configuration table (README.md documents the
// same table).
type setting struct {
	flag, env, def, help string
	set                  func(c *Config, v string) error
}

func settings() []setting {
	str := func(dst func(*Config) *string) func(*Config, string) error {
		return func(c *Config, v string) error { *dst(c) = v; return nil }
	}
	posInt := func(name string, dst func(*Config) *int) func(*Config, string) error {
		return func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return fmt.Errorf("%s must be a positive integer, got %q", name, v)
			}
			*dst(c) = n
			return nil
		}
	}
	duration := func(name string, dst func(*Config) *time.Duration, zeroOK bool) func(*Config, string) error {
		return func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || (d == 0 && !zeroOK) {
				return fmt.Errorf("%s must be a positive duration such as 30s or 1h, got %q", name, v)
			}
			*dst(c) = d
			return nil
		}
	}
	return []setting{
		{"odoo-url", "ODOO_URL", "", "Odoo base URL (http://host:8069); empty serves the embedded demo Odoo", str(func(c *Config) *string { return &c.OdooURL })},
		{"odoo-db", "ODOO_DB", "", "Odoo database", str(func(c *Config) *string { return &c.OdooDB })},
		{"odoo-username", "ODOO_USERNAME", "", "Odoo login of the service account", str(func(c *Config) *string { return &c.OdooUser })},
		{"odoo-password", "ODOO_PASSWORD", "", "password or API key of the service account", str(func(c *Config) *string { return &c.OdooPassword })},
		{"port", "PORT", "8080", "port to listen on (ignored when -listen is set)", func(c *Config, v string) error {
			if n, err := strconv.Atoi(v); err != nil || n < 0 || n > 65535 {
				return fmt.Errorf("PORT must be a port number, got %q", v)
			}
			if c.Listen == "" || strings.HasPrefix(c.Listen, ":") {
				c.Listen = ":" + v
			}
			return nil
		}},
		{"listen", "LISTEN_ADDR", "", "address to listen on, host:port (overrides PORT)", func(c *Config, v string) error {
			if v != "" {
				c.Listen = v
			}
			return nil
		}},
		{"default-limit", "ODOOGQL_DEFAULT_LIMIT", "100", "page size of a list without limit", posInt("ODOOGQL_DEFAULT_LIMIT", func(c *Config) *int { return &c.DefaultLimit })},
		{"max-limit", "ODOOGQL_MAX_LIMIT", "1000", "largest limit a list may ask for", posInt("ODOOGQL_MAX_LIMIT", func(c *Config) *int { return &c.MaxLimit })},
		{"odoo-timeout", "ODOOGQL_ODOO_TIMEOUT", "30s", "longest wait for one Odoo call", func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return fmt.Errorf("ODOOGQL_ODOO_TIMEOUT must be a positive duration such as 30s, got %q", v)
			}
			c.OdooTimeout = d
			return nil
		}},
		{"transport", "ODOOGQL_TRANSPORT", "auto", "how to talk to Odoo: xmlrpc, json2 (Odoo 19 and later; ODOO_PASSWORD and the users' credentials must be API keys) or auto (json2 when Odoo is 19 or later and ODOO_PASSWORD is an API key, else xmlrpc; json2 when Odoo serves no XML-RPC)", func(c *Config, v string) error {
			if strings.EqualFold(strings.TrimSpace(v), TransportAuto) {
				c.Transport = TransportAuto
				return nil
			}
			t, err := odoo.ParseTransport(v)
			if err != nil {
				return fmt.Errorf("ODOOGQL_TRANSPORT must be auto, xmlrpc or json2, got %q", v)
			}
			c.Transport = string(t)
			return nil
		}},
		{"odoo-max-conns", "ODOOGQL_ODOO_MAX_CONNS", "64", "keep-alive connections to Odoo", posInt("ODOOGQL_ODOO_MAX_CONNS", func(c *Config) *int { return &c.MaxConns })},
		{"fetch-strategy", "ODOOGQL_FETCH_STRATEGY", "auto", "nested (one web_search_read per root field, Odoo 17+), batched (one read per model and level) or auto (by Odoo's version)", func(c *Config, v string) error {
			s, err := engine.ParseStrategy(v)
			if err != nil {
				return fmt.Errorf("ODOOGQL_FETCH_STRATEGY: %w", err)
			}
			c.Strategy = s
			return nil
		}},
		{"schema", "ODOOGQL_SCHEMA", "live", "live (the schema built at start-up from Odoo's metadata) or compiled (gqlgen's code generated from the committed snapshot; needs a binary built with -tags compiled)", func(c *Config, v string) error {
			m, err := ParseSchemaMode(v)
			if err != nil {
				return fmt.Errorf("ODOOGQL_SCHEMA: %w", err)
			}
			c.Schema = m
			return nil
		}},
		{"config", "ODOOGQL_CONFIG", "", "a generate.yml saying which models and fields live mode exposes (models, exclude_models, exclude_fields, binary, methods); overrides the three variables below", str(func(c *Config) *string { return &c.ConfigFile })},
		{"models", schemagen.EnvModels, "", "models live mode exposes, comma-separated names or patterns (res.partner,sale.*); empty: every model with fields, minus Odoo's technical ones (ir.*, bus.*, ...)", str(func(c *Config) *string { return &c.Models })},
		{"exclude-models", schemagen.EnvExcludeModels, "", "models left out, comma-separated names or patterns", str(func(c *Config) *string { return &c.ExcludeModels })},
		{"exclude-fields", schemagen.EnvExcludeFields, "", "fields left out, comma-separated patterns (x_legacy_*, res.partner:x_*); empty: the chatter and activity fields (message_*, activity_*, website_message_ids, has_message, rating_*)", str(func(c *Config) *string { return &c.ExcludeFields })},
		{"methods", schemagen.EnvMethods, "", "model methods callable as mutations (business actions), comma-separated model.method names (sale.order.action_confirm); replaces the config file's methods; empty: the config file's, else none", str(func(c *Config) *string { return &c.Methods })},
		{"allow-anonymous", "ODOOGQL_ALLOW_ANONYMOUS", "", "serve requests without credentials as the service account: true or false (default true with the embedded demo, false with ODOO_URL)", func(c *Config, v string) error {
			switch v {
			case "":
				c.AllowAnonymous = c.OdooURL == ""
			case "true", "1":
				c.AllowAnonymous = true
			case "false", "0":
				c.AllowAnonymous = false
			default:
				return fmt.Errorf("ODOOGQL_ALLOW_ANONYMOUS must be true or false, got %q", v)
			}
			return nil
		}},
		{"introspection", "ODOOGQL_INTROSPECTION", "", "serve introspection and GraphiQL: true or false (default true with the embedded demo, false with ODOO_URL)", func(c *Config, v string) error {
			switch v {
			case "":
				c.NoIntrospection = c.OdooURL != ""
			case "true", "1":
				c.NoIntrospection = false
			case "false", "0":
				c.NoIntrospection = true
			default:
				return fmt.Errorf("ODOOGQL_INTROSPECTION must be true or false, got %q", v)
			}
			return nil
		}},
		{"max-depth", "ODOOGQL_MAX_DEPTH", "12", "deepest nesting of fields in one operation", posInt("ODOOGQL_MAX_DEPTH", func(c *Config) *int { return &c.MaxDepth })},
		{"max-complexity", "ODOOGQL_MAX_COMPLEXITY", "200000", "largest estimated number of values one operation may return (each field 1, lists multiplied by their limit)", posInt("ODOOGQL_MAX_COMPLEXITY", func(c *Config) *int { return &c.MaxComplexity })},
		{"max-root-fields", "ODOOGQL_MAX_ROOT_FIELDS", "20", "most root fields in one operation, __typename included", posInt("ODOOGQL_MAX_ROOT_FIELDS", func(c *Config) *int { return &c.MaxRootFields })},
		{"max-aliases", "ODOOGQL_MAX_ALIASES", "50", "most aliased fields in one operation, every alias counted (__typename too)", posInt("ODOOGQL_MAX_ALIASES", func(c *Config) *int { return &c.MaxAliases })},
		{"max-tokens", "ODOOGQL_MAX_TOKENS", "10000", "most GraphQL tokens (names, punctuation, values) in one query, counted before it is parsed", posInt("ODOOGQL_MAX_TOKENS", func(c *Config) *int { return &c.MaxTokens })},
		{"max-fragments", "ODOOGQL_MAX_FRAGMENTS", "200", "most fragment definitions in one query, counted before it is parsed", posInt("ODOOGQL_MAX_FRAGMENTS", func(c *Config) *int { return &c.MaxFragments })},
		{"max-batch", "ODOOGQL_MAX_BATCH", "10", "most operations in one batched request (a JSON array of operations)", posInt("ODOOGQL_MAX_BATCH", func(c *Config) *int { return &c.MaxBatch })},
		{"cors-origins", "ODOOGQL_CORS_ORIGINS", "", "origins browsers may call the gateway from, comma-separated (https://app.example.com), or * for any (without credentials); empty means * with the embedded demo and none with ODOO_URL; none turns CORS off", func(c *Config, v string) error {
			origins, err := parseOrigins(v, c.Demo())
			if err != nil {
				return fmt.Errorf("ODOOGQL_CORS_ORIGINS: %w", err)
			}
			c.CORSOrigins = origins
			return nil
		}},
		{"max-body-bytes", "ODOOGQL_MAX_BODY_BYTES", "1MiB", "largest request body, with a KiB, MiB or GiB suffix", func(c *Config, v string) error {
			n, err := parseBytes(v)
			if err != nil {
				return fmt.Errorf("ODOOGQL_MAX_BODY_BYTES: %w", err)
			}
			c.MaxBodyBytes = n
			return nil
		}},
		{"request-timeout", "ODOOGQL_REQUEST_TIMEOUT", "60s", "longest time one request may take, Odoo calls included", duration("ODOOGQL_REQUEST_TIMEOUT", func(c *Config) *time.Duration { return &c.RequestTimeout }, false)},
		{"metadata-ttl", "ODOOGQL_METADATA_TTL", "1h", "how long metadata (version, fields_get, access rights) is fresh; older entries are served while refreshed in the background", duration("ODOOGQL_METADATA_TTL", func(c *Config) *time.Duration { return &c.MetadataTTL }, false)},
		{"login-ttl", "ODOOGQL_LOGIN_TTL", "5m", "how long a successful login is cached (failures never are)", duration("ODOOGQL_LOGIN_TTL", func(c *Config) *time.Duration { return &c.LoginTTL }, false)},
		{"cache-ttl", "ODOOGQL_CACHE_TTL", "0s", "default TTL of the record cache for every query; 0 turns it off (a query can still ask with @cached(ttl: seconds))", duration("ODOOGQL_CACHE_TTL", func(c *Config) *time.Duration { return &c.CacheTTL }, true)},
		{"cache-max-entries", "ODOOGQL_CACHE_MAX_ENTRIES", "100000", "most entries the record cache holds", posInt("ODOOGQL_CACHE_MAX_ENTRIES", func(c *Config) *int { return &c.CacheMaxEntries })},
		{"cache-max-bytes", "ODOOGQL_CACHE_MAX_BYTES", "256MiB", "most bytes the record cache holds (estimated), with a KiB, MiB or GiB suffix", func(c *Config, v string) error {
			n, err := parseBytes(v)
			if err != nil {
				return fmt.Errorf("ODOOGQL_CACHE_MAX_BYTES: %w", err)
			}
			c.CacheMaxBytes = n
			return nil
		}},
		{"redis-url", "ODOOGQL_REDIS_URL", "", "Redis shared by the replicas for the record cache: redis://[:password@]host:6379/0 (rediss:// for TLS); empty keeps the cache per replica", func(c *Config, v string) error {
			if v != "" {
				// The message never repeats the URL: it may hold a password.
				if _, err := redisstore.ParseURL(v); err != nil {
					return fmt.Errorf("ODOOGQL_REDIS_URL must be a URL such as redis://:password@host:6379/0: %w", err)
				}
			}
			c.RedisURL = v
			return nil
		}},
		{"log-level", "ODOOGQL_LOG_LEVEL", "info", "debug, info, warn or error", func(c *Config, v string) error {
			switch v {
			case "debug", "info", "warn", "error":
				c.LogLevel = v
				return nil
			}
			return fmt.Errorf("ODOOGQL_LOG_LEVEL must be debug, info, warn or error, got %q", v)
		}},
		{"log-format", "ODOOGQL_LOG_FORMAT", "text", "text or json", func(c *Config, v string) error {
			if v != "text" && v != "json" {
				return fmt.Errorf("ODOOGQL_LOG_FORMAT must be text or json, got %q", v)
			}
			c.LogFormat = v
			return nil
		}},
	}
}

// parseBytes reads a size: 1048576, 512KiB, 256MiB or 2GiB. A size that is
// not positive or does not fit in an int64 is an error (a negative one would
// turn the body limit off).
func parseBytes(v string) (int64, error) {
	num, mult := v, int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if strings.HasSuffix(v, u.suffix) {
			num, mult = strings.TrimSuffix(v, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("want a positive size such as 256MiB, got %q", v)
	}
	if n > math.MaxInt64/mult {
		return 0, fmt.Errorf("size %q is too large (at most %d bytes)", v, int64(math.MaxInt64))
	}
	return n * mult, nil
}

// LoadConfig reads the configuration from args and getenv, validating every
// value.
func LoadConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	var c Config
	fs := flag.NewFlagSet("odoogql", flag.ContinueOnError)
	fs.SetOutput(stderr)
	vals := map[string]*string{}
	all := settings()
	for _, s := range all {
		vals[s.flag] = fs.String(s.flag, "", fmt.Sprintf("%s (env %s, default %q)", s.help, s.env, s.def))
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	var errs []error
	for _, s := range all {
		v := *vals[s.flag]
		if v == "" {
			v = getenv(s.env)
		}
		if v == "" {
			v = s.def
		}
		if err := s.set(&c, v); err != nil {
			errs = append(errs, err)
		}
	}
	if rules, err := exposureOf(c); err != nil {
		errs = append(errs, err)
	} else {
		c.Exposure = rules
	}
	if err := checkMethods(&c); err != nil {
		errs = append(errs, err)
	}
	if c.DefaultLimit > c.MaxLimit {
		errs = append(errs, fmt.Errorf("ODOOGQL_DEFAULT_LIMIT (%d) must not exceed ODOOGQL_MAX_LIMIT (%d)", c.DefaultLimit, c.MaxLimit))
	}
	if c.OdooURL != "" {
		u, err := url.Parse(c.OdooURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("ODOO_URL must be an http(s) URL such as https://odoo.example.com, got %q", c.OdooURL))
		}
		if c.OdooDB == "" {
			errs = append(errs, errors.New("ODOO_DB is required when ODOO_URL is set"))
		}
		if c.OdooUser == "" || c.OdooPassword == "" {
			errs = append(errs, errors.New("ODOO_USERNAME and ODOO_PASSWORD are required when ODOO_URL is set"))
		}
	}
	return c, errors.Join(errs...)
}

// exposureOf reads the exposure rules of c: the generate.yml of ConfigFile,
// else the patterns of the three variables (the default field exclusions
// when ODOOGQL_EXCLUDE_FIELDS is empty), else nil (the defaults).
func exposureOf(c Config) (*schemagen.Config, error) {
	if c.ConfigFile != "" {
		raw, err := os.ReadFile(c.ConfigFile)
		if err != nil {
			return nil, fmt.Errorf("ODOOGQL_CONFIG: %w", err)
		}
		rules, err := schemagen.ParseConfig(raw)
		if err != nil {
			return nil, fmt.Errorf("ODOOGQL_CONFIG %s: %w", c.ConfigFile, err)
		}
		return &rules, nil
	}
	if c.Models == "" && c.ExcludeModels == "" && c.ExcludeFields == "" {
		return nil, nil
	}
	vars := map[string]string{schemagen.EnvModels: c.Models, schemagen.EnvExcludeModels: c.ExcludeModels, schemagen.EnvExcludeFields: c.ExcludeFields}
	rules, err := schemagen.ConfigFromEnv(func(k string) string { return vars[k] })
	if err != nil {
		return nil, err
	}
	if len(rules.ExcludeFields) == 0 {
		rules.ExcludeFields = schemagen.DefaultExcludeFields()
	}
	return &rules, nil
}

// checkMethods checks ODOOGQL_METHODS at start: every entry a public method
// (model.method) of a model the exposure selects. The embedded demo's rules
// are known only to Main (its generate.yml): without ODOOGQL_CONFIG or the
// pattern variables, the demo's methods are checked there (withMethods),
// their form here.
func checkMethods(c *Config) error {
	if c.Methods == "" {
		return nil
	}
	if c.Demo() && c.Exposure == nil {
		methods := schemagen.SplitPatterns(c.Methods)
		form := schemagen.Config{Methods: methods}
		for _, s := range methods {
			if m, _, ok := schemagen.SplitMethod(s); ok {
				form.Models = append(form.Models, m)
			}
		}
		if err := form.ValidateMethods(); err != nil {
			return fmt.Errorf("%s: %w", schemagen.EnvMethods, err)
		}
		return nil
	}
	return withMethods(c)
}

// withMethods makes ODOOGQL_METHODS, when set, the methods of the exposure
// live mode serves (liveRules), checked against it.
func withMethods(c *Config) error {
	if c.Methods == "" {
		return nil
	}
	rules := liveRules(*c)
	rules.Methods = schemagen.SplitPatterns(c.Methods)
	if err := rules.ValidateMethods(); err != nil {
		return fmt.Errorf("%s: %w", schemagen.EnvMethods, err)
	}
	c.Exposure = &rules
	return nil
}
