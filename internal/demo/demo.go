// Package demo is what `make demo` needs beside OpenTofu: uploading a video
// to Object Storage with an ordinary S3 client (aws-sdk-go-v2, when neither
// the aws CLI nor s3cmd is installed) and following the pipeline an upload
// starts — the trigger's activations (Cloud Functions) and the encoding
// jobs (VOD Station) — until every job has ended. cmd/ncpdemo is its
// command line; scripts/demo.sh calls it.
//
// It talks to NCP's documented APIs only (ncplocal or NCP itself), through
// the provider's client core, so its calls are signed, retried and logged
// like the provider's. Where it reads fields ncp-api.md marks [?] (the
// activation list's and the status list's item fields) it reads them
// loosely and says so.
package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media"
)

// Config says where the APIs are and who calls them.
type Config struct {
	// Endpoint is the base URL of every service (ncplocal's URL). On NCP
	// each service has its own host: set Endpoints instead.
	Endpoint  string
	Endpoints client.Endpoints
	AccessKey string
	SecretKey string
	Region    string // default KR
}

// NewClient builds the client core for cfg.
func NewClient(cfg Config) (*client.Client, error) {
	ep := cfg.Endpoints
	if cfg.Endpoint != "" {
		ep = client.Endpoints{Ncloud: cfg.Endpoint, VODStation: cfg.Endpoint, GlobalEdge: cfg.Endpoint,
			CloudFunctions: cfg.Endpoint, ObjectStorage: cfg.Endpoint}
	}
	region := cfg.Region
	if region == "" {
		region = "KR"
	}
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, errors.New("demo: the access key and the secret key are required")
	}
	return client.New(client.Config{
		AccessKey: cfg.AccessKey, SecretKey: cfg.SecretKey, Region: region, Endpoints: ep,
		ObjectStoragePathStyle: true, ObjectStorageRegion: "kr-standard",
		MaxRetries: 3, RetryMinDelay: 100 * time.Millisecond, RetryMaxDelay: 2 * time.Second,
	})
}

// Upload puts file into bucket under key (the file's base name when key is
// empty) and returns the key.
func Upload(ctx context.Context, c *client.Client, bucket, key, file string) (string, error) {
	if bucket == "" {
		return "", errors.New("upload: no bucket given")
	}
	f, err := os.Open(file)
	if err != nil {
		return "", fmt.Errorf("upload: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("upload: %w", err)
	}
	if st.IsDir() {
		return "", fmt.Errorf("upload: %s is a directory, not a video file", file)
	}
	if key == "" {
		key = filepath.Base(file)
	}
	os3, err := objectstorage.New(c)
	if err != nil {
		return "", err
	}
	ct := "application/octet-stream"
	switch strings.ToLower(filepath.Ext(file)) {
	case ".mp4", ".m4v":
		ct = "video/mp4"
	case ".mov":
		ct = "video/quicktime"
	case ".webm":
		ct = "video/webm"
	case ".mkv":
		ct = "video/x-matroska"
	}
	if _, err := os3.S3().PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: f,
		ContentLength: aws.Int64(st.Size()), ContentType: aws.String(ct),
	}); err != nil {
		return "", fmt.Errorf("upload of %s to %s/%s: %w", file, bucket, key, err)
	}
	return key, nil
}

// WatchOptions say which pipeline run to follow.
type WatchOptions struct {
	// Trigger is the Object Storage trigger's name.
	Trigger string
	// Object is the uploaded key; jobs that name it are the run's.
	Object string
	// Since is when the upload started; older activations and jobs are
	// someone else's.
	Since time.Time
	// Poll is the time between two looks; default 1s.
	Poll time.Duration
	// Out receives one line per change; nil discards them.
	Out io.Writer
}

// Job is one encoding job (one per encoding option of the category).
type Job struct {
	Option string // the encoding option's name or ID
	Status string // WAITING, RUNNING, COMPLETE or FAILURE
	Link   string // the output's URL, once COMPLETE
	Reason string // why it failed, when FAILURE
}

// Result is how a run ended.
type Result struct {
	Activations []Activation
	Jobs        []Job
}

// Activation is one activation of the trigger.
type Activation struct {
	ID      string
	Success *bool // nil while unknown
	Error   string
}

// ErrFailed is wrapped by Watch's error when the pipeline itself failed (an
// activation error or a FAILURE job), as opposed to the watch.
var ErrFailed = errors.New("the pipeline failed")

var terminal = map[string]bool{"COMPLETE": true, "FAILURE": true}
var jobStatuses = map[string]bool{"WAITING": true, "RUNNING": true, "COMPLETE": true, "FAILURE": true}

