package vpc_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/config"
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

// checkSubnet checks ncp_subnet.test against NCP through the provider's
// finder and, on an in-process ncplocal, checks that it is the only subnet
// the emulator holds.
func checkSubnet(t *testing.T, g *acctest.Target) resource.TestCheckFunc {
	return checkSubnetAt(t, g, subnetAddr)
}

// checkSubnetAt is checkSubnet for the subnet at addr.
func checkSubnetAt(t *testing.T, g *acctest.Target, addr string) resource.TestCheckFunc {
	return resource.ComposeAggregateTestCheckFunc(
		checkSubnetExists(t, g, addr),
		g.LocalCheck(t, "the emulator holds exactly this subnet", func(s *terraform.State) error {
			inv := vpcInventory(t, g.Server(t, "inventory"))
			if len(inv.Subnets) != 1 || inv.Subnets[0].SubnetNo != s.RootModule().Resources[addr].Primary.ID {
				return fmt.Errorf("ncplocal holds subnets %+v, want only %s", inv.Subnets, addr)
			}
			return nil
		}),
	)
}

func TestAccSubnet_basic(t *testing.T) {
	g := acctest.NewTarget(t)
	vpcName, name := acctest.RandName("tf-acc-vpc"), acctest.RandName("tf-acc-subnet")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{{
			Config:            testAccSubnetConfig(vpcName, subnetConfig{name: name, cidr: "10.60.1.0/24", zone: g.Zone(1), typ: "PRIVATE"}),
			ConfigStateChecks: subnetStateChecks(subnetAddr, knownvalue.StringExact(name), "10.60.1.0/24", g.Zone(1), "PRIVATE", "GEN"),
			Check:             checkSubnet(t, g),
			ConfigPlanChecks:  acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(subnetAddr, plancheck.ResourceActionCreate)),
		}},
	})
}

func TestAccSubnet_update(t *testing.T) {
	g := acctest.NewTarget(t)
	vpcName, name1, name2 := acctest.RandName("tf-acc-vpc"), acctest.RandName("tf-acc-subnet"), acctest.RandName("tf-acc-subnet")
	base := subnetConfig{name: name1, cidr: "10.60.1.0/24", zone: g.Zone(1), typ: "PRIVATE"}
	step := func(c subnetConfig, action plancheck.ResourceActionType, usage string) resource.TestStep {
		return resource.TestStep{
			Config:            testAccSubnetConfig(vpcName, c),
			ConfigStateChecks: subnetStateChecks(subnetAddr, knownvalue.StringExact(c.name), c.cidr, c.zone, c.typ, usage),
			Check:             checkSubnet(t, g),
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
	c.zone = g.Zone(0)
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

	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps:        steps,
	})
}

// TestAccSubnet_networkAcl changes network_acl_no in place, to a second ACL
// of the VPC and back: the subnet is updated, not replaced (same
// subnet_no), and the apply waits until NCP has applied the change.
func TestAccSubnet_networkAcl(t *testing.T) {
	g := acctest.NewTarget(t)
	vpcName, name := acctest.RandName("tf-acc-vpc"), acctest.RandName("tf-acc-subnet")
	var second string // the second ACL, made out of band by the second step
	cfg := func(aclNo string) string {
		return testAccSubnetConfig(vpcName, subnetConfig{name: name, cidr: "10.60.7.0/24", zone: g.Zone(0), typ: "PRIVATE", aclNo: aclNo}) +
			"\nvariable \"acl\" {\n  type    = string\n  default = \"\"\n}\n"
	}
	sameSubnet := statecheck.CompareValue(compare.ValuesSame())
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{
				// The subnet, on the VPC's default ACL; then a second ACL.
				Config:            cfg(""),
				ConfigStateChecks: []statecheck.StateCheck{sameSubnet.AddStateValue(subnetAddr, tfjsonpath.New("subnet_no"))},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkSubnet(t, g),
					createNetworkAclOutOfBand(t, g, &second),
				),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(subnetAddr, plancheck.ResourceActionCreate)),
			},
			{
				Config:          cfg("var.acl"),
				ConfigVariables: config.Variables{"acl": lazyString{&second}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameSubnet.AddStateValue(subnetAddr, tfjsonpath.New("subnet_no")),
					statecheck.ExpectKnownValue(subnetAddr, tfjsonpath.New("network_acl_no"), knownvalue.StringFunc(func(v string) error {
						if v != second {
							return fmt.Errorf("network_acl_no = %s, want the second ACL %s", v, second)
						}
						return nil
					})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkSubnetExists(t, g, subnetAddr),
					checkNetworkAclRun(t, g, &second),
				),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(
					plancheck.ExpectResourceAction(subnetAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(vpcAddr, plancheck.ResourceActionNoop),
				),
			},
			{
				// Back to the default ACL, in place too; then the second
				// ACL, unused, goes, so that the VPC can be destroyed.
				Config: cfg(""),
				ConfigStateChecks: []statecheck.StateCheck{
					sameSubnet.AddStateValue(subnetAddr, tfjsonpath.New("subnet_no")),
					statecheck.CompareValuePairs(subnetAddr, tfjsonpath.New("network_acl_no"), vpcAddr, tfjsonpath.New("default_network_acl_no"), compare.ValuesSame()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkSubnetExists(t, g, subnetAddr),
					deleteNetworkAclOutOfBand(t, g, &second),
				),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(subnetAddr, plancheck.ResourceActionUpdate)),
			},
		},
	})
}

