package ncplocal

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
)

// With a data dir, the state of every service is one file plus a
// write-ahead log:
//
//   - state.json holds a checkpoint: the image of every store (emu.Image)
//     and the snapshot of every Persistent service, as of one journal
//     sequence number, written atomically (temp file, fsync, rename, fsync
//     of the directory);
//   - wal.log holds one JSON line per change committed since: a store's
//     batch, a Persistent service's whole snapshot, or a reset.
//
// A request that changed state is answered only once its lines are on disk
// (fsync), so an acknowledged change survives a crash; concurrent requests
// share one write and fsync (group commit). The log is folded into a new
// checkpoint once it outgrows the last one, and at Close. On start the
// checkpoint is loaded and the log replayed; a last line cut short by a
// crash (never acknowledged) is dropped, any other damage refuses to start.
const (
	stateFileName = "state.json"
	walFileName   = "wal.log"
	stateVersion  = 1
	// minCheckpointBytes is the log size below which no checkpoint is
	// written before Close, whatever the size of the last checkpoint.
	minCheckpointBytes = 1 << 20
)

// savedState is the content of state.json.
type savedState struct {
	Version int `json:"version"`
	// Seq is the last journal entry the checkpoint includes.
	Seq      uint64                     `json:"seq"`
	Stores   map[string]*emu.Image      `json:"stores"`
	Services map[string]json.RawMessage `json:"services"`
}

// walEntry is one line of wal.log.
type walEntry struct {
	Seq uint64 `json:"seq"`
	// Store and Batch: a store's committed transaction.
	Store string     `json:"store,omitempty"`
	Batch *emu.Batch `json:"batch,omitempty"`
	// Service and State: a Persistent service's whole state.
	Service string          `json:"service,omitempty"`
	State   json.RawMessage `json:"state,omitempty"`
	// Reset drops every record of every store (sequences stay).
	Reset bool `json:"reset,omitempty"`
}

// errJournalStopped is what waiters get once the journal stopped without
// writing their entry (Abandon).
var errJournalStopped = errors.New("ncplocal: the journal was stopped before the change was saved")

// journal is the write-ahead log and checkpoint writer. Stores append
// under their own locks (emu.Journal); one writer goroutine writes, syncs
// and folds entries into the image.
type journal struct {
	dir string

	mu      sync.Mutex
	cond    *sync.Cond
	last    uint64     // last sequence number assigned
	durable uint64     // last sequence number on disk
	queue   []walEntry // assigned, not yet written
	err     error      // sticky write failure
	ckptReq uint64     // checkpoints asked for
	ckptGen uint64     // checkpoints done
	ckptErr error      // result of the last checkpoint
	closing bool       // Close: flush, checkpoint, stop
	stopped bool       // the writer has stopped
	done    chan struct{}

	// Owned by the writer goroutine once started.
	state    savedState
	wal      *os.File
	walBytes int64
	ckptSize int64 // size of the last checkpoint
}

var _ emu.Journal = (*journal)(nil)

func newJournal(dir string) *journal {
	j := &journal{dir: dir, done: make(chan struct{}), state: savedState{
		Version: stateVersion, Stores: map[string]*emu.Image{}, Services: map[string]json.RawMessage{},
	}}
	j.cond = sync.NewCond(&j.mu)
	return j
}

func (j *journal) statePath() string { return filepath.Join(j.dir, stateFileName) }
func (j *journal) walPath() string   { return filepath.Join(j.dir, walFileName) }

// Append implements emu.Journal.
func (j *journal) Append(store string, b *emu.Batch) {
	j.enqueue(walEntry{Store: store, Batch: b})
}

// enqueue assigns the next sequence number to e and queues it for the
// writer; it returns the number.
func (j *journal) enqueue(e walEntry) uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.last++
	e.Seq = j.last
	j.queue = append(j.queue, e)
	j.cond.Broadcast()
	return e.Seq
}

// lastSeq returns the last sequence number assigned.
func (j *journal) lastSeq() uint64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.last
}

// wait returns once entry seq is on disk, or with the error that keeps it
// from getting there.
func (j *journal) wait(seq uint64) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for j.durable < seq {
		if j.err != nil {
			return j.err
		}
		if j.stopped {
			return errJournalStopped
		}
		j.cond.Wait()
	}
	return nil
}

