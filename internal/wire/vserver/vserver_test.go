package vserver

import (
	"encoding/xml"
	"os"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func checkZones(t *testing.T, got ZoneListResponse) {
	t.Helper()
	if got.TotalRows != 2 || len(got.ZoneList) != 2 {
		t.Fatalf("totalRows %d, %d zones", got.TotalRows, len(got.ZoneList))
	}
	want := []Zone{
		{ZoneName: "KR-2", ZoneCode: "KR-2", RegionCode: "KR", ZoneDescription: "평촌 zone"},
		{ZoneName: "KR-1", ZoneCode: "KR-1", RegionCode: "KR", ZoneDescription: "가산 zone"},
	}
	for i := range want {
		if got.ZoneList[i] != want[i] {
			t.Errorf("zone %d = %+v, want %+v", i, got.ZoneList[i], want[i])
		}
	}
}

// TestGetZoneListXMLFixture decodes the getZoneList example of the official
// API guide (DOC:compute-vserver-server-common-getzonelist, gov/ko edition).
func TestGetZoneListXMLFixture(t *testing.T) {
	t.Parallel()
	var got ZoneListResponse
	if err := xml.Unmarshal(readFixture(t, "getZoneList.xml"), &got); err != nil {
		t.Fatal(err)
	}
	if got.RequestID != "9a3aefb2-4d35-4cfe-9152-e4c451cc7966" || got.ReturnCode != "0" {
		t.Errorf("common fields: %+v", got.Response)
	}
	checkZones(t, got)
}

// TestGetZoneListJSONFixture decodes the pretty-printed JSON example of the
// same guide page; its layout (no trailing newline) is one the SDK reads.
func TestGetZoneListJSONFixture(t *testing.T) {
	t.Parallel()
	body := readFixture(t, "getZoneList.json")
	var strict, sdk ZoneListResponse
	if err := legacy.DecodeJSON(body, ActionGetZoneList, &strict); err != nil {
		t.Fatal(err)
	}
	if err := legacy.UnwrapLikeSDK(body, &sdk); err != nil {
		t.Fatalf("the SDK expression cannot read the guide's example: %v", err)
	}
	checkZones(t, strict)
	checkZones(t, sdk)
}

func TestAccessControlGroupRoundTrip(t *testing.T) {
	t.Parallel()
	in := AccessControlGroupListResponse{
		Response: Response{RequestID: "r", ReturnCode: "0", ReturnMessage: "success", TotalRows: 1},
		AccessControlGroupList: []AccessControlGroup{{
			AccessControlGroupNo: "9", AccessControlGroupName: "v-default-acg", IsDefault: true, VpcNo: "4",
			AccessControlGroupStatus: &CommonCode{Code: "RUN", CodeName: "run"},
		}},
	}
	body, err := legacy.EncodeJSON(ActionGetAccessControlGroupList, in)
	if err != nil {
		t.Fatal(err)
	}
	var viaJSON AccessControlGroupListResponse
	if err := legacy.UnwrapLikeSDK(body, &viaJSON); err != nil {
		t.Fatal(err)
	}
	body, err = legacy.EncodeXML(ActionGetAccessControlGroupList, in)
	if err != nil {
		t.Fatal(err)
	}
	var viaXML AccessControlGroupListResponse
	if err := xml.Unmarshal(body, &viaXML); err != nil {
		t.Fatal(err)
	}
	for _, got := range []AccessControlGroupListResponse{viaJSON, viaXML} {
		if len(got.AccessControlGroupList) != 1 {
			t.Fatalf("got %+v", got)
		}
		a := got.AccessControlGroupList[0]
		if a.AccessControlGroupNo != "9" || !a.IsDefault || a.VpcNo != "4" || a.AccessControlGroupStatus.Code != "RUN" {
			t.Errorf("got %+v", a)
		}
	}
}
