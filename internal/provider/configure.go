package provider

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/journal"
)

// UserAgentPrefix starts the User-Agent of every request; the provider
// version follows it.
const UserAgentPrefix = "terraform-provider-ncp/"

// Configure resolves the provider block, builds its client and hands a
// *conns.Meta to every resource and data source.
//
// When a value of the block is not known yet (it depends on a resource not
// created yet), Configure warns and returns without data; resources then
// report that the provider is not configured (framework.CheckConfigured).
func (p *ncpProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if unknown := unknownAttributes(ctx, m); len(unknown) > 0 {
		resp.Diagnostics.AddWarning("Provider configuration not yet known",
			fmt.Sprintf("The ncp provider block has values that are not known until apply (%s), so the provider "+
				"cannot be configured yet. Resources and data sources of this provider cannot be read until these "+
				"values are known.", strings.Join(unknown, ", ")))
		return
	}

	r := newResolver(ctx, p.opts, m)
	cfg := r.resolve()
	resp.Diagnostics.Append(r.diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.UserAgent = UserAgentPrefix + p.version
	for _, f := range p.opts.clientConfigs {
		f(&cfg)
	}
	cfg.CreateJournal = p.openJournal(ctx, cfg, &resp.Diagnostics)

	// The secret key must never reach a log line, whatever logs it.
	ctx = tflog.MaskAllFieldValuesStrings(ctx, cfg.SecretKey)
	ctx = tflog.MaskMessageStrings(ctx, cfg.SecretKey)

	c, err := client.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Unable to create the NCP client", err.Error())
		return
	}
	cfg = c.Config()
	tflog.Debug(ctx, "configured the ncp provider", map[string]any{
		"access_key":                client.MaskAccessKey(cfg.AccessKey),
		"access_key_source":         r.sources["access_key"],
		"secret_key_source":         r.sources["secret_key"],
		"site":                      cfg.Site,
		"region":                    cfg.Region,
		"region_source":             r.sources["region"],
		"endpoint_ncloud":           cfg.Endpoints.Ncloud,
		"endpoint_vod_station":      cfg.Endpoints.VODStation,
		"endpoint_global_edge":      cfg.Endpoints.GlobalEdge,
		"endpoint_cloud_functions":  cfg.Endpoints.CloudFunctions,
		"endpoint_object_storage":   cfg.Endpoints.ObjectStorage,
		"endpoint_sources":          r.endpointSources(),
		"object_storage_region":     cfg.ObjectStorageRegion,
		"object_storage_path_style": cfg.ObjectStoragePathStyle,
		"max_retries":               cfg.MaxRetries,
		"user_agent":                cfg.UserAgent,
	})

	waitCfg := wait.DefaultConfig()
	if p.opts.waitConfig != nil {
		waitCfg = *p.opts.waitConfig
	}
	meta := &conns.Meta{Client: c, Region: cfg.Region, Wait: waitCfg}
	resp.DataSourceData = meta
	resp.ResourceData = meta
	resp.EphemeralResourceData = meta
	resp.ListResourceData = meta
	resp.ActionData = meta
}

// openJournal opens the create journal of a provider block with cfg's
// credentials (journal.Resolve says where; nil when nowhere). A journal that
// cannot be opened only warns: creates then work as without one.
func (p *ncpProvider) openJournal(ctx context.Context, cfg client.Config, diags *diag.Diagnostics) *journal.Journal {
	cwd, _ := os.Getwd()
	dir := journal.Resolve(p.opts.lookupEnv, cwd)
	if dir == "" {
		tflog.Debug(ctx, "no create journal: "+journal.EnvDir+" unset and no OpenTofu data directory in "+cwd)
		return nil
	}
	j, err := journal.Open(dir, journal.Identity{Account: journal.AccountOf(cfg.AccessKey), Site: cfg.Site, Region: cfg.Region})
	if err != nil {
		diags.AddWarning("Create journal disabled", err.Error()+"\n\nAn interrupted create is then not adopted by the next "+
			"apply; the object it made is reported as existing, with how to import it. Set "+journal.EnvDir+
			" to a writable directory, or to \"off\".")
		return nil
	}
	tflog.Debug(ctx, "create journal", map[string]any{"dir": dir})
	return j
}

