package vodstation_test

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/vodstation"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// dropper forwards requests to ncplocal; the first POST /api/v2/channels
// is carried out but its answer is lost, as after a dropped connection.
type dropper struct {
	mu      sync.Mutex
	creates int
}

func (d *dropper) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if r.Method == http.MethodPost && r.URL.Path == wire.PathChannels {
		d.mu.Lock()
		d.creates++
		first := d.creates == 1
		d.mu.Unlock()
		if first && err == nil {
			_ = resp.Body.Close()
			return nil, io.ErrUnexpectedEOF
		}
	}
	return resp, err
}

func TestCreateChannelReconcilesDroppedAnswer(t *testing.T) {
	t.Parallel()
	acctest.SkipOnNCP(t, "drops answers of its own emulator")
	g, _ := newTarget(t)
	srv := g.Server(t, "own emulator")
	ctx := context.Background()
	plain := acctest.NewClient(t, srv, ncplocal.DefaultCredential)
	if err := newS3(t, plain).CreateBucket(ctx, "tf-acc-reconcile"); err != nil {
		t.Fatal(err)
	}
	d := &dropper{}
	conn := vodclient.New(acctest.NewClient(t, srv, ncplocal.DefaultCredential, func(c *client.Config) { c.HTTPTransport = d }))
	no := false
	in := wire.CreateChannelRequest{Name: "tf-acc-rec", StorageBucketName: "tf-acc-reconcile", ProtocolList: []string{"HLS"}, SegmentDuration: 5, CreateCdn: &no}
	ch, err := vodstation.CreateChannelForTest(ctx, conn, in)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := conn.AllChannels(ctx)
	if len(all) != 1 || all[0].ID != ch.ID || d.creates != 1 {
		t.Fatalf("channels %+v after %d creates; adopted %s", all, d.creates, ch.ID)
	}
	// A second create of the name is refused with an import hint.
	_, err = vodstation.CreateChannelForTest(ctx, conn, in)
	if _, ok := err.(*reconcile.ExistsError); !ok {
		t.Errorf("second create: %v, want an ExistsError", err)
	}
	// Delete stops a READY channel first, then waits until it is gone.
	if err := vodstation.DeleteChannelForTest(ctx, conn, acctest.TestWaitConfig, ch.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.GetChannel(ctx, ch.ID); !client.IsNotFound(err) {
		t.Errorf("after delete: %v", err)
	}
	// Deleting again (an interrupted destroy's re-run) succeeds.
	if err := vodstation.DeleteChannelForTest(ctx, conn, acctest.TestWaitConfig, ch.ID, nil); err != nil {
		t.Errorf("second delete: %v", err)
	}
}
