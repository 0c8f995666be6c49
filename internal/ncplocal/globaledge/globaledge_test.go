package globaledge_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cdnlink"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/globaledge"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// Profiles: create, list, the name rule, duplicate names (0101), rename,
// the name check, delete, and accounts kept apart.
func TestProfiles(t *testing.T) {
	t.Parallel()
	f := start(t)
	p1 := f.createProfile(alice, "myprofile")
	p2 := f.createProfile(alice, "myprofile2")
	var list []wire.Profile
	f.ok(alice, "GET", "/api/v1/profiles", "", &list)
	if len(list) != 2 || list[0].ID != p1 || list[0].ProfileName != "myprofile" || list[1].ID != p2 || list[0].CustomerID == 0 {
		t.Fatalf("list %+v", list)
	}
	f.fails(alice, "POST", "/api/v1/profile", `{"name":"myprofile"}`, 400, wire.CodeDuplicateProfile, "myprofile")
	f.fails(alice, "POST", "/api/v1/profile", `{"name":"ab"}`, 400, wire.CodeFieldValidation, "name", "3 to 35")
	f.fails(alice, "POST", "/api/v1/profile", `{"name":"has space"}`, 400, wire.CodeFieldValidation, "name")
	f.fails(alice, "POST", "/api/v1/profile", `{"name":"p","extra":1}`, 400, wire.CodeFieldValidation, "extra")
	f.fails(alice, "POST", "/api/v1/profile", `{"name":`+fmt.Sprintf("%q", strings.Repeat("a", 36))+`}`, 400, wire.CodeFieldValidation, "name")

	var free bool
	f.ok(alice, "GET", "/api/v1/profiles/validation?name=myprofile", "", &free)
	if free {
		t.Error("validation: a taken name is free")
	}
	f.ok(alice, "GET", "/api/v1/profiles/validation?name=other_1", "", &free)
	if !free {
		t.Error("validation: a free name is taken")
	}

	f.ok(alice, "PUT", "/api/v1/profiles/"+itoa(p1), `{"name":"renamed"}`, nil)
	f.fails(alice, "PUT", "/api/v1/profiles/"+itoa(p1), `{"name":"myprofile2"}`, 400, wire.CodeDuplicateProfile)
	f.ok(alice, "PUT", "/api/v1/profiles/"+itoa(p1), `{"name":"renamed"}`, nil) // its own name
	f.fails(alice, "PUT", "/api/v1/profiles/999999", `{"name":"x-y-z"}`, 404, wire.CodeNotFound)
	f.fails(alice, "PUT", "/api/v1/profiles/abc", `{"name":"x-y-z"}`, 400, wire.CodeFieldValidation, "profileId")

	// Bob sees none of Alice's profiles and may reuse her names.
	var bobs []wire.Profile
	f.ok(bob, "GET", "/api/v1/profiles", "", &bobs)
	if len(bobs) != 0 {
		t.Errorf("bob sees %+v", bobs)
	}
	f.createProfile(bob, "renamed")
	f.fails(bob, "DELETE", "/api/v1/profiles/"+itoa(p1), "", 404, wire.CodeNotFound)

	f.ok(alice, "DELETE", "/api/v1/profiles/"+itoa(p2), "", nil)
	f.ok(alice, "GET", "/api/v1/profiles", "", &list)
	if len(list) != 1 || list[0].ProfileName != "renamed" {
		t.Errorf("after delete: %+v", list)
	}
}

