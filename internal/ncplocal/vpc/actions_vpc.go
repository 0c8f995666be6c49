package vpc

import (
	"fmt"
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
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

func vpcRegion(v *vpcRecord) string           { return v.Region }
func subnetRegion(sn *subnetRecord) string    { return sn.Region }
func aclRegion(a *aclRecord) string           { return a.Region }
func tableRegion(rt *routeTableRecord) string { return rt.Region }

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
	limit := s.currentLimits().VpcsPerRegion

	var v vpcRecord
	e = s.update(c, func(tx *emu.Tx) *legacyapi.Error {
		existing := inRegion(s.vpcs.List(tx, c.AccountID), c.Region, vpcRegion)
		if len(existing) >= limit {
			return legacyapi.Fail(wire.CodeLimitExceeded, "an account can have at most %d VPCs in region %s; this one has %d", limit, c.Region, len(existing))
		}
		taken := map[string]bool{}
		for _, v := range s.vpcs.List(tx, c.AccountID) {
			taken[v.Name] = true
		}
		// A VPC name is unique within the account, as long as the VPC
		// exists (TERMTING included) [?].
		if name != "" && taken[name] {
			return legacyapi.Fail(wire.CodeDuplicateName, "%s %q is already used by another VPC of this account", wire.ParamVpcName, name)
		}
		no := s.numbers.NextString(tx)
		if name == "" {
			// NCP generates a name when none is given; its form is [?].
			name = uniqueName("vpc-"+no, taken)
		}
		now := tx.Now()
		v = vpcRecord{No: no, Name: name, Cidr: cidr, Region: c.Region, CreateDate: now}
		s.vpcs.Begin(tx, &v, createTransition.Name)
		s.vpcs.Put(tx, c.AccountID, no, v)

		acl := aclRecord{
			No:          s.numbers.NextString(tx),
			VpcNo:       no,
			Region:      c.Region,
			Name:        defaultAclName(name),
			Description: fmt.Sprintf("VPC [%s] default Network ACL", name),
			IsDefault:   true,
			CreateDate:  now,
		}
		s.acls.BeginLike(tx, &acl, createTransition.Name, v.Life)
		s.acls.Put(tx, c.AccountID, acl.No, acl)
		for _, t := range []string{wire.SubnetTypePublic, wire.SubnetTypePrivate} {
			rt := routeTableRecord{
				No:          s.numbers.NextString(tx),
				VpcNo:       no,
				Name:        defaultRouteTableName(name, t),
				Description: fmt.Sprintf("VPC [%s] default %s route table", name, strings.ToLower(t)),
				Region:      c.Region,
				SubnetType:  t,
				IsDefault:   true,
			}
			s.routeTables.BeginLike(tx, &rt, createTransition.Name, v.Life)
			s.routeTables.Put(tx, c.AccountID, rt.No, rt)
		}
		s.publish(tx, VpcEvent{Type: VpcCreated, AccountID: c.AccountID, Region: c.Region, VpcNo: no, VpcName: name, Life: v.Life})
		return nil
	})
	if e != nil {
		return nil, e
	}
	var out wire.Vpc
	s.view(func(tx *emu.Tx) { out = v.wire(s.vpcs.Status(tx, &v)) })
	return wire.VpcListResponse{Response: c.Response(1), VpcList: []wire.Vpc{out}}, nil
}

// deletingStatus is the status a delete call answers with: TERMTING, also
// when the "immediate" progression has removed the object already.
func deletingStatus(status string) string {
	if status == emu.Gone {
		return wire.StatusTermting
	}
	return status
}

// uniqueName returns base, or base-2, base-3, ... when base is taken.
func uniqueName(base string, taken map[string]bool) string {
	name := base
	for i := 2; taken[name]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	return name
}

