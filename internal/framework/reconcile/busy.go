package reconcile

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
)

// Busy describes a service's "please try again later" answer to a create or
// delete: the request was refused before anything was done because another
// object is changing state (VPC 1001015 while another subnet of the same VPC
// is being created or deleted). Unlike an uncertain answer it needs no
// reconciliation, and unlike the client core's bounded retries it is sent
// again until the resource's timeout ends ctx: the other object's change
// can take minutes on NCP.
type Busy struct {
	// Is reports whether a failed attempt is such an answer. Nil: none is.
	Is func(error) bool
	// Retry is the schedule of the attempts that follow it (the zero Config
	// is wait.DefaultConfig); give it the typical duration of what the
	// service waits for (Config.WithTypical), so that the first retry comes
	// when the other change is likely over and the later ones grow apart.
	Retry wait.Config
}

// BusyError is what a create or delete returns when ctx ended while the
// service still answered "try again later". It wraps the last such answer
// and the context's error.
type BusyError struct {
	// Tries is how many attempts got the answer.
	Tries int
	// Waited is the time from the first such answer to the end of ctx.
	Waited time.Duration
	// Last is the last answer; Err is ctx.Err().
	Last, Err error
}

// Error says what NCP kept answering and how to wait longer.
func (e *BusyError) Error() string {
	how := "stopped"
	if errors.Is(e.Err, context.DeadlineExceeded) {
		how = "timed out; the limit can be raised in the resource's timeouts block"
	}
	return fmt.Sprintf("NCP answered \"try again later\" %d times over %s, then the operation %s: %v",
		e.Tries, e.Waited.Round(time.Millisecond), how, e.Last)
}

// Unwrap returns the last answer and the context's error.
func (e *BusyError) Unwrap() []error { return []error{e.Last, e.Err} }

// sendWhileBusy calls send until it returns anything but b's answer: that
// result, or a *BusyError when ctx ends while the service keeps answering
// it. The attempts are spaced on b.Retry's schedule, as a waiter's polls.
func sendWhileBusy[T any](ctx context.Context, b Busy, what string, send func(context.Context) (T, error)) (T, error) {
	obj, err := send(ctx)
	if err == nil || b.Is == nil || !b.Is(err) {
		return obj, err
	}
	start := time.Now()
	timer := time.NewTimer(b.Retry.Interval(0, 0))
	defer timer.Stop()
	for try := 1; ; try++ {
		tflog.Debug(ctx, "NCP answered \"try again later\"; sending again", map[string]any{"what": what, "try": try, "error": err.Error()})
		select {
		case <-ctx.Done():
			var zero T
			return zero, &BusyError{Tries: try, Waited: time.Since(start), Last: err, Err: ctx.Err()}
		case <-timer.C:
		}
		sent := time.Since(start)
		obj, err = send(ctx)
		if err == nil || !b.Is(err) {
			return obj, err
		}
		if ctx.Err() != nil {
			var zero T
			return zero, &BusyError{Tries: try + 1, Waited: time.Since(start), Last: err, Err: ctx.Err()}
		}
		timer.Reset(max(sent+b.Retry.Interval(try, sent)-time.Since(start), 0))
	}
}
