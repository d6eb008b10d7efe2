package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/odoogql/odoogql/internal/schemagen"
	"github.com/odoogql/odoogql/internal/sdl"
	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// startGateway serves odoogql in front of the demo Odoo on loopback; with
// anonymous false, a request must carry Odoo credentials.
func startGateway(t *testing.T, anonymous bool) string {
	t.Helper()
	// generate.yml's methods (business actions), which the defaults do not
	// list: with them the defaults expose what generate.yml does.
	raw, err := os.ReadFile("../../generate.yml")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := schemagen.ParseConfig(raw)
	if err != nil {
		t.Fatal(err)
	}
	return startGatewayEnv(t, anonymous, map[string]string{schemagen.EnvMethods: strings.Join(rules.Methods, ",")})
}

// startGatewayEnv is startGateway with the environment env (the exposure
// variables).
func startGatewayEnv(t *testing.T, anonymous bool, env map[string]string) string {
	t.Helper()
	raw, err := os.ReadFile("../../metadata.json")
	if err != nil {
		t.Fatal(err)
	}
	meta, err := server.ParseMetadata(raw)
	if err != nil {
		t.Fatal(err)
	}
	o := odootest.NewServer()
	t.Cleanup(o.Close)
	// The gateway's own defaults (settings table), with the environment
	// ignored; requests without credentials run as the service account, and
	// introspection and GraphiQL are on (as with the embedded demo).
	cfg, err := server.LoadConfig([]string{
		"-odoo-url", o.URL, "-odoo-db", o.DB(), "-odoo-username", "admin", "-odoo-password", "admin",
		"-allow-anonymous", strconv.FormatBool(anonymous), "-introspection", "true",
	}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	gw, err := server.New(cfg, meta, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(gw.Handler())
	t.Cleanup(hs.Close)
	return hs.URL
}

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runEnv(t, nil, args...)
}

// runEnv runs the command with the environment env.
func runEnv(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out, errb bytes.Buffer
	code = run(ctx, args, func(k string) string { return env[k] }, &out, &errb)
	return code, out.String(), errb.String()
}

// TestSchemaFromMetadata prints live mode's schema from the committed
// snapshot and its generate.yml, without a gateway: the same text as the
// demo gateway's introspection (-url) and as the compiled schema (-file).
func TestSchemaFromMetadata(t *testing.T) {
	code, fromMeta, stderr := runCmd(t, "-metadata", "../../metadata.json", "-config", "../../generate.yml")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	base := startGateway(t, true)
	code, fromURL, stderr := runCmd(t, "-url", base+"/graphql")
	if code != 0 {
		t.Fatalf("-url: exit %d: %s", code, stderr)
	}
	if fromMeta != fromURL {
		t.Errorf("-metadata and -url differ:\n%s", firstDiff(fromMeta, fromURL))
	}
	code, fromFile, stderr := runCmd(t, "-file")
	if code != 0 {
		t.Fatalf("-file: exit %d: %s", code, stderr)
	}
	if fromMeta != fromFile {
		t.Errorf("-metadata and -file differ:\n%s", firstDiff(fromMeta, fromFile))
	}
	if len(fromMeta) < 100000 || !strings.Contains(fromMeta, "type ResPartner implements Node {") {
		t.Errorf("output is %d bytes, without ResPartner?", len(fromMeta))
	}
	// ODOOGQL_CONFIG names the file as -config does.
	if _, out, _ := runEnv(t, map[string]string{"ODOOGQL_CONFIG": "../../generate.yml"}, "-metadata", "../../metadata.json"); out != fromMeta {
		t.Errorf("with ODOOGQL_CONFIG:\n%s", firstDiff(fromMeta, out))
	}
}

// TestMetadataRulesFromEnvironment: without -config, the exposure
// variables and the default field exclusions apply as in the gateway.
func TestMetadataRulesFromEnvironment(t *testing.T) {
	for _, env := range []map[string]string{
		nil, // the defaults: every model, the chatter fields left out
		{"ODOOGQL_MODELS": "res.partner, res.country*", "ODOOGQL_EXCLUDE_FIELDS": "email, phone"},
		{"ODOOGQL_MODELS": "res.partner", "ODOOGQL_EXCLUDE_MODELS": "res.country.state"},
	} {
		code, fromMeta, stderr := runEnv(t, env, "-metadata", "../../metadata.json")
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", env, code, stderr)
		}
		base := startGatewayEnv(t, true, env)
		_, fromURL, stderr := runCmd(t, "-url", base+"/graphql")
		if fromMeta != fromURL {
			t.Errorf("%v: -metadata and -url differ (%s):\n%s", env, stderr, firstDiff(fromMeta, fromURL))
		}
		chatter := regexp.MustCompile(`(?m)^\s+(activity_ids|message_ids)[(:]`).FindString(fromMeta)
		if defaults := env["ODOOGQL_EXCLUDE_FIELDS"] == ""; defaults != (chatter == "") {
			t.Errorf("%v: chatter field %q exposed; want the default exclusions: %v", env, chatter, defaults)
		}
		if env["ODOOGQL_EXCLUDE_FIELDS"] != "" {
			if m := regexp.MustCompile(`(?m)^\s+(email|phone)[(:]`).FindString(fromMeta); m != "" {
				t.Errorf("%v: excluded field %q is exposed", env, m)
			}
		}
		if env["ODOOGQL_MODELS"] != "" && strings.Contains(fromMeta, "type SaleOrder {") {
			t.Errorf("%v: SaleOrder is exposed", env)
		}
	}
}

