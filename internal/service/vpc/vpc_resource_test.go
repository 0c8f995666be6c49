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

const vpcAddr = "ncp_vpc.test"

// testAccVpcConfig is one ncp_vpc; name "" leaves name unset, timeouts ""
// leaves the timeouts block out.
func testAccVpcConfig(name, cidr, timeouts string) string {
	return acctest.ConfigCompose(vpcResourceConfig("test", name, cidr, timeouts))
}

// vpcResourceConfig is the ncp_vpc block "label" of testAccVpcConfig.
func vpcResourceConfig(label, name, cidr, timeouts string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "resource \"ncp_vpc\" %q {\n", label)
	if name != "" {
		fmt.Fprintf(&b, "  name            = %q\n", name)
	}
	fmt.Fprintf(&b, "  ipv4_cidr_block = %q\n", cidr)
	if timeouts != "" {
		fmt.Fprintf(&b, "\n  timeouts {\n    create = %q\n    delete = %q\n  }\n", timeouts, timeouts)
	}
	b.WriteString("}\n")
	return b.String()
}

// vpcStateChecks asserts the attributes of ncp_vpc.test.
func vpcStateChecks(name knownvalue.Check, cidr string) []statecheck.StateCheck {
	const addr = vpcAddr
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("name"), name),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("ipv4_cidr_block"), knownvalue.StringExact(cidr)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("vpc_no"), knownvalue.StringRegexp(numberRE)),
		statecheck.CompareValuePairs(addr, tfjsonpath.New("id"), addr, tfjsonpath.New("vpc_no"), compare.ValuesSame()),
	}
	for _, attr := range vpcDefaultAttrs {
		checks = append(checks, statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), knownvalue.StringRegexp(numberRE)))
	}
	return checks
}

// checkVpc checks ncp_vpc.test against NCP through the provider's finders
// and, on an in-process ncplocal, against its inventory too.
func checkVpc(t *testing.T, g *acctest.Target) resource.TestCheckFunc {
	return resource.ComposeAggregateTestCheckFunc(
		checkVpcExists(t, g, vpcAddr),
		g.LocalCheck(t, "the emulator's inventory holds the VPC and its default objects", checkVpcInInventory(t, g)),
	)
}

// checkVpcInInventory compares the state of ncp_vpc.test with what ncplocal
// holds: the VPC (in RUN, same name and block) and its default network ACL,
// route tables and access control group.
func checkVpcInInventory(t *testing.T, g *acctest.Target) resource.TestCheckFunc {
	const addr = vpcAddr
	return func(s *terraform.State) error {
		srv := g.Server(t, "inventory")
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in state", addr)
		}
		a := rs.Primary.Attributes
		inv := vpcInventory(t, srv)
		found := false
		for _, v := range inv.Vpcs {
			if v.VpcNo != a["vpc_no"] {
				continue
			}
			found = true
			if v.VpcName != a["name"] || v.Ipv4CidrBlock != a["ipv4_cidr_block"] || v.VpcStatus.Code != "RUN" {
				return fmt.Errorf("ncplocal holds VPC %+v, state has %v", v, a)
			}
		}
		if !found {
			return fmt.Errorf("ncplocal holds no VPC %s: %+v", a["vpc_no"], inv.Vpcs)
		}
		defaults, err := vpcDefaultsInInventory(srv, a["vpc_no"])
		if err != nil {
			return err
		}
		for _, attr := range vpcDefaultAttrs {
			if defaults[attr] == "" || defaults[attr] != a[attr] {
				return fmt.Errorf("%s = %q in state, ncplocal says %q", attr, a[attr], defaults[attr])
			}
		}
		return nil
	}
}

func TestAccVpc_basic(t *testing.T) {
	g := acctest.NewTarget(t)
	name := acctest.RandName("tf-acc-vpc")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{{
			Config:            testAccVpcConfig(name, "10.10.0.0/16", ""),
			ConfigStateChecks: vpcStateChecks(knownvalue.StringExact(name), "10.10.0.0/16"),
			Check:             checkVpc(t, g),
			ConfigPlanChecks:  acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(vpcAddr, plancheck.ResourceActionCreate)),
		}},
	})
}

