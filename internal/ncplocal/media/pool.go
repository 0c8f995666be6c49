package media

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
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
	// Group, when set, names the input the job shares with other jobs (the
	// file of one add-files entry, encoded with each of the category's
	// options). Jobs of one group that wait at the same time run together:
	// the input is fetched once (by the first job's Fetch) and one ffmpeg
	// decodes it once for all their renditions, which is what makes a
	// ladder about as fast as a hand-written ffmpeg command.
	Group string
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

// JobOutcome is a job's result or error.
type JobOutcome struct {
	Result JobResult
	Err    error
}

// Runner runs a batch of jobs (usually one; several of one Group) in
// workDir (a fresh directory, removed afterwards), calling progress(i, f)
// with the fraction f (0–1) of jobs[i] done. It returns one outcome per job.
type Runner func(ctx context.Context, jobs []Job, workDir string, progress func(i int, fraction float64)) []JobOutcome

// PerJob makes a Runner that runs the jobs of a batch one after the other
// with run.
func PerJob(run func(ctx context.Context, job Job, workDir string, progress func(float64)) (JobResult, error)) Runner {
	return func(ctx context.Context, jobs []Job, dir string, progress func(int, float64)) []JobOutcome {
		out := make([]JobOutcome, len(jobs))
		for i, j := range jobs {
			res, err := run(ctx, j, dir, func(f float64) { progress(i, f) })
			out[i] = JobOutcome{res, err}
		}
		return out
	}
}

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
	// JobTimeout bounds one run of a job, or of a batch of jobs of one
	// group (0: no bound); a job that takes longer fails with a timeout
	// reason.
	JobTimeout time.Duration
	// MaxBatch bounds how many jobs of one group run together; 0 means 8.
	MaxBatch int
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
	job       Job
	status    JobStatus
	cancel    context.CancelCauseFunc
	cancelled bool
}

// Causes of a running job's cancellation.
var (
	errCancelled = errors.New("cancelled")
	errShutdown  = errors.New("interrupted by shutdown; re-queued")
	errSibling   = errors.New("re-queued: a job encoded together with it was cancelled")
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
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 8
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
	st, err := p.SubmitAll(job)
	if err != nil {
		return JobStatus{}, err
	}
	return st[0], nil
}

// SubmitAll queues jobs at once, all or none (the first problem is the
// error). Jobs of one group submitted together always run as one batch
// (up to MaxBatch), which add-files should use for a file's options.
func (p *Pool) SubmitAll(jobs ...Job) ([]JobStatus, error) {
	entries := make([]queued, len(jobs))
	for i, j := range jobs {
		entries[i] = queued{job: j, attempt: 1}
	}
	return p.submit(entries)
}

type queued struct {
	job     Job
	attempt int
	reason  string
}

