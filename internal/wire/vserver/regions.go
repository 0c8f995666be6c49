package vserver

import "slices"

// Site names: NCP's public, government and financial clouds.
const (
	SitePublic = "public"
	SiteGov    = "gov"
	SiteFin    = "fin"
)

// RegionInfo is one region of a site with its zones, as getRegionList and
// getZoneList list them.
type RegionInfo struct {
	Code  string
	Name  string
	Zones []ZoneInfo
}

// ZoneInfo is one zone of a region.
type ZoneInfo struct {
	Code        string
	Name        string
	Description string
}

// catalog holds the regions of every site, each in getRegionList order,
// with their zones in getZoneList order.
//
//   - Public KR: the getZoneList examples of the guide (ko and ja editions,
//     DOC:compute-vserver-server-common-getzonelist) list KR-2 "평촌 zone"
//     first, then KR-1 "가산 zone".
//   - Public SGN and JPN: the VPC getRegionList example (DOC:compute-vserver-
//     server-common-getregionlist) lists KR "Korea", SGN "Singapore(New)"
//     and JPN "Japan(New)". Their VPC zones SGN-4/SGN-5 and JPN-4/JPN-5 come
//     from NCP's region and zone table as public inventory tools quote it
//     [?]; no description is documented, so none is given (the field is
//     optional).
//   - Public USWN and DEN: named in the Classic getRegionList example
//     ("US-West(New)", "Germany(New)") but absent from the VPC one; their
//     only documented zones are the Classic USWN-1 and DEN-1 [?]. They are
//     listed so that a provider configured for them works against ncplocal.
//   - Gov KR: the gov guide's getZoneList example (KR-2, KR-1).
//   - Fin FKR: the region code is the one the official provider uses; its
//     zones FKR-1 and FKR-2 and the name are [?].
//
// A zone without a documented description has none.
var catalog = map[string][]RegionInfo{
	SitePublic: {
		{Code: "KR", Name: "Korea", Zones: []ZoneInfo{
			{Code: "KR-2", Name: "KR-2", Description: "평촌 zone"},
			{Code: "KR-1", Name: "KR-1", Description: "가산 zone"},
		}},
		{Code: "SGN", Name: "Singapore(New)", Zones: []ZoneInfo{
			{Code: "SGN-4", Name: "SGN-4"},
			{Code: "SGN-5", Name: "SGN-5"},
		}},
		{Code: "JPN", Name: "Japan(New)", Zones: []ZoneInfo{
			{Code: "JPN-4", Name: "JPN-4"},
			{Code: "JPN-5", Name: "JPN-5"},
		}},
		{Code: "USWN", Name: "US-West(New)", Zones: []ZoneInfo{
			{Code: "USWN-1", Name: "USWN-1"},
		}},
		{Code: "DEN", Name: "Germany(New)", Zones: []ZoneInfo{
			{Code: "DEN-1", Name: "DEN-1"},
		}},
	},
	SiteGov: {
		{Code: "KR", Name: "Korea", Zones: []ZoneInfo{
			{Code: "KR-2", Name: "KR-2", Description: "평촌 zone"},
			{Code: "KR-1", Name: "KR-1", Description: "가산 zone"},
		}},
	},
	SiteFin: {
		{Code: "FKR", Name: "Korea", Zones: []ZoneInfo{
			{Code: "FKR-1", Name: "FKR-1"},
			{Code: "FKR-2", Name: "FKR-2"},
		}},
	},
}

// Sites returns the site names, public first.
func Sites() []string { return []string{SitePublic, SiteGov, SiteFin} }

// Regions returns a copy of the regions of site in getRegionList order;
// nil for an unknown site.
func Regions(site string) []RegionInfo {
	rs := catalog[site]
	if rs == nil {
		return nil
	}
	out := make([]RegionInfo, len(rs))
	for i, r := range rs {
		out[i] = r
		out[i].Zones = slices.Clone(r.Zones)
	}
	return out
}

// LookupRegion returns region code of site.
func LookupRegion(site, code string) (RegionInfo, bool) {
	for _, r := range Regions(site) {
		if r.Code == code {
			return r, true
		}
	}
	return RegionInfo{}, false
}

// RegionCodes returns the region codes of site in getRegionList order.
func RegionCodes(site string) []string {
	var out []string
	for _, r := range catalog[site] {
		out = append(out, r.Code)
	}
	return out
}

// ZoneCodes returns the zone codes of region code of site in getZoneList
// order; nil when the site has no such region.
func ZoneCodes(site, region string) []string {
	r, _ := LookupRegion(site, region)
	var out []string
	for _, z := range r.Zones {
		out = append(out, z.Code)
	}
	return out
}

// RegionCodesBySite returns, for every site, its region codes.
func RegionCodesBySite() map[string][]string {
	out := make(map[string][]string, len(catalog))
	for site := range catalog {
		out[site] = RegionCodes(site)
	}
	return out
}
