package objectstorage

import (
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// ownerOf is the Owner element of an account: ID and display name are both
// the account ID.
func ownerOf(accountID string) wire.Owner {
	return wire.Owner{ID: accountID, DisplayName: accountID}
}

// ownBucket returns the named bucket if the caller owns it. Hold s.mu.
func (s *Service) ownBucket(c *caller, name string) (*bucket, error) {
	b := s.buckets[name]
	if b == nil {
		return nil, errCode(wire.CodeNoSuchBucket)
	}
	if c.anonymous || b.Owner != c.account.ID {
		return nil, errCode(wire.CodeAccessDenied)
	}
	return b, nil
}

// checkOwnBucket fails unless c owns the named bucket. Handlers call it
// before they read a request body and check again, under the write lock,
// when they commit.
func (s *Service) checkOwnBucket(c *caller, name string) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, err := s.ownBucket(c, name)
	return err
}

// readOwnBucket calls read with the request's bucket, which the caller must
// own, under the read lock.
func (req *request) readOwnBucket(read func(b *bucket) error) error {
	return req.readBucket((*Service).ownBucket, read)
}

// readBucket calls read, under the read lock, with the request's bucket as
// access returns it for the caller.
func (req *request) readBucket(access func(s *Service, c *caller, name string) (*bucket, error), read func(b *bucket) error) error {
	s := req.s
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := access(s, req.c, req.bucket)
	if err != nil {
		return err
	}
	return read(b)
}

// writeOwnBucket calls write with the request's bucket, which the caller
// must own, under the write lock.
func (req *request) writeOwnBucket(write func(b *bucket) error) error {
	s := req.s
	s.mu.Lock()
	defer s.mu.Unlock()
	b, err := s.ownBucket(req.c, req.bucket)
	if err != nil {
		return err
	}
	return write(b)
}

// aclGrantsRead reports whether a canned ACL lets c read.
func aclGrantsRead(acl string, c *caller) bool {
	switch acl {
	case wire.ACLPublicRead, wire.ACLPublicReadWrite:
		return true
	case wire.ACLAuthenticatedRead:
		return !c.anonymous
	}
	return false
}

// readableObject returns the object if c may read it: the owner always;
// any other caller (or an anonymous one) only when the object's own ACL
// grants read. A bucket's ACL grants listing, not reading its objects, as in
// S3; a caller it lets list learns that a missing key is missing, anyone
// else cannot tell. Hold s.mu.
func (s *Service) readableObject(c *caller, bucketName, key string) (*object, error) {
	b := s.buckets[bucketName]
	if b == nil {
		return nil, errCode(wire.CodeNoSuchBucket)
	}
	o := b.Objects[key]
	switch {
	case !c.anonymous && b.Owner == c.account.ID, o != nil && aclGrantsRead(o.ACL, c):
		if o == nil {
			return nil, errCode(wire.CodeNoSuchKey)
		}
		return o, nil
	case o == nil && aclGrantsRead(b.ACL, c):
		return nil, errCode(wire.CodeNoSuchKey)
	}
	return nil, errCode(wire.CodeAccessDenied)
}

// listableBucket returns the named bucket if c may list it: the owner, or
// anyone the bucket's ACL grants read (S3's READ on a bucket allows
// ListObjects, ListMultipartUploads and HeadBucket). Hold s.mu.
func (s *Service) listableBucket(c *caller, name string) (*bucket, error) {
	b := s.buckets[name]
	if b == nil {
		return nil, errCode(wire.CodeNoSuchBucket)
	}
	if (c.anonymous || b.Owner != c.account.ID) && !aclGrantsRead(b.ACL, c) {
		return nil, errCode(wire.CodeAccessDenied)
	}
	return b, nil
}

// readListableBucket calls read with the request's bucket, which the caller
// must be allowed to list, under the read lock.
func (req *request) readListableBucket(read func(b *bucket) error) error {
	return req.readBucket((*Service).listableBucket, read)
}

// maxXMLBody bounds the XML documents the service reads.
const maxXMLBody = 4 << 20

// readBody reads a small request body (an XML document) of at most
// maxXMLBody bytes, verified like any payload.
func (req *request) readBody() ([]byte, *payload, error) {
	return req.readBodyOf(true)
}

