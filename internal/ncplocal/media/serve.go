package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Content types of the packaged resources.
const (
	ContentTypeM3U8 = "application/vnd.apple.mpegurl"
	ContentTypeTS   = "video/mp2t"
	ContentTypeMP4  = "video/mp4"
	ContentTypeMPD  = "application/dash+xml"
)

// Cache-Control of the packaged resources. Playlists and manifests are
// re-read soon, so a replaced source shows up; segments are kept long (as a
// CDN does: NCP's guide warns that a source replaced under the same name
// needs a CDN purge) and revalidated by ETag.
const (
	CacheControlPlaylist = "public, max-age=5"
	CacheControlSegment  = "public, max-age=31536000, immutable"
)

// HTTPError is an error with the HTTP status ServePlay answers it with.
type HTTPError struct {
	Status int
	Err    error
}

func (e *HTTPError) Error() string { return e.Err.Error() }
func (e *HTTPError) Unwrap() error { return e.Err }

// ServePlay answers a playback request for the renditions of src, packaging
// them on first use: master and media playlists, segments (with byte
// ranges and conditional requests, through http.ServeContent), DASH
// manifests and segments, each with its content type, Cache-Control and an
// ETag derived from the sources' versions. The caller has parsed the path
// (ParsePlayPath), mapped req.EncryptedBucket to src, and checked that the
// channel serves req.Protocol and may serve these objects.
//
// Errors are answered in plain text: 404 for a missing object or segment,
// 403 for an object the source may not serve (ErrForbidden), 415 for a
// source that is not a playable video, 405 for methods other than GET and
// HEAD, 500 otherwise.
func (p *Packager) ServePlay(w http.ResponseWriter, r *http.Request, req PlayRequest, src Source, opt PackageOptions) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err := p.servePlay(w, r, req, src, opt); err != nil {
		status := http.StatusInternalServerError
		var he *HTTPError
		switch {
		case errors.As(err, &he):
			status = he.Status
		case errors.Is(err, ErrNotFound), errors.Is(err, os.ErrNotExist):
			status = http.StatusNotFound
		case errors.Is(err, ErrForbidden):
			status = http.StatusForbidden
		case errors.Is(err, ErrNotMedia):
			status = http.StatusUnsupportedMediaType
		case errors.Is(err, context.Canceled):
			return
		}
		http.Error(w, err.Error(), status)
	}
}

func (p *Packager) servePlay(w http.ResponseWriter, r *http.Request, req PlayRequest, src Source, opt PackageOptions) error {
	ctx := r.Context()
	switch req.Resource {
	case MasterPlaylist:
		rends, err := p.renditions(ctx, src, req.Keys, opt)
		if err != nil {
			return err
		}
		body := MasterPlaylistFor(rends)
		serveBytes(w, r, body, ContentTypeM3U8, CacheControlPlaylist, etag(versionsOf(rends), "master"), newest(rends))
		return nil
	case MediaPlaylist, Segment, InitSegment:
		rend, err := p.HLS(ctx, src, req.Keys[req.Rendition-1], opt)
		if err != nil {
			return err
		}
		tag := etag([]string{rend.Version}, req.File)
		switch req.Resource {
		case MediaPlaylist:
			serveBytes(w, r, MediaPlaylistFor(rend, req.Rendition), ContentTypeM3U8, CacheControlPlaylist, tag, rend.Built)
			return nil
		case InitSegment:
			if rend.InitFile == "" {
				return &HTTPError{http.StatusNotFound, fmt.Errorf("rendition %d has MPEG-TS segments, no init section", req.Rendition)}
			}
			return serveFile(w, r, filepath.Join(rend.Dir, rend.InitFile), ContentTypeMP4, CacheControlSegment, tag)
		}
		wantExt := ".ts"
		if rend.Format == SegmentFMP4 {
			wantExt = ".m4s"
		}
		if !strings.HasSuffix(req.File, wantExt) || req.Number > len(rend.Segments) {
			return &HTTPError{http.StatusNotFound, fmt.Errorf("rendition %d has no segment %s", req.Rendition, req.File)}
		}
		ct := ContentTypeTS
		if rend.Format == SegmentFMP4 {
			ct = ContentTypeMP4
		}
		return serveFile(w, r, filepath.Join(rend.Dir, rend.Segments[req.Number-1].File), ct, CacheControlSegment, tag)
	case DASHManifest, DASHSegment:
		d, err := p.DASH(ctx, src, req.Keys, opt)
		if err != nil {
			return err
		}
		tag := etag(d.Versions, req.File)
		if req.Resource == DASHManifest {
			return serveFile(w, r, filepath.Join(d.Dir, "manifest.mpd"), ContentTypeMPD, CacheControlPlaylist, tag)
		}
		return serveFile(w, r, filepath.Join(d.Dir, req.File), ContentTypeMP4, CacheControlSegment, tag)
	}
	return &HTTPError{http.StatusNotFound, fmt.Errorf("unknown resource %q", req.File)}
}

