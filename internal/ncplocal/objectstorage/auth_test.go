package objectstorage

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// TestSigV4DocumentedExample checks verification against the GET Object
// example of the AWS SigV4 documentation (fixed clock, example key).
func TestSigV4DocumentedExample(t *testing.T) {
	t.Parallel()
	clock := time.Date(2013, 5, 24, 0, 5, 0, 0, time.UTC)
	svc := New(emu.Env{
		Now: func() time.Time { return clock },
		LookupKey: func(ak string) (string, emu.Account, bool) {
			if ak == "AKIAIOSFODNN7EXAMPLE" {
				return "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", emu.Account{ID: "example"}, true
			}
			return "", emu.Account{}, false
		},
	})
	svc.buckets["examplebucket"] = &bucket{Name: "examplebucket", Owner: "example", ACL: wire.ACLPrivate,
		Objects: map[string]*object{}, Uploads: map[string]*upload{}}
	r := httptest.NewRequest(http.MethodGet, "/examplebucket/test.txt", nil)
	r.Host = "s3.amazonaws.com"
	r.Header.Set("Range", "bytes=0-9")
	r.Header.Set("X-Amz-Content-Sha256", emptySHA256)
	r.Header.Set("X-Amz-Date", "20130524T000000Z")
	// The documented request is virtual-hosted and signed for us-east-1;
	// the path-style request below is signed with the SDK at the same
	// instant and key for the region this endpoint serves.
	creds := aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, emptySHA256, "s3", wire.DefaultRegion, time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	c, err := svc.authenticate(r, r.URL.Query())
	if err != nil {
		t.Fatalf("SDK-signed request rejected: %v", err)
	}
	if c.account.ID != "example" || c.anonymous {
		t.Errorf("caller = %+v", c)
	}

	// The virtual-hosted documented example, verified by the same
	// signature check.
	doc := httptest.NewRequest(http.MethodGet, "/test.txt", nil)
	doc.Host = "examplebucket.s3.amazonaws.com"
	doc.Header.Set("Range", "bytes=0-9")
	doc.Header.Set("X-Amz-Content-Sha256", emptySHA256)
	doc.Header.Set("X-Amz-Date", "20130524T000000Z")
	cred := credential{accessKey: "AKIAIOSFODNN7EXAMPLE", date: "20130524", region: "us-east-1", service: "s3"}
	key := deriveSigningKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", cred)
	if err := checkV4(doc, doc.URL.Query(), "", []string{"host", "range", "x-amz-content-sha256", "x-amz-date"}, emptySHA256,
		"20130524T000000Z", cred, key, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"); err != nil {
		t.Fatalf("documented example rejected: %v", err)
	}
	// Through authenticate, its region is refused as S3 refuses a scope
	// for another region, naming the expected one.
	doc.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"+
		"SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"+
		"Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
	_, err = svc.authenticate(doc, doc.URL.Query())
	if se := asS3Error(err); err == nil || se.code != wire.CodeAuthorizationHeaderMalformed || se.region != wire.DefaultRegion {
		t.Fatalf("us-east-1 scope: %v", err)
	}
}

