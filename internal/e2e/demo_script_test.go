package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/demo"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
)

// TestDemoScriptSteps runs the steps of scripts/demo.sh (make demo) that do
// not need the example applied, with the demo's files in a temporary
// directory and ncplocal on a free port: start (and reuse), the sample
// video, the upload with every S3 client the machine has (ncpdemo always;
// the aws CLI and s3cmd when installed, as the script picks them), stop.
func TestDemoScriptSteps(t *testing.T) {
	t.Parallel()
	root := tofucli.RepoRoot(t)
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	for name, pkg := range map[string]string{"ncplocal": "./cmd/ncplocal", "ncpdemo": "./cmd/ncpdemo"} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(bin, name), pkg)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	url := "http://" + addr
	demoDir := filepath.Join(tmp, "demo")
	env := append(os.Environ(),
		"DEMO_DIR="+demoDir, "NCPLOCAL_ADDR="+addr,
		"NCPLOCAL_BIN="+filepath.Join(bin, "ncplocal"), "NCPDEMO="+filepath.Join(bin, "ncpdemo"))
	script := func(t *testing.T, extraEnv []string, args ...string) string {
		t.Helper()
		cmd := exec.Command(filepath.Join(root, "scripts", "demo.sh"), args...)
		cmd.Env = append(append([]string(nil), env...), extraEnv...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("scripts/demo.sh %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		return out.String()
	}
	t.Cleanup(func() {
		cmd := exec.Command(filepath.Join(root, "scripts", "demo.sh"), "stop")
		cmd.Env = env
		_ = cmd.Run()
	})

	if out := script(t, nil, "start"); !strings.Contains(out, "ncplocal is up") {
		t.Errorf("start:\n%s", out)
	}
	if out := script(t, nil, "start"); !strings.Contains(out, "Reusing the ncplocal already answering at "+url) {
		t.Errorf("second start did not reuse ncplocal:\n%s", out)
	}
	pid, err := os.ReadFile(filepath.Join(demoDir, "ncplocal.pid"))
	if err != nil {
		t.Fatal(err)
	}
	envFile, _ := os.ReadFile(filepath.Join(demoDir, "env.sh"))
	if !strings.Contains(string(envFile), `export TF_VAR_vod_api_url="`+url+`"`) {
		t.Errorf("env.sh lacks the example's inputs:\n%s", envFile)
	}

	// The sample: a 5-second 1280x720 H.264 video, kept for the next run.
	script(t, nil, "sample")
	sample := filepath.Join(demoDir, "sample.mp4")
	probe, err := exec.Command("ffprobe", "-v", "error", "-select_streams", "v:0",
		"-show_entries", "stream=codec_name,width,height:format=duration", "-of", "default=nw=1", sample).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", sample, err)
	}
	p := string(probe)
	if !strings.Contains(p, "codec_name=h264") || !strings.Contains(p, "width=1280") || !strings.Contains(p, "height=720") || !strings.Contains(p, "duration=5.0") {
		t.Errorf("sample = %s, want 5 s of 1280x720 h264", p)
	}
	if out := script(t, nil, "sample"); !strings.Contains(out, "Reusing the sample video") {
		t.Errorf("second sample did not reuse the file:\n%s", out)
	}

	// The upload, with each client.
	c, err := demo.NewClient(demo.Config{Endpoint: url, AccessKey: ncplocal.DefaultCredential.AccessKey, SecretKey: ncplocal.DefaultCredential.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	os3, err := objectstorage.New(c)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := os3.CreateBucket(ctx, "video-upload-demo"); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(sample)
	if err != nil {
		t.Fatal(err)
	}
	uploaders := []string{"ncpdemo"}
	for _, tool := range []string{"aws", "s3cmd"} {
		if _, err := exec.LookPath(tool); err == nil && exec.Command(tool, "--version").Run() == nil {
			uploaders = append(uploaders, tool)
		}
	}
	t.Logf("uploading with %v", uploaders)
	for _, how := range uploaders {
		key := "in/" + how + ".mp4"
		script(t, []string{"DEMO_UPLOADER=" + how}, "s3-upload", sample, "video-upload-demo", key)
		head, err := os3.S3().HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("video-upload-demo"), Key: aws.String(key)})
		if err != nil {
			t.Errorf("%s: %s not uploaded: %v", how, key, err)
			continue
		}
		if aws.ToInt64(head.ContentLength) != st.Size() {
			t.Errorf("%s: %s has %d bytes, want %d", how, key, aws.ToInt64(head.ContentLength), st.Size())
		}
	}

	// The player page is there for the URLs the demo prints.
	resp, err := http.Get(url + ncplocal.PlayerPath + "/videos.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("player catalog: HTTP %d", resp.StatusCode)
	}

	if out := script(t, nil, "stop"); !strings.Contains(out, "ncplocal stopped") {
		t.Errorf("stop:\n%s", out)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(pid)))
	deadline := time.Now().Add(5 * time.Second)
	for processAlive(n) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if processAlive(n) {
		t.Errorf("ncplocal (pid %d) still runs after stop", n)
	}
	if _, err := os.Stat(filepath.Join(demoDir, "ncplocal-data")); err != nil {
		t.Errorf("the data dir is gone after stop: %v", err)
	}
}

func processAlive(pid int) bool {
	_, err := os.Stat(fmt.Sprintf("/proc/%d", pid))
	return pid > 0 && err == nil
}
