package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// policyKey is the context key of a request's retry policy.
type policyKey struct{}

// policy is what the retry layer needs to know about one request beyond
// the request itself.
type policy struct {
	idempotent *bool    // nil: decided by the method
	codes      []string // service codes meaning "nothing was done, try again"
	// buffer makes each attempt read the whole response body before its
	// deadline (Do: bodies are small). Without it only error answers
	// (status 300 and up) are read within the attempt; a 2xx body (an S3
	// download) is left to the caller and bounded by its context only.
	buffer bool
}

// WithIdempotency marks the requests sent with ctx through HTTPClient() (the
// S3 SDK) as safe, or not, to resend after an ambiguous failure (a
// connection dropped after the request was written, or HTTP 502/503/504).
// Without it GET, HEAD, PUT, DELETE and OPTIONS are idempotent and POST and
// PATCH are not.
func WithIdempotency(ctx context.Context, idempotent bool) context.Context {
	pol := policyOf(ctx)
	pol.idempotent = &idempotent
	return context.WithValue(ctx, policyKey{}, pol)
}

func policyOf(ctx context.Context) policy {
	pol, _ := ctx.Value(policyKey{}).(policy)
	return pol
}

// idempotentFor reports whether a request with this method may be resent.
func (p policy) idempotentFor(method string) bool {
	if p.idempotent != nil {
		return *p.idempotent
	}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions, "":
		return true
	}
	return false
}

// safeMethod reports whether method never changes server state.
func safeMethod(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// attemptKey is the context key of the attempt number (1-based), for logs.
type attemptKey struct{}

func attemptOf(ctx context.Context) int {
	n, _ := ctx.Value(attemptKey{}).(int)
	return n
}

// maxInspectedBody bounds how much of a response body is read to look for a
// retryable service code.
const maxInspectedBody = 1 << 20

// ErrAttemptTimeout is wrapped by the error of an attempt that got no
// complete answer within Config.AttemptTimeout. For an idempotent request
// (or one that was never sent) the attempt is retried; a non-idempotent
// request that was sent fails with an *Error of KindAmbiguous.
var ErrAttemptTimeout = errors.New("no answer within the attempt timeout")

// errAttemptExpired is the cancellation cause of an attempt's context when
// its deadline passed.
var errAttemptExpired = errors.New("attempt deadline passed")

// retryTransport resends a request while the retry policy allows it:
//
//   - always: dial failures and attempts that timed out before a connection
//     was obtained (nothing was sent), HTTP 429 (honouring Retry-After), S3's
//     503 SlowDown and bodies carrying one of the policy's service codes;
//   - idempotent requests only: HTTP 502/503/504, connections that failed
//     and attempts that timed out after the request may have been written.
//
// Each attempt has its own deadline (timeout; zero means none) covering the
// time to the response headers and, when the body is buffered (see
// policy.buffer), the whole body.
//
// A non-idempotent request whose connection failed or timed out after it may
// have been written returns an *Error of KindAmbiguous; so does one whose
// context ended after it may have been written (the *Error then wraps
// ctx.Err()). When retries run out the last response (or error) is returned
// as is.
type retryTransport struct {
	next               http.RoundTripper
	maxRetries         int
	minDelay, maxDelay time.Duration
	jitter             func(n int64) int64 // uniform in [0, n)
	logging            *logTransport
	timeout            time.Duration // per attempt; zero: no limit
	// traced: the base transport reports GotConn through httptrace, so an
	// attempt that never got a connection is known not to have been sent.
	traced bool
}

// RoundTrip implements http.RoundTripper.
func (t *retryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx := t.logging.context(r.Context())
	pol := policyOf(ctx)
	idempotent := pol.idempotentFor(r.Method)
	getBody, err := replayableBody(r)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		a := t.begin(context.WithValue(ctx, attemptKey{}, attempt))
		ar := r.Clone(a.ctx)
		if getBody != nil {
			if ar.Body, err = getBody(); err != nil {
				a.cancel(nil)
				return nil, fmt.Errorf("rewinding request body: %w", err)
			}
			ar.GetBody = getBody
		}
		resp, err := t.next.RoundTrip(ar)
		if err == nil && resp == nil {
			err = errors.New("transport returned neither a response nor an error")
		}
		buffered, bodyFailed := false, false
		if err == nil && (pol.buffer || resp.StatusCode >= 300) {
			if berr := bufferBody(resp); berr != nil {
				err = fmt.Errorf("reading response body (HTTP %d): %w", resp.StatusCode, berr)
				resp, bodyFailed = nil, true
			}
			buffered = true
		}
		timedOut := a.stop()
		if err == nil && timedOut && !buffered {
			// The headers came just as the deadline passed; the body can
			// no longer be read.
			discard(resp)
			resp, err = nil, errAttemptExpired
		}
		switch {
		case err != nil, buffered:
			a.cancel(nil)
		default:
			// The caller reads the body; its context lives until Close.
			resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: a.cancel}
		}
		// Whether the request may have reached the server.
		sent := bodyFailed || (!isDialError(err) && (!t.traced || a.gotConn.Load()))

		if err != nil && ctx.Err() != nil {
			if !idempotent && sent {
				return nil, &Error{Kind: KindAmbiguous, Err: fmt.Errorf("request abandoned after it was sent: %w", ctx.Err())}
			}
			return nil, fmt.Errorf("request abandoned: %w", ctx.Err())
		}
		if err != nil && timedOut {
			err = fmt.Errorf("%w (%s)", ErrAttemptTimeout, t.timeout)
		}

		var retryAfter time.Duration
		reason := ""
		switch {
		case err != nil && timedOut && !sent:
			reason = "attempt timed out before sending"
		case err != nil && isDialError(err):
			reason = "connection failed before sending"
		case err != nil && (timedOut || bodyFailed || isConnError(err)) && idempotent:
			reason = "connection failed"
			if timedOut {
				reason = "attempt timed out"
			}
		case err != nil && (timedOut || bodyFailed || isConnError(err)):
			return nil, &Error{Kind: KindAmbiguous, Err: err}
		case err != nil:
			return nil, err
		case resp.StatusCode == http.StatusTooManyRequests,
			resp.StatusCode == http.StatusServiceUnavailable && hasCode(resp, throttlingCodes):
			reason = "throttled"
			retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
		case len(pol.codes) > 0 && hasCode(resp, pol.codes):
			reason = "retryable service code"
		case idempotent && (resp.StatusCode == http.StatusBadGateway ||
			resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusGatewayTimeout):
			reason = "server unavailable"
		default:
			return resp, nil
		}
		if attempt > t.maxRetries {
			if err != nil {
				return nil, fmt.Errorf("giving up after %d attempts: %w", attempt, err)
			}
			return resp, nil
		}
		if resp != nil {
			discard(resp)
		}

		delay := backoff(attempt-1, t.minDelay, t.maxDelay, t.jitter)
		if retryAfter > 0 {
			delay = min(retryAfter, t.maxDelay)
		}
		t.logging.retrying(ctx, r, attempt, reason, delay, err)
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, fmt.Errorf("request abandoned while waiting to retry: %w", ctx.Err())
		case <-timer.C:
		}
	}
}

