package vpc

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

var (
	_ datasource.DataSource                     = (*vpcDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*vpcDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*vpcDataSource)(nil)
)

// NewVpcDataSource returns the ncp_vpc data source.
func NewVpcDataSource() datasource.DataSource {
	return &vpcDataSource{}
}

// vpcDataSource looks up one existing VPC by number or by name.
type vpcDataSource struct {
	meta *conns.Meta
}

// Metadata returns the type name ncp_vpc.
func (d *vpcDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_vpc"
}

// Schema describes the ncp_vpc data source: the attributes of the ncp_vpc
// resource, with vpc_no and name as the lookup keys.
func (d *vpcDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an existing VPC by its number or its name. Exactly one of `vpc_no` and `name` must be " +
			"set, and it must match exactly one VPC.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The VPC number (same as `vpc_no`).",
			},
			"vpc_no": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Number of the VPC to look up, e.g. `12345`. Conflicts with `name`.",
				Validators:          []validator.String{numberValidator()},
			},
			"name": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Name of the VPC to look up (exact match). Conflicts with `vpc_no`.",
				Validators:          []validator.String{nameValidator{}},
			},
			"ipv4_cidr_block": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "IPv4 address block of the VPC, e.g. `10.0.0.0/16`.",
			},
			"default_network_acl_no": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Number of the network ACL NCP created with the VPC.",
			},
			"default_access_control_group_no": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Number of the access control group (ACG) NCP created with the VPC.",
			},
			"default_public_route_table_no": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Number of the route table NCP created with the VPC for public subnets.",
			},
			"default_private_route_table_no": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Number of the route table NCP created with the VPC for private subnets.",
			},
		},
	}
}

// ConfigValidators requires exactly one lookup key.
func (d *vpcDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("vpc_no"), path.MatchRoot("name")),
	}
}

// Configure receives the provider's client.
func (d *vpcDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

// Read finds the VPC and the numbers of its default objects.
func (d *vpcDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data vpcModel
	ctx, cancel, ok := framework.BeginDataSourceRead(ctx, d.meta, req.Config, &data, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	conn := vpcclient.New(d.meta.Client)

	var v *wire.Vpc
	if vpcNo := data.VpcNo.ValueString(); vpcNo != "" {
		v = lookupByNumber(ctx, &resp.Diagnostics, "vpc_no", "VPC", vpcNo, d.meta.Region, conn, FindVpcByNo,
			func(v *wire.Vpc) string { return statusOf(v.VpcStatus) })
		if v == nil {
			return
		}
	} else {
		name := data.Name.ValueString()
		found, err := findVpcsByName(ctx, conn, name)
		if err != nil {
			framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error listing VPCs named %q", name), err)
			return
		}
		switch len(found) {
		case 0:
			resp.Diagnostics.AddAttributeError(path.Root("name"), "No VPC matched",
				fmt.Sprintf("No VPC matched: there is no VPC named %q in region %s. VPCs being deleted (%s) are not matched.", name, d.meta.Region, wire.StatusTermting))
			return
		case 1:
			v = &found[0]
		default:
			resp.Diagnostics.AddAttributeError(path.Root("name"), "Several VPCs matched",
				fmt.Sprintf("%d VPCs matched the name %q; look the VPC up by vpc_no instead.", len(found), name))
			return
		}
	}

	data.setVpc(v)
	defaults, err := findVpcDefaults(ctx, d.meta.Client, v.VpcNo)
	if err != nil {
		framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error reading the default objects of VPC %s", v.VpcNo), err)
		return
	}
	data.setDefaults(defaults)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}
