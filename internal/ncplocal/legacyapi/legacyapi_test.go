package legacyapi

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
)

func TestPaginate(t *testing.T) {
	t.Parallel()
	items := []int{1, 2, 3, 4, 5}
	cases := []struct {
		page Page
		want []int
	}{
		{Page{}, []int{1, 2, 3, 4, 5}},
		{Page{No: 0, Size: 2}, []int{1, 2}},
		{Page{No: 1, Size: 2}, []int{1, 2}},
		{Page{No: 3, Size: 2}, []int{5}},
		{Page{No: 4, Size: 2}, []int{}},
		{Page{No: 1, Size: 10}, []int{1, 2, 3, 4, 5}},
		// Page numbers whose offset overflows an int (issue 10 item 1).
		{Page{No: math.MaxInt, Size: 2}, []int{}},
		{Page{No: 1 << 62, Size: 4}, []int{}},
		{Page{No: math.MaxInt, Size: math.MaxInt}, []int{}},
		// A size whose page count overflows: one page holds everything.
		{Page{No: 1, Size: math.MaxInt - 1}, []int{1, 2, 3, 4, 5}},
		{Page{No: 2, Size: math.MaxInt - 1}, []int{}},
	}
	for _, tc := range cases {
		if got := Paginate(items, tc.page); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%+v: got %v, want %v", tc.page, got, tc.want)
		}
	}
}

// TestPageRefusesHugeNumbers: a pageNo beyond the documented Integer range
// is a validation error naming the parameter, never a panic or a wrapped
// offset.
func TestPageRefusesHugeNumbers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ no, size string }{
		{"9223372036854775807", "2"},
		{"4611686018427387904", "4"},
		{"2147483648", "1000"},
		{"99999999999999999999999", "1"},
	} {
		c := &Call{Action: "getVpcList", Params: url.Values{"pageNo": {tc.no}, "pageSize": {tc.size}}}
		_, e := c.Page()
		if e == nil || e.Code != legacy.CodeInvalidParameter || !strings.Contains(e.Message, "pageNo must be an integer from 0 to 2147483647") {
			t.Errorf("pageNo=%s pageSize=%s: %v, want the invalid-parameter error", tc.no, tc.size, e)
		}
	}
	c := &Call{Action: "getVpcList", Params: url.Values{"pageNo": {"2147483647"}, "pageSize": {"1000"}}}
	pg, e := c.Page()
	if e != nil || len(Paginate([]int{1, 2, 3}, pg)) != 0 {
		t.Errorf("largest pageNo: %+v %v, want an empty page", pg, e)
	}
}

func TestCallHelpers(t *testing.T) {
	t.Parallel()
	c := &Call{Action: "getVpcList", Params: url.Values{"a": {"x"}, "pageNo": {"2"}, "pageSize": {"3"}}}
	if v, e := c.Required("a"); v != "x" || e != nil {
		t.Errorf("Required: %q %v", v, e)
	}
	if _, e := c.Required("b"); e == nil || e.Code != legacy.CodeInvalidParameter || !strings.Contains(e.Message, "b is required for getVpcList") {
		t.Errorf("Required missing: %v", e)
	}
	if v, e := c.Enum("a", "x", "y"); v != "x" || e != nil {
		t.Errorf("Enum: %q %v", v, e)
	}
	if _, e := c.Enum("a", "y", "z"); e == nil || !strings.Contains(e.Message, "a must be one of y, z") {
		t.Errorf("Enum bad: %v", e)
	}
	if v, e := c.Enum("absent", "y"); v != "" || e != nil {
		t.Errorf("Enum absent: %q %v", v, e)
	}
	if pg, e := c.Page(); pg != (Page{No: 2, Size: 3}) || e != nil {
		t.Errorf("Page: %+v %v", pg, e)
	}
	resp := (&Call{RequestID: "r"}).Response(4)
	if resp != (legacy.Response{RequestID: "r", ReturnCode: "0", ReturnMessage: "success", TotalRows: 4}) {
		t.Errorf("Response: %+v", resp)
	}
}

