package vpc_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
)

const subnetAddr = "ncp_subnet.test"

// generatedSubnetName matches the name the provider gives a subnet without
// one.
var generatedSubnetName = regexp.MustCompile(`^tf-subnet-[a-z0-9]{8}$`)

// subnetConfig is one ncp_subnet block. Empty fields are left out, except
// vpcNo and aclNo, which default to the VPC of testAccSubnetConfig.
type subnetConfig struct {
	label, name, cidr, zone, typ, usage, timeouts string
	vpcNo, aclNo                                  string
}

func (c subnetConfig) String() string {
	if c.label == "" {
		c.label = "test"
	}
	if c.vpcNo == "" {
		c.vpcNo = "ncp_vpc.test.vpc_no"
	}
	if c.aclNo == "" {
		c.aclNo = "ncp_vpc.test.default_network_acl_no"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"ncp_subnet\" %q {\n", c.label)
	fmt.Fprintf(&b, "  vpc_no         = %s\n", c.vpcNo)
	fmt.Fprintf(&b, "  network_acl_no = %s\n", c.aclNo)
	fmt.Fprintf(&b, "  subnet         = %q\n", c.cidr)
	fmt.Fprintf(&b, "  zone           = %q\n", c.zone)
	fmt.Fprintf(&b, "  subnet_type    = %q\n", c.typ)
	if c.usage != "" {
		fmt.Fprintf(&b, "  usage_type     = %q\n", c.usage)
	}
	if c.name != "" {
		fmt.Fprintf(&b, "  name           = %q\n", c.name)
	}
	if c.timeouts != "" {
		fmt.Fprintf(&b, "\n  timeouts {\n    create = %q\n    delete = %q\n  }\n", c.timeouts, c.timeouts)
	}
	b.WriteString("}\n")
	return b.String()
}

// testAccSubnetConfig is a VPC named vpcName with block 10.60.0.0/16 and
// the given subnets.
func testAccSubnetConfig(vpcName string, subnets ...subnetConfig) string {
	blocks := []string{vpcResourceConfig("test", vpcName, "10.60.0.0/16", "")}
	for _, s := range subnets {
		blocks = append(blocks, s.String())
	}
	return acctest.ConfigCompose(blocks...)
}

// subnetStateChecks asserts the attributes of the subnet at addr.
func subnetStateChecks(addr string, name knownvalue.Check, cidr, zone, typ, usage string) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), name),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("subnet"), knownvalue.StringExact(cidr)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("zone"), knownvalue.StringExact(zone)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("subnet_type"), knownvalue.StringExact(typ)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("usage_type"), knownvalue.StringExact(usage)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("subnet_no"), knownvalue.StringRegexp(numberRE)),
		statecheck.CompareValuePairs(addr, tfjsonpath.New("id"), addr, tfjsonpath.New("subnet_no"), compare.ValuesSame()),
		statecheck.CompareValuePairs(addr, tfjsonpath.New("vpc_no"), vpcAddr, tfjsonpath.New("vpc_no"), compare.ValuesSame()),
		statecheck.CompareValuePairs(addr, tfjsonpath.New("network_acl_no"), vpcAddr, tfjsonpath.New("default_network_acl_no"), compare.ValuesSame()),
	}
}

// checkSubnetInInventory compares the state of ncp_subnet.test with what
// ncplocal holds, and checks that it is the only subnet.
func checkSubnetInInventory(t *testing.T, srv *ncplocal.Server) resource.TestCheckFunc {
	return checkSubnetAtInInventory(t, srv, subnetAddr)
}

// checkSubnetAtInInventory is checkSubnetInInventory for the subnet at addr.
func checkSubnetAtInInventory(t *testing.T, srv *ncplocal.Server, addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in state", addr)
		}
		a := rs.Primary.Attributes
		inv := vpcInventory(t, srv)
		if len(inv.Subnets) != 1 {
			return fmt.Errorf("ncplocal holds %d subnets, want 1: %+v", len(inv.Subnets), inv.Subnets)
		}
		sn := inv.Subnets[0]
		if sn.SubnetNo != a["subnet_no"] || sn.VpcNo != a["vpc_no"] || sn.SubnetName != a["name"] || sn.Subnet != a["subnet"] ||
			sn.ZoneCode != a["zone"] || sn.NetworkAclNo != a["network_acl_no"] || sn.SubnetType.Code != a["subnet_type"] ||
			sn.UsageType.Code != a["usage_type"] || sn.SubnetStatus.Code != "RUN" {
			return fmt.Errorf("ncplocal holds subnet %+v, state has %v", sn, a)
		}
		return nil
	}
}