// renditions packages every key as HLS, all at once: a master playlist's
// first request waits for the slowest rendition rather than for the sum of
// them. The result is in the keys' order; the first error in that order
// is returned.
func (p *Packager) renditions(ctx context.Context, src Source, keys []string, opt PackageOptions) ([]*HLSRendition, error) {
	out := make([]*HLSRendition, len(keys))
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = p.HLS(ctx, src, k, opt)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MasterPlaylistFor writes the HLS master playlist of renditions: one
// EXT-X-STREAM-INF per rendition, in order, pointing at index-v<R>.m3u8,
// with BANDWIDTH, AVERAGE-BANDWIDTH, RESOLUTION, FRAME-RATE and CODECS as
// far as the rendition has them.
func MasterPlaylistFor(rends []*HLSRendition) []byte {
	var b bytes.Buffer
	version := 3
	for _, r := range rends {
		if r.Format == SegmentFMP4 {
			version = 7
		}
	}
	fmt.Fprintf(&b, "#EXTM3U\n#EXT-X-VERSION:%d\n#EXT-X-INDEPENDENT-SEGMENTS\n", version)
	for i, r := range rends {
		m := r.Metadata
		attrs := []string{"BANDWIDTH=" + strconv.FormatInt(max(r.PeakBandwidth, 1), 10)}
		if r.AverageBandwidth > 0 {
			attrs = append(attrs, "AVERAGE-BANDWIDTH="+strconv.FormatInt(r.AverageBandwidth, 10))
		}
		if m.HasVideo && m.Width > 0 && m.Height > 0 {
			attrs = append(attrs, fmt.Sprintf("RESOLUTION=%dx%d", m.Width, m.Height))
		}
		if m.HasVideo && m.FrameRate > 0 {
			attrs = append(attrs, "FRAME-RATE="+strconv.FormatFloat(m.FrameRate, 'f', 3, 64))
		}
		if c := m.Codecs(); c != "" {
			attrs = append(attrs, `CODECS="`+c+`"`)
		}
		fmt.Fprintf(&b, "#EXT-X-STREAM-INF:%s\nindex-v%d.m3u8\n", strings.Join(attrs, ","), i+1)
	}
	return b.Bytes()
}

// MediaPlaylistFor writes the media playlist of a rendition served as
// rendition number n of its playback URL.
func MediaPlaylistFor(r *HLSRendition, n int) []byte {
	var b bytes.Buffer
	target := 0
	for _, s := range r.Segments {
		target = max(target, int(s.Duration+0.999))
	}
	version := 3
	if r.Format == SegmentFMP4 {
		version = 7
	}
	fmt.Fprintf(&b, "#EXTM3U\n#EXT-X-VERSION:%d\n#EXT-X-TARGETDURATION:%d\n#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n", version, target)
	ext := ".ts"
	if r.InitFile != "" {
		fmt.Fprintf(&b, "#EXT-X-MAP:URI=\"init-v%d.mp4\"\n", n)
		ext = ".m4s"
	}
	for i, s := range r.Segments {
		fmt.Fprintf(&b, "#EXTINF:%.6f,\nseg-%d-v%d%s\n", s.Duration, i+1, n, ext)
	}
	b.WriteString("#EXT-X-ENDLIST\n")
	return b.Bytes()
}

func versionsOf(rends []*HLSRendition) []string {
	v := make([]string, len(rends))
	for i, r := range rends {
		v[i] = r.Key + "\x00" + r.Version
	}
	return v
}

func newest(rends []*HLSRendition) time.Time {
	var t time.Time
	for _, r := range rends {
		if r.Built.After(t) {
			t = r.Built
		}
	}
	return t
}

func etag(versions []string, resource string) string {
	h := sha256.New()
	for _, v := range versions {
		h.Write([]byte(v + "\x00"))
	}
	h.Write([]byte(resource))
	return `"` + hex.EncodeToString(h.Sum(nil))[:24] + `"`
}

func setHeaders(w http.ResponseWriter, contentType, cacheControl, tag string) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", cacheControl)
	h.Set("ETag", tag)
	// Players on another origin (the player page, a user's site) read the
	// playlists with XHR.
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Expose-Headers", "Content-Length, Content-Range, ETag")
}

func serveBytes(w http.ResponseWriter, r *http.Request, body []byte, contentType, cacheControl, tag string, mod time.Time) {
	setHeaders(w, contentType, cacheControl, tag)
	http.ServeContent(w, r, "", mod, bytes.NewReader(body))
}

func serveFile(w http.ResponseWriter, r *http.Request, path, contentType, cacheControl, tag string) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return &HTTPError{http.StatusNotFound, fmt.Errorf("no such resource: %s", filepath.Base(path))}
		}
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	setHeaders(w, contentType, cacheControl, tag)
	http.ServeContent(w, r, "", fi.ModTime(), f)
	return nil
}

// Channel is what a playback request needs from the VOD Station channel
// whose encryptedBucketName it names.
type Channel struct {
	// Source is the channel's storage bucket. VOD Station's resolver makes
	// it refuse private objects (ErrForbidden) unless the channel has
	// accessPrivateFiles.
	Source Source
	// Options are the channel's segment duration and HLS segment format.
	Options PackageOptions
	// Protocols are the channel's protocolList; a request for another
	// protocol is not found.
	Protocols []Protocol
}

// Resolver finds the channel of an encrypted bucket name; an error
// wrapping ErrNotFound is answered 404.
type Resolver func(ctx context.Context, encryptedBucket string) (Channel, error)

// Handler serves playback URLs (path "/hls/..." or "/dash/...") for the
// channels resolve finds. The Global Edge emulator mounts it for a CDN
// domain, after taking the domain from the Host header or a path prefix
// (http.StripPrefix).
func (p *Packager) Handler(resolve Resolver) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := ParsePlayPath(r.URL.Path)
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		ch, err := resolve(r.Context(), req.EncryptedBucket)
		if err != nil {
			status := http.StatusInternalServerError
			if errors.Is(err, ErrNotFound) {
				status = http.StatusNotFound
			}
			http.Error(w, err.Error(), status)
			return
		}
		if !slices.Contains(ch.Protocols, req.Protocol) {
			http.Error(w, fmt.Sprintf("the channel does not stream %s", strings.ToUpper(string(req.Protocol))), http.StatusNotFound)
			return
		}
		p.ServePlay(w, r, req, ch.Source, ch.Options)
	})
}
