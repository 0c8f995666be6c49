package ncplocal

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

// adminJSON sends an admin request with a JSON body, as curl -H
// 'Content-Type: application/json' or a script would.
func (f *fixture) adminJSON(method, p, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, p, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json; charset=utf-8")
	return f.do(r)
}

// TestAdminRefusesBrowserRequests checks the CSRF guards: a request with an
// Origin header is refused, and so is a PUT or POST body that is not
// declared as JSON (a text/plain form post from a page), while a bodyless
// POST (curl -X POST .../reset) works.
func TestAdminRefusesBrowserRequests(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{AsyncDelay: time.Second})
	keep := []FaultRule{{Pattern: "^/keep$", Rate: 1, Kinds: []string{"503"}}}
	if err := f.srv.SetFaults(keep); err != nil {
		t.Fatal(err)
	}
	faults := `{"rules":[]}`
	for _, tc := range []struct {
		name, method, path, body string
		header                   map[string]string
		status                   int
		contains                 string
	}{
		{"cross-site reset", http.MethodPost, "/_ncplocal/reset", "", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden, "Origin"},
		{"cross-site faults", http.MethodPost, "/_ncplocal/faults", faults, map[string]string{"Origin": "https://evil.example", "Content-Type": "application/json"}, http.StatusForbidden, "Origin"},
		{"null origin", http.MethodPut, "/_ncplocal/config", `{"asyncDelay":"0s"}`, map[string]string{"Origin": "null", "Content-Type": "application/json"}, http.StatusForbidden, "Origin"},
		{"same-host origin GET", http.MethodGet, "/_ncplocal/inventory", "", map[string]string{"Origin": "http://127.0.0.1:4510"}, http.StatusForbidden, "Origin"},
		{"text/plain faults", http.MethodPost, "/_ncplocal/faults", faults, map[string]string{"Content-Type": "text/plain"}, http.StatusUnsupportedMediaType, "application/json"},
		{"form config", http.MethodPut, "/_ncplocal/config", `{"asyncDelay":"0s"}`, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType, "application/json"},
		{"no content type", http.MethodPut, "/_ncplocal/faults", faults, nil, http.StatusUnsupportedMediaType, "application/json"},
		{"text/plain reset body", http.MethodPost, "/_ncplocal/reset", "{}", map[string]string{"Content-Type": "text/plain"}, http.StatusUnsupportedMediaType, "application/json"},
	} {
		r := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
		for k, v := range tc.header {
			r.Header.Set(k, v)
		}
		w := f.do(r)
		var e AdminError
		decodeJSON(t, w, &e)
		if w.Code != tc.status || !strings.Contains(e.Error, tc.contains) {
			t.Errorf("%s: got %d %+v, want %d mentioning %q", tc.name, w.Code, e, tc.status, tc.contains)
		}
	}
	if rules, _ := f.srv.Faults(); len(rules) != 1 || f.srv.AsyncDelay() != time.Second {
		t.Fatalf("a refused request changed state: rules %+v, delay %s", rules, f.srv.AsyncDelay())
	}
	// curl -d '{"rules":[]}' without -H sends no JSON Content-Type.
	if w := f.admin(http.MethodPut, "/_ncplocal/faults", faults); w.Code != http.StatusUnsupportedMediaType {
		t.Errorf("faults without Content-Type: %d %s", w.Code, w.Body)
	}
	// curl -X POST .../reset: no body, no Content-Type.
	if w := f.admin(http.MethodPost, "/_ncplocal/reset", ""); w.Code != http.StatusOK {
		t.Fatalf("bodyless reset: %d %s", w.Code, w.Body)
	}
	if rules, _ := f.srv.Faults(); len(rules) != 0 {
		t.Errorf("reset kept rules %+v", rules)
	}
	// A chunked JSON body of unknown length is read after the peek.
	r := httptest.NewRequest(http.MethodPut, "/_ncplocal/faults", strings.NewReader(`{"rules":[{"pattern":"^/x$","rate":1,"kinds":["429"]}]}`))
	r.ContentLength = -1
	r.Header.Set("Content-Type", "application/json")
	if w := f.do(r); w.Code != http.StatusOK {
		t.Errorf("chunked faults: %d %s", w.Code, w.Body)
	}
	r = httptest.NewRequest(http.MethodPut, "/_ncplocal/faults", strings.NewReader(faults))
	r.ContentLength = -1
	if w := f.do(r); w.Code != http.StatusUnsupportedMediaType {
		t.Errorf("chunked faults without Content-Type: %d %s", w.Code, w.Body)
	}
}

