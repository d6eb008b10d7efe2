package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/odoogql/odoogql/internal/engine"
)

// Media types of a GraphQL response (GraphQL over HTTP).
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// postTransport serves GraphQL over HTTP POST with a JSON body: one
// operation (a JSON object), or a batch (a JSON array of them, as Apollo's
// BatchHttpLink and graphql-request's batchRequests send), answered with a
// JSON array of the results in order. It follows the GraphQL-over-HTTP
// spec's content negotiation and status codes (requestStatus), and writes
// the response itself: the data, already JSON (written by the live
// executor or by gqlgen's generated marshallers), goes to the connection as
// it is, where gqlgen's transport re-encodes the whole response with
// json.Marshal, which scans, HTML-escapes and copies every byte of it once
// more. Both schema modes are served through it, so they answer the same
// bytes.
type postTransport struct {
	// maxBatch is the most operations of a batch (ODOOGQL_MAX_BATCH);
	// <= 0: defaultMaxBatch.
	maxBatch int
	// perOperation gives each operation of a batch a request state of its
	// own (fresh loaders: its own Odoo calls and statistics); nil: the
	// operations share the request's.
	perOperation func(context.Context) context.Context
}

// defaultMaxBatch is ODOOGQL_MAX_BATCH's default.
const defaultMaxBatch = 10

var _ graphql.Transport = postTransport{}

func (postTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" || r.Method != http.MethodPost {
		return false
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mediaType == mediaJSON
}

func (t postTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	contentType := responseContentType(r)
	w.Header().Set("Content-Type", contentType)
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeResult(w, requestFailure(ctx, exec, http.StatusBadRequest, "could not read the request body"))
		return
	}
	if firstByte(body) == '[' {
		t.doBatch(w, r, exec, body, contentType, start)
		return
	}
	params, msg := decodeParams(body, "the request body")
	if msg != "" {
		writeResult(w, requestFailure(ctx, exec, http.StatusBadRequest, msg))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	writeResult(w, runOperation(ctx, exec, params, contentType, nil))
}

// doBatch runs the operations of a batch one after the other, in order,
// each with its own result, errors, limits and (with perOperation) Odoo
// calls, and answers 200 with the JSON array of their results. A batch
// with no operation or more than maxBatch is answered 400.
func (t postTransport) doBatch(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor, body []byte, contentType string, start time.Time) {
	ctx := r.Context()
	var ops []json.RawMessage
	if err := json.Unmarshal(body, &ops); err != nil {
		writeResult(w, requestFailure(ctx, exec, http.StatusBadRequest, decodeMessage(err, "the request body")))
		return
	}
	maxBatch := t.maxBatch
	if maxBatch <= 0 {
		maxBatch = defaultMaxBatch
	}
	if len(ops) == 0 || len(ops) > maxBatch {
		writeResult(w, requestFailure(ctx, exec, http.StatusBadRequest, fmt.Sprintf(
			"a batch must have from 1 to %d operations (ODOOGQL_MAX_BATCH), this one has %d", maxBatch, len(ops))))
		return
	}
	readEnd := graphql.Now()
	results := make([]result, len(ops))
	for i, raw := range ops {
		opCtx := graphql.StartOperationTrace(ctx)
		if t.perOperation != nil {
			opCtx = t.perOperation(opCtx)
		}
		params, msg := decodeParams(raw, fmt.Sprintf("operation %d of the batch", i+1))
		if msg != "" {
			results[i] = requestFailure(opCtx, exec, http.StatusBadRequest, msg)
			continue
		}
		params.Headers = r.Header
		params.ReadTime = graphql.TraceTiming{Start: start, End: readEnd}
		results[i] = runOperation(opCtx, exec, params, contentType, nil)
	}
	w.WriteHeader(http.StatusOK)
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, res := range results {
		if i > 0 {
			buf.WriteByte(',')
		}
		res.write(&buf)
		if buf.Len() >= 4096 {
			w.Write(buf.Bytes()) //nolint:errcheck // the client went away
			buf.Reset()
		}
	}
	buf.WriteByte(']')
	w.Write(buf.Bytes()) //nolint:errcheck
}

