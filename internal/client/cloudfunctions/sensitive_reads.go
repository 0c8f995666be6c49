package cloudfunctions

import (
	"context"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// GetPackageHiding is GetPackage for a caller that knows secrets the
// answer may hold (the sensitive parameters of its state): they are hidden
// in logs and errors, as PutPackage hides the ones it sends.
func (c *Client) GetPackageHiding(ctx context.Context, name string, sensitive ...string) (*wire.Package, error) {
	var out wire.Package
	resp, err := c.do(ctx, &client.JSONRequest{Operation: "getPackage", Path: wire.PathPackage, PathParams: []string{name},
		Sensitive: sensitive}, &out)
	if err != nil {
		return nil, err
	}
	if out.Name == "" {
		return nil, c.unexpected("getPackage", resp, true)
	}
	return &out, nil
}

// GetActionHiding is GetAction hiding sensitive in logs and errors (see
// GetPackageHiding).
func (c *Client) GetActionHiding(ctx context.Context, pkg, name string, sensitive ...string) (*wire.Action, error) {
	var out wire.Action
	resp, err := c.do(ctx, &client.JSONRequest{Operation: "getAction", Path: wire.PathAction, PathParams: []string{pkg, name},
		Sensitive: sensitive}, &out)
	if err != nil {
		return nil, err
	}
	if out.Name == "" {
		return nil, c.unexpected("getAction", resp, true)
	}
	return &out, nil
}
