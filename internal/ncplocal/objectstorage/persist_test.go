package objectstorage

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// populate fills a service with a bucket of objects, an ACL, CORS and an
// in-progress multipart upload, and returns the upload id.
func populate(t *testing.T, e *testEnv) string {
	t.Helper()
	ctx := context.Background()
	alice := e.alice()
	mustCreateBucket(t, alice, "persisted")
	mustCreateBucket(t, e.bob(), "bobs")
	_, err := alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("persisted"), Key: aws.String("dir/a ü.txt"),
		Body: strings.NewReader("alpha"), ContentType: aws.String("text/plain"), Metadata: map[string]string{"k": "v"},
		ACL: types.ObjectCannedACLPublicRead})
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, alice, "persisted", "empty", nil)
	mustPut(t, alice, "persisted", "big", bytes.Repeat([]byte("z"), 300000))
	_, err = alice.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("persisted"), CORSConfiguration: &types.CORSConfiguration{
		CORSRules: []types.CORSRule{{AllowedMethods: []string{"GET"}, AllowedOrigins: []string{"*"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	up, err := alice.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("persisted"), Key: aws.String("pending")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = alice.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("persisted"), Key: aws.String("pending"), UploadId: up.UploadId,
		PartNumber: aws.Int32(1), Body: strings.NewReader("part one")})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(up.UploadId)
}

// verifyPopulated checks that a restored service serves what populate stored.
func verifyPopulated(t *testing.T, e *testEnv, uploadID string) {
	t.Helper()
	ctx := context.Background()
	alice := e.alice()
	if got := string(mustGet(t, alice, "persisted", "dir/a ü.txt")); got != "alpha" {
		t.Errorf("restored body %q", got)
	}
	if got := mustGet(t, alice, "persisted", "big"); len(got) != 300000 {
		t.Errorf("restored big body has %d bytes", len(got))
	}
	if got := mustGet(t, alice, "persisted", "empty"); len(got) != 0 {
		t.Errorf("restored empty body has %d bytes", len(got))
	}
	head, err := alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("persisted"), Key: aws.String("dir/a ü.txt")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(head.ContentType) != "text/plain" || head.Metadata["k"] != "v" || aws.ToString(head.ETag) != `"`+md5Hex([]byte("alpha"))+`"` {
		t.Errorf("restored metadata %+v", head)
	}
	resp, err := e.srv.Client().Get(e.srv.URL + "/persisted/dir/a%20%C3%BC.txt")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("public-read ACL lost: %d", resp.StatusCode)
	}
	if _, err := alice.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("persisted")}); err != nil {
		t.Errorf("CORS lost: %v", err)
	}
	parts, err := alice.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("persisted"), Key: aws.String("pending"), UploadId: aws.String(uploadID)})
	if err != nil || len(parts.Parts) != 1 {
		t.Fatalf("upload lost: %+v %v", parts, err)
	}
	_, err = alice.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("persisted"), Key: aws.String("pending"),
		UploadId: aws.String(uploadID), MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: parts.Parts[0].ETag}}}})
	if err != nil {
		t.Fatalf("complete restored upload: %v", err)
	}
	if got := string(mustGet(t, alice, "persisted", "pending")); got != "part one" {
		t.Errorf("completed restored upload %q", got)
	}
	// Bucket ownership survives: the name is still taken for bob.
	_, err = e.bob().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("persisted")})
	wantAPIError(t, err, wire.CodeBucketAlreadyExists, 409)
}

func TestSnapshotRestoreDisk(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newTestEnv(t, withDataDir(dir))
	uploadID := populate(t, e)
	snap, err := e.svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(snap, []byte(`"data"`)) || len(snap) > 100000 {
		t.Errorf("disk snapshot carries bodies (%d bytes)", len(snap))
	}
	if n := countFiles(t, filepath.Join(dir, ServiceName, blobDirName)); n != 4 {
		t.Errorf("%d body files on disk, want 4 (3 objects, 1 part)", n)
	}

	// A new service on the same data dir, as after a restart.
	e2 := newTestEnv(t, withDataDir(dir))
	if err := e2.svc.Restore(snap); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	verifyPopulated(t, e2, uploadID)
	if inv := e2.svc.Inventory(aliceID); inv == nil {
		t.Error("no inventory after restore")
	}
}