// Watch follows the run an upload started until every encoding job has
// ended, ctx ends, or something fails. It reports each change to o.Out.
func Watch(ctx context.Context, c *client.Client, o WatchOptions) (Result, error) {
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	out := o.Out
	if out == nil {
		out = io.Discard
	}
	seenAct := map[string]string{}
	lastProgress := ""
	var res Result
	first := true
	for {
		if !first {
			select {
			case <-ctx.Done():
				return res, fmt.Errorf("gave up waiting (%w); last state: %s", ctx.Err(), orNone(lastProgress))
			case <-time.After(o.Poll):
			}
		}
		first = false

		acts, err := triggerActivations(ctx, c, o.Trigger, o.Since)
		if err != nil {
			if ctx.Err() != nil {
				return res, fmt.Errorf("gave up waiting (%w); last state: %s", ctx.Err(), orNone(lastProgress))
			}
			if client.IsTransient(err) {
				continue
			}
			return res, fmt.Errorf("reading the activations of trigger %s (Cloud Functions): %w", o.Trigger, err)
		}
		res.Activations = acts
		for _, a := range acts {
			state := "running"
			switch {
			case a.Success != nil && *a.Success:
				state = "succeeded"
			case a.Success != nil || a.Error != "":
				state = "failed: " + a.Error
			}
			if seenAct[a.ID] != state {
				seenAct[a.ID] = state
				fmt.Fprintf(out, "trigger %s: activation %s %s\n", o.Trigger, a.ID, state)
			}
			if a.Success != nil && !*a.Success || a.Error != "" {
				return res, fmt.Errorf("%w: activation %s of trigger %s: %s", ErrFailed, a.ID, o.Trigger, orNone(a.Error))
			}
		}

		jobs, err := encodingJobs(ctx, c, o.Object, o.Since)
		if err != nil {
			if ctx.Err() != nil {
				return res, fmt.Errorf("gave up waiting (%w); last state: %s", ctx.Err(), orNone(lastProgress))
			}
			if client.IsTransient(err) {
				continue
			}
			return res, fmt.Errorf("reading the encoding status (VOD Station): %w", err)
		}
		res.Jobs = jobs
		p := "encoding: " + progress(jobs)
		switch {
		case len(jobs) > 0:
		case len(acts) > 0:
			p = "waiting for VOD Station to queue the encoding jobs"
		default:
			p = "waiting for trigger " + o.Trigger + " to fire"
		}
		if p != lastProgress {
			lastProgress = p
			fmt.Fprintln(out, p)
		}
		if len(jobs) == 0 {
			continue
		}
		done, failed := true, []string{}
		for _, j := range jobs {
			done = done && terminal[j.Status]
			if j.Status == "FAILURE" {
				failed = append(failed, j.Option+": "+orNone(j.Reason))
			}
		}
		if done {
			if len(failed) > 0 {
				return res, fmt.Errorf("%w: %d of %d encoding jobs failed (%s)", ErrFailed, len(failed), len(jobs), strings.Join(failed, "; "))
			}
			return res, nil
		}
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// progress summarises jobs: "1 RUNNING, 2 COMPLETE of 3 jobs".
func progress(jobs []Job) string {
	if len(jobs) == 0 {
		return ""
	}
	n := map[string]int{}
	for _, j := range jobs {
		n[j.Status]++
	}
	var parts []string
	for _, s := range []string{"WAITING", "RUNNING", "COMPLETE", "FAILURE"} {
		if n[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[s], s))
		}
	}
	return fmt.Sprintf("%s of %d jobs", strings.Join(parts, ", "), len(jobs))
}

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// triggerActivations lists the trigger's activations since t:
// GET /ncf/api/v2/triggers/{name}/activations (ncp-api.md §4.1), whose
// content holds activations[] [C-3p]. The item fields other than
// activationId are [?]: success, status, or response.{success,status,
// result.error} are all read.
func triggerActivations(ctx context.Context, c *client.Client, trigger string, t time.Time) ([]Activation, error) {
	var content struct {
		Activations []map[string]any `json:"activations"`
	}
	_, err := c.DoJSON(ctx, &client.JSONRequest{
		API: cloudfunctions.API, Operation: "getTriggerActivations",
		Path: "/ncf/api/v2/triggers/{triggerName}/activations", PathParams: []string{trigger},
		Query: url.Values{"platform": {"vpc"}, "pageNo": {"1"}, "pageSize": {"50"}, "start": {ms(t)}},
	}, &content)
	if err != nil {
		return nil, err
	}
	var out []Activation
	for _, a := range content.Activations {
		act := Activation{ID: fmt.Sprint(a["activationId"])}
		resp, _ := a["response"].(map[string]any)
		for _, m := range []map[string]any{a, resp} {
			if b, ok := m["success"].(bool); ok {
				act.Success = &b
			}
			if s, ok := m["status"].(string); ok && act.Success == nil && s != "" {
				b := s == "success"
				act.Success = &b
			}
			if r, ok := m["result"].(map[string]any); ok && act.Error == "" {
				if e, ok := r["error"]; ok && e != nil {
					act.Error = fmt.Sprint(e)
				}
			}
		}
		out = append(out, act)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// encodingJobs lists the encoding jobs started since t for object:
// GET /api/v2/status (ncp-api.md §2.1, times in ms). The list item fields
// are [?]; a job is any object in an item with a status among WAITING,
// RUNNING, COMPLETE and FAILURE, named by encodingOptionId/outputType as
// in the documented callback body, and an item belongs to object when any
// of its strings names it.
func encodingJobs(ctx context.Context, c *client.Client, object string, t time.Time) ([]Job, error) {
	var items []json.RawMessage
	_, err := c.DoJSON(ctx, &client.JSONRequest{
		API: vodstation.API, Operation: "getStatusList", Path: "/api/v2/status",
		Query: url.Values{"pageNo": {"1"}, "pageSizeNo": {"100"},
			"workStartTimeFrom": {ms(t.Add(-time.Second))}, "workStartTimeTo": {ms(time.Now().Add(time.Minute))}},
	}, &items)
	if err != nil {
		return nil, err
	}
	var jobs []Job
	for _, raw := range items {
		var item any
		if err := json.Unmarshal(raw, &item); err != nil {
			continue
		}
		if object != "" && !mentions(item, object) {
			continue
		}
		collectJobs(item, &jobs)
	}
	return jobs, nil
}

func mentions(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, s)
	case map[string]any:
		for _, e := range x {
			if mentions(e, s) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if mentions(e, s) {
				return true
			}
		}
	}
	return false
}

