package globaledge_test

import (
	"bytes"
	"io"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
)

// fakeObjects is an origin whose every object holds "video".
type fakeObjects struct{}

type readSeekCloser struct{ *bytes.Reader }

func (readSeekCloser) Close() error { return nil }

func (fakeObjects) ReadObjectAnonymously(bucket, key string) (io.ReadCloser, objectstorage.ObjectInfo, error) {
	return readSeekCloser{bytes.NewReader([]byte("video"))}, objectstorage.ObjectInfo{Bucket: bucket, Key: key, Size: 5, ETag: "e",
		ContentType: "binary/octet-stream", LastModified: time.Unix(0, 0)}, nil
}
