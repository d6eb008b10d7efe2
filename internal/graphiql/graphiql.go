package graphiql

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
)

// AssetsPath is the URL path under which Assets serves the embedded files,
// and where the page looks for them unless Config.AssetsURL says otherwise.
const AssetsPath = "/graphiql/"

// DemoQuery is a first query for the demo schema: companies, sorted by name,
// with their country and contacts.
const DemoQuery = `# odoogql: GraphQL for Odoo.
# Ctrl-Enter (or ▶) runs the query;
# Docs (book icon, left) lists every
# model, field, filter and mutation.
#
# Companies by name, with their
# country and contacts:
{
  resPartners(
    where: {is_company: {eq: true}}
    orderBy: [{name: ASC}]
    limit: 5
  ) {
    totalCount
    nodes {
      name
      country_id { code }
      child_ids { name }
    }
  }
}
`

// Config is what the page shows and where it sends queries.
type Config struct {
	// Title names the service in the page title; default "GraphQL".
	Title string
	// Endpoint is the GraphQL endpoint's URL, absolute or relative to the
	// page; default "/graphql".
	Endpoint string
	// DefaultQuery fills the editor on a first visit (GraphiQL remembers the
	// user's last query afterwards); empty leaves GraphiQL's own default.
	DefaultQuery string
	// AssetsURL is the URL prefix, ending in "/", under which the page loads
	// the files that Assets serves; default AssetsPath.
	AssetsURL string
}

// The files Assets serves: GraphiQL's bundle and React from npm (assets/,
// written by update-assets.sh), and the page's own start-up script.
//
//go:embed assets/graphiql.min.js assets/graphiql.min.css
//go:embed assets/react.production.min.js assets/react-dom.production.min.js
//go:embed init.js page.html
var files embed.FS

// asset is one served file, with its precomputed variants.
type asset struct {
	name        string
	contentType string
	body        []byte
	etag        string // strong ETag of body
	version     string // a prefix of body's SHA-256, the ?v= of its URL
	gzipOnce    sync.Once
	gzipBody    []byte // body gzipped, or nil when that does not pay
}

var assets = func() map[string]*asset {
	m := map[string]*asset{}
	add := func(name string, body []byte) {
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])
		ct := mime.TypeByExtension(path.Ext(name))
		switch path.Ext(name) { // not left to the system's MIME tables
		case ".js":
			ct = "text/javascript; charset=utf-8"
		case ".css":
			ct = "text/css; charset=utf-8"
		}
		m[name] = &asset{name: name, contentType: ct, body: body, etag: `"` + hash[:32] + `"`, version: hash[:16]}
	}
	entries, err := fs.ReadDir(files, "assets")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		body, err := fs.ReadFile(files, "assets/"+e.Name())
		if err != nil {
			panic(err)
		}
		add(e.Name(), body)
	}
	body, err := fs.ReadFile(files, "init.js")
	if err != nil {
		panic(err)
	}
	add("init.js", body)
	return m
}()

var page = template.Must(template.ParseFS(files, "page.html"))

// contentSecurityPolicy allows the page nothing but its own origin: its
// scripts and styles come from Assets, GraphiQL's fonts are data: URLs in its
// CSS, and queries go to the same origin. React and GraphiQL set inline
// styles, hence 'unsafe-inline' for styles only.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

// pageConfig is written into the page as JSON for init.js.
type pageConfig struct {
	Endpoint     string `json:"endpoint"`
	DefaultQuery string `json:"defaultQuery,omitempty"`
}

// Handler returns the handler of the GraphiQL page. The page is rendered
// once; it refers to the assets by URLs that carry their content hash, so
// that browsers may cache those for good and revalidate only the page.
func Handler(cfg Config) http.Handler {
	if cfg.Title == "" {
		cfg.Title = "GraphQL"
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = "/graphql"
	}
	if cfg.AssetsURL == "" {
		cfg.AssetsURL = AssetsPath
	}
	versions := map[string]string{}
	for name, a := range assets {
		versions[name] = a.version
	}
	var buf bytes.Buffer
	err := page.Execute(&buf, map[string]any{
		"Title":    cfg.Title,
		"Assets":   cfg.AssetsURL,
		"Versions": versions,
		"Config":   pageConfig{Endpoint: cfg.Endpoint, DefaultQuery: cfg.DefaultQuery},
	})
	if err != nil {
		panic("graphiql: page template: " + err.Error()) // the template is embedded: a bug
	}
	body := buf.Bytes()
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", etag)
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if etagMatch(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = w.Write(body)
	})
}

// Assets returns the handler of the embedded files, to be mounted at
// AssetsPath (GET). A request whose ?v= is the file's current version may be
// cached for a year; any other is to be revalidated (ETag).
func Assets() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := assets[path.Base(r.URL.Path)]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", a.contentType)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("ETag", a.etag)
		h.Set("Vary", "Accept-Encoding")
		if r.URL.Query().Get("v") == a.version {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		body := a.body
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			if gz := a.gzipped(); gz != nil {
				// Each encoding is its own representation, with its own ETag.
				h.Set("Content-Encoding", "gzip")
				h.Set("ETag", a.etag[:len(a.etag)-1]+`-gzip"`)
				body = gz
			}
		}
		if inm := r.Header.Get("If-None-Match"); etagMatch(inm, a.etag) || etagMatch(inm, h.Get("ETag")) {
			h.Del("Content-Encoding")
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
}

// gzipped returns the asset gzipped, compressing it on first use.
func (a *asset) gzipped() []byte {
	a.gzipOnce.Do(func() {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		_, _ = zw.Write(a.body)
		_ = zw.Close()
		if buf.Len() < len(a.body)*9/10 {
			a.gzipBody = buf.Bytes()
		}
	})
	return a.gzipBody
}

// etagMatch reports whether an If-None-Match header names etag (or is *).
// Weak comparison, as RFC 9110 prescribes for If-None-Match.
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}
