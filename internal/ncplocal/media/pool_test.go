package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// gate is a test runner whose jobs run until released.
type gate struct {
	mu      sync.Mutex
	started []string
	running int
	peak    int
	release map[string]chan error
	startCh chan string
}

func newGate() *gate {
	return &gate{release: map[string]chan error{}, startCh: make(chan string, 100)}
}

func (g *gate) ch(id string) chan error {
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.release[id]
	if c == nil {
		c = make(chan error, 1)
		g.release[id] = c
	}
	return c
}

func (g *gate) run(ctx context.Context, job Job, _ string, progress func(float64)) (JobResult, error) {
	g.mu.Lock()
	g.started = append(g.started, job.ID)
	g.running++
	g.peak = max(g.peak, g.running)
	g.mu.Unlock()
	defer func() { g.mu.Lock(); g.running--; g.mu.Unlock() }()
	g.startCh <- job.ID
	progress(0.5)
	select {
	case err := <-g.ch(job.ID):
		if errors.Is(err, errPanic) {
			panic("boom")
		}
		return JobResult{}, err
	case <-ctx.Done():
		return JobResult{}, ctx.Err()
	}
}

var errPanic = errors.New("panic please")

// waitStart waits for the jobs want to start, in any order (jobs that
// start together on several workers race to the runner).
func (g *gate) waitStart(t *testing.T, want ...string) {
	t.Helper()
	pending := map[string]bool{}
	for _, w := range want {
		pending[w] = true
	}
	for len(pending) > 0 {
		select {
		case id := <-g.startCh:
			if !pending[id] {
				t.Fatalf("job %s started, want one of %v", id, want)
			}
			delete(pending, id)
		case <-time.After(5 * time.Second):
			t.Fatalf("jobs %v did not start", want)
		}
	}
}

func noopJob(id string) Job {
	return Job{ID: id, InputName: id + ".mp4", Option: EncodingOption{Name: "SD", Video: &VideoOption{Codec: "AVC"}},
		Fetch: func(context.Context, string) error { return nil },
		Store: func(context.Context, Output) error { return nil }}
}

// recorder collects OnChange events per job.
type recorder struct {
	mu     sync.Mutex
	events map[string][]JobStatus
}

func (r *recorder) on(s JobStatus) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.events == nil {
		r.events = map[string][]JobStatus{}
	}
	r.events[s.ID] = append(r.events[s.ID], s)
}

func (r *recorder) states(id string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events[id] {
		s := string(e.State)
		if e.State == StateRunning && e.Progress > 0 {
			s += fmt.Sprintf("(%d%%)", e.Progress)
		}
		if n := len(out); n == 0 || out[n-1] != s {
			out = append(out, s)
		}
	}
	return strings.Join(out, " ")
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestPoolBoundedFIFO(t *testing.T) {
	g := newGate()
	rec := &recorder{}
	p, err := NewPool(PoolConfig{Workers: 2, WorkDir: t.TempDir(), Runner: PerJob(g.run), OnChange: rec.on})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"a", "b", "c", "d", "e"}
	for _, id := range ids {
		if _, err := p.Submit(noopJob(id)); err != nil {
			t.Fatal(err)
		}
	}
	g.waitStart(t, "a", "b")
	snap := p.Snapshot()
	if len(snap.Running) != 2 || len(snap.Waiting) != 3 || snap.Workers != 2 {
		t.Fatalf("snapshot: %d running, %d waiting, %d workers", len(snap.Running), len(snap.Waiting), snap.Workers)
	}
	for i, w := range snap.Waiting {
		if w.ID != ids[i+2] || w.QueuePosition != i+1 || w.State != StateWaiting {
			t.Errorf("waiting[%d] = %s at %d (%s)", i, w.ID, w.QueuePosition, w.State)
		}
	}
	g.ch("a") <- nil
	g.waitStart(t, "c")
	g.ch("b") <- errors.New("disk full")
	g.waitStart(t, "d")
	for _, id := range []string{"c", "d"} {
		g.ch(id) <- nil
	}
	g.waitStart(t, "e")
	g.ch("e") <- nil
	waitFor(t, "all jobs to end", func() bool { s := p.Snapshot(); return s.Completed+s.Failed == 5 })
	if left := p.Close(context.Background()); len(left) != 0 {
		t.Errorf("Close left %d jobs", len(left))
	}
	if g.peak != 2 {
		t.Errorf("%d jobs ran at once, want 2", g.peak)
	}
	if got := strings.Join(g.started, ""); got != "abcde" && got != "bacde" {
		t.Errorf("start order %s, want abcde (a and b together)", got)
	}
	if got := rec.states("a"); got != "WAITING RUNNING RUNNING(50%) COMPLETE" {
		t.Errorf("a: %s", got)
	}
	st, _ := p.Status("b")
	if st.State != StateFailure || st.Reason != "disk full" || rec.states("b") != "WAITING RUNNING RUNNING(50%) FAILURE" {
		t.Errorf("b: %+v, events %s", st, rec.states("b"))
	}
	if st, _ := p.Status("e"); st.Progress != 100 || st.Finished.IsZero() || st.Started.IsZero() {
		t.Errorf("e: %+v", st)
	}
	if _, err := p.Submit(noopJob("f")); !errors.Is(err, ErrPoolClosed) {
		t.Errorf("Submit after Close: %v", err)
	}
}

