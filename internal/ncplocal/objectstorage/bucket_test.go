package objectstorage

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

func TestListBucketsIsolation(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	alice, bob := e.alice(), e.bob()
	for _, n := range []string{"zeta-bucket", "alpha-bucket", "mid.bucket"} {
		mustCreateBucket(t, alice, n)
	}
	mustCreateBucket(t, bob, "bobs-bucket")

	out, err := alice.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if e.lastOp() != "objectstorage:ListBuckets" {
		t.Errorf("operation = %q", e.lastOp())
	}
	var names []string
	for _, b := range out.Buckets {
		names = append(names, aws.ToString(b.Name))
		if b.CreationDate == nil || time.Since(*b.CreationDate) > time.Minute {
			t.Errorf("bucket %s: creation date %v", aws.ToString(b.Name), b.CreationDate)
		}
	}
	if got := strings.Join(names, ","); got != "alpha-bucket,mid.bucket,zeta-bucket" {
		t.Errorf("alice sees %s", got)
	}
	if aws.ToString(out.Owner.ID) != aliceID || aws.ToString(out.Owner.DisplayName) != aliceID {
		t.Errorf("owner = %+v", out.Owner)
	}

	out, err = bob.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Buckets) != 1 || aws.ToString(out.Buckets[0].Name) != "bobs-bucket" {
		t.Errorf("bob sees %+v", out.Buckets)
	}

	// Server-side prefix filter and pagination.
	out, err = alice.ListBuckets(ctx, &s3.ListBucketsInput{Prefix: aws.String("a")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Buckets) != 1 || aws.ToString(out.Buckets[0].Name) != "alpha-bucket" || aws.ToString(out.Prefix) != "a" {
		t.Errorf("prefix a: %+v", out.Buckets)
	}
	var paged []string
	var token *string
	for i := 0; i < 5; i++ {
		out, err = alice.ListBuckets(ctx, &s3.ListBucketsInput{MaxBuckets: aws.Int32(2), ContinuationToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range out.Buckets {
			paged = append(paged, aws.ToString(b.Name))
		}
		if token = out.ContinuationToken; token == nil {
			break
		}
	}
	if got := strings.Join(paged, ","); got != "alpha-bucket,mid.bucket,zeta-bucket" {
		t.Errorf("paged listing = %s", got)
	}
	_, err = alice.ListBuckets(ctx, &s3.ListBucketsInput{ContinuationToken: aws.String("!!not-a-token")})
	wantAPIError(t, err, wire.CodeInvalidArgument, http.StatusBadRequest)
}

func TestBucketCreateHeadDelete(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	alice, bob := e.alice(), e.bob()

	mustCreateBucket(t, alice, "shared-name")
	_, err := alice.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("shared-name")})
	wantAPIError(t, err, wire.CodeBucketAlreadyOwnedByYou, http.StatusConflict)
	_, err = bob.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("shared-name")})
	wantAPIError(t, err, wire.CodeBucketAlreadyExists, http.StatusConflict)

	if _, err := alice.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("shared-name")}); err != nil {
		t.Fatalf("HeadBucket: %v", err)
	}
	if e.lastOp() != "objectstorage:HeadBucket" {
		t.Errorf("operation = %q", e.lastOp())
	}
	_, err = bob.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("shared-name")})
	wantStatus(t, err, http.StatusForbidden)
	_, err = alice.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("no-such-bucket")})
	wantStatus(t, err, http.StatusNotFound)

	// Other accounts cannot touch the bucket.
	_, err = bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("shared-name")})
	wantAPIError(t, err, wire.CodeAccessDenied, http.StatusForbidden)
	_, err = bob.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("shared-name")})
	wantAPIError(t, err, wire.CodeAccessDenied, http.StatusForbidden)
	_, err = bob.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("shared-name"), Key: aws.String("k"), Body: strings.NewReader("x")})
	wantAPIError(t, err, wire.CodeAccessDenied, http.StatusForbidden)

	// A location constraint must name the endpoint's region ([?] NCP).
	_, err = alice.CreateBucket(ctx, &s3.CreateBucketInput{
		Bucket:                    aws.String("with-location"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "kr-standard"},
	})
	if err != nil {
		t.Fatalf("CreateBucket with LocationConstraint: %v", err)
	}
	loc, err := alice.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("with-location")})
	if err != nil {
		t.Fatal(err)
	}
	if string(loc.LocationConstraint) != wire.DefaultRegion {
		t.Errorf("location = %q", loc.LocationConstraint)
	}
	for _, lc := range []types.BucketLocationConstraint{"us-west-2", "sg-standard"} {
		_, err := alice.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("elsewhere"),
			CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: lc}})
		wantAPIError(t, err, wire.CodeIllegalLocationConstraintError, http.StatusBadRequest)
	}
	if _, err := alice.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("coded-region"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "KR"}}); err != nil {
		t.Errorf("CreateBucket with LocationConstraint KR: %v", err)
	}

	if _, err := alice.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("shared-name")}); err != nil {
		t.Fatalf("DeleteBucket: %v", err)
	}
	_, err = alice.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("shared-name")})
	wantStatus(t, err, http.StatusNotFound)
	_, err = alice.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("shared-name")})
	wantAPIError(t, err, wire.CodeNoSuchBucket, http.StatusNotFound)
	// The name is free again, for anyone.
	mustCreateBucket(t, bob, "shared-name")
}

