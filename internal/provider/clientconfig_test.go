package provider_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
)

func TestClientConfig(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		provider.EnvAccessKey:   "ak",
		provider.EnvSecretKey:   "sk",
		provider.EnvRegion:      "KR",
		provider.EnvEndpointURL: "http://127.0.0.1:4510",
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	cfg, err := provider.ClientConfig(context.Background(), provider.WithEnv(lookup), provider.WithHomeDir(""),
		provider.WithClientConfig(func(c *client.Config) { c.MaxRetries = 3 }))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.AccessKey != "ak" || cfg.SecretKey != "sk" || cfg.Region != "KR" || cfg.Site != client.SitePublic ||
		cfg.Endpoints.Ncloud != "http://127.0.0.1:4510" || cfg.Endpoints.ObjectStorage != "http://127.0.0.1:4510" ||
		!cfg.ObjectStoragePathStyle || cfg.MaxRetries != 3 {
		t.Errorf("ClientConfig = %+v", cfg)
	}

	env[provider.EnvRegion] = "XX"
	if _, err := provider.ClientConfig(context.Background(), provider.WithEnv(lookup), provider.WithHomeDir("")); err == nil ||
		!strings.Contains(err.Error(), `Region "XX"`) {
		t.Errorf("an unknown region: %v, want an error naming it", err)
	}
}
