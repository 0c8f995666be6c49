package resilience_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/acctest/tofucli"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/journal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/provider"
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

// killWhen kills the provider p (see killer) as soon as cond holds
// (polled every 10 ms while the CLI runs), and reports whether it did.
func killWhen(kill func(), cond func() bool) (killed func() bool) {
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
				kill()
				done <- true
				return
			}
		}
	}()
	return func() bool { close(stop); return <-done }
}

// journaled serves a fresh provider (a new plugin process) whose create
// journal is dir, and the CLI harness that uses it for one run.
func journaled(t *testing.T, srv *ncplocal.Server, cli, dir string) (*acctest.Served, *tofucli.Harness) {
	t.Helper()
	env := acctest.Env(srv)
	env[journal.EnvDir] = dir
	p := acctest.ServeProvider(t, srv, provider.WithEnv(acctest.LookupEnv(env)))
	return p, tofucli.NewServed(t, cli, map[string]string{
		"TF_REATTACH_PROVIDERS": p.Reattach,
		"TF_CLI_CONFIG_FILE":    os.Getenv("TF_CLI_CONFIG_FILE"),
	})
}

// killer returns what kills p as a killed process dies: the create
// journal in dir stays as it is at that instant. An in-process server's
// calls run on after it stops (their answers go nowhere), so the journal
// is moved away until they have returned, and what they write to it then
// is lost, as with a real kill.
func killer(t *testing.T, p *acctest.Served, dir string) func() {
	return func() {
		frozen := dir + ".killed"
		if err := os.Rename(dir, frozen); err != nil {
			t.Error(err)
		}
		p.Stop()
		if err := os.RemoveAll(dir); err != nil {
			t.Error(err)
		}
		if err := os.Rename(frozen, dir); err != nil {
			t.Error(err)
		}
	}
}

// journalEntries returns the create journal's entries in dir.
// journalHasID reports whether the journal in dir holds one entry and it
// has the created object's ID. It runs on killWhen's goroutine, so it
// reports a file it cannot read (being replaced or removed) as no rather
// than failing the test.
func journalHasID(dir string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		return false
	}
	b, err := os.ReadFile(files[0])
	var e journal.Entry
	return err == nil && json.Unmarshal(b, &e) == nil && e.ID != ""
}

