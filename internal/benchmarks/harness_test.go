package benchmarks_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
)

// modulePath is the module whose root holds bin/tofu and main.go.
const modulePath = "github.com/ncplabs/terraform-provider-ncp"

// providerAddress is the address dev_overrides maps to the provider built
// by the harness; configurations name it as source "ncplabs/ncp".
const providerAddress = "registry.opentofu.org/ncplabs/ncp"

// repoRoot returns the root of the module, found by walking up from the
// working directory (go test runs in the package directory) to the go.mod
// that declares modulePath.
func repoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if f, err := os.Open(filepath.Join(dir, "go.mod")); err == nil {
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if fields := strings.Fields(sc.Text()); len(fields) == 2 && fields[0] == "module" && fields[1] == modulePath {
					f.Close()
					return dir
				}
			}
			f.Close()
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatalf("no go.mod of module %s above the working directory", modulePath)
		}
		dir = parent
	}
}

// tofuHarness runs the OpenTofu CLI of the repository (bin/tofu) as a
// subprocess against an in-process ncplocal, with the provider built from
// the working tree and loaded through dev_overrides, i.e. as a real plugin
// process, the way users run it.
type tofuHarness struct {
	tofu string
	srv  *ncplocal.Server
	env  []string
}

// newTofuHarness builds the provider (`go build -o <tmp>/terraform-provider-ncp .`
// from the repository root), writes a CLI configuration whose dev_overrides
// point at it, and returns a harness for srv. It fails the benchmark when
// bin/tofu is missing.
func newTofuHarness(tb testing.TB, srv *ncplocal.Server) *tofuHarness {
	tb.Helper()
	root := repoRoot(tb)
	tofu := filepath.Join(root, "bin", "tofu")
	if fi, err := os.Stat(tofu); err != nil || fi.IsDir() {
		tb.Fatalf("%s not found: run `make tools` first (it builds the pinned OpenTofu; `make bench` does it for you)", tofu)
	}

	pluginDir := tb.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(pluginDir, "terraform-provider-ncp"), ".")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("building the provider: %v\n%s", err, out)
	}

	cliConfig := filepath.Join(tb.TempDir(), "tofurc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", providerAddress, pluginDir)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o644); err != nil {
		tb.Fatal(err)
	}

	return &tofuHarness{
		tofu: tofu,
		srv:  srv,
		env: subprocessEnv(map[string]string{
			"TF_CLI_CONFIG_FILE":    cliConfig,
			"TF_IN_AUTOMATION":      "1",
			"CHECKPOINT_DISABLE":    "1",
			"HOME":                  tb.TempDir(), // no ~/.ncloud/configure, no ~/.terraform.d
			provider.EnvAccessKey:   ncplocal.DefaultCredential.AccessKey,
			provider.EnvSecretKey:   ncplocal.DefaultCredential.SecretKey,
			provider.EnvEndpointURL: srv.URL(),
		}),
	}
}

