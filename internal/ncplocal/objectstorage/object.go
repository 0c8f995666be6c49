package objectstorage

import (
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// timeResolution is the precision of stored timestamps (S3 listings show
// milliseconds).
const timeResolution = time.Millisecond

// defaultContentType is what S3 stores when an upload names none.
const defaultContentType = "binary/octet-stream"

// validateKey checks an object key: at most 1024 bytes of valid UTF-8.
func validateKey(key string) error {
	if len(key) > wire.MaxKeyLength {
		return errorf(wire.CodeKeyTooLong, "Your key is too long: it has %d bytes, at most %d are allowed.", len(key), wire.MaxKeyLength)
	}
	if !utf8.ValidString(key) {
		return errorf(wire.CodeInvalidArgument, "Object keys must be valid UTF-8.")
	}
	return nil
}

// quoteETag turns an MD5 sum into an ETag header value.
func quoteETag(sum []byte) string { return `"` + hex.EncodeToString(sum) + `"` }

// trimETag strips quotes and a weak prefix from an ETag.
func trimETag(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "W/")
	return strings.Trim(s, `"`)
}

// etagMatches reports whether a list of entity tags (If-Match style, "*"
// included) names etag.
func etagMatches(list, etag string) bool {
	for _, t := range strings.Split(list, ",") {
		if t = strings.TrimSpace(t); t == "*" || trimETag(t) == trimETag(etag) {
			return true
		}
	}
	return false
}

// stripAWSChunked removes the aws-chunked transfer coding from a
// Content-Encoding value; it describes the upload, not the object.
func stripAWSChunked(v string) string {
	var keep []string
	for _, e := range strings.Split(v, ",") {
		if e = strings.TrimSpace(e); e != "" && !strings.EqualFold(e, "aws-chunked") {
			keep = append(keep, e)
		}
	}
	return strings.Join(keep, ",")
}

// metaFromHeaders reads the metadata of an upload from its headers.
func metaFromHeaders(h http.Header) (objectMeta, error) {
	if err := rejectUnsupportedHeaders(h); err != nil {
		return objectMeta{}, err
	}
	m := objectMeta{
		ContentType:        h.Get("Content-Type"),
		CacheControl:       h.Get("Cache-Control"),
		ContentDisposition: h.Get("Content-Disposition"),
		ContentEncoding:    stripAWSChunked(h.Get("Content-Encoding")),
		ContentLanguage:    h.Get("Content-Language"),
		Expires:            h.Get("Expires"),
	}
	if m.ContentType == "" {
		m.ContentType = defaultContentType
	}
	acl, err := cannedACLHeader(h, wire.ACLPrivate)
	if err != nil {
		return objectMeta{}, err
	}
	m.ACL = acl
	if m.Tags, err = taggingHeader(h); err != nil {
		return objectMeta{}, err
	}
	if sc := h.Get("X-Amz-Storage-Class"); sc != "" && sc != wire.StorageClassStandard {
		return objectMeta{}, errorf(wire.CodeInvalidStorageClass, "The storage class you specified is not valid: only STANDARD is offered.")
	}
	switch sse := h.Get("X-Amz-Server-Side-Encryption"); sse {
	case "":
	case "AES256":
		m.SSE = sse
	default:
		return objectMeta{}, notImplemented("server-side encryption %q; only AES256 is emulated", sse)
	}
	size := 0
	for name, vs := range h {
		l := strings.ToLower(name)
		if !strings.HasPrefix(l, "x-amz-meta-") {
			continue
		}
		if m.UserMeta == nil {
			m.UserMeta = map[string]string{}
		}
		n := strings.TrimPrefix(l, "x-amz-meta-")
		v := strings.Join(vs, ",")
		m.UserMeta[n] = v
		size += len(n) + len(v)
	}
	if size > wire.MaxUserMetadataSize {
		return objectMeta{}, errorf(wire.CodeMetadataTooLarge, "Your metadata headers exceed the maximum allowed metadata size: %d bytes, at most %d.", size, wire.MaxUserMetadataSize)
	}
	return m, nil
}

