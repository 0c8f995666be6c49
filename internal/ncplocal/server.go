// Package ncplocal is the core of the local NCP emulator: one HTTP listener
// that serves every emulated service.
//
// A request is handled in this order:
//
//  1. Paths under /_ncplocal/ are the admin API (health, reset, inventory,
//     call counts, fault rules, transitions, run-time config). An
//     underscore can never start a bucket name, so the admin API cannot
//     shadow Object Storage.
//  2. Everything else is classified: a request carrying an x-ncp-apigw-* or
//     x-ncp-iam-access-key header, or one without AWS credentials whose path
//     starts with a registered gateway prefix (/vpc/v2/, ...), goes through
//     the emulated API Gateway; all other requests go to the S3 service, so
//     a bucket named "vpc" or "api" still works with SigV4. A request whose
//     Host is <bucket>.<Options.S3Host> is Object Storage's virtual-hosted
//     style: it goes to the S3 service whatever its path, unless it carries
//     gateway headers.
//  3. Fault rules (SetFaults) may answer the request with an injected error
//     or drop the connection after the service has processed it.
//  4. The API Gateway checks the HMAC signature (ncp-api.md §1.1), puts the
//     caller's emu.Account into the request context and dispatches to the
//     service with the longest matching path prefix.
//  5. With a data dir, an answer that follows a change waits until the
//     change is on disk (journal.go), so an acknowledged change survives a
//     crash.
//  6. The operation the service named with emu.SetOperation is counted per
//     account and in total (Calls).
//
// Every service request holds the server's barrier shared while its handler
// runs; Reset takes it exclusively, so it never sees half a request (a VPC
// without its default ACG).
//
// Services are built on package emu; the server gives them an emu.Env with
// the clock, the run-time async delay, the key lookup, the data dir, the
// transition settings and the journal.
package ncplocal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/player"
)

// Version is the emulator's version, reported by GET /_ncplocal/health and
// by `ncplocal -version`. Release builds set it with
// -ldflags "-X github.com/ncplabs/terraform-provider-ncp/internal/ncplocal.Version=v1.2.3".
var Version = "dev"

// DefaultAddr is the listen address of the ncplocal binary. Library users
// (tests) get "127.0.0.1:0", a free port, unless Options.Addr says otherwise.
const DefaultAddr = "127.0.0.1:4510"

// Options configure a Server. The zero value is a working in-memory server
// on a free loopback port with DefaultCredential and immediate transitions.
type Options struct {
	// Addr is the listen address used by Start; default "127.0.0.1:0".
	Addr string
	// Credentials are the accepted key pairs; default DefaultCredential.
	Credentials []Credential
	// AsyncDelay is the time an asynchronous transition (INIT→RUN, ...)
	// takes; 0 means immediate. It can be changed later with SetAsyncDelay
	// or PUT /_ncplocal/config.
	AsyncDelay time.Duration
	// DataDir, when set, is created if needed and holds the state of every
	// service (state.json and the log wal.log): it is restored in New, every
	// change is on disk before its request is answered, and Close writes a
	// final checkpoint. A crash loses no acknowledged change.
	DataDir string
	// CloseTimeout bounds how long Close waits for requests in flight
	// before it drops their connections and takes the final snapshot;
	// default 10s.
	CloseTimeout time.Duration
	// Now is the clock given to services and used for the gateway's
	// timestamp check; default time.Now.
	Now func() time.Time
	// Services builds the services to run; nil means the built-in set.
	Services func(env emu.Env) []emu.Service
	// RequestLog, when set, is called once for every request after it has
	// been answered (including admin requests).
	RequestLog func(RequestInfo)
	// S3Host is the host name under which Object Storage also answers
	// virtual-hosted-style requests: Host <bucket>.<S3Host>[:port] names
	// the bucket (ncp-api.md §1.2); default DefaultS3Host. Path style works
	// on any host.
	S3Host string
	// PlayerCatalog adds videos to the player page (PlayerPath), after
	// those of the services that implement player.Catalog.
	PlayerCatalog player.Catalog
	// PlayerAssetsDir, when set, is a directory holding hls.min.js for the
	// player page instead of the copy embedded at build time.
	PlayerAssetsDir string
	// VpcsPerRegion, when above zero, replaces NCP's limit of VPCs per
	// account and region (vpc.DefaultLimits) for every account, as NCP
	// raises it for an account on request: a test suite that runs many VPC
	// tests at once in one account needs that (limits.go). Zero keeps NCP's
	// default.
	VpcsPerRegion int
}

