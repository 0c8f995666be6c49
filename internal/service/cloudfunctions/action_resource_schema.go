package cloudfunctions

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// Attribute names of ncp_cloud_functions_action.
const (
	attrRuntime     = "runtime"
	attrCode        = "code"
	attrSourceFile  = "source_file"
	attrSourceDir   = "source_dir"
	attrContentHash = "content_hash"
	attrMain        = "main"
	attrMemory      = "memory"
	attrTimeout     = "timeout"
	attrVpc         = "vpc"
	attrWeb         = "web"
	attrRawHTTP     = "raw_http"
	attrType        = "type"
)

// Defaults of an action's limits.
const (
	defaultMemory    = 256
	defaultTimeoutMs = 60000
	defaultMain      = "main"
)

// packageAttribute is the package of an action or a sequence.
func packageAttribute(of string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true,
		Computed: true,
		Default:  stringdefault.StaticString(wire.NoPackage),
		MarkdownDescription: fmt.Sprintf("Name of the package the %s belongs to, or `-` (the default) for none. "+
			"Changing it replaces the %s.", of, of),
		Validators:    []validator.String{nameValidator{allowNoPackage: true}},
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

// Schema describes ncp_cloud_functions_action.
func (r *actionResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a Cloud Functions action (type `basic`, or `web` with `web = true`) of API v2.1 on " +
			"platform `vpc`: its code, runtime, limits, default parameters and the VPC subnet it runs in.\n\n" +
			"The code comes from exactly one of `code` (inline source), `source_file` (one file; a `.zip` or `.jar` is " +
			"uploaded as an archive) or `source_dir` (a folder the provider zips; a Python action needs `__main__.py` at its " +
			"top, a Node.js one `index.js` or a `package.json`). `content_hash` stands for the code: the provider computes it " +
			"at plan time from the files, so editing a file plans an update, and compares it at refresh with the code NCP " +
			"holds, so code changed outside Terraform shows as drift. The zip of a folder is built the same way every time " +
			"(sorted entries, fixed times and modes), so an unchanged folder plans nothing.",
		Attributes: map[string]schema.Attribute{
			attrID:      idAttribute("`<package>/<name>` (the package is `-` for an action in no package)."),
			attrPackage: packageAttribute("action"),
			attrName: schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Name of the action: " + wire.NameRule + ". Names are unique across the packages, " +
					"actions and triggers of the account. Changing it replaces the action.",
				Validators:    []validator.String{nameValidator{}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			attrDescription: descriptionAttribute("action"),
			attrRuntime: schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Runtime (`exec.kind`): one of " + quoteList(runtimes()) + ". The runtimes NCP " +
					"deprecated on 2025-09-18 (" + quoteList(wire.DeprecatedKinds) + ") are refused for new actions. " +
					"`java`, `java:21` and `dotnet:2.2` need an archive (`source_file` ending in `.jar` or `.zip`, or " +
					"`source_dir`). Changes in place.",
				Validators: []validator.String{runtimeValidator{}},
			},
			attrCode: schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Source code of the action, inline. Exactly one of `code`, `source_file` and `source_dir` must be set.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			attrSourceFile: schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of a file holding the code, read at plan time: source text (UTF-8), or an " +
					"archive when it ends in `.zip` or `.jar`. Exactly one of `code`, `source_file` and `source_dir` must be set.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			attrSourceDir: schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of a folder whose files make the action, read at plan time and uploaded as a zip " +
					"built by the provider (regular files only; symbolic links are refused). Exactly one of `code`, " +
					"`source_file` and `source_dir` must be set.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			attrContentHash: schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "`sha256:<hex>` of the code: of the source text, or of the archive's bytes. Computed at " +
					"plan time from `code`, `source_file` or `source_dir`; a change plans an update of the action.",
			},
			attrMain: schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(defaultMain),
				MarkdownDescription: "The function NCP calls (`exec.main`); for Java the fully qualified class name. " +
					"Default: `main`. Changes in place.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			attrMemory: schema.Int64Attribute{
				Optional:            true,
				Computed:            true,
				Default:             int64default.StaticInt64(defaultMemory),
				MarkdownDescription: fmt.Sprintf("Memory of the action in MB: %s. Default: `%d`. Changes in place.", intList(wire.MemorySizes), defaultMemory),
				Validators:          []validator.Int64{memoryValidator{}},
			},
			attrTimeout: schema.Int64Attribute{
				Optional: true,
				Computed: true,
				Default:  int64default.StaticInt64(defaultTimeoutMs),
				MarkdownDescription: fmt.Sprintf("Time limit of one run in milliseconds, %d to %d. Default: `%d`. Changes in place.",
					wire.MinTimeoutMs, wire.MaxTimeoutMs, defaultTimeoutMs),
				Validators: []validator.Int64{timeoutValidator{}},
			},
			attrParameters:              parametersAttribute("action"),
			attrSensitiveParameters:     sensitiveParametersAttribute("action"),
			attrSensitiveParametersHash: sensitiveParametersHashAttribute(),
			attrWeb: schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "Whether the action is a web action (type `web`) rather than a basic one. NCP cannot " +
					"change an action's type: changing it replaces the action. Default: `false`.",
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			attrRawHTTP: schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
				MarkdownDescription: "For a web action: whether it receives the raw HTTP request (`raw-http`). Only with " +
					"`web = true`. Default: `false`. Changes in place.",
			},
			attrType: schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The action's type: `basic` or `web`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			attrVpc: schema.ListNestedBlock{
				MarkdownDescription: "The VPC subnet the action runs in (required on platform `vpc`): exactly one block. " +
					"Changes in place.",
				Validators: []validator.List{listvalidator.IsRequired(), listvalidator.SizeBetween(1, 1)},
				NestedObject: schema.NestedBlockObject{
					Attributes: map[string]schema.Attribute{
						"vpc_no": schema.StringAttribute{
							Required:            true,
							MarkdownDescription: "Number of the VPC, e.g. `ncp_vpc.main.vpc_no`.",
							Validators:          []validator.String{numberValidator{}},
						},
						"subnet_no": schema.StringAttribute{
							Required:            true,
							MarkdownDescription: "Number of a subnet of that VPC, e.g. `ncp_subnet.private.subnet_no`.",
							Validators:          []validator.String{numberValidator{}},
						},
					},
				},
			},
			attrTimeouts: framework.TimeoutsBlockWithUpdate(ctx, "the action to be created", "the action to be updated",
				"the action to be deleted"),
		},
	}
}

// ConfigValidators: one source of code; raw_http only for web actions;
// no parameter in both maps.
func (r *actionResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot(attrCode), path.MatchRoot(attrSourceFile), path.MatchRoot(attrSourceDir)),
		parametersConfigValidator{},
		rawHTTPValidator{},
	}
}

// rawHTTPValidator refuses raw_http = true without web = true.
type rawHTTPValidator struct{}

func (rawHTTPValidator) Description(context.Context) string { return "raw_http needs web = true" }

func (v rawHTTPValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (rawHTTPValidator) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var web, raw types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrWeb), &web)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(attrRawHTTP), &raw)...)
	if raw.ValueBool() && !web.IsUnknown() && !web.ValueBool() {
		resp.Diagnostics.AddAttributeError(path.Root(attrRawHTTP), "raw_http needs a web action",
			"Attribute raw_http: only a web action (web = true) can receive the raw HTTP request.")
	}
}
