package legacy

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestParseParamsMergesQueryAndBody(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest(http.MethodPost, "/vpc/v2/createVpc?regionCode=KR&responseFormatType=json",
		strings.NewReader("ipv4CidrBlock=10.0.0.0%2F16&vpcName=x&regionCode=KR"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	got, err := ParseParams(r)
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{
		"regionCode":         {"KR"},
		"responseFormatType": {"json"},
		"ipv4CidrBlock":      {"10.0.0.0/16"},
		"vpcName":            {"x"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestParseParamsErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, method, target, ctype, body, wantErr string
	}{
		{"conflict across query and body", http.MethodPost, "/a?vpcNo=1", ContentTypeForm, "vpcNo=2", "vpcNo was given more than once"},
		{"conflict inside the query", http.MethodGet, "/a?vpcNo=1&vpcNo=2", "", "", "vpcNo was given more than once"},
		{"json body", http.MethodPost, "/a", "application/json", `{"vpcNo":"1"}`, "unsupported Content-Type"},
		{"body without content type", http.MethodPost, "/a", "", "vpcNo=1", "unsupported Content-Type"},
		{"malformed query", http.MethodGet, "/a?vpcNo=%zz", "", "", "malformed query string"},
		{"malformed body", http.MethodPost, "/a", ContentTypeForm, "vpcNo=%zz", "malformed form body"},
		{"oversized body", http.MethodPost, "/a", ContentTypeForm, "a=" + strings.Repeat("x", MaxBodyBytes), "larger than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
			if tc.ctype != "" {
				r.Header.Set("Content-Type", tc.ctype)
			}
			_, err := ParseParams(r)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want it to mention %q", err, tc.wantErr)
			}
		})
	}
}

func TestParseParamsRepeatedSameValueAndGetBody(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest(http.MethodPost, "/a?vpcNo=1", strings.NewReader("vpcNo=1"))
	r.Header.Set("Content-Type", ContentTypeForm)
	got, err := ParseParams(r)
	if err != nil || got.Get("vpcNo") != "1" || len(got["vpcNo"]) != 1 {
		t.Errorf("same value twice: got %v, %v", got, err)
	}
	// A GET body is not read, whatever it holds.
	r = httptest.NewRequest(http.MethodGet, "/a?vpcNo=1", strings.NewReader("vpcNo=2"))
	r.Header.Set("Content-Type", ContentTypeForm)
	got, err = ParseParams(r)
	if err != nil || got.Get("vpcNo") != "1" {
		t.Errorf("GET with body: got %v, %v", got, err)
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	v := url.Values{"vpcNoList.2": {"b"}, "vpcNoList.1": {"a"}, "vpcNoList.3": {"c"}, "other": {"x"}}
	got, err := List(v, "vpcNoList")
	if err != nil || !reflect.DeepEqual(got, []string{"a", "b", "c"}) {
		t.Errorf("got %v, %v", got, err)
	}
	if got, err := List(v, "subnetNoList"); got != nil || err != nil {
		t.Errorf("absent list: got %v, %v", got, err)
	}
	bad := []struct {
		v       url.Values
		wantErr string
	}{
		{url.Values{"vpcNoList": {"a"}}, "must be sent as vpcNoList.1"},
		{url.Values{"vpcNoList.1": {"a"}, "vpcNoList.3": {"c"}}, "vpcNoList.2 is missing"},
		{url.Values{"vpcNoList.0": {"a"}}, "not a valid list parameter"},
		{url.Values{"vpcNoList.01": {"a"}}, "not a valid list parameter"},
		{url.Values{"vpcNoList.x": {"a"}}, "not a valid list parameter"},
		{url.Values{"vpcNoList.1": {""}}, "vpcNoList.1 must not be empty"},
	}
	for _, tc := range bad {
		if _, err := List(tc.v, "vpcNoList"); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("List(%v) err = %v, want it to mention %q", tc.v, err, tc.wantErr)
		}
	}
}

func TestAddListRoundTrip(t *testing.T) {
	t.Parallel()
	v := url.Values{}
	AddList(v, "subnetNoList", []string{"7", "8"})
	if v.Encode() != "subnetNoList.1=7&subnetNoList.2=8" {
		t.Errorf("encoded %q", v.Encode())
	}
	got, err := List(v, "subnetNoList")
	if err != nil || !reflect.DeepEqual(got, []string{"7", "8"}) {
		t.Errorf("round trip gave %v, %v", got, err)
	}
}

func TestResponseFormat(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": FormatXML, "xml": FormatXML, "json": FormatJSON} {
		v := url.Values{}
		if in != "" {
			v.Set(ParamResponseFormatType, in)
		}
		if got, err := ResponseFormat(v); got != want || err != nil {
			t.Errorf("%q: got %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"JSON", "yaml"} {
		if _, err := ResponseFormat(url.Values{ParamResponseFormatType: {in}}); err == nil || !strings.Contains(err.Error(), ParamResponseFormatType) {
			t.Errorf("%q: err = %v", in, err)
		}
	}
}

func TestEncodeUnknownFormat(t *testing.T) {
	t.Parallel()
	if _, _, err := Encode("yaml", "x", sampleValue()); err == nil {
		t.Error("Encode accepted an unknown format")
	}
	body, ct, err := Encode(FormatJSON, "x", sampleValue())
	if err != nil || ct != ContentTypeJSON || UnwrapLikeSDK(body, &sample{}) != nil {
		t.Errorf("Encode json: %q %q %v", body, ct, err)
	}
}

func TestParseParamsBodyTooLarge(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest(http.MethodPost, "/a", strings.NewReader("a="+strings.Repeat("x", MaxBodyBytes)))
	r.Header.Set("Content-Type", ContentTypeForm)
	if _, err := ParseParams(r); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("err = %v, want ErrBodyTooLarge", err)
	}
}

func TestSniffResponseFormat(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		query, body, want string
	}{
		{"", "", FormatXML},
		{"responseFormatType=json", "", FormatJSON},
		{"a=%zz&responseFormatType=json", "", FormatJSON},
		{"", "regionCode=KR&responseFormatType=json&vpcName=%zz", FormatJSON},
		{"", "responseFormatType=json\n", FormatJSON},
		{"", "responseFormatType=%6Ason", FormatJSON},
		{"", "responseFormatType=xml&vpcName=%zz", FormatXML},
		{"", "responseFormatType=JSON", FormatXML},
		{"", "xresponseFormatType=json", FormatXML},
		{"", "vpcName=responseFormatType%3Djson", FormatXML},
		{"", `{"responseFormatType":"json"}`, FormatXML},
	} {
		if got := SniffResponseFormat(tc.query, []byte(tc.body)); got != tc.want {
			t.Errorf("SniffResponseFormat(%q, %q) = %q, want %q", tc.query, tc.body, got, tc.want)
		}
	}
}
