package vpc_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	ncplocalvpc "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	vserverwire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vserver"
)

// account is the ncplocal account of ncplocal.DefaultCredential, which the
// providers of acctest.ProviderFactories use.
var account = ncplocal.DefaultCredential.AccountID

// newMeta returns the provider data a resource gets from a provider wired to
// srv.
func newMeta(t *testing.T, srv *ncplocal.Server, opts ...func(*client.Config)) *conns.Meta {
	t.Helper()
	return &conns.Meta{Client: acctest.NewClient(t, srv, ncplocal.DefaultCredential, opts...), Region: "KR", Wait: acctest.TestWaitConfig}
}

// vpcInventory returns what srv holds in its VPC emulator for the test
// account; the zero Inventory when it holds nothing.
func vpcInventory(t *testing.T, srv *ncplocal.Server) ncplocalvpc.Inventory {
	t.Helper()
	var inv ncplocalvpc.Inventory
	if _, err := acctest.DecodeInventory(srv, account, ncplocalvpc.ServiceName, &inv); err != nil {
		t.Fatal(err)
	}
	return inv
}

// checkDestroyed is a CheckDestroy that asserts through the emulator's
// inventory that no VPC, subnet, network ACL, route table or access control
// group is left.
func checkDestroyed(srv *ncplocal.Server) func(*terraform.State) error {
	return func(*terraform.State) error {
		left := srv.Inventory().Accounts[account]
		for _, svc := range []string{"vpc", "vserver"} {
			if inv, ok := left[svc]; ok {
				return fmt.Errorf("objects left in ncplocal service %s after destroy: %+v", svc, inv)
			}
		}
		return nil
	}
}

// deleteVpcOutOfBand deletes the VPC of resource address addr behind
// Terraform's back, waiting until it is gone.
func deleteVpcOutOfBand(t *testing.T, srv *ncplocal.Server, addr string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in state", addr)
		}
		conn := vpcclient.New(acctest.NewClient(t, srv, ncplocal.DefaultCredential))
		if _, err := conn.DeleteVpc(context.Background(), rs.Primary.ID); err != nil {
			return err
		}
		return waitGone(func(ctx context.Context) (int, error) {
			list, err := conn.GetVpcDetail(ctx, rs.Primary.ID)
			return len(list), err
		})
	}
}

// deleteSubnetOutOfBand deletes the subnet of resource address addr behind
// Terraform's back.
func deleteSubnetOutOfBand(t *testing.T, srv *ncplocal.Server, addr string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in state", addr)
		}
		conn := vpcclient.New(acctest.NewClient(t, srv, ncplocal.DefaultCredential))
		if _, err := conn.DeleteSubnet(context.Background(), rs.Primary.ID); err != nil {
			return err
		}
		return waitGone(func(ctx context.Context) (int, error) {
			list, err := conn.GetSubnetDetail(ctx, rs.Primary.ID)
			return len(list), err
		})
	}
}

// waitGone polls count (the length of a Detail answer) until it is zero.
func waitGone(count func(context.Context) (int, error)) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := wait.Until(ctx, acctest.TestWaitConfig, "the out-of-band deletion", func(ctx context.Context) (int, string, error) {
		n, err := count(ctx)
		if n == 0 {
			return n, wait.Gone, err
		}
		return n, "EXISTS", err
	}, []string{"EXISTS"}, []string{wait.Gone})
	return err
}

// vpcDefaultAttrs are the attributes of ncp_vpc holding the numbers of the
// objects NCP creates with a VPC.
var vpcDefaultAttrs = []string{"default_network_acl_no", "default_access_control_group_no", "default_public_route_table_no", "default_private_route_table_no"}

// vpcDefaultsInInventory returns, keyed by the attributes of
// vpcDefaultAttrs, the numbers of the default objects of VPC vpcNo that srv
// holds: the network ACL and the route tables (by supportedSubnetType) from
// the VPC inventory, the access control group from the VServer one. An
// object srv does not hold has no key.
func vpcDefaultsInInventory(srv *ncplocal.Server, vpcNo string) (map[string]string, error) {
	var inv ncplocalvpc.Inventory
	if _, err := acctest.DecodeInventory(srv, account, ncplocalvpc.ServiceName, &inv); err != nil {
		return nil, err
	}
	defaults := map[string]string{}
	for _, acl := range inv.NetworkAcls {
		if acl.VpcNo == vpcNo && acl.IsDefault {
			defaults["default_network_acl_no"] = acl.NetworkAclNo
		}
	}
	for _, rt := range inv.RouteTables {
		if rt.VpcNo == vpcNo && rt.IsDefault {
			defaults["default_"+strings.ToLower(rt.SupportedSubnetType.Code)+"_route_table_no"] = rt.RouteTableNo
		}
	}
	var acgs struct {
		AccessControlGroups []vserverwire.AccessControlGroup `json:"accessControlGroups"`
	}
	if _, err := acctest.DecodeInventory(srv, account, "vserver", &acgs); err != nil {
		return nil, err
	}
	for _, acg := range acgs.AccessControlGroups {
		if acg.VpcNo == vpcNo && acg.IsDefault {
			defaults["default_access_control_group_no"] = acg.AccessControlGroupNo
		}
	}
	return defaults, nil
}

// numberRE matches an NCP object number.
var numberRE = regexp.MustCompile(`^[1-9][0-9]*$`)
