package vpc

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
)

// Schema describes ncp_vpc. Every argument forces a new VPC: the VPC API
// has no update action (ncp-api.md §5.3).
func (r *vpcResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a VPC (Virtual Private Cloud) of NAVER Cloud Platform.\n\n" +
			"NCP creates a default network ACL, a default access control group and two default route tables " +
			"(public and private) with every VPC; their numbers are exported. NCP cannot change a VPC in place, " +
			"so changing `name` or `ipv4_cidr_block` replaces it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The VPC number (same as `vpc_no`).",
				PlanModifiers:       stable,
			},
			"vpc_no": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The VPC number NCP assigned, e.g. `12345`.",
				PlanModifiers:       stable,
			},
			"name": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: fmt.Sprintf("Name of the VPC: %s; unique among the VPCs of the account. ", nameRule) +
					"When it is not set, the provider generates a unique name of the form `" + vpcNamePrefix + "-<8 random characters>` " +
					"before it creates the VPC, so that a create whose outcome is unknown (a dropped connection) can be " +
					"reconciled by looking the name up instead of creating a second VPC. Removing `name` from the " +
					"configuration keeps the current name. Changing it replaces the VPC.",
				Validators: []validator.String{nameValidator{}},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
					stringplanmodifier.RequiresReplace(),
				},
			},
			"ipv4_cidr_block": schema.StringAttribute{
				Required: true,
				MarkdownDescription: fmt.Sprintf("IPv4 address block of the VPC in CIDR notation, e.g. `10.0.0.0/16`. "+
					"It must be written with its network address, have a prefix length of /%d to /%d and lie inside "+
					"`10.0.0.0/8`, `172.16.0.0/12` or `192.168.0.0/16`. Changing it replaces the VPC.", minPrefixLen, maxPrefixLen),
				Validators:    []validator.String{cidrValidator{}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"default_network_acl_no": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Number of the network ACL NCP created with the VPC; subnets take it as `network_acl_no`.",
				PlanModifiers:       stable,
			},
			"default_access_control_group_no": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Number of the access control group (ACG) NCP created with the VPC.",
				PlanModifiers:       stable,
			},
			"default_public_route_table_no": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Number of the route table NCP created with the VPC for public subnets.",
				PlanModifiers:       stable,
			},
			"default_private_route_table_no": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Number of the route table NCP created with the VPC for private subnets.",
				PlanModifiers:       stable,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": framework.TimeoutsBlock(ctx, "the VPC to be created and become `RUN`", "the VPC to be deleted"),
		},
	}
}