// setHeaders writes the metadata headers of an object.
func (o *object) setHeaders(h http.Header) {
	h.Set("ETag", o.ETag)
	h.Set("Last-Modified", o.LastModified.UTC().Format(http.TimeFormat))
	h.Set("Content-Type", o.ContentType)
	h.Set("Accept-Ranges", "bytes")
	for name, v := range map[string]string{
		"Cache-Control":                o.CacheControl,
		"Content-Disposition":          o.ContentDisposition,
		"Content-Encoding":             o.ContentEncoding,
		"Content-Language":             o.ContentLanguage,
		"Expires":                      o.Expires,
		"X-Amz-Server-Side-Encryption": o.SSE,
	} {
		if v != "" {
			h.Set(name, v)
		}
	}
	for n, v := range o.UserMeta {
		// Lowercase on the wire, as S3 answers.
		h["x-amz-meta-"+n] = []string{v}
	}
	if len(o.PartSizes) > 0 {
		h.Set("X-Amz-Mp-Parts-Count", strconv.Itoa(len(o.PartSizes)))
	}
	if len(o.Tags) > 0 {
		h.Set("X-Amz-Tagging-Count", strconv.Itoa(len(o.Tags)))
	}
}

// putCondition is the conditional part of a write: If-None-Match: * or
// If-Match: <etag>.
type putCondition struct {
	ifNoneMatchStar bool
	ifMatch         string
}

func parsePutCondition(h http.Header) (putCondition, error) {
	var pc putCondition
	if v := h.Get("If-None-Match"); v != "" {
		if strings.TrimSpace(v) != "*" {
			return pc, notImplemented("If-None-Match on writes with a value other than *")
		}
		pc.ifNoneMatchStar = true
	}
	pc.ifMatch = h.Get("If-Match")
	return pc, nil
}

// check evaluates the condition against the current object (nil when none).
func (pc putCondition) check(cur *object) error {
	if pc.ifNoneMatchStar && cur != nil {
		return errCode(wire.CodePreconditionFailed)
	}
	if pc.ifMatch != "" {
		if cur == nil {
			return errCode(wire.CodeNoSuchKey)
		}
		if !etagMatches(pc.ifMatch, cur.ETag) {
			return errCode(wire.CodePreconditionFailed)
		}
	}
	return nil
}

// checkReadConditions evaluates If-Match, If-Unmodified-Since (412) and
// If-None-Match, If-Modified-Since (304) as S3 does: an If-Match that holds
// overrides If-Unmodified-Since, an If-None-Match overrides If-Modified-Since.
func checkReadConditions(h http.Header, o *object) error {
	lm := o.LastModified.Truncate(time.Second)
	if v := h.Get("If-Match"); v != "" {
		if !etagMatches(v, o.ETag) {
			return errCode(wire.CodePreconditionFailed)
		}
	} else if t, err := http.ParseTime(h.Get("If-Unmodified-Since")); err == nil && lm.After(t) {
		return errCode(wire.CodePreconditionFailed)
	}
	notModified := false
	if v := h.Get("If-None-Match"); v != "" {
		notModified = etagMatches(v, o.ETag)
	} else if t, err := http.ParseTime(h.Get("If-Modified-Since")); err == nil && !lm.After(t) {
		notModified = true
	}
	if notModified {
		e := errCode(wire.CodeNotModified)
		e.header = http.Header{}
		e.header.Set("ETag", o.ETag)
		e.header.Set("Last-Modified", o.LastModified.UTC().Format(http.TimeFormat))
		return e
	}
	return nil
}

// byteRange is a satisfiable range of an object.
type byteRange struct{ start, length int64 }

// parseRange reads a Range header against an object of size. It returns
// nil for no range or one S3 ignores (not bytes=, several ranges, bad
// syntax), and InvalidRange for an unsatisfiable one.
func parseRange(v string, size int64) (*byteRange, error) {
	spec, ok := parseRangeSpec(v)
	if !ok {
		// Not an error: a Range header that does not parse as a single
		// byte range is ignored and the whole object is served (RFC 9110
		// section 14.2; S3 does the same).
		return nil, nil
	}
	if spec.suffix {
		n := spec.last
		if n == 0 || size == 0 {
			return nil, unsatisfiableRange(v, size)
		}
		n = min(n, size)
		return &byteRange{size - n, n}, nil
	}
	if spec.first >= size {
		return nil, unsatisfiableRange(v, size)
	}
	end := size - 1
	if spec.last >= 0 {
		end = min(spec.last, size-1)
	}
	return &byteRange{spec.first, end - spec.first + 1}, nil
}

