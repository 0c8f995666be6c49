package wait

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
)

// fast is a schedule for tests: a poll every millisecond or two.
var fast = Config{Initial: time.Millisecond, Min: time.Millisecond, Max: 2 * time.Millisecond, Fraction: 0.1}

// sequence returns a refresh function reporting the given statuses in turn,
// then the last one forever, with the poll number as the object.
func sequence(statuses ...string) (func(context.Context) (int, string, error), *atomic.Int32) {
	var n atomic.Int32
	return func(context.Context) (int, string, error) {
		i := int(n.Add(1))
		return i, statuses[min(i, len(statuses))-1], nil
	}, &n
}

func TestUntilReachesTarget(t *testing.T) {
	t.Parallel()
	refresh, calls := sequence("INIT", "CREATING", "CREATING", "RUN")
	obj, err := Until(context.Background(), fast, "VPC 1 to become RUN", refresh, []string{"INIT", "CREATING"}, []string{"RUN"})
	if err != nil {
		t.Fatalf("Until: %v", err)
	}
	if obj != 4 || calls.Load() != 4 {
		t.Errorf("got object %d after %d polls, want the 4th poll's object", obj, calls.Load())
	}
}

func TestUntilGoneTarget(t *testing.T) {
	t.Parallel()
	refresh, _ := sequence("RUN", "TERMTING", Gone)
	obj, err := Until(context.Background(), fast, "VPC 1 to be deleted", refresh, []string{"RUN", "TERMTING"}, []string{Gone})
	if err != nil {
		t.Fatalf("Until: %v", err)
	}
	if obj != 3 {
		t.Errorf("got object %d, want 3", obj)
	}
}

