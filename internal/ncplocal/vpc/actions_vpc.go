package vpc

import (
	"fmt"
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/legacyapi"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// Names of the objects createVpc makes along with the VPC. The forms are
// the ones seen on real accounts ("<vpc>-default-network-acl",
// "<vpc>-default-public-table", "<vpc>-default-private-table" and, in
// vserver, "<vpc>-default-acg") [I]; the descriptions are [?].
func defaultAclName(vpcName string) string { return vpcName + "-default-network-acl" }

func defaultRouteTableName(vpcName, subnetType string) string {
	return vpcName + "-default-" + strings.ToLower(subnetType) + "-table"
}

// createVpc: ipv4CidrBlock (required), vpcName (optional).
func (s *Service) createVpc(c *legacyapi.Call) (any, *legacyapi.Error) {
	cidr, e := c.Required(wire.ParamIpv4CidrBlock)
	if e != nil {
		return nil, e
	}
	if _, e := parseBlock(wire.ParamIpv4CidrBlock, cidr); e != nil {
		return nil, e
	}
	name := c.Get(wire.ParamVpcName)
	if name != "" {
		if e := validateName(wire.ParamVpcName, name); e != nil {
			return nil, e
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	a := s.account(c.AccountID, now, true)
	taken := map[string]bool{}
	for _, v := range a.Vpcs {
		taken[v.Name] = true
	}
	// A VPC name is unique within the account, as long as the VPC exists
	// (TERMTING included) [?].
	if name != "" && taken[name] {
		return nil, legacyapi.Fail(wire.CodeDuplicateName, "%s %q is already used by another VPC of this account", wire.ParamVpcName, name)
	}
	no := s.nextNo()
	if name == "" {
		// NCP generates a name when none is given; its form is [?].
		name = uniqueName("vpc-"+no, taken)
	}
	life := lifecycle{Created: s.start(now)}
	v := &vpcRecord{No: no, Name: name, Cidr: cidr, Region: c.Region, CreateDate: now, Life: life}
	a.Vpcs[no] = v

	acl := &aclRecord{
		No:          s.nextNo(),
		VpcNo:       no,
		Name:        defaultAclName(name),
		Description: fmt.Sprintf("VPC [%s] default Network ACL", name),
		IsDefault:   true,
		CreateDate:  now,
		Life:        life,
	}
	a.NetworkAcls[acl.No] = acl
	for _, t := range []string{wire.SubnetTypePublic, wire.SubnetTypePrivate} {
		rt := &routeTableRecord{
			No:          s.nextNo(),
			VpcNo:       no,
			Name:        defaultRouteTableName(name, t),
			Description: fmt.Sprintf("VPC [%s] default %s route table", name, strings.ToLower(t)),
			Region:      c.Region,
			SubnetType:  t,
			IsDefault:   true,
			Life:        life,
		}
		a.RouteTables[rt.No] = rt
	}
	ev := VpcEvent{AccountID: c.AccountID, VpcNo: no, VpcName: name, Progress: life.Created}
	for _, o := range s.observers {
		o.VpcCreated(ev)
	}
	return wire.VpcListResponse{Response: c.Response(1), VpcList: []wire.Vpc{v.wire(now)}}, nil
}

// uniqueName returns base, or base-2, base-3, ... when base is taken.
func uniqueName(base string, taken map[string]bool) string {
	name := base
	for i := 2; taken[name]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	return name
}

// getVpcDetail: vpcNo (required). An unknown, deleted or foreign VPC is not
// an error: the list is empty and totalRows 0 (ncp-api.md §5.4).
func (s *Service) getVpcDetail(c *legacyapi.Call) (any, *legacyapi.Error) {
	no, e := c.RequiredNumber(wire.ParamVpcNo)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	list := detailList(s.readAccount(c.AccountID, now).Vpcs, no, now, (*vpcRecord).wire)
	return wire.VpcListResponse{Response: c.Response(len(list)), VpcList: list}, nil
}

// getVpcList: filters vpcName (exact), vpcStatusCode, vpcNoList.N; pageNo
// and pageSize.
func (s *Service) getVpcList(c *legacyapi.Call) (any, *legacyapi.Error) {
	name := c.Get(wire.ParamVpcName)
	status, e := c.Enum(wire.ParamVpcStatusCode, wire.StatusInit, wire.StatusCreating, wire.StatusRun, wire.StatusTermting)
	if e != nil {
		return nil, e
	}
	nos, e := c.NumberList(wire.ParamVpcNoList)
	if e != nil {
		return nil, e
	}
	page, e := c.Page()
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	list := wireList(s.readAccount(c.AccountID, now).Vpcs, now, (*vpcRecord).wire, func(v *vpcRecord, w wire.Vpc) bool {
		return legacyapi.Matches(name, v.Name) &&
			legacyapi.Matches(status, w.VpcStatus.Code) &&
			legacyapi.Listed(nos, v.No)
	})
	return wire.VpcListResponse{Response: c.Response(len(list)), VpcList: legacyapi.Paginate(list, page)}, nil
}

// deleteVpc: vpcNo (required). The VPC must be RUN and have no subnets
// (subnets being deleted count until they are gone). Its default network
// ACL, route tables and (in vserver) ACG go with it.
func (s *Service) deleteVpc(c *legacyapi.Call) (any, *legacyapi.Error) {
	no, e := c.RequiredNumber(wire.ParamVpcNo)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	a := s.readAccount(c.AccountID, now)
	v := a.Vpcs[no]
	if v == nil {
		return nil, legacyapi.Fail(wire.CodeNotFound, "VPC %s (%s) does not exist in this account", no, wire.ParamVpcNo)
	}
	if st := v.Life.status(now); st != wire.StatusRun {
		return nil, legacyapi.Fail(wire.CodeInvalidStatus, "VPC %s is %s; only a VPC in RUN status can be deleted", no, st)
	}
	if subnets := a.subnetsOf(no); len(subnets) > 0 {
		nos := make([]string, len(subnets))
		for i, sn := range subnets {
			nos[i] = sn.No
		}
		return nil, legacyapi.Fail(wire.CodeInUse, "VPC %s still has %d subnet(s) (subnetNo %s); delete them first", no, len(subnets), strings.Join(nos, ", "))
	}
	del := s.start(now)
	v.Life.Deleted = &del
	for _, acl := range a.NetworkAcls {
		if acl.VpcNo == no {
			acl.Life.Deleted = &del
		}
	}
	for _, rt := range a.RouteTables {
		if rt.VpcNo == no {
			rt.Life.Deleted = &del
		}
	}
	ev := VpcEvent{AccountID: c.AccountID, VpcNo: no, VpcName: v.Name, Progress: del}
	for _, o := range s.observers {
		o.VpcDeleted(ev)
	}
	return wire.VpcListResponse{Response: c.Response(1), VpcList: []wire.Vpc{v.wire(now)}}, nil
}
