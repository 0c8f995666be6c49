package ncplocal

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
)

// snapshotPath is where the state of service name is kept.
func (s *Server) snapshotPath(name string) string {
	return filepath.Join(s.opts.DataDir, name+".json")
}

// restore loads every Persistent service from its snapshot file, if any. A
// file that cannot be read or used is an error naming it: state is never
// dropped silently.
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
	return nil
}

// Snapshot writes the state of every Persistent service to DataDir now.
// Close does this too. It fails when the server has no DataDir.
func (s *Server) Snapshot() error {
	if s.opts.DataDir == "" {
		return errors.New("ncplocal: no data dir configured")
	}
	return s.snapshot()
}

// snapshot saves every Persistent service, atomically per file; it goes on
// after a failure and reports all of them.
func (s *Server) snapshot() error {
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
		if err := writeFileAtomic(file, b); err != nil {
			errs = append(errs, fmt.Errorf("ncplocal: snapshot service %q: %w", svc.Name(), err))
		}
	}
	return errors.Join(errs...)
}

// writeFileAtomic replaces path with data so that a reader sees either the
// old or the new content, never a partial file.
func writeFileAtomic(path string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err = f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