func TestUntilUnexpectedStatus(t *testing.T) {
	t.Parallel()
	refresh, calls := sequence("CREATING", "FAILED")
	obj, err := Until(context.Background(), fast, "subnet 7 to become RUN", refresh, []string{"CREATING"}, []string{"RUN"})
	if err == nil {
		t.Fatal("Until succeeded on an unexpected status")
	}
	for _, want := range []string{"subnet 7 to become RUN", `"FAILED"`, `"RUN"`, `"CREATING"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if obj != 2 || calls.Load() != 2 {
		t.Errorf("got object %d after %d polls, want the failing poll's object", obj, calls.Load())
	}
}

func TestUntilUnexpectedGone(t *testing.T) {
	t.Parallel()
	refresh, _ := sequence("CREATING", Gone)
	_, err := Until(context.Background(), fast, "VPC 1 to become RUN", refresh, []string{"CREATING"}, []string{"RUN"})
	if err == nil || !strings.Contains(err.Error(), "gone") {
		t.Fatalf("got %v, want an error saying the object is gone", err)
	}
}

func TestUntilRefreshError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	var calls atomic.Int32
	refresh := func(context.Context) (string, string, error) {
		if calls.Add(1) == 2 {
			return "", "", boom
		}
		return "obj", "CREATING", nil
	}
	obj, err := Until(context.Background(), fast, "VPC 1 to become RUN", refresh, []string{"CREATING"}, []string{"RUN"})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want it to wrap the refresh error", err)
	}
	if !strings.Contains(err.Error(), "VPC 1 to become RUN") {
		t.Errorf("error %q does not say what was waited for", err)
	}
	if obj != "obj" {
		t.Errorf("got object %q, want the last good one", obj)
	}
	var te *TimeoutError
	if errors.As(err, &te) {
		t.Error("a refresh error is not a timeout")
	}
}

// expiringContext is a context whose deadline passes when the test says
// so (expire), not at a wall-clock time a slow (-race) run could reach
// before or after the polls the test means: Err is then
// context.DeadlineExceeded, as for a real deadline.
type expiringContext struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func newExpiringContext() *expiringContext {
	return &expiringContext{Context: context.Background(), done: make(chan struct{})}
}

func (c *expiringContext) expire()               { c.once.Do(func() { close(c.done) }) }
func (c *expiringContext) Done() <-chan struct{} { return c.done }

func (c *expiringContext) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

func TestUntilDeadline(t *testing.T) {
	t.Parallel()
	ctx := newExpiringContext()
	var calls atomic.Int32
	refresh := func(context.Context) (int32, string, error) {
		// The deadline passes during the third poll, which still answers,
		// so the deadline is always seen after a status was read.
		n := calls.Add(1)
		if n >= 3 {
			ctx.expire()
		}
		return n, "CREATING", nil
	}
	_, err := Until(ctx, fast, "VPC 1 to become RUN", refresh, []string{"CREATING"}, []string{"RUN"})
	var te *TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("got %T %v, want *TimeoutError", err, err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%v does not wrap context.DeadlineExceeded", err)
	}
	if te.What != "VPC 1 to become RUN" || te.LastStatus != "CREATING" {
		t.Errorf("got What %q LastStatus %q", te.What, te.LastStatus)
	}
	for _, want := range []string{"VPC 1 to become RUN", `"CREATING"`, "timeouts"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if calls.Load() < 3 {
		t.Errorf("refresh called %d times, want at least 3", calls.Load())
	}
}

// A refresh that fails because ctx ended (as an HTTP call does) is a timeout.
func TestUntilDeadlineDuringRefresh(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	refresh := func(ctx context.Context) (int, string, error) {
		<-ctx.Done()
		return 0, "", ctx.Err()
	}
	_, err := Until(ctx, fast, "edge 3 to deploy", refresh, []string{"DEPLOYING"}, []string{"DEPLOYED"})
	var te *TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a *TimeoutError wrapping context.DeadlineExceeded", err)
	}
	if !strings.Contains(err.Error(), "no status") {
		t.Errorf("error %q should say no status was read", err)
	}
}

func TestUntilCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	refresh, calls := sequence("RUN")
	_, err := Until(ctx, Config{Initial: time.Hour, Min: time.Hour}, "x", refresh, nil, []string{"RUN"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if calls.Load() != 0 {
		t.Errorf("refresh called %d times after cancellation", calls.Load())
	}
}

func TestInterval(t *testing.T) {
	t.Parallel()
	cfg := Config{Initial: 7 * time.Millisecond, Min: 50 * time.Millisecond, Max: 10 * time.Second, Fraction: 0.06}
	if got := cfg.Interval(0, 0); got != 7*time.Millisecond {
		t.Errorf("first interval = %v, want Initial", got)
	}
	tests := []struct {
		elapsed, want time.Duration
	}{
		{0, 50 * time.Millisecond},
		{500 * time.Millisecond, 50 * time.Millisecond},
		{time.Second, 60 * time.Millisecond},
		{10 * time.Second, 600 * time.Millisecond},
		{100 * time.Second, 6 * time.Second},
		{time.Hour, 10 * time.Second},
		{time.Duration(1<<63 - 1), 10 * time.Second},
	}
	for _, tc := range tests {
		if got := cfg.Interval(3, tc.elapsed); got != tc.want {
			t.Errorf("Interval(3, %v) = %v, want %v", tc.elapsed, got, tc.want)
		}
	}
	// Over a simulated schedule, no interval exceeds Fraction*elapsed
	// except where Min applies, and none exceeds Max.
	elapsed := time.Duration(0)
	for poll := 0; poll < 500; poll++ {
		d := cfg.Interval(poll, elapsed)
		if poll > 0 && d > cfg.Min && float64(d) > cfg.Fraction*float64(elapsed)+1 {
			t.Fatalf("poll %d at %v: interval %v exceeds %v*elapsed", poll, elapsed, d, cfg.Fraction)
		}
		if d > cfg.Max {
			t.Fatalf("poll %d: interval %v exceeds Max", poll, d)
		}
		elapsed += d
	}
}

func TestDefaultConfigLag(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	// Simulate polls and check the worst-case lag of a change right after a
	// poll: at most 10% of the time waited (or Min early on), and at most
	// 1 s for operations up to 10 s.
	elapsed := time.Duration(0)
	polls := 0
	for elapsed < 10*time.Minute {
		d := cfg.Interval(polls, elapsed)
		next := elapsed + d
		if next > 500*time.Millisecond && float64(d) > 0.1*float64(next) {
			t.Fatalf("lag %v at %v exceeds 10%%", d, next)
		}
		if next <= 10*time.Second && d > time.Second {
			t.Fatalf("lag %v at %v exceeds 1s", d, next)
		}
		elapsed = next
		polls++
	}
	if polls > 200 {
		t.Errorf("%d polls for 10 minutes; the schedule polls too often", polls)
	}
}

func TestZeroConfigIsDefault(t *testing.T) {
	t.Parallel()
	var zero Config
	for _, e := range []time.Duration{0, time.Second, time.Hour} {
		if zero.Interval(1, e) != DefaultConfig().Interval(1, e) {
			t.Errorf("zero Config differs from DefaultConfig at %v", e)
		}
	}
	// A schedule without Min never busy-loops.
	if d := (Config{Fraction: 0.5}).Interval(1, 0); d <= 0 {
		t.Errorf("interval %v, want a positive floor", d)
	}
}

// A transient refresh error (throttled, 5xx, ambiguous, attempt timeout)
// does not end the wait: polling goes on and then succeeds.
func TestUntilContinuesPastTransientErrors(t *testing.T) {
	t.Parallel()
	transient := []error{
		&client.Error{Service: "vpc", Operation: "getVpcDetail", HTTPStatus: 429, Kind: client.KindThrottled},
		&client.Error{Service: "vpc", Operation: "getVpcDetail", HTTPStatus: 503, Kind: client.KindServer},
		&client.Error{Kind: client.KindAmbiguous},
		&client.Error{Err: fmt.Errorf("giving up after 9 attempts: %w", client.ErrAttemptTimeout)},
	}
	var calls atomic.Int32
	refresh := func(context.Context) (int32, string, error) {
		n := calls.Add(1)
		switch {
		case n == 1:
			return n, "CREATING", nil
		case int(n-2) < len(transient):
			return 0, "", transient[n-2]
		}
		return n, "RUN", nil
	}
	obj, err := Until(context.Background(), fast, "VPC 1 to become RUN", refresh, []string{"CREATING"}, []string{"RUN"})
	if err != nil {
		t.Fatalf("Until: %v", err)
	}
	if want := int32(len(transient) + 2); obj != want || calls.Load() != want {
		t.Errorf("got object %d after %d polls, want %d", obj, calls.Load(), want)
	}
}

// A non-transient refresh error (validation, auth) ends the wait at once.
func TestUntilAbortsOnValidationError(t *testing.T) {
	t.Parallel()
	for _, kind := range []client.Kind{client.KindValidation, client.KindAuth} {
		bad := &client.Error{Service: "vpc", Operation: "getVpcDetail", HTTPStatus: 400, Kind: kind}
		var calls atomic.Int32
		refresh := func(context.Context) (int, string, error) {
			calls.Add(1)
			return 0, "", bad
		}
		_, err := Until(context.Background(), fast, "VPC 1 to become RUN", refresh, []string{"CREATING"}, []string{"RUN"})
		if !errors.Is(err, bad) {
			t.Fatalf("%v: got %v, want the refresh error", kind, err)
		}
		var te *TimeoutError
		if errors.As(err, &te) {
			t.Errorf("%v: a refresh error is not a timeout", kind)
		}
		if calls.Load() != 1 {
			t.Errorf("%v: refresh called %d times, want 1", kind, calls.Load())
		}
	}
}

// When ctx ends while refresh keeps failing transiently, the timeout says
// what the last error was.
func TestUntilDeadlineMentionsLastError(t *testing.T) {
	t.Parallel()
	ctx := newExpiringContext()
	throttled := &client.Error{Service: "vpc", Operation: "getVpcDetail", HTTPStatus: 429, Code: "RateLimited", Kind: client.KindThrottled}
	var calls atomic.Int32
	refresh := func(context.Context) (string, string, error) {
		n := calls.Add(1)
		if n == 1 {
			return "obj", "CREATING", nil
		}
		// Polling goes on through the throttling until the deadline
		// passes, after the third poll has failed.
		if n >= 3 {
			ctx.expire()
		}
		return "", "", throttled
	}
	obj, err := Until(ctx, fast, "VPC 1 to become RUN", refresh, []string{"CREATING"}, []string{"RUN"})
	var te *TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a *TimeoutError wrapping context.DeadlineExceeded", err)
	}
	if te.LastErr != throttled || te.LastStatus != "CREATING" || obj != "obj" {
		t.Errorf("got LastErr %v, LastStatus %q, object %q", te.LastErr, te.LastStatus, obj)
	}
	for _, want := range []string{`"CREATING"`, "RateLimited", "timeouts"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
	if calls.Load() < 3 {
		t.Errorf("refresh called %d times, want polling to go on", calls.Load())
	}
}
