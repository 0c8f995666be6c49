package vserver_test

import (
	"encoding/xml"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/legacyapi/legacyapitest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vserver"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wirevpc "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vserver"
)

var (
	t0 = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	p  = legacyapitest.Params
)

const delay = 10 * time.Second

type fixture struct {
	clock      *legacyapitest.Clock
	vpcs       *vpc.Service
	svc        *vserver.Service
	vpcA, vpcB *legacyapitest.Client // VPC API as accounts A and B
	a, b       *legacyapitest.Client // VServer API as accounts A and B
}

func newFixture(t *testing.T, d time.Duration) *fixture {
	t.Helper()
	clock := legacyapitest.NewClock(t0, d)
	vpcs := vpc.New(clock.Env())
	svc := vserver.New(clock.Env(), vpcs)
	return &fixture{
		clock: clock,
		vpcs:  vpcs,
		svc:   svc,
		vpcA:  legacyapitest.NewClient(t, vpcs, wirevpc.PathPrefix, "acct-a"),
		vpcB:  legacyapitest.NewClient(t, vpcs, wirevpc.PathPrefix, "acct-b"),
		a:     legacyapitest.NewClient(t, svc, wire.PathPrefix, "acct-a"),
		b:     legacyapitest.NewClient(t, svc, wire.PathPrefix, "acct-b"),
	}
}

func createVpc(t *testing.T, c *legacyapitest.Client, cidr, name string) wirevpc.Vpc {
	t.Helper()
	resp := legacyapitest.Decode[wirevpc.VpcListResponse](t, c.Call(wirevpc.ActionCreateVpc, p(wirevpc.ParamIpv4CidrBlock, cidr, wirevpc.ParamVpcName, name)), wirevpc.ActionCreateVpc)
	if len(resp.VpcList) != 1 {
		t.Fatalf("createVpc returned %d VPCs", len(resp.VpcList))
	}
	return resp.VpcList[0]
}

func acgs(t *testing.T, c *legacyapitest.Client, kv ...string) wire.AccessControlGroupListResponse {
	t.Helper()
	resp := legacyapitest.Decode[wire.AccessControlGroupListResponse](t, c.Call(wire.ActionGetAccessControlGroupList, p(kv...)), wire.ActionGetAccessControlGroupList)
	if resp.AccessControlGroupList == nil {
		t.Fatal("accessControlGroupList is null, want a JSON array")
	}
	return resp
}

func statusOf(a wire.AccessControlGroup) string {
	if a.AccessControlGroupStatus == nil {
		return "<nil>"
	}
	return a.AccessControlGroupStatus.Code
}

func TestServiceIdentity(t *testing.T) {
	t.Parallel()
	svc := vserver.New(emu.Env{}, nil)
	var _ emu.GatewayService = svc
	var _ emu.Stateful = svc
	var _ emu.Reconciler = svc
	if svc.Name() != "vserver" {
		t.Errorf("Name() = %q", svc.Name())
	}
	if got := svc.PathPrefixes(); len(got) != 1 || got[0] != "/vserver/v2/" {
		t.Errorf("PathPrefixes() = %v", got)
	}
}

func TestGetRegionList(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	r := f.a.Call(wire.ActionGetRegionList, nil)
	if r.Op != "vserver:getRegionList" {
		t.Errorf("operation %q", r.Op)
	}
	resp := legacyapitest.Decode[wire.RegionListResponse](t, r, wire.ActionGetRegionList)
	want := []wire.Region{
		{RegionCode: "KR", RegionName: "Korea"},
		{RegionCode: "SGN", RegionName: "Singapore(New)"},
		{RegionCode: "JPN", RegionName: "Japan(New)"},
		{RegionCode: "USWN", RegionName: "US-West(New)"},
		{RegionCode: "DEN", RegionName: "Germany(New)"},
	}
	if resp.TotalRows != len(want) || !slices.Equal(resp.RegionList, want) {
		t.Errorf("regions %s", legacyapitest.JSON(resp))
	}
	// XML, the default format, as the official provider's SDK may ask.
	r = f.a.Do(http.MethodGet, "/vserver/v2/getRegionList", "", "")
	var x wire.RegionListResponse
	if err := xml.Unmarshal(r.Body, &x); err != nil || r.Status != http.StatusOK {
		t.Fatalf("HTTP %d %v: %s", r.Status, err, r.Body)
	}
	if !strings.Contains(string(r.Body), "<getRegionListResponse>") || len(x.RegionList) != len(want) || x.RegionList[0].RegionCode != "KR" {
		t.Errorf("XML %s", r.Body)
	}
}

