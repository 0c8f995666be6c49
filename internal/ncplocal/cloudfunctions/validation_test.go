package cloudfunctions_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

func TestPackages(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withSubnet()
	ctx := context.Background()
	p, err := e.cf.PutPackage(ctx, "pkg1", nil)
	if err != nil || p.Name != "pkg1" || p.Description != "" || len(p.Parameters) != 0 {
		t.Fatalf("put {}: %+v, %v", p, err)
	}
	p, err = e.cf.PutPackage(ctx, "pkg1", &wire.PackageRequest{Description: "Create package",
		Parameters: wire.Parameters{"name": "Cloud Funtions", "place": "Naver Cloud Platform"}})
	if err != nil || p.Description != "Create package" || p.Parameters["place"] != "Naver Cloud Platform" {
		t.Fatalf("update: %+v, %v", p, err)
	}
	got, err := e.cf.GetPackage(ctx, "pkg1")
	if err != nil || got.Platform != wire.PlatformVPC || got.Actions == nil || len(got.Actions) != 0 || got.Parameters["name"] != "Cloud Funtions" {
		t.Fatalf("get: %+v, %v", got, err)
	}
	// A PUT sets the whole package: the description left out is cleared.
	if p, err := e.cf.PutPackage(ctx, "pkg1", &wire.PackageRequest{Parameters: wire.Parameters{"a": "b"}}); err != nil || p.Description != "" || len(p.Parameters) != 1 {
		t.Errorf("replace: %+v, %v", p, err)
	}
	l, err := e.cf.ListPackages(ctx)
	if err != nil || l.TotalCount != 1 || l.Packages[0].Name != "pkg1" {
		t.Errorf("list: %+v, %v", l, err)
	}
	for _, name := range []string{"-bad", "has space", strings.Repeat("x", 51), "dot.ted"} {
		_, err := e.cf.PutPackage(ctx, name, nil)
		wantCode(t, "package "+name, err, wire.CodeInvalidName, wire.NameRule)
	}
	if _, err := e.cf.PutPackage(ctx, strings.Repeat("x", 50), nil); err != nil {
		t.Errorf("a 50-character name: %v", err)
	}
	_, err = e.cf.PutPackage(ctx, "pkg2", &wire.PackageRequest{Description: strings.Repeat("가", 1001)}) // 3003 bytes
	wantCode(t, "long description", err, wire.CodePackageInvalidField, "3000")

	if _, err := e.cf.PutAction(ctx, "pkg1", "a1", wire.ActionTypeBasic, e.pyAction("def main(a):\n  return a\n", nil)); err != nil {
		t.Fatal(err)
	}
	got, _ = e.cf.GetPackage(ctx, "pkg1")
	if len(got.Actions) != 1 || got.Actions[0].Name != "a1" {
		t.Errorf("the package's actions: %+v", got.Actions)
	}
	wantCode(t, "delete non-empty", e.cf.DeletePackage(ctx, "pkg1"), wire.CodePackageNotEmpty, "1 actions")
	if err := e.cf.DeleteAction(ctx, "pkg1", "a1"); err != nil {
		t.Fatal(err)
	}
	if err := e.cf.DeletePackage(ctx, "pkg1"); err != nil {
		t.Fatal(err)
	}
	_, err = e.cf.GetPackage(ctx, "pkg1")
	wantCode(t, "get deleted", err, wire.CodePackageNotFound, "")
	if !client.IsNotFound(err) {
		t.Errorf("a deleted package is not client.IsNotFound: %v", err)
	}
	wantCode(t, "delete missing", e.cf.DeletePackage(ctx, "pkg1"), wire.CodePackageNotFound, "")
}

