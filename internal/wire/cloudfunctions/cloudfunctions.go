// Package cloudfunctions holds the wire facts of NCP's Cloud Functions API
// v2.1 (ncp-api.md §4): where it lives and its error codes. Answers are
// JSON wrapped as {"content": ...}; errors use the API Gateway envelope
// {"error":{"errorCode","message","details"}} whose message is a name such
// as PACKAGE_NOT_FOUND; deletes answer 204 without a body [I].
package cloudfunctions

// PathPrefix is where API v2.1 lives on the Cloud Functions gateway host.
const PathPrefix = "/ncf/api/v2"

// ParamPlatform selects the platform of a call; PlatformVPC is the one the
// provider uses (v2.1 defaults to it) [C].
const (
	ParamPlatform = "platform"
	PlatformVPC   = "vpc"
)

// Error codes and the message names they come with. Codes marked [C] are in
// the v2 API docs (ncp-api.md §4.2); [C-3p] ones were seen from the real API
// by third-party code (§4.3, §4.4).
const (
	CodeSubAccountNoPermission    = "80002" // [C] 403 SUB_ACC_NO_PERMISSION
	CodeTryAgainLater             = "80031" // [C-3p] 400 "Please try again in a few minutes.": nothing was done, retry
	CodePackageNotFound           = "80101" // [C] 404 PACKAGE_NOT_FOUND
	CodePackagePlatformMismatch   = "80102" // [C] 400 PACKAGE_PLATFORM_MISMATCH
	CodeActionBodyMissingField    = "80306" // [C-3p] ACTION_BODY_MISSING_FIELD
	CodeActionActivationNotFound  = "80322" // [C-3p] ACTION_ACTIVATION_NOT_FOUND (also for ~30 s after an invocation)
	CodeTriggerInvokeFail         = "80512" // [C-3p] TRIGGER_INVOKE_FAIL: a trigger with no linked action was fired
	CodeTriggerActivationNotFound = "80518" // [C-3p] the trigger variant of 80322
	CodeDuplicatedRule            = "80901" // [C-3p] DUPLICATED_RULE: the action is already linked
)

// RetryableCodes mean "nothing was done, try again".
var RetryableCodes = []string{CodeTryAgainLater}

// NotFoundSuffix ends the message name of every "does not exist" error
// (PACKAGE_NOT_FOUND, ACTION_NOT_FOUND, TRIGGER_NOT_FOUND,
// ACTION_ACTIVATION_NOT_FOUND, ...). Only some of their codes are known
// [?]; the names follow one pattern [C-3p].
const NotFoundSuffix = "_NOT_FOUND"