// TestSchemaFromLiveEndpoint prints the schema of a running gateway and
// checks it against schema.graphqls, definition by definition, and against
// -file, as text.
func TestSchemaFromLiveEndpoint(t *testing.T) {
	base := startGateway(t, true)
	code, live, stderr := runCmd(t, "-url", base+"/graphql")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}

	got, err := gqlparser.LoadSchema(&ast.Source{Name: "output", Input: live})
	if err != nil {
		t.Fatalf("output does not parse as a schema: %v", err)
	}
	raw, err := os.ReadFile("../../schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	want, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphqls", Input: string(raw)})
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Types) < 100 {
		t.Fatalf("schema.graphqls has only %d types", len(want.Types))
	}
	for name, w := range want.Types {
		g := got.Types[name]
		if g == nil {
			t.Errorf("type %s of schema.graphqls is missing", name)
			continue
		}
		if g.Kind != w.Kind || g.Description != w.Description {
			t.Errorf("%s: kind %s, description %q; want %s, %q", name, g.Kind, g.Description, w.Kind, w.Description)
		}
		if gf, wf := memberNames(g), memberNames(w); !slices.Equal(gf, wf) {
			t.Errorf("%s: members\n%v\nwant\n%v", name, gf, wf)
		}
	}
	for name := range got.Types {
		if want.Types[name] == nil {
			t.Errorf("type %s is not in schema.graphqls", name)
		}
	}
	for _, q := range []string{"type Query {", "resPartners(", "type ResPartner implements Node {", "input ResPartnerWhere {", "createResPartner("} {
		if !strings.Contains(live, q) {
			t.Errorf("output lacks %q", q)
		}
	}

	// The same text as the compiled-in schema printed the same way, and as
	// schema.graphqls printed the same way.
	code, file, stderr := runCmd(t, "-file")
	if code != 0 {
		t.Fatalf("-file: exit %d: %s", code, stderr)
	}
	if live != file {
		t.Errorf("-url and -file differ:\n%s", firstDiff(live, file))
	}
	if printed := sdl.Print(want); live != printed {
		t.Errorf("-url and schema.graphqls differ:\n%s", firstDiff(live, printed))
	}

	// Deterministic.
	if _, again, _ := runCmd(t, "-url", base+"/graphql"); again != live {
		t.Errorf("two runs differ:\n%s", firstDiff(live, again))
	}
}

// memberNames lists a definition's fields (with their arguments) or enum
// values, in order.
func memberNames(d *ast.Definition) []string {
	var out []string
	for _, f := range d.Fields {
		s := f.Name + ": " + f.Type.String()
		for _, a := range f.Arguments {
			s += " " + a.Name + ": " + a.Type.String()
		}
		out = append(out, s)
	}
	for _, v := range d.EnumValues {
		out = append(out, v.Name)
	}
	return out
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "line " + strconv.Itoa(i+1) + ":\n- " + al[i] + "\n+ " + bl[i]
		}
	}
	return "lengths " + strconv.Itoa(len(al)) + " and " + strconv.Itoa(len(bl)) + " lines"
}

func TestHeaders(t *testing.T) {
	base := startGateway(t, false)
	if code, _, stderr := runCmd(t, "-url", base+"/graphql"); code != 1 || !strings.Contains(stderr, "UNAUTHENTICATED") {
		t.Errorf("without credentials: exit %d, stderr %q; want 1 and UNAUTHENTICATED", code, stderr)
	}
	code, out, stderr := runCmd(t, "-url", base+"/graphql", "-H", "Authorization: Basic "+base64.StdEncoding.EncodeToString([]byte("admin:admin")))
	if code != 0 || !strings.Contains(out, "type ResPartner implements Node {") {
		t.Errorf("with the header: exit %d, stderr %q", code, stderr)
	}
}

func TestErrors(t *testing.T) {
	// A loopback port with nothing listening.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/graphql"
	ln.Close()
	notGraphQL := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"errors":[{"message":"introspection disabled"}]}`))
	}))
	defer notGraphQL.Close()
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>not found</html>", http.StatusNotFound)
	}))
	defer html.Close()

	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no flags", nil, 2, "usage"},
		{"both", []string{"-file", "-url", "http://127.0.0.1:1/graphql"}, 2, "usage"},
		{"metadata and url", []string{"-metadata", "../../metadata.json", "-url", "http://127.0.0.1:1/graphql"}, 2, "usage"},
		{"config without metadata", []string{"-url", "http://127.0.0.1:1/graphql", "-config", "../../generate.yml"}, 2, "usage"},
		{"no metadata file", []string{"-metadata", "nowhere.json"}, 1, "no such file"},
		{"not metadata", []string{"-metadata", "../../generate.yml"}, 1, "generate.yml: metadata"},
		{"bad config", []string{"-metadata", "../../metadata.json", "-config", "../../metadata.json"}, 1, "metadata.json"},
		{"extra argument", []string{"-file", "x"}, 2, "usage"},
		{"bad header", []string{"-url", closed, "-H", "no colon"}, 2, "want 'Name: value'"},
		{"nothing listening", []string{"-url", closed}, 1, "connection refused"},
		{"GraphQL error", []string{"-url", notGraphQL.URL}, 1, "introspection disabled"},
		{"not GraphQL", []string{"-url", html.URL}, 1, "404"},
		{"help", []string{"-h"}, 0, "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCmd(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tt.code, tt.stderr)
			}
			if code != 0 && out != "" {
				t.Errorf("stdout on failure: %q", out)
			}
		})
	}
}
