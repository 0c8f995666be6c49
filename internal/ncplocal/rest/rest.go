// Package rest serves the JSON REST APIs of ncplocal's services behind the
// emulated API Gateway: VOD Station (/api/v2/category, channels, ...),
// Cloud Functions (/ncf/api/v2/... and /api/v2/packages, triggers, ...) and
// Global Edge (/api/v1/...), all on one listener (ncp-api.md §7).
//
// The server in package ncplocal has checked the signature, resolved the
// account and injects faults before a request reaches a Router; it counts
// the call under the operation the route names. A Router matches the
// method and path against a table of patterns ("GET
// /api/v2/channels/{channelId}"; a literal segment beats a wildcard),
// decodes JSON bodies strictly, and writes the service's envelope:
//
//   - Content (VOD Station, Cloud Functions): {"content": v}, lists with
//     "total"; errors in the gateway envelope
//     {"error":{"errorCode","message","details"}};
//   - Result (Global Edge): {"code":"0000","message":"Success","result": v};
//     errors {"code","message","result":null}, or the details as result.
//
// A service embeds *Router (it provides ServeHTTP and PathPrefixes) and
// writes only handlers.
package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

// Envelope is how a service wraps its answers and errors.
type Envelope int

const (
	// Content is VOD Station's and Cloud Functions' envelope (ncp-api.md
	// §2, §4).
	Content Envelope = iota
	// Result is Global Edge's envelope (ncp-api.md §3).
	Result
)

// Global Edge's success code and message (ncp-api.md §3).
const (
	ResultCodeSuccess    = "0000"
	ResultMessageSuccess = "Success"
)

// DefaultMaxBodyBytes bounds a request body unless the Router says
// otherwise.
const DefaultMaxBodyBytes = 1 << 20

// Error is a failed call: the HTTP status and the code, message and details
// of the service's error envelope.
type Error struct {
	Status  int
	Code    string
	Message string
	Details string
}

func (e *Error) Error() string {
	if e.Details != "" {
		return e.Code + " " + e.Message + ": " + e.Details
	}
	return e.Code + " " + e.Message
}

// GatewayError returns an error of the API Gateway's own table (ncp-api.md
// §0.3) with details.
func GatewayError(code apigw.GatewayCode, details string) *Error {
	return &Error{Status: code.HTTPStatus, Code: code.Code, Message: code.Message, Details: details}
}

// Handler serves one route. It answers through the Call (OK, List, ...)
// and returns nil, or returns an error: a *Error is written in the
// service's envelope, any other error is an internal error.
type Handler func(c *Call) error

// Router is one service's route table.
type Router struct {
	service  string
	envelope Envelope
	prefixes []string
	routes   []*route

	// MaxBodyBytes bounds request bodies (DefaultMaxBodyBytes when 0); a
	// larger body gets the gateway's 413.
	MaxBodyBytes int64
	// InvalidBody builds the error for a body that is not the JSON the
	// route expects, or a query parameter out of range; detail names the
	// field. nil means the gateway's 400 "Bad Request Exception".
	InvalidBody func(detail string) *Error
}

// route is one pattern.
type route struct {
	method   string
	segments []string // literal, or "{name}"
	op       string
	h        Handler
}

// NewRouter returns a router for service, answering in envelope, for the
// paths under prefixes (its gateway path prefixes, "/api/v2/channels").
func NewRouter(service string, envelope Envelope, prefixes ...string) *Router {
	return &Router{service: service, envelope: envelope, prefixes: slices.Clone(prefixes)}
}

// PathPrefixes implements emu.GatewayService.
func (rt *Router) PathPrefixes() []string { return slices.Clone(rt.prefixes) }

