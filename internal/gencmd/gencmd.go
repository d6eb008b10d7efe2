// Package gencmd implements the odoogql-gen command: metadata snapshot →
// schema and resolvers → gqlgen, and reading a snapshot from a live Odoo.
package gencmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen/config"

	"github.com/odoogql/odoogql/internal/schemagen"
	"github.com/odoogql/odoogql/odoo"
)

// usage describes every sub-command; Main prints it for help and for any
// unknown sub-command or flag.
const usage = `usage: odoogql-gen <command> [flags]

commands:
  generate   read generate.yml and its metadata snapshot, write schema.graphqls,
             gqlgen.yml and graph/resolvers_gen.go, then run gqlgen
  fetch      read a metadata snapshot from a live Odoo (models Odoo refuses
             are skipped with a warning)
  scale      write a larger snapshot for generator benchmarks
  help       print this help

With no command, odoogql-gen runs generate (what "go generate ./..." does).
"odoogql-gen <command> -h" lists the flags of a command.
`

// errUsage is a command line Main does not understand: exit code 2 after
// the usage of every sub-command.
var errUsage = errors.New("usage")

// Main runs the command with args (without the program name) and returns the
// exit code: 0 on success (and for help), 1 when the command failed, 2 for
// an unknown sub-command or flag.
func Main(args []string, stdout, stderr io.Writer) int {
	cmd := "generate"
	if len(args) > 0 && (!strings.HasPrefix(args[0], "-") || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "generate":
		err = generate(args, stdout, stderr)
	case "fetch":
		err = fetch(args, stdout, stderr)
	case "scale":
		err = scale(args, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "odoogql-gen: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, "\n"+usage)
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprint(stderr, "\n"+usage)
		return 2
	case err != nil:
		fmt.Fprintln(stderr, "odoogql-gen:", err)
		return 1
	}
	return 0
}

// parseFlags parses a sub-command's flags. A flag error (already reported
// by the flag set, with the command's flags) becomes errUsage; -h/-help
// stays flag.ErrHelp. Positional arguments are refused: no sub-command takes
// any.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "odoogql-gen %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return errUsage
	}
	return nil
}

func generate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "generate.yml", "generation configuration")
	out := fs.String("out", ".", "module root to write into")
	skipGqlgen := fs.Bool("schema-only", false, "write the schema, gqlgen.yml and resolvers but do not run gqlgen")
	strict := fs.Bool("strict", false, "fail on any warning (such as an unknown Odoo field type)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	files, warnings, err := Render(*cfgPath)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	if *strict && len(warnings) > 0 {
		return fmt.Errorf("%d warnings and -strict", len(warnings))
	}
	if err := WriteFiles(*out, files); err != nil {
		return err
	}
	if *skipGqlgen {
		return nil
	}
	return RunGqlgen(*out)
}

// Render reads a generate.yml and its metadata snapshot and returns the
// generated files.
func Render(cfgPath string) (map[string][]byte, []string, error) {
	raw, err := os.ReadFile(cfgPath)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := schemagen.ParseConfig(raw)
	if err != nil {
		return nil, nil, err
	}
	if cfg.Metadata == "" {
		cfg.Metadata = "metadata.json"
	}
	metaPath := cfg.Metadata
	if !filepath.IsAbs(metaPath) {
		metaPath = filepath.Join(filepath.Dir(cfgPath), metaPath)
	}
	meta, err := ReadMetadata(metaPath)
	if err != nil {
		return nil, nil, err
	}
	res, err := schemagen.Generate(meta, cfg)
	if err != nil {
		return nil, nil, err
	}
	return res.Files, res.Warnings, nil
}

// ReadMetadata reads a snapshot written by fetch.
func ReadMetadata(path string) (*odoo.Metadata, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var meta odoo.Metadata
	if err := json.Unmarshal(raw, &meta); err != nil {
		return nil, fmt.Errorf("metadata %s: %w", path, err)
	}
	meta.Sort()
	return &meta, nil
}

// WriteFiles writes files under root, creating directories, and leaves
// unchanged files untouched.
func WriteFiles(root string, files map[string][]byte) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(root, filepath.FromSlash(n))
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, files[n]) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// RunGqlgen runs gqlgen with root's gqlgen.yml, from root.
func RunGqlgen(root string) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	if err := os.Chdir(root); err != nil {
		return err
	}
	defer os.Chdir(wd) //nolint:errcheck // best effort on the way out
	cfg, err := config.LoadConfig(schemagen.GqlgenFile)
	if err != nil {
		return fmt.Errorf("gqlgen config: %w", err)
	}
	if err := api.Generate(cfg); err != nil {
		return fmt.Errorf("gqlgen: %w", err)
	}
	return nil
}

