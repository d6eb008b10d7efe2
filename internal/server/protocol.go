package server

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/odoogql/odoogql/internal/engine"
)

// allowedMethods are the methods /graphql answers.
const allowedMethods = "GET, POST, OPTIONS"

// Messages of the requests checkProtocol refuses.
const (
	errMethod = "only GET, POST and OPTIONS are allowed on /graphql: send operations as a POST " +
		"with Content-Type: application/json (a GET may run queries)"
	errMediaType = "a POST to /graphql must have Content-Type: application/json, with a JSON object " +
		`such as {"query": "{ __typename }"} as its body`
)

// checkProtocol answers, before anything else (credentials, CSRF, the
// body), the requests /graphql does not serve, each with a JSON error with
// a code: any method but GET, POST and OPTIONS 405 with Allow, and a POST
// whose Content-Type is not application/json 415 (curl's default
// application/x-www-form-urlencoded, text/plain, multipart/form-data, none:
// never executed, so no cross-site request can run an operation that way).
// OPTIONS is answered 200 with Allow (a CORS preflight is answered before,
// by withCORS).
func checkProtocol(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
		case http.MethodPost:
			if !isJSONMediaType(r.Header.Get("Content-Type")) {
				writeError(w, http.StatusUnsupportedMediaType, engine.CodeBadUserInput, errMediaType, engine.RequestID(r.Context()))
				return
			}
		case http.MethodOptions:
			w.Header().Set("Allow", allowedMethods)
			w.WriteHeader(http.StatusOK)
			return
		default:
			w.Header().Set("Allow", allowedMethods)
			writeError(w, http.StatusMethodNotAllowed, engine.CodeBadUserInput, errMethod, engine.RequestID(r.Context()))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// isJSONMediaType reports whether a Content-Type is application/json (with
// any parameters, such as charset=utf-8).
func isJSONMediaType(contentType string) bool {
	mediaType, _, err := mime.ParseMediaType(contentType)
	return err == nil && mediaType == mediaJSON
}

// getTransport serves GraphQL over HTTP GET, as gqlgen's transport.GET
// does (query, operationName, and variables and extensions as JSON in the
// URL's query), answering through runOperation as postTransport does: the
// same status codes, errors with codes, and the data copied as it is. A
// GET may only run queries: any other operation is answered 405 with
// Allow: POST, as the GraphQL-over-HTTP spec says.
type getTransport struct{}

var _ graphql.Transport = getTransport{}

func (getTransport) Supports(r *http.Request) bool { return r.Method == http.MethodGet }

func (getTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	contentType := responseContentType(r)
	w.Header().Set("Content-Type", contentType)
	start := graphql.Now()
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writeResult(w, requestFailure(ctx, exec, http.StatusBadRequest, "the request's URL query string is not valid (bad percent-encoding?)"))
		return
	}
	params := &graphql.RawParams{
		Query:         query.Get("query"),
		OperationName: query.Get("operationName"),
		Headers:       r.Header,
	}
	for _, p := range []struct {
		name string
		into *map[string]any
	}{{"variables", &params.Variables}, {"extensions", &params.Extensions}} {
		if v := query.Get(p.name); v != "" && decodeObject([]byte(v), p.into) != nil {
			writeResult(w, requestFailure(ctx, exec, http.StatusBadRequest, fmt.Sprintf("the request's %q parameter must be a JSON object", p.name)))
			return
		}
	}
	if msg := checkHasQuery(params, "the request"); msg != "" {
		writeResult(w, requestFailure(ctx, exec, http.StatusBadRequest, msg))
		return
	}
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	writeResult(w, runOperation(ctx, exec, params, contentType, queriesOnly))
}

// queriesOnly refuses any operation but a query, as GET must.
func queriesOnly(op *ast.OperationDefinition) (int, string, *gqlerror.Error) {
	if op == nil || op.Operation == ast.Query {
		return 0, "", nil
	}
	return http.StatusMethodNotAllowed, http.MethodPost, &gqlerror.Error{
		Message:    fmt.Sprintf("a GET request may only run queries: send this %s as a POST with Content-Type: application/json", op.Operation),
		Extensions: map[string]any{"code": engine.CodeBadUserInput},
	}
}
