package objectstorage_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ncplabs/terraform-provider-ncp/internal/acctest"
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	osclient "github.com/ncplabs/terraform-provider-ncp/internal/client/objectstorage"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/conns"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/service/objectstorage"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// Operation names ncplocal counts.
const (
	opCreateBucket = "objectstorage:CreateBucket"
	opHeadBucket   = "objectstorage:HeadBucket"
	opListBuckets  = "objectstorage:ListBuckets"
)

// scriptedTransport sits below the client core's retry layer and lets a test
// decide, per request, to pass it on, to drop the connection before or
// after the server saw the request, or to answer a HEAD with 404 itself.
type scriptedTransport struct {
	next http.RoundTripper
	// script returns what to do with the n-th (1-based) request of its
	// method.
	script func(method string, n int) action

	mu     sync.Mutex
	counts map[string]int
}

type action int

const (
	pass          action = iota // send the request, return the answer
	dropBefore                  // fail as a connection reset, without sending
	dropAfter                   // send the request, then fail as a connection reset
	fakeNotFound                // answer 404 without sending
	fakeForbidden               // answer 403 without sending
)

// errConnReset is what a reset connection looks like to the retry layer.
var errConnReset = &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}

func (s *scriptedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	if s.counts == nil {
		s.counts = map[string]int{}
	}
	s.counts[r.Method]++
	n := s.counts[r.Method]
	s.mu.Unlock()

	switch s.script(r.Method, n) {
	case dropBefore:
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, errConnReset
	case dropAfter:
		resp, err := s.next.RoundTrip(r)
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
		return nil, errConnReset
	case fakeNotFound, fakeForbidden:
		if r.Body != nil {
			r.Body.Close()
		}
		status := http.StatusNotFound
		if s.script(r.Method, n) == fakeForbidden {
			status = http.StatusForbidden
		}
		return &http.Response{
			StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
			Header: http.Header{}, Body: http.NoBody, Request: r,
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		}, nil
	}
	return s.next.RoundTrip(r)
}

func (s *scriptedTransport) count(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[method]
}

// scriptedConn returns an Object Storage client for srv whose requests go
// through script.
func scriptedConn(t *testing.T, srv *ncplocal.Server, script func(method string, n int) action) (*osclient.Client, *scriptedTransport) {
	t.Helper()
	tr := &scriptedTransport{next: &http.Transport{}, script: script}
	conn, err := osclient.New(acctest.NewClient(t, srv, ncplocal.DefaultCredential, func(c *client.Config) { c.HTTPTransport = tr }))
	if err != nil {
		t.Fatalf("objectstorage.New: %v", err)
	}
	return conn, tr
}

// TestCreateBucket_AmbiguousAdopted: HeadBucket finds no bucket before the
// create; ncplocal creates the bucket, then resets the connection; HeadBucket
// finds it and it is adopted without a second CreateBucket.
func TestCreateBucket_AmbiguousAdopted(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	conn := newConn(t, srv, ncplocal.DefaultCredential)
	name := bucketName("adopt")
	if err := srv.SetFaults([]ncplocal.FaultRule{{
		Pattern: "^/" + regexp.QuoteMeta(name) + "$", Method: http.MethodPut, Rate: 1, Kinds: []string{ncplocal.FaultReset},
	}}); err != nil {
		t.Fatalf("SetFaults: %v", err)
	}

	// Without reconciliation the reset is an ambiguous failure.
	if err := conn.CreateBucket(t.Context(), name+"-raw"); err != nil {
		t.Fatalf("CreateBucket of another name: %v", err)
	}
	if err := conn.CreateBucket(t.Context(), name); !client.IsAmbiguous(err) {
		t.Fatalf("CreateBucket through a reset: error %v, want an ambiguous one", err)
	}
	if err := conn.DeleteBucket(t.Context(), name); err != nil {
		t.Fatalf("DeleteBucket: %v", err)
	}

	srv.ResetCalls()
	if err := objectstorage.CreateBucket(t.Context(), conn, name); err != nil {
		t.Fatalf("createBucket: %v", err)
	}
	calls := srv.Calls()
	if calls[opCreateBucket] != 1 || calls[opHeadBucket] != 2 {
		t.Errorf("calls = %v, want exactly one CreateBucket (never resent) and two HeadBucket (check, reconcile)", calls)
	}
	if _, injected := srv.Faults(); injected != 2 {
		t.Errorf("%d faults injected, want 2 (one per CreateBucket of %s)", injected, name)
	}
	if err := srv.SetFaults(nil); err != nil {
		t.Fatalf("SetFaults(nil): %v", err)
	}
	if err := conn.HeadBucket(t.Context(), name); err != nil {
		t.Errorf("the adopted bucket: %v", err)
	}
}