// Names are unique across packages, actions and triggers.
func TestNamesUniqueAcrossKinds(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withSubnet()
	ctx := context.Background()
	if _, err := e.cf.PutPackage(ctx, "shared", nil); err != nil {
		t.Fatal(err)
	}
	_, err := e.cf.PutAction(ctx, "-", "shared", "", e.pyAction("def main(a): return a", nil))
	wantCode(t, "action named like a package", err, wire.CodeNameDuplicated, "package")
	_, err = e.cf.PutTrigger(ctx, "shared", wire.TriggerTypeCron, &wire.TriggerRequest{CronOption: "0 8 * * *"})
	wantCode(t, "trigger named like a package", err, wire.CodeNameDuplicated, "package")
	if _, err := e.cf.PutAction(ctx, "-", "act", "", e.pyAction("def main(a): return a", nil)); err != nil {
		t.Fatal(err)
	}
	_, err = e.cf.PutPackage(ctx, "act", nil)
	wantCode(t, "package named like an action", err, wire.CodeNameDuplicated, "action -/act")
	_, err = e.cf.PutAction(ctx, "shared", "act", "", e.pyAction("def main(a): return a", nil))
	wantCode(t, "an action of the same name in another package", err, wire.CodeNameDuplicated, "")
	if _, err := e.cf.PutTrigger(ctx, "trg", wire.TriggerTypeCron, &wire.TriggerRequest{CronOption: "0 8 * * *"}); err != nil {
		t.Fatal(err)
	}
	_, err = e.cf.PutAction(ctx, "-", "trg", "", e.pyAction("def main(a): return a", nil))
	wantCode(t, "action named like a trigger", err, wire.CodeNameDuplicated, "trigger")
	if !client.IsConflict(err) {
		t.Errorf("a taken name is not a conflict: %v", err)
	}
	// Updating an object under its own name is no conflict.
	if _, err := e.cf.PutAction(ctx, "-", "act", "", e.pyAction("def main(a): return {}", nil)); err != nil {
		t.Errorf("update: %v", err)
	}
}

// Every documented rule of an action body, with its code.
func TestActionValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withSubnet()
	ctx := context.Background()
	if _, err := e.cf.PutPackage(ctx, "p", nil); err != nil {
		t.Fatal(err)
	}
	ok := func() *wire.ActionRequest { return e.pyAction("def main(a): return a", nil) }
	cases := []struct {
		name, typ string
		edit      func(r *wire.ActionRequest)
		code      string
		detail    string
	}{
		{"no limits", "", func(r *wire.ActionRequest) { r.Limits = nil }, wire.CodeActionBodyMissingField, "limits.timeout is required"},
		{"no memory", "", func(r *wire.ActionRequest) { r.Limits.Memory = 0 }, wire.CodeActionBodyMissingField, "limits.memory is required"},
		{"timeout 499", "", func(r *wire.ActionRequest) { r.Limits.Timeout = 499 }, wire.CodeActionInvalidField, "500 to 300000"},
		{"timeout 300001", "", func(r *wire.ActionRequest) { r.Limits.Timeout = 300001 }, wire.CodeActionInvalidField, "limits.timeout"},
		{"memory 300", "", func(r *wire.ActionRequest) { r.Limits.Memory = 300 }, wire.CodeActionInvalidField, "limits.memory"},
		{"no exec", "", func(r *wire.ActionRequest) { r.Exec = nil }, wire.CodeActionBodyMissingField, "exec.kind"},
		{"no code", "", func(r *wire.ActionRequest) { r.Exec.Code = "" }, wire.CodeActionBodyMissingField, "exec.code"},
		{"deprecated kind", "", func(r *wire.ActionRequest) { r.Exec.Kind = "python:3.11" }, wire.CodeActionUnsupportedKind, "deprecated"},
		{"unknown kind", "", func(r *wire.ActionRequest) { r.Exec.Kind = "cobol:85" }, wire.CodeActionUnsupportedKind, "not supported"},
		{"java without binary", "", func(r *wire.ActionRequest) { r.Exec.Kind = "java:21" }, wire.CodeActionInvalidField, "binary"},
		{"no vpc", "", func(r *wire.ActionRequest) { r.VPC = nil }, wire.CodeActionBodyMissingField, "vpc is required"},
		{"unknown vpc", "", func(r *wire.ActionRequest) { r.VPC[0].VpcNo = 999999 }, wire.CodeActionVpcNotFound, "999999"},
		{"unknown subnet", "", func(r *wire.ActionRequest) { r.VPC[0].SubnetNo = 999999 }, wire.CodeActionSubnetNotFound, "999999"},
		{"subnet as vpc", "", func(r *wire.ActionRequest) { r.VPC[0].VpcNo = r.VPC[0].SubnetNo }, wire.CodeActionVpcNotFound, ""},
		{"raw-http on basic", "", func(r *wire.ActionRequest) { r.RawHTTP = new(bool); *r.RawHTTP = true }, wire.CodeActionInvalidField, "web"},
		{"long description", "", func(r *wire.ActionRequest) { r.Description = strings.Repeat("d", 3001) }, wire.CodeActionInvalidField, "3000"},
		{"sequence with code", wire.ActionTypeSequence, func(r *wire.ActionRequest) {}, wire.CodeActionInvalidField, "sequence"},
		{"sequence without components", wire.ActionTypeSequence, func(r *wire.ActionRequest) {
			*r = wire.ActionRequest{Exec: &wire.Exec{Kind: wire.KindSequence}}
		}, wire.CodeActionBodyMissingField, "exec.components"},
		{"missing component", wire.ActionTypeSequence, func(r *wire.ActionRequest) {
			*r = wire.ActionRequest{Exec: &wire.Exec{Kind: wire.KindSequence, Components: []string{"p/nope"}}}
		}, wire.CodeSequenceComponentMissing, "p/nope"},
		{"malformed component", wire.ActionTypeSequence, func(r *wire.ActionRequest) {
			*r = wire.ActionRequest{Exec: &wire.Exec{Kind: wire.KindSequence, Components: []string{"nope"}}}
		}, wire.CodeActionInvalidField, "nope"},
	}
	for _, tc := range cases {
		r := ok()
		tc.edit(r)
		_, err := e.cf.PutAction(ctx, "p", "a", tc.typ, r)
		wantCode(t, tc.name, err, tc.code, tc.detail)
		if !client.IsValidation(err) {
			t.Errorf("%s: not a validation error: %v", tc.name, err)
		}
	}
	if l, _ := e.cf.ListActions(ctx, "p"); l.TotalCount != 0 {
		t.Fatalf("refused bodies made actions: %+v", l)
	}
	_, err := e.cf.PutAction(ctx, "nopkg", "a", "", ok())
	wantCode(t, "missing package", err, wire.CodePackageNotFound, "")
	_, err = e.cf.GetAction(ctx, "p", "a")
	wantCode(t, "missing action", err, wire.CodeActionNotFound, "")

	// Kinds, limits and vpc that are right.
	a, err := e.cf.PutAction(ctx, "p", "a", "", ok())
	if err != nil || a.Type != wire.ActionTypeBasic || a.Exec.Main != "main" || a.Limits.Timeout != 30000 || a.VPC[0].SubnetNo != e.subnetNo {
		t.Fatalf("put: %+v, %v", a, err)
	}
	for _, mem := range []int{128, 512, 1024} {
		r := ok()
		r.Limits = &wire.Limits{Timeout: 500, Memory: mem}
		if _, err := e.cf.PutAction(ctx, "p", "a", "", r); err != nil {
			t.Errorf("memory %d: %v", mem, err)
		}
	}
	_, err = e.cf.PutAction(ctx, "p", "a", wire.ActionTypeWeb, ok())
	wantCode(t, "type change", err, wire.CodeActionTypeMismatch, "basic")
	seq := &wire.ActionRequest{Exec: &wire.Exec{Kind: wire.KindSequence, Components: []string{"p/a", "p/a"}}}
	if s, err := e.cf.PutAction(ctx, "-", "s", wire.ActionTypeSequence, seq); err != nil || s.Type != wire.ActionTypeSequence || len(s.Exec.Components) != 2 {
		t.Fatalf("sequence: %+v, %v", s, err)
	}
	_, err = e.cf.PutAction(ctx, "-", "s", wire.ActionTypeBasic, ok())
	wantCode(t, "sequence to basic", err, wire.CodeActionTypeMismatch, "")
	// Another platform's objects answer with the mismatch codes.
	classic := &client.JSONRequest{API: cfclient.API, Operation: "getAction", Path: wire.PathAction, PathParams: []string{"p", "a"}}
	classic.Query = map[string][]string{wire.ParamPlatform: {wire.PlatformClassic}}
	_, err = newCore(t, e.srv.URL(), ncplocal.DefaultCredential.SecretKey).DoJSON(ctx, classic, nil)
	wantCode(t, "classic get of a vpc package", err, wire.CodePackagePlatformMismatch, "")
}

