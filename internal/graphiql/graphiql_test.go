package graphiql

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
)

func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("GET /{$}", Handler(Config{Title: "odoogql", Endpoint: "/graphql", DefaultQuery: DemoQuery}))
	mux.Handle("GET "+AssetsPath, Assets())
	return mux
}

func get(t *testing.T, h http.Handler, target string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var srcRE = regexp.MustCompile(`(?:src|href)="([^"]+)"`)

func TestPage(t *testing.T) {
	mux := newMux()
	resp := get(t, mux, "/", nil)
	page := string(body(t, resp))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for k, want := range map[string]string{
		"Content-Type":           "text/html; charset=utf-8",
		"Cache-Control":          "no-cache",
		"X-Content-Type-Options": "nosniff",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, d := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'"} {
		if !strings.Contains(csp, d) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, d)
		}
	}
	if !strings.Contains(page, "<title>odoogql · GraphiQL</title>") {
		t.Errorf("page has no title:\n%s", page)
	}

	// The configuration init.js reads: the endpoint and the default query.
	m := regexp.MustCompile(`(?s)<script id="graphiql-config" type="application/json">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no #graphiql-config in the page:\n%s", page)
	}
	var cfg pageConfig
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil {
		t.Fatalf("#graphiql-config is not JSON: %v\n%s", err, m[1])
	}
	if cfg.Endpoint != "/graphql" || cfg.DefaultQuery != DemoQuery {
		t.Errorf("config = %+v", cfg)
	}

	// Every file the page loads is served by Assets, from this origin, with
	// its version; nothing is loaded from elsewhere.
	refs := srcRE.FindAllStringSubmatch(page, -1)
	if len(refs) != 6 {
		t.Errorf("page loads %d files, want 6 (icon, css, react, react-dom, graphiql, init): %q", len(refs), refs)
	}
	for _, ref := range refs {
		u := strings.ReplaceAll(ref[1], "&amp;", "&")
		if u == "data:," { // the empty favicon, which spares a request
			continue
		}
		if !strings.HasPrefix(u, AssetsPath) || !strings.Contains(u, "?v=") {
			t.Errorf("page refers to %q, not to a versioned asset under %s", u, AssetsPath)
			continue
		}
		resp := get(t, mux, u, nil)
		if resp.StatusCode != http.StatusOK || len(body(t, resp)) == 0 {
			t.Errorf("GET %s: %d", u, resp.StatusCode)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: Cache-Control %q", u, cc)
		}
	}
	if strings.Contains(page, "://") {
		t.Errorf("page names an absolute URL:\n%s", page)
	}

	// Revalidation.
	if resp := get(t, mux, "/", map[string]string{"If-None-Match": resp.Header.Get("ETag")}); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the page's ETag: %d, want 304", resp.StatusCode)
	}
}

func TestPageEscapesConfig(t *testing.T) {
	h := Handler(Config{Endpoint: "/api</script><script>alert(1)</script>", DefaultQuery: `{ a } # "quotes" & </script>`})
	page := string(body(t, get(t, h, "/", nil)))
	if strings.Count(page, "</script>") != 5 { // the config and the four scripts
		t.Errorf("config broke out of its script element:\n%s", page)
	}
	if !strings.Contains(page, "<title>GraphQL · GraphiQL</title>") {
		t.Errorf("default title missing:\n%s", page)
	}
}

