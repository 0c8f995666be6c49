package client

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// silentListener accepts connections and never reads from or answers them.
// It returns the base URL and the number of connections accepted so far.
func silentListener(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		accepted atomic.Int32
		mu       sync.Mutex
		conns    []net.Conn
		done     = make(chan struct{})
	)
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String(), &accepted
}

// doGuarded runs c.Do and returns its error. It fails the test if Do has
// not returned after a minute: with a silent server only the attempt
// timeout ends Do, and a regression should fail rather than hang until the
// package timeout. The bound guards against hanging; it does not measure
// speed.
func doGuarded(t *testing.T, c *Client, req *Request) error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.Do(ctx, req)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		cancel()
		err := <-done
		t.Fatalf("%s %s: Do still running after a minute; the attempt timeout did not end it (after cancelling: %v)", req.Method, req.Path, err)
		return nil
	}
}

func TestDoAttemptTimeoutRetriesIdempotent(t *testing.T) {
	t.Parallel()
	u, accepted := silentListener(t)
	const timeout = 50 * time.Millisecond
	c := newTestClient(t, func(cfg *Config) { cfg.AttemptTimeout = timeout })
	err := doGuarded(t, c, &Request{Service: "vpc", Operation: "getVpcList", Method: "GET", BaseURL: u, Path: "/"})
	if !errors.Is(err, ErrAttemptTimeout) {
		t.Fatalf("got %v, want an error wrapping ErrAttemptTimeout", err)
	}
	if IsAmbiguous(err) {
		t.Errorf("a GET is never ambiguous: %v", err)
	}
	if !IsTransient(err) {
		t.Errorf("IsTransient(%v) = false", err)
	}
	if got := accepted.Load(); got != 4 {
		t.Errorf("%d connections, want 4 (1 + 3 retries)", got)
	}
}

func TestDoAttemptTimeoutNonIdempotentIsAmbiguous(t *testing.T) {
	t.Parallel()
	u, accepted := silentListener(t)
	c := newTestClient(t, func(cfg *Config) { cfg.AttemptTimeout = 50 * time.Millisecond })
	err := doGuarded(t, c, &Request{Service: "vpc", Operation: "createVpc", Method: "POST",
		BaseURL: u, Path: "/", Body: []byte("x=1")})
	if !IsAmbiguous(err) || !errors.Is(err, ErrAttemptTimeout) {
		t.Fatalf("got %v, want an ambiguous error wrapping ErrAttemptTimeout", err)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%v should not look like the caller's context ending", err)
	}
	if got := accepted.Load(); got != 1 {
		t.Errorf("%d connections, want 1", got)
	}
}

// An attempt that times out before a connection was obtained sent nothing,
// so even a non-idempotent request is retried.
func TestDoAttemptTimeoutBeforeSendingIsRetried(t *testing.T) {
	t.Parallel()
	var dials atomic.Int32
	base := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		dials.Add(1)
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	c := newTestClient(t, func(cfg *Config) {
		cfg.AttemptTimeout = 20 * time.Millisecond
		cfg.HTTPTransport = base
	})
	_, err := c.Do(context.Background(), &Request{Method: "POST", BaseURL: "http://192.0.2.1", Path: "/", Body: []byte("x")})
	if !errors.Is(err, ErrAttemptTimeout) || IsAmbiguous(err) {
		t.Fatalf("got %v, want a plain attempt timeout", err)
	}
	if got := dials.Load(); got != 4 {
		t.Errorf("%d dials, want 4", got)
	}
}

