package vpc

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// subnetModel holds the attributes ncp_subnet and the ncp_subnet data source
// share.
type subnetModel struct {
	ID           types.String `tfsdk:"id"`
	SubnetNo     types.String `tfsdk:"subnet_no"`
	VpcNo        types.String `tfsdk:"vpc_no"`
	Subnet       types.String `tfsdk:"subnet"`
	Zone         types.String `tfsdk:"zone"`
	NetworkAclNo types.String `tfsdk:"network_acl_no"`
	SubnetType   types.String `tfsdk:"subnet_type"`
	UsageType    types.String `tfsdk:"usage_type"`
	Name         types.String `tfsdk:"name"`
}

// subnetResourceModel is ncp_subnet.
type subnetResourceModel struct {
	subnetModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// setSubnet copies what NCP says about the subnet.
func (m *subnetModel) setSubnet(s *wire.Subnet) {
	m.ID = types.StringValue(s.SubnetNo)
	m.SubnetNo = types.StringValue(s.SubnetNo)
	m.VpcNo = types.StringValue(s.VpcNo)
	m.Subnet = types.StringValue(s.Subnet)
	m.Zone = types.StringValue(s.ZoneCode)
	m.NetworkAclNo = types.StringValue(s.NetworkAclNo)
	m.SubnetType = types.StringValue(code(s.SubnetType))
	m.UsageType = types.StringValue(code(s.UsageType))
	m.Name = types.StringValue(s.SubnetName)
}
