package cloudfunctions_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

var hashPattern = regexp.MustCompile(`^hmac-sha256:[0-9a-f]{64}$`)

// testAccPackageConfig is a package with a description, plain parameters
// and sensitive parameters (either may be nil: left out).
func testAccPackageConfig(name, description string, plain, sensitive map[string]string) string {
	attrs := ""
	if description != "" {
		attrs += fmt.Sprintf("  description = %q\n", description)
	}
	if plain != nil {
		attrs += "  parameters = " + hclMap(plain) + "\n"
	}
	if sensitive != nil {
		attrs += "  sensitive_parameters = " + hclMap(sensitive) + "\n"
	}
	return acctest.ConfigCompose(fmt.Sprintf(`
resource "ncp_cloud_functions_package" "test" {
  name = %q
%s}
`, name, attrs))
}

func hclMap(m map[string]string) string {
	var b strings.Builder
	b.WriteString("{\n")
	for _, k := range keys(m) {
		fmt.Fprintf(&b, "    %q = %q\n", k, m[k])
	}
	b.WriteString("  }")
	return b.String()
}

func TestAccCloudFunctionsPackage_basic(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	name := cfName("pkg")
	plain := map[string]string{"api_url": "https://vodstation.apigw.ntruss.com", "region": "KR"}
	secret := map[string]string{"secret_key": "pkg-basic-s3cr3t-value"}
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkCFDestroy(conn),
		Steps: []resource.TestStep{{
			Config:           testAccPackageConfig(name, "Video automation", plain, secret),
			ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(packageAddress, plancheck.ResourceActionCreate)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(packageAddress, tfjsonpath.New("id"), knownvalue.StringExact(name)),
				statecheck.ExpectKnownValue(packageAddress, tfjsonpath.New("description"), knownvalue.StringExact("Video automation")),
				statecheck.ExpectKnownValue(packageAddress, tfjsonpath.New("parameters"), knownvalue.MapSizeExact(2)),
				statecheck.ExpectSensitiveValue(packageAddress, tfjsonpath.New("sensitive_parameters")),
				statecheck.ExpectKnownValue(packageAddress, tfjsonpath.New("sensitive_parameters_hash"), knownvalue.StringRegexp(hashPattern)),
				statecheck.ExpectKnownValue(packageAddress, tfjsonpath.New("resource_id"), knownvalue.NotNull()),
			},
			// NCP holds one map: both merged.
			Check: checkPackageParameters(conn, name, map[string]string{
				"api_url": plain["api_url"], "region": "KR", "secret_key": secret["secret_key"],
			}),
		}},
	})
}

// TestAccCloudFunctionsPackage_update changes everything in place: the
// description, a plain parameter, a sensitive value (the hash follows),
// then drops the sensitive parameters (the hash becomes null).
func TestAccCloudFunctionsPackage_update(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	name := cfName("pkgupd")
	sameID := statecheck.CompareValue(compare.ValuesSame())
	hashes := statecheck.CompareValue(compare.ValuesDiffer())
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkCFDestroy(conn),
		Steps: []resource.TestStep{
			{
				Config:           testAccPackageConfig(name, "one", map[string]string{"a": "1"}, map[string]string{"token": "first-secret"}),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(packageAddress, tfjsonpath.New("resource_id")),
					hashes.AddStateValue(packageAddress, tfjsonpath.New("sensitive_parameters_hash")),
				},
			},
			{
				Config: testAccPackageConfig(name, "two", map[string]string{"a": "2", "b": "3"}, map[string]string{"token": "second-secret"}),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(
					plancheck.ExpectResourceAction(packageAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectSensitiveValue(packageAddress, tfjsonpath.New("sensitive_parameters")),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(packageAddress, tfjsonpath.New("resource_id")),
					hashes.AddStateValue(packageAddress, tfjsonpath.New("sensitive_parameters_hash")),
					statecheck.ExpectKnownValue(packageAddress, tfjsonpath.New("description"), knownvalue.StringExact("two")),
				},
				Check: checkPackageParameters(conn, name, map[string]string{"a": "2", "b": "3", "token": "second-secret"}),
			},
			{
				Config:           testAccPackageConfig(name, "", map[string]string{"a": "2"}, nil),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(packageAddress, plancheck.ResourceActionUpdate)),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(packageAddress, tfjsonpath.New("resource_id")),
					statecheck.ExpectKnownValue(packageAddress, tfjsonpath.New("sensitive_parameters_hash"), knownvalue.Null()),
					statecheck.ExpectKnownValue(packageAddress, tfjsonpath.New("sensitive_parameters"), knownvalue.Null()),
					statecheck.ExpectKnownValue(packageAddress, tfjsonpath.New("description"), knownvalue.Null()),
				},
				Check: checkPackageParameters(conn, name, map[string]string{"a": "2"}),
			},
		},
	})
}

