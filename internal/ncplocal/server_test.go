package ncplocal

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

func TestStartTestServesOverHTTP(t *testing.T) {
	t.Parallel()
	srv := StartTest(t, Options{Services: func(emu.Env) []emu.Service { return nil }})
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+$`).MatchString(srv.URL()) {
		t.Fatalf("URL = %q", srv.URL())
	}
	resp, err := http.Get(srv.URL() + "/_ncplocal/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"status":"ok"`) {
		t.Errorf("health = %d %s", resp.StatusCode, b)
	}
	if err := srv.Start(); err == nil {
		t.Error("second Start succeeded")
	}
}

func TestDefaultCredentialAndEnv(t *testing.T) {
	t.Parallel()
	var env emu.Env
	srv, err := New(Options{Services: func(e emu.Env) []emu.Service { env = e; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	secret, acct, ok := env.LookupKey(DefaultCredential.AccessKey)
	if !ok || secret != DefaultCredential.SecretKey || acct != (emu.Account{ID: "ncplocal", AccessKey: DefaultCredential.AccessKey}) {
		t.Errorf("LookupKey(default) = %q %+v %v", secret, acct, ok)
	}
	if _, _, ok := env.LookupKey("nope"); ok {
		t.Error("unknown key found")
	}
	if env.AsyncDelay() != 0 {
		t.Errorf("default async delay = %s", env.AsyncDelay())
	}
	srv.SetAsyncDelay(3 * time.Second)
	if env.AsyncDelay() != 3*time.Second {
		t.Errorf("after SetAsyncDelay: %s", env.AsyncDelay())
	}
	if time.Since(env.Now()) > time.Minute {
		t.Error("default clock is not time.Now")
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := srv.Start(); err == nil {
		t.Error("Start after Close succeeded")
	}
}

// otherGateway claims a prefix, for conflict tests.
type otherGateway struct {
	name     string
	prefixes []string
}

func (o otherGateway) Name() string                                     { return o.name }
func (o otherGateway) Reset()                                           {}
func (o otherGateway) Inventory(string) any                             { return nil }
func (o otherGateway) PathPrefixes() []string                           { return o.prefixes }
func (o otherGateway) ServeHTTP(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) }

func TestNewRejectsBadOptions(t *testing.T) {
	t.Parallel()
	svcs := func(s ...emu.Service) func(emu.Env) []emu.Service {
		return func(emu.Env) []emu.Service { return s }
	}
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"negative delay", Options{AsyncDelay: -time.Second}, "negative"},
		{"empty secret", Options{Credentials: []Credential{{AccessKey: "a"}}}, "must not be empty"},
		{"duplicate key", Options{Credentials: []Credential{credA, credA}}, "listed twice"},
		{"nil service", Options{Services: svcs(nil)}, "nil"},
		{"duplicate name", Options{Services: svcs(otherGateway{"x", []string{"/a/"}}, otherGateway{"x", []string{"/b/"}})}, `two services are named "x"`},
		{"bad name", Options{Services: svcs(otherGateway{"../x", []string{"/a/"}})}, "invalid name"},
		{"duplicate prefix", Options{Services: svcs(otherGateway{"x", []string{"/a/"}}, otherGateway{"y", []string{"/a/"}})}, `claimed by both "x" and "y"`},
		{"admin prefix", Options{Services: svcs(otherGateway{"x", []string{"/_ncplocal/x"}})}, "invalid path prefix"},
		{"no prefixes", Options{Services: svcs(otherGateway{"x", nil})}, "no path prefixes"},
		{"two S3", Options{Services: svcs(&fakeS3{}, renamedS3{&fakeS3{}})}, `two S3 services: "objectstorage" and "s3b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestLongestPrefixWins(t *testing.T) {
	t.Parallel()
	var hit []string
	var mu sync.Mutex
	mk := func(name string, prefixes ...string) emu.Service {
		return handlerGateway{otherGateway{name, prefixes}, func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			hit = append(hit, name)
			mu.Unlock()
			emu.SetOperation(r, name+":op")
		}}
	}
	srv, err := New(Options{
		Now:         func() time.Time { return fixedNow },
		Credentials: []Credential{credA},
		Services: func(emu.Env) []emu.Service {
			return []emu.Service{mk("cf", "/api/v2/packages", "/ncf/api/v2"), mk("vod", "/api/v2/")}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/api/v2/packages/p1", "/api/v2/category", "/ncf/api/v2/x"} {
		httptestDo(srv, signed(http.MethodGet, p, credA, fixedNow, apigw.HeaderSignatureV2))
	}
	if got := strings.Join(hit, ","); got != "cf,vod,cf" {
		t.Errorf("dispatch = %s", got)
	}
}

// renamedS3 is a second S3 service.
type renamedS3 struct{ *fakeS3 }

func (renamedS3) Name() string { return "s3b" }

// handlerGateway is otherGateway with a custom handler.
type handlerGateway struct {
	otherGateway
	h http.HandlerFunc
}

func (g handlerGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) { g.h(w, r) }

func TestConcurrentCallsAreCounted(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cred := credA
			if i%2 == 1 {
				cred = credB
			}
			for j := range each {
				f.do(signed(http.MethodPost, fmt.Sprintf("/vpc/v2/createItem?name=%d-%d", i, j), cred, fixedNow, apigw.HeaderSignatureV1))
			}
		}()
	}
	wg.Wait()
	cc := f.srv.CallCounts()
	if cc.Total["vpc:createItem"] != workers*each {
		t.Errorf("total = %v", cc.Total)
	}
	if cc.Accounts["acct-a"]["vpc:createItem"] != workers*each/2 || cc.Accounts["AKB"]["vpc:createItem"] != workers*each/2 {
		t.Errorf("accounts = %v", cc.Accounts)
	}
}

func TestRequestLog(t *testing.T) {
	t.Parallel()
	var (
		mu   sync.Mutex
		logs []RequestInfo
	)
	f := newFixture(t, Options{RequestLog: func(i RequestInfo) {
		mu.Lock()
		defer mu.Unlock()
		logs = append(logs, i)
	}})
	f.do(signed(http.MethodPost, "/vpc/v2/createItem?name=x", credA, fixedNow, apigw.HeaderSignatureV2))
	f.do(signed(http.MethodPost, "/vpc/v2/createItem?name=x", credA, fixedNow.Add(time.Hour), apigw.HeaderSignatureV2))
	f.admin(http.MethodGet, "/_ncplocal/health", "")
	mu.Lock()
	defer mu.Unlock()
	if len(logs) != 3 {
		t.Fatalf("logged %d requests", len(logs))
	}
	if l := logs[0]; l.Method != "POST" || l.Path != "/vpc/v2/createItem" || l.Status != 200 || l.Op != "vpc:createItem" || l.Account != "acct-a" {
		t.Errorf("log[0] = %+v", l)
	}
	if l := logs[1]; l.Status != 401 || l.Op != OpAuthenticationFailed || l.Account != "" {
		t.Errorf("log[1] = %+v", l)
	}
	if l := logs[2]; l.Path != "/_ncplocal/health" || l.Status != 200 {
		t.Errorf("log[2] = %+v", l)
	}
}

func TestParseCredentials(t *testing.T) {
	t.Parallel()
	got, err := ParseCredentials(" AK1:SK1 , AK2:SK2:team ,")
	if err != nil {
		t.Fatal(err)
	}
	want := []Credential{{AccessKey: "AK1", SecretKey: "SK1"}, {AccessKey: "AK2", SecretKey: "SK2", AccountID: "team"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	for _, bad := range []string{"", "AK1", "AK1:SK1:acct:x", ":SK", "AK:", "AK1:SK1,AK2"} {
		if _, err := ParseCredentials(bad); err == nil {
			t.Errorf("ParseCredentials(%q) succeeded", bad)
		}
	}
}

func TestInventoryOmitsTypedNil(t *testing.T) {
	t.Parallel()
	if !isNil((*int)(nil)) || !isNil([]string(nil)) || !isNil(map[string]int(nil)) || !isNil(nil) {
		t.Error("typed nil not detected")
	}
	if isNil(0) || isNil([]string{}) || isNil("") {
		t.Error("non-nil value reported nil")
	}
}
