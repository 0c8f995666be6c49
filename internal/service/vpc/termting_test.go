package vpc_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/vpc"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// readDataSource runs d.Read, configured for srv, on a config holding attrs
// (other attributes null), and returns the new state and the diagnostics.
func readDataSource(t *testing.T, srv *ncplocal.Server, d datasource.DataSource, attrs map[string]string) (tfsdk.State, diag.Diagnostics) {
	t.Helper()
	ctx := context.Background()
	var sr datasource.SchemaResponse
	d.Schema(ctx, datasource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx)
	// Config and state start as the same all-null object.
	state := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)}
	for k, v := range attrs {
		if diags := state.SetAttribute(ctx, path.Root(k), v); diags.HasError() {
			t.Fatalf("setting %s: %v", k, diags)
		}
	}
	config := tfsdk.Config{Schema: sr.Schema, Raw: state.Raw}
	dc, ok := d.(datasource.DataSourceWithConfigure)
	if !ok {
		t.Fatalf("%T has no Configure method", d)
	}
	var cr datasource.ConfigureResponse
	dc.Configure(ctx, datasource.ConfigureRequest{ProviderData: newMeta(t, srv)}, &cr)
	if cr.Diagnostics.HasError() {
		t.Fatal(cr.Diagnostics)
	}
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)}}
	d.Read(ctx, datasource.ReadRequest{Config: config}, &resp)
	return resp.State, resp.Diagnostics
}

// TestDataSourcesSkipTermting: while a VPC or subnet is being deleted
// (TERMTING), a lookup by name or filter neither matches it nor counts it
// among several matches, and a lookup by number says it is being deleted.
func TestDataSourcesSkipTermting(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t, immediate)
	ctx := context.Background()
	conn := vpcclient.New(acctest.NewClient(t, srv, ncplocal.DefaultCredential))

	dying, err := conn.CreateVpc(ctx, vpcclient.CreateVpcInput{Name: "ds-dying", Ipv4CidrBlock: "10.92.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	live, err := conn.CreateVpc(ctx, vpcclient.CreateVpcInput{Name: "ds-live", Ipv4CidrBlock: "10.93.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	acls, err := conn.GetNetworkAclList(ctx, live.VpcNo)
	if err != nil || len(acls) != 1 {
		t.Fatalf("GetNetworkAclList = %v, %v", acls, err)
	}
	subnet := func(block, name string) *wire.Subnet {
		s, err := conn.CreateSubnet(ctx, vpcclient.CreateSubnetInput{
			VpcNo: live.VpcNo, ZoneCode: "KR-1", Subnet: block, NetworkAclNo: acls[0].NetworkAclNo,
			SubnetType: wire.SubnetTypePrivate, UsageType: wire.UsageTypeGen, Name: name,
		})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	oldSubnet := subnet("10.93.1.0/24", "ds-old")
	newSubnet := subnet("10.93.2.0/24", "ds-new")

	srv.SetAsyncDelay(acctest.DefaultAsyncDelay * 100) // the deletions below stay TERMTING
	if _, err := conn.DeleteVpc(ctx, dying.VpcNo); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.DeleteSubnet(ctx, oldSubnet.SubnetNo); err != nil {
		t.Fatal(err)
	}
	if d, err := conn.GetSubnetDetail(ctx, oldSubnet.SubnetNo); err != nil || len(d) != 1 || d[0].SubnetStatus.Code != wire.StatusTermting {
		t.Fatalf("subnet %s is %+v, %v; want TERMTING", oldSubnet.SubnetNo, d, err)
	}

	wantError := func(what string, diags diag.Diagnostics, want string) {
		t.Helper()
		if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), want) {
			t.Errorf("%s: diagnostics %v, want an error containing %q", what, diags, want)
		}
	}

	_, diags := readDataSource(t, srv, vpc.NewVpcDataSource(), map[string]string{"name": "ds-dying"})
	wantError("VPC by name", diags, `there is no VPC named "ds-dying"`)
	_, diags = readDataSource(t, srv, vpc.NewVpcDataSource(), map[string]string{"vpc_no": dying.VpcNo})
	wantError("VPC by number", diags, "VPC "+dying.VpcNo+" is being deleted")

	// Only the live subnet matches the VPC, not "several".
	state, diags := readDataSource(t, srv, vpc.NewSubnetDataSource(), map[string]string{"vpc_no": live.VpcNo})
	if diags.HasError() {
		t.Fatalf("subnet by vpc_no: %v", diags)
	}
	if got := attr(t, state, "subnet_no"); got != newSubnet.SubnetNo {
		t.Errorf("subnet by vpc_no matched %s, want %s", got, newSubnet.SubnetNo)
	}
	_, diags = readDataSource(t, srv, vpc.NewSubnetDataSource(), map[string]string{"vpc_no": live.VpcNo, "name": "ds-old"})
	wantError("subnet by name", diags, "No subnet matched")
	_, diags = readDataSource(t, srv, vpc.NewSubnetDataSource(), map[string]string{"subnet_no": oldSubnet.SubnetNo})
	wantError("subnet by number", diags, "subnet "+oldSubnet.SubnetNo+" is being deleted")
}

