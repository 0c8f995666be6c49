package vserver

import (
	"regexp"
	"slices"
	"testing"
)

func TestCatalog(t *testing.T) {
	t.Parallel()
	zoneShape := regexp.MustCompile(`^[A-Z]+-[0-9]+$`)
	for _, site := range Sites() {
		regions := Regions(site)
		if len(regions) == 0 {
			t.Fatalf("site %s has no regions", site)
		}
		seen := map[string]bool{}
		for _, r := range regions {
			if r.Code == "" || r.Name == "" || len(r.Zones) == 0 {
				t.Errorf("%s: incomplete region %+v", site, r)
			}
			for _, z := range r.Zones {
				if !zoneShape.MatchString(z.Code) || z.Name != z.Code || seen[z.Code] {
					t.Errorf("%s/%s: bad or repeated zone %+v", site, r.Code, z)
				}
				seen[z.Code] = true
			}
			if got := ZoneCodes(site, r.Code); len(got) != len(r.Zones) || got[0] != r.Zones[0].Code {
				t.Errorf("ZoneCodes(%s, %s) = %v", site, r.Code, got)
			}
		}
	}
	if got := RegionCodes(SitePublic); !slices.Equal(got, []string{"KR", "SGN", "JPN", "USWN", "DEN"}) {
		t.Errorf("public regions %v", got)
	}
	if got := ZoneCodes(SitePublic, "KR"); !slices.Equal(got, []string{"KR-2", "KR-1"}) {
		t.Errorf("KR zones %v, want the getZoneList order KR-2, KR-1", got)
	}
	if _, ok := LookupRegion(SiteGov, "SGN"); ok {
		t.Error("gov has no SGN region")
	}
	if ZoneCodes("mars", "KR") != nil || Regions("mars") != nil {
		t.Error("unknown site has regions")
	}
	// Regions returns copies: changing one never changes the catalog.
	Regions(SitePublic)[0].Zones[0].Code = "XX-1"
	if ZoneCodes(SitePublic, "KR")[0] != "KR-2" {
		t.Error("Regions exposed the catalog")
	}
	if by := RegionCodesBySite(); !slices.Equal(by[SiteFin], []string{"FKR"}) || len(by) != 3 {
		t.Errorf("RegionCodesBySite() = %v", by)
	}
}
