package vpc

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"
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
	_ resource.Resource                = (*vpcResource)(nil)
	_ resource.ResourceWithConfigure   = (*vpcResource)(nil)
	_ resource.ResourceWithImportState = (*vpcResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*vpcResource)(nil)
	_ reconcile.Renamer                = (*vpcResource)(nil)
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

// vpcReplaceAttrs are the attributes besides name whose change replaces
// the VPC: those with RequiresReplace in Schema (TestRenamers checks it).
var vpcReplaceAttrs = []string{"ipv4_cidr_block"}

// GeneratedName names the attribute the provider generates and the
// attributes whose change replaces the VPC (reconcile.Renamer).
func (r *vpcResource) GeneratedName() (string, []string) { return "name", vpcReplaceAttrs }

// ModifyPlan lets a replacement VPC get a fresh generated name: name keeps
// its state value while the VPC stays (UseStateForUnknown), but when the
// VPC is replaced and name is not configured, the old generated name is
// dropped, so that the new VPC never collides with the old one (for example
// under create_before_destroy).
func (r *vpcResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	reconcile.RenameOnReplace(ctx, req, resp, "name", vpcReplaceAttrs)
}

// Create creates the VPC, waits for it to become RUN and reads the numbers
// of its default objects.
func (r *vpcResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan vpcResourceModel
	ctx, cancel, ok := framework.BeginCreate(ctx, r.meta, req.Plan, &plan, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	conn := vpcclient.New(r.meta.Client)
	in := vpcclient.CreateVpcInput{
		Name:          framework.StringOr(plan.Name, reconcile.GenerateName(vpcNamePrefix)),
		Ipv4CidrBlock: plan.Ipv4CidrBlock.ValueString(),
	}
	v, err := createVpc(ctx, conn, in)
	if err != nil {
		reconcile.AddCreateError(&resp.Diagnostics, fmt.Sprintf("Error creating VPC %q", in.Name), err)
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

// vpcKind names VPCs in messages and import hints.
var vpcKind = reconcile.Kind{Name: "VPC", ResourceType: "ncp_vpc", Key: "name"}

// createVpc sends createVpc and reconciles uncertain outcomes
// (reconcile.CreateReconciled) by the VPC's name, which is unique in an
// account: a VPC of that name (not being deleted) that exists before the
// first attempt was made outside this resource and is reported with a hint
// to import it; one found after an uncertain attempt is adopted when it has
// the requested block. A later attempt that NCP answers with "duplicate
// name" may be the echo of an earlier uncertain one and is reconciled too.
// The attempts are bounded by conn.Attempts() (the provider's max_retries).
func createVpc(ctx context.Context, conn *vpcclient.Client, in vpcclient.CreateVpcInput) (*wire.Vpc, error) {
	return reconcile.CreateReconciled(ctx, reconcile.Create[*wire.Vpc]{
		Kind:     vpcKind,
		Attempts: conn.Attempts(),
		Journal:  conn.Journal(),
		Key:      in.Name,
		Send:     func(ctx context.Context) (*wire.Vpc, error) { return conn.CreateVpc(ctx, in) },
		Lookup: func(ctx context.Context) ([]*wire.Vpc, error) {
			return pointers(listVpcsByName(ctx, conn, in.Name, true))
		},
		ID: func(v *wire.Vpc) string { return v.VpcNo },
		Describe: func(v *wire.Vpc) string {
			return fmt.Sprintf("named %q (block %s)", v.VpcName, v.Ipv4CidrBlock)
		},
		Terminating: func(v *wire.Vpc) bool { return statusOf(v.VpcStatus) == wire.StatusTermting },
		Mismatch: func(v *wire.Vpc) string {
			if v.Ipv4CidrBlock != in.Ipv4CidrBlock {
				return fmt.Sprintf("it has block %s, the request was for block %s", v.Ipv4CidrBlock, in.Ipv4CidrBlock)
			}
			return ""
		},
		Taken: func(err error) bool { return reconcile.HasCode(err, wire.CodeDuplicateName) },
	})
}

// Read refreshes the VPC with one getVpcDetail call. The default_* numbers
// never change for a VPC, so they are read only when they are not in state
// yet (after an import, or a create that failed half way).
func (r *vpcResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state vpcResourceModel
	ctx, cancel, ok := framework.BeginRead(ctx, r.meta, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
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
	var state vpcResourceModel
	ctx, cancel, ok := framework.BeginDelete(ctx, r.meta, req.State, &state, &state.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	vpcNo := state.ID.ValueString()
	if err := deleteVpcAndWait(ctx, vpcclient.New(r.meta.Client), r.meta.Wait, vpcNo); err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error deleting VPC %s", vpcNo), err)
	}
}

// deleteVpcAndWait deletes VPC vpcNo (deleteVpc) and waits until it is
// gone.
func deleteVpcAndWait(ctx context.Context, conn *vpcclient.Client, cfg wait.Config, vpcNo string) error {
	if err := deleteVpc(ctx, conn, cfg, vpcNo); err != nil {
		return err
	}
	return waitVpcDeleted(ctx, conn, cfg, vpcNo)
}

// deleteVpc sends deleteVpc and reconciles failures that may not be final
// (reconcile.DeleteReconciled, with the statuses of deleteObject). NCP
// refuses to delete a VPC that still has subnets, also while they are being
// deleted (TERMTING); when every subnet left is being deleted (a destroy
// that was interrupted after its deleteSubnet calls, whose re-run no longer
// sees them in state), the refusal waits until they are gone and the delete
// is sent again, so the re-run converges.
func deleteVpc(ctx context.Context, conn *vpcclient.Client, cfg wait.Config, vpcNo string) error {
	d := deleteObject(conn, cfg, statusVpc(conn, vpcNo), waitVpcCreated, vpcNo, func(ctx context.Context) error {
		_, err := conn.DeleteVpc(ctx, vpcNo)
		return err
	})
	d.Blocked = func(ctx context.Context, err error) (bool, error) {
		if !reconcile.HasCode(err, wire.CodeInUse) {
			return false, nil
		}
		return waitSubnetsOfVpcDeleted(ctx, conn, cfg, vpcNo)
	}
	return reconcile.DeleteReconciled(ctx, d)
}

// ImportState imports a VPC by its number: `terraform import ncp_vpc.x 12345`.
func (r *vpcResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	reconcile.ImportByID(ctx, numberImport("a VPC", "vpc_no"), req, resp, "vpc_no")
}
