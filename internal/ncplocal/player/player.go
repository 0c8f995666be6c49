// Package player is the player page ncplocal serves: a list of the encoded
// videos and an HTML5 player for the selected one, playing its HLS master
// playlist with hls.js and offering every rendition plus "Auto" (hls.js
// chooses by measured bandwidth).
//
// hls.js comes from npm, pinned in assets/package.json and
// assets/package-lock.json. scripts/install-player-assets.sh runs npm ci
// and copies the one file the page needs to static/vendor/hls.min.js,
// which the build embeds; ncplocal then serves it itself, so the page never
// loads anything from a CDN. A clone where the script has not run still
// builds and vets (the embedded directory always has the page's own
// files), but the page answers 503 with the install step, and the tests
// fail, rather than play nothing silently. Options.AssetsDir serves
// hls.min.js from a directory instead (for example
// assets/node_modules/hls.js/dist).
package player

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

//go:embed static
var static embed.FS

// InstallHint names the step that installs the page's assets.
const InstallHint = "run scripts/install-player-assets.sh (npm ci of internal/ncplocal/player/assets), then rebuild ncplocal"

// HLSJS is the file name of hls.js in the assets.
const HLSJS = "hls.min.js"

// Rendition is one encoded quality of a video.
type Rendition struct {
	// Name is the encoding option's name ("AVC_HD_1Pass_30fps").
	Name   string `json:"name"`
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
	// Bitrate is in Kbps.
	Bitrate int `json:"bitrate,omitempty"`
}

// Video is a playable video.
type Video struct {
	// ID identifies the video in the page's links (?v=ID).
	ID    string `json:"id"`
	Title string `json:"title"`
	// MasterURL is the HLS master playlist (the channel's CDN playback URL,
	// multi-bitrate form for several renditions).
	MasterURL  string      `json:"masterUrl"`
	Renditions []Rendition `json:"renditions"`
	// Thumbnail is a poster image URL (optional).
	Thumbnail string    `json:"thumbnail,omitempty"`
	Created   time.Time `json:"created,omitzero"`
}

// Catalog lists the videos the page offers; the VOD Station and Global
// Edge emulators implement it.
type Catalog interface {
	Videos(ctx context.Context) ([]Video, error)
}

// CatalogFunc adapts a function to Catalog.
type CatalogFunc func(ctx context.Context) ([]Video, error)

// Videos calls f.
func (f CatalogFunc) Videos(ctx context.Context) ([]Video, error) { return f(ctx) }

// Options configure the handler.
type Options struct {
	// AssetsDir, when set, is a directory holding hls.min.js to serve
	// instead of the one embedded at build time.
	AssetsDir string
	// Title heads the page; empty means "ncplocal · VOD player".
	Title string
}

// Handler serves the page. Mount it under a prefix with http.StripPrefix:
//
//	mux.Handle("/_ncplocal/player/", http.StripPrefix("/_ncplocal/player", player.NewHandler(cat, opts)))
//
// It answers "/" (the page; "?v=ID" selects a video), "/videos.json" (the
// catalog) and "/assets/..." (hls.min.js, player.js, player.css, and
// hls.js's licence).
type Handler struct {
	catalog Catalog
	opts    Options
	assets  fs.FS
}

// NewHandler returns the player page's handler.
func NewHandler(c Catalog, o Options) *Handler {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	if o.Title == "" {
		o.Title = "ncplocal · VOD player"
	}
	return &Handler{catalog: c, opts: o, assets: sub}
}

// CheckAssets reports whether hls.js is available, with the install step
// when it is not.
func (h *Handler) CheckAssets() error {
	f, err := h.openHLSJS()
	if err != nil {
		return err
	}
	return f.Close()
}

