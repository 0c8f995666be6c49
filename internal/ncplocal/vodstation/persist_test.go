package vodstation_test

import (
	"testing"
	"time"

	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cdnlink/cdnlinktest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vodstation"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// With a data dir, categories, options and channels survive a restart,
// and a job cut off by it finishes afterwards.
func TestDataDirRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	start := func(delay time.Duration) (*ncplocal.Server, *vodclient.Client) {
		srv, err := ncplocal.New(ncplocal.Options{DataDir: dir, AsyncDelay: delay, Credentials: []ncplocal.Credential{credA},
			Services: func(env emu.Env) []emu.Service {
				objs := objectstorage.New(env)
				return []emu.Service{objs, vodstation.New(env, objs, cdnlinktest.New())}
			}})
		if err != nil {
			t.Fatal(err)
		}
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		return srv, vodclient.New(newCore(t, srv, credA))
	}
	srv, c := start(time.Hour)
	f := &fixture{s3a: newS3(t, newCore(t, srv, credA))}
	f.bucket(t, f.s3a, "persist")
	f.put(t, "persist", "a.mp4", "x")
	cat, err := c.CreateCategory(ctx, wire.CategoryRequest{Name: "keep", EncodingOptions: []int64{1}, Output: &wire.Output{BucketName: "persist", FilePath: "/v"}})
	if err != nil {
		t.Fatal(err)
	}
	opt, err := c.CreateEncodingOption(ctx, wire.CreateEncodingOptionRequest{Name: "keep-opt", EncodingOptionType: wire.OptionTypeAudio, Audio: &wire.Audio{Codec: "AAC"}})
	if err != nil {
		t.Fatal(err)
	}
	ch, err := c.CreateChannel(ctx, channelReq("keep-ch", "persist"))
	if err != nil {
		t.Fatal(err)
	}
	added, err := c.AddFiles(ctx, cat.ID, wire.AddFilesRequest{BucketName: "persist", PathList: []string{"a.mp4"}})
	if err != nil {
		t.Fatal(err)
	}
	// The job waits an hour: close while it runs.
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}

	srv, c = start(0)
	t.Cleanup(func() { _ = srv.Close() })
	if got, err := c.GetCategory(ctx, cat.ID); err != nil || got.Name != "keep" {
		t.Errorf("category after restart: %+v, %v", got, err)
	}
	if got, _, err := c.GetEncodingOption(ctx, opt.ID); err != nil || got.Name != "keep-opt" {
		t.Errorf("option after restart: %+v, %v", got, err)
	}
	if got, err := c.GetChannel(ctx, ch.ID); err != nil || got.Name != "keep-ch" {
		t.Errorf("channel after restart: %+v, %v", got, err)
	}
	waitFor(t, "the resumed job", func() bool {
		st, err := c.GetFileStatus(ctx, added[0].ID)
		return err == nil && st.Content.Output[0].Status == wire.JobComplete
	})
}
