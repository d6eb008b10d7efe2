package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// clientsDir is the npm project of the GraphQL client tests: Apollo Client 3
// and 4, urql with Graphcache, Relay (relay-compiler and relay-runtime).
const clientsDir = "clients"

// The demo user the clients log in as (odootest: demo / demo, "Marc Demo",
// an internal user with limited rights), with HTTP Basic as the README says.
const (
	clientLogin    = "demo:demo"
	clientUserName = "Marc Demo"
)

// clientTools returns the node binary, or skips the test (fails it in CI)
// when node or the packages of e2e/clients are missing or not the pinned
// versions.
func clientTools(t *testing.T) string {
	t.Helper()
	node := lookTool("node", "nodejs")
	if node == "" {
		skipOrFail(t, "node not found; install Node.js 20 or later (Debian package nodejs) and run: cd e2e/%s && npm ci", clientsDir)
	}
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	raw, err := os.ReadFile(filepath.Join(clientsDir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	for name, want := range pkg.DevDependencies {
		// An npm alias ("apollo3": "npm:@apollo/client@3.14.1") is
		// installed under its alias, with the aliased package's version.
		if _, spec, ok := strings.Cut(want, "npm:"); ok {
			want = spec[strings.LastIndex(spec, "@")+1:]
		}
		var installed struct {
			Version string `json:"version"`
		}
		raw, err := os.ReadFile(filepath.Join(clientsDir, "node_modules", name, "package.json"))
		if err == nil {
			err = json.Unmarshal(raw, &installed)
		}
		if err != nil || installed.Version != want {
			skipOrFail(t, "%s %s is not installed in e2e/%s/node_modules (found %q); run: cd e2e/%s && npm ci",
				name, want, clientsDir, installed.Version, clientsDir)
		}
	}
	// Read the files node reads, so that go test's cache knows of them.
	for _, f := range []string{"common.mjs", "scenario.mjs", "apollo.mjs", "urql.mjs", "relay.mjs", "relay/Odoo.js", "package-lock.json", "../../schema.graphqls"} {
		if _, err := os.ReadFile(filepath.Join(clientsDir, f)); err != nil {
			t.Fatal(err)
		}
	}
	return node
}

// clientResult is what a client script prints on its RESULT line.
type clientResult struct {
	Client  string          `json:"client"`
	Version json.RawMessage `json:"version"`
	Checks  []struct {
		Name   string `json:"name"`
		OK     bool   `json:"ok"`
		Detail string `json:"detail"`
	} `json:"checks"`
	Values map[string]json.RawMessage `json:"values"`
}

// runClient runs a client script against the gateway at base and returns its
// result, after failing the test for each failed check and each check of
// want it did not make.
func runClient(t *testing.T, node, base string, want []string, args ...string) clientResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out := runNode(t, ctx, node, clientsDir, []string{"GRAPHQL_URL=" + base + "/graphql", "GRAPHQL_LOGIN=" + clientLogin}, args...)
	_, line, ok := strings.Cut(out, "RESULT ")
	if !ok {
		t.Fatalf("no RESULT line in:\n%s", out)
	}
	var r clientResult
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		t.Fatalf("RESULT: %v\n%s", err, line)
	}
	t.Logf("%s %s: %d checks", r.Client, r.Version, len(r.Checks))
	var names []string
	for _, c := range r.Checks {
		names = append(names, c.Name)
		if !c.OK {
			t.Errorf("%s: %s\n%s", r.Client, c.Name, c.Detail)
		}
	}
	for _, w := range want {
		if !slices.Contains(names, w) {
			t.Errorf("%s made no check %q", r.Client, w)
		}
	}
	return r
}

// value decodes the value name of a client's result into v.
func (r clientResult) value(t *testing.T, name string, v any) {
	t.Helper()
	raw, ok := r.Values[name]
	if !ok {
		t.Errorf("%s reported no value %s", r.Client, name)
		return
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Errorf("%s value %s: %v (%s)", r.Client, name, err, raw)
	}
}

// expected is what the gateway answers, asked from Go as the clients' user
// before a client runs.
type expected struct {
	Companies struct {
		Nodes []struct {
			Name string `json:"name"`
		} `json:"nodes"`
	} `json:"companies"`
	SaleOrder struct {
		Name string `json:"name"`
	} `json:"saleOrder"`
	Deco struct {
		Term, Location struct {
			Typename    string `json:"__typename"`
			ID          string `json:"id"`
			NodeID      string `json:"nodeId"`
			DisplayName string `json:"display_name"`
		}
	} `json:"deco"`
	First6 struct {
		Nodes []struct {
			ID string `json:"id"`
		} `json:"nodes"`
	} `json:"first6"`
}

