package objectstorage

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// newLocalClient starts an ncplocal for the test and returns a client of it.
func newLocalClient(t *testing.T) (*Client, *ncplocal.Server) {
	t.Helper()
	srv := ncplocal.StartTest(t, ncplocal.Options{})
	c := newTestClient(t, srv.URL(), func(cfg *client.Config) {
		cfg.AccessKey = ncplocal.DefaultCredential.AccessKey
		cfg.SecretKey = ncplocal.DefaultCredential.SecretKey
	})
	return c, srv
}

// TestBucketLifecycle runs the bucket operations against ncplocal.
func TestBucketLifecycle(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	c, _ := newLocalClient(t)
	const name = "lifecycle-bucket"

	before := time.Now().Add(-time.Minute)
	if err := c.CreateBucket(ctx, name); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	if err := c.HeadBucket(ctx, name); err != nil {
		t.Fatalf("HeadBucket: %v", err)
	}
	created, err := c.FindBucketCreationDate(ctx, name)
	if err != nil {
		t.Fatalf("FindBucketCreationDate: %v", err)
	}
	if created.Before(before) || created.After(time.Now().Add(time.Minute)) || created.Location() != time.UTC {
		t.Errorf("creation date %v is not a recent UTC time", created)
	}
	if _, err := c.FindBucketCreationDate(ctx, "lifecycle"); !client.IsNotFound(err) {
		t.Errorf("FindBucketCreationDate of a prefix of the name: %v, want not found", err)
	}
	if err := c.CreateBucket(ctx, name); !HasCode(err, wire.CodeBucketAlreadyOwnedByYou) {
		t.Errorf("CreateBucket again: %v, want BucketAlreadyOwnedByYou", err)
	}
	if err := c.CreateBucket(ctx, "Invalid_Name"); !client.IsValidation(err) || !HasCode(err, wire.CodeInvalidBucketName) {
		t.Errorf("CreateBucket(Invalid_Name): %v, want InvalidBucketName", err)
	}
	if err := c.DeleteBucket(ctx, name); err != nil {
		t.Fatalf("DeleteBucket: %v", err)
	}
	if err := c.HeadBucket(ctx, name); !client.IsNotFound(err) {
		t.Errorf("HeadBucket after delete: %v, want not found", err)
	}
	if err := c.DeleteBucket(ctx, name); !client.IsNotFound(err) || !HasCode(err, wire.CodeNoSuchBucket) {
		t.Errorf("DeleteBucket again: %v, want NoSuchBucket", err)
	}
	if _, _, err := c.EmptyBucket(ctx, name); !client.IsNotFound(err) {
		t.Errorf("EmptyBucket of a missing bucket: %v, want not found", err)
	}
}

// TestEmptyBucket fills a bucket with more objects than one listing page or
// one DeleteObjects call holds, plus unfinished multipart uploads, and
// checks that EmptyBucket leaves nothing behind.
func TestEmptyBucket(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	c, srv := newLocalClient(t)
	const name = "empty-me"
	const objects = wire.MaxDeleteObjects + 5
	if err := c.CreateBucket(ctx, name); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}

	var wg sync.WaitGroup
	errs := make(chan error, objects)
	sem := make(chan struct{}, 16)
	for i := range objects {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			_, err := c.S3().PutObject(ctx, &s3.PutObjectInput{
				Bucket: aws.String(name), Key: aws.String(fmt.Sprintf("k/%05d", i)), Body: bytes.NewReader([]byte("x")),
			})
			if err != nil {
				errs <- MapError("PutObject", true, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("PutObject: %v", err)
	}
	for _, key := range []string{"upload-1", "upload-2"} {
		if _, err := c.S3().CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(name), Key: aws.String(key)}); err != nil {
			t.Fatalf("CreateMultipartUpload: %v", MapError("CreateMultipartUpload", false, err))
		}
	}
	if err := c.DeleteBucket(ctx, name); !client.IsConflict(err) || !HasCode(err, wire.CodeBucketNotEmpty) {
		t.Fatalf("DeleteBucket of a full bucket: %v, want BucketNotEmpty", err)
	}

	srv.ResetCalls()
	deleted, aborted, err := c.EmptyBucket(ctx, name)
	if err != nil {
		t.Fatalf("EmptyBucket: %v", err)
	}
	if deleted != objects || aborted != 2 {
		t.Errorf("EmptyBucket = %d objects, %d uploads; want %d, 2", deleted, aborted, objects)
	}
	if n := srv.Calls()["objectstorage:DeleteObjects"]; n != 2 {
		t.Errorf("%d DeleteObjects calls, want 2 (batches of at most %d)", n, wire.MaxDeleteObjects)
	}

	list, err := c.S3().ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(name)})
	if err != nil {
		t.Fatalf("ListObjectsV2: %v", MapError(OpListObjectsV2, true, err))
	}
	if len(list.Contents) != 0 {
		t.Errorf("%d objects left, want 0", len(list.Contents))
	}
	uploads, err := c.S3().ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(name)})
	if err != nil {
		t.Fatalf("ListMultipartUploads: %v", MapError(OpListMultipartUploads, true, err))
	}
	if len(uploads.Uploads) != 0 {
		t.Errorf("%d uploads left, want 0", len(uploads.Uploads))
	}
	if err := c.DeleteBucket(ctx, name); err != nil {
		t.Errorf("DeleteBucket of the emptied bucket: %v", err)
	}
}

