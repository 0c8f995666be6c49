package objectstorage

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

func TestObjectPutGetHeadDelete(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "objects")
	ctx := context.Background()
	body := []byte("hello, object storage")
	for _, key := range []string{
		"plain.txt",
		"dir/sub dir/file+plus%percent ü 한글.txt",
		"/leading-slash//double",
		"semi;colon=equals&amp?question#hash",
	} {
		put, err := alice.PutObject(ctx, &s3.PutObjectInput{
			Bucket:             aws.String("objects"),
			Key:                aws.String(key),
			Body:               bytes.NewReader(body),
			ContentType:        aws.String("text/plain; charset=utf-8"),
			CacheControl:       aws.String("max-age=60"),
			ContentDisposition: aws.String(`attachment; filename="x.txt"`),
			ContentLanguage:    aws.String("ko"),
			Metadata:           map[string]string{"owner": "alice", "purpose": "test  value  with   runs"},
			ACL:                types.ObjectCannedACLPrivate,
		})
		if err != nil {
			t.Fatalf("PutObject(%q): %v", key, err)
		}
		if e.lastOp() != "objectstorage:PutObject" {
			t.Errorf("operation = %q", e.lastOp())
		}
		wantETag := `"` + md5Hex(body) + `"`
		if aws.ToString(put.ETag) != wantETag {
			t.Errorf("%q: ETag %s, want %s", key, aws.ToString(put.ETag), wantETag)
		}
		get, err := alice.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objects"), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("GetObject(%q): %v", key, err)
		}
		got, _ := io.ReadAll(get.Body)
		get.Body.Close()
		if !bytes.Equal(got, body) {
			t.Errorf("%q: body %q", key, got)
		}
		if aws.ToString(get.ContentType) != "text/plain; charset=utf-8" || aws.ToString(get.CacheControl) != "max-age=60" ||
			aws.ToString(get.ContentDisposition) != `attachment; filename="x.txt"` || aws.ToString(get.ContentLanguage) != "ko" ||
			aws.ToString(get.ETag) != wantETag || aws.ToInt64(get.ContentLength) != int64(len(body)) {
			t.Errorf("%q: headers %+v", key, get)
		}
		if get.Metadata["owner"] != "alice" || get.Metadata["purpose"] != "test  value  with   runs" {
			t.Errorf("%q: metadata %v", key, get.Metadata)
		}
		head, err := alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("objects"), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("HeadObject(%q): %v", key, err)
		}
		if aws.ToInt64(head.ContentLength) != int64(len(body)) || aws.ToString(head.ETag) != wantETag || head.Metadata["owner"] != "alice" {
			t.Errorf("%q: head %+v", key, head)
		}
		if head.LastModified == nil || time.Since(*head.LastModified) > time.Minute {
			t.Errorf("%q: last modified %v", key, head.LastModified)
		}
		if _, err := alice.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("objects"), Key: aws.String(key)}); err != nil {
			t.Fatalf("DeleteObject(%q): %v", key, err)
		}
		_, err = alice.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objects"), Key: aws.String(key)})
		wantAPIError(t, err, wire.CodeNoSuchKey, http.StatusNotFound)
		_, err = alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("objects"), Key: aws.String(key)})
		wantStatus(t, err, http.StatusNotFound)
		// Deleting a missing key succeeds.
		if _, err := alice.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("objects"), Key: aws.String(key)}); err != nil {
			t.Fatalf("second DeleteObject(%q): %v", key, err)
		}
	}
	_, err := alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("objects"), Key: aws.String(strings.Repeat("k", 1025)), Body: strings.NewReader("x")})
	wantAPIError(t, err, wire.CodeKeyTooLong, http.StatusBadRequest)
	_, err = alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("missing-bucket"), Key: aws.String("k"), Body: strings.NewReader("x")})
	wantAPIError(t, err, wire.CodeNoSuchBucket, http.StatusNotFound)
	_, err = alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("objects"), Key: aws.String("k"), Body: strings.NewReader("x"),
		Metadata: map[string]string{"big": strings.Repeat("v", 2100)}})
	wantAPIError(t, err, wire.CodeMetadataTooLarge, http.StatusBadRequest)
	_, err = alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("objects"), Key: aws.String("k"), Body: strings.NewReader("x"),
		Tagging: aws.String("aws:system=b")})
	wantAPIError(t, err, wire.CodeInvalidTag, http.StatusBadRequest)
}

