package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
)

// Environment variables the provider reads.
const (
	EnvAccessKey       = "NCLOUD_ACCESS_KEY"
	EnvAccessKeyID     = "NCLOUD_ACCESS_KEY_ID" // alias used by the ncloud SDK
	EnvSecretKey       = "NCLOUD_SECRET_KEY"
	EnvSecretAccessKey = "NCLOUD_SECRET_ACCESS_KEY" // alias used by the ncloud SDK
	EnvRegion          = "NCLOUD_REGION"
	EnvSite            = "NCLOUD_SITE"
	EnvProfile         = "NCLOUD_PROFILE"
	EnvEndpointURL     = "NCP_ENDPOINT_URL"
)

// providerModel is the provider block.
type providerModel struct {
	AccessKey              types.String `tfsdk:"access_key"`
	SecretKey              types.String `tfsdk:"secret_key"`
	Region                 types.String `tfsdk:"region"`
	Site                   types.String `tfsdk:"site"`
	Profile                types.String `tfsdk:"profile"`
	ObjectStoragePathStyle types.Bool   `tfsdk:"object_storage_path_style"`
	MaxRetries             types.Int64  `tfsdk:"max_retries"`
	Endpoints              types.Object `tfsdk:"endpoints"`
}

// endpointsModel is the endpoints block.
type endpointsModel struct {
	Ncloud         types.String `tfsdk:"ncloud"`
	VODStation     types.String `tfsdk:"vod_station"`
	GlobalEdge     types.String `tfsdk:"global_edge"`
	CloudFunctions types.String `tfsdk:"cloud_functions"`
	ObjectStorage  types.String `tfsdk:"object_storage"`
}

// endpointAttr describes one attribute of the endpoints block.
type endpointAttr struct {
	name    string
	service string
	get     func(*endpointsModel) types.String
	set     func(*client.Endpoints, string)
	current func(client.Endpoints) string
}

// endpointAttrs lists the endpoints block in schema order.
var endpointAttrs = []endpointAttr{
	{"ncloud", "the Ncloud API gateway (VPC `/vpc/v2`, VServer `/vserver/v2`)",
		func(m *endpointsModel) types.String { return m.Ncloud },
		func(e *client.Endpoints, s string) { e.Ncloud = s },
		func(e client.Endpoints) string { return e.Ncloud }},
	{"vod_station", "VOD Station",
		func(m *endpointsModel) types.String { return m.VODStation },
		func(e *client.Endpoints, s string) { e.VODStation = s },
		func(e client.Endpoints) string { return e.VODStation }},
	{"global_edge", "Global Edge",
		func(m *endpointsModel) types.String { return m.GlobalEdge },
		func(e *client.Endpoints, s string) { e.GlobalEdge = s },
		func(e client.Endpoints) string { return e.GlobalEdge }},
	{"cloud_functions", "Cloud Functions",
		func(m *endpointsModel) types.String { return m.CloudFunctions },
		func(e *client.Endpoints, s string) { e.CloudFunctions = s },
		func(e client.Endpoints) string { return e.CloudFunctions }},
	{"object_storage", "Object Storage (S3-compatible)",
		func(m *endpointsModel) types.String { return m.ObjectStorage },
		func(e *client.Endpoints, s string) { e.ObjectStorage = s },
		func(e client.Endpoints) string { return e.ObjectStorage }},
}

