package e2e_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/browsertest"
	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	vodclient "github.com/ncplabs/terraform-provider-ncp/internal/client/vodstation"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/globaledge"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/media/mediatest"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/player/playertest"
	cfwire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
	vodwire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// PlayerScreenshotEnv names the variable that chooses where
// TestVideoPipelineExample saves its screenshot of the player page. Unset,
// the screenshot goes to the test's temporary directory, so `make test`
// never writes into the repository; `make screenshot` sets it to
// docs/images/player.png, the README's picture.
const PlayerScreenshotEnv = "NCP_PLAYER_SCREENSHOT"

// The uploaded clip: 3 seconds of 1280x720 at 30 fps with sound, as large
// as the example's largest rendition, under a folder of the upload bucket.
const (
	clipKey     = "incoming/e2e-clip.mp4"
	clipSeconds = 3.0
)

// pipelineTimeout bounds the whole run, from the upload to the browser.
const pipelineTimeout = 4 * time.Minute

// rendition is one encoded output of the upload, as VOD Station reports it
// and as ffprobe reads it.
type rendition struct {
	option        vodwire.EncodingOption
	key           string // object key in the output bucket
	width, height int    // measured with ffprobe
}

// checkUploadToPlayer uploads a generated clip to the applied example's
// upload bucket with a plain aws-sdk-go-v2 client and follows it through
// the whole pipeline: one trigger activation and one sequence run with
// both steps' results (Cloud Functions activations API); one encoding job
// per encoding option of the category, COMPLETE (VOD Station status API);
// each rendition's size and duration (ffprobe); the HLS master playlist
// and every segment through the channel's CDN domain (both ways ncplocal
// maps it); and the player page playing the video in Chromium.
func checkUploadToPlayer(t *testing.T, ex *appliedExample) {
	mediatest.FFmpeg(t)
	if _, err := browsertest.FindChromium(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), pipelineTimeout)
	defer cancel()
	c := acctest.NewClient(t, ex.srv, ncplocal.DefaultCredential)
	cf, vod := cfclient.New(c), vodclient.New(c)

	// What the category says VOD Station must make.
	cat := findCategory(ctx, t, vod, ex.out("category_name"))
	var options []vodwire.EncodingOption
	for _, id := range cat.EncodingOptions {
		o, _, err := vod.GetEncodingOption(ctx, id)
		if err != nil {
			t.Fatalf("encoding option %d of category %s: %v", id, cat.Name, err)
		}
		if o.Video == nil || o.Video.Width == 0 || o.Video.Height == 0 {
			t.Fatalf("encoding option %d (%s) has no video size: %+v", id, o.Name, o.Video)
		}
		options = append(options, *o)
	}
	if len(options) < 2 {
		t.Fatalf("category %s has encoding options %v; the example's ladder has several", cat.Name, cat.EncodingOptions)
	}

	clip := mediatest.Make(t, t.TempDir(), "e2e-clip.mp4",
		mediatest.Clip{Width: 1280, Height: 720, Seconds: clipSeconds, FPS: 30, Audio: true})
	since := time.Now().Add(-time.Second) // the activation window starts before the upload
	upload(ctx, t, ex, clip, clipKey)

	acts, jobs := waitForPipeline(ctx, t, cf, vod, ex, since, len(options))
	addFiles := checkActivations(t, ex, cat, acts)
	rends := checkJobs(t, options, jobs, addFiles)
	probeRenditions(ctx, t, ex, rends)
	master := checkCDN(ctx, t, ex, rends)
	checkPlayer(ctx, t, ex, rends, master)
}

// findCategory returns the category named name.
func findCategory(ctx context.Context, t *testing.T, vod *vodclient.Client, name string) vodwire.Category {
	t.Helper()
	cats, err := vod.AllCategories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no VOD Station category named %q among %+v", name, cats)
	return vodwire.Category{}
}

// s3Client is an ordinary aws-sdk-go-v2 S3 client for srv, configured as
// a user would for NCP Object Storage (path style, region kr-standard,
// static keys), sharing nothing with the provider's client.
func s3Client(srv *ncplocal.Server) *s3.Client {
	cred := ncplocal.DefaultCredential
	return s3.New(s3.Options{
		BaseEndpoint: aws.String(srv.URL()),
		Region:       "kr-standard",
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(cred.AccessKey, cred.SecretKey, ""),
	})
}

