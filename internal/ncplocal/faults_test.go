package ncplocal

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

func TestFaultGateway429And503(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		kind   string
		status int
		code   apigw.GatewayCode
	}{
		{FaultRateLimit, http.StatusTooManyRequests, apigw.CodeRateLimited},
		{FaultUnavailable, http.StatusServiceUnavailable, apigw.CodeEndpointError},
	} {
		t.Run(tt.kind, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, Options{})
			if err := f.srv.SetFaults([]FaultRule{{Pattern: "^/vpc/", Rate: 1, Kinds: []string{tt.kind}}}); err != nil {
				t.Fatal(err)
			}
			w := f.do(signed(http.MethodPost, "/vpc/v2/createItem?name=x", credA, fixedNow, apigw.HeaderSignatureV2))
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d", w.Code, tt.status)
			}
			var env apigw.ErrorEnvelope
			decodeJSON(t, w, &env)
			if env.Error.ErrorCode != tt.code.Code || env.Error.Message != tt.code.Message {
				t.Errorf("envelope = %+v, want %+v", env, tt.code)
			}
			assertGatewayIDs(t, w.Header())
			if n := len(f.gw.requests()); n != 0 {
				t.Errorf("service saw %d requests", n)
			}
			if _, n := f.srv.Faults(); n != 1 {
				t.Errorf("injected = %d", n)
			}
			if c := f.srv.Calls(); len(c) != 0 {
				t.Errorf("an injected fault counted as a call: %v", c)
			}
		})
	}
}

func TestFaultS3(t *testing.T) {
	t.Parallel()
	for kind, code := range map[string]string{FaultRateLimit: "SlowDown", FaultUnavailable: "ServiceUnavailable"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, Options{})
			if err := f.srv.SetFaults([]FaultRule{{Pattern: "^/bucket", Method: "PUT", Rate: 1, Kinds: []string{kind}}}); err != nil {
				t.Fatal(err)
			}
			w := f.do(httptestRequest(http.MethodPut, "/bucket", map[string]string{"Authorization": "AWS AKA:x"}))
			if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "<Code>"+code+"</Code>") {
				t.Errorf("got %d %s, want 503 %s", w.Code, w.Body, code)
			}
			if len(f.s3.requests()) != 0 {
				t.Error("S3 service saw the faulted request")
			}
			// Other methods are not affected.
			if w := f.do(httptestRequest(http.MethodGet, "/bucket", nil)); w.Code != 200 {
				t.Errorf("GET got %d", w.Code)
			}
		})
	}
}

func TestFaultResetDropsConnectionAfterServing(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{Addr: "127.0.0.1:0"})
	if err := f.srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.srv.Close() })
	if err := f.srv.SetFaults([]FaultRule{{Pattern: "createItem", Rate: 1, Kinds: []string{FaultReset}}}); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req := signed(http.MethodPost, "/vpc/v2/createItem?name=ghost", credA, fixedNow, apigw.HeaderSignatureV2)
	out, err := http.NewRequest(req.Method, f.srv.URL()+req.RequestURI, nil)
	if err != nil {
		t.Fatal(err)
	}
	out.Header = req.Header
	resp, err := client.Do(out)
	if err == nil {
		_ = resp.Body.Close()
		t.Fatalf("got a response (%s), want a dropped connection", resp.Status)
	}
	if !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("error = %v, want EOF or connection reset", err)
	}
	seen := f.gw.requests()
	if len(seen) != 1 || seen[0].Path != "/vpc/v2/createItem" {
		t.Fatalf("service saw %+v, want the create", seen)
	}
	if inv := f.srv.Inventory(); inv.Accounts["acct-a"]["vpc"] == nil {
		t.Errorf("the effect of the dropped request is missing: %v", inv.Accounts)
	}
	if got := f.srv.Calls()["vpc:createItem"]; got != 1 {
		t.Errorf("calls = %v", f.srv.Calls())
	}
}

func TestFaultRateZeroNeverFires(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	if err := f.srv.SetFaults([]FaultRule{{Pattern: ".*", Rate: 0, Kinds: []string{"429", "503", "reset"}}}); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		if w := f.do(signed(http.MethodGet, "/vpc/v2/listItems", credA, fixedNow, apigw.HeaderSignatureV2)); w.Code != 200 {
			t.Fatalf("request %d: %d", i, w.Code)
		}
	}
	if _, n := f.srv.Faults(); n != 0 {
		t.Errorf("injected = %d", n)
	}
}

