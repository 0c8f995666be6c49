package provider_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
)

// TestAccProvider_twoConfigurations configures two provider blocks with
// different endpoints and credentials, each against its own ncplocal, and
// checks that every call went to the right server with the right key.
//
// The second block is the provider under a second name (see
// acctest.ProviderFactoriesAlternate): in a test, every alias of one
// provider name shares one in-process provider server.
func TestAccProvider_twoConfigurations(t *testing.T) {
	acctest.SkipOnNCP(t, "two provider blocks, each against its own in-process ncplocal")
	first := acctest.StartServer(t)
	second := ncplocal.Credential{AccessKey: "second-access-key", SecretKey: "second-secret-key", AccountID: "second"}
	other := acctest.StartServer(t, func(o *ncplocal.Options) { o.Credentials = []ncplocal.Credential{second} })

	config := fmt.Sprintf(`
provider "ncp" {}

provider %[1]q {
  access_key = %[2]q
  secret_key = %[3]q

  endpoints {
    ncloud          = %[4]q
    vod_station     = %[4]q
    global_edge     = %[4]q
    cloud_functions = %[4]q
    object_storage  = %[4]q
  }
}

data "ncp_zones" "first" {}

data "ncp_zones" "second" {
  provider = %[1]s
}
`, acctest.AlternateProviderName, second.AccessKey, second.SecretKey, other.URL())

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProviderFactoriesAlternate(first),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ncp_zones.first", tfjsonpath.New("zone_codes"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue("data.ncp_zones.second", tfjsonpath.New("zone_codes"), knownvalue.ListSizeExact(2)),
			},
		}},
	})

	// Each server saw only its own account (no request was signed with the
	// other block's key, none was rejected), and both saw the same reads.
	const op = "vserver:getZoneList"
	for _, s := range []struct {
		name    string
		srv     *ncplocal.Server
		account string
	}{
		{"first", first, ncplocal.DefaultCredential.AccountID},
		{"second", other, second.AccountID},
	} {
		counts := s.srv.CallCounts()
		if accounts := slices.Sorted(maps.Keys(counts.Accounts)); !slices.Equal(accounts, []string{s.account}) {
			t.Errorf("%s server: calls from accounts %v, want only %s", s.name, accounts, s.account)
		}
		if !maps.Equal(counts.Total, map[string]int{op: counts.Total[op]}) || counts.Total[op] == 0 {
			t.Errorf("%s server: calls %v, want only %s", s.name, counts.Total, op)
		}
		if !maps.Equal(counts.Total, counts.Accounts[s.account]) {
			t.Errorf("%s server: %v in total but %v from %s", s.name, counts.Total, counts.Accounts[s.account], s.account)
		}
	}
	if a, b := first.Calls()[op], other.Calls()[op]; a != b {
		t.Errorf("first server got %d %s calls, second %d; each data source is read equally often", a, op, b)
	}
}
