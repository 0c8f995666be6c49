package vpc_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	ncplocalvpc "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
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

// checkDestroyed is a CheckDestroy that asserts through the provider's
// finders that no VPC or subnet of the state is left and, on an in-process
// ncplocal, through its inventory that no VPC, subnet, network ACL, route
// table or access control group is left at all.
func checkDestroyed(t *testing.T, g *acctest.Target) resource.TestCheckFunc {
	inventory := g.LocalCheck(t, "the emulator's inventory holds nothing", func(*terraform.State) error {
		left := g.Server(t, "inventory").Inventory().Accounts[account]
		for _, svc := range []string{"vpc", "vserver"} {
			if inv, ok := left[svc]; ok {
				return fmt.Errorf("objects left in ncplocal service %s after destroy: %+v", svc, inv)
			}
		}
		return nil
	})
	return func(s *terraform.State) error {
		ctx := context.Background()
		conn := vpcclient.New(g.Client(t))
		for _, rs := range s.RootModule().Resources {
			var err error
			switch rs.Type {
			case "ncp_vpc":
				_, err = vpc.FindVpcByNo(ctx, conn, rs.Primary.ID)
			case "ncp_subnet":
				_, err = vpc.FindSubnetByNo(ctx, conn, rs.Primary.ID)
			default:
				continue
			}
			if !client.IsNotFound(err) {
				return fmt.Errorf("%s %s is still there after destroy (look-up: %v)", rs.Type, rs.Primary.ID, err)
			}
		}
		return inventory(s)
	}
}

// deleteVpcOutOfBand deletes the VPC of resource address addr behind
// Terraform's back, waiting until it is gone.
func deleteVpcOutOfBand(t *testing.T, g *acctest.Target, addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in state", addr)
		}
		conn := vpcclient.New(g.Client(t))
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
// Terraform's back; with waitForIt, it waits until the subnet is gone.
func deleteSubnetOutOfBand(t *testing.T, g *acctest.Target, addr string, waitForIt bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in state", addr)
		}
		conn := vpcclient.New(g.Client(t))
		if _, err := conn.DeleteSubnet(context.Background(), rs.Primary.ID); err != nil || !waitForIt {
			return err
		}
		return waitGone(func(ctx context.Context) (int, error) {
			list, err := conn.GetSubnetDetail(ctx, rs.Primary.ID)
			return len(list), err
		})
	}
}

// checkVpcExists compares the state of the VPC at addr with what the
// provider's finders read from NCP: the VPC, in RUN, with the state's name
// and block, and the numbers of its default objects.
func checkVpcExists(t *testing.T, g *acctest.Target, addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in state", addr)
		}
		a := rs.Primary.Attributes
		ctx := context.Background()
		v, err := vpc.FindVpcByNo(ctx, vpcclient.New(g.Client(t)), rs.Primary.ID)
		if err != nil {
			return fmt.Errorf("%s: %w", addr, err)
		}
		if v.VpcName != a["name"] || v.Ipv4CidrBlock != a["ipv4_cidr_block"] || v.VpcStatus == nil || v.VpcStatus.Code != wire.StatusRun {
			return fmt.Errorf("NCP has VPC %+v, state has %v", v, a)
		}
		d, err := vpc.FindVpcDefaults(ctx, g.Client(t), rs.Primary.ID)
		if err != nil {
			return err
		}
		for attr, no := range map[string]string{"default_network_acl_no": d.NetworkAclNo, "default_access_control_group_no": d.AccessControlGroupNo,
			"default_public_route_table_no": d.PublicRouteTableNo, "default_private_route_table_no": d.PrivateRouteTableNo} {
			if a[attr] != no {
				return fmt.Errorf("%s = %q in state, NCP says %q", attr, a[attr], no)
			}
		}
		return nil
	}
}