func TestAssets(t *testing.T) {
	mux := newMux()
	js := assets["graphiql.min.js"]
	tests := []struct {
		name         string
		target       string
		header       map[string]string
		status       int
		contentType  string
		cacheControl string
		encoding     string
	}{
		{"versioned js", AssetsPath + "graphiql.min.js?v=" + js.version, nil, 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", ""},
		{"unversioned js", AssetsPath + "graphiql.min.js", nil, 200, "text/javascript; charset=utf-8", "no-cache", ""},
		{"stale version", AssetsPath + "graphiql.min.js?v=0123456789abcdef", nil, 200, "text/javascript; charset=utf-8", "no-cache", ""},
		{"css", AssetsPath + "graphiql.min.css", nil, 200, "text/css; charset=utf-8", "no-cache", ""},
		{"react", AssetsPath + "react.production.min.js", nil, 200, "text/javascript; charset=utf-8", "no-cache", ""},
		{"react-dom", AssetsPath + "react-dom.production.min.js", nil, 200, "text/javascript; charset=utf-8", "no-cache", ""},
		{"init", AssetsPath + "init.js", nil, 200, "text/javascript; charset=utf-8", "no-cache", ""},
		{"gzip", AssetsPath + "graphiql.min.js", map[string]string{"Accept-Encoding": "br, gzip"}, 200, "text/javascript; charset=utf-8", "no-cache", "gzip"},
		{"gzip refused", AssetsPath + "graphiql.min.js", map[string]string{"Accept-Encoding": "gzip;q=0"}, 200, "text/javascript; charset=utf-8", "no-cache", ""},
		{"not modified", AssetsPath + "graphiql.min.js", map[string]string{"If-None-Match": `"x", ` + js.etag}, 304, "text/javascript; charset=utf-8", "no-cache", ""},
		{"not modified, gzip", AssetsPath + "graphiql.min.js", map[string]string{"If-None-Match": js.etag[:len(js.etag)-1] + `-gzip"`, "Accept-Encoding": "gzip"}, 304, "text/javascript; charset=utf-8", "no-cache", ""},
		{"unknown", AssetsPath + "nope.js", nil, 404, "text/plain; charset=utf-8", "", ""},
		{"license not served", AssetsPath + "LICENSE.react", nil, 404, "text/plain; charset=utf-8", "", ""},
		{"template not served", AssetsPath + "page.html", nil, 404, "text/plain; charset=utf-8", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, mux, tt.target, tt.header)
			b := body(t, resp)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := resp.Header.Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type %q, want %q", got, tt.contentType)
			}
			if got := resp.Header.Get("Cache-Control"); got != tt.cacheControl {
				t.Errorf("Cache-Control %q, want %q", got, tt.cacheControl)
			}
			if got := resp.Header.Get("Content-Encoding"); got != tt.encoding {
				t.Errorf("Content-Encoding %q, want %q", got, tt.encoding)
			}
			if tt.status != 200 {
				return
			}
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("ETag") == "" {
				t.Errorf("headers %v", resp.Header)
			}
			if tt.encoding == "gzip" {
				if etag := resp.Header.Get("ETag"); etag == js.etag || !strings.HasSuffix(etag, `-gzip"`) {
					t.Errorf("gzip ETag %s, want its own", etag)
				}
				zr, err := gzip.NewReader(bytes.NewReader(b))
				if err != nil {
					t.Fatal(err)
				}
				if b, err = io.ReadAll(zr); err != nil {
					t.Fatal(err)
				}
			}
			name := strings.TrimPrefix(strings.Split(tt.target, "?")[0], AssetsPath)
			if !bytes.Equal(b, assets[name].body) {
				t.Errorf("body differs from the embedded %s (%d bytes, want %d)", name, len(b), len(assets[name].body))
			}
		})
	}
}

// TestAssetsMatchVersions checks the embedded npm files against
// assets/VERSIONS, which update-assets.sh writes: a file edited by hand, or
// an update that forgot VERSIONS, fails here.
func TestAssetsMatchVersions(t *testing.T) {
	f, err := os.Open("assets/VERSIONS")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 || len(fields[0]) != 64 {
			continue
		}
		a, ok := assets[fields[1]]
		if !ok {
			t.Errorf("VERSIONS names %s, which is not embedded", fields[1])
			continue
		}
		sum := sha256.Sum256(a.body)
		if got := hex.EncodeToString(sum[:]); got != fields[0] {
			t.Errorf("%s: SHA-256 %s, VERSIONS says %s; run update-assets.sh", fields[1], got, fields[0])
		}
		seen++
	}
	if seen != 4 {
		t.Errorf("VERSIONS lists %d files, want 4", seen)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                    false,
		"gzip":                true,
		"GZIP":                true,
		"deflate, gzip;q=1":   true,
		"gzip; q=0":           false,
		"gzip;q=0.000":        false,
		"br":                  false,
		"x-gzip":              false,
		"identity, gzip;q=.5": true,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}
