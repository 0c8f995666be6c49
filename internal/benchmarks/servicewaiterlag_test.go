package benchmarks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	gewire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
	vodwire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// createBucket creates bucket name in srv's Object Storage.
func createBucket(tb testing.TB, c *client.Client, name string) {
	tb.Helper()
	conn, err := osclient.New(c)
	if err != nil {
		tb.Fatal(err)
	}
	if err := conn.CreateBucket(tb.Context(), name); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkChannelWaiterLag measures the create-and-wait path of the
// ncp_vod_channel resource: createChannel, then a wait on getChannel with
// wait.DefaultConfig() and VOD Station's typical channel transition
// (vodclient.TypicalChannelTransition) until the channel leaves CREATING
// for READY, the schedule and statuses of the resource's waiter (which is
// unexported: this is the same wait.Until call). It reports the lag after
// READY and the getChannel polls per wait for 2 s and 10 s transitions.
func BenchmarkChannelWaiterLag(b *testing.B) {
	benchmarkLag(b, "vodstation:getChannel", func(tb testing.TB, srv *ncplocal.Server) createAndWait {
		c := newClient(tb, srv)
		createBucket(tb, c, "bench-lag-channel")
		conn := vodclient.New(c)
		cfg := wait.DefaultConfig().WithTypical(vodclient.TypicalChannelTransition)
		return func(ctx context.Context, tb testing.TB, i int) error {
			ch, err := conn.CreateChannel(ctx, vodwire.CreateChannelRequest{
				Name: fmt.Sprintf("bench-lag-%d", i), StorageBucketName: "bench-lag-channel",
				ProtocolList: []string{"HLS"}, SegmentDuration: 5, CreateCdn: new(bool),
			})
			if err != nil {
				return err
			}
			got, err := wait.Until(ctx, cfg, "VOD Station channel "+ch.ID+" to become READY", func(ctx context.Context) (*vodwire.Channel, string, error) {
				ch, err := conn.GetChannel(ctx, ch.ID)
				if client.IsNotFound(err) {
					return nil, wait.Gone, nil
				}
				if err != nil {
					return nil, "", err
				}
				return ch, ch.ChannelStatus, nil
			}, []string{vodwire.ChannelCreating, vodwire.ChannelStarting, vodwire.ChannelStopping}, []string{vodwire.ChannelReady, vodwire.ChannelStopped})
			if err != nil {
				return err
			}
			if got.ChannelStatus != vodwire.ChannelReady {
				return fmt.Errorf("channel %s became %s, want %s", ch.ID, got.ChannelStatus, vodwire.ChannelReady)
			}
			return nil
		}
	})
}

// BenchmarkEdgeWaiterLag measures the create-and-wait path of the
// ncp_global_edge_cdn resource: createEdge (the documented create body of
// ncp-api.md §3.3, the wire fixture), then a wait on the edge's status
// (getEdgeStatus) with wait.DefaultConfig() and Global Edge's typical
// transition (geclient.TypicalEdgeTransition) until it leaves PUBLISHING
// for RUNNING, as the resource's (unexported) waiter does. It reports the
// lag after RUNNING and the status polls per wait for 2 s and 10 s
// transitions.
func BenchmarkEdgeWaiterLag(b *testing.B) {
	benchmarkLag(b, "globaledge:getEdgeStatus", func(tb testing.TB, srv *ncplocal.Server) createAndWait {
		c := newClient(tb, srv)
		createBucket(tb, c, "bench-lag-edge")
		conn := geclient.New(c)
		profileID, err := conn.CreateProfile(tb.Context(), "bench-lag-profile")
		if err != nil {
			tb.Fatal(err)
		}
		body, err := os.ReadFile(filepath.Join(tofucli.RepoRoot(tb), "internal", "wire", "globaledge", "testdata", "edge-create-request.json"))
		if err != nil {
			tb.Fatal(err)
		}
		cfg := wait.DefaultConfig().WithTypical(geclient.TypicalEdgeTransition)
		return func(ctx context.Context, tb testing.TB, i int) error {
			var in gewire.EdgeConfig
			if err := json.Unmarshal(body, &in); err != nil {
				return err
			}
			in.ProfileID, in.EdgeName = profileID, fmt.Sprintf("bench-lag-%d", i)
			if in.OriginalCopyConfig != nil && in.OriginalCopyConfig.OriginalCopyLocation != nil {
				bucket := "bench-lag-edge"
				in.OriginalCopyConfig.OriginalCopyLocation.BucketName = &bucket
			}
			id, err := conn.CreateEdge(ctx, &in)
			if err != nil {
				return err
			}
			_, err = wait.Until(ctx, cfg, fmt.Sprintf("Global Edge edge %d to become RUNNING", id), func(ctx context.Context) (string, string, error) {
				st, err := conn.EdgeStatus(ctx, id)
				if client.IsNotFound(err) {
					return wait.Gone, wait.Gone, nil
				}
				return st, st, err
			}, []string{gewire.StatusPublishing, gewire.StatusActivating}, []string{gewire.StatusRunning})
			return err
		}
	})
}