// An edge's lifecycle (ncp-api.md §3.4): PUBLISHING → RUNNING, edit back
// through PUBLISHING, stop, activate, delete only when STOPPED (0250), and
// the profile's delete refused while it has edges.
func TestEdgeLifecycle(t *testing.T) {
	t.Parallel()
	f := start(t)
	p := f.createProfile(alice, "prof")
	id := f.createEdge(alice, p, "edge001")
	f.wantStatus(alice, id, wire.StatusPublishing)
	f.fails(alice, "POST", "/api/v1/cdn-edges/stop", ids(id), 400, wire.CodeEdgeNotStopped, "PUBLISHING")
	f.advance()
	f.wantStatus(alice, id, wire.StatusRunning)

	// Both documented get paths answer the same; NCP chose the domain.
	one, two := f.call(alice, "GET", "/api/v1/cdn-edge/"+itoa(id), ""), f.call(alice, "GET", "/api/v1/cdn-edges/"+itoa(id), "")
	if one.status != 200 || one.body != two.body {
		t.Fatalf("get paths differ: %s vs %s", one.body, two.body)
	}
	var got wire.Edge
	if err := json.Unmarshal(one.result, &got); err != nil {
		t.Fatal(err)
	}
	domain := got.DistributionConfig.ServiceDomain.DomainName
	if domain == nil || !strings.HasSuffix(*domain, wire.DomainSuffix) || got.EdgeName != "edge001" || got.ProfileID != p ||
		*got.OriginalCopyConfig.OriginalCopyLocation.BucketName != "mybucket" || got.HeaderPolicies == nil {
		t.Fatalf("get: %s", one.body)
	}
	var list []wire.EdgeListItem
	f.ok(alice, "GET", "/api/v1/profiles/"+itoa(p)+"/cdn-edges", "", &list)
	if len(list) != 1 || list[0].ID != id || list[0].StatusType != wire.StatusRunning || list[0].DomainName != *domain ||
		list[0].ServiceRegionType != "KOREA" || list[0].OriginalCopyDomain != "mybucket.kr.object.ncloudstorage.com" || list[0].RegistrationDate == "" {
		t.Fatalf("list: %+v", list)
	}

	// An edit of a running edge publishes it again and keeps its domain.
	f.ok(alice, "PUT", "/api/v1/cdn-edges/"+itoa(id), edgeBody(t, p, "edge001", func(c *wire.EdgeConfig) { c.ManagedRule.Cors = true }), nil)
	f.wantStatus(alice, id, wire.StatusPublishing)
	f.fails(alice, "PUT", "/api/v1/cdn-edges/"+itoa(id), edgeBody(t, p, "edge001", nil), 400, wire.CodeEdgeNotStopped)
	f.advance()
	f.ok(alice, "GET", "/api/v1/cdn-edge/"+itoa(id), "", &got)
	if !got.ManagedRule.Cors || *got.DistributionConfig.ServiceDomain.DomainName != *domain {
		t.Fatalf("after edit: %+v", got)
	}
	f.fails(alice, "PUT", "/api/v1/cdn-edges/"+itoa(id), edgeBody(t, p, "edge001", func(c *wire.EdgeConfig) { c.DistributionConfig.RegionType = "GLOBAL" }),
		400, wire.CodeFieldValidation, "distributionConfig.regionType", "cannot be edited")

	// Delete and activate need STOPPED.
	f.fails(alice, "DELETE", "/api/v1/cdn-edges", ids(id), 400, wire.CodeEdgeNotStopped, "RUNNING")
	f.fails(alice, "POST", "/api/v1/cdn-edges/activate", ids(id), 400, wire.CodeEdgeNotStopped)
	f.ok(alice, "POST", "/api/v1/cdn-edges/stop", ids(id), nil)
	f.wantStatus(alice, id, wire.StatusStopping)
	f.advance()
	f.wantStatus(alice, id, wire.StatusStopped)
	f.ok(alice, "POST", "/api/v1/cdn-edges/activate", ids(id), nil)
	f.wantStatus(alice, id, wire.StatusActivating)
	f.advance()
	f.wantStatus(alice, id, wire.StatusRunning)
	f.ok(alice, "POST", "/api/v1/cdn-edges/stop", ids(id), nil)
	f.advance()

	// A stopped edge may be edited; it stays stopped.
	f.ok(alice, "PUT", "/api/v1/cdn-edges/"+itoa(id), edgeBody(t, p, "edge002", nil), nil)
	f.wantStatus(alice, id, wire.StatusStopped)

	f.fails(alice, "DELETE", "/api/v1/profiles/"+itoa(p), "", 403, wire.CodeNotAllowed, "edge")
	f.fails(bob, "DELETE", "/api/v1/cdn-edges", ids(id), 404, wire.CodeNotFound)
	f.fails(alice, "DELETE", "/api/v1/cdn-edges", `{"edges":[]}`, 400, wire.CodeFieldValidation, "edges")
	f.ok(alice, "DELETE", "/api/v1/cdn-edges", ids(id), nil)
	f.wantStatus(alice, id, wire.StatusDeleting)
	f.fails(alice, "DELETE", "/api/v1/profiles/"+itoa(p), "", 403, wire.CodeNotAllowed)
	f.advance()
	f.fails(alice, "GET", "/api/v1/cdn-edges/"+itoa(id)+"/status", "", 404, wire.CodeNotFound)
	f.fails(alice, "GET", "/api/v1/cdn-edge/"+itoa(id), "", 404, wire.CodeNotFound)
	f.ok(alice, "DELETE", "/api/v1/profiles/"+itoa(p), "", nil)
}

