package provider

import (
	"os"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
)

// Option changes how a provider built by New reads its environment and
// builds its client. Options exist so that tests never touch process-global
// state (environment variables, the home directory, timing).
type Option func(*options)

// options is the provider's injectable environment. It is filled once in New
// and only read afterwards, so every provider instance built from one
// factory may share it.
type options struct {
	lookupEnv     func(key string) (string, bool)
	homeDir       func() (string, error)
	clientConfigs []func(*client.Config)
	waitConfig    *wait.Config
}

func defaultOptions() options {
	return options{lookupEnv: os.LookupEnv, homeDir: os.UserHomeDir}
}

// WithEnv replaces os.LookupEnv as the source of environment variables
// (NCLOUD_ACCESS_KEY, NCP_ENDPOINT_URL, ...). A nil lookup means an empty
// environment.
func WithEnv(lookup func(key string) (string, bool)) Option {
	return func(o *options) {
		if lookup == nil {
			lookup = func(string) (string, bool) { return "", false }
		}
		o.lookupEnv = lookup
	}
}

// WithHomeDir sets the home directory in which the provider looks for the
// ncloud CLI configuration file (.ncloud/configure), instead of
// os.UserHomeDir. An empty dir means "no home directory": the file is never
// read.
func WithHomeDir(dir string) Option {
	return func(o *options) {
		o.homeDir = func() (string, error) { return dir, nil }
	}
}

// WithClientConfig registers a function that may change the client
// configuration after the provider block has been resolved and before the
// client is built, e.g. to shrink retry delays in tests or to set an
// HTTPTransport. Several functions run in the order given.
func WithClientConfig(f func(*client.Config)) Option {
	return func(o *options) {
		if f != nil {
			o.clientConfigs = append(o.clientConfigs, f)
		}
	}
}

// WithWaitConfig sets the polling schedule of every waiter, instead of
// wait.DefaultConfig().
func WithWaitConfig(cfg wait.Config) Option {
	return func(o *options) {
		o.waitConfig = &cfg
	}
}
