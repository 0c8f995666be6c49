package client

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// Kind classifies an error for the code that handles it.
type Kind int

// Error kinds.
const (
	// KindUnknown is anything not classified below.
	KindUnknown Kind = iota
	// KindNotFound: the object does not exist.
	KindNotFound
	// KindConflict: the object exists already or is in a conflicting state.
	KindConflict
	// KindValidation: the request was rejected as malformed or invalid.
	KindValidation
	// KindAuth: authentication failed or permission was denied.
	KindAuth
	// KindThrottled: quota, throttle or rate limit exceeded.
	KindThrottled
	// KindServer: the service failed (5xx).
	KindServer
	// KindAmbiguous: a non-idempotent request failed in a way that leaves
	// unknown whether it was carried out; reconcile before trying again.
	KindAmbiguous
)

var kindNames = [...]string{"unknown", "not found", "conflict", "validation", "auth", "throttled", "server", "ambiguous"}

// String returns a lower-case name of k.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Error is a failed NCP call. It carries NCP's own code and message, which
// Error() shows to the user.
type Error struct {
	Service, Operation string
	HTTPStatus         int // 0 when no response was received
	Code               string
	Message            string
	Details            string
	RequestID          string
	Kind               Kind
	Err                error // underlying transport error, if any
}

// Error renders e as, for example,
// `vpc createVpc: HTTP 400: NCP error 1000036: <message> (<details>) [request id ...]`.
func (e *Error) Error() string {
	var b strings.Builder
	if name := strings.TrimSpace(e.Service + " " + e.Operation); name != "" {
		b.WriteString(name + ": ")
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, "HTTP %d: ", e.HTTPStatus)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, "NCP error %s: ", e.Code)
	}
	msg := e.Message
	if e.Err != nil {
		if msg != "" {
			msg += ": "
		}
		msg += e.Err.Error()
	}
	if msg == "" {
		msg = http.StatusText(e.HTTPStatus)
	}
	if msg == "" {
		msg = "request failed"
	}
	b.WriteString(msg)
	if e.Details != "" {
		fmt.Fprintf(&b, " (%s)", e.Details)
	}
	if e.Kind == KindAmbiguous {
		b.WriteString(" (the request may or may not have been carried out)")
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request id %s]", e.RequestID)
	}
	return b.String()
}

// Unwrap returns the underlying transport error, if any.
func (e *Error) Unwrap() error { return e.Err }

func isKind(err error, k Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}

// IsNotFound reports whether err is an *Error of KindNotFound.
func IsNotFound(err error) bool { return isKind(err, KindNotFound) }

// IsConflict reports whether err is an *Error of KindConflict.
func IsConflict(err error) bool { return isKind(err, KindConflict) }

// IsValidation reports whether err is an *Error of KindValidation.
func IsValidation(err error) bool { return isKind(err, KindValidation) }

// IsAuth reports whether err is an *Error of KindAuth.
func IsAuth(err error) bool { return isKind(err, KindAuth) }

// IsThrottled reports whether err is an *Error of KindThrottled.
func IsThrottled(err error) bool { return isKind(err, KindThrottled) }

// IsAmbiguous reports whether err is an *Error of KindAmbiguous: the request
// may or may not have been carried out.
func IsAmbiguous(err error) bool { return isKind(err, KindAmbiguous) }

// IsTransient reports whether err is a failure that may well pass if the
// same read is made again a little later: throttling (KindThrottled), a
// service failure (KindServer, HTTP 5xx), an ambiguous outcome
// (KindAmbiguous), an attempt that got no answer in time (ErrAttemptTimeout)
// or a failed connection, each after the client's own retries ran out.
// Validation, auth, not-found and conflict errors are not transient, nor is
// the end of a context on its own.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	var e *Error
	if errors.As(err, &e) {
		switch e.Kind {
		case KindThrottled, KindServer, KindAmbiguous:
			return true
		case KindUnknown:
			// Decided by the cause below.
		default:
			return false
		}
	}
	if errors.Is(err, ErrAttemptTimeout) {
		return true
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	return isDialError(err) || isConnError(err)
}

// maxRawMessage bounds how much of an unrecognised error body is quoted.
const maxRawMessage = 512

