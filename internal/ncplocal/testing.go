package ncplocal

import "testing"

// StartTest starts a server for a test: on 127.0.0.1 with a free port
// unless opts.Addr is set, closed by t.Cleanup. It fails the test when the
// server cannot be built or started, when Close fails, or when a handler
// panicked (a panic is answered with HTTP 500, but it is always a bug).
func StartTest(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	s, err := New(opts)
	if err != nil {
		t.Fatalf("ncplocal: %v", err)
	}
	if err := s.Start(); err != nil {
		t.Fatalf("ncplocal: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("ncplocal: close: %v", err)
		}
		for _, p := range s.TakePanics() {
			t.Errorf("ncplocal: a handler panicked: %s", p)
		}
	})
	return s
}

// Abandon simulates, for tests, the process dying (kill -9): the listener and its
// connections are closed and the journal stops at once. Changes already
// written to the log survive, as they would in the page cache of a killed
// process; changes still queued are lost, and their requests, which have
// not been answered, get an error.
func Abandon(s *Server) {
	if s.journal != nil {
		s.journal.stop()
		<-s.journal.done
	}
	s.mu.Lock()
	s.closed = true
	s.closeDone = make(chan struct{}) // a later Close returns at once
	close(s.closeDone)
	srv, done := s.httpSrv, s.serveDone
	s.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
		<-done
	}
}
