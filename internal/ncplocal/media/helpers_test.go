package media

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media/mediatest"
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

// clip is a generated test video.
type clip = mediatest.Clip

// makeClip generates a small H.264/AAC MP4 with ffmpeg's test sources.
func makeClip(t testing.TB, dir, name string, c clip) string {
	t.Helper()
	return mediatest.Make(t, dir, name, c)
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
