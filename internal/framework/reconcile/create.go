package reconcile

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework/journal"
)

// Kind names a kind of object in messages and import hints.
type Kind struct {
	// Name is what the object is called in messages, e.g. "VPC", "subnet",
	// "Object Storage bucket".
	Name string
	// ResourceType is the Terraform resource type, e.g. "ncp_vpc".
	ResourceType string
	// Key is what the user changes to create another object instead of an
	// existing one, e.g. "name", "subnet block", "bucket_name".
	Key string
	// QuoteID quotes IDs in messages: set it when the ID is a name (bucket
	// "logs"), leave it unset for numbers (VPC 12345).
	QuoteID bool
}

// Label names one object of the kind: `VPC 12345`, `Object Storage bucket "logs"`.
func (k Kind) Label(id string) string {
	if k.QuoteID {
		return fmt.Sprintf("%s %q", k.Name, id)
	}
	return k.Name + " " + id
}

// ExistsError is what CreateReconciled returns when an object already holds
// the request's unique key before the first attempt: it was made outside
// this resource (by hand, or by another configuration), so it is neither
// created again nor adopted, and the user is told how to import it.
type ExistsError struct {
	Kind Kind
	// ID is the existing object's ID, the one to import it by.
	ID string
	// Desc says how it matched, e.g. `named "x" (block 10.0.0.0/16)`; may
	// be empty.
	Desc string
}

// Error explains that the object exists and how to import it.
func (e *ExistsError) Error() string {
	what := e.Kind.Label(e.ID)
	if e.Desc != "" {
		what += " " + e.Desc
	}
	return fmt.Sprintf("%s already exists; it was not created by this resource, so Terraform does not manage it. "+
		"To manage it with Terraform, import it instead of creating it:\n\n"+
		"  terraform import %s.<name> %s\n\n"+
		"or add an import block with id = %q. Otherwise choose another %s.",
		what, e.Kind.ResourceType, e.ID, e.ID, e.Kind.Key)
}

// AddCreateError reports a failed create: an *ExistsError gets the summary
// "<Kind> <id> already exists", anything else NCP's error
// (framework.AddNCPError) under summary.
func AddCreateError(diags *diag.Diagnostics, summary string, err error) {
	var exists *ExistsError
	if errors.As(err, &exists) {
		label := exists.Kind.Label(exists.ID)
		diags.AddError(strings.ToUpper(label[:1])+label[1:]+" already exists", err.Error())
		return
	}
	framework.AddNCPError(diags, summary, err)
}

// Create describes one create of an object of type T whose outcome may be
// unknown. Send, Lookup and ID are required; the rest is optional.
type Create[T any] struct {
	Kind Kind
	// Attempts bounds how often Send is called in all
	// (client.Client.Attempts); less than 1 counts as 1.
	Attempts int
	// Send sends the create once and returns the object NCP answered with.
	Send func(context.Context) (T, error)
	// Lookup returns the objects that hold the request's unique key (its
	// name, its block in the VPC, the bucket name, ...), including objects
	// being deleted; none when the key is free. It is called before the
	// first attempt and after each uncertain one.
	Lookup func(context.Context) ([]T, error)
	// ID returns an object's ID (its import ID).
	ID func(T) string
	// Describe says how an existing object matched, for ExistsError.Desc.
	Describe func(T) string
	// Terminating reports whether an object is being deleted. The check
	// before the first attempt ignores such objects (the create then gets
	// NCP's own answer); after an uncertain attempt they are never adopted.
	Terminating func(T) bool
	// Mismatch explains why an object found after an uncertain attempt is
	// not the one the request asked for, or returns "" when it is. Without
	// it, any object holding the key matches.
	Mismatch func(T) string
	// Taken reports whether a failed attempt says that the key is in use
	// (a duplicate name, an overlapping block). After an earlier uncertain
	// attempt, which may have taken it, such an answer is reconciled like
	// an uncertain one; on the first attempt it is returned.
	Taken func(error) bool
	// Owned reports whether a failed attempt says that the key already
	// belongs to an object of this account, and returns that object
	// (S3's BucketAlreadyOwnedByYou). After an earlier uncertain attempt it
	// can only be the object that attempt made, and is adopted without a
	// look-up, which may lag behind; on the first attempt it is returned.
	Owned func(error) (T, bool)
	// Busy is the service's "try again later" answer: an attempt that gets
	// it is sent again on Busy.Retry's schedule until ctx ends, and does
	// not count against Attempts.
	Busy Busy
	// Journal is the provider block's create journal (the client's
	// Journal()); nil disables it.
	Journal *journal.Journal
	// Key is the request's unique key as one string (the name; the
	// profile and name of an edge; ...): what Lookup looks up. The journal
	// is used only when Key is set and ctx carries a journal.Scope.
	Key string
}

