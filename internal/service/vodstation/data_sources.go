package vodstation

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

var (
	_ datasource.DataSourceWithConfigure = (*encodingOptionsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*encodingTemplatesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*categoryDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*channelDataSource)(nil)
)

type dsBase struct{ meta *conns.Meta }

func (d *dsBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

// ---- ncp_vod_encoding_options

// NewEncodingOptionsDataSource returns ncp_vod_encoding_options.
func NewEncodingOptionsDataSource() datasource.DataSource { return &encodingOptionsDataSource{} }

type encodingOptionsDataSource struct{ dsBase }

var optionItemTypes = map[string]attr.Type{"id": types.Int64Type, "name": types.StringType, "type": types.StringType,
	"format": types.StringType, "system": types.BoolType}

type encodingOptionsModel struct {
	ID      types.String `tfsdk:"id"`
	Name    types.String `tfsdk:"name"`
	Type    types.String `tfsdk:"type"`
	Options types.List   `tfsdk:"encoding_options"`
}

func (d *encodingOptionsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_vod_encoding_options"
}

func (d *encodingOptionsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the VOD Station encoding options of the account, NCP's own and custom ones, optionally filtered by name and type.",
		Attributes: map[string]schema.Attribute{
			"id":   schema.StringAttribute{Computed: true, MarkdownDescription: "A fixed ID of the listing."},
			"name": schema.StringAttribute{Optional: true, MarkdownDescription: "Only the option with this exact name."},
			"type": schema.StringAttribute{Optional: true, MarkdownDescription: "Only options of this type: `NORMAL` or `AUDIO`.",
				Validators: []validator.String{stringvalidator.OneOf(wire.OptionTypes...)}},
			"encoding_options": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "The matching options, by ID.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":     schema.Int64Attribute{Computed: true, MarkdownDescription: "Option ID."},
					"name":   schema.StringAttribute{Computed: true, MarkdownDescription: "Option name."},
					"type":   schema.StringAttribute{Computed: true, MarkdownDescription: "`NORMAL` or `AUDIO`."},
					"format": schema.StringAttribute{Computed: true, MarkdownDescription: "Container format."},
					"system": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether NCP provides the option (it cannot be deleted)."},
				}}},
		},
	}
}

func (d *encodingOptionsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m encodingOptionsModel
	if !framework.ConfiguredConfig(ctx, d.meta, req.Config, &m, &resp.Diagnostics) {
		return
	}
	list, err := vodclient.New(d.meta.Client).ListEncodingOptions(ctx)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, "Error listing VOD Station encoding options", err)
		return
	}
	items := []attr.Value{}
	for _, o := range list {
		if (!m.Name.IsNull() && o.Name != m.Name.ValueString()) || (!m.Type.IsNull() && o.EncodingOptionType != m.Type.ValueString()) {
			continue
		}
		items = append(items, types.ObjectValueMust(optionItemTypes, map[string]attr.Value{"id": types.Int64Value(o.ID), "name": types.StringValue(o.Name),
			"type": types.StringValue(o.EncodingOptionType), "format": types.StringValue(o.Format), "system": types.BoolValue(isSystemOption(o.ID))}))
	}
	m.ID = types.StringValue("encoding-options")
	m.Options = types.ListValueMust(types.ObjectType{AttrTypes: optionItemTypes}, items)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// ---- ncp_vod_encoding_templates

// NewEncodingTemplatesDataSource returns ncp_vod_encoding_templates.
func NewEncodingTemplatesDataSource() datasource.DataSource { return &encodingTemplatesDataSource{} }

type encodingTemplatesDataSource struct{ dsBase }

var templateItemTypes = map[string]attr.Type{"id": types.Int64Type, "name": types.StringType, "encoding_option_ids": types.ListType{ElemType: types.Int64Type}}

type encodingTemplatesModel struct {
	ID        types.String `tfsdk:"id"`
	Templates types.List   `tfsdk:"templates"`
}

func (d *encodingTemplatesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_vod_encoding_templates"
}

func (d *encodingTemplatesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists VOD Station's encoding templates, each a set of encoding options a category can use (`encoding_template_id`).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "A fixed ID of the listing."},
			"templates": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "The templates.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":                  schema.Int64Attribute{Computed: true, MarkdownDescription: "Template ID."},
					"name":                schema.StringAttribute{Computed: true, MarkdownDescription: "Template name."},
					"encoding_option_ids": schema.ListAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "The template's encoding options."},
				}}},
		},
	}
}

func (d *encodingTemplatesDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !framework.CheckConfigured(d.meta, &resp.Diagnostics) {
		return
	}
	list, err := vodclient.New(d.meta.Client).ListEncodingTemplates(ctx)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, "Error listing VOD Station encoding templates", err)
		return
	}
	items := []attr.Value{}
	for _, t := range list {
		items = append(items, types.ObjectValueMust(templateItemTypes, map[string]attr.Value{"id": types.Int64Value(t.ID), "name": types.StringValue(t.Name),
			"encoding_option_ids": types.ListValueMust(types.Int64Type, int64List(t.EncodingOptionIDs))}))
	}
	m := encodingTemplatesModel{ID: types.StringValue("encoding-templates"), Templates: types.ListValueMust(types.ObjectType{AttrTypes: templateItemTypes}, items)}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// ---- ncp_vod_category

