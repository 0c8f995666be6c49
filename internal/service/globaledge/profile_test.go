package globaledge_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/globaledge"
)

const profileAddr = "ncp_global_edge_profile.test"

var idRE = regexp.MustCompile(`^[1-9][0-9]*$`)

func profileConfig(name string) string {
	return acctest.ConfigCompose(fmt.Sprintf(`
resource "ncp_global_edge_profile" "test" {
  name = %q
}
`, name))
}

// checkProfile checks through the provider's finder that the profile in
// state exists under its name.
func checkProfile(t *testing.T, g *acctest.Target, addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		id, err := strconv(rs.Primary.ID)
		if err != nil {
			return err
		}
		p, err := globaledge.FindProfileByID(context.Background(), geclient.New(g.Client(t)), id)
		if err != nil {
			return err
		}
		if p.ProfileName != rs.Primary.Attributes["name"] {
			return fmt.Errorf("NCP calls profile %d %q, state says %q", id, p.ProfileName, rs.Primary.Attributes["name"])
		}
		return nil
	}
}

// checkDestroyed asserts that no profile or edge of the state is left.
func checkDestroyed(t *testing.T, g *acctest.Target) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		conn := geclient.New(g.Client(t))
		for _, rs := range s.RootModule().Resources {
			id, err := strconv(rs.Primary.ID)
			if err != nil {
				continue
			}
			switch rs.Type {
			case "ncp_global_edge_profile":
				if _, err := globaledge.FindProfileByID(context.Background(), conn, id); !client.IsNotFound(err) {
					return fmt.Errorf("profile %d left after destroy (%v)", id, err)
				}
			case "ncp_global_edge_cdn":
				if _, err := conn.EdgeStatus(context.Background(), id); !client.IsNotFound(err) {
					return fmt.Errorf("edge %d left after destroy (%v)", id, err)
				}
			}
		}
		return nil
	}
}

func TestAccGlobalEdgeProfile_basicUpdateImport(t *testing.T) {
	g := acctest.NewTarget(t)
	name1, name2 := acctest.RandName("tf-acc-prof"), acctest.RandName("tf-acc-prof")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{
				Config: profileConfig(name1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(profileAddr, tfjsonpath.New("name"), knownvalue.StringExact(name1)),
					statecheck.ExpectKnownValue(profileAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(idRE)),
					statecheck.ExpectKnownValue(profileAddr, tfjsonpath.New("customer_id"), knownvalue.StringRegexp(idRE)),
				},
				Check:            checkProfile(t, g, profileAddr),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(profileAddr, plancheck.ResourceActionCreate)),
			},
			{
				// A new name renames in place.
				Config:            profileConfig(name2),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(profileAddr, tfjsonpath.New("name"), knownvalue.StringExact(name2))},
				Check:             checkProfile(t, g, profileAddr),
				ConfigPlanChecks:  acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(profileAddr, plancheck.ResourceActionUpdate)),
			},
			acctest.ImportStep("", profileAddr, ""),
			acctest.ImportBlockStep(profileConfig(name2), profileAddr, "", plancheck.ExpectResourceAction(profileAddr, plancheck.ResourceActionNoop)),
			acctest.ImportErrorStep(profileConfig(name2), profileAddr, "abc", acctest.ErrorPattern("The import ID of a Global Edge profile is its ID")),
		},
	})
}

func TestAccGlobalEdgeProfile_disappears(t *testing.T) {
	g := acctest.NewTarget(t)
	name := acctest.RandName("tf-acc-prof")
	cfg := profileConfig(name)
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: acctest.DisappearsSteps(cfg, profileAddr, func(s *terraform.State) error {
			id, err := strconv(s.RootModule().Resources[profileAddr].Primary.ID)
			if err != nil {
				return err
			}
			return geclient.New(g.Client(t)).DeleteProfile(context.Background(), id)
		}, checkProfile(t, g, profileAddr)),
	})
}

func TestAccGlobalEdgeProfile_badInput(t *testing.T) {
	g := acctest.NewTarget(t)
	name := acctest.RandName("tf-acc-prof")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{Config: profileConfig("ab"), PlanOnly: true, ExpectError: acctest.ErrorPattern("Attribute name", "it is 2 characters long", "3 to 35 characters")},
			{Config: profileConfig("has space"), PlanOnly: true, ExpectError: acctest.ErrorPattern("Attribute name", "position 4")},
			{
				// A name another profile holds is reported with an import hint.
				Config: profileConfig(name) + fmt.Sprintf(`
resource "ncp_global_edge_profile" "dup" {
  name       = %q
  depends_on = [ncp_global_edge_profile.test]
}
`, name),
				ExpectError: acctest.ErrorPattern("already exists", "import"),
			},
		},
	})
}

func TestAccGlobalEdgeProfileDataSource(t *testing.T) {
	g := acctest.NewTarget(t)
	name := acctest.RandName("tf-acc-prof")
	cfg := profileConfig(name) + `
data "ncp_global_edge_profile" "test" {
  name = ncp_global_edge_profile.test.name
}
`
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPair("data.ncp_global_edge_profile.test", "id", profileAddr, "id"),
					resource.TestCheckResourceAttrPair("data.ncp_global_edge_profile.test", "customer_id", profileAddr, "customer_id"),
				),
			},
			{
				Config:      cfg + `data "ncp_global_edge_profile" "none" { name = "tf-acc-no-such-profile" }`,
				ExpectError: acctest.ErrorPattern("Found 0 Global Edge profiles named"),
			},
		},
	})
}
