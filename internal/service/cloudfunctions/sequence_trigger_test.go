package cloudfunctions_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// testAccFunctionsBase is the network, package pkg and actions "<pkg>/a"
// and "<pkg>/b" (python, inline).
func testAccFunctionsBase(g *acctest.Target, net, pkg string) string {
	action := func(res, name string) string {
		return fmt.Sprintf(`
resource "ncp_cloud_functions_action" %[1]q {
  package = ncp_cloud_functions_package.test.name
  name    = %[2]q
  runtime = "python:3.13"
  code    = %[3]q
%[4]s}
`, res, name, pyHello, vpcBlock)
	}
	return networkConfig(g, net) + fmt.Sprintf(`
resource "ncp_cloud_functions_package" "test" {
  name = %q
}
`, pkg) + action("a", pkg+"-a") + action("b", pkg+"-b")
}

// testAccSequenceConfig adds sequence name running actions (resource names
// a or b, in order).
func testAccSequenceConfig(g *acctest.Target, net, pkg, name string, actions ...string) string {
	refs := make([]string, len(actions))
	for i, a := range actions {
		refs[i] = "ncp_cloud_functions_action." + a + ".id"
	}
	return acctest.ConfigCompose(testAccFunctionsBase(g, net, pkg), fmt.Sprintf(`
resource "ncp_cloud_functions_sequence" "test" {
  package     = ncp_cloud_functions_package.test.name
  name        = %q
  description = "pipeline"
  actions     = [%s]
  parameters  = { stage = "all" }
}
`, name, strings.Join(refs, ", ")))
}

func checkComponents(conn interface {
	GetAction(context.Context, string, string) (*wire.Action, error)
}, pkg, name string, want ...string,
) resource.TestCheckFunc {
	return func(*terraform.State) error {
		a, err := conn.GetAction(context.Background(), pkg, name)
		if err != nil {
			return err
		}
		if a.Exec.Kind != wire.KindSequence || !slices.Equal(a.Exec.Components, want) {
			return fmt.Errorf("sequence %s/%s: kind %s, components %v, want %v", pkg, name, a.Exec.Kind, a.Exec.Components, want)
		}
		return nil
	}
}

// TestAccCloudFunctionsSequence_basic creates a sequence, reorders and
// shortens it in place, imports it and checks the disappearance.
func TestAccCloudFunctionsSequence_basic(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	pkg, name, net := cfName("pkg"), cfName("seq"), acctest.RandName("tf-acc-net")
	a, b := pkg+"/"+pkg+"-a", pkg+"/"+pkg+"-b"
	sameID := statecheck.CompareValue(compare.ValuesSame())
	final := testAccSequenceConfig(g, net, pkg, name, "b")
	vpcTest(t, g, resource.TestCase{
		CheckDestroy: checkCFDestroy(conn),
		Steps: append([]resource.TestStep{
			{
				Config:           testAccSequenceConfig(g, net, pkg, name, "a", "b"),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(sequenceAddress, plancheck.ResourceActionCreate)),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(sequenceAddress, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(sequenceAddress, tfjsonpath.New("actions"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(a), knownvalue.StringExact(b)})),
				},
				Check: checkComponents(conn, pkg, name, a, b),
			},
			{
				Config:            testAccSequenceConfig(g, net, pkg, name, "b", "a"),
				ConfigPlanChecks:  acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(sequenceAddress, plancheck.ResourceActionUpdate)),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(sequenceAddress, tfjsonpath.New("id"))},
				Check:             checkComponents(conn, pkg, name, b, a),
			},
			{
				Config:           final,
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(sequenceAddress, plancheck.ResourceActionUpdate)),
				Check:            checkComponents(conn, pkg, name, b),
			},
			acctest.ImportStep(final, sequenceAddress, pkg+"/"+name),
			acctest.ImportBlockStep(final, sequenceAddress, pkg+"/"+name),
			{
				// An action is not a sequence.
				Config:        final,
				ResourceName:  sequenceAddress,
				ImportState:   true,
				ImportStateId: a,
				ExpectError:   regexp.MustCompile(`is not a sequence`),
			},
		}, acctest.DisappearsSteps(final, sequenceAddress,
			oob(func(ctx context.Context) error { return conn.DeleteAction(ctx, pkg, name) }),
			checkComponents(conn, pkg, name, b))...),
	})
}

