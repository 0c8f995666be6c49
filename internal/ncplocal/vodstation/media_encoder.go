package vodstation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	osw "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// Objects is what the media encoder reads inputs from and writes outputs
// to (*objectstorage.Service implements it).
type Objects interface {
	ReadObject(accountID, bucket, key string) (io.ReadCloser, objectstorage.ObjectInfo, error)
	// WriteObjectACL stores an object with a canned ACL (private,
	// public-read).
	WriteObjectACL(accountID, bucket, key string, r io.Reader, contentType, acl string) error
}

// objectACL is the Object Storage canned ACL of a VOD Station access
// control: output.accessControl and output.thumbnailAccessControl choose
// whether the files VOD Station writes are public (PUBLIC_READ) or private
// (PRIVATE, the default) (ncp-api.md §2.2). A channel has no say in it.
func objectACL(accessControl string) (string, error) {
	switch accessControl {
	case wire.AccessPublicRead:
		return osw.ACLPublicRead, nil
	case wire.AccessPrivate, "":
		return osw.ACLPrivate, nil
	}
	return "", fmt.Errorf("unknown access control %q (want %s or %s)", accessControl, wire.AccessPrivate, wire.AccessPublicRead)
}

// MediaEncoder encodes for real with ffmpeg through a media.Pool: it
// fetches the input (an object of the account's Object Storage, or a
// download URL), encodes the rendition of the job's option (and a
// thumbnail when asked) and writes them into the output bucket, reporting
// the pool's progress. Each output gets the object ACL its access control
// asks for (objectACL): the rendition the output's accessControl, the
// thumbnail its thumbnailAccessControl.
type MediaEncoder struct {
	objects Objects
	pool    *media.Pool
	http    *http.Client

	mu      sync.Mutex
	waiters map[string]chan media.JobStatus
	updates map[string]func(int)
	batches map[string]*batchFeed
}

// batchFeed carries the pool's status changes of one EncodeBatch's jobs to
// it; quit is closed when it returns.
type batchFeed struct {
	events chan batchEvent
	quit   chan struct{}
}

// batchEvent is one status change; a state change carries ack, closed once
// EncodeBatch has recorded it.
type batchEvent struct {
	st  media.JobStatus
	ack chan struct{}
}

var _ BatchEncoder = (*MediaEncoder)(nil)

// NewMediaEncoder starts a pool of workers (cfg.OnChange is the encoder's).
func NewMediaEncoder(objects Objects, cfg media.PoolConfig) (*MediaEncoder, error) {
	e := &MediaEncoder{objects: objects, http: &http.Client{}, waiters: map[string]chan media.JobStatus{}, updates: map[string]func(int){},
		batches: map[string]*batchFeed{}}
	cfg.OnChange = e.onChange
	pool, err := media.NewPool(cfg)
	if err != nil {
		return nil, err
	}
	e.pool = pool
	return e, nil
}

// Close stops the pool, cancelling the jobs still running.
func (e *MediaEncoder) Close(ctx context.Context) { e.pool.Close(ctx) }

func (e *MediaEncoder) onChange(st media.JobStatus) {
	e.mu.Lock()
	progress, done, feed := e.updates[st.ID], e.waiters[st.ID], e.batches[st.ID]
	e.mu.Unlock()
	if feed != nil {
		if st.State == media.StateRunning && st.Progress > 0 {
			// Progress may be dropped when the batch is behind.
			select {
			case feed.events <- batchEvent{st: st}:
			default:
			}
			return
		}
		// A state change is recorded before the pool's next change is
		// delivered: the job that ended is COMPLETE in VOD Station's status
		// before the job that takes its worker is RUNNING there.
		ack := make(chan struct{})
		select {
		case feed.events <- batchEvent{st: st, ack: ack}:
		case <-feed.quit:
			return
		}
		select {
		case <-ack:
		case <-feed.quit:
		}
		return
	}
	if progress != nil {
		progress(st.Progress)
	}
	if done != nil && st.State.Terminal() {
		select {
		case done <- st:
		default:
		}
	}
}

