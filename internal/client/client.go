package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/framework/journal"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

// DefaultUserAgent is sent when Config.UserAgent is empty.
const DefaultUserAgent = "terraform-provider-ncp"

// Client is one provider block's connection to NCP. It is safe for
// concurrent use. Every request goes through one transport stack:
//
//	retry -> (API Gateway signing, Do only) -> logging -> base transport
//
// so each attempt is signed afresh and logged once.
type Client struct {
	cfg    Config
	signed http.RoundTripper // retry -> sign -> log -> base, used by Do
	http   *http.Client      // retry -> log -> base, handed to the S3 SDK
	now    func() time.Time  // signing clock; replaced in tests
	pacer  *pacer            // throttling pauses, shared by both stacks
	redact *redactor         // hides the keys in errors and logs
	logged *logTransport
}

// New validates cfg, fills the retry defaults and builds the transport stack.
//
// AccessKey and SecretKey must be set. Every endpoint that is set must be an
// absolute http or https URL. A zero MaxRetries, RetryMinDelay or
// RetryMaxDelay takes the Default* value; a negative MaxRetries disables
// retries (Config() then reports -1); a RetryMaxDelay below RetryMinDelay is
// raised to it; a zero AttemptTimeout becomes DefaultAttemptTimeout and a
// negative one means no per-attempt limit (Config() then reports -1); an
// empty UserAgent becomes DefaultUserAgent.
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.AccessKey) == "" {
		return nil, errors.New("NCP access key is empty")
	}
	if strings.TrimSpace(cfg.SecretKey) == "" {
		return nil, errors.New("NCP secret key is empty")
	}
	for _, ep := range []struct{ name, value string }{
		{"Ncloud API", cfg.Endpoints.Ncloud},
		{"VOD Station", cfg.Endpoints.VODStation},
		{"Global Edge", cfg.Endpoints.GlobalEdge},
		{"Cloud Functions", cfg.Endpoints.CloudFunctions},
		{"Object Storage", cfg.Endpoints.ObjectStorage},
	} {
		if ep.value == "" {
			continue
		}
		if err := checkBaseURL(ep.value); err != nil {
			return nil, fmt.Errorf("invalid %s endpoint: %w", ep.name, err)
		}
	}
	if cfg.RetryMinDelay < 0 || cfg.RetryMaxDelay < 0 {
		return nil, errors.New("retry delays must not be negative")
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = -1
	}
	if cfg.RetryMinDelay == 0 {
		cfg.RetryMinDelay = DefaultRetryMinDelay
	}
	if cfg.RetryMaxDelay == 0 {
		cfg.RetryMaxDelay = DefaultRetryMaxDelay
	}
	if cfg.RetryMaxDelay < cfg.RetryMinDelay {
		cfg.RetryMaxDelay = cfg.RetryMinDelay
	}
	switch {
	case cfg.AttemptTimeout == 0:
		cfg.AttemptTimeout = DefaultAttemptTimeout
	case cfg.AttemptTimeout < 0:
		cfg.AttemptTimeout = -1
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}

	base := cfg.HTTPTransport
	if base == nil {
		base = defaultTransport()
	}
	// Only net/http's Transport is known to report through httptrace when
	// it got a connection; for any other base transport every failure after
	// the dial is taken to have happened after the request was sent.
	_, traced := base.(*http.Transport)
	c := &Client{cfg: cfg, now: time.Now, pacer: newPacer(rand.Int64N), redact: newRedactor(cfg.AccessKey, cfg.SecretKey)}
	logged := &logTransport{next: base, redact: c.redact}
	c.logged = logged
	newRetry := func(next http.RoundTripper) *retryTransport {
		return &retryTransport{
			next:       next,
			maxRetries: max(cfg.MaxRetries, 0),
			minDelay:   cfg.RetryMinDelay,
			maxDelay:   cfg.RetryMaxDelay,
			jitter:     rand.Int64N,
			logging:    logged,
			timeout:    max(cfg.AttemptTimeout, 0),
			traced:     traced,
			pacer:      c.pacer,
		}
	}
	c.signed = newRetry(&signTransport{next: logged, client: c})
	c.http = &http.Client{Transport: newRetry(logged)}
	return c, nil
}

// maxIdleConnsPerHost is how many idle connections the default transport
// keeps per host. net/http keeps 2, while OpenTofu refreshes 10 resources
// at a time: most requests would open a new connection (and the server
// accept it) only for it to be closed again.
const maxIdleConnsPerHost = 32