func TestAccCloudFunctionsSequence_badInput(t *testing.T) {
	g := acctest.NewTarget(t)
	for _, tt := range []struct {
		name, actions string
		want          []string
	}{
		{"no slash", `["a"]`, []string{`Attribute actions[0]: "a" must be`, "it has no '/'"}},
		{"bad action", `["p/-a"]`, []string{"the action name is invalid"}},
		{"empty", `[]`, []string{"actions", "at least 1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g.ParallelTest(t, resource.TestCase{Steps: []resource.TestStep{{
				Config:      acctest.ConfigCompose(fmt.Sprintf("resource \"ncp_cloud_functions_sequence\" \"test\" {\n  name = \"s\"\n  actions = %s\n}\n", tt.actions)),
				PlanOnly:    true,
				ExpectError: acctest.ErrorPattern(tt.want...),
			}}})
		})
	}
}

// testAccCronTriggerConfig adds a cron trigger linked to the given actions
// (resource names a or b).
func testAccCronTriggerConfig(g *acctest.Target, net, pkg, name, cron string, links ...string) string {
	refs := make([]string, len(links))
	for i, l := range links {
		refs[i] = "ncp_cloud_functions_action." + l + ".id"
	}
	return acctest.ConfigCompose(testAccFunctionsBase(g, net, pkg), fmt.Sprintf(`
resource "ncp_cloud_functions_trigger" "test" {
  name       = %q
  type       = "cron"
  cron       = %q
  parameters = { from = "cron" }
  actions    = [%s]
}
`, name, cron, strings.Join(refs, ", ")))
}

// TestAccCloudFunctionsTrigger_cron creates a cron trigger with a link,
// changes its schedule and links in place, shows a link removed outside
// Terraform as drift, imports it and checks the disappearance.
func TestAccCloudFunctionsTrigger_cron(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	pkg, name, net := cfName("pkg"), cfName("trg"), acctest.RandName("tf-acc-net")
	a, b := pkg+"/"+pkg+"-a", pkg+"/"+pkg+"-b"
	both := testAccCronTriggerConfig(g, net, pkg, name, "0 9 * * 1-5", "a", "b")
	vpcTest(t, g, resource.TestCase{
		CheckDestroy: checkCFDestroy(conn),
		Steps: append([]resource.TestStep{
			{
				Config:           testAccCronTriggerConfig(g, net, pkg, name, "0 20 * * *", "a"),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(triggerAddress, plancheck.ResourceActionCreate)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(triggerAddress, tfjsonpath.New("cron"), knownvalue.StringExact("0 20 * * *")),
					statecheck.ExpectKnownValue(triggerAddress, tfjsonpath.New("actions"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(a)})),
				},
				Check: checkTriggerLinks(conn, name, a),
			},
			{
				Config:           both,
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(triggerAddress, plancheck.ResourceActionUpdate)),
				Check: resource.ComposeTestCheckFunc(checkTriggerLinks(conn, name, a, b), func(*terraform.State) error {
					tr, err := conn.GetTrigger(context.Background(), name)
					if err != nil {
						return err
					}
					if len(tr.ExecOption) != 1 || tr.ExecOption[0].Value != "0 9 * * 1-5" {
						return fmt.Errorf("execOption %+v", tr.ExecOption)
					}
					return nil
				}),
			},
			{
				// A link removed and another action linked outside Terraform.
				Config: both,
				Check: oob(func(ctx context.Context) error {
					if err := conn.UnlinkAction(ctx, name, wire.ActionRef{Package: pkg, Action: pkg + "-b"}); err != nil {
						return err
					}
					return nil
				}),
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(triggerAddress, plancheck.ResourceActionUpdate),
				}},
			},
			{
				Config:           testAccCronTriggerConfig(g, net, pkg, name, "0 9 * * 1-5", "b"),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(triggerAddress, plancheck.ResourceActionUpdate)),
				Check:            checkTriggerLinks(conn, name, b),
			},
			acctest.ImportStep(testAccCronTriggerConfig(g, net, pkg, name, "0 9 * * 1-5", "b"), triggerAddress, name),
			acctest.ImportBlockStep(testAccCronTriggerConfig(g, net, pkg, name, "0 9 * * 1-5", "b"), triggerAddress, name,
				plancheck.ExpectKnownValue(triggerAddress, tfjsonpath.New("actions"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(b)}))),
		}, acctest.DisappearsSteps(both, triggerAddress,
			oob(func(ctx context.Context) error { return conn.DeleteTrigger(ctx, name) }),
			checkTriggerLinks(conn, name, a, b))...),
	})
}

