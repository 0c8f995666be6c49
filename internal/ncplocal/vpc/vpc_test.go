package vpc_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/legacyapi/legacyapitest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

func TestServiceIdentity(t *testing.T) {
	t.Parallel()
	svc := vpc.New(emu.Env{})
	var _ emu.GatewayService = svc
	var _ emu.Stateful = svc
	var _ emu.FaultAnswerer = svc
	if svc.Name() != "vpc" {
		t.Errorf("Name() = %q", svc.Name())
	}
	if got := svc.PathPrefixes(); len(got) != 1 || got[0] != "/vpc/v2/" {
		t.Errorf("PathPrefixes() = %v", got)
	}
}

func TestCreateVpcLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	rec := &recorder{}
	rec.follow(f.svc)

	v := createVpc(t, f.a, "10.0.0.0/16", "my-vpc")
	if status(v.VpcStatus) != wire.StatusInit || v.VpcStatus.CodeName != "init" {
		t.Errorf("create response status %+v, want INIT", v.VpcStatus)
	}
	if !regexp.MustCompile(`^[1-9][0-9]*$`).MatchString(v.VpcNo) {
		t.Errorf("vpcNo %q is not a numeric string", v.VpcNo)
	}
	if v.VpcName != "my-vpc" || v.Ipv4CidrBlock != "10.0.0.0/16" || v.RegionCode != "KR" {
		t.Errorf("create response %+v", v)
	}
	if v.CreateDate != "2024-01-02T12:04:05+0900" {
		t.Errorf("createDate %q, want KST 2024-01-02T12:04:05+0900", v.CreateDate)
	}
	if len(rec.created) != 1 || rec.created[0].VpcNo != v.VpcNo || rec.created[0].AccountID != "acct-a" ||
		rec.created[0].VpcName != "my-vpc" || rec.created[0].Life.Op == nil || rec.created[0].Life.Op.Delay != delay {
		t.Errorf("observer saw %+v", rec.created)
	}

	// The defaults exist at once and move with the VPC.
	checkDefaults := func(want string) {
		t.Helper()
		al := acls(t, f.a, p(wire.ParamVpcNo, v.VpcNo))
		if len(al) != 1 || !al[0].IsDefault || al[0].NetworkAclName != "my-vpc-default-network-acl" || status(al[0].NetworkAclStatus) != want {
			t.Errorf("default network ACL at %s: %s", want, legacyapitest.JSON(al))
		}
		rts := routeTables(t, f.a, p(wire.ParamVpcNo, v.VpcNo))
		if len(rts) != 2 {
			t.Fatalf("route tables: %s", legacyapitest.JSON(rts))
		}
		types := map[string]string{}
		for _, rt := range rts {
			if !rt.IsDefault || status(rt.RouteTableStatus) != want || rt.RegionCode != "KR" {
				t.Errorf("route table at %s: %+v", want, rt)
			}
			types[status(rt.SupportedSubnetType)] = rt.RouteTableName
		}
		if types[wire.SubnetTypePublic] != "my-vpc-default-public-table" || types[wire.SubnetTypePrivate] != "my-vpc-default-private-table" {
			t.Errorf("route table types and names: %v", types)
		}
	}
	checkDefaults(wire.StatusInit)

	steps := []struct {
		advance time.Duration
		want    string
	}{
		{delay/2 - time.Millisecond, wire.StatusInit},
		{time.Millisecond, wire.StatusCreating},
		{delay/2 - time.Millisecond, wire.StatusCreating},
		{time.Millisecond, wire.StatusRun},
	}
	for _, st := range steps {
		f.clock.Advance(st.advance)
		got := vpcDetail(t, f.a, v.VpcNo)
		if got == nil || status(got.VpcStatus) != st.want {
			t.Fatalf("at +%v: %+v, want %s", f.clock.Now().Sub(t0), got, st.want)
		}
		checkDefaults(st.want)
	}
}

func TestCreateVpcWithoutDelayIsRunAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	v := createVpc(t, f.a, "192.168.0.0/24", "")
	if status(v.VpcStatus) != wire.StatusRun {
		t.Errorf("status %+v, want RUN", v.VpcStatus)
	}
	if want := "vpc-" + v.VpcNo; v.VpcName != want {
		t.Errorf("generated name %q, want %q", v.VpcName, want)
	}
	if got := acls(t, f.a, nil); len(got) != 1 || status(got[0].NetworkAclStatus) != wire.StatusRun {
		t.Errorf("default ACL %s", legacyapitest.JSON(got))
	}
}

