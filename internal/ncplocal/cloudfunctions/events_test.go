package cloudfunctions_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// pyHelpers sign requests to ncplocal the way NCP's clients do: the API
// Gateway's HMAC-SHA256 v2 signature, and S3's signature v2. Only the
// standard library is used.
const pyHelpers = `
import base64, email.utils, hashlib, hmac, json, time, urllib.error, urllib.parse, urllib.request

def gw_get(base, uri, ak, sk):
    ts = str(int(time.time() * 1000))
    msg = "GET " + uri + "\n" + ts + "\n" + ak
    sig = base64.b64encode(hmac.new(sk.encode(), msg.encode(), hashlib.sha256).digest()).decode()
    req = urllib.request.Request(base + uri, headers={
        "x-ncp-apigw-timestamp": ts, "x-ncp-iam-access-key": ak, "x-ncp-apigw-signature-v2": sig})
    try:
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        raise RuntimeError("GET %s failed: HTTP %d %s" % (uri, e.code, e.read().decode()))

def s3_put(base, bucket, key, body, ak, sk):
    date = email.utils.formatdate(usegmt=True)
    path = "/" + bucket + "/" + urllib.parse.quote(key)
    sts = "PUT\n\ntext/plain\n" + date + "\n" + path
    sig = base64.b64encode(hmac.new(sk.encode(), sts.encode(), hashlib.sha1).digest()).decode()
    req = urllib.request.Request(base + path, data=body.encode(), method="PUT", headers={
        "Date": date, "Content-Type": "text/plain", "Authorization": "AWS " + ak + ":" + sig})
    try:
        with urllib.request.urlopen(req) as r:
            r.read()
    except urllib.error.HTTPError as e:
        raise RuntimeError("PUT %s failed: HTTP %d %s" % (path, e.code, e.read().decode()))
`

// lookup is the first step: it checks the event payload and calls the
// Cloud Functions API, signed, through the URL it was given.
const lookupPy = pyHelpers + `
def main(args):
    for k in ("object_name", "bucket_name", "event_type"):
        if k not in args:
            raise KeyError("the event payload has no " + k)
    pk = gw_get(args["API_URL"], "/ncf/api/v2/packages?platform=vpc", args["NCLOUD_ACCESS_KEY"], args["NCLOUD_SECRET_KEY"])
    print("packages:", [p["name"] for p in pk["content"]["packages"]])
    return {"file_name": args["object_name"], "source": args["bucket_name"], "event": args["event_type"],
            "packages": len(pk["content"]["packages"])}
`

// store is the second step: it writes a marker object into the output
// bucket through S3.
const storePy = pyHelpers + `
def main(args):
    key = "done/" + args["file_name"]
    s3_put(args["API_URL"], args["OUTPUT_BUCKET"], key, args["source"] + " " + args["event"], args["NCLOUD_ACCESS_KEY"], args["NCLOUD_SECRET_KEY"])
    return {"written": key, "packages": args["packages"]}
`

// writeBack writes into the bucket whose event started it: a loop NCP
// warns about.
const writeBackPy = pyHelpers + `
def main(args):
    key = "copy-" + args["object_name"]
    s3_put(args["API_URL"], args["bucket_name"], key, "again", args["NCLOUD_ACCESS_KEY"], args["NCLOUD_SECRET_KEY"])
    return {"written": key}
`

