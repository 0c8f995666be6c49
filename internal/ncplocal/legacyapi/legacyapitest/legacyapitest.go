// Package legacyapitest helps test services built on legacyapi: a
// controllable clock and async delay (emu.ManualClock), and a client that drives a handler
// in-process with an account in the request context and checks that every
// JSON body it gets back is readable by the official Go SDK.
package legacyapitest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
)

// Clock is a manual clock with a settable async delay.
type Clock = emu.ManualClock

// NewClock returns a clock at start with async delay delay.
func NewClock(start time.Time, delay time.Duration) *Clock { return emu.NewManualClock(start, delay) }

// Client calls a handler in-process.
type Client struct {
	// T receives failures of the SDK readability check.
	T testing.TB
	// Handler is the service under test.
	Handler http.Handler
	// Prefix is the service's path prefix, e.g. "/vpc/v2/".
	Prefix string
	// Account is put into every request context; nil sends none.
	Account *emu.Account
}

// NewClient returns a client calling h as account id.
func NewClient(t testing.TB, h http.Handler, prefix, accountID string) *Client {
	return &Client{T: t, Handler: h, Prefix: prefix, Account: &emu.Account{ID: accountID, AccessKey: "AK-" + accountID}}
}

// Result is one response.
type Result struct {
	Status int
	Header http.Header
	Body   []byte
	// Op is the operation name the handler recorded with emu.SetOperation.
	Op string
}

// Do sends one request. When the answer is JSON, Do checks, through
// T.Errorf, that the official SDK's unwrapping expression reads it.
func (c *Client) Do(method, target, contentType, body string) Result {
	c.T.Helper()
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	rec := &emu.OpRecorder{}
	ctx := emu.WithOpRecorder(r.Context(), rec)
	if c.Account != nil {
		ctx = emu.WithAccount(ctx, *c.Account)
	}
	w := httptest.NewRecorder()
	c.Handler.ServeHTTP(w, r.WithContext(ctx))
	res := Result{Status: w.Code, Header: w.Header(), Body: w.Body.Bytes(), Op: rec.Op}
	// The gateway's own error envelope ({"error":{...}}, protocol errors)
	// is not a legacy body; the SDK reports it from the status alone.
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") && !isGatewayError(res.Body) {
		var out map[string]any
		if err := legacy.UnwrapLikeSDK(res.Body, &out); err != nil {
			c.T.Errorf("%s %s: the official SDK cannot read the JSON body %q: %v", method, target, res.Body, err)
		}
	}
	return res
}

// Call POSTs action with params as a form body, asking for JSON.
func (c *Client) Call(action string, params url.Values) Result {
	c.T.Helper()
	v := url.Values{}
	for k, vs := range params {
		v[k] = vs
	}
	v.Set(legacy.ParamResponseFormatType, legacy.FormatJSON)
	return c.Do(http.MethodPost, c.Prefix+action, legacy.ContentTypeForm, v.Encode())
}

// Params builds url.Values from name, value pairs.
func Params(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// Decode checks that r is a successful JSON answer to action (HTTP 200,
// returnCode "0", returnMessage "success", a requestId) and decodes it.
func Decode[T any](t testing.TB, r Result, action string) T {
	t.Helper()
	var out T
	if r.Status != http.StatusOK {
		t.Fatalf("%s: HTTP %d, body %s", action, r.Status, r.Body)
	}
	var common legacy.Response
	if err := legacy.DecodeJSON(r.Body, action, &common); err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	if common.ReturnCode != legacy.ReturnCodeSuccess || common.ReturnMessage != "success" || common.RequestID == "" {
		t.Fatalf("%s: common fields %+v", action, common)
	}
	if err := legacy.DecodeJSON(r.Body, action, &out); err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	return out
}

// ExpectError checks that r is a responseError with HTTP status and
// returnCode code whose message contains every string of contains.
func ExpectError(t testing.TB, r Result, status int, code string, contains ...string) legacy.ResponseError {
	t.Helper()
	re, ok := legacy.DecodeError(r.Body)
	if !ok {
		t.Fatalf("not a responseError body (HTTP %d): %s", r.Status, r.Body)
	}
	if r.Status != status || re.ReturnCode != code {
		t.Errorf("got HTTP %d returnCode %q (%s), want HTTP %d returnCode %q", r.Status, re.ReturnCode, re.ReturnMessage, status, code)
	}
	for _, s := range contains {
		if !strings.Contains(re.ReturnMessage, s) {
			t.Errorf("message %q does not mention %q", re.ReturnMessage, s)
		}
	}
	return re
}

func isGatewayError(body []byte) bool {
	var env apigw.ErrorEnvelope
	return json.Unmarshal(body, &env) == nil && env.Error.ErrorCode != ""
}

// ExpectGatewayError checks that r is the API Gateway error envelope of code
// (its HTTP status and errorCode) whose details contain every string of
// contains.
func ExpectGatewayError(t testing.TB, r Result, code apigw.GatewayCode, contains ...string) apigw.ErrorBody {
	t.Helper()
	var env apigw.ErrorEnvelope
	if err := json.Unmarshal(r.Body, &env); err != nil || env.Error.ErrorCode == "" {
		t.Fatalf("not an API Gateway error envelope (HTTP %d): %s", r.Status, r.Body)
	}
	if r.Status != code.HTTPStatus || env.Error.ErrorCode != code.Code || env.Error.Message != code.Message {
		t.Errorf("got HTTP %d %+v, want HTTP %d errorCode %q message %q", r.Status, env.Error, code.HTTPStatus, code.Code, code.Message)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("gateway error Content-Type = %q", ct)
	}
	for _, s := range contains {
		if !strings.Contains(env.Error.Details, s) {
			t.Errorf("details %q do not mention %q", env.Error.Details, s)
		}
	}
	return env.Error
}

// JSON returns v as indented JSON, for failure messages.
func JSON(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}