func TestAccSubnet_basic(t *testing.T) {
	srv := acctest.StartServer(t)
	vpcName, name := acctest.RandName("tf-acc-vpc"), acctest.RandName("tf-acc-subnet")
	acctest.ParallelTest(t, srv, resource.TestCase{
		CheckDestroy: checkDestroyed(srv),
		Steps: []resource.TestStep{{
			Config:            testAccSubnetConfig(vpcName, subnetConfig{name: name, cidr: "10.60.1.0/24", zone: "KR-2", typ: "PRIVATE"}),
			ConfigStateChecks: subnetStateChecks(subnetAddr, knownvalue.StringExact(name), "10.60.1.0/24", "KR-2", "PRIVATE", "GEN"),
			Check:             checkSubnetInInventory(t, srv),
			ConfigPlanChecks:  acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(subnetAddr, plancheck.ResourceActionCreate)),
		}},
	})
}

func TestAccSubnet_update(t *testing.T) {
	srv := acctest.StartServer(t)
	vpcName, name1, name2 := acctest.RandName("tf-acc-vpc"), acctest.RandName("tf-acc-subnet"), acctest.RandName("tf-acc-subnet")
	base := subnetConfig{name: name1, cidr: "10.60.1.0/24", zone: "KR-2", typ: "PRIVATE"}
	step := func(c subnetConfig, action plancheck.ResourceActionType, usage string) resource.TestStep {
		return resource.TestStep{
			Config:            testAccSubnetConfig(vpcName, c),
			ConfigStateChecks: subnetStateChecks(subnetAddr, knownvalue.StringExact(c.name), c.cidr, c.zone, c.typ, usage),
			Check:             checkSubnetInInventory(t, srv),
			ConfigPlanChecks: acctest.EmptyPlanAfterApply(
				plancheck.ExpectResourceAction(subnetAddr, action),
				// The VPC is never touched by subnet changes.
				plancheck.ExpectResourceAction(vpcAddr, plancheck.ResourceActionNoop),
			),
		}
	}
	first := step(base, plancheck.ResourceActionCreate, "GEN")
	first.ConfigPlanChecks.PreApply = []plancheck.PlanCheck{plancheck.ExpectResourceAction(subnetAddr, plancheck.ResourceActionCreate)}
	replace := plancheck.ResourceActionDestroyBeforeCreate
	steps := []resource.TestStep{first}
	c := base
	c.name = name2
	steps = append(steps, step(c, replace, "GEN"))
	c.cidr = "10.60.2.0/24"
	steps = append(steps, step(c, replace, "GEN"))
	c.zone = "KR-1"
	steps = append(steps, step(c, replace, "GEN"))
	c.typ = "PUBLIC"
	steps = append(steps, step(c, replace, "GEN"))
	c.usage = "LOADB"
	steps = append(steps, step(c, replace, "LOADB"))
	c.timeouts = "15m"
	last := step(c, plancheck.ResourceActionUpdate, "LOADB")
	last.ConfigStateChecks = append(last.ConfigStateChecks,
		statecheck.ExpectKnownValue(subnetAddr, tfjsonpath.New("timeouts").AtMapKey("delete"), knownvalue.StringExact("15m")))
	steps = append(steps, last)

	acctest.ParallelTest(t, srv, resource.TestCase{
		CheckDestroy: checkDestroyed(srv),
		Steps:        steps,
	})
}

func TestAccSubnet_generatedName(t *testing.T) {
	srv := acctest.StartServer(t)
	generated := generatedSubnetName
	cfg := subnetConfig{cidr: "10.60.3.0/24", zone: "KR-1", typ: "PUBLIC", usage: "NATGW"}
	acctest.ParallelTest(t, srv, resource.TestCase{
		CheckDestroy: checkDestroyed(srv),
		Steps: []resource.TestStep{{
			Config:            testAccSubnetConfig("", cfg),
			ConfigStateChecks: subnetStateChecks(subnetAddr, knownvalue.StringRegexp(generated), "10.60.3.0/24", "KR-1", "PUBLIC", "NATGW"),
			Check:             checkSubnetInInventory(t, srv),
			ConfigPlanChecks:  acctest.EmptyPlanAfterApply(plancheck.ExpectUnknownValue(subnetAddr, tfjsonpath.New("name"))),
		}},
	})
}

