package globaledge_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/clienttest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

const ok = `{"code":"0000","message":"Success","result":true}`

// Every method sends its documented method, path and body (ncp-api.md
// §3.1) and decodes its answer.
func TestCalls(t *testing.T) {
	t.Parallel()
	srv := clienttest.NewServer(t,
		clienttest.Reply{Status: 200, Body: `{"code":"0000","message":"Success","result":[{"id":1599,"customerId":35,"profileName":"p1"}]}`},
		clienttest.Reply{Status: 200, Body: ok},
		clienttest.Reply{Status: 200, Body: `{"code":"0000","message":"Success","result":{"profileId":1836}}`},
		clienttest.Reply{Status: 200, Body: ok},
		clienttest.Reply{Status: 200, Body: ok},
		clienttest.Reply{Status: 200, Body: `{"code":"0000","message":"Success","result":[{"id":5707,"profileId":1836,"edgeName":"e","statusType":"RUNNING"}]}`},
		clienttest.Reply{Status: 200, Body: `{"code":"0000","message":"Success","result":{"edgeId":5707}}`},
		clienttest.Reply{Status: 200, Body: `{"code":"0000","message":"Success","result":{"profileId":1836,"edgeName":"e","productType":"CDN_EDGE"}}`},
		clienttest.Reply{Status: 200, Body: ok},
		clienttest.Reply{Status: 200, Body: `{"code":"0000","message":"Success","result":"PUBLISHING"}`},
		clienttest.Reply{Status: 200, Body: ok},
		clienttest.Reply{Status: 200, Body: ok},
		clienttest.Reply{Status: 200, Body: ok},
		clienttest.Reply{Status: 200, Body: `{"code":"0000","message":"Success","result":{"purgeRequestId":77}}`},
		clienttest.Reply{Status: 200, Body: `{"code":"0000","message":"Success","result":{"purgeRequestId":77,"edgeId":5707,"purgeType":"ALL","status":"COMPLETED","requestDate":"x"}}`},
	)
	c := globaledge.New(clienttest.New(t, srv.URL))
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	profiles, err := c.ListProfiles(ctx)
	must(err)
	if len(profiles) != 1 || profiles[0].ProfileName != "p1" {
		t.Errorf("profiles %+v", profiles)
	}
	free, err := c.ValidateProfileName(ctx, "a b")
	must(err)
	if !free {
		t.Error("validation: want true")
	}
	pid, err := c.CreateProfile(ctx, "p2")
	must(err)
	if pid != 1836 {
		t.Errorf("profile id %d", pid)
	}
	must(c.RenameProfile(ctx, 1836, "p3"))
	must(c.DeleteProfile(ctx, 1836))
	edges, err := c.ListEdges(ctx, 1836)
	must(err)
	if len(edges) != 1 || edges[0].ID != 5707 {
		t.Errorf("edges %+v", edges)
	}
	cfg := &wire.EdgeConfig{ProfileID: 1836, EdgeName: "e", HeaderPolicies: []wire.HeaderPolicy{}}
	eid, err := c.CreateEdge(ctx, cfg)
	must(err)
	if eid != 5707 {
		t.Errorf("edge id %d", eid)
	}
	e, err := c.GetEdge(ctx, 5707)
	must(err)
	if e.EdgeName != "e" || e.ProductType != "CDN_EDGE" {
		t.Errorf("edge %+v", e)
	}
	must(c.EditEdge(ctx, 5707, cfg))
	st, err := c.EdgeStatus(ctx, 5707)
	must(err)
	if st != wire.StatusPublishing {
		t.Errorf("status %q", st)
	}
	must(c.StopEdges(ctx, 5707))
	must(c.ActivateEdges(ctx, 5707))
	must(c.DeleteEdges(ctx, 5707, 5708))
	prid, err := c.Purge(ctx, wire.PurgeRequest{EdgeID: 5707, PurgeType: "ALL"})
	must(err)
	ps, err := c.PurgeStatus(ctx, prid)
	must(err)
	if ps.Status != wire.PurgeCompleted {
		t.Errorf("purge %+v", ps)
	}

	want := []clienttest.Exchange{
		{Method: "GET", RequestURI: "/api/v1/profiles"},
		{Method: "GET", RequestURI: "/api/v1/profiles/validation?name=a+b"},
		{Method: "POST", RequestURI: "/api/v1/profile", Body: `{"name":"p2"}`},
		{Method: "PUT", RequestURI: "/api/v1/profiles/1836", Body: `{"name":"p3"}`},
		{Method: "DELETE", RequestURI: "/api/v1/profiles/1836"},
		{Method: "GET", RequestURI: "/api/v1/profiles/1836/cdn-edges"},
		{Method: "POST", RequestURI: "/api/v1/cdn-edge", Body: `{"profileId":1836,"edgeName":"e","distributionConfig":null,"originalCopyConfig":null,"cachingConfig":null,"managedRule":null,"headerPolicies":[],"optimizationConfig":null,"accessControl":null}`},
		{Method: "GET", RequestURI: "/api/v1/cdn-edge/5707"},
		{Method: "PUT", RequestURI: "/api/v1/cdn-edges/5707"},
		{Method: "GET", RequestURI: "/api/v1/cdn-edges/5707/status"},
		{Method: "POST", RequestURI: "/api/v1/cdn-edges/stop", Body: `{"edges":[5707]}`},
		{Method: "POST", RequestURI: "/api/v1/cdn-edges/activate", Body: `{"edges":[5707]}`},
		{Method: "DELETE", RequestURI: "/api/v1/cdn-edges", Body: `{"edges":[5707,5708]}`},
		{Method: "POST", RequestURI: "/api/v1/purge", Body: `{"edgeId":5707,"purgeType":"ALL"}`},
		{Method: "GET", RequestURI: "/api/v1/purge/77"},
	}
	seen := srv.Seen()
	if len(seen) != len(want) {
		t.Fatalf("%d requests, want %d: %+v", len(seen), len(want), seen)
	}
	for i, w := range want {
		g := seen[i]
		if g.Method != w.Method || g.RequestURI != w.RequestURI || (w.Body != "" && g.Body != w.Body) {
			t.Errorf("request %d: got %s %s %s, want %s %s %s", i, g.Method, g.RequestURI, g.Body, w.Method, w.RequestURI, w.Body)
		}
	}
}

