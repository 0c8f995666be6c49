package ncplocal

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

// readState decodes dir's state.json.
func readState(t *testing.T, dir string) savedState {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, stateFileName))
	if err != nil {
		t.Fatalf("checkpoint: %v", err)
	}
	var st savedState
	if err := decodeStrictJSON(b, &st); err != nil {
		t.Fatalf("checkpoint %s: %v", b, err)
	}
	return st
}

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
	// The change is in the log before the answer, without Close.
	wal, err := os.ReadFile(filepath.Join(dir, walFileName))
	if err != nil || !strings.Contains(string(wal), `"state":{"acct-a":["one","two"]}`) {
		t.Errorf("log after two answered creates: %s, %v", wal, err)
	}
	if err := f.srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := string(readState(t, dir).Services["vpc"]); got != `{"acct-a":["one","two"]}` {
		t.Errorf("checkpointed state = %s", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("data dir holds %d files, want state.json and wal.log (temp files left?)", len(entries))
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

// TestReadsDoNotWriteState: the provider sends its reads as POST; a request
// that changes nothing leaves the data dir alone (issue 10 item 4).
func TestReadsDoNotWriteState(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := newFixture(t, Options{DataDir: dir})
	if w := f.do(signed("POST", "/vpc/v2/createItem?name=one", credA, fixedNow, apigw.HeaderSignatureV2)); w.Code != 200 {
		t.Fatalf("create: %d", w.Code)
	}
	size := func() int64 {
		fi, err := os.Stat(filepath.Join(dir, walFileName))
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	for range 20 {
		if w := f.do(signed("POST", "/vpc/v2/listItems", credA, fixedNow, apigw.HeaderSignatureV2)); w.Code != 200 {
			t.Fatalf("list: %d", w.Code)
		}
	}
	if after := size(); after != before {
		t.Errorf("20 read-only POSTs grew the log from %d to %d bytes", before, after)
	}
	if err := f.srv.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestInventoryIncludesRestoredForeignAccounts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	state := `{"version":1,"seq":3,"stores":{},"services":{"vpc":{"old-acct":["kept"]}}}`
	if err := os.WriteFile(filepath.Join(dir, stateFileName), []byte(state), 0o600); err != nil {
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

func TestDataDirDamageFailsStartup(t *testing.T) {
	t.Parallel()
	good := `{"version":1,"seq":1,"stores":{},"services":{"vpc":{"acct-a":["one"]}}}`
	entry := func(seq int, items string) string {
		return `{"seq":` + strconv.Itoa(seq) + `,"service":"vpc","state":{"acct-a":[` + items + `]}}` + "\n"
	}
	for name, tc := range map[string]struct {
		file, content, says string
	}{
		"checkpoint not JSON":      {stateFileName, `{"version":1`, "corrupt"},
		"checkpoint empty":         {stateFileName, ``, "corrupt"},
		"checkpoint unknown field": {stateFileName, `{"version":1,"seq":0,"stores":{},"services":{},"x":1}`, "corrupt"},
		"checkpoint version":       {stateFileName, `{"version":9,"seq":0,"stores":{},"services":{}}`, "version 9"},
		"rejected by Restore":      {stateFileName, `{"version":1,"seq":0,"stores":{},"services":{"vpc":["a list"]}}`, `service "vpc"`},
		"unknown service":          {stateFileName, `{"version":1,"seq":0,"stores":{},"services":{"mystery":{}}}`, `"mystery"`},
		"log line corrupt":         {walFileName, entry(2, `"x"`) + "garbage\n" + entry(3, `"y"`), "line 2 is corrupt"},
		"log entries missing":      {walFileName, entry(2, `"x"`) + entry(4, `"y"`), "entries are missing"},
		"older ncplocal":           {"vpc.json", `{"acct-a":["one"]}`, "earlier ncplocal (vpc.json)"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if tc.file == walFileName {
				if err := os.WriteFile(filepath.Join(dir, stateFileName), []byte(good), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			file := filepath.Join(dir, tc.file)
			if err := os.WriteFile(file, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := New(Options{DataDir: dir, Services: (&fixture{s3: &fakeS3{}}).services})
			if err == nil || !strings.Contains(err.Error(), tc.says) || (tc.file != "vpc.json" && !strings.Contains(err.Error(), dir)) {
				t.Fatalf("New error = %v, want one naming %s and saying %q", err, dir, tc.says)
			}
			// The file is left as it was.
			if b, _ := os.ReadFile(file); string(b) != tc.content {
				t.Errorf("%s changed to %q", tc.file, b)
			}
		})
	}
}

// TestCutOffLogEntryIsDropped: a last log line without its newline was
// being written when the process died; it was never acknowledged, so the
// restart drops it and keeps everything before.
func TestCutOffLogEntryIsDropped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	state := `{"version":1,"seq":1,"stores":{},"services":{"vpc":{"acct-a":["one"]}}}`
	wal := `{"seq":2,"service":"vpc","state":{"acct-a":["one","two"]}}` + "\n" + `{"seq":3,"service":"vpc","state":{"acct-a":["one","two","thr`
	if err := os.WriteFile(filepath.Join(dir, stateFileName), []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, walFileName), []byte(wal), 0o600); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, Options{DataDir: dir})
	w := f.do(signed("GET", "/vpc/v2/listItems", credA, fixedNow, apigw.HeaderSignatureV2))
	if !strings.Contains(w.Body.String(), `"items":["one","two"]`) {
		t.Errorf("restored list = %s", w.Body)
	}
	if err := f.srv.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestSnapshotWithoutDataDir(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	if err := f.srv.Snapshot(); err == nil {
		t.Error("Snapshot without a data dir succeeded")
	}
}
