package ncplocal

import "time"

// SetSnapshotInterval changes how long the background snapshot waits after
// the first change; call it before the server serves requests.
func SetSnapshotInterval(s *Server, d time.Duration) { s.snapInterval = d }

// Abandon simulates the process dying (kill -9): the listener and its
// connections are closed and no snapshot is ever written again, not even
// by a background snapshot already armed.
func Abandon(s *Server) {
	s.snapMu.Lock()
	s.snapClosed = true
	s.snapMu.Unlock()
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
