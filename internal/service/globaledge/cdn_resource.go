package globaledge

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

var (
	_ resource.Resource                   = (*cdnResource)(nil)
	_ resource.ResourceWithConfigure      = (*cdnResource)(nil)
	_ resource.ResourceWithImportState    = (*cdnResource)(nil)
	_ resource.ResourceWithValidateConfig = (*cdnResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*cdnResource)(nil)
)

var pathRE = regexp.MustCompile(`^/`)

// NewCdnResource returns the ncp_global_edge_cdn resource.
func NewCdnResource() resource.Resource { return &cdnResource{} }

type cdnResource struct {
	meta *conns.Meta
}

func (r *cdnResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_global_edge_cdn"
}

func (r *cdnResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks at plan time what depends on other attributes:
// the documented requirements of each choice (ncp-api.md §3.3).
func (r *cdnResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m cdnModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	need := func(p path.Path, v types.String, why string) {
		if v.IsNull() || (!v.IsUnknown() && v.ValueString() == "") {
			resp.Diagnostics.AddAttributeError(p, "Missing required argument", fmt.Sprintf("Attribute %s is required %s.", p, why))
		}
	}
	known := func(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }
	if known(m.DomainType) && m.DomainType.ValueString() != defaultDomainType {
		need(path.Root("domain_name"), m.DomainName, "when domain_type is "+m.DomainType.ValueString())
	} else if (m.DomainType.IsNull() || m.DomainType.ValueString() == defaultDomainType) && known(m.DomainName) {
		resp.Diagnostics.AddAttributeError(path.Root("domain_name"), "Invalid argument",
			"Attribute domain_name must not be set with domain_type NCP_DOMAIN_AUTO: NCP chooses the domain.")
	}
	if o, ok := asObject[originModel](ctx, m.Origin, &resp.Diagnostics); ok {
		p := path.Root("origin")
		if o.Type.IsNull() || o.Type.ValueString() == defaultOriginType {
			need(p.AtName("bucket_name"), o.BucketName, "when origin.type is OBJECT_STORAGE")
		} else if known(o.Type) {
			need(p.AtName("custom_location"), o.CustomLocation, "when origin.type is "+o.Type.ValueString())
		}
		if known(o.ForwardHostHeader) && o.ForwardHostHeader.ValueString() == "CUSTOM" {
			need(p.AtName("custom_host_header"), o.CustomHostHeader, "when origin.forward_host_header is CUSTOM")
		}
	}
	if l, ok := asObject[loggingModel](ctx, m.Logging, &resp.Diagnostics); ok {
		need(path.Root("logging").AtName("bucket_name"), l.BucketName, "in a logging block")
	}
	if c, ok := asObject[cachingModel](ctx, m.Caching, &resp.Diagnostics); ok {
		p := path.Root("caching")
		if known(c.QueryStringMode) && c.QueryStringMode.ValueString() == "ALLOW_SPECIFIC_STRING" && !c.QueryStrings.IsUnknown() &&
			len(c.QueryStrings.Elements()) == 0 {
			resp.Diagnostics.AddAttributeError(p.AtName("query_strings"), "Missing required argument",
				"Attribute caching.query_strings must list at least one query string when caching.query_string_mode is ALLOW_SPECIFIC_STRING.")
		}
		if a, ok := asObject[edgeAuthModel](ctx, c.EdgeAuth, &resp.Diagnostics); ok {
			need(p.AtName("edge_auth").AtName("type"), a.Type, "in an edge_auth block")
			need(p.AtName("edge_auth").AtName("token_key"), a.TokenKey, "in an edge_auth block")
		}
	}
	if !m.HeaderPolicies.IsNull() && !m.HeaderPolicies.IsUnknown() {
		var hs []headerPolicyModel
		resp.Diagnostics.Append(m.HeaderPolicies.ElementsAs(ctx, &hs, false)...)
		for i, h := range hs {
			if known(h.Action) && h.Action.ValueString() != "REMOVE" {
				need(path.Root("header_policy").AtListIndex(i).AtName("value"), h.Value, "unless action is REMOVE")
			}
		}
	}
	if !m.CachingRules.IsNull() && !m.CachingRules.IsUnknown() {
		var rules []cachingRuleModel
		resp.Diagnostics.Append(m.CachingRules.ElementsAs(ctx, &rules, false)...)
		for i, cr := range rules {
			set := 0
			for _, v := range []bool{!cr.Revalidate.IsNull(), !cr.AgeType.IsNull(), !cr.Age.IsNull()} {
				if v {
					set++
				}
			}
			if set != 0 && set != 3 {
				resp.Diagnostics.AddAttributeError(path.Root("caching_rule").AtListIndex(i), "Incomplete revalidation",
					fmt.Sprintf("caching_rule[%d]: revalidate, age_type and age are set together or not at all.", i))
			}
		}
	}
}

// ModifyPlan marks domain_name unknown when domain_type changes and the
// domain is NCP's to choose.
func (r *cdnResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var planType, stateType, configName types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("domain_type"), &planType)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("domain_type"), &stateType)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("domain_name"), &configName)...)
	if configName.IsNull() && !planType.Equal(stateType) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("domain_name"), types.StringUnknown())...)
	}
}