func TestGetZoneList(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	want := []wire.Zone{
		{ZoneName: "KR-2", ZoneCode: "KR-2", RegionCode: "KR", ZoneDescription: "평촌 zone"},
		{ZoneName: "KR-1", ZoneCode: "KR-1", RegionCode: "KR", ZoneDescription: "가산 zone"},
	}
	for _, params := range [][]string{nil, {legacy.ParamRegionCode, "KR"}} {
		resp := legacyapitest.Decode[wire.ZoneListResponse](t, f.a.Call(wire.ActionGetZoneList, p(params...)), wire.ActionGetZoneList)
		if resp.TotalRows != 2 || len(resp.ZoneList) != 2 || resp.ZoneList[0] != want[0] || resp.ZoneList[1] != want[1] {
			t.Errorf("%v: zones %s", params, legacyapitest.JSON(resp))
		}
	}
	for region, zones := range map[string][]string{"SGN": {"SGN-4", "SGN-5"}, "JPN": {"JPN-4", "JPN-5"}, "USWN": {"USWN-1"}, "DEN": {"DEN-1"}} {
		resp := legacyapitest.Decode[wire.ZoneListResponse](t, f.a.Call(wire.ActionGetZoneList, p(legacy.ParamRegionCode, region)), wire.ActionGetZoneList)
		var got []string
		for _, z := range resp.ZoneList {
			got = append(got, z.ZoneCode)
			if z.RegionCode != region || z.ZoneName != z.ZoneCode {
				t.Errorf("%s: zone %+v", region, z)
			}
		}
		if !slices.Equal(got, zones) || resp.TotalRows != len(zones) {
			t.Errorf("%s: zones %v, want %v", region, got, zones)
		}
	}
	// HK is a Classic-only region; FKR belongs to the financial site.
	for _, region := range []string{"HK", "FKR", "kr"} {
		legacyapitest.ExpectError(t, f.a.Call(wire.ActionGetZoneList, p(legacy.ParamRegionCode, region)), http.StatusBadRequest, legacy.CodeInvalidParameter, "regionCode", region)
	}
}

func TestProtocolErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	legacyapitest.ExpectError(t, f.a.Call("getServerInstanceList", nil), http.StatusNotFound, "300", "getServerInstanceList")
	legacyapitest.ExpectGatewayError(t, f.a.Do(http.MethodDelete, "/vserver/v2/getZoneList?responseFormatType=json", "", ""), apigw.CodeBadRequest, "DELETE")
	legacyapitest.ExpectError(t, f.a.Do(http.MethodGet, "/vserver/v2/getZoneList?responseFormatType=csv", "", ""), http.StatusBadRequest, legacy.CodeInvalidParameter, "responseFormatType")
	anonymous := &legacyapitest.Client{T: t, Handler: f.svc, Prefix: wire.PathPrefix}
	legacyapitest.ExpectError(t, anonymous.Call(wire.ActionGetZoneList, nil), http.StatusInternalServerError, legacy.CodeUnknown, "account")
}

func TestDefaultAcgFollowsItsVpc(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	v := createVpc(t, f.vpcA, "10.0.0.0/16", "web-vpc")

	resp := acgs(t, f.a)
	if resp.TotalRows != 1 || len(resp.AccessControlGroupList) != 1 {
		t.Fatalf("ACGs %s", legacyapitest.JSON(resp))
	}
	acg := resp.AccessControlGroupList[0]
	if acg.AccessControlGroupName != "web-vpc-default-acg" || !acg.IsDefault || acg.VpcNo != v.VpcNo || statusOf(acg) != wire.StatusInit {
		t.Errorf("default ACG %s", legacyapitest.JSON(acg))
	}
	// No CREATING for ACGs: INIT until the VPC is RUN.
	f.clock.Advance(delay / 2)
	if got := acgs(t, f.a).AccessControlGroupList[0]; statusOf(got) != wire.StatusInit {
		t.Errorf("halfway: %s", statusOf(got))
	}
	f.clock.Advance(delay / 2)
	if got := acgs(t, f.a).AccessControlGroupList[0]; statusOf(got) != wire.StatusRun || got.AccessControlGroupStatus.CodeName != "run" {
		t.Errorf("after the delay: %+v", got.AccessControlGroupStatus)
	}

	legacyapitest.Decode[wirevpc.VpcListResponse](t, f.vpcA.Call(wirevpc.ActionDeleteVpc, p(wirevpc.ParamVpcNo, v.VpcNo)), wirevpc.ActionDeleteVpc)
	if got := acgs(t, f.a).AccessControlGroupList; len(got) != 1 || statusOf(got[0]) != wire.StatusTermting {
		t.Errorf("during VPC deletion: %s", legacyapitest.JSON(got))
	}
	f.clock.Advance(delay)
	if got := acgs(t, f.a); got.TotalRows != 0 || len(got.AccessControlGroupList) != 0 {
		t.Errorf("after VPC deletion: %s", legacyapitest.JSON(got))
	}
	if inv := f.svc.Inventory("acct-a"); inv != nil {
		t.Errorf("inventory after deletion: %s", legacyapitest.JSON(inv))
	}
}

