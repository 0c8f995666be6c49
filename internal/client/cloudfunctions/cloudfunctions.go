// Package cloudfunctions is the provider's client of NCP's Cloud Functions
// API v2.1 (ncp-api.md §4). Calls go through client.DoJSON with API, which
// unwraps {"content": ...} answers (a delete's empty 204 is a success),
// retries code 80031 ("Please try again in a few minutes.") whatever the
// method, and maps the error codes and message names to client error
// kinds. Package and action parameters may hold secrets: callers list them
// in JSONRequest.Sensitive (hidden in errors and logs), and the values of
// every parameters, result and logs member are hidden in the logged
// bodies whatever the caller knows (LogHiddenFields).
package cloudfunctions

import (
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/cloudfunctions"
)

// ServiceName names the service in logs and errors.
const ServiceName = "cloudfunctions"

// ErrorKinds classifies the Cloud Functions codes known by number.
// The "*_NOT_FOUND" codes that name something a request refers to (a
// VPC, a subnet, a sequence component, an event rule) are validation
// errors of that request, not "the object is gone".
var ErrorKinds = map[string]client.Kind{
	wire.CodeSubAccountNoPermission:    client.KindAuth,
	wire.CodeInvalidName:               client.KindValidation,
	wire.CodeNameDuplicated:            client.KindConflict,
	wire.CodeInvalidQuery:              client.KindValidation,
	wire.CodePackageNotFound:           client.KindNotFound,
	wire.CodePackagePlatformMismatch:   client.KindValidation,
	wire.CodePackageInvalidField:       client.KindValidation,
	wire.CodePackageNotEmpty:           client.KindConflict,
	wire.CodeActionNotFound:            client.KindNotFound,
	wire.CodeActionPlatformMismatch:    client.KindValidation,
	wire.CodeActionTypeMismatch:        client.KindValidation,
	wire.CodeActionBodyMissingField:    client.KindValidation,
	wire.CodeActionInvalidField:        client.KindValidation,
	wire.CodeActionUnsupportedKind:     client.KindValidation,
	wire.CodeActionVpcNotFound:         client.KindValidation,
	wire.CodeActionSubnetNotFound:      client.KindValidation,
	wire.CodeSequenceComponentMissing:  client.KindValidation,
	wire.CodeActionInvalidParams:       client.KindValidation,
	wire.CodeActionActivationNotFound:  client.KindNotFound,
	wire.CodeActionLinkLimitExceeded:   client.KindValidation,
	wire.CodeActionNATException:        client.KindServer,
	wire.CodeTriggerNotFound:           client.KindNotFound,
	wire.CodeTriggerPlatformMismatch:   client.KindValidation,
	wire.CodeTriggerTypeMismatch:       client.KindValidation,
	wire.CodeTriggerBodyMissingField:   client.KindValidation,
	wire.CodeTriggerInvalidField:       client.KindValidation,
	wire.CodeTriggerEventRuleNotFound:  client.KindValidation,
	wire.CodeTriggerBucketLimit:        client.KindValidation,
	wire.CodeTriggerInvalidParams:      client.KindValidation,
	wire.CodeTriggerInvokeFail:         client.KindValidation,
	wire.CodeTriggerActivationNotFound: client.KindNotFound,
	wire.CodeTriggerLinkLimitExceeded:  client.KindValidation,
	wire.CodeDuplicatedRule:            client.KindConflict,
	wire.CodeRuleNotFound:              client.KindNotFound,
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
	// Parameters may hold secrets the caller does not know yet (every
	// parameter of an object read for an import or a data source), and
	// activation results and logs may echo them: their values never
	// appear in the bodies logged at TRACE.
	LogHiddenFields: LogHiddenFields,
}

// LogHiddenFields are the JSON members of Cloud Functions bodies whose
// values logs never show: default parameters (packages, actions,
// triggers) and what an activation returned or printed.
var LogHiddenFields = []string{"parameters", "result", "logs"}