// CreateReconciled sends c's create and reconciles uncertain outcomes:
//
//  1. Before the first attempt, Lookup: an object that holds the key (and
//     is not being deleted) is returned as an *ExistsError, so a create
//     never adopts what it did not make, unless the create journal
//     (c.Journal, see package journal) proves that an interrupted earlier
//     create of the same kind, credentials and key made it: the object of
//     the entry's ID (or, before the answer gave one, the only object
//     holding the key) is adopted when Mismatch finds nothing wrong with
//     it, with a warning on the apply. When the key is free, an entry is
//     recorded before the first attempt and gets the ID with the answer;
//     it goes when OpenTofu has the object (journal.WrapServer) or the
//     create definitely failed, and stays when the outcome is open.
//  2. Each attempt that succeeds returns its object.
//  3. An uncertain failure (client.IsAmbiguous), or a Taken or Owned answer
//     after an earlier uncertain attempt, is reconciled: Owned adopts at
//     once; otherwise Lookup, and an object found is adopted when it is
//     not being deleted and Mismatch finds nothing wrong with it (the key
//     was free before, so it can only be this create's), refused with an
//     error otherwise; nothing found means the attempt did nothing, and the
//     create is sent again.
//  4. A Busy answer ("try again later": nothing was done) is sent again
//     on c.Busy.Retry's schedule until ctx ends (then a *BusyError); it is
//     not counted as an attempt.
//  5. Any other failure ends the create.
//
// After c.Attempts attempts the failures are returned, joined (errors.Join,
// one per attempt, which framework.AddNCPError shows one by one).
func CreateReconciled[T any](ctx context.Context, c Create[T]) (obj T, err error) {
	var zero T
	jr := c.journal(ctx)
	kind := c.Kind.ResourceType
	entry, journaled := jr.Find(kind, c.Key)
	existing, err := c.Lookup(ctx)
	if err != nil {
		return zero, fmt.Errorf("checking whether the %s already exists: %w", c.Kind.Name, err)
	}
	var live []T
	for _, obj := range existing {
		if c.Terminating == nil || !c.Terminating(obj) {
			live = append(live, obj)
		}
	}
	if len(live) > 0 {
		if journaled {
			if obj, ok := c.journaledObject(entry, live); ok {
				c.adoptInterrupted(ctx, jr, entry, obj)
				return obj, nil
			}
		}
		e := &ExistsError{Kind: c.Kind, ID: c.ID(live[0])}
		if c.Describe != nil {
			e.Desc = c.Describe(live[0])
		}
		return zero, e
	}

	// The key is free: whatever an earlier entry recorded made nothing
	// that still holds it. This create's entry goes once OpenTofu has the
	// object, or now when the create definitely failed; it stays when the
	// outcome is open (an uncertain last attempt, an ended context), so
	// that the next apply adopts what this create may have made.
	var created time.Time
	if jr != nil {
		if rerr := jr.Record(kind, c.Key, "", time.Time{}); rerr != nil {
			journal.FromContext(ctx).Warn("Create journal not written", rerr.Error()+
				"\n\nThe create goes ahead; if it is interrupted, the next apply reports the object as existing "+
				"instead of adopting it.")
			jr = nil
		} else {
			journal.FromContext(ctx).Track(jr, kind, c.Key)
			if e, ok := jr.Find(kind, c.Key); ok {
				created = e.Created
			}
		}
	}
	uncertain := false
	defer func() {
		if jr == nil {
			return
		}
		switch {
		case err == nil:
			if rerr := jr.Record(kind, c.Key, c.ID(obj), created); rerr != nil {
				tflog.Warn(ctx, "could not record the created object's ID in the create journal", map[string]any{"error": rerr.Error()})
			}
		case uncertain || ctx.Err() != nil:
			tflog.Warn(ctx, "the create's outcome is open; its journal entry stays for the next apply",
				map[string]any{"kind": c.Kind.Name, "key": c.Key})
		default:
			_ = jr.Remove(kind, c.Key)
		}
	}()

	var errs []error
	for attempt := 1; attempt <= max(c.Attempts, 1); attempt++ {
		obj, err := sendWhileBusy(ctx, c.Busy, "create "+c.Kind.Name, c.Send)
		if err == nil {
			uncertain = false
			return obj, nil
		}
		errs = append(errs, err)
		if uncertain && c.Owned != nil {
			if obj, ok := c.Owned(err); ok {
				tflog.Info(ctx, "adopting the object an uncertain create made, which NCP says is already ours",
					map[string]any{"kind": c.Kind.Name, "id": c.ID(obj), "attempt": attempt})
				return obj, nil
			}
		}
		taken := uncertain && c.Taken != nil && c.Taken(err)
		if !client.IsAmbiguous(err) && !taken {
			uncertain = false
			return zero, errors.Join(errs...)
		}
		uncertain = true
		tflog.Warn(ctx, "the create may have been carried out; looking the object up", map[string]any{
			"kind": c.Kind.Name, "attempt": attempt, "error": err.Error(),
		})
		found, ferr := c.Lookup(ctx)
		if ferr != nil {
			return zero, errors.Join(append(errs, fmt.Errorf("looking the %s up after an uncertain create failed as well: %w", c.Kind.Name, ferr))...)
		}
		if len(found) == 0 {
			continue
		}
		obj = found[0]
		if reason := c.refusal(obj); reason != "" {
			uncertain = false
			return zero, fmt.Errorf("after an uncertain create, the %s turned out to be held by %s, which cannot be adopted: %s "+
				"(the uncertain create: %w)", c.Kind.Key, c.Kind.Label(c.ID(obj)), reason, errors.Join(errs...))
		}
		tflog.Info(ctx, "adopting the object an uncertain create made", map[string]any{"kind": c.Kind.Name, "id": c.ID(obj)})
		return obj, nil
	}
	return zero, errors.Join(errs...)
}

