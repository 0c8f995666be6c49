package demo_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/demo"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	ncpos "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
)

// script is a fake Cloud Functions trigger-activation list and a fake VOD
// Station status list (behind ncplocal's real gateway) that answer a
// scripted series of states, one per poll; the last one repeats.
type script struct {
	*rest.Router
	name string

	mu    sync.Mutex
	steps []any
	polls int
	query []string
}

func newScript(name, prefix, pattern string, steps ...any) *script {
	s := &script{Router: rest.NewRouter(name, rest.Content, prefix), name: name, steps: steps}
	s.Handle(pattern, "scripted", func(c *rest.Call) error {
		s.mu.Lock()
		i := min(s.polls, len(s.steps)-1)
		s.polls++
		s.query = append(s.query, c.Request.URL.RawQuery)
		st := s.steps[i]
		s.mu.Unlock()
		if e, ok := st.(*rest.Error); ok {
			return e
		}
		return c.OK(st)
	})
	return s
}

func (s *script) Name() string         { return s.name }
func (s *script) Reset()               {}
func (s *script) Inventory(string) any { return nil }

func (s *script) queries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.query...)
}

func start(t *testing.T, svcs ...emu.Service) *client.Client {
	t.Helper()
	srv := ncplocal.StartTest(t, ncplocal.Options{Services: func(env emu.Env) []emu.Service {
		return append([]emu.Service{ncpos.New(env)}, svcs...)
	}})
	c, err := demo.NewClient(demo.Config{Endpoint: srv.URL(), AccessKey: ncplocal.DefaultCredential.AccessKey, SecretKey: ncplocal.DefaultCredential.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func activations(items ...map[string]any) map[string]any {
	return map[string]any{"activations": items, "totalCount": len(items)}
}

// statusItem is one file's status as the list may show it ([?] fields):
// the input and one job per encoding option.
func statusItem(object string, jobs ...map[string]any) map[string]any {
	return map[string]any{"fileId": 1163694, "input": map[string]any{"bucketName": "up", "filePath": object}, "output": jobs}
}

func job(option, status string, extra ...string) map[string]any {
	j := map[string]any{"encodingOptionId": 1, "outputType": option, "status": status}
	for i := 0; i+1 < len(extra); i += 2 {
		j[extra[i]] = extra[i+1]
	}
	return j
}

func TestWatchFollowsTheRunUntilEveryJobEnds(t *testing.T) {
	t.Parallel()
	cf := newScript("cloudfunctions", "/ncf/api/v2/triggers", "GET /ncf/api/v2/triggers/{triggerName}/activations",
		activations(),
		activations(map[string]any{"activationId": "a1"}),
		activations(map[string]any{"activationId": "a1", "response": map[string]any{"success": true, "status": "success", "result": map[string]any{"file_ids": []int{1}}}}),
	)
	other := statusItem("someone-else.mp4", job("AVC_SD_1Pass_30fps", "RUNNING"))
	vod := newScript("vodstation", "/api/v2/status", "GET /api/v2/status",
		[]any{},
		[]any{other},
		[]any{other, statusItem("in/clip.mp4", job("AVC_SD_1Pass_30fps", "WAITING"), job("AVC_HD_1Pass_30fps", "WAITING"))},
		[]any{other, statusItem("in/clip.mp4", job("AVC_SD_1Pass_30fps", "RUNNING"), job("AVC_HD_1Pass_30fps", "WAITING"))},
		[]any{other, statusItem("in/clip.mp4", job("AVC_SD_1Pass_30fps", "COMPLETE", "link", "http://out/sd.mp4"), job("AVC_HD_1Pass_30fps", "COMPLETE", "link", "http://out/hd.mp4"))},
	)
	c := start(t, cf, vod)
	var out bytes.Buffer
	since := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := demo.Watch(ctx, c, demo.WatchOptions{Trigger: "video-upload", Object: "in/clip.mp4", Since: since, Poll: 5 * time.Millisecond, Out: &out})
	if err != nil {
		t.Fatalf("Watch: %v\n%s", err, out.String())
	}
	want := []string{
		"waiting for trigger video-upload to fire",
		"trigger video-upload: activation a1 running",
		"trigger video-upload: activation a1 succeeded",
		"encoding: 2 WAITING of 2 jobs",
		"encoding: 1 WAITING, 1 RUNNING of 2 jobs",
		"encoding: 2 COMPLETE of 2 jobs",
	}
	got := out.String()
	pos := 0
	for _, w := range want {
		i := strings.Index(got[pos:], w)
		if i < 0 {
			t.Fatalf("output lacks %q (in order):\n%s", w, got)
		}
		pos += i + len(w)
	}
	if strings.Contains(got, "someone-else") || len(res.Jobs) != 2 || res.Jobs[0].Link != "http://out/sd.mp4" || res.Jobs[1].Option != "AVC_HD_1Pass_30fps" {
		t.Errorf("jobs = %+v, want the two jobs of in/clip.mp4 with their links", res.Jobs)
	}
	// Only what started with the upload is asked for.
	if q := cf.queries(); len(q) == 0 || !strings.Contains(q[0], "start="+ms(since)) || !strings.Contains(q[0], "platform=vpc") {
		t.Errorf("activation queries = %q, want start=%s and platform=vpc", q, ms(since))
	}
	if q := vod.queries(); len(q) == 0 || !strings.Contains(q[0], "workStartTimeFrom=") || !strings.Contains(q[0], "pageNo=1") {
		t.Errorf("status queries = %q, want a workStartTimeFrom window", q)
	}
}

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

func TestWatchStopsAtAFailedActivation(t *testing.T) {
	t.Parallel()
	cf := newScript("cloudfunctions", "/ncf/api/v2/triggers", "GET /ncf/api/v2/triggers/{triggerName}/activations",
		activations(map[string]any{"activationId": "a9", "response": map[string]any{"success": false, "status": "application error",
			"result": map[string]any{"error": "PipelineError: no VOD Station category is named 'videos'"}}}))
	vod := newScript("vodstation", "/api/v2/status", "GET /api/v2/status", []any{})
	c := start(t, cf, vod)
	_, err := demo.Watch(context.Background(), c, demo.WatchOptions{Trigger: "t", Object: "a.mp4", Since: time.Now(), Poll: time.Millisecond})
	if !errors.Is(err, demo.ErrFailed) || !strings.Contains(err.Error(), "activation a9 of trigger t: PipelineError: no VOD Station category is named 'videos'") {
		t.Errorf("Watch = %v, want the activation's error", err)
	}
}

func TestWatchReportsFailedJobs(t *testing.T) {
	t.Parallel()
	cf := newScript("cloudfunctions", "/ncf/api/v2/triggers", "GET /ncf/api/v2/triggers/{triggerName}/activations",
		activations(map[string]any{"activationId": "a1", "success": true}))
	vod := newScript("vodstation", "/api/v2/status", "GET /api/v2/status",
		[]any{statusItem("a.mp4", job("AVC_SD_1Pass_30fps", "COMPLETE"), job("AVC_HD_1Pass_30fps", "FAILURE", "failReason", "the input is not a video"))})
	c := start(t, cf, vod)
	_, err := demo.Watch(context.Background(), c, demo.WatchOptions{Trigger: "t", Object: "a.mp4", Since: time.Now(), Poll: time.Millisecond})
	if !errors.Is(err, demo.ErrFailed) || !strings.Contains(err.Error(), "1 of 2 encoding jobs failed (AVC_HD_1Pass_30fps: the input is not a video)") {
		t.Errorf("Watch = %v, want the failed job and its reason", err)
	}
}

func TestWatchGivesUpAtTheDeadline(t *testing.T) {
	t.Parallel()
	cf := newScript("cloudfunctions", "/ncf/api/v2/triggers", "GET /ncf/api/v2/triggers/{triggerName}/activations", activations(map[string]any{"activationId": "a1", "success": true}))
	vod := newScript("vodstation", "/api/v2/status", "GET /api/v2/status", []any{statusItem("a.mp4", job("AVC_SD_1Pass_30fps", "RUNNING"))})
	c := start(t, cf, vod)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := demo.Watch(ctx, c, demo.WatchOptions{Trigger: "t", Object: "a.mp4", Since: time.Now(), Poll: 10 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "gave up waiting") || !strings.Contains(err.Error(), "1 RUNNING of 1 jobs") {
		t.Errorf("Watch = %v, want a timeout that shows the last state", err)
	}
}

// Without the services (this ncplocal serves neither Cloud Functions nor
// VOD Station) the watch fails at once with the gateway's answer.
func TestWatchWithoutTheServices(t *testing.T) {
	t.Parallel()
	c := start(t)
	_, err := demo.Watch(context.Background(), c, demo.WatchOptions{Trigger: "t", Object: "a.mp4", Since: time.Now(), Poll: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "reading the activations of trigger t (Cloud Functions)") || !strings.Contains(err.Error(), "404") {
		t.Errorf("Watch = %v, want a not-found error naming Cloud Functions", err)
	}
}

func TestUpload(t *testing.T) {
	t.Parallel()
	c := start(t)
	os3, err := objectstorage.New(c)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := os3.CreateBucket(ctx, "video-upload-demo"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "clip.mp4")
	content := bytes.Repeat([]byte("not really a video "), 1000)
	if err := os.WriteFile(file, content, 0o644); err != nil {
		t.Fatal(err)
	}

	key, err := demo.Upload(ctx, c, "video-upload-demo", "", file)
	if err != nil || key != "clip.mp4" {
		t.Fatalf("Upload = %q, %v", key, err)
	}
	if _, err := demo.Upload(ctx, c, "video-upload-demo", "in/renamed.mp4", file); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"clip.mp4", "in/renamed.mp4"} {
		obj, err := os3.S3().GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("video-upload-demo"), Key: aws.String(k)})
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		b, _ := io.ReadAll(obj.Body)
		obj.Body.Close()
		if !bytes.Equal(b, content) || aws.ToString(obj.ContentType) != "video/mp4" {
			t.Errorf("%s: %d bytes of %s, want the file's %d bytes as video/mp4", k, len(b), aws.ToString(obj.ContentType), len(content))
		}
	}

	if _, err := demo.Upload(ctx, c, "no-such-bucket", "", file); err == nil || !strings.Contains(err.Error(), "NoSuchBucket") {
		t.Errorf("upload to a missing bucket = %v, want NoSuchBucket", err)
	}
	if _, err := demo.Upload(ctx, c, "video-upload-demo", "", dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("upload of a directory = %v", err)
	}
	if _, err := demo.Upload(ctx, c, "video-upload-demo", "", filepath.Join(dir, "missing.mp4")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("upload of a missing file = %v", err)
	}
}

func TestPlayURL(t *testing.T) {
	t.Parallel()
	p := demo.Playback{BaseURL: "https://abc.edge.naverncp.com/", EncryptedBucket: "enc123", OutputPath: "/encoded", Category: "video-category"}
	jobs := []demo.Job{{Option: "AVC_SD_1Pass_30fps", Status: "COMPLETE"}, {Option: "AVC_HD_1Pass_30fps", Status: "COMPLETE"}}
	got, err := demo.PlayURL(p, "in/clip.mp4", jobs)
	// The multi-bitrate form as ncplocal's media package builds and parses
	// it (common prefix and suffix of the file names, the middles between
	// commas).
	want := "https://abc.edge.naverncp.com/hls/enc123/encoded/video-category/clip_AVC_,S,H,D_1Pass_30fps.mp4.smil/master.m3u8"
	if err != nil || got != want {
		t.Errorf("PlayURL = %q, %v; want %q", got, err, want)
	}
	got, err = demo.PlayURL(p, "clip.mp4", jobs[:1])
	if want := "https://abc.edge.naverncp.com/hls/enc123/encoded/video-category/clip_AVC_SD_1Pass_30fps.mp4/index.m3u8"; err != nil || got != want {
		t.Errorf("PlayURL of one rendition = %q, %v; want %q", got, err, want)
	}
	if _, err := demo.PlayURL(p, "clip.mp4", []demo.Job{{Option: "X", Status: "FAILURE"}}); err == nil {
		t.Error("PlayURL without a completed job succeeded")
	}
	if _, err := demo.PlayURL(demo.Playback{}, "clip.mp4", jobs); err == nil || !strings.Contains(err.Error(), "encrypted bucket") {
		t.Errorf("PlayURL without the channel's values = %v", err)
	}
}
