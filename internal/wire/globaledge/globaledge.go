// Package globaledge holds the wire facts of NCP's Global Edge API v1
// (ncp-api.md §3): where it lives and its result codes. Every answer is
// {"code":"0000","message":"Success","result": ...}; a code other than
// CodeSuccess is a failure.
package globaledge

// PathPrefix is where the API lives on the Global Edge gateway host.
const PathPrefix = "/api/v1"

// Result codes [C] (ncp-api.md §3, the status-code table of the overview),
// with the HTTP status NCP documents for each.
const (
	CodeSuccess          = "0000" // 200 Success
	CodeFieldValidation  = "0040" // 400 field validation error
	CodeDuplicateProfile = "0101" // 400 a profile with the same name exists
	CodeProfileLimit     = "0102" // 400 no more profiles can be created
	CodeEdgeNotStopped   = "0250" // 400 an edge that is not stopped cannot do this
	CodeNotAllowed       = "0032" // 403 request not allowed
	CodeUnknown          = "9999" // 500 unknown error
)
