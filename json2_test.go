package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/odoogql/odoogql/internal/engine"
	"github.com/odoogql/odoogql/internal/server"
	"github.com/odoogql/odoogql/odoo"
	"github.com/odoogql/odoogql/odoo/odootest"
)

// The API keys the JSON-2 tests register on their Odoo 19 test servers.
const (
	adminKey = "2d5c1f0e9b8a7d6c5b4a39281706f5e4d3c2b1a0"
	demoKey  = "8f7e6d5c4b3a29180f1e2d3c4b5a69788796a5b4"
)

// newOdoo19 starts a 19.0 test server with API keys for admin and demo.
func newOdoo19(t testing.TB, opts ...odootest.Option) *odootest.Server {
	t.Helper()
	o := odootest.NewServer(append([]odootest.Option{odootest.WithVersion("19.0")}, opts...)...)
	t.Cleanup(o.Close)
	if !o.SetAPIKey(odootest.AdminUID, adminKey) || !o.SetAPIKey(odootest.DemoUID, demoKey) {
		t.Fatal("SetAPIKey")
	}
	return o
}

// json2Header rewrites a recorded request's credentials for a JSON-2
// gateway, where only API keys work: a user's good password becomes
// "Bearer <the user's API key>"; anything else (wrong passwords, unknown
// users, malformed headers) is sent as recorded and must fail the same way.
func json2Header(h map[string][]string) map[string][]string {
	out := maps.Clone(h)
	for _, a := range h["Authorization"] {
		rest, ok := strings.CutPrefix(a, "Basic ")
		if !ok {
			continue
		}
		b, err := base64.StdEncoding.DecodeString(rest)
		if err != nil {
			continue
		}
		switch string(b) {
		case "admin:admin":
			out["Authorization"] = []string{"Bearer " + adminKey}
		case "demo:demo":
			out["Authorization"] = []string{"Bearer " + demoKey}
		}
	}
	return out
}

// sameCalls normalises a call count map for comparing transports: the one
// call that differs by design is the login, common.authenticate over
// XML-RPC and res.users context_get (the key's uid) over JSON-2.
func sameCalls(counts map[string]int) string {
	out := maps.Clone(counts)
	if n, ok := out["res.users.context_get"]; ok {
		delete(out, "res.users.context_get")
		out["authenticate"] += n
	}
	return fmt.Sprint(out)
}

// TestDifferentialTransports replays every recorded request of the
// end-to-end suites, in order, to two live gateways in front of two Odoo
// 19.0 test servers in the same state, one talking XML-RPC and one JSON-2,
// for both fetch strategies: every response must be byte-identical, and
// every request must cost the same Odoo calls (the login aside, see
// sameCalls).
func TestDifferentialTransports(t *testing.T) {
	reqs := loadRecorded(t)
	for _, strategy := range []engine.Strategy{engine.Nested, engine.Batched} {
		t.Run(map[engine.Strategy]string{engine.Nested: "nested", engine.Batched: "batched"}[strategy], func(t *testing.T) {
			clock := func() time.Time { return time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) }
			gw := func(transport odoo.Transport, password string) *gateway {
				o := newOdoo19(t, odootest.WithClock(clock))
				return newGatewayOn(t, o, func(c *server.Config) {
					c.Strategy, c.Schema, c.Transport, c.OdooPassword = strategy, server.SchemaLive, string(transport), password
				})
			}
			xml, j2 := gw(odoo.TransportXMLRPC, "admin"), gw(odoo.TransportJSON2, adminKey)
			diffs, calls := 0, 0
			for i, r := range reqs {
				xml.odoo.ResetCounters()
				j2.odoo.ResetCounters()
				xs, xb := replay(t, xml, r)
				xc := sameCalls(xml.odoo.CallCounts())
				calls += xml.odoo.TotalCalls()
				r2 := r
				r2.Header = json2Header(r.Header)
				js, jb := replay(t, j2, r2)
				jc := sameCalls(j2.odoo.CallCounts())
				if xs != js || xb != jb || xc != jc {
					diffs++
					if diffs <= 10 {
						t.Errorf("request %d %s %s\n%.600s\nxmlrpc %d %s\n  %.1500s\njson2  %d %s\n  %.1500s", i, r.Method, r.Path, r.Body, xs, xc, xb, js, jc, jb)
					}
				}
			}
			if diffs > 0 {
				t.Errorf("%d of %d requests answered differently", diffs, len(reqs))
			}
			if calls < len(reqs)/2 {
				t.Errorf("only %d Odoo calls for %d requests: the replay did not reach Odoo", calls, len(reqs))
			}
			t.Logf("%d requests replayed over both transports, %d Odoo calls each", len(reqs), calls)
		})
	}
}

