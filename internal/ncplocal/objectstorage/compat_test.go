package objectstorage

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
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

// checksumOf is the base64 checksum alg of data, as S3 encodes it.
func checksumOf(alg string, data ...[]byte) string {
	h := checksumAlgorithms[alg].newHash()
	for _, d := range data {
		h.Write(d)
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// compositeOf is the COMPOSITE checksum alg of parts, without the suffix.
func compositeOf(alg string, parts ...[]byte) string {
	var raw []byte
	for _, p := range parts {
		b, _ := base64.StdEncoding.DecodeString(checksumOf(alg, p))
		raw = append(raw, b...)
	}
	return checksumOf(alg, raw)
}

// multipartFixture uploads two parts (5 MiB and 1 KiB) of an upload
// created with create, and returns the upload, the completed parts and the
// parts' data.
func multipartFixture(t *testing.T, c *s3.Client, create *s3.CreateMultipartUploadInput, partAlg types.ChecksumAlgorithm) (*s3.CreateMultipartUploadOutput, []types.CompletedPart, [][]byte) {
	t.Helper()
	ctx := context.Background()
	up, err := c.CreateMultipartUpload(ctx, create)
	if err != nil {
		t.Fatalf("CreateMultipartUpload: %v", err)
	}
	data := [][]byte{bytes.Repeat([]byte("0123456789abcdef"), wire.MinPartSize/16), []byte(strings.Repeat("tail", 256))}
	var parts []types.CompletedPart
	for i, d := range data {
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: create.Bucket, Key: create.Key, UploadId: up.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(d), ChecksumAlgorithm: partAlg})
		if err != nil {
			t.Fatalf("UploadPart %d: %v", i+1, err)
		}
		parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(int32(i + 1)), ETag: out.ETag,
			ChecksumCRC32: out.ChecksumCRC32, ChecksumCRC32C: out.ChecksumCRC32C, ChecksumCRC64NVME: out.ChecksumCRC64NVME,
			ChecksumSHA1: out.ChecksumSHA1, ChecksumSHA256: out.ChecksumSHA256})
	}
	return up, parts, data
}

func TestMultipartCompositeChecksum(t *testing.T) {
	t.Parallel()
	_, alice := newAliceBucket(t, "composite")
	ctx := context.Background()
	b, k := aws.String("composite"), aws.String("obj")
	up, parts, data := multipartFixture(t, alice, &s3.CreateMultipartUploadInput{Bucket: b, Key: k,
		ChecksumAlgorithm: types.ChecksumAlgorithmCrc32c}, types.ChecksumAlgorithmCrc32c)
	if up.ChecksumAlgorithm != types.ChecksumAlgorithmCrc32c || up.ChecksumType != types.ChecksumTypeComposite {
		t.Errorf("CreateMultipartUpload answered %q %q", up.ChecksumAlgorithm, up.ChecksumType)
	}
	if got := aws.ToString(parts[0].ChecksumCRC32C); got != checksumOf("crc32c", data[0]) {
		t.Errorf("part 1 checksum %s", got)
	}
	want := compositeOf("crc32c", data...)
	complete := func(in *s3.CompleteMultipartUploadInput) (*s3.CompleteMultipartUploadOutput, error) {
		in.Bucket, in.Key, in.UploadId = b, k, up.UploadId
		if in.MultipartUpload == nil {
			in.MultipartUpload = &types.CompletedMultipartUpload{Parts: parts}
		}
		return alice.CompleteMultipartUpload(ctx, in)
	}

	// Wrong object checksums, missing part checksums and another mode are
	// refused, and the upload stays to be completed.
	_, err := complete(&s3.CompleteMultipartUploadInput{ChecksumCRC32C: aws.String(checksumOf("crc32c", []byte("other")))})
	wantAPIError(t, err, wire.CodeBadDigest, http.StatusBadRequest)
	_, err = complete(&s3.CompleteMultipartUploadInput{ChecksumCRC32C: aws.String(want + "-3")})
	wantAPIError(t, err, wire.CodeBadDigest, http.StatusBadRequest)
	_, err = complete(&s3.CompleteMultipartUploadInput{ChecksumType: types.ChecksumTypeFullObject})
	wantAPIError(t, err, wire.CodeInvalidRequest, http.StatusBadRequest)
	_, err = complete(&s3.CompleteMultipartUploadInput{ChecksumCRC32: aws.String(checksumOf("crc32", data...))})
	wantAPIError(t, err, wire.CodeInvalidRequest, http.StatusBadRequest)
	bare := []types.CompletedPart{{PartNumber: parts[0].PartNumber, ETag: parts[0].ETag}, parts[1]}
	_, err = complete(&s3.CompleteMultipartUploadInput{MultipartUpload: &types.CompletedMultipartUpload{Parts: bare}})
	wantAPIError(t, err, wire.CodeInvalidRequest, http.StatusBadRequest)

	// The checksum is verified as S3 defines it: of the part checksums.
	out, err := complete(&s3.CompleteMultipartUploadInput{ChecksumCRC32C: aws.String(want + "-2"), ChecksumType: types.ChecksumTypeComposite})
	if err != nil {
		t.Fatalf("CompleteMultipartUpload: %v", err)
	}
	if aws.ToString(out.ChecksumCRC32C) != want+"-2" || out.ChecksumType != types.ChecksumTypeComposite {
		t.Errorf("completed with %q %q, want %q COMPOSITE", aws.ToString(out.ChecksumCRC32C), out.ChecksumType, want+"-2")
	}
	head, err := alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k, ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(head.ChecksumCRC32C) != want+"-2" || head.ChecksumType != types.ChecksumTypeComposite {
		t.Errorf("HeadObject checksum %q %q", aws.ToString(head.ChecksumCRC32C), head.ChecksumType)
	}
	plain, err := alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k})
	if err != nil || plain.ChecksumCRC32C != nil {
		t.Errorf("checksum without x-amz-checksum-mode: %v %v", plain.ChecksumCRC32C, err)
	}
	get, err := alice.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(get.Body)
	get.Body.Close()
	if err != nil || !bytes.Equal(got, append(append([]byte{}, data[0]...), data[1]...)) {
		t.Fatalf("GetObject body (%d bytes): %v", len(got), err)
	}
	if aws.ToString(get.ChecksumCRC32C) != want+"-2" {
		t.Errorf("GetObject checksum %q", aws.ToString(get.ChecksumCRC32C))
	}
	// A copy does not inherit a checksum of parts it does not have.
	if _, err := alice.CopyObject(ctx, &s3.CopyObjectInput{Bucket: b, Key: aws.String("copy"), CopySource: aws.String("composite/obj")}); err != nil {
		t.Fatal(err)
	}
	ch, err := alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String("copy"), ChecksumMode: types.ChecksumModeEnabled})
	if err != nil || ch.ChecksumCRC32C != nil {
		t.Errorf("copy of a composite object: %v %v", ch.ChecksumCRC32C, err)
	}
}