// TestAccSubnet_networkAclOfAnotherVpc: an ACL of another VPC is planned as
// an in-place change and refused by NCP; the subnet keeps its ACL.
func TestAccSubnet_networkAclOfAnotherVpc(t *testing.T) {
	g := acctest.NewTarget(t)
	vpcName, name := acctest.RandName("tf-acc-vpc"), acctest.RandName("tf-acc-subnet")
	subnet := subnetConfig{name: name, cidr: "10.60.8.0/24", zone: g.Zone(1), typ: "PRIVATE"}
	other := vpcResourceConfig("other", acctest.RandName("tf-acc-vpc"), "10.62.0.0/16", "")
	moved := subnet
	moved.aclNo = "ncp_vpc.other.default_network_acl_no"
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{
				Config:           testAccSubnetConfig(vpcName, subnet) + other,
				Check:            checkSubnet(t, g),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(subnetAddr, plancheck.ResourceActionCreate)),
			},
			{
				Config: testAccSubnetConfig(vpcName, moved) + other,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(subnetAddr, plancheck.ResourceActionUpdate)},
				},
				ExpectError: acctest.ErrorPattern(`Error changing the network ACL of subnet`, `Call: vpc setSubnetNetworkAcl`, `HTTP status: 400`),
			},
			{
				// The refused change left the subnet on its own VPC's ACL,
				// in NCP and in the state.
				Config: testAccSubnetConfig(vpcName, subnet) + other,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(subnetAddr, tfjsonpath.New("network_acl_no"), vpcAddr, tfjsonpath.New("default_network_acl_no"), compare.ValuesSame()),
				},
				Check:            checkSubnetExists(t, g, subnetAddr),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(subnetAddr, plancheck.ResourceActionNoop)),
			},
		},
	})
}

func TestAccSubnet_generatedName(t *testing.T) {
	g := acctest.NewTarget(t)
	generated := generatedSubnetName
	cfg := subnetConfig{cidr: "10.60.3.0/24", zone: g.Zone(0), typ: "PUBLIC", usage: "NATGW"}
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{{
			Config:            testAccSubnetConfig(acctest.RandName("tf-acc-vpc"), cfg),
			ConfigStateChecks: subnetStateChecks(subnetAddr, knownvalue.StringRegexp(generated), "10.60.3.0/24", g.Zone(0), "PUBLIC", "NATGW"),
			Check:             checkSubnet(t, g),
			ConfigPlanChecks:  acctest.EmptyPlanAfterApply(plancheck.ExpectUnknownValue(subnetAddr, tfjsonpath.New("name"))),
		}},
	})
}

