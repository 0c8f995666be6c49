package ncplocal

import (
	"errors"
	"io"
	"net/http"
	"strings"
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