func TestDelayChangeOnlyAffectsNewObjects(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	old := createVpc(t, f.a, "10.0.0.0/16", "old")
	f.clock.SetDelay(time.Hour)
	slow := createVpc(t, f.a, "10.1.0.0/16", "slow")
	f.clock.Advance(delay)
	if got := vpcDetail(t, f.a, old.VpcNo); status(got.VpcStatus) != wire.StatusRun {
		t.Errorf("old VPC %+v, want RUN after its own delay", got.VpcStatus)
	}
	if got := vpcDetail(t, f.a, slow.VpcNo); status(got.VpcStatus) != wire.StatusInit {
		t.Errorf("slow VPC %+v, want INIT", got.VpcStatus)
	}
}

func TestCreateVpcValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	cases := []struct {
		name, cidr, vpcName string
		want                []string
	}{
		{"missing cidr", "", "", []string{"ipv4CidrBlock", "required"}},
		{"garbage cidr", "ten/16", "", []string{"ipv4CidrBlock", "IPv4 CIDR"}},
		{"ipv6", "fd00::/16", "", []string{"ipv4CidrBlock", "IPv4 CIDR"}},
		{"host bits set", "10.0.0.5/16", "", []string{"ipv4CidrBlock", "canonical", "10.0.0.0/16"}},
		{"leading zero", "010.0.0.0/16", "", []string{"ipv4CidrBlock"}},
		{"too large", "10.0.0.0/15", "", []string{"ipv4CidrBlock", "/16 to /28"}},
		{"too small", "10.0.0.0/29", "", []string{"ipv4CidrBlock", "/16 to /28"}},
		{"public range", "11.0.0.0/16", "", []string{"ipv4CidrBlock", "10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"}},
		{"just outside 172.16/12", "172.32.0.0/16", "", []string{"ipv4CidrBlock", "172.16.0.0/12"}},
		{"name too short", "10.0.0.0/16", "ab", []string{"vpcName", "3-30"}},
		{"name too long", "10.0.0.0/16", "a" + strings.Repeat("b", 30), []string{"vpcName", "3-30"}},
		{"upper case", "10.0.0.0/16", "My-vpc", []string{"vpcName", "lowercase"}},
		{"starts with digit", "10.0.0.0/16", "1vpc", []string{"vpcName", "start with a letter"}},
		{"ends with dash", "10.0.0.0/16", "vpc-", []string{"vpcName", "end with a letter or digit"}},
		{"underscore", "10.0.0.0/16", "my_vpc", []string{"vpcName"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			params := p()
			if tc.cidr != "" {
				params.Set(wire.ParamIpv4CidrBlock, tc.cidr)
			}
			if tc.vpcName != "" {
				params.Set(wire.ParamVpcName, tc.vpcName)
			}
			legacyapitest.ExpectError(t, f.a.Call(wire.ActionCreateVpc, params), http.StatusBadRequest, legacy.CodeInvalidParameter, tc.want...)
		})
	}
	if inv := f.svc.Inventory("acct-a"); inv != nil {
		t.Errorf("failed creates left state: %s", legacyapitest.JSON(inv))
	}
	// Boundary values are accepted.
	for _, ok := range []struct{ cidr, name string }{
		{"172.31.255.240/28", "abc"},
		{"192.168.0.0/16", "a" + strings.Repeat("0", 29)},
	} {
		createVpc(t, f.a, ok.cidr, ok.name)
	}
}

func TestCreateVpcDuplicateName(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	createVpc(t, f.a, "10.0.0.0/16", "dup")
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionCreateVpc, p(wire.ParamIpv4CidrBlock, "10.1.0.0/16", wire.ParamVpcName, "dup")),
		http.StatusBadRequest, wire.CodeDuplicateName, "vpcName", "dup")
	// Names are per account; the same CIDR twice is fine.
	createVpc(t, f.b, "10.0.0.0/16", "dup")
	createVpc(t, f.a, "10.0.0.0/16", "other")
}

