package vodstation

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// Encoder does the work of one encoding job: it reads the input (an object
// of the account's Object Storage, or a download URL), encodes it with the
// option and writes the rendition (and, when asked, a thumbnail) to the
// output target, reporting progress as it goes. An error fails the job
// (FAILURE); its message is the job's failure reason.
type Encoder interface {
	Encode(ctx context.Context, job EncodeJob, progress func(percent int)) (EncodeResult, error)
}

// EncodeJob is one rendition to make.
type EncodeJob struct {
	Account string
	FileID  int64
	// InputBucket and InputKey name an Object Storage input; InputURL a
	// download input (one of the two).
	InputBucket, InputKey string
	InputURL              string
	Option                wire.EncodingOption
	// OutputBucket and OutputKey are where the rendition goes, with the
	// output's access control (PRIVATE or PUBLIC_READ).
	OutputBucket, OutputKey string
	AccessControl           string
	// Thumbnail asks for a thumbnail at ThumbnailBucket/ThumbnailKey.
	Thumbnail                     bool
	ThumbnailBucket, ThumbnailKey string
	ThumbnailAccessControl        string
	// Delay is the async delay in force: how long a job takes for an
	// encoder that only simulates the work.
	Delay time.Duration
}

// EncodeResult is what an encoder learnt about the input.
type EncodeResult struct {
	Metadata *wire.MediaMetadata
}

// SimulatedEncoder is the default encoder: it checks that the input exists
// (a missing object fails the job, as NCP's encoder would) and takes the
// async delay, but writes no media: the job completes with the link where
// the rendition would be. The pipeline's media encoder replaces it
// (WithEncoder).
type SimulatedEncoder struct {
	Buckets Buckets
}

// Encode implements Encoder.
func (e SimulatedEncoder) Encode(ctx context.Context, job EncodeJob, progress func(int)) (EncodeResult, error) {
	if job.InputURL == "" {
		if e.Buckets == nil {
			return EncodeResult{}, errors.New("no Object Storage to read the input from")
		}
		if _, err := e.Buckets.StatObject(job.Account, job.InputBucket, job.InputKey); err != nil {
			return EncodeResult{}, fmt.Errorf("input %s/%s: %w", job.InputBucket, job.InputKey, err)
		}
	}
	progress(50)
	if !sleep(ctx, job.Delay) {
		return EncodeResult{}, ctx.Err()
	}
	progress(100)
	return EncodeResult{}, nil
}

// fileRec is one added file and its jobs, one per encoding option.
type fileRec struct {
	ID              int64               `json:"id"`
	CategoryID      int64               `json:"categoryId"`
	CategoryName    string              `json:"categoryName"`
	InputBucket     string              `json:"inputBucket,omitempty"`
	InputPath       string              `json:"inputPath,omitempty"`
	InputURL        string              `json:"inputUrl,omitempty"`
	NotificationURL string              `json:"notificationUrl,omitempty"`
	Output          wire.Output         `json:"output"`
	OutputDir       string              `json:"outputDir"`
	WithoutCategory bool                `json:"withoutCategory,omitempty"`
	Thumbnail       bool                `json:"thumbnail"`
	Jobs            []jobRec            `json:"jobs"`
	Metadata        *wire.MediaMetadata `json:"metadata,omitempty"`
}

// jobRec is one encoding job.
type jobRec struct {
	Option   wire.EncodingOption `json:"option"`
	Status   string              `json:"status"`
	FilePath string              `json:"filePath,omitempty"`
	Link     string              `json:"link,omitempty"`
	Progress int                 `json:"progress"`
	Start    *int64              `json:"start,omitempty"`
	End      *int64              `json:"end,omitempty"`
	Reason   string              `json:"reason,omitempty"`
}

func (f *fileRec) finished() bool {
	for _, j := range f.Jobs {
		if j.Status != wire.JobComplete && j.Status != wire.JobFailure {
			return false
		}
	}
	return true
}

