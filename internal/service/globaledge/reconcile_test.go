package globaledge_test

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/globaledge"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// dropFirst forwards requests to ncplocal, but drops the connection of the
// first request to path (after ncplocal has served it).
type dropFirst struct {
	method, path string
	mu           sync.Mutex
	sent         int
}

func (d *dropFirst) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if r.Method != d.method || r.URL.Path != d.path {
		return resp, err
	}
	d.mu.Lock()
	d.sent++
	n := d.sent
	d.mu.Unlock()
	if n == 1 && err == nil {
		resp.Body.Close()
		return nil, io.ErrUnexpectedEOF
	}
	return resp, err
}

func (d *dropFirst) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.sent
}

// A create whose answer is lost is reconciled by name: the profile or edge
// it made is adopted, never made twice.
func TestCreatesReconcileDroppedConnections(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, tc := range []struct {
		path string
		run  func(conn *geclient.Client) (int64, error)
		list func(conn *geclient.Client) int
	}{
		{
			path: wire.PathProfileCreate,
			run: func(conn *geclient.Client) (int64, error) {
				p, err := globaledge.CreateProfile(ctx, conn, "tf-acc-dropped")
				if err != nil {
					return 0, err
				}
				return p.ID, nil
			},
			list: func(conn *geclient.Client) int { l, _ := conn.ListProfiles(ctx); return len(l) },
		},
		{
			path: wire.PathEdgeCreate,
			run: func(conn *geclient.Client) (int64, error) {
				profiles, err := conn.ListProfiles(ctx)
				if err != nil {
					return 0, err
				}
				e, err := globaledge.CreateEdge(ctx, conn, edgeConfig(t, profiles[0].ID, "tf-acc-edge"))
				if err != nil {
					return 0, err
				}
				return e.ID, nil
			},
			list: func(conn *geclient.Client) int {
				profiles, _ := conn.ListProfiles(ctx)
				l, _ := conn.ListEdges(ctx, profiles[0].ID)
				return len(l)
			},
		},
	} {
		d := &dropFirst{method: http.MethodPost, path: tc.path}
		conn := geclient.New(acctest.NewClient(t, srv, ncplocal.DefaultCredential, func(c *client.Config) { c.HTTPTransport = d }))
		id, err := tc.run(conn)
		if err != nil || id == 0 {
			t.Fatalf("%s: %d, %v", tc.path, id, err)
		}
		if d.count() != 1 || tc.list(conn) != 1 {
			t.Errorf("%s: sent %d creates, %d objects exist; want 1 and 1", tc.path, d.count(), tc.list(conn))
		}
	}
}

// An edit refused because the edge moved into a transition (0250) waits
// until it settles and is sent again.
func TestEditWaitsOutTransitions(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	c := acctest.NewClient(t, srv, ncplocal.DefaultCredential)
	conn := geclient.New(c)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := conn.CreateProfile(ctx, "tf-acc-edit")
	if err != nil {
		t.Fatal(err)
	}
	cfg := edgeConfig(t, p, "tf-acc-edge")
	id, err := conn.CreateEdge(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// PUBLISHING now: the edit waits, then publishes again and waits.
	cfg.ManagedRule.Cors = true
	if err := globaledge.EditEdge(ctx, conn, acctest.TestWaitConfig, id, cfg); err != nil {
		t.Fatal(err)
	}
	e, st, err := globaledge.FindEdgeByID(ctx, conn, id)
	if err != nil || st != wire.StatusRunning || !e.ManagedRule.Cors {
		t.Fatalf("after edit: %s %+v %v", st, e, err)
	}
}
