package globaledge

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// oneOf lists allowed values for a description: `A`, `B` or `C`.
func oneOf(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = "`" + v + "`"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// enum is a string attribute that must be one of values.
func enum(values []string) []validator.String {
	return []validator.String{stringvalidator.OneOf(values...)}
}

// optEnum is an optional enum attribute with a default.
func optEnum(desc string, values []string, def string) schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: fmt.Sprintf("%s: %s. Default: `%s`.", desc, oneOf(values), def),
		Validators:          enum(values),
		Default:             stringdefault.StaticString(def),
	}
}

func optBool(desc string, def bool) schema.BoolAttribute {
	return schema.BoolAttribute{Optional: true, Computed: true, MarkdownDescription: fmt.Sprintf("%s Default: `%t`.", desc, def),
		Default: booldefault.StaticBool(def)}
}

func stringList(desc string) schema.ListAttribute {
	return schema.ListAttribute{ElementType: types.StringType, Optional: true, Computed: true, MarkdownDescription: desc + " Default: none.",
		Default: listdefault.StaticValue(types.ListValueMust(types.StringType, nil))}
}

// Schema describes ncp_global_edge_cdn: the documented create body
// (ncp-api.md §3.3) as attributes and nested blocks.
func (r *cdnResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a Global Edge CDN edge of NAVER Cloud Platform: a domain that serves an origin " +
			"(an Object Storage bucket or any host) through NCP's CDN.\n\n" +
			"Create waits until the edge is `RUNNING`. Every setting but `profile_id` and `region_type` is changed in place " +
			"(NCP publishes the edge again and the update waits until it is `RUNNING`); those two replace the edge. " +
			"Delete stops the edge, waits until it is `STOPPED`, deletes it and waits until it is gone.\n\n" +
			"The optional blocks `caching`, `managed_rules`, `optimization` and `access_control` default to the values of NCP's " +
			"documented example; left out, they are sent with those values and stay out of state unless NCP's values differ.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, MarkdownDescription: "The edge ID NCP assigned, e.g. `5707`.", PlanModifiers: stable},
			"profile_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "ID of the Global Edge profile the edge belongs to (`ncp_global_edge_profile`). Changing it replaces the edge.",
				Validators:          []validator.String{idValidator{}},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name of the edge: " + wire.NameRule + ". Changed in place.",
				Validators:          []validator.String{nameValidator{}},
			},
			"region_type": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Where the edge serves: " + oneOf(wire.RegionTypes) + ". NCP cannot change it, so changing it replaces the edge.",
				Validators:          enum(wire.RegionTypes),
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"protocol_type": optEnum("Protocols the edge serves to clients", wire.ProtocolTypes, defaultProtocolType),
			"domain_type": optEnum("How the service domain is chosen (`NCP_DOMAIN_AUTO`: NCP picks a domain under "+
				"`"+strings.TrimPrefix(wire.DomainSuffix, ".")+"`; the others need `domain_name`)", wire.DomainTypes, defaultDomainType),
			"domain_name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The edge's service domain. With `domain_type = \"NCP_DOMAIN_AUTO\"` NCP chooses it and it must not be set; " +
					"otherwise it is required.",
				PlanModifiers: stable,
			},
			"status": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The edge's status: `RUNNING` once create or update is done; `STOPPED` if it was stopped outside Terraform.",
				PlanModifiers:       stable,
			},
		},
		Blocks: map[string]schema.Block{
			"origin": schema.SingleNestedBlock{
				MarkdownDescription: "Where the edge fetches content from (required).",
				Validators:          []validator.Object{objectvalidator.IsRequired()},
				Attributes: map[string]schema.Attribute{
					"type": optEnum("Kind of origin", wire.OriginTypes, defaultOriginType),
					"bucket_name": schema.StringAttribute{Optional: true,
						MarkdownDescription: "The Object Storage bucket; required with `type = \"OBJECT_STORAGE\"`."},
					"region": optEnum("Region of the origin", wire.Regions, defaultRegion),
					"custom_location": schema.StringAttribute{Optional: true,
						MarkdownDescription: "Host name of the origin; required with every `type` but `OBJECT_STORAGE`."},
					"protocol": optEnum("Protocol the edge uses towards the origin", wire.OriginProtocols, defaultOriginProtocol),
					"port": schema.Int64Attribute{Optional: true, Computed: true,
						MarkdownDescription: fmt.Sprintf("Port of the origin, %d to %d. Default: `%d`.", wire.MinPort, wire.MaxPort, defaultOriginPort),
						Validators:          []validator.Int64{int64validator.Between(wire.MinPort, wire.MaxPort)},
						Default:             int64default.StaticInt64(defaultOriginPort)},
					"path": schema.StringAttribute{Optional: true,
						MarkdownDescription: "Path inside the origin that the edge's root maps to; starts with `/`.",
						Validators:          []validator.String{stringvalidator.RegexMatches(pathRE, "must start with /")}},
					"forward_host_header": optEnum("Host header sent to the origin", wire.ForwardHostTypes, defaultForwardHost),
					"custom_host_header": schema.StringAttribute{Optional: true,
						MarkdownDescription: "Host header to send; required with `forward_host_header = \"CUSTOM\"`."},
				},
			},
			"logging": schema.SingleNestedBlock{
				MarkdownDescription: "Access logs to Object Storage; present means enabled.",
				Attributes: map[string]schema.Attribute{
					"bucket_name":   schema.StringAttribute{Optional: true, MarkdownDescription: "Bucket the logs go to (required in the block)."},
					"region":        optEnum("Region of the log bucket", wire.Regions, defaultRegion),
					"bucket_prefix": schema.StringAttribute{Optional: true, MarkdownDescription: "Prefix of the log objects."},
				},
			},
			"caching": schema.SingleNestedBlock{
				MarkdownDescription: "Caching settings (the default rule, cache keys, edge authentication).",
				Attributes: map[string]schema.Attribute{
					"enabled":             optBool("Whether the default caching rule is enabled.", true),
					"rule":                optEnum("What the default rule does", wire.RuleDefinitions, defaultRule),
					"revalidate":          optEnum("When cached objects are revalidated", wire.RevalidateTypes, defaultRevalidate),
					"age_type":            optEnum("Unit of `age`", wire.AgeTypes, defaultAgeType),
					"age":                 schema.Int64Attribute{Optional: true, Computed: true, MarkdownDescription: fmt.Sprintf("How long objects are cached, in `age_type` units, %d or more. Default: `%d`.", wire.MinAge, defaultAge), Validators: []validator.Int64{int64validator.AtLeast(wire.MinAge)}, Default: int64default.StaticInt64(defaultAge)},
					"negative_ttl":        optBool("Whether error answers are cached too.", true),
					"bypass_query_string": optBool("Whether query strings bypass the cache.", false),
					"cache_key_hostname":  optEnum("Host name in the cache key", wire.CacheKeyHostnames, defaultCacheKeyHost),
					"query_string_mode":   optEnum("Which query strings are part of the cache key", wire.IgnoreQueryTypes, defaultQueryStringMode),
					"query_strings":       stringList("Query strings of the cache key; required with `query_string_mode = \"ALLOW_SPECIFIC_STRING\"`."),
					"remove_vary_header":  optBool("Whether the origin's Vary header is removed.", true),
				},
				Blocks: map[string]schema.Block{
					"edge_auth": schema.SingleNestedBlock{
						MarkdownDescription: "Token authentication at the edge; present means enabled.",
						Attributes: map[string]schema.Attribute{
							"type":       schema.StringAttribute{Optional: true, MarkdownDescription: "Kind of token: " + oneOf(wire.EdgeAuthTypes) + " (required in the block).", Validators: enum(wire.EdgeAuthTypes)},
							"token_key":  schema.StringAttribute{Optional: true, Sensitive: true, MarkdownDescription: "Secret key of the tokens (required in the block)."},
							"token_name": schema.StringAttribute{Optional: true, MarkdownDescription: "Name of the token parameter."},
						},
					},
				},
			},
			"caching_rule": schema.ListNestedBlock{
				MarkdownDescription: "Caching rules for parts of the content, in order.",
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"name":       schema.StringAttribute{Required: true, MarkdownDescription: "Name of the rule."},
					"type":       schema.StringAttribute{Required: true, MarkdownDescription: "What the conditions match: " + oneOf(wire.CachingRuleTypes) + ".", Validators: enum(wire.CachingRuleTypes)},
					"conditions": schema.ListAttribute{ElementType: types.StringType, Required: true, MarkdownDescription: "Directories, extensions or expressions the rule applies to; at least one.", Validators: []validator.List{listvalidator.SizeAtLeast(1)}},
					"definition": schema.StringAttribute{Required: true, MarkdownDescription: "What the rule does: " + oneOf(wire.RuleDefinitions) + ".", Validators: enum(wire.RuleDefinitions)},
					"revalidate": schema.StringAttribute{Optional: true, MarkdownDescription: "When cached objects are revalidated: " + oneOf(wire.RevalidateTypes) + ".", Validators: enum(wire.RevalidateTypes)},
					"age_type":   schema.StringAttribute{Optional: true, MarkdownDescription: "Unit of `age`: " + oneOf(wire.AgeTypes) + ".", Validators: enum(wire.AgeTypes)},
					"age":        schema.Int64Attribute{Optional: true, MarkdownDescription: "How long objects are cached; 0 or more.", Validators: []validator.Int64{int64validator.AtLeast(wire.MinAge)}},
					"access_deny": schema.BoolAttribute{Optional: true, Computed: true, MarkdownDescription: "Whether matching requests are refused. Default: `false`.",
						Default: booldefault.StaticBool(false)},
				}},
			},
			"managed_rules": schema.SingleNestedBlock{
				MarkdownDescription: "NCP's managed on/off rules.",
				Attributes: map[string]schema.Attribute{
					"cors":                  optBool("Whether CORS headers are added.", false),
					"http2":                 optBool("Whether HTTP/2 is served.", true),
					"true_client_ip_header": optBool("Whether the True-Client-IP header is sent to the origin.", false),
					"hsts":                  optBool("Whether HSTS is sent.", false),
				},
			},
			"header_policy": schema.ListNestedBlock{
				MarkdownDescription: "Request or response header changes, in order.",
				NestedObject: schema.NestedBlockObject{Attributes: map[string]schema.Attribute{
					"target": schema.StringAttribute{Required: true, MarkdownDescription: "Which headers: " + oneOf(wire.HeaderTargets) + ".", Validators: enum(wire.HeaderTargets)},
					"action": schema.StringAttribute{Required: true, MarkdownDescription: "What to do: " + oneOf(wire.HeaderActions) + ".", Validators: enum(wire.HeaderActions)},
					"name":   schema.StringAttribute{Required: true, MarkdownDescription: "Header name.", Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
					"value":  schema.StringAttribute{Optional: true, MarkdownDescription: "Header value; required unless `action = \"REMOVE\"`."},
				}},
			},
			"optimization": schema.SingleNestedBlock{
				MarkdownDescription: "Transfer optimizations.",
				Attributes: map[string]schema.Attribute{
					"http_compression":        optBool("Whether answers are compressed.", true),
					"large_file_optimization": optBool("Whether large files are optimized.", true),
					"header_max_single_size":  optEnum("Largest single request header", wire.HeaderSizes, defaultSingleSize),
					"header_max_total_size":   optEnum("Largest total of request headers", wire.HeaderSizes, defaultTotalSize),
				},
			},
			"access_control": schema.SingleNestedBlock{
				MarkdownDescription: "Who may use the edge.",
				Attributes: map[string]schema.Attribute{
					"type":             optEnum("Whether the policies list who is allowed or who is refused", wire.AccessControlTypes, defaultAccessControl),
					"ip_policies":      stringList("IP addresses or blocks."),
					"geo_policies":     stringList("Country codes."),
					"referer_policies": stringList("Referers."),
				},
			},
			"timeouts": framework.TimeoutsBlockWithUpdate(ctx, "the edge to be created and become `RUNNING`",
				"an edited edge to be published again and become `RUNNING`", "the edge to be stopped and deleted"),
		},
	}
}
