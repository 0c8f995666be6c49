package objectstorage

import (
	"context"
	"fmt"
	"time"

	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
)

// waitBucketAvailable waits until a bucket just created answers HeadBucket
// with 200: Object Storage is eventually consistent, so a new bucket may
// answer 404 or 403 for a while; both keep the wait going, until ctx's
// deadline (the create timeout) or, for a bucket that has vanished, until
// the grace of b ends (see statusBucketCreated).
func waitBucketAvailable(ctx context.Context, cfg wait.Config, b createdBucket) error {
	_, err := wait.Until(ctx, cfg, fmt.Sprintf("Object Storage bucket %q to become available", b.name),
		statusBucketCreated(b), []string{bucketStatusNotYet}, []string{bucketStatusAvailable})
	return err
}

// waitBucketCreationDate waits until a bucket just created appears in the
// bucket listing and returns its creation date.
func waitBucketCreationDate(ctx context.Context, cfg wait.Config, b createdBucket) (time.Time, error) {
	return wait.Until(ctx, cfg, fmt.Sprintf("Object Storage bucket %q to appear in the bucket listing", b.name),
		statusBucketListed(b), []string{wait.Gone}, []string{bucketStatusListed})
}

// waitBucketDeleted waits until bucket name answers HeadBucket with 404.
func waitBucketDeleted(ctx context.Context, cfg wait.Config, conn *osclient.Client, name string) error {
	_, err := wait.Until(ctx, cfg, fmt.Sprintf("Object Storage bucket %q to be deleted", name),
		statusBucket(conn, name), []string{bucketStatusAvailable}, []string{wait.Gone})
	return err
}
