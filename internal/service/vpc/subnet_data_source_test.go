package vpc_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
)

// subnetAttributes are the attributes the ncp_subnet data source shares
// with the resource.
var subnetAttributes = []string{
	"id", "subnet_no", "vpc_no", "subnet", "zone", "network_acl_no", "subnet_type", "usage_type", "name",
}

// testAccSubnetDataSourceConfig is a VPC with two subnets, "test" (private,
// in the target's second zone, KR-2) and "other" (public, in its first,
// KR-1), plus ncp_subnet data sources, one per argument list, named "test",
// "test1", "test2", ...
func testAccSubnetDataSourceConfig(g *acctest.Target, names [2]string, args ...string) string {
	cfg := testAccSubnetConfig(acctest.RandName("tf-acc-vpc"),
		subnetConfig{name: names[0], cidr: "10.60.1.0/24", zone: g.Zone(1), typ: "PRIVATE", usage: "LOADB"},
		subnetConfig{label: "other", name: names[1], cidr: "10.60.2.0/24", zone: g.Zone(0), typ: "PUBLIC"},
	)
	for i, a := range args {
		label := "test"
		if i > 0 {
			label = fmt.Sprintf("test%d", i)
		}
		cfg += fmt.Sprintf(`
data "ncp_subnet" %q {
  %s

  depends_on = [ncp_subnet.test, ncp_subnet.other]
}
`, label, a)
	}
	return cfg
}

func subnetNames() [2]string {
	return [2]string{acctest.RandName("tf-acc-subnet"), acctest.RandName("tf-acc-subnet")}
}

func TestAccSubnetDataSource_byID(t *testing.T) {
	g := acctest.NewTarget(t)
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{{
			// Both subnets, one in each zone, by their numbers.
			Config: testAccSubnetDataSourceConfig(g, subnetNames(), "subnet_no = ncp_subnet.test.subnet_no",
				"subnet_no = ncp_subnet.other.subnet_no"),
			ConfigStateChecks: append(sameAttributes("data.ncp_subnet.test", subnetAddr, subnetAttributes),
				sameAttributes("data.ncp_subnet.test1", "ncp_subnet.other", subnetAttributes)...),
			ConfigPlanChecks: acctest.EmptyPlanAfterApply(),
		}},
	})
}

func TestAccSubnetDataSource_filters(t *testing.T) {
	g := acctest.NewTarget(t)
	names := subnetNames()
	// Each filter, with vpc_no, singles out the "test" subnet.
	filters := []string{
		fmt.Sprintf("vpc_no = ncp_vpc.test.vpc_no\n  name = %q", names[0]),
		"vpc_no = ncp_vpc.test.vpc_no\n  subnet = \"10.60.1.0/24\"",
		fmt.Sprintf("vpc_no = ncp_vpc.test.vpc_no\n  zone = %q", g.Zone(1)),
		fmt.Sprintf("vpc_no = ncp_vpc.test.vpc_no\n  subnet_type = \"PRIVATE\"\n  zone = %q", g.Zone(1)),
	}
	var checks []statecheck.StateCheck
	for i := range filters {
		ds := "data.ncp_subnet.test"
		if i > 0 {
			ds = fmt.Sprintf("data.ncp_subnet.test%d", i)
		}
		checks = append(checks, sameAttributes(ds, subnetAddr, subnetAttributes)...)
	}
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{{
			Config:            testAccSubnetDataSourceConfig(g, names, filters...),
			ConfigStateChecks: checks,
		}},
	})
}

func TestAccSubnetDataSource_errors(t *testing.T) {
	g := acctest.NewTarget(t)
	names := subnetNames()
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			// Configuration errors, found at plan time.
			{
				Config: testAccSubnetDataSourceConfig(g, names, "subnet_no = \"12345\"\n  name = \"abc\""),
				ExpectError: acctest.ErrorPattern(`Invalid Attribute Combination`,
					`These attributes cannot be configured together: [subnet_no,name]`),
			},
			{
				Config:      testAccSubnetDataSourceConfig(g, names, fmt.Sprintf("zone = %q", g.Zone(0))),
				ExpectError: acctest.ErrorPattern(`Missing Attribute Configuration`, `Exactly one of these attributes must be configured: [subnet_no,vpc_no]`),
			},
			// Lookups that match no or several subnets.
			{
				Config:      testAccSubnetDataSourceConfig(g, names, `subnet_no = "999999999"`),
				ExpectError: acctest.ErrorPattern(`No subnet matched: subnet 999999999 does not exist in region ` + g.Region() + `.`),
			},
			{
				Config:      testAccSubnetDataSourceConfig(g, names, fmt.Sprintf("vpc_no = ncp_vpc.test.vpc_no\n  zone = %q\n  subnet_type = \"PRIVATE\"", g.Zone(0))),
				ExpectError: acctest.ErrorPattern(`No subnet matched vpc_no = "`),
			},
			{
				Config:      testAccSubnetDataSourceConfig(g, names, "vpc_no = ncp_vpc.test.vpc_no"),
				ExpectError: acctest.ErrorPattern(`Several subnets matched`, `2 subnets matched vpc_no = "`, `add filters or look the subnet up by subnet_no.`),
			},
		},
	})
}
