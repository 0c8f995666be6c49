package cloudfunctions_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/clienttest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

var vpc = url.Values{wire.ParamPlatform: {wire.PlatformVPC}}

// The documented package answer (ncp-api.md §4.2), and a delete's empty 204.
func TestPackage(t *testing.T) {
	t.Parallel()
	srv := clienttest.NewServer(t,
		clienttest.Reply{Status: 200, Body: `{"content":{"actions":[],"description":"Create package","name":"package001",
			"parameters":{"name":"Cloud Funtions","place":"Naver Cloud Platform"},"platform":"classic","resourceId":"xS***"}}`},
		clienttest.Reply{Status: 204},
	)
	c := clienttest.New(t, srv.URL)
	var pkg struct {
		Name       string            `json:"name"`
		Parameters map[string]string `json:"parameters"`
	}
	if _, err := c.DoJSON(context.Background(), &client.JSONRequest{API: cloudfunctions.API, Operation: "getPackage",
		Path: wire.PathPrefix + "/packages/{packageName}", PathParams: []string{"package001"}, Query: vpc}, &pkg); err != nil {
		t.Fatalf("get package: %v", err)
	}
	if pkg.Name != "package001" || pkg.Parameters["place"] != "Naver Cloud Platform" {
		t.Errorf("package %+v", pkg)
	}
	resp, err := c.DoJSON(context.Background(), &client.JSONRequest{API: cloudfunctions.API, Operation: "deletePackage",
		Method: http.MethodDelete, Path: wire.PathPrefix + "/packages/{packageName}", PathParams: []string{"package001"}, Query: vpc}, &pkg)
	if err != nil || !resp.NoContent {
		t.Fatalf("delete package: %+v, %v", resp, err)
	}
	if seen := srv.Seen(); seen[1].RequestURI != "/ncf/api/v2/packages/package001?platform=vpc" || seen[1].Body != "" {
		t.Errorf("delete request %+v", seen[1])
	}
}

// 80031 "Please try again in a few minutes." is retried even on a call
// marked not idempotent: the server did nothing.
func TestTryAgainIsRetried(t *testing.T) {
	t.Parallel()
	srv := clienttest.NewServer(t,
		clienttest.Reply{Status: 400, Body: `{"error":{"errorCode":"80031","message":"<html>Please try again in a few minutes.</html>"}}`},
		clienttest.Reply{Status: 200, Body: `{"content":{"status":"active"}}`},
	)
	_, err := clienttest.New(t, srv.URL).DoJSON(context.Background(), &client.JSONRequest{API: cloudfunctions.API,
		Operation: "linkAction", Method: http.MethodPost, Path: wire.PathPrefix + "/triggers/{triggerName}/link-action",
		PathParams: []string{"nightly-stop"}, Query: vpc, Body: map[string]string{"action": "stop", "package": "-"}}, nil)
	if err != nil || len(srv.Seen()) != 2 {
		t.Errorf("got %v after %d requests, want success after 2", err, len(srv.Seen()))
	}
}

// Error kinds by code and by message name (ncp-api.md §4.2-§4.4), with the
// documented bodies.
func TestErrorKinds(t *testing.T) {
	t.Parallel()
	clienttest.CheckErrorKinds(t, client.JSONRequest{API: cloudfunctions.API, Operation: "putAction", Method: http.MethodPut,
		Idempotency: client.NotIdempotent, Path: wire.PathPrefix + "/packages/{p}/actions/{a}", PathParams: []string{"-", "a"},
		Query: vpc, Body: struct{}{}}, []clienttest.ErrorCase{
		{Status: 404, Body: `{"error":{"errorCode":"80101","message":"PACKAGE_NOT_FOUND"}}`, Kind: client.KindNotFound},
		{Status: 400, Body: `{"error":{"errorCode":"80322","message":"ACTION_ACTIVATION_NOT_FOUND"}}`, Kind: client.KindNotFound},
		{Status: 400, Body: `{"error":{"errorCode":"80999","message":"TRIGGER_NOT_FOUND"}}`, Kind: client.KindNotFound},
		{Status: 400, Body: `{"error":{"errorCode":"80306","message":"ACTION_BODY_MISSING_FIELD","details":"limits.timeout is required"}}`, Kind: client.KindValidation},
		{Status: 400, Body: `{"error":{"errorCode":"80901","message":"DUPLICATED_RULE"}}`, Kind: client.KindConflict},
		{Status: 409, Body: `{"error":{"errorCode":"80998","message":"PACKAGE_NOT_EMPTY"}}`, Kind: client.KindConflict},
		{Status: 403, Body: `{"error":{"errorCode":"80002","message":"SUB_ACC_NO_PERMISSION"}}`, Kind: client.KindAuth},
		{Status: 401, Body: `{"error":{"errorCode":"210","message":"Permission Denied"}}`, Kind: client.KindAuth},
		// Ambiguity wins over a message name: a create cut off by a 502
		// may have run.
		{Status: 502, Body: `{"error":{"errorCode":"80999","message":"ACTION_NOT_FOUND"}}`, Kind: client.KindAmbiguous},
	})
}

// A secret package parameter stays out of the error, even when the answer
// echoes it.
func TestSensitiveParameters(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t-db-password"
	srv := clienttest.NewServer(t, clienttest.Reply{Status: 400,
		Body: `{"error":{"errorCode":"80306","message":"ACTION_BODY_MISSING_FIELD","details":"parameters.db_password=` + secret + ` is too long"}}`})
	_, err := clienttest.New(t, srv.URL).DoJSON(context.Background(), &client.JSONRequest{API: cloudfunctions.API,
		Operation: "putPackage", Method: http.MethodPut, Path: wire.PathPrefix + "/packages/{p}", PathParams: []string{"p"},
		Query: vpc, Body: map[string]any{"parameters": map[string]string{"db_password": secret}}, Sensitive: []string{secret}}, nil)
	if err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "db_password=***") {
		t.Errorf("error %v", err)
	}
	if seen := srv.Seen(); !strings.Contains(seen[0].Body, secret) {
		t.Errorf("the parameter was not sent: %q", seen[0].Body)
	}
}

func TestKindOf(t *testing.T) {
	t.Parallel()
	for msg, want := range map[string]client.Kind{
		"PACKAGE_NOT_FOUND": client.KindNotFound, " ACTION_NOT_FOUND ": client.KindNotFound,
		"DUPLICATED_RULE": client.KindConflict,
	} {
		if got, ok := cloudfunctions.KindOf("", msg); !ok || got != want {
			t.Errorf("KindOf(%q) = %v, %v; want %v", msg, got, ok, want)
		}
	}
	for _, msg := range []string{"", "NOT_FOUND_LATER", "ACTION_NAT_EXCEPTION", "Please try again"} {
		if got, ok := cloudfunctions.KindOf("", msg); ok {
			t.Errorf("KindOf(%q) = %v, want no classification", msg, got)
		}
	}
}
