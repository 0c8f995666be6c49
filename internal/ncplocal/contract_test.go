package ncplocal_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	vpcclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vpc"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	wireos "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
	wirevpc "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// clients returns the provider's own VPC and Object Storage clients for
// cred against srv: the contract between client and emulator is exercised
// through the real signatures and envelopes, on one listener.
func clients(t *testing.T, srv *ncplocal.Server, cred ncplocal.Credential) (*vpcclient.Client, *osclient.Client) {
	t.Helper()
	c, err := client.New(client.Config{
		AccessKey: cred.AccessKey, SecretKey: cred.SecretKey, Region: "KR",
		Endpoints:              client.Endpoints{Ncloud: srv.URL(), ObjectStorage: srv.URL()},
		ObjectStoragePathStyle: true, ObjectStorageRegion: "kr-standard",
	})
	if err != nil {
		t.Fatal(err)
	}
	os3, err := osclient.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return vpcclient.New(c), os3
}

// TestAccountsAreIsolated runs the default services behind one server with
// two key pairs: what one account creates, the other can neither see nor
// touch, on the VPC API and on Object Storage alike.
func TestAccountsAreIsolated(t *testing.T) {
	t.Parallel()
	alice := ncplocal.Credential{AccessKey: "alice-access-key", SecretKey: "alice-secret-key", AccountID: "alice"}
	bob := ncplocal.Credential{AccessKey: "bob-access-key", SecretKey: "bob-secret-key", AccountID: "bob"}
	srv := ncplocal.StartTest(t, ncplocal.Options{Credentials: []ncplocal.Credential{alice, bob}})
	ctx := context.Background()
	aliceVPC, aliceOS := clients(t, srv, alice)
	bobVPC, bobOS := clients(t, srv, bob)

	v, err := aliceVPC.CreateVpc(ctx, vpcclient.CreateVpcInput{Name: "alice-vpc", Ipv4CidrBlock: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := bobVPC.GetVpcDetail(ctx, v.VpcNo); err != nil || len(got) != 0 {
		t.Errorf("bob's getVpcDetail of alice's VPC = %v, %v; want an empty list", got, err)
	}
	if got, err := bobVPC.GetVpcList(ctx, vpcclient.VpcFilter{}); err != nil || len(got) != 0 {
		t.Errorf("bob's getVpcList = %v, %v; want nothing", got, err)
	}
	_, err = bobVPC.DeleteVpc(ctx, v.VpcNo)
	var ce *client.Error
	if !errors.As(err, &ce) || ce.Code != wirevpc.CodeNotFound {
		t.Errorf("bob's deleteVpc of alice's VPC: %v; want NCP error %s", err, wirevpc.CodeNotFound)
	}
	// The same name is free in another account.
	if _, err := bobVPC.CreateVpc(ctx, vpcclient.CreateVpcInput{Name: "alice-vpc", Ipv4CidrBlock: "10.0.0.0/16"}); err != nil {
		t.Errorf("bob cannot use a VPC name alice uses: %v", err)
	}

	// A bucket named like a gateway path prefix is still Object Storage.
	if err := aliceOS.CreateBucket(ctx, "vpc"); err != nil {
		t.Fatal(err)
	}
	if _, err := aliceOS.S3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vpc"), Key: aws.String("v2/getVpcList")}); err != nil {
		t.Errorf("putting an object at vpc/v2/getVpcList: %v", err)
	}
	if err := bobOS.HeadBucket(ctx, "vpc"); !client.IsAuth(err) {
		t.Errorf("bob's HeadBucket of alice's bucket: %v; want access denied", err)
	}
	err = bobOS.CreateBucket(ctx, "vpc")
	if !errors.As(err, &ce) || ce.Code != wireos.CodeBucketAlreadyExists {
		t.Errorf("bob creating alice's bucket name: %v; want %s", err, wireos.CodeBucketAlreadyExists)
	}
	if out, err := bobOS.S3().ListBuckets(ctx, &s3.ListBucketsInput{}); err != nil || len(out.Buckets) != 0 {
		t.Errorf("bob's ListBuckets = %v, %v; want none", out, err)
	}

	inv := srv.Inventory()
	if _, ok := inv.Accounts["alice"]["objectstorage"]; !ok {
		t.Errorf("inventory lacks alice's bucket: %+v", inv.Accounts["alice"])
	}
	if _, ok := inv.Accounts["bob"]["objectstorage"]; ok {
		t.Errorf("inventory shows a bucket for bob: %+v", inv.Accounts["bob"])
	}
}
