package provider_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
)

// unitFactories returns provider factories that see only env and home; no
// emulator is involved, so only configuration errors can be tested.
func unitFactories(env map[string]string, home string) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		provider.TypeName: providerserver.NewProtocol6WithError(
			provider.New("test", provider.WithEnv(acctest.LookupEnv(env)), provider.WithHomeDir(home))()),
	}
}

// zonesConfig is a provider block followed by a data source that makes
// Terraform configure the provider.
func zonesConfig(providerBlock string) string {
	return providerBlock + "\ndata \"ncp_zones\" \"test\" {}\n"
}

// TestProviderConfigurationErrors runs invalid provider configurations
// through Terraform and checks the error each one produces.
func TestProviderConfigurationErrors(t *testing.T) {
	t.Parallel()
	brokenHome := t.TempDir()
	if err := os.MkdirAll(filepath.Join(brokenHome, ".ncloud"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(brokenHome, ".ncloud", "configure"),
		[]byte("[DEFAULT]\nncloud_access_key_id = x\nncloud_secret_access_key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{provider.EnvAccessKey: "ak", provider.EnvSecretKey: "sk"}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range keys {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}

	tests := []struct {
		name   string
		env    map[string]string
		home   string
		block  string
		expect string
	}{
		{
			name:   "missing access key",
			block:  `provider "ncp" { secret_key = "sk" }`,
			expect: `(?s)Missing NCP access key.*access_key argument.*NCLOUD_ACCESS_KEY.*ncloud_access_key_id`,
		},
		{
			name:   "missing secret key",
			env:    map[string]string{provider.EnvAccessKey: "ak"},
			block:  `provider "ncp" {}`,
			expect: `(?s)Missing NCP secret key.*secret_key argument.*NCLOUD_SECRET_KEY.*ncloud_secret_access_key`,
		},
		{
			name:   "unknown site attribute",
			env:    keys,
			block:  `provider "ncp" { site = "private" }`,
			expect: `(?s)Invalid site.*Unknown site "private" in attribute site.*public, gov, fin`,
		},
		{
			name:   "unknown site in environment",
			env:    with(map[string]string{provider.EnvSite: "private"}),
			block:  `provider "ncp" {}`,
			expect: `(?s)Invalid NCP site.*Unknown site "private".*NCLOUD_SITE.*public, gov, fin`,
		},
		{
			name:   "unknown region attribute",
			env:    keys,
			block:  `provider "ncp" { region = "MARS" }`,
			expect: `(?s)Invalid region.*Unknown region "MARS" in attribute region.*KR, SGN`,
		},
		{
			name:   "region of another site",
			env:    keys,
			block:  "provider \"ncp\" {\n  site   = \"gov\"\n  region = \"SGN\"\n}",
			expect: `(?s)Invalid NCP region.*Region "SGN".*attribute region.*site "gov".*must be one of KR`,
		},
		{
			name:   "malformed endpoint attribute",
			env:    keys,
			block:  "provider \"ncp\" {\n  endpoints {\n    ncloud = \"ncloud.example.com\"\n  }\n}",
			expect: `(?s)Invalid endpoint URL.*endpoints\.ncloud.*"ncloud\.example\.com".*http`,
		},
		{
			name:   "malformed NCP_ENDPOINT_URL",
			env:    with(map[string]string{provider.EnvEndpointURL: "http://127.0.0.1:4510/api?x=1"}),
			block:  `provider "ncp" {}`,
			expect: `(?s)Invalid endpoint URL.*NCP_ENDPOINT_URL.*"http://127\.0\.0\.1:4510/api\?x=1"`,
		},
		{
			name:   "malformed ncloud CLI file",
			home:   brokenHome,
			block:  `provider "ncp" {}`,
			expect: `(?s)Invalid ncloud CLI configuration.*\.ncloud/configure:3:`,
		},
		{
			name:   "empty region",
			env:    keys,
			block:  `provider "ncp" { region = "" }`,
			expect: `(?s)Invalid region.*Unknown region "" in attribute region`,
		},
		{
			name:   "negative max_retries",
			env:    keys,
			block:  `provider "ncp" { max_retries = -1 }`,
			expect: `(?s)max_retries.*at least 0`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			home := tt.home
			if home == "" {
				home = t.TempDir()
			}
			resource.UnitTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: unitFactories(tt.env, home),
				Steps: []resource.TestStep{{
					Config: zonesConfig(tt.block),
					// Terraform wraps long diagnostics: any space may be a line break.
					ExpectError: regexp.MustCompile(strings.ReplaceAll(tt.expect, " ", `\s+`)),
				}},
			})
		})
	}
}
