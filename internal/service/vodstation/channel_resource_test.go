package vodstation_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
)

const channelAddr = "ncp_vod_channel.test"

var channelIDRE = regexp.MustCompile(`^vs-\d{14}-[0-9a-z]{7}$`)

// channelConfig is a bucket and a channel on it; extra goes inside the
// channel block.
func channelConfig(bucket, name, protocols string, segment int, extra string) string {
	return acctest.ConfigCompose(bucketConfig(bucket), fmt.Sprintf(`
resource "ncp_vod_channel" "test" {
  name                = %q
  storage_bucket_name = ncp_object_storage_bucket.out.bucket_name
  protocols           = %s
  segment_duration    = %d
%s
  timeouts {
    create = "5m"
    delete = "5m"
  }
}
`, name, protocols, segment, extra))
}

func channelChecks(name, status string, segment int) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(channelIDRE)),
		statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("name"), knownvalue.StringExact(name)),
		statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("status"), knownvalue.StringExact(status)),
		statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("segment_duration"), knownvalue.Int64Exact(int64(segment))),
		statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("segment_duration_option"), knownvalue.StringExact("BASIC")),
		statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("encrypted_bucket_name"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]+$`))),
		statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("play_url"), knownvalue.StringRegexp(regexp.MustCompile(`^https://.+/hls/[0-9a-f]+/\{filePath\}/index\.m3u8$`))),
		statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("cdn_status"), knownvalue.StringExact("none")),
		statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("cdn_domain"), knownvalue.Null()),
	}
}

func TestAccVodChannel_basic(t *testing.T) {
	g, _ := newTarget(t)
	bucket, name := acctest.RandName("tf-acc-vodch"), channelName()
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{{
			Config:            channelConfig(bucket, name, `["HLS"]`, 5, ""),
			ConfigStateChecks: channelChecks(name, "READY", 5),
			ConfigPlanChecks:  acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(channelAddr, plancheck.ResourceActionCreate)),
		}},
	})
}

// channelName is a random channel name within NCP's 20 characters.
func channelName() string {
	n := acctest.RandName(acctest.NamePrefix + "ch")
	if len(n) > 20 {
		n = n[:20]
	}
	return strings.TrimRight(n, "-")
}

func TestAccVodChannel_update(t *testing.T) {
	g, _ := newTarget(t)
	bucket, name1, name2 := acctest.RandName("tf-acc-vodch"), channelName(), channelName()
	update := acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(channelAddr, plancheck.ResourceActionUpdate))
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{Config: channelConfig(bucket, name1, `["HLS"]`, 5, ""), ConfigStateChecks: channelChecks(name1, "READY", 5), ConfigPlanChecks: acctest.EmptyPlanAfterApply()},
			{
				// Name, protocols and segment change in place.
				Config: channelConfig(bucket, name2, `["HLS", "DASH"]`, 10, ""),
				ConfigStateChecks: append(channelChecks(name2, "READY", 10),
					statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("protocols"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("HLS"), knownvalue.StringExact("DASH")}))),
				ConfigPlanChecks: update,
			},
			{
				// enabled = false stops it in place...
				Config:            channelConfig(bucket, name2, `["HLS", "DASH"]`, 10, "  enabled = false\n"),
				ConfigStateChecks: channelChecks(name2, "STOPPED", 10),
				ConfigPlanChecks:  update,
			},
			{
				// ...and true starts it again.
				Config:            channelConfig(bucket, name2, `["HLS", "DASH"]`, 10, "  enabled = true\n"),
				ConfigStateChecks: channelChecks(name2, "READY", 10),
				ConfigPlanChecks:  update,
			},
			{
				// access_private_files cannot change in place.
				Config:           channelConfig(bucket, name2, `["HLS", "DASH"]`, 10, "  access_private_files = true\n"),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(channelAddr, plancheck.ResourceActionDestroyBeforeCreate)),
			},
		},
	})
}

