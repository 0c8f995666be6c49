// Package vpc holds the resources and data sources of the NCP VPC API:
// ncp_vpc and ncp_subnet.
//
// The package follows terraform-provider-aws: finders (find.go) turn NCP's
// empty Detail answer into a not-found error, status functions (status.go)
// map it to wait.Gone, and waiters (wait.go) poll with the provider's wait
// schedule inside the resource's timeouts. Schema, model and CRUD of each
// resource live in their own files (<thing>_resource_schema.go,
// <thing>_resource_model.go, <thing>_resource.go).
package vpc

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	vserverclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vserver"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// FindVpcByNo returns VPC vpcNo (getVpcDetail). An empty answer, NCP's way
// of saying the VPC is gone (ncp-api.md §5.4), is a not-found error
// (client.IsNotFound).
func FindVpcByNo(ctx context.Context, conn *vpcclient.Client, vpcNo string) (*wire.Vpc, error) {
	list, err := conn.GetVpcDetail(ctx, vpcNo)
	if err != nil {
		return nil, err
	}
	return reconcile.AssertSingle(list, vpcclient.ServiceName, wire.ActionGetVpcDetail, fmt.Sprintf("VPC %s", vpcNo))
}

// FindSubnetByNo returns subnet subnetNo (getSubnetDetail); an empty answer
// is a not-found error (client.IsNotFound).
func FindSubnetByNo(ctx context.Context, conn *vpcclient.Client, subnetNo string) (*wire.Subnet, error) {
	list, err := conn.GetSubnetDetail(ctx, subnetNo)
	if err != nil {
		return nil, err
	}
	return reconcile.AssertSingle(list, vpcclient.ServiceName, wire.ActionGetSubnetDetail, fmt.Sprintf("subnet %s", subnetNo))
}

// FindNetworkAclByNo returns network ACL networkAclNo (getNetworkAclList
// by number); none is a not-found error (client.IsNotFound).
func FindNetworkAclByNo(ctx context.Context, conn *vpcclient.Client, networkAclNo string) (*wire.NetworkAcl, error) {
	list, err := conn.GetNetworkAclsByNo(ctx, networkAclNo)
	if err != nil {
		return nil, err
	}
	return reconcile.AssertSingle(list, vpcclient.ServiceName, wire.ActionGetNetworkAclList, fmt.Sprintf("network ACL %s", networkAclNo))
}

// findVpcsByName returns the VPCs named exactly name (getVpcList), leaving
// out VPCs being deleted (TERMTING): while a VPC is replaced, the dying one
// must neither be matched nor make a lookup ambiguous. The name is also
// compared here, so that a prefix or substring match by the API cannot be
// mistaken for the VPC [?].
func findVpcsByName(ctx context.Context, conn *vpcclient.Client, name string) ([]wire.Vpc, error) {
	return listVpcsByName(ctx, conn, name, false)
}

// listVpcsByName is findVpcsByName; withTerminating keeps TERMTING VPCs,
// for the reconciliation of an uncertain create, which reports such a VPC
// rather than creating again into a name NCP still holds.
func listVpcsByName(ctx context.Context, conn *vpcclient.Client, name string, withTerminating bool) ([]wire.Vpc, error) {
	list, err := conn.GetVpcList(ctx, vpcclient.VpcFilter{Name: name})
	if err != nil {
		return nil, err
	}
	out := make([]wire.Vpc, 0, len(list))
	for _, v := range list {
		if v.VpcName == name && (withTerminating || statusOf(v.VpcStatus) != wire.StatusTermting) {
			out = append(out, v)
		}
	}
	return out, nil
}

// findSubnets returns the subnets matching f (getSubnetList), compared again
// field by field so that only exact matches are returned, leaving out
// subnets being deleted (TERMTING) like findVpcsByName.
func findSubnets(ctx context.Context, conn *vpcclient.Client, f vpcclient.SubnetFilter) ([]wire.Subnet, error) {
	return listSubnets(ctx, conn, f, false)
}

// listSubnets is findSubnets; withTerminating keeps TERMTING subnets (see
// listVpcsByName).
func listSubnets(ctx context.Context, conn *vpcclient.Client, f vpcclient.SubnetFilter, withTerminating bool) ([]wire.Subnet, error) {
	list, err := conn.GetSubnetList(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]wire.Subnet, 0, len(list))
	for _, s := range list {
		if (f.VpcNo == "" || s.VpcNo == f.VpcNo) &&
			(f.Subnet == "" || s.Subnet == f.Subnet) &&
			(f.Name == "" || s.SubnetName == f.Name) &&
			(f.ZoneCode == "" || s.ZoneCode == f.ZoneCode) &&
			(f.SubnetType == "" || code(s.SubnetType) == f.SubnetType) &&
			(withTerminating || statusOf(s.SubnetStatus) != wire.StatusTermting) {
			out = append(out, s)
		}
	}
	return out, nil
}

