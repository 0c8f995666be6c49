package vodstation_test

import (
	"context"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vodstation"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

var ctx = context.Background()

func i64(v int64) *int64   { return &v }
func str(v string) *string { return &v }
func yes() *bool           { v := true; return &v }
func no() *bool            { v := false; return &v }

func TestCategories(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	f.bucket(t, f.s3a, "vod-out")
	f.bucket(t, f.s3b, "other-out")

	// A template gives its options; the folder named after the category
	// appears under the output path.
	cat, err := f.a.CreateCategory(ctx, wire.CategoryRequest{Name: "movies", EncodingOptionTemplateID: i64(1),
		Output: &wire.Output{BucketName: "vod-out", FilePath: "/vod"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cat.EncodingOptions, []int64{1, 2, 3}) || cat.Output.AccessControl != wire.AccessPrivate ||
		cat.Output.ThumbnailBucketName != "vod-out" || cat.Output.ThumbnailFilePath != "/vod" {
		t.Errorf("created %+v", cat)
	}
	if !f.exists("vod-out", "vod/movies/") {
		t.Error("no folder vod/movies/ in the output bucket")
	}
	got, err := f.a.GetCategory(ctx, cat.ID)
	if err != nil || !reflect.DeepEqual(got, cat) {
		t.Errorf("get %+v, %v; created %+v", got, err, cat)
	}

	// Preconditions and codes.
	for name, tc := range map[string]struct {
		req  wire.CategoryRequest
		code string
	}{
		"unknown bucket":           {wire.CategoryRequest{Name: "x", EncodingOptions: []int64{1}, Output: &wire.Output{BucketName: "nope", FilePath: "/v"}}, wire.CodeInvalidBucketName},
		"other account's bucket":   {wire.CategoryRequest{Name: "x", EncodingOptions: []int64{1}, Output: &wire.Output{BucketName: "other-out", FilePath: "/v"}}, wire.CodeInvalidBucketName},
		"unknown thumbnail bucket": {wire.CategoryRequest{Name: "x", EncodingOptions: []int64{1}, Output: &wire.Output{BucketName: "vod-out", FilePath: "/v", ThumbnailBucketName: "nope"}}, wire.CodeInvalidBucketName},
		"no output":                {wire.CategoryRequest{Name: "x", EncodingOptions: []int64{1}}, wire.CodeInvalidInput},
		"no name":                  {wire.CategoryRequest{EncodingOptions: []int64{1}, Output: &wire.Output{BucketName: "vod-out", FilePath: "/v"}}, wire.CodeInvalidInput},
		"bad path":                 {wire.CategoryRequest{Name: "x", EncodingOptions: []int64{1}, Output: &wire.Output{BucketName: "vod-out", FilePath: "/a*b"}}, wire.CodeInvalidValue},
		"long path":                {wire.CategoryRequest{Name: "x", EncodingOptions: []int64{1}, Output: &wire.Output{BucketName: "vod-out", FilePath: strings.Repeat("a", 257)}}, wire.CodeInvalidValue},
		"no options":               {wire.CategoryRequest{Name: "x", Output: &wire.Output{BucketName: "vod-out", FilePath: "/v"}}, wire.CodeInvalidInput},
		"unknown option":           {wire.CategoryRequest{Name: "x", EncodingOptions: []int64{999}, Output: &wire.Output{BucketName: "vod-out", FilePath: "/v"}}, wire.CodeInvalidValue},
		"option not in template":   {wire.CategoryRequest{Name: "x", EncodingOptionTemplateID: i64(1), EncodingOptions: []int64{4}, Output: &wire.Output{BucketName: "vod-out", FilePath: "/v"}}, wire.CodeInvalidValue},
		"unknown template":         {wire.CategoryRequest{Name: "x", EncodingOptionTemplateID: i64(9), Output: &wire.Output{BucketName: "vod-out", FilePath: "/v"}}, wire.CodeInvalidValue},
		"bad access control":       {wire.CategoryRequest{Name: "x", EncodingOptions: []int64{1}, Output: &wire.Output{BucketName: "vod-out", FilePath: "/v", AccessControl: "OPEN"}}, wire.CodeInvalidValue},
		"bad notification url":     {wire.CategoryRequest{Name: "x", EncodingOptions: []int64{1}, NotificationURL: str("ftp://x"), Output: &wire.Output{BucketName: "vod-out", FilePath: "/v"}}, wire.CodeInvalidValue},
	} {
		_, err := f.a.CreateCategory(ctx, tc.req)
		t.Run(name, func(t *testing.T) { wantCode(t, err, tc.code, http.StatusBadRequest) })
	}

	// Update: everything but the name.
	up, err := f.a.UpdateCategory(ctx, cat.ID, wire.CategoryRequest{EncodingOptions: []int64{2, 3}, Thumbnail: yes(),
		NotificationURL: str("https://example.com/cb"), Output: &wire.Output{BucketName: "vod-out", FilePath: "/v2", AccessControl: wire.AccessPublicRead}})
	if err != nil {
		t.Fatal(err)
	}
	if up.Name != "movies" || !slices.Equal(up.EncodingOptions, []int64{2, 3}) || up.EncodingOptionTemplateID != nil || !up.Thumbnail ||
		up.Output.FilePath != "/v2" || up.Output.AccessControl != wire.AccessPublicRead || up.NotificationURL != "https://example.com/cb" {
		t.Errorf("updated %+v", up)
	}
	if !f.exists("vod-out", "v2/movies/") {
		t.Error("no folder v2/movies/ after the path changed")
	}
	// The raw API refuses a new name.
	_, err = f.coreA.DoJSON(ctx, &client.JSONRequest{API: vodclient.API, Operation: "updateCategory", Method: http.MethodPut,
		Path: wire.PathCategory, PathParams: []string{"13801"}, Body: wire.CategoryRequest{Name: "renamed", EncodingOptions: []int64{1},
			Output: &wire.Output{BucketName: "vod-out", FilePath: "/v"}}}, nil)
	if cat.ID == 13801 {
		wantCode(t, err, wire.CodeInvalidInput, http.StatusBadRequest)
	}

	// Paging.
	for i := range 3 {
		if _, err := f.a.CreateCategory(ctx, wire.CategoryRequest{Name: "c" + string(rune('a'+i)), EncodingOptions: []int64{1},
			Output: &wire.Output{BucketName: "vod-out", FilePath: "/p"}}); err != nil {
			t.Fatal(err)
		}
	}
	page, total, err := f.a.ListCategories(ctx, vodclient.Page{No: 2, Size: 3})
	if err != nil || total != 4 || len(page) != 1 || page[0].Name != "cc" {
		t.Errorf("page 2 of 3: %+v total %d, %v", page, total, err)
	}
	_, _, err = f.coreListCategories("0")
	wantCode(t, err, wire.CodeInvalidPageNo, http.StatusBadRequest)

	// Accounts are apart.
	if _, err := f.b.GetCategory(ctx, cat.ID); !client.IsNotFound(err) {
		t.Errorf("account b sees a's category: %v", err)
	}
	if list, _, _ := f.b.ListCategories(ctx, vodclient.Page{}); len(list) != 0 {
		t.Errorf("account b lists %+v", list)
	}

	// Delete; then it is gone.
	if err := f.a.DeleteCategory(ctx, cat.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.a.GetCategory(ctx, cat.ID)
	wantCode(t, err, wire.CodeNotFound, http.StatusNotFound)
	wantCode(t, f.a.DeleteCategory(ctx, cat.ID), wire.CodeNotFound, http.StatusNotFound)
}

func (f *fixture) coreListCategories(pageNo string) ([]wire.Category, int, error) {
	var out []wire.Category
	resp, err := f.coreA.DoJSON(ctx, &client.JSONRequest{API: vodclient.API, Operation: "getCategoryList", Path: wire.PathCategories,
		Query: map[string][]string{"pageNo": {pageNo}}}, &out)
	if err != nil {
		return nil, 0, err
	}
	return out, resp.Total, nil
}

func TestEncodingOptions(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	list, err := f.a.ListEncodingOptions(ctx)
	if err != nil || len(list) != len(wire.SystemEncodingOptions) || list[0].Name != "AVC_SD_1Pass_30fps" || list[2].ID != 3 {
		t.Fatalf("list %+v, %v", list, err)
	}
	o, def, err := f.a.GetEncodingOption(ctx, 2)
	if err != nil || !def || o.Name != "AVC_SD_1Pass_30fps_1" {
		t.Errorf("get 2: %+v %v %v", o, def, err)
	}
	tpls, err := f.a.ListEncodingTemplates(ctx)
	if err != nil || !reflect.DeepEqual(tpls, wire.EncodingTemplates) {
		t.Errorf("templates %+v, %v", tpls, err)
	}

	custom := wire.CreateEncodingOptionRequest{Name: "my_720p:v1", Video: &wire.Video{Codec: "AVC", CodecOptions: &wire.CodecOptions{Profile: "HIGH", Level: "4.1"},
		Bitrate: 2500, Width: 1280, Height: 720, Framerate: 30, KeyframeInterval: 60, RateControl: "CBR"},
		Audio: &wire.Audio{Codec: "AAC", Channel: "2", Bitrate: 128, SamplingRate: 48000}}
	c1, err := f.a.CreateEncodingOption(ctx, custom)
	if err != nil || c1.EncodingOptionType != wire.OptionTypeNormal || c1.Format != wire.FormatMP4 || c1.Video.Width != 1280 {
		t.Fatalf("create %+v, %v", c1, err)
	}
	if _, def, err := f.a.GetEncodingOption(ctx, c1.ID); err != nil || def {
		t.Errorf("custom option: defaultSet %v, %v", def, err)
	}
	if _, _, err := f.b.GetEncodingOption(ctx, c1.ID); !client.IsNotFound(err) {
		t.Errorf("account b sees a's option: %v", err)
	}
	audio, err := f.a.CreateEncodingOption(ctx, wire.CreateEncodingOptionRequest{EncodingOptionType: wire.OptionTypeAudio, Name: "voice", Audio: &wire.Audio{Codec: "AAC", Bitrate: 64}})
	if err != nil {
		t.Fatal(err)
	}

	for name, mutate := range map[string]func(r *wire.CreateEncodingOptionRequest){
		"short name":       func(r *wire.CreateEncodingOptionRequest) { r.Name = "ab" },
		"bad name":         func(r *wire.CreateEncodingOptionRequest) { r.Name = "a b c" },
		"bad type":         func(r *wire.CreateEncodingOptionRequest) { r.EncodingOptionType = "VIDEO" },
		"bad format":       func(r *wire.CreateEncodingOptionRequest) { r.Format = "MKV" },
		"bad codec":        func(r *wire.CreateEncodingOptionRequest) { r.Video.Codec = "HEVC" },
		"bad profile":      func(r *wire.CreateEncodingOptionRequest) { r.Video.CodecOptions.Profile = "EXTREME" },
		"bad width":        func(r *wire.CreateEncodingOptionRequest) { r.Video.Width = 9000 },
		"bad audio rate":   func(r *wire.CreateEncodingOptionRequest) { r.Audio.Bitrate = 500 },
		"bad channel":      func(r *wire.CreateEncodingOptionRequest) { r.Audio.Channel = "5.1" },
		"audio with video": func(r *wire.CreateEncodingOptionRequest) { r.EncodingOptionType = wire.OptionTypeAudio },
	} {
		req := custom
		v, co, a := *custom.Video, *custom.Video.CodecOptions, *custom.Audio
		v.CodecOptions = &co
		req.Video, req.Audio = &v, &a
		mutate(&req)
		_, err := f.a.CreateEncodingOption(ctx, req)
		t.Run(name, func(t *testing.T) { wantCode(t, err, wire.CodeInvalidValue, http.StatusBadRequest) })
	}
	_, err = f.a.CreateEncodingOption(ctx, wire.CreateEncodingOptionRequest{Name: "novideo", Audio: custom.Audio})
	wantCode(t, err, wire.CodeInvalidInput, http.StatusBadRequest)

	// Both delete paths; system options cannot be deleted.
	if err := f.a.DeleteEncodingOption(ctx, c1.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.coreA.DoJSON(ctx, &client.JSONRequest{API: vodclient.API, Operation: "deleteEncodingOption", Method: http.MethodDelete,
		Path: wire.PathEncodingOption, PathParams: []string{strings.TrimSpace(itoa(audio.ID))}}, nil); err != nil {
		t.Fatalf("delete on /encoding-option/{id}: %v", err)
	}
	wantCode(t, f.a.DeleteEncodingOption(ctx, c1.ID), wire.CodeNotFound, http.StatusNotFound)
	wantCode(t, f.a.DeleteEncodingOption(ctx, 1), wire.CodeNoPermission, http.StatusForbidden)
	if list, _ := f.a.ListEncodingOptions(ctx); len(list) != len(wire.SystemEncodingOptions) {
		t.Errorf("%d options left, want the %d system ones", len(list), len(wire.SystemEncodingOptions))
	}
	if p, err := f.a.ListProtocols(ctx); err != nil || len(p) != 2 || p[0].Name != "HLS" {
		t.Errorf("protocols %+v, %v", p, err)
	}
}

func itoa(n int64) string { return strings.TrimSpace(strings.Repeat(" ", 0) + formatInt(n)) }

func formatInt(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// channel creates a channel request on bucket.
func channelReq(name, bucket string) wire.CreateChannelRequest {
	return wire.CreateChannelRequest{Name: name, StorageBucketName: bucket, ProtocolList: []string{wire.ProtocolHLS}, SegmentDuration: 5, CreateCdn: no()}
}

func TestChannelStatesAndPreconditions(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	f.bucket(t, f.s3a, "stream")
	if err := f.srv.Transitions().Set(emu.TransitionSetting{Kind: vodstation.ChannelKind.Name, Progression: emu.ProgressManual}); err != nil {
		t.Fatal(err)
	}
	req := channelReq("my-channel", "stream")
	req.NotificationURL = f.callback.URL
	ch, err := f.a.CreateChannel(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ch.ID, "vs-") || len(ch.ID) != len("vs-20250821095732-abcdefg") || ch.ChannelStatus != wire.ChannelCreating ||
		ch.EncryptedBucketName == "" || ch.CdnStatus != wire.CdnStatusNone || ch.SegmentDurationOption != wire.SegmentDurationBasic ||
		ch.ReadyTime != nil || ch.CreateTime == nil || !strings.Contains(ch.PlayURL, "/hls/"+ch.EncryptedBucketName+"/") {
		t.Errorf("created %+v", ch)
	}
	status := func(want string) {
		t.Helper()
		got, err := f.a.GetChannel(ctx, ch.ID)
		if err != nil || got.ChannelStatus != want {
			t.Fatalf("status %+v, %v; want %s", got, err, want)
		}
	}
	advance := func() {
		t.Helper()
		if _, err := f.srv.Advance(emu.AdvanceFilter{}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = f.a.StopChannel(ctx, ch.ID)
	wantCode(t, err, wire.CodeStopOnlyWhenReady, http.StatusBadRequest)
	wantCode(t, f.a.DeleteChannel(ctx, ch.ID), wire.CodeDeleteOnlyWhenStopped, http.StatusBadRequest)
	advance()
	status(wire.ChannelReady)
	_, err = f.a.StartChannel(ctx, ch.ID)
	wantCode(t, err, wire.CodeStartOnlyWhenStopped, http.StatusBadRequest)
	wantCode(t, f.a.DeleteChannel(ctx, ch.ID), wire.CodeDeleteOnlyWhenStopped, http.StatusBadRequest)
	if got, err := f.a.GetChannel(ctx, ch.ID); err != nil || got.ReadyTime == nil {
		t.Errorf("a READY channel has no readyTime: %+v %v", got, err)
	}

	// Update in place while READY.
	up, err := f.a.UpdateChannel(ctx, ch.ID, wire.UpdateChannelRequest{Name: "renamed", ProtocolList: []string{"HLS", "DASH"}, SegmentDuration: 10})
	if err != nil || up.Name != "renamed" || up.SegmentDuration != 10 || len(up.ProtocolList) != 2 {
		t.Fatalf("update %+v, %v", up, err)
	}
	_, err = f.a.UpdateChannel(ctx, ch.ID, wire.UpdateChannelRequest{SegmentDuration: 30})
	wantCode(t, err, wire.CodeInvalidSegmentDuration, http.StatusBadRequest)

	if got, err := f.a.StopChannel(ctx, ch.ID); err != nil || got.ChannelStatus != wire.ChannelStopping {
		t.Fatalf("stop %+v, %v", got, err)
	}
	_, err = f.a.StopChannel(ctx, ch.ID)
	wantCode(t, err, wire.CodeStopOnlyWhenReady, http.StatusBadRequest)
	advance()
	status(wire.ChannelStopped)
	if got, err := f.a.StartChannel(ctx, ch.ID); err != nil || got.ChannelStatus != wire.ChannelStarting {
		t.Fatalf("start %+v, %v", got, err)
	}
	advance()
	status(wire.ChannelReady)
	if _, err := f.a.StopChannel(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	advance()
	if err := f.a.DeleteChannel(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	status(wire.ChannelTerminating)
	advance()
	_, err = f.a.GetChannel(ctx, ch.ID)
	wantCode(t, err, wire.CodeNotFound, http.StatusNotFound)
	_, err = f.a.GetChannel(ctx, "not-a-channel")
	wantCode(t, err, wire.CodeInvalidChannelID, 0)

	// The callbacks follow every status (ncp-api.md §2.4).
	want := []string{"CREATING", "READY", "STOPPING", "STOPPED", "STARTING", "READY", "STOPPING", "STOPPED", "TERMINATING", "TERMINATED"}
	waitFor(t, "the channel callbacks", func() bool { return f.callback.count() >= len(want) })
	var got []string
	for _, cb := range decoded[wire.ChannelCallback](f.callback) {
		if cb.ID != ch.ID {
			t.Errorf("callback for %s", cb.ID)
		}
		got = append(got, cb.ChannelStatus)
	}
	// Watchers run concurrently: compare as multisets.
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("callback statuses %v, want %v", got, want)
	}
}

func TestChannelEventsAndValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	f.bucket(t, f.s3a, "stream")
	f.bucket(t, f.s3b, "theirs")
	ch, err := f.a.CreateChannel(ctx, channelReq("events", "stream"))
	if err != nil {
		t.Fatal(err)
	}
	if ch.ChannelStatus != wire.ChannelReady { // async delay 0: immediate
		t.Errorf("status %s", ch.ChannelStatus)
	}
	if _, err := f.a.StopChannel(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	events, total, err := f.a.ChannelEvents(ctx, ch.ID, vodclient.Page{})
	if err != nil || total != 2 || events[0].EventType != "STOP" || events[1].EventType != "CREATE" {
		t.Errorf("events %+v total %d, %v", events, total, err)
	}
	for name, tc := range map[string]struct {
		mutate func(*wire.CreateChannelRequest)
		code   string
	}{
		"short name":     {func(r *wire.CreateChannelRequest) { r.Name = "ab" }, wire.CodeInvalidChannelName},
		"long name":      {func(r *wire.CreateChannelRequest) { r.Name = strings.Repeat("a", 21) }, wire.CodeInvalidChannelName},
		"name with _":    {func(r *wire.CreateChannelRequest) { r.Name = "my_channel" }, wire.CodeInvalidChannelName},
		"segment 4":      {func(r *wire.CreateChannelRequest) { r.SegmentDuration = 4 }, wire.CodeInvalidSegmentDuration},
		"segment 21":     {func(r *wire.CreateChannelRequest) { r.SegmentDuration = 21 }, wire.CodeInvalidSegmentDuration},
		"no protocol":    {func(r *wire.CreateChannelRequest) { r.ProtocolList = nil }, wire.CodeEmptyProtocolList},
		"bad protocol":   {func(r *wire.CreateChannelRequest) { r.ProtocolList = []string{"RTMP"} }, wire.CodeUnsupportedProtocol},
		"unknown bucket": {func(r *wire.CreateChannelRequest) { r.StorageBucketName = "nope" }, wire.CodeInvalidBucketName},
		"other's bucket": {func(r *wire.CreateChannelRequest) { r.StorageBucketName = "theirs" }, wire.CodeInvalidBucketName},
		"cdn type": {func(r *wire.CreateChannelRequest) {
			r.CreateCdn = yes()
			r.Cdn = &wire.ChannelCdn{ProfileID: 1, RegionType: "KOREA", Type: "CDN_PLUS"}
		}, wire.CodeUnsupportedCdnType},
		"cdn missing":  {func(r *wire.CreateChannelRequest) { r.CreateCdn = yes() }, wire.CodeInvalidInput},
		"no createCdn": {func(r *wire.CreateChannelRequest) { r.CreateCdn = nil }, wire.CodeInvalidInput},
		"unknown profile": {func(r *wire.CreateChannelRequest) {
			r.CreateCdn = yes()
			r.Cdn = &wire.ChannelCdn{ProfileID: 1, RegionType: "KOREA"}
		}, wire.CodeInvalidValue},
		"bad region": {func(r *wire.CreateChannelRequest) {
			r.CreateCdn = yes()
			r.Cdn = &wire.ChannelCdn{ProfileID: 1, RegionType: "MARS"}
		}, wire.CodeInvalidValue},
	} {
		req := channelReq("valid", "stream")
		tc.mutate(&req)
		_, err := f.a.CreateChannel(ctx, req)
		t.Run(name, func(t *testing.T) { wantCode(t, err, tc.code, http.StatusBadRequest) })
	}
	// An unknown field of the body is refused with the field named.
	_, err = f.coreA.DoJSON(ctx, &client.JSONRequest{API: vodclient.API, Operation: "createChannel", Method: http.MethodPost, Path: wire.PathChannels,
		Body: map[string]any{"channelName": "x"}, Idempotency: client.NotIdempotent}, nil)
	wantCode(t, err, wire.CodeInvalidRequestData, http.StatusBadRequest)
	if err == nil || !strings.Contains(err.Error(), "channelName") {
		t.Errorf("error does not name the field: %v", err)
	}
	if _, err := f.b.GetChannel(ctx, ch.ID); !client.IsNotFound(err) {
		t.Errorf("account b sees a's channel: %v", err)
	}
}

func TestChannelCdn(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	f.bucket(t, f.s3a, "stream")
	profile := f.edges.AddProfile("acct-a")
	req := channelReq("with-cdn", "stream")
	req.CreateCdn, req.Cdn = yes(), &wire.ChannelCdn{ProfileID: profile, RegionType: "KOREA"}
	ch, err := f.a.CreateChannel(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	edges := f.edges.Edges("acct-a")
	if len(edges) != 1 || ch.CdnEdgeID == nil {
		t.Fatalf("edges %+v, channel %+v", edges, ch)
	}
	e := edges[*ch.CdnEdgeID]
	if e.OriginBucket != "stream" || e.ProfileID != profile || e.RegionType != "KOREA" || e.ChannelID != ch.ID || !strings.HasPrefix(e.Name, "vod-with-cdn-") {
		t.Errorf("edge request %+v", e)
	}
	if ch.CdnDomain == "" || ch.CdnStatus != "PUBLISHING" || !strings.HasPrefix(ch.PlayURL, "https://"+ch.CdnDomain+"/hls/") || ch.CdnType != wire.CdnTypeGlobalEdge {
		t.Errorf("channel %+v", ch)
	}
	if got, _ := f.a.GetChannel(ctx, ch.ID); got.CdnStatus != "RUNNING" {
		t.Errorf("cdnStatus %q, want Global Edge's RUNNING", got.CdnStatus)
	}
	// cdn-to-edge: only STOPPED, and not for a channel with an edge.
	plain, err := f.a.CreateChannel(ctx, channelReq("plain", "stream"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.a.CdnToEdge(ctx, plain.ID, wire.ChannelCdn{ProfileID: profile, RegionType: "GLOBAL"})
	wantCode(t, err, wire.CodeRequestFailed, http.StatusBadRequest)
	if _, err := f.a.StopChannel(ctx, plain.ID); err != nil {
		t.Fatal(err)
	}
	moved, err := f.a.CdnToEdge(ctx, plain.ID, wire.ChannelCdn{ProfileID: profile, RegionType: "GLOBAL"})
	if err != nil || moved.CdnDomain == "" || moved.CdnRegionType != "GLOBAL" {
		t.Fatalf("cdn-to-edge %+v, %v", moved, err)
	}
	_, err = f.a.CdnToEdge(ctx, plain.ID, wire.ChannelCdn{ProfileID: profile, RegionType: "GLOBAL"})
	wantCode(t, err, wire.CodeCdnPlusOnly, http.StatusBadRequest)
	// Deleting the channel leaves its edge.
	if _, err := f.a.StopChannel(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.a.DeleteChannel(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(f.edges.Edges("acct-a")); n != 2 {
		t.Errorf("%d edges after the channel's deletion, want 2", n)
	}
}

// recordingEncoder is a plugged-in encoder: it records its jobs, writes a
// rendition and fails inputs named "bad".
type recordingEncoder struct {
	jobs chan vodstation.EncodeJob
	w    func(account, bucket, key string) error
}

func (e *recordingEncoder) Encode(_ context.Context, job vodstation.EncodeJob, progress func(int)) (vodstation.EncodeResult, error) {
	e.jobs <- job
	progress(100)
	if strings.Contains(job.InputKey, "bad") {
		return vodstation.EncodeResult{}, errString("cannot decode the input")
	}
	if err := e.w(job.Account, job.OutputBucket, job.OutputKey); err != nil {
		return vodstation.EncodeResult{}, err
	}
	return vodstation.EncodeResult{Metadata: &wire.MediaMetadata{Duration: 3, Width: 640, Height: 360, VideoCodec: "h264"}}, nil
}

type errString string

func (e errString) Error() string { return string(e) }

func TestAddFilesJobsAndCallbacks(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 30*time.Millisecond)
	f.bucket(t, f.s3a, "upload")
	f.bucket(t, f.s3a, "vod-out")
	f.put(t, "upload", "in/movie.mp4", "not really a movie")
	cat, err := f.a.CreateCategory(ctx, wire.CategoryRequest{Name: "films", EncodingOptionTemplateID: i64(1), NotificationURL: str(f.callback.URL),
		Output: &wire.Output{BucketName: "vod-out", FilePath: "/vod"}})
	if err != nil {
		t.Fatal(err)
	}
	// The tutorial's body: notificationUrl instead of notification.
	added, err := f.a.AddFiles(ctx, cat.ID, wire.AddFilesRequest{BucketName: "upload", PathList: []string{"in/movie.mp4", "in/missing.mp4"}, NotificationURL: f.callback.URL})
	if err != nil || len(added) != 2 || added[0].ID == added[1].ID {
		t.Fatalf("add-files %+v, %v", added, err)
	}
	done := func(id int64) func() bool {
		return func() bool {
			st, err := f.a.GetFileStatus(ctx, id)
			if err != nil {
				return false
			}
			for _, o := range st.Content.Output {
				if o.Status != wire.JobComplete && o.Status != wire.JobFailure {
					return false
				}
			}
			return true
		}
	}
	waitFor(t, "the jobs", done(added[0].ID))
	waitFor(t, "the failing jobs", done(added[1].ID))
	st, err := f.a.GetFileStatus(ctx, added[0].ID)
	if err != nil || st.CategoryID != cat.ID || st.CategoryName != "films" || st.Content.Input.FilePath != "in/movie.mp4" || len(st.Content.Output) != 3 {
		t.Fatalf("status %+v, %v", st, err)
	}
	for _, o := range st.Content.Output {
		if o.Status != wire.JobComplete || o.Link == "" || !strings.HasPrefix(o.FilePath, "/vod/films/movie_") || o.Progress != 100 || o.WorkEndTime == nil {
			t.Errorf("job %+v", o)
		}
	}
	bad, _ := f.a.GetFileStatus(ctx, added[1].ID)
	for _, o := range bad.Content.Output {
		if o.Status != wire.JobFailure || o.FailureReason == "" || o.Link != "" {
			t.Errorf("job of a missing input %+v", o)
		}
	}
	// 2 files × 3 options × (WAITING, RUNNING, COMPLETE|FAILURE).
	waitFor(t, "the job callbacks", func() bool { return f.callback.count() >= 18 })
	counts := map[string]int{}
	for _, cb := range decoded[wire.JobCallback](f.callback) {
		counts[cb.Status]++
		if cb.CategoryID != cat.ID || cb.CategoryName != "films" || cb.OutputType == "" {
			t.Errorf("callback %+v", cb)
		}
		if (cb.Status == wire.JobWaiting) != (cb.FilePath == "") || (cb.Status == wire.JobComplete) != (cb.Link != "") {
			t.Errorf("callback %+v: filePath is empty only while WAITING, link set only when COMPLETE", cb)
		}
	}
	if counts[wire.JobWaiting] != 6 || counts[wire.JobRunning] != 6 || counts[wire.JobComplete] != 3 || counts[wire.JobFailure] != 3 {
		t.Errorf("callbacks by status %v", counts)
	}
	items, total, err := f.a.ListStatus(ctx, vodclient.StatusFilter{})
	if err != nil || total != 6 || len(items) != 6 {
		t.Errorf("status list %d of %d, %v", len(items), total, err)
	}
	if got, _ := f.a.GetCategory(ctx, cat.ID); got.LastWorkStart == nil {
		t.Error("lastWorkStart not set")
	}

	// Request checks.
	for name, tc := range map[string]struct {
		req  wire.AddFilesRequest
		code string
	}{
		"both inputs":    {wire.AddFilesRequest{BucketName: "upload", PathList: []string{"a.mp4"}, HTTPDownloadURLList: []string{"https://x/a.mp4"}}, wire.CodeInvalidInput},
		"no input":       {wire.AddFilesRequest{BucketName: "upload"}, wire.CodeInvalidInput},
		"101 files":      {wire.AddFilesRequest{BucketName: "upload", PathList: slices.Repeat([]string{"a.mp4"}, 101)}, wire.CodeInvalidInput},
		"unknown bucket": {wire.AddFilesRequest{BucketName: "nope", PathList: []string{"a.mp4"}}, wire.CodeInvalidBucketName},
		"bad extension":  {wire.AddFilesRequest{HTTPDownloadURLList: []string{"https://example.com/a.txt"}}, wire.CodeInvalidValue},
		"two callbacks":  {wire.AddFilesRequest{BucketName: "upload", PathList: []string{"a.mp4"}, Notification: "https://a/x", NotificationURL: "https://b/y"}, wire.CodeInvalidInput},
	} {
		_, err := f.a.AddFiles(ctx, cat.ID, tc.req)
		t.Run(name, func(t *testing.T) { wantCode(t, err, tc.code, http.StatusBadRequest) })
	}
	_, err = f.a.AddFiles(ctx, 999999, wire.AddFilesRequest{BucketName: "upload", PathList: []string{"a.mp4"}})
	wantCode(t, err, wire.CodeNotFound, http.StatusNotFound)
	_, err = f.a.GetFileStatus(ctx, 42)
	wantCode(t, err, wire.CodeNotFound, http.StatusNotFound)
	_, _, err = f.a.ListStatus(ctx, vodclient.StatusFilter{Page: vodclient.Page{}, WorkStartTimeFrom: -1})
	if err != nil {
		t.Errorf("a negative bound is left out by the client: %v", err)
	}

	// The encoding history is not an object of the inventory: once the
	// category is deleted nothing is left there, while the status API
	// still lists the jobs.
	if err := f.a.DeleteCategory(ctx, cat.ID); err != nil {
		t.Fatal(err)
	}
	if inv, ok := f.srv.Inventory().Accounts["acct-a"][vodstation.ServiceName]; ok {
		t.Errorf("after the category's deletion the inventory holds %+v", inv)
	}
	if items, _, err := f.a.ListStatus(ctx, vodclient.StatusFilter{}); err != nil || len(items) != 6 {
		t.Errorf("status list after the category's deletion: %d jobs, %v; want the 6", len(items), err)
	}
}

func TestPluggedEncoder(t *testing.T) {
	t.Parallel()
	enc := &recordingEncoder{jobs: make(chan vodstation.EncodeJob, 10)}
	f := newFixture(t, 0, vodstation.WithEncoder(enc))
	enc.w = func(account, bucket, key string) error {
		if account != "acct-a" {
			return errString("wrong account " + account)
		}
		f.put(t, bucket, key, "rendition")
		return nil
	}
	f.bucket(t, f.s3a, "iox")
	cat, err := f.a.CreateCategory(ctx, wire.CategoryRequest{Name: "cat", EncodingOptions: []int64{3, 6}, Thumbnail: yes(),
		Output: &wire.Output{BucketName: "iox", FilePath: "/out", AccessControl: wire.AccessPublicRead}})
	if err != nil {
		t.Fatal(err)
	}
	added, err := f.a.AddFiles(ctx, cat.ID, wire.AddFilesRequest{BucketName: "iox", PathList: []string{"/src/clip.mov", "src/bad.mp4"},
		Output: &wire.Output{WithoutCategoryName: yes(), ThumbnailAccessControl: wire.AccessPublicRead}})
	if err != nil {
		t.Fatal(err)
	}
	var jobs []vodstation.EncodeJob
	for range 4 {
		select {
		case j := <-enc.jobs:
			jobs = append(jobs, j)
		case <-time.After(5 * time.Second):
			t.Fatal("the encoder got fewer than 4 jobs")
		}
	}
	byKey := map[string]vodstation.EncodeJob{}
	for _, j := range jobs {
		byKey[j.OutputKey] = j
	}
	j := byKey["out/clip_AVC_HD_1Pass_30fps.mp4"]
	if j.InputBucket != "iox" || j.InputKey != "src/clip.mov" || j.Option.ID != 3 || j.OutputBucket != "iox" ||
		j.AccessControl != wire.AccessPublicRead || !j.Thumbnail || j.ThumbnailKey != "out/clip_01.jpg" ||
		j.ThumbnailAccessControl != wire.AccessPublicRead {
		t.Errorf("video job %+v (jobs %+v)", j, jobs)
	}
	if _, ok := byKey["out/clip_AAC_128Kbps.m4a"]; !ok {
		t.Errorf("no audio job among %+v", jobs)
	}
	waitFor(t, "the renditions", func() bool {
		st, err := f.a.GetFileStatus(ctx, added[0].ID)
		return err == nil && st.Content.Output[1].Status == wire.JobComplete
	})
	if !f.exists("iox", "out/clip_AVC_HD_1Pass_30fps.mp4") {
		t.Error("the rendition was not written")
	}
	st, _ := f.a.GetFileStatus(ctx, added[0].ID)
	if st.Content.Input.Metadata == nil || st.Content.Input.Metadata.Width != 640 {
		t.Errorf("input metadata %+v", st.Content.Input.Metadata)
	}
	waitFor(t, "the failure", func() bool {
		st, err := f.a.GetFileStatus(ctx, added[1].ID)
		return err == nil && st.Content.Output[1].Status == wire.JobFailure && st.Content.Output[1].FailureReason == "cannot decode the input"
	})
}

func TestInventoryAndReset(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	f.bucket(t, f.s3a, "inv")
	if _, err := f.a.CreateChannel(ctx, channelReq("inv-ch", "inv")); err != nil {
		t.Fatal(err)
	}
	var inv vodstation.Inventory
	raw := f.srv.Inventory().Accounts["acct-a"][vodstation.ServiceName]
	p, ok := raw.(*vodstation.Inventory)
	if !ok {
		t.Fatalf("inventory %T %+v", raw, raw)
	}
	inv = *p
	if len(inv.Channels) != 1 || inv.Channels[0].Name != "inv-ch" {
		t.Errorf("inventory %+v", inv)
	}
	if _, ok := f.srv.Inventory().Accounts["acct-b"][vodstation.ServiceName]; ok {
		t.Error("account b has a VOD Station inventory")
	}
	if err := f.srv.Reset(); err != nil {
		t.Fatal(err)
	}
	if list, _, _ := f.a.ListChannels(ctx, vodclient.Page{}); len(list) != 0 {
		t.Errorf("channels after reset: %+v", list)
	}
}