func (h *Handler) openHLSJS() (fs.File, error) {
	var (
		f     fs.File
		err   error
		where string
	)
	if h.opts.AssetsDir != "" {
		where = filepath.Join(h.opts.AssetsDir, HLSJS)
		f, err = os.Open(where)
	} else {
		where = "the assets embedded at build time (static/vendor/" + HLSJS + ")"
		f, err = h.assets.Open("vendor/" + HLSJS)
	}
	if err != nil {
		return nil, fmt.Errorf("hls.js is not installed: no %s in %s: %s", HLSJS, where, InstallHint)
	}
	if st, err := f.Stat(); err != nil || st.Size() == 0 {
		f.Close()
		return nil, fmt.Errorf("hls.js is empty in %s: %s", where, InstallHint)
	}
	return f, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch p := r.URL.Path; {
	case p == "":
		// Mounted without the trailing slash: the page's relative links
		// need it.
		http.Redirect(w, r, strings.SplitN(r.RequestURI, "?", 2)[0]+"/"+query(r), http.StatusMovedPermanently)
	case p == "/":
		h.servePage(w, r)
	case p == "/videos.json":
		videos, err := h.catalog.Videos(r.Context())
		if err != nil {
			http.Error(w, "listing videos: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(map[string]any{"videos": nonNil(videos)})
	case strings.HasPrefix(p, "/assets/"):
		h.serveAsset(w, r, strings.TrimPrefix(p, "/assets/"))
	default:
		http.NotFound(w, r)
	}
}

func query(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return ""
	}
	return "?" + r.URL.RawQuery
}

func nonNil(v []Video) []Video {
	if v == nil {
		return []Video{}
	}
	return v
}

func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request, name string) {
	var (
		f   fs.File
		err error
		ct  string
	)
	switch name {
	case HLSJS:
		f, err = h.openHLSJS()
		ct = "text/javascript; charset=utf-8"
	case "player.js":
		f, err = h.assets.Open(name)
		ct = "text/javascript; charset=utf-8"
	case "player.css":
		f, err = h.assets.Open(name)
		ct = "text/css; charset=utf-8"
	case "hls.js-LICENSE.txt":
		f, err = h.assets.Open("vendor/LICENSE")
		ct = "text/plain; charset=utf-8"
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	rs, ok := f.(interface {
		Read([]byte) (int, error)
		Seek(int64, int) (int64, error)
	})
	if !ok {
		http.Error(w, "asset not seekable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, path.Base(name), st.ModTime(), rs)
}

type pageData struct {
	Title    string
	Videos   []Video
	Selected *Video
	Error    string
}

func (h *Handler) servePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	// Scripts only from ncplocal itself; media and playlists from anywhere
	// (the CDN domain may be another origin).
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src * data:; media-src * blob:; connect-src *; worker-src 'self' blob:")
	data := pageData{Title: h.opts.Title}
	status := http.StatusOK
	if err := h.CheckAssets(); err != nil {
		data.Error, status = err.Error(), http.StatusServiceUnavailable
	} else if videos, err := h.catalog.Videos(r.Context()); err != nil {
		data.Error, status = "listing videos: "+err.Error(), http.StatusInternalServerError
	} else {
		data.Videos = videos
		want := r.URL.Query().Get("v")
		for i := range videos {
			if videos[i].ID == want || (want == "" && i == 0) {
				data.Selected = &videos[i]
				break
			}
		}
		if want != "" && data.Selected == nil {
			data.Error, status = fmt.Sprintf("no video %q", want), http.StatusNotFound
		}
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, data); err != nil {
		http.Error(w, errors.Join(errors.New("rendering the page"), err).Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

var page = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="stylesheet" href="assets/player.css">
</head>
<body>
<header><h1>{{.Title}}</h1></header>
{{if .Error}}<main><div id="page-error" class="error">{{.Error}}</div></main>
{{else}}<main>
<nav id="list">
<h2>Encoded videos</h2>
{{if .Videos}}<ul>
{{range .Videos}}<li><a href="?v={{.ID}}"{{if eq .ID $.Selected.ID}} class="selected"{{end}}>{{.Title}}<small>{{len .Renditions}} renditions</small></a></li>
{{end}}</ul>
{{else}}<p class="empty">No encoded video yet: upload an mp4 to the upload bucket.</p>
{{end}}</nav>
<section id="stage">
{{with .Selected}}<h2 id="title">{{.Title}}</h2>
<video id="video" controls muted autoplay playsinline data-src="{{.MasterURL}}"{{if .Thumbnail}} poster="{{.Thumbnail}}"{{end}}></video>
<div class="controls">
<label>Quality <select id="quality"><option value="-1">Auto</option></select></label>
<span id="current-level"></span>
</div>
<div id="player-error" class="error" hidden></div>
<p class="url">{{.MasterURL}}</p>
<table id="renditions">
<tr><th>Rendition</th><th>Size</th><th>Bitrate</th></tr>
{{range .Renditions}}<tr><td>{{.Name}}</td><td>{{if .Width}}{{.Width}}×{{.Height}}{{end}}</td><td>{{if .Bitrate}}{{.Bitrate}} kbps{{end}}</td></tr>
{{end}}</table>
{{end}}</section>
</main>
<script src="assets/hls.min.js"></script>
<script src="assets/player.js"></script>
{{end}}</body>
</html>
`))
