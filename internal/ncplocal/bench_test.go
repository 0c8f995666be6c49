package ncplocal_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vserver"
)

var benchCred = ncplocal.DefaultCredential

// benchAccount is a server whose default account holds one VPC with one
// subnet (the objects the benchmarks touch) and 50 more VPCs, with extra
// subnets spread over them.
type benchAccount struct {
	srv                    *ncplocal.Server
	vpcs                   *vpc.Service
	vpcNo, aclNo, subnetNo string
}

// newBenchAccount builds the server, with a data dir when durable is set.
func newBenchAccount(b testing.TB, extraSubnets int, durable bool) *benchAccount {
	b.Helper()
	var vpcs *vpc.Service
	opts := ncplocal.Options{Services: func(env emu.Env) []emu.Service {
		vpcs = vpc.New(env)
		vpcs.SetLimits(vpc.Limits{VpcsPerRegion: 1 + benchVpcs, SubnetsPerVpc: 200})
		return []emu.Service{vpcs, vserver.New(env, vpcs)}
	}}
	if durable {
		opts.DataDir = b.TempDir()
	}
	srv, err := ncplocal.New(opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	call := func(uri string) []byte {
		code, body := signedCall(srv, benchCred, http.MethodPost, uri)
		if code != http.StatusOK {
			b.Fatalf("%s: %d %s", uri, code, body)
		}
		return body
	}
	createVpc := func(block int) (string, string) {
		no := firstNo(call(fmt.Sprintf("/vpc/v2/createVpc?responseFormatType=json&ipv4CidrBlock=10.%d.0.0%%2F16", block)), "vpcList", "vpcNo")
		acl := firstNo(call("/vpc/v2/getNetworkAclList?responseFormatType=json&vpcNo="+no), "networkAclList", "networkAclNo")
		return no, acl
	}
	createSubnet := func(vpcNo, aclNo string, block, i int) string {
		return firstNo(call(fmt.Sprintf("/vpc/v2/createSubnet?responseFormatType=json&zoneCode=KR-1&subnetTypeCode=PRIVATE&vpcNo=%s&networkAclNo=%s&subnet=10.%d.%d.%d%%2F28",
			vpcNo, aclNo, block, i/16, (i%16)*16)), "subnetList", "subnetNo")
	}
	a := &benchAccount{srv: srv, vpcs: vpcs}
	a.vpcNo, a.aclNo = createVpc(0)
	a.subnetNo = createSubnet(a.vpcNo, a.aclNo, 0, 0)
	perVpc := extraSubnets / benchVpcs
	for v := range benchVpcs {
		no, acl := createVpc(v + 1)
		for i := range perVpc {
			createSubnet(no, acl, v+1, i)
		}
	}
	return a
}

// benchVpcs is the number of VPCs besides the one the benchmarks touch:
// 10,000 subnets need 50 of them at 200 subnets per VPC.
const benchVpcs = 50

// BenchmarkGatewayRead measures reads the provider makes while it polls, in
// an account of 51 VPCs without subnets and in the same account holding
// 10,000 subnets: a request costs what it touches, so the two stay close
// (issue 10 item 3). The reads go through the whole server (signature check, routing,
// call counting), in-process.
func BenchmarkGatewayRead(b *testing.B) {
	for _, extra := range []int{0, 10000} {
		a := newBenchAccount(b, extra, false)
		for _, op := range []struct{ name, uri string }{
			{"getVpcList", "/vpc/v2/getVpcList?responseFormatType=json&vpcNoList.1=" + a.vpcNo},
			{"getVpcDetail", "/vpc/v2/getVpcDetail?responseFormatType=json&vpcNo=" + a.vpcNo},
			{"getSubnetDetail", "/vpc/v2/getSubnetDetail?responseFormatType=json&subnetNo=" + a.subnetNo},
			{"getSubnetListOfVpc", "/vpc/v2/getSubnetList?responseFormatType=json&vpcNo=" + a.vpcNo},
			{"getAccessControlGroupListOfVpc", "/vserver/v2/getAccessControlGroupList?responseFormatType=json&vpcNo=" + a.vpcNo},
		} {
			b.Run(fmt.Sprintf("subnets=%d/%s", extra, op.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if code, body := signedCall(a.srv, benchCred, http.MethodPost, op.uri); code != http.StatusOK {
						b.Fatalf("%d %s", code, body)
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
			})
		}
	}
}

// BenchmarkMutation measures one change (a createSubnet or a deleteSubnet)
// answered by the server: in memory, and durable (on disk, fsynced, before
// the answer) in an empty account and in one holding 10,000 subnets; the
// journal writes what changed, so the size of the state does not count.
func BenchmarkMutation(b *testing.B) {
	for _, tc := range []struct {
		name    string
		extra   int
		durable bool
	}{
		{"memory", 0, false},
		{"durable", 0, true},
		{"durable/subnets=10000", 10000, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			a := newBenchAccount(b, tc.extra, tc.durable)
			create := fmt.Sprintf("/vpc/v2/createSubnet?responseFormatType=json&zoneCode=KR-2&subnetTypeCode=PRIVATE&vpcNo=%s&networkAclNo=%s&subnet=10.0.9.0%%2F24", a.vpcNo, a.aclNo)
			b.ReportAllocs()
			for b.Loop() {
				code, body := signedCall(a.srv, benchCred, http.MethodPost, create)
				if code != http.StatusOK {
					b.Fatalf("create: %d %s", code, body)
				}
				del := "/vpc/v2/deleteSubnet?responseFormatType=json&subnetNo=" + firstNo(body, "subnetList", "subnetNo")
				if code, body := signedCall(a.srv, benchCred, http.MethodPost, del); code != http.StatusOK {
					b.Fatalf("delete: %d %s", code, body)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e6/float64(2*b.N), "µs/mutation")
		})
	}
}