// DefaultS3Host is Options.S3Host's default: *.localhost resolves to the
// loopback address on most systems.
const DefaultS3Host = "localhost"

// RequestInfo describes one served request, for Options.RequestLog.
type RequestInfo struct {
	Method string
	Path   string
	// Status is the HTTP status sent; 0 when the connection was dropped by
	// a "reset" fault.
	Status int
	// Op is the counted operation ("vpc:createVpc"); "" for admin requests
	// and injected 429/503 faults.
	Op string
	// Account is the caller's account ID when known.
	Account string
	// Fault is the injected fault kind, "" when none.
	Fault    string
	Duration time.Duration
}

// gatewayRoute binds one path prefix to the service serving it.
type gatewayRoute struct {
	prefix string
	svc    emu.GatewayService
}

// Server is the emulator. Create it with New (or StartTest in tests); it is
// safe for concurrent use.
type Server struct {
	opts     Options
	now      func() time.Time
	keys     keyring
	env      emu.Env
	services []emu.Service
	gateways []gatewayRoute // longest prefix first
	s3       emu.S3Service
	handler  http.Handler
	player   http.Handler

	asyncDelay atomic.Int64
	calls      callCounter
	faults     faultInjector

	inflight    requestTracker
	transitions *emu.Transitions
	// barrier is held shared by every service request while its handler
	// runs and exclusively by Reset.
	barrier sync.RWMutex
	// journal makes changes durable; nil without a data dir.
	journal     *journal
	persistents map[emu.Service]*persistent
	stores      []*emu.Store

	panicMu sync.Mutex
	panics  []string // handler panics recovered since the last TakePanics

	mu        sync.Mutex // guards the fields below
	httpSrv   *http.Server
	ln        net.Listener
	started   bool
	closed    bool
	closeDone chan struct{} // closed when Close has finished
	closeErr  error
	serveDone chan struct{}
}

// defaultCloseTimeout is Options.CloseTimeout's default.
const defaultCloseTimeout = 10 * time.Second

// serviceName restricts names to what is safe as a file name in DataDir.
var serviceName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// New builds a server: it checks the options, creates DataDir, builds the
// services and restores Persistent services from DataDir. It does not
// listen; call Start, or serve Handler yourself.
func New(opts Options) (*Server, error) {
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.AsyncDelay < 0 {
		return nil, fmt.Errorf("ncplocal: async delay must not be negative, got %s", opts.AsyncDelay)
	}
	keys, err := newKeyring(opts.Credentials)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, now: opts.Now, keys: keys, transitions: &emu.Transitions{}, persistents: map[emu.Service]*persistent{}}
	if s.now == nil {
		s.now = time.Now
	}
	s.asyncDelay.Store(int64(opts.AsyncDelay))
	if opts.DataDir != "" {
		if err := os.MkdirAll(opts.DataDir, 0o755); err != nil {
			return nil, fmt.Errorf("ncplocal: create data dir: %w", err)
		}
	}
	if opts.S3Host == "" {
		opts.S3Host = DefaultS3Host
		s.opts.S3Host = DefaultS3Host
	}
	s.env = emu.Env{
		Now:         s.now,
		AsyncDelay:  s.AsyncDelay,
		LookupKey:   keys.lookup,
		DataDir:     opts.DataDir,
		Transitions: s.transitions,
		S3Host:      opts.S3Host,
		BaseURL:     s.URL,
	}
	if opts.DataDir != "" {
		s.journal = newJournal(opts.DataDir)
		s.env.Journal = s.journal
	}
	build := opts.Services
	if build == nil {
		build = defaultServices
	}
	svcs := build(s.env)
	if err := applyLimits(opts, svcs); err != nil {
		return nil, err
	}
	if err := s.register(svcs); err != nil {
		return nil, err
	}
	if s.journal != nil {
		if err := s.restore(); err != nil {
			s.journal.stop()
			return nil, err
		}
	}
	s.player = newPlayerHandler(newServiceCatalog(s.services, opts.PlayerCatalog), opts.PlayerAssetsDir)
	s.handler = http.HandlerFunc(s.serveTracked)
	return s, nil
}

// serveTracked serves one request, counted for Close.
func (s *Server) serveTracked(w http.ResponseWriter, r *http.Request) {
	s.inflight.begin()
	defer s.inflight.end()
	s.serveHTTP(w, r)
}