func TestTriggerValidationAndLinks(t *testing.T) {
	t.Parallel()
	e := newEnv(t).withSubnet()
	ctx := context.Background()
	for _, tc := range []struct{ cron, detail string }{
		{"0 20 * * 1-5", ""}, {"*/5 * * * *", ""}, {"0 0 1 JAN MON", ""},
		{"0 20 * *", "5 fields"}, {"60 * * * *", "minute"}, {"0 24 * * *", "hour"}, {"0 0 0 * *", "day of month"},
		{"0 0 * 13 *", "month"}, {"*/0 * * * *", "step"}, {"0 0 * * * *", "5 fields"},
		{"0 0 * FOO *", "month"}, {"0 0 * * MON-XYZ", "day of week"}, {"0 0 * * 5-1", "ends before it starts"},
	} {
		_, err := e.cf.PutTrigger(ctx, "cron1", wire.TriggerTypeCron, &wire.TriggerRequest{CronOption: tc.cron})
		if tc.detail == "" && err != nil {
			t.Errorf("cron %q: %v", tc.cron, err)
		} else if tc.detail != "" {
			wantCode(t, "cron "+tc.cron, err, wire.CodeTriggerInvalidField, tc.detail)
		}
	}
	_, err := e.cf.PutTrigger(ctx, "cron2", wire.TriggerTypeCron, nil)
	wantCode(t, "cron without option", err, wire.CodeTriggerBodyMissingField, "cronOption")
	_, err = e.cf.PutTrigger(ctx, "cron2", "apigateway", nil)
	wantCode(t, "unknown type", err, wire.CodeInvalidQuery, "type")
	_, err = e.cf.PutTrigger(ctx, "cron2", wire.TriggerTypeCron, &wire.TriggerRequest{CronOption: "0 8 * * *",
		ObjectStorageLink: []wire.ObjectStorageLink{{BucketName: "b", EventRuleName: "r"}}})
	wantCode(t, "another type's field", err, wire.CodeTriggerInvalidField, "objectStorageLink")
	tr, err := e.cf.GetTrigger(ctx, "cron1")
	if err != nil || tr.TypeName() != wire.TriggerTypeCron || len(tr.ExecOption) != 1 || tr.ExecOption[0].Value != "0 0 1 JAN MON" {
		t.Errorf("get cron trigger: %+v, %v", tr, err)
	}
	_, err = e.cf.PutTrigger(ctx, "cron1", wire.TriggerTypeObjectStorage, &wire.TriggerRequest{ObjectStorageLink: []wire.ObjectStorageLink{{BucketName: "b", EventRuleName: "r"}}})
	wantCode(t, "trigger type change", err, wire.CodeTriggerTypeMismatch, "")

	// object_storage triggers need an existing rule on an own bucket.
	os := &wire.TriggerRequest{ObjectStorageLink: []wire.ObjectStorageLink{{BucketName: "cf-upload", EventRuleName: "on-upload"}}}
	_, err = e.cf.PutTrigger(ctx, "ost", wire.TriggerTypeObjectStorage, os)
	wantCode(t, "no bucket", err, wire.CodeTriggerEventRuleNotFound, "cf-upload")
	e.makeBucketRule("cf-upload", "other-rule", "")
	_, err = e.cf.PutTrigger(ctx, "ost", wire.TriggerTypeObjectStorage, os)
	wantCode(t, "no rule", err, wire.CodeTriggerEventRuleNotFound, "on-upload")
	_, err = e.cf.PutTrigger(ctx, "ost", wire.TriggerTypeObjectStorage, &wire.TriggerRequest{})
	wantCode(t, "no link", err, wire.CodeTriggerBodyMissingField, "objectStorageLink")
	os.ObjectStorageLink[0].EventRuleName = "other-rule"
	if _, err := e.cf.PutTrigger(ctx, "ost", wire.TriggerTypeObjectStorage, os); err != nil {
		t.Fatal(err)
	}
	// Another account's bucket of the same name does not count.
	bob := ncplocal.Credential{AccessKey: "bob-key", SecretKey: "bob-secret", AccountID: "bob"}
	srv2 := ncplocal.StartTest(t, ncplocal.Options{Credentials: []ncplocal.Credential{ncplocal.DefaultCredential, bob}})
	e2 := &env{t: t, srv: srv2}
	core := newCore(t, srv2.URL(), ncplocal.DefaultCredential.SecretKey)
	e2.cf = cfclient.New(core)
	e2.os = newOS(t, core)
	e2.makeBucketRule("alice-bucket", "r", "")
	bobCore, _ := client.New(client.Config{AccessKey: bob.AccessKey, SecretKey: bob.SecretKey, Region: "KR",
		Endpoints: client.Endpoints{CloudFunctions: srv2.URL()}, MaxRetries: 1})
	_, err = cfclient.New(bobCore).PutTrigger(ctx, "steal", wire.TriggerTypeObjectStorage,
		&wire.TriggerRequest{ObjectStorageLink: []wire.ObjectStorageLink{{BucketName: "alice-bucket", EventRuleName: "r"}}})
	wantCode(t, "another account's bucket", err, wire.CodeTriggerEventRuleNotFound, "not a bucket of this account")

	// Links: the action must exist; a second link is 80901; unlink of what
	// is not linked is 80902; firing without links is 80512.
	_, err = e.cf.FireTrigger(ctx, "cron1", nil)
	wantCode(t, "fire without links", err, wire.CodeTriggerInvokeFail, "no linked action")
	_, err = e.cf.LinkAction(ctx, "cron1", wire.ActionRef{Action: "nope"})
	wantCode(t, "link a missing action", err, wire.CodeActionNotFound, "")
	if _, err := e.cf.PutAction(ctx, "-", "act", "", e.pyAction("def main(a):\n  return {'got': a}\n", nil)); err != nil {
		t.Fatal(err)
	}
	if r, err := e.cf.LinkAction(ctx, "cron1", wire.ActionRef{Action: "act"}); err != nil || r.Status != wire.LinkStatusActive {
		t.Fatalf("link: %+v, %v", r, err)
	}
	_, err = e.cf.LinkAction(ctx, "cron1", wire.ActionRef{Action: "act", Package: "-"})
	wantCode(t, "duplicate link", err, wire.CodeDuplicatedRule, "already linked")
	if !client.IsConflict(err) {
		t.Errorf("a duplicate link is not a conflict: %v", err)
	}
	tr, _ = e.cf.GetTrigger(ctx, "cron1")
	if len(tr.Actions) != 1 || tr.Actions[0].FullName() != "-/act" {
		t.Errorf("links: %+v", tr.Actions)
	}
	if err := e.cf.UnlinkAction(ctx, "cron1", wire.ActionRef{Action: "act"}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "unlink twice", e.cf.UnlinkAction(ctx, "cron1", wire.ActionRef{Action: "act"}), wire.CodeRuleNotFound, "not linked")
	// Deleting an action drops its links.
	if _, err := e.cf.LinkAction(ctx, "cron1", wire.ActionRef{Action: "act"}); err != nil {
		t.Fatal(err)
	}
	if err := e.cf.DeleteAction(ctx, "-", "act"); err != nil {
		t.Fatal(err)
	}
	if tr, _ := e.cf.GetTrigger(ctx, "cron1"); len(tr.Actions) != 0 {
		t.Errorf("links of a deleted action: %+v", tr.Actions)
	}
	if err := e.cf.DeleteTrigger(ctx, "cron1"); err != nil {
		t.Fatal(err)
	}
	_, err = e.cf.GetTrigger(ctx, "cron1")
	wantCode(t, "deleted trigger", err, wire.CodeTriggerNotFound, "")
}

