package client

import (
	"net/http"
	"slices"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// outcome is what one attempt produced, reduced to what the retry decision
// needs. The transport fills it in; classify decides on it alone.
type outcome struct {
	// answered: an HTTP answer arrived and its body (when read within the
	// attempt) could be read. The fields below the blank line describe it.
	answered bool
	// sent: the request may have reached the server. False only when it
	// certainly did not: the dial failed, or no connection was obtained.
	sent bool
	// connLost: the attempt failed on the connection (dial, reset, EOF,
	// timeout, unreadable body), as opposed to any other transport error
	// (a TLS verification failure, an unsupported scheme), which fails the
	// same way however often it is tried.
	connLost bool
	// timedOut: the attempt ran out of Config.AttemptTimeout.
	timedOut bool
	// canceled: the caller's context ended during the attempt.
	canceled bool

	status int
	// code is the service code of the body, in any known envelope.
	code string
	// gateway: code came in an API Gateway error envelope.
	gateway bool
	// retryAfter is the answer's Retry-After; zero when absent or invalid.
	retryAfter time.Duration
}

// retryRules are the request's retry policy and the client's retry budget.
type retryRules struct {
	idempotent         bool
	codes              []string // service codes meaning "nothing was done, try again"
	maxRetries         int
	minDelay, maxDelay time.Duration
	jitter             func(n int64) int64 // uniform in [0, n)
}

// verdict is what the transport does with an attempt.
type verdict int

const (
	// verdictAccept hands the answer to the caller as it is: a success, or
	// an error answer that decodeError turns into an *Error.
	verdictAccept verdict = iota
	// verdictRetry sends the request again after decision.delay.
	verdictRetry
	// verdictAmbiguous fails with an *Error of KindAmbiguous: the request
	// may or may not have been carried out.
	verdictAmbiguous
	// verdictFail fails with the transport error.
	verdictFail
)

// decision is the outcome of classify.
type decision struct {
	verdict verdict
	// reason says why the failure is transient (it would be retried if
	// attempts remained), for logs; "" when it is not.
	reason string
	// delay is the wait before the retry (verdictRetry).
	delay time.Duration
	// throttled: the server asked the client to slow down (HTTP 429, S3
	// SlowDown, an API Gateway quota, throttle or rate code). Every request
	// of the client to that host then waits pause before its next attempt.
	throttled bool
	pause     time.Duration
}

// transient reports whether the failure may pass when the request is made
// again a little later.
func (d decision) transient() bool { return d.reason != "" }

// throttlingCodes are the service codes that answer "too many requests":
// the API Gateway's quota, throttle and rate limits (HTTP 429) and Object
// Storage's SlowDown (HTTP 503). The request was refused, not run, so it is
// resent whatever its idempotency.
var (
	gatewayThrottlingCodes = []string{apigw.CodeQuotaExceeded.Code, apigw.CodeThrottleLimited.Code, apigw.CodeRateLimited.Code}
	s3ThrottlingCode       = objectstorage.CodeSlowDown
)

// throttling reports whether o is a "slow down" answer.
func (o outcome) throttling() bool {
	return o.status == http.StatusTooManyRequests ||
		(o.status == http.StatusServiceUnavailable && !o.gateway && o.code == s3ThrottlingCode) ||
		(o.gateway && slices.Contains(gatewayThrottlingCodes, o.code))
}

// unavailableStatus reports whether status says the service could not
// handle the request (502, 503, 504): it may or may not have run it.
func unavailableStatus(status int) bool {
	return status == http.StatusBadGateway || status == http.StatusServiceUnavailable || status == http.StatusGatewayTimeout
}

// classify decides what to do after attempt number attempt (1-based) of a
// request ended in o. It is a pure function of its arguments (r.jitter is
// the only source of randomness):
//
//   - the caller's context ended: fail; ambiguous if a non-idempotent
//     request may have been sent;
//   - a transport error other than a connection failure: fail at once;
//   - nothing was sent (dial failure, no connection within the attempt
//     timeout): retry;
//   - the connection failed or timed out after the request may have been
//     written: retry when idempotent, ambiguous otherwise;
//   - throttled (HTTP 429, S3 SlowDown, API Gateway codes 400/410/420):
//     retry after Retry-After (bounded by r.maxDelay) or the backoff, and
//     pause the client's other requests to that host;
//   - a body carrying one of r.codes: retry;
//   - HTTP 502/503/504 for an idempotent request: retry (for a
//     non-idempotent one the answer is accepted and decodeError makes it
//     KindAmbiguous);
//   - anything else: accept.
//
// A transient failure on the last allowed attempt (attempt > r.maxRetries)
// is accepted when it is an answer and fails otherwise.
func classify(o outcome, r retryRules, attempt int) decision {
	var d decision
	switch {
	case o.canceled:
		if !r.idempotent && o.sent {
			return decision{verdict: verdictAmbiguous}
		}
		return decision{verdict: verdictFail}
	case !o.answered && !o.connLost:
		return decision{verdict: verdictFail}
	case !o.answered && !o.sent:
		d.reason = "connection failed before sending"
		if o.timedOut {
			d.reason = "attempt timed out before sending"
		}
	case !o.answered && !r.idempotent:
		return decision{verdict: verdictAmbiguous}
	case !o.answered:
		d.reason = "connection failed"
		if o.timedOut {
			d.reason = "attempt timed out"
		}
	case o.throttling():
		d.reason, d.throttled = "throttled", true
	case len(r.codes) > 0 && o.code != "" && slices.Contains(r.codes, o.code):
		d.reason = "retryable service code"
	case r.idempotent && unavailableStatus(o.status):
		d.reason = "server unavailable"
	default:
		return decision{verdict: verdictAccept}
	}

	if o.answered && o.retryAfter > 0 {
		d.delay = min(o.retryAfter, r.maxDelay)
	} else {
		d.delay = backoff(attempt-1, r.minDelay, r.maxDelay, r.jitter)
	}
	if d.throttled {
		// The others wait what the server asked for, or the full backoff
		// ceiling of this attempt (no jitter: a pause is a bound).
		d.pause = d.delay
		if o.retryAfter <= 0 {
			d.pause = backoffCeiling(attempt-1, r.minDelay, r.maxDelay)
		}
	}
	switch {
	case attempt <= r.maxRetries:
		d.verdict = verdictRetry
	case o.answered:
		d.verdict, d.delay = verdictAccept, 0
	default:
		d.verdict, d.delay = verdictFail, 0
	}
	return d
}

// backoffCeiling is min(minDelay*2^n, maxDelay), the bound of backoff(n).
func backoffCeiling(n int, minDelay, maxDelay time.Duration) time.Duration {
	d := minDelay
	for i := 0; i < n && d < maxDelay; i++ {
		d *= 2
	}
	return max(min(d, maxDelay), 0)
}

// backoff returns the delay before retry n (0-based): a uniformly random
// duration in [0, min(minDelay*2^n, maxDelay)] ("full jitter").
func backoff(n int, minDelay, maxDelay time.Duration, jitter func(int64) int64) time.Duration {
	d := backoffCeiling(n, minDelay, maxDelay)
	if d <= 0 {
		return 0
	}
	return time.Duration(jitter(int64(d) + 1))
}
