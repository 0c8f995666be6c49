package vodstation_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
)

const optionAddr = "ncp_vod_encoding_option.test"

func optionConfig(name string, bitrate int, extra string) string {
	return acctest.ConfigCompose(fmt.Sprintf(`
resource "ncp_vod_encoding_option" "test" {
  name = %q
%s
  video = {
    codec        = "AVC"
    profile      = "HIGH"
    bitrate      = %d
    width        = 1280
    height       = 720
    framerate    = 29.97
    rate_control = "VBR"
  }
  audio = {
    codec         = "AAC"
    channel       = "2"
    bitrate       = 128
    sampling_rate = 48000
  }
}
`, name, extra, bitrate))
}

// optionName is a random option name within NCP's 20 characters.
func optionName() string {
	n := acctest.RandName(acctest.NamePrefix + "opt")
	if len(n) > 20 {
		n = n[:20]
	}
	return n
}

func TestAccVodEncodingOption_basic(t *testing.T) {
	g, _ := newTarget(t)
	name := optionName()
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{{
			Config: optionConfig(name, 2500, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(optionAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^\d+$`))),
				statecheck.ExpectKnownValue(optionAddr, tfjsonpath.New("type"), knownvalue.StringExact("NORMAL")),
				statecheck.ExpectKnownValue(optionAddr, tfjsonpath.New("format"), knownvalue.StringExact("MP4")),
				statecheck.ExpectKnownValue(optionAddr, tfjsonpath.New("video").AtMapKey("framerate"), knownvalue.Float64Exact(29.97)),
				statecheck.ExpectKnownValue(optionAddr, tfjsonpath.New("video").AtMapKey("level"), knownvalue.Null()),
			},
			ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(optionAddr, plancheck.ResourceActionCreate)),
		}},
	})
}

func TestAccVodEncodingOption_update(t *testing.T) {
	g, _ := newTarget(t)
	name := optionName()
	replaced := acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(optionAddr, plancheck.ResourceActionDestroyBeforeCreate))
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{Config: optionConfig(name, 2500, ""), ConfigPlanChecks: acctest.EmptyPlanAfterApply()},
			// NCP cannot change an option: a new bitrate replaces it.
			{Config: optionConfig(name, 3000, ""), ConfigPlanChecks: replaced,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(optionAddr, tfjsonpath.New("video").AtMapKey("bitrate"), knownvalue.Int64Exact(3000))}},
			// An audio-only option.
			{Config: acctest.ConfigCompose(fmt.Sprintf(`
resource "ncp_vod_encoding_option" "test" {
  name  = %q
  type  = "AUDIO"
  audio = {
    codec   = "AAC"
    bitrate = 64
  }
}
`, name)), ConfigPlanChecks: replaced},
		},
	})
}

func TestAccVodEncodingOption_import(t *testing.T) {
	g, _ := newTarget(t)
	config := optionConfig(optionName(), 2500, "")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{Config: config, ConfigPlanChecks: acctest.EmptyPlanAfterApply()},
			acctest.ImportStep(config, optionAddr, ""),
			acctest.ImportBlockStep(config, optionAddr, ""),
			// A system option is not a custom one.
			acctest.ImportErrorStep(config, optionAddr, "1", acctest.ErrorPattern("is provided by NCP")),
		},
	})
}

func TestAccVodEncodingOption_disappears(t *testing.T) {
	g, _ := newTarget(t)
	config := optionConfig(optionName(), 2500, "")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: acctest.DisappearsSteps(config, optionAddr, func(s *terraform.State) error {
			id, err := attr(s, optionAddr, "id")
			if err != nil {
				return err
			}
			n, _ := strconv.ParseInt(id, 10, 64)
			return conn(t, g).DeleteEncodingOption(context.Background(), n)
		}, func(*terraform.State) error { return nil }),
	})
}

func TestAccVodEncodingOption_badInput(t *testing.T) {
	g, _ := newTarget(t)
	g.ParallelTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: optionConfig("a b", 2500, ""), PlanOnly: true, ExpectError: acctest.ErrorPattern("name", "letters, digits")},
			{Config: optionConfig("valid", 10, ""), PlanOnly: true, ExpectError: acctest.ErrorPattern("bitrate", "between 100 and 50000")},
			{Config: optionConfig("valid", 2500, `  type = "AUDIO"`), PlanOnly: true, ExpectError: acctest.ErrorPattern("video must be left out")},
			{Config: acctest.ConfigCompose(`
resource "ncp_vod_encoding_option" "test" {
  name  = "novideo"
  audio = { codec = "AAC" }
}
`), PlanOnly: true, ExpectError: acctest.ErrorPattern("video is required")},
			{Config: acctest.ConfigCompose(`
resource "ncp_vod_encoding_option" "test" {
  name  = "badaudio"
  type  = "AUDIO"
  audio = {
    codec   = "MP3"
    bitrate = 500
  }
}
`), PlanOnly: true, ExpectError: acctest.ErrorPattern("codec", "AAC")},
		},
	})
}
