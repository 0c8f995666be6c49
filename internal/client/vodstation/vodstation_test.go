package vodstation_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/clienttest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
)

type category struct {
	ID     int    `json:"id"`
	Name   string `json:"name"`
	Output struct {
		BucketName string `json:"bucketName"`
		FilePath   string `json:"filePath"`
	} `json:"output"`
}

// The category list as documented (ncp-api.md §2.1, §2.2): content plus
// total, paged with pageNo and pageSizeNo.
func TestCategoryList(t *testing.T) {
	t.Parallel()
	srv := clienttest.NewServer(t, clienttest.Reply{Status: 200, Body: `{"content":[
		{"disabled":false,"id":1,"name":"c1","encodingOptions":[1,2,3],"thumbnail":false,
		 "output":{"bucketName":"out","filePath":"/vod","accessControl":"PRIVATE"},"lastWorkStart":1700000000000},
		{"disabled":false,"id":2,"name":"c2","output":{"bucketName":"out","filePath":"/x"}}],"total":30}`})
	var out []category
	resp, err := clienttest.New(t, srv.URL).DoJSON(context.Background(), &client.JSONRequest{
		API: vodstation.API, Operation: "getCategoryList", Path: "/api/v2/category",
		Query: map[string][]string{"pageNo": {"1"}, "pageSizeNo": {"10"}},
	}, &out)
	if err != nil {
		t.Fatalf("DoJSON: %v", err)
	}
	if resp.Total != 30 || len(out) != 2 || out[0].ID != 1 || out[0].Output.BucketName != "out" || out[1].Name != "c2" {
		t.Errorf("total %d, categories %+v", resp.Total, out)
	}
	if seen := srv.Seen(); len(seen) != 1 || seen[0].Method != http.MethodGet || seen[0].RequestURI != "/api/v2/category?pageNo=1&pageSizeNo=10" {
		t.Errorf("requests %+v", seen)
	}
}

// The tutorial's add-files call: a PUT that starts encoding jobs, so it is
// not resent after an ambiguous failure.
func TestAddFilesIsNotResent(t *testing.T) {
	t.Parallel()
	srv := clienttest.NewServer(t, clienttest.Reply{Status: 502, Body: ""})
	_, err := clienttest.New(t, srv.URL).DoJSON(context.Background(), &client.JSONRequest{
		API: vodstation.API, Operation: "addFiles", Method: http.MethodPut,
		Path: "/api/v2/category/{categoryId}/add-files", PathParams: []string{"13814"},
		Body:        map[string]any{"bucketName": "upload", "pathList": []string{"in/a.mp4"}},
		Idempotency: client.NotIdempotent,
	}, nil)
	if !client.IsAmbiguous(err) || len(srv.Seen()) != 1 {
		t.Errorf("got %v after %d requests, want an ambiguous error after 1", err, len(srv.Seen()))
	}
	if seen := srv.Seen(); seen[0].RequestURI != "/api/v2/category/13814/add-files" ||
		seen[0].Body != `{"bucketName":"upload","pathList":["in/a.mp4"]}` {
		t.Errorf("request %+v", seen[0])
	}
}

// VOD Station's error codes, in the gateway envelope (ncp-api.md §2, §2.6).
func TestErrorKinds(t *testing.T) {
	t.Parallel()
	clienttest.CheckErrorKinds(t, client.JSONRequest{API: vodstation.API, Operation: "getChannel",
		Path: "/api/v2/channels/{channelId}", PathParams: []string{"vs-20250821095732-abcdefg"}}, []clienttest.ErrorCase{
		{Status: 404, Body: `{"error":{"errorCode":"260004","message":"Not Found"}}`, Kind: client.KindNotFound},
		{Status: 400, Body: `{"error":{"errorCode":"260017","message":"invalid channel id"}}`, Kind: client.KindNotFound},
		{Status: 400, Body: `{"error":{"errorCode":"260024","message":"delete only when STOPPED"}}`, Kind: client.KindConflict},
		{Status: 400, Body: `{"error":{"errorCode":"260022","message":"start only when STOPPED"}}`, Kind: client.KindConflict},
		{Status: 403, Body: `{"error":{"errorCode":"260006","message":"no permission"}}`, Kind: client.KindAuth},
		{Status: 400, Body: `{"error":{"errorCode":"260032","message":"channel name"}}`, Kind: client.KindValidation},
		// The documented gateway example.
		{Status: 404, Body: `{"error":{"errorCode":"300","message":"Not Found Exception"}}`, Kind: client.KindNotFound},
	})
}