// register checks and indexes the services.
func (s *Server) register(svcs []emu.Service) error {
	names := map[string]bool{}
	prefixes := map[string]string{}
	for i, svc := range svcs {
		if svc == nil {
			return fmt.Errorf("ncplocal: service %d is nil", i)
		}
		name := svc.Name()
		if !serviceName.MatchString(name) {
			return fmt.Errorf("ncplocal: service %d has invalid name %q (want letters, digits, '.', '_', '-')", i, name)
		}
		if names[name] {
			return fmt.Errorf("ncplocal: two services are named %q", name)
		}
		names[name] = true
		s.services = append(s.services, svc)
		switch p := svc.(type) {
		case emu.Stateful:
			s.stores = append(s.stores, p.Store())
		case emu.Persistent:
			gc, _ := svc.(emu.GarbageCollector)
			ps := &persistent{name: name, p: p, gc: gc}
			s.persistents[svc] = ps
			if h, ok := svc.(emu.SaveHooked); ok {
				h.SaveWith(func() error {
					if s.journal == nil {
						return nil
					}
					// Read after the change: a snapshot begun later covers it.
					return ps.save(s.journal, ps.taken.Load())
				})
			}
		}
		switch h := svc.(type) {
		case emu.GatewayService:
			ps := h.PathPrefixes()
			if len(ps) == 0 {
				return fmt.Errorf("ncplocal: gateway service %q has no path prefixes", name)
			}
			for _, p := range ps {
				if !strings.HasPrefix(p, "/") || isAdminPath(p) || p == "/" {
					return fmt.Errorf("ncplocal: service %q: invalid path prefix %q", name, p)
				}
				if other, dup := prefixes[p]; dup {
					return fmt.Errorf("ncplocal: path prefix %q is claimed by both %q and %q", p, other, name)
				}
				prefixes[p] = name
				s.gateways = append(s.gateways, gatewayRoute{prefix: p, svc: h})
			}
		case emu.S3Service:
			// Every GatewayService also satisfies S3Service, so this case
			// only sees handlers without path prefixes.
			if s.s3 != nil {
				return fmt.Errorf("ncplocal: two S3 services: %q and %q", s.s3.Name(), name)
			}
			s.s3 = h
		}
	}
	sort.SliceStable(s.gateways, func(i, j int) bool {
		return len(s.gateways[i].prefix) > len(s.gateways[j].prefix)
	})
	return nil
}

// Handler returns the server's HTTP handler (admin API, gateway and S3).
func (s *Server) Handler() http.Handler { return s.handler }

// Env returns the environment given to the services.
func (s *Server) Env() emu.Env { return s.env }

// Start listens on Options.Addr and serves in the background. URL is valid
// once Start has returned without error. A server can be started once.
func (s *Server) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("ncplocal: server is closed")
	}
	if s.started {
		return errors.New("ncplocal: server already started")
	}
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("ncplocal: listen on %s: %w", s.opts.Addr, err)
	}
	s.ln = ln
	s.httpSrv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 30 * time.Second}
	s.started = true
	s.serveDone = make(chan struct{})
	go func(srv *http.Server, done chan struct{}) {
		defer close(done)
		_ = srv.Serve(ln) // returns http.ErrServerClosed after Shutdown/Close
	}(s.httpSrv, s.serveDone)
	return nil
}

// URL is the base URL of a started server, "http://127.0.0.1:PORT", or ""
// before Start. An unspecified listen host (0.0.0.0, ::) is reported as
// 127.0.0.1.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	addr, ok := s.ln.Addr().(*net.TCPAddr)
	if !ok { // not reached: Start listens on "tcp"
		return "http://" + s.ln.Addr().String()
	}
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(addr.Port))
}

// Shutdown stops accepting connections and waits for in-flight requests
// to finish, or for ctx to end. It does not snapshot; call Close after it.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	srv := s.httpSrv
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	return srv.Shutdown(ctx)
}

