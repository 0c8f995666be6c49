package client

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
)

const (
	testAK = "NCPTESTACCESSKEY0001"
	testSK = "test-secret-key-never-logged-0123456789"
)

// newTestClient returns a client with fast retries (3 at most, 1-5 ms).
func newTestClient(t *testing.T, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{
		AccessKey: testAK, SecretKey: testSK, Region: "KR",
		MaxRetries: 3, RetryMinDelay: time.Millisecond, RetryMaxDelay: 5 * time.Millisecond,
		UserAgent: "ncp-test/1.0",
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// server starts an httptest server whose handler also counts hits.
func server(t *testing.T, h func(hit int, w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(int(hits.Add(1)), w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// hijackClose reads the whole request, then drops the connection without
// answering: the server may have acted on it.
func hijackClose(t *testing.T, w http.ResponseWriter, r *http.Request) {
	_, _ = io.ReadAll(r.Body)
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Errorf("%T cannot be hijacked", w)
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	conn.Close()
}

// verifySignature checks the API Gateway headers of r the way the gateway
// does: the signature is over r.RequestURI exactly as received.
func verifySignature(r *http.Request) error {
	ts := r.Header.Get(apigw.HeaderTimestamp)
	if ts == "" {
		return errors.New("no timestamp")
	}
	if ak := r.Header.Get(apigw.HeaderAccessKey); ak != testAK {
		return errors.New("wrong access key " + ak)
	}
	msg := r.Method + " " + r.RequestURI + "\n" + ts + "\n" + testAK
	mac := hmac.New(sha256.New, []byte(testSK))
	mac.Write([]byte(msg))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if got := r.Header.Get(apigw.HeaderSignatureV2); got != want {
		return errors.New("signature mismatch for " + r.RequestURI)
	}
	return nil
}

func TestSignatureVector(t *testing.T) {
	t.Parallel()
	const (
		method = "GET"
		uri    = "/api/v2/category?pageNo=1&pageSizeNo=1"
		ts     = "1700000000000"
		// Pinned: printf 'GET /api/v2/category?pageNo=1&pageSizeNo=1\n1700000000000\nAK' |
		//   openssl dgst -sha256 -hmac SK -binary | base64
		want = "TMckM0KpBu008ujmEmN6r6nh3tGunPVYEiAGk4/ATUo="
	)
	mac := hmac.New(sha256.New, []byte("SK"))
	mac.Write([]byte(method + " " + uri + "\n" + ts + "\n" + "AK"))
	if got := base64.StdEncoding.EncodeToString(mac.Sum(nil)); got != want {
		t.Fatalf("documented formula gives %s, pinned %s", got, want)
	}
	if got := apigw.Sign(method, uri, ts, "AK", "SK"); got != want {
		t.Fatalf("apigw.Sign = %s, want %s", got, want)
	}

	// The client's signer produces the same headers for the same inputs.
	c := newTestClient(t, func(cfg *Config) { cfg.AccessKey, cfg.SecretKey = "AK", "SK" })
	c.now = func() time.Time { return time.UnixMilli(1700000000000) }
	r := httptest.NewRequest(method, "https://vodstation.apigw.ntruss.com"+uri, nil)
	c.sign(r)
	if r.Header.Get(apigw.HeaderSignatureV2) != want || r.Header.Get(apigw.HeaderTimestamp) != ts ||
		r.Header.Get(apigw.HeaderAccessKey) != "AK" {
		t.Errorf("sign set %v", r.Header)
	}
}

func TestDoSignsExactRequestURI(t *testing.T) {
	t.Parallel()
	var got struct {
		uri, region, ua, ct, body string
	}
	srv, _ := server(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if err := verifySignature(r); err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":{"errorCode":"200","message":"Authentication Failed","details":"` + err.Error() + `"}}`))
			return
		}
		b, _ := io.ReadAll(r.Body)
		got.uri, got.region, got.ua, got.ct, got.body = r.RequestURI, r.Header.Get(apigw.HeaderRegionCode),
			r.Header.Get("User-Agent"), r.Header.Get("Content-Type"), string(b)
		w.Header().Set(apigw.HeaderRequestID, "rid-42")
		_, _ = w.Write([]byte(`{"content":{}}`))
	})
	c := newTestClient(t, nil)
	query := url.Values{"platform": {"vpc"}, "name": {"a b/c&d=é"}, "pageNo": {"1"}}
	resp, err := c.Do(context.Background(), &Request{
		Service: "cloudfunctions", Operation: "putAction", Method: http.MethodPut,
		BaseURL: srv.URL + "/", Path: "/ncf/api/v2/packages/p-1/actions/a_1", Query: query,
		Body: []byte(`{"exec":{}}`), Idempotent: true,
	})
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	wantURI := "/ncf/api/v2/packages/p-1/actions/a_1?" + query.Encode()
	if got.uri != wantURI {
		t.Errorf("server saw %q, want %q", got.uri, wantURI)
	}
	if got.region != "KR" || got.ua != "ncp-test/1.0" || got.ct != "application/json" || got.body != `{"exec":{}}` {
		t.Errorf("server saw region %q, user agent %q, content type %q, body %q", got.region, got.ua, got.ct, got.body)
	}
	if resp.StatusCode != 200 || resp.RequestID != "rid-42" || string(resp.Body) != `{"content":{}}` {
		t.Errorf("got response %+v", resp)
	}
}

func TestDoFreshTimestampPerAttempt(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var stamps []string
	srv, hits := server(t, func(hit int, w http.ResponseWriter, r *http.Request) {
		if err := verifySignature(r); err != nil {
			t.Errorf("attempt %d: %v", hit, err)
		}
		mu.Lock()
		stamps = append(stamps, r.Header.Get(apigw.HeaderTimestamp))
		mu.Unlock()
		if hit < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(`{}`))
	})
	c := newTestClient(t, nil)
	var clock atomic.Int64
	clock.Store(1700000000000)
	c.now = func() time.Time { return time.UnixMilli(clock.Add(1000)) }
	if _, err := c.Do(context.Background(), &Request{Method: "GET", BaseURL: srv.URL, Path: "/vpc/v2/getVpcList"}); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if hits.Load() != 3 {
		t.Fatalf("%d attempts, want 3", hits.Load())
	}
	mu.Lock()
	defer mu.Unlock()
	if stamps[0] == stamps[1] || stamps[1] == stamps[2] || stamps[0] == stamps[2] {
		t.Errorf("timestamps reused across attempts: %v", stamps)
	}
}

func TestDoRetriesThrottlingAndUnavailable(t *testing.T) {
	t.Parallel()
	srv, hits := server(t, func(hit int, w http.ResponseWriter, r *http.Request) {
		switch hit {
		case 1:
			// An hour: the client must bound it by RetryMaxDelay.
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
		case 2:
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			_, _ = w.Write([]byte(`{"ok":true}`))
		}
	})
	c := newTestClient(t, nil)
	// The longest backoff the jitter allows, so that the 503 retry also
	// shows its bound.
	retryOf(t, c.signed).jitter = func(n int64) int64 { return n - 1 }
	maxDelay := c.Config().RetryMaxDelay

	// Do runs in a goroutine so that an unbounded Retry-After fails here,
	// clearly and at once, rather than at the package timeout; the deadline
	// is only a guard against hanging, far above the 5 ms expected.
	var logs bytes.Buffer
	ctx, cancel := context.WithCancel(tflogtest.RootLogger(context.Background(), &logs))
	defer cancel()
	type result struct {
		resp *Response
		err  error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := c.Do(ctx, &Request{Method: "GET", BaseURL: srv.URL, Path: "/api/v2/category"})
		done <- result{resp, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(30 * time.Second):
		cancel()
		<-done
		t.Fatalf("Do still waiting after 30 s (%d attempts): Retry-After: 3600 was not bounded by RetryMaxDelay (%s)", hits.Load(), maxDelay)
	}
	if r.err != nil {
		t.Fatalf("Do: %v", r.err)
	}
	if hits.Load() != 3 || string(r.resp.Body) != `{"ok":true}` {
		t.Errorf("hits %d body %q", hits.Load(), r.resp.Body)
	}

	entries, err := tflogtest.MultilineJSONDecode(&logs)
	if err != nil {
		t.Fatalf("decoding logs: %v", err)
	}
	var delays []float64
	for _, e := range entries {
		if e["@message"] != "Retrying NCP API request" {
			continue
		}
		d, ok := e["delay_ms"].(float64)
		if !ok {
			t.Fatalf("retry entry without delay_ms: %v", e)
		}
		delays = append(delays, d)
		if time.Duration(d)*time.Millisecond > maxDelay {
			t.Errorf("attempt %v (%v): chose a %v ms backoff, above RetryMaxDelay %s", e["attempt"], e["reason"], d, maxDelay)
		}
	}
	if len(delays) != 2 {
		t.Errorf("logged %d retries (%v), want 2", len(delays), delays)
	}
}

func TestDoThrottledPOSTIsRetried(t *testing.T) {
	t.Parallel()
	srv, hits := server(t, func(hit int, w http.ResponseWriter, r *http.Request) {
		if hit == 1 {
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"error":{"errorCode":"420","message":"Rate Limited"}}`))
			return
		}
		_, _ = w.Write([]byte(`{}`))
	})
	c := newTestClient(t, nil)
	if _, err := c.Do(context.Background(), &Request{Method: "POST", BaseURL: srv.URL, Path: "/api/v1/profile"}); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if hits.Load() != 2 {
		t.Errorf("%d attempts, want 2", hits.Load())
	}
}

func TestDoNonIdempotentUnavailableIsAmbiguous(t *testing.T) {
	t.Parallel()
	srv, hits := server(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set(apigw.HeaderRequestID, "rid-503")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"error":{"errorCode":"500","message":"Endpoint Error"}}`))
	})
	c := newTestClient(t, nil)
	_, err := c.Do(context.Background(), &Request{Service: "vpc", Operation: "createVpc", Method: "POST", BaseURL: srv.URL, Path: "/vpc/v2/createVpc"})
	if !IsAmbiguous(err) {
		t.Fatalf("got %v, want an ambiguous error", err)
	}
	if hits.Load() != 1 {
		t.Errorf("non-idempotent request sent %d times", hits.Load())
	}
	var e *Error
	if !errors.As(err, &e) || e.HTTPStatus != 503 || e.Code != "500" || e.RequestID != "rid-503" {
		t.Errorf("got %#v", e)
	}
}

func TestDoDroppedConnection(t *testing.T) {
	t.Parallel()
	t.Run("non-idempotent is ambiguous", func(t *testing.T) {
		t.Parallel()
		srv, hits := server(t, func(_ int, w http.ResponseWriter, r *http.Request) { hijackClose(t, w, r) })
		c := newTestClient(t, nil)
		_, err := c.Do(context.Background(), &Request{Service: "vpc", Operation: "createVpc", Method: "POST",
			BaseURL: srv.URL, Path: "/vpc/v2/createVpc", Body: []byte("vpcName=a"), ContentType: "application/x-www-form-urlencoded"})
		if !IsAmbiguous(err) {
			t.Fatalf("got %v, want an ambiguous error", err)
		}
		var e *Error
		if !errors.As(err, &e) || e.Service != "vpc" || e.Operation != "createVpc" || e.Err == nil {
			t.Errorf("got %#v", e)
		}
		if hits.Load() != 1 {
			t.Errorf("non-idempotent request sent %d times", hits.Load())
		}
	})
	t.Run("idempotent is retried", func(t *testing.T) {
		t.Parallel()
		srv, hits := server(t, func(hit int, w http.ResponseWriter, r *http.Request) {
			if hit == 1 {
				hijackClose(t, w, r)
				return
			}
			_, _ = w.Write([]byte(`{"deleted":true}`))
		})
		c := newTestClient(t, nil)
		resp, err := c.Do(context.Background(), &Request{Method: "POST", BaseURL: srv.URL, Path: "/vpc/v2/deleteVpc",
			Body: []byte("vpcNo=1"), Idempotent: true})
		if err != nil {
			t.Fatalf("Do: %v", err)
		}
		if hits.Load() != 2 || string(resp.Body) != `{"deleted":true}` {
			t.Errorf("hits %d body %q", hits.Load(), resp.Body)
		}
	})
}

func TestDoRetryableServiceCodes(t *testing.T) {
	t.Parallel()
	bodies := map[string]struct {
		status int
		body   []byte
		code   string
	}{
		"legacy json":    {400, legacy.EncodeErrorJSON("1001015", "please try again"), "1001015"},
		"legacy xml":     {400, legacy.EncodeErrorXML("3000", "please try again"), "3000"},
		"gateway":        {500, []byte(`{"error":{"errorCode":"80031","message":"try again"}}`), "80031"},
		"plain":          {400, []byte(`{"returnCode":"3000","returnMessage":"later"}`), "3000"},
		"legacy in 2xx!": {200, legacy.EncodeErrorJSON("1001015", "please try again"), "1001015"},
	}
	for name, tc := range bodies {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, hits := server(t, func(hit int, w http.ResponseWriter, r *http.Request) {
				if b, _ := io.ReadAll(r.Body); string(b) != "subnet=10.0.1.0%2F24" {
					t.Errorf("attempt %d: body %q", hit, b)
				}
				if hit == 1 {
					w.WriteHeader(tc.status)
					_, _ = w.Write(tc.body)
					return
				}
				_, _ = w.Write([]byte(`{"createSubnetResponse": {"returnCode":"0"}}`))
			})
			c := newTestClient(t, nil)
			_, err := c.Do(context.Background(), &Request{Method: "POST", BaseURL: srv.URL, Path: "/vpc/v2/createSubnet",
				Body: []byte("subnet=10.0.1.0%2F24"), ContentType: "application/x-www-form-urlencoded",
				RetryableCodes: []string{"1001015", "3000", "80031"}})
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			if hits.Load() != 2 {
				t.Errorf("%d attempts, want 2", hits.Load())
			}
		})
	}
}

