package objectstorage

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

func TestMultipartUpload(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts []func(*envOptions)
	}{
		{"memory", nil},
		{"disk", []func(*envOptions){withDataDir(t.TempDir())}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			testMultipartUpload(t, newTestEnv(t, tc.opts...))
		})
	}
}

func testMultipartUpload(t *testing.T, e *testEnv) {
	ctx := context.Background()
	alice := e.alice()
	mustCreateBucket(t, alice, "multipart")
	part1 := bytes.Repeat([]byte("A"), wire.MinPartSize)
	part2 := []byte("the small last part")

	create, err := alice.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
		Bucket: aws.String("multipart"), Key: aws.String("assembled/file.bin"),
		ContentType: aws.String("application/x-test"), Metadata: map[string]string{"origin": "multipart"},
	})
	if err != nil {
		t.Fatalf("CreateMultipartUpload: %v", err)
	}
	if e.lastOp() != "objectstorage:CreateMultipartUpload" {
		t.Errorf("operation = %q", e.lastOp())
	}
	id := create.UploadId
	upload := func(n int32, data []byte) *s3.UploadPartOutput {
		t.Helper()
		out, err := alice.UploadPart(ctx, &s3.UploadPartInput{
			Bucket: aws.String("multipart"), Key: aws.String("assembled/file.bin"), UploadId: id,
			PartNumber: aws.Int32(n), Body: bytes.NewReader(data),
		})
		if err != nil {
			t.Fatalf("UploadPart %d: %v", n, err)
		}
		return out
	}
	p1 := upload(1, part1)
	p2 := upload(2, part2)
	if aws.ToString(p1.ETag) != `"`+md5Hex(part1)+`"` {
		t.Errorf("part 1 ETag %s", aws.ToString(p1.ETag))
	}

	parts, err := alice.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("multipart"), Key: aws.String("assembled/file.bin"), UploadId: id})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts.Parts) != 2 || aws.ToInt64(parts.Parts[0].Size) != int64(len(part1)) || aws.ToInt32(parts.Parts[1].PartNumber) != 2 {
		t.Errorf("ListParts = %+v", parts.Parts)
	}
	parts, err = alice.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("multipart"), Key: aws.String("assembled/file.bin"), UploadId: id, MaxParts: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts.Parts) != 1 || !aws.ToBool(parts.IsTruncated) || aws.ToString(parts.NextPartNumberMarker) != "1" {
		t.Errorf("paged ListParts = %+v truncated=%v next=%v", parts.Parts, aws.ToBool(parts.IsTruncated), aws.ToString(parts.NextPartNumberMarker))
	}
	ups, err := alice.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("multipart")})
	if err != nil {
		t.Fatal(err)
	}
	if len(ups.Uploads) != 1 || aws.ToString(ups.Uploads[0].UploadId) != aws.ToString(id) || aws.ToString(ups.Uploads[0].Key) != "assembled/file.bin" {
		t.Errorf("ListMultipartUploads = %+v", ups.Uploads)
	}

	// Parts out of order, unknown ETags and missing parts are refused.
	complete := func(ps ...types.CompletedPart) error {
		_, err := alice.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
			Bucket: aws.String("multipart"), Key: aws.String("assembled/file.bin"), UploadId: id,
			MultipartUpload: &types.CompletedMultipartUpload{Parts: ps},
		})
		return err
	}
	cp := func(n int32, etag *string) types.CompletedPart {
		return types.CompletedPart{PartNumber: aws.Int32(n), ETag: etag}
	}
	wantAPIError(t, complete(cp(2, p2.ETag), cp(1, p1.ETag)), wire.CodeInvalidPartOrder, http.StatusBadRequest)
	wantAPIError(t, complete(cp(1, p1.ETag), cp(2, aws.String(`"ffffffffffffffffffffffffffffffff"`))), wire.CodeInvalidPart, http.StatusBadRequest)
	wantAPIError(t, complete(cp(1, p1.ETag), cp(3, p2.ETag)), wire.CodeInvalidPart, http.StatusBadRequest)

	out, err := alice.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: aws.String("multipart"), Key: aws.String("assembled/file.bin"), UploadId: id,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{cp(1, p1.ETag), cp(2, p2.ETag)}},
	})
	if err != nil {
		t.Fatalf("CompleteMultipartUpload: %v", err)
	}
	h := md5.New()
	for _, p := range [][]byte{part1, part2} {
		sum := md5.Sum(p)
		h.Write(sum[:])
	}
	wantETag := fmt.Sprintf(`"%s-2"`, hex.EncodeToString(h.Sum(nil)))
	if aws.ToString(out.ETag) != wantETag {
		t.Errorf("multipart ETag %s, want %s", aws.ToString(out.ETag), wantETag)
	}
	got := mustGet(t, alice, "multipart", "assembled/file.bin")
	if !bytes.Equal(got, append(append([]byte{}, part1...), part2...)) {
		t.Errorf("assembled object has %d bytes", len(got))
	}
	head, err := alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("multipart"), Key: aws.String("assembled/file.bin")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(head.ContentType) != "application/x-test" || head.Metadata["origin"] != "multipart" || aws.ToString(head.ETag) != wantETag {
		t.Errorf("assembled object head: %+v", head)
	}
	// One part of the assembled object.
	po, err := alice.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("multipart"), Key: aws.String("assembled/file.bin"), PartNumber: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt64(po.ContentLength) != int64(len(part2)) || aws.ToInt32(po.PartsCount) != 2 {
		t.Errorf("part 2: length %d count %d", aws.ToInt64(po.ContentLength), aws.ToInt32(po.PartsCount))
	}
	po.Body.Close()
	// The upload is gone.
	_, err = alice.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("multipart"), Key: aws.String("assembled/file.bin"), UploadId: id})
	wantAPIError(t, err, wire.CodeNoSuchUpload, http.StatusNotFound)

	// A non-last part under 5 MiB is EntityTooSmall.
	small, err := alice.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("multipart"), Key: aws.String("small")})
	if err != nil {
		t.Fatal(err)
	}
	var etags []*string
	for n := int32(1); n <= 2; n++ {
		o, err := alice.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("multipart"), Key: aws.String("small"), UploadId: small.UploadId,
			PartNumber: aws.Int32(n), Body: bytes.NewReader([]byte("tiny"))})
		if err != nil {
			t.Fatal(err)
		}
		etags = append(etags, o.ETag)
	}
	_, err = alice.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: aws.String("multipart"), Key: aws.String("small"), UploadId: small.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{cp(1, etags[0]), cp(2, etags[1])}},
	})
	wantAPIError(t, err, wire.CodeEntityTooSmall, http.StatusBadRequest)
	// Conditional completion: the key exists already.
	_, err = alice.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: aws.String("multipart"), Key: aws.String("small"), UploadId: small.UploadId, IfMatch: aws.String(`"0123"`),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{cp(1, etags[0])}},
	})
	wantAPIError(t, err, wire.CodeNoSuchKey, http.StatusNotFound)
	// A single small part is fine (the last part may be small).
	o, err := alice.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: aws.String("multipart"), Key: aws.String("small"), UploadId: small.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{cp(1, etags[0])}},
	})
	if err != nil {
		t.Fatalf("single-part complete: %v", err)
	}
	if got := string(mustGet(t, alice, "multipart", "small")); got != "tiny" || aws.ToString(o.ETag) == "" {
		t.Errorf("single-part object %q", got)
	}
	again, err := alice.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("multipart"), Key: aws.String("small")})
	if err != nil {
		t.Fatal(err)
	}
	ap, err := alice.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("multipart"), Key: aws.String("small"), UploadId: again.UploadId,
		PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("overwrite"))})
	if err != nil {
		t.Fatal(err)
	}
	_, err = alice.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: aws.String("multipart"), Key: aws.String("small"), UploadId: again.UploadId, IfNoneMatch: aws.String("*"),
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{cp(1, ap.ETag)}},
	})
	wantAPIError(t, err, wire.CodePreconditionFailed, http.StatusPreconditionFailed)
	if _, err := alice.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("multipart"), Key: aws.String("small"), UploadId: again.UploadId}); err != nil {
		t.Fatalf("abort after a failed conditional completion: %v", err)
	}

	// UploadPartCopy from an existing object, and abort.
	ab, err := alice.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("multipart"), Key: aws.String("aborted")})
	if err != nil {
		t.Fatal(err)
	}
	cpo, err := alice.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("multipart"), Key: aws.String("aborted"), UploadId: ab.UploadId,
		PartNumber: aws.Int32(1), CopySource: aws.String("multipart/small"), CopySourceRange: aws.String("bytes=1-2")})
	if err != nil {
		t.Fatalf("UploadPartCopy: %v", err)
	}
	if aws.ToString(cpo.CopyPartResult.ETag) != `"`+md5Hex([]byte("in"))+`"` {
		t.Errorf("copied part ETag %s", aws.ToString(cpo.CopyPartResult.ETag))
	}
	_, err = alice.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("multipart"), Key: aws.String("aborted"), UploadId: ab.UploadId,
		PartNumber: aws.Int32(10001), Body: bytes.NewReader([]byte("x"))})
	wantAPIError(t, err, wire.CodeInvalidArgument, http.StatusBadRequest)
	if _, err := alice.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("multipart"), Key: aws.String("aborted"), UploadId: ab.UploadId}); err != nil {
		t.Fatal(err)
	}
	_, err = alice.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("multipart"), Key: aws.String("aborted"), UploadId: ab.UploadId})
	wantAPIError(t, err, wire.CodeNoSuchUpload, http.StatusNotFound)
	// Another account sees no upload.
	_, err = e.bob().ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("multipart")})
	wantAPIError(t, err, wire.CodeAccessDenied, http.StatusForbidden)

	if e.dir != "" {
		// Every part file was removed; only the objects' bodies remain.
		e.svc.mu.RLock()
		n := len(e.svc.buckets["multipart"].Objects)
		e.svc.mu.RUnlock()
		if files := countFiles(t, e.svc.dir+"/"+blobDirName); files != n {
			t.Errorf("%d body files for %d objects", files, n)
		}
		if files := countFiles(t, e.svc.dir+"/"+tmpDirName); files != 0 {
			t.Errorf("%d temporary files left", files)
		}
	}
}