func TestPoolRejectsBadJobs(t *testing.T) {
	g := newGate()
	p, err := NewPool(PoolConfig{Workers: 1, WorkDir: t.TempDir(), Runner: PerJob(g.run)})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	bad := noopJob("x")
	bad.Option.Video.Codec = "VP9"
	if _, err := p.Submit(bad); err == nil || !strings.Contains(err.Error(), "video.codec") {
		t.Errorf("invalid option: %v", err)
	}
	noFetch := noopJob("y")
	noFetch.Fetch = nil
	if _, err := p.Submit(noFetch); err == nil {
		t.Error("a job without Fetch was accepted")
	}
	if _, err := p.Submit(noopJob("z")); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Submit(noopJob("z")); !errors.Is(err, ErrDuplicateJob) {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := p.SubmitAll(noopJob("w"), noopJob("w")); !errors.Is(err, ErrDuplicateJob) {
		t.Errorf("duplicate within SubmitAll: %v", err)
	}
	if _, ok := p.Status("w"); ok {
		t.Error("a refused SubmitAll queued a job")
	}
	g.waitStart(t, "z")
	g.ch("z") <- nil
}

func TestPoolCancelTimeoutPanic(t *testing.T) {
	g := newGate()
	p, err := NewPool(PoolConfig{Workers: 1, WorkDir: t.TempDir(), Runner: PerJob(g.run), JobTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"run", "wait", "boom", "slow"} {
		if _, err := p.Submit(noopJob(id)); err != nil {
			t.Fatal(err)
		}
	}
	g.waitStart(t, "run")
	if !p.Cancel("wait") || !p.Cancel("run") {
		t.Fatal("Cancel found nothing")
	}
	g.waitStart(t, "boom")
	g.ch("boom") <- errPanic
	g.waitStart(t, "slow") // never released: the job timeout ends it
	waitFor(t, "the jobs to end", func() bool { s := p.Snapshot(); return s.Failed == 4 })
	p.Close(context.Background())
	for id, want := range map[string]string{"run": "cancelled", "wait": "cancelled", "boom": "internal error: boom", "slow": "timed out after 300ms"} {
		st, _ := p.Status(id)
		if st.State != StateFailure || st.Reason != want {
			t.Errorf("%s: %s %q, want FAILURE %q", id, st.State, st.Reason, want)
		}
	}
	if p.Cancel("run") {
		t.Error("Cancel of a finished job reported true")
	}
}

func TestPoolCloseRequeuesAndResume(t *testing.T) {
	g := newGate()
	rec := &recorder{}
	p, err := NewPool(PoolConfig{Workers: 1, WorkDir: t.TempDir(), Runner: PerJob(g.run), OnChange: rec.on})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b"} {
		if _, err := p.Submit(noopJob(id)); err != nil {
			t.Fatal(err)
		}
	}
	g.waitStart(t, "a")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	left := p.Close(ctx)
	if len(left) != 2 || left[0].ID != "a" || left[1].ID != "b" {
		t.Fatalf("Close left %+v, want a then b WAITING", left)
	}
	for _, s := range left {
		if s.State != StateWaiting {
			t.Errorf("%s left %s", s.ID, s.State)
		}
	}
	if got := rec.states("a"); got != "WAITING RUNNING RUNNING(50%) WAITING" {
		t.Errorf("a: %s", got)
	}

	// A new pool takes the jobs up again, as after a restart; a job found
	// RUNNING in the data dir (a crash) is re-queued or failed.
	g2 := newGate()
	p2, err := NewPool(PoolConfig{Workers: 1, WorkDir: t.TempDir(), Runner: PerJob(g2.run)})
	if err != nil {
		t.Fatal(err)
	}
	crashed := JobStatus{ID: "c", State: StateRunning, Attempt: 1, Progress: 40}
	st, err := p2.Resume(noopJob("c"), crashed, Fail)
	if err != nil || st.State != StateFailure || !strings.Contains(st.Reason, "interrupted") {
		t.Fatalf("Resume(Fail) = %+v, %v", st, err)
	}
	if st, err := p2.Resume(noopJob("a"), left[0], Requeue); err != nil || st.State != StateWaiting {
		t.Fatalf("Resume(WAITING) = %+v, %v", st, err)
	}
	crashed.ID = "d"
	st, err = p2.Resume(noopJob("d"), crashed, Requeue)
	if err != nil || st.State != StateWaiting || st.Attempt != 2 || !strings.Contains(st.Reason, "re-queued") {
		t.Fatalf("Resume(Requeue) = %+v, %v", st, err)
	}
	done := JobStatus{ID: "e", State: StateComplete, Progress: 100}
	if st, _ := p2.Resume(noopJob("e"), done, Requeue); st.State != StateComplete {
		t.Errorf("Resume of a finished job: %+v", st)
	}
	g2.waitStart(t, "a")
	g2.ch("a") <- nil
	g2.waitStart(t, "d")
	g2.ch("d") <- nil
	waitFor(t, "the resumed jobs", func() bool { return p2.Snapshot().Completed == 2 })
	p2.Close(context.Background())
}

func TestPoolForgetsOldFinishedJobs(t *testing.T) {
	g := newGate()
	p, err := NewPool(PoolConfig{Workers: 1, WorkDir: t.TempDir(), Runner: PerJob(g.run), KeepFinished: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"1", "2", "3"} {
		if _, err := p.Submit(noopJob(id)); err != nil {
			t.Fatal(err)
		}
		g.waitStart(t, id)
		g.ch(id) <- nil
	}
	waitFor(t, "the jobs", func() bool { return p.Snapshot().Completed == 3 })
	p.Close(context.Background())
	if _, ok := p.Status("1"); ok {
		t.Error("the oldest finished job is still kept")
	}
	if _, ok := p.Status("3"); !ok {
		t.Error("the newest finished job is gone")
	}
	p.Forget("3")
	if _, ok := p.Status("3"); ok {
		t.Error("Forget kept the job")
	}
}

// TestPoolEncodes runs real encodings: an input fetched to a temp file,
// renditions and a thumbnail stored, a text file failing with its reason.
func TestPoolEncodes(t *testing.T) {
	tools := testTools(t)
	dir := t.TempDir()
	video := makeClip(t, dir, "movie.mp4", clip{Width: 320, Height: 180, Seconds: 2, FPS: 15, Audio: true})
	text := writeFile(t, dir, "notes.mp4", "not a video")
	outDir := filepath.Join(dir, "bucket")
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	stored := map[string]Output{}
	fetches := 0
	job := func(id, input string, opt EncodingOption, thumb bool) Job {
		return Job{ID: id, InputName: "uploads/" + filepath.Base(input), Option: opt, Thumbnail: thumb, Group: input,
			Fetch: func(ctx context.Context, dst string) error {
				mu.Lock()
				fetches++
				mu.Unlock()
				return copyFile(input, dst)
			},
			Store: func(ctx context.Context, out Output) error {
				mu.Lock()
				defer mu.Unlock()
				stored[out.Name] = out
				return copyFile(out.Path, filepath.Join(outDir, out.Name))
			}}
	}
	p, err := NewPool(PoolConfig{Workers: 1, WorkDir: filepath.Join(dir, "work"), Tools: tools, ThumbnailWidth: 160})
	if err != nil {
		t.Fatal(err)
	}
	sd := EncodingOption{Name: "AVC_SD", Video: &VideoOption{Codec: "AVC", Height: 90, Bitrate: 150}, Audio: &AudioOption{Codec: "AAC", Bitrate: 64}}
	hd := EncodingOption{Name: "AVC_HD", Video: &VideoOption{Codec: "AVC", Height: 180, Bitrate: 400}, Audio: &AudioOption{Codec: "AAC", Bitrate: 96}}
	if _, err := p.SubmitAll(job("sd", video, sd, true), job("hd", video, hd, false)); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Submit(job("bad", text, sd, true)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the encodings", func() bool { s := p.Snapshot(); return s.Completed+s.Failed == 3 })
	p.Close(context.Background())
	for id, want := range map[string][]string{"sd": {"movie_AVC_SD.mp4", "movie_01.jpg"}, "hd": {"movie_AVC_HD.mp4"}} {
		st, _ := p.Status(id)
		if st.State != StateComplete || st.Progress != 100 || st.Input == nil || st.Input.Width != 320 {
			t.Errorf("%s: %+v", id, st)
			continue
		}
		var names []string
		for _, o := range st.Outputs {
			names = append(names, o.Name)
			if o.Size <= 0 {
				t.Errorf("%s: output %s is empty", id, o.Name)
			}
		}
		if strings.Join(names, ",") != strings.Join(want, ",") {
			t.Errorf("%s outputs %v, want %v", id, names, want)
		}
	}
	m, err := tools.Probe(context.Background(), filepath.Join(outDir, "movie_AVC_SD.mp4"))
	if err != nil || m.Height != 90 || m.Width != 160 {
		t.Errorf("stored SD rendition: %+v, %v", m, err)
	}
	if st, _ := p.Status("bad"); st.State != StateFailure || !strings.Contains(st.Reason, "not a video or audio file") {
		t.Errorf("text input: %s %q", st.State, st.Reason)
	}
	if _, ok := stored["notes_AVC_SD.mp4"]; ok {
		t.Error("a failed job stored an output")
	}
	// sd and hd share their input (one group): fetched and decoded once.
	if fetches != 2 {
		t.Errorf("%d fetches, want 2 (movie once for sd and hd, notes once)", fetches)
	}
	// Every job's temporary files are gone.
	if entries, _ := os.ReadDir(filepath.Join(dir, "work")); len(entries) != 0 {
		t.Errorf("work dir keeps %d entries", len(entries))
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// TestPoolBatchesAGroup runs the waiting jobs of one group together, and
// re-queues the rest of a batch when one of its jobs is cancelled.
func TestPoolBatchesAGroup(t *testing.T) {
	g := newGate()
	var mu sync.Mutex
	var batches []string
	release := make(chan struct{})
	runner := func(ctx context.Context, jobs []Job, dir string, progress func(int, float64)) []JobOutcome {
		if jobs[0].ID == "blocker" {
			return PerJob(g.run)(ctx, jobs, dir, progress)
		}
		var ids []string
		for _, j := range jobs {
			ids = append(ids, j.ID)
		}
		mu.Lock()
		batches = append(batches, strings.Join(ids, "+"))
		mu.Unlock()
		out := make([]JobOutcome, len(jobs))
		for i := range jobs {
			progress(i, 0.3)
		}
		if jobs[0].ID == "h1" {
			select {
			case <-release:
			case <-ctx.Done():
				for i := range out {
					out[i].Err = ctx.Err()
				}
			}
		}
		return out
	}
	rec := &recorder{}
	p, err := NewPool(PoolConfig{Workers: 1, WorkDir: t.TempDir(), Runner: runner, OnChange: rec.on})
	if err != nil {
		t.Fatal(err)
	}
	submit := func(id, group string) {
		j := noopJob(id)
		j.Group = group
		if _, err := p.Submit(j); err != nil {
			t.Fatal(err)
		}
	}
	submit("blocker", "")
	g.waitStart(t, "blocker")
	submit("f1", "file-1")
	submit("x", "")
	submit("f2", "file-1")
	submit("f3", "file-1")
	g.ch("blocker") <- nil
	waitFor(t, "the batches", func() bool { return p.Snapshot().Completed == 5 })
	mu.Lock()
	if got := strings.Join(batches, " "); got != "f1+f2+f3 x" {
		t.Errorf("batches %q, want f1+f2+f3 x", got)
	}
	batches = nil
	mu.Unlock()
	if got := rec.states("f3"); got != "WAITING RUNNING RUNNING(30%) COMPLETE" {
		t.Errorf("f3: %s", got)
	}

	// Cancelling one job of a running batch fails it and re-queues the others.
	submit("h1", "file-2")
	submit("h2", "file-2")
	waitFor(t, "h1 and h2 to run", func() bool { return len(p.Snapshot().Running) == 2 })
	p.Cancel("h1")
	waitFor(t, "h2 to run again", func() bool { st, _ := p.Status("h2"); return st.State == StateComplete })
	p.Close(context.Background())
	if st, _ := p.Status("h1"); st.State != StateFailure || st.Reason != "cancelled" {
		t.Errorf("h1: %s %q", st.State, st.Reason)
	}
	if got := rec.states("h2"); got != "WAITING RUNNING RUNNING(30%) WAITING RUNNING RUNNING(30%) COMPLETE" {
		t.Errorf("h2: %s", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(batches, " "); got != "h1+h2 h2" {
		t.Errorf("batches %q, want h1+h2 then h2", got)
	}
}
