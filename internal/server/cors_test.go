package server

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

func TestParseOrigins(t *testing.T) {
	for _, tc := range []struct {
		in   string
		demo bool
		want []string
		err  string
	}{
		{"", true, []string{"*"}, ""},
		{"", false, nil, ""},
		{"none", true, nil, ""},
		{"*", false, []string{"*"}, ""},
		{"https://App.Example.com/, http://localhost:5173", false, []string{"https://app.example.com", "http://localhost:5173"}, ""},
		{"https://a.example.com,*", false, nil, "cannot be listed"},
		{"app.example.com", false, nil, "not an origin"},
		{"https://a.example.com/path", false, nil, "not an origin"},
		{"ftp://a.example.com", false, nil, "not an origin"},
	} {
		got, err := parseOrigins(tc.in, tc.demo)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%q (demo %v): %v, %v; want %v", tc.in, tc.demo, got, err, tc.want)
		}
	}
}

// TestCORS: a preflight from an allowed origin is granted with the headers
// GraphQL clients send; another origin gets no Access-Control-Allow-*
// headers; "*" allows any origin without credentials.
func TestCORS(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(200) })
	exact := withCORS([]string{"https://app.example.com"}, ok)
	preflight := func(h http.Handler, origin string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("OPTIONS", "/graphql", nil)
		r.Header.Set("Origin", origin)
		r.Header.Set("Access-Control-Request-Method", "POST")
		r.Header.Set("Access-Control-Request-Headers", "apollographql-client-name,authorization,content-type") // as browsers send it: lowercase, sorted
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	w := preflight(exact, "https://app.example.com")
	if w.Code != http.StatusNoContent || w.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
		w.Header().Get("Access-Control-Allow-Credentials") != "true" || w.Header().Get("Access-Control-Max-Age") != "600" ||
		!strings.Contains(strings.ToLower(w.Header().Get("Access-Control-Allow-Headers")), "authorization") {
		t.Errorf("allowed preflight: %d %v", w.Code, w.Header())
	}
	if w := preflight(exact, "https://evil.example.com"); w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin's preflight granted: %v", w.Header())
	}
	post := httptest.NewRequest("POST", "/graphql", nil)
	post.Header.Set("Origin", "https://app.example.com")
	pw := httptest.NewRecorder()
	exact.ServeHTTP(pw, post)
	if pw.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" || !strings.Contains(pw.Header().Get("Vary"), "Origin") {
		t.Errorf("POST from the allowed origin: %v", pw.Header())
	}
	w = preflight(withCORS([]string{"*"}, ok), "https://anything.example.org")
	if w.Header().Get("Access-Control-Allow-Origin") != "*" || w.Header().Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("* preflight: %v", w.Header())
	}
	if h := withCORS(nil, ok); preflight(h, "https://app.example.com").Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("no origins: no CORS headers")
	}
}
