package objectstorage

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// payload is a request body being read: decoded from aws-chunked when the
// upload streams, and verified (x-amz-content-sha256, Content-MD5, flexible
// checksums, chunk signatures) as it is read. A verification failure is
// returned by Read, as an *s3Error, at the latest in place of io.EOF, so a
// consumer that stops at the first error never commits unverified data.
type payload struct {
	io.Reader
	// size is the decoded length the client declared.
	size int64
	// headerSum is the checksum sent as a header, if any.
	headerSum *objectChecksum
	// chunked decodes an aws-chunked body; it holds the trailing checksum.
	chunked *chunkedReader
	// hasMD5 tells whether Content-MD5 was sent.
	hasMD5 bool
}

// checksum returns the flexible checksum the client sent (header or
// trailer), known once the payload has been read to the end.
func (p *payload) checksum() *objectChecksum {
	if p.headerSum != nil {
		return p.headerSum
	}
	if p.chunked != nil && p.chunked.trailerSum != nil {
		return p.chunked.trailerSum
	}
	return nil
}

// announcedChecksum is the algorithm of the flexible checksum the client
// sends, as a header or an announced trailer, known before the body is
// read; "" when none.
func (p *payload) announcedChecksum() string {
	switch {
	case p.headerSum != nil:
		return p.headerSum.Algorithm
	case p.chunked != nil:
		return p.chunked.trailerAlg
	}
	return ""
}

// hasIntegrityCheck tells whether the client sent Content-MD5 or a flexible
// checksum, which S3 requires for some operations (DeleteObjects, PutBucketCors).
func (p *payload) hasIntegrityCheck() bool {
	return p.hasMD5 || p.headerSum != nil || (p.chunked != nil && len(p.chunked.trailerNames) > 0)
}

// openPayload prepares the request body of r, authenticated as c.
func openPayload(r *http.Request, c *caller) (*payload, error) {
	return openPayloadOf(r, c, true)
}

// openPayloadOf prepares the request body of r, authenticated as c. An
// x-amz-checksum-* header is the checksum of the body only when
// headerChecksums is set: on CompleteMultipartUpload it is the checksum of
// the object the parts make, not of the XML document.
func openPayloadOf(r *http.Request, c *caller, headerChecksums bool) (*payload, error) {
	var hs *objectChecksum
	if headerChecksums {
		var err error
		if hs, err = headerChecksum(r.Header); err != nil {
			return nil, err
		}
	}
	p := &payload{headerSum: hs}
	var checks []digestCheck
	if v := r.Header.Get("Content-MD5"); v != "" {
		want, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(want) != md5.Size {
			return nil, errorf(wire.CodeInvalidDigest, "The Content-MD5 you specified is not valid.")
		}
		p.hasMD5 = true
		checks = append(checks, digestCheck{md5.New(), want, errCode(wire.CodeBadDigest)})
	}
	if hs != nil {
		want, _ := base64.StdEncoding.DecodeString(hs.Value)
		checks = append(checks, digestCheck{checksumAlgorithms[hs.Algorithm].newHash(), want, hs.mismatch()})
	}
	body := io.Reader(r.Body)
	if body == nil {
		body = http.NoBody
	}
	streaming := strings.HasPrefix(c.payloadHash, "STREAMING-")
	if !streaming && strings.Contains(strings.ToLower(r.Header.Get("Content-Encoding")), "aws-chunked") {
		return nil, errorf(wire.CodeInvalidRequest, "Content-Encoding aws-chunked requires a SigV4 x-amz-content-sha256 of %s, %s or %s.",
			streamingSigned, streamingSignedTrailer, streamingUnsignedTrailer)
	}
	switch c.payloadHash {
	case streamingSigned, streamingSignedTrailer, streamingUnsignedTrailer:
		cr, err := newChunkedReader(r, c, hs != nil)
		if err != nil {
			return nil, err
		}
		p.chunked, p.size, body = cr, cr.declared, cr
	default:
		if r.ContentLength < 0 {
			return nil, errCode(wire.CodeMissingContentLength)
		}
		p.size = r.ContentLength
		if isHexSHA256(c.payloadHash) {
			want, _ := hex.DecodeString(c.payloadHash)
			checks = append([]digestCheck{{sha256.New(), want, errCode(wire.CodeXAmzContentSHA256Mismatch)}}, checks...)
		}
	}
	p.Reader = &verifyReader{r: body, checks: checks}
	return p, nil
}

