package acctest

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
)

// Served is a provider served from the test's process for a Terraform or
// OpenTofu CLI run by the test itself (TF_REATTACH_PROVIDERS), as
// terraform-plugin-testing serves it, for what terraform-plugin-testing
// cannot run: configurations with modules, whose state it cannot read.
// The provider is the one of ProviderFactories, so it is wired to the
// test's ncplocal, takes provider options and runs under the race detector.
type Served struct {
	// Reattach is the value of TF_REATTACH_PROVIDERS for the CLI.
	Reattach string
	stop     context.CancelFunc
	closed   chan struct{}
	applies  sync.WaitGroup
}

// countedServer counts the applies in flight, so that Stop can wait for
// the ones it cut off: a killed process does nothing more, while a stopped
// in-process server's calls run on to their end.
type countedServer struct {
	tfprotov6.ProviderServer
	applies *sync.WaitGroup
}

func (c *countedServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	c.applies.Add(1)
	defer c.applies.Done()
	return c.ProviderServer.ApplyResourceChange(ctx, req)
}

// ServeProvider serves the provider of ProviderFactories(srv, opts...)
// until Stop or the end of the test. It registers the provider under the
// addresses OpenTofu and Terraform look for (TF_ACC_PROVIDER_HOST, both
// registries, TF_ACC_PROVIDER_NAMESPACE or "ncplabs").
func ServeProvider(t *testing.T, srv *ncplocal.Server, opts ...provider.Option) *Served {
	t.Helper()
	server, err := ProviderFactories(srv, opts...)[ProviderName]()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Served{stop: cancel, closed: make(chan struct{})}
	server = &countedServer{ProviderServer: server, applies: &s.applies}
	configCh := make(chan *plugin.ReattachConfig, 1)
	serveErr := make(chan error, 1)
	go func() {
		serveErr <- tf6server.Serve("registry.opentofu.org/ncplabs/ncp", func() tfprotov6.ProviderServer { return server },
			tf6server.WithDebug(ctx, configCh, s.closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			// The provider's logs go where terraform-plugin-testing sends
			// them (TF_LOG, TF_ACC_LOG_PATH, ...), not to stderr.
			tf6server.WithLoggingSink(t),
			tf6server.WithoutLogStderrOverride())
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-configCh:
	case err := <-serveErr:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	case <-time.After(time.Minute):
		cancel()
		t.Fatal("the provider server did not start within a minute")
	}
	t.Cleanup(s.Stop)

	type addr struct{ Network, String string }
	type reattach struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            addr
	}
	r := reattach{Protocol: string(cfg.Protocol), ProtocolVersion: cfg.ProtocolVersion, Pid: cfg.Pid, Test: true,
		Addr: addr{Network: cfg.Addr.Network(), String: cfg.Addr.String()}}
	namespace := os.Getenv("TF_ACC_PROVIDER_NAMESPACE")
	if namespace == "" {
		namespace = "ncplabs"
	}
	all := map[string]reattach{}
	for _, host := range []string{os.Getenv("TF_ACC_PROVIDER_HOST"), "registry.opentofu.org", "registry.terraform.io"} {
		if host != "" {
			all[strings.TrimSuffix(host, "/")+"/"+namespace+"/"+ProviderName] = r
		}
	}
	b, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	s.Reattach = string(b)
	return s
}

// Stop stops the provider server, as if the plugin process had been
// killed: requests in flight are cut off and the CLI sees the plugin go
// away. It returns once the server has stopped and the applies it cut off
// have returned (their answers go nowhere); calling it again does nothing.
func (s *Served) Stop() {
	s.stop()
	<-s.closed
	s.applies.Wait()
}

// CLI returns the Terraform or OpenTofu binary of the acceptance tests
// (TF_ACC_TERRAFORM_PATH, checked by PreCheck).
func CLI(t *testing.T) string {
	t.Helper()
	PreCheck(t)
	p := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if p == "" {
		t.Fatal("TF_ACC_TERRAFORM_PATH is not set: run the acceptance tests through make (ACC_ENV)")
	}
	return p
}