// A body that stalls after the headers is bounded by the attempt too (Do
// reads it within the attempt), and a GET is then retried.
func TestDoStalledBodyIsRetried(t *testing.T) {
	t.Parallel()
	srv, hits := server(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"a":`)
		_ = http.NewResponseController(w).Flush()
		<-r.Context().Done()
	})
	// Attempts are counted as the client sends them: on a loaded machine an
	// attempt's 50 ms may run out before the server has seen it, which is
	// retried all the same.
	var sent atomic.Int32
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})
	c := newTestClient(t, func(cfg *Config) {
		cfg.AttemptTimeout = 50 * time.Millisecond
		cfg.HTTPTransport = base
	})
	_, err := c.Do(context.Background(), &Request{Method: "GET", BaseURL: srv.URL, Path: "/"})
	if !errors.Is(err, ErrAttemptTimeout) || IsAmbiguous(err) {
		t.Fatalf("got %v, want a plain attempt timeout", err)
	}
	if got := sent.Load(); got != 4 {
		t.Errorf("%d attempts, want 4", got)
	}
	if got := hits.Load(); got < 1 || got > 4 {
		t.Errorf("the server saw %d of the 4 attempts, want at least the stalled one", got)
	}
	_, err = c.Do(context.Background(), &Request{Method: "POST", BaseURL: srv.URL, Path: "/", Body: []byte("x")})
	if !IsAmbiguous(err) {
		t.Fatalf("POST with a stalled body: got %v, want an ambiguous error", err)
	}
}

// When the caller's context ends after a non-idempotent request was sent,
// the error is ambiguous and still wraps the context's error.
func TestDoOuterDeadlineAfterSending(t *testing.T) {
	t.Parallel()
	u, _ := silentListener(t)
	c := newTestClient(t, func(cfg *Config) { cfg.AttemptTimeout = time.Hour })
	for _, tc := range []struct {
		method    string
		ambiguous bool
	}{{"POST", true}, {"GET", false}} {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		_, err := c.Do(ctx, &Request{Method: tc.method, BaseURL: u, Path: "/", Body: []byte("x")})
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: %v does not wrap context.DeadlineExceeded", tc.method, err)
		}
		if IsAmbiguous(err) != tc.ambiguous {
			t.Errorf("%s: IsAmbiguous(%v) = %v, want %v", tc.method, err, !tc.ambiguous, tc.ambiguous)
		}
	}
}

// When the caller's context ends before a connection was obtained, nothing
// was sent: not ambiguous.
func TestDoOuterDeadlineBeforeSending(t *testing.T) {
	t.Parallel()
	base := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	}}
	c := newTestClient(t, func(cfg *Config) { cfg.HTTPTransport = base })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := c.Do(ctx, &Request{Method: "POST", BaseURL: "http://192.0.2.1", Path: "/", Body: []byte("x")})
	if !errors.Is(err, context.DeadlineExceeded) || IsAmbiguous(err) {
		t.Fatalf("got %v, want a plain context.DeadlineExceeded", err)
	}
}

// HTTPClient (the S3 SDK) bounds only the time to the response headers: a
// download that takes longer than the attempt timeout still succeeds.
func TestHTTPClientAttemptTimeoutBoundsHeadersOnly(t *testing.T) {
	t.Parallel()
	const timeout = 30 * time.Millisecond
	srv, _ := server(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		// Not textual: the logging layer does not peek at it.
		w.Header().Set("Content-Type", "application/octet-stream")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "first,")
		_ = http.NewResponseController(w).Flush()
		time.Sleep(4 * timeout)
		_, _ = io.WriteString(w, "second")
	})
	c := newTestClient(t, func(cfg *Config) { cfg.AttemptTimeout = timeout })
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || string(b) != "first,second" {
		t.Fatalf("body %q, %v", b, err)
	}

	// No headers within the timeout: retried, then an attempt timeout.
	u, accepted := silentListener(t)
	req, _ = http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
	_, err = c.HTTPClient().Do(req)
	if !errors.Is(err, ErrAttemptTimeout) {
		t.Fatalf("got %v, want ErrAttemptTimeout", err)
	}
	if got := accepted.Load(); got != 4 {
		t.Errorf("%d connections, want 4", got)
	}
}

func TestAttemptTimeoutConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want time.Duration }{
		{0, DefaultAttemptTimeout}, {-5, -1}, {time.Second, time.Second},
	} {
		c, err := New(Config{AccessKey: "ak", SecretKey: "sk", AttemptTimeout: tc.in})
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Config().AttemptTimeout; got != tc.want {
			t.Errorf("AttemptTimeout %v: Config() reports %v, want %v", tc.in, got, tc.want)
		}
		if got := retryOf(t, c.signed).timeout; got != max(tc.want, 0) {
			t.Errorf("AttemptTimeout %v: transport uses %v", tc.in, got)
		}
	}
	if !strings.Contains(ErrAttemptTimeout.Error(), "attempt timeout") {
		t.Error("ErrAttemptTimeout should say what happened")
	}
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
