package vpc

import (
	"cmp"
	"slices"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/legacyapi"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// getNetworkAclList: filters networkAclName, networkAclStatusCode,
// networkAclNoList.N, vpcNo (exact matches); pageNo and pageSize. With
// vpcNo, only that VPC's ACLs are read.
func (s *Service) getNetworkAclList(c *legacyapi.Call) (any, *legacyapi.Error) {
	nos, e := c.NumberList(wire.ParamNetworkAclNoList)
	if e != nil {
		return nil, e
	}
	status, e := c.Enum(wire.ParamNetworkAclStatusCode, wire.StatusInit, wire.StatusCreating, wire.StatusRun, wire.StatusSet, wire.StatusTermting)
	if e != nil {
		return nil, e
	}
	vpcNo, e := c.OptionalNumber(wire.ParamVpcNo)
	if e != nil {
		return nil, e
	}
	name := c.Get(wire.ParamNetworkAclName)
	page, e := c.Page()
	if e != nil {
		return nil, e
	}
	var list []wire.NetworkAcl
	s.view(func(tx *emu.Tx) {
		recs := s.aclsOf.ListOrAll(tx, c.AccountID, vpcNo)
		list = wireList(tx, s.acls, inRegion(recs, c.Region, aclRegion), (*aclRecord).wire, func(acl *aclRecord, w wire.NetworkAcl) bool {
			return legacyapi.Listed(nos, acl.No) &&
				legacyapi.Matches(name, acl.Name) &&
				legacyapi.Matches(status, w.NetworkAclStatus.Code)
		})
	})
	return wire.NetworkAclListResponse{Response: c.Response(len(list)), NetworkAclList: legacyapi.Paginate(list, page)}, nil
}

// getRouteTableList: filters routeTableNoList.N, routeTableName,
// supportedSubnetTypeCode, vpcNo (exact matches); sortedBy (routeTableName)
// with sortingOrder (ASC, the default, or DESC); pageNo and pageSize.
// Without sortedBy the list is in number order and sortingOrder, which the
// guide ties to sortedBy, has no effect.
func (s *Service) getRouteTableList(c *legacyapi.Call) (any, *legacyapi.Error) {
	nos, e := c.NumberList(wire.ParamRouteTableNoList)
	if e != nil {
		return nil, e
	}
	typ, e := c.Enum(wire.ParamSupportedSubnetTypeCode, subnetTypes...)
	if e != nil {
		return nil, e
	}
	vpcNo, e := c.OptionalNumber(wire.ParamVpcNo)
	if e != nil {
		return nil, e
	}
	sortedBy, e := c.Enum(wire.ParamSortedBy, wire.SortedByRouteTableName)
	if e != nil {
		return nil, e
	}
	order, e := c.Enum(wire.ParamSortingOrder, wire.SortingOrderAsc, wire.SortingOrderDesc)
	if e != nil {
		return nil, e
	}
	name := c.Get(wire.ParamRouteTableName)
	page, e := c.Page()
	if e != nil {
		return nil, e
	}
	var list []wire.RouteTable
	s.view(func(tx *emu.Tx) {
		recs := s.tablesOf.ListOrAll(tx, c.AccountID, vpcNo)
		list = wireList(tx, s.routeTables, inRegion(recs, c.Region, tableRegion), (*routeTableRecord).wire, func(rt *routeTableRecord, _ wire.RouteTable) bool {
			return legacyapi.Listed(nos, rt.No) &&
				legacyapi.Matches(name, rt.Name) &&
				legacyapi.Matches(typ, rt.SubnetType)
		})
	})
	if sortedBy == wire.SortedByRouteTableName {
		slices.SortStableFunc(list, func(x, y wire.RouteTable) int {
			if order == wire.SortingOrderDesc {
				return cmp.Compare(y.RouteTableName, x.RouteTableName)
			}
			return cmp.Compare(x.RouteTableName, y.RouteTableName)
		})
	}
	return wire.RouteTableListResponse{Response: c.Response(len(list)), RouteTableList: legacyapi.Paginate(list, page)}, nil
}
