package ncplocal_test

import (
	"context"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	gewire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
	vodwire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// TestChannelCdnIsAGlobalEdgeEdge checks the wiring of services.go: the
// default server's VOD Station asks its own Global Edge for a channel's CDN,
// so the edge of a channel created with createCdn is an ordinary Global Edge
// edge: listed under the profile, readable, with the channel's bucket as
// origin and the channel's cdnDomain as its domain, running through Global
// Edge's lifecycle, and left behind when the channel is deleted (ncp-api.md
// §2.4), where it keeps its profile from being deleted until it is gone.
func TestChannelCdnIsAGlobalEdgeEdge(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	c := acctest.NewClient(t, srv, ncplocal.DefaultCredential)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	objects, err := osclient.New(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := objects.CreateBucket(ctx, "channel-origin"); err != nil {
		t.Fatal(err)
	}
	ge, vod := geclient.New(c), vodclient.New(c)
	profile, err := ge.CreateProfile(ctx, "vod-profile")
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	ch, err := vod.CreateChannel(ctx, vodwire.CreateChannelRequest{
		Name: "cdn-channel", StorageBucketName: "channel-origin", ProtocolList: []string{vodwire.ProtocolHLS},
		SegmentDuration: 5, CreateCdn: &yes, Cdn: &vodwire.ChannelCdn{ProfileID: profile, RegionType: "KOREA"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if ch.CdnEdgeID == nil {
		t.Fatalf("channel %+v has no cdnEdgeId", ch)
	}
	edgeID := *ch.CdnEdgeID

	edges, err := ge.ListEdges(ctx, profile)
	if err != nil {
		t.Fatal(err)
	}
	if len(edges) != 1 || edges[0].ID != edgeID || edges[0].ProfileID != profile {
		t.Fatalf("Global Edge lists %+v under profile %d; want the channel's edge %d", edges, profile, edgeID)
	}
	e, err := ge.GetEdge(ctx, edgeID)
	if err != nil {
		t.Fatal(err)
	}
	loc := e.OriginalCopyConfig.OriginalCopyLocation
	if loc == nil || loc.BucketName == nil || *loc.BucketName != "channel-origin" || e.DistributionConfig.RegionType != "KOREA" {
		t.Errorf("edge %d: origin %+v, region %q; want the bucket channel-origin in KOREA", edgeID, loc, e.DistributionConfig.RegionType)
	}

	// The edge publishes on Global Edge's clock; the channel then shows its
	// domain, the one Global Edge answers.
	running := waitEdge(ctx, t, ge, edgeID, gewire.StatusRunning)
	var got *vodwire.Channel
	for {
		if got, err = vod.GetChannel(ctx, ch.ID); err != nil {
			t.Fatal(err)
		}
		if got.CdnDomain != "" && got.ChannelStatus == vodwire.ChannelReady {
			break
		}
		sleep(ctx, t)
	}
	if edges, err = ge.ListEdges(ctx, profile); err != nil || len(edges) != 1 {
		t.Fatalf("edges %+v, %v", edges, err)
	}
	if got.CdnDomain != edges[0].DomainName || running != gewire.StatusRunning {
		t.Errorf("channel cdnDomain %q, edge domain %q (status %s)", got.CdnDomain, edges[0].DomainName, running)
	}

	// Deleting the channel leaves the edge, which holds the profile.
	if _, err := vod.StopChannel(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	for {
		if got, err = vod.GetChannel(ctx, ch.ID); err != nil {
			t.Fatal(err)
		}
		if got.ChannelStatus == vodwire.ChannelStopped {
			break
		}
		sleep(ctx, t)
	}
	if err := vod.DeleteChannel(ctx, ch.ID); err != nil {
		t.Fatal(err)
	}
	for {
		if _, err = vod.GetChannel(ctx, ch.ID); client.IsNotFound(err) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		sleep(ctx, t)
	}
	if status, err := ge.EdgeStatus(ctx, edgeID); err != nil || status != gewire.StatusRunning {
		t.Errorf("edge %d after its channel's deletion: %q, %v; want it left RUNNING", edgeID, status, err)
	}
	if err := ge.DeleteProfile(ctx, profile); err == nil {
		t.Fatal("the profile was deleted while the channel's edge was still in it")
	}
	if err := ge.StopEdges(ctx, edgeID); err != nil {
		t.Fatal(err)
	}
	waitEdge(ctx, t, ge, edgeID, gewire.StatusStopped)
	if err := ge.DeleteEdges(ctx, edgeID); err != nil {
		t.Fatal(err)
	}
	for {
		if edges, err = ge.ListEdges(ctx, profile); err != nil {
			t.Fatal(err)
		}
		if len(edges) == 0 {
			break
		}
		sleep(ctx, t)
	}
	if err := ge.DeleteProfile(ctx, profile); err != nil {
		t.Errorf("delete the emptied profile: %v", err)
	}
}

func waitEdge(ctx context.Context, t *testing.T, ge *geclient.Client, edgeID int64, want string) string {
	t.Helper()
	for {
		status, err := ge.EdgeStatus(ctx, edgeID)
		if err != nil {
			t.Fatal(err)
		}
		if status == want {
			return status
		}
		sleep(ctx, t)
	}
}

func sleep(ctx context.Context, t *testing.T) {
	t.Helper()
	select {
	case <-ctx.Done():
		t.Fatal(ctx.Err())
	case <-time.After(10 * time.Millisecond):
	}
}