func TestBucketDeleteStatusAndHeadBody(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	mustCreateBucket(t, e.alice(), "raw-bucket")
	resp, body := e.do(e.signedRequest(http.MethodHead, "/missing-bucket", nil, nil))
	if resp.StatusCode != http.StatusNotFound || len(body) != 0 {
		t.Errorf("HEAD missing: %d %q", resp.StatusCode, body)
	}
	if resp.Header.Get("x-amz-request-id") == "" {
		t.Error("no x-amz-request-id on a HEAD error")
	}
	resp, body = e.do(e.signedRequest(http.MethodDelete, "/raw-bucket", nil, nil))
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("x-amz-request-id") == "" {
		t.Errorf("DELETE bucket: %d %s", resp.StatusCode, body)
	}
}

func TestInvalidBucketNames(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	alice := e.alice()
	for _, tc := range []struct{ name, rule string }{
		{"ab", "between 3 and 63"},
		{strings.Repeat("a", 64), "between 3 and 63"},
		{"Upper-case", "lowercase letters"},
		{"under_score", "lowercase letters"},
		{"-starts-with-hyphen", "start with"},
		{"ends-with-hyphen-", "end with"},
		{"two..periods", "adjacent periods"},
		{"dot.-hyphen", "period next to a hyphen"},
		{"hyphen-.dot", "period next to a hyphen"},
		{"192.168.5.4", "IP address"},
	} {
		_, err := alice.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(tc.name)})
		wantAPIError(t, err, wire.CodeInvalidBucketName, http.StatusBadRequest)
		if !strings.Contains(err.Error(), tc.rule) {
			t.Errorf("%q: message does not name the rule %q: %v", tc.name, tc.rule, err)
		}
	}
	// Names that collide with gateway path prefixes are ordinary buckets.
	for _, n := range []string{"api", "vpc", "a-b.c1", strings.Repeat("b", 63)} {
		mustCreateBucket(t, alice, n)
		mustPut(t, alice, n, "hello.txt", []byte("hi "+n))
		if got := string(mustGet(t, alice, n, "hello.txt")); got != "hi "+n {
			t.Errorf("bucket %s: got %q", n, got)
		}
	}
}

func TestTooManyBuckets(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	// Fill the account directly; creating 1000 buckets over HTTP adds
	// nothing to the test.
	e.svc.mu.Lock()
	for i := 0; i < wire.MaxBucketsPerAccount; i++ {
		n := fmt.Sprintf("bulk-%04d", i)
		e.svc.buckets[n] = &bucket{Name: n, Owner: aliceID, ACL: wire.ACLPrivate, Objects: map[string]*object{}, Uploads: map[string]*upload{}}
	}
	e.svc.mu.Unlock()
	_, err := e.alice().CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("one-too-many")})
	wantAPIError(t, err, wire.CodeTooManyBuckets, http.StatusBadRequest)
	mustCreateBucket(t, e.bob(), "bob-is-fine")
}

func TestBucketNotEmpty(t *testing.T) {
	t.Parallel()
	_, alice := newAliceBucket(t, "full-bucket")
	ctx := context.Background()
	mustPut(t, alice, "full-bucket", "obj", []byte("x"))
	_, err := alice.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("full-bucket")})
	wantAPIError(t, err, wire.CodeBucketNotEmpty, http.StatusConflict)

	if _, err := alice.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("full-bucket"), Key: aws.String("obj")}); err != nil {
		t.Fatal(err)
	}
	up, err := alice.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("full-bucket"), Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = alice.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("full-bucket")})
	wantAPIError(t, err, wire.CodeBucketNotEmpty, http.StatusConflict)
	if _, err := alice.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("full-bucket"), Key: aws.String("mp"), UploadId: up.UploadId}); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("full-bucket")}); err != nil {
		t.Fatalf("DeleteBucket after emptying: %v", err)
	}
}

