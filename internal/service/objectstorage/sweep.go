package objectstorage

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
)

// SweepBuckets deletes, with everything in them, the account's buckets
// whose names start with prefix (what acceptance tests left behind; run by
// internal/sweep), waiting until they are gone. It deletes what it can and
// returns every failure.
func SweepBuckets(ctx context.Context, c *client.Client, cfg wait.Config, prefix string) error {
	if prefix == "" {
		return errors.New("refusing to sweep without a name prefix")
	}
	conn, err := osclient.New(c)
	if err != nil {
		return err
	}
	names, err := conn.ListBucketNames(ctx, prefix)
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range names {
		tflog.Info(ctx, "sweeping bucket", map[string]any{"bucket": name})
		err := deleteBucket(ctx, conn, name, true)
		if err == nil {
			err = waitBucketDeleted(ctx, cfg, conn, name)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("bucket %s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}
