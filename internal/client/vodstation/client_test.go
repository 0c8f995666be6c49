package vodstation_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/clienttest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

func newClient(t *testing.T, replies ...clienttest.Reply) (*vodstation.Client, *clienttest.Server) {
	t.Helper()
	srv := clienttest.NewServer(t, replies...)
	return vodstation.New(clienttest.New(t, srv.URL)), srv
}

func one(t *testing.T, srv *clienttest.Server) clienttest.Exchange {
	t.Helper()
	seen := srv.Seen()
	if len(seen) != 1 {
		t.Fatalf("%d requests, want 1: %+v", len(seen), seen)
	}
	return seen[0]
}

// Create sends the documented body once and returns the category.
func TestCreateCategory(t *testing.T) {
	t.Parallel()
	c, srv := newClient(t, clienttest.Reply{Status: 200, Body: `{"content":{"id":7,"name":"movies","encodingOptions":[1,2],"thumbnail":false,"output":{"bucketName":"out","filePath":"/vod"}}}`})
	thumb := true
	got, err := c.CreateCategory(context.Background(), wire.CategoryRequest{Name: "movies", EncodingOptions: []int64{1, 2}, Thumbnail: &thumb,
		Output: &wire.Output{BucketName: "out", FilePath: "/vod"}})
	if err != nil || got.ID != 7 || got.Output.BucketName != "out" {
		t.Fatalf("got %+v, %v", got, err)
	}
	ex := one(t, srv)
	if ex.Method != http.MethodPost || ex.RequestURI != "/api/v2/category" ||
		ex.Body != `{"name":"movies","encodingOptions":[1,2],"thumbnail":true,"output":{"bucketName":"out","filePath":"/vod"}}` {
		t.Errorf("request %+v", ex)
	}
}

// A create answered without an id may have created the category: the
// error is ambiguous, so the resource reconciles.
func TestCreateCategoryWithoutID(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t, clienttest.Reply{Status: 200, Body: `{"content":{}}`})
	if _, err := c.CreateCategory(context.Background(), wire.CategoryRequest{Name: "x", Output: &wire.Output{BucketName: "b", FilePath: "/p"}}); !client.IsAmbiguous(err) {
		t.Errorf("got %v, want an ambiguous error", err)
	}
}

// Update never sends the name, which cannot change.
func TestUpdateCategoryLeavesNameOut(t *testing.T) {
	t.Parallel()
	c, srv := newClient(t, clienttest.Reply{Status: 200, Body: `{"content":{"id":7,"name":"movies","output":{"bucketName":"out","filePath":"/new"}}}`})
	if _, err := c.UpdateCategory(context.Background(), 7, wire.CategoryRequest{Name: "movies", Output: &wire.Output{BucketName: "out", FilePath: "/new"}}); err != nil {
		t.Fatal(err)
	}
	if ex := one(t, srv); ex.Method != http.MethodPut || ex.RequestURI != "/api/v2/category/7" || ex.Body != `{"output":{"bucketName":"out","filePath":"/new"}}` {
		t.Errorf("request %+v", ex)
	}
}

// The status by file carries the category beside content.
func TestGetFileStatus(t *testing.T) {
	t.Parallel()
	c, srv := newClient(t, clienttest.Reply{Status: 200, Body: `{"content":{"input":{"fileId":9,"bucketName":"in","filePath":"/a.mp4"},
		"output":[{"encodingOptionId":2,"outputType":"AVC_SD_1Pass_30fps_1","status":"RUNNING","progress":50}]},"categoryId":7,"categoryName":"movies"}`})
	got, err := c.GetFileStatus(context.Background(), 9)
	if err != nil || got.CategoryID != 7 || got.CategoryName != "movies" || got.Content.Input.FileID != 9 ||
		len(got.Content.Output) != 1 || got.Content.Output[0].Status != wire.JobRunning {
		t.Fatalf("got %+v, %v", got, err)
	}
	if ex := one(t, srv); ex.RequestURI != "/api/v2/status/9" {
		t.Errorf("request %+v", ex)
	}
}

// The option's defaultSet comes from beside content.
func TestGetEncodingOption(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t, clienttest.Reply{Status: 200, Body: `{"content":{"id":1,"encodingOptionType":"NORMAL","name":"AVC_SD_1Pass_30fps","format":"MP4"},"defaultSet":true}`})
	o, def, err := c.GetEncodingOption(context.Background(), 1)
	if err != nil || !def || o.Name != "AVC_SD_1Pass_30fps" {
		t.Fatalf("got %+v %v %v", o, def, err)
	}
}

