package objectstorage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// Event types of ObjectEvent.
const (
	EventPut    = "PUT"
	EventDelete = "DELETE"
)

// ObjectEvent reports a change to an object, for other emulators (Cloud
// Functions object-storage triggers).
type ObjectEvent struct {
	AccountID string
	Bucket    string
	Key       string
	// Size is the size of the object written, or of the object deleted.
	Size int64
	// ETag is the entity tag without quotes ("<md5 hex>" or
	// "<md5 hex>-<parts>"), as S3 event notifications carry it.
	ETag string
	// Type is EventPut (put, copy, completed multipart upload, WriteObject)
	// or EventDelete (delete, multi-object delete of an existing key).
	Type string
	Time time.Time
	// Name is the S3 event name ("s3:ObjectCreated:Put", ...; see
	// wire.BucketEvents) bucket event rules match.
	Name string
	// Cause is the id of the Cloud Functions activation whose request made
	// the change (the ActivationHeader of requests that reach ncplocal
	// through an activation's own address), "" for any other request.
	Cause string
}

// ActivationHeader marks a request an action made while it ran: ncplocal's
// Cloud Functions gives each activation its own loopback address, which
// forwards to ncplocal with this header set to the activation id. Object
// events carry it as ObjectEvent.Cause, so that an action writing into its
// own trigger's bucket is recognised.
const ActivationHeader = "X-Ncplocal-Activation"

// eventOrigin is what an object event says about the request behind it.
type eventOrigin struct {
	name  string // S3 event name
	cause string // ActivationHeader
}

// cause returns the activation behind the request, "" when none.
func (req *request) cause() string { return req.r.Header.Get(ActivationHeader) }

// Subscribe registers fn to be called after every successful object
// change. fn runs synchronously in the goroutine that made the change, after
// the change is visible and outside the service's locks (an emu.Topic); it
// must not block for long. The returned function removes the subscription.
func (s *Service) Subscribe(fn func(ev ObjectEvent)) (unsubscribe func()) {
	return s.events.Subscribe(func(_ context.Context, ev ObjectEvent) { fn(ev) })
}

// publish calls every subscriber with ev.
func (s *Service) publish(ev ObjectEvent) { s.events.Publish(context.Background(), ev) }

// Errors of the in-process API (ReadObject, WriteObject).
var (
	ErrNoSuchBucket = errors.New("objectstorage: the bucket does not exist")
	ErrNoSuchKey    = errors.New("objectstorage: the object does not exist")
	ErrAccessDenied = errors.New("objectstorage: the bucket belongs to another account")
)

// ObjectInfo describes an object read through ReadObject.
type ObjectInfo struct {
	Bucket string
	Key    string
	Size   int64
	// ETag is the entity tag without quotes.
	ETag         string
	ContentType  string
	LastModified time.Time
	// Metadata holds the x-amz-meta-* values by lowercase name without the
	// prefix.
	Metadata map[string]string
	// ACL is the object's canned ACL (private, public-read, ...).
	ACL string
}

// PublicRead reports whether the object's ACL lets anyone read it without
// credentials (public-read, public-read-write), as an anonymous GET of the
// object through the S3 API would.
func (i ObjectInfo) PublicRead() bool {
	return aclGrantsRead(i.ACL, &caller{anonymous: true})
}

// inProcessError maps an S3 error to the in-process API's errors.
func inProcessError(err error) error {
	e := asS3Error(err)
	switch e.code {
	case wire.CodeNoSuchBucket:
		return ErrNoSuchBucket
	case wire.CodeNoSuchKey:
		return ErrNoSuchKey
	case wire.CodeAccessDenied:
		return ErrAccessDenied
	}
	return err
}

// ReadObject opens an object of a bucket accountID owns. The caller must
// close the reader; it keeps reading the version it opened even if the
// object is replaced meanwhile.
func (s *Service) ReadObject(accountID, bucketName, key string) (io.ReadCloser, ObjectInfo, error) {
	c := &caller{account: accountOf(accountID)}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if _, err := s.ownBucket(c, bucketName); err != nil {
		return nil, ObjectInfo{}, inProcessError(err)
	}
	o := s.buckets[bucketName].Objects[key]
	if o == nil {
		return nil, ObjectInfo{}, ErrNoSuchKey
	}
	return s.openObject(bucketName, key, o)
}

// WriteObject stores everything r yields as a private object of a bucket
// accountID owns, replacing any object of that key, and publishes a PUT
// event. An empty contentType stores binary/octet-stream.
func (s *Service) WriteObject(accountID, bucketName, key string, r io.Reader, contentType string) error {
	return s.WriteObjectACL(accountID, bucketName, key, r, contentType, wire.ACLPrivate)
}

// WriteObjectACL is WriteObject with the object's canned ACL (what a PUT
// with x-amz-acl sets); an ACL that is not a canned one is an error and
// stores nothing.
func (s *Service) WriteObjectACL(accountID, bucketName, key string, r io.Reader, contentType, acl string) error {
	if !wire.ValidCannedACL(acl) {
		return fmt.Errorf("objectstorage: the canned ACL %q is not supported; use private, public-read, public-read-write or authenticated-read", acl)
	}
	if key == "" {
		return errors.New("objectstorage: the object key must not be empty")
	}
	if err := validateKey(key); err != nil {
		return errors.New("objectstorage: " + asS3Error(err).message)
	}
	c := &caller{account: accountOf(accountID)}
	if err := s.checkOwnBucket(c, bucketName); err != nil {
		return inProcessError(err)
	}
	bl, sum, err := s.writeBlob(r, wire.MaxObjectSize)
	if err != nil {
		return err
	}
	if contentType == "" {
		contentType = defaultContentType
	}
	o := &object{
		Key:          key,
		ETag:         quoteETag(sum),
		LastModified: s.now().UTC().Truncate(timeResolution),
		objectMeta:   objectMeta{ContentType: contentType, ACL: acl},
		Blob:         bl,
	}
	if err := s.commitObject(accountID, bucketName, o, putCondition{}, eventOrigin{name: wire.EventObjectCreatedPut}); err != nil {
		s.removeBlobs(bl)
		return inProcessError(err)
	}
	// No request to Object Storage follows this write: make it durable
	// before the writer records it (a rendition of a COMPLETE job).
	if s.save != nil {
		if err := s.save(); err != nil {
			return fmt.Errorf("objectstorage: saving %s/%s: %w", bucketName, key, err)
		}
	}
	return nil
}

// SaveWith implements emu.SaveHooked: save is called after every in-process
// write (WriteObject, PutFolder). The server calls it once, before serving.
func (s *Service) SaveWith(save func() error) { s.save = save }