func collectJobs(v any, jobs *[]Job) {
	switch x := v.(type) {
	case map[string]any:
		if st, ok := x["status"].(string); ok && jobStatuses[st] {
			j := Job{Status: st}
			for _, k := range []string{"outputType", "encodingOptionName", "encodingOptionId"} {
				if o, ok := x[k]; ok && o != nil && j.Option == "" {
					j.Option = fmt.Sprint(o)
				}
			}
			if l, ok := x["link"].(string); ok {
				j.Link = l
			}
			for _, k := range []string{"failReason", "reason", "errorMessage", "message"} {
				if r, ok := x[k].(string); ok && r != "" && j.Reason == "" {
					j.Reason = r
				}
			}
			*jobs = append(*jobs, j)
			return
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			collectJobs(x[k], jobs)
		}
	case []any:
		for _, e := range x {
			collectJobs(e, jobs)
		}
	}
}

// Playback says where a channel serves the encoded renditions.
type Playback struct {
	// BaseURL is the CDN's base URL, "https://<cdn domain>" on NCP.
	BaseURL string
	// EncryptedBucket is the channel's encryptedBucketName.
	EncryptedBucket string
	// OutputPath and Category are the category's output file path and
	// name: the renditions go to <path>/<category>/.
	OutputPath string
	Category   string
}

// PlayURL returns the HLS URL of the renditions of object that jobs
// produced: the single-file form for one rendition, the multi-bitrate
// master playlist for several. The renditions are named as VOD Station
// names them (<name>_<option>.mp4 under <path>/<category>/, [?]: see
// internal/ncplocal/media), so every job must name its option.
func PlayURL(p Playback, object string, jobs []Job) (string, error) {
	if p.BaseURL == "" || p.EncryptedBucket == "" {
		return "", errors.New("play URL: the CDN base URL and the encrypted bucket name are needed")
	}
	dir := media.OutputDir(p.OutputPath, p.Category, false)
	var keys []string
	for _, j := range jobs {
		if j.Status != "COMPLETE" {
			continue
		}
		if j.Option == "" {
			return "", errors.New("play URL: a job does not name its encoding option")
		}
		keys = append(keys, media.OutputKey(dir, media.OutputName(object, media.EncodingOption{Name: j.Option})))
	}
	path, err := media.PlayPath(media.HLS, p.EncryptedBucket, keys...)
	if err != nil {
		return "", fmt.Errorf("play URL: %w", err)
	}
	return strings.TrimSuffix(p.BaseURL, "/") + path, nil
}
