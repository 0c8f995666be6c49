package vpc_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/legacyapi/legacyapitest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// TestSubnetChangesOneAtATime: while a subnet of a VPC is being created or
// deleted, creating or deleting another subnet of that VPC answers NCP's
// retryable 1001015; other VPCs are not affected.
func TestSubnetChangesOneAtATime(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	v, aclNo := f.readyVpc(t, f.a, "10.0.0.0/16", "busy")
	other, otherAcl := f.readyVpc(t, f.a, "10.1.0.0/16", "calm")
	first := createSubnet(t, f.a, subnetParams(v.VpcNo, aclNo, "10.0.1.0/24"))

	legacyapitest.ExpectError(t, f.a.Call(wire.ActionCreateSubnet, subnetParams(v.VpcNo, aclNo, "10.0.2.0/24")),
		http.StatusBadRequest, wire.CodeRetryLater, first.SubnetNo, "INIT")
	createSubnet(t, f.a, subnetParams(other.VpcNo, otherAcl, "10.1.1.0/24"))

	f.clock.Advance(delay / 2) // CREATING
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionCreateSubnet, subnetParams(v.VpcNo, aclNo, "10.0.2.0/24")),
		http.StatusBadRequest, wire.CodeRetryLater, "CREATING")
	f.clock.Advance(delay / 2)
	second := createSubnet(t, f.a, subnetParams(v.VpcNo, aclNo, "10.0.2.0/24"))
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionDeleteSubnet, p(wire.ParamSubnetNo, first.SubnetNo)),
		http.StatusBadRequest, wire.CodeRetryLater, second.SubnetNo)
	f.clock.Advance(delay)
	subnets(t, f.a.Call(wire.ActionDeleteSubnet, p(wire.ParamSubnetNo, first.SubnetNo)), wire.ActionDeleteSubnet)
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionDeleteSubnet, p(wire.ParamSubnetNo, second.SubnetNo)),
		http.StatusBadRequest, wire.CodeRetryLater, "TERMTING")
	f.clock.Advance(delay)
	subnets(t, f.a.Call(wire.ActionDeleteSubnet, p(wire.ParamSubnetNo, second.SubnetNo)), wire.ActionDeleteSubnet)
}

// TestAccountLimits: NCP's documented limits, three VPCs per account and
// region and 200 subnets per VPC, with deleting VPCs counting until they
// are gone (issue 10 item 7).
func TestAccountLimits(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	if vpc.DefaultLimits != (vpc.Limits{VpcsPerRegion: 3, SubnetsPerVpc: 200}) {
		t.Fatalf("DefaultLimits = %+v", vpc.DefaultLimits)
	}
	var nos []string
	for i := range 3 {
		nos = append(nos, createVpc(t, f.a, "10.0.0.0/16", "v"+string(rune('a'+i))+"x").VpcNo)
	}
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionCreateVpc, p(wire.ParamIpv4CidrBlock, "10.0.0.0/16")),
		http.StatusBadRequest, wire.CodeLimitExceeded, "at most 3 VPCs", "region KR")
	// Another account and another region have their own allowance.
	createVpc(t, f.b, "10.0.0.0/16", "")
	vpcs(t, f.a.Call(wire.ActionCreateVpc, p(wire.ParamIpv4CidrBlock, "10.0.0.0/16", legacy.ParamRegionCode, "SGN")), wire.ActionCreateVpc)

	f.clock.SetDelay(delay)
	vpcs(t, f.a.Call(wire.ActionDeleteVpc, p(wire.ParamVpcNo, nos[0])), wire.ActionDeleteVpc)
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionCreateVpc, p(wire.ParamIpv4CidrBlock, "10.0.0.0/16")),
		http.StatusBadRequest, wire.CodeLimitExceeded, "at most 3 VPCs")
	f.clock.Advance(delay)
	f.clock.SetDelay(0)
	createVpc(t, f.a, "10.0.0.0/16", "")

	f.svc.SetLimits(vpc.Limits{VpcsPerRegion: 3, SubnetsPerVpc: 2})
	aclNo := defaultAcl(t, f.a, nos[1])
	createSubnet(t, f.a, subnetParams(nos[1], aclNo, "10.0.1.0/24"))
	createSubnet(t, f.a, subnetParams(nos[1], aclNo, "10.0.2.0/24"))
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionCreateSubnet, subnetParams(nos[1], aclNo, "10.0.3.0/24")),
		http.StatusBadRequest, wire.CodeLimitExceeded, "at most 2 subnets")
}

