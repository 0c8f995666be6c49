package reconcile_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
)

// Answers of one delete attempt of the fake deletion.
var (
	errDropped    = &client.Error{Operation: "delete", Kind: client.KindAmbiguous, Err: errors.New("connection reset")}
	errNotFound   = &client.Error{Operation: "delete", Code: "GONE", Kind: client.KindNotFound, Message: "no such object"}
	errWrongState = &client.Error{Operation: "delete", Code: "STATE", Kind: client.KindValidation, Message: "not in a status that allows it"}
	errInUse      = &client.Error{Operation: "delete", Code: "INUSE", Kind: client.KindConflict, Message: "still has children"}
	errDenied     = &client.Error{Operation: "delete", Code: "DENIED", Kind: client.KindAuth, Message: "denied"}
)

// fakeDeletion scripts the answers of the delete and of the status look-ups
// after it (past the end of a script: success, and RUN).
type fakeDeletion struct {
	answers  []error
	statuses []string
	// statusErr fails the status look-up number statusErrAt (1-based).
	statusErrAt int
	waitErr     error
	blockedErr  error
	// blockedDone is how many times Blocked has waited for the children.
	blockedDone          int
	sent, polled, waited int
}

func (f *fakeDeletion) spec(attempts int) reconcile.Delete {
	return reconcile.Delete{
		Attempts: attempts,
		Send: func(context.Context) error {
			f.sent++
			if f.sent <= len(f.answers) {
				return f.answers[f.sent-1]
			}
			return nil
		},
		Status: func(context.Context) (string, error) {
			f.polled++
			if f.polled == f.statusErrAt {
				return "", errors.New("status failed")
			}
			if f.polled <= len(f.statuses) {
				return f.statuses[f.polled-1], nil
			}
			return "RUN", nil
		},
		Recheck:     func(err error) bool { return reconcile.HasCode(err, "STATE") },
		Deleting:    []string{"TERMTING"},
		Creating:    []string{"INIT", "CREATING"},
		WaitCreated: func(context.Context) error { f.waited++; return f.waitErr },
		Idle:        []string{"RUN"},
		Blocked: func(_ context.Context, err error) (bool, error) {
			if !reconcile.HasCode(err, "INUSE") {
				return false, nil
			}
			if f.blockedErr != nil {
				return false, f.blockedErr
			}
			f.blockedDone++
			return true, nil
		},
	}
}

func TestDeleteReconciled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                         string
		f                            fakeDeletion
		attempts                     int
		wantErr                      []string
		wantSent, wantPolled, wantWt int
		wantBlocked                  int
	}{
		{name: "deleted at once", attempts: 3, wantSent: 1},
		{name: "answer lost, object gone", attempts: 3, f: fakeDeletion{answers: []error{errDropped}, statuses: []string{wait.Gone}},
			wantSent: 1, wantPolled: 1},
		{name: "answer lost, object being deleted", attempts: 3, f: fakeDeletion{answers: []error{errDropped}, statuses: []string{"TERMTING"}},
			wantSent: 1, wantPolled: 1},
		{name: "answer lost, nothing done: sent again", attempts: 3, f: fakeDeletion{answers: []error{errDropped}, statuses: []string{"RUN"}},
			wantSent: 2, wantPolled: 1},
		{name: "not found: already gone", attempts: 3, f: fakeDeletion{answers: []error{errNotFound}, statuses: []string{wait.Gone}},
			wantSent: 1, wantPolled: 1},
		{name: "not found, but still listed as being deleted", attempts: 3, f: fakeDeletion{answers: []error{errNotFound}, statuses: []string{"TERMTING"}},
			wantSent: 1, wantPolled: 1},
		{name: "wrong status while being created: waited out, sent again", attempts: 3,
			f: fakeDeletion{answers: []error{errWrongState}, statuses: []string{"CREATING"}}, wantSent: 2, wantPolled: 1, wantWt: 1},
		{name: "waiting out the create fails", attempts: 3,
			f:       fakeDeletion{answers: []error{errWrongState}, statuses: []string{"INIT"}, waitErr: errors.New("wait failed")},
			wantErr: []string{"not in a status that allows it", "wait failed"}, wantSent: 1, wantPolled: 1, wantWt: 1},
		{name: "another failure is final", attempts: 3, f: fakeDeletion{answers: []error{errDenied}},
			wantErr: []string{"denied"}, wantSent: 1},
		{name: "status unknown to the spec ends it", attempts: 3, f: fakeDeletion{answers: []error{errDropped}, statuses: []string{"SET"}},
			wantErr: []string{"connection reset"}, wantSent: 1, wantPolled: 1},
		{name: "status look-up fails", attempts: 3, f: fakeDeletion{answers: []error{errDropped}, statusErrAt: 1},
			wantErr: []string{"connection reset", "status failed"}, wantSent: 1, wantPolled: 1},
		{name: "blocked by children going away: waited, sent again", attempts: 3, f: fakeDeletion{answers: []error{errInUse}},
			wantSent: 2, wantBlocked: 1},
		{name: "waiting for the children fails", attempts: 3, f: fakeDeletion{answers: []error{errInUse}, blockedErr: errors.New("children stuck")},
			wantErr: []string{"still has children", "children stuck"}, wantSent: 1},
		{name: "gives up after the attempts", attempts: 2, f: fakeDeletion{answers: []error{errDropped, errDropped, nil}},
			wantErr: []string{"connection reset"}, wantSent: 2, wantPolled: 2},
		{name: "attempts below one count as one", attempts: -1, f: fakeDeletion{answers: []error{errDropped}},
			wantErr: []string{"connection reset"}, wantSent: 1, wantPolled: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := tt.f
			err := reconcile.DeleteReconciled(context.Background(), f.spec(tt.attempts))
			if tt.wantErr == nil && err != nil {
				t.Errorf("DeleteReconciled: %v", err)
			}
			if tt.wantErr != nil && err == nil {
				t.Errorf("DeleteReconciled succeeded, want an error")
			}
			for _, w := range tt.wantErr {
				if err != nil && !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if f.sent != tt.wantSent || f.polled != tt.wantPolled || f.waited != tt.wantWt || f.blockedDone != tt.wantBlocked {
				t.Errorf("sent %d, polled %d, waited %d, blocked %d; want %d, %d, %d, %d",
					f.sent, f.polled, f.waited, f.blockedDone, tt.wantSent, tt.wantPolled, tt.wantWt, tt.wantBlocked)
			}
		})
	}
}

// TestDeleteReconciledJoinsAttempts: the failures of every attempt reach
// the caller, one per attempt.
func TestDeleteReconciledJoinsAttempts(t *testing.T) {
	t.Parallel()
	f := fakeDeletion{answers: []error{errDropped, errWrongState, errDenied}, statuses: []string{"RUN", "RUN"}}
	err := reconcile.DeleteReconciled(context.Background(), f.spec(5))
	joined, ok := err.(interface{ Unwrap() []error }) //nolint:errorlint // the top-level join is what is tested
	if !ok || len(joined.Unwrap()) != 3 {
		t.Fatalf("error %v is not a join of the 3 attempts", err)
	}
	if !client.IsAmbiguous(err) || !reconcile.HasCode(err, "STATE") || !reconcile.HasCode(err, "DENIED") {
		t.Errorf("error %v lost an attempt's failure", err)
	}
}
