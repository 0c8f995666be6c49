package vpc

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// Sweepers: they delete what acceptance tests left behind in an account,
// the objects whose names start with a prefix (tf-acc-), in dependency
// order (internal/sweep runs them: subnets, network ACLs, then VPCs). Each
// deletes through the resources' own delete and waiters, and deletes what
// it can: one failure does not stop the others, all are returned.

// SweepSubnets deletes the subnets named prefix... and every subnet of a
// VPC named prefix..., waiting until they are gone.
func SweepSubnets(ctx context.Context, c *client.Client, cfg wait.Config, prefix string) error {
	conn := vpcclient.New(c)
	vpcs, err := sweptVpcs(ctx, conn, prefix)
	if err != nil {
		return err
	}
	subnets, err := listSubnets(ctx, conn, vpcclient.SubnetFilter{}, true)
	if err != nil {
		return err
	}
	var errs []error
	for _, s := range subnets {
		if !strings.HasPrefix(s.SubnetName, prefix) && !vpcs[s.VpcNo] {
			continue
		}
		tflog.Info(ctx, "sweeping subnet", map[string]any{"subnet_no": s.SubnetNo, "name": s.SubnetName})
		if err := deleteSubnetAndWait(ctx, conn, cfg, s.SubnetNo); err != nil && !client.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("subnet %s (%s): %w", s.SubnetNo, s.SubnetName, err))
		}
	}
	return errors.Join(errs...)
}

// SweepNetworkAcls deletes the network ACLs, other than the default one, of
// the VPCs named prefix...: NCP deletes a VPC only without them. Their
// subnets must be gone (SweepSubnets).
func SweepNetworkAcls(ctx context.Context, c *client.Client, prefix string) error {
	conn := vpcclient.New(c)
	vpcs, err := sweptVpcs(ctx, conn, prefix)
	if err != nil {
		return err
	}
	var errs []error
	for vpcNo := range vpcs {
		acls, err := conn.GetNetworkAclList(ctx, vpcNo)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, acl := range acls {
			if acl.IsDefault || acl.VpcNo != vpcNo || statusOf(acl.NetworkAclStatus) == wire.StatusTermting {
				continue
			}
			tflog.Info(ctx, "sweeping network ACL", map[string]any{"network_acl_no": acl.NetworkAclNo, "vpc_no": vpcNo})
			if err := conn.DeleteNetworkAcl(ctx, acl.NetworkAclNo); err != nil && !client.IsNotFound(err) {
				errs = append(errs, fmt.Errorf("network ACL %s of VPC %s: %w", acl.NetworkAclNo, vpcNo, err))
			}
		}
	}
	return errors.Join(errs...)
}

// SweepVpcs deletes the VPCs named prefix..., waiting until they are gone.
// Their subnets and extra network ACLs must be gone or going
// (SweepSubnets, SweepNetworkAcls).
func SweepVpcs(ctx context.Context, c *client.Client, cfg wait.Config, prefix string) error {
	conn := vpcclient.New(c)
	vpcs, err := sweptVpcs(ctx, conn, prefix)
	if err != nil {
		return err
	}
	var errs []error
	for vpcNo := range vpcs {
		tflog.Info(ctx, "sweeping VPC", map[string]any{"vpc_no": vpcNo})
		if err := deleteVpcAndWait(ctx, conn, cfg, vpcNo); err != nil && !client.IsNotFound(err) {
			errs = append(errs, fmt.Errorf("VPC %s: %w", vpcNo, err))
		}
	}
	return errors.Join(errs...)
}

// sweptVpcs returns the numbers of the VPCs named prefix..., those being
// deleted included.
func sweptVpcs(ctx context.Context, conn *vpcclient.Client, prefix string) (map[string]bool, error) {
	if prefix == "" {
		return nil, errors.New("refusing to sweep without a name prefix")
	}
	list, err := conn.GetVpcList(ctx, vpcclient.VpcFilter{})
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, v := range list {
		if strings.HasPrefix(v.VpcName, prefix) {
			out[v.VpcNo] = true
		}
	}
	return out, nil
}