// TestAccCloudFunctionsTrigger_objectStorage links a sequence to the
// upload events of a bucket rule, and checks that an upload runs it.
func TestAccCloudFunctionsTrigger_objectStorage(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	pkg, seq, name, net := cfName("pkg"), cfName("seq"), cfName("trg"), acctest.RandName("tf-acc-net")
	bucket := acctest.RandName("tf-acc-cfbucket")
	cfg := testAccSequenceConfig(g, net, pkg, seq, "a", "b") + fmt.Sprintf(`
resource "ncp_object_storage_bucket" "test" {
  bucket_name   = %q
  force_destroy = true
}

resource "ncp_object_storage_bucket_event" "test" {
  bucket_name = ncp_object_storage_bucket.test.bucket_name
  name        = "on-upload"
  events      = ["s3:ObjectCreated:*"]
}

resource "ncp_cloud_functions_trigger" "test" {
  name        = %q
  type        = "object_storage"
  description = "uploads"
  object_storage {
    bucket_name     = ncp_object_storage_bucket_event.test.bucket_name
    event_rule_name = ncp_object_storage_bucket_event.test.name
  }
  actions = [ncp_cloud_functions_sequence.test.id]
}

data "ncp_cloud_functions_activations" "test" {
  trigger = ncp_cloud_functions_trigger.test.name
  limit   = 5
}
`, bucket, name)
	vpcTest(t, g, resource.TestCase{
		CheckDestroy: checkCFDestroy(conn),
		Steps: []resource.TestStep{
			{
				Config:           cfg,
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(triggerAddress, tfjsonpath.New("object_storage"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"bucket_name": knownvalue.StringExact(bucket), "event_rule_name": knownvalue.StringExact("on-upload"),
						}),
					})),
				},
				Check: resource.ComposeTestCheckFunc(
					checkTriggerLinks(conn, name, pkg+"/"+seq),
					// An upload fires the trigger.
					oob(func(ctx context.Context) error {
						os, err := osclient.New(g.Client(t))
						if err != nil {
							return err
						}
						if _, err := os.S3().PutObject(ctx, &s3.PutObjectInput{
							Bucket: aws.String(bucket), Key: aws.String("in/video.mp4"), Body: strings.NewReader("not a video"),
						}); err != nil {
							return err
						}
						deadline := time.Now().Add(30 * time.Second)
						for {
							list, err := conn.ListTriggerActivations(ctx, name, cfclient.ActivationQuery{})
							if err != nil && !client.IsNotFound(err) {
								return err
							}
							if err == nil && len(list.Activations) > 0 {
								return nil
							}
							if time.Now().After(deadline) {
								return fmt.Errorf("the upload fired no activation of trigger %s", name)
							}
							time.Sleep(100 * time.Millisecond)
						}
					}),
				),
			},
			acctest.ImportStep(cfg, triggerAddress, name),
		},
	})
}