func TestBucketACLAndCORS(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "acl-bucket")
	ctx := context.Background()

	acl, err := alice.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("acl-bucket")})
	if err != nil {
		t.Fatal(err)
	}
	if len(acl.Grants) != 1 || acl.Grants[0].Permission != types.PermissionFullControl || aws.ToString(acl.Grants[0].Grantee.ID) != aliceID {
		t.Errorf("private grants = %+v", acl.Grants)
	}
	if _, err := alice.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("acl-bucket"), ACL: types.BucketCannedACLPublicRead}); err != nil {
		t.Fatal(err)
	}
	acl, err = alice.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("acl-bucket")})
	if err != nil {
		t.Fatal(err)
	}
	if len(acl.Grants) != 2 || aws.ToString(acl.Grants[1].Grantee.URI) != wire.GroupAllUsers || acl.Grants[1].Permission != types.PermissionRead {
		t.Errorf("public-read grants = %+v", acl.Grants)
	}
	// An AccessControlPolicy body equal to a canned ACL is accepted.
	_, err = alice.PutBucketAcl(ctx, &s3.PutBucketAclInput{
		Bucket: aws.String("acl-bucket"),
		AccessControlPolicy: &types.AccessControlPolicy{
			Owner: &types.Owner{ID: aws.String(aliceID)},
			Grants: []types.Grant{{
				Grantee:    &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String(aliceID)},
				Permission: types.PermissionFullControl,
			}},
		},
	})
	if err != nil {
		t.Fatalf("PutBucketAcl with a policy: %v", err)
	}
	acl, err = alice.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("acl-bucket")})
	if err != nil || len(acl.Grants) != 1 {
		t.Fatalf("after policy: %+v %v", acl, err)
	}
	_, err = alice.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("acl-bucket"), ACL: "log-delivery-write"})
	wantAPIError(t, err, wire.CodeInvalidArgument, http.StatusBadRequest)

	_, err = alice.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("acl-bucket")})
	wantAPIError(t, err, wire.CodeNoSuchCORSConfiguration, http.StatusNotFound)
	_, err = alice.PutBucketCors(ctx, &s3.PutBucketCorsInput{
		Bucket: aws.String("acl-bucket"),
		CORSConfiguration: &types.CORSConfiguration{CORSRules: []types.CORSRule{{
			AllowedMethods: []string{"GET", "PUT"},
			AllowedOrigins: []string{"https://*.example.com"},
			AllowedHeaders: []string{"*"},
			ExposeHeaders:  []string{"ETag"},
			MaxAgeSeconds:  aws.Int32(300),
		}}},
	})
	if err != nil {
		t.Fatalf("PutBucketCors: %v", err)
	}
	cors, err := alice.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("acl-bucket")})
	if err != nil {
		t.Fatal(err)
	}
	if len(cors.CORSRules) != 1 || strings.Join(cors.CORSRules[0].AllowedMethods, ",") != "GET,PUT" ||
		cors.CORSRules[0].AllowedOrigins[0] != "https://*.example.com" || aws.ToInt32(cors.CORSRules[0].MaxAgeSeconds) != 300 {
		t.Errorf("CORS = %+v", cors.CORSRules)
	}

	// A browser preflight is answered from the rules, unauthenticated.
	pre, _ := http.NewRequest(http.MethodOptions, e.srv.URL+"/acl-bucket/some/key", nil)
	pre.Header.Set("Origin", "https://app.example.com")
	pre.Header.Set("Access-Control-Request-Method", "PUT")
	pre.Header.Set("Access-Control-Request-Headers", "Content-Type, X-Amz-Meta-Foo")
	resp, body := e.do(pre)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
		resp.Header.Get("Access-Control-Max-Age") != "300" || !strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "PUT") {
		t.Errorf("preflight: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	pre.Header.Set("Origin", "https://evil.test")
	resp, body = e.do(pre)
	wantRawError(t, resp, body, wire.CodeAccessDenied, http.StatusForbidden)
	pre.Header.Set("Origin", "https://app.example.com")
	pre.Header.Set("Access-Control-Request-Method", "DELETE")
	resp, body = e.do(pre)
	wantRawError(t, resp, body, wire.CodeAccessDenied, http.StatusForbidden)

	_, err = alice.PutBucketCors(ctx, &s3.PutBucketCorsInput{
		Bucket:            aws.String("acl-bucket"),
		CORSConfiguration: &types.CORSConfiguration{CORSRules: []types.CORSRule{{AllowedMethods: []string{"PATCH"}, AllowedOrigins: []string{"*"}}}},
	})
	wantAPIError(t, err, wire.CodeInvalidRequest, http.StatusBadRequest)

	if _, err := alice.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String("acl-bucket")}); err != nil {
		t.Fatal(err)
	}
	_, err = alice.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("acl-bucket")})
	wantAPIError(t, err, wire.CodeNoSuchCORSConfiguration, http.StatusNotFound)
}

