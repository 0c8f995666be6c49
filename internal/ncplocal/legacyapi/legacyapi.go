// Package legacyapi serves NCP's legacy "Ncloud API" protocol for the
// emulated VPC and VServer services (ncp-api.md §5.1): GET or POST on
// /<service>/v2/<action>, parameters from the query string and a form body,
// lists numbered name.1, name.2, ..., and answers wrapped in the legacy
// envelope, XML by default and JSON when responseFormatType=json.
//
// A Mux does the protocol work (method, parameters, format, account, region,
// error envelope) and calls one Action per action name; actions only see a
// Call with validated common parameters and return a response value or an
// *Error.
package legacyapi

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
)

// Error is a failed call: the HTTP status and the returnCode/returnMessage of
// the responseError body.
type Error struct {
	Status  int
	Code    string
	Message string
}

// Error implements error.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Fail returns a business error with HTTP 400. NCP answers the legacy API's
// business errors with 400 and a responseError body (the one real body quoted
// by the official provider is a 400, ncp-api.md §0.3); the kind of failure is
// told by the return code, not the status.
func Fail(code, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a CodeInvalidParameter error (HTTP 400).
func Invalid(format string, args ...any) *Error {
	return Fail(legacy.CodeInvalidParameter, format, args...)
}

// Call is one request, after the Mux has checked the protocol and the common
// parameters.
type Call struct {
	// Request is the HTTP request; its context carries the emu.Account.
	Request *http.Request
	// Action is the action name, e.g. "createVpc".
	Action string
	// AccountID is the caller's account.
	AccountID string
	// Format is legacy.FormatJSON or legacy.FormatXML.
	Format string
	// Region is the validated regionCode (the default region when absent).
	Region string
	// RequestID is the requestId of the response.
	RequestID string
	// Params are the merged query and form parameters.
	Params url.Values
}

// Get returns the value of parameter name, or "" when it is absent.
func (c *Call) Get(name string) string { return c.Params.Get(name) }

// Required returns the value of parameter name, or an error when it is
// absent or empty.
func (c *Call) Required(name string) (string, *Error) {
	v := c.Params.Get(name)
	if v == "" {
		return "", Invalid("%s is required for %s", name, c.Action)
	}
	return v, nil
}

// List returns the items of the numbered list parameter name (name.1,
// name.2, ...), nil when absent.
func (c *Call) List(name string) ([]string, *Error) {
	items, err := legacy.List(c.Params, name)
	if err != nil {
		return nil, Invalid("%v", err)
	}
	return items, nil
}

// Enum returns the value of parameter name, which must be one of allowed
// when present; "" when absent. Codes are case-sensitive, as NCP documents
// them in upper case.
func (c *Call) Enum(name string, allowed ...string) (string, *Error) {
	v := c.Params.Get(name)
	if v == "" || slices.Contains(allowed, v) {
		return v, nil
	}
	return "", Invalid("%s must be one of %s (got %q)", name, strings.Join(allowed, ", "), v)
}

// Response returns the common response fields of a successful call listing
// total rows.
func (c *Call) Response(total int) legacy.Response {
	return legacy.Response{
		RequestID:     c.RequestID,
		ReturnCode:    legacy.ReturnCodeSuccess,
		ReturnMessage: "success",
		TotalRows:     total,
	}
}

// Page is the pagination a list call asked for. Size 0 means no pagination:
// every match is returned.
type Page struct {
	No   int
	Size int
}

// Page reads pageNo and pageSize. The guide (DOC:compute-vserver-acg-
// getaccesscontrolgrouplist) documents pageNo as 0-N where 0 and 1 both mean
// the first page, pageSize as 1-1000 and required when pageNo is given; a
// pageSize without pageNo therefore asks for the first page. pageNo is an
// Integer: a value beyond legacy.MaxPageNo is invalid like any other
// malformed number.
func (c *Call) Page() (Page, *Error) {
	var p Page
	no, size := c.Params.Get(legacy.ParamPageNo), c.Params.Get(legacy.ParamPageSize)
	if no != "" {
		n, err := strconv.Atoi(no)
		if err != nil || n < 0 || n > legacy.MaxPageNo {
			return Page{}, Invalid("%s must be an integer from 0 to %d (got %q)", legacy.ParamPageNo, legacy.MaxPageNo, no)
		}
		if size == "" {
			return Page{}, Invalid("%s is required when %s is given", legacy.ParamPageSize, legacy.ParamPageNo)
		}
		p.No = n
	}
	if size != "" {
		n, err := strconv.Atoi(size)
		if err != nil || n < 1 || n > legacy.MaxPageSize {
			return Page{}, Invalid("%s must be an integer from 1 to %d (got %q)", legacy.ParamPageSize, legacy.MaxPageSize, size)
		}
		p.Size = n
	}
	return p, nil
}

// Paginate returns the items of page p. totalRows stays the number of all
// matches, so callers pass len(items) to Response themselves. A page past
// the end is empty; the page's offset is never computed when it would lie
// past the end, so no page number can overflow it.
func Paginate[T any](items []T, p Page) []T {
	if p.Size <= 0 {
		return items
	}
	skip := max(p.No, 1) - 1 // pages before this one
	// There are (len-1)/size+1 pages; no sum here can overflow, whatever
	// the numbers.
	if len(items) == 0 || skip > (len(items)-1)/p.Size {
		return []T{}
	}
	start := skip * p.Size
	return items[start : start+min(p.Size, len(items)-start)]
}

// Action serves one action.
type Action struct {
	// Handle performs the action and returns the response value (a wire
	// list response) or an error.
	Handle func(c *Call) (any, *Error)
	// NoRegion is set for actions that take no regionCode (getRegionList).
	NoRegion bool
}

// Mux serves one legacy service.
type Mux struct {
	// Service is the short name used in operation names ("vpc").
	Service string
	// Prefix is the path prefix, e.g. "/vpc/v2/".
	Prefix string
	// Actions maps action names to their handlers.
	Actions map[string]Action
	// DefaultRegion is the regionCode used when the parameter is absent.
	DefaultRegion string
	// KnownRegion reports whether a regionCode is served.
	KnownRegion func(code string) bool
}

// ServeHTTP implements http.Handler.
//
// Protocol errors are the API Gateway's (ncp-api.md §0.3), answered before
// the service sees the call: a method other than GET or POST is HTTP 400
// code "100" (Bad Request Exception) and a body larger than
// legacy.MaxBodyBytes is HTTP 413 code "430" (Request Entity Too Large),
// both in the gateway envelope {"error":{...}}. An unknown action is HTTP
// 404 with returnCode "300" (Not Found Exception) in the legacy envelope.
// Other parameter errors (a bad escape, a body that is not a form) are
// business errors, CodeInvalidParameter in the legacy envelope, answered in
// the format the query or the raw body asks for (see
// legacy.SniffResponseFormat). A request without an account in its context
// (a server bug) is HTTP 500 with CodeUnknown.
func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action := strings.TrimPrefix(r.URL.Path, m.Prefix)
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		emu.WriteGatewayError(w, apigw.CodeBadRequest,
			fmt.Sprintf("method %s is not allowed for %s%s; use GET or POST", r.Method, m.Prefix, action))
		return
	}
	// Keep what ParseParams reads of the body (at most MaxBodyBytes+1), so
	// that a parameter error can still be answered in the format the body
	// asks for.
	var raw bytes.Buffer
	if r.Body != nil {
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.TeeReader(r.Body, &raw), r.Body}
	}
	params, err := legacy.ParseParams(r)
	if errors.Is(err, legacy.ErrBodyTooLarge) {
		emu.WriteGatewayError(w, apigw.CodeRequestEntityTooLarge,
			fmt.Sprintf("the request body of %s%s is larger than %d bytes", m.Prefix, action, legacy.MaxBodyBytes))
		return
	}
	if err != nil {
		writeError(w, legacy.SniffResponseFormat(r.URL.RawQuery, raw.Bytes()), Invalid("%v", err))
		return
	}
	format, err := legacy.ResponseFormat(params)
	if err != nil {
		writeError(w, legacy.FormatXML, Invalid("%v", err))
		return
	}
	act, ok := m.Actions[action]
	if !ok {
		writeError(w, format, &Error{
			Status:  apigw.CodeNotFound.HTTPStatus,
			Code:    apigw.CodeNotFound.Code,
			Message: fmt.Sprintf("%s: unknown action %q under %s", apigw.CodeNotFound.Message, action, m.Prefix),
		})
		return
	}
	emu.SetOperation(r, m.Service+":"+action)
	account, ok := emu.AccountFrom(r.Context())
	if !ok || account.ID == "" {
		writeError(w, format, &Error{
			Status:  http.StatusInternalServerError,
			Code:    legacy.CodeUnknown,
			Message: "internal error: the request carries no authenticated account",
		})
		return
	}
	c := &Call{
		Request:   r,
		Action:    action,
		AccountID: account.ID,
		Format:    format,
		RequestID: emu.NewRequestID(),
		Params:    params,
	}
	if !act.NoRegion {
		c.Region = params.Get(legacy.ParamRegionCode)
		if c.Region == "" {
			c.Region = m.DefaultRegion
		}
		if m.KnownRegion == nil || !m.KnownRegion(c.Region) {
			writeError(w, format, Invalid("%s %q is not a region this service offers (use %s)", legacy.ParamRegionCode, c.Region, m.DefaultRegion))
			return
		}
	}
	resp, apiErr := act.Handle(c)
	if apiErr != nil {
		writeError(w, format, apiErr)
		return
	}
	body, ctype, err := legacy.Encode(format, action, resp)
	if err != nil {
		writeError(w, format, &Error{Status: http.StatusInternalServerError, Code: legacy.CodeUnknown, Message: "internal error: " + err.Error()})
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// FaultAnswer returns a legacy service's "try again" answer for fault
// injection (emu.FaultAnswerer): a responseError with HTTP 400 and code,
// in the format the request asks for (its query or form body).
func FaultAnswer(code, message string) emu.FaultAnswer {
	return emu.FaultAnswer{Code: code, Write: func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		if r.Body != nil {
			body, _ = io.ReadAll(io.LimitReader(r.Body, legacy.MaxBodyBytes))
		}
		writeError(w, legacy.SniffResponseFormat(r.URL.RawQuery, body), Fail(code, "%s", message))
	}}
}

func writeError(w http.ResponseWriter, format string, e *Error) {
	body, ctype := legacy.EncodeError(format, e.Code, e.Message)
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(e.Status)
	_, _ = w.Write(body)
}
