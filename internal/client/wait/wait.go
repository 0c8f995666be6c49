// Package wait polls an NCP object until it reaches a target status.
//
// A wait's first poll comes after a delay taken from how long the operation
// typically takes (Config.WithTypical); later polls come at a fixed share of
// the time waited so far, so the intervals grow geometrically: a transition
// is noticed after a lag that is a bounded share of its duration, and a
// long operation is not polled more often than it needs to be. Polls sent
// through the client core also wait out any throttling pause of that
// client (a 429, S3 SlowDown or API Gateway rate limit to any of its
// requests), so a throttled provider slows all its waiters at once.
package wait

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
)

// Gone is the status refresh reports when the object no longer exists. List
// it in target to wait for a deletion, in pending to tolerate an object that
// is not visible yet.
const Gone = ""

// Config is a polling schedule. The first poll comes Initial after the wait
// starts, or FirstShare times the operation's typical duration when the wait
// has one (WithTypical) and that is later. Each later poll starts Fraction
// times the time waited (until the previous poll started) after the
// previous poll started, that interval clamped to [Min, Max], and never
// sooner than Min after the previous poll returned. The zero Config means
// DefaultConfig(); otherwise Min is at least 1 ms and a Max of zero means no
// cap.
type Config struct {
	Initial    time.Duration
	FirstShare float64
	Min, Max   time.Duration
	Fraction   float64

	typical time.Duration // the operation's typical duration (WithTypical)
}

// DefaultConfig is the provider's schedule: a wait with a typical duration
// T first polls at T/2 (at 100 ms without one), then every 24% of the time
// waited, at least 20 ms and at most 5 s apart.
//
// A transition is noticed at most one interval plus one request after it
// happened: within 24% of its duration (plus a request) once it lasts
// longer than the first poll, and within 5 s (plus a request) however long
// it lasts. Polls by transition duration, for T = 2 s: 5 for a 2 s
// transition, 12 for 10 s, 23 for a minute, 131 for 10 minutes (beyond
// about 21 s the 5 s cap applies: 12 polls a minute). The schedule it
// replaced (every 6% of the time waited, 10 s at most) took 60 polls for
// 10 s.
func DefaultConfig() Config {
	return Config{Initial: 100 * time.Millisecond, FirstShare: 0.5, Min: 20 * time.Millisecond, Max: 5 * time.Second, Fraction: 0.24}
}

// WithTypical returns c for an operation that typically takes d (zero: not
// known), which sets the first poll (see Config). The typical durations
// are facts of each API (for example vpc.TypicalVpcTransition in the VPC
// client).
func (c Config) WithTypical(d time.Duration) Config {
	c.typical = max(d, 0)
	return c
}

// minInterval keeps a misconfigured schedule from polling in a busy loop.
const minInterval = time.Millisecond

// normalized returns c with unusable values fixed: the zero Config (a
// typical duration aside) is DefaultConfig, Min is at least 1 ms, a
// non-positive Max means no cap and a negative Fraction, FirstShare or
// Initial counts as zero.
func (c Config) normalized() Config {
	if typical := c.typical; c.WithTypical(0) == (Config{}) {
		c = DefaultConfig().WithTypical(typical)
	}
	c.Min = max(c.Min, minInterval)
	if c.Max <= 0 {
		c.Max = time.Duration(1<<63 - 1)
	}
	c.Max = max(c.Max, c.Min)
	c.Fraction = max(c.Fraction, 0)
	c.FirstShare = max(c.FirstShare, 0)
	c.Initial = max(c.Initial, 0)
	return c
}

// Interval returns the delay before poll number poll (0-based): for the
// first, from the start of the wait (Initial, or FirstShare times the
// typical duration when later); for the others, from the start of the
// previous poll, which began elapsed after the start of the wait
// (Fraction*elapsed clamped to [Min, Max]).
func (c Config) Interval(poll int, elapsed time.Duration) time.Duration {
	c = c.normalized()
	if poll == 0 {
		first := c.FirstShare * float64(c.typical)
		if first >= float64(c.Max) {
			return max(c.Max, c.Initial)
		}
		return max(time.Duration(first), c.Initial)
	}
	f := c.Fraction * float64(elapsed)
	if f >= float64(c.Max) {
		return c.Max
	}
	return max(time.Duration(f), c.Min)
}

