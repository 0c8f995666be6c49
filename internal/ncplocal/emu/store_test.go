package emu

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// memJournal records the batches a store journals.
type memJournal struct {
	mu      sync.Mutex
	batches []*Batch
	image   *Image
}

func (j *memJournal) Append(service string, b *Batch) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if service != "svc" {
		panic("unexpected service " + service)
	}
	j.batches = append(j.batches, b)
	if j.image == nil {
		j.image = NewImage()
	}
	j.image.Apply(b)
}

// thing is the test record.
type thing struct {
	Name   string `json:"name"`
	Parent string `json:"parent"`
	Life   Life   `json:"life"`
}

var thingKind = Kind{Name: "svc/thing", Transitions: []Transition{
	{Name: "create", Through: []string{"INIT", "CREATING"}, To: "RUN", Failed: "ERROR"},
	{Name: "delete", Through: []string{"TERMTING"}, To: Gone},
	{Name: "set", Through: []string{"SET"}, To: "RUN"},
}}

type fixture struct {
	clock   *ManualClock
	journal *memJournal
	trs     *Transitions
	st      *Store
	seq     *Sequence
	things  *Table[thing]
	byPar   *Index[thing]
	plain   *Table[string]
}

const asyncDelay = 10 * time.Second

func newStoreFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{clock: NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), asyncDelay), journal: &memJournal{}, trs: &Transitions{}}
	env := f.clock.Env()
	env.Journal, env.Transitions = f.journal, f.trs
	f.st = NewStore(env, "svc")
	f.seq = f.st.Sequence("no", 100)
	f.things = NewTable(f.st, "things", WithLife(thingKind, func(r *thing) *Life { return &r.Life }), WithNumbers[thing](f.seq),
		WithCheck(func(_, _ string, r *thing) error {
			if r.Name == "" {
				return errors.New("no name")
			}
			return nil
		}))
	f.byPar = NewIndex(f.things, func(r *thing) string { return r.Parent })
	f.plain = NewTable[string](f.st, "plain")
	return f
}

