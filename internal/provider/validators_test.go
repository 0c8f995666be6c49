package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestCheckEndpointURL(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{
		"https://ncloud.apigw.ntruss.com",
		"http://127.0.0.1:4510",
		"http://127.0.0.1:4510/",
		"HTTP://LOCALHOST:1",
		"http://[::1]:4510",
	} {
		if err := checkEndpointURL(ok); err != nil {
			t.Errorf("checkEndpointURL(%q) = %v, want nil", ok, err)
		}
	}
	for bad, why := range map[string]string{
		"":                        "http",
		"ncloud.apigw.ntruss.com": `"http://" or "https://"`,
		"ftp://host":              `"http://" or "https://"`,
		"http://":                 "no host",
		"http://:80":              "no host",
		"http:host":               "no host",
		"http://host/vpc/v2":      `path ("/vpc/v2")`,
		"http://host?x=1":         "query",
		"http://host/?":           "query",
		"http://host#frag":        "fragment",
		"http://user:pass@host":   "user information",
		" http://host":            "spaces",
		"http://host:notaport":    "not a URL",
		"http://host/%zz":         "not a URL",
		"https://ncloud.apigw.ntruss.com/vserver/v2/": "path",
	} {
		err := checkEndpointURL(bad)
		if err == nil {
			t.Errorf("checkEndpointURL(%q) = nil, want an error", bad)
			continue
		}
		if !strings.Contains(err.Error(), why) {
			t.Errorf("checkEndpointURL(%q) = %q, want it to mention %q", bad, err, why)
		}
	}
}

func TestEndpointValidator(t *testing.T) {
	t.Parallel()
	p := path.Root("endpoints").AtName("object_storage")
	run := func(v types.String) *validator.StringResponse {
		resp := &validator.StringResponse{}
		endpointValidator{}.ValidateString(context.Background(), validator.StringRequest{Path: p, ConfigValue: v}, resp)
		return resp
	}
	for _, v := range []types.String{types.StringNull(), types.StringUnknown(), types.StringValue(""), types.StringValue("http://h:1")} {
		if resp := run(v); resp.Diagnostics.HasError() {
			t.Errorf("%v: unexpected %v", v, resp.Diagnostics)
		}
	}
	resp := run(types.StringValue("s3.local"))
	if resp.Diagnostics.ErrorsCount() != 1 {
		t.Fatalf("diagnostics = %v, want one error", resp.Diagnostics)
	}
	if d := resp.Diagnostics[0].Detail(); !strings.Contains(d, "endpoints.object_storage") || !strings.Contains(d, `"s3.local"`) {
		t.Errorf("detail %q does not name the attribute and value", d)
	}
}

func TestOneOfValidator(t *testing.T) {
	t.Parallel()
	v := oneOfValidator{what: "region", valid: allRegions()}
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("region"), ConfigValue: types.StringValue("FKR")}, resp)
	if resp.Diagnostics.HasError() {
		t.Errorf("FKR rejected: %v", resp.Diagnostics)
	}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("region"), ConfigValue: types.StringValue("kr")}, resp)
	if resp.Diagnostics.ErrorsCount() != 1 {
		t.Fatalf("kr accepted: %v", resp.Diagnostics)
	}
	if d := resp.Diagnostics[0].Detail(); !strings.Contains(d, `Unknown region "kr"`) || !strings.Contains(d, "DEN, FKR, JPN, KR, SGN, USWN") {
		t.Errorf("detail %q does not list the valid regions", d)
	}
	// An empty region is an invalid value, not "unset" (issue 10 item 11).
	resp = &validator.StringResponse{}
	v.refuseEmpty = true
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("region"), ConfigValue: types.StringValue("")}, resp)
	if resp.Diagnostics.ErrorsCount() != 1 || !strings.Contains(resp.Diagnostics[0].Detail(), `Unknown region ""`) {
		t.Errorf("empty region: %v", resp.Diagnostics)
	}
}
