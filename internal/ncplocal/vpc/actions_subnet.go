package vpc

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/legacyapi"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

var (
	subnetTypes = wire.SubnetTypes
	usageTypes  = wire.UsageTypes
	objStatuses = wire.Statuses
)

// MsgSubnetOutsideVpc is NCP's message for a subnet block outside its VPC's
// block (ncp-api.md §5.5, matched by the official provider's acceptance
// test against real NCP); its returnCode is [?].
const MsgSubnetOutsideVpc = "The subnet must belong to the IPv4 CIDR of the specified VPC."

// busySubnet returns the first subnet of VPC vpcNo other than except that is
// being created or deleted. NCP refuses to create or delete a subnet of a
// VPC meanwhile and answers 1001015 "please try again", which the official
// provider retries (ncp-api.md §5.5); the message text is [?].
func (s *Service) busySubnet(tx *emu.Tx, account, vpcNo, except string) *legacyapi.Error {
	for _, sn := range s.subnetsOf.List(tx, account, vpcNo) {
		if sn.No == except {
			continue
		}
		if st := s.subnets.Status(tx, &sn); st != wire.StatusRun && st != errorStatus {
			return legacyapi.Fail(wire.CodeRetryLater, "Please try again later: subnet %s of VPC %s is %s.", sn.No, vpcNo, st)
		}
	}
	return nil
}

// createSubnet: zoneCode, vpcNo, subnet, networkAclNo and subnetTypeCode are
// required; subnetName and usageTypeCode (default GEN) are optional.
//
// Parameters are checked first, in the guide's order, then the VPC (must
// exist in the caller's account and region and be RUN), the network ACL
// (must belong to that VPC), the block (inside the VPC, overlapping none of
// its subnets), the name (unique within the VPC [?]), the VPC's subnet limit
// and the VPC's other subnets (none may be changing state).
func (s *Service) createSubnet(c *legacyapi.Call) (any, *legacyapi.Error) {
	var req struct{ zone, vpcNo, cidr, aclNo, typ string }
	for _, p := range []struct {
		name string
		dst  *string
	}{
		{wire.ParamZoneCode, &req.zone},
		{wire.ParamVpcNo, &req.vpcNo},
		{wire.ParamSubnet, &req.cidr},
		{wire.ParamNetworkAclNo, &req.aclNo},
		{wire.ParamSubnetTypeCode, &req.typ},
	} {
		v, e := c.Required(p.name)
		if e != nil {
			return nil, e
		}
		*p.dst = v
	}
	if zones := zoneCodes(c.Region); !slices.Contains(zones, req.zone) {
		return nil, legacyapi.Invalid("%s %q is not a zone of region %s (use %s)", wire.ParamZoneCode, req.zone, c.Region, strings.Join(zones, " or "))
	}
	if e := legacyapi.CheckNumber(wire.ParamVpcNo, req.vpcNo); e != nil {
		return nil, e
	}
	name := c.Get(wire.ParamSubnetName)
	if name != "" {
		if e := validateName(wire.ParamSubnetName, name); e != nil {
			return nil, e
		}
	}
	block, e := parseBlock(wire.ParamSubnet, req.cidr)
	if e != nil {
		return nil, e
	}
	if e := legacyapi.CheckNumber(wire.ParamNetworkAclNo, req.aclNo); e != nil {
		return nil, e
	}
	if _, e := c.Enum(wire.ParamSubnetTypeCode, subnetTypes...); e != nil {
		return nil, e
	}
	usage, e := c.Enum(wire.ParamUsageTypeCode, usageTypes...)
	if e != nil {
		return nil, e
	}
	if usage == "" {
		usage = wire.UsageTypeGen
	}
	limit := s.currentLimits().SubnetsPerVpc

	var sn subnetRecord
	e = s.update(c, func(tx *emu.Tx) *legacyapi.Error {
		v, e := ownedRun(tx, s.vpcs, c, req.vpcNo, "VPC", wire.ParamVpcNo, vpcRegion, "subnets can only be created in a VPC in RUN status")
		if e != nil {
			return e
		}
		acl, ok := s.acls.Get(tx, c.AccountID, req.aclNo)
		if !ok || acl.VpcNo != v.No {
			return legacyapi.Fail(wire.CodeAclNotAccessible, "%s %s is not a network ACL of VPC %s", wire.ParamNetworkAclNo, req.aclNo, v.No)
		}
		if e := mustRun(tx, s.acls, &acl, "network ACL", acl.No, "it must be in RUN status"); e != nil {
			return e
		}
		if !contains(netip.MustParsePrefix(v.Cidr), block) {
			return legacyapi.Fail(wire.CodeCidrConflict, "%s", MsgSubnetOutsideVpc)
		}
		existing := s.subnetsOf.List(tx, c.AccountID, v.No)
		taken := map[string]bool{}
		for _, other := range existing {
			if netip.MustParsePrefix(other.Cidr).Overlaps(block) {
				return legacyapi.Fail(wire.CodeCidrConflict, "%s %s overlaps %s of subnet %s (%s) in VPC %s", wire.ParamSubnet, req.cidr, other.Cidr, other.No, other.Name, v.No)
			}
			taken[other.Name] = true
		}
		if name != "" && taken[name] {
			return legacyapi.Fail(wire.CodeDuplicateName, "%s %q is already used by another subnet of VPC %s", wire.ParamSubnetName, name, v.No)
		}
		if len(existing) >= limit {
			return legacyapi.Fail(wire.CodeLimitExceeded, "a VPC can have at most %d subnets; VPC %s has %d", limit, v.No, len(existing))
		}
		if e := s.busySubnet(tx, c.AccountID, v.No, ""); e != nil {
			return e
		}
		no := s.numbers.NextString(tx)
		if name == "" {
			// NCP generates a name when none is given; its form is [?].
			name = uniqueName("subnet-"+no, taken)
		}
		sn = subnetRecord{
			No:           no,
			VpcNo:        v.No,
			Region:       v.Region,
			Zone:         req.zone,
			Name:         name,
			Cidr:         req.cidr,
			Type:         req.typ,
			Usage:        usage,
			NetworkAclNo: acl.No,
			CreateDate:   tx.Now(),
		}
		s.subnets.Begin(tx, &sn, createTransition.Name)
		s.subnets.Put(tx, c.AccountID, no, sn)
		return nil
	})
	if e != nil {
		return nil, e
	}
	var out wire.Subnet
	s.view(func(tx *emu.Tx) { out = sn.wire(s.subnets.Status(tx, &sn)) })
	return wire.SubnetListResponse{Response: c.Response(1), SubnetList: []wire.Subnet{out}}, nil
}

