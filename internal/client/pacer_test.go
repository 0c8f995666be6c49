package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// fakeClock is a pacer clock that moves only when the pacer sleeps.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
	// onSleep runs at the start of the first sleep (once).
	onSleep func()
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	hook := c.onSleep
	c.onSleep = nil
	c.mu.Unlock()
	if hook != nil {
		hook()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.t = c.t.Add(d)
	return nil
}

func fakePacer() (*pacer, *fakeClock) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := newPacer(func(n int64) int64 { return n - 1 }) // the longest spread
	p.now, p.sleep = clock.now, clock.sleep
	return p, clock
}

func TestPacerPauses(t *testing.T) {
	t.Parallel()
	p, clock := fakePacer()
	if d := p.remaining("a"); d != 0 {
		t.Fatalf("fresh pacer: remaining %v", d)
	}
	p.throttled("a", 2*time.Second)
	p.throttled("a", time.Second) // shorter: the longer pause stays
	p.throttled("a", 0)
	if d := p.remaining("a"); d != 2*time.Second {
		t.Errorf("remaining = %v, want 2s", d)
	}
	if d := p.remaining("b"); d != 0 {
		t.Errorf("another host is paused for %v", d)
	}
	p.throttled("a", 3*time.Second) // longer: extends
	if d := p.remaining("a"); d != 3*time.Second {
		t.Errorf("remaining after a longer pause = %v, want 3s", d)
	}
	clock.t = clock.t.Add(3 * time.Second)
	if d := p.remaining("a"); d != 0 {
		t.Errorf("remaining after the pause = %v", d)
	}
}

func TestPacerWait(t *testing.T) {
	t.Parallel()
	t.Run("not paused", func(t *testing.T) {
		t.Parallel()
		p, clock := fakePacer()
		if waited, err := p.wait(context.Background(), "a"); waited != 0 || err != nil || len(clock.sleeps) != 0 {
			t.Errorf("wait = %v, %v after sleeps %v", waited, err, clock.sleeps)
		}
	})
	t.Run("paused, with spread", func(t *testing.T) {
		t.Parallel()
		p, clock := fakePacer()
		p.throttled("a", 400*time.Millisecond)
		waited, err := p.wait(context.Background(), "a")
		if len(clock.sleeps) != 1 {
			t.Errorf("slept %v, want one sleep", clock.sleeps)
		}
		// The pause plus a quarter of it (the jitter at its longest).
		if want := 500 * time.Millisecond; waited != want || err != nil {
			t.Errorf("wait = %v, %v; want %v", waited, err, want)
		}
	})
	t.Run("extended while waiting", func(t *testing.T) {
		t.Parallel()
		p, clock := fakePacer()
		p.throttled("a", 400*time.Millisecond)
		clock.onSleep = func() { p.throttled("a", 2*time.Second) }
		waited, err := p.wait(context.Background(), "a")
		if err != nil || waited < 2*time.Second || len(clock.sleeps) != 2 {
			t.Errorf("wait = %v, %v after sleeps %v; want the extended pause waited out in two sleeps", waited, err, clock.sleeps)
		}
		if d := p.remaining("a"); d != 0 {
			t.Errorf("still paused for %v after wait returned", d)
		}
	})
	t.Run("context ends", func(t *testing.T) {
		t.Parallel()
		p, _ := fakePacer()
		p.throttled("a", time.Hour)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := p.wait(ctx, "a"); !errors.Is(err, context.Canceled) {
			t.Errorf("wait = %v, want context.Canceled", err)
		}
	})
}

// TestThrottlingSlowsOtherRequests: a 429 with Retry-After: 1 to one request
// holds back a different request of the same client to the same host (here
// a poll of another waiter) until the pause has passed, not only the retry
// of the request that got it.
func TestThrottlingSlowsOtherRequests(t *testing.T) {
	t.Parallel()
	var (
		mu        sync.Mutex
		throttled time.Time // when the server answered 429
		other     time.Time // when the other request arrived
	)
	sent429 := make(chan struct{})
	srv, _ := server(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case r.URL.Path == "/a" && throttled.IsZero():
			throttled = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			close(sent429)
		case r.URL.Path == "/b":
			other = time.Now()
		}
	})
	c := newTestClient(t, func(cfg *Config) { cfg.RetryMaxDelay = 5 * time.Second })
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}

	errA := make(chan error, 1)
	go func() {
		_, err := c.Do(context.Background(), &Request{Method: "GET", BaseURL: srv.URL, Path: "/a"})
		errA <- err
	}()
	<-sent429
	// Wait until the client has taken the answer in (bounded: the test
	// fails rather than hangs if it never does).
	for deadline := time.Now().Add(10 * time.Second); c.pacer.remaining(u.Host) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the 429 did not pause the client")
		}
	}
	if _, err := c.Do(context.Background(), &Request{Method: "GET", BaseURL: srv.URL, Path: "/b"}); err != nil {
		t.Fatalf("other request: %v", err)
	}
	if err := <-errA; err != nil {
		t.Fatalf("throttled request: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	// The pause began when the client read the 429, after the server sent
	// it, so this lower bound holds however slow the machine is.
	if gap := other.Sub(throttled); gap < time.Second {
		t.Errorf("the other request arrived %v after the 429 with Retry-After: 1", gap)
	}
}
