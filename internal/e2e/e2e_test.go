// Package e2e_test runs the real OpenTofu CLI against in-process ncplocal
// servers, with the provider as a real plugin process. It covers what the
// in-process acceptance harness cannot: one plugin process per provider
// block, and OpenTofu's own s3 state backend talking to ncplocal.
package e2e_test

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

// inventoryNames returns the VPC and bucket names ncplocal holds for account.
func inventoryNames(t *testing.T, srv *ncplocal.Server, account string) (vpcs, buckets []string) {
	t.Helper()
	b, err := json.Marshal(srv.Inventory())
	if err != nil {
		t.Fatal(err)
	}
	var inv struct {
		Accounts map[string]struct {
			VPC struct {
				Vpcs []struct {
					VpcName string `json:"vpcName"`
				} `json:"vpcs"`
			} `json:"vpc"`
			ObjectStorage struct {
				Buckets []struct {
					Name string `json:"name"`
				} `json:"buckets"`
			} `json:"objectstorage"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal(b, &inv); err != nil {
		t.Fatalf("decoding inventory %s: %v", b, err)
	}
	for acct, a := range inv.Accounts {
		if acct != account && (len(a.VPC.Vpcs) > 0 || len(a.ObjectStorage.Buckets) > 0) {
			t.Errorf("account %q has resources it should not: %s", acct, b)
		}
	}
	a := inv.Accounts[account]
	for _, v := range a.VPC.Vpcs {
		vpcs = append(vpcs, v.VpcName)
	}
	for _, bk := range a.ObjectStorage.Buckets {
		buckets = append(buckets, bk.Name)
	}
	return vpcs, buckets
}

// TestAliasedProviderBlocks applies one configuration with two blocks of
// the ncp provider, the second aliased, pointing at two different ncplocal
// servers with different credentials. OpenTofu runs one plugin process per
// block, so this is where shared process state would show.
func TestAliasedProviderBlocks(t *testing.T) {
	t.Parallel()
	first := acctest.StartServer(t)
	other := ncplocal.Credential{AccessKey: "second-access-key", SecretKey: "second-secret-key", AccountID: "second"}
	second := acctest.StartServer(t, func(o *ncplocal.Options) { o.Credentials = []ncplocal.Credential{other} })

	h := tofucli.New(t, acctest.Env(first))
	config := tofucli.Header + fmt.Sprintf(`
provider "ncp" {}

provider "ncp" {
  alias      = "second"
  access_key = %[1]q
  secret_key = %[2]q
  endpoints {
    ncloud         = %[3]q
    object_storage = %[3]q
  }
}

resource "ncp_vpc" "first" {
  name            = "first-vpc"
  ipv4_cidr_block = "10.1.0.0/16"
}

resource "ncp_vpc" "second" {
  provider        = ncp.second
  name            = "second-vpc"
  ipv4_cidr_block = "10.2.0.0/16"
}

resource "ncp_object_storage_bucket" "first" {
  bucket_name = "first-bucket"
}

resource "ncp_object_storage_bucket" "second" {
  provider    = ncp.second
  bucket_name = "second-bucket"
}
`, other.AccessKey, other.SecretKey, second.URL())
	dir := h.Workspace(t, map[string]string{"main.tf": config})

	h.Apply(t, dir)
	vpcs, buckets := inventoryNames(t, first, ncplocal.DefaultCredential.AccountID)
	if strings.Join(vpcs, ",") != "first-vpc" || strings.Join(buckets, ",") != "first-bucket" {
		t.Errorf("first server holds VPCs %v and buckets %v, want only first-vpc and first-bucket", vpcs, buckets)
	}
	vpcs, buckets = inventoryNames(t, second, other.AccountID)
	if strings.Join(vpcs, ",") != "second-vpc" || strings.Join(buckets, ",") != "second-bucket" {
		t.Errorf("second server holds VPCs %v and buckets %v, want only second-vpc and second-bucket", vpcs, buckets)
	}

	h.PlanEmpty(t, dir)

	h.Destroy(t, dir)
	for _, s := range []struct {
		srv     *ncplocal.Server
		account string
	}{{first, ncplocal.DefaultCredential.AccountID}, {second, other.AccountID}} {
		if vpcs, buckets := inventoryNames(t, s.srv, s.account); len(vpcs)+len(buckets) != 0 {
			t.Errorf("after destroy %s still holds VPCs %v and buckets %v", s.srv.URL(), vpcs, buckets)
		}
	}
}
