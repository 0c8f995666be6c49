package media

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultPreset is the libx264 preset Encode uses unless told otherwise: a
// fast one, since ncplocal encodes on a developer's machine.
const DefaultPreset = "veryfast"

// DefaultKeyframeAlign is the default distance of forced key frames. One
// second divides every segment duration a channel can have (5–20 s, whole
// seconds), so a rendition encoded once can be packaged by stream copy for
// any channel.
const DefaultKeyframeAlign = time.Second

// EncodeParams are the encoder's settings that are not part of an encoding
// option.
type EncodeParams struct {
	// Preset is the libx264 preset; empty means DefaultPreset.
	Preset string
	// KeyframeAlign forces a key frame at every multiple of it (zero means
	// DefaultKeyframeAlign). HLS and DASH packaging by stream copy can only
	// cut segments at key frames, so a segment duration that is a multiple
	// of it gives segments of exactly that duration.
	KeyframeAlign time.Duration
	// Threads limits ffmpeg's threads (0: ffmpeg's default, one per core).
	Threads int
	// OnProgress, when set, is called from the encoding goroutine as ffmpeg
	// reports progress (about twice a second) and once with Fraction 1 at
	// the end.
	OnProgress func(Progress)
}

// Progress is an encoding's progress.
type Progress struct {
	// Fraction is the share of the input's duration encoded so far, 0–1.
	Fraction float64
	// OutTime is the media time encoded so far.
	OutTime time.Duration
	// Speed is ffmpeg's speed relative to real time ("2.5x"), when known.
	Speed string
}

// Encode encodes the input file at in into the MP4 file at out as the
// encoding option describes, and returns the metadata of the result. The
// option is validated first; an input that is not a video (or, for an AUDIO
// option, has no audio) fails before ffmpeg starts. A cancelled ctx kills
// ffmpeg. On any failure out does not exist afterwards.
func (t Tools) Encode(ctx context.Context, in, out string, opt EncodingOption, p EncodeParams) (Metadata, error) {
	m, err := t.EncodeMany(ctx, in, []string{out}, []EncodingOption{opt}, p)
	if err != nil {
		return Metadata{}, err
	}
	return m[0], nil
}

// EncodeMany encodes the input file at in into one output per option
// (outs[i] with opts[i]) with one ffmpeg, which decodes the input once:
// the way to produce a ladder. It fails as a whole: on any failure none of
// outs exists afterwards.
func (t Tools) EncodeMany(ctx context.Context, in string, outs []string, opts []EncodingOption, p EncodeParams) ([]Metadata, error) {
	// A bad option is reported before the input is looked at.
	for _, o := range opts {
		if err := o.Validate(); err != nil {
			return nil, err
		}
	}
	src, err := t.Probe(ctx, in)
	if err != nil {
		return nil, err
	}
	return t.encodeProbed(ctx, in, src, outs, opts, p)
}

// encodeProbed is EncodeMany for an input already probed (src).
func (t Tools) encodeProbed(ctx context.Context, in string, src Metadata, outs []string, opts []EncodingOption, p EncodeParams) ([]Metadata, error) {
	if len(outs) != len(opts) || len(opts) == 0 {
		return nil, fmt.Errorf("encoding %q: %d outputs for %d options", in, len(outs), len(opts))
	}
	names := make([]string, len(opts))
	for i, o := range opts {
		if err := o.Validate(); err != nil {
			return nil, err
		}
		names[i] = strconv.Quote(o.Name)
	}
	what := fmt.Sprintf("encoding %q with option %s", in, strings.Join(names, ", "))
	args, err := encodeArgs(in, outs, src, opts, p)
	if err != nil {
		return nil, err
	}
	removeAll := func() {
		for _, o := range outs {
			_ = os.Remove(o)
		}
	}
	if err := t.runFFmpeg(ctx, args, src.Duration, p.OnProgress); err != nil {
		removeAll()
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	// The outputs are probed at once: the ladder is ready as soon as the
	// slowest probe is.
	res := make([]Metadata, len(outs))
	errs := make([]error, len(outs))
	var wg sync.WaitGroup
	for i, o := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if res[i], errs[i] = t.Probe(ctx, o); errs[i] != nil {
				errs[i] = fmt.Errorf("%s produced no readable %s: %w", what, o, errs[i])
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			removeAll()
			return nil, err
		}
	}
	return res, nil
}

