// Package wait polls an NCP object until it reaches a target status.
//
// The poll interval grows with the time already waited: the first poll comes
// after a short Initial delay, later ones after Fraction of the elapsed time,
// kept between Min and Max. A transition is therefore noticed after a delay
// that is a small, bounded share of the operation's duration, while long
// operations are not polled more often than they need to be.
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

// Config is a polling schedule: the first poll comes Initial after the wait
// starts, every later one Fraction*elapsed after the previous poll, clamped
// to [Min, Max]. The zero Config means DefaultConfig(); otherwise Min is at
// least 1 ms and a Max of zero means no cap.
type Config struct {
	Initial, Min, Max time.Duration
	Fraction          float64
}

// DefaultConfig polls 50 ms after the start, then every 6% of the time
// waited so far, at least every 50 ms and at most every 10 s.
//
// A state change is noticed one interval (plus one request) later, so the
// lag stays within 6% of the time waited once that exceeds about 0.8 s
// (within 10% from 0.5 s on), within 50 ms before that, and within 1 s for
// operations of up to about 16 s. The price is the poll count: about 17
// polls in the first 0.8 s, then one per 6% of growth of the elapsed time
// (about 40 per tenfold), so about 60 polls for a 10 s operation and about
// 110 until the 10 s cap applies at 2.8 minutes; after that 6 per minute
// (about 150 for a 10-minute operation). A larger Fraction or Min trades
// lag for fewer calls.
func DefaultConfig() Config {
	return Config{Initial: 50 * time.Millisecond, Min: 50 * time.Millisecond, Max: 10 * time.Second, Fraction: 0.06}
}

// minInterval keeps a misconfigured schedule from polling in a busy loop.
const minInterval = time.Millisecond

// normalized returns c with unusable values fixed: the zero Config is
// DefaultConfig, Min is at least 1 ms, a non-positive Max means no cap and a
// negative Fraction or Initial counts as zero.
func (c Config) normalized() Config {
	if c == (Config{}) {
		return DefaultConfig()
	}
	c.Min = max(c.Min, minInterval)
	if c.Max <= 0 {
		c.Max = time.Duration(1<<63 - 1)
	}
	c.Max = max(c.Max, c.Min)
	c.Fraction = max(c.Fraction, 0)
	c.Initial = max(c.Initial, 0)
	return c
}

// Interval returns the delay before poll number poll (0-based) when elapsed
// time has passed since the wait started: Initial for the first poll, then
// Fraction*elapsed clamped to [Min, Max].
func (c Config) Interval(poll int, elapsed time.Duration) time.Duration {
	c = c.normalized()
	if poll == 0 {
		return c.Initial
	}
	f := c.Fraction * float64(elapsed)
	if f >= float64(c.Max) {
		return c.Max
	}
	return max(time.Duration(f), c.Min)
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
		obj, st, err := refresh(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return last, timeout()
			}
			if !client.IsTransient(err) {
				return last, fmt.Errorf("waiting for %s: %w", what, err)
			}
			lastErr = err
			timer.Reset(cfg.Interval(poll, time.Since(start)))
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
		timer.Reset(cfg.Interval(poll, time.Since(start)))
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