// Close stops the listener and waits, up to Options.CloseTimeout, for the
// requests in flight to finish; it then closes the remaining connections
// and, when DataDir is set, snapshots every Persistent service to it. A
// second call waits for the first and returns its result.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		done := s.closeDone
		s.mu.Unlock()
		<-done
		return s.closeErr
	}
	s.closed = true
	s.closeDone = make(chan struct{})
	srv, serveDone := s.httpSrv, s.serveDone
	s.mu.Unlock()
	defer close(s.closeDone)

	timeout := s.opts.CloseTimeout
	if timeout <= 0 {
		timeout = defaultCloseTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var errs []error
	if srv != nil {
		if srv.Shutdown(ctx) != nil {
			// Requests still running: drop their connections.
			if err := srv.Close(); err != nil {
				errs = append(errs, fmt.Errorf("ncplocal: close listener: %w", err))
			}
		}
		<-serveDone
	}
	// Handlers net/http no longer waits for (hijacked connections, requests
	// served through Handler) get the rest of the timeout.
	_ = s.inflight.wait(ctx)
	// Services with background work (Cloud Functions activations, VOD
	// Station's encoding jobs) stop it before the journal closes.
	for _, svc := range s.services {
		switch c := svc.(type) {
		case io.Closer:
			if err := c.Close(); err != nil {
				errs = append(errs, fmt.Errorf("ncplocal: close %s: %w", svc.Name(), err))
			}
		case interface{ Close() }:
			c.Close()
		}
	}
	if s.journal != nil {
		if err := s.journal.close(); err != nil {
			errs = append(errs, err)
		}
	}
	s.closeErr = errors.Join(errs...)
	return s.closeErr
}

// Reset drops all state of all services, the call counts, the fault rules
// and the transition settings. The async delay is configuration and stays;
// object numbers keep counting. It waits for the service requests in
// flight, so every service is reset at one point between requests, and
// with a data dir it returns once the reset is on disk.
func (s *Server) Reset() error {
	s.barrier.Lock()
	for _, svc := range s.services {
		svc.Reset()
	}
	var seq uint64
	if s.journal != nil {
		seq = s.journal.enqueue(walEntry{Reset: true})
	}
	s.calls.reset()
	s.faults.clear()
	s.transitions.Clear()
	var errs []error
	if s.journal != nil {
		// A Persistent service's empty state is journaled like any other.
		for _, svc := range s.services {
			if ps := s.persistents[svc]; ps != nil {
				errs = append(errs, ps.save(s.journal, ps.taken.Load()))
			}
		}
	}
	s.barrier.Unlock()
	if s.journal != nil {
		errs = append(errs, s.journal.wait(seq))
	}
	return errors.Join(errs...)
}

// Transitions returns the server's transition settings (the admin API's
// /_ncplocal/transitions).
func (s *Server) Transitions() *emu.Transitions { return s.transitions }

// Advance moves the manual transitions f selects one status forward, in
// every service, and returns the objects it moved.
func (s *Server) Advance(f emu.AdvanceFilter) ([]emu.Advanced, error) {
	rec := &emu.OpRecorder{}
	ctx := emu.WithOpRecorder(context.Background(), rec)
	out := []emu.Advanced{}
	var errs []error
	s.barrier.RLock()
	for _, st := range s.stores {
		adv, err := st.Advance(ctx, f)
		out = append(out, adv...)
		errs = append(errs, err)
	}
	s.barrier.RUnlock()
	if rec.Changed && s.journal != nil {
		errs = append(errs, s.journal.wait(s.journal.lastSeq()))
	}
	return out, errors.Join(errs...)
}

// Pending lists every object in a transition, in every service.
func (s *Server) Pending() []emu.PendingOp {
	out := []emu.PendingOp{}
	for _, st := range s.stores {
		out = append(out, st.Pending()...)
	}
	return out
}

// recordPanic remembers a recovered handler panic.
func (s *Server) recordPanic(msg string) {
	s.panicMu.Lock()
	defer s.panicMu.Unlock()
	s.panics = append(s.panics, msg)
}

// TakePanics returns the handler panics recovered (and answered with HTTP
// 500) since the last call, and forgets them. A handler panic is a bug:
// StartTest fails the test when any is left at its end.
func (s *Server) TakePanics() []string {
	s.panicMu.Lock()
	defer s.panicMu.Unlock()
	p := s.panics
	s.panics = nil
	return p
}

// AsyncDelay returns the async delay currently in force.
func (s *Server) AsyncDelay() time.Duration { return time.Duration(s.asyncDelay.Load()) }

// SetAsyncDelay changes the time asynchronous transitions take from now on;
// a negative value is treated as 0.
func (s *Server) SetAsyncDelay(d time.Duration) {
	if d < 0 {
		d = 0
	}
	s.asyncDelay.Store(int64(d))
}
