package emu

import (
	"bytes"
	"container/heap"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Store is one service's state: tables of records kept per account, the
// sequences that number them, and the lifecycles of the kinds that have
// one. Every read goes through View and every change through Update, which
// commits atomically: the changed records go to the server's journal (so a
// change is durable before the request that made it is answered, and
// numbers are never reused after a restart), and work registered with
// Tx.AfterCommit (publishing events) runs after the store's lock is
// released.
//
// Statuses are computed when read, from each record's Life; an object whose
// deletion has ended is invisible at once and removed by the next Update
// that finds it due, so a request costs what it touches, not the size of
// the account.
//
// Register tables, indexes, sequences and checks in the service's
// constructor, before the store is used.
type Store struct {
	env     Env
	service string

	mu     sync.RWMutex
	tables map[string]table
	order  []table
	seqs   map[string]*Sequence
	checks []func(tx *Tx) error
	due    dueQueue

	// visits counts the records the store has looked at (every read of a
	// record decides whether it is gone): what a request costs, counted
	// instead of timed, so a test can say that a read touches only what it
	// reads.
	visits atomic.Uint64
}

// Visits returns how many records the store has looked at so far.
func (st *Store) Visits() uint64 { return st.visits.Load() }

// NewStore returns an empty store for service, using env's clock, async
// delay, transition settings and journal.
func NewStore(env Env, service string) *Store {
	return &Store{env: env, service: service, tables: map[string]table{}, seqs: map[string]*Sequence{}}
}

// Service returns the name of the store's service.
func (st *Store) Service() string { return st.service }

// Sequence registers a sequence whose first number is after+1 (a magic
// offset makes numbers of different services easy to tell apart).
func (st *Store) Sequence(name string, after uint64) *Sequence {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, dup := st.seqs[name]; dup {
		panic(fmt.Sprintf("emu: store %s: sequence %q registered twice", st.service, name))
	}
	q := &Sequence{store: st, name: name, last: after}
	st.seqs[name] = q
	return q
}

// Check registers a consistency check across tables (a subnet's VPC
// exists, ...). Checks run when state is loaded from saved data; a failing
// check refuses the data.
func (st *Store) Check(fn func(tx *Tx) error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.checks = append(st.checks, fn)
}

// Tx is one View or Update transaction.
type Tx struct {
	st    *Store
	now   time.Time
	write bool

	touched []touch
	seen    map[touchKey]int
	seqs    map[string]uint64 // sequence values handed out
	oldSeqs map[string]uint64 // to roll back
	after   []func(ctx context.Context)
}

type touchKey struct{ table, account, id string }

// touch remembers the first state of a record a transaction changed.
type touch struct {
	touchKey
	t    table
	prev any // *R before the change, nil when absent
}

// Now is the transaction's clock: one time for the whole transaction.
func (tx *Tx) Now() time.Time { return tx.now }

// Delay is the async delay in force.
func (tx *Tx) Delay() time.Duration { return tx.st.env.Delay() }

// AfterCommit registers fn to run once the transaction has committed and
// the store's lock is released, with the Update's context; it never runs
// for a transaction that failed. Publish events here.
func (tx *Tx) AfterCommit(fn func(ctx context.Context)) {
	tx.mustWrite("AfterCommit")
	tx.after = append(tx.after, fn)
}

func (tx *Tx) mustWrite(what string) {
	if !tx.write {
		panic("emu: " + what + " in a View transaction")
	}
}

// record notes that the record key of t is about to change.
func (tx *Tx) record(t table, account, id string, prev any) {
	k := touchKey{t.name(), account, id}
	if _, ok := tx.seen[k]; ok {
		return
	}
	if tx.seen == nil {
		tx.seen = map[touchKey]int{}
	}
	tx.seen[k] = len(tx.touched)
	tx.touched = append(tx.touched, touch{touchKey: k, t: t, prev: prev})
}

// View runs fn with a read-only transaction. Any number of views run at
// once; an Update waits for them.
func (st *Store) View(fn func(tx *Tx) error) error {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return fn(&Tx{st: st, now: st.env.Time()})
}

// Update runs fn with a read-write transaction. When fn returns nil, its
// changes commit: they are journaled as one batch, ctx's request is marked
// as having changed state (the server then answers it only once the batch
// is durable), and the AfterCommit functions run. When fn returns an error
// (or panics), every change it made, sequence numbers included, is undone
// and the error is returned.
func (st *Store) Update(ctx context.Context, fn func(tx *Tx) error) (err error) {
	st.mu.Lock()
	locked := true
	defer func() {
		if locked {
			st.mu.Unlock()
		}
	}()
	now := st.env.Time()
	st.reap(ctx, now)

	tx := &Tx{st: st, now: now, write: true, seqs: map[string]uint64{}, oldSeqs: map[string]uint64{}}
	for name, q := range st.seqs {
		tx.oldSeqs[name] = q.last
	}
	committed := false
	defer func() {
		if !committed {
			tx.rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	st.commit(ctx, tx)
	committed = true
	st.mu.Unlock()
	locked = false
	for _, f := range tx.after {
		f(ctx)
	}
	return nil
}

// commit journals tx's changes. st.mu must be held.
func (st *Store) commit(ctx context.Context, tx *Tx) {
	if len(tx.touched) == 0 && len(tx.seqs) == 0 {
		return
	}
	b := &Batch{}
	for _, c := range tx.touched {
		v, ok := c.t.encode(c.account, c.id)
		ch := Change{Table: c.table, Account: c.account, ID: c.id}
		if ok {
			ch.Value = v
		}
		b.Changes = append(b.Changes, ch)
	}
	if len(tx.seqs) > 0 {
		b.Sequences = maps.Clone(tx.seqs)
	}
	if st.env.Journal != nil {
		st.env.Journal.Append(st.service, b)
	}
	noteChange(ctx)
}

// rollback undoes a failed transaction's changes.
func (tx *Tx) rollback() {
	for i := len(tx.touched) - 1; i >= 0; i-- {
		c := tx.touched[i]
		c.t.restore(c.account, c.id, c.prev)
	}
	for name, v := range tx.oldSeqs {
		tx.st.seqs[name].last = v
	}
}

// reap removes or settles the records whose timed transition has ended at
// now, as its own committed batch. st.mu must be held.
func (st *Store) reap(ctx context.Context, now time.Time) {
	if st.due.Len() == 0 || st.due[0].at.After(now) {
		return
	}
	tx := &Tx{st: st, now: now, write: true, seqs: map[string]uint64{}}
	for st.due.Len() > 0 && !st.due[0].at.After(now) {
		d := heap.Pop(&st.due).(dueItem) //nolint:forcetypeassert // the queue holds dueItems only
		if t := st.tables[d.table]; t != nil {
			t.settleDue(tx, d.account, d.id, d.start)
		}
	}
	st.commit(ctx, tx)
}

// Reset drops every record of every account. Sequences keep counting.
func (st *Store) Reset() {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, t := range st.order {
		t.reset()
	}
	st.due = nil
}

// Accounts returns the IDs of every account holding a record, sorted.
func (st *Store) Accounts() []string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.accounts()
}

// Accounts is Store.Accounts inside a transaction.
func (tx *Tx) Accounts() []string { return tx.st.accounts() }

// accounts lists the accounts holding records. st.mu must be held.
func (st *Store) accounts() []string {
	seen := map[string]bool{}
	for _, t := range st.order {
		for _, a := range t.accounts() {
			seen[a] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// Change is one record written (Value set) or deleted (Value nil), as a
// store journals it.
type Change struct {
	Table   string          `json:"t"`
	Account string          `json:"a"`
	ID      string          `json:"id"`
	Value   json.RawMessage `json:"v,omitempty"`
}

// Batch is the changes of one committed transaction.
type Batch struct {
	Changes []Change `json:"changes,omitempty"`
	// Sequences are the last numbers handed out, by sequence name.
	Sequences map[string]uint64 `json:"seqs,omitempty"`
}

// Journal makes committed batches durable; the server provides it through
// Env. Append is called with the store's lock held, in commit order, and
// must not block on I/O.
type Journal interface {
	Append(service string, b *Batch)
}

// Image is a store's saved state: records as JSON by table, account and
// ID, and the sequences. The server keeps it up to date by applying the
// journaled batches, writes it to the data dir and loads it back.
type Image struct {
	Tables    map[string]map[string]map[string]json.RawMessage `json:"tables"`
	Sequences map[string]uint64                                `json:"sequences"`
}

// NewImage returns an empty image.
func NewImage() *Image {
	return &Image{Tables: map[string]map[string]map[string]json.RawMessage{}, Sequences: map[string]uint64{}}
}

// Apply applies a batch to the image.
func (im *Image) Apply(b *Batch) {
	for _, c := range b.Changes {
		accts := im.Tables[c.Table]
		if c.Value == nil {
			if rows := accts[c.Account]; rows != nil {
				delete(rows, c.ID)
				if len(rows) == 0 {
					delete(accts, c.Account)
				}
			}
			continue
		}
		if accts == nil {
			accts = map[string]map[string]json.RawMessage{}
			im.Tables[c.Table] = accts
		}
		if accts[c.Account] == nil {
			accts[c.Account] = map[string]json.RawMessage{}
		}
		accts[c.Account][c.ID] = c.Value
	}
	for name, v := range b.Sequences {
		im.Sequences[name] = max(im.Sequences[name], v)
	}
}

// ClearRecords drops every record, keeping the sequences (Reset).
func (im *Image) ClearRecords() {
	im.Tables = map[string]map[string]map[string]json.RawMessage{}
}

// Image returns the store's current state as an image.
func (st *Store) Image() *Image {
	st.mu.RLock()
	defer st.mu.RUnlock()
	im := NewImage()
	for _, t := range st.order {
		if rows := t.image(); len(rows) > 0 {
			im.Tables[t.name()] = rows
		}
	}
	for name, q := range st.seqs {
		im.Sequences[name] = q.last
	}
	return im
}

// Load replaces the store's state with im, after checking all of it: every
// record decodes strictly into its table's type and passes the table's
// check, every lifecycle is valid, and the store's checks pass. On any
// error the state is left as it was. Sequences never go backwards.
func (st *Store) Load(im *Image) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	for name := range im.Tables {
		if st.tables[name] == nil {
			return fmt.Errorf("%s: unknown table %q", st.service, name)
		}
	}
	for name := range im.Sequences {
		if st.seqs[name] == nil {
			return fmt.Errorf("%s: unknown sequence %q", st.service, name)
		}
	}
	old := make([]any, len(st.order))
	for i, t := range st.order {
		staged, err := t.decode(im.Tables[t.name()])
		if err != nil {
			return fmt.Errorf("%s: %w", st.service, err)
		}
		old[i] = t.swap(staged)
	}
	oldSeqs := map[string]uint64{}
	for name, q := range st.seqs {
		oldSeqs[name] = q.last
		q.observe(im.Sequences[name])
	}
	for _, t := range st.order {
		t.observeIDs()
	}
	tx := &Tx{st: st, now: st.env.Time()}
	for _, check := range st.checks {
		if err := check(tx); err != nil {
			for i, t := range st.order {
				t.swap(old[i])
			}
			for name, v := range oldSeqs {
				st.seqs[name].last = v
			}
			return fmt.Errorf("%s: %w", st.service, err)
		}
	}
	st.due = nil
	for _, t := range st.order {
		t.scheduleAll()
	}
	return nil
}

// table is what a Store needs of a Table[R].
type table interface {
	name() string
	kind() *Kind
	reset()
	accounts() []string
	encode(account, id string) (json.RawMessage, bool)
	restore(account, id string, prev any)
	settleDue(tx *Tx, account, id string, start time.Time)
	image() map[string]map[string]json.RawMessage
	decode(rows map[string]map[string]json.RawMessage) (any, error)
	swap(staged any) any
	observeIDs()
	scheduleAll()
	pending(now time.Time, fn func(account, id string, l *Life))
	advance(tx *Tx, account, id string) (string, bool)
}

// dueItem is a timed transition's end.
type dueItem struct {
	at                 time.Time
	table, account, id string
	start              time.Time
}

// dueQueue is a min-heap of transition ends.
type dueQueue []dueItem

func (q dueQueue) Len() int           { return len(q) }
func (q dueQueue) Less(i, j int) bool { return q[i].at.Before(q[j].at) }
func (q dueQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *dueQueue) Push(x any)        { *q = append(*q, x.(dueItem)) } //nolint:forcetypeassert // heap.Interface
func (q *dueQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// schedule remembers when a record's timed transition ends.
func (st *Store) schedule(table, account, id string, l *Life) {
	if l == nil || l.Op == nil {
		return
	}
	if end, timed := l.Op.endsAt(); timed {
		heap.Push(&st.due, dueItem{at: end, table: table, account: account, id: id, start: l.Op.Start})
	}
}

// PendingOp is an object in a transition, for the admin API.
type PendingOp struct {
	Kind       string `json:"kind"`
	Account    string `json:"account"`
	ID         string `json:"id"`
	Transition string `json:"transition"`
	Status     string `json:"status"`
	Mode       string `json:"progression"`
}

// Pending lists the objects in a transition, by kind, account and ID.
func (st *Store) Pending() []PendingOp {
	var out []PendingOp
	_ = st.View(func(tx *Tx) error {
		for _, t := range st.order {
			k := t.kind()
			if k == nil {
				continue
			}
			t.pending(tx.now, func(account, id string, l *Life) {
				status, _, _ := k.state(l, tx.now)
				out = append(out, PendingOp{Kind: k.Name, Account: account, ID: id, Transition: l.Op.Transition, Status: status, Mode: l.Op.Mode})
			})
		}
		return nil
	})
	return out
}

// AdvanceFilter selects the manual transitions to advance: every field
// that is set must match.
type AdvanceFilter struct {
	Account string `json:"account,omitempty"`
	Kind    string `json:"kind,omitempty"`
	ID      string `json:"id,omitempty"`
}

// Advanced is one object a manual transition advanced, with its status now.
type Advanced struct {
	Kind    string `json:"kind"`
	Account string `json:"account"`
	ID      string `json:"id"`
	Status  string `json:"status"`
	Gone    bool   `json:"gone,omitempty"`
}

// Advance moves every manual transition f selects one status forward; a
// transition past its last status ends.
func (st *Store) Advance(ctx context.Context, f AdvanceFilter) ([]Advanced, error) {
	var out []Advanced
	err := st.Update(ctx, func(tx *Tx) error {
		for _, t := range st.order {
			k := t.kind()
			if k == nil || (f.Kind != "" && f.Kind != k.Name) {
				continue
			}
			var sel []touchKey
			t.pending(tx.now, func(account, id string, l *Life) {
				if l.Op.Mode == ProgressManual && (f.Account == "" || f.Account == account) && (f.ID == "" || f.ID == id) {
					sel = append(sel, touchKey{t.name(), account, id})
				}
			})
			for _, s := range sel {
				status, ok := t.advance(tx, s.account, s.id)
				out = append(out, Advanced{Kind: k.Name, Account: s.account, ID: s.id, Status: status, Gone: !ok})
			}
		}
		return nil
	})
	return out, err
}

// decodeStrict decodes one JSON value into v: unknown fields and trailing
// data are errors.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// sortedKeys returns m's keys in ID order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return compareIDs(keys[i], keys[j]) < 0 })
	return keys
}
