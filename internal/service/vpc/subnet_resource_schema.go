package vpc

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// Allowed values of subnet_type and usage_type (ncp-api.md §5.3).
var (
	subnetTypes = wire.SubnetTypes
	usageTypes  = wire.UsageTypes
)

// Schema describes ncp_subnet. network_acl_no changes in place
// (setSubnetNetworkAcl, ncp-api.md §5.3); every other argument forces a new
// subnet: the VPC API has no action that changes them.
func (r *subnetResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a subnet of an NCP VPC. Changing `network_acl_no` changes the subnet's network ACL " +
			"in place; NCP cannot change anything else of a subnet, so changing any other argument replaces it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The subnet number (same as `subnet_no`).",
				PlanModifiers:       stable,
			},
			"subnet_no": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The subnet number NCP assigned, e.g. `23456`.",
				PlanModifiers:       stable,
			},
			"vpc_no": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Number of the VPC the subnet belongs to (`ncp_vpc.<name>.vpc_no`). Changing it replaces the subnet.",
				Validators:          []validator.String{numberValidator()},
				PlanModifiers:       replace,
			},
			"subnet": schema.StringAttribute{
				Required: true,
				MarkdownDescription: fmt.Sprintf("IPv4 address block of the subnet in CIDR notation, e.g. `10.0.1.0/24`. It must be "+
					"written with its network address, have a prefix length of /%d to /%d, lie inside the VPC's "+
					"`ipv4_cidr_block` and overlap no other subnet of the VPC (NCP checks the last two). Changing it "+
					"replaces the subnet.", minPrefixLen, maxPrefixLen),
				Validators:    []validator.String{cidrValidator{}},
				PlanModifiers: replace,
			},
			"zone": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Zone code of the subnet, e.g. `KR-1` or `KR-2` (see the `ncp_zones` data source). " +
					"Changing it replaces the subnet.",
				Validators:    []validator.String{zoneValidator()},
				PlanModifiers: replace,
			},
			"network_acl_no": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Number of the network ACL of the subnet, a network ACL of the same VPC, e.g. " +
					"`ncp_vpc.<name>.default_network_acl_no`. Changing it changes the subnet's ACL in place and waits " +
					"until NCP has applied the change (the ACL leaves status `SET`).",
				Validators: []validator.String{numberValidator()},
			},
			"subnet_type": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "`PUBLIC` (servers may get public IPs; routed through the internet gateway) or " +
					"`PRIVATE`. Changing it replaces the subnet.",
				Validators:    []validator.String{stringvalidator.OneOf(subnetTypes...)},
				PlanModifiers: replace,
			},
			"usage_type": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(wire.UsageTypeGen),
				MarkdownDescription: "What the subnet is for: `GEN` (general, the default), `LOADB` (load balancers only), " +
					"`BM` (bare metal servers only) or `NATGW` (NAT gateways only). Changing it replaces the subnet.",
				Validators:    []validator.String{stringvalidator.OneOf(usageTypes...)},
				PlanModifiers: replace,
			},
			"name": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: fmt.Sprintf("Name of the subnet: %s; unique within the VPC. ", nameRule) +
					"When it is not set, the provider generates a unique name of the form `" + subnetNamePrefix +
					"-<8 random characters>` before it creates the subnet. Removing `name` from the configuration keeps " +
					"the current name. Changing it replaces the subnet.",
				Validators: []validator.String{nameValidator{}},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
					stringplanmodifier.RequiresReplace(),
				},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": framework.TimeoutsBlockWithUpdate(ctx, "the subnet to be created and become `RUN`",
				"a change of `network_acl_no` to be applied", "the subnet to be deleted"),
		},
	}
}
