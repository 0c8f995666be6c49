// Package vserver holds the wire types of the parts of the NCP VServer API
// (/vserver/v2) that the provider uses: regions, zones and access control
// groups (ncp-api.md §5.3).
package vserver

import "github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"

// PathPrefix is where the VServer API lives on the ncloud API gateway.
const PathPrefix = "/vserver/v2/"

// Actions used by the provider.
const (
	ActionGetRegionList             = "getRegionList"
	ActionGetZoneList               = "getZoneList"
	ActionGetAccessControlGroupList = "getAccessControlGroupList"
)

// Region is one region.
type Region struct {
	RegionCode string `json:"regionCode" xml:"regionCode"`
	RegionName string `json:"regionName" xml:"regionName"`
}

// Zone is one zone of a region.
type Zone struct {
	ZoneName        string `json:"zoneName" xml:"zoneName"`
	ZoneCode        string `json:"zoneCode" xml:"zoneCode"`
	RegionCode      string `json:"regionCode" xml:"regionCode"`
	ZoneDescription string `json:"zoneDescription" xml:"zoneDescription"`
}

// AccessControlGroup is one ACG.
type AccessControlGroup struct {
	AccessControlGroupNo          string             `json:"accessControlGroupNo" xml:"accessControlGroupNo"`
	AccessControlGroupName        string             `json:"accessControlGroupName" xml:"accessControlGroupName"`
	IsDefault                     bool               `json:"isDefault" xml:"isDefault"`
	VpcNo                         string             `json:"vpcNo" xml:"vpcNo"`
	AccessControlGroupStatus      *legacy.CommonCode `json:"accessControlGroupStatus" xml:"accessControlGroupStatus"`
	AccessControlGroupDescription string             `json:"accessControlGroupDescription" xml:"accessControlGroupDescription"`
}

// RegionListResponse answers getRegionList.
type RegionListResponse struct {
	legacy.Response
	RegionList []Region `json:"regionList" xml:"regionList>region"`
}

// ZoneListResponse answers getZoneList.
type ZoneListResponse struct {
	legacy.Response
	ZoneList []Zone `json:"zoneList" xml:"zoneList>zone"`
}

// AccessControlGroupListResponse answers getAccessControlGroupList.
type AccessControlGroupListResponse struct {
	legacy.Response
	AccessControlGroupList []AccessControlGroup `json:"accessControlGroupList" xml:"accessControlGroupList>accessControlGroup"`
}
