package vodstation_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	ncplocalge "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/globaledge"
	ncplocalvod "github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vodstation"
	gewire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// A channel's create or delete interrupted by its waiter's timeout (the
// resource's context ending, as a cancelled run also ends it) is converged
// by the next apply: ncplocal makes one transition outlast a one-second
// timeout, and the run after it must leave exactly the state's channel and
// edge, or none, in ncplocal.

// slowTransition returns a PreConfig that makes ncplocal's transition of
// kind last d ("" restores the async delay).
func slowTransition(t *testing.T, srv *ncplocal.Server, kind, transition, d string) func() {
	return func() { acctest.SlowTransition(t, srv, kind, transition, d) }
}

// settled waits until no channel of ncplocal is in a transition and no
// edge either, and returns them.
func settled(srv *ncplocal.Server) (ncplocalvod.Inventory, ncplocalge.Inventory, error) {
	var vod ncplocalvod.Inventory
	var ge ncplocalge.Inventory
	err := waitFor(context.Background(), func(context.Context) (bool, error) {
		vod, ge = ncplocalvod.Inventory{}, ncplocalge.Inventory{}
		if _, err := acctest.DecodeInventory(srv, account, "vodstation", &vod); err != nil {
			return false, err
		}
		if _, err := acctest.DecodeInventory(srv, account, "globaledge", &ge); err != nil {
			return false, err
		}
		busy := slices.ContainsFunc(vod.Channels, func(c wire.Channel) bool {
			return c.ChannelStatus != wire.ChannelReady && c.ChannelStatus != wire.ChannelStopped
		}) || slices.ContainsFunc(ge.Edges, func(e gewire.EdgeListItem) bool {
			return e.StatusType != gewire.StatusRunning && e.StatusType != gewire.StatusStopped
		})
		return !busy, nil
	})
	if err != nil {
		return vod, ge, fmt.Errorf("waiting for ncplocal's channels and edges to settle: %w (channels %+v, edges %+v)", err, vod.Channels, ge.Edges)
	}
	return vod, ge, nil
}

// checkAccountChannels waits until no channel or edge is in a transition,
// then checks that ncplocal holds exactly the state's channel and its edge
// (withChannel), or no channel and no edge at all: a duplicate or an orphan
// left by the interrupted run shows up.
func checkAccountChannels(srv *ncplocal.Server, withChannel bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		vod, ge, err := settled(srv)
		if err != nil {
			return err
		}
		if !withChannel {
			if len(vod.Channels) != 0 || len(ge.Edges) != 0 {
				return fmt.Errorf("ncplocal still holds channels %+v and edges %+v, want none", vod.Channels, ge.Edges)
			}
			return nil
		}
		id, err := attr(s, channelAddr, "id")
		if err != nil {
			return err
		}
		edge, err := attr(s, channelAddr, "cdn_edge_id")
		if err != nil {
			return err
		}
		if len(vod.Channels) != 1 || vod.Channels[0].ID != id {
			return fmt.Errorf("ncplocal holds channels %+v, want exactly the state's %s", vod.Channels, id)
		}
		if len(ge.Edges) != 1 || strconv.FormatInt(ge.Edges[0].ID, 10) != edge {
			return fmt.Errorf("ncplocal holds edges %+v, want exactly the state's channel's edge %s", ge.Edges, edge)
		}
		return nil
	}
}

