package e2e_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
)

// TestCloudFunctionsSecretsNotLogged applies, refreshes and destroys Cloud
// Functions resources with sensitive parameters (among them the secret key
// itself, as the tutorial passes it to its actions) under TF_LOG=TRACE, with
// the provider as a real plugin process, and checks that neither the
// secret values nor the provider's secret key appear in OpenTofu's log
// (core and provider lines, request and response bodies included) or in
// what the commands print.
func TestCloudFunctionsSecretsNotLogged(t *testing.T) {
	cred := ncplocal.Credential{AccessKey: "trace-access-key", SecretKey: "trace-secret-key-9f2c7d41", AccountID: "trace"}
	srv := acctest.StartServer(t, func(o *ncplocal.Options) { o.Credentials = []ncplocal.Credential{cred} })
	const token = "trace-token-value-51be0a"
	secrets := []string{cred.SecretKey, token}

	logFile := filepath.Join(t.TempDir(), "tofu.log")
	h := tofucli.New(t, map[string]string{
		provider.EnvEndpointURL: srv.URL(),
		provider.EnvAccessKey:   cred.AccessKey,
		provider.EnvSecretKey:   cred.SecretKey,
		"TF_VAR_secret_key":     cred.SecretKey,
		"TF_VAR_token":          token,
		"TF_LOG":                "TRACE",
		"TF_LOG_PATH":           logFile,
	})
	config := tofucli.Header + `
variable "secret_key" {
  type      = string
  sensitive = true
}

variable "token" {
  type      = string
  sensitive = true
}

resource "ncp_vpc" "main" {
  name            = "trace-vpc"
  ipv4_cidr_block = "10.0.0.0/16"
}

resource "ncp_subnet" "main" {
  vpc_no         = ncp_vpc.main.vpc_no
  name           = "trace-subnet"
  subnet         = "10.0.1.0/24"
  zone           = "KR-1"
  network_acl_no = ncp_vpc.main.default_network_acl_no
  subnet_type    = "PRIVATE"
}

resource "ncp_cloud_functions_package" "media" {
  name       = "trace-media"
  parameters = { region = "KR" }
  sensitive_parameters = {
    secret_key = var.secret_key
  }
}

resource "ncp_cloud_functions_action" "register" {
  package     = ncp_cloud_functions_package.media.name
  name        = "trace-register"
  runtime     = "python:3.13"
  source_file = "${path.module}/register.py"
  sensitive_parameters = {
    token = var.token
  }
  vpc {
    vpc_no    = ncp_vpc.main.vpc_no
    subnet_no = ncp_subnet.main.subnet_no
  }
}

resource "ncp_cloud_functions_trigger" "nightly" {
  name    = "trace-nightly"
  type    = "cron"
  cron    = "0 3 * * *"
  actions = [ncp_cloud_functions_action.register.id]
}

output "secrets_version" {
  value = ncp_cloud_functions_package.media.sensitive_parameters_hash
}
`
	dir := h.Workspace(t, map[string]string{
		"main.tf":     config,
		"register.py": "def main(args):\n    return {\"ok\": bool(args.get(\"token\"))}\n",
	})

	var printed strings.Builder
	printed.WriteString(h.Apply(t, dir))
	h.PlanEmpty(t, dir) // refresh: reads every resource back
	out, _ := h.MustRun(t, dir, nil, "plan", "-no-color", "-refresh-only")
	printed.WriteString(out)
	printed.WriteString(h.Destroy(t, dir))

	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	// The log is the TRACE log of the provider too: its request lines and
	// the bodies of the calls that carried the secrets.
	for _, want := range []string{"putPackage", "putAction", "[TRACE]", "sensitive_parameters"} {
		if !strings.Contains(log, want) {
			t.Errorf("the TRACE log (%d bytes) lacks %q: it does not cover what it should", len(log), want)
		}
	}
	for _, s := range secrets {
		if i := strings.Index(log, s); i >= 0 {
			t.Errorf("the TRACE log shows a secret at byte %d: ...%s...", i, redactAround(log, i, len(s)))
		}
		if strings.Contains(printed.String(), s) {
			t.Errorf("the output of apply, plan or destroy shows a secret")
		}
	}
}

