package cloudfunctions_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cloudfunctions/runtime"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// Packages, actions, triggers, links and activations survive a restart
// from the data dir; an activation cut off by the stop is recorded as
// failed instead of running for ever.
func TestRestartKeepsStateAndEndsRunningActivations(t *testing.T) {
	t.Parallel()
	needPython(t)
	dir := t.TempDir()
	srv := ncplocal.StartTest(t, ncplocal.Options{DataDir: dir})
	e := &env{t: t, srv: srv}
	core := newCore(t, srv.URL(), ncplocal.DefaultCredential.SecretKey)
	e.cf, e.os = cfclient.New(core), newOS(t, core)
	e.vpc = vpcClientOf(core)
	e.withSubnet()
	ctx := context.Background()
	if _, err := e.cf.PutPackage(ctx, "kept", &wire.PackageRequest{Description: "d"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.PutAction(ctx, "kept", "sleepy", "", e.pyAction("import time\ndef main(a):\n    time.sleep(30)\n    return {}\n", nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.PutAction(ctx, "kept", "quick", "", e.pyAction(echoPy, nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.PutTrigger(ctx, "kept-trigger", wire.TriggerTypeCron, &wire.TriggerRequest{CronOption: "0 8 * * *"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.LinkAction(ctx, "kept-trigger", wire.ActionRef{Package: "kept", Action: "quick"}); err != nil {
		t.Fatal(err)
	}
	done, err := e.cf.InvokeAction(ctx, "kept", "quick", time.Minute, wire.Parameters{"n": 1})
	if err != nil {
		t.Fatal(err)
	}
	cut, err := e.cf.InvokeAction(ctx, "kept", "sleepy", 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("closing waited %v for the running action", d)
	}

	again := ncplocal.StartTest(t, ncplocal.Options{DataDir: dir})
	c2 := cfclient.New(newCore(t, again.URL(), ncplocal.DefaultCredential.SecretKey))
	if p, err := c2.GetPackage(ctx, "kept"); err != nil || p.Description != "d" || len(p.Actions) != 2 {
		t.Errorf("package after restart: %+v, %v", p, err)
	}
	if tr, err := c2.GetTrigger(ctx, "kept-trigger"); err != nil || len(tr.Actions) != 1 {
		t.Errorf("trigger after restart: %+v, %v", tr, err)
	}
	if a, err := c2.GetActionActivation(ctx, "kept", "quick", done.ActivationID); err != nil || !a.Response.Success || a.Response.Result["n"] != float64(1) {
		t.Errorf("finished activation after restart: %+v, %v", a, err)
	}
	a, err := c2.GetActionActivation(ctx, "kept", "sleepy", cut.ActivationID)
	if err != nil || a.Response.Status != string(runtime.InternalError) || !strings.Contains(fmt.Sprint(a.Response.Result["error"]), "ncplocal stopped") {
		t.Errorf("cut-off activation after restart: %+v, %v", a, err)
	}
	if inv := again.Inventory(); !strings.Contains(fmt.Sprintf("%+v", inv), "kept-trigger") {
		t.Errorf("inventory: %+v", inv)
	}
}