// defaultTransport returns a private copy of http.DefaultTransport, so the
// client's connection pool is its own, keeping maxIdleConnsPerHost idle
// connections per host. Should a program have replaced
// http.DefaultTransport with something other than an *http.Transport, that
// transport is used as it is.
func defaultTransport() http.RoundTripper {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		t = t.Clone()
		t.MaxIdleConnsPerHost = maxIdleConnsPerHost
		return t
	}
	return http.DefaultTransport
}

// checkBaseURL reports whether s is an absolute http(s) URL with a host.
func checkBaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %w", s, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q must be an absolute http:// or https:// URL", s)
	}
	return nil
}

// Config returns the effective configuration (with defaults filled in).
func (c *Client) Config() Config { return c.cfg }

// Attempts is how many times one operation may be tried in all: the first
// try plus MaxRetries. The transport bounds its retries with it, and the
// resources bound their create-and-reconcile loops with it, so the
// provider's max_retries limits every kind of retry.
func (c *Client) Attempts() int { return max(1, c.cfg.MaxRetries+1) }

// Journal returns the provider block's create journal (Config.CreateJournal);
// nil when it is disabled.
func (c *Client) Journal() *journal.Journal { return c.cfg.CreateJournal }

// HTTPClient returns an http.Client with the retrying, logging transport but
// without API Gateway signing. The S3 SDK uses it with its own retryer
// disabled. Mark a request idempotent or not with WithIdempotency; otherwise
// the method decides (see WithIdempotency).
func (c *Client) HTTPClient() *http.Client { return c.http }

// Request is one API Gateway call.
type Request struct {
	// Service and Operation name the call in logs and errors, e.g. "vpc",
	// "createVpc".
	Service, Operation string
	// Method is the HTTP method; empty means GET.
	Method string
	// BaseURL is the service endpoint, e.g. cfg.Endpoints.Ncloud.
	BaseURL string
	// Path starts with "/", e.g. "/vpc/v2/createVpc". It is used as given
	// (already escaped where needed).
	Path string
	// Query is encoded into the URL and is part of the signed RequestURI.
	Query url.Values
	// Body is sent as is; ContentType defaults to application/json when a
	// body is present.
	Body        []byte
	ContentType string
	// Idempotent marks the call safe to resend after an ambiguous failure
	// (a connection dropped after sending, or HTTP 502/503/504). GET, HEAD
	// and OPTIONS are always treated as idempotent.
	Idempotent bool
	// RetryableCodes are service codes meaning "nothing was done, try again"
	// (VPC 1001015 and 3000, Cloud Functions 80031); they are retried
	// whatever the method.
	RetryableCodes []string
	// ErrorKinds overrides the Kind derived from the HTTP status for the
	// given service codes.
	ErrorKinds map[string]Kind
	// kindOf classifies the codes ErrorKinds does not list (API.KindOf).
	kindOf func(code, message string) (Kind, bool)
	// Sensitive lists values that must not be shown: in the request and
	// response bodies logged at TRACE and in the error, they appear as
	// "***" (as is, JSON-escaped or form-encoded), like the keys.
	Sensitive []string
	// LogHiddenFields names JSON object members whose values the request
	// and response bodies logged at TRACE never show, wherever they occur
	// (see hideJSONFields): values the caller cannot list in Sensitive
	// because it does not know them before the answer comes, such as the
	// parameters of an imported object.
	LogHiddenFields []string
}

// Response is a successful (2xx) answer.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	RequestID  string
}

// Do sends req, signing every attempt and retrying as the retry policy
// allows. A 2xx answer is returned as a *Response, except a legacy
// responseError body, which is an error; everything else is an *Error.
// No error shows the secret key, the access key unmasked, or a value of
// req.Sensitive.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	if req == nil {
		return nil, errors.New("client.Do: nil request")
	}
	if ctx == nil {
		return nil, errors.New("client.Do: nil context")
	}
	return c.call(ctx, req, nil)
}

// call is Do with check, which may turn a 2xx answer into an error (nil:
// none). Every error it returns, check's included, is redacted.
func (c *Client) call(ctx context.Context, req *Request, check func(*Response) *Error) (*Response, error) {
	red := c.redact.with(req.Sensitive)
	ctx = c.logged.context(ctx)
	if red != c.redact {
		ctx = maskLogs(ctx, red.logValues())
	}
	resp, e := c.do(ctx, req)
	if e == nil && check != nil {
		e = check(resp)
	}
	if e != nil {
		return nil, red.error(e)
	}
	return resp, nil
}

