// Package cloudfunctions holds the wire facts of NCP's Cloud Functions API
// v2.1 (ncp-api.md §4): where it lives, its error codes, the request and
// response bodies of every operation (types.go), the v2.0 body differences
// (v20.go) and the rules NCP applies to requests (facts.go). Answers are
// JSON wrapped as {"content": ...}; errors use the API Gateway envelope
// {"error":{"errorCode","message","details"}} whose message is a name such
// as PACKAGE_NOT_FOUND; deletes answer 204 without a body [I].
package cloudfunctions

// PathPrefix is where API v2.1 lives on the Cloud Functions gateway host.
const PathPrefix = "/ncf/api/v2"

// PathPrefixV20 is where the legacy API v2.0 lives on the same host
// (§4: the only version of the gov zone; platform defaults to classic).
const PathPrefixV20 = "/api/v2"

// Query parameters. ParamPlatform selects the platform of a call;
// PlatformVPC is the one the provider uses (v2.1 defaults to it) [C].
const (
	ParamPlatform = "platform"
	PlatformVPC   = "vpc"
	// PlatformClassic is v2.0's default platform (and v2.1's other one).
	PlatformClassic = "classic"
	// ParamType is the action or trigger type of a PUT (immutable).
	ParamType = "type"
	// ParamTimeout is invoke's wait in ms (0..MaxInvokeTimeout).
	ParamTimeout = "timeout"
	// Activation list paging and window.
	ParamPageNo   = "pageNo"
	ParamPageSize = "pageSize"
	ParamStart    = "start"
	ParamEnd      = "end"
)

// Paths of API v2.1 (§4.1), templates for client.BuildPath. The same paths
// under PathPrefixV20 are API v2.0.
const (
	PathPackages           = PathPrefix + "/packages"
	PathPackage            = PathPrefix + "/packages/{packageName}"
	PathActions            = PathPrefix + "/packages/{packageName}/actions"
	PathAction             = PathPrefix + "/packages/{packageName}/actions/{actionName}"
	PathActionActivations  = PathPrefix + "/packages/{packageName}/actions/{actionName}/activations"
	PathActionActivation   = PathPrefix + "/packages/{packageName}/actions/{actionName}/activations/{activationId}"
	PathTriggers           = PathPrefix + "/triggers"
	PathTrigger            = PathPrefix + "/triggers/{triggerName}"
	PathTriggerLink        = PathPrefix + "/triggers/{triggerName}/link-action"
	PathTriggerActivations = PathPrefix + "/triggers/{triggerName}/activations"
	PathTriggerActivation  = PathPrefix + "/triggers/{triggerName}/activations/{activationId}"
	PathActivations        = PathPrefix + "/activations"
)

