package vpc

// Request parameter names of the VPC API actions (ncp-api.md §5.3). List
// parameters are sent numbered from 1: vpcNoList.1, vpcNoList.2, ...
// (legacy.AddList / legacy.List). regionCode and responseFormatType are in
// package legacy.
const (
	ParamVpcNo         = "vpcNo"
	ParamVpcName       = "vpcName"
	ParamIpv4CidrBlock = "ipv4CidrBlock"
	ParamVpcStatusCode = "vpcStatusCode"
	ParamVpcNoList     = "vpcNoList"

	ParamSubnetNo         = "subnetNo"
	ParamSubnetName       = "subnetName"
	ParamSubnet           = "subnet"
	ParamZoneCode         = "zoneCode"
	ParamSubnetTypeCode   = "subnetTypeCode"
	ParamUsageTypeCode    = "usageTypeCode"
	ParamSubnetStatusCode = "subnetStatusCode"
	ParamSubnetNoList     = "subnetNoList"

	ParamNetworkAclNo         = "networkAclNo"
	ParamNetworkAclName       = "networkAclName"
	ParamNetworkAclStatusCode = "networkAclStatusCode"
	ParamNetworkAclNoList     = "networkAclNoList"

	ParamRouteTableNo            = "routeTableNo"
	ParamRouteTableName          = "routeTableName"
	ParamRouteTableNoList        = "routeTableNoList"
	ParamSupportedSubnetTypeCode = "supportedSubnetTypeCode"
	ParamSortedBy                = "sortedBy"
	ParamSortingOrder            = "sortingOrder"
)

// Values of sortedBy and sortingOrder for getRouteTableList
// (DOC:networking-vpc-routetable-getroutetablelist).
const (
	SortedByRouteTableName = "routeTableName"
	SortingOrderAsc        = "ASC"
	SortingOrderDesc       = "DESC"
)
