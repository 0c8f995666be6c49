package objectstorage_test

// Regression tests of what real S3 clients trip over, with the client
// libraries themselves (aws-sdk-go-v2, minio-go v7) talking to a whole
// in-process ncplocal server: its routing (virtual-hosted addressing), its
// request log and the Object Storage service together.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/minio/minio-go/v7"
	miniocreds "github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

const mib = 1 << 20

// server is an in-process ncplocal with its request log recorded.
type server struct {
	t    *testing.T
	srv  *ncplocal.Server
	addr string // host:port

	mu  sync.Mutex
	log []ncplocal.RequestInfo
}

func startServer(t *testing.T) *server {
	t.Helper()
	s := &server{t: t}
	s.srv = ncplocal.StartTest(t, ncplocal.Options{RequestLog: func(i ncplocal.RequestInfo) {
		s.mu.Lock()
		s.log = append(s.log, i)
		s.mu.Unlock()
	}})
	u, err := url.Parse(s.srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	s.addr = u.Host
	return s
}

// ops returns the logged "METHOD path op" of every request so far.
func (s *server) ops() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.log))
	for i, l := range s.log {
		out[i] = l.Method + " " + l.Path + " " + l.Op
	}
	return out
}

// wantLogged fails unless a logged request matches "METHOD path op".
func (s *server) wantLogged(want string) {
	s.t.Helper()
	for _, got := range s.ops() {
		if got == want {
			return
		}
	}
	s.t.Errorf("request log has no %q:\n%s", want, strings.Join(s.ops(), "\n"))
}

// transport dials the server whatever host a URL names, so that
// <bucket>.localhost works without relying on the resolver.
func (s *server) transport() *http.Transport {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, s.addr)
		},
		ExpectContinueTimeout: time.Second,
	}
}

// awsClient is an aws-sdk-go-v2 client as config.LoadDefaultConfig makes
// it (checksums when supported), path style unless virtualHosted.
func (s *server) awsClient(virtualHosted bool) *s3.Client {
	_, port, _ := net.SplitHostPort(s.addr)
	return s3.New(s3.Options{
		Region:                     wire.DefaultRegion,
		BaseEndpoint:               aws.String("http://localhost:" + port),
		UsePathStyle:               !virtualHosted,
		Credentials:                credentials.NewStaticCredentialsProvider(ncplocal.DefaultCredential.AccessKey, ncplocal.DefaultCredential.SecretKey, ""),
		HTTPClient:                 &http.Client{Transport: s.transport()},
		Retryer:                    aws.NopRetryer{},
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenSupported,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenSupported,
	})
}

// recorder remembers the x-amz-content-sha256 of every request it sends.
type recorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.seen = append(r.seen, req.Method+" "+req.Header.Get("X-Amz-Content-Sha256"))
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

func (r *recorder) sent(want string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.seen {
		if s == want {
			return true
		}
	}
	return false
}

// minioClient is a minio-go client with trailing checksums enabled (what
// mc --checksum uses), over a recording transport.
func (s *server) minioClient(lookup minio.BucketLookupType) (*minio.Client, *recorder) {
	s.t.Helper()
	_, port, _ := net.SplitHostPort(s.addr)
	rec := &recorder{next: s.transport()}
	c, err := minio.New("localhost:"+port, &minio.Options{
		Creds:           miniocreds.NewStaticV4(ncplocal.DefaultCredential.AccessKey, ncplocal.DefaultCredential.SecretKey, ""),
		Region:          wire.DefaultRegion,
		BucketLookup:    lookup,
		TrailingHeaders: true,
		Transport:       rec,
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return c, rec
}

// payload is n bytes that differ from part to part.
func payload(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/4096)
	}
	return b
}

