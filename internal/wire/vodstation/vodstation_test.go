package vodstation

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

// decodeFixture strictly decodes testdata/name into v: a field the wire
// types lack fails the test, so the types cannot drift from the documented
// bodies (ncp-api.md §2).
func decodeFixture(t *testing.T, name string, v any) {
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
}

type list[T any] struct {
	Content []T  `json:"content"`
	Total   *int `json:"total,omitempty"`
}

type one[T any] struct {
	Content T `json:"content"`
}

func ptr[T any](v T) *T { return &v }

// The template list example of DOC:vodstation-encodingoption-template-list,
// which is also what ncplocal seeds.
func TestTemplateListFixture(t *testing.T) {
	t.Parallel()
	var got list[EncodingTemplate]
	decodeFixture(t, "templateList.json", &got)
	if !reflect.DeepEqual(got.Content, EncodingTemplates) {
		t.Errorf("fixture %+v, seeded templates %+v", got.Content, EncodingTemplates)
	}
}

// The callback example of DOC:vodstation-category-callback.
func TestJobCallbackFixture(t *testing.T) {
	t.Parallel()
	var got JobCallback
	decodeFixture(t, "jobCallback.json", &got)
	want := JobCallback{CategoryID: 13814, CategoryName: "VOD-Callback", FileID: 1163694, FilePath: "",
		EncodingOptionID: 2, OutputType: "AVC_SD_1Pass_30fps_1", Status: JobWaiting}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	// Option 2's documented name is the seeded one.
	if SystemEncodingOptions[1].ID != 2 || SystemEncodingOptions[1].Name != got.OutputType {
		t.Errorf("seeded option 2 is %+v", SystemEncodingOptions[1])
	}
}

// The channel callback of DOC:vodstation-channel-callback.
func TestChannelCallbackFixture(t *testing.T) {
	t.Parallel()
	var got ChannelCallback
	decodeFixture(t, "channelCallback.json", &got)
	if got != (ChannelCallback{ID: "vs-20250821095732-abcdefg", Name: "ch-callback", ChannelStatus: ChannelReady}) {
		t.Errorf("got %+v", got)
	}
}

// The cdn-to-edge body of DOC:vodstation-channel-cdn-change.
func TestCdnToEdgeFixture(t *testing.T) {
	t.Parallel()
	var got CdnToEdgeRequest
	decodeFixture(t, "cdnToEdge.json", &got)
	if got.Cdn != (ChannelCdn{ProfileID: 1599, RegionType: "KOREA"}) {
		t.Errorf("got %+v", got)
	}
}

