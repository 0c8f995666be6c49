package ncplocal_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	geclient "github.com/ncplabs/terraform-provider-ncp/internal/client/globaledge"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media/mediatest"
	vodwire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// TestPlaybackHonoursAccessPrivateFiles: a channel streams the public
// objects of its bucket, and its private ones only when it was created
// with accessPrivateFiles; a refused object is answered 403 naming the
// setting, for playlists and segments alike, both at the CDN domain's path
// prefix and with the domain as Host. The object's ACL is read on every
// request, so making it public makes it playable at once. Plain object
// paths of the edge serve only public-read objects, whatever the channel.
func TestPlaybackHonoursAccessPrivateFiles(t *testing.T) {
	t.Parallel()
	mediatest.FFmpeg(t)
	clip, err := os.ReadFile(mediatest.Make(t, t.TempDir(), "clip.mp4", mediatest.Clip{Width: 160, Height: 120, Seconds: 1, FPS: 25}))
	if err != nil {
		t.Fatal(err)
	}
	srv := acctest.StartServer(t)
	c := acctest.NewClient(t, srv, ncplocal.DefaultCredential)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	objects, err := osclient.New(c)
	if err != nil {
		t.Fatal(err)
	}
	// Each bucket holds a public-read and a private copy of the clip, under
	// keys of their own (the packager's cache is by key and version).
	for _, b := range []string{"acl-strict", "acl-open"} {
		if err := objects.CreateBucket(ctx, b); err != nil {
			t.Fatal(err)
		}
		for key, acl := range map[string]s3types.ObjectCannedACL{"public.mp4": s3types.ObjectCannedACLPublicRead, "private.mp4": s3types.ObjectCannedACLPrivate} {
			if _, err := objects.S3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String(b + "/" + key),
				Body: bytes.NewReader(clip), ContentType: aws.String("video/mp4"), ACL: acl}); err != nil {
				t.Fatal(err)
			}
		}
	}
	ge := geclient.New(c)
	profile, err := ge.CreateProfile(ctx, "acl-profile")
	if err != nil {
		t.Fatal(err)
	}
	vod := vodclient.New(c)
	yes, no := true, false
	channel := func(name, bucket string, private *bool) *vodwire.Channel {
		ch, err := vod.CreateChannel(ctx, vodwire.CreateChannelRequest{Name: name, StorageBucketName: bucket, AccessPrivateFiles: private,
			ProtocolList: []string{vodwire.ProtocolHLS}, SegmentDuration: 5, CreateCdn: &yes,
			Cdn: &vodwire.ChannelCdn{ProfileID: profile, RegionType: "KOREA"}})
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
	strict := waitStreaming(ctx, t, vod, ge, channel("acl-strict", "acl-strict", &no).ID)
	open := waitStreaming(ctx, t, vod, ge, channel("acl-open", "acl-open", &yes).ID)
	if strict.AccessPrivateFiles || !open.AccessPrivateFiles {
		t.Fatalf("accessPrivateFiles: strict %v, open %v", strict.AccessPrivateFiles, open.AccessPrivateFiles)
	}

	forms := map[string]func(domain, path string) *http.Request{
		"path prefix": func(domain, path string) *http.Request {
			r, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+"/_ncplocal/cdn/"+domain+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			return r
		},
		"Host header": func(domain, path string) *http.Request {
			r, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			r.Host = domain
			return r
		},
	}
	play := func(ch *vodwire.Channel, keys ...string) string {
		t.Helper()
		p, err := media.PlayPath(media.HLS, ch.EncryptedBucketName, keys...)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for form, req := range forms {
		get := func(ch *vodwire.Channel, path string, want int) string {
			t.Helper()
			resp, err := http.DefaultClient.Do(req(ch.CdnDomain, path))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != want {
				t.Fatalf("%s: GET %s on %s: %s\n%s; want %d", form, path, ch.Name, resp.Status, body, want)
			}
			switch want {
			case http.StatusOK:
				if !strings.Contains(resp.Header.Get("Content-Type"), "mpegurl") || !strings.HasPrefix(string(body), "#EXTM3U") {
					t.Fatalf("%s: GET %s on %s: %s\n%s; want a playlist", form, path, ch.Name, resp.Header.Get("Content-Type"), body)
				}
			case http.StatusForbidden:
				if !strings.Contains(string(body), "private") || !strings.Contains(string(body), "accessPrivateFiles") {
					t.Errorf("%s: GET %s on %s: %q; want the refusal to say the object is private and name accessPrivateFiles", form, path, ch.Name, body)
				}
			}
			return string(body)
		}
		// Public objects play on both channels.
		get(strict, play(strict, "acl-strict/public.mp4"), http.StatusOK)
		get(open, play(open, "acl-open/public.mp4"), http.StatusOK)
		// Private objects play only where the channel allows them.
		get(open, play(open, "acl-open/private.mp4"), http.StatusOK)
		master := play(strict, "acl-strict/private.mp4")
		get(strict, master, http.StatusForbidden)
		base := master[:strings.LastIndex(master, "/")+1]
		get(strict, base+"index-v1.m3u8", http.StatusForbidden)
		get(strict, base+"seg-1-v1.ts", http.StatusForbidden)
		// A multi-bitrate URL with one private rendition is refused whole.
		get(strict, play(strict, "acl-strict/public.mp4", "acl-strict/private.mp4"), http.StatusForbidden)
		both := get(open, play(open, "acl-open/public.mp4", "acl-open/private.mp4"), http.StatusOK)
		if n := strings.Count(both, "#EXT-X-STREAM-INF"); n != 2 {
			t.Errorf("%s: multi-bitrate master on the open channel lists %d renditions; want 2:\n%s", form, n, both)
		}
		// Outside playback the edge reads its origin anonymously:
		// accessPrivateFiles does not open the bucket's private objects.
		for key, want := range map[string]int{"/acl-open/public.mp4": http.StatusOK, "/acl-open/private.mp4": http.StatusForbidden} {
			resp, err := http.DefaultClient.Do(req(open.CdnDomain, key))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != want || (want == http.StatusForbidden && !strings.Contains(string(body), "<Code>AccessDenied</Code>")) {
				t.Errorf("%s: plain GET %s on the open channel's edge: %s %.200q; want %d (AccessDenied when refused)", form, key, resp.Status, body, want)
			}
		}
	}

	// The ACL is checked per request: once public, the object plays.
	if _, err := objects.S3().PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("acl-strict"), Key: aws.String("acl-strict/private.mp4"),
		ACL: s3types.ObjectCannedACLPublicRead}); err != nil {
		t.Fatal(err)
	}
	for form, req := range forms {
		resp, err := http.DefaultClient.Do(req(strict.CdnDomain, play(strict, "acl-strict/private.mp4")))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: the object made public-read: %s; want 200", form, resp.Status)
		}
	}
}

// waitStreaming waits until the channel is READY with a RUNNING CDN edge
// and returns it.
func waitStreaming(ctx context.Context, t *testing.T, vod *vodclient.Client, ge *geclient.Client, id string) *vodwire.Channel {
	t.Helper()
	for {
		got, err := vod.GetChannel(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.ChannelStatus == vodwire.ChannelReady && got.CdnDomain != "" && got.CdnEdgeID != nil {
			if status, err := ge.EdgeStatus(ctx, *got.CdnEdgeID); err == nil && status == "RUNNING" {
				return got
			}
		}
		sleep(ctx, t)
	}
}