func (p *Pool) submit(entries []queued) ([]JobStatus, error) {
	seen := map[string]bool{}
	for _, e := range entries {
		job := e.job
		switch {
		case job.ID == "":
			return nil, errors.New("encoding job: an id is required")
		case job.Fetch == nil || job.Store == nil:
			return nil, fmt.Errorf("encoding job %s: Fetch and Store are required", job.ID)
		case seen[job.ID]:
			return nil, fmt.Errorf("encoding job %s: %w", job.ID, ErrDuplicateJob)
		}
		seen[job.ID] = true
		if err := job.Option.Validate(); err != nil {
			return nil, fmt.Errorf("encoding job %s: %w", job.ID, err)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, ErrPoolClosed
	}
	for _, e := range entries {
		if old, ok := p.jobs[e.job.ID]; ok && !old.status.State.Terminal() {
			return nil, fmt.Errorf("encoding job %s: %w", e.job.ID, ErrDuplicateJob)
		}
	}
	out := make([]JobStatus, 0, len(entries))
	for _, e := range entries {
		if _, ok := p.jobs[e.job.ID]; ok {
			p.dropFinished(e.job.ID)
		}
		j := &poolJob{job: e.job, status: JobStatus{
			ID: e.job.ID, Option: e.job.Option.Name, State: StateWaiting, Attempt: e.attempt,
			Reason: e.reason, Submitted: p.cfg.Now(),
		}}
		p.jobs[e.job.ID] = j
		p.queue = append(p.queue, j)
		p.emitLocked(j)
		out = append(out, p.statusLocked(j))
	}
	p.cond.Broadcast()
	return out, nil
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
		return p.submitOne(queued{job, max(prev.Attempt, 1), prev.Reason})
	case StateRunning:
		if policy == Requeue {
			return p.submitOne(queued{job, prev.Attempt + 1, "re-queued: the emulator stopped while the job was RUNNING"})
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

func (p *Pool) submitOne(e queued) (JobStatus, error) {
	st, err := p.submit([]queued{e})
	if err != nil {
		return JobStatus{}, err
	}
	return st[0], nil
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
		// Jobs of its batch are re-queued (one ffmpeg encodes them all).
		j.cancelled = true
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
		batch := p.takeBatchLocked()
		ctx, cancel := context.WithCancelCause(context.Background())
		now := p.cfg.Now()
		for _, j := range batch {
			j.cancel, j.cancelled = cancel, false
			j.status.State, j.status.Started, j.status.Progress, j.status.Reason = StateRunning, now, 0, ""
			p.emitLocked(j)
		}
		p.mu.Unlock()

		outcomes := p.run(ctx, batch)
		cause := context.Cause(ctx)
		cancel(nil)

		p.mu.Lock()
		// Backwards, so that re-queued jobs keep their order at the head.
		for i := len(batch) - 1; i >= 0; i-- {
			p.endLocked(batch[i], outcomes[i].Result, outcomes[i].Err, cause)
		}
		p.mu.Unlock()
	}
}

// takeBatchLocked removes the queue's head and the waiting jobs of its
// group (up to MaxBatch) from the queue.
func (p *Pool) takeBatchLocked() []*poolJob {
	head := p.queue[0]
	batch := []*poolJob{head}
	rest := p.queue[1:]
	if head.job.Group == "" {
		p.queue = rest
		return batch
	}
	kept := make([]*poolJob, 0, len(rest))
	for _, j := range rest {
		if j.job.Group == head.job.Group && len(batch) < p.cfg.MaxBatch {
			batch = append(batch, j)
		} else {
			kept = append(kept, j)
		}
	}
	p.queue = kept
	return batch
}

// run runs a batch in its own work directory, turning a panic of the
// emulator's Fetch or Store into an error.
func (p *Pool) run(ctx context.Context, batch []*poolJob) (outcomes []JobOutcome) {
	failAll := func(err error) []JobOutcome {
		out := make([]JobOutcome, len(batch))
		for i := range out {
			out[i].Err = err
		}
		return out
	}
	if p.cfg.JobTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, p.cfg.JobTimeout, fmt.Errorf("timed out after %s", p.cfg.JobTimeout))
		defer cancel()
	}
	dir, err := os.MkdirTemp(p.cfg.WorkDir, "job-*")
	if err != nil {
		return failAll(fmt.Errorf("work dir: %w", err))
	}
	defer os.RemoveAll(dir)
	defer func() {
		if r := recover(); r != nil {
			outcomes = failAll(fmt.Errorf("internal error: %v", r))
		}
	}()
	last := make([]int, len(batch))
	for i := range last {
		last[i] = -1
	}
	progress := func(i int, f float64) {
		if i < 0 || i >= len(batch) {
			return
		}
		pct := min(max(int(f*100), 0), 99)
		p.mu.Lock()
		defer p.mu.Unlock()
		if pct == last[i] {
			return
		}
		last[i] = pct
		if j := batch[i]; j.status.State == StateRunning {
			j.status.Progress = pct
			p.emitLocked(j)
		}
	}
	jobs := make([]Job, len(batch))
	for i, j := range batch {
		jobs[i] = j.job
	}
	outcomes = p.runner(ctx, jobs, dir, progress)
	if len(outcomes) != len(batch) {
		return failAll(fmt.Errorf("internal error: the runner returned %d outcomes for %d jobs", len(outcomes), len(batch)))
	}
	if ctx.Err() != nil {
		if cause := context.Cause(ctx); cause != nil {
			for i := range outcomes {
				if outcomes[i].Err != nil {
					outcomes[i].Err = cause
				}
			}
		}
	}
	return outcomes
}