// upload puts file into the example's upload bucket under key.
func upload(ctx context.Context, t *testing.T, ex *appliedExample, file, key string) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s3Client(ex.srv).PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(ex.out("upload_bucket")), Key: aws.String(key), Body: f,
		ContentLength: aws.Int64(st.Size()), ContentType: aws.String("video/mp4"),
	}); err != nil {
		t.Fatalf("uploading %s to %s/%s: %v", file, ex.out("upload_bucket"), key, err)
	}
}

// pipelineActivations are the activations one upload caused.
type pipelineActivations struct {
	all      []cfwire.Activation // every activation of the account since the upload
	trigger  []cfwire.Activation // the trigger's
	sequence []cfwire.Activation // the sequence's
}

// waitForPipeline polls the Cloud Functions and VOD Station APIs until the
// sequence the upload started has finished and VOD Station has ended every
// job of the uploaded file (or ctx ends), and returns what they show.
func waitForPipeline(ctx context.Context, t *testing.T, cf *cfclient.Client, vod *vodclient.Client, ex *appliedExample,
	since time.Time, wantJobs int) (pipelineActivations, []vodwire.StatusItem) {
	t.Helper()
	var (
		acts  pipelineActivations
		jobs  []vodwire.StatusItem
		state string
	)
	for {
		var err error
		acts, jobs, state, err = pipelineState(ctx, cf, vod, ex, since)
		if err == nil && state == "" {
			// Everything that runs has ended; look once more after a
			// while, so that a late duplicate activation or job shows.
			time.Sleep(500 * time.Millisecond)
			if acts, jobs, state, err = pipelineState(ctx, cf, vod, ex, since); err == nil && state == "" {
				break
			}
		}
		if err != nil {
			state = err.Error()
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the pipeline did not finish within %s: %s\nactivations: %s\njobs: %+v",
				pipelineTimeout, state, describeActivations(acts.all), jobs)
		case <-time.After(250 * time.Millisecond):
		}
	}
	if len(jobs) != wantJobs {
		t.Fatalf("VOD Station has %d encoding jobs for %s, want %d (one per encoding option): %+v", len(jobs), clipKey, wantJobs, jobs)
	}
	return acts, jobs
}

// pipelineState reads the activations since the upload and the uploaded
// file's encoding jobs; state says what is still running ("" when
// nothing is).
func pipelineState(ctx context.Context, cf *cfclient.Client, vod *vodclient.Client, ex *appliedExample,
	since time.Time) (pipelineActivations, []vodwire.StatusItem, string, error) {
	var acts pipelineActivations
	trig, err := cf.ListTriggerActivations(ctx, ex.out("trigger_name"), cfclient.ActivationQuery{PageSize: 50, Start: since})
	if err != nil {
		return acts, nil, "", fmt.Errorf("listing the activations of trigger %s: %w", ex.out("trigger_name"), err)
	}
	acts.trigger = trig.Activations
	all, err := cf.ListActivations(ctx, cfclient.ActivationQuery{PageSize: 50, Start: since})
	if err != nil {
		return acts, nil, "", fmt.Errorf("listing the account's activations: %w", err)
	}
	acts.all = all.Activations
	for _, a := range acts.all {
		if a.Name == ex.out("sequence_name") {
			acts.sequence = append(acts.sequence, a)
		}
	}
	switch {
	case len(acts.trigger) == 0:
		return acts, nil, "waiting for trigger " + ex.out("trigger_name") + " to fire", nil
	case len(acts.sequence) == 0:
		return acts, nil, "waiting for the sequence to start", nil
	}
	for _, a := range acts.sequence {
		if a.Response.Status == "" {
			return acts, nil, "sequence activation " + a.ActivationID + " is running", nil
		}
	}
	items, _, err := vod.ListStatus(ctx, vodclient.StatusFilter{Page: vodclient.Page{No: 1, Size: 100}})
	if err != nil {
		return acts, nil, "", fmt.Errorf("listing VOD Station's encoding jobs: %w", err)
	}
	var jobs []vodwire.StatusItem
	for _, j := range items {
		if strings.TrimPrefix(j.InputFilePath, "/") == clipKey {
			jobs = append(jobs, j)
		}
	}
	if len(jobs) == 0 {
		return acts, nil, "waiting for VOD Station to queue the encoding jobs", nil
	}
	for _, j := range jobs {
		if j.Status != vodwire.JobComplete && j.Status != vodwire.JobFailure {
			return acts, jobs, fmt.Sprintf("encoding job %s of file %d is %s", j.OutputType, j.FileID, j.Status), nil
		}
	}
	return acts, jobs, "", nil
}