// TestCreateBucket_AmbiguousNotCreated: the connection fails before the
// server saw the request; HeadBucket answers 404, so CreateBucket is sent
// again and succeeds.
func TestCreateBucket_AmbiguousNotCreated(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	conn, tr := scriptedConn(t, srv, func(method string, n int) action {
		if method == http.MethodPut && n == 1 {
			return dropBefore
		}
		return pass
	})
	name := bucketName("retry")

	if err := objectstorage.CreateBucket(t.Context(), conn, name); err != nil {
		t.Fatalf("createBucket: %v", err)
	}
	if got := tr.count(http.MethodPut); got != 2 {
		t.Errorf("%d CreateBucket requests, want 2", got)
	}
	calls := srv.Calls()
	if calls[opCreateBucket] != 1 || calls[opHeadBucket] != 2 {
		t.Errorf("server calls = %v, want one CreateBucket and two HeadBucket (check, reconcile)", calls)
	}
	if err := conn.HeadBucket(t.Context(), name); err != nil {
		t.Errorf("the created bucket: %v", err)
	}
}

// TestCreateBucket_AmbiguousThenOwnedByYou: the first CreateBucket created
// the bucket but its answer was lost, and HeadBucket lagged behind (404):
// the second CreateBucket's BucketAlreadyOwnedByYou means success.
func TestCreateBucket_AmbiguousThenOwnedByYou(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	conn, tr := scriptedConn(t, srv, func(method string, n int) action {
		switch {
		case method == http.MethodPut && n == 1:
			return dropAfter
		case method == http.MethodHead && n == 2: // n == 1 is the check before creating
			return fakeNotFound
		}
		return pass
	})
	name := bucketName("owned")

	if err := objectstorage.CreateBucket(t.Context(), conn, name); err != nil {
		t.Fatalf("createBucket: %v", err)
	}
	if got := tr.count(http.MethodPut); got != 2 {
		t.Errorf("%d CreateBucket requests, want 2", got)
	}
	if calls := srv.Calls(); calls[opCreateBucket] != 2 {
		t.Errorf("server calls = %v, want two CreateBucket", calls)
	}
	if err := conn.HeadBucket(t.Context(), name); err != nil {
		t.Errorf("the created bucket: %v", err)
	}
}

// TestCreateBucket_FirstAttemptConflicts: without an uncertain attempt
// before, BucketAlreadyOwnedByYou (here past a check that missed the
// bucket) and BucketAlreadyExists are errors, never adopted.
func TestCreateBucket_FirstAttemptConflicts(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t, withOtherAccount)
	// The check before creating does not see the bucket (a lagging 404).
	conn, _ := scriptedConn(t, srv, func(method string, _ int) action {
		if method == http.MethodHead {
			return fakeNotFound
		}
		return pass
	})
	other := newConn(t, srv, otherCredential)
	mine, theirs := bucketName("mine"), bucketName("theirs")
	if err := newConn(t, srv, ncplocal.DefaultCredential).CreateBucket(t.Context(), mine); err != nil {
		t.Fatalf("CreateBucket(%s): %v", mine, err)
	}
	if err := other.CreateBucket(t.Context(), theirs); err != nil {
		t.Fatalf("CreateBucket(%s) by the other account: %v", theirs, err)
	}

	for name, code := range map[string]string{mine: wire.CodeBucketAlreadyOwnedByYou, theirs: wire.CodeBucketAlreadyExists} {
		err := objectstorage.CreateBucket(t.Context(), conn, name)
		if !reconcile.HasCode(err, code) || !client.IsConflict(err) {
			t.Errorf("createBucket(%s) error = %v, want a conflict with code %s", name, err, code)
		}
	}
}