// encodeArgs builds ffmpeg's command line for the renditions: one filter
// graph that splits the decoded video into one branch per video option,
// then one output per option.
func encodeArgs(in string, outs []string, src Metadata, opts []EncodingOption, p EncodeParams) ([]string, error) {
	args := []string{"-nostdin", "-hide_banner", "-v", "error", "-y", "-i", in}
	var videos []int
	for i, opt := range opts {
		if opt.IsAudio() {
			if !src.HasAudio {
				return nil, fmt.Errorf("%w: %s has no audio stream for the AUDIO option %q", ErrNotMedia, in, opt.Name)
			}
			continue
		}
		if !src.HasVideo {
			return nil, fmt.Errorf("%w: %s has no video stream (format %q)", ErrNotMedia, in, src.FormatName)
		}
		videos = append(videos, i)
	}
	if len(videos) > 0 {
		var graph strings.Builder
		if len(videos) == 1 {
			graph.WriteString("[0:v:0]" + videoFilter(src, *opts[videos[0]].Video) + "[v0]")
		} else {
			fmt.Fprintf(&graph, "[0:v:0]split=%d", len(videos))
			for k := range videos {
				fmt.Fprintf(&graph, "[s%d]", k)
			}
			for k, i := range videos {
				fmt.Fprintf(&graph, ";[s%d]%s[v%d]", k, videoFilter(src, *opts[i].Video), k)
			}
		}
		args = append(args, "-filter_complex", graph.String())
	}
	args = append(args, "-progress", "pipe:1", "-nostats")
	k := 0
	for i, opt := range opts {
		if opt.IsAudio() {
			args = append(args, "-map", "0:a:0")
		} else {
			args = append(args, "-map", fmt.Sprintf("[v%d]", k), "-map", "0:a:0?")
			k++
			v, err := videoArgs(src, *opt.Video, p)
			if err != nil {
				return nil, err
			}
			args = append(args, v...)
		}
		if p.Threads > 0 {
			args = append(args, "-threads", strconv.Itoa(p.Threads))
		}
		if src.HasAudio {
			args = append(args, audioArgs(opt.Audio)...)
		}
		args = append(args, "-movflags", "+faststart", "-f", "mp4", outs[i])
	}
	return args, nil
}

// videoFilter is the filter chain of a video option: frame rate, then the
// size (fit into the option's box, keeping the aspect ratio, even sizes).
func videoFilter(src Metadata, v VideoOption) string {
	var filters []string
	if fps := outputFPS(src, v); fps != src.FrameRate {
		filters = append(filters, "fps="+strconv.FormatFloat(fps, 'f', -1, 64))
	}
	switch w, h := v.Width, v.Height; {
	case w > 0 && h > 0:
		filters = append(filters, fmt.Sprintf("scale=w=%d:h=%d:force_original_aspect_ratio=decrease:force_divisible_by=2", w, h))
	case w > 0:
		filters = append(filters, fmt.Sprintf("scale=%d:-2", w&^1))
	case h > 0:
		filters = append(filters, fmt.Sprintf("scale=-2:%d", h&^1))
	default:
		filters = append(filters, "scale=trunc(iw/2)*2:trunc(ih/2)*2")
	}
	return strings.Join(filters, ",")
}

// outputFPS is the frame rate of a video option's output.
func outputFPS(src Metadata, v VideoOption) float64 {
	switch {
	case v.Framerate > 0:
		return v.Framerate
	case v.MaxFramerate > 0 && src.FrameRate > v.MaxFramerate:
		return v.MaxFramerate
	}
	return src.FrameRate
}

// videoArgs are the encoder options of a video option's output.
func videoArgs(src Metadata, v VideoOption, p EncodeParams) ([]string, error) {
	preset := p.Preset
	if preset == "" {
		preset = DefaultPreset
	}
	align := p.KeyframeAlign
	if align <= 0 {
		align = DefaultKeyframeAlign
	}
	fps := outputFPS(src, v)
	args := []string{"-c:v", "libx264", "-preset", preset, "-pix_fmt", "yuv420p"}
	if prof := strings.ToLower(v.Profile); prof != "" {
		args = append(args, "-profile:v", prof)
	}
	level, err := x264Level(v.Level)
	if err != nil {
		return nil, err
	}
	if level != "" {
		args = append(args, "-level:v", level)
	}
	if v.Bitrate > 0 {
		b := v.Bitrate
		if strings.EqualFold(v.RateControl, "CBR") {
			args = append(args, "-b:v", kb(b), "-minrate", kb(b), "-maxrate", kb(b), "-bufsize", kb(b), "-x264-params", "nal-hrd=cbr")
		} else {
			args = append(args, "-b:v", kb(b), "-maxrate", kb(b*3/2), "-bufsize", kb(b*2))
		}
	} else {
		args = append(args, "-crf", "23")
	}
	gop := v.KeyframeInterval
	if gop <= 0 && fps > 0 {
		gop = int(math.Round(fps * align.Seconds()))
	}
	if gop > 0 {
		args = append(args, "-g", strconv.Itoa(gop))
	}
	args = append(args, "-force_key_frames", "expr:gte(t,n_forced*"+strconv.FormatFloat(align.Seconds(), 'f', -1, 64)+")")
	return args, nil
}

