package videopipeline_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cloudfunctions/runtime"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	"github.com/ncplabs/terraform-provider-ncp/internal/videopipeline"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// fakeVOD answers the two VOD Station calls the actions make (category
// list, add-files) behind ncplocal's real API Gateway: a request reaches it
// only when its signature, timestamp and access key pass the gateway's
// checks. It records what it was asked.
type fakeVOD struct {
	*rest.Router

	categories []category
	// unknownBuckets are refused by add-files with 260021, as VOD Station
	// refuses a bucket the account does not have.
	unknownBuckets map[string]bool

	mu       sync.Mutex
	listed   []string // "pageNo=..&pageSizeNo=.." of each list call
	addFiles []addFilesCall
	regions  []string
}

type category struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type addFilesCall struct {
	CategoryID string
	Body       struct {
		BucketName      string   `json:"bucketName"`
		PathList        []string `json:"pathList"`
		NotificationURL string   `json:"notificationUrl"`
		Notification    string   `json:"notification"`
	}
}

func newFakeVOD(categories []category) *fakeVOD {
	f := &fakeVOD{
		Router:         rest.NewRouter("vodstation", rest.Content, "/api/v2/category"),
		categories:     categories,
		unknownBuckets: map[string]bool{},
	}
	f.Handle("GET /api/v2/category", "listCategories", f.list)
	f.Handle("PUT /api/v2/category/{categoryId}/add-files", "addFiles", f.add)
	return f
}

func (f *fakeVOD) Name() string         { return "vodstation" }
func (f *fakeVOD) Reset()               {}
func (f *fakeVOD) Inventory(string) any { return nil }

func (f *fakeVOD) list(c *rest.Call) error {
	no, err := c.IntQuery("pageNo", 1, 1, 1<<31-1)
	if err != nil {
		return &rest.Error{Status: http.StatusBadRequest, Code: vodstation.CodeInvalidPageNo, Message: "pageNo must be 1 or more"}
	}
	size, err := c.IntQuery("pageSizeNo", 20, 1, 1<<31-1)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.listed = append(f.listed, c.Request.URL.RawQuery)
	f.regions = append(f.regions, c.Request.Header.Get("x-ncp-region_code"))
	f.mu.Unlock()
	return c.List(rest.Page(f.categories, no, size), len(f.categories))
}

func (f *fakeVOD) add(c *rest.Call) error {
	call := addFilesCall{CategoryID: c.Path("categoryId")}
	if err := c.Decode(&call.Body); err != nil {
		return err
	}
	known := false
	for _, cat := range f.categories {
		known = known || fmt.Sprint(cat.ID) == call.CategoryID
	}
	if !known {
		return &rest.Error{Status: http.StatusNotFound, Code: vodstation.CodeNotFound, Message: "not found", Details: "no category " + call.CategoryID}
	}
	if f.unknownBuckets[call.Body.BucketName] {
		return &rest.Error{Status: http.StatusBadRequest, Code: vodstation.CodeInvalidBucketName, Message: "invalid bucket name", Details: "no bucket " + call.Body.BucketName}
	}
	f.mu.Lock()
	f.addFiles = append(f.addFiles, call)
	n := len(f.addFiles)
	f.mu.Unlock()
	files := []map[string]any{}
	for i, p := range call.Body.PathList {
		files = append(files, map[string]any{"id": 1000*n + i, "filePath": p})
	}
	return c.OK(files)
}

func (f *fakeVOD) calls() (listed []string, added []addFilesCall, regions []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.listed...), append([]addFilesCall(nil), f.addFiles...), append([]string(nil), f.regions...)
}

// harness is ncplocal (gateway + fake VOD Station), the runtime and the
// actions' code.
type harness struct {
	srv    *ncplocal.Server
	vod    *fakeVOD
	runner *runtime.Runner
	code   string
}

func newHarness(t *testing.T, categories []category) *harness {
	t.Helper()
	vod := newFakeVOD(categories)
	srv := ncplocal.StartTest(t, ncplocal.Options{
		Services: func(emu.Env) []emu.Service { return []emu.Service{vod} },
	})
	code, err := os.ReadFile(filepath.Join(tofucli.RepoRoot(t), videopipeline.ActionsFile))
	if err != nil {
		t.Fatal(err)
	}
	r := runtime.FindRunner()
	if r.Python == "" {
		t.Fatalf("python3 is needed to run the actions: %s", runtime.InstallHint)
	}
	r.TempDir = t.TempDir()
	return &harness{srv: srv, vod: vod, runner: r, code: string(code)}
}

