package objectstorage

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// maxMultipartSize bounds the size of an object assembled from parts
// (10000 parts of at most 5 GiB, as S3 allows 5 TiB).
const maxMultipartSize = 5 << 40

// findUpload returns the upload of the request's bucket and key, checking
// ownership. Hold s.mu.
func (req *request) findUpload() (*bucket, *upload, error) {
	b, err := req.s.ownBucket(req.c, req.bucket)
	if err != nil {
		return nil, nil, err
	}
	u := b.Uploads[req.q.Get("uploadId")]
	if u == nil || u.Key != req.key {
		return nil, nil, errCode(wire.CodeNoSuchUpload)
	}
	return b, u, nil
}

// errUploadBusy answers a change to an upload that is being completed.
func errUploadBusy() error {
	return errorf(wire.CodeOperationAborted, "A conflicting conditional operation is currently in progress against this resource: the upload is being completed.")
}

func (req *request) createMultipartUpload() error {
	s := req.s
	meta, err := metaFromHeaders(req.r.Header)
	if err != nil {
		return err
	}
	alg, typ, err := uploadChecksum(req.r.Header)
	if err != nil {
		return err
	}
	return req.writeOwnBucket(func(b *bucket) error {
		u := &upload{
			ID:                newBlobID(),
			Key:               req.key,
			Initiator:         req.c.account.ID,
			Initiated:         s.now().UTC().Truncate(timeResolution),
			objectMeta:        meta,
			ChecksumAlgorithm: alg,
			ChecksumType:      typ,
			Parts:             map[int]*part{},
		}
		b.Uploads[u.ID] = u
		if alg != "" {
			req.w.Header().Set("X-Amz-Checksum-Algorithm", checksumAlgorithms[alg].display)
			req.w.Header().Set("X-Amz-Checksum-Type", typ)
		}
		writeXML(req.w, http.StatusOK, &wire.InitiateMultipartUploadResult{Bucket: b.Name, Key: u.Key, UploadID: u.ID})
		return nil
	})
}

// uploadChecksum reads the object checksum a CreateMultipartUpload asks
// for: x-amz-checksum-algorithm and x-amz-checksum-type, whose default is
// COMPOSITE, or FULL_OBJECT for CRC64NVME. As in S3, SHA-1 and SHA-256 can
// only be composite (a hash of concatenated data cannot be combined from
// the parts' hashes) and CRC64NVME only full-object.
func uploadChecksum(h http.Header) (alg, typ string, err error) {
	a, t := h.Get("X-Amz-Checksum-Algorithm"), strings.ToUpper(h.Get("X-Amz-Checksum-Type"))
	if a == "" {
		if t != "" {
			return "", "", errorf(wire.CodeInvalidRequest, "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.")
		}
		return "", "", nil
	}
	alg = strings.ToLower(a)
	if _, ok := checksumAlgorithms[alg]; !ok {
		return "", "", errorf(wire.CodeInvalidRequest, "Checksum algorithm %q is not supported.", a)
	}
	switch t {
	case "":
		t = wire.ChecksumTypeComposite
		if alg == "crc64nvme" {
			t = wire.ChecksumTypeFullObject
		}
	case wire.ChecksumTypeComposite, wire.ChecksumTypeFullObject:
	default:
		return "", "", errorf(wire.CodeInvalidRequest, "Value for x-amz-checksum-type header is invalid: %q (COMPOSITE or FULL_OBJECT)", h.Get("X-Amz-Checksum-Type"))
	}
	composable := alg == "crc32" || alg == "crc32c" || alg == "crc64nvme"
	if (t == wire.ChecksumTypeFullObject && !composable) || (t == wire.ChecksumTypeComposite && alg == "crc64nvme") {
		return "", "", errorf(wire.CodeInvalidRequest, "The %s checksum type cannot be used with the %s checksum algorithm.", t, alg)
	}
	return alg, t, nil
}

// hashingReader computes the checksum alg of what is read through it.
type hashingReader struct {
	io.Reader
	alg string
	h   hash.Hash
}