func TestDoOtherCodesNotRetried(t *testing.T) {
	t.Parallel()
	srv, hits := server(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(legacy.EncodeErrorJSON("1000036", "invalid parameter"))
	})
	c := newTestClient(t, nil)
	_, err := c.Do(context.Background(), &Request{Method: "GET", BaseURL: srv.URL, Path: "/vpc/v2/createVpc",
		RetryableCodes: []string{"1001015"}})
	if !IsValidation(err) || hits.Load() != 1 {
		t.Errorf("got %v after %d attempts, want a validation error after 1", err, hits.Load())
	}
}

func TestDoBoundedAttempts(t *testing.T) {
	t.Parallel()
	srv, hits := server(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusGatewayTimeout)
		_, _ = w.Write([]byte("upstream timed out"))
	})
	c := newTestClient(t, nil)
	_, err := c.Do(context.Background(), &Request{Service: "vserver", Operation: "getRegionList", Method: "GET",
		BaseURL: srv.URL, Path: "/vserver/v2/getRegionList"})
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindServer || e.HTTPStatus != 504 || e.Message != "upstream timed out" {
		t.Fatalf("got %#v", err)
	}
	if hits.Load() != 4 {
		t.Errorf("%d attempts, want MaxRetries+1 = 4", hits.Load())
	}

	none := newTestClient(t, func(cfg *Config) { cfg.MaxRetries = -1 })
	hits.Store(0)
	if _, err := none.Do(context.Background(), &Request{Method: "GET", BaseURL: srv.URL, Path: "/"}); err == nil || hits.Load() != 1 {
		t.Errorf("with retries disabled: %v after %d attempts", err, hits.Load())
	}
}

func TestDoCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, hits := server(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		cancel() // the client is now about to wait an hour before retrying
	})
	c := newTestClient(t, func(cfg *Config) { cfg.RetryMinDelay, cfg.RetryMaxDelay = time.Hour, time.Hour })
	retryOf(t, c.signed).jitter = func(n int64) int64 { return n - 1 }
	_, err := c.Do(ctx, &Request{Method: "GET", BaseURL: srv.URL, Path: "/"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if hits.Load() != 1 {
		t.Errorf("%d attempts, want 1", hits.Load())
	}
}

// retryOf returns rt as the *retryTransport at the top of a client's stack.
func retryOf(t *testing.T, rt http.RoundTripper) *retryTransport {
	t.Helper()
	r, ok := rt.(*retryTransport)
	if !ok {
		t.Fatalf("transport is %T, want *retryTransport", rt)
	}
	return r
}

// countingTransport fails every request with err.
type countingTransport struct {
	calls atomic.Int32
	err   error
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.calls.Add(1)
	if r.Body != nil {
		r.Body.Close()
	}
	return nil, t.err
}

func TestDoTransportFailures(t *testing.T) {
	t.Parallel()
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	tests := []struct {
		name      string
		err       error
		method    string
		calls     int32
		ambiguous bool
	}{
		{"dial error retried even for POST", dial, "POST", 4, false},
		{"reset after sending POST", &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}, "POST", 1, true},
		{"EOF on GET retried", io.EOF, "GET", 4, false},
		{"unexpected EOF on POST", io.ErrUnexpectedEOF, "POST", 1, true},
		{"unrelated error not retried", errors.New("bad certificate"), "GET", 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rt := &countingTransport{err: tc.err}
			c := newTestClient(t, func(cfg *Config) { cfg.HTTPTransport = rt })
			_, err := c.Do(context.Background(), &Request{Service: "vpc", Operation: "op", Method: tc.method,
				BaseURL: "http://127.0.0.1:1", Path: "/", Body: []byte("x=1")})
			if !errors.Is(err, tc.err) {
				t.Errorf("error %v does not wrap %v", err, tc.err)
			}
			if IsAmbiguous(err) != tc.ambiguous {
				t.Errorf("IsAmbiguous(%v) = %v", err, !tc.ambiguous)
			}
			if got := rt.calls.Load(); got != tc.calls {
				t.Errorf("%d attempts, want %d", got, tc.calls)
			}
			if !strings.HasPrefix(err.Error(), "vpc op: ") {
				t.Errorf("error %q does not name the operation", err)
			}
		})
	}
}

