package objectstorage_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

const eventAddress = "ncp_object_storage_bucket_event.test"

// testAccBucketEventConfig is a bucket with rule "on-upload" (events,
// prefix, suffix as given; "" leaves them out) and, with second, a second
// rule "on-delete" on the same bucket, made at the same time.
func testAccBucketEventConfig(bucket string, events []string, prefix, suffix string, second bool) string {
	q := make([]string, len(events))
	for i, e := range events {
		q[i] = fmt.Sprintf("%q", e)
	}
	opt := ""
	if prefix != "" {
		opt += fmt.Sprintf("  prefix = %q\n", prefix)
	}
	if suffix != "" {
		opt += fmt.Sprintf("  suffix = %q\n", suffix)
	}
	cfg := fmt.Sprintf(`
resource "ncp_object_storage_bucket" "test" {
  bucket_name = %[1]q
}

resource "ncp_object_storage_bucket_event" "test" {
  bucket_name = ncp_object_storage_bucket.test.bucket_name
  name        = "on-upload"
  events      = [%[2]s]
%[3]s}
`, bucket, strings.Join(q, ", "), opt)
	if second {
		cfg += `
resource "ncp_object_storage_bucket_event" "second" {
  bucket_name = ncp_object_storage_bucket.test.bucket_name
  name        = "on-delete"
  events      = ["s3:ObjectRemoved:*"]
  target      = "cloudfunctions"
}
`
	}
	return acctest.ConfigCompose(cfg)
}

// testAccCheckEventRules checks the bucket's rules, by name, against want.
func testAccCheckEventRules(conn *osclient.Client, bucket string, want ...wire.EventRule) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, err := conn.GetBucketEventRules(context.Background(), bucket)
		if err != nil {
			return err
		}
		slices.SortFunc(got, func(a, b wire.EventRule) int { return strings.Compare(a.Name, b.Name) })
		slices.SortFunc(want, func(a, b wire.EventRule) int { return strings.Compare(a.Name, b.Name) })
		if !reflect.DeepEqual(got, want) {
			return fmt.Errorf("bucket %s has rules %+v, want %+v", bucket, got, want)
		}
		return nil
	}
}

func TestAccObjectStorageBucketEvent_basic(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetConn(t, g)
	bucket := bucketName("event")
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: testAccCheckBucketDestroy(conn),
		Steps: []resource.TestStep{
			{
				Config:           testAccBucketEventConfig(bucket, []string{"s3:ObjectCreated:*"}, "uploads/", ".mp4", false),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(eventAddress, plancheck.ResourceActionCreate)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(eventAddress, tfjsonpath.New("id"), knownvalue.StringExact(bucket+"/on-upload")),
					statecheck.ExpectKnownValue(eventAddress, tfjsonpath.New("events"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("s3:ObjectCreated:*")})),
					statecheck.ExpectKnownValue(eventAddress, tfjsonpath.New("prefix"), knownvalue.StringExact("uploads/")),
					statecheck.ExpectKnownValue(eventAddress, tfjsonpath.New("suffix"), knownvalue.StringExact(".mp4")),
					statecheck.ExpectKnownValue(eventAddress, tfjsonpath.New("target"), knownvalue.StringExact("cloudfunctions")),
				},
				Check: testAccCheckEventRules(conn, bucket, wire.EventRule{Name: "on-upload", Events: []string{"s3:ObjectCreated:*"},
					Prefix: "uploads/", Suffix: ".mp4", Target: "cloudfunctions"}),
			},
		},
	})
}

