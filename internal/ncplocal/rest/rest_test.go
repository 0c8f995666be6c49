package rest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/rest"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

var cred = ncplocal.DefaultCredential

// fixture is a server running the three test services.
type fixture struct {
	t   *testing.T
	srv *ncplocal.Server
}

func start(t *testing.T, opts ncplocal.Options) *fixture {
	t.Helper()
	opts.Services = func(env emu.Env) []emu.Service {
		return []emu.Service{newChannels(env), newPackages(env), newProfiles()}
	}
	return &fixture{t: t, srv: ncplocal.StartTest(t, opts)}
}

// answer is one response.
type answer struct {
	status int
	header http.Header
	body   string
}

// call sends one request signed for cred, with an optional JSON body.
func (f *fixture) call(method, uri, body string) answer {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL()+uri, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	stamp := apigw.Timestamp(time.Now())
	req.Header.Set(apigw.HeaderTimestamp, stamp)
	req.Header.Set(apigw.HeaderAccessKey, cred.AccessKey)
	req.Header.Set(apigw.HeaderSignatureV2, apigw.Sign(method, req.URL.RequestURI(), stamp, cred.AccessKey, cred.SecretKey))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// gatewayError decodes a gateway error envelope.
func gatewayError(t *testing.T, a answer, status int, code string, says ...string) {
	t.Helper()
	var env apigw.ErrorEnvelope
	if err := json.Unmarshal([]byte(a.body), &env); err != nil || a.status != status || env.Error.ErrorCode != code {
		t.Fatalf("got %d %s, want HTTP %d errorCode %s", a.status, a.body, status, code)
	}
	for _, s := range says {
		if !strings.Contains(env.Error.Details, s) {
			t.Errorf("details %q do not mention %q", env.Error.Details, s)
		}
	}
}

func TestContentEnvelopeAndLifecycle(t *testing.T) {
	t.Parallel()
	f := start(t, ncplocal.Options{AsyncDelay: time.Hour})
	if err := f.srv.Transitions().Set(emu.TransitionSetting{Kind: "vodlike/channel", Transition: "create", Progression: emu.ProgressManual}); err != nil {
		t.Fatal(err)
	}
	a := f.call(http.MethodPost, "/api/v2/channels", `{"name":"ch-one","protocolList":["HLS"],"segmentDuration":5}`)
	var created struct {
		Content struct {
			ID            string `json:"id"`
			ChannelStatus string `json:"channelStatus"`
		} `json:"content"`
	}
	if err := json.Unmarshal([]byte(a.body), &created); err != nil || a.status != 200 || created.Content.ChannelStatus != "CREATING" ||
		!strings.HasPrefix(created.Content.ID, "vs-") || len(created.Content.ID) != len("vs-20250821095732-0000001") {
		t.Fatalf("create: %d %s", a.status, a.body)
	}
	if a.header.Get(apigw.HeaderRequestID) == "" || !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
		t.Errorf("headers %v", a.header)
	}
	id := created.Content.ID

	// Stop is refused while CREATING, with the service's code.
	a = f.call(http.MethodPut, "/api/v2/channels/"+id+"/stop", "")
	gatewayError(t, a, 400, "260023", "CREATING")
	// Advance it through the admin API, then stop it.
	if _, err := f.srv.Advance(emu.AdvanceFilter{Kind: "vodlike/channel", ID: id}); err != nil {
		t.Fatal(err)
	}
	if a = f.call(http.MethodPut, "/api/v2/channels/"+id+"/stop", ""); a.status != 200 || !strings.Contains(a.body, `"channelStatus":"STOPPING"`) {
		t.Errorf("stop: %d %s", a.status, a.body)
	}

	for range 2 {
		f.call(http.MethodPost, "/api/v2/channels", `{"name":"more","protocolList":["DASH"]}`)
	}
	if a = f.call(http.MethodGet, "/api/v2/channels?pageNo=2&pageSizeNo=2", ""); a.status != 200 ||
		!strings.HasSuffix(a.body, `],"total":3}`) || strings.Count(a.body, `"id"`) != 1 {
		t.Errorf("page 2: %s", a.body)
	}
	if a = f.call(http.MethodGet, "/api/v2/channels?pageNo=2147483647&pageSizeNo=2147483647", ""); a.status != 200 || a.body != `{"content":[],"total":3}` {
		t.Errorf("far page: %s", a.body)
	}
	gatewayError(t, f.call(http.MethodGet, "/api/v2/channels?pageNo=9223372036854775807", ""), 400, "260033", "pageNo")
	gatewayError(t, f.call(http.MethodGet, "/api/v2/channels?pageNo=0", ""), 400, "260033", "pageNo")
	gatewayError(t, f.call(http.MethodGet, "/api/v2/channels/vs-none", ""), 404, "260004", "vs-none")

	// Calls are counted under the routes' operations.
	calls := f.srv.Calls()
	if calls["vodlike:createChannel"] != 3 || calls["vodlike:stopChannel"] != 2 || calls["vodlike:listChannels"] != 4 || calls["vodlike:getChannel"] != 1 {
		t.Errorf("calls %v", calls)
	}
}

