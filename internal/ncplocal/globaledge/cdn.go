package globaledge

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// CDNPathPrefix is where ncplocal serves an edge's domain without DNS:
// GET /_ncplocal/cdn/<domain>/<path> is what GET http://<domain>/<path>
// would be (a request whose Host is the domain is served the same way).
const CDNPathPrefix = "/_ncplocal/cdn/"

// Objects is what the CDN reads an Object Storage origin through
// (objectstorage.Service.ReadObjectAnonymously). An edge fetches from its
// origin without credentials: NCP documents no way to give an edge access
// to a bucket's private objects (the edge's originalCopyConfig has no
// credentials, ncp-api.md §3.3) [?], so a plain path serves only what an
// anonymous reader may read, whichever account owns the edge.
type Objects interface {
	ReadObjectAnonymously(bucketName, key string) (io.ReadCloser, objectstorage.ObjectInfo, error)
}

// cdn is what the CDN side of the service is wired to.
type cdn struct {
	mu       sync.RWMutex
	objects  Objects
	playback http.Handler
}

// ServeObjectsFrom makes the edges' domains serve their Object Storage
// origins from objs (services.go wires ncplocal's Object Storage).
func (s *Service) ServeObjectsFrom(objs Objects) {
	s.cdn.mu.Lock()
	defer s.cdn.mu.Unlock()
	s.cdn.objects = objs
}

// ServePlaybackWith hands the paths of VOD Station playback URLs
// (/hls/... and /dash/...) of every edge domain to h, e.g. a
// media.Packager's Handler with VOD Station's Resolver; without it, those
// paths are served as plain objects of the origin.
func (s *Service) ServePlaybackWith(h http.Handler) {
	s.cdn.mu.Lock()
	defer s.cdn.mu.Unlock()
	s.cdn.playback = h
}

// edgeOfDomain finds the edge serving domain, in any account.
func (s *Service) edgeOfDomain(domain string) (account string, e edgeRecord, status string, ok bool) {
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, a := range tx.Accounts() {
			for _, r := range s.edges.List(tx, a) {
				if strings.EqualFold(r.Domain, domain) {
					account, e, status, ok = a, r, s.edges.Status(tx, &r), true
					return nil
				}
			}
		}
		return nil
	})
	return account, e, status, ok
}

// ServesWeb implements emu.WebService: requests under CDNPathPrefix, and
// those whose Host is an edge's domain.
func (s *Service) ServesWeb(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, CDNPathPrefix) || s.ServesHost(r.Host)
}

// ServeWeb implements emu.WebService.
func (s *Service) ServeWeb(w http.ResponseWriter, r *http.Request) { s.ServeCDN(w, r) }

// ServesHost reports whether host (with or without a port) is the domain
// of an edge.
func (s *Service) ServesHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if !strings.Contains(host, ".") || strings.HasPrefix(host, "127.") {
		return false
	}
	_, _, _, ok := s.edgeOfDomain(host)
	return ok
}

