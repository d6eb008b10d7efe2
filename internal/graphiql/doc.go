// Package graphiql provides an http.Handler that serves GraphiQL, the
// in-browser GraphQL IDE, entirely from the binary: the page, GraphiQL's
// browser bundle and React are embedded (//go:embed), so GraphiQL works on
// machines without internet access and behind strict firewalls.
//
// The bundled files in assets/ come from the npm packages graphiql, react
// and react-dom, at the versions pinned in update-assets.sh, which re-fetches
// them; assets/VERSIONS records the versions and the files' SHA-256.
//
// Handler serves the page; Assets serves the files under AssetsPath with
// their content type, an ETag, gzip when the client accepts it, and
// long-lived caching for the versioned URLs the page uses. The page sends a
// Content-Security-Policy that allows no origin but its own.
package graphiql
