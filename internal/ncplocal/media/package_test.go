package media

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// fileSource serves files of a directory as a bucket; versions are set by
// the test.
type fileSource struct {
	dir      string
	mu       sync.Mutex
	versions map[string]string
	opens    atomic.Int32
	local    bool
}

func (s *fileSource) Stat(_ context.Context, key string) (ObjectInfo, error) {
	s.mu.Lock()
	v, ok := s.versions[key]
	s.mu.Unlock()
	if !ok {
		return ObjectInfo{}, fmt.Errorf("%s: %w", key, ErrNotFound)
	}
	fi, err := os.Stat(filepath.Join(s.dir, key))
	if err != nil {
		return ObjectInfo{}, err
	}
	info := ObjectInfo{Version: v, Size: fi.Size(), ModTime: fi.ModTime()}
	if s.local {
		info.LocalPath = filepath.Join(s.dir, key)
	}
	return info, nil
}

func (s *fileSource) Open(_ context.Context, key string) (io.ReadCloser, error) {
	s.opens.Add(1)
	return os.Open(filepath.Join(s.dir, key))
}

func (s *fileSource) set(key, version string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.versions[key] = version
}

// ladder encodes a tiny 3-rendition ladder of an 11-second clip into dir/videos.
func ladder(t testing.TB, dir string) (*fileSource, []string) {
	t.Helper()
	tools := testTools(t)
	src := makeClip(t, dir, "src.mp4", clip{Width: 320, Height: 180, Seconds: 11, FPS: 10, Audio: true})
	if err := os.MkdirAll(filepath.Join(dir, "videos"), 0o755); err != nil {
		t.Fatal(err)
	}
	fs := &fileSource{dir: dir, versions: map[string]string{}}
	var keys []string
	for _, o := range []struct {
		name   string
		height int
		kbps   int
	}{{"AVC_LOW", 72, 60}, {"AVC_MID", 108, 120}, {"AVC_HIGH", 180, 250}} {
		opt := EncodingOption{Name: o.name, Video: &VideoOption{Codec: "AVC", Height: o.height, Bitrate: o.kbps}, Audio: &AudioOption{Codec: "AAC", Bitrate: 32}}
		key := "videos/" + OutputName("movie.mp4", opt)
		if _, err := tools.Encode(context.Background(), src, filepath.Join(dir, key), opt, EncodeParams{Preset: "ultrafast"}); err != nil {
			t.Fatal(err)
		}
		fs.set(key, "v1")
		keys = append(keys, key)
	}
	return fs, keys
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// playServer serves the channel "enc" (HLS only) through Handler.
func playServer(t *testing.T, p *Packager, src Source, opt PackageOptions) *httptest.Server {
	srv := httptest.NewServer(p.Handler(func(_ context.Context, enc string) (Channel, error) {
		if enc != "enc" {
			return Channel{}, fmt.Errorf("channel %s: %w", enc, ErrNotFound)
		}
		return Channel{Source: src, Options: opt, Protocols: []Protocol{HLS, DASH}}, nil
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestHandlerRefusals(t *testing.T) {
	p, err := NewPackager(testTools(t), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h := p.Handler(func(_ context.Context, enc string) (Channel, error) {
		if enc != "enc" {
			return Channel{}, fmt.Errorf("channel %s: %w", enc, ErrNotFound)
		}
		return Channel{Source: &fileSource{dir: t.TempDir(), versions: map[string]string{}}, Protocols: []Protocol{HLS}}, nil
	})
	for target, want := range map[string]int{
		"/hls/other/a.mp4/index.m3u8":  http.StatusNotFound, // unknown channel
		"/dash/enc/a.mp4/manifest.mpd": http.StatusNotFound, // the channel has no DASH
		"/hls/enc/a.mp4/nothing.txt":   http.StatusNotFound, // not a playback path
		"/hls/enc/gone.mp4/index.m3u8": http.StatusNotFound, // no such object
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
		if w.Code != want {
			t.Errorf("%s: %d %s", target, w.Code, w.Body.String())
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/hls/enc/a.mp4/index.m3u8", nil))
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", w.Code)
	}
}

func TestPackagerHLS(t *testing.T) {
	dir := t.TempDir()
	src, keys := ladder(t, dir)
	p, err := NewPackager(testTools(t), filepath.Join(dir, "cache"))
	if err != nil {
		t.Fatal(err)
	}
	srv := playServer(t, p, src, PackageOptions{SegmentDuration: 5})
	multi, err := PlayPath(HLS, "enc", keys...)
	if err != nil {
		t.Fatal(err)
	}
	if multi != "/hls/enc/videos/movie_AVC_,LOW,MID,HIGH,.mp4.smil/master.m3u8" {
		t.Fatalf("multi-bitrate path %s", multi)
	}

	// Concurrent first requests package each rendition once.
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if resp, body := get(t, srv.URL+multi); resp.StatusCode != http.StatusOK {
				t.Errorf("master: %d %s", resp.StatusCode, body)
			}
		}()
	}
	wg.Wait()
	if n := src.opens.Load(); n != 3 {
		t.Errorf("sources read %d times, want 3 (one packaging each)", n)
	}

	resp, master := get(t, srv.URL+multi)
	if ct := resp.Header.Get("Content-Type"); ct != ContentTypeM3U8 {
		t.Errorf("master content type %q", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != CacheControlPlaylist {
		t.Errorf("master cache control %q", cc)
	}
	for i, res := range []string{"RESOLUTION=128x72", "RESOLUTION=192x108", "RESOLUTION=320x180"} {
		line := lineWith(master, fmt.Sprintf("index-v%d.m3u8", i+1), -1)
		if !strings.Contains(line, res) || !strings.Contains(line, "BANDWIDTH=") || !strings.Contains(line, `CODECS="avc1.`) || !strings.Contains(line, `mp4a.40.2"`) {
			t.Errorf("variant %d: %q\n%s", i+1, line, master)
		}
	}

	// Media playlist: 5-second segments (key frames every second), TS.
	_, media := get(t, srv.URL+strings.Replace(multi, "master.m3u8", "index-v3.m3u8", 1))
	var durs []float64
	for _, l := range strings.Split(media, "\n") {
		if d, ok := strings.CutPrefix(l, "#EXTINF:"); ok {
			durs = append(durs, parseFloat(strings.TrimSuffix(d, ",")))
		}
	}
	if len(durs) != 3 || math.Abs(durs[0]-5) > 0.05 || math.Abs(durs[1]-5) > 0.05 || !strings.Contains(media, "seg-1-v3.ts") || !strings.Contains(media, "#EXT-X-ENDLIST") {
		t.Errorf("media playlist durations %v:\n%s", durs, media)
	}

	// Segments: content type, ranges, ETag.
	seg := srv.URL + strings.Replace(multi, "master.m3u8", "seg-2-v3.ts", 1)
	resp, body := get(t, seg)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != ContentTypeTS || len(body) == 0 || body[0] != 0x47 {
		t.Fatalf("segment: %d %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	if cc := resp.Header.Get("Cache-Control"); cc != CacheControlSegment {
		t.Errorf("segment cache control %q", cc)
	}
	tag := resp.Header.Get("ETag")
	if r2, part := get(t, seg, "Range", "bytes=188-375"); r2.StatusCode != http.StatusPartialContent || part != body[188:376] {
		t.Errorf("range: %d, %d bytes", r2.StatusCode, len(part))
	}
	if r3, _ := get(t, seg, "If-None-Match", tag); r3.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d", r3.StatusCode)
	}
	if r4, _ := get(t, srv.URL+strings.Replace(multi, "master.m3u8", "seg-9-v3.ts", 1)); r4.StatusCode != http.StatusNotFound {
		t.Errorf("missing segment: %d", r4.StatusCode)
	}

	// The single-file form of one rendition reuses its packaging.
	single, _ := PlayPath(HLS, "enc", keys[0])
	if resp, body := get(t, srv.URL+single); resp.StatusCode != http.StatusOK || strings.Count(body, "#EXT-X-STREAM-INF") != 1 {
		t.Errorf("single: %d\n%s", resp.StatusCode, body)
	}
	if n := src.opens.Load(); n != 3 {
		t.Errorf("sources read %d times, want 3: the cache was not reused", n)
	}

	// A changed source is packaged again; the others are not.
	src.set(keys[2], "v2")
	if resp, _ := get(t, seg); resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == tag {
		t.Errorf("after a change: %d, ETag %s (was %s)", resp.StatusCode, resp.Header.Get("ETag"), tag)
	}
	if n := src.opens.Load(); n != 4 {
		t.Errorf("sources read %d times, want 4", n)
	}

	// Missing objects and objects that are not videos.
	if resp, _ := get(t, srv.URL+"/hls/enc/videos/nope.mp4/index.m3u8"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("missing object: %d", resp.StatusCode)
	}
	writeFile(t, filepath.Join(dir, "videos"), "notes.mp4", "plain text")
	src.set("videos/notes.mp4", "v1")
	if resp, body := get(t, srv.URL+"/hls/enc/videos/notes.mp4/index.m3u8"); resp.StatusCode != http.StatusUnsupportedMediaType || !strings.Contains(body, "not a video") {
		t.Errorf("text object: %d %s", resp.StatusCode, body)
	}

	// Purge drops what was cached for a key.
	before := src.opens.Load()
	if err := p.Purge(keys[0]); err != nil {
		t.Fatal(err)
	}
	get(t, srv.URL+single)
	if n := src.opens.Load(); n != before+1 {
		t.Errorf("after purge, sources read %d more times, want 1", n-before)
	}
}

func TestPackagerFMP4AndDASH(t *testing.T) {
	dir := t.TempDir()
	src, keys := ladder(t, dir)
	src.local = true // read in place, no copy
	p, err := NewPackager(testTools(t), filepath.Join(dir, "cache"))
	if err != nil {
		t.Fatal(err)
	}
	srv := playServer(t, p, src, PackageOptions{SegmentDuration: 6, SegmentFormat: SegmentFMP4})
	base := "/hls/enc/" + keys[1]
	_, media := get(t, srv.URL+base+"/index-v1.m3u8")
	if !strings.Contains(media, `#EXT-X-MAP:URI="init-v1.mp4"`) || !strings.Contains(media, "seg-1-v1.m4s") {
		t.Fatalf("fMP4 playlist:\n%s", media)
	}
	for _, f := range []string{"init-v1.mp4", "seg-1-v1.m4s"} {
		if resp, body := get(t, srv.URL+base+"/"+f); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != ContentTypeMP4 || len(body) < 8 {
			t.Errorf("%s: %d %q", f, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
	if resp, _ := get(t, srv.URL+base+"/seg-1-v1.ts"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a TS name for an fMP4 rendition: %d", resp.StatusCode)
	}
	if src.opens.Load() != 0 {
		t.Errorf("a source with a local path was copied")
	}

	dash, err := PlayPath(DASH, "enc", keys...)
	if err != nil {
		t.Fatal(err)
	}
	resp, mpd := get(t, srv.URL+dash)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != ContentTypeMPD {
		t.Fatalf("manifest: %d %q\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), mpd)
	}
	if n := strings.Count(mpd, "<Representation "); n != 6 {
		t.Errorf("%d representations, want 6 (3 video, 3 audio)\n%s", n, mpd)
	}
	for _, f := range []string{"init-0.m4s", "chunk-0-1.m4s", "chunk-5-1.m4s"} {
		u := srv.URL + strings.Replace(dash, "manifest.mpd", f, 1)
		if resp, body := get(t, u); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != ContentTypeMP4 || len(body) == 0 {
			t.Errorf("%s: %d", f, resp.StatusCode)
		}
	}
}

func lineWith(text, next string, offset int) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if l == next && i+offset >= 0 {
			return lines[i+offset]
		}
	}
	return ""
}
