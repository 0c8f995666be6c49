package ncplocal_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

var crashCred = ncplocal.Credential{AccessKey: "crash-access-key", SecretKey: "crash-secret-key", AccountID: "crash"}

// startOn starts a server with the default services on dir; it is neither
// closed nor abandoned automatically.
func startOn(t *testing.T, dir string, interval time.Duration, creds ...ncplocal.Credential) *ncplocal.Server {
	t.Helper()
	if len(creds) == 0 {
		creds = []ncplocal.Credential{crashCred}
	}
	srv, err := ncplocal.New(ncplocal.Options{DataDir: dir, Credentials: creds})
	if err != nil {
		t.Fatalf("New on %s: %v", dir, err)
	}
	if interval > 0 {
		ncplocal.SetSnapshotInterval(srv, interval)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	return srv
}

// s3Client is a plain SDK client for crashCred against srv.
func s3Client(srv *ncplocal.Server) *s3.Client {
	return s3.New(s3.Options{
		BaseEndpoint: aws.String(srv.URL()),
		Region:       "kr-standard",
		UsePathStyle: true,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: crashCred.AccessKey, SecretAccessKey: crashCred.SecretKey}, nil
		}),
	})
}

// callGateway sends one signed API Gateway request for crashCred.
func callGateway(t *testing.T, srv *ncplocal.Server, method, uri string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL()+uri, nil)
	if err != nil {
		t.Fatal(err)
	}
	stamp := apigw.Timestamp(time.Now())
	req.Header.Set(apigw.HeaderTimestamp, stamp)
	req.Header.Set(apigw.HeaderAccessKey, crashCred.AccessKey)
	req.Header.Set(apigw.HeaderSignatureV2, apigw.Sign(method, uri, stamp, crashCred.AccessKey, crashCred.SecretKey))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, uri, resp.StatusCode, b)
	}
}

func put(t *testing.T, c *s3.Client, key, body string) {
	t.Helper()
	if _, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String("bkt1"), Key: aws.String(key), Body: strings.NewReader(body)}); err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

func del(t *testing.T, c *s3.Client, key string) {
	t.Helper()
	if _, err := c.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String("bkt1"), Key: aws.String(key)}); err != nil {
		t.Fatalf("delete %s: %v", key, err)
	}
}

// get returns the body of key, "" when it does not exist.
func get(t *testing.T, c *s3.Client, key string) string {
	t.Helper()
	out, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("bkt1"), Key: aws.String(key)})
	if err != nil && strings.Contains(err.Error(), "NoSuchKey") {
		return ""
	}
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func bodyFiles(t *testing.T, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "objectstorage", "blobs"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return len(entries)
}

// waitFor polls cond until it holds, failing the test after a generous
// deadline.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestDataDirSurvivesUncleanStop: the state is saved in the background, and
// whenever the process dies the data dir restarts: overwritten and deleted
// bodies stay until no saved snapshot references them, and what nothing
// references is collected.
func TestDataDirSurvivesUncleanStop(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()

	// 1. Changes reach the disk without Close.
	srv1 := startOn(t, dir, 0)
	c := s3Client(srv1)
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bkt1")}); err != nil {
		t.Fatal(err)
	}
	put(t, c, "k", "one")
	put(t, c, "gone", "doomed")
	waitFor(t, "the background snapshot", func() bool {
		b, _ := os.ReadFile(filepath.Join(dir, "objectstorage.json"))
		return bytes.Contains(b, []byte(`"key":"gone"`))
	})
	ncplocal.Abandon(srv1) // kill -9

	// 2. Restart, overwrite and delete, then die before any snapshot.
	srv2 := startOn(t, dir, time.Hour)
	c = s3Client(srv2)
	if got := get(t, c, "k"); got != "one" {
		t.Fatalf("after the first unclean stop k = %q", got)
	}
	put(t, c, "k", "two")
	del(t, c, "gone")
	put(t, c, "new", "unsaved")
	ncplocal.Abandon(srv2)

	// 3. The restart sees the last snapshot, whose bodies all survived; the
	// bodies written since (never saved) are collected.
	srv3 := startOn(t, dir, 0)
	c = s3Client(srv3)
	if got := get(t, c, "k"); got != "one" {
		t.Errorf("after the second unclean stop k = %q, want the saved %q", got, "one")
	}
	if got := get(t, c, "gone"); got != "doomed" {
		t.Errorf("gone = %q, want the saved %q", got, "doomed")
	}
	if got := get(t, c, "new"); got != "" {
		t.Errorf("new = %q, never saved", got)
	}
	if n := bodyFiles(t, dir); n != 2 {
		t.Errorf("%d body files after restart, want 2 (garbage left?)", n)
	}

	// 4. Once a snapshot without them is on disk, replaced bodies go.
	put(t, c, "k", "three")
	del(t, c, "gone")
	if err := srv3.Snapshot(); err != nil {
		t.Fatal(err)
	}
	if n := bodyFiles(t, dir); n != 1 {
		t.Errorf("%d body files after the snapshot, want 1", n)
	}
	ncplocal.Abandon(srv3)

	srv4 := startOn(t, dir, 0)
	c = s3Client(srv4)
	if got, gone := get(t, c, "k"), get(t, c, "gone"); got != "three" || gone != "" {
		t.Errorf("after the third unclean stop k = %q, gone = %q", got, gone)
	}
	if err := srv4.Close(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temp file %s left", e.Name())
		}
	}
}

// TestStartupRemovesLeftovers: temp files of a dying process go at start.
func TestStartupRemovesLeftovers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	leftovers := []string{
		filepath.Join(dir, ".vpc.json.123.tmp"),
		filepath.Join(dir, "objectstorage", "tmp", "upload-123"),
		filepath.Join(dir, "objectstorage", "blobs", strings.Repeat("ab", 16)),
	}
	for _, f := range leftovers {
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	srv := startOn(t, dir, 0)
	for _, f := range leftovers {
		if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: %v, want it removed", f, err)
		}
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestInventoryShowsRestoredAccounts: an account whose state came from the
// data dir is listed although no credential names it any more.
func TestInventoryShowsRestoredAccounts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	old := startOn(t, dir, 0)
	callGateway(t, old, http.MethodPost, "/vpc/v2/createVpc?regionCode=KR&vpcName=kept&ipv4CidrBlock=10.0.0.0%2F16")
	if _, err := s3Client(old).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("kept-bucket")}); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	other := ncplocal.Credential{AccessKey: "other-access-key", SecretKey: "other-secret-key", AccountID: "other"}
	srv := startOn(t, dir, 0, other)
	defer func() {
		if err := srv.Close(); err != nil {
			t.Error(err)
		}
	}()
	inv := srv.Inventory()
	for _, svc := range []string{"vpc", "vserver", "objectstorage"} {
		if inv.Accounts[crashCred.AccountID][svc] == nil {
			t.Errorf("inventory lacks the restored %s state of %q: %v", svc, crashCred.AccountID, inv.Accounts)
		}
	}
}