func TestGetObjectRange(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "ranges")
	ctx := context.Background()
	mustPut(t, alice, "ranges", "digits", []byte("0123456789"))
	for _, tc := range []struct {
		rng, body, contentRange string
	}{
		{"bytes=2-5", "2345", "bytes 2-5/10"},
		{"bytes=7-", "789", "bytes 7-9/10"},
		{"bytes=-3", "789", "bytes 7-9/10"},
		{"bytes=8-100", "89", "bytes 8-9/10"},
		{"bytes=-50", "0123456789", "bytes 0-9/10"},
	} {
		out, err := alice.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ranges"), Key: aws.String("digits"), Range: aws.String(tc.rng)})
		if err != nil {
			t.Fatalf("%s: %v", tc.rng, err)
		}
		got, _ := io.ReadAll(out.Body)
		out.Body.Close()
		if string(got) != tc.body || aws.ToString(out.ContentRange) != tc.contentRange {
			t.Errorf("%s: body %q range %q", tc.rng, got, aws.ToString(out.ContentRange))
		}
	}
	for _, rng := range []string{"bytes=10-", "bytes=20-30", "bytes=-0"} {
		_, err := alice.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("ranges"), Key: aws.String("digits"), Range: aws.String(rng)})
		wantAPIError(t, err, wire.CodeInvalidRange, http.StatusRequestedRangeNotSatisfiable)
	}
	// A raw GET sees 206 and the whole-object size in Content-Range.
	req := e.signedRequest(http.MethodGet, "/ranges/digits", nil, http.Header{"Range": {"bytes=0-0"}})
	resp, body := e.do(req)
	if resp.StatusCode != http.StatusPartialContent || string(body) != "0" || resp.Header.Get("Content-Range") != "bytes 0-0/10" {
		t.Errorf("raw range: %d %q %q", resp.StatusCode, body, resp.Header.Get("Content-Range"))
	}
	// Several ranges are ignored: the whole object.
	req = e.signedRequest(http.MethodGet, "/ranges/digits", nil, http.Header{"Range": {"bytes=0-1,4-5"}})
	resp, body = e.do(req)
	if resp.StatusCode != http.StatusOK || string(body) != "0123456789" {
		t.Errorf("multi range: %d %q", resp.StatusCode, body)
	}
}

func TestConditionalRequests(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "conditions")
	ctx := context.Background()
	put := func(body string, mod func(*s3.PutObjectInput)) (*s3.PutObjectOutput, error) {
		in := &s3.PutObjectInput{Bucket: aws.String("conditions"), Key: aws.String("state.tflock"), Body: strings.NewReader(body)}
		mod(in)
		return alice.PutObject(ctx, in)
	}
	// The OpenTofu lock: the second If-None-Match: * fails.
	first, err := put("lock-1", func(in *s3.PutObjectInput) { in.IfNoneMatch = aws.String("*") })
	if err != nil {
		t.Fatalf("first conditional put: %v", err)
	}
	_, err = put("lock-2", func(in *s3.PutObjectInput) { in.IfNoneMatch = aws.String("*") })
	wantAPIError(t, err, wire.CodePreconditionFailed, http.StatusPreconditionFailed)
	if got := string(mustGet(t, alice, "conditions", "state.tflock")); got != "lock-1" {
		t.Errorf("lock overwritten: %q", got)
	}
	// If-Match on writes.
	_, err = put("x", func(in *s3.PutObjectInput) { in.IfMatch = aws.String(`"00000000000000000000000000000000"`) })
	wantAPIError(t, err, wire.CodePreconditionFailed, http.StatusPreconditionFailed)
	second, err := put("lock-3", func(in *s3.PutObjectInput) { in.IfMatch = first.ETag })
	if err != nil {
		t.Fatalf("If-Match put: %v", err)
	}

	get := func(mod func(*s3.GetObjectInput)) error {
		in := &s3.GetObjectInput{Bucket: aws.String("conditions"), Key: aws.String("state.tflock")}
		mod(in)
		out, err := alice.GetObject(ctx, in)
		if err == nil {
			out.Body.Close()
		}
		return err
	}
	if err := get(func(in *s3.GetObjectInput) { in.IfMatch = second.ETag }); err != nil {
		t.Errorf("If-Match current: %v", err)
	}
	wantAPIError(t, get(func(in *s3.GetObjectInput) { in.IfMatch = first.ETag }), wire.CodePreconditionFailed, http.StatusPreconditionFailed)
	wantStatus(t, get(func(in *s3.GetObjectInput) { in.IfNoneMatch = second.ETag }), http.StatusNotModified)
	if err := get(func(in *s3.GetObjectInput) { in.IfNoneMatch = first.ETag }); err != nil {
		t.Errorf("If-None-Match old etag: %v", err)
	}
	future := time.Now().Add(time.Hour)
	past := time.Now().Add(-time.Hour)
	wantStatus(t, get(func(in *s3.GetObjectInput) { in.IfModifiedSince = &future }), http.StatusNotModified)
	if err := get(func(in *s3.GetObjectInput) { in.IfModifiedSince = &past }); err != nil {
		t.Errorf("If-Modified-Since past: %v", err)
	}
	wantAPIError(t, get(func(in *s3.GetObjectInput) { in.IfUnmodifiedSince = &past }), wire.CodePreconditionFailed, http.StatusPreconditionFailed)

	// 304 has no body; the raw answer shows it.
	resp, body := e.do(e.signedRequest(http.MethodGet, "/conditions/state.tflock", nil, http.Header{"If-None-Match": {aws.ToString(second.ETag)}}))
	if resp.StatusCode != http.StatusNotModified || len(body) != 0 || resp.Header.Get("ETag") != aws.ToString(second.ETag) {
		t.Errorf("raw 304: %d %q %v", resp.StatusCode, body, resp.Header)
	}

	// Conditional delete.
	_, err = alice.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("conditions"), Key: aws.String("state.tflock"), IfMatch: first.ETag})
	wantAPIError(t, err, wire.CodePreconditionFailed, http.StatusPreconditionFailed)
	if _, err := alice.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("conditions"), Key: aws.String("state.tflock"), IfMatch: second.ETag}); err != nil {
		t.Fatalf("conditional delete: %v", err)
	}
	if _, err := put("lock-4", func(in *s3.PutObjectInput) { in.IfNoneMatch = aws.String("*") }); err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
}