func TestParametersFromQueryAndForm(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	// GET with everything in the query string.
	r := f.a.Do(http.MethodGet, "/vpc/v2/createVpc?responseFormatType=json&regionCode=KR&ipv4CidrBlock=10.0.0.0%2F16&vpcName=by-get", "", "")
	if got := vpcs(t, r, wire.ActionCreateVpc); got[0].VpcName != "by-get" {
		t.Errorf("GET create: %+v", got)
	}
	// POST with the format in the query and the rest in the body.
	r = f.a.Do(http.MethodPost, "/vpc/v2/createVpc?responseFormatType=json", legacy.ContentTypeForm, "ipv4CidrBlock=10.1.0.0%2F16&vpcName=by-post&regionCode=KR")
	if got := vpcs(t, r, wire.ActionCreateVpc); got[0].VpcName != "by-post" {
		t.Errorf("POST create: %+v", got)
	}
	// The same parameter with two values is refused.
	r = f.a.Do(http.MethodPost, "/vpc/v2/createVpc?responseFormatType=json&vpcName=one", legacy.ContentTypeForm, "ipv4CidrBlock=10.2.0.0%2F16&vpcName=two")
	legacyapitest.ExpectError(t, r, http.StatusBadRequest, legacy.CodeInvalidParameter, "vpcName", "more than once")
	// A JSON body is not a form.
	r = f.a.Do(http.MethodPost, "/vpc/v2/createVpc?responseFormatType=json", "application/json", `{"ipv4CidrBlock":"10.2.0.0/16"}`)
	legacyapitest.ExpectError(t, r, http.StatusBadRequest, legacy.CodeInvalidParameter, "Content-Type")
	if got := vpcs(t, f.a.Call(wire.ActionGetVpcList, nil), wire.ActionGetVpcList); len(got) != 2 {
		t.Errorf("%d VPCs, want 2", len(got))
	}
}

func TestXMLIsTheDefaultFormat(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	r := f.a.Do(http.MethodPost, "/vpc/v2/createVpc", legacy.ContentTypeForm, "ipv4CidrBlock=10.0.0.0%2F16&vpcName=xml-vpc")
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/xml") {
		t.Fatalf("HTTP %d %q: %s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	if !strings.Contains(string(r.Body), "<createVpcResponse><requestId>") {
		t.Errorf("XML layout: %s", r.Body)
	}
	var resp wire.VpcListResponse
	if err := xml.Unmarshal(r.Body, &resp); err != nil {
		t.Fatal(err)
	}
	if resp.ReturnCode != "0" || resp.ReturnMessage != "success" || resp.TotalRows != 1 || resp.RequestID == "" ||
		len(resp.VpcList) != 1 || resp.VpcList[0].VpcName != "xml-vpc" || status(resp.VpcList[0].VpcStatus) != wire.StatusInit {
		t.Errorf("decoded %+v", resp)
	}
	// Explicit xml works too, and errors follow the format.
	r = f.a.Do(http.MethodGet, "/vpc/v2/getVpcDetail?responseFormatType=xml", "", "")
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/xml") || !strings.Contains(string(r.Body), "<responseError>") {
		t.Errorf("XML error: %q %s", r.Header.Get("Content-Type"), r.Body)
	}
	legacyapitest.ExpectError(t, r, http.StatusBadRequest, legacy.CodeInvalidParameter, "vpcNo", "required")
}

func TestBadResponseFormatType(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	for _, format := range []string{"JSON", "yaml"} {
		r := f.a.Do(http.MethodGet, "/vpc/v2/getVpcList?responseFormatType="+format, "", "")
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/xml") {
			t.Errorf("%s: error answered as %q", format, r.Header.Get("Content-Type"))
		}
		legacyapitest.ExpectError(t, r, http.StatusBadRequest, legacy.CodeInvalidParameter, "responseFormatType", format)
	}
}

func TestProtocolErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	r := f.a.Call("createVpcs", nil)
	legacyapitest.ExpectError(t, r, http.StatusNotFound, "300", "createVpcs")
	if r.Op != "" {
		t.Errorf("unknown action recorded operation %q", r.Op)
	}
	r = f.a.Do(http.MethodPut, "/vpc/v2/createVpc?responseFormatType=json", "", "")
	legacyapitest.ExpectGatewayError(t, r, apigw.CodeBadRequest, "PUT")
	if allow := r.Header.Get("Allow"); allow != "GET, POST" {
		t.Errorf("Allow = %q", allow)
	}
	r = f.a.Do(http.MethodGet, "/vpc/v2/getVpcList?responseFormatType=json&vpcNo=%zz", "", "")
	legacyapitest.ExpectError(t, r, http.StatusBadRequest, legacy.CodeInvalidParameter, "malformed")

	anonymous := &legacyapitest.Client{T: t, Handler: f.svc, Prefix: wire.PathPrefix}
	legacyapitest.ExpectError(t, anonymous.Call(wire.ActionGetVpcList, nil), http.StatusInternalServerError, legacy.CodeUnknown, "account")
}

func TestRegionCode(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionCreateVpc, p(wire.ParamIpv4CidrBlock, "10.0.0.0/16", legacy.ParamRegionCode, "HK")),
		http.StatusBadRequest, legacy.CodeInvalidParameter, "regionCode", "HK")
	v := createVpc(t, f.a, "10.0.0.0/16", "")
	if v.RegionCode != "KR" {
		t.Errorf("default region %q", v.RegionCode)
	}
	if got := vpcs(t, f.a.Call(wire.ActionGetVpcList, p(legacy.ParamRegionCode, "KR")), wire.ActionGetVpcList); len(got) != 1 {
		t.Errorf("explicit KR lists %d VPCs", len(got))
	}
}