func crc32cOf(b []byte) []byte {
	return binaryBE(crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
}

func binaryBE(v uint32) []byte { return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestClientsCreateBucketWithObjectLockFalse(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	c := s.awsClient(false)
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("rclone-style"), ObjectLockEnabledForBucket: aws.Bool(false)}); err != nil {
		t.Fatalf("CreateBucket with object lock false: %v", err)
	}
	// rclone creates the bucket again before each upload.
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("rclone-style"), ObjectLockEnabledForBucket: aws.Bool(false)})
	if apiCode(err) != wire.CodeBucketAlreadyOwnedByYou {
		t.Fatalf("second CreateBucket: %v", err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("rclone-style"), Key: aws.String("f"), Body: strings.NewReader("x")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("locked"), ObjectLockEnabledForBucket: aws.Bool(true)})
	if apiCode(err) != wire.CodeNotImplemented {
		t.Fatalf("CreateBucket with object lock true: %v", err)
	}
}

func TestClientsMinioMultipartChecksums(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	mc, _ := s.minioClient(minio.BucketLookupPath)
	if err := mc.MakeBucket(ctx, "pipes", minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	data := payload(11 * mib)
	for _, tc := range []struct {
		name     string
		checksum minio.ChecksumType
		wantType string
		want     string
	}{
		// mc pipe: an upload of unknown size, CRC32C of the parts.
		{"composite", minio.ChecksumCRC32C, wire.ChecksumTypeComposite, ""},
		{"full-object", minio.ChecksumFullObjectCRC32C, wire.ChecksumTypeFullObject, b64(crc32cOf(data))},
	} {
		info, err := mc.PutObject(ctx, "pipes", tc.name, bytes.NewReader(data), -1,
			minio.PutObjectOptions{PartSize: 5 * mib, Checksum: tc.checksum})
		if err != nil {
			t.Fatalf("%s: PutObject of unknown size: %v", tc.name, err)
		}
		if !strings.HasSuffix(info.ETag, "-3") {
			t.Errorf("%s: ETag %s, want a 3-part upload", tc.name, info.ETag)
		}
		st, err := mc.StatObject(ctx, "pipes", tc.name, minio.StatObjectOptions{Checksum: true})
		if err != nil {
			t.Fatal(err)
		}
		want := tc.want
		if tc.wantType == wire.ChecksumTypeComposite {
			var raw []byte
			for off := 0; off < len(data); off += 5 * mib {
				raw = append(raw, crc32cOf(data[off:min(off+5*mib, len(data))])...)
			}
			want = b64(crc32cOf(raw)) + "-3"
		}
		if st.ChecksumCRC32C != want || st.ChecksumMode != tc.wantType {
			t.Errorf("%s: StatObject checksum %q %q, want %q %s", tc.name, st.ChecksumCRC32C, st.ChecksumMode, want, tc.wantType)
		}
		obj, err := mc.GetObject(ctx, "pipes", tc.name, minio.GetObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(obj)
		obj.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: read back %d bytes: %v", tc.name, len(got), err)
		}
	}
}

func TestClientsMinioSignedTrailer(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	mc, rec := s.minioClient(minio.BucketLookupPath)
	if err := mc.MakeBucket(ctx, "trailers", minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	data := payload(3*mib + 17)
	if _, err := mc.PutObject(ctx, "trailers", "signed", bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{Checksum: minio.ChecksumCRC32C}); err != nil {
		t.Fatalf("PutObject with a signed trailing checksum: %v", err)
	}
	if !rec.sent("PUT STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER") {
		t.Fatalf("minio-go did not stream with a signed trailer: %v", rec.seen)
	}
	st, err := mc.StatObject(ctx, "trailers", "signed", minio.StatObjectOptions{Checksum: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.ChecksumCRC32C != b64(crc32cOf(data)) || st.Size != int64(len(data)) {
		t.Errorf("stored checksum %q size %d", st.ChecksumCRC32C, st.Size)
	}
	obj, err := mc.GetObject(ctx, "trailers", "signed", minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(obj)
	obj.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("read back %d bytes: %v", len(got), err)
	}
}

// TestClientsCopyWithTagging does what aws CLI v2 does for an S3-to-S3 copy
// of 8 MiB or more (aws s3 cp s3://a/k s3://b/k): HeadObject and
// GetObjectTagging of the source, then a multipart copy carrying the tags.
func TestClientsCopyWithTagging(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	c := s.awsClient(false)
	for _, b := range []string{"copy-src", "copy-dst"} {
		if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)}); err != nil {
			t.Fatal(err)
		}
	}
	data := payload(9 * mib)
	// A 9 MiB body: the SDK sends Expect: 100-continue on a pooled connection.
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("copy-src"), Key: aws.String("video.mp4"),
		Body: bytes.NewReader(data), Tagging: aws.String("stage=raw&team=video")}); err != nil {
		t.Fatal(err)
	}
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("copy-src"), Key: aws.String("video.mp4")})
	if err != nil {
		t.Fatal(err)
	}
	tags, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("copy-src"), Key: aws.String("video.mp4")})
	if err != nil {
		t.Fatalf("GetObjectTagging: %v", err)
	}
	q := url.Values{}
	for _, tg := range tags.TagSet {
		q.Set(aws.ToString(tg.Key), aws.ToString(tg.Value))
	}
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("copy-dst"), Key: aws.String("video.mp4"),
		Tagging: aws.String(q.Encode()), ContentType: head.ContentType})
	if err != nil {
		t.Fatal(err)
	}
	const chunk = 8 * mib
	var parts []types.CompletedPart
	size := aws.ToInt64(head.ContentLength)
	for n, off := int32(1), int64(0); off < size; n, off = n+1, off+chunk {
		end := min(off+chunk, size) - 1
		out, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("copy-dst"), Key: aws.String("video.mp4"),
			UploadId: up.UploadId, PartNumber: aws.Int32(n), CopySource: aws.String("copy-src/video.mp4"),
			CopySourceRange: aws.String("bytes=" + itoa(off) + "-" + itoa(end))})
		if err != nil {
			t.Fatalf("UploadPartCopy %d: %v", n, err)
		}
		parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(n), ETag: out.CopyPartResult.ETag})
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("copy-dst"), Key: aws.String("video.mp4"),
		UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String("copy-dst"), Key: aws.String("video.mp4")})
	if err != nil || len(got.TagSet) != 2 || aws.ToString(got.TagSet[0].Key) != "stage" || aws.ToString(got.TagSet[1].Value) != "video" {
		t.Fatalf("tags of the copy: %+v %v", got, err)
	}
	obj, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("copy-dst"), Key: aws.String("video.mp4")})
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(obj.Body)
	obj.Body.Close()
	if err != nil || !bytes.Equal(body, data) {
		t.Fatalf("copy holds %d bytes: %v", len(body), err)
	}
	s.wantLogged(`GET /copy-src/video.mp4 objectstorage:GetObjectTagging`)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestClientsVirtualHostedAddressing(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	c := s.awsClient(true)
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("vhost")}); err != nil {
		t.Fatalf("CreateBucket, virtual-hosted: %v", err)
	}
	for _, key := range []string{"a.txt", "dir/b c.txt", "vpc/v2/createVpc", "_ncplocal/health"} {
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vhost"), Key: aws.String(key), Body: strings.NewReader(key)}); err != nil {
			t.Fatalf("PutObject(%q), virtual-hosted: %v", key, err)
		}
	}
	// Keys that look like gateway or admin paths are keys here.
	for _, key := range []string{"vpc/v2/createVpc", "_ncplocal/health"} {
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("vhost"), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("GetObject(%q): %v", key, err)
		}
		b, _ := io.ReadAll(out.Body)
		out.Body.Close()
		if string(b) != key {
			t.Errorf("GetObject(%q) = %q", key, b)
		}
	}
	// Unsigned, a gateway path on a bucket's host is still Object Storage.
	_, port, _ := net.SplitHostPort(s.addr)
	anon, err := (&http.Client{Transport: s.transport()}).Get("http://vhost.localhost:" + port + "/vpc/v2/createVpc")
	if err != nil {
		t.Fatal(err)
	}
	anonBody, _ := io.ReadAll(anon.Body)
	anon.Body.Close()
	if anon.StatusCode != http.StatusForbidden || !strings.Contains(string(anonBody), "<Code>AccessDenied</Code>") {
		t.Errorf("anonymous GET of a private object, virtual-hosted: %d %s", anon.StatusCode, anonBody)
	}
	list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("vhost"), Delimiter: aws.String("/")})
	if err != nil || len(list.Contents) != 1 || len(list.CommonPrefixes) != 3 {
		t.Fatalf("ListObjectsV2, virtual-hosted: %+v %v", list, err)
	}
	// Path style reaches the same bucket.
	pc := s.awsClient(false)
	if out, err := pc.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("vhost"), Key: aws.String("dir/b c.txt")}); err != nil || aws.ToInt64(out.ContentLength) != 11 {
		t.Fatalf("HeadObject, path style: %v %v", out, err)
	}
	// So does minio-go with DNS-style lookup, and its multipart uploads
	// name the object's virtual-hosted location.
	mc, _ := s.minioClient(minio.BucketLookupDNS)
	data := payload(6 * mib)
	info, err := mc.PutObject(ctx, "vhost", "big", bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{PartSize: 5 * mib})
	if err != nil {
		t.Fatalf("minio-go PutObject, virtual-hosted: %v", err)
	}
	if info.Size != int64(len(data)) {
		t.Errorf("uploaded %d bytes", info.Size)
	}
	objs := 0
	for o := range mc.ListObjects(ctx, "vhost", minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		objs++
	}
	if objs != 5 {
		t.Errorf("minio-go lists %d objects", objs)
	}
	for _, key := range []string{"a.txt", "dir/b c.txt", "vpc/v2/createVpc", "_ncplocal/health", "big"} {
		if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vhost"), Key: aws.String(key)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("vhost")}); err != nil {
		t.Fatalf("DeleteBucket, virtual-hosted: %v", err)
	}
	// The log names the bucket of a virtual-hosted request.
	s.wantLogged(`PUT /vhost/dir/b c.txt objectstorage:PutObject`)
	s.wantLogged(`GET /vhost/_ncplocal/health objectstorage:GetObject`)
	s.wantLogged(`DELETE /vhost/ objectstorage:DeleteBucket`)
	// The bare s3 host is path style: "/" lists the buckets.
	if _, err := pc.ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil {
		t.Errorf("ListBuckets on localhost: %v", err)
	}
}