func TestAdminHealth(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	w := f.admin(http.MethodGet, "/_ncplocal/health", "")
	var h Health
	decodeJSON(t, w, &h)
	if w.Code != 200 || h.Status != "ok" || h.Version != Version {
		t.Errorf("health = %d %+v", w.Code, h)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestAdminIndexListsEndpoints(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	for _, p := range []string{"/_ncplocal", "/_ncplocal/"} {
		w := f.admin(http.MethodGet, p, "")
		var idx struct {
			Endpoints map[string][]string `json:"endpoints"`
		}
		decodeJSON(t, w, &idx)
		if got := idx.Endpoints["/_ncplocal/faults"]; strings.Join(got, ",") != "GET,PUT,POST,DELETE,HEAD" {
			t.Errorf("%s: faults methods = %v", p, got)
		}
	}
}

func TestAdminUnknownPathAndMethod(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	w := f.admin(http.MethodGet, "/_ncplocal/nope", "")
	var e AdminError
	decodeJSON(t, w, &e)
	if w.Code != http.StatusNotFound || !strings.Contains(e.Error, "/_ncplocal/nope") {
		t.Errorf("unknown path: %d %+v", w.Code, e)
	}
	w = f.admin(http.MethodDelete, "/_ncplocal/health", "")
	decodeJSON(t, w, &e)
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" || e.Error == "" {
		t.Errorf("bad method: %d Allow=%q %+v", w.Code, w.Header().Get("Allow"), e)
	}
	// Admin requests never reach a service nor count as calls.
	if len(f.s3.requests()) != 0 || len(f.srv.Calls()) != 0 {
		t.Errorf("admin request leaked: s3 %v calls %v", f.s3.requests(), f.srv.Calls())
	}
}

func TestAdminResetClearsEverything(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	f.do(signed(http.MethodPost, "/vpc/v2/createItem?name=x", credA, fixedNow, apigw.HeaderSignatureV2))
	if err := f.srv.SetFaults([]FaultRule{{Pattern: "^/never$", Rate: 1, Kinds: []string{"503"}}}); err != nil {
		t.Fatal(err)
	}
	w := f.admin(http.MethodPost, "/_ncplocal/reset", "")
	if w.Code != 200 {
		t.Fatalf("reset: %d %s", w.Code, w.Body)
	}
	if inv := f.srv.Inventory(); len(inv.Accounts) != 0 {
		t.Errorf("inventory after reset = %v", inv.Accounts)
	}
	if c := f.srv.Calls(); len(c) != 0 {
		t.Errorf("calls after reset = %v", c)
	}
	if rules, _ := f.srv.Faults(); len(rules) != 0 {
		t.Errorf("faults after reset = %v", rules)
	}
	w = f.do(signed(http.MethodGet, "/vpc/v2/listItems", credA, fixedNow, apigw.HeaderSignatureV2))
	if strings.Contains(w.Body.String(), `"x"`) {
		t.Errorf("item survived reset: %s", w.Body)
	}
}

func TestAdminInventory(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	f.do(signed(http.MethodPost, "/vpc/v2/createItem?name=one", credA, fixedNow, apigw.HeaderSignatureV2))
	w := f.admin(http.MethodGet, "/_ncplocal/inventory", "")
	want := `{"accounts":{"acct-a":{"vpc":{"items":["one"]}}}}`
	if w.Code != 200 || w.Body.String() != want {
		t.Errorf("inventory = %d %s, want %s", w.Code, w.Body, want)
	}
}

func TestAdminCalls(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	for range 2 {
		f.do(signed(http.MethodPost, "/vpc/v2/createItem?name=x", credA, fixedNow, apigw.HeaderSignatureV2))
	}
	f.do(signed(http.MethodPost, "/vpc/v2/createItem?name=y", credB, fixedNow, apigw.HeaderSignatureV2))
	f.do(signed(http.MethodGet, "/vpc/v2/unnamedOp", credB, fixedNow, apigw.HeaderSignatureV2))

	w := f.admin(http.MethodGet, "/_ncplocal/calls", "")
	var cc CallCounts
	decodeJSON(t, w, &cc)
	if cc.Total["vpc:createItem"] != 3 || cc.Total["vpc:GET /vpc/v2/unnamedOp"] != 1 || len(cc.Total) != 2 {
		t.Errorf("total = %v", cc.Total)
	}
	if cc.Accounts["acct-a"]["vpc:createItem"] != 2 || cc.Accounts["AKB"]["vpc:createItem"] != 1 {
		t.Errorf("accounts = %v", cc.Accounts)
	}
	if got := f.srv.Calls(); got["vpc:createItem"] != 3 {
		t.Errorf("Calls() = %v", got)
	}

	w = f.admin(http.MethodDelete, "/_ncplocal/calls", "")
	cc = CallCounts{}
	decodeJSON(t, w, &cc)
	if w.Code != 200 || len(cc.Total) != 0 || len(cc.Accounts) != 0 || len(f.srv.Calls()) != 0 {
		t.Errorf("after DELETE: %d %s", w.Code, w.Body)
	}
}

func TestAdminConfigAsyncDelay(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{AsyncDelay: 2 * time.Second})
	w := f.admin(http.MethodGet, "/_ncplocal/config", "")
	if w.Body.String() != `{"asyncDelay":"2s"}` {
		t.Errorf("GET config = %s", w.Body)
	}
	w = f.adminJSON(http.MethodPut, "/_ncplocal/config", `{"asyncDelay":"1.5s"}`)
	if w.Code != 200 || w.Body.String() != `{"asyncDelay":"1.5s"}` {
		t.Errorf("PUT config = %d %s", w.Code, w.Body)
	}
	if got := f.gw.env.AsyncDelay(); got != 1500*time.Millisecond {
		t.Errorf("Env.AsyncDelay() = %s, want 1.5s", got)
	}
	// An empty object changes nothing.
	f.adminJSON(http.MethodPut, "/_ncplocal/config", `{}`)
	if got := f.gw.env.AsyncDelay(); got != 1500*time.Millisecond {
		t.Errorf("after empty PUT, Env.AsyncDelay() = %s", got)
	}
}

