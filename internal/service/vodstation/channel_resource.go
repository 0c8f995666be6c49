package vodstation

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

var (
	_ resource.Resource                = (*channelResource)(nil)
	_ resource.ResourceWithConfigure   = (*channelResource)(nil)
	_ resource.ResourceWithImportState = (*channelResource)(nil)
)

// NewChannelResource returns the ncp_vod_channel resource.
func NewChannelResource() resource.Resource { return &channelResource{} }

type channelResource struct{ meta *conns.Meta }

var channelCdnTypes = map[string]attr.Type{"profile_id": types.Int64Type, "region_type": types.StringType}

type channelModel struct {
	ID                    types.String   `tfsdk:"id"`
	Name                  types.String   `tfsdk:"name"`
	StorageBucketName     types.String   `tfsdk:"storage_bucket_name"`
	Protocols             types.List     `tfsdk:"protocols"`
	SegmentDuration       types.Int64    `tfsdk:"segment_duration"`
	SegmentDurationOption types.String   `tfsdk:"segment_duration_option"`
	AccessPrivateFiles    types.Bool     `tfsdk:"access_private_files"`
	NotificationURL       types.String   `tfsdk:"notification_url"`
	Enabled               types.Bool     `tfsdk:"enabled"`
	Cdn                   types.Object   `tfsdk:"cdn"`
	Status                types.String   `tfsdk:"status"`
	PlayURL               types.String   `tfsdk:"play_url"`
	CdnDomain             types.String   `tfsdk:"cdn_domain"`
	CdnStatus             types.String   `tfsdk:"cdn_status"`
	CdnEdgeID             types.Int64    `tfsdk:"cdn_edge_id"`
	DeleteCdnOnDestroy    types.Bool     `tfsdk:"delete_cdn_on_destroy"`
	EncryptedBucketName   types.String   `tfsdk:"encrypted_bucket_name"`
	Timeouts              timeouts.Value `tfsdk:"timeouts"`
}

// set copies what NCP says about the channel; the cdn block keeps its
// configured form (the API echoes profile and region).
func (m *channelModel) set(ch *wire.Channel) {
	m.ID = types.StringValue(ch.ID)
	m.Name = types.StringValue(ch.Name)
	m.StorageBucketName = types.StringValue(ch.StorageBucketName)
	m.Protocols = framework.StringList(ch.ProtocolList)
	m.SegmentDuration = types.Int64Value(int64(ch.SegmentDuration))
	m.SegmentDurationOption = types.StringValue(ch.SegmentDurationOption)
	m.AccessPrivateFiles = types.BoolValue(ch.AccessPrivateFiles)
	m.NotificationURL = framework.StringValueOrNull(ch.NotificationURL)
	m.Status = types.StringValue(ch.ChannelStatus)
	m.Enabled = types.BoolValue(ch.ChannelStatus != wire.ChannelStopped && ch.ChannelStatus != wire.ChannelStopping)
	m.PlayURL = types.StringValue(ch.PlayURL)
	m.CdnDomain = framework.StringValueOrNull(ch.CdnDomain)
	m.CdnStatus = types.StringValue(ch.CdnStatus)
	m.EncryptedBucketName = types.StringValue(ch.EncryptedBucketName)
	m.CdnEdgeID = types.Int64Null()
	m.Cdn = types.ObjectNull(channelCdnTypes)
	if ch.CdnEdgeID != nil {
		m.CdnEdgeID = types.Int64Value(*ch.CdnEdgeID)
	}
	if ch.CdnProfileID != nil {
		m.Cdn = types.ObjectValueMust(channelCdnTypes, map[string]attr.Value{
			"profile_id": types.Int64Value(*ch.CdnProfileID), "region_type": types.StringValue(ch.CdnRegionType)})
	}
}

func (m *channelModel) protocols() []string {
	var out []string
	for _, e := range m.Protocols.Elements() {
		if s, ok := e.(types.String); ok {
			out = append(out, s.ValueString())
		}
	}
	return out
}

func (m *channelModel) cdn() *wire.ChannelCdn {
	if m.Cdn.IsNull() || m.Cdn.IsUnknown() {
		return nil
	}
	attrs := m.Cdn.Attributes()
	p, _ := attrs["profile_id"].(types.Int64)
	r, _ := attrs["region_type"].(types.String)
	return &wire.ChannelCdn{ProfileID: p.ValueInt64(), RegionType: r.ValueString(), Type: wire.CdnTypeGlobalEdge}
}

func (r *channelResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_vod_channel"
}

