package cloudfunctions

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// decodeStrict decodes b into v refusing unknown fields, so a fixture key
// the wire type does not know fails the test.
func decodeStrict(t *testing.T, b []byte, v any) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		t.Fatalf("decode %T: %v", v, err)
	}
}

// The GET package answer of DOC:compute-cloudfunctions-getpackage (§4.2).
func TestPackageFixture(t *testing.T) {
	t.Parallel()
	var env struct{ Content Package }
	decodeStrict(t, fixture(t, "getPackage.json"), &env)
	p := env.Content
	if p.Name != "package001" || p.Description != "Create package" || p.Platform != "classic" || p.ResourceID != "xS***" ||
		p.Actions == nil || len(p.Actions) != 0 {
		t.Errorf("package %+v", p)
	}
	if want := (map[string]string{"name": "Cloud Funtions", "place": "Naver Cloud Platform"}); !reflect.DeepEqual(p.Parameters.Strings(), want) {
		t.Errorf("parameters %v", p.Parameters)
	}
}

// The v2.1 basic action body (§4.3), decoded and encoded back to the same
// JSON.
func TestActionRequestFixture(t *testing.T) {
	t.Parallel()
	raw := fixture(t, "putAction.basic.json")
	var a ActionRequest
	decodeStrict(t, raw, &a)
	if a.Exec == nil || a.Exec.Kind != "python:3.13" || a.Exec.Main != "main" || !strings.Contains(a.Exec.Code, "def main") ||
		a.Limits == nil || a.Limits.Timeout != 60000 || a.Limits.Memory != 128 ||
		len(a.VPC) != 1 || a.VPC[0] != (VPCLink{VpcNo: 21538, SubnetNo: 45007}) ||
		a.RawHTTP == nil || *a.RawHTTP || a.CustomOptions == nil || *a.CustomOptions || a.Parameters["k"] != "v" {
		t.Errorf("action %+v", a)
	}
	sameJSON(t, raw, a)
}

// The sequence body [C-3p]: components in run order, no limits, no vpc.
func TestSequenceFixture(t *testing.T) {
	t.Parallel()
	raw := fixture(t, "putAction.sequence.json")
	var a ActionRequest
	decodeStrict(t, raw, &a)
	if a.Exec == nil || a.Exec.Kind != KindSequence || !reflect.DeepEqual(a.Exec.Components, []string{"ksj-package/a", "-/b"}) ||
		a.Limits != nil || a.VPC != nil {
		t.Errorf("sequence %+v", a)
	}
	sameJSON(t, raw, a)
}

// The flat v2.1 trigger bodies (§4.4): cron and object_storage.
func TestTriggerRequestFixtures(t *testing.T) {
	t.Parallel()
	var cron TriggerRequest
	raw := fixture(t, "putTrigger.cron.json")
	decodeStrict(t, raw, &cron)
	if cron.CronOption != "0 20 * * 1-5" || cron.Description != "stop" || cron.Parameters["serverNo"] != "145353154" {
		t.Errorf("cron %+v", cron)
	}
	sameJSON(t, raw, cron)
	var os TriggerRequest
	raw = fixture(t, "putTrigger.objectStorage.json")
	decodeStrict(t, raw, &os)
	if len(os.ObjectStorageLink) != 1 || os.ObjectStorageLink[0] != (ObjectStorageLink{"b", "r"}) {
		t.Errorf("object_storage %+v", os)
	}
	sameJSON(t, raw, os)
	var empty TriggerRequest
	if b, _ := json.Marshal(empty); string(b) != "{}" {
		t.Errorf("an empty trigger body is %s, NCP wants {}", b)
	}
	if b, _ := json.Marshal(PackageRequest{}); string(b) != "{}" {
		t.Errorf("an empty package body is %s, NCP wants {}", b)
	}
}

// The GET trigger answer (MCP fixture, §4.4): execOption of a cron trigger.
func TestTriggerFixture(t *testing.T) {
	t.Parallel()
	var env struct{ Content Trigger }
	decodeStrict(t, fixture(t, "getTrigger.cron.json"), &env)
	tr := env.Content
	if tr.Name != "nightly-stop" || tr.TypeName() != TriggerTypeCron ||
		!reflect.DeepEqual(tr.ExecOption, []KeyValue{{Key: "cron", Value: "0 8 * * *"}}) {
		t.Errorf("trigger %+v", tr)
	}
	if (Trigger{TriggerType: "cron"}).TypeName() != "cron" {
		t.Error("TypeName ignores triggerType")
	}
}

