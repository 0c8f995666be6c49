package objectstorage

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// ReadObjectAnonymously answers as an anonymous GET does: public-read and
// public-read-write objects are read; private and authenticated-read ones
// are refused, as is a missing object of a bucket anyone may not list;
// WriteAnonymousError writes the S3 error document of each answer.
func TestReadObjectAnonymously(t *testing.T) {
	t.Parallel()
	s := New(emu.Env{})
	for _, b := range []struct{ name, acl string }{{"closed", wire.ACLPrivate}, {"listed", wire.ACLPublicRead}} {
		s.buckets[b.name] = &bucket{Name: b.name, Owner: "acct-a", ACL: b.acl, Objects: map[string]*object{}, Uploads: map[string]*upload{}}
		for _, acl := range []string{wire.ACLPublicRead, wire.ACLPublicReadWrite, wire.ACLPrivate, wire.ACLAuthenticatedRead} {
			if err := s.WriteObjectACL("acct-a", b.name, acl+".txt", strings.NewReader("body "+acl), "text/plain", acl); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		bucket, key string
		err         error
		status      int
		code        string
	}{
		{"closed", "public-read.txt", nil, 0, ""},
		{"closed", "public-read-write.txt", nil, 0, ""},
		{"closed", "private.txt", ErrAnonymousDenied, http.StatusForbidden, wire.CodeAccessDenied},
		{"closed", "authenticated-read.txt", ErrAnonymousDenied, http.StatusForbidden, wire.CodeAccessDenied},
		{"closed", "missing.txt", ErrAnonymousDenied, http.StatusForbidden, wire.CodeAccessDenied},
		{"listed", "private.txt", ErrAnonymousDenied, http.StatusForbidden, wire.CodeAccessDenied},
		{"listed", "missing.txt", ErrNoSuchKey, http.StatusNotFound, wire.CodeNoSuchKey},
		{"nobucket", "x.txt", ErrNoSuchBucket, http.StatusNotFound, wire.CodeNoSuchBucket},
	} {
		rc, info, err := s.ReadObjectAnonymously(tc.bucket, tc.key)
		if tc.err == nil {
			if err != nil {
				t.Errorf("%s/%s: %v; want it read", tc.bucket, tc.key, err)
				continue
			}
			b, _ := io.ReadAll(rc)
			_ = rc.Close()
			if want := "body " + strings.TrimSuffix(tc.key, ".txt"); string(b) != want || info.Key != tc.key || info.Bucket != tc.bucket || !info.PublicRead() {
				t.Errorf("%s/%s: %q %+v; want %q", tc.bucket, tc.key, b, info, want)
			}
			continue
		}
		if !errors.Is(err, tc.err) {
			t.Errorf("%s/%s: %v; want %v", tc.bucket, tc.key, err, tc.err)
			continue
		}
		rec := httptest.NewRecorder()
		WriteAnonymousError(rec, httptest.NewRequest(http.MethodGet, "/any/path", nil), tc.bucket, tc.key, err)
		var doc wire.Error
		if xerr := xml.Unmarshal(rec.Body.Bytes(), &doc); xerr != nil || rec.Code != tc.status || doc.Code != tc.code ||
			doc.Resource != "/"+tc.bucket+"/"+tc.key || doc.RequestID == "" || doc.RequestID != rec.Header().Get("x-amz-request-id") {
			t.Errorf("%s/%s: answered %d %s (%v); want %d %s about /%s/%s", tc.bucket, tc.key, rec.Code, rec.Body, xerr, tc.status, tc.code, tc.bucket, tc.key)
		}
		rec = httptest.NewRecorder()
		WriteAnonymousError(rec, httptest.NewRequest(http.MethodHead, "/any/path", nil), tc.bucket, tc.key, err)
		if rec.Code != tc.status || rec.Body.Len() != 0 {
			t.Errorf("%s/%s HEAD: %d %q; want %d without a body", tc.bucket, tc.key, rec.Code, rec.Body, tc.status)
		}
	}
}
