package vodstation_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cdnlink/cdnlinktest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vodstation"
	osw "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

var (
	credA = ncplocal.Credential{AccessKey: "vod-a-access", SecretKey: "vod-a-secret", AccountID: "acct-a"}
	credB = ncplocal.Credential{AccessKey: "vod-b-access", SecretKey: "vod-b-secret", AccountID: "acct-b"}
)

// fixture is a server with Object Storage and VOD Station (Global Edge is
// the cdnlinktest fake), a client per account and a callback receiver.
type fixture struct {
	srv      *ncplocal.Server
	svc      *vodstation.Service
	edges    *cdnlinktest.Fake
	a, b     *vodclient.Client
	coreA    *client.Client
	s3a      *s3.Client
	s3b      *s3.Client
	callback *receiver
}

func newFixture(t *testing.T, delay time.Duration, opts ...vodstation.Option) *fixture {
	t.Helper()
	f := &fixture{edges: cdnlinktest.New(), callback: newReceiver(t)}
	f.srv = ncplocal.StartTest(t, ncplocal.Options{
		AsyncDelay:  delay,
		Credentials: []ncplocal.Credential{credA, credB},
		// Nothing is in flight when a test ends, but a keep-alive connection a
		// client dialled and never used would hold a graceful shutdown for
		// net/http's 5 s grace for new connections.
		CloseTimeout: 500 * time.Millisecond,
		Services: func(env emu.Env) []emu.Service {
			objs := objectstorage.New(env)
			f.svc = vodstation.New(env, objs, f.edges, opts...)
			return []emu.Service{objs, f.svc}
		},
	})
	f.coreA = newCore(t, f.srv, credA)
	f.a = vodclient.New(f.coreA)
	f.b = vodclient.New(newCore(t, f.srv, credB))
	f.s3a = newS3(t, f.coreA)
	f.s3b = newS3(t, newCore(t, f.srv, credB))
	return f
}

func newCore(t *testing.T, srv *ncplocal.Server, cred ncplocal.Credential) *client.Client {
	t.Helper()
	c, err := client.New(client.Config{
		AccessKey: cred.AccessKey, SecretKey: cred.SecretKey, Region: "KR",
		Endpoints:              client.Endpoints{VODStation: srv.URL(), ObjectStorage: srv.URL()},
		ObjectStoragePathStyle: true, RetryMinDelay: time.Millisecond, RetryMaxDelay: 5 * time.Millisecond, MaxRetries: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newS3(t *testing.T, c *client.Client) *s3.Client {
	t.Helper()
	oc, err := osclient.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return oc.S3()
}

func (f *fixture) bucket(t *testing.T, s3c *s3.Client, name string) {
	t.Helper()
	if _, err := s3c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
}

func (f *fixture) put(t *testing.T, bucket, key, body string) {
	t.Helper()
	if _, err := f.s3a.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body)}); err != nil {
		t.Fatalf("put %s/%s: %v", bucket, key, err)
	}
}

func (f *fixture) exists(bucket, key string) bool {
	_, err := f.s3a.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	return err == nil
}

// publicRead reports whether the object's ACL grants READ to everyone.
func (f *fixture) publicRead(t *testing.T, bucket, key string) bool {
	t.Helper()
	acl, err := f.s3a.GetObjectAcl(context.Background(), &s3.GetObjectAclInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("ACL of %s/%s: %v", bucket, key, err)
	}
	for _, g := range acl.Grants {
		if g.Grantee != nil && aws.ToString(g.Grantee.URI) == osw.GroupAllUsers && (g.Permission == "READ" || g.Permission == "FULL_CONTROL") {
			return true
		}
	}
	return false
}

// wantCode asserts err is a VOD Station error with code and HTTP status.
func wantCode(t *testing.T, err error, code string, status int) {
	t.Helper()
	var e *client.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want error %s", err, code)
	}
	if e.Code != code || (status != 0 && e.HTTPStatus != status) {
		t.Fatalf("got code %s (HTTP %d) %q, want %s (HTTP %d)", e.Code, e.HTTPStatus, e.Message+" "+e.Details, code, status)
	}
}

// receiver records the callbacks POSTed to it.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, string(b))
		r.mu.Unlock()
	}))
	t.Cleanup(r.Close)
	return r
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// decoded returns the callbacks decoded as T.
func decoded[T any](r *receiver) []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []T
	for _, b := range r.bodies {
		var v T
		if json.Unmarshal([]byte(b), &v) == nil {
			out = append(out, v)
		}
	}
	return out
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.bodies)
}
