package ncplocal_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
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
func startOn(t *testing.T, dir string, creds ...ncplocal.Credential) *ncplocal.Server {
	t.Helper()
	if len(creds) == 0 {
		creds = []ncplocal.Credential{crashCred}
	}
	srv, err := ncplocal.New(ncplocal.Options{DataDir: dir, Credentials: creds})
	if err != nil {
		t.Fatalf("New on %s: %v", dir, err)
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

// callGateway sends one signed API Gateway request for crashCred and
// returns the body of its 200 answer.
func callGateway(t *testing.T, srv *ncplocal.Server, method, uri string) []byte {
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
	return b
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

// TestAcknowledgedChangesSurviveKill: every change the server acknowledged
// is on disk when the process dies at once (issue 10 item 2), bodies of
// replaced or deleted objects go once nothing on disk references them, and
// numbers are never handed out twice across restarts.
func TestAcknowledgedChangesSurviveKill(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()

	srv1 := startOn(t, dir)
	c := s3Client(srv1)
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bkt1")}); err != nil {
		t.Fatal(err)
	}
	put(t, c, "k", "one")
	put(t, c, "gone", "doomed")
	first := vpcNo(t, callGateway(t, srv1, http.MethodPost, "/vpc/v2/createVpc?responseFormatType=json&vpcName=kept&ipv4CidrBlock=10.0.0.0%2F16"))
	ncplocal.Abandon(srv1) // kill -9 right after the answers

	srv2 := startOn(t, dir)
	c = s3Client(srv2)
	if got := get(t, c, "k"); got != "one" {
		t.Fatalf("after the first kill k = %q", got)
	}
	if !strings.Contains(string(callGateway(t, srv2, http.MethodGet, "/vpc/v2/getVpcDetail?responseFormatType=json&vpcNo="+first)), `"vpcName":"kept"`) {
		t.Error("the acknowledged VPC was lost")
	}
	put(t, c, "k", "two")
	del(t, c, "gone")
	put(t, c, "new", "three")
	second := vpcNo(t, callGateway(t, srv2, http.MethodPost, "/vpc/v2/createVpc?responseFormatType=json&vpcName=later&ipv4CidrBlock=10.1.0.0%2F16"))
	ncplocal.Abandon(srv2)

	srv3 := startOn(t, dir)
	c = s3Client(srv3)
	if k, gone, added := get(t, c, "k"), get(t, c, "gone"), get(t, c, "new"); k != "two" || gone != "" || added != "three" {
		t.Errorf("after the second kill k = %q, gone = %q, new = %q; want every acknowledged change", k, gone, added)
	}
	if n := bodyFiles(t, dir); n != 2 {
		t.Errorf("%d body files after restart, want 2 (the replaced and deleted bodies are garbage)", n)
	}
	third := vpcNo(t, callGateway(t, srv3, http.MethodPost, "/vpc/v2/createVpc?responseFormatType=json&vpcName=third&ipv4CidrBlock=10.2.0.0%2F16"))
	if !numberLess(first, second) || !numberLess(second, third) {
		t.Errorf("VPC numbers %s, %s, %s are not increasing across restarts", first, second, third)
	}
	if err := srv3.Close(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temp file %s left", e.Name())
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "wal.log")); err != nil || fi.Size() != 0 {
		t.Errorf("after Close the log is %v, %v; want it folded into the checkpoint", fi, err)
	}
}

// vpcNo returns the vpcNo of a createVpc JSON answer.
func vpcNo(t *testing.T, body []byte) string {
	t.Helper()
	var resp struct {
		CreateVpcResponse struct {
			VpcList []struct {
				VpcNo string `json:"vpcNo"`
			} `json:"vpcList"`
		} `json:"createVpcResponse"`
	}
	if err := json.Unmarshal(body, &resp); err != nil || len(resp.CreateVpcResponse.VpcList) != 1 {
		t.Fatalf("createVpc answer %s: %v", body, err)
	}
	return resp.CreateVpcResponse.VpcList[0].VpcNo
}

// numberLess compares object numbers numerically.
func numberLess(a, b string) bool {
	x, errA := strconv.ParseUint(a, 10, 64)
	y, errB := strconv.ParseUint(b, 10, 64)
	return errA == nil && errB == nil && x < y
}

// TestStartupRemovesLeftovers: temp files of a dying process go at start.
func TestStartupRemovesLeftovers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	leftovers := []string{
		filepath.Join(dir, ".state.json.123.tmp"),
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
	srv := startOn(t, dir)
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
	old := startOn(t, dir)
	callGateway(t, old, http.MethodPost, "/vpc/v2/createVpc?regionCode=KR&vpcName=kept&ipv4CidrBlock=10.0.0.0%2F16")
	if _, err := s3Client(old).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("kept-bucket")}); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	other := ncplocal.Credential{AccessKey: "other-access-key", SecretKey: "other-secret-key", AccountID: "other"}
	srv := startOn(t, dir, other)
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
