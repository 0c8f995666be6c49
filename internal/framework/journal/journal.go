// Package journal is the provider's create journal: the proof that an
// object found before a create was made by an earlier create of this
// provider that never reached OpenTofu's state (its plugin was killed, the
// run was interrupted, its answer was lost).
//
// Before a create is sent, reconcile.CreateReconciled records an Entry (the
// resource type, a hash of the access key, the site and region, the
// object's unique key and the time); when NCP's answer names the object it
// records the ID. When OpenTofu gets the create's result with the object in
// it, or the create definitely failed, the entry is removed (see Scope and
// WrapServer). An entry left behind can only come from an interrupted
// create, so the next create of the same key adopts what it finds instead
// of refusing it as made by hand.
//
// A Journal is a directory holding one small JSON file per entry, each
// written atomically (a temporary file renamed into place), so parallel
// resources and parallel provider processes never see half an entry.
// Entries older than MaxAge are ignored and removed.
package journal

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// MaxAge is how long an entry counts: an interrupted create is converged by
// the next apply, and a week-old entry is more likely to match an object
// made by hand since than the one the create made.
const MaxAge = 7 * 24 * time.Hour

// DirName is the journal's directory inside OpenTofu's data directory.
const DirName = "ncp-create-journal"

// EnvDir is the environment variable that overrides where the journal
// lives; "off" disables it.
const EnvDir = "NCP_CREATE_JOURNAL_DIR"

// Identity is whose objects a journal records: entries of one identity
// never match creates of another. It holds no secret.
type Identity struct {
	// Account is a hash of the access key id.
	Account string
	Site    string
	Region  string
}

// AccountOf returns the Account of an access key: a short hash of it, so
// that the journal on disk does not even hold the access key id.
func AccountOf(accessKey string) string {
	sum := sha256.Sum256([]byte("ncp-create-journal\x00" + accessKey))
	return hex.EncodeToString(sum[:8])
}

// Journal is the journal of one provider block: a directory and the
// identity of the block's credentials. A nil *Journal is a disabled one:
// it records nothing and finds nothing.
type Journal struct {
	dir string
	id  Identity
	now func() time.Time
}

// Open returns the journal in dir for id, creating dir when needed, and
// removes the entries there older than MaxAge.
func Open(dir string, id Identity) (*Journal, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create journal directory %s: %w", dir, err)
	}
	j := &Journal{dir: dir, id: id, now: time.Now}
	j.sweep()
	return j, nil
}

// Dir returns where the journal lives ("" when it is disabled).
func (j *Journal) Dir() string {
	if j == nil {
		return ""
	}
	return j.dir
}

// Resolve says where the journal of a provider process lives:
//
//  1. the environment variable NCP_CREATE_JOURNAL_DIR when set ("off"
//     disables the journal);
//  2. else $TF_DATA_DIR/ncp-create-journal when TF_DATA_DIR is set (OpenTofu
//     passes its environment to the plugin, whose working directory is
//     OpenTofu's);
//  3. else .terraform/ncp-create-journal in the working directory cwd when
//     .terraform exists there (OpenTofu's data directory of an initialized
//     configuration);
//  4. else nowhere: "" (disabled). A provider run in-process by `go test`
//     has its package directory as working directory, which has no
//     .terraform, so the source tree is never written to.
func Resolve(lookupEnv func(string) (string, bool), cwd string) string {
	if v, ok := lookupEnv(EnvDir); ok && v != "" {
		if strings.EqualFold(v, "off") {
			return ""
		}
		return v
	}
	if v, ok := lookupEnv("TF_DATA_DIR"); ok && v != "" {
		if !filepath.IsAbs(v) && cwd != "" {
			v = filepath.Join(cwd, v)
		}
		return filepath.Join(v, DirName)
	}
	if cwd == "" {
		return ""
	}
	if fi, err := os.Stat(filepath.Join(cwd, ".terraform")); err == nil && fi.IsDir() {
		return filepath.Join(cwd, ".terraform", DirName)
	}
	return ""
}

// Entry is one create in flight.
type Entry struct {
	// Kind is the resource type, e.g. "ncp_vod_channel".
	Kind    string `json:"kind"`
	Account string `json:"account"`
	Site    string `json:"site"`
	Region  string `json:"region"`
	// Key is the object's unique key as the resource states it, e.g. its
	// name, or the profile and name of an edge.
	Key string `json:"key"`
	// ID is the object's ID once NCP's answer gave it; "" before.
	ID      string    `json:"id,omitempty"`
	Created time.Time `json:"created"`
}

// file returns the path of the entry of kind and key.
func (j *Journal) file(kind, key string) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{kind, j.id.Account, j.id.Site, j.id.Region, key}, "\x00")))
	return filepath.Join(j.dir, hex.EncodeToString(sum[:16])+".json")
}

// Find returns the live entry of kind and key, if any. A stale entry
// (older than MaxAge) is removed and not returned; so is one that cannot be
// read, which proves nothing.
func (j *Journal) Find(kind, key string) (Entry, bool) {
	if j == nil {
		return Entry{}, false
	}
	p := j.file(kind, key)
	b, err := os.ReadFile(p)
	if err != nil {
		return Entry{}, false
	}
	var e Entry
	if err := json.Unmarshal(b, &e); err != nil || e.Kind != kind || e.Key != key || e.Account != j.id.Account ||
		e.Site != j.id.Site || e.Region != j.id.Region || j.now().Sub(e.Created) > MaxAge {
		_ = os.Remove(p)
		return Entry{}, false
	}
	return e, true
}

// Record writes the entry of kind and key with id ("" before the answer),
// keeping the time of an earlier entry of the same create.
func (j *Journal) Record(kind, key, id string, created time.Time) error {
	if j == nil {
		return nil
	}
	if created.IsZero() {
		created = j.now()
	}
	e := Entry{Kind: kind, Account: j.id.Account, Site: j.id.Site, Region: j.id.Region, Key: key, ID: id, Created: created.UTC()}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	p := j.file(kind, key)
	tmp, err := os.CreateTemp(j.dir, ".entry-*")
	if err != nil {
		return fmt.Errorf("recording the create in the journal: %w", err)
	}
	_, werr := tmp.Write(b)
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("recording the create in the journal: %w", err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("recording the create in the journal: %w", err)
	}
	return nil
}

// Remove removes the entry of kind and key; a missing one is no error.
func (j *Journal) Remove(kind, key string) error {
	if j == nil {
		return nil
	}
	if err := os.Remove(j.file(kind, key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing the create from the journal: %w", err)
	}
	return nil
}

// sweep removes the entries older than MaxAge and temporary files left by
// a writer that was killed, whatever their identity.
func (j *Journal) sweep() {
	des, err := os.ReadDir(j.dir)
	if err != nil {
		return
	}
	for _, de := range des {
		info, err := de.Info()
		if err != nil || de.IsDir() {
			continue
		}
		if j.now().Sub(info.ModTime()) > MaxAge {
			_ = os.Remove(filepath.Join(j.dir, de.Name()))
		}
	}
}
