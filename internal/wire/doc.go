// Package wire is the home of the NCP wire formats. Each sub-package holds the
// request and response types of one NCP service exactly as they travel on the
// wire. The provider's client and ncplocal both use these types, so a field
// name or an envelope can only be wrong in one place, and the fixtures in each
// package (taken from the documented examples in ncp-api.md) guard them.
package wire