func TestAccSubnet_import(t *testing.T) {
	srv := acctest.StartServer(t)
	name := acctest.RandName("tf-acc-subnet")
	cfg := testAccSubnetConfig(acctest.RandName("tf-acc-vpc"),
		subnetConfig{name: name, cidr: "10.60.4.0/24", zone: "KR-2", typ: "PRIVATE", usage: "BM"})
	acctest.ParallelTest(t, srv, resource.TestCase{
		CheckDestroy: checkDestroyed(srv),
		Steps: []resource.TestStep{
			{
				// The subnet the import steps import.
				Config:            cfg,
				ConfigStateChecks: subnetStateChecks(subnetAddr, knownvalue.StringExact(name), "10.60.4.0/24", "KR-2", "PRIVATE", "BM"),
				Check:             checkSubnetInInventory(t, srv),
				ConfigPlanChecks:  acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(subnetAddr, plancheck.ResourceActionCreate)),
			},
			acctest.ImportStep(cfg, subnetAddr, ""),
			acctest.ImportBlockStep(cfg, subnetAddr, "",
				plancheck.ExpectKnownValue(subnetAddr, tfjsonpath.New("usage_type"), knownvalue.StringExact("BM")),
			),
			acctest.ImportErrorStep(cfg, subnetAddr, "10.60.4.0/24",
				acctest.ErrorPattern(`The import ID of a subnet is its number (subnet_no), such as 12345; got "10.60.4.0/24".`)),
		},
	})
}

func TestAccSubnet_disappears(t *testing.T) {
	srv := acctest.StartServer(t)
	cfg := testAccSubnetConfig("", subnetConfig{cidr: "10.60.5.0/24", zone: "KR-2", typ: "PRIVATE"})
	acctest.ParallelTest(t, srv, resource.TestCase{
		CheckDestroy: checkDestroyed(srv),
		Steps: acctest.DisappearsSteps(cfg, subnetAddr, deleteSubnetOutOfBand(t, srv, subnetAddr), checkSubnetInInventory(t, srv),
			// The VPC stays as it is.
			plancheck.ExpectResourceAction(vpcAddr, plancheck.ResourceActionNoop)),
	})
}

func TestAccSubnet_badInput(t *testing.T) {
	srv := acctest.StartServer(t)
	ok := subnetConfig{cidr: "10.60.1.0/24", zone: "KR-2", typ: "PRIVATE", vpcNo: `"12345"`, aclNo: `"12346"`}
	var steps []resource.TestStep
	for _, tc := range []struct {
		edit func(*subnetConfig)
		want string
	}{
		{func(c *subnetConfig) { c.cidr = "10.60.1.0/33" }, `Attribute subnet: "10.60.1.0/33" is not an IPv4 CIDR block such as 10.0.0.0/16.`},
		{func(c *subnetConfig) { c.cidr = "10.60.1.0/30" }, `Attribute subnet: "10.60.1.0/30" has prefix length /30: the prefix length must be /16 to /28.`},
		{func(c *subnetConfig) { c.cidr = "10.60.1.1/24" }, `Attribute subnet: "10.60.1.1/24" is not written with its network address: use "10.60.1.0/24".`},
		{func(c *subnetConfig) { c.cidr = "100.64.0.0/24" }, `Attribute subnet: "100.64.0.0/24" is not a private block`},
		{func(c *subnetConfig) { c.name = "my_subnet" }, `Attribute name: "my_subnet" is not a valid NCP name: it contains '_' at position 3, which is not a lowercase letter, a digit or a hyphen.`},
		{func(c *subnetConfig) { c.zone = "kr-2" }, `Attribute zone must be an NCP zone code: upper-case letters, a hyphen and digits, such as KR-1 or KR-2, got: kr-2`},
		{func(c *subnetConfig) { c.typ = "public" }, `Attribute subnet_type value must be one of: ["PUBLIC" "PRIVATE"], got: "public"`},
		{func(c *subnetConfig) { c.usage = "gen" }, `Attribute usage_type value must be one of: ["GEN" "LOADB" "BM" "NATGW"], got: "gen"`},
		{func(c *subnetConfig) { c.vpcNo = `"vpc-1"` }, `Attribute vpc_no must be an NCP object number: decimal digits, such as 12345, got: vpc-1`},
		{func(c *subnetConfig) { c.aclNo = `"0"` }, `Attribute network_acl_no must be an NCP object number`},
	} {
		c := ok
		tc.edit(&c)
		steps = append(steps, resource.TestStep{
			Config:      acctest.ConfigCompose(c.String()),
			PlanOnly:    true,
			ExpectError: acctest.ErrorPattern(tc.want),
		})
	}

	// Errors only NCP can find surface NCP's code and message.
	vpcName := acctest.RandName("tf-acc-vpc")
	first := subnetConfig{label: "first", cidr: "10.60.1.0/24", zone: "KR-2", typ: "PRIVATE"}
	const firstAddr = "ncp_subnet.first"
	steps = append(steps,
		resource.TestStep{
			Config: testAccSubnetConfig(vpcName, subnetConfig{cidr: "10.61.1.0/24", zone: "KR-2", typ: "PRIVATE"}),
			ExpectError: acctest.ErrorPattern(`Error creating subnet`, `NCP returned error 1000102: subnet 10.61.1.0/24 is not inside the ipv4CidrBlock 10.60.0.0/16 of VPC`,
				`Call: vpc createSubnet`),
		},
		resource.TestStep{
			// The subnet the next step overlaps; the VPC exists since the
			// step before (only its subnet failed).
			Config:            testAccSubnetConfig(vpcName, first),
			ConfigStateChecks: subnetStateChecks(firstAddr, knownvalue.StringRegexp(generatedSubnetName), "10.60.1.0/24", "KR-2", "PRIVATE", "GEN"),
			Check:             checkSubnetAtInInventory(t, srv, firstAddr),
			ConfigPlanChecks: acctest.EmptyPlanAfterApply(
				plancheck.ExpectResourceAction(firstAddr, plancheck.ResourceActionCreate),
				plancheck.ExpectResourceAction(vpcAddr, plancheck.ResourceActionNoop),
			),
		},
		resource.TestStep{
			Config:      testAccSubnetConfig(vpcName, first, subnetConfig{cidr: "10.60.1.128/25", zone: "KR-2", typ: "PRIVATE"}),
			ExpectError: acctest.ErrorPattern(`Error creating subnet`, `NCP returned error 1000102: subnet 10.60.1.128/25 overlaps 10.60.1.0/24 of subnet`),
		},
		resource.TestStep{
			Config: testAccSubnetConfig(vpcName, first, subnetConfig{cidr: "10.60.9.0/24", zone: "KR-3", typ: "PRIVATE"}),
			ExpectError: acctest.ErrorPattern(`Error creating subnet`,
				`NCP returned error 1000036: zoneCode "KR-3" is not a zone of region KR (use KR-2 or KR-1)`),
		},
	)
	acctest.ParallelTest(t, srv, resource.TestCase{
		CheckDestroy: checkDestroyed(srv),
		Steps:        steps,
	})
}

