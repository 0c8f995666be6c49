package cloudfunctions

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// actionCode is the code of an action as the provider deploys it: exec.code
// and exec.binary of the PUT body, and the content hash that stands for it
// in the plan and the state.
type actionCode struct {
	// Code is exec.code: the source text, or with Binary the base64 of an
	// archive (a zip of source_dir, a .zip or .jar source_file).
	Code   string
	Binary bool
	// Hash is contentHash of what Code stands for (the archive's bytes, not
	// their base64).
	Hash string
}

// contentHashPrefix starts every content hash, naming its algorithm.
const contentHashPrefix = "sha256:"

// contentHash is the content_hash of deployed code: the SHA-256 of the
// source text, or of the archive's bytes.
func contentHash(b []byte) string {
	sum := sha256.Sum256(b)
	return contentHashPrefix + hex.EncodeToString(sum[:])
}

// binaryExtensions are the source_file extensions sent as an archive
// (exec.binary, base64): a zip for every runtime, a jar for Java.
var binaryExtensions = []string{".zip", ".jar"}

// maxCodeBytes bounds what the provider reads and uploads as code, well
// above what NCP accepts in one request body, so that a wrong path (a huge
// folder) fails with a clear message instead of exhausting memory.
const maxCodeBytes = 64 << 20

// inlineCode is the code of the code attribute.
func inlineCode(code string) actionCode {
	return actionCode{Code: code, Hash: contentHash([]byte(code))}
}

// fileCode reads source_file: a .zip or .jar is sent as an archive, any
// other file as source text, which must be UTF-8.
func fileCode(name string) (actionCode, error) {
	info, err := os.Stat(name)
	if err != nil {
		return actionCode{}, fmt.Errorf("cannot read source_file %q: %w", name, err)
	}
	if !info.Mode().IsRegular() {
		return actionCode{}, fmt.Errorf("source_file %q is not a regular file", name)
	}
	if info.Size() > maxCodeBytes {
		return actionCode{}, fmt.Errorf("source_file %q has %d bytes, more than the %d the provider uploads", name, info.Size(), maxCodeBytes)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return actionCode{}, fmt.Errorf("cannot read source_file %q: %w", name, err)
	}
	if slices.Contains(binaryExtensions, strings.ToLower(filepath.Ext(name))) {
		return actionCode{Code: base64.StdEncoding.EncodeToString(b), Binary: true, Hash: contentHash(b)}, nil
	}
	if !utf8.Valid(b) {
		return actionCode{}, fmt.Errorf("source_file %q is not UTF-8 text; an archive must end in .zip or .jar", name)
	}
	return actionCode{Code: string(b), Hash: contentHash(b)}, nil
}

// dirCode zips source_dir (zipDir) and returns it as an archive.
func dirCode(dir string) (actionCode, []string, error) {
	b, names, err := zipDir(dir)
	if err != nil {
		return actionCode{}, nil, err
	}
	return actionCode{Code: base64.StdEncoding.EncodeToString(b), Binary: true, Hash: contentHash(b)}, names, nil
}

// zipEpoch is the modification time of every zip entry, so that the same
// files always make the same archive (and the same content hash), whatever
// their times on disk: the earliest time a zip can hold.
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// zipDir builds the archive of source_dir, the same bytes for the same
// files: entries in path order with '/' separators, fixed times, mode 0644
// (0755 for files executable by their owner), deflated. Regular files only:
// a symbolic link or any other special file is refused rather than
// followed, so that the archive holds what the folder shows. It returns the
// archive and the paths it holds.
func zipDir(dir string) ([]byte, []string, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read source_dir %q: %w", dir, err)
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("source_dir %q is not a folder", dir)
	}
	type entry struct {
		rel  string
		path string
		mode fs.FileMode
	}
	var entries []entry
	var total int64
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file (symbolic links and special files are not archived)", filepath.ToSlash(rel))
		}
		if total += fi.Size(); total > maxCodeBytes {
			return fmt.Errorf("the folder holds more than the %d bytes the provider uploads", maxCodeBytes)
		}
		entries = append(entries, entry{rel: filepath.ToSlash(rel), path: p, mode: fi.Mode()})
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("cannot archive source_dir %q: %w", dir, err)
	}
	if len(entries) == 0 {
		return nil, nil, fmt.Errorf("source_dir %q holds no files", dir)
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.rel, b.rel) })

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		mode := fs.FileMode(0o644)
		if e.mode&0o100 != 0 {
			mode = 0o755
		}
		h := &zip.FileHeader{Name: e.rel, Method: zip.Deflate, Modified: zipEpoch}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, nil, fmt.Errorf("cannot archive source_dir %q: %w", dir, err)
		}
		b, err := os.ReadFile(e.path)
		if err != nil {
			return nil, nil, fmt.Errorf("cannot archive source_dir %q: %w", dir, err)
		}
		if _, err := w.Write(b); err != nil {
			return nil, nil, fmt.Errorf("cannot archive source_dir %q: %w", dir, err)
		}
		names = append(names, e.rel)
	}
	if err := zw.Close(); err != nil {
		return nil, nil, fmt.Errorf("cannot archive source_dir %q: %w", dir, err)
	}
	return buf.Bytes(), names, nil
}

// remoteCodeHash is the content hash of the code NCP holds for an action
// (exec.code and exec.binary of its GET answer), comparable with the hash of
// the code the configuration gives.
func remoteCodeHash(code string, binary bool) (string, error) {
	if !binary {
		return contentHash([]byte(code)), nil
	}
	b, err := base64.StdEncoding.DecodeString(code)
	if err != nil {
		return "", errors.New("NCP answered exec.code of a binary action that is not base64")
	}
	return contentHash(b), nil
}

// entryFileProblem says what an archive of the runtime kind lacks to run,
// "" when nothing: the entry file a Python archive needs (__main__.py) or a
// Node.js one (index.js, unless package.json names another main file).
// Other runtimes are not checked.
func entryFileProblem(kind string, names []string) string {
	switch {
	case strings.HasPrefix(kind, "python"):
		if !slices.Contains(names, "__main__.py") {
			return "a Python action made of several files needs __main__.py at the top of source_dir: it is the file NCP runs"
		}
	case strings.HasPrefix(kind, "nodejs"):
		if !slices.Contains(names, "index.js") && !slices.Contains(names, "package.json") {
			return "a Node.js action made of several files needs index.js, or a package.json naming its main file, at the top of source_dir"
		}
	}
	return ""
}
