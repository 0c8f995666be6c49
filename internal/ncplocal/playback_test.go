package ncplocal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media/mediatest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/player"
	vodwire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// TestEncodedVideoPlaysThroughTheChannelCdn runs the tutorial's path on the
// default server, with ffmpeg: a file added to a category is encoded into
// the bucket a channel streams through its Global Edge CDN; the player page
// lists it, and its master playlist, media playlist and first segment are
// served at the channel's CDN domain through ncplocal's address. The
// category writes private renditions (its default access control), so the
// channel allows private files, as examples/video-pipeline's does.
func TestEncodedVideoPlaysThroughTheChannelCdn(t *testing.T) {
	t.Parallel()
	mediatest.FFmpeg(t)
	clip, err := os.ReadFile(mediatest.Make(t, t.TempDir(), "clip.mp4", mediatest.Clip{Width: 320, Height: 240, Seconds: 1, FPS: 25, Audio: true}))
	if err != nil {
		t.Fatal(err)
	}
	srv := acctest.StartServer(t)
	c := acctest.NewClient(t, srv, ncplocal.DefaultCredential)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	objects, err := osclient.New(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := objects.CreateBucket(ctx, "media-out"); err != nil {
		t.Fatal(err)
	}
	if _, err := objects.S3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("media-out"), Key: aws.String("in/clip.mp4"),
		Body: bytes.NewReader(clip), ContentType: aws.String("video/mp4")}); err != nil {
		t.Fatal(err)
	}
	profile, err := geclient.New(c).CreateProfile(ctx, "media-profile")
	if err != nil {
		t.Fatal(err)
	}
	vod := vodclient.New(c)
	yes := true
	ch, err := vod.CreateChannel(ctx, vodwire.CreateChannelRequest{Name: "media-channel", StorageBucketName: "media-out", AccessPrivateFiles: &yes,
		ProtocolList: []string{vodwire.ProtocolHLS}, SegmentDuration: 5, CreateCdn: &yes,
		Cdn: &vodwire.ChannelCdn{ProfileID: profile, RegionType: "KOREA"}})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := vod.CreateCategory(ctx, vodwire.CategoryRequest{Name: "media", EncodingOptions: []int64{5},
		Output: &vodwire.Output{BucketName: "media-out", FilePath: "/out"}})
	if err != nil {
		t.Fatal(err)
	}
	added, err := vod.AddFiles(ctx, cat.ID, vodwire.AddFilesRequest{BucketName: "media-out", PathList: []string{"in/clip.mp4"}})
	if err != nil {
		t.Fatal(err)
	}
	for {
		st, err := vod.GetFileStatus(ctx, added[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if s := st.Content.Output[0].Status; s == vodwire.JobFailure {
			t.Fatalf("encoding failed: %+v", st.Content.Output[0])
		} else if s == vodwire.JobComplete {
			break
		}
		sleep(ctx, t)
	}
	ch = waitStreaming(ctx, t, vod, geclient.New(c), ch.ID)

	var catalog struct {
		Videos []player.Video `json:"videos"`
	}
	body := fetch(t, srv.URL()+ncplocal.PlayerPath+"/videos.json", "application/json")
	if err := json.Unmarshal([]byte(body), &catalog); err != nil {
		t.Fatalf("videos.json: %v\n%s", err, body)
	}
	if len(catalog.Videos) != 1 {
		t.Fatalf("the player lists %+v; want the encoded clip", catalog.Videos)
	}
	v := catalog.Videos[0]
	wantPrefix := srv.URL() + "/_ncplocal/cdn/" + ch.CdnDomain + "/hls/" + ch.EncryptedBucketName + "/out/media/clip_"
	if !strings.HasPrefix(v.MasterURL, wantPrefix) || v.Title != "clip.mp4" || len(v.Renditions) != 1 || v.Renditions[0].Name == "" {
		t.Errorf("video %+v; want its master URL under %s", v, wantPrefix)
	}
	master := fetch(t, v.MasterURL, "mpegurl")
	if !strings.HasPrefix(master, "#EXTM3U") {
		t.Fatalf("master playlist:\n%s", master)
	}
	base := v.MasterURL[:strings.LastIndex(v.MasterURL, "/")+1]
	variant := firstURI(t, master)
	media := fetch(t, base+variant, "mpegurl")
	segment := firstURI(t, media)
	if seg := fetch(t, base+segment, "video/"); len(seg) < 1000 {
		t.Errorf("segment %s is %d bytes", segment, len(seg))
	}

	// A stopped channel streams nothing and the player stops listing it.
	if _, err := vod.StopChannel(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	for {
		got, err := vod.GetChannel(ctx, ch.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ChannelStatus == vodwire.ChannelStopped {
			break
		}
		sleep(ctx, t)
	}
	body = fetch(t, srv.URL()+ncplocal.PlayerPath+"/videos.json", "application/json")
	if err := json.Unmarshal([]byte(body), &catalog); err != nil || len(catalog.Videos) != 0 {
		t.Errorf("videos.json with the channel stopped: %s (%v); want none", body, err)
	}
	resp, err := http.Get(v.MasterURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("master playlist of a stopped channel: %s; want 404", resp.Status)
	}
}

// fetch GETs url and returns the body, failing unless it is a 200 whose
// Content-Type contains wantType.
func fetch(t *testing.T, url, wantType string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), wantType) {
		t.Fatalf("GET %s: %s %s\n%s", url, resp.Status, resp.Header.Get("Content-Type"), b)
	}
	return string(b)
}

// firstURI is the first line of a playlist that is not a tag.
func firstURI(t *testing.T, playlist string) string {
	t.Helper()
	for _, line := range strings.Split(playlist, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			return line
		}
	}
	t.Fatalf("no URI in playlist:\n%s", playlist)
	return ""
}
