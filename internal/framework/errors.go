package framework

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
)

// AddNCPError adds an error diagnostic for a failed NCP call. summary says
// what the provider was doing, e.g. "Error creating VPC". When err is (or
// wraps) a *client.Error, the detail shows NCP's own code, message, details
// and request id, and a hint for authentication, throttling and ambiguous
// failures; otherwise it shows err as is.
//
// An error joining several attempts (errors.Join at the top level, as the
// create-and-reconcile loops return) shows each attempt's detail in turn.
func AddNCPError(diags *diag.Diagnostics, summary string, err error) {
	joined, ok := err.(interface{ Unwrap() []error }) //nolint:errorlint // only a top-level join is split
	if !ok {
		diags.AddError(summary, NCPErrorDetail(err))
		return
	}
	errs := joined.Unwrap()
	parts := make([]string, 0, len(errs))
	for i, e := range errs {
		detail := NCPErrorDetail(e)
		if len(errs) > 1 {
			detail = fmt.Sprintf("Attempt %d of %d:\n%s", i+1, len(errs), detail)
		}
		parts = append(parts, detail)
	}
	diags.AddError(summary, strings.Join(parts, "\n\n"))
}

// NCPErrorDetail renders err as the detail of a diagnostic (see AddNCPError).
func NCPErrorDetail(err error) string {
	if err == nil {
		return "unknown error"
	}
	var e *client.Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	var b strings.Builder
	switch {
	case e.Code != "" && e.Message != "":
		fmt.Fprintf(&b, "NCP returned error %s: %s", e.Code, e.Message)
	case e.Code != "":
		fmt.Fprintf(&b, "NCP returned error %s", e.Code)
	case e.Message != "":
		fmt.Fprintf(&b, "NCP returned: %s", e.Message)
	case e.Err != nil:
		fmt.Fprintf(&b, "The request to NCP failed: %s", e.Err)
	default:
		b.WriteString("The request to NCP failed")
	}
	if e.Details != "" {
		fmt.Fprintf(&b, "\nDetails: %s", e.Details)
	}
	if e.Err != nil && (e.Code != "" || e.Message != "") {
		fmt.Fprintf(&b, "\nCause: %s", e.Err)
	}
	if call := strings.TrimSpace(e.Service + " " + e.Operation); call != "" {
		fmt.Fprintf(&b, "\nCall: %s", call)
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, "\nHTTP status: %d", e.HTTPStatus)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, "\nRequest ID: %s", e.RequestID)
	}
	switch e.Kind {
	case client.KindAuth:
		b.WriteString("\n\nCheck the provider's access_key and secret_key, and that the key has permission for this operation.")
	case client.KindThrottled:
		b.WriteString("\n\nNCP throttled the request and the retries were used up; try again later or raise max_retries.")
	case client.KindAmbiguous:
		b.WriteString("\n\nThe connection failed after the request was sent, so it may or may not have been carried out. " +
			"Check the object in NCP before trying again.")
	}
	return b.String()
}

// AddNotFoundWarning records that the object a resource manages no longer
// exists in NCP. The caller then removes the resource from state
// (resp.State.RemoveResource(ctx)) and returns without an error, so that the
// next plan proposes to create it again.
func AddNotFoundWarning(diags *diag.Diagnostics, resourceType, id string) {
	diags.AddWarning(
		"Resource not found, removed from state",
		fmt.Sprintf("%s %q no longer exists in NCP; it was probably deleted outside of Terraform. "+
			"It has been removed from the Terraform state, and the next plan will propose to create it again.",
			resourceType, id),
	)
}