// readBodyOf is readBody; headerChecksums tells whether x-amz-checksum-*
// headers are checksums of the body (see openPayloadOf).
func (req *request) readBodyOf(headerChecksums bool) ([]byte, *payload, error) {
	const limit = maxXMLBody
	p, err := openPayloadOf(req.r, req.c, headerChecksums)
	if err != nil {
		return nil, nil, err
	}
	if p.size > limit {
		return nil, nil, errorf(wire.CodeMaxMessageLengthExceeded, "Your request was too big: at most %d bytes are accepted.", limit)
	}
	data, err := io.ReadAll(io.LimitReader(p, limit+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(data)) > limit {
		return nil, nil, errorf(wire.CodeMaxMessageLengthExceeded, "Your request was too big: at most %d bytes are accepted.", limit)
	}
	return data, p, nil
}

// decodeCheckedXML reads and parses a request document that must carry an
// integrity check (Content-MD5 or an x-amz-checksum-* header).
func (req *request) decodeCheckedXML(v any) error {
	data, p, err := req.readBody()
	if err != nil {
		return err
	}
	if !p.hasIntegrityCheck() {
		return errorf(wire.CodeInvalidRequest, "Missing required header for this request: Content-MD5 (or an x-amz-checksum-* header)")
	}
	return decodeXML(data, v)
}

// decodeXML parses a request document; anything that does not parse into v
// is MalformedXML.
func decodeXML(data []byte, v any) error {
	if err := xml.Unmarshal(data, v); err != nil {
		return errorf(wire.CodeMalformedXML, "The XML you provided was not well-formed or did not validate against our published schema: %v", err)
	}
	return nil
}

// rejectUnsupportedHeaders answers NotImplemented for request headers that
// ask for features ncplocal does not emulate, rather than ignoring them.
func rejectUnsupportedHeaders(h http.Header) error {
	for name := range h {
		l := strings.ToLower(name)
		switch {
		case strings.HasPrefix(l, "x-amz-grant-"):
			return notImplemented("grant headers (%s); use a canned x-amz-acl", l)
		case strings.HasPrefix(l, "x-amz-object-lock-"):
			return notImplemented("object lock (%s)", l)
		case strings.HasPrefix(l, "x-amz-server-side-encryption-customer-"), l == "x-amz-server-side-encryption-aws-kms-key-id":
			return notImplemented("server-side encryption with customer or KMS keys (%s)", l)
		case l == "x-amz-website-redirect-location":
			return notImplemented("website redirects (x-amz-website-redirect-location)")
		}
	}
	return nil
}

// checkObjectLockEnabled reads x-amz-bucket-object-lock-enabled of a
// CreateBucket. "false" asks for what every bucket here is, a bucket without
// object lock (current rclone and boto3's ObjectLockEnabledForBucket=False
// send it), so it is accepted; "true" asks for a feature ncplocal does not
// emulate. S3 parses the value as a boolean, ignoring case.
func checkObjectLockEnabled(h http.Header) error {
	vs := h.Values("X-Amz-Bucket-Object-Lock-Enabled")
	if len(vs) == 0 {
		return nil
	}
	switch strings.ToLower(strings.TrimSpace(vs[0])) {
	case "false":
		return nil
	case "true":
		return notImplemented("object lock (x-amz-bucket-object-lock-enabled: true)")
	}
	return errorf(wire.CodeInvalidArgument, "x-amz-bucket-object-lock-enabled must be true or false, not %q", vs[0])
}

// cannedACLHeader returns the x-amz-acl header, def when absent.
func cannedACLHeader(h http.Header, def string) (string, error) {
	acl := h.Get("X-Amz-Acl")
	if acl == "" {
		return def, nil
	}
	if !wire.ValidCannedACL(acl) {
		return "", errorf(wire.CodeInvalidArgument, "The canned ACL %q is not supported; use private, public-read, public-read-write or authenticated-read.", acl)
	}
	return acl, nil
}

// Continuation tokens are opaque to clients: the base64url of the last name
// returned.
func encodeToken(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func decodeToken(t string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil || t == "" {
		return "", errorf(wire.CodeInvalidArgument, "The continuation token provided is incorrect")
	}
	return string(b), nil
}

func (req *request) listBuckets() error {
	if req.c.anonymous {
		return errCode(wire.CodeAccessDenied)
	}
	prefix := req.q.Get("prefix")
	maxBuckets := -1
	if v := req.q.Get("max-buckets"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return errorf(wire.CodeInvalidArgument, "max-buckets must be an integer between 1 and 10000, not %q", v)
		}
		maxBuckets = n
	}
	after := ""
	if t := req.q.Get("continuation-token"); req.q.Has("continuation-token") {
		var err error
		if after, err = decodeToken(t); err != nil {
			return err
		}
	}
	s := req.s
	s.mu.RLock()
	var list []wire.Bucket
	for _, b := range s.buckets {
		if b.Owner == req.c.account.ID && strings.HasPrefix(b.Name, prefix) && b.Name > after {
			list = append(list, wire.Bucket{Name: b.Name, CreationDate: wire.FormatTime(b.Created)})
		}
	}
	s.mu.RUnlock()
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	res := wire.ListAllMyBucketsResult{Owner: ownerOf(req.c.account.ID), Prefix: prefix}
	if maxBuckets >= 0 && len(list) > maxBuckets {
		list = list[:maxBuckets]
		res.ContinuationToken = encodeToken(list[len(list)-1].Name)
	}
	res.Buckets = list
	writeXML(req.w, http.StatusOK, &res)
	return nil
}

// createBucket accepts an optional CreateBucketConfiguration. Its
// LocationConstraint, when given, must name this endpoint's region, as S3
// requires of a regional endpoint: clients send their configured region, the
// region name ("kr-standard") or the provider's code ("KR"), the same names
// the SigV4 scope may carry [?]. GetBucketLocation answers kr-standard.
func (req *request) createBucket() error {
	if req.c.anonymous {
		return errCode(wire.CodeAccessDenied)
	}
	if err := wire.ValidateBucketName(req.bucket); err != nil {
		var bne *wire.BucketNameError
		if errors.As(err, &bne) {
			return errorf(wire.CodeInvalidBucketName, "The specified bucket is not valid: the name %s.", bne.Rule)
		}
		return errorf(wire.CodeInvalidBucketName, "The specified bucket is not valid: %v", err)
	}
	if err := rejectUnsupportedHeaders(req.r.Header); err != nil {
		return err
	}
	if err := checkObjectLockEnabled(req.r.Header); err != nil {
		return err
	}
	acl, err := cannedACLHeader(req.r.Header, wire.ACLPrivate)
	if err != nil {
		return err
	}
	data, _, err := req.readBody()
	if err != nil {
		return err
	}
	if len(strings.TrimSpace(string(data))) > 0 {
		var cfg wire.CreateBucketConfiguration
		if err := decodeXML(data, &cfg); err != nil {
			return err
		}
		if lc := strings.TrimSpace(cfg.LocationConstraint); lc != "" && !acceptedScopeRegion(lc) {
			return errorf(wire.CodeIllegalLocationConstraintError,
				"The %s location constraint is incompatible for the region specific endpoint this request was sent to.", lc)
		}
	}
	s := req.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if b := s.buckets[req.bucket]; b != nil {
		if b.Owner == req.c.account.ID {
			return errCode(wire.CodeBucketAlreadyOwnedByYou)
		}
		return errCode(wire.CodeBucketAlreadyExists)
	}
	owned := 0
	for _, b := range s.buckets {
		if b.Owner == req.c.account.ID {
			owned++
		}
	}
	if owned >= wire.MaxBucketsPerAccount {
		return errorf(wire.CodeTooManyBuckets, "You have attempted to create more buckets than allowed: an account may own at most %d buckets.", wire.MaxBucketsPerAccount)
	}
	s.buckets[req.bucket] = &bucket{
		Name:    req.bucket,
		Owner:   req.c.account.ID,
		Created: s.now().UTC().Truncate(timeResolution),
		ACL:     acl,
		Objects: map[string]*object{},
		Uploads: map[string]*upload{},
	}
	if req.vhost {
		req.w.Header().Set("Location", strings.TrimSuffix(req.location(), "/")+"/")
	} else {
		req.w.Header().Set("Location", "/"+req.bucket)
	}
	req.w.WriteHeader(http.StatusOK)
	return nil
}

func (req *request) headBucket() error {
	if err := req.readListableBucket(func(*bucket) error { return nil }); err != nil {
		return err
	}
	req.w.Header().Set("x-amz-bucket-region", wire.DefaultRegion)
	req.w.WriteHeader(http.StatusOK)
	return nil
}

func (req *request) deleteBucket() error {
	return req.writeOwnBucket(func(b *bucket) error {
		if len(b.Objects) > 0 || len(b.Uploads) > 0 {
			return errorf(wire.CodeBucketNotEmpty, "The bucket you tried to delete is not empty: it holds %d objects and %d in-progress multipart uploads.", len(b.Objects), len(b.Uploads))
		}
		delete(req.s.buckets, req.bucket)
		req.w.WriteHeader(http.StatusNoContent)
		return nil
	})
}

func (req *request) getBucketLocation() error {
	if err := req.s.checkOwnBucket(req.c, req.bucket); err != nil {
		return err
	}
	writeXML(req.w, http.StatusOK, &wire.LocationConstraint{Region: wire.DefaultRegion})
	return nil
}

// writeACL answers an AccessControlPolicy for a canned ACL.
func (req *request) writeACL(ownerID, acl string) {
	owner := ownerOf(ownerID)
	writeXML(req.w, http.StatusOK, &wire.AccessControlPolicy{
		Xmlns:  wire.Namespace,
		Owner:  owner,
		Grants: wire.CannedGrants(acl, owner),
	})
}

// requestedACL reads the ACL of a PUT ?acl request: the x-amz-acl header or
// an AccessControlPolicy body that amounts to a canned ACL.
func (req *request) requestedACL(ownerID string) (string, error) {
	if err := rejectUnsupportedHeaders(req.r.Header); err != nil {
		return "", err
	}
	data, _, err := req.readBody()
	if err != nil {
		return "", err
	}
	hdr := req.r.Header.Get("X-Amz-Acl")
	if len(strings.TrimSpace(string(data))) == 0 {
		if hdr == "" {
			return "", errorf(wire.CodeMissingSecurityHeader, "Your request was missing a required header: x-amz-acl or an AccessControlPolicy body.")
		}
		return cannedACLHeader(req.r.Header, wire.ACLPrivate)
	}
	if hdr != "" {
		return "", errorf(wire.CodeInvalidRequest, "Specify either the x-amz-acl header or an AccessControlPolicy body, not both.")
	}
	var pol wire.AccessControlPolicy
	if err := xml.Unmarshal(data, &pol); err != nil {
		return "", errorf(wire.CodeMalformedACLError, "The XML you provided was not well-formed or did not validate against our published schema: %v", err)
	}
	if pol.Owner.ID != "" && pol.Owner.ID != ownerID {
		return "", errorf(wire.CodeAccessDenied, "The owner in the AccessControlPolicy is not the owner of the resource.")
	}
	acl := wire.CannedACLOf(pol.Grants, ownerOf(ownerID))
	if acl == "" {
		return "", notImplemented("access control lists other than those of the canned ACLs private, public-read, public-read-write and authenticated-read")
	}
	return acl, nil
}

// getACL answers a GET ?acl request with the canned ACL aclOf finds in the
// caller's bucket (the bucket's own, or one of its objects').
func (req *request) getACL(aclOf func(b *bucket) (string, error)) error {
	var owner, acl string
	err := req.readOwnBucket(func(b *bucket) (err error) {
		owner = b.Owner
		acl, err = aclOf(b)
		return err
	})
	if err != nil {
		return err
	}
	req.writeACL(owner, acl)
	return nil
}

// putACL reads the ACL of a PUT ?acl request and has set apply it to the
// caller's bucket (to the bucket, or to one of its objects).
func (req *request) putACL(set func(b *bucket, acl string) error) error {
	if err := req.s.checkOwnBucket(req.c, req.bucket); err != nil {
		return err
	}
	acl, err := req.requestedACL(req.c.account.ID)
	if err != nil {
		return err
	}
	return req.writeOwnBucket(func(b *bucket) error {
		if err := set(b, acl); err != nil {
			return err
		}
		req.w.WriteHeader(http.StatusOK)
		return nil
	})
}

func (req *request) getBucketACL() error {
	return req.getACL(func(b *bucket) (string, error) { return b.ACL, nil })
}

func (req *request) putBucketACL() error {
	return req.putACL(func(b *bucket, acl string) error {
		b.ACL = acl
		return nil
	})
}

func (req *request) getObjectACL() error {
	return req.getACL(func(b *bucket) (string, error) {
		o := b.Objects[req.key]
		if o == nil {
			return "", errCode(wire.CodeNoSuchKey)
		}
		return o.ACL, nil
	})
}

func (req *request) putObjectACL() error {
	return req.putACL(func(b *bucket, acl string) error {
		return req.replaceObject(b, func(o *object) { o.ACL = acl })
	})
}
