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
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/fwmodel"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

var (
	_ resource.Resource                = (*subnetResource)(nil)
	_ resource.ResourceWithConfigure   = (*subnetResource)(nil)
	_ resource.ResourceWithImportState = (*subnetResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*subnetResource)(nil)
	_ reconcile.Renamer                = (*subnetResource)(nil)
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

// subnetReplaceAttrs are the attributes besides name whose change replaces
// the subnet: those with RequiresReplace in Schema (TestRenamers checks it).
var subnetReplaceAttrs = []string{"vpc_no", "subnet", "zone", "subnet_type", "usage_type"}

// GeneratedName names the attribute the provider generates and the
// attributes whose change replaces the subnet (reconcile.Renamer).
func (r *subnetResource) GeneratedName() (string, []string) { return "name", subnetReplaceAttrs }

// ModifyPlan refuses a zone the configured site and region do not have,
// and lets a replacement subnet get a fresh generated name (see
// vpcResource.ModifyPlan).
func (r *subnetResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !req.Plan.Raw.IsNull() && r.meta != nil && r.meta.Client != nil {
		var zone types.String
		resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("zone"), &zone)...)
		checkZone(zone, r.meta.Client.Config().Site, r.meta.Region, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	reconcile.RenameOnReplace(ctx, req, resp, "name", subnetReplaceAttrs)
}

// Create creates the subnet and waits for it to become RUN.
func (r *subnetResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan subnetResourceModel
	ctx, cancel, ok := framework.BeginCreate(ctx, r.meta, req.Plan, &plan, &plan.Timeouts, &resp.Diagnostics)
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
		Name:         framework.StringOr(plan.Name, reconcile.GenerateName(subnetNamePrefix)),
	}
	s, err := createSubnet(ctx, conn, r.meta.Wait, in)
	if err != nil {
		reconcile.AddCreateError(&resp.Diagnostics, fmt.Sprintf("Error creating subnet %q (%s) in VPC %s", in.Name, in.Subnet, in.VpcNo), err)
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

// subnetKind names subnets in messages and import hints.
var subnetKind = reconcile.Kind{Name: "subnet", ResourceType: "ncp_subnet", Key: "subnet block"}

// createSubnet sends createSubnet and reconciles uncertain outcomes like
// createVpc, looking the subnet up by its block, which is unique within a
// VPC: a subnet already on the block (not being deleted) is reported with a
// hint to import it; one found after an uncertain attempt is adopted when it
// has the requested name, zone and type. A later attempt that reports the
// name as taken or the block as overlapping is reconciled the same way.
// NCP's "please try again" while another subnet of the VPC is changing state
// is sent again until ctx (the create timeout) ends, on cfg's schedule.
func createSubnet(ctx context.Context, conn *vpcclient.Client, cfg wait.Config, in vpcclient.CreateSubnetInput) (*wire.Subnet, error) {
	byBlock := vpcclient.SubnetFilter{VpcNo: in.VpcNo, Subnet: in.Subnet}
	return reconcile.CreateReconciled(ctx, reconcile.Create[*wire.Subnet]{
		Kind:     subnetKind,
		Attempts: conn.Attempts(),
		Journal:  conn.Journal(),
		Key:      in.VpcNo + " " + in.Subnet,
		Send:     func(ctx context.Context) (*wire.Subnet, error) { return conn.CreateSubnet(ctx, in) },
		Lookup: func(ctx context.Context) ([]*wire.Subnet, error) {
			return pointers(listSubnets(ctx, conn, byBlock, true))
		},
		ID: func(s *wire.Subnet) string { return s.SubnetNo },
		Describe: func(s *wire.Subnet) string {
			return fmt.Sprintf("with block %s in VPC %s (name %q)", s.Subnet, s.VpcNo, s.SubnetName)
		},
		Terminating: func(s *wire.Subnet) bool { return statusOf(s.SubnetStatus) == wire.StatusTermting },
		Mismatch: func(s *wire.Subnet) string {
			if s.SubnetName != in.Name || s.ZoneCode != in.ZoneCode || code(s.SubnetType) != in.SubnetType {
				return fmt.Sprintf("it has name %q, zone %s and type %s, the request was for name %q, zone %s and type %s",
					s.SubnetName, s.ZoneCode, code(s.SubnetType), in.Name, in.ZoneCode, in.SubnetType)
			}
			return ""
		},
		Taken: func(err error) bool {
			return reconcile.HasCode(err, wire.CodeDuplicateName) || reconcile.HasCode(err, wire.CodeCidrConflict)
		},
		Busy: busy(cfg),
	})
}

// Read refreshes the subnet with one getSubnetDetail call.
func (r *subnetResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state subnetResourceModel
	ctx, cancel, ok := framework.BeginRead(ctx, r.meta, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
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

// Update changes the subnet's network ACL in place (setSubnetNetworkAcl)
// and waits until NCP has applied it; every other argument forces a new
// subnet, and a changed timeouts block lives in the state only.
func (r *subnetResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state subnetResourceModel
	if !framework.ConfiguredPlanAndState(ctx, r.meta, req.Plan, req.State, &plan, &state, &resp.Diagnostics) {
		return
	}
	if plan.NetworkAclNo.Equal(state.NetworkAclNo) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	ctx, cancel, ok := framework.WithTimeout(ctx, plan.Timeouts.Update, framework.DefaultUpdateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	subnetNo, aclNo := state.ID.ValueString(), plan.NetworkAclNo.ValueString()
	conn := vpcclient.New(r.meta.Client)
	s, err := setSubnetNetworkAcl(ctx, conn, r.meta.Wait, subnetNo, aclNo)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error changing the network ACL of subnet %s to %s", subnetNo, aclNo), err)
		// Keep what NCP says now (the change may or may not have been
		// made), or else the state as it was.
		if s, ferr := FindSubnetByNo(ctx, conn, subnetNo); ferr == nil {
			state.setSubnet(s)
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		return
	}
	plan.setSubnet(s)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// setSubnetNetworkAcl gives subnet subnetNo network ACL aclNo and waits
// until NCP has applied the change (the ACL leaves SET for RUN), then
// returns the subnet as NCP reports it. After an uncertain answer
// (client.IsAmbiguous) it reads the subnet: when it already has aclNo the
// change was made; otherwise it is sent again, at most conn.Attempts()
// times in all.
func setSubnetNetworkAcl(ctx context.Context, conn *vpcclient.Client, cfg wait.Config, subnetNo, aclNo string) (*wire.Subnet, error) {
	var errs []error
	for attempt := 1; ; attempt++ {
		_, err := conn.SetSubnetNetworkAcl(ctx, subnetNo, aclNo)
		if err == nil {
			break
		}
		errs = append(errs, err)
		if !client.IsAmbiguous(err) || attempt >= conn.Attempts() {
			return nil, errors.Join(errs...)
		}
		s, ferr := FindSubnetByNo(ctx, conn, subnetNo)
		if ferr != nil {
			return nil, errors.Join(append(errs, ferr)...)
		}
		if s.NetworkAclNo == aclNo {
			tflog.Debug(ctx, "the uncertain network ACL change was made", map[string]any{"subnet_no": subnetNo, "network_acl_no": aclNo})
			break
		}
	}
	if err := waitNetworkAclApplied(ctx, conn, cfg, aclNo); err != nil {
		return nil, err
	}
	s, err := FindSubnetByNo(ctx, conn, subnetNo)
	if err != nil {
		return nil, err
	}
	if s.NetworkAclNo != aclNo {
		return s, fmt.Errorf("NCP applied the change, but subnet %s reports network ACL %s instead of %s", subnetNo, s.NetworkAclNo, aclNo)
	}
	return s, nil
}

// Delete deletes the subnet and waits until it is gone.
func (r *subnetResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state subnetResourceModel
	ctx, cancel, ok := framework.BeginDelete(ctx, r.meta, req.State, &state, &state.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	subnetNo := state.ID.ValueString()
	if err := deleteSubnetAndWait(ctx, vpcclient.New(r.meta.Client), r.meta.Wait, subnetNo); err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error deleting subnet %s", subnetNo), err)
	}
}

// deleteSubnetAndWait deletes subnet subnetNo (deleteSubnet, reconciled by
// deleteObject) and waits until it is gone.
func deleteSubnetAndWait(ctx context.Context, conn *vpcclient.Client, cfg wait.Config, subnetNo string) error {
	err := reconcile.DeleteReconciled(ctx, deleteObject(conn, cfg, statusSubnet(conn, subnetNo), waitSubnetCreated, subnetNo,
		func(ctx context.Context) error {
			_, err := conn.DeleteSubnet(ctx, subnetNo)
			return err
		}))
	if err != nil {
		return err
	}
	return waitSubnetDeleted(ctx, conn, cfg, subnetNo)
}

// ImportState imports a subnet by its number: `terraform import ncp_subnet.x 23456`.
func (r *subnetResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	reconcile.ImportByID(ctx, numberImport("a subnet", "subnet_no"), req, resp, "subnet_no")
}
