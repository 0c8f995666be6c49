package vpc_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
)

// vpcAttributes are the attributes the ncp_vpc data source shares with the
// resource.
var vpcAttributes = []string{
	"id", "vpc_no", "name", "ipv4_cidr_block", "default_network_acl_no", "default_access_control_group_no",
	"default_public_route_table_no", "default_private_route_table_no",
}

// sameAttributes asserts that data source ds and resource res agree on attrs.
func sameAttributes(ds, res string, attrs []string) []statecheck.StateCheck {
	checks := make([]statecheck.StateCheck, 0, len(attrs))
	for _, a := range attrs {
		checks = append(checks, statecheck.CompareValuePairs(ds, tfjsonpath.New(a), res, tfjsonpath.New(a), compare.ValuesSame()))
	}
	return checks
}

// testAccVpcDataSourceConfig is a VPC plus an ncp_vpc data source with the
// given arguments; the data source waits for the VPC.
func testAccVpcDataSourceConfig(vpcName, args string) string {
	return testAccVpcConfig(vpcName, "10.70.0.0/16", "") + fmt.Sprintf(`
data "ncp_vpc" "test" {
  %s

  depends_on = [ncp_vpc.test]
}
`, args)
}

func TestAccVpcDataSource_byID(t *testing.T) {
	g := acctest.NewTarget(t)
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{{
			Config:            testAccVpcDataSourceConfig(acctest.RandName("tf-acc-vpc"), "vpc_no = ncp_vpc.test.vpc_no"),
			ConfigStateChecks: sameAttributes("data.ncp_vpc.test", vpcAddr, vpcAttributes),
			ConfigPlanChecks:  acctest.EmptyPlanAfterApply(),
		}},
	})
}

func TestAccVpcDataSource_byName(t *testing.T) {
	g := acctest.NewTarget(t)
	name := acctest.RandName("tf-acc-vpc")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{{
			// A second VPC whose name starts like the first must not match.
			Config: testAccVpcDataSourceConfig(name, fmt.Sprintf("name = %q", name)) +
				vpcResourceConfig("other", name+"x", "10.71.0.0/16", ""),
			ConfigStateChecks: sameAttributes("data.ncp_vpc.test", vpcAddr, vpcAttributes),
		}},
	})
}

func TestAccVpcDataSource_errors(t *testing.T) {
	g := acctest.NewTarget(t)
	name := acctest.RandName("tf-acc-vpc")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			// Configuration errors, found at plan time.
			{
				Config:      testAccVpcDataSourceConfig(name, "vpc_no = ncp_vpc.test.vpc_no\n  name = ncp_vpc.test.name"),
				ExpectError: acctest.ErrorPattern(`Invalid Attribute Combination`, `Exactly one of these attributes must be configured: [vpc_no,name]`),
			},
			{
				Config:      testAccVpcDataSourceConfig(name, ""),
				ExpectError: acctest.ErrorPattern(`Missing Attribute Configuration`, `Exactly one of these attributes must be configured: [vpc_no,name]`),
			},
			// Lookups NCP answers with nothing.
			{
				Config:      testAccVpcDataSourceConfig(name, `vpc_no = "999999999"`),
				ExpectError: acctest.ErrorPattern(`No VPC matched: VPC 999999999 does not exist in region ` + g.Region() + `.`),
			},
			{
				Config:      testAccVpcDataSourceConfig(name, `name = "no-such-vpc"`),
				ExpectError: acctest.ErrorPattern(`No VPC matched: there is no VPC named "no-such-vpc" in region ` + g.Region() + `.`),
			},
		},
	})
}