func TestAccVpc_update(t *testing.T) {
	g := acctest.NewTarget(t)
	name1, name2 := acctest.RandName("tf-acc-vpc"), acctest.RandName("tf-acc-vpc")
	replaced := acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(vpcAddr, plancheck.ResourceActionDestroyBeforeCreate))
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{
				Config:            testAccVpcConfig(name1, "10.20.0.0/16", ""),
				ConfigStateChecks: vpcStateChecks(knownvalue.StringExact(name1), "10.20.0.0/16"),
				ConfigPlanChecks:  acctest.EmptyPlanAfterApply(),
			},
			{
				// A new name: NCP cannot rename a VPC, so it is replaced.
				Config:            testAccVpcConfig(name2, "10.20.0.0/16", ""),
				ConfigStateChecks: vpcStateChecks(knownvalue.StringExact(name2), "10.20.0.0/16"),
				Check:             checkVpc(t, g),
				ConfigPlanChecks:  replaced,
			},
			{
				// A new block replaces it too.
				Config:            testAccVpcConfig(name2, "172.16.0.0/16", ""),
				ConfigStateChecks: vpcStateChecks(knownvalue.StringExact(name2), "172.16.0.0/16"),
				Check:             checkVpc(t, g),
				ConfigPlanChecks:  replaced,
			},
			{
				// Timeouts are the only thing updated in place.
				Config: testAccVpcConfig(name2, "172.16.0.0/16", "45m"),
				ConfigStateChecks: append(vpcStateChecks(knownvalue.StringExact(name2), "172.16.0.0/16"),
					statecheck.ExpectKnownValue(vpcAddr, tfjsonpath.New("timeouts").AtMapKey("create"), knownvalue.StringExact("45m"))),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(vpcAddr, plancheck.ResourceActionUpdate)),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkVpcExists(t, g, vpcAddr),
					g.LocalCheck(t, "the emulator holds one VPC", func(*terraform.State) error {
						if n := len(vpcInventory(t, g.Server(t, "inventory")).Vpcs); n != 1 {
							return fmt.Errorf("ncplocal holds %d VPCs, want 1", n)
						}
						return nil
					}),
				),
			},
		},
	})
}

// TestAccVpc_generatedName creates VPCs without a name. On NCP, a run that
// dies before its destroy leaves a VPC named tf-vpc-..., which the sweepers
// (tf-acc- names only) do not delete.
func TestAccVpc_generatedName(t *testing.T) {
	g := acctest.NewTarget(t)
	generated := regexp.MustCompile(`^tf-vpc-[a-z0-9]{8}$`)
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{
				Config:            testAccVpcConfig("", "192.168.0.0/24", ""),
				ConfigStateChecks: vpcStateChecks(knownvalue.StringRegexp(generated), "192.168.0.0/24"),
				Check:             checkVpc(t, g),
				ConfigPlanChecks:  acctest.EmptyPlanAfterApply(plancheck.ExpectUnknownValue(vpcAddr, tfjsonpath.New("name"))),
			},
			{
				// The generated name stays through an in-place update.
				Config: testAccVpcConfig("", "192.168.0.0/24", "10m"),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(
					plancheck.ExpectResourceAction(vpcAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(vpcAddr, tfjsonpath.New("name"), knownvalue.StringRegexp(generated)),
				),
			},
			{
				// A replacement gets a new generated name.
				Config:            testAccVpcConfig("", "192.168.1.0/24", "10m"),
				ConfigStateChecks: vpcStateChecks(knownvalue.StringRegexp(generated), "192.168.1.0/24"),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(
					plancheck.ExpectResourceAction(vpcAddr, plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectUnknownValue(vpcAddr, tfjsonpath.New("name")),
				),
			},
		},
	})
}

func TestAccVpc_import(t *testing.T) {
	g := acctest.NewTarget(t)
	name := acctest.RandName("tf-acc-vpc")
	cfg := testAccVpcConfig(name, "10.30.0.0/16", "")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{
				// The VPC the import steps import.
				Config:            cfg,
				ConfigStateChecks: vpcStateChecks(knownvalue.StringExact(name), "10.30.0.0/16"),
				Check:             checkVpc(t, g),
				ConfigPlanChecks:  acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(vpcAddr, plancheck.ResourceActionCreate)),
			},
			acctest.ImportStep(cfg, vpcAddr, ""),
			acctest.ImportBlockStep(cfg, vpcAddr, "",
				plancheck.ExpectKnownValue(vpcAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
				plancheck.ExpectKnownValue(vpcAddr, tfjsonpath.New("default_network_acl_no"), knownvalue.StringRegexp(numberRE)),
			),
			acctest.ImportErrorStep(cfg, vpcAddr, "vpc-1",
				acctest.ErrorPattern(`The import ID of a VPC is its number (vpc_no), such as 12345; got "vpc-1".`)),
			acctest.ImportErrorStep(cfg, vpcAddr, "999999999", acctest.ErrorPattern(`Cannot import non-existent remote object`)),
		},
	})
}

func TestAccVpc_disappears(t *testing.T) {
	g := acctest.NewTarget(t)
	cfg := testAccVpcConfig(acctest.RandName("tf-acc-vpc"), "10.40.0.0/16", "")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps:        acctest.DisappearsSteps(cfg, vpcAddr, deleteVpcOutOfBand(t, g, vpcAddr), checkVpc(t, g)),
	})
}

