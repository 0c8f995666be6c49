package vpc

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

// TestCreateVpcXMLFixture decodes the createVpc response example of the
// official API guide (DOC:networking-vpc-vpcmanagement-createvpc; the guide
// masks the numbers and CIDR with ***, the fixture fills them in).
func TestCreateVpcXMLFixture(t *testing.T) {
	t.Parallel()
	var got VpcListResponse
	if err := xml.Unmarshal(readFixture(t, "createVpc.xml"), &got); err != nil {
		t.Fatal(err)
	}
	if got.RequestID != "21a29c59-3139-4c23-9f92-10c1fddafef6" || got.ReturnCode != legacy.ReturnCodeSuccess ||
		got.ReturnMessage != "success" || got.TotalRows != 1 {
		t.Errorf("common fields: %+v", got.Response)
	}
	if len(got.VpcList) != 1 {
		t.Fatalf("vpcList has %d items, want 1", len(got.VpcList))
	}
	v := got.VpcList[0]
	if v.VpcNo != "3804" || v.VpcName != "test-vpc" || v.Ipv4CidrBlock != "10.0.0.0/16" || v.RegionCode != "KR" ||
		v.CreateDate != "2020-07-27T17:17:05+0900" {
		t.Errorf("vpc: %+v", v)
	}
	if v.VpcStatus == nil || v.VpcStatus.Code != StatusInit || v.VpcStatus.CodeName != "init" {
		t.Errorf("vpcStatus: %+v", v.VpcStatus)
	}
}

// TestGetVpcListJSONFixture decodes the ncloud CLI output quoted in
// ncp-api.md §5.1, both with the strict decoder and with the official SDK's
// unwrapping expression.
func TestGetVpcListJSONFixture(t *testing.T) {
	t.Parallel()
	body := readFixture(t, "getVpcList.json")
	var strict, sdk VpcListResponse
	if err := legacy.DecodeJSON(body, ActionGetVpcList, &strict); err != nil {
		t.Fatal(err)
	}
	if err := legacy.UnwrapLikeSDK(body, &sdk); err != nil {
		t.Fatalf("the SDK expression cannot read the CLI output: %v", err)
	}
	for _, got := range []VpcListResponse{strict, sdk} {
		if got.TotalRows != 2 || len(got.VpcList) != 2 {
			t.Fatalf("totalRows %d, %d items", got.TotalRows, len(got.VpcList))
		}
		v := got.VpcList[0]
		if v.VpcNo != "62764" || v.RegionCode != "KR" || v.VpcStatus == nil ||
			v.VpcStatus.Code != StatusRun || v.VpcStatus.CodeName != "운영중" {
			t.Errorf("first vpc: %+v status %+v", v, v.VpcStatus)
		}
	}
}

// TestGetSubnetDetailXMLFixture decodes the getSubnetDetail response example
// of the official API guide (DOC:networking-vpc-subnetmanagement-getsubnetdetail).
func TestGetSubnetDetailXMLFixture(t *testing.T) {
	t.Parallel()
	var got SubnetListResponse
	if err := xml.Unmarshal(readFixture(t, "getSubnetDetail.xml"), &got); err != nil {
		t.Fatal(err)
	}
	if got.TotalRows != 1 || len(got.SubnetList) != 1 {
		t.Fatalf("totalRows %d, %d items", got.TotalRows, len(got.SubnetList))
	}
	s := got.SubnetList[0]
	if s.SubnetNo != "2743" || s.VpcNo != "3804" || s.ZoneCode != "KR-1" || s.SubnetName != "test-subnet" ||
		s.Subnet != "10.0.1.0/24" || s.NetworkAclNo != "4431" || s.CreateDate != "2020-05-04T11:49:52+0900" {
		t.Errorf("subnet: %+v", s)
	}
	if s.SubnetStatus == nil || s.SubnetStatus.Code != StatusRun ||
		s.SubnetType == nil || s.SubnetType.Code != SubnetTypePublic || s.SubnetType.CodeName != "Public" ||
		s.UsageType == nil || s.UsageType.Code != UsageTypeGen || s.UsageType.CodeName != "General" {
		t.Errorf("codes: %+v %+v %+v", s.SubnetStatus, s.SubnetType, s.UsageType)
	}
}

