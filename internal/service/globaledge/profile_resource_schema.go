package globaledge

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// Schema describes ncp_global_edge_profile.
func (r *profileResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a Global Edge profile of NAVER Cloud Platform: the group that CDN edges " +
			"(`ncp_global_edge_cdn`) belong to. A profile can be renamed in place; it can only be deleted once it has no edges.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The profile ID NCP assigned, e.g. `1836`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Name of the profile: " + wire.NameRule + "; unique among the profiles of the account. " +
					"Changing it renames the profile in place.",
				Validators: []validator.String{nameValidator{}},
			},
			"customer_id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The NCP customer number the profile belongs to.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": framework.TimeoutsBlock(ctx, "the profile to be created",
				"the profile to be deleted, including the deletion of its last edges when a destroy deletes them first"),
		},
	}
}
