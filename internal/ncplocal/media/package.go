package media

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrNotFound is what a Source's errors wrap for a missing object.
var ErrNotFound = errors.New("object not found")

// ErrForbidden is what a Source's errors wrap for an object it may not
// serve (a private object of a channel that does not stream private
// files); ServePlay answers it 403.
var ErrForbidden = errors.New("access denied")

// ObjectInfo describes the current version of a source object.
type ObjectInfo struct {
	// Version changes whenever the object's content changes (its ETag, or
	// ETag and modification time). Packaged results are reused only for the
	// same Version.
	Version string
	Size    int64
	ModTime time.Time
	// LocalPath, when set, is a file holding the object's body that the
	// packager may read (never modify) instead of copying it through Open.
	LocalPath string
}

// Source gives the packager the MP4 renditions it packages: the objects of
// one bucket, by key. The Global Edge emulator implements it over its
// Object Storage.
type Source interface {
	// Stat returns the object's current version, or an error wrapping
	// ErrNotFound (no such object) or ErrForbidden (not to be served).
	Stat(ctx context.Context, key string) (ObjectInfo, error)
	// Open returns the object's body.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
}

// SegmentFormat is the container of HLS segments.
type SegmentFormat string

// HLS segment formats.
const (
	// SegmentTS is MPEG-TS (".ts", video/mp2t), what every HLS player plays.
	SegmentTS SegmentFormat = "ts"
	// SegmentFMP4 is fragmented MP4 (".m4s" with an "init.mp4", video/mp4).
	SegmentFMP4 SegmentFormat = "fmp4"
)

// DefaultSegmentDuration is used when PackageOptions.SegmentDuration is 0.
const DefaultSegmentDuration = 10

// PackageOptions are a channel's packaging settings.
type PackageOptions struct {
	// SegmentDuration is the channel's segment duration in seconds, 5–20
	// (ncp-api.md §2.4); 0 means DefaultSegmentDuration.
	SegmentDuration int
	// SegmentFormat of HLS; empty means SegmentTS.
	SegmentFormat SegmentFormat
}

func (o PackageOptions) normalize() (PackageOptions, error) {
	if o.SegmentDuration == 0 {
		o.SegmentDuration = DefaultSegmentDuration
	}
	if o.SegmentDuration < 5 || o.SegmentDuration > 20 {
		return o, fmt.Errorf("segment duration %d s is out of range 5–20", o.SegmentDuration)
	}
	switch o.SegmentFormat {
	case "":
		o.SegmentFormat = SegmentTS
	case SegmentTS, SegmentFMP4:
	default:
		return o, fmt.Errorf("segment format %q is not ts or fmp4", o.SegmentFormat)
	}
	return o, nil
}

// Packager packages MP4 renditions as HLS and DASH by stream copy (no
// re-encoding) and keeps the results in a cache directory. A packaged
// rendition is reused until its source's version changes; at most one
// packaging of a given source (or DASH rendition set) runs at a time, and
// the others wait for its result.
type Packager struct {
	tools Tools
	dir   string

	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	mu   sync.Mutex
	refs int
}

// NewPackager returns a packager caching under cacheDir (created if
// missing). Results left there by an earlier run are reused.
func NewPackager(t Tools, cacheDir string) (*Packager, error) {
	if t.FFmpeg == "" || t.FFprobe == "" {
		return nil, fmt.Errorf("packager: ffmpeg and ffprobe paths are required (FindTools): %s", InstallHint)
	}
	for _, d := range []string{"hls", "dash", "tmp"} {
		if err := os.MkdirAll(filepath.Join(cacheDir, d), 0o700); err != nil {
			return nil, fmt.Errorf("packager cache: %w", err)
		}
	}
	return &Packager{tools: t, dir: cacheDir, locks: map[string]*keyLock{}}, nil
}

// lock serialises the packagings of one cache entry.
func (p *Packager) lock(id string) func() {
	p.mu.Lock()
	l := p.locks[id]
	if l == nil {
		l = &keyLock{}
		p.locks[id] = l
	}
	l.refs++
	p.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		p.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(p.locks, id)
		}
		p.mu.Unlock()
	}
}

// HLSSegment is one segment of a packaged rendition.
type HLSSegment struct {
	File     string  `json:"file"`
	Duration float64 `json:"duration"`
	Size     int64   `json:"size"`
}

