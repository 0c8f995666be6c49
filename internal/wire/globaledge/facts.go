package globaledge

// The rules NCP applies to Global Edge requests (ncp-api.md §3), as data.
// The provider's plan-time validators and ncplocal's request checks are
// separate code with their own messages; both read these values.

// Name rule of profiles [C] DOC:profile-create and edges [C] DOC:edge-create:
// 3 to 35 characters of letters, digits, hyphens and underscores.
const (
	NameMinLength = 3
	NameMaxLength = 35
	NamePattern   = `^[A-Za-z0-9_-]{3,35}$`
	NameRule      = "3 to 35 characters of letters, digits, hyphens (-) and underscores (_)"
)

// MaxEdgesPerAccount is the account limit on edges [C] DOC:edge-create.
const MaxEdgesPerAccount = 100

// DomainSuffix ends the domains NCP gives edges with NCP_DOMAIN_AUTO, as in
// the edge-information example ("lurn5qzs123.edge.naverncp.com") [C].
const DomainSuffix = ".edge.naverncp.com"

// Enum values of the edge create body (ncp-api.md §3.3) [C], except where
// marked.
var (
	// ProtocolTypes: the doc lists all three; the MCP refuses HTTP [?].
	ProtocolTypes = []string{"HTTP", "HTTPS", "ALL"}
	// RegionTypes cannot be edited.
	RegionTypes        = []string{"KOREA", "JAPAN", "GLOBAL"}
	DomainTypes        = []string{"NCP_DOMAIN_AUTO", "NCP_DOMAIN_CUSTOM", "CUSTOM_DOMAIN"}
	OriginTypes        = []string{"OBJECT_STORAGE", "LOAD_BALANCER", "API_GATEWAY", "CUSTOM"}
	Regions            = []string{"KR", "HK", "SGN", "JPN", "USWN", "DEN", "FKR"}
	ForwardHostTypes   = []string{"INCOMING_HOST_HEADER", "ORIGIN_HOSTNAME", "CUSTOM"}
	OriginProtocols    = []string{"HTTP", "HTTPS"}
	RuleDefinitions    = []string{"CACHING", "BYPASS_CACHE", "ORIGIN_CACHE_CONTROL_HEADER"}
	RevalidateTypes    = []string{"IF_POSSIBLE", "ALWAYS"}               // codegen schema [?]
	AgeTypes           = []string{"SECONDS", "MINUTES", "HOURS", "DAYS"} // codegen schema; DAYS [C]
	CacheKeyHostnames  = []string{"INCOMING_HOST_HEADER", "ORIGIN_HOSTNAME"}
	IgnoreQueryTypes   = []string{"ALL_ALLOWED", "ALL_IGNORED", "ALLOW_SPECIFIC_STRING"}
	EdgeAuthTypes      = []string{"SIGNED_URL", "JWT", "MEDIA_VAULT"}
	CachingRuleTypes   = []string{"DIRECTORY", "FILE_EXTENSION", "ADVANCED"} // codegen schema [?]
	HeaderTargets      = []string{"REQUEST", "RESPONSE"}                     // [?]
	HeaderActions      = []string{"ADD", "MODIFY", "REMOVE"}                 // [?]
	HeaderSizes        = []string{"SIZE_8KB", "SIZE_16KB", "SIZE_32KB", "SIZE_64KB"}
	AccessControlTypes = []string{"WHITELIST", "BLACKLIST"}
	PurgeTypes         = []string{"ALL", "DIRECTORY", "PATTERN", "URL"}
)

// Limits of single values [?]: the docs read here state no range for the
// origin port or the cache age; these are the natural bounds.
const (
	MinPort = 1
	MaxPort = 65535
	MinAge  = 0
)
