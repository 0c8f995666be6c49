package media

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestEncodeHonoursOption(t *testing.T) {
	tools := testTools(t)
	dir := t.TempDir()
	in := makeClip(t, dir, "movie.mp4", clip{Width: 320, Height: 240, Seconds: 3, FPS: 30, Audio: true})
	opt := EncodingOption{
		Name: "AVC_TEST_15fps", Type: TypeNormal, Format: FormatMP4,
		Video: &VideoOption{Codec: "AVC", Profile: "MAIN", Level: "3.0", Bitrate: 200, Width: 160, Height: 90, Framerate: 15, RateControl: "CBR"},
		Audio: &AudioOption{Codec: "AAC", Channel: "2", Bitrate: 48, SamplingRate: 22050},
	}
	out := filepath.Join(dir, OutputName("movie.mp4", opt))
	var mu sync.Mutex
	var fractions []float64
	m, err := tools.Encode(context.Background(), in, out, opt, EncodeParams{OnProgress: func(p Progress) {
		mu.Lock()
		fractions = append(fractions, p.Fraction)
		mu.Unlock()
	}})
	if err != nil {
		t.Fatal(err)
	}
	// 320x240 fit into 160x90 keeping the aspect ratio is 120x90.
	if m.Width != 120 || m.Height != 90 {
		t.Errorf("size %dx%d, want 120x90", m.Width, m.Height)
	}
	if m.FrameRate != 15 || m.VideoProfile != "Main" || m.VideoLevel != 30 {
		t.Errorf("frame rate %g, profile %q, level %d", m.FrameRate, m.VideoProfile, m.VideoLevel)
	}
	if m.AudioSamplingRate != 22050 || m.AudioChannels != 2 || m.AudioCodec != "aac" {
		t.Errorf("audio %s %d Hz %d ch", m.AudioCodec, m.AudioSamplingRate, m.AudioChannels)
	}
	if math.Abs(m.Duration-3) > 0.15 {
		t.Errorf("duration %g, want 3", m.Duration)
	}
	if m.VideoBitrate < 50 || m.VideoBitrate > 400 {
		t.Errorf("video bitrate %g Kbps, want about 200", m.VideoBitrate)
	}
	// Key frames every second, so any whole-second segment duration cuts
	// exactly.
	kf := keyframeTimes(t, out)
	if len(kf) != 3 {
		t.Errorf("key frames at %v, want 0, 1, 2", kf)
	}
	for i, k := range kf {
		if math.Abs(k-float64(i)) > 0.07 {
			t.Errorf("key frame %d at %g s, want %d s", i, k, i)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(fractions) < 1 || fractions[len(fractions)-1] != 1 {
		t.Fatalf("progress %v, want it to end at 1", fractions)
	}
	for i := 1; i < len(fractions); i++ {
		if fractions[i] < fractions[i-1] {
			t.Errorf("progress went back: %v", fractions)
		}
	}
}

func TestEncodeMaxFramerate(t *testing.T) {
	tools := testTools(t)
	dir := t.TempDir()
	in := makeClip(t, dir, "in.mp4", clip{Width: 64, Height: 64, Seconds: 1, FPS: 30})
	outs := []string{filepath.Join(dir, "capped.mp4"), filepath.Join(dir, "kept.mp4")}
	opts := []EncodingOption{
		{Name: "capped", Video: &VideoOption{Codec: "AVC", MaxFramerate: 15}},
		{Name: "kept", Video: &VideoOption{Codec: "AVC", MaxFramerate: 60}},
	}
	ms, err := tools.EncodeMany(context.Background(), in, outs, opts, EncodeParams{})
	if err != nil {
		t.Fatal(err)
	}
	if ms[0].FrameRate != 15 || ms[1].FrameRate != 30 {
		t.Errorf("frame rates %g and %g, want 15 and 30", ms[0].FrameRate, ms[1].FrameRate)
	}
}

func TestEncodeAudioOption(t *testing.T) {
	tools := testTools(t)
	dir := t.TempDir()
	in := makeClip(t, dir, "song.mp4", clip{Width: 64, Height: 64, Seconds: 1, FPS: 10, Audio: true})
	opt := EncodingOption{Name: "AAC_64", Type: TypeAudio, Audio: &AudioOption{Codec: "AAC", Channel: "AUTO", Bitrate: 64}}
	out := filepath.Join(dir, OutputName(in, opt))
	if !strings.HasSuffix(out, "song_AAC_64.m4a") {
		t.Fatalf("output name %s", out)
	}
	m, err := tools.Encode(context.Background(), in, out, opt, EncodeParams{})
	if err != nil {
		t.Fatal(err)
	}
	if m.HasVideo || !m.HasAudio {
		t.Errorf("AUDIO rendition has video %v, audio %v", m.HasVideo, m.HasAudio)
	}
	// An input without audio fails for an AUDIO option.
	silent := makeClip(t, dir, "silent.mp4", clip{Width: 64, Height: 64, Seconds: 1, FPS: 10})
	if _, err := tools.Encode(context.Background(), silent, filepath.Join(dir, "x.m4a"), opt, EncodeParams{}); !errors.Is(err, ErrNotMedia) {
		t.Errorf("AUDIO option on a silent video: %v, want ErrNotMedia", err)
	}
}

func TestEncodeRejectsBadInputAndOption(t *testing.T) {
	tools := testTools(t)
	dir := t.TempDir()
	opt := EncodingOption{Name: "SD", Video: &VideoOption{Codec: "AVC", Width: 64}}
	out := filepath.Join(dir, "out.mp4")
	_, err := tools.Encode(context.Background(), writeFile(t, dir, "readme.mp4", "hello"), out, opt, EncodeParams{})
	if !errors.Is(err, ErrNotMedia) {
		t.Errorf("text input: %v, want ErrNotMedia", err)
	}
	if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
		t.Errorf("a failed encoding left %s behind", out)
	}
	// An interrupted upload: the header says 2 s of video, the data is gone.
	full := makeClip(t, dir, "full.mp4", clip{Width: 160, Height: 90, Seconds: 2, FPS: 10})
	cut := writeFile(t, dir, "cut.mp4", string(mustRead(t, full)[:2048]))
	if _, err := tools.Encode(context.Background(), cut, out, opt, EncodeParams{}); err == nil {
		t.Error("encoding a truncated upload succeeded")
	} else {
		t.Log(err)
	}
	if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
		t.Errorf("a failed encoding left %s behind", out)
	}
	bad := EncodingOption{Name: "bad", Format: "AVI", Video: &VideoOption{Codec: "VP9", Profile: "EXTREME", Level: "9.9", RateControl: "QVBR"},
		Audio: &AudioOption{Codec: "MP3", Channel: "5", Bitrate: 999, SamplingRate: 12345}}
	err = bad.Validate()
	if err == nil {
		t.Fatal("an invalid option validated")
	}
	for _, field := range []string{"format", "video.codec", "video.codecOptions.profile", "video.codecOptions.level", "video.rateControl",
		"audio.codec", "audio.channel", "audio.bitrate", "audio.samplingRate"} {
		if !strings.Contains(err.Error(), field+":") {
			t.Errorf("the error does not name %s: %v", field, err)
		}
	}
	if _, err := tools.Encode(context.Background(), out, out, bad, EncodeParams{}); err == nil || !strings.Contains(err.Error(), "video.codec") {
		t.Errorf("Encode with an invalid option: %v", err)
	}
}