func describeActivations(acts []cfwire.Activation) string {
	var b strings.Builder
	for _, a := range acts {
		fmt.Fprintf(&b, "\n  %s %s kind=%s cause=%s status=%q result=%v logs=%q", a.ActivationID, a.Name, a.Kind, a.Cause,
			a.Response.Status, a.Response.Result, a.Logs)
	}
	return b.String()
}

// checkActivations checks that the upload fired the trigger once, which
// ran the sequence once, whose two steps found the category and added the
// file, each recorded with its result, and that nothing else ran. It
// returns the add-files step's result.
func checkActivations(t *testing.T, ex *appliedExample, cat vodwire.Category, acts pipelineActivations) map[string]any {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf(format+"\nactivations since the upload:%s", append(args, describeActivations(acts.all))...)
	}
	if len(acts.trigger) != 1 {
		fail("trigger %s has %d activations for one upload, want exactly one", ex.out("trigger_name"), len(acts.trigger))
	}
	trig := acts.trigger[0]
	if !trig.Response.Success || trig.Response.Result[cfwire.EventKeyObjectName] != clipKey ||
		trig.Response.Result[cfwire.EventKeyBucketName] != ex.out("upload_bucket") {
		fail("trigger activation %s: success %v, result %v; want success with object_name %q and bucket_name %q",
			trig.ActivationID, trig.Response.Success, trig.Response.Result, clipKey, ex.out("upload_bucket"))
	}
	if len(acts.sequence) != 1 {
		fail("sequence %s ran %d times for one upload, want exactly once", ex.out("sequence_name"), len(acts.sequence))
	}
	seq := acts.sequence[0]
	if seq.Cause != trig.ActivationID || seq.Kind != cfwire.KindSequence {
		fail("sequence activation %s: kind %q, cause %q; want a sequence caused by the trigger's activation %s",
			seq.ActivationID, seq.Kind, seq.Cause, trig.ActivationID)
	}
	// The trigger's log names the one action it started: the sequence.
	if len(trig.Logs) != 1 || !strings.Contains(trig.Logs[0], `"activationId":"`+seq.ActivationID+`"`) {
		fail("trigger activation %s logs %q; want one line naming the sequence's activation %s", trig.ActivationID, trig.Logs, seq.ActivationID)
	}
	if !seq.Response.Success {
		fail("sequence activation %s failed: %v", seq.ActivationID, seq.Response.Result)
	}
	// The sequence's logs are its steps' activation ids, in order.
	byID := map[string]cfwire.Activation{}
	for _, a := range acts.all {
		byID[a.ActivationID] = a
	}
	pkg, _, _ := strings.Cut(ex.out("sequence_name"), "/")
	wantSteps := []string{pkg + "/video-find-category", pkg + "/video-add-files"}
	var steps []cfwire.Activation
	if len(seq.Logs) != len(wantSteps) {
		fail("sequence activation %s logs %q; want the ids of its %d steps", seq.ActivationID, seq.Logs, len(wantSteps))
	}
	for i, id := range seq.Logs {
		a, ok := byID[id]
		if !ok {
			fail("step %d of the sequence, activation %s, is not listed", i+1, id)
		}
		if a.Name != wantSteps[i] || a.Cause != seq.ActivationID || !a.Response.Success {
			fail("step %d: activation %s of %s, cause %s, success %v; want %s caused by %s, successful",
				i+1, id, a.Name, a.Cause, a.Response.Success, wantSteps[i], seq.ActivationID)
		}
		steps = append(steps, a)
	}
	find, add := steps[0].Response.Result, steps[1].Response.Result
	if jsonID(find["category_id"]) != strconv.FormatInt(cat.ID, 10) || find["category_name"] != cat.Name ||
		find["object_name"] != clipKey || find["bucket_name"] != ex.out("upload_bucket") {
		fail("find-category result %v; want category %d (%s) and object %s/%s", find, cat.ID, cat.Name, ex.out("upload_bucket"), clipKey)
	}
	ids, _ := add["file_ids"].([]any)
	if jsonID(add["category_id"]) != strconv.FormatInt(cat.ID, 10) || add["object_name"] != clipKey || len(ids) != 1 {
		fail("add-files result %v; want category %d, object %s and one file id", add, cat.ID, clipKey)
	}
	// A sequence's result is its last step's.
	seqIDs, _ := seq.Response.Result["file_ids"].([]any)
	if len(seqIDs) != 1 || jsonID(seqIDs[0]) != jsonID(ids[0]) {
		fail("sequence result %v; want the add-files result %v", seq.Response.Result, add)
	}
	// Nothing else ran: the trigger, the sequence and its two steps.
	if len(acts.all) != 2+len(wantSteps) {
		fail("%d activations since the upload, want 4 (trigger, sequence, two steps)", len(acts.all))
	}
	return add
}

