package media

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
)

// Playback URLs of VOD Station (guide "VOD streaming", vodstation-vodstationstream):
//
//	https://<cdnDomain>/<protocol>/<encryptedBucketName>/<path>/<video filename>/<manifest>
//
// with protocol "hls" or "dash" and manifest "index.m3u8" or "manifest.mpd":
//
//	/hls/<enc>/videos/movie_AVC_SD_1Pass_30fps_1.mp4/index.m3u8
//
// Several renditions play as one multi-bitrate stream through the form seen
// in published NCP URLs (the guide does not spell it out, so [?]): the file
// names' common prefix, a comma, each rendition's distinct middle followed
// by a comma, then the common suffix, ".smil" and "master.m3u8":
//
//	/hls/<enc>/videos/movie_,AVC_SD_1Pass_30fps_1,AVC_HD_1Pass_30fps,.mp4.smil/master.m3u8
//
// names movie_AVC_SD_1Pass_30fps_1.mp4 and movie_AVC_HD_1Pass_30fps.mp4.
//
// The resources below a manifest are this package's own naming, since
// NCP's are not documented [?]; they are relative to the manifest, so a
// player only ever needs the manifest URL:
//
//	index.m3u8 | master.m3u8     HLS master playlist (one variant per rendition)
//	index-v<R>.m3u8              HLS media playlist of rendition R (1-based, URL order)
//	seg-<N>-v<R>.ts              MPEG-TS segment N (1-based) of rendition R
//	init-v<R>.mp4, seg-<N>-v<R>.m4s   fMP4 init section and segment
//	manifest.mpd                 DASH manifest
//	init-<S>.m4s, chunk-<S>-<N>.m4s   DASH init and media segments of stream S

// Protocol is a playback protocol.
type Protocol string

// The protocols of a VOD Station channel.
const (
	HLS  Protocol = "hls"
	DASH Protocol = "dash"
)

// Resource is what a playback request asks for.
type Resource int

// The resources of a playback URL.
const (
	MasterPlaylist Resource = iota + 1
	MediaPlaylist
	Segment
	InitSegment
	DASHManifest
	DASHSegment
)

func (r Resource) String() string {
	switch r {
	case MasterPlaylist:
		return "master playlist"
	case MediaPlaylist:
		return "media playlist"
	case Segment:
		return "segment"
	case InitSegment:
		return "init segment"
	case DASHManifest:
		return "DASH manifest"
	case DASHSegment:
		return "DASH segment"
	}
	return "unknown resource"
}

// PlayRequest is a parsed playback path.
type PlayRequest struct {
	Protocol Protocol
	// EncryptedBucket is the channel's encryptedBucketName; the caller maps
	// it to a bucket.
	EncryptedBucket string
	// Keys are the bucket-relative object keys of the renditions, in URL
	// order: one for the single-file form, several for the multi-bitrate
	// form.
	Keys []string
	// MultiBitrate is set for the ".smil" form.
	MultiBitrate bool
	Resource     Resource
	// Rendition is the 1-based rendition of a media playlist or HLS segment.
	Rendition int
	// Number is the 1-based number of an HLS segment or DASH chunk.
	Number int
	// File is the last path element ("index.m3u8", "seg-3-v1.ts", ...).
	File string
	// Base is the path up to and including the rendition element, without a
	// trailing slash; Base + "/" + File is the request path.
	Base string
}

// ErrBadPlayPath is wrapped by every error of ParsePlayPath.
var ErrBadPlayPath = errors.New("not a playback path")

var (
	mediaPlaylistRE = regexp.MustCompile(`^index-v([1-9][0-9]{0,3})\.m3u8$`)
	segmentRE       = regexp.MustCompile(`^seg-([1-9][0-9]{0,6})-v([1-9][0-9]{0,3})\.(ts|m4s)$`)
	initRE          = regexp.MustCompile(`^init-v([1-9][0-9]{0,3})\.mp4$`)
	dashFileRE      = regexp.MustCompile(`^(?:init-([0-9]{1,4})|chunk-([0-9]{1,4})-([0-9]{1,7}))\.m4s$`)
)