// attemptState is one attempt's context, deadline and connection trace.
type attemptState struct {
	ctx     context.Context
	cancel  context.CancelCauseFunc
	timer   *time.Timer // nil without a per-attempt timeout
	gotConn atomic.Bool // a connection was obtained: the request may have been written
}

// begin starts an attempt: a cancellable child of parent that the
// per-attempt timer cancels, traced for GotConn.
func (t *retryTransport) begin(parent context.Context) *attemptState {
	a := &attemptState{}
	ctx, cancel := context.WithCancelCause(parent)
	a.cancel = cancel
	a.ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { a.gotConn.Store(true) },
	})
	if t.timeout > 0 {
		a.timer = time.AfterFunc(t.timeout, func() { cancel(errAttemptExpired) })
	}
	return a
}

// stop stops the attempt's timer (once) and reports whether it had already
// fired, i.e. the attempt ran out of time.
func (a *attemptState) stop() bool {
	return a.timer != nil && !a.timer.Stop()
}

// cancelOnClose releases an attempt's context when the caller closes the
// response body.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelCauseFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel(nil)
	return err
}

// bufferBody reads resp's whole body into memory and closes the original.
func bufferBody(resp *http.Response) error {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return nil
}

// replayableBody returns a function producing a fresh copy of r's body for
// each attempt, buffering bodies that cannot be rewound (request bodies are
// small). It closes r.Body, as a RoundTripper must.
func replayableBody(r *http.Request) (func() (io.ReadCloser, error), error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	if r.GetBody != nil {
		r.Body.Close()
		return r.GetBody, nil
	}
	b, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("reading request body: %w", err)
	}
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }, nil
}

// backoff returns the delay before retry n (0-based): a uniformly random
// duration in [0, min(minDelay*2^n, maxDelay)] ("full jitter").
func backoff(n int, minDelay, maxDelay time.Duration, jitter func(int64) int64) time.Duration {
	d := minDelay
	for i := 0; i < n && d < maxDelay; i++ {
		d *= 2
	}
	d = min(d, maxDelay)
	if d <= 0 {
		return 0
	}
	return time.Duration(jitter(int64(d) + 1))
}

// parseRetryAfter reads a Retry-After header (seconds or an HTTP date);
// zero when absent or invalid.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// hasCode reports whether resp's body carries one of codes. The inspected
// prefix of the body is put back so the caller still reads all of it.
// throttlingCodes are service codes that answer "too many requests" with a
// status other than 429: Object Storage (S3) throttles with HTTP 503 and
// code SlowDown. Like a 429, the request was refused, not run, so it is
// resent whatever its idempotency.
var throttlingCodes = []string{objectstorage.CodeSlowDown}

func hasCode(resp *http.Response, codes []string) bool {
	body := peekBody(resp, maxInspectedBody)
	code := serviceCode(body)
	return code != "" && slices.Contains(codes, code)
}

// peekBody reads up to limit bytes of resp.Body and puts them back in front
// of the rest.
func peekBody(resp *http.Response, limit int64) []byte {
	if resp.Body == nil || resp.Body == http.NoBody {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit))
	rest := io.Reader(resp.Body)
	if err != nil {
		rest = errReader{err}
	}
	resp.Body = readCloser{io.MultiReader(bytes.NewReader(b), rest), resp.Body}
	return b
}

type readCloser struct {
	io.Reader
	io.Closer
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// discard drains (a bounded amount of) a response body and closes it so the
// connection can be reused.
func discard(resp *http.Response) {
	if resp.Body != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
	}
}

// isDialError reports whether err happened before anything was sent: a
// failed DNS lookup or TCP connect.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// isConnError reports whether err is a connection failure (reset, EOF,
// timeout) that may have happened after the request was written.
func isConnError(err error) bool {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNABORTED) ||
		errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return true
	}
	// net/http does not export these two; they are plain errors.
	msg := err.Error()
	return strings.Contains(msg, "server closed idle connection") ||
		strings.Contains(msg, "transport connection broken")
}
