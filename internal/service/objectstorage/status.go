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
	// bucketStatusNotYet is the status of a bucket just created that
	// HeadBucket does not show yet (see statusBucketCreated).
	bucketStatusNotYet = "not yet available"
)

// statusBucket reports whether bucket name answers HeadBucket: available,
// or wait.Gone when NCP answers 404.
func statusBucket(conn *osclient.Client, name string) func(context.Context) (struct{}, string, error) {
	return func(ctx context.Context) (struct{}, string, error) {
		err := FindBucket(ctx, conn, name)
		switch {
		case client.IsNotFound(err):
			return struct{}{}, wait.Gone, nil
		case err != nil:
			return struct{}{}, "", err
		}
		return struct{}{}, bucketStatusAvailable, nil
	}
}

// bucketMissingGrace is how long after NCP confirmed a CreateBucket the
// create waiters accept that the bucket answers HeadBucket with 404 before
// they also look at the bucket listing: a new bucket may take a moment to
// show (ncp-api.md §6); how long is not documented [?].
const bucketMissingGrace = time.Minute

// createdBucket is a bucket NCP confirmed creating: the create waiters
// tolerate it being invisible for grace after confirmed, and then fail when
// it is neither answering HeadBucket nor listed (a bucket deleted, or lost
// by NCP, after the confirmation) instead of polling until the create
// timeout.
type createdBucket struct {
	conn      *osclient.Client
	name      string
	confirmed time.Time
	grace     time.Duration
}

// newCreatedBucket is the createdBucket of bucket name, confirmed now.
func newCreatedBucket(conn *osclient.Client, name string, grace time.Duration) createdBucket {
	return createdBucket{conn: conn, name: name, confirmed: time.Now(), grace: grace}
}

// missing is called when one of the two views (HeadBucket, listing) does
// not show the bucket: within the grace it returns nil (keep waiting);
// after it, it asks the other view (listed reports whether the bucket is
// in the listing, head whether it answers HeadBucket) and returns an error
// when that does not show it either.
func (b createdBucket) missing(ctx context.Context, askListing bool) error {
	since := time.Since(b.confirmed)
	if since < b.grace {
		return nil
	}
	var err error
	if askListing {
		_, err = findBucketCreationDate(ctx, b.conn, b.name)
	} else {
		err = FindBucket(ctx, b.conn, b.name)
	}
	switch {
	case err == nil, isForbidden(err):
		return nil // shown, or not visible to this account yet: keep waiting
	case !client.IsNotFound(err):
		return err
	}
	return fmt.Errorf("NCP confirmed creating bucket %q %s ago, but it has since answered HeadBucket with 404 Not Found "+
		"and is not in the account's bucket listing: it was deleted, or lost, after its creation. Apply again to create it anew",
		b.name, since.Round(time.Second))
}

// statusBucketCreated is statusBucket for the wait after CreateBucket
// succeeded: the bucket is known to exist and to be ours, and NCP's
// HeadBucket may not work right after a creation (ncp-api.md §6), so 404
// and 403 (AccessDenied) both mean "not yet" rather than a failure. Past
// the grace a 404 whose bucket is not listed either is an error
// (createdBucket.missing). Read keeps statusBucket's meaning, where 404 is
// gone and 403 an error.
func statusBucketCreated(b createdBucket) func(context.Context) (struct{}, string, error) {
	return func(ctx context.Context) (struct{}, string, error) {
		err := FindBucket(ctx, b.conn, b.name)
		switch {
		case client.IsNotFound(err):
			if merr := b.missing(ctx, true); merr != nil {
				return struct{}{}, "", merr
			}
			return struct{}{}, bucketStatusNotYet, nil
		case isForbidden(err):
			return struct{}{}, bucketStatusNotYet, nil
		case err != nil:
			return struct{}{}, "", err
		}
		return struct{}{}, bucketStatusAvailable, nil
	}
}

// statusBucketListed reports whether the bucket appears in the account's
// bucket listing, and its creation date when it does. Past the grace, a
// bucket neither listed nor answering HeadBucket is an error.
func statusBucketListed(b createdBucket) func(context.Context) (time.Time, string, error) {
	return func(ctx context.Context) (time.Time, string, error) {
		created, err := findBucketCreationDate(ctx, b.conn, b.name)
		switch {
		case client.IsNotFound(err):
			if merr := b.missing(ctx, false); merr != nil {
				return time.Time{}, "", merr
			}
			return time.Time{}, wait.Gone, nil
		case err != nil:
			return time.Time{}, "", err
		}
		return created, bucketStatusListed, nil
	}
}
