package e2e_test

import (
	"context"
	"os"
	"strings"
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

// TestKillMidEncoding runs cmd/ncplocal with a data dir, builds the
// example's pipeline in it, uploads four clips, lets the first finish
// encoding and kills the process (SIGKILL) while a longer clip's ladder is
// RUNNING. Restarted on
// the same data dir and address, it re-queues the interrupted jobs (they
// stay RUNNING, re-encoded from the start) and the waiting ones: every job
// ends COMPLETE, none stays RUNNING; the renditions of the jobs completed
// before the kill are still in the output bucket (they were written and
// made durable before the jobs were recorded COMPLETE) and every other
// rendition is there too; and no callback is sent twice for a job and
// status, while every job that finished after the restart reports COMPLETE
// once.
func TestKillMidEncoding(t *testing.T) {
	t.Parallel()
	root := tofucli.RepoRoot(t)
	clips := t.TempDir()
	read := func(name string, c mediatest.Clip) []byte {
		b, err := os.ReadFile(mediatest.Make(t, clips, name, c))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	short := read("short.mp4", mediatest.Clip{Width: 320, Height: 240, Seconds: 1, FPS: 25, Audio: true})
	long := read("long.mp4", mediatest.Clip{Width: 1280, Height: 720, Seconds: 5, FPS: 30, Audio: true})

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin := pipelinetest.Binary(t, root)
	dir := t.TempDir()
	proc := pipelinetest.Start(t, bin, dir, "127.0.0.1:0")
	cbs := pipelinetest.NewCallbacks(t)
	cred := ncplocal.DefaultCredential
	cfg := pipelinetest.Config{URL: proc.URL, AccessKey: cred.AccessKey, SecretKey: cred.SecretKey, RepoRoot: root,
		Prefix: "kill", Options: []int64{3, 2, 1}, NotificationURL: cbs.URL()}
	p, err := pipelinetest.Setup(ctx, cfg)
	if err != nil {
		t.Fatalf("building the pipeline: %v\n%s", err, proc.Stderr())
	}

	// The first upload is added (ahead of the others in the encoding
	// queue) before the others are uploaded; the last request to Object
	// Storage is then most likely made before its renditions are written,
	// so they are durable at the kill only because VOD Station's writes
	// are.
	if err := p.Upload(ctx, "in/first.mp4", short); err != nil {
		t.Fatal(err)
	}
	for {
		jobs, err := p.Jobs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := fileOf(jobs, "in/first.mp4"); ok {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("the first upload was never added to VOD Station")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, key := range []string{"in/long.mp4", "in/second.mp4", "in/third.mp4"} {
		body := short
		if key == "in/long.mp4" {
			body = long
		}
		if err := p.Upload(ctx, key, body); err != nil {
			t.Fatal(err)
		}
	}
	// Kill once the first upload is encoded, while the long clip's ladder
	// is RUNNING, some way in.
	var before []vodwire.StatusItem
	for {
		jobs, err := p.Jobs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		firstID, firstOK := fileOf(jobs, "in/first.mp4")
		longID, longOK := fileOf(jobs, "in/long.mp4")
		if firstOK && longOK && pipelinetest.Finished(filesJobs(jobs, firstID)) {
			st, err := p.VOD.GetFileStatus(ctx, longID)
			if err != nil {
				t.Fatal(err)
			}
			out := st.Content.Output
			if out[0].Status == vodwire.JobComplete {
				t.Fatalf("the long clip was encoded before it could be interrupted: %+v", out)
			}
			if out[0].Status == vodwire.JobRunning && out[0].Progress >= 10 {
				proc.Kill()
				before = jobs
				break
			}
		}
		if ctx.Err() != nil {
			t.Fatalf("the long clip never ran: %+v", jobs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cbBefore, _ := cbs.List()
	doneBefore := map[pipelinetest.CallbackKey]vodwire.StatusItem{}
	running := 0
	for _, j := range before {
		switch j.Status {
		case vodwire.JobComplete, vodwire.JobFailure:
			doneBefore[pipelinetest.CallbackKey{FileID: j.FileID, OptionID: j.EncodingOptionID}] = j
		case vodwire.JobRunning:
			running++
		}
	}
	t.Logf("killed with %d jobs finished and %d RUNNING of %d", len(doneBefore), running, len(before))

	proc = pipelinetest.Start(t, bin, dir, proc.Addr)
	jobs, err := p.WaitJobs(ctx, 12, 50*time.Millisecond, nil)
	if err != nil {
		t.Fatalf("after the restart: %v\n%s", err, proc.Stderr())
	}
	if len(jobs) != 12 {
		t.Fatalf("%d jobs after the restart, want 12 (4 uploads, 3 options): %+v", len(jobs), jobs)
	}
	present := map[string]bool{}
	out, err := p.Objects.S3().ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(p.OutputBucket)})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out.Contents {
		present[aws.ToString(o.Key)] = true
	}
	for _, j := range jobs {
		k := pipelinetest.CallbackKey{FileID: j.FileID, OptionID: j.EncodingOptionID}
		if j.Status != vodwire.JobComplete {
			t.Errorf("job %s/%s ended %s, want COMPLETE", j.InputFilePath, j.OutputType, j.Status)
		}
		if !present[strings.TrimPrefix(j.OutputFilePath, "/")] {
			t.Errorf("rendition %s of %s is missing from %s (finished before the kill: %v)", j.OutputFilePath, j.InputFilePath,
				p.OutputBucket, doneBefore[k].Status != "")
		}
		if old, ok := doneBefore[k]; ok && (old.Status != j.Status || *old.WorkEndTime != *j.WorkEndTime) {
			t.Errorf("job %s/%s finished before the kill (%s at %d) ran again (%s at %d)", j.InputFilePath, j.OutputType,
				old.Status, *old.WorkEndTime, j.Status, *j.WorkEndTime)
		}
	}

	// Callbacks: never twice for a job and status (a status recorded just
	// before the kill may have lost its callback: it is recorded first);
	// one COMPLETE for every job that finished after the restart; the
	// interrupted jobs' RUNNING callbacks were sent before the kill and not
	// again.
	time.Sleep(500 * time.Millisecond)
	cbs2, bad := cbs.List()
	if len(bad) > 0 {
		t.Fatalf("callbacks that are not VOD Station's: %v", bad)
	}
	counts := pipelinetest.Count(cbs2)
	for k, c := range counts {
		if c > 1 {
			t.Errorf("file %d option %d: %d %s callbacks", k.FileID, k.OptionID, c, k.Status)
		}
	}
	for _, j := range jobs {
		k := pipelinetest.CallbackKey{FileID: j.FileID, OptionID: j.EncodingOptionID, Status: vodwire.JobComplete}
		if _, was := doneBefore[pipelinetest.CallbackKey{FileID: j.FileID, OptionID: j.EncodingOptionID}]; !was && counts[k] != 1 {
			t.Errorf("%s/%s: %d COMPLETE callbacks, want 1", j.InputFilePath, j.OutputType, counts[k])
		}
	}
	longID, _ := fileOf(jobs, "in/long.mp4")
	runningBefore := pipelinetest.Count(cbBefore)
	for _, o := range cfg.Options {
		k := pipelinetest.CallbackKey{FileID: longID, OptionID: o, Status: vodwire.JobRunning}
		if runningBefore[k] != 1 || counts[k] != 1 {
			t.Errorf("long clip, option %d: %d RUNNING callbacks before the kill and %d in all, want 1 and 1", o, runningBefore[k], counts[k])
		}
	}
}

// filesJobs are the jobs of one file.
func filesJobs(jobs []vodwire.StatusItem, id int64) []vodwire.StatusItem {
	var out []vodwire.StatusItem
	for _, j := range jobs {
		if j.FileID == id {
			out = append(out, j)
		}
	}
	return out
}

// fileOf finds the file ID of an input among the jobs.
func fileOf(jobs []vodwire.StatusItem, input string) (int64, bool) {
	for _, j := range jobs {
		if j.InputFilePath == input {
			return j.FileID, true
		}
	}
	return 0, false
}