func TestOperationNames(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	for _, action := range []string{
		wire.ActionCreateVpc, wire.ActionGetVpcDetail, wire.ActionGetVpcList, wire.ActionDeleteVpc,
		wire.ActionCreateSubnet, wire.ActionGetSubnetDetail, wire.ActionGetSubnetList, wire.ActionDeleteSubnet,
		wire.ActionGetNetworkAclList, wire.ActionGetRouteTableList,
	} {
		if r := f.a.Call(action, nil); r.Op != "vpc:"+action {
			t.Errorf("%s recorded operation %q", action, r.Op)
		}
	}
}

func TestDetailOfUnknownDeletedAndForeignIsEmpty(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	v, _ := f.readyVpc(t, f.a, "10.0.0.0/16", "gone")

	for _, c := range []*legacyapitest.Client{f.b} {
		r := c.Call(wire.ActionGetVpcDetail, p(wire.ParamVpcNo, v.VpcNo))
		if !strings.Contains(string(r.Body), `"totalRows":0`) || !strings.Contains(string(r.Body), `"vpcList":[]`) {
			t.Errorf("foreign detail body %s", r.Body)
		}
		if got := vpcDetail(t, c, v.VpcNo); got != nil {
			t.Errorf("account B sees A's VPC: %+v", got)
		}
	}
	if got := vpcDetail(t, f.a, "999999"); got != nil {
		t.Errorf("unknown VPC: %+v", got)
	}
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionGetVpcDetail, p(wire.ParamVpcNo, "abc")), http.StatusBadRequest, legacy.CodeInvalidParameter, "vpcNo", "abc")

	del := vpcs(t, f.a.Call(wire.ActionDeleteVpc, p(wire.ParamVpcNo, v.VpcNo)), wire.ActionDeleteVpc)
	if len(del) != 1 || status(del[0].VpcStatus) != wire.StatusTermting {
		t.Fatalf("delete response %s", legacyapitest.JSON(del))
	}
	f.clock.Advance(delay - time.Millisecond)
	if got := vpcDetail(t, f.a, v.VpcNo); got == nil || status(got.VpcStatus) != wire.StatusTermting {
		t.Errorf("during deletion: %+v, want TERMTING", got)
	}
	f.clock.Advance(time.Millisecond)
	if got := vpcDetail(t, f.a, v.VpcNo); got != nil {
		t.Errorf("after deletion: %+v, want an empty list", got)
	}
}

func TestDeleteVpc(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	rec := &recorder{}
	rec.follow(f.svc)

	v := createVpc(t, f.a, "10.0.0.0/16", "del")
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionDeleteVpc, p(wire.ParamVpcNo, v.VpcNo)), http.StatusBadRequest, wire.CodeInvalidStatus, v.VpcNo, "INIT", "RUN")
	f.clock.Advance(delay)
	aclNo := defaultAcl(t, f.a, v.VpcNo)

	legacyapitest.ExpectError(t, f.a.Call(wire.ActionDeleteVpc, nil), http.StatusBadRequest, legacy.CodeInvalidParameter, "vpcNo", "required")
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionDeleteVpc, p(wire.ParamVpcNo, "424242")), http.StatusBadRequest, wire.CodeNotFound, "424242")
	// Account B cannot delete A's VPC, and learns nothing from trying.
	legacyapitest.ExpectError(t, f.b.Call(wire.ActionDeleteVpc, p(wire.ParamVpcNo, v.VpcNo)), http.StatusBadRequest, wire.CodeNotFound, v.VpcNo)

	sn := createSubnet(t, f.a, subnetParams(v.VpcNo, aclNo, "10.0.1.0/24"))
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionDeleteVpc, p(wire.ParamVpcNo, v.VpcNo)), http.StatusBadRequest, wire.CodeInUse, v.VpcNo, sn.SubnetNo)
	f.clock.Advance(delay)
	subnets(t, f.a.Call(wire.ActionDeleteSubnet, p(wire.ParamSubnetNo, sn.SubnetNo)), wire.ActionDeleteSubnet)
	// A subnet being deleted still blocks the VPC.
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionDeleteVpc, p(wire.ParamVpcNo, v.VpcNo)), http.StatusBadRequest, wire.CodeInUse, sn.SubnetNo)
	f.clock.Advance(delay)

	del := vpcs(t, f.a.Call(wire.ActionDeleteVpc, p(wire.ParamVpcNo, v.VpcNo)), wire.ActionDeleteVpc)
	if status(del[0].VpcStatus) != wire.StatusTermting || del[0].VpcNo != v.VpcNo {
		t.Errorf("delete response %+v", del[0])
	}
	if len(rec.deleted) != 1 || rec.deleted[0].VpcNo != v.VpcNo || rec.deleted[0].Life.Op == nil || rec.deleted[0].Life.Op.Transition != "delete" || rec.deleted[0].Life.Op.Delay != delay {
		t.Errorf("observer saw %+v", rec.deleted)
	}
	// Deleting twice is refused: the VPC is TERMTING.
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionDeleteVpc, p(wire.ParamVpcNo, v.VpcNo)), http.StatusBadRequest, wire.CodeInvalidStatus, "TERMTING")
	for _, acl := range acls(t, f.a, p(wire.ParamVpcNo, v.VpcNo)) {
		if status(acl.NetworkAclStatus) != wire.StatusTermting {
			t.Errorf("default ACL during deletion: %+v", acl.NetworkAclStatus)
		}
	}
	for _, rt := range routeTables(t, f.a, p(wire.ParamVpcNo, v.VpcNo)) {
		if status(rt.RouteTableStatus) != wire.StatusTermting {
			t.Errorf("default route table during deletion: %+v", rt.RouteTableStatus)
		}
	}
	f.clock.Advance(delay)
	if got := acls(t, f.a, nil); len(got) != 0 {
		t.Errorf("ACLs after deletion: %s", legacyapitest.JSON(got))
	}
	if got := routeTables(t, f.a, nil); len(got) != 0 {
		t.Errorf("route tables after deletion: %s", legacyapitest.JSON(got))
	}
	if inv := f.svc.Inventory("acct-a"); inv != nil {
		t.Errorf("inventory after deletion: %s", legacyapitest.JSON(inv))
	}
	// The name is free again.
	createVpc(t, f.a, "10.0.0.0/16", "del")
}

func TestGetVpcListFiltersAndPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	f.svc.SetLimits(vpc.Limits{VpcsPerRegion: 10, SubnetsPerVpc: 200})
	var nos []string
	for i := range 5 {
		nos = append(nos, createVpc(t, f.a, fmt.Sprintf("10.%d.0.0/16", i), fmt.Sprintf("vpc-%d", i)).VpcNo)
	}
	f.clock.Advance(delay)
	createVpc(t, f.a, "10.9.0.0/16", "young")
	createVpc(t, f.b, "10.0.0.0/16", "other-account")

	list := func(params ...string) (int, []string) {
		t.Helper()
		resp := legacyapitest.Decode[wire.VpcListResponse](t, f.a.Call(wire.ActionGetVpcList, p(params...)), wire.ActionGetVpcList)
		var names []string
		for _, v := range resp.VpcList {
			names = append(names, v.VpcName)
		}
		return resp.TotalRows, names
	}
	check := func(wantTotal int, want string, params ...string) {
		t.Helper()
		total, names := list(params...)
		if total != wantTotal || strings.Join(names, ",") != want {
			t.Errorf("%v: totalRows %d %v, want %d [%s]", params, total, names, wantTotal, want)
		}
	}
	check(6, "vpc-0,vpc-1,vpc-2,vpc-3,vpc-4,young")
	check(1, "vpc-3", wire.ParamVpcName, "vpc-3")
	check(0, "", wire.ParamVpcName, "vpc")
	check(1, "young", wire.ParamVpcStatusCode, wire.StatusInit)
	check(5, "vpc-0,vpc-1,vpc-2,vpc-3,vpc-4", wire.ParamVpcStatusCode, wire.StatusRun)
	check(2, "vpc-1,vpc-4", "vpcNoList.1", nos[4], "vpcNoList.2", nos[1])
	check(6, "vpc-2,vpc-3", legacy.ParamPageNo, "2", legacy.ParamPageSize, "2")
	check(6, "young", legacy.ParamPageNo, "2", legacy.ParamPageSize, "5")
	check(6, "", legacy.ParamPageNo, "3", legacy.ParamPageSize, "5")
	check(6, "vpc-0,vpc-1", legacy.ParamPageNo, "0", legacy.ParamPageSize, "2")
	check(6, "vpc-0,vpc-1", legacy.ParamPageNo, "1", legacy.ParamPageSize, "2")
	check(6, "vpc-0,vpc-1,vpc-2", legacy.ParamPageSize, "3")
	check(2, "vpc-1", "vpcNoList.1", nos[4], "vpcNoList.2", nos[1], legacy.ParamPageNo, "1", legacy.ParamPageSize, "1")

	bad := []struct {
		params []string
		want   []string
	}{
		{[]string{legacy.ParamPageNo, "1"}, []string{"pageSize", "required", "pageNo"}},
		{[]string{legacy.ParamPageNo, "-1", legacy.ParamPageSize, "2"}, []string{"pageNo"}},
		{[]string{legacy.ParamPageNo, "x", legacy.ParamPageSize, "2"}, []string{"pageNo"}},
		{[]string{legacy.ParamPageSize, "0"}, []string{"pageSize", "1 to 1000"}},
		{[]string{legacy.ParamPageSize, "1001"}, []string{"pageSize", "1 to 1000"}},
		{[]string{wire.ParamVpcStatusCode, "RUNNING"}, []string{"vpcStatusCode", "RUNNING", "TERMTING"}},
		{[]string{"vpcNoList.1", nos[0], "vpcNoList.3", nos[1]}, []string{"vpcNoList.2", "missing"}},
		{[]string{"vpcNoList", nos[0]}, []string{"vpcNoList.1"}},
		{[]string{"vpcNoList.1", "x1"}, []string{"vpcNoList.1", "x1"}},
	}
	for _, tc := range bad {
		legacyapitest.ExpectError(t, f.a.Call(wire.ActionGetVpcList, p(tc.params...)), http.StatusBadRequest, legacy.CodeInvalidParameter, tc.want...)
	}
}

