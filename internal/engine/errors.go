package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/odoogql/odoogql/odoo"
)

type requestIDKey struct{}

// WithRequestID returns ctx carrying the request id, which errors show in
// extensions.requestId.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request id of ctx, "" when there is none.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

type timeoutKey struct{}

// WithRequestTimeout returns ctx carrying the request timeout, which the
// error of a request that ran out of time names.
func WithRequestTimeout(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, timeoutKey{}, d)
}

// Error codes, in GraphQL errors' extensions.code.
const (
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeForbidden       = "FORBIDDEN"
	CodeNotFound        = "NOT_FOUND"
	CodeBadUserInput    = "BAD_USER_INPUT"
	CodeUnavailable     = "ODOO_UNAVAILABLE"
	CodeInternal        = "INTERNAL"
)

// Error is an error with a GraphQL error code and a message fit for clients.
type Error struct {
	Code    string
	Message string
	Err     error // the cause, never shown to clients
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// badInput returns a BAD_USER_INPUT error.
func badInput(format string, a ...any) error {
	return &Error{Code: CodeBadUserInput, Message: fmt.Sprintf(format, a...)}
}

// Classify returns the GraphQL code of err and the message a client may see.
// Of Odoo's faults only the user-facing ones (odoo.Fault.UserFacing:
// UserError, ValidationError, AccessError, MissingError, …) keep their
// message; any other (a ValueError, KeyError, a database error …) gets a
// generic one, and the full text goes to the log (ErrorPresenter adds the
// request id to the message, so a client can quote it). Python tracebacks,
// which the odoo package already strips, never reach this point.
func Classify(err error) (code, msg string) {
	code, msg, hidden := classify(err)
	if hidden {
		msg = hiddenMessage(msg, "")
	}
	return code, msg
}

// Generic messages for Odoo faults whose own message is not for clients.
const (
	msgOdooRejected = "Odoo rejected the request"
	msgOdooRefused  = "Odoo refused the request"
	msgOdooFailed   = "Odoo could not complete the request"
)

// classify is Classify, and whether the message hides Odoo's own (then the
// error is logged, and the message points at the log).
func classify(err error) (code, msg string, hidden bool) {
	var e *Error
	if errors.As(err, &e) {
		return e.Code, e.Message, false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return CodeUnavailable, "Odoo did not answer in time", false
	}
	if errors.Is(err, context.Canceled) {
		return CodeUnavailable, "request cancelled", false
	}
	if err.Error() == "introspection disabled" { // gqlgen's own error
		return CodeBadUserInput, "introspection is disabled on this server (ODOOGQL_INTROSPECTION)", false
	}
	if errors.Is(err, odoo.ErrAuthentication) {
		return CodeUnauthenticated, "authentication failed", false
	}
	var te *odoo.TransportError
	if errors.As(err, &te) {
		return CodeUnavailable, "Odoo is unavailable", false
	}
	var f *odoo.Fault
	if errors.As(err, &f) {
		switch f.Kind {
		case odoo.KindAuthentication:
			return CodeUnauthenticated, "authentication failed", false
		case odoo.KindAccess:
			code, msg = CodeForbidden, msgOdooRefused
		case odoo.KindMissing:
			code, msg = CodeNotFound, msgOdooRefused
		case odoo.KindValidation:
			code, msg = CodeBadUserInput, msgOdooRejected
		default:
			return CodeInternal, msgOdooFailed, true
		}
		if f.UserFacing() {
			return code, f.Message, false
		}
		return code, msg, true
	}
	return CodeInternal, "internal error", false
}

// hiddenMessage is the message of an error whose Odoo message is withheld:
// where the details are, under which request id.
func hiddenMessage(lead, requestID string) string {
	if requestID == "" {
		return lead + " (the details are in the gateway's log)"
	}
	return lead + " (the details are in the gateway's log under request id " + requestID + ")"
}

// ErrorPresenter is gqlgen's error presenter for odoogql: every error gets an
// extensions.code, and only messages fit for clients are shown.
func ErrorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var gerr *gqlerror.Error
		if errors.As(err, &gerr) && gerr.Err == nil {
			// gqlgen's own errors (parse, validation): already fit for clients.
			if gerr.Extensions == nil {
				gerr.Extensions = map[string]any{}
			}
			if _, ok := gerr.Extensions["code"]; !ok {
				gerr.Extensions["code"] = "GRAPHQL_VALIDATION_FAILED"
			}
			if id := RequestID(ctx); id != "" {
				gerr.Extensions["requestId"] = id
			}
			return gerr
		}
		out := graphql.DefaultErrorPresenter(ctx, err)
		cause := err
		if errors.As(err, &gerr) && gerr.Err != nil {
			cause = gerr.Err
		}
		var inner *gqlerror.Error
		if errors.As(cause, &inner) && inner.Extensions["code"] != nil {
			// An error that already says what it is (a scalar's bad input).
			out.Message = inner.Message
			if out.Extensions == nil {
				out.Extensions = map[string]any{}
			}
			out.Extensions["code"] = inner.Extensions["code"]
			if id := RequestID(ctx); id != "" {
				out.Extensions["requestId"] = id
			}
			return out
		}
		code, msg, hidden := classify(cause)
		if d, ok := ctx.Value(timeoutKey{}).(time.Duration); ok && errors.Is(cause, context.DeadlineExceeded) {
			msg = fmt.Sprintf("the request ran out of time: it exceeded the request timeout of %s (ODOOGQL_REQUEST_TIMEOUT)", d)
		}
		if hidden {
			msg = hiddenMessage(msg, RequestID(ctx))
		}
		if hidden || code == CodeInternal || code == CodeUnavailable {
			log.LogAttrs(ctx, slog.LevelWarn, "request error", slog.String("request_id", RequestID(ctx)), slog.String("code", code), slog.Any("err", cause))
		}
		out.Message = msg
		if out.Extensions == nil {
			out.Extensions = map[string]any{}
		}
		out.Extensions["code"] = code
		if id := RequestID(ctx); id != "" {
			out.Extensions["requestId"] = id
		}
		return out
	}
}
