package reconcile

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
)

// ImportFormat says what a resource's import ID is.
type ImportFormat struct {
	// What names the object with its article, e.g. "a VPC", "an Object
	// Storage bucket".
	What string
	// Is finishes "The import ID of <What> is ...", e.g. "its number
	// (vpc_no), such as 12345".
	Is string
	// Valid reports whether an ID has the right form; nil accepts any
	// non-empty ID.
	Valid func(string) bool
}

// ImportByID imports an object by its ID (CLI `terraform import` and
// `import {}` blocks alike): an ID that f does not accept is an error naming
// the expected form; otherwise the ID becomes id and every attribute in
// attrs (vpc_no, bucket_name, ...), and Read fills in the rest.
func ImportByID(ctx context.Context, f ImportFormat, req resource.ImportStateRequest, resp *resource.ImportStateResponse, attrs ...string) {
	if req.ID == "" || (f.Valid != nil && !f.Valid(req.ID)) {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("The import ID of %s is %s; got %q.", f.What, f.Is, req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
	for _, a := range attrs {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(a), req.ID)...)
	}
}

// nameAlphabet is what generated name suffixes are made of.
const nameAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// GeneratedSuffixLen is the length of the random part of GenerateName:
// 36^8 (about 2.8e12) names per prefix, so a collision is practically
// impossible and the name identifies the object for reconciliation.
const GeneratedSuffixLen = 8

// GenerateName returns "<prefix>-<8 random lowercase letters and digits>".
// A resource generates a name itself, when the user sets none, rather than
// leaving it to NCP, so that a create whose outcome is unknown can be
// reconciled by looking the name up. The prefix must make the result valid
// under the service's name rule.
func GenerateName(prefix string) string {
	buf := make([]byte, GeneratedSuffixLen)
	_, _ = rand.Read(buf) // crypto/rand.Read never fails
	for i := range buf {
		buf[i] = nameAlphabet[int(buf[i])%len(nameAlphabet)]
	}
	return prefix + "-" + string(buf)
}

// AssertSingle returns the only element of a look-up by ID that answers a
// list (NCP's legacy Detail actions): none is a not-found error
// (client.IsNotFound), more than one an unexpected answer. service and
// operation name the call, what the object ("VPC 12345").
func AssertSingle[T any](list []T, service, operation, what string) (*T, error) {
	switch len(list) {
	case 0:
		return nil, NotFoundError(service, operation, what)
	case 1:
		return &list[0], nil
	default:
		return nil, &client.Error{
			Service:   service,
			Operation: operation,
			Message:   fmt.Sprintf("NCP answered %d objects for %s, expected one", len(list), what),
		}
	}
}

// NotFoundError is what a finder returns when NCP no longer lists the
// object: a *client.Error of kind not found, so that client.IsNotFound holds
// for it as for a service's own not-found answer.
func NotFoundError(service, operation, what string) error {
	return &client.Error{
		Service:   service,
		Operation: operation,
		Kind:      client.KindNotFound,
		Message:   what + " does not exist",
	}
}

// HasCode reports whether err is, or wraps, an NCP error with code code (a
// legacy returnCode, an API Gateway errorCode, an S3 error code). Every
// error of a join is looked at, so the failures of all the attempts of a
// reconciled create or delete count.
func HasCode(err error, code string) bool {
	if e, ok := err.(*client.Error); ok && e.Code == code { //nolint:errorlint // the tree is walked below
		return true
	}
	switch u := err.(type) { //nolint:errorlint // the tree is walked here
	case interface{ Unwrap() error }:
		return HasCode(u.Unwrap(), code)
	case interface{ Unwrap() []error }:
		return slices.ContainsFunc(u.Unwrap(), func(e error) bool { return HasCode(e, code) })
	}
	return false
}
