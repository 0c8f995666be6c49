package cloudfunctions

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

var (
	_ datasource.DataSourceWithConfigure        = (*packageDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*actionDataSource)(nil)
	_ datasource.DataSource                     = (*runtimesDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*activationsDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*activationsDataSource)(nil)
)

// ----------------------------------------------------------------- package

// NewPackageDataSource returns the ncp_cloud_functions_package data source.
func NewPackageDataSource() datasource.DataSource { return &packageDataSource{} }

type packageDataSource struct{ meta *conns.Meta }

type packageDataModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	Parameters  types.Map    `tfsdk:"parameters"`
	ResourceID  types.String `tfsdk:"resource_id"`
	Actions     types.List   `tfsdk:"actions"`
}

func (d *packageDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cloud_functions_package"
}

func (d *packageDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

func (d *packageDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an existing Cloud Functions package by name.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "The package name."},
			"name": schema.StringAttribute{
				Required: true, MarkdownDescription: "Name of the package.",
				Validators: []validator.String{nameValidator{}},
			},
			"description": schema.StringAttribute{Computed: true, MarkdownDescription: "Description of the package."},
			"parameters": schema.MapAttribute{
				ElementType: types.StringType, Computed: true, Sensitive: true,
				MarkdownDescription: "Every default parameter of the package, those an `ncp_cloud_functions_package` keeps in " +
					"`sensitive_parameters` included. Sensitive as a whole: NCP does not say which values are secrets. The " +
					"provider's logs never show the values.",
			},
			"resource_id": schema.StringAttribute{Computed: true, MarkdownDescription: "The identifier NCP gives the package."},
			"actions": schema.ListAttribute{
				ElementType: types.StringType, Computed: true,
				MarkdownDescription: "Names of the package's actions and sequences.",
			},
		},
	}
}

