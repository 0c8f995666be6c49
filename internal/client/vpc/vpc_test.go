package vpc_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	ncplocalvpc "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// startVpcServer starts an ncplocal that serves only the VPC emulator, with
// immediate transitions, and returns it with a client whose retries are
// fast and bounded.
func startVpcServer(t *testing.T) (*ncplocal.Server, *vpcclient.Client) {
	t.Helper()
	srv := ncplocal.StartTest(t, ncplocal.Options{
		Services: func(env emu.Env) []emu.Service { return []emu.Service{ncplocalvpc.New(env)} },
	})
	return srv, newClient(t, srv.URL())
}

// newClient returns a VPC client for base URL u with ncplocal's default
// credential and two fast retries.
func newClient(t *testing.T, u string) *vpcclient.Client {
	t.Helper()
	c, err := client.New(client.Config{
		AccessKey:     ncplocal.DefaultCredential.AccessKey,
		SecretKey:     ncplocal.DefaultCredential.SecretKey,
		Region:        "KR",
		Endpoints:     client.Endpoints{Ncloud: u},
		MaxRetries:    2,
		RetryMinDelay: time.Millisecond,
		RetryMaxDelay: 5 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return vpcclient.New(c)
}

func mustCreateVpc(t *testing.T, c *vpcclient.Client, name, cidr string) *wire.Vpc {
	t.Helper()
	v, err := c.CreateVpc(context.Background(), vpcclient.CreateVpcInput{Name: name, Ipv4CidrBlock: cidr})
	if err != nil {
		t.Fatalf("CreateVpc(%s, %s): %v", name, cidr, err)
	}
	return v
}

func TestVpcLifecycle(t *testing.T) {
	t.Parallel()
	_, c := startVpcServer(t)
	ctx := context.Background()

	v := mustCreateVpc(t, c, "vpc-one", "10.1.0.0/16")
	if v.VpcNo == "" || v.VpcName != "vpc-one" || v.Ipv4CidrBlock != "10.1.0.0/16" || v.RegionCode != "KR" {
		t.Errorf("CreateVpc returned %+v", v)
	}
	mustCreateVpc(t, c, "vpc-two", "10.2.0.0/16")

	got, err := c.GetVpcDetail(ctx, v.VpcNo)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].VpcNo != v.VpcNo || got[0].VpcStatus == nil || got[0].VpcStatus.Code != wire.StatusRun {
		t.Errorf("GetVpcDetail = %+v, want VPC %s in RUN", got, v.VpcNo)
	}

	list, err := c.GetVpcList(ctx, vpcclient.VpcFilter{Name: "vpc-two"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].VpcName != "vpc-two" {
		t.Errorf("GetVpcList(name vpc-two) = %+v", list)
	}
	list, err = c.GetVpcList(ctx, vpcclient.VpcFilter{VpcNos: []string{v.VpcNo}})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].VpcNo != v.VpcNo {
		t.Errorf("GetVpcList(vpcNoList %s) = %+v", v.VpcNo, list)
	}

	acls, err := c.GetNetworkAclList(ctx, v.VpcNo)
	if err != nil {
		t.Fatal(err)
	}
	if len(acls) != 1 || !acls[0].IsDefault || acls[0].VpcNo != v.VpcNo {
		t.Errorf("GetNetworkAclList = %+v, want the one default ACL of the VPC", acls)
	}
	tables, err := c.GetRouteTableList(ctx, v.VpcNo)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{}
	for _, rt := range tables {
		if rt.IsDefault && rt.VpcNo == v.VpcNo && rt.SupportedSubnetType != nil {
			types[rt.SupportedSubnetType.Code] = true
		}
	}
	if len(tables) != 2 || !types[wire.SubnetTypePublic] || !types[wire.SubnetTypePrivate] {
		t.Errorf("GetRouteTableList = %+v, want a default PUBLIC and PRIVATE table", tables)
	}

	del, err := c.DeleteVpc(ctx, v.VpcNo)
	if err != nil {
		t.Fatal(err)
	}
	if del.VpcNo != v.VpcNo {
		t.Errorf("DeleteVpc returned %+v", del)
	}
	got, err = c.GetVpcDetail(ctx, v.VpcNo)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("GetVpcDetail after delete = %+v, want an empty list", got)
	}
}