func TestAccVpc_badInput(t *testing.T) {
	g := acctest.NewTarget(t)
	steps := []resource.TestStep{}
	for _, tc := range []struct {
		name, cidr string
		want       string
	}{
		{"bad-cidr", "10.0.0.0", `Attribute ipv4_cidr_block: "10.0.0.0" is not an IPv4 CIDR block such as 10.0.0.0/16.`},
		{"bad-cidr", "fd00::/16", `Attribute ipv4_cidr_block: "fd00::/16" is not an IPv4 CIDR block`},
		{"bad-cidr", "10.0.0.5/16", `Attribute ipv4_cidr_block: "10.0.0.5/16" is not written with its network address: use "10.0.0.0/16".`},
		{"bad-cidr", "10.0.0.0/30", `Attribute ipv4_cidr_block: "10.0.0.0/30" has prefix length /30: the prefix length must be /16 to /28.`},
		{"bad-cidr", "10.0.0.0/8", `Attribute ipv4_cidr_block: "10.0.0.0/8" has prefix length /8: the prefix length must be /16 to /28.`},
		{"bad-cidr", "8.8.0.0/16", `Attribute ipv4_cidr_block: "8.8.0.0/16" is not a private block: it must lie inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.`},
		{"Upper", "10.0.0.0/16", `Attribute name: "Upper" is not a valid NCP name: it contains 'U' at position 1, which is not a lowercase letter, a digit or a hyphen.`},
		// Lengths and positions count characters, not bytes (30 Hangul
		// characters are 90 bytes).
		{strings.Repeat("가", 30), "10.0.0.0/16", `Attribute name: "` + strings.Repeat("가", 30) + `" is not a valid NCP name: it contains '가' at position 1, which is not a lowercase letter`},
		{"vpc-" + strings.Repeat("가", 27), "10.0.0.0/16", `is not a valid NCP name: it is 31 characters long.`},
		{"ab", "10.0.0.0/16", `Attribute name: "ab" is not a valid NCP name: it is 2 characters long. It must be 3 to 30 characters of lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit.`},
		{"1abc", "10.0.0.0/16", `Attribute name: "1abc" is not a valid NCP name: it does not start with a letter.`},
		{"abc-", "10.0.0.0/16", `Attribute name: "abc-" is not a valid NCP name: it ends with a hyphen.`},
		{strings.Repeat("a", 31), "10.0.0.0/16", `Attribute name: "` + strings.Repeat("a", 31) + `" is not a valid NCP name: it is 31 characters long.`},
	} {
		steps = append(steps, resource.TestStep{
			Config:      testAccVpcConfig(tc.name, tc.cidr, ""),
			PlanOnly:    true,
			ExpectError: acctest.ErrorPattern(tc.want),
		})
	}
	// The name is taken by a VPC Terraform did not create in this resource:
	// it is reported with an import hint before any createVpc.
	taken := acctest.RandName("tf-acc-vpc")
	steps = append(steps,
		resource.TestStep{
			// The VPC whose name the next step takes again.
			Config:            testAccVpcConfig(taken, "10.50.0.0/16", ""),
			ConfigStateChecks: vpcStateChecks(knownvalue.StringExact(taken), "10.50.0.0/16"),
			Check:             checkVpc(t, g),
			ConfigPlanChecks:  acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(vpcAddr, plancheck.ResourceActionCreate)),
		},
		resource.TestStep{
			Config: testAccVpcConfig(taken, "10.50.0.0/16", "") + vpcResourceConfig("dup", taken, "10.51.0.0/16", ""),
			ExpectError: acctest.ErrorPattern(`already exists`, `named "`+taken+`" (block 10.50.0.0/16) already exists`,
				`terraform import ncp_vpc.<name>`),
		},
	)
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps:        steps,
	})
}

// TestAccVpc_createDroppedConnection applies a VPC while ncplocal drops the
// connection of every createVpc after carrying it out: the provider adopts
// the VPC it made instead of failing or making a second one.
func TestAccVpc_createDroppedConnection(t *testing.T) {
	g := acctest.NewTarget(t)
	srv := g.Server(t, "ncplocal drops the connection of createVpc (fault injection)")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				if err := srv.SetFaults([]ncplocal.FaultRule{{Pattern: "^/vpc/v2/createVpc$", Rate: 1, Kinds: []string{ncplocal.FaultReset}}}); err != nil {
					t.Fatal(err)
				}
			},
			Config:            testAccVpcConfig("", "10.95.0.0/16", ""),
			ConfigStateChecks: vpcStateChecks(knownvalue.StringRegexp(regexp.MustCompile(`^tf-vpc-`)), "10.95.0.0/16"),
			Check: resource.ComposeAggregateTestCheckFunc(
				checkVpc(t, g),
				func(*terraform.State) error {
					if _, injected := srv.Faults(); injected != 1 {
						return fmt.Errorf("%d faults injected, want 1", injected)
					}
					if n := len(vpcInventory(t, srv).Vpcs); n != 1 {
						return fmt.Errorf("ncplocal holds %d VPCs, want 1", n)
					}
					return srv.SetFaults(nil)
				},
			),
			ConfigPlanChecks: acctest.EmptyPlanAfterApply(),
		}},
	})
}