func TestSnapshotRestoreMemory(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	uploadID := populate(t, e)
	snap, err := e.svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	e2 := newTestEnv(t)
	if err := e2.svc.Restore(snap); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	verifyPopulated(t, e2, uploadID)

	// A memory snapshot restores into a disk-backed service too.
	dir := t.TempDir()
	e3 := newTestEnv(t, withDataDir(dir))
	if err := e3.svc.Restore(snap); err != nil {
		t.Fatalf("Restore into a data dir: %v", err)
	}
	verifyPopulated(t, e3, uploadID)
}

// mustBe returns v as a T, failing the test when it is something else.
func mustBe[T any](t *testing.T, v any) T {
	t.Helper()
	x, ok := v.(T)
	if !ok {
		t.Fatalf("%T is not a %T", v, x)
	}
	return x
}

func TestRestoreRejectsCorruptInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newTestEnv(t, withDataDir(dir))
	populate(t, e)
	good, err := e.svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	edit := func(fn func(b map[string]any)) []byte {
		var d map[string]any
		_ = json.Unmarshal(good, &d)
		fn(mustBe[map[string]any](t, mustBe[[]any](t, d["buckets"])[1])) // "persisted"
		out, _ := json.Marshal(d)
		return out
	}
	firstObject := func(b map[string]any) map[string]any {
		return mustBe[map[string]any](t, mustBe[map[string]any](t, b["objects"])["big"])
	}
	blob := func(b map[string]any) map[string]any {
		return mustBe[map[string]any](t, firstObject(b)["blob"])
	}
	firstUpload := func(b map[string]any) map[string]any {
		for _, u := range mustBe[map[string]any](t, b["uploads"]) {
			return mustBe[map[string]any](t, u)
		}
		t.Fatal("no upload in the snapshot")
		return nil
	}
	cases := map[string][]byte{
		"not json":        []byte("{garbage"),
		"trailing data":   append(append([]byte{}, good...), []byte(" {}")...),
		"wrong version":   []byte(`{"version":99,"storage":"disk","buckets":[]}`),
		"unknown field":   []byte(`{"version":1,"storage":"disk","buckets":[],"extra":1}`),
		"bad bucket name": edit(func(b map[string]any) { b["name"] = "Bad_Name" }),
		"no owner":        edit(func(b map[string]any) { b["owner"] = "" }),
		"bad acl":         edit(func(b map[string]any) { b["acl"] = "everyone" }),
		"key mismatch":    edit(func(b map[string]any) { firstObject(b)["key"] = "other" }),
		"path escape":     edit(func(b map[string]any) { blob(b)["id"] = "../../etc/passwd" }),
		"missing file":    edit(func(b map[string]any) { blob(b)["id"] = strings.Repeat("ab", 16) }),
		"wrong size":      edit(func(b map[string]any) { blob(b)["size"] = 7 }),
		"system tag": edit(func(b map[string]any) {
			firstObject(b)["tags"] = []any{map[string]any{"key": "aws:owner", "value": "x"}}
		}),
		"unknown upload checksum": edit(func(b map[string]any) {
			firstUpload(b)["checksumAlgorithm"], firstUpload(b)["checksumType"] = "md5", "COMPOSITE"
		}),
		"part without the upload's checksum": edit(func(b map[string]any) {
			firstUpload(b)["checksumAlgorithm"], firstUpload(b)["checksumType"] = "crc32c", "COMPOSITE"
		}),
		"inline mismatch": edit(func(b map[string]any) {
			firstObject(b)["blob"] = map[string]any{"size": 10, "data": "YWJj"}
		}),
	}
	before, err := e.svc.Snapshot()
	if err != nil {
		t.Fatalf("Snapshot before the failed restores: %v", err)
	}
	for name, data := range cases {
		if err := e.svc.Restore(data); err == nil {
			t.Errorf("%s: Restore accepted corrupt input", name)
		}
		after, err := e.svc.Snapshot()
		if err != nil {
			t.Fatalf("%s: Snapshot after a failed Restore: %v", name, err)
		}
		if !bytes.Equal(before, after) {
			t.Fatalf("%s: state changed by a failed Restore", name)
		}
	}
	if got := string(mustGet(t, e.alice(), "persisted", "dir/a ü.txt")); got != "alpha" {
		t.Errorf("body after failed restores: %q", got)
	}
	// A disk snapshot cannot be restored into a memory-only service.
	mem := New(emu.Env{LookupKey: lookupKey})
	if err := mem.Restore(good); err == nil {
		t.Error("memory service accepted on-disk bodies")
	}
	// Restoring an empty snapshot is fine.
	if err := mem.Restore([]byte(`{"version":1,"storage":"memory","buckets":[]}`)); err != nil {
		t.Errorf("empty snapshot: %v", err)
	}
}

