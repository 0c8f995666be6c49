package emu

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// Gone is the To status of a transition after which the object no longer
// exists (a deletion).
const Gone = ""

// Transition is one asynchronous change a kind of object goes through, such
// as a VPC's creation (INIT, CREATING, then RUN) or deletion (TERMTING, then
// gone).
type Transition struct {
	// Name identifies the transition within its kind: "create", "delete".
	Name string `json:"name"`
	// Through are the statuses the object shows while the transition runs,
	// in order, each for an equal share of its duration. At least one.
	Through []string `json:"through"`
	// To is the status when the transition ends; Gone for a deletion.
	To string `json:"to"`
	// Failed is the status the transition ends in under the "fail"
	// progression; "" when it cannot fail.
	Failed string `json:"failed,omitempty"`
}

// Kind is a kind of object with a lifecycle, named "<service>/<kind>"
// ("vpc/subnet"), and the transitions it goes through.
type Kind struct {
	Name        string       `json:"kind"`
	Transitions []Transition `json:"transitions"`
}

// transition returns the transition named name.
func (k *Kind) transition(name string) (*Transition, bool) {
	for i := range k.Transitions {
		if k.Transitions[i].Name == name {
			return &k.Transitions[i], true
		}
	}
	return nil, false
}

// Progression modes: how a transition advances (after moto's state
// manager).
const (
	// ProgressImmediate ends a transition as it starts.
	ProgressImmediate = "immediate"
	// ProgressTime ends it after its duration: the server's async delay in
	// force when it starts, unless the progression sets one. The default.
	ProgressTime = "time"
	// ProgressManual holds it until it is advanced through the admin API
	// (POST /_ncplocal/transitions/advance), one status per advance.
	ProgressManual = "manual"
	// ProgressFail runs it like ProgressTime, then ends it in its Failed
	// status instead of its To status.
	ProgressFail = "fail"
)

// Progression says how the transitions of a kind advance. A transition keeps
// the progression in force when it started.
type Progression struct {
	Mode string `json:"progression"`
	// Duration, for ProgressTime and ProgressFail, replaces the server's
	// async delay; nil means the async delay.
	Duration *time.Duration `json:"-"`
}

// Op is a transition in progress, kept in the object's Life.
type Op struct {
	Transition string        `json:"transition"`
	Start      time.Time     `json:"start"`
	Delay      time.Duration `json:"delay"`
	// Mode is ProgressTime, ProgressManual or ProgressFail.
	Mode string `json:"mode"`
	// Step counts the statuses of a manual transition advanced past.
	Step int `json:"step,omitempty"`
}

// Life is the lifecycle state of an object, a field of its record: the
// status it settled in and the transition in progress, if any. Statuses are
// computed from it when read (Table.Status), so nothing needs to run when
// time passes.
type Life struct {
	Status string `json:"status"`
	Op     *Op    `json:"op,omitempty"`
}

// endsAt is when op ends by time; ok is false for a manual op.
func (op *Op) endsAt() (time.Time, bool) {
	if op.Mode == ProgressManual {
		return time.Time{}, false
	}
	return op.Start.Add(op.Delay), true
}

// state returns what l shows at now under kind k: its status, whether the
// object is gone, and whether the transition in progress (if any) has ended.
func (k *Kind) state(l *Life, now time.Time) (status string, gone, ended bool) {
	op := l.Op
	if op == nil {
		return l.Status, false, false
	}
	tr, ok := k.transition(op.Transition)
	if !ok { // not reached: Begin and restore check the name
		return l.Status, false, false
	}
	n := len(tr.Through)
	var step int
	switch end, timed := op.endsAt(); {
	case !timed:
		step = op.Step
	case !now.Before(end):
		step = n
	case now.Before(op.Start):
		step = 0
	default:
		// Each status of Through shows for an equal share of the delay
		// (op.Delay > 0 here, as now lies between start and end).
		step = min(int(float64(now.Sub(op.Start))*float64(n)/float64(op.Delay)), n-1)
	}
	if step < n {
		return tr.Through[step], false, false
	}
	if op.Mode == ProgressFail && tr.Failed != "" {
		return tr.Failed, false, true
	}
	return tr.To, tr.To == Gone, true
}

// settle ends l's transition if it has ended at now, keeping the status it
// ended in. It reports whether the object is gone.
func (k *Kind) settle(l *Life, now time.Time) (gone bool) {
	status, gone, ended := k.state(l, now)
	if ended {
		l.Status, l.Op = status, nil
	}
	return gone
}

// validate checks a Life restored from saved state.
func (k *Kind) validate(l *Life) error {
	if l.Op == nil {
		if l.Status == "" {
			return fmt.Errorf("%s: no status", k.Name)
		}
		return nil
	}
	if _, ok := k.transition(l.Op.Transition); !ok {
		return fmt.Errorf("%s: unknown transition %q", k.Name, l.Op.Transition)
	}
	switch l.Op.Mode {
	case ProgressTime, ProgressFail, ProgressManual:
	default:
		return fmt.Errorf("%s: unknown progression %q", k.Name, l.Op.Mode)
	}
	if l.Op.Delay < 0 || l.Op.Step < 0 {
		return fmt.Errorf("%s: negative delay or step", k.Name)
	}
	return nil
}

