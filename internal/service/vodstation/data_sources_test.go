package vodstation_test

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
)

func TestAccVodDataSources(t *testing.T) {
	g, _ := newTarget(t)
	bucket, catName, chName := acctest.RandName("tf-acc-vodds"), acctest.RandName("tf-acc-cat"), channelName()
	config := acctest.ConfigCompose(bucketConfig(bucket), `
resource "ncp_vod_category" "test" {
  name                 = "`+catName+`"
  encoding_template_id = 3
  output = {
    bucket_name = ncp_object_storage_bucket.out.bucket_name
    file_path   = "/vod"
  }
}

resource "ncp_vod_channel" "test" {
  name                = "`+chName+`"
  storage_bucket_name = ncp_object_storage_bucket.out.bucket_name
  protocols           = ["HLS"]
  segment_duration    = 6
}

data "ncp_vod_encoding_templates" "all" {}

data "ncp_vod_encoding_options" "sd" {
  name = "AVC_SD_1Pass_30fps"
}

data "ncp_vod_encoding_options" "audio" {
  type = "AUDIO"
}

data "ncp_vod_category" "test" {
  id = ncp_vod_category.test.id
}

data "ncp_vod_channel" "test" {
  id = ncp_vod_channel.test.id
}
`)
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{{
			Config:      acctest.ConfigCompose(`data "ncp_vod_channel" "x" { id = "vs-20250101000000-zzzzzzz" }`),
			ExpectError: acctest.ErrorPattern("Error reading VOD Station channel", "260004"),
		}, {
			Config:      acctest.ConfigCompose(`data "ncp_vod_category" "x" { id = "abc" }`),
			ExpectError: acctest.ErrorPattern("must be a category ID"),
		}, {
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ncp_vod_encoding_templates.all", tfjsonpath.New("templates").AtSliceIndex(0).AtMapKey("name"), knownvalue.StringExact("Practical content")),
				statecheck.ExpectKnownValue("data.ncp_vod_encoding_templates.all", tfjsonpath.New("templates").AtSliceIndex(2).AtMapKey("encoding_option_ids"), ints(10, 11, 12, 13)),
				statecheck.ExpectKnownValue("data.ncp_vod_encoding_options.sd", tfjsonpath.New("encoding_options"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{"id": knownvalue.Int64Exact(1), "name": knownvalue.StringExact("AVC_SD_1Pass_30fps"),
						"type": knownvalue.StringExact("NORMAL"), "format": knownvalue.StringExact("MP4"), "system": knownvalue.Bool(true)})})),
				statecheck.ExpectKnownValue("data.ncp_vod_encoding_options.audio", tfjsonpath.New("encoding_options").AtSliceIndex(0).AtMapKey("type"), knownvalue.StringExact("AUDIO")),
				statecheck.ExpectKnownValue("data.ncp_vod_category.test", tfjsonpath.New("effective_encoding_option_ids"), ints(10, 11, 12, 13)),
				statecheck.ExpectKnownValue("data.ncp_vod_category.test", tfjsonpath.New("output").AtMapKey("file_path"), knownvalue.StringExact("/vod")),
				statecheck.CompareValuePairs("data.ncp_vod_category.test", tfjsonpath.New("name"), "ncp_vod_category.test", tfjsonpath.New("name"), compare.ValuesSame()),
				statecheck.ExpectKnownValue("data.ncp_vod_channel.test", tfjsonpath.New("segment_duration"), knownvalue.Int64Exact(6)),
				statecheck.CompareValuePairs("data.ncp_vod_channel.test", tfjsonpath.New("play_url"), "ncp_vod_channel.test", tfjsonpath.New("play_url"), compare.ValuesSame()),
				statecheck.CompareValuePairs("data.ncp_vod_channel.test", tfjsonpath.New("status"), "ncp_vod_channel.test", tfjsonpath.New("status"), compare.ValuesSame()),
			},
			ConfigPlanChecks: acctest.EmptyPlanAfterApply(),
		}},
	})
}