func TestMultipartFullObjectChecksum(t *testing.T) {
	t.Parallel()
	for _, alg := range []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc32, types.ChecksumAlgorithmCrc64nvme} {
		t.Run(string(alg), func(t *testing.T) {
			t.Parallel()
			_, alice := newAliceBucket(t, "full")
			ctx := context.Background()
			b, k := aws.String("full"), aws.String("obj")
			lower := strings.ToLower(string(alg))
			up, parts, data := multipartFixture(t, alice, &s3.CreateMultipartUploadInput{Bucket: b, Key: k,
				ChecksumAlgorithm: alg, ChecksumType: types.ChecksumTypeFullObject}, alg)
			if up.ChecksumType != types.ChecksumTypeFullObject {
				t.Errorf("CreateMultipartUpload answered type %q", up.ChecksumType)
			}
			want := checksumOf(lower, data...)
			in := func(sum string) *s3.CompleteMultipartUploadInput {
				in := &s3.CompleteMultipartUploadInput{Bucket: b, Key: k, UploadId: up.UploadId, ChecksumType: types.ChecksumTypeFullObject,
					MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}}
				if alg == types.ChecksumAlgorithmCrc32 {
					in.ChecksumCRC32 = aws.String(sum)
				} else {
					in.ChecksumCRC64NVME = aws.String(sum)
				}
				return in
			}
			_, err := alice.CompleteMultipartUpload(ctx, in(checksumOf(lower, data[0])))
			wantAPIError(t, err, wire.CodeBadDigest, http.StatusBadRequest)
			_, err = alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k})
			wantStatus(t, err, http.StatusNotFound)
			if _, err := alice.CompleteMultipartUpload(ctx, in(want)); err != nil {
				t.Fatalf("CompleteMultipartUpload with the full-object checksum: %v", err)
			}
			head, err := alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: k, ChecksumMode: types.ChecksumModeEnabled})
			if err != nil {
				t.Fatal(err)
			}
			gotSum := aws.ToString(head.ChecksumCRC32)
			if alg == types.ChecksumAlgorithmCrc64nvme {
				gotSum = aws.ToString(head.ChecksumCRC64NVME)
			}
			if gotSum != want || head.ChecksumType != types.ChecksumTypeFullObject {
				t.Errorf("HeadObject checksum %q %q, want %q FULL_OBJECT", gotSum, head.ChecksumType, want)
			}
			// The SDK validates a full-object checksum while reading.
			get, err := alice.GetObject(ctx, &s3.GetObjectInput{Bucket: b, Key: k, ChecksumMode: types.ChecksumModeEnabled})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, get.Body); err != nil {
				t.Errorf("read with checksum validation: %v", err)
			}
			get.Body.Close()
		})
	}
}

