package vpc

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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
	_ datasource.DataSource                     = (*subnetDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*subnetDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*subnetDataSource)(nil)
)

// NewSubnetDataSource returns the ncp_subnet data source.
func NewSubnetDataSource() datasource.DataSource {
	return &subnetDataSource{}
}

// subnetDataSource looks up one existing subnet by number, or by its VPC
// and filters.
type subnetDataSource struct {
	meta *conns.Meta
}

// Metadata returns the type name ncp_subnet.
func (d *subnetDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_subnet"
}

// Schema describes the ncp_subnet data source: the attributes of the
// ncp_subnet resource, with subnet_no, or vpc_no and the filters, as lookup
// keys.
func (d *subnetDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	filter := func(what string) string {
		return what + " Used as a filter together with `vpc_no`; conflicts with `subnet_no`."
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an existing subnet, either by `subnet_no`, or by `vpc_no` together with any of the " +
			"filters `name`, `subnet`, `zone` and `subnet_type` (all must match). The lookup must match exactly one subnet.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The subnet number (same as `subnet_no`).",
			},
			"subnet_no": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Number of the subnet to look up, e.g. `23456`. Conflicts with `vpc_no` and the filters.",
				Validators:          []validator.String{numberValidator()},
			},
			"vpc_no": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Number of the VPC whose subnets are searched. Conflicts with `subnet_no`.",
				Validators:          []validator.String{numberValidator()},
			},
			"name": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: filter("Name of the subnet (exact match)."),
				Validators:          []validator.String{nameValidator{}},
			},
			"subnet": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: filter("IPv4 address block of the subnet, e.g. `10.0.1.0/24`."),
				Validators:          []validator.String{cidrValidator{}},
			},
			"zone": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: filter("Zone code of the subnet, e.g. `KR-1`."),
				Validators:          []validator.String{zoneValidator()},
			},
			"subnet_type": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: filter("`PUBLIC` or `PRIVATE`."),
				Validators:          []validator.String{stringvalidator.OneOf(subnetTypes...)},
			},
			"network_acl_no": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Number of the network ACL of the subnet.",
			},
			"usage_type": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "What the subnet is for: `GEN`, `LOADB`, `BM` or `NATGW`.",
			},
		},
	}
}

// ConfigValidators requires subnet_no or vpc_no, and keeps the filters away
// from subnet_no.
func (d *subnetDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("subnet_no"), path.MatchRoot("vpc_no")),
		datasourcevalidator.Conflicting(path.MatchRoot("subnet_no"), path.MatchRoot("name")),
		datasourcevalidator.Conflicting(path.MatchRoot("subnet_no"), path.MatchRoot("subnet")),
		datasourcevalidator.Conflicting(path.MatchRoot("subnet_no"), path.MatchRoot("zone")),
		datasourcevalidator.Conflicting(path.MatchRoot("subnet_no"), path.MatchRoot("subnet_type")),
	}
}

// Configure receives the provider's client.
func (d *subnetDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.meta = framework.ConfigureMeta(req.ProviderData, &resp.Diagnostics)
}

// Read finds the subnet.
func (d *subnetDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data subnetModel
	ctx, cancel, ok := framework.BeginDataSourceRead(ctx, d.meta, req.Config, &data, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	conn := vpcclient.New(d.meta.Client)

	var s *wire.Subnet
	if subnetNo := data.SubnetNo.ValueString(); subnetNo != "" {
		s = lookupByNumber(ctx, &resp.Diagnostics, "subnet_no", "subnet", subnetNo, d.meta.Region, conn, FindSubnetByNo,
			func(s *wire.Subnet) string { return statusOf(s.SubnetStatus) })
		if s == nil {
			return
		}
	} else {
		f := vpcclient.SubnetFilter{
			VpcNo:      data.VpcNo.ValueString(),
			Name:       data.Name.ValueString(),
			Subnet:     data.Subnet.ValueString(),
			ZoneCode:   data.Zone.ValueString(),
			SubnetType: data.SubnetType.ValueString(),
		}
		found, err := findSubnets(ctx, conn, f)
		if err != nil {
			framework.AddNCPError(&resp.Diagnostics, fmt.Sprintf("Error listing the subnets of VPC %s", f.VpcNo), err)
			return
		}
		switch len(found) {
		case 0:
			resp.Diagnostics.AddError("No subnet matched",
				fmt.Sprintf("No subnet matched %s. Subnets being deleted (%s) are not matched.", describeSubnetFilter(f), wire.StatusTermting))
			return
		case 1:
			s = &found[0]
		default:
			nos := make([]string, len(found))
			for i, sn := range found {
				nos[i] = sn.SubnetNo
			}
			resp.Diagnostics.AddError("Several subnets matched",
				fmt.Sprintf("%d subnets matched %s (subnet_no %s); add filters or look the subnet up by subnet_no.",
					len(found), describeSubnetFilter(f), strings.Join(nos, ", ")))
			return
		}
	}
	data.setSubnet(s)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

// describeSubnetFilter renders the lookup for messages, e.g.
// `vpc_no = "12345", zone = "KR-1"`.
func describeSubnetFilter(f vpcclient.SubnetFilter) string {
	var parts []string
	for _, kv := range [][2]string{
		{"vpc_no", f.VpcNo}, {"name", f.Name}, {"subnet", f.Subnet}, {"zone", f.ZoneCode}, {"subnet_type", f.SubnetType},
	} {
		if kv[1] != "" {
			parts = append(parts, fmt.Sprintf("%s = %q", kv[0], kv[1]))
		}
	}
	return strings.Join(parts, ", ")
}
