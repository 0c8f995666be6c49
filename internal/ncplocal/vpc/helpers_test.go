package vpc_test

import (
	"context"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/legacyapi/legacyapitest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// t0 is the fake clock's start: 2024-01-02 12:04:05 in KST.
var t0 = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

const delay = 10 * time.Second

type fixture struct {
	clock *legacyapitest.Clock
	svc   *vpc.Service
	a, b  *legacyapitest.Client // two accounts
}

func newFixture(t *testing.T, d time.Duration) *fixture {
	t.Helper()
	clock := legacyapitest.NewClock(t0, d)
	svc := vpc.New(clock.Env())
	return &fixture{
		clock: clock,
		svc:   svc,
		a:     legacyapitest.NewClient(t, svc, wire.PathPrefix, "acct-a"),
		b:     legacyapitest.NewClient(t, svc, wire.PathPrefix, "acct-b"),
	}
}

var p = legacyapitest.Params

func vpcs(t *testing.T, r legacyapitest.Result, action string) []wire.Vpc {
	t.Helper()
	resp := legacyapitest.Decode[wire.VpcListResponse](t, r, action)
	if resp.VpcList == nil {
		t.Fatalf("%s: vpcList is null, want a JSON array", action)
	}
	return resp.VpcList
}

func subnets(t *testing.T, r legacyapitest.Result, action string) []wire.Subnet {
	t.Helper()
	resp := legacyapitest.Decode[wire.SubnetListResponse](t, r, action)
	if resp.SubnetList == nil {
		t.Fatalf("%s: subnetList is null, want a JSON array", action)
	}
	return resp.SubnetList
}

func acls(t *testing.T, c *legacyapitest.Client, params url.Values) []wire.NetworkAcl {
	t.Helper()
	resp := legacyapitest.Decode[wire.NetworkAclListResponse](t, c.Call(wire.ActionGetNetworkAclList, params), wire.ActionGetNetworkAclList)
	if resp.NetworkAclList == nil {
		t.Fatal("networkAclList is null")
	}
	return resp.NetworkAclList
}

func routeTables(t *testing.T, c *legacyapitest.Client, params url.Values) []wire.RouteTable {
	t.Helper()
	resp := legacyapitest.Decode[wire.RouteTableListResponse](t, c.Call(wire.ActionGetRouteTableList, params), wire.ActionGetRouteTableList)
	if resp.RouteTableList == nil {
		t.Fatal("routeTableList is null")
	}
	return resp.RouteTableList
}

// createVpc creates a VPC and returns it as the create response shows it.
func createVpc(t *testing.T, c *legacyapitest.Client, cidr, name string) wire.Vpc {
	t.Helper()
	params := p(wire.ParamIpv4CidrBlock, cidr)
	if name != "" {
		params.Set(wire.ParamVpcName, name)
	}
	list := vpcs(t, c.Call(wire.ActionCreateVpc, params), wire.ActionCreateVpc)
	if len(list) != 1 {
		t.Fatalf("createVpc returned %d VPCs", len(list))
	}
	return list[0]
}

// vpcDetail returns the VPC, or nil when getVpcDetail lists nothing.
func vpcDetail(t *testing.T, c *legacyapitest.Client, no string) *wire.Vpc {
	t.Helper()
	resp := legacyapitest.Decode[wire.VpcListResponse](t, c.Call(wire.ActionGetVpcDetail, p(wire.ParamVpcNo, no)), wire.ActionGetVpcDetail)
	switch {
	case len(resp.VpcList) != resp.TotalRows:
		t.Fatalf("totalRows %d but %d items", resp.TotalRows, len(resp.VpcList))
	case len(resp.VpcList) > 1:
		t.Fatalf("getVpcDetail returned %d VPCs", len(resp.VpcList))
	case len(resp.VpcList) == 0:
		return nil
	}
	return &resp.VpcList[0]
}

// defaultAcl returns the number of the default network ACL of vpcNo.
func defaultAcl(t *testing.T, c *legacyapitest.Client, vpcNo string) string {
	t.Helper()
	list := acls(t, c, p(wire.ParamVpcNo, vpcNo))
	if len(list) != 1 || !list[0].IsDefault {
		t.Fatalf("VPC %s network ACLs: %s", vpcNo, legacyapitest.JSON(list))
	}
	return list[0].NetworkAclNo
}

// readyVpc creates a VPC, lets it reach RUN and returns it with its default
// network ACL number.
func (f *fixture) readyVpc(t *testing.T, c *legacyapitest.Client, cidr, name string) (wire.Vpc, string) {
	t.Helper()
	v := createVpc(t, c, cidr, name)
	f.clock.Advance(f.clock.Delay())
	return v, defaultAcl(t, c, v.VpcNo)
}

func subnetParams(vpcNo, aclNo, cidr string) url.Values {
	return p(
		wire.ParamVpcNo, vpcNo,
		wire.ParamNetworkAclNo, aclNo,
		wire.ParamSubnet, cidr,
		wire.ParamZoneCode, "KR-1",
		wire.ParamSubnetTypeCode, wire.SubnetTypePrivate,
	)
}

func createSubnet(t *testing.T, c *legacyapitest.Client, params url.Values) wire.Subnet {
	t.Helper()
	list := subnets(t, c.Call(wire.ActionCreateSubnet, params), wire.ActionCreateSubnet)
	if len(list) != 1 {
		t.Fatalf("createSubnet returned %d subnets", len(list))
	}
	return list[0]
}

func subnetDetail(t *testing.T, c *legacyapitest.Client, no string) *wire.Subnet {
	t.Helper()
	list := subnets(t, c.Call(wire.ActionGetSubnetDetail, p(wire.ParamSubnetNo, no)), wire.ActionGetSubnetDetail)
	if len(list) > 1 {
		t.Fatalf("getSubnetDetail returned %d subnets", len(list))
	}
	if len(list) == 0 {
		return nil
	}
	return &list[0]
}

func status(c *legacy.CommonCode) string {
	if c == nil {
		return "<nil>"
	}
	return c.Code
}

// recorder records the VPC events a service publishes.
type recorder struct {
	mu               sync.Mutex
	created, deleted []vpc.VpcEvent
}

// follow subscribes r to svc's events.
func (r *recorder) follow(svc *vpc.Service) {
	svc.Events.Subscribe(func(_ context.Context, ev vpc.VpcEvent) {
		r.mu.Lock()
		defer r.mu.Unlock()
		if ev.Type == vpc.VpcCreated {
			r.created = append(r.created, ev)
		} else {
			r.deleted = append(r.deleted, ev)
		}
	})
}
