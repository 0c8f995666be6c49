package provider

import (
	"bytes"
	"context"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
)

// Test credentials. The secret must never appear in a log or a diagnostic.
const (
	testAccessKey = "AKIDattributekey0001"
	testSecretKey = "very-secret-attribute-key-0001"
)

// schemaType returns the provider block's type.
func schemaType(t *testing.T) (tftypes.Object, provider.SchemaResponse) {
	t.Helper()
	var resp provider.SchemaResponse
	(&ncpProvider{}).Schema(context.Background(), provider.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("Schema: %v", resp.Diagnostics)
	}
	typ, ok := resp.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
	if !ok {
		t.Fatalf("schema type is not an object")
	}
	return typ, resp
}

// providerConfig builds a provider block: attributes not in attrs are null.
// An "endpoints" entry of type map[string]string becomes the block.
func providerConfig(t *testing.T, attrs map[string]any) tfsdk.Config {
	t.Helper()
	typ, sresp := schemaType(t)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		v, ok := attrs[name]
		switch {
		case !ok:
			vals[name] = tftypes.NewValue(at, nil)
		case name == "endpoints":
			ot, isObject := at.(tftypes.Object)
			if !isObject {
				t.Fatalf("endpoints is a %T", at)
			}
			ev := map[string]tftypes.Value{}
			given, _ := v.(map[string]string)
			for en, et := range ot.AttributeTypes {
				if s, ok := given[en]; ok {
					ev[en] = tftypes.NewValue(et, s)
				} else {
					ev[en] = tftypes.NewValue(et, nil)
				}
			}
			if v == tftypes.UnknownValue {
				vals[name] = tftypes.NewValue(at, tftypes.UnknownValue)
			} else {
				vals[name] = tftypes.NewValue(at, ev)
			}
		case v == tftypes.UnknownValue:
			vals[name] = tftypes.NewValue(at, tftypes.UnknownValue)
		default:
			if i, ok := v.(int); ok {
				v = int64(i)
			}
			if i, ok := v.(int64); ok {
				vals[name] = tftypes.NewValue(at, new(big.Float).SetInt64(i))
				continue
			}
			vals[name] = tftypes.NewValue(at, v)
		}
	}
	return tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, vals)}
}

// configureResult is what one Configure call produced.
type configureResult struct {
	meta  *conns.Meta
	diags diag.Diagnostics
	logs  string
}

// configure runs Configure of a provider built with opts on the block attrs,
// capturing its logs.
func configure(t *testing.T, attrs map[string]any, opts ...Option) configureResult {
	t.Helper()
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	p := New("1.2.3", opts...)()
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: providerConfig(t, attrs)}, &resp)
	res := configureResult{diags: resp.Diagnostics, logs: logs.String()}
	if resp.DataSourceData != nil {
		meta, ok := resp.DataSourceData.(*conns.Meta)
		if !ok {
			t.Fatalf("DataSourceData is %T, want *conns.Meta", resp.DataSourceData)
		}
		if resp.ResourceData != resp.DataSourceData {
			t.Errorf("ResourceData and DataSourceData differ")
		}
		res.meta = meta
	}
	return res
}

// mustConfigure is configure that fails the test on error diagnostics.
func mustConfigure(t *testing.T, attrs map[string]any, opts ...Option) client.Config {
	t.Helper()
	res := configure(t, attrs, opts...)
	if res.diags.HasError() {
		t.Fatalf("Configure failed: %v", res.diags)
	}
	if res.meta == nil || res.meta.Client == nil {
		t.Fatalf("Configure returned no client")
	}
	return res.meta.Client.Config()
}

// env is a WithEnv option over a map.
func env(m map[string]string) Option {
	return WithEnv(func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	})
}

// homeWithConfig returns a temporary home directory whose
// .ncloud/configure holds content.
func homeWithConfig(t *testing.T, content string) string {
	t.Helper()
	home := t.TempDir()
	dir := filepath.Join(home, ".ncloud")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "configure"), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return home
}

