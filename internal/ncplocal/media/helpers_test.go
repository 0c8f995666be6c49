package media

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// testTools returns ffmpeg and ffprobe, failing the test (never skipping)
// when they are missing.
func testTools(t testing.TB) Tools {
	t.Helper()
	tools, err := FindTools()
	if err != nil {
		t.Fatalf("this test needs ffmpeg and ffprobe: %v", err)
	}
	return tools
}

// clip describes a generated test video.
type clip struct {
	Width, Height int
	Seconds       float64
	FPS           int
	Audio         bool
	// GOP, when set, forces a key frame every GOP frames (x264 keyint).
	GOP int
}

// makeClip generates a small H.264/AAC MP4 with ffmpeg's test sources.
func makeClip(t testing.TB, dir, name string, c clip) string {
	t.Helper()
	tools := testTools(t)
	out := filepath.Join(dir, name)
	dur := strconv.FormatFloat(c.Seconds, 'f', -1, 64)
	args := []string{"-nostdin", "-v", "error", "-y",
		"-f", "lavfi", "-i", fmt.Sprintf("testsrc2=size=%dx%d:rate=%d:duration=%s", c.Width, c.Height, c.FPS, dur)}
	if c.Audio {
		args = append(args, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration="+dur)
	}
	args = append(args, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")
	if c.GOP > 0 {
		args = append(args, "-g", strconv.Itoa(c.GOP))
	}
	if c.Audio {
		args = append(args, "-c:a", "aac", "-b:a", "64k", "-shortest")
	}
	args = append(args, "-movflags", "+faststart", out)
	if b, err := exec.Command(tools.FFmpeg, args...).CombinedOutput(); err != nil {
		t.Fatalf("generating %s: %v\n%s", name, err, b)
	}
	return out
}

// writeFile writes a non-media file.
func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// keyframeTimes returns the presentation times of the video key frames.
func keyframeTimes(t testing.TB, path string) []float64 {
	t.Helper()
	tools := testTools(t)
	out, err := runTool(context.Background(), tools.FFprobe, "-v", "error", "-select_streams", "v:0",
		"-skip_frame", "nokey", "-show_entries", "frame=pts_time", "-of", "csv=p=0", path)
	if err != nil {
		t.Fatal(err)
	}
	var times []float64
	for _, line := range splitLines(string(out)) {
		if line == "" {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimRight(line, ","), 64)
		if err != nil {
			t.Fatalf("ffprobe key frame time %q: %v", line, err)
		}
		times = append(times, f)
	}
	return times
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, trimCR(s[start:i]))
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, trimCR(s[start:]))
	}
	return out
}

func trimCR(s string) string {
	if len(s) > 0 && s[len(s)-1] == '\r' {
		return s[:len(s)-1]
	}
	return s
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
