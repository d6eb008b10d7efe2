package server

import (
	"mime"
	"net/http"
	"strings"

	"github.com/odoogql/odoogql/internal/engine"
)

// csrfHeaders are the headers that mark a request as sent by a script, as
// Apollo Server's csrfPrevention accepts them: a browser sends a request
// carrying one of them cross-origin only after a CORS preflight, which the
// gateway never grants.
var csrfHeaders = []string{"X-Apollo-Operation-Name", "Apollo-Require-Preflight"}

// errCSRF says what a blocked request must send.
const errCSRF = "this request has been blocked as a potential cross-site request forgery (CSRF): " +
	"send it as a POST with Content-Type: application/json, or add a non-empty " +
	"X-Apollo-Operation-Name or Apollo-Require-Preflight header"

// preventCSRF answers 400 to a request a browser may send cross-origin
// without a preflight — a GET, or a POST whose Content-Type is missing or
// one of the CORS-safelisted ones (text/plain,
// application/x-www-form-urlencoded, multipart/form-data) — unless it
// carries one of csrfHeaders. Such requests may not run queries: a page on
// another site could otherwise make a logged-in browser send them (GET
// queries, and anything a form can post).
func preventCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if needsPreflightProof(r) && !hasCSRFHeader(r) {
			writeError(w, http.StatusBadRequest, engine.CodeBadUserInput, errCSRF, engine.RequestID(r.Context()))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// needsPreflightProof reports whether a browser could send r cross-origin
// without a preflight.
func needsPreflightProof(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		return true
	case http.MethodPost:
	default:
		return false // any other method is preflighted (OPTIONS is the preflight)
	}
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		// Browsers safelist a type by its essence; one that does not parse
		// is treated as simple rather than trusted.
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]))
	}
	switch mt {
	case "text/plain", "application/x-www-form-urlencoded", "multipart/form-data":
		return true
	}
	return false
}

func hasCSRFHeader(r *http.Request) bool {
	for _, h := range csrfHeaders {
		if strings.TrimSpace(r.Header.Get(h)) != "" {
			return true
		}
	}
	return false
}