// Stop, activate and delete take several edges, all or none.
func TestEdgesAllOrNone(t *testing.T) {
	t.Parallel()
	f := start(t)
	p := f.createProfile(alice, "prof")
	a, b := f.createEdge(alice, p, "edge-a"), f.createEdge(alice, p, "edge-b")
	f.advance()
	f.ok(alice, "POST", "/api/v1/cdn-edges/stop", ids(a), nil)
	f.advance()
	// b is RUNNING: deleting both fails and deletes neither.
	f.fails(alice, "DELETE", "/api/v1/cdn-edges", ids(a, b), 400, wire.CodeEdgeNotStopped, itoa(b))
	f.wantStatus(alice, a, wire.StatusStopped)
	f.ok(alice, "POST", "/api/v1/cdn-edges/stop", ids(b), nil)
	f.advance()
	f.ok(alice, "DELETE", "/api/v1/cdn-edges", ids(a, b), nil)
	f.advance()
	var list []wire.EdgeListItem
	f.ok(alice, "GET", "/api/v1/profiles/"+itoa(p)+"/cdn-edges", "", &list)
	if len(list) != 0 {
		t.Errorf("left: %+v", list)
	}
}

// Every documented constraint of the create body answers 0040 naming the
// field (ncp-api.md §3.3).
func TestEdgeFieldValidation(t *testing.T) {
	t.Parallel()
	f := start(t)
	p := f.createProfile(alice, "prof")
	s := func(v string) *string { return &v }
	cases := []struct {
		field string
		edit  func(*wire.EdgeConfig)
	}{
		{"edgeName", func(c *wire.EdgeConfig) { c.EdgeName = "a b" }},
		{"profileId", func(c *wire.EdgeConfig) { c.ProfileID = 0 }},
		{"profileId", func(c *wire.EdgeConfig) { c.ProfileID = 999999 }},
		{"distributionConfig", func(c *wire.EdgeConfig) { c.DistributionConfig = nil }},
		{"distributionConfig.protocolType", func(c *wire.EdgeConfig) { c.DistributionConfig.ProtocolType = "FTP" }},
		{"distributionConfig.regionType", func(c *wire.EdgeConfig) { c.DistributionConfig.RegionType = "MARS" }},
		{"distributionConfig.serviceDomain.domainType", func(c *wire.EdgeConfig) { c.DistributionConfig.ServiceDomain.DomainType = "X" }},
		{"distributionConfig.serviceDomain.domainName", func(c *wire.EdgeConfig) { c.DistributionConfig.ServiceDomain.DomainType = "NCP_DOMAIN_CUSTOM" }},
		{"distributionConfig.edgeLogging.objectStorage", func(c *wire.EdgeConfig) { c.DistributionConfig.EdgeLogging.Enabled = true }},
		{"originalCopyConfig", func(c *wire.EdgeConfig) { c.OriginalCopyConfig = nil }},
		{"originalCopyConfig.originalCopyLocation.type", func(c *wire.EdgeConfig) { c.OriginalCopyConfig.OriginalCopyLocation.Type = "NONE" }},
		{"originalCopyConfig.originalCopyLocation.region", func(c *wire.EdgeConfig) { c.OriginalCopyConfig.OriginalCopyLocation.Region = s("MOON") }},
		{"originalCopyConfig.originalCopyLocation.bucketName", func(c *wire.EdgeConfig) { c.OriginalCopyConfig.OriginalCopyLocation.BucketName = nil }},
		{"originalCopyConfig.originalCopyLocation.customLocation", func(c *wire.EdgeConfig) { c.OriginalCopyConfig.OriginalCopyLocation.Type = "CUSTOM" }},
		{"originalCopyConfig.forwardHostHeader.customHostHeader", func(c *wire.EdgeConfig) { c.OriginalCopyConfig.ForwardHostHeader.Type = "CUSTOM" }},
		{"originalCopyConfig.originalCopyProtocol.port", func(c *wire.EdgeConfig) { c.OriginalCopyConfig.OriginalCopyProtocol.Port = 70000 }},
		{"originalCopyConfig.originalCopyProtocol.type", func(c *wire.EdgeConfig) { c.OriginalCopyConfig.OriginalCopyProtocol.Type = "FTP" }},
		{"cachingConfig.defaultCaching.ruleDefinitionType", func(c *wire.EdgeConfig) { c.CachingConfig.DefaultCaching.RuleDefinitionType = "X" }},
		{"cachingConfig.defaultCaching.cacheRevalidateConfig.ageType", func(c *wire.EdgeConfig) { c.CachingConfig.DefaultCaching.CacheRevalidateConfig.AgeType = "YEARS" }},
		{"cachingConfig.cacheKeyHostname", func(c *wire.EdgeConfig) { c.CachingConfig.CacheKeyHostname = "X" }},
		{"cachingConfig.cacheKeyIgnoreQueryString.queryStrings", func(c *wire.EdgeConfig) {
			c.CachingConfig.CacheKeyIgnoreQueryString.Type = "ALLOW_SPECIFIC_STRING"
		}},
		{"cachingConfig.edgeAuth.type", func(c *wire.EdgeConfig) { c.CachingConfig.EdgeAuth.Enabled = true }},
		{"cachingConfig.cachingRules", func(c *wire.EdgeConfig) { c.CachingConfig.CachingRules = nil }},
		{"cachingConfig.cachingRules[0].ruleType", func(c *wire.EdgeConfig) {
			c.CachingConfig.CachingRules = []wire.CachingRule{{RuleName: "r", RuleType: "X", RuleConditions: []string{"/a"}, RuleDefinitionType: "CACHING"}}
		}},
		{"managedRule", func(c *wire.EdgeConfig) { c.ManagedRule = nil }},
		{"headerPolicies", func(c *wire.EdgeConfig) { c.HeaderPolicies = nil }},
		{"headerPolicies[0].action", func(c *wire.EdgeConfig) {
			c.HeaderPolicies = []wire.HeaderPolicy{{Target: "RESPONSE", Action: "SHOUT", HeaderName: "X"}}
		}},
		{"optimizationConfig.headerMaxSize.singleSize", func(c *wire.EdgeConfig) { c.OptimizationConfig.HeaderMaxSize.SingleSize = "SIZE_1KB" }},
		{"accessControl.type", func(c *wire.EdgeConfig) { c.AccessControl.Type = "GREYLIST" }},
		{"accessControl", func(c *wire.EdgeConfig) { c.AccessControl = nil }},
	}
	for _, tc := range cases {
		// A nil list is sent as null, which is as good as missing.
		body := edgeBody(t, p, "edge001", tc.edit)
		f.fails(alice, "POST", "/api/v1/cdn-edge", body, 400, wire.CodeFieldValidation, tc.field)
	}
	// A field the body does not have, and a wrong type, name it too.
	f.fails(alice, "POST", "/api/v1/cdn-edge", `{"profileId":"x"}`, 400, wire.CodeFieldValidation, "profileId")
	f.fails(alice, "POST", "/api/v1/cdn-edge", strings.Replace(edgeBody(t, p, "e1x", nil), `"edgeName"`, `"edgeNam"`, 1), 400, wire.CodeFieldValidation, "edgeNam")
	// Nothing was created.
	var list []wire.EdgeListItem
	f.ok(alice, "GET", "/api/v1/profiles/"+itoa(p)+"/cdn-edges", "", &list)
	if len(list) != 0 {
		t.Errorf("created: %+v", list)
	}
	// The alternatives the docs allow are accepted: HTTP, ALL, a custom
	// origin, and a custom NCP domain.
	for i, edit := range []func(*wire.EdgeConfig){
		func(c *wire.EdgeConfig) { c.DistributionConfig.ProtocolType = "HTTP" },
		func(c *wire.EdgeConfig) { c.DistributionConfig.ProtocolType = "ALL" },
		func(c *wire.EdgeConfig) {
			c.OriginalCopyConfig.OriginalCopyLocation = &wire.OriginLocation{Type: "CUSTOM", CustomLocation: s("origin.example.com")}
		},
		func(c *wire.EdgeConfig) {
			c.DistributionConfig.ServiceDomain = &wire.ServiceDomain{DomainType: "NCP_DOMAIN_CUSTOM", DomainName: s("mine.edge.naverncp.com")}
		},
	} {
		f.ok(alice, "POST", "/api/v1/cdn-edge", edgeBody(t, p, fmt.Sprintf("ok-%d", i), edit), nil)
	}
	// A domain serves one edge.
	f.fails(bob, "POST", "/api/v1/cdn-edge", edgeBody(t, f.createProfile(bob, "bprof"), "dup", func(c *wire.EdgeConfig) {
		c.DistributionConfig.ServiceDomain = &wire.ServiceDomain{DomainType: "NCP_DOMAIN_CUSTOM", DomainName: s("mine.edge.naverncp.com")}
	}), 400, wire.CodeFieldValidation, "domainName")
}

