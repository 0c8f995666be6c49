package vpc

import (
	"context"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// statusVpc returns the refresh function of a VPC waiter: the VPC and its
// status, or wait.Gone when NCP no longer lists it.
func statusVpc(conn *vpcclient.Client, vpcNo string) func(context.Context) (*wire.Vpc, string, error) {
	return func(ctx context.Context) (*wire.Vpc, string, error) {
		v, err := FindVpcByNo(ctx, conn, vpcNo)
		if client.IsNotFound(err) {
			return nil, wait.Gone, nil
		}
		if err != nil {
			return nil, "", err
		}
		return v, statusOf(v.VpcStatus), nil
	}
}

// statusSubnet returns the refresh function of a subnet waiter: the subnet
// and its status, or wait.Gone when NCP no longer lists it.
func statusSubnet(conn *vpcclient.Client, subnetNo string) func(context.Context) (*wire.Subnet, string, error) {
	return func(ctx context.Context) (*wire.Subnet, string, error) {
		s, err := FindSubnetByNo(ctx, conn, subnetNo)
		if client.IsNotFound(err) {
			return nil, wait.Gone, nil
		}
		if err != nil {
			return nil, "", err
		}
		return s, statusOf(s.SubnetStatus), nil
	}
}

// statusNetworkAcl returns the refresh function of a network ACL waiter: the
// ACL and its status, or wait.Gone when NCP no longer lists it.
func statusNetworkAcl(conn *vpcclient.Client, networkAclNo string) func(context.Context) (*wire.NetworkAcl, string, error) {
	return func(ctx context.Context) (*wire.NetworkAcl, string, error) {
		acl, err := FindNetworkAclByNo(ctx, conn, networkAclNo)
		if client.IsNotFound(err) {
			return nil, wait.Gone, nil
		}
		if err != nil {
			return nil, "", err
		}
		return acl, statusOf(acl.NetworkAclStatus), nil
	}
}