// do is Do without the redaction of its error.
func (c *Client) do(ctx context.Context, req *Request) (*Response, *Error) {
	hr, idempotent, err := c.newHTTPRequest(ctx, req)
	if err != nil {
		return nil, &Error{Service: req.Service, Operation: req.Operation, Kind: KindValidation, Err: err}
	}
	resp, err := c.signed.RoundTrip(hr)
	if err != nil {
		e := &Error{Service: req.Service, Operation: req.Operation, Err: err}
		var inner *Error
		if errors.As(err, &inner) {
			e.Kind, e.Err = inner.Kind, inner.Err
			e.HTTPStatus, e.RequestID = inner.HTTPStatus, inner.RequestID
		}
		return nil, e
	}
	// The retry layer read the body within the attempt (policy.buffer), so
	// this cannot stall.
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, &Error{Service: req.Service, Operation: req.Operation, HTTPStatus: resp.StatusCode,
			RequestID: requestID(resp.Header), Kind: ambiguousIf(!idempotent), Err: fmt.Errorf("reading response body: %w", err)}
	}
	if e := decodeError(req, resp.StatusCode, resp.Header, body, idempotent); e != nil {
		return nil, e
	}
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: body, RequestID: requestID(resp.Header)}, nil
}

// ambiguousIf returns KindAmbiguous when b holds, KindUnknown otherwise.
func ambiguousIf(b bool) Kind {
	if b {
		return KindAmbiguous
	}
	return KindUnknown
}

// newHTTPRequest builds the wire request of req: URL, body, headers and the
// retry policy in its context, and reports whether it is idempotent. Signing
// happens per attempt in signTransport.
func (c *Client) newHTTPRequest(ctx context.Context, req *Request) (*http.Request, bool, error) {
	if req.BaseURL == "" {
		return nil, false, fmt.Errorf("no endpoint is configured for %s", req.Service)
	}
	if err := checkBaseURL(req.BaseURL); err != nil {
		return nil, false, fmt.Errorf("invalid endpoint: %w", err)
	}
	if !strings.HasPrefix(req.Path, "/") {
		return nil, false, fmt.Errorf("request path %q must start with /", req.Path)
	}
	u, err := url.Parse(strings.TrimSuffix(req.BaseURL, "/") + req.Path)
	if err != nil {
		return nil, false, fmt.Errorf("invalid request path %q: %w", req.Path, err)
	}
	if q := req.Query.Encode(); q != "" {
		if u.RawQuery != "" {
			u.RawQuery += "&"
		}
		u.RawQuery += q
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	pol := policy{codes: req.RetryableCodes, buffer: true}
	idem := req.Idempotent || safeMethod(method)
	pol.idempotent = &idem
	ctx = context.WithValue(ctx, policyKey{}, pol)
	ctx = context.WithValue(ctx, operationKey{}, operation{service: req.Service, name: req.Operation, hidden: req.LogHiddenFields})

	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, false, err
	}
	if len(req.Body) > 0 {
		ct := req.ContentType
		if ct == "" {
			ct = "application/json"
		}
		hr.Header.Set("Content-Type", ct)
	}
	hr.Header.Set("User-Agent", c.cfg.UserAgent)
	if c.cfg.Region != "" {
		hr.Header.Set(apigw.HeaderRegionCode, c.cfg.Region)
	}
	return hr, idem, nil
}

// sign sets the API Gateway signature headers on r: a fresh timestamp, the
// access key and the signature over the exact RequestURI sent on the wire.
func (c *Client) sign(r *http.Request) {
	ts := apigw.Timestamp(c.now())
	r.Header.Set(apigw.HeaderTimestamp, ts)
	r.Header.Set(apigw.HeaderAccessKey, c.cfg.AccessKey)
	r.Header.Set(apigw.HeaderSignatureV2, apigw.Sign(r.Method, r.URL.RequestURI(), ts, c.cfg.AccessKey, c.cfg.SecretKey))
}

// signTransport adds the API Gateway signature headers to every attempt.
type signTransport struct {
	next   http.RoundTripper
	client *Client
}

// RoundTrip signs a copy of r (fresh timestamp) and sends it.
func (t *signTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r2 := r.Clone(r.Context()) // shares r.Body; only the headers differ
	t.client.sign(r2)
	return t.next.RoundTrip(r2)
}

// requestID returns the gateway's (or Object Storage's) request id.
func requestID(h http.Header) string {
	for _, k := range []string{apigw.HeaderRequestID, "x-amz-request-id", apigw.HeaderTraceID} {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}