func TestMux(t *testing.T) {
	t.Parallel()
	var seen *Call
	m := &Mux{
		Service:       "svc",
		Prefix:        "/svc/v2/",
		DefaultRegion: "KR",
		KnownRegion:   func(code string) bool { return code == "KR" },
		Actions: map[string]Action{
			"ping": {Handle: func(c *Call) (any, *Error) {
				seen = c
				return c.Response(0), nil
			}},
			"fail": {Handle: func(c *Call) (any, *Error) { return nil, Fail("42", "failed %d", 7) }},
		},
	}
	do := func(method, target string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, target, nil)
		r = r.WithContext(emu.WithAccount(r.Context(), emu.Account{ID: "acct"}))
		w := httptest.NewRecorder()
		m.ServeHTTP(w, r)
		return w
	}
	w := do(http.MethodGet, "/svc/v2/ping?responseFormatType=json")
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != legacy.ContentTypeJSON || !strings.HasPrefix(w.Body.String(), `{"pingResponse": {`) {
		t.Fatalf("ping: %d %q %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	if seen == nil || seen.AccountID != "acct" || seen.Region != "KR" || seen.Format != legacy.FormatJSON || seen.Action != "ping" {
		t.Errorf("call %+v", seen)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(seen.RequestID) {
		t.Errorf("requestId %q is not a UUID v4", seen.RequestID)
	}
	w = do(http.MethodGet, "/svc/v2/fail")
	if re, ok := legacy.DecodeError(w.Body.Bytes()); w.Code != http.StatusBadRequest || !ok || re.ReturnCode != "42" || re.ReturnMessage != "failed 7" ||
		w.Header().Get("Content-Type") != legacy.ContentTypeXML {
		t.Errorf("fail: %d %s", w.Code, w.Body)
	}
	// Method errors are the gateway's: 400 "100" in its JSON envelope,
	// whatever format was asked for.
	for _, target := range []string{"/svc/v2/ping?responseFormatType=json", "/svc/v2/ping"} {
		w = do(http.MethodPatch, target)
		var env apigw.ErrorEnvelope
		if err := json.Unmarshal(w.Body.Bytes(), &env); err != nil || w.Code != http.StatusBadRequest ||
			env.Error.ErrorCode != "100" || env.Error.Message != "Bad Request Exception" ||
			!strings.Contains(env.Error.Details, "PATCH") || w.Header().Get("Allow") != "GET, POST" ||
			!strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
			t.Errorf("PATCH %s: %d %q %s", target, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
	}
	if w = do(http.MethodGet, "/svc/v2/"); w.Code != http.StatusNotFound {
		t.Errorf("empty action: %d", w.Code)
	}
	if w = do(http.MethodGet, "/svc/v2/ping?regionCode=US"); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "regionCode") {
		t.Errorf("unknown region: %d %s", w.Code, w.Body)
	}
}

// TestMuxBodyErrors checks the answers to bodies that cannot be parsed: an
// oversized body is the gateway's 413 "430"; other parse errors are
// responseErrors in the format the query or the raw body asks for, since the
// Go SDK sends responseFormatType=json in the form body.
func TestMuxBodyErrors(t *testing.T) {
	t.Parallel()
	m := &Mux{
		Service: "svc", Prefix: "/svc/v2/", DefaultRegion: "KR",
		KnownRegion: func(code string) bool { return code == "KR" },
		Actions:     map[string]Action{"ping": {Handle: func(c *Call) (any, *Error) { return c.Response(0), nil }}},
	}
	do := func(target, ctype, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
		if ctype != "" {
			r.Header.Set("Content-Type", ctype)
		}
		r = r.WithContext(emu.WithAccount(r.Context(), emu.Account{ID: "acct"}))
		w := httptest.NewRecorder()
		m.ServeHTTP(w, r)
		return w
	}
	big := "responseFormatType=json&vpcName=" + strings.Repeat("x", legacy.MaxBodyBytes)
	w := do("/svc/v2/ping", legacy.ContentTypeForm, big)
	var env apigw.ErrorEnvelope
	if err := json.Unmarshal(w.Body.Bytes(), &env); err != nil || w.Code != http.StatusRequestEntityTooLarge ||
		env.Error.ErrorCode != "430" || env.Error.Message != "Request Entity Too Large" {
		t.Errorf("oversized body: %d %.200s", w.Code, w.Body)
	}

	for _, tc := range []struct {
		name, target, ctype, body, format string
	}{
		{"bad escape, json in body", "/svc/v2/ping", legacy.ContentTypeForm, "responseFormatType=json&vpcName=%zz", legacy.FormatJSON},
		{"bad escape, json after it", "/svc/v2/ping", legacy.ContentTypeForm, "vpcName=%zz&responseFormatType=json", legacy.FormatJSON},
		{"wrong content type, json in body", "/svc/v2/ping", "text/plain", "regionCode=KR&responseFormatType=json", legacy.FormatJSON},
		{"no content type, escaped name", "/svc/v2/ping", "", "response%46ormatType=json", legacy.FormatJSON},
		{"json in query, bad query", "/svc/v2/ping?responseFormatType=json&a=%zz", legacy.ContentTypeForm, "", legacy.FormatJSON},
		{"bad escape, no format", "/svc/v2/ping", legacy.ContentTypeForm, "vpcName=%zz", legacy.FormatXML},
		{"bad escape, xml", "/svc/v2/ping", legacy.ContentTypeForm, "responseFormatType=xml&vpcName=%zz", legacy.FormatXML},
		{"json only as a value", "/svc/v2/ping", legacy.ContentTypeForm, "vpcName=responseFormatType%3Djson&x=%zz", legacy.FormatXML},
	} {
		w := do(tc.target, tc.ctype, tc.body)
		want := legacy.ContentTypeXML
		if tc.format == legacy.FormatJSON {
			want = legacy.ContentTypeJSON
		}
		re, ok := legacy.DecodeError(w.Body.Bytes())
		if w.Code != http.StatusBadRequest || w.Header().Get("Content-Type") != want || !ok || re.ReturnCode != legacy.CodeInvalidParameter {
			t.Errorf("%s: %d %q %s", tc.name, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
	}
}
