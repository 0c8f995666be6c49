package client

import (
	"fmt"
	"testing"
	"time"
)

// testRules are retry rules with a deterministic jitter: the longest delay
// the backoff allows.
func testRules(idempotent bool, codes ...string) retryRules {
	return retryRules{
		idempotent: idempotent, codes: codes, maxRetries: 3,
		minDelay: 10 * time.Millisecond, maxDelay: 80 * time.Millisecond,
		jitter: func(n int64) int64 { return n - 1 },
	}
}

func answer(status int) outcome { return outcome{answered: true, sent: true, status: status} }

func TestClassify(t *testing.T) {
	t.Parallel()
	withCode := func(o outcome, code string, gateway bool) outcome { o.code, o.gateway = code, gateway; return o }
	withRetryAfter := func(o outcome, d time.Duration) outcome { o.retryAfter = d; return o }
	dial := outcome{connLost: true}
	dialTimeout := outcome{connLost: true, timedOut: true}
	dropped := outcome{sent: true, connLost: true}
	droppedTimeout := outcome{sent: true, connLost: true, timedOut: true}
	broken := outcome{sent: true}

	tests := []struct {
		name       string
		o          outcome
		idempotent bool
		codes      []string
		attempt    int
		want       decision
	}{
		// Success and plain error answers are the caller's.
		{"200", answer(200), false, nil, 1, decision{verdict: verdictAccept}},
		{"204", answer(204), true, nil, 1, decision{verdict: verdictAccept}},
		{"400", answer(400), true, nil, 1, decision{verdict: verdictAccept}},
		{"404", answer(404), true, nil, 1, decision{verdict: verdictAccept}},
		{"500 is not retried", answer(500), true, nil, 1, decision{verdict: verdictAccept}},
		{"409 with an unlisted code", withCode(answer(409), "0101", false), true, []string{"80031"}, 1, decision{verdict: verdictAccept}},

		// Nothing was sent: retried whatever the method.
		{"dial failure POST", dial, false, nil, 1, decision{verdict: verdictRetry, reason: "connection failed before sending", delay: 10 * time.Millisecond}},
		{"dial failure attempt 3", dial, false, nil, 3, decision{verdict: verdictRetry, reason: "connection failed before sending", delay: 40 * time.Millisecond}},
		{"timeout before a connection", dialTimeout, false, nil, 1, decision{verdict: verdictRetry, reason: "attempt timed out before sending", delay: 10 * time.Millisecond}},
		{"dial failure, retries spent", dial, true, nil, 4, decision{verdict: verdictFail, reason: "connection failed before sending"}},

		// Lost after sending: retried when idempotent, ambiguous otherwise.
		{"dropped GET", dropped, true, nil, 2, decision{verdict: verdictRetry, reason: "connection failed", delay: 20 * time.Millisecond}},
		{"dropped POST", dropped, false, nil, 1, decision{verdict: verdictAmbiguous}},
		{"timed out GET", droppedTimeout, true, nil, 1, decision{verdict: verdictRetry, reason: "attempt timed out", delay: 10 * time.Millisecond}},
		{"timed out POST", droppedTimeout, false, nil, 1, decision{verdict: verdictAmbiguous}},
		{"dropped POST, retries spent", dropped, false, nil, 4, decision{verdict: verdictAmbiguous}},
		{"dropped GET, retries spent", dropped, true, nil, 4, decision{verdict: verdictFail, reason: "connection failed"}},

		// Other transport errors fail at once.
		{"TLS failure", broken, true, nil, 1, decision{verdict: verdictFail}},
		{"TLS failure POST", broken, false, nil, 1, decision{verdict: verdictFail}},

		// The caller gave up.
		{"canceled GET", outcome{sent: true, connLost: true, canceled: true}, true, nil, 1, decision{verdict: verdictFail}},
		{"canceled POST after sending", outcome{sent: true, canceled: true}, false, nil, 1, decision{verdict: verdictAmbiguous}},
		{"canceled POST before sending", outcome{connLost: true, canceled: true}, false, nil, 1, decision{verdict: verdictFail}},

		// Throttling: retried whatever the method, and pauses the others.
		{"429 POST", answer(429), false, nil, 1,
			decision{verdict: verdictRetry, reason: "throttled", delay: 10 * time.Millisecond, throttled: true, pause: 10 * time.Millisecond}},
		{"429 third attempt", answer(429), true, nil, 3,
			decision{verdict: verdictRetry, reason: "throttled", delay: 40 * time.Millisecond, throttled: true, pause: 40 * time.Millisecond}},
		{"429 Retry-After", withRetryAfter(answer(429), 50*time.Millisecond), false, nil, 1,
			decision{verdict: verdictRetry, reason: "throttled", delay: 50 * time.Millisecond, throttled: true, pause: 50 * time.Millisecond}},
		{"429 Retry-After above the bound", withRetryAfter(answer(429), time.Hour), true, nil, 1,
			decision{verdict: verdictRetry, reason: "throttled", delay: 80 * time.Millisecond, throttled: true, pause: 80 * time.Millisecond}},
		{"429 retries spent", withRetryAfter(answer(429), time.Second), true, nil, 4,
			decision{verdict: verdictAccept, reason: "throttled", throttled: true, pause: 80 * time.Millisecond}},
		{"S3 SlowDown PUT not idempotent", withCode(answer(503), "SlowDown", false), false, nil, 1,
			decision{verdict: verdictRetry, reason: "throttled", delay: 10 * time.Millisecond, throttled: true, pause: 10 * time.Millisecond}},
		{"gateway Throttle Limited", withCode(answer(429), "410", true), false, nil, 2,
			decision{verdict: verdictRetry, reason: "throttled", delay: 20 * time.Millisecond, throttled: true, pause: 20 * time.Millisecond}},
		{"gateway Rate Limited under another status", withCode(answer(400), "420", true), false, nil, 1,
			decision{verdict: verdictRetry, reason: "throttled", delay: 10 * time.Millisecond, throttled: true, pause: 10 * time.Millisecond}},
		{"gateway Quota Exceeded", withCode(answer(429), "400", true), true, nil, 1,
			decision{verdict: verdictRetry, reason: "throttled", delay: 10 * time.Millisecond, throttled: true, pause: 10 * time.Millisecond}},
		{"a legacy code 400 is not the gateway's", withCode(answer(400), "400", false), false, nil, 1, decision{verdict: verdictAccept}},
		{"SlowDown in a gateway envelope is not S3's", withCode(answer(503), "SlowDown", true), false, nil, 1, decision{verdict: verdictAccept}},

		// Service codes meaning "nothing was done, try again".
		{"VPC 1001015 on POST", withCode(answer(400), "1001015", false), false, []string{"1001015", "3000"}, 1,
			decision{verdict: verdictRetry, reason: "retryable service code", delay: 10 * time.Millisecond}},
		{"Cloud Functions 80031", withCode(answer(400), "80031", true), false, []string{"80031"}, 2,
			decision{verdict: verdictRetry, reason: "retryable service code", delay: 20 * time.Millisecond}},
		{"legacy error in a 200", withCode(answer(200), "3000", false), false, []string{"1001015", "3000"}, 1,
			decision{verdict: verdictRetry, reason: "retryable service code", delay: 10 * time.Millisecond}},
		{"code listed, retries spent", withCode(answer(400), "3000", false), false, []string{"3000"}, 4,
			decision{verdict: verdictAccept, reason: "retryable service code"}},
		{"code not listed for this request", withCode(answer(400), "80031", true), false, nil, 1, decision{verdict: verdictAccept}},

		// 502/503/504: retried only when idempotent.
		{"502 GET", answer(502), true, nil, 1, decision{verdict: verdictRetry, reason: "server unavailable", delay: 10 * time.Millisecond}},
		{"503 PUT", answer(503), true, nil, 2, decision{verdict: verdictRetry, reason: "server unavailable", delay: 20 * time.Millisecond}},
		{"504 GET retries spent", answer(504), true, nil, 4, decision{verdict: verdictAccept, reason: "server unavailable"}},
		{"503 POST", answer(503), false, nil, 1, decision{verdict: verdictAccept}},
		{"503 GET honours Retry-After", withRetryAfter(answer(503), 30*time.Millisecond), true, nil, 1,
			decision{verdict: verdictRetry, reason: "server unavailable", delay: 30 * time.Millisecond}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := classify(tc.o, testRules(tc.idempotent, tc.codes...), tc.attempt)
			if got != tc.want {
				t.Errorf("classify(%+v, idempotent=%v, codes=%v, attempt %d)\n got %+v\nwant %+v",
					tc.o, tc.idempotent, tc.codes, tc.attempt, got, tc.want)
			}
		})
	}
}

