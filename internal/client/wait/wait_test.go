package wait

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
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
	cfg := Config{Initial: 7 * time.Millisecond, FirstShare: 0.5, Min: 50 * time.Millisecond, Max: 5 * time.Second, Fraction: 0.24}
	first := []struct {
		name string
		cfg  Config
		want time.Duration
	}{
		{"no typical duration", cfg, 7 * time.Millisecond},
		{"typical 2 s", cfg.WithTypical(2 * time.Second), time.Second},
		{"typical shorter than Initial allows", cfg.WithTypical(10 * time.Millisecond), 7 * time.Millisecond},
		{"typical beyond the cap", cfg.WithTypical(time.Hour), 5 * time.Second},
		{"negative typical", cfg.WithTypical(-time.Second), 7 * time.Millisecond},
		{"FirstShare zero ignores it", Config{Initial: 10 * time.Millisecond, Min: 10 * time.Millisecond, Max: time.Second, Fraction: 0.1}.WithTypical(time.Minute), 10 * time.Millisecond},
		{"default with typical", DefaultConfig().WithTypical(4 * time.Second), 2 * time.Second},
		{"zero Config with typical is the default", Config{}.WithTypical(4 * time.Second), 2 * time.Second},
		{"default without typical", DefaultConfig(), 100 * time.Millisecond},
	}
	for _, tc := range first {
		if got := tc.cfg.Interval(0, 0); got != tc.want {
			t.Errorf("%s: first interval = %v, want %v", tc.name, got, tc.want)
		}
	}
	later := []struct {
		elapsed, want time.Duration
	}{
		{0, 50 * time.Millisecond},
		{200 * time.Millisecond, 50 * time.Millisecond},
		{300 * time.Millisecond, 72 * time.Millisecond},
		{time.Second, 240 * time.Millisecond},
		{10 * time.Second, 2400 * time.Millisecond},
		{20 * time.Second, 4800 * time.Millisecond},
		{time.Minute, 5 * time.Second},
		{time.Duration(1<<63 - 1), 5 * time.Second},
	}
	for _, tc := range later {
		if got := cfg.WithTypical(time.Second).Interval(3, tc.elapsed); got != tc.want {
			t.Errorf("Interval(3, %v) = %v, want %v", tc.elapsed, got, tc.want)
		}
	}
}

// next counts each interval from the start of the previous poll, so a slow
// request does not stretch the schedule, but never polls sooner than Min
// after the previous poll returned.
func TestNext(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	tests := []struct {
		name      string
		sent, now time.Duration
		want      time.Duration
	}{
		{"fast request", 10 * time.Second, 10*time.Second + 10*time.Millisecond, 2390 * time.Millisecond},
		{"slow request", 10 * time.Second, 11 * time.Second, 1400 * time.Millisecond},
		{"request slower than the interval", 10 * time.Second, 13 * time.Second, 20 * time.Millisecond},
		{"early poll", 100 * time.Millisecond, 101 * time.Millisecond, 23 * time.Millisecond},
	}
	for _, tc := range tests {
		if got := cfg.next(1, tc.sent, tc.now); got != tc.want {
			t.Errorf("%s: next(sent %v, now %v) = %v, want %v", tc.name, tc.sent, tc.now, got, tc.want)
		}
	}
}

// simulate runs cfg's schedule with instant polls against an object that
// reaches its target transition after the wait started, and returns the
// number of polls until one sees it and how late that poll came.
func simulate(cfg Config, transition time.Duration) (polls int, lag time.Duration) {
	at := cfg.Interval(0, 0)
	for polls = 1; at < transition; polls++ {
		at += cfg.Interval(polls, at)
	}
	return polls, at - transition
}