func (p *Pool) endLocked(j *poolJob, res JobResult, err, cause error) {
	j.status.Input = res.Input
	j.status.Outputs = res.Outputs
	requeue := func(reason error) {
		// Back to WAITING, at the queue's head.
		j.status.State, j.status.Progress, j.status.Reason, j.status.Started = StateWaiting, 0, reason.Error(), time.Time{}
		j.status.Outputs = nil
		p.queue = append([]*poolJob{j}, p.queue...)
		p.emitLocked(j)
	}
	// A job that ended well before its batch was interrupted is COMPLETE.
	switch {
	case err == nil:
	case j.cancelled:
		err = errCancelled
	case errors.Is(cause, errShutdown):
		// Interrupted by Close.
		requeue(errShutdown)
		return
	case errors.Is(cause, errCancelled):
		// Another job of its batch was cancelled.
		requeue(errSibling)
		return
	}
	switch {
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

// EncodeRunner is the pool's default runner: fetch the input once, probe
// it, encode every job's rendition with one ffmpeg, probe the results,
// take a thumbnail when a job asks for one, and store each job's outputs.
func EncodeRunner(t Tools, params EncodeParams, thumbnailWidth int) Runner {
	return func(ctx context.Context, jobs []Job, dir string, progress func(int, float64)) []JobOutcome {
		out := make([]JobOutcome, len(jobs))
		failAll := func(err error) []JobOutcome {
			for i := range out {
				out[i].Err = err
			}
			return out
		}
		first := jobs[0]
		in := filepath.Join(dir, "input"+safeExt(first.InputName))
		if err := first.Fetch(ctx, in); err != nil {
			return failAll(fmt.Errorf("fetching the input %q: %w", first.InputName, err))
		}
		meta, err := t.Probe(ctx, in)
		if err != nil {
			return failAll(fmt.Errorf("input %q: %w", first.InputName, err))
		}
		paths := make([]string, len(jobs))
		opts := make([]EncodingOption, len(jobs))
		for i, j := range jobs {
			out[i].Result.Input = &meta
			// A directory per job: two jobs may have options of one name.
			sub := filepath.Join(dir, "out-"+strconv.Itoa(i))
			if err := os.Mkdir(sub, 0o700); err != nil {
				return failAll(err)
			}
			paths[i], opts[i] = filepath.Join(sub, OutputName(j.InputName, j.Option)), j.Option
		}
		ep := params // shared by the workers: set the callback on a copy
		ep.OnProgress = func(pr Progress) {
			for i := range jobs {
				progress(i, pr.Fraction)
			}
		}
		metas, err := t.encodeProbed(ctx, in, meta, paths, opts, ep)
		if err != nil {
			return failAll(err)
		}
		var thumb string
		var thumbErr error
		for i, j := range jobs {
			ct := "video/mp4"
			if j.Option.IsAudio() {
				ct = "audio/mp4"
			}
			o := Output{Kind: OutputRendition, Name: filepath.Base(paths[i]), Path: paths[i], ContentType: ct, Metadata: &metas[i]}
			if out[i].Err = store(ctx, j, &out[i].Result, o); out[i].Err != nil || !j.Thumbnail || j.Option.IsAudio() {
				continue
			}
			if thumb == "" && thumbErr == nil {
				thumb = filepath.Join(dir, ThumbnailName(first.InputName))
				if thumbErr = t.Thumbnail(ctx, in, thumb, -1, thumbnailWidth); thumbErr != nil {
					thumb = ""
				}
			}
			if thumbErr != nil {
				out[i].Err = thumbErr
				continue
			}
			out[i].Err = store(ctx, j, &out[i].Result, Output{Kind: OutputThumbnail, Name: filepath.Base(thumb), Path: thumb, ContentType: "image/jpeg"})
		}
		return out
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
		alnum := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
		if !alnum {
			return ""
		}
	}
	return ext
}