// mediaOption is the media form of a wire encoding option.
func mediaOption(o wire.EncodingOption) media.EncodingOption {
	out := media.EncodingOption{ID: int(o.ID), Name: o.Name, Type: o.EncodingOptionType, Format: o.Format}
	if v := o.Video; v != nil {
		out.Video = &media.VideoOption{Codec: v.Codec, Bitrate: v.Bitrate, Width: v.Width, Height: v.Height, Framerate: v.Framerate,
			MaxFramerate: v.MaxFramerate, KeyframeInterval: v.KeyframeInterval, RateControl: v.RateControl}
		if v.CodecOptions != nil {
			out.Video.Profile, out.Video.Level = v.CodecOptions.Profile, v.CodecOptions.Level
		}
	}
	if a := o.Audio; a != nil {
		out.Audio = &media.AudioOption{Codec: a.Codec, Channel: a.Channel, Bitrate: a.Bitrate, SamplingRate: a.SamplingRate}
	}
	return out
}

// Encode implements Encoder.
func (e *MediaEncoder) Encode(ctx context.Context, job EncodeJob, progress func(int)) (EncodeResult, error) {
	id := jobID(job)
	done := make(chan media.JobStatus, 1)
	e.mu.Lock()
	e.waiters[id], e.updates[id] = done, progress
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		delete(e.waiters, id)
		delete(e.updates, id)
		e.mu.Unlock()
		e.pool.Forget(id)
	}()
	mj := e.mediaJob(job)
	if _, err := e.pool.Submit(mj); err != nil {
		return EncodeResult{}, err
	}
	select {
	case st := <-done:
		if st.State != media.StateComplete {
			return EncodeResult{}, errors.New(st.Reason)
		}
		return EncodeResult{Metadata: wireMetadata(st.Input)}, nil
	case <-ctx.Done():
		e.pool.Cancel(id)
		return EncodeResult{}, ctx.Err()
	}
}

// jobID is a job's ID in the pool.
func jobID(job EncodeJob) string {
	return strconv.FormatInt(job.FileID, 10) + "-" + strconv.FormatInt(job.Option.ID, 10)
}

// mediaJob is the pool's job for job.
func (e *MediaEncoder) mediaJob(job EncodeJob) media.Job {
	input := job.InputKey
	if job.InputURL != "" {
		input = job.InputURL
	}
	return media.Job{ID: jobID(job), InputName: input, Option: mediaOption(job.Option), Thumbnail: job.Thumbnail && job.ThumbnailKey != "",
		Group: strconv.FormatInt(job.FileID, 10),
		Fetch: func(ctx context.Context, dst string) error { return e.fetch(ctx, job, dst) },
		Store: func(_ context.Context, out media.Output) error {
			bucket, key, access := job.OutputBucket, job.OutputKey, job.AccessControl
			if out.Kind == media.OutputThumbnail {
				bucket, key, access = job.ThumbnailBucket, job.ThumbnailKey, job.ThumbnailAccessControl
			}
			acl, err := objectACL(access)
			if err != nil {
				return fmt.Errorf("output %s/%s: %w", bucket, key, err)
			}
			f, err := os.Open(out.Path)
			if err != nil {
				return err
			}
			defer f.Close()
			return e.objects.WriteObjectACL(job.Account, bucket, key, f, out.ContentType, acl)
		}}
}

// progressStep is the least change of a job's progress EncodeBatch
// reports: each report is a journaled change of the file's status.
const progressStep = 5

