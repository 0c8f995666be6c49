package runtime

import (
	"context"
	"time"
)

// Step is one component of a sequence.
type Step struct {
	// Name is the component's "package/action" name, for the caller's
	// records.
	Name   string
	Action Action
	// Params are the component's own default parameters (its package's and
	// its own, merged by the caller); what flows in from the previous step
	// overrides them.
	Params map[string]any
	// Env is added to the environment of this step's activation.
	Env map[string]string
}

// SequenceRun is a sequence's outcome: one activation per step that ran.
type SequenceRun struct {
	Steps []StepRun
	// Status and Result are the last step's (the sequence's response).
	Status   Status
	Result   map[string]any
	Start    time.Time
	End      time.Time
	Duration time.Duration
}

// StepRun is a step's activation.
type StepRun struct {
	Name       string
	Activation Activation
}

// Sequence runs steps in order, as OpenWhisk runs a sequence action: the
// first step gets params over its own defaults, each next one gets the
// previous step's result over its own defaults. It stops at the first step
// that does not succeed; that step's status and error are the sequence's.
// An empty sequence returns params as its result. The error is only for
// the caller's own failures (see Runner.Run).
func (r *Runner) Sequence(ctx context.Context, steps []Step, params map[string]any, env map[string]string) (SequenceRun, error) {
	run := SequenceRun{Start: time.Now().UTC(), Status: Success, Result: params}
	input := params
	for _, s := range steps {
		merged := make(map[string]any, len(s.Params)+len(input))
		for k, v := range s.Params {
			merged[k] = v
		}
		for k, v := range input {
			merged[k] = v
		}
		stepEnv := make(map[string]string, len(env)+len(s.Env))
		for k, v := range env {
			stepEnv[k] = v
		}
		for k, v := range s.Env {
			stepEnv[k] = v
		}
		act, err := r.Run(ctx, s.Action, Invocation{Params: merged, Env: stepEnv})
		if err != nil {
			return run, err
		}
		run.Steps = append(run.Steps, StepRun{Name: s.Name, Activation: act})
		run.Status, run.Result = act.Status, act.Result
		if !act.Success() {
			break
		}
		input = act.Result
	}
	run.End = time.Now().UTC()
	run.Duration = run.End.Sub(run.Start)
	return run, nil
}