func TestCopyObject(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	alice, bob := e.alice(), e.bob()
	mustCreateBucket(t, alice, "copy-src")
	mustCreateBucket(t, alice, "copy-dst")
	mustCreateBucket(t, bob, "bob-dst")
	src := "source dir/file+1.txt"
	_, err := alice.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("copy-src"), Key: aws.String(src), Body: strings.NewReader("copy me"),
		ContentType: aws.String("text/x-copy"), Metadata: map[string]string{"m": "1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	copySource := url.PathEscape("copy-src") + "/" + strings.ReplaceAll(url.PathEscape(src), "+", "%2B")

	out, err := alice.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("copy-dst"), Key: aws.String("copied"), CopySource: aws.String(copySource)})
	if err != nil {
		t.Fatalf("CopyObject: %v", err)
	}
	if e.lastOp() != "objectstorage:CopyObject" {
		t.Errorf("operation = %q", e.lastOp())
	}
	if aws.ToString(out.CopyObjectResult.ETag) != `"`+md5Hex([]byte("copy me"))+`"` {
		t.Errorf("copy ETag = %s", aws.ToString(out.CopyObjectResult.ETag))
	}
	head, err := alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("copy-dst"), Key: aws.String("copied")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(head.ContentType) != "text/x-copy" || head.Metadata["m"] != "1" {
		t.Errorf("COPY directive lost metadata: %+v", head)
	}
	if got := string(mustGet(t, alice, "copy-dst", "copied")); got != "copy me" {
		t.Errorf("copied body %q", got)
	}

	_, err = alice.CopyObject(ctx, &s3.CopyObjectInput{
		Bucket: aws.String("copy-dst"), Key: aws.String("replaced"), CopySource: aws.String(copySource),
		MetadataDirective: types.MetadataDirectiveReplace, ContentType: aws.String("application/json"),
		Metadata: map[string]string{"n": "2"},
	})
	if err != nil {
		t.Fatal(err)
	}
	head, err = alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("copy-dst"), Key: aws.String("replaced")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(head.ContentType) != "application/json" || head.Metadata["n"] != "2" || head.Metadata["m"] != "" {
		t.Errorf("REPLACE directive: %+v", head)
	}

	// Copying onto itself needs REPLACE.
	_, err = alice.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("copy-src"), Key: aws.String(src), CopySource: aws.String(copySource)})
	wantAPIError(t, err, wire.CodeInvalidRequest, http.StatusBadRequest)
	// Other accounts can read neither the source nor write the target.
	_, err = bob.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bob-dst"), Key: aws.String("stolen"), CopySource: aws.String(copySource)})
	wantAPIError(t, err, wire.CodeAccessDenied, http.StatusForbidden)
	_, err = alice.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bob-dst"), Key: aws.String("pushed"), CopySource: aws.String(copySource)})
	wantAPIError(t, err, wire.CodeAccessDenied, http.StatusForbidden)
	_, err = alice.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("copy-dst"), Key: aws.String("x"), CopySource: aws.String("copy-src/missing")})
	wantAPIError(t, err, wire.CodeNoSuchKey, http.StatusNotFound)
	_, err = alice.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("copy-dst"), Key: aws.String("x"), CopySource: aws.String(copySource),
		CopySourceIfMatch: aws.String(`"deadbeef"`)})
	wantAPIError(t, err, wire.CodePreconditionFailed, http.StatusPreconditionFailed)
}