func TestAuthErrors(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	mustCreateBucket(t, e.alice(), "auth-bucket")

	_, err := e.client(aliceKey, "wrong-secret").ListBuckets(ctx, &s3.ListBucketsInput{})
	wantAPIError(t, err, wire.CodeSignatureDoesNotMatch, http.StatusForbidden)
	_, err = e.client("AKIDUNKNOWN", "whatever").ListBuckets(ctx, &s3.ListBucketsInput{})
	wantAPIError(t, err, wire.CodeInvalidAccessKeyID, http.StatusForbidden)

	// The scope may name the region or the provider's code for it (§1.2),
	// nothing else.
	_, err = e.client(aliceKey, aliceSecret, func(o *s3.Options) { o.Region = "KR" }).ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatalf("region KR: %v", err)
	}
	for _, region := range []string{"us-east-1", "sg-standard", "kr", "KR-1"} {
		_, err = e.client(aliceKey, aliceSecret, func(o *s3.Options) { o.Region = region }).ListBuckets(ctx, &s3.ListBucketsInput{})
		wantAPIError(t, err, wire.CodeAuthorizationHeaderMalformed, http.StatusBadRequest)
	}
	wrongRegion := e.signedRequest(http.MethodGet, "/", nil, nil)
	wrongRegion.Header.Set("Authorization", strings.Replace(wrongRegion.Header.Get("Authorization"), "/KR/", "/eu-west-1/", 1))
	resp, body := e.do(wrongRegion)
	if se := wantRawError(t, resp, body, wire.CodeAuthorizationHeaderMalformed, http.StatusBadRequest); se.Region != wire.DefaultRegion ||
		!strings.Contains(se.Message, `'eu-west-1'`) {
		t.Errorf("wrong region answer: %+v", se)
	}
	presigned, err := s3.NewPresignClient(e.client(aliceKey, aliceSecret, func(o *s3.Options) { o.Region = "us-east-1" })).
		PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("auth-bucket"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	presignedReq, _ := http.NewRequest(http.MethodGet, presigned.URL, nil)
	resp, body = e.do(presignedReq)
	wantRawError(t, resp, body, wire.CodeAuthorizationQueryParamsError, http.StatusBadRequest)

	// The signature error explains what was signed.
	req := e.signedRequest(http.MethodGet, "/auth-bucket", nil, nil)
	req.URL.RawQuery = "prefix=tampered"
	resp, body = e.do(req)
	se := wantRawError(t, resp, body, wire.CodeSignatureDoesNotMatch, http.StatusForbidden)
	if !strings.Contains(se.CanonicalRequest, "prefix=tampered") || se.AWSAccessKeyID != aliceKey || se.StringToSign == "" {
		t.Errorf("signature error details: %+v", se)
	}

	for _, tc := range []struct {
		name, authz string
		code        string
		status      int
	}{
		{"garbage v4", "AWS4-HMAC-SHA256 garbage", wire.CodeAuthorizationHeaderMalformed, http.StatusBadRequest},
		{"bad service", "AWS4-HMAC-SHA256 Credential=" + aliceKey + "/20240101/kr-standard/ec2/aws4_request, SignedHeaders=host, Signature=00", wire.CodeAuthorizationHeaderMalformed, http.StatusBadRequest},
		{"unknown scheme", "Bearer abc", wire.CodeInvalidArgument, http.StatusBadRequest},
		{"bad v2", "AWS no-colon", wire.CodeInvalidArgument, http.StatusBadRequest},
	} {
		r, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/", nil)
		r.Header.Set("Authorization", tc.authz)
		r.Header.Set("X-Amz-Date", time.Now().UTC().Format(amzDateFormat))
		r.Header.Set("X-Amz-Content-Sha256", emptySHA256)
		resp, body := e.do(r)
		if resp.StatusCode != tc.status || decodeError(t, body).Code != tc.code {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
		}
	}
	// x-amz-content-sha256 is required with SigV4.
	r, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/", nil)
	creds := aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}
	if err := v4.NewSigner().SignHTTP(ctx, creds, r, emptySHA256, "s3", "kr-standard", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, body = e.do(r)
	wantRawError(t, resp, body, wire.CodeInvalidRequest, http.StatusBadRequest)
}

// TestUnsignedAmzHeaders checks that a header-signed SigV4 request must sign
// every x-amz-* header it carries, as S3 requires, while the SDK (which signs
// them all) keeps working with metadata and a canned ACL.
func TestUnsignedAmzHeaders(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	ctx := context.Background()
	alice := e.alice()
	mustCreateBucket(t, alice, "unsigned-bucket")

	// aws-sdk-go-v2 signs x-amz-meta-*, x-amz-acl and x-amz-content-sha256.
	if _, err := alice.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String("unsigned-bucket"), Key: aws.String("sdk"), Body: bytes.NewReader([]byte("hello")),
		Metadata: map[string]string{"color": "blue", "owner-team": "infra"},
		ACL:      types.ObjectCannedACLPublicRead,
	}); err != nil {
		t.Fatalf("SDK PutObject with metadata and ACL: %v", err)
	}
	head, err := alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("unsigned-bucket"), Key: aws.String("sdk")})
	if err != nil || head.Metadata["color"] != "blue" || head.Metadata["owner-team"] != "infra" {
		t.Fatalf("HeadObject: %v %+v", err, head)
	}

	// Signed over host;x-amz-content-sha256;x-amz-date (and content-length),
	// then given an unsigned x-amz-acl: refused, nothing stored.
	req := e.signedRequest(http.MethodPut, "/unsigned-bucket/hand", []byte("data"), nil)
	if authz := req.Header.Get("Authorization"); !strings.Contains(authz, "SignedHeaders=content-length;host;x-amz-content-sha256;x-amz-date,") {
		t.Fatalf("unexpected signed headers: %s", authz)
	}
	req.Header.Set("X-Amz-Acl", "public-read-write")
	req.Header.Set("X-Amz-Meta-Extra", "1")
	resp, body := e.do(req)
	se := wantRawError(t, resp, body, wire.CodeAccessDenied, http.StatusForbidden)
	if !strings.Contains(se.Message, "headers present in the request which were not signed") || !strings.Contains(se.Message, "x-amz-acl, x-amz-meta-extra") {
		t.Errorf("message: %q", se.Message)
	}
	if _, err := alice.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("unsigned-bucket"), Key: aws.String("hand")}); err == nil {
		t.Error("the refused PUT stored the object")
	}

	// The same request with the header signed is accepted; X-Amzn-Trace-Id,
	// which the SDKs never sign, is not an x-amz-* header.
	req = e.signedRequest(http.MethodPut, "/unsigned-bucket/hand", []byte("data"), http.Header{"X-Amz-Acl": {"public-read-write"}})
	req.Header.Set("X-Amzn-Trace-Id", "Root=1-abc")
	if resp, body := e.do(req); resp.StatusCode != http.StatusOK {
		t.Fatalf("signed x-amz-acl: %d %s", resp.StatusCode, body)
	}
}

