package vpc

import (
	"context"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	wirevserver "github.com/ncplabs/terraform-provider-ncp/internal/wire/vserver"
)

// Name rule of VPCs and subnets (ncp-api.md §5.3), in the lowercase reading
// ncplocal enforces: the Korean and Japanese guides say lowercase letters,
// and the console refuses upper case.
const (
	nameMinLen = 3
	nameMaxLen = 30
	nameRule   = "3 to 30 characters of lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit"
)

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{1,28}[a-z0-9]$`)

// nameValidator checks a VPC or subnet name at plan time.
type nameValidator struct{}

var _ validator.String = nameValidator{}

func (nameValidator) Description(context.Context) string { return "must be " + nameRule }

func (v nameValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (nameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if nameRE.MatchString(s) {
		return
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid name",
		fmt.Sprintf("Attribute %s: %q is not a valid NCP name: %s. It must be %s.", req.Path, s, nameProblem(s), nameRule))
}

// nameProblem says which part of the name rule s breaks first.
func nameProblem(s string) string {
	switch {
	case len(s) < nameMinLen || len(s) > nameMaxLen:
		return fmt.Sprintf("it is %d characters long", len(s))
	case strings.ContainsFunc(s, func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' }):
		return "it contains a character other than a lowercase letter, a digit or a hyphen"
	case s[0] < 'a' || s[0] > 'z':
		return "it does not start with a letter"
	default:
		return "it ends with a hyphen"
	}
}

// Address rules of VPC and subnet blocks (ncp-api.md §5.3).
const (
	minPrefixLen = 16
	maxPrefixLen = 28
)

// privateRanges are the blocks a VPC, and so every subnet, must lie in.
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// cidrValidator checks a VPC or subnet CIDR block at plan time: IPv4,
// written as its network address, /16 to /28, inside a private range.
type cidrValidator struct{}

var _ validator.String = cidrValidator{}

func (cidrValidator) Description(context.Context) string {
	return fmt.Sprintf("must be an IPv4 CIDR block written with its network address, /%d to /%d, inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
		minPrefixLen, maxPrefixLen)
}

func (v cidrValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (cidrValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := cidrProblem(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid CIDR block",
			fmt.Sprintf("Attribute %s: %s.", req.Path, problem))
	}
}

// cidrProblem explains what is wrong with block s, or returns "".
func cidrProblem(s string) string {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() {
		return fmt.Sprintf("%q is not an IPv4 CIDR block such as 10.0.0.0/16", s)
	}
	if p.Masked() != p || p.String() != s {
		return fmt.Sprintf("%q is not written with its network address: use %q", s, p.Masked().String())
	}
	if p.Bits() < minPrefixLen || p.Bits() > maxPrefixLen {
		return fmt.Sprintf("%q has prefix length /%d: the prefix length must be /%d to /%d", s, p.Bits(), minPrefixLen, maxPrefixLen)
	}
	for _, r := range privateRanges {
		if r.Contains(p.Addr()) {
			return ""
		}
	}
	return fmt.Sprintf("%q is not a private block: it must lie inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16", s)
}

// zoneRE is the shape of NCP zone codes, e.g. KR-1, KR-2.
var zoneRE = regexp.MustCompile(`^[A-Z]+-[0-9]+$`)

// zoneValidator checks a zone code at plan time.
func zoneValidator() validator.String {
	return stringvalidator.RegexMatches(zoneRE, "must be an NCP zone code: upper-case letters, a hyphen and digits, such as KR-1 or KR-2")
}

// checkZone refuses, at plan time, a zone that the site and region the
// provider is configured for do not have (wire/vserver's catalog), naming
// the ones they have. An unknown zone, or a site or region outside the
// catalog, is left to the API.
func checkZone(zone types.String, site, region string, diags *diag.Diagnostics) {
	if zone.IsNull() || zone.IsUnknown() {
		return
	}
	if site == "" {
		site = wirevserver.SitePublic
	}
	zones := wirevserver.ZoneCodes(site, region)
	if len(zones) == 0 || slices.Contains(zones, zone.ValueString()) {
		return
	}
	diags.AddAttributeError(path.Root("zone"), "Invalid zone",
		fmt.Sprintf("Attribute zone: %q is not a zone of region %s (site %s): it must be one of %s.",
			zone.ValueString(), region, site, strings.Join(zones, ", ")))
}

// numberRE is the shape of NCP object numbers (vpcNo, subnetNo, ...).
var numberRE = regexp.MustCompile(`^[1-9][0-9]*$`)

// numberValidator checks an NCP object number at plan time.
func numberValidator() validator.String {
	return stringvalidator.RegexMatches(numberRE, "must be an NCP object number: decimal digits, such as 12345")
}