func TestCrossAccountIsolation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	va := createVpc(t, f.a, "10.0.0.0/16", "shared-name")
	vb := createVpc(t, f.b, "10.0.0.0/16", "shared-name")
	if va.VpcNo == vb.VpcNo {
		t.Fatalf("two accounts got the same vpcNo %s", va.VpcNo)
	}
	aclA := defaultAcl(t, f.a, va.VpcNo)
	for _, tc := range []struct {
		c    *legacyapitest.Client
		mine string
	}{{f.a, va.VpcNo}, {f.b, vb.VpcNo}} {
		got := vpcs(t, tc.c.Call(wire.ActionGetVpcList, nil), wire.ActionGetVpcList)
		if len(got) != 1 || got[0].VpcNo != tc.mine {
			t.Errorf("account lists %s", legacyapitest.JSON(got))
		}
		if got := acls(t, tc.c, nil); len(got) != 1 || got[0].VpcNo != tc.mine {
			t.Errorf("account ACLs %s", legacyapitest.JSON(got))
		}
		if got := routeTables(t, tc.c, nil); len(got) != 2 {
			t.Errorf("account route tables %s", legacyapitest.JSON(got))
		}
	}
	// B cannot use A's VPC or A's ACL.
	legacyapitest.ExpectError(t, f.b.Call(wire.ActionCreateSubnet, subnetParams(va.VpcNo, aclA, "10.0.1.0/24")), http.StatusBadRequest, wire.CodeNotFound, va.VpcNo)
	legacyapitest.ExpectError(t, f.b.Call(wire.ActionCreateSubnet, subnetParams(vb.VpcNo, aclA, "10.0.1.0/24")), http.StatusBadRequest, wire.CodeAclNotAccessible, aclA, vb.VpcNo)
	if got := vpcs(t, f.b.Call(wire.ActionGetVpcList, p("vpcNoList.1", va.VpcNo)), wire.ActionGetVpcList); len(got) != 0 {
		t.Errorf("B found A's VPC by number: %s", legacyapitest.JSON(got))
	}
	got := f.svc.Inventory("acct-a")
	inv, ok := got.(vpc.Inventory)
	if !ok {
		t.Fatalf("inventory of A is %T, want vpc.Inventory", got)
	}
	if len(inv.Vpcs) != 1 || inv.Vpcs[0].VpcNo != va.VpcNo || len(inv.NetworkAcls) != 1 || len(inv.RouteTables) != 2 || len(inv.Subnets) != 0 {
		t.Errorf("inventory of A: %s", legacyapitest.JSON(inv))
	}
	if inv := f.svc.Inventory("nobody"); inv != nil {
		t.Errorf("inventory of an unknown account: %v", inv)
	}
}