// jsonID formats an ID decoded from JSON (a number or a string).
func jsonID(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// checkJobs checks that VOD Station made one COMPLETE job per encoding
// option for the file add-files added, and returns the renditions in the
// category's option order.
func checkJobs(t *testing.T, options []vodwire.EncodingOption, jobs []vodwire.StatusItem, addFiles map[string]any) []rendition {
	t.Helper()
	ids, _ := addFiles["file_ids"].([]any)
	fileID := jsonID(ids[0])
	byOption := map[int64]vodwire.StatusItem{}
	for _, j := range jobs {
		if _, dup := byOption[j.EncodingOptionID]; dup {
			t.Fatalf("two encoding jobs for option %d: %+v", j.EncodingOptionID, jobs)
		}
		byOption[j.EncodingOptionID] = j
	}
	var rends []rendition
	for _, o := range options {
		j, ok := byOption[o.ID]
		switch {
		case !ok:
			t.Fatalf("no encoding job for option %d (%s): %+v", o.ID, o.Name, jobs)
		case strconv.FormatInt(j.FileID, 10) != fileID:
			t.Errorf("job %s is for file %d, want add-files' file %s", o.Name, j.FileID, fileID)
		case j.Status != vodwire.JobComplete:
			t.Errorf("job %s ended %s, want COMPLETE: %+v", o.Name, j.Status, j)
		case j.OutputType != o.Name || j.OutputFilePath == "":
			t.Errorf("job %s: output type %q, output file %q", o.Name, j.OutputType, j.OutputFilePath)
		}
		rends = append(rends, rendition{option: o, key: strings.TrimPrefix(j.OutputFilePath, "/")})
	}
	if t.Failed() {
		t.FailNow()
	}
	return rends
}

// probeRenditions downloads each rendition from the output bucket and
// checks with ffprobe that it is H.264 video of the option's size (fitted
// into the option's box, the clip's 16:9 kept) with AAC sound, as long as
// the clip.
func probeRenditions(ctx context.Context, t *testing.T, ex *appliedExample, rends []rendition) {
	t.Helper()
	dir := t.TempDir()
	s3c := s3Client(ex.srv)
	for i := range rends {
		r := &rends[i]
		obj, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(ex.out("output_bucket")), Key: aws.String(r.key)})
		if err != nil {
			t.Fatalf("rendition %s: %v", r.key, err)
		}
		local := filepath.Join(dir, filepath.Base(r.key))
		f, err := os.Create(local)
		if err == nil {
			_, err = io.Copy(f, obj.Body)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		obj.Body.Close()
		if err != nil {
			t.Fatalf("downloading %s: %v", r.key, err)
		}
		p := ffprobe(ctx, t, local)
		v, a := p.stream("video"), p.stream("audio")
		if v == nil || a == nil || v.CodecName != "h264" || a.CodecName != "aac" {
			t.Errorf("%s: streams %+v, want h264 video and aac audio", r.key, p.Streams)
			continue
		}
		r.width, r.height = v.Width, v.Height
		box := r.option.Video
		// 16:9 into the box: the box's height, the width within 2 pixels
		// (even sizes).
		if v.Height != box.Height || math.Abs(float64(v.Width-box.Width)) > 2 || v.Width%2 != 0 {
			t.Errorf("%s is %dx%d, want option %s's %dx%d", r.key, v.Width, v.Height, r.option.Name, box.Width, box.Height)
		}
		d, err := strconv.ParseFloat(p.Format.Duration, 64)
		if err != nil || math.Abs(d-clipSeconds) > 0.15 {
			t.Errorf("%s lasts %q s, want %.1f s", r.key, p.Format.Duration, clipSeconds)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

type probeResult struct {
	Streams []probeStream `json:"streams"`
	Format  struct {
		Duration string `json:"duration"`
	} `json:"format"`
}

type probeStream struct {
	CodecType string `json:"codec_type"`
	CodecName string `json:"codec_name"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
}

func (p probeResult) stream(kind string) *probeStream {
	for i := range p.Streams {
		if p.Streams[i].CodecType == kind {
			return &p.Streams[i]
		}
	}
	return nil
}

// ffprobe runs ffprobe itself (not ncplocal's wrapper of it) on file.
func ffprobe(ctx context.Context, t *testing.T, file string) probeResult {
	t.Helper()
	out, err := exec.CommandContext(ctx, "ffprobe", "-v", "error", "-show_entries",
		"stream=codec_type,codec_name,width,height:format=duration", "-of", "json", file).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", file, err)
	}
	var p probeResult
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", file, err, out)
	}
	return p
}

// checkCDN fetches the renditions' multi-bitrate master playlist from the
// channel's CDN domain, as ncplocal maps it (path prefix, and Host
// header), checks that it lists every rendition at its size, and
// downloads every segment of every rendition. It returns the master
// playlist's URL (path prefix form).
func checkCDN(ctx context.Context, t *testing.T, ex *appliedExample, rends []rendition) string {
	t.Helper()
	domain, enc := ex.out("cdn_domain"), ex.out("encrypted_bucket_name")
	// The channel's documented URL structure, on its own CDN domain.
	if tmpl := ex.out("play_url_template"); !strings.HasPrefix(tmpl, "https://"+domain+"/hls/"+enc+"/") {
		t.Errorf("play_url_template %q is not https://%s/hls/%s/...", tmpl, domain, enc)
	}
	keys := make([]string, len(rends))
	for i, r := range rends {
		keys[i] = r.key
	}
	play, err := media.PlayPath(media.HLS, enc, keys...)
	if err != nil {
		t.Fatal(err)
	}
	master := ex.srv.URL() + strings.TrimSuffix(globaledge.CDNPathPrefix, "/") + "/" + domain + play
	body := httpGet(ctx, t, master, "", "application/vnd.apple.mpegurl")
	if byHost := httpGet(ctx, t, ex.srv.URL()+play, domain, "application/vnd.apple.mpegurl"); byHost != body {
		t.Errorf("the master playlist by Host header differs from the one under %s:\n%s\n---\n%s", globaledge.CDNPathPrefix, byHost, body)
	}
	variants := masterVariants(t, body)
	if len(variants) != len(rends) {
		t.Fatalf("master playlist %s lists %d renditions, want %d:\n%s", master, len(variants), len(rends), body)
	}
	base, _ := url.Parse(master)
	for _, r := range rends {
		res := fmt.Sprintf("%dx%d", r.width, r.height)
		i := slices.IndexFunc(variants, func(v variant) bool { return v.resolution == res })
		if i < 0 {
			t.Errorf("master playlist lists no %s rendition (%s):\n%s", res, r.option.Name, body)
			continue
		}
		ref, err := url.Parse(variants[i].uri)
		if err != nil {
			t.Fatalf("variant URI %q: %v", variants[i].uri, err)
		}
		checkMediaPlaylist(ctx, t, base.ResolveReference(ref), r)
	}
	return master
}

type variant struct{ resolution, uri string }

var resolutionAttr = regexp.MustCompile(`RESOLUTION=(\d+x\d+)`)

// masterVariants returns the EXT-X-STREAM-INF entries of a master playlist.
func masterVariants(t *testing.T, body string) []variant {
	t.Helper()
	if !strings.HasPrefix(body, "#EXTM3U") {
		t.Fatalf("not an HLS playlist:\n%s", body)
	}
	var out []variant
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, "#EXT-X-STREAM-INF:") {
			continue
		}
		v := variant{}
		if m := resolutionAttr.FindStringSubmatch(l); m != nil {
			v.resolution = m[1]
		}
		for _, next := range lines[i+1:] {
			if next = strings.TrimSpace(next); next != "" && !strings.HasPrefix(next, "#") {
				v.uri = next
				break
			}
		}
		out = append(out, v)
	}
	return out
}

var (
	extinf = regexp.MustCompile(`^#EXTINF:([0-9.]+)`)
	mapURI = regexp.MustCompile(`^#EXT-X-MAP:.*URI="([^"]+)"`)
)

// checkMediaPlaylist downloads every segment (and the init section) of
// rendition r's media playlist u; their durations add up to the clip's.
func checkMediaPlaylist(ctx context.Context, t *testing.T, u *url.URL, r rendition) {
	t.Helper()
	body := httpGet(ctx, t, u.String(), "", "application/vnd.apple.mpegurl")
	var total float64
	var uris []string
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		switch {
		case extinf.MatchString(l):
			d, _ := strconv.ParseFloat(extinf.FindStringSubmatch(l)[1], 64)
			total += d
		case mapURI.MatchString(l):
			uris = append(uris, mapURI.FindStringSubmatch(l)[1])
		case l != "" && !strings.HasPrefix(l, "#"):
			uris = append(uris, l)
		}
	}
	if len(uris) == 0 || !strings.Contains(body, "#EXT-X-ENDLIST") {
		t.Fatalf("media playlist of %s (%s) lists no segments or does not end:\n%s", r.option.Name, u, body)
	}
	if math.Abs(total-clipSeconds) > 0.2 {
		t.Errorf("the segments of %s last %.2f s, want %.1f s:\n%s", r.option.Name, total, clipSeconds, body)
	}
	for _, s := range uris {
		ref, err := url.Parse(s)
		if err != nil {
			t.Fatalf("segment URI %q: %v", s, err)
		}
		if seg := httpGet(ctx, t, u.ResolveReference(ref).String(), "", ""); len(seg) == 0 {
			t.Errorf("segment %s of %s is empty", s, r.option.Name)
		}
	}
}

// httpGet fetches u (with Host host, when set), which must answer 200
// with Content-Type ctype (when set), and returns the body.
func httpGet(ctx context.Context, t *testing.T, u, host, ctype string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s (Host %q): HTTP %d: %s", u, host, resp.StatusCode, b)
	}
	if got := resp.Header.Get("Content-Type"); ctype != "" && !strings.HasPrefix(got, ctype) {
		t.Errorf("GET %s: Content-Type %q, want %s", u, got, ctype)
	}
	return string(b)
}

// catalogVideo is a video of the player page's videos.json.
type catalogVideo struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	MasterURL  string `json:"masterUrl"`
	Renditions []struct {
		Name string `json:"name"`
	} `json:"renditions"`
}

