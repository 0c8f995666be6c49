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

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// nameRule is the name rule of VPCs and subnets (wire.NameRule).
const nameRule = wire.NameRule

var nameRE = regexp.MustCompile(wire.NamePattern)

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

// nameProblem says which part of the name rule s breaks first. Lengths and
// positions count characters (runes), not bytes: a Hangul name of 30
// characters is 30 characters long.
func nameProblem(s string) string {
	runes := []rune(s)
	if n := len(runes); n < wire.NameMinLength || n > wire.NameMaxLength {
		return fmt.Sprintf("it is %d characters long", n)
	}
	for i, r := range runes {
		if !isNameRune(r) {
			return fmt.Sprintf("it contains %q at position %d, which is not a lowercase letter, a digit or a hyphen", r, i+1)
		}
	}
	if r := runes[0]; r < 'a' || r > 'z' {
		return "it does not start with a letter"
	}
	return "it ends with a hyphen"
}

// isNameRune reports whether r may appear in a name.
func isNameRune(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '-'
}

// Address rules of VPC and subnet blocks (wire.MinPrefixLength,
// wire.MaxPrefixLength, wire.PrivateRanges).
const (
	minPrefixLen = wire.MinPrefixLength
	maxPrefixLen = wire.MaxPrefixLength
)

// privateRangesText lists wire.PrivateRanges for messages: "10.0.0.0/8,
// 172.16.0.0/12 or 192.168.0.0/16".
var privateRangesText = func() string {
	parts := make([]string, len(wire.PrivateRanges))
	for i, r := range wire.PrivateRanges {
		parts[i] = r.String()
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}()

// cidrValidator checks a VPC or subnet CIDR block at plan time: IPv4,
// written as its network address, /16 to /28, inside a private range.
type cidrValidator struct{}

var _ validator.String = cidrValidator{}

func (cidrValidator) Description(context.Context) string {
	return fmt.Sprintf("must be an IPv4 CIDR block written with its network address, /%d to /%d, inside %s",
		minPrefixLen, maxPrefixLen, privateRangesText)
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
	for _, r := range wire.PrivateRanges {
		if r.Contains(p.Addr()) {
			return ""
		}
	}
	return fmt.Sprintf("%q is not a private block: it must lie inside %s", s, privateRangesText)
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
var numberRE = regexp.MustCompile(wire.NumberPattern)

// numberValidator checks an NCP object number at plan time.
func numberValidator() validator.String {
	return stringvalidator.RegexMatches(numberRE, "must be an NCP object number: decimal digits, such as 12345")
}
