package player

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func fetch(t *testing.T, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	return w
}

var sample = []Video{
	{ID: "v1", Title: "Launch <demo>", MasterURL: "http://cdn.local/hls/e/x_,SD,HD,.mp4.smil/master.m3u8",
		Renditions: []Rendition{{Name: "AVC_SD", Width: 640, Height: 360, Bitrate: 800}, {Name: "AVC_HD", Width: 1280, Height: 720, Bitrate: 2500}}},
	{ID: "v2", Title: "Second", MasterURL: "http://cdn.local/hls/e/y.mp4/index.m3u8", Renditions: []Rendition{{Name: "AVC_SD"}}},
}

func catalog(v []Video) Catalog {
	return CatalogFunc(func(context.Context) ([]Video, error) { return v, nil })
}

// TestEmbeddedAssetsInstalled fails when the build embedded no hls.js:
// the page would then only show the install step.
func TestEmbeddedAssetsInstalled(t *testing.T) {
	if err := NewHandler(catalog(nil), Options{}).CheckAssets(); err != nil {
		t.Fatal(err)
	}
}

func TestPage(t *testing.T) {
	h := NewHandler(catalog(sample), Options{Title: "Pipeline"})
	w := fetch(t, h, "/")
	body := w.Body.String()
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("%d %s\n%s", w.Code, w.Header().Get("Content-Type"), body)
	}
	for _, want := range []string{
		"<title>Pipeline</title>",
		"Launch &lt;demo&gt;", // escaped
		`data-src="http://cdn.local/hls/e/x_,SD,HD,.mp4.smil/master.m3u8"`,
		`<option value="-1">Auto</option>`,
		`<script src="assets/hls.min.js"></script>`,
		"AVC_HD", "1280×720", "2500 kbps",
		`href="?v=v2"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(body, "//cdn.jsdelivr") || strings.Contains(body, "unpkg.com") {
		t.Error("the page loads a script from a public CDN")
	}
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	if b := fetch(t, h, "/?v=v2").Body.String(); !strings.Contains(b, `data-src="http://cdn.local/hls/e/y.mp4/index.m3u8"`) {
		t.Error("?v=v2 did not select the second video")
	}
	if w := fetch(t, h, "/?v=nope"); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), `no video &#34;nope&#34;`) {
		t.Errorf("unknown video: %d %s", w.Code, w.Body.String())
	}
	if w := fetch(t, NewHandler(catalog(nil), Options{}), "/"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "No encoded video yet") {
		t.Errorf("empty catalog: %d", w.Code)
	}
}

func TestAssetsAndCatalogJSON(t *testing.T) {
	h := NewHandler(catalog(sample), Options{})
	for name, ct := range map[string]string{"hls.min.js": "text/javascript; charset=utf-8", "player.js": "text/javascript; charset=utf-8",
		"player.css": "text/css; charset=utf-8", "hls.js-LICENSE.txt": "text/plain; charset=utf-8"} {
		w := fetch(t, h, "/assets/"+name)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != ct || w.Body.Len() == 0 {
			t.Errorf("%s: %d %q %d bytes", name, w.Code, w.Header().Get("Content-Type"), w.Body.Len())
		}
	}
	if w := fetch(t, h, "/assets/../player.go"); w.Code != http.StatusNotFound {
		t.Errorf("asset outside the list: %d", w.Code)
	}
	w := fetch(t, h, "/videos.json")
	var got struct{ Videos []Video }
	if err := json.NewDecoder(w.Body).Decode(&got); err != nil || len(got.Videos) != 2 || got.Videos[0].Renditions[1].Name != "AVC_HD" {
		t.Errorf("videos.json: %v %+v", err, got)
	}
}

func TestMissingAssetsIsAnErrorPage(t *testing.T) {
	h := NewHandler(catalog(sample), Options{AssetsDir: t.TempDir()})
	if err := h.CheckAssets(); err == nil || !strings.Contains(err.Error(), "install-player-assets.sh") {
		t.Fatalf("CheckAssets: %v", err)
	}
	w := fetch(t, h, "/")
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "hls.js is not installed") || strings.Contains(w.Body.String(), "<video") {
		t.Errorf("page without hls.js: %d\n%s", w.Code, w.Body.String())
	}
	if w := fetch(t, h, "/assets/hls.min.js"); w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "install-player-assets.sh") {
		t.Errorf("hls.min.js without hls.js: %d %s", w.Code, w.Body.String())
	}
}

func TestMountedWithoutSlashRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/_ncplocal/player/", http.StripPrefix("/_ncplocal/player", NewHandler(catalog(sample), Options{})))
	mux.Handle("/_ncplocal/player", http.StripPrefix("/_ncplocal/player", NewHandler(catalog(sample), Options{})))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(srv.URL + "/_ncplocal/player?v=v2")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/_ncplocal/player/?v=v2" {
		t.Errorf("%d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}
