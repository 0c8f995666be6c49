package globaledge

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// checker collects the first field error of an edge configuration.
type checker struct{ err *rest.Error }

func (k *checker) fail(field, format string, args ...any) {
	if k.err == nil {
		k.err = fieldError("%s: %s", field, fmt.Sprintf(format, args...))
	}
}

func (k *checker) required(field string, present bool) bool {
	if !present {
		k.fail(field, "is required")
	}
	return present
}

func (k *checker) oneOf(field, v string, allowed []string) {
	if !slices.Contains(allowed, v) {
		k.fail(field, "must be one of %s (got %q)", strings.Join(allowed, ", "), v)
	}
}

func set(p *string) bool { return p != nil && *p != "" }

// validateEdge checks an edge create or edit body against ncp-api.md §3.3:
// every top-level field present, enums in their sets, and what a choice
// needs (an Object Storage origin its region and bucket, a custom origin
// its host, ...). It answers 0040 naming the first field at fault.
func validateEdge(cfg *wire.EdgeConfig) *rest.Error {
	k := &checker{}
	if cfg.ProfileID <= 0 {
		k.fail("profileId", "is required")
	}
	if e := checkName("edgeName", cfg.EdgeName); e != nil && k.err == nil {
		k.err = e
	}
	if d := cfg.DistributionConfig; k.required("distributionConfig", d != nil) {
		k.oneOf("distributionConfig.protocolType", d.ProtocolType, wire.ProtocolTypes)
		k.oneOf("distributionConfig.regionType", d.RegionType, wire.RegionTypes)
		if sd := d.ServiceDomain; k.required("distributionConfig.serviceDomain", sd != nil) {
			k.oneOf("distributionConfig.serviceDomain.domainType", sd.DomainType, wire.DomainTypes)
			if sd.DomainType != "NCP_DOMAIN_AUTO" && !set(sd.DomainName) {
				k.fail("distributionConfig.serviceDomain.domainName", "is required with domainType %s", sd.DomainType)
			}
			if sd.DomainType == "CUSTOM_DOMAIN" && sd.Certificate.IsNull() && d.ProtocolType != "HTTP" {
				k.fail("distributionConfig.serviceDomain.certificate", "is required for a custom domain served over HTTPS")
			}
		}
		if l := d.EdgeLogging; k.required("distributionConfig.edgeLogging", l != nil) && l.Enabled {
			if k.required("distributionConfig.edgeLogging.objectStorage", l.ObjectStorage != nil) {
				k.oneOf("distributionConfig.edgeLogging.objectStorage.region", l.ObjectStorage.Region, wire.Regions)
				if l.ObjectStorage.BucketName == "" {
					k.fail("distributionConfig.edgeLogging.objectStorage.bucketName", "is required when logging is enabled")
				}
			}
		}
	}
	if o := cfg.OriginalCopyConfig; k.required("originalCopyConfig", o != nil) {
		if loc := o.OriginalCopyLocation; k.required("originalCopyConfig.originalCopyLocation", loc != nil) {
			k.oneOf("originalCopyConfig.originalCopyLocation.type", loc.Type, wire.OriginTypes)
			switch loc.Type {
			case "OBJECT_STORAGE":
				if k.required("originalCopyConfig.originalCopyLocation.region", set(loc.Region)) {
					k.oneOf("originalCopyConfig.originalCopyLocation.region", *loc.Region, wire.Regions)
				}
				k.required("originalCopyConfig.originalCopyLocation.bucketName", set(loc.BucketName))
			default:
				k.required("originalCopyConfig.originalCopyLocation.customLocation", set(loc.CustomLocation))
			}
		}
		if h := o.ForwardHostHeader; k.required("originalCopyConfig.forwardHostHeader", h != nil) {
			k.oneOf("originalCopyConfig.forwardHostHeader.type", h.Type, wire.ForwardHostTypes)
			if h.Type == "CUSTOM" {
				k.required("originalCopyConfig.forwardHostHeader.customHostHeader", set(h.CustomHostHeader))
			}
		}
		if p := o.OriginalCopyProtocol; k.required("originalCopyConfig.originalCopyProtocol", p != nil) {
			k.oneOf("originalCopyConfig.originalCopyProtocol.type", p.Type, wire.OriginProtocols)
			if p.Port < wire.MinPort || p.Port > wire.MaxPort {
				k.fail("originalCopyConfig.originalCopyProtocol.port", "must be from %d to %d (got %d)", wire.MinPort, wire.MaxPort, p.Port)
			}
		}
		if p := o.OriginalCopyPath; p != nil && *p != "" && !strings.HasPrefix(*p, "/") {
			k.fail("originalCopyConfig.originalCopyPath", "must start with / (got %q)", *p)
		}
		if sh := o.OriginShield; sh != nil && sh.Enabled {
			k.oneOf("originalCopyConfig.originShield.region", sh.Region, wire.Regions)
		}
	}
	if c := cfg.CachingConfig; k.required("cachingConfig", c != nil) {
		if dc := c.DefaultCaching; k.required("cachingConfig.defaultCaching", dc != nil) {
			k.oneOf("cachingConfig.defaultCaching.ruleDefinitionType", dc.RuleDefinitionType, wire.RuleDefinitions)
			if dc.RuleDefinitionType == "CACHING" {
				if k.required("cachingConfig.defaultCaching.cacheRevalidateConfig", dc.CacheRevalidateConfig != nil) {
					checkRevalidate(k, "cachingConfig.defaultCaching.cacheRevalidateConfig", dc.CacheRevalidateConfig)
				}
			}
		}
		k.required("cachingConfig.bypassQueryString", c.BypassQueryString != nil)
		k.oneOf("cachingConfig.cacheKeyHostname", c.CacheKeyHostname, wire.CacheKeyHostnames)
		if q := c.CacheKeyIgnoreQueryString; k.required("cachingConfig.cacheKeyIgnoreQueryString", q != nil) {
			k.oneOf("cachingConfig.cacheKeyIgnoreQueryString.type", q.Type, wire.IgnoreQueryTypes)
			if q.Type == "ALLOW_SPECIFIC_STRING" && len(q.QueryStrings) == 0 {
				k.fail("cachingConfig.cacheKeyIgnoreQueryString.queryStrings", "must list at least one query string with type ALLOW_SPECIFIC_STRING")
			}
		}
		if a := c.EdgeAuth; k.required("cachingConfig.edgeAuth", a != nil) && a.Enabled {
			k.oneOf("cachingConfig.edgeAuth.type", a.Type, wire.EdgeAuthTypes)
			if a.TokenKey == "" {
				k.fail("cachingConfig.edgeAuth.tokenKey", "is required when edge authentication is enabled")
			}
		}
		k.required("cachingConfig.cachingRules", c.CachingRules != nil)
		for i, r := range c.CachingRules {
			f := fmt.Sprintf("cachingConfig.cachingRules[%d]", i)
			if r.RuleName == "" {
				k.fail(f+".ruleName", "is required")
			}
			k.oneOf(f+".ruleType", r.RuleType, wire.CachingRuleTypes)
			if len(r.RuleConditions) == 0 {
				k.fail(f+".ruleConditions", "must list at least one condition")
			}
			k.oneOf(f+".ruleDefinitionType", r.RuleDefinitionType, wire.RuleDefinitions)
			if r.CacheRevalidateConfig != nil {
				checkRevalidate(k, f+".cacheRevalidateConfig", r.CacheRevalidateConfig)
			}
		}
	}
	k.required("managedRule", cfg.ManagedRule != nil)
	k.required("headerPolicies", cfg.HeaderPolicies != nil)
	for i, h := range cfg.HeaderPolicies {
		f := fmt.Sprintf("headerPolicies[%d]", i)
		k.oneOf(f+".target", h.Target, wire.HeaderTargets)
		k.oneOf(f+".action", h.Action, wire.HeaderActions)
		if h.HeaderName == "" {
			k.fail(f+".headerName", "is required")
		}
		if h.Action != "REMOVE" && h.HeaderValue == "" {
			k.fail(f+".headerValue", "is required with action %s", h.Action)
		}
	}
	if o := cfg.OptimizationConfig; k.required("optimizationConfig", o != nil) && o.HeaderMaxSize != nil {
		k.oneOf("optimizationConfig.headerMaxSize.singleSize", o.HeaderMaxSize.SingleSize, wire.HeaderSizes)
		k.oneOf("optimizationConfig.headerMaxSize.totalSize", o.HeaderMaxSize.TotalSize, wire.HeaderSizes)
	}
	if a := cfg.AccessControl; k.required("accessControl", a != nil) {
		k.oneOf("accessControl.type", a.Type, wire.AccessControlTypes)
	}
	return k.err
}

func checkRevalidate(k *checker, field string, r *wire.CacheRevalidate) {
	k.oneOf(field+".type", r.Type, wire.RevalidateTypes)
	k.oneOf(field+".ageType", r.AgeType, wire.AgeTypes)
	if r.Age < wire.MinAge {
		k.fail(field+".age", "must be %d or more (got %d)", wire.MinAge, r.Age)
	}
}
