package objectstorage

import (
	"errors"
	"io"
	"net/http"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// Anonymous reads are what a CDN edge makes of an Object Storage origin: it
// fetches objects without credentials, so it gets what anyone on the
// internet gets from the bucket's public URL.

// ErrAnonymousDenied is Object Storage refusing an anonymous read: the
// object's ACL does not let anyone read it, or the object is missing and
// the bucket's ACL does not let anyone list it (S3 then hides which).
var ErrAnonymousDenied = errors.New("objectstorage: access denied to an anonymous reader (the object is not public-read)")

// ReadObjectAnonymously opens an object as an anonymous GET of the S3 API
// would: only when its ACL lets anyone read it (public-read,
// public-read-write). Its errors are that GET's: ErrNoSuchBucket,
// ErrNoSuchKey (only when the bucket's ACL lets anyone list it) or
// ErrAnonymousDenied. The caller must close the reader.
func (s *Service) ReadObjectAnonymously(bucketName, key string) (io.ReadCloser, ObjectInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o, err := s.readableObject(&caller{anonymous: true}, bucketName, key)
	if err != nil {
		if asS3Error(err).code == wire.CodeAccessDenied {
			return nil, ObjectInfo{}, ErrAnonymousDenied
		}
		return nil, ObjectInfo{}, inProcessError(err)
	}
	return s.openObject(bucketName, key, o)
}

// openObject opens o, the object key of bucketName, with its description.
// Hold s.mu.
func (s *Service) openObject(bucketName, key string, o *object) (io.ReadCloser, ObjectInfo, error) {
	rc, err := s.openBlob(o.Blob)
	if err != nil {
		return nil, ObjectInfo{}, err
	}
	meta := make(map[string]string, len(o.UserMeta))
	for k, v := range o.UserMeta {
		meta[k] = v
	}
	return rc, ObjectInfo{
		Bucket: bucketName, Key: key, Size: o.Blob.Size, ETag: trimETag(o.ETag),
		ContentType: o.ContentType, LastModified: o.LastModified, Metadata: meta, ACL: o.ACL,
	}, nil
}

// WriteAnonymousError answers err, an error of ReadObjectAnonymously for
// bucketName/key, with the S3 error document Object Storage gives that
// anonymous GET (status, Code, Message, the object's path as Resource and a
// request ID): what a CDN passes on from its origin. An error that is not
// one of ReadObjectAnonymously's is an InternalError carrying its text.
func WriteAnonymousError(w http.ResponseWriter, r *http.Request, bucketName, key string, err error) {
	var e *s3Error
	switch {
	case errors.Is(err, ErrAnonymousDenied):
		e = errCode(wire.CodeAccessDenied)
	case errors.Is(err, ErrNoSuchKey):
		e = errCode(wire.CodeNoSuchKey)
	case errors.Is(err, ErrNoSuchBucket):
		e = errCode(wire.CodeNoSuchBucket)
	default:
		e = asS3Error(err)
	}
	id := emu.NewS3RequestID()
	w.Header().Set("x-amz-request-id", id)
	status := wire.HTTPStatus(e.code)
	if r.Method == http.MethodHead {
		w.WriteHeader(status)
		return
	}
	writeXML(w, status, &wire.Error{Code: e.code, Message: e.message, Resource: "/" + bucketName + "/" + key, RequestID: id})
}
