// Package acctest runs the provider's acceptance tests against ncplocal, the
// in-process NCP emulator: it starts servers, builds provider factories wired
// to them (through injected options, never process environment) and offers
// small helpers for names and inventory checks.
package acctest

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
)

// ProviderName is the key of the provider in the factories.
const ProviderName = provider.TypeName

// DefaultAsyncDelay is the time ncplocal takes for asynchronous transitions
// (INIT → RUN, ...) in acceptance tests: long enough that every waiter
// really polls, short enough to keep tests fast.
const DefaultAsyncDelay = 200 * time.Millisecond

// Retry delays of the providers built by ProviderFactories: the emulator
// answers in microseconds, so backing off longer only slows tests down.
const (
	TestRetryMinDelay = 5 * time.Millisecond
	TestRetryMaxDelay = 50 * time.Millisecond
)

// TestWaitConfig is the polling schedule of the providers built by
// ProviderFactories: first poll after 10 ms, then every 10% of the time
// waited, between 10 and 100 ms, so a DefaultAsyncDelay transition is seen
// within a few milliseconds. Tests read it and must not change it.
var TestWaitConfig = wait.Config{Initial: 10 * time.Millisecond, Min: 10 * time.Millisecond, Max: 100 * time.Millisecond, Fraction: 0.1}

// StartServer starts an in-process ncplocal on a free loopback port for the
// test, with DefaultAsyncDelay; opts may change the options (credentials,
// async delay, ...). The server is closed when the test ends.
func StartServer(t *testing.T, opts ...func(*ncplocal.Options)) *ncplocal.Server {
	t.Helper()
	o := ncplocal.Options{AsyncDelay: DefaultAsyncDelay}
	for _, f := range opts {
		f(&o)
	}
	return ncplocal.StartTest(t, o)
}

// Env returns the provider environment that points every endpoint at srv
// and authenticates with ncplocal.DefaultCredential.
func Env(srv *ncplocal.Server) map[string]string {
	return map[string]string{
		provider.EnvAccessKey:   ncplocal.DefaultCredential.AccessKey,
		provider.EnvSecretKey:   ncplocal.DefaultCredential.SecretKey,
		provider.EnvEndpointURL: srv.URL(),
	}
}

// NewClient returns a client core for srv signed with cred, with every
// endpoint at srv (Object Storage path style) and the short retry delays of
// the providers of ProviderFactories; opts may change the configuration
// (for example to wrap the transport).
func NewClient(t testing.TB, srv *ncplocal.Server, cred ncplocal.Credential, opts ...func(*client.Config)) *client.Client {
	t.Helper()
	url := srv.URL()
	cfg := client.Config{
		AccessKey:              cred.AccessKey,
		SecretKey:              cred.SecretKey,
		Region:                 "KR",
		Endpoints:              client.Endpoints{Ncloud: url, VODStation: url, GlobalEdge: url, CloudFunctions: url, ObjectStorage: url},
		ObjectStoragePathStyle: true,
		RetryMinDelay:          TestRetryMinDelay,
		RetryMaxDelay:          TestRetryMaxDelay,
	}
	for _, o := range opts {
		o(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	return c
}

// LookupEnv turns a map into a provider.WithEnv lookup function.
func LookupEnv(env map[string]string) func(string) (string, bool) {
	return func(key string) (string, bool) {
		v, ok := env[key]
		return v, ok
	}
}

// ProviderOptions returns the options ProviderFactories gives the provider
// before opts: the environment of Env(srv), no ncloud CLI file, short retry
// delays and TestWaitConfig.
func ProviderOptions(srv *ncplocal.Server) []provider.Option {
	return []provider.Option{
		provider.WithEnv(LookupEnv(Env(srv))),
		provider.WithHomeDir(""),
		provider.WithClientConfig(func(c *client.Config) {
			c.RetryMinDelay = TestRetryMinDelay
			c.RetryMaxDelay = TestRetryMaxDelay
		}),
		provider.WithWaitConfig(TestWaitConfig),
	}
}

// ProviderFactories returns the protocol 6 provider factories of a test,
// keyed "ncp", for a provider wired to srv (see ProviderOptions). opts come
// last and so override the defaults: pass provider.WithEnv to change the
// environment. Every provider block of the test configuration gets its own
// provider instance.
func ProviderFactories(srv *ncplocal.Server, opts ...provider.Option) map[string]func() (tfprotov6.ProviderServer, error) {
	all := append(ProviderOptions(srv), opts...)
	return map[string]func() (tfprotov6.ProviderServer, error){
		ProviderName: provider.NewServer("test", all...),
	}
}

// AlternateProviderName is the name of the second provider of
// ProviderFactoriesAlternate.
const AlternateProviderName = ProviderName + "alternate"

// ProviderFactoriesAlternate returns ProviderFactories(srv, opts...) plus the
// same provider under AlternateProviderName, for tests with two differently
// configured provider blocks:
//
//	provider "ncpalternate" { ... }
//	data "ncp_zones" "b" { provider = ncpalternate }
//
// terraform-plugin-testing serves each provider name from one in-process
// provider server, and every alias of that name talks to it, so two aliases
// of "ncp" would overwrite each other's configuration in a test (real
// Terraform runs start one provider process per provider block). A second
// name gets a second server, as terraform-provider-aws does with
// "awsalternate".
func ProviderFactoriesAlternate(srv *ncplocal.Server, opts ...provider.Option) map[string]func() (tfprotov6.ProviderServer, error) {
	f := ProviderFactories(srv, opts...)
	f[AlternateProviderName] = ProviderFactories(srv, opts...)[ProviderName]
	return f
}

// PreCheck fails the test early, with a clear message, when acceptance tests
// are enabled (TF_ACC) but TF_ACC_TERRAFORM_PATH does not name an executable
// Terraform or OpenTofu binary. Without it terraform-plugin-testing would
// search PATH for terraform or download one, so the tests could silently run
// against something else than the pinned bin/tofu. When TF_ACC is unset,
// terraform-plugin-testing skips acceptance tests by itself (resource.Test);
// resource.UnitTest runs anyway and needs the binary too, so PreCheck fails
// it rather than let it download one, except under go test -short without
// TF_ACC (the unit-tests-only run Main allows), where it skips it: it runs
// Terraform like an acceptance test. PreCheck also catches an OpenTofu
// binary without TF_ACC_PROVIDER_HOST=registry.opentofu.org.
func PreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" && testing.Short() {
		t.Skip("runs Terraform: skipped by -short without TF_ACC (set TF_ACC=1 and TF_ACC_TERRAFORM_PATH to run it)")
	}
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH is not set: point it at the OpenTofu binary (make testacc uses bin/tofu), " +
			"e.g. TF_ACC=1 TF_ACC_TERRAFORM_PATH=$PWD/bin/tofu TF_ACC_PROVIDER_HOST=registry.opentofu.org " +
			"TF_ACC_PROVIDER_NAMESPACE=ncplabs TF_CLI_CONFIG_FILE=/dev/null go test ./...")
	}
	if _, err := exec.LookPath(bin); err != nil {
		t.Fatalf("TF_ACC_TERRAFORM_PATH=%s is not an executable: %v", bin, err)
	}
	// OpenTofu looks providers up under registry.opentofu.org; with the
	// default host the in-process provider is not found and OpenTofu tries
	// to download it instead.
	if strings.Contains(filepath.Base(bin), "tofu") && os.Getenv("TF_ACC_PROVIDER_HOST") != "registry.opentofu.org" {
		t.Fatalf("TF_ACC_TERRAFORM_PATH=%s is OpenTofu: set TF_ACC_PROVIDER_HOST=registry.opentofu.org", bin)
	}
}