// The account limit of edges (100 [C]; lowered here) counts edges being
// deleted until they are gone.
func TestEdgeLimit(t *testing.T) {
	t.Parallel()
	f := start(t)
	f.svc.SetLimits(globaledge.Limits{EdgesPerAccount: 2})
	p := f.createProfile(alice, "prof")
	a := f.createEdge(alice, p, "e-1")
	f.createEdge(alice, p, "e-2")
	f.fails(alice, "POST", "/api/v1/cdn-edge", edgeBody(t, p, "e-3", nil), 403, wire.CodeNotAllowed, "2 edges")
	f.createEdge(bob, f.createProfile(bob, "prof"), "e-1") // another account
	f.advance()
	f.ok(alice, "POST", "/api/v1/cdn-edges/stop", ids(a), nil)
	f.advance()
	f.ok(alice, "DELETE", "/api/v1/cdn-edges", ids(a), nil)
	f.fails(alice, "POST", "/api/v1/cdn-edge", edgeBody(t, p, "e-3", nil), 403, wire.CodeNotAllowed)
	f.advance()
	f.createEdge(alice, p, "e-3")
	if globaledge.DefaultLimits.EdgesPerAccount != 100 {
		t.Errorf("default limit %d", globaledge.DefaultLimits.EdgesPerAccount)
	}
}