// EncodeBatch implements BatchEncoder: the jobs (one file's, so one
// input) go to the pool together, which encodes them with one ffmpeg that
// decodes the input once for the whole ladder (media.Job.Group). A job
// whose option the encoder cannot make fails alone.
func (e *MediaEncoder) EncodeBatch(ctx context.Context, jobs []EncodeJob, ev BatchEvents) {
	feed := &batchFeed{events: make(chan batchEvent, 64), quit: make(chan struct{})}
	index := map[string]int{}
	var mjobs []media.Job
	for k, job := range jobs {
		mj := e.mediaJob(job)
		if err := mj.Option.Validate(); err != nil {
			ev.Done(k, EncodeResult{}, err)
			continue
		}
		if _, dup := index[mj.ID]; dup {
			ev.Done(k, EncodeResult{}, fmt.Errorf("encoding option %d is listed twice for this file", job.Option.ID))
			continue
		}
		index[mj.ID] = k
		mjobs = append(mjobs, mj)
	}
	if len(mjobs) == 0 {
		return
	}
	e.mu.Lock()
	for id := range index {
		e.batches[id] = feed
	}
	e.mu.Unlock()
	defer func() {
		close(feed.quit)
		e.mu.Lock()
		for id := range index {
			delete(e.batches, id)
		}
		e.mu.Unlock()
		for id := range index {
			e.pool.Forget(id)
		}
	}()
	if _, err := e.pool.SubmitAll(mjobs...); err != nil {
		for _, k := range index {
			ev.Done(k, EncodeResult{}, err)
		}
		return
	}
	running := make([]bool, len(jobs))
	reported := make([]int, len(jobs))
	for left := len(mjobs); left > 0; {
		select {
		case be := <-feed.events:
			left -= be.handle(index, running, reported, ev)
			if be.ack != nil {
				close(be.ack)
			}
		case <-ctx.Done():
			for id := range index {
				e.pool.Cancel(id)
			}
			return
		}
	}
}

// handle passes one status change of the pool on to ev; it returns 1 when
// the job ended.
func (e batchEvent) handle(index map[string]int, running []bool, reported []int, ev BatchEvents) int {
	st := e.st
	k, ok := index[st.ID]
	if !ok {
		return 0
	}
	switch {
	case st.State == media.StateWaiting:
		running[k] = false // re-queued
	case st.State == media.StateRunning:
		if !running[k] {
			running[k], reported[k] = true, 0
			ev.Started(k)
		}
		if st.Progress >= reported[k]+progressStep {
			reported[k] = st.Progress
			ev.Progress(k, st.Progress)
		}
	case st.State.Terminal():
		if st.State != media.StateComplete {
			ev.Done(k, EncodeResult{}, errors.New(st.Reason))
		} else {
			ev.Done(k, EncodeResult{Metadata: wireMetadata(st.Input)}, nil)
		}
		return 1
	}
	return 0
}

// fetch writes the job's input to dst.
func (e *MediaEncoder) fetch(ctx context.Context, job EncodeJob, dst string) error {
	var r io.ReadCloser
	if job.InputURL != "" {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, job.InputURL, nil)
		if err != nil {
			return err
		}
		resp, err := e.http.Do(req)
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			resp.Body.Close()
			return fmt.Errorf("downloading %s: HTTP %d", job.InputURL, resp.StatusCode)
		}
		r = resp.Body
	} else {
		rc, _, err := e.objects.ReadObject(job.Account, job.InputBucket, job.InputKey)
		if err != nil {
			return fmt.Errorf("input %s/%s: %w", job.InputBucket, job.InputKey, err)
		}
		r = rc
	}
	defer r.Close()
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func wireMetadata(m *media.Metadata) *wire.MediaMetadata {
	if m == nil {
		return nil
	}
	fps, _ := strconv.ParseFloat(m.Framerate, 64)
	if num, den, ok := strings.Cut(m.Framerate, "/"); ok {
		n, _ := strconv.ParseFloat(num, 64)
		if d, _ := strconv.ParseFloat(den, 64); d > 0 {
			fps = n / d
		}
	}
	return &wire.MediaMetadata{Duration: m.Duration, VideoCodec: m.VideoCodec, VideoBitrate: int64(m.VideoBitrate), Width: m.Width, Height: m.Height,
		Framerate: fps, AudioCodec: m.AudioCodec, AudioBitrate: int64(m.AudioBitrate), AudioSamplingRate: m.AudioSamplingRate}
}