func TestEncodeCancelKillsFFmpeg(t *testing.T) {
	tools := testTools(t)
	dir := t.TempDir()
	in := makeClip(t, dir, "long.mp4", clip{Width: 320, Height: 180, Seconds: 20, FPS: 25})
	out := filepath.Join(dir, "out.mp4")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := make(chan struct{}, 1)
	done := make(chan error, 1)
	go func() {
		_, err := tools.Encode(ctx, in, out, EncodingOption{Name: "slow", Video: &VideoOption{Codec: "AVC"}},
			EncodeParams{Preset: "veryslow", OnProgress: func(Progress) {
				select {
				case started <- struct{}{}:
				default:
				}
			}})
		done <- err
	}()
	select {
	case <-started:
	case err := <-done:
		t.Fatalf("encoding ended before it could be cancelled: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ffmpeg was not killed within 10 s of the cancellation")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the cancelled encoding left %s behind", out)
	}
}

func TestThumbnail(t *testing.T) {
	tools := testTools(t)
	dir := t.TempDir()
	in := makeClip(t, dir, "movie.mp4", clip{Width: 320, Height: 180, Seconds: 2, FPS: 10})
	out := filepath.Join(dir, ThumbnailName("videos/movie.mp4"))
	if filepath.Base(out) != "movie_01.jpg" {
		t.Fatalf("thumbnail name %s", out)
	}
	if err := tools.Thumbnail(context.Background(), in, out, -1, 160); err != nil {
		t.Fatal(err)
	}
	b := mustRead(t, out)
	if len(b) < 3 || b[0] != 0xFF || b[1] != 0xD8 {
		t.Fatalf("%s is not a JPEG", out)
	}
	m, err := tools.Probe(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if m.Width != 320 {
		t.Fatal("probe of the input changed")
	}
	if err := tools.Thumbnail(context.Background(), writeFile(t, dir, "x.txt", "x"), filepath.Join(dir, "y.jpg"), 0, 0); !errors.Is(err, ErrNotMedia) {
		t.Errorf("thumbnail of a text file: %v", err)
	}
}

func TestNaming(t *testing.T) {
	opt := EncodingOption{Name: "AVC_SD_1Pass_30fps_1"}
	for in, want := range map[string]string{
		"movie.mp4":             "movie_AVC_SD_1Pass_30fps_1.mp4",
		"uploads/a/clip.v2.MOV": "clip.v2_AVC_SD_1Pass_30fps_1.mp4",
		"noext":                 "noext_AVC_SD_1Pass_30fps_1.mp4",
		"http://h/x/y.webm":     "y_AVC_SD_1Pass_30fps_1.mp4",
	} {
		if got := OutputName(in, opt); got != want {
			t.Errorf("OutputName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := OutputDir("/vod/out/", "cat1", false); got != "vod/out/cat1" {
		t.Errorf("OutputDir = %q", got)
	}
	if got := OutputDir("vod", "cat1", true); got != "vod" {
		t.Errorf("OutputDir without category = %q", got)
	}
	if got := OutputKey("", "a.mp4"); got != "a.mp4" {
		t.Errorf("OutputKey = %q", got)
	}
}
