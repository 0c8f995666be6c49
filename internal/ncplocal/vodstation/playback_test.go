package vodstation_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/vodstation"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// A channel's playback source and the player catalog follow the channel's
// accessPrivateFiles: the private rendition of a channel that does not
// allow private files is refused (media.ErrForbidden) and not listed, the
// same rendition in the bucket of a channel that allows them is served and
// listed, and a rendition made public-read is served and listed by both.
func TestPlaybackFollowsAccessPrivateFiles(t *testing.T) {
	t.Parallel()
	enc := &recordingEncoder{jobs: make(chan vodstation.EncodeJob, 10)}
	f := newFixture(t, 0, vodstation.WithEncoder(enc), vodstation.WithCdnURL(func(domain string) string { return "http://cdn.test/" + domain }))
	enc.w = func(_, bucket, key string) error {
		f.put(t, bucket, key, "rendition") // private, as the category asks
		return nil
	}
	profile := f.edges.AddProfile("acct-a")
	channels := map[string]*wire.Channel{}
	keys := map[string]string{}
	for _, name := range []string{"strict", "open"} {
		bucket := name + "-out"
		f.bucket(t, f.s3a, bucket)
		f.put(t, bucket, "in/clip.mp4", "source")
		req := channelReq(name, bucket)
		req.AccessPrivateFiles = ptrTo(name == "open")
		req.CreateCdn, req.Cdn = yes(), &wire.ChannelCdn{ProfileID: profile, RegionType: "KOREA"}
		ch, err := f.a.CreateChannel(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		channels[name] = ch
		cat, err := f.a.CreateCategory(ctx, wire.CategoryRequest{Name: name, EncodingOptions: []int64{3},
			Output: &wire.Output{BucketName: bucket, FilePath: "/out"}})
		if err != nil {
			t.Fatal(err)
		}
		if cat.Output.AccessControl != wire.AccessPrivate {
			t.Fatalf("category output %+v; want PRIVATE by default", cat.Output)
		}
		added, err := f.a.AddFiles(ctx, cat.ID, wire.AddFilesRequest{BucketName: bucket, PathList: []string{"in/clip.mp4"}})
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, name+"'s rendition", func() bool {
			st, err := f.a.GetFileStatus(ctx, added[0].ID)
			if err != nil || st.Content.Output[0].Status != wire.JobComplete {
				return false
			}
			keys[name] = strings.TrimPrefix(st.Content.Output[0].FilePath, "/")
			return true
		})
		if j := <-enc.jobs; j.AccessControl != wire.AccessPrivate {
			t.Errorf("%s: job access control %q; want PRIVATE", name, j.AccessControl)
		}
	}
	// GetChannel moves the fake edges to RUNNING and the channels show their domains.
	for name, ch := range channels {
		if got, err := f.a.GetChannel(ctx, ch.ID); err != nil || got.CdnDomain == "" || got.AccessPrivateFiles != (name == "open") {
			t.Fatalf("%s: %+v, %v", name, got, err)
		}
	}

	stat := func(name string) error {
		t.Helper()
		pc, err := f.svc.ResolvePlayback(ctx, channels[name].EncryptedBucketName)
		if err != nil {
			t.Fatal(err)
		}
		_, err = pc.Source.Stat(ctx, keys[name])
		return err
	}
	listed := func() []string {
		t.Helper()
		videos, err := f.svc.Videos(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, v := range videos {
			out = append(out, v.MasterURL)
		}
		return out
	}
	onlyOpen := func(got []string) bool {
		return len(got) == 1 && strings.Contains(got[0], channels["open"].CdnDomain)
	}

	err := stat("strict")
	if !errors.Is(err, media.ErrForbidden) || !strings.Contains(err.Error(), "accessPrivateFiles") {
		t.Errorf("private rendition on the strict channel: %v; want media.ErrForbidden naming accessPrivateFiles", err)
	}
	if err := stat("open"); err != nil {
		t.Errorf("private rendition on the open channel: %v; want it served", err)
	}
	if got := listed(); !onlyOpen(got) {
		t.Errorf("the player lists %v; want only the open channel's video", got)
	}

	if _, err := f.s3a.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("strict-out"), Key: aws.String(keys["strict"]),
		ACL: s3types.ObjectCannedACLPublicRead}); err != nil {
		t.Fatal(err)
	}
	if err := stat("strict"); err != nil {
		t.Errorf("public-read rendition on the strict channel: %v; want it served", err)
	}
	if got := listed(); len(got) != 2 {
		t.Errorf("the player lists %v; want both videos once the strict one is public", got)
	}
}

func ptrTo[T any](v T) *T { return &v }

