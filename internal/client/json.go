package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Envelope is how a JSON REST API wraps its successful answers.
type Envelope int

const (
	// EnvelopeContent is {"content": <payload>}, lists also carrying
	// "total": VOD Station and Cloud Functions (ncp-api.md §2, §4).
	EnvelopeContent Envelope = iota + 1
	// EnvelopeResult is {"code":"0000","message":"Success","result":
	// <payload>}: Global Edge (ncp-api.md §3). Any other code is a failure,
	// whatever the HTTP status: the docs pair every failure code with an
	// error status, but the code is what says "Success", so a 2xx answer
	// with another code is not taken for one.
	EnvelopeResult
)

// resultSuccess is the code of a successful EnvelopeResult answer.
const resultSuccess = "0000"

// API describes one JSON REST API for DoJSON: the service name in logs and
// errors, its endpoint, its success envelope and how its service codes map
// to error kinds. Service client packages define one each
// (client/vodstation, client/globaledge, client/cloudfunctions).
type API struct {
	// Service names the API in logs and errors, e.g. "vodstation".
	Service string
	// Endpoint picks the API's base URL from the provider block's
	// endpoints.
	Endpoint func(Endpoints) string
	Envelope Envelope
	// ErrorKinds classifies service codes; codes it does not list take the
	// kind of their HTTP status (and of KindOf).
	ErrorKinds map[string]Kind
	// KindOf classifies an error by its code and message when ErrorKinds
	// does not list the code (nil: no such rule), e.g. Cloud Functions'
	// "*_NOT_FOUND" message names.
	KindOf func(code, message string) (Kind, bool)
	// RetryableCodes are service codes meaning "nothing was done, try
	// again", retried whatever the method.
	RetryableCodes []string
	// LogHiddenFields names the JSON members whose values the bodies of
	// this API logged at TRACE never show (Request.LogHiddenFields).
	LogHiddenFields []string
}

// Idempotency says whether a request may be resent after an ambiguous
// failure (a connection dropped after sending, HTTP 502/503/504).
type Idempotency int

const (
	// ByMethod decides by the HTTP method: GET, HEAD, PUT, DELETE and
	// OPTIONS may be resent, POST and PATCH may not.
	ByMethod Idempotency = iota
	// Idempotent marks a request safe to resend (a POST that only reads).
	Idempotent
	// NotIdempotent marks a request unsafe to resend, such as a PUT that
	// starts work (VOD Station add-files, channel start and stop). GET,
	// HEAD and OPTIONS are resent all the same: they change nothing.
	NotIdempotent
)

// JSONRequest is one call of a JSON REST API.
type JSONRequest struct {
	API *API
	// Operation names the call in logs and errors, e.g. "createChannel".
	Operation string
	// Method is the HTTP method; empty means GET.
	Method string
	// Path is a template starting with "/" whose "{name}" placeholders are
	// replaced, in order, by PathParams, each escaped as one path segment
	// (see BuildPath): "/api/v2/channels/{channelId}/start".
	Path       string
	PathParams []string
	// Query is encoded into the URL (and so signed).
	Query url.Values
	// Body is sent as JSON when not nil, on any method (Global Edge and
	// Cloud Functions take a JSON body on DELETE). It is encoded with
	// encoding/json, HTML characters left as they are; a json.RawMessage
	// is sent as it is.
	Body        any
	Idempotency Idempotency
	// RetryableCodes are retried on top of API.RetryableCodes.
	RetryableCodes []string
	// Sensitive lists values never to show in logs or errors, such as the
	// Cloud Functions parameters that hold secrets (see Request.Sensitive).
	Sensitive []string
}

// JSONResponse describes a successful answer of DoJSON.
type JSONResponse struct {
	StatusCode int
	Header     http.Header
	RequestID  string
	// NoContent: the answer had no body (HTTP 204, or an empty 2xx body);
	// out was left as it was.
	NoContent bool
	// Total is the "total" of an EnvelopeContent list answer, -1 without one.
	Total int
	// Body is the raw answer, for fields beside the envelope (VOD Station's
	// status by file carries categoryId next to content).
	Body []byte
}

