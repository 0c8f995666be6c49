package globaledge

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// envelope is the {"code","message","result"} answer of every call.
type envelope[T any] struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Result  T      `json:"result"`
}

// decodeFixture decodes testdata/name strictly: a field the types lack
// fails the test.
func decodeFixture(t *testing.T, name string, v any) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}

// The profile list and create examples of ncp-api.md §3.2.
func TestProfileFixtures(t *testing.T) {
	t.Parallel()
	var list envelope[[]Profile]
	decodeFixture(t, "profile-list.json", &list)
	want := []Profile{{ID: 1599, CustomerID: 35, ProfileName: "myprofile"}, {ID: 1600, CustomerID: 35, ProfileName: "myprofile2"}}
	if list.Code != CodeSuccess || list.Message != "Success" || !reflect.DeepEqual(list.Result, want) {
		t.Errorf("profile list: %+v", list)
	}
	var req ProfileRequest
	decodeFixture(t, "profile-create-request.json", &req)
	if req.Name != "my-sample-profile" {
		t.Errorf("profile create request: %+v", req)
	}
	var created envelope[ProfileCreated]
	decodeFixture(t, "profile-create.json", &created)
	if created.Result.ProfileID != 1836 {
		t.Errorf("profile create: %+v", created)
	}
}

// The edge create body of ncp-api.md §3.3 decodes into EdgeConfig and
// encodes back to the same JSON (nulls and empty lists included).
func TestEdgeCreateFixture(t *testing.T) {
	t.Parallel()
	var in EdgeConfig
	raw := decodeFixture(t, "edge-create-request.json", &in)
	d := in.DistributionConfig
	o := in.OriginalCopyConfig
	c := in.CachingConfig
	switch {
	case in.ProfileID != 4210 || in.EdgeName != "edge001":
		t.Errorf("top: %+v", in)
	case d == nil || d.ProtocolType != "HTTPS" || d.RegionType != "KOREA" || d.ServiceDomain == nil ||
		d.ServiceDomain.DomainType != "NCP_DOMAIN_AUTO" || d.ServiceDomain.DomainName != nil || !d.ServiceDomain.Certificate.IsNull() ||
		d.EdgeLogging == nil || d.EdgeLogging.Enabled:
		t.Errorf("distributionConfig: %+v", d)
	case o == nil || o.OriginalCopyLocation.Type != "OBJECT_STORAGE" || *o.OriginalCopyLocation.Region != "KR" ||
		*o.OriginalCopyLocation.BucketName != "mybucket" || o.OriginalCopyLocation.CustomLocation != nil ||
		o.ForwardHostHeader.Type != "INCOMING_HOST_HEADER" || o.OriginalCopyProtocol.Type != "HTTP" || o.OriginalCopyProtocol.Port != 80 ||
		o.OriginalCopyPath != nil:
		t.Errorf("originalCopyConfig: %+v", o)
	case c == nil || !c.DefaultCaching.Enabled || c.DefaultCaching.RuleDefinitionType != "CACHING" ||
		*c.DefaultCaching.CacheRevalidateConfig != (CacheRevalidate{Type: "IF_POSSIBLE", AgeType: "DAYS", Age: 7}) ||
		!c.NegativeTTL || c.BypassQueryString.Enabled || c.CacheKeyHostname != "INCOMING_HOST_HEADER" ||
		c.CacheKeyIgnoreQueryString.Type != "ALL_ALLOWED" || !c.RemoveVaryHeader || c.EdgeAuth.Enabled ||
		c.CachingRules == nil || len(c.CachingRules) != 0:
		t.Errorf("cachingConfig: %+v", c)
	case *in.ManagedRule != (ManagedRule{HTTP2: true}):
		t.Errorf("managedRule: %+v", in.ManagedRule)
	case in.HeaderPolicies == nil || len(in.HeaderPolicies) != 0:
		t.Errorf("headerPolicies: %#v", in.HeaderPolicies)
	case !in.OptimizationConfig.HTTPCompression || !in.OptimizationConfig.LargeFileOptimization ||
		*in.OptimizationConfig.HeaderMaxSize != (HeaderMaxSize{SingleSize: "SIZE_16KB", TotalSize: "SIZE_32KB"}):
		t.Errorf("optimizationConfig: %+v", in.OptimizationConfig)
	case in.AccessControl.Type != "WHITELIST" || in.AccessControl.IPPolicies == nil:
		t.Errorf("accessControl: %+v", in.AccessControl)
	}
	out, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	_ = json.Unmarshal(raw, &a)
	_ = json.Unmarshal(out, &b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("round trip differs:\n got %s\nwant %s", out, raw)
	}
}

// The edge information example (ncp-api.md §3.3, "Get response"): the
// configuration, the domain NCP chose, the origin shield and productType.
func TestEdgeGetFixture(t *testing.T) {
	t.Parallel()
	var got envelope[Edge]
	decodeFixture(t, "edge-get.json", &got)
	e := got.Result
	if e.ProductType == "" || e.EdgeName != "edge001" || e.DistributionConfig.ServiceDomain.DomainName == nil ||
		*e.DistributionConfig.ServiceDomain.DomainName != "lurn5qzs123.edge.naverncp.com" ||
		*e.OriginalCopyConfig.OriginShield != (OriginShield{Enabled: true, Region: "USWN"}) {
		t.Errorf("edge: %+v", e)
	}
}

// The list item fields and the status, stop and id-list bodies of
// ncp-api.md §3.4, and the purge body of §3.1.
func TestEdgeListStatusAndIDFixtures(t *testing.T) {
	t.Parallel()
	var list envelope[[]EdgeListItem]
	decodeFixture(t, "edge-list.json", &list)
	if len(list.Result) != 1 || list.Result[0].ID != 5707 || list.Result[0].StatusType != StatusRunning ||
		list.Result[0].ServiceRegionType != "KOREA" || list.Result[0].DomainName == "" {
		t.Errorf("edge list: %+v", list)
	}
	var status envelope[string]
	decodeFixture(t, "edge-status.json", &status)
	if status.Result != StatusRunning {
		t.Errorf("status: %+v", status)
	}
	var stopped envelope[bool]
	decodeFixture(t, "edge-stop.json", &stopped)
	if !stopped.Result {
		t.Errorf("stop: %+v", stopped)
	}
	var ids EdgeIDs
	decodeFixture(t, "edge-ids.json", &ids)
	if !reflect.DeepEqual(ids.Edges, []int64{1111, 2222}) {
		t.Errorf("edges: %+v", ids)
	}
	var purge PurgeRequest
	decodeFixture(t, "purge-request.json", &purge)
	if purge.EdgeID != 11197 || purge.PurgeType != "DIRECTORY" || !reflect.DeepEqual(purge.PurgeTarget, []string{"/x/*"}) {
		t.Errorf("purge: %+v", purge)
	}
	// purgeTarget is left out for ALL.
	b, _ := json.Marshal(PurgeRequest{EdgeID: 1, PurgeType: "ALL"})
	if string(b) != `{"edgeId":1,"purgeType":"ALL"}` {
		t.Errorf("purge ALL: %s", b)
	}
}
