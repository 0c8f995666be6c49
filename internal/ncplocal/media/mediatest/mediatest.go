// Package mediatest generates small test videos with ffmpeg's test
// sources, for the tests and benchmarks of the media pipeline.
package mediatest

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// FFmpeg returns the path of ffmpeg, failing the test (never skipping)
// when it or ffprobe is missing.
func FFmpeg(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("ffmpeg")
	if err == nil {
		_, err = exec.LookPath("ffprobe")
	}
	if err != nil {
		t.Fatalf("this test needs ffmpeg and ffprobe on PATH (%v): run scripts/install-media-tools.sh as root", err)
	}
	return p
}

// Clip describes a generated video: a moving test pattern (testsrc2) and,
// with Audio, a 440 Hz tone.
type Clip struct {
	Width, Height int
	Seconds       float64
	FPS           int
	Audio         bool
	// GOP, when set, is the key frame interval in frames.
	GOP int
	// Preset is the libx264 preset; empty means ultrafast.
	Preset string
}

// Make writes the clip as an H.264/AAC MP4 named name into dir and returns
// its path.
func Make(t testing.TB, dir, name string, c Clip) string {
	t.Helper()
	ffmpeg := FFmpeg(t)
	out := filepath.Join(dir, name)
	dur := strconv.FormatFloat(c.Seconds, 'f', -1, 64)
	preset := c.Preset
	if preset == "" {
		preset = "ultrafast"
	}
	args := []string{"-nostdin", "-v", "error", "-y",
		"-f", "lavfi", "-i", fmt.Sprintf("testsrc2=size=%dx%d:rate=%d:duration=%s", c.Width, c.Height, c.FPS, dur)}
	if c.Audio {
		args = append(args, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration="+dur)
	}
	args = append(args, "-c:v", "libx264", "-preset", preset, "-pix_fmt", "yuv420p")
	if c.GOP > 0 {
		args = append(args, "-g", strconv.Itoa(c.GOP))
	}
	if c.Audio {
		args = append(args, "-c:a", "aac", "-b:a", "64k", "-shortest")
	}
	args = append(args, "-movflags", "+faststart", out)
	if b, err := exec.Command(ffmpeg, args...).CombinedOutput(); err != nil {
		t.Fatalf("generating %s: %v\n%s", name, err, b)
	}
	return out
}
