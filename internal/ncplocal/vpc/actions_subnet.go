package vpc

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc/legacyapi"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

var (
	subnetTypes = wire.SubnetTypes
	usageTypes  = wire.UsageTypes
	objStatuses = wire.Statuses
)

// createSubnet: zoneCode, vpcNo, subnet, networkAclNo and subnetTypeCode are
// required; subnetName and usageTypeCode (default GEN) are optional.
//
// Parameters are checked first, in the guide's order, then the VPC (must
// exist in the caller's account and be RUN), the network ACL (must belong
// to that VPC), the block (inside the VPC, overlapping none of its subnets)
// and the name (unique within the VPC [?]).
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

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	a := s.readAccount(c.AccountID, now)
	v := a.Vpcs[req.vpcNo]
	if v == nil {
		return nil, legacyapi.Fail(wire.CodeNotFound, "VPC %s (%s) does not exist in this account", req.vpcNo, wire.ParamVpcNo)
	}
	if st := v.Life.status(now); st != wire.StatusRun {
		return nil, legacyapi.Fail(wire.CodeInvalidStatus, "VPC %s is %s; subnets can only be created in a VPC in RUN status", v.No, st)
	}
	acl := a.NetworkAcls[req.aclNo]
	if acl == nil || acl.VpcNo != v.No {
		return nil, legacyapi.Fail(wire.CodeAclNotAccessible, "%s %s is not a network ACL of VPC %s", wire.ParamNetworkAclNo, req.aclNo, v.No)
	}
	if st := acl.Life.status(now); st != wire.StatusRun {
		return nil, legacyapi.Fail(wire.CodeInvalidStatus, "network ACL %s is %s; it must be in RUN status", acl.No, st)
	}
	vpcBlock := netip.MustParsePrefix(v.Cidr)
	if !contains(vpcBlock, block) {
		return nil, legacyapi.Fail(wire.CodeCidrConflict, "%s %s is not inside the ipv4CidrBlock %s of VPC %s", wire.ParamSubnet, req.cidr, v.Cidr, v.No)
	}
	existing := a.subnetsOf(v.No)
	taken := map[string]bool{}
	for _, sn := range existing {
		if netip.MustParsePrefix(sn.Cidr).Overlaps(block) {
			return nil, legacyapi.Fail(wire.CodeCidrConflict, "%s %s overlaps %s of subnet %s (%s) in VPC %s", wire.ParamSubnet, req.cidr, sn.Cidr, sn.No, sn.Name, v.No)
		}
		taken[sn.Name] = true
	}
	if name != "" && taken[name] {
		return nil, legacyapi.Fail(wire.CodeDuplicateName, "%s %q is already used by another subnet of VPC %s", wire.ParamSubnetName, name, v.No)
	}
	no := s.nextNo()
	if name == "" {
		// NCP generates a name when none is given; its form is [?].
		name = uniqueName("subnet-"+no, taken)
	}
	sn := &subnetRecord{
		No:           no,
		VpcNo:        v.No,
		Zone:         req.zone,
		Name:         name,
		Cidr:         req.cidr,
		Type:         req.typ,
		Usage:        usage,
		NetworkAclNo: acl.No,
		CreateDate:   now,
		Life:         lifecycle{Created: s.start(now)},
	}
	a.Subnets[no] = sn
	return wire.SubnetListResponse{Response: c.Response(1), SubnetList: []wire.Subnet{sn.wire(now)}}, nil
}

// getSubnetDetail: subnetNo (required). Unknown, deleted or foreign subnets
// give an empty list with totalRows 0, as for getVpcDetail.
func (s *Service) getSubnetDetail(c *legacyapi.Call) (any, *legacyapi.Error) {
	no, e := c.RequiredNumber(wire.ParamSubnetNo)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	list := detailList(s.readAccount(c.AccountID, now).Subnets, no, now, (*subnetRecord).wire)
	return wire.SubnetListResponse{Response: c.Response(len(list)), SubnetList: list}, nil
}

// getSubnetList: filters subnetNoList.N, subnetName, subnet, subnetTypeCode,
// usageTypeCode, networkAclNo, subnetStatusCode, vpcNo, zoneCode (all exact
// matches); pageNo and pageSize.
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
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	list := wireList(s.readAccount(c.AccountID, now).Subnets, now, (*subnetRecord).wire, func(sn *subnetRecord, w wire.Subnet) bool {
		return legacyapi.Listed(nos, sn.No) &&
			legacyapi.Matches(name, sn.Name) &&
			legacyapi.Matches(cidr, sn.Cidr) &&
			legacyapi.Matches(typ, sn.Type) &&
			legacyapi.Matches(usage, sn.Usage) &&
			legacyapi.Matches(aclNo, sn.NetworkAclNo) &&
			legacyapi.Matches(status, w.SubnetStatus.Code) &&
			legacyapi.Matches(vpcNo, sn.VpcNo) &&
			legacyapi.Matches(zone, sn.Zone)
	})
	return wire.SubnetListResponse{Response: c.Response(len(list)), SubnetList: legacyapi.Paginate(list, page)}, nil
}

// deleteSubnet: subnetNo (required). The subnet must be RUN; it then shows
// TERMTING for the async delay and is gone after it.
func (s *Service) deleteSubnet(c *legacyapi.Call) (any, *legacyapi.Error) {
	no, e := c.RequiredNumber(wire.ParamSubnetNo)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	sn := s.readAccount(c.AccountID, now).Subnets[no]
	if sn == nil {
		return nil, legacyapi.Fail(wire.CodeNotFound, "subnet %s (%s) does not exist in this account", no, wire.ParamSubnetNo)
	}
	if st := sn.Life.status(now); st != wire.StatusRun {
		return nil, legacyapi.Fail(wire.CodeInvalidStatus, "subnet %s is %s; only a subnet in RUN status can be deleted", no, st)
	}
	del := s.start(now)
	sn.Life.Deleted = &del
	return wire.SubnetListResponse{Response: c.Response(1), SubnetList: []wire.Subnet{sn.wire(now)}}, nil
}
