package vserver

// Request parameter names of getAccessControlGroupList
// (DOC:compute-vserver-acg-getaccesscontrolgrouplist). vpcNo, pageNo and
// pageSize are the names of package vpc (vpc.ParamVpcNo, ...).
const (
	ParamAccessControlGroupNoList     = "accessControlGroupNoList"
	ParamAccessControlGroupName       = "accessControlGroupName"
	ParamAccessControlGroupStatusCode = "accessControlGroupStatusCode"
)

// Status codes of access control groups. ACGs have no CREATING status; SET
// is used while rules are being applied.
const (
	StatusInit     = "INIT"
	StatusSet      = "SET"
	StatusRun      = "RUN"
	StatusTermting = "TERMTING"
)
