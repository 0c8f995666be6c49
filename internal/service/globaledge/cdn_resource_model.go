package globaledge

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// cdnModel is ncp_global_edge_cdn. The blocks are types.Object and
// types.List, converted with the block models below.
type cdnModel struct {
	ID             types.String   `tfsdk:"id"`
	ProfileID      types.String   `tfsdk:"profile_id"`
	Name           types.String   `tfsdk:"name"`
	RegionType     types.String   `tfsdk:"region_type"`
	ProtocolType   types.String   `tfsdk:"protocol_type"`
	DomainType     types.String   `tfsdk:"domain_type"`
	DomainName     types.String   `tfsdk:"domain_name"`
	Status         types.String   `tfsdk:"status"`
	Origin         types.Object   `tfsdk:"origin"`
	Logging        types.Object   `tfsdk:"logging"`
	Caching        types.Object   `tfsdk:"caching"`
	CachingRules   types.List     `tfsdk:"caching_rule"`
	ManagedRules   types.Object   `tfsdk:"managed_rules"`
	HeaderPolicies types.List     `tfsdk:"header_policy"`
	Optimization   types.Object   `tfsdk:"optimization"`
	AccessControl  types.Object   `tfsdk:"access_control"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

type originModel struct {
	Type              types.String `tfsdk:"type"`
	BucketName        types.String `tfsdk:"bucket_name"`
	Region            types.String `tfsdk:"region"`
	CustomLocation    types.String `tfsdk:"custom_location"`
	Protocol          types.String `tfsdk:"protocol"`
	Port              types.Int64  `tfsdk:"port"`
	Path              types.String `tfsdk:"path"`
	ForwardHostHeader types.String `tfsdk:"forward_host_header"`
	CustomHostHeader  types.String `tfsdk:"custom_host_header"`
}

var originTypes = map[string]attr.Type{
	"type": types.StringType, "bucket_name": types.StringType, "region": types.StringType, "custom_location": types.StringType,
	"protocol": types.StringType, "port": types.Int64Type, "path": types.StringType, "forward_host_header": types.StringType,
	"custom_host_header": types.StringType,
}

type loggingModel struct {
	BucketName   types.String `tfsdk:"bucket_name"`
	Region       types.String `tfsdk:"region"`
	BucketPrefix types.String `tfsdk:"bucket_prefix"`
}

var loggingTypes = map[string]attr.Type{"bucket_name": types.StringType, "region": types.StringType, "bucket_prefix": types.StringType}

type edgeAuthModel struct {
	Type      types.String `tfsdk:"type"`
	TokenKey  types.String `tfsdk:"token_key"`
	TokenName types.String `tfsdk:"token_name"`
}

var edgeAuthTypes = map[string]attr.Type{"type": types.StringType, "token_key": types.StringType, "token_name": types.StringType}

type cachingModel struct {
	Enabled           types.Bool   `tfsdk:"enabled"`
	Rule              types.String `tfsdk:"rule"`
	Revalidate        types.String `tfsdk:"revalidate"`
	AgeType           types.String `tfsdk:"age_type"`
	Age               types.Int64  `tfsdk:"age"`
	NegativeTTL       types.Bool   `tfsdk:"negative_ttl"`
	BypassQueryString types.Bool   `tfsdk:"bypass_query_string"`
	CacheKeyHostname  types.String `tfsdk:"cache_key_hostname"`
	QueryStringMode   types.String `tfsdk:"query_string_mode"`
	QueryStrings      types.List   `tfsdk:"query_strings"`
	RemoveVaryHeader  types.Bool   `tfsdk:"remove_vary_header"`
	EdgeAuth          types.Object `tfsdk:"edge_auth"`
}

var cachingTypes = map[string]attr.Type{
	"enabled": types.BoolType, "rule": types.StringType, "revalidate": types.StringType, "age_type": types.StringType,
	"age": types.Int64Type, "negative_ttl": types.BoolType, "bypass_query_string": types.BoolType,
	"cache_key_hostname": types.StringType, "query_string_mode": types.StringType,
	"query_strings": types.ListType{ElemType: types.StringType}, "remove_vary_header": types.BoolType,
	"edge_auth": types.ObjectType{AttrTypes: edgeAuthTypes},
}

type cachingRuleModel struct {
	Name       types.String `tfsdk:"name"`
	Type       types.String `tfsdk:"type"`
	Conditions types.List   `tfsdk:"conditions"`
	Definition types.String `tfsdk:"definition"`
	Revalidate types.String `tfsdk:"revalidate"`
	AgeType    types.String `tfsdk:"age_type"`
	Age        types.Int64  `tfsdk:"age"`
	AccessDeny types.Bool   `tfsdk:"access_deny"`
}

var cachingRuleTypes = map[string]attr.Type{
	"name": types.StringType, "type": types.StringType, "conditions": types.ListType{ElemType: types.StringType},
	"definition": types.StringType, "revalidate": types.StringType, "age_type": types.StringType, "age": types.Int64Type,
	"access_deny": types.BoolType,
}

type managedRulesModel struct {
	Cors               types.Bool `tfsdk:"cors"`
	HTTP2              types.Bool `tfsdk:"http2"`
	TrueClientIPHeader types.Bool `tfsdk:"true_client_ip_header"`
	Hsts               types.Bool `tfsdk:"hsts"`
}

var managedRulesTypes = map[string]attr.Type{"cors": types.BoolType, "http2": types.BoolType, "true_client_ip_header": types.BoolType, "hsts": types.BoolType}

type headerPolicyModel struct {
	Target types.String `tfsdk:"target"`
	Action types.String `tfsdk:"action"`
	Name   types.String `tfsdk:"name"`
	Value  types.String `tfsdk:"value"`
}

var headerPolicyTypes = map[string]attr.Type{"target": types.StringType, "action": types.StringType, "name": types.StringType, "value": types.StringType}

type optimizationModel struct {
	HTTPCompression       types.Bool   `tfsdk:"http_compression"`
	LargeFileOptimization types.Bool   `tfsdk:"large_file_optimization"`
	HeaderMaxSingleSize   types.String `tfsdk:"header_max_single_size"`
	HeaderMaxTotalSize    types.String `tfsdk:"header_max_total_size"`
}

var optimizationTypes = map[string]attr.Type{
	"http_compression": types.BoolType, "large_file_optimization": types.BoolType,
	"header_max_single_size": types.StringType, "header_max_total_size": types.StringType,
}

type accessControlModel struct {
	Type            types.String `tfsdk:"type"`
	IPPolicies      types.List   `tfsdk:"ip_policies"`
	GeoPolicies     types.List   `tfsdk:"geo_policies"`
	RefererPolicies types.List   `tfsdk:"referer_policies"`
}

var accessControlTypes = map[string]attr.Type{
	"type": types.StringType, "ip_policies": types.ListType{ElemType: types.StringType},
	"geo_policies": types.ListType{ElemType: types.StringType}, "referer_policies": types.ListType{ElemType: types.StringType},
}

// Defaults of the optional blocks: the values of the documented create
// example (ncp-api.md §3.3), sent when a block is left out.
const (
	defaultRegion          = "KR"
	defaultProtocolType    = "HTTPS"
	defaultDomainType      = "NCP_DOMAIN_AUTO"
	defaultOriginType      = "OBJECT_STORAGE"
	defaultOriginProtocol  = "HTTP"
	defaultOriginPort      = 80
	defaultForwardHost     = "INCOMING_HOST_HEADER"
	defaultRule            = "CACHING"
	defaultRevalidate      = "IF_POSSIBLE"
	defaultAgeType         = "DAYS"
	defaultAge             = 7
	defaultCacheKeyHost    = "INCOMING_HOST_HEADER"
	defaultQueryStringMode = "ALL_ALLOWED"
	defaultSingleSize      = "SIZE_16KB"
	defaultTotalSize       = "SIZE_32KB"
	defaultAccessControl   = "WHITELIST"
)

func defaultCaching() *wire.CachingConfig {
	return &wire.CachingConfig{
		DefaultCaching: &wire.DefaultCaching{Enabled: true, RuleDefinitionType: defaultRule,
			CacheRevalidateConfig: &wire.CacheRevalidate{Type: defaultRevalidate, AgeType: defaultAgeType, Age: defaultAge}},
		NegativeTTL:               true,
		BypassQueryString:         &wire.Toggle{},
		CacheKeyHostname:          defaultCacheKeyHost,
		CacheKeyIgnoreQueryString: &wire.IgnoreQueryString{Type: defaultQueryStringMode},
		RemoveVaryHeader:          true,
		EdgeAuth:                  &wire.EdgeAuth{},
		CachingRules:              []wire.CachingRule{},
	}
}

func defaultManagedRule() *wire.ManagedRule { return &wire.ManagedRule{HTTP2: true} }

func defaultOptimization() *wire.OptimizationConfig {
	return &wire.OptimizationConfig{HTTPCompression: true, LargeFileOptimization: true,
		HeaderMaxSize: &wire.HeaderMaxSize{SingleSize: defaultSingleSize, TotalSize: defaultTotalSize}}
}

func defaultAccess() *wire.AccessControl {
	return &wire.AccessControl{Type: defaultAccessControl, IPPolicies: []string{}, GeoPolicies: []string{}, RefererPolicies: []string{}}
}

// Small conversions.

func strPtr(v types.String) *string {
	if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
		return nil
	}
	s := v.ValueString()
	return &s
}

func strOrNull(p *string) types.String {
	if p == nil || *p == "" {
		return types.StringNull()
	}
	return types.StringValue(*p)
}

func nonEmpty(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func stringsOf(ctx context.Context, l types.List, diags *diag.Diagnostics) []string {
	out := []string{}
	if l.IsNull() || l.IsUnknown() {
		return out
	}
	diags.Append(l.ElementsAs(ctx, &out, false)...)
	return out
}

func listOf(values []string) types.List {
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}

func asObject[T any](ctx context.Context, o types.Object, diags *diag.Diagnostics) (T, bool) {
	var out T
	if o.IsNull() || o.IsUnknown() {
		return out, false
	}
	diags.Append(o.As(ctx, &out, basetypes.ObjectAsOptions{})...)
	return out, !diags.HasError()
}

func objectOf(ctx context.Context, types_ map[string]attr.Type, v any, diags *diag.Diagnostics) types.Object {
	o, d := types.ObjectValueFrom(ctx, types_, v)
	diags.Append(d...)
	return o
}

// toWire builds the create and edit body from the plan.
func (m *cdnModel) toWire(ctx context.Context, diags *diag.Diagnostics) *wire.EdgeConfig {
	profileID, err := parseID(m.ProfileID.ValueString())
	if err != nil {
		diags.AddError("Invalid profile_id", err.Error())
		return nil
	}
	cfg := &wire.EdgeConfig{
		ProfileID: profileID,
		EdgeName:  m.Name.ValueString(),
		DistributionConfig: &wire.DistributionConfig{
			ProtocolType:  m.ProtocolType.ValueString(),
			RegionType:    m.RegionType.ValueString(),
			ServiceDomain: &wire.ServiceDomain{DomainType: m.DomainType.ValueString()},
			EdgeLogging:   &wire.EdgeLogging{},
		},
		CachingConfig:      defaultCaching(),
		ManagedRule:        defaultManagedRule(),
		HeaderPolicies:     []wire.HeaderPolicy{},
		OptimizationConfig: defaultOptimization(),
		AccessControl:      defaultAccess(),
	}
	if cfg.DistributionConfig.ServiceDomain.DomainType != defaultDomainType {
		cfg.DistributionConfig.ServiceDomain.DomainName = strPtr(m.DomainName)
	}
	if l, ok := asObject[loggingModel](ctx, m.Logging, diags); ok {
		cfg.DistributionConfig.EdgeLogging = &wire.EdgeLogging{Enabled: true, BucketPrefix: l.BucketPrefix.ValueString(),
			ObjectStorage: &wire.LogStorage{Region: l.Region.ValueString(), BucketName: l.BucketName.ValueString()}}
	}
	if o, ok := asObject[originModel](ctx, m.Origin, diags); ok {
		cfg.OriginalCopyConfig = &wire.OriginalCopyConfig{
			OriginalCopyLocation: &wire.OriginLocation{Type: o.Type.ValueString(), Region: strPtr(o.Region),
				BucketName: strPtr(o.BucketName), CustomLocation: strPtr(o.CustomLocation)},
			ForwardHostHeader:    &wire.ForwardHostHeader{Type: o.ForwardHostHeader.ValueString(), CustomHostHeader: strPtr(o.CustomHostHeader)},
			OriginalCopyProtocol: &wire.OriginProtocol{Type: o.Protocol.ValueString(), Port: int(o.Port.ValueInt64())},
			OriginalCopyPath:     strPtr(o.Path),
		}
	}
	if c, ok := asObject[cachingModel](ctx, m.Caching, diags); ok {
		cc := cfg.CachingConfig
		cc.DefaultCaching = &wire.DefaultCaching{Enabled: c.Enabled.ValueBool(), RuleDefinitionType: c.Rule.ValueString(),
			CacheRevalidateConfig: &wire.CacheRevalidate{Type: c.Revalidate.ValueString(), AgeType: c.AgeType.ValueString(), Age: int(c.Age.ValueInt64())}}
		cc.NegativeTTL = c.NegativeTTL.ValueBool()
		cc.BypassQueryString = &wire.Toggle{Enabled: c.BypassQueryString.ValueBool()}
		cc.CacheKeyHostname = c.CacheKeyHostname.ValueString()
		cc.CacheKeyIgnoreQueryString = &wire.IgnoreQueryString{Type: c.QueryStringMode.ValueString()}
		if qs := stringsOf(ctx, c.QueryStrings, diags); len(qs) > 0 {
			cc.CacheKeyIgnoreQueryString.QueryStrings = qs
		}
		cc.RemoveVaryHeader = c.RemoveVaryHeader.ValueBool()
		if a, ok := asObject[edgeAuthModel](ctx, c.EdgeAuth, diags); ok {
			cc.EdgeAuth = &wire.EdgeAuth{Enabled: true, Type: a.Type.ValueString(), TokenKey: a.TokenKey.ValueString(), TokenName: a.TokenName.ValueString()}
		}
	}
	if !m.CachingRules.IsNull() && !m.CachingRules.IsUnknown() {
		var rules []cachingRuleModel
		diags.Append(m.CachingRules.ElementsAs(ctx, &rules, false)...)
		for _, r := range rules {
			wr := wire.CachingRule{RuleName: r.Name.ValueString(), RuleType: r.Type.ValueString(),
				RuleConditions: stringsOf(ctx, r.Conditions, diags), RuleDefinitionType: r.Definition.ValueString(),
				AccessDeny: r.AccessDeny.ValueBool()}
			if !r.Revalidate.IsNull() {
				wr.CacheRevalidateConfig = &wire.CacheRevalidate{Type: r.Revalidate.ValueString(), AgeType: r.AgeType.ValueString(), Age: int(r.Age.ValueInt64())}
			}
			cfg.CachingConfig.CachingRules = append(cfg.CachingConfig.CachingRules, wr)
		}
	}
	if r, ok := asObject[managedRulesModel](ctx, m.ManagedRules, diags); ok {
		cfg.ManagedRule = &wire.ManagedRule{Cors: r.Cors.ValueBool(), HTTP2: r.HTTP2.ValueBool(), TrueClientIPHeader: r.TrueClientIPHeader.ValueBool(), Hsts: r.Hsts.ValueBool()}
	}
	if !m.HeaderPolicies.IsNull() && !m.HeaderPolicies.IsUnknown() {
		var hs []headerPolicyModel
		diags.Append(m.HeaderPolicies.ElementsAs(ctx, &hs, false)...)
		for _, h := range hs {
			cfg.HeaderPolicies = append(cfg.HeaderPolicies, wire.HeaderPolicy{Target: h.Target.ValueString(), Action: h.Action.ValueString(),
				HeaderName: h.Name.ValueString(), HeaderValue: h.Value.ValueString()})
		}
	}
	if o, ok := asObject[optimizationModel](ctx, m.Optimization, diags); ok {
		cfg.OptimizationConfig = &wire.OptimizationConfig{HTTPCompression: o.HTTPCompression.ValueBool(), LargeFileOptimization: o.LargeFileOptimization.ValueBool(),
			HeaderMaxSize: &wire.HeaderMaxSize{SingleSize: o.HeaderMaxSingleSize.ValueString(), TotalSize: o.HeaderMaxTotalSize.ValueString()}}
	}
	if a, ok := asObject[accessControlModel](ctx, m.AccessControl, diags); ok {
		cfg.AccessControl = &wire.AccessControl{Type: a.Type.ValueString(), IPPolicies: stringsOf(ctx, a.IPPolicies, diags),
			GeoPolicies: stringsOf(ctx, a.GeoPolicies, diags), RefererPolicies: stringsOf(ctx, a.RefererPolicies, diags)}
	}
	return cfg
}

// optionalBlock returns the block value read from NCP, or null when the
// block is not in state (prior is null) and NCP holds its defaults: a block
// left out of the configuration stays out of state.
func optionalBlock(prior, read, defaults types.Object) types.Object {
	if prior.IsNull() && read.Equal(defaults) {
		return types.ObjectNull(read.AttributeTypes(context.Background()))
	}
	return read
}

// setEdge copies what NCP says about the edge into m; prior values fill
// in what NCP's answer leaves out (a token key it does not echo back [?],
// the revalidation of a rule that does not cache).
func (m *cdnModel) setEdge(ctx context.Context, id int64, e *wire.Edge, status string, diags *diag.Diagnostics) {
	prior := *m
	m.ID = types.StringValue(formatID(id))
	m.ProfileID = types.StringValue(formatID(e.ProfileID))
	m.Name = types.StringValue(e.EdgeName)
	m.Status = types.StringValue(status)
	if d := e.DistributionConfig; d != nil {
		m.ProtocolType = types.StringValue(d.ProtocolType)
		m.RegionType = types.StringValue(d.RegionType)
		if sd := d.ServiceDomain; sd != nil {
			m.DomainType = types.StringValue(sd.DomainType)
			m.DomainName = strOrNull(sd.DomainName)
		}
		m.Logging = types.ObjectNull(loggingTypes)
		if l := d.EdgeLogging; l != nil && l.Enabled && l.ObjectStorage != nil {
			m.Logging = objectOf(ctx, loggingTypes, loggingModel{BucketName: types.StringValue(l.ObjectStorage.BucketName),
				Region: types.StringValue(l.ObjectStorage.Region), BucketPrefix: nonEmpty(l.BucketPrefix)}, diags)
		}
	}
	if o := e.OriginalCopyConfig; o != nil && o.OriginalCopyLocation != nil {
		var po originModel
		if p, ok := asObject[originModel](ctx, prior.Origin, diags); ok {
			po = p
		}
		loc := o.OriginalCopyLocation
		om := originModel{Type: types.StringValue(loc.Type), BucketName: strOrNull(loc.BucketName), Region: strOrNull(loc.Region),
			CustomLocation: strOrNull(loc.CustomLocation), Path: strOrNull(o.OriginalCopyPath),
			Protocol: types.StringValue(defaultOriginProtocol), Port: types.Int64Value(defaultOriginPort),
			ForwardHostHeader: types.StringValue(defaultForwardHost), CustomHostHeader: types.StringNull()}
		if om.Region.IsNull() {
			// NCP may leave the region out of a non-storage origin [?].
			om.Region = po.Region
			if om.Region.IsNull() || om.Region.IsUnknown() {
				om.Region = types.StringValue(defaultRegion)
			}
		}
		if p := o.OriginalCopyProtocol; p != nil {
			om.Protocol, om.Port = types.StringValue(p.Type), types.Int64Value(int64(p.Port))
		}
		if h := o.ForwardHostHeader; h != nil {
			om.ForwardHostHeader, om.CustomHostHeader = types.StringValue(h.Type), strOrNull(h.CustomHostHeader)
		}
		m.Origin = objectOf(ctx, originTypes, om, diags)
	}
	m.Caching = optionalBlock(prior.Caching, cachingObject(ctx, e.CachingConfig, prior.Caching, diags), cachingObject(ctx, defaultCaching(), prior.Caching, diags))
	m.CachingRules = cachingRulesList(ctx, e.CachingConfig, diags)
	m.ManagedRules = optionalBlock(prior.ManagedRules, managedObject(ctx, e.ManagedRule, diags), managedObject(ctx, defaultManagedRule(), diags))
	m.HeaderPolicies = headerPoliciesList(ctx, e.HeaderPolicies, diags)
	m.Optimization = optionalBlock(prior.Optimization, optimizationObject(ctx, e.OptimizationConfig, diags), optimizationObject(ctx, defaultOptimization(), diags))
	m.AccessControl = optionalBlock(prior.AccessControl, accessObject(ctx, e.AccessControl, diags), accessObject(ctx, defaultAccess(), diags))
}

func cachingObject(ctx context.Context, c *wire.CachingConfig, prior types.Object, diags *diag.Diagnostics) types.Object {
	if c == nil {
		c = defaultCaching()
	}
	var pc cachingModel
	if p, ok := asObject[cachingModel](ctx, prior, diags); ok {
		pc = p
	}
	cm := cachingModel{NegativeTTL: types.BoolValue(c.NegativeTTL), CacheKeyHostname: types.StringValue(c.CacheKeyHostname),
		RemoveVaryHeader: types.BoolValue(c.RemoveVaryHeader), BypassQueryString: types.BoolValue(c.BypassQueryString != nil && c.BypassQueryString.Enabled),
		QueryStringMode: types.StringValue(defaultQueryStringMode), QueryStrings: listOf(nil),
		Enabled: types.BoolValue(true), Rule: types.StringValue(defaultRule),
		Revalidate: types.StringValue(defaultRevalidate), AgeType: types.StringValue(defaultAgeType), Age: types.Int64Value(defaultAge),
		EdgeAuth: types.ObjectNull(edgeAuthTypes)}
	if q := c.CacheKeyIgnoreQueryString; q != nil {
		cm.QueryStringMode, cm.QueryStrings = types.StringValue(q.Type), listOf(q.QueryStrings)
	}
	if d := c.DefaultCaching; d != nil {
		cm.Enabled, cm.Rule = types.BoolValue(d.Enabled), types.StringValue(d.RuleDefinitionType)
		if r := d.CacheRevalidateConfig; r != nil {
			cm.Revalidate, cm.AgeType, cm.Age = types.StringValue(r.Type), types.StringValue(r.AgeType), types.Int64Value(int64(r.Age))
		} else if !pc.Revalidate.IsNull() && !pc.Revalidate.IsUnknown() {
			// NCP may drop the revalidation of a rule that does not cache [?].
			cm.Revalidate, cm.AgeType, cm.Age = pc.Revalidate, pc.AgeType, pc.Age
		}
	}
	if a := c.EdgeAuth; a != nil && a.Enabled {
		key := types.StringValue(a.TokenKey)
		if a.TokenKey == "" {
			if pa, ok := asObject[edgeAuthModel](ctx, pc.EdgeAuth, diags); ok {
				key = pa.TokenKey
			}
		}
		cm.EdgeAuth = objectOf(ctx, edgeAuthTypes, edgeAuthModel{Type: types.StringValue(a.Type), TokenKey: key, TokenName: nonEmpty(a.TokenName)}, diags)
	}
	return objectOf(ctx, cachingTypes, cm, diags)
}

func cachingRulesList(ctx context.Context, c *wire.CachingConfig, diags *diag.Diagnostics) types.List {
	var rules []cachingRuleModel
	if c != nil {
		for _, r := range c.CachingRules {
			rm := cachingRuleModel{Name: types.StringValue(r.RuleName), Type: types.StringValue(r.RuleType), Conditions: listOf(r.RuleConditions),
				Definition: types.StringValue(r.RuleDefinitionType), AccessDeny: types.BoolValue(r.AccessDeny),
				Revalidate: types.StringNull(), AgeType: types.StringNull(), Age: types.Int64Null()}
			if v := r.CacheRevalidateConfig; v != nil {
				rm.Revalidate, rm.AgeType, rm.Age = types.StringValue(v.Type), types.StringValue(v.AgeType), types.Int64Value(int64(v.Age))
			}
			rules = append(rules, rm)
		}
	}
	if rules == nil {
		rules = []cachingRuleModel{}
	}
	l, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: cachingRuleTypes}, rules)
	diags.Append(d...)
	return l
}

func headerPoliciesList(ctx context.Context, hs []wire.HeaderPolicy, diags *diag.Diagnostics) types.List {
	out := []headerPolicyModel{}
	for _, h := range hs {
		out = append(out, headerPolicyModel{Target: types.StringValue(h.Target), Action: types.StringValue(h.Action),
			Name: types.StringValue(h.HeaderName), Value: nonEmpty(h.HeaderValue)})
	}
	l, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: headerPolicyTypes}, out)
	diags.Append(d...)
	return l
}

func managedObject(ctx context.Context, r *wire.ManagedRule, diags *diag.Diagnostics) types.Object {
	if r == nil {
		r = defaultManagedRule()
	}
	return objectOf(ctx, managedRulesTypes, managedRulesModel{Cors: types.BoolValue(r.Cors), HTTP2: types.BoolValue(r.HTTP2),
		TrueClientIPHeader: types.BoolValue(r.TrueClientIPHeader), Hsts: types.BoolValue(r.Hsts)}, diags)
}

func optimizationObject(ctx context.Context, o *wire.OptimizationConfig, diags *diag.Diagnostics) types.Object {
	if o == nil {
		o = defaultOptimization()
	}
	single, total := defaultSingleSize, defaultTotalSize
	if o.HeaderMaxSize != nil {
		single, total = o.HeaderMaxSize.SingleSize, o.HeaderMaxSize.TotalSize
	}
	return objectOf(ctx, optimizationTypes, optimizationModel{HTTPCompression: types.BoolValue(o.HTTPCompression),
		LargeFileOptimization: types.BoolValue(o.LargeFileOptimization), HeaderMaxSingleSize: types.StringValue(single),
		HeaderMaxTotalSize: types.StringValue(total)}, diags)
}

func accessObject(ctx context.Context, a *wire.AccessControl, diags *diag.Diagnostics) types.Object {
	if a == nil {
		a = defaultAccess()
	}
	return objectOf(ctx, accessControlTypes, accessControlModel{Type: types.StringValue(a.Type), IPPolicies: listOf(a.IPPolicies),
		GeoPolicies: listOf(a.GeoPolicies), RefererPolicies: listOf(a.RefererPolicies)}, diags)
}