func TestAccessControlGroupListFilters(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	v1 := createVpc(t, f.vpcA, "10.0.0.0/16", "one")
	f.clock.Advance(delay)
	v2 := createVpc(t, f.vpcA, "10.1.0.0/16", "two")
	v3 := createVpc(t, f.vpcA, "10.2.0.0/16", "three")
	createVpc(t, f.vpcB, "10.0.0.0/16", "one")

	all := acgs(t, f.a).AccessControlGroupList
	if len(all) != 3 {
		t.Fatalf("ACGs %s", legacyapitest.JSON(all))
	}
	names := func(kv ...string) (int, string) {
		t.Helper()
		resp := acgs(t, f.a, kv...)
		var out []string
		for _, a := range resp.AccessControlGroupList {
			out = append(out, a.AccessControlGroupName)
		}
		return resp.TotalRows, strings.Join(out, ",")
	}
	for _, tc := range []struct {
		kv    []string
		total int
		want  string
	}{
		{nil, 3, "one-default-acg,two-default-acg,three-default-acg"},
		{[]string{wirevpc.ParamVpcNo, v2.VpcNo}, 1, "two-default-acg"},
		{[]string{wire.ParamAccessControlGroupName, "three-default-acg"}, 1, "three-default-acg"},
		{[]string{wire.ParamAccessControlGroupStatusCode, wire.StatusRun}, 1, "one-default-acg"},
		{[]string{wire.ParamAccessControlGroupStatusCode, wire.StatusInit}, 2, "two-default-acg,three-default-acg"},
		{[]string{"accessControlGroupNoList.1", all[2].AccessControlGroupNo, "accessControlGroupNoList.2", all[0].AccessControlGroupNo}, 2, "one-default-acg,three-default-acg"},
		{[]string{legacy.ParamPageNo, "2", legacy.ParamPageSize, "2"}, 3, "three-default-acg"},
		{[]string{legacy.ParamPageSize, "1"}, 3, "one-default-acg"},
		{[]string{wirevpc.ParamVpcNo, v3.VpcNo, wire.ParamAccessControlGroupName, "one-default-acg"}, 0, ""},
	} {
		if total, got := names(tc.kv...); total != tc.total || got != tc.want {
			t.Errorf("%v: totalRows %d [%s], want %d [%s]", tc.kv, total, got, tc.total, tc.want)
		}
	}
	// Account B sees only its own ACG, even when asking for A's VPC.
	if got := acgs(t, f.b).AccessControlGroupList; len(got) != 1 || got[0].VpcNo == v1.VpcNo {
		t.Errorf("account B: %s", legacyapitest.JSON(got))
	}
	if got := acgs(t, f.b, wirevpc.ParamVpcNo, v1.VpcNo); got.TotalRows != 0 {
		t.Errorf("account B by A's vpcNo: %s", legacyapitest.JSON(got))
	}
	for _, bad := range []struct {
		kv   []string
		want string
	}{
		{[]string{wire.ParamAccessControlGroupStatusCode, "CREATING"}, "accessControlGroupStatusCode"},
		{[]string{wirevpc.ParamVpcNo, "abc"}, "vpcNo"},
		{[]string{"accessControlGroupNoList.1", "x"}, "accessControlGroupNoList.1"},
		{[]string{"accessControlGroupNoList.2", "5"}, "accessControlGroupNoList.1"},
		{[]string{legacy.ParamPageNo, "1"}, "pageSize"},
		{[]string{legacy.ParamPageSize, "5000"}, "pageSize"},
	} {
		legacyapitest.ExpectError(t, f.a.Call(wire.ActionGetAccessControlGroupList, p(bad.kv...)), http.StatusBadRequest, legacy.CodeInvalidParameter, bad.want)
	}
}

