package vodstation

import (
	"context"
	"fmt"
	"regexp"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
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
	_ resource.Resource                   = (*encodingOptionResource)(nil)
	_ resource.ResourceWithConfigure      = (*encodingOptionResource)(nil)
	_ resource.ResourceWithImportState    = (*encodingOptionResource)(nil)
	_ resource.ResourceWithValidateConfig = (*encodingOptionResource)(nil)
)

// NewEncodingOptionResource returns the ncp_vod_encoding_option resource.
func NewEncodingOptionResource() resource.Resource { return &encodingOptionResource{} }

type encodingOptionResource struct{ meta *conns.Meta }

type videoModel struct {
	Codec            types.String  `tfsdk:"codec"`
	Profile          types.String  `tfsdk:"profile"`
	Level            types.String  `tfsdk:"level"`
	Bitrate          types.Int64   `tfsdk:"bitrate"`
	Width            types.Int64   `tfsdk:"width"`
	Height           types.Int64   `tfsdk:"height"`
	Framerate        types.Float64 `tfsdk:"framerate"`
	KeyframeInterval types.Int64   `tfsdk:"keyframe_interval"`
	RateControl      types.String  `tfsdk:"rate_control"`
}

type audioModel struct {
	Codec        types.String `tfsdk:"codec"`
	Channel      types.String `tfsdk:"channel"`
	Bitrate      types.Int64  `tfsdk:"bitrate"`
	SamplingRate types.Int64  `tfsdk:"sampling_rate"`
}

type encodingOptionModel struct {
	ID     types.String `tfsdk:"id"`
	Name   types.String `tfsdk:"name"`
	Type   types.String `tfsdk:"type"`
	Format types.String `tfsdk:"format"`
	Video  *videoModel  `tfsdk:"video"`
	Audio  *audioModel  `tfsdk:"audio"`
}

func intOrNull(n int) types.Int64 {
	if n == 0 {
		return types.Int64Null()
	}
	return types.Int64Value(int64(n))
}

func (m *encodingOptionModel) set(o *wire.EncodingOption) {
	m.ID = types.StringValue(idString(o.ID))
	m.Name = types.StringValue(o.Name)
	m.Type = types.StringValue(o.EncodingOptionType)
	m.Format = types.StringValue(o.Format)
	m.Video, m.Audio = nil, nil
	if v := o.Video; v != nil {
		m.Video = &videoModel{Codec: types.StringValue(v.Codec), Profile: types.StringNull(), Level: types.StringNull(),
			Bitrate: intOrNull(v.Bitrate), Width: intOrNull(v.Width), Height: intOrNull(v.Height), Framerate: types.Float64Null(),
			KeyframeInterval: intOrNull(v.KeyframeInterval), RateControl: framework.StringValueOrNull(v.RateControl)}
		if v.CodecOptions != nil {
			m.Video.Profile, m.Video.Level = framework.StringValueOrNull(v.CodecOptions.Profile), framework.StringValueOrNull(v.CodecOptions.Level)
		}
		if v.Framerate != 0 {
			m.Video.Framerate = types.Float64Value(v.Framerate)
		}
	}
	if a := o.Audio; a != nil {
		m.Audio = &audioModel{Codec: types.StringValue(a.Codec), Channel: framework.StringValueOrNull(a.Channel), Bitrate: intOrNull(a.Bitrate), SamplingRate: intOrNull(a.SamplingRate)}
	}
}

func (m *encodingOptionModel) request() wire.CreateEncodingOptionRequest {
	req := wire.CreateEncodingOptionRequest{EncodingOptionType: m.Type.ValueString(), Name: m.Name.ValueString(), Format: m.Format.ValueString()}
	if v := m.Video; v != nil {
		req.Video = &wire.Video{Codec: v.Codec.ValueString(), Bitrate: int(v.Bitrate.ValueInt64()), Width: int(v.Width.ValueInt64()),
			Height: int(v.Height.ValueInt64()), Framerate: v.Framerate.ValueFloat64(), KeyframeInterval: int(v.KeyframeInterval.ValueInt64()),
			RateControl: v.RateControl.ValueString()}
		if !v.Profile.IsNull() || !v.Level.IsNull() {
			req.Video.CodecOptions = &wire.CodecOptions{Profile: v.Profile.ValueString(), Level: v.Level.ValueString()}
		}
	}
	if a := m.Audio; a != nil {
		req.Audio = &wire.Audio{Codec: a.Codec.ValueString(), Channel: a.Channel.ValueString(), Bitrate: int(a.Bitrate.ValueInt64()), SamplingRate: int(a.SamplingRate.ValueInt64())}
	}
	return req
}

func (r *encodingOptionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_vod_encoding_option"
}

func (r *encodingOptionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

func (r *encodingOptionResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a custom VOD Station encoding option. NCP cannot change an option, so every change replaces it. " +
			"The value ranges marked as ncplocal's in the provider's wire facts (video bitrate, size, frame rate, key frame interval) are not documented by NCP.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "The option ID (a number)."},
			"name": schema.StringAttribute{Required: true, PlanModifiers: replace,
				MarkdownDescription: fmt.Sprintf("Option name: %d to %d letters, digits, `:`, `-` or `_`; unique among the account's options.", wire.MinOptionNameLen, wire.MaxOptionNameLen),
				Validators:          []validator.String{stringvalidator.RegexMatches(wire.OptionNameRE, fmt.Sprintf("must be %d to %d letters, digits, ':', '-' or '_'", wire.MinOptionNameLen, wire.MaxOptionNameLen))}},
			"type": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(wire.OptionTypeNormal), PlanModifiers: replace,
				MarkdownDescription: "`NORMAL` (video and audio, the default) or `AUDIO` (audio only; `video` must then be left out).",
				Validators:          []validator.String{stringvalidator.OneOf(wire.OptionTypes...)}},
			"format": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(wire.FormatMP4), PlanModifiers: replace,
				MarkdownDescription: "Container format: `MP4`.", Validators: []validator.String{stringvalidator.OneOf(wire.FormatMP4)}},
			"video": schema.SingleNestedAttribute{Optional: true, PlanModifiers: []planmodifier.Object{objectplanmodifier.RequiresReplace()},
				MarkdownDescription: "Video settings; required for a `NORMAL` option.",
				Attributes: map[string]schema.Attribute{
					"codec": schema.StringAttribute{Required: true, MarkdownDescription: "Video codec: `AVC`.", Validators: []validator.String{stringvalidator.OneOf(wire.VideoCodecs...)}},
					"profile": schema.StringAttribute{Optional: true, MarkdownDescription: "H.264 profile: `BASELINE`, `MAIN` or `HIGH`.",
						Validators: []validator.String{stringvalidator.OneOf(wire.VideoProfiles...)}},
					"level": schema.StringAttribute{Optional: true, MarkdownDescription: "H.264 level: `AUTO`, `3.0` ... `5.2`.",
						Validators: []validator.String{stringvalidator.OneOf(wire.VideoLevels...)}},
					"bitrate": schema.Int64Attribute{Required: true, MarkdownDescription: fmt.Sprintf("Video bit rate in Kbps, %d to %d.", wire.MinVideoBitrate, wire.MaxVideoBitrate),
						Validators: []validator.Int64{int64validator.Between(wire.MinVideoBitrate, wire.MaxVideoBitrate)}},
					"width": schema.Int64Attribute{Optional: true, MarkdownDescription: fmt.Sprintf("Width in pixels, %d to %d.", wire.MinVideoDimension, wire.MaxVideoDimension),
						Validators: []validator.Int64{int64validator.Between(wire.MinVideoDimension, wire.MaxVideoDimension)}},
					"height": schema.Int64Attribute{Optional: true, MarkdownDescription: fmt.Sprintf("Height in pixels, %d to %d.", wire.MinVideoDimension, wire.MaxVideoDimension),
						Validators: []validator.Int64{int64validator.Between(wire.MinVideoDimension, wire.MaxVideoDimension)}},
					"framerate": schema.Float64Attribute{Optional: true, MarkdownDescription: fmt.Sprintf("Frame rate in frames per second, %d to %d.", wire.MinFramerate, wire.MaxFramerate),
						Validators: []validator.Float64{float64validator.Between(wire.MinFramerate, wire.MaxFramerate)}},
					"keyframe_interval": schema.Int64Attribute{Optional: true, MarkdownDescription: fmt.Sprintf("Key frame interval in frames, %d to %d.", wire.MinKeyframeInterval, wire.MaxKeyframeInterval),
						Validators: []validator.Int64{int64validator.Between(wire.MinKeyframeInterval, wire.MaxKeyframeInterval)}},
					"rate_control": schema.StringAttribute{Optional: true, MarkdownDescription: "Rate control: `CBR` or `VBR`.",
						Validators: []validator.String{stringvalidator.OneOf(wire.RateControls...)}},
				}},
			"audio": schema.SingleNestedAttribute{Required: true, PlanModifiers: []planmodifier.Object{objectplanmodifier.RequiresReplace()},
				MarkdownDescription: "Audio settings.",
				Attributes: map[string]schema.Attribute{
					"codec": schema.StringAttribute{Required: true, MarkdownDescription: "Audio codec: `AAC`.", Validators: []validator.String{stringvalidator.OneOf(wire.AudioCodecs...)}},
					"channel": schema.StringAttribute{Optional: true, MarkdownDescription: "Channels: `AUTO`, `1` or `2`.",
						Validators: []validator.String{stringvalidator.OneOf(wire.AudioChannels...)}},
					"bitrate": schema.Int64Attribute{Optional: true, MarkdownDescription: fmt.Sprintf("Audio bit rate in Kbps, %d to %d.", wire.MinAudioBitrate, wire.MaxAudioBitrate),
						Validators: []validator.Int64{int64validator.Between(wire.MinAudioBitrate, wire.MaxAudioBitrate)}},
					"sampling_rate": schema.Int64Attribute{Optional: true, MarkdownDescription: fmt.Sprintf("Sampling rate in Hz, one of %v.", wire.AudioSamplingRate),
						Validators: []validator.Int64{int64validator.OneOf(samplingRates()...)}},
				}},
		},
	}
}

func samplingRates() []int64 {
	out := make([]int64, len(wire.AudioSamplingRate))
	for i, r := range wire.AudioSamplingRate {
		out[i] = int64(r)
	}
	return out
}

// ValidateConfig: video is required for NORMAL and not allowed for AUDIO.
func (r *encodingOptionResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m encodingOptionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Type.IsUnknown() {
		return
	}
	typ := framework.StringOr(m.Type, wire.OptionTypeNormal)
	switch {
	case typ == wire.OptionTypeNormal && m.Video == nil:
		resp.Diagnostics.AddAttributeError(pathRoot("video"), "Missing video", "video is required when type is NORMAL.")
	case typ == wire.OptionTypeAudio && m.Video != nil:
		resp.Diagnostics.AddAttributeError(pathRoot("video"), "Unexpected video", "video must be left out when type is AUDIO.")
	}
}

var optionKind = reconcile.Kind{Name: "VOD Station encoding option", ResourceType: "ncp_vod_encoding_option", Key: "name"}

func (r *encodingOptionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan encodingOptionModel
	if !framework.ConfiguredPlan(ctx, r.meta, req.Plan, &plan, &resp.Diagnostics) {
		return
	}
	conn := vodclient.New(r.meta.Client)
	in := plan.request()
	o, err := reconcile.CreateReconciled(ctx, reconcile.Create[*wire.EncodingOption]{
		Kind: optionKind, Attempts: conn.Attempts(),
		Journal: conn.Journal(), Key: in.Name,
		Send: func(ctx context.Context) (*wire.EncodingOption, error) { return conn.CreateEncodingOption(ctx, in) },
		Lookup: func(ctx context.Context) ([]*wire.EncodingOption, error) {
			return findCustomOptionsByName(ctx, conn, in.Name)
		},
		ID:       func(o *wire.EncodingOption) string { return idString(o.ID) },
		Describe: func(o *wire.EncodingOption) string { return fmt.Sprintf("named %q", o.Name) },
	})
	if err != nil {
		reconcile.AddCreateError(&resp.Diagnostics, fmt.Sprintf("Error creating VOD Station encoding option %q", in.Name), err)
		return
	}
	plan.set(o)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *encodingOptionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state encodingOptionModel
	ctx, cancel, ok := framework.BeginRead(ctx, r.meta, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id, err := strconv.ParseInt(state.ID.ValueString(), 10, 64)
	if err != nil {
		resp.Diagnostics.AddError("Invalid encoding option ID", fmt.Sprintf("%q is not a number.", state.ID.ValueString()))
		return
	}
	o, system, err := FindEncodingOptionByID(ctx, vodclient.New(r.meta.Client), id)
	if client.IsNotFound(err) {
		framework.AddNotFoundWarning(&resp.Diagnostics, "VOD Station encoding option", state.ID.ValueString())
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading VOD Station encoding option %d", id), err)
		return
	}
	if system {
		resp.Diagnostics.AddError("Not a custom encoding option", fmt.Sprintf("Encoding option %d (%s) is provided by NCP; use the ncp_vod_encoding_options data source for it.", id, o.Name))
		return
	}
	state.set(o)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update never changes the option: every argument replaces it.
func (r *encodingOptionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan encodingOptionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *encodingOptionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state encodingOptionModel
	if !framework.ConfiguredState(ctx, r.meta, req.State, &state, &resp.Diagnostics) {
		return
	}
	id, err := strconv.ParseInt(state.ID.ValueString(), 10, 64)
	if err != nil {
		resp.Diagnostics.AddError("Invalid encoding option ID", fmt.Sprintf("%q is not a number.", state.ID.ValueString()))
		return
	}
	if err := vodclient.New(r.meta.Client).DeleteEncodingOption(ctx, id); err != nil && !client.IsNotFound(err) {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error deleting VOD Station encoding option %d", id), err)
	}
}

func (r *encodingOptionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	reconcile.ImportByID(ctx, reconcile.ImportFormat{What: "a VOD Station encoding option", Is: "its ID, a number such as 1001",
		Valid: regexp.MustCompile(`^[1-9][0-9]*$`).MatchString}, req, resp)
}
