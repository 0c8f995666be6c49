package globaledge_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

var (
	alice = ncplocal.Credential{AccessKey: "alice-ak", SecretKey: "alice-sk", AccountID: "alice"}
	bob   = ncplocal.Credential{AccessKey: "bob-ak", SecretKey: "bob-sk", AccountID: "bob"}
)

// delay is every transition's duration in these tests; the clock is moved
// by hand.
const delay = time.Second

type fixture struct {
	t     *testing.T
	srv   *ncplocal.Server
	svc   *globaledge.Service
	clock *emu.ManualClock
}

func start(t *testing.T, opts ...func(*ncplocal.Options)) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: emu.NewManualClock(time.Now(), delay)}
	o := ncplocal.Options{
		Credentials: []ncplocal.Credential{alice, bob},
		AsyncDelay:  delay,
		Now:         f.clock.Now,
		Services: func(env emu.Env) []emu.Service {
			f.svc = globaledge.New(env)
			return []emu.Service{f.svc}
		},
	}
	for _, fn := range opts {
		fn(&o)
	}
	f.srv = ncplocal.StartTest(t, o)
	return f
}

// advance moves the clock past one transition.
func (f *fixture) advance() { f.clock.Advance(delay + time.Millisecond) }

type answer struct {
	status  int
	code    string
	message string
	result  json.RawMessage
	body    string
}

// call sends one request signed for cred.
func (f *fixture) call(cred ncplocal.Credential, method, uri, body string) answer {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL()+uri, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	stamp := apigw.Timestamp(f.clock.Now())
	req.Header.Set(apigw.HeaderTimestamp, stamp)
	req.Header.Set(apigw.HeaderAccessKey, cred.AccessKey)
	req.Header.Set(apigw.HeaderSignatureV2, apigw.Sign(method, req.URL.RequestURI(), stamp, cred.AccessKey, cred.SecretKey))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var env struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Result  json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		f.t.Fatalf("%s %s: not JSON: %s", method, uri, b)
	}
	return answer{status: resp.StatusCode, code: env.Code, message: env.Message, result: env.Result, body: string(b)}
}

// ok calls and expects success, decoding the result into out (may be nil).
func (f *fixture) ok(cred ncplocal.Credential, method, uri, body string, out any) {
	f.t.Helper()
	a := f.call(cred, method, uri, body)
	if a.status != 200 || a.code != wire.CodeSuccess || a.message != "Success" {
		f.t.Fatalf("%s %s: %d %s", method, uri, a.status, a.body)
	}
	if out != nil {
		if err := json.Unmarshal(a.result, out); err != nil {
			f.t.Fatalf("%s %s: result %s: %v", method, uri, a.result, err)
		}
	}
}

// fails calls and expects HTTP status and code, with details (the result
// string) containing each of says.
func (f *fixture) fails(cred ncplocal.Credential, method, uri, body string, status int, code string, says ...string) {
	f.t.Helper()
	a := f.call(cred, method, uri, body)
	if a.status != status || a.code != code {
		f.t.Fatalf("%s %s: got %d %s, want %d code %s", method, uri, a.status, a.body, status, code)
	}
	for _, s := range says {
		if !strings.Contains(string(a.result), s) {
			f.t.Errorf("%s %s: %s does not say %q", method, uri, a.body, s)
		}
	}
}

func (f *fixture) createProfile(cred ncplocal.Credential, name string) int64 {
	f.t.Helper()
	var out wire.ProfileCreated
	f.ok(cred, "POST", "/api/v1/profile", `{"name":"`+name+`"}`, &out)
	return out.ProfileID
}

// edgeBody is the documented create body (ncp-api.md §3.3) for profile
// and name, changed by edit.
func edgeBody(t *testing.T, profileID int64, name string, edit func(*wire.EdgeConfig)) string {
	t.Helper()
	var cfg wire.EdgeConfig
	if err := json.Unmarshal([]byte(docBody), &cfg); err != nil {
		t.Fatal(err)
	}
	cfg.ProfileID, cfg.EdgeName = profileID, name
	if edit != nil {
		edit(&cfg)
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (f *fixture) createEdge(cred ncplocal.Credential, profileID int64, name string) int64 {
	f.t.Helper()
	var out wire.EdgeCreated
	f.ok(cred, "POST", "/api/v1/cdn-edge", edgeBody(f.t, profileID, name, nil), &out)
	return out.EdgeID
}

func (f *fixture) status(cred ncplocal.Credential, id int64) string {
	f.t.Helper()
	var st string
	f.ok(cred, "GET", "/api/v1/cdn-edges/"+itoa(id)+"/status", "", &st)
	return st
}

func (f *fixture) wantStatus(cred ncplocal.Credential, id int64, want string) {
	f.t.Helper()
	if got := f.status(cred, id); got != want {
		f.t.Fatalf("edge %d is %s, want %s", id, got, want)
	}
}

func itoa(n int64) string { return jsonNumber(n) }

func jsonNumber(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func ids(list ...int64) string {
	b, _ := json.Marshal(wire.EdgeIDs{Edges: list})
	return string(b)
}

// docBody is the edge create example of ncp-api.md §3.3.
const docBody = `{
  "profileId": 4210,
  "edgeName": "edge001",
  "distributionConfig": {
    "protocolType": "HTTPS",
    "regionType": "KOREA",
    "serviceDomain": {"domainType": "NCP_DOMAIN_AUTO", "domainName": null, "certificate": null},
    "edgeLogging": {"enabled": false}
  },
  "originalCopyConfig": {
    "originalCopyLocation": {"type": "OBJECT_STORAGE", "region": "KR", "bucketName": "mybucket", "customLocation": null},
    "forwardHostHeader": {"type": "INCOMING_HOST_HEADER", "customHostHeader": null},
    "originalCopyProtocol": {"type": "HTTP", "port": 80},
    "originalCopyPath": null
  },
  "cachingConfig": {
    "defaultCaching": {"enabled": true, "ruleDefinitionType": "CACHING",
                       "cacheRevalidateConfig": {"type": "IF_POSSIBLE", "ageType": "DAYS", "age": 7}},
    "negativeTtl": true,
    "bypassQueryString": {"enabled": false},
    "cacheKeyHostname": "INCOMING_HOST_HEADER",
    "cacheKeyIgnoreQueryString": {"type": "ALL_ALLOWED"},
    "removeVaryHeader": true,
    "edgeAuth": {"enabled": false},
    "cachingRules": []
  },
  "managedRule": {"cors": false, "http2": true, "trueClientIpHeader": false, "hsts": false},
  "headerPolicies": [],
  "optimizationConfig": {"httpCompression": true, "largeFileOptimization": true,
                         "headerMaxSize": {"singleSize": "SIZE_16KB", "totalSize": "SIZE_32KB"}},
  "accessControl": {"type": "WHITELIST", "ipPolicies": [], "geoPolicies": [], "refererPolicies": []}
}`