// journal returns the create journal to use: c.Journal when c.Key is set
// and ctx carries a journal.Scope (which removes the entry once OpenTofu
// has the object), nil otherwise.
func (c Create[T]) journal(ctx context.Context) *journal.Journal {
	if c.Journal == nil || c.Key == "" || c.Kind.ResourceType == "" || journal.FromContext(ctx) == nil {
		return nil
	}
	return c.Journal
}

// journaledObject returns the object among live (those holding the key)
// that the interrupted create of entry made: the one of entry's ID when the
// create's answer gave it, else the only one, provided Mismatch finds
// nothing wrong with it.
func (c Create[T]) journaledObject(entry journal.Entry, live []T) (T, bool) {
	var zero T
	var obj T
	switch {
	case entry.ID != "":
		i := slices.IndexFunc(live, func(o T) bool { return c.ID(o) == entry.ID })
		if i < 0 {
			return zero, false
		}
		obj = live[i]
	case len(live) == 1:
		obj = live[0]
	default:
		return zero, false
	}
	if c.Mismatch != nil && c.Mismatch(obj) != "" {
		return zero, false
	}
	return obj, true
}

// adoptInterrupted adopts obj, made by the interrupted create of entry:
// its entry now names it and stays until OpenTofu has it, and the apply
// warns about it.
func (c Create[T]) adoptInterrupted(ctx context.Context, jr *journal.Journal, entry journal.Entry, obj T) {
	id := c.ID(obj)
	scope := journal.FromContext(ctx)
	if err := jr.Record(entry.Kind, entry.Key, id, entry.Created); err != nil {
		tflog.Warn(ctx, "could not record the adopted object's ID in the create journal", map[string]any{"error": err.Error()})
	}
	scope.Track(jr, entry.Kind, entry.Key)
	label := c.Kind.Label(id)
	tflog.Warn(ctx, "adopting the object of an interrupted earlier create", map[string]any{"kind": c.Kind.Name, "id": id})
	scope.Warn(strings.ToUpper(label[:1])+label[1:]+" adopted from an interrupted earlier apply",
		fmt.Sprintf("An earlier create of this %s (%s %q, started %s) was interrupted before Terraform recorded it, "+
			"and the provider's create journal shows that %s was made by it. It is adopted instead of created again, "+
			"and waited for like a new one.",
			c.Kind.ResourceType, c.Kind.Key, c.Key, entry.Created.Format(time.RFC3339), label))
}

// refusal says why obj, found after an uncertain attempt, cannot be adopted;
// "" when it can.
func (c Create[T]) refusal(obj T) string {
	if c.Terminating != nil && c.Terminating(obj) {
		return "it is being deleted"
	}
	if c.Mismatch != nil {
		return c.Mismatch(obj)
	}
	return ""
}