func TestRequestTimeTooSkewed(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.clock.Advance(20 * time.Minute)
	_, err := e.alice().ListBuckets(context.Background(), &s3.ListBucketsInput{})
	wantAPIError(t, err, wire.CodeRequestTimeTooSkewed, http.StatusForbidden)
	e.clock.Advance(-40 * time.Minute)
	_, err = e.alice().ListBuckets(context.Background(), &s3.ListBucketsInput{})
	wantAPIError(t, err, wire.CodeRequestTimeTooSkewed, http.StatusForbidden)
	e.clock.Advance(30 * time.Minute) // 10 minutes off: within the 15 allowed
	if _, err := e.alice().ListBuckets(context.Background(), &s3.ListBucketsInput{}); err != nil {
		t.Fatalf("10 minutes of skew: %v", err)
	}
}

func TestPresignedURLs(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "presigned")
	ctx := context.Background()
	mustPut(t, alice, "presigned", "dir/report 1.txt", []byte("presigned body"))
	ps := s3.NewPresignClient(alice)

	get, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("presigned"), Key: aws.String("dir/report 1.txt")},
		s3.WithPresignExpires(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := e.srv.Client().Get(get.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "presigned body" {
		t.Fatalf("presigned GET: %d %s", resp.StatusCode, body)
	}
	// A tampered presigned URL fails.
	resp, err = e.srv.Client().Get(strings.Replace(get.URL, "report", "rEport", 1))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	wantRawError(t, resp, body, wire.CodeSignatureDoesNotMatch, http.StatusForbidden)

	put, err := ps.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("presigned"), Key: aws.String("uploaded")})
	if err != nil {
		t.Fatal(err)
	}
	preq, _ := http.NewRequest(put.Method, put.URL, strings.NewReader("via presigned put"))
	for k, vs := range put.SignedHeader {
		if k != "Host" {
			preq.Header[k] = vs
		}
	}
	resp, body = e.do(preq)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("presigned PUT: %d %s", resp.StatusCode, body)
	}
	if got := string(mustGet(t, alice, "presigned", "uploaded")); got != "via presigned put" {
		t.Errorf("presigned PUT stored %q", got)
	}

	// Past its expiry the URL is refused.
	e.clock.Advance(2 * time.Minute)
	resp, err = e.srv.Client().Get(get.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	er := wantRawError(t, resp, body, wire.CodeAccessDenied, http.StatusForbidden)
	if !strings.Contains(er.Message, "expired") {
		t.Errorf("expiry message: %q", er.Message)
	}

	u, _ := url.Parse(get.URL)
	q := u.Query()
	q.Set("X-Amz-Expires", "604801")
	u.RawQuery = q.Encode()
	resp, body = e.do(mustRequest(t, http.MethodGet, u.String()))
	wantRawError(t, resp, body, wire.CodeAuthorizationQueryParamsError, http.StatusBadRequest)
}

