package tofucli

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// CopyTree copies a configuration directory (its .tf files, modules and
// whatever files they read, such as action code) into a new temporary
// directory and returns it, so that tests apply an example exactly as the
// repository holds it without writing into the repository. What a local
// run of the example may have left there is not copied: .terraform, state
// files, saved plans, the dependency lock file (the tests use a development
// build of the provider) and anything that is not a regular file. A
// directory without .tf files fails the test.
func CopyTree(tb testing.TB, src string) string {
	tb.Helper()
	dst := tb.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".terraform" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if name := d.Name(); strings.Contains(name, ".tfstate") || strings.HasSuffix(name, ".tfplan") ||
			name == ".terraform.lock.hcl" || !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		tb.Fatalf("copying %s: %v", src, err)
	}
	if tfs, _ := filepath.Glob(filepath.Join(dst, "*.tf")); len(tfs) == 0 {
		tb.Fatalf("no .tf files in %s", src)
	}
	return dst
}
