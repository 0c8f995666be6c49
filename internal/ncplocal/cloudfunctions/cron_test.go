package cloudfunctions_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cfclient "github.com/ncplabs/terraform-provider-ncp/internal/client/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/cloudfunctions"
	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// manualClock is the scheduler's clock in tests: time moves only by
// Advance, which fires the timers that came due. armed receives once for
// every timer set, so a test knows when the scheduler has handled a tick
// and waits for the next one.
type manualClock struct {
	mu     sync.Mutex
	now    time.Time
	timers map[*manualTimer]bool
	armed  chan struct{}
}

type manualTimer struct {
	at time.Time
	c  chan time.Time
}

var _ cloudfunctions.Clock = (*manualClock)(nil)

func newManualClock(start time.Time) *manualClock {
	return &manualClock{now: start, timers: map[*manualTimer]bool{}, armed: make(chan struct{}, 1024)}
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Timer(d time.Duration) (<-chan time.Time, func()) {
	c.mu.Lock()
	tm := &manualTimer{at: c.now.Add(d), c: make(chan time.Time, 1)}
	if d <= 0 {
		tm.c <- c.now
	} else {
		c.timers[tm] = true
	}
	c.mu.Unlock()
	c.armed <- struct{}{}
	return tm.c, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.timers, tm)
	}
}

// Advance moves the clock by d and fires the timers due by then.
func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for tm := range c.timers {
		if !tm.at.After(c.now) {
			tm.c <- c.now
			delete(c.timers, tm)
		}
	}
}

// awaitArmed waits until the scheduler has set its next timer, that is
// until it has finished with the previous tick.
func (c *manualClock) awaitArmed(t *testing.T) {
	t.Helper()
	select {
	case <-c.armed:
	case <-time.After(30 * time.Second):
		t.Fatal("the cron scheduler did not set its next timer")
	}
}

// tick advances the clock by d and waits until the scheduler is done with
// what came due.
func (c *manualClock) tick(t *testing.T, d time.Duration) {
	t.Helper()
	c.Advance(d)
	c.awaitArmed(t)
}

// newCronEnv starts an ncplocal whose Cloud Functions scheduler runs on a
// manual clock starting at start (the API itself keeps the wall clock, so
// that request signatures stay valid).
func newCronEnv(t *testing.T, start time.Time) (*env, *manualClock) {
	t.Helper()
	needPython(t)
	clock := newManualClock(start)
	srv := ncplocal.StartTest(t, ncplocal.Options{Services: func(env emu.Env) []emu.Service {
		return []emu.Service{cloudfunctions.New(env, cloudfunctions.Deps{Clock: clock})}
	}})
	clock.awaitArmed(t) // the scheduler's first timer
	core := newCore(t, srv.URL(), ncplocal.DefaultCredential.SecretKey)
	// No VPC service: the action's vpc is not looked up.
	return &env{t: t, srv: srv, cf: cfclient.New(core), vpcNo: 1, subnetNo: 1}, clock
}