func (f *fileRec) key() string { return strconv.FormatInt(f.ID, 10) }

// inputName is the input's key or URL path, for output naming.
func (f *fileRec) inputName() string {
	if f.InputURL != "" {
		if u, err := url.Parse(f.InputURL); err == nil {
			return u.Path
		}
	}
	return f.InputPath
}

// outputKey names a rendition: "<input name>_<option name>.mp4" (.m4a for
// audio) under the output folder [?] (see media.OutputName).
func (f *fileRec) outputKey(o wire.EncodingOption) string {
	base := path.Base("/" + strings.TrimRight(f.inputName(), "/"))
	if ext := path.Ext(base); ext != "" && ext != base {
		base = strings.TrimSuffix(base, ext)
	}
	ext := ".mp4"
	if o.EncodingOptionType == wire.OptionTypeAudio {
		ext = ".m4a"
	}
	name := base + "_" + o.Name + ext
	if f.OutputDir == "" {
		return name
	}
	return f.OutputDir + "/" + name
}

// link is the URL of an output object at NCP's Object Storage endpoint [?].
func link(bucket, key string) string {
	return "https://kr.object.ncloudstorage.com/" + bucket + "/" + key
}

func (f *fileRec) status() wire.FileStatus {
	st := wire.FileStatus{Input: wire.FileInput{FileID: f.ID, BucketName: f.InputBucket, FilePath: f.InputPath, Metadata: f.Metadata}, Output: []wire.FileOutput{}}
	if f.InputURL != "" {
		st.Input.FilePath = f.InputURL
	}
	for _, j := range f.Jobs {
		st.Output = append(st.Output, wire.FileOutput{
			EncodingOptionID: j.Option.ID, OutputType: j.Option.Name, Status: j.Status, BucketName: f.Output.BucketName,
			FilePath: j.FilePath, Link: j.Link, Progress: j.Progress, WorkStartTime: j.Start, WorkEndTime: j.End, FailureReason: j.Reason,
		})
	}
	return st
}

func (s *Service) addFiles(c *rest.Call) error {
	id, err := categoryID(c)
	if err != nil {
		return err
	}
	var in wire.AddFilesRequest
	if err := c.Decode(&in); err != nil {
		return err
	}
	inputs, err := s.checkInputs(c.AccountID, &in)
	if err != nil {
		return err
	}
	notify := in.Notification
	if notify == "" {
		notify = in.NotificationURL
	}
	if err := checkURL("notification", notify); err != nil {
		return err
	}
	var out []wire.AddedFile
	var started []int64
	err = s.store.Update(c.Context(), func(tx *emu.Tx) error {
		cat, ok := s.categories.Get(tx, c.AccountID, id)
		if !ok {
			return errNotFound("category %s", id)
		}
		output := cat.Output
		without := false
		if o := in.Output; o != nil {
			if o.BucketName != "" {
				output.BucketName = o.BucketName
			}
			if o.FilePath != "" {
				output.FilePath = o.FilePath
			}
			if o.AccessControl != "" {
				output.AccessControl = o.AccessControl
			}
			if o.ThumbnailBucketName != "" {
				output.ThumbnailBucketName = o.ThumbnailBucketName
			}
			if o.ThumbnailFilePath != "" {
				output.ThumbnailFilePath = o.ThumbnailFilePath
			}
			if o.ThumbnailAccessControl != "" {
				output.ThumbnailAccessControl = o.ThumbnailAccessControl
			}
			without = deref(o.WithoutCategoryName)
			if err := s.checkOutput(c.AccountID, &output, "output"); err != nil {
				return err
			}
		}
		if notify == "" {
			notify = cat.NotificationURL
		}
		var opts []wire.EncodingOption
		for _, oid := range cat.EncodingOptions {
			o, ok := s.option(tx, c.AccountID, oid)
			if !ok {
				return errValue("the category's encoding option %d no longer exists", oid)
			}
			opts = append(opts, o)
		}
		for _, input := range inputs {
			f := fileRec{ID: int64(s.fileSeq.Next(tx)), CategoryID: cat.ID, CategoryName: cat.Name, NotificationURL: notify,
				Output: output, OutputDir: outputDir(output.FilePath, cat.Name, without), WithoutCategory: without, Thumbnail: cat.Thumbnail}
			if in.BucketName != "" {
				f.InputBucket, f.InputPath = in.BucketName, input
			} else {
				f.InputURL = input
			}
			for _, o := range opts {
				f.Jobs = append(f.Jobs, jobRec{Option: o, Status: wire.JobWaiting})
			}
			s.files.Put(tx, c.AccountID, f.key(), f)
			added := wire.AddedFile{ID: f.ID}
			if f.InputURL != "" {
				added.FileURL = f.InputURL
			} else {
				added.FilePath = f.InputPath
			}
			out = append(out, added)
			started = append(started, f.ID)
		}
		cat.LastWorkStart = ptr(ms(tx.Now()))
		s.categories.Put(tx, c.AccountID, id, cat)
		return nil
	})
	if err != nil {
		return err
	}
	for _, fid := range started {
		s.startJobs(c.AccountID, fid, false)
	}
	return c.OK(out)
}

