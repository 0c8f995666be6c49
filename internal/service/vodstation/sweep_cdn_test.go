package vodstation_test

import (
	"context"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/vodstation"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// The channel sweeper also removes the edge NCP leaves behind for a swept
// channel, even in a profile the sweepers do not own, and leaves the
// profile and the edges of other channels alone.
func TestSweepChannelsRemovesTheirEdges(t *testing.T) {
	t.Parallel()
	acctest.SkipOnNCP(t, "creates and sweeps objects in its own emulator")
	g := acctest.NewTarget(t)
	srv := g.Server(t, "own emulator")
	c := acctest.NewClient(t, srv, ncplocal.DefaultCredential)
	vc, ge := conn(t, g), geclient.New(c)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := newS3(t, c).CreateBucket(ctx, "tf-acc-sweep-cdn"); err != nil {
		t.Fatal(err)
	}
	profile, err := ge.CreateProfile(ctx, "keep-profile")
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	edgeOf := map[string]int64{}
	for _, name := range []string{"tf-acc-ch-cdn", "keep-ch-cdn"} {
		ch, err := vc.CreateChannel(ctx, wire.CreateChannelRequest{Name: name, StorageBucketName: "tf-acc-sweep-cdn",
			ProtocolList: []string{"HLS"}, SegmentDuration: 5, CreateCdn: &yes, Cdn: &wire.ChannelCdn{ProfileID: profile, RegionType: "KOREA"}})
		if err != nil {
			t.Fatal(err)
		}
		if ch.CdnEdgeID == nil {
			t.Fatalf("channel %s has no edge: %+v", name, ch)
		}
		edgeOf[name] = *ch.CdnEdgeID
	}
	if err := vodstation.SweepChannels(ctx, c, acctest.TestWaitConfig, acctest.NamePrefix); err != nil {
		t.Fatal(err)
	}
	edges, err := ge.ListEdges(ctx, profile)
	if err != nil {
		t.Fatalf("the profile after the sweep: %v", err)
	}
	if len(edges) != 1 || edges[0].ID != edgeOf["keep-ch-cdn"] {
		t.Errorf("edges after the sweep: %+v; want only keep-ch-cdn's edge %d", edges, edgeOf["keep-ch-cdn"])
	}
	if chs, err := vc.AllChannels(ctx); err != nil || len(chs) != 1 || chs[0].Name != "keep-ch-cdn" {
		t.Errorf("channels after the sweep: %+v, %v", chs, err)
	}
}