func TestClientsUnconfiguredSubResources(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	mc, _ := s.minioClient(minio.BucketLookupPath)
	if err := mc.MakeBucket(ctx, "bare", minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	v, err := mc.GetBucketVersioning(ctx, "bare")
	if err != nil || v.Status != "" || v.Enabled() || v.Suspended() {
		t.Errorf("GetBucketVersioning: %+v %v", v, err)
	}
	// minio-go turns NoSuchBucketPolicy into an empty policy, as it does
	// against S3.
	if pol, err := mc.GetBucketPolicy(ctx, "bare"); err != nil || pol != "" {
		t.Errorf("GetBucketPolicy: %q %v", pol, err)
	}
	for name, get := range map[string]func() error{
		wire.CodeNoSuchLifecycleConfiguration: func() error { _, err := mc.GetBucketLifecycle(ctx, "bare"); return err },
		wire.CodeNoSuchTagSet:                 func() error { _, err := mc.GetBucketTagging(ctx, "bare"); return err },
		wire.CodeNoSuchEncryptionConfiguration: func() error {
			_, err := mc.GetBucketEncryption(ctx, "bare")
			return err
		},
	} {
		err := get()
		if resp := minio.ToErrorResponse(err); resp.Code != name || resp.StatusCode != http.StatusNotFound {
			t.Errorf("want %s (404), got %+v", name, resp)
		}
	}
	c := s.awsClient(false)
	_, err = c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: aws.String("bare")})
	if apiCode(err) != wire.CodeNoSuchWebsiteConfiguration {
		t.Errorf("GetBucketWebsite: %v", err)
	}
	_, err = c.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{Bucket: aws.String("bare"),
		LifecycleConfiguration: &types.BucketLifecycleConfiguration{Rules: []types.LifecycleRule{{Status: types.ExpirationStatusEnabled,
			Filter: &types.LifecycleRuleFilter{Prefix: aws.String("")}, Expiration: &types.LifecycleExpiration{Days: aws.Int32(1)}}}}})
	if apiCode(err) != wire.CodeNotImplemented {
		t.Errorf("PutBucketLifecycleConfiguration: %v", err)
	}
	// The log names the operation, not the ListObjects the path alone is.
	s.wantLogged(`GET /bare/ objectstorage:GetBucketVersioning`)
	s.wantLogged(`GET /bare/ objectstorage:GetBucketTagging`)
	s.wantLogged(`PUT /bare objectstorage:PutBucketLifecycleConfiguration`)
}