// Purge requests: checked, in progress for the async delay, then
// completed; only a running edge purges.
func TestPurge(t *testing.T) {
	t.Parallel()
	f := start(t)
	p := f.createProfile(alice, "prof")
	id := f.createEdge(alice, p, "e-1")
	f.fails(alice, "POST", "/api/v1/purge", fmt.Sprintf(`{"edgeId":%d,"purgeType":"ALL"}`, id), 400, wire.CodeEdgeNotStopped, "PUBLISHING")
	f.advance()
	f.fails(alice, "POST", "/api/v1/purge", fmt.Sprintf(`{"edgeId":%d,"purgeType":"DIRECTORY"}`, id), 400, wire.CodeFieldValidation, "purgeTarget")
	f.fails(alice, "POST", "/api/v1/purge", fmt.Sprintf(`{"edgeId":%d,"purgeType":"EVERYTHING"}`, id), 400, wire.CodeFieldValidation, "purgeType")
	f.fails(alice, "POST", "/api/v1/purge", `{"edgeId":999999,"purgeType":"ALL"}`, 404, wire.CodeNotFound)
	var created wire.PurgeCreated
	f.ok(alice, "POST", "/api/v1/purge", fmt.Sprintf(`{"edgeId":%d,"purgeType":"DIRECTORY","purgeTarget":["/x/*"]}`, id), &created)
	var st wire.PurgeStatus
	f.ok(alice, "GET", "/api/v1/purge/"+itoa(created.PurgeRequestID), "", &st)
	if st.Status != wire.PurgeInProgress || st.EdgeID != id || st.PurgeTarget[0] != "/x/*" {
		t.Fatalf("purge %+v", st)
	}
	f.advance()
	f.ok(alice, "GET", "/api/v1/purge/"+itoa(created.PurgeRequestID), "", &st)
	if st.Status != wire.PurgeCompleted {
		t.Fatalf("purge %+v", st)
	}
	f.fails(bob, "GET", "/api/v1/purge/"+itoa(created.PurgeRequestID), "", 404, wire.CodeNotFound)
}

