package emu

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// Table holds the records of one kind of object, per account, keyed by ID
// and listed in ID order (numeric for object numbers, creation order for
// TimestampedID). Records are plain values: Get and List return copies, and
// a change is made by Put, so every change is seen and journaled. A record
// must not share maps or slices with a copy that is changed later; replace
// them instead.
type Table[R any] struct {
	st     *Store
	tname  string
	k      *Kind
	lifeOf func(*R) *Life
	check  func(account, id string, r *R) error
	seq    *Sequence
	rows   map[string]*rows[R]
	idx    []*Index[R]
}

// rows are one account's records.
type rows[R any] struct {
	byID map[string]*R
	ids  []string // sorted by compareIDs
}

// TableOption configures a Table.
type TableOption[R any] func(*Table[R])

// WithLife gives the table's records a lifecycle of kind k; life returns a
// record's Life field.
func WithLife[R any](k Kind, life func(*R) *Life) TableOption[R] {
	return func(t *Table[R]) {
		kk := k
		kk.Transitions = slices.Clone(k.Transitions)
		t.k, t.lifeOf = &kk, life
	}
}

// WithCheck validates every record loaded from saved data.
func WithCheck[R any](check func(account, id string, r *R) error) TableOption[R] {
	return func(t *Table[R]) { t.check = check }
}

// WithNumbers says the table's IDs are decimal numbers handed out by q:
// loading saved data then requires numeric IDs and raises q past the
// largest, so a number is never handed out twice even if a sequence value
// was lost.
func WithNumbers[R any](q *Sequence) TableOption[R] {
	return func(t *Table[R]) { t.seq = q }
}

