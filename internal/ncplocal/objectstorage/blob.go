package objectstorage

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// blob is the immutable body of an object or of an uploaded part. A new
// write always makes a new blob, so a reader holding one keeps a consistent
// view while the object is replaced.
//
// In memory mode Data holds the bytes. With a data dir the bytes are in the
// file blobs/<ID> under the service directory, written to tmp/ first and
// renamed into place once complete, so a half-written body is never visible.
type blob struct {
	ID   string `json:"id,omitempty"`
	Size int64  `json:"size"`
	Data []byte `json:"data,omitempty"`
}

const (
	blobDirName = "blobs"
	tmpDirName  = "tmp"
)

// newBlobID returns a random 128-bit hex identifier.
func newBlobID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validBlobID reports whether id has the form newBlobID produces, so that a
// restored snapshot cannot point outside the blob directory.
func validBlobID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

func (s *Service) blobPath(id string) string { return filepath.Join(s.dir, blobDirName, id) }

// writeBlob stores everything r yields as a new blob, up to limit bytes
// (more is EntityTooLarge), and returns it with the MD5 of its content. An
// error from r (a failed verification) discards what was written.
func (s *Service) writeBlob(r io.Reader, limit int64) (blob, []byte, error) {
	h := md5.New()
	lr := &io.LimitedReader{R: r, N: limit + 1}
	if s.dir == "" {
		var buf bytes.Buffer
		if _, err := io.Copy(io.MultiWriter(&buf, h), lr); err != nil {
			return blob{}, nil, err
		}
		if int64(buf.Len()) > limit {
			return blob{}, nil, errCode(wire.CodeEntityTooLarge)
		}
		return blob{Size: int64(buf.Len()), Data: buf.Bytes()}, h.Sum(nil), nil
	}
	if err := s.ensureDirs(); err != nil {
		return blob{}, nil, fmt.Errorf("create data directories: %w", err)
	}
	f, err := os.CreateTemp(filepath.Join(s.dir, tmpDirName), "upload-*")
	if err != nil {
		return blob{}, nil, fmt.Errorf("create temporary file: %w", err)
	}
	tmp := f.Name()
	fail := func(err error) (blob, []byte, error) {
		_ = f.Close()
		_ = os.Remove(tmp)
		return blob{}, nil, err
	}
	n, err := io.Copy(io.MultiWriter(f, h), lr)
	if err != nil {
		return fail(err)
	}
	if n > limit {
		return fail(errCode(wire.CodeEntityTooLarge))
	}
	if err := f.Sync(); err != nil {
		return fail(fmt.Errorf("sync %s: %w", tmp, err))
	}
	if err := f.Close(); err != nil {
		return fail(fmt.Errorf("close %s: %w", tmp, err))
	}
	id := newBlobID()
	if err := os.Rename(tmp, s.blobPath(id)); err != nil {
		_ = os.Remove(tmp)
		return blob{}, nil, fmt.Errorf("store body: %w", err)
	}
	return blob{ID: id, Size: n}, h.Sum(nil), nil
}

// readSeekNopCloser gives a bytes.Reader a no-op Close.
type readSeekNopCloser struct{ *bytes.Reader }

func (readSeekNopCloser) Close() error { return nil }

// openBlob opens b for reading. Callers open under the service lock and
// read after releasing it: an opened file stays readable after the object is
// replaced and its file removed.
func (s *Service) openBlob(b blob) (io.ReadSeekCloser, error) {
	if b.ID == "" {
		return readSeekNopCloser{bytes.NewReader(b.Data)}, nil
	}
	f, err := os.Open(s.blobPath(b.ID))
	if err != nil {
		return nil, fmt.Errorf("open object body: %w", err)
	}
	return f, nil
}

// removeBlobs deletes the files of blobs no longer referenced. Call it
// outside the lock.
func (s *Service) removeBlobs(bs ...blob) {
	for _, b := range bs {
		if b.ID != "" && s.dir != "" {
			// A failure leaves an unreferenced file behind; no data is lost.
			_ = os.Remove(s.blobPath(b.ID))
		}
	}
}

// blobSequence reads a list of blobs one after the other, opening each only
// when it is reached, so concatenating 10000 parts never holds 10000 files
// open.
type blobSequence struct {
	s     *Service
	blobs []blob
	cur   io.ReadCloser
}

func (q *blobSequence) Read(p []byte) (int, error) {
	for {
		if q.cur == nil {
			if len(q.blobs) == 0 {
				return 0, io.EOF
			}
			rc, err := q.s.openBlob(q.blobs[0])
			if err != nil {
				return 0, err
			}
			q.cur, q.blobs = rc, q.blobs[1:]
		}
		n, err := q.cur.Read(p)
		if errors.Is(err, io.EOF) {
			_ = q.cur.Close()
			q.cur = nil
			if n > 0 {
				return n, nil
			}
			continue
		}
		return n, err
	}
}

// Close closes the blob being read, if any.
func (q *blobSequence) Close() error {
	if q.cur != nil {
		return q.cur.Close()
	}
	return nil
}