// TestAccObjectStorageBucketEvent_update changes a rule in place, adds a
// second rule to the same bucket (both made at once: the provider writes
// the bucket's one configuration a rule at a time) and removes it again.
func TestAccObjectStorageBucketEvent_update(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetConn(t, g)
	bucket := bucketName("eventupd")
	upload := func(events []string, prefix, suffix string) wire.EventRule {
		return wire.EventRule{Name: "on-upload", Events: events, Prefix: prefix, Suffix: suffix, Target: "cloudfunctions"}
	}
	second := wire.EventRule{Name: "on-delete", Events: []string{"s3:ObjectRemoved:*"}, Target: "cloudfunctions"}
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: testAccCheckBucketDestroy(conn),
		Steps: []resource.TestStep{
			{
				Config:           testAccBucketEventConfig(bucket, []string{"s3:ObjectCreated:Put"}, "", "", true),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(),
				Check:            testAccCheckEventRules(conn, bucket, upload([]string{"s3:ObjectCreated:Put"}, "", ""), second),
			},
			{
				Config: testAccBucketEventConfig(bucket, []string{"s3:ObjectCreated:Put", "s3:ObjectCreated:CompleteMultipartUpload"}, "in/", ".mov", true),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(
					plancheck.ExpectResourceAction(eventAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("ncp_object_storage_bucket_event.second", plancheck.ResourceActionNoop),
				),
				Check: testAccCheckEventRules(conn, bucket,
					upload([]string{"s3:ObjectCreated:Put", "s3:ObjectCreated:CompleteMultipartUpload"}, "in/", ".mov"), second),
			},
			{
				Config: testAccBucketEventConfig(bucket, []string{"s3:ObjectCreated:*"}, "", "", false),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(
					plancheck.ExpectResourceAction(eventAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("ncp_object_storage_bucket_event.second", plancheck.ResourceActionDestroy),
				),
				Check: testAccCheckEventRules(conn, bucket, upload([]string{"s3:ObjectCreated:*"}, "", "")),
			},
		},
	})
}

// TestAccObjectStorageBucketEvent_import imports a rule made by the
// provider (CLI and import block), and one made outside Terraform (as in
// NCP's console) with an import block whose plan changes nothing.
func TestAccObjectStorageBucketEvent_import(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetConn(t, g)
	bucket := bucketName("eventimp")
	cfg := testAccBucketEventConfig(bucket, []string{"s3:ObjectCreated:*"}, "uploads/", "", false)
	consoleRule := wire.EventRule{Name: "console-made", Events: []string{"s3:ObjectRemoved:Delete"}, Suffix: ".tmp", Target: "cloudfunctions"}
	consoleCfg := cfg + `
import {
  to = ncp_object_storage_bucket_event.console
  id = "` + bucket + `/console-made"
}

resource "ncp_object_storage_bucket_event" "console" {
  bucket_name = ncp_object_storage_bucket.test.bucket_name
  name        = "console-made"
  events      = ["s3:ObjectRemoved:Delete"]
  suffix      = ".tmp"
}
`
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: testAccCheckBucketDestroy(conn),
		Steps: []resource.TestStep{
			{
				Config:           cfg,
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(),
				// A rule made outside Terraform, next to the managed one.
				Check: func(*terraform.State) error {
					rules, err := conn.GetBucketEventRules(context.Background(), bucket)
					if err != nil {
						return err
					}
					return conn.PutBucketEventRules(context.Background(), bucket, append(rules, consoleRule))
				},
			},
			acctest.ImportStep(cfg, eventAddress, bucket+"/on-upload"),
			acctest.ImportBlockStep(cfg, eventAddress, bucket+"/on-upload",
				plancheck.ExpectKnownValue(eventAddress, tfjsonpath.New("prefix"), knownvalue.StringExact("uploads/"))),
			{
				Config: consoleCfg,
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(
					plancheck.ExpectResourceAction("ncp_object_storage_bucket_event.console", plancheck.ResourceActionNoop),
				),
				Check: testAccCheckEventRules(conn, bucket,
					wire.EventRule{Name: "on-upload", Events: []string{"s3:ObjectCreated:*"}, Prefix: "uploads/", Target: "cloudfunctions"},
					consoleRule),
			},
			acctest.ImportErrorStep(cfg, eventAddress, "no-slash", acctest.ErrorPattern("The import ID of a bucket event rule is",
				"<bucket_name>/<rule name>", `got "no-slash"`)),
		},
	})
}

