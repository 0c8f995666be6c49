package objectstorage

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
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// Test credentials of the httptest servers below.
const (
	testAccessKey = "test-access-key"
	testSecretKey = "test-secret-key"
)

// newTestClient builds a Client for a server at url, with fast retries.
func newTestClient(t *testing.T, url string, edit ...func(*client.Config)) *Client {
	t.Helper()
	cfg := client.Config{
		AccessKey:              testAccessKey,
		SecretKey:              testSecretKey,
		Region:                 "KR",
		Endpoints:              client.Endpoints{ObjectStorage: url},
		ObjectStoragePathStyle: true,
		MaxRetries:             2,
		RetryMinDelay:          time.Millisecond,
		RetryMaxDelay:          2 * time.Millisecond,
	}
	for _, f := range edit {
		f(&cfg)
	}
	core, err := client.New(cfg)
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	c, err := New(core)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// s3ErrorHandler answers every request with an S3 error document.
func s3ErrorHandler(status int, code, message string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-amz-request-id", "REQ-"+code)
		w.Header().Set("x-amz-id-2", "HOST-"+code)
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		if r.Method == http.MethodHead {
			return
		}
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>%s</Code><Message>%s</Message><Resource>%s</Resource><RequestId>REQ-%s</RequestId></Error>`,
			code, message, r.URL.Path, code)
	}
}

// countingServer starts a server whose requests are counted.
func countingServer(t *testing.T, h http.Handler) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// asClientError returns err as a *client.Error, failing the test otherwise.
func asClientError(t *testing.T, err error) *client.Error {
	t.Helper()
	var e *client.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *client.Error", err, err)
	}
	return e
}

// TestMapError_S3Answers sends real requests through the SDK to servers that
// answer with S3 errors, and checks the kind, code, message, status and ids
// of the mapped error.
func TestMapError_S3Answers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		status   int
		code     string
		call     func(context.Context, *Client) error
		wantKind client.Kind
		wantCode string
		wantOp   string
	}{
		{
			name: "NoSuchBucket on delete", status: http.StatusNotFound, code: wire.CodeNoSuchBucket,
			call:     func(ctx context.Context, c *Client) error { return c.DeleteBucket(ctx, "b1") },
			wantKind: client.KindNotFound, wantCode: wire.CodeNoSuchBucket, wantOp: OpDeleteBucket,
		},
		{
			name: "404 on HEAD has no body", status: http.StatusNotFound, code: wire.CodeNoSuchBucket,
			call:     func(ctx context.Context, c *Client) error { return c.HeadBucket(ctx, "b1") },
			wantKind: client.KindNotFound, wantCode: CodeNotFound, wantOp: OpHeadBucket,
		},
		{
			name: "403 on HEAD", status: http.StatusForbidden, code: wire.CodeAccessDenied,
			call:     func(ctx context.Context, c *Client) error { return c.HeadBucket(ctx, "b1") },
			wantKind: client.KindAuth, wantOp: OpHeadBucket,
		},
		{
			name: "BucketAlreadyExists", status: http.StatusConflict, code: wire.CodeBucketAlreadyExists,
			call:     func(ctx context.Context, c *Client) error { return c.CreateBucket(ctx, "b1") },
			wantKind: client.KindConflict, wantCode: wire.CodeBucketAlreadyExists, wantOp: OpCreateBucket,
		},
		{
			name: "BucketAlreadyOwnedByYou", status: http.StatusConflict, code: wire.CodeBucketAlreadyOwnedByYou,
			call:     func(ctx context.Context, c *Client) error { return c.CreateBucket(ctx, "b1") },
			wantKind: client.KindConflict, wantCode: wire.CodeBucketAlreadyOwnedByYou, wantOp: OpCreateBucket,
		},
		{
			name: "SlowDown on create is throttling, not ambiguous", status: http.StatusServiceUnavailable, code: wire.CodeSlowDown,
			call:     func(ctx context.Context, c *Client) error { return c.CreateBucket(ctx, "b1") },
			wantKind: client.KindThrottled, wantCode: wire.CodeSlowDown, wantOp: OpCreateBucket,
		},
		{
			name: "BucketNotEmpty", status: http.StatusConflict, code: wire.CodeBucketNotEmpty,
			call:     func(ctx context.Context, c *Client) error { return c.DeleteBucket(ctx, "b1") },
			wantKind: client.KindConflict, wantCode: wire.CodeBucketNotEmpty, wantOp: OpDeleteBucket,
		},
		{
			name: "InvalidBucketName", status: http.StatusBadRequest, code: wire.CodeInvalidBucketName,
			call:     func(ctx context.Context, c *Client) error { return c.CreateBucket(ctx, "b1") },
			wantKind: client.KindValidation, wantCode: wire.CodeInvalidBucketName, wantOp: OpCreateBucket,
		},
		{
			name: "AccessDenied with a body", status: http.StatusForbidden, code: wire.CodeAccessDenied,
			call:     func(ctx context.Context, c *Client) error { return c.DeleteBucket(ctx, "b1") },
			wantKind: client.KindAuth, wantCode: wire.CodeAccessDenied, wantOp: OpDeleteBucket,
		},
		{
			name: "SignatureDoesNotMatch", status: http.StatusForbidden, code: wire.CodeSignatureDoesNotMatch,
			call:     func(ctx context.Context, c *Client) error { return c.CreateBucket(ctx, "b1") },
			wantKind: client.KindAuth, wantCode: wire.CodeSignatureDoesNotMatch, wantOp: OpCreateBucket,
		},
		{
			name: "InternalError on an idempotent call", status: http.StatusInternalServerError, code: wire.CodeInternalError,
			call:     func(ctx context.Context, c *Client) error { return c.DeleteBucket(ctx, "b1") },
			wantKind: client.KindServer, wantCode: wire.CodeInternalError, wantOp: OpDeleteBucket,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			message := "message of " + tt.code
			srv, _ := countingServer(t, s3ErrorHandler(tt.status, tt.code, message))
			err := tt.call(t.Context(), newTestClient(t, srv.URL))
			e := asClientError(t, err)
			if e.Kind != tt.wantKind {
				t.Errorf("Kind = %v, want %v (error: %v)", e.Kind, tt.wantKind, err)
			}
			if tt.wantCode != "" && e.Code != tt.wantCode {
				t.Errorf("Code = %q, want %q", e.Code, tt.wantCode)
			}
			if e.Service != ServiceName || e.Operation != tt.wantOp {
				t.Errorf("Service, Operation = %q, %q; want %q, %q", e.Service, e.Operation, ServiceName, tt.wantOp)
			}
			if e.HTTPStatus != tt.status {
				t.Errorf("HTTPStatus = %d, want %d", e.HTTPStatus, tt.status)
			}
			if want := "REQ-" + tt.code; e.RequestID != want {
				t.Errorf("RequestID = %q, want %q", e.RequestID, want)
			}
			if want := "host id HOST-" + tt.code; e.Details != want {
				t.Errorf("Details = %q, want %q", e.Details, want)
			}
			if tt.wantCode != "" && tt.wantCode != CodeNotFound {
				if e.Message != message {
					t.Errorf("Message = %q, want %q", e.Message, message)
				}
				// What the user sees names the code, the message and the request.
				for _, want := range []string{tt.code, message, "REQ-" + tt.code} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("Error() = %q does not contain %q", err.Error(), want)
					}
				}
			}
			if e.Err != nil {
				t.Errorf("Err = %v, want nil for an S3 answer", e.Err)
			}
			if !HasCode(err, e.Code) || HasCode(err, "SomethingElse") {
				t.Errorf("HasCode disagrees with Code %q", e.Code)
			}
		})
	}
}

// TestCreateBucket_UnavailableIsAmbiguous checks that a 503 to the
// non-idempotent CreateBucket is sent once and reported as ambiguous, while
// the idempotent HeadBucket is retried by the client core and the SDK adds
// no retries of its own.
func TestCreateBucket_UnavailableIsAmbiguous(t *testing.T) {
	t.Parallel()
	srv, n := countingServer(t, s3ErrorHandler(http.StatusServiceUnavailable, "ServiceUnavailable", "try later"))
	c := newTestClient(t, srv.URL) // MaxRetries 2

	err := c.CreateBucket(t.Context(), "b1")
	if !client.IsAmbiguous(err) {
		t.Fatalf("CreateBucket error %v: IsAmbiguous = false, want true", err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("CreateBucket sent %d requests, want 1 (no retry of a non-idempotent request)", got)
	}

	n.Store(0)
	err = c.HeadBucket(t.Context(), "b1")
	if e := asClientError(t, err); e.Kind != client.KindServer {
		t.Errorf("HeadBucket Kind = %v, want server (error %v)", e.Kind, err)
	}
	if got := n.Load(); got != 3 {
		t.Errorf("HeadBucket sent %d requests, want 3 (1 + MaxRetries 2, and no SDK retries)", got)
	}
}

// TestCreateBucket_DroppedConnectionIsAmbiguous checks that a connection
// dropped after CreateBucket was sent gives an ambiguous *client.Error that
// names the operation, after a single attempt.
func TestCreateBucket_DroppedConnectionIsAmbiguous(t *testing.T) {
	t.Parallel()
	srv, n := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hj, ok := w.(http.Hijacker)
		if !ok {
			t.Error("response writer cannot be hijacked")
			return
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	err := newTestClient(t, srv.URL).CreateBucket(t.Context(), "b1")
	e := asClientError(t, err)
	if e.Kind != client.KindAmbiguous || e.Operation != OpCreateBucket || e.Service != ServiceName {
		t.Errorf("got Kind %v, %s %s; want ambiguous objectstorage CreateBucket (error %v)", e.Kind, e.Service, e.Operation, err)
	}
	if e.Err == nil {
		t.Error("Err is nil, want the transport failure")
	}
	if got := n.Load(); got != 1 {
		t.Errorf("CreateBucket sent %d requests, want 1", got)
	}
}

// TestNew_Signing checks the request the SDK sends: path-style URL, the
// static access key, the default signing region kr-standard, the
// configured region when set, and no flexible-checksum trailers.
func TestNew_Signing(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		region, wantScope string
	}{
		{"", "/kr-standard/s3/aws4_request"},
		{"sg-standard", "/sg-standard/s3/aws4_request"},
	} {
		t.Run("region="+tt.region, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var got *http.Request
			srv, _ := countingServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				got = r.Clone(context.Background())
				mu.Unlock()
				w.WriteHeader(http.StatusOK)
			}))
			c := newTestClient(t, srv.URL, func(cfg *client.Config) {
				cfg.ObjectStorageRegion = tt.region
				cfg.UserAgent = "terraform-provider-ncp/1.2.3"
			})
			if err := c.CreateBucket(t.Context(), "my-bucket"); err != nil {
				t.Fatalf("CreateBucket: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if got.Method != http.MethodPut || got.URL.Path != "/my-bucket" {
				t.Errorf("request = %s %s, want PUT /my-bucket (path style)", got.Method, got.URL.Path)
			}
			auth := got.Header.Get("Authorization")
			if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential="+testAccessKey+"/") || !strings.Contains(auth, tt.wantScope) {
				t.Errorf("Authorization = %q, want SigV4 with key %s and scope %s", auth, testAccessKey, tt.wantScope)
			}
			if strings.Contains(auth, testSecretKey) {
				t.Error("Authorization header contains the secret key")
			}
			if ua := got.Header.Get("User-Agent"); !strings.Contains(ua, "terraform-provider-ncp/1.2.3") {
				t.Errorf("User-Agent = %q, want it to contain terraform-provider-ncp/1.2.3", ua)
			}
			for k := range got.Header {
				if strings.HasPrefix(strings.ToLower(k), "x-amz-checksum-") || strings.EqualFold(k, "x-amz-trailer") {
					t.Errorf("unexpected checksum header %s on CreateBucket", k)
				}
			}
		})
	}
}

// TestNew_Errors checks the configuration New rejects.
func TestNew_Errors(t *testing.T) {
	t.Parallel()
	if _, err := New(nil); err == nil {
		t.Error("New(nil) succeeded, want an error")
	}
	core, err := client.New(client.Config{AccessKey: "a", SecretKey: "s"})
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	if _, err := New(core); err == nil || !strings.Contains(err.Error(), "Object Storage endpoint") {
		t.Errorf("New without endpoint: error %v, want one naming the Object Storage endpoint", err)
	}
}

// TestMapError_Nil checks that nil maps to nil and that a non-SDK error keeps
// its cause.
func TestMapError_Nil(t *testing.T) {
	t.Parallel()
	if err := MapError(OpHeadBucket, true, nil); err != nil {
		t.Errorf("MapError(nil) = %v, want nil", err)
	}
	cause := errors.New("boom")
	e := asClientError(t, MapError(OpHeadBucket, true, cause))
	if !errors.Is(e, cause) || e.Kind != client.KindUnknown || e.Operation != OpHeadBucket {
		t.Errorf("MapError(boom) = %+v, want unknown kind wrapping the cause", e)
	}
}
