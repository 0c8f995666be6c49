package objectstorage

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
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
	if alg := req.r.Header.Get("X-Amz-Checksum-Algorithm"); alg != "" {
		if _, ok := checksumAlgorithms[strings.ToLower(alg)]; !ok {
			return errorf(wire.CodeInvalidRequest, "Checksum algorithm %q is not supported.", alg)
		}
	}
	return req.writeOwnBucket(func(b *bucket) error {
		u := &upload{
			ID:         newBlobID(),
			Key:        req.key,
			Initiator:  req.c.account.ID,
			Initiated:  s.now().UTC().Truncate(timeResolution),
			objectMeta: meta,
			Parts:      map[int]*part{},
		}
		b.Uploads[u.ID] = u
		writeXML(req.w, http.StatusOK, &wire.InitiateMultipartUploadResult{Bucket: b.Name, Key: u.Key, UploadID: u.ID})
		return nil
	})
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
		r, pl = p, p
	}
	bl, md5sum, err := s.writeBlob(r, wire.MaxObjectSize)
	if err != nil {
		return err
	}
	pt := &part{Number: num, ETag: quoteETag(md5sum), LastModified: s.now().UTC().Truncate(timeResolution), Blob: bl}
	if pl != nil {
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
		writeXML(req.w, http.StatusOK, &wire.CopyPartResult{LastModified: wire.FormatTime(pt.LastModified), ETag: pt.ETag})
		return nil
	}
	req.w.Header().Set("ETag", pt.ETag)
	if pt.Checksum != nil {
		req.w.Header().Set(pt.Checksum.headerName(), pt.Checksum.Value)
	}
	req.w.WriteHeader(http.StatusOK)
	return nil
}

// partChecksum returns the checksum a CompleteMultipartUpload part names.
func partChecksum(p wire.CompletedPart) *objectChecksum {
	for alg, v := range map[string]string{"crc32": p.ChecksumCRC32, "crc32c": p.ChecksumCRC32C, "sha1": p.ChecksumSHA1, "sha256": p.ChecksumSHA256} {
		if v != "" {
			return &objectChecksum{Algorithm: alg, Value: v}
		}
	}
	return nil
}

func (req *request) completeMultipartUpload() error {
	s := req.s
	// Conditional writes (If-None-Match: *, If-Match) apply to the object
	// the upload creates.
	cond, err := parsePutCondition(req.r.Header)
	if err != nil {
		return err
	}
	s.mu.RLock()
	_, _, err = req.findUpload()
	s.mu.RUnlock()
	if err != nil {
		return err
	}
	data, _, err := req.readBody()
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
	var blobs []blob
	var sizes []int64
	etagSum := md5.New()
	// The order of the list is checked before the parts it names.
	for i := 1; err == nil && i < len(doc.Parts); i++ {
		if doc.Parts[i].PartNumber <= doc.Parts[i-1].PartNumber {
			err = errCode(wire.CodeInvalidPartOrder)
		}
	}
	for i, cp := range doc.Parts {
		if err != nil {
			break
		}
		p := u.Parts[cp.PartNumber]
		if p == nil || trimETag(cp.ETag) != trimETag(p.ETag) {
			err = errorf(wire.CodeInvalidPart, "%s Part number %d.", defaultMessages[wire.CodeInvalidPart], cp.PartNumber)
			break
		}
		if want := partChecksum(cp); want != nil && p.Checksum != nil &&
			(want.Algorithm != p.Checksum.Algorithm || want.Value != p.Checksum.Value) {
			err = errorf(wire.CodeInvalidPart, "The checksum of part %d does not match the checksum it was uploaded with.", cp.PartNumber)
			break
		}
		if i < len(doc.Parts)-1 && p.Blob.Size < wire.MinPartSize {
			err = errorf(wire.CodeEntityTooSmall, "Your proposed upload is smaller than the minimum allowed object size: part %d has %d bytes, every part but the last must have at least %d.", cp.PartNumber, p.Blob.Size, wire.MinPartSize)
			break
		}
		raw, _ := hex.DecodeString(trimETag(p.ETag))
		etagSum.Write(raw)
		blobs = append(blobs, p.Blob)
		sizes = append(sizes, p.Blob.Size)
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

	seq := &blobSequence{s: s, blobs: blobs}
	bl, _, err := s.writeBlob(seq, maxMultipartSize)
	_ = seq.Close()
	if err != nil {
		release()
		return err
	}
	o := &object{
		Key:          req.key,
		ETag:         fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(etagSum.Sum(nil)), len(doc.Parts)),
		LastModified: s.now().UTC().Truncate(timeResolution),
		objectMeta:   u.objectMeta,
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
	})
	scheme := "http"
	if req.r.TLS != nil {
		scheme = "https"
	}
	writeXML(req.w, http.StatusOK, &wire.CompleteMultipartUploadResult{
		Location: scheme + "://" + req.r.Host + "/" + req.bucket + "/" + uriEncode(req.key, true),
		Bucket:   req.bucket,
		Key:      req.key,
		ETag:     o.ETag,
	})
	return nil
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
		res.Parts = append(res.Parts, wire.Part{PartNumber: n, LastModified: wire.FormatTime(p.LastModified), ETag: p.ETag, Size: p.Blob.Size})
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