func fetch(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fetch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	opt := FetchOptions{}
	fs.StringVar(&opt.URL, "url", os.Getenv("ODOO_URL"), "Odoo base URL ($ODOO_URL)")
	fs.StringVar(&opt.DB, "db", os.Getenv("ODOO_DB"), "database ($ODOO_DB)")
	fs.StringVar(&opt.User, "user", os.Getenv("ODOO_USERNAME"), "login ($ODOO_USERNAME)")
	fs.StringVar(&opt.Password, "password", os.Getenv("ODOO_PASSWORD"), "password or API key ($ODOO_PASSWORD)")
	transport := fs.String("transport", envOr("ODOOGQL_TRANSPORT", "xmlrpc"), "xmlrpc, or json2 for Odoo 19 and later with -password an API key ($ODOOGQL_TRANSPORT)")
	models := fs.String("models", "", "comma-separated model names or glob patterns (default: the models of generate.yml)")
	cfgPath := fs.String("config", "generate.yml", "generation configuration whose models to fetch when -models is empty")
	fs.IntVar(&opt.Depth, "depth", 0, "also fetch models reachable through relations, up to this many hops")
	fs.IntVar(&opt.Concurrency, "concurrency", odoo.DefaultCatalogueConcurrency, "fields_get calls in flight at once")
	out := fs.String("o", "metadata.json", "output file (- for standard output)")
	timeout := fs.Duration("timeout", 5*time.Minute, "overall timeout")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *transport != "auto" { // auto (the gateway's default) reads over XML-RPC here
		t, err := odoo.ParseTransport(*transport)
		if err != nil {
			return fmt.Errorf("-transport: %w", err)
		}
		opt.Transport = t
	}
	if *models != "" {
		opt.Patterns = splitComma(*models)
	} else if raw, err := os.ReadFile(*cfgPath); err == nil {
		cfg, err := schemagen.ParseConfig(raw)
		if err != nil {
			return err
		}
		opt.Patterns = cfg.Models
	}
	if len(opt.Patterns) == 0 {
		return fmt.Errorf("fetch: no models: pass -models or list them in %s", *cfgPath)
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	opt.Warn = func(msg string) { fmt.Fprintln(stderr, "warning:", msg) }
	meta, err := Fetch(ctx, opt)
	if err != nil {
		return err
	}
	b, err := MarshalMetadata(meta)
	if err != nil {
		return err
	}
	if *out == "-" {
		_, err = stdout.Write(b)
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s: %d models\n", *out, len(meta.Models))
	return nil
}

// MarshalMetadata encodes a snapshot the way it is committed: indented JSON
// with sorted keys, models sorted by name, and a final newline.
func MarshalMetadata(meta *odoo.Metadata) ([]byte, error) {
	meta.Sort()
	b, err := json.MarshalIndent(meta, "", " ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// scale writes a larger snapshot for generator benchmarks: the models of a
// snapshot plus copies renamed x<N>_<model>, whose relations point into
// their own copy.
func scale(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("scale", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "metadata.json", "snapshot to copy")
	out := fs.String("o", "metadata.scaled.json", "output file")
	copies := fs.Int("copies", 5, "copies to add")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	meta, err := ReadMetadata(*in)
	if err != nil {
		return err
	}
	b, err := MarshalMetadata(Scale(meta, *copies))
	if err != nil {
		return err
	}
	return os.WriteFile(*out, b, 0o644)
}

// Scale returns meta with copies more copies of every model.
func Scale(meta *odoo.Metadata, copies int) *odoo.Metadata {
	out := &odoo.Metadata{ServerVersion: meta.ServerVersion, Models: append([]odoo.Model(nil), meta.Models...)}
	names := map[string]bool{}
	for _, m := range meta.Models {
		names[m.Model] = true
	}
	for c := 1; c <= copies; c++ {
		prefix := fmt.Sprintf("x%d_", c)
		for _, m := range meta.Models {
			cp := odoo.Model{Model: prefix + m.Model, Name: m.Name + " " + prefix, Fields: map[string]odoo.Field{}}
			for k, f := range m.Fields {
				if names[f.Relation] {
					f.Relation = prefix + f.Relation
				}
				cp.Fields[k] = f
			}
			out.Models = append(out.Models, cp)
		}
	}
	out.Sort()
	return out
}

// envOr is the environment variable name, or def when it is unset or empty.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
