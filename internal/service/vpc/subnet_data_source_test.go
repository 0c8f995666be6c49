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
// KR-2) and "other" (public, KR-1), plus ncp_subnet data sources, one per
// argument list, named "test", "test1", "test2", ...
func testAccSubnetDataSourceConfig(names [2]string, args ...string) string {
	cfg := testAccSubnetConfig(acctest.RandName("tf-acc-vpc"),
		subnetConfig{name: names[0], cidr: "10.60.1.0/24", zone: "KR-2", typ: "PRIVATE", usage: "LOADB"},
		subnetConfig{label: "other", name: names[1], cidr: "10.60.2.0/24", zone: "KR-1", typ: "PUBLIC"},
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
	srv := acctest.StartServer(t)
	acctest.ParallelTest(t, srv, resource.TestCase{
		CheckDestroy: checkDestroyed(srv),
		Steps: []resource.TestStep{{
			Config:            testAccSubnetDataSourceConfig(subnetNames(), "subnet_no = ncp_subnet.test.subnet_no"),
			ConfigStateChecks: sameAttributes("data.ncp_subnet.test", subnetAddr, subnetAttributes),
			ConfigPlanChecks:  acctest.EmptyPlanAfterApply(),
		}},
	})
}

func TestAccSubnetDataSource_filters(t *testing.T) {
	srv := acctest.StartServer(t)
	names := subnetNames()
	// Each filter, with vpc_no, singles out the "test" subnet.
	filters := []string{
		fmt.Sprintf("vpc_no = ncp_vpc.test.vpc_no\n  name = %q", names[0]),
		"vpc_no = ncp_vpc.test.vpc_no\n  subnet = \"10.60.1.0/24\"",
		"vpc_no = ncp_vpc.test.vpc_no\n  zone = \"KR-2\"",
		"vpc_no = ncp_vpc.test.vpc_no\n  subnet_type = \"PRIVATE\"\n  zone = \"KR-2\"",
	}
	var checks []statecheck.StateCheck
	for i := range filters {
		ds := "data.ncp_subnet.test"
		if i > 0 {
			ds = fmt.Sprintf("data.ncp_subnet.test%d", i)
		}
		checks = append(checks, sameAttributes(ds, subnetAddr, subnetAttributes)...)
	}
	acctest.ParallelTest(t, srv, resource.TestCase{
		CheckDestroy: checkDestroyed(srv),
		Steps: []resource.TestStep{{
			Config:            testAccSubnetDataSourceConfig(names, filters...),
			ConfigStateChecks: checks,
		}},
	})
}

func TestAccSubnetDataSource_errors(t *testing.T) {
	srv := acctest.StartServer(t)
	names := subnetNames()
	acctest.ParallelTest(t, srv, resource.TestCase{
		CheckDestroy: checkDestroyed(srv),
		Steps: []resource.TestStep{
			// Configuration errors, found at plan time.
			{
				Config: testAccSubnetDataSourceConfig(names, "subnet_no = \"12345\"\n  name = \"abc\""),
				ExpectError: acctest.ErrorPattern(`Invalid Attribute Combination`,
					`These attributes cannot be configured together: [subnet_no,name]`),
			},
			{
				Config:      testAccSubnetDataSourceConfig(names, `zone = "KR-1"`),
				ExpectError: acctest.ErrorPattern(`Missing Attribute Configuration`, `Exactly one of these attributes must be configured: [subnet_no,vpc_no]`),
			},
			// Lookups that match no or several subnets.
			{
				Config:      testAccSubnetDataSourceConfig(names, `subnet_no = "999999"`),
				ExpectError: acctest.ErrorPattern(`No subnet matched: subnet 999999 does not exist in region KR.`),
			},
			{
				Config:      testAccSubnetDataSourceConfig(names, "vpc_no = ncp_vpc.test.vpc_no\n  zone = \"KR-1\"\n  subnet_type = \"PRIVATE\""),
				ExpectError: acctest.ErrorPattern(`No subnet matched vpc_no = "`),
			},
			{
				Config:      testAccSubnetDataSourceConfig(names, "vpc_no = ncp_vpc.test.vpc_no"),
				ExpectError: acctest.ErrorPattern(`Several subnets matched`, `2 subnets matched vpc_no = "`, `add filters or look the subnet up by subnet_no.`),
			},
		},
	})
}