func TestMultipartChecksumRequests(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "mpsum")
	ctx := context.Background()
	b := aws.String("mpsum")
	for _, tc := range []struct {
		alg types.ChecksumAlgorithm
		typ types.ChecksumType
	}{
		{types.ChecksumAlgorithmSha256, types.ChecksumTypeFullObject},
		{types.ChecksumAlgorithmSha1, types.ChecksumTypeFullObject},
		{types.ChecksumAlgorithmCrc64nvme, types.ChecksumTypeComposite},
	} {
		_, err := alice.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("k"), ChecksumAlgorithm: tc.alg, ChecksumType: tc.typ})
		wantAPIError(t, err, wire.CodeInvalidRequest, http.StatusBadRequest)
	}
	resp, body := e.do(e.signedRequest(http.MethodPost, "/mpsum/k?uploads", nil, http.Header{"X-Amz-Checksum-Type": {"COMPOSITE"}}))
	wantRawError(t, resp, body, wire.CodeInvalidRequest, http.StatusBadRequest)

	// A part whose checksum is of another algorithm is refused unread.
	up, err := alice.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("k"), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32c})
	if err != nil {
		t.Fatal(err)
	}
	_, err = alice.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String("k"), UploadId: up.UploadId, PartNumber: aws.Int32(1),
		Body: strings.NewReader("data"), ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
	wantAPIError(t, err, wire.CodeInvalidRequest, http.StatusBadRequest)
	// Without a checksum of its own, the part gets the upload's. (By
	// default the SDK sends a CRC32 of every part, which S3 refuses for an
	// upload of another algorithm, as above.)
	noSums := e.client(aliceKey, aliceSecret, func(o *s3.Options) { o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired })
	part, err := noSums.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String("k"), UploadId: up.UploadId, PartNumber: aws.Int32(1),
		Body: strings.NewReader("data")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(part.ChecksumCRC32C) != checksumOf("crc32c", []byte("data")) {
		t.Errorf("part checksum %q", aws.ToString(part.ChecksumCRC32C))
	}
	lp, err := alice.ListParts(ctx, &s3.ListPartsInput{Bucket: b, Key: aws.String("k"), UploadId: up.UploadId})
	if err != nil || len(lp.Parts) != 1 || aws.ToString(lp.Parts[0].ChecksumCRC32C) != checksumOf("crc32c", []byte("data")) {
		t.Errorf("ListParts: %+v %v", lp, err)
	}

	// An upload created without an algorithm cannot be completed with one.
	plain, err := alice.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("plain")})
	if err != nil {
		t.Fatal(err)
	}
	pp, err := alice.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String("plain"), UploadId: plain.UploadId, PartNumber: aws.Int32(1), Body: strings.NewReader("x")})
	if err != nil {
		t.Fatal(err)
	}
	done := &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: pp.ETag}}}
	_, err = alice.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: aws.String("plain"), UploadId: plain.UploadId,
		ChecksumCRC32: aws.String(checksumOf("crc32", []byte("x"))), MultipartUpload: done})
	wantAPIError(t, err, wire.CodeInvalidRequest, http.StatusBadRequest)
	// The XML document itself is still checked against Content-MD5.
	doc := fmt.Sprintf(`<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>%s</ETag></Part></CompleteMultipartUpload>`, aws.ToString(pp.ETag))
	path := "/mpsum/plain?uploadId=" + aws.ToString(plain.UploadId)
	resp, body = e.do(e.signedRequest(http.MethodPost, path, []byte(doc), http.Header{"Content-Md5": {contentMD5([]byte("other"))}}))
	wantRawError(t, resp, body, wire.CodeBadDigest, http.StatusBadRequest)
	resp, body = e.do(e.signedRequest(http.MethodPost, path, []byte(doc), http.Header{"Content-Md5": {contentMD5([]byte(doc))}}))
	if resp.StatusCode != http.StatusOK {
		t.Errorf("complete: %d %s", resp.StatusCode, body)
	}
}

