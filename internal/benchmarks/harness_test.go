package benchmarks_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
)

func TestMain(m *testing.M) { tofucli.Main(m) }

// newTofuHarness returns a tofucli harness that runs the OpenTofu CLI of the
// repository (bin/tofu) as a subprocess against srv, with the provider built
// from the working tree and loaded through dev_overrides, i.e. as a real
// plugin process, the way users run it. Apply, Destroy and PlanEmpty run
// with -lock=false. It fails the benchmark when bin/tofu is missing.
func newTofuHarness(tb testing.TB, srv *ncplocal.Server) *tofucli.Harness {
	tb.Helper()
	h := tofucli.New(tb, acctest.Env(srv))
	h.NoLock = true
	return h
}

// workspace writes config as main.tf into a new directory and returns it.
// No `tofu init` is needed: the configurations use only the overridden
// provider and the built-in terraform_data.
func workspace(tb testing.TB, h *tofucli.Harness, config string) string {
	tb.Helper()
	return h.Workspace(tb, map[string]string{"main.tf": config})
}

// configHeader starts every configuration using the provider; the provider
// block is empty, everything comes from the environment.
const configHeader = tofucli.Header + `
provider "ncp" {}
`

// subnetsConfig is one /16 VPC with n /24 PRIVATE subnets in KR-2 and
// buckets buckets with force_destroy; names start with prefix.
func subnetsConfig(prefix string, n, buckets int) string {
	var b strings.Builder
	b.WriteString(configHeader)
	b.WriteString(networkConfig("ncp", prefix, n))
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

// networkConfig is one /16 VPC with n /24 PRIVATE subnets in KR-2 of
// provider typeName (ncp, or noop for the no-op provider, whose resources
// have the same schemas); names start with prefix.
func networkConfig(typeName, prefix string, n int) string {
	return fmt.Sprintf(`
resource "%[3]s_vpc" "bench" {
  name            = "%[1]s-vpc"
  ipv4_cidr_block = "10.0.0.0/16"
}

resource "%[3]s_subnet" "bench" {
  count          = %[2]d
  vpc_no         = %[3]s_vpc.bench.vpc_no
  subnet         = "10.0.${count.index}.0/24"
  zone           = "KR-2"
  network_acl_no = %[3]s_vpc.bench.default_network_acl_no
  subnet_type    = "PRIVATE"
  usage_type     = "GEN"
  name           = "%[1]s-${count.index}"
}
`, prefix, n, typeName)
}

// noopConfig is networkConfig for the no-op provider.
func noopConfig(prefix string, n int) string {
	return `terraform {
  required_providers {
    noop = {
      source = "ncplabs/noop"
    }
  }
}
` + networkConfig("noop", prefix, n)
}

// newNoopHarness builds cmd/noopprovider and returns a harness that runs
// bin/tofu with it loaded through dev_overrides, a plugin process like
// the ncp provider.
func newNoopHarness(tb testing.TB) *tofucli.Harness {
	tb.Helper()
	root := tofucli.RepoRoot(tb)
	dir := tb.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-noop"), "./internal/benchmarks/cmd/noopprovider")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		tb.Fatalf("building the no-op provider: %v\n%s", err, out)
	}
	rc := filepath.Join(tb.TempDir(), "tofurc")
	content := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", noopAddress, dir)
	if err := os.WriteFile(rc, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
	h := tofucli.New(tb, map[string]string{"TF_CLI_CONFIG_FILE": rc})
	h.NoLock = true
	return h
}

// noopAddress is the address of cmd/noopprovider.
const noopAddress = "registry.opentofu.org/ncplabs/noop"

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
