package reconcile_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/reconcile"
)

// object is what the fake service holds: key is the unique key a create
// asks for (a name), size stands for the rest of the request.
type object struct {
	id, key, size string
	terminating   bool
}

// Outcomes of one create attempt of the fake service.
type outcome int

const (
	done          outcome = iota // created, answered
	lostAnswer                   // created, then the connection dropped: ambiguous
	notSent                      // the connection dropped before the server saw it: ambiguous
	refusedTaken                 // refused: the key is in use
	refusedOwned                 // refused: the key is already this account's (S3 style)
	refusedOther                 // refused for another reason
	createdByHand                // someone else creates an object on the key, then the attempt is lost
)

// Outcomes of one look-up.
type lookup int

const (
	answer    lookup = iota // what the service holds
	lagging                 // nothing yet, although the service holds it
	lookupErr               // the look-up fails
)

// fakeService is a service with one kind of object, scripted per attempt
// and per look-up (past the end of a script: done, answer).
type fakeService struct {
	objects []object
	next    int
	creates []outcome
	lookups []lookup
	sent    int
	looked  int
}

var errTaken = &client.Error{Code: "TAKEN", Message: "the key is in use", Kind: client.KindConflict}

func (f *fakeService) newObject(key, size string) object {
	f.next++
	o := object{id: fmt.Sprint(1000 + f.next), key: key, size: size}
	f.objects = append(f.objects, o)
	return o
}

func (f *fakeService) send(key, size string) (object, error) {
	f.sent++
	oc := done
	if f.sent <= len(f.creates) {
		oc = f.creates[f.sent-1]
	}
	ambiguous := &client.Error{Operation: "create", Kind: client.KindAmbiguous, Err: errors.New("connection reset")}
	switch oc {
	case lostAnswer:
		f.newObject(key, size)
		return object{}, ambiguous
	case createdByHand:
		f.newObject(key, "other")
		return object{}, ambiguous
	case notSent:
		return object{}, ambiguous
	case refusedTaken:
		return object{}, errTaken
	case refusedOwned:
		return object{}, &client.Error{Code: "OWNED", Message: "already yours", Kind: client.KindConflict}
	case refusedOther:
		return object{}, &client.Error{Code: "BAD", Message: "bad request", Kind: client.KindValidation}
	}
	for _, o := range f.objects {
		if o.key == key && !o.terminating {
			return object{}, errTaken
		}
	}
	return f.newObject(key, size), nil
}

func (f *fakeService) lookup(key string) ([]object, error) {
	f.looked++
	lk := answer
	if f.looked <= len(f.lookups) {
		lk = f.lookups[f.looked-1]
	}
	switch lk {
	case lagging:
		return nil, nil
	case lookupErr:
		return nil, &client.Error{Operation: "list", Kind: client.KindServer, Message: "list failed"}
	}
	var out []object
	for _, o := range f.objects {
		if o.key == key {
			out = append(out, o)
		}
	}
	return out, nil
}

var kind = reconcile.Kind{Name: "widget", ResourceType: "ncp_widget", Key: "name"}

// spec returns the Create of a widget named key of the given size.
func (f *fakeService) spec(key, size string, attempts int) reconcile.Create[object] {
	return reconcile.Create[object]{
		Kind:        kind,
		Attempts:    attempts,
		Send:        func(context.Context) (object, error) { return f.send(key, size) },
		Lookup:      func(context.Context) ([]object, error) { return f.lookup(key) },
		ID:          func(o object) string { return o.id },
		Describe:    func(o object) string { return fmt.Sprintf("named %q (size %s)", o.key, o.size) },
		Terminating: func(o object) bool { return o.terminating },
		Mismatch: func(o object) string {
			if o.size != size {
				return fmt.Sprintf("it has size %s, the request was for size %s", o.size, size)
			}
			return ""
		},
		Taken: func(err error) bool { return reconcile.HasCode(err, "TAKEN") },
		Owned: func(err error) (object, bool) {
			if !reconcile.HasCode(err, "OWNED") {
				return object{}, false
			}
			return object{id: "owned-" + key, key: key, size: size}, true
		},
	}
}