// TestBucketEventRulesLocal sets, reads and clears bucket event rules on
// ncplocal.
func TestBucketEventRulesLocal(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	c, _ := newLocalClient(t)
	if err := c.CreateBucket(ctx, "evented-bucket"); err != nil {
		t.Fatal(err)
	}
	rules := []wire.EventRule{{Name: "mp4", Events: []string{wire.EventObjectCreatedAll}, Suffix: ".mp4", Target: "cloudfunctions"},
		{Name: "gone", Events: []string{wire.EventObjectRemovedDelete}, Prefix: "in/", Target: "cloudfunctions"}}
	if err := c.PutBucketEventRules(ctx, "evented-bucket", rules); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetBucketEventRules(ctx, "evented-bucket")
	if err != nil || len(got) != 2 || got[0].Suffix != ".mp4" || got[1].Prefix != "in/" || got[1].Events[0] != wire.EventObjectRemovedDelete {
		t.Errorf("rules %+v, %v", got, err)
	}
	bad := []wire.EventRule{{Name: "x", Events: []string{"s3:Nope"}, Target: "cloudfunctions"}}
	if err := c.PutBucketEventRules(ctx, "evented-bucket", bad); !client.IsValidation(err) {
		t.Errorf("a bad event: %v", err)
	}
	if err := c.PutBucketEventRules(ctx, "evented-bucket", nil); err != nil {
		t.Fatal(err)
	}
	if got, err := c.GetBucketEventRules(ctx, "evented-bucket"); err != nil || len(got) != 0 {
		t.Errorf("after clearing: %+v, %v", got, err)
	}
	if _, err := c.GetBucketEventRules(ctx, "no-such-bucket"); !client.IsNotFound(err) {
		t.Errorf("missing bucket: %v", err)
	}
}

// dropFirstDelete forwards requests to ncplocal but loses the answer of the
// first DeleteObjects (POST /{bucket}?delete) after ncplocal carried it out,
// as a dropped connection would.
type dropFirstDelete struct {
	mu      sync.Mutex
	dropped bool
}

func (d *dropFirstDelete) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if r.Method != http.MethodPost || !r.URL.Query().Has("delete") || err != nil {
		return resp, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dropped {
		return resp, err
	}
	d.dropped = true
	_ = resp.Body.Close()
	return nil, io.ErrUnexpectedEOF
}

// TestEmptyBucket_ResendsDeleteObjects checks that a DeleteObjects whose
// answer was lost is sent again, not reported as ambiguous: deleting keys
// already gone succeeds, so emptying a bucket (force_destroy) survives a
// dropped connection.
func TestEmptyBucket_ResendsDeleteObjects(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	srv := ncplocal.StartTest(t, ncplocal.Options{})
	d := &dropFirstDelete{}
	c := newTestClient(t, srv.URL(), func(cfg *client.Config) {
		cfg.AccessKey = ncplocal.DefaultCredential.AccessKey
		cfg.SecretKey = ncplocal.DefaultCredential.SecretKey
		cfg.HTTPTransport = d
	})
	const name = "dropped-delete"
	if err := c.CreateBucket(ctx, name); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	for _, key := range []string{"a", "b/c"} {
		if _, err := c.S3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(name), Key: aws.String(key), Body: bytes.NewReader([]byte("x"))}); err != nil {
			t.Fatalf("PutObject: %v", MapError("PutObject", true, err))
		}
	}
	srv.ResetCalls()
	deleted, _, err := c.EmptyBucket(ctx, name)
	if err != nil {
		t.Fatalf("EmptyBucket after a lost DeleteObjects answer: %v", err)
	}
	if !d.dropped || deleted != 2 {
		t.Errorf("dropped = %v, deleted = %d; want a dropped answer and 2 objects", d.dropped, deleted)
	}
	if n := srv.Calls()["objectstorage:DeleteObjects"]; n != 2 {
		t.Errorf("%d DeleteObjects calls, want 2 (the lost one and its resend)", n)
	}
	if err := c.DeleteBucket(ctx, name); err != nil {
		t.Errorf("DeleteBucket of the emptied bucket: %v", err)
	}
}