func TestAdminBadBodies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, path, body, field string
	}{
		{"bad duration", http.MethodPut, "/_ncplocal/config", `{"asyncDelay":"soon"}`, "asyncDelay"},
		{"negative duration", http.MethodPut, "/_ncplocal/config", `{"asyncDelay":"-1s"}`, "asyncDelay"},
		{"duration as number", http.MethodPut, "/_ncplocal/config", `{"asyncDelay":5}`, "asyncDelay"},
		{"unknown config field", http.MethodPut, "/_ncplocal/config", `{"delay":"1s"}`, "delay"},
		{"not JSON", http.MethodPut, "/_ncplocal/config", `{`, "body"},
		{"empty body", http.MethodPut, "/_ncplocal/faults", ``, "body"},
		{"trailing data", http.MethodPut, "/_ncplocal/config", `{} {}`, "body"},
		{"rules missing", http.MethodPut, "/_ncplocal/faults", `{}`, "rules"},
		{"bad pattern", http.MethodPut, "/_ncplocal/faults", `{"rules":[{"pattern":"(","rate":1,"kinds":["429"]}]}`, "rules[0].pattern"},
		{"empty pattern", http.MethodPost, "/_ncplocal/faults", `{"rules":[{"pattern":"","rate":1,"kinds":["429"]}]}`, "rules[0].pattern"},
		{"rate above 1", http.MethodPut, "/_ncplocal/faults", `{"rules":[{"pattern":".","rate":1,"kinds":["429"]},{"pattern":".","rate":1.5,"kinds":["429"]}]}`, "rules[1].rate"},
		{"negative rate", http.MethodPut, "/_ncplocal/faults", `{"rules":[{"pattern":".","rate":-0.1,"kinds":["429"]}]}`, "rules[0].rate"},
		{"unknown kind", http.MethodPut, "/_ncplocal/faults", `{"rules":[{"pattern":".","rate":1,"kinds":["429","500"]}]}`, "rules[0].kinds[1]"},
		{"no kinds", http.MethodPut, "/_ncplocal/faults", `{"rules":[{"pattern":".","rate":1}]}`, "rules[0].kinds"},
		{"bad method", http.MethodPut, "/_ncplocal/faults", `{"rules":[{"pattern":".","method":"GET /","rate":1,"kinds":["429"]}]}`, "rules[0].method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, Options{AsyncDelay: time.Second})
			if err := f.srv.SetFaults([]FaultRule{{Pattern: "^/keep$", Rate: 1, Kinds: []string{"503"}}}); err != nil {
				t.Fatal(err)
			}
			w := f.adminJSON(tt.method, tt.path, tt.body)
			var e AdminError
			decodeJSON(t, w, &e)
			if w.Code != http.StatusBadRequest || e.Field != tt.field || !strings.Contains(e.Error, tt.field) {
				t.Errorf("got %d %+v, want 400 naming %q", w.Code, e, tt.field)
			}
			// Nothing changed.
			if f.srv.AsyncDelay() != time.Second {
				t.Errorf("async delay changed to %s", f.srv.AsyncDelay())
			}
			if rules, _ := f.srv.Faults(); len(rules) != 1 || rules[0].Pattern != "^/keep$" {
				t.Errorf("rules changed to %+v", rules)
			}
		})
	}
}