// TestAccSubnet_deleteDroppedConnection destroys a VPC and its subnet while
// ncplocal drops the connection of every delete after carrying it out: the
// provider sees the objects being deleted and waits for them to go, instead
// of failing or deleting twice.
func TestAccSubnet_deleteDroppedConnection(t *testing.T) {
	srv := acctest.StartServer(t)
	cfg := testAccSubnetConfig("", subnetConfig{cidr: "10.60.6.0/24", zone: "KR-1", typ: "PRIVATE"})
	acctest.ParallelTest(t, srv, resource.TestCase{
		CheckDestroy: func(s *terraform.State) error {
			if _, injected := srv.Faults(); injected != 2 {
				return fmt.Errorf("%d faults injected, want 2 (deleteSubnet and deleteVpc)", injected)
			}
			if calls := srv.Calls(); calls["vpc:deleteSubnet"] != 1 || calls["vpc:deleteVpc"] != 1 {
				return fmt.Errorf("calls = %v, want one deleteSubnet and one deleteVpc", calls)
			}
			return checkDestroyed(srv)(s)
		},
		Steps: []resource.TestStep{
			{
				// The VPC and subnet the next step destroys.
				Config:            cfg,
				ConfigStateChecks: subnetStateChecks(subnetAddr, knownvalue.StringRegexp(generatedSubnetName), "10.60.6.0/24", "KR-1", "PRIVATE", "GEN"),
				Check:             resource.ComposeAggregateTestCheckFunc(checkVpcInInventory(t, srv), checkSubnetInInventory(t, srv)),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(
					plancheck.ExpectResourceAction(vpcAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(subnetAddr, plancheck.ResourceActionCreate),
				),
			},
			{
				PreConfig: func() {
					if err := srv.SetFaults([]ncplocal.FaultRule{{Pattern: "^/vpc/v2/delete(Vpc|Subnet)$", Rate: 1, Kinds: []string{ncplocal.FaultReset}}}); err != nil {
						t.Fatal(err)
					}
				},
				Config:  cfg,
				Destroy: true,
			},
		},
	})
}