// demoKeyGateway is a live, nested gateway over JSON-2 in front of o (its
// service account logs in with admin's key), whose requests carry demo's
// API key.
func demoKeyGateway(t *testing.T, o *odootest.Server) *gateway {
	g := newGatewayOn(t, o, func(c *server.Config) {
		c.Schema, c.Strategy, c.Transport, c.OdooPassword = server.SchemaLive, engine.Nested, string(odoo.TransportJSON2), adminKey
	})
	g.auth = "Bearer " + demoKey
	return g
}

// TestJSON2Calls: over JSON-2 the gateway makes exactly the calls it makes
// over XML-RPC, on the JSON-2 endpoint, and the metrics say which
// transport carried them.
func TestJSON2Calls(t *testing.T) {
	o := newOdoo19(t)
	g := demoKeyGateway(t, o)
	var out struct {
		ResPartners struct {
			Nodes []struct {
				Name      string
				CountryID *struct{ Name string } `json:"country_id"`
			}
		} `json:"resPartners"`
	}
	o.ResetCounters()
	g.mustDo(`{ resPartners(limit: 3, orderBy: [{id: ASC}]) { nodes { name country_id { name } } } }`, nil, &out)
	if len(out.ResPartners.Nodes) != 3 || out.ResPartners.Nodes[0].Name == "" {
		t.Fatalf("got %+v", out.ResPartners)
	}
	// The first request of a key: its uid (context_get), then one nested
	// web_search_read (access rights are asked for by odooModels only).
	counts := o.CallCounts()
	if counts["res.users.context_get"] != 1 || counts["res.partner.web_search_read"] != 1 || o.TotalCalls() != 2 {
		t.Errorf("calls %v", counts)
	}
	log := o.CallLog()
	last := log[len(log)-1]
	if last.Model != "res.partner" || last.Method != "web_search_read" || last.UID != odootest.DemoUID {
		t.Errorf("last call %+v, want web_search_read as demo", last)
	}
	// The same query again: the key's uid is cached, one call.
	o.ResetCounters()
	g.mustDo(`{ resPartners(limit: 3, orderBy: [{id: ASC}]) { nodes { name country_id { name } } } }`, nil, &out)
	if n := o.TotalCalls(); n != 1 {
		t.Errorf("second query: %d calls %v, want 1", n, o.CallCounts())
	}
	m := scrape(t, g)
	for _, want := range []string{
		`odoogql_odoo_rpc_total{method="web_search_read",model="res.partner",transport="json2"} 2`,
		`odoogql_odoo_rpc_total{method="context_get",model="res.users",transport="json2"} 1`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(m, `transport="xmlrpc"`) {
		t.Error("a call went over XML-RPC")
	}
}

// TestJSON2Credentials: what each Authorization form does over JSON-2,
// where the API key alone is the identity, and over XML-RPC.
func TestJSON2Credentials(t *testing.T) {
	o := newOdoo19(t)
	j2 := newGatewayOn(t, o, func(c *server.Config) {
		c.Schema, c.Transport, c.OdooPassword, c.AllowAnonymous = server.SchemaLive, string(odoo.TransportJSON2), adminKey, false
	})
	xml := newGatewayOn(t, o, func(c *server.Config) {
		c.Schema, c.Transport, c.AllowAnonymous = server.SchemaLive, string(odoo.TransportXMLRPC), false
	})
	basic := func(pair string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(pair)) }
	const q = `{ resUsers(limit: 1) { nodes { id } } }`
	for _, tc := range []struct {
		name, auth string
		gw         *gateway
		wantErr    string
	}{
		{"json2 bearer key", "Bearer " + demoKey, j2, ""},
		{"json2 bearer login:key", "Bearer demo:" + demoKey, j2, ""},
		{"json2 basic login:key", basic("demo:" + demoKey), j2, ""},
		{"json2 password is refused", basic("demo:demo"), j2, "authentication failed"},
		{"json2 wrong key", "Bearer 0000", j2, "authentication failed"},
		{"json2 no credentials", "", j2, "authentication required"},
		{"xmlrpc basic password", basic("demo:demo"), xml, ""},
		{"xmlrpc bearer login:key", "Bearer demo:" + demoKey, xml, ""},
		{"xmlrpc bearer key alone", "Bearer " + demoKey, xml, "needs the JSON-2 transport"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := *tc.gw
			g.auth = tc.auth
			errs := g.do(q, nil, nil)
			switch {
			case tc.wantErr == "" && len(errs) > 0:
				t.Fatalf("errors %v", errs)
			case tc.wantErr != "" && (len(errs) == 0 || !strings.Contains(errs[0].Message, tc.wantErr)):
				t.Fatalf("errors %v, want %q", errs, tc.wantErr)
			}
		})
	}
}

