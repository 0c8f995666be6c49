package cloudfunctions

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/fwmodel"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

var (
	_ resource.Resource                     = (*actionResource)(nil)
	_ resource.ResourceWithConfigure        = (*actionResource)(nil)
	_ resource.ResourceWithImportState      = (*actionResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*actionResource)(nil)
	_ resource.ResourceWithConfigValidators = (*actionResource)(nil)
)

// NewActionResource returns the ncp_cloud_functions_action resource.
func NewActionResource() resource.Resource { return &actionResource{} }

// actionResource is ncp_cloud_functions_action.
type actionResource struct {
	meta *conns.Meta
}

// actionResourceModel is ncp_cloud_functions_action.
type actionResourceModel struct {
	ID                      types.String   `tfsdk:"id"`
	Package                 types.String   `tfsdk:"package"`
	Name                    types.String   `tfsdk:"name"`
	Description             types.String   `tfsdk:"description"`
	Runtime                 types.String   `tfsdk:"runtime"`
	Code                    types.String   `tfsdk:"code"`
	SourceFile              types.String   `tfsdk:"source_file"`
	SourceDir               types.String   `tfsdk:"source_dir"`
	ContentHash             types.String   `tfsdk:"content_hash"`
	Main                    types.String   `tfsdk:"main"`
	Memory                  types.Int64    `tfsdk:"memory"`
	Timeout                 types.Int64    `tfsdk:"timeout"`
	Parameters              types.Map      `tfsdk:"parameters"`
	SensitiveParameters     types.Map      `tfsdk:"sensitive_parameters"`
	SensitiveParametersHash types.String   `tfsdk:"sensitive_parameters_hash"`
	Web                     types.Bool     `tfsdk:"web"`
	RawHTTP                 types.Bool     `tfsdk:"raw_http"`
	Type                    types.String   `tfsdk:"type"`
	Vpc                     types.List     `tfsdk:"vpc"`
	Timeouts                timeouts.Value `tfsdk:"timeouts"`
}

// vpcModel is one vpc block.
type vpcModel struct {
	VpcNo    types.String `tfsdk:"vpc_no"`
	SubnetNo types.String `tfsdk:"subnet_no"`
}

var vpcObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{"vpc_no": types.StringType, "subnet_no": types.StringType}}

func (r *actionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cloud_functions_action"
}

func (r *actionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

// actionKind names actions in messages and import hints.
var actionKind = reconcile.Kind{Name: "Cloud Functions action", ResourceType: "ncp_cloud_functions_action", Key: "name", QuoteID: true}

// actionID is the ID of an action or a sequence: "<package>/<name>".
func actionID(pkg, name string) string { return pkg + "/" + name }

// ModifyPlan computes content_hash from the code the configuration gives
// (reading source_file or source_dir) and sensitive_parameters_hash.
func (r *actionResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	planSensitiveHash(ctx, r.meta, req, resp)
	var plan actionResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hash := types.StringUnknown()
	if code, _, known, diags := plan.loadCode(); len(diags) > 0 || !known {
		resp.Diagnostics.Append(diags...)
	} else {
		hash = types.StringValue(code.Hash)
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(attrContentHash), hash)...)
	typ := wire.ActionTypeBasic
	if plan.Web.IsUnknown() {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(attrType), types.StringUnknown())...)
		return
	}
	if plan.Web.ValueBool() {
		typ = wire.ActionTypeWeb
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(attrType), typ)...)
}