// checkInputs applies the add-files rules (ncp-api.md §2.3): bucketName with
// pathList, or httpDownloadUrlList, not both; at most 100 entries.
func (s *Service) checkInputs(account string, in *wire.AddFilesRequest) ([]string, error) {
	hasPaths, hasURLs := len(in.PathList) > 0, len(in.HTTPDownloadURLList) > 0
	switch {
	case hasPaths && hasURLs:
		return nil, errInput("pathList and httpDownloadUrlList cannot be combined")
	case !hasPaths && !hasURLs:
		return nil, errInput("pathList (with bucketName) or httpDownloadUrlList is required")
	case hasURLs && in.BucketName != "":
		return nil, errInput("bucketName goes with pathList, not with httpDownloadUrlList")
	case in.Notification != "" && in.NotificationURL != "" && in.Notification != in.NotificationURL:
		return nil, errInput("notification and notificationUrl name different URLs")
	}
	list := in.PathList
	if hasURLs {
		list = in.HTTPDownloadURLList
	}
	if len(list) > wire.MaxAddFiles {
		return nil, errInput("at most %d files per request (got %d)", wire.MaxAddFiles, len(list))
	}
	if hasPaths {
		if err := s.checkBucket(account, "bucketName", in.BucketName); err != nil {
			return nil, err
		}
		out := make([]string, len(list))
		for i, p := range list {
			key := strings.TrimPrefix(p, "/")
			if key == "" || strings.HasSuffix(key, "/") {
				return nil, errValue("pathList[%d] must name a file (got %q)", i, p)
			}
			out[i] = key
		}
		return out, nil
	}
	for i, raw := range list {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, errValue("httpDownloadUrlList[%d] must be an http or https URL (got %q)", i, raw)
		}
		ext := strings.ToUpper(strings.TrimPrefix(path.Ext(u.Path), "."))
		if !slices.Contains(wire.DownloadExtensions, ext) {
			return nil, errValue("httpDownloadUrlList[%d]: %q is not one of the file types %s", i, raw, strings.Join(wire.DownloadExtensions, ", "))
		}
	}
	return slices.Clone(list), nil
}

// startJobs runs the jobs of a file in the background. resumed says the
// file's jobs were started by an earlier run of the emulator (Reconcile):
// the callbacks of the statuses they are in were sent (or lost) then, and
// are not sent again.
func (s *Service) startJobs(account string, fileID int64, resumed bool) {
	s.goBackground(func(ctx context.Context) { s.runFile(ctx, account, fileID, resumed) })
}

