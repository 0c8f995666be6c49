package reconcile_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/framework/journal"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
)

var journalID = journal.Identity{Account: journal.AccountOf("AKEY"), Site: "public", Region: "KR"}

func openJournal(t *testing.T) *journal.Journal {
	t.Helper()
	j, err := journal.Open(t.TempDir(), journalID)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// TestCreateReconciledJournal checks the pre-attempt look-up with a create
// journal: an object holding the key is adopted only when the journal
// proves an interrupted create of the same kind, identity and key made it.
func TestCreateReconciledJournal(t *testing.T) {
	t.Parallel()
	const key = "w"
	tests := []struct {
		name     string
		existing []object
		// entry is recorded before the create: "" none, "-" without ID,
		// anything else that ID.
		entry   string
		age     time.Duration
		noScope bool
		noJrnl  bool
		adopted string // ID adopted; "" when an ExistsError is wanted
		// entryAfter is the entry's ID after the create (before the
		// apply ends); "none" when there is no entry.
		entryAfter string
	}{
		{name: "no entry", existing: []object{{id: "7", key: key, size: "s"}}, entryAfter: "none"},
		{name: "entry without ID", existing: []object{{id: "7", key: key, size: "s"}}, entry: "-", adopted: "7", entryAfter: "7"},
		{name: "entry with the ID", existing: []object{{id: "7", key: key, size: "s"}}, entry: "7", adopted: "7", entryAfter: "7"},
		{name: "entry of another ID", existing: []object{{id: "8", key: key, size: "s"}}, entry: "7", entryAfter: "7"},
		{name: "entry, object being deleted and a new one", existing: []object{{id: "7", key: key, size: "s", terminating: true}, {id: "9", key: key, size: "s"}},
			entry: "-", adopted: "9", entryAfter: "9"},
		{name: "entry, mismatch", existing: []object{{id: "7", key: key, size: "other"}}, entry: "-", entryAfter: ""},
		{name: "entry without ID, two candidates", existing: []object{{id: "7", key: key, size: "s"}, {id: "8", key: key, size: "s"}}, entry: "-", entryAfter: ""},
		{name: "stale entry", existing: []object{{id: "7", key: key, size: "s"}}, entry: "7", age: journal.MaxAge + time.Hour, entryAfter: "none"},
		{name: "no scope", existing: []object{{id: "7", key: key, size: "s"}}, entry: "7", noScope: true, entryAfter: "7"},
		{name: "no journal", existing: []object{{id: "7", key: key, size: "s"}}, entry: "7", noJrnl: true, entryAfter: "7"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			j := openJournal(t)
			if tc.entry != "" {
				id := strings.TrimPrefix(tc.entry, "-")
				if err := j.Record(kind.ResourceType, key, id, time.Now().Add(-tc.age)); err != nil {
					t.Fatal(err)
				}
			}
			f := &fakeService{objects: tc.existing}
			c := f.spec(key, "s", 3)
			c.Journal, c.Key = j, key
			if tc.noJrnl {
				c.Journal = nil
			}
			ctx, scope := journal.WithScope(context.Background())
			if tc.noScope {
				ctx = context.Background()
			}
			got, err := reconcile.CreateReconciled(ctx, c)
			if tc.adopted != "" {
				if err != nil || got.id != tc.adopted {
					t.Fatalf("got %+v, %v; want %s adopted", got, err, tc.adopted)
				}
			} else {
				var exists *reconcile.ExistsError
				if !errors.As(err, &exists) {
					t.Fatalf("got %+v, %v; want an ExistsError", got, err)
				}
			}
			if f.sent != 0 {
				t.Errorf("sent %d creates, want none", f.sent)
			}
			e, ok := j.Find(kind.ResourceType, key)
			switch {
			case tc.entryAfter == "none" && ok:
				t.Errorf("entry %+v left, want none", e)
			case tc.entryAfter != "none" && (!ok || e.ID != tc.entryAfter):
				t.Errorf("entry %+v (%v), want one with ID %q", e, ok, tc.entryAfter)
			}
			diags := scope.Finish(true)
			if tc.adopted != "" {
				if len(diags) != 1 || !strings.Contains(diags[0].Summary, "Widget "+tc.adopted+" adopted from an interrupted earlier apply") {
					t.Errorf("diagnostics %+v, want the adoption warning", diags)
				}
				if _, ok := j.Find(kind.ResourceType, key); ok {
					t.Error("the entry stayed after the apply recorded the adopted object")
				}
			} else if len(diags) != 0 {
				t.Errorf("diagnostics %+v, want none", diags)
			}
		})
	}
}

// TestCreateReconciledJournalLifecycle checks what a create writes to the
// journal: an entry without ID before the first attempt, the ID once
// answered, removed when the apply records the object or the create
// definitely failed, kept when the outcome is open.
func TestCreateReconciledJournalLifecycle(t *testing.T) {
	t.Parallel()
	const key = "w"
	tests := []struct {
		name     string
		creates  []outcome
		lookups  []lookup
		recorded bool   // the apply's answer carries the object
		cancel   bool   // the context ends during the first attempt, which fails
		wantErr  bool   // the create fails
		after    string // entry ID after the apply; "none" for no entry
	}{
		{name: "created, recorded", recorded: true, after: "none"},
		{name: "created, not recorded", after: "1001"},
		{name: "lost answer adopted", creates: []outcome{lostAnswer}, after: "1001"},
		{name: "definite failure", creates: []outcome{refusedOther}, wantErr: true, after: "none"},
		{name: "uncertain to the end", creates: []outcome{notSent, notSent}, wantErr: true, after: ""},
		{name: "refused after an uncertain attempt", creates: []outcome{createdByHand}, wantErr: true, after: "none"},
		{name: "context ended during the attempt", cancel: true, wantErr: true, after: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			j := openJournal(t)
			f := &fakeService{creates: tc.creates, lookups: tc.lookups}
			c := f.spec(key, "s", 2)
			c.Journal, c.Key = j, key
			ctx, scope := journal.WithScope(context.Background())
			ctx, cancel := context.WithCancel(ctx)
			defer cancel()
			send := c.Send
			c.Send = func(ctx context.Context) (object, error) {
				if e, ok := j.Find(kind.ResourceType, key); !ok || e.ID != "" || e.Key != key || e.Account != journalID.Account {
					t.Errorf("before the attempt the entry is %+v (%v), want one without ID", e, ok)
				}
				if tc.cancel {
					cancel()
					return object{}, context.Canceled
				}
				return send(ctx)
			}
			_, err := reconcile.CreateReconciled(ctx, c)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if diags := scope.Finish(tc.recorded); len(diags) != 0 {
				t.Errorf("diagnostics %+v, want none", diags)
			}
			e, ok := j.Find(kind.ResourceType, key)
			if tc.after == "none" {
				if ok {
					t.Errorf("entry %+v left, want none", e)
				}
			} else if !ok || e.ID != tc.after {
				t.Errorf("entry %+v (%v), want one with ID %q", e, ok, tc.after)
			}
		})
	}
}