// rangeSpec is a syntactically valid single byte range, not yet checked
// against an object's size: bytes=first-last, bytes=first- (last < 0), or,
// with suffix set, bytes=-last (the last "last" bytes).
type rangeSpec struct {
	suffix      bool
	first, last int64
}

// parseRangeSpec parses a Range header value. ok is false when the value is
// not one byte range with non-negative bounds in order: not bytes=, several
// ranges, or bad syntax.
func parseRangeSpec(v string) (spec rangeSpec, ok bool) {
	set, ok := strings.CutPrefix(strings.TrimSpace(v), "bytes=")
	if !ok || strings.Contains(set, ",") {
		return rangeSpec{}, false
	}
	first, last, ok := strings.Cut(strings.TrimSpace(set), "-")
	if !ok {
		return rangeSpec{}, false
	}
	if first == "" {
		n, ok := parseRangeBound(last)
		return rangeSpec{suffix: true, last: n}, ok
	}
	start, ok := parseRangeBound(first)
	if !ok {
		return rangeSpec{}, false
	}
	end := int64(-1)
	if last != "" {
		if end, ok = parseRangeBound(last); !ok || end < start {
			return rangeSpec{}, false
		}
	}
	return rangeSpec{first: start, last: end}, true
}

// parseRangeBound parses one bound of a byte range; ok is false unless it
// is a non-negative integer.
func parseRangeBound(s string) (n int64, ok bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0
}

// unsatisfiableRange is the InvalidRange error for the Range header v of
// an object of size.
func unsatisfiableRange(v string, size int64) error {
	e := errorf(wire.CodeInvalidRange, "The requested range %q is not satisfiable for an object of %d bytes.", v, size)
	e.header = http.Header{"Content-Range": {"bytes */" + strconv.FormatInt(size, 10)}}
	return e
}

// responseOverrides are the query parameters that override response
// headers of a GetObject.
var responseOverrides = map[string]string{
	"response-content-type":        "Content-Type",
	"response-content-language":    "Content-Language",
	"response-expires":             "Expires",
	"response-cache-control":       "Cache-Control",
	"response-content-disposition": "Content-Disposition",
	"response-content-encoding":    "Content-Encoding",
}

// getObject serves GetObject and HeadObject.
func (req *request) getObject() error {
	s := req.s
	partNumber := 0
	if v := req.q.Get("partNumber"); req.q.Has("partNumber") {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > wire.MaxPartNumber {
			return errorf(wire.CodeInvalidArgument, "Part number must be an integer between 1 and %d, inclusive", wire.MaxPartNumber)
		}
		if req.r.Header.Get("Range") != "" {
			return errorf(wire.CodeInvalidRequest, "Cannot specify both Range header and partNumber query parameter")
		}
		partNumber = n
	}
	for p := range responseOverrides {
		if req.q.Has(p) && req.c.anonymous {
			return errorf(wire.CodeInvalidRequest, "Request specific response headers cannot be used for anonymous GET requests.")
		}
	}
	s.mu.RLock()
	cur, err := s.readableObject(req.c, req.bucket, req.key)
	var o object
	var body io.ReadSeekCloser
	if err == nil {
		o = *cur
		if err = checkReadConditions(req.r.Header, &o); err == nil && req.r.Method == http.MethodGet {
			body, err = s.openBlob(o.Blob)
		}
	}
	s.mu.RUnlock()
	if err != nil {
		return err
	}
	if body != nil {
		defer body.Close()
	}
	size := o.Blob.Size
	var rng *byteRange
	switch {
	case partNumber > 0 && len(o.PartSizes) > 0:
		if partNumber > len(o.PartSizes) {
			return errorf(wire.CodeInvalidPartNumber, "The requested partnumber is not satisfiable")
		}
		var off int64
		for _, ps := range o.PartSizes[:partNumber-1] {
			off += ps
		}
		rng = &byteRange{off, o.PartSizes[partNumber-1]}
	case partNumber > 1:
		return errorf(wire.CodeInvalidPartNumber, "The requested partnumber is not satisfiable")
	default:
		if rng, err = parseRange(req.r.Header.Get("Range"), size); err != nil {
			return err
		}
	}
	h := req.w.Header()
	o.setHeaders(h)
	if partNumber == 0 {
		h.Del("X-Amz-Mp-Parts-Count")
	}
	for p, name := range responseOverrides {
		if req.q.Has(p) {
			h.Set(name, req.q.Get(p))
		}
	}
	// The checksum describes the whole object: not shown for a range or a
	// part of it.
	if o.Checksum != nil && rng == nil && strings.EqualFold(req.r.Header.Get("X-Amz-Checksum-Mode"), "ENABLED") {
		o.Checksum.setHeaders(h)
	}
	status, length := http.StatusOK, size
	if rng != nil {
		status, length = http.StatusPartialContent, rng.length
		h.Set("Content-Range", "bytes "+strconv.FormatInt(rng.start, 10)+"-"+
			strconv.FormatInt(rng.start+rng.length-1, 10)+"/"+strconv.FormatInt(size, 10))
	}
	h.Set("Content-Length", strconv.FormatInt(length, 10))
	req.w.WriteHeader(status)
	if body == nil {
		return nil
	}
	if rng != nil {
		if _, err := body.Seek(rng.start, io.SeekStart); err != nil {
			return nil // the status line is sent; the client sees a short body
		}
	}
	_, _ = io.CopyN(req.w, body, length)
	return nil
}

