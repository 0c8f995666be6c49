package resilience_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vodstation"
	gewire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
	vodwire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// channelConfig is an output bucket, a Global Edge profile and a channel
// with a CDN edge of that profile.
const channelConfig = tofucli.Header + `
resource "ncp_object_storage_bucket" "out" {
  bucket_name   = "tf-acc-killed"
  force_destroy = true
}

resource "ncp_global_edge_profile" "cdn" {
  name = "tf-acc-killed"
}

resource "ncp_vod_channel" "test" {
  name                = "tf-acc-killed"
  storage_bucket_name = ncp_object_storage_bucket.out.bucket_name
  protocols           = ["HLS"]
  segment_duration    = 5

  cdn = {
    profile_id  = ncp_global_edge_profile.cdn.id
    region_type = "KOREA"
  }
}
`

// channelsAndEdges returns what ncplocal holds of VOD Station channels and
// Global Edge edges.
func channelsAndEdges(t *testing.T, srv *ncplocal.Server) ([]vodwire.Channel, []gewire.EdgeListItem) {
	t.Helper()
	var vod vodstation.Inventory
	var ge globaledge.Inventory
	if _, err := acctest.DecodeInventory(srv, ncplocal.DefaultCredential.AccountID, "vodstation", &vod); err != nil {
		t.Fatal(err)
	}
	if _, err := acctest.DecodeInventory(srv, ncplocal.DefaultCredential.AccountID, "globaledge", &ge); err != nil {
		t.Fatal(err)
	}
	return vod.Channels, ge.Edges
}

// killWhen stops the provider p, as if its plugin process had been killed,
// as soon as cond holds (polled every 10 ms while the CLI runs), and
// reports whether it did.
func killWhen(p *acctest.Served, cond func() bool) (killed func() bool) {
	done := make(chan bool, 1)
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case <-stop:
				done <- false
				return
			case <-time.After(10 * time.Millisecond):
			}
			if cond() {
				p.Stop()
				done <- true
				return
			}
		}
	}()
	return func() bool { close(stop); return <-done }
}

// slow makes ncplocal's channel transition last d ("" restores the async
// delay).
func slow(t *testing.T, srv *ncplocal.Server, transition, d string) {
	acctest.SlowTransition(t, srv, vodstation.ChannelKind.Name, transition, d)
}

// TestAccResilience_pluginKilled kills the provider's plugin while a
// channel with a CDN edge is being created, then while it is being
// deleted, and checks what the next runs make of it:
//
//   - killed after the channel's create was sent, the CLI never learns the
//     channel: the next apply creates nothing twice, it stops with the
//     channel's ID and how to import it (a create adopts only what it made
//     itself, and nothing tells this channel from one made by hand); with
//     the import block it asks for, the apply converges on that one
//     channel and its edge;
//   - killed while the channel is being deleted, the destroy's re-run
//     converges: its edge was deleted before the channel, the channel
//     leaves the state at the refresh and goes by itself, and nothing is
//     left.
func TestAccResilience_pluginKilled(t *testing.T) {
	acctest.SkipOnNCP(t, "ncplocal slows the channel's transitions and its inventory is read")
	srv := acctest.StartServer(t)
	cli := acctest.CLI(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(channelConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	// harness serves a fresh provider (a new plugin process) for one run.
	harness := func() (*acctest.Served, *tofucli.Harness) {
		p := acctest.ServeProvider(t, srv)
		return p, tofucli.NewServed(t, cli, map[string]string{
			"TF_REATTACH_PROVIDERS": p.Reattach,
			"TF_CLI_CONFIG_FILE":    os.Getenv("TF_CLI_CONFIG_FILE"),
		})
	}
	creating := func(c []vodwire.Channel) bool {
		return slices.ContainsFunc(c, func(c vodwire.Channel) bool { return c.ChannelStatus == vodwire.ChannelCreating })
	}

	p, h := harness()
	h.MustRun(t, dir, nil, "init", "-input=false", "-no-color")
	slow(t, srv, "create", "5s")
	killed := killWhen(p, func() bool { c, _ := channelsAndEdges(t, srv); return creating(c) })
	out, code := h.Run(t, dir, "apply", "-input=false", "-auto-approve", "-no-color")
	if !killed() || code == 0 {
		t.Fatalf("the apply was not cut off while the channel was created (exit %d):\n%s", code, out)
	}
	slow(t, srv, "create", "")
	channels, edges := channelsAndEdges(t, srv)
	if len(channels) != 1 || len(edges) != 1 {
		t.Fatalf("after the killed create ncplocal holds channels %+v and edges %+v, want one of each", channels, edges)
	}
	id := channels[0].ID

	_, h = harness()
	out, _ = h.MustRun(t, dir, []int{1}, "apply", "-input=false", "-auto-approve", "-no-color")
	if want := regexp.MustCompile(`(?s)VOD Station channel "` + id + `".*already exists.*import`); !want.MatchString(out) {
		t.Errorf("the apply after the killed one says:\n%s\nwant that channel %s already exists, with how to import it", out, id)
	}
	if c, e := channelsAndEdges(t, srv); len(c) != 1 || len(e) != 1 {
		t.Fatalf("the apply after the killed one left channels %+v and edges %+v, want the one channel and edge", c, e)
	}

	importBlock := fmt.Sprintf("import {\n  to = ncp_vod_channel.test\n  id = %q\n}\n", id)
	if err := os.WriteFile(filepath.Join(dir, "import.tf"), []byte(importBlock), 0o644); err != nil {
		t.Fatal(err)
	}
	h.Apply(t, dir)
	h.PlanEmpty(t, dir)
	if c, e := channelsAndEdges(t, srv); len(c) != 1 || c[0].ID != id || len(e) != 1 || c[0].CdnEdgeID == nil || e[0].ID != *c[0].CdnEdgeID {
		t.Fatalf("after the import ncplocal holds channels %+v and edges %+v, want channel %s and its edge", c, e, id)
	}

	p, h = harness()
	slow(t, srv, "delete", "5s")
	terminating := func() bool {
		c, _ := channelsAndEdges(t, srv)
		return slices.ContainsFunc(c, func(c vodwire.Channel) bool { return c.ChannelStatus == vodwire.ChannelTerminating })
	}
	killed = killWhen(p, terminating)
	out, code = h.Run(t, dir, "destroy", "-input=false", "-auto-approve", "-no-color")
	if !killed() || code == 0 {
		t.Fatalf("the destroy was not cut off while the channel was deleted (exit %d):\n%s", code, out)
	}
	slow(t, srv, "delete", "")
	if _, e := channelsAndEdges(t, srv); len(e) != 0 {
		t.Errorf("the channel is being deleted but its edge is still there: %+v", e)
	}

	_, h = harness()
	h.Destroy(t, dir)
	deadline := time.Now().Add(time.Minute)
	for terminating() && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if acct := srv.Inventory().Accounts[ncplocal.DefaultCredential.AccountID]; len(acct) != 0 {
		t.Errorf("after the destroy's re-run ncplocal still holds %+v", acct)
	}
}