func TestCreateReconciled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		existing []object
		creates  []outcome
		lookups  []lookup
		attempts int
		// Expected outcome: the ID adopted or created, or an error
		// containing every string in wantErr.
		wantID  string
		wantErr []string
		// kinds the error must (also) be.
		ambiguous, exists    bool
		wantSent, wantLooked int
		// objects the service holds at the end.
		wantObjects int
	}{
		{
			name: "created at once", attempts: 3,
			wantID: "1001", wantSent: 1, wantLooked: 1, wantObjects: 1,
		},
		{
			name: "exists before the first attempt", attempts: 3,
			existing: []object{{id: "77", key: "w", size: "s"}},
			wantErr:  []string{`widget 77 named "w" (size s) already exists`, "terraform import ncp_widget.<name> 77", `id = "77"`, "choose another name"},
			exists:   true, wantSent: 0, wantLooked: 1, wantObjects: 1,
		},
		{
			name: "exists with another size before the first attempt", attempts: 3,
			existing: []object{{id: "77", key: "w", size: "other"}},
			wantErr:  []string{`widget 77 named "w" (size other) already exists`},
			exists:   true, wantSent: 0, wantLooked: 1, wantObjects: 1,
		},
		{
			name: "one being deleted does not count as existing", attempts: 3,
			existing: []object{{id: "77", key: "w", size: "s", terminating: true}},
			wantID:   "1001", wantSent: 1, wantLooked: 1, wantObjects: 2,
		},
		{
			name: "check fails", attempts: 3, lookups: []lookup{lookupErr},
			wantErr: []string{"checking whether the widget already exists", "list failed"}, wantSent: 0, wantLooked: 1,
		},
		{
			name: "answer lost, object adopted", attempts: 3, creates: []outcome{lostAnswer},
			wantID: "1001", wantSent: 1, wantLooked: 2, wantObjects: 1,
		},
		{
			name: "not sent, sent again", attempts: 3, creates: []outcome{notSent},
			wantID: "1001", wantSent: 2, wantLooked: 2, wantObjects: 1,
		},
		{
			name: "never sent: gives up after the attempts", attempts: 3, creates: []outcome{notSent, notSent, notSent, done},
			wantErr: []string{"connection reset"}, ambiguous: true, wantSent: 3, wantLooked: 4, wantObjects: 0,
		},
		{
			name: "attempts below one count as one", attempts: 0, creates: []outcome{notSent},
			wantErr: []string{"connection reset"}, ambiguous: true, wantSent: 1, wantLooked: 2,
		},
		{
			name: "answer lost, object made by someone else found", attempts: 3, creates: []outcome{createdByHand},
			wantErr: []string{"after an uncertain create, the name turned out to be held by widget 1001, which cannot be adopted: " +
				"it has size other, the request was for size s", "connection reset"},
			ambiguous: true, wantSent: 1, wantLooked: 2, wantObjects: 1,
		},
		{
			name: "answer lost, look-up lags, second attempt says taken, object adopted", attempts: 3,
			creates: []outcome{lostAnswer}, lookups: []lookup{answer, lagging},
			wantID: "1001", wantSent: 2, wantLooked: 3, wantObjects: 1,
		},
		{
			name: "taken on the first attempt is returned", attempts: 3, creates: []outcome{refusedTaken},
			wantErr: []string{"the key is in use"}, wantSent: 1, wantLooked: 1,
		},
		{
			name: "taken after an uncertain attempt, nothing found, sent again", attempts: 3,
			creates: []outcome{notSent, refusedTaken}, lookups: []lookup{answer, answer, answer},
			wantID: "1001", wantSent: 3, wantLooked: 3, wantObjects: 1,
		},
		{
			name: "owned after an uncertain attempt is adopted without a look-up", attempts: 3,
			creates: []outcome{lostAnswer, refusedOwned}, lookups: []lookup{answer, lagging},
			wantID: "owned-w", wantSent: 2, wantLooked: 2, wantObjects: 1,
		},
		{
			name: "owned on the first attempt is returned", attempts: 3, creates: []outcome{refusedOwned},
			wantErr: []string{"already yours"}, wantSent: 1, wantLooked: 1,
		},
		{
			name: "another failure after an uncertain attempt ends it", attempts: 3, creates: []outcome{notSent, refusedOther},
			wantErr: []string{"connection reset", "bad request"}, ambiguous: true, wantSent: 2, wantLooked: 2,
		},
		{
			name: "look-up after an uncertain attempt fails", attempts: 3, creates: []outcome{lostAnswer},
			lookups:   []lookup{answer, lookupErr},
			wantErr:   []string{"connection reset", "looking the widget up after an uncertain create failed as well", "list failed"},
			ambiguous: true, wantSent: 1, wantLooked: 2, wantObjects: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeService{objects: append([]object(nil), tt.existing...), creates: tt.creates, lookups: tt.lookups}
			// An object being deleted goes away as soon as the check saw it.
			got, err := reconcile.CreateReconciled(context.Background(), f.spec("w", "s", tt.attempts))
			if tt.wantErr == nil {
				if err != nil || got.id != tt.wantID {
					t.Errorf("CreateReconciled = %+v, %v; want object %s", got, err, tt.wantID)
				}
			} else {
				if err == nil {
					t.Fatalf("CreateReconciled = %+v; want an error", got)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q lacks %q", err, w)
					}
				}
				if client.IsAmbiguous(err) != tt.ambiguous {
					t.Errorf("client.IsAmbiguous(%v) = %v, want %v", err, !tt.ambiguous, tt.ambiguous)
				}
				var exists *reconcile.ExistsError
				if errors.As(err, &exists) != tt.exists {
					t.Errorf("error %v is an *ExistsError: %v, want %v", err, !tt.exists, tt.exists)
				}
			}
			if f.sent != tt.wantSent || f.looked != tt.wantLooked {
				t.Errorf("sent %d creates and %d look-ups, want %d and %d", f.sent, f.looked, tt.wantSent, tt.wantLooked)
			}
			if tt.wantObjects != 0 || tt.wantErr == nil {
				if n := len(f.objects); n != tt.wantObjects {
					t.Errorf("the service holds %d objects, want %d: %+v", n, tt.wantObjects, f.objects)
				}
			}
		})
	}
}