// loadCode returns the code of code, source_file or source_dir; known is
// false while the one set (or the runtime) is not known yet. Problems are
// attribute errors.
func (m *actionResourceModel) loadCode() (actionCode, path.Path, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	kind := m.Runtime.ValueString()
	binaryKind := slices.Contains(wire.BinaryKinds, kind)
	switch {
	case m.Code.IsUnknown() || m.SourceFile.IsUnknown() || m.SourceDir.IsUnknown() || m.Runtime.IsUnknown():
		return actionCode{}, path.Empty(), false, nil
	case !m.Code.IsNull():
		at := path.Root(attrCode)
		if binaryKind {
			diags.AddAttributeError(at, "Runtime needs an archive",
				fmt.Sprintf("Attribute code: runtime %q runs an archive (a .jar or .zip); give it with source_file or source_dir, not inline code.", kind))
			return actionCode{}, at, false, diags
		}
		return inlineCode(m.Code.ValueString()), at, true, nil
	case !m.SourceFile.IsNull():
		at := path.Root(attrSourceFile)
		c, err := fileCode(m.SourceFile.ValueString())
		if err != nil {
			diags.AddAttributeError(at, "Cannot read source_file", "Attribute source_file: "+err.Error()+".")
			return actionCode{}, at, false, diags
		}
		if binaryKind && !c.Binary {
			diags.AddAttributeError(at, "Runtime needs an archive",
				fmt.Sprintf("Attribute source_file: runtime %q runs an archive; source_file must end in .jar or .zip.", kind))
			return actionCode{}, at, false, diags
		}
		return c, at, true, nil
	case !m.SourceDir.IsNull():
		at := path.Root(attrSourceDir)
		c, names, err := dirCode(m.SourceDir.ValueString())
		if err != nil {
			diags.AddAttributeError(at, "Cannot archive source_dir", "Attribute source_dir: "+err.Error()+".")
			return actionCode{}, at, false, diags
		}
		if p := entryFileProblem(kind, names); p != "" {
			diags.AddAttributeError(at, "Entry file missing", fmt.Sprintf("Attribute source_dir %q: %s.", m.SourceDir.ValueString(), p))
			return actionCode{}, at, false, diags
		}
		return c, at, true, nil
	}
	// None set: the ExactlyOneOf config validator reports it.
	return actionCode{}, path.Empty(), false, nil
}

// request builds the PUT body, its type and the values to hide in logs,
// from a plan whose code hashes to the planned content_hash.
func (m *actionResourceModel) request(ctx context.Context, diags *diag.Diagnostics) (wire.ActionRequest, string, []string) {
	code, at, known, d := m.loadCode()
	diags.Append(d...)
	if diags.HasError() {
		return wire.ActionRequest{}, "", nil
	}
	if !known {
		diags.AddError("Action code not known", "The code of the action is still unknown at apply time; this is a bug in the provider.")
		return wire.ActionRequest{}, "", nil
	}
	if !m.ContentHash.IsUnknown() && !m.ContentHash.IsNull() && m.ContentHash.ValueString() != code.Hash {
		diags.AddAttributeError(at, "Code changed since the plan",
			fmt.Sprintf("Attribute %s: the code now hashes to %s, but the plan was made for %s: the file changed between "+
				"plan and apply. Plan again.", at, code.Hash, m.ContentHash.ValueString()))
		return wire.ActionRequest{}, "", nil
	}
	m.ContentHash = types.StringValue(code.Hash)
	plain := stringMap(ctx, m.Parameters, diags)
	sensitive := stringMap(ctx, m.SensitiveParameters, diags)
	in := wire.ActionRequest{
		Description: m.Description.ValueString(),
		Exec:        &wire.Exec{Kind: m.Runtime.ValueString(), Binary: code.Binary, Code: code.Code, Main: m.Main.ValueString()},
		Limits:      &wire.Limits{Timeout: int(m.Timeout.ValueInt64()), Memory: int(m.Memory.ValueInt64())},
	}
	if merged := mergeParameters(plain, sensitive); len(merged) > 0 {
		in.Parameters = wire.StringParameters(merged)
	}
	var vpcs []vpcModel
	diags.Append(m.Vpc.ElementsAs(ctx, &vpcs, false)...)
	for _, v := range vpcs {
		vpcNo, err1 := parseNumber(v.VpcNo.ValueString())
		subnetNo, err2 := parseNumber(v.SubnetNo.ValueString())
		if err1 != nil || err2 != nil {
			diags.AddAttributeError(path.Root(attrVpc), "Invalid VPC", "Attribute vpc: vpc_no and subnet_no must be numbers.")
			return wire.ActionRequest{}, "", nil
		}
		in.VPC = append(in.VPC, wire.VPCLink{VpcNo: vpcNo, SubnetNo: subnetNo})
	}
	typ := wire.ActionTypeBasic
	if m.Web.ValueBool() {
		typ = wire.ActionTypeWeb
		raw := m.RawHTTP.ValueBool()
		in.RawHTTP = &raw
	}
	return in, typ, sensitiveValues(sensitive)
}