// TestVirtualHostedSigV2 signs virtual-hosted requests with Signature
// Version 2 as s3cmd does (host_bucket = %(bucket)s.<host>): the
// canonicalized resource names the bucket.
func TestVirtualHostedSigV2(t *testing.T) {
	t.Parallel()
	clock := &testClock{}
	svc := New(emu.Env{Now: clock.Now, LookupKey: lookupKey, S3Host: "s3.ncplocal.test"})
	serve := func(method, host, path, resource string, body []byte) *httptest.ResponseRecorder {
		t.Helper()
		r := httptest.NewRequest(method, path, bytes.NewReader(body))
		r.Host = host
		date := clock.Now().UTC().Format(http.TimeFormat)
		r.Header.Set("Date", date)
		r.Header.Set("Authorization", "AWS "+aliceKey+":"+signV2(r, resource, date))
		w := httptest.NewRecorder()
		svc.ServeHTTP(w, r)
		return w
	}
	if w := serve(http.MethodPut, "v2bucket.s3.ncplocal.test:4510", "/", "/v2bucket/", nil); w.Code != http.StatusOK {
		t.Fatalf("CreateBucket: %d %s", w.Code, w.Body)
	}
	if w := serve(http.MethodPut, "v2bucket.s3.ncplocal.test", "/dir/k%20ey", "/v2bucket/dir/k%20ey", []byte("v2")); w.Code != http.StatusOK {
		t.Fatalf("PutObject: %d %s", w.Code, w.Body)
	}
	w := serve(http.MethodGet, "V2Bucket.S3.ncplocal.test", "/dir/k%20ey", "/v2bucket/dir/k%20ey", nil)
	if w.Code != http.StatusOK || w.Body.String() != "v2" {
		t.Fatalf("GetObject: %d %s", w.Code, w.Body)
	}
	// Path style on the bare host, signed with the path as sent.
	if w := serve(http.MethodGet, "s3.ncplocal.test", "/v2bucket/dir/k%20ey", "/v2bucket/dir/k%20ey", nil); w.Code != http.StatusOK {
		t.Fatalf("path style: %d %s", w.Code, w.Body)
	}
	// A signature over the path without the bucket does not match.
	w = serve(http.MethodGet, "v2bucket.s3.ncplocal.test", "/dir/k%20ey", "/dir/k%20ey", nil)
	if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), wire.CodeSignatureDoesNotMatch) {
		t.Fatalf("resource without the bucket: %d %s", w.Code, w.Body)
	}
}

func TestVirtualHostBucket(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		host, s3Host, bucket string
		ok                   bool
	}{
		{"photos.localhost:4510", "localhost", "photos", true},
		{"my.dotted.bucket.localhost", "localhost", "my.dotted.bucket", true},
		{"Photos.LocalHost", "localhost", "photos", true},
		{"photos.localhost", "localhost:4510", "photos", true},
		{"localhost:4510", "localhost", "", false},
		{".localhost", "localhost", "", false},
		{"127.0.0.1:4510", "localhost", "", false},
		{"photos.otherhost", "localhost", "", false},
		{"photoslocalhost", "localhost", "", false},
		{"photos.localhost", "", "", false},
		{"[::1]:4510", "localhost", "", false},
	} {
		b, ok := VirtualHostBucket(tc.host, tc.s3Host)
		if b != tc.bucket || ok != tc.ok {
			t.Errorf("VirtualHostBucket(%q, %q) = %q, %v", tc.host, tc.s3Host, b, ok)
		}
	}
}

// TestSnapshotKeepsTagsAndUploadChecksums restores tags and the checksum an
// upload was created with, so that it completes after a restart.
func TestSnapshotKeepsTagsAndUploadChecksums(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "kept")
	ctx := context.Background()
	b := aws.String("kept")
	if _, err := alice.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String("tagged"), Body: strings.NewReader("x"), Tagging: aws.String("k=v")}); err != nil {
		t.Fatal(err)
	}
	up, err := alice.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: b, Key: aws.String("mp"), ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
	if err != nil {
		t.Fatal(err)
	}
	part, err := alice.UploadPart(ctx, &s3.UploadPartInput{Bucket: b, Key: aws.String("mp"), UploadId: up.UploadId, PartNumber: aws.Int32(1),
		Body: strings.NewReader("only part"), ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := e.svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	e2 := newTestEnv(t)
	if err := e2.svc.Restore(snap); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	alice2 := e2.alice()
	e2.wantTags(alice2, "kept", "tagged", "k=v")
	out, err := alice2.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: b, Key: aws.String("mp"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.ETag, ChecksumSHA256: part.ChecksumSHA256}}}})
	if err != nil {
		t.Fatalf("CompleteMultipartUpload after the restore: %v", err)
	}
	if want := compositeOf("sha256", []byte("only part")) + "-1"; aws.ToString(out.ChecksumSHA256) != want || out.ChecksumType != types.ChecksumTypeComposite {
		t.Errorf("completed with %q %q, want %q", aws.ToString(out.ChecksumSHA256), out.ChecksumType, want)
	}
}