// HLSRendition is one source packaged as HLS.
type HLSRendition struct {
	Key             string        `json:"key"`
	Version         string        `json:"version"`
	SegmentDuration int           `json:"segmentDuration"`
	Format          SegmentFormat `json:"format"`
	Metadata        Metadata      `json:"metadata"`
	// InitFile is the fMP4 init section ("" for TS).
	InitFile string       `json:"initFile,omitempty"`
	Segments []HLSSegment `json:"segments"`
	// PeakBandwidth and AverageBandwidth are in bits per second, from the
	// segments' sizes and durations (the BANDWIDTH and AVERAGE-BANDWIDTH of
	// the master playlist).
	PeakBandwidth    int64     `json:"peakBandwidth"`
	AverageBandwidth int64     `json:"averageBandwidth"`
	Built            time.Time `json:"built"`
	// Dir is where the files are.
	Dir string `json:"-"`
}

const entryFile = "entry.json"

func cacheID(parts ...string) string {
	h := sha256.New()
	for _, s := range parts {
		h.Write([]byte(strconv.Itoa(len(s)) + ":" + s))
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// HLS returns the HLS packaging of the object key of src, packaging it
// first when the cache has none for the object's current version.
func (p *Packager) HLS(ctx context.Context, src Source, key string, opt PackageOptions) (*HLSRendition, error) {
	opt, err := opt.normalize()
	if err != nil {
		return nil, err
	}
	info, err := src.Stat(ctx, key)
	if err != nil {
		return nil, err
	}
	id := cacheID("hls", key, strconv.Itoa(opt.SegmentDuration), string(opt.SegmentFormat))
	dir := filepath.Join(p.dir, "hls", id)
	var cached HLSRendition
	if readEntry(dir, &cached) && cached.Version == info.Version {
		cached.Dir = dir
		return &cached, nil
	}
	unlock := p.lock(id)
	defer unlock()
	if readEntry(dir, &cached) && cached.Version == info.Version {
		cached.Dir = dir
		return &cached, nil
	}
	in, release, err := p.localCopy(ctx, src, key, info)
	if err != nil {
		return nil, err
	}
	defer release()
	r, err := p.packageHLS(ctx, in, key, info, opt, dir)
	if err != nil {
		return nil, fmt.Errorf("packaging %q as HLS: %w", key, err)
	}
	return r, nil
}

// localCopy returns a local file with the object's body.
func (p *Packager) localCopy(ctx context.Context, src Source, key string, info ObjectInfo) (string, func(), error) {
	if info.LocalPath != "" {
		return info.LocalPath, func() {}, nil
	}
	body, err := src.Open(ctx, key)
	if err != nil {
		return "", nil, err
	}
	defer body.Close()
	f, err := os.CreateTemp(filepath.Join(p.dir, "tmp"), "src-*"+safeExt(key))
	if err != nil {
		return "", nil, err
	}
	release := func() { _ = os.Remove(f.Name()) }
	if _, err := io.Copy(f, body); err != nil {
		f.Close()
		release()
		return "", nil, fmt.Errorf("reading %q: %w", key, err)
	}
	if err := f.Close(); err != nil {
		release()
		return "", nil, err
	}
	return f.Name(), release, nil
}

func (p *Packager) packageHLS(ctx context.Context, in, key string, info ObjectInfo, opt PackageOptions, dir string) (*HLSRendition, error) {
	meta, err := p.tools.Probe(ctx, in)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(filepath.Join(p.dir, "tmp"), "hls-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	segPattern, segType := "seg-%d.ts", "mpegts"
	if opt.SegmentFormat == SegmentFMP4 {
		segPattern, segType = "seg-%d.m4s", "fmp4"
	}
	args := []string{"-nostdin", "-hide_banner", "-v", "error", "-y", "-i", in,
		"-map", "0:v:0?", "-map", "0:a:0?", "-c", "copy",
		"-f", "hls", "-hls_time", strconv.Itoa(opt.SegmentDuration), "-hls_playlist_type", "vod",
		"-hls_list_size", "0", "-start_number", "1", "-hls_segment_type", segType,
		"-hls_segment_filename", filepath.Join(tmp, segPattern)}
	if opt.SegmentFormat == SegmentFMP4 {
		args = append(args, "-hls_fmp4_init_filename", "init.mp4")
	}
	args = append(args, filepath.Join(tmp, "index.m3u8"))
	if _, err := runTool(ctx, p.tools.FFmpeg, args...); err != nil {
		return nil, err
	}
	r := &HLSRendition{Key: key, Version: info.Version, SegmentDuration: opt.SegmentDuration, Format: opt.SegmentFormat, Metadata: meta, Built: time.Now().UTC()}
	if err := r.readPlaylist(tmp); err != nil {
		return nil, err
	}
	if err := p.install(tmp, dir, r); err != nil {
		return nil, err
	}
	r.Dir = dir
	return r, nil
}

// readPlaylist reads the segments of ffmpeg's media playlist in dir.
func (r *HLSRendition) readPlaylist(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "index.m3u8"))
	if err != nil {
		return err
	}
	var dur float64
	var total, size int64
	var seconds float64
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "#EXTINF:"):
			v, _, _ := strings.Cut(strings.TrimPrefix(line, "#EXTINF:"), ",")
			dur = parseFloat(v)
		case strings.HasPrefix(line, "#EXT-X-MAP:"):
			r.InitFile = "init.mp4"
		case line != "" && !strings.HasPrefix(line, "#"):
			fi, err := os.Stat(filepath.Join(dir, line))
			if err != nil {
				return fmt.Errorf("segment %s: %w", line, err)
			}
			size = fi.Size()
			r.Segments = append(r.Segments, HLSSegment{File: line, Duration: dur, Size: size})
			if dur > 0 {
				r.PeakBandwidth = max(r.PeakBandwidth, int64(math.Ceil(float64(size*8)/dur)))
			}
			total += size
			seconds += dur
		}
	}
	if len(r.Segments) == 0 {
		return errors.New("ffmpeg produced no segment")
	}
	if seconds > 0 {
		r.AverageBandwidth = int64(math.Ceil(float64(total*8) / seconds))
	}
	if r.InitFile != "" {
		fi, err := os.Stat(filepath.Join(dir, r.InitFile))
		if err != nil {
			return fmt.Errorf("init segment: %w", err)
		}
		// The init section is fetched once; spread it over the first
		// segment for the peak.
		if first := r.Segments[0]; first.Duration > 0 {
			r.PeakBandwidth = max(r.PeakBandwidth, int64(math.Ceil(float64((first.Size+fi.Size())*8)/first.Duration)))
		}
	}
	return nil
}

