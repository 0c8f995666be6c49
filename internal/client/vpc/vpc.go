// Package vpc is the provider's client of the NCP VPC API (/vpc/v2 on the
// ncloud API gateway, ncp-api.md §5): VPCs, subnets, and the network ACLs
// and route tables a VPC comes with.
//
// Every action is a POST with an application/x-www-form-urlencoded body that
// carries responseFormatType=json and the provider block's regionCode;
// answers are unwrapped from {"<action>Response": {...}} into the types of
// internal/wire/vpc.
//
// Reads are sent as idempotent requests, so the client core resends them
// after a dropped connection or a 502/503/504. Creates and deletes are not
// idempotent (a repeated create makes a second object, a repeated delete
// fails): after an ambiguous failure the client core returns an error for
// which client.IsAmbiguous is true, and the caller reconciles by looking the
// object up. A success answer to a create or delete whose body cannot be
// decoded, or that lacks the object, is ambiguous too: NCP very likely did
// the work. The VPC return codes are mapped to client error kinds (see
// ErrorKinds), so callers test failures with client.IsNotFound,
// client.IsConflict and client.IsValidation.
package vpc

import (
	"context"
	"net/url"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	legacyclient "github.com/ncplabs/terraform-provider-ncp/internal/client/legacy"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/journal"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// ServiceName names the service in logs and errors.
const ServiceName = "vpc"

// ErrorKinds classifies the VPC API's return codes. NCP answers every
// business error with HTTP 400, so the status alone would make them all
// validation errors.
var ErrorKinds = map[string]client.Kind{
	wire.CodeNotFound:           client.KindNotFound,
	wire.CodeDuplicateName:      client.KindConflict,
	wire.CodeInUse:              client.KindConflict,
	legacy.CodeInvalidParameter: client.KindValidation,
	wire.CodeCidrConflict:       client.KindValidation,
}

// Typical durations of the VPC API's asynchronous transitions: how long a
// VPC or a subnet usually stays INIT/CREATING after its create, or TERMTING
// after its delete. Waiters pass them to wait.Config.WithTypical, which
// times the first poll by them. [?] NCP documents no durations; 2 s is the
// delay before the first poll of the official provider's VPC and subnet
// waiters (ncp-api.md §5.4) and ncplocal's default async delay.
const (
	TypicalVpcTransition    = 2 * time.Second
	TypicalSubnetTransition = 2 * time.Second
)

// Client calls the VPC API through one provider block's client core. It is
// cheap to build and safe for concurrent use.
type Client struct {
	core *client.Client
}

// New returns a VPC client on top of c.
func New(c *client.Client) *Client {
	return &Client{core: c}
}

// Attempts is how many times one operation may be tried in all (see
// client.Client.Attempts).
func (c *Client) Attempts() int { return c.core.Attempts() }

// Journal is the provider block's create journal (client.Client.Journal).
func (c *Client) Journal() *journal.Journal { return c.core.Journal() }

// CreateVpcInput is the request of CreateVpc.
type CreateVpcInput struct {
	// Ipv4CidrBlock is the VPC's address block, e.g. "10.0.0.0/16" (required).
	Ipv4CidrBlock string
	// Name is the VPC name; empty lets NCP choose one.
	Name string
}

// CreateVpc creates a VPC (createVpc) and returns it as NCP answered,
// usually in status INIT or CREATING. It is not idempotent: after an
// ambiguous failure (client.IsAmbiguous) the VPC may or may not exist.
func (c *Client) CreateVpc(ctx context.Context, in CreateVpcInput) (*wire.Vpc, error) {
	params := url.Values{}
	params.Set(wire.ParamIpv4CidrBlock, in.Ipv4CidrBlock)
	params.Set(wire.ParamVpcName, in.Name)
	var out wire.VpcListResponse
	resp, err := c.call(ctx, wire.ActionCreateVpc, params, false, &out)
	if err != nil {
		return nil, err
	}
	return firstVpc(wire.ActionCreateVpc, resp, out)
}

// GetVpcDetail returns what getVpcDetail answers for vpcNo: one VPC, or
// none when the VPC does not exist (NCP's way of saying "gone", ncp-api.md
// §5.4; it is not an error).
func (c *Client) GetVpcDetail(ctx context.Context, vpcNo string) ([]wire.Vpc, error) {
	params := url.Values{}
	params.Set(wire.ParamVpcNo, vpcNo)
	var out wire.VpcListResponse
	if _, err := c.call(ctx, wire.ActionGetVpcDetail, params, true, &out); err != nil {
		return nil, err
	}
	return out.VpcList, nil
}

// VpcFilter narrows GetVpcList. Zero fields do not filter.
type VpcFilter struct {
	// Name is the VPC name (vpcName).
	Name string
	// StatusCode is a status such as RUN (vpcStatusCode).
	StatusCode string
	// VpcNos lists VPC numbers (vpcNoList.N).
	VpcNos []string
}

// GetVpcList returns the VPCs matching f (getVpcList). The action takes no
// pagination parameters (ncp-api.md §5.3): one call returns every match.
func (c *Client) GetVpcList(ctx context.Context, f VpcFilter) ([]wire.Vpc, error) {
	params := url.Values{}
	params.Set(wire.ParamVpcName, f.Name)
	params.Set(wire.ParamVpcStatusCode, f.StatusCode)
	legacy.AddList(params, wire.ParamVpcNoList, f.VpcNos)
	var out wire.VpcListResponse
	if _, err := c.call(ctx, wire.ActionGetVpcList, params, true, &out); err != nil {
		return nil, err
	}
	return out.VpcList, nil
}

// DeleteVpc starts the deletion of a VPC (deleteVpc); it then shows status
// TERMTING until it is gone. The VPC must be RUN and have no subnets. It is
// not idempotent: deleting a VPC that is gone or already being deleted
// fails.
func (c *Client) DeleteVpc(ctx context.Context, vpcNo string) (*wire.Vpc, error) {
	params := url.Values{}
	params.Set(wire.ParamVpcNo, vpcNo)
	var out wire.VpcListResponse
	resp, err := c.call(ctx, wire.ActionDeleteVpc, params, false, &out)
	if err != nil {
		return nil, err
	}
	return firstVpc(wire.ActionDeleteVpc, resp, out)
}

// CreateSubnetInput is the request of CreateSubnet.
type CreateSubnetInput struct {
	VpcNo        string // required
	ZoneCode     string // required, e.g. "KR-2"
	Subnet       string // required CIDR block inside the VPC's block
	NetworkAclNo string // required, a network ACL of the VPC
	SubnetType   string // required: PUBLIC or PRIVATE
	UsageType    string // GEN (NCP's default when empty), LOADB, BM or NATGW
	Name         string // empty lets NCP choose a name
}

// CreateSubnet creates a subnet (createSubnet) and returns it as NCP
// answered, usually in status INIT or CREATING. NCP's "please try again"
// codes are retried by the client core; other failures are returned. It is
// not idempotent: after an ambiguous failure (client.IsAmbiguous) the subnet
// may or may not exist.
func (c *Client) CreateSubnet(ctx context.Context, in CreateSubnetInput) (*wire.Subnet, error) {
	params := url.Values{}
	params.Set(wire.ParamVpcNo, in.VpcNo)
	params.Set(wire.ParamZoneCode, in.ZoneCode)
	params.Set(wire.ParamSubnet, in.Subnet)
	params.Set(wire.ParamNetworkAclNo, in.NetworkAclNo)
	params.Set(wire.ParamSubnetTypeCode, in.SubnetType)
	params.Set(wire.ParamUsageTypeCode, in.UsageType)
	params.Set(wire.ParamSubnetName, in.Name)
	var out wire.SubnetListResponse
	resp, err := c.call(ctx, wire.ActionCreateSubnet, params, false, &out)
	if err != nil {
		return nil, err
	}
	return firstSubnet(wire.ActionCreateSubnet, resp, out)
}

// GetSubnetDetail returns what getSubnetDetail answers for subnetNo: one
// subnet, or none when it does not exist.
func (c *Client) GetSubnetDetail(ctx context.Context, subnetNo string) ([]wire.Subnet, error) {
	params := url.Values{}
	params.Set(wire.ParamSubnetNo, subnetNo)
	var out wire.SubnetListResponse
	if _, err := c.call(ctx, wire.ActionGetSubnetDetail, params, true, &out); err != nil {
		return nil, err
	}
	return out.SubnetList, nil
}

// SubnetFilter narrows GetSubnetList. Zero fields do not filter.
type SubnetFilter struct {
	SubnetNos    []string // subnetNoList.N
	VpcNo        string   // vpcNo
	Subnet       string   // subnet: the CIDR block
	Name         string   // subnetName
	ZoneCode     string   // zoneCode
	SubnetType   string   // subnetTypeCode: PUBLIC or PRIVATE
	UsageType    string   // usageTypeCode
	NetworkAclNo string   // networkAclNo
	StatusCode   string   // subnetStatusCode
}

// GetSubnetList returns every subnet matching f (getSubnetList), reading
// page after page.
func (c *Client) GetSubnetList(ctx context.Context, f SubnetFilter) ([]wire.Subnet, error) {
	params := url.Values{}
	legacy.AddList(params, wire.ParamSubnetNoList, f.SubnetNos)
	params.Set(wire.ParamVpcNo, f.VpcNo)
	params.Set(wire.ParamSubnet, f.Subnet)
	params.Set(wire.ParamSubnetName, f.Name)
	params.Set(wire.ParamZoneCode, f.ZoneCode)
	params.Set(wire.ParamSubnetTypeCode, f.SubnetType)
	params.Set(wire.ParamUsageTypeCode, f.UsageType)
	params.Set(wire.ParamNetworkAclNo, f.NetworkAclNo)
	params.Set(wire.ParamSubnetStatusCode, f.StatusCode)
	return pages(ctx, c, wire.ActionGetSubnetList, params, func(r *wire.SubnetListResponse) ([]wire.Subnet, int) {
		return r.SubnetList, r.TotalRows
	})
}

// DeleteSubnet starts the deletion of a subnet (deleteSubnet); it then shows
// status TERMTING until it is gone. It is not idempotent.
func (c *Client) DeleteSubnet(ctx context.Context, subnetNo string) (*wire.Subnet, error) {
	params := url.Values{}
	params.Set(wire.ParamSubnetNo, subnetNo)
	var out wire.SubnetListResponse
	resp, err := c.call(ctx, wire.ActionDeleteSubnet, params, false, &out)
	if err != nil {
		return nil, err
	}
	return firstSubnet(wire.ActionDeleteSubnet, resp, out)
}

// GetNetworkAclList returns the network ACLs of a VPC (getNetworkAclList);
// an empty vpcNo lists those of every VPC.
func (c *Client) GetNetworkAclList(ctx context.Context, vpcNo string) ([]wire.NetworkAcl, error) {
	params := url.Values{}
	params.Set(wire.ParamVpcNo, vpcNo)
	return pages(ctx, c, wire.ActionGetNetworkAclList, params, func(r *wire.NetworkAclListResponse) ([]wire.NetworkAcl, int) {
		return r.NetworkAclList, r.TotalRows
	})
}

// GetRouteTableList returns the route tables of a VPC (getRouteTableList);
// an empty vpcNo lists those of every VPC.
func (c *Client) GetRouteTableList(ctx context.Context, vpcNo string) ([]wire.RouteTable, error) {
	params := url.Values{}
	params.Set(wire.ParamVpcNo, vpcNo)
	return pages(ctx, c, wire.ActionGetRouteTableList, params, func(r *wire.RouteTableListResponse) ([]wire.RouteTable, int) {
		return r.RouteTableList, r.TotalRows
	})
}

// api is the VPC API for the shared legacy call helper.
var api = &legacyclient.API{
	Service:        ServiceName,
	PathPrefix:     wire.PathPrefix,
	RetryableCodes: wire.RetryableCodes,
	ErrorKinds:     ErrorKinds,
}

// pages reads every page of a list action (see legacyclient.Pages).
func pages[R any, T any](ctx context.Context, c *Client, action string, params url.Values, extract func(*R) ([]T, int)) ([]T, error) {
	return legacyclient.Pages(ctx, api, c.core, c.action(action, params, true), extract)
}

// call sends one action in the provider block's region and decodes its
// answer into out. An answer that cannot be decoded is an error
// (KindAmbiguous when the action is not idempotent).
func (c *Client) call(ctx context.Context, action string, params url.Values, idempotent bool, out any) (*client.Response, error) {
	return api.Do(ctx, c.core, c.action(action, params, idempotent), out)
}

// action describes one action in the provider block's region.
func (c *Client) action(action string, params url.Values, idempotent bool) legacyclient.Call {
	return legacyclient.Call{Action: action, Region: c.core.Config().Region, Params: params, Idempotent: idempotent}
}

// unexpected is the error of a 2xx answer that cannot be used (see
// legacyclient.API.Unexpected).
func unexpected(action string, resp *client.Response, ambiguous bool, err error) *client.Error {
	return api.Unexpected(action, resp, ambiguous, err)
}

// emptyAnswer is the cause of unexpected when a create or delete answers
// without the object.
type emptyAnswer struct{ action string }

func (e emptyAnswer) Error() string { return e.action + " answered success without the object" }

// firstVpc returns the VPC a create or delete answered with; an answer
// without one is an ambiguous error (the action was very likely done).
func firstVpc(action string, resp *client.Response, out wire.VpcListResponse) (*wire.Vpc, error) {
	if len(out.VpcList) == 0 {
		return nil, unexpected(action, resp, true, emptyAnswer{action})
	}
	return &out.VpcList[0], nil
}

// firstSubnet is firstVpc for subnets.
func firstSubnet(action string, resp *client.Response, out wire.SubnetListResponse) (*wire.Subnet, error) {
	if len(out.SubnetList) == 0 {
		return nil, unexpected(action, resp, true, emptyAnswer{action})
	}
	return &out.SubnetList[0], nil
}
