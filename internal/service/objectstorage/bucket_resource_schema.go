package objectstorage

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// Attribute names of ncp_object_storage_bucket.
const (
	attrID           = "id"
	attrBucketName   = "bucket_name"
	attrForceDestroy = "force_destroy"
	attrCreationDate = "creation_date"
	attrTimeouts     = "timeouts"
)

// Schema describes ncp_object_storage_bucket.
func (r *bucketResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages an NCP Object Storage bucket (the S3-compatible service). " +
			"Bucket names are global: they are shared by all NCP accounts.",
		Attributes: map[string]schema.Attribute{
			attrID: schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The bucket name, the same value as `bucket_name`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			attrBucketName: schema.StringAttribute{
				Required: true,
				MarkdownDescription: fmt.Sprintf("Name of the bucket: %d to %d characters of lowercase letters, digits, "+
					"hyphens (`-`) and periods (`.`), starting and ending with a letter or a digit, without `..`, `.-` "+
					"or `-.`, and not shaped like an IP address. Changing it replaces the bucket.",
					wire.MinBucketNameLength, wire.MaxBucketNameLength),
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{bucketNameValidator{}},
			},
			attrForceDestroy: schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "Whether destroying the bucket first deletes every object in it and aborts its " +
					"unfinished multipart uploads. Without it, destroying a bucket that is not empty fails. " +
					"It only affects Terraform's behaviour: changing it updates the state in place and calls no API. " +
					"Set it, and apply, before destroying. Defaults to `false`.",
			},
			attrCreationDate: schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "When the bucket was created, in RFC 3339 format in UTC with whole seconds, " +
					"e.g. `2026-11-25T12:00:00Z`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			attrTimeouts: framework.TimeoutsBlock(ctx, "the bucket to be created and answer `HeadBucket`", "the bucket to be deleted"),
		},
	}
}
