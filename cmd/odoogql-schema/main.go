// Command odoogql-schema prints the GraphQL schema of a running gateway as
// SDL: it sends the introspection query to the endpoint, rebuilds the schema
// and prints it with gqlparser's formatter (definitions sorted by name), so
// the output is the same for the same schema.
//
//	go run ./cmd/odoogql-schema -url http://localhost:8080/graphql > schema.sdl
//	go run ./cmd/odoogql-schema -file     # the schema compiled into this build, no server needed
//
// -H adds a request header (repeatable), for a gateway behind
// authentication: -H 'Authorization: Bearer …'.
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

	"github.com/odoogql/odoogql/graph"
	"github.com/odoogql/odoogql/internal/sdl"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
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

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("odoogql-schema", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "", "GraphQL endpoint to introspect, e.g. http://localhost:8080/graphql")
	file := fs.Bool("file", false, "print the schema compiled into this build (schema.graphqls) instead; no server needed")
	timeout := fs.Duration("timeout", 30*time.Second, "longest wait for the endpoint")
	hdr := headers{}
	fs.Var(hdr, "H", "request header 'Name: value' (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: odoogql-schema -url http://localhost:8080/graphql | -file")
		fmt.Fprintln(stderr, "Prints a GraphQL schema as SDL, sorted and formatted by gqlparser.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 || (*url == "") == !*file {
		fs.Usage()
		return 2
	}

	var schema *ast.Schema
	if *file {
		schema = graph.NewExecutableSchema(graph.Config{}).Schema()
	} else {
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