// install writes entry into the finished directory tmp and puts tmp in
// place of the cache entry dir.
func (p *Packager) install(tmp, dir string, entry any) error {
	if err := writeEntry(tmp, entry); err != nil {
		return err
	}
	return replaceDir(tmp, dir, filepath.Join(p.dir, "tmp"))
}

func readEntry(dir string, v any) bool {
	b, err := os.ReadFile(filepath.Join(dir, entryFile))
	if err != nil {
		return false
	}
	return json.Unmarshal(b, v) == nil
}

func writeEntry(dir string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, entryFile), b, 0o600)
}

// replaceDir puts the finished directory tmp in place of dir. The old
// content is moved aside first and removed afterwards, so dir is always
// either the old or the new complete entry.
func replaceDir(tmp, dir, trashParent string) error {
	var trash string
	if _, err := os.Stat(dir); err == nil {
		t, err := os.MkdirTemp(trashParent, "old-*")
		if err != nil {
			return err
		}
		trash = filepath.Join(t, "entry")
		if err := os.Rename(dir, trash); err != nil {
			os.RemoveAll(t)
			return err
		}
		defer os.RemoveAll(t)
	}
	return os.Rename(tmp, dir)
}

// DASHPackage is a set of renditions packaged as one DASH presentation.
type DASHPackage struct {
	Keys            []string  `json:"keys"`
	Versions        []string  `json:"versions"`
	SegmentDuration int       `json:"segmentDuration"`
	Built           time.Time `json:"built"`
	Dir             string    `json:"-"`
}