// digestCheck compares the digest of the data read with want at EOF.
type digestCheck struct {
	h        hash.Hash
	want     []byte
	mismatch error
}

// verifyReader feeds what it reads to its checks and reports the first
// failed check in place of io.EOF. Read errors of the connection become
// IncompleteBody.
type verifyReader struct {
	r      io.Reader
	checks []digestCheck
	err    error
}

func (v *verifyReader) Read(p []byte) (int, error) {
	if v.err != nil {
		return 0, v.err
	}
	n, err := v.r.Read(p)
	for _, c := range v.checks {
		c.h.Write(p[:n])
	}
	switch {
	case err == nil:
	case errors.Is(err, io.EOF):
		for _, c := range v.checks {
			if !bytes.Equal(c.h.Sum(nil), c.want) {
				err = c.mismatch
				break
			}
		}
	default:
		var se *s3Error
		if !errors.As(err, &se) {
			err = errorf(wire.CodeIncompleteBody, "The request body ended early or could not be read: %v", err)
		}
	}
	v.err = err
	return n, err
}

// chunkedReader decodes an aws-chunked body:
//
//	<hex size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;chunk-signature=<sig>]\r\n
//	[<trailer name>:<value>\r\n ...][x-amz-trailer-signature:<sig>\r\n]\r\n
//
// verifying the chain of chunk signatures (STREAMING-AWS4-HMAC-SHA256-*),
// the trailer signature, the trailing checksum and the declared decoded
// length.
type chunkedReader struct {
	br            *bufio.Reader
	signed        bool
	signedTrailer bool
	c             *caller
	prevSig       string
	declared      int64
	decoded       int64

	inChunk   bool
	remaining int64
	chunkSig  string
	chunkHash hash.Hash

	// trailerNames are the trailers announced in x-amz-trailer.
	trailerNames []string
	// trailerHash computes the announced trailing checksum.
	trailerHash hash.Hash
	trailerAlg  string
	// trailerSum is the verified trailing checksum.
	trailerSum *objectChecksum
	err        error
}

func newChunkedReader(r *http.Request, c *caller, haveHeaderSum bool) (*chunkedReader, error) {
	dl := r.Header.Get("X-Amz-Decoded-Content-Length")
	if dl == "" {
		return nil, errorf(wire.CodeMissingContentLength, "You must provide the x-amz-decoded-content-length header with an aws-chunked (%s) body.", c.payloadHash)
	}
	declared, err := strconv.ParseInt(dl, 10, 64)
	if err != nil || declared < 0 {
		return nil, errorf(wire.CodeInvalidArgument, "x-amz-decoded-content-length must be a non-negative integer, not %q", dl)
	}
	cr := &chunkedReader{
		br:            bufio.NewReaderSize(r.Body, 4096),
		signed:        c.payloadHash != streamingUnsignedTrailer,
		signedTrailer: c.payloadHash == streamingSignedTrailer,
		c:             c,
		prevSig:       c.seedSignature,
		declared:      declared,
		chunkHash:     sha256.New(),
	}
	if v := r.Header.Get("X-Amz-Trailer"); v != "" {
		for _, n := range strings.Split(v, ",") {
			if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
				cr.trailerNames = append(cr.trailerNames, n)
			}
		}
	}
	trailerMode := c.payloadHash != streamingSigned
	switch {
	case len(cr.trailerNames) > 0 && !trailerMode:
		return nil, errorf(wire.CodeInvalidRequest, "x-amz-trailer requires x-amz-content-sha256 %s or %s", streamingUnsignedTrailer, streamingSignedTrailer)
	case len(cr.trailerNames) > 1:
		return nil, errorf(wire.CodeInvalidRequest, "Expecting a single x-amz-checksum- trailer. Multiple checksum Types are not allowed.")
	case len(cr.trailerNames) == 1:
		cr.trailerAlg = checksumAlgorithmOf(cr.trailerNames[0])
		if cr.trailerAlg == "" {
			return nil, errorf(wire.CodeInvalidRequest, "The trailer %q in x-amz-trailer is not supported; only x-amz-checksum-* trailers are.", cr.trailerNames[0])
		}
		if haveHeaderSum {
			return nil, errorf(wire.CodeInvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
		}
		cr.trailerHash = checksumAlgorithms[cr.trailerAlg].newHash()
	}
	return cr, nil
}

