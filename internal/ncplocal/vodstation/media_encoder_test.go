package vodstation_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cdnlink/cdnlinktest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media/mediatest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vodstation"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// The media encoder makes real renditions with ffmpeg: a clip uploaded to
// Object Storage and added to a category comes out encoded (and with a
// thumbnail) in the output bucket, each with the object ACL of its access
// control (the rendition public-read as the category asks, the thumbnail
// private by default), and the file's status shows the input's metadata.
func TestMediaEncoder(t *testing.T) {
	t.Parallel()
	mediatest.FFmpeg(t)
	tools, err := media.FindTools()
	if err != nil {
		t.Fatal(err)
	}
	clip := mediatest.Make(t, t.TempDir(), "clip.mp4", mediatest.Clip{Width: 320, Height: 240, Seconds: 1, FPS: 25, Audio: true})
	var enc *vodstation.MediaEncoder
	f := &fixture{edges: cdnlinktest.New(), callback: newReceiver(t)}
	f.srv = ncplocal.StartTest(t, ncplocal.Options{
		Credentials: []ncplocal.Credential{credA, credB},
		Services: func(env emu.Env) []emu.Service {
			objs := objectstorage.New(env)
			var err error
			enc, err = vodstation.NewMediaEncoder(objs, media.PoolConfig{Workers: 1, Tools: tools, WorkDir: t.TempDir(), ThumbnailWidth: 160})
			if err != nil {
				t.Fatal(err)
			}
			f.svc = vodstation.New(env, objs, f.edges, vodstation.WithEncoder(enc))
			return []emu.Service{objs, f.svc}
		},
	})
	t.Cleanup(func() { enc.Close(context.Background()) })
	f.coreA = newCore(t, f.srv, credA)
	f.a = vodclient.New(f.coreA)
	f.s3a = newS3(t, f.coreA)
	f.bucket(t, f.s3a, "media-io")
	body, err := os.ReadFile(clip)
	if err != nil {
		t.Fatal(err)
	}
	f.put(t, "media-io", "in/clip.mp4", string(body))
	cat, err := f.a.CreateCategory(ctx, wire.CategoryRequest{Name: "real", EncodingOptions: []int64{5}, Thumbnail: yes(),
		Output: &wire.Output{BucketName: "media-io", FilePath: "/out", AccessControl: wire.AccessPublicRead}})
	if err != nil {
		t.Fatal(err)
	}
	added, err := f.a.AddFiles(ctx, cat.ID, wire.AddFilesRequest{BucketName: "media-io", PathList: []string{"in/clip.mp4"}})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	var st *wire.FileStatusResponse
	for {
		st, err = f.a.GetFileStatus(ctx, added[0].ID)
		if err == nil && (st.Content.Output[0].Status == wire.JobComplete || st.Content.Output[0].Status == wire.JobFailure) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the job did not finish: %+v, %v", st, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	out := st.Content.Output[0]
	if out.Status != wire.JobComplete {
		t.Fatalf("job %+v", out)
	}
	head, err := f.s3a.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("media-io"), Key: aws.String("out/real/clip_AVC_LD_1Pass_30fps.mp4")})
	if err != nil || aws.ToInt64(head.ContentLength) < 1000 {
		t.Fatalf("rendition: %+v, %v", head, err)
	}
	if !f.exists("media-io", "out/real/clip_01.jpg") {
		t.Error("no thumbnail")
	}
	for key, want := range map[string]bool{"out/real/clip_AVC_LD_1Pass_30fps.mp4": true, "out/real/clip_01.jpg": false} {
		if got := f.publicRead(t, "media-io", key); got != want {
			t.Errorf("%s: public read %v; want %v", key, got, want)
		}
	}
	if m := st.Content.Input.Metadata; m == nil || m.Width != 320 || m.Height != 240 || m.Framerate != 25 {
		t.Errorf("input metadata %+v", st.Content.Input.Metadata)
	}
}