func TestResetAndInventory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newTestEnv(t, withDataDir(dir))
	alice := e.alice()
	if inv := e.svc.Inventory(aliceID); inv != nil {
		t.Errorf("inventory of an empty account = %v", inv)
	}
	mustCreateBucket(t, alice, "inv-b")
	mustCreateBucket(t, alice, "inv-a")
	mustPut(t, alice, "inv-a", "one", []byte("12345"))
	mustPut(t, alice, "inv-a", "two", []byte("123"))
	inv, ok := e.svc.Inventory(aliceID).(*Inventory)
	if !ok {
		t.Fatalf("inventory type %T", e.svc.Inventory(aliceID))
	}
	if len(inv.Buckets) != 2 || inv.Buckets[0].Name != "inv-a" || inv.Buckets[0].Objects != 2 || inv.Buckets[0].Bytes != 8 ||
		inv.Buckets[1].Objects != 0 || inv.Buckets[0].CreationDate == "" {
		t.Errorf("inventory = %+v", inv)
	}
	b, err := json.Marshal(e.svc.Inventory(aliceID))
	if err != nil || !strings.Contains(string(b), `"creationDate"`) || !strings.Contains(string(b), `"bytes":8`) {
		t.Errorf("inventory JSON %s %v", b, err)
	}
	if inv := e.svc.Inventory(bobID); inv != nil {
		t.Errorf("bob's inventory = %v", inv)
	}
	if e.svc.Name() != "objectstorage" {
		t.Errorf("Name() = %q", e.svc.Name())
	}
	e.svc.Reset()
	if inv := e.svc.Inventory(aliceID); inv != nil {
		t.Errorf("inventory after Reset = %v", inv)
	}
	if n := countFiles(t, filepath.Join(dir, ServiceName, blobDirName)); n != 0 {
		t.Errorf("%d body files after Reset", n)
	}
	mustCreateBucket(t, alice, "inv-a")
}