func mustRequest(t *testing.T, method, u string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// streamingUpload describes a hand-built aws-chunked PUT.
type streamingUpload struct {
	mode   string   // x-amz-content-sha256
	chunks [][]byte // data chunks (the final empty chunk is added)
	// trailer is the x-amz-checksum-crc32 trailer value ("" for none).
	trailer string
	// declared overrides x-amz-decoded-content-length when non-negative.
	declared int
	// tamper changes the encoded body after signing.
	tamper func([]byte) []byte
	// badTrailerSig replaces the trailer signature.
	badTrailerSig bool
	// minio frames the trailers as minio-go does: each ended by a bare LF,
	// then an empty line, the signature (if signed) and an empty line; or
	// two empty lines after unsigned trailers.
	minio bool
}

// streamingRequest builds the request per the SigV4 streaming spec: the seed
// signature from the SDK signer, chunk signatures from the SDK stream signer
// (same string to sign, AWS4-HMAC-SHA256-PAYLOAD), and the trailer signature
// by hand (AWS4-HMAC-SHA256-TRAILER).
func (e *testEnv) streamingRequest(path string, su streamingUpload) *http.Request {
	t := e.t
	t.Helper()
	const region = "kr-standard"
	now := time.Now().UTC()
	signed := su.mode != streamingUnsignedTrailer
	total := 0
	for _, c := range su.chunks {
		total += len(c)
	}
	trailerLines := ""
	if su.trailer != "" {
		trailerLines = "x-amz-checksum-crc32:" + su.trailer + "\r\n"
		if su.minio {
			trailerLines = "x-amz-checksum-crc32:" + su.trailer + "\n\r\n"
		}
	}
	encode := func(sigs []string, trailerSig string) []byte {
		var b bytes.Buffer
		for i, c := range append(su.chunks, nil) {
			fmt.Fprintf(&b, "%x", len(c))
			if signed {
				b.WriteString(";chunk-signature=" + sigs[i])
			}
			b.WriteString("\r\n")
			if len(c) > 0 {
				b.Write(c)
				b.WriteString("\r\n")
			}
		}
		b.WriteString(trailerLines)
		if su.mode == streamingSignedTrailer {
			b.WriteString("x-amz-trailer-signature:" + trailerSig + "\r\n")
		} else if su.minio {
			b.WriteString("\r\n")
		}
		b.WriteString("\r\n")
		return b.Bytes()
	}
	placeholder := make([]string, len(su.chunks)+1)
	for i := range placeholder {
		placeholder[i] = strings.Repeat("0", 64)
	}
	length := len(encode(placeholder, strings.Repeat("0", 64)))

	req, err := http.NewRequest(http.MethodPut, e.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	declared := total
	if su.declared >= 0 {
		declared = su.declared
	}
	req.ContentLength = int64(length)
	req.Header.Set("Content-Encoding", "aws-chunked")
	req.Header.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(declared))
	req.Header.Set("X-Amz-Content-Sha256", su.mode)
	if su.trailer != "" {
		req.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32")
	}
	creds := aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, su.mode, "s3", region, now); err != nil {
		t.Fatal(err)
	}
	seedHex := req.Header.Get("Authorization")[strings.LastIndex(req.Header.Get("Authorization"), "Signature=")+len("Signature="):]
	seed, _ := hex.DecodeString(seedHex)
	sigs := make([]string, 0, len(su.chunks)+1)
	prev := seedHex
	if signed {
		ss := v4.NewStreamSigner(creds, "s3", region, seed)
		for _, c := range append(su.chunks, nil) {
			sig, err := ss.GetSignature(context.Background(), nil, c, now)
			if err != nil {
				t.Fatal(err)
			}
			prev = hex.EncodeToString(sig)
			sigs = append(sigs, prev)
		}
	}
	trailerSig := ""
	if su.mode == streamingSignedTrailer {
		key := []byte("AWS4" + aliceSecret)
		for _, part := range []string{now.Format("20060102"), region, "s3", "aws4_request"} {
			key = hmacSum(key, part)
		}
		canon := sha256.Sum256([]byte("x-amz-checksum-crc32:" + su.trailer + "\n"))
		sts := "AWS4-HMAC-SHA256-TRAILER\n" + now.Format(amzDateFormat) + "\n" +
			now.Format("20060102") + "/" + region + "/s3/aws4_request\n" + prev + "\n" + hex.EncodeToString(canon[:])
		trailerSig = hex.EncodeToString(hmacSum(key, sts))
		if su.badTrailerSig {
			trailerSig = strings.Repeat("ab", 32)
		}
	}
	body := encode(sigs, trailerSig)
	if len(body) != length {
		t.Fatalf("encoded length %d, announced %d", len(body), length)
	}
	if su.tamper != nil {
		body = su.tamper(body)
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	return req
}

func hmacSum(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func crc32B64(b []byte) string {
	var sum [4]byte
	v := crc32.ChecksumIEEE(b)
	sum[0], sum[1], sum[2], sum[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	return base64.StdEncoding.EncodeToString(sum[:])
}

func TestStreamingUploads(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, withDataDir(t.TempDir()))
	alice := e.alice()
	mustCreateBucket(t, alice, "streaming")
	chunks := [][]byte{bytes.Repeat([]byte("a"), 65536), bytes.Repeat([]byte("b"), 65536), []byte("tail")}
	all := bytes.Join(chunks, nil)

	for _, tc := range []struct {
		name   string
		su     streamingUpload
		code   string
		status int
	}{
		{"signed chunks", streamingUpload{mode: streamingSigned, chunks: chunks, declared: -1}, "", http.StatusOK},
		{"signed chunks with trailer", streamingUpload{mode: streamingSignedTrailer, chunks: chunks, trailer: crc32B64(all), declared: -1}, "", http.StatusOK},
		{"unsigned with trailer", streamingUpload{mode: streamingUnsignedTrailer, chunks: chunks, trailer: crc32B64(all), declared: -1}, "", http.StatusOK},
		{"minio signed trailer", streamingUpload{mode: streamingSignedTrailer, chunks: chunks, trailer: crc32B64(all), declared: -1, minio: true}, "", http.StatusOK},
		{"minio unsigned trailer", streamingUpload{mode: streamingUnsignedTrailer, chunks: chunks, trailer: crc32B64(all), declared: -1, minio: true}, "", http.StatusOK},
		{"minio bad trailer signature", streamingUpload{mode: streamingSignedTrailer, chunks: chunks, trailer: crc32B64(all), declared: -1, minio: true, badTrailerSig: true},
			wire.CodeSignatureDoesNotMatch, http.StatusForbidden},
		{"minio wrong trailing checksum", streamingUpload{mode: streamingSignedTrailer, chunks: chunks, trailer: crc32B64([]byte("other")), declared: -1, minio: true},
			wire.CodeBadDigest, http.StatusBadRequest},
		{"trailer after its signature", streamingUpload{mode: streamingSignedTrailer, chunks: chunks, trailer: crc32B64(all), declared: -1, tamper: func(b []byte) []byte {
			// Swap the checksum and the signature lines (same length).
			i := bytes.Index(b, []byte("x-amz-checksum-crc32:"))
			lines := bytes.SplitN(b[i:], []byte("\r\n"), 3)
			return append(b[:i:i], bytes.Join([][]byte{lines[1], lines[0], lines[2]}, []byte("\r\n"))...)
		}}, wire.CodeIncompleteBody, http.StatusBadRequest},
		{"tampered chunk", streamingUpload{mode: streamingSigned, chunks: chunks, declared: -1, tamper: func(b []byte) []byte {
			i := bytes.Index(b, bytes.Repeat([]byte("b"), 100))
			b[i+50] = 'c'
			return b
		}}, wire.CodeSignatureDoesNotMatch, http.StatusForbidden},
		{"bad trailer signature", streamingUpload{mode: streamingSignedTrailer, chunks: chunks, trailer: crc32B64(all), declared: -1, badTrailerSig: true},
			wire.CodeSignatureDoesNotMatch, http.StatusForbidden},
		{"wrong trailing checksum", streamingUpload{mode: streamingUnsignedTrailer, chunks: chunks, trailer: crc32B64([]byte("other")), declared: -1},
			wire.CodeBadDigest, http.StatusBadRequest},
		{"decoded length too small", streamingUpload{mode: streamingSigned, chunks: chunks, declared: 100}, wire.CodeIncompleteBody, http.StatusBadRequest},
		{"decoded length too large", streamingUpload{mode: streamingSigned, chunks: chunks, declared: len(all) + 1}, wire.CodeIncompleteBody, http.StatusBadRequest},
		{"garbage framing", streamingUpload{mode: streamingUnsignedTrailer, chunks: chunks, trailer: crc32B64(all), declared: -1, tamper: func(b []byte) []byte {
			// Same length, so the request stays well-formed HTTP.
			return bytes.Replace(b, []byte("\r\n"), []byte("\n\n"), 1)
		}}, wire.CodeIncompleteBody, http.StatusBadRequest},
	} {
		key := strings.ReplaceAll(tc.name, " ", "-")
		resp, body := e.do(e.streamingRequest("/streaming/"+key, tc.su))
		if tc.code == "" {
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
				continue
			}
			if got := mustGet(t, alice, "streaming", key); !bytes.Equal(got, all) {
				t.Errorf("%s: stored %d bytes", tc.name, len(got))
			}
			if resp.Header.Get("ETag") != `"`+md5Hex(all)+`"` {
				t.Errorf("%s: ETag %s", tc.name, resp.Header.Get("ETag"))
			}
			continue
		}
		wantRawError(t, resp, body, tc.code, tc.status)
		_, err := alice.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("streaming"), Key: aws.String(key)})
		wantStatus(t, err, http.StatusNotFound)
	}
	if n := countFiles(t, e.svc.dir+"/"+tmpDirName); n != 0 {
		t.Errorf("%d temporary files left after failed uploads", n)
	}
}