// TestTransportAuto: ODOOGQL_TRANSPORT=auto settles on the first warm-up,
// with one log line saying which transport and why.
func TestTransportAuto(t *testing.T) {
	for _, tc := range []struct {
		name, version, password string
		want                    odoo.Transport
		why                     string
	}{
		{"19 with an API key", "19.0", adminKey, odoo.TransportJSON2, "ODOO_PASSWORD is an API key"},
		{"19 with a password", "19.0", "admin", odoo.TransportXMLRPC, "ODOO_PASSWORD is not an API key"},
		{"18", "18.0", "admin", odoo.TransportXMLRPC, "Odoo 18.0 has no JSON-2 API"},
		{"22 without XML-RPC", "22.0", adminKey, odoo.TransportJSON2, "Odoo serves no XML-RPC (HTTP 404"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := []odootest.Option{odootest.WithVersion(tc.version)}
			if tc.version == "22.0" {
				opts = append(opts, odootest.WithoutXMLRPC())
			}
			o := newOdoo19(t, opts...)
			g := newGatewayOn(t, o, func(c *server.Config) {
				c.Schema, c.Transport, c.OdooPassword, c.LogFormat = server.SchemaLive, server.TransportAuto, tc.password, "json"
			})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := g.gw.Warm(ctx); err != nil {
				t.Fatal(err)
			}
			if got := g.gw.Client().Transport(); got != tc.want {
				t.Errorf("transport %s, want %s", got, tc.want)
			}
			// One context_get at most: on 19 the probe (whose uid, when the
			// key is good, is the service account's login), on 22 the login.
			wantProbes := 1
			if tc.version == "18.0" {
				wantProbes = 0
			}
			if n := o.CallCounts()["res.users.context_get"]; n != wantProbes {
				t.Errorf("%d context_get calls in the first warm-up, want %d", n, wantProbes)
			}
			logs := g.logs.String()
			if n := strings.Count(logs, `"msg":"odoo transport"`); n != 1 {
				t.Errorf("%d transport log lines:\n%s", n, logs)
			}
			if !strings.Contains(logs, `"transport":"`+string(tc.want)+`"`) || !strings.Contains(logs, tc.why) {
				t.Errorf("log does not say %s because %q:\n%s", tc.want, tc.why, logs)
			}
			// Settled: a second warm-up neither probes nor logs again.
			o.ResetCounters()
			if err := g.gw.Warm(ctx); err != nil {
				t.Fatal(err)
			}
			if n := o.CallCounts()["res.users.context_get"]; n != 0 {
				t.Errorf("second warm-up probed JSON-2 again (%d calls)", n)
			}
			if n := strings.Count(g.logs.String(), `"msg":"odoo transport"`); n != 1 {
				t.Errorf("%d transport log lines after a second warm-up", n)
			}
		})
	}
	t.Run("json2 on 18 is refused", func(t *testing.T) {
		o := newOdoo19(t, odootest.WithVersion("18.0"))
		g := newGatewayOn(t, o, func(c *server.Config) {
			c.Schema, c.Transport, c.OdooPassword = server.SchemaLive, string(odoo.TransportJSON2), adminKey
		})
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := g.gw.Warm(ctx)
		if err == nil || !strings.Contains(err.Error(), "has no JSON-2 API") {
			t.Fatalf("Warm = %v, want a clear refusal", err)
		}
	})
}

// TestOdooModelsAccessOn19: on Odoo 19 a user's rights come from the access
// rules summed over res.users all_group_ids (19 has no groups_id): one read
// of the user, no has_access per model, and the rights 18 gives.
func TestOdooModelsAccessOn19(t *testing.T) {
	o := newOdoo19(t)
	g := demoKeyGateway(t, o)
	var got struct {
		OdooModels []struct {
			Model  string
			Access struct{ Read, Create, Write, Unlink bool }
		} `json:"odooModels"`
	}
	o.ResetCounters()
	g.mustDo(`{ odooModels { model access { read create write unlink } } }`, nil, &got)
	access := map[string]struct{ Read, Create, Write, Unlink bool }{}
	for _, m := range got.OdooModels {
		access[m.Model] = m.Access
	}
	if a := access["res.partner"]; !a.Read || !a.Write {
		t.Errorf("demo on res.partner: %+v", a)
	}
	if a := access["account.tax"]; a.Read || a.Write {
		t.Errorf("demo must not read account.tax: %+v", a)
	}
	if a := access["res.users"]; !a.Read || a.Write || a.Create || a.Unlink {
		t.Errorf("demo on res.users: %+v, want read only", a)
	}
	counts := o.CallCounts()
	checks := 0
	for k, n := range counts {
		if strings.HasSuffix(k, ".has_access") || strings.HasSuffix(k, ".check_access_rights") {
			checks += n
		}
	}
	if counts["res.users.read"] != 1 || checks != 0 {
		t.Errorf("calls %v: want one res.users read (all_group_ids) and no access check per model", counts)
	}
	if log := o.CallLog(); !slices.ContainsFunc(log, func(c odootest.Call) bool {
		return c.Model == "res.users" && c.Method == "read" && fmt.Sprint(c.Kwargs["fields"]) == "[all_group_ids]"
	}) {
		t.Errorf("no read of all_group_ids in %+v", log)
	}
}
