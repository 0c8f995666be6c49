// Package emu is the kit every ncplocal service is built on: the caller's
// account, the clock and async delay, operation naming for call counts, the
// per-account Store with its tables, lifecycles (Kind, Life, Transitions)
// and sequences, cross-service events (Topic), and the writers for NCP's
// error envelopes. The server in package ncplocal owns routing,
// authentication, admin endpoints, fault injection and the journal that
// makes every committed change durable; services only see requests that
// already passed the gateway checks.
package emu

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

// Account is the caller. Every access key is one account; resources of one
// account are invisible to every other.
type Account struct {
	ID        string `json:"id"`
	AccessKey string `json:"accessKey"`
}

type accountKey struct{}

// WithAccount returns ctx carrying the authenticated account.
func WithAccount(ctx context.Context, a Account) context.Context {
	return context.WithValue(ctx, accountKey{}, a)
}

// AccountFrom returns the authenticated account of a request context.
func AccountFrom(ctx context.Context) (Account, bool) {
	a, ok := ctx.Value(accountKey{}).(Account)
	return a, ok
}

// Env is what the server gives every service.
type Env struct {
	// Now is the clock; tests may replace it.
	Now func() time.Time
	// AsyncDelay is the current time an asynchronous transition takes
	// (INIT→RUN, TERMTING→gone, ...). It can change at run time through the
	// admin API; a resource keeps the delay it started with.
	AsyncDelay func() time.Duration
	// LookupKey returns the secret key and account of an access key.
	LookupKey func(accessKey string) (secret string, account Account, ok bool)
	// DataDir is where a service may keep files (object bodies, media); empty
	// means memory only.
	DataDir string
	// S3Host is the host name under which Object Storage also answers
	// virtual-hosted-style requests (Host <bucket>.<S3Host>); empty means
	// path style only.
	S3Host string
	// Transitions holds the progression of every kind's transitions (admin
	// API); nil means the defaults (after the async delay).
	Transitions *Transitions
	// Journal receives the batches stores commit; nil keeps state in
	// memory only.
	Journal Journal
	// BaseURL returns the server's own base URL ("http://127.0.0.1:4510"),
	// "" before it listens or when unknown; nil means unknown. Cloud
	// Functions' actions reach ncplocal through it.
	BaseURL func() string
}

// Time returns the current time by the Now clock, the wall clock when Now
// is nil.
func (e Env) Time() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Delay returns the async delay in force now, never negative; 0 when
// AsyncDelay is nil.
func (e Env) Delay() time.Duration {
	if e.AsyncDelay != nil {
		return max(e.AsyncDelay(), 0)
	}
	return 0
}

// Service is one emulated NCP service.
type Service interface {
	// Name is the service's short name ("vpc", "objectstorage", ...), used in
	// inventory and call-count keys.
	Name() string
	// Reset drops every resource of every account.
	Reset()
	// Inventory returns a JSON-serialisable listing of one account's
	// resources, or nil when the account has none.
	Inventory(accountID string) any
}

// WebService is optionally implemented by a service that answers plain
// HTTP of its own, outside the API Gateway and Object Storage: Global
// Edge's CDN domains (by Host header, or under /_ncplocal/cdn/). The
// server asks ServesWeb first for every request.
type WebService interface {
	ServesWeb(r *http.Request) bool
	ServeWeb(w http.ResponseWriter, r *http.Request)
}

// AccountLister is optionally implemented by a service that can name the
// accounts it holds state for. The server's inventory covers every account
// of its credentials plus these (e.g. accounts restored from a data dir that
// was written with other credentials).
type AccountLister interface {
	Accounts() []string
}

// GatewayService is served behind the emulated API gateway: the server has
// verified the request's HMAC signature and put the Account in the request
// context before calling ServeHTTP for any path under one of PathPrefixes.
type GatewayService interface {
	Service
	http.Handler
	PathPrefixes() []string
}

// S3Service serves S3-style requests (path-style Object Storage). It verifies
// the AWS signature itself, with Env.LookupKey.
type S3Service interface {
	Service
	http.Handler
}

// Stateful is implemented by a service that keeps its state in a Store: the
// server journals the store's commits, saves and restores its image in the
// data dir, resets it, and advances its manual transitions.
type Stateful interface {
	Store() *Store
}

// Reconciler is implemented by a service whose state holds facts derived
// from another service's (VServer keeps each VPC's default ACG). The server
// calls Reconcile once after restoring every service from the data dir and
// before serving: the service brings those facts in line with the state
// they derive from, so a crash between two services' commits never leaves,
// say, an ACG whose VPC is missing.
type Reconciler interface {
	Reconcile(ctx context.Context) error
}

