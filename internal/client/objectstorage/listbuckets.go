package objectstorage

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// ListBucketNames returns the names of the account's buckets that start
// with prefix (ListBuckets). It asks the server for the prefix but filters
// by it itself, since NCP may ignore the parameter.
func (c *Client) ListBucketNames(ctx context.Context, prefix string) ([]string, error) {
	var names []string
	err := c.eachBucket(ctx, prefix, func(b types.Bucket) bool {
		if name := aws.ToString(b.Name); strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
		return true
	})
	return names, err
}
