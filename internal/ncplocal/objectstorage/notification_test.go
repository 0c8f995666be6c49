package objectstorage

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

func lambdaConfig(id string, events []types.Event, prefix, suffix string) types.LambdaFunctionConfiguration {
	c := types.LambdaFunctionConfiguration{Id: aws.String(id), LambdaFunctionArn: aws.String("cloudfunctions"), Events: events}
	var frs []types.FilterRule
	if prefix != "" {
		frs = append(frs, types.FilterRule{Name: types.FilterRuleNamePrefix, Value: aws.String(prefix)})
	}
	if suffix != "" {
		frs = append(frs, types.FilterRule{Name: types.FilterRuleNameSuffix, Value: aws.String(suffix)})
	}
	if frs != nil {
		c.Filter = &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: frs}}
	}
	return c
}

func putRules(c *s3.Client, bucket string, cfgs ...types.LambdaFunctionConfiguration) error {
	_, err := c.PutBucketNotificationConfiguration(context.Background(), &s3.PutBucketNotificationConfigurationInput{
		Bucket: aws.String(bucket), NotificationConfiguration: &types.NotificationConfiguration{LambdaFunctionConfigurations: cfgs}})
	return err
}

// Bucket event rules through the S3 notification API with aws-sdk-go-v2:
// stored, read back, matched, checked, owned, and gone with the bucket.
func TestBucketEventRules(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "upload")
	ctx := context.Background()

	got, err := alice.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("upload")})
	if err != nil || len(got.LambdaFunctionConfigurations) != 0 {
		t.Fatalf("a new bucket's rules: %+v, %v", got, err)
	}
	if err := putRules(alice, "upload",
		lambdaConfig("mp4", []types.Event{"s3:ObjectCreated:*"}, "in/", ".mp4"),
		lambdaConfig("gone", []types.Event{"s3:ObjectRemoved:Delete"}, "", "")); err != nil {
		t.Fatal(err)
	}
	if e.lastOp() != "objectstorage:PutBucketNotificationConfiguration" {
		t.Errorf("op %q", e.lastOp())
	}
	got, err = alice.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("upload")})
	if err != nil || len(got.LambdaFunctionConfigurations) != 2 {
		t.Fatalf("rules: %+v, %v", got, err)
	}
	l := got.LambdaFunctionConfigurations[0]
	if aws.ToString(l.Id) != "mp4" || aws.ToString(l.LambdaFunctionArn) != "cloudfunctions" || len(l.Events) != 1 ||
		l.Filter == nil || len(l.Filter.Key.FilterRules) != 2 {
		t.Errorf("rule %+v", l)
	}
	r, err := e.svc.EventRule(aliceID, "upload", "mp4")
	if want := (wire.EventRule{Name: "mp4", Events: []string{"s3:ObjectCreated:*"}, Prefix: "in/", Suffix: ".mp4", Target: "cloudfunctions"}); err != nil || !reflect.DeepEqual(r, want) {
		t.Errorf("EventRule: %+v, %v", r, err)
	}
	if _, err := e.svc.EventRule(aliceID, "upload", "nope"); err != ErrNoSuchEventRule {
		t.Errorf("missing rule: %v", err)
	}
	if _, err := e.svc.EventRule(aliceID, "no-bucket", "mp4"); err != ErrNoSuchBucket {
		t.Errorf("missing bucket: %v", err)
	}
	if _, err := e.svc.EventRule(bobID, "upload", "mp4"); err != ErrAccessDenied {
		t.Errorf("another account's bucket: %v", err)
	}
	for _, tc := range []struct{ key, ev, want string }{
		{"in/a.mp4", wire.EventObjectCreatedPut, "mp4"},
		{"in/a.mp4", wire.EventObjectCreatedMultipart, "mp4"},
		{"out/a.mp4", wire.EventObjectCreatedPut, ""},
		{"in/a.mov", wire.EventObjectCreatedPut, ""},
		{"x", wire.EventObjectRemovedDelete, "gone"},
	} {
		if got := strings.Join(e.svc.MatchingEventRules(aliceID, "upload", tc.key, tc.ev), ","); got != tc.want {
			t.Errorf("%s %s matches %q, want %q", tc.ev, tc.key, got, tc.want)
		}
	}
	if n := e.svc.MatchingEventRules(bobID, "upload", "in/a.mp4", wire.EventObjectCreatedPut); n != nil {
		t.Errorf("bob's events match alice's rules: %v", n)
	}

	// Bad configurations, each refused with nothing changed.
	for name, cfg := range map[string]types.LambdaFunctionConfiguration{
		"no id":        {LambdaFunctionArn: aws.String("x"), Events: []types.Event{"s3:ObjectCreated:*"}},
		"no target":    {Id: aws.String("x"), LambdaFunctionArn: aws.String(" "), Events: []types.Event{"s3:ObjectCreated:*"}},
		"no event":     {Id: aws.String("x"), LambdaFunctionArn: aws.String("x"), Events: []types.Event{}},
		"bad event":    lambdaConfig("x", []types.Event{"s3:ObjectRestore:Post"}, "", ""),
		"bad filter":   {Id: aws.String("x"), LambdaFunctionArn: aws.String("x"), Events: []types.Event{"s3:ObjectCreated:*"}, Filter: &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: []types.FilterRule{{Name: "middle", Value: aws.String("v")}}}}},
		"two prefixes": {Id: aws.String("x"), LambdaFunctionArn: aws.String("x"), Events: []types.Event{"s3:ObjectCreated:*"}, Filter: &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: []types.FilterRule{{Name: "prefix", Value: aws.String("a")}, {Name: "Prefix", Value: aws.String("b")}}}}},
	} {
		t.Log(name)
		wantAPIError(t, putRules(alice, "upload", cfg), wire.CodeInvalidArgument, http.StatusBadRequest)
	}
	wantAPIError(t, putRules(alice, "upload", lambdaConfig("d", []types.Event{"s3:ObjectCreated:*"}, "", ""), lambdaConfig("d", []types.Event{"s3:ObjectCreated:*"}, "", "")),
		wire.CodeInvalidArgument, http.StatusBadRequest)
	_, err = alice.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String("upload"),
		NotificationConfiguration: &types.NotificationConfiguration{TopicConfigurations: []types.TopicConfiguration{{TopicArn: aws.String("t"), Events: []types.Event{"s3:ObjectCreated:*"}}}}})
	wantAPIError(t, err, wire.CodeNotImplemented, http.StatusNotImplemented)
	if _, err := e.svc.EventRule(aliceID, "upload", "mp4"); err != nil {
		t.Errorf("a refused configuration changed the rules: %v", err)
	}
	// Bob can neither read nor set alice's rules.
	_, err = e.bob().GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("upload")})
	wantAPIError(t, err, wire.CodeAccessDenied, http.StatusForbidden)
	wantAPIError(t, putRules(e.bob(), "upload"), wire.CodeAccessDenied, http.StatusForbidden)

	// An empty configuration removes every rule; deleting the bucket removes
	// them too.
	if err := putRules(alice, "upload"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.EventRule(aliceID, "upload", "mp4"); err != ErrNoSuchEventRule {
		t.Errorf("after an empty configuration: %v", err)
	}
	if err := putRules(alice, "upload", lambdaConfig("mp4", []types.Event{"s3:ObjectCreated:*"}, "", "")); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("upload")}); err != nil {
		t.Fatal(err)
	}
	mustCreateBucket(t, alice, "upload")
	if _, err := e.svc.EventRule(aliceID, "upload", "mp4"); err != ErrNoSuchEventRule {
		t.Errorf("a re-created bucket kept the rules of the deleted one: %v", err)
	}
}