var cdnKind = reconcile.Kind{Name: "Global Edge edge", ResourceType: "ncp_global_edge_cdn", Key: "name (within the profile)"}

// createEdge sends the create and reconciles an uncertain outcome by the
// edge's name within its profile.
func createEdge(ctx context.Context, conn *geclient.Client, cfg *wire.EdgeConfig) (*wire.EdgeListItem, error) {
	return reconcile.CreateReconciled(ctx, reconcile.Create[*wire.EdgeListItem]{
		Kind:     cdnKind,
		Attempts: conn.Attempts(),
		Journal:  conn.Journal(),
		Key:      fmt.Sprintf("%d/%s", cfg.ProfileID, cfg.EdgeName),
		Send: func(ctx context.Context) (*wire.EdgeListItem, error) {
			id, err := conn.CreateEdge(ctx, cfg)
			if err != nil {
				return nil, err
			}
			return &wire.EdgeListItem{ID: id, ProfileID: cfg.ProfileID, EdgeName: cfg.EdgeName}, nil
		},
		Lookup: func(ctx context.Context) ([]*wire.EdgeListItem, error) {
			found, err := findEdgesByName(ctx, conn, cfg.ProfileID, cfg.EdgeName)
			if client.IsNotFound(err) {
				// No such profile: the create gets NCP's own answer.
				return nil, nil
			}
			return found, err
		},
		ID: func(e *wire.EdgeListItem) string { return formatID(e.ID) },
		Describe: func(e *wire.EdgeListItem) string {
			return fmt.Sprintf("named %q in profile %d", e.EdgeName, e.ProfileID)
		},
		Terminating: func(e *wire.EdgeListItem) bool {
			return e.StatusType == wire.StatusDeleting || e.StatusType == wire.StatusDeleted
		},
		Mismatch: func(e *wire.EdgeListItem) string {
			if e.ServiceRegionType != "" && e.ServiceRegionType != cfg.DistributionConfig.RegionType {
				return fmt.Sprintf("it serves %s, the request was for %s", e.ServiceRegionType, cfg.DistributionConfig.RegionType)
			}
			return ""
		},
	})
}

