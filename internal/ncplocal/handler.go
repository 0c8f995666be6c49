package ncplocal

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

// dispatch is where a non-admin request goes.
type dispatch struct {
	gateway bool         // API Gateway traffic (else S3)
	route   gatewayRoute // the gateway route, when found
	found   bool         // a gateway route matched the path
}

// classify decides between the API Gateway and S3 (see the package doc).
func (s *Server) classify(r *http.Request) dispatch {
	route, found := s.gatewayFor(r.URL.Path)
	_, vhost := objectstorage.VirtualHostBucket(r.Host, s.opts.S3Host)
	gw := hasGatewayHeaders(r.Header) || (found && !hasAWSAuth(r) && !vhost)
	return dispatch{gateway: gw, route: route, found: found}
}

// serviceName is the name used for default operation names.
func (s *Server) serviceName(d dispatch) string {
	switch {
	case d.gateway && d.found:
		return d.route.svc.Name()
	case d.gateway:
		return "apigw"
	case s.s3 != nil:
		return s.s3.Name()
	default:
		return "s3"
	}
}

// serveHTTP is the server's root handler.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	info := RequestInfo{Method: r.Method, Path: r.URL.Path}
	for _, svc := range s.services {
		if ws, ok := svc.(emu.WebService); ok && ws.ServesWeb(r) {
			sw := &statusWriter{ResponseWriter: w}
			s.barrier.RLock()
			ws.ServeWeb(sw, r)
			s.barrier.RUnlock()
			info.Status = sw.status()
			s.logRequest(info, start)
			return
		}
	}
	// A virtual-hosted Object Storage request is logged with its bucket,
	// and its path is an object key, never the admin API.
	bucket, vhost := objectstorage.VirtualHostBucket(r.Host, s.opts.S3Host)
	if vhost {
		info.Path = "/" + bucket + r.URL.Path
	}
	if isPlayerPath(r.URL.Path) && !vhost {
		sw := &statusWriter{ResponseWriter: w}
		s.serveRecovering(sw, r, s.player, false)
		info.Status = sw.status()
		s.logRequest(info, start)
		return
	}
	if isAdminPath(r.URL.Path) && !vhost {
		sw := &statusWriter{ResponseWriter: w}
		s.serveAdmin(sw, r)
		info.Status = sw.status()
		s.logRequest(info, start)
		return
	}

	rec := &emu.OpRecorder{}
	r = r.WithContext(emu.WithOpRecorder(r.Context(), rec))
	d := s.classify(r)
	svc := s.target(d)

	ft := s.faults.pick(r.Method, r.URL.Path)
	switch kind := ft.kind; {
	case kind == FaultRateLimit || kind == FaultUnavailable:
		sw := &statusWriter{ResponseWriter: w}
		writeFault(sw, r, d.gateway, kind)
		info.Status, info.Fault = sw.status(), kind
		s.logRequest(info, start)
		return
	case kind == FaultReset:
		// The worst case for a client: the service does the work (and
		// saves it), then the connection drops before any byte of the
		// answer is sent.
		acct, _ := s.serveCommitted(&discardWriter{header: http.Header{}}, r, d, svc, rec)
		info.Op, info.Account, info.Fault = s.count(r, d, rec, acct), acct, kind
		s.logRequest(info, start)
		abortConnection(w)
		return
	case kind != "":
		if ans, ok := s.serviceFault(svc, ft); ok {
			sw := &statusWriter{ResponseWriter: w}
			if d.gateway {
				setGatewayHeaders(sw)
			}
			ans.Write(sw, r)
			info.Status, info.Fault = sw.status(), kind
			s.logRequest(info, start)
			return
		}
	}

	sw := &statusWriter{ResponseWriter: w}
	acct, _ := s.serveCommitted(sw, r, d, svc, rec)
	info.Op, info.Account, info.Status = s.count(r, d, rec, acct), acct, sw.status()
	s.logRequest(info, start)
}

