package objectstorage

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

func TestInProcessHelpers(t *testing.T) {
	t.Parallel()
	s := New(emu.Env{})
	s.buckets["out"] = &bucket{Name: "out", Owner: "acct-a", ACL: wire.ACLPrivate, Objects: map[string]*object{}, Uploads: map[string]*upload{}}

	if owner, ok := s.BucketOwner("out"); !ok || owner != "acct-a" {
		t.Errorf("BucketOwner(out) = %q, %v", owner, ok)
	}
	if _, ok := s.BucketOwner("none"); ok {
		t.Error("BucketOwner(none) found a bucket")
	}
	if err := s.PutFolder("acct-a", "out", "/vod/movies/"); err != nil {
		t.Fatal(err)
	}
	info, err := s.StatObject("acct-a", "out", "vod/movies/")
	if err != nil || info.Size != 0 || info.ContentType != "application/x-directory" {
		t.Errorf("folder object %+v, %v", info, err)
	}
	// A second PutFolder keeps the object.
	if err := s.PutFolder("acct-a", "out", "vod/movies"); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteObject("acct-a", "out", "vod/movies/a.mp4", strings.NewReader("data"), "video/mp4"); err != nil {
		t.Fatal(err)
	}
	if info, err := s.StatObject("acct-a", "out", "vod/movies/a.mp4"); err != nil || info.Size != 4 || info.ContentType != "video/mp4" {
		t.Errorf("stat %+v, %v", info, err)
	}
	rc, _, err := s.ReadObject("acct-a", "out", "vod/movies/a.mp4")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	_ = rc.Close()
	if string(b) != "data" {
		t.Errorf("read %q", b)
	}
	for _, tc := range []struct {
		account, bucket, key string
		want                 error
	}{
		{"acct-b", "out", "vod/movies/a.mp4", ErrAccessDenied},
		{"acct-a", "none", "x", ErrNoSuchBucket},
		{"acct-a", "out", "missing", ErrNoSuchKey},
	} {
		if _, err := s.StatObject(tc.account, tc.bucket, tc.key); !errors.Is(err, tc.want) {
			t.Errorf("StatObject(%s, %s, %s) = %v, want %v", tc.account, tc.bucket, tc.key, err, tc.want)
		}
	}
	if err := s.PutFolder("acct-b", "out", "x"); !errors.Is(err, ErrAccessDenied) {
		t.Errorf("PutFolder into another account's bucket: %v", err)
	}
	if err := s.PutFolder("acct-a", "out", "//"); err == nil {
		t.Error("PutFolder with an empty name succeeded")
	}
}
