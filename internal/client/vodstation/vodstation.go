// Package vodstation is the provider's client of NCP's VOD Station API v2
// (ncp-api.md §2). Calls go through client.DoJSON with API, which unwraps
// {"content": ...} answers and maps VOD Station's error codes to client
// error kinds, so callers test failures with client.IsNotFound,
// client.IsConflict, client.IsValidation and client.IsAuth.
package vodstation

import (
	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/vodstation"
)

// ServiceName names the service in logs and errors.
const ServiceName = "vodstation"

// ErrorKinds classifies VOD Station's error codes. NCP does not document the
// HTTP status of each code [?], so the kinds come from the codes:
// 260004 and 260017 (an unknown channel ID) mean the object is gone; the
// state preconditions of start, stop and delete are conflicts.
var ErrorKinds = map[string]client.Kind{
	wire.CodeNotFound:               client.KindNotFound,
	wire.CodeInvalidChannelID:       client.KindNotFound,
	wire.CodeNoPermission:           client.KindAuth,
	wire.CodeSubAccountNoPermission: client.KindAuth,
	wire.CodeStartOnlyWhenStopped:   client.KindConflict,
	wire.CodeStopOnlyWhenReady:      client.KindConflict,
	wire.CodeDeleteOnlyWhenStopped:  client.KindConflict,
	wire.CodeInvalidInput:           client.KindValidation,
	wire.CodeMissingHeader:          client.KindValidation,
	wire.CodeInvalidValue:           client.KindValidation,
	wire.CodeUnsupportedProtocol:    client.KindValidation,
	wire.CodeInvalidSegmentDuration: client.KindValidation,
	wire.CodeInvalidBucketName:      client.KindValidation,
	wire.CodeInvalidPageNo:          client.KindValidation,
	wire.CodeInvalidDate:            client.KindValidation,
	wire.CodeUnsupportedCdnType:     client.KindValidation,
	wire.CodeEmptyProtocolList:      client.KindValidation,
	wire.CodeCdnPlusOnly:            client.KindValidation,
	wire.CodeInvalidChannelName:     client.KindValidation,
	wire.CodeInvalidRequestData:     client.KindValidation,
	wire.CodeUnexpected:             client.KindServer,
	wire.CodeInternal:               client.KindServer,
}

// API is VOD Station for client.DoJSON.
var API = &client.API{
	Service:    ServiceName,
	Endpoint:   func(e client.Endpoints) string { return e.VODStation },
	Envelope:   client.EnvelopeContent,
	ErrorKinds: ErrorKinds,
}