// TestCreateBucket_AmbiguousExhausted: when every attempt fails before the
// server sees it, createBucket gives up after conn.Attempts() tries with the
// ambiguous error.
func TestCreateBucket_AmbiguousExhausted(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	conn, tr := scriptedConn(t, srv, func(method string, _ int) action {
		if method == http.MethodPut {
			return dropBefore
		}
		return pass
	})
	err := objectstorage.CreateBucket(t.Context(), conn, bucketName("never"))
	if !client.IsAmbiguous(err) {
		t.Errorf("error = %v, want an ambiguous one", err)
	}
	if got := tr.count(http.MethodPut); got != conn.Attempts() {
		t.Errorf("%d CreateBucket requests, want %d", got, conn.Attempts())
	}
	if got := tr.count(http.MethodHead); got != conn.Attempts()+1 {
		t.Errorf("%d HeadBucket requests, want %d (the check, then one reconciliation per attempt)", got, conn.Attempts()+1)
	}
}

// TestCreateBucket_ExistingNotAdopted: a bucket the account already owns
// (made outside this configuration) is reported by the HeadBucket check
// before any CreateBucket is sent: the transport would make every
// CreateBucket fail ambiguously (reset after the server saw it), but none is
// sent, so the reconciliation that could adopt the bucket never runs. What
// this does not (and cannot) cover: were the check to miss the bucket (a
// lagging 404), an ambiguous CreateBucket followed by a HeadBucket that finds
// it would adopt it, since nothing tells a bucket made by that attempt from
// one made before.
func TestCreateBucket_ExistingNotAdopted(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	conn, tr := scriptedConn(t, srv, func(method string, _ int) action {
		if method == http.MethodPut {
			return dropAfter
		}
		return pass
	})
	name := bucketName("existing")
	if err := newConn(t, srv, ncplocal.DefaultCredential).CreateBucket(t.Context(), name); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}

	err := objectstorage.CreateBucket(t.Context(), conn, name)
	var exists *reconcile.ExistsError
	if !errors.As(err, &exists) || exists.ID != name {
		t.Errorf("createBucket error = %v, want bucket %s reported as existing", err, name)
	}
	if got := tr.count(http.MethodPut); got != 0 {
		t.Errorf("%d CreateBucket requests, want none", got)
	}

	var diags diag.Diagnostics
	objectstorage.AddCreateError(&diags, name, err)
	if !diags.HasError() || diags[0].Summary() != fmt.Sprintf("Object Storage bucket %q already exists", name) ||
		!strings.Contains(diags[0].Detail(), "import ncp_object_storage_bucket.<name> "+name) {
		t.Errorf("diagnostics = %v, want an import hint", diags)
	}
}