// load reads the checkpoint and replays the log into j.state. A log line
// cut short by a crash is truncated away.
func (j *journal) load() error {
	b, err := os.ReadFile(j.statePath())
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("ncplocal: read %s: %w", j.statePath(), err)
	default:
		var st savedState
		if err := decodeStrictJSON(b, &st); err != nil {
			return fmt.Errorf("ncplocal: %s is corrupt (%v); move it away to start empty", j.statePath(), err)
		}
		if st.Version != stateVersion {
			return fmt.Errorf("ncplocal: %s has version %d, this ncplocal reads version %d", j.statePath(), st.Version, stateVersion)
		}
		if st.Stores == nil {
			st.Stores = map[string]*emu.Image{}
		}
		if st.Services == nil {
			st.Services = map[string]json.RawMessage{}
		}
		for name, im := range st.Stores {
			if im == nil {
				return fmt.Errorf("ncplocal: %s: store %q has no image", j.statePath(), name)
			}
			if im.Tables == nil {
				im.Tables = map[string]map[string]map[string]json.RawMessage{}
			}
			if im.Sequences == nil {
				im.Sequences = map[string]uint64{}
			}
		}
		j.state = st
		j.ckptSize = int64(len(b))
	}
	j.last, j.durable = j.state.Seq, j.state.Seq
	return j.replay()
}