func TestAccVodChannel_import(t *testing.T) {
	g, _ := newTarget(t)
	bucket, name := acctest.RandName("tf-acc-vodch"), channelName()
	// Without a timeouts block, which an import block cannot know.
	config := strings.Replace(channelConfig(bucket, name, `["DASH"]`, 7, ""), "  timeouts {\n    create = \"5m\"\n    delete = \"5m\"\n  }\n", "", 1)
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{Config: config, ConfigPlanChecks: acctest.EmptyPlanAfterApply()},
			{Config: config, ResourceName: channelAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"timeouts"}},
			acctest.ImportBlockStep(config, channelAddr, ""),
			acctest.ImportErrorStep(config, channelAddr, "not-a-channel", acctest.ErrorPattern("The import ID of a VOD Station channel is its ID")),
		},
	})
}

func TestAccVodChannel_disappears(t *testing.T) {
	g, _ := newTarget(t)
	bucket, name := acctest.RandName("tf-acc-vodch"), channelName()
	config := channelConfig(bucket, name, `["HLS"]`, 5, "")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps:        acctest.DisappearsSteps(config, channelAddr, deleteChannelOutOfBand(t, g, channelAddr), func(*terraform.State) error { return nil }),
	})
}

func TestAccVodChannel_badInput(t *testing.T) {
	g, _ := newTarget(t)
	bucket := acctest.RandName("tf-acc-vodch")
	g.ParallelTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: channelConfig(bucket, "ab", `["HLS"]`, 5, ""), PlanOnly: true, ExpectError: acctest.ErrorPattern(`Attribute name must be 3 to 20 letters, digits or`)},
			{Config: channelConfig(bucket, "my_channel", `["HLS"]`, 5, ""), PlanOnly: true, ExpectError: acctest.ErrorPattern("name", "260032")},
			{Config: channelConfig(bucket, "valid", `["HLS"]`, 30, ""), PlanOnly: true, ExpectError: acctest.ErrorPattern("segment_duration", "value must be between 5 and 20")},
			{Config: channelConfig(bucket, "valid", `[]`, 5, ""), PlanOnly: true, ExpectError: acctest.ErrorPattern("protocols", "at least 1")},
			{Config: channelConfig(bucket, "valid", `["RTMP"]`, 5, ""), PlanOnly: true, ExpectError: acctest.ErrorPattern("protocols", "HLS", "DASH")},
			{Config: channelConfig(bucket, "valid", `["HLS"]`, 5, "  cdn = {\n    profile_id  = 1\n    region_type = \"MARS\"\n  }\n"), PlanOnly: true,
				ExpectError: acctest.ErrorPattern("region_type", "KOREA")},
		},
	})
}

// TestAccVodChannel_cdn creates a channel with a Global Edge CDN, whose
// profile the fake Global Edge makes (the ncp_global_edge_profile resource
// comes with the Global Edge merge).
func TestAccVodChannel_cdn(t *testing.T) {
	g, edges := newTarget(t)
	g.Server(t, "the CDN's profile comes from the emulator's Global Edge test hook")
	profile := edges.AddProfile(account)
	bucket, name := acctest.RandName("tf-acc-vodch"), channelName()
	config := channelConfig(bucket, name, `["HLS"]`, 5, fmt.Sprintf("  cdn = {\n    profile_id  = %d\n    region_type = \"KOREA\"\n  }\n", profile))
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("cdn_domain"), knownvalue.StringRegexp(regexp.MustCompile(`\.edge\.naverncp\.com$`))),
					statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("cdn_edge_id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(channelAddr, tfjsonpath.New("play_url"), knownvalue.StringRegexp(regexp.MustCompile(`^https://e\d+\.edge\.naverncp\.com/hls/`))),
				},
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(),
				Check: func(*terraform.State) error {
					for _, e := range edges.Edges(account) {
						if e.OriginBucket != bucket || e.ProfileID != profile {
							return fmt.Errorf("edge request %+v", e)
						}
						return nil
					}
					return fmt.Errorf("no edge was created")
				},
			},
			{Config: config, ResourceName: channelAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"timeouts", "cdn_status"}},
		},
	})
}