// triggerActivations lists a trigger's activations (newest first).
func triggerActivations(t *testing.T, e *env, name string) []wire.Activation {
	t.Helper()
	l, err := e.cf.ListTriggerActivations(context.Background(), name, cfclient.ActivationQuery{PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	return l.Activations
}

// startedActions returns the activation ids a trigger activation's logs
// say it started.
func startedActions(t *testing.T, a wire.Activation) []string {
	t.Helper()
	var ids []string
	for _, l := range a.Logs {
		var line struct {
			Action       string `json:"action"`
			Success      bool   `json:"success"`
			ActivationID string `json:"activationId"`
		}
		if err := json.Unmarshal([]byte(l), &line); err != nil || !line.Success {
			t.Errorf("trigger activation %s log line %q: the action did not start (%v)", a.ActivationID, l, err)
			continue
		}
		ids = append(ids, line.ActivationID)
	}
	return ids
}

// A cron trigger fires once at the minute its expression names, read in
// KST, through the path of a manual fire: one trigger activation, the
// linked action run with package < action < trigger parameters and no
// runtime ones. A trigger without links, and one whose hour matches only
// in UTC, do not fire.
func TestCronTriggerFiresOnScheduleInKST(t *testing.T) {
	t.Parallel()
	// 02:57:30 KST on 7 December 2026.
	e, clock := newCronEnv(t, time.Date(2026, 12, 6, 17, 57, 30, 0, time.UTC))
	ctx := context.Background()
	if _, err := e.cf.PutPackage(ctx, "pkg", &wire.PackageRequest{Parameters: wire.Parameters{"P": "pkg", "T": "pkg"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.PutAction(ctx, "pkg", "echo", "", e.pyAction(echoPy, wire.Parameters{"A": "act"})); err != nil {
		t.Fatal(err)
	}
	for name, expr := range map[string]string{"nightly": "0 3 * * *", "utc-hour": "0 18 * * *", "unlinked": "* * * * *"} {
		if _, err := e.cf.PutTrigger(ctx, name, wire.TriggerTypeCron, &wire.TriggerRequest{CronOption: expr,
			Parameters: wire.Parameters{"T": "trig-" + name}}); err != nil {
			t.Fatal(err)
		}
		if name == "unlinked" {
			continue
		}
		if _, err := e.cf.LinkAction(ctx, name, wire.ActionRef{Package: "pkg", Action: "echo"}); err != nil {
			t.Fatal(err)
		}
	}

	for i, want := range []int{0, 0, 1, 1} { // ticks 02:58, 02:59, 03:00, 03:01 KST
		clock.tick(t, time.Minute)
		if got := len(triggerActivations(t, e, "nightly")); got != want {
			t.Fatalf("tick %d (%s KST): nightly has %d activations, want %d", i, clock.Now().In(wire.CronLocation).Format("15:04"), got, want)
		}
	}
	for _, name := range []string{"utc-hour", "unlinked"} {
		if got := triggerActivations(t, e, name); len(got) != 0 {
			t.Errorf("trigger %s fired %d times between 02:58 and 03:01 KST", name, len(got))
		}
	}

	fired := triggerActivations(t, e, "nightly")[0]
	if !fired.Response.Success || fired.Response.Result["T"] != "trig-nightly" {
		t.Errorf("the cron trigger's activation: %+v", fired)
	}
	ids := startedActions(t, fired)
	if len(ids) != 1 {
		t.Fatalf("the cron firing started %d actions, want 1: %q", len(ids), fired.Logs)
	}
	acts := waitActivations(t, func() (*wire.ActivationList, error) {
		return e.cf.ListActionActivations(ctx, "pkg", "echo", cfclient.ActivationQuery{})
	}, 1)
	if len(acts) != 1 || acts[0].ActivationID != ids[0] || acts[0].Cause != fired.ActivationID {
		t.Fatalf("the action's activations: %+v, want the one the trigger started (%s)", acts, ids[0])
	}
	got := acts[0].Response.Result
	for k, v := range map[string]string{"P": "pkg", "A": "act", "T": "trig-nightly"} {
		if got[k] != v {
			t.Errorf("the action ran with %s=%v, want %q (package < action < trigger): %v", k, got[k], v, got)
		}
	}
}

// One activation per tick; after a pause of many minutes the scheduler
// fires once, for the minute it wakes in, not once per missed minute.
// Unlinking stops the firing, linking again resumes it, deleting the
// trigger stops it for good; a sequence is run like an action.
func TestCronTriggerOnePerTickNoCatchUpStopsWhenUnlinkedOrDeleted(t *testing.T) {
	t.Parallel()
	e, clock := newCronEnv(t, time.Date(2026, 12, 7, 0, 0, 10, 0, time.UTC))
	ctx := context.Background()
	if _, err := e.cf.PutAction(ctx, "-", "echo", "", e.pyAction(echoPy, nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.PutAction(ctx, "-", "seq", wire.ActionTypeSequence,
		&wire.ActionRequest{Exec: &wire.Exec{Kind: wire.KindSequence, Components: []string{"-/echo"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.PutTrigger(ctx, "minutely", wire.TriggerTypeCron, &wire.TriggerRequest{CronOption: "* * * * *"}); err != nil {
		t.Fatal(err)
	}
	seq := wire.ActionRef{Package: "-", Action: "seq"}
	if _, err := e.cf.LinkAction(ctx, "minutely", seq); err != nil {
		t.Fatal(err)
	}
	count := func() int { return len(triggerActivations(t, e, "minutely")) }

	for want := 1; want <= 3; want++ {
		clock.tick(t, time.Minute)
		if got := count(); got != want {
			t.Fatalf("after %d ticks: %d activations", want, got)
		}
	}
	clock.Advance(30 * time.Second) // within the minute just handled: no timer is due
	if got := count(); got != 3 {
		t.Fatalf("half a minute later: %d activations, want 3", got)
	}
	clock.tick(t, 10*time.Minute) // a pause: ten minutes missed
	if got := count(); got != 4 {
		t.Fatalf("after a ten-minute pause: %d activations, want 4 (one, no catch-up)", got)
	}

	if err := e.cf.UnlinkAction(ctx, "minutely", seq); err != nil {
		t.Fatal(err)
	}
	clock.tick(t, time.Minute)
	clock.tick(t, time.Minute)
	if got := count(); got != 4 {
		t.Fatalf("unlinked: %d activations, want still 4", got)
	}
	if _, err := e.cf.LinkAction(ctx, "minutely", seq); err != nil {
		t.Fatal(err)
	}
	clock.tick(t, time.Minute)
	if got := count(); got != 5 {
		t.Fatalf("linked again: %d activations, want 5", got)
	}

	// Every firing ran the sequence once (and through it its component).
	seqActs := waitActivations(t, func() (*wire.ActivationList, error) {
		return e.cf.ListActionActivations(ctx, "-", "seq", cfclient.ActivationQuery{PageSize: 100})
	}, 5)
	var started []string
	for _, a := range triggerActivations(t, e, "minutely") {
		started = append(started, startedActions(t, a)...)
	}
	var ran []string
	for _, a := range seqActs {
		if !a.Response.Success {
			t.Errorf("sequence activation %s: %+v", a.ActivationID, a.Response)
		}
		ran = append(ran, a.ActivationID)
	}
	slices.Sort(started)
	slices.Sort(ran)
	if !slices.Equal(started, ran) {
		t.Errorf("the sequence ran %q, the trigger started %q", ran, started)
	}

	if err := e.cf.DeleteTrigger(ctx, "minutely"); err != nil {
		t.Fatal(err)
	}
	clock.tick(t, time.Minute)
	clock.tick(t, time.Minute)
	l, err := e.cf.ListActivations(ctx, cfclient.ActivationQuery{PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	triggers := 0
	for _, a := range l.Activations {
		if a.Kind == "trigger" {
			triggers++
		}
	}
	if triggers != 5 {
		t.Errorf("after the delete the account has %d trigger activations, want 5", triggers)
	}
}

// The scheduler reads cron expressions as UNIX cron does: names, ranges,
// steps, 7 for Sunday, and day of month OR day of week when both are
// restricted. Each case lists the KST minutes of a week that match.
func TestCronScheduleMatches(t *testing.T) {
	t.Parallel()
	// Monday 7 December 2026, 00:00 KST.
	monday := time.Date(2026, 12, 7, 0, 0, 0, 0, wire.CronLocation)
	for _, tc := range []struct {
		expr string
		want []string // "Mon 15:04" in KST
	}{
		{"0 20 * * 1-5", []string{"Mon 20:00", "Tue 20:00", "Wed 20:00", "Thu 20:00", "Fri 20:00"}},
		{"30 9 * * MON,fri", []string{"Mon 09:30", "Fri 09:30"}},
		{"0 0 * * 7", []string{"Sun 00:00"}},
		{"0 0 * * 0", []string{"Sun 00:00"}},
		{"0 12 9 * sat", []string{"Wed 12:00", "Sat 12:00"}},              // 9 December is a Wednesday
		{"0 12 9 dec *", []string{"Wed 12:00"}},                           // the 9th only
		{"0 */8 10 * *", []string{"Thu 00:00", "Thu 08:00", "Thu 16:00"}}, // the 10th
		{"45 22-23/1 11 12 *", []string{"Fri 22:45", "Fri 23:45"}},        // the 11th
		{"0 5/10 12 * *", []string{"Sat 05:00", "Sat 15:00"}},             // from 5, every 10
		{"0 0 1 JAN *", nil}, // not this week
	} {
		t.Run(tc.expr, func(t *testing.T) {
			got := cloudfunctions.CronMatchesForTest(t, tc.expr, monday, 7*24*60)
			var names []string
			for _, m := range got {
				names = append(names, m.In(wire.CronLocation).Format("Mon 15:04"))
			}
			if strings.Join(names, ",") != strings.Join(tc.want, ",") {
				t.Errorf("%q matches %q, want %q", tc.expr, names, tc.want)
			}
		})
	}
}

// After a restart from the data dir the scheduler starts with the next
// minute: the hour ncplocal was stopped fires nothing, then the trigger
// fires once per minute again.
func TestCronTriggerNoCatchUpAfterRestart(t *testing.T) {
	t.Parallel()
	needPython(t)
	dir := t.TempDir()
	start := time.Date(2026, 12, 7, 1, 0, 5, 0, time.UTC)
	serve := func(clock *manualClock) (*ncplocal.Server, *env) {
		srv := ncplocal.StartTest(t, ncplocal.Options{DataDir: dir, Services: func(env emu.Env) []emu.Service {
			return []emu.Service{cloudfunctions.New(env, cloudfunctions.Deps{Clock: clock})}
		}})
		clock.awaitArmed(t)
		core := newCore(t, srv.URL(), ncplocal.DefaultCredential.SecretKey)
		return srv, &env{t: t, srv: srv, cf: cfclient.New(core), vpcNo: 1, subnetNo: 1}
	}
	clock := newManualClock(start)
	srv, e := serve(clock)
	ctx := context.Background()
	if _, err := e.cf.PutAction(ctx, "-", "echo", "", e.pyAction(echoPy, nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.PutTrigger(ctx, "minutely", wire.TriggerTypeCron, &wire.TriggerRequest{CronOption: "* * * * *"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cf.LinkAction(ctx, "minutely", wire.ActionRef{Package: "-", Action: "echo"}); err != nil {
		t.Fatal(err)
	}
	clock.tick(t, time.Minute)
	if got := len(triggerActivations(t, e, "minutely")); got != 1 {
		t.Fatalf("before the restart: %d activations, want 1", got)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}

	later := newManualClock(start.Add(time.Hour + time.Minute))
	_, e = serve(later)
	if got := len(triggerActivations(t, e, "minutely")); got != 1 {
		t.Fatalf("right after a restart an hour later: %d activations, want still 1 (no catch-up)", got)
	}
	later.tick(t, time.Minute)
	if got := len(triggerActivations(t, e, "minutely")); got != 2 {
		t.Fatalf("one minute after the restart: %d activations, want 2", got)
	}
}