func (r *channelResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

var channelNameRule = fmt.Sprintf("%d to %d letters, digits or `-`", wire.MinChannelNameLen, wire.MaxChannelNameLen)

func (r *channelResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a VOD Station channel, which streams the videos of an Object Storage bucket over HLS and/or DASH, " +
			"optionally through a Global Edge CDN created with it (`cdn`). Create waits until the channel is `READY`; " +
			"destroy stops it, waits until it is `STOPPED`, deletes it and waits until it is gone. NCP leaves a deleted channel's " +
			"CDN edge in place; destroy therefore also stops and deletes that edge, once the channel is stopped and before deleting " +
			"the channel (so that an interrupted destroy, run again, leaves nothing behind), unless `delete_cdn_on_destroy` is `false`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: stable,
				MarkdownDescription: "The channel ID, of the form `vs-YYYYMMDDhhmmss-XXXXXXX`."},
			"name": schema.StringAttribute{Required: true,
				MarkdownDescription: "Channel name: " + channelNameRule + ". Changes in place.",
				Validators: []validator.String{stringvalidator.RegexMatches(wire.ChannelNameRE,
					"must be "+channelNameRule+" (NCP error 260032)")}},
			"storage_bucket_name": schema.StringAttribute{Required: true, PlanModifiers: replace,
				MarkdownDescription: "The Object Storage bucket (of the same account) whose videos the channel streams. Changing it replaces the channel."},
			"protocols": schema.ListAttribute{Required: true, ElementType: types.StringType,
				MarkdownDescription: "Streaming protocols, `HLS` and/or `DASH`; at least one. Changes in place.",
				Validators: []validator.List{listvalidator.SizeAtLeast(1), listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(stringvalidator.OneOf(wire.Protocols...))}},
			"segment_duration": schema.Int64Attribute{Required: true,
				MarkdownDescription: fmt.Sprintf("Segment duration in seconds, %d to %d. Changes in place.", wire.MinSegmentDuration, wire.MaxSegmentDuration),
				Validators:          []validator.Int64{int64validator.Between(wire.MinSegmentDuration, wire.MaxSegmentDuration)}},
			"segment_duration_option": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(wire.SegmentDurationBasic),
				MarkdownDescription: "`BASIC` (default) or `VARIABLE`. Changes in place.",
				Validators:          []validator.String{stringvalidator.OneOf(wire.SegmentDurationOptions...)}},
			"access_private_files": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false),
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
				MarkdownDescription: "Whether the channel also streams the private objects of its bucket (default `false`: only public-read objects play, a private one is refused). Set it when the category writing into the bucket keeps its files `PRIVATE`. Changing it replaces the channel."},
			"notification_url": schema.StringAttribute{Optional: true, PlanModifiers: replace,
				MarkdownDescription: "URL that receives the channel's status callbacks. Changing it replaces the channel.",
				Validators:          []validator.String{urlValidator()}},
			"enabled": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether the channel runs (`READY`, the default) or is stopped (`STOPPED`); changing it starts or stops the channel in place."},
			"cdn": schema.SingleNestedAttribute{Optional: true,
				MarkdownDescription: "When set, a Global Edge CDN is created for the channel, with the channel's bucket as origin. Changing it replaces the channel.",
				PlanModifiers:       []planmodifier.Object{objectplanmodifier.RequiresReplace()},
				Attributes: map[string]schema.Attribute{
					"profile_id": schema.Int64Attribute{Required: true, MarkdownDescription: "ID of the Global Edge profile the edge belongs to.",
						Validators: []validator.Int64{int64validator.AtLeast(1)}},
					"region_type": schema.StringAttribute{Required: true, MarkdownDescription: "Service region of the edge: `KOREA`, `JAPAN` or `GLOBAL`.",
						Validators: []validator.String{stringvalidator.OneOf(wire.CdnRegionTypes...)}},
				}},
			deleteCdnAttribute: deleteCdnOnDestroySchema(),
			"status":           schema.StringAttribute{Computed: true, MarkdownDescription: "Channel status: `READY`, `STOPPED`, ..."},
			"play_url":         schema.StringAttribute{Computed: true, MarkdownDescription: "Play URL template of the channel: replace `{filePath}` with the path of a video in the bucket."},
			"cdn_domain":       schema.StringAttribute{Computed: true, MarkdownDescription: "Domain of the channel's CDN; null without one."},
			"cdn_status":       schema.StringAttribute{Computed: true, MarkdownDescription: "Status of the channel's CDN (`none` without one)."},
			"cdn_edge_id": schema.Int64Attribute{Computed: true, PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
				MarkdownDescription: "ID of the Global Edge edge created for the channel; null without one."},
			"encrypted_bucket_name": schema.StringAttribute{Computed: true, PlanModifiers: stable, MarkdownDescription: "The bucket's name as it appears in play URLs."},
		},
		Blocks: map[string]schema.Block{
			"timeouts": framework.TimeoutsBlockWithUpdate(ctx, "the channel to become `READY`", "the channel to be changed, started or stopped", "the channel to be stopped and deleted"),
		},
	}
}

