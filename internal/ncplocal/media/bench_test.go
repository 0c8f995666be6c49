package media

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// benchLadder is a 3-rendition ladder like VOD Station's system options.
var benchLadder = []EncodingOption{
	{Name: "AVC_FHD_1Pass_30fps", Video: &VideoOption{Codec: "AVC", Profile: "HIGH", Width: 1920, Height: 1080, Bitrate: 5000, Framerate: 30}, Audio: &AudioOption{Codec: "AAC", Bitrate: 128}},
	{Name: "AVC_HD_1Pass_30fps", Video: &VideoOption{Codec: "AVC", Profile: "HIGH", Width: 1280, Height: 720, Bitrate: 2500, Framerate: 30}, Audio: &AudioOption{Codec: "AAC", Bitrate: 128}},
	{Name: "AVC_SD_1Pass_30fps", Video: &VideoOption{Codec: "AVC", Profile: "MAIN", Width: 640, Height: 360, Bitrate: 800, Framerate: 30}, Audio: &AudioOption{Codec: "AAC", Bitrate: 96}},
}

// benchClip is the benchmarks' input: 10 s of 1080p30 with audio, made
// once per benchmark, outside the timed loop; 2 s when BENCH_SHORT is set
// (make test's one-iteration run of every benchmark, which checks that
// they work, not how fast).
func benchClip(b *testing.B) string {
	b.Helper()
	seconds := 10.0
	if os.Getenv("BENCH_SHORT") != "" {
		seconds = 2
	}
	return makeClip(b, b.TempDir(), "upload.mp4", clip{Width: 1920, Height: 1080, Seconds: seconds, FPS: 30, Audio: true})
}

// BenchmarkEncodeLadder encodes a 10-second 1080p clip into the 3-rendition
// ladder through the encoding pool (one job per encoding option, as
// add-files makes them, submitted together as one group; workers = cores),
// from fetching the input to storing the outputs. Compare with BenchmarkEncodeLadderPlainFFmpeg
// (target: at most 1.2 times its time).
func BenchmarkEncodeLadder(b *testing.B) {
	tools := testTools(b)
	in := benchClip(b)
	dir := b.TempDir()
	done := make(chan JobStatus, len(benchLadder))
	p, err := NewPool(PoolConfig{WorkDir: filepath.Join(dir, "work"), Tools: tools, OnChange: func(st JobStatus) {
		if st.State.Terminal() {
			done <- st
		}
	}})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close(context.Background())
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		b.Fatal(err)
	}
	round := 0
	for b.Loop() {
		round++
		var jobs []Job
		for _, opt := range benchLadder {
			jobs = append(jobs, Job{ID: fmt.Sprintf("%d-%s", round, opt.Name), InputName: "uploads/upload.mp4", Option: opt,
				Group: fmt.Sprint(round),
				Fetch: func(_ context.Context, dst string) error { return os.Link(in, dst) },
				Store: func(_ context.Context, o Output) error {
					return os.Rename(o.Path, filepath.Join(out, o.Name))
				}})
		}
		if _, err := p.SubmitAll(jobs...); err != nil {
			b.Fatal(err)
		}
		for range benchLadder {
			if st := <-done; st.State != StateComplete {
				b.Fatalf("%s: %s %s", st.ID, st.State, st.Reason)
			}
		}
	}
}

// BenchmarkEncodeLadderPlainFFmpeg produces the same ladder with one plain
// ffmpeg command, the usual way (decode once, split, three encoders), with
// the same encoder settings as Encode.
func BenchmarkEncodeLadderPlainFFmpeg(b *testing.B) {
	tools := testTools(b)
	in := benchClip(b)
	out := b.TempDir()
	args := []string{"-nostdin", "-v", "error", "-y", "-i", in}
	var split strings.Builder
	fmt.Fprintf(&split, "[0:v]split=%d", len(benchLadder))
	for i := range benchLadder {
		fmt.Fprintf(&split, "[s%d]", i)
	}
	for i, o := range benchLadder {
		fmt.Fprintf(&split, ";[s%d]fps=%g,scale=w=%d:h=%d:force_original_aspect_ratio=decrease:force_divisible_by=2[v%d]",
			i, o.Video.Framerate, o.Video.Width, o.Video.Height, i)
	}
	args = append(args, "-filter_complex", split.String())
	for i, o := range benchLadder {
		v := o.Video
		args = append(args, "-map", fmt.Sprintf("[v%d]", i), "-map", "0:a:0",
			"-c:v", "libx264", "-preset", DefaultPreset, "-pix_fmt", "yuv420p", "-profile:v", strings.ToLower(v.Profile),
			"-b:v", kb(v.Bitrate), "-maxrate", kb(v.Bitrate*3/2), "-bufsize", kb(v.Bitrate*2),
			"-g", "30", "-force_key_frames", "expr:gte(t,n_forced*1)",
			"-c:a", "aac", "-b:a", kb(o.Audio.Bitrate), "-movflags", "+faststart",
			filepath.Join(out, OutputName("upload.mp4", o)))
	}
	for b.Loop() {
		if out, err := exec.Command(tools.FFmpeg, args...).CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
}
