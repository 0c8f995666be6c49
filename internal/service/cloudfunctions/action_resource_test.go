package cloudfunctions_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

const pyHello = "def main(args):\n    return {\"hello\": args.get(\"name\", \"world\")}\n"

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// testAccActionConfig is the network, package pkg and action name with
// the given body (code attributes, limits, ...).
func testAccActionConfig(g *acctest.Target, net, pkg, name, body string) string {
	return acctest.ConfigCompose(networkConfig(g, net), fmt.Sprintf(`
resource "ncp_cloud_functions_package" "test" {
  name = %[1]q
}

resource "ncp_cloud_functions_action" "test" {
  package = ncp_cloud_functions_package.test.name
  name    = %[2]q
  runtime = "python:3.13"
%[3]s
%[4]s}
`, pkg, name, body, vpcBlock))
}

func TestAccCloudFunctionsAction_basic(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	pkg, name := cfName("pkg"), cfName("act")
	body := fmt.Sprintf("  code = %q\n  parameters = { greeting = \"hi\" }\n  sensitive_parameters = { token = \"action-basic-token\" }\n", pyHello)
	vpcTest(t, g, resource.TestCase{
		CheckDestroy: checkCFDestroy(conn),
		Steps: []resource.TestStep{{
			Config:           testAccActionConfig(g, acctest.RandName("tf-acc-net"), pkg, name, body),
			ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(actionAddress, plancheck.ResourceActionCreate)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(actionAddress, tfjsonpath.New("id"), knownvalue.StringExact(pkg+"/"+name)),
				statecheck.ExpectKnownValue(actionAddress, tfjsonpath.New("type"), knownvalue.StringExact("basic")),
				statecheck.ExpectKnownValue(actionAddress, tfjsonpath.New("content_hash"), knownvalue.StringExact(sha(pyHello))),
				statecheck.ExpectKnownValue(actionAddress, tfjsonpath.New("main"), knownvalue.StringExact("main")),
				statecheck.ExpectKnownValue(actionAddress, tfjsonpath.New("memory"), knownvalue.Int64Exact(256)),
				statecheck.ExpectKnownValue(actionAddress, tfjsonpath.New("timeout"), knownvalue.Int64Exact(60000)),
				statecheck.ExpectKnownValue(actionAddress, tfjsonpath.New("sensitive_parameters_hash"), knownvalue.StringRegexp(hashPattern)),
				statecheck.CompareValuePairs(actionAddress, tfjsonpath.New("vpc").AtSliceIndex(0).AtMapKey("subnet_no"),
					"ncp_subnet.test", tfjsonpath.New("subnet_no"), compare.ValuesSame()),
			},
			Check: checkAction(conn, pkg+"/"+name, func(a *wire.Action) error {
				if a.Exec.Code != pyHello || a.Exec.Binary || a.Exec.Kind != "python:3.13" {
					return fmt.Errorf("NCP holds kind %s, binary %v, code %q", a.Exec.Kind, a.Exec.Binary, a.Exec.Code)
				}
				if p := a.Parameters.Strings(); p["greeting"] != "hi" || p["token"] != "action-basic-token" || len(p) != 2 {
					return fmt.Errorf("NCP holds parameters with keys %v", keys(p))
				}
				return nil
			}),
		}},
	})
}

