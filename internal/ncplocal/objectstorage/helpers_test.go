package objectstorage

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// Test accounts.
const (
	aliceKey    = "AKIDALICE0000000001"
	aliceSecret = "alice/secret+key0000000000000000000000000"
	aliceID     = "acct-alice"
	bobKey      = "AKIDBOB000000000002"
	bobSecret   = "bob-secret-key-000000000000000000000000000"
	bobID       = "acct-bob"
)

func lookupKey(ak string) (string, emu.Account, bool) {
	switch ak {
	case aliceKey:
		return aliceSecret, emu.Account{ID: aliceID, AccessKey: aliceKey}, true
	case bobKey:
		return bobSecret, emu.Account{ID: bobID, AccessKey: bobKey}, true
	}
	return "", emu.Account{}, false
}

// testClock is real time shifted by an adjustable offset.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// testEnv is one service behind an httptest server.
type testEnv struct {
	t     *testing.T
	svc   *Service
	srv   *httptest.Server
	clock *testClock
	dir   string

	mu  sync.Mutex
	ops []string
}

type envOptions struct {
	dataDir string
	tls     bool
}

func newTestEnv(t *testing.T, opts ...func(*envOptions)) *testEnv {
	t.Helper()
	var o envOptions
	for _, fn := range opts {
		fn(&o)
	}
	e := &testEnv{t: t, clock: &testClock{}, dir: o.dataDir}
	e.svc = New(emu.Env{Now: e.clock.Now, LookupKey: lookupKey, DataDir: o.dataDir})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &emu.OpRecorder{}
		r = r.WithContext(emu.WithOpRecorder(r.Context(), rec))
		e.svc.ServeHTTP(w, r)
		e.mu.Lock()
		e.ops = append(e.ops, rec.Op)
		e.mu.Unlock()
	})
	if o.tls {
		e.srv = httptest.NewTLSServer(h)
	} else {
		e.srv = httptest.NewServer(h)
	}
	t.Cleanup(e.srv.Close)
	return e
}

func withDataDir(dir string) func(*envOptions) { return func(o *envOptions) { o.dataDir = dir } }
func withTLS() func(*envOptions)               { return func(o *envOptions) { o.tls = true } }

// lastOp returns the operation name recorded for the latest request.
func (e *testEnv) lastOp() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.ops) == 0 {
		return ""
	}
	return e.ops[len(e.ops)-1]
}

// client returns an S3 client of the given key, path style, retries off so
// that errors surface as they are.
func (e *testEnv) client(ak, secret string, optFns ...func(*s3.Options)) *s3.Client {
	return s3.New(s3.Options{
		Region:       "kr-standard",
		BaseEndpoint: aws.String(e.srv.URL),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(ak, secret, ""),
		HTTPClient:   e.srv.Client(),
		Retryer:      aws.NopRetryer{},
		// What config.LoadDefaultConfig resolves by default: checksums on
		// every upload that supports them.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenSupported,
	}, optFns...)
}

func (e *testEnv) alice() *s3.Client { return e.client(aliceKey, aliceSecret) }
func (e *testEnv) bob() *s3.Client   { return e.client(bobKey, bobSecret) }

// newAliceBucket starts a test env in which alice owns bucket, and returns
// the env and alice's client.
func newAliceBucket(t *testing.T, bucket string) (*testEnv, *s3.Client) {
	t.Helper()
	e := newTestEnv(t)
	alice := e.alice()
	mustCreateBucket(t, alice, bucket)
	return e, alice
}

// mustCreateBucket creates a bucket or fails the test.
func mustCreateBucket(t *testing.T, c *s3.Client, name string) {
	t.Helper()
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("CreateBucket(%s): %v", name, err)
	}
}

// mustPut stores an object or fails the test.
func mustPut(t *testing.T, c *s3.Client, bucket, key string, body []byte) *s3.PutObjectOutput {
	t.Helper()
	out, err := c.PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body),
	})
	if err != nil {
		t.Fatalf("PutObject(%s/%s): %v", bucket, key, err)
	}
	return out
}

// mustGet reads an object's body or fails the test.
func mustGet(t *testing.T, c *s3.Client, bucket, key string) []byte {
	t.Helper()
	out, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("GetObject(%s/%s): %v", bucket, key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatalf("read body of %s/%s: %v", bucket, key, err)
	}
	return b
}

// wantAPIError checks that err is an S3 error with code and HTTP status.
func wantAPIError(t *testing.T, err error, code string, status int) {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %s (%d), got success", code, status)
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want API error %s, got %v", code, err)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("want error code %s, got %s (%v)", code, ae.ErrorCode(), err)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("error has no HTTP response: %v", err)
	}
	if re.HTTPStatusCode() != status {
		t.Fatalf("want HTTP %d for %s, got %d", status, code, re.HTTPStatusCode())
	}
}

// wantStatus checks the HTTP status of an SDK error (HEAD errors carry no
// code).
func wantStatus(t *testing.T, err error, status int) {
	t.Helper()
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("want HTTP %d error, got %v", status, err)
	}
	if re.HTTPStatusCode() != status {
		t.Fatalf("want HTTP %d, got %d (%v)", status, re.HTTPStatusCode(), err)
	}
}

// signedRequest builds a SigV4-signed raw request, as alice, over body
// with its literal payload hash.
func (e *testEnv) signedRequest(method, path string, body []byte, header http.Header) *http.Request {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Content-Sha256", hash)
	creds := aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}
	signer := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err := signer.SignHTTP(context.Background(), creds, req, hash, "s3", "KR", time.Now()); err != nil {
		e.t.Fatal(err)
	}
	return req
}

// do sends a raw request and returns the response with its body read.
func (e *testEnv) do(req *http.Request) (*http.Response, []byte) {
	e.t.Helper()
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, b
}

// decodeError parses an S3 error document.
func decodeError(t *testing.T, body []byte) wire.Error {
	t.Helper()
	var e wire.Error
	if err := xml.Unmarshal(body, &e); err != nil {
		t.Fatalf("not an S3 error document: %v: %s", err, body)
	}
	return e
}

// wantRawError checks a raw response for an S3 error document.
func wantRawError(t *testing.T, resp *http.Response, body []byte, code string, status int) wire.Error {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("want HTTP %d, got %d: %s", status, resp.StatusCode, body)
	}
	e := decodeError(t, body)
	if e.Code != code {
		t.Fatalf("want code %s, got %s: %s", code, e.Code, e.Message)
	}
	if e.RequestID == "" || resp.Header.Get("x-amz-request-id") != e.RequestID {
		t.Fatalf("request id mismatch: header %q, body %q", resp.Header.Get("x-amz-request-id"), e.RequestID)
	}
	return e
}

// contentMD5 is the Content-MD5 header value of body.
func contentMD5(body []byte) string {
	sum := md5.Sum(body)
	return base64.StdEncoding.EncodeToString(sum[:])
}

// md5Hex is the hex MD5 of body, an ETag without quotes.
func md5Hex(body []byte) string {
	sum := md5.Sum(body)
	return hex.EncodeToString(sum[:])
}

// countFiles counts the entries of a directory.
func countFiles(t *testing.T, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func hexString(b []byte) string { return hex.EncodeToString(b) }