// getSubnetDetail: subnetNo (required). Unknown, deleted or foreign subnets
// give an empty list with totalRows 0, as for getVpcDetail.
func (s *Service) getSubnetDetail(c *legacyapi.Call) (any, *legacyapi.Error) {
	no, e := c.RequiredNumber(wire.ParamSubnetNo)
	if e != nil {
		return nil, e
	}
	var list []wire.Subnet
	s.view(func(tx *emu.Tx) {
		list = detailList(tx, s.subnets, c.AccountID, no, c.Region, subnetRegion, (*subnetRecord).wire)
	})
	return wire.SubnetListResponse{Response: c.Response(len(list)), SubnetList: list}, nil
}

// getSubnetList: filters subnetNoList.N, subnetName, subnet, subnetTypeCode,
// usageTypeCode, networkAclNo, subnetStatusCode, vpcNo, zoneCode (all exact
// matches); pageNo and pageSize. With vpcNo, only that VPC's subnets are
// read.
func (s *Service) getSubnetList(c *legacyapi.Call) (any, *legacyapi.Error) {
	nos, e := c.NumberList(wire.ParamSubnetNoList)
	if e != nil {
		return nil, e
	}
	typ, e := c.Enum(wire.ParamSubnetTypeCode, subnetTypes...)
	if e != nil {
		return nil, e
	}
	usage, e := c.Enum(wire.ParamUsageTypeCode, usageTypes...)
	if e != nil {
		return nil, e
	}
	status, e := c.Enum(wire.ParamSubnetStatusCode, objStatuses...)
	if e != nil {
		return nil, e
	}
	aclNo, e := c.OptionalNumber(wire.ParamNetworkAclNo)
	if e != nil {
		return nil, e
	}
	vpcNo, e := c.OptionalNumber(wire.ParamVpcNo)
	if e != nil {
		return nil, e
	}
	name, cidr, zone := c.Get(wire.ParamSubnetName), c.Get(wire.ParamSubnet), c.Get(wire.ParamZoneCode)
	page, e := c.Page()
	if e != nil {
		return nil, e
	}
	var list []wire.Subnet
	s.view(func(tx *emu.Tx) {
		recs := s.subnetsOf.ListOrAll(tx, c.AccountID, vpcNo)
		list = wireList(tx, s.subnets, inRegion(recs, c.Region, subnetRegion), (*subnetRecord).wire, func(sn *subnetRecord, w wire.Subnet) bool {
			return legacyapi.Listed(nos, sn.No) &&
				legacyapi.Matches(name, sn.Name) &&
				legacyapi.Matches(cidr, sn.Cidr) &&
				legacyapi.Matches(typ, sn.Type) &&
				legacyapi.Matches(usage, sn.Usage) &&
				legacyapi.Matches(aclNo, sn.NetworkAclNo) &&
				legacyapi.Matches(status, w.SubnetStatus.Code) &&
				legacyapi.Matches(zone, sn.Zone)
		})
	})
	return wire.SubnetListResponse{Response: c.Response(len(list)), SubnetList: legacyapi.Paginate(list, page)}, nil
}