// BatchEncoder is an Encoder that takes all of a file's jobs at once, so
// that it can encode the whole ladder from one decode of the input, and
// that tells when each job really starts: a job it queues stays WAITING
// until then. MediaEncoder is one.
type BatchEncoder interface {
	// EncodeBatch encodes jobs, calling ev.Started(i) when job i starts
	// running (again, if it is re-queued), ev.Progress(i, percent) as it
	// goes and ev.Done(i, result, err) once when it ends. It returns when
	// every job is done, or when ctx ends (then the jobs left are
	// abandoned, not done).
	EncodeBatch(ctx context.Context, jobs []EncodeJob, ev BatchEvents)
}

// BatchEvents are the calls a BatchEncoder makes, all from the goroutine
// that called EncodeBatch. Started and Done record the job's status and
// return without waiting for its callback to be sent, so an encoder may
// wait for them: MediaEncoder does, so that the status API never lists
// more jobs RUNNING than its pool runs.
type BatchEvents struct {
	Started  func(i int)
	Progress func(i, percent int)
	Done     func(i int, res EncodeResult, err error)
}

// sequentialBatch runs the jobs one after the other with enc.
func sequentialBatch(ctx context.Context, enc Encoder, jobs []EncodeJob, ev BatchEvents) {
	for i, job := range jobs {
		ev.Started(i)
		res, err := enc.Encode(ctx, job, func(p int) { ev.Progress(i, p) })
		if ctx.Err() != nil {
			return
		}
		ev.Done(i, res, err)
	}
}

// runFile takes a file's jobs through WAITING → RUNNING → COMPLETE |
// FAILURE, with a callback for every option and status. A BatchEncoder
// gets every unfinished job at once; another Encoder gets them one after
// the other, after a third of the async delay. It stops when the service
// closes (a restart resumes it, Reconcile) or when the file is gone
// (Reset).
//
// A callback is sent once per job and status: the status is recorded
// first and the callback sent after it, so a kill in between loses that
// callback rather than sending it twice. A job found RUNNING after a
// restart (the kill cut its encoding off) is encoded again from the start;
// its status stays RUNNING meanwhile, with its progress from 0, and its
// next callback is its COMPLETE or FAILURE one.
func (s *Service) runFile(ctx context.Context, account string, fileID int64, resumed bool) {
	key := strconv.FormatInt(fileID, 10)
	f, ok := s.file(account, key)
	if !ok {
		return
	}
	delay := s.env.Delay()
	if !resumed {
		for _, j := range f.Jobs {
			if j.Status == wire.JobWaiting {
				s.jobCallback(ctx, f, j)
			}
		}
	}
	// Callbacks go out in order from a sender of their own, so that
	// recording a status never waits for the notification URL.
	notify := make(chan func(), 16)
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for send := range notify {
			send()
		}
	}()
	defer func() {
		close(notify)
		<-sent
	}()
	callback := func(f fileRec, j jobRec) { notify <- func() { s.jobCallback(ctx, f, j) } }
	batch, isBatch := s.encoder.(BatchEncoder)
	if !isBatch && !sleep(ctx, delay/3) {
		return
	}
	var idx []int // the job (in f.Jobs) of each encoder job
	var jobs []EncodeJob
	for i, j := range f.Jobs {
		if j.Status == wire.JobComplete || j.Status == wire.JobFailure {
			continue
		}
		idx = append(idx, i)
		jobs = append(jobs, encodeJob(account, f, j, delay))
	}
	if len(jobs) == 0 {
		return
	}
	// A file deleted (Reset) ends the run: the encoder's remaining events
	// are dropped and its work is cancelled.
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	gone := false
	ev := BatchEvents{
		Started: func(k int) {
			if gone {
				return
			}
			i := idx[k]
			okey := f.outputKey(f.Jobs[i].Option)
			wasRunning := false
			nf, ok := s.setJob(runCtx, account, key, i, func(tx *emu.Tx, j *jobRec) {
				wasRunning = j.Status == wire.JobRunning
				j.Status, j.FilePath, j.Progress = wire.JobRunning, "/"+okey, 0
				if j.Start == nil || !wasRunning {
					j.Start = ptr(ms(tx.Now()))
				}
			})
			if !ok {
				gone = true
				stop()
				return
			}
			if !wasRunning {
				callback(nf, nf.Jobs[i])
			}
		},
		Progress: func(k, p int) {
			if gone {
				return
			}
			_, _ = s.setJob(runCtx, account, key, idx[k], func(_ *emu.Tx, j *jobRec) { j.Progress = min(max(p, 0), 100) })
		},
		Done: func(k int, res EncodeResult, err error) {
			if gone {
				return
			}
			i := idx[k]
			okey := f.outputKey(f.Jobs[i].Option)
			nf, ok := s.setJob(runCtx, account, key, i, func(tx *emu.Tx, j *jobRec) {
				j.End = ptr(ms(tx.Now()))
				if err != nil {
					j.Status, j.Reason = wire.JobFailure, err.Error()
					return
				}
				j.Status, j.Progress, j.Link = wire.JobComplete, 100, link(f.Output.BucketName, okey)
			})
			if !ok {
				gone = true
				stop()
				return
			}
			if res.Metadata != nil {
				_ = s.store.Update(runCtx, func(tx *emu.Tx) error {
					r, ok := s.files.Get(tx, account, key)
					if !ok {
						return errGone
					}
					r.Metadata = res.Metadata
					s.files.Put(tx, account, key, r)
					return nil
				})
			}
			callback(nf, nf.Jobs[i])
		},
	}
	if isBatch {
		batch.EncodeBatch(runCtx, jobs, ev)
		return
	}
	sequentialBatch(runCtx, s.encoder, jobs, ev)
}

