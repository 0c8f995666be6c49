package provider

import (
	"context"
	"errors"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
)

// ClientConfig returns the client configuration that a provider block
// without arguments resolves to with opts (by default: the process
// environment, then the ncloud CLI file), as Configure builds it. Acceptance
// tests that run against NCP itself and the sweepers use it to reach the
// same NCP, with the same credentials, as the provider under test.
func ClientConfig(ctx context.Context, opts ...Option) (client.Config, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	r := newResolver(ctx, o, providerModel{})
	cfg := r.resolve()
	if r.diags.HasError() {
		var errs []error
		for _, d := range r.diags.Errors() {
			errs = append(errs, errors.New(d.Summary()+": "+d.Detail()))
		}
		return client.Config{}, errors.Join(errs...)
	}
	for _, f := range o.clientConfigs {
		f(&cfg)
	}
	return cfg, nil
}
