package vodstation

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

var (
	_ resource.Resource                     = (*categoryResource)(nil)
	_ resource.ResourceWithConfigure        = (*categoryResource)(nil)
	_ resource.ResourceWithImportState      = (*categoryResource)(nil)
	_ resource.ResourceWithConfigValidators = (*categoryResource)(nil)
)

// NewCategoryResource returns the ncp_vod_category resource.
func NewCategoryResource() resource.Resource { return &categoryResource{} }

type categoryResource struct{ meta *conns.Meta }

type outputModel struct {
	BucketName             types.String `tfsdk:"bucket_name"`
	FilePath               types.String `tfsdk:"file_path"`
	AccessControl          types.String `tfsdk:"access_control"`
	ThumbnailBucketName    types.String `tfsdk:"thumbnail_bucket_name"`
	ThumbnailFilePath      types.String `tfsdk:"thumbnail_file_path"`
	ThumbnailAccessControl types.String `tfsdk:"thumbnail_access_control"`
}

type categoryModel struct {
	ID                 types.String `tfsdk:"id"`
	Name               types.String `tfsdk:"name"`
	EncodingOptionIDs  types.Set    `tfsdk:"encoding_option_ids"`
	EncodingTemplateID types.Int64  `tfsdk:"encoding_template_id"`
	Thumbnail          types.Bool   `tfsdk:"thumbnail"`
	NotificationURL    types.String `tfsdk:"notification_url"`
	Output             *outputModel `tfsdk:"output"`
	EncodingOptions    types.List   `tfsdk:"effective_encoding_option_ids"`
}

func int64List(ids []int64) []attr.Value {
	out := make([]attr.Value, len(ids))
	for i, id := range ids {
		out[i] = types.Int64Value(id)
	}
	return out
}

