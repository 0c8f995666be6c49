package media

import (
	"errors"
	"reflect"
	"testing"
)

func TestParsePlayPath(t *testing.T) {
	for _, c := range []struct {
		path string
		want PlayRequest
	}{
		{"/hls/fhnZKnJhDv_/movemove/jdgdown_AVC_SD_1Pass_30fps_1.mp4/index.m3u8", PlayRequest{
			Protocol: HLS, EncryptedBucket: "fhnZKnJhDv_", Keys: []string{"movemove/jdgdown_AVC_SD_1Pass_30fps_1.mp4"},
			Resource: MasterPlaylist, File: "index.m3u8", Base: "/hls/fhnZKnJhDv_/movemove/jdgdown_AVC_SD_1Pass_30fps_1.mp4"}},
		// The multi-bitrate form as published NCP URLs show it.
		{"/hls/-EQTX8kk3dFTfezHSE0rcg__/vodstation/vod-abr-test/j5IX_1080p_,AVC_SD_1Pass_30fps_1,AVC_HD_1Pass_30fps,AVC_FHD_1Pass_30fps,.mp4.smil/master.m3u8", PlayRequest{
			Protocol: HLS, EncryptedBucket: "-EQTX8kk3dFTfezHSE0rcg__", MultiBitrate: true,
			Keys: []string{
				"vodstation/vod-abr-test/j5IX_1080p_AVC_SD_1Pass_30fps_1.mp4",
				"vodstation/vod-abr-test/j5IX_1080p_AVC_HD_1Pass_30fps.mp4",
				"vodstation/vod-abr-test/j5IX_1080p_AVC_FHD_1Pass_30fps.mp4"},
			Resource: MasterPlaylist, File: "master.m3u8",
			Base: "/hls/-EQTX8kk3dFTfezHSE0rcg__/vodstation/vod-abr-test/j5IX_1080p_,AVC_SD_1Pass_30fps_1,AVC_HD_1Pass_30fps,AVC_FHD_1Pass_30fps,.mp4.smil"}},
		{"/hls/e/v/x_AVC_,HD,SD,_1Pass_30fps.mp4.smil/seg-12-v2.ts", PlayRequest{
			Protocol: HLS, EncryptedBucket: "e", MultiBitrate: true,
			Keys:     []string{"v/x_AVC_HD_1Pass_30fps.mp4", "v/x_AVC_SD_1Pass_30fps.mp4"},
			Resource: Segment, Rendition: 2, Number: 12, File: "seg-12-v2.ts", Base: "/hls/e/v/x_AVC_,HD,SD,_1Pass_30fps.mp4.smil"}},
		{"/hls/e/a.mp4/index-v1.m3u8", PlayRequest{Protocol: HLS, EncryptedBucket: "e", Keys: []string{"a.mp4"}, Resource: MediaPlaylist, Rendition: 1, File: "index-v1.m3u8", Base: "/hls/e/a.mp4"}},
		{"/hls/e/a.mp4/init-v1.mp4", PlayRequest{Protocol: HLS, EncryptedBucket: "e", Keys: []string{"a.mp4"}, Resource: InitSegment, Rendition: 1, File: "init-v1.mp4", Base: "/hls/e/a.mp4"}},
		{"/dash/e/d/a.mp4/manifest.mpd", PlayRequest{Protocol: DASH, EncryptedBucket: "e", Keys: []string{"d/a.mp4"}, Resource: DASHManifest, File: "manifest.mpd", Base: "/dash/e/d/a.mp4"}},
		{"/dash/e/a.mp4/chunk-1-7.m4s", PlayRequest{Protocol: DASH, EncryptedBucket: "e", Keys: []string{"a.mp4"}, Resource: DASHSegment, Number: 7, File: "chunk-1-7.m4s", Base: "/dash/e/a.mp4"}},
	} {
		got, err := ParsePlayPath(c.path)
		if err != nil {
			t.Errorf("ParsePlayPath(%q): %v", c.path, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParsePlayPath(%q)\n got %+v\nwant %+v", c.path, got, c.want)
		}
	}
}

func TestParsePlayPathRejects(t *testing.T) {
	for _, p := range []string{
		"/", "/hls/e/index.m3u8", "/rtmp/e/a.mp4/index.m3u8", "/hls/e/a.mp4/playlist.m3u8",
		"/hls/e/../a.mp4/index.m3u8", "/hls/e//a.mp4/index.m3u8", "/hls/e/a.mp4/seg-0-v1.ts",
		"/hls/e/a.mp4/index-v2.m3u8", "/hls/e/x_,A,,.mp4.smil/master.m3u8", "/hls/e/x_,.mp4.smil/master.m3u8",
		"/hls/e/x_,A,A,.mp4.smil/master.m3u8", "/dash/e/a.mp4/index.m3u8", "/dash/e/a.mp4/../../etc/passwd",
		"/hls/e/a.mp4/seg-1-v1.exe",
	} {
		if r, err := ParsePlayPath(p); !errors.Is(err, ErrBadPlayPath) {
			t.Errorf("ParsePlayPath(%q) = %+v, %v; want ErrBadPlayPath", p, r, err)
		}
	}
}

func TestPlayPathRoundTrip(t *testing.T) {
	for _, keys := range [][]string{
		{"out/cat/movie_AVC_SD_1Pass_30fps_1.mp4"},
		{"out/cat/movie_AVC_SD_1Pass_30fps_1.mp4", "out/cat/movie_AVC_HD_1Pass_30fps.mp4", "out/cat/movie_AVC_FHD_1Pass_30fps.mp4"},
		{"a_64kbps.m4a", "a_128kbps.m4a"},
	} {
		for _, proto := range []Protocol{HLS, DASH} {
			p, err := PlayPath(proto, "enc", keys...)
			if err != nil {
				t.Fatal(err)
			}
			r, err := ParsePlayPath(p)
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			if !reflect.DeepEqual(r.Keys, keys) || r.Protocol != proto || r.MultiBitrate != (len(keys) > 1) {
				t.Errorf("%s parsed to %+v, want keys %v", p, r, keys)
			}
		}
	}
	for _, keys := range [][]string{{}, {"a/x.mp4", "b/y.mp4"}, {"x,1.mp4", "x,2.mp4"}, {"same.mp4", "same.mp4"}} {
		if p, err := PlayPath(HLS, "enc", keys...); err == nil {
			t.Errorf("PlayPath(%v) = %s, want an error", keys, p)
		}
	}
}
