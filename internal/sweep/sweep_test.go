package sweep_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/sweep"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// TestMain registers the sweepers with terraform-plugin-testing: with
// -sweep=<regions> it runs them against the environment's NCP instead of
// the tests.
func TestMain(m *testing.M) {
	for name, s := range sweep.Sweepers(os.LookupEnv) {
		resource.AddTestSweepers(name, s)
	}
	resource.TestMain(m)
}

func TestOrder(t *testing.T) {
	t.Parallel()
	order, err := sweep.Order(sweep.Sweepers(os.LookupEnv))
	if err != nil {
		t.Fatal(err)
	}
	at := func(name string) int {
		i := slices.Index(order, name)
		if i < 0 {
			t.Fatalf("%s is not in the order %v", name, order)
		}
		return i
	}
	if at("ncp_subnet") > at("ncp_network_acl") || at("ncp_network_acl") > at("ncp_vpc") || len(order) != 10 {
		t.Errorf("order %v: want subnets, then network ACLs, then VPCs, and the buckets, Cloud Functions, VOD Station and Global Edge", order)
	}
	// A deleted channel leaves its CDN edge, and a profile with edges cannot
	// be deleted: channels, then edges, then profiles.
	if at("ncp_vod_channel") > at("ncp_global_edge_cdn") || at("ncp_global_edge_cdn") > at("ncp_global_edge_profile") {
		t.Errorf("order %v: want VOD Station channels, then Global Edge edges, then profiles", order)
	}

	f := func(string) error { return nil }
	if _, err := sweep.Order(map[string]*resource.Sweeper{"a": {Name: "a", Dependencies: []string{"b"}, F: f}}); err == nil ||
		!strings.Contains(err.Error(), `sweeper "b"`) {
		t.Errorf("unknown dependency: %v", err)
	}
	cycle := map[string]*resource.Sweeper{"a": {Name: "a", Dependencies: []string{"b"}, F: f}, "b": {Name: "b", Dependencies: []string{"a"}, F: f}}
	if _, err := sweep.Order(cycle); err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Errorf("cycle: %v", err)
	}
}

// TestSweepers runs the sweepers, in their order, against an in-process
// ncplocal holding what a failed test run leaves behind next to objects
// that are not the tests': only the tf-acc- ones go, and a VPC's subnets,
// whatever their names, go before it.
func TestSweepers(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	c := acctest.NewClient(t, srv, ncplocal.DefaultCredential)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn := vpcclient.New(c)
	vpcWithSubnets := func(name, cidr string, subnets map[string]string) *wire.Vpc {
		t.Helper()
		v, err := conn.CreateVpc(ctx, vpcclient.CreateVpcInput{Name: name, Ipv4CidrBlock: cidr})
		if err != nil {
			t.Fatal(err)
		}
		if err := waitRun(ctx, func(ctx context.Context) (string, error) {
			list, err := conn.GetVpcDetail(ctx, v.VpcNo)
			if err != nil || len(list) != 1 || list[0].VpcStatus == nil {
				return "", err
			}
			return list[0].VpcStatus.Code, nil
		}); err != nil {
			t.Fatal(err)
		}
		acls, err := conn.GetNetworkAclList(ctx, v.VpcNo)
		if err != nil || len(acls) != 1 {
			t.Fatalf("network ACLs of %s: %v, %v", name, acls, err)
		}
		// One subnet at a time, as NCP requires: a subnet create while
		// another subnet of the VPC is changing state is refused (1001015).
		for subnetName, block := range subnets {
			sn, err := conn.CreateSubnet(ctx, vpcclient.CreateSubnetInput{VpcNo: v.VpcNo, ZoneCode: "KR-1", Subnet: block,
				NetworkAclNo: acls[0].NetworkAclNo, SubnetType: wire.SubnetTypePrivate, Name: subnetName})
			if err != nil {
				t.Fatal(err)
			}
			if err := waitRun(ctx, func(ctx context.Context) (string, error) {
				list, err := conn.GetSubnetDetail(ctx, sn.SubnetNo)
				if err != nil || len(list) != 1 || list[0].SubnetStatus == nil {
					return "", err
				}
				return list[0].SubnetStatus.Code, nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		return v
	}
	left := vpcWithSubnets(acctest.RandName("tf-acc-vpc"), "10.1.0.0/16", map[string]string{"any-name": "10.1.1.0/24", "tf-acc-subnet-a": "10.1.2.0/24"})
	kept := vpcWithSubnets("keep-vpc", "10.2.0.0/16", map[string]string{"keep-subnet": "10.2.1.0/24", "tf-acc-subnet-b": "10.2.2.0/24"})
	// A network ACL besides the default one, which NCP wants gone before
	// the VPC: the network ACL sweeper deletes it.
	if _, err := conn.CreateNetworkAcl(ctx, vpcclient.CreateNetworkAclInput{VpcNo: left.VpcNo, Name: "extra-acl"}); err != nil {
		t.Fatal(err)
	}

	objects, err := osclient.New(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"tf-acc-bucket-left", "keep-bucket"} {
		if err := objects.CreateBucket(ctx, b); err != nil {
			t.Fatal(err)
		}
		if _, err := objects.S3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("k"), Body: bytes.NewReader([]byte("v"))}); err != nil {
			t.Fatal(err)
		}
	}

	sweepers := sweep.Sweepers(acctest.LookupEnv(acctest.Env(srv)))
	order, err := sweep.Order(sweepers)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range order {
		if err := sweepers[name].F("KR"); err != nil {
			t.Fatalf("sweeper %s: %v", name, err)
		}
	}

	vpcs, err := conn.GetVpcList(ctx, vpcclient.VpcFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(vpcs) != 1 || vpcs[0].VpcNo != kept.VpcNo {
		t.Errorf("VPCs after the sweep: %+v, want only keep-vpc", vpcs)
	}
	subnets, err := conn.GetSubnetList(ctx, vpcclient.SubnetFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(subnets) != 1 || subnets[0].SubnetName != "keep-subnet" {
		t.Errorf("subnets after the sweep: %+v, want only keep-subnet", subnets)
	}
	if acls, err := conn.GetNetworkAclList(ctx, kept.VpcNo); err != nil || len(acls) != 1 || !acls[0].IsDefault {
		t.Errorf("network ACLs of keep-vpc after the sweep: %+v, %v; want its default ACL", acls, err)
	}
	if list, err := conn.GetVpcDetail(ctx, left.VpcNo); err != nil || len(list) != 0 {
		t.Errorf("the tf-acc- VPC: %+v, %v; want it gone", list, err)
	}
	buckets, err := objects.ListBucketNames(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(buckets, []string{"keep-bucket"}) {
		t.Errorf("buckets after the sweep: %q, want only keep-bucket", buckets)
	}
}

// waitRun polls status until it reports RUN (subnets need a VPC in RUN,
// and no other subnet of the VPC changing state).
func waitRun(ctx context.Context, status func(context.Context) (string, error)) error {
	for {
		st, err := status(ctx)
		if err != nil {
			return err
		}
		if st == wire.StatusRun {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}
