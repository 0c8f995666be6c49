package globaledge_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/globaledge"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// An edge's domain serves its origin bucket's public-read objects over
// plain HTTP, under /_ncplocal/cdn/<domain>/ and by Host header, with content types,
// byte ranges, conditional requests and the caching rule's Cache-Control;
// a stopped edge serves nothing.
func TestCDNServesTheOriginBucket(t *testing.T) {
	t.Parallel()
	me := ncplocal.DefaultCredential
	f := &fixture{t: t, clock: emu.NewManualClock(time.Now(), delay)}
	f.srv = ncplocal.StartTest(t, ncplocal.Options{AsyncDelay: delay, Now: f.clock.Now}) // the default services
	ctx := context.Background()
	objects, err := osclient.New(acctest.NewClient(t, f.srv, me))
	if err != nil {
		t.Fatal(err)
	}
	if err := objects.CreateBucket(ctx, "cdn-origin"); err != nil {
		t.Fatal(err)
	}
	put := func(key, body, contentType string) {
		in := &s3.PutObjectInput{Bucket: aws.String("cdn-origin"), Key: aws.String(key), Body: bytes.NewReader([]byte(body)),
			ACL: s3types.ObjectCannedACLPublicRead}
		if contentType != "" {
			in.ContentType = aws.String(contentType)
		}
		if _, err := objects.S3().PutObject(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	put("vod/index.m3u8", "#EXTM3U\n", "")
	put("vod/seg.ts", "0123456789", "")
	put("vod/page.html", "<p>hi</p>", "text/html; charset=utf-8")

	p := f.createProfile(me, "cdn-prof")
	var created wire.EdgeCreated
	f.ok(me, "POST", "/api/v1/cdn-edge", edgeBody(t, p, "cdn-edge", func(c *wire.EdgeConfig) {
		b, path := "cdn-origin", "/vod"
		c.OriginalCopyConfig.OriginalCopyLocation.BucketName = &b
		c.OriginalCopyConfig.OriginalCopyPath = &path
	}), &created)
	var e wire.Edge
	f.ok(me, "GET", "/api/v1/cdn-edge/"+itoa(created.EdgeID), "", &e)
	domain := *e.DistributionConfig.ServiceDomain.DomainName
	base := f.srv.URL() + globaledge.CDNPathPrefix + domain

	get := func(url string, hdr map[string]string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		for k, v := range hdr {
			if k == "Host" {
				req.Host = v
			} else {
				req.Header.Set(k, v)
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}

	// PUBLISHING: not served yet.
	if resp, _ := get(base+"/index.m3u8", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("publishing edge: %d", resp.StatusCode)
	}
	f.advance()

	resp, body := get(base+"/index.m3u8", nil)
	if resp.StatusCode != 200 || body != "#EXTM3U\n" || resp.Header.Get("Content-Type") != "application/vnd.apple.mpegurl" ||
		resp.Header.Get("Cache-Control") != "public, max-age=604800" || resp.Header.Get("ETag") == "" || resp.Header.Get("Last-Modified") == "" {
		t.Fatalf("playlist: %d %q %v", resp.StatusCode, body, resp.Header)
	}
	if r2, _ := get(base+"/index.m3u8", map[string]string{"If-None-Match": resp.Header.Get("ETag")}); r2.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET: %d", r2.StatusCode)
	}
	if r, b := get(base+"/seg.ts", map[string]string{"Range": "bytes=2-5"}); r.StatusCode != http.StatusPartialContent || b != "2345" ||
		r.Header.Get("Content-Range") != "bytes 2-5/10" || r.Header.Get("Content-Type") != "video/mp2t" {
		t.Errorf("range: %d %q %v", r.StatusCode, b, r.Header)
	}
	if r, b := get(base+"/page.html", nil); r.StatusCode != 200 || b != "<p>hi</p>" || r.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("stored type: %d %v", r.StatusCode, r.Header)
	}
	// By Host header, on any path.
	if r, b := get(f.srv.URL()+"/seg.ts", map[string]string{"Host": domain}); r.StatusCode != 200 || b != "0123456789" {
		t.Errorf("by host: %d %q", r.StatusCode, b)
	}
	// An anonymous reader cannot tell a missing object of a private bucket
	// from a private one.
	if r, _ := get(base+"/missing.ts", nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("missing: %d", r.StatusCode)
	}
	if r, _ := get(f.srv.URL()+globaledge.CDNPathPrefix+"nothing.edge.naverncp.com/x", nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown domain: %d", r.StatusCode)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/seg.ts", strings.NewReader("x"))
	if r, err := http.DefaultClient.Do(req); err != nil || r.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %v %v", r, err)
	}

	// A stopped edge serves nothing.
	f.ok(me, "POST", "/api/v1/cdn-edges/stop", ids(created.EdgeID), nil)
	f.advance()
	if r, _ := get(base+"/seg.ts", nil); r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("stopped edge: %d", r.StatusCode)
	}
	// The API and Object Storage are unaffected by the CDN's routing.
	f.ok(me, "GET", "/api/v1/profiles", "", nil)
	if _, err := objects.S3().HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("cdn-origin"), Key: aws.String("vod/seg.ts")}); err != nil {
		t.Errorf("S3 after CDN: %v", err)
	}
}

// A BYPASS_CACHE edge answers no-store; the playback hook gets /hls/ paths.
func TestCDNCachingRuleAndPlaybackHook(t *testing.T) {
	t.Parallel()
	me := ncplocal.DefaultCredential
	f := &fixture{t: t, clock: emu.NewManualClock(time.Now(), 0)}
	var svc *globaledge.Service
	f.srv = ncplocal.StartTest(t, ncplocal.Options{Now: f.clock.Now, Services: func(env emu.Env) []emu.Service {
		svc = globaledge.New(env)
		return []emu.Service{svc}
	}})
	svc.ServeObjectsFrom(fakeObjects{})
	var gotPath, gotAccount string
	svc.ServePlaybackWith(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, _ := emu.AccountFrom(r.Context())
		gotPath, gotAccount = r.URL.Path, a.ID
		w.WriteHeader(http.StatusTeapot)
	}))
	p := f.createProfile(me, "cdn-prof")
	var created wire.EdgeCreated
	f.ok(me, "POST", "/api/v1/cdn-edge", edgeBody(t, p, "cdn-edge", func(c *wire.EdgeConfig) {
		c.CachingConfig.DefaultCaching = &wire.DefaultCaching{Enabled: true, RuleDefinitionType: "BYPASS_CACHE"}
	}), &created)
	var e wire.Edge
	f.ok(me, "GET", "/api/v1/cdn-edge/"+itoa(created.EdgeID), "", &e)
	base := f.srv.URL() + globaledge.CDNPathPrefix + *e.DistributionConfig.ServiceDomain.DomainName
	resp, err := http.Get(base + "/a.mp4")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Content-Type") != "video/mp4" {
		t.Errorf("bypass: %d %v", resp.StatusCode, resp.Header)
	}
	resp, err = http.Get(base + "/hls/enc/videos/a.mp4/index.m3u8")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTeapot || gotPath != "/hls/enc/videos/a.mp4/index.m3u8" || gotAccount != me.AccountID {
		t.Errorf("playback hook: %d %q %q", resp.StatusCode, gotPath, gotAccount)
	}
}