const fileConfig = `[DEFAULT]
ncloud_access_key_id = file-access-key
ncloud_secret_access_key = file-secret-key
ncloud_api_url = https://file.example.com

[other]
ncloud_access_key_id = other-access-key
ncloud_secret_access_key = other-secret-key
`

const fullEnvEndpoint = "http://127.0.0.1:4510"

func TestResolutionOrder(t *testing.T) {
	t.Parallel()
	fileHome := homeWithConfig(t, fileConfig)
	fullEnv := map[string]string{
		EnvAccessKey:       "env-access-key",
		EnvAccessKeyID:     "env-access-key-id",
		EnvSecretKey:       "env-secret-key",
		EnvRegion:          "SGN",
		EnvSite:            "public",
		EnvEndpointURL:     fullEnvEndpoint,
		"NCLOUD_UNRELATED": "x",
	}
	defaults, osRegion, err := client.DefaultEndpoints(client.SitePublic, "KR")
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		attrs map[string]any
		env   map[string]string
		home  string
		check func(t *testing.T, c client.Config)
	}{
		{
			name: "attributes win over environment and file",
			attrs: map[string]any{
				"access_key": testAccessKey, "secret_key": testSecretKey, "region": "JPN", "site": "public",
				"endpoints": map[string]string{"ncloud": "http://attr.example.com:8080/", "object_storage": "https://s3.example.com"},
			},
			env:  fullEnv,
			home: fileHome,
			check: func(t *testing.T, c client.Config) {
				want := client.Config{AccessKey: testAccessKey, SecretKey: testSecretKey, Region: "JPN", Site: "public"}
				if c.AccessKey != want.AccessKey || c.SecretKey != want.SecretKey || c.Region != want.Region || c.Site != want.Site {
					t.Errorf("got %s/%s/%s, want attribute values", c.AccessKey, c.Region, c.Site)
				}
				if c.Endpoints.Ncloud != "http://attr.example.com:8080" {
					t.Errorf("Ncloud endpoint = %q, want the attribute without its trailing slash", c.Endpoints.Ncloud)
				}
				if c.Endpoints.ObjectStorage != "https://s3.example.com" {
					t.Errorf("ObjectStorage endpoint = %q, want the attribute", c.Endpoints.ObjectStorage)
				}
				// Endpoints not set in the block still follow NCP_ENDPOINT_URL.
				if c.Endpoints.VODStation != fullEnvEndpoint || c.Endpoints.GlobalEdge != fullEnvEndpoint || c.Endpoints.CloudFunctions != fullEnvEndpoint {
					t.Errorf("other endpoints = %+v, want %s", c.Endpoints, fullEnvEndpoint)
				}
			},
		},
		{
			name: "environment wins over file",
			env:  fullEnv,
			home: fileHome,
			check: func(t *testing.T, c client.Config) {
				if c.AccessKey != "env-access-key" || c.SecretKey != "env-secret-key" {
					t.Errorf("keys = %s/%s, want the NCLOUD_ACCESS_KEY/NCLOUD_SECRET_KEY values", c.AccessKey, c.SecretKey)
				}
				if c.Region != "SGN" {
					t.Errorf("Region = %s, want SGN from NCLOUD_REGION", c.Region)
				}
				for _, e := range []string{c.Endpoints.Ncloud, c.Endpoints.VODStation, c.Endpoints.GlobalEdge, c.Endpoints.CloudFunctions, c.Endpoints.ObjectStorage} {
					if e != fullEnvEndpoint {
						t.Errorf("endpoints = %+v, want all %s", c.Endpoints, fullEnvEndpoint)
						break
					}
				}
				if c.ObjectStorageRegion != "sg-standard" {
					t.Errorf("ObjectStorageRegion = %q, want sg-standard for SGN", c.ObjectStorageRegion)
				}
			},
		},
		{
			name: "alternative environment variable names",
			env:  map[string]string{EnvAccessKeyID: "id-access-key", EnvSecretAccessKey: "id-secret-key"},
			check: func(t *testing.T, c client.Config) {
				if c.AccessKey != "id-access-key" || c.SecretKey != "id-secret-key" {
					t.Errorf("keys = %s/%s, want NCLOUD_ACCESS_KEY_ID/NCLOUD_SECRET_ACCESS_KEY values", c.AccessKey, c.SecretKey)
				}
			},
		},
		{
			name: "file wins over defaults",
			home: fileHome,
			check: func(t *testing.T, c client.Config) {
				if c.AccessKey != "file-access-key" || c.SecretKey != "file-secret-key" {
					t.Errorf("keys = %s/%s, want the [DEFAULT] profile values", c.AccessKey, c.SecretKey)
				}
				if c.Endpoints.Ncloud != "https://file.example.com" {
					t.Errorf("Ncloud endpoint = %q, want ncloud_api_url", c.Endpoints.Ncloud)
				}
				if c.Endpoints.ObjectStorage != defaults.ObjectStorage {
					t.Errorf("ObjectStorage endpoint = %q, want the default %q", c.Endpoints.ObjectStorage, defaults.ObjectStorage)
				}
			},
		},
		{
			name:  "profile attribute picks a section",
			attrs: map[string]any{"profile": "other"},
			env:   map[string]string{EnvProfile: "DEFAULT"},
			home:  fileHome,
			check: func(t *testing.T, c client.Config) {
				if c.AccessKey != "other-access-key" || c.SecretKey != "other-secret-key" {
					t.Errorf("keys = %s/%s, want the [other] profile values", c.AccessKey, c.SecretKey)
				}
				if c.Endpoints.Ncloud != defaults.Ncloud {
					t.Errorf("Ncloud endpoint = %q, want the default (no ncloud_api_url in [other])", c.Endpoints.Ncloud)
				}
			},
		},
		{
			name: "NCLOUD_PROFILE picks a section",
			env:  map[string]string{EnvProfile: "other"},
			home: fileHome,
			check: func(t *testing.T, c client.Config) {
				if c.AccessKey != "other-access-key" {
					t.Errorf("AccessKey = %s, want the [other] profile value", c.AccessKey)
				}
			},
		},
		{
			name:  "defaults",
			attrs: map[string]any{"access_key": testAccessKey, "secret_key": testSecretKey},
			check: func(t *testing.T, c client.Config) {
				if c.Site != client.SitePublic || c.Region != "KR" {
					t.Errorf("site/region = %s/%s, want public/KR", c.Site, c.Region)
				}
				if c.Endpoints != defaults || c.ObjectStorageRegion != osRegion {
					t.Errorf("endpoints = %+v (%s), want %+v (%s)", c.Endpoints, c.ObjectStorageRegion, defaults, osRegion)
				}
				if !c.ObjectStoragePathStyle {
					t.Errorf("path style must be the default")
				}
				if c.MaxRetries != client.DefaultMaxRetries {
					t.Errorf("MaxRetries = %d, want %d", c.MaxRetries, client.DefaultMaxRetries)
				}
				if c.RetryMinDelay != client.DefaultRetryMinDelay || c.RetryMaxDelay != client.DefaultRetryMaxDelay {
					t.Errorf("retry delays = %s..%s, want the defaults", c.RetryMinDelay, c.RetryMaxDelay)
				}
				if c.UserAgent != "terraform-provider-ncp/1.2.3" {
					t.Errorf("UserAgent = %q", c.UserAgent)
				}
			},
		},
		{
			name:  "site defaults its region",
			attrs: map[string]any{"access_key": testAccessKey, "secret_key": testSecretKey, "site": "fin"},
			check: func(t *testing.T, c client.Config) {
				if c.Region != "FKR" || c.Endpoints.Ncloud != "https://fin-ncloud.apigw.fin-ntruss.com" {
					t.Errorf("fin: region %s, ncloud %s; want FKR and the fin gateway", c.Region, c.Endpoints.Ncloud)
				}
			},
		},
		{
			name:  "site from environment",
			attrs: map[string]any{"access_key": testAccessKey, "secret_key": testSecretKey},
			env:   map[string]string{EnvSite: "gov"},
			check: func(t *testing.T, c client.Config) {
				if c.Site != "gov" || c.Endpoints.Ncloud != "https://ncloud.apigw.gov-ntruss.com" {
					t.Errorf("gov: site %s, ncloud %s", c.Site, c.Endpoints.Ncloud)
				}
			},
		},
		{
			name:  "endpoint override turns on path style",
			attrs: map[string]any{"access_key": testAccessKey, "secret_key": testSecretKey, "endpoints": map[string]string{"vod_station": "http://localhost:1"}},
			check: func(t *testing.T, c client.Config) {
				if !c.ObjectStoragePathStyle {
					t.Errorf("path style must default to true when an endpoint is overridden")
				}
				if c.Endpoints.Ncloud != defaults.Ncloud || c.Endpoints.VODStation != "http://localhost:1" {
					t.Errorf("endpoints = %+v", c.Endpoints)
				}
			},
		},
		{
			name:  "NCP_ENDPOINT_URL turns on path style",
			attrs: map[string]any{"access_key": testAccessKey, "secret_key": testSecretKey},
			env:   map[string]string{EnvEndpointURL: fullEnvEndpoint + "/"},
			check: func(t *testing.T, c client.Config) {
				if !c.ObjectStoragePathStyle || c.Endpoints.ObjectStorage != fullEnvEndpoint {
					t.Errorf("path style %v, object storage %q", c.ObjectStoragePathStyle, c.Endpoints.ObjectStorage)
				}
			},
		},
		{
			name: "explicit path style and retries win",
			attrs: map[string]any{"access_key": testAccessKey, "secret_key": testSecretKey,
				"object_storage_path_style": false, "max_retries": 3},
			env: map[string]string{EnvEndpointURL: fullEnvEndpoint},
			check: func(t *testing.T, c client.Config) {
				if c.ObjectStoragePathStyle || c.MaxRetries != 3 {
					t.Errorf("path style %v, retries %d; want false, 3", c.ObjectStoragePathStyle, c.MaxRetries)
				}
			},
		},
		{
			name:  "max_retries 0 disables retries",
			attrs: map[string]any{"access_key": testAccessKey, "secret_key": testSecretKey, "max_retries": 0},
			check: func(t *testing.T, c client.Config) {
				if c.MaxRetries >= 0 {
					t.Errorf("MaxRetries = %d, want negative (no retries) for max_retries = 0", c.MaxRetries)
				}
			},
		},
		{
			name:  "empty attribute counts as unset",
			attrs: map[string]any{"access_key": "", "secret_key": testSecretKey},
			env:   map[string]string{EnvAccessKey: "env-access-key", EnvRegion: "DEN"},
			check: func(t *testing.T, c client.Config) {
				if c.AccessKey != "env-access-key" || c.Region != "DEN" {
					t.Errorf("got %s/%s, want the environment values", c.AccessKey, c.Region)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			home := tt.home
			if home == "" {
				home = t.TempDir() // no .ncloud/configure
			}
			tt.check(t, mustConfigure(t, tt.attrs, env(tt.env), WithHomeDir(home)))
		})
	}
}