// An object uploaded through the S3 API fires the object_storage trigger
// of the matching bucket event rule once, which runs a sequence of two real
// python actions; their signed calls to ncplocal (the Cloud Functions API
// and S3) succeed, and the second one's object lands in the output bucket.
func TestBucketEventRunsSequence(t *testing.T) {
	t.Parallel()
	needPython(t)
	e := newEnv(t).withSubnet()
	ctx := context.Background()
	e.makeBucketRule("cf-upload", "on-video", "in/")
	if err := e.os.CreateBucket(ctx, "cf-output"); err != nil {
		t.Fatal(err)
	}
	cred := ncplocal.DefaultCredential
	if _, err := e.cf.PutPackage(ctx, "video", &wire.PackageRequest{Parameters: wire.Parameters{
		"API_URL": e.srv.URL(), "NCLOUD_ACCESS_KEY": cred.AccessKey, "NCLOUD_SECRET_KEY": cred.SecretKey, "OUTPUT_BUCKET": "cf-output"}}); err != nil {
		t.Fatal(err)
	}
	for name, code := range map[string]string{"lookup": lookupPy, "store": storePy} {
		if _, err := e.cf.PutAction(ctx, "video", name, "", e.pyAction(code, nil)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.cf.PutAction(ctx, "video", "pipeline", wire.ActionTypeSequence, &wire.ActionRequest{
		Exec: &wire.Exec{Kind: wire.KindSequence, Components: []string{"video/lookup", "video/store"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.PutTrigger(ctx, "on-upload", wire.TriggerTypeObjectStorage, &wire.TriggerRequest{
		ObjectStorageLink: []wire.ObjectStorageLink{{BucketName: "cf-upload", EventRuleName: "on-video"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.LinkAction(ctx, "on-upload", wire.ActionRef{Package: "video", Action: "pipeline"}); err != nil {
		t.Fatal(err)
	}

	e.upload("cf-upload", "in/clip.mp4", "not really a video")
	e.upload("cf-upload", "elsewhere/clip.mp4", "outside the rule's prefix")

	seqs := waitActivations(t, func() (*wire.ActivationList, error) {
		return e.cf.ListActionActivations(ctx, "video", "pipeline", cfclient.ActivationQuery{})
	}, 1)
	if len(seqs) != 1 {
		t.Fatalf("%d sequence activations, want 1", len(seqs))
	}
	run := seqs[0]
	if !run.Response.Success || run.Response.Result["written"] != "done/in/clip.mp4" || run.Response.Result["packages"] != float64(1) {
		t.Fatalf("sequence: %+v", run.Response)
	}
	trig, err := e.cf.ListTriggerActivations(ctx, "on-upload", cfclient.ActivationQuery{})
	if err != nil || trig.TotalCount != 1 || trig.Activations[0].ActivationID != run.Cause {
		t.Fatalf("trigger activations: %+v, %v", trig, err)
	}
	if p := trig.Activations[0].Response.Result; p["object_name"] != "in/clip.mp4" || p["bucket_name"] != "cf-upload" || p["event_type"] != "s3:ObjectCreated:Put" {
		t.Errorf("the event payload: %v", p)
	}
	look, err := e.cf.GetActionActivation(ctx, "video", "lookup", run.Logs[0])
	if err != nil || !strings.Contains(strings.Join(look.Logs, "\n"), "packages: ['video']") || look.Response.Result["event"] != "s3:ObjectCreated:Put" {
		t.Errorf("the first step: %+v, %v", look, err)
	}
	if keys := e.listKeys("cf-output"); !slices.Equal(keys, []string{"done/in/clip.mp4"}) {
		t.Errorf("output bucket: %v", keys)
	}
	// Exactly once: nothing more ran for the one matching upload.
	time.Sleep(300 * time.Millisecond)
	if l, _ := e.cf.ListActivations(ctx, cfclient.ActivationQuery{}); l.TotalCount != 4 {
		t.Errorf("%d activations in all, want 4 (trigger, sequence, two steps): %+v", l.TotalCount, l.Activations)
	}
}

// An action that signs with the wrong secret is refused as any client is,
// and its activation says so.
func TestActionSignedWrongly(t *testing.T) {
	t.Parallel()
	needPython(t)
	e := newEnv(t).withSubnet()
	ctx := context.Background()
	if _, err := e.cf.PutAction(ctx, "-", "badsig", "", e.pyAction(lookupPy, wire.Parameters{"API_URL": e.srv.URL(),
		"NCLOUD_ACCESS_KEY": ncplocal.DefaultCredential.AccessKey, "NCLOUD_SECRET_KEY": "not-the-secret",
		"object_name": "x", "bucket_name": "b", "event_type": "manual"})); err != nil {
		t.Fatal(err)
	}
	res, err := e.cf.InvokeAction(ctx, "-", "badsig", 60*time.Second, nil)
	if err != nil || res.Response == nil || res.Response.Success || !strings.Contains(fmt.Sprint(res.Response.Result["error"]), "HTTP 401") {
		t.Errorf("wrongly signed call: %+v, %v", res.Response, err)
	}
}

// An action writing into the bucket of its own trigger fires the trigger
// again; ncplocal stops the loop there with a clear trigger activation
// error.
func TestRecursionStopped(t *testing.T) {
	t.Parallel()
	needPython(t)
	e := newEnv(t).withSubnet()
	ctx := context.Background()
	e.makeBucketRule("cf-loop", "all", "")
	cred := ncplocal.DefaultCredential
	if _, err := e.cf.PutAction(ctx, "-", "writeback", "", e.pyAction(writeBackPy, wire.Parameters{"API_URL": e.srv.URL(),
		"NCLOUD_ACCESS_KEY": cred.AccessKey, "NCLOUD_SECRET_KEY": cred.SecretKey})); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.PutTrigger(ctx, "loop", wire.TriggerTypeObjectStorage, &wire.TriggerRequest{
		ObjectStorageLink: []wire.ObjectStorageLink{{BucketName: "cf-loop", EventRuleName: "all"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.LinkAction(ctx, "loop", wire.ActionRef{Action: "writeback"}); err != nil {
		t.Fatal(err)
	}
	e.upload("cf-loop", "x", "first")
	acts := waitActivations(t, func() (*wire.ActivationList, error) {
		return e.cf.ListTriggerActivations(ctx, "loop", cfclient.ActivationQuery{})
	}, 2)
	if len(acts) != 2 {
		t.Fatalf("%d trigger activations, want 2", len(acts))
	}
	stopped := acts[0]
	if stopped.Response.Success || !strings.Contains(fmt.Sprint(stopped.Response.Result["error"]), "recursion stopped") {
		t.Errorf("the second firing: %+v", stopped.Response)
	}
	time.Sleep(300 * time.Millisecond)
	runs, _ := e.cf.ListActionActivations(ctx, "-", "writeback", cfclient.ActivationQuery{})
	if runs.TotalCount != 1 || !runs.Activations[0].Response.Success || stopped.Cause != runs.Activations[0].ActivationID {
		t.Errorf("action activations: %+v", runs)
	}
	if keys := e.listKeys("cf-loop"); !slices.Equal(keys, []string{"copy-x", "x"}) {
		t.Errorf("bucket: %v", keys)
	}
	// An upload of the user's own while nothing runs fires again as usual.
	e.upload("cf-loop", "y", "second")
	if acts := waitActivations(t, func() (*wire.ActivationList, error) {
		return e.cf.ListTriggerActivations(ctx, "loop", cfclient.ActivationQuery{})
	}, 4); len(acts) != 4 || !acts[1].Response.Success {
		t.Errorf("after a second upload: %d trigger activations", len(acts))
	}
}
