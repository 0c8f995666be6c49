package ncplocal

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/player"
)

// catalogGateway is a gateway service that also knows videos, as VOD
// Station will: the server finds its catalog by the method alone.
type catalogGateway struct {
	otherGateway
	videos []player.Video
	err    error
}

func (c catalogGateway) Videos(context.Context) ([]player.Video, error) { return c.videos, c.err }

// playerAssets writes a stand-in hls.min.js, so the page's asset check
// passes whether or not the build embedded the real one.
func playerAssets(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, player.HLSJS), []byte("/* hls.js stand-in */"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func get(t *testing.T, method, url string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestPlayerPageListsTheServicesVideos(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	vod := catalogGateway{
		otherGateway: otherGateway{name: "vodstation", prefixes: []string{"/api/v2/category"}},
		videos: []player.Video{
			{ID: "old", Title: "Older upload", MasterURL: "http://cdn.test/hls/e/old/index.m3u8", Created: t0,
				Renditions: []player.Rendition{{Name: "AVC_SD_1Pass_30fps", Width: 640, Height: 360, Bitrate: 1000}}},
			{ID: "new", Title: "Newest upload", MasterURL: "http://cdn.test/hls/e/new/index.m3u8", Created: t0.Add(time.Hour)},
		},
	}
	extra := player.CatalogFunc(func(context.Context) ([]player.Video, error) {
		return []player.Video{
			{ID: "new", Title: "duplicate id, dropped"},
			{ID: "extra", Title: "From Options.PlayerCatalog", MasterURL: "http://cdn.test/x.m3u8", Created: t0.Add(-time.Hour)},
		}, nil
	})
	srv := StartTest(t, Options{
		Services:        func(emu.Env) []emu.Service { return []emu.Service{vod} },
		PlayerCatalog:   extra,
		PlayerAssetsDir: playerAssets(t),
	})

	// The catalog, merged: newest first, the first source keeps an ID.
	resp, body := get(t, http.MethodGet, srv.URL()+PlayerPath+"/videos.json", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("videos.json: %d %s", resp.StatusCode, body)
	}
	var got struct {
		Videos []player.Video `json:"videos"`
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range got.Videos {
		ids = append(ids, v.ID+"="+v.Title)
	}
	if want := "new=Newest upload,old=Older upload,extra=From Options.PlayerCatalog"; strings.Join(ids, ",") != want {
		t.Errorf("videos = %s, want %s", strings.Join(ids, ","), want)
	}

	// The page, from a browser (which sends Origin): served, unlike the
	// admin API.
	resp, body = get(t, http.MethodGet, srv.URL()+PlayerPath+"/?v=old", map[string]string{"Origin": srv.URL()})
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("page: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	for _, want := range []string{`data-src="http://cdn.test/hls/e/old/index.m3u8"`, "Newest upload", "AVC_SD_1Pass_30fps", `<script src="assets/hls.min.js">`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	resp, body = get(t, http.MethodGet, srv.URL()+PlayerPath+"/assets/hls.min.js", nil)
	if resp.StatusCode != http.StatusOK || body != "/* hls.js stand-in */" {
		t.Errorf("hls.min.js: %d %q, want the file of PlayerAssetsDir", resp.StatusCode, body)
	}

	// Without the trailing slash: redirected, so relative links work.
	resp, _ = get(t, http.MethodGet, srv.URL()+PlayerPath, nil)
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != PlayerPath+"/" {
		t.Errorf("GET %s = %d Location %q, want 301 to %s/", PlayerPath, resp.StatusCode, resp.Header.Get("Location"), PlayerPath)
	}
	// Read-only.
	if resp, _ := get(t, http.MethodPost, srv.URL()+PlayerPath+"/", nil); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d, want 405", resp.StatusCode)
	}
	// The rest of the admin API still refuses browsers.
	if resp, _ := get(t, http.MethodGet, srv.URL()+AdminPrefix+"inventory", map[string]string{"Origin": "http://evil.test"}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("admin inventory with Origin = %d, want 403", resp.StatusCode)
	}
}

func TestPlayerPageShowsACatalogError(t *testing.T) {
	t.Parallel()
	vod := catalogGateway{otherGateway: otherGateway{name: "vodstation", prefixes: []string{"/api/v2/category"}}, err: errors.New("status store unreadable")}
	srv := StartTest(t, Options{Services: func(emu.Env) []emu.Service { return []emu.Service{vod} }, PlayerAssetsDir: playerAssets(t)})
	resp, body := get(t, http.MethodGet, srv.URL()+PlayerPath+"/videos.json", nil)
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "status store unreadable") {
		t.Errorf("videos.json = %d %q, want 500 naming the failure", resp.StatusCode, body)
	}
	resp, body = get(t, http.MethodGet, srv.URL()+PlayerPath+"/", nil)
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "status store unreadable") {
		t.Errorf("page = %d, want 500 showing the failure:\n%s", resp.StatusCode, body)
	}
}

func TestPlayerPageWithoutVideos(t *testing.T) {
	t.Parallel()
	// The built-in services (no VOD Station yet): an empty list and the
	// hint to upload a video.
	srv := StartTest(t, Options{PlayerAssetsDir: playerAssets(t)})
	resp, body := get(t, http.MethodGet, srv.URL()+PlayerPath+"/", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "No encoded video yet") {
		t.Errorf("page = %d, want 200 with the empty-list hint:\n%s", resp.StatusCode, body)
	}
	// A bucket addressed virtual-hosted style keeps its own keys: this is
	// an object key, not the player.
	req, _ := http.NewRequest(http.MethodGet, srv.URL()+PlayerPath+"/", nil)
	req.Host = "somebucket.localhost"
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if strings.Contains(string(b), "No encoded video yet") {
		t.Errorf("a virtual-hosted bucket request was served the player page")
	}
}
