// Package globaledge holds the wire facts of NCP's Global Edge API v1
// (ncp-api.md §3): where it lives, its paths, its request and answer types
// and its result codes. Every answer is {"code":"0000","message":"Success",
// "result": ...}; a code other than CodeSuccess is a failure.
//
// The types are shared by the provider's client (internal/client/globaledge)
// and ncplocal (internal/ncplocal/globaledge), so the two cannot disagree
// about a field name.
package globaledge

// PathPrefix is where the API lives on the Global Edge gateway host.
const PathPrefix = "/api/v1"

// Result codes [C] (ncp-api.md §3, the status-code table of the overview),
// with the HTTP status NCP documents for each.
const (
	CodeSuccess          = "0000" // 200 Success
	CodeFieldValidation  = "0040" // 400 field validation error
	CodeDuplicateProfile = "0101" // 400 a profile with the same name exists
	CodeProfileLimit     = "0102" // 400 no more profiles can be created
	CodeEdgeNotStopped   = "0250" // 400 an edge that is not stopped cannot do this
	CodeNotAllowed       = "0032" // 403 request not allowed
	CodeUnknown          = "9999" // 500 unknown error
)

// Messages of the result codes, as the overview's table words them [C]
// (ncp-api.md §3; the exact English text of NCP's answers is [?]).
const (
	MessageFieldValidation  = "Field validation Error"
	MessageDuplicateProfile = "a Profile with the same name exists"
	MessageProfileLimit     = "no more Profiles can be created"
	MessageEdgeNotStopped   = "an edge that is not stopped is included"
	MessageNotAllowed       = "request not allowed"
	MessageUnknown          = "Unknown Error"
)

// Paths (ncp-api.md §3.1). Placeholders are filled by client.BuildPath.
const (
	PathProfiles          = "/api/v1/profiles"
	PathProfileValidation = "/api/v1/profiles/validation"
	PathProfileCreate     = "/api/v1/profile" // singular [C] DOC:profile-create
	PathProfile           = "/api/v1/profiles/{profileId}"
	PathProfileEdges      = "/api/v1/profiles/{profileId}/cdn-edges"
	PathEdgeCreate        = "/api/v1/cdn-edge"
	// PathEdge is the get path of the current doc table; PathEdgePlural is
	// the one the doc examples and the older revision use. ncplocal serves
	// both; the client uses PathEdge.
	PathEdge         = "/api/v1/cdn-edge/{edgeId}"
	PathEdgePlural   = "/api/v1/cdn-edges/{edgeId}"
	PathEdges        = "/api/v1/cdn-edges" // DELETE with body {"edges":[...]}
	PathEdgesStop    = "/api/v1/cdn-edges/stop"
	PathEdgeActivate = "/api/v1/cdn-edges/activate"
	PathEdgeStatus   = "/api/v1/cdn-edges/{edgeId}/status"
	PathPurge        = "/api/v1/purge"
	PathPurgeStatus  = "/api/v1/purge/{purgeRequestId}"
)

// Edge statuses (ncp-api.md §3.4) [C].
const (
	StatusPublishing = "PUBLISHING"
	StatusRunning    = "RUNNING"
	StatusStopping   = "STOPPING"
	StatusStopped    = "STOPPED"
	StatusActivating = "ACTIVATING"
	StatusDeleting   = "DELETING"
	StatusDeleted    = "DELETED"
)

// Profile is one item of the profile list [C] DOC:profile-listing.
type Profile struct {
	ID          int64  `json:"id"`
	CustomerID  int64  `json:"customerId"`
	ProfileName string `json:"profileName"`
}

// ProfileRequest is the body of profile create and rename.
type ProfileRequest struct {
	Name string `json:"name"`
}

// ProfileCreated is the result of profile create [C] DOC:profile-create.
type ProfileCreated struct {
	ProfileID int64 `json:"profileId"`
}

// EdgeIDs is the body of edge stop, activate and delete.
type EdgeIDs struct {
	Edges []int64 `json:"edges"`
}

// EdgeCreated is the result of edge create: the MCP reads result.edgeId;
// the docs show no example [?].
type EdgeCreated struct {
	EdgeID int64 `json:"edgeId"`
}

// EdgeListItem is one item of a profile's edge list [C] DOC:edge-listing.
type EdgeListItem struct {
	ID                 int64  `json:"id"`
	ProfileID          int64  `json:"profileId"`
	EdgeName           string `json:"edgeName"`
	StatusType         string `json:"statusType"`
	ServiceRegionType  string `json:"serviceRegionType"`
	OriginalCopyDomain string `json:"originalCopyDomain"`
	RegistrationDate   string `json:"registrationDate"`
	ModifyDate         string `json:"modifyDate"`
	DomainName         string `json:"domainName"`
}