// create makes a thing of account a and returns its number.
func (f *fixture) create(t *testing.T, a, name, parent string) string {
	t.Helper()
	var no string
	err := f.st.Update(context.Background(), func(tx *Tx) error {
		no = f.seq.NextString(tx)
		r := thing{Name: name, Parent: parent}
		f.things.Begin(tx, &r, "create")
		f.things.Put(tx, a, no, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return no
}

// status returns the status of thing no of account "a", "gone" when it is
// gone.
func (f *fixture) status(t *testing.T, no string) string {
	t.Helper()
	var s string
	_ = f.st.View(func(tx *Tx) error {
		r, ok := f.things.Get(tx, "a", no)
		if !ok {
			s = "gone"
			return nil
		}
		s = f.things.Status(tx, &r)
		return nil
	})
	return s
}

func (f *fixture) begin(t *testing.T, a, no, transition string) {
	t.Helper()
	err := f.st.Update(context.Background(), func(tx *Tx) error {
		r, ok := f.things.Get(tx, a, no)
		if !ok {
			return errors.New("no such thing")
		}
		f.things.Begin(tx, &r, transition)
		f.things.Put(tx, a, no, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestLifecycleByTime(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	no := f.create(t, "a", "one", "p")
	if no != "101" {
		t.Errorf("first number %s, want 101 (after the offset 100)", no)
	}
	for _, step := range []struct {
		d    time.Duration
		want string
	}{{0, "INIT"}, {4 * time.Second, "INIT"}, {time.Second, "CREATING"}, {4 * time.Second, "CREATING"}, {time.Second, "RUN"}} {
		f.clock.Advance(step.d)
		if got := f.status(t, no); got != step.want {
			t.Errorf("after %v more: %s, want %s", step.d, got, step.want)
		}
	}
	f.begin(t, "a", no, "delete")
	if got := f.status(t, no); got != "TERMTING" {
		t.Errorf("deleting: %s", got)
	}
	f.clock.Advance(asyncDelay)
	if got := f.status(t, no); got != "gone" {
		t.Errorf("after the deletion: %s", got)
	}
	// Gone is invisible at once, and the next update removes it for good
	// (and journals the removal).
	_ = f.st.View(func(tx *Tx) error {
		if n := f.things.Count(tx, "a"); n != 0 || len(f.things.List(tx, "a")) != 0 || len(f.byPar.List(tx, "a", "p")) != 0 {
			t.Errorf("gone thing listed: count %d", n)
		}
		return nil
	})
	if f.things.raw("a", no) == nil {
		t.Fatal("removed before any update")
	}
	if err := f.st.Update(context.Background(), func(*Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if f.things.raw("a", no) != nil || f.journal.image.Tables["things"]["a"][no] != nil {
		t.Error("the finished deletion was not reaped and journaled")
	}
	if got := f.st.Accounts(); len(got) != 0 {
		t.Errorf("accounts after the reap: %v", got)
	}
}

func TestProgressions(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	set := func(s TransitionSetting) {
		t.Helper()
		if err := f.trs.Set(s); err != nil {
			t.Fatal(err)
		}
	}

	set(TransitionSetting{Kind: "svc/thing", Transition: "create", Progression: ProgressImmediate})
	if got := f.status(t, f.create(t, "a", "imm", "")); got != "RUN" {
		t.Errorf("immediate create: %s", got)
	}

	set(TransitionSetting{Kind: "svc/thing", Progression: ProgressFail, Transition: "create", Duration: "2s"})
	failing := f.create(t, "a", "failing", "")
	f.clock.Advance(time.Second)
	if got := f.status(t, failing); got != "CREATING" {
		t.Errorf("failing create halfway through its 2s: %s", got)
	}
	f.clock.Advance(time.Second)
	if got := f.status(t, failing); got != "ERROR" {
		t.Errorf("failed create: %s", got)
	}

	set(TransitionSetting{Kind: "svc/thing", Progression: ProgressManual})
	manual := f.create(t, "a", "manual", "")
	f.clock.Advance(time.Hour)
	if got := f.status(t, manual); got != "INIT" {
		t.Errorf("manual create after an hour: %s", got)
	}
	if p := f.st.Pending(); len(p) != 1 || p[0].ID != manual || p[0].Status != "INIT" || p[0].Mode != ProgressManual {
		t.Errorf("pending %+v", p)
	}
	for _, want := range []string{"CREATING", "RUN"} {
		adv, err := f.st.Advance(context.Background(), AdvanceFilter{Kind: "svc/thing", ID: manual})
		if err != nil || len(adv) != 1 || adv[0].Status != want {
			t.Fatalf("advance: %+v %v, want %s", adv, err, want)
		}
	}
	if p := f.st.Pending(); len(p) != 0 {
		t.Errorf("pending after the last advance: %+v", p)
	}
	// A manual deletion ends the object when advanced past TERMTING.
	f.begin(t, "a", manual, "delete")
	if adv, _ := f.st.Advance(context.Background(), AdvanceFilter{Account: "b"}); len(adv) != 0 {
		t.Errorf("advance of another account: %+v", adv)
	}
	if adv, _ := f.st.Advance(context.Background(), AdvanceFilter{}); len(adv) != 1 || !adv[0].Gone {
		t.Errorf("advance of the deletion: %+v", adv)
	}
	if got := f.status(t, manual); got != "gone" {
		t.Errorf("after the manual deletion: %s", got)
	}

	// Settings are captured when a transition starts.
	f.trs.Clear()
	if got := f.status(t, failing); got != "ERROR" {
		t.Errorf("clearing the settings changed a finished transition: %s", got)
	}
	if k := f.trs.Kinds(); len(k) != 1 || k[0].Transitions[0].Progression != ProgressTime || k[0].Transitions[0].Duration != "asyncDelay" {
		t.Errorf("kinds after Clear: %+v", k)
	}
}

func TestTransitionSettingErrors(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	for _, tc := range []struct {
		s     TransitionSetting
		field string
		says  string
	}{
		{TransitionSetting{Kind: "svc/nope", Progression: ProgressTime}, "kind", "svc/thing"},
		{TransitionSetting{Kind: "svc/thing", Transition: "start", Progression: ProgressTime}, "transition", "create, delete, set"},
		{TransitionSetting{Kind: "svc/thing", Progression: "slow"}, "progression", "immediate"},
		{TransitionSetting{Kind: "svc/thing", Progression: ProgressFail}, "progression", "delete"},
		{TransitionSetting{Kind: "svc/thing", Progression: ProgressManual, Duration: "1s"}, "duration", "time"},
		{TransitionSetting{Kind: "svc/thing", Progression: ProgressTime, Duration: "-1s"}, "duration", "-1s"},
	} {
		err := f.trs.Set(tc.s)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || !strings.Contains(fe.Message, tc.says) {
			t.Errorf("%+v: %v, want a %s error mentioning %q", tc.s, err, tc.field, tc.says)
		}
	}
	if k := f.trs.Kinds(); k[0].Transitions[0].Progression != ProgressTime {
		t.Errorf("a refused setting changed the kinds: %+v", k)
	}
}

func TestBeginLike(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	parent := f.create(t, "a", "parent", "")
	var child string
	err := f.st.Update(context.Background(), func(tx *Tx) error {
		p, _ := f.things.Get(tx, "a", parent)
		child = f.seq.NextString(tx)
		c := thing{Name: "child", Parent: parent}
		f.things.BeginLike(tx, &c, "set", p.Life)
		f.things.Put(tx, "a", child, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(5 * time.Second)
	if p, c := f.status(t, parent), f.status(t, child); p != "CREATING" || c != "SET" {
		t.Errorf("in step: parent %s, child %s", p, c)
	}
	f.clock.Advance(5 * time.Second)
	if p, c := f.status(t, parent), f.status(t, child); p != "RUN" || c != "RUN" {
		t.Errorf("ended together: parent %s, child %s", p, c)
	}
}

func TestUpdateRollsBack(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	kept := f.create(t, "a", "kept", "p")
	batches := len(f.journal.batches)
	published := false
	boom := errors.New("boom")
	err := f.st.Update(context.Background(), func(tx *Tx) error {
		f.seq.Next(tx)
		f.things.Put(tx, "a", f.seq.NextString(tx), thing{Name: "new", Parent: "p", Life: Life{Status: "RUN"}})
		r, _ := f.things.Get(tx, "a", kept)
		r.Parent = "q"
		f.things.Put(tx, "a", kept, r)
		f.things.Delete(tx, "a", kept)
		tx.AfterCommit(func(context.Context) { published = true })
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v", err)
	}
	_ = f.st.View(func(tx *Tx) error {
		list := f.things.List(tx, "a")
		if len(list) != 1 || list[0].Parent != "p" || len(f.byPar.List(tx, "a", "p")) != 1 || len(f.byPar.List(tx, "a", "q")) != 0 {
			t.Errorf("after the rollback: %+v", list)
		}
		return nil
	})
	if f.seq.Last() != 101 || published || len(f.journal.batches) != batches {
		t.Errorf("rollback left sequence %d, published %v, %d new batches", f.seq.Last(), published, len(f.journal.batches)-batches)
	}
	// A panic rolls back too.
	func() {
		defer func() { _ = recover() }()
		_ = f.st.Update(context.Background(), func(tx *Tx) error {
			f.things.Delete(tx, "a", kept)
			panic("handler bug")
		})
	}()
	if got := f.status(t, kept); got == "gone" {
		t.Error("a panicking update deleted the record")
	}
}

func TestCommitJournalsAndNotifies(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	rec := &OpRecorder{}
	ctx := WithOpRecorder(context.Background(), rec)
	topic := NewTopic[string]("svc.thing")
	var got []string
	unsubscribe := topic.Subscribe(func(ctx context.Context, ev string) {
		if !Changed(ctx) {
			t.Error("event delivered before the commit was noted")
		}
		got = append(got, ev)
	})
	err := f.st.Update(ctx, func(tx *Tx) error {
		no := f.seq.NextString(tx)
		f.things.Put(tx, "a", no, thing{Name: "x", Life: Life{Status: "RUN"}})
		f.plain.Put(tx, "a", "k", "v")
		PublishAfterCommit(tx, topic, "created "+no)
		if f.st.mu.TryRLock() {
			f.st.mu.RUnlock()
			t.Error("the store is not locked inside Update")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Changed || !slices.Equal(got, []string{"created 101"}) {
		t.Errorf("changed %v, events %v", rec.Changed, got)
	}
	b := f.journal.batches[len(f.journal.batches)-1]
	if len(b.Changes) != 2 || b.Changes[0].Table != "things" || b.Changes[1].Table != "plain" || b.Sequences["no"] != 101 {
		t.Errorf("batch %+v", b)
	}
	unsubscribe()
	// A read-only update journals nothing and changes nothing.
	rec2 := &OpRecorder{}
	n := len(f.journal.batches)
	_ = f.st.Update(WithOpRecorder(context.Background(), rec2), func(tx *Tx) error {
		PublishAfterCommit(tx, topic, "ignored")
		return nil
	})
	if rec2.Changed || len(f.journal.batches) != n || len(got) != 1 {
		t.Errorf("read-only update: changed %v, %d batches, events %v", rec2.Changed, len(f.journal.batches)-n, got)
	}
}

func TestImageRoundTrip(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	a := f.create(t, "a", "one", "p")
	f.create(t, "b", "two", "p")
	im := f.journal.image
	// The journal's image, built from batches, equals the store's own.
	mine, _ := json.Marshal(f.st.Image())
	theirs, _ := json.Marshal(im)
	if string(mine) != string(theirs) {
		t.Fatalf("journal image %s\nstore image %s", theirs, mine)
	}

	g := newStoreFixture(t)
	g.clock.Advance(f.clock.Now().Sub(g.clock.Now()) + asyncDelay)
	if err := g.st.Load(im); err != nil {
		t.Fatal(err)
	}
	if got := g.status(t, a); got != "RUN" {
		t.Errorf("restored thing after its delay: %s", got)
	}
	if got := g.create(t, "a", "three", ""); got != "103" {
		t.Errorf("number after a restore: %s, want 103", got)
	}
	_ = g.st.View(func(tx *Tx) error {
		if n := len(g.byPar.List(tx, "a", "p")); n != 1 {
			t.Errorf("index after a restore lists %d", n)
		}
		return nil
	})
	// A number lost from the sequences is recovered from the IDs.
	lost := NewImage()
	lost.Tables = im.Tables
	h := newStoreFixture(t)
	if err := h.st.Load(lost); err != nil {
		t.Fatal(err)
	}
	if got := h.create(t, "a", "x", ""); got != "103" {
		t.Errorf("number after a restore without sequences: %s", got)
	}
}

func TestLoadRefusesBadImages(t *testing.T) {
	t.Parallel()
	good := `{"name":"x","parent":"","life":{"status":"RUN"}}`
	for name, tc := range map[string]struct {
		image string
		says  string
	}{
		"unknown table":      {`{"tables":{"nope":{}},"sequences":{}}`, `unknown table "nope"`},
		"unknown sequence":   {`{"tables":{},"sequences":{"nope":1}}`, `unknown sequence "nope"`},
		"unknown field":      {`{"tables":{"things":{"a":{"1":{"name":"x","life":{"status":"RUN"},"extra":1}}}},"sequences":{}}`, `unknown field "extra"`},
		"bad number":         {`{"tables":{"things":{"a":{"x1":` + good + `}}},"sequences":{}}`, "not an object number"},
		"check":              {`{"tables":{"things":{"a":{"1":{"name":"","life":{"status":"RUN"}}}}},"sequences":{}}`, "no name"},
		"bad transition":     {`{"tables":{"things":{"a":{"1":{"name":"x","life":{"status":"RUN","op":{"transition":"fly","mode":"time"}}}}}},"sequences":{}}`, `unknown transition "fly"`},
		"bad mode":           {`{"tables":{"things":{"a":{"1":{"name":"x","life":{"status":"RUN","op":{"transition":"set","mode":"soon"}}}}}},"sequences":{}}`, `unknown progression "soon"`},
		"no status":          {`{"tables":{"things":{"a":{"1":{"name":"x","life":{}}}}},"sequences":{}}`, "no status"},
		"empty account":      {`{"tables":{"things":{"":{"1":` + good + `}}},"sequences":{}}`, "no account"},
		"store check failed": {`{"tables":{"things":{"a":{"1":{"name":"x","parent":"missing","life":{"status":"RUN"}}}}},"sequences":{}}`, "parent missing"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newStoreFixture(t)
			f.st.Check(func(tx *Tx) error {
				for _, r := range f.things.List(tx, "a") {
					if r.Parent == "missing" {
						return errors.New("parent missing")
					}
				}
				return nil
			})
			kept := f.create(t, "a", "kept", "")
			var im Image
			if err := json.Unmarshal([]byte(tc.image), &im); err != nil {
				t.Fatal(err)
			}
			err := f.st.Load(&im)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("Load = %v, want an error mentioning %q", err, tc.says)
			}
			if got := f.status(t, kept); got == "gone" || f.seq.Last() != 101 {
				t.Errorf("a refused image changed the state: %s, sequence %d", got, f.seq.Last())
			}
		})
	}
}

func TestResetKeepsNumbering(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	f.create(t, "a", "one", "p")
	f.st.Reset()
	if got := f.st.Accounts(); len(got) != 0 {
		t.Errorf("accounts after Reset: %v", got)
	}
	if got := f.create(t, "a", "two", ""); got != "102" {
		t.Errorf("number after Reset: %s, want 102", got)
	}
}

func TestViewRefusesWrites(t *testing.T) {
	t.Parallel()
	f := newStoreFixture(t)
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "View") { //nolint:forcetypeassert // the panic value of mustWrite
			t.Errorf("recovered %v", r)
		}
	}()
	_ = f.st.View(func(tx *Tx) error {
		f.plain.Put(tx, "a", "k", "v")
		return nil
	})
}