// TestWaitBucketAvailable_ForbiddenIsPending: right after CreateBucket,
// HeadBucket may answer 404 or 403 for a while; the create wait keeps
// polling instead of failing.
func TestWaitBucketAvailable_ForbiddenIsPending(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	conn, tr := scriptedConn(t, srv, func(method string, n int) action {
		switch {
		case method != http.MethodHead:
			return pass
		case n == 1:
			return fakeForbidden
		case n == 2:
			return fakeNotFound
		case n == 3:
			return fakeForbidden
		}
		return pass
	})
	name := bucketName("slow")
	if err := newConn(t, srv, ncplocal.DefaultCredential).CreateBucket(t.Context(), name); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	cfg := wait.Config{Initial: time.Millisecond, Min: time.Millisecond, Max: 2 * time.Millisecond, Fraction: 0.5}
	if err := objectstorage.WaitBucketAvailable(t.Context(), cfg, objectstorage.NewCreatedBucket(conn, name, time.Hour)); err != nil {
		t.Fatalf("waitBucketAvailable: %v", err)
	}
	if got := tr.count(http.MethodHead); got != 4 {
		t.Errorf("%d HeadBucket requests, want 4", got)
	}

	// Until the timeout, then the wait fails with a timeout, having kept
	// polling: 403 is "not yet", never a failure of its own.
	never, neverTr := scriptedConn(t, srv, func(string, int) action { return fakeForbidden })
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	err := objectstorage.WaitBucketAvailable(ctx, cfg, objectstorage.NewCreatedBucket(never, name, time.Hour))
	if !errors.As(err, new(*wait.TimeoutError)) {
		t.Errorf("waitBucketAvailable on a bucket that stays 403: error %v (%T), want a *wait.TimeoutError", err, err)
	}
	if got := neverTr.count(http.MethodHead); got <= 1 {
		t.Errorf("%d HeadBucket requests on a bucket that stays 403, want more than one (403 keeps the wait polling)", got)
	}
}

// TestDeleteBucket: deleting a missing bucket succeeds; a bucket holding
// objects is refused without force and emptied with it.
func TestDeleteBucket(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	conn := newConn(t, srv, ncplocal.DefaultCredential)
	name := bucketName("delete")

	if err := objectstorage.DeleteBucket(t.Context(), conn, name, true); err != nil {
		t.Errorf("deleting a missing bucket with force: %v", err)
	}
	if err := objectstorage.DeleteBucket(t.Context(), conn, name, false); err != nil {
		t.Errorf("deleting a missing bucket: %v", err)
	}
	if err := conn.CreateBucket(t.Context(), name); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	if err := putObjects(t, conn, name, 3); err != nil {
		t.Fatal(err)
	}
	err := objectstorage.DeleteBucket(t.Context(), conn, name, false)
	if !reconcile.HasCode(err, wire.CodeBucketNotEmpty) {
		t.Fatalf("deleting a bucket with objects: error %v, want BucketNotEmpty", err)
	}
	// The refused delete removed nothing.
	if err := checkBucketHolds(t, conn, name, 3); err != nil {
		t.Fatal(err)
	}
	if err := objectstorage.DeleteBucket(t.Context(), conn, name, true); err != nil {
		t.Fatalf("deleting a bucket with objects with force: %v", err)
	}
	if err := conn.HeadBucket(t.Context(), name); !client.IsNotFound(err) {
		t.Errorf("HeadBucket after delete: %v, want not found", err)
	}
}

// resourceHarness calls the resource's methods directly, without
// Terraform, so a test can count the API calls of one Read.
type resourceHarness struct {
	r      fwresource.Resource
	schema schema.Schema
}

func newResourceHarness(t *testing.T, srv *ncplocal.Server) *resourceHarness {
	t.Helper()
	ctx := t.Context()
	r := objectstorage.NewBucketResource()
	var sresp fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &sresp)
	if sresp.Diagnostics.HasError() {
		t.Fatalf("Schema: %v", sresp.Diagnostics)
	}
	meta := &conns.Meta{Client: acctest.NewClient(t, srv, ncplocal.DefaultCredential), Region: "KR", Wait: acctest.TestWaitConfig}
	var cresp fwresource.ConfigureResponse
	rc, ok := r.(fwresource.ResourceWithConfigure)
	if !ok {
		t.Fatal("the resource has no Configure method")
	}
	rc.Configure(ctx, fwresource.ConfigureRequest{ProviderData: meta}, &cresp)
	if cresp.Diagnostics.HasError() {
		t.Fatalf("Configure: %v", cresp.Diagnostics)
	}
	return &resourceHarness{r: r, schema: sresp.Schema}
}

// state builds a state from attribute values; missing attributes are null.
func (h *resourceHarness) state(t *testing.T, ctx context.Context, attrs map[string]any) tfsdk.State {
	t.Helper()
	typ, ok := h.schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatalf("schema type %T is not an object", h.schema.Type().TerraformType(ctx))
	}
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for k, at := range typ.AttributeTypes {
		vals[k] = tftypes.NewValue(at, attrs[k])
	}
	return tfsdk.State{Schema: h.schema, Raw: tftypes.NewValue(typ, vals)}
}

