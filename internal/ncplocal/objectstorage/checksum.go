package objectstorage

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"net/http"
	"strconv"
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

// objectChecksum is the flexible checksum of an object or a part: the one a
// client supplied with an upload, or the one computed for a multipart
// upload created with x-amz-checksum-algorithm.
type objectChecksum struct {
	// Algorithm is the lowercase name ("crc32", "sha256", ...).
	Algorithm string `json:"algorithm"`
	// Value is the base64 encoded sum.
	Value string `json:"value"`
	// Parts is the part count of a composite checksum (the checksum of the
	// part checksums, S3's COMPOSITE type); 0 for a checksum of the whole
	// body (FULL_OBJECT).
	Parts int `json:"parts,omitempty"`
}

// headerName is the header carrying the checksum.
func (c objectChecksum) headerName() string { return checksumHeaderPrefix + c.Algorithm }

// headerValue is the checksum as S3 shows it: a composite one ends with
// "-<parts>".
func (c objectChecksum) headerValue() string {
	if c.Parts > 0 {
		return c.Value + "-" + strconv.Itoa(c.Parts)
	}
	return c.Value
}

// checksumType is the x-amz-checksum-type of the checksum.
func (c objectChecksum) checksumType() string {
	if c.Parts > 0 {
		return wire.ChecksumTypeComposite
	}
	return wire.ChecksumTypeFullObject
}

// setHeaders writes the checksum and its type as response headers.
func (c objectChecksum) setHeaders(h http.Header) {
	h.Set(c.headerName(), c.headerValue())
	h.Set("X-Amz-Checksum-Type", c.checksumType())
}

// checksumField returns the field of cs that holds algorithm alg.
func checksumField(cs *wire.Checksums, alg string) *string {
	switch alg {
	case "crc32":
		return &cs.ChecksumCRC32
	case "crc32c":
		return &cs.ChecksumCRC32C
	case "crc64nvme":
		return &cs.ChecksumCRC64NVME
	case "sha1":
		return &cs.ChecksumSHA1
	case "sha256":
		return &cs.ChecksumSHA256
	}
	return nil
}

// checksumsOf renders c (nil for none) as the checksum fields of a
// multipart document.
func checksumsOf(c *objectChecksum) wire.Checksums {
	var cs wire.Checksums
	if c != nil {
		*checksumField(&cs, c.Algorithm) = c.headerValue()
	}
	return cs
}

// namedChecksum returns the checksum a multipart document names, if any.
func namedChecksum(cs wire.Checksums) *objectChecksum {
	for alg := range checksumAlgorithms {
		if v := *checksumField(&cs, alg); v != "" {
			return &objectChecksum{Algorithm: alg, Value: v}
		}
	}
	return nil
}

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
