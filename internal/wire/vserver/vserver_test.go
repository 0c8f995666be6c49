package vserver

import (
	"encoding/xml"
	"os"
	"reflect"
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

// TestGetAccessControlGroupListFixtures decodes hand-written literal
// getAccessControlGroupList responses that spell out every field name
// ncp-api.md §5.2 lists for an ACG (the XML item element follows the
// guide's zoneList>zone layout), in both formats, and checks every field:
// a misspelled json or xml tag would leave a field empty.
func TestGetAccessControlGroupListFixtures(t *testing.T) {
	t.Parallel()
	wantResp := legacy.Response{RequestID: "a4e7c9d2-1b3f-4e6a-8d5c-7f2e1a0b9c38", ReturnCode: "0", ReturnMessage: "success", TotalRows: 1}
	want := AccessControlGroup{
		AccessControlGroupNo:          "14215",
		AccessControlGroupName:        "test-vpc-default-acg",
		IsDefault:                     true,
		VpcNo:                         "3804",
		AccessControlGroupStatus:      &legacy.CommonCode{Code: "RUN", CodeName: "run"},
		AccessControlGroupDescription: "default ACG",
	}
	for _, v := range []any{wantResp, want} {
		rv := reflect.ValueOf(v)
		for i := range rv.NumField() {
			if rv.Field(i).IsZero() {
				t.Fatalf("%T.%s is zero in the expected value; give every field a value", v, rv.Type().Field(i).Name)
			}
		}
	}
	body := readFixture(t, "getAccessControlGroupList.json")
	var strict, sdk, viaXML AccessControlGroupListResponse
	if err := legacy.DecodeJSON(body, ActionGetAccessControlGroupList, &strict); err != nil {
		t.Fatal(err)
	}
	if err := legacy.UnwrapLikeSDK(body, &sdk); err != nil {
		t.Fatalf("the SDK expression: %v", err)
	}
	if err := xml.Unmarshal(readFixture(t, "getAccessControlGroupList.xml"), &viaXML); err != nil {
		t.Fatal(err)
	}
	for how, got := range map[string]AccessControlGroupListResponse{"JSON": strict, "JSON (SDK)": sdk, "XML": viaXML} {
		if got.Response != wantResp {
			t.Errorf("%s: common fields = %+v, want %+v", how, got.Response, wantResp)
		}
		if len(got.AccessControlGroupList) != 1 {
			t.Fatalf("%s: accessControlGroupList has %d items, want 1", how, len(got.AccessControlGroupList))
		}
		if a := got.AccessControlGroupList[0]; !reflect.DeepEqual(a, want) {
			t.Errorf("%s: accessControlGroup = %+v (status %+v), want %+v (status %+v)", how, a, a.AccessControlGroupStatus, want, want.AccessControlGroupStatus)
		}
	}
}

func TestAccessControlGroupRoundTrip(t *testing.T) {
	t.Parallel()
	in := AccessControlGroupListResponse{
		Response: legacy.Response{RequestID: "r", ReturnCode: "0", ReturnMessage: "success", TotalRows: 1},
		AccessControlGroupList: []AccessControlGroup{{
			AccessControlGroupNo: "9", AccessControlGroupName: "v-default-acg", IsDefault: true, VpcNo: "4",
			AccessControlGroupStatus: &legacy.CommonCode{Code: "RUN", CodeName: "run"},
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
