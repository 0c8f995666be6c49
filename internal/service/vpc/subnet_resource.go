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
	_ resource.Resource                = (*subnetResource)(nil)
	_ resource.ResourceWithConfigure   = (*subnetResource)(nil)
	_ resource.ResourceWithImportState = (*subnetResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*subnetResource)(nil)
)

// NewSubnetResource returns the ncp_subnet resource.
func NewSubnetResource() resource.Resource {
	return &subnetResource{}
}

// subnetResource manages one subnet.
type subnetResource struct {
	meta *conns.Meta
}

// Metadata returns the type name ncp_subnet.
func (r *subnetResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_subnet"
}

// Configure receives the provider's client.
func (r *subnetResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses a zone the configured site and region do not have,
// and lets a replacement subnet get a fresh generated name (see
// vpcResource.ModifyPlan).
func (r *subnetResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var zone types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("zone"), &zone)...)
	if r.meta != nil && r.meta.Client != nil {
		checkZone(zone, r.meta.Client.Config().Site, r.meta.Region, &resp.Diagnostics)
	}
	if req.State.Raw.IsNull() || resp.Diagnostics.HasError() {
		return
	}
	var plan, state subnetResourceModel
	var name types.String
	resp.Diagnostics.Append(fwmodel.GetPlan(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(fwmodel.GetState(ctx, req.State, &state)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &name)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if name.IsNull() && replaced(
		plan.VpcNo, state.VpcNo,
		plan.Subnet, state.Subnet,
		plan.Zone, state.Zone,
		plan.NetworkAclNo, state.NetworkAclNo,
		plan.SubnetType, state.SubnetType,
		plan.UsageType, state.UsageType,
	) {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("name"), types.StringUnknown())...)
	}
}

// Create creates the subnet and waits for it to become RUN.
func (r *subnetResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if !framework.CheckConfigured(r.meta, &resp.Diagnostics) {
		return
	}
	var plan subnetResourceModel
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
	in := vpcclient.CreateSubnetInput{
		VpcNo:        plan.VpcNo.ValueString(),
		ZoneCode:     plan.Zone.ValueString(),
		Subnet:       plan.Subnet.ValueString(),
		NetworkAclNo: plan.NetworkAclNo.ValueString(),
		SubnetType:   plan.SubnetType.ValueString(),
		UsageType:    framework.StringOr(plan.UsageType, wire.UsageTypeGen),
		Name:         framework.StringOr(plan.Name, generateName(subnetNamePrefix)),
	}
	s, err := createSubnet(ctx, conn, in)
	if err != nil {
		addCreateError(&resp.Diagnostics, fmt.Sprintf("Error creating subnet %q (%s) in VPC %s", in.Name, in.Subnet, in.VpcNo), err)
		return
	}
	ctx = tflog.SetField(ctx, "subnet_no", s.SubnetNo)
	tflog.Debug(ctx, "created subnet", map[string]any{"name": s.SubnetName})

	// Save the subnet before waiting, so that a failed wait leaves it in
	// state (tainted) rather than unmanaged.
	plan.setSubnet(s)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}

	s, err = waitSubnetCreated(ctx, conn, r.meta.Wait, s.SubnetNo)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error waiting for subnet %s to be created", plan.SubnetNo.ValueString()), err)
		return
	}
	plan.setSubnet(s)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// createSubnet sends createSubnet and reconciles ambiguous failures like
