package benchmarks_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media/mediatest"
	"github.com/ncplabs/terraform-provider-ncp/internal/videopipeline/pipelinetest"
	vodwire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// burstOptions are the category's encoding options in the burst: the
// LD and SD renditions, small enough for many clips on a busy machine.
var burstOptions = []int64{5, 1}

// burstClip is the clip uploaded in the burst: one second, 320x240.
var burstClip = mediatest.Clip{Width: 320, Height: 240, Seconds: 1, FPS: 25, Audio: true}

// burstResult is what one burst measured and saw.
type burstResult struct {
	p         *pipelinetest.Pipeline
	proc      *pipelinetest.Process
	callbacks *pipelinetest.Callbacks
	jobs      []vodwire.StatusItem
	// took is from the first upload until the status API lists every job
	// finished.
	took time.Duration
	// maxWaiting and maxRunning are the most jobs the status API listed
	// WAITING and RUNNING at once.
	maxWaiting, maxRunning int
	peakRSS                int64
}

// runBurst starts ncplocal as a process with a data dir, builds the
// pipeline in it and uploads n clips at once into its upload bucket.
func runBurst(tb testing.TB, bin string, clip []byte, n int) burstResult {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	proc := pipelinetest.Start(tb, bin, tb.TempDir(), "127.0.0.1:0")
	cbs := pipelinetest.NewCallbacks(tb)
	cred := ncplocal.DefaultCredential
	p, err := pipelinetest.Setup(ctx, pipelinetest.Config{URL: proc.URL, AccessKey: cred.AccessKey, SecretKey: cred.SecretKey,
		RepoRoot: tofucli.RepoRoot(tb), Prefix: "burst", Options: burstOptions, NotificationURL: cbs.URL()})
	if err != nil {
		tb.Fatalf("building the pipeline: %v\n%s", err, proc.Stderr())
	}
	res := burstResult{p: p, proc: proc, callbacks: cbs}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- p.Upload(ctx, fmt.Sprintf("in/clip-%02d.mp4", i), clip)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			tb.Fatalf("upload: %v", err)
		}
	}
	res.jobs, err = p.WaitJobs(ctx, n*len(burstOptions), 100*time.Millisecond, func(jobs []vodwire.StatusItem) {
		waiting, running := 0, 0
		for _, j := range jobs {
			switch j.Status {
			case vodwire.JobWaiting:
				waiting++
			case vodwire.JobRunning:
				running++
			}
		}
		res.maxWaiting, res.maxRunning = max(res.maxWaiting, waiting), max(res.maxRunning, running)
	})
	res.took = time.Since(start)
	if err != nil {
		tb.Fatalf("%v\n%s", err, proc.Stderr())
	}
	if res.peakRSS, err = proc.PeakRSS(); err != nil {
		tb.Fatal(err)
	}
	return res
}