// unknownAttributes returns the paths of the values of m that are unknown.
func unknownAttributes(ctx context.Context, m providerModel) []string {
	var out []string
	for name, v := range map[string]attrValue{
		"access_key": m.AccessKey, "secret_key": m.SecretKey, "region": m.Region, "site": m.Site,
		"profile": m.Profile, "object_storage_path_style": m.ObjectStoragePathStyle,
		"max_retries": m.MaxRetries, "endpoints": m.Endpoints,
	} {
		if v.IsUnknown() {
			out = append(out, name)
		}
	}
	if !m.Endpoints.IsNull() && !m.Endpoints.IsUnknown() {
		var e endpointsModel
		if diags := m.Endpoints.As(ctx, &e, basetypes.ObjectAsOptions{}); !diags.HasError() {
			for _, ep := range endpointAttrs {
				if ep.get(&e).IsUnknown() {
					out = append(out, "endpoints."+ep.name)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// attrValue is what unknownAttributes needs of a value.
type attrValue interface{ IsUnknown() bool }

// setting is one resolved value and where it came from.
type setting struct {
	value  string
	source string    // e.g. "attribute access_key", "environment variable NCLOUD_REGION"
	path   path.Path // the attribute, when the value came from the provider block
}

// fromAttribute is the attribute source of a setting.
func (s setting) fromAttribute() bool { return len(s.path.Steps()) > 0 }

// resolver resolves one provider block: attribute > environment > ncloud CLI
// file > default, value by value.
//
// The ncloud CLI file is read only when a value is needed from it: an access
// or secret key set neither in the block nor in the environment, or a
// profile chosen explicitly (profile argument or NCLOUD_PROFILE). A file
// that is never read cannot break a configuration that does not use it, so
// its problems (unreadable, malformed, missing profile) are errors only then.
// The profile's ncloud_api_url is used only for the public site and only
// when both keys came from that same profile: it belongs to those
// credentials, and must not replace the documented host of the gov or fin
// site or apply to keys from elsewhere.
type resolver struct {
	ctx       context.Context
	opts      options
	model     providerModel
	endpoints endpointsModel

	profileName setting
	profileSet  bool // chosen explicitly (attribute or environment)
	profile     *ncloudProfile
	profileDone bool

	sources  map[string]string
	fromFile map[string]bool // attributes (access_key, secret_key) whose value came from the file
	diags    diag.Diagnostics
}

func newResolver(ctx context.Context, opts options, m providerModel) *resolver {
	r := &resolver{ctx: ctx, opts: opts, model: m, sources: map[string]string{}, fromFile: map[string]bool{}}
	if !m.Endpoints.IsNull() && !m.Endpoints.IsUnknown() {
		r.diags.Append(m.Endpoints.As(ctx, &r.endpoints, basetypes.ObjectAsOptions{})...)
	}
	return r
}

// attribute returns the value of a string attribute when it is set and not
// empty (empty counts as unset, as in most providers).
func attribute(v types.String, p path.Path) (setting, bool) {
	if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
		return setting{}, false
	}
	return setting{value: v.ValueString(), source: "attribute " + p.String(), path: p}, true
}

// env returns the first of the environment variables names that is set and
// not empty.
func (r *resolver) env(names ...string) (setting, bool) {
	for _, n := range names {
		if v, ok := r.opts.lookupEnv(n); ok && v != "" {
			return setting{value: v, source: "environment variable " + n}, true
		}
	}
	return setting{}, false
}

// file returns key from the selected profile of the ncloud CLI file,
// reading the file on first use. Problems with the file are reported once.
func (r *resolver) file(key string) (setting, bool) {
	r.loadProfile()
	if r.profile == nil {
		return setting{}, false
	}
	v, ok := r.profile.get(key)
	if !ok {
		return setting{}, false
	}
	return setting{value: v, source: fmt.Sprintf("%s in profile [%s] of %s", key, r.profile.name, r.profile.path)}, true
}

// loadProfile reads the selected profile of the ncloud CLI file once; a
// problem with the file goes to r.diags (on the profile attribute when that
// chose the profile).
func (r *resolver) loadProfile() {
	if !r.profileDone {
		r.profileDone = true
		home, err := r.opts.homeDir()
		if err != nil {
			home = "" // no home directory: there is no file to read
		}
		r.profile, err = loadNcloudProfile(home, r.profileName.value, r.profileSet)
		if err != nil {
			summary := "Invalid ncloud CLI configuration"
			detail := fmt.Sprintf("%s. The provider reads this file for values that neither the provider block nor "+
				"the environment sets.", err)
			if r.profileName.fromAttribute() {
				r.diags.AddAttributeError(r.profileName.path, summary, detail)
			} else {
				r.diags.AddError(summary, detail)
			}
		}
	}
}

// first returns the first source that has a value.
func first(sources ...func() (setting, bool)) (setting, bool) {
	for _, src := range sources {
		if s, ok := src(); ok {
			return s, true
		}
	}
	return setting{}, false
}

// resolve computes the client configuration; problems go to r.diags.
func (r *resolver) resolve() client.Config {
	m := r.model
	var cfg client.Config

	r.profileName, r.profileSet = first(
		func() (setting, bool) { return attribute(m.Profile, path.Root("profile")) },
		func() (setting, bool) { return r.env(EnvProfile) },
	)
	if !r.profileSet {
		r.profileName = setting{value: defaultProfile, source: "default"}
	} else {
		// A profile named explicitly must exist, even when the block or
		// the environment sets both keys.
		r.loadProfile()
	}

	cfg.AccessKey = r.credential("access_key", m.AccessKey, iniKeyAccessKey, "access key", EnvAccessKey, EnvAccessKeyID)
	cfg.SecretKey = r.credential("secret_key", m.SecretKey, iniKeySecretKey, "secret key", EnvSecretKey, EnvSecretAccessKey)

	site, ok := first(
		func() (setting, bool) { return attribute(m.Site, path.Root("site")) },
		func() (setting, bool) { return r.env(EnvSite) },
	)
	if !ok {
		site = setting{value: client.SitePublic, source: "default"}
	}
	r.sources["site"] = site.source
	regions, ok := client.SiteRegions[site.value]
	if !ok {
		r.addError(site, "Invalid NCP site", fmt.Sprintf("Unknown site %q (from %s): it must be one of %s.",
			site.value, site.source, strings.Join(siteNames(), ", ")))
		return cfg
	}
	cfg.Site = site.value

	region, ok := first(
		func() (setting, bool) { return attribute(m.Region, path.Root("region")) },
		func() (setting, bool) { return r.env(EnvRegion) },
	)
	if !ok {
		region = setting{value: regions[0], source: "default"}
	}
	r.sources["region"] = region.source
	if !slices.Contains(regions, region.value) {
		r.addError(region, "Invalid NCP region", fmt.Sprintf("Region %q (from %s) is not served by site %q: it must be one of %s.",
			region.value, region.source, site.value, strings.Join(regions, ", ")))
		return cfg
	}
	cfg.Region = region.value

	endpoints, osRegion, err := client.DefaultEndpoints(cfg.Site, cfg.Region)
	if err != nil { // cannot happen after the checks above
		r.diags.AddError("Invalid NCP site or region", err.Error())
		return cfg
	}
	r.resolveEndpoints(&endpoints, cfg.Site)
	cfg.Endpoints = endpoints
	cfg.ObjectStorageRegion = osRegion

	cfg.ObjectStoragePathStyle = true
	if v := m.ObjectStoragePathStyle; !v.IsNull() && !v.IsUnknown() {
		cfg.ObjectStoragePathStyle = v.ValueBool()
	}

	cfg.MaxRetries = client.DefaultMaxRetries
	if v := m.MaxRetries; !v.IsNull() && !v.IsUnknown() {
		cfg.MaxRetries = int(v.ValueInt64())
		if cfg.MaxRetries == 0 {
			cfg.MaxRetries = -1 // client.Config: 0 means "default", negative means "no retries"
		}
	}
	cfg.RetryMinDelay = client.DefaultRetryMinDelay
	cfg.RetryMaxDelay = client.DefaultRetryMaxDelay
	return cfg
}

// credential resolves the access or secret key named attr.
func (r *resolver) credential(attr string, v types.String, iniKey, what string, envNames ...string) string {
	p := path.Root(attr)
	s, ok := first(
		func() (setting, bool) { return attribute(v, p) },
		func() (setting, bool) { return r.env(envNames...) },
		func() (setting, bool) {
			s, ok := r.file(iniKey)
			r.fromFile[attr] = ok
			return s, ok
		},
	)
	if !ok {
		file := "~/.ncloud/configure"
		if r.profile != nil && r.profile.path != "" {
			file = r.profile.path
		}
		r.diags.AddAttributeError(p, "Missing NCP "+what,
			fmt.Sprintf("The ncp provider needs an NCP API %s. Set it in one of these ways:\n"+
				"  - the %s argument of the provider block;\n"+
				"  - the %s environment variable%s;\n"+
				"  - %s in the [%s] profile of the ncloud CLI configuration file %s (see also the profile argument and %s).",
				what, attr, envNames[0], altEnv(envNames), iniKey, r.profileName.value, file, EnvProfile))
		return ""
	}
	r.sources[attr] = s.source
	return s.value
}

// altEnv renders the alternative names of an environment variable.
func altEnv(names []string) string {
	if len(names) < 2 {
		return ""
	}
	return " (or " + strings.Join(names[1:], ", ") + ")"
}

// resolveEndpoints applies the endpoint overrides to e: per endpoint the
// endpoints block, then NCP_ENDPOINT_URL, then (Ncloud API only) the
// ncloud CLI profile's ncloud_api_url, under the conditions of
// profileAPIURL.
func (r *resolver) resolveEndpoints(e *client.Endpoints, site string) {
	all, allOK := r.env(EnvEndpointURL)
	if allOK {
		if err := checkEndpointURL(all.value); err != nil {
			r.addError(all, "Invalid endpoint URL", fmt.Sprintf("The %s value %q is not a valid endpoint: %s. %s",
				all.source, all.value, err, endpointHint))
			allOK = false
		}
	}
	for _, ep := range endpointAttrs {
		p := path.Root("endpoints").AtName(ep.name)
		s, ok := first(
			func() (setting, bool) { return attribute(ep.get(&r.endpoints), p) },
			func() (setting, bool) { return all, allOK },
			func() (setting, bool) {
				if ep.name != "ncloud" {
					return setting{}, false
				}
				return r.profileAPIURL(site)
			},
		)
		if !ok {
			r.sources["endpoints."+ep.name] = "default"
			continue
		}
		if err := checkEndpointURL(s.value); err != nil {
			r.addError(s, "Invalid endpoint URL", fmt.Sprintf("The %s endpoint %q (from %s) is not valid: %s. %s",
				ep.name, s.value, s.source, err, endpointHint))
			continue
		}
		ep.set(e, normalizeEndpoint(s.value))
		r.sources["endpoints."+ep.name] = s.source
	}
}

// profileAPIURL returns the profile's ncloud_api_url when it applies: the
// site is public and both keys came from the same profile of the file (so
// the file is read already). Otherwise the value, if the file was read and
// holds one, is ignored with a DEBUG line.
func (r *resolver) profileAPIURL(site string) (setting, bool) {
	if !r.profileDone || r.profile == nil {
		return setting{}, false // the file was not needed, so it is not read
	}
	var why string
	switch {
	case !r.fromFile["access_key"] || !r.fromFile["secret_key"]:
		why = "the access and secret keys do not both come from this profile"
	case site != client.SitePublic:
		why = fmt.Sprintf("site %q has its own documented API host", site)
	default:
		return r.file(iniKeyAPIURL)
	}
	if v, ok := r.profile.get(iniKeyAPIURL); ok {
		tflog.Debug(r.ctx, "ignoring ncloud_api_url of the ncloud CLI configuration", map[string]any{
			"ncloud_api_url": v, "profile": r.profile.name, "file": r.profile.path, "reason": why,
		})
	}
	return setting{}, false
}

// endpointSources renders where each endpoint came from, for the DEBUG log.
func (r *resolver) endpointSources() string {
	parts := make([]string, 0, len(endpointAttrs))
	for _, ep := range endpointAttrs {
		parts = append(parts, ep.name+"="+r.sources["endpoints."+ep.name])
	}
	return strings.Join(parts, "; ")
}

// addError reports a problem with a setting, on its attribute when it came
// from the provider block.
func (r *resolver) addError(s setting, summary, detail string) {
	if s.fromAttribute() {
		r.diags.AddAttributeError(s.path, summary, detail)
		return
	}
	r.diags.AddError(summary, detail)
}
