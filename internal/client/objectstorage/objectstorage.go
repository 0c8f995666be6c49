// Package objectstorage is the provider's client of NCP Object Storage, the
// S3-compatible service (ncp-api.md §1.2, §6). It wraps an aws-sdk-go-v2 S3
// client that sends every request through the client core's one retrying,
// logging transport (client.Client.HTTPClient) with the SDK's own retries
// turned off, and it turns every failure into a *client.Error that carries
// the S3 error code, message and request id.
//
// Nothing here reads the process environment or the AWS shared
// configuration files: the endpoint, region, addressing style and keys all
// come from the provider block's client.Config.
package objectstorage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/journal"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// ServiceName names the service in logs and errors.
const ServiceName = "objectstorage"

// Operation names, as they appear in errors.
const (
	OpCreateBucket         = "CreateBucket"
	OpHeadBucket           = "HeadBucket"
	OpDeleteBucket         = "DeleteBucket"
	OpListBuckets          = "ListBuckets"
	OpListObjectsV2        = "ListObjectsV2"
	OpDeleteObjects        = "DeleteObjects"
	OpListMultipartUploads = "ListMultipartUploads"
	OpAbortMultipartUpload = "AbortMultipartUpload"
)

// maxPages bounds every paginated listing, so that a server that keeps
// answering with a continuation token can never keep a loop going forever.
const maxPages = 100000

// Client calls NCP Object Storage for one provider block. It is safe for
// concurrent use.
type Client struct {
	s3       *s3.Client
	attempts int
	journal  *journal.Journal
}

// New builds an Object Storage client from c's configuration:
//
//   - BaseEndpoint is Endpoints.ObjectStorage (required);
//   - the SigV4 region is ObjectStorageRegion, "kr-standard" when empty;
//   - UsePathStyle is ObjectStoragePathStyle;
//   - the credentials are the static access key and secret key;
//   - requests go through c.HTTPClient(), and the SDK's retryer is a no-op,
//     so the client core is the only retry layer;
//   - the User-Agent carries the client core's UserAgent as well as the SDK's;
//   - request checksums are computed and response checksums validated only
//     when an operation requires them, because S3-compatible services do
//     not all support the SDK's default CRC32 trailers [?] (NCP does not
//     document flexible checksums).
func New(c *client.Client) (*Client, error) {
	if c == nil {
		return nil, errors.New("objectstorage: nil client")
	}
	cfg := c.Config()
	if cfg.Endpoints.ObjectStorage == "" {
		return nil, errors.New("no Object Storage endpoint is configured")
	}
	region := cfg.ObjectStorageRegion
	if region == "" {
		region = wire.DefaultRegion
	}
	s3c := s3.New(s3.Options{
		BaseEndpoint:               aws.String(strings.TrimSuffix(cfg.Endpoints.ObjectStorage, "/")),
		Region:                     region,
		UsePathStyle:               cfg.ObjectStoragePathStyle,
		Credentials:                credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, ""),
		HTTPClient:                 c.HTTPClient(),
		Retryer:                    aws.NopRetryer{},
		RetryMaxAttempts:           1,
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		// NCP has no S3 Express One Zone; never try its session auth.
		DisableS3ExpressSessionAuth: aws.Bool(true),
		APIOptions:                  []func(*middleware.Stack) error{addUserAgent(cfg.UserAgent)},
	})
	return &Client{s3: s3c, attempts: c.Attempts(), journal: c.Journal()}, nil
}

// addUserAgent adds ua ("name/version", or a plain name) to the SDK's
// User-Agent header. The SDK replaces characters a User-Agent token may not
// hold with '-'.
func addUserAgent(ua string) func(*middleware.Stack) error {
	if name, version, ok := strings.Cut(ua, "/"); ok {
		return awsmiddleware.AddUserAgentKeyValue(name, version)
	}
	return awsmiddleware.AddUserAgentKey(ua)
}

// S3 returns the underlying S3 client, configured as described in New, for
// operations this package does not wrap (tests use it to put objects).
// Errors it returns are raw SDK errors; pass them through MapError.
func (c *Client) S3() *s3.Client { return c.s3 }

// Attempts is how many times one operation may be tried in all (see
// client.Client.Attempts).
func (c *Client) Attempts() int { return c.attempts }