// TestDeleteVpcWaitsForTerminatingSubnets: NCP refuses to delete a VPC
// while it has subnets, also while they are being deleted. When every
// subnet left is being deleted (an interrupted destroy run again), deleteVpc
// waits until they are gone and deletes the VPC; a subnet in use keeps the
// refusal.
func TestDeleteVpcWaitsForTerminatingSubnets(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t, immediate)
	ctx := context.Background()
	conn := vpcclient.New(acctest.NewClient(t, srv, ncplocal.DefaultCredential))
	v, err := conn.CreateVpc(ctx, vpcclient.CreateVpcInput{Name: "del-wait", Ipv4CidrBlock: "10.94.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	acls, err := conn.GetNetworkAclList(ctx, v.VpcNo)
	if err != nil || len(acls) != 1 {
		t.Fatalf("GetNetworkAclList = %v, %v", acls, err)
	}
	s, err := conn.CreateSubnet(ctx, vpcclient.CreateSubnetInput{
		VpcNo: v.VpcNo, ZoneCode: "KR-1", Subnet: "10.94.1.0/24", NetworkAclNo: acls[0].NetworkAclNo,
		SubnetType: wire.SubnetTypePrivate, UsageType: wire.UsageTypeGen, Name: "del-wait-subnet",
	})
	if err != nil {
		t.Fatal(err)
	}

	// A subnet in use: the refusal stands, after one deleteVpc.
	srv.ResetCalls()
	err = vpc.DeleteVpc(ctx, conn, acctest.TestWaitConfig, v.VpcNo)
	if !reconcile.HasCode(err, wire.CodeInUse) {
		t.Fatalf("DeleteVpc with a subnet in use: %v, want NCP's refusal %s", err, wire.CodeInUse)
	}
	if n := srv.Calls()["vpc:deleteVpc"]; n != 1 {
		t.Errorf("deleteVpc sent %d times, want 1", n)
	}

	// The subnet being deleted: the VPC is deleted once it is gone.
	srv.SetAsyncDelay(300 * time.Millisecond)
	if _, err := conn.DeleteSubnet(ctx, s.SubnetNo); err != nil {
		t.Fatal(err)
	}
	srv.ResetCalls()
	start := time.Now()
	if err := vpc.DeleteVpc(ctx, conn, acctest.TestWaitConfig, v.VpcNo); err != nil {
		t.Fatalf("DeleteVpc while its subnet is being deleted: %v", err)
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("DeleteVpc returned after %s, before the subnet could be gone", d)
	}
	if n := srv.Calls()["vpc:deleteVpc"]; n != 2 {
		t.Errorf("deleteVpc sent %d times, want 2 (refused, then accepted)", n)
	}
	if list, err := conn.GetSubnetDetail(ctx, s.SubnetNo); err != nil || len(list) != 0 {
		t.Errorf("subnet %s: %+v, %v; want it gone", s.SubnetNo, list, err)
	}
	if list, err := conn.GetVpcDetail(ctx, v.VpcNo); err != nil || len(list) != 1 || list[0].VpcStatus.Code != wire.StatusTermting {
		t.Errorf("VPC %s: %+v, %v; want it being deleted", v.VpcNo, list, err)
	}
}

// TestDeleteVpcWithAnExtraNetworkAcl: a VPC that NCP refuses to delete for
// a network ACL besides its default one (no subnet in the way) gets the
// refusal after one deleteVpc, naming the ACL, not a wait nor a series of
// attempts.
func TestDeleteVpcWithAnExtraNetworkAcl(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t, immediate)
	ctx := context.Background()
	conn := vpcclient.New(acctest.NewClient(t, srv, ncplocal.DefaultCredential))
	v, err := conn.CreateVpc(ctx, vpcclient.CreateVpcInput{Name: "del-acl", Ipv4CidrBlock: "10.95.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	acl, err := conn.CreateNetworkAcl(ctx, vpcclient.CreateNetworkAclInput{VpcNo: v.VpcNo, Name: "extra"})
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetCalls()
	err = vpc.DeleteVpc(ctx, conn, acctest.TestWaitConfig, v.VpcNo)
	if !reconcile.HasCode(err, wire.CodeInUse) || !strings.Contains(err.Error(), acl.NetworkAclNo) {
		t.Fatalf("DeleteVpc with an extra network ACL: %v, want NCP's refusal naming ACL %s", err, acl.NetworkAclNo)
	}
	if n := srv.Calls()["vpc:deleteVpc"]; n != 1 {
		t.Errorf("deleteVpc sent %d times, want 1", n)
	}
	if err := conn.DeleteNetworkAcl(ctx, acl.NetworkAclNo); err != nil {
		t.Fatal(err)
	}
	if err := vpc.DeleteVpc(ctx, conn, acctest.TestWaitConfig, v.VpcNo); err != nil {
		t.Errorf("DeleteVpc once the ACL is deleted: %v", err)
	}
}