// TestAccCloudFunctionsAction_update edits the code from a file (the
// content hash plans the update), switches to a folder the provider zips,
// changes limits and parameters in place, and replaces the action when it
// becomes a web action (its type cannot change).
func TestAccCloudFunctionsAction_update(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	pkg, name, net := cfName("pkg"), cfName("act"), acctest.RandName("tf-acc-net")
	dir := t.TempDir()
	file := filepath.Join(dir, "main.py")
	src := filepath.Join(dir, "src")
	v1 := "def main(args):\n    return {\"v\": 1}\n"
	v2 := "def main(args):\n    return {\"v\": 2}\n"
	writeFile(t, filepath.Join(src, "__main__.py"), "from helper import v\ndef main(args):\n    return {\"v\": v()}\n")
	writeFile(t, filepath.Join(src, "helper.py"), "def v():\n    return 3\n")
	fileBody := fmt.Sprintf("  source_file = %q\n", file)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	hashes := statecheck.CompareValue(compare.ValuesDiffer())
	vpcTest(t, g, resource.TestCase{
		CheckDestroy: checkCFDestroy(conn),
		Steps: []resource.TestStep{
			{
				PreConfig:        func() { writeFile(t, file, v1) },
				Config:           testAccActionConfig(g, net, pkg, name, fileBody),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(actionAddress, tfjsonpath.New("content_hash"), knownvalue.StringExact(sha(v1))),
					statecheck.ExpectKnownValue(actionAddress, tfjsonpath.New("code"), knownvalue.Null()),
					hashes.AddStateValue(actionAddress, tfjsonpath.New("content_hash")),
				},
				Check: checkAction(conn, pkg+"/"+name, func(a *wire.Action) error {
					if a.Exec.Code != v1 {
						return fmt.Errorf("code %q, want v1", a.Exec.Code)
					}
					return nil
				}),
			},
			{
				// Same configuration, new file content: an update.
				PreConfig: func() { writeFile(t, file, v2) },
				Config:    testAccActionConfig(g, net, pkg, name, fileBody),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(
					plancheck.ExpectResourceAction(actionAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(actionAddress, tfjsonpath.New("content_hash"), knownvalue.StringExact(sha(v2))),
				),
				ConfigStateChecks: []statecheck.StateCheck{hashes.AddStateValue(actionAddress, tfjsonpath.New("content_hash"))},
				Check: checkAction(conn, pkg+"/"+name, func(a *wire.Action) error {
					if a.Exec.Code != v2 {
						return fmt.Errorf("code %q, want v2", a.Exec.Code)
					}
					return nil
				}),
			},
			{
				Config: testAccActionConfig(g, net, pkg, name, fmt.Sprintf(
					"  source_dir = %q\n  memory = 512\n  timeout = 1000\n  description = \"zipped\"\n  sensitive_parameters = { k = \"v\" }\n", src)),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(actionAddress, plancheck.ResourceActionUpdate)),
				ConfigStateChecks: []statecheck.StateCheck{
					hashes.AddStateValue(actionAddress, tfjsonpath.New("content_hash")),
					sameID.AddStateValue(actionAddress, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(actionAddress, tfjsonpath.New("memory"), knownvalue.Int64Exact(512)),
					statecheck.ExpectKnownValue(actionAddress, tfjsonpath.New("timeout"), knownvalue.Int64Exact(1000)),
				},
				Check: checkAction(conn, pkg+"/"+name, func(a *wire.Action) error {
					if !a.Exec.Binary {
						return fmt.Errorf("a folder must be uploaded as an archive")
					}
					b, err := base64.StdEncoding.DecodeString(a.Exec.Code)
					if err != nil {
						return err
					}
					zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
					if err != nil {
						return err
					}
					var names []string
					for _, f := range zr.File {
						names = append(names, f.Name)
					}
					if strings.Join(names, ",") != "__main__.py,helper.py" {
						return fmt.Errorf("archive holds %v", names)
					}
					if a.Limits == nil || a.Limits.Memory != 512 || a.Limits.Timeout != 1000 {
						return fmt.Errorf("limits %+v", a.Limits)
					}
					return nil
				}),
			},
			{
				// Touching the folder's files without changing them plans nothing.
				PreConfig: func() {
					writeFile(t, filepath.Join(src, "helper.py"), "def v():\n    return 3\n")
				},
				Config:   testAccActionConfig(g, net, pkg, name, fmt.Sprintf("  source_dir = %q\n  memory = 512\n  timeout = 1000\n  description = \"zipped\"\n  sensitive_parameters = { k = \"v\" }\n", src)),
				PlanOnly: true,
			},
			{
				Config: testAccActionConfig(g, net, pkg, name, fmt.Sprintf("  code = %q\n  web = true\n  raw_http = true\n", pyHello)),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(
					plancheck.ExpectResourceAction(actionAddress, plancheck.ResourceActionDestroyBeforeCreate),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(actionAddress, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(actionAddress, tfjsonpath.New("type"), knownvalue.StringExact("web")),
					statecheck.ExpectKnownValue(actionAddress, tfjsonpath.New("raw_http"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

// TestAccCloudFunctionsAction_codeDrift changes the code outside
// Terraform: content_hash shows it, and the apply puts the code back.
func TestAccCloudFunctionsAction_codeDrift(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	pkg, name := cfName("pkg"), cfName("act")
	cfg := testAccActionConfig(g, acctest.RandName("tf-acc-net"), pkg, name, fmt.Sprintf("  code = %q\n", pyHello))
	vpcTest(t, g, resource.TestCase{
		CheckDestroy: checkCFDestroy(conn),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: oob(func(ctx context.Context) error {
					a, err := conn.GetAction(ctx, pkg, name)
					if err != nil {
						return err
					}
					a.Exec.Code = "def main(args):\n    return {}\n"
					_, err = conn.PutAction(ctx, pkg, name, wire.ActionTypeBasic, &wire.ActionRequest{
						Exec: &a.Exec, Limits: a.Limits, VPC: a.VPC,
					})
					return err
				}),
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(actionAddress, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(actionAddress, tfjsonpath.New("content_hash"), knownvalue.StringExact(sha(pyHello))),
				}},
			},
			{
				Config:           cfg,
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(plancheck.ExpectResourceAction(actionAddress, plancheck.ResourceActionUpdate)),
				Check: checkAction(conn, pkg+"/"+name, func(a *wire.Action) error {
					if a.Exec.Code != pyHello {
						return fmt.Errorf("code not restored: %q", a.Exec.Code)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccCloudFunctionsAction_import(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	pkg, name := cfName("pkg"), cfName("act")
	cfg := testAccActionConfig(g, acctest.RandName("tf-acc-net"), pkg, name,
		fmt.Sprintf("  code = %q\n  memory = 128\n  sensitive_parameters = { token = \"imp\" }\n", pyHello))
	vpcTest(t, g, resource.TestCase{
		CheckDestroy: checkCFDestroy(conn),
		Steps: []resource.TestStep{
			{Config: cfg, ConfigPlanChecks: acctest.EmptyPlanAfterApply()},
			acctest.ImportStep(cfg, actionAddress, pkg+"/"+name),
			acctest.ImportBlockStep(cfg, actionAddress, pkg+"/"+name,
				plancheck.ExpectKnownValue(actionAddress, tfjsonpath.New("memory"), knownvalue.Int64Exact(128))),
			acctest.ImportErrorStep(cfg, actionAddress, name, acctest.ErrorPattern("The import ID of a Cloud Functions action is", "<package>/<name>")),
		},
	})
}

func TestAccCloudFunctionsAction_disappears(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	pkg, name := cfName("pkg"), cfName("act")
	cfg := testAccActionConfig(g, acctest.RandName("tf-acc-net"), pkg, name, fmt.Sprintf("  code = %q\n", pyHello))
	vpcTest(t, g, resource.TestCase{
		CheckDestroy: checkCFDestroy(conn),
		Steps: acctest.DisappearsSteps(cfg, actionAddress,
			oob(func(ctx context.Context) error { return conn.DeleteAction(ctx, pkg, name) }),
			checkAction(conn, pkg+"/"+name, func(*wire.Action) error { return nil })),
	})
}

func TestAccCloudFunctionsAction_badInput(t *testing.T) {
	g := acctest.NewTarget(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "nomain", "app.py"), "x = 1\n")
	code := fmt.Sprintf("  code = %q\n", pyHello)
	cfg := func(body string, vpc bool) string {
		v := ""
		if vpc {
			v = "\n  vpc {\n    vpc_no = \"1\"\n    subnet_no = \"2\"\n  }\n"
		}
		return acctest.ConfigCompose(fmt.Sprintf("resource \"ncp_cloud_functions_action\" \"test\" {\n  name = \"a\"\n%s%s}\n", body, v))
	}
	for _, tt := range []struct {
		name, config string
		want         []string
	}{
		{"unknown runtime", cfg("  runtime = \"ruby:3\"\n"+code, true), []string{`Attribute runtime: "ruby:3" is not a Cloud Functions runtime`, "python:3.13"}},
		{"deprecated runtime", cfg("  runtime = \"python:3.11\"\n"+code, true), []string{`runtime "python:3.11" was deprecated by NCP on 2025-09-18`}},
		{"memory", cfg("  runtime = \"python:3.13\"\n  memory = 300\n"+code, true), []string{"Attribute memory is 300", "128, 256, 512 or 1024"}},
		{"timeout", cfg("  runtime = \"python:3.13\"\n  timeout = 400\n"+code, true), []string{"Attribute timeout is 400", "between 500 and 300000"}},
		{"no vpc", cfg("  runtime = \"python:3.13\"\n"+code, false), []string{"vpc"}},
		{"no code", cfg("  runtime = \"python:3.13\"\n", true), []string{"code", "source_file", "source_dir"}},
		{"two codes", cfg("  runtime = \"python:3.13\"\n  source_file = \"x.py\"\n"+code, true), []string{"code", "source_file"}},
		{"java inline", cfg("  runtime = \"java\"\n"+code, true), []string{`Attribute code: runtime "java" runs an archive`}},
		{"missing file", cfg("  runtime = \"python:3.13\"\n  source_file = \""+filepath.Join(dir, "missing.py")+"\"\n", true), []string{"Attribute source_file: cannot read source_file"}},
		{"no __main__", cfg("  runtime = \"python:3.13\"\n  source_dir = \""+filepath.Join(dir, "nomain")+"\"\n", true), []string{"needs __main__.py at the top of source_dir"}},
		{"raw_http", cfg("  runtime = \"python:3.13\"\n  raw_http = true\n"+code, true), []string{"only a web action (web = true)"}},
		{"package", cfg("  package = \"-x\"\n  runtime = \"python:3.13\"\n"+code, true), []string{`Attribute package: "-x"`, "or `-` for no package"}},
		{"vpc number", acctest.ConfigCompose("resource \"ncp_cloud_functions_action\" \"test\" {\n  name = \"a\"\n  runtime = \"python:3.13\"\n" + code +
			"  vpc {\n    vpc_no = \"0x1\"\n    subnet_no = \"2\"\n  }\n}\n"), []string{`"0x1" must be an NCP object number`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g.ParallelTest(t, resource.TestCase{
				Steps: []resource.TestStep{{Config: tt.config, PlanOnly: true, ExpectError: acctest.ErrorPattern(tt.want...)}},
			})
		})
	}
}

// TestAccCloudFunctionsAction_vpcRefused shows NCP's (ncplocal's) refusal
// of a VPC that does not exist, with its code.
func TestAccCloudFunctionsAction_vpcRefused(t *testing.T) {
	g := acctest.NewTarget(t)
	conn := targetCF(t, g)
	cfg := acctest.ConfigCompose(fmt.Sprintf(`
resource "ncp_cloud_functions_action" "test" {
  name    = %q
  runtime = "python:3.13"
  code    = %q
  vpc {
    vpc_no    = "999999"
    subnet_no = "999998"
  }
}
`, cfName("act"), pyHello))
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: checkCFDestroy(conn),
		Steps: []resource.TestStep{{
			Config:      cfg,
			ExpectError: regexp.MustCompile(`Error creating Cloud Functions action[\s\S]*` + wire.CodeActionVpcNotFound),
		}},
	})
}