// Journal is the provider block's create journal (client.Client.Journal).
func (c *Client) Journal() *journal.Journal { return c.journal }

// CreateBucket creates bucket name (PUT /{bucket}).
//
// The request is marked non-idempotent: resending it after a connection
// dropped mid-request could answer BucketAlreadyOwnedByYou for the bucket
// the first attempt created. Such a failure is returned as an error for
// which client.IsAmbiguous is true; the caller reconciles with HeadBucket.
func (c *Client) CreateBucket(ctx context.Context, name string) error {
	ctx = client.WithIdempotency(ctx, false)
	_, err := c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)})
	return mapError(OpCreateBucket, false, err)
}

// HeadBucket reports whether bucket name exists and is accessible (HEAD
// /{bucket}): nil when it is, a KindNotFound error when it does not exist,
// a KindAuth error when it belongs to someone else.
func (c *Client) HeadBucket(ctx context.Context, name string) error {
	_, err := c.s3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(name)})
	return mapError(OpHeadBucket, true, err)
}

// DeleteBucket deletes bucket name (DELETE /{bucket}). A bucket that still
// holds objects gives a KindConflict error with code BucketNotEmpty; one
// that does not exist a KindNotFound error.
func (c *Client) DeleteBucket(ctx context.Context, name string) error {
	_, err := c.s3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(name)})
	return mapError(OpDeleteBucket, true, err)
}

// FindBucketCreationDate returns the creation date, in UTC, of bucket name
// from the account's bucket listing (ListBuckets). It asks the server for
// the name as a prefix but matches the exact name itself, since NCP may
// ignore the prefix parameter, and it follows continuation tokens. A bucket
// missing from the listing gives a KindNotFound error.
func (c *Client) FindBucketCreationDate(ctx context.Context, name string) (time.Time, error) {
	var (
		created time.Time
		found   bool
	)
	err := c.eachBucket(ctx, name, func(b types.Bucket) bool {
		if aws.ToString(b.Name) != name {
			return true
		}
		found = true
		if b.CreationDate != nil {
			created = b.CreationDate.UTC()
		}
		return false
	})
	switch {
	case err != nil:
		return time.Time{}, err
	case !found:
		return time.Time{}, &client.Error{Service: ServiceName, Operation: OpListBuckets, Kind: client.KindNotFound,
			Code: wire.CodeNoSuchBucket, Message: fmt.Sprintf("bucket %q is not in the account's bucket listing", name)}
	case created.IsZero():
		return time.Time{}, &client.Error{Service: ServiceName, Operation: OpListBuckets,
			Message: fmt.Sprintf("the listing of bucket %q has no creation date", name)}
	}
	return created, nil
}

// eachBucket calls fn for every bucket of the account's listing
// (ListBuckets, asking for prefix), page by page, following continuation
// tokens, until fn returns false.
func (c *Client) eachBucket(ctx context.Context, prefix string, fn func(types.Bucket) bool) error {
	in := &s3.ListBucketsInput{Prefix: aws.String(prefix)}
	seen := map[string]bool{}
	for page := 0; page < maxPages; page++ {
		out, err := c.s3.ListBuckets(ctx, in)
		if err != nil {
			return mapError(OpListBuckets, true, err)
		}
		for _, b := range out.Buckets {
			if !fn(b) {
				return nil
			}
		}
		token := aws.ToString(out.ContinuationToken)
		if token == "" || seen[token] {
			return nil
		}
		seen[token] = true
		in.ContinuationToken = aws.String(token)
	}
	return nil
}

// EmptyBucket deletes every object of bucket name, in batches of up to 1000
// keys (DeleteObjects), and aborts every unfinished multipart upload, so
// that the bucket can be deleted. It returns how many objects were deleted
// and uploads aborted. A bucket that does not exist gives a KindNotFound
// error. Objects written while it runs may survive it.
//
// Versioned buckets are not handled: NCP Object Storage's versioning is not
// part of the operations the provider emulates (ncp-api.md §6) [?].
func (c *Client) EmptyBucket(ctx context.Context, name string) (objects, uploads int, err error) {
	objects, err = c.deleteAllObjects(ctx, name)
	if err != nil {
		return objects, 0, err
	}
	uploads, err = c.abortAllUploads(ctx, name)
	return objects, uploads, err
}

