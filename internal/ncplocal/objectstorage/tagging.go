package objectstorage

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// Object tagging: GetObjectTagging, PutObjectTagging, DeleteObjectTagging,
// x-amz-tagging on PutObject, CreateMultipartUpload and CopyObject (with
// x-amz-tagging-directive), and x-amz-tagging-count on GetObject and
// HeadObject. [?] The limits and messages are S3's; NCP's own are not
// documented where we could read them. Bucket tagging is not emulated: its
// GET answers NoSuchTagSet, its PUT NotImplemented (see subresource.go).

// validateTags checks a tag set as S3 does: at most 10 tags, keys of 1 to
// 128 characters that are unique and do not start with "aws:", values of at
// most 256 characters, all valid UTF-8. The allowed character set S3
// documents for tags is not enforced, because S3 does not enforce it on
// object tags either [?].
func validateTags(tags []wire.Tag) error {
	if len(tags) > wire.MaxObjectTags {
		return errorf(wire.CodeInvalidTag, "Object tags cannot be greater than %d", wire.MaxObjectTags)
	}
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		switch n := utf8.RuneCountInString(t.Key); {
		case !utf8.ValidString(t.Key) || n == 0 || n > wire.MaxTagKeyLength:
			return errorf(wire.CodeInvalidTag, "The TagKey you have provided is invalid: %q (a key has 1 to %d characters of UTF-8)", t.Key, wire.MaxTagKeyLength)
		case strings.HasPrefix(strings.ToLower(t.Key), "aws:"):
			return errorf(wire.CodeInvalidTag, "System tags cannot be added/updated by requester: %q", t.Key)
		case seen[t.Key]:
			return errorf(wire.CodeInvalidTag, "Cannot provide multiple Tags with the same key: %q", t.Key)
		}
		if !utf8.ValidString(t.Value) || utf8.RuneCountInString(t.Value) > wire.MaxTagValueLength {
			return errorf(wire.CodeInvalidTag, "The TagValue you have provided is invalid for the key %q (a value has at most %d characters of UTF-8)", t.Key, wire.MaxTagValueLength)
		}
		seen[t.Key] = true
	}
	return nil
}

// taggingHeader reads x-amz-tagging, URL-query encoded tags ("a=1&b=2"),
// sorted by key; nil when absent.
func taggingHeader(h http.Header) ([]wire.Tag, error) {
	v, ok := h["X-Amz-Tagging"]
	if !ok || len(v) == 0 || v[0] == "" {
		return nil, nil
	}
	malformed := errorf(wire.CodeInvalidArgument, "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.")
	q, err := url.ParseQuery(v[0])
	if err != nil {
		return nil, malformed
	}
	tags := make([]wire.Tag, 0, len(q))
	for k, vs := range q {
		if len(vs) != 1 {
			return nil, malformed
		}
		tags = append(tags, wire.Tag{Key: k, Value: vs[0]})
	}
	sort.Slice(tags, func(i, j int) bool { return tags[i].Key < tags[j].Key })
	if err := validateTags(tags); err != nil {
		return nil, err
	}
	return tags, nil
}

// replaceObject swaps the request's object for a changed copy made by
// change, in a bucket the caller owns. Objects are replaced, never changed
// in place, so that readers holding one keep a consistent view.
func (req *request) replaceObject(b *bucket, change func(o *object)) error {
	o := b.Objects[req.key]
	if o == nil {
		return errCode(wire.CodeNoSuchKey)
	}
	no := *o
	change(&no)
	b.Objects[req.key] = &no
	return nil
}

func (req *request) getObjectTagging() error {
	var tags []wire.Tag
	err := req.readOwnBucket(func(b *bucket) error {
		o := b.Objects[req.key]
		if o == nil {
			return errCode(wire.CodeNoSuchKey)
		}
		tags = o.Tags
		return nil
	})
	if err != nil {
		return err
	}
	writeXML(req.w, http.StatusOK, &wire.Tagging{Xmlns: wire.Namespace, TagSet: wire.TagSet{Tags: tags}})
	return nil
}

func (req *request) putObjectTagging() error {
	if err := req.s.checkOwnBucket(req.c, req.bucket); err != nil {
		return err
	}
	var doc wire.Tagging
	if err := req.decodeCheckedXML(&doc); err != nil {
		return err
	}
	tags := doc.TagSet.Tags
	if err := validateTags(tags); err != nil {
		return err
	}
	return req.writeOwnBucket(func(b *bucket) error {
		if err := req.replaceObject(b, func(o *object) { o.Tags = tags }); err != nil {
			return err
		}
		req.w.WriteHeader(http.StatusOK)
		return nil
	})
}

func (req *request) deleteObjectTagging() error {
	return req.writeOwnBucket(func(b *bucket) error {
		if err := req.replaceObject(b, func(o *object) { o.Tags = nil }); err != nil {
			return err
		}
		req.w.WriteHeader(http.StatusNoContent)
		return nil
	})
}