func TestChecksumsAndDigests(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "digests")
	ctx := context.Background()

	_, err := alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("digests"), Key: aws.String("md5"), Body: strings.NewReader("data"),
		ContentMD5: aws.String(contentMD5([]byte("other")))})
	wantAPIError(t, err, wire.CodeBadDigest, http.StatusBadRequest)
	_, err = alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("digests"), Key: aws.String("md5"), Body: strings.NewReader("data"),
		ContentMD5: aws.String(contentMD5([]byte("data")))})
	if err != nil {
		t.Fatalf("good Content-MD5: %v", err)
	}
	_, err = alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("digests"), Key: aws.String("crc"), Body: strings.NewReader("data"),
		ChecksumCRC32: aws.String("AAAAAA==")})
	wantAPIError(t, err, wire.CodeBadDigest, http.StatusBadRequest)
	_, err = alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("digests"), Key: aws.String("sha"), Body: strings.NewReader("data"),
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
	if err != nil {
		t.Fatalf("SHA256 checksum: %v", err)
	}
	// A failed upload leaves no object behind.
	_, err = alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("digests"), Key: aws.String("crc")})
	wantStatus(t, err, http.StatusNotFound)

	// A literal x-amz-content-sha256 that does not match the body.
	req := e.signedRequest(http.MethodPut, "/digests/lying", []byte("signed body"), nil)
	req.Body = io.NopCloser(strings.NewReader("other body!"))
	resp, body := e.do(req)
	// The signature covers the declared hash, so it still verifies; the
	// body does not match it.
	wantRawError(t, resp, body, wire.CodeXAmzContentSHA256Mismatch, http.StatusBadRequest)
}

func TestDefaultSDKUploads(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts []func(*envOptions)
	}{
		// Over plain HTTP the SDK sends a CRC32 header and a literal payload
		// hash; over TLS an aws-chunked body with a trailing checksum.
		{"http", nil},
		{"tls", []func(*envOptions){withTLS()}},
		{"tls+disk", []func(*envOptions){withTLS(), withDataDir(t.TempDir())}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, tc.opts...)
			ctx := context.Background()
			alice := e.alice()
			mustCreateBucket(t, alice, "defaults")
			payload := bytes.Repeat([]byte("0123456789abcdef"), 40000) // 640000 bytes, several chunks
			_, err := alice.PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String("defaults"), Key: aws.String("big"),
				Body: bytes.NewReader(payload),
			})
			if err != nil {
				t.Fatalf("PutObject with defaults: %v", err)
			}
			if got := mustGet(t, alice, "defaults", "big"); !bytes.Equal(got, payload) {
				t.Fatalf("stored %d bytes, want %d", len(got), len(payload))
			}
			// The stored checksum is returned (and checked by the SDK).
			out, err := alice.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("defaults"), Key: aws.String("big"), ChecksumMode: types.ChecksumModeEnabled})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadAll(out.Body); err != nil {
				t.Fatalf("read with checksum validation: %v", err)
			}
			out.Body.Close()
			if aws.ToString(out.ChecksumCRC32) == "" {
				t.Errorf("no CRC32 checksum returned")
			}
			head, err := alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("defaults"), Key: aws.String("big")})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToString(head.ContentEncoding) != "" {
				t.Errorf("aws-chunked leaked into Content-Encoding: %q", aws.ToString(head.ContentEncoding))
			}
			// Explicit algorithms go the same way.
			for _, alg := range []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc32c, types.ChecksumAlgorithmSha1, types.ChecksumAlgorithmCrc64nvme} {
				_, err := alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("defaults"), Key: aws.String("alg-" + string(alg)),
					Body: bytes.NewReader(payload[:1000]), ChecksumAlgorithm: alg})
				if err != nil {
					t.Fatalf("PutObject with %s: %v", alg, err)
				}
			}
		})
	}
}

