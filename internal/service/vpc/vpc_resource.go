package vpc

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/fwmodel"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

var (
	_ resource.Resource                = (*vpcResource)(nil)
	_ resource.ResourceWithConfigure   = (*vpcResource)(nil)
	_ resource.ResourceWithImportState = (*vpcResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*vpcResource)(nil)
)

// NewVpcResource returns the ncp_vpc resource.
func NewVpcResource() resource.Resource {
	return &vpcResource{}
}

// vpcResource manages one VPC.
type vpcResource struct {
	meta *conns.Meta
}

// Metadata returns the type name ncp_vpc.
func (r *vpcResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_vpc"
}

// Configure receives the provider's client.
func (r *vpcResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan lets a replacement VPC get a fresh generated name: name keeps
// its state value while the VPC stays (UseStateForUnknown), but when the
// VPC is replaced and name is not configured, the old generated name is
// dropped, so that the new VPC never collides with the old one (for example
// under create_before_destroy).
func (r *vpcResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var plan, state vpcResourceModel
	var name types.String
	resp.Diagnostics.Append(fwmodel.GetPlan(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(fwmodel.GetState(ctx, req.State, &state)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &name)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if name.IsNull() && replaced(plan.Ipv4CidrBlock, state.Ipv4CidrBlock) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("name"), types.StringUnknown())...)
	}
}

// replaced reports whether a replacement-forcing attribute changes (or is
// not known yet) between state and plan.
func replaced(pairs ...types.String) bool {
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i].IsUnknown() || !pairs[i].Equal(pairs[i+1]) {
			return true
		}
	}
	return false
}

// Create creates the VPC, waits for it to become RUN and reads the numbers
// of its default objects.
func (r *vpcResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if !framework.CheckConfigured(r.meta, &resp.Diagnostics) {
		return
	}
	var plan vpcResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, plan.Timeouts.Create, framework.DefaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	conn := vpcclient.New(r.meta.Client)
	in := vpcclient.CreateVpcInput{
		Name:          framework.StringOr(plan.Name, generateName(vpcNamePrefix)),
		Ipv4CidrBlock: plan.Ipv4CidrBlock.ValueString(),
	}
	v, err := createVpc(ctx, conn, in)
	if err != nil {
		addCreateError(&resp.Diagnostics, fmt.Sprintf("Error creating VPC %q", in.Name), err)
		return
	}
	ctx = tflog.SetField(ctx, "vpc_no", v.VpcNo)
	tflog.Debug(ctx, "created VPC", map[string]any{"name": v.VpcName})

	// Save the VPC before waiting: should the wait fail, Terraform keeps it
	// (tainted) instead of losing track of it.
	plan.setVpc(v)
	plan.nullUnknownDefaults()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}

	v, err = waitVpcCreated(ctx, conn, r.meta.Wait, v.VpcNo)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error waiting for VPC %s to be created", plan.VpcNo.ValueString()), err)
		return
	}
	plan.setVpc(v)
	d, err := findVpcDefaults(ctx, r.meta.Client, v.VpcNo)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading the default objects of VPC %s", v.VpcNo), err)
		return
	}
	plan.setDefaults(d)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// createVpc sends createVpc and reconciles ambiguous failures.
