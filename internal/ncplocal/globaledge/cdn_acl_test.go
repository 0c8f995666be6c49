package globaledge_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/globaledge"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
	oswire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// An edge fetches from its Object Storage origin anonymously, so a plain
// path serves only public-read objects: a private object is answered with
// the origin's 403 AccessDenied document (the same as an anonymous GET of
// the bucket's own URL), by path prefix and by Host header alike, for GET
// and HEAD. The ACL is read on every request. A missing object is 403 in a
// bucket anyone may not list and 404 NoSuchKey in a public-read one.
func TestCDNServesOnlyPublicObjects(t *testing.T) {
	t.Parallel()
	me := ncplocal.DefaultCredential
	f := &fixture{t: t, clock: emu.NewManualClock(time.Now(), delay)}
	f.srv = ncplocal.StartTest(t, ncplocal.Options{AsyncDelay: delay, Now: f.clock.Now})
	ctx := context.Background()
	objects, err := osclient.New(acctest.NewClient(t, f.srv, me))
	if err != nil {
		t.Fatal(err)
	}
	const bucket = "cdn-acl"
	if err := objects.CreateBucket(ctx, bucket); err != nil {
		t.Fatal(err)
	}
	for key, acl := range map[string]s3types.ObjectCannedACL{
		"public.txt": s3types.ObjectCannedACLPublicRead, "private.txt": s3types.ObjectCannedACLPrivate,
		"authenticated.txt": s3types.ObjectCannedACLAuthenticatedRead,
	} {
		if _, err := objects.S3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
			Body: bytes.NewReader([]byte("body of " + key)), ACL: acl}); err != nil {
			t.Fatal(err)
		}
	}
	p := f.createProfile(me, "acl-prof")
	var created wire.EdgeCreated
	f.ok(me, "POST", "/api/v1/cdn-edge", edgeBody(t, p, "acl-edge", func(c *wire.EdgeConfig) {
		b := bucket
		c.OriginalCopyConfig.OriginalCopyLocation.BucketName = &b
	}), &created)
	var e wire.Edge
	f.ok(me, "GET", "/api/v1/cdn-edge/"+itoa(created.EdgeID), "", &e)
	domain := *e.DistributionConfig.ServiceDomain.DomainName
	f.advance()

	forms := map[string]func(method, path string) *http.Request{
		"path prefix": func(method, path string) *http.Request {
			r, err := http.NewRequest(method, f.srv.URL()+globaledge.CDNPathPrefix+domain+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			return r
		},
		"Host header": func(method, path string) *http.Request {
			r, err := http.NewRequest(method, f.srv.URL()+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			r.Host = domain
			return r
		},
	}
	type want struct {
		status int
		code   string // the S3 error code of a refusal; "" for 200
	}
	check := func(form, method, path string, w want) {
		t.Helper()
		resp, err := http.DefaultClient.Do(forms[form](method, path))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != w.status {
			t.Fatalf("%s: %s %s: %s %q; want %d", form, method, path, resp.Status, body, w.status)
		}
		switch {
		case method == http.MethodHead:
			if len(body) != 0 {
				t.Errorf("%s: HEAD %s has a body: %q", form, path, body)
			}
		case w.code == "":
			if want := "body of " + path[1:]; string(body) != want {
				t.Errorf("%s: GET %s: %q; want %q", form, path, body, want)
			}
		default:
			var doc oswire.Error
			if err := xml.Unmarshal(body, &doc); err != nil {
				t.Fatalf("%s: GET %s: %v in %q; want the S3 error document", form, path, err, body)
			}
			if doc.Code != w.code || doc.Message == "" || doc.Resource != "/"+bucket+path || doc.RequestID == "" {
				t.Errorf("%s: GET %s: %+v; want code %s about /%s%s", form, path, doc, w.code, bucket, path)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/xml" {
				t.Errorf("%s: GET %s: Content-Type %q; want application/xml", form, path, ct)
			}
		}
	}
	ok, denied := want{http.StatusOK, ""}, want{http.StatusForbidden, oswire.CodeAccessDenied}
	for form := range forms {
		for _, m := range []string{http.MethodGet, http.MethodHead} {
			check(form, m, "/public.txt", ok)
			check(form, m, "/private.txt", denied)
			// authenticated-read needs credentials, which the edge has not.
			check(form, m, "/authenticated.txt", denied)
			check(form, m, "/missing.txt", denied)
		}
	}
	// Object Storage answers an anonymous GET the same way the edge does.
	resp, err := http.Get(f.srv.URL() + "/" + bucket + "/private.txt")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("anonymous GET of the bucket's URL: %s; want 403", resp.Status)
	}

	// The ACL is read per request, both ways.
	setACL := func(key string, acl s3types.ObjectCannedACL) {
		t.Helper()
		if _, err := objects.S3().PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String(bucket), Key: aws.String(key), ACL: acl}); err != nil {
			t.Fatal(err)
		}
	}
	setACL("private.txt", s3types.ObjectCannedACLPublicRead)
	setACL("public.txt", s3types.ObjectCannedACLPrivate)
	for form := range forms {
		check(form, http.MethodGet, "/private.txt", ok)
		check(form, http.MethodGet, "/public.txt", denied)
	}
	// In a bucket anyone may list, a missing object is known to be missing.
	if _, err := objects.S3().PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String(bucket), ACL: s3types.BucketCannedACLPublicRead}); err != nil {
		t.Fatal(err)
	}
	for form := range forms {
		check(form, http.MethodGet, "/missing.txt", want{http.StatusNotFound, oswire.CodeNoSuchKey})
		check(form, http.MethodGet, "/public.txt", denied) // listing grants no read of objects
	}
}
