package vpc

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// vpcModel holds the attributes ncp_vpc and the ncp_vpc data source share.
type vpcModel struct {
	ID                          types.String `tfsdk:"id"`
	VpcNo                       types.String `tfsdk:"vpc_no"`
	Name                        types.String `tfsdk:"name"`
	Ipv4CidrBlock               types.String `tfsdk:"ipv4_cidr_block"`
	DefaultNetworkAclNo         types.String `tfsdk:"default_network_acl_no"`
	DefaultAccessControlGroupNo types.String `tfsdk:"default_access_control_group_no"`
	DefaultPublicRouteTableNo   types.String `tfsdk:"default_public_route_table_no"`
	DefaultPrivateRouteTableNo  types.String `tfsdk:"default_private_route_table_no"`
}

// vpcResourceModel is ncp_vpc.
type vpcResourceModel struct {
	vpcModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// setVpc copies what NCP says about the VPC itself.
func (m *vpcModel) setVpc(v *wire.Vpc) {
	m.ID = types.StringValue(v.VpcNo)
	m.VpcNo = types.StringValue(v.VpcNo)
	m.Name = types.StringValue(v.VpcName)
	m.Ipv4CidrBlock = types.StringValue(v.Ipv4CidrBlock)
}

// setDefaults copies the numbers of the VPC's default objects.
func (m *vpcModel) setDefaults(d vpcDefaults) {
	m.DefaultNetworkAclNo = types.StringValue(d.NetworkAclNo)
	m.DefaultAccessControlGroupNo = types.StringValue(d.AccessControlGroupNo)
	m.DefaultPublicRouteTableNo = types.StringValue(d.PublicRouteTableNo)
	m.DefaultPrivateRouteTableNo = types.StringValue(d.PrivateRouteTableNo)
}

// defaultsKnown reports whether every default_* value is in state. They
// never change for the life of a VPC, so once known they are not read again.
func (m *vpcModel) defaultsKnown() bool {
	for _, v := range []types.String{m.DefaultNetworkAclNo, m.DefaultAccessControlGroupNo, m.DefaultPublicRouteTableNo, m.DefaultPrivateRouteTableNo} {
		if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
			return false
		}
	}
	return true
}

// nullUnknownDefaults turns default_* values that are still unknown into
// null, so that a partial state can be saved when Create fails half way.
func (m *vpcModel) nullUnknownDefaults() {
	for _, v := range []*types.String{&m.DefaultNetworkAclNo, &m.DefaultAccessControlGroupNo, &m.DefaultPublicRouteTableNo, &m.DefaultPrivateRouteTableNo} {
		if v.IsUnknown() {
			*v = types.StringNull()
		}
	}
}
