package objectstorage

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

func TestCreateBucketObjectLockHeader(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	alice := e.alice()
	ctx := context.Background()
	// rclone and boto3 send "false" on every CreateBucket.
	if _, err := alice.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lock-false"), ObjectLockEnabledForBucket: aws.Bool(false)}); err != nil {
		t.Fatalf("CreateBucket with object lock false: %v", err)
	}
	if _, err := alice.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("lock-false")}); err != nil {
		t.Fatalf("bucket made with object lock false: %v", err)
	}
	_, err := alice.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lock-true"), ObjectLockEnabledForBucket: aws.Bool(true)})
	wantAPIError(t, err, wire.CodeNotImplemented, http.StatusNotImplemented)
	resp, body := e.do(e.signedRequest(http.MethodPut, "/lock-bad", nil, http.Header{"X-Amz-Bucket-Object-Lock-Enabled": {"maybe"}}))
	wantRawError(t, resp, body, wire.CodeInvalidArgument, http.StatusBadRequest)
	resp, body = e.do(e.signedRequest(http.MethodPut, "/lock-upper", nil, http.Header{"X-Amz-Bucket-Object-Lock-Enabled": {"False"}}))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("object lock False: %d %s", resp.StatusCode, body)
	}
	// Nothing was created by the refused requests.
	out, err := alice.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range out.Buckets {
		names = append(names, aws.ToString(b.Name))
	}
	if strings.Join(names, ",") != "lock-false,lock-upper" {
		t.Errorf("buckets = %v", names)
	}
}

func TestUnconfiguredBucketSubResources(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "bare")
	bob := e.bob()
	ctx := context.Background()
	b := aws.String("bare")

	v, err := alice.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	if err != nil || v.Status != "" || v.MFADelete != "" {
		t.Fatalf("GetBucketVersioning: %+v %v", v, err)
	}
	if e.lastOp() != "objectstorage:GetBucketVersioning" {
		t.Errorf("operation = %q", e.lastOp())
	}
	_, err = alice.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: b})
	wantAPIError(t, err, wire.CodeNoSuchLifecycleConfiguration, http.StatusNotFound)
	_, err = alice.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: b})
	wantAPIError(t, err, wire.CodeNoSuchBucketPolicy, http.StatusNotFound)
	_, err = alice.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: b})
	wantAPIError(t, err, wire.CodeNoSuchTagSet, http.StatusNotFound)
	_, err = alice.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: b})
	wantAPIError(t, err, wire.CodeNoSuchEncryptionConfiguration, http.StatusNotFound)
	_, err = alice.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: b})
	wantAPIError(t, err, wire.CodeNoSuchWebsiteConfiguration, http.StatusNotFound)
	if e.lastOp() != "objectstorage:GetBucketWebsite" {
		t.Errorf("operation = %q", e.lastOp())
	}

	// Deleting what is not configured succeeds and changes nothing.
	if _, err := alice.DeleteBucketLifecycle(ctx, &s3.DeleteBucketLifecycleInput{Bucket: b}); err != nil {
		t.Errorf("DeleteBucketLifecycle: %v", err)
	}
	if _, err := alice.DeleteBucketTagging(ctx, &s3.DeleteBucketTaggingInput{Bucket: b}); err != nil {
		t.Errorf("DeleteBucketTagging: %v", err)
	}
	if e.lastOp() != "objectstorage:DeleteBucketTagging" {
		t.Errorf("operation = %q", e.lastOp())
	}

	// Configuring them is not emulated: a clean 501 that names the operation.
	_, err = alice.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: b,
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
	wantAPIError(t, err, wire.CodeNotImplemented, http.StatusNotImplemented)
	if e.lastOp() != "objectstorage:PutBucketVersioning" {
		t.Errorf("operation = %q", e.lastOp())
	}
	_, err = alice.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String("{}")})
	wantAPIError(t, err, wire.CodeNotImplemented, http.StatusNotImplemented)
	v, err = alice.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	if err != nil || v.Status != "" {
		t.Fatalf("versioning after the refused PUT: %+v %v", v, err)
	}

	// The bucket is checked first: missing, or someone else's.
	_, err = alice.GetBucketLifecycleConfiguration(ctx, &s3.GetBucketLifecycleConfigurationInput{Bucket: aws.String("nowhere")})
	wantAPIError(t, err, wire.CodeNoSuchBucket, http.StatusNotFound)
	_, err = bob.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: b})
	wantAPIError(t, err, wire.CodeAccessDenied, http.StatusForbidden)
	_, err = bob.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: b})
	wantAPIError(t, err, wire.CodeAccessDenied, http.StatusForbidden)
}

func TestSubResourceOperationNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		method   string
		onObject bool
		sr, want string
	}{
		{http.MethodGet, false, "replication", "GetBucketReplication"},
		{http.MethodPut, false, "lifecycle", "PutBucketLifecycleConfiguration"},
		{http.MethodGet, false, "versions", "ListObjectVersions"},
		{http.MethodGet, false, "object-lock", "GetObjectLockConfiguration"},
		{http.MethodPut, true, "retention", "PutObjectRetention"},
		{http.MethodPost, true, "restore", "RestoreObject"},
		{http.MethodGet, true, "attributes", "GetObjectAttributes"},
		{http.MethodDelete, false, "publicAccessBlock", "DeleteBucketPublicAccessBlock"},
	} {
		if got := subResourceOp(tc.method, tc.onObject, tc.sr); got != tc.want {
			t.Errorf("%s %s (object %v) = %s, want %s", tc.method, tc.sr, tc.onObject, got, tc.want)
		}
	}
}

// tagString renders a tag set as "k=v,k=v" in the order given.
func tagString(tags []types.Tag) string {
	var out []string
	for _, tg := range tags {
		out = append(out, aws.ToString(tg.Key)+"="+aws.ToString(tg.Value))
	}
	return strings.Join(out, ",")
}

func (e *testEnv) wantTags(c *s3.Client, bucket, key, want string) {
	e.t.Helper()
	out, err := c.GetObjectTagging(context.Background(), &s3.GetObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		e.t.Fatalf("GetObjectTagging(%s/%s): %v", bucket, key, err)
	}
	if got := tagString(out.TagSet); got != want {
		e.t.Errorf("tags of %s/%s = %q, want %q", bucket, key, got, want)
	}
}

func TestObjectTagging(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "tags")
	ctx := context.Background()
	b := aws.String("tags")

	// x-amz-tagging on PutObject; the count on HEAD and GET.
	if _, err := alice.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("tagged"), Body: strings.NewReader("x"),
		Tagging: aws.String("team=video&stage=raw%20input")}); err != nil {
		t.Fatal(err)
	}
	e.wantTags(alice, "tags", "tagged", "stage=raw input,team=video")
	head, err := alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("tagged")})
	if err != nil {
		t.Fatal(err)
	}
	get, err := alice.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: aws.String("tagged")})
	if err != nil {
		t.Fatal(err)
	}
	get.Body.Close()
	if aws.ToInt32(get.TagCount) != 2 {
		t.Errorf("GetObject tag count %d", aws.ToInt32(get.TagCount))
	}
	if head.ETag == nil {
		t.Error("HeadObject lost its ETag")
	}

	// An untagged object has an empty (but present) tag set.
	mustPut(t, alice, "tags", "plain", []byte("y"))
	e.wantTags(alice, "tags", "plain", "")
	resp, body := e.do(e.signedRequest(http.MethodGet, "/tags/plain?tagging", nil, nil))
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "<TagSet></TagSet>") {
		t.Errorf("empty tag set: %d %s", resp.StatusCode, body)
	}

	// PutObjectTagging replaces the set; DeleteObjectTagging empties it.
	if _, err := alice.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: b, Key: aws.String("plain"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String("한글"), Value: aws.String("값")}, {Key: aws.String("empty"), Value: aws.String("")}}}}); err != nil {
		t.Fatalf("PutObjectTagging: %v", err)
	}
	if e.lastOp() != "objectstorage:PutObjectTagging" {
		t.Errorf("operation = %q", e.lastOp())
	}
	e.wantTags(alice, "tags", "plain", "한글=값,empty=")
	if got := string(mustGet(t, alice, "tags", "plain")); got != "y" {
		t.Errorf("tagging changed the body: %q", got)
	}
	if _, err := alice.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: b, Key: aws.String("plain")}); err != nil {
		t.Fatalf("DeleteObjectTagging: %v", err)
	}
	e.wantTags(alice, "tags", "plain", "")

	// Invalid tag sets are refused and change nothing.
	tooMany := make([]types.Tag, 11)
	for i := range tooMany {
		tooMany[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%d", i)), Value: aws.String("v")}
	}
	for name, set := range map[string][]types.Tag{
		"eleven tags":   tooMany,
		"duplicate key": {{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("a"), Value: aws.String("2")}},
		"system key":    {{Key: aws.String("aws:owner"), Value: aws.String("x")}},
		"empty key":     {{Key: aws.String(""), Value: aws.String("x")}},
		"long key":      {{Key: aws.String(strings.Repeat("k", 129)), Value: aws.String("x")}},
		"long value":    {{Key: aws.String("k"), Value: aws.String(strings.Repeat("가", 257))}},
	} {
		_, err := alice.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: b, Key: aws.String("tagged"), Tagging: &types.Tagging{TagSet: set}})
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		wantAPIError(t, err, wire.CodeInvalidTag, http.StatusBadRequest)
	}
	e.wantTags(alice, "tags", "tagged", "stage=raw input,team=video")
	// A key that is 128 characters (of 3 bytes each) is fine.
	if _, err := alice.PutObjectTagging(ctx, &s3.PutObjectTaggingInput{Bucket: b, Key: aws.String("plain"),
		Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String(strings.Repeat("키", 128)), Value: aws.String(strings.Repeat("v", 256))}}}}); err != nil {
		t.Errorf("longest tag: %v", err)
	}
	_, err = alice.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("dup"), Body: strings.NewReader("x"), Tagging: aws.String("a=1&a=2")})
	wantAPIError(t, err, wire.CodeInvalidArgument, http.StatusBadRequest)
	// PutObjectTagging needs an integrity check, as in S3.
	doc := `<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>`
	resp, body = e.do(e.signedRequest(http.MethodPut, "/tags/plain?tagging", []byte(doc), nil))
	wantRawError(t, resp, body, wire.CodeInvalidRequest, http.StatusBadRequest)
	resp, body = e.do(e.signedRequest(http.MethodPut, "/tags/plain?tagging", []byte(doc), http.Header{"Content-Md5": {contentMD5([]byte(doc))}}))
	if resp.StatusCode != http.StatusOK {
		t.Errorf("PutObjectTagging with Content-MD5: %d %s", resp.StatusCode, body)
	}

	// Missing objects, and objects of others.
	_, err = alice.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: b, Key: aws.String("missing")})
	wantAPIError(t, err, wire.CodeNoSuchKey, http.StatusNotFound)
	_, err = alice.DeleteObjectTagging(ctx, &s3.DeleteObjectTaggingInput{Bucket: b, Key: aws.String("missing")})
	wantAPIError(t, err, wire.CodeNoSuchKey, http.StatusNotFound)
	_, err = e.bob().GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: b, Key: aws.String("tagged")})
	wantAPIError(t, err, wire.CodeAccessDenied, http.StatusForbidden)
}