// TestClassifyInvariants runs classify over every combination of its
// inputs and checks the rules that hold whatever the combination.
func TestClassifyInvariants(t *testing.T) {
	t.Parallel()
	statuses := []int{200, 204, 301, 400, 401, 404, 409, 429, 500, 502, 503, 504}
	codes := []string{"", "SlowDown", "1001015", "400", "410", "420", "80031", "0101"}
	retryAfters := []time.Duration{0, 30 * time.Millisecond, time.Hour}
	bools := []bool{false, true}
	rulesFor := func(idempotent, listed bool) retryRules {
		if listed {
			return testRules(idempotent, "1001015", "80031")
		}
		return testRules(idempotent)
	}

	var outcomes []outcome
	for _, sent := range bools {
		for _, connLost := range bools {
			for _, timedOut := range bools {
				for _, canceled := range bools {
					outcomes = append(outcomes, outcome{sent: sent, connLost: connLost, timedOut: timedOut, canceled: canceled})
				}
			}
		}
	}
	for _, st := range statuses {
		for _, code := range codes {
			for _, gw := range bools {
				for _, ra := range retryAfters {
					outcomes = append(outcomes, outcome{answered: true, sent: true, status: st, code: code, gateway: gw, retryAfter: ra})
				}
			}
		}
	}

	n := 0
	for _, o := range outcomes {
		for _, idempotent := range bools {
			for _, listed := range bools {
				r := rulesFor(idempotent, listed)
				for attempt := 1; attempt <= r.maxRetries+1; attempt++ {
					n++
					d := classify(o, r, attempt)
					where := fmt.Sprintf("classify(%+v, idempotent=%v, listed=%v, attempt %d) = %+v", o, idempotent, listed, attempt, d)
					check := func(ok bool, rule string) {
						t.Helper()
						if !ok {
							t.Errorf("%s: %s", where, rule)
						}
					}
					check(d.verdict != verdictRetry || attempt <= r.maxRetries, "retried beyond the retry budget")
					check(d.verdict != verdictAccept || o.answered, "accepted an attempt without an answer")
					check(d.verdict != verdictAmbiguous || (!idempotent && o.sent), "ambiguous although idempotent or never sent")
					check(d.verdict == verdictRetry || d.delay == 0, "a delay without a retry")
					check(d.delay >= 0 && d.delay <= r.maxDelay, "delay outside [0, maxDelay]")
					check(d.pause >= 0 && d.pause <= r.maxDelay, "pause outside [0, maxDelay]")
					check(d.throttled == (d.pause > 0), "a pause without throttling, or throttling without a pause")
					check(d.verdict != verdictRetry || d.transient(), "retried a failure that is not transient")
					check(!o.canceled || d.verdict == verdictFail || d.verdict == verdictAmbiguous, "went on after the caller gave up")
					check(!d.throttled || o.answered, "throttled without an answer")
					if o.answered && o.throttling() {
						check(d.throttled, "a throttling answer did not pause the client")
					}
					// A non-idempotent request that may have run is never
					// sent again, unless the server said it did nothing.
					if !idempotent && o.sent && d.verdict == verdictRetry {
						check(o.answered && (o.throttling() || (listed && (o.code == "1001015" || o.code == "80031"))),
							"resent a non-idempotent request the server may have carried out")
					}
					// Nothing sent and not abandoned: always worth another try.
					if !o.answered && !o.sent && o.connLost && !o.canceled && attempt <= r.maxRetries {
						check(d.verdict == verdictRetry, "did not retry a request that was never sent")
					}
				}
			}
		}
	}
	if n < 2000 {
		t.Fatalf("only %d combinations checked", n)
	}
}

func TestBackoffCeiling(t *testing.T) {
	t.Parallel()
	want := []time.Duration{10, 20, 40, 80, 100, 100}
	for n, w := range want {
		if got := backoffCeiling(n, 10, 100); got != w {
			t.Errorf("backoffCeiling(%d) = %v, want %v", n, got, w)
		}
	}
	if got := backoffCeiling(3, 0, 100); got != 0 {
		t.Errorf("zero minimum: %v", got)
	}
}
