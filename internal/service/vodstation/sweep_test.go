package vodstation_test

import (
	"context"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/vodstation"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// The sweepers delete the tf-acc- channels (a READY one is stopped first),
// categories and custom options, and nothing else.
func TestSweepers(t *testing.T) {
	t.Parallel()
	acctest.SkipOnNCP(t, "creates and sweeps objects in its own emulator")
	g, _ := newTarget(t)
	srv := g.Server(t, "own emulator")
	c := acctest.NewClient(t, srv, ncplocal.DefaultCredential)
	vc := conn(t, g)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s3c := newS3(t, c)
	if err := s3c.CreateBucket(ctx, "tf-acc-sweep-bucket"); err != nil {
		t.Fatal(err)
	}
	no := false
	for _, name := range []string{"tf-acc-ch-left", "keep-channel"} {
		if _, err := vc.CreateChannel(ctx, wire.CreateChannelRequest{Name: name, StorageBucketName: "tf-acc-sweep-bucket",
			ProtocolList: []string{"HLS"}, SegmentDuration: 5, CreateCdn: &no}); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"tf-acc-cat-left", "keep-category"} {
		if _, err := vc.CreateCategory(ctx, wire.CategoryRequest{Name: name, EncodingOptions: []int64{1},
			Output: &wire.Output{BucketName: "tf-acc-sweep-bucket", FilePath: "/v"}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"tf-acc-opt-left", "keep-option"} {
		if _, err := vc.CreateEncodingOption(ctx, wire.CreateEncodingOptionRequest{Name: name, EncodingOptionType: wire.OptionTypeAudio,
			Audio: &wire.Audio{Codec: "AAC"}}); err != nil {
			t.Fatal(err)
		}
	}
	cfg := acctest.TestWaitConfig
	for _, sweep := range []func(context.Context, *clientCore, waitConfig, string) error{vodstation.SweepChannels, vodstation.SweepCategories, vodstation.SweepEncodingOptions} {
		if err := sweep(ctx, c, cfg, acctest.NamePrefix); err != nil {
			t.Fatal(err)
		}
	}
	chs, _ := vc.AllChannels(ctx)
	cats, _ := vc.AllCategories(ctx)
	opts, _ := vc.ListEncodingOptions(ctx)
	if len(chs) != 1 || chs[0].Name != "keep-channel" {
		t.Errorf("channels after the sweep: %+v", chs)
	}
	if len(cats) != 1 || cats[0].Name != "keep-category" {
		t.Errorf("categories after the sweep: %+v", cats)
	}
	if len(opts) != len(wire.SystemEncodingOptions)+1 || opts[len(opts)-1].Name != "keep-option" {
		t.Errorf("options after the sweep: %+v", opts[len(wire.SystemEncodingOptions):])
	}
}
