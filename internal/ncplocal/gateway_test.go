package ncplocal

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

func TestGatewaySignedRequestAccepted(t *testing.T) {
	t.Parallel()
	for _, hdr := range []string{apigw.HeaderSignatureV2, apigw.HeaderSignatureV1} {
		t.Run(hdr, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, Options{})
			w := f.do(signed(http.MethodPost, "/vpc/v2/createItem?name=x&responseFormatType=json", credA, fixedNow, hdr))
			if w.Code != http.StatusOK {
				t.Fatalf("status = %d, body %s", w.Code, w.Body)
			}
			var got map[string]string
			decodeJSON(t, w, &got)
			if got["account"] != "acct-a" || got["accessKey"] != "AKA" {
				t.Errorf("service saw account %v, want acct-a/AKA", got)
			}
			assertGatewayIDs(t, w.Header())
		})
	}
}

func TestGatewayTimestampWithinSkewAccepted(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	for _, off := range []time.Duration{-apigw.MaxClockSkew, -4 * time.Minute, 4 * time.Minute, apigw.MaxClockSkew} {
		w := f.do(signed(http.MethodGet, "/vpc/v2/listItems", credA, fixedNow.Add(off), apigw.HeaderSignatureV2))
		if w.Code != http.StatusOK {
			t.Errorf("offset %s: status = %d, body %s", off, w.Code, w.Body)
		}
	}
}

// assertGatewayIDs checks the ids every gateway response carries.
func assertGatewayIDs(t *testing.T, h http.Header) {
	t.Helper()
	if h.Get(apigw.HeaderRequestID) == "" || h.Get(apigw.HeaderTraceID) == "" {
		t.Errorf("missing %s / %s headers: %v", apigw.HeaderRequestID, apigw.HeaderTraceID, h)
	}
}

// assertAuthFailed checks the exact 401 envelope and that details mention want.
func assertAuthFailed(t *testing.T, f *fixture, r *http.Request, want string) {
	t.Helper()
	w := f.do(r)
	if w.Code != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401; body %s", w.Code, w.Body)
	}
	var env apigw.ErrorEnvelope
	decodeJSON(t, w, &env)
	if env.Error.ErrorCode != "200" || env.Error.Message != "Authentication Failed" || env.Error.Details == "" {
		t.Errorf("envelope = %+v, want errorCode 200, message Authentication Failed, details", env)
	}
	if !strings.Contains(env.Error.Details, want) {
		t.Errorf("details = %q, want it to mention %q", env.Error.Details, want)
	}
	// The details never carry the access key in clear (issue 10 item 6).
	if ak := r.Header.Get(apigw.HeaderAccessKey); len(ak) > 3 && strings.Contains(env.Error.Details, ak) {
		t.Errorf("details = %q echo the access key %q", env.Error.Details, ak)
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	assertGatewayIDs(t, w.Header())
}

func TestGatewayAuthFailures(t *testing.T) {
	t.Parallel()
	without := func(h string) *http.Request {
		r := signed(http.MethodGet, "/vpc/v2/listItems", credA, fixedNow, apigw.HeaderSignatureV2)
		r.Header.Del(h)
		return r
	}
	tests := []struct {
		name string
		req  *http.Request
		want string
	}{
		{"missing timestamp", without(apigw.HeaderTimestamp), "missing header " + apigw.HeaderTimestamp},
		{"missing access key", without(apigw.HeaderAccessKey), "missing header " + apigw.HeaderAccessKey},
		{"missing signature", without(apigw.HeaderSignatureV2), "missing header " + apigw.HeaderSignatureV2},
		{"timestamp not a number", func() *http.Request {
			r := signed(http.MethodGet, "/vpc/v2/listItems", credA, fixedNow, apigw.HeaderSignatureV2)
			r.Header.Set(apigw.HeaderTimestamp, "2026-03-04T05:06:07Z")
			return r
		}(), "invalid header " + apigw.HeaderTimestamp},
		{"timestamp 6 min old", signed(http.MethodGet, "/vpc/v2/listItems", credA, fixedNow.Add(-6*time.Minute), apigw.HeaderSignatureV2), "timestamp out of range"},
		{"timestamp 6 min ahead", signed(http.MethodGet, "/vpc/v2/listItems", credA, fixedNow.Add(6*time.Minute), apigw.HeaderSignatureV1), "timestamp out of range"},
		{"unknown access key", signed(http.MethodGet, "/vpc/v2/listItems", Credential{AccessKey: "nobody", SecretKey: "x"}, fixedNow, apigw.HeaderSignatureV2), "unknown access key"},
		{"wrong secret", signed(http.MethodGet, "/vpc/v2/listItems", Credential{AccessKey: "AKA", SecretKey: "secret-b"}, fixedNow, apigw.HeaderSignatureV2), "signature mismatch"},
		{"method altered", func() *http.Request {
			r := signed(http.MethodGet, "/vpc/v2/listItems", credA, fixedNow, apigw.HeaderSignatureV2)
			r.Method = http.MethodPost
			return r
		}(), "signature mismatch"},
		{"query altered after signing", func() *http.Request {
			r := signed(http.MethodGet, "/vpc/v2/listItems?vpcNo=1", credA, fixedNow, apigw.HeaderSignatureV2)
			good := r.Header.Clone()
			r2 := signed(http.MethodGet, "/vpc/v2/listItems?vpcNo=2", credA, fixedNow, apigw.HeaderSignatureV2)
			r2.Header = good
			return r2
		}(), "signature mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, Options{})
			assertAuthFailed(t, f, tt.req, tt.want)
			if n := len(f.gw.requests()); n != 0 {
				t.Errorf("service saw %d requests, want none", n)
			}
			if got := f.srv.Calls()[OpAuthenticationFailed]; got != 1 {
				t.Errorf("calls[%s] = %d, want 1", OpAuthenticationFailed, got)
			}
		})
	}
}

func TestGatewayUnknownPathIsNotFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	w := f.do(signed(http.MethodGet, "/nosuch/v1/thing", credA, fixedNow, apigw.HeaderSignatureV2))
	if w.Code != http.StatusNotFound {
		t.Fatalf("status = %d, body %s", w.Code, w.Body)
	}
	var env apigw.ErrorEnvelope
	decodeJSON(t, w, &env)
	if env.Error.ErrorCode != apigw.CodeNotFound.Code || env.Error.Message != apigw.CodeNotFound.Message {
		t.Errorf("envelope = %+v", env)
	}
	assertGatewayIDs(t, w.Header())
	if len(f.s3.requests()) != 0 {
		t.Error("request with gateway headers reached the S3 service")
	}
}

func TestCrossAccountIsolation(t *testing.T) {
	t.Parallel()
	// credA2 is a second key of account acct-a.
	credA2 := Credential{AccessKey: "AKA2", SecretKey: "secret-a2", AccountID: "acct-a"}
	f := newFixture(t, Options{Credentials: []Credential{credA, credB, credA2}})
	for _, c := range []struct {
		cred Credential
		name string
	}{{credA, "a1"}, {credB, "b1"}, {credA2, "a2"}} {
		w := f.do(signed(http.MethodPost, "/vpc/v2/createItem?name="+c.name, c.cred, fixedNow, apigw.HeaderSignatureV2))
		if w.Code != http.StatusOK {
			t.Fatalf("create %s: %d %s", c.name, w.Code, w.Body)
		}
	}
	list := func(c Credential) (string, []string) {
		w := f.do(signed(http.MethodGet, "/vpc/v2/listItems", c, fixedNow, apigw.HeaderSignatureV2))
		var got struct {
			Account string   `json:"account"`
			Items   []string `json:"items"`
		}
		decodeJSON(t, w, &got)
		return got.Account, got.Items
	}
	if acct, items := list(credA); acct != "acct-a" || strings.Join(items, ",") != "a1,a2" {
		t.Errorf("account A sees %s %v, want acct-a [a1 a2]", acct, items)
	}
	if acct, items := list(credB); acct != "AKB" || strings.Join(items, ",") != "b1" {
		t.Errorf("account B sees %s %v, want AKB [b1]", acct, items)
	}
	seen := f.gw.requests()
	if seen[0].Account.ID == seen[1].Account.ID {
		t.Errorf("two credentials of different accounts got the same account %q", seen[0].Account.ID)
	}
	if seen[2].Account.ID != "acct-a" || seen[2].Account.AccessKey != "AKA2" {
		t.Errorf("shared-account key got %+v", seen[2].Account)
	}
}

func TestRouting(t *testing.T) {
	t.Parallel()
	sigv4 := "AWS4-HMAC-SHA256 Credential=AKA/20260304/kr-standard/s3/aws4_request, SignedHeaders=host, Signature=abc"
	tests := []struct {
		name    string
		method  string
		target  string
		headers map[string]string
		wantS3  bool
		status  int
	}{
		{"bucket named vpc with SigV4", http.MethodGet, "/vpc/v2/x", map[string]string{"Authorization": sigv4}, true, 200},
		{"bucket named vpc with SigV2", http.MethodPut, "/vpc", map[string]string{"Authorization": "AWS AKA:sig"}, true, 200},
		{"presigned URL under gateway prefix", http.MethodGet, "/vpc/v2/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKA%2F20260304", nil, true, 200},
		{"ordinary bucket without auth", http.MethodGet, "/mybucket/key", nil, true, 200},
		{"list buckets", http.MethodGet, "/", map[string]string{"Authorization": sigv4}, true, 200},
		{"gateway prefix without any auth", http.MethodGet, "/vpc/v2/listItems", nil, false, 401},
		{"gateway header on bucket path", http.MethodGet, "/mybucket", map[string]string{"x-ncp-apigw-timestamp": "1"}, false, 404},
		{"gateway header beats AWS auth", http.MethodGet, "/vpc/v2/listItems", map[string]string{"Authorization": sigv4, "X-Ncp-Iam-Access-Key": "AKA"}, false, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, Options{})
			r := httptestRequest(tt.method, tt.target, tt.headers)
			w := f.do(r)
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d; body %s", w.Code, tt.status, w.Body)
			}
			gotS3 := len(f.s3.requests()) == 1
			if gotS3 != tt.wantS3 {
				t.Errorf("reached S3 = %v, want %v", gotS3, tt.wantS3)
			}
			if tt.wantS3 && w.Body.String() != "s3" {
				t.Errorf("body = %q", w.Body)
			}
		})
	}
}