// result is the answer to one operation: its response, the HTTP status it
// is answered with alone, and the Allow header of a 405.
type result struct {
	status int
	resp   *graphql.Response
	// noData: a request error, which prevented execution; the response has
	// no data entry (GraphQL spec, "Response"; GraphQL over HTTP).
	noData bool
	allow  string
}

// write writes res's response as JSON.
func (res result) write(w io.Writer) {
	if res.noData {
		writeErrors(w, res.resp)
		return
	}
	writeResponse(w, res.resp)
}

// writeResult answers with res.
func writeResult(w http.ResponseWriter, res result) {
	if res.allow != "" {
		w.Header().Set("Allow", res.allow)
	}
	w.WriteHeader(res.status)
	res.write(w)
}

// requestFailure is the answer to a request the gateway cannot read as a
// GraphQL request (bad JSON, bad parameters, a batch too large): status
// with one BAD_USER_INPUT error saying msg, and no data. The error goes
// through the executor (error presenter, request log, metrics).
func requestFailure(ctx context.Context, exec graphql.GraphExecutor, status int, msg string) result {
	err := &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": engine.CodeBadUserInput}}
	return result{status: status, resp: exec.DispatchError(ctx, gqlerror.List{err}), noData: true}
}

// runOperation runs one operation (of a POST, a batch or a GET). A request
// error, which prevents execution (parse, validation, variables, limits,
// APQ), is answered per requestStatus, with no data. check, when not nil,
// may refuse the operation once parsed (GET refuses mutations).
func runOperation(ctx context.Context, exec graphql.GraphExecutor, params *graphql.RawParams, contentType string, check func(*ast.OperationDefinition) (status int, allow string, err *gqlerror.Error)) result {
	rc, opErr := exec.CreateOperationContext(ctx, params)
	if opErr != nil {
		status, noData := requestStatus(contentType, opErr)
		return result{status: status, resp: exec.DispatchError(graphql.WithOperationContext(ctx, rc), opErr), noData: noData}
	}
	if check != nil {
		if status, allow, err := check(rc.Operation); err != nil {
			return result{status: status, allow: allow, resp: exec.DispatchError(graphql.WithOperationContext(ctx, rc), gqlerror.List{err}), noData: true}
		}
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	return result{status: http.StatusOK, resp: responses(ctx)}
}

// firstByte is the first byte of body that is not JSON whitespace, 0 for
// none.
func firstByte(body []byte) byte {
	for _, c := range body {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}

// wireParams are a GraphQL request's parameters as sent, each checked on
// its own (decodeParams).
type wireParams struct {
	Query         json.RawMessage `json:"query"`
	OperationName json.RawMessage `json:"operationName"`
	Variables     json.RawMessage `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

// decodeParams decodes one GraphQL request (a JSON object: query,
// operationName, variables, extensions), numbers as json.Number as gqlgen
// does. On failure it returns a message for the client, about subject (the
// request body, an operation of a batch), which never quotes the body nor
// names a Go type.
func decodeParams(raw []byte, subject string) (*graphql.RawParams, string) {
	if first := firstByte(raw); first != '{' {
		if first == 0 || !json.Valid(raw) {
			return nil, subject + " is not valid JSON: send a JSON object with a query"
		}
		return nil, subject + " is not a JSON object with a query"
	}
	var wire wireParams
	if err := json.Unmarshal(raw, &wire); err != nil {
		return nil, decodeMessage(err, subject)
	}
	params := &graphql.RawParams{}
	if !isNull(wire.Query) && json.Unmarshal(wire.Query, &params.Query) != nil {
		return nil, subject + `: "query" must be a string`
	}
	if !isNull(wire.OperationName) && json.Unmarshal(wire.OperationName, &params.OperationName) != nil {
		return nil, subject + `: "operationName" must be a string`
	}
	if !isNull(wire.Variables) && decodeObject(wire.Variables, &params.Variables) != nil {
		return nil, subject + `: "variables" must be a JSON object`
	}
	if !isNull(wire.Extensions) && decodeObject(wire.Extensions, &params.Extensions) != nil {
		return nil, subject + `: "extensions" must be a JSON object`
	}
	if msg := checkHasQuery(params, subject); msg != "" {
		return nil, msg
	}
	return params, ""
}

// checkHasQuery returns a message when params has no query to run: neither
// a query nor an automatic persisted query's hash.
func checkHasQuery(params *graphql.RawParams, subject string) string {
	if params.Query == "" && params.Extensions["persistedQuery"] == nil {
		return subject + ` has no "query"`
	}
	return ""
}

// decodeMessage is the client's message for a body that json.Unmarshal
// refused.
func decodeMessage(err error, subject string) string {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return subject + " is not valid JSON: send a JSON object with a query"
	}
	return subject + " is not a JSON object with a query"
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// decodeObject decodes a JSON object into m, numbers as json.Number.
func decodeObject(raw []byte, m *map[string]any) error {
	if firstByte(raw) != '{' {
		return errors.New("not an object")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(m)
}

// responseContentType picks the response's media type from the request's
// Accept header, as gqlgen's transports do: application/json when the
// client names it first or accepts anything, else
// application/graphql-response+json.
func responseContentType(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", mediaJSON:
			return mediaJSON
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		}
	}
	return mediaGraphQLResponse
}

// requestStatus is the status of a request error, which prevents
// execution (parse, validation, variables, limits), and whether the
// response omits data, as the GraphQL-over-HTTP spec says: 200 for
// application/json (Apollo Client and urql turn any other status into a
// network error and lose the errors), 400 for
// application/graphql-response+json; neither with a data entry. An unknown
// automatic persisted query (PERSISTED_QUERY_NOT_FOUND) is not a client
// mistake but the first step of the APQ protocol: 200 with "data": null,
// as Apollo Server answers it, so that every version of Apollo's
// persisted-query link retries with the query.
func requestStatus(contentType string, errs gqlerror.List) (status int, noData bool) {
	for _, e := range errs {
		if e.Extensions["code"] == errPersistedQueryNotFound {
			return http.StatusOK, false
		}
	}
	if contentType == mediaGraphQLResponse {
		return http.StatusBadRequest, true
	}
	return http.StatusOK, true
}

// errPersistedQueryNotFound is the code of gqlgen's APQ extension for a
// hash it does not know.
const errPersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND"

// writeResponse writes resp as JSON with the keys in the order of
// graphql.Response's fields (errors, data, extensions), copying the data
// as it is: it is JSON already, written compact by the executor. Errors and
// extensions are small and go through json.Marshal.
func writeResponse(w io.Writer, resp *graphql.Response) {
	if resp == nil {
		resp = &graphql.Response{}
	}
	if resp.Label != "" || resp.Path != nil || resp.HasNext != nil {
		// Incremental delivery, which no transport of the gateway
		// offers: the general encoding.
		b, err := json.Marshal(resp)
		if err != nil {
			panic(err)
		}
		w.Write(b) //nolint:errcheck // the client went away
		return
	}
	var head bytes.Buffer
	head.WriteByte('{')
	if len(resp.Errors) > 0 {
		b, err := json.Marshal(resp.Errors)
		if err != nil {
			panic(err)
		}
		head.WriteString(`"errors":`)
		head.Write(b)
		head.WriteByte(',')
	}
	head.WriteString(`"data":`)
	data := []byte(resp.Data)
	if len(data) == 0 {
		data = []byte("null")
	}
	var tail bytes.Buffer
	if len(resp.Extensions) > 0 {
		b, err := json.Marshal(resp.Extensions)
		if err != nil {
			panic(err)
		}
		tail.WriteString(`,"extensions":`)
		tail.Write(b)
	}
	tail.WriteByte('}')
	if len(data) < 4096 {
		// One write for a small response (one packet, one gzip block).
		head.Write(data)
		head.Write(tail.Bytes())
		w.Write(head.Bytes()) //nolint:errcheck // the client went away
		return
	}
	w.Write(head.Bytes()) //nolint:errcheck
	w.Write(data)         //nolint:errcheck
	w.Write(tail.Bytes()) //nolint:errcheck
}

// writeErrors writes resp, a request error's response, as JSON without a
// data entry: errors, then extensions.
func writeErrors(w io.Writer, resp *graphql.Response) {
	if resp == nil {
		resp = &graphql.Response{}
	}
	out := struct {
		Errors     gqlerror.List  `json:"errors"`
		Extensions map[string]any `json:"extensions,omitempty"`
	}{resp.Errors, resp.Extensions}
	b, err := json.Marshal(out)
	if err != nil {
		panic(err)
	}
	w.Write(b) //nolint:errcheck // the client went away
}