func (d *packageDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data packageDataModel
	ctx, cancel, ok := framework.BeginDataSourceRead(ctx, d.meta, req.Config, &data, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	name := data.Name.ValueString()
	p, err := newConn(d.meta).GetPackage(ctx, name)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading Cloud Functions package %q", name), err)
		return
	}
	data.ID = types.StringValue(p.Name)
	data.Description = types.StringValue(p.Description)
	data.Parameters = mapValue(p.Parameters.Strings(), types.MapValueMust(types.StringType, nil))
	data.ResourceID = types.StringValue(p.ResourceID)
	names := make([]string, len(p.Actions))
	for i, a := range p.Actions {
		names[i] = a.Name
	}
	data.Actions = framework.StringList(names)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

// ------------------------------------------------------------------ action

// NewActionDataSource returns the ncp_cloud_functions_action data source.
func NewActionDataSource() datasource.DataSource { return &actionDataSource{} }

type actionDataSource struct{ meta *conns.Meta }

type actionDataModel struct {
	ID          types.String `tfsdk:"id"`
	Package     types.String `tfsdk:"package"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	Type        types.String `tfsdk:"type"`
	Runtime     types.String `tfsdk:"runtime"`
	Main        types.String `tfsdk:"main"`
	Memory      types.Int64  `tfsdk:"memory"`
	Timeout     types.Int64  `tfsdk:"timeout"`
	ContentHash types.String `tfsdk:"content_hash"`
	Binary      types.Bool   `tfsdk:"binary"`
	Components  types.List   `tfsdk:"components"`
	Parameters  types.Map    `tfsdk:"parameters"`
	Vpc         types.List   `tfsdk:"vpc"`
	Web         types.Bool   `tfsdk:"web"`
}

func (d *actionDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cloud_functions_action"
}

func (d *actionDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

func (d *actionDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an existing Cloud Functions action or sequence by package and name.",
		Attributes: map[string]schema.Attribute{
			"id": computed("`<package>/<name>`."),
			"package": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Package of the action; `-` or unset for none.",
				Validators: []validator.String{nameValidator{allowNoPackage: true}},
			},
			"name": schema.StringAttribute{
				Required: true, MarkdownDescription: "Name of the action.",
				Validators: []validator.String{nameValidator{}},
			},
			"description":  computed("Description of the action."),
			"type":         computed("`basic`, `web`, `sequence` or `sequence-web`."),
			"runtime":      computed("The runtime (`exec.kind`); `sequence` for a sequence."),
			"main":         computed("The function NCP calls."),
			"content_hash": computed("`sha256:<hex>` of the code, as `content_hash` of `ncp_cloud_functions_action`; null for a sequence."),
			"memory":       schema.Int64Attribute{Computed: true, MarkdownDescription: "Memory in MB."},
			"timeout":      schema.Int64Attribute{Computed: true, MarkdownDescription: "Time limit in milliseconds."},
			"binary":       schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the code is an archive."},
			"web":          schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether it is a web action."},
			"components": schema.ListAttribute{
				ElementType: types.StringType, Computed: true,
				MarkdownDescription: "For a sequence: the actions it runs, in order, as `<package>/<action>`.",
			},
			"parameters": schema.MapAttribute{
				ElementType: types.StringType, Computed: true, Sensitive: true,
				MarkdownDescription: "The action's own default parameters, its `sensitive_parameters` included. Sensitive as a " +
					"whole: NCP does not say which values are secrets. The provider's logs never show the values.",
			},
			"vpc": schema.ListAttribute{
				ElementType: vpcObjectType, Computed: true,
				MarkdownDescription: "The VPC subnet the action runs in (`vpc_no`, `subnet_no`).",
			},
		},
	}
}

func (d *actionDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data actionDataModel
	ctx, cancel, ok := framework.BeginDataSourceRead(ctx, d.meta, req.Config, &data, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	pkg := framework.StringOr(data.Package, wire.NoPackage)
	name := data.Name.ValueString()
	a, err := newConn(d.meta).GetAction(ctx, pkg, name)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading Cloud Functions action %q", actionID(pkg, name)), err)
		return
	}
	data.ID = types.StringValue(actionID(pkg, a.Name))
	data.Package = types.StringValue(pkg)
	data.Description = types.StringValue(a.Description)
	data.Runtime = types.StringValue(a.Exec.Kind)
	data.Main = types.StringValue(a.Exec.Main)
	data.Binary = types.BoolValue(a.Exec.Binary)
	data.Web = types.BoolValue(a.Web || a.Type == wire.ActionTypeWeb || a.Type == wire.ActionTypeSequenceWeb)
	data.Components = framework.StringList(a.Exec.Components)
	data.Parameters = mapValue(a.Parameters.Strings(), types.MapValueMust(types.StringType, nil))
	typ := a.Type
	if typ == "" {
		typ = wire.ActionTypeBasic
		switch {
		case a.Exec.Kind == wire.KindSequence && data.Web.ValueBool():
			typ = wire.ActionTypeSequenceWeb
		case a.Exec.Kind == wire.KindSequence:
			typ = wire.ActionTypeSequence
		case data.Web.ValueBool():
			typ = wire.ActionTypeWeb
		}
	}
	data.Type = types.StringValue(typ)
	data.Memory, data.Timeout = types.Int64Null(), types.Int64Null()
	if a.Limits != nil {
		data.Memory = types.Int64Value(int64(a.Limits.Memory))
		data.Timeout = types.Int64Value(int64(a.Limits.Timeout))
	}
	data.ContentHash = types.StringNull()
	if a.Exec.Kind != wire.KindSequence {
		hash, err := remoteCodeHash(a.Exec.Code, a.Exec.Binary)
		if err != nil {
			resp.Diagnostics.AddError(fmt.Sprintf("Cannot read the code of Cloud Functions action %q", data.ID.ValueString()), err.Error())
			return
		}
		data.ContentHash = types.StringValue(hash)
	}
	elems := make([]attr.Value, 0, len(a.VPC))
	for _, v := range a.VPC {
		elems = append(elems, types.ObjectValueMust(vpcObjectType.AttrTypes, map[string]attr.Value{
			"vpc_no":    types.StringValue(strconv.FormatInt(v.VpcNo, 10)),
			"subnet_no": types.StringValue(strconv.FormatInt(v.SubnetNo, 10)),
		}))
	}
	data.Vpc = types.ListValueMust(vpcObjectType, elems)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

// ---------------------------------------------------------------- runtimes

// NewRuntimesDataSource returns the ncp_cloud_functions_runtimes data
// source.
func NewRuntimesDataSource() datasource.DataSource { return &runtimesDataSource{} }

type runtimesDataSource struct{}

type runtimesDataModel struct {
	ID         types.String `tfsdk:"id"`
	Runtimes   types.List   `tfsdk:"runtimes"`
	Deprecated types.List   `tfsdk:"deprecated"`
	Binary     types.List   `tfsdk:"binary"`
}

func (d *runtimesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cloud_functions_runtimes"
}

func (d *runtimesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	list := func(desc string) schema.ListAttribute {
		return schema.ListAttribute{ElementType: types.StringType, Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Cloud Functions runtimes (`exec.kind`) an `ncp_cloud_functions_action` may use. NCP has no " +
			"API that lists them: the list is the one the provider validates against (NCP's documentation, 2026-07), so " +
			"the data source makes no API call.",
		Attributes: map[string]schema.Attribute{
			"id":         schema.StringAttribute{Computed: true, MarkdownDescription: "Always `runtimes`."},
			"runtimes":   list("The runtimes new actions may use, e.g. `python:3.13`, `nodejs:22`."),
			"deprecated": list("The runtimes NCP deprecated on 2025-09-18, refused for new actions."),
			"binary":     list("The runtimes whose code must be an archive (a `.jar` or `.zip`)."),
		},
	}
}

func (d *runtimesDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	data := runtimesDataModel{
		ID:         types.StringValue("runtimes"),
		Runtimes:   framework.StringList(runtimes()),
		Deprecated: framework.StringList(wire.DeprecatedKinds),
		Binary:     framework.StringList(wire.BinaryKinds),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

// ------------------------------------------------------------- activations

// NewActivationsDataSource returns the ncp_cloud_functions_activations
// data source.
func NewActivationsDataSource() datasource.DataSource { return &activationsDataSource{} }

type activationsDataSource struct{ meta *conns.Meta }

type activationsDataModel struct {
	ID          types.String `tfsdk:"id"`
	Action      types.String `tfsdk:"action"`
	Trigger     types.String `tfsdk:"trigger"`
	Limit       types.Int64  `tfsdk:"limit"`
	Activations types.List   `tfsdk:"activations"`
}

var activationType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"activation_id": types.StringType,
	"name":          types.StringType,
	"start":         types.StringType,
	"end":           types.StringType,
	"duration_ms":   types.Int64Type,
	"status":        types.StringType,
	"status_code":   types.Int64Type,
	"success":       types.BoolType,
	"result":        types.StringType,
	"logs":          types.ListType{ElemType: types.StringType},
}}

// defaultActivationLimit is how many activations are listed by default.
const defaultActivationLimit = wire.DefaultPageSize

func (d *activationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_cloud_functions_activations"
}

func (d *activationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

func (d *activationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The recent activations (runs) of one action or one trigger, newest first, from the last month " +
			"NCP keeps. Useful in tests and scripts, e.g. to check that an upload ran the pipeline. NCP may list an " +
			"activation only some seconds after it ran.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "`action:<package>/<name>` or `trigger:<name>`."},
			"action": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The action or sequence, as `<package>/<action>`. Exactly one of `action` and `trigger` must be set.",
				Validators:          []validator.String{actionRefValidator{}},
			},
			"trigger": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The trigger's name. Exactly one of `action` and `trigger` must be set.",
				Validators:          []validator.String{nameValidator{}},
			},
			"limit": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("How many activations to list at most, 1 to %d. Default: %d.",
					wire.MaxPageSize, defaultActivationLimit),
				Validators: []validator.Int64{int64validator.Between(1, wire.MaxPageSize)},
			},
			"activations": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The activations, newest first.",
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"activation_id": schema.StringAttribute{Computed: true, MarkdownDescription: "The activation's id."},
						"name":          schema.StringAttribute{Computed: true, MarkdownDescription: "What ran: the action or trigger name."},
						"start":         schema.StringAttribute{Computed: true, MarkdownDescription: "When it started, RFC 3339 in UTC with milliseconds."},
						"end":           schema.StringAttribute{Computed: true, MarkdownDescription: "When it ended, RFC 3339 in UTC with milliseconds; null while it runs."},
						"duration_ms":   schema.Int64Attribute{Computed: true, MarkdownDescription: "How long it ran, in milliseconds."},
						"status":        schema.StringAttribute{Computed: true, MarkdownDescription: "`success`, `application error`, `action developer error` or `whisk internal error`."},
						"status_code":   schema.Int64Attribute{Computed: true, MarkdownDescription: "The status as a number (0 for success)."},
						"success":       schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether it succeeded."},
						"result": schema.StringAttribute{
							Computed: true, Sensitive: true,
							MarkdownDescription: "The result, as JSON. Sensitive: a result may echo parameters that hold secrets " +
								"(the provider's logs never show it either).",
						},
						"logs": schema.ListAttribute{
							ElementType: types.StringType, Computed: true, Sensitive: true,
							MarkdownDescription: "The log lines. Sensitive: code may print secrets (the provider's logs never show them either).",
						},
					},
				},
			},
		},
	}
}

func (d *activationsDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("action"), path.MatchRoot("trigger")),
	}
}

func (d *activationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data activationsDataModel
	ctx, cancel, ok := framework.BeginDataSourceRead(ctx, d.meta, req.Config, &data, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	limit := int(defaultActivationLimit)
	if !data.Limit.IsNull() {
		limit = int(data.Limit.ValueInt64())
	}
	q := cfclient.ActivationQuery{PageNo: 1, PageSize: limit}
	conn := newConn(d.meta)
	var list *wire.ActivationList
	var err error
	if !data.Action.IsNull() {
		pkg, name := splitRef(data.Action.ValueString())
		data.ID = types.StringValue("action:" + data.Action.ValueString())
		list, err = conn.ListActionActivations(ctx, pkg, name, q)
	} else {
		data.ID = types.StringValue("trigger:" + data.Trigger.ValueString())
		list, err = conn.ListTriggerActivations(ctx, data.Trigger.ValueString(), q)
	}
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, "Error listing Cloud Functions activations", err)
		return
	}
	elems := make([]attr.Value, 0, len(list.Activations))
	for i, a := range list.Activations {
		if i >= limit {
			break
		}
		result, err := json.Marshal(a.Response.Result)
		if err != nil || a.Response.Result == nil {
			result = []byte("{}")
		}
		logs := make([]attr.Value, len(a.Logs))
		for j, l := range a.Logs {
			logs[j] = types.StringValue(l)
		}
		end := types.StringNull()
		if a.End > 0 {
			end = types.StringValue(msTime(a.End))
		}
		elems = append(elems, types.ObjectValueMust(activationType.AttrTypes, map[string]attr.Value{
			"activation_id": types.StringValue(a.ActivationID),
			"name":          types.StringValue(a.Name),
			"start":         types.StringValue(msTime(a.Start)),
			"end":           end,
			"duration_ms":   types.Int64Value(a.Duration),
			"status":        types.StringValue(a.Response.Status),
			"status_code":   types.Int64Value(int64(a.Response.StatusCode)),
			"success":       types.BoolValue(a.Response.Success),
			"result":        types.StringValue(string(result)),
			"logs":          types.ListValueMust(types.StringType, logs),
		}))
	}
	data.Activations = types.ListValueMust(activationType, elems)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

// msTime renders an ms epoch as RFC 3339 in UTC with milliseconds.
func msTime(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z07:00")
}
