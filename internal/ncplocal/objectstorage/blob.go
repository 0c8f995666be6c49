package objectstorage

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

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

// blobGC tracks which body files a snapshot on disk may reference, so that
// a file the state dropped is deleted only when no snapshot that could be
// restored after a crash points at it any more.
//
// durable holds the IDs the last durably written snapshot references (set
// by Snapshotted and CollectGarbage; nil before either, when no server
// writes snapshots). taken holds the IDs of snapshots taken since then,
// which may be on their way to disk. A dropped body in neither set is
// deleted at once; the others wait in pending until Snapshotted reports a
// snapshot that no longer references them.
type blobGC struct {
	mu      sync.Mutex
	durable map[string]bool
	taken   map[string]bool
	pending map[string]bool
}

// removeBlobs disposes of the files of blobs the state no longer references
// (or never did). Call it outside s.mu, after the blobs left the state.
func (s *Service) removeBlobs(bs ...blob) {
	if s.dir == "" {
		return
	}
	var now []string
	g := &s.gc
	g.mu.Lock()
	for _, b := range bs {
		switch {
		case b.ID == "":
		case g.durable[b.ID] || g.taken[b.ID]:
			if g.pending == nil {
				g.pending = map[string]bool{}
			}
			g.pending[b.ID] = true
		default:
			now = append(now, b.ID)
		}
	}
	g.mu.Unlock()
	s.deleteBlobFiles(now)
}

// deleteBlobFiles deletes body files. A failure leaves an unreferenced file
// behind, which the next start removes; no data is lost.
func (s *Service) deleteBlobFiles(ids []string) {
	for _, id := range ids {
		_ = os.Remove(s.blobPath(id))
	}
}

// noteSnapshot records the body files a snapshot being taken references.
// s.mu must be held (at least for reading), so that no blob can leave the
// state between listing it and protecting it.
func (s *Service) noteSnapshot(buckets []*bucket) {
	if s.dir == "" {
		return
	}
	ids := referencedBlobs(buckets)
	g := &s.gc
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.taken == nil {
		g.taken = ids
		return
	}
	for id := range ids {
		g.taken[id] = true
	}
}

// referencedBlobs returns the IDs of the body files buckets reference.
func referencedBlobs(buckets []*bucket) map[string]bool {
	ids := map[string]bool{}
	for _, b := range buckets {
		if b == nil {
			continue
		}
		for _, bl := range bucketBlobs(b) {
			if bl.ID != "" {
				ids[bl.ID] = true
			}
		}
	}
	return ids
}

// Snapshotted implements emu.GarbageCollector: data, the latest Snapshot,
// is now on disk, so dropped bodies it does not reference are deleted.
func (s *Service) Snapshotted(data []byte) {
	if s.dir == "" {
		return
	}
	var snap snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		return // not ours: keep every file
	}
	ids := referencedBlobs(snap.Buckets)
	var del []string
	g := &s.gc
	g.mu.Lock()
	g.durable, g.taken = ids, nil
	for id := range g.pending {
		if !ids[id] {
			del = append(del, id)
			delete(g.pending, id)
		}
	}
	g.mu.Unlock()
	s.deleteBlobFiles(del)
}

// CollectGarbage implements emu.GarbageCollector. Called before any request
// is served, it deletes every body file the state does not reference and
// every temporary file, the leftovers of a crash; the bodies the state
// references count as saved from now on.
func (s *Service) CollectGarbage() error {
	if s.dir == "" {
		return nil
	}
	s.mu.RLock()
	list := make([]*bucket, 0, len(s.buckets))
	for _, b := range s.buckets {
		list = append(list, b)
	}
	ids := referencedBlobs(list)
	s.mu.RUnlock()
	g := &s.gc
	g.mu.Lock()
	g.durable, g.taken, g.pending = ids, nil, nil
	g.mu.Unlock()

	var errs []error
	sweep := func(dir string, keep func(name string) bool) {
		entries, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		if err != nil {
			errs = append(errs, err)
			return
		}
		for _, e := range entries {
			if !e.Type().IsRegular() || keep(e.Name()) {
				continue
			}
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	sweep(filepath.Join(s.dir, blobDirName), func(name string) bool { return ids[name] })
	sweep(filepath.Join(s.dir, tmpDirName), func(string) bool { return false })
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("objectstorage: collect garbage: %w", err)
	}
	return nil
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
