package objectstorage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// snapshotVersion is the version of the Snapshot format.
const snapshotVersion = 1

// Storage modes recorded in a snapshot.
const (
	storageMemory = "memory"
	storageDisk   = "disk"
)

// snapshot is the saved state. With a data dir, object bodies stay in
// their files and blobs carry only their IDs; in memory mode the bodies are
// inline (base64 in JSON).
type snapshot struct {
	Version int       `json:"version"`
	Storage string    `json:"storage"`
	Buckets []*bucket `json:"buckets"`
}

func accountOf(id string) emu.Account { return emu.Account{ID: id} }

// Snapshot implements emu.Persistent.
func (s *Service) Snapshot() ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	snap := snapshot{Version: snapshotVersion, Storage: storageMemory, Buckets: []*bucket{}}
	if s.dir != "" {
		snap.Storage = storageDisk
	}
	for _, b := range s.buckets {
		snap.Buckets = append(snap.Buckets, b)
	}
	sort.Slice(snap.Buckets, func(i, j int) bool { return snap.Buckets[i].Name < snap.Buckets[j].Name })
	s.noteSnapshot(snap.Buckets)
	data, err := json.Marshal(&snap)
	if err != nil {
		return nil, fmt.Errorf("objectstorage: snapshot: %w", err)
	}
	return data, nil
}

// Restore implements emu.Persistent. It replaces the state with a
// snapshot after checking all of it; on any error the state is unchanged.
// With a data dir, every body the snapshot references must be present in
// its file with the recorded size; bodies saved inline (a memory-mode
// snapshot) are written to files. Bodies of the replaced state are left in
// place (CollectGarbage removes them at the next start).
func (s *Service) Restore(data []byte) error {
	var snap snapshot
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&snap); err != nil {
		return fmt.Errorf("objectstorage: restore: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("objectstorage: restore: trailing data after the snapshot")
	}
	if snap.Version != snapshotVersion {
		return fmt.Errorf("objectstorage: restore: unsupported snapshot version %d", snap.Version)
	}
	if snap.Storage != storageMemory && snap.Storage != storageDisk {
		return fmt.Errorf("objectstorage: restore: unknown storage mode %q", snap.Storage)
	}
	r := restorer{s: s}
	buckets, err := r.buckets(snap.Buckets)
	if err != nil {
		s.deleteBlobFiles(blobIDs(r.written)) // never part of any state
		return fmt.Errorf("objectstorage: restore: %w", err)
	}
	s.mu.Lock()
	s.buckets = buckets
	s.mu.Unlock()
	return nil
}

// blobIDs returns the file IDs of bs.
func blobIDs(bs []blob) []string {
	var ids []string
	for _, b := range bs {
		if b.ID != "" {
			ids = append(ids, b.ID)
		}
	}
	return ids
}

// restorer validates a snapshot and remembers the files it wrote.
type restorer struct {
	s       *Service
	written []blob
}

func (r *restorer) buckets(list []*bucket) (map[string]*bucket, error) {
	out := make(map[string]*bucket, len(list))
	for _, b := range list {
		if b == nil {
			return nil, errors.New("null bucket")
		}
		if err := wire.ValidateBucketName(b.Name); err != nil {
			return nil, err
		}
		if out[b.Name] != nil {
			return nil, fmt.Errorf("bucket %q appears twice", b.Name)
		}
		if b.Owner == "" {
			return nil, fmt.Errorf("bucket %q has no owner", b.Name)
		}
		if !wire.ValidCannedACL(b.ACL) {
			return nil, fmt.Errorf("bucket %q has an invalid ACL %q", b.Name, b.ACL)
		}
		if b.CORS != nil {
			if err := validateCORS(b.CORS); err != nil {
				return nil, fmt.Errorf("bucket %q: %w", b.Name, err)
			}
		}
		if b.Objects == nil {
			b.Objects = map[string]*object{}
		}
		if b.Uploads == nil {
			b.Uploads = map[string]*upload{}
		}
		for key, o := range b.Objects {
			if err := r.object(key, o); err != nil {
				return nil, fmt.Errorf("bucket %q: %w", b.Name, err)
			}
		}
		for id, u := range b.Uploads {
			if err := r.upload(id, u); err != nil {
				return nil, fmt.Errorf("bucket %q: %w", b.Name, err)
			}
		}
		out[b.Name] = b
	}
	return out, nil
}

