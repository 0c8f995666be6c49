package vpc

import "slices"

// Region is a region ncplocal serves, with its zones. The VPC and VServer
// emulators share this catalog: createSubnet checks zoneCode against it and
// vserver getRegionList/getZoneList list it.
type Region struct {
	Code  string
	Name  string
	Zones []Zone
}

// Zone is one zone of a region.
type Zone struct {
	Code        string
	Name        string
	Description string
}

// DefaultRegion is the regionCode used when a call names none. NCP uses "the
// first region of getRegionList", which is KR.
const DefaultRegion = "KR"

// regions is the catalog. Only KR is served. Its zones, their names,
// descriptions and order are those of the getZoneList example in the
// official guide (DOC:compute-vserver-server-common-getzonelist, gov/ko
// edition): KR-2 "평촌 zone" first, then KR-1 "가산 zone". The English
// guide's classic-API example agrees (KR-2 Pyeongchon, KR-1 Gasan).
var regions = []Region{{
	Code: "KR",
	Name: "Korea",
	Zones: []Zone{
		{Code: "KR-2", Name: "KR-2", Description: "평촌 zone"},
		{Code: "KR-1", Name: "KR-1", Description: "가산 zone"},
	},
}}

// Regions returns the regions ncplocal serves, in getRegionList order.
func Regions() []Region {
	out := make([]Region, len(regions))
	for i, r := range regions {
		out[i] = r
		out[i].Zones = slices.Clone(r.Zones)
	}
	return out
}

// LookupRegion returns the region with code.
func LookupRegion(code string) (Region, bool) {
	for _, r := range Regions() {
		if r.Code == code {
			return r, true
		}
	}
	return Region{}, false
}

// KnownRegion reports whether code is a region ncplocal serves.
func KnownRegion(code string) bool {
	_, ok := LookupRegion(code)
	return ok
}

// zoneCodes returns the zone codes of region code.
func zoneCodes(code string) []string {
	r, _ := LookupRegion(code)
	out := make([]string, 0, len(r.Zones))
	for _, z := range r.Zones {
		out = append(out, z.Code)
	}
	return out
}
