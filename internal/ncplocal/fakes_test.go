package ncplocal

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

// fixedNow is the clock of most tests.
var fixedNow = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// fakeGateway is a GatewayService under /vpc/v2/. POST .../createItem?name=x
// adds an item to the caller's account, GET .../listItems lists them, and
// .../panic panics. It records every request it sees.
type fakeGateway struct {
	env emu.Env

	mu    sync.Mutex
	items map[string][]string // account ID -> item names
	seen  []fakeSeen
}

// fakeSeen is one request a fake saw.
type fakeSeen struct {
	Method, Path string
	Account      emu.Account
	HasAccount   bool
}

func newFakeGateway(env emu.Env) *fakeGateway {
	return &fakeGateway{env: env, items: map[string][]string{}}
}

func (f *fakeGateway) Name() string           { return "vpc" }
func (f *fakeGateway) PathPrefixes() []string { return []string{"/vpc/v2/"} }

func (f *fakeGateway) Reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items = map[string][]string{}
}

func (f *fakeGateway) Inventory(accountID string) any {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.items[accountID]) == 0 {
		return nil
	}
	return map[string]any{"items": slices.Clone(f.items[accountID])}
}

// Accounts makes fakeGateway an emu.AccountLister.
func (f *fakeGateway) Accounts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	ids := make([]string, 0, len(f.items))
	for id := range f.items {
		ids = append(ids, id)
	}
	return ids
}

func (f *fakeGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	acct, ok := emu.AccountFrom(r.Context())
	action := path.Base(r.URL.Path)
	f.mu.Lock()
	f.seen = append(f.seen, fakeSeen{Method: r.Method, Path: r.URL.Path, Account: acct, HasAccount: ok})
	f.mu.Unlock()
	switch action {
	case "createItem":
		emu.SetOperation(r, "vpc:createItem")
		f.mu.Lock()
		f.items[acct.ID] = append(f.items[acct.ID], r.URL.Query().Get("name"))
		f.mu.Unlock()
		emu.WriteJSON(w, http.StatusOK, map[string]string{"account": acct.ID, "accessKey": acct.AccessKey})
	case "listItems":
		emu.SetOperation(r, "vpc:listItems")
		f.mu.Lock()
		items := slices.Clone(f.items[acct.ID])
		f.mu.Unlock()
		emu.WriteJSON(w, http.StatusOK, map[string]any{"account": acct.ID, "items": items})
	case "panic":
		panic("fake failure")
	default:
		// Leaves the operation unnamed, to exercise the default name.
		emu.WriteJSON(w, http.StatusOK, map[string]string{"account": acct.ID})
	}
}

func (f *fakeGateway) requests() []fakeSeen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.seen)
}

// Snapshot and Restore make fakeGateway an emu.Persistent.
func (f *fakeGateway) Snapshot() ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return json.Marshal(f.items)
}

func (f *fakeGateway) Restore(b []byte) error {
	var items map[string][]string
	if err := json.Unmarshal(b, &items); err != nil {
		return fmt.Errorf("decode items: %w", err)
	}
	if items == nil {
		return errors.New("decode items: no object")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items = items
	return nil
}

// fakeS3 is an S3Service that answers 200 "s3" and records the requests.
type fakeS3 struct {
	mu   sync.Mutex
	seen []fakeSeen
}

func (f *fakeS3) Name() string         { return "objectstorage" }
func (f *fakeS3) Reset()               {}
func (f *fakeS3) Inventory(string) any { return nil }
func (f *fakeS3) requests() []fakeSeen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.seen)
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, ok := emu.AccountFrom(r.Context())
	f.mu.Lock()
	f.seen = append(f.seen, fakeSeen{Method: r.Method, Path: r.URL.Path, HasAccount: ok})
	f.mu.Unlock()
	emu.SetOperation(r, "objectstorage:"+r.Method)
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte("s3"))
}

// testCreds are two accounts.
var (
	credA = Credential{AccessKey: "AKA", SecretKey: "secret-a", AccountID: "acct-a"}
	credB = Credential{AccessKey: "AKB", SecretKey: "secret-b"} // account = access key
)

// fixture is a server built on the fakes.
type fixture struct {
	srv *Server
	gw  *fakeGateway
	s3  *fakeS3
}

// newFixture builds (but does not start) a server with the fakes; opts.Now
// defaults to fixedNow and opts.Credentials to credA and credB.
func newFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	f := &fixture{s3: &fakeS3{}}
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	if opts.Credentials == nil {
		opts.Credentials = []Credential{credA, credB}
	}
	opts.Services = func(env emu.Env) []emu.Service {
		f.gw = newFakeGateway(env)
		return []emu.Service{f.gw, f.s3}
	}
	srv, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	f.srv = srv
	t.Cleanup(func() {
		for _, p := range srv.TakePanics() {
			t.Errorf("a handler panicked: %s", p)
		}
	})
	return f
}

// signed builds a request signed with c at time ts, the signature under
// header sigHeader.
func signed(method, target string, c Credential, ts time.Time, sigHeader string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	stamp := apigw.Timestamp(ts)
	r.Header.Set(apigw.HeaderTimestamp, stamp)
	r.Header.Set(apigw.HeaderAccessKey, c.AccessKey)
	r.Header.Set(sigHeader, apigw.Sign(method, r.RequestURI, stamp, c.AccessKey, c.SecretKey))
	return r
}

// do serves r on the fixture's handler.
func (f *fixture) do(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(w, r)
	return w
}

// decodeJSON decodes a recorder's body into v, failing the test on error.
func decodeJSON(t *testing.T, w *httptest.ResponseRecorder, v any) {
	t.Helper()
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatalf("decode %q: %v", w.Body.String(), err)
	}
}

// admin sends an admin request with an optional JSON body.
func (f *fixture) admin(method, p, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, p, strings.NewReader(body))
	return f.do(r)
}

// httptestRequest builds an unsigned request with extra headers.
func httptestRequest(method, target string, headers map[string]string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	return r
}

// httptestDo serves r on srv's handler.
func httptestDo(srv *Server, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, r)
	return w
}

// services is an Options.Services function for f.
func (f *fixture) services(env emu.Env) []emu.Service {
	f.gw = newFakeGateway(env)
	return []emu.Service{f.gw, f.s3}
}
