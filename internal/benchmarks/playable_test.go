package benchmarks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media/mediatest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/player"
	"github.com/ncplabs/terraform-provider-ncp/internal/videopipeline/pipelinetest"
	vodwire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// ladderOptions are the 3-rendition ladder of the upload → playable
// benchmark: VOD Station's "Business content" template (1080p, 720p,
// 480p).
var ladderOptions = []int64{4, 3, 2}

// BenchmarkUploadToPlayable measures, for a 10-second 1080p clip (2 s at
// 640x360 with -short) and a 3-rendition ladder, the time from the start
// of its upload into the pipeline's upload bucket (an ncplocal process
// with a data dir; trigger → sequence → add-files → encode) until its
// multi-bitrate HLS master playlist is playable through the channel's CDN
// URL (the master, every variant playlist and the first segment of the
// first one answer 200), against plain ffmpeg encoding the same ladder
// from the same file on the same machine (one process, one decode, the
// same sizes, bitrates, profiles, key frame interval and audio). Metrics:
// "pipeline-s", "ffmpeg-s" and "ratio" (pipeline ÷ ffmpeg; target ≤ 1.2).
func BenchmarkUploadToPlayable(b *testing.B) {
	clipSpec := mediatest.Clip{Width: 1920, Height: 1080, Seconds: 10, FPS: 30, Audio: true, GOP: 60}
	if testing.Short() || benchShort() {
		clipSpec = mediatest.Clip{Width: 640, Height: 360, Seconds: 2, FPS: 30, Audio: true, GOP: 60}
	}
	clipPath := mediatest.Make(b, b.TempDir(), "clip.mp4", clipSpec)
	clip, err := os.ReadFile(clipPath)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	proc := pipelinetest.Start(b, pipelinetest.Binary(b, tofucli.RepoRoot(b)), b.TempDir(), "127.0.0.1:0")
	cred := ncplocal.DefaultCredential
	p, err := pipelinetest.Setup(ctx, pipelinetest.Config{URL: proc.URL, AccessKey: cred.AccessKey, SecretKey: cred.SecretKey,
		RepoRoot: tofucli.RepoRoot(b), Prefix: "ladder", Options: ladderOptions, CDN: true})
	if err != nil {
		b.Fatalf("building the pipeline: %v\n%s", err, proc.Stderr())
	}
	if _, err := p.Channel(ctx); err != nil {
		b.Fatal(err)
	}
	ffmpegArgs := ladderFFmpegArgs(b, clipPath, b.TempDir())

	var pipeline, plain time.Duration
	n := 0
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		start := time.Now()
		if out, err := exec.CommandContext(ctx, "ffmpeg", ffmpegArgs...).CombinedOutput(); err != nil {
			b.Fatalf("plain ffmpeg: %v\n%s", err, out)
		}
		plain += time.Since(start)
		b.StartTimer()

		name := fmt.Sprintf("clip-%d.mp4", n)
		start = time.Now()
		if err := p.Upload(ctx, "in/"+name, clip); err != nil {
			b.Fatal(err)
		}
		waitPlayable(ctx, b, proc.URL, name)
		took := time.Since(start)
		pipeline += took
		n++
		b.StopTimer()
		logPhases(ctx, b, p, "in/"+name, start, took)
		b.StartTimer()
	}
	b.ReportMetric(pipeline.Seconds()/float64(n), "pipeline-s")
	b.ReportMetric(plain.Seconds()/float64(n), "ffmpeg-s")
	b.ReportMetric(pipeline.Seconds()/plain.Seconds(), "ratio")
}

