package vpc_test

import (
	"context"
	"strings"
	"testing"

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