// Handle registers h for pattern, "METHOD /path/{param}/...", counted as
// operation "<service>:<op>". It panics on a malformed pattern, one outside
// the router's prefixes, or one that repeats another: route tables are
// fixed in code.
func (rt *Router) Handle(pattern, op string, h Handler) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") || op == "" || h == nil {
		panic(fmt.Sprintf("rest: bad route %q", pattern))
	}
	under := false
	for _, p := range rt.prefixes {
		under = under || path == p || strings.HasPrefix(path, strings.TrimSuffix(p, "/")+"/")
	}
	if !under {
		panic(fmt.Sprintf("rest: route %q lies outside the prefixes %v", pattern, rt.prefixes))
	}
	r := &route{method: method, segments: strings.Split(strings.Trim(path, "/"), "/"), op: op, h: h}
	for _, other := range rt.routes {
		if other.method == method && sameShape(other.segments, r.segments) {
			panic(fmt.Sprintf("rest: route %q repeats another", pattern))
		}
	}
	rt.routes = append(rt.routes, r)
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

// sameShape reports whether two patterns match the same paths.
func sameShape(a, b []string) bool {
	return slices.EqualFunc(a, b, func(x, y string) bool { return x == y || (isParam(x) && isParam(y)) })
}

// match returns the route for method and path with its parameters, and
// the methods the path takes when no route of method matches.
func (rt *Router) match(method string, segs []string) (*route, map[string]string, []string) {
	var best *route
	var allowed []string
	for _, r := range rt.routes {
		if len(r.segments) != len(segs) {
			continue
		}
		fits := true
		for i, s := range r.segments {
			if !isParam(s) && s != segs[i] {
				fits = false
				break
			}
		}
		if !fits {
			continue
		}
		if r.method != method {
			allowed = append(allowed, r.method)
			continue
		}
		if best == nil || moreSpecific(r, best) {
			best = r
		}
	}
	if best == nil {
		slices.Sort(allowed)
		return nil, nil, slices.Compact(allowed)
	}
	params := map[string]string{}
	for i, s := range best.segments {
		if isParam(s) {
			params[s[1:len(s)-1]] = segs[i]
		}
	}
	return best, params, nil
}

// moreSpecific reports whether a beats b: the first segment where they
// differ is literal in a.
func moreSpecific(a, b *route) bool {
	for i := range a.segments {
		if pa, pb := isParam(a.segments[i]), isParam(b.segments[i]); pa != pb {
			return !pa
		}
	}
	return false
}

// ServeHTTP implements http.Handler.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	segs, ok := splitPath(r.URL.EscapedPath())
	if !ok {
		rt.writeError(w, GatewayError(apigw.CodeNotFound, "no API is served at "+r.URL.EscapedPath()))
		return
	}
	route, params, allowed := rt.match(r.Method, segs)
	if route == nil {
		details := "no API is served at " + r.Method + " " + r.URL.EscapedPath()
		if len(allowed) > 0 {
			details += " (this path takes " + strings.Join(allowed, ", ") + ")"
		}
		emu.SetOperation(r, "apigw:NotFound")
		rt.writeError(w, GatewayError(apigw.CodeNotFound, details))
		return
	}
	emu.SetOperation(r, rt.service+":"+route.op)
	acct, ok := emu.AccountFrom(r.Context())
	if !ok || acct.ID == "" {
		rt.writeError(w, GatewayError(apigw.CodeUnexpectedError, "internal error: the request carries no authenticated account"))
		return
	}
	c := &Call{Request: r, Account: acct, AccountID: acct.ID, router: rt, w: w, params: params}
	err := route.h(c)
	switch {
	case err != nil && c.written:
		// The answer is out; nothing more can be said.
	case err != nil:
		var e *Error
		if !errors.As(err, &e) {
			e = GatewayError(apigw.CodeUnexpectedError, "internal error: "+err.Error())
		}
		rt.writeError(w, e)
	case !c.written:
		rt.writeError(w, GatewayError(apigw.CodeUnexpectedError, "internal error: the handler of "+route.op+" wrote no answer"))
	}
}

