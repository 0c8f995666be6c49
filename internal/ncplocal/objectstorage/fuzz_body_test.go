package objectstorage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// chunkedModes are the x-amz-content-sha256 values of aws-chunked uploads.
var chunkedModes = []string{streamingSigned, streamingSignedTrailer, streamingUnsignedTrailer}

// fuzzSeedSig is the seed signature the chunk signatures of the fuzz
// targets chain from (any 64 hex digits do: the chain starts there).
const fuzzSeedSig = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"

// fuzzCaller is the SigV4 context of a streaming upload by alice at fuzzNow.
func fuzzCaller(mode string) *caller {
	cred := credential{accessKey: aliceKey, date: fuzzNow.Format("20060102"), region: wire.DefaultRegion, service: signingService}
	return &caller{
		account:       emu.Account{ID: aliceID, AccessKey: aliceKey},
		payloadHash:   mode,
		signingKey:    deriveSigningKey(aliceSecret, cred),
		amzDate:       fuzzNow.Format(amzDateFormat),
		scope:         cred.scope(),
		seedSignature: fuzzSeedSig,
	}
}

// encodeChunked frames data as aws-chunked in chunks of size (the last one
// shorter), signing the chunks with the AWS SDK's stream signer and the
// trailer as the SigV4 streaming spec says; every mode but signed-without-
// trailer carries an x-amz-checksum-crc32 trailer.
func encodeChunked(t *testing.T, mode string, data []byte, size int) (body []byte, trailer bool) {
	t.Helper()
	var chunks [][]byte
	for rest := data; len(rest) > 0; {
		n := min(size, len(rest))
		chunks, rest = append(chunks, rest[:n]), rest[n:]
	}
	chunks = append(chunks, nil)
	seed, _ := hex.DecodeString(fuzzSeedSig)
	ss := v4.NewStreamSigner(aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}, "s3", wire.DefaultRegion, seed)
	prev := fuzzSeedSig
	var b bytes.Buffer
	for _, c := range chunks {
		fmt.Fprintf(&b, "%x", len(c))
		if mode != streamingUnsignedTrailer {
			sig, err := ss.GetSignature(context.Background(), nil, c, fuzzNow)
			if err != nil {
				t.Fatal(err)
			}
			prev = hex.EncodeToString(sig)
			b.WriteString(";chunk-signature=" + prev)
		}
		b.WriteString("\r\n")
		if len(c) > 0 {
			b.Write(c)
			b.WriteString("\r\n")
		}
	}
	if mode == streamingSigned {
		b.WriteString("\r\n")
		return b.Bytes(), false
	}
	line := "x-amz-checksum-crc32:" + crc32B64(data)
	b.WriteString(line + "\r\n")
	if mode == streamingSignedTrailer {
		c := fuzzCaller(mode)
		canon := sha256.Sum256([]byte(line + "\n"))
		sts := "AWS4-HMAC-SHA256-TRAILER\n" + c.amzDate + "\n" + c.scope + "\n" + prev + "\n" + hex.EncodeToString(canon[:])
		b.WriteString("x-amz-trailer-signature:" + hex.EncodeToString(hmacSum(c.signingKey, sts)) + "\r\n")
	}
	b.WriteString("\r\n")
	return b.Bytes(), true
}

// decodeChunked reads body as the service reads an aws-chunked upload.
func decodeChunked(mode string, body []byte, declared string, trailer bool) ([]byte, *payload, error) {
	r := httptest.NewRequest(http.MethodPut, "/bucket/key", bytes.NewReader(body))
	r.Header.Set("Content-Encoding", "aws-chunked")
	r.Header.Set("X-Amz-Content-Sha256", mode)
	r.Header.Set("X-Amz-Decoded-Content-Length", declared)
	if trailer {
		r.Header.Set("X-Amz-Trailer", "x-amz-checksum-crc32")
	}
	p, err := openPayload(r, fuzzCaller(mode))
	if err != nil {
		return nil, nil, err
	}
	got, err := io.ReadAll(p)
	return got, p, err
}

