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
}

// NewMediaEncoder starts a pool of workers (cfg.OnChange is the encoder's).
func NewMediaEncoder(objects Objects, cfg media.PoolConfig) (*MediaEncoder, error) {
	e := &MediaEncoder{objects: objects, http: &http.Client{}, waiters: map[string]chan media.JobStatus{}, updates: map[string]func(int){}}
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
	progress, done := e.updates[st.ID], e.waiters[st.ID]
	e.mu.Unlock()
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
	id := strconv.FormatInt(job.FileID, 10) + "-" + strconv.FormatInt(job.Option.ID, 10)
	input := job.InputKey
	if job.InputURL != "" {
		input = job.InputURL
	}
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
	mj := media.Job{ID: id, InputName: input, Option: mediaOption(job.Option), Thumbnail: job.Thumbnail && job.ThumbnailKey != "",
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
