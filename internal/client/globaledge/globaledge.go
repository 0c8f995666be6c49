// Package globaledge is the provider's client of NCP's Global Edge API v1
// (ncp-api.md §3). Calls go through client.DoJSON with API, which unwraps
// {"code":"0000","message":"Success","result": ...} answers, treats any
// other code as a failure (whatever the HTTP status) and maps the codes to
// client error kinds.
package globaledge

import (
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

// ServiceName names the service in logs and errors.
const ServiceName = "globaledge"

// ErrorKinds classifies Global Edge's result codes. NCP answers most of them
// with HTTP 400, so the status alone would make a duplicate name or an edge
// in the wrong state a validation error. 0032 ("request not allowed") is
// left to its status (403): the docs also use it for a bad date range.
var ErrorKinds = map[string]client.Kind{
	wire.CodeFieldValidation:  client.KindValidation,
	wire.CodeDuplicateProfile: client.KindConflict,
	wire.CodeProfileLimit:     client.KindValidation,
	wire.CodeEdgeNotStopped:   client.KindConflict,
	wire.CodeUnknown:          client.KindServer,
}

// API is Global Edge for client.DoJSON.
var API = &client.API{
	Service:    ServiceName,
	Endpoint:   func(e client.Endpoints) string { return e.GlobalEdge },
	Envelope:   client.EnvelopeResult,
	ErrorKinds: ErrorKinds,
}