func TestACLAndAnonymousAccess(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	alice, bob := e.alice(), e.bob()
	mustCreateBucket(t, alice, "acl-objects")
	mustPut(t, alice, "acl-objects", "private.txt", []byte("secret"))
	mustPut(t, alice, "acl-objects", "dir/public file.txt", []byte("public"))

	anonGet := func(key string) (*http.Response, []byte) {
		u := e.srv.URL + "/acl-objects/" + strings.ReplaceAll(url.PathEscape(key), "%2F", "/")
		resp, err := e.srv.Client().Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, body := anonGet("dir/public file.txt")
	wantRawError(t, resp, body, wire.CodeAccessDenied, http.StatusForbidden)

	if _, err := alice.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("acl-objects"), Key: aws.String("dir/public file.txt"), ACL: types.ObjectCannedACLPublicRead}); err != nil {
		t.Fatalf("PutObjectAcl: %v", err)
	}
	resp, body = anonGet("dir/public file.txt")
	if resp.StatusCode != http.StatusOK || string(body) != "public" {
		t.Fatalf("anonymous GET of public object: %d %s", resp.StatusCode, body)
	}
	resp, body = anonGet("private.txt")
	wantRawError(t, resp, body, wire.CodeAccessDenied, http.StatusForbidden)
	// Without bucket read access a missing key is not revealed.
	resp, body = anonGet("missing")
	wantRawError(t, resp, body, wire.CodeAccessDenied, http.StatusForbidden)
	// Another account reads the public object, not the private one.
	if got := string(mustGet(t, bob, "acl-objects", "dir/public file.txt")); got != "public" {
		t.Errorf("bob read %q", got)
	}
	_, err := bob.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("acl-objects"), Key: aws.String("private.txt")})
	wantAPIError(t, err, wire.CodeAccessDenied, http.StatusForbidden)
	objACL, err := alice.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("acl-objects"), Key: aws.String("dir/public file.txt")})
	if err != nil || len(objACL.Grants) != 2 {
		t.Fatalf("GetObjectAcl: %+v %v", objACL, err)
	}

	// A public-read bucket lets anyone list it, not read its objects:
	// reading follows each object's own ACL (S3's rule), for anonymous
	// callers and other accounts alike.
	if _, err := alice.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("acl-objects"), ACL: types.BucketCannedACLPublicRead}); err != nil {
		t.Fatal(err)
	}
	resp, body = anonGet("private.txt")
	wantRawError(t, resp, body, wire.CodeAccessDenied, http.StatusForbidden)
	_, err = bob.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("acl-objects"), Key: aws.String("private.txt")})
	wantAPIError(t, err, wire.CodeAccessDenied, http.StatusForbidden)
	_, err = bob.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("acl-objects"), Key: aws.String("stolen"), CopySource: aws.String("acl-objects/private.txt")})
	wantAPIError(t, err, wire.CodeAccessDenied, http.StatusForbidden)
	if got := string(mustGet(t, bob, "acl-objects", "dir/public file.txt")); got != "public" {
		t.Errorf("bob read %q from the public object of a public bucket", got)
	}
	// Who may list learns that a key is missing.
	resp, body = anonGet("missing")
	wantRawError(t, resp, body, wire.CodeNoSuchKey, http.StatusNotFound)
	listed, err := bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("acl-objects")})
	if err != nil || objectKeys(listed.Contents) != "dir/public file.txt,private.txt" {
		t.Fatalf("bob lists the public-read bucket: %v %v", listed, err)
	}
	list, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/acl-objects", nil)
	resp, body = e.do(list)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<Key>private.txt</Key>") {
		t.Errorf("anonymous listing of a public-read bucket: %d %s", resp.StatusCode, body)
	}
	if _, err := bob.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("acl-objects")}); err != nil {
		t.Errorf("bob HeadBucket of a public-read bucket: %v", err)
	}
	// Writes stay the owner's, and so does the account's bucket list.
	put, _ := http.NewRequest(http.MethodPut, e.srv.URL+"/acl-objects/anon.txt", strings.NewReader("x"))
	resp, body = e.do(put)
	wantRawError(t, resp, body, wire.CodeAccessDenied, http.StatusForbidden)
	_, err = bob.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: aws.String("acl-objects"), Key: aws.String("private.txt"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}})
	wantAPIError(t, err, wire.CodeAccessDenied, http.StatusForbidden)
	root, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/", nil)
	resp, body = e.do(root)
	wantRawError(t, resp, body, wire.CodeAccessDenied, http.StatusForbidden)
	// Without read access to the bucket, nobody but the owner lists it.
	if _, err := alice.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("acl-objects"), ACL: types.BucketCannedACLPrivate}); err != nil {
		t.Fatal(err)
	}
	resp, body = e.do(list)
	wantRawError(t, resp, body, wire.CodeAccessDenied, http.StatusForbidden)
	_, err = bob.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("acl-objects")})
	wantAPIError(t, err, wire.CodeAccessDenied, http.StatusForbidden)
	// Anonymous HEAD follows the object's ACL too, and HEAD errors have
	// no body.
	head, _ := http.NewRequest(http.MethodHead, e.srv.URL+"/acl-objects/dir/public%20file.txt", nil)
	resp, _ = e.do(head)
	if resp.StatusCode != http.StatusOK || resp.ContentLength != int64(len("public")) {
		t.Errorf("anonymous HEAD: %d %d", resp.StatusCode, resp.ContentLength)
	}
	head, _ = http.NewRequest(http.MethodHead, e.srv.URL+"/acl-objects/private.txt", nil)
	resp, body = e.do(head)
	if resp.StatusCode != http.StatusForbidden || len(body) != 0 {
		t.Errorf("anonymous HEAD of a private object: %d %q", resp.StatusCode, body)
	}
	// Response header overrides need a signed request.
	override, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/acl-objects/dir/public%20file.txt?response-content-type=text/html", nil)
	resp, body = e.do(override)
	wantRawError(t, resp, body, wire.CodeInvalidRequest, http.StatusBadRequest)
}