func (req *request) putObject() error {
	meta, err := metaFromHeaders(req.r.Header)
	if err != nil {
		return err
	}
	cond, err := parsePutCondition(req.r.Header)
	if err != nil {
		return err
	}
	// Fail fast, before the body is read; checked again at commit.
	if err := req.readOwnBucket(func(b *bucket) error { return cond.check(b.Objects[req.key]) }); err != nil {
		return err
	}
	p, err := openPayload(req.r, req.c)
	if err != nil {
		return err
	}
	if p.size > wire.MaxObjectSize {
		return errCode(wire.CodeEntityTooLarge)
	}
	o, err := req.storeObject(p, meta, cond, p.checksum)
	if err != nil {
		return err
	}
	h := req.w.Header()
	h.Set("ETag", o.ETag)
	if o.Checksum != nil {
		h.Set(o.Checksum.headerName(), o.Checksum.Value)
	}
	if o.SSE != "" {
		h.Set("X-Amz-Server-Side-Encryption", o.SSE)
	}
	req.w.WriteHeader(http.StatusOK)
	return nil
}

// storeObject writes the body r as the request's object, with meta, and
// commits it if cond still holds. checksum, called once r is read, is the
// checksum to record.
func (req *request) storeObject(r io.Reader, meta objectMeta, cond putCondition, checksum func() *objectChecksum) (*object, error) {
	s := req.s
	bl, sum, err := s.writeBlob(r, wire.MaxObjectSize)
	if err != nil {
		return nil, err
	}
	o := &object{
		Key:          req.key,
		ETag:         quoteETag(sum),
		LastModified: s.now().UTC().Truncate(timeResolution),
		objectMeta:   meta,
		Checksum:     checksum(),
		Blob:         bl,
	}
	origin := eventOrigin{name: wire.EventObjectCreatedPut, cause: req.cause()}
	if req.r.Header.Get("X-Amz-Copy-Source") != "" {
		origin.name = wire.EventObjectCreatedCopy
	}
	if err := s.commitObject(req.c.account.ID, req.bucket, o, cond, origin); err != nil {
		s.removeBlobs(bl)
		return nil, err
	}
	return o, nil
}

// commitObject makes o the current object of its key, if the account owns
// the bucket and cond holds, then removes the replaced body and publishes a
// PUT event.
func (s *Service) commitObject(accountID, bucketName string, o *object, cond putCondition, origin eventOrigin) error {
	s.mu.Lock()
	b := s.buckets[bucketName]
	var err error
	switch {
	case b == nil:
		err = errCode(wire.CodeNoSuchBucket)
	case b.Owner != accountID:
		err = errCode(wire.CodeAccessDenied)
	default:
		err = cond.check(b.Objects[o.Key])
	}
	if err != nil {
		s.mu.Unlock()
		return err
	}
	old := b.Objects[o.Key]
	b.Objects[o.Key] = o
	s.mu.Unlock()
	if old != nil {
		s.removeBlobs(old.Blob)
	}
	s.publish(ObjectEvent{
		AccountID: accountID, Bucket: bucketName, Key: o.Key, Size: o.Blob.Size,
		ETag: trimETag(o.ETag), Type: EventPut, Time: o.LastModified,
		Name: origin.name, Cause: origin.cause,
	})
	return nil
}