func TestStrictBodies(t *testing.T) {
	t.Parallel()
	f := start(t, ncplocal.Options{})
	for name, tc := range map[string]struct{ body, says string }{
		"empty":         {" ", "empty"},
		"not an object": {`["x"]`, "must be a JSON object"},
		"wrong type":    {`{"name":"x","protocolList":"HLS"}`, "field protocolList: cannot use JSON string as array"},
		"nested type":   {`{"name":"x","protocolList":[1]}`, "field protocolList"},
		"unknown field": {`{"name":"x","channelName":"y"}`, `unknown field "channelName"`},
		"syntax":        {`{"name":`, "ends too early"},
		"bad syntax":    {`{"name" "x"}`, "invalid JSON at byte"},
		"trailing":      {`{"name":"x"} {}`, "unexpected data"},
	} {
		t.Run(name, func(t *testing.T) {
			gatewayError(t, f.call(http.MethodPost, "/api/v2/channels", tc.body), 400, "260033", tc.says)
		})
	}
	// Content-Type must say JSON.
	req, _ := http.NewRequest(http.MethodPut, f.srv.URL()+"/ncf/api/v2/packages/p", strings.NewReader("a=b"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	stamp := apigw.Timestamp(time.Now())
	req.Header.Set(apigw.HeaderTimestamp, stamp)
	req.Header.Set(apigw.HeaderAccessKey, cred.AccessKey)
	req.Header.Set(apigw.HeaderSignatureV2, apigw.Sign(http.MethodPut, "/ncf/api/v2/packages/p", stamp, cred.AccessKey, cred.SecretKey))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	gatewayError(t, answer{status: resp.StatusCode, body: string(b)}, 400, apigw.CodeBadRequest.Code, "Content-Type")
	// The default InvalidBody is the gateway's Bad Request; a body over the
	// limit is the gateway's 413.
	gatewayError(t, f.call(http.MethodPut, "/ncf/api/v2/packages/p", `{"descr":1}`), 400, apigw.CodeBadRequest.Code, `unknown field "descr"`)
	gatewayError(t, f.call(http.MethodPut, "/ncf/api/v2/packages/p", `{"description":"`+strings.Repeat("x", rest.DefaultMaxBodyBytes)+`"}`), 413, apigw.CodeRequestEntityTooLarge.Code)
}

func TestRoutingOnOneListener(t *testing.T) {
	t.Parallel()
	f := start(t, ncplocal.Options{})
	// The same /api/v2 prefix, disjoint resources, v2.0 and v2.1 paths.
	if a := f.call(http.MethodPut, "/api/v2/packages/p1", `{"description":"d"}`); a.status != 200 || a.body != `{"content":{"name":"p1","description":"d"}}` {
		t.Errorf("v2.0 put: %d %s", a.status, a.body)
	}
	if a := f.call(http.MethodGet, "/ncf/api/v2/packages/p1?platform=vpc", ""); a.status != 200 || !strings.Contains(a.body, `"name":"p1"`) {
		t.Errorf("v2.1 get: %d %s", a.status, a.body)
	}
	if a := f.call(http.MethodDelete, "/ncf/api/v2/packages/p1", ""); a.status != 204 || a.body != "" {
		t.Errorf("delete: %d %q", a.status, a.body)
	}
	gatewayError(t, f.call(http.MethodGet, "/api/v2/packages/p1", ""), 404, "80101")
	// Path parameters are unescaped.
	if a := f.call(http.MethodGet, "/api/v2/category/a%2Fb", ""); a.body != `{"content":{"id":"a/b"}}` {
		t.Errorf("escaped parameter: %s", a.body)
	}
	// A literal segment beats a parameter.
	if a := f.call(http.MethodGet, "/api/v1/profiles/validation?name=taken", ""); a.body != `{"code":"0000","message":"Success","result":false}` {
		t.Errorf("literal route: %s", a.body)
	}
	// Result envelope: lists and errors.
	if a := f.call(http.MethodGet, "/api/v1/profiles", ""); a.body != `{"code":"0000","message":"Success","result":[{"id":1599,"profileName":"myprofile"}]}` {
		t.Errorf("edge list: %s", a.body)
	}
	if a := f.call(http.MethodGet, "/api/v1/profiles/7", ""); a.status != 403 || a.body != `{"code":"0032","message":"request not allowed","result":null}` {
		t.Errorf("edge error: %d %s", a.status, a.body)
	}
	// Unknown paths and methods under a service's prefix are the
	// gateway's 404; a path no service claims is too.
	gatewayError(t, f.call(http.MethodPost, "/api/v2/channels/x", ""), 404, apigw.CodeNotFound.Code, "takes GET")
	gatewayError(t, f.call(http.MethodGet, "/api/v2/channels/x/y/z", ""), 404, apigw.CodeNotFound.Code)
	gatewayError(t, f.call(http.MethodGet, "/api/v2/channels//x", ""), 404, apigw.CodeNotFound.Code)
	gatewayError(t, f.call(http.MethodGet, "/api/v2/encoding-option", ""), 404, apigw.CodeNotFound.Code)
	// A handler bug is the gateway's unexpected error, never a silent 200.
	gatewayError(t, f.call(http.MethodGet, "/api/v2/category/c/broken", ""), 500, apigw.CodeUnexpectedError.Code, "a bug")
	gatewayError(t, f.call(http.MethodGet, "/api/v2/category/c/silent", ""), 500, apigw.CodeUnexpectedError.Code, "wrote no answer")
}

func TestFaultsAndDurability(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f := start(t, ncplocal.Options{DataDir: dir})
	if err := f.srv.SetFaults([]ncplocal.FaultRule{{Pattern: "^/ncf/", Rate: 1, Kinds: []string{"service"}}}); err != nil {
		t.Fatal(err)
	}
	a := f.call(http.MethodPut, "/ncf/api/v2/packages/p", `{}`)
	gatewayError(t, a, 400, "80031")
	if a.header.Get(apigw.HeaderRequestID) == "" {
		t.Error("a service fault lacks the gateway headers")
	}
	if err := f.srv.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	if a := f.call(http.MethodPut, "/ncf/api/v2/packages/p", `{"parameters":{"k":"v"}}`); a.status != 200 {
		t.Fatalf("put: %d %s", a.status, a.body)
	}
	ch := f.call(http.MethodPost, "/api/v2/channels", `{"name":"kept","protocolList":["HLS"]}`)
	ncplocal.Abandon(f.srv) // kill -9 after the answers

	g := start(t, ncplocal.Options{DataDir: dir})
	if a := g.call(http.MethodGet, "/api/v2/packages/p", ""); a.status != 200 || !strings.Contains(a.body, `"parameters":{"k":"v"}`) {
		t.Errorf("package after the kill: %d %s", a.status, a.body)
	}
	var created struct {
		Content struct{ ID string } `json:"content"`
	}
	_ = json.Unmarshal([]byte(ch.body), &created)
	if a := g.call(http.MethodGet, "/api/v2/channels/"+created.Content.ID, ""); a.status != 200 {
		t.Errorf("channel after the kill: %d %s", a.status, a.body)
	}
	// The channel sequence continues: no ID is handed out twice.
	next := g.call(http.MethodPost, "/api/v2/channels", `{"name":"next","protocolList":["HLS"]}`)
	if strings.Contains(next.body, created.Content.ID[len(created.Content.ID)-7:]+`"`) {
		t.Errorf("ID reused: %s after %s", next.body, created.Content.ID)
	}
}

func TestHandleRefusesBadRoutes(t *testing.T) {
	t.Parallel()
	for name, fn := range map[string]func(rt *rest.Router){
		"no method":      func(rt *rest.Router) { rt.Handle("/api/v1/x", "x", okHandler) },
		"outside prefix": func(rt *rest.Router) { rt.Handle("GET /api/v2/x", "x", okHandler) },
		"no operation":   func(rt *rest.Router) { rt.Handle("GET /api/v1/x", "", okHandler) },
		"repeated": func(rt *rest.Router) {
			rt.Handle("GET /api/v1/x/{a}", "x", okHandler)
			rt.Handle("GET /api/v1/x/{b}", "y", okHandler)
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Handle accepted it")
				}
			}()
			fn(rest.NewRouter("s", rest.Result, "/api/v1"))
		})
	}
}

func okHandler(c *rest.Call) error { return c.OK(nil) }

func TestPage(t *testing.T) {
	t.Parallel()
	items := []int{1, 2, 3, 4, 5}
	for _, tc := range []struct {
		no, size int
		want     int
	}{{1, 2, 2}, {3, 2, 1}, {4, 2, 0}, {0, 2, 0}, {1, 0, 0}, {1 << 62, 4, 0}, {2, 1 << 62, 0}} {
		if got := rest.Page(items, tc.no, tc.size); len(got) != tc.want {
			t.Errorf("Page(%d, %d) = %v", tc.no, tc.size, got)
		}
	}
}
