// Package cloudfunctions is the provider's client of NCP's Cloud Functions
// API v2.1 (ncp-api.md §4). Calls go through client.DoJSON with API, which
// unwraps {"content": ...} answers (a delete's empty 204 is a success),
// retries code 80031 ("Please try again in a few minutes.") whatever the
// method, and maps the error codes and message names to client error
// kinds. Package and action parameters may hold secrets: callers list them
// in JSONRequest.Sensitive.
package cloudfunctions

import (
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// ServiceName names the service in logs and errors.
const ServiceName = "cloudfunctions"

// ErrorKinds classifies the Cloud Functions codes known by number.
var ErrorKinds = map[string]client.Kind{
	wire.CodeSubAccountNoPermission:    client.KindAuth,
	wire.CodePackageNotFound:           client.KindNotFound,
	wire.CodePackagePlatformMismatch:   client.KindValidation,
	wire.CodeActionBodyMissingField:    client.KindValidation,
	wire.CodeActionActivationNotFound:  client.KindNotFound,
	wire.CodeTriggerActivationNotFound: client.KindNotFound,
	wire.CodeDuplicatedRule:            client.KindConflict,
}

// KindOf classifies the codes ErrorKinds does not list by their message
// name: every "*_NOT_FOUND" (ACTION_NOT_FOUND, TRIGGER_NOT_FOUND, ...) is
// client.KindNotFound, "DUPLICATED_*" client.KindConflict.
func KindOf(_, message string) (client.Kind, bool) {
	name := strings.TrimSpace(message)
	switch {
	case strings.HasSuffix(name, wire.NotFoundSuffix):
		return client.KindNotFound, true
	case strings.HasPrefix(name, "DUPLICATED_"):
		return client.KindConflict, true
	}
	return client.KindUnknown, false
}

// API is Cloud Functions for client.DoJSON.
var API = &client.API{
	Service:        ServiceName,
	Endpoint:       func(e client.Endpoints) string { return e.CloudFunctions },
	Envelope:       client.EnvelopeContent,
	ErrorKinds:     ErrorKinds,
	KindOf:         KindOf,
	RetryableCodes: wire.RetryableCodes,
}