// TestSubnetOutsideItsVpc: NCP's exact message (issue 10 item 12).
func TestSubnetOutsideItsVpc(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	v, aclNo := f.readyVpc(t, f.a, "10.0.0.0/16", "")
	re := legacyapitest.ExpectError(t, f.a.Call(wire.ActionCreateSubnet, subnetParams(v.VpcNo, aclNo, "10.9.0.0/24")),
		http.StatusBadRequest, wire.CodeCidrConflict)
	if re.ReturnMessage != "The subnet must belong to the IPv4 CIDR of the specified VPC." {
		t.Errorf("message %q", re.ReturnMessage)
	}
}

func TestSetSubnetNetworkAcl(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	f.svc.SetLimits(vpc.Limits{VpcsPerRegion: 5, SubnetsPerVpc: 200})
	v, aclNo := f.readyVpc(t, f.a, "10.0.0.0/16", "one")
	_, otherAcl := f.readyVpc(t, f.a, "10.1.0.0/16", "two")
	sn := createSubnet(t, f.a, subnetParams(v.VpcNo, aclNo, "10.0.1.0/24"))
	set := func(c *legacyapitest.Client, kv ...string) legacyapitest.Result {
		return c.Call(wire.ActionSetSubnetNetworkAcl, p(kv...))
	}
	legacyapitest.ExpectError(t, set(f.a, wire.ParamSubnetNo, sn.SubnetNo, wire.ParamNetworkAclNo, aclNo),
		http.StatusBadRequest, wire.CodeInvalidStatus, "INIT")
	f.clock.Advance(delay)

	for name, tc := range map[string]struct {
		kv   []string
		code string
		says []string
	}{
		"no subnet":        {[]string{wire.ParamNetworkAclNo, aclNo}, legacy.CodeInvalidParameter, []string{"subnetNo", "required"}},
		"no acl":           {[]string{wire.ParamSubnetNo, sn.SubnetNo}, legacy.CodeInvalidParameter, []string{"networkAclNo", "required"}},
		"bad number":       {[]string{wire.ParamSubnetNo, "x", wire.ParamNetworkAclNo, aclNo}, legacy.CodeInvalidParameter, []string{"subnetNo"}},
		"unknown subnet":   {[]string{wire.ParamSubnetNo, "999999", wire.ParamNetworkAclNo, aclNo}, wire.CodeNotFound, []string{"999999"}},
		"acl of other vpc": {[]string{wire.ParamSubnetNo, sn.SubnetNo, wire.ParamNetworkAclNo, otherAcl}, wire.CodeAclNotAccessible, []string{otherAcl, v.VpcNo}},
		"unknown acl":      {[]string{wire.ParamSubnetNo, sn.SubnetNo, wire.ParamNetworkAclNo, "999999"}, wire.CodeAclNotAccessible, []string{"999999"}},
	} {
		t.Run(name, func(t *testing.T) {
			legacyapitest.ExpectError(t, set(f.a, tc.kv...), http.StatusBadRequest, tc.code, tc.says...)
		})
	}
	// Another account cannot touch the subnet.
	legacyapitest.ExpectError(t, set(f.b, wire.ParamSubnetNo, sn.SubnetNo, wire.ParamNetworkAclNo, aclNo), http.StatusBadRequest, wire.CodeNotFound)

	// GET works like POST; the answer lists the ACL, now SET.
	r := f.a.Do(http.MethodGet, "/vpc/v2/setSubnetNetworkAcl?responseFormatType=json&subnetNo="+sn.SubnetNo+"&networkAclNo="+aclNo, "", "")
	resp := legacyapitest.Decode[wire.NetworkAclListResponse](t, r, wire.ActionSetSubnetNetworkAcl)
	if r.Op != "vpc:setSubnetNetworkAcl" || resp.TotalRows != 1 || len(resp.NetworkAclList) != 1 ||
		resp.NetworkAclList[0].NetworkAclNo != aclNo || status(resp.NetworkAclList[0].NetworkAclStatus) != wire.StatusSet {
		t.Fatalf("answer %s (operation %q)", legacyapitest.JSON(resp), r.Op)
	}
	if got := acls(t, f.a, p(wire.ParamVpcNo, v.VpcNo)); status(got[0].NetworkAclStatus) != wire.StatusSet {
		t.Errorf("ACL while the change applies: %s", legacyapitest.JSON(got))
	}
	// One change at a time per ACL.
	legacyapitest.ExpectError(t, set(f.a, wire.ParamSubnetNo, sn.SubnetNo, wire.ParamNetworkAclNo, aclNo), http.StatusBadRequest, wire.CodeAclChanging, "SET")
	f.clock.Advance(delay)
	if got := acls(t, f.a, p(wire.ParamVpcNo, v.VpcNo)); status(got[0].NetworkAclStatus) != wire.StatusRun {
		t.Errorf("ACL after the delay: %s", legacyapitest.JSON(got))
	}
	if got := subnetDetail(t, f.a, sn.SubnetNo); got.NetworkAclNo != aclNo || status(got.SubnetStatus) != wire.StatusRun {
		t.Errorf("subnet after the change: %+v", got)
	}
}

