package server

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Media types of a GraphQL response (GraphQL over HTTP).
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// postTransport serves GraphQL over HTTP POST with a JSON body, as gqlgen's
// transport.POST does (the same content negotiation and status codes), but
// writes the response itself: the data, already JSON (written by the live
// executor or by gqlgen's generated marshallers), goes to the connection as
// it is, where gqlgen's transport re-encodes the whole response with
// json.Marshal, which scans, HTML-escapes and copies every byte of it once
// more. Both schema modes are served through it, so they answer the same
// bytes.
type postTransport struct{}

var _ graphql.Transport = postTransport{}

func (postTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" || r.Method != http.MethodPost {
		return false
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mediaType == mediaJSON
}

func (postTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	contentType := responseContentType(r)
	w.Header().Set("Content-Type", contentType)
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf("could not read request body: %+v", err)}))
		return
	}
	params := &graphql.RawParams{}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(params); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		writeResponse(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf(
			"json request body could not be decoded: %+v body:%s", err, string(body))}))
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	rc, opErr := exec.CreateOperationContext(ctx, params)
	if opErr != nil {
		w.WriteHeader(requestErrorStatus(contentType, opErr))
		writeResponse(w, exec.DispatchError(graphql.WithOperationContext(ctx, rc), opErr))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	writeResponse(w, responses(ctx))
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

// requestErrorStatus is the status of a request that fails before
// execution (parse, validation, variables): 422 for application/json, 400
// for application/graphql-response+json, as gqlgen's transports answer.
func requestErrorStatus(contentType string, errs gqlerror.List) int {
	if errcode.GetErrorKind(errs) != errcode.KindProtocol {
		return http.StatusOK
	}
	if contentType == mediaGraphQLResponse {
		return http.StatusBadRequest
	}
	return http.StatusUnprocessableEntity
}

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