// DASH returns the DASH packaging of the objects keys (one presentation,
// one representation per rendition), packaging them when the cache has
// none for their current versions.
func (p *Packager) DASH(ctx context.Context, src Source, keys []string, opt PackageOptions) (*DASHPackage, error) {
	opt, err := opt.normalize()
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, errors.New("no rendition to package")
	}
	infos := make([]ObjectInfo, len(keys))
	versions := make([]string, len(keys))
	for i, k := range keys {
		if infos[i], err = src.Stat(ctx, k); err != nil {
			return nil, err
		}
		versions[i] = infos[i].Version
	}
	id := cacheID(append([]string{"dash", strconv.Itoa(opt.SegmentDuration)}, keys...)...)
	dir := filepath.Join(p.dir, "dash", id)
	current := func() (*DASHPackage, bool) {
		var d DASHPackage
		if readEntry(dir, &d) && slices.Equal(d.Versions, versions) {
			d.Dir = dir
			return &d, true
		}
		return nil, false
	}
	if d, ok := current(); ok {
		return d, nil
	}
	unlock := p.lock(id)
	defer unlock()
	if d, ok := current(); ok {
		return d, nil
	}
	d, err := p.packageDASH(ctx, src, keys, infos, versions, opt, dir)
	if err != nil {
		return nil, fmt.Errorf("packaging %q as DASH: %w", keys, err)
	}
	return d, nil
}

func (p *Packager) packageDASH(ctx context.Context, src Source, keys []string, infos []ObjectInfo, versions []string, opt PackageOptions, dir string) (*DASHPackage, error) {
	args := []string{"-nostdin", "-hide_banner", "-v", "error", "-y"}
	var maps []string
	var hasVideo, hasAudio bool
	for i, k := range keys {
		in, release, err := p.localCopy(ctx, src, k, infos[i])
		if err != nil {
			return nil, err
		}
		defer release()
		meta, err := p.tools.Probe(ctx, in)
		if err != nil {
			return nil, err
		}
		args = append(args, "-i", in)
		if meta.HasVideo {
			hasVideo = true
			maps = append(maps, "-map", strconv.Itoa(i)+":v:0")
		}
		if meta.HasAudio {
			hasAudio = true
			maps = append(maps, "-map", strconv.Itoa(i)+":a:0")
		}
	}
	var sets []string
	if hasVideo {
		sets = append(sets, "id=0,streams=v")
	}
	if hasAudio {
		sets = append(sets, "id="+strconv.Itoa(len(sets))+",streams=a")
	}
	tmp, err := os.MkdirTemp(filepath.Join(p.dir, "tmp"), "dash-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	args = append(args, maps...)
	args = append(args, "-c", "copy", "-f", "dash", "-seg_duration", strconv.Itoa(opt.SegmentDuration),
		"-use_template", "1", "-use_timeline", "1",
		"-init_seg_name", "init-$RepresentationID$.m4s",
		"-media_seg_name", "chunk-$RepresentationID$-$Number$.m4s",
		"-adaptation_sets", strings.Join(sets, " "),
		filepath.Join(tmp, "manifest.mpd"))
	if _, err := runTool(ctx, p.tools.FFmpeg, args...); err != nil {
		return nil, err
	}
	d := &DASHPackage{Keys: keys, Versions: versions, SegmentDuration: opt.SegmentDuration, Built: time.Now().UTC()}
	if err := p.install(tmp, dir, d); err != nil {
		return nil, err
	}
	d.Dir = dir
	return d, nil
}

// Purge removes every cached packaging that involves one of keys (a CDN
// purge, or the source objects were deleted).
func (p *Packager) Purge(keys ...string) error {
	drop := map[string]bool{}
	for _, k := range keys {
		drop[k] = true
	}
	var errs []error
	for _, kind := range []string{"hls", "dash"} {
		entries, err := os.ReadDir(filepath.Join(p.dir, kind))
		if err != nil {
			return err
		}
		for _, e := range entries {
			dir := filepath.Join(p.dir, kind, e.Name())
			var v struct {
				Key  string   `json:"key"`
				Keys []string `json:"keys"`
			}
			if !readEntry(dir, &v) {
				continue
			}
			hit := drop[v.Key]
			for _, k := range v.Keys {
				hit = hit || drop[k]
			}
			if hit {
				unlock := p.lock(e.Name())
				errs = append(errs, os.RemoveAll(dir))
				unlock()
			}
		}
	}
	return errors.Join(errs...)
}
