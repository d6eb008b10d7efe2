package odoo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// newHTTPClient builds the pooled keep-alive client used when
// Config.HTTPClient is nil. It sets no overall Timeout: every call is bounded
// by its context (or Config.Timeout).
func newHTTPClient(maxConns, maxIdle int) *http.Client {
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			MaxConnsPerHost:       maxConns,
			MaxIdleConnsPerHost:   maxIdle,
			MaxIdleConns:          0, // no global cap; per-host caps apply
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
		},
		// Odoo does not redirect RPC endpoints; a redirect would turn the
		// POST into a GET and lose the body, so refuse it clearly.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// attemptResult is one HTTP exchange.
type attemptResult struct {
	body   []byte
	status int
	// gotResponseByte is true once any byte of the response arrived: after
	// that a failure is never retried.
	gotResponseByte bool
}

// post sends one XML-RPC request body and reads the whole response,
// bounded by maxBytes. It does not decode.
func (c *Client) post(ctx context.Context, endpoint string, body []byte) (attemptResult, error) {
	var res attemptResult
	var gotByte atomic.Bool
	trace := &httptrace.ClientTrace{GotFirstResponseByte: func() { gotByte.Store(true) }}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return res, err
	}
	req.Header.Set("Content-Type", "text/xml")
	req.Header.Set("Accept", "text/xml")
	req.Header.Set("User-Agent", "odoogql")

	resp, err := c.http.Do(req)
	res.gotResponseByte = gotByte.Load()
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // drop "Post <url>:"; Op says which call it was
		}
		return res, err
	}
	defer resp.Body.Close()
	res.gotResponseByte = true
	res.status = resp.StatusCode

	if resp.StatusCode != http.StatusOK {
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return res, fmt.Errorf("%w %s", ErrBadStatus, resp.Status)
	}
	if resp.ContentLength > c.maxResponse {
		return res, fmt.Errorf("%w: Content-Length %d exceeds the limit of %d bytes (Config.MaxResponseBytes)",
			ErrResponseTooLarge, resp.ContentLength, c.maxResponse)
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, c.maxResponse+1))
	if n > c.maxResponse {
		return res, fmt.Errorf("%w: more than the limit of %d bytes (Config.MaxResponseBytes)", ErrResponseTooLarge, c.maxResponse)
	}
	if err != nil {
		return res, fmt.Errorf("reading response body: %w", err)
	}
	res.body = buf.Bytes()
	return res, nil
}

// retryable lists the Odoo methods that only read, so a call may be sent
// again when its connection broke before any response arrived. Every other
// method (create, write, unlink, actions, authenticate ...) is sent once.
var retryable = map[string]bool{
	"read":                true,
	"search":              true,
	"search_read":         true,
	"search_count":        true,
	"fields_get":          true,
	"name_search":         true,
	"check_access_rights": true,
	"has_access":          true,
	"web_search_read":     true,
	"web_read":            true,
	"version":             true,
	"context_get":         true,
}

// isBrokenConnection reports whether err is a connection that closed or
// reset under the request: typically a keep-alive connection the server (or
// a proxy) closed while the request was being sent.
func isBrokenConnection(err error) bool {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, net.ErrClosed) {
		return true
	}
	// net/http's unexported errServerClosedIdle.
	return strings.Contains(err.Error(), "server closed idle connection")
}