// ParsePlayPath parses the path of a playback request (URL path, already
// unescaped, with or without the CDN's path prefix removed):
// "/hls/<enc>/<path>/<file>/<resource>".
func ParsePlayPath(p string) (PlayRequest, error) {
	bad := func(format string, args ...any) (PlayRequest, error) {
		return PlayRequest{}, fmt.Errorf("%w: %q: %s", ErrBadPlayPath, p, fmt.Sprintf(format, args...))
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if len(parts) < 4 {
		return bad("want /<hls|dash>/<encryptedBucketName>/[<path>/]<file>/<manifest>")
	}
	for _, s := range parts {
		if s == "" || s == "." || s == ".." {
			return bad("empty, . or .. path element")
		}
	}
	r := PlayRequest{Protocol: Protocol(parts[0]), EncryptedBucket: parts[1], File: parts[len(parts)-1]}
	if r.Protocol != HLS && r.Protocol != DASH {
		return bad("protocol %q is not hls or dash", parts[0])
	}
	dir := strings.Join(parts[2:len(parts)-2], "/")
	elem := parts[len(parts)-2]
	r.Base = "/" + strings.Join(parts[:len(parts)-1], "/")
	if spec, ok := strings.CutSuffix(elem, ".smil"); ok {
		keys, err := splitMulti(dir, spec)
		if err != nil {
			return bad("%v", err)
		}
		r.Keys, r.MultiBitrate = keys, true
	} else {
		r.Keys = []string{joinKey(dir, elem)}
	}
	if err := r.parseResource(); err != nil {
		return bad("%v", err)
	}
	return r, nil
}

func (r *PlayRequest) parseResource() error {
	f := r.File
	if r.Protocol == DASH {
		if f == "manifest.mpd" {
			r.Resource = DASHManifest
			return nil
		}
		m := dashFileRE.FindStringSubmatch(f)
		if m == nil {
			return fmt.Errorf("%q is not a DASH resource (manifest.mpd, init-<S>.m4s, chunk-<S>-<N>.m4s)", f)
		}
		r.Resource = DASHSegment
		if m[3] != "" {
			r.Number, _ = strconv.Atoi(m[3])
		}
		return nil
	}
	switch {
	case f == "index.m3u8" || f == "master.m3u8":
		r.Resource = MasterPlaylist
		return nil
	case mediaPlaylistRE.MatchString(f):
		r.Resource = MediaPlaylist
		r.Rendition, _ = strconv.Atoi(mediaPlaylistRE.FindStringSubmatch(f)[1])
	case segmentRE.MatchString(f):
		m := segmentRE.FindStringSubmatch(f)
		r.Resource = Segment
		r.Number, _ = strconv.Atoi(m[1])
		r.Rendition, _ = strconv.Atoi(m[2])
	case initRE.MatchString(f):
		r.Resource = InitSegment
		r.Rendition, _ = strconv.Atoi(initRE.FindStringSubmatch(f)[1])
	default:
		return fmt.Errorf("%q is not an HLS resource (index.m3u8, master.m3u8, index-v<R>.m3u8, seg-<N>-v<R>.ts|.m4s, init-v<R>.mp4)", f)
	}
	if r.Rendition > len(r.Keys) {
		return fmt.Errorf("rendition %d of %d", r.Rendition, len(r.Keys))
	}
	return nil
}

// splitMulti expands "prefix,a,b,suffix" into dir/prefix+a+suffix, ...
func splitMulti(dir, spec string) ([]string, error) {
	fields := strings.Split(spec, ",")
	if len(fields) < 3 {
		return nil, fmt.Errorf("multi-bitrate element %q needs <prefix>,<rendition>,...,<suffix>", spec+".smil")
	}
	prefix, suffix, middles := fields[0], fields[len(fields)-1], fields[1:len(fields)-1]
	keys := make([]string, 0, len(middles))
	seen := map[string]bool{}
	for _, m := range middles {
		if m == "" {
			return nil, fmt.Errorf("multi-bitrate element %q has an empty rendition", spec+".smil")
		}
		k := joinKey(dir, prefix+m+suffix)
		if seen[k] {
			return nil, fmt.Errorf("multi-bitrate element %q lists %q twice", spec+".smil", m)
		}
		seen[k] = true
		keys = append(keys, k)
	}
	return keys, nil
}

func joinKey(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// PlayPath returns the playback path of keys (one key: the single-file
// form; several: the multi-bitrate form) for a channel's encrypted bucket
// name. Several keys must share their directory and differ in the middle
// of their names; the middles must not contain commas.
func PlayPath(protocol Protocol, encryptedBucket string, keys ...string) (string, error) {
	manifest := "index.m3u8"
	if protocol == DASH {
		manifest = "manifest.mpd"
	} else if protocol != HLS {
		return "", fmt.Errorf("protocol %q is not hls or dash", protocol)
	}
	switch len(keys) {
	case 0:
		return "", errors.New("no key to play")
	case 1:
		return "/" + string(protocol) + "/" + encryptedBucket + "/" + keys[0] + "/" + manifest, nil
	}
	dir := path.Dir("/" + keys[0])
	names := make([]string, len(keys))
	for i, k := range keys {
		if path.Dir("/"+k) != dir {
			return "", fmt.Errorf("keys %q and %q are in different folders", keys[0], k)
		}
		names[i] = path.Base("/" + k)
	}
	prefix, suffix := commonAffixes(names)
	if strings.Contains(prefix+suffix, ",") {
		return "", fmt.Errorf("keys %q have a comma in their common name part", keys)
	}
	var b strings.Builder
	b.WriteString(prefix + ",")
	for _, n := range names {
		m := n[len(prefix) : len(n)-len(suffix)]
		if m == "" || strings.Contains(m, ",") {
			return "", fmt.Errorf("key %q cannot be named in a multi-bitrate path", path.Join(dir, n))
		}
		b.WriteString(m + ",")
	}
	b.WriteString(suffix + ".smil")
	if protocol == HLS {
		manifest = "master.m3u8"
	}
	return "/" + string(protocol) + "/" + encryptedBucket + strings.TrimSuffix(dir, "/") + "/" + b.String() + "/" + manifest, nil
}

// commonAffixes returns the longest common prefix and suffix of names that
// do not overlap in the shortest name.
func commonAffixes(names []string) (prefix, suffix string) {
	prefix = names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	suffix = names[0][len(prefix):]
	for _, n := range names[1:] {
		for !strings.HasSuffix(n[len(prefix):], suffix) {
			suffix = suffix[1:]
		}
	}
	return prefix, suffix
}
