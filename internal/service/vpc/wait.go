package vpc

import (
	"context"
	"fmt"

	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// The waiters poll on cfg, the provider's wait schedule (conns.Meta.Wait),
// until ctx ends. Create and Delete bound ctx with the value of the
// resource's timeouts block, so that the whole operation (call, wait and
// follow-up reads) keeps within it.

// waitVpcCreated waits until VPC vpcNo is RUN and returns it.
func waitVpcCreated(ctx context.Context, conn *vpcclient.Client, cfg wait.Config, vpcNo string) (*wire.Vpc, error) {
	return wait.Until(ctx, cfg.WithTypical(vpcclient.TypicalVpcTransition), fmt.Sprintf("VPC %s to become %s", vpcNo, wire.StatusRun), statusVpc(conn, vpcNo),
		[]string{wire.StatusInit, wire.StatusCreating}, []string{wire.StatusRun})
}

// waitVpcDeleted waits until VPC vpcNo is gone.
func waitVpcDeleted(ctx context.Context, conn *vpcclient.Client, cfg wait.Config, vpcNo string) error {
	_, err := wait.Until(ctx, cfg.WithTypical(vpcclient.TypicalVpcTransition), fmt.Sprintf("VPC %s to be deleted", vpcNo), statusVpc(conn, vpcNo),
		[]string{wire.StatusRun, wire.StatusTermting}, []string{wait.Gone})
	return err
}

// waitSubnetCreated waits until subnet subnetNo is RUN and returns it.
func waitSubnetCreated(ctx context.Context, conn *vpcclient.Client, cfg wait.Config, subnetNo string) (*wire.Subnet, error) {
	return wait.Until(ctx, cfg.WithTypical(vpcclient.TypicalSubnetTransition), fmt.Sprintf("subnet %s to become %s", subnetNo, wire.StatusRun), statusSubnet(conn, subnetNo),
		[]string{wire.StatusInit, wire.StatusCreating}, []string{wire.StatusRun})
}

// waitSubnetDeleted waits until subnet subnetNo is gone.
func waitSubnetDeleted(ctx context.Context, conn *vpcclient.Client, cfg wait.Config, subnetNo string) error {
	_, err := wait.Until(ctx, cfg.WithTypical(vpcclient.TypicalSubnetTransition), fmt.Sprintf("subnet %s to be deleted", subnetNo), statusSubnet(conn, subnetNo),
		[]string{wire.StatusRun, wire.StatusTermting}, []string{wait.Gone})
	return err
}

// subnetsInUse is the status waitSubnetsOfVpcDeleted polls for when a
// subnet of the VPC is not being deleted.
const subnetsInUse = "a subnet in use"

// waitSubnetsOfVpcDeleted decides NCP's refusal to delete VPC vpcNo while it
// has subnets: while every subnet left is being deleted (TERMTING) it waits,
// and reports true (send the delete again) once they are gone; when one is
// not being deleted, the refusal stands (false). When the VPC has no subnet
// at all, something else is in the way (a network ACL besides its default
// one [?]), and the refusal stands too.
func waitSubnetsOfVpcDeleted(ctx context.Context, conn *vpcclient.Client, cfg wait.Config, vpcNo string) (bool, error) {
	ofVpc := vpcclient.SubnetFilter{VpcNo: vpcNo}
	if left, err := listSubnets(ctx, conn, ofVpc, true); err != nil || len(left) == 0 {
		return false, err
	}
	st, err := wait.Until(ctx, cfg, fmt.Sprintf("the subnets of VPC %s to be deleted", vpcNo),
		func(ctx context.Context) (string, string, error) {
			left, err := listSubnets(ctx, conn, ofVpc, true)
			if err != nil {
				return "", "", err
			}
			st := wait.Gone
			for _, s := range left {
				if statusOf(s.SubnetStatus) != wire.StatusTermting {
					return subnetsInUse, subnetsInUse, nil
				}
				st = wire.StatusTermting
			}
			return st, st, nil
		}, []string{wire.StatusTermting}, []string{wait.Gone, subnetsInUse})
	return err == nil && st == wait.Gone, err
}

// waitNetworkAclApplied waits until network ACL networkAclNo, just set on a
// subnet, leaves SET (the change being applied) for RUN (ncp-api.md §5.4).
func waitNetworkAclApplied(ctx context.Context, conn *vpcclient.Client, cfg wait.Config, networkAclNo string) error {
	_, err := wait.Until(ctx, cfg, fmt.Sprintf("network ACL %s to be applied (%s)", networkAclNo, wire.StatusRun),
		statusNetworkAcl(conn, networkAclNo), []string{wire.StatusSet}, []string{wire.StatusRun})
	return err
}