func newHashingReader(r io.Reader, alg string) *hashingReader {
	h := checksumAlgorithms[alg].newHash()
	return &hashingReader{Reader: io.TeeReader(r, h), alg: alg, h: h}
}

// sum is the checksum of everything read so far.
func (hr *hashingReader) sum() *objectChecksum {
	return &objectChecksum{Algorithm: hr.alg, Value: base64.StdEncoding.EncodeToString(hr.h.Sum(nil))}
}

// parsePartNumber reads partNumber (1..10000).
func parsePartNumber(q url.Values) (int, error) {
	n, err := strconv.Atoi(q.Get("partNumber"))
	if err != nil || n < 1 || n > wire.MaxPartNumber {
		return 0, errorf(wire.CodeInvalidArgument, "Part number must be an integer between 1 and %d, inclusive", wire.MaxPartNumber)
	}
	return n, nil
}

// uploadPart serves UploadPart and UploadPartCopy.
func (req *request) uploadPart() error {
	s := req.s
	if !req.q.Has("uploadId") {
		return errorf(wire.CodeInvalidArgument, "uploadId must be given with partNumber")
	}
	num, err := parsePartNumber(req.q)
	if err != nil {
		return err
	}
	s.mu.RLock()
	_, u, err := req.findUpload()
	if err == nil && u.completing {
		err = errUploadBusy()
	}
	var alg string
	if err == nil {
		alg = u.ChecksumAlgorithm
	}
	s.mu.RUnlock()
	if err != nil {
		return err
	}
	copying := req.r.Header.Get("X-Amz-Copy-Source") != ""
	var r io.Reader
	var pl *payload
	if copying {
		src, body, err := req.openCopySource()
		if err != nil {
			return err
		}
		defer body.Close()
		r = body
		if v := req.r.Header.Get("X-Amz-Copy-Source-Range"); v != "" {
			rng, err := parseRange(v, src.Blob.Size)
			if err != nil || rng == nil {
				return errorf(wire.CodeInvalidArgument, "The x-amz-copy-source-range value %q must be of the form bytes=first-last within the %d bytes of the source.", v, src.Blob.Size)
			}
			if _, err := body.Seek(rng.start, io.SeekStart); err != nil {
				return err
			}
			r = io.LimitReader(body, rng.length)
		}
	} else {
		p, err := openPayload(req.r, req.c)
		if err != nil {
			return err
		}
		if p.size > wire.MaxObjectSize {
			return errCode(wire.CodeEntityTooLarge)
		}
		if sent := p.announcedChecksum(); alg != "" && sent != "" && sent != alg {
			return errorf(wire.CodeInvalidRequest, "Checksum Type mismatch occurred, expected checksum Type: %s, actual checksum Type: %s", alg, sent)
		}
		r, pl = p, p
	}
	// An upload created with a checksum algorithm has every part's
	// checksum computed, whether the client sent one or not.
	var hr *hashingReader
	if alg != "" {
		hr = newHashingReader(r, alg)
		r = hr
	}
	bl, md5sum, err := s.writeBlob(r, wire.MaxObjectSize)
	if err != nil {
		return err
	}
	pt := &part{Number: num, ETag: quoteETag(md5sum), LastModified: s.now().UTC().Truncate(timeResolution), Blob: bl}
	switch {
	case hr != nil:
		pt.Checksum = hr.sum()
	case pl != nil:
		pt.Checksum = pl.checksum()
	}
	s.mu.Lock()
	_, u, err = req.findUpload()
	if err == nil && u.completing {
		err = errUploadBusy()
	}
	var old *part
	if err == nil {
		old = u.Parts[num]
		u.Parts[num] = pt
	}
	s.mu.Unlock()
	if err != nil {
		s.removeBlobs(bl)
		return err
	}
	if old != nil {
		s.removeBlobs(old.Blob)
	}
	if copying {
		writeXML(req.w, http.StatusOK, &wire.CopyPartResult{LastModified: wire.FormatTime(pt.LastModified), ETag: pt.ETag, Checksums: checksumsOf(pt.Checksum)})
		return nil
	}
	req.w.Header().Set("ETag", pt.ETag)
	if pt.Checksum != nil {
		req.w.Header().Set(pt.Checksum.headerName(), pt.Checksum.Value)
	}
	req.w.WriteHeader(http.StatusOK)
	return nil
}

