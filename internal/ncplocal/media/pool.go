package media

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// JobState is an encoding job's state, as VOD Station's status API and
// callbacks report it (ncp-api.md §2.3).
type JobState string

// The job states: WAITING → RUNNING → COMPLETE | FAILURE.
const (
	StateWaiting  JobState = "WAITING"
	StateRunning  JobState = "RUNNING"
	StateComplete JobState = "COMPLETE"
	StateFailure  JobState = "FAILURE"
)

// Terminal reports whether the state is final.
func (s JobState) Terminal() bool { return s == StateComplete || s == StateFailure }

// Errors of Pool.Submit.
var (
	ErrPoolClosed   = errors.New("the encoding pool is shut down")
	ErrDuplicateJob = errors.New("a job with this id is already known")
)

// Job is one encoding: one input, one encoding option. The emulator that
// submits it provides the input and takes the outputs through Fetch and
// Store; the pool never sees where they live.
type Job struct {
	// ID identifies the job in the pool (unique among the jobs it knows).
	ID string
	// InputName is the input's object key, URL or file name; the output
	// names derive from it (OutputName, ThumbnailName).
	InputName string
	// Option is the encoding option of this job.
	Option EncodingOption
	// Thumbnail asks for a thumbnail as well (ignored for AUDIO options).
	Thumbnail bool
	// Fetch writes the input to the local file dst. It must honour ctx.
	Fetch func(ctx context.Context, dst string) error
	// Store receives each output; the file at Output.Path is deleted when
	// the job ends, so Store must copy (or move) it. It must honour ctx.
	Store func(ctx context.Context, out Output) error
}

// OutputKind tells a rendition from a thumbnail.
type OutputKind string

// Output kinds.
const (
	OutputRendition OutputKind = "rendition"
	OutputThumbnail OutputKind = "thumbnail"
)

// Output is a file a job produced, handed to Job.Store.
type Output struct {
	Kind OutputKind
	// Name is the file name VOD Station gives the output (OutputName,
	// ThumbnailName); the emulator puts it under its output directory.
	Name        string
	Path        string
	ContentType string
	// Metadata describes a rendition (nil for a thumbnail).
	Metadata *Metadata
}

// OutputInfo records an output in the job's status.
type OutputInfo struct {
	Kind     OutputKind `json:"kind"`
	Name     string     `json:"name"`
	Size     int64      `json:"size"`
	Metadata *Metadata  `json:"metadata,omitempty"`
}

// JobStatus is what the pool tells about a job.
type JobStatus struct {
	ID     string   `json:"id"`
	Option string   `json:"option"`
	State  JobState `json:"state"`
	// Progress is 0–100; 100 only when COMPLETE.
	Progress int `json:"progress"`
	// Reason says why a job failed (or was re-queued).
	Reason string `json:"reason,omitempty"`
	// QueuePosition is the 1-based place of a WAITING job in the queue.
	QueuePosition int `json:"queuePosition,omitempty"`
	// Attempt counts the runs of the job (re-queued jobs run again).
	Attempt   int          `json:"attempt"`
	Submitted time.Time    `json:"submitted"`
	Started   time.Time    `json:"started,omitzero"`
	Finished  time.Time    `json:"finished,omitzero"`
	Input     *Metadata    `json:"input,omitempty"`
	Outputs   []OutputInfo `json:"outputs,omitempty"`
}

// PoolSnapshot is the pool's queue and progress, for status and admin APIs.
type PoolSnapshot struct {
	Workers int `json:"workers"`
	// Running jobs, oldest start first; Waiting jobs in queue order.
	Running []JobStatus `json:"running"`
	Waiting []JobStatus `json:"waiting"`
	// Completed and Failed count the jobs that ended since the pool started.
	Completed int  `json:"completed"`
	Failed    int  `json:"failed"`
	Closed    bool `json:"closed"`
}

// JobResult is what a Runner reports for a finished job.
type JobResult struct {
	Input   *Metadata
	Outputs []OutputInfo
}

// Runner runs one job in workDir (a fresh directory, removed afterwards),
// calling progress with the fraction done (0–1).
type Runner func(ctx context.Context, job Job, workDir string, progress func(float64)) (JobResult, error)