func (r *restorer) meta(what string, m objectMeta, checksum *objectChecksum) error {
	if !wire.ValidCannedACL(m.ACL) {
		return fmt.Errorf("%s has an invalid ACL %q", what, m.ACL)
	}
	if err := validateTags(m.Tags); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if checksum != nil {
		if _, ok := checksumAlgorithms[checksum.Algorithm]; !ok {
			return fmt.Errorf("%s has a checksum of unknown algorithm %q", what, checksum.Algorithm)
		}
		if err := checksum.validate(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	return nil
}

func (r *restorer) object(key string, o *object) error {
	what := fmt.Sprintf("object %q", key)
	switch {
	case o == nil:
		return fmt.Errorf("%s is null", what)
	case o.Key != key:
		return fmt.Errorf("%s is recorded under key %q", what, o.Key)
	case key == "" || validateKey(key) != nil:
		return fmt.Errorf("%s has an invalid key", what)
	case o.ETag == "":
		return fmt.Errorf("%s has no ETag", what)
	}
	if err := r.meta(what, o.objectMeta, o.Checksum); err != nil {
		return err
	}
	var total int64
	for _, ps := range o.PartSizes {
		total += ps
	}
	if len(o.PartSizes) > 0 && total != o.Blob.Size {
		return fmt.Errorf("%s: part sizes add up to %d, not the body size %d", what, total, o.Blob.Size)
	}
	return r.blob(what, &o.Blob)
}

// restoredUploadChecksum checks the checksum an upload was created with:
// a valid algorithm and type, and, on every part, a checksum of that
// algorithm (CompleteMultipartUpload combines them).
func restoredUploadChecksum(u *upload) error {
	if u.ChecksumAlgorithm == "" && u.ChecksumType == "" {
		return nil
	}
	alg, typ, err := uploadChecksum(http.Header{"X-Amz-Checksum-Algorithm": {u.ChecksumAlgorithm}, "X-Amz-Checksum-Type": {u.ChecksumType}})
	if err != nil || alg != u.ChecksumAlgorithm || typ != u.ChecksumType {
		return fmt.Errorf("invalid checksum algorithm %q or type %q", u.ChecksumAlgorithm, u.ChecksumType)
	}
	for n, p := range u.Parts {
		if p != nil && (p.Checksum == nil || p.Checksum.Algorithm != alg || p.Checksum.Parts != 0) {
			return fmt.Errorf("part %d has no %s checksum", n, alg)
		}
	}
	return nil
}

func (r *restorer) upload(id string, u *upload) error {
	what := fmt.Sprintf("upload %q", id)
	switch {
	case u == nil:
		return fmt.Errorf("%s is null", what)
	case u.ID != id:
		return fmt.Errorf("%s is recorded under id %q", what, u.ID)
	case u.Key == "" || validateKey(u.Key) != nil:
		return fmt.Errorf("%s has an invalid key", what)
	}
	if err := r.meta(what, u.objectMeta, nil); err != nil {
		return err
	}
	if err := restoredUploadChecksum(u); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if u.Parts == nil {
		u.Parts = map[int]*part{}
	}
	for n, p := range u.Parts {
		pw := fmt.Sprintf("%s part %d", what, n)
		switch {
		case p == nil:
			return fmt.Errorf("%s is null", pw)
		case p.Number != n || n < 1 || n > wire.MaxPartNumber:
			return fmt.Errorf("%s has an invalid number %d", pw, p.Number)
		case p.ETag == "":
			return fmt.Errorf("%s has no ETag", pw)
		}
		if err := r.meta(pw, objectMeta{ACL: wire.ACLPrivate}, p.Checksum); err != nil {
			return err
		}
		if err := r.blob(pw, &p.Blob); err != nil {
			return err
		}
	}
	return nil
}

// blob checks a body reference, and in disk mode writes an inline body to
// a file.
func (r *restorer) blob(what string, b *blob) error {
	s := r.s
	if b.Size < 0 {
		return fmt.Errorf("%s has a negative size", what)
	}
	inline := b.ID == ""
	if inline && int64(len(b.Data)) != b.Size {
		return fmt.Errorf("%s has %d bytes of inline body, not the recorded %d", what, len(b.Data), b.Size)
	}
	if !inline && b.Data != nil {
		return fmt.Errorf("%s has both a body file and an inline body", what)
	}
	if s.dir == "" {
		if !inline {
			return fmt.Errorf("%s has its body in a data dir file, but this service keeps bodies in memory", what)
		}
		return nil
	}
	if inline {
		nb, _, err := s.writeBlob(bytes.NewReader(b.Data), b.Size)
		if err != nil {
			return fmt.Errorf("%s: write body: %w", what, err)
		}
		r.written = append(r.written, nb)
		*b = nb
		return nil
	}
	if !validBlobID(b.ID) {
		return fmt.Errorf("%s has an invalid body id %q", what, b.ID)
	}
	fi, err := os.Stat(s.blobPath(b.ID))
	if err != nil {
		return fmt.Errorf("%s: body file: %w", what, err)
	}
	if !fi.Mode().IsRegular() || fi.Size() != b.Size {
		return fmt.Errorf("%s: body file %s has %d bytes, not the recorded %d", what, fi.Name(), fi.Size(), b.Size)
	}
	return nil
}