// 80031 comes from fault injection and is retried by the client.
func TestTryAgainFault(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if err := e.srv.SetFaults([]ncplocal.FaultRule{{Pattern: "^/ncf/api/v2/packages", Rate: 1, Kinds: []string{"code:" + wire.CodeTryAgainLater}}}); err != nil {
		t.Fatal(err)
	}
	noRetry, _ := client.New(client.Config{AccessKey: ncplocal.DefaultCredential.AccessKey, SecretKey: ncplocal.DefaultCredential.SecretKey,
		Region: "KR", Endpoints: client.Endpoints{CloudFunctions: e.srv.URL()}, MaxRetries: -1})
	_, err := cfclient.New(noRetry).PutPackage(context.Background(), "p", nil)
	wantCode(t, "fault", err, wire.CodeTryAgainLater, "")
	if err := e.srv.SetFaults([]ncplocal.FaultRule{{Pattern: "^/ncf/api/v2/packages", Rate: 0.5, Seed: 7, Kinds: []string{"service"}}}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := e.cf.PutPackage(context.Background(), "p", nil); err != nil {
			t.Fatalf("the client does not get past 80031: %v", err)
		}
	}
	if _, injected := e.srv.Faults(); injected == 0 {
		t.Error("no fault was injected")
	}
}

