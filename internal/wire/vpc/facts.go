package vpc

import "net/netip"

// The rules NCP applies to VPC API requests (ncp-api.md §5.3), as data. The
// provider's plan-time validators and ncplocal's request checks are separate
// code with their own messages; both read these values, so the two cannot
// drift apart.

// Name rule of VPCs, subnets and network ACLs: 3 to 30 characters of
// lowercase letters, digits and hyphens, starting with a letter and ending
// with a letter or digit. The Korean and Japanese guides (and the gov guide)
// say lowercase letters; the English guide says only "English letters". The
// stricter, lowercase reading is taken: the console refuses upper case too.
const (
	NameMinLength = 3
	NameMaxLength = 30
	// NamePattern is the whole rule as a regular expression.
	NamePattern = `^[a-z][a-z0-9-]{1,28}[a-z0-9]$`
	// NameRule is the rule in words, for messages and documentation.
	NameRule = "3 to 30 characters of lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit"
)

// Address rules of VPC and subnet blocks: IPv4, a prefix length of
// MinPrefixLength to MaxPrefixLength ("/16 - /28" in createVpc and
// createSubnet), inside one of PrivateRanges. A subnet must also lie inside
// its VPC's block and overlap no other subnet of the VPC.
const (
	MinPrefixLength = 16
	MaxPrefixLength = 28
)

// PrivateRanges are the blocks a VPC, and so every subnet, must lie in.
// Callers must not modify it.
var PrivateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// SubnetTypes are the values of subnetTypeCode (§5.3).
var SubnetTypes = []string{SubnetTypePublic, SubnetTypePrivate}

// UsageTypes are the values of usageTypeCode; GEN is NCP's default (§5.3).
var UsageTypes = []string{UsageTypeGen, UsageTypeLoadB, UsageTypeBM, UsageTypeNatGW}

// Statuses are the statuses of VPCs and subnets, in lifecycle order, as the
// status filters (vpcStatusCode, subnetStatusCode) accept them (§5.4).
var Statuses = []string{StatusInit, StatusCreating, StatusRun, StatusTermting}

// NetworkAclStatuses are the statuses of network ACLs: those of Statuses,
// and SET while a subnet's ACL change is being applied (§5.4).
var NetworkAclStatuses = []string{StatusInit, StatusCreating, StatusRun, StatusSet, StatusTermting}

// NumberPattern is the form of NCP object numbers (vpcNo, subnetNo,
// networkAclNo, ...): decimal digits without a leading zero.
const NumberPattern = `^[1-9][0-9]*$`