// packageParams are the package's default parameters, as the example sets
// them, with ncplocal's URL and default keys.
func (h *harness) packageParams() map[string]any {
	return map[string]any{
		"API_URL":           h.srv.URL(),
		"REGION":            "KR",
		"NCLOUD_ACCESS_KEY": ncplocal.DefaultCredential.AccessKey,
		"NCLOUD_SECRET_KEY": ncplocal.DefaultCredential.SecretKey,
	}
}

func merge(ms ...map[string]any) map[string]any {
	out := map[string]any{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func (h *harness) action(main string) runtime.Action {
	return runtime.Action{Kind: "python:3.13", Code: h.code, Main: main, Timeout: 30 * time.Second, MemoryMB: 256}
}

// sequence runs find_category then add_files as the example's sequence
// does: each step's defaults are the package's parameters and its own, the
// event goes to the first step, each result to the next.
func (h *harness) sequence(t *testing.T, pkg, findParams, addParams, event map[string]any) runtime.SequenceRun {
	t.Helper()
	steps := []runtime.Step{
		{Name: "video-pipeline/video-find-category", Action: h.action("find_category"), Params: merge(pkg, findParams)},
		{Name: "video-pipeline/video-add-files", Action: h.action("add_files"), Params: merge(pkg, addParams)},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run, err := h.runner.Sequence(ctx, steps, event, nil)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func logs(run runtime.SequenceRun) string {
	var b strings.Builder
	for _, s := range run.Steps {
		fmt.Fprintf(&b, "-- %s: %s %v\n%s\n", s.Name, s.Activation.Status, s.Activation.Result, strings.Join(s.Activation.Logs, "\n"))
	}
	return b.String()
}

// manyCategories returns n categories named cat-001..., with want at
// position at (1-based) and an unrelated last one, so that neither "the
// first" nor "the last listed" is the right answer.
func manyCategories(n, at int, want string) []category {
	var out []category
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("cat-%03d", i)
		if i == at {
			name = want
		}
		out = append(out, category{ID: 500 + i, Name: name})
	}
	return out
}

func TestSequenceEncodesTheUploadedObject(t *testing.T) {
	t.Parallel()
	// 70 categories: the wanted one is on the second page of 50, and is
	// neither the first nor the last one listed.
	h := newHarness(t, manyCategories(70, 61, "video-category"))
	run := h.sequence(t, h.packageParams(),
		map[string]any{"CATEGORY_NAME": "video-category", "UPLOAD_BUCKET_NAME": "not-this-one"},
		map[string]any{"NOTIFICATION_URL": "http://127.0.0.1:9/callback"},
		map[string]any{"object_name": "movies/clip one.mp4", "bucket_name": "video-upload-demo", "event_type": "ObjectCreated:Put"})
	if run.Status != runtime.Success || len(run.Steps) != 2 {
		t.Fatalf("sequence = %s after %d steps, want success after 2:\n%s", run.Status, len(run.Steps), logs(run))
	}
	listed, added, regions := h.vod.calls()
	if strings.Join(listed, " ") != "pageNo=1&pageSizeNo=50 pageNo=2&pageSizeNo=50" {
		t.Errorf("category list calls = %q, want pages 1 and 2 of 50", listed)
	}
	for _, r := range regions {
		if r != "KR" {
			t.Errorf("x-ncp-region_code = %q, want KR (the REGION parameter)", r)
		}
	}
	if len(added) != 1 {
		t.Fatalf("add-files calls = %+v, want exactly one", added)
	}
	a := added[0]
	if a.CategoryID != "561" || a.Body.BucketName != "video-upload-demo" ||
		len(a.Body.PathList) != 1 || a.Body.PathList[0] != "movies/clip one.mp4" ||
		a.Body.NotificationURL != "http://127.0.0.1:9/callback" {
		t.Errorf("add-files = %+v, want category 561, the event's bucket and key, and the notification URL", a)
	}
	first := run.Steps[0].Activation.Result
	if fmt.Sprint(first["category_id"]) != "561" || first["bucket_name"] != "video-upload-demo" || first["object_name"] != "movies/clip one.mp4" {
		t.Errorf("find_category result = %v", first)
	}
	if ids, ok := run.Result["file_ids"].([]any); !ok || len(ids) != 1 || fmt.Sprint(ids[0]) != "1000" {
		t.Errorf("sequence result file_ids = %v, want [1000] (the id add-files returned)", run.Result["file_ids"])
	}
}

func TestBucketFromParameterWhenTheEventHasNone(t *testing.T) {
	t.Parallel()
	h := newHarness(t, []category{{ID: 7, Name: "videos"}, {ID: 8, Name: "other"}})
	run := h.sequence(t, h.packageParams(),
		map[string]any{"CATEGORY_NAME": "videos", "UPLOAD_BUCKET_NAME": "uploads"}, nil,
		map[string]any{"object_name": "a.mp4"})
	if run.Status != runtime.Success {
		t.Fatalf("sequence = %s:\n%s", run.Status, logs(run))
	}
	_, added, _ := h.vod.calls()
	if len(added) != 1 || added[0].CategoryID != "7" || added[0].Body.BucketName != "uploads" || added[0].Body.NotificationURL != "" {
		t.Errorf("add-files = %+v, want category 7 (not the last listed), bucket uploads, no notification URL", added)
	}
}

// failure runs the sequence and returns the failed step's name and error.
func failure(t *testing.T, run runtime.SequenceRun) (string, string) {
	t.Helper()
	if run.Status == runtime.Success {
		t.Fatalf("sequence succeeded, want a failure:\n%s", logs(run))
	}
	last := run.Steps[len(run.Steps)-1]
	if last.Activation.Status != runtime.ApplicationError {
		t.Errorf("step %s ended %q, want %q (a raised PipelineError)", last.Name, last.Activation.Status, runtime.ApplicationError)
	}
	return last.Name, last.Activation.ErrorMessage()
}

func TestWrongSignatureFailsTheActivation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, []category{{ID: 7, Name: "videos"}})
	pkg := h.packageParams()
	pkg["NCLOUD_SECRET_KEY"] = "not-the-secret-key"
	run := h.sequence(t, pkg, map[string]any{"CATEGORY_NAME": "videos"}, nil,
		map[string]any{"object_name": "a.mp4", "bucket_name": "uploads"})
	step, msg := failure(t, run)
	if !strings.HasSuffix(step, "find-category") || !strings.Contains(msg, "HTTP 401") || !strings.Contains(msg, "Authentication Failed") ||
		!strings.Contains(msg, "signature mismatch") {
		t.Errorf("%s failed with %q, want the gateway's 401 Authentication Failed (signature mismatch)", step, msg)
	}
	if strings.Contains(msg, "not-the-secret-key") {
		t.Errorf("the error shows the secret key: %q", msg)
	}
	if listed, added, _ := h.vod.calls(); len(listed)+len(added) != 0 {
		t.Errorf("VOD Station was reached (%v, %v) by a badly signed call", listed, added)
	}
}

func TestUnknownAccessKeyFailsTheActivation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, []category{{ID: 7, Name: "videos"}})
	pkg := h.packageParams()
	pkg["NCLOUD_ACCESS_KEY"] = "someone-else"
	run := h.sequence(t, pkg, map[string]any{"CATEGORY_NAME": "videos"}, nil,
		map[string]any{"object_name": "a.mp4", "bucket_name": "uploads"})
	if _, msg := failure(t, run); !strings.Contains(msg, "HTTP 401") || !strings.Contains(msg, "unknown access key") {
		t.Errorf("error = %q, want the gateway's 401 for an unknown access key", msg)
	}
}