// read calls Read on state as the framework would.
func (h *resourceHarness) read(ctx context.Context, state tfsdk.State) fwresource.ReadResponse {
	resp := fwresource.ReadResponse{State: state}
	h.r.Read(ctx, fwresource.ReadRequest{State: state}, &resp)
	return resp
}

func stringAttr(t *testing.T, ctx context.Context, s tfsdk.State, name string) *string {
	t.Helper()
	var v *string
	if d := s.GetAttribute(ctx, path.Root(name), &v); d.HasError() {
		t.Fatalf("reading %s: %v", name, d)
	}
	return v
}

// TestBucketRead_OneCall measures Read: a refresh is exactly one HeadBucket
// call, and an import adds exactly one ListBuckets for creation_date.
func TestBucketRead_OneCall(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	srv := acctest.StartServer(t)
	conn := newConn(t, srv, ncplocal.DefaultCredential)
	h := newResourceHarness(t, srv)
	name := bucketName("read")
	if err := conn.CreateBucket(ctx, name); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	created, err := conn.FindBucketCreationDate(ctx, name)
	if err != nil {
		t.Fatalf("FindBucketCreationDate: %v", err)
	}
	want := objectstorage.FormatCreationDate(created)

	// Refresh of a managed bucket.
	srv.ResetCalls()
	resp := h.read(ctx, h.state(t, ctx, map[string]any{
		"id": name, "bucket_name": name, "force_destroy": true, "creation_date": "2001-02-03T04:05:06Z",
	}))
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() > 0 {
		t.Fatalf("Read: %v", resp.Diagnostics)
	}
	if calls := srv.Calls(); len(calls) != 1 || calls[opHeadBucket] != 1 {
		t.Errorf("a refresh made calls %v, want exactly one HeadBucket", calls)
	}
	if got := stringAttr(t, ctx, resp.State, "creation_date"); got == nil || *got != "2001-02-03T04:05:06Z" {
		t.Errorf("creation_date = %v, want it kept from the state", got)
	}
	var force *bool
	resp.State.GetAttribute(ctx, path.Root("force_destroy"), &force)
	if force == nil || !*force {
		t.Errorf("force_destroy = %v, want true kept from the state", force)
	}

	// Read after import: id, bucket_name and force_destroy only.
	srv.ResetCalls()
	resp = h.read(ctx, h.state(t, ctx, map[string]any{"id": name, "bucket_name": name, "force_destroy": false}))
	if resp.Diagnostics.HasError() {
		t.Fatalf("Read after import: %v", resp.Diagnostics)
	}
	if calls := srv.Calls(); len(calls) != 2 || calls[opHeadBucket] != 1 || calls[opListBuckets] != 1 {
		t.Errorf("a read after import made calls %v, want one HeadBucket and one ListBuckets", calls)
	}
	got := stringAttr(t, ctx, resp.State, "creation_date")
	if got == nil || *got != want || !creationDatePattern.MatchString(*got) {
		t.Errorf("creation_date = %v, want %q", got, want)
	}
}

// TestBucketRead_NotFound: a bucket deleted outside Terraform is removed
// from the state with a warning, after one HeadBucket call.
func TestBucketRead_NotFound(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	srv := acctest.StartServer(t)
	h := newResourceHarness(t, srv)
	name := bucketName("gone")

	resp := h.read(ctx, h.state(t, ctx, map[string]any{
		"id": name, "bucket_name": name, "force_destroy": false, "creation_date": "2001-02-03T04:05:06Z",
	}))
	if resp.Diagnostics.HasError() {
		t.Fatalf("Read: %v", resp.Diagnostics)
	}
	if !resp.State.Raw.IsNull() {
		t.Error("the resource was not removed from the state")
	}
	if !hasWarning(resp.Diagnostics, "Resource not found, removed from state", name) {
		t.Errorf("diagnostics = %v, want a not-found warning naming %s", resp.Diagnostics, name)
	}
	if calls := srv.Calls(); len(calls) != 1 || calls[opHeadBucket] != 1 {
		t.Errorf("calls = %v, want exactly one HeadBucket", calls)
	}
}