// With two channels on one output bucket, one allowing private files and
// one not, the player lists each video once, through the channel that
// serves the most of its renditions: private renditions through the open
// channel, a video whose renditions are all public-read through the strict
// one (it needs no channel exposing private files). Once the open channel
// stops, the strict one plays what it can: only the public renditions, and
// no video whose renditions are all private.
func TestPlayerPicksTheChannelThatServesEachVideo(t *testing.T) {
	t.Parallel()
	enc := &recordingEncoder{jobs: make(chan vodstation.EncodeJob, 10)}
	f := newFixture(t, 0, vodstation.WithEncoder(enc), vodstation.WithCdnURL(func(domain string) string { return "http://cdn.test/" + domain }))
	enc.w = func(_, bucket, key string) error {
		f.put(t, bucket, key, "rendition") // private, as the category asks
		return nil
	}
	const bucket = "shared-out"
	f.bucket(t, f.s3a, bucket)
	inputs := []string{"in/allprivate.mp4", "in/allpublic.mp4", "in/mixed.mp4"}
	for _, in := range inputs {
		f.put(t, bucket, in, "source")
	}
	profile := f.edges.AddProfile("acct-a")
	channels := map[string]*wire.Channel{}
	for _, name := range []string{"open", "strict"} {
		req := channelReq(name, bucket)
		req.AccessPrivateFiles = ptrTo(name == "open")
		req.CreateCdn, req.Cdn = yes(), &wire.ChannelCdn{ProfileID: profile, RegionType: "KOREA"}
		ch, err := f.a.CreateChannel(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		// GetChannel moves the fake edge to RUNNING and shows its domain.
		waitFor(t, name+" streaming", func() bool {
			got, err := f.a.GetChannel(ctx, ch.ID)
			if err == nil && got.ChannelStatus == wire.ChannelReady && got.CdnDomain != "" {
				channels[name] = got
				return true
			}
			return false
		})
	}
	cat, err := f.a.CreateCategory(ctx, wire.CategoryRequest{Name: "shared", EncodingOptions: []int64{1, 3},
		Output: &wire.Output{BucketName: bucket, FilePath: "/out"}})
	if err != nil {
		t.Fatal(err)
	}
	added, err := f.a.AddFiles(ctx, cat.ID, wire.AddFilesRequest{BucketName: bucket, PathList: inputs})
	if err != nil {
		t.Fatal(err)
	}
	// keys[title] are the title's rendition keys, in encoding option order.
	keys := map[string][]string{}
	for _, a := range added {
		waitFor(t, "the renditions of file "+a.FilePath, func() bool {
			st, err := f.a.GetFileStatus(ctx, a.ID)
			if err != nil || len(st.Content.Output) != 2 {
				return false
			}
			var ks []string
			for _, o := range st.Content.Output {
				if o.Status != wire.JobComplete {
					return false
				}
				ks = append(ks, strings.TrimPrefix(o.FilePath, "/"))
			}
			keys[strings.TrimPrefix(a.FilePath, "in/")] = ks
			return true
		})
	}
	publish := func(key string) {
		t.Helper()
		if _, err := f.s3a.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String(bucket), Key: aws.String(key),
			ACL: s3types.ObjectCannedACLPublicRead}); err != nil {
			t.Fatal(err)
		}
	}
	publish(keys["allpublic.mp4"][0])
	publish(keys["allpublic.mp4"][1])
	publish(keys["mixed.mp4"][0])

	type want struct {
		channel string
		keys    []string // the renditions listed, in order
	}
	check := func(stage string, wants map[string]want) {
		t.Helper()
		videos, err := f.svc.Videos(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(videos) != len(wants) {
			t.Errorf("%s: %d videos %+v; want %d", stage, len(videos), videos, len(wants))
		}
		for _, v := range videos {
			w, ok := wants[v.Title]
			if !ok {
				t.Errorf("%s: unexpected video %+v", stage, v)
				continue
			}
			ch := channels[w.channel]
			p, err := media.PlayPath(media.HLS, ch.EncryptedBucketName, w.keys...)
			if err != nil {
				t.Fatal(err)
			}
			if url := "http://cdn.test/" + ch.CdnDomain + p; v.MasterURL != url {
				t.Errorf("%s: %s plays at %s; want %s (the %s channel)", stage, v.Title, v.MasterURL, url, w.channel)
			}
			if !strings.HasPrefix(v.ID, ch.ID+"-") {
				t.Errorf("%s: %s has ID %q; want it under the %s channel %s", stage, v.Title, v.ID, w.channel, ch.ID)
			}
			if len(v.Renditions) != len(w.keys) {
				t.Errorf("%s: %s lists renditions %+v; want %d", stage, v.Title, v.Renditions, len(w.keys))
			}
		}
	}
	check("both channels", map[string]want{
		"allprivate.mp4": {"open", keys["allprivate.mp4"]},
		"allpublic.mp4":  {"strict", keys["allpublic.mp4"]},
		"mixed.mp4":      {"open", keys["mixed.mp4"]},
	})

	if _, err := f.a.StopChannel(ctx, channels["open"].ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the open channel stopped", func() bool {
		got, err := f.a.GetChannel(ctx, channels["open"].ID)
		return err == nil && got.ChannelStatus == wire.ChannelStopped
	})
	check("the open channel stopped", map[string]want{
		"allpublic.mp4": {"strict", keys["allpublic.mp4"]},
		"mixed.mp4":     {"strict", keys["mixed.mp4"][:1]},
	})
}