// replay applies the log's entries after the checkpoint.
func (j *journal) replay() error {
	f, err := os.Open(j.walPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("ncplocal: open %s: %w", j.walPath(), err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var good int64
	for line := 1; ; line++ {
		text, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			if len(text) > 0 {
				// The last write was cut short by a crash: it was never
				// acknowledged, so it is dropped.
				return j.truncateWAL(good)
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("ncplocal: read %s: %w", j.walPath(), err)
		}
		var e walEntry
		if err := decodeStrictJSON(text, &e); err != nil {
			return fmt.Errorf("ncplocal: %s line %d is corrupt (%v); move the data dir away to start empty", j.walPath(), line, err)
		}
		good += int64(len(text))
		if e.Seq <= j.state.Seq {
			continue // already in the checkpoint
		}
		if e.Seq != j.last+1 {
			return fmt.Errorf("ncplocal: %s line %d has entry %d after %d: entries are missing", j.walPath(), line, e.Seq, j.last)
		}
		j.apply(e)
		j.last, j.durable = e.Seq, e.Seq
	}
}

func (j *journal) truncateWAL(size int64) error {
	if err := os.Truncate(j.walPath(), size); err != nil {
		return fmt.Errorf("ncplocal: drop the cut-off last entry of %s: %w", j.walPath(), err)
	}
	return nil
}

// apply folds one entry into j.state.
func (j *journal) apply(e walEntry) {
	switch {
	case e.Reset:
		for _, im := range j.state.Stores {
			im.ClearRecords()
		}
	case e.Batch != nil:
		im := j.state.Stores[e.Store]
		if im == nil {
			im = emu.NewImage()
			j.state.Stores[e.Store] = im
		}
		im.Apply(e.Batch)
	case e.Service != "":
		j.state.Services[e.Service] = e.State
	}
	j.state.Seq = e.Seq
}

// start opens the log for appending and runs the writer.
func (j *journal) start() error {
	f, err := os.OpenFile(j.walPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("ncplocal: open %s: %w", j.walPath(), err)
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return fmt.Errorf("ncplocal: %s: %w", j.walPath(), err)
	}
	j.wal, j.walBytes = f, fi.Size()
	go j.run()
	return nil
}

// run is the writer goroutine.
func (j *journal) run() {
	defer close(j.done)
	defer func() { _ = j.wal.Close() }()
	for {
		j.mu.Lock()
		for len(j.queue) == 0 && j.ckptReq == j.ckptGen && !j.closing && !j.stopped {
			j.cond.Wait()
		}
		if j.stopped {
			j.mu.Unlock()
			return
		}
		batch, closing, ckpt := j.queue, j.closing, j.ckptReq
		j.queue = nil
		j.mu.Unlock()

		if len(batch) > 0 {
			err := j.write(batch)
			j.mu.Lock()
			if err != nil && j.err == nil {
				j.err = fmt.Errorf("ncplocal: the change could not be saved in %s: %w", j.walPath(), err)
			}
			if err == nil {
				j.durable = batch[len(batch)-1].Seq
			}
			j.cond.Broadcast()
			failed := j.err != nil
			j.mu.Unlock()
			if failed {
				j.stop()
				return
			}
		}
		if ckpt != j.ckptGen || closing || j.walBytes > max(minCheckpointBytes, j.ckptSize) {
			err := j.checkpoint()
			j.mu.Lock()
			j.ckptGen, j.ckptErr = ckpt, err
			if j.closing && len(j.queue) == 0 {
				j.stopped = true
			}
			j.cond.Broadcast()
			stop := j.stopped
			j.mu.Unlock()
			if stop {
				return
			}
		}
	}
}

// write appends entries to the log, syncs it and folds them into the
// image.
func (j *journal) write(entries []walEntry) error {
	var buf bytes.Buffer
	for _, e := range entries {
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	if _, err := j.wal.Write(buf.Bytes()); err != nil {
		return err
	}
	if err := j.wal.Sync(); err != nil {
		return err
	}
	j.walBytes += int64(buf.Len())
	for _, e := range entries {
		j.apply(e)
	}
	return nil
}

// checkpoint writes the image as state.json and empties the log.
func (j *journal) checkpoint() error {
	data, err := json.Marshal(j.state)
	if err != nil {
		return fmt.Errorf("ncplocal: encode the checkpoint: %w", err)
	}
	tmp, err := writeTemp(j.statePath(), data)
	if err != nil {
		return fmt.Errorf("ncplocal: write %s: %w", j.statePath(), err)
	}
	if err := os.Rename(tmp, j.statePath()); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("ncplocal: write %s: %w", j.statePath(), err)
	}
	if err := syncDir(j.dir); err != nil {
		return fmt.Errorf("ncplocal: sync %s: %w", j.dir, err)
	}
	// The checkpoint holds every entry: the log starts over. A crash
	// before the truncation leaves entries the checkpoint skips by number.
	if err := j.wal.Truncate(0); err != nil {
		return fmt.Errorf("ncplocal: empty %s: %w", j.walPath(), err)
	}
	if err := j.wal.Sync(); err != nil {
		return fmt.Errorf("ncplocal: sync %s: %w", j.walPath(), err)
	}
	j.walBytes, j.ckptSize = 0, int64(len(data))
	return nil
}

// requestCheckpoint asks the writer for a checkpoint of everything queued
// so far and waits for it.
func (j *journal) requestCheckpoint() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.stopped {
		return errJournalStopped
	}
	j.ckptReq++
	want := j.ckptReq
	j.cond.Broadcast()
	for j.ckptGen < want && !j.stopped {
		j.cond.Wait()
	}
	if j.ckptGen < want {
		return errJournalStopped
	}
	if j.err != nil {
		return j.err
	}
	return j.ckptErr
}

// close writes what is queued and a final checkpoint, then stops the
// writer.
func (j *journal) close() error {
	j.mu.Lock()
	if j.stopped {
		j.mu.Unlock()
		<-j.done
		return j.err
	}
	j.closing = true
	j.cond.Broadcast()
	j.mu.Unlock()
	<-j.done
	j.mu.Lock()
	defer j.mu.Unlock()
	return errors.Join(j.err, j.ckptErr)
}

// stop ends the writer without writing anything more: what is queued is
// lost, as in a crash, and its waiters get an error.
func (j *journal) stop() {
	j.mu.Lock()
	j.stopped = true
	j.cond.Broadcast()
	j.mu.Unlock()
}

// persistent journals the snapshots of one Persistent service. Taking a
// snapshot, making it durable and telling the service (GarbageCollector)
// happen one at a time, so the service always learns of the snapshot it
// took last.
type persistent struct {
	name string
	p    emu.Persistent
	gc   emu.GarbageCollector // nil when the service keeps no files

	mu      sync.Mutex
	taken   atomic.Uint64 // snapshots begun
	durable uint64        // the last snapshot known to be durable
	last    [sha256.Size]byte
}

// save journals the service's state when it differs from the last one
// journaled, waits until it is durable and tells the service. after is the
// value of p.taken read once the change to save was made: a snapshot begun
// later that is already durable covers it.
func (ps *persistent) save(j *journal, after uint64) error {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.durable > after {
		return nil
	}
	n := ps.taken.Add(1)
	data, err := ps.p.Snapshot()
	if err != nil {
		return fmt.Errorf("ncplocal: snapshot service %q: %w", ps.name, err)
	}
	if !json.Valid(data) {
		return fmt.Errorf("ncplocal: snapshot service %q: not valid JSON", ps.name)
	}
	if sum := sha256.Sum256(data); sum != ps.last {
		if err := j.wait(j.enqueue(walEntry{Service: ps.name, State: data})); err != nil {
			return err
		}
		ps.last = sum
	}
	ps.durable = n
	if ps.gc != nil {
		ps.gc.Snapshotted(data)
	}
	return nil
}

// decodeStrictJSON decodes one JSON value: unknown fields and trailing data
// are errors.
func decodeStrictJSON(data []byte, v any) error { return emu.DecodeSnapshot(data, v) }

// legacySnapshotFiles are the files an earlier ncplocal kept per service.
func legacySnapshotFiles(dir string, names []string) []string {
	var found []string
	for _, n := range names {
		if _, err := os.Stat(filepath.Join(dir, n+".json")); err == nil {
			found = append(found, n+".json")
		}
	}
	return found
}

// removeTemps deletes the temp files of checkpoints that were being written
// when the process died.
func removeTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, "."+stateFileName+".") && strings.HasSuffix(n, ".tmp") {
			_ = os.Remove(filepath.Join(dir, n))
		}
	}
}

// writeTemp writes data to a synced temp file beside path and returns its
// name; renaming it to path replaces path atomically.
func writeTemp(path string, data []byte) (tmp string, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", err
	}
	tmp = f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		_ = f.Close()
		return "", err
	}
	if err = f.Sync(); err != nil {
		_ = f.Close()
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	return tmp, nil
}

// syncDir flushes a directory's entries (the renames into it) to disk.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// sortedNames returns the keys of m, sorted.
func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