// redactAround returns the text around a secret at i (n bytes long) with
// the secret itself replaced, so that a failure does not print it.
func redactAround(s string, i, n int) string {
	start, end := max(0, i-80), min(len(s), i+n+80)
	return s[start:i] + "<SECRET>" + s[i+n:end]
}

// TestCloudFunctionsSecretsImportAndDataSources imports a package (an
// import block) and an action (tofu import) whose parameters hold secrets,
// reads them and an activation that echoed and printed those secrets
// through the data sources, all under TF_LOG=TRACE: after the import every
// parameter counts as sensitive, and neither the values nor the secret key
// appear in the log, in plan or apply output, in `tofu state show`,
// `tofu show` or `tofu output`.
func TestCloudFunctionsSecretsImportAndDataSources(t *testing.T) {
	cred := ncplocal.Credential{AccessKey: "import-access-key", SecretKey: "import-secret-key-3a7e55c0", AccountID: "import"}
	srv := acctest.StartServer(t, func(o *ncplocal.Options) { o.Credentials = []ncplocal.Credential{cred} })
	const token, apiToken = "import-token-value-c0ffee71", "import-api-token-9d8c7b6a"
	secrets := []string{cred.SecretKey, token, apiToken}

	logFile := filepath.Join(t.TempDir(), "tofu.log")
	h := tofucli.New(t, map[string]string{
		provider.EnvEndpointURL: srv.URL(),
		provider.EnvAccessKey:   cred.AccessKey,
		provider.EnvSecretKey:   cred.SecretKey,
		"TF_VAR_secret_key":     cred.SecretKey,
		"TF_VAR_token":          token,
		"TF_VAR_api_token":      apiToken,
		"TF_LOG":                "TRACE",
		"TF_LOG_PATH":           logFile,
	})
	resources := tofucli.Header + `
variable "secret_key" {
  type      = string
  sensitive = true
}

variable "token" {
  type      = string
  sensitive = true
}

variable "api_token" {
  type      = string
  sensitive = true
}

resource "ncp_vpc" "main" {
  name            = "import-vpc"
  ipv4_cidr_block = "10.0.0.0/16"
}

resource "ncp_subnet" "main" {
  vpc_no         = ncp_vpc.main.vpc_no
  name           = "import-subnet"
  subnet         = "10.0.1.0/24"
  zone           = "KR-1"
  network_acl_no = ncp_vpc.main.default_network_acl_no
  subnet_type    = "PRIVATE"
}

resource "ncp_cloud_functions_package" "media" {
  name       = "import-media"
  parameters = { region = "KR" }
  sensitive_parameters = {
    secret_key = var.secret_key
    token      = var.token
  }
}

resource "ncp_cloud_functions_action" "echo" {
  package     = ncp_cloud_functions_package.media.name
  name        = "import-echo"
  runtime     = "python:3.13"
  source_file = "${path.module}/echo.py"
  sensitive_parameters = {
    api_token = var.api_token
  }
  vpc {
    vpc_no    = ncp_vpc.main.vpc_no
    subnet_no = ncp_subnet.main.subnet_no
  }
}
`
	// The action returns and prints every parameter it gets: its
	// activations hold all the secrets.
	dir := h.Workspace(t, map[string]string{
		"main.tf": resources,
		"echo.py": "def main(args):\n    print(args)\n    return dict(args)\n",
	})
	var printed strings.Builder
	printed.WriteString(h.Apply(t, dir))

	core, err := client.New(client.Config{AccessKey: cred.AccessKey, SecretKey: cred.SecretKey, Region: "KR",
		Endpoints: client.Endpoints{CloudFunctions: srv.URL()}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := cfclient.New(core).InvokeAction(context.Background(), "import-media", "import-echo", time.Minute, nil)
	if err != nil || !res.Response.Success || res.Response.Result["token"] != token {
		t.Fatalf("invoking the action: %+v, %v", res, err)
	}

	// Terraform forgets both, then finds them again by import.
	out, _ := h.MustRun(t, dir, nil, "state", "rm", "-no-color", "ncp_cloud_functions_package.media", "ncp_cloud_functions_action.echo")
	printed.WriteString(out)
	withImports := resources + `
import {
  to = ncp_cloud_functions_package.media
  id = "import-media"
}

data "ncp_cloud_functions_package" "media" {
  name = "import-media"
}

data "ncp_cloud_functions_action" "echo" {
  package = "import-media"
  name    = "import-echo"
}

data "ncp_cloud_functions_activations" "echo" {
  action = "import-media/import-echo"
}

output "package_parameters" {
  value     = data.ncp_cloud_functions_package.media.parameters
  sensitive = true
}

output "activation_result" {
  value     = data.ncp_cloud_functions_activations.echo.activations[0].result
  sensitive = true
}

output "activation_count" {
  value = length(data.ncp_cloud_functions_activations.echo.activations)
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(withImports), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ = h.MustRun(t, dir, nil, "import", "-input=false", "-no-color", "ncp_cloud_functions_action.echo", "import-media/import-echo")
	printed.WriteString(out)
	out, _ = h.MustRun(t, dir, nil, "state", "show", "-no-color", "ncp_cloud_functions_action.echo")
	printed.WriteString(out)
	if !strings.Contains(out, "sensitive_parameters") || !strings.Contains(out, "(sensitive value)") {
		t.Errorf("after tofu import the action's parameters are not sensitive:\n%s", out)
	}
	out, _ = h.MustRun(t, dir, nil, "plan", "-input=false", "-no-color")
	printed.WriteString(out)
	if !strings.Contains(out, `(imported from "import-media")`) || !strings.Contains(out, "1 to import") {
		t.Errorf("the plan does not import the package:\n%s", out)
	}
	printed.WriteString(h.Apply(t, dir))
	for _, addr := range []string{"ncp_cloud_functions_package.media", "ncp_cloud_functions_action.echo",
		"data.ncp_cloud_functions_package.media", "data.ncp_cloud_functions_action.echo", "data.ncp_cloud_functions_activations.echo"} {
		out, _ = h.MustRun(t, dir, nil, "state", "show", "-no-color", addr)
		printed.WriteString(out)
		if !strings.Contains(out, "(sensitive value)") {
			t.Errorf("tofu state show %s shows no sensitive value: are the parameters or results marked?\n%s", addr, out)
		}
	}
	out, _ = h.MustRun(t, dir, nil, "output", "-no-color")
	printed.WriteString(out)
	if !strings.Contains(out, "activation_count = 1") {
		t.Errorf("the activations data source does not list the invocation:\n%s", out)
	}
	out, _ = h.MustRun(t, dir, nil, "show", "-no-color")
	printed.WriteString(out)
	// Refresh: every resource and data source is read back.
	out, _ = h.MustRun(t, dir, nil, "plan", "-input=false", "-no-color", "-detailed-exitcode")
	printed.WriteString(out)
	printed.WriteString(h.Destroy(t, dir))

	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	for _, want := range []string{"getPackage", "getAction", "listActionActivations", "ImportResourceState", "[TRACE]"} {
		if !strings.Contains(log, want) {
			t.Errorf("the TRACE log (%d bytes) lacks %q: it does not cover what it should", len(log), want)
		}
	}
	for _, s := range secrets {
		if i := strings.Index(log, s); i >= 0 {
			t.Errorf("the TRACE log shows a secret at byte %d: ...%s...", i, redactAround(log, i, len(s)))
		}
		if i := strings.Index(printed.String(), s); i >= 0 {
			t.Errorf("the output of the commands shows a secret: ...%s...", redactAround(printed.String(), i, len(s)))
		}
	}
}