func TestMissingParametersAreNamed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, []category{{ID: 7, Name: "videos"}})
	for _, tc := range []struct {
		name      string
		drop      string
		find      map[string]any
		event     map[string]any
		wantStep  string
		wantError string
	}{
		{"no category name", "", map[string]any{}, map[string]any{"object_name": "a.mp4", "bucket_name": "b"}, "find-category", "missing parameter CATEGORY_NAME"},
		{"no object name", "", map[string]any{"CATEGORY_NAME": "videos"}, map[string]any{"bucket_name": "b"}, "find-category", "missing parameter object_name"},
		{"no bucket", "", map[string]any{"CATEGORY_NAME": "videos"}, map[string]any{"object_name": "a.mp4"}, "find-category", "missing bucket: the event has no bucket_name and the UPLOAD_BUCKET_NAME parameter is not set"},
		{"no secret key", "NCLOUD_SECRET_KEY", map[string]any{"CATEGORY_NAME": "videos"}, map[string]any{"object_name": "a.mp4", "bucket_name": "b"}, "find-category", "missing parameter NCLOUD_SECRET_KEY"},
		{"no API URL", "API_URL", map[string]any{"CATEGORY_NAME": "videos"}, map[string]any{"object_name": "a.mp4", "bucket_name": "b"}, "find-category", "missing parameter API_URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pkg := h.packageParams()
			delete(pkg, tc.drop)
			run := h.sequence(t, pkg, tc.find, nil, tc.event)
			step, msg := failure(t, run)
			if !strings.HasSuffix(step, tc.wantStep) || !strings.Contains(msg, tc.wantError) {
				t.Errorf("%s failed with %q, want %s to fail with %q", step, msg, tc.wantStep, tc.wantError)
			}
		})
	}
	if _, added, _ := h.vod.calls(); len(added) != 0 {
		t.Errorf("add-files was called %d times by failed runs", len(added))
	}
}

