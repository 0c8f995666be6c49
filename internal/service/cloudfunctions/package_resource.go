package cloudfunctions

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
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
	_ resource.Resource                     = (*packageResource)(nil)
	_ resource.ResourceWithConfigure        = (*packageResource)(nil)
	_ resource.ResourceWithImportState      = (*packageResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*packageResource)(nil)
	_ resource.ResourceWithConfigValidators = (*packageResource)(nil)
)

// NewPackageResource returns the ncp_cloud_functions_package resource.
func NewPackageResource() resource.Resource { return &packageResource{} }

// packageResource is ncp_cloud_functions_package.
type packageResource struct {
	meta *conns.Meta
}

// packageResourceModel is ncp_cloud_functions_package.
type packageResourceModel struct {
	ID                      types.String   `tfsdk:"id"`
	Name                    types.String   `tfsdk:"name"`
	Description             types.String   `tfsdk:"description"`
	Parameters              types.Map      `tfsdk:"parameters"`
	SensitiveParameters     types.Map      `tfsdk:"sensitive_parameters"`
	SensitiveParametersHash types.String   `tfsdk:"sensitive_parameters_hash"`
	ResourceID              types.String   `tfsdk:"resource_id"`
	Timeouts                timeouts.Value `tfsdk:"timeouts"`
}

func (r *packageResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cloud_functions_package"
}