// onceReader is a body that can be read only once and has no GetBody.
type onceReader struct{ r io.Reader }

func (o *onceReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func TestHTTPClientReplaysNonRewindableBody(t *testing.T) {
	t.Parallel()
	srv, hits := server(t, func(hit int, w http.ResponseWriter, r *http.Request) {
		if b, _ := io.ReadAll(r.Body); string(b) != "<CreateBucketConfiguration/>" {
			t.Errorf("attempt %d: body %q", hit, b)
		}
		if r.Header.Get(apigw.HeaderSignatureV2) != "" || r.Header.Get(apigw.HeaderAccessKey) != "" {
			t.Error("HTTPClient must not add API Gateway signatures")
		}
		if hit == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	c := newTestClient(t, nil)
	req, err := http.NewRequest(http.MethodPut, srv.URL+"/bucket", &onceReader{strings.NewReader("<CreateBucketConfiguration/>")})
	if err != nil {
		t.Fatal(err)
	}
	if req.GetBody != nil {
		t.Fatal("test body should not be rewindable")
	}
	resp, err := c.HTTPClient().Do(req)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || hits.Load() != 2 {
		t.Errorf("status %d after %d attempts", resp.StatusCode, hits.Load())
	}
}

func TestHTTPClientIdempotency(t *testing.T) {
	t.Parallel()
	unavailable := func(_ int, w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }
	tests := []struct {
		name     string
		method   string
		ctx      func(context.Context) context.Context
		attempts int32
	}{
		{"POST by default not retried", "POST", nil, 1},
		{"POST marked idempotent", "POST", func(ctx context.Context) context.Context { return WithIdempotency(ctx, true) }, 4},
		{"PUT by default retried", "PUT", nil, 4},
		{"DELETE marked not idempotent", "DELETE", func(ctx context.Context) context.Context { return WithIdempotency(ctx, false) }, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, hits := server(t, unavailable)
			c := newTestClient(t, nil)
			ctx := context.Background()
			if tc.ctx != nil {
				ctx = tc.ctx(ctx)
			}
			req, _ := http.NewRequestWithContext(ctx, tc.method, srv.URL+"/b", nil)
			resp, err := c.HTTPClient().Do(req)
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			resp.Body.Close()
			if resp.StatusCode != 503 || hits.Load() != tc.attempts {
				t.Errorf("status %d after %d attempts, want 503 after %d", resp.StatusCode, hits.Load(), tc.attempts)
			}
		})
	}

	t.Run("dropped POST is ambiguous", func(t *testing.T) {
		t.Parallel()
		srv, hits := server(t, func(_ int, w http.ResponseWriter, r *http.Request) { hijackClose(t, w, r) })
		c := newTestClient(t, nil)
		resp, err := c.HTTPClient().Post(srv.URL+"/b?delete", "application/xml", strings.NewReader("<Delete/>"))
		if err == nil {
			resp.Body.Close()
		}
		if !IsAmbiguous(err) || hits.Load() != 1 {
			t.Errorf("got %v after %d attempts, want an ambiguous error after 1", err, hits.Load())
		}
	})
}

func TestNew(t *testing.T) {
	t.Parallel()
	ok := Config{AccessKey: "ak", SecretKey: "sk"}
	c, err := New(ok)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	got := c.Config()
	if got.MaxRetries != DefaultMaxRetries || got.RetryMinDelay != DefaultRetryMinDelay ||
		got.RetryMaxDelay != DefaultRetryMaxDelay || got.UserAgent != DefaultUserAgent ||
		got.AttemptTimeout != DefaultAttemptTimeout {
		t.Errorf("defaults not filled: %+v", got)
	}
	hc := c.HTTPClient()
	if hc == nil || hc == http.DefaultClient || c.HTTPClient() != hc {
		t.Error("HTTPClient should return one shared client")
	}
	// It is Do's stack minus the signing layer: its retry layer sends
	// through the same logging (and so base) transport as Do's.
	if got, want := retryOf(t, hc.Transport), retryOf(t, c.signed); got == want ||
		got.logging != want.logging || got.next != http.RoundTripper(want.logging) {
		t.Error("HTTPClient should share Do's logging and base transport")
	}
	eps, _, err := DefaultEndpoints(SitePublic, "KR")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{AccessKey: "ak", SecretKey: "sk", Endpoints: eps}); err != nil {
		t.Errorf("default endpoints rejected: %v", err)
	}

	bad := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no access key", Config{SecretKey: "sk"}, "access key"},
		{"blank secret key", Config{AccessKey: "ak", SecretKey: "  "}, "secret key"},
		{"relative endpoint", Config{AccessKey: "ak", SecretKey: "sk", Endpoints: Endpoints{Ncloud: "/vpc"}}, "Ncloud"},
		{"ftp endpoint", Config{AccessKey: "ak", SecretKey: "sk", Endpoints: Endpoints{ObjectStorage: "ftp://x"}}, "Object Storage"},
		{"unparsable endpoint", Config{AccessKey: "ak", SecretKey: "sk", Endpoints: Endpoints{GlobalEdge: "http://[::1"}}, "Global Edge"},
		{"negative delay", Config{AccessKey: "ak", SecretKey: "sk", RetryMinDelay: -1}, "negative"},
	}
	for _, tc := range bad {
		if _, err := New(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error mentioning %q", tc.name, err, tc.want)
		}
	}
}