func audioArgs(a *AudioOption) []string {
	args := []string{"-c:a", "aac"}
	bitrate := 128
	if a != nil && a.Bitrate > 0 {
		bitrate = a.Bitrate
	}
	args = append(args, "-b:a", kb(bitrate))
	if a != nil {
		if a.SamplingRate > 0 {
			args = append(args, "-ar", strconv.Itoa(a.SamplingRate))
		}
		if ch, _ := audioChannels(a.Channel); ch > 0 {
			args = append(args, "-ac", strconv.Itoa(ch))
		}
	}
	return args
}

func kb(n int) string { return strconv.Itoa(n) + "k" }

// runFFmpeg runs ffmpeg with -progress pipe:1 among args, feeding the
// progress reports to onProgress.
func (t Tools) runFFmpeg(ctx context.Context, args []string, duration float64, onProgress func(Progress)) error {
	cmd := exec.CommandContext(ctx, t.FFmpeg, args...)
	stderr := &tailBuffer{max: maxStderr}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return toolError(t.FFmpeg, err, "")
	}
	readProgress(stdout, duration, onProgress)
	if err := cmd.Wait(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return toolError(t.FFmpeg, err, stderr.String())
	}
	if onProgress != nil {
		onProgress(Progress{Fraction: 1, OutTime: time.Duration(duration * float64(time.Second))})
	}
	return nil
}

// readProgress parses ffmpeg's -progress key=value blocks until EOF.
func readProgress(r io.Reader, duration float64, onProgress func(Progress)) {
	sc := bufio.NewScanner(r)
	var cur Progress
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		switch key {
		case "out_time_us", "out_time_ms": // both are microseconds
			if us, err := strconv.ParseInt(val, 10, 64); err == nil && us >= 0 {
				cur.OutTime = time.Duration(us) * time.Microsecond
			}
		case "speed":
			cur.Speed = strings.TrimSpace(val)
		case "progress":
			if onProgress == nil {
				continue
			}
			if duration > 0 {
				cur.Fraction = min(cur.OutTime.Seconds()/duration, 1)
			}
			if val == "end" {
				continue // the caller reports the end once ffmpeg has exited cleanly
			}
			onProgress(cur)
		}
	}
	_, _ = io.Copy(io.Discard, r)
}

// Thumbnail writes one JPEG frame of the video at in, taken at time at (or,
// when at is negative or past the end, a tenth into the video), scaled to
// width pixels wide (0 keeps the size), to out.
func (t Tools) Thumbnail(ctx context.Context, in, out string, at time.Duration, width int) error {
	src, err := t.Probe(ctx, in)
	if err != nil {
		return err
	}
	if !src.HasVideo {
		return fmt.Errorf("%w: %s has no video stream to take a thumbnail from", ErrNotMedia, in)
	}
	if at < 0 || at.Seconds() >= src.Duration {
		at = time.Duration(src.Duration / 10 * float64(time.Second))
	}
	args := []string{"-nostdin", "-hide_banner", "-v", "error", "-y",
		"-ss", strconv.FormatFloat(at.Seconds(), 'f', 3, 64), "-i", in, "-frames:v", "1", "-q:v", "3"}
	if width > 0 {
		args = append(args, "-vf", fmt.Sprintf("scale=%d:-2", width&^1))
	}
	args = append(args, "-f", "image2", "-update", "1", out)
	if _, err := runTool(ctx, t.FFmpeg, args...); err != nil {
		_ = os.Remove(out)
		return fmt.Errorf("thumbnail of %q: %w", in, err)
	}
	if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
		_ = os.Remove(out)
		return errors.New("thumbnail of " + strconv.Quote(in) + ": ffmpeg wrote no image")
	}
	return nil
}
