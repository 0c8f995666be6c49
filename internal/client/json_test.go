package client

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// testContentAPI and testResultAPI are the two envelope styles with every
// endpoint at the test server (the endpoint is taken from the client's
// configuration).
var (
	testContentAPI = &API{
		Service: "content", Endpoint: func(e Endpoints) string { return e.VODStation }, Envelope: EnvelopeContent,
		ErrorKinds:     map[string]Kind{"260004": KindNotFound},
		KindOf:         func(_, msg string) (Kind, bool) { return KindNotFound, strings.HasSuffix(msg, "_NOT_FOUND") },
		RetryableCodes: []string{"80031"},
	}
	testResultAPI = &API{
		Service: "result", Endpoint: func(e Endpoints) string { return e.GlobalEdge }, Envelope: EnvelopeResult,
		ErrorKinds: map[string]Kind{"0040": KindValidation, "0101": KindConflict},
	}
)

func jsonClient(t *testing.T, srvURL string) *Client {
	t.Helper()
	return newTestClient(t, func(cfg *Config) {
		cfg.Endpoints = Endpoints{VODStation: srvURL, GlobalEdge: srvURL, CloudFunctions: srvURL}
	})
}

// reply answers with a status and a JSON body ("" for none).
func reply(w http.ResponseWriter, status int, body string) {
	if body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func TestDoJSONRequest(t *testing.T) {
	t.Parallel()
	type seen struct {
		method, uri, contentType, body string
		sigErr                         error
	}
	got := make(chan seen, 1)
	srv, _ := server(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.RequestURI, r.Header.Get("Content-Type"), string(b), verifySignature(r)}
		reply(w, http.StatusNoContent, "")
	})
	c := jsonClient(t, srv.URL)
	resp, err := c.DoJSON(context.Background(), &JSONRequest{
		API: testContentAPI, Operation: "unlinkAction", Method: http.MethodDelete,
		Path:       "/ncf/api/v2/triggers/{triggerName}/link-action",
		PathParams: []string{"nightly stop/../x?y#z%"},
		Query:      url.Values{"platform": {"vpc"}},
		Body:       map[string]string{"action": "a<b>&c", "package": "-"},
	}, nil)
	if err != nil {
		t.Fatalf("DoJSON: %v", err)
	}
	if !resp.NoContent || resp.StatusCode != http.StatusNoContent || resp.Total != -1 {
		t.Errorf("response %+v", resp)
	}
	s := <-got
	if s.sigErr != nil {
		t.Errorf("signature: %v", s.sigErr)
	}
	if want := "/ncf/api/v2/triggers/nightly%20stop%2F..%2Fx%3Fy%23z%25/link-action?platform=vpc"; s.uri != want {
		t.Errorf("request URI %s, want %s", s.uri, want)
	}
	if s.method != http.MethodDelete || s.contentType != "application/json" ||
		s.body != `{"action":"a<b>&c","package":"-"}` {
		t.Errorf("got %s %q %q", s.method, s.contentType, s.body)
	}
}