func TestWithoutVpcServiceThereAreNoAcgs(t *testing.T) {
	t.Parallel()
	svc := vserver.New(emu.Env{}, nil)
	c := legacyapitest.NewClient(t, svc, wire.PathPrefix, "acct")
	if got := acgs(t, c); got.TotalRows != 0 {
		t.Errorf("ACGs %s", legacyapitest.JSON(got))
	}
}

func TestImageRestoreAndReset(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	v := createVpc(t, f.vpcA, "10.0.0.0/16", "saved")
	before := legacyapitest.JSON(f.svc.Inventory("acct-a"))

	g := newFixture(t, delay)
	if err := g.vpcs.Store().Load(f.vpcs.Store().Image()); err != nil {
		t.Fatal(err)
	}
	if err := g.svc.Store().Load(f.svc.Store().Image()); err != nil {
		t.Fatal(err)
	}
	if got := legacyapitest.JSON(g.svc.Inventory("acct-a")); got != before {
		t.Errorf("restored inventory\n%s\nwant\n%s", got, before)
	}
	g.clock.Advance(delay)
	if got := acgs(t, g.a).AccessControlGroupList; len(got) != 1 || statusOf(got[0]) != wire.StatusRun || got[0].VpcNo != v.VpcNo {
		t.Errorf("restored ACG after its delay: %s", legacyapitest.JSON(got))
	}
	// Numbers continue above the restored ones.
	createVpc(t, g.vpcA, "10.1.0.0/16", "next")
	if got := acgs(t, g.a).AccessControlGroupList; len(got) != 2 || got[0].AccessControlGroupNo == got[1].AccessControlGroupNo {
		t.Errorf("after a new VPC: %s", legacyapitest.JSON(got))
	}

	f.svc.Reset()
	if inv := f.svc.Inventory("acct-a"); inv != nil {
		t.Errorf("inventory after Reset: %v", inv)
	}
}

// TestReconcileDerivesAcgsFromVpcs: whatever a crash between the VPC and
// VServer commits left behind, Reconcile gives every VPC its default ACG,
// in step with the VPC, and drops ACGs whose VPC is gone.
func TestReconcileDerivesAcgsFromVpcs(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	kept := createVpc(t, f.vpcA, "10.0.0.0/16", "kept")
	f.clock.Advance(delay)
	dying := createVpc(t, f.vpcA, "10.1.0.0/16", "dying")
	orphanImage := f.svc.Store().Image() // ACGs of kept and dying
	f.clock.Advance(delay)
	legacyapitest.Decode[wirevpc.VpcListResponse](t, f.vpcA.Call(wirevpc.ActionDeleteVpc, p(wirevpc.ParamVpcNo, dying.VpcNo)), wirevpc.ActionDeleteVpc)
	f.clock.Advance(delay)
	late := createVpc(t, f.vpcA, "10.2.0.0/16", "late")

	// VServer restored from before "dying" was deleted and "late" created.
	g := newFixture(t, delay)
	g.clock.Advance(f.clock.Now().Sub(t0))
	if err := g.vpcs.Store().Load(f.vpcs.Store().Image()); err != nil {
		t.Fatal(err)
	}
	if err := g.svc.Store().Load(orphanImage); err != nil {
		t.Fatal(err)
	}
	if err := g.svc.Reconcile(t.Context()); err != nil {
		t.Fatal(err)
	}
	byVpc := map[string]wire.AccessControlGroup{}
	for _, acg := range acgs(t, g.a).AccessControlGroupList {
		byVpc[acg.VpcNo] = acg
	}
	if len(byVpc) != 2 || statusOf(byVpc[kept.VpcNo]) != wire.StatusRun || statusOf(byVpc[late.VpcNo]) != wire.StatusInit ||
		byVpc[late.VpcNo].AccessControlGroupName != "late-default-acg" {
		t.Errorf("after Reconcile: %s", legacyapitest.JSON(byVpc))
	}
	g.clock.Advance(delay)
	if got := statusOf(acgs(t, g.a, wirevpc.ParamVpcNo, late.VpcNo).AccessControlGroupList[0]); got != wire.StatusRun {
		t.Errorf("derived ACG after the VPC's delay: %s", got)
	}
	// Reconciling again changes nothing.
	before := legacyapitest.JSON(g.svc.Inventory("acct-a"))
	if err := g.svc.Reconcile(t.Context()); err != nil {
		t.Fatal(err)
	}
	if after := legacyapitest.JSON(g.svc.Inventory("acct-a")); after != before {
		t.Errorf("second Reconcile changed\n%s\nto\n%s", before, after)
	}
}
