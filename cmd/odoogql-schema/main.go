// Command odoogql-schema prints a GraphQL schema of odoogql as SDL, with
// gqlparser's formatter (definitions sorted by name), so the output is the
// same for the same schema, wherever it comes from:
//
//	go run ./cmd/odoogql-schema -url http://localhost:8080/graphql > schema.graphqls
//	go run ./cmd/odoogql-schema -metadata metadata.json -config generate.yml > schema.graphqls
//	go run -tags compiled ./cmd/odoogql-schema -file
//
// -url introspects a running gateway; -H adds a request header
// (repeatable), for a gateway behind authentication: -H 'Authorization:
// Bearer …'.
//
// -metadata builds the schema live mode serves for a metadata snapshot
// (odoogql-gen fetch's JSON) without a gateway or an Odoo, with the
// gateway's own builder (server.BuildLiveSchema) and the same exposure
// rules: the generate.yml of -config, else the gateway's environment
// (ODOOGQL_CONFIG, or ODOOGQL_MODELS, ODOOGQL_EXCLUDE_MODELS and
// ODOOGQL_EXCLUDE_FIELDS), else its defaults.
//
// -file prints the schema compiled into the binary (package graph, from
// the committed schema.graphqls); only a build with -tags compiled has it,
// so that the default build does not compile graph/generated.go.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/internal/schemagen"
	"github.com/odoogql/odoogql/internal/sdl"
	"github.com/odoogql/odoogql/internal/server"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// compiledSchema returns the schema compiled into this build (package
// graph): set by compiled.go in a build with -tags compiled (and by the
// tests), nil otherwise.
var compiledSchema func() *ast.Schema

// exposure returns the rules the gateway would expose a snapshot with: the
// generate.yml at path, else ODOOGQL_CONFIG's, else the three pattern
// variables (with the default field exclusions when ODOOGQL_EXCLUDE_FIELDS
// is empty), else the defaults.
func exposure(path string, getenv func(string) string) (schemagen.Config, error) {
	if path == "" {
		path = getenv("ODOOGQL_CONFIG")
	}
	if path != "" {
		raw, err := os.ReadFile(path)
		if err != nil {
			return schemagen.Config{}, err
		}
		rules, err := schemagen.ParseConfig(raw)
		if err != nil {
			return schemagen.Config{}, fmt.Errorf("%s: %w", path, err)
		}
		return rules, nil
	}
	rules, err := schemagen.ConfigFromEnv(getenv)
	if err != nil {
		return schemagen.Config{}, err
	}
	if len(rules.ExcludeFields) == 0 {
		rules.ExcludeFields = schemagen.DefaultExcludeFields()
	}
	return rules, nil
}

// liveSchema builds the schema live mode serves for the snapshot at path.
func liveSchema(path, config string, getenv func(string) string) (*ast.Schema, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	meta, err := server.ParseMetadata(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rules, err := exposure(config, getenv)
	if err != nil {
		return nil, err
	}
	schema, _, err := server.BuildLiveSchema(meta, rules)
	return schema, err
}

// headers is the repeatable -H flag.
type headers http.Header

func (h headers) String() string { return "" }

func (h headers) Set(v string) error {
	name, value, ok := strings.Cut(v, ":")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("%q: want 'Name: value'", v)
	}
	http.Header(h).Add(strings.TrimSpace(name), strings.TrimSpace(value))
	return nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("odoogql-schema", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "", "GraphQL endpoint to introspect, e.g. http://localhost:8080/graphql")
	metadata := fs.String("metadata", "", "print the schema live mode serves for this metadata snapshot (odoogql-gen fetch's JSON, e.g. metadata.json); no server needed")
	config := fs.String("config", "", "with -metadata: the generate.yml of what is exposed (default: ODOOGQL_CONFIG, or ODOOGQL_MODELS, ODOOGQL_EXCLUDE_MODELS, ODOOGQL_EXCLUDE_FIELDS, as the gateway reads them)")
	file := fs.Bool("file", false, "print the schema compiled into this build (schema.graphqls; a build with -tags compiled); no server needed")
	timeout := fs.Duration("timeout", 30*time.Second, "longest wait for the endpoint")
	hdr := headers{}
	fs.Var(hdr, "H", "request header 'Name: value' (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: odoogql-schema -url http://localhost:8080/graphql | -metadata metadata.json [-config generate.yml] | -file")
		fmt.Fprintln(stderr, "Prints a GraphQL schema as SDL, sorted and formatted by gqlparser.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	sources := 0
	for _, set := range []bool{*url != "", *metadata != "", *file} {
		if set {
			sources++
		}
	}
	if fs.NArg() > 0 || sources != 1 || (*config != "" && *metadata == "") {
		fs.Usage()
		return 2
	}

	var schema *ast.Schema
	switch {
	case *file:
		if compiledSchema == nil {
			fmt.Fprintln(stderr, "odoogql-schema: -file: this build has no compiled schema (go run -tags compiled ./cmd/odoogql-schema -file), or print live mode's with -metadata metadata.json -config generate.yml")
			return 1
		}
		schema = compiledSchema()
	case *metadata != "":
		var err error
		if schema, err = liveSchema(*metadata, *config, getenv); err != nil {
			fmt.Fprintln(stderr, "odoogql-schema:", err)
			return 1
		}
	default:
		ctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		var err error
		schema, err = sdl.Fetch(ctx, http.DefaultClient, *url, http.Header(hdr))
		if err != nil {
			fmt.Fprintln(stderr, "odoogql-schema:", err)
			return 1
		}
	}
	if _, err := io.WriteString(stdout, sdl.Print(schema)); err != nil {
		fmt.Fprintln(stderr, "odoogql-schema:", err)
		return 1
	}
	return 0
}