// Unknown and malformed bodies are refused with the operation's code.
func TestBadBodies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	core := newCore(t, e.srv.URL(), ncplocal.DefaultCredential.SecretKey)
	for _, tc := range []struct {
		op, path string
		params   []string
		body     string
		code     string
	}{
		{"putPackage", wire.PathPackage, []string{"p"}, `{"descr":"x"}`, wire.CodePackageInvalidField},
		{"putPackage", wire.PathPackage, []string{"p"}, `[1]`, wire.CodePackageInvalidField},
		{"putAction", wire.PathAction, []string{"-", "a"}, `{"vpc":{"vpcNo":1,"subnetNo":2}}`, wire.CodeActionInvalidField},
		{"putTrigger", wire.PathTrigger + "?type=cron", []string{"t"}, `{"trigger":{"cronOption":"0 8 * * *"}}`, wire.CodeTriggerInvalidField},
	} {
		_, err := core.DoJSON(context.Background(), &client.JSONRequest{API: cfclient.API, Operation: tc.op, Method: http.MethodPut,
			Path: strings.Split(tc.path, "?")[0], PathParams: tc.params, Query: queryOf(tc.path), Body: rawJSON(tc.body)}, nil)
		wantCode(t, tc.op+" "+tc.body, err, tc.code, "")
	}
}