func TestUnsupportedSubResource(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "plain-bucket")
	ctx := context.Background()
	_, err := alice.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String("plain-bucket"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}})
	wantAPIError(t, err, wire.CodeNotImplemented, http.StatusNotImplemented)
	if !strings.Contains(err.Error(), `"tagging"`) {
		t.Errorf("message does not name the sub-resource: %v", err)
	}
	if e.lastOp() != "objectstorage:PutBucketTagging" {
		t.Errorf("operation = %q", e.lastOp())
	}
	_, err = alice.GetBucketReplication(ctx, &s3.GetBucketReplicationInput{Bucket: aws.String("plain-bucket")})
	wantAPIError(t, err, wire.CodeNotImplemented, http.StatusNotImplemented)
	if e.lastOp() != "objectstorage:GetBucketReplication" {
		t.Errorf("operation = %q", e.lastOp())
	}

	resp, body := e.do(e.signedRequest(http.MethodPost, "/", nil, nil))
	wantRawError(t, resp, body, wire.CodeMethodNotAllowed, http.StatusMethodNotAllowed)
}

func TestMalformedXML(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "xml-bucket")
	ctx := context.Background()
	up, err := alice.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("xml-bucket"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	md5Header := func(body string) http.Header {
		return http.Header{"Content-Md5": {contentMD5([]byte(body))}}
	}
	for _, tc := range []struct {
		name, method, path, body string
		header                   http.Header
	}{
		{"delete not xml", http.MethodPost, "/xml-bucket?delete", "this is not xml", md5Header("this is not xml")},
		{"delete wrong root", http.MethodPost, "/xml-bucket?delete", "<Remove><Object><Key>a</Key></Object></Remove>", md5Header("<Remove><Object><Key>a</Key></Object></Remove>")},
		{"delete truncated", http.MethodPost, "/xml-bucket?delete", "<Delete><Object><Key>a</Key>", md5Header("<Delete><Object><Key>a</Key>")},
		{"delete no objects", http.MethodPost, "/xml-bucket?delete", "<Delete></Delete>", md5Header("<Delete></Delete>")},
		{"complete garbage", http.MethodPost, "/xml-bucket/k?uploadId=" + *up.UploadId, "<CompleteMultipartUpload><Part>", nil},
		{"complete no parts", http.MethodPost, "/xml-bucket/k?uploadId=" + *up.UploadId, "<CompleteMultipartUpload></CompleteMultipartUpload>", nil},
		{"cors garbage", http.MethodPut, "/xml-bucket?cors", "<CORSConfiguration><CORSRule>", md5Header("<CORSConfiguration><CORSRule>")},
		{"create bucket config garbage", http.MethodPut, "/xml-bucket-2", "<CreateBucketConfiguration>", nil},
	} {
		resp, body := e.do(e.signedRequest(tc.method, tc.path, []byte(tc.body), tc.header))
		if resp.StatusCode != http.StatusBadRequest || decodeError(t, body).Code != wire.CodeMalformedXML {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
		}
	}
	// Nothing was created by the failed bucket creation.
	if _, err := alice.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("xml-bucket-2")}); err == nil {
		t.Error("bucket created despite malformed configuration")
	}
	// DeleteObjects without Content-MD5 or a checksum is refused.
	resp, body := e.do(e.signedRequest(http.MethodPost, "/xml-bucket?delete", []byte("<Delete><Object><Key>a</Key></Object></Delete>"), nil))
	wantRawError(t, resp, body, wire.CodeInvalidRequest, http.StatusBadRequest)
}
