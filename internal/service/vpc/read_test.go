package vpc_test

import (
	"context"
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/vpc"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// readResource runs r.Read, configured for srv, on a state holding attrs
// (other attributes null), and returns the new state and the diagnostics.
func readResource(t *testing.T, srv *ncplocal.Server, r resource.Resource, attrs map[string]string) (tfsdk.State, diag.Diagnostics) {
	t.Helper()
	ctx := context.Background()
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	state := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}
	for k, v := range attrs {
		if d := state.SetAttribute(ctx, path.Root(k), v); d.HasError() {
			t.Fatalf("setting %s: %v", k, d)
		}
	}
	var cr resource.ConfigureResponse
	rc, ok := r.(resource.ResourceWithConfigure)
	if !ok {
		t.Fatalf("%T has no Configure method", r)
	}
	rc.Configure(ctx, resource.ConfigureRequest{ProviderData: newMeta(t, srv)}, &cr)
	if cr.Diagnostics.HasError() {
		t.Fatal(cr.Diagnostics)
	}
	resp := resource.ReadResponse{State: state}
	r.Read(ctx, resource.ReadRequest{State: state}, &resp)
	return resp.State, resp.Diagnostics
}

func attr(t *testing.T, s tfsdk.State, name string) string {
	t.Helper()
	var v *string
	if d := s.GetAttribute(context.Background(), path.Root(name), &v); d.HasError() {
		t.Fatal(d)
	}
	if v == nil {
		return "<null>"
	}
	return *v
}

// TestVpcReadCalls pins the cost of a refresh: one getVpcDetail when the
// default_* numbers are in state; after an import (only the id in state)
// they are read too, and all four match ncplocal's inventory.
func TestVpcReadCalls(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t, immediate)
	ctx := context.Background()
	v, err := vpcclient.New(acctest.NewClient(t, srv, ncplocal.DefaultCredential)).CreateVpc(ctx, vpcclient.CreateVpcInput{Name: "read-calls", Ipv4CidrBlock: "10.90.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}

	// After an import.
	srv.ResetCalls()
	state, diags := readResource(t, srv, vpc.NewVpcResource(), map[string]string{"id": v.VpcNo})
	if diags.HasError() {
		t.Fatal(diags)
	}
	want := map[string]int{"vpc:getVpcDetail": 1, "vpc:getNetworkAclList": 1, "vpc:getRouteTableList": 1, "vserver:getAccessControlGroupList": 1}
	if got := srv.Calls(); !maps.Equal(got, want) {
		t.Errorf("read after import made calls %v, want %v", got, want)
	}
	defaults, err := vpcDefaultsInInventory(srv, v.VpcNo)
	if err != nil {
		t.Fatal(err)
	}
	wantAttrs := map[string]string{"id": v.VpcNo, "vpc_no": v.VpcNo, "name": "read-calls", "ipv4_cidr_block": "10.90.0.0/16"}
	for _, name := range vpcDefaultAttrs {
		if defaults[name] == "" {
			t.Fatalf("ncplocal holds no %s of VPC %s: %v", name, v.VpcNo, defaults)
		}
		wantAttrs[name] = defaults[name]
	}
	for name, want := range wantAttrs {
		if got := attr(t, state, name); got != want {
			t.Errorf("%s = %q, want %q (from ncplocal's inventory)", name, got, want)
		}
	}

	// A refresh with everything in state.
	attrs := map[string]string{}
	for _, name := range []string{"id", "vpc_no", "name", "ipv4_cidr_block", "default_network_acl_no", "default_access_control_group_no",
		"default_public_route_table_no", "default_private_route_table_no"} {
		attrs[name] = attr(t, state, name)
	}
	attrs["name"] = "stale-name" // every attribute NCP reports is refreshed
	srv.ResetCalls()
	state, diags = readResource(t, srv, vpc.NewVpcResource(), attrs)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if got := srv.Calls(); !maps.Equal(got, map[string]int{"vpc:getVpcDetail": 1}) {
		t.Errorf("refresh made calls %v, want one getVpcDetail", got)
	}
	if got := attr(t, state, "name"); got != "read-calls" {
		t.Errorf("name = %q after refresh, want NCP's %q", got, "read-calls")
	}
}

// TestReadGone checks that a VPC or subnet NCP no longer lists, or is
// deleting, is removed from state with a warning, not an error.
func TestReadGone(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t, immediate)
	ctx := context.Background()
	conn := vpcclient.New(acctest.NewClient(t, srv, ncplocal.DefaultCredential))
	v, err := conn.CreateVpc(ctx, vpcclient.CreateVpcInput{Name: "read-gone", Ipv4CidrBlock: "10.91.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetAsyncDelay(acctest.DefaultAsyncDelay * 100) // the deletion below stays TERMTING
	if _, err := conn.DeleteVpc(ctx, v.VpcNo); err != nil {
		t.Fatal(err)
	}
	if d, err := conn.GetVpcDetail(ctx, v.VpcNo); err != nil || len(d) != 1 || d[0].VpcStatus.Code != wire.StatusTermting {
		t.Fatalf("VPC %s is %+v, %v; want TERMTING", v.VpcNo, d, err)
	}

	for _, tc := range []struct {
		what string
		r    resource.Resource
		id   string
	}{
		{"VPC", vpc.NewVpcResource(), "999999"},
		{"VPC", vpc.NewVpcResource(), v.VpcNo},
		{"Subnet", vpc.NewSubnetResource(), "999999"},
	} {
		state, diags := readResource(t, srv, tc.r, map[string]string{"id": tc.id})
		if diags.HasError() {
			t.Errorf("%s %s: errors %v", tc.what, tc.id, diags)
		}
		if !state.Raw.IsNull() {
			t.Errorf("%s %s: still in state", tc.what, tc.id)
		}
		w := diags.Warnings()
		if len(w) != 1 || w[0].Summary() != "Resource not found, removed from state" ||
			!strings.HasPrefix(w[0].Detail(), tc.what+` "`+tc.id+`" no longer exists in NCP`) {
			t.Errorf("%s %s: warnings %v, want one saying it was removed from state", tc.what, tc.id, w)
		}
	}
}