// TestAccSubnet_import imports subnets of both zones of the region, so that
// a zone hard-coded anywhere would fail.
func TestAccSubnet_import(t *testing.T) {
	g := acctest.NewTarget(t)
	name, name2 := acctest.RandName("tf-acc-subnet"), acctest.RandName("tf-acc-subnet")
	const secondAddr = "ncp_subnet.second"
	cfg := testAccSubnetConfig(acctest.RandName("tf-acc-vpc"),
		subnetConfig{name: name, cidr: "10.60.4.0/24", zone: g.Zone(1), typ: "PRIVATE", usage: "BM"},
		subnetConfig{label: "second", name: name2, cidr: "10.60.14.0/24", zone: g.Zone(0), typ: "PUBLIC"})
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{
				// The subnets the import steps import.
				Config: cfg,
				ConfigStateChecks: append(subnetStateChecks(subnetAddr, knownvalue.StringExact(name), "10.60.4.0/24", g.Zone(1), "PRIVATE", "BM"),
					subnetStateChecks(secondAddr, knownvalue.StringExact(name2), "10.60.14.0/24", g.Zone(0), "PUBLIC", "GEN")...),
				Check:            resource.ComposeAggregateTestCheckFunc(checkSubnetExists(t, g, subnetAddr), checkSubnetExists(t, g, secondAddr)),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(subnetAddr, plancheck.ResourceActionCreate)),
			},
			acctest.ImportStep(cfg, subnetAddr, ""),
			acctest.ImportStep(cfg, secondAddr, ""),
			acctest.ImportBlockStep(cfg, subnetAddr, "",
				plancheck.ExpectKnownValue(subnetAddr, tfjsonpath.New("usage_type"), knownvalue.StringExact("BM")),
				plancheck.ExpectKnownValue(subnetAddr, tfjsonpath.New("zone"), knownvalue.StringExact(g.Zone(1))),
			),
			acctest.ImportBlockStep(cfg, secondAddr, "",
				plancheck.ExpectKnownValue(secondAddr, tfjsonpath.New("zone"), knownvalue.StringExact(g.Zone(0))),
			),
			acctest.ImportErrorStep(cfg, subnetAddr, "10.60.4.0/24",
				acctest.ErrorPattern(`The import ID of a subnet is its number (subnet_no), such as 12345; got "10.60.4.0/24".`)),
		},
	})
}

func TestAccSubnet_disappears(t *testing.T) {
	g := acctest.NewTarget(t)
	cfg := testAccSubnetConfig(acctest.RandName("tf-acc-vpc"), subnetConfig{cidr: "10.60.5.0/24", zone: g.Zone(1), typ: "PRIVATE"})
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: acctest.DisappearsSteps(cfg, subnetAddr, deleteSubnetOutOfBand(t, g, subnetAddr, true), checkSubnet(t, g),
			// The VPC stays as it is.
			plancheck.ExpectResourceAction(vpcAddr, plancheck.ResourceActionNoop)),
	})
}

// TestAccSubnet_destroyRerun is the re-run of a destroy that was
// interrupted after its deleteSubnet: the subnet is still being deleted
// (TERMTING), so the refresh drops it from the state and the destroy sends
// deleteVpc while the VPC still has it. The VPC's delete waits for it and
// the re-run converges.
func TestAccSubnet_destroyRerun(t *testing.T) {
	g := acctest.NewTarget(t)
	cfg := testAccSubnetConfig(acctest.RandName("tf-acc-vpc"), subnetConfig{cidr: "10.60.10.0/24", zone: g.Zone(0), typ: "PRIVATE"})
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{
				// The VPC and subnet; then the subnet's deletion starts, as
				// the interrupted destroy left it.
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkVpc(t, g),
					checkSubnet(t, g),
					slowDeletes(t, g),
					deleteSubnetOutOfBand(t, g, subnetAddr, false),
					checkSubnetTerminating(t, g, subnetAddr),
				),
				ExpectNonEmptyPlan: true,
			},
			{
				Config:  cfg,
				Destroy: true,
			},
		},
	})
}

