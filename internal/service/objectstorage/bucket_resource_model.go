package objectstorage

import (
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// creationDateFormat is the one format of creation_date: RFC 3339 in UTC,
// whole seconds, e.g. "2026-11-25T12:00:00Z". Create, Read and import all
// write it through formatCreationDate, so the value never changes form.
const creationDateFormat = time.RFC3339

// formatCreationDate renders t as creation_date.
func formatCreationDate(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(creationDateFormat)
}

// bucketResourceModel is the state and plan of ncp_object_storage_bucket.
type bucketResourceModel struct {
	ID           types.String   `tfsdk:"id"`
	BucketName   types.String   `tfsdk:"bucket_name"`
	ForceDestroy types.Bool     `tfsdk:"force_destroy"`
	CreationDate types.String   `tfsdk:"creation_date"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
}
