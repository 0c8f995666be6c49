package vpc

import (
	"net/netip"
	"regexp"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/legacyapi"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// nameRE is the rule for vpcName and subnetName (wire.NamePattern): 3-30
// characters of lowercase letters, digits and '-', starting with a letter
// and ending with a letter or digit; an emulator must not accept what NCP
// may refuse.
var nameRE = regexp.MustCompile(wire.NamePattern)

// validateName checks a user-given vpcName or subnetName.
func validateName(param, name string) *legacyapi.Error {
	if !nameRE.MatchString(name) {
		return legacyapi.Invalid("%s must be 3-30 characters of lowercase letters, digits and '-', start with a letter and end with a letter or digit (got %q)", param, name)
	}
	return nil
}

// privateRanges are the blocks a VPC may use (ncp-api.md §5.3).
var privateRanges = wire.PrivateRanges

// Prefix lengths allowed for VPCs and subnets (createVpc, createSubnet:
// "/16 - /28").
const (
	minPrefixBits = wire.MinPrefixLength
	maxPrefixBits = wire.MaxPrefixLength
)

// parseBlock parses a VPC or subnet CIDR block. It must be IPv4, written
// canonically (the network address, as netip prints it: 10.0.0.5/16 and
// 010.0.0.0/16 are refused), /16 to /28, inside one of the private ranges.
func parseBlock(param, s string) (netip.Prefix, *legacyapi.Error) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() {
		return netip.Prefix{}, legacyapi.Invalid("%s must be an IPv4 CIDR block such as 10.0.0.0/16 (got %q)", param, s)
	}
	if p.Masked() != p || p.String() != s {
		return netip.Prefix{}, legacyapi.Invalid("%s must name its network address: %q is not canonical, use %q", param, s, p.Masked().String())
	}
	if p.Bits() < minPrefixBits || p.Bits() > maxPrefixBits {
		return netip.Prefix{}, legacyapi.Invalid("%s must be a /%d to /%d block (got /%d)", param, minPrefixBits, maxPrefixBits, p.Bits())
	}
	for _, r := range privateRanges {
		if r.Contains(p.Addr()) {
			return p, nil
		}
	}
	return netip.Prefix{}, legacyapi.Invalid("%s must lie inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (got %q)", param, s)
}

// contains reports whether block inner lies entirely inside outer.
func contains(outer, inner netip.Prefix) bool {
	return outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}