// requireAllFieldsSet fails when a field of the struct v is the zero value,
// so that a fixture comparison covers every field.
func requireAllFieldsSet(t *testing.T, v any) {
	t.Helper()
	rv := reflect.ValueOf(v)
	for i := range rv.NumField() {
		if rv.Field(i).IsZero() {
			t.Fatalf("%T.%s is zero in the expected value; give every field a value", v, rv.Type().Field(i).Name)
		}
	}
}

// decodeListFixtures decodes testdata/<action>.json (with the strict decoder
// and with the SDK expression) and testdata/<action>.xml into fresh values
// and returns them keyed by how they were decoded.
func decodeListFixtures[T any](t *testing.T, action string) map[string]*T {
	t.Helper()
	body := readFixture(t, action+".json")
	var strict, sdk, viaXML T
	if err := legacy.DecodeJSON(body, action, &strict); err != nil {
		t.Fatalf("%s.json: %v", action, err)
	}
	if err := legacy.UnwrapLikeSDK(body, &sdk); err != nil {
		t.Fatalf("%s.json with the SDK expression: %v", action, err)
	}
	if err := xml.Unmarshal(readFixture(t, action+".xml"), &viaXML); err != nil {
		t.Fatalf("%s.xml: %v", action, err)
	}
	return map[string]*T{"JSON": &strict, "JSON (SDK)": &sdk, "XML": &viaXML}
}

// The fixtures below are hand-written literals that spell out every field
// name ncp-api.md §5.2 lists for the object, so that a misspelled json or
// xml tag fails to decode the field (a round trip through the same tags
// would not notice). The XML item elements (networkAcl, routeTable) follow
// the guide's vpcList>vpc layout.

// TestGetNetworkAclListFixtures decodes a literal getNetworkAclList
// response in both formats and checks every field.
func TestGetNetworkAclListFixtures(t *testing.T) {
	t.Parallel()
	wantResp := legacy.Response{RequestID: "6b1c2f0e-5d7a-4a55-9b0c-3f1e2d4c5a61", ReturnCode: legacy.ReturnCodeSuccess, ReturnMessage: "success", TotalRows: 1}
	want := NetworkAcl{
		NetworkAclNo:          "4431",
		NetworkAclName:        "test-vpc-default-network-acl",
		VpcNo:                 "3804",
		NetworkAclStatus:      &legacy.CommonCode{Code: StatusRun, CodeName: "run"},
		NetworkAclDescription: "default network acl",
		CreateDate:            "2020-07-27T17:17:05+0900",
		IsDefault:             true,
	}
	requireAllFieldsSet(t, wantResp)
	requireAllFieldsSet(t, want)
	for how, got := range decodeListFixtures[NetworkAclListResponse](t, ActionGetNetworkAclList) {
		if got.Response != wantResp {
			t.Errorf("%s: common fields = %+v, want %+v", how, got.Response, wantResp)
		}
		if len(got.NetworkAclList) != 1 {
			t.Fatalf("%s: networkAclList has %d items, want 1", how, len(got.NetworkAclList))
		}
		if a := got.NetworkAclList[0]; !reflect.DeepEqual(a, want) {
			t.Errorf("%s: networkAcl = %+v (status %+v), want %+v (status %+v)", how, a, a.NetworkAclStatus, want, want.NetworkAclStatus)
		}
	}
}