func TestDoJSONContentEnvelope(t *testing.T) {
	t.Parallel()
	type category struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	tests := []struct {
		name      string
		method    string
		status    int
		body      string
		wantErr   func(error) bool
		wantTotal int
		wantItems int
	}{
		{"list with total", "GET", 200, `{"content":[{"id":1,"name":"a"},{"id":2,"name":"b"}],"total":30}`, nil, 30, 2},
		{"empty list", "GET", 200, `{"content":[],"total":0}`, nil, 0, 0},
		{"null content", "DELETE", 200, `{"content":null}`, nil, -1, 0},
		{"no content on a read", "GET", 200, `{"contents":[]}`, func(err error) bool { return !IsAmbiguous(err) && err != nil }, -1, 0},
		{"no content on a create", "POST", 201, `{"id":1}`, IsAmbiguous, -1, 0},
		{"not JSON", "POST", 200, `<html>ok</html>`, IsAmbiguous, -1, 0},
		{"wrong payload type", "GET", 200, `{"content":"x"}`, func(err error) bool { return err != nil }, -1, 0},
		{"error envelope under 200", "GET", 200, `{"error":{"errorCode":"260004","message":"not found"}}`, IsNotFound, -1, 0},
		{"gateway 404", "GET", 404, `{"error":{"errorCode":"300","message":"Not Found Exception"}}`, IsNotFound, -1, 0},
		{"service code", "GET", 400, `{"error":{"errorCode":"260004","message":"Not Found"}}`, IsNotFound, -1, 0},
		{"message name", "GET", 400, `{"error":{"errorCode":"80999","message":"TRIGGER_NOT_FOUND"}}`, IsNotFound, -1, 0},
		{"auth", "GET", 401, `{"error":{"errorCode":"210","message":"Permission Denied"}}`, IsAuth, -1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := server(t, func(_ int, w http.ResponseWriter, r *http.Request) { reply(w, tc.status, tc.body) })
			var out []category
			resp, err := jsonClient(t, srv.URL).DoJSON(context.Background(),
				&JSONRequest{API: testContentAPI, Operation: "op", Method: tc.method, Path: "/api/v2/category"}, &out)
			if tc.wantErr != nil {
				if !tc.wantErr(err) {
					t.Fatalf("got %v (%#v)", err, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("DoJSON: %v", err)
			}
			if resp.Total != tc.wantTotal || len(out) != tc.wantItems || string(resp.Body) != tc.body {
				t.Errorf("total %d, %d items %+v, body %q", resp.Total, len(out), out, resp.Body)
			}
		})
	}
}

func TestDoJSONResultEnvelope(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		status  int
		body    string
		want    string // the decoded result, re-encoded
		kind    Kind
		code    string
		details string
	}{
		{"object", 200, `{"code":"0000","message":"Success","result":{"profileId":1836}}`, `{"profileId":1836}`, 0, "", ""},
		{"string", 200, `{"code":"0000","message":"Success","result":"RUNNING"}`, `"RUNNING"`, 0, "", ""},
		{"no result", 200, `{"code":"0000","message":"Success"}`, `null`, 0, "", ""},
		{"failure code under 200", 200, `{"code":"0101","message":"a Profile with the same name exists","result":null}`, "", KindConflict, "0101", ""},
		{"unlisted failure code under 200", 200, `{"code":"0999","message":"odd"}`, "", KindUnknown, "0999", ""},
		{"validation with details", 400, `{"code":"0040","message":"Field validation Error","result":[{"field":"edgeName"}]}`, "", KindValidation, "0040", `[{"field":"edgeName"}]`},
		{"numeric code", 400, `{"code":101,"message":"dup","result":"name taken"}`, "", KindValidation, "101", "name taken"},
		{"server", 500, `{"code":"9999","message":"Unknown Error"}`, "", KindServer, "9999", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := server(t, func(_ int, w http.ResponseWriter, r *http.Request) { reply(w, tc.status, tc.body) })
			var out any
			_, err := jsonClient(t, srv.URL).DoJSON(context.Background(),
				&JSONRequest{API: testResultAPI, Operation: "op", Path: "/api/v1/profiles"}, &out)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("DoJSON: %v", err)
				}
				if b, _ := json.Marshal(out); string(b) != tc.want {
					t.Errorf("result %s, want %s", b, tc.want)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != tc.kind || e.Code != tc.code || e.Details != tc.details || e.HTTPStatus != tc.status {
				t.Fatalf("got %#v (%v), want kind %v code %s details %q", e, err, tc.kind, tc.code, tc.details)
			}
		})
	}
}

func TestDoJSONIdempotency(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		method      string
		idempotency Idempotency
		attempts    int32
		ambiguous   bool
	}{
		{"PUT by method", "PUT", ByMethod, 4, false},
		{"PUT not idempotent", "PUT", NotIdempotent, 1, true},
		{"POST by method", "POST", ByMethod, 1, true},
		{"POST idempotent", "POST", Idempotent, 4, false},
		{"DELETE by method", "DELETE", ByMethod, 4, false},
		{"GET cannot be made unsafe", "GET", NotIdempotent, 4, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, hits := server(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				reply(w, http.StatusServiceUnavailable, `{"error":{"errorCode":"500","message":"Endpoint Error"}}`)
			})
			_, err := jsonClient(t, srv.URL).DoJSON(context.Background(), &JSONRequest{API: testContentAPI, Operation: "op",
				Method: tc.method, Path: "/x", Body: struct{}{}, Idempotency: tc.idempotency}, nil)
			if err == nil || IsAmbiguous(err) != tc.ambiguous || hits.Load() != tc.attempts {
				t.Errorf("got %v (ambiguous %v) after %d attempts; want ambiguous %v after %d",
					err, IsAmbiguous(err), hits.Load(), tc.ambiguous, tc.attempts)
			}
		})
	}
}

