package framework

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
)

// ConfigureMeta returns the provider data handed to the Configure method of a
// resource or data source.
//
// It returns nil, without a diagnostic, when providerData is nil: Terraform
// calls Configure before the provider itself is configured (during
// validation), and the provider leaves its data unset while its
// configuration holds values not known until apply. Any other type is a
// provider bug and adds an error.
//
//	func (r *fooResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
//		r.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
//	}
func ConfigureMeta(providerData any, diags *diag.Diagnostics) *conns.Meta {
	if providerData == nil {
		return nil
	}
	meta, ok := providerData.(*conns.Meta)
	if !ok || meta == nil {
		diags.AddError(
			"Unexpected Provider Data Type",
			fmt.Sprintf("Expected *conns.Meta, got: %T. Please report this issue to the provider developers.", providerData),
		)
		return nil
	}
	return meta
}

// CheckConfigured reports whether meta is set. When it is not, it adds an
// error explaining that the provider is not configured yet, which happens
// when a provider argument depends on a value only known after apply. Call
// it at the start of every CRUD and Read method.
func CheckConfigured(meta *conns.Meta, diags *diag.Diagnostics) bool {
	if meta != nil {
		return true
	}
	diags.AddError(
		"Provider not configured",
		"The ncp provider has not been configured yet, most likely because an argument of its provider block "+
			"depends on a value that is only known after apply. Apply the resources that value comes from first "+
			"(for example with -target), or set the argument to a value known at plan time.",
	)
	return false
}
