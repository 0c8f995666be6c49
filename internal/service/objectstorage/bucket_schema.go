package objectstorage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

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

// bucketNameValidator checks bucket_name at plan time with the naming rules
// of wire.ValidateBucketName, the same rules ncplocal enforces.
type bucketNameValidator struct{}

var _ validator.String = bucketNameValidator{}

// Description implements validator.Describer.
func (bucketNameValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a valid Object Storage bucket name: %d to %d characters of lowercase letters, "+
		"digits, hyphens and periods, starting and ending with a letter or digit, without two adjacent periods "+
		"or a period next to a hyphen, and not formatted as an IP address",
		wire.MinBucketNameLength, wire.MaxBucketNameLength)
}

// MarkdownDescription implements validator.Describer.
func (v bucketNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

// ValidateString implements validator.String. Null and unknown values are
// not checked.
func (bucketNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	name := req.ConfigValue.ValueString()
	err := wire.ValidateBucketName(name)
	if err == nil {
		return
	}
	rule := err.Error()
	var nameErr *wire.BucketNameError
	if errors.As(err, &nameErr) {
		rule = nameErr.Rule
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid bucket name",
		fmt.Sprintf("%s %q is not a valid Object Storage bucket name: it %s.", req.Path, name, rule))
}