// Delete uses the documented camelCase path [?].
func TestDeleteEncodingOptionPath(t *testing.T) {
	t.Parallel()
	c, srv := newClient(t, clienttest.Reply{Status: 200, Body: `{"content":{}}`})
	if err := c.DeleteEncodingOption(context.Background(), 1001); err != nil {
		t.Fatal(err)
	}
	if ex := one(t, srv); ex.Method != http.MethodDelete || ex.RequestURI != "/api/v2/encodingOption/1001" {
		t.Errorf("request %+v", ex)
	}
}

// Channel operations go to their documented paths; the id is escaped as one
// segment; start, stop and delete are never resent.
func TestChannelOperations(t *testing.T) {
	t.Parallel()
	const ch = `{"content":{"id":"vs-20250821095732-abcdefg","name":"ch","channelStatus":"STOPPING","protocolList":["HLS"]}}`
	for _, tc := range []struct {
		name, method, uri string
		call              func(*vodstation.Client) error
		body              string
	}{
		{"stop", http.MethodPut, "/api/v2/channels/vs-20250821095732-abcdefg/stop", func(c *vodstation.Client) error {
			_, err := c.StopChannel(context.Background(), "vs-20250821095732-abcdefg")
			return err
		}, ""},
		{"start", http.MethodPut, "/api/v2/channels/vs-20250821095732-abcdefg/start", func(c *vodstation.Client) error {
			_, err := c.StartChannel(context.Background(), "vs-20250821095732-abcdefg")
			return err
		}, ""},
		{"delete", http.MethodDelete, "/api/v2/channels/vs-20250821095732-abcdefg", func(c *vodstation.Client) error {
			return c.DeleteChannel(context.Background(), "vs-20250821095732-abcdefg")
		}, ""},
		{"events", http.MethodGet, "/api/v2/channels/a%2Fb/events?pageNo=2&pageSizeNo=5", func(c *vodstation.Client) error {
			_, _, err := c.ChannelEvents(context.Background(), "a/b", vodstation.Page{No: 2, Size: 5})
			return err
		}, `{"content":[{"channelId":"a/b","eventType":"CREATE","channelStatus":"CREATING","eventTime":1}],"total":1}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := ch
			if tc.body != "" {
				body = tc.body
			}
			c, srv := newClient(t, clienttest.Reply{Status: 200, Body: body})
			if err := tc.call(c); err != nil {
				t.Fatal(err)
			}
			if ex := one(t, srv); ex.Method != tc.method || ex.RequestURI != tc.uri {
				t.Errorf("request %+v", ex)
			}
		})
		t.Run(tc.name+"/notResent", func(t *testing.T) {
			t.Parallel()
			if tc.method == http.MethodGet {
				t.Skip("reads are resent by design")
			}
			c, srv := newClient(t, clienttest.Reply{Status: 502})
			if err := tc.call(c); !client.IsAmbiguous(err) || len(srv.Seen()) != 1 {
				t.Errorf("got %v after %d requests, want an ambiguous error after 1", err, len(srv.Seen()))
			}
		})
	}
}

// AllChannels pages until it has total items.
func TestAllChannelsPages(t *testing.T) {
	t.Parallel()
	page := `{"content":[` + repeat(`{"id":"vs-1","name":"a","protocolList":["HLS"]}`, 100) + `],"total":101}`
	c, srv := newClient(t, clienttest.Reply{Status: 200, Body: page},
		clienttest.Reply{Status: 200, Body: `{"content":[{"id":"vs-2","name":"b","protocolList":["HLS"]}],"total":101}`})
	got, err := c.AllChannels(context.Background())
	if err != nil || len(got) != 101 || got[100].ID != "vs-2" {
		t.Fatalf("got %d channels, %v", len(got), err)
	}
	seen := srv.Seen()
	if len(seen) != 2 || seen[1].RequestURI != "/api/v2/channels?pageNo=2&pageSizeNo=100" {
		t.Errorf("requests %+v", seen)
	}
}

func repeat(s string, n int) string {
	out := s
	for range n - 1 {
		out += "," + s
	}
	return out
}
