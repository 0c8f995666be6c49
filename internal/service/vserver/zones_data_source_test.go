package vserver_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	ncplocalvpc "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	wirevserver "github.com/ncplabs/terraform-provider-ncp/internal/wire/vserver"
)

// expectedZones returns the checks of the zones ncplocal serves for region,
// sorted by code as the data source sorts them.
func expectedZones(t *testing.T, region string) (zones, codes []knownvalue.Check) {
	t.Helper()
	r, ok := wirevserver.LookupRegion(ncplocalvpc.Site, region)
	if !ok {
		t.Fatalf("ncplocal does not serve region %s", region)
	}
	catalog := slices.Clone(r.Zones)
	slices.SortFunc(catalog, func(a, b wirevserver.ZoneInfo) int { return strings.Compare(a.Code, b.Code) })
	for _, z := range catalog {
		zones = append(zones, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"zone_code":   knownvalue.StringExact(z.Code),
			"zone_name":   knownvalue.StringExact(z.Name),
			"region_code": knownvalue.StringExact(r.Code),
			"description": knownvalue.StringExact(z.Description),
		}))
		codes = append(codes, knownvalue.StringExact(z.Code))
	}
	return zones, codes
}

func TestAccZonesDataSource_basic(t *testing.T) {
	srv := acctest.NewTarget(t).Server(t, "the zones are compared with ncplocal's catalog")
	zones, codes := expectedZones(t, "KR")
	sgnZones, sgnCodes := expectedZones(t, "SGN")
	const name = "data.ncp_zones.test"

	acctest.ParallelTest(t, srv, resource.TestCase{
		Steps: []resource.TestStep{
			{
				// The region defaults to the provider's.
				Config: `data "ncp_zones" "test" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(name, tfjsonpath.New("region"), knownvalue.StringExact("KR")),
					statecheck.ExpectKnownValue(name, tfjsonpath.New("zone_codes"), knownvalue.ListExact(codes)),
					statecheck.ExpectKnownValue(name, tfjsonpath.New("zone_codes").AtSliceIndex(0), knownvalue.StringExact("KR-1")),
					statecheck.ExpectKnownValue(name, tfjsonpath.New("zone_codes").AtSliceIndex(1), knownvalue.StringExact("KR-2")),
					statecheck.ExpectKnownValue(name, tfjsonpath.New("zones"), knownvalue.ListExact(zones)),
				},
			},
			{
				// The provider's region is the default.
				Config: `
provider "ncp" {
  region = "SGN"
}

data "ncp_zones" "test" {}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(name, tfjsonpath.New("region"), knownvalue.StringExact("SGN")),
					statecheck.ExpectKnownValue(name, tfjsonpath.New("zone_codes"), knownvalue.ListExact(sgnCodes)),
					statecheck.ExpectKnownValue(name, tfjsonpath.New("zones"), knownvalue.ListExact(sgnZones)),
				},
			},
			{
				// The data source's region wins over the provider's.
				Config: `
provider "ncp" {
  region = "SGN"
}

data "ncp_zones" "test" {
  region = "KR"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(name, tfjsonpath.New("region"), knownvalue.StringExact("KR")),
					statecheck.ExpectKnownValue(name, tfjsonpath.New("zone_codes"), knownvalue.ListExact(codes)),
					statecheck.ExpectKnownValue(name, tfjsonpath.New("zones"), knownvalue.ListExact(zones)),
				},
			},
		},
	})
}

// TestAccZonesDataSource_unknownRegion checks that NCP's own error reaches
// the user.
func TestAccZonesDataSource_unknownRegion(t *testing.T) {
	srv := acctest.NewTarget(t).Server(t, "the error is ncplocal's")
	acctest.ParallelTest(t, srv, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      `data "ncp_zones" "test" { region = "XX" }`,
			ExpectError: regexp.MustCompile(`(?s)Error listing the zones of region XX.*NCP\s+returned\s+error\s+\d+.*regionCode.*Call:\s+vserver\s+getZoneList`),
		}},
	})
}