// The tutorial's add-files body (BLOG-VOD), with notificationUrl.
func TestAddFilesTutorialFixture(t *testing.T) {
	t.Parallel()
	var got AddFilesRequest
	decodeFixture(t, "addFilesTutorial.json", &got)
	if got.BucketName != "vod-input" || !reflect.DeepEqual(got.PathList, []string{"upload/sample.mp4"}) ||
		got.NotificationURL != "https://example.com/callback" || got.Notification != "" {
		t.Errorf("got %+v", got)
	}
	out, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"bucketName":"vod-input","pathList":["upload/sample.mp4"],"notificationUrl":"https://example.com/callback"}` {
		t.Errorf("re-encoded as %s", out)
	}
}

// A category list item with every documented field (DOC:vodstation-category-list).
func TestCategoryListFixture(t *testing.T) {
	t.Parallel()
	var got list[Category]
	decodeFixture(t, "categoryList.json", &got)
	want := Category{ID: 13814, Name: "VOD-Callback", EncodingOptions: []int64{1, 2, 3}, EncodingOptionTemplateID: ptr[int64](1),
		Thumbnail: true, NotificationURL: "https://example.com/callback",
		Output: Output{BucketName: "vod-output", FilePath: "/vod", AccessControl: AccessPrivate, ThumbnailAccessControl: AccessPublicRead,
			ThumbnailBucketName: "vod-thumb", ThumbnailFilePath: "/thumb"},
		LastWorkStart: ptr[int64](1700000000000)}
	if got.Total == nil || *got.Total != 30 || len(got.Content) != 1 || !reflect.DeepEqual(got.Content[0], want) {
		t.Errorf("got %+v", got)
	}
}

// A category create body with every documented field (DOC:vodstation-category-create).
func TestCategoryCreateFixture(t *testing.T) {
	t.Parallel()
	var got CategoryRequest
	decodeFixture(t, "categoryCreate.json", &got)
	if got.Name != "VOD-Callback" || got.Output == nil || got.Output.ThumbnailBucketName != "vod-thumb" ||
		got.Thumbnail == nil || !*got.Thumbnail || got.NotificationURL == nil || got.EncodingOptionTemplateID == nil {
		t.Errorf("got %+v", got)
	}
}

// A channel create body with every documented field (DOC:vodstation-channel-create).
func TestChannelCreateFixture(t *testing.T) {
	t.Parallel()
	var got CreateChannelRequest
	decodeFixture(t, "channelCreate.json", &got)
	if got.Name != "my-channel" || got.CreateCdn == nil || !*got.CreateCdn || got.Cdn == nil ||
		*got.Cdn != (ChannelCdn{ProfileID: 1599, RegionType: "KOREA", Type: CdnTypeGlobalEdge}) ||
		!reflect.DeepEqual(got.ProtocolList, []string{ProtocolHLS, ProtocolDASH}) || got.SegmentDuration != 5 {
		t.Errorf("got %+v", got)
	}
}

// A channel as DOC:vodstation-channel-info lists its fields.
func TestChannelInfoFixture(t *testing.T) {
	t.Parallel()
	var got one[Channel]
	decodeFixture(t, "channelInfo.json", &got)
	c := got.Content
	if c.ID != "vs-20250821095732-abcdefg" || c.ChannelStatus != ChannelReady || c.EncryptedBucketName != "a1b2c3d4e5f6" ||
		c.CdnDomain != "lurn5qzs123.edge.naverncp.com" || c.CdnStatus != "RUNNING" || c.ReadyTime == nil {
		t.Errorf("got %+v", c)
	}
}

// An encoding option as DOC:vodstation-encodingoption-list lists its fields,
// and the get answer with defaultSet beside content.
func TestEncodingOptionFixtures(t *testing.T) {
	t.Parallel()
	var l list[EncodingOption]
	decodeFixture(t, "encodingOptionList.json", &l)
	if len(l.Content) != 1 || !reflect.DeepEqual(l.Content[0], SystemEncodingOptions[0]) {
		t.Errorf("list %+v, seeded %+v", l.Content, SystemEncodingOptions[0])
	}
	var g EncodingOptionResponse
	decodeFixture(t, "encodingOptionGet.json", &g)
	if !g.DefaultSet || g.Content.ID != 3 || g.Content.Name != "AVC_HD_1Pass_30fps" || g.Content.Video.Width != 1280 {
		t.Errorf("get %+v", g)
	}
}

// The status-by-file answer of DOC:vodstation-status-info-list.
func TestStatusByFileFixture(t *testing.T) {
	t.Parallel()
	var got FileStatusResponse
	decodeFixture(t, "statusByFile.json", &got)
	if got.CategoryID != 13814 || got.CategoryName != "VOD-Callback" || got.Content.Input.FileID != 1163694 ||
		got.Content.Input.Metadata == nil || got.Content.Input.Metadata.Width != 1920 {
		t.Errorf("got %+v", got)
	}
}

// The failure example of DOC:vodstation (ja).
func TestErrorFixture(t *testing.T) {
	t.Parallel()
	var got apigw.ErrorEnvelope
	decodeFixture(t, "errorNotFound.json", &got)
	if got.Error.ErrorCode != "300" || got.Error.Message != "Not Found Exception" {
		t.Errorf("got %+v", got)
	}
}

// The seeded options follow the rules they are checked by.
func TestSeededOptionsFollowTheRules(t *testing.T) {
	t.Parallel()
	seen := map[int64]bool{}
	for _, o := range SystemEncodingOptions {
		if seen[o.ID] || o.Name == "" || o.Format != FormatMP4 || (o.EncodingOptionType == OptionTypeNormal) != (o.Video != nil) || o.Audio == nil {
			t.Errorf("seeded option %+v", o)
		}
		seen[o.ID] = true
	}
	for _, tpl := range EncodingTemplates {
		for _, id := range tpl.EncodingOptionIDs {
			if !seen[id] {
				t.Errorf("template %d names option %d, which is not seeded", tpl.ID, id)
			}
		}
	}
}