func (r *packageResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

// Schema describes ncp_cloud_functions_package.
func (r *packageResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a Cloud Functions package: a named group of actions that share default parameters " +
			"(API v2.1, platform `vpc`). Secrets such as API keys belong in `sensitive_parameters`: they reach every action " +
			"of the package but never appear in plans or logs.\n\n" +
			"NCP refuses to delete a package that still holds actions; the actions of this configuration refer to the " +
			"package and so are destroyed first.",
		Attributes: map[string]schema.Attribute{
			attrID: idAttribute("The package name (same as `name`)."),
			attrName: schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Name of the package: " + wire.NameRule + ". Names are unique across the packages, " +
					"actions and triggers of the account. Changing it replaces the package.",
				Validators:    []validator.String{nameValidator{}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			attrDescription:             descriptionAttribute("package"),
			attrParameters:              parametersAttribute("package"),
			attrSensitiveParameters:     sensitiveParametersAttribute("package"),
			attrSensitiveParametersHash: sensitiveParametersHashAttribute(),
			"resource_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The identifier NCP gives the package (`resourceId`).",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			attrTimeouts: framework.TimeoutsBlockWithUpdate(ctx, "the package to be created", "the package to be updated",
				"the package to be deleted"),
		},
	}
}

func (r *packageResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{parametersConfigValidator{}}
}

func (r *packageResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	planSensitiveHash(ctx, r.meta, req, resp)
}

// packageKind names packages in messages and import hints.
var packageKind = reconcile.Kind{Name: "Cloud Functions package", ResourceType: "ncp_cloud_functions_package", Key: "name", QuoteID: true}

// request builds the PUT body and the values to hide in logs.
func (m *packageResourceModel) request(ctx context.Context, diags *diag.Diagnostics) (wire.PackageRequest, []string) {
	plain := stringMap(ctx, m.Parameters, diags)
	sensitive := stringMap(ctx, m.SensitiveParameters, diags)
	in := wire.PackageRequest{Description: m.Description.ValueString()}
	if merged := mergeParameters(plain, sensitive); len(merged) > 0 {
		in.Parameters = wire.StringParameters(merged)
	}
	return in, sensitiveValues(sensitive)
}

// setHash sets sensitive_parameters_hash from the planned values, known
// after apply even when the plan could not compute it.
func (m *packageResourceModel) setHash(ctx context.Context, meta *conns.Meta, diags *diag.Diagnostics) {
	key, _ := secretKeyOf(meta)
	m.SensitiveParametersHash = hashSensitive(key, stringMap(ctx, m.SensitiveParameters, diags))
}

// setPackage copies what NCP answers, splitting its parameters by the
// state's (see splitParameters).
func (m *packageResourceModel) setPackage(ctx context.Context, p *wire.Package, secretKey string, diags *diag.Diagnostics) {
	m.ID = types.StringValue(p.Name)
	m.Name = types.StringValue(p.Name)
	m.Description = framework.StringValueOrNull(p.Description)
	plain, sensitive := splitParameters(p.Parameters.Strings(), stringMap(ctx, m.Parameters, diags), stringMap(ctx, m.SensitiveParameters, diags))
	m.Parameters = mapValue(plain, m.Parameters)
	m.SensitiveParameters = mapValue(sensitive, m.SensitiveParameters)
	m.SensitiveParametersHash = hashSensitive(secretKey, sensitive)
	m.ResourceID = framework.StringValueOrNull(p.ResourceID)
}

func (r *packageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan packageResourceModel
	ctx, cancel, ok := framework.BeginCreate(ctx, r.meta, req.Plan, &plan, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	conn := newConn(r.meta)
	name := plan.Name.ValueString()
	in, secrets := plan.request(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := reconcile.CreateReconciled(ctx, reconcile.Create[*wire.Package]{
		Kind:     packageKind,
		Attempts: conn.Attempts(),
		Journal:  conn.Journal(),
		Key:      name,
		Send:     func(ctx context.Context) (*wire.Package, error) { return conn.PutPackage(ctx, name, &in, secrets...) },
		Lookup:   func(ctx context.Context) ([]*wire.Package, error) { return lookupPackage(ctx, conn, name, secrets) },
		ID:       func(p *wire.Package) string { return p.Name },
	})
	if err != nil {
		reconcile.AddCreateError(&resp.Diagnostics, fmt.Sprintf("Error creating Cloud Functions package %q", name), err)
		return
	}
	plan.ID = types.StringValue(name)
	plan.ResourceID = framework.StringValueOrNull(p.ResourceID)
	plan.setHash(ctx, r.meta, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *packageResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state packageResourceModel
	ctx, cancel, ok := framework.BeginRead(ctx, r.meta, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	name := state.ID.ValueString()
	// The answer holds the sensitive values: hide those the state knows.
	p, err := newConn(r.meta).GetPackageHiding(ctx, name, sensitiveValues(stringMap(ctx, state.SensitiveParameters, &resp.Diagnostics))...)
	if client.IsNotFound(err) {
		framework.AddNotFoundWarning(&resp.Diagnostics, packageKind.Name, name)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading Cloud Functions package %q", name), err)
		return
	}
	key, _ := secretKeyOf(r.meta)
	state.setPackage(ctx, p, key, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(fwmodel.SetState(ctx, &resp.State, &state)...)
}

func (r *packageResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state packageResourceModel
	ctx, cancel, ok := framework.BeginUpdate(ctx, r.meta, req.Plan, req.State, &plan, &state, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	name := state.ID.ValueString()
	in, secrets := plan.request(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	p, err := newConn(r.meta).PutPackage(ctx, name, &in, secrets...)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error updating Cloud Functions package %q", name), err)
		return
	}
	plan.ID = state.ID
	plan.ResourceID = state.ResourceID
	if p.ResourceID != "" {
		plan.ResourceID = types.StringValue(p.ResourceID)
	}
	plan.setHash(ctx, r.meta, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *packageResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state packageResourceModel
	ctx, cancel, ok := framework.BeginDelete(ctx, r.meta, req.State, &state, &state.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	name := state.ID.ValueString()
	conn := newConn(r.meta)
	err := deleteByName(ctx, conn.Attempts(), func(ctx context.Context) error { return conn.DeletePackage(ctx, name) },
		func(ctx context.Context) error {
			_, err := conn.GetPackageHiding(ctx, name, sensitiveValues(stringMap(ctx, state.SensitiveParameters, &resp.Diagnostics))...)
			return err
		})
	switch {
	case err == nil:
	case reconcile.HasCode(err, wire.CodePackageNotEmpty):
		resp.Diagnostics.AddError(fmt.Sprintf("Cloud Functions package %q still holds actions", name),
			fmt.Sprintf("NCP refuses to delete a package that holds actions. Delete the actions of package %q that Terraform "+
				"does not manage (made outside this configuration), then destroy again.\n\n%s", name, framework.NCPErrorDetail(err)))
	default:
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error deleting Cloud Functions package %q", name), err)
	}
}

// packageImport is the import format of a package: its name.
var packageImport = reconcile.ImportFormat{
	What:  "a Cloud Functions package",
	Is:    "its name, such as my-package",
	Valid: func(s string) bool { return nameProblem(s) == "" },
}

// ImportState imports a package by name. Every parameter is read into
// sensitive_parameters (see splitParameters); the next plan moves the
// plain ones to parameters without changing anything in NCP.
func (r *packageResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	reconcile.ImportByID(ctx, packageImport, req, resp, attrName)
}

// lookupPackage is the look-up of reconcile.Create: the package of that
// name, none when there is none.
func lookupPackage(ctx context.Context, conn *cfConn, name string, sensitive []string) ([]*wire.Package, error) {
	p, err := conn.GetPackageHiding(ctx, name, sensitive...)
	if client.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []*wire.Package{p}, nil
}