// Transitions holds the progression of every kind's transitions, set
// through the admin API; one per server, shared by all stores. The zero
// value is ready to use; a nil *Transitions uses the defaults.
type Transitions struct {
	mu    sync.Mutex
	kinds map[string]*Kind
	set   map[progressionKey]Progression
}

type progressionKey struct{ kind, transition string }

// register records a kind; a second kind of the same name must be
// identical.
func (t *Transitions) register(k *Kind) error {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.kinds == nil {
		t.kinds = map[string]*Kind{}
	}
	if old, dup := t.kinds[k.Name]; dup && !slices.EqualFunc(old.Transitions, k.Transitions, equalTransition) {
		return fmt.Errorf("emu: kind %q is registered twice with different transitions", k.Name)
	}
	t.kinds[k.Name] = k
	return nil
}

func equalTransition(a, b Transition) bool {
	return a.Name == b.Name && slices.Equal(a.Through, b.Through) && a.To == b.To && a.Failed == b.Failed
}

// progression returns the progression in force for a transition.
func (t *Transitions) progression(kind, transition string) Progression {
	if t == nil {
		return Progression{Mode: ProgressTime}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if p, ok := t.set[progressionKey{kind, transition}]; ok {
		return p
	}
	return Progression{Mode: ProgressTime}
}

// TransitionSetting is the body of PUT /_ncplocal/transitions: the
// progression of one kind's transitions (all of them when Transition is
// empty). Duration is a Go duration for "time" and "fail"; empty means the
// async delay.
type TransitionSetting struct {
	Kind        string `json:"kind"`
	Transition  string `json:"transition,omitempty"`
	Progression string `json:"progression"`
	Duration    string `json:"duration,omitempty"`
}

// Set applies s, or returns a *FieldError naming what is wrong with it
// (nothing changes then).
func (t *Transitions) Set(s TransitionSetting) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := t.kinds[s.Kind]
	if k == nil {
		return &FieldError{"kind", fmt.Sprintf("unknown kind %q (known: %s)", s.Kind, strings.Join(t.kindNames(), ", "))}
	}
	trs := k.Transitions
	if s.Transition != "" {
		tr, ok := k.transition(s.Transition)
		if !ok {
			return &FieldError{"transition", fmt.Sprintf("kind %s has no transition %q (it has %s)", k.Name, s.Transition, strings.Join(transitionNames(k), ", "))}
		}
		trs = []Transition{*tr}
	}
	p := Progression{Mode: s.Progression}
	switch s.Progression {
	case ProgressImmediate, ProgressTime, ProgressManual:
	case ProgressFail:
		for _, tr := range trs {
			if tr.Failed == "" {
				return &FieldError{"progression", fmt.Sprintf("transition %s of %s cannot fail: NCP shows no error status for it", tr.Name, k.Name)}
			}
		}
	default:
		return &FieldError{"progression", fmt.Sprintf("%q is not one of %q, %q, %q, %q", s.Progression, ProgressImmediate, ProgressTime, ProgressManual, ProgressFail)}
	}
	if s.Duration != "" {
		if s.Progression != ProgressTime && s.Progression != ProgressFail {
			return &FieldError{"duration", fmt.Sprintf("only the %q and %q progressions take a duration", ProgressTime, ProgressFail)}
		}
		d, err := time.ParseDuration(s.Duration)
		if err != nil || d < 0 {
			return &FieldError{"duration", fmt.Sprintf("%q is not a non-negative Go duration such as \"1.5s\"", s.Duration)}
		}
		p.Duration = &d
	}
	if t.set == nil {
		t.set = map[progressionKey]Progression{}
	}
	for _, tr := range trs {
		t.set[progressionKey{k.Name, tr.Name}] = p
	}
	return nil
}

// Clear drops every progression set, back to the defaults.
func (t *Transitions) Clear() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.set = nil
}

func (t *Transitions) kindNames() []string { return slices.Sorted(maps.Keys(t.kinds)) }

func transitionNames(k *Kind) []string {
	var out []string
	for _, tr := range k.Transitions {
		out = append(out, tr.Name)
	}
	return out
}

// TransitionInfo describes one transition and its progression in force, for
// GET /_ncplocal/transitions.
type TransitionInfo struct {
	Transition
	Progression string `json:"progression"`
	// Duration is the set duration, or "asyncDelay".
	Duration string `json:"duration"`
}

// KindInfo is one kind with its transitions.
type KindInfo struct {
	Kind        string           `json:"kind"`
	Transitions []TransitionInfo `json:"transitions"`
}

// Kinds lists every registered kind, sorted by name, with the progression
// of each transition.
func (t *Transitions) Kinds() []KindInfo {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := []KindInfo{}
	for _, name := range t.kindNames() {
		k := t.kinds[name]
		ki := KindInfo{Kind: name, Transitions: []TransitionInfo{}}
		for _, tr := range k.Transitions {
			p, ok := t.set[progressionKey{name, tr.Name}]
			if !ok {
				p = Progression{Mode: ProgressTime}
			}
			d := "asyncDelay"
			if p.Duration != nil {
				d = p.Duration.String()
			}
			ki.Transitions = append(ki.Transitions, TransitionInfo{Transition: tr, Progression: p.Mode, Duration: d})
		}
		out = append(out, ki)
	}
	return out
}

// FieldError is a validation error naming the offending field of a request
// body, such as "rules[1].rate" or "progression".
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }
