package journal

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	initialized := t.TempDir()
	if err := os.Mkdir(filepath.Join(initialized, ".terraform"), 0o700); err != nil {
		t.Fatal(err)
	}
	bare := t.TempDir()
	tests := []struct {
		name string
		env  map[string]string
		cwd  string
		want string
	}{
		{"override", map[string]string{EnvDir: "/j", "TF_DATA_DIR": "/d"}, initialized, "/j"},
		{"override off", map[string]string{EnvDir: "OFF"}, initialized, ""},
		{"TF_DATA_DIR", map[string]string{"TF_DATA_DIR": "/d"}, bare, "/d/" + DirName},
		{"relative TF_DATA_DIR", map[string]string{"TF_DATA_DIR": "data"}, bare, filepath.Join(bare, "data", DirName)},
		{".terraform of the working directory", nil, initialized, filepath.Join(initialized, ".terraform", DirName)},
		{"no data directory (a package directory under go test)", nil, bare, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			lookup := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
			if got := Resolve(lookup, tc.cwd); got != tc.want {
				t.Errorf("Resolve = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestJournalEntries(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	id := Identity{Account: AccountOf("AK1"), Site: "public", Region: "KR"}
	j, err := Open(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	if id.Account == AccountOf("AK2") || id.Account == "AK1" {
		t.Fatalf("AccountOf = %q: must differ per key and not be the key", id.Account)
	}
	if err := j.Record("ncp_vpc", "a", "", time.Time{}); err != nil {
		t.Fatal(err)
	}
	e, ok := j.Find("ncp_vpc", "a")
	if !ok || e.ID != "" || e.Account != id.Account || time.Since(e.Created) > time.Minute {
		t.Fatalf("Find = %+v, %v", e, ok)
	}
	if err := j.Record("ncp_vpc", "a", "12", e.Created); err != nil {
		t.Fatal(err)
	}
	if e2, ok := j.Find("ncp_vpc", "a"); !ok || e2.ID != "12" || !e2.Created.Equal(e.Created) {
		t.Fatalf("after recording the ID, Find = %+v, %v", e2, ok)
	}
	// Another kind, key, account, site or region sees nothing.
	for _, other := range []Identity{{AccountOf("AK2"), "public", "KR"}, {id.Account, "gov", "KR"}, {id.Account, "public", "SGN"}} {
		o, err := Open(dir, other)
		if err != nil {
			t.Fatal(err)
		}
		if e, ok := o.Find("ncp_vpc", "a"); ok {
			t.Errorf("identity %+v finds %+v", other, e)
		}
	}
	if _, ok := j.Find("ncp_subnet", "a"); ok {
		t.Error("another kind finds the entry")
	}
	if _, ok := j.Find("ncp_vpc", "b"); ok {
		t.Error("another key finds the entry")
	}
	if err := j.Remove("ncp_vpc", "a"); err != nil {
		t.Fatal(err)
	}
	if err := j.Remove("ncp_vpc", "a"); err != nil {
		t.Errorf("removing a missing entry: %v", err)
	}
	if _, ok := j.Find("ncp_vpc", "a"); ok {
		t.Error("the removed entry is found")
	}

	// A nil journal is disabled.
	var off *Journal
	if err := off.Record("ncp_vpc", "a", "", time.Time{}); err != nil {
		t.Error(err)
	}
	if _, ok := off.Find("ncp_vpc", "a"); ok || off.Dir() != "" {
		t.Error("a nil journal finds an entry")
	}
}

func TestJournalStaleAndBroken(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	id := Identity{Account: AccountOf("AK"), Site: "public", Region: "KR"}
	j, err := Open(dir, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Record("ncp_vpc", "old", "1", time.Now().Add(-MaxAge-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, ok := j.Find("ncp_vpc", "old"); ok {
		t.Error("a stale entry is found")
	}
	if _, err := os.Stat(j.file("ncp_vpc", "old")); !os.IsNotExist(err) {
		t.Errorf("the stale entry was not removed: %v", err)
	}
	if err := os.WriteFile(j.file("ncp_vpc", "broken"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := j.Find("ncp_vpc", "broken"); ok {
		t.Error("a broken entry is found")
	}
	// Open sweeps files untouched for longer than MaxAge.
	leftover := filepath.Join(dir, ".entry-123")
	if err := os.WriteFile(leftover, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-MaxAge - time.Hour)
	if err := os.Chtimes(leftover, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, id); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("the old temporary file was not swept: %v", err)
	}
}

// TestJournalParallel records, reads and removes entries from many
// goroutines at once: every read sees a whole entry or none.
func TestJournalParallel(t *testing.T) {
	t.Parallel()
	j, err := Open(t.TempDir(), Identity{Account: AccountOf("AK")})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if err := j.Record("ncp_vpc", "shared", "", time.Time{}); err != nil {
					t.Error(err)
				}
				if e, ok := j.Find("ncp_vpc", "shared"); ok && e.Key != "shared" {
					t.Errorf("goroutine %d read %+v", g, e)
				}
				if i%5 == 0 {
					_ = j.Remove("ncp_vpc", "shared")
				}
			}
		}()
	}
	wg.Wait()
	des, err := os.ReadDir(j.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if len(des) > 1 {
		t.Errorf("%d files left, want at most the one entry", len(des))
	}
}

// fakeServer answers ApplyResourceChange with newState and a create that
// records an entry in the scope.
type fakeServer struct {
	tfprotov6.ProviderServer
	j        *Journal
	newState *tfprotov6.DynamicValue
}

func (f *fakeServer) ApplyResourceChange(ctx context.Context, _ *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	s := FromContext(ctx)
	if s == nil {
		return nil, nil
	}
	_ = f.j.Record("ncp_vpc", "a", "1", time.Time{})
	s.Track(f.j, "ncp_vpc", "a")
	s.Warn("adopted", "detail")
	return &tfprotov6.ApplyResourceChangeResponse{NewState: f.newState}, nil
}

func TestWrapServer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		state    *tfprotov6.DynamicValue
		keepsOne bool
	}{
		{"object recorded (msgpack)", &tfprotov6.DynamicValue{MsgPack: []byte{0x81, 0xa2, 'i', 'd', 0xa1, '1'}}, false},
		{"object recorded (JSON)", &tfprotov6.DynamicValue{JSON: []byte(`{"id":"1"}`)}, false},
		{"null state (msgpack)", &tfprotov6.DynamicValue{MsgPack: []byte{0xc0}}, true},
		{"null state (JSON)", &tfprotov6.DynamicValue{JSON: []byte("null")}, true},
		{"no state", nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			j, err := Open(t.TempDir(), Identity{Account: AccountOf("AK")})
			if err != nil {
				t.Fatal(err)
			}
			resp, err := WrapServer(&fakeServer{j: j, newState: tc.state}).ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{})
			if err != nil || resp == nil {
				t.Fatalf("ApplyResourceChange = %v, %v (no scope in the context?)", resp, err)
			}
			if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityWarning || resp.Diagnostics[0].Summary != "adopted" {
				t.Errorf("diagnostics %+v, want the warning", resp.Diagnostics)
			}
			if _, ok := j.Find("ncp_vpc", "a"); ok != tc.keepsOne {
				t.Errorf("entry kept = %v, want %v", ok, tc.keepsOne)
			}
		})
	}
}