func TestNetworkAclAndRouteTableLists(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	v1, acl1 := f.readyVpc(t, f.a, "10.0.0.0/16", "beta")
	v2 := createVpc(t, f.a, "10.1.0.0/16", "alpha")

	all := acls(t, f.a, nil)
	if len(all) != 2 {
		t.Fatalf("ACLs %s", legacyapitest.JSON(all))
	}
	if got := acls(t, f.a, p("networkAclNoList.1", acl1)); len(got) != 1 || got[0].VpcNo != v1.VpcNo {
		t.Errorf("by number: %s", legacyapitest.JSON(got))
	}
	if got := acls(t, f.a, p(wire.ParamNetworkAclName, "alpha-default-network-acl")); len(got) != 1 || got[0].VpcNo != v2.VpcNo {
		t.Errorf("by name: %s", legacyapitest.JSON(got))
	}
	if got := acls(t, f.a, p(wire.ParamNetworkAclStatusCode, wire.StatusInit)); len(got) != 1 || got[0].VpcNo != v2.VpcNo {
		t.Errorf("by status: %s", legacyapitest.JSON(got))
	}
	resp := legacyapitest.Decode[wire.NetworkAclListResponse](t, f.a.Call(wire.ActionGetNetworkAclList, p(legacy.ParamPageNo, "2", legacy.ParamPageSize, "1")), wire.ActionGetNetworkAclList)
	if resp.TotalRows != 2 || len(resp.NetworkAclList) != 1 || resp.NetworkAclList[0].VpcNo != v2.VpcNo {
		t.Errorf("page 2: %s", legacyapitest.JSON(resp))
	}
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionGetNetworkAclList, p(wire.ParamNetworkAclStatusCode, "run")), http.StatusBadRequest, legacy.CodeInvalidParameter, "networkAclStatusCode")
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionGetNetworkAclList, p(wire.ParamVpcNo, "v1")), http.StatusBadRequest, legacy.CodeInvalidParameter, "vpcNo")

	names := func(rts []wire.RouteTable) string {
		var out []string
		for _, rt := range rts {
			out = append(out, rt.RouteTableName)
		}
		return strings.Join(out, ",")
	}
	if got := names(routeTables(t, f.a, nil)); got != "beta-default-public-table,beta-default-private-table,alpha-default-public-table,alpha-default-private-table" {
		t.Errorf("default order: %s", got)
	}
	if got := names(routeTables(t, f.a, p(wire.ParamSortedBy, wire.SortedByRouteTableName))); got != "alpha-default-private-table,alpha-default-public-table,beta-default-private-table,beta-default-public-table" {
		t.Errorf("sorted ASC: %s", got)
	}
	if got := names(routeTables(t, f.a, p(wire.ParamSortedBy, wire.SortedByRouteTableName, wire.ParamSortingOrder, wire.SortingOrderDesc, legacy.ParamPageNo, "1", legacy.ParamPageSize, "2"))); got != "beta-default-public-table,beta-default-private-table" {
		t.Errorf("sorted DESC, page 1: %s", got)
	}
	if got := names(routeTables(t, f.a, p(wire.ParamSupportedSubnetTypeCode, wire.SubnetTypePublic, wire.ParamVpcNo, v2.VpcNo))); got != "alpha-default-public-table" {
		t.Errorf("by type and VPC: %s", got)
	}
	first := routeTables(t, f.a, nil)[0]
	if got := names(routeTables(t, f.a, p("routeTableNoList.1", first.RouteTableNo, wire.ParamRouteTableName, first.RouteTableName))); got != first.RouteTableName {
		t.Errorf("by number and name: %s", got)
	}
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionGetRouteTableList, p(wire.ParamSortedBy, "vpcName")), http.StatusBadRequest, legacy.CodeInvalidParameter, "sortedBy", "routeTableName")
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionGetRouteTableList, p(wire.ParamSortingOrder, "asc")), http.StatusBadRequest, legacy.CodeInvalidParameter, "sortingOrder")
	legacyapitest.ExpectError(t, f.a.Call(wire.ActionGetRouteTableList, p(wire.ParamSupportedSubnetTypeCode, "BOTH")), http.StatusBadRequest, legacy.CodeInvalidParameter, "supportedSubnetTypeCode")
}

// restored returns a new service at f's time restored from f's image.
func restored(t *testing.T, f *fixture) *fixture {
	t.Helper()
	g := newFixture(t, delay)
	g.clock.Advance(f.clock.Now().Sub(t0))
	if err := g.svc.Store().Load(f.svc.Store().Image()); err != nil {
		t.Fatal(err)
	}
	return g
}

func TestImageRestore(t *testing.T) {
	t.Parallel()
	f := newFixture(t, delay)
	v, aclNo := f.readyVpc(t, f.a, "10.0.0.0/16", "saved")
	createSubnet(t, f.a, subnetParams(v.VpcNo, aclNo, "10.0.1.0/24"))
	creating := createVpc(t, f.b, "10.0.0.0/16", "")

	g := restored(t, f)
	for _, acct := range []string{"acct-a", "acct-b"} {
		if want, got := legacyapitest.JSON(f.svc.Inventory(acct)), legacyapitest.JSON(g.svc.Inventory(acct)); want != got {
			t.Errorf("%s inventory after restore:\n%s\nwant\n%s", acct, got, want)
		}
	}
	// Transitions survive: the VPC restored while INIT reaches RUN.
	g.clock.Advance(delay)
	if got := vpcDetail(t, g.b, creating.VpcNo); got == nil || status(got.VpcStatus) != wire.StatusRun {
		t.Errorf("restored VPC %+v, want RUN", got)
	}
	// New numbers do not collide with restored ones.
	if n := createVpc(t, g.a, "10.1.0.0/16", "").VpcNo; vpcDetail(t, g.a, n) == nil || n == v.VpcNo || n == creating.VpcNo {
		t.Errorf("new vpcNo %s collides", n)
	}
}