// faultPattern sends n requests and returns the status of each.
func faultPattern(t *testing.T, seed int64, n int) []int {
	t.Helper()
	f := newFixture(t, Options{})
	if err := f.srv.SetFaults([]FaultRule{{Pattern: "^/vpc/", Rate: 0.5, Kinds: []string{"429", "503"}, Seed: seed}}); err != nil {
		t.Fatal(err)
	}
	out := make([]int, n)
	for i := range out {
		out[i] = f.do(signed(http.MethodGet, "/vpc/v2/listItems", credA, fixedNow, apigw.HeaderSignatureV2)).Code
	}
	return out
}

func TestFaultDeterministicWithSeed(t *testing.T) {
	t.Parallel()
	a, b := faultPattern(t, 42, 100), faultPattern(t, 42, 100)
	count := map[int]int{}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("request %d: %d vs %d with the same seed", i, a[i], b[i])
		}
		count[a[i]]++
	}
	// Rate 0.5 over 100 requests with two kinds: all three outcomes occur.
	if count[200] == 0 || count[429] == 0 || count[503] == 0 || count[200]+count[429]+count[503] != 100 {
		t.Errorf("outcomes = %v", count)
	}
	c := faultPattern(t, 43, 100)
	same := true
	for i := range a {
		same = same && a[i] == c[i]
	}
	if same {
		t.Error("a different seed gave the same 100 outcomes")
	}
}

func TestFaultsExcludeAdmin(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	if err := f.srv.SetFaults([]FaultRule{{Pattern: ".*", Rate: 1, Kinds: []string{"503"}}}); err != nil {
		t.Fatal(err)
	}
	if w := f.admin(http.MethodGet, "/_ncplocal/health", ""); w.Code != 200 {
		t.Errorf("health under fault rules: %d", w.Code)
	}
	if w := f.admin(http.MethodDelete, "/_ncplocal/faults", ""); w.Code != 200 {
		t.Errorf("clear faults: %d", w.Code)
	}
	if rules, n := f.srv.Faults(); len(rules) != 0 || n != 0 {
		t.Errorf("after DELETE /_ncplocal/faults: rules = %+v, injected = %d, want none", rules, n)
	}
}

func TestSetFaultsInvalidKeepsRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	good := []FaultRule{{Pattern: "^/a", Rate: 1, Kinds: []string{"429"}}}
	if err := f.srv.SetFaults(good); err != nil {
		t.Fatal(err)
	}
	err := f.srv.SetFaults([]FaultRule{{Pattern: "^/b", Rate: 2, Kinds: []string{"429"}}})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "rules[0].rate" {
		t.Fatalf("err = %v, want a FieldError on rules[0].rate", err)
	}
	if rules, _ := f.srv.Faults(); len(rules) != 1 || rules[0].Pattern != "^/a" {
		t.Errorf("rules = %+v", rules)
	}
}

// interleavingRules has two rules so that the second one only sees the
// requests the first let through, and two kinds so that the kind drawn is
// checked too.
var interleavingRules = []FaultRule{
	{Pattern: "^/vpc/v2/(a|b)", Rate: 0.3, Kinds: []string{"429", "503"}, Seed: 7},
	{Pattern: "^/vpc/", Method: "GET", Rate: 0.5, Kinds: []string{"503", "429"}, Seed: -3},
}

var interleavingPaths = []string{"/vpc/v2/a", "/vpc/v2/b", "/vpc/v2/c"}

// faultsByPath runs perPath GET requests to each of interleavingPaths in
// the order order gives (a sequence of indexes into interleavingPaths) and
// returns, per path, the decisions in the order that path's requests ran.
func faultsByPath(t *testing.T, order []int) map[string][]string {
	t.Helper()
	var f faultInjector
	if err := f.set(interleavingRules, nil); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, i := range order {
		p := interleavingPaths[i]
		got[p] = append(got[p], f.pick(http.MethodGet, p).kind)
	}
	return got
}