// TestRegionsAreSeparate: objects live in the region they were created in.
func TestRegionsAreSeparate(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	kr := createVpc(t, f.a, "10.0.0.0/16", "seoul")
	sgn := vpcs(t, f.a.Call(wire.ActionCreateVpc, p(wire.ParamIpv4CidrBlock, "10.0.0.0/16", wire.ParamVpcName, "lion", legacy.ParamRegionCode, "SGN")), wire.ActionCreateVpc)[0]
	if sgn.RegionCode != "SGN" {
		t.Errorf("region %q", sgn.RegionCode)
	}
	list := func(region string) []wire.Vpc {
		return vpcs(t, f.a.Call(wire.ActionGetVpcList, p(legacy.ParamRegionCode, region)), wire.ActionGetVpcList)
	}
	if got := list("KR"); len(got) != 1 || got[0].VpcNo != kr.VpcNo {
		t.Errorf("KR lists %s", legacyapitest.JSON(got))
	}
	if got := list("SGN"); len(got) != 1 || got[0].VpcNo != sgn.VpcNo {
		t.Errorf("SGN lists %s", legacyapitest.JSON(got))
	}
	if got := vpcs(t, f.a.Call(wire.ActionGetVpcDetail, p(wire.ParamVpcNo, sgn.VpcNo)), wire.ActionGetVpcDetail); len(got) != 0 {
		t.Errorf("the SGN VPC's detail in KR: %s", legacyapitest.JSON(got))
	}
	aclNo := acls(t, f.a, p(wire.ParamVpcNo, sgn.VpcNo, legacy.ParamRegionCode, "SGN"))[0].NetworkAclNo
	params := subnetParams(sgn.VpcNo, aclNo, "10.0.1.0/24")
	params.Set(legacy.ParamRegionCode, "SGN")
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionCreateSubnet, params), http.StatusBadRequest, legacy.CodeInvalidParameter, "KR-1", "SGN-4 or SGN-5")
	params.Set(wire.ParamZoneCode, "SGN-5")
	if sn := createSubnet(t, f.a, params); sn.ZoneCode != "SGN-5" {
		t.Errorf("subnet %+v", sn)
	}
	// The SGN VPC is not in KR: creating a subnet there from KR finds none.
	params.Del(legacy.ParamRegionCode)
	params.Set(wire.ParamZoneCode, "KR-1")
	params.Set(wire.ParamSubnet, "10.0.2.0/24")
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionCreateSubnet, params), http.StatusBadRequest, wire.CodeNotFound, sgn.VpcNo)
}

