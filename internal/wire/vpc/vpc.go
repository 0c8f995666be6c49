// Package vpc holds the wire types of the NCP VPC API (/vpc/v2, ncp-api.md §5):
// form-encoded requests, and responses wrapped as {"<action>Response": {...}}
// (JSON) or <<action>Response>...</...> (XML, the default format).
package vpc

// PathPrefix is where the VPC API lives on the ncloud API gateway.
const PathPrefix = "/vpc/v2/"

// Actions used by the provider (ncp-api.md §5.3).
const (
	ActionCreateVpc           = "createVpc"
	ActionGetVpcDetail        = "getVpcDetail"
	ActionGetVpcList          = "getVpcList"
	ActionDeleteVpc           = "deleteVpc"
	ActionCreateSubnet        = "createSubnet"
	ActionGetSubnetDetail     = "getSubnetDetail"
	ActionGetSubnetList       = "getSubnetList"
	ActionDeleteSubnet        = "deleteSubnet"
	ActionGetNetworkAclList   = "getNetworkAclList"
	ActionGetRouteTableList   = "getRouteTableList"
	ActionSetSubnetNetworkAcl = "setSubnetNetworkAcl"
)

// Status codes of VPCs, subnets, network ACLs and route tables (§5.4).
// TERMTING is NCP's spelling.
const (
	StatusInit     = "INIT"
	StatusCreating = "CREATING"
	StatusRun      = "RUN"
	StatusTermting = "TERMTING"
	StatusSet      = "SET"
)

// Subnet types and usage types (§5.2).
const (
	SubnetTypePublic  = "PUBLIC"
	SubnetTypePrivate = "PRIVATE"

	UsageTypeGen   = "GEN"
	UsageTypeLoadB = "LOADB"
	UsageTypeBM    = "BM"
	UsageTypeNatGW = "NATGW"
)

// Return codes. "0" is success. Codes marked [C] come from the official
// provider; the rest are [?]: NCP does not document the code or text of these
// VPC-specific failures, so ncplocal and the client agree on these values and
// both treat them only through the names below.
const (
	ReturnCodeSuccess = "0"

	CodeRetryLater       = "1001015" // [C] "please try again", retried by the official provider on createSubnet
	CodeRetryLaterLegacy = "3000"    // [C] same meaning
	CodeAuthority        = "800"     // [C] authority parameter
	CodeUnknown          = "1300"    // [C] unknown error
	CodeAclNotAccessible = "1011002" // [C] network ACL can't be used

	CodeInvalidParameter = "1000036" // [?] a parameter is missing or malformed
	CodeNotFound         = "1000100" // [?] the object does not exist (used by delete*; Detail answers an empty list)
	CodeDuplicateName    = "1000101" // [?] an object of that name already exists
	CodeCidrConflict     = "1000102" // [?] CIDR outside the VPC or overlapping another subnet/VPC rule
	CodeInUse            = "1000103" // [?] the VPC still has subnets
	CodeInvalidStatus    = "1000104" // [?] the object is not in a status that allows the operation
)

// RetryableCodes are return codes that mean "nothing was done, try again".
var RetryableCodes = []string{CodeRetryLater, CodeRetryLaterLegacy}

// CommonCode is NCP's {code, codeName} pair.
type CommonCode struct {
	Code     string `json:"code" xml:"code"`
	CodeName string `json:"codeName" xml:"codeName"`
}

// Vpc is one VPC (§5.2).
type Vpc struct {
	VpcNo         string      `json:"vpcNo" xml:"vpcNo"`
	VpcName       string      `json:"vpcName" xml:"vpcName"`
	Ipv4CidrBlock string      `json:"ipv4CidrBlock" xml:"ipv4CidrBlock"`
	VpcStatus     *CommonCode `json:"vpcStatus" xml:"vpcStatus"`
	RegionCode    string      `json:"regionCode" xml:"regionCode"`
	CreateDate    string      `json:"createDate" xml:"createDate"`
}

// Subnet is one subnet (§5.2).
type Subnet struct {
	SubnetNo     string      `json:"subnetNo" xml:"subnetNo"`
	VpcNo        string      `json:"vpcNo" xml:"vpcNo"`
	ZoneCode     string      `json:"zoneCode" xml:"zoneCode"`
	SubnetName   string      `json:"subnetName" xml:"subnetName"`
	Subnet       string      `json:"subnet" xml:"subnet"`
	SubnetStatus *CommonCode `json:"subnetStatus" xml:"subnetStatus"`
	CreateDate   string      `json:"createDate" xml:"createDate"`
	SubnetType   *CommonCode `json:"subnetType" xml:"subnetType"`
	UsageType    *CommonCode `json:"usageType" xml:"usageType"`
	NetworkAclNo string      `json:"networkAclNo" xml:"networkAclNo"`
}

// NetworkAcl is one network ACL (§5.2).
type NetworkAcl struct {
	NetworkAclNo          string      `json:"networkAclNo" xml:"networkAclNo"`
	NetworkAclName        string      `json:"networkAclName" xml:"networkAclName"`
	VpcNo                 string      `json:"vpcNo" xml:"vpcNo"`
	NetworkAclStatus      *CommonCode `json:"networkAclStatus" xml:"networkAclStatus"`
	NetworkAclDescription string      `json:"networkAclDescription" xml:"networkAclDescription"`
	CreateDate            string      `json:"createDate" xml:"createDate"`
	IsDefault             bool        `json:"isDefault" xml:"isDefault"`
}

// RouteTable is one route table (§5.2).
type RouteTable struct {
	RouteTableNo          string      `json:"routeTableNo" xml:"routeTableNo"`
	RouteTableName        string      `json:"routeTableName" xml:"routeTableName"`
	RegionCode            string      `json:"regionCode" xml:"regionCode"`
	VpcNo                 string      `json:"vpcNo" xml:"vpcNo"`
	SupportedSubnetType   *CommonCode `json:"supportedSubnetType" xml:"supportedSubnetType"`
	IsDefault             bool        `json:"isDefault" xml:"isDefault"`
	RouteTableStatus      *CommonCode `json:"routeTableStatus" xml:"routeTableStatus"`
	RouteTableDescription string      `json:"routeTableDescription" xml:"routeTableDescription"`
}

// Response holds the fields every VPC API response carries.
type Response struct {
	RequestID     string `json:"requestId" xml:"requestId"`
	ReturnCode    string `json:"returnCode" xml:"returnCode"`
	ReturnMessage string `json:"returnMessage" xml:"returnMessage"`
	TotalRows     int    `json:"totalRows" xml:"totalRows"`
}

// VpcListResponse answers createVpc, getVpcDetail, getVpcList and deleteVpc.
type VpcListResponse struct {
	Response
	VpcList []Vpc `json:"vpcList" xml:"vpcList>vpc"`
}

// SubnetListResponse answers createSubnet, getSubnetDetail, getSubnetList and deleteSubnet.
type SubnetListResponse struct {
	Response
	SubnetList []Subnet `json:"subnetList" xml:"subnetList>subnet"`
}

// NetworkAclListResponse answers getNetworkAclList.
type NetworkAclListResponse struct {
	Response
	NetworkAclList []NetworkAcl `json:"networkAclList" xml:"networkAclList>networkAcl"`
}

// RouteTableListResponse answers getRouteTableList.
type RouteTableListResponse struct {
	Response
	RouteTableList []RouteTable `json:"routeTableList" xml:"routeTableList>routeTable"`
}