func TestSubnetLifecycle(t *testing.T) {
	t.Parallel()
	_, c := startVpcServer(t)
	ctx := context.Background()
	v := mustCreateVpc(t, c, "vpc-sub", "10.3.0.0/16")
	acls, err := c.GetNetworkAclList(ctx, v.VpcNo)
	if err != nil || len(acls) != 1 {
		t.Fatalf("GetNetworkAclList = %v, %v", acls, err)
	}

	in := vpcclient.CreateSubnetInput{
		VpcNo: v.VpcNo, ZoneCode: "KR-2", Subnet: "10.3.1.0/24", NetworkAclNo: acls[0].NetworkAclNo,
		SubnetType: wire.SubnetTypePrivate, UsageType: wire.UsageTypeLoadB, Name: "sub-a",
	}
	sn, err := c.CreateSubnet(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if sn.SubnetName != "sub-a" || sn.Subnet != "10.3.1.0/24" || sn.ZoneCode != "KR-2" || sn.VpcNo != v.VpcNo ||
		sn.SubnetType.Code != wire.SubnetTypePrivate || sn.UsageType.Code != wire.UsageTypeLoadB || sn.NetworkAclNo != acls[0].NetworkAclNo {
		t.Errorf("CreateSubnet returned %+v", sn)
	}
	in.Subnet, in.Name, in.UsageType, in.ZoneCode = "10.3.2.0/24", "sub-b", "", "KR-1"
	sn2, err := c.CreateSubnet(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if sn2.UsageType.Code != wire.UsageTypeGen {
		t.Errorf("usage type without usageTypeCode = %v, want GEN", sn2.UsageType)
	}

	for _, tc := range []struct {
		name string
		f    vpcclient.SubnetFilter
		want []string
	}{
		{"by vpc", vpcclient.SubnetFilter{VpcNo: v.VpcNo}, []string{"sub-a", "sub-b"}},
		{"by cidr", vpcclient.SubnetFilter{VpcNo: v.VpcNo, Subnet: "10.3.2.0/24"}, []string{"sub-b"}},
		{"by name", vpcclient.SubnetFilter{Name: "sub-a"}, []string{"sub-a"}},
		{"by zone", vpcclient.SubnetFilter{VpcNo: v.VpcNo, ZoneCode: "KR-1"}, []string{"sub-b"}},
		{"by numbers", vpcclient.SubnetFilter{SubnetNos: []string{sn.SubnetNo, sn2.SubnetNo}}, []string{"sub-a", "sub-b"}},
		{"no match", vpcclient.SubnetFilter{VpcNo: v.VpcNo, Name: "nope"}, nil},
	} {
		list, err := c.GetSubnetList(ctx, tc.f)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var names []string
		for _, s := range list {
			names = append(names, s.SubnetName)
		}
		if fmt.Sprint(names) != fmt.Sprint(tc.want) {
			t.Errorf("%s: GetSubnetList = %v, want %v", tc.name, names, tc.want)
		}
	}

	if _, err := c.DeleteVpc(ctx, v.VpcNo); !client.IsConflict(err) {
		t.Errorf("DeleteVpc of a VPC with subnets: err = %v, want a conflict", err)
	}
	if _, err := c.DeleteSubnet(ctx, sn.SubnetNo); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetSubnetDetail(ctx, sn.SubnetNo)
	if err != nil || len(got) != 0 {
		t.Errorf("GetSubnetDetail after delete = %+v, %v; want an empty list", got, err)
	}
	got, err = c.GetSubnetDetail(ctx, sn2.SubnetNo)
	if err != nil || len(got) != 1 || got[0].SubnetName != "sub-b" {
		t.Errorf("GetSubnetDetail(%s) = %+v, %v", sn2.SubnetNo, got, err)
	}
}

// TestErrorKinds checks that NCP's return codes surface as the documented
// client error kinds, with NCP's code and message kept.
func TestErrorKinds(t *testing.T) {
	t.Parallel()
	_, c := startVpcServer(t)
	ctx := context.Background()
	v := mustCreateVpc(t, c, "vpc-err", "10.4.0.0/16")
	acls, err := c.GetNetworkAclList(ctx, v.VpcNo)
	if err != nil || len(acls) != 1 {
		t.Fatalf("GetNetworkAclList = %v, %v", acls, err)
	}
	createVpc := func(name, cidr string) error {
		_, err := c.CreateVpc(ctx, vpcclient.CreateVpcInput{Name: name, Ipv4CidrBlock: cidr})
		return err
	}
	deleteVpc := func(no string) error {
		_, err := c.DeleteVpc(ctx, no)
		return err
	}
	deleteSubnet := func(no string) error {
		_, err := c.DeleteSubnet(ctx, no)
		return err
	}
	subnet := func(cidr string) error {
		_, err := c.CreateSubnet(ctx, vpcclient.CreateSubnetInput{
			VpcNo: v.VpcNo, ZoneCode: "KR-1", Subnet: cidr, NetworkAclNo: acls[0].NetworkAclNo, SubnetType: wire.SubnetTypePublic,
		})
		return err
	}
	if err := subnet("10.4.0.0/24"); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		err  error
		is   func(error) bool
		code string
	}{
		{"duplicate name", createVpc("vpc-err", "10.5.0.0/16"), client.IsConflict, wire.CodeDuplicateName},
		{"bad cidr", createVpc("", "8.8.0.0/16"), client.IsValidation, legacy.CodeInvalidParameter},
		{"delete unknown vpc", deleteVpc("999999"), client.IsNotFound, wire.CodeNotFound},
		{"delete unknown subnet", deleteSubnet("999999"), client.IsNotFound, wire.CodeNotFound},
		{"vpc in use", deleteVpc(v.VpcNo), client.IsConflict, wire.CodeInUse},
		{"subnet outside vpc", subnet("10.9.0.0/24"), client.IsValidation, wire.CodeCidrConflict},
		{"overlapping subnet", subnet("10.4.0.0/25"), client.IsValidation, wire.CodeCidrConflict},
	} {
		var e *client.Error
		switch {
		case tc.err == nil:
			t.Errorf("%s: no error", tc.name)
		case !tc.is(tc.err):
			t.Errorf("%s: wrong kind: %v", tc.name, tc.err)
		case !errors.As(tc.err, &e) || e.Code != tc.code || e.Message == "" || e.Service != "vpc" || e.HTTPStatus != http.StatusBadRequest:
			t.Errorf("%s: error %#v, want code %s with NCP's message", tc.name, tc.err, tc.code)
		}
	}
}

// TestCreateIsNotRetried checks that a create whose connection drops after
// the emulator processed it is sent once and reported as ambiguous, while a
// read is retried.
func TestCreateIsNotRetried(t *testing.T) {
	t.Parallel()
	srv, c := startVpcServer(t)
	ctx := context.Background()
	if err := srv.SetFaults([]ncplocal.FaultRule{{Pattern: "/createVpc$", Rate: 1, Kinds: []string{ncplocal.FaultReset}}}); err != nil {
		t.Fatal(err)
	}
	_, err := c.CreateVpc(ctx, vpcclient.CreateVpcInput{Name: "vpc-reset", Ipv4CidrBlock: "10.6.0.0/16"})
	if !client.IsAmbiguous(err) {
		t.Fatalf("CreateVpc with a dropped connection: err = %v, want an ambiguous error", err)
	}
	if n := srv.Calls()["vpc:createVpc"]; n != 1 {
		t.Errorf("createVpc was sent %d times, want once", n)
	}
	if err := srv.SetFaults(nil); err != nil {
		t.Fatal(err)
	}
	list, err := c.GetVpcList(ctx, vpcclient.VpcFilter{Name: "vpc-reset"})
	if err != nil || len(list) != 1 {
		t.Fatalf("the processed create left %v, %v; want one VPC", list, err)
	}

	if err := srv.SetFaults([]ncplocal.FaultRule{{Pattern: "/getVpcDetail$", Rate: 1, Kinds: []string{ncplocal.FaultReset}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetVpcDetail(ctx, list[0].VpcNo); err == nil || client.IsAmbiguous(err) {
		t.Errorf("GetVpcDetail with dropped connections: err = %v, want a plain connection error", err)
	}
	if n := srv.Calls()["vpc:getVpcDetail"]; n != 3 {
		t.Errorf("getVpcDetail was sent %d times, want 3 (1 + 2 retries)", n)
	}
}

// TestRequestEncoding checks the wire form of a call and the paging of list
// actions against a recording fake: POST form bodies with
// responseFormatType=json and regionCode, pageNo 1, 2, ... until totalRows.
func TestRequestEncoding(t *testing.T) {
	t.Parallel()
	var (
		mu    sync.Mutex
		forms []url.Values
	)
	const total = legacy.MaxPageSize + 3
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(body))
		if err != nil || r.Method != http.MethodPost || r.Header.Get("Content-Type") != legacy.ContentTypeForm ||
			r.URL.Path != "/vpc/v2/getNetworkAclList" {
			http.Error(w, "bad request", http.StatusTeapot)
			return
		}
		mu.Lock()
		forms = append(forms, form)
		mu.Unlock()
		page, _ := strconv.Atoi(form.Get("pageNo"))
		size, _ := strconv.Atoi(form.Get("pageSize"))
		var out wire.NetworkAclListResponse
		out.ReturnCode, out.TotalRows = "0", total
		for i := (page - 1) * size; i < min(page*size, total); i++ {
			out.NetworkAclList = append(out.NetworkAclList, wire.NetworkAcl{NetworkAclNo: strconv.Itoa(i + 1), VpcNo: "7"})
		}
		b, _ := legacy.EncodeJSON("getNetworkAclList", out)
		_, _ = w.Write(b)
	}))
	t.Cleanup(fake.Close)

	acls, err := newClient(t, fake.URL).GetNetworkAclList(context.Background(), "7")
	if err != nil {
		t.Fatal(err)
	}
	if len(acls) != total || acls[total-1].NetworkAclNo != strconv.Itoa(total) {
		t.Errorf("got %d ACLs, want %d in order", len(acls), total)
	}
	if len(forms) != 2 {
		t.Fatalf("sent %d requests, want 2 pages", len(forms))
	}
	for i, f := range forms {
		if f.Get("responseFormatType") != "json" || f.Get("regionCode") != "KR" || f.Get("vpcNo") != "7" ||
			f.Get("pageNo") != strconv.Itoa(i+1) || f.Get("pageSize") != strconv.Itoa(legacy.MaxPageSize) {
			t.Errorf("request %d carried %v", i+1, f)
		}
	}
}