// decodeError turns an answer into an *Error, or nil when it is a success:
// a 2xx status whose body is not a legacy responseError.
func decodeError(req *Request, status int, header http.Header, body []byte, idempotent bool) *Error {
	e := &Error{Service: req.Service, Operation: req.Operation, HTTPStatus: status, RequestID: requestID(header)}
	gateway := false
	if status >= 200 && status < 300 {
		// Only the legacy APIs answer some errors with a 2xx status, in
		// their responseError envelope (not worth parsing without it).
		if !bytes.Contains(body, []byte("responseError")) {
			return nil
		}
		re, ok := legacy.DecodeError(body)
		if !ok {
			return nil
		}
		e.Code, e.Message = re.ReturnCode, re.ReturnMessage
	} else if env, ok := decodeGateway(body); ok {
		e.Code, e.Message, e.Details = env.ErrorCode, env.Message, env.Details
		gateway = true
	} else if re, ok := legacy.DecodeError(body); ok {
		e.Code, e.Message = re.ReturnCode, re.ReturnMessage
	} else if pe, ok := decodePlain(body); ok {
		e.Code, e.Message, e.Details = pe.code, pe.message, pe.details
	} else {
		e.Message = rawMessage(body)
	}

	e.Kind = kindOfStatus(status)
	if gateway {
		switch e.Code {
		case apigw.CodeAuthenticationFailed.Code, apigw.CodePermissionDenied.Code:
			e.Kind = KindAuth
		case apigw.CodeNotFound.Code:
			e.Kind = KindNotFound
		case apigw.CodeQuotaExceeded.Code, apigw.CodeThrottleLimited.Code, apigw.CodeRateLimited.Code:
			e.Kind = KindThrottled
		case apigw.CodeBadRequest.Code:
			e.Kind = KindValidation
		}
	}
	if !idempotent && unavailableStatus(status) {
		e.Kind = KindAmbiguous
	}
	if k, ok := req.ErrorKinds[e.Code]; ok && e.Code != "" {
		e.Kind = k
	} else if req.kindOf != nil && e.Kind != KindAmbiguous && (e.Code != "" || e.Message != "") {
		if k, ok := req.kindOf(e.Code, e.Message); ok {
			e.Kind = k
		}
	}
	return e
}

// kindOfStatus maps an HTTP status to a Kind.
func kindOfStatus(status int) Kind {
	switch {
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity:
		return KindValidation
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return KindAuth
	case status == http.StatusNotFound:
		return KindNotFound
	case status == http.StatusConflict:
		return KindConflict
	case status == http.StatusTooManyRequests:
		return KindThrottled
	case status >= 500:
		return KindServer
	}
	return KindUnknown
}

// decodeGateway reads an API Gateway envelope {"error":{"errorCode":...}}.
func decodeGateway(body []byte) (apigw.ErrorBody, bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return apigw.ErrorBody{}, false
	}
	var env apigw.ErrorEnvelope
	if err := json.Unmarshal(trimmed, &env); err != nil || (env.Error.ErrorCode == "" && env.Error.Message == "") {
		return apigw.ErrorBody{}, false
	}
	return env.Error, true
}

type plainError struct{ code, message, details string }

// decodePlain reads a top-level {"returnCode":..., "returnMessage":...} or
// {"code":..., "message":..., "result":...} (Global Edge) body; a result
// that says something becomes the details.
func decodePlain(body []byte) (plainError, bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return plainError{}, false
	}
	var v struct {
		ReturnCode    json.RawMessage `json:"returnCode"`
		ReturnMessage string          `json:"returnMessage"`
		Code          json.RawMessage `json:"code"`
		Message       string          `json:"message"`
		Result        json.RawMessage `json:"result"`
	}
	if json.Unmarshal(trimmed, &v) != nil {
		return plainError{}, false
	}
	if c := scalar(v.ReturnCode); c != "" {
		return plainError{code: c, message: v.ReturnMessage}, true
	}
	if c := scalar(v.Code); c != "" {
		return plainError{code: c, message: v.Message, details: resultDetails(v.Result)}, true
	}
	return plainError{}, false
}

// scalar renders a JSON string or number as a string; "" for anything else.
func scalar(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

// envelopeCode returns the service code carried by body in any of the
// known envelopes ("" when none), and whether it was the API Gateway's
// {"error":{...}} envelope.
func envelopeCode(body []byte) (code string, gateway bool) {
	if env, ok := decodeGateway(body); ok {
		return env.ErrorCode, true
	}
	if re, ok := legacy.DecodeError(body); ok {
		return re.ReturnCode, false
	}
	if pe, ok := decodePlain(body); ok {
		return pe.code, false
	}
	if se, ok := decodeS3(body); ok {
		return se.Code, false
	}
	return "", false
}

// decodeS3 reads an Object Storage (S3) XML error body.
func decodeS3(body []byte) (objectstorage.Error, bool) {
	var e objectstorage.Error
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '<' || xml.Unmarshal(trimmed, &e) != nil || e.Code == "" {
		return objectstorage.Error{}, false
	}
	return e, true
}

// resultDetails renders the "result" of a failed Global Edge answer for
// Error.Details: a string as it is, anything else as compact JSON (both
// bounded), and "" when it says nothing (absent, null, false, empty).
func resultDetails(raw json.RawMessage) string {
	var compact bytes.Buffer
	if len(raw) == 0 || json.Compact(&compact, raw) != nil {
		return ""
	}
	switch c := compact.String(); c {
	case "null", "false", `""`, "{}", "[]":
		return ""
	default:
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return rawMessage([]byte(s))
		}
		return rawMessage([]byte(c))
	}
}

// rawMessage quotes an unrecognised body, trimmed and bounded.
func rawMessage(body []byte) string {
	s := strings.TrimSpace(string(body))
	if len(s) > maxRawMessage {
		s = s[:maxRawMessage]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "..."
	}
	return s
}