// checkSubnetExists compares the state of the subnet at addr with what the
// provider's finder reads from NCP, and checks that it is RUN.
func checkSubnetExists(t *testing.T, g *acctest.Target, addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in state", addr)
		}
		a := rs.Primary.Attributes
		sn, err := vpc.FindSubnetByNo(context.Background(), vpcclient.New(g.Client(t)), rs.Primary.ID)
		if err != nil {
			return fmt.Errorf("%s: %w", addr, err)
		}
		if sn.SubnetNo != a["subnet_no"] || sn.VpcNo != a["vpc_no"] || sn.SubnetName != a["name"] || sn.Subnet != a["subnet"] ||
			sn.ZoneCode != a["zone"] || sn.NetworkAclNo != a["network_acl_no"] || code(sn.SubnetType) != a["subnet_type"] ||
			code(sn.UsageType) != a["usage_type"] || code(sn.SubnetStatus) != wire.StatusRun {
			return fmt.Errorf("NCP has subnet %+v, state has %v", sn, a)
		}
		return nil
	}
}

// code is the code of a {code, codeName} pair, "" when NCP sent none.
func code(c *legacy.CommonCode) string {
	if c == nil {
		return ""
	}
	return c.Code
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

// lazyString is a configuration variable whose value is read when the
// step's configuration is written, after the steps before it have run: for
// a value made out of band by an earlier step's Check.
type lazyString struct{ v *string }

// MarshalJSON implements config.Variable.
func (l lazyString) MarshalJSON() ([]byte, error) { return json.Marshal(*l.v) }

// createNetworkAclOutOfBand creates a second network ACL in the VPC of
// ncp_vpc.test and stores its number in *aclNo.
func createNetworkAclOutOfBand(t *testing.T, g *acctest.Target, aclNo *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[vpcAddr]
		if !ok {
			return fmt.Errorf("%s is not in state", vpcAddr)
		}
		acl, err := vpcclient.New(g.Client(t)).CreateNetworkAcl(context.Background(),
			vpcclient.CreateNetworkAclInput{VpcNo: rs.Primary.ID, Name: acctest.RandName("tf-acc-acl")})
		if err != nil {
			return fmt.Errorf("creating a second network ACL in VPC %s: %w", rs.Primary.ID, err)
		}
		*aclNo = acl.NetworkAclNo
		return nil
	}
}

// deleteNetworkAclOutOfBand deletes network ACL *aclNo.
func deleteNetworkAclOutOfBand(t *testing.T, g *acctest.Target, aclNo *string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		return vpcclient.New(g.Client(t)).DeleteNetworkAcl(context.Background(), *aclNo)
	}
}

// checkNetworkAclRun checks that network ACL *aclNo is RUN: a change that
// set it on a subnet has been applied.
func checkNetworkAclRun(t *testing.T, g *acctest.Target, aclNo *string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		acl, err := vpc.FindNetworkAclByNo(context.Background(), vpcclient.New(g.Client(t)), *aclNo)
		if err != nil {
			return err
		}
		if code(acl.NetworkAclStatus) != wire.StatusRun {
			return fmt.Errorf("network ACL %s is %s after the apply, want %s", *aclNo, code(acl.NetworkAclStatus), wire.StatusRun)
		}
		return nil
	}
}

// slowDeletes makes an in-process ncplocal's transitions last two seconds,
// so that an object being deleted stays so across a step; NCP is that slow
// by itself.
func slowDeletes(t *testing.T, g *acctest.Target) resource.TestCheckFunc {
	return g.LocalCheck(t, "NCP's deletions take seconds by themselves", func(*terraform.State) error {
		g.Server(t, "async delay").SetAsyncDelay(2 * time.Second)
		return nil
	})
}

// checkSubnetTerminating checks that the subnet at addr is being deleted
// (TERMTING). On NCP a subnet already gone is accepted, with a log line: how
// long NCP takes is not the provider's to choose.
func checkSubnetTerminating(t *testing.T, g *acctest.Target, addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id := s.RootModule().Resources[addr].Primary.ID
		sn, err := vpc.FindSubnetByNo(context.Background(), vpcclient.New(g.Client(t)), id)
		switch {
		case client.IsNotFound(err) && !g.Local():
			t.Logf("subnet %s was deleted at once; the re-run of the destroy does not meet it being deleted", id)
			return nil
		case err != nil:
			return err
		case code(sn.SubnetStatus) != wire.StatusTermting:
			return fmt.Errorf("subnet %s is %s, want %s", id, code(sn.SubnetStatus), wire.StatusTermting)
		}
		return nil
	}
}
