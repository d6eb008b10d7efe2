package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/odoogql/odoogql/internal/server"
)

// corsPage is a page that calls the gateway with fetch, as a frontend on
// another origin does, and leaves the outcome in window.result.
const corsPage = `<!doctype html><title>cors</title><script>
window.result = "pending";
fetch(%q, {method: "POST", headers: {"Content-Type": "application/json", "Authorization": "Bearer admin:admin"},
  body: JSON.stringify({query: "{ resPartners(limit: 1, orderBy: [{id: ASC}]) { nodes { name } } }"})})
  .then(r => r.json()).then(j => { window.result = "ok " + JSON.stringify(j); })
  .catch(e => { window.result = "blocked " + e; });
</script>`

// TestCORSInChromium: a page served from an allowed origin (a second
// loopback server) calls the gateway with fetch — a preflighted POST with
// JSON and an Authorization header — and gets the data; the same page from
// another origin is blocked by the browser.
func TestCORSInChromium(t *testing.T) {
	t.Parallel()
	chromium := lookTool("/usr/bin/chromium", "chromium", "chromium-browser")
	if chromium == "" {
		skipOrFail(t, "Chromium not found; install it with: %s", chromiumInstall)
	}
	// Two origins: two loopback servers serving the same page.
	page := func() (*httptest.Server, string) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		hs := &httptest.Server{Listener: ln, Config: &http.Server{}}
		return hs, "http://" + ln.Addr().String()
	}
	allowedSrv, allowed := page()
	otherSrv, _ := page()
	base := startGatewayWith(t, server.SchemaLive, "-cors-origins", allowed)
	for _, hs := range []*httptest.Server{allowedSrv, otherSrv} {
		hs.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, corsPage, base+"/graphql")
		})
		hs.Start()
		t.Cleanup(hs.Close)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium), chromedp.UserDataDir(t.TempDir()), chromedp.Headless,
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-dev-shm-usage", true),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil { // start the browser on bctx, not on a step's context
		t.Fatalf("starting Chromium (%s): %v", chromium, err)
	}

	outcome := func(url string) string {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, chromedp.Navigate(url),
			chromedp.Poll[chromedp.Void](`window.result !== "pending"`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		result, err := chromedp.Run(sctx, chromedp.Evaluate[string](`window.result`))
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		return result
	}
	if got := outcome(allowedSrv.URL); !strings.HasPrefix(got, "ok ") || !strings.Contains(got, `"nodes":[{"name":`) {
		t.Errorf("from the allowed origin %s: %s", allowedSrv.URL, got)
	}
	if got := outcome(otherSrv.URL); !strings.HasPrefix(got, "blocked ") {
		t.Errorf("from another origin %s: %s, want the browser to block it", otherSrv.URL, got)
	}
}
