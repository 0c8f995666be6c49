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
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
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
// service code.
const maxInspectedBody = 1 << 20

// ErrAttemptTimeout is wrapped by the error of an attempt that got no
// complete answer within Config.AttemptTimeout. For an idempotent request
// (or one that was never sent) the attempt is retried; a non-idempotent
// request that was sent fails with an *Error of KindAmbiguous.
var ErrAttemptTimeout = errors.New("no answer within the attempt timeout")

// errAttemptExpired is the cancellation cause of an attempt's context when
// its deadline passed.
var errAttemptExpired = errors.New("attempt deadline passed")

// retryTransport carries out the retry decisions of classify: it sends
// each attempt with its own deadline (timeout; zero means none) covering
// the time to the response headers and, when the body is buffered (see
// policy.buffer), the whole body; it describes what happened as an outcome,
// and it waits before retrying. Before every attempt it waits out any pause
// the shared pacer holds for the host (a throttling answer to any request
// of the client).
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
	pacer  *pacer // shared by every transport of one Client
}

// rules returns the retry rules of a request under policy pol.
func (t *retryTransport) rules(pol policy, method string) retryRules {
	return retryRules{
		idempotent: pol.idempotentFor(method),
		codes:      pol.codes,
		maxRetries: t.maxRetries,
		minDelay:   t.minDelay,
		maxDelay:   t.maxDelay,
		jitter:     t.jitter,
	}
}

// RoundTrip implements http.RoundTripper.
func (t *retryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx := t.logging.context(r.Context())
	pol := policyOf(ctx)
	rules := t.rules(pol, r.Method)
	getBody, err := replayableBody(r)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		if waited, err := t.pacer.wait(ctx, r.URL.Host); err != nil {
			return nil, fmt.Errorf("request abandoned while the client was slowed down by throttling: %w", err)
		} else if waited > 0 {
			t.logging.paused(ctx, r, attempt, waited)
		}
		resp, o, err := t.attempt(ctx, r, getBody, attempt, pol, len(rules.codes) > 0)
		if err != nil && o.timedOut && !o.canceled {
			err = fmt.Errorf("%w (%s)", ErrAttemptTimeout, t.timeout)
		}

		d := classify(o, rules, attempt)
		if d.throttled {
			t.pacer.throttled(r.URL.Host, d.pause)
		}
		switch d.verdict {
		case verdictAccept:
			return resp, nil
		case verdictAmbiguous:
			if o.canceled {
				err = fmt.Errorf("request abandoned after it was sent: %w", ctx.Err())
			}
			return nil, &Error{Kind: KindAmbiguous, Err: err}
		case verdictFail:
			switch {
			case o.canceled:
				return nil, fmt.Errorf("request abandoned: %w", ctx.Err())
			case d.transient():
				return nil, fmt.Errorf("giving up after %d attempts: %w", attempt, err)
			}
			return nil, err
		}
		if resp != nil {
			discard(resp)
		}
		t.logging.retrying(ctx, r, attempt, d.reason, d.delay, err)
		if err := sleepCtx(ctx, d.delay); err != nil {
			return nil, fmt.Errorf("request abandoned while waiting to retry: %w", err)
		}
	}
}

// attempt sends attempt number n of r and describes what happened. It
// returns the response (its body buffered when pol.buffer or the status is
// an error; otherwise left to the caller, whose Close releases the attempt)
// or the transport error. inspect2xx asks for the service code of a 2xx
// body too (the legacy APIs answer some errors with 200).
func (t *retryTransport) attempt(ctx context.Context, r *http.Request, getBody func() (io.ReadCloser, error),
	n int, pol policy, inspect2xx bool,
) (*http.Response, outcome, error) {
	a := t.begin(context.WithValue(ctx, attemptKey{}, n))
	ar := r.Clone(a.ctx)
	if getBody != nil {
		body, err := getBody()
		if err != nil {
			a.cancel(nil)
			return nil, outcome{}, fmt.Errorf("rewinding request body: %w", err)
		}
		ar.Body, ar.GetBody = body, getBody
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
		// The headers came just as the deadline passed; the body can no
		// longer be read.
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

	if err != nil {
		dial := isDialError(err)
		return nil, outcome{
			sent:     bodyFailed || (!dial && (!t.traced || a.gotConn.Load())),
			connLost: dial || timedOut || bodyFailed || isConnError(err),
			timedOut: timedOut,
			canceled: ctx.Err() != nil,
		}, err
	}
	o := outcome{answered: true, sent: true, status: resp.StatusCode}
	switch {
	case resp.StatusCode >= 300:
		o.code, o.gateway = envelopeCode(peekBody(resp, maxInspectedBody))
	case inspect2xx:
		// Only the legacy APIs answer errors with a 2xx status, and only
		// in their responseError envelope: a body without the name is a
		// success and need not be parsed.
		if body := peekBody(resp, maxInspectedBody); bytes.Contains(body, []byte("responseError")) {
			o.code, o.gateway = envelopeCode(body)
		}
	}
	o.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	return resp, o, nil
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