// set copies what NCP says. encoding_option_ids is kept null when the
// category uses a template (the options are then the template's).
func (m *categoryModel) set(c *wire.Category) {
	m.ID = types.StringValue(idString(c.ID))
	m.Name = types.StringValue(c.Name)
	m.EncodingTemplateID = types.Int64Null()
	m.EncodingOptionIDs = types.SetNull(types.Int64Type)
	if c.EncodingOptionTemplateID != nil {
		m.EncodingTemplateID = types.Int64Value(*c.EncodingOptionTemplateID)
	} else {
		m.EncodingOptionIDs = types.SetValueMust(types.Int64Type, int64List(c.EncodingOptions))
	}
	m.EncodingOptions = types.ListValueMust(types.Int64Type, int64List(c.EncodingOptions))
	m.Thumbnail = types.BoolValue(c.Thumbnail)
	m.NotificationURL = framework.StringValueOrNull(c.NotificationURL)
	o := c.Output
	m.Output = &outputModel{BucketName: types.StringValue(o.BucketName), FilePath: types.StringValue(o.FilePath),
		AccessControl: types.StringValue(orDefault(o.AccessControl, wire.AccessPrivate)), ThumbnailBucketName: types.StringValue(orDefault(o.ThumbnailBucketName, o.BucketName)),
		ThumbnailFilePath: types.StringValue(orDefault(o.ThumbnailFilePath, o.FilePath)), ThumbnailAccessControl: types.StringValue(orDefault(o.ThumbnailAccessControl, wire.AccessPrivate))}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (m *categoryModel) request(ctx context.Context) wire.CategoryRequest {
	req := wire.CategoryRequest{Name: m.Name.ValueString(), Thumbnail: m.Thumbnail.ValueBoolPointer(),
		NotificationURL: new(string),
		Output: &wire.Output{BucketName: m.Output.BucketName.ValueString(), FilePath: m.Output.FilePath.ValueString(),
			AccessControl: m.Output.AccessControl.ValueString(), ThumbnailAccessControl: m.Output.ThumbnailAccessControl.ValueString(),
			ThumbnailBucketName: framework.StringOr(m.Output.ThumbnailBucketName, ""), ThumbnailFilePath: framework.StringOr(m.Output.ThumbnailFilePath, "")}}
	*req.NotificationURL = m.NotificationURL.ValueString()
	if !m.EncodingTemplateID.IsNull() && !m.EncodingTemplateID.IsUnknown() {
		req.EncodingOptionTemplateID = m.EncodingTemplateID.ValueInt64Pointer()
	}
	if !m.EncodingOptionIDs.IsNull() && !m.EncodingOptionIDs.IsUnknown() {
		var ids []int64
		_ = m.EncodingOptionIDs.ElementsAs(ctx, &ids, false)
		req.EncodingOptions = ids
	}
	return req
}

func (r *categoryResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_vod_category"
}

func (r *categoryResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

// filePathValidator applies the output path rule (ncp-api.md §2.2).
func filePathValidator() []validator.String {
	return []validator.String{
		stringvalidator.LengthBetween(wire.MinFilePathLen, wire.MaxFilePathLen),
		stringvalidator.RegexMatches(regexp.MustCompile(`^[^`+regexp.QuoteMeta(wire.FilePathForbidden)+`]*$`),
			fmt.Sprintf("must not contain any of %s", strings.Join(strings.Split(wire.FilePathForbidden, ""), " "))),
	}
}

func (r *categoryResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	accessControl := func(what string) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(wire.AccessPrivate),
			MarkdownDescription: "Access control VOD Station gives the " + what + " it writes into Object Storage: `PRIVATE` (default; private objects, which an `ncp_vod_channel` streams only with `access_private_files = true`) or `PUBLIC_READ` (public-read objects).",
			Validators:          []validator.String{stringvalidator.OneOf(wire.AccessControls...)}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a VOD Station category: the encoding options (or template) files added to it are encoded with, and where " +
			"the results go. NCP creates a folder named after the category under the output path. Everything but `name` changes in place.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "The category ID (a number)."},
			"name": schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				MarkdownDescription: "Category name; also the name of its folder under the output path, so it must not contain `/`. Changing it replaces the category.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1),
					stringvalidator.RegexMatches(regexp.MustCompile(`^[^/`+regexp.QuoteMeta(wire.FilePathForbidden)+`]+$`), "must not contain / or any of "+wire.FilePathForbidden)}},
			"encoding_option_ids": schema.SetAttribute{Optional: true, ElementType: types.Int64Type,
				MarkdownDescription: "IDs of the encoding options to encode with (system or custom). Exactly one of `encoding_option_ids` and `encoding_template_id` must be set.",
				Validators:          []validator.Set{setvalidator.SizeAtLeast(1)}},
			"encoding_template_id": schema.Int64Attribute{Optional: true,
				MarkdownDescription: "ID of the encoding template whose options to encode with (see `ncp_vod_encoding_templates`).",
				Validators:          []validator.Int64{int64validator.AtLeast(1)}},
			"effective_encoding_option_ids": schema.ListAttribute{Computed: true, ElementType: types.Int64Type,
				MarkdownDescription: "The encoding options the category encodes with: the listed ones or the template's."},
			"thumbnail": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				MarkdownDescription: "Whether thumbnails are made (default `false`)."},
			"notification_url": schema.StringAttribute{Optional: true, Validators: []validator.String{urlValidator()},
				MarkdownDescription: "URL that receives a callback for every encoding job's status."},
			"output": schema.SingleNestedAttribute{Required: true, MarkdownDescription: "Where the encoded files go.",
				Attributes: map[string]schema.Attribute{
					"bucket_name": schema.StringAttribute{Required: true, MarkdownDescription: "Output bucket (of the same account)."},
					"file_path": schema.StringAttribute{Required: true, Validators: filePathValidator(),
						MarkdownDescription: fmt.Sprintf("Output path, %d to %d characters without `%s`, e.g. `/vod`.", wire.MinFilePathLen, wire.MaxFilePathLen, wire.FilePathForbidden)},
					"access_control": accessControl("encoded files"),
					"thumbnail_bucket_name": schema.StringAttribute{Optional: true, Computed: true,
						MarkdownDescription: "Bucket of the thumbnails; defaults to `bucket_name`."},
					"thumbnail_file_path": schema.StringAttribute{Optional: true, Computed: true, Validators: filePathValidator(),
						MarkdownDescription: "Path of the thumbnails; defaults to `file_path`."},
					"thumbnail_access_control": accessControl("thumbnails"),
				}},
		},
	}
}

