package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// npmDir is the npm project of the graphql-js and code generation tests.
const npmDir = "graphqljs"

// nodeTools returns the node binary, or skips the test (fails it in CI) when
// node or the npm project's packages are missing or stale.
func nodeTools(t *testing.T) string {
	t.Helper()
	node := lookTool("node", "nodejs")
	if node == "" {
		skipOrFail(t, "node not found; install Node.js 20 or later (Debian package nodejs) and run: cd e2e/%s && npm ci", npmDir)
	}
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	raw, err := os.ReadFile(filepath.Join(npmDir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"graphql", "@graphql-codegen/cli", "@graphql-codegen/typescript", "@graphql-codegen/typescript-operations", "typescript", "graphql-http"} {
		var installed struct {
			Version string `json:"version"`
		}
		raw, err := os.ReadFile(filepath.Join(npmDir, "node_modules", name, "package.json"))
		if err == nil {
			err = json.Unmarshal(raw, &installed)
		}
		if err != nil || installed.Version != pkg.DevDependencies[name] {
			skipOrFail(t, "%s %s is not installed in e2e/%s/node_modules (found %q); run: cd e2e/%s && npm ci",
				name, pkg.DevDependencies[name], npmDir, installed.Version, npmDir)
		}
	}
	// Read the files node reads, so that go test's cache knows of them: a
	// change to one of them reruns the tests.
	for _, f := range []string{"roundtrip.mjs", "audit.mjs", "codegen.ts", "package-lock.json", "../../schema.graphqls"} {
		if _, err := os.ReadFile(filepath.Join(npmDir, f)); err != nil {
			t.Fatal(err)
		}
	}
	return node
}

// runNode runs node with args in dir, with GRAPHQL_URL and extra
// environment, and returns its stdout; it fails the test on a non-zero exit.
func runNode(t *testing.T, ctx context.Context, node, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	t.Logf("node %s: %v", strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
	if err != nil {
		t.Fatalf("node %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// roundTrip is what roundtrip.mjs reports.
type roundTrip struct {
	GraphQLVersion string                         `json:"graphqlVersion"`
	Introspections []string                       `json:"introspections"`
	Types          int                            `json:"types"`
	FileTypes      int                            `json:"fileTypes"`
	Differences    map[string][]map[string]string `json:"differences"`
	Breaking       map[string][]string            `json:"breaking"`
	Dangerous      map[string][]string            `json:"dangerous"`
	Operations     []struct {
		Name                 string   `json:"name"`
		ValidationErrors     []string `json:"validationErrors"`
		FileValidationErrors []string `json:"fileValidationErrors"`
		OK                   bool     `json:"ok"`
	} `json:"operations"`
	Invalid struct {
		ValidationErrors []string `json:"validationErrors"`
		Status           int      `json:"status"`
		ServerErrors     []struct {
			Message string `json:"message"`
			Code    string `json:"code"`
		} `json:"serverErrors"`
	} `json:"invalid"`
}

// The differences graphql-js finds between the live schema and
// schema.graphqls. Both come from gqlgen's built-ins (gqlparser's prelude),
// not from odoogql's schema, and neither can be removed from the endpoint:
//
//   - gqlgen declares @defer (it executes incremental delivery), which
//     introspection lists; graphql-js 16 has no built-in @defer, so the
//     client schema has one more directive than buildSchema(schema.graphqls).
//   - graphql-js 16.15's built-in @deprecated may also be placed on directive
//     definitions (DIRECTIVE_DEFINITION); gqlparser's is not, and the client
//     schema takes the endpoint's definition.
var (
	knownDifference = map[string]string{"change": "only in endpoint", "definition": "directive @defer"}
	knownBreaking   = map[string][]string{
		"file→%s": {"DIRECTIVE_LOCATION_REMOVED: DIRECTIVE_DEFINITION was removed from deprecated."},
		"%s→file": {"DIRECTIVE_REMOVED: defer was removed."},
	}
)

// TestGraphQLJSRoundTrip checks the live schema with graphql-js, the
// reference implementation: introspection → buildClientSchema equals
// buildSchema(schema.graphqls) but for gqlgen's built-ins, and realistic
// client operations validate against it and run without errors.
func TestGraphQLJSRoundTrip(t *testing.T) {
	t.Parallel()
	node := nodeTools(t)
	for _, schema := range schemas {
		t.Run(schema.String(), func(t *testing.T) {
			t.Parallel()
			testGraphQLJSRoundTrip(t, node, startGateway(t, schema))
		})
	}
}

func testGraphQLJSRoundTrip(t *testing.T, node string, base string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	out := runNode(t, ctx, node, npmDir, []string{"GRAPHQL_URL=" + base + "/graphql"}, "roundtrip.mjs", "../../schema.graphqls")
	_, line, ok := strings.Cut(out, "RESULT ")
	if !ok {
		t.Fatalf("no RESULT line in:\n%s", out)
	}
	var r roundTrip
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		t.Fatalf("RESULT: %v\n%s", err, line)
	}
	t.Logf("graphql-js %s: %d types", r.GraphQLVersion, r.Types)

	if !slices.Equal(r.Introspections, []string{"standard", "extended"}) {
		t.Errorf("introspections %v, want standard and extended", r.Introspections)
	}
	if r.Types < 300 || r.Types != r.FileTypes {
		t.Errorf("client schema has %d types, schema.graphqls %d", r.Types, r.FileTypes)
	}
	for _, name := range []string{"standard", "extended"} {
		diffs := r.Differences[name]
		if len(diffs) != 1 || diffs[0]["change"] != knownDifference["change"] || diffs[0]["definition"] != knownDifference["definition"] {
			t.Errorf("%s introspection: printSchema differences %v, want only %v", name, diffs, knownDifference)
		}
		for format, want := range knownBreaking {
			key := fmt.Sprintf(format, name)
			if got := r.Breaking[key]; !slices.Equal(got, want) {
				t.Errorf("breaking changes %s: %q, want %q", key, got, want)
			}
		}
		for _, key := range []string{"file→" + name, name + "→file"} {
			got, ok := r.Dangerous[key]
			if !ok || len(got) > 0 {
				t.Errorf("dangerous changes %s: %q (present %v), want none", key, got, ok)
			}
		}
	}

	if len(r.Operations) != 8 {
		t.Errorf("%d operations, want 8", len(r.Operations))
	}
	for _, op := range r.Operations {
		if len(op.ValidationErrors) > 0 || len(op.FileValidationErrors) > 0 || !op.OK {
			t.Errorf("%s: validation %q / %q, ran ok %v", op.Name, op.ValidationErrors, op.FileValidationErrors, op.OK)
		}
	}

	// The invalid operation: graphql-js and the gateway reject it for the
	// same reasons.
	want := []string{`Boolean cannot represent a non boolean value: "yes"`, `Cannot query field "nosuchfield" on type "ResPartner".`}
	if !slices.Equal(r.Invalid.ValidationErrors, want) {
		t.Errorf("graphql-js validation of the invalid operation: %q, want %q", r.Invalid.ValidationErrors, want)
	}
	var server []string
	for _, e := range r.Invalid.ServerErrors {
		server = append(server, e.Message)
		if e.Code != "GRAPHQL_VALIDATION_FAILED" {
			t.Errorf("gateway error code %q, want GRAPHQL_VALIDATION_FAILED", e.Code)
		}
	}
	// 200: a request error answered as application/json (GraphQL over HTTP).
	if r.Invalid.Status != 200 || !slices.Equal(server, want) {
		t.Errorf("gateway answered the invalid operation with %d %q, want 200 %q", r.Invalid.Status, server, want)
	}
}

// TestCodegenTypeScript generates TypeScript types from the live endpoint
// with GraphQL Code Generator for the operations of client.ts, type-checks
// the client with tsc --noEmit --strict, then compiles it and runs it
// against the gateway.
func TestCodegenTypeScript(t *testing.T) {
	t.Parallel()
	node := nodeTools(t)
	for _, schema := range schemas {
		t.Run(schema.String(), func(t *testing.T) {
			t.Parallel()
			testCodegenTypeScript(t, node, startGateway(t, schema))
		})
	}
}

func testCodegenTypeScript(t *testing.T, node string, base string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// The client's sources go to a temporary directory, with the
	// generated files next to them.
	work := t.TempDir()
	for _, f := range []string{"client.ts", "smoke.ts", "tsconfig.json"} {
		raw, err := os.ReadFile(filepath.Join(npmDir, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, f), raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"GRAPHQL_URL=" + base + "/graphql", "CODEGEN_DIR=" + work}
	codegen := filepath.Join("node_modules", ".bin", "graphql-codegen")
	tsc := filepath.Join("node_modules", "typescript", "bin", "tsc")

	runNode(t, ctx, node, npmDir, env, codegen, "--config", "codegen.ts")
	for file, want := range map[string][]string{
		"schema.ts":  {"export type ResPartner = Node & {", "export type Node = {", "export type ResPartnerWhere = {", "export type Mutation = {"},
		"graphql.ts": {"export type CompaniesQuery = ", "export type CreateContactMutationVariables = ", "export type RenameContactsMutation = "},
	} {
		raw, err := os.ReadFile(filepath.Join(work, "generated", file))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !bytes.Contains(raw, []byte(w)) {
				t.Errorf("generated/%s lacks %q", file, w)
			}
		}
	}

	runNode(t, ctx, node, npmDir, env, tsc, "--noEmit", "--strict", "-p", filepath.Join(work, "tsconfig.json"))

	// Compiled (already checked) and run: the typed client works against
	// the gateway.
	dist := filepath.Join(work, "dist")
	runNode(t, ctx, node, npmDir, env, tsc, "--noCheck", "--noEmit", "false", "--outDir", dist, "-p", filepath.Join(work, "tsconfig.json"))
	if err := os.WriteFile(filepath.Join(dist, "package.json"), []byte(`{"type":"module"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := runNode(t, ctx, node, work, env, filepath.Join(dist, "smoke.js"))
	var got struct {
		Total     int      `json:"total"`
		Companies []string `json:"companies"`
		Created   struct {
			ID       string `json:"id"`
			Name     string `json:"name"`
			ParentID struct {
				Name string `json:"name"`
			} `json:"parent_id"`
		} `json:"created"`
		Renamed []string `json:"renamed"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("smoke.js output: %v\n%s", err, out)
	}

	// What the gateway says, asked directly.
	var us struct {
		ResPartners struct {
			TotalCount int `json:"totalCount"`
		} `json:"resPartners"`
	}
	data := postQuery(t, ctx, base+"/graphql", `{ resPartners(where: {is_company: {eq: true}, country_id: {code: {eq: "US"}}}) { totalCount } }`)
	if err := json.Unmarshal(data, &us); err != nil {
		t.Fatal(err)
	}
	if got.Total != us.ResPartners.TotalCount || len(got.Companies) != min(3, got.Total) {
		t.Errorf("client saw %d US companies (%d listed), the gateway says %d", got.Total, len(got.Companies), us.ResPartners.TotalCount)
	}
	if len(got.Companies) == 0 || !strings.HasPrefix(got.Companies[0], "Azure Interior [US, contact]: ") {
		t.Errorf("companies %q, want Azure Interior first", got.Companies)
	}
	if got.Created.ID == "" || got.Created.Name != "Grace Hopper" || got.Created.ParentID.Name != "Azure Interior" {
		t.Errorf("created %+v", got.Created)
	}
	if !slices.Equal(got.Renamed, []string{"Rear Admiral Grace Hopper"}) {
		t.Errorf("renamed %q", got.Renamed)
	}
}