// TestAccVodChannel_createTimeoutConverges: the channel's creation outlasts
// its create timeout, so the apply fails with the channel (and the edge
// made with it) in the state, tainted. The next apply replaces it: the old
// channel and its edge are deleted, one new channel with one new edge is
// left.
func TestAccVodChannel_createTimeoutConverges(t *testing.T) {
	acctest.SkipOnNCP(t, "ncplocal slows the channel's creation")
	g := acctest.NewTarget(t)
	srv := g.Server(t, "slows a transition")
	bucket, profile, name := acctest.RandName("tf-acc-vodint"), acctest.RandName("tf-acc-vodint"), channelName()
	g.ParallelTest(t, resource.TestCase{
		CheckDestroy: resource.ComposeTestCheckFunc(checkDestroyed(t, g), checkNoProfileNamed(t, g, profile), checkAccountChannels(srv, false)),
		Steps: []resource.TestStep{
			{
				PreConfig:   slowTransition(t, srv, ncplocalvod.ChannelKind.Name, "create", "3s"),
				Config:      channelWithEdgeTimeouts(bucket, profile, name, true, "", "1s", "10m"),
				ExpectError: regexp.MustCompile(`Error waiting for VOD Station channel`),
			},
			{
				PreConfig: slowTransition(t, srv, ncplocalvod.ChannelKind.Name, "create", ""),
				Config:    channelWithEdgeConfig(bucket, profile, name, true, ""),
				ConfigPlanChecks: acctest.EmptyPlanAfterApply(
					plancheck.ExpectResourceAction(channelAddr, plancheck.ResourceActionDestroyBeforeCreate)),
				Check: resource.ComposeTestCheckFunc(checkChannelEdge(t, g), checkAccountChannels(srv, true)),
			},
		},
	})
}

// TestAccVodChannel_deleteTimeoutConverges: a part of the channel's
// destroy outlasts the channel's delete timeout, so the destroy fails; the
// next run converges and leaves nothing.
//
//   - The channel's deletion: the destroy fails while the channel is
//     TERMINATING. The next run's refresh drops the channel from the state
//     (it is going away by itself); its edge, which NCP would have left
//     behind, was deleted before the channel.
//   - The deletion of the channel's edge: the destroy fails with the
//     channel stopped and still in the state. The next run destroys it
//     again: the edge, gone by then, counts as deleted, and the channel is
//     deleted. The re-run has the channel's one-second delete timeout too
//     (it is in the state), so it starts once the edge's deletion has
//     ended.
func TestAccVodChannel_deleteTimeoutConverges(t *testing.T) {
	acctest.SkipOnNCP(t, "ncplocal slows the channel's deletion")
	for _, tc := range []struct {
		name, kind string
		fails      *regexp.Regexp
		// rerun is what the next run plans for the channel.
		rerun []plancheck.PlanCheck
		// settle makes the next run wait until the slowed deletion ended.
		settle bool
	}{
		{"channel", ncplocalvod.ChannelKind.Name, regexp.MustCompile(`Error deleting VOD Station channel`), nil, false},
		{"edge", ncplocalge.EdgeKind.Name, regexp.MustCompile(`(?s)Error deleting VOD Station channel.*Global Edge edge`),
			[]plancheck.PlanCheck{plancheck.ExpectResourceAction(channelAddr, plancheck.ResourceActionDestroy)}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := acctest.NewTarget(t)
			srv := g.Server(t, "slows a transition")
			bucket, profile, name := acctest.RandName("tf-acc-vodint"), acctest.RandName("tf-acc-vodint"), channelName()
			without := channelWithEdgeConfig(bucket, profile, name, false, "")
			g.ParallelTest(t, resource.TestCase{
				CheckDestroy: resource.ComposeTestCheckFunc(checkDestroyed(t, g), checkNoProfileNamed(t, g, profile), checkAccountChannels(srv, false)),
				Steps: []resource.TestStep{
					{
						Config: channelWithEdgeTimeouts(bucket, profile, name, true, "", "10m", "1s"),
						Check:  checkAccountChannels(srv, true),
					},
					{
						PreConfig:   slowTransition(t, srv, tc.kind, "delete", "3s"),
						Config:      without,
						ExpectError: tc.fails,
					},
					{
						PreConfig: func() {
							slowTransition(t, srv, tc.kind, "delete", "")()
							if !tc.settle {
								return
							}
							if _, _, err := settled(srv); err != nil {
								t.Fatal(err)
							}
						},
						Config:           without,
						ConfigPlanChecks: acctest.EmptyPlanAfterApply(tc.rerun...),
						Check:            checkAccountChannels(srv, false),
					},
				},
			})
		})
	}
}