// next is the delay from now before poll number poll (1-based count of
// polls done), the previous one having started sent and returned now
// (both measured from the start of the wait): Interval after the previous
// start, but at least Min after now.
func (c Config) next(poll int, sent, now time.Duration) time.Duration {
	return max(sent+c.Interval(poll, sent)-now, c.normalized().Min)
}

// TimeoutError is returned when ctx ends before the object reaches a target
// status. It wraps ctx.Err() (only).
type TimeoutError struct {
	// What names the object, e.g. `VPC "12345" to become RUN`.
	What string
	// LastStatus is the status of the last successful poll (Gone, i.e. "",
	// also when nothing was polled).
	LastStatus string
	// LastErr is the transient refresh error of the last poll, if that poll
	// failed; nil when it succeeded.
	LastErr error
	Err     error
	polled  bool
}

// Error explains what was waited for, how far it got, and how to wait longer.
func (e *TimeoutError) Error() string {
	last := "no status was read yet"
	if e.polled || e.LastStatus != Gone {
		last = "last status: " + describe(e.LastStatus)
	}
	if e.LastErr != nil {
		last += "; last poll failed: " + e.LastErr.Error()
	}
	if errors.Is(e.Err, context.DeadlineExceeded) {
		return fmt.Sprintf("timeout while waiting for %s (%s); the limit can be raised in the resource's timeouts block: %v", e.What, last, e.Err)
	}
	return fmt.Sprintf("stopped waiting for %s (%s): %v", e.What, last, e.Err)
}

// Unwrap returns the context error.
func (e *TimeoutError) Unwrap() error { return e.Err }

// Until polls refresh on cfg's schedule until it reports a status in target
// and returns that object. It fails when refresh reports a status that is in
// neither pending nor target, when refresh returns an error that is not
// transient, and when ctx ends (a *TimeoutError, whose LastErr is the error
// of the last poll if that failed). A transient refresh error
// (client.IsTransient: throttling, a 5xx, an ambiguous outcome, an attempt
// timeout or a failed connection, after the client's own retries) does not
// end the wait: polling goes on on the normal schedule. On failure it
// returns the last object refresh returned (possibly the zero T).
func Until[T any](ctx context.Context, cfg Config, what string, refresh func(context.Context) (T, string, error), pending, target []string) (T, error) {
	start := time.Now()
	timer := time.NewTimer(cfg.Interval(0, 0))
	defer timer.Stop()
	var (
		last    T
		status  string
		polled  bool
		lastErr error
	)
	timeout := func() error {
		return &TimeoutError{What: what, LastStatus: status, LastErr: lastErr, Err: ctx.Err(), polled: polled}
	}
	for poll := 1; ; poll++ {
		select {
		case <-ctx.Done():
			return last, timeout()
		case <-timer.C:
		}
		sent := time.Since(start)
		obj, st, err := refresh(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return last, timeout()
			}
			if !client.IsTransient(err) {
				return last, fmt.Errorf("waiting for %s: %w", what, err)
			}
			lastErr = err
			timer.Reset(cfg.next(poll, sent, time.Since(start)))
			continue
		}
		last, status, polled, lastErr = obj, st, true, nil
		switch {
		case slices.Contains(target, st):
			return obj, nil
		case slices.Contains(pending, st):
		default:
			return obj, fmt.Errorf("waiting for %s: unexpected status %s, expected %s (or, while in progress, %s)",
				what, describe(st), describeAll(target), describeAll(pending))
		}
		timer.Reset(cfg.next(poll, sent, time.Since(start)))
	}
}

// describe renders a status for messages.
func describe(status string) string {
	if status == Gone {
		return "gone (not found)"
	}
	return fmt.Sprintf("%q", status)
}

func describeAll(statuses []string) string {
	if len(statuses) == 0 {
		return "none"
	}
	parts := make([]string, len(statuses))
	for i, s := range statuses {
		parts[i] = describe(s)
	}
	return strings.Join(parts, " or ")
}
