// Package vserver is the provider's client of the NCP VServer API
// (/vserver/v2 on the ncloud API gateway, ncp-api.md §5.3): regions, zones
// and access control groups.
//
// Every action is a POST with an application/x-www-form-urlencoded body that
// carries responseFormatType=json and the regionCode; answers are unwrapped
// from {"<action>Response": {...}} into the types of internal/wire/vserver.
package vserver

import (
	"context"
	"net/url"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	legacyclient "github.com/ncplabs/terraform-provider-ncp/internal/client/legacy"
	wirevpc "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vserver"
)

// ServiceName names the service in logs and errors.
const ServiceName = "vserver"

// Client calls the VServer API through one provider block's client core. It
// is cheap to build and safe for concurrent use.
type Client struct {
	core *client.Client
}

// New returns a VServer client on top of c.
func New(c *client.Client) *Client {
	return &Client{core: c}
}

// region returns regionCode, or the provider block's region when it is empty.
func (c *Client) region(regionCode string) string {
	if regionCode != "" {
		return regionCode
	}
	return c.core.Config().Region
}

// GetRegionList returns every region the account can use (getRegionList).
// The action takes no regionCode: it is how a client learns the codes.
func (c *Client) GetRegionList(ctx context.Context) ([]wire.Region, error) {
	var out wire.RegionListResponse
	if err := c.read(ctx, wire.ActionGetRegionList, "", nil, &out); err != nil {
		return nil, err
	}
	return out.RegionList, nil
}

// GetZoneList returns the zones of a region (getZoneList). An empty
// regionCode means the provider block's region.
func (c *Client) GetZoneList(ctx context.Context, regionCode string) ([]wire.Zone, error) {
	var out wire.ZoneListResponse
	if err := c.read(ctx, wire.ActionGetZoneList, c.region(regionCode), nil, &out); err != nil {
		return nil, err
	}
	return out.ZoneList, nil
}

// GetAccessControlGroupList returns the access control groups of a VPC in
// the provider block's region (getAccessControlGroupList). An empty vpcNo
// lists the groups of every VPC.
func (c *Client) GetAccessControlGroupList(ctx context.Context, vpcNo string) ([]wire.AccessControlGroup, error) {
	var out wire.AccessControlGroupListResponse
	params := url.Values{wirevpc.ParamVpcNo: {vpcNo}}
	if err := c.read(ctx, wire.ActionGetAccessControlGroupList, c.region(""), params, &out); err != nil {
		return nil, err
	}
	return out.AccessControlGroupList, nil
}

// api is the VServer API for the shared legacy call helper.
var api = &legacyclient.API{Service: ServiceName, PathPrefix: wire.PathPrefix}

// read sends one read-only action and decodes its answer into out; an empty
// regionCode is left out of the request. Reads change nothing, so they are
// marked idempotent: the client core may resend them after a dropped
// connection or a 502/503/504.
func (c *Client) read(ctx context.Context, action, regionCode string, params url.Values, out any) error {
	_, err := api.Do(ctx, c.core, legacyclient.Call{Action: action, Region: regionCode, Params: params, Idempotent: true}, out)
	return err
}