// deleteSubnet: subnetNo (required). The subnet must be RUN and no other
// subnet of its VPC may be changing state; it then shows TERMTING for the
// async delay and is gone after it.
func (s *Service) deleteSubnet(c *legacyapi.Call) (any, *legacyapi.Error) {
	no, e := c.RequiredNumber(wire.ParamSubnetNo)
	if e != nil {
		return nil, e
	}
	var out wire.Subnet
	e = s.update(c, func(tx *emu.Tx) *legacyapi.Error {
		sn, e := ownedRun(tx, s.subnets, c, no, "subnet", wire.ParamSubnetNo, subnetRegion, "only a subnet in RUN status can be deleted")
		if e != nil {
			return e
		}
		if e := s.busySubnet(tx, c.AccountID, sn.VpcNo, no); e != nil {
			return e
		}
		s.subnets.Begin(tx, &sn, deleteTransition.Name)
		s.subnets.Put(tx, c.AccountID, no, sn)
		out = sn.wire(deletingStatus(s.subnets.Status(tx, &sn)))
		return nil
	})
	if e != nil {
		return nil, e
	}
	return wire.SubnetListResponse{Response: c.Response(1), SubnetList: []wire.Subnet{out}}, nil
}

// setSubnetNetworkAcl: subnetNo and networkAclNo (required) change a
// subnet's network ACL in place (ncp-api.md §5.3). The subnet must exist in
// the caller's account and region and be RUN, and the ACL must be one of
// the subnet's VPC (1011002 otherwise) and not be applying another change.
// The subnet's networkAclNo changes at once; the ACL shows SET for the
// async delay, then RUN. The answer lists the ACL now set.
func (s *Service) setSubnetNetworkAcl(c *legacyapi.Call) (any, *legacyapi.Error) {
	subnetNo, e := c.RequiredNumber(wire.ParamSubnetNo)
	if e != nil {
		return nil, e
	}
	aclNo, e := c.RequiredNumber(wire.ParamNetworkAclNo)
	if e != nil {
		return nil, e
	}
	var out wire.NetworkAcl
	e = s.update(c, func(tx *emu.Tx) *legacyapi.Error {
		sn, e := ownedRun(tx, s.subnets, c, subnetNo, "subnet", wire.ParamSubnetNo, subnetRegion, "the network ACL of a subnet can only be changed in RUN status")
		if e != nil {
			return e
		}
		acl, ok := s.acls.Get(tx, c.AccountID, aclNo)
		if !ok || acl.VpcNo != sn.VpcNo {
			return legacyapi.Fail(wire.CodeAclNotAccessible, "%s %s is not a network ACL of VPC %s, the VPC of subnet %s", wire.ParamNetworkAclNo, aclNo, sn.VpcNo, subnetNo)
		}
		switch st := s.acls.Status(tx, &acl); st {
		case wire.StatusRun:
		case wire.StatusSet:
			// [?] the code of the guide's "ACL rule change in progress".
			return legacyapi.Fail(wire.CodeAclChanging, "network ACL %s is applying another change (%s); please try again later", aclNo, st)
		default:
			return legacyapi.Fail(wire.CodeInvalidStatus, "network ACL %s is %s; it must be in RUN status", aclNo, st)
		}
		sn.NetworkAclNo = aclNo
		s.subnets.Put(tx, c.AccountID, subnetNo, sn)
		s.acls.Begin(tx, &acl, setTransition.Name)
		s.acls.Put(tx, c.AccountID, aclNo, acl)
		out = acl.wire(s.acls.Status(tx, &acl))
		return nil
	})
	if e != nil {
		return nil, e
	}
	return wire.NetworkAclListResponse{Response: c.Response(1), NetworkAclList: []wire.NetworkAcl{out}}, nil
}