func TestConfigureOptions(t *testing.T) {
	t.Parallel()
	attrs := map[string]any{"access_key": testAccessKey, "secret_key": testSecretKey}
	var seen client.Config
	waitCfg := wait.Config{Initial: time.Millisecond, Min: 2 * time.Millisecond, Max: 3 * time.Millisecond, Fraction: 0.5}
	res := configure(t, attrs, env(nil), WithHomeDir(""),
		WithClientConfig(func(c *client.Config) { seen = *c; c.RetryMinDelay = time.Millisecond }),
		WithClientConfig(func(c *client.Config) { c.RetryMaxDelay = 2 * time.Millisecond }),
		WithWaitConfig(waitCfg),
	)
	if res.diags.HasError() {
		t.Fatal(res.diags)
	}
	if seen.AccessKey != testAccessKey || seen.Region != "KR" {
		t.Errorf("WithClientConfig saw %+v, want the resolved configuration", seen.Endpoints)
	}
	got := res.meta.Client.Config()
	if got.RetryMinDelay != time.Millisecond || got.RetryMaxDelay != 2*time.Millisecond {
		t.Errorf("retry delays = %s..%s, want both WithClientConfig functions applied in order", got.RetryMinDelay, got.RetryMaxDelay)
	}
	if res.meta.Wait != waitCfg || res.meta.Region != "KR" {
		t.Errorf("meta = %+v, want WithWaitConfig and region KR", res.meta)
	}

	res = configure(t, attrs, env(nil), WithHomeDir(""))
	if res.meta.Wait != wait.DefaultConfig() {
		t.Errorf("Wait = %+v, want wait.DefaultConfig()", res.meta.Wait)
	}
}

