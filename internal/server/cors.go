package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/rs/cors"
)

// corsHeaders are the request headers a browser may send cross-origin:
// what GraphQL clients send (Apollo Client's name and version headers and
// CSRF marker, the Accept-Language the gateway reads the user's language
// from), authentication and the request id.
var corsHeaders = []string{
	"Authorization", "Content-Type", "Accept", "Accept-Language", "X-Request-ID",
	"Apollo-Require-Preflight", "X-Apollo-Operation-Name",
	"Apollographql-Client-Name", "Apollographql-Client-Version",
}

// parseOrigins reads ODOOGQL_CORS_ORIGINS: comma-separated origins, "*",
// or "none". Empty means "*" for the embedded demo (any page may try it)
// and none with a real Odoo (a deployment names its frontends).
func parseOrigins(v string, demo bool) ([]string, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "" && demo, v == "*":
		return []string{"*"}, nil
	case v == "", v == "none":
		return nil, nil
	}
	var out []string
	for _, o := range strings.Split(v, ",") {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		if o == "" {
			continue
		}
		if o == "*" {
			return nil, errors.New(`"*" allows every origin and cannot be listed with others`)
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
			return nil, fmt.Errorf("%q is not an origin such as https://app.example.com (scheme, host and optional port, nothing else)", o)
		}
		out = append(out, strings.ToLower(u.Scheme)+"://"+strings.ToLower(u.Host))
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// withCORS answers CORS preflights and adds the Access-Control-Allow-*
// headers for the configured origins (rs/cors). With "*" every origin is
// allowed and credentials (cookies, HTTP authentication) are not: a
// browser then sends an Authorization header only when the page's script
// sets it. With exact origins, credentials are allowed for those. No
// origins: no CORS headers, so browsers keep other origins out.
func withCORS(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	anyOrigin := len(origins) == 1 && origins[0] == "*"
	c := cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost},
		AllowedHeaders:   corsHeaders,
		ExposedHeaders:   []string{"X-Request-ID"},
		AllowCredentials: !anyOrigin,
		MaxAge:           600, // seconds a browser may reuse a preflight (Chromium caps it at 7,200)
	})
	return c.Handler(next)
}
