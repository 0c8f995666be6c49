package vodstation_test

import (
	"context"
	"fmt"
	"strconv"
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
	gewire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

const edgeProfileAddr = "ncp_global_edge_profile.cdn"

// channelWithEdgeConfig is a bucket, a Global Edge profile and, when
// withChannel, a channel whose CDN is an edge of that profile; extra goes
// inside the channel block. The profile outlives the channel in the steps
// that drop it, as a shared profile would.
func channelWithEdgeConfig(bucket, profile, name string, withChannel bool, extra string) string {
	return channelWithEdgeTimeouts(bucket, profile, name, withChannel, extra, "10m", "10m")
}

// channelWithEdgeTimeouts is channelWithEdgeConfig with the channel's
// create and delete timeouts.
func channelWithEdgeTimeouts(bucket, profile, name string, withChannel bool, extra, create, del string) string {
	blocks := []string{bucketConfig(bucket), fmt.Sprintf(`
resource "ncp_global_edge_profile" "cdn" {
  name = %q
}
`, profile)}
	if withChannel {
		blocks = append(blocks, fmt.Sprintf(`
resource "ncp_vod_channel" "test" {
  name                = %q
  storage_bucket_name = ncp_object_storage_bucket.out.bucket_name
  protocols           = ["HLS"]
  segment_duration    = 5

  cdn = {
    profile_id  = ncp_global_edge_profile.cdn.id
    region_type = "KOREA"
  }
%s
  timeouts {
    create = %q
    delete = %q
  }
}
`, name, extra, create, del))
	}
	return acctest.ConfigCompose(blocks...)
}

// profileEdges lists, through the Global Edge API, the edges of the profile
// in state.
func profileEdges(t *testing.T, g *acctest.Target, s *terraform.State) ([]gewire.EdgeListItem, error) {
	id, err := attr(s, edgeProfileAddr, "id")
	if err != nil {
		return nil, err
	}
	profile, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, err
	}
	return geclient.New(g.Client(t)).ListEdges(context.Background(), profile)
}

// checkChannelEdge checks that Global Edge holds the channel's edge
// (cdn_edge_id), RUNNING, in the profile, with the channel's cdn_domain.
func checkChannelEdge(t *testing.T, g *acctest.Target) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		edges, err := profileEdges(t, g, s)
		if err != nil {
			return err
		}
		id, err := attr(s, channelAddr, "cdn_edge_id")
		if err != nil {
			return err
		}
		domain, _ := attr(s, channelAddr, "cdn_domain")
		if len(edges) != 1 || strconv.FormatInt(edges[0].ID, 10) != id || edges[0].StatusType != gewire.StatusRunning ||
			edges[0].DomainName != domain {
			return fmt.Errorf("Global Edge lists %+v; want the channel's edge %s RUNNING with domain %s", edges, id, domain)
		}
		return nil
	}
}

// TestAccVodChannel_cdnDestroyedWithChannel: NCP leaves a deleted channel's
// edge behind, and a profile holding an edge cannot be deleted, so the
// channel's destroy also stops and deletes its edge (delete_cdn_on_destroy,
// default true). The channel is dropped first while the profile stays, then
// the profile is destroyed: both succeed and Global Edge is left empty.
func TestAccVodChannel_cdnDestroyedWithChannel(t *testing.T) {
	g := acctest.NewTarget(t)
	bucket, profile, name := acctest.RandName("tf-acc-vodcdn"), acctest.RandName("tf-acc-vodcdn"), channelName()
	config := channelWithEdgeConfig(bucket, profile, name, true, "")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: resource.ComposeTestCheckFunc(checkDestroyed(t, g), checkNoProfileNamed(t, g, profile)),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("delete_cdn_on_destroy"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("cdn_edge_id"), knownvalue.NotNull()),
				},
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(),
				Check:            checkChannelEdge(t, g),
			},
			{Config: config, ResourceName: channelAddr, ImportState: true, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"timeouts", "cdn_status"}},
			{
				// The channel goes, the profile stays: the edge went with the channel.
				Config:           channelWithEdgeConfig(bucket, profile, name, false, ""),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(channelAddr, plancheck.ResourceActionDestroy)),
				Check: func(s *terraform.State) error {
					edges, err := profileEdges(t, g, s)
					if err != nil {
						return err
					}
					if len(edges) != 0 {
						return fmt.Errorf("the profile still holds %+v after the channel's destroy", edges)
					}
					return nil
				},
			},
		},
	})
}

// TestAccVodChannel_cdnKept: with delete_cdn_on_destroy = false (changed in
// place) the channel's destroy leaves its edge running, as NCP does.
func TestAccVodChannel_cdnKept(t *testing.T) {
	g := acctest.NewTarget(t)
	bucket, profile, name := acctest.RandName("tf-acc-vodcdn"), acctest.RandName("tf-acc-vodcdn"), channelName()
	var edgeID int64
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: resource.ComposeTestCheckFunc(checkDestroyed(t, g), checkNoProfileNamed(t, g, profile)),
		Steps: []resource.TestStep{
			{Config: channelWithEdgeConfig(bucket, profile, name, true, ""), Check: checkChannelEdge(t, g)},
			{
				Config: channelWithEdgeConfig(bucket, profile, name, true, "  delete_cdn_on_destroy = false\n"),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(channelAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(channelAddr, tfjsonpath.New("cdn_edge_id"), knownvalue.NotNull())),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("delete_cdn_on_destroy"), knownvalue.Bool(false)),
				},
				Check: func(s *terraform.State) error {
					id, err := attr(s, channelAddr, "cdn_edge_id")
					if err == nil {
						edgeID, err = strconv.ParseInt(id, 10, 64)
					}
					return err
				},
			},
			{
				Config:           channelWithEdgeConfig(bucket, profile, name, false, ""),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(channelAddr, plancheck.ResourceActionDestroy)),
				Check: func(s *terraform.State) error {
					edges, err := profileEdges(t, g, s)
					if err != nil {
						return err
					}
					if len(edges) != 1 || edges[0].ID != edgeID || edges[0].StatusType != gewire.StatusRunning {
						return fmt.Errorf("the profile holds %+v after the channel's destroy; want its edge %d kept RUNNING", edges, edgeID)
					}
					// The kept edge is the user's now; remove it so the
					// profile can go.
					return globaledge.StopAndDeleteEdge(context.Background(), geclient.New(g.Client(t)), acctest.TestWaitConfig, edgeID)
				},
			},
		},
	})
}

// checkNoProfileNamed checks that no Global Edge profile is named name.
func checkNoProfileNamed(t *testing.T, g *acctest.Target, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		profiles, err := geclient.New(g.Client(t)).ListProfiles(context.Background())
		if err != nil && !client.IsNotFound(err) {
			return err
		}
		for _, p := range profiles {
			if p.ProfileName == name {
				return fmt.Errorf("profile %s (%d) is still there after destroy", name, p.ID)
			}
		}
		return nil
	}
}
