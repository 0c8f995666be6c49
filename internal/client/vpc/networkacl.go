package vpc

import (
	"context"
	"net/url"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// SetSubnetNetworkAcl gives subnet subnetNo the network ACL networkAclNo, an
// ACL of the subnet's VPC (setSubnetNetworkAcl, ncp-api.md §5.3), and
// returns that ACL as NCP answered: status SET while the change is being
// applied, RUN once it is done. It is not idempotent as far as the client
// core is concerned: after an uncertain failure (client.IsAmbiguous) the
// caller reads the subnet to see whether the change was made.
func (c *Client) SetSubnetNetworkAcl(ctx context.Context, subnetNo, networkAclNo string) (*wire.NetworkAcl, error) {
	params := url.Values{}
	params.Set(wire.ParamSubnetNo, subnetNo)
	params.Set(wire.ParamNetworkAclNo, networkAclNo)
	var out wire.NetworkAclListResponse
	resp, err := c.call(ctx, wire.ActionSetSubnetNetworkAcl, params, false, &out)
	if err != nil {
		return nil, err
	}
	return firstNetworkAcl(wire.ActionSetSubnetNetworkAcl, resp, out)
}

// GetNetworkAclsByNo returns the network ACLs numbered networkAclNos
// (getNetworkAclList with networkAclNoList.N); ACLs that do not exist are
// left out.
func (c *Client) GetNetworkAclsByNo(ctx context.Context, networkAclNos ...string) ([]wire.NetworkAcl, error) {
	params := url.Values{}
	legacy.AddList(params, wire.ParamNetworkAclNoList, networkAclNos)
	return pages(ctx, c, wire.ActionGetNetworkAclList, params, func(r *wire.NetworkAclListResponse) ([]wire.NetworkAcl, int) {
		return r.NetworkAclList, r.TotalRows
	})
}

// CreateNetworkAclInput is the request of CreateNetworkAcl.
type CreateNetworkAclInput struct {
	VpcNo       string // required
	Name        string // empty lets NCP choose a name
	Description string // 0 to 1000 bytes
}

// CreateNetworkAcl creates a network ACL in a VPC (createNetworkAcl). It is
// not idempotent.
func (c *Client) CreateNetworkAcl(ctx context.Context, in CreateNetworkAclInput) (*wire.NetworkAcl, error) {
	params := url.Values{}
	params.Set(wire.ParamVpcNo, in.VpcNo)
	params.Set(wire.ParamNetworkAclName, in.Name)
	params.Set(wire.ParamNetworkAclDescription, in.Description)
	var out wire.NetworkAclListResponse
	resp, err := c.call(ctx, wire.ActionCreateNetworkAcl, params, false, &out)
	if err != nil {
		return nil, err
	}
	return firstNetworkAcl(wire.ActionCreateNetworkAcl, resp, out)
}

// DeleteNetworkAcl deletes a network ACL that is not its VPC's default one
// and that no subnet uses (deleteNetworkAcl). It is not idempotent.
func (c *Client) DeleteNetworkAcl(ctx context.Context, networkAclNo string) error {
	params := url.Values{}
	params.Set(wire.ParamNetworkAclNo, networkAclNo)
	var out wire.NetworkAclListResponse
	_, err := c.call(ctx, wire.ActionDeleteNetworkAcl, params, false, &out)
	return err
}

// firstNetworkAcl is firstVpc for network ACLs.
func firstNetworkAcl(action string, resp *client.Response, out wire.NetworkAclListResponse) (*wire.NetworkAcl, error) {
	if len(out.NetworkAclList) == 0 {
		return nil, unexpected(action, resp, true, emptyAnswer{action})
	}
	return &out.NetworkAclList[0], nil
}
