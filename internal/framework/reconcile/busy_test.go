package reconcile_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
)

// errBusy is a service's "please try again later": nothing was done.
var errBusy = &client.Error{Operation: "create", Code: "BUSY", Kind: client.KindValidation, Message: "please try again later"}

// fastRetry spaces busy retries 1 ms apart.
var fastRetry = wait.Config{Initial: time.Millisecond, Min: time.Millisecond, Max: time.Millisecond}

func busySpec() reconcile.Busy {
	return reconcile.Busy{Is: func(err error) bool { return reconcile.HasCode(err, "BUSY") }, Retry: fastRetry}
}

// busyService answers "busy" to the first busy sends, then hands on to next.
type busyService struct {
	busy, sent int
	next       func() (object, error)
}

func (b *busyService) send(context.Context) (object, error) {
	b.sent++
	if b.sent <= b.busy {
		return object{}, errBusy
	}
	return b.next()
}

// TestCreateReconciledBusy: "try again later" answers are sent again
// without counting as attempts, whatever comes before or after them.
func TestCreateReconciledBusy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		busy      int
		attempts  int
		creates   []outcome
		noBusy    bool
		wantID    string
		wantErr   string
		wantSends int
	}{
		{name: "busy many more times than the attempts, then created", busy: 25, attempts: 2, wantID: "1001", wantSends: 26},
		{name: "busy, then an uncertain attempt, then created", busy: 3, attempts: 2, creates: []outcome{notSent}, wantID: "1001", wantSends: 5},
		{name: "busy, then a final refusal", busy: 3, attempts: 3, creates: []outcome{refusedOther}, wantErr: "bad request", wantSends: 4},
		{name: "without Busy the answer is final", busy: 3, attempts: 3, noBusy: true, wantErr: "please try again later", wantSends: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeService{creates: tt.creates}
			b := &busyService{busy: tt.busy, next: func() (object, error) { return f.send("w", "s") }}
			spec := f.spec("w", "s", tt.attempts)
			spec.Send = b.send
			if !tt.noBusy {
				spec.Busy = busySpec()
			}
			got, err := reconcile.CreateReconciled(context.Background(), spec)
			switch {
			case tt.wantErr == "" && (err != nil || got.id != tt.wantID):
				t.Errorf("CreateReconciled = %+v, %v; want object %s", got, err, tt.wantID)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("CreateReconciled error = %v, want one containing %q", err, tt.wantErr)
			}
			if b.sent != tt.wantSends {
				t.Errorf("sent %d creates, want %d", b.sent, tt.wantSends)
			}
		})
	}
}

// TestCreateReconciledBusyUntilTimeout: a service that stays busy is asked
// again until the context ends, and the error says so, keeping NCP's answer
// and the deadline.
func TestCreateReconciledBusyUntilTimeout(t *testing.T) {
	t.Parallel()
	f := &fakeService{}
	b := &busyService{busy: 1 << 30}
	spec := f.spec("w", "s", 1)
	spec.Send = b.send
	spec.Busy = busySpec()
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := reconcile.CreateReconciled(ctx, spec)
	if took := time.Since(start); took < 140*time.Millisecond {
		t.Errorf("gave up after %s, before the context ended", took)
	}
	var be *reconcile.BusyError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want a *BusyError", err)
	}
	if be.Tries != b.sent || b.sent < 10 {
		t.Errorf("BusyError.Tries = %d, sent %d; want them equal and well above the 1 attempt", be.Tries, b.sent)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !reconcile.HasCode(err, "BUSY") {
		t.Errorf("err = %v: want it to wrap the deadline and the BUSY answer", err)
	}
	for _, w := range []string{`NCP answered "try again later"`, "timeouts block", "please try again later"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
}

// TestBusyRetrySchedule: retries follow the Retry schedule: the first one
// after its first interval, not at once.
func TestBusyRetrySchedule(t *testing.T) {
	t.Parallel()
	f := &fakeService{}
	var at []time.Time
	b := &busyService{busy: 2, next: func() (object, error) { return f.send("v", "t") }}
	spec := f.spec("v", "t", 1)
	spec.Send = func(ctx context.Context) (object, error) { at = append(at, time.Now()); return b.send(ctx) }
	spec.Busy = reconcile.Busy{Is: busySpec().Is, Retry: wait.Config{Initial: 40 * time.Millisecond, Min: 30 * time.Millisecond, Max: time.Second}}
	if _, err := reconcile.CreateReconciled(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	if len(at) != 3 {
		t.Fatalf("sent %d times, want 3", len(at))
	}
	if d := at[1].Sub(at[0]); d < 40*time.Millisecond {
		t.Errorf("first retry after %s, want at least the 40ms first interval", d)
	}
	if d := at[2].Sub(at[1]); d < 30*time.Millisecond {
		t.Errorf("second retry after %s, want at least the 30ms minimum", d)
	}
}

// TestDeleteReconciledBusy: a delete answered "try again later" is sent
// again until it goes through, beyond its attempts, and gives up with a
// *BusyError when the context ends.
func TestDeleteReconciledBusy(t *testing.T) {
	t.Parallel()
	busyDelete := &client.Error{Operation: "delete", Code: "BUSY", Kind: client.KindValidation, Message: "please try again later"}
	answers := make([]error, 12)
	for i := range answers {
		answers[i] = busyDelete
	}
	f := fakeDeletion{answers: answers}
	d := f.spec(1)
	d.Busy = busySpec()
	if err := reconcile.DeleteReconciled(context.Background(), d); err != nil {
		t.Errorf("DeleteReconciled: %v", err)
	}
	if f.sent != 13 || f.polled != 0 {
		t.Errorf("sent %d deletes and polled %d, want 13 and 0", f.sent, f.polled)
	}

	forever := fakeDeletion{answers: make([]error, 1<<16)}
	for i := range forever.answers {
		forever.answers[i] = busyDelete
	}
	d = forever.spec(3)
	d.Busy = busySpec()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := reconcile.DeleteReconciled(ctx, d)
	var be *reconcile.BusyError
	if !errors.As(err, &be) || !errors.Is(err, context.DeadlineExceeded) || !reconcile.HasCode(err, "BUSY") {
		t.Errorf("err = %v, want a *BusyError wrapping the deadline and the BUSY answer", err)
	}
}
