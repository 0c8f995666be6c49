package cloudfunctions

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// Cron triggers fire on their own.
//
// The scheduler wakes at every minute boundary of its Clock and fires each
// cron trigger of every account whose cronOption matches that minute in
// KST (wire.CronLocation) [C-3p], through fire, the path of a manual fire:
// one trigger activation, every linked action or sequence started once.
// The firing carries no runtime parameters [?]: the actions get the
// parameters package < action < trigger, as OpenWhisk's alarms fire their
// trigger with its own payload.
//
// One activation per tick: a minute is processed once, whatever the
// number of wake-ups. No catch-up: when the scheduler wakes late (the
// process was suspended, the clock jumped), it fires for the minute it
// wakes in, when that minute matches, and skips the minutes in between;
// after a restart it starts with the next minute boundary, so ticks missed
// while ncplocal was stopped never fire. A trigger with no linked action
// is skipped without an activation (a manual fire of it is 80512). Each
// tick reads the triggers afresh, so a trigger that was deleted,
// unlinked or changed to another schedule fires no more by its old one.

// Clock is the scheduler's time: Now, and Timer, whose channel receives
// once d has passed on this clock (stop releases it early). Tests pass a
// manual clock (Deps.Clock) so that ticks are exact and need no sleeping.
type Clock interface {
	Now() time.Time
	Timer(d time.Duration) (c <-chan time.Time, stop func())
}

// wallClock is the real clock, with Now from the service's Env.
type wallClock struct{ env emu.Env }

func (w wallClock) Now() time.Time { return w.env.Time() }

func (w wallClock) Timer(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTimer(d)
	return t.C, func() { t.Stop() }
}

// cronLoop runs the scheduler until ctx ends.
func (s *Service) cronLoop(ctx context.Context) {
	clock := s.deps.Clock
	var last time.Time // the last minute processed
	for {
		now := clock.Now()
		next := now.Truncate(time.Minute).Add(time.Minute)
		c, stop := clock.Timer(next.Sub(now))
		select {
		case <-ctx.Done():
			stop()
			return
		case <-c:
		}
		tick := clock.Now().Truncate(time.Minute)
		if !tick.After(last) {
			continue // woke early: never process a minute twice
		}
		last = tick
		s.cronTick(ctx, tick)
	}
}

// cronTick fires every cron trigger due at minute tick.
func (s *Service) cronTick(ctx context.Context, tick time.Time) {
	type due struct{ account, name string }
	var fire []due
	_ = s.store.View(func(tx *emu.Tx) error {
		for _, account := range tx.Accounts() {
			for _, t := range s.triggers.List(tx, account) {
				if t.Type != wire.TriggerTypeCron || len(t.Links) == 0 {
					continue
				}
				spec, err := parseCron(t.Body.CronOption)
				if err != nil || !spec.matches(tick) {
					continue
				}
				fire = append(fire, due{account, t.Name})
			}
		}
		return nil
	})
	for _, d := range fire {
		if ctx.Err() != nil {
			return
		}
		// An error means the trigger went meanwhile: nothing to fire.
		_, _ = s.fire(ctx, d.account, d.name, nil, "")
	}
}

// cronSpec is a parsed 5-field cron expression: the values each field
// allows, and whether the day fields were restricted (not "*").
type cronSpec struct {
	allow          [wire.CronFields]uint64 // bit v set: value v allowed
	domAny, dowAny bool
}

// matches reports whether the minute of t (in KST) is one of the spec's.
// As in UNIX cron, when both day of month and day of week are restricted a
// day matching either is a match.
func (c *cronSpec) matches(t time.Time) bool {
	k := t.In(wire.CronLocation)
	has := func(i, v int) bool { return c.allow[i]&(1<<uint(v)) != 0 }
	if !has(0, k.Minute()) || !has(1, k.Hour()) || !has(3, int(k.Month())) {
		return false
	}
	dom, dow := has(2, k.Day()), has(4, int(k.Weekday()))
	switch {
	case c.domAny && c.dowAny:
		return true
	case c.domAny:
		return dow
	case c.dowAny:
		return dom
	}
	return dom || dow
}

// cronRanges are the bounds of the five cron fields.
var cronRanges = [wire.CronFields][2]int{{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}}

var cronNames = [wire.CronFields]string{"minute", "hour", "day of month", "month", "day of week"}

// cronWords are the names months and days of week may be written with.
var cronWords = [wire.CronFields][]string{3: {"", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"},
	4: {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}}

// parseCron parses a 5-field UNIX cron expression: numbers, '*', lists,
// ranges and steps ("*/5", "1-10/2", "5/15" from 5 to the end); month and
// day-of-week names (JAN, MON), 7 for Sunday.
func parseCron(expr string) (*cronSpec, error) {
	fields := strings.Fields(expr)
	if len(fields) != wire.CronFields {
		return nil, tinvalid("cronOption %q must have 5 fields (minute hour day-of-month month day-of-week), not %d", expr, len(fields))
	}
	spec := &cronSpec{domAny: strings.HasPrefix(fields[2], "*"), dowAny: strings.HasPrefix(fields[4], "*")}
	for i, f := range fields {
		lo, hi := cronRanges[i][0], cronRanges[i][1]
		for _, part := range strings.Split(f, ",") {
			base, stepText, hasStep := strings.Cut(part, "/")
			step := 1
			if hasStep {
				n, err := strconv.Atoi(stepText)
				if err != nil || n < 1 {
					return nil, tinvalid("cronOption %q: the %s step %q is not a positive number", expr, cronNames[i], stepText)
				}
				step = n
			}
			from, to := lo, hi
			if base != "*" {
				a, b, isRange := strings.Cut(base, "-")
				var err error
				if from, err = cronValue(expr, i, a); err != nil {
					return nil, err
				}
				to = from
				switch {
				case isRange:
					if to, err = cronValue(expr, i, b); err != nil {
						return nil, err
					}
					if to < from {
						return nil, tinvalid("cronOption %q: the %s range %q ends before it starts", expr, cronNames[i], base)
					}
				case hasStep:
					to = hi
				}
			}
			for v := from; v <= to; v += step {
				if i == 4 && v == 7 {
					spec.allow[i] |= 1 // 7 is Sunday, as 0
					break
				}
				spec.allow[i] |= 1 << uint(v)
			}
		}
	}
	return spec, nil
}

// cronValue parses one value of field i: a number in its range or a name.
func cronValue(expr string, i int, v string) (int, error) {
	if v == "" {
		return 0, tinvalid("cronOption %q: the %s field is malformed", expr, cronNames[i])
	}
	for n, w := range cronWords[i] {
		if w != "" && strings.EqualFold(v, w) {
			return n, nil
		}
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < cronRanges[i][0] || n > cronRanges[i][1] {
		return 0, tinvalid("cronOption %q: the %s value %q is outside %d-%d", expr, cronNames[i], v, cronRanges[i][0], cronRanges[i][1])
	}
	return n, nil
}

// checkCron checks a cronOption.
func checkCron(expr string) error {
	_, err := parseCron(expr)
	return err
}