// NewTable registers a table named name in st.
func NewTable[R any](st *Store, name string, opts ...TableOption[R]) *Table[R] {
	t := &Table[R]{st: st, tname: name, rows: map[string]*rows[R]{}}
	for _, o := range opts {
		o(t)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, dup := st.tables[name]; dup {
		panic(fmt.Sprintf("emu: store %s: table %q registered twice", st.service, name))
	}
	if t.k != nil {
		if err := st.env.Transitions.register(t.k); err != nil {
			panic(err.Error())
		}
	}
	st.tables[name] = t
	st.order = append(st.order, t)
	return t
}

// Kind returns the table's lifecycle kind, nil when it has none.
func (t *Table[R]) Kind() *Kind { return t.k }

func (t *Table[R]) name() string { return t.tname }
func (t *Table[R]) kind() *Kind  { return t.k }

// gone reports whether r no longer exists at now.
func (t *Table[R]) gone(r *R, now time.Time) bool {
	t.st.visits.Add(1)
	if t.k == nil {
		return false
	}
	_, gone, _ := t.k.state(t.lifeOf(r), now)
	return gone
}

// raw returns the stored record, gone or not.
func (t *Table[R]) raw(account, id string) *R {
	if rs := t.rows[account]; rs != nil {
		return rs.byID[id]
	}
	return nil
}

// Get returns a copy of record id of account; false when there is none or
// it is gone.
func (t *Table[R]) Get(tx *Tx, account, id string) (R, bool) {
	r := t.raw(account, id)
	if r == nil || t.gone(r, tx.now) {
		var zero R
		return zero, false
	}
	return *r, true
}

// List returns copies of account's records in ID order, gone ones left out.
func (t *Table[R]) List(tx *Tx, account string) []R {
	rs := t.rows[account]
	if rs == nil {
		return nil
	}
	out := make([]R, 0, len(rs.ids))
	for _, id := range rs.ids {
		if r := rs.byID[id]; !t.gone(r, tx.now) {
			out = append(out, *r)
		}
	}
	return out
}

// Count returns how many records account has, gone ones left out.
func (t *Table[R]) Count(tx *Tx, account string) int {
	rs := t.rows[account]
	if rs == nil {
		return 0
	}
	n := 0
	for _, r := range rs.byID {
		if !t.gone(r, tx.now) {
			n++
		}
	}
	return n
}

// Status returns r's status at the transaction's time.
func (t *Table[R]) Status(tx *Tx, r *R) string {
	status, _, _ := t.k.state(t.lifeOf(r), tx.now)
	return status
}

// Put stores r as record id of account, inserting or replacing it. A
// transition of r that has already ended is settled first; a record whose
// deletion has ended is deleted instead.
func (t *Table[R]) Put(tx *Tx, account, id string, r R) {
	tx.mustWrite("Table.Put")
	if t.k != nil && t.k.settle(t.lifeOf(&r), tx.now) {
		t.Delete(tx, account, id)
		return
	}
	prev := t.raw(account, id)
	tx.record(t, account, id, prev)
	t.set(account, id, &r)
	if l := t.lifeOfOrNil(&r); l != nil && l.Op != nil && (prev == nil || !sameOp(t.lifeOf(prev).Op, l.Op)) {
		t.st.schedule(t.tname, account, id, l)
	}
}

// sameOp reports whether a and b are the same transition in progress.
func sameOp(a, b *Op) bool {
	return a != nil && b != nil && a.Transition == b.Transition && a.Start.Equal(b.Start)
}

// Delete removes record id of account, if any.
func (t *Table[R]) Delete(tx *Tx, account, id string) {
	tx.mustWrite("Table.Delete")
	prev := t.raw(account, id)
	if prev == nil {
		return
	}
	tx.record(t, account, id, prev)
	t.set(account, id, nil)
}

func (t *Table[R]) lifeOfOrNil(r *R) *Life {
	if t.lifeOf == nil {
		return nil
	}
	return t.lifeOf(r)
}

// set stores r (nil: removes) and keeps the ID order and indexes.
func (t *Table[R]) set(account, id string, r *R) {
	rs := t.rows[account]
	old := (*R)(nil)
	if rs != nil {
		old = rs.byID[id]
	}
	for _, ix := range t.idx {
		ix.update(account, id, old, r)
	}
	if r == nil {
		if old == nil {
			return
		}
		delete(rs.byID, id)
		i, _ := slices.BinarySearchFunc(rs.ids, id, compareIDs)
		rs.ids = slices.Delete(rs.ids, i, i+1)
		if len(rs.ids) == 0 {
			delete(t.rows, account)
		}
		return
	}
	if rs == nil {
		rs = &rows[R]{byID: map[string]*R{}}
		t.rows[account] = rs
	}
	if old == nil {
		i, _ := slices.BinarySearchFunc(rs.ids, id, compareIDs)
		rs.ids = slices.Insert(rs.ids, i, id)
	}
	rs.byID[id] = r
}

// Begin starts transition on r: r's Life settles what has ended, then takes
// the transition with the progression in force for the kind. Put r
// afterwards. Under the "immediate" progression the transition has ended
// already (Put then deletes an object whose deletion it was).
func (t *Table[R]) Begin(tx *Tx, r *R, transition string) {
	tx.mustWrite("Table.Begin")
	t.transition(transition) // panics on a name the kind does not have
	l := t.lifeOf(r)
	t.k.settle(l, tx.now)
	p := t.st.env.Transitions.progression(t.k.Name, transition)
	delay := t.st.env.Delay()
	if p.Duration != nil {
		delay = *p.Duration
	}
	if p.Mode == ProgressImmediate {
		// A transition that has ended as it starts; Put settles it.
		p.Mode, delay = ProgressTime, 0
	}
	l.Op = &Op{Transition: transition, Start: tx.now, Delay: delay, Mode: p.Mode}
}

// BeginLike starts transition on r in step with another object's Life:
// objects made or deleted together (a VPC and its default network ACL)
// show their statuses in lockstep. When like has no transition in progress,
// r settles at once in the transition's To status.
func (t *Table[R]) BeginLike(tx *Tx, r *R, transition string, like Life) {
	tx.mustWrite("Table.BeginLike")
	tr := t.transition(transition)
	l := t.lifeOf(r)
	t.k.settle(l, tx.now)
	if like.Op == nil {
		// like has settled: so does r, in the transition's end.
		l.Op = &Op{Transition: transition, Start: tx.now, Mode: ProgressTime}
		return
	}
	op := *like.Op
	op.Transition = transition
	if op.Mode == ProgressFail && tr.Failed == "" {
		op.Mode = ProgressTime
	}
	op.Step = min(op.Step, len(tr.Through))
	l.Op = &op
}

func (t *Table[R]) transition(name string) *Transition {
	if t.k == nil {
		panic(fmt.Sprintf("emu: table %s has no lifecycle", t.tname))
	}
	tr, ok := t.k.transition(name)
	if !ok {
		panic(fmt.Sprintf("emu: kind %s has no transition %q", t.k.Name, name))
	}
	return tr
}

// Accounts returns the accounts holding records.
func (t *Table[R]) accounts() []string { return slices.Collect(maps.Keys(t.rows)) }

func (t *Table[R]) reset() {
	t.rows = map[string]*rows[R]{}
	for _, ix := range t.idx {
		ix.m = map[string]map[string][]string{}
	}
}

func (t *Table[R]) encode(account, id string) (json.RawMessage, bool) {
	r := t.raw(account, id)
	if r == nil {
		return nil, false
	}
	b, err := json.Marshal(r)
	if err != nil { // not reached: records are plain JSON values
		panic(fmt.Sprintf("emu: table %s: encode %s: %v", t.tname, id, err))
	}
	return b, true
}

func (t *Table[R]) restore(account, id string, prev any) {
	r, _ := prev.(*R)
	t.set(account, id, r)
}

func (t *Table[R]) settleDue(tx *Tx, account, id string, start time.Time) {
	r := t.raw(account, id)
	if r == nil || t.k == nil {
		return
	}
	l := t.lifeOf(r)
	if l.Op == nil || !l.Op.Start.Equal(start) {
		return // a newer transition replaced the one that was due
	}
	v := *r
	t.Put(tx, account, id, v)
}

func (t *Table[R]) image() map[string]map[string]json.RawMessage {
	out := map[string]map[string]json.RawMessage{}
	for account, rs := range t.rows {
		m := make(map[string]json.RawMessage, len(rs.byID))
		for id := range rs.byID {
			m[id], _ = t.encode(account, id)
		}
		out[account] = m
	}
	return out
}

// decode builds the table's rows from saved records, checking each.
func (t *Table[R]) decode(saved map[string]map[string]json.RawMessage) (any, error) {
	out := map[string]*rows[R]{}
	for _, account := range sortedKeys(saved) {
		if account == "" {
			return nil, fmt.Errorf("table %s: a record has no account", t.tname)
		}
		recs := saved[account]
		rs := &rows[R]{byID: make(map[string]*R, len(recs)), ids: sortedKeys(recs)}
		for _, id := range rs.ids {
			what := fmt.Sprintf("table %s, account %s, record %q", t.tname, account, id)
			if id == "" {
				return nil, fmt.Errorf("table %s, account %s: a record has no ID", t.tname, account)
			}
			if t.seq != nil && !isNumber(id) {
				return nil, fmt.Errorf("%s: the ID is not an object number", what)
			}
			r := new(R)
			if err := decodeStrict(recs[id], r); err != nil {
				return nil, fmt.Errorf("%s: %w", what, err)
			}
			if t.k != nil {
				if err := t.k.validate(t.lifeOf(r)); err != nil {
					return nil, fmt.Errorf("%s: %w", what, err)
				}
			}
			if t.check != nil {
				if err := t.check(account, id, r); err != nil {
					return nil, fmt.Errorf("%s: %w", what, err)
				}
			}
			rs.byID[id] = r
		}
		if len(rs.ids) > 0 {
			out[account] = rs
		}
	}
	return out, nil
}

// swap installs staged rows (from decode) and returns the previous ones;
// indexes are rebuilt.
func (t *Table[R]) swap(staged any) any {
	old := t.rows
	t.rows = staged.(map[string]*rows[R]) //nolint:forcetypeassert // always the value decode returned
	for _, ix := range t.idx {
		ix.rebuild()
	}
	return old
}

func (t *Table[R]) observeIDs() {
	if t.seq == nil {
		return
	}
	for _, rs := range t.rows {
		if n := len(rs.ids); n > 0 {
			v, _ := strconv.ParseUint(rs.ids[n-1], 10, 64)
			t.seq.observe(v)
		}
	}
}

func (t *Table[R]) scheduleAll() {
	if t.k == nil {
		return
	}
	for account, rs := range t.rows {
		for id, r := range rs.byID {
			t.st.schedule(t.tname, account, id, t.lifeOf(r))
		}
	}
}

func (t *Table[R]) pending(now time.Time, fn func(account, id string, l *Life)) {
	for _, account := range sortedKeys(t.rows) {
		rs := t.rows[account]
		for _, id := range rs.ids {
			r := rs.byID[id]
			if l := t.lifeOf(r); l.Op != nil && !t.gone(r, now) {
				if _, _, ended := t.k.state(l, now); !ended {
					fn(account, id, l)
				}
			}
		}
	}
}

// advance moves a manual transition one status on and returns the status
// now, false when the object is gone.
func (t *Table[R]) advance(tx *Tx, account, id string) (string, bool) {
	v := *t.raw(account, id)
	t.lifeOf(&v).Op.Step++
	t.Put(tx, account, id, v)
	r, ok := t.Get(tx, account, id)
	if !ok {
		return Gone, false
	}
	return t.Status(tx, &r), true
}

// isNumber reports whether s is an object number: decimal digits without a
// sign or leading zero, not zero.
func isNumber(s string) bool {
	n, err := strconv.ParseUint(s, 10, 64)
	return err == nil && n > 0 && strconv.FormatUint(n, 10) == s
}

// Index finds the records of a table by a key (a subnet's VPC number), in
// ID order, without scanning the account.
type Index[R any] struct {
	t   *Table[R]
	key func(*R) string
	m   map[string]map[string][]string // account → key → IDs, sorted
}

// NewIndex registers an index of t by key.
func NewIndex[R any](t *Table[R], key func(*R) string) *Index[R] {
	ix := &Index[R]{t: t, key: key, m: map[string]map[string][]string{}}
	t.st.mu.Lock()
	defer t.st.mu.Unlock()
	t.idx = append(t.idx, ix)
	return ix
}

// List returns copies of account's records whose key is key, in ID order,
// gone ones left out.
func (ix *Index[R]) List(tx *Tx, account, key string) []R {
	var out []R
	for _, id := range ix.m[account][key] {
		if r, ok := ix.t.Get(tx, account, id); ok {
			out = append(out, r)
		}
	}
	return out
}

// ListOrAll is List, or every record of the account when key is "" (a
// list call without its filter).
func (ix *Index[R]) ListOrAll(tx *Tx, account, key string) []R {
	if key == "" {
		return ix.t.List(tx, account)
	}
	return ix.List(tx, account, key)
}

func (ix *Index[R]) update(account, id string, old, r *R) {
	if old != nil {
		k := ix.key(old)
		ids := ix.m[account][k]
		if i, ok := slices.BinarySearchFunc(ids, id, compareIDs); ok {
			ids = slices.Delete(ids, i, i+1)
		}
		if len(ids) == 0 {
			delete(ix.m[account], k)
			if len(ix.m[account]) == 0 {
				delete(ix.m, account)
			}
		} else {
			ix.m[account][k] = ids
		}
	}
	if r != nil {
		k := ix.key(r)
		if ix.m[account] == nil {
			ix.m[account] = map[string][]string{}
		}
		ids := ix.m[account][k]
		i, found := slices.BinarySearchFunc(ids, id, compareIDs)
		if !found {
			ix.m[account][k] = slices.Insert(ids, i, id)
		}
	}
}

func (ix *Index[R]) rebuild() {
	ix.m = map[string]map[string][]string{}
	for account, rs := range ix.t.rows {
		for _, id := range rs.ids {
			ix.update(account, id, nil, rs.byID[id])
		}
	}
}