// Error codes and the message names they come with. [C] codes are in the
// v2 API docs' status tables (ncp-api.md §4.2; DOC compute-cloudfunctions-
// v2-deletepackage and -v2-posttrigger); [C-3p] ones were seen from the
// real API by third-party code (§4.3, §4.4). NCP documents no code for the
// others: they are ncplocal's guesses [?], in the numbering of their
// neighbours (801xx packages, 803xx actions, 805xx triggers, 809xx links),
// and carry the message names the client classifies by (*_NOT_FOUND,
// DUPLICATED_*, *_MISMATCH, *_INVALID_*, *_MISSING_FIELD).
const (
	CodeSubAccountNoPermission = "80002" // [C] 403 SUB_ACC_NO_PERMISSION
	CodeInvalidName            = "80003" // [?] 400 INVALID_RESOURCE_NAME: the name rule (facts.go)
	CodeNameDuplicated         = "80004" // [?] 409 DUPLICATED_RESOURCE_NAME: a package, action or trigger has the name
	CodeInvalidQuery           = "80005" // [?] 400 INVALID_QUERY_PARAMETER: pageNo, pageSize, start, end, timeout, type
	CodeTryAgainLater          = "80031" // [C-3p] 400 "Please try again in a few minutes.": nothing was done, retry

	CodePackageNotFound         = "80101" // [C] 404 PACKAGE_NOT_FOUND
	CodePackagePlatformMismatch = "80102" // [C] 400 PACKAGE_PLATFORM_MISMATCH
	CodePackageInvalidField     = "80106" // [?] 400 PACKAGE_BODY_INVALID_FIELD
	CodePackageNotEmpty         = "80109" // [C] 409 PACKAGE_NOT_EMPTY: it still holds actions

	CodeActionNotFound           = "80301" // [?] 404 ACTION_NOT_FOUND
	CodeActionPlatformMismatch   = "80302" // [?] 400 ACTION_PLATFORM_MISMATCH
	CodeActionTypeMismatch       = "80303" // [?] 400 ACTION_TYPE_MISMATCH: the type cannot change
	CodeActionBodyMissingField   = "80306" // [C-3p] 400 ACTION_BODY_MISSING_FIELD
	CodeActionInvalidField       = "80307" // [?] 400 ACTION_BODY_INVALID_FIELD
	CodeActionUnsupportedKind    = "80308" // [?] 400 ACTION_INVALID_RUNTIME: unsupported or deprecated exec.kind
	CodeActionVpcNotFound        = "80310" // [?] 400 ACTION_VPC_NOT_FOUND: vpc[].vpcNo is not a VPC of the account
	CodeActionSubnetNotFound     = "80311" // [?] 400 ACTION_SUBNET_NOT_FOUND: vpc[].subnetNo is not a subnet of that VPC
	CodeSequenceComponentMissing = "80312" // [?] 400 ACTION_SEQUENCE_COMPONENT_NOT_FOUND
	CodeActionInvalidParams      = "80313" // [?] 400 ACTION_INVALID_RUNTIME_PARAMS: invoke body is not a JSON object
	CodeActionActivationNotFound = "80322" // [C-3p] 404 ACTION_ACTIVATION_NOT_FOUND (also for ~30 s after an invocation)
	CodeActionLinkLimitExceeded  = "80324" // [C-3p] 400 link limit exceeded (action side)
	CodeActionNATException       = "81311" // [C-3p] 500 ACTION_NAT_EXCEPTION

	CodeTriggerNotFound           = "80501" // [?] 404 TRIGGER_NOT_FOUND
	CodeTriggerPlatformMismatch   = "80502" // [C] 400 TRIGGER_PLATFORM_MISMATCH
	CodeTriggerTypeMismatch       = "80503" // [?] 400 TRIGGER_TYPE_MISMATCH: the type cannot change
	CodeTriggerBodyMissingField   = "80506" // [?] 400 TRIGGER_BODY_MISSING_FIELD
	CodeTriggerInvalidField       = "80507" // [?] 400 TRIGGER_BODY_INVALID_FIELD
	CodeTriggerEventRuleNotFound  = "80508" // [?] 400 TRIGGER_EVENT_RULE_NOT_FOUND: objectStorageLink names no rule of an own bucket
	CodeTriggerBucketLimit        = "80509" // [?] 400 TRIGGER_BUCKET_LIMIT_EXCEEDED: 10 triggers per bucket (§4.4)
	CodeTriggerInvalidParams      = "80511" // [C] 400 TRIGGER_INVALID_RUNTIME_PARAMS: the fire body
	CodeTriggerInvokeFail         = "80512" // [C] 400 TRIGGER_INVOKE_FAIL: a trigger with no linked action was fired
	CodeTriggerActivationNotFound = "80518" // [C-3p] 404 the trigger variant of 80322
	CodeTriggerLinkLimitExceeded  = "80519" // [C-3p] 400 link limit exceeded (trigger side)

	CodeDuplicatedRule = "80901" // [C-3p] 400 DUPLICATED_RULE: the action is already linked
	CodeRuleNotFound   = "80902" // [?] 404 RULE_NOT_FOUND: unlink of an action that is not linked
)