// logPhases logs where the time from upload to playable went: until the
// sequence's add-files step ended, the jobs waited, encoded, and then
// until the master playlist was playable (packaging).
func logPhases(ctx context.Context, tb testing.TB, p *pipelinetest.Pipeline, input string, start time.Time, took time.Duration) {
	tb.Helper()
	acts, err := p.Activations(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	jobs, err := p.Jobs(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	at := func(ms int64) time.Duration { return time.UnixMilli(ms).Sub(start).Round(time.Millisecond) }
	var added, trig time.Duration
	for _, a := range acts {
		if a.Start < start.UnixMilli() {
			continue
		}
		if strings.HasSuffix(a.Name, "-"+pipelinetest.AddFiles) {
			added = max(added, at(a.End))
		}
		if a.Name == p.Trigger {
			trig = max(trig, at(a.Start))
		}
	}
	var started, ended time.Duration
	for _, j := range jobs {
		if j.InputFilePath == input && j.WorkStartTime != nil && j.WorkEndTime != nil {
			started, ended = max(started, at(*j.WorkStartTime)), max(ended, at(*j.WorkEndTime))
		}
	}
	tb.Logf("%s: trigger fired at %s, add-files done at %s, encoding started at %s, ended at %s, playable at %s",
		input, trig, added, started, ended, took.Round(time.Millisecond))
}

// ladderFFmpegArgs is a hand-written ffmpeg command for the ladder, with
// the values of VOD Station's options: one decode, split into the three
// scaled renditions, each an MP4 with its bitrate, profile and key frame
// interval, and AAC audio.
func ladderFFmpegArgs(tb testing.TB, in, dir string) []string {
	tb.Helper()
	byID := map[int64]vodwire.EncodingOption{}
	for _, o := range vodwire.SystemEncodingOptions {
		byID[o.ID] = o
	}
	graph := fmt.Sprintf("[0:v]split=%d", len(ladderOptions))
	for i := range ladderOptions {
		graph += fmt.Sprintf("[s%d]", i)
	}
	for i, id := range ladderOptions {
		v := byID[id].Video
		graph += fmt.Sprintf(";[s%d]scale=%d:%d[v%d]", i, v.Width, v.Height, i)
	}
	args := []string{"-nostdin", "-v", "error", "-y", "-i", in, "-filter_complex", graph}
	for i, id := range ladderOptions {
		o := byID[id]
		v, a := o.Video, o.Audio
		args = append(args, "-map", fmt.Sprintf("[v%d]", i), "-map", "0:a",
			"-c:v", "libx264", "-preset", "veryfast", "-profile:v", strings.ToLower(v.CodecOptions.Profile),
			"-b:v", fmt.Sprintf("%dk", v.Bitrate), "-maxrate", fmt.Sprintf("%dk", v.Bitrate*3/2), "-bufsize", fmt.Sprintf("%dk", v.Bitrate*2),
			"-r", strconv.Itoa(int(v.Framerate)), "-g", strconv.Itoa(v.KeyframeInterval),
			"-c:a", "aac", "-b:a", fmt.Sprintf("%dk", a.Bitrate), "-ar", strconv.Itoa(a.SamplingRate), "-ac", "2",
			"-movflags", "+faststart", filepath.Join(dir, fmt.Sprintf("out-%d.mp4", i)))
	}
	return args
}

// waitPlayable polls the player's catalog until it lists the video of
// title with every rendition, then loads its master playlist, each variant
// playlist and the first segment, as a player starting playback does.
func waitPlayable(ctx context.Context, tb testing.TB, base, title string) {
	tb.Helper()
	listed := "not listed"
	for {
		var catalog struct {
			Videos []player.Video `json:"videos"`
		}
		if body, status := get(tb, base+ncplocal.PlayerPath+"/videos.json"); status == http.StatusOK {
			if err := json.Unmarshal(body, &catalog); err != nil {
				tb.Fatalf("videos.json: %v", err)
			}
		}
		for _, v := range catalog.Videos {
			if v.Title != title {
				continue
			}
			if len(v.Renditions) != len(ladderOptions) {
				listed = fmt.Sprintf("listed with %d of %d renditions", len(v.Renditions), len(ladderOptions))
				continue
			}
			master, status := get(tb, v.MasterURL)
			if status != http.StatusOK {
				tb.Fatalf("master playlist %s: HTTP %d\n%s", v.MasterURL, status, master)
			}
			dir := v.MasterURL[:strings.LastIndex(v.MasterURL, "/")+1]
			variants := uris(string(master))
			if len(variants) != len(ladderOptions) {
				tb.Fatalf("master playlist lists %d variants, want %d:\n%s", len(variants), len(ladderOptions), master)
			}
			for i, u := range variants {
				playlist, status := get(tb, dir+u)
				if status != http.StatusOK {
					tb.Fatalf("variant %s: HTTP %d", u, status)
				}
				if i == 0 {
					segs := uris(string(playlist))
					vdir := (dir + u)[:strings.LastIndex(dir+u, "/")+1]
					if len(segs) == 0 {
						tb.Fatalf("variant %s lists no segment:\n%s", u, playlist)
					}
					if seg, status := get(tb, vdir+segs[0]); status != http.StatusOK || len(seg) == 0 {
						tb.Fatalf("first segment %s: HTTP %d, %d bytes", segs[0], status, len(seg))
					}
				}
			}
			return
		}
		select {
		case <-ctx.Done():
			tb.Fatalf("%s never became playable (the player's catalog: %s)", title, listed)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// get fetches url.
func get(tb testing.TB, url string) ([]byte, int) {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return body, resp.StatusCode
}

// uris are the lines of a playlist that are not tags.
func uris(playlist string) []string {
	var out []string
	for _, line := range strings.Split(playlist, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}
