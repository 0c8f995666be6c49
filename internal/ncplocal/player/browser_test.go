package player_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/browsertest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media/mediatest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/player"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/player/playertest"
)

// ScreenshotEnv names the variable that chooses where the browser test
// saves its screenshot of the player (default: the test's temp dir).
const ScreenshotEnv = "NCPLOCAL_PLAYER_SCREENSHOT"

// dirSource serves a directory as the channel's bucket.
type dirSource string

func (d dirSource) Stat(_ context.Context, key string) (media.ObjectInfo, error) {
	p := filepath.Join(string(d), filepath.FromSlash(key))
	fi, err := os.Stat(p)
	if err != nil {
		return media.ObjectInfo{}, fmt.Errorf("%s: %w", key, media.ErrNotFound)
	}
	return media.ObjectInfo{Version: fi.ModTime().String(), Size: fi.Size(), ModTime: fi.ModTime(), LocalPath: p}, nil
}

func (d dirSource) Open(_ context.Context, key string) (io.ReadCloser, error) {
	return os.Open(filepath.Join(string(d), filepath.FromSlash(key)))
}

// TestPlayerPlaysHLSLadder encodes a 3-rendition ladder, serves it as a
// channel's CDN would (packaged by media.Packager) next to the player page,
// and has Chromium play it.
func TestPlayerPlaysHLSLadder(t *testing.T) {
	mediatest.FFmpeg(t)
	if _, err := browsertest.FindChromium(); err != nil {
		t.Fatal(err)
	}
	tools, err := media.FindTools()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := mediatest.Make(t, dir, "upload.mp4", mediatest.Clip{Width: 640, Height: 360, Seconds: 12, FPS: 24, Audio: true})
	bucket := filepath.Join(dir, "bucket")
	var keys []string
	var rends []player.Rendition
	for _, o := range []media.EncodingOption{
		{Name: "AVC_LOW", Video: &media.VideoOption{Codec: "AVC", Profile: "BASELINE", Height: 144, Bitrate: 150}, Audio: &media.AudioOption{Codec: "AAC", Bitrate: 64}},
		{Name: "AVC_MID", Video: &media.VideoOption{Codec: "AVC", Profile: "MAIN", Height: 240, Bitrate: 400}, Audio: &media.AudioOption{Codec: "AAC", Bitrate: 64}},
		{Name: "AVC_HIGH", Video: &media.VideoOption{Codec: "AVC", Profile: "HIGH", Height: 360, Bitrate: 900}, Audio: &media.AudioOption{Codec: "AAC", Bitrate: 96}},
	} {
		key := "vod/videos/" + media.OutputName("upload.mp4", o)
		if err := os.MkdirAll(filepath.Dir(filepath.Join(bucket, key)), 0o755); err != nil {
			t.Fatal(err)
		}
		m, err := tools.Encode(context.Background(), src, filepath.Join(bucket, key), o, media.EncodeParams{Preset: "ultrafast"})
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
		rends = append(rends, player.Rendition{Name: o.Name, Width: m.Width, Height: m.Height, Bitrate: o.Video.Bitrate})
	}
	pkg, err := media.NewPackager(tools, filepath.Join(dir, "cache"))
	if err != nil {
		t.Fatal(err)
	}
	play, err := media.PlayPath(media.HLS, "enc-bucket", keys...)
	if err != nil {
		t.Fatal(err)
	}

	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	mux.Handle("/hls/", pkg.Handler(func(_ context.Context, enc string) (media.Channel, error) {
		if enc != "enc-bucket" {
			return media.Channel{}, fmt.Errorf("channel %s: %w", enc, media.ErrNotFound)
		}
		return media.Channel{Source: dirSource(bucket), Options: media.PackageOptions{SegmentDuration: 5}, Protocols: []media.Protocol{media.HLS}}, nil
	}))
	cat := player.CatalogFunc(func(context.Context) ([]player.Video, error) {
		return []player.Video{{ID: "upload", Title: "upload.mp4", MasterURL: srv.URL + play, Renditions: rends}}, nil
	})
	mux.Handle("/_ncplocal/player/", http.StripPrefix("/_ncplocal/player", player.NewHandler(cat, player.Options{})))

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	page := playertest.Open(ctx, t, srv.URL+"/_ncplocal/player/", 1280, 720)
	page.WaitReady(t)
	// The video really plays: its clock advances, without error.
	page.WaitPlaying(t, 2)

	// The quality list has Auto and every rendition, highest first.
	opts := page.QualityOptions(t)
	if len(opts) != 4 || opts[0] != "Auto" || !strings.HasPrefix(opts[1], "360p") || !strings.HasPrefix(opts[2], "240p") || !strings.HasPrefix(opts[3], "144p") {
		t.Fatalf("quality options %q", opts)
	}
	// Choosing a rendition switches to it, and playback goes on.
	playertest.Eval[bool](t, page, `(() => { const s = document.getElementById('quality');
		s.value = [...s.options].find(o => o.textContent.startsWith('144p')).value;
		s.dispatchEvent(new Event('change')); return true; })()`)
	page.Wait(t, "the switch to 144p", `(() => { const l = window.playerState.levels[window.playerState.currentLevel]; return !!l && l.height === 144; })()`, 30*time.Second)
	page.WaitPlaying(t, page.CurrentTime(t)+0.5)

	page.Screenshot(t, ScreenshotEnv)
}
