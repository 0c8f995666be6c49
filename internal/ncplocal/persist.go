package ncplocal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
)

// With a data dir the server saves state shortly after every request that
// may have changed it: the first such request arms a timer, and when it
// fires one snapshot covers every change made meanwhile. A failed snapshot
// is retried after snapshotRetry (and Close always tries once more).
const (
	snapshotInterval = 250 * time.Millisecond
	snapshotRetry    = 5 * time.Second
)

// snapshotPath is where the state of service name is kept.
func (s *Server) snapshotPath(name string) string {
	return filepath.Join(s.opts.DataDir, name+".json")
}

// restore loads every Persistent service from its snapshot file, if any,
// then lets services that keep files in the data dir delete what the
// restored state does not reference, and removes snapshot temp files left by
// a crash. A file that cannot be read or used is an error naming it: state
// is never dropped silently.
func (s *Server) restore() error {
	for _, svc := range s.services {
		p, ok := svc.(emu.Persistent)
		if !ok {
			continue
		}
		file := s.snapshotPath(svc.Name())
		b, err := os.ReadFile(file)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("ncplocal: read snapshot %s: %w", file, err)
		}
		if !json.Valid(b) {
			return fmt.Errorf("ncplocal: snapshot %s of service %q is corrupt: not valid JSON (move it away to start empty)", file, svc.Name())
		}
		if err := p.Restore(b); err != nil {
			return fmt.Errorf("ncplocal: restore service %q from %s: %w", svc.Name(), file, err)
		}
	}
	for _, svc := range s.services {
		if gc, ok := svc.(emu.GarbageCollector); ok {
			if err := gc.CollectGarbage(); err != nil {
				return fmt.Errorf("ncplocal: service %q: %w", svc.Name(), err)
			}
		}
	}
	s.removeSnapshotTemps()
	return nil
}

// removeSnapshotTemps deletes the temp files of snapshots that were being
// written when the process died.
func (s *Server) removeSnapshotTemps() {
	entries, err := os.ReadDir(s.opts.DataDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, ".") && strings.HasSuffix(n, ".tmp") && strings.Contains(n, ".json.") {
			_ = os.Remove(filepath.Join(s.opts.DataDir, n))
		}
	}
}

// Snapshot writes the state of every Persistent service to DataDir now.
// The server does this by itself shortly after changes and at Close. It
// fails when the server has no DataDir.
func (s *Server) Snapshot() error {
	if s.opts.DataDir == "" {
		return errors.New("ncplocal: no data dir configured")
	}
	s.snapMu.Lock()
	defer s.snapMu.Unlock()
	s.dirty.Store(false)
	return s.snapshot()
}

// markDirty notes that state may have changed and arms the background
// snapshot, unless it is armed already.
func (s *Server) markDirty() {
	if s.opts.DataDir == "" {
		return
	}
	if s.dirty.CompareAndSwap(false, true) {
		time.AfterFunc(s.snapInterval, s.backgroundSnapshot)
	}
}

// backgroundSnapshot is the armed snapshot. Changes made while it runs
// arm the next one.
func (s *Server) backgroundSnapshot() {
	s.snapMu.Lock()
	defer s.snapMu.Unlock()
	if s.snapClosed || !s.dirty.Swap(false) {
		return
	}
	if s.snapshot() != nil && s.dirty.CompareAndSwap(false, true) {
		// Close reports the error if it persists.
		time.AfterFunc(snapshotRetry, s.backgroundSnapshot)
	}
}

// finalSnapshot is Close's snapshot; no background snapshot runs after it.
func (s *Server) finalSnapshot() error {
	s.snapMu.Lock()
	defer s.snapMu.Unlock()
	s.snapClosed = true
	s.dirty.Store(false)
	return s.snapshot()
}

// snapshotFile is one service's snapshot on its way to disk.
type snapshotFile struct {
	svc       emu.Service
	file, tmp string
	data      []byte
}

// snapshot saves every Persistent service as one set: all snapshots are
// taken and written to temp files first, and only when all of them
// succeeded are the files renamed into place, so a failure leaves every
// file as it was and a crash leaves the previous set. After the set is on
// disk, services implementing emu.GarbageCollector learn which snapshot
// they will be restored from. s.snapMu must be held.
func (s *Server) snapshot() error {
	var files []snapshotFile
	var errs []error
	for _, svc := range s.services {
		p, ok := svc.(emu.Persistent)
		if !ok {
			continue
		}
		file := s.snapshotPath(svc.Name())
		b, err := p.Snapshot()
		if err != nil {
			errs = append(errs, fmt.Errorf("ncplocal: snapshot service %q: %w", svc.Name(), err))
			continue
		}
		if !json.Valid(b) {
			errs = append(errs, fmt.Errorf("ncplocal: snapshot service %q: not valid JSON, %s left unchanged", svc.Name(), file))
			continue
		}
		tmp, err := writeTemp(file, b)
		if err != nil {
			errs = append(errs, fmt.Errorf("ncplocal: snapshot service %q: %w", svc.Name(), err))
			continue
		}
		files = append(files, snapshotFile{svc: svc, file: file, tmp: tmp, data: b})
	}
	if len(errs) > 0 {
		for _, f := range files {
			_ = os.Remove(f.tmp)
		}
		return fmt.Errorf("%w (no snapshot file was changed)", errors.Join(errs...))
	}
	var written []snapshotFile
	for _, f := range files {
		if err := os.Rename(f.tmp, f.file); err != nil {
			_ = os.Remove(f.tmp)
			errs = append(errs, fmt.Errorf("ncplocal: snapshot service %q: %w", f.svc.Name(), err))
			continue
		}
		written = append(written, f)
	}
	if syncDir(s.opts.DataDir) != nil {
		// The renames may not be durable: keep every file the old
		// snapshots may reference.
		return errors.Join(errs...)
	}
	for _, f := range written {
		if gc, ok := f.svc.(emu.GarbageCollector); ok {
			gc.Snapshotted(f.data)
		}
	}
	return errors.Join(errs...)
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

// requestTracker counts the requests being handled, so that Close can
// wait for handlers that net/http no longer tracks (hijacked connections,
// requests served through Handler by another server).
type requestTracker struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed when n drops to 0
}

func (t *requestTracker) begin() {
	t.mu.Lock()
	if t.n == 0 {
		t.idle = make(chan struct{})
	}
	t.n++
	t.mu.Unlock()
}

func (t *requestTracker) end() {
	t.mu.Lock()
	t.n--
	if t.n == 0 {
		close(t.idle)
	}
	t.mu.Unlock()
}

// wait returns when no request is being handled, or with ctx's error.
func (t *requestTracker) wait(ctx context.Context) error {
	t.mu.Lock()
	if t.n == 0 {
		t.mu.Unlock()
		return nil
	}
	idle := t.idle
	t.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