// subprocessEnv returns the environment of this process without anything
// that could change how OpenTofu or the provider behave (TF_*, NCLOUD_*,
// NCP_*, CHECKPOINT_*, HOME), plus set.
func subprocessEnv(set map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		key, _, _ := strings.Cut(kv, "=")
		if _, ok := set[key]; ok || key == "HOME" {
			continue
		}
		if strings.HasPrefix(key, "TF_") || strings.HasPrefix(key, "NCLOUD_") ||
			strings.HasPrefix(key, "NCP_") || strings.HasPrefix(key, "CHECKPOINT_") {
			continue
		}
		env = append(env, kv)
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

// workspace writes config as main.tf into a new directory and returns it.
// No `tofu init` is needed: the configurations use only the overridden
// provider and the built-in terraform_data.
func (h *tofuHarness) workspace(tb testing.TB, config string) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// run runs bin/tofu with args in dir and fails the benchmark unless it
// exits with status 0; the failure shows the command's output.
func (h *tofuHarness) run(tb testing.TB, dir string, args ...string) {
	tb.Helper()
	cmd := exec.Command(h.tofu, args...)
	cmd.Dir = dir
	cmd.Env = h.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		tb.Fatalf("tofu %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out.String())
	}
}

// apply runs `tofu apply` and fails the benchmark unless it succeeds.
func (h *tofuHarness) apply(tb testing.TB, dir string) {
	tb.Helper()
	h.run(tb, dir, "apply", "-input=false", "-lock=false", "-auto-approve", "-no-color")
}

// destroy runs `tofu destroy` and fails the benchmark unless it succeeds.
func (h *tofuHarness) destroy(tb testing.TB, dir string) {
	tb.Helper()
	h.run(tb, dir, "destroy", "-input=false", "-lock=false", "-auto-approve", "-no-color")
}

// plan runs `tofu plan` (refresh included unless extra says -refresh=false)
// and fails the benchmark unless it succeeds with no changes:
// -detailed-exitcode makes a non-empty plan exit 2, which run rejects. It
// returns how long the subprocess took.
func (h *tofuHarness) plan(tb testing.TB, dir string, extra ...string) time.Duration {
	tb.Helper()
	args := append([]string{"plan", "-input=false", "-lock=false", "-detailed-exitcode", "-no-color"}, extra...)
	start := time.Now()
	h.run(tb, dir, args...)
	return time.Since(start)
}

// configHeader starts every configuration using the provider; the provider
// block is empty, everything comes from the environment.
const configHeader = `terraform {
  required_providers {
    ncp = {
      source = "ncplabs/ncp"
    }
  }
}

provider "ncp" {}
`

// subnetsConfig is one /16 VPC with n /24 PRIVATE subnets in KR-2 and
// buckets buckets with force_destroy; names start with prefix.
func subnetsConfig(prefix string, n, buckets int) string {
	var b strings.Builder
	b.WriteString(configHeader)
	fmt.Fprintf(&b, `
resource "ncp_vpc" "bench" {
  name            = "%[1]s-vpc"
  ipv4_cidr_block = "10.0.0.0/16"
}

resource "ncp_subnet" "bench" {
  count          = %[2]d
  vpc_no         = ncp_vpc.bench.vpc_no
  subnet         = "10.0.${count.index}.0/24"
  zone           = "KR-2"
  network_acl_no = ncp_vpc.bench.default_network_acl_no
  subnet_type    = "PRIVATE"
  usage_type     = "GEN"
  name           = "%[1]s-${count.index}"
}
`, prefix, n)
	if buckets > 0 {
		fmt.Fprintf(&b, `
resource "ncp_object_storage_bucket" "bench" {
  count         = %[2]d
  bucket_name   = "%[1]s-bucket-${count.index}"
  force_destroy = true
}
`, prefix, buckets)
	}
	return b.String()
}

// terraformDataConfig is n terraform_data resources, the baseline of a
// refresh that costs nothing but OpenTofu itself.
func terraformDataConfig(n int) string {
	return fmt.Sprintf(`
resource "terraform_data" "bench" {
  count = %d
  input = "bench-${count.index}"
}
`, n)
}

// inventoryCounts is how many objects of each kind ncplocal holds for the
// default account.
type inventoryCounts struct{ Vpcs, Subnets, Buckets int }

// takeInventory counts what ncplocal holds for ncplocal.DefaultCredential.
func takeInventory(tb testing.TB, srv *ncplocal.Server) inventoryCounts {
	tb.Helper()
	account := ncplocal.DefaultCredential.AccountID
	var network struct {
		Vpcs    []json.RawMessage `json:"vpcs"`
		Subnets []json.RawMessage `json:"subnets"`
	}
	var storage struct {
		Buckets []json.RawMessage `json:"buckets"`
	}
	if _, err := acctest.DecodeInventory(srv, account, "vpc", &network); err != nil {
		tb.Fatal(err)
	}
	if _, err := acctest.DecodeInventory(srv, account, "objectstorage", &storage); err != nil {
		tb.Fatal(err)
	}
	return inventoryCounts{Vpcs: len(network.Vpcs), Subnets: len(network.Subnets), Buckets: len(storage.Buckets)}
}
