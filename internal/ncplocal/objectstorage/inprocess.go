package objectstorage

import (
	"errors"
	"strings"
)

// In-process helpers for the services that write into Object Storage on
// the caller's behalf: VOD Station checks that a category's output bucket
// exists in the caller's account (260021 otherwise), creates the folder
// named after the category under the output path, and its encoder reads
// inputs and writes renditions (ReadObject, WriteObject).

// BucketOwner returns the account that owns bucket name; false when no
// bucket has that name.
func (s *Service) BucketOwner(name string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.buckets[name]
	if b == nil {
		return "", false
	}
	return b.Owner, true
}

// StatObject describes an object of a bucket accountID owns, without
// reading its body: ErrNoSuchBucket, ErrAccessDenied or ErrNoSuchKey when
// it cannot.
func (s *Service) StatObject(accountID, bucketName, key string) (ObjectInfo, error) {
	c := &caller{account: accountOf(accountID)}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := s.ownBucket(c, bucketName)
	if err != nil {
		return ObjectInfo{}, inProcessError(err)
	}
	o := b.Objects[key]
	if o == nil {
		return ObjectInfo{}, ErrNoSuchKey
	}
	meta := make(map[string]string, len(o.UserMeta))
	for k, v := range o.UserMeta {
		meta[k] = v
	}
	return ObjectInfo{
		Bucket: bucketName, Key: key, Size: o.Blob.Size, ETag: trimETag(o.ETag),
		ContentType: o.ContentType, LastModified: o.LastModified, Metadata: meta, ACL: o.ACL,
	}, nil
}

// PutFolder creates the empty object "<folder>/", the console's way of
// showing a folder, in a bucket accountID owns, unless an object of that key
// exists already. folder's leading and trailing slashes are ignored; an
// empty folder is an error.
func (s *Service) PutFolder(accountID, bucketName, folder string) error {
	folder = strings.Trim(folder, "/")
	if folder == "" {
		return errors.New("objectstorage: the folder name must not be empty")
	}
	key := folder + "/"
	if _, err := s.StatObject(accountID, bucketName, key); err == nil {
		return nil
	} else if !errors.Is(err, ErrNoSuchKey) {
		return err
	}
	return s.WriteObject(accountID, bucketName, key, strings.NewReader(""), "application/x-directory")
}