// TestAccCloudFunctionsPackage_sensitiveDrift changes a sensitive value and
// adds a parameter outside Terraform: the refresh shows both as changes of
// sensitive_parameters (and of its hash), and the apply restores them.
func TestAccCloudFunctionsPackage_sensitiveDrift(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	name := cfName("pkgdrift")
	cfg := testAccPackageConfig(name, "", map[string]string{"region": "KR"}, map[string]string{"secret_key": "drift-original"})
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkCFDestroy(conn),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: oob(func(ctx context.Context) error {
					_, err := conn.PutPackage(ctx, name, &wire.PackageRequest{Parameters: wire.Parameters{
						"region": "KR", "secret_key": "drift-changed-by-hand", "added": "by-hand",
					}})
					return err
				}),
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(packageAddress, plancheck.ResourceActionUpdate),
						plancheck.ExpectSensitiveValue(packageAddress, tfjsonpath.New("sensitive_parameters")),
						plancheck.ExpectKnownValue(packageAddress, tfjsonpath.New("parameters"),
							knownvalue.MapExact(map[string]knownvalue.Check{"region": knownvalue.StringExact("KR")})),
					},
				},
			},
			{
				Config:           cfg,
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(packageAddress, plancheck.ResourceActionUpdate)),
				Check:            checkPackageParameters(conn, name, map[string]string{"region": "KR", "secret_key": "drift-original"}),
			},
		},
	})
}

// TestAccCloudFunctionsPackage_import imports a package with only
// sensitive parameters (a no-op import: every key NCP holds is read as
// sensitive) by CLI and import block, and one with plain parameters too:
// imported, they are all sensitive, and the first plan moves the plain ones
// without changing anything in NCP.
func TestAccCloudFunctionsPackage_import(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	name := cfName("pkgimp")
	sensitiveOnly := testAccPackageConfig(name, "imported", nil, map[string]string{"secret_key": "imp-secret"})
	mixed := testAccPackageConfig(name, "imported", map[string]string{"region": "KR"}, map[string]string{"secret_key": "imp-secret"})
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkCFDestroy(conn),
		Steps: []resource.TestStep{
			{Config: sensitiveOnly, ConfigPlanChecks: acctest.EmptyPlanAfterApply()},
			acctest.ImportStep(sensitiveOnly, packageAddress, name),
			acctest.ImportBlockStep(sensitiveOnly, packageAddress, name,
				plancheck.ExpectKnownValue(packageAddress, tfjsonpath.New("description"), knownvalue.StringExact("imported"))),
			{Config: mixed, ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(packageAddress, plancheck.ResourceActionUpdate))},
			{
				ResourceName:            packageAddress,
				ImportState:             true,
				ImportStateId:           name,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"parameters", "sensitive_parameters", "sensitive_parameters_hash"},
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					a := s[0].Attributes
					if a["parameters.%"] != "" && a["parameters.%"] != "0" {
						return fmt.Errorf("imported parameters: %s keys, want none (all sensitive)", a["parameters.%"])
					}
					if a["sensitive_parameters.%"] != "2" || a["sensitive_parameters.region"] != "KR" || a["sensitive_parameters.secret_key"] != "imp-secret" {
						return fmt.Errorf("imported sensitive_parameters: want region and secret_key (%s keys)", a["sensitive_parameters.%"])
					}
					return nil
				},
			},
			acctest.ImportErrorStep(mixed, packageAddress, "-bad", acctest.ErrorPattern("The import ID of a Cloud Functions package is", `got "-bad"`)),
		},
	})
}

func TestAccCloudFunctionsPackage_disappears(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	name := cfName("pkggone")
	cfg := testAccPackageConfig(name, "", map[string]string{"a": "b"}, nil)
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkCFDestroy(conn),
		Steps: acctest.DisappearsSteps(cfg, packageAddress,
			oob(func(ctx context.Context) error { return conn.DeletePackage(ctx, name) }),
			checkPackageParameters(conn, name, map[string]string{"a": "b"})),
	})
}

// TestAccCloudFunctionsPackage_exists refuses a name another package (or
// an action or trigger) of the account holds.
func TestAccCloudFunctionsPackage_exists(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	name := cfName("pkgdup")
	g.ParallelTest(t, resource.TestCase{
		PreCheck: func() {
			acctest.PreCheck(t)
			if _, err := conn.PutPackage(context.Background(), name, &wire.PackageRequest{}); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = conn.DeletePackage(context.Background(), name) })
		},
		Steps: []resource.TestStep{{
			Config: testAccPackageConfig(name, "", nil, nil),
			ExpectError: acctest.ErrorPattern(fmt.Sprintf("Cloud Functions package %q already exists", name),
				"terraform import ncp_cloud_functions_package.<name> "+name),
		}},
	})
}

func TestAccCloudFunctionsPackage_badInput(t *testing.T) {
	g := acctest.NewTarget(t)
	for _, tt := range []struct {
		name, config string
		want         []string
	}{
		{"leading hyphen", testAccPackageConfig("-pkg", "", nil, nil), []string{`Attribute name: "-pkg" is not a valid Cloud Functions name: it starts with '-'`}},
		{"too long", testAccPackageConfig(strings.Repeat("p", 51), "", nil, nil), []string{"it is 51 characters long", "1 to 50 characters"}},
		{"dot", testAccPackageConfig("a.b", "", nil, nil), []string{`"." at position 2`}},
		{"description", testAccPackageConfig("p", strings.Repeat("설", 1001), nil, nil), []string{"Attribute description is 3003 bytes long", "at most 3000 bytes"}},
		{"key twice", testAccPackageConfig("p", "", map[string]string{"k": "1"}, map[string]string{"k": "2"}),
			[]string{`Parameter "k" is in both parameters and sensitive_parameters`}},
		{"empty key", testAccPackageConfig("p", "", map[string]string{"": "1"}, nil), []string{"a parameter name must not be empty"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g.ParallelTest(t, resource.TestCase{
				Steps: []resource.TestStep{{Config: tt.config, PlanOnly: true, ExpectError: acctest.ErrorPattern(tt.want...)}},
			})
		})
	}
}