// cdnlink: VOD Station's edges go through the API's checks, lifecycle and
// limits, and show through the API like any other.
func TestChannelEdges(t *testing.T) {
	t.Parallel()
	f := start(t)
	ctx := context.Background()
	p := f.createProfile(alice, "prof")
	req := cdnlink.EdgeRequest{ProfileID: p, RegionType: "KOREA", Name: "vs-chan", OriginBucket: "vod-out", ChannelID: "vs-20260101000000-ABCDEFG"}
	e, err := f.svc.CreateChannelEdge(ctx, alice.AccountID, req)
	if err != nil {
		t.Fatal(err)
	}
	if e.Status != wire.StatusPublishing || !strings.HasSuffix(e.Domain, wire.DomainSuffix) || e.Name != "vs-chan" {
		t.Fatalf("edge %+v", e)
	}
	var got wire.Edge
	f.ok(alice, "GET", "/api/v1/cdn-edge/"+itoa(e.ID), "", &got)
	if *got.OriginalCopyConfig.OriginalCopyLocation.BucketName != "vod-out" || *got.OriginalCopyConfig.OriginalCopyLocation.Region != "KR" {
		t.Fatalf("origin %+v", got.OriginalCopyConfig.OriginalCopyLocation)
	}
	f.advance()
	if e2, err := f.svc.Edge(ctx, alice.AccountID, e.ID); err != nil || e2.Status != wire.StatusRunning || e2.Domain != e.Domain {
		t.Fatalf("edge %+v, %v", e2, err)
	}
	if _, err := f.svc.Edge(ctx, bob.AccountID, e.ID); !errors.Is(err, cdnlink.ErrEdgeNotFound) {
		t.Errorf("bob's view: %v", err)
	}
	if _, err := f.svc.CreateChannelEdge(ctx, bob.AccountID, req); !errors.Is(err, cdnlink.ErrProfileNotFound) {
		t.Errorf("another account's profile: %v", err)
	}
	bad := req
	bad.RegionType = "MARS"
	if _, err := f.svc.CreateChannelEdge(ctx, alice.AccountID, bad); err == nil || !strings.Contains(err.Error(), "regionType") {
		t.Errorf("bad region: %v", err)
	}
	f.svc.SetLimits(globaledge.Limits{EdgesPerAccount: 1})
	if _, err := f.svc.CreateChannelEdge(ctx, alice.AccountID, req); !errors.Is(err, cdnlink.ErrEdgeLimit) {
		t.Errorf("limit: %v", err)
	}
	// The inventory lists the edge.
	inv, ok := f.svc.Inventory(alice.AccountID).(globaledge.Inventory)
	if !ok || len(inv.Edges) != 1 || inv.Edges[0].ID != e.ID || len(inv.Profiles) != 1 {
		t.Errorf("inventory %+v", f.svc.Inventory(alice.AccountID))
	}
}

// State survives a restart from the data dir; IDs keep counting; call
// counts name the operations; a "service" fault answers 9999.
func TestDurabilityCallsAndFaults(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := start(t, func(o *ncplocal.Options) { o.DataDir = dir })
	p := f.createProfile(alice, "prof")
	id := f.createEdge(alice, p, "e-1")
	if n := f.srv.Calls()["globaledge:createEdge"]; n != 1 {
		t.Errorf("calls %v", f.srv.Calls())
	}
	if err := f.srv.SetFaults([]ncplocal.FaultRule{{Pattern: "^/api/v1/profiles$", Rate: 1, Kinds: []string{"service"}}}); err != nil {
		t.Fatal(err)
	}
	f.fails(alice, "GET", "/api/v1/profiles", "", http.StatusInternalServerError, wire.CodeUnknown)
	if err := f.srv.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	if err := f.srv.Close(); err != nil {
		t.Fatal(err)
	}
	g := start(t, func(o *ncplocal.Options) { o.DataDir = dir; o.Now = f.clock.Now })
	g.clock = f.clock
	g.wantStatus(alice, id, wire.StatusPublishing)
	g.advance()
	g.wantStatus(alice, id, wire.StatusRunning)
	if id2 := g.createEdge(alice, p, "e-2"); id2 <= id {
		t.Errorf("new id %d after %d", id2, id)
	}
}
