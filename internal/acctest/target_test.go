package acctest_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
)

func TestNCPTargetFrom(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		provider.EnvAccessKey:   "ak",
		provider.EnvSecretKey:   "sk",
		provider.EnvEndpointURL: "http://127.0.0.1:4999",
	}
	lookup := acctest.LookupEnv(env)
	g, err := acctest.NCPTargetFrom(lookup)
	if err != nil {
		t.Fatal(err)
	}
	if g.Local() || g.Region() != "KR" || g.Zone(0) != "KR-1" || g.Zone(1) != "KR-2" {
		t.Errorf("target: local %v, region %s, zones %s %s; want NCP in KR with KR-1 and KR-2", g.Local(), g.Region(), g.Zone(0), g.Zone(1))
	}
	if u := g.Client(t).Config().Endpoints.Ncloud; u != "http://127.0.0.1:4999" {
		t.Errorf("the target's client calls %s, want NCP_ENDPOINT_URL", u)
	}

	env[acctest.EnvZones] = "KR-2,KR-1"
	if g, err := acctest.NCPTargetFrom(lookup); err != nil || g.Zone(0) != "KR-2" || g.Zone(1) != "KR-1" {
		t.Errorf("%s=KR-2,KR-1: %v; zones %s %s", acctest.EnvZones, err, g.Zone(0), g.Zone(1))
	}
	env[acctest.EnvZones] = "KR-1"
	if _, err := acctest.NCPTargetFrom(lookup); err == nil || !strings.Contains(err.Error(), "two or more zones") {
		t.Errorf("one zone: %v, want an error asking for two", err)
	}
	delete(env, acctest.EnvZones)
	env[provider.EnvRegion] = "JPN"
	if _, err := acctest.NCPTargetFrom(lookup); err == nil || !strings.Contains(err.Error(), acctest.EnvZones+" to two or more zones of region JPN") {
		t.Errorf("a region without default zones: %v, want an error naming %s", err, acctest.EnvZones)
	}
	delete(env, provider.EnvAccessKey)
	delete(env, provider.EnvRegion)
	if _, err := acctest.NCPTargetFrom(lookup); err == nil || !strings.Contains(err.Error(), "the environment does not configure the provider") {
		t.Errorf("no access key: %v, want an error", err)
	}
}

func TestLocalTarget(t *testing.T) {
	t.Parallel()
	if acctest.TargetName() != acctest.TargetLocal {
		t.Skipf("%s=%s", acctest.EnvTarget, acctest.TargetName())
	}
	g := acctest.NewTarget(t)
	srv := g.Server(t, "the test looks at the server")
	if !g.Local() || g.Zone(0) != "KR-1" || g.Zone(1) != "KR-2" || g.Region() != "KR" {
		t.Errorf("local target: zones %s %s, region %s", g.Zone(0), g.Zone(1), g.Region())
	}
	if u := g.Client(t).Config().Endpoints.ObjectStorage; u != srv.URL() {
		t.Errorf("the target's client calls %s, want the server %s", u, srv.URL())
	}
	if _, ok := g.ProviderFactories()[acctest.ProviderName]; !ok {
		t.Error("no provider factory")
	}
	if err := g.LocalCheck(t, "test", func(*terraform.State) error { return errSentinel })(nil); err != errSentinel { //nolint:errorlint // identity
		t.Errorf("the local check did not run: %v", err)
	}
}

var errSentinel = errors.New("the check ran")