func TestS3CallsAttributedToAccount(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	f.do(httptestRequest(http.MethodGet, "/", map[string]string{
		"Authorization": "AWS4-HMAC-SHA256 Credential=AKA/20260304/KR/s3/aws4_request, SignedHeaders=host, Signature=abc",
	}))
	f.do(httptestRequest(http.MethodGet, "/b?AWSAccessKeyId=AKB&Signature=x", nil))
	f.do(httptestRequest(http.MethodGet, "/public/obj", nil))
	cc := f.srv.CallCounts()
	if cc.Total["objectstorage:GET"] != 3 {
		t.Errorf("total = %v", cc.Total)
	}
	if cc.Accounts["acct-a"]["objectstorage:GET"] != 1 || cc.Accounts["AKB"]["objectstorage:GET"] != 1 || len(cc.Accounts) != 2 {
		t.Errorf("accounts = %v", cc.Accounts)
	}
}

func TestNoS3ServiceAnswersNotImplemented(t *testing.T) {
	t.Parallel()
	srv, err := New(Options{Services: func(emu.Env) []emu.Service { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	w := httptestDo(srv, httptestRequest(http.MethodGet, "/bucket", nil))
	if w.Code != http.StatusNotImplemented || !strings.Contains(w.Body.String(), "<Code>NotImplemented</Code>") {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/xml" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestServicePanicBecomesUnexpectedError(t *testing.T) {
	t.Parallel()
	f := newFixture(t, Options{})
	w := f.do(signed(http.MethodGet, "/vpc/v2/panic", credA, fixedNow, apigw.HeaderSignatureV2))
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d", w.Code)
	}
	var env apigw.ErrorEnvelope
	decodeJSON(t, w, &env)
	if env.Error.ErrorCode != apigw.CodeUnexpectedError.Code || !strings.Contains(env.Error.Details, "fake failure") {
		t.Errorf("envelope = %+v", env)
	}
	// The panic is recorded, so that a test that did not expect it fails.
	if p := f.srv.TakePanics(); len(p) != 1 || !strings.Contains(p[0], "fake failure") {
		t.Errorf("recorded panics %q", p)
	}
	// The server keeps serving.
	if w := f.do(signed(http.MethodGet, "/vpc/v2/listItems", credA, fixedNow, apigw.HeaderSignatureV2)); w.Code != 200 {
		t.Errorf("after panic: %d", w.Code)
	}
}

func TestMatchPrefix(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path, prefix string
		want         bool
	}{
		{"/vpc/v2/createVpc", "/vpc/v2/", true},
		{"/vpc/v2", "/vpc/v2/", true},
		{"/vpc/v2x", "/vpc/v2/", false},
		{"/vpc/v2x", "/vpc/v2", false},
		{"/vpc/v2/a", "/vpc/v2", true},
		{"/vpc/v2", "/vpc/v2", true},
		{"/api/v2/category/1", "/api/v2/category", true},
		{"/api/v2/categoryx", "/api/v2/category", false},
	}
	for _, tt := range tests {
		if got := matchPrefix(tt.path, tt.prefix); got != tt.want {
			t.Errorf("matchPrefix(%q, %q) = %v, want %v", tt.path, tt.prefix, got, tt.want)
		}
	}
}

// TestSignatureMismatchDetails: the details of a signature mismatch show
// the string to sign up to the access key, and the key only partly.
func TestSignatureMismatchDetails(t *testing.T) {
	t.Parallel()
	cred := Credential{AccessKey: "ncplocal-access-key", SecretKey: "right"}
	f := newFixture(t, Options{Credentials: []Credential{cred}})
	r := signed(http.MethodGet, "/vpc/v2/listItems?x=1", Credential{AccessKey: cred.AccessKey, SecretKey: "wrong"}, fixedNow, apigw.HeaderSignatureV2)
	w := f.do(r)
	var env apigw.ErrorEnvelope
	decodeJSON(t, w, &env)
	want := `signature mismatch: the string to sign was "GET /vpc/v2/listItems?x=1\n` + apigw.Timestamp(fixedNow) + `\n" followed by the access key (ncpl… 19 characters)`
	if env.Error.Details != want {
		t.Errorf("details\n%s\nwant\n%s", env.Error.Details, want)
	}
}