// splitPath splits an escaped path into unescaped segments; false when a
// segment is empty or malformed (the gateway serves only canonical paths).
func splitPath(escaped string) ([]string, bool) {
	parts := strings.Split(strings.TrimPrefix(escaped, "/"), "/")
	for i, p := range parts {
		u, err := url.PathUnescape(p)
		if err != nil || u == "" || u == "." || u == ".." {
			return nil, false
		}
		parts[i] = u
	}
	return parts, true
}

// writeError writes e in the router's envelope.
func (rt *Router) writeError(w http.ResponseWriter, e *Error) {
	WriteError(w, rt.envelope, e)
}

// WriteError writes e in envelope: the gateway envelope for Content, the
// code/message/result envelope for Result.
func WriteError(w http.ResponseWriter, envelope Envelope, e *Error) {
	if envelope == Result {
		// Global Edge's failure answers carry "result": null in the
		// examples; where ncplocal has details (the field a 0040 names),
		// it sends them as the result string, which clients show as the
		// error's details [?].
		var result any
		if e.Details != "" {
			result = e.Details
		}
		emu.WriteJSON(w, e.Status, resultBody{Code: e.Code, Message: e.Message, Result: result})
		return
	}
	emu.WriteJSON(w, e.Status, apigw.ErrorEnvelope{Error: apigw.ErrorBody{ErrorCode: e.Code, Message: e.Message, Details: e.Details}})
}

// resultBody is Global Edge's envelope.
type resultBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Result  any    `json:"result"`
}

// contentBody is VOD Station's and Cloud Functions' envelope.
type contentBody struct {
	Content any  `json:"content"`
	Total   *int `json:"total,omitempty"`
}

// Call is one request to a route.
type Call struct {
	// Request is the HTTP request; its context carries the emu.Account.
	Request *http.Request
	// Account is the caller; AccountID is its ID.
	Account   emu.Account
	AccountID string

	router  *Router
	w       http.ResponseWriter
	params  map[string]string
	written bool
}

// Context is the request's context, for store transactions
// (emu.Store.Update), so the server answers only once the change is
// durable.
func (c *Call) Context() context.Context { return c.Request.Context() }

// Path returns path parameter name ("channelId"), unescaped.
func (c *Call) Path(name string) string { return c.params[name] }

// Query returns query parameter name, "" when absent.
func (c *Call) Query(name string) string { return c.Request.URL.Query().Get(name) }

// Invalid returns the router's error for a bad request field.
func (c *Call) Invalid(format string, args ...any) *Error {
	detail := fmt.Sprintf(format, args...)
	if c.router.InvalidBody != nil {
		return c.router.InvalidBody(detail)
	}
	return GatewayError(apigw.CodeBadRequest, detail)
}

// IntQuery returns integer query parameter name, def when absent; a value
// that is not an integer from min to max is an Invalid error naming it.
func (c *Call) IntQuery(name string, def, minimum, maximum int) (int, error) {
	s := c.Query(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < minimum || n > maximum {
		return 0, c.Invalid("%s must be an integer from %d to %d (got %q)", name, minimum, maximum, s)
	}
	return n, nil
}

// Decode reads the JSON body into v strictly: a body that is empty, not
// JSON, of the wrong type, with a field v does not have, with data after
// the value, or larger than the router allows is an error naming what is
// wrong (the field, as "output.bucketName"). A body declared as something
// other than JSON is refused too; a missing Content-Type is accepted.
func (c *Call) Decode(v any) error {
	if ct := c.Request.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return c.Invalid("the request body must be JSON (Content-Type: application/json), got %q", ct)
		}
	}
	limit := c.router.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	body, err := io.ReadAll(io.LimitReader(c.Request.Body, limit+1))
	if err != nil {
		return c.Invalid("reading the request body: %v", err)
	}
	if int64(len(body)) > limit {
		return GatewayError(apigw.CodeRequestEntityTooLarge, fmt.Sprintf("the request body is larger than %d bytes", limit))
	}
	return decodeJSON(body, v, c.Invalid)
}

