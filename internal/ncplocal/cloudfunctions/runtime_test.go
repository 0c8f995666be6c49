package cloudfunctions_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cloudfunctions/runtime"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

func needPython(t *testing.T) {
	t.Helper()
	if runtime.FindRunner().Python == "" {
		t.Fatalf("python3 is needed to run actions: %s", runtime.InstallHint)
	}
}

const echoPy = "def main(args):\n    return dict(args)\n"

// Parameters merge package < action < trigger < runtime, invoke returns
// the result, and activations list with paging, window and detail.
func TestInvokeFireAndActivations(t *testing.T) {
	t.Parallel()
	needPython(t)
	e := newEnv(t).withSubnet()
	ctx := context.Background()
	if _, err := e.cf.PutPackage(ctx, "pkg", &wire.PackageRequest{Parameters: wire.Parameters{"P": "pkg", "A": "pkg", "T": "pkg", "R": "pkg"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.PutAction(ctx, "pkg", "echo", "", e.pyAction(echoPy, wire.Parameters{"A": "act", "T": "act", "R": "act"})); err != nil {
		t.Fatal(err)
	}
	res, err := e.cf.InvokeAction(ctx, "pkg", "echo", 60*time.Second, wire.Parameters{"R": "run"})
	if err != nil || res.Response == nil || !res.Response.Success {
		t.Fatalf("invoke: %+v, %v", res, err)
	}
	want := map[string]any{"P": "pkg", "A": "act", "T": "act", "R": "run"}
	for k, v := range want {
		if res.Response.Result[k] != v {
			t.Errorf("invoke result %v, want %v", res.Response.Result, want)
			break
		}
	}
	// 31 February: a schedule that never comes, so that only the fire
	// below runs the action.
	if _, err := e.cf.PutTrigger(ctx, "trg", wire.TriggerTypeCron, &wire.TriggerRequest{CronOption: "0 0 31 2 *",
		Parameters: wire.Parameters{"T": "trg", "R": "trg"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.LinkAction(ctx, "trg", wire.ActionRef{Package: "pkg", Action: "echo"}); err != nil {
		t.Fatal(err)
	}
	fired, err := e.cf.FireTrigger(ctx, "trg", wire.Parameters{"R": "run"})
	if err != nil || fired.ActivationID == "" {
		t.Fatalf("fire: %+v, %v", fired, err)
	}
	acts := waitActivations(t, func() (*wire.ActivationList, error) {
		return e.cf.ListActionActivations(ctx, "pkg", "echo", cfclient.ActivationQuery{})
	}, 2)
	if len(acts) != 2 {
		t.Fatalf("%d action activations, want 2", len(acts))
	}
	byTrigger := acts[0] // newest first
	if byTrigger.Cause != fired.ActivationID || byTrigger.Response.Result["T"] != "trg" || byTrigger.Response.Result["R"] != "run" ||
		byTrigger.Response.Result["A"] != "act" || byTrigger.Response.Result["P"] != "pkg" {
		t.Errorf("the trigger's action activation: %+v", byTrigger)
	}
	if acts[1].ActivationID != res.ActivationID || acts[0].Start < acts[1].Start || acts[1].Name != "pkg/echo" || acts[1].Kind != "python:3.13" {
		t.Errorf("activation order or names: %+v", acts)
	}
	tacts, err := e.cf.ListTriggerActivations(ctx, "trg", cfclient.ActivationQuery{})
	if err != nil || tacts.TotalCount != 1 || tacts.Activations[0].ActivationID != fired.ActivationID ||
		!strings.Contains(strings.Join(tacts.Activations[0].Logs, ""), byTrigger.ActivationID) {
		t.Errorf("trigger activations: %+v, %v", tacts, err)
	}
	if d, err := e.cf.GetTriggerActivation(ctx, "trg", fired.ActivationID); err != nil || !d.Response.Success {
		t.Errorf("trigger activation detail: %+v, %v", d, err)
	}
	d, err := e.cf.GetActionActivation(ctx, "pkg", "echo", res.ActivationID)
	if err != nil || d.End < d.Start || d.Duration != d.End-d.Start || d.Response.Status != "success" {
		t.Errorf("detail: %+v, %v", d, err)
	}
	_, err = e.cf.GetActionActivation(ctx, "pkg", "echo", fired.ActivationID)
	wantCode(t, "a trigger activation read as the action's", err, wire.CodeActionActivationNotFound, "")
	_, err = e.cf.GetTriggerActivation(ctx, "trg", res.ActivationID)
	wantCode(t, "an action activation read as the trigger's", err, wire.CodeTriggerActivationNotFound, "")

	// Paging and the ms-epoch window.
	all, err := e.cf.ListActivations(ctx, cfclient.ActivationQuery{})
	if err != nil || all.TotalCount != 3 {
		t.Fatalf("all activations: %+v, %v", all, err)
	}
	p2, err := e.cf.ListActivations(ctx, cfclient.ActivationQuery{PageNo: 2, PageSize: 2})
	if err != nil || p2.TotalCount != 3 || len(p2.Activations) != 1 || p2.Activations[0].ActivationID != all.Activations[2].ActivationID {
		t.Errorf("page 2 of 2: %+v, %v", p2, err)
	}
	future, err := e.cf.ListActivations(ctx, cfclient.ActivationQuery{Start: time.Now().Add(time.Hour)})
	if err == nil {
		t.Errorf("a window starting after it ends: %+v", future)
	}
	window, err := e.cf.ListActivations(ctx, cfclient.ActivationQuery{Start: time.UnixMilli(all.Activations[0].Start), End: time.Now().Add(time.Minute)})
	if err != nil || window.TotalCount < 1 || window.TotalCount > 3 || window.Activations[0].ActivationID != all.Activations[0].ActivationID {
		t.Errorf("window: %+v, %v", window, err)
	}
	_, err = e.cf.ListActivations(ctx, cfclient.ActivationQuery{Start: time.Now().Add(-90 * 24 * time.Hour), End: time.Now().Add(-60 * 24 * time.Hour)})
	wantCode(t, "a window older than a month", err, wire.CodeInvalidQuery, "")
	for _, q := range []string{"pageNo=0", "pageSize=0", "pageSize=101", "start=yesterday", "end=-1"} {
		req := &client.JSONRequest{API: cfclient.API, Operation: "listActivations", Path: wire.PathActivations, Query: queryOf("x?" + q)}
		_, err := newCore(t, e.srv.URL(), ncplocal.DefaultCredential.SecretKey).DoJSON(ctx, req, nil)
		wantCode(t, q, err, wire.CodeInvalidQuery, "")
	}
}

// Failures, time limits, non-blocking invokes and sequences that stop at
// the first error.
func TestActivationOutcomes(t *testing.T) {
	t.Parallel()
	needPython(t)
	e := newEnv(t).withSubnet()
	ctx := context.Background()
	put := func(name, code string, timeout int) {
		t.Helper()
		r := e.pyAction(code, nil)
		r.Limits.Timeout = timeout
		if _, err := e.cf.PutAction(ctx, "-", name, "", r); err != nil {
			t.Fatal(err)
		}
	}
	put("boom", "def main(args):\n    raise ValueError('the input is bad')\n", 30000)
	put("slow", "import time\ndef main(args):\n    time.sleep(5)\n    return {}\n", 500)
	put("double", "def main(args):\n    return {'n': args.get('n', 1) * 2}\n", 30000)
	put("logs", "def main(args):\n    print('hello from the action')\n    return {}\n", 30000)

	res, err := e.cf.InvokeAction(ctx, "-", "boom", 60*time.Second, nil)
	if err != nil || res.Response == nil || res.Response.Success || !strings.Contains(fmt.Sprint(res.Response.Result["error"]), "the input is bad") ||
		res.Response.Status != string(runtime.ApplicationError) {
		t.Errorf("raise: %+v, %v", res.Response, err)
	}
	res, err = e.cf.InvokeAction(ctx, "-", "slow", 60*time.Second, nil)
	if err != nil || res.Response == nil || !strings.Contains(fmt.Sprint(res.Response.Result["error"]), "exceeded its time limits of 500 milliseconds") {
		t.Errorf("time limit: %+v, %v", res.Response, err)
	}
	res, err = e.cf.InvokeAction(ctx, "-", "logs", 0, nil)
	if err != nil || res.ActivationID == "" || res.Response != nil {
		t.Errorf("timeout=0 answers the id alone: %+v, %v", res, err)
	}
	var d *wire.Activation
	for i := 0; i < 600; i++ {
		if d, err = e.cf.GetActionActivation(ctx, "-", "logs", res.ActivationID); err == nil {
			break
		}
		wantCode(t, "detail while running", err, wire.CodeActionActivationNotFound, "")
		time.Sleep(50 * time.Millisecond)
	}
	if d == nil || len(d.Logs) != 1 || !strings.Contains(d.Logs[0], "stdout: hello from the action") {
		t.Errorf("logs: %+v", d)
	}
	if _, err := e.cf.PutAction(ctx, "-", "seq", wire.ActionTypeSequence, &wire.ActionRequest{Parameters: wire.Parameters{"n": 3},
		Exec: &wire.Exec{Kind: wire.KindSequence, Components: []string{"-/double", "-/double", "-/boom", "-/double"}}}); err != nil {
		t.Fatal(err)
	}
	res, err = e.cf.InvokeAction(ctx, "-", "seq", 60*time.Second, nil)
	if err != nil || res.Response == nil || res.Response.Success || !strings.Contains(fmt.Sprint(res.Response.Result["error"]), "the input is bad") {
		t.Fatalf("sequence: %+v, %v", res, err)
	}
	seq, err := e.cf.GetActionActivation(ctx, "-", "seq", res.ActivationID)
	if err != nil || len(seq.Logs) != 3 || seq.Kind != wire.KindSequence {
		t.Fatalf("sequence activation: %+v, %v", seq, err)
	}
	first, err := e.cf.GetActionActivation(ctx, "-", "double", seq.Logs[0])
	second, err2 := e.cf.GetActionActivation(ctx, "-", "double", seq.Logs[1])
	if err != nil || err2 != nil || first.Response.Result["n"] != float64(6) || second.Response.Result["n"] != float64(12) || first.Cause != seq.ActivationID {
		t.Errorf("steps: %+v %+v (%v %v)", first, second, err, err2)
	}
	if l, _ := e.cf.ListActionActivations(ctx, "-", "double", cfclient.ActivationQuery{}); l.TotalCount != 2 {
		t.Errorf("the step after the error ran: %d activations of double", l.TotalCount)
	}
	_, err = e.cf.InvokeAction(ctx, "-", "nope", time.Second, nil)
	wantCode(t, "invoke a missing action", err, wire.CodeActionNotFound, "")
	bad := &client.JSONRequest{API: cfclient.API, Operation: "invokeAction", Method: http.MethodPost, Path: wire.PathAction,
		PathParams: []string{"-", "double"}, Query: queryOf("x?timeout=60001"), Body: map[string]any{}}
	_, err = newCore(t, e.srv.URL(), ncplocal.DefaultCredential.SecretKey).DoJSON(ctx, bad, nil)
	wantCode(t, "timeout 60001", err, wire.CodeInvalidQuery, "timeout")
	bad.Query, bad.Body = queryOf(""), rawJSON(`[1,2]`)
	_, err = newCore(t, e.srv.URL(), ncplocal.DefaultCredential.SecretKey).DoJSON(ctx, bad, nil)
	wantCode(t, "params that are not an object", err, wire.CodeActionInvalidParams, "")
}

// API v2.0 paths with their body differences: web in the body, vpc an
// object, the trigger wrapped, platform classic by default, KST windows.
func TestAPIv20(t *testing.T) {
	t.Parallel()
	needPython(t)
	e := newEnv(t).withSubnet()
	ctx := context.Background()
	core := newCore(t, e.srv.URL(), ncplocal.DefaultCredential.SecretKey)
	do := func(op, method, path string, params []string, query string, body, out any) error {
		q := queryOf("x?" + query)
		q.Del(wire.ParamPlatform)
		if strings.Contains(query, "platform=") {
			q.Set(wire.ParamPlatform, queryOf("x?"+query).Get(wire.ParamPlatform))
		}
		_, err := core.DoJSON(ctx, &client.JSONRequest{API: cfclient.API, Operation: op, Method: method, Path: path,
			PathParams: params, Query: q, Body: body}, out)
		return err
	}
	v20 := func(p string) string { return wire.PathPrefixV20 + strings.TrimPrefix(p, wire.PathPrefix) }
	if err := do("putPackage", "PUT", v20(wire.PathPackage), []string{"old"}, "", map[string]any{}, nil); err != nil {
		t.Fatal(err)
	}
	var pkg wire.Package
	if err := do("getPackage", "GET", v20(wire.PathPackage), []string{"old"}, "", nil, &pkg); err != nil || pkg.Platform != wire.PlatformClassic {
		t.Errorf("v2.0 package: %+v, %v", pkg, err)
	}
	_, err := e.cf.GetPackage(ctx, "old")
	wantCode(t, "a classic package read on vpc", err, wire.CodePackagePlatformMismatch, "classic")
	classic := map[string]any{"exec": map[string]any{"kind": "python:3.13", "code": echoPy}, "limits": map[string]any{"timeout": 5000, "memory": 128}, "web": false}
	var act wire.Action
	if err := do("putAction", "PUT", v20(wire.PathAction), []string{"old", "echo"}, "", classic, &act); err != nil || act.Type != wire.ActionTypeBasic {
		t.Fatalf("v2.0 classic action: %+v, %v", act, err)
	}
	err = do("putAction", "PUT", v20(wire.PathAction), []string{"old", "echo"}, "type=basic", classic, nil)
	wantCode(t, "a type query on v2.0", err, wire.CodeInvalidQuery, "")
	classic["vpc"] = map[string]any{"vpcNo": e.vpcNo, "subnetNo": e.subnetNo}
	err = do("putAction", "PUT", v20(wire.PathAction), []string{"old", "echo"}, "", classic, nil)
	wantCode(t, "vpc on classic", err, wire.CodeActionInvalidField, "vpc")
	if err := do("putAction", "PUT", v20(wire.PathAction), []string{"-", "vpcecho"}, "platform=vpc", classic, &act); err != nil ||
		len(act.VPC) != 1 || act.VPC[0].SubnetNo != e.subnetNo {
		t.Fatalf("v2.0 vpc action with a vpc object: %+v, %v", act, err)
	}
	if a, err := e.cf.GetAction(ctx, "-", "vpcecho"); err != nil || a.VPC[0].VpcNo != e.vpcNo {
		t.Errorf("the v2.0 action read through v2.1: %+v, %v", a, err)
	}
	var inv wire.InvokeResult
	if err := do("invokeAction", "POST", v20(wire.PathAction), []string{"old", "echo"}, "", map[string]any{"x": "y"}, &inv); err != nil ||
		inv.Response == nil || inv.Response.Result["x"] != "y" {
		t.Errorf("v2.0 invoke: %+v, %v", inv, err)
	}
	wrapped := map[string]any{"trigger": map[string]any{"cronOption": "0 8 * * *", "description": "d"}}
	var tr wire.Trigger
	if err := do("putTrigger", "PUT", v20(wire.PathTrigger), []string{"oldcron"}, "type=cron", wrapped, &tr); err != nil ||
		tr.TypeName() != wire.TriggerTypeCron || tr.Description != "d" {
		t.Errorf("v2.0 trigger: %+v, %v", tr, err)
	}
	err = do("putTrigger", "PUT", v20(wire.PathTrigger), []string{"oldos"}, "type=object_storage", wrapped, nil)
	wantCode(t, "object_storage on v2.0", err, wire.CodeInvalidQuery, "")
	err = do("putTrigger", "PUT", v20(wire.PathTrigger), []string{"oldcron2"}, "type=cron", map[string]any{"cronOption": "0 8 * * *"}, nil)
	wantCode(t, "a flat body on v2.0", err, wire.CodeTriggerInvalidField, "")
	kst := func(t time.Time) string { return t.In(wire.CronLocation).Format(wire.TimeLayoutV20) }
	var list wire.ActivationList
	if err := do("listActivations", "GET", v20(wire.PathActivations), nil,
		"start="+kst(time.Now().Add(-time.Hour))+"&end="+kst(time.Now().Add(time.Minute)), nil, &list); err != nil || list.TotalCount != 1 {
		t.Errorf("v2.0 activations in a KST window: %+v, %v", list, err)
	}
	err = do("listActivations", "GET", v20(wire.PathActivations), nil, "start=1700000000000", nil, nil)
	wantCode(t, "an ms-epoch start on v2.0", err, wire.CodeInvalidQuery, "yyyy-MM-dd")
}

// nodejs:* actions run on node, with the same parameters and environment.
func TestNodeAction(t *testing.T) {
	t.Parallel()
	if runtime.FindRunner().Node == "" {
		t.Fatalf("node is needed to run nodejs actions: %s", runtime.InstallHint)
	}
	e := newEnv(t).withSubnet()
	ctx := context.Background()
	r := e.pyAction("function main(p) { return {greeting: 'hello ' + p.name, url: process.env.NCPLOCAL_URL || ''} }", wire.Parameters{"name": "pkg"})
	r.Exec.Kind = "nodejs:22"
	if _, err := e.cf.PutAction(ctx, "-", "hello", "", r); err != nil {
		t.Fatal(err)
	}
	res, err := e.cf.InvokeAction(ctx, "-", "hello", time.Minute, wire.Parameters{"name": "node"})
	if err != nil || res.Response == nil || res.Response.Result["greeting"] != "hello node" ||
		!strings.HasPrefix(fmt.Sprint(res.Response.Result["url"]), "http://127.0.0.1:") || res.Response.Result["url"] == e.srv.URL() {
		t.Errorf("node action: %+v, %v", res, err)
	}
}