// TestUnusableSuccessAnswer checks that a 2xx answer to a create or delete
// that cannot be decoded, or that lacks the object, is ambiguous (NCP very
// likely did the work), while the same answer to a read is not.
func TestUnusableSuccessAnswer(t *testing.T) {
	t.Parallel()
	var body atomic.Pointer[string]
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, *body.Load())
	}))
	t.Cleanup(fake.Close)
	c := newClient(t, fake.URL)
	ctx := context.Background()

	var noVpc wire.VpcListResponse
	noVpc.ReturnCode = "0"
	emptyVpcs, err := legacy.EncodeJSON(wire.ActionCreateVpc, noVpc)
	if err != nil {
		t.Fatal(err)
	}
	var noSubnet wire.SubnetListResponse
	noSubnet.ReturnCode = "0"
	emptySubnets, err := legacy.EncodeJSON(wire.ActionCreateSubnet, noSubnet)
	if err != nil {
		t.Fatal(err)
	}
	createVpc := func() error {
		_, err := c.CreateVpc(ctx, vpcclient.CreateVpcInput{Name: "v", Ipv4CidrBlock: "10.0.0.0/16"})
		return err
	}
	createSubnet := func() error {
		_, err := c.CreateSubnet(ctx, vpcclient.CreateSubnetInput{VpcNo: "1", ZoneCode: "KR-2", Subnet: "10.0.1.0/24", NetworkAclNo: "2", SubnetType: "PRIVATE"})
		return err
	}
	deleteVpc := func() error { _, err := c.DeleteVpc(ctx, "1"); return err }
	deleteSubnet := func() error { _, err := c.DeleteSubnet(ctx, "1"); return err }
	getVpc := func() error { _, err := c.GetVpcDetail(ctx, "1"); return err }

	tests := []struct {
		name      string
		body      string
		call      func() error
		ambiguous bool
		want      string
	}{
		{"createVpc garbage", "<html>oops", createVpc, true, "unexpected response body"},
		{"createVpc truncated", `{"createVpcResponse":{"returnCode":"0","vpcList":[{"vpcNo":`, createVpc, true, "unexpected response body"},
		{"createVpc empty list", string(emptyVpcs), createVpc, true, "without the object"},
		{"createSubnet empty list", string(emptySubnets), createSubnet, true, "without the object"},
		{"deleteVpc garbage", "not json", deleteVpc, true, "unexpected response body"},
		{"deleteSubnet garbage", "not json", deleteSubnet, true, "unexpected response body"},
		{"getVpcDetail garbage", "not json", getVpc, false, "unexpected response body"},
	}
	for _, tc := range tests {
		body.Store(&tc.body)
		err := tc.call()
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if client.IsAmbiguous(err) != tc.ambiguous {
			t.Errorf("%s: IsAmbiguous(%v) = %v, want %v", tc.name, err, !tc.ambiguous, tc.ambiguous)
		}
		var e *client.Error
		if !errors.As(err, &e) || e.HTTPStatus != http.StatusOK || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q, want HTTP 200 and %q", tc.name, err, tc.want)
		}
	}
}