func TestCopyTaggingDirective(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "copy-tags")
	ctx := context.Background()
	b := aws.String("copy-tags")
	if _, err := alice.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("src"), Body: strings.NewReader("body"),
		Tagging: aws.String("a=1")}); err != nil {
		t.Fatal(err)
	}
	copyTo := func(key string, in *s3.CopyObjectInput) {
		t.Helper()
		in.Bucket, in.Key, in.CopySource = b, aws.String(key), aws.String("copy-tags/src")
		if _, err := alice.CopyObject(ctx, in); err != nil {
			t.Fatalf("CopyObject to %s: %v", key, err)
		}
	}
	copyTo("default", &s3.CopyObjectInput{})
	e.wantTags(alice, "copy-tags", "default", "a=1")
	copyTo("copy", &s3.CopyObjectInput{TaggingDirective: types.TaggingDirectiveCopy, Tagging: aws.String("ignored=1")})
	e.wantTags(alice, "copy-tags", "copy", "a=1")
	copyTo("replace", &s3.CopyObjectInput{TaggingDirective: types.TaggingDirectiveReplace, Tagging: aws.String("b=2&c=3")})
	e.wantTags(alice, "copy-tags", "replace", "b=2,c=3")
	copyTo("replace-none", &s3.CopyObjectInput{TaggingDirective: types.TaggingDirectiveReplace})
	e.wantTags(alice, "copy-tags", "replace-none", "")
	// The metadata directive does not decide the tags.
	copyTo("meta-replace", &s3.CopyObjectInput{MetadataDirective: types.MetadataDirectiveReplace, ContentType: aws.String("text/plain")})
	e.wantTags(alice, "copy-tags", "meta-replace", "a=1")
	resp, body := e.do(e.signedRequest(http.MethodPut, "/copy-tags/bad", nil, http.Header{
		"X-Amz-Copy-Source": {"copy-tags/src"}, "X-Amz-Tagging-Directive": {"MERGE"}}))
	wantRawError(t, resp, body, wire.CodeInvalidArgument, http.StatusBadRequest)

	// A multipart upload takes its tags at creation.
	up, err := alice.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("mp"), Tagging: aws.String("mp=yes")})
	if err != nil {
		t.Fatal(err)
	}
	part, err := alice.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String("mp"), UploadId: up.UploadId,
		PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("part"))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: aws.String("mp"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.ETag, ChecksumCRC32: part.ChecksumCRC32}}}}); err != nil {
		t.Fatal(err)
	}
	e.wantTags(alice, "copy-tags", "mp", "mp=yes")
}