// DoJSON sends one call of a JSON REST API and decodes the payload of its
// envelope (content or result) into out, which may be nil. Signing,
// retries, logging and the redaction of secrets are those of Do. A 2xx
// answer without a body is a success (NoContent). Failures are *Error
// values: the API Gateway envelope {"error":{"errorCode","message",
// "details"}}, a Global Edge {"code","message","result"} with a code other
// than "0000" (even under a 2xx status), or any other error status; their
// kind comes from the API's ErrorKinds and KindOf, else from the HTTP
// status. A 2xx answer that does not fit the envelope is an error too, of
// KindAmbiguous when the request was not idempotent (the work was very
// likely done).
func (c *Client) DoJSON(ctx context.Context, req *JSONRequest, out any) (*JSONResponse, error) {
	if req == nil || req.API == nil {
		return nil, errors.New("client.DoJSON: nil request or API")
	}
	api := req.API
	fail := func(err error) error {
		return &Error{Service: api.Service, Operation: req.Operation, Kind: KindValidation, Err: err}
	}
	path, err := BuildPath(req.Path, req.PathParams...)
	if err != nil {
		return nil, fail(err)
	}
	var body []byte
	if req.Body != nil {
		if body, err = encodeJSON(req.Body); err != nil {
			return nil, fail(fmt.Errorf("encoding the request body: %w", err))
		}
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	idempotent := policy{}.idempotentFor(method)
	switch req.Idempotency {
	case Idempotent:
		idempotent = true
	case NotIdempotent:
		idempotent = false
	}
	baseURL := ""
	if api.Endpoint != nil {
		baseURL = api.Endpoint(c.cfg.Endpoints)
	}
	jr := &JSONResponse{Total: -1}
	core := &Request{
		Service: api.Service, Operation: req.Operation, Method: method,
		BaseURL: baseURL, Path: path, Query: req.Query,
		Body: body, ContentType: "application/json",
		Idempotent:      idempotent,
		RetryableCodes:  append(slices.Clone(api.RetryableCodes), req.RetryableCodes...),
		ErrorKinds:      api.ErrorKinds,
		kindOf:          api.KindOf,
		Sensitive:       req.Sensitive,
		LogHiddenFields: api.LogHiddenFields,
	}
	resp, err := c.call(ctx, core, func(resp *Response) *Error {
		return decodeEnvelope(api, req.Operation, resp, idempotent, out, jr)
	})
	if err != nil {
		return nil, err
	}
	jr.StatusCode, jr.Header, jr.RequestID, jr.Body = resp.StatusCode, resp.Header, resp.RequestID, resp.Body
	return jr, nil
}

// encodeJSON encodes v without escaping <, > and & (code in a Cloud
// Functions action stays readable in logs) and without a trailing newline.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// decodeEnvelope unwraps a 2xx answer of api into out and jr; it returns the
// failure the answer carries or the reason it cannot be used.
func decodeEnvelope(api *API, operation string, resp *Response, idempotent bool, out any, jr *JSONResponse) *Error {
	unusable := func(err error) *Error {
		return &Error{Service: api.Service, Operation: operation, HTTPStatus: resp.StatusCode, RequestID: resp.RequestID,
			Message: "unexpected response body", Kind: ambiguousIf(!idempotent), Err: err}
	}
	body := bytes.TrimSpace(resp.Body)
	if len(body) == 0 {
		jr.NoContent = true
		return nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return unusable(fmt.Errorf("not a JSON object: %w", err))
	}
	if gw, ok := decodeGateway(body); ok {
		// An error envelope under a 2xx status: a failure all the same.
		return &Error{Service: api.Service, Operation: operation, HTTPStatus: resp.StatusCode, RequestID: resp.RequestID,
			Code: gw.ErrorCode, Message: gw.Message, Details: gw.Details, Kind: api.kind(gw.ErrorCode, gw.Message)}
	}
	var payload json.RawMessage
	switch api.Envelope {
	case EnvelopeContent:
		content, ok := fields["content"]
		if !ok {
			return unusable(errors.New(`no "content" in the answer`))
		}
		payload = content
		if raw, ok := fields["total"]; ok && !isNull(raw) {
			if err := json.Unmarshal(raw, &jr.Total); err != nil {
				return unusable(fmt.Errorf(`decoding "total": %w`, err))
			}
		}
	case EnvelopeResult:
		code := scalar(fields["code"])
		if code == "" {
			return unusable(errors.New(`no "code" in the answer`))
		}
		if code != resultSuccess {
			var message string
			_ = json.Unmarshal(fields["message"], &message)
			return &Error{Service: api.Service, Operation: operation, HTTPStatus: resp.StatusCode, RequestID: resp.RequestID,
				Code: code, Message: message, Details: resultDetails(fields["result"]), Kind: api.kind(code, message)}
		}
		payload = fields["result"]
	default:
		return unusable(fmt.Errorf("%s: no envelope configured", api.Service))
	}
	if out == nil || len(payload) == 0 || isNull(payload) {
		return nil
	}
	if err := json.Unmarshal(payload, out); err != nil {
		return unusable(fmt.Errorf("decoding the payload: %w", err))
	}
	return nil
}

// isNull reports whether raw is the JSON null.
func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// kind classifies a failure that came with a 2xx status, which says
// nothing about its kind: by ErrorKinds, then KindOf.
func (api *API) kind(code, message string) Kind {
	if k, ok := api.ErrorKinds[code]; ok {
		return k
	}
	if api.KindOf != nil {
		if k, ok := api.KindOf(code, message); ok {
			return k
		}
	}
	return KindUnknown
}

// BuildPath fills the "{name}" placeholders of template, in order, with
// params, each escaped as a single path segment (url.PathEscape: "/", "?",
// "#", "%" and spaces cannot change the path). template must start with
// "/". It refuses a placeholder count that does not match, and a param that
// is empty, "." or "..": each would make the path address another object
// (the collection, or a parent).
func BuildPath(template string, params ...string) (string, error) {
	if !strings.HasPrefix(template, "/") {
		return "", fmt.Errorf("path %q must start with /", template)
	}
	var b strings.Builder
	rest, n := template, 0
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 || end == 1 || strings.ContainsAny(rest[open+1:open+end], "/{") {
			return "", fmt.Errorf("path %q: malformed placeholder", template)
		}
		name := rest[open+1 : open+end]
		if n >= len(params) {
			return "", fmt.Errorf("path %q: no value for {%s}", template, name)
		}
		switch p := params[n]; p {
		case "", ".", "..":
			return "", fmt.Errorf("path %q: {%s} must not be %q", template, name, p)
		default:
			b.WriteString(rest[:open])
			b.WriteString(url.PathEscape(p))
		}
		rest, n = rest[open+end+1:], n+1
	}
	if n != len(params) {
		return "", fmt.Errorf("path %q has %d placeholders for %d values", template, n, len(params))
	}
	return b.String(), nil
}