// NewCategoryDataSource returns ncp_vod_category.
func NewCategoryDataSource() datasource.DataSource { return &categoryDataSource{} }

type categoryDataSource struct{ dsBase }

func (d *categoryDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_vod_category"
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func (d *categoryDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up a VOD Station category by its ID.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Required: true, MarkdownDescription: "The category ID (a number).",
				Validators: []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^[1-9][0-9]*$`), "must be a category ID, a number")}},
			"name":                          computedString("Category name."),
			"encoding_option_ids":           schema.SetAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "The listed encoding options; null with a template."},
			"encoding_template_id":          schema.Int64Attribute{Computed: true, MarkdownDescription: "The encoding template; null without one."},
			"effective_encoding_option_ids": schema.ListAttribute{Computed: true, ElementType: types.Int64Type, MarkdownDescription: "The options the category encodes with."},
			"thumbnail":                     schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether thumbnails are made."},
			"notification_url":              computedString("Callback URL of the encoding jobs."),
			"output": schema.SingleNestedAttribute{Computed: true, MarkdownDescription: "Where the encoded files go.",
				Attributes: map[string]schema.Attribute{
					"bucket_name": computedString("Output bucket."), "file_path": computedString("Output path."),
					"access_control": computedString("Access control of the files."), "thumbnail_bucket_name": computedString("Thumbnail bucket."),
					"thumbnail_file_path": computedString("Thumbnail path."), "thumbnail_access_control": computedString("Access control of the thumbnails."),
				}},
		},
	}
}

func (d *categoryDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if !framework.CheckConfigured(d.meta, &resp.Diagnostics) {
		return
	}
	var m categoryModel
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, pathRoot("id"), &m.ID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, ok := categoryIDOf(&resp.Diagnostics, m.ID.ValueString())
	if !ok {
		return
	}
	c, err := FindCategoryByID(ctx, vodclient.New(d.meta.Client), id)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading VOD Station category %d", id), err)
		return
	}
	m.set(c)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// ---- ncp_vod_channel

// NewChannelDataSource returns ncp_vod_channel.
func NewChannelDataSource() datasource.DataSource { return &channelDataSource{} }

type channelDataSource struct{ dsBase }

type channelDataModel struct {
	ID                    types.String `tfsdk:"id"`
	Name                  types.String `tfsdk:"name"`
	StorageBucketName     types.String `tfsdk:"storage_bucket_name"`
	Protocols             types.List   `tfsdk:"protocols"`
	SegmentDuration       types.Int64  `tfsdk:"segment_duration"`
	SegmentDurationOption types.String `tfsdk:"segment_duration_option"`
	AccessPrivateFiles    types.Bool   `tfsdk:"access_private_files"`
	Status                types.String `tfsdk:"status"`
	PlayURL               types.String `tfsdk:"play_url"`
	CdnDomain             types.String `tfsdk:"cdn_domain"`
	CdnStatus             types.String `tfsdk:"cdn_status"`
	CdnEdgeID             types.Int64  `tfsdk:"cdn_edge_id"`
	EncryptedBucketName   types.String `tfsdk:"encrypted_bucket_name"`
}

func (d *channelDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_vod_channel"
}

func (d *channelDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up a VOD Station channel by its ID.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Required: true, MarkdownDescription: "The channel ID, `vs-YYYYMMDDhhmmss-XXXXXXX`.",
				Validators: []validator.String{stringvalidator.RegexMatches(regexp.MustCompile(`^vs-\d{14}-[A-Za-z0-9*]+$`), "must be a channel ID such as vs-20250821095732-abcdefg")}},
			"name":                    computedString("Channel name."),
			"storage_bucket_name":     computedString("The bucket the channel streams."),
			"protocols":               schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Streaming protocols."},
			"segment_duration":        schema.Int64Attribute{Computed: true, MarkdownDescription: "Segment duration in seconds."},
			"segment_duration_option": computedString("`BASIC` or `VARIABLE`."),
			"access_private_files":    schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether private objects may be streamed."},
			"status":                  computedString("Channel status."),
			"play_url":                computedString("Play URL template."),
			"cdn_domain":              computedString("Domain of the channel's CDN."),
			"cdn_status":              computedString("Status of the channel's CDN."),
			"cdn_edge_id":             schema.Int64Attribute{Computed: true, MarkdownDescription: "ID of the channel's Global Edge edge."},
			"encrypted_bucket_name":   computedString("The bucket's name in play URLs."),
		},
	}
}

func (d *channelDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m channelDataModel
	if !framework.ConfiguredConfig(ctx, d.meta, req.Config, &m, &resp.Diagnostics) {
		return
	}
	ch, err := FindChannelByID(ctx, vodclient.New(d.meta.Client), m.ID.ValueString())
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading VOD Station channel %s", m.ID.ValueString()), err)
		return
	}
	var full channelModel
	full.set(ch)
	m = channelDataModel{ID: full.ID, Name: full.Name, StorageBucketName: full.StorageBucketName, Protocols: full.Protocols,
		SegmentDuration: full.SegmentDuration, SegmentDurationOption: full.SegmentDurationOption, AccessPrivateFiles: full.AccessPrivateFiles,
		Status: full.Status, PlayURL: full.PlayURL, CdnDomain: full.CdnDomain, CdnStatus: full.CdnStatus, CdnEdgeID: full.CdnEdgeID,
		EncryptedBucketName: full.EncryptedBucketName}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