// TestFaultDecisionsIndependentOfInterleaving checks that a path's n-th
// request gets the same decision whatever the requests to other paths do
// in between.
func TestFaultDecisionsIndependentOfInterleaving(t *testing.T) {
	t.Parallel()
	const perPath = 200
	var sequential, roundRobin, reversed []int
	for i := range interleavingPaths {
		for range perPath {
			sequential = append(sequential, i)
		}
	}
	for range perPath {
		for i := range interleavingPaths {
			roundRobin = append(roundRobin, i)
		}
	}
	reversed = slices.Clone(sequential)
	slices.Reverse(reversed)

	want := faultsByPath(t, sequential)
	for name, order := range map[string][]int{"round robin": roundRobin, "reversed": reversed} {
		got := faultsByPath(t, order)
		for _, p := range interleavingPaths {
			if !slices.Equal(got[p], want[p]) {
				t.Errorf("%s: %s decisions differ from the sequential run:\n got %v\nwant %v", name, p, got[p], want[p])
			}
		}
	}
	// The rules do fire, with both kinds, and not always.
	for _, p := range interleavingPaths {
		count := map[string]int{}
		for _, k := range want[p] {
			count[k]++
		}
		if count[""] == 0 || count["429"] == 0 || count["503"] == 0 {
			t.Errorf("%s: outcomes = %v, want some of each", p, count)
		}
	}
}

// TestFaultDecisionsReproducibleUnderConcurrency sends each path's requests
// from its own goroutine, all paths at once, and checks that every path sees
// the same statuses as when the paths run one after the other.
func TestFaultDecisionsReproducibleUnderConcurrency(t *testing.T) {
	t.Parallel()
	const perPath = 100
	run := func(concurrent bool) map[string][]int {
		f := newFixture(t, Options{})
		if err := f.srv.SetFaults(interleavingRules); err != nil {
			t.Fatal(err)
		}
		out := make([][]int, len(interleavingPaths))
		send := func(i int) {
			for range perPath {
				w := f.do(signed(http.MethodGet, interleavingPaths[i], credA, fixedNow, apigw.HeaderSignatureV2))
				out[i] = append(out[i], w.Code)
			}
		}
		var wg sync.WaitGroup
		for i := range interleavingPaths {
			if !concurrent {
				send(i)
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				send(i)
			}()
		}
		wg.Wait()
		got := map[string][]int{}
		for i, p := range interleavingPaths {
			got[p] = out[i]
		}
		return got
	}
	want := run(false)
	for attempt := range 3 {
		got := run(true)
		for _, p := range interleavingPaths {
			if !slices.Equal(got[p], want[p]) {
				t.Errorf("concurrent run %d: %s statuses differ:\n got %v\nwant %v", attempt, p, got[p], want[p])
			}
		}
	}
	faulted := 0
	for _, p := range interleavingPaths {
		for _, c := range want[p] {
			if c != http.StatusOK {
				faulted++
			}
		}
	}
	if faulted == 0 || faulted == len(interleavingPaths)*perPath {
		t.Errorf("faulted %d of %d requests, want some", faulted, len(interleavingPaths)*perPath)
	}
}

// TestFaultDecisionDependsOnMethodAndPath checks that the method and the
// path enter the decision: with the same seed, different paths (and the
// same path with another method) do not fault in lockstep.
func TestFaultDecisionDependsOnMethodAndPath(t *testing.T) {
	t.Parallel()
	r := activeRule{FaultRule: FaultRule{Rate: 0.5, Kinds: []string{"429"}, Seed: 1}}
	seq := func(method, path string) string {
		var b strings.Builder
		for n := range uint64(64) {
			_, fire := r.decide(method, path, n)
			fmt.Fprint(&b, map[bool]int{false: 0, true: 1}[fire])
		}
		return b.String()
	}
	base := seq("GET", "/x")
	if base != seq("GET", "/x") {
		t.Fatal("the same inputs gave different decisions")
	}
	for _, other := range [][2]string{{"GET", "/y"}, {"POST", "/x"}, {"GE", "T/x"}} {
		if s := seq(other[0], other[1]); s == base {
			t.Errorf("%s %s faults exactly like GET /x: %s", other[0], other[1], s)
		}
	}
}