// ServeCDN serves one request to an edge's domain: the domain from the
// path (CDNPathPrefix) or else the Host header. GET and HEAD only; the
// object is the origin bucket's key originalCopyPath + path, with its
// content type, ETag, Last-Modified, byte ranges and conditional requests
// (http.ServeContent), and a Cache-Control that follows the edge's
// default caching rule. The origin is read anonymously: a private object
// (or a missing one in a bucket anyone may not list) is answered with the
// origin's 403 AccessDenied document, a missing object of a public-read
// bucket with its 404 NoSuchKey, passed through as a CDN passes its
// origin's errors [?]. VOD Station playback paths (/hls/, /dash/) go to
// the playback handler, which applies the channel's accessPrivateFiles.
// An edge that is not RUNNING answers 503, as a stopped CDN does not serve
// [?].
func (s *Service) ServeCDN(w http.ResponseWriter, r *http.Request) {
	domain, rest := "", r.URL.Path
	if tail, ok := strings.CutPrefix(r.URL.Path, CDNPathPrefix); ok {
		domain, rest, _ = strings.Cut(tail, "/")
		rest = "/" + rest
	} else {
		domain = r.Host
		if h, _, err := net.SplitHostPort(domain); err == nil {
			domain = h
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	account, e, status, ok := s.edgeOfDomain(domain)
	if !ok {
		http.Error(w, fmt.Sprintf("no edge serves %q", domain), http.StatusNotFound)
		return
	}
	if status != wire.StatusRunning {
		http.Error(w, fmt.Sprintf("edge %d (%s) is %s", e.ID, domain, status), http.StatusServiceUnavailable)
		return
	}
	s.cdn.mu.RLock()
	objs, playback := s.cdn.objects, s.cdn.playback
	s.cdn.mu.RUnlock()
	if playback != nil && (strings.HasPrefix(rest, "/hls/") || strings.HasPrefix(rest, "/dash/")) {
		r2 := r.Clone(r.Context())
		r2.URL.Path = rest
		r2.URL.RawPath = ""
		r2 = r2.WithContext(emu.WithAccount(r2.Context(), emu.Account{ID: account}))
		playback.ServeHTTP(w, r2)
		return
	}
	loc := e.Config.OriginalCopyConfig.OriginalCopyLocation
	if loc.Type != "OBJECT_STORAGE" || !set(loc.BucketName) || objs == nil {
		http.Error(w, fmt.Sprintf("edge %d: ncplocal serves only Object Storage origins", e.ID), http.StatusBadGateway)
		return
	}
	key := strings.TrimPrefix(rest, "/")
	if p := e.Config.OriginalCopyConfig.OriginalCopyPath; p != nil && strings.Trim(*p, "/") != "" {
		key = strings.Trim(*p, "/") + "/" + key
	}
	if key == "" || strings.HasSuffix(key, "/") {
		http.Error(w, "no object at "+rest, http.StatusNotFound)
		return
	}
	rc, info, err := objs.ReadObjectAnonymously(*loc.BucketName, key)
	switch {
	case errors.Is(err, objectstorage.ErrAnonymousDenied), errors.Is(err, objectstorage.ErrNoSuchKey),
		errors.Is(err, objectstorage.ErrNoSuchBucket):
		s.cacheHeaders(w, &e, info, true)
		w.Header().Set("X-Ncplocal-Edge", fmt.Sprint(e.ID))
		objectstorage.WriteAnonymousError(w, r, *loc.BucketName, key, err)
		return
	case err != nil:
		http.Error(w, fmt.Sprintf("edge %d: origin bucket %s: %v", e.ID, *loc.BucketName, err), http.StatusBadGateway)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", contentType(key, info.ContentType))
	if info.ETag != "" {
		w.Header().Set("ETag", `"`+info.ETag+`"`)
	}
	s.cacheHeaders(w, &e, info, false)
	w.Header().Set("X-Ncplocal-Edge", fmt.Sprint(e.ID))
	rs, ok := rc.(io.ReadSeeker)
	if !ok {
		http.Error(w, "origin body is not seekable", http.StatusInternalServerError)
		return
	}
	http.ServeContent(w, r, path.Base(key), info.LastModified, rs)
}

// contentType is the object's stored type, or one guessed from the key's
// extension when the object was stored without a useful one.
func contentType(key, stored string) string {
	if stored != "" && stored != "binary/octet-stream" && stored != "application/octet-stream" {
		return stored
	}
	switch strings.ToLower(path.Ext(key)) {
	case ".m3u8":
		return "application/vnd.apple.mpegurl"
	case ".mpd":
		return "application/dash+xml"
	case ".ts":
		return "video/mp2t"
	case ".m4s":
		return "video/iso.segment"
	case ".mp4":
		return "video/mp4"
	}
	if t := mime.TypeByExtension(path.Ext(key)); t != "" {
		return t
	}
	if stored != "" {
		return stored
	}
	return "application/octet-stream"
}

// cacheHeaders sets Cache-Control by the edge's default caching rule:
// CACHING caches for its age (negative answers only with negativeTtl),
// BYPASS_CACHE not at all, ORIGIN_CACHE_CONTROL_HEADER as the origin says
// (the object's cache-control metadata, if any).
func (s *Service) cacheHeaders(w http.ResponseWriter, e *edgeRecord, info objectstorage.ObjectInfo, negative bool) {
	c := e.Config.CachingConfig
	if c == nil || c.DefaultCaching == nil || !c.DefaultCaching.Enabled {
		return
	}
	switch c.DefaultCaching.RuleDefinitionType {
	case "BYPASS_CACHE":
		w.Header().Set("Cache-Control", "no-store")
	case "ORIGIN_CACHE_CONTROL_HEADER":
		if v := info.Metadata["cache-control"]; v != "" {
			w.Header().Set("Cache-Control", v)
		}
	case "CACHING":
		if negative && !c.NegativeTTL {
			w.Header().Set("Cache-Control", "no-store")
			return
		}
		if r := c.DefaultCaching.CacheRevalidateConfig; r != nil {
			cc := fmt.Sprintf("public, max-age=%d", int64(ageOf(r).Seconds()))
			if r.Type == "ALWAYS" {
				cc += ", must-revalidate"
			}
			w.Header().Set("Cache-Control", cc)
		}
	}
}

func ageOf(r *wire.CacheRevalidate) time.Duration {
	unit := map[string]time.Duration{"SECONDS": time.Second, "MINUTES": time.Minute, "HOURS": time.Hour, "DAYS": 24 * time.Hour}[r.AgeType]
	return time.Duration(r.Age) * unit
}