// serveCommitted serves r and, with a data dir, holds back the answer of a
// request that may change state until the change is on disk; when it cannot
// be saved the client gets an error instead (the change may or may not
// survive a restart, as after a dropped connection). Reads of Object
// Storage stream unbuffered: they never change state.
func (s *Server) serveCommitted(w http.ResponseWriter, r *http.Request, d dispatch, svc emu.Service, rec *emu.OpRecorder) (string, error) {
	if s.journal == nil || (!d.gateway && isRead(r.Method)) {
		s.barrier.RLock()
		defer s.barrier.RUnlock()
		return s.serve(w, r, d), nil
	}
	hw := newHoldWriter()
	s.barrier.RLock()
	acct := s.serve(hw, r, d)
	s.barrier.RUnlock()
	if err := s.commit(r, svc, rec, s.snapshotsTaken(svc)); err != nil {
		msg := "ncplocal: the change was made but could not be saved: " + err.Error()
		if d.gateway {
			setGatewayHeaders(w)
			emu.WriteGatewayError(w, apigw.CodeEndpointError, msg)
		} else {
			emu.WriteS3Error(w, r, http.StatusServiceUnavailable, "ServiceUnavailable", msg)
		}
		return acct, err
	}
	hw.sendTo(w)
	return acct, nil
}

// serve hands r to the gateway or the S3 service.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, d dispatch) string {
	if d.gateway {
		return s.serveGateway(w, r, d)
	}
	return s.serveS3(w, r)
}

// count records the request's operation and returns its name.
func (s *Server) count(r *http.Request, d dispatch, rec *emu.OpRecorder, account string) string {
	op := rec.Op
	if op == "" {
		op = s.serviceName(d) + ":" + r.Method + " " + r.URL.Path
	}
	s.calls.add(account, op)
	return op
}

func (s *Server) logRequest(info RequestInfo, start time.Time) {
	if s.opts.RequestLog == nil {
		return
	}
	info.Duration = time.Since(start)
	s.opts.RequestLog(info)
}

// serveRecovering calls h and turns a panic into a 500 answer (when nothing
// was written yet), so that one broken handler cannot take a connection
// down without a word. http.ErrAbortHandler keeps its meaning.
func (s *Server) serveRecovering(w http.ResponseWriter, r *http.Request, h http.Handler, gateway bool) {
	sw, ok := w.(*statusWriter)
	if !ok {
		sw = &statusWriter{ResponseWriter: w}
	}
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler { //nolint:errorlint // sentinel panic value, compared as net/http does
			panic(v)
		}
		if sw.code != 0 {
			// Headers are out; all we can do is drop the connection.
			panic(http.ErrAbortHandler)
		}
		msg := fmt.Sprintf("ncplocal: internal error while serving %s %s: %v", r.Method, r.URL.Path, v)
		if s != nil {
			s.recordPanic(msg)
		}
		if gateway {
			emu.WriteGatewayError(sw, apigw.CodeUnexpectedError, msg)
		} else {
			emu.WriteS3Error(sw, r, http.StatusInternalServerError, "InternalError", msg)
		}
	}()
	h.ServeHTTP(sw, r)
}

// abortConnection closes the client connection without an answer. On a
// real connection it is hijacked and closed with SO_LINGER 0, so the client
// sees a TCP reset; otherwise (HTTP/2, a recorder) the handler aborts with
// http.ErrAbortHandler, which net/http turns into a dropped connection or
// stream.
func abortConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// statusWriter remembers the status a handler sent.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush passes flushes through for streaming handlers.
func (w *statusWriter) Flush() {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// status is the status sent, 200 if the handler wrote nothing.
func (w *statusWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

// holdWriter keeps a handler's answer until the server sends it.
type holdWriter struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func newHoldWriter() *holdWriter { return &holdWriter{header: http.Header{}} }

func (w *holdWriter) Header() http.Header { return w.header }

func (w *holdWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *holdWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.body.Write(b)
}

// Flush does nothing: the answer goes out as a whole.
func (w *holdWriter) Flush() {}

// sendTo writes the held answer to w.
func (w *holdWriter) sendTo(dst http.ResponseWriter) {
	h := dst.Header()
	for k, v := range w.header {
		h[k] = v
	}
	code := w.code
	if code == 0 {
		code = http.StatusOK
	}
	dst.WriteHeader(code)
	_, _ = dst.Write(w.body.Bytes())
}

// discardWriter is the answer sink of a request whose connection will be
// reset.
type discardWriter struct {
	header http.Header
	code   int
}

func (w *discardWriter) Header() http.Header { return w.header }

func (w *discardWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *discardWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return len(b), nil
}