func (r *categoryResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{resourcevalidator.ExactlyOneOf(path.MatchRoot("encoding_option_ids"), path.MatchRoot("encoding_template_id"))}
}

var categoryKind = reconcile.Kind{Name: "VOD Station category", ResourceType: "ncp_vod_category", Key: "name"}

func (r *categoryResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan categoryModel
	if !framework.ConfiguredPlan(ctx, r.meta, req.Plan, &plan, &resp.Diagnostics) {
		return
	}
	conn := vodclient.New(r.meta.Client)
	in := plan.request(ctx)
	c, err := reconcile.CreateReconciled(ctx, reconcile.Create[*wire.Category]{
		Kind: categoryKind, Attempts: conn.Attempts(),
		Journal: conn.Journal(), Key: in.Name,
		Send:     func(ctx context.Context) (*wire.Category, error) { return conn.CreateCategory(ctx, in) },
		Lookup:   func(ctx context.Context) ([]*wire.Category, error) { return findCategoriesByName(ctx, conn, in.Name) },
		ID:       func(c *wire.Category) string { return idString(c.ID) },
		Describe: func(c *wire.Category) string { return fmt.Sprintf("named %q", c.Name) },
		Mismatch: func(c *wire.Category) string {
			if c.Output.BucketName != in.Output.BucketName {
				return fmt.Sprintf("it writes to bucket %s, the request was for %s", c.Output.BucketName, in.Output.BucketName)
			}
			return ""
		},
	})
	if err != nil {
		reconcile.AddCreateError(&resp.Diagnostics, fmt.Sprintf("Error creating VOD Station category %q", in.Name), err)
		return
	}
	plan.set(c)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func categoryIDOf(diags interface{ AddError(string, string) }, s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		diags.AddError("Invalid category ID", fmt.Sprintf("The category ID %q is not a number.", s))
		return 0, false
	}
	return id, true
}

func (r *categoryResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state categoryModel
	ctx, cancel, ok := framework.BeginRead(ctx, r.meta, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id, ok := categoryIDOf(&resp.Diagnostics, state.ID.ValueString())
	if !ok {
		return
	}
	c, err := FindCategoryByID(ctx, vodclient.New(r.meta.Client), id)
	if client.IsNotFound(err) {
		framework.AddNotFoundWarning(&resp.Diagnostics, "VOD Station category", state.ID.ValueString())
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading VOD Station category %d", id), err)
		return
	}
	state.set(c)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *categoryResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan categoryModel
	if !framework.ConfiguredPlan(ctx, r.meta, req.Plan, &plan, &resp.Diagnostics) {
		return
	}
	id, ok := categoryIDOf(&resp.Diagnostics, plan.ID.ValueString())
	if !ok {
		return
	}
	c, err := vodclient.New(r.meta.Client).UpdateCategory(ctx, id, plan.request(ctx))
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error updating VOD Station category %d", id), err)
		return
	}
	plan.set(c)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *categoryResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state categoryModel
	if !framework.ConfiguredState(ctx, r.meta, req.State, &state, &resp.Diagnostics) {
		return
	}
	id, ok := categoryIDOf(&resp.Diagnostics, state.ID.ValueString())
	if !ok {
		return
	}
	// A category has no status: a delete answered "not found" (also after
	// an uncertain first attempt that did delete it) is done.
	err := vodclient.New(r.meta.Client).DeleteCategory(ctx, id)
	if err != nil && !client.IsNotFound(err) {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error deleting VOD Station category %d", id), err)
	}
}

func (r *categoryResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	reconcile.ImportByID(ctx, reconcile.ImportFormat{What: "a VOD Station category", Is: "its ID, a number such as 13814",
		Valid: regexp.MustCompile(`^[1-9][0-9]*$`).MatchString}, req, resp)
}
