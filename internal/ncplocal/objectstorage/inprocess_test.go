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

// WriteObjectACL stores the object with its canned ACL, which StatObject
// and ReadObject report and an anonymous S3 read honours; an ACL that is
// not a canned one is refused by name and stores nothing.
func TestInProcessObjectACL(t *testing.T) {
	t.Parallel()
	s := New(emu.Env{})
	s.buckets["out"] = &bucket{Name: "out", Owner: "acct-a", ACL: wire.ACLPrivate, Objects: map[string]*object{}, Uploads: map[string]*upload{}}
	for key, acl := range map[string]string{"pub.mp4": wire.ACLPublicRead, "priv.mp4": wire.ACLPrivate, "auth.mp4": wire.ACLAuthenticatedRead} {
		if err := s.WriteObjectACL("acct-a", "out", key, strings.NewReader("data"), "video/mp4", acl); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.WriteObject("acct-a", "out", "plain.mp4", strings.NewReader("data"), "video/mp4"); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]struct {
		acl    string
		public bool
	}{
		"pub.mp4": {wire.ACLPublicRead, true}, "priv.mp4": {wire.ACLPrivate, false},
		"auth.mp4": {wire.ACLAuthenticatedRead, false}, "plain.mp4": {wire.ACLPrivate, false},
	} {
		info, err := s.StatObject("acct-a", "out", key)
		if err != nil || info.ACL != want.acl || info.PublicRead() != want.public {
			t.Errorf("StatObject(%s) = %+v (public %v), %v; want ACL %s, public %v", key, info, info.PublicRead(), err, want.acl, want.public)
		}
		rc, rinfo, err := s.ReadObject("acct-a", "out", key)
		if err != nil {
			t.Fatal(err)
		}
		_ = rc.Close()
		if rinfo.ACL != want.acl {
			t.Errorf("ReadObject(%s) ACL %q; want %q", key, rinfo.ACL, want.acl)
		}
		// The same object as an anonymous S3 GET sees it.
		s.mu.RLock()
		_, err = s.readableObject(&caller{anonymous: true}, "out", key)
		s.mu.RUnlock()
		if (err == nil) != want.public {
			t.Errorf("anonymous read of %s: %v; want readable %v", key, err, want.public)
		}
	}
	err := s.WriteObjectACL("acct-a", "out", "bad.mp4", strings.NewReader("data"), "video/mp4", "PUBLIC_READ")
	if err == nil || !strings.Contains(err.Error(), `"PUBLIC_READ"`) || !strings.Contains(err.Error(), "canned ACL") {
		t.Errorf("WriteObjectACL with ACL PUBLIC_READ: %v; want an error naming the ACL", err)
	}
	if _, err := s.StatObject("acct-a", "out", "bad.mp4"); !errors.Is(err, ErrNoSuchKey) {
		t.Errorf("the refused object: %v; want ErrNoSuchKey", err)
	}
}