func TestAccSubnet_badInput(t *testing.T) {
	g := acctest.NewTarget(t)
	ok := subnetConfig{cidr: "10.60.1.0/24", zone: g.Zone(1), typ: "PRIVATE", vpcNo: `"12345"`, aclNo: `"12346"`}
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
		{func(c *subnetConfig) { c.name = "서브넷-abc" }, `Attribute name: "서브넷-abc" is not a valid NCP name: it contains '서' at position 1`},
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

	// Errors only NCP can find surface NCP's code and message. ncplocal's
	// texts are its own, except where NCP's is known (ncp-api.md §5.5): on
	// NCP only that one, and the error itself, are matched.
	outside := acctest.ErrorPattern(`Error creating subnet`,
		`The subnet must belong to the IPv4 CIDR of the specified VPC.`,
		`Call: vpc createSubnet`)
	overlap := acctest.ErrorPattern(`Error creating subnet`, `Call: vpc createSubnet`)
	if g.Local() {
		overlap = acctest.ErrorPattern(`Error creating subnet`, `NCP returned error 1000102: subnet 10.60.1.128/25 overlaps 10.60.1.0/24 of subnet`)
	}
	// A zone the region does not have is refused at plan time, naming the
	// zones there are.
	zone := acctest.ErrorPattern(`Invalid zone`, `Attribute zone: "KR-3" is not a zone of region KR (site public): it must be one of KR-2, KR-1.`)
	vpcName := acctest.RandName("tf-acc-vpc")
	first := subnetConfig{label: "first", cidr: "10.60.1.0/24", zone: g.Zone(1), typ: "PRIVATE"}
	const firstAddr = "ncp_subnet.first"
	steps = append(steps,
		resource.TestStep{
			Config:      testAccSubnetConfig(vpcName, subnetConfig{cidr: "10.61.1.0/24", zone: g.Zone(1), typ: "PRIVATE"}),
			ExpectError: outside,
		},
		resource.TestStep{
			// The subnet the next step overlaps; the VPC exists since the
			// step before (only its subnet failed).
			Config:            testAccSubnetConfig(vpcName, first),
			ConfigStateChecks: subnetStateChecks(firstAddr, knownvalue.StringRegexp(generatedSubnetName), "10.60.1.0/24", g.Zone(1), "PRIVATE", "GEN"),
			Check:             checkSubnetAt(t, g, firstAddr),
			ConfigPlanChecks: acctest.EmptyPlanAfterApply(
				plancheck.ExpectResourceAction(firstAddr, plancheck.ResourceActionCreate),
				plancheck.ExpectResourceAction(vpcAddr, plancheck.ResourceActionNoop),
			),
		},
		resource.TestStep{
			Config:      testAccSubnetConfig(vpcName, first, subnetConfig{cidr: "10.60.1.128/25", zone: g.Zone(1), typ: "PRIVATE"}),
			ExpectError: overlap,
		},
		resource.TestStep{
			// A zone the configured region does not have is refused at
			// plan time (issue 10 item 10), on every target.
			Config:      testAccSubnetConfig(vpcName, first, subnetConfig{cidr: "10.60.9.0/24", zone: "KR-3", typ: "PRIVATE"}),
			PlanOnly:    true,
			ExpectError: zone,
		},
	)
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps:        steps,
	})
}

// TestAccSubnet_deleteDroppedConnection destroys a VPC and its subnet while
// ncplocal drops the connection of every delete after carrying it out: the
// provider sees the objects being deleted and waits for them to go, instead
// of failing or deleting twice.
func TestAccSubnet_deleteDroppedConnection(t *testing.T) {
	g := acctest.NewTarget(t)
	srv := g.Server(t, "ncplocal drops the connection of the deletes (fault injection)")
	cfg := testAccSubnetConfig(acctest.RandName("tf-acc-vpc"), subnetConfig{cidr: "10.60.6.0/24", zone: g.Zone(0), typ: "PRIVATE"})
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: func(s *terraform.State) error {
			if _, injected := srv.Faults(); injected != 2 {
				return fmt.Errorf("%d faults injected, want 2 (deleteSubnet and deleteVpc)", injected)
			}
			if calls := srv.Calls(); calls["vpc:deleteSubnet"] != 1 || calls["vpc:deleteVpc"] != 1 {
				return fmt.Errorf("calls = %v, want one deleteSubnet and one deleteVpc", calls)
			}
			return checkDestroyed(t, g)(s)
		},
		Steps: []resource.TestStep{
			{
				// The VPC and subnet the next step destroys.
				Config:            cfg,
				ConfigStateChecks: subnetStateChecks(subnetAddr, knownvalue.StringRegexp(generatedSubnetName), "10.60.6.0/24", g.Zone(0), "PRIVATE", "GEN"),
				Check:             resource.ComposeAggregateTestCheckFunc(checkVpc(t, g), checkSubnet(t, g)),
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
