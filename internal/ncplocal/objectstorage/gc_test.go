package objectstorage

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestBodiesOutliveSavedSnapshots: a body a written snapshot references is
// kept after its object is replaced or deleted, until a snapshot without it
// has been written; bodies no snapshot ever saw go at once.
func TestBodiesOutliveSavedSnapshots(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newTestEnv(t, withDataDir(dir))
	blobs := filepath.Join(dir, ServiceName, blobDirName)
	alice := e.alice()
	mustCreateBucket(t, alice, "gc-bkt")
	mustPut(t, alice, "gc-bkt", "k", []byte("one"))
	mustPut(t, alice, "gc-bkt", "k", []byte("two")) // "one" was never saved
	if n := countFiles(t, blobs); n != 1 {
		t.Fatalf("%d body files, want 1", n)
	}
	mustPut(t, alice, "gc-bkt", "d", []byte("doomed"))
	saved, err := e.svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	e.svc.Snapshotted(saved)

	mustPut(t, alice, "gc-bkt", "k", []byte("three"))
	if _, err := alice.DeleteObject(context.Background(), &s3.DeleteObjectInput{Bucket: aws.String("gc-bkt"), Key: aws.String("d")}); err != nil {
		t.Fatal(err)
	}
	// A snapshot taken but not yet written protects what it references too.
	taken, err := e.svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, alice, "gc-bkt", "k", []byte("four"))
	if n := countFiles(t, blobs); n != 4 {
		t.Fatalf("%d body files, want 4 (two, doomed, three, four)", n)
	}
	// saved still restores.
	e2 := newTestEnv(t, withDataDir(dir))
	if err := e2.svc.Restore(saved); err != nil {
		t.Fatalf("restoring the saved snapshot: %v", err)
	}
	// Its bodies are still on disk: the objects read back as they were saved.
	for key, want := range map[string]string{"k": "two", "d": "doomed"} {
		if got := string(mustGet(t, e2.alice(), "gc-bkt", key)); got != want {
			t.Errorf("restored %s = %q, want %q", key, got, want)
		}
	}

	e.svc.Snapshotted(taken) // "two" and "doomed" are unreferenced now
	if n := countFiles(t, blobs); n != 2 {
		t.Errorf("%d body files after the second snapshot, want 2 (three, four)", n)
	}
	latest, err := e.svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	e.svc.Snapshotted(latest)
	if n := countFiles(t, blobs); n != 1 {
		t.Errorf("%d body files after the last snapshot, want 1", n)
	}
	if got := string(mustGet(t, alice, "gc-bkt", "k")); got != "four" {
		t.Errorf("k = %q", got)
	}
}

// TestCollectGarbage removes what the state does not reference.
func TestCollectGarbage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newTestEnv(t, withDataDir(dir))
	mustCreateBucket(t, e.alice(), "gc-bkt")
	mustPut(t, e.alice(), "gc-bkt", "k", []byte("kept"))
	stray := filepath.Join(dir, ServiceName, blobDirName, "0123456789abcdef0123456789abcdef")
	tmp := filepath.Join(dir, ServiceName, tmpDirName, "upload-1")
	for _, f := range []string{stray, tmp} {
		if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.svc.CollectGarbage(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{stray, tmp} {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s: %v, want removed", f, err)
		}
	}
	if got := string(mustGet(t, e.alice(), "gc-bkt", "k")); got != "kept" {
		t.Errorf("k = %q", got)
	}
	// Memory mode has nothing to collect.
	if err := New(e.svc.env).CollectGarbage(); err != nil {
		t.Error(err)
	}
	if got := e.svc.Accounts(); !slices.Equal(got, []string{aliceID}) {
		t.Errorf("Accounts() = %v", got)
	}
}