// FuzzChunkedRoundTrip frames data as aws-chunked in every mode (signed
// chunks, signed chunks with a signed trailer, unsigned chunks with a
// checksum trailer) and checks that it decodes to data with its trailing
// checksum; then it changes one byte of the framed body and checks that
// the change is refused with a 4xx S3 error or, when it is one the
// encoding allows (the case of a hex digit), still decodes to data:
// a body that passes verification is the body that was signed.
func FuzzChunkedRoundTrip(f *testing.F) {
	f.Add([]byte("hello, chunked world"), uint16(8), uint8(0), uint32(0), byte(0))
	f.Add([]byte("hello, chunked world"), uint16(8), uint8(1), uint32(30), byte(1))
	f.Add([]byte("hello, chunked world"), uint16(3), uint8(2), uint32(3), byte('\r'^'x'))
	f.Add([]byte(""), uint16(1), uint8(1), uint32(0), byte(0))
	f.Add([]byte(""), uint16(1), uint8(2), uint32(5), byte(0x20))
	f.Add(bytes.Repeat([]byte("a"), 9000), uint16(8192), uint8(0), uint32(8300), byte(2))
	f.Add(bytes.Repeat([]byte("ab"), 300), uint16(64), uint8(1), uint32(1000), byte(0x20))
	f.Fuzz(func(t *testing.T, data []byte, size uint16, mode uint8, pos uint32, mask byte) {
		if size == 0 || len(data) > 1<<14 {
			return
		}
		// At most 64 chunks keep an input fast (each is signed and hashed).
		size = max(size, uint16((len(data)+63)/64))
		m := chunkedModes[int(mode)%len(chunkedModes)]
		body, trailer := encodeChunked(t, m, data, int(size))
		declared := strconv.Itoa(len(data))
		got, p, err := decodeChunked(m, body, declared, trailer)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%s, %d-byte chunks: decoded %.80q (%d bytes), %v; want %.80q (%d bytes)", m, size, got, len(got), err, data, len(data))
		}
		if trailer && (p.checksum() == nil || p.checksum().Value != crc32B64(data)) {
			t.Fatalf("%s: trailing checksum %+v", m, p.checksum())
		}
		if mask == 0 {
			return
		}
		tampered := bytes.Clone(body)
		tampered[int(pos)%len(tampered)] ^= mask
		got, _, err = decodeChunked(m, tampered, declared, trailer)
		if err != nil {
			wantRefusal(t, "tampered aws-chunked body", err)
			return
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("%s: byte %d changed by %#x: accepted as %.80q, want a refusal (signed %.80q)", m, int(pos)%len(tampered), mask, got, data)
		}
	})
}

// FuzzChunkedDecode feeds arbitrary bodies and headers to the aws-chunked
// decoder: it never panics, never yields more than the declared decoded
// length, and either ends with exactly that length or refuses the body
// with a 4xx S3 error.
func FuzzChunkedDecode(f *testing.F) {
	for _, seed := range []struct {
		body     string
		mode     uint8
		declared string
		trailer  bool
	}{
		{"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n", 2, "5", true},
		{"5\r\nhello\r\n0\r\n\r\n", 2, "5", false},
		{"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\n\r\n\r\n", 2, "5", true},
		{"5;chunk-signature=" + fuzzSeedSig + "\r\nhello\r\n0;chunk-signature=" + fuzzSeedSig + "\r\n\r\n", 0, "5", false},
		{"ffffffffffffffff\r\n", 2, "5", false},
		{"7fffffffffffffff\r\nx", 2, "9223372036854775807", false},
		{"-1\r\n", 2, "0", false},
		{"0\r\n", 2, "0", false},
		{"0\r\n\r\n\r\n", 2, "0", false},
		{"5\r\nhel", 2, "5", false},
		{"5\r\nhelloXX0\r\n\r\n", 2, "5", false},
		{"0\r\nx-amz-trailer-signature:00\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n", 1, "0", true},
		{"0;chunk-signature=zz\r\n\r\n", 1, "0", false},
		{"\n", 2, "-1", false},
		{"0\r\n:\r\n\r\n", 2, "0", false},
	} {
		f.Add([]byte(seed.body), seed.mode, seed.declared, seed.trailer)
	}
	f.Fuzz(func(t *testing.T, body []byte, mode uint8, declared string, trailer bool) {
		m := chunkedModes[int(mode)%len(chunkedModes)]
		got, _, err := decodeChunked(m, body, declared, trailer && m != streamingSigned)
		n, perr := strconv.ParseInt(declared, 10, 64)
		if perr == nil && n >= 0 && int64(len(got)) > n {
			t.Fatalf("decoded %d bytes, more than the %d declared", len(got), n)
		}
		if err != nil {
			wantRefusal(t, "aws-chunked body", err)
			return
		}
		if perr != nil || int64(len(got)) != n {
			t.Fatalf("accepted %d bytes with x-amz-decoded-content-length %q", len(got), declared)
		}
	})
}