// Persistent services keep their state themselves instead of in a Store
// (Object Storage). Snapshot returns the whole state as a JSON document;
// Restore gets back exactly those bytes and must return an error (never
// silently drop state) when it cannot use them.
//
// With a data dir the server journals a snapshot after every request to
// the service that may have changed state (any method but GET, HEAD and
// OPTIONS) whose snapshot differs from the last one, before answering the
// request; it never calls Snapshot of one service concurrently with
// another Snapshot of it.
type Persistent interface {
	Snapshot() ([]byte, error)
	Restore([]byte) error
}

// SaveHooked is optionally implemented by a Persistent service whose state
// other services change in-process, outside any request to it (Object
// Storage, into which VOD Station writes renditions and folders). The
// server hands it, before serving, a function that makes the service's
// current state durable (with a data dir; without one it does nothing and
// returns nil); the service calls it after each such change and reports the
// change done only once it returned, so that a kill right afterwards loses
// nothing another service already recorded as done.
type SaveHooked interface {
	SaveWith(save func() error)
}

// GarbageCollector is optionally implemented by a Persistent service that
// keeps files in the data dir which its snapshots reference (object bodies).
// Such a file must outlive the state that dropped it until no snapshot on
// disk can reference it any more, or a restart after a crash would find the
// snapshot pointing at a missing file.
type GarbageCollector interface {
	// Snapshotted is called after snapshot, the result of the latest
	// Snapshot call, has been durably written: it is what Restore would get
	// after a crash from now on. Files that only older snapshots referenced
	// can be deleted.
	Snapshotted(snapshot []byte)
	// CollectGarbage is called once by the server after restoring the
	// service (or finding no snapshot to restore), before serving any
	// request: the service deletes the files its state does not reference,
	// such as leftovers of a crash.
	CollectGarbage() error
}

// DecodeSnapshot strictly decodes a snapshot into v, for Persistent.Restore:
// unknown fields and data after the JSON value are errors.
func DecodeSnapshot(data []byte, v any) error { return decodeStrict(data, v) }

type opKey struct{}

// OpRecorder is put into each request's context by the server so that a
// handler can name the operation it served (the server counts calls by it)
// and so that the server learns whether the request changed any store.
type OpRecorder struct {
	Op string
	// Changed is set when a store transaction of the request committed a
	// change.
	Changed bool
}

// noteChange marks ctx's request as having changed state.
func noteChange(ctx context.Context) {
	if ctx == nil {
		return
	}
	if rec, ok := ctx.Value(opKey{}).(*OpRecorder); ok {
		rec.Changed = true
	}
}

// Changed reports whether ctx's request changed any store.
func Changed(ctx context.Context) bool {
	rec, ok := ctx.Value(opKey{}).(*OpRecorder)
	return ok && rec.Changed
}

// WithOpRecorder returns ctx carrying rec.
func WithOpRecorder(ctx context.Context, rec *OpRecorder) context.Context {
	return context.WithValue(ctx, opKey{}, rec)
}

// Operation returns the operation named with SetOperation for a request
// context, or "" when none was named.
func Operation(ctx context.Context) string {
	if rec, ok := ctx.Value(opKey{}).(*OpRecorder); ok {
		return rec.Op
	}
	return ""
}

// SetOperation names the operation a request performs, as "<service>:<op>",
// e.g. "vpc:createVpc" or "objectstorage:HeadBucket".
func SetOperation(r *http.Request, op string) {
	if rec, ok := r.Context().Value(opKey{}).(*OpRecorder); ok {
		rec.Op = op
	}
}

// WriteGatewayError writes the API Gateway error envelope for code.
func WriteGatewayError(w http.ResponseWriter, code apigw.GatewayCode, details string) {
	WriteJSON(w, code.HTTPStatus, code.Envelope(details))
}

// WriteJSON writes v as a JSON body with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// ManualClock is a clock with a settable async delay for tests of services:
// time moves only when Advance says so. It is safe for concurrent use.
type ManualClock struct {
	mu    sync.Mutex
	now   time.Time
	delay time.Duration
}

// NewManualClock returns a clock at start with async delay delay.
func NewManualClock(start time.Time, delay time.Duration) *ManualClock {
	return &ManualClock{now: start, delay: delay}
}

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Delay returns the async delay.
func (c *ManualClock) Delay() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.delay
}

// SetDelay changes the async delay for operations started from now on.
func (c *ManualClock) SetDelay(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.delay = d
}

// Env returns an Env driven by the clock.
func (c *ManualClock) Env() Env { return Env{Now: c.Now, AsyncDelay: c.Delay} }