// Message names of the codes above (the "message" of the error envelope).
var Messages = map[string]string{
	CodeSubAccountNoPermission:    "SUB_ACC_NO_PERMISSION",
	CodeInvalidName:               "INVALID_RESOURCE_NAME",
	CodeNameDuplicated:            "DUPLICATED_RESOURCE_NAME",
	CodeInvalidQuery:              "INVALID_QUERY_PARAMETER",
	CodeTryAgainLater:             "Please try again in a few minutes.",
	CodePackageNotFound:           "PACKAGE_NOT_FOUND",
	CodePackagePlatformMismatch:   "PACKAGE_PLATFORM_MISMATCH",
	CodePackageInvalidField:       "PACKAGE_BODY_INVALID_FIELD",
	CodePackageNotEmpty:           "PACKAGE_NOT_EMPTY",
	CodeActionNotFound:            "ACTION_NOT_FOUND",
	CodeActionPlatformMismatch:    "ACTION_PLATFORM_MISMATCH",
	CodeActionTypeMismatch:        "ACTION_TYPE_MISMATCH",
	CodeActionBodyMissingField:    "ACTION_BODY_MISSING_FIELD",
	CodeActionInvalidField:        "ACTION_BODY_INVALID_FIELD",
	CodeActionUnsupportedKind:     "ACTION_INVALID_RUNTIME",
	CodeActionVpcNotFound:         "ACTION_VPC_NOT_FOUND",
	CodeActionSubnetNotFound:      "ACTION_SUBNET_NOT_FOUND",
	CodeSequenceComponentMissing:  "ACTION_SEQUENCE_COMPONENT_NOT_FOUND",
	CodeActionInvalidParams:       "ACTION_INVALID_RUNTIME_PARAMS",
	CodeActionActivationNotFound:  "ACTION_ACTIVATION_NOT_FOUND",
	CodeActionLinkLimitExceeded:   "ACTION_LINK_LIMIT_EXCEEDED",
	CodeActionNATException:        "ACTION_NAT_EXCEPTION",
	CodeTriggerNotFound:           "TRIGGER_NOT_FOUND",
	CodeTriggerPlatformMismatch:   "TRIGGER_PLATFORM_MISMATCH",
	CodeTriggerTypeMismatch:       "TRIGGER_TYPE_MISMATCH",
	CodeTriggerBodyMissingField:   "TRIGGER_BODY_MISSING_FIELD",
	CodeTriggerInvalidField:       "TRIGGER_BODY_INVALID_FIELD",
	CodeTriggerEventRuleNotFound:  "TRIGGER_EVENT_RULE_NOT_FOUND",
	CodeTriggerBucketLimit:        "TRIGGER_BUCKET_LIMIT_EXCEEDED",
	CodeTriggerInvalidParams:      "TRIGGER_INVALID_RUNTIME_PARAMS",
	CodeTriggerInvokeFail:         "TRIGGER_INVOKE_FAIL",
	CodeTriggerActivationNotFound: "TRIGGER_ACTIVATION_NOT_FOUND",
	CodeTriggerLinkLimitExceeded:  "TRIGGER_LINK_LIMIT_EXCEEDED",
	CodeDuplicatedRule:            "DUPLICATED_RULE",
	CodeRuleNotFound:              "RULE_NOT_FOUND",
}

// Statuses are the HTTP statuses of the codes above.
var Statuses = map[string]int{
	CodeSubAccountNoPermission: 403, CodeInvalidName: 400, CodeNameDuplicated: 409, CodeInvalidQuery: 400,
	CodeTryAgainLater:   400,
	CodePackageNotFound: 404, CodePackagePlatformMismatch: 400, CodePackageInvalidField: 400, CodePackageNotEmpty: 409,
	CodeActionNotFound: 404, CodeActionPlatformMismatch: 400, CodeActionTypeMismatch: 400,
	CodeActionBodyMissingField: 400, CodeActionInvalidField: 400, CodeActionUnsupportedKind: 400,
	CodeActionVpcNotFound: 400, CodeActionSubnetNotFound: 400, CodeSequenceComponentMissing: 400,
	CodeActionInvalidParams: 400, CodeActionActivationNotFound: 404, CodeActionLinkLimitExceeded: 400,
	CodeActionNATException: 500,
	CodeTriggerNotFound:    404, CodeTriggerPlatformMismatch: 400, CodeTriggerTypeMismatch: 400,
	CodeTriggerBodyMissingField: 400, CodeTriggerInvalidField: 400, CodeTriggerEventRuleNotFound: 400,
	CodeTriggerBucketLimit: 400, CodeTriggerInvalidParams: 400, CodeTriggerInvokeFail: 400,
	CodeTriggerActivationNotFound: 404, CodeTriggerLinkLimitExceeded: 400,
	CodeDuplicatedRule: 400, CodeRuleNotFound: 404,
}

// RetryableCodes mean "nothing was done, try again".
var RetryableCodes = []string{CodeTryAgainLater}

// NotFoundSuffix ends the message name of every "does not exist" error
// (PACKAGE_NOT_FOUND, ACTION_NOT_FOUND, TRIGGER_NOT_FOUND,
// ACTION_ACTIVATION_NOT_FOUND, ...). Only some of their codes are known
// [?]; the names follow one pattern [C-3p].
const NotFoundSuffix = "_NOT_FOUND"