// hasWarning reports whether diags holds a warning with summary whose
// detail mentions text.
func hasWarning(diags diag.Diagnostics, summary, text string) bool {
	for _, d := range diags.Warnings() {
		if d.Summary() == summary && strings.Contains(d.Detail(), text) {
			return true
		}
	}
	return false
}

// TestBucketNameValidator checks the plan-time validation on its own.
func TestBucketNameValidator(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	var sresp fwresource.SchemaResponse
	objectstorage.NewBucketResource().Schema(ctx, fwresource.SchemaRequest{}, &sresp)
	attr, ok := sresp.Schema.Attributes["bucket_name"].(schema.StringAttribute)
	if !ok {
		t.Fatalf("bucket_name is a %T, want a string attribute", sresp.Schema.Attributes["bucket_name"])
	}
	v := attr.Validators
	if len(v) != 1 {
		t.Fatalf("bucket_name has %d validators, want 1", len(v))
	}
	for name, wantErr := range map[string]bool{
		"abc": false, "my-bucket.logs": false, "vpc": false, "api": false, "1bucket": false,
		"ab": true, "My-Bucket": true, "my_bucket": true, "192.168.5.4": true, "-bucket": true,
		"bucket-": true, "my..bucket": true, "my.-bucket": true, strings.Repeat("a", 64): true,
		"버킷-abc": true, strings.Repeat("가", 21): true, "ab.c-": true, "1.2.3.4": true, "1.2.3.4.5": false,
	} {
		req := validator.StringRequest{Path: path.Root("bucket_name"), ConfigValue: types.StringValue(name)}
		var resp validator.StringResponse
		v[0].ValidateString(ctx, req, &resp)
		if got := resp.Diagnostics.HasError(); got != wantErr {
			t.Errorf("%q: error = %v, want %v (%v)", name, got, wantErr, resp.Diagnostics)
		}
		if wantErr && resp.Diagnostics.HasError() {
			detail := resp.Diagnostics.Errors()[0].Detail()
			if !strings.HasPrefix(detail, "bucket_name ") || !strings.Contains(detail, "is not a valid Object Storage bucket name: it ") {
				t.Errorf("%q: detail %q does not name the attribute and the rule", name, detail)
			}
		}
	}
}

// TestBucketNameProblems pins the messages of the plan-time check: lengths
// and positions count characters, not bytes, and a character is shown as
// itself (a Hangul character is one character, three bytes in UTF-8).
func TestBucketNameProblems(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"버킷-abc":                `"버" at position 1 is not allowed`,
		"bucket-가":              `"가" at position 8 is not allowed`,
		strings.Repeat("가", 21): `"가" at position 1 is not allowed`,
		strings.Repeat("가", 64): "must be between 3 and 63 characters long (it has 64)",
		"가나":                    "must be between 3 and 63 characters long (it has 2)",
		"My-Bucket":             `"M" at position 1 is not allowed`,
		"bucket-":               "must end with a lowercase letter or a digit",
		"a-.b":                  "must not contain a period next to a hyphen (.- or -.)",
		"192.168.5.4":           "must not be formatted as an IP address",
	} {
		req := validator.StringRequest{Path: path.Root("bucket_name"), ConfigValue: types.StringValue(name)}
		var resp validator.StringResponse
		objectstorage.BucketNameValidator.ValidateString(t.Context(), req, &resp)
		if !resp.Diagnostics.HasError() || !strings.Contains(resp.Diagnostics.Errors()[0].Detail(), want) {
			t.Errorf("%q: diagnostics %v, want an error containing %q", name, resp.Diagnostics, want)
		}
	}
}

