// Package framework holds the small helpers every resource and data source
// of the provider shares: reading the provider data in Configure, turning
// NCP errors into diagnostics, the "not found, removed from state"
// convention, default timeouts, value conversions and validators.
//
// # Not found
//
// A resource follows the terraform-provider-aws convention:
//
//   - Read: when the finder reports that the object is gone
//     (client.IsNotFound), call AddNotFoundWarning and
//     resp.State.RemoveResource(ctx), and return without an error, so the
//     next plan proposes to create the object again.
//   - Delete: a not-found answer counts as success.
//   - Status functions of waiters map not found to wait.Gone.
package framework
