package ncplocal

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
)

// restore loads the data dir into the services before the server serves
// anything: every store gets its image, every Persistent service its
// snapshot; then the journal starts, GarbageCollectors drop files nothing
// references, Reconcilers derive cross-service facts (journaled like any
// change) and a fresh checkpoint folds the log. Data that cannot be
// used is an error naming the file: state is never dropped silently.
func (s *Server) restore() error {
	dir := s.opts.DataDir
	j := s.journal
	if _, err := os.Stat(j.statePath()); errors.Is(err, os.ErrNotExist) {
		names := make([]string, 0, len(s.services))
		for _, svc := range s.services {
			names = append(names, svc.Name())
		}
		if old := legacySnapshotFiles(dir, names); len(old) > 0 {
			return fmt.Errorf("ncplocal: data dir %s holds state saved by an earlier ncplocal (%s); this version keeps it in %s and %s: "+
				"move the old files away to start empty", dir, strings.Join(old, ", "), stateFileName, walFileName)
		}
	}
	if err := j.load(); err != nil {
		return err
	}
	known := map[string]bool{}
	for _, svc := range s.services {
		known[svc.Name()] = true
		switch p := svc.(type) {
		case emu.Stateful:
			im := j.state.Stores[svc.Name()]
			if im == nil {
				im = emu.NewImage()
				j.state.Stores[svc.Name()] = im
			}
			if err := p.Store().Load(im); err != nil {
				return fmt.Errorf("ncplocal: restore from %s: %w", dir, err)
			}
		case emu.Persistent:
			if data, ok := j.state.Services[svc.Name()]; ok {
				if err := p.Restore(data); err != nil {
					return fmt.Errorf("ncplocal: restore service %q from %s: %w", svc.Name(), dir, err)
				}
			}
		}
	}
	for _, names := range [][]string{sortedNames(j.state.Stores), sortedNames(j.state.Services)} {
		for _, name := range names {
			if !known[name] {
				return fmt.Errorf("ncplocal: data dir %s holds state of service %q, which this server does not run", dir, name)
			}
		}
	}
	if err := j.start(); err != nil {
		return err
	}
	// Garbage is collected before reconciling: a Reconciler may start
	// background work (VOD Station resumes its encoding jobs) that writes
	// new files, which a collection running meanwhile would take for
	// garbage.
	for _, svc := range s.services {
		if gc, ok := svc.(emu.GarbageCollector); ok {
			if err := gc.CollectGarbage(); err != nil {
				return fmt.Errorf("ncplocal: service %q: %w", svc.Name(), err)
			}
		}
	}
	ctx := context.Background()
	for _, svc := range s.services {
		if r, ok := svc.(emu.Reconciler); ok {
			if err := r.Reconcile(ctx); err != nil {
				return fmt.Errorf("ncplocal: service %q: reconcile restored state: %w", svc.Name(), err)
			}
		}
	}
	removeTemps(dir)
	return j.requestCheckpoint()
}

// Snapshot writes a checkpoint of every service to DataDir now, folding the
// log. The server checkpoints by itself as the log grows and at Close; it
// fails when the server has no DataDir.
func (s *Server) Snapshot() error {
	if s.journal == nil {
		return errors.New("ncplocal: no data dir configured")
	}
	return s.journal.requestCheckpoint()
}

// isRead reports whether a request method never changes state.
func isRead(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// target is the service a request was routed to, nil when none.
func (s *Server) target(d dispatch) emu.Service {
	switch {
	case d.gateway && d.found:
		return d.route.svc
	case !d.gateway && s.s3 != nil:
		return s.s3
	}
	return nil
}

// commit makes what request r changed durable: the journal entries its
// store transactions appended, and the snapshot of the Persistent service
// it went to when its method may change state. after is the service's
// snapshot count read when the handler returned. It returns once all of it
// is on disk, or with the error that kept it from getting there.
func (s *Server) commit(r *http.Request, svc emu.Service, rec *emu.OpRecorder, after uint64) error {
	if s.journal == nil {
		return nil
	}
	ps := s.persistents[svc]
	if ps != nil && !isRead(r.Method) {
		if err := ps.save(s.journal, after); err != nil {
			return err
		}
	}
	// A change to a Persistent service may have been followed, through its
	// events, by changes to stores (a Cloud Functions activation of an
	// object upload); those belong to this request too.
	if rec.Changed || (ps != nil && !isRead(r.Method)) {
		return s.journal.wait(s.journal.lastSeq())
	}
	return nil
}

// snapshotsTaken is the snapshot count of svc when it is Persistent.
func (s *Server) snapshotsTaken(svc emu.Service) uint64 {
	if ps := s.persistents[svc]; ps != nil {
		return ps.taken.Load()
	}
	return 0
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
