package ncplocal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

func TestDataDirRoundTrip(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state") // created by New
	f := newFixture(t, Options{DataDir: dir})
	for _, name := range []string{"one", "two"} {
		if w := f.do(signed("POST", "/vpc/v2/createItem?name="+name, credA, fixedNow, apigw.HeaderSignatureV2)); w.Code != 200 {
			t.Fatalf("create: %d", w.Code)
		}
	}
	if f.gw.env.DataDir != dir {
		t.Errorf("Env.DataDir = %q", f.gw.env.DataDir)
	}
	if err := f.srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "vpc.json"))
	if err != nil {
		t.Fatalf("snapshot file: %v", err)
	}
	if string(b) != `{"acct-a":["one","two"]}` {
		t.Errorf("snapshot = %s", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("data dir holds %d files (temp files left?)", len(entries))
	}

	g := newFixture(t, Options{DataDir: dir})
	w := g.do(signed("GET", "/vpc/v2/listItems", credA, fixedNow, apigw.HeaderSignatureV2))
	if !strings.Contains(w.Body.String(), `"items":["one","two"]`) {
		t.Errorf("restored list = %s", w.Body)
	}
	if err := g.srv.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestInventoryIncludesRestoredForeignAccounts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "vpc.json"), []byte(`{"old-acct":["kept"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, Options{DataDir: dir})
	inv := f.srv.Inventory()
	if got := inv.Accounts["old-acct"]["vpc"]; got == nil {
		t.Errorf("inventory = %v, want old-acct listed", inv.Accounts)
	}
	if err := f.srv.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestDataDirCorruptSnapshotFailsStartup(t *testing.T) {
	t.Parallel()
	for name, content := range map[string]string{
		"not JSON":            `{"acct-a":["one"`,
		"empty":               ``,
		"rejected by Restore": `["a list, not an object"]`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			file := filepath.Join(dir, "vpc.json")
			if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := New(Options{DataDir: dir, Services: (&fixture{s3: &fakeS3{}}).services})
			if err == nil || !strings.Contains(err.Error(), file) {
				t.Fatalf("New error = %v, want one naming %s", err, file)
			}
			// The file is left as it was.
			if b, _ := os.ReadFile(file); string(b) != content {
				t.Errorf("snapshot file changed to %q", b)
			}
		})
	}
}

func TestSnapshotWithoutDataDir(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	if err := f.srv.Snapshot(); err == nil {
		t.Error("Snapshot without a data dir succeeded")
	}
}