// checkPlayer opens the player page (the example's player_url) in headless
// Chromium (playertest): the uploaded video is listed, with the master
// playlist checkCDN fetched; it really plays (its clock advances, no
// error) and the quality list offers Auto and every rendition. The
// screenshot goes where PlayerScreenshotEnv says.
func checkPlayer(ctx context.Context, t *testing.T, ex *appliedExample, rends []rendition, master string) {
	t.Helper()
	pageURL := ex.out("player_url")
	var catalog struct {
		Videos []catalogVideo `json:"videos"`
	}
	if err := json.Unmarshal([]byte(httpGet(ctx, t, pageURL+"videos.json", "", "application/json")), &catalog); err != nil {
		t.Fatal(err)
	}
	title := filepath.Base(clipKey)
	i := slices.IndexFunc(catalog.Videos, func(v catalogVideo) bool { return v.Title == title })
	if len(catalog.Videos) != 1 || i != 0 || len(catalog.Videos[0].Renditions) != len(rends) || catalog.Videos[0].MasterURL != master {
		t.Fatalf("the player's catalog %+v; want the one video %s with %d renditions, playing %s", catalog, title, len(rends), master)
	}

	page := playertest.Open(ctx, t, pageURL, 1280, 720)
	if listed := page.Listed(t); !slices.Equal(listed, []string{title}) {
		t.Fatalf("the page lists %q, want the uploaded %s", listed, title)
	}
	page.WaitReady(t)
	// Really plays: the clock passes a second of the 3-second clip, without
	// an error.
	page.WaitPlaying(t, 1)

	// Auto, then every rendition, highest first.
	opts := page.QualityOptions(t)
	heights := make([]int, len(rends))
	for i, r := range rends {
		heights[i] = r.height
	}
	sort.Sort(sort.Reverse(sort.IntSlice(heights)))
	want := []string{"Auto"}
	for _, h := range heights {
		want = append(want, strconv.Itoa(h)+"p")
	}
	ok := len(opts) == len(want) && opts[0] == want[0]
	for i := 1; ok && i < len(want); i++ {
		ok = strings.HasPrefix(opts[i], want[i]+" ")
	}
	if !ok {
		t.Fatalf("quality options %q, want %q (each with its bitrate)", opts, want)
	}

	// Hold the frame for the picture.
	playertest.Eval[bool](t, page, `(() => { document.getElementById('video').pause(); return true; })()`)
	page.Screenshot(t, PlayerScreenshotEnv)
}
