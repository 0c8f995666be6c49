package objectstorage

import (
	"context"
	"fmt"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
)

// Statuses reported by the status functions below; a bucket that does not
// exist (or is not listed yet) is wait.Gone.
const (
	bucketStatusAvailable = "available"
	bucketStatusListed    = "listed"
)

// statusBucket reports whether bucket name answers HeadBucket: available,
// or wait.Gone when NCP answers 404.
func statusBucket(conn *osclient.Client, name string) func(context.Context) (struct{}, string, error) {
	return func(ctx context.Context) (struct{}, string, error) {
		err := conn.HeadBucket(ctx, name)
		switch {
		case client.IsNotFound(err):
			return struct{}{}, wait.Gone, nil
		case err != nil:
			return struct{}{}, "", err
		}
		return struct{}{}, bucketStatusAvailable, nil
	}
}

// bucketStatusNotYet is the status of a bucket just created that HeadBucket
// does not show yet (see statusBucketCreated).
const bucketStatusNotYet = "not yet available"

// statusBucketCreated is statusBucket for the wait after CreateBucket
// succeeded: the bucket is known to exist and to be ours, and NCP's
// HeadBucket may not work right after a creation (ncp-api.md §6), so 404 and
// 403 (AccessDenied) both mean "not yet" rather than a failure. Read keeps
// statusBucket's meaning, where 404 is gone and 403 an error.
func statusBucketCreated(conn *osclient.Client, name string) func(context.Context) (struct{}, string, error) {
	return func(ctx context.Context) (struct{}, string, error) {
		err := conn.HeadBucket(ctx, name)
		switch {
		case client.IsNotFound(err), isForbidden(err):
			return struct{}{}, bucketStatusNotYet, nil
		case err != nil:
			return struct{}{}, "", err
		}
		return struct{}{}, bucketStatusAvailable, nil
	}
}

// statusBucketListed reports whether bucket name appears in the account's
// bucket listing, and its creation date when it does.
func statusBucketListed(conn *osclient.Client, name string) func(context.Context) (time.Time, string, error) {
	return func(ctx context.Context) (time.Time, string, error) {
		created, err := conn.FindBucketCreationDate(ctx, name)
		switch {
		case client.IsNotFound(err):
			return time.Time{}, wait.Gone, nil
		case err != nil:
			return time.Time{}, "", err
		}
		return created, bucketStatusListed, nil
	}
}

// waitBucketAvailable waits until a bucket just created answers HeadBucket
// with 200: Object Storage is eventually consistent, so a new bucket may
// answer 404 or 403 for a while; both keep the wait going until ctx's
// deadline (the create timeout).
func waitBucketAvailable(ctx context.Context, cfg wait.Config, conn *osclient.Client, name string) error {
	_, err := wait.Until(ctx, cfg, fmt.Sprintf("Object Storage bucket %q to become available", name),
		statusBucketCreated(conn, name), []string{bucketStatusNotYet}, []string{bucketStatusAvailable})
	return err
}

// waitBucketCreationDate waits until bucket name appears in the bucket
// listing and returns its creation date.
func waitBucketCreationDate(ctx context.Context, cfg wait.Config, conn *osclient.Client, name string) (time.Time, error) {
	return wait.Until(ctx, cfg, fmt.Sprintf("Object Storage bucket %q to appear in the bucket listing", name),
		statusBucketListed(conn, name), []string{wait.Gone}, []string{bucketStatusListed})
}

// waitBucketDeleted waits until bucket name answers HeadBucket with 404.
func waitBucketDeleted(ctx context.Context, cfg wait.Config, conn *osclient.Client, name string) error {
	_, err := wait.Until(ctx, cfg, fmt.Sprintf("Object Storage bucket %q to be deleted", name),
		statusBucket(conn, name), []string{bucketStatusAvailable}, []string{wait.Gone})
	return err
}