// signV2 signs a request with Signature Version 2 per the S3 spec.
func signV2(r *http.Request, resource, dateLine string) string {
	var amz []string
	for k, vs := range r.Header {
		if l := strings.ToLower(k); strings.HasPrefix(l, "x-amz-") {
			amz = append(amz, l+":"+strings.Join(vs, ","))
		}
	}
	sortStrings(amz)
	sts := r.Method + "\n" + r.Header.Get("Content-MD5") + "\n" + r.Header.Get("Content-Type") + "\n" + dateLine + "\n"
	for _, h := range amz {
		sts += h + "\n"
	}
	sts += resource
	m := hmac.New(sha1.New, []byte(aliceSecret))
	m.Write([]byte(sts))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestSigV2(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	mustCreateBucket(t, e.alice(), "sigv2")
	body := []byte("signed the old way")
	put, _ := http.NewRequest(http.MethodPut, e.srv.URL+"/sigv2/old%20style.txt", bytes.NewReader(body))
	date := e.clock.Now().UTC().Format(http.TimeFormat)
	put.Header.Set("Date", date)
	put.Header.Set("Content-Type", "text/plain")
	put.Header.Set("Content-MD5", contentMD5(body))
	put.Header.Set("X-Amz-Meta-Style", "v2")
	put.Header.Set("Authorization", "AWS "+aliceKey+":"+signV2(put, "/sigv2/old%20style.txt", date))
	resp, rb := e.do(put)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("SigV2 PUT: %d %s", resp.StatusCode, rb)
	}
	if got := string(mustGet(t, e.alice(), "sigv2", "old style.txt")); got != string(body) {
		t.Errorf("stored %q", got)
	}

	// Sub-resources are part of the signed resource.
	acl, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/sigv2?acl", nil)
	acl.Header.Set("X-Amz-Date", date)
	acl.Header.Set("Authorization", "AWS "+aliceKey+":"+signV2(acl, "/sigv2?acl", ""))
	resp, rb = e.do(acl)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(rb), "AccessControlPolicy") {
		t.Errorf("SigV2 GET ?acl: %d %s", resp.StatusCode, rb)
	}

	// s3cmd sends x-amz-date as RFC 1123 with a numeric zone.
	numeric, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/sigv2?acl", nil)
	numeric.Header.Set("X-Amz-Date", e.clock.Now().UTC().Format(time.RFC1123Z))
	numeric.Header.Set("Authorization", "AWS "+aliceKey+":"+signV2(numeric, "/sigv2?acl", ""))
	resp, rb = e.do(numeric)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("SigV2 with an RFC 1123Z x-amz-date: %d %s", resp.StatusCode, rb)
	}

	bad, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/sigv2/old%20style.txt", nil)
	bad.Header.Set("Date", date)
	bad.Header.Set("Authorization", "AWS "+aliceKey+":"+signV2(bad, "/sigv2/other", date))
	resp, rb = e.do(bad)
	wantRawError(t, resp, rb, wire.CodeSignatureDoesNotMatch, http.StatusForbidden)

	// Query-string SigV2, and its expiry.
	expires := strconv.FormatInt(e.clock.Now().Add(time.Minute).Unix(), 10)
	get, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/sigv2/old%20style.txt", nil)
	sig := signV2(get, "/sigv2/old%20style.txt", expires)
	get.URL.RawQuery = "AWSAccessKeyId=" + aliceKey + "&Expires=" + expires + "&Signature=" + url.QueryEscape(sig)
	resp, rb = e.do(get)
	if resp.StatusCode != http.StatusOK || string(rb) != string(body) {
		t.Errorf("SigV2 query GET: %d %s", resp.StatusCode, rb)
	}
	e.clock.Advance(2 * time.Minute)
	resp, rb = e.do(get)
	wantRawError(t, resp, rb, wire.CodeAccessDenied, http.StatusForbidden)
}