// EdgeConfig is the body of edge create and edit, and (with ProductType)
// the result of edge get [C] DOC:edge-create, DOC:edge-information. Every
// top-level field is required: the nested objects are pointers and
// HeaderPolicies is sent as [] when empty, so that a missing field can be
// told from an empty one.
type EdgeConfig struct {
	ProfileID          int64               `json:"profileId"`
	EdgeName           string              `json:"edgeName"`
	DistributionConfig *DistributionConfig `json:"distributionConfig"`
	OriginalCopyConfig *OriginalCopyConfig `json:"originalCopyConfig"`
	CachingConfig      *CachingConfig      `json:"cachingConfig"`
	ManagedRule        *ManagedRule        `json:"managedRule"`
	HeaderPolicies     []HeaderPolicy      `json:"headerPolicies"`
	OptimizationConfig *OptimizationConfig `json:"optimizationConfig"`
	AccessControl      *AccessControl      `json:"accessControl"`
}

// Edge is the result of edge get: the configuration and the product type
// [C] DOC:edge-information. The docs show no edge ID or status in it; the
// status has its own call (PathEdgeStatus).
type Edge struct {
	EdgeConfig
	ProductType string `json:"productType,omitempty"`
}

// DistributionConfig is how the edge serves.
type DistributionConfig struct {
	ProtocolType  string         `json:"protocolType"`
	RegionType    string         `json:"regionType"`
	ServiceDomain *ServiceDomain `json:"serviceDomain"`
	EdgeLogging   *EdgeLogging   `json:"edgeLogging"`
}

// ServiceDomain is the edge's domain. With NCP_DOMAIN_AUTO, NCP picks
// domainName (e.g. "lurn5qzs123.edge.naverncp.com") and shows it on get.
// The shape of certificate is not documented [?]: it is kept as raw JSON.
type ServiceDomain struct {
	DomainType  string  `json:"domainType"`
	DomainName  *string `json:"domainName"`
	Certificate RawJSON `json:"certificate"`
}

// EdgeLogging is the access log setting.
type EdgeLogging struct {
	Enabled       bool        `json:"enabled"`
	BucketPrefix  string      `json:"bucketPrefix,omitempty"`
	ObjectStorage *LogStorage `json:"objectStorage,omitempty"`
}

// LogStorage is where access logs go.
type LogStorage struct {
	Region     string `json:"region"`
	BucketName string `json:"bucketName"`
}

// OriginalCopyConfig is the origin.
type OriginalCopyConfig struct {
	OriginalCopyLocation *OriginLocation    `json:"originalCopyLocation"`
	ForwardHostHeader    *ForwardHostHeader `json:"forwardHostHeader"`
	OriginalCopyProtocol *OriginProtocol    `json:"originalCopyProtocol"`
	OriginalCopyPath     *string            `json:"originalCopyPath"`
	// OriginShield appears on get [C] DOC:edge-information; whether create
	// takes it is not documented [?], ncplocal accepts it.
	OriginShield *OriginShield `json:"originShield,omitempty"`
}

// OriginLocation is where the origin is: an Object Storage bucket (region
// and bucketName) or a host (customLocation).
type OriginLocation struct {
	Type           string  `json:"type"`
	Region         *string `json:"region"`
	BucketName     *string `json:"bucketName"`
	CustomLocation *string `json:"customLocation"`
}

// ForwardHostHeader is the Host header sent to the origin.
type ForwardHostHeader struct {
	Type             string  `json:"type"`
	CustomHostHeader *string `json:"customHostHeader"`
}

// OriginProtocol is how the edge talks to the origin.
type OriginProtocol struct {
	Type string `json:"type"`
	Port int    `json:"port"`
}

// OriginShield is the origin shield setting (get only [?]).
type OriginShield struct {
	Enabled bool   `json:"enabled"`
	Region  string `json:"region,omitempty"`
}

// CachingConfig is the caching setting.
type CachingConfig struct {
	DefaultCaching            *DefaultCaching    `json:"defaultCaching"`
	NegativeTTL               bool               `json:"negativeTtl"`
	BypassQueryString         *Toggle            `json:"bypassQueryString"`
	CacheKeyHostname          string             `json:"cacheKeyHostname"`
	CacheKeyIgnoreQueryString *IgnoreQueryString `json:"cacheKeyIgnoreQueryString"`
	RemoveVaryHeader          bool               `json:"removeVaryHeader"`
	EdgeAuth                  *EdgeAuth          `json:"edgeAuth"`
	CachingRules              []CachingRule      `json:"cachingRules"`
}

