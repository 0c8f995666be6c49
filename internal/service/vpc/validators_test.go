package vpc_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/vpc"
)

// validate runs v on value for attribute attr and returns the error
// details, "" when valid.
func validate(v validator.String, attr string, value types.String) string {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root(attr), ConfigValue: value}, resp)
	var details []string
	for _, d := range resp.Diagnostics.Errors() {
		details = append(details, d.Detail())
	}
	return strings.Join(details, "\n")
}

func TestNameValidator(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		want string // "" for valid
	}{
		{"abc", ""},
		{"a-1", ""},
		{"tf-vpc-0a1b2c3d", ""},
		{"a" + strings.Repeat("b", 29), ""},
		{"ab", `Attribute name: "ab" is not a valid NCP name: it is 2 characters long. It must be 3 to 30 characters of lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit.`},
		{"a" + strings.Repeat("b", 30), "it is 31 characters long"},
		{"Abc", `it contains 'A' at position 1, which is not a lowercase letter, a digit or a hyphen`},
		{"ab_c", `it contains '_' at position 3, which is not`},
		// Characters, not bytes: a Hangul character is one character
		// (three bytes in UTF-8) and is shown as itself.
		{"한글이름", `"한글이름" is not a valid NCP name: it contains '한' at position 1, which is not`},
		{"vpc-한글", `it contains '한' at position 5, which is not`},
		{strings.Repeat("한", 30), `it contains '한' at position 1`},
		{strings.Repeat("한", 31), "it is 31 characters long"},
		{"ab" + strings.Repeat("한", 29), "it is 31 characters long"},
		{"1abc", "it does not start with a letter"},
		{"-abc", "it does not start with a letter"},
		{"abc-", "it ends with a hyphen"},
	} {
		got := validate(vpc.NameValidator, "name", types.StringValue(tc.name))
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("name %q: got %q, want %q", tc.name, got, tc.want)
		}
	}
	for _, v := range []types.String{types.StringNull(), types.StringUnknown()} {
		if got := validate(vpc.NameValidator, "name", v); got != "" {
			t.Errorf("%v: got %q, want no error", v, got)
		}
	}
}

func TestCidrValidator(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cidr string
		want string // "" for valid
	}{
		{"10.0.0.0/16", ""},
		{"10.255.255.240/28", ""},
		{"172.16.0.0/16", ""},
		{"172.31.128.0/20", ""},
		{"192.168.100.0/24", ""},
		{"", `Attribute subnet: "" is not an IPv4 CIDR block such as 10.0.0.0/16.`},
		{"10.0.0.0", "is not an IPv4 CIDR block"},
		{"10.0.0.0/33", "is not an IPv4 CIDR block"},
		{"fd00::/64", "is not an IPv4 CIDR block"},
		{"10.0.1.0/16", `Attribute subnet: "10.0.1.0/16" is not written with its network address: use "10.0.0.0/16".`},
		{"010.0.0.0/16", "is not an IPv4 CIDR block"},
		{"10.0.0.0/15", `Attribute subnet: "10.0.0.0/15" has prefix length /15: the prefix length must be /16 to /28.`},
		{"10.0.0.0/29", "has prefix length /29"},
		{"10.0.0.0/30", "has prefix length /30"},
		{"172.32.0.0/16", `Attribute subnet: "172.32.0.0/16" is not a private block: it must lie inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.`},
		{"192.169.0.0/16", "is not a private block"},
		{"8.8.8.0/24", "is not a private block"},
	} {
		got := validate(vpc.CidrValidator, "subnet", types.StringValue(tc.cidr))
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("cidr %q: got %q, want %q", tc.cidr, got, tc.want)
		}
	}
}

func TestZoneValidator(t *testing.T) {
	t.Parallel()
	for zone, valid := range map[string]bool{
		"KR-1": true, "KR-2": true, "JPN-10": true,
		"kr-1": false, "KR1": false, "KR-": false, "-1": false, "KR-1a": false, "": false,
	} {
		got := validate(vpc.ZoneValidator(), "zone", types.StringValue(zone))
		if valid != (got == "") {
			t.Errorf("zone %q: got %q, valid = %v", zone, got, valid)
		}
		if !valid && !strings.Contains(got, "Attribute zone must be an NCP zone code") {
			t.Errorf("zone %q: message %q does not name the attribute and the rule", zone, got)
		}
	}
}

// TestCheckZone: a zone the configured site and region do not have is
// refused, naming the zones they have (issue 10 item 10).
func TestCheckZone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		zone         types.String
		site, region string
		want         string
	}{
		{types.StringValue("KR-1"), "public", "KR", ""},
		{types.StringValue("SGN-5"), "", "SGN", ""},
		{types.StringValue("KR-9"), "public", "KR", `"KR-9" is not a zone of region KR (site public): it must be one of KR-2, KR-1.`},
		{types.StringValue("KR-1"), "public", "JPN", "JPN-4, JPN-5"},
		{types.StringValue("KR-1"), "fin", "FKR", "FKR-1, FKR-2"},
		{types.StringUnknown(), "public", "KR", ""},
		{types.StringNull(), "public", "KR", ""},
		{types.StringValue("KR-1"), "public", "MARS", ""}, // not in the catalog: left to the API
	} {
		var diags diag.Diagnostics
		vpc.CheckZone(tc.zone, tc.site, tc.region, &diags)
		switch {
		case tc.want == "" && diags.HasError():
			t.Errorf("%s in %s/%s refused: %v", tc.zone, tc.site, tc.region, diags)
		case tc.want != "" && (diags.ErrorsCount() != 1 || !strings.Contains(diags[0].Detail(), tc.want)):
			t.Errorf("%s in %s/%s: %v, want %q", tc.zone, tc.site, tc.region, diags, tc.want)
		}
	}
}

// TestGeneratedNamesAreValid: the names the provider generates follow the
// NCP name rule it checks.
func TestGeneratedNamesAreValid(t *testing.T) {
	t.Parallel()
	for _, prefix := range []string{vpc.VpcNamePrefix, vpc.SubnetNamePrefix} {
		for range 50 {
			n := reconcile.GenerateName(prefix)
			if got := validate(vpc.NameValidator, "name", types.StringValue(n)); got != "" {
				t.Fatalf("generated name %q does not follow the NCP name rule: %s", n, got)
			}
		}
	}
}