// encodeJob describes job j of file f for the encoder.
func encodeJob(account string, f fileRec, j jobRec, delay time.Duration) EncodeJob {
	job := EncodeJob{Account: account, FileID: f.ID, InputBucket: f.InputBucket, InputKey: f.InputPath, InputURL: f.InputURL,
		Option: j.Option, OutputBucket: f.Output.BucketName, OutputKey: f.outputKey(j.Option), AccessControl: f.Output.AccessControl,
		Thumbnail: f.Thumbnail, ThumbnailBucket: f.Output.ThumbnailBucketName, ThumbnailAccessControl: f.Output.ThumbnailAccessControl,
		Delay: delay * 2 / 3 / time.Duration(len(f.Jobs))}
	if f.Thumbnail {
		// "<input name>_01.jpg", one per input [?] (media.ThumbnailName).
		dir := outputDir(f.Output.ThumbnailFilePath, f.CategoryName, f.WithoutCategory)
		base := path.Base("/" + strings.TrimRight(f.inputName(), "/"))
		if ext := path.Ext(base); ext != "" && ext != base {
			base = strings.TrimSuffix(base, ext)
		}
		job.ThumbnailKey = strings.TrimPrefix(dir+"/", "/") + base + "_01.jpg"
	}
	return job
}

func (s *Service) file(account, key string) (f fileRec, ok bool) {
	_ = s.store.View(func(tx *emu.Tx) error {
		f, ok = s.files.Get(tx, account, key)
		return nil
	})
	return f, ok
}

// setJob changes job i of a file and returns the file; false when the file
// is gone.
func (s *Service) setJob(ctx context.Context, account, key string, i int, fn func(tx *emu.Tx, j *jobRec)) (fileRec, bool) {
	var out fileRec
	err := s.store.Update(ctx, func(tx *emu.Tx) error {
		f, ok := s.files.Get(tx, account, key)
		if !ok || i >= len(f.Jobs) {
			return errGone
		}
		f.Jobs = slices.Clone(f.Jobs)
		fn(tx, &f.Jobs[i])
		s.files.Put(tx, account, key, f)
		out = f
		return nil
	})
	return out, err == nil
}