// TestTwoProvidersIndependent configures two provider blocks from one
// factory, as two aliases would be, and checks that neither sees the other.
func TestTwoProvidersIndependent(t *testing.T) {
	t.Parallel()
	factory := New("test", env(map[string]string{EnvEndpointURL: "http://127.0.0.1:1"}), WithHomeDir(""))
	configureWith := func(attrs map[string]any) *conns.Meta {
		var resp provider.ConfigureResponse
		factory().Configure(context.Background(), provider.ConfigureRequest{Config: providerConfig(t, attrs)}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
		meta, ok := resp.DataSourceData.(*conns.Meta)
		if !ok {
			t.Fatalf("DataSourceData is %T", resp.DataSourceData)
		}
		return meta
	}
	a := configureWith(map[string]any{"access_key": "key-a", "secret_key": "secret-a"})
	b := configureWith(map[string]any{"access_key": "key-b", "secret_key": "secret-b", "region": "SGN",
		"endpoints": map[string]string{"ncloud": "http://127.0.0.1:2"}})
	ca, cb := a.Client.Config(), b.Client.Config()
	if ca.AccessKey != "key-a" || ca.Region != "KR" || ca.Endpoints.Ncloud != "http://127.0.0.1:1" {
		t.Errorf("first block changed by the second: %s %s %s", ca.AccessKey, ca.Region, ca.Endpoints.Ncloud)
	}
	if cb.AccessKey != "key-b" || cb.Region != "SGN" || cb.Endpoints.Ncloud != "http://127.0.0.1:2" {
		t.Errorf("second block: %s %s %s", cb.AccessKey, cb.Region, cb.Endpoints.Ncloud)
	}
	if a.Client == b.Client {
		t.Errorf("both blocks share one client")
	}
}

func TestConfigureUnknownValues(t *testing.T) {
	t.Parallel()
	for _, attrs := range []map[string]any{
		{"access_key": tftypes.UnknownValue, "secret_key": testSecretKey},
		{"access_key": testAccessKey, "secret_key": testSecretKey, "region": tftypes.UnknownValue},
		{"access_key": testAccessKey, "secret_key": testSecretKey, "endpoints": tftypes.UnknownValue},
	} {
		res := configure(t, attrs, env(nil), WithHomeDir(""))
		if res.diags.HasError() || res.diags.WarningsCount() != 1 {
			t.Errorf("%v: diagnostics %v, want exactly one warning", attrs, res.diags)
			continue
		}
		if res.meta != nil {
			t.Errorf("%v: provider data set although the configuration is not known", attrs)
		}
		if w := res.diags.Warnings()[0]; !strings.Contains(w.Detail(), "not known until apply") {
			t.Errorf("warning detail %q does not explain the unknown values", w.Detail())
		}
	}
}

func TestConfigureUnknownEndpoint(t *testing.T) {
	t.Parallel()
	typ, sresp := schemaType(t)
	ot, ok := typ.AttributeTypes["endpoints"].(tftypes.Object)
	if !ok {
		t.Fatalf("endpoints is a %T", typ.AttributeTypes["endpoints"])
	}
	ev := map[string]tftypes.Value{}
	for n, et := range ot.AttributeTypes {
		ev[n] = tftypes.NewValue(et, nil)
	}
	ev["object_storage"] = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	vals := map[string]tftypes.Value{}
	for n, at := range typ.AttributeTypes {
		vals[n] = tftypes.NewValue(at, nil)
	}
	vals["endpoints"] = tftypes.NewValue(ot, ev)
	vals["access_key"] = tftypes.NewValue(tftypes.String, testAccessKey)
	vals["secret_key"] = tftypes.NewValue(tftypes.String, testSecretKey)

	var resp provider.ConfigureResponse
	New("test", env(nil), WithHomeDir(""))().Configure(context.Background(),
		provider.ConfigureRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, vals)}}, &resp)
	if resp.Diagnostics.HasError() || resp.DataSourceData != nil {
		t.Fatalf("diagnostics %v, data %v; want a warning and no data", resp.Diagnostics, resp.DataSourceData)
	}
	if w := resp.Diagnostics.Warnings(); len(w) != 1 || !strings.Contains(w[0].Detail(), "endpoints.object_storage") {
		t.Errorf("warnings %v, want one naming endpoints.object_storage", w)
	}
}

