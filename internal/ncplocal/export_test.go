package ncplocal

// Abandon simulates the process dying (kill -9): the listener and its
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