// decodeJSON strictly decodes body into v; errors come from invalid.
func decodeJSON(body []byte, v any, invalid func(string, ...any) *Error) error {
	if len(strings.TrimSpace(string(body))) == 0 {
		return invalid("the request body is empty; want a JSON object")
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var (
		typeErr   *json.UnmarshalTypeError
		syntaxErr *json.SyntaxError
	)
	switch {
	case err == nil:
		if _, terr := dec.Token(); !errors.Is(terr, io.EOF) {
			return invalid("unexpected data after the JSON value")
		}
		return nil
	case errors.As(err, &typeErr):
		if typeErr.Field == "" {
			return invalid("the body must be a JSON %s, not %s", jsonKind(typeErr.Type.Kind().String()), typeErr.Value)
		}
		return invalid("field %s: cannot use JSON %s as %s", typeErr.Field, typeErr.Value, jsonKind(typeErr.Type.Kind().String()))
	case errors.As(err, &syntaxErr):
		return invalid("invalid JSON at byte %d: %v", syntaxErr.Offset, err)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return invalid("unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("the JSON body ends too early")
	default:
		return invalid("invalid JSON: %v", err)
	}
}

// jsonKind names a Go kind as JSON calls it.
func jsonKind(k string) string {
	switch k {
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "number"
	case "bool":
		return "boolean"
	}
	return k
}

// OK answers 200 with v in the service's envelope.
func (c *Call) OK(v any) error { return c.Reply(http.StatusOK, v) }

// Reply answers status with v in the service's envelope.
func (c *Call) Reply(status int, v any) error {
	c.written = true
	if c.router.envelope == Result {
		emu.WriteJSON(c.w, status, resultBody{Code: ResultCodeSuccess, Message: ResultMessageSuccess, Result: v})
		return nil
	}
	emu.WriteJSON(c.w, status, contentBody{Content: v})
	return nil
}

// List answers 200 with one page of items and the total number of items:
// {"content": items, "total": total} (Result: the items as result). A nil
// slice is sent as an empty list.
func (c *Call) List(items any, total int) error {
	c.written = true
	if items == nil {
		items = []any{}
	}
	if c.router.envelope == Result {
		emu.WriteJSON(c.w, http.StatusOK, resultBody{Code: ResultCodeSuccess, Message: ResultMessageSuccess, Result: items})
		return nil
	}
	emu.WriteJSON(c.w, http.StatusOK, contentBody{Content: items, Total: &total})
	return nil
}

// NoContent answers 204 with no body.
func (c *Call) NoContent() error {
	c.written = true
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// Page returns page no (from 1) of items, size items per page; a page past
// the end is empty, whatever the numbers.
func Page[T any](items []T, no, size int) []T {
	// The page count is (len-1)/size+1 and the end is start plus what is
	// left: no sum that a huge size could overflow (found by FuzzPage).
	if size <= 0 || no < 1 || len(items) == 0 || no-1 > (len(items)-1)/size {
		return []T{}
	}
	start := (no - 1) * size
	return items[start : start+min(size, len(items)-start)]
}

// FaultAnswer returns e as a "try again" answer for fault injection
// (emu.FaultAnswerer), in envelope: Cloud Functions registers 80031 ("Please
// try again in a few minutes.", HTTP 400) this way.
func FaultAnswer(envelope Envelope, e *Error) emu.FaultAnswer {
	return emu.FaultAnswer{Code: e.Code, Write: func(w http.ResponseWriter, _ *http.Request) {
		WriteError(w, envelope, e)
	}}
}

// ReplyWith answers status with v in the service's envelope and extra
// top-level fields beside it (VOD Station's status by file carries
// categoryId and categoryName beside content, an encoding option's get
// defaultSet). The Result envelope has no such fields: extra is dropped.
func (c *Call) ReplyWith(status int, v any, extra map[string]any) error {
	if c.router.envelope == Result {
		return c.Reply(status, v)
	}
	c.written = true
	body := make(map[string]any, len(extra)+1)
	for k, x := range extra {
		body[k] = x
	}
	body["content"] = v
	emu.WriteJSON(c.w, status, body)
	return nil
}