// completeChecksum is what a CompleteMultipartUpload says of the object's
// checksum: x-amz-checksum-type and an x-amz-checksum-<algorithm> header,
// whose value may carry the "-<parts>" suffix of a composite checksum.
type completeChecksum struct {
	typ   string
	sum   *objectChecksum
	parts int // the suffix, 0 when absent
}

// parseCompleteChecksum reads the checksum headers of a
// CompleteMultipartUpload.
func parseCompleteChecksum(h http.Header) (completeChecksum, error) {
	cc := completeChecksum{typ: strings.ToUpper(h.Get("X-Amz-Checksum-Type"))}
	for name, vs := range h {
		alg := checksumAlgorithmOf(name)
		if alg == "" || len(vs) == 0 {
			continue
		}
		if cc.sum != nil {
			return cc, errorf(wire.CodeInvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
		}
		value, suffix, composite := strings.Cut(vs[0], "-")
		if composite {
			n, err := strconv.Atoi(suffix)
			if err != nil || n < 1 || n > wire.MaxPartNumber {
				return cc, errorf(wire.CodeInvalidRequest, "Value for %s header is invalid.", strings.ToLower(name))
			}
			cc.parts = n
		}
		cc.sum = &objectChecksum{Algorithm: alg, Value: value}
		if err := cc.sum.validate(); err != nil {
			return cc, err
		}
	}
	return cc, nil
}

// checkAgainst checks the checksum headers of a CompleteMultipartUpload
// against the upload's checksum (alg and typ, "" when it has none).
func (cc completeChecksum) checkAgainst(alg, typ string) error {
	if alg == "" {
		if cc.sum != nil || cc.typ != "" {
			return errorf(wire.CodeInvalidRequest, "The upload was created without a checksum algorithm, so its completion cannot name one: create it with x-amz-checksum-algorithm.")
		}
		return nil
	}
	if cc.typ != "" && cc.typ != typ {
		return errorf(wire.CodeInvalidRequest, "The upload was created using the %s checksum mode. The complete request must use the same checksum mode.", typ)
	}
	if cc.sum != nil && cc.sum.Algorithm != alg {
		return errorf(wire.CodeInvalidRequest, "The upload was created using a %s checksum. The complete request must use the same checksum algorithm.", alg)
	}
	if cc.parts > 0 && typ != wire.ChecksumTypeComposite {
		return errorf(wire.CodeInvalidRequest, "The upload was created using the %s checksum mode: its checksum has no part count.", typ)
	}
	return nil
}

// compositeChecksum is S3's COMPOSITE checksum of parts: the checksum of
// the concatenated binary part checksums, with the part count.
func compositeChecksum(alg string, parts []*part) *objectChecksum {
	h := checksumAlgorithms[alg].newHash()
	for _, p := range parts {
		raw, _ := base64.StdEncoding.DecodeString(p.Checksum.Value)
		h.Write(raw)
	}
	return &objectChecksum{Algorithm: alg, Value: base64.StdEncoding.EncodeToString(h.Sum(nil)), Parts: len(parts)}
}

// checkCompletedParts validates the part list of a CompleteMultipartUpload
// against upload u and returns the parts it names, in order. Hold s.mu.
func checkCompletedParts(u *upload, list []wire.CompletedPart) ([]*part, error) {
	// The order of the list is checked before the parts it names.
	for i := 1; i < len(list); i++ {
		if list[i].PartNumber <= list[i-1].PartNumber {
			return nil, errCode(wire.CodeInvalidPartOrder)
		}
	}
	parts := make([]*part, 0, len(list))
	for i, cp := range list {
		p := u.Parts[cp.PartNumber]
		if p == nil || trimETag(cp.ETag) != trimETag(p.ETag) {
			return nil, errorf(wire.CodeInvalidPart, "%s Part number %d.", defaultMessages[wire.CodeInvalidPart], cp.PartNumber)
		}
		named := namedChecksum(cp.Checksums)
		switch {
		case named != nil && p.Checksum != nil && (named.Algorithm != p.Checksum.Algorithm || named.Value != p.Checksum.Value):
			return nil, errorf(wire.CodeInvalidPart, "The checksum of part %d does not match the checksum it was uploaded with.", cp.PartNumber)
		case named == nil && u.ChecksumType == wire.ChecksumTypeComposite:
			return nil, errorf(wire.CodeInvalidRequest, "The upload was created using a %s checksum. The complete request must include the checksum for each part. It was missing for part %d in the request.", u.ChecksumAlgorithm, cp.PartNumber)
		}
		if i < len(list)-1 && p.Blob.Size < wire.MinPartSize {
			return nil, errorf(wire.CodeEntityTooSmall, "Your proposed upload is smaller than the minimum allowed object size: part %d has %d bytes, every part but the last must have at least %d.", cp.PartNumber, p.Blob.Size, wire.MinPartSize)
		}
		parts = append(parts, p)
	}
	return parts, nil
}

func (req *request) completeMultipartUpload() error {
	s := req.s
	// Conditional writes (If-None-Match: *, If-Match) apply to the object
	// the upload creates.
	cond, err := parsePutCondition(req.r.Header)
	if err != nil {
		return err
	}
	cc, err := parseCompleteChecksum(req.r.Header)
	if err != nil {
		return err
	}
	s.mu.RLock()
	_, _, err = req.findUpload()
	s.mu.RUnlock()
	if err != nil {
		return err
	}
	// The x-amz-checksum-* headers are the object's, not the document's.
	data, _, err := req.readBodyOf(false)
	if err != nil {
		return err
	}
	var doc wire.CompleteMultipartUpload
	if err := decodeXML(data, &doc); err != nil {
		return err
	}
	if len(doc.Parts) == 0 {
		return errorf(wire.CodeMalformedXML, "The XML you provided was not well-formed or did not validate against our published schema: you must specify at least one part.")
	}

	// Validate and claim the upload.
	s.mu.Lock()
	b, u, err := req.findUpload()
	if err == nil && u.completing {
		err = errUploadBusy()
	}
	if err == nil {
		err = cond.check(b.Objects[req.key])
	}
	if err == nil {
		err = cc.checkAgainst(u.ChecksumAlgorithm, u.ChecksumType)
	}
	var parts []*part
	if err == nil {
		parts, err = checkCompletedParts(u, doc.Parts)
	}
	var sum *objectChecksum
	if err == nil && u.ChecksumType == wire.ChecksumTypeComposite {
		sum = compositeChecksum(u.ChecksumAlgorithm, parts)
		if cc.sum != nil && (cc.sum.Value != sum.Value || (cc.parts != 0 && cc.parts != sum.Parts)) {
			err = errorf(wire.CodeBadDigest, "The %s you specified (%s) did not match the calculated checksum of the parts (%s).",
				checksumAlgorithms[sum.Algorithm].display, cc.sum.Value, sum.headerValue())
		}
	}
	if err == nil {
		u.completing = true
	}
	s.mu.Unlock()
	if err != nil {
		return err
	}
	release := func() {
		s.mu.Lock()
		u.completing = false
		s.mu.Unlock()
	}

	etagSum := md5.New()
	blobs := make([]blob, len(parts))
	sizes := make([]int64, len(parts))
	for i, p := range parts {
		raw, _ := hex.DecodeString(trimETag(p.ETag))
		etagSum.Write(raw)
		blobs[i], sizes[i] = p.Blob, p.Blob.Size
	}
	seq := &blobSequence{s: s, blobs: blobs}
	var body io.Reader = seq
	var hr *hashingReader
	if u.ChecksumType == wire.ChecksumTypeFullObject {
		hr = newHashingReader(seq, u.ChecksumAlgorithm)
		body = hr
	}
	bl, _, err := s.writeBlob(body, maxMultipartSize)
	_ = seq.Close()
	if err != nil {
		release()
		return err
	}
	if hr != nil {
		sum = hr.sum()
		if cc.sum != nil && cc.sum.Value != sum.Value {
			release()
			s.removeBlobs(bl)
			return errorf(wire.CodeBadDigest, "The %s you specified (%s) did not match the calculated checksum of the object (%s).",
				checksumAlgorithms[sum.Algorithm].display, cc.sum.Value, sum.Value)
		}
	}
	o := &object{
		Key:          req.key,
		ETag:         fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(etagSum.Sum(nil)), len(parts)),
		LastModified: s.now().UTC().Truncate(timeResolution),
		objectMeta:   u.objectMeta,
		Checksum:     sum,
		PartSizes:    sizes,
		Blob:         bl,
	}

	// Commit: the upload still exists (it cannot change while completing,
	// but Reset may have dropped everything).
	s.mu.Lock()
	b, cur, err := req.findUpload()
	if err == nil && cur != u {
		err = errCode(wire.CodeNoSuchUpload)
	}
	if err == nil {
		err = cond.check(b.Objects[req.key])
	}
	if err != nil {
		if cur == u {
			u.completing = false
		}
		s.mu.Unlock()
		s.removeBlobs(bl)
		return err
	}
	old := b.Objects[req.key]
	b.Objects[req.key] = o
	delete(b.Uploads, u.ID)
	var garbage []blob
	for _, p := range u.Parts {
		garbage = append(garbage, p.Blob)
	}
	if old != nil {
		garbage = append(garbage, old.Blob)
	}
	s.mu.Unlock()
	s.removeBlobs(garbage...)
	s.publish(ObjectEvent{
		AccountID: req.c.account.ID, Bucket: req.bucket, Key: req.key, Size: bl.Size,
		ETag: trimETag(o.ETag), Type: EventPut, Time: o.LastModified,
		Name: wire.EventObjectCreatedMultipart, Cause: req.cause(),
	})
	res := &wire.CompleteMultipartUploadResult{
		Location:  req.location(),
		Bucket:    req.bucket,
		Key:       req.key,
		ETag:      o.ETag,
		Checksums: checksumsOf(sum),
	}
	if sum != nil {
		res.ChecksumType = sum.checksumType()
	}
	writeXML(req.w, http.StatusOK, res)
	return nil
}