func journalEntries(t *testing.T, dir string) []journal.Entry {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []journal.Entry
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var e journal.Entry
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, e)
	}
	return out
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
//   - killed after the channel's create was answered, the CLI never learns
//     the channel, but the create journal holds its ID: the next apply
//     adopts that channel (with a warning) instead of creating a second
//     one or refusing it, and converges on the one channel and its edge;
//     its second plan is empty;
//   - a journal entry without ID (the kill came between the create's
//     sending and its answer) is adopted the same way, by the key;
//   - without a journal entry, an object holding the key is still refused
//     with an import hint;
//   - killed while the channel is being deleted, the destroy's re-run
//     converges: its edge was deleted before the channel, the channel
//     leaves the state at the refresh and goes by itself, and nothing is
//     left.
func TestAccResilience_pluginKilled(t *testing.T) {
	acctest.SkipOnNCP(t, "ncplocal slows the channel's transitions and its inventory is read")
	srv := acctest.StartServer(t)
	cli := acctest.CLI(t)
	dir := t.TempDir()
	jdir := filepath.Join(t.TempDir(), "journal")
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(channelConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	harness := func() (*acctest.Served, *tofucli.Harness) { return journaled(t, srv, cli, jdir) }
	creating := func(c []vodwire.Channel) bool {
		return slices.ContainsFunc(c, func(c vodwire.Channel) bool { return c.ChannelStatus == vodwire.ChannelCreating })
	}
	// killedCreate kills an apply while the channel is being created and
	// returns the channel's ID.
	killedCreate := func() string {
		t.Helper()
		p, h := harness()
		slow(t, srv, "create", "5s")
		// Killed while the create waits for READY: the channel is creating
		// and the create's answer (its ID) is in the journal.
		killed := killWhen(killer(t, p, jdir), func() bool {
			c, _ := channelsAndEdges(t, srv)
			return journalHasID(jdir) && creating(c)
		})
		out, code := h.Run(t, dir, "apply", "-input=false", "-auto-approve", "-no-color")
		if !killed() || code == 0 {
			t.Fatalf("the apply was not cut off while the channel was created (exit %d):\n%s", code, out)
		}
		slow(t, srv, "create", "")
		channels, edges := channelsAndEdges(t, srv)
		if len(channels) != 1 || len(edges) != 1 {
			t.Fatalf("after the killed create ncplocal holds channels %+v and edges %+v, want one of each", channels, edges)
		}
		return channels[0].ID
	}
	// converges applies after a killed create and checks that it adopted
	// the channel id and its edge, and that the next plan is empty.
	converges := func(id string) {
		t.Helper()
		_, h := harness()
		out := h.Apply(t, dir)
		if want := regexp.MustCompile(`(?s)VOD Station channel "?` + id + `"? adopted from an interrupted earlier apply`); !want.MatchString(out) {
			t.Errorf("the apply after the killed one says:\n%s\nwant that it adopted channel %s", out, id)
		}
		h.PlanEmpty(t, dir)
		if c, e := channelsAndEdges(t, srv); len(c) != 1 || c[0].ID != id || len(e) != 1 || c[0].CdnEdgeID == nil || e[0].ID != *c[0].CdnEdgeID {
			t.Fatalf("after the apply ncplocal holds channels %+v and edges %+v, want channel %s and its edge", c, e, id)
		}
		if left := journalEntries(t, jdir); len(left) != 0 {
			t.Errorf("the converged apply left journal entries %+v", left)
		}
	}
	// forgetChannel makes the CLI forget the channel, as if its create
	// had been killed, for the next case.
	forgetChannel := func() {
		t.Helper()
		_, h := harness()
		h.MustRun(t, dir, nil, "state", "rm", "ncp_vod_channel.test")
	}

	_, h := harness()
	h.MustRun(t, dir, nil, "init", "-input=false", "-no-color")

	// Killed after the answer: the entry has the channel's ID.
	id := killedCreate()
	entries := journalEntries(t, jdir)
	files, err := filepath.Glob(filepath.Join(jdir, "*.json"))
	if err != nil || len(files) != 1 {
		t.Fatalf("journal files %v (%v), want one", files, err)
	}
	entryFile := files[0]
	if len(entries) != 1 || entries[0].Kind != "ncp_vod_channel" || entries[0].Key != "tf-acc-killed" || entries[0].ID != id {
		t.Fatalf("after the killed create the journal holds %+v, want the channel %s", entries, id)
	}
	converges(id)

	// Without an entry, the channel is not ours to adopt.
	forgetChannel()
	_, h = harness()
	out, _ := h.MustRun(t, dir, []int{1}, "apply", "-input=false", "-auto-approve", "-no-color")
	if want := regexp.MustCompile(`(?s)VOD Station channel "` + id + `".*already exists.*import`); !want.MatchString(out) {
		t.Errorf("the apply of a channel made outside it says:\n%s\nwant that channel %s already exists, with how to import it", out, id)
	}

	// An entry without ID, as a kill between the create's sending and its
	// answer leaves, proves the one channel of that name.
	entries[0].ID = ""
	b, err := json.Marshal(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	if left := journalEntries(t, jdir); len(left) != 0 {
		t.Fatalf("the refused apply left journal entries %+v", left)
	}
	if err := os.WriteFile(entryFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	converges(id)

	p, h := harness()
	slow(t, srv, "delete", "5s")
	terminating := func() bool {
		c, _ := channelsAndEdges(t, srv)
		return slices.ContainsFunc(c, func(c vodwire.Channel) bool { return c.ChannelStatus == vodwire.ChannelTerminating })
	}
	killed := killWhen(killer(t, p, jdir), terminating)
	out, code := h.Run(t, dir, "destroy", "-input=false", "-auto-approve", "-no-color")
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

// edgeConfig is an origin bucket, a Global Edge profile and an edge.
const edgeConfig = tofucli.Header + `
resource "ncp_object_storage_bucket" "origin" {
  bucket_name   = "tf-acc-killed-edge"
  force_destroy = true
}

resource "ncp_global_edge_profile" "cdn" {
  name = "tf-acc-killed-edge"
}

resource "ncp_global_edge_cdn" "test" {
  profile_id  = ncp_global_edge_profile.cdn.id
  name        = "tf-acc-killed-edge"
  region_type = "KOREA"

  origin {
    bucket_name = ncp_object_storage_bucket.origin.bucket_name
  }
}
`

// TestAccResilience_pluginKilledEdge kills the provider's plugin while a
// ncp_global_edge_cdn edge is being published: the next apply adopts the
// edge the journal names, converges on that one edge with an empty second
// plan, and its destroy leaves nothing.
func TestAccResilience_pluginKilledEdge(t *testing.T) {
	acctest.SkipOnNCP(t, "ncplocal slows the edge's transitions and its inventory is read")
	srv := acctest.StartServer(t)
	cli := acctest.CLI(t)
	dir := t.TempDir()
	jdir := filepath.Join(t.TempDir(), "journal")
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(edgeConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	edges := func() []gewire.EdgeListItem { _, e := channelsAndEdges(t, srv); return e }

	p, h := journaled(t, srv, cli, jdir)
	h.MustRun(t, dir, nil, "init", "-input=false", "-no-color")
	acctest.SlowTransition(t, srv, globaledge.EdgeKind.Name, "create", "5s")
	// Killed while the create waits for RUNNING: the edge is publishing and
	// the create's answer (its ID) is in the journal. A kill between the
	// send and the answer (no ID yet) is the channel test's by-name case.
	killed := killWhen(killer(t, p, jdir), func() bool {
		return journalHasID(jdir) &&
			slices.ContainsFunc(edges(), func(e gewire.EdgeListItem) bool { return e.StatusType == gewire.StatusPublishing })
	})
	out, code := h.Run(t, dir, "apply", "-input=false", "-auto-approve", "-no-color")
	if !killed() || code == 0 {
		t.Fatalf("the apply was not cut off while the edge was created (exit %d):\n%s", code, out)
	}
	acctest.SlowTransition(t, srv, globaledge.EdgeKind.Name, "create", "")
	e := edges()
	if len(e) != 1 {
		t.Fatalf("after the killed create ncplocal holds edges %+v, want one", e)
	}
	id := strconv.FormatInt(e[0].ID, 10)
	if j := journalEntries(t, jdir); len(j) != 1 || j[0].Kind != "ncp_global_edge_cdn" || j[0].ID != id {
		t.Fatalf("after the killed create the journal holds %+v, want edge %s", j, id)
	}

	_, h = journaled(t, srv, cli, jdir)
	out = h.Apply(t, dir)
	if !strings.Contains(out, "Global Edge edge "+id+" adopted from an interrupted earlier apply") {
		t.Errorf("the apply after the killed one says:\n%s\nwant that it adopted edge %s", out, id)
	}
	h.PlanEmpty(t, dir)
	if e := edges(); len(e) != 1 || strconv.FormatInt(e[0].ID, 10) != id || e[0].StatusType != gewire.StatusRunning {
		t.Fatalf("after the apply ncplocal holds edges %+v, want edge %s running", e, id)
	}
	if left := journalEntries(t, jdir); len(left) != 0 {
		t.Errorf("the converged apply left journal entries %+v", left)
	}

	h.Destroy(t, dir)
	if acct := srv.Inventory().Accounts[ncplocal.DefaultCredential.AccountID]; len(acct) != 0 {
		t.Errorf("after the destroy ncplocal still holds %+v", acct)
	}
}