// createVpc, looking the subnet up by its block, which is unique within a
// VPC.
//
// Before the first attempt, a subnet already using the block in that VPC
// (not being deleted) is reported with a hint to import it (errSubnetExists)
// instead of being created or adopted. After an uncertain attempt, a subnet
// with that block and the requested name, zone and type can then only be the
// one this call created, and is adopted; another one is a conflict; none
// means nothing was created and the create is sent again. A later attempt
// that reports the name as taken or the block as overlapping is reconciled
// the same way.
func createSubnet(ctx context.Context, conn *vpcclient.Client, in vpcclient.CreateSubnetInput) (*wire.Subnet, error) {
	existing, err := findSubnets(ctx, conn, vpcclient.SubnetFilter{VpcNo: in.VpcNo, Subnet: in.Subnet})
	if err != nil {
		return nil, fmt.Errorf("checking whether VPC %s already has a subnet %s: %w", in.VpcNo, in.Subnet, err)
	}
	if len(existing) > 0 {
		return nil, &existsError{what: "subnet", resourceType: "ncp_subnet", no: existing[0].SubnetNo,
			desc: fmt.Sprintf("with block %s in VPC %s (name %q)", in.Subnet, in.VpcNo, existing[0].SubnetName)}
	}

	var errs []error
	for attempt := 1; attempt <= conn.Attempts(); attempt++ {
		s, err := conn.CreateSubnet(ctx, in)
		if err == nil {
			return s, nil
		}
		retryConflict := attempt > 1 && (hasCode(err, wire.CodeDuplicateName) || hasCode(err, wire.CodeCidrConflict))
		if !client.IsAmbiguous(err) && !retryConflict {
			return nil, errors.Join(append(errs, err)...)
		}
		errs = append(errs, err)
		tflog.Warn(ctx, "createSubnet may have been carried out; looking the subnet up by its block", map[string]any{
			"vpc_no": in.VpcNo, "subnet": in.Subnet, "attempt": attempt, "error": err.Error(),
		})
		found, ferr := listSubnets(ctx, conn, vpcclient.SubnetFilter{VpcNo: in.VpcNo, Subnet: in.Subnet}, true)
		if ferr != nil {
			return nil, errors.Join(append(errs, ferr)...)
		}
		if len(found) == 0 {
			continue
		}
		s = &found[0]
		if s.SubnetName != in.Name || s.ZoneCode != in.ZoneCode || code(s.SubnetType) != in.SubnetType ||
			statusOf(s.SubnetStatus) == wire.StatusTermting {
			return nil, fmt.Errorf("after an uncertain create, block %s of VPC %s turned out to be used by subnet %s "+
				"(name %q, zone %s, type %s, status %s), which does not match the request (the uncertain create: %v)",
				in.Subnet, in.VpcNo, s.SubnetNo, s.SubnetName, s.ZoneCode, code(s.SubnetType), statusOf(s.SubnetStatus), errors.Join(errs...))
		}
		tflog.Info(ctx, "adopting the subnet an uncertain create made", map[string]any{"subnet_no": s.SubnetNo, "name": in.Name})
		return s, nil
	}
	return nil, errors.Join(errs...)
}

// Read refreshes the subnet with one getSubnetDetail call.
func (r *subnetResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if !framework.CheckConfigured(r.meta, &resp.Diagnostics) {
		return
	}
	ctx, cancel := framework.WithReadTimeout(ctx)
	defer cancel()
	var state subnetResourceModel
	resp.Diagnostics.Append(fwmodel.GetState(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	subnetNo := state.ID.ValueString()
	s, err := FindSubnetByNo(ctx, vpcclient.New(r.meta.Client), subnetNo)
	if client.IsNotFound(err) || (err == nil && statusOf(s.SubnetStatus) == wire.StatusTermting) {
		framework.AddNotFoundWarning(&resp.Diagnostics, "Subnet", subnetNo)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading subnet %s", subnetNo), err)
		return
	}
	state.setSubnet(s)
	resp.Diagnostics.Append(fwmodel.SetState(ctx, &resp.State, &state)...)
}

// Update only stores a changed timeouts block: NCP cannot change a subnet,
// so every other change replaces it.
func (r *subnetResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan subnetResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete deletes the subnet and waits until it is gone.
func (r *subnetResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	if !framework.CheckConfigured(r.meta, &resp.Diagnostics) {
		return
	}
	var state subnetResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, state.Timeouts.Delete, framework.DefaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	subnetNo := state.ID.ValueString()
	conn := vpcclient.New(r.meta.Client)
	err := deleteObject(ctx, deleter{
		attempts: conn.Attempts(),
		del: func(ctx context.Context) error {
			_, err := conn.DeleteSubnet(ctx, subnetNo)
			return err
		},
		status: func(ctx context.Context) (string, error) {
			_, st, err := statusSubnet(conn, subnetNo)(ctx)
			return st, err
		},
		waitCreated: func(ctx context.Context) error {
			_, err := waitSubnetCreated(ctx, conn, r.meta.Wait, subnetNo)
			return err
		},
	})
	if err == nil {
		err = waitSubnetDeleted(ctx, conn, r.meta.Wait, subnetNo)
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error deleting subnet %s", subnetNo), err)
	}
}

// ImportState imports a subnet by its number: `terraform import ncp_subnet.x 23456`.
func (r *subnetResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByNumber(ctx, "subnet", "subnet_no", req, resp)
}
