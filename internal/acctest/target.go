package acctest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
)

// Where acceptance tests run, chosen by the environment variable EnvTarget:
//
//   - TargetLocal (the default): every test starts its own in-process
//     ncplocal (StartServer) and wires the provider to it through injected
//     options, never process environment;
//   - TargetNCP: the tests run against NCP itself, or whatever NCP_ENDPOINT_URL
//     names (an ncplocal started separately, for instance), with the
//     credentials, site and region of the environment, exactly as a provider
//     block without arguments resolves them (NCLOUD_ACCESS_KEY,
//     NCLOUD_SECRET_KEY, NCLOUD_REGION, NCLOUD_SITE, NCP_ENDPOINT_URL, then the
//     ncloud CLI file). Existence and destruction checks go through the
//     provider's finders; checks only an emulator can make (its inventory,
//     call counts, injected faults, a second account) are skipped with the
//     reason. Zones come from EnvZones.
const (
	EnvTarget   = "NCP_ACC_TARGET"
	TargetLocal = "ncplocal"
	TargetNCP   = "ncp"

	// EnvZones lists the zones the tests create objects in on TargetNCP,
	// comma-separated; at least two are needed (default for region KR:
	// KR-1,KR-2).
	EnvZones = "NCP_ACC_ZONES"
)

// defaultZones are the zones of a region the tests use when EnvZones is not
// set: two of them, so that a zone hard-coded anywhere would fail a test.
var defaultZones = map[string][]string{"KR": {"KR-1", "KR-2"}}

// TargetName returns the target of this test run (EnvTarget), TargetLocal
// when unset.
func TargetName() string {
	if v := os.Getenv(EnvTarget); v != "" {
		return v
	}
	return TargetLocal
}

// Target is what one acceptance test runs against: its own in-process
// ncplocal, or NCP (see EnvTarget).
type Target struct {
	server *ncplocal.Server // nil on TargetNCP
	config client.Config    // the configuration a provider block without arguments gets
	zones  []string
}

// NewTarget returns the target of test t. On TargetLocal it starts an
// in-process ncplocal with opts (StartServer); on TargetNCP opts are not
// used, and a missing or invalid environment fails the test.
func NewTarget(t *testing.T, opts ...func(*ncplocal.Options)) *Target {
	t.Helper()
	switch name := TargetName(); name {
	case TargetLocal:
		srv := StartServer(t, opts...)
		cfg := client.Config{
			AccessKey: ncplocal.DefaultCredential.AccessKey, SecretKey: ncplocal.DefaultCredential.SecretKey, Region: "KR",
			Endpoints:              client.Endpoints{Ncloud: srv.URL(), VODStation: srv.URL(), GlobalEdge: srv.URL(), CloudFunctions: srv.URL(), ObjectStorage: srv.URL()},
			ObjectStoragePathStyle: true,
		}
		return &Target{server: srv, config: cfg, zones: defaultZones["KR"]}
	case TargetNCP:
		g, err := ncpTarget()
		if err != nil {
			t.Fatalf("%s=%s: %v", EnvTarget, TargetNCP, err)
		}
		return g
	default:
		t.Fatalf("%s=%q: must be %s or %s", EnvTarget, name, TargetLocal, TargetNCP)
		return nil
	}
}

var (
	ncpOnce   sync.Once
	ncpShared *Target
	ncpErr    error
)

// ncpTarget resolves the TargetNCP environment once per test binary.
func ncpTarget() (*Target, error) {
	ncpOnce.Do(func() { ncpShared, ncpErr = NCPTargetFrom(os.LookupEnv) })
	return ncpShared, ncpErr
}

// NCPTargetFrom resolves a TargetNCP target from the environment lookup
// (and the ncloud CLI file when the environment lacks the keys), as the
// provider would.
func NCPTargetFrom(lookup func(string) (string, bool)) (*Target, error) {
	cfg, err := provider.ClientConfig(context.Background(), provider.WithEnv(lookup))
	if err != nil {
		return nil, fmt.Errorf("the environment does not configure the provider: %w", err)
	}
	zones := defaultZones[cfg.Region]
	if v, ok := lookup(EnvZones); ok && v != "" {
		zones = strings.Split(v, ",")
	}
	if len(zones) < 2 {
		return nil, fmt.Errorf("set %s to two or more zones of region %s, e.g. %s=%s-1,%s-2", EnvZones, cfg.Region, EnvZones, cfg.Region, cfg.Region)
	}
	return &Target{config: cfg, zones: zones}, nil
}

// Local reports whether the target is an in-process ncplocal.
func (g *Target) Local() bool { return g.server != nil }

// Server returns the in-process ncplocal for a test that only an emulator
// can run (faults, call counts, a second account, ...); on TargetNCP it
// skips the test, giving why.
func (g *Target) Server(t *testing.T, why string) *ncplocal.Server {
	t.Helper()
	if g.server == nil {
		t.Skipf("emulator only (%s=%s): %s", EnvTarget, TargetNCP, why)
	}
	return g.server
}

// Region is the region the provider uses.
func (g *Target) Region() string { return g.config.Region }

// Zone returns zone i (0 or 1) of the target's region: KR-1 and KR-2 in KR.
func (g *Target) Zone(i int) string { return g.zones[i%len(g.zones)] }

// Client returns a client core for out-of-band actions and the provider's
// finders, signed with the credential the provider uses, with the short
// retry delays of the tests on TargetLocal and the provider's defaults on
// TargetNCP.
func (g *Target) Client(t testing.TB) *client.Client {
	t.Helper()
	cfg := g.config
	if g.Local() {
		cfg.RetryMinDelay, cfg.RetryMaxDelay = TestRetryMinDelay, TestRetryMaxDelay
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	return c
}

// ProviderOptions returns the options of the providers of
// ProviderFactories: ProviderOptions(server) on TargetLocal; on TargetNCP
// none besides opts (the provider reads the process environment).
func (g *Target) ProviderOptions(opts ...provider.Option) []provider.Option {
	if g.Local() {
		return append(ProviderOptions(g.server), opts...)
	}
	return opts
}

// ProviderFactories returns the protocol 6 provider factories of a test on
// the target, keyed "ncp"; opts come last.
func (g *Target) ProviderFactories(opts ...provider.Option) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		ProviderName: provider.NewServer("test", g.ProviderOptions(opts...)...),
	}
}

// ParallelTest runs tc as a parallel acceptance test on the target
// (ParallelTest with the target's provider factories, unless tc sets its
// own).
func (g *Target) ParallelTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	if tc.ProtoV6ProviderFactories == nil {
		tc.ProtoV6ProviderFactories = g.ProviderFactories()
	}
	ParallelTest(t, g.server, tc)
}

// LocalCheck returns check on TargetLocal, where it may look at the
// emulator (its inventory, its call counts); on TargetNCP it returns a
// check that logs that it was skipped and why.
func (g *Target) LocalCheck(t *testing.T, why string, check resource.TestCheckFunc) resource.TestCheckFunc {
	if g.Local() {
		return check
	}
	return func(*terraform.State) error {
		t.Logf("emulator-only check skipped (%s=%s): %s", EnvTarget, TargetNCP, why)
		return nil
	}
}

// SkipOnNCP skips a test that needs an in-process ncplocal of its own on
// TargetNCP, giving why.
func SkipOnNCP(t *testing.T, why string) {
	t.Helper()
	if TargetName() == TargetNCP {
		t.Skipf("emulator only (%s=%s): %s", EnvTarget, TargetNCP, why)
	}
}