// malformed reports a body that is not valid aws-chunked encoding.
func malformedChunk(detail string) error {
	return errorf(wire.CodeIncompleteBody, "The request body is not valid aws-chunked encoding: %s", detail)
}

func (cr *chunkedReader) Read(p []byte) (int, error) {
	if cr.err != nil {
		return 0, cr.err
	}
	for cr.remaining == 0 {
		if cr.inChunk {
			if err := cr.endChunk(); err != nil {
				cr.err = err
				return 0, err
			}
		}
		final, err := cr.nextChunk()
		if err == nil && final {
			err = cr.finish()
			if err == nil {
				err = io.EOF
			}
		}
		if err != nil {
			cr.err = err
			return 0, err
		}
	}
	if int64(len(p)) > cr.remaining {
		p = p[:cr.remaining]
	}
	n, err := cr.br.Read(p)
	cr.remaining -= int64(n)
	cr.decoded += int64(n)
	cr.chunkHash.Write(p[:n])
	if cr.trailerHash != nil {
		cr.trailerHash.Write(p[:n])
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = malformedChunk("the body ended inside a chunk")
		}
		cr.err = err
	}
	return n, err
}

// readLine reads one CRLF-terminated line and returns it without the CRLF.
func (cr *chunkedReader) readLine() (string, error) {
	return cr.readLineEnding(true)
}

// readLineEnding reads one line and returns it without its end: CRLF, or,
// unless crlf is set, a bare LF too.
func (cr *chunkedReader) readLineEnding(crlf bool) (string, error) {
	line, err := cr.br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return "", malformedChunk("a chunk header or trailer line is too long")
		}
		if errors.Is(err, io.EOF) {
			return "", malformedChunk("the body ended before the final chunk")
		}
		return "", err
	}
	if len(line) >= 2 && line[len(line)-2] == '\r' {
		return string(line[:len(line)-2]), nil
	}
	if crlf {
		return "", malformedChunk("lines must end with CRLF")
	}
	return string(line[:len(line)-1]), nil
}

// nextChunk reads a chunk header; final is true for the zero-length chunk.
func (cr *chunkedReader) nextChunk() (final bool, err error) {
	line, err := cr.readLine()
	if err != nil {
		return false, err
	}
	sizeStr, ext, _ := strings.Cut(line, ";")
	size, perr := strconv.ParseInt(sizeStr, 16, 64)
	if perr != nil || size < 0 {
		return false, malformedChunk("invalid chunk size " + strconv.Quote(sizeStr))
	}
	if size > cr.declared-cr.decoded {
		return false, errorf(wire.CodeIncompleteBody, "The aws-chunked body holds more than the %d bytes declared in x-amz-decoded-content-length.", cr.declared)
	}
	cr.chunkSig = ""
	if cr.signed {
		sig, ok := strings.CutPrefix(ext, "chunk-signature=")
		if !ok || !isHexSHA256(sig) {
			return false, malformedChunk("every chunk must carry chunk-signature=<64 hex digits>")
		}
		cr.chunkSig = strings.ToLower(sig)
	}
	cr.chunkHash.Reset()
	cr.inChunk, cr.remaining = true, size
	if size == 0 {
		cr.inChunk = false
		return true, cr.verifyChunk()
	}
	return false, nil
}

// endChunk reads the CRLF after a chunk's data and checks its signature.
func (cr *chunkedReader) endChunk() error {
	cr.inChunk = false
	var crlf [2]byte
	if _, err := io.ReadFull(cr.br, crlf[:]); err != nil || crlf != [2]byte{'\r', '\n'} {
		return malformedChunk("chunk data must be followed by CRLF")
	}
	return cr.verifyChunk()
}

// verifyChunk checks the signature of the chunk just read.
func (cr *chunkedReader) verifyChunk() error {
	if !cr.signed {
		return nil
	}
	sts := "AWS4-HMAC-SHA256-PAYLOAD\n" + cr.c.amzDate + "\n" + cr.c.scope + "\n" + cr.prevSig + "\n" +
		emptySHA256 + "\n" + hex.EncodeToString(cr.chunkHash.Sum(nil))
	want := hex.EncodeToString(hmacSHA256(cr.c.signingKey, sts))
	if want != cr.chunkSig {
		e := errorf(wire.CodeSignatureDoesNotMatch, "The chunk signature does not match the signature calculated for chunk ending at byte %d.", cr.decoded)
		e.sig = &sigDetail{accessKey: cr.c.account.AccessKey, stringToSign: sts, provided: cr.chunkSig}
		return e
	}
	cr.prevSig = cr.chunkSig
	return nil
}