func (req *request) deleteObject() error {
	s := req.s
	ifMatch := req.r.Header.Get("If-Match")
	s.mu.Lock()
	b, err := s.ownBucket(req.c, req.bucket)
	var old *object
	if err == nil {
		old = b.Objects[req.key]
		if ifMatch != "" {
			err = putCondition{ifMatch: ifMatch}.check(old)
		}
	}
	if err == nil && old != nil {
		delete(b.Objects, req.key)
	}
	s.mu.Unlock()
	if err != nil {
		return err
	}
	if old != nil {
		s.removeBlobs(old.Blob)
		s.publishDelete(req.c.account.ID, req.bucket, old, req.cause())
	}
	req.w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) publishDelete(accountID, bucketName string, o *object, cause string) {
	s.publish(ObjectEvent{
		AccountID: accountID, Bucket: bucketName, Key: o.Key, Size: o.Blob.Size,
		ETag: trimETag(o.ETag), Type: EventDelete, Time: s.now().UTC(),
		Name: wire.EventObjectRemovedDelete, Cause: cause,
	})
}

func (req *request) deleteObjects() error {
	s := req.s
	if err := s.checkOwnBucket(req.c, req.bucket); err != nil {
		return err
	}
	var d wire.Delete
	if err := req.decodeCheckedXML(&d); err != nil {
		return err
	}
	if len(d.Objects) == 0 || len(d.Objects) > wire.MaxDeleteObjects {
		return errorf(wire.CodeMalformedXML, "A Delete request must name between 1 and %d objects; it names %d.", wire.MaxDeleteObjects, len(d.Objects))
	}
	var res wire.DeleteResult
	var removed []*object
	s.mu.Lock()
	b, err := s.ownBucket(req.c, req.bucket)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	for _, oi := range d.Objects {
		switch {
		case oi.Key == "":
			res.Errors = append(res.Errors, wire.DeleteError{Key: oi.Key, Code: wire.CodeInvalidArgument, Message: "The key must not be empty."})
			continue
		case validateKey(oi.Key) != nil:
			e := asS3Error(validateKey(oi.Key))
			res.Errors = append(res.Errors, wire.DeleteError{Key: oi.Key, Code: e.code, Message: e.message})
			continue
		case oi.VersionID != "" && oi.VersionID != "null":
			res.Errors = append(res.Errors, wire.DeleteError{Key: oi.Key, Code: wire.CodeInvalidArgument, Message: "Invalid version id specified"})
			continue
		}
		if o := b.Objects[oi.Key]; o != nil {
			delete(b.Objects, oi.Key)
			removed = append(removed, o)
		}
		if !d.Quiet {
			res.Deleted = append(res.Deleted, wire.DeletedObject(oi))
		}
	}
	s.mu.Unlock()
	for _, o := range removed {
		s.removeBlobs(o.Blob)
		s.publishDelete(req.c.account.ID, req.bucket, o, req.cause())
	}
	writeXML(req.w, http.StatusOK, &res)
	return nil
}

