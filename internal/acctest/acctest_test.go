package acctest_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	ncplocalvpc "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wirevpc "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// ncpName is the strictest NCP name rule RandName must satisfy.
var ncpName = regexp.MustCompile(`^[a-z][a-z0-9-]{1,28}[a-z0-9]$`)

func TestRandName(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, prefix := range []string{"tf-acc-vpc", "", "TF_Acc Subnet", "1vpc", "a-very-long-prefix-that-does-not-fit-at-all", "x--"} {
		for range 20 {
			n := acctest.RandName(prefix)
			if !ncpName.MatchString(n) || len(n) > acctest.MaxNameLen {
				t.Errorf("RandName(%q) = %q is not a valid NCP name", prefix, n)
			}
			seen[n] = true
		}
	}
	if len(seen) != 120 {
		t.Errorf("%d distinct names out of 120", len(seen))
	}
	if n := acctest.RandName("tf-acc-vpc"); !strings.HasPrefix(n, "tf-acc-vpc-") {
		t.Errorf("RandName(tf-acc-vpc) = %q, want the prefix kept", n)
	}
	if n := acctest.RandName("TF_Acc Subnet"); !strings.HasPrefix(n, "tf-acc-subnet-") {
		t.Errorf("RandName(TF_Acc Subnet) = %q, want the prefix lower-cased and hyphenated", n)
	}
}

func TestEnv(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	lookup := acctest.LookupEnv(acctest.Env(srv))
	for key, want := range map[string]string{
		provider.EnvAccessKey:   ncplocal.DefaultCredential.AccessKey,
		provider.EnvSecretKey:   ncplocal.DefaultCredential.SecretKey,
		provider.EnvEndpointURL: srv.URL(),
	} {
		if got, ok := lookup(key); !ok || got != want {
			t.Errorf("%s = %q, %v; want %q", key, got, ok, want)
		}
	}
	if _, ok := lookup(provider.EnvRegion); ok {
		t.Errorf("NCLOUD_REGION is set, want the provider default")
	}
	if srv.AsyncDelay() != acctest.DefaultAsyncDelay {
		t.Errorf("AsyncDelay = %s, want %s", srv.AsyncDelay(), acctest.DefaultAsyncDelay)
	}
	fast := acctest.StartServer(t, func(o *ncplocal.Options) { o.AsyncDelay = 0 })
	if fast.AsyncDelay() != 0 {
		t.Errorf("option not applied: AsyncDelay = %s", fast.AsyncDelay())
	}
	if f := acctest.ProviderFactoriesAlternate(srv); len(f) != 2 || f[acctest.ProviderName] == nil || f[acctest.AlternateProviderName] == nil {
		t.Errorf("ProviderFactoriesAlternate keys: %v", f)
	}
}

func TestDecodeInventory(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t, func(o *ncplocal.Options) {
		o.Services = func(env emu.Env) []emu.Service { return []emu.Service{ncplocalvpc.New(env)} }
	})
	account := ncplocal.DefaultCredential.AccountID
	var out struct {
		Vpcs []wirevpc.Vpc `json:"vpcs"`
	}
	if found, err := acctest.DecodeInventory(srv, account, "vpc", &out); err != nil || found {
		t.Fatalf("empty server: found %v, err %v", found, err)
	}

	core, err := client.New(client.Config{
		AccessKey: ncplocal.DefaultCredential.AccessKey, SecretKey: ncplocal.DefaultCredential.SecretKey,
		Region: "KR", Endpoints: client.Endpoints{Ncloud: srv.URL()},
	})
	if err != nil {
		t.Fatal(err)
	}
	name := acctest.RandName("tf-acc-inventory")
	body := legacy.EncodeParams("KR", url.Values{wirevpc.ParamVpcName: {name}, wirevpc.ParamIpv4CidrBlock: {"10.1.0.0/16"}})
	if _, err := core.Do(context.Background(), &client.Request{Service: "vpc", Operation: wirevpc.ActionCreateVpc,
		Method: http.MethodPost, BaseURL: srv.URL(), Path: wirevpc.PathPrefix + wirevpc.ActionCreateVpc,
		Body: body, ContentType: legacy.ContentTypeForm}); err != nil {
		t.Fatalf("createVpc: %v", err)
	}

	found, err := acctest.DecodeInventory(srv, account, "vpc", &out)
	if err != nil || !found {
		t.Fatalf("after createVpc: found %v, err %v", found, err)
	}
	if len(out.Vpcs) != 1 || out.Vpcs[0].VpcName != name || out.Vpcs[0].Ipv4CidrBlock != "10.1.0.0/16" {
		t.Errorf("inventory VPCs = %+v, want the one named %s", out.Vpcs, name)
	}
	var wrong struct {
		Vpcs string `json:"vpcs"`
	}
	if _, err := acctest.DecodeInventory(srv, account, "vpc", &wrong); err == nil || !strings.Contains(err.Error(), "decoding the vpc inventory") {
		t.Errorf("decoding into the wrong type: err = %v", err)
	}
}

func TestAccAllowed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		tfAcc           string
		short, listOnly bool
		want            bool
	}{
		{"", false, false, false},
		{"1", false, false, true},
		{"0", false, false, true}, // terraform-plugin-testing runs them for any non-empty value
		{"", true, false, true},
		{"", false, true, true},
		{"1", true, false, true},
	} {
		if got := acctest.AccAllowed(tc.tfAcc, tc.short, tc.listOnly); got != tc.want {
			t.Errorf("AccAllowed(%q, short %v, list %v) = %v, want %v", tc.tfAcc, tc.short, tc.listOnly, got, tc.want)
		}
	}
}