// TestBucketNameRulesAgree: the provider's plan-time check and the one
// ncplocal uses (wire.ValidateBucketName) read the same facts and accept
// and refuse the same names.
func TestBucketNameRulesAgree(t *testing.T) {
	t.Parallel()
	names := []string{"abc", "a.b.c", "a-b", "0ab", "ab0", "ab", "a", "", "Abc", "a_b", "a b", "a..b", "a.-b", "a-.b", "-ab", "ab-",
		".ab", "ab.", "1.2.3.4", "1.2.3", "1.2.3.4.5", "999.1.1.1", "1234.1.1.1", strings.Repeat("a", 63), strings.Repeat("a", 64),
		"버킷-abc", "가나다", "abc가", "tf-acc-upload"}
	for _, name := range names {
		req := validator.StringRequest{Path: path.Root("bucket_name"), ConfigValue: types.StringValue(name)}
		var resp validator.StringResponse
		objectstorage.BucketNameValidator.ValidateString(t.Context(), req, &resp)
		if provider, emulator := !resp.Diagnostics.HasError(), wire.ValidateBucketName(name) == nil; provider != emulator {
			t.Errorf("%q: the provider accepts it: %v, wire.ValidateBucketName accepts it: %v", name, provider, emulator)
		}
	}
}

// TestWaitBucketAvailable_LostBucket: a bucket NCP confirmed creating and
// that then answers 404 and is not listed (deleted, or lost, behind the
// provider's back) ends the create wait with a clear error once the grace
// has passed, long before the create timeout; a bucket that answers 404
// but is listed keeps the wait going.
func TestWaitBucketAvailable_LostBucket(t *testing.T) {
	t.Parallel()
	srv := acctest.StartServer(t)
	conn := newConn(t, srv, ncplocal.DefaultCredential)
	name := bucketName("lost")
	if err := conn.CreateBucket(t.Context(), name); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	created := objectstorage.NewCreatedBucket(conn, name, 100*time.Millisecond)
	if err := conn.DeleteBucket(t.Context(), name); err != nil {
		t.Fatalf("DeleteBucket: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cfg := wait.Config{Initial: time.Millisecond, Min: 10 * time.Millisecond, Max: 20 * time.Millisecond, Fraction: 0.1}
	start := time.Now()
	err := objectstorage.WaitBucketAvailable(ctx, cfg, created)
	if err == nil || errors.As(err, new(*wait.TimeoutError)) {
		t.Fatalf("waitBucketAvailable on a lost bucket: %v, want an error before the timeout", err)
	}
	for _, want := range []string{fmt.Sprintf("NCP confirmed creating bucket %q", name), "answered HeadBucket with 404 Not Found",
		"is not in the account's bucket listing", "Apply again to create it anew"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the wait took %s", d)
	}
	// The creation-date wait ends the same way.
	_, err = objectstorage.WaitBucketCreationDate(ctx, cfg, created)
	if err == nil || !strings.Contains(err.Error(), "is not in the account's bucket listing") {
		t.Errorf("waitBucketCreationDate on a lost bucket: %v, want the same error", err)
	}
	if objectstorage.BucketMissingGrace >= framework.DefaultCreateTimeout/4 {
		t.Errorf("the grace (%s) is not well below the create timeout (%s)", objectstorage.BucketMissingGrace, framework.DefaultCreateTimeout)
	}

	// 404 from HeadBucket while the listing shows the bucket: still just
	// "not yet", until HeadBucket shows it.
	listed := bucketName("listed")
	if err := conn.CreateBucket(t.Context(), listed); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	lagging, tr := scriptedConn(t, srv, func(method string, n int) action {
		if method == http.MethodHead && n <= 20 {
			return fakeNotFound
		}
		return pass
	})
	if err := objectstorage.WaitBucketAvailable(ctx, cfg, objectstorage.NewCreatedBucket(lagging, listed, 0)); err != nil {
		t.Fatalf("waitBucketAvailable on a listed bucket that HeadBucket does not show yet: %v", err)
	}
	if got := tr.count(http.MethodHead); got != 21 {
		t.Errorf("%d HeadBucket requests, want 21", got)
	}
}