// TestCreateReconciledTerminatingNotAdopted: an object being deleted that
// holds the key after an uncertain attempt is never adopted.
func TestCreateReconciledTerminatingNotAdopted(t *testing.T) {
	t.Parallel()
	f := &fakeService{creates: []outcome{notSent}}
	spec := f.spec("w", "s", 3)
	send := spec.Send
	spec.Send = func(ctx context.Context) (object, error) {
		o, err := send(ctx)
		// Meanwhile an object on the key appears, already being deleted.
		f.objects = append(f.objects, object{id: "55", key: "w", size: "s", terminating: true})
		return o, err
	}
	_, err := reconcile.CreateReconciled(context.Background(), spec)
	if err == nil || !strings.Contains(err.Error(), "held by widget 55, which cannot be adopted: it is being deleted") {
		t.Errorf("err = %v, want a refusal to adopt widget 55", err)
	}
}

func TestExistsErrorAndAddCreateError(t *testing.T) {
	t.Parallel()
	quoted := reconcile.Kind{Name: "Object Storage bucket", ResourceType: "ncp_object_storage_bucket", Key: "bucket_name", QuoteID: true}
	err := fmt.Errorf("creating: %w", &reconcile.ExistsError{Kind: quoted, ID: "logs"})
	var diags diag.Diagnostics
	reconcile.AddCreateError(&diags, "Error creating bucket", err)
	if diags.ErrorsCount() != 1 || diags[0].Summary() != `Object Storage bucket "logs" already exists` {
		t.Fatalf("diagnostics = %v", diags)
	}
	for _, w := range []string{`Object Storage bucket "logs" already exists; it was not created by this resource`,
		"terraform import ncp_object_storage_bucket.<name> logs", "choose another bucket_name."} {
		if !strings.Contains(diags[0].Detail(), w) {
			t.Errorf("detail %q lacks %q", diags[0].Detail(), w)
		}
	}

	diags = nil
	reconcile.AddCreateError(&diags, "Error creating widget", &reconcile.ExistsError{Kind: kind, ID: "12"})
	if diags.ErrorsCount() != 1 || diags[0].Summary() != "Widget 12 already exists" {
		t.Errorf("diagnostics = %v", diags)
	}

	diags = nil
	reconcile.AddCreateError(&diags, "Error creating widget", errTaken)
	if diags.ErrorsCount() != 1 || diags[0].Summary() != "Error creating widget" ||
		!strings.Contains(diags[0].Detail(), "NCP returned error TAKEN: the key is in use") {
		t.Errorf("diagnostics = %v, want NCP's error", diags)
	}
}