func TestLinkFixture(t *testing.T) {
	t.Parallel()
	raw := fixture(t, "linkAction.json")
	var r ActionRef
	decodeStrict(t, raw, &r)
	if r != (ActionRef{Action: "ksj-repo-stop", Package: "ksj-package"}) || r.FullName() != "ksj-package/ksj-repo-stop" {
		t.Errorf("link %+v", r)
	}
	sameJSON(t, raw, r)
	if (ActionRef{Action: "a"}).FullName() != "-/a" {
		t.Error("an action without a package is not -/a")
	}
}

// The fire body of DOC:compute-cloudfunctions-v2-posttrigger: runtime
// parameters as a JSON object.
func TestFireFixture(t *testing.T) {
	t.Parallel()
	var p Parameters
	decodeStrict(t, fixture(t, "fireTrigger.json"), &p)
	if !reflect.DeepEqual(p.Strings(), map[string]string{"name": "Cloud Functions", "place": "NAVER Cloud"}) {
		t.Errorf("fire params %v", p)
	}
}

// The v2.0 action body: web in the body, vpc an object.
func TestActionRequestV20Fixture(t *testing.T) {
	t.Parallel()
	raw := fixture(t, "putActionV20.json")
	var a ActionRequestV20
	decodeStrict(t, raw, &a)
	if a.VPC == nil || *a.VPC != (VPCLink{21538, 45007}) || a.Web == nil || *a.Web || a.Exec.Kind != "nodejs:22" {
		t.Errorf("v2.0 action %+v", a)
	}
	sameJSON(t, raw, a)
	// The v2.1 type refuses the v2.0 vpc object.
	var v21 ActionRequest
	if err := json.Unmarshal(raw, &v21); err == nil {
		t.Error("a v2.0 vpc object decoded as a v2.1 vpc array")
	}
}

// The documented error envelope [C-3p], and the codes' message names and
// statuses.
func TestErrorFixture(t *testing.T) {
	t.Parallel()
	var env apigw.ErrorEnvelope
	decodeStrict(t, fixture(t, "error.missingField.json"), &env)
	if env.Error.ErrorCode != CodeActionBodyMissingField || env.Error.Message != Messages[CodeActionBodyMissingField] ||
		env.Error.Details != "limits.timeout is required" {
		t.Errorf("error %+v", env.Error)
	}
	for code, msg := range Messages {
		if Statuses[code] == 0 {
			t.Errorf("code %s (%s) has no HTTP status", code, msg)
		}
	}
	if len(Statuses) != len(Messages) {
		t.Errorf("%d statuses for %d messages", len(Statuses), len(Messages))
	}
	for _, c := range []string{CodePackageNotFound, CodeActionNotFound, CodeTriggerNotFound, CodeActionActivationNotFound} {
		if !strings.HasSuffix(Messages[c], NotFoundSuffix) || Statuses[c] != 404 {
			t.Errorf("%s: %s %d", c, Messages[c], Statuses[c])
		}
	}
}

func TestNamePattern(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(NamePattern)
	for name, ok := range map[string]bool{
		"a": true, "package001": true, "_x": true, "A-b_C9": true, strings.Repeat("a", 50): true,
		"": false, "-a": false, "a.b": false, "a b": false, strings.Repeat("a", 51): false, "한글": false,
	} {
		if re.MatchString(name) != ok {
			t.Errorf("%q: match %v, want %v", name, !ok, ok)
		}
	}
}

func TestFacts(t *testing.T) {
	t.Parallel()
	for _, k := range SupportedKinds {
		if IsDeprecatedKind(k) {
			t.Errorf("%s is both supported and deprecated", k)
		}
	}
	if !IsSupportedKind("python:3.13") || IsSupportedKind("python:3.11") || !IsDeprecatedKind("python:3.11") {
		t.Error("kind lists")
	}
	got := Merge(Parameters{"a": "pkg", "b": "pkg", "c": "pkg", "d": "pkg"}, Parameters{"b": "act", "c": "act", "d": "act"},
		Parameters{"c": "trg", "d": "trg"}, Parameters{"d": "run"})
	if !reflect.DeepEqual(got, Parameters{"a": "pkg", "b": "act", "c": "trg", "d": "run"}) {
		t.Errorf("merge %v", got)
	}
	if s := (Parameters{"n": float64(1), "o": map[string]any{"x": true}}).Strings(); s["n"] != "1" || s["o"] != `{"x":true}` {
		t.Errorf("strings %v", s)
	}
}

// sameJSON fails unless v encodes to the same JSON value as want.
func sameJSON(t *testing.T, want []byte, v any) {
	t.Helper()
	got, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal(want, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(got, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("encoded\n%s\nwant\n%s", got, want)
	}
}