func TestListObjects(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "listing")
	ctx := context.Background()
	keys := []string{
		"a.txt", "b.txt", "photos/2024/jan.jpg", "photos/2024/feb.jpg", "photos/2025/mar.jpg",
		"photos/index.html", "videos/x.mp4", "z+plus", "z space", "zz/deep/er",
	}
	for _, k := range keys {
		mustPut(t, alice, "listing", k, []byte(k))
	}

	// v1 with a delimiter: keys and common prefixes.
	v1, err := alice.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("listing"), Delimiter: aws.String("/")})
	if err != nil {
		t.Fatal(err)
	}
	if e.lastOp() != "objectstorage:ListObjects" {
		t.Errorf("operation = %q", e.lastOp())
	}
	if got := objectKeys(v1.Contents); got != "a.txt,b.txt,z space,z+plus" {
		t.Errorf("v1 keys = %s", got)
	}
	if got := prefixes(v1.CommonPrefixes); got != "photos/,videos/,zz/" {
		t.Errorf("v1 prefixes = %s", got)
	}
	if v1.Contents[0].Owner == nil || aws.ToString(v1.Contents[0].Owner.ID) != aliceID {
		t.Errorf("v1 owner = %+v", v1.Contents[0].Owner)
	}
	if aws.ToInt64(v1.Contents[0].Size) != int64(len("a.txt")) || aws.ToString(v1.Contents[0].ETag) != `"`+md5Hex([]byte("a.txt"))+`"` {
		t.Errorf("v1 entry = %+v", v1.Contents[0])
	}

	// v1 pagination with a delimiter: NextMarker.
	var seen []string
	marker := ""
	for i := 0; i < 10; i++ {
		out, err := alice.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("listing"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2), Marker: aws.String(marker)})
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, objectKeys(out.Contents), prefixes(out.CommonPrefixes))
		if !aws.ToBool(out.IsTruncated) {
			break
		}
		marker = aws.ToString(out.NextMarker)
		if marker == "" {
			t.Fatal("truncated v1 listing with a delimiter has no NextMarker")
		}
	}
	if got := strings.Join(nonEmpty(seen), ","); got != "a.txt,b.txt,photos/,videos/,z space,z+plus,zz/" {
		t.Errorf("v1 pages = %s", got)
	}

	// v1 pagination without a delimiter: the client continues from the last key.
	var all []string
	marker = ""
	for i := 0; i < 10; i++ {
		out, err := alice.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("listing"), MaxKeys: aws.Int32(4), Marker: aws.String(marker)})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out.Contents {
			all = append(all, aws.ToString(o.Key))
		}
		if !aws.ToBool(out.IsTruncated) {
			break
		}
		if out.NextMarker != nil {
			t.Errorf("NextMarker without a delimiter: %q", aws.ToString(out.NextMarker))
		}
		marker = all[len(all)-1]
	}
	if len(all) != len(keys) {
		t.Errorf("v1 full listing has %d keys: %v", len(all), all)
	}

	// v2 through the SDK paginator.
	var v2keys []string
	p := s3.NewListObjectsV2Paginator(alice, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), MaxKeys: aws.Int32(3)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if aws.ToInt32(out.KeyCount) != int32(len(out.Contents)) {
			t.Errorf("KeyCount %d for %d entries", aws.ToInt32(out.KeyCount), len(out.Contents))
		}
		for _, o := range out.Contents {
			v2keys = append(v2keys, aws.ToString(o.Key))
			if o.Owner != nil {
				t.Errorf("owner without fetch-owner")
			}
		}
	}
	if pages != 4 || len(v2keys) != len(keys) || v2keys[0] != "a.txt" || v2keys[len(v2keys)-1] != "zz/deep/er" {
		t.Errorf("v2: %d pages, keys %v", pages, v2keys)
	}
	if e.lastOp() != "objectstorage:ListObjectsV2" {
		t.Errorf("operation = %q", e.lastOp())
	}

	// v2 with prefix, delimiter, start-after and fetch-owner.
	out, err := alice.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), Prefix: aws.String("photos/"), Delimiter: aws.String("/"), FetchOwner: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if objectKeys(out.Contents) != "photos/index.html" || prefixes(out.CommonPrefixes) != "photos/2024/,photos/2025/" ||
		aws.ToInt32(out.KeyCount) != 3 || out.Contents[0].Owner == nil {
		t.Errorf("v2 prefix listing: %s | %s | %d", objectKeys(out.Contents), prefixes(out.CommonPrefixes), aws.ToInt32(out.KeyCount))
	}
	out, err = alice.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), StartAfter: aws.String("photos/index.html"), MaxKeys: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if objectKeys(out.Contents) != "videos/x.mp4,z space" || !aws.ToBool(out.IsTruncated) {
		t.Errorf("start-after: %s truncated=%v", objectKeys(out.Contents), aws.ToBool(out.IsTruncated))
	}
	// Delimiter pagination over common prefixes with v2.
	var got []string
	var token *string
	for i := 0; i < 10; i++ {
		out, err := alice.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(1), ContinuationToken: token})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, objectKeys(out.Contents), prefixes(out.CommonPrefixes))
		if token = out.NextContinuationToken; token == nil {
			break
		}
	}
	if s := strings.Join(nonEmpty(got), ","); s != "a.txt,b.txt,photos/,videos/,z space,z+plus,zz/" {
		t.Errorf("v2 delimiter pages = %s", s)
	}
	// encoding-type=url encodes keys (the SDK leaves them encoded).
	out, err = alice.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), Prefix: aws.String("z"), EncodingType: types.EncodingTypeUrl})
	if err != nil {
		t.Fatal(err)
	}
	if s := objectKeys(out.Contents); s != "z+space,z%2Bplus,zz/deep/er" {
		t.Errorf("url-encoded keys = %s", s)
	}
	// Bad parameters.
	_, err = alice.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("listing"), ContinuationToken: aws.String("%%%")})
	wantAPIError(t, err, wire.CodeInvalidArgument, http.StatusBadRequest)
	resp, body := e.do(e.signedRequest(http.MethodGet, "/listing?max-keys=-1", nil, nil))
	wantRawError(t, resp, body, wire.CodeInvalidArgument, http.StatusBadRequest)
	_, err = alice.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("no-such-listing")})
	wantAPIError(t, err, wire.CodeNoSuchBucket, http.StatusNotFound)
}