// copySource parses x-amz-copy-source: "[/]bucket/key[?versionId=...]",
// URL-encoded.
func copySource(v string) (bucketName, key string, err error) {
	raw, version, _ := strings.Cut(v, "?")
	if version != "" {
		vals, perr := url.ParseQuery(version)
		if perr != nil || (vals.Get("versionId") != "" && vals.Get("versionId") != "null") {
			return "", "", errorf(wire.CodeInvalidArgument, "Invalid version id specified in x-amz-copy-source")
		}
	}
	dec, uerr := url.PathUnescape(raw)
	if uerr != nil {
		return "", "", errorf(wire.CodeInvalidArgument, "x-amz-copy-source is not validly URL-encoded: %v", uerr)
	}
	bucketName, key, ok := strings.Cut(strings.TrimPrefix(dec, "/"), "/")
	if !ok || bucketName == "" || key == "" {
		return "", "", errorf(wire.CodeInvalidArgument, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
	}
	if err := validateKey(key); err != nil {
		return "", "", err
	}
	return bucketName, key, nil
}

// checkCopyConditions evaluates x-amz-copy-source-if-*; every failure is 412.
func checkCopyConditions(h http.Header, o *object) error {
	lm := o.LastModified.Truncate(time.Second)
	if v := h.Get("X-Amz-Copy-Source-If-Match"); v != "" && !etagMatches(v, o.ETag) {
		return errCode(wire.CodePreconditionFailed)
	}
	if v := h.Get("X-Amz-Copy-Source-If-None-Match"); v != "" && etagMatches(v, o.ETag) {
		return errCode(wire.CodePreconditionFailed)
	}
	if t, err := http.ParseTime(h.Get("X-Amz-Copy-Source-If-Unmodified-Since")); err == nil && lm.After(t) {
		return errCode(wire.CodePreconditionFailed)
	}
	if t, err := http.ParseTime(h.Get("X-Amz-Copy-Source-If-Modified-Since")); err == nil && !lm.After(t) {
		return errCode(wire.CodePreconditionFailed)
	}
	return nil
}

// openCopySource finds the source object of a copy, checks that the caller
// may read it and the copy conditions, and opens its body.
func (req *request) openCopySource() (object, io.ReadSeekCloser, error) {
	srcBucket, srcKey, err := copySource(req.r.Header.Get("X-Amz-Copy-Source"))
	if err != nil {
		return object{}, nil, err
	}
	s := req.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	cur, err := s.readableObject(req.c, srcBucket, srcKey)
	if err != nil {
		return object{}, nil, err
	}
	if err := checkCopyConditions(req.r.Header, cur); err != nil {
		return object{}, nil, err
	}
	body, err := s.openBlob(cur.Blob)
	if err != nil {
		return object{}, nil, err
	}
	src := *cur
	src.Key = srcBucket + "/" + srcKey
	return src, body, nil
}

func (req *request) copyObject() error {
	s := req.s
	directive := req.r.Header.Get("X-Amz-Metadata-Directive")
	if directive != "" && directive != "COPY" && directive != "REPLACE" {
		return errorf(wire.CodeInvalidArgument, "Unknown metadata directive %q; use COPY or REPLACE.", directive)
	}
	tagging := req.r.Header.Get("X-Amz-Tagging-Directive")
	if tagging != "" && tagging != "COPY" && tagging != "REPLACE" {
		return errorf(wire.CodeInvalidArgument, "Unknown tagging directive %q; use COPY or REPLACE.", tagging)
	}
	meta, err := metaFromHeaders(req.r.Header)
	if err != nil {
		return err
	}
	cond, err := parsePutCondition(req.r.Header)
	if err != nil {
		return err
	}
	if err := s.checkOwnBucket(req.c, req.bucket); err != nil {
		return err
	}
	src, body, err := req.openCopySource()
	if err != nil {
		return err
	}
	defer body.Close()
	if src.Key == req.bucket+"/"+req.key && directive != "REPLACE" {
		return errorf(wire.CodeInvalidRequest, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	if src.Blob.Size > wire.MaxObjectSize {
		return errorf(wire.CodeInvalidRequest, "The specified copy source is larger than the maximum allowable size for a copy source: %d", int64(wire.MaxObjectSize))
	}
	newTags := meta.Tags
	if directive != "REPLACE" {
		acl := meta.ACL
		meta = src.objectMeta
		meta.ACL = acl
	}
	// The tags follow x-amz-tagging-directive, whatever the metadata do.
	if tagging == "REPLACE" {
		meta.Tags = newTags
	} else {
		meta.Tags = src.Tags
	}
	// A composite checksum (of the parts' checksums) is not a checksum of
	// the copy's body, so it is not copied; a full-object one is.
	o, err := req.storeObject(body, meta, cond, func() *objectChecksum {
		if src.Checksum != nil && src.Checksum.Parts > 0 {
			return nil
		}
		return src.Checksum
	})
	if err != nil {
		return err
	}
	writeXML(req.w, http.StatusOK, &wire.CopyObjectResult{LastModified: wire.FormatTime(o.LastModified), ETag: o.ETag})
	return nil
}