// PoolConfig configures a Pool.
type PoolConfig struct {
	// Workers is how many jobs run at once; 0 means one per CPU core.
	Workers int
	// WorkDir holds the jobs' temporary files; empty means os.TempDir().
	WorkDir string
	// Tools, Encode and ThumbnailWidth configure the default runner
	// (EncodeRunner).
	Tools          Tools
	Encode         EncodeParams
	ThumbnailWidth int
	// Runner replaces the default runner.
	Runner Runner
	// JobTimeout bounds one run of a job (0: no bound); a job that takes
	// longer fails with a timeout reason.
	JobTimeout time.Duration
	// OnChange is called on every change of a job's status: submission,
	// state changes and each whole percent of progress. Calls come from one
	// goroutine, in the order the changes happened; OnChange may call the
	// pool's methods.
	OnChange func(JobStatus)
	// KeepFinished bounds the finished jobs kept for Status (oldest are
	// forgotten first); 0 means 1000.
	KeepFinished int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Pool runs encoding jobs on a bounded number of workers, first in first out.
type Pool struct {
	cfg    PoolConfig
	runner Runner

	mu        sync.Mutex
	cond      *sync.Cond
	jobs      map[string]*poolJob
	queue     []*poolJob
	finished  []string
	closed    bool
	completed int
	failed    int

	events     []JobStatus
	eventCond  *sync.Cond
	eventsDone chan struct{}

	workers sync.WaitGroup
}

type poolJob struct {
	job    Job
	status JobStatus
	cancel context.CancelCauseFunc
}

// Causes of a running job's cancellation.
var (
	errCancelled = errors.New("cancelled")
	errShutdown  = errors.New("interrupted by shutdown; re-queued")
)

// NewPool starts a pool's workers.
func NewPool(cfg PoolConfig) (*Pool, error) {
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.WorkDir == "" {
		cfg.WorkDir = os.TempDir()
	}
	if cfg.KeepFinished <= 0 {
		cfg.KeepFinished = 1000
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	runner := cfg.Runner
	if runner == nil {
		if cfg.Tools.FFmpeg == "" || cfg.Tools.FFprobe == "" {
			return nil, fmt.Errorf("encoding pool: ffmpeg and ffprobe paths are required (FindTools): %s", InstallHint)
		}
		runner = EncodeRunner(cfg.Tools, cfg.Encode, cfg.ThumbnailWidth)
	}
	if err := os.MkdirAll(cfg.WorkDir, 0o700); err != nil {
		return nil, fmt.Errorf("encoding pool work dir: %w", err)
	}
	p := &Pool{cfg: cfg, runner: runner, jobs: map[string]*poolJob{}, eventsDone: make(chan struct{})}
	p.cond = sync.NewCond(&p.mu)
	p.eventCond = sync.NewCond(&p.mu)
	go p.deliver()
	for range cfg.Workers {
		p.workers.Add(1)
		go p.work()
	}
	return p, nil
}

// Submit queues a job (state WAITING). It fails for a job without ID,
// Fetch or Store, a duplicate ID, an invalid encoding option, or a closed
// pool.
func (p *Pool) Submit(job Job) (JobStatus, error) {
	return p.submit(job, 1, "")
}

func (p *Pool) submit(job Job, attempt int, reason string) (JobStatus, error) {
	switch {
	case job.ID == "":
		return JobStatus{}, errors.New("encoding job: an id is required")
	case job.Fetch == nil || job.Store == nil:
		return JobStatus{}, fmt.Errorf("encoding job %s: Fetch and Store are required", job.ID)
	}
	if err := job.Option.Validate(); err != nil {
		return JobStatus{}, fmt.Errorf("encoding job %s: %w", job.ID, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return JobStatus{}, ErrPoolClosed
	}
	if old, ok := p.jobs[job.ID]; ok && !old.status.State.Terminal() {
		return JobStatus{}, fmt.Errorf("encoding job %s: %w", job.ID, ErrDuplicateJob)
	} else if ok {
		p.dropFinished(job.ID)
	}
	j := &poolJob{job: job, status: JobStatus{
		ID: job.ID, Option: job.Option.Name, State: StateWaiting, Attempt: attempt,
		Reason: reason, Submitted: p.cfg.Now(),
	}}
	p.jobs[job.ID] = j
	p.queue = append(p.queue, j)
	p.emitLocked(j)
	p.cond.Signal()
	return p.statusLocked(j), nil
}

// RecoverPolicy says what Resume does with a job that was RUNNING when the
// emulator stopped.
type RecoverPolicy int

const (
	// Requeue runs the job again (from the start).
	Requeue RecoverPolicy = iota
	// Fail marks the job FAILURE.
	Fail
)

// Resume takes up a job recorded by an earlier run of the emulator (from
// its data dir) in state prev. WAITING jobs are queued again; RUNNING jobs
// are queued again or failed, as policy says, so no job stays RUNNING
// across a restart; finished jobs are returned unchanged and not run.
func (p *Pool) Resume(job Job, prev JobStatus, policy RecoverPolicy) (JobStatus, error) {
	switch prev.State {
	case StateWaiting:
		return p.submit(job, max(prev.Attempt, 1), prev.Reason)
	case StateRunning:
		if policy == Requeue {
			return p.submit(job, prev.Attempt+1, "re-queued: the emulator stopped while the job was RUNNING")
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		if old, ok := p.jobs[job.ID]; ok && !old.status.State.Terminal() {
			return JobStatus{}, fmt.Errorf("encoding job %s: %w", job.ID, ErrDuplicateJob)
		}
		st := prev
		st.State, st.Reason, st.Finished, st.QueuePosition = StateFailure, "interrupted: the emulator stopped while the job was RUNNING", p.cfg.Now(), 0
		j := &poolJob{job: job, status: st}
		p.jobs[job.ID] = j
		p.failed++
		p.finishedLocked(j)
		p.emitLocked(j)
		return st, nil
	default:
		return prev, nil
	}
}

// Status returns a job's status.
func (p *Pool) Status(id string) (JobStatus, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	j, ok := p.jobs[id]
	if !ok {
		return JobStatus{}, false
	}
	return p.statusLocked(j), true
}

// Snapshot returns the queue and the running jobs.
func (p *Pool) Snapshot() PoolSnapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := PoolSnapshot{Workers: p.cfg.Workers, Completed: p.completed, Failed: p.failed, Closed: p.closed,
		Running: []JobStatus{}, Waiting: make([]JobStatus, 0, len(p.queue))}
	for _, j := range p.queue {
		s.Waiting = append(s.Waiting, p.statusLocked(j))
	}
	for _, j := range p.jobs {
		if j.status.State == StateRunning {
			s.Running = append(s.Running, p.statusLocked(j))
		}
	}
	sortByStart(s.Running)
	return s
}

func sortByStart(s []JobStatus) {
	for i := 1; i < len(s); i++ {
		for k := i; k > 0 && s[k].Started.Before(s[k-1].Started); k-- {
			s[k], s[k-1] = s[k-1], s[k]
		}
	}
}

// Cancel fails a waiting or running job with the reason "cancelled". It
// reports whether the job was found unfinished.
func (p *Pool) Cancel(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	j, ok := p.jobs[id]
	if !ok || j.status.State.Terminal() {
		return false
	}
	if j.status.State == StateRunning {
		j.cancel(errCancelled)
		return true
	}
	p.removeQueuedLocked(j)
	j.status.State, j.status.Reason, j.status.Finished = StateFailure, errCancelled.Error(), p.cfg.Now()
	p.failed++
	p.finishedLocked(j)
	p.emitLocked(j)
	return true
}

// Forget drops a finished job from the pool's memory.
func (p *Pool) Forget(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if j, ok := p.jobs[id]; ok && j.status.State.Terminal() {
		p.dropFinished(id)
	}
}

// Close stops the pool: no job is accepted or started any more. It waits
// for the running jobs to end until ctx is done, then interrupts them: an
// interrupted job goes back to WAITING (it was not finished, and a restart
// can Resume it). Close returns the statuses of every job left WAITING, for
// the caller to persist, after the last OnChange call has returned.
func (p *Pool) Close(ctx context.Context) []JobStatus {
	p.mu.Lock()
	p.closed = true
	p.cond.Broadcast()
	p.mu.Unlock()

	done := make(chan struct{})
	go func() { p.workers.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		p.mu.Lock()
		for _, j := range p.jobs {
			if j.status.State == StateRunning {
				j.cancel(errShutdown)
			}
		}
		p.mu.Unlock()
		<-done
	}

	p.mu.Lock()
	left := make([]JobStatus, 0, len(p.queue))
	for _, j := range p.queue {
		left = append(left, p.statusLocked(j))
	}
	p.events = append(p.events, JobStatus{}) // end marker for deliver
	p.eventCond.Signal()
	p.mu.Unlock()
	<-p.eventsDone
	return left
}

func (p *Pool) work() {
	defer p.workers.Done()
	for {
		p.mu.Lock()
		for len(p.queue) == 0 && !p.closed {
			p.cond.Wait()
		}
		if p.closed {
			p.mu.Unlock()
			return
		}
		j := p.queue[0]
		p.queue = p.queue[1:]
		ctx, cancel := context.WithCancelCause(context.Background())
		j.cancel = cancel
		j.status.State, j.status.Started, j.status.Progress, j.status.Reason = StateRunning, p.cfg.Now(), 0, ""
		p.emitLocked(j)
		p.mu.Unlock()

		res, err := p.run(ctx, j)
		cause := context.Cause(ctx)
		cancel(nil)

		p.mu.Lock()
		p.endLocked(j, res, err, cause)
		p.mu.Unlock()
	}
}

// run runs one job in its own work directory, turning a panic of the
// emulator's Fetch or Store into an error.
func (p *Pool) run(ctx context.Context, j *poolJob) (res JobResult, err error) {
	if p.cfg.JobTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, p.cfg.JobTimeout, fmt.Errorf("timed out after %s", p.cfg.JobTimeout))
		defer cancel()
	}
	dir, err := os.MkdirTemp(p.cfg.WorkDir, "job-*")
	if err != nil {
		return JobResult{}, fmt.Errorf("work dir: %w", err)
	}
	defer os.RemoveAll(dir)
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	last := -1
	progress := func(f float64) {
		pct := min(max(int(f*100), 0), 99)
		if pct == last {
			return
		}
		last = pct
		p.mu.Lock()
		if j.status.State == StateRunning {
			j.status.Progress = pct
			p.emitLocked(j)
		}
		p.mu.Unlock()
	}
	res, err = p.runner(ctx, j.job, dir, progress)
	if err != nil && context.Cause(ctx) != nil && ctx.Err() != nil {
		err = context.Cause(ctx)
	}
	return res, err
}

func (p *Pool) endLocked(j *poolJob, res JobResult, err, cause error) {
	j.status.Input = res.Input
	j.status.Outputs = res.Outputs
	switch {
	case errors.Is(cause, errShutdown):
		// Interrupted by Close: back to WAITING, at the queue's head.
		j.status.State, j.status.Progress, j.status.Reason, j.status.Started = StateWaiting, 0, errShutdown.Error(), time.Time{}
		j.status.Outputs = nil
		p.queue = append([]*poolJob{j}, p.queue...)
		p.emitLocked(j)
		return
	case err != nil:
		j.status.State, j.status.Reason = StateFailure, err.Error()
		p.failed++
	default:
		j.status.State, j.status.Progress = StateComplete, 100
		p.completed++
	}
	j.status.Finished = p.cfg.Now()
	p.finishedLocked(j)
	p.emitLocked(j)
}

func (p *Pool) removeQueuedLocked(j *poolJob) {
	for i, q := range p.queue {
		if q == j {
			p.queue = append(p.queue[:i], p.queue[i+1:]...)
			return
		}
	}
}

func (p *Pool) finishedLocked(j *poolJob) {
	p.finished = append(p.finished, j.status.ID)
	for len(p.finished) > p.cfg.KeepFinished {
		id := p.finished[0]
		p.finished = p.finished[1:]
		if old, ok := p.jobs[id]; ok && old.status.State.Terminal() {
			delete(p.jobs, id)
		}
	}
}

func (p *Pool) dropFinished(id string) {
	delete(p.jobs, id)
	for i, f := range p.finished {
		if f == id {
			p.finished = append(p.finished[:i], p.finished[i+1:]...)
			break
		}
	}
}

// statusLocked returns a copy of j's status with its queue position.
func (p *Pool) statusLocked(j *poolJob) JobStatus {
	st := j.status
	st.QueuePosition = 0
	if st.State == StateWaiting {
		for i, q := range p.queue {
			if q == j {
				st.QueuePosition = i + 1
				break
			}
		}
	}
	st.Outputs = append([]OutputInfo(nil), st.Outputs...)
	return st
}

func (p *Pool) emitLocked(j *poolJob) {
	if p.cfg.OnChange == nil {
		return
	}
	p.events = append(p.events, p.statusLocked(j))
	p.eventCond.Signal()
}

// deliver calls OnChange for each event in order, outside the lock, until
// Close's end marker (a status without ID).
func (p *Pool) deliver() {
	defer close(p.eventsDone)
	for {
		p.mu.Lock()
		for len(p.events) == 0 {
			p.eventCond.Wait()
		}
		ev := p.events[0]
		p.events = p.events[1:]
		p.mu.Unlock()
		if ev.ID == "" {
			return
		}
		p.cfg.OnChange(ev)
	}
}

// EncodeRunner is the pool's default runner: fetch the input, probe it,
// encode it with the job's option, probe the result, take a thumbnail when
// asked, and store each output.
func EncodeRunner(t Tools, params EncodeParams, thumbnailWidth int) Runner {
	return func(ctx context.Context, job Job, dir string, progress func(float64)) (JobResult, error) {
		var res JobResult
		in := filepath.Join(dir, "input"+safeExt(job.InputName))
		if err := job.Fetch(ctx, in); err != nil {
			return res, fmt.Errorf("fetching the input %q: %w", job.InputName, err)
		}
		meta, err := t.Probe(ctx, in)
		if err != nil {
			return res, fmt.Errorf("input %q: %w", job.InputName, err)
		}
		res.Input = &meta
		ep := params // shared by the workers: set the callback on a copy
		ep.OnProgress = func(pr Progress) { progress(pr.Fraction) }
		name := OutputName(job.InputName, job.Option)
		out := filepath.Join(dir, name)
		outMeta, err := t.Encode(ctx, in, out, job.Option, ep)
		if err != nil {
			return res, err
		}
		ct := "video/mp4"
		if job.Option.IsAudio() {
			ct = "audio/mp4"
		}
		if err := store(ctx, job, &res, Output{Kind: OutputRendition, Name: name, Path: out, ContentType: ct, Metadata: &outMeta}); err != nil {
			return res, err
		}
		if job.Thumbnail && !job.Option.IsAudio() {
			tname := ThumbnailName(job.InputName)
			tpath := filepath.Join(dir, tname)
			if err := t.Thumbnail(ctx, in, tpath, -1, thumbnailWidth); err != nil {
				return res, err
			}
			if err := store(ctx, job, &res, Output{Kind: OutputThumbnail, Name: tname, Path: tpath, ContentType: "image/jpeg"}); err != nil {
				return res, err
			}
		}
		return res, nil
	}
}

func store(ctx context.Context, job Job, res *JobResult, out Output) error {
	fi, err := os.Stat(out.Path)
	if err != nil {
		return err
	}
	if err := job.Store(ctx, out); err != nil {
		return fmt.Errorf("storing %s: %w", out.Name, err)
	}
	res.Outputs = append(res.Outputs, OutputInfo{Kind: out.Kind, Name: out.Name, Size: fi.Size(), Metadata: out.Metadata})
	return nil
}

// safeExt is the extension of a key or URL's last element when it is a
// short run of letters and digits (".mp4"), else "".
func safeExt(name string) string {
	name = name[strings.LastIndexByte(name, '/')+1:]
	ext := filepath.Ext(name)
	if len(ext) < 2 || len(ext) > 6 {
		return ""
	}
	for _, r := range ext[1:] {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return ""
		}
	}
	return ext
}
