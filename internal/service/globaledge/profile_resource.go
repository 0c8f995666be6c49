package globaledge

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/fwmodel"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

var (
	_ resource.Resource                = (*profileResource)(nil)
	_ resource.ResourceWithConfigure   = (*profileResource)(nil)
	_ resource.ResourceWithImportState = (*profileResource)(nil)
)

// NewProfileResource returns the ncp_global_edge_profile resource.
func NewProfileResource() resource.Resource { return &profileResource{} }

type profileResource struct {
	meta *conns.Meta
}

// profileAttrs are the attributes ncp_global_edge_profile and its data
// source share.
type profileAttrs struct {
	ID         types.String `tfsdk:"id"`
	Name       types.String `tfsdk:"name"`
	CustomerID types.String `tfsdk:"customer_id"`
}

// profileModel is ncp_global_edge_profile.
type profileModel struct {
	profileAttrs
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (m *profileAttrs) set(p *wire.Profile) {
	m.ID = types.StringValue(formatID(p.ID))
	m.Name = types.StringValue(p.ProfileName)
	m.CustomerID = types.StringValue(formatID(p.CustomerID))
}

func (r *profileResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_global_edge_profile"
}

func (r *profileResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

var profileKind = reconcile.Kind{Name: "Global Edge profile", ResourceType: "ncp_global_edge_profile", Key: "name"}

// createProfile sends the create and reconciles an uncertain outcome by the
// name, unique in an account (0101 on a duplicate).
func createProfile(ctx context.Context, conn *geclient.Client, name string) (*wire.Profile, error) {
	return reconcile.CreateReconciled(ctx, reconcile.Create[*wire.Profile]{
		Kind:     profileKind,
		Attempts: conn.Attempts(),
		Journal:  conn.Journal(),
		Key:      name,
		Send: func(ctx context.Context) (*wire.Profile, error) {
			id, err := conn.CreateProfile(ctx, name)
			if err != nil {
				return nil, err
			}
			return &wire.Profile{ID: id, ProfileName: name}, nil
		},
		Lookup:   func(ctx context.Context) ([]*wire.Profile, error) { return findProfilesByName(ctx, conn, name) },
		ID:       func(p *wire.Profile) string { return formatID(p.ID) },
		Describe: func(p *wire.Profile) string { return fmt.Sprintf("named %q", p.ProfileName) },
		Taken:    func(err error) bool { return reconcile.HasCode(err, wire.CodeDuplicateProfile) },
	})
}

func (r *profileResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan profileModel
	ctx, cancel, ok := framework.BeginCreate(ctx, r.meta, req.Plan, &plan, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	conn := geclient.New(r.meta.Client)
	name := plan.Name.ValueString()
	p, err := createProfile(ctx, conn, name)
	if err != nil {
		reconcile.AddCreateError(&resp.Diagnostics, fmt.Sprintf("Error creating Global Edge profile %q", name), err)
		return
	}
	plan.ID = types.StringValue(formatID(p.ID))
	plan.CustomerID = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	// The create answer carries only the ID; the list has the rest.
	full, err := FindProfileByID(ctx, conn, p.ID)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading Global Edge profile %d", p.ID), err)
		return
	}
	plan.set(full)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Read refreshes the profile with one list call (there is no single GET).
func (r *profileResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state profileModel
	ctx, cancel, ok := framework.BeginRead(ctx, r.meta, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id, err := parseID(state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Invalid Global Edge profile ID in state", err.Error())
		return
	}
	p, err := FindProfileByID(ctx, geclient.New(r.meta.Client), id)
	if client.IsNotFound(err) {
		framework.AddNotFoundWarning(&resp.Diagnostics, "Global Edge profile", state.ID.ValueString())
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading Global Edge profile %d", id), err)
		return
	}
	state.set(p)
	resp.Diagnostics.Append(fwmodel.SetState(ctx, &resp.State, &state)...)
}

// Update renames the profile in place.
func (r *profileResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state profileModel
	if !framework.ConfiguredPlanAndState(ctx, r.meta, req.Plan, req.State, &plan, &state, &resp.Diagnostics) {
		return
	}
	id, err := parseID(state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Invalid Global Edge profile ID in state", err.Error())
		return
	}
	conn := geclient.New(r.meta.Client)
	if !plan.Name.Equal(state.Name) {
		if err := conn.RenameProfile(ctx, id, plan.Name.ValueString()); err != nil {
			framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error renaming Global Edge profile %d to %q", id, plan.Name.ValueString()), err)
			return
		}
	}
	p, err := FindProfileByID(ctx, conn, id)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading Global Edge profile %d", id), err)
		return
	}
	plan.set(p)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete deletes the profile. NCP refuses while the profile has edges
// (0032 in ncplocal [?]); when every edge left is being deleted (a destroy
// whose edges went first), it waits until they are gone and deletes again.
func (r *profileResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state profileModel
	if !framework.ConfiguredState(ctx, r.meta, req.State, &state, &resp.Diagnostics) {
		return
	}
	id, err := parseID(state.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Invalid Global Edge profile ID in state", err.Error())
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, state.Timeouts.Delete, framework.DefaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	if err := deleteProfile(ctx, geclient.New(r.meta.Client), r.meta.Wait, id); err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error deleting Global Edge profile %d", id), err)
	}
}

// edgesInUse is the status deleteProfile's wait ends on when an edge of the
// profile is not being deleted.
const edgesInUse = "an edge in use"

func deleteProfile(ctx context.Context, conn *geclient.Client, cfg wait.Config, id int64) error {
	for attempt := 0; ; attempt++ {
		err := conn.DeleteProfile(ctx, id)
		switch {
		case err == nil || client.IsNotFound(err):
			return nil
		case client.IsAmbiguous(err) && attempt < conn.Attempts():
			if _, ferr := FindProfileByID(ctx, conn, id); client.IsNotFound(ferr) {
				return nil
			}
			continue
		case attempt >= conn.Attempts():
			return err
		}
		// Refused: wait when every edge left is being deleted.
		st, werr := wait.Until(ctx, edgeWait(cfg), fmt.Sprintf("the edges of Global Edge profile %d to be deleted", id),
			func(ctx context.Context) (string, string, error) {
				edges, lerr := conn.ListEdges(ctx, id)
				if client.IsNotFound(lerr) {
					return wait.Gone, wait.Gone, nil
				}
				if lerr != nil {
					return "", "", lerr
				}
				st := wait.Gone
				for _, e := range edges {
					if e.StatusType != wire.StatusDeleting && e.StatusType != wire.StatusDeleted {
						return edgesInUse, edgesInUse, nil
					}
					st = wire.StatusDeleting
				}
				return st, st, nil
			}, []string{wire.StatusDeleting}, []string{wait.Gone, edgesInUse})
		if werr != nil {
			return errors.Join(err, werr)
		}
		if st == edgesInUse {
			return err
		}
	}
}

// ImportState imports a profile by its ID.
func (r *profileResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	reconcile.ImportByID(ctx, reconcile.ImportFormat{What: "a Global Edge profile", Is: "its ID, such as 1836", Valid: isID}, req, resp)
}