func TestSubscribeEvents(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	alice := e.alice()
	var mu sync.Mutex
	var events []ObjectEvent
	unsubscribe := e.svc.Subscribe(func(ev ObjectEvent) {
		mu.Lock()
		events = append(events, ev)
		mu.Unlock()
	})
	mustCreateBucket(t, alice, "evented")
	mustPut(t, alice, "evented", "a", []byte("abc"))
	if _, err := alice.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("evented"), Key: aws.String("b"), CopySource: aws.String("evented/a")}); err != nil {
		t.Fatal(err)
	}
	up, err := alice.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("evented"), Key: aws.String("c")})
	if err != nil {
		t.Fatal(err)
	}
	part, err := alice.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("evented"), Key: aws.String("c"), UploadId: up.UploadId,
		PartNumber: aws.Int32(1), Body: strings.NewReader("mp")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("evented"), Key: aws.String("c"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: part.ETag}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("evented"), Key: aws.String("a")}); err != nil {
		t.Fatal(err)
	}
	// Deleting a missing key publishes nothing.
	if _, err := alice.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("evented"), Key: aws.String("a")}); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("evented"),
		Delete: &types.Delete{Objects: []types.ObjectIdentifier{{Key: aws.String("b")}, {Key: aws.String("nothing")}}}}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.WriteObject(aliceID, "evented", "in-process", strings.NewReader("internal"), "text/plain"); err != nil {
		t.Fatal(err)
	}
	unsubscribe()
	mustPut(t, alice, "evented", "after", []byte("x"))

	mu.Lock()
	defer mu.Unlock()
	var got []string
	for _, ev := range events {
		got = append(got, ev.Type+" "+ev.Key)
		if ev.AccountID != aliceID || ev.Bucket != "evented" || ev.Time.IsZero() {
			t.Errorf("event %+v", ev)
		}
	}
	if s := strings.Join(got, ", "); s != "PUT a, PUT b, PUT c, DELETE a, DELETE b, PUT in-process" {
		t.Errorf("events: %s", s)
	}
	if events[0].Size != 3 || events[0].ETag != md5Hex([]byte("abc")) || !strings.HasSuffix(events[2].ETag, "-1") {
		t.Errorf("event details: %+v %+v", events[0], events[2])
	}
}

func TestInProcessReadWrite(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{"", t.TempDir()} {
		e := newTestEnv(t, withDataDir(dir))
		mustCreateBucket(t, e.alice(), "inproc")
		if err := e.svc.WriteObject(aliceID, "inproc", "x/y.txt", strings.NewReader("from another emulator"), ""); err != nil {
			t.Fatal(err)
		}
		rc, info, err := e.svc.ReadObject(aliceID, "inproc", "x/y.txt")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if string(b) != "from another emulator" || info.Size != int64(len(b)) || info.ContentType != defaultContentType ||
			info.ETag != md5Hex(b) || info.Bucket != "inproc" || info.Key != "x/y.txt" {
			t.Errorf("ReadObject: %q %+v", b, info)
		}
		// Visible to S3 clients too.
		if got := string(mustGet(t, e.alice(), "inproc", "x/y.txt")); got != "from another emulator" {
			t.Errorf("S3 GET %q", got)
		}
		if _, _, err := e.svc.ReadObject(bobID, "inproc", "x/y.txt"); err != ErrAccessDenied {
			t.Errorf("other account: %v", err)
		}
		if _, _, err := e.svc.ReadObject(aliceID, "nope", "x"); err != ErrNoSuchBucket {
			t.Errorf("missing bucket: %v", err)
		}
		if _, _, err := e.svc.ReadObject(aliceID, "inproc", "nope"); err != ErrNoSuchKey {
			t.Errorf("missing key: %v", err)
		}
		if err := e.svc.WriteObject(bobID, "inproc", "k", strings.NewReader("x"), ""); err != ErrAccessDenied {
			t.Errorf("write to another account's bucket: %v", err)
		}
		if err := e.svc.WriteObject(aliceID, "inproc", "", strings.NewReader("x"), ""); err == nil {
			t.Error("empty key accepted")
		}
	}
}

func TestWriteBlobLimit(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{"", t.TempDir()} {
		s := New(emu.Env{DataDir: dir})
		if _, _, err := s.writeBlob(strings.NewReader("123456"), 5); asS3Error(err).code != wire.CodeEntityTooLarge {
			t.Errorf("dir %q: over the limit: %v", dir, err)
		}
		b, sum, err := s.writeBlob(strings.NewReader("12345"), 5)
		if err != nil || b.Size != 5 || md5Hex([]byte("12345")) != hexString(sum) {
			t.Errorf("dir %q: at the limit: %+v %v", dir, b, err)
		}
		if dir != "" {
			if n := countFiles(t, filepath.Join(dir, ServiceName, tmpDirName)); n != 0 {
				t.Errorf("%d temporary files left", n)
			}
			if _, err := os.Stat(s.blobPath(b.ID)); err != nil {
				t.Errorf("body file: %v", err)
			}
		}
	}
}