// Create creates the edge and waits until it is RUNNING.
func (r *cdnResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan cdnModel
	ctx, cancel, ok := framework.BeginCreate(ctx, r.meta, req.Plan, &plan, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	cfg := plan.toWire(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	conn := geclient.New(r.meta.Client)
	e, err := createEdge(ctx, conn, cfg)
	if err != nil {
		reconcile.AddCreateError(&resp.Diagnostics, fmt.Sprintf("Error creating Global Edge edge %q", cfg.EdgeName), err)
		return
	}
	ctx = tflog.SetField(ctx, "edge_id", e.ID)
	tflog.Debug(ctx, "created Global Edge edge")

	// Keep the edge in state before waiting: a failed wait leaves it
	// tainted rather than lost.
	plan.ID = types.StringValue(formatID(e.ID))
	if plan.DomainName.IsUnknown() {
		plan.DomainName = types.StringNull()
	}
	plan.Status = types.StringValue(wire.StatusPublishing)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := waitEdgeRunning(ctx, conn, r.meta.Wait, e.ID); err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error waiting for Global Edge edge %d to be published", e.ID), err)
		return
	}
	r.readInto(ctx, conn, e.ID, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// readInto refreshes m from NCP (get and status).
func (r *cdnResource) readInto(ctx context.Context, conn *geclient.Client, id int64, m *cdnModel, diags *diag.Diagnostics) {
	e, st, err := FindEdgeByID(ctx, conn, id)
	if err != nil {
		framework.AddNCPError(diags, fmt.Sprintf("Error reading Global Edge edge %d", id), err)
		return
	}
	m.setEdge(ctx, id, e, st, diags)
}

// Read refreshes the edge: its configuration and its status (two calls:
// the get answer carries no status). An edge gone or being deleted is
// removed from state with a warning.
func (r *cdnResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state cdnModel
	ctx, cancel, ok := framework.BeginRead(ctx, r.meta, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id, err := parseID(state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Invalid Global Edge edge ID in state", err.Error())
		return
	}
	e, st, err := FindEdgeByID(ctx, geclient.New(r.meta.Client), id)
	if isGone(err, st) {
		framework.AddNotFoundWarning(&resp.Diagnostics, "Global Edge edge", state.ID.ValueString())
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading Global Edge edge %d", id), err)
		return
	}
	state.setEdge(ctx, id, e, st, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update edits the edge in place (PUT with the whole configuration). NCP
// edits a RUNNING or STOPPED edge; one in a transition is waited out
// first. A running edge is published again, and the update waits until it
// is RUNNING.
func (r *cdnResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state cdnModel
	ctx, cancel, ok := framework.BeginUpdate(ctx, r.meta, req.Plan, req.State, &plan, &state, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id, err := parseID(state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Invalid Global Edge edge ID in state", err.Error())
		return
	}
	cfg := plan.toWire(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	conn := geclient.New(r.meta.Client)
	if err := editEdge(ctx, conn, r.meta.Wait, id, cfg); err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error updating Global Edge edge %d", id), err)
		return
	}
	r.readInto(ctx, conn, id, &plan, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// editEdge sends the edit once the edge has settled and waits for the
// result: a 0250 answer (the edge moved into a transition meanwhile) is
// waited out and sent again, at most conn.Attempts() times.
func editEdge(ctx context.Context, conn *geclient.Client, cfg wait.Config, id int64, in *wire.EdgeConfig) error {
	var errs []error
	for range conn.Attempts() {
		st, err := waitEdgeSettled(ctx, conn, cfg, id)
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		if st != wire.StatusRunning && st != wire.StatusStopped {
			return errors.Join(append(errs, fmt.Errorf("the edge is %s", st))...)
		}
		err = conn.EditEdge(ctx, id, in)
		switch {
		case err == nil:
			if st == wire.StatusRunning {
				return waitEdgeRunning(ctx, conn, cfg, id)
			}
			return nil
		case reconcile.HasCode(err, wire.CodeEdgeNotStopped), client.IsAmbiguous(err):
			// An edit that may have been applied is sent again: it is the
			// whole configuration, so resending it is harmless.
			errs = append(errs, err)
		default:
			return errors.Join(append(errs, err)...)
		}
	}
	return errors.Join(errs...)
}

// Delete stops the edge, waits until it is STOPPED, deletes it and waits
// until it is gone.
func (r *cdnResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state cdnModel
	ctx, cancel, ok := framework.BeginDelete(ctx, r.meta, req.State, &state, &state.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id, err := parseID(state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Invalid Global Edge edge ID in state", err.Error())
		return
	}
	if err := deleteEdge(ctx, geclient.New(r.meta.Client), r.meta.Wait, id); err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error deleting Global Edge edge %d", id), err)
	}
}

// deleteEdge drives edge id to gone from whatever status it is in: a
// transition is waited out, RUNNING is stopped, STOPPED is deleted, and
// DELETING is waited out. A refused (0250) or uncertain stop or delete is
// decided by the next status, so an interrupted destroy converges when run
// again. Refusals are bounded by conn.Attempts() each.
func deleteEdge(ctx context.Context, conn *geclient.Client, cfg wait.Config, id int64) error {
	var errs []error
	retry := func(err error) error {
		if reconcile.HasCode(err, wire.CodeEdgeNotStopped) || client.IsAmbiguous(err) {
			errs = append(errs, err)
			if len(errs) >= 2*conn.Attempts() {
				return errors.Join(errs...)
			}
			return nil
		}
		return err
	}
	for {
		st, err := waitEdgeSettled(ctx, conn, cfg, id)
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		switch st {
		case wait.Gone:
			return nil
		case wire.StatusDeleting:
			return waitEdgeDeleted(ctx, conn, cfg, id)
		case wire.StatusRunning:
			if err := conn.StopEdges(ctx, id); err != nil && !client.IsNotFound(err) {
				if err := retry(err); err != nil {
					return err
				}
			}
		case wire.StatusStopped:
			err := conn.DeleteEdges(ctx, id)
			if err == nil || client.IsNotFound(err) {
				return waitEdgeDeleted(ctx, conn, cfg, id)
			}
			if err := retry(err); err != nil {
				return err
			}
		default:
			return errors.Join(append(errs, fmt.Errorf("edge %d is %s, which the provider cannot delete from", id, st))...)
		}
	}
}

// ImportState imports an edge by its ID; Read fills in the rest.
func (r *cdnResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	reconcile.ImportByID(ctx, reconcile.ImportFormat{What: "a Global Edge edge", Is: "its ID, such as 5707", Valid: isID}, req, resp)
}
