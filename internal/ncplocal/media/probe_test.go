package media

import (
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestProbeVideo(t *testing.T) {
	dir := t.TempDir()
	in := makeClip(t, dir, "in.mp4", clip{Width: 320, Height: 180, Seconds: 2, FPS: 25, Audio: true})
	m, err := Probe(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if m.VideoCodec != "h264" || m.Width != 320 || m.Height != 180 || m.Framerate != "25" || m.FrameRate != 25 {
		t.Errorf("video = %s %dx%d @ %q (%g)", m.VideoCodec, m.Width, m.Height, m.Framerate, m.FrameRate)
	}
	if math.Abs(m.Duration-2) > 0.1 {
		t.Errorf("duration = %g, want 2", m.Duration)
	}
	if m.AudioCodec != "aac" || m.AudioSamplingRate != 44100 || m.AudioChannels != 1 {
		t.Errorf("audio = %s %d Hz %d ch", m.AudioCodec, m.AudioSamplingRate, m.AudioChannels)
	}
	if m.VideoBitrate <= 0 || m.AudioBitrate <= 0 || m.Size <= 0 {
		t.Errorf("bitrates %g/%g Kbps, size %d", m.VideoBitrate, m.AudioBitrate, m.Size)
	}
	if got := m.Codecs(); got == "" || got[:5] != "avc1." || got[len(got)-10:] != ",mp4a.40.2" {
		t.Errorf("Codecs() = %q", got)
	}
}

func TestProbeRejectsNonMedia(t *testing.T) {
	dir := t.TempDir()
	tools := testTools(t)
	png := filepath.Join(dir, "still.png")
	if b, err := exec.Command(tools.FFmpeg, "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=32x32", "-frames:v", "1", png).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	for name, path := range map[string]string{
		"text":     writeFile(t, dir, "notes.mp4", "this is not a video\n"),
		"empty":    writeFile(t, dir, "empty.mp4", ""),
		"image":    png,
		"fragment": fragment(t, dir),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := tools.Probe(context.Background(), path)
			if !errors.Is(err, ErrNotMedia) {
				t.Fatalf("Probe(%s) error = %v, want ErrNotMedia", name, err)
			}
			t.Log(err)
		})
	}
}

// fragment returns a kilobyte from the middle of an MP4: media data
// without any container structure.
func fragment(t *testing.T, dir string) string {
	full := makeClip(t, dir, "full.mp4", clip{Width: 64, Height: 64, Seconds: 1, FPS: 10})
	b := mustRead(t, full)
	return writeFile(t, dir, "cut.mp4", string(b[len(b)/2:len(b)/2+1024]))
}

func TestProbeMissingFile(t *testing.T) {
	_, err := testTools(t).Probe(context.Background(), filepath.Join(t.TempDir(), "nope.mp4"))
	if !errors.Is(err, os.ErrNotExist) || errors.Is(err, ErrNotMedia) {
		t.Fatalf("Probe of a missing file: %v, want os.ErrNotExist", err)
	}
}

func TestCodecs(t *testing.T) {
	for _, c := range []struct {
		m    Metadata
		want string
	}{
		{Metadata{HasVideo: true, VideoCodec: "h264", VideoProfile: "High", VideoLevel: 31, HasAudio: true, AudioCodec: "aac", AudioProfile: "LC"}, "avc1.64001f,mp4a.40.2"},
		{Metadata{HasVideo: true, VideoCodec: "h264", VideoProfile: "Main", VideoLevel: 30}, "avc1.4d401e"},
		{Metadata{HasVideo: true, VideoCodec: "h264", VideoProfile: "Constrained Baseline", VideoLevel: 21}, "avc1.42c015"},
		{Metadata{HasAudio: true, AudioCodec: "aac", AudioProfile: "HE-AAC"}, "mp4a.40.5"},
		{Metadata{HasVideo: true, VideoCodec: "hevc", VideoLevel: 90}, ""},
	} {
		if got := c.m.Codecs(); got != c.want {
			t.Errorf("Codecs(%+v) = %q, want %q", c.m, got, c.want)
		}
	}
}