// expectContinue sends a signed PUT with Expect: 100-continue by hand and
// reports whether the server asked for the body, and its final answer.
func (s *server) expectContinue(path string, body []byte) (continued bool, resp *http.Response) {
	t := s.t
	t.Helper()
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	// A guard against a stalled connection, not a speed target.
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	req, err := http.NewRequest(http.MethodPut, "http://"+s.addr+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = int64(len(body))
	req.Header.Set("Expect", "100-continue")
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Content-Sha256", hash)
	creds := aws.Credentials{AccessKeyID: ncplocal.DefaultCredential.AccessKey, SecretAccessKey: ncplocal.DefaultCredential.SecretKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hash, "s3", wire.DefaultRegion, time.Now()); err != nil {
		t.Fatal(err)
	}
	var head bytes.Buffer
	head.WriteString("PUT " + path + " HTTP/1.1\r\nHost: " + s.addr + "\r\n")
	head.WriteString("Content-Length: " + itoa(int64(len(body))) + "\r\n")
	for k, vs := range req.Header {
		for _, v := range vs {
			head.WriteString(k + ": " + v + "\r\n")
		}
	}
	head.WriteString("\r\n")
	if _, err := conn.Write(head.Bytes()); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	line, err := br.ReadString('\n')
	if err != nil {
		t.Fatalf("no answer to the request head: %v", err)
	}
	if strings.HasPrefix(line, "HTTP/1.1 100 ") {
		if _, err := br.ReadString('\n'); err != nil { // the empty line ending the interim answer
			t.Fatal(err)
		}
		if _, err := conn.Write(body); err != nil {
			t.Fatal(err)
		}
		continued = true
	} else {
		br = bufio.NewReader(io.MultiReader(strings.NewReader(line), br))
	}
	resp, err = http.ReadResponse(br, req)
	if err != nil {
		t.Fatalf("reading the final answer: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return continued, resp
}

func TestExpectContinue(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	ctx := context.Background()
	if _, err := s.awsClient(false).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("expect")}); err != nil {
		t.Fatal(err)
	}
	// An upload the server will take: 100 Continue, then 200.
	continued, resp := s.expectContinue("/expect/obj", []byte("body sent after 100 Continue"))
	if !continued || resp.StatusCode != http.StatusOK {
		t.Fatalf("accepted upload: continued %v, status %d", continued, resp.StatusCode)
	}
	// One refused before its body is read: the final answer at once,
	// without 100 Continue, and the connection closed rather than left
	// waiting for a body nobody will read.
	continued, resp = s.expectContinue("/no-such-bucket/obj", []byte("never sent"))
	if continued || resp.StatusCode != http.StatusNotFound || !resp.Close {
		t.Fatalf("refused upload: continued %v, status %d, close %v", continued, resp.StatusCode, resp.Close)
	}
	got, err := s.awsClient(false).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("expect"), Key: aws.String("obj")})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if string(b) != "body sent after 100 Continue" {
		t.Errorf("stored %q", b)
	}
}