//
// Before the first attempt it looks the name up: a VPC of that name (not
// being deleted) already exists, made by hand or by another configuration,
// so it is reported with a hint to import it (errVpcExists) instead of
// being created, or worse adopted below.
//
// When the connection then failed after the request was sent
// (client.IsAmbiguous), or a later attempt reports the name as taken, the
// VPC is looked up by its name again. A VPC of that name with the same
// block can only be the one an earlier attempt of this call created (names
// are unique in an account, and the name was free before) and is adopted;
// one with another block, or being deleted, is a conflict; none means
// nothing was created, and the create is sent again, at most
// conn.Attempts() times in all (the provider's max_retries bounds it).
func createVpc(ctx context.Context, conn *vpcclient.Client, in vpcclient.CreateVpcInput) (*wire.Vpc, error) {
	existing, err := findVpcsByName(ctx, conn, in.Name)
	if err != nil {
		return nil, fmt.Errorf("checking whether a VPC named %q already exists: %w", in.Name, err)
	}
	if len(existing) > 0 {
		return nil, &existsError{what: "VPC", resourceType: "ncp_vpc", no: existing[0].VpcNo,
			desc: fmt.Sprintf("named %q (block %s)", in.Name, existing[0].Ipv4CidrBlock)}
	}

	var errs []error
	for attempt := 1; attempt <= conn.Attempts(); attempt++ {
		v, err := conn.CreateVpc(ctx, in)
		if err == nil {
			return v, nil
		}
		if !client.IsAmbiguous(err) && (attempt == 1 || !hasCode(err, wire.CodeDuplicateName)) {
			return nil, errors.Join(append(errs, err)...)
		}
		errs = append(errs, err)
		tflog.Warn(ctx, "createVpc may have been carried out; looking the VPC up by name", map[string]any{
			"name": in.Name, "attempt": attempt, "error": err.Error(),
		})
		found, ferr := listVpcsByName(ctx, conn, in.Name, true)
		if ferr != nil {
			return nil, errors.Join(append(errs, ferr)...)
		}
		if len(found) == 0 {
			continue
		}
		v = &found[0]
		if v.Ipv4CidrBlock != in.Ipv4CidrBlock || statusOf(v.VpcStatus) == wire.StatusTermting {
			return nil, fmt.Errorf("after an uncertain create, VPC name %q turned out to belong to VPC %s, which cannot be adopted: "+
				"it has block %s and status %s, the request was for block %s (the uncertain create: %v)",
				in.Name, v.VpcNo, v.Ipv4CidrBlock, statusOf(v.VpcStatus), in.Ipv4CidrBlock, errors.Join(errs...))
		}
		tflog.Info(ctx, "adopting the VPC an uncertain create made", map[string]any{"vpc_no": v.VpcNo, "name": in.Name})
		return v, nil
	}
	return nil, errors.Join(errs...)
}

// hasCode reports whether err is an NCP error with return code code.
func hasCode(err error, code string) bool {
	var e *client.Error
	return errors.As(err, &e) && e.Code == code
}

// Read refreshes the VPC with one getVpcDetail call. The default_* numbers
// never change for a VPC, so they are read only when they are not in state
// yet (after an import, or a create that failed half way).
func (r *vpcResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if !framework.CheckConfigured(r.meta, &resp.Diagnostics) {
		return
	}
	ctx, cancel := framework.WithReadTimeout(ctx)
	defer cancel()
	var state vpcResourceModel
	resp.Diagnostics.Append(fwmodel.GetState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	vpcNo := state.ID.ValueString()
	v, err := FindVpcByNo(ctx, vpcclient.New(r.meta.Client), vpcNo)
	if client.IsNotFound(err) || (err == nil && statusOf(v.VpcStatus) == wire.StatusTermting) {
		framework.AddNotFoundWarning(&resp.Diagnostics, "VPC", vpcNo)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading VPC %s", vpcNo), err)
		return
	}
	state.setVpc(v)
	// NCP may list the default objects only once the VPC is RUN; a VPC
	// still being created (a create that failed half way) gets them at a
	// later refresh.
	if !state.defaultsKnown() && statusOf(v.VpcStatus) == wire.StatusRun {
		d, err := findVpcDefaults(ctx, r.meta.Client, vpcNo)
		if err != nil {
			framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading the default objects of VPC %s", vpcNo), err)
			return
		}
		state.setDefaults(d)
	}
	resp.Diagnostics.Append(fwmodel.SetState(ctx, &resp.State, &state)...)
}

// Update only stores a changed timeouts block: NCP cannot change a VPC, so
// every other change replaces it.
func (r *vpcResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan vpcResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete deletes the VPC and waits until it is gone.
func (r *vpcResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if !framework.CheckConfigured(r.meta, &resp.Diagnostics) {
		return
	}
	var state vpcResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, state.Timeouts.Delete, framework.DefaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	vpcNo := state.ID.ValueString()
	conn := vpcclient.New(r.meta.Client)
	err := deleteObject(ctx, deleter{
		attempts: conn.Attempts(),
		del: func(ctx context.Context) error {
			_, err := conn.DeleteVpc(ctx, vpcNo)
			return err
		},
		status: func(ctx context.Context) (string, error) {
			_, st, err := statusVpc(conn, vpcNo)(ctx)
			return st, err
		},
		waitCreated: func(ctx context.Context) error {
			_, err := waitVpcCreated(ctx, conn, r.meta.Wait, vpcNo)
			return err
		},
	})
	if err == nil {
		err = waitVpcDeleted(ctx, conn, r.meta.Wait, vpcNo)
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error deleting VPC %s", vpcNo), err)
	}
}

// ImportState imports a VPC by its number: `terraform import ncp_vpc.x 12345`.
func (r *vpcResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByNumber(ctx, "VPC", "vpc_no", req, resp)
}
