package objectstorage_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
)

// resourceAddress is the address of the bucket in the test configurations.
const resourceAddress = "ncp_object_storage_bucket.test"

// creationDatePattern is the one format of creation_date.
var creationDatePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)

// otherCredential is a second account for tests that need one.
var otherCredential = ncplocal.Credential{AccessKey: "other-access-key", SecretKey: "other-secret-key", AccountID: "other"}

// withOtherAccount makes a server accept otherCredential besides the default.
func withOtherAccount(o *ncplocal.Options) {
	o.Credentials = []ncplocal.Credential{ncplocal.DefaultCredential, otherCredential}
}

// newConn returns an Object Storage client for srv signed with cred.
func newConn(t *testing.T, srv *ncplocal.Server, cred ncplocal.Credential) *osclient.Client {
	t.Helper()
	conn, err := osclient.New(acctest.NewClient(t, srv, cred))
	if err != nil {
		t.Fatalf("objectstorage.New: %v", err)
	}
	return conn
}

// targetConn returns an Object Storage client for the test's target,
// signed with the credential the provider uses.
func targetConn(t *testing.T, g *acctest.Target) *osclient.Client {
	t.Helper()
	conn, err := osclient.New(g.Client(t))
	if err != nil {
		t.Fatalf("objectstorage.New: %v", err)
	}
	return conn
}

// putObjects writes n small objects into bucket and starts one multipart
// upload that is never completed, so that the bucket is not empty in both
// ways force_destroy must handle.
func putObjects(t *testing.T, conn *osclient.Client, bucket string, n int) error {
	t.Helper()
	ctx := t.Context()
	for i := range n {
		_, err := conn.S3().PutObject(ctx, &s3.PutObjectInput{
			Bucket: aws.String(bucket),
			Key:    aws.String(fmt.Sprintf("dir/object-%04d.txt", i)),
			Body:   bytes.NewReader([]byte(fmt.Sprintf("content %d", i))),
		})
		if err != nil {
			return fmt.Errorf("putting object %d into %s: %w", i, bucket, osclient.MapError("PutObject", true, err))
		}
	}
	up, err := conn.S3().CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
		Bucket: aws.String(bucket), Key: aws.String("unfinished.bin"),
	})
	if err != nil {
		return fmt.Errorf("starting a multipart upload in %s: %w", bucket, osclient.MapError("CreateMultipartUpload", true, err))
	}
	_, err = conn.S3().UploadPart(ctx, &s3.UploadPartInput{
		Bucket: aws.String(bucket), Key: aws.String("unfinished.bin"), UploadId: up.UploadId,
		PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("part one")),
	})
	if err != nil {
		return fmt.Errorf("uploading a part in %s: %w", bucket, osclient.MapError("UploadPart", true, err))
	}
	return nil
}

// checkBucketHolds checks that bucket holds exactly what putObjects(t,
// conn, bucket, objects) put into it: objects objects under dir/ and one
// unfinished multipart upload.
func checkBucketHolds(t *testing.T, conn *osclient.Client, bucket string, objects int) error {
	t.Helper()
	ctx := t.Context()
	list, err := conn.S3().ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		return fmt.Errorf("listing the objects of %s: %w", bucket, osclient.MapError(osclient.OpListObjectsV2, true, err))
	}
	if got := len(list.Contents); got != objects || aws.ToBool(list.IsTruncated) {
		return fmt.Errorf("bucket %s holds %d objects (truncated: %v), want %d", bucket, got, aws.ToBool(list.IsTruncated), objects)
	}
	for _, o := range list.Contents {
		if !strings.HasPrefix(aws.ToString(o.Key), "dir/object-") {
			return fmt.Errorf("bucket %s holds object %q, which putObjects did not write", bucket, aws.ToString(o.Key))
		}
	}
	ups, err := conn.S3().ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(bucket)})
	if err != nil {
		return fmt.Errorf("listing the multipart uploads of %s: %w", bucket, osclient.MapError(osclient.OpListMultipartUploads, true, err))
	}
	if got := len(ups.Uploads); got != 1 || aws.ToString(ups.Uploads[0].Key) != "unfinished.bin" {
		return fmt.Errorf("bucket %s has %d unfinished multipart uploads (%+v), want the one of unfinished.bin", bucket, got, ups.Uploads)
	}
	return nil
}

// bucketName returns a random bucket name for a test.
func bucketName(prefix string) string {
	return acctest.RandName("tf-acc-" + prefix)
}