// DefaultCaching is the rule for what no caching rule matches.
type DefaultCaching struct {
	Enabled               bool             `json:"enabled"`
	RuleDefinitionType    string           `json:"ruleDefinitionType"`
	CacheRevalidateConfig *CacheRevalidate `json:"cacheRevalidateConfig,omitempty"`
}

// CacheRevalidate is how long a cached object lives and when it is
// revalidated.
type CacheRevalidate struct {
	Type    string `json:"type"`
	AgeType string `json:"ageType"`
	Age     int    `json:"age"`
}

// Toggle is an {"enabled": bool} setting.
type Toggle struct {
	Enabled bool `json:"enabled"`
}

// IgnoreQueryString is which query strings make up the cache key.
type IgnoreQueryString struct {
	Type         string   `json:"type"`
	QueryStrings []string `json:"queryStrings,omitempty"`
}

// EdgeAuth is token authentication at the edge. TokenKey is a secret.
type EdgeAuth struct {
	Enabled   bool   `json:"enabled"`
	Type      string `json:"type,omitempty"`
	TokenKey  string `json:"tokenKey,omitempty"`
	TokenName string `json:"tokenName,omitempty"`
}

// CachingRule is one caching rule. The docs' example lists none; the
// fields follow the codegen schema cited in ncp-api.md §3.3 [?].
type CachingRule struct {
	RuleName              string           `json:"ruleName"`
	RuleType              string           `json:"ruleType"`
	RuleConditions        []string         `json:"ruleConditions"`
	RuleDefinitionType    string           `json:"ruleDefinitionType"`
	CacheRevalidateConfig *CacheRevalidate `json:"cacheRevalidateConfig,omitempty"`
	AccessDeny            bool             `json:"accessDeny"`
}

// HeaderPolicy is one header rule. The docs' example lists none, so its
// shape is a guess [?]: add, modify or remove a request or response header.
type HeaderPolicy struct {
	Target      string `json:"target"` // REQUEST | RESPONSE [?]
	Action      string `json:"action"` // ADD | MODIFY | REMOVE [?]
	HeaderName  string `json:"headerName"`
	HeaderValue string `json:"headerValue,omitempty"`
}

// ManagedRule holds the managed on/off rules.
type ManagedRule struct {
	Cors               bool `json:"cors"`
	HTTP2              bool `json:"http2"`
	TrueClientIPHeader bool `json:"trueClientIpHeader"`
	Hsts               bool `json:"hsts"`
}

// OptimizationConfig holds the transfer optimizations.
type OptimizationConfig struct {
	HTTPCompression       bool           `json:"httpCompression"`
	LargeFileOptimization bool           `json:"largeFileOptimization"`
	HeaderMaxSize         *HeaderMaxSize `json:"headerMaxSize,omitempty"`
}

// HeaderMaxSize bounds request headers.
type HeaderMaxSize struct {
	SingleSize string `json:"singleSize"`
	TotalSize  string `json:"totalSize"`
}

// AccessControl is the access policy: a whitelist or blacklist of IP
// addresses, countries and referers. The items are strings, as in the
// codegen schema cited in ncp-api.md §3.3 [?].
type AccessControl struct {
	Type            string   `json:"type"`
	IPPolicies      []string `json:"ipPolicies"`
	GeoPolicies     []string `json:"geoPolicies"`
	RefererPolicies []string `json:"refererPolicies"`
}

// PurgeRequest is the body of a purge [C-3p] MCP; purgeTarget is left out
// for ALL.
type PurgeRequest struct {
	EdgeID      int64    `json:"edgeId"`
	PurgeType   string   `json:"purgeType"`
	PurgeTarget []string `json:"purgeTarget,omitempty"`
}

// PurgeCreated is the result of a purge request. The docs read here do not
// show it [?]: ncplocal answers {"purgeRequestId": N}.
type PurgeCreated struct {
	PurgeRequestID int64 `json:"purgeRequestId"`
}

// PurgeStatus is the result of the purge status call [?]: the request and
// its progress (IN_PROGRESS, then COMPLETED).
type PurgeStatus struct {
	PurgeRequestID int64    `json:"purgeRequestId"`
	EdgeID         int64    `json:"edgeId"`
	PurgeType      string   `json:"purgeType"`
	PurgeTarget    []string `json:"purgeTarget,omitempty"`
	Status         string   `json:"status"`
	RequestDate    string   `json:"requestDate"`
}

// Purge statuses [?].
const (
	PurgeInProgress = "IN_PROGRESS"
	PurgeCompleted  = "COMPLETED"
)

// CodeNotFound is what ncplocal answers, with HTTP 404, for a profile,
// edge or purge request the account does not have. NCP documents no code
// for it [?]; the client classifies the answer by its HTTP status.
const CodeNotFound = "0404"
