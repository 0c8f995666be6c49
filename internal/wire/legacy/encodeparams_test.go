package legacy

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestEncodeParams(t *testing.T) {
	t.Parallel()
	params := url.Values{}
	params.Set("vpcName", "my vpc/1")
	params.Set("ipv4CidrBlock", "10.0.0.0/16")
	params.Set("subnetName", "") // optional and unset: left out
	AddList(params, "vpcNoList", []string{"11", "12"})

	got := string(EncodeParams("KR", params))
	want := "ipv4CidrBlock=10.0.0.0%2F16&regionCode=KR&responseFormatType=json&vpcName=my+vpc%2F1&vpcNoList.1=11&vpcNoList.2=12"
	if got != want {
		t.Fatalf("EncodeParams =\n %s\nwant\n %s", got, want)
	}
	if _, ok := params[ParamResponseFormatType]; ok {
		t.Errorf("EncodeParams modified its argument: %v", params)
	}
	if _, ok := params["subnetName"]; !ok {
		t.Errorf("EncodeParams removed an empty parameter from its argument")
	}
}

func TestEncodeParamsRegion(t *testing.T) {
	t.Parallel()
	params := url.Values{ParamRegionCode: {"SGN"}, ParamResponseFormatType: {"xml"}}
	if got, want := string(EncodeParams("", params)), "regionCode=SGN&responseFormatType=json"; got != want {
		t.Errorf("empty regionCode: got %s, want %s", got, want)
	}
	if got, want := string(EncodeParams("KR", params)), "regionCode=KR&responseFormatType=json"; got != want {
		t.Errorf("regionCode argument: got %s, want %s", got, want)
	}
	if got, want := string(EncodeParams("", nil)), "responseFormatType=json"; got != want {
		t.Errorf("nil params: got %s, want %s", got, want)
	}
}

// TestEncodeParamsRoundTrip proves that what a client encodes is exactly what
// the emulator's parser reads back, lists included.
func TestEncodeParamsRoundTrip(t *testing.T) {
	t.Parallel()
	params := url.Values{"vpcNo": {"42"}, "pageNo": {"1"}}
	AddList(params, "subnetNoList", []string{"a", "b", "c"})
	body := EncodeParams("KR", params)

	r := httptest.NewRequest(http.MethodPost, "/vpc/v2/getSubnetList", strings.NewReader(string(body)))
	r.Header.Set("Content-Type", ContentTypeForm)
	got, err := ParseParams(r)
	if err != nil {
		t.Fatalf("ParseParams: %v", err)
	}
	if got.Get("vpcNo") != "42" || got.Get("pageNo") != "1" || got.Get(ParamRegionCode) != "KR" {
		t.Errorf("scalar parameters lost: %v", got)
	}
	if f, err := ResponseFormat(got); err != nil || f != FormatJSON {
		t.Errorf("ResponseFormat = %q, %v; want json", f, err)
	}
	list, err := List(got, "subnetNoList")
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if strings.Join(list, ",") != "a,b,c" {
		t.Errorf("subnetNoList = %v, want [a b c]", list)
	}
}
