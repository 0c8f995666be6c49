package cloudfunctions_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// TestAccCloudFunctions_faults applies, refreshes and destroys a package,
// an action, a sequence and a trigger linked to both while ncplocal fails
// 30% of the Cloud Functions calls (dropped connections after the work was
// done, 503s and the retryable 80031): the creates, deletes, links and
// unlinks whose outcome was unknown are decided by looking up, so nothing
// is doubled or left behind, and the plan after the apply is empty.
func TestAccCloudFunctions_faults(t *testing.T) {
	g := acctest.NewTarget(t)
	srv := g.Server(t, "injects faults")
	conn := targetCF(t, g)
	pkg, trg, net := cfName("pkg"), cfName("trg"), acctest.RandName("tf-acc-net")
	cfg := testAccSequenceConfig(g, net, pkg, pkg+"-seq", "a", "b") + fmt.Sprintf(`
resource "ncp_cloud_functions_trigger" "test" {
  name    = %q
  type    = "cron"
  cron    = "*/5 * * * *"
  actions = [ncp_cloud_functions_action.a.id, ncp_cloud_functions_sequence.test.id]
}
`, trg)
	rule := seedHittingCreates(t, ncplocal.FaultRule{Pattern: "^/ncf/api/v2/", Rate: 0.3, Kinds: []string{"reset", "503", "service"}},
		wire.PathPrefix+"/packages/"+pkg, wire.PathPrefix+"/packages/"+pkg+"/actions/"+pkg+"-a", wire.PathPrefix+"/triggers/"+trg)
	faults := func() {
		if err := srv.SetFaults([]ncplocal.FaultRule{rule}); err != nil {
			t.Fatal(err)
		}
	}
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: func(s *terraform.State) error {
			if err := srv.SetFaults(nil); err != nil {
				return err
			}
			if inv := srv.Inventory().Accounts[ncplocal.DefaultCredential.AccountID]["cloudfunctions"]; inv != nil {
				return fmt.Errorf("left in ncplocal after the destroy: %+v", inv)
			}
			return checkCFDestroy(conn)(s)
		},
		Steps: []resource.TestStep{{
			PreConfig: faults,
			Config:    cfg,
			ConfigPlanChecks: acctest.EmptyPlanAfterApply(
				plancheck.ExpectResourceAction(triggerAddress, plancheck.ResourceActionCreate)),
			Check: resource.ComposeTestCheckFunc(
				func(*terraform.State) error {
					if _, injected := srv.Faults(); injected < 3 { // the seed fails three creates
						return fmt.Errorf("only %d faults were injected: the test shows nothing", injected)
					}
					t.Logf("faults injected during the apply and its refresh: %d", mustInjected(srv))
					return srv.SetFaults(nil)
				},
				checkTriggerLinks(conn, trg, pkg+"/"+pkg+"-a", pkg+"/"+pkg+"-seq"),
				checkComponents(conn, pkg, pkg+"-seq", pkg+"/"+pkg+"-a", pkg+"/"+pkg+"-b"),
				func(*terraform.State) error { faults(); return nil },
			),
		}},
	})
}

// seedHittingCreates returns rule with the first seed whose draws fail the
// first PUT (the create) of each of paths. The names are random, and so
// are the draws of a fixed seed over them; choosing the seed makes sure the
// apply meets at least len(paths) faults, on the calls that matter most.
func seedHittingCreates(t *testing.T, rule ncplocal.FaultRule, paths ...string) ncplocal.FaultRule {
	t.Helper()
	for seed := int64(0); seed < 1_000_000; seed++ {
		rule.Seed = seed
		hits := 0
		for _, p := range paths {
			if rule.Fails(http.MethodPut, p, 0) {
				hits++
			}
		}
		if hits == len(paths) {
			return rule
		}
	}
	t.Fatalf("no seed below 1e6 fails the first PUT of each of %q", paths)
	return rule
}

func mustInjected(srv *ncplocal.Server) int {
	_, n := srv.Faults()
	return n
}