func TestDoBadRequest(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, nil)
	if _, err := c.Do(context.Background(), nil); err == nil {
		t.Error("nil request accepted")
	}
	//lint:ignore SA1012 a nil context must be an error, not a panic
	if _, err := c.Do(nil, &Request{BaseURL: "https://x.example", Path: "/"}); err == nil { //nolint:staticcheck
		t.Error("nil context accepted")
	}
	for _, req := range []*Request{
		{Service: "vodstation", Path: "/api/v2/category"},
		{BaseURL: "https://x.example", Path: "api/v2"},
		{BaseURL: "not a url", Path: "/"},
		{BaseURL: "https://x.example", Path: "/", Method: "BAD METHOD"},
	} {
		if _, err := c.Do(context.Background(), req); err == nil {
			t.Errorf("request %+v accepted", req)
		}
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	maxJitter := func(n int64) int64 { return n - 1 }
	minJitter := func(int64) int64 { return 0 }
	want := []time.Duration{10, 20, 40, 80, 100, 100, 100}
	for n, w := range want {
		if got := backoff(n, 10, 100, maxJitter); got != w {
			t.Errorf("backoff(%d) upper bound = %v, want %v", n, got, w)
		}
		if got := backoff(n, 10, 100, minJitter); got != 0 {
			t.Errorf("backoff(%d) lower bound = %v, want 0", n, got)
		}
	}
	if got := backoff(1000, time.Second, time.Minute, maxJitter); got != time.Minute {
		t.Errorf("large n: %v", got)
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		"-1":                            0,
		"soon":                          0,
		"Thu, 01 Jan 2026 00:00:10 GMT": 10 * time.Second,
		"Wed, 31 Dec 2025 00:00:00 GMT": 0,
	}
	for in, want := range tests {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

// S3 throttles with HTTP 503 and code SlowDown: the request was refused, so
// even a non-idempotent one is resent; a plain 503 for it is not.
func TestHTTPClientS3SlowDown(t *testing.T) {
	t.Parallel()
	s3Error := func(w http.ResponseWriter, code string) {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>m</Message><RequestId>r</RequestId></Error>`, code)
	}
	tests := []struct {
		code         string
		attempts     int32
		wantStatusOK bool
	}{
		{"SlowDown", 2, true},
		{"ServiceUnavailable", 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			t.Parallel()
			srv, hits := server(t, func(hit int, w http.ResponseWriter, r *http.Request) {
				if hit == 1 {
					s3Error(w, tc.code)
					return
				}
				w.WriteHeader(http.StatusOK)
			})
			c := newTestClient(t, nil)
			req, _ := http.NewRequestWithContext(WithIdempotency(context.Background(), false), http.MethodPut, srv.URL+"/bucket", nil)
			resp, err := c.HTTPClient().Do(req)
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			resp.Body.Close()
			if (resp.StatusCode == http.StatusOK) != tc.wantStatusOK || hits.Load() != tc.attempts {
				t.Errorf("status %d after %d attempts, want ok=%v after %d", resp.StatusCode, hits.Load(), tc.wantStatusOK, tc.attempts)
			}
		})
	}
}

// The client keeps enough idle connections for OpenTofu's 10 concurrent
// refreshes: rounds of 10 parallel requests reuse the connections of the
// first round instead of opening new ones (net/http keeps 2 per host).
func TestConnectionsAreReused(t *testing.T) {
	t.Parallel()
	var opened atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{}`))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c := newTestClient(t, nil)
	const rounds, parallel = 5, 10
	for range rounds {
		var wg sync.WaitGroup
		for range parallel {
			wg.Go(func() {
				if _, err := c.Do(context.Background(), &Request{BaseURL: srv.URL, Path: "/"}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	// At most one connection per concurrent request, plus a few for
	// requests that overtook a connection being returned to the pool.
	if n := opened.Load(); n > parallel+5 {
		t.Errorf("%d connections opened for %d rounds of %d requests", n, rounds, parallel)
	}
}
