package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/odoogql/odoogql/internal/server"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/odoogql/odoogql/internal/graphiql"
)

// chromiumInstall is what to install where Chromium is missing.
const chromiumInstall = "apt-get install -y chromium fonts-liberation (Debian packages)"

// JavaScript that reads GraphiQL's editors: CodeMirror 5 keeps its instance
// on its wrapper element, and renders only the visible lines, so the DOM text
// is not the whole value.
const (
	jsQueryValue  = `document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()`
	jsResultValue = `(function(){ var e = document.querySelector('.result-window .CodeMirror'); return e ? e.CodeMirror.getValue() : ''; })()`
	jsDocsText    = `(function(){ var e = document.querySelector('.graphiql-doc-explorer'); return e ? e.innerText : ''; })()`
)

// docLink selects a link of GraphiQL's documentation explorer by its text.
func docLink(text string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//div[contains(@class,"graphiql-doc-explorer")]//a[normalize-space()=%q]`, text))
}

// TestGraphiQLInChromium loads GraphiQL from the gateway in headless
// Chromium, browses the schema in the documentation explorer, runs the
// default query with the run button and another with Ctrl-Enter, and checks
// that the page shows what the endpoint answers — with every request of the
// page going to the gateway itself, and nothing in the console.
func TestGraphiQLInChromium(t *testing.T) {
	t.Parallel()
	chromium := lookTool("/usr/bin/chromium", "chromium", "chromium-browser")
	if chromium == "" {
		skipOrFail(t, "Chromium not found; install it with: %s", chromiumInstall)
	}
	base := startGateway(t, server.SchemaLive)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// What the endpoint itself answers to the page's default query.
	var want any
	if err := json.Unmarshal(postQuery(t, ctx, base+"/graphql", graphiql.DemoQuery), &want); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fmt.Sprint(want), "Azure Interior") {
		t.Fatalf("the demo's first companies do not include Azure Interior: %v", want)
	}

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.WindowSize(1600, 1000),
	)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	defer cancelBrowser()

	// Record every request the page makes, and every console message.
	var (
		mu       sync.Mutex
		requests []string
		console  []string
	)
	err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.Method+" "+e.Request.URL)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("starting Chromium (%s): %v", chromium, err)
	}
	consoleCtx, stopConsole := context.WithCancel(bctx)
	consoleDone := make(chan struct{})
	go func() {
		defer close(consoleDone)
		for m, err := range chromedp.Console(consoleCtx) {
			if err != nil {
				return
			}
			mu.Lock()
			console = append(console, fmt.Sprintf("%s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line))
			mu.Unlock()
		}
	}()

	// Each step gets its own deadline, so that a page that never gets
	// there fails at the step that waits for it, with a screenshot of what
	// the page showed (artifacts/graphiql-failure.png).
	const stepTimeout = 30 * time.Second
	failf := func(format string, args ...any) {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, 10*time.Second)
		defer cancel()
		if shot, err := chromedp.Run(sctx, chromedp.CaptureScreenshot()); err == nil {
			_ = os.MkdirAll("artifacts", 0o755)
			_ = os.WriteFile(filepath.Join("artifacts", "graphiql-failure.png"), shot, 0o644)
		}
		t.Fatalf(format, args...)
	}
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, stepTimeout)
		defer cancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			failf("%s: %v", what, err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, stepTimeout)
		defer cancel()
		s, err := chromedp.Run(sctx, chromedp.Evaluate[string](expr))
		if err != nil {
			failf("evaluate %s: %v", expr, err)
		}
		return s
	}
	pollFor := func(what, expr string) {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, stepTimeout)
		defer cancel()
		if _, err := chromedp.Run(sctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(stepTimeout))); err != nil {
			failf("waiting for %s: %v", what, err)
		}
	}
	start := time.Now()

	// The page, with the default query in the editor.
	{
		sctx, cancel := context.WithTimeout(bctx, stepTimeout)
		resp, err := chromedp.Run(sctx, chromedp.NavigateResponse(base+"/"))
		cancel()
		if err != nil {
			failf("load %s/: %v", base, err)
		}
		if resp.Status != 200 || !strings.HasPrefix(resp.MimeType, "text/html") {
			failf("GET %s/: %d %s, want 200 text/html", base, resp.Status, resp.MimeType)
		}
	}
	run("GraphiQL", chromedp.WaitVisible(chromedp.CSS(".graphiql-container")))
	pollFor("the default query in the editor", `document.querySelector('.graphiql-query-editor .CodeMirror') !== null`)
	if got := eval(jsQueryValue); got != graphiql.DemoQuery {
		t.Errorf("query editor holds:\n%s\nwant the default query:\n%s", got, graphiql.DemoQuery)
	}

	// The documentation explorer is open on a first visit; once GraphiQL has
	// read the schema (introspection), it leads from Query to resPartners, to
	// ResPartnerConnection, to ResPartner and its fields.
	run("docs explorer", chromedp.WaitVisible(chromedp.CSS(".graphiql-doc-explorer")))
	pollFor("the schema in the docs", jsDocsText+`.includes('Root Types') || `+jsDocsText+`.includes('Error')`)
	if docs := eval(jsDocsText); !strings.Contains(docs, "Root Types") {
		failf("GraphiQL could not read the schema (introspection); its docs say:\n%s", docs)
	}
	run("root type Query", chromedp.Click(docLink("Query"), chromedp.NodeVisible))
	pollFor("Query's fields in the docs", jsDocsText+`.includes('resPartners')`)
	docs := eval(jsDocsText)
	for _, f := range []string{"resPartner", "resPartners", "saleOrders", "resCountries"} {
		if !strings.Contains(docs, f) {
			t.Errorf("docs of Query do not list %s:\n%s", f, docs)
		}
	}
	run("field resPartners", chromedp.Click(docLink("resPartners"), chromedp.NodeVisible))
	pollFor("resPartners' docs", jsDocsText+`.includes('ResPartnerConnection')`)
	if docs := eval(jsDocsText); !strings.Contains(docs, "where") || !strings.Contains(docs, "orderBy") {
		t.Errorf("docs of resPartners do not list its arguments:\n%s", docs)
	}
	run("type ResPartnerConnection", chromedp.Click(docLink("ResPartnerConnection"), chromedp.NodeVisible))
	run("type ResPartner", chromedp.Click(docLink("ResPartner"), chromedp.NodeVisible))
	pollFor("ResPartner's fields in the docs", jsDocsText+`.includes('country_id') && `+jsDocsText+`.includes('child_ids')`)

	// Run the default query with the run button: the result pane shows what
	// the endpoint answers.
	run("run button", chromedp.Click(chromedp.CSS(".graphiql-execute-button"), chromedp.NodeVisible))
	pollFor("the result", jsResultValue+`.includes('"data"')`)
	var got any
	if err := json.Unmarshal([]byte(eval(jsResultValue)), &got); err != nil {
		t.Fatalf("result pane is not JSON: %v\n%s", err, eval(jsResultValue))
	}
	if !reflect.DeepEqual(got, map[string]any{"data": want}) {
		t.Errorf("result pane shows\n%v\nwant {data: %v}", got, want)
	}
	if text := eval(`document.querySelector('.result-window').innerText`); !strings.Contains(text, "Azure Interior") {
		t.Errorf("result pane does not show Azure Interior:\n%s", text)
	}
	sctx, cancelShot := context.WithTimeout(bctx, stepTimeout)
	shot, err := chromedp.Run(sctx, chromedp.CaptureScreenshot())
	cancelShot()
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll("artifacts", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("artifacts", "graphiql.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}

	// A second query, run with the keyboard shortcut.
	run("edit the query", chromedp.Evaluate[chromedp.Void](
		`document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('{ resCountries(where: {code: {eq: "BE"}}) { nodes { name } } }')`))
	run("focus the editor", chromedp.Click(chromedp.CSS(".graphiql-query-editor .CodeMirror-code"), chromedp.NodeVisible))
	run("Ctrl-Enter", chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	pollFor("the second result", jsResultValue+`.includes('Belgium')`)
	t.Logf("GraphiQL: loaded, browsed and ran two queries in %v", time.Since(start).Round(time.Millisecond))

	// Nothing but the gateway was asked for anything: GraphiQL is offline.
	stopConsole()
	<-consoleDone
	mu.Lock()
	defer mu.Unlock()
	posts := 0
	for _, r := range requests {
		method, u, _ := strings.Cut(r, " ")
		if !strings.HasPrefix(u, base+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page requested %s, outside the gateway", r)
		}
		if method == "POST" && u == base+"/graphql" {
			posts++
		}
	}
	if posts < 3 { // introspection and the two queries
		t.Errorf("%d POSTs to /graphql, want at least 3 (introspection, two queries): %q", posts, requests)
	}
	for _, m := range console {
		if !strings.HasPrefix(m, "log:") && !strings.HasPrefix(m, "info:") && !strings.HasPrefix(m, "debug:") {
			t.Errorf("console: %s", m)
		}
	}
}