func TestAccCloudFunctionsTrigger_badInput(t *testing.T) {
	g := acctest.NewTarget(t)
	for _, tt := range []struct {
		name, body string
		want       []string
	}{
		{"four fields", `type = "cron"
  cron = "0 9 * *"`, []string{`Attribute cron: "0 9 * *" is not a valid cron expression: it has 4 fields, not 5`, "KST"}},
		{"hour", `type = "cron"
  cron = "0 25 * * *"`, []string{"field 2 (hour)", `"25" is not a value from 0 to 23`}},
		{"no cron", `type = "cron"`, []string{"Attribute cron is required for a trigger of type cron"}},
		{"no bucket", `type = "object_storage"`, []string{"needs at least one object_storage block"}},
		{"cron on storage", `type = "object_storage"
  cron = "* * * * *"
  object_storage {
    bucket_name = "b"
    event_rule_name = "r"
  }`, []string{"Attribute cron is only for triggers of type cron"}},
		{"type", `type = "github"`, []string{"type", "value must be one of", "cron", "object_storage"}},
		{"link", `type = "cron"
  cron = "* * * * *"
  actions = ["nopackage"]`, []string{"it has no '/'"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g.ParallelTest(t, resource.TestCase{Steps: []resource.TestStep{{
				Config:      acctest.ConfigCompose(fmt.Sprintf("resource \"ncp_cloud_functions_trigger\" \"test\" {\n  name = \"t\"\n  %s\n}\n", tt.body)),
				PlanOnly:    true,
				ExpectError: acctest.ErrorPattern(tt.want...),
			}}})
		})
	}
}

// TestAccCloudFunctionsDataSources reads a package, an action, the
// runtimes and an action's activations after invoking it.
func TestAccCloudFunctionsDataSources(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	pkg, net := cfName("pkg"), acctest.RandName("tf-acc-net")
	base := testAccFunctionsBase(g, net, pkg)
	ds := `
data "ncp_cloud_functions_package" "test" {
  name = ncp_cloud_functions_package.test.name
  depends_on = [ncp_cloud_functions_action.a, ncp_cloud_functions_action.b]
}

data "ncp_cloud_functions_action" "test" {
  package = ncp_cloud_functions_package.test.name
  name    = ncp_cloud_functions_action.a.name
}

data "ncp_cloud_functions_runtimes" "all" {}

data "ncp_cloud_functions_activations" "test" {
  action = ncp_cloud_functions_action.a.id
}
`
	vpcTest(t, g, resource.TestCase{
		CheckDestroy: checkCFDestroy(conn),
		Steps: []resource.TestStep{
			{
				Config: acctest.ConfigCompose(base),
				Check: oob(func(ctx context.Context) error {
					_, err := conn.InvokeAction(ctx, pkg, pkg+"-a", 30*time.Second, wire.Parameters{"name": "data"})
					return err
				}),
			},
			{
				Config: acctest.ConfigCompose(base, ds),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.ncp_cloud_functions_package.test", tfjsonpath.New("actions"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(pkg + "-a"), knownvalue.StringExact(pkg + "-b")})),
					statecheck.ExpectKnownValue("data.ncp_cloud_functions_action.test", tfjsonpath.New("runtime"), knownvalue.StringExact("python:3.13")),
					statecheck.ExpectKnownValue("data.ncp_cloud_functions_action.test", tfjsonpath.New("content_hash"), knownvalue.StringExact(sha(pyHello))),
					statecheck.ExpectKnownValue("data.ncp_cloud_functions_action.test", tfjsonpath.New("type"), knownvalue.StringExact("basic")),
					statecheck.CompareValuePairs("data.ncp_cloud_functions_action.test", tfjsonpath.New("content_hash"),
						"ncp_cloud_functions_action.a", tfjsonpath.New("content_hash"), compare.ValuesSame()),
					statecheck.ExpectKnownValue("data.ncp_cloud_functions_activations.test", tfjsonpath.New("activations"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.ncp_cloud_functions_activations.test",
						tfjsonpath.New("activations").AtSliceIndex(0).AtMapKey("success"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue("data.ncp_cloud_functions_activations.test",
						tfjsonpath.New("activations").AtSliceIndex(0).AtMapKey("result"), knownvalue.StringRegexp(regexp.MustCompile(`"hello":"data"`))),
				},
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckTypeSetElemAttr("data.ncp_cloud_functions_runtimes.all", "runtimes.*", "python:3.13"),
					resource.TestCheckTypeSetElemAttr("data.ncp_cloud_functions_runtimes.all", "deprecated.*", "python:3.11"),
				),
			},
		},
	})
}