func TestDoJSONRetryableCodes(t *testing.T) {
	t.Parallel()
	srv, hits := server(t, func(hit int, w http.ResponseWriter, r *http.Request) {
		switch hit {
		case 1:
			reply(w, 400, `{"error":{"errorCode":"80031","message":"<p>Please try again in a few minutes.</p>"}}`)
		case 2:
			reply(w, 400, `{"error":{"errorCode":"77","message":"later"}}`)
		default:
			reply(w, 200, `{"content":{"name":"p"}}`)
		}
	})
	var out struct{ Name string }
	_, err := jsonClient(t, srv.URL).DoJSON(context.Background(), &JSONRequest{API: testContentAPI, Operation: "putPackage",
		Method: "PUT", Path: "/ncf/api/v2/packages/{p}", PathParams: []string{"p"}, Body: struct{}{},
		Idempotency: NotIdempotent, RetryableCodes: []string{"77"}}, &out)
	if err != nil || out.Name != "p" || hits.Load() != 3 {
		t.Errorf("got %v, %+v after %d attempts; want success after 3", err, out, hits.Load())
	}
}

func TestDoJSONBadRequests(t *testing.T) {
	t.Parallel()
	c := jsonClient(t, "http://127.0.0.1:1")
	for name, req := range map[string]*JSONRequest{
		"nil API":           {Path: "/x"},
		"unencodable body":  {API: testContentAPI, Path: "/x", Body: func() {}},
		"empty path param":  {API: testContentAPI, Path: "/a/{id}", PathParams: []string{""}},
		"missing param":     {API: testContentAPI, Path: "/a/{id}/{b}", PathParams: []string{"1"}},
		"relative path":     {API: testContentAPI, Path: "a"},
		"no endpoint":       {API: &API{Service: "x", Envelope: EnvelopeContent}, Path: "/x"},
		"dot-dot parameter": {API: testContentAPI, Path: "/a/{id}", PathParams: []string{".."}},
	} {
		if _, err := c.DoJSON(context.Background(), req, nil); err == nil {
			t.Errorf("%s: accepted", name)
		} else if req.API != nil && !IsValidation(err) {
			t.Errorf("%s: %v is not a validation error", name, err)
		}
	}
	if _, err := c.DoJSON(context.Background(), nil, nil); err == nil {
		t.Error("nil request accepted")
	}
}

func TestBuildPath(t *testing.T) {
	t.Parallel()
	good := []struct {
		template string
		params   []string
		want     string
	}{
		{"/api/v2/category", nil, "/api/v2/category"},
		{"/api/v2/category/{categoryId}/add-files", []string{"42"}, "/api/v2/category/42/add-files"},
		{"/ncf/api/v2/packages/{p}/actions/{a}", []string{"-", "my_action"}, "/ncf/api/v2/packages/-/actions/my_action"},
		{"/x/{a}", []string{"a/b"}, "/x/a%2Fb"},
		{"/x/{a}", []string{"한글 이름"}, "/x/%ED%95%9C%EA%B8%80%20%EC%9D%B4%EB%A6%84"},
		{"/x/{a}", []string{"..."}, "/x/..."},
		{"/x/{a}.json", []string{"v"}, "/x/v.json"},
	}
	for _, tc := range good {
		got, err := BuildPath(tc.template, tc.params...)
		if err != nil || got != tc.want {
			t.Errorf("BuildPath(%q, %q) = %q, %v; want %q", tc.template, tc.params, got, err, tc.want)
		}
		// The escaped path parses back to the same segments.
		if err == nil {
			if _, perr := url.Parse("https://h" + got); perr != nil {
				t.Errorf("BuildPath(%q) = %q does not parse: %v", tc.template, got, perr)
			}
		}
	}
	bad := []struct {
		template string
		params   []string
	}{
		{"x/{a}", []string{"1"}},
		{"/x/{a}", nil},
		{"/x", []string{"1"}},
		{"/x/{a}", []string{""}},
		{"/x/{a}", []string{"."}},
		{"/x/{a}", []string{".."}},
		{"/x/{}", []string{"1"}},
		{"/x/{a", []string{"1"}},
		{"/x/{a/b}", []string{"1"}},
	}
	for _, tc := range bad {
		if got, err := BuildPath(tc.template, tc.params...); err == nil {
			t.Errorf("BuildPath(%q, %q) = %q, want an error", tc.template, tc.params, got)
		}
	}
}
