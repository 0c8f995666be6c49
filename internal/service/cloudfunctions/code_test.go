package cloudfunctions

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestZipDirReproducible: the same files make the same archive, whatever
// their times on disk and the folder they are in, and the archive holds
// exactly them.
func TestZipDirReproducible(t *testing.T) {
	files := map[string]string{"__main__.py": "from lib import f\ndef main(a): return f(a)\n", "lib/__init__.py": "", "lib/f.py": "def f(a): return a\n"}
	a, b := t.TempDir(), t.TempDir()
	writeFiles(t, a, files)
	writeFiles(t, b, files)
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(b, "lib", "f.py"), old, old); err != nil {
		t.Fatal(err)
	}
	za, names, err := zipDir(a)
	if err != nil {
		t.Fatal(err)
	}
	zb, _, err := zipDir(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(za, zb) {
		t.Fatal("the same files made different archives")
	}
	if got := strings.Join(names, ","); got != "__main__.py,lib/__init__.py,lib/f.py" {
		t.Errorf("names = %s", got)
	}
	zr, err := zip.NewReader(bytes.NewReader(za), int64(len(za)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(files) {
		t.Fatalf("archive holds %d files, want %d", len(zr.File), len(files))
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if string(got) != files[f.Name] {
			t.Errorf("%s = %q, want %q", f.Name, got, files[f.Name])
		}
		if !f.Modified.Equal(zipEpoch) {
			t.Errorf("%s modified %v, want the fixed epoch", f.Name, f.Modified)
		}
	}
	// A change of one byte changes the archive and so the hash.
	writeFiles(t, b, map[string]string{"lib/f.py": "def f(a): return a \n"})
	c1, _, _ := dirCode(a)
	c2, _, _ := dirCode(b)
	if c1.Hash == c2.Hash || !c1.Binary {
		t.Errorf("hashes %s and %s (binary %v): want different hashes of archives", c1.Hash, c2.Hash, c1.Binary)
	}
	if h, err := remoteCodeHash(c1.Code, true); err != nil || h != c1.Hash {
		t.Errorf("remoteCodeHash of the uploaded archive = %s, %v; want %s", h, err, c1.Hash)
	}
}

func TestZipDirRefuses(t *testing.T) {
	empty := t.TempDir()
	if _, _, err := zipDir(empty); err == nil || !strings.Contains(err.Error(), "holds no files") {
		t.Errorf("empty folder: %v", err)
	}
	if _, _, err := zipDir(filepath.Join(empty, "missing")); err == nil || !strings.Contains(err.Error(), "cannot read source_dir") {
		t.Errorf("missing folder: %v", err)
	}
	d := t.TempDir()
	writeFiles(t, d, map[string]string{"index.js": "x"})
	if err := os.Symlink("/etc/passwd", filepath.Join(d, "link")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if _, _, err := zipDir(d); err == nil || !strings.Contains(err.Error(), "link is not a regular file") {
		t.Errorf("symbolic link: %v", err)
	}
}

func TestFileCode(t *testing.T) {
	d := t.TempDir()
	writeFiles(t, d, map[string]string{"main.py": "def main(a):\n    return a\n", "app.zip": "PK\x03\x04 not really", "bad.py": "\xff\xfe"})
	c, err := fileCode(filepath.Join(d, "main.py"))
	if err != nil || c.Binary || c.Code != "def main(a):\n    return a\n" || c.Hash != contentHash([]byte(c.Code)) {
		t.Errorf("source file: %+v, %v", c, err)
	}
	if c != inlineCode(c.Code) {
		t.Error("the same source inline and from a file must hash alike")
	}
	c, err = fileCode(filepath.Join(d, "app.zip"))
	if err != nil || !c.Binary || c.Code != base64.StdEncoding.EncodeToString([]byte("PK\x03\x04 not really")) {
		t.Errorf("zip file: %+v, %v", c, err)
	}
	if _, err := fileCode(filepath.Join(d, "bad.py")); err == nil || !strings.Contains(err.Error(), "not UTF-8") {
		t.Errorf("binary .py: %v", err)
	}
	if _, err := fileCode(d); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("folder as source_file: %v", err)
	}
	if _, err := remoteCodeHash("***", true); err == nil {
		t.Error("a binary action whose code is not base64 must be an error")
	}
}

func TestEntryFileProblem(t *testing.T) {
	for _, tt := range []struct {
		kind  string
		names []string
		bad   bool
	}{
		{"python:3.13", []string{"__main__.py", "x.py"}, false},
		{"python:3.13", []string{"main.py"}, true},
		{"nodejs:22", []string{"index.js"}, false},
		{"nodejs:22", []string{"package.json", "app.js"}, false},
		{"nodejs:22", []string{"app.js"}, true},
		{"go:1.19", []string{"anything"}, false},
	} {
		if got := entryFileProblem(tt.kind, tt.names) != ""; got != tt.bad {
			t.Errorf("%s %v: problem %v, want %v", tt.kind, tt.names, got, tt.bad)
		}
	}
}
