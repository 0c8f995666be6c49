package benchmarks_test

import (
	"encoding/json"
	"fmt"
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
