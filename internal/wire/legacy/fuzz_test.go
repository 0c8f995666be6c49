package legacy

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseParams feeds the query string, the form body and its content
// type of a legacy call to ParseParams. It never panics; what it accepts
// has one value per name, every one of which the query or the body sent;
// and the parameters, encoded again as a client encodes them
// (EncodeParams), parse to the same values.
func FuzzParseParams(f *testing.F) {
	for _, seed := range []struct{ query, body, ctype string }{
		// ncp-api.md §5.1: the SDK sends its parameters in a form body.
		{"", "regionCode=KR&vpcName=test-vpc&ipv4CidrBlock=10.0.0.0%2F16&responseFormatType=json", ContentTypeForm},
		{"regionCode=KR&vpcNoList.1=123&vpcNoList.2=456", "", ""},
		{"pageNo=9223372036854775807&pageSize=2", "", ""},
		{"pageNo=4611686018427387904&pageSize=4", "", ""},
		{"a=1", "a=1", ContentTypeForm + "; charset=UTF-8"},
		{"a=1", "a=2", ContentTypeForm},
		{"a=1&a=2", "", ""},
		{"%zz", "", ""},
		{"", "%zz", ContentTypeForm},
		{"", "{\"a\":1}", "application/json"},
		{"", "a=1", "text/plain;;"},
		{"", "   ", ""},
		{"a=&b", "", ""},
		{"a;b=1", "", ""},
	} {
		f.Add(seed.query, seed.body, seed.ctype)
	}
	f.Fuzz(func(t *testing.T, query, body, ctype string) {
		r := httptest.NewRequest(http.MethodPost, "/vpc/v2/getVpcList", strings.NewReader(body))
		r.URL.RawQuery = query
		r.Header.Set("Content-Type", ctype)
		v, err := ParseParams(r)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		q, _ := url.ParseQuery(query)
		b, _ := url.ParseQuery(body)
		for name, values := range v {
			if len(values) != 1 {
				t.Fatalf("%s has %d values", name, len(values))
			}
			if !slices.Contains(q[name], values[0]) && !slices.Contains(b[name], values[0]) {
				t.Fatalf("%s=%q was not sent", name, values[0])
			}
		}
		// EncodeParams drops empty values and sets responseFormatType.
		want := url.Values{}
		for name, values := range v {
			if values[0] != "" && name != ParamResponseFormatType {
				want[name] = values
			}
		}
		r2 := httptest.NewRequest(http.MethodPost, "/vpc/v2/getVpcList", strings.NewReader(string(EncodeParams("", want))))
		r2.Header.Set("Content-Type", ContentTypeForm)
		again, err := ParseParams(r2)
		if err != nil {
			t.Fatalf("re-encoded parameters refused: %v", err)
		}
		delete(again, ParamResponseFormatType)
		if !maps.EqualFunc(again, want, slices.Equal) {
			t.Fatalf("round trip: %v, want %v", again, want)
		}
	})
}

// FuzzList: a numbered list written by AddList reads back the same with
// List, and List on any parameters never panics and returns items only
// from name.1, name.2, ... without gaps.
func FuzzList(f *testing.F) {
	f.Add("vpcNoList", "1,2,3", "vpcNoList.1=1&vpcNoList.3=2")
	f.Add("subnetNoList", "", "subnetNoList=1")
	f.Add("x", "a,,b", "x.01=1&x.1=2")
	f.Add("x", "a", "x.9223372036854775808=1&x.-1=2&x.+1=3&x.1.a=4")
	f.Fuzz(func(t *testing.T, name, csv, raw string) {
		if name == "" || strings.Contains(name, ".") {
			return
		}
		var items []string
		for _, it := range strings.Split(csv, ",") {
			if it != "" {
				items = append(items, it)
			}
		}
		v := url.Values{}
		AddList(v, name, items)
		got, err := List(v, name)
		if err != nil || !slices.Equal(got, items) {
			t.Fatalf("AddList %q then List: %q, %v", items, got, err)
		}
		pv, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		got, err = List(pv, name)
		if err != nil {
			return
		}
		for i, it := range got {
			if vs := pv[name+"."+strconv.Itoa(i+1)]; len(vs) == 0 || vs[0] != it {
				t.Fatalf("item %d = %q is not %s.%d (%q)", i+1, it, name, i+1, vs)
			}
		}
	})
}