// TestPipelineBurst uploads 20 clips at once into the upload bucket of the
// example's pipeline (built through the APIs in an ncplocal process) and
// checks that every upload went through trigger → sequence → add-files →
// encode exactly once: one trigger activation, one sequence run with both
// steps, one file with one COMPLETE job per option and one callback per
// job and status, and every rendition in the output bucket; and that the
// encoding pool queued the burst (jobs listed WAITING, never more RUNNING
// than its workers encode at once).
func TestPipelineBurst(t *testing.T) {
	const n = 20
	clip, err := os.ReadFile(mediatest.Make(t, t.TempDir(), "clip.mp4", burstClip))
	if err != nil {
		t.Fatal(err)
	}
	bin := pipelinetest.Binary(t, tofucli.RepoRoot(t))
	r := runBurst(t, bin, clip, n)
	t.Logf("%d uploads encoded in %s (%.2f uploads/s); at most %d jobs WAITING and %d RUNNING; ncplocal peak RSS %d MiB",
		n, r.took.Round(time.Millisecond), n/r.took.Seconds(), r.maxWaiting, r.maxRunning, r.peakRSS>>20)
	ctx := context.Background()

	// One file per upload, one COMPLETE job per option.
	perInput := map[string]map[int64]int{}
	files := map[int64]string{}
	for _, j := range r.jobs {
		if j.Status != vodwire.JobComplete {
			t.Errorf("job %+v is not COMPLETE", j)
		}
		if perInput[j.InputFilePath] == nil {
			perInput[j.InputFilePath] = map[int64]int{}
		}
		perInput[j.InputFilePath][j.EncodingOptionID]++
		if in, ok := files[j.FileID]; ok && in != j.InputFilePath {
			t.Errorf("file %d has inputs %s and %s", j.FileID, in, j.InputFilePath)
		}
		files[j.FileID] = j.InputFilePath
	}
	if len(r.jobs) != n*len(burstOptions) || len(perInput) != n || len(files) != n {
		t.Errorf("%d jobs of %d inputs in %d files; want %d jobs of %d inputs in %d files", len(r.jobs), len(perInput), len(files),
			n*len(burstOptions), n, n)
	}
	for in, opts := range perInput {
		for _, o := range burstOptions {
			if opts[o] != 1 {
				t.Errorf("%s: %d jobs of option %d, want 1", in, opts[o], o)
			}
		}
	}
	// The pool queued the burst instead of running it all at once.
	if r.maxWaiting == 0 {
		t.Error("the status API never listed a WAITING job during the burst")
	}
	if limit := runtime.NumCPU() * len(burstOptions); r.maxRunning > limit {
		t.Errorf("%d jobs RUNNING at once; the pool has %d workers encoding %d options each", r.maxRunning, runtime.NumCPU(), len(burstOptions))
	}

	// Every rendition is in the output bucket.
	keys := map[string]bool{}
	pager := s3.NewListObjectsV2Paginator(r.p.Objects.S3(), &s3.ListObjectsV2Input{Bucket: aws.String(r.p.OutputBucket)})
	for pager.HasMorePages() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Contents {
			keys[aws.ToString(o.Key)] = true
		}
	}
	for _, j := range r.jobs {
		if !keys[strings.TrimPrefix(j.OutputFilePath, "/")] {
			t.Errorf("rendition %s of %s is not in %s", j.OutputFilePath, j.InputFilePath, r.p.OutputBucket)
		}
	}

	// Exactly once: one trigger activation, one sequence run and one run of
	// each step per upload, all successful.
	acts, err := r.p.Activations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, a := range acts {
		kinds[a.Name]++
		if !a.Response.Success {
			t.Errorf("activation %s (%s) failed: %v\n%s", a.ActivationID, a.Name, a.Response.Result, strings.Join(a.Logs, "\n"))
		}
	}
	for _, name := range []string{r.p.Trigger, r.p.Package + "/" + r.p.Sequence, r.p.Package + "/" + r.p.Prefix + "-" + pipelinetest.FindCategory,
		r.p.Package + "/" + r.p.Prefix + "-" + pipelinetest.AddFiles} {
		if kinds[name] != n {
			t.Errorf("%d activations of %s, want %d (all: %v)", kinds[name], name, n, kinds)
		}
	}

	// One callback per job and status: WAITING, RUNNING, COMPLETE.
	want := n * len(burstOptions) * 3
	deadline := time.Now().Add(10 * time.Second)
	var cbs []vodwire.JobCallback
	for {
		var bad []string
		cbs, bad = r.callbacks.List()
		if len(bad) > 0 {
			t.Fatalf("callbacks that are not VOD Station's: %v", bad)
		}
		if len(cbs) >= want || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // room for a duplicate to show
	cbs, _ = r.callbacks.List()
	counts := pipelinetest.Count(cbs)
	for _, j := range r.jobs {
		for _, st := range []string{vodwire.JobWaiting, vodwire.JobRunning, vodwire.JobComplete} {
			if c := counts[pipelinetest.CallbackKey{FileID: j.FileID, OptionID: j.EncodingOptionID, Status: st}]; c != 1 {
				t.Errorf("file %d option %d: %d %s callbacks, want 1", j.FileID, j.EncodingOptionID, c, st)
			}
		}
	}
	if len(cbs) != want {
		t.Errorf("%d callbacks, want %d", len(cbs), want)
	}
}

// BenchmarkPipelineBurst uploads a burst of clips (20; 4 with -short) at
// once into the pipeline of an ncplocal process and reports:
//
//   - "uploads/s": uploads taken from upload to every rendition COMPLETE,
//     per second of the burst;
//   - "peak-rss-MiB": ncplocal's peak resident set size (VmHWM) at the end
//     of the burst, the process having started empty: what the burst cost
//     in memory (the encoders are ffmpeg processes of their own, and the
//     actions python ones).
//
// Each iteration starts a new ncplocal, untimed.
func BenchmarkPipelineBurst(b *testing.B) {
	n := 20
	if testing.Short() || benchShort() {
		n = 4
	}
	clip, err := os.ReadFile(mediatest.Make(b, b.TempDir(), "clip.mp4", burstClip))
	if err != nil {
		b.Fatal(err)
	}
	bin := pipelinetest.Binary(b, tofucli.RepoRoot(b))
	var took time.Duration
	var rss int64
	iters := 0
	b.ResetTimer()
	for b.Loop() {
		r := runBurst(b, bin, clip, n)
		for _, j := range r.jobs {
			if j.Status != vodwire.JobComplete {
				b.Fatalf("job %+v", j)
			}
		}
		took += r.took
		rss = max(rss, r.peakRSS)
		iters++
		b.StopTimer()
		r.proc.Kill()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*iters)/took.Seconds(), "uploads/s")
	b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MiB")
	b.ReportMetric(float64(n), "uploads/burst")
}
