package vodstation_test

import (
	"context"
	"fmt"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cdnlink/cdnlinktest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	ncplocalvod "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/vodstation"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// account is the ncplocal account the providers of the tests use.
var account = ncplocal.DefaultCredential.AccountID

// newTarget returns the test's target. On ncplocal, Global Edge is the
// cdnlinktest fake (Global Edge's own emulator is wired in at the
// services' merge), whose profiles the CDN test makes through its hook.
func newTarget(t *testing.T) (*acctest.Target, *cdnlinktest.Fake) {
	edges := cdnlinktest.New()
	g := acctest.NewTarget(t, func(o *ncplocal.Options) {
		o.Services = func(env emu.Env) []emu.Service {
			objs := objectstorage.New(env)
			return []emu.Service{objs, ncplocalvod.New(env, objs, edges)}
		}
	})
	return g, edges
}

// bucketConfig is an output bucket that may hold the category folders.
func bucketConfig(name string) string {
	return fmt.Sprintf(`
resource "ncp_object_storage_bucket" "out" {
  bucket_name   = %q
  force_destroy = true
}
`, name)
}

func conn(t *testing.T, g *acctest.Target) *vodclient.Client { return vodclient.New(g.Client(t)) }

func attr(s *terraform.State, addr, name string) (string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return "", fmt.Errorf("%s is not in state", addr)
	}
	return rs.Primary.Attributes[name], nil
}

// checkDestroyed asserts through the finders that no VOD Station object of
// the state is left.
func checkDestroyed(t *testing.T, g *acctest.Target) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		ctx := context.Background()
		c := conn(t, g)
		for _, rs := range s.RootModule().Resources {
			var err error
			switch rs.Type {
			case "ncp_vod_channel":
				_, err = vodstation.FindChannelByID(ctx, c, rs.Primary.ID)
			case "ncp_vod_category":
				id, _ := strconv.ParseInt(rs.Primary.ID, 10, 64)
				_, err = vodstation.FindCategoryByID(ctx, c, id)
			case "ncp_vod_encoding_option":
				id, _ := strconv.ParseInt(rs.Primary.ID, 10, 64)
				_, _, err = vodstation.FindEncodingOptionByID(ctx, c, id)
			default:
				continue
			}
			if !client.IsNotFound(err) {
				return fmt.Errorf("%s %s is still there after destroy (look-up: %v)", rs.Type, rs.Primary.ID, err)
			}
		}
		return nil
	}
}

// waitFor polls cond for up to a minute.
func waitFor(ctx context.Context, cond func(context.Context) (bool, error)) error {
	deadline := time.Now().Add(time.Minute)
	for {
		done, err := cond(ctx)
		if err != nil || done {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// deleteChannelOutOfBand stops and deletes the channel behind Terraform's
// back and waits until it is gone.
func deleteChannelOutOfBand(t *testing.T, g *acctest.Target, addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id, err := attr(s, addr, "id")
		if err != nil {
			return err
		}
		ctx, c := context.Background(), conn(t, g)
		if _, err := c.StopChannel(ctx, id); err != nil {
			return err
		}
		if err := waitFor(ctx, func(ctx context.Context) (bool, error) {
			ch, err := c.GetChannel(ctx, id)
			return err == nil && ch.ChannelStatus == wire.ChannelStopped, err
		}); err != nil {
			return err
		}
		if err := c.DeleteChannel(ctx, id); err != nil {
			return err
		}
		return waitFor(ctx, func(ctx context.Context) (bool, error) {
			_, err := c.GetChannel(ctx, id)
			return client.IsNotFound(err), nil
		})
	}
}

func listInput(bucket, prefix string) *s3.ListObjectsV2Input {
	return &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)}
}

type (
	clientCore = client.Client
	waitConfig = wait.Config
)

// s3Client wraps the Object Storage client for bucket set-up.
type s3Client struct{ oc *osclient.Client }

func newS3(t *testing.T, c *client.Client) s3Client {
	t.Helper()
	oc, err := osclient.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return s3Client{oc}
}

func (s s3Client) CreateBucket(ctx context.Context, name string) error {
	return s.oc.CreateBucket(ctx, name)
}

func newOS(t *testing.T, g *acctest.Target) (*osclient.Client, error) {
	return osclient.New(g.Client(t))
}