// NamePrefix starts the name of everything acceptance tests create, so that
// the sweepers (internal/sweep) can find and delete what a failed run left
// behind: RandName("tf-acc-vpc"), RandName(NamePrefix+"bucket"), ...
const NamePrefix = "tf-acc-"

// nameAlphabet is what RandName appends: lower-case letters and digits.
const nameAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// MaxNameLen is the longest name RandName returns; every NCP name rule
// accepts it (VPC, subnet, ACL: 3 to 30 characters).
const MaxNameLen = 30

// randSuffixLen is the length of the random part of RandName.
const randSuffixLen = 8

// RandName returns a random name that every NCP name rule accepts: lower
// case, starting with a letter, at most 30 characters, letters, digits and
// hyphens only: "<prefix>-<8 random characters>". The prefix is lower-cased,
// other characters become hyphens, a prefix that does not start with a
// letter gets "tf-" in front, and it is shortened to fit.
func RandName(prefix string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(prefix) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteByte('-')
		}
	}
	p := b.String()
	if p == "" || p[0] < 'a' || p[0] > 'z' {
		p = "tf-" + p
	}
	if maxPrefix := MaxNameLen - randSuffixLen - 1; len(p) > maxPrefix {
		p = p[:maxPrefix]
	}
	p = strings.TrimRight(p, "-")

	buf := make([]byte, randSuffixLen)
	_, _ = rand.Read(buf) // crypto/rand.Read never fails
	for i := range buf {
		buf[i] = nameAlphabet[int(buf[i])%len(nameAlphabet)]
	}
	return p + "-" + string(buf)
}

// DecodeInventory decodes what srv holds for one account and service (for
// example "ncplocal", "vpc") into out, through JSON, so that a test can
// compare the emulator's view with the Terraform state in typed form, e.g.
// with out of type struct{ Vpcs []vpc.Vpc `json:"vpcs"` }. It returns found
// false, leaving out untouched, when the account has nothing in that service.
func DecodeInventory(srv *ncplocal.Server, accountID, service string, out any) (found bool, err error) {
	listing, ok := srv.Inventory().Accounts[accountID][service]
	if !ok {
		return false, nil
	}
	b, err := json.Marshal(listing)
	if err != nil {
		return true, fmt.Errorf("encoding the %s inventory of %s: %w", service, accountID, err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return true, fmt.Errorf("decoding the %s inventory of %s: %w", service, accountID, err)
	}
	return true, nil
}

// SlowTransition makes srv's transition of kind (such as
// "vodstation/channel" and "create") last d, a Go duration; "" restores the
// async delay. A transition already under way keeps the progression it
// started with, so a test can make one object's transition outlast a
// resource's timeout and then put the default back.
func SlowTransition(t *testing.T, srv *ncplocal.Server, kind, transition, d string) {
	t.Helper()
	if err := srv.Transitions().Set(emu.TransitionSetting{Kind: kind, Transition: transition,
		Progression: emu.ProgressTime, Duration: d}); err != nil {
		t.Fatal(err)
	}
}
