// Package cloudfunctions holds the resources and data sources of NCP Cloud
// Functions (API v2.1, platform vpc; ncp-api.md §4): packages, actions,
// sequences and triggers with their links to actions, and the data sources
// of packages, actions, runtimes and activations.
//
// Packages, actions and triggers are created and updated by one PUT by
// name and take effect at once (no status to wait for [I]); a create still
// checks first that the name is free (reconcile.CreateReconciled), so that
// it never takes over an object made outside Terraform. Names are unique
// across packages, actions and triggers of an account.
package cloudfunctions

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
)

// Attribute names shared by the resources.
const (
	attrID                      = "id"
	attrName                    = "name"
	attrPackage                 = "package"
	attrDescription             = "description"
	attrParameters              = "parameters"
	attrSensitiveParameters     = "sensitive_parameters"
	attrSensitiveParametersHash = "sensitive_parameters_hash"
	attrTimeouts                = "timeouts"
)

// idAttribute is the computed id of every resource.
func idAttribute(what string) schema.StringAttribute {
	return schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: what,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

// descriptionAttribute is the optional description of packages, actions,
// sequences and triggers.
func descriptionAttribute(of string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		MarkdownDescription: fmt.Sprintf("Description of the %s, at most 3000 bytes. Changes in place.", of),
		Validators:          []validator.String{descriptionValidator{}},
	}
}

// parametersAttribute is the map of default parameters shown in plans.
func parametersAttribute(of string) schema.MapAttribute {
	return schema.MapAttribute{
		ElementType: types.StringType,
		Optional:    true,
		MarkdownDescription: fmt.Sprintf("Default parameters of the %s, passed to the code as `args` (NCP's precedence: "+
			"parameters given at invocation > trigger > action > package). Their values are shown in plans: put secrets in "+
			"`sensitive_parameters`. Changes in place.", of),
		Validators: []validator.Map{mapvalidator.KeysAre(parameterKeyValidator{})},
	}
}

// sensitiveParametersAttribute is the map of secret default parameters.
func sensitiveParametersAttribute(of string) schema.MapAttribute {
	return schema.MapAttribute{
		ElementType: types.StringType,
		Optional:    true,
		Sensitive:   true,
		MarkdownDescription: fmt.Sprintf("Default parameters of the %s that hold secrets (API keys, passwords). They are merged "+
			"with `parameters` into the one map NCP keeps (a key may be in only one of the two), but their values never appear "+
			"in plans, state diffs or the provider's logs. A change made outside Terraform is detected at refresh and shown as "+
			"a change of this attribute (and of `sensitive_parameters_hash`), without the values. The values are kept in the "+
			"state, like every sensitive attribute: protect the state. A parameter NCP holds that the state does not know "+
			"(added outside Terraform, or every parameter right after an import) is read into this map, since nothing says "+
			"its value may be shown; the next plan moves the others to `parameters`. Changes in place.", of),
		Validators: []validator.Map{mapvalidator.KeysAre(parameterKeyValidator{})},
	}
}

// sensitiveParametersHashAttribute is the computed hash of the sensitive
// parameters (hashSensitive).
func sensitiveParametersHashAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Computed: true,
		MarkdownDescription: "A keyed hash (`hmac-sha256:<hex>`) of `sensitive_parameters`, keys and values, null when there " +
			"are none. It changes exactly when a sensitive parameter does, so a change made outside Terraform shows in the plan " +
			"without any value, and other resources may refer to it to follow a secret's rotation. The key is derived from the " +
			"provider's NCP secret key: only its holder could test guesses against the hash. After a key rotation the next " +
			"refresh reports a new hash, with nothing to apply.",
	}
}

// parameterKeyValidator refuses an empty parameter name.
type parameterKeyValidator struct{}

func (parameterKeyValidator) Description(context.Context) string { return "must not be empty" }

func (v parameterKeyValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (parameterKeyValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() && req.ConfigValue.ValueString() == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Empty parameter name",
			fmt.Sprintf("Attribute %s: a parameter name must not be empty.", req.Path))
	}
}

// secretKeyOf returns the NCP secret key of the provider block, the key of
// sensitive_parameters_hash; ok is false before the provider is configured.
func secretKeyOf(meta *conns.Meta) (string, bool) {
	if meta == nil || meta.Client == nil {
		return "", false
	}
	return meta.Client.Config().SecretKey, true
}

// planSensitiveHash sets sensitive_parameters_hash in a plan from the
// planned sensitive_parameters: unknown while they are unknown (or the
// provider is not configured yet), the state's value while they do not
// change, else their hash.
func planSensitiveHash(ctx context.Context, meta *conns.Meta, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var planned types.Map
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root(attrSensitiveParameters), &planned)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hash := types.StringUnknown()
	if !planned.IsUnknown() {
		if key, ok := secretKeyOf(meta); ok {
			hash = hashSensitive(key, stringMap(ctx, planned, &resp.Diagnostics))
		}
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(attrSensitiveParametersHash), hash)...)
}
