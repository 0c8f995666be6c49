package globaledge_test

import (
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	ncplocalge "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/globaledge"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// An edge's create or delete interrupted by its waiter's timeout (the
// resource's context ending, as a cancelled run also ends it) is converged
// by the next apply: ncplocal makes one transition outlast a one-second
// timeout, and the run after it must leave exactly the state's edge, or
// none, in ncplocal.

// slowEdges returns a PreConfig that makes ncplocal's edge transition last
// d ("" restores the async delay).
func slowEdges(t *testing.T, srv *ncplocal.Server, transition, d string) func() {
	return func() { acctest.SlowTransition(t, srv, ncplocalge.EdgeKind.Name, transition, d) }
}

// checkEdgesSettle waits until no edge of ncplocal is in a transition, then
// checks that it holds exactly want edges: with the profile, nothing
// duplicated, nothing orphaned.
func checkEdgesSettle(srv *ncplocal.Server, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		deadline := time.Now().Add(time.Minute)
		for {
			var inv ncplocalge.Inventory
			if _, err := acctest.DecodeInventory(srv, ncplocal.DefaultCredential.AccountID, ncplocalge.ServiceName, &inv); err != nil {
				return err
			}
			busy := slices.ContainsFunc(inv.Edges, func(e wire.EdgeListItem) bool {
				return e.StatusType != wire.StatusRunning && e.StatusType != wire.StatusStopped
			})
			switch {
			case !busy && len(inv.Edges) == want:
				return nil
			case !busy:
				return fmt.Errorf("ncplocal holds edges %+v, want %d", inv.Edges, want)
			case time.Now().After(deadline):
				return fmt.Errorf("ncplocal's edges %+v are still in a transition after a minute", inv.Edges)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// TestAccGlobalEdgeCdn_createTimeoutConverges: the edge's publication
// outlasts its create timeout, so the apply fails with the edge in the
// state, tainted. The next apply replaces it: the old edge is deleted and
// exactly one new edge is left.
func TestAccGlobalEdgeCdn_createTimeoutConverges(t *testing.T) {
	acctest.SkipOnNCP(t, "ncplocal slows the edge's publication")
	g := acctest.NewTarget(t)
	srv := g.Server(t, "slows a transition")
	profile, name := acctest.RandName("tf-acc-geint"), acctest.RandName("tf-acc-edge")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkInventory(t, g, 0, 0),
		Steps: []resource.TestStep{
			{
				PreConfig:   slowEdges(t, srv, "create", "3s"),
				Config:      cdnConfig(profile, name, "KOREA", "\n  timeouts {\n    create = \"1s\"\n  }\n"),
				ExpectError: regexp.MustCompile(`Error waiting for Global Edge edge \d+ to be published`),
			},
			{
				PreConfig: slowEdges(t, srv, "create", ""),
				Config:    cdnConfig(profile, name, "KOREA", ""),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(
					plancheck.ExpectResourceAction(cdnAddr, plancheck.ResourceActionDestroyBeforeCreate)),
				Check: resource.ComposeTestCheckFunc(checkEdge(t, g, nil), checkInventory(t, g, 1, 1)),
			},
		},
	})
}

// TestAccGlobalEdgeCdn_deleteTimeoutConverges: the edge's deletion outlasts
// its delete timeout, so the destroy fails while the edge is DELETING. The
// destroy's re-run drops it from the state at the refresh (it is going away
// by itself) and deletes the profile, whose delete NCP refuses while it
// holds edges, once the edge is gone: nothing is left.
func TestAccGlobalEdgeCdn_deleteTimeoutConverges(t *testing.T) {
	acctest.SkipOnNCP(t, "ncplocal slows the edge's deletion")
	g := acctest.NewTarget(t)
	srv := g.Server(t, "slows a transition")
	profile, name := acctest.RandName("tf-acc-geint"), acctest.RandName("tf-acc-edge")
	profileOnly := acctest.ConfigCompose(fmt.Sprintf("resource \"ncp_global_edge_profile\" \"test\" {\n  name = %q\n}\n", profile))
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkInventory(t, g, 0, 0),
		Steps: []resource.TestStep{
			{
				Config: cdnConfig(profile, name, "KOREA", "\n  timeouts {\n    delete = \"1s\"\n  }\n"),
				Check:  checkInventory(t, g, 1, 1),
			},
			{
				PreConfig:   slowEdges(t, srv, "delete", "3s"),
				Config:      profileOnly,
				ExpectError: regexp.MustCompile(`Error deleting Global Edge edge \d+`),
			},
			{
				// The whole destroy run again at once: the refresh drops the
				// DELETING edge and the profile's delete waits until it is
				// gone.
				PreConfig: slowEdges(t, srv, "delete", ""),
				Config:    profileOnly,
				Destroy:   true,
				Check:     checkEdgesSettle(srv, 0),
			},
		},
	})
}
