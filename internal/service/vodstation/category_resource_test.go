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

const categoryAddr = "ncp_vod_category.test"

func categoryConfig(bucket, name, choice, output string) string {
	return acctest.ConfigCompose(bucketConfig(bucket), fmt.Sprintf(`
resource "ncp_vod_category" "test" {
  name = %q
%s
  output = {
    bucket_name = ncp_object_storage_bucket.out.bucket_name
%s
  }
}
`, name, choice, output))
}

func ints(ids ...int64) knownvalue.Check {
	var checks []knownvalue.Check
	for _, id := range ids {
		checks = append(checks, knownvalue.Int64Exact(id))
	}
	return knownvalue.ListExact(checks)
}

// checkFolder asserts that the category's folder exists under the output
// path of the bucket.
func checkFolder(t *testing.T, g *acctest.Target, bucket, key string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		oc, err := newOS(t, g)
		if err != nil {
			return err
		}
		out, err := oc.S3().ListObjectsV2(context.Background(), listInput(bucket, key))
		if err != nil {
			return err
		}
		if len(out.Contents) == 0 {
			return fmt.Errorf("no folder %s in bucket %s", key, bucket)
		}
		return nil
	}
}

func TestAccVodCategory_basic(t *testing.T) {
	g, _ := newTarget(t)
	bucket, name := acctest.RandName("tf-acc-vodcat"), acctest.RandName("tf-acc-cat")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{{
			Config: categoryConfig(bucket, name, "  encoding_template_id = 1", `    file_path = "/vod"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(categoryAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^\d+$`))),
				statecheck.ExpectKnownValue(categoryAddr, tfjsonpath.New("effective_encoding_option_ids"), ints(1, 2, 3)),
				statecheck.ExpectKnownValue(categoryAddr, tfjsonpath.New("encoding_option_ids"), knownvalue.Null()),
				statecheck.ExpectKnownValue(categoryAddr, tfjsonpath.New("output").AtMapKey("access_control"), knownvalue.StringExact("PRIVATE")),
				statecheck.ExpectKnownValue(categoryAddr, tfjsonpath.New("output").AtMapKey("thumbnail_bucket_name"), knownvalue.StringExact(bucket)),
				statecheck.ExpectKnownValue(categoryAddr, tfjsonpath.New("output").AtMapKey("thumbnail_file_path"), knownvalue.StringExact("/vod")),
			},
			Check:            checkFolder(t, g, bucket, "vod/"+name+"/"),
			ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(categoryAddr, plancheck.ResourceActionCreate)),
		}},
	})
}

func TestAccVodCategory_update(t *testing.T) {
	g, _ := newTarget(t)
	bucket, name := acctest.RandName("tf-acc-vodcat"), acctest.RandName("tf-acc-cat")
	update := acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(categoryAddr, plancheck.ResourceActionUpdate))
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{Config: categoryConfig(bucket, name, "  encoding_template_id = 2", `    file_path = "/vod"`), ConfigPlanChecks: acctest.EmptyPlanAfterApply()},
			{
				// From a template to a list of options, a new path, public
				// files, thumbnails and a callback: all in place.
				Config: categoryConfig(bucket, name, "  encoding_option_ids = [1, 3]\n  thumbnail = true\n  notification_url = \"https://example.com/cb\"",
					"    file_path = \"/v2\"\n    access_control = \"PUBLIC_READ\""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(categoryAddr, tfjsonpath.New("effective_encoding_option_ids"), ints(1, 3)),
					statecheck.ExpectKnownValue(categoryAddr, tfjsonpath.New("encoding_template_id"), knownvalue.Null()),
					statecheck.ExpectKnownValue(categoryAddr, tfjsonpath.New("thumbnail"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(categoryAddr, tfjsonpath.New("output").AtMapKey("file_path"), knownvalue.StringExact("/v2")),
					statecheck.ExpectKnownValue(categoryAddr, tfjsonpath.New("output").AtMapKey("access_control"), knownvalue.StringExact("PUBLIC_READ")),
				},
				Check:            checkFolder(t, g, bucket, "v2/"+name+"/"),
				ConfigPlanChecks: update,
			},
			{
				// A new name replaces it.
				Config:           categoryConfig(bucket, name+"x", "  encoding_option_ids = [1, 3]", `    file_path = "/v2"`),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(categoryAddr, plancheck.ResourceActionDestroyBeforeCreate)),
			},
		},
	})
}

func TestAccVodCategory_import(t *testing.T) {
	g, _ := newTarget(t)
	bucket, name := acctest.RandName("tf-acc-vodcat"), acctest.RandName("tf-acc-cat")
	config := categoryConfig(bucket, name, "  encoding_option_ids = [2]", `    file_path = "/vod"`)
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: []resource.TestStep{
			{Config: config, ConfigPlanChecks: acctest.EmptyPlanAfterApply()},
			acctest.ImportStep(config, categoryAddr, ""),
			acctest.ImportBlockStep(config, categoryAddr, ""),
			acctest.ImportErrorStep(config, categoryAddr, "abc", acctest.ErrorPattern("The import ID of a VOD Station category is its ID")),
		},
	})
}

func TestAccVodCategory_disappears(t *testing.T) {
	g, _ := newTarget(t)
	bucket, name := acctest.RandName("tf-acc-vodcat"), acctest.RandName("tf-acc-cat")
	config := categoryConfig(bucket, name, "  encoding_option_ids = [2]", `    file_path = "/vod"`)
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkDestroyed(t, g),
		Steps: acctest.DisappearsSteps(config, categoryAddr, func(s *terraform.State) error {
			id, err := attr(s, categoryAddr, "id")
			if err != nil {
				return err
			}
			n, _ := strconv.ParseInt(id, 10, 64)
			return conn(t, g).DeleteCategory(context.Background(), n)
		}, func(*terraform.State) error { return nil }),
	})
}

func TestAccVodCategory_badInput(t *testing.T) {
	g, _ := newTarget(t)
	bucket := acctest.RandName("tf-acc-vodcat")
	g.ParallelTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: categoryConfig(bucket, "c", "  encoding_option_ids = [1]\n  encoding_template_id = 1", `    file_path = "/v"`), PlanOnly: true,
				ExpectError: acctest.ErrorPattern("encoding_option_ids", "encoding_template_id")},
			{Config: categoryConfig(bucket, "c", "", `    file_path = "/v"`), PlanOnly: true, ExpectError: acctest.ErrorPattern("encoding_option_ids", "encoding_template_id")},
			{Config: categoryConfig(bucket, "c", "  encoding_template_id = 1", `    file_path = "/a*b"`), PlanOnly: true, ExpectError: acctest.ErrorPattern("file_path", "must not contain")},
			{Config: categoryConfig(bucket, "a/b", "  encoding_template_id = 1", `    file_path = "/v"`), PlanOnly: true, ExpectError: acctest.ErrorPattern("name", "must not contain")},
			{Config: categoryConfig(bucket, "c", "  encoding_template_id = 1", "    file_path = \"/v\"\n    access_control = \"OPEN\""), PlanOnly: true, ExpectError: acctest.ErrorPattern("access_control", "PRIVATE")},
			// NCP's own check: an output bucket of no account.
			{Config: acctest.ConfigCompose(`
resource "ncp_vod_category" "test" {
  name                 = "c"
  encoding_template_id = 1
  output = {
    bucket_name = "tf-acc-no-such-bucket"
    file_path   = "/v"
  }
}
`), ExpectError: acctest.ErrorPattern("260021")},
		},
	})
}