// The provider's schedule with the VPC API's typical duration of 2 s: the
// poll counts the benchmarks hold it to (at most 8 for a 2 s transition, 14
// for 10 s) and the lag bound (24% of the transition once it is longer than
// the first poll, and 5 s).
func TestDefaultSchedule(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig().WithTypical(2 * time.Second)
	tests := []struct {
		transition time.Duration
		polls      int
		lag        time.Duration
	}{
		{500 * time.Millisecond, 1, 500 * time.Millisecond}, // shorter than a typical one: seen by the first poll
		{time.Second, 1, 0},
		{2 * time.Second, 5, 364 * time.Millisecond},
		{10 * time.Second, 12, 657 * time.Millisecond},
		{time.Minute, 23, 196 * time.Millisecond},
		{10 * time.Minute, 131, 196 * time.Millisecond},
	}
	for _, tc := range tests {
		polls, lag := simulate(cfg, tc.transition)
		if polls != tc.polls || lag.Round(time.Millisecond) != tc.lag {
			t.Errorf("transition %v: %d polls, lag %v; want %d, %v", tc.transition, polls, lag.Round(time.Millisecond), tc.polls, tc.lag)
		}
	}
	if polls, _ := simulate(cfg, 2*time.Second); polls > 8 {
		t.Errorf("%d polls for a 2 s transition, target 8", polls)
	}
	if polls, _ := simulate(cfg, 10*time.Second); polls > 14 {
		t.Errorf("%d polls for a 10 s transition, target 14", polls)
	}
}

// TestLagBound sweeps transitions from the first poll to an hour, for
// several typical durations: the lag stays within 24% of the transition
// and within 5 s.
func TestLagBound(t *testing.T) {
	t.Parallel()
	for _, typical := range []time.Duration{0, 200 * time.Millisecond, 2 * time.Second, 30 * time.Second} {
		cfg := DefaultConfig().WithTypical(typical)
		first := cfg.Interval(0, 0)
		for transition := first; transition <= time.Hour; transition += transition/50 + time.Millisecond {
			_, lag := simulate(cfg, transition)
			if float64(lag) > 0.24*float64(transition)+float64(time.Microsecond) || lag > 5*time.Second {
				t.Fatalf("typical %v, transition %v: lag %v exceeds min(24%%, 5 s)", typical, transition, lag)
			}
		}
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

// TestThrottlingSlowsEveryWaiter: two waits poll through one client; a 429
// with Retry-After: 1 to a poll of the first holds back the polls of the
// second too, until the pause has passed. The second polls every few
// milliseconds otherwise, so without the shared pause the server would see
// hundreds of its polls in that second; the test allows the one or two
// that may already have been on their way.
func TestThrottlingSlowsEveryWaiter(t *testing.T) {
	t.Parallel()
	var (
		mu          sync.Mutex
		throttledAt time.Time
		during      int // polls of the second wait within the pause
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		switch {
		case r.URL.Path == "/a" && throttledAt.IsZero():
			throttledAt = now
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		case r.URL.Path == "/b" && !throttledAt.IsZero() && now.Sub(throttledAt) < time.Second:
			during++
		}
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{AccessKey: "ak-0123456789", SecretKey: "sk", MaxRetries: 3,
		RetryMinDelay: time.Millisecond, RetryMaxDelay: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	poll := func(path string, status func() string) func(context.Context) (int, string, error) {
		return func(ctx context.Context) (int, string, error) {
			if _, err := c.Do(ctx, &client.Request{BaseURL: srv.URL, Path: path}); err != nil {
				return 0, "", err
			}
			return 0, status(), nil
		}
	}
	var aDone atomic.Bool
	bStatus := func() string {
		if aDone.Load() {
			return "RUN"
		}
		return "CREATING"
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	bErr := make(chan error, 1)
	go func() {
		_, err := Until(ctx, fast, "b", poll("/b", bStatus), []string{"CREATING"}, []string{"RUN"})
		bErr <- err
	}()
	// Let the second wait get going before the first one is throttled.
	time.Sleep(20 * time.Millisecond)
	_, err = Until(ctx, fast, "a", poll("/a", func() string { return "RUN" }), nil, []string{"RUN"})
	aDone.Store(true)
	if err != nil {
		t.Fatalf("first wait: %v", err)
	}
	if err := <-bErr; err != nil {
		t.Fatalf("second wait: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if throttledAt.IsZero() {
		t.Fatal("the first wait was never throttled")
	}
	if during > 2 {
		t.Errorf("the second wait polled %d times during the first one's throttling pause", during)
	}
}