// A create answered with success but without the new ID is ambiguous: NCP
// very likely made the object, and the caller must reconcile.
func TestCreateWithoutIDIsAmbiguous(t *testing.T) {
	t.Parallel()
	srv := clienttest.NewServer(t,
		clienttest.Reply{Status: 200, Body: ok},
		clienttest.Reply{Status: 200, Body: `{"code":"0000","message":"Success","result":{}}`},
	)
	c := globaledge.New(clienttest.New(t, srv.URL))
	if _, err := c.CreateEdge(context.Background(), &wire.EdgeConfig{}); !client.IsAmbiguous(err) {
		t.Errorf("create edge: %v, want ambiguous", err)
	}
	if _, err := c.CreateProfile(context.Background(), "p"); !client.IsAmbiguous(err) {
		t.Errorf("create profile: %v, want ambiguous", err)
	}
}

// An unknown edge (HTTP 404, as ncplocal answers) is a not-found error;
// 0250 is a conflict.
func TestNotFoundAndConflict(t *testing.T) {
	t.Parallel()
	srv := clienttest.NewServer(t,
		clienttest.Reply{Status: 404, Body: `{"code":"0404","message":"not found","result":null}`},
		clienttest.Reply{Status: 400, Body: `{"code":"0250","message":"an edge that is not stopped is included","result":null}`},
	)
	c := globaledge.New(clienttest.New(t, srv.URL))
	if _, err := c.EdgeStatus(context.Background(), 1); !client.IsNotFound(err) {
		t.Errorf("status: %v, want not found", err)
	}
	err := c.DeleteEdges(context.Background(), 1)
	var ce *client.Error
	if !client.IsConflict(err) || !errors.As(err, &ce) || ce.Code != wire.CodeEdgeNotStopped {
		t.Errorf("delete: %v, want 0250 conflict", err)
	}
}