// urlValidator accepts http and https URLs.
func urlValidator() validator.String {
	return stringvalidator.RegexMatches(regexp.MustCompile(`^https?://[^\s/]+`), "must be an http or https URL")
}

var channelKind = reconcile.Kind{Name: "VOD Station channel", ResourceType: "ncp_vod_channel", Key: "name", QuoteID: true}

func (r *channelResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan channelModel
	ctx, cancel, ok := framework.BeginCreate(ctx, r.meta, req.Plan, &plan, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	conn := vodclient.New(r.meta.Client)
	cdn := plan.cdn()
	in := wire.CreateChannelRequest{Name: plan.Name.ValueString(), StorageBucketName: plan.StorageBucketName.ValueString(),
		AccessPrivateFiles: plan.AccessPrivateFiles.ValueBoolPointer(), ProtocolList: plan.protocols(), SegmentDuration: int(plan.SegmentDuration.ValueInt64()),
		SegmentDurationOption: plan.SegmentDurationOption.ValueString(), CreateCdn: new(bool), Cdn: cdn, NotificationURL: plan.NotificationURL.ValueString()}
	*in.CreateCdn = cdn != nil
	ch, err := createChannel(ctx, conn, in)
	if err != nil {
		reconcile.AddCreateError(&resp.Diagnostics, fmt.Sprintf("Error creating VOD Station channel %q", in.Name), err)
		return
	}
	enabled := plan.Enabled.ValueBool()
	// Save it before waiting: a failed wait leaves it tainted, not lost.
	plan.set(ch)
	plan.Enabled = types.BoolValue(enabled)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ch, err = waitChannel(ctx, conn, r.meta.Wait, ch.ID, wire.ChannelReady)
	if err == nil && !enabled {
		ch, err = setRunning(ctx, conn, r.meta.Wait, ch.ID, false)
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error waiting for VOD Station channel %s", plan.ID.ValueString()), err)
		return
	}
	plan.set(ch)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// setRunning starts (run) or stops the channel and waits for READY or
// STOPPED. A refused or uncertain start or stop is decided by the status
// the channel then has.
func setRunning(ctx context.Context, conn *vodclient.Client, cfg wait.Config, id string, run bool) (*wire.Channel, error) {
	ch, err := waitChannel(ctx, conn, cfg, id, wire.ChannelReady, wire.ChannelStopped)
	if err != nil {
		return nil, err
	}
	want := wire.ChannelStopped
	if run {
		want = wire.ChannelReady
	}
	if ch.ChannelStatus == want {
		return ch, nil
	}
	var errs []error
	for attempt := 0; attempt < max(conn.Attempts(), 1); attempt++ {
		if run {
			_, err = conn.StartChannel(ctx, id)
		} else {
			_, err = conn.StopChannel(ctx, id)
		}
		if err != nil && !client.IsAmbiguous(err) && !client.IsConflict(err) {
			return nil, errors.Join(append(errs, err)...)
		}
		if err != nil {
			errs = append(errs, err)
		}
		ch, werr := waitChannel(ctx, conn, cfg, id, wire.ChannelReady, wire.ChannelStopped)
		if werr != nil {
			return nil, errors.Join(append(errs, werr)...)
		}
		if ch.ChannelStatus == want {
			return ch, nil
		}
	}
	return nil, errors.Join(errs...)
}

func (r *channelResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state channelModel
	ctx, cancel, ok := framework.BeginRead(ctx, r.meta, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.ID.ValueString()
	ch, err := FindChannelByID(ctx, vodclient.New(r.meta.Client), id)
	if client.IsNotFound(err) {
		framework.AddNotFoundWarning(&resp.Diagnostics, "VOD Station channel", id)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading VOD Station channel %s", id), err)
		return
	}
	state.set(ch)
	defaultDeleteCdn(&state)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *channelResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state channelModel
	ctx, cancel, ok := framework.BeginUpdate(ctx, r.meta, req.Plan, req.State, &plan, &state, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	conn := vodclient.New(r.meta.Client)
	id := state.ID.ValueString()
	ch, err := waitChannel(ctx, conn, r.meta.Wait, id, wire.ChannelReady, wire.ChannelStopped)
	if err == nil && (!plan.Name.Equal(state.Name) || !slices.Equal(plan.protocols(), state.protocols()) ||
		!plan.SegmentDuration.Equal(state.SegmentDuration) || !plan.SegmentDurationOption.Equal(state.SegmentDurationOption)) {
		ch, err = conn.UpdateChannel(ctx, id, wire.UpdateChannelRequest{Name: plan.Name.ValueString(), ProtocolList: plan.protocols(),
			SegmentDuration: int(plan.SegmentDuration.ValueInt64()), SegmentDurationOption: plan.SegmentDurationOption.ValueString()})
	}
	if err == nil && !plan.Enabled.Equal(state.Enabled) {
		ch, err = setRunning(ctx, conn, r.meta.Wait, id, plan.Enabled.ValueBool())
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error updating VOD Station channel %s", id), err)
		return
	}
	plan.set(ch)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *channelResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state channelModel
	ctx, cancel, ok := framework.BeginDelete(ctx, r.meta, req.State, &state, &state.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.ID.ValueString()
	edge := func(ctx context.Context) error { return deleteChannelEdge(ctx, r.meta.Client, r.meta.Wait, &state) }
	if err := deleteChannel(ctx, vodclient.New(r.meta.Client), r.meta.Wait, id, edge); err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error deleting VOD Station channel %s", id), err)
	}
}

// deleteChannel stops the channel (waiting out a transition in progress),
// runs beforeDelete (nil for none), deletes the channel and waits until it
// is gone. A channel already gone or being deleted counts as deleted, so
// an interrupted destroy converges; beforeDelete runs in that case too.
//
// The resource passes the deletion of the channel's edge as beforeDelete:
// once the channel is being deleted, a refresh drops it from the state
// (FindChannelByID), so an edge still there then would be left behind by a
// destroy interrupted while waiting for the channel to go. Deleted first,
// the edge is gone before the state can lose track of it; an interruption
// before that leaves the channel, stopped, in the state, and the destroy's
// re-run deletes the edge (gone counts as deleted) and then the channel.
func deleteChannel(ctx context.Context, conn *vodclient.Client, cfg wait.Config, id string, beforeDelete func(context.Context) error) error {
	if beforeDelete == nil {
		beforeDelete = func(context.Context) error { return nil }
	}
	_, st, err := statusChannel(conn, id)(ctx)
	if err != nil {
		return err
	}
	if st == wait.Gone || terminating(st) {
		if err := beforeDelete(ctx); err != nil {
			return err
		}
		return waitChannelGone(ctx, conn, cfg, id)
	}
	if _, err := setRunning(ctx, conn, cfg, id, false); err != nil {
		if client.IsNotFound(err) {
			return beforeDelete(ctx)
		}
		return err
	}
	if err := beforeDelete(ctx); err != nil {
		return err
	}
	err = reconcile.DeleteReconciled(ctx, reconcile.Delete{
		Attempts: conn.Attempts(),
		Send:     func(ctx context.Context) error { return conn.DeleteChannel(ctx, id) },
		Status: func(ctx context.Context) (string, error) {
			_, st, err := statusChannel(conn, id)(ctx)
			return st, err
		},
		Recheck:  client.IsConflict,
		Deleting: []string{wire.ChannelTerminating, wire.ChannelForceTerminating, wire.ChannelTerminated},
		Idle:     []string{wire.ChannelStopped},
	})
	if err != nil {
		return err
	}
	return waitChannelGone(ctx, conn, cfg, id)
}

// ImportState imports a channel by its ID.
func (r *channelResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	reconcile.ImportByID(ctx, reconcile.ImportFormat{What: "a VOD Station channel", Is: "its ID, such as vs-20250821095732-abcdefg",
		Valid: regexp.MustCompile(`^vs-\d{14}-[A-Za-z0-9*]+$`).MatchString}, req, resp)
}

// createChannel sends the create and reconciles an uncertain outcome by the
// channel's name: a channel of that name found after a dropped answer is
// adopted when it serves the requested bucket; one found before the first
// attempt is reported with an import hint.
func createChannel(ctx context.Context, conn *vodclient.Client, in wire.CreateChannelRequest) (*wire.Channel, error) {
	return reconcile.CreateReconciled(ctx, reconcile.Create[*wire.Channel]{
		Kind: channelKind, Attempts: conn.Attempts(),
		Journal: conn.Journal(), Key: in.Name,
		Send:        func(ctx context.Context) (*wire.Channel, error) { return conn.CreateChannel(ctx, in) },
		Lookup:      func(ctx context.Context) ([]*wire.Channel, error) { return findChannelsByName(ctx, conn, in.Name) },
		ID:          func(c *wire.Channel) string { return c.ID },
		Describe:    func(c *wire.Channel) string { return fmt.Sprintf("named %q", c.Name) },
		Terminating: func(c *wire.Channel) bool { return terminating(c.ChannelStatus) },
		Mismatch: func(c *wire.Channel) string {
			if c.StorageBucketName != in.StorageBucketName {
				return fmt.Sprintf("it serves bucket %s, the request was for %s", c.StorageBucketName, in.StorageBucketName)
			}
			return ""
		},
	})
}