// jobCallback sends the documented callback for one job's status
// (ncp-api.md §2.3): filePath "" while WAITING, link only when COMPLETE.
func (s *Service) jobCallback(ctx context.Context, f fileRec, j jobRec) {
	if f.NotificationURL == "" {
		return
	}
	cb := wire.JobCallback{CategoryID: f.CategoryID, CategoryName: f.CategoryName, FileID: f.ID, EncodingOptionID: j.Option.ID,
		OutputType: j.Option.Name, Status: j.Status}
	if j.Status != wire.JobWaiting {
		cb.FilePath = j.FilePath
	}
	if j.Status == wire.JobComplete {
		cb.Link = j.Link
	}
	s.post(ctx, f.NotificationURL, cb)
}

func (s *Service) getFileStatus(c *rest.Call) error {
	raw := c.Path("fileId")
	if n, err := strconv.ParseInt(raw, 10, 64); err != nil || n < 1 {
		return errNotFound("file %q", raw)
	}
	f, ok := s.file(c.AccountID, raw)
	if !ok {
		return errNotFound("file %s", raw)
	}
	return c.ReplyWith(http.StatusOK, f.status(), map[string]any{"categoryId": f.CategoryID, "categoryName": f.CategoryName})
}

// timeRange reads workStartTimeFrom/To (ms since the epoch; 260026
// otherwise).
func timeRange(c *rest.Call) (from, to int64, err error) {
	to = 1<<63 - 1
	for _, q := range []struct {
		name string
		v    *int64
	}{{wire.QueryWorkStartTimeFrom, &from}, {wire.QueryWorkStartTimeTo, &to}} {
		if raw := c.Query(q.name); raw != "" {
			n, perr := strconv.ParseInt(raw, 10, 64)
			if perr != nil || n < 0 {
				return 0, 0, vodError(http.StatusBadRequest, wire.CodeInvalidDate, "invalid DATE format", sprintf("%s must be milliseconds since the epoch (got %q)", q.name, raw))
			}
			*q.v = n
		}
	}
	return from, to, nil
}

// statusItems lists the jobs started (or waiting since) within a range.
func (s *Service) statusItems(account string, from, to int64) []wire.StatusItem {
	var out []wire.StatusItem
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, f := range s.files.List(tx, account) {
			for _, j := range f.Jobs {
				start := deref(j.Start)
				if j.Start != nil && (start < from || start > to) {
					continue
				}
				in := f.InputPath
				if f.InputURL != "" {
					in = f.InputURL
				}
				out = append(out, wire.StatusItem{FileID: f.ID, CategoryID: f.CategoryID, CategoryName: f.CategoryName, InputFilePath: in,
					EncodingOptionID: j.Option.ID, OutputType: j.Option.Name, Status: j.Status, OutputFilePath: j.FilePath, Link: j.Link,
					WorkStartTime: j.Start, WorkEndTime: j.End})
			}
		}
		return nil
	})
	return out
}

func (s *Service) listStatus(c *rest.Call) error {
	no, size, err := page(c)
	if err != nil {
		return err
	}
	from, to, err := timeRange(c)
	if err != nil {
		return err
	}
	all := s.statusItems(c.AccountID, from, to)
	return c.List(rest.Page(all, no, size), len(all))
}

// statusStatistic counts jobs by status; the answer's shape is [?].
func (s *Service) statusStatistic(c *rest.Call) error {
	from, to, err := timeRange(c)
	if err != nil {
		return err
	}
	counts := map[string]int{wire.JobWaiting: 0, wire.JobRunning: 0, wire.JobComplete: 0, wire.JobFailure: 0}
	for _, it := range s.statusItems(c.AccountID, from, to) {
		counts[it.Status]++
	}
	return c.OK(counts)
}