func TestConfigureErrors(t *testing.T) {
	t.Parallel()
	keys := map[string]any{"access_key": testAccessKey, "secret_key": testSecretKey}
	with := func(extra map[string]any) map[string]any {
		m := map[string]any{}
		for k, v := range keys {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name     string
		attrs    map[string]any
		env      map[string]string
		home     string
		path     path.Path // attribute the error is on; empty for none
		contains []string
	}{
		{
			name:     "missing access key",
			attrs:    map[string]any{"secret_key": testSecretKey},
			path:     path.Root("access_key"),
			contains: []string{"access_key argument", "NCLOUD_ACCESS_KEY environment variable (or NCLOUD_ACCESS_KEY_ID)", "ncloud_access_key_id in the [DEFAULT] profile"},
		},
		{
			name:     "missing secret key",
			attrs:    map[string]any{"access_key": testAccessKey},
			path:     path.Root("secret_key"),
			contains: []string{"secret_key argument", "NCLOUD_SECRET_KEY environment variable (or NCLOUD_SECRET_ACCESS_KEY)", "ncloud_secret_access_key"},
		},
		{
			name:     "unknown site from environment",
			attrs:    keys,
			env:      map[string]string{EnvSite: "private"},
			contains: []string{`Unknown site "private"`, "environment variable NCLOUD_SITE", "public, gov, fin"},
		},
		{
			name:     "region not served by the site",
			attrs:    with(map[string]any{"site": "gov", "region": "SGN"}),
			path:     path.Root("region"),
			contains: []string{`Region "SGN"`, `site "gov"`, "must be one of KR"},
		},
		{
			name:     "unknown region from environment",
			attrs:    keys,
			env:      map[string]string{EnvRegion: "MARS"},
			contains: []string{`Region "MARS"`, "NCLOUD_REGION", "KR, SGN, JPN, USWN, DEN"},
		},
		{
			name:     "malformed endpoint attribute",
			attrs:    with(map[string]any{"endpoints": map[string]string{"global_edge": "edge.example.com"}}),
			path:     path.Root("endpoints").AtName("global_edge"),
			contains: []string{"global_edge", `"edge.example.com"`, "http://"},
		},
		{
			name:     "malformed NCP_ENDPOINT_URL",
			attrs:    keys,
			env:      map[string]string{EnvEndpointURL: "http://127.0.0.1:4510/vpc/v2"},
			contains: []string{"NCP_ENDPOINT_URL", "path"},
		},
		{
			name:     "malformed ncloud_api_url",
			home:     "[DEFAULT]\nncloud_access_key_id = a\nncloud_secret_access_key = b\nncloud_api_url = ftp://x\n",
			contains: []string{"ncloud_api_url in profile [DEFAULT]", "configure", "http"},
		},
		{
			name:     "malformed configuration file",
			attrs:    map[string]any{"secret_key": testSecretKey},
			home:     "[DEFAULT]\nncloud_access_key_id = abc\nthis line is broken\n",
			contains: []string{filepath.Join(".ncloud", "configure") + ":3:", `expected "key = value"`},
		},
		{
			name:     "profile attribute names a missing section",
			attrs:    with(map[string]any{"profile": "prod", "access_key": nil}),
			home:     fileConfig,
			path:     path.Root("profile"),
			contains: []string{`profile "prod" was requested`, "no [prod] section", "DEFAULT, other"},
		},
		{
			name:     "explicit profile reads a malformed file",
			attrs:    with(map[string]any{"profile": "DEFAULT"}),
			home:     "[DEFAULT]\nthis line is broken\n",
			path:     path.Root("profile"),
			contains: []string{filepath.Join(".ncloud", "configure") + ":2:", `expected "key = value"`},
		},
		{
			name:     "NCLOUD_PROFILE without a file",
			attrs:    map[string]any{"secret_key": testSecretKey},
			env:      map[string]string{EnvProfile: "prod"},
			contains: []string{`profile "prod" was requested`, "does not exist"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			home := t.TempDir()
			if tt.home != "" {
				home = homeWithConfig(t, tt.home)
			}
			attrs := map[string]any{}
			for k, v := range tt.attrs {
				if v != nil {
					attrs[k] = v
				}
			}
			res := configure(t, attrs, env(tt.env), WithHomeDir(home))
			if !res.diags.HasError() {
				t.Fatalf("Configure succeeded, want an error")
			}
			if res.meta != nil {
				t.Errorf("provider data set despite the error")
			}
			var found bool
			for _, d := range res.diags.Errors() {
				text := d.Summary() + ": " + d.Detail()
				if strings.Contains(text, testSecretKey) {
					t.Errorf("diagnostic reveals the secret key: %s", text)
				}
				all := true
				for _, want := range tt.contains {
					all = all && strings.Contains(text, want)
				}
				if !all {
					continue
				}
				found = true
				dp, hasPath := d.(diag.DiagnosticWithPath)
				switch {
				case len(tt.path.Steps()) == 0 && hasPath:
					t.Errorf("error is on attribute %s, want none", dp.Path())
				case len(tt.path.Steps()) > 0 && (!hasPath || !dp.Path().Equal(tt.path)):
					t.Errorf("error is not on attribute %s: %v", tt.path, d)
				}
			}
			if !found {
				t.Errorf("no error contains all of %q; got %v", tt.contains, res.diags)
			}
		})
	}
}

// TestConfigureLogs checks that Configure logs the endpoints and the masked
// access key at DEBUG, and never the secret key or the full access key.
func TestConfigureLogs(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		attrs map[string]any
		env   map[string]string
		home  string
	}{
		"attribute": {attrs: map[string]any{"access_key": testAccessKey, "secret_key": testSecretKey}},
		"environment": {env: map[string]string{EnvAccessKey: testAccessKey, EnvSecretKey: testSecretKey,
			EnvEndpointURL: fullEnvEndpoint}},
		"file": {home: "[DEFAULT]\nncloud_access_key_id=" + testAccessKey + "\nncloud_secret_access_key=" + testSecretKey + "\n"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			home := ""
			if tc.home != "" {
				home = homeWithConfig(t, tc.home)
			}
			res := configure(t, tc.attrs, env(tc.env), WithHomeDir(home))
			if res.diags.HasError() {
				t.Fatal(res.diags)
			}
			entries, err := tflogtest.MultilineJSONDecode(strings.NewReader(res.logs))
			if err != nil {
				t.Fatal(err)
			}
			var configured map[string]any
			for _, e := range entries {
				if e["@message"] == "configured the ncp provider" {
					configured = e
				}
			}
			if configured == nil {
				t.Fatalf("no DEBUG line about the configuration in %s", res.logs)
			}
			if configured["@level"] != "debug" {
				t.Errorf("level = %v, want debug", configured["@level"])
			}
			if configured["access_key"] != client.MaskAccessKey(testAccessKey) {
				t.Errorf("access_key = %v, want the masked key %s", configured["access_key"], client.MaskAccessKey(testAccessKey))
			}
			if configured["endpoint_ncloud"] != res.meta.Client.Config().Endpoints.Ncloud || configured["endpoint_object_storage"] == nil {
				t.Errorf("endpoints not logged: %v", configured)
			}
			if strings.Contains(res.logs, testSecretKey) {
				t.Errorf("the secret key appears in the logs:\n%s", res.logs)
			}
			if strings.Contains(res.logs, testAccessKey) {
				t.Errorf("the unmasked access key appears in the logs:\n%s", res.logs)
			}
		})
	}
}

