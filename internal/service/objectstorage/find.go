package objectstorage

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
)

// FindBucket looks bucket name up with one HeadBucket call: nil when it
// exists and this account may use it, a not-found error
// (client.IsNotFound) when it does not exist, an HTTP 403 error
// (isForbidden) when another account owns it.
func FindBucket(ctx context.Context, conn *osclient.Client, name string) error {
	return conn.HeadBucket(ctx, name)
}

// findBucketCreationDate returns the creation date of bucket name from the
// account's bucket listing; a not-found error when it is not listed (yet).
func findBucketCreationDate(ctx context.Context, conn *osclient.Client, name string) (time.Time, error) {
	return conn.FindBucketCreationDate(ctx, name)
}

// isForbidden reports whether err is an HTTP 403 answer (HeadBucket of a
// bucket another account owns, or not visible to this one yet).
func isForbidden(err error) bool {
	var e *client.Error
	return errors.As(err, &e) && e.HTTPStatus == http.StatusForbidden
}