func objectKeys(objs []types.Object) string {
	var out []string
	for _, o := range objs {
		out = append(out, aws.ToString(o.Key))
	}
	return strings.Join(out, ",")
}

func prefixes(cps []types.CommonPrefix) string {
	var out []string
	for _, p := range cps {
		out = append(out, aws.ToString(p.Prefix))
	}
	return strings.Join(out, ",")
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func TestDeleteObjects(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "multi-delete")
	ctx := context.Background()
	for _, k := range []string{"a", "b", "c", "keep"} {
		mustPut(t, alice, "multi-delete", k, []byte(k))
	}
	out, err := alice.DeleteObjects(ctx, &s3.DeleteObjectsInput{
		Bucket: aws.String("multi-delete"),
		Delete: &types.Delete{Objects: []types.ObjectIdentifier{{Key: aws.String("a")}, {Key: aws.String("b")}, {Key: aws.String("never-existed")}}},
	})
	if err != nil {
		t.Fatalf("DeleteObjects: %v", err)
	}
	if e.lastOp() != "objectstorage:DeleteObjects" {
		t.Errorf("operation = %q", e.lastOp())
	}
	if len(out.Deleted) != 3 || len(out.Errors) != 0 {
		t.Errorf("deleted %+v errors %+v", out.Deleted, out.Errors)
	}
	out, err = alice.DeleteObjects(ctx, &s3.DeleteObjectsInput{
		Bucket: aws.String("multi-delete"),
		Delete: &types.Delete{Quiet: aws.Bool(true), Objects: []types.ObjectIdentifier{{Key: aws.String("c")}}},
	})
	if err != nil {
		t.Fatalf("quiet DeleteObjects: %v", err)
	}
	if len(out.Deleted) != 0 || len(out.Errors) != 0 {
		t.Errorf("quiet: deleted %+v errors %+v", out.Deleted, out.Errors)
	}
	list, err := alice.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("multi-delete")})
	if err != nil {
		t.Fatal(err)
	}
	if objectKeys(list.Contents) != "keep" {
		t.Errorf("left: %s", objectKeys(list.Contents))
	}
	// Raw, with Content-MD5 as older clients send it.
	doc := "<Delete><Object><Key>keep</Key></Object></Delete>"
	resp, body := e.do(e.signedRequest(http.MethodPost, "/multi-delete?delete", []byte(doc), http.Header{"Content-Md5": {contentMD5([]byte(doc))}}))
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<Deleted><Key>keep</Key></Deleted>") {
		t.Errorf("raw multi-delete: %d %s", resp.StatusCode, body)
	}
	resp, body = e.do(e.signedRequest(http.MethodPost, "/multi-delete?delete", []byte(doc), http.Header{"Content-Md5": {contentMD5([]byte("x"))}}))
	wantRawError(t, resp, body, wire.CodeBadDigest, http.StatusBadRequest)
}

