package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// auditResult is one audit of graphql-http's server audit, as audit.mjs
// reports it.
type auditResult struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Status     string `json:"status"` // ok, notice (MAY), warn (SHOULD), error (MUST)
	Reason     string `json:"reason"`
	HTTPStatus int    `json:"httpStatus"`
	Body       string `json:"body"`
}

// TestGraphQLHTTPAudit runs the GraphQL-over-HTTP audit of graphql-http
// (auditServer, e2e/graphqljs/audit.mjs) against the gateway in both schema
// modes, twice: as a browser or curl sends requests, then with an
// Apollo-Require-Preflight header on each. No MUST may fail and no SHOULD
// may warn in either. Without the header, the MAY audits of GET requests
// fail (notices, logged): CSRF prevention refuses a GET that does not
// prove it comes from a script; with it, every audit passes.
func TestGraphQLHTTPAudit(t *testing.T) {
	t.Parallel()
	node := nodeTools(t)
	for _, schema := range schemas {
		t.Run(schema.String(), func(t *testing.T) {
			t.Parallel()
			testGraphQLHTTPAudit(t, node, startGateway(t, schema))
		})
	}
}

func testGraphQLHTTPAudit(t *testing.T, node, base string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out := runNode(t, ctx, node, npmDir, []string{"GRAPHQL_URL=" + base + "/graphql"}, "audit.mjs")
	_, line, ok := strings.Cut(out, "RESULT ")
	if !ok {
		t.Fatalf("no RESULT line in:\n%s", out)
	}
	var r struct {
		Version   string        `json:"version"`
		Results   []auditResult `json:"results"`
		Preflight []auditResult `json:"preflight"`
	}
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		t.Fatalf("RESULT: %v\n%s", err, line)
	}
	for _, pass := range []struct {
		name    string
		results []auditResult
		notices bool // MAY audits may fail
	}{{"plain", r.Results, true}, {"with Apollo-Require-Preflight", r.Preflight, false}} {
		counts := map[string]int{}
		for _, a := range pass.results {
			counts[a.Status]++
			switch {
			case a.Status == "ok":
			case a.Status == "notice" && pass.notices:
				t.Logf("%s: MAY not met (notice) %s %s: %s", pass.name, a.ID, a.Name, a.Reason)
			default: // warn (SHOULD), error (MUST), or a notice with the header
				t.Errorf("%s: %s %s %s: %s\n  HTTP %d %s", pass.name, a.Status, a.ID, a.Name, a.Reason, a.HTTPStatus, a.Body)
			}
		}
		t.Logf("graphql-http %s, %s: %d audits: %d ok, %d MAY notices, %d SHOULD warnings, %d MUST failures",
			r.Version, pass.name, len(pass.results), counts["ok"], counts["notice"], counts["warn"], counts["error"])
		if len(pass.results) < 40 {
			t.Errorf("%s: only %d audits ran", pass.name, len(pass.results))
		}
	}
}