func TestCategoryNotFoundOrAmbiguous(t *testing.T) {
	t.Parallel()
	h := newHarness(t, []category{{ID: 7, Name: "videos"}, {ID: 8, Name: "twice"}, {ID: 9, Name: "twice"}})
	event := map[string]any{"object_name": "a.mp4", "bucket_name": "b"}

	run := h.sequence(t, h.packageParams(), map[string]any{"CATEGORY_NAME": "movies"}, nil, event)
	if _, msg := failure(t, run); !strings.Contains(msg, "no VOD Station category is named 'movies' (3 categories listed: videos, twice, twice)") {
		t.Errorf("error = %q, want it to name the missing category and the ones listed", msg)
	}
	run = h.sequence(t, h.packageParams(), map[string]any{"CATEGORY_NAME": "twice"}, nil, event)
	if _, msg := failure(t, run); !strings.Contains(msg, "2 VOD Station categories are named 'twice' (ids 8, 9)") {
		t.Errorf("error = %q, want it to refuse the ambiguous name", msg)
	}
}

func TestHTTPErrorOfAddFilesEndsInTheActivation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, []category{{ID: 7, Name: "videos"}})
	h.vod.unknownBuckets["gone-bucket"] = true
	run := h.sequence(t, h.packageParams(), map[string]any{"CATEGORY_NAME": "videos"}, nil,
		map[string]any{"object_name": "a.mp4", "bucket_name": "gone-bucket"})
	step, msg := failure(t, run)
	want := "VOD Station PUT /api/v2/category/7/add-files failed: HTTP 400, error 260021 invalid bucket name: no bucket gone-bucket"
	if !strings.HasSuffix(step, "add-files") || !strings.Contains(msg, want) {
		t.Errorf("%s failed with %q, want add-files to fail with %q", step, msg, want)
	}
	// The traceback is in the activation's logs, the short message in its
	// result.
	last := run.Steps[len(run.Steps)-1].Activation
	if !strings.Contains(strings.Join(last.Logs, "\n"), "PipelineError") {
		t.Errorf("logs do not show the raised PipelineError:\n%s", strings.Join(last.Logs, "\n"))
	}
}

func TestUnreachableAPIIsReported(t *testing.T) {
	t.Parallel()
	h := newHarness(t, []category{{ID: 7, Name: "videos"}})
	pkg := h.packageParams()
	pkg["API_URL"] = "http://127.0.0.1:1"
	run := h.sequence(t, pkg, map[string]any{"CATEGORY_NAME": "videos"}, nil,
		map[string]any{"object_name": "a.mp4", "bucket_name": "b"})
	if _, msg := failure(t, run); !strings.Contains(msg, "cannot reach http://127.0.0.1:1") {
		t.Errorf("error = %q, want it to say the API cannot be reached", msg)
	}
}

// TestMainRunsBothSteps: the file's main(args) runs both steps, for an
// action used on its own (invoked by hand).
func TestMainRunsBothSteps(t *testing.T) {
	t.Parallel()
	h := newHarness(t, []category{{ID: 3, Name: "only"}})
	act, err := h.runner.Run(context.Background(), h.action("main"), runtime.Invocation{
		Params: merge(h.packageParams(), map[string]any{"CATEGORY_NAME": "only", "object_name": "x.mp4", "bucket": "up"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !act.Success() {
		t.Fatalf("main = %s %v:\n%s", act.Status, act.Result, strings.Join(act.Logs, "\n"))
	}
	if _, added, _ := h.vod.calls(); len(added) != 1 || added[0].CategoryID != "3" || added[0].Body.BucketName != "up" {
		t.Errorf("add-files = %+v, want category 3 with bucket up (from the event's bucket key)", added)
	}
}