// TestGetRouteTableListFixtures decodes a literal getRouteTableList
// response in both formats and checks every field.
func TestGetRouteTableListFixtures(t *testing.T) {
	t.Parallel()
	wantResp := legacy.Response{RequestID: "0d6f3a8e-2c41-4f0b-8e7a-9c5b1d2e3f40", ReturnCode: legacy.ReturnCodeSuccess, ReturnMessage: "success", TotalRows: 1}
	want := RouteTable{
		RouteTableNo:          "7290",
		RouteTableName:        "test-vpc-default-private-table",
		RegionCode:            "KR",
		VpcNo:                 "3804",
		SupportedSubnetType:   &legacy.CommonCode{Code: SubnetTypePrivate, CodeName: "Private"},
		IsDefault:             true,
		RouteTableStatus:      &legacy.CommonCode{Code: StatusRun, CodeName: "run"},
		RouteTableDescription: "default private route table",
	}
	requireAllFieldsSet(t, wantResp)
	requireAllFieldsSet(t, want)
	for how, got := range decodeListFixtures[RouteTableListResponse](t, ActionGetRouteTableList) {
		if got.Response != wantResp {
			t.Errorf("%s: common fields = %+v, want %+v", how, got.Response, wantResp)
		}
		if len(got.RouteTableList) != 1 {
			t.Fatalf("%s: routeTableList has %d items, want 1", how, len(got.RouteTableList))
		}
		if r := got.RouteTableList[0]; !reflect.DeepEqual(r, want) {
			t.Errorf("%s: routeTable = %+v (type %+v, status %+v), want %+v (type %+v, status %+v)", how,
				r, r.SupportedSubnetType, r.RouteTableStatus, want, want.SupportedSubnetType, want.RouteTableStatus)
		}
	}
}

// TestEncodeRoundTrip renders every list response in both formats and reads
// it back: with the SDK expression for JSON and encoding/xml for XML.
func TestEncodeRoundTrip(t *testing.T) {
	t.Parallel()
	run := &legacy.CommonCode{Code: StatusRun, CodeName: "run"}
	resp := legacy.Response{RequestID: "r", ReturnCode: legacy.ReturnCodeSuccess, ReturnMessage: "success", TotalRows: 1}
	cases := []struct {
		action string
		in     any
		out    func() any
		check  func(t *testing.T, v any)
	}{
		{ActionGetNetworkAclList,
			NetworkAclListResponse{Response: resp, NetworkAclList: []NetworkAcl{{NetworkAclNo: "5", VpcNo: "4", NetworkAclStatus: run, IsDefault: true}}},
			func() any { return &NetworkAclListResponse{} },
			func(t *testing.T, v any) {
				got, ok := v.(*NetworkAclListResponse)
				if !ok {
					t.Fatalf("decoded %T, want *NetworkAclListResponse", v)
				}
				if len(got.NetworkAclList) != 1 || !got.NetworkAclList[0].IsDefault || got.NetworkAclList[0].NetworkAclStatus.Code != StatusRun {
					t.Errorf("got %+v", got)
				}
			}},
		{ActionGetRouteTableList,
			RouteTableListResponse{Response: resp, RouteTableList: []RouteTable{{RouteTableNo: "6", SupportedSubnetType: &legacy.CommonCode{Code: SubnetTypePrivate}, IsDefault: true}}},
			func() any { return &RouteTableListResponse{} },
			func(t *testing.T, v any) {
				got, ok := v.(*RouteTableListResponse)
				if !ok {
					t.Fatalf("decoded %T, want *RouteTableListResponse", v)
				}
				if len(got.RouteTableList) != 1 || got.RouteTableList[0].SupportedSubnetType.Code != SubnetTypePrivate {
					t.Errorf("got %+v", got)
				}
			}},
	}
	for _, tc := range cases {
		body, err := legacy.EncodeJSON(tc.action, tc.in)
		if err != nil {
			t.Fatal(err)
		}
		out := tc.out()
		if err := legacy.UnwrapLikeSDK(body, out); err != nil {
			t.Fatalf("%s JSON: %v", tc.action, err)
		}
		tc.check(t, out)
		body, err = legacy.EncodeXML(tc.action, tc.in)
		if err != nil {
			t.Fatal(err)
		}
		out = tc.out()
		if err := xml.Unmarshal(body, out); err != nil {
			t.Fatalf("%s XML: %v", tc.action, err)
		}
		tc.check(t, out)
	}
}