// setAction copies what NCP answers. Inline code is read back into code;
// code from a file or a folder only into content_hash, which then shows a
// change made outside Terraform.
func (m *actionResourceModel) setAction(ctx context.Context, pkg string, a *wire.Action, secretKey string, diags *diag.Diagnostics) {
	m.ID = types.StringValue(actionID(pkg, a.Name))
	m.Package = types.StringValue(pkg)
	m.Name = types.StringValue(a.Name)
	m.Description = framework.StringValueOrNull(a.Description)
	m.Runtime = types.StringValue(a.Exec.Kind)
	hash, err := remoteCodeHash(a.Exec.Code, a.Exec.Binary)
	if err != nil {
		diags.AddError(fmt.Sprintf("Cannot read the code of Cloud Functions action %q", m.ID.ValueString()), err.Error())
		return
	}
	m.ContentHash = types.StringValue(hash)
	if m.SourceFile.IsNull() && m.SourceDir.IsNull() {
		if a.Exec.Binary {
			m.Code = types.StringNull()
		} else {
			m.Code = types.StringValue(a.Exec.Code)
		}
	}
	m.Main = types.StringValue(cmpOr(a.Exec.Main, defaultMain))
	if a.Limits != nil {
		m.Memory = types.Int64Value(int64(a.Limits.Memory))
		m.Timeout = types.Int64Value(int64(a.Limits.Timeout))
	}
	plain, sensitive := splitParameters(a.Parameters.Strings(), stringMap(ctx, m.Parameters, diags), stringMap(ctx, m.SensitiveParameters, diags))
	m.Parameters = mapValue(plain, m.Parameters)
	m.SensitiveParameters = mapValue(sensitive, m.SensitiveParameters)
	m.SensitiveParametersHash = hashSensitive(secretKey, sensitive)
	web := a.Web || a.Type == wire.ActionTypeWeb
	m.Web = types.BoolValue(web)
	m.RawHTTP = types.BoolValue(a.RawHTTP)
	m.Type = types.StringValue(wire.ActionTypeBasic)
	if web {
		m.Type = types.StringValue(wire.ActionTypeWeb)
	}
	elems := make([]attr.Value, 0, len(a.VPC))
	for _, v := range a.VPC {
		elems = append(elems, types.ObjectValueMust(vpcObjectType.AttrTypes, map[string]attr.Value{
			"vpc_no":    types.StringValue(strconv.FormatInt(v.VpcNo, 10)),
			"subnet_no": types.StringValue(strconv.FormatInt(v.SubnetNo, 10)),
		}))
	}
	m.Vpc = types.ListValueMust(vpcObjectType, elems)
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (r *actionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan actionResourceModel
	ctx, cancel, ok := framework.BeginCreate(ctx, r.meta, req.Plan, &plan, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	conn := newConn(r.meta)
	pkg, name := plan.Package.ValueString(), plan.Name.ValueString()
	in, typ, secrets := plan.request(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	_, err := reconcile.CreateReconciled(ctx, reconcile.Create[*wire.Action]{
		Kind:     actionKind,
		Attempts: conn.Attempts(),
		Journal:  conn.Journal(),
		Key:      pkg + "/" + name,
		Send: func(ctx context.Context) (*wire.Action, error) {
			return conn.PutAction(ctx, pkg, name, typ, &in, secrets...)
		},
		Lookup: func(ctx context.Context) ([]*wire.Action, error) {
			return lookupAction(ctx, conn, pkg, name, secrets...)
		},
		ID: func(a *wire.Action) string { return actionID(pkg, a.Name) },
	})
	if err != nil {
		reconcile.AddCreateError(&resp.Diagnostics, fmt.Sprintf("Error creating Cloud Functions action %q", actionID(pkg, name)), err)
		return
	}
	plan.ID = types.StringValue(actionID(pkg, name))
	plan.Type = types.StringValue(typ)
	key, _ := secretKeyOf(r.meta)
	plan.SensitiveParametersHash = hashSensitive(key, stringMap(ctx, plan.SensitiveParameters, &resp.Diagnostics))
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *actionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state actionResourceModel
	ctx, cancel, ok := framework.BeginRead(ctx, r.meta, req.State, &state, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.ID.ValueString()
	pkg, name := splitRef(id)
	// The answer holds the sensitive values: hide those the state knows.
	a, err := newConn(r.meta).GetActionHiding(ctx, pkg, name, sensitiveValues(stringMap(ctx, state.SensitiveParameters, &resp.Diagnostics))...)
	if client.IsNotFound(err) {
		framework.AddNotFoundWarning(&resp.Diagnostics, actionKind.Name, id)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading Cloud Functions action %q", id), err)
		return
	}
	if a.Exec.Kind == wire.KindSequence || strings.HasPrefix(a.Type, wire.ActionTypeSequence) {
		resp.Diagnostics.AddError(fmt.Sprintf("Cloud Functions action %q is a sequence", id),
			"It is managed by ncp_cloud_functions_sequence, not ncp_cloud_functions_action.")
		return
	}
	key, _ := secretKeyOf(r.meta)
	state.setAction(ctx, pkg, a, key, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(fwmodel.SetState(ctx, &resp.State, &state)...)
}

func (r *actionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state actionResourceModel
	ctx, cancel, ok := framework.BeginUpdate(ctx, r.meta, req.Plan, req.State, &plan, &state, &plan.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.ID.ValueString()
	pkg, name := splitRef(id)
	in, typ, secrets := plan.request(ctx, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if _, err := newConn(r.meta).PutAction(ctx, pkg, name, typ, &in, secrets...); err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error updating Cloud Functions action %q", id), err)
		return
	}
	plan.ID = state.ID
	plan.Type = types.StringValue(typ)
	key, _ := secretKeyOf(r.meta)
	plan.SensitiveParametersHash = hashSensitive(key, stringMap(ctx, plan.SensitiveParameters, &resp.Diagnostics))
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *actionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state actionResourceModel
	ctx, cancel, ok := framework.BeginDelete(ctx, r.meta, req.State, &state, &state.Timeouts, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.ID.ValueString()
	pkg, name := splitRef(id)
	conn := newConn(r.meta)
	err := deleteByName(ctx, conn.Attempts(), func(ctx context.Context) error { return conn.DeleteAction(ctx, pkg, name) },
		func(ctx context.Context) error {
			_, err := conn.GetActionHiding(ctx, pkg, name, sensitiveValues(stringMap(ctx, state.SensitiveParameters, &resp.Diagnostics))...)
			return err
		})
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error deleting Cloud Functions action %q", id), err)
	}
}

// actionImport is the import format of actions and sequences.
var actionImport = reconcile.ImportFormat{
	What:  "a Cloud Functions action",
	Is:    "`<package>/<name>`, such as my-package/my-action (`-/my-action` for an action in no package)",
	Valid: func(s string) bool { return actionRefProblem(s) == "" },
}

// ImportState imports an action by "<package>/<name>". The code is read
// into code (source text) or only into content_hash (an archive); every
// parameter goes to sensitive_parameters (see splitParameters).
func (r *actionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	reconcile.ImportByID(ctx, actionImport, req, resp)
	if resp.Diagnostics.HasError() {
		return
	}
	pkg, name := splitRef(req.ID)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrPackage), pkg)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrName), name)...)
}

// lookupAction is the look-up of reconcile.Create: the action of that
// package and name, none when there is none.
func lookupAction(ctx context.Context, conn *cfConn, pkg, name string, sensitive ...string) ([]*wire.Action, error) {
	a, err := conn.GetActionHiding(ctx, pkg, name, sensitive...)
	if client.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []*wire.Action{a}, nil
}