// TestProgressions: the transition settings of the admin API drive the VPC
// service's kinds, and objects made together follow the VPC.
func TestProgressions(t *testing.T) {
	t.Parallel()
	clock := legacyapitest.NewClock(t0, delay)
	trs := &emu.Transitions{}
	env := clock.Env()
	env.Transitions = trs
	svc := vpc.New(env)
	a := legacyapitest.NewClient(t, svc, wire.PathPrefix, "acct-a")

	if err := trs.Set(emu.TransitionSetting{Kind: vpc.VpcKind.Name, Transition: "create", Progression: emu.ProgressFail}); err != nil {
		t.Fatal(err)
	}
	failed := createVpc(t, a, "10.0.0.0/16", "doomed")
	clock.Advance(delay)
	if got := vpcDetail(t, a, failed.VpcNo); status(got.VpcStatus) != "ERROR" || got.VpcStatus.CodeName != "error" {
		t.Errorf("failed create: %+v", got.VpcStatus)
	}

	if err := trs.Set(emu.TransitionSetting{Kind: vpc.VpcKind.Name, Progression: emu.ProgressManual}); err != nil {
		t.Fatal(err)
	}
	held := createVpc(t, a, "10.1.0.0/16", "held")
	clock.Advance(time.Hour)
	if got := vpcDetail(t, a, held.VpcNo); status(got.VpcStatus) != wire.StatusInit {
		t.Errorf("manual create after an hour: %+v", got.VpcStatus)
	}
	if got := acls(t, a, p(wire.ParamVpcNo, held.VpcNo)); status(got[0].NetworkAclStatus) != wire.StatusInit {
		t.Errorf("its ACL: %s", legacyapitest.JSON(got))
	}
	for range 2 {
		if _, err := svc.Store().Advance(t.Context(), emu.AdvanceFilter{Account: "acct-a"}); err != nil {
			t.Fatal(err)
		}
	}
	if got := vpcDetail(t, a, held.VpcNo); status(got.VpcStatus) != wire.StatusRun {
		t.Errorf("after two advances: %+v", got.VpcStatus)
	}
	if got := acls(t, a, p(wire.ParamVpcNo, held.VpcNo)); status(got[0].NetworkAclStatus) != wire.StatusRun {
		t.Errorf("its ACL after two advances: %s", legacyapitest.JSON(got))
	}

	if err := trs.Set(emu.TransitionSetting{Kind: vpc.VpcKind.Name, Transition: "delete", Progression: emu.ProgressImmediate}); err != nil {
		t.Fatal(err)
	}
	gone := vpcs(t, a.Call(wire.ActionDeleteVpc, p(wire.ParamVpcNo, held.VpcNo)), wire.ActionDeleteVpc)
	if status(gone[0].VpcStatus) != wire.StatusTermting || vpcDetail(t, a, held.VpcNo) != nil {
		t.Errorf("immediate delete answered %+v and left %+v", gone[0].VpcStatus, vpcDetail(t, a, held.VpcNo))
	}
}

// TestFaultAnswers: the retryable answers fault rules may give, in the
// format the request asks for.
func TestFaultAnswers(t *testing.T) {
	t.Parallel()
	answers := vpc.New(emu.Env{}).FaultAnswers()
	if len(answers) != 2 || answers[0].Code != wire.CodeRetryLater || answers[1].Code != wire.CodeRetryLaterLegacy {
		t.Fatalf("answers %+v", answers)
	}
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/vpc/v2/createSubnet", strings.NewReader("responseFormatType=json&vpcNo=1"))
	r.Header.Set("Content-Type", legacy.ContentTypeForm)
	answers[0].Write(w, r)
	if re, ok := legacy.DecodeError(w.Body.Bytes()); !ok || w.Code != http.StatusBadRequest || re.ReturnCode != "1001015" ||
		!strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Errorf("JSON answer %d %s", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	answers[1].Write(w, httptest.NewRequest(http.MethodGet, "/vpc/v2/createSubnet", nil))
	if re, ok := legacy.DecodeError(w.Body.Bytes()); !ok || re.ReturnCode != "3000" || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/xml") {
		t.Errorf("XML answer %d %s", w.Code, w.Body)
	}
}
