package cloudfunctions

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/fwmodel"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

var (
	_ resource.Resource                = (*sequenceResource)(nil)
	_ resource.ResourceWithConfigure   = (*sequenceResource)(nil)
	_ resource.ResourceWithImportState = (*sequenceResource)(nil)
)

// NewSequenceResource returns the ncp_cloud_functions_sequence resource.
func NewSequenceResource() resource.Resource { return &sequenceResource{} }

// sequenceResource is ncp_cloud_functions_sequence: an action of type
// sequence, which runs other actions in order.
type sequenceResource struct {
	meta *conns.Meta
}

// sequenceResourceModel is ncp_cloud_functions_sequence.
type sequenceResourceModel struct {
	ID          types.String   `tfsdk:"id"`
	Package     types.String   `tfsdk:"package"`
	Name        types.String   `tfsdk:"name"`
	Description types.String   `tfsdk:"description"`
	Actions     types.List     `tfsdk:"actions"`
	Parameters  types.Map      `tfsdk:"parameters"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

// attrActions names the actions of a sequence and the links of a trigger.
const attrActions = "actions"

func (r *sequenceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cloud_functions_sequence"
}

func (r *sequenceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

// Schema describes ncp_cloud_functions_sequence.
func (r *sequenceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a Cloud Functions sequence: an action of type `sequence` that runs other actions in " +
			"order, each one receiving the previous one's result as its input. Changing the actions, their order included, " +
			"updates the sequence in place.",
		Attributes: map[string]schema.Attribute{
			attrID:      idAttribute("`<package>/<name>` (the package is `-` for a sequence in no package)."),
			attrPackage: packageAttribute("sequence"),
			attrName: schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Name of the sequence: " + wire.NameRule + ". Names are unique across the packages, " +
					"actions and triggers of the account. Changing it replaces the sequence.",
				Validators:    []validator.String{nameValidator{}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			attrDescription: descriptionAttribute("sequence"),
			attrActions: schema.ListAttribute{
				ElementType: types.StringType,
				Required:    true,
				MarkdownDescription: "The actions the sequence runs, in order, each as `<package>/<action>` (`-/<action>` for " +
					"an action in no package), e.g. `ncp_cloud_functions_action.resize.id`. They must exist. Reordering " +
					"updates the sequence in place.",
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.ValueStringsAre(actionRefValidator{}),
				},
			},
			attrParameters: parametersAttribute("sequence"),
		},
		Blocks: map[string]schema.Block{
			attrTimeouts: framework.TimeoutsBlockWithUpdate(ctx, "the sequence to be created", "the sequence to be updated",
				"the sequence to be deleted"),
		},
	}
}

// sequenceKind names sequences in messages and import hints.
var sequenceKind = reconcile.Kind{Name: "Cloud Functions sequence", ResourceType: "ncp_cloud_functions_sequence", Key: "name", QuoteID: true}

// request builds the PUT body of the sequence.
func (m *sequenceResourceModel) request(ctx context.Context, diags *diag.Diagnostics) wire.ActionRequest {
	var components []string
	diags.Append(m.Actions.ElementsAs(ctx, &components, false)...)
	in := wire.ActionRequest{
		Description: m.Description.ValueString(),
		Exec:        &wire.Exec{Kind: wire.KindSequence, Components: components},
	}
	if p := stringMap(ctx, m.Parameters, diags); len(p) > 0 {
		in.Parameters = wire.StringParameters(p)
	}
	return in
}

// setSequence copies what NCP answers.
func (m *sequenceResourceModel) setSequence(pkg string, a *wire.Action) {
	m.ID = types.StringValue(actionID(pkg, a.Name))
	m.Package = types.StringValue(pkg)
	m.Name = types.StringValue(a.Name)
	m.Description = framework.StringValueOrNull(a.Description)
	m.Actions = framework.StringList(a.Exec.Components)
	m.Parameters = mapValue(a.Parameters.Strings(), m.Parameters)
}

func (r *sequenceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan sequenceResourceModel
	ctx, cancel, ok := framework.BeginCreate(ctx, r.meta, req.Plan, &plan, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	conn := newConn(r.meta)
	pkg, name := plan.Package.ValueString(), plan.Name.ValueString()
	in := plan.request(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	_, err := reconcile.CreateReconciled(ctx, reconcile.Create[*wire.Action]{
		Kind:     sequenceKind,
		Attempts: conn.Attempts(),
		Journal:  conn.Journal(),
		Key:      pkg + "/" + name,
		Send: func(ctx context.Context) (*wire.Action, error) {
			return conn.PutAction(ctx, pkg, name, wire.ActionTypeSequence, &in)
		},
		Lookup: func(ctx context.Context) ([]*wire.Action, error) { return lookupAction(ctx, conn, pkg, name) },
		ID:     func(a *wire.Action) string { return actionID(pkg, a.Name) },
	})
	if err != nil {
		reconcile.AddCreateError(&resp.Diagnostics, fmt.Sprintf("Error creating Cloud Functions sequence %q", actionID(pkg, name)), err)
		return
	}
	plan.ID = types.StringValue(actionID(pkg, name))
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *sequenceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state sequenceResourceModel
	ctx, cancel, ok := framework.BeginRead(ctx, r.meta, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.ID.ValueString()
	pkg, name := splitRef(id)
	a, err := newConn(r.meta).GetAction(ctx, pkg, name)
	if client.IsNotFound(err) {
		framework.AddNotFoundWarning(&resp.Diagnostics, sequenceKind.Name, id)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading Cloud Functions sequence %q", id), err)
		return
	}
	if a.Exec.Kind != wire.KindSequence {
		resp.Diagnostics.AddError(fmt.Sprintf("Cloud Functions action %q is not a sequence", id),
			fmt.Sprintf("It runs %q code; it is managed by ncp_cloud_functions_action, not ncp_cloud_functions_sequence.", a.Exec.Kind))
		return
	}
	state.setSequence(pkg, a)
	resp.Diagnostics.Append(fwmodel.SetState(ctx, &resp.State, &state)...)
}

func (r *sequenceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state sequenceResourceModel
	ctx, cancel, ok := framework.BeginUpdate(ctx, r.meta, req.Plan, req.State, &plan, &state, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.ID.ValueString()
	pkg, name := splitRef(id)
	in := plan.request(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if _, err := newConn(r.meta).PutAction(ctx, pkg, name, wire.ActionTypeSequence, &in); err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error updating Cloud Functions sequence %q", id), err)
		return
	}
	plan.ID = state.ID
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *sequenceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state sequenceResourceModel
	ctx, cancel, ok := framework.BeginDelete(ctx, r.meta, req.State, &state, &state.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.ID.ValueString()
	pkg, name := splitRef(id)
	conn := newConn(r.meta)
	err := deleteByName(ctx, conn.Attempts(), func(ctx context.Context) error { return conn.DeleteAction(ctx, pkg, name) },
		func(ctx context.Context) error { _, err := conn.GetAction(ctx, pkg, name); return err })
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error deleting Cloud Functions sequence %q", id), err)
	}
}

// ImportState imports a sequence by "<package>/<name>".
func (r *sequenceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	f := actionImport
	f.What = "a Cloud Functions sequence"
	reconcile.ImportByID(ctx, f, req, resp)
	if resp.Diagnostics.HasError() {
		return
	}
	pkg, name := splitRef(req.ID)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrPackage), pkg)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrName), name)...)
}
