package globaledge_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/clienttest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
)

// The documented answers (ncp-api.md §3.2, §3.4), decoded from their result.
func TestDocumentedAnswers(t *testing.T) {
	t.Parallel()
	type profile struct {
		ID          int    `json:"id"`
		CustomerID  int    `json:"customerId"`
		ProfileName string `json:"profileName"`
	}
	srv := clienttest.NewServer(t,
		clienttest.Reply{Status: 200, Body: `{"code":"0000","message":"Success","result":[{"id":1599,"customerId":35,"profileName":"myprofile"},{"id":1600,"customerId":35,"profileName":"myprofile2"}]}`},
		clienttest.Reply{Status: 200, Body: `{"code":"0000","message":"Success","result":{"profileId":1836}}`},
		clienttest.Reply{Status: 200, Body: `{"code":"0000","message":"Success","result":"RUNNING"}`},
		clienttest.Reply{Status: 200, Body: `{"code":"0000","message":"Success","result":true}`},
	)
	c := clienttest.New(t, srv.URL)
	ctx := context.Background()

	var profiles []profile
	if _, err := c.DoJSON(ctx, &client.JSONRequest{API: globaledge.API, Operation: "getProfileList", Path: "/api/v1/profiles"}, &profiles); err != nil {
		t.Fatalf("profile list: %v", err)
	}
	if len(profiles) != 2 || profiles[0].ID != 1599 || profiles[1].ProfileName != "myprofile2" {
		t.Errorf("profiles %+v", profiles)
	}

	var created struct {
		ProfileID int `json:"profileId"`
	}
	if _, err := c.DoJSON(ctx, &client.JSONRequest{API: globaledge.API, Operation: "createProfile", Method: http.MethodPost,
		Path: "/api/v1/profile", Body: map[string]string{"name": "my-sample-profile"}}, &created); err != nil || created.ProfileID != 1836 {
		t.Fatalf("create profile: %+v, %v", created, err)
	}

	var status string
	if _, err := c.DoJSON(ctx, &client.JSONRequest{API: globaledge.API, Operation: "getEdgeStatus",
		Path: "/api/v1/cdn-edges/{edgeId}/status", PathParams: []string{"5707"}}, &status); err != nil || status != "RUNNING" {
		t.Fatalf("edge status: %q, %v", status, err)
	}

	// Delete takes its edges in a JSON body.
	var ok bool
	if _, err := c.DoJSON(ctx, &client.JSONRequest{API: globaledge.API, Operation: "deleteEdges", Method: http.MethodDelete,
		Path: "/api/v1/cdn-edges", Body: map[string][]int{"edges": {5707}}}, &ok); err != nil || !ok {
		t.Fatalf("delete edges: %v, %v", ok, err)
	}
	seen := srv.Seen()
	if last := seen[len(seen)-1]; last.Method != http.MethodDelete || last.Body != `{"edges":[5707]}` || last.ContentType != "application/json" {
		t.Errorf("delete request %+v", last)
	}
	if seen[2].RequestURI != "/api/v1/cdn-edges/5707/status" {
		t.Errorf("status request %+v", seen[2])
	}
}

// Global Edge's result codes (ncp-api.md §3): kinds by code, and a failure
// code is a failure even under HTTP 200.
func TestErrorKinds(t *testing.T) {
	t.Parallel()
	clienttest.CheckErrorKinds(t, client.JSONRequest{API: globaledge.API, Operation: "activateEdges", Method: http.MethodPost,
		Path: "/api/v1/cdn-edges/activate", Body: map[string][]int{"edges": {5707}}}, []clienttest.ErrorCase{
		{Status: 400, Body: `{"code":"0040","message":"Field validation Error"}`, Kind: client.KindValidation},
		{Status: 400, Body: `{"code":"0101","message":"a Profile with the same name exists"}`, Kind: client.KindConflict},
		{Status: 400, Body: `{"code":"0250","message":"an edge that is not stopped is included"}`, Kind: client.KindConflict},
		{Status: 200, Body: `{"code":"0250","message":"an edge that is not stopped is included","result":false}`, Kind: client.KindConflict},
		{Status: 403, Body: `{"code":"0032","message":"request not allowed"}`, Kind: client.KindAuth},
		{Status: 500, Body: `{"code":"9999","message":"Unknown Error"}`, Kind: client.KindServer},
		{Status: 401, Body: `{"error":{"errorCode":"200","message":"Authentication Failed"}}`, Kind: client.KindAuth},
	})
}