// TestConfigureFileOnlyWhenNeeded: the ncloud CLI file is read only when a
// key is missing from the block and the environment, or a profile is named;
// its ncloud_api_url applies only to keys from the same profile on the
// public site.
func TestConfigureFileOnlyWhenNeeded(t *testing.T) {
	t.Parallel()
	keys := map[string]any{"access_key": testAccessKey, "secret_key": testSecretKey}
	envKeys := map[string]string{EnvAccessKey: testAccessKey, EnvSecretKey: testSecretKey}
	broken := "[DEFAULT]\nthis line is broken\nncloud_api_url = ftp://x\n"
	publicDefaults, _, err := client.DefaultEndpoints(client.SitePublic, "KR")
	if err != nil {
		t.Fatal(err)
	}
	govDefaults, _, err := client.DefaultEndpoints("gov", "KR")
	if err != nil {
		t.Fatal(err)
	}

	unreadable := t.TempDir()
	// A directory where the file should be: reading it fails.
	if err := os.MkdirAll(filepath.Join(unreadable, ".ncloud", "configure"), 0o700); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		attrs      map[string]any
		env        map[string]string
		home       string
		wantNcloud string
		wantLog    string // a DEBUG line that must appear, "" for none
	}{
		{name: "keys in the block, malformed file", attrs: keys, home: homeWithConfig(t, broken), wantNcloud: publicDefaults.Ncloud},
		{name: "keys in the environment, malformed file", env: envKeys, home: homeWithConfig(t, broken), wantNcloud: publicDefaults.Ncloud},
		{name: "keys in the block, unreadable file", attrs: keys, home: unreadable, wantNcloud: publicDefaults.Ncloud},
		{name: "keys in the block, ncloud_api_url not used", attrs: keys, home: homeWithConfig(t, fileConfig), wantNcloud: publicDefaults.Ncloud},
		{
			name: "explicit profile, keys in the block: ncloud_api_url ignored", attrs: map[string]any{
				"access_key": testAccessKey, "secret_key": testSecretKey, "profile": "DEFAULT",
			},
			home: homeWithConfig(t, fileConfig), wantNcloud: publicDefaults.Ncloud, wantLog: "ignoring ncloud_api_url",
		},
		{
			name: "only the access key from the file: ncloud_api_url ignored", env: map[string]string{EnvSecretKey: testSecretKey},
			home: homeWithConfig(t, fileConfig), wantNcloud: publicDefaults.Ncloud, wantLog: "do not both come from this profile",
		},
		{
			name: "gov site keeps its host", attrs: map[string]any{"site": "gov"},
			home: homeWithConfig(t, fileConfig), wantNcloud: govDefaults.Ncloud, wantLog: "has its own documented API host",
		},
		{name: "keys from the file on the public site", home: homeWithConfig(t, fileConfig), wantNcloud: "https://file.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := configure(t, tt.attrs, env(tt.env), WithHomeDir(tt.home))
			if res.diags.HasError() || res.meta == nil {
				t.Fatalf("Configure failed: %v", res.diags)
			}
			if got := res.meta.Client.Config().Endpoints.Ncloud; got != tt.wantNcloud {
				t.Errorf("Ncloud endpoint = %q, want %q", got, tt.wantNcloud)
			}
			if tt.wantLog != "" && !strings.Contains(res.logs, tt.wantLog) {
				t.Errorf("logs lack %q:\n%s", tt.wantLog, res.logs)
			}
			if strings.Contains(res.logs, testSecretKey) {
				t.Errorf("logs reveal the secret key")
			}
		})
	}
}