// TestAccObjectStorageBucketEvent_disappears deletes the rule outside
// Terraform: the refresh drops it and the next apply makes it again.
func TestAccObjectStorageBucketEvent_disappears(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetConn(t, g)
	bucket := bucketName("eventgone")
	cfg := testAccBucketEventConfig(bucket, []string{"s3:ObjectCreated:*"}, "", "", false)
	rule := wire.EventRule{Name: "on-upload", Events: []string{"s3:ObjectCreated:*"}, Target: "cloudfunctions"}
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: testAccCheckBucketDestroy(conn),
		Steps: acctest.DisappearsSteps(cfg, eventAddress,
			func(*terraform.State) error { return conn.PutBucketEventRules(context.Background(), bucket, nil) },
			testAccCheckEventRules(conn, bucket, rule)),
	})
}

// TestAccObjectStorageBucketEvent_exists refuses to take over a rule of
// the same name made outside Terraform, with a hint to import it.
func TestAccObjectStorageBucketEvent_exists(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetConn(t, g)
	bucket := bucketName("eventdup")
	bucketOnly := testAccBucketConfig(bucket)
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: testAccCheckBucketDestroy(conn),
		Steps: []resource.TestStep{
			{
				Config: bucketOnly,
				Check: func(*terraform.State) error {
					return conn.PutBucketEventRules(context.Background(), bucket, []wire.EventRule{{Name: "on-upload", Events: []string{"s3:ObjectCreated:Put"}, Target: "cloudfunctions"}})
				},
			},
			{
				Config: testAccBucketEventConfig(bucket, []string{"s3:ObjectCreated:*"}, "", "", false),
				ExpectError: acctest.ErrorPattern(fmt.Sprintf("bucket event rule %q", bucket+"/on-upload"), "already exists",
					"terraform import ncp_object_storage_bucket_event.<name> "+bucket+"/on-upload"),
			},
			{
				// The refused create changed nothing.
				Config: bucketOnly,
				Check:  testAccCheckEventRules(conn, bucket, wire.EventRule{Name: "on-upload", Events: []string{"s3:ObjectCreated:Put"}, Target: "cloudfunctions"}),
			},
		},
	})
}

func TestAccObjectStorageBucketEvent_badInput(t *testing.T) {
	g := acctest.NewTarget(t)
	bucket := bucketName("eventbad")
	for _, tt := range []struct {
		name, body string
		want       []string
	}{
		{"unknown event", `name = "r"
  events = ["s3:ObjectCreated:Get"]`, []string{"events[0]", "value must be one of"}},
		{"no event", `name = "r"
  events = []`, []string{"events", "list must contain at least 1"}},
		{"twice", `name = "r"
  events = ["s3:ObjectCreated:*", "s3:ObjectCreated:*"]`, []string{"events", "duplicate"}},
		{"slash in name", `name = "a/b"
  events = ["s3:ObjectCreated:*"]`, []string{`Attribute name: "a/b" must not contain '/'`}},
		{"long prefix", `name = "r"
  events = ["s3:ObjectCreated:*"]
  prefix = "` + strings.Repeat("가", 400) + `"`, []string{"Attribute prefix is 1200 bytes long", "at most 1024 bytes"}},
		{"bad bucket", `name = "r"
  events = ["s3:ObjectCreated:*"]
  bucket_name = "Bad_Bucket"`, []string{"not a valid Object Storage bucket name"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body
			if !strings.Contains(body, "bucket_name") {
				body += fmt.Sprintf("\n  bucket_name = %q", bucket)
			}
			g.ParallelTest(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config:      fmt.Sprintf("resource \"ncp_object_storage_bucket_event\" \"test\" {\n  %s\n}\n", body),
					PlanOnly:    true,
					ExpectError: acctest.ErrorPattern(tt.want...),
				}},
			})
		})
	}
}
