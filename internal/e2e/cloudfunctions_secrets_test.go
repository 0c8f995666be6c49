package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
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
