package vpc

import wirevserver "github.com/ncplabs/terraform-provider-ncp/internal/wire/vserver"

// Site is the NCP site ncplocal emulates: its regions and zones (the
// catalog in package wire/vserver) are what getRegionList and getZoneList
// list and what createSubnet accepts.
const Site = wirevserver.SitePublic

// DefaultRegion is the regionCode used when a call names none. NCP uses "the
// first region of getRegionList", which is KR.
const DefaultRegion = "KR"

// KnownRegion reports whether code is a region of Site.
func KnownRegion(code string) bool {
	_, ok := wirevserver.LookupRegion(Site, code)
	return ok
}

// zoneCodes returns the zone codes of region code of Site.
func zoneCodes(code string) []string { return wirevserver.ZoneCodes(Site, code) }