// finish reads the trailers after the final chunk and checks the trailer
// signature, the trailing checksum and the decoded length.
//
// AWS documents the trailer section as CRLF-terminated lines, the signature
// last, then an empty line:
//
//	x-amz-checksum-crc32c:sOO8/Q==\r\n
//	x-amz-trailer-signature:<sig>\r\n
//	\r\n
//
// minio-go (mc --checksum, uploads of unknown size) ends each trailer with
// the bare LF it signs and puts an empty line before the signature:
//
//	x-amz-checksum-crc32c:sOO8/Q==\n
//	\r\n
//	x-amz-trailer-signature:<sig>\r\n
//	\r\n
//
// and its unsigned-trailer variant ends with two empty lines rather than
// one. All are read; the signed text is "name:value\n" either way.
func (cr *chunkedReader) finish() error {
	trailers := map[string]string{}
	var trailerSig string
	sawSig, skippedBlank := false, false
	for {
		line, err := cr.readLineEnding(false)
		if err != nil {
			return err
		}
		if line == "" {
			// The one empty line minio-go sends between the trailers and
			// their signature.
			if cr.signedTrailer && !sawSig && len(trailers) > 0 && !skippedBlank {
				skippedBlank = true
				continue
			}
			// minio-go's second empty line after unsigned trailers. The
			// body is bounded, so Peek does not wait at its end.
			if next, err := cr.br.Peek(2); err == nil && string(next) == "\r\n" {
				_, _ = cr.br.Discard(2)
			}
			break
		}
		if sawSig {
			return malformedChunk("x-amz-trailer-signature must be the last trailer")
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return malformedChunk("a trailer line must be name:value")
		}
		name, value = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(value)
		if name == "x-amz-trailer-signature" {
			trailerSig, sawSig = strings.ToLower(value), true
			continue
		}
		if skippedBlank {
			return malformedChunk("the trailers must not be split by an empty line")
		}
		trailers[name] = value
	}
	if cr.decoded != cr.declared {
		return errorf(wire.CodeIncompleteBody, "The aws-chunked body holds %d bytes, not the %d declared in x-amz-decoded-content-length.", cr.decoded, cr.declared)
	}
	for name := range trailers {
		if len(cr.trailerNames) == 0 || name != cr.trailerNames[0] {
			return errorf(wire.CodeInvalidRequest, "The trailer %q was not announced in x-amz-trailer.", name)
		}
	}
	for _, name := range cr.trailerNames {
		if _, ok := trailers[name]; !ok {
			return errorf(wire.CodeInvalidRequest, "x-amz-trailer announced %q, but the body carries no such trailer.", name)
		}
	}
	if cr.signedTrailer {
		names := make([]string, 0, len(trailers))
		for n := range trailers {
			names = append(names, n)
		}
		sort.Strings(names)
		var canon strings.Builder
		for _, n := range names {
			canon.WriteString(n + ":" + trailers[n] + "\n")
		}
		sts := "AWS4-HMAC-SHA256-TRAILER\n" + cr.c.amzDate + "\n" + cr.c.scope + "\n" + cr.prevSig + "\n" +
			hexSHA256([]byte(canon.String()))
		if want := hex.EncodeToString(hmacSHA256(cr.c.signingKey, sts)); want != trailerSig {
			e := errorf(wire.CodeSignatureDoesNotMatch, "The trailer signature does not match the signature calculated for the trailing headers.")
			e.sig = &sigDetail{accessKey: cr.c.account.AccessKey, stringToSign: sts, provided: trailerSig}
			return e
		}
	}
	if cr.trailerHash != nil {
		sum := objectChecksum{Algorithm: cr.trailerAlg, Value: trailers[cr.trailerNames[0]]}
		if err := sum.validate(); err != nil {
			return err
		}
		if base64.StdEncoding.EncodeToString(cr.trailerHash.Sum(nil)) != sum.Value {
			return sum.mismatch()
		}
		cr.trailerSum = &sum
	}
	return nil
}