// vpcDefaults are the objects NCP creates along with a VPC (ncp-api.md
// §5.3). They never change for the life of the VPC.
type vpcDefaults struct {
	NetworkAclNo         string
	AccessControlGroupNo string
	PublicRouteTableNo   string
	PrivateRouteTableNo  string
}

// findVpcDefaults reads the default network ACL and route tables of a VPC
// (VPC API) and its default access control group (VServer API). Each is
// required: a VPC in RUN always has them.
func findVpcDefaults(ctx context.Context, c *client.Client, vpcNo string) (vpcDefaults, error) {
	var d vpcDefaults
	conn := vpcclient.New(c)
	acls, err := conn.GetNetworkAclList(ctx, vpcNo)
	if err != nil {
		return d, err
	}
	for _, acl := range acls {
		if acl.IsDefault && acl.VpcNo == vpcNo {
			d.NetworkAclNo = acl.NetworkAclNo
		}
	}
	tables, err := conn.GetRouteTableList(ctx, vpcNo)
	if err != nil {
		return d, err
	}
	for _, rt := range tables {
		if !rt.IsDefault || rt.VpcNo != vpcNo {
			continue
		}
		switch code(rt.SupportedSubnetType) {
		case wire.SubnetTypePublic:
			d.PublicRouteTableNo = rt.RouteTableNo
		case wire.SubnetTypePrivate:
			d.PrivateRouteTableNo = rt.RouteTableNo
		}
	}
	acgs, err := vserverclient.New(c).GetAccessControlGroupList(ctx, vpcNo)
	if err != nil {
		return d, err
	}
	for _, acg := range acgs {
		if acg.IsDefault && acg.VpcNo == vpcNo {
			d.AccessControlGroupNo = acg.AccessControlGroupNo
		}
	}
	for _, m := range []struct{ what, no string }{
		{"default network ACL", d.NetworkAclNo},
		{"default public route table", d.PublicRouteTableNo},
		{"default private route table", d.PrivateRouteTableNo},
		{"default access control group", d.AccessControlGroupNo},
	} {
		if m.no == "" {
			return d, fmt.Errorf("NCP lists no %s for VPC %s", m.what, vpcNo)
		}
	}
	return d, nil
}

// code returns the code of a {code, codeName} pair, "" when NCP sent none.
func code(c *legacy.CommonCode) string {
	if c == nil {
		return ""
	}
	return c.Code
}

// statusOf returns the status code of an object, or unknownStatus when NCP
// sent none (the empty string would read as wait.Gone).
func statusOf(c *legacy.CommonCode) string {
	if s := code(c); s != "" {
		return s
	}
	return unknownStatus
}

// unknownStatus stands for a missing status. It is neither pending nor a
// target of any waiter, so a waiter stops with a clear message on it.
const unknownStatus = "(no status)"

// lookupByNumber is a data source's look-up of a VPC or subnet by its
// number (attr names the attribute, what the kind of object). An object that
// does not exist or is being deleted (TERMTING) is an error on attr; any
// other failure is reported with NCP's code and message. It returns nil
// when diags got an error.
func lookupByNumber[T any](ctx context.Context, diags *diag.Diagnostics, attr, what, number, region string,
	conn *vpcclient.Client, find func(context.Context, *vpcclient.Client, string) (*T, error), status func(*T) string) *T {
	found, err := find(ctx, conn, number)
	if client.IsNotFound(err) {
		diags.AddAttributeError(path.Root(attr), fmt.Sprintf("No %s matched", what),
			fmt.Sprintf("No %s matched: %s %s does not exist in region %s.", what, what, number, region))
		return nil
	}
	if err != nil {
		framework.AddNCPError(diags, fmt.Sprintf("Error reading %s %s", what, number), err)
		return nil
	}
	if st := status(found); st == wire.StatusTermting {
		diags.AddAttributeError(path.Root(attr), fmt.Sprintf("No %s matched", what),
			fmt.Sprintf("No %s matched: %s %s is being deleted (status %s) in region %s.", what, what, number, st, region))
		return nil
	}
	return found
}

// pointers turns the result of a list finder into pointers to its
// elements, the form the create reconciliation works with.
func pointers[T any](list []T, err error) ([]*T, error) {
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(list))
	for i := range list {
		out[i] = &list[i]
	}
	return out, nil
}