// deleteAllObjects lists the bucket page by page (at most 1000 keys each,
// the DeleteObjects limit) and deletes each page's keys.
func (c *Client) deleteAllObjects(ctx context.Context, name string) (int, error) {
	deleted := 0
	in := &s3.ListObjectsV2Input{Bucket: aws.String(name), MaxKeys: aws.Int32(wire.MaxDeleteObjects)}
	seen := map[string]bool{}
	for page := 0; page < maxPages; page++ {
		out, err := c.s3.ListObjectsV2(ctx, in)
		if err != nil {
			return deleted, mapError(OpListObjectsV2, true, err)
		}
		ids := make([]types.ObjectIdentifier, 0, len(out.Contents))
		for _, o := range out.Contents {
			ids = append(ids, types.ObjectIdentifier{Key: o.Key})
		}
		for len(ids) > 0 {
			n := min(len(ids), wire.MaxDeleteObjects)
			if err := c.deleteObjects(ctx, name, ids[:n]); err != nil {
				return deleted, err
			}
			deleted += n
			ids = ids[n:]
		}
		token := aws.ToString(out.NextContinuationToken)
		if !aws.ToBool(out.IsTruncated) || token == "" || seen[token] {
			break
		}
		seen[token] = true
		in.ContinuationToken = aws.String(token)
	}
	return deleted, nil
}

// deleteObjects removes up to 1000 keys in one quiet DeleteObjects call and
// fails when any key could not be removed. The request carries a
// Content-MD5 header as well as the SDK's checksum: S3 requires one of them
// for this operation, and S3-compatible services often accept only
// Content-MD5 [?].
//
// Although a POST, it is sent again after a 503 or a dropped connection:
// deleting keys that are already gone succeeds, so a resent request can
// only finish what the first one may have done.
func (c *Client) deleteObjects(ctx context.Context, name string, ids []types.ObjectIdentifier) error {
	ctx = client.WithIdempotency(ctx, true)
	out, err := c.s3.DeleteObjects(ctx, &s3.DeleteObjectsInput{
		Bucket: aws.String(name),
		Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)},
	}, s3.WithAPIOptions(smithyhttp.AddContentChecksumMiddleware))
	if err != nil {
		return mapError(OpDeleteObjects, true, err)
	}
	if len(out.Errors) == 0 {
		return nil
	}
	first := out.Errors[0]
	msg := fmt.Sprintf("%d of %d objects could not be deleted; first: key %q: %s",
		len(out.Errors), len(ids), aws.ToString(first.Key), aws.ToString(first.Message))
	e := &client.Error{Service: ServiceName, Operation: OpDeleteObjects, Code: aws.ToString(first.Code), Message: msg}
	e.Kind = kindOf(e.Code, 0, true)
	return e
}

// abortAllUploads aborts every unfinished multipart upload of the bucket.
func (c *Client) abortAllUploads(ctx context.Context, name string) (int, error) {
	aborted := 0
	in := &s3.ListMultipartUploadsInput{Bucket: aws.String(name)}
	seen := map[string]bool{}
	for page := 0; page < maxPages; page++ {
		out, err := c.s3.ListMultipartUploads(ctx, in)
		if err != nil {
			return aborted, mapError(OpListMultipartUploads, true, err)
		}
		for _, u := range out.Uploads {
			_, err := c.s3.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
				Bucket: aws.String(name), Key: u.Key, UploadId: u.UploadId,
			})
			switch err = mapError(OpAbortMultipartUpload, true, err); {
			case err == nil:
				aborted++
			case HasCode(err, wire.CodeNoSuchUpload):
				// Completed or aborted meanwhile: nothing left to do.
			default:
				return aborted, err
			}
		}
		key, id := aws.ToString(out.NextKeyMarker), aws.ToString(out.NextUploadIdMarker)
		marker := key + "\x00" + id
		if !aws.ToBool(out.IsTruncated) || (key == "" && id == "") || seen[marker] {
			break
		}
		seen[marker] = true
		in.KeyMarker, in.UploadIdMarker = aws.String(key), aws.String(id)
	}
	return aborted, nil
}