// Rules survive a restart from the data dir.
func TestBucketEventRulesPersist(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := newTestEnv(t, withDataDir(dir))
	mustCreateBucket(t, e.alice(), "kept")
	if err := putRules(e.alice(), "kept", lambdaConfig("r", []types.Event{"s3:ObjectCreated:Put"}, "p/", "")); err != nil {
		t.Fatal(err)
	}
	snap, err := e.svc.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	again := newTestEnv(t, withDataDir(dir))
	if err := again.svc.Restore(snap); err != nil {
		t.Fatal(err)
	}
	if r, err := again.svc.EventRule(aliceID, "kept", "r"); err != nil || r.Prefix != "p/" {
		t.Errorf("restored rule %+v, %v", r, err)
	}
}

// Object events carry their S3 event name and the activation behind the
// request.
func TestObjectEventNames(t *testing.T) {
	t.Parallel()
	e, alice := newAliceBucket(t, "named")
	var mu sync.Mutex
	var got []string
	defer e.svc.Subscribe(func(ev ObjectEvent) {
		mu.Lock()
		got = append(got, ev.Name+" "+ev.Key+" "+ev.Cause)
		mu.Unlock()
	})()
	mustPut(t, alice, "named", "a", []byte("x"))
	ctx := context.Background()
	if _, err := alice.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("named"), Key: aws.String("b"), CopySource: aws.String("named/a")}); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("named"), Key: aws.String("c"), Body: strings.NewReader("y")},
		s3.WithAPIOptions(func(st *middlewareStack) error { return addHeader(st, ActivationHeader, "act-1") })); err != nil {
		t.Fatal(err)
	}
	if _, err := alice.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("named"), Key: aws.String("a")}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"s3:ObjectCreated:Put a ", "s3:ObjectCreated:Copy b ", "s3:ObjectCreated:Put c act-1", "s3:ObjectRemoved:Delete a "}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events %q", got)
	}
}

type middlewareStack = middleware.Stack

// addHeader sets a request header before signing.
func addHeader(st *middleware.Stack, name, value string) error {
	return st.Build.Add(middleware.BuildMiddlewareFunc("addHeader", func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
		if req, ok := in.Request.(*smithyhttp.Request); ok {
			req.Header.Set(name, value)
		}
		return next.HandleBuild(ctx, in)
	}), middleware.After)
}