// location is the URL of the request's object, as S3 answers it, in the
// request's addressing style.
func (req *request) location() string {
	scheme := "http"
	if req.r.TLS != nil {
		scheme = "https"
	}
	if req.vhost {
		return scheme + "://" + req.r.Host + "/" + uriEncode(req.key, true)
	}
	return scheme + "://" + req.r.Host + "/" + req.bucket + "/" + uriEncode(req.key, true)
}

func (req *request) abortMultipartUpload() error {
	s := req.s
	s.mu.Lock()
	b, u, err := req.findUpload()
	if err == nil && u.completing {
		err = errUploadBusy()
	}
	if err == nil {
		delete(b.Uploads, u.ID)
	}
	s.mu.Unlock()
	if err != nil {
		return err
	}
	for _, p := range u.Parts {
		s.removeBlobs(p.Blob)
	}
	req.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (req *request) listParts() error {
	s := req.s
	q := req.q
	maxParts, err := parseMax(q, "max-parts")
	if err != nil {
		return err
	}
	marker := 0
	if q.Has("part-number-marker") {
		if marker, err = strconv.Atoi(q.Get("part-number-marker")); err != nil || marker < 0 {
			return errorf(wire.CodeInvalidArgument, "Provided part-number-marker not an integer or within integer range: %q", q.Get("part-number-marker"))
		}
	}
	s.mu.RLock()
	b, u, err := req.findUpload()
	if err != nil {
		s.mu.RUnlock()
		return err
	}
	var nums []int
	for n := range u.Parts {
		if n > marker {
			nums = append(nums, n)
		}
	}
	sort.Ints(nums)
	res := wire.ListPartsResult{
		Bucket: b.Name, Key: u.Key, UploadID: u.ID,
		Initiator: ownerOf(u.Initiator), Owner: ownerOf(b.Owner), StorageClass: wire.StorageClassStandard,
		PartNumberMarker: marker, MaxParts: maxParts,
	}
	if len(nums) > maxParts {
		nums, res.IsTruncated = nums[:maxParts], true
	}
	for _, n := range nums {
		p := u.Parts[n]
		res.Parts = append(res.Parts, wire.Part{PartNumber: n, LastModified: wire.FormatTime(p.LastModified), ETag: p.ETag, Size: p.Blob.Size,
			Checksums: checksumsOf(p.Checksum)})
	}
	if len(nums) > 0 {
		res.NextPartNumberMarker = nums[len(nums)-1]
	}
	s.mu.RUnlock()
	writeXML(req.w, http.StatusOK, &res)
	return nil
}

func (req *request) listMultipartUploads() error {
	s := req.s
	q := req.q
	enc, encType, err := keyEncoder(q)
	if err != nil {
		return err
	}
	maxUploads, err := parseMax(q, "max-uploads")
	if err != nil {
		return err
	}
	prefix, delim := q.Get("prefix"), q.Get("delimiter")
	keyMarker, idMarker := q.Get("key-marker"), q.Get("upload-id-marker")
	s.mu.RLock()
	b, err := s.listableBucket(req.c, req.bucket)
	if err != nil {
		s.mu.RUnlock()
		return err
	}
	ups := make([]*upload, 0, len(b.Uploads))
	for _, u := range b.Uploads {
		ups = append(ups, u)
	}
	// By key, then by initiation time, as S3 lists them.
	sort.Slice(ups, func(i, j int) bool {
		a, c := ups[i], ups[j]
		if a.Key != c.Key {
			return a.Key < c.Key
		}
		if !a.Initiated.Equal(c.Initiated) {
			return a.Initiated.Before(c.Initiated)
		}
		return a.ID < c.ID
	})
	// Skip to after the marker: keys after key-marker, or, with an
	// upload-id-marker, the uploads of key-marker after that upload.
	start := 0
	for start < len(ups) && ups[start].Key < keyMarker {
		start++
	}
	if idMarker != "" {
		for i := start; i < len(ups) && ups[i].Key == keyMarker; i++ {
			if ups[i].ID == idMarker {
				start = i + 1
				break
			}
		}
	} else {
		for start < len(ups) && keyMarker != "" && ups[start].Key == keyMarker {
			start++
		}
	}
	res := wire.ListMultipartUploadsResult{
		Bucket: b.Name, KeyMarker: enc(keyMarker), UploadIDMarker: idMarker, Prefix: enc(prefix),
		Delimiter: enc(delim), MaxUploads: maxUploads, EncodingType: encType,
	}
	lastPrefix := ""
	count := 0
	var lastKey, lastID string
	for _, u := range ups[start:] {
		if !strings.HasPrefix(u.Key, prefix) {
			continue
		}
		cp := ""
		if delim != "" {
			if j := strings.Index(u.Key[len(prefix):], delim); j >= 0 {
				cp = u.Key[:len(prefix)+j+len(delim)]
				if cp == lastPrefix || cp <= keyMarker {
					continue
				}
			}
		}
		if count == maxUploads {
			res.IsTruncated = true
			break
		}
		count++
		if cp != "" {
			lastPrefix = cp
			res.CommonPrefixes = append(res.CommonPrefixes, wire.CommonPrefix{Prefix: enc(cp)})
			lastKey, lastID = cp, ""
			continue
		}
		res.Uploads = append(res.Uploads, wire.Upload{
			Key: enc(u.Key), UploadID: u.ID, Initiator: ownerOf(u.Initiator), Owner: ownerOf(b.Owner),
			StorageClass: wire.StorageClassStandard, Initiated: wire.FormatTime(u.Initiated),
		})
		lastKey, lastID = u.Key, u.ID
	}
	if res.IsTruncated {
		res.NextKeyMarker, res.NextUploadIDMarker = enc(lastKey), lastID
	}
	s.mu.RUnlock()
	writeXML(req.w, http.StatusOK, &res)
	return nil
}