// getVpcDetail: vpcNo (required). An unknown, deleted or foreign VPC, or
// one of another region, is not an error: the list is empty and totalRows 0
// (ncp-api.md §5.4).
func (s *Service) getVpcDetail(c *legacyapi.Call) (any, *legacyapi.Error) {
	no, e := c.RequiredNumber(wire.ParamVpcNo)
	if e != nil {
		return nil, e
	}
	var list []wire.Vpc
	s.view(func(tx *emu.Tx) {
		list = detailList(tx, s.vpcs, c.AccountID, no, c.Region, vpcRegion, (*vpcRecord).wire)
	})
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
	var list []wire.Vpc
	s.view(func(tx *emu.Tx) {
		list = wireList(tx, s.vpcs, inRegion(s.vpcs.List(tx, c.AccountID), c.Region, vpcRegion), (*vpcRecord).wire, func(v *vpcRecord, w wire.Vpc) bool {
			return legacyapi.Matches(name, v.Name) &&
				legacyapi.Matches(status, w.VpcStatus.Code) &&
				legacyapi.Listed(nos, v.No)
		})
	})
	return wire.VpcListResponse{Response: c.Response(len(list)), VpcList: legacyapi.Paginate(list, page)}, nil
}

// deleteVpc: vpcNo (required). The VPC must be RUN and have no subnets
// (subnets being deleted count until they are gone) nor network ACLs other
// than its default one, unless they are being deleted (that NCP refuses
// them, as the sweepers expect, is [?]). Its default network ACL, route
// tables and (in vserver) ACG go with it.
func (s *Service) deleteVpc(c *legacyapi.Call) (any, *legacyapi.Error) {
	no, e := c.RequiredNumber(wire.ParamVpcNo)
	if e != nil {
		return nil, e
	}
	var out wire.Vpc
	e = s.update(c, func(tx *emu.Tx) *legacyapi.Error {
		v, e := ownedRun(tx, s.vpcs, c, no, "VPC", wire.ParamVpcNo, vpcRegion, "only a VPC in RUN status can be deleted")
		if e != nil {
			return e
		}
		if subnets := s.subnetsOf.List(tx, c.AccountID, no); len(subnets) > 0 {
			nos := make([]string, len(subnets))
			for i, sn := range subnets {
				nos[i] = sn.No
			}
			return legacyapi.Fail(wire.CodeInUse, "VPC %s still has %d subnet(s) (subnetNo %s); delete them first", no, len(subnets), strings.Join(nos, ", "))
		}
		var extra []string
		for _, acl := range s.aclsOf.List(tx, c.AccountID, no) {
			if !acl.IsDefault && s.acls.Status(tx, &acl) != wire.StatusTermting {
				extra = append(extra, acl.No)
			}
		}
		if len(extra) > 0 {
			return legacyapi.Fail(wire.CodeInUse, "VPC %s still has %d network ACL(s) besides its default one (networkAclNo %s); delete them first", no, len(extra), strings.Join(extra, ", "))
		}
		s.vpcs.Begin(tx, &v, deleteTransition.Name)
		s.vpcs.Put(tx, c.AccountID, no, v)
		for _, acl := range s.aclsOf.List(tx, c.AccountID, no) {
			s.acls.BeginLike(tx, &acl, deleteTransition.Name, v.Life)
			s.acls.Put(tx, c.AccountID, acl.No, acl)
		}
		for _, rt := range s.tablesOf.List(tx, c.AccountID, no) {
			s.routeTables.BeginLike(tx, &rt, deleteTransition.Name, v.Life)
			s.routeTables.Put(tx, c.AccountID, rt.No, rt)
		}
		s.publish(tx, VpcEvent{Type: VpcDeleted, AccountID: c.AccountID, Region: v.Region, VpcNo: no, VpcName: v.Name, Life: v.Life})
		out = v.wire(deletingStatus(s.vpcs.Status(tx, &v)))
		return nil
	})
	if e != nil {
		return nil, e
	}
	return wire.VpcListResponse{Response: c.Response(1), VpcList: []wire.Vpc{out}}, nil
}
