package objectstorage

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// listItem is one entry of a listing page: a key, or a common prefix.
type listItem struct {
	name     string
	isPrefix bool
}

// paginate walks sorted names that start with prefix and sort after
// "after", rolls names up to their common prefix at the first delimiter
// past the prefix, and returns at most limit entries; truncated tells
// whether more entries follow. A common prefix at or before "after" was
// returned on an earlier page and is skipped.
func paginate(names []string, prefix, delimiter, after string, limit int) (items []listItem, truncated bool) {
	if limit <= 0 {
		return nil, false
	}
	lastPrefix := ""
	for i := sort.SearchStrings(names, prefix); i < len(names); i++ {
		n := names[i]
		if !strings.HasPrefix(n, prefix) {
			break
		}
		if n <= after {
			continue
		}
		item := listItem{name: n}
		if delimiter != "" {
			if j := strings.Index(n[len(prefix):], delimiter); j >= 0 {
				cp := n[:len(prefix)+j+len(delimiter)]
				if cp == lastPrefix || cp <= after {
					continue
				}
				item = listItem{name: cp, isPrefix: true}
			}
		}
		if len(items) == limit {
			return items, true
		}
		items = append(items, item)
		if item.isPrefix {
			lastPrefix = item.name
		}
	}
	return items, false
}

// sortedKeys returns the keys of a bucket in order. Hold s.mu.
func sortedKeys(b *bucket) []string {
	keys := make([]string, 0, len(b.Objects))
	for k := range b.Objects {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// parseMax reads a page-size parameter: wire.MaxKeys when absent, capped
// at wire.MaxKeys.
func parseMax(q url.Values, name string) (int, error) {
	if !q.Has(name) {
		return wire.MaxKeys, nil
	}
	n, err := strconv.Atoi(q.Get(name))
	if err != nil || n < 0 {
		return 0, errorf(wire.CodeInvalidArgument, "Provided %s not an integer or within integer range: %q", name, q.Get(name))
	}
	return min(n, wire.MaxKeys), nil
}

// keyEncoder returns the function that encodes names in a listing answer:
// identity, or, for encoding-type=url, form encoding with '/' kept (what
// S3 sends and botocore decodes with unquote_plus).
func keyEncoder(q url.Values) (func(string) string, string, error) {
	switch et := q.Get("encoding-type"); et {
	case "":
		return func(s string) string { return s }, "", nil
	case "url":
		return func(s string) string {
			return strings.ReplaceAll(url.QueryEscape(s), "%2F", "/")
		}, et, nil
	default:
		return nil, "", errorf(wire.CodeInvalidArgument, "Invalid Encoding Method specified in Request: %q", et)
	}
}

// listedObject is the listing entry of an object.
func listedObject(o *object, enc func(string) string, owner *wire.Owner) wire.Object {
	return wire.Object{
		Key:          enc(o.Key),
		LastModified: wire.FormatTime(o.LastModified),
		ETag:         o.ETag,
		Size:         o.Blob.Size,
		Owner:        owner,
		StorageClass: wire.StorageClassStandard,
	}
}

// listEntries returns the common prefixes and the objects of a listing
// page of bucket b. Hold s.mu.
func listEntries(b *bucket, items []listItem, enc func(string) string, owner *wire.Owner) (prefixes []wire.CommonPrefix, objects []wire.Object) {
	for _, it := range items {
		if it.isPrefix {
			prefixes = append(prefixes, wire.CommonPrefix{Prefix: enc(it.name)})
		} else {
			objects = append(objects, listedObject(b.Objects[it.name], enc, owner))
		}
	}
	return prefixes, objects
}

func (req *request) listObjects() error {
	q := req.q
	enc, encType, err := keyEncoder(q)
	if err != nil {
		return err
	}
	maxKeys, err := parseMax(q, "max-keys")
	if err != nil {
		return err
	}
	prefix, delim, marker := q.Get("prefix"), q.Get("delimiter"), q.Get("marker")
	var res wire.ListBucketResult
	err = req.readListableBucket(func(b *bucket) error {
		items, truncated := paginate(sortedKeys(b), prefix, delim, marker, maxKeys)
		owner := ownerOf(b.Owner)
		res = wire.ListBucketResult{
			Name: b.Name, Prefix: enc(prefix), Marker: enc(marker), MaxKeys: maxKeys,
			Delimiter: enc(delim), IsTruncated: truncated, EncodingType: encType,
		}
		res.CommonPrefixes, res.Contents = listEntries(b, items, enc, &owner)
		if truncated && delim != "" {
			res.NextMarker = enc(items[len(items)-1].name)
		}
		return nil
	})
	if err != nil {
		return err
	}
	writeXML(req.w, http.StatusOK, &res)
	return nil
}

func (req *request) listObjectsV2() error {
	q := req.q
	enc, encType, err := keyEncoder(q)
	if err != nil {
		return err
	}
	maxKeys, err := parseMax(q, "max-keys")
	if err != nil {
		return err
	}
	prefix, delim, startAfter := q.Get("prefix"), q.Get("delimiter"), q.Get("start-after")
	after := startAfter
	token := q.Get("continuation-token")
	if q.Has("continuation-token") {
		if after, err = decodeToken(token); err != nil {
			return err
		}
	}
	var res wire.ListBucketResultV2
	err = req.readListableBucket(func(b *bucket) error {
		items, truncated := paginate(sortedKeys(b), prefix, delim, after, maxKeys)
		var owner *wire.Owner
		if q.Get("fetch-owner") == "true" {
			o := ownerOf(b.Owner)
			owner = &o
		}
		res = wire.ListBucketResultV2{
			Name: b.Name, Prefix: enc(prefix), MaxKeys: maxKeys, KeyCount: len(items),
			Delimiter: enc(delim), IsTruncated: truncated, ContinuationToken: token,
			StartAfter: enc(startAfter), EncodingType: encType,
		}
		res.CommonPrefixes, res.Contents = listEntries(b, items, enc, owner)
		if truncated {
			res.NextContinuationToken = encodeToken(items[len(items)-1].name)
		}
		return nil
	})
	if err != nil {
		return err
	}
	writeXML(req.w, http.StatusOK, &res)
	return nil
}
