package vpc

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	"github.com/ncplabs/terraform-provider-ncp/internal/client/wait"
	"github.com/ncplabs/terraform-provider-ncp/internal/framework"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vpc"
)

// deleter is what deleteObject needs to delete one VPC or subnet.
type deleter struct {
	// attempts bounds how often the delete is sent (client.Client.Attempts).
	attempts int
	// del sends the delete action.
	del func(context.Context) error
	// status returns the object's status, wait.Gone when it no longer exists.
	status func(context.Context) (string, error)
	// waitCreated waits until the object, still being created, is RUN.
	waitCreated func(context.Context) error
}

// deleteObject sends a delete and, when it fails in a way that may not be
// final, looks at the object to decide (ncp-api.md §5.4):
//
//   - an ambiguous failure (client.IsAmbiguous), a not-found answer or a
//     "wrong status" answer are checked against the object's status: gone
//     or TERMTING means the deletion is under way (success); INIT or
//     CREATING (a create that failed half way) is waited out, then the
//     delete is sent again; RUN means nothing was done, so it is sent again;
//   - any other failure is returned as is.
//
// The caller then waits until the object is gone.
func deleteObject(ctx context.Context, d deleter) error {
	var errs []error
	for attempt := 1; attempt <= d.attempts; attempt++ {
		err := d.del(ctx)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
		if !client.IsAmbiguous(err) && !client.IsNotFound(err) && !hasCode(err, wire.CodeInvalidStatus) {
			return errors.Join(errs...)
		}
		st, serr := d.status(ctx)
		if serr != nil {
			return errors.Join(append(errs, serr)...)
		}
		tflog.Debug(ctx, "delete failed; checked the object's status", map[string]any{"status": st, "attempt": attempt, "error": err.Error()})
		switch st {
		case wait.Gone, wire.StatusTermting:
			return nil
		case wire.StatusInit, wire.StatusCreating:
			if werr := d.waitCreated(ctx); werr != nil {
				return errors.Join(append(errs, werr)...)
			}
		case wire.StatusRun:
		default:
			return errors.Join(errs...)
		}
	}
	return errors.Join(errs...)
}

// importByNumber imports a VPC or subnet by its NCP number: the ID becomes
// id and numberAttr (vpc_no, subnet_no); Read fills in the rest.
func importByNumber(ctx context.Context, what, numberAttr string, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !numberRE.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("The import ID of a %s is its number (%s), such as 12345; got %q.", what, numberAttr, req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(numberAttr), req.ID)...)
}

// existsError is what createVpc and createSubnet return when the object
// they are asked to create already exists before the first attempt: it was
// made outside this resource, so it is neither created again nor adopted,
// and the user is told how to import it.
type existsError struct {
	what         string // "VPC" or "subnet"
	resourceType string // "ncp_vpc" or "ncp_subnet"
	no           string // number of the existing object
	desc         string // how it matched, e.g. `named "x" (block 10.0.0.0/16)`
}

func (e *existsError) Error() string {
	return fmt.Sprintf("%s %s %s already exists; it was not created by this resource, so Terraform does not manage it. "+
		"To manage it with Terraform, import it instead of creating it:\n\n"+
		"  terraform import %s.<name> %s\n\n"+
		"or add an import block with id = %q. Otherwise choose another %s.",
		e.what, e.no, e.desc, e.resourceType, e.no, e.no, e.choice())
}

// choice names what the user can change to create a new object instead.
func (e *existsError) choice() string {
	if e.resourceType == "ncp_subnet" {
		return "subnet block"
	}
	return "name"
}

// addCreateError reports a failed create: an object that already exists
// gets its own summary, anything else NCP's error (framework.AddNCPError).
func addCreateError(diags *diag.Diagnostics, summary string, err error) {
	var exists *existsError
	if errors.As(err, &exists) {
		diags.AddError(fmt.Sprintf("%s %s already exists", strings.ToUpper(exists.what[:1])+exists.what[1:], exists.no), err.Error())
		return
	}
	framework.AddNCPError(diags, summary, err)
}