// Schema describes the provider block.
func (p *ncpProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	endpointAttributes := map[string]schema.Attribute{}
	for _, ep := range endpointAttrs {
		desc := fmt.Sprintf("Base URL of %s, for example a local emulator. "+
			"Must be an absolute `http` or `https` URL without a path or query. "+
			"Takes precedence over `%s`; defaults to the documented host of the `site` and `region`.",
			ep.service, EnvEndpointURL)
		if ep.name == "ncloud" {
			desc += fmt.Sprintf(" When neither this nor `%s` is set, `%s` of the ncloud CLI profile is used if "+
				"the access and secret key also come from that profile and the site is `public`.",
				EnvEndpointURL, iniKeyAPIURL)
		}
		endpointAttributes[ep.name] = schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: desc,
			Validators:          []validator.String{endpointValidator{}},
		}
	}

	resp.Schema = schema.Schema{
		MarkdownDescription: "The `ncp` provider manages NAVER Cloud Platform (NCP) resources. " +
			"Each setting is taken, in this order, from the provider block, the environment, " +
			"the ncloud CLI configuration file `~/.ncloud/configure`, and finally a default.",
		Attributes: map[string]schema.Attribute{
			"access_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: fmt.Sprintf("NCP API access key. Falls back to `%s` (or `%s`), then to `%s` in the "+
					"ncloud CLI profile. Required in one of these places.", EnvAccessKey, EnvAccessKeyID, iniKeyAccessKey),
			},
			"secret_key": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: fmt.Sprintf("NCP API secret key. Falls back to `%s` (or `%s`), then to `%s` in the "+
					"ncloud CLI profile. Required in one of these places. It is never logged.", EnvSecretKey, EnvSecretAccessKey, iniKeySecretKey),
			},
			"region": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("NCP region code. Falls back to `%s`; defaults to the first region of the site "+
					"(`KR` for `public` and `gov`, `FKR` for `fin`). Must be a region of the site: %s.",
					EnvRegion, regionsBySiteMarkdown()),
				// An empty region is refused like any other invalid one:
				// leave the attribute out to use the default.
				Validators: []validator.String{oneOfValidator{what: "region", valid: allRegions(), refuseEmpty: true}},
			},
			"site": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("NCP site: `public`, `gov` (public institutions) or `fin` (financial). "+
					"Falls back to `%s`; defaults to `public`. Selects the default endpoints.", EnvSite),
				Validators: []validator.String{oneOfValidator{what: "site", valid: siteNames()}},
			},
			"profile": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Section of the ncloud CLI configuration file `~/.ncloud/configure` to read "+
					"credentials (and `%s`) from. Falls back to `%s`; defaults to `%s`. The file is read only when a key is "+
					"missing from the provider block and the environment, or a profile is set explicitly; a profile that is "+
					"set explicitly must exist.", iniKeyAPIURL, EnvProfile, defaultProfile),
			},
			"object_storage_path_style": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Address Object Storage buckets in the URL path (`https://host/bucket/key`) " +
					"instead of as a host name (`https://bucket.host/key`). Defaults to `true`: NCP Object Storage serves both " +
					"styles, path style also works with a local endpoint (which has no wildcard DNS) and with bucket names " +
					"that contain dots (which break the TLS certificate of a virtual host). Set `false` for virtual-host style.",
			},
			"max_retries": schema.Int64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Maximum number of retries of one API request after throttling (HTTP 429), "+
					"connection failures, retryable NCP error codes and, for requests that are safe to repeat, HTTP 502/503/504. "+
					"`0` disables retries. Defaults to `%d`.", client.DefaultMaxRetries),
				Validators: []validator.Int64{int64validator.AtLeast(0)},
			},
		},
		Blocks: map[string]schema.Block{
			"endpoints": schema.SingleNestedBlock{
				MarkdownDescription: fmt.Sprintf("Overrides of the service endpoints, for example to use a local emulator. "+
					"`%s` points every endpoint that is not set here at one base URL.", EnvEndpointURL),
				Attributes: endpointAttributes,
			},
		},
	}
}

// regionsBySiteMarkdown renders client.SiteRegions for the documentation.
func regionsBySiteMarkdown() string {
	parts := make([]string, 0, len(client.SiteRegions))
	for _, site := range siteNames() {
		parts = append(parts, fmt.Sprintf("`%s`: `%s`", site, strings.Join(client.SiteRegions[site], "`, `")))
	}
	return strings.Join(parts, "; ")
}
