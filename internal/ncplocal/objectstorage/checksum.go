package objectstorage

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"net/http"
	"strings"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// checksumHeaderPrefix starts the headers (and trailers) carrying a flexible
// checksum of the payload, e.g. x-amz-checksum-crc32.
const checksumHeaderPrefix = "x-amz-checksum-"

var (
	castagnoli = crc32.MakeTable(crc32.Castagnoli)
	// nvme is the reflected CRC-64/NVME polynomial.
	nvme = crc64.MakeTable(0x9a6c9329ac4bc9b5)
)

// checksumAlgorithms maps the lowercase algorithm name used in header names
// to its hash. Sums are big-endian, as S3 encodes them (base64).
var checksumAlgorithms = map[string]struct {
	display string
	size    int
	newHash func() hash.Hash
}{
	"crc32":     {"CRC32", 4, func() hash.Hash { return crc32.NewIEEE() }},
	"crc32c":    {"CRC32C", 4, func() hash.Hash { return crc32.New(castagnoli) }},
	"crc64nvme": {"CRC64NVME", 8, func() hash.Hash { return crc64.New(nvme) }},
	"sha1":      {"SHA1", sha1.Size, sha1.New},
	"sha256":    {"SHA256", sha256.Size, sha256.New},
}

// objectChecksum is a flexible checksum a client supplied with an upload.
type objectChecksum struct {
	// Algorithm is the lowercase name ("crc32", "sha256", ...).
	Algorithm string `json:"algorithm"`
	// Value is the base64 encoded sum.
	Value string `json:"value"`
}

// headerName is the header carrying the checksum.
func (c objectChecksum) headerName() string { return checksumHeaderPrefix + c.Algorithm }

// checksumAlgorithmOf returns the algorithm of a checksum header name, or ""
// when name is not one (x-amz-checksum-mode, -type and -algorithm are not).
func checksumAlgorithmOf(name string) string {
	l := strings.ToLower(name)
	if !strings.HasPrefix(l, checksumHeaderPrefix) {
		return ""
	}
	alg := strings.TrimPrefix(l, checksumHeaderPrefix)
	if _, ok := checksumAlgorithms[alg]; ok {
		return alg
	}
	return ""
}

// headerChecksum returns the single flexible checksum sent as a header, if
// any, validated for form.
func headerChecksum(h http.Header) (*objectChecksum, error) {
	var found []objectChecksum
	for name, vs := range h {
		if alg := checksumAlgorithmOf(name); alg != "" && len(vs) > 0 {
			found = append(found, objectChecksum{Algorithm: alg, Value: vs[0]})
		}
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
	default:
		return nil, errorf(wire.CodeInvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
	}
	c := found[0]
	if err := c.validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// validate checks that the value is base64 of the algorithm's sum size.
func (c objectChecksum) validate() error {
	alg := checksumAlgorithms[c.Algorithm]
	b, err := base64.StdEncoding.DecodeString(c.Value)
	if err != nil || len(b) != alg.size {
		return errorf(wire.CodeInvalidRequest, "Value for %s header is invalid.", c.headerName())
	}
	return nil
}

// mismatch is the error of a checksum that did not match the data.
func (c objectChecksum) mismatch() error {
	return errorf(wire.CodeBadDigest, "The %s you specified did not match the calculated checksum.",
		checksumAlgorithms[c.Algorithm].display)
}
