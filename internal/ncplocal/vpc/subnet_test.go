package vpc_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/legacyapi/legacyapitest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

func TestSubnetLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	v, aclNo := f.readyVpc(t, f.a, "10.0.0.0/16", "net")

	params := subnetParams(v.VpcNo, aclNo, "10.0.1.0/24")
	params.Set(wire.ParamSubnetName, "web")
	params.Set(wire.ParamZoneCode, "KR-2")
	params.Set(wire.ParamSubnetTypeCode, wire.SubnetTypePublic)
	sn := createSubnet(t, f.a, params)
	if sn.SubnetName != "web" || sn.VpcNo != v.VpcNo || sn.ZoneCode != "KR-2" || sn.Subnet != "10.0.1.0/24" ||
		sn.NetworkAclNo != aclNo || status(sn.SubnetType) != wire.SubnetTypePublic || sn.SubnetType.CodeName != "Public" ||
		status(sn.UsageType) != wire.UsageTypeGen || sn.UsageType.CodeName != "General" || status(sn.SubnetStatus) != wire.StatusInit {
		t.Errorf("create response %s", legacyapitest.JSON(sn))
	}
	if sn.CreateDate != "2024-01-02T12:04:15+0900" {
		t.Errorf("createDate %q", sn.CreateDate)
	}
	for _, st := range []struct {
		advance time.Duration
		want    string
	}{
		{delay / 2, wire.StatusCreating},
		{delay / 2, wire.StatusRun},
	} {
		f.clock.Advance(st.advance)
		if got := subnetDetail(t, f.a, sn.SubnetNo); got == nil || status(got.SubnetStatus) != st.want {
			t.Fatalf("subnet %+v, want %s", got, st.want)
		}
	}
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionDeleteSubnet, nil), http.StatusBadRequest, legacy.CodeInvalidParameter, "subnetNo", "required")
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionDeleteSubnet, p(wire.ParamSubnetNo, "777777")), http.StatusBadRequest, wire.CodeNotFound, "777777")
	legacyapitest.ExpectError(t, f.b.Call(wire.ActionDeleteSubnet, p(wire.ParamSubnetNo, sn.SubnetNo)), http.StatusBadRequest, wire.CodeNotFound, sn.SubnetNo)
	if got := subnetDetail(t, f.b, sn.SubnetNo); got != nil {
		t.Errorf("account B sees A's subnet: %+v", got)
	}

	del := subnets(t, f.a.Call(wire.ActionDeleteSubnet, p(wire.ParamSubnetNo, sn.SubnetNo)), wire.ActionDeleteSubnet)
	if len(del) != 1 || status(del[0].SubnetStatus) != wire.StatusTermting {
		t.Fatalf("delete response %s", legacyapitest.JSON(del))
	}
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionDeleteSubnet, p(wire.ParamSubnetNo, sn.SubnetNo)), http.StatusBadRequest, wire.CodeInvalidStatus, "TERMTING")
	// The block stays taken while the subnet is being deleted.
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionCreateSubnet, subnetParams(v.VpcNo, aclNo, "10.0.1.0/24")), http.StatusBadRequest, wire.CodeCidrConflict)
	f.clock.Advance(delay)
	if got := subnetDetail(t, f.a, sn.SubnetNo); got != nil {
		t.Errorf("after deletion: %+v, want an empty list", got)
	}
	createSubnet(t, f.a, subnetParams(v.VpcNo, aclNo, "10.0.1.0/24"))
}

func TestDeleteSubnetRequiresRun(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	v, aclNo := f.readyVpc(t, f.a, "10.0.0.0/16", "net")
	sn := createSubnet(t, f.a, subnetParams(v.VpcNo, aclNo, "10.0.0.0/24"))
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionDeleteSubnet, p(wire.ParamSubnetNo, sn.SubnetNo)), http.StatusBadRequest, wire.CodeInvalidStatus, sn.SubnetNo, "INIT", "RUN")
}

func TestCreateSubnetValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	v, aclNo := f.readyVpc(t, f.a, "10.0.0.0/16", "main")
	other, otherAcl := f.readyVpc(t, f.a, "10.1.0.0/16", "other")
	createSubnet(t, f.a, subnetParams(v.VpcNo, aclNo, "10.0.4.0/22"))
	f.clock.Advance(delay)
	named := subnetParams(v.VpcNo, aclNo, "10.0.8.0/24")
	named.Set(wire.ParamSubnetName, "taken")
	createSubnet(t, f.a, named)
	f.clock.Advance(delay)
	young := createVpc(t, f.a, "10.2.0.0/16", "young")
	youngAcl := defaultAcl(t, f.a, young.VpcNo)

	type mod func(map[string]string)
	set := func(kv ...string) mod {
		return func(m map[string]string) {
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i]] = kv[i+1]
			}
		}
	}
	cases := []struct {
		name string
		mod  mod
		code string
		want []string
	}{
		{"no zone", set(wire.ParamZoneCode, ""), legacy.CodeInvalidParameter, []string{"zoneCode", "required"}},
		{"no vpc", set(wire.ParamVpcNo, ""), legacy.CodeInvalidParameter, []string{"vpcNo", "required"}},
		{"no block", set(wire.ParamSubnet, ""), legacy.CodeInvalidParameter, []string{"subnet", "required"}},
		{"no acl", set(wire.ParamNetworkAclNo, ""), legacy.CodeInvalidParameter, []string{"networkAclNo", "required"}},
		{"no type", set(wire.ParamSubnetTypeCode, ""), legacy.CodeInvalidParameter, []string{"subnetTypeCode", "required"}},
		{"unknown zone", set(wire.ParamZoneCode, "KR-3"), legacy.CodeInvalidParameter, []string{"zoneCode", "KR-3", "KR-1"}},
		{"bad type", set(wire.ParamSubnetTypeCode, "public"), legacy.CodeInvalidParameter, []string{"subnetTypeCode", "PUBLIC, PRIVATE"}},
		{"bad usage", set(wire.ParamUsageTypeCode, "LB"), legacy.CodeInvalidParameter, []string{"usageTypeCode", "GEN, LOADB, BM, NATGW"}},
		{"bad name", set(wire.ParamSubnetName, "Web"), legacy.CodeInvalidParameter, []string{"subnetName", "lowercase"}},
		{"bad vpc number", set(wire.ParamVpcNo, "vpc-1"), legacy.CodeInvalidParameter, []string{"vpcNo", "vpc-1"}},
		{"bad acl number", set(wire.ParamNetworkAclNo, "0"), legacy.CodeInvalidParameter, []string{"networkAclNo"}},
		{"non-canonical block", set(wire.ParamSubnet, "10.0.1.1/24"), legacy.CodeInvalidParameter, []string{"subnet", "canonical", "10.0.1.0/24"}},
		{"block too small", set(wire.ParamSubnet, "10.0.1.0/29"), legacy.CodeInvalidParameter, []string{"subnet", "/16 to /28"}},
		{"public block", set(wire.ParamSubnet, "8.8.8.0/24"), legacy.CodeInvalidParameter, []string{"subnet", "10.0.0.0/8"}},
		{"unknown vpc", set(wire.ParamVpcNo, "909090"), wire.CodeNotFound, []string{"909090"}},
		{"vpc not run", set(wire.ParamVpcNo, young.VpcNo, wire.ParamNetworkAclNo, youngAcl, wire.ParamSubnet, "10.2.0.0/24"), wire.CodeInvalidStatus, []string{young.VpcNo, "INIT", "RUN"}},
		{"acl of another vpc", set(wire.ParamNetworkAclNo, otherAcl), wire.CodeAclNotAccessible, []string{"networkAclNo", otherAcl, v.VpcNo}},
		{"unknown acl", set(wire.ParamNetworkAclNo, "808080"), wire.CodeAclNotAccessible, []string{"808080"}},
		{"outside the vpc", set(wire.ParamSubnet, "10.1.0.0/24"), wire.CodeCidrConflict, []string{vpc.MsgSubnetOutsideVpc}},
		{"larger than the vpc", set(wire.ParamVpcNo, other.VpcNo, wire.ParamNetworkAclNo, otherAcl, wire.ParamSubnet, "10.0.0.0/16"), wire.CodeCidrConflict, []string{vpc.MsgSubnetOutsideVpc}},
		{"overlap inside", set(wire.ParamSubnet, "10.0.5.0/24"), wire.CodeCidrConflict, []string{"overlaps", "10.0.4.0/22"}},
		{"overlap around", set(wire.ParamSubnet, "10.0.0.0/20"), wire.CodeCidrConflict, []string{"overlaps"}},
		{"duplicate name", set(wire.ParamSubnetName, "taken"), wire.CodeDuplicateName, []string{"subnetName", "taken"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := map[string]string{
				wire.ParamVpcNo:          v.VpcNo,
				wire.ParamNetworkAclNo:   aclNo,
				wire.ParamSubnet:         "10.0.1.0/24",
				wire.ParamZoneCode:       "KR-1",
				wire.ParamSubnetTypeCode: wire.SubnetTypePrivate,
			}
			tc.mod(m)
			params := p()
			for k, val := range m {
				if val != "" {
					params.Set(k, val)
				}
			}
			legacyapitest.ExpectError(t, f.a.Call(wire.ActionCreateSubnet, params), http.StatusBadRequest, tc.code, tc.want...)
		})
	}
	if got := subnets(t, f.a.Call(wire.ActionGetSubnetList, nil), wire.ActionGetSubnetList); len(got) != 2 {
		t.Errorf("failed creates left subnets: %s", legacyapitest.JSON(got))
	}
	// Names are unique per VPC only; every usage type is accepted; a
	// subnet may take the whole VPC block.
	inOther := subnetParams(other.VpcNo, otherAcl, "10.1.0.0/16")
	inOther.Set(wire.ParamSubnetName, "taken")
	inOther.Set(wire.ParamUsageTypeCode, wire.UsageTypeNatGW)
	if sn := createSubnet(t, f.a, inOther); status(sn.UsageType) != wire.UsageTypeNatGW {
		t.Errorf("usage %+v", sn.UsageType)
	}
}

func TestGetSubnetListFiltersAndPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	v1, acl1 := f.readyVpc(t, f.a, "10.0.0.0/16", "one")
	v2, acl2 := f.readyVpc(t, f.a, "10.1.0.0/16", "two")
	var nos []string
	mk := func(vpcNo, aclNo, cidr, name, zone, typ, usage string) {
		params := subnetParams(vpcNo, aclNo, cidr)
		params.Set(wire.ParamSubnetName, name)
		params.Set(wire.ParamZoneCode, zone)
		params.Set(wire.ParamSubnetTypeCode, typ)
		params.Set(wire.ParamUsageTypeCode, usage)
		nos = append(nos, createSubnet(t, f.a, params).SubnetNo)
	}
	mk(v1.VpcNo, acl1, "10.0.1.0/24", "sn1", "KR-1", wire.SubnetTypePublic, wire.UsageTypeGen)
	f.clock.Advance(delay) // a VPC takes one subnet change at a time
	mk(v1.VpcNo, acl1, "10.0.2.0/24", "sn2", "KR-2", wire.SubnetTypePrivate, wire.UsageTypeLoadB)
	mk(v2.VpcNo, acl2, "10.1.1.0/24", "sn3", "KR-1", wire.SubnetTypePrivate, wire.UsageTypeGen)
	f.clock.Advance(delay)
	mk(v2.VpcNo, acl2, "10.1.2.0/24", "sn4", "KR-2", wire.SubnetTypePublic, wire.UsageTypeBM)

	check := func(wantTotal int, want string, kv ...string) {
		t.Helper()
		resp := legacyapitest.Decode[wire.SubnetListResponse](t, f.a.Call(wire.ActionGetSubnetList, p(kv...)), wire.ActionGetSubnetList)
		var names []string
		for _, sn := range resp.SubnetList {
			names = append(names, sn.SubnetName)
		}
		if resp.TotalRows != wantTotal || strings.Join(names, ",") != want {
			t.Errorf("%v: totalRows %d %v, want %d [%s]", kv, resp.TotalRows, names, wantTotal, want)
		}
	}
	check(4, "sn1,sn2,sn3,sn4")
	check(2, "sn3,sn4", wire.ParamVpcNo, v2.VpcNo)
	check(1, "sn2", wire.ParamSubnetName, "sn2")
	check(1, "sn3", wire.ParamSubnet, "10.1.1.0/24")
	check(2, "sn1,sn4", wire.ParamSubnetTypeCode, wire.SubnetTypePublic)
	check(1, "sn2", wire.ParamUsageTypeCode, wire.UsageTypeLoadB)
	check(2, "sn1,sn2", wire.ParamNetworkAclNo, acl1)
	check(1, "sn4", wire.ParamSubnetStatusCode, wire.StatusInit)
	check(3, "sn1,sn2,sn3", wire.ParamSubnetStatusCode, wire.StatusRun)
	check(2, "sn2,sn4", wire.ParamZoneCode, "KR-2")
	check(2, "sn2,sn3", "subnetNoList.1", nos[2], "subnetNoList.2", nos[1])
	check(1, "sn4", wire.ParamZoneCode, "KR-2", wire.ParamSubnetTypeCode, wire.SubnetTypePublic)
	check(4, "sn3,sn4", legacy.ParamPageNo, "2", legacy.ParamPageSize, "2")
	check(4, "sn1", legacy.ParamPageSize, "1")
	for _, bad := range []struct {
		kv   []string
		want string
	}{
		{[]string{wire.ParamSubnetStatusCode, "SET"}, "subnetStatusCode"},
		{[]string{wire.ParamSubnetTypeCode, "X"}, "subnetTypeCode"},
		{[]string{wire.ParamUsageTypeCode, "X"}, "usageTypeCode"},
		{[]string{wire.ParamVpcNo, "x"}, "vpcNo"},
		{[]string{wire.ParamNetworkAclNo, "x"}, "networkAclNo"},
		{[]string{"subnetNoList.2", nos[0]}, "subnetNoList.1"},
		{[]string{legacy.ParamPageNo, "2"}, "pageSize"},
	} {
		legacyapitest.ExpectError(t, f.a.Call(wire.ActionGetSubnetList, p(bad.kv...)), http.StatusBadRequest, legacy.CodeInvalidParameter, bad.want)
	}
	// Another account sees none of them.
	if got := subnets(t, f.b.Call(wire.ActionGetSubnetList, nil), wire.ActionGetSubnetList); len(got) != 0 {
		t.Errorf("account B lists %s", legacyapitest.JSON(got))
	}
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionGetSubnetDetail, p(wire.ParamSubnetNo, "sn1")), http.StatusBadRequest, legacy.CodeInvalidParameter, "subnetNo")
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionGetSubnetDetail, nil), http.StatusBadRequest, legacy.CodeInvalidParameter, "subnetNo", "required")
	if got := subnetDetail(t, f.a, fmt.Sprint(999999)); got != nil {
		t.Errorf("unknown subnet: %+v", got)
	}
}
