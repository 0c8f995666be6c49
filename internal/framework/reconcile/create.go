package reconcile

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
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
}

// CreateReconciled sends c's create and reconciles uncertain outcomes:
//
//  1. Before the first attempt, Lookup: an object that holds the key (and
//     is not being deleted) is returned as an *ExistsError, so a create
//     never adopts what it did not make.
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
func CreateReconciled[T any](ctx context.Context, c Create[T]) (T, error) {
	var zero T
	existing, err := c.Lookup(ctx)
	if err != nil {
		return zero, fmt.Errorf("checking whether the %s already exists: %w", c.Kind.Name, err)
	}
	for _, obj := range existing {
		if c.Terminating == nil || !c.Terminating(obj) {
			e := &ExistsError{Kind: c.Kind, ID: c.ID(obj)}
			if c.Describe != nil {
				e.Desc = c.Describe(obj)
			}
			return zero, e
		}
	}

	var errs []error
	uncertain := false
	for attempt := 1; attempt <= max(c.Attempts, 1); attempt++ {
		obj, err := sendWhileBusy(ctx, c.Busy, "create "+c.Kind.Name, c.Send)
		if err == nil {
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
			return zero, fmt.Errorf("after an uncertain create, the %s turned out to be held by %s, which cannot be adopted: %s "+
				"(the uncertain create: %w)", c.Kind.Key, c.Kind.Label(c.ID(obj)), reason, errors.Join(errs...))
		}
		tflog.Info(ctx, "adopting the object an uncertain create made", map[string]any{"kind": c.Kind.Name, "id": c.ID(obj)})
		return obj, nil
	}
	return zero, errors.Join(errs...)
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