func TestLoadRejectsInconsistentImages(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	v, aclNo := f.readyVpc(t, f.a, "10.0.0.0/16", "keep")
	sn := createSubnet(t, f.a, subnetParams(v.VpcNo, aclNo, "10.0.1.0/24"))
	before := legacyapitest.JSON(f.svc.Inventory("acct-a"))
	good, err := json.Marshal(f.svc.Store().Image())
	if err != nil {
		t.Fatal(err)
	}
	s := string(good)
	corrupt := map[string]string{
		"unknown field":     strings.Replace(s, `"vpcName":"keep"`, `"vpcName":"keep","extra":true`, 1),
		"bad cidr":          strings.Replace(s, `"10.0.1.0/24"`, `"10.0.1.5/24"`, 1),
		"subnet outside":    strings.Replace(s, `"10.0.1.0/24"`, `"10.1.1.0/24"`, 1),
		"dangling subnet":   strings.Replace(s, `"vpcNo":"`+v.VpcNo+`","regionCode":"KR","zoneCode"`, `"vpcNo":"1","regionCode":"KR","zoneCode"`, 1),
		"foreign ACL":       strings.Replace(s, `"networkAclNo":"`+aclNo+`","createDate"`, `"networkAclNo":"1","createDate"`, 1),
		"key mismatch":      strings.Replace(s, `"subnets":{"acct-a":{"`+sn.SubnetNo+`"`, `"subnets":{"acct-a":{"7"`, 1),
		"bad subnet type":   strings.Replace(s, `"subnetTypeCode":"PRIVATE"`, `"subnetTypeCode":"SECRET"`, 1),
		"unknown region":    strings.Replace(s, `"regionCode":"KR","createDate"`, `"regionCode":"MARS","createDate"`, 1),
		"unknown status op": strings.Replace(s, `"life":{"status":"RUN"}`, `"life":{"status":"RUN","op":{"transition":"fly","mode":"time","start":"2024-01-01T00:00:00Z","delay":0}}`, 1),
	}
	for name, data := range corrupt {
		if data == s {
			t.Fatalf("%s: the corruption did not apply", name)
		}
		var im emu.Image
		if err := json.Unmarshal([]byte(data), &im); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := f.svc.Store().Load(&im); err == nil {
			t.Errorf("%s: Load accepted it", name)
		}
		if after := legacyapitest.JSON(f.svc.Inventory("acct-a")); after != before {
			t.Fatalf("%s: state changed by a failed Load:\n%s", name, after)
		}
	}
}

func TestResetKeepsNumbersUnique(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	first := createVpc(t, f.a, "10.0.0.0/16", "xyz")
	f.svc.Reset()
	if inv := f.svc.Inventory("acct-a"); inv != nil {
		t.Errorf("inventory after Reset: %v", inv)
	}
	if got := vpcDetail(t, f.a, first.VpcNo); got != nil {
		t.Errorf("VPC survived Reset: %+v", got)
	}
	if second := createVpc(t, f.a, "10.0.0.0/16", "xyz"); second.VpcNo == first.VpcNo {
		t.Errorf("vpcNo %s reused after Reset", second.VpcNo)
	}
}

func TestConcurrentCreates(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 0)
	f.svc.SetLimits(vpc.Limits{VpcsPerRegion: 20, SubnetsPerVpc: 200})
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := f.a
			if i%2 == 1 {
				c = f.b
			}
			r := c.Call(wire.ActionCreateVpc, p(wire.ParamIpv4CidrBlock, fmt.Sprintf("10.%d.0.0/16", i)))
			if r.Status != http.StatusOK {
				t.Errorf("create %d: HTTP %d %s", i, r.Status, r.Body)
			}
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, c := range []*legacyapitest.Client{f.a, f.b} {
		for _, v := range vpcs(t, c.Call(wire.ActionGetVpcList, nil), wire.ActionGetVpcList) {
			if seen[v.VpcNo] {
				t.Errorf("vpcNo %s handed out twice", v.VpcNo)
			}
			seen[v.VpcNo] = true
		}
	}
	if len(seen) != n {
		t.Errorf("%d VPCs, want %d", len(seen), n)
	}
}