func TestOtherErrorsAreClear(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	mustCreateBucket(t, e.alice(), "errs")
	for _, tc := range []struct {
		name, method, path string
		header             http.Header
		code               string
		status             int
	}{
		{"bad version", http.MethodGet, "/errs/k?versionId=abc", nil, wire.CodeInvalidArgument, http.StatusBadRequest},
		{"bad list type", http.MethodGet, "/errs?list-type=3", nil, wire.CodeInvalidArgument, http.StatusBadRequest},
		{"bad encoding", http.MethodGet, "/errs?encoding-type=base64", nil, wire.CodeInvalidArgument, http.StatusBadRequest},
		{"bad acl", http.MethodPut, "/errs/k", http.Header{"X-Amz-Acl": {"everyone"}}, wire.CodeInvalidArgument, http.StatusBadRequest},
		{"bad storage class", http.MethodPut, "/errs/k", http.Header{"X-Amz-Storage-Class": {"GLACIER"}}, wire.CodeInvalidStorageClass, http.StatusBadRequest},
		{"kms", http.MethodPut, "/errs/k", http.Header{"X-Amz-Server-Side-Encryption": {"aws:kms"}}, wire.CodeNotImplemented, http.StatusNotImplemented},
		{"if-none-match etag on put", http.MethodPut, "/errs/k", http.Header{"If-None-Match": {`"abc"`}}, wire.CodeNotImplemented, http.StatusNotImplemented},
		{"post object", http.MethodPost, "/errs", nil, wire.CodeNotImplemented, http.StatusNotImplemented},
		{"bad part number", http.MethodPut, "/errs/k?partNumber=0&uploadId=x", nil, wire.CodeInvalidArgument, http.StatusBadRequest},
		{"no such upload", http.MethodPut, "/errs/k?partNumber=1&uploadId=x", nil, wire.CodeNoSuchUpload, http.StatusNotFound},
		{"bad copy source", http.MethodPut, "/errs/k", http.Header{"X-Amz-Copy-Source": {"justabucket"}}, wire.CodeInvalidArgument, http.StatusBadRequest},
		{"bad directive", http.MethodPut, "/errs/k", http.Header{"X-Amz-Copy-Source": {"errs/a"}, "X-Amz-Metadata-Directive": {"MOVE"}}, wire.CodeInvalidArgument, http.StatusBadRequest},
	} {
		resp, body := e.do(e.signedRequest(tc.method, tc.path, nil, tc.header))
		if resp.StatusCode != tc.status || decodeError(t, body).Code != tc.code {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
		}
	}
}

func TestConcurrentWriters(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, withDataDir(t.TempDir()))
	ctx := context.Background()
	alice := e.alice()
	mustCreateBucket(t, alice, "concurrent")

	// Of many simultaneous lock attempts exactly one wins.
	const lockers = 16
	errs := make([]error, lockers)
	var wg sync.WaitGroup
	for i := range lockers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("concurrent"), Key: aws.String("lock"),
				Body: strings.NewReader(fmt.Sprintf("holder %d", i)), IfNoneMatch: aws.String("*")})
		}()
	}
	wg.Wait()
	winners := 0
	for _, err := range errs {
		if err == nil {
			winners++
		} else {
			wantAPIError(t, err, wire.CodePreconditionFailed, http.StatusPreconditionFailed)
		}
	}
	if winners != 1 {
		t.Fatalf("%d lock holders", winners)
	}

	// Readers racing writers always see one whole version.
	const size = 200000
	mustPut(t, alice, "concurrent", "hot", bytes.Repeat([]byte{'@'}, size))
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("concurrent"), Key: aws.String("hot"),
				Body: bytes.NewReader(bytes.Repeat([]byte{byte('A' + i)}, size))})
			if err != nil {
				t.Errorf("writer %d: %v", i, err)
			}
		}()
		go func() {
			defer wg.Done()
			out, err := alice.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("concurrent"), Key: aws.String("hot")})
			if err != nil {
				t.Errorf("reader %d: %v", i, err)
				return
			}
			defer out.Body.Close()
			b, err := io.ReadAll(out.Body)
			if err != nil || len(b) != size || bytes.Count(b, b[:1]) != size {
				t.Errorf("reader %d saw a mixed or short body (%d bytes, %v)", i, len(b), err)
			}
		}()
	}
	wg.Wait()
	if n := countFiles(t, e.svc.dir+"/"+blobDirName); n != 2 {
		t.Errorf("%d body files for 2 objects", n)
	}
}

func TestCORSOnActualRequests(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "cors-actual")
	ctx := context.Background()
	mustPut(t, alice, "cors-actual", "k", []byte("v"))
	_, err := alice.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("cors-actual"), CORSConfiguration: &types.CORSConfiguration{
		CORSRules: []types.CORSRule{{AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"*"}, ExposeHeaders: []string{"ETag"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	req := e.signedRequest(http.MethodGet, "/cors-actual/k", nil, http.Header{"Origin": {"https://site.test"}})
	resp, body := e.do(req)
	if resp.StatusCode != http.StatusOK || string(body) != "v" || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		resp.Header.Get("Access-Control-Expose-Headers") != "ETag" {
		t.Errorf("GET with Origin: %d %v", resp.StatusCode, resp.Header)
	}
	req = e.signedRequest(http.MethodDelete, "/cors-actual/k", nil, http.Header{"Origin": {"https://site.test"}})
	resp, _ = e.do(req)
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("DELETE is not allowed by the rule, yet: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestAWSChunkedNeedsStreamingHash(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	mustCreateBucket(t, e.alice(), "chunky")
	resp, body := e.do(e.signedRequest(http.MethodPut, "/chunky/k", []byte("5\r\nhello\r\n0\r\n\r\n"),
		http.Header{"Content-Encoding": {"aws-chunked"}}))
	wantRawError(t, resp, body, wire.CodeInvalidRequest, http.StatusBadRequest)
}
