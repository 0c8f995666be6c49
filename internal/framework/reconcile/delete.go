package reconcile

import (
	"context"
	"errors"
	"slices"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
)

// Delete describes the delete of one object. Send and Status are required.
type Delete struct {
	// Attempts bounds how often Send is called in all
	// (client.Client.Attempts); less than 1 counts as 1.
	Attempts int
	// Send sends the delete once.
	Send func(context.Context) error
	// Status returns the object's status, wait.Gone when it no longer
	// exists (a status function of the service's status.go).
	Status func(context.Context) (string, error)
	// Recheck reports whether a failure other than an uncertain or a
	// not-found one may not be final either and is decided by the status,
	// e.g. NCP's "not in a status that allows this".
	Recheck func(error) bool
	// Deleting lists the statuses of an object whose deletion is under way
	// (besides wait.Gone): the delete succeeded.
	Deleting []string
	// Creating lists the statuses of an object still being created (a
	// create that failed half way): WaitCreated waits them out, then the
	// delete is sent again.
	Creating    []string
	WaitCreated func(context.Context) error
	// Idle lists the statuses in which a refused or uncertain delete did
	// nothing: it is sent again. Any other status ends the delete with the
	// failures so far.
	Idle []string
	// Blocked decides a refusal caused by other objects that are going
	// away themselves (a VPC whose subnets are still being deleted, a bucket
	// written to while it was emptied): it waits until they are gone (or
	// clears them) and reports true, and the delete is sent again; false
	// leaves the refusal as it is.
	Blocked func(context.Context, error) (bool, error)
	// Busy is the service's "try again later" answer: an attempt that gets
	// it is sent again on Busy.Retry's schedule until ctx ends, and does
	// not count against Attempts.
	Busy Busy
}

// DeleteReconciled sends d's delete, at most d.Attempts times. When an
// attempt fails in a way that may not be final, it decides by the object's
// status:
//
//   - an uncertain failure (client.IsAmbiguous), a not-found answer or one
//     d.Recheck accepts is checked against d.Status: gone or one of
//     d.Deleting means the deletion is under way (success); one of
//     d.Creating is waited out (d.WaitCreated) and the delete sent again;
//     one of d.Idle means nothing was done, and it is sent again;
//   - a refusal d.Blocked accepts (after waiting for what blocked it) is
//     sent again;
//   - a d.Busy answer ("try again later") is sent again until ctx ends,
//     without counting as an attempt; when ctx ends first, a *BusyError;
//   - any other failure is returned.
//
// The caller then waits until the object is gone. The failures of all
// attempts are returned joined.
func DeleteReconciled(ctx context.Context, d Delete) error {
	var errs []error
	for attempt := 1; attempt <= max(d.Attempts, 1); attempt++ {
		_, err := sendWhileBusy(ctx, d.Busy, "delete", func(ctx context.Context) (struct{}, error) { return struct{}{}, d.Send(ctx) })
		if err == nil {
			return nil
		}
		errs = append(errs, err)
		if d.Blocked != nil {
			retry, berr := d.Blocked(ctx, err)
			if berr != nil {
				return errors.Join(append(errs, berr)...)
			}
			if retry {
				tflog.Debug(ctx, "delete was blocked by objects that are now gone; sending it again", map[string]any{"attempt": attempt})
				continue
			}
		}
		if !client.IsAmbiguous(err) && !client.IsNotFound(err) && (d.Recheck == nil || !d.Recheck(err)) {
			return errors.Join(errs...)
		}
		st, serr := d.Status(ctx)
		if serr != nil {
			return errors.Join(append(errs, serr)...)
		}
		tflog.Debug(ctx, "delete failed; checked the object's status", map[string]any{"status": st, "attempt": attempt, "error": err.Error()})
		switch {
		case st == wait.Gone, slices.Contains(d.Deleting, st):
			return nil
		case slices.Contains(d.Creating, st) && d.WaitCreated != nil:
			if werr := d.WaitCreated(ctx); werr != nil {
				return errors.Join(append(errs, werr)...)
			}
		case slices.Contains(d.Idle, st):
		default:
			return errors.Join(errs...)
		}
	}
	return errors.Join(errs...)
}