func (e expected) companyNames() (names []string) {
	for _, n := range e.Companies.Nodes {
		names = append(names, n.Name)
	}
	return names
}

func (e expected) first6() (ids []string) {
	for _, n := range e.First6.Nodes {
		ids = append(ids, n.ID)
	}
	return ids
}

func fetchExpected(t *testing.T, base string) expected {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	data := postAs(t, ctx, base+"/graphql", clientLogin, `{
		companies: resPartners(where: {is_company: {eq: true}}, orderBy: [{name: ASC}], limit: 5) { nodes { name } }
		saleOrder(id: "1") { name }
		deco: resPartner(id: "10") {
			Term: property_payment_term_id { __typename id nodeId display_name }
			Location: property_stock_supplier { __typename id nodeId display_name }
		}
		first6: resPartners(orderBy: [{id: ASC}], limit: 6) { nodes { id } }
	}`)
	var e expected
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	// The premise of the twin-ids checks: two records of two unexposed
	// models, with the same id.
	if e.Deco.Term.Typename != "AccountPaymentTerm" || e.Deco.Location.Typename != "StockLocation" ||
		e.Deco.Term.ID != e.Deco.Location.ID || e.Deco.Term.DisplayName == e.Deco.Location.DisplayName {
		t.Fatalf("Deco Addict's payment term and supplier location: %+v", e.Deco)
	}
	if len(e.Companies.Nodes) != 5 || len(e.First6.Nodes) != 6 || e.SaleOrder.Name == "" {
		t.Fatalf("unexpected demo data: %s", data)
	}
	return e
}

// postAs sends a GraphQL query with HTTP Basic credentials (login:password;
// none when empty) and returns the response's data, failing the test on
// any error.
func postAs(t *testing.T, ctx context.Context, endpoint, login, query string) json.RawMessage {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if login != "" {
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(login)))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []any           `json:"errors"`
	}
	if err := json.Unmarshal(raw, &env); err != nil || len(env.Errors) > 0 || resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d %s", endpoint, resp.StatusCode, raw)
	}
	return env.Data
}

// The checks every normalized-cache client (scenario.mjs) must make.
var scenarioChecks = []string{
	"tour Companies: cache = wire", "tour SaleOrder: cache = wire", "tour Filters: cache = wire",
	"twin ids: DecoAddict cache = wire", "twin ids: two cache keys",
	"twin ids: payment term entity = wire", "twin ids: supplier location entity = wire", "twin ids: Deco Addict entity = wire",
	"node: cache = wire", "node: same entity as resPartner(id: \"10\")",
	"mutation: created entity = wire", "mutation: update answer",
	"mutation: list read from the cache after the update = wire", "mutation: updated entity = wire",
	"limit/offset 3@0: cache = wire", "limit/offset 3@3: cache = wire", "limit/offset: 3@0 + 3@3 = 6@0",
	`connection {"first":3}: cache = wire`,
	"connection: first 3 + next 3 = limit 6", "connection: last 3 before the second page = the first page",
	"connection: pageInfo", "connection: cursors", "connection: first node entity = wire",
	"bad login: UNAUTHENTICATED",
}

// checkScenario compares what a normalized-cache client reported with what
// the gateway answered Go.
func checkScenario(t *testing.T, r clientResult, e expected) {
	t.Helper()
	var companies, twinKeys, twinNames, twinTypes, renamed []string
	r.value(t, "companies", &companies)
	if !slices.Equal(companies, e.companyNames()) {
		t.Errorf("%s: companies %q, want %q", r.Client, companies, e.companyNames())
	}
	var saleOrder, nodeName string
	r.value(t, "saleOrder", &saleOrder)
	if saleOrder != e.SaleOrder.Name {
		t.Errorf("%s: sale order %q, want %q", r.Client, saleOrder, e.SaleOrder.Name)
	}
	// The two relations to unexposed models with the same id are two
	// entities, of their own types, with their own values.
	r.value(t, "twinKeys", &twinKeys)
	wantKeys := []string{e.Deco.Term.Typename + ":" + e.Deco.Term.ID, e.Deco.Location.Typename + ":" + e.Deco.Location.ID}
	if !slices.Equal(twinKeys, wantKeys) {
		t.Errorf("%s: cache keys %q, want %q", r.Client, twinKeys, wantKeys)
	}
	r.value(t, "twinNames", &twinNames)
	if want := []string{e.Deco.Term.DisplayName, e.Deco.Location.DisplayName}; !slices.Equal(twinNames, want) {
		t.Errorf("%s: display names read from the cache %q, want %q", r.Client, twinNames, want)
	}
	r.value(t, "twinTypes", &twinTypes)
	if want := []string{e.Deco.Term.Typename, e.Deco.Location.Typename}; !slices.Equal(twinTypes, want) {
		t.Errorf("%s: types read from the cache %q, want %q", r.Client, twinTypes, want)
	}
	r.value(t, "nodeName", &nodeName)
	if nodeName != "Deco Addict" {
		t.Errorf("%s: node(nodeId:) read %q, want Deco Addict", r.Client, nodeName)
	}
	// The mutation ran as the user the client logged in as.
	var created struct {
		Name      string `json:"name"`
		CreateUID struct {
			Name string `json:"name"`
		} `json:"create_uid"`
	}
	r.value(t, "created", &created)
	if created.CreateUID.Name != clientUserName {
		t.Errorf("%s: created %+v, want it created by %s", r.Client, created, clientUserName)
	}
	r.value(t, "renamed", &renamed)
	if want := []string{created.Name + ", Countess"}; !slices.Equal(renamed, want) {
		t.Errorf("%s: list after the update %q, want %q", r.Client, renamed, want)
	}
	var offsetPages map[string][]string
	r.value(t, "offsetPages", &offsetPages)
	if !slices.Equal(offsetPages["6@0"], e.first6()) {
		t.Errorf("%s: limit 6 page %q, want %q", r.Client, offsetPages["6@0"], e.first6())
	}
	var connection [][]string
	r.value(t, "connectionPages", &connection)
	if len(connection) != 3 || !slices.Equal(slices.Concat(connection[0], connection[1]), e.first6()) {
		t.Errorf("%s: connection pages %q, want %q in two", r.Client, connection, e.first6())
	}
}

// TestApolloClient runs Apollo Client 3 and 4 (InMemoryCache with its
// defaults) against the gateway: the README's tour, a mutation, limit/offset
// and Relay connection pages, node(nodeId:), every cache read equal to the
// wire, and Deco Addict's two relations with id 4 kept apart.
func TestApolloClient(t *testing.T) {
	t.Parallel()
	node := clientTools(t)
	for _, major := range []string{"3", "4"} {
		for _, schema := range schemas {
			t.Run(fmt.Sprintf("apollo%s/%s", major, schema), func(t *testing.T) {
				t.Parallel()
				base := startGateway(t, schema)
				e := fetchExpected(t, base)
				r := runClient(t, node, base, scenarioChecks, "apollo.mjs", major)
				checkScenario(t, r, e)
			})
		}
	}
}

// TestURQLGraphcache runs urql with Graphcache (default keys: __typename and
// id) through the same scenario.
func TestURQLGraphcache(t *testing.T) {
	t.Parallel()
	node := clientTools(t)
	for _, schema := range schemas {
		t.Run(schema.String(), func(t *testing.T) {
			t.Parallel()
			base := startGateway(t, schema)
			e := fetchExpected(t, base)
			r := runClient(t, node, base, scenarioChecks, "urql.mjs")
			checkScenario(t, r, e)
			// urql sends its queries with GET (with the README's
			// Apollo-Require-Preflight header) and its mutations with POST.
			var methods []string
			r.value(t, "requestMethods", &methods)
			if !slices.Equal(methods, []string{"GET", "POST"}) {
				t.Errorf("urql sent %q, want GET and POST", methods)
			}
			// Reported, not checked: what urql's defaults meet.
			var withoutPreflight string
			r.value(t, "withoutPreflight", &withoutPreflight)
			t.Logf("urql's GET without Apollo-Require-Preflight: %s", withoutPreflight)
			t.Logf("Graphcache's default updater on createResPartner: %s", r.Values["defaultUpdater"])
		})
	}
}

// relayChecks are the checks relay.mjs must make.
var relayChecks = []string{
	"tour OdooCompaniesQuery: store = wire", "tour OdooSaleOrderQuery: store = wire",
	"twin ids: fragment OdooPartner_partner = wire", "twin ids: two records",
	"twin ids: property_payment_term_id record = wire", "twin ids: property_stock_supplier record = wire",
	"refetch: through node(nodeId:)", "refetch: node fragment = wire",
	"refetch: the record is the one resPartner(id:) read", "refetch: new value in the store",
	"connection: first page = wire", "connection: both pages merged in the store = wire",
	"connection: limit/offset page = wire", "connection: 3 + 3 edges = limit 6", "connection: hasNextPage",
	"mutation: record = wire", "bad login: UNAUTHENTICATED",
}

// compileRelay runs relay-compiler on relay/Odoo.js against schema.graphqls
// and returns the directory of the artifacts (CommonJS).
func compileRelay(t *testing.T, node string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	compiler, err := filepath.Abs(filepath.Join(clientsDir, "node_modules", "relay-compiler", "cli.js"))
	if err != nil {
		t.Fatal(err)
	}
	// relay-compiler is a native binary, one per platform, in the npm
	// package: say so when this platform's does not run.
	if out, err := exec.CommandContext(ctx, node, compiler, "--version").CombinedOutput(); err != nil {
		skipOrFail(t, "relay-compiler does not run on %s/%s: %v\n%s", runtime.GOOS, runtime.GOARCH, err, out)
	}
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(clientsDir, "relay", "Odoo.js"))
	if err != nil {
		t.Fatal(err)
	}
	schema, err := os.ReadFile("../schema.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	config, _ := json.MarshalIndent(map[string]any{
		"src": "src",
		// relay-compiler 21 reads a schema file only when its name ends in
		// .graphql: given schema.graphqls it sees an empty schema ("'Query'
		// root type must be provided"). Same bytes, another name.
		"schema":            "schema.graphql",
		"language":          "javascript",
		"artifactDirectory": "__generated__",
		"eagerEsModules":    false,
		"schemaConfig":      map[string]string{"nodeInterfaceIdField": "nodeId", "nodeInterfaceIdVariableName": "nodeId"},
	}, "", "  ")
	for name, content := range map[string][]byte{
		"src/Odoo.js":                src,
		"schema.graphql":             schema,
		"relay.config.json":          config,
		"__generated__/package.json": []byte(`{"type": "commonjs"}`),
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := runNode(t, ctx, node, dir, nil, compiler, "relay.config.json")
	t.Logf("relay-compiler: %s", strings.TrimSpace(out))
	generated := filepath.Join(dir, "__generated__")
	for _, name := range []string{"OdooPartnerRefetchQuery", "OdooPartnersPaginationQuery", "OdooCompaniesQuery"} {
		if _, err := os.Stat(filepath.Join(generated, name+".graphql.js")); err != nil {
			t.Errorf("relay-compiler wrote no %s: %v", name, err)
		}
	}
	return generated
}

// TestRelay compiles operations with relay-compiler against schema.graphqls
// (nodeInterfaceIdField nodeId) and runs them with relay-runtime: the tour,
// a refetchable fragment refetched through node(nodeId:), a @connection
// fragment paginated with first/after, a mutation; every store value equal to
// the wire.
func TestRelay(t *testing.T) {
	t.Parallel()
	node := clientTools(t)
	artifacts := compileRelay(t, node)
	for _, schema := range schemas {
		t.Run(schema.String(), func(t *testing.T) {
			t.Parallel()
			base := startGateway(t, schema)
			e := fetchExpected(t, base)
			r := runClient(t, node, base, relayChecks, "relay.mjs", artifacts)
			var records []struct {
				DataID      string `json:"dataID"`
				Typename    string `json:"__typename"`
				ID          string `json:"id"`
				DisplayName string `json:"display_name"`
			}
			r.value(t, "twinRecords", &records)
			if len(records) != 2 ||
				records[0].DataID != e.Deco.Term.NodeID || records[0].Typename != e.Deco.Term.Typename || records[0].DisplayName != e.Deco.Term.DisplayName ||
				records[1].DataID != e.Deco.Location.NodeID || records[1].Typename != e.Deco.Location.Typename || records[1].DisplayName != e.Deco.Location.DisplayName {
				t.Errorf("relay: Deco Addict's relations in the store %+v, want %+v", records, e.Deco)
			}
			var edges []string
			r.value(t, "connectionEdges", &edges)
			if !slices.Equal(edges, e.first6()) {
				t.Errorf("relay: connection edges after two pages %q, want %q", edges, e.first6())
			}
			var created struct {
				CreateUID struct {
					Name string `json:"name"`
				} `json:"create_uid"`
			}
			r.value(t, "created", &created)
			if created.CreateUID.Name != clientUserName {
				t.Errorf("relay: created %+v, want it created by %s", created, clientUserName)
			}
			// Reported, not checked: relay-runtime's default getDataID.
			t.Logf("relay-runtime with its default getDataID (field id) reads Deco Addict's two relations as %s", r.Values["defaultGetDataID"])
		})
	}
}