func TestListMultipartUploadsPagination(t *testing.T) {
	t.Parallel()
	_, alice := newAliceBucket(t, "uploads")
	ctx := context.Background()
	var ids []string
	for _, k := range []string{"a/1", "a/2", "b", "b", "c"} {
		out, err := alice.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("uploads"), Key: aws.String(k)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, aws.ToString(out.UploadId))
	}
	var seen []string
	in := &s3.ListMultipartUploadsInput{Bucket: aws.String("uploads"), MaxUploads: aws.Int32(2)}
	for range 10 {
		out, err := alice.ListMultipartUploads(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range out.Uploads {
			seen = append(seen, aws.ToString(u.Key)+"#"+aws.ToString(u.UploadId))
		}
		if !aws.ToBool(out.IsTruncated) {
			break
		}
		in.KeyMarker, in.UploadIdMarker = out.NextKeyMarker, out.NextUploadIdMarker
	}
	if len(seen) != 5 {
		t.Fatalf("paged uploads: %v", seen)
	}
	have := map[string]bool{}
	for _, s := range seen {
		have[s[strings.Index(s, "#")+1:]] = true
	}
	for _, id := range ids {
		if !have[id] {
			t.Errorf("upload %s missing from %v", id, seen)
		}
	}
	out, err := alice.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("uploads"), Delimiter: aws.String("/")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.CommonPrefixes) != 1 || aws.ToString(out.CommonPrefixes[0].Prefix) != "a/" || len(out.Uploads) != 3 {
		t.Errorf("delimited uploads: %+v %+v", out.CommonPrefixes, out.Uploads)
	}
	out, err = alice.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("uploads"), Prefix: aws.String("b")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Uploads) != 2 {
		t.Errorf("prefix b: %+v", out.Uploads)
	}
}
