package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/odoogql/odoogql/internal/engine"
)

// TestReadmeCurl runs the README's curl commands (the shell block of the
// tour, with jq and with a GET) against a gateway: each must print a
// response with data and no errors. It needs bash, curl and jq (Debian
// packages; .ci/run installs them).
func TestReadmeCurl(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("CI=true: %s not found (apt-get install %s)", tool, tool)
			}
			t.Skipf("%s not found: apt-get install %s", tool, tool)
		}
	}
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var script string
	for _, b := range strings.Split(string(raw), "```sh\n")[1:] {
		b, _, _ = strings.Cut(b, "```")
		if strings.Contains(b, "jq -n") {
			script = b
			break
		}
	}
	if script == "" {
		t.Fatal("README.md has no shell block with the jq form of curl")
	}
	g := newGateway(t, single(engine.Auto))
	script = strings.ReplaceAll(script, "localhost:8080", strings.TrimPrefix(g.url, "http://"))
	out, err := exec.Command("bash", "-euc", script).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	n := 0
	for dec.More() {
		var resp struct {
			Data struct {
				ResPartners struct {
					TotalCount int `json:"totalCount"`
					Nodes      []struct {
						Name string `json:"name"`
					} `json:"nodes"`
				} `json:"resPartners"`
			} `json:"data"`
			Errors []any `json:"errors"`
		}
		if err := dec.Decode(&resp); err != nil {
			t.Fatalf("response %d is not JSON: %v\n%s", n+1, err, out)
		}
		if len(resp.Errors) > 0 || resp.Data.ResPartners.TotalCount == 0 || len(resp.Data.ResPartners.Nodes) != 5 {
			t.Errorf("response %d: %+v", n+1, resp)
		}
		n++
	}
	if n != 2 {
		t.Errorf("%d responses, want 2 (jq and GET):\n%s", n, out)
	}
}