func TestAdminFaultsRoundTrip(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	body := `{"rules":[{"pattern":"^/vpc/v2/","method":"post","rate":1,"kinds":["503"],"seed":7}]}`
	w := f.adminJSON(http.MethodPut, "/_ncplocal/faults", body)
	want := `{"rules":[{"pattern":"^/vpc/v2/","method":"POST","rate":1,"kinds":["503"],"seed":7}],"injected":0}`
	if w.Code != 200 || w.Body.String() != want {
		t.Fatalf("PUT faults = %d %s", w.Code, w.Body)
	}
	f.do(signed(http.MethodPost, "/vpc/v2/createItem", credA, fixedNow, apigw.HeaderSignatureV2))
	f.do(signed(http.MethodGet, "/vpc/v2/listItems", credA, fixedNow, apigw.HeaderSignatureV2)) // method does not match
	w = f.admin(http.MethodGet, "/_ncplocal/faults", "")
	var st FaultsState
	decodeJSON(t, w, &st)
	if st.Injected != 1 || len(st.Rules) != 1 {
		t.Errorf("GET faults = %s", w.Body)
	}
	w = f.admin(http.MethodDelete, "/_ncplocal/faults", "")
	if w.Body.String() != `{"rules":[],"injected":0}` {
		t.Errorf("DELETE faults = %s", w.Body)
	}
	if w := f.do(signed(http.MethodPost, "/vpc/v2/createItem", credA, fixedNow, apigw.HeaderSignatureV2)); w.Code != 200 {
		t.Errorf("after DELETE, request got %d", w.Code)
	}
}
