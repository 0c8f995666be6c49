package cloudfunctions

import (
	"slices"
	"time"
)

// The rules NCP applies to Cloud Functions requests (ncp-api.md §4), as
// data. The provider's plan-time validators and ncplocal's request checks
// are separate code; both read these values.

// Name rule of packages, actions and triggers [C] (DOC
// compute-cloudfunctions-v2-putaction): 1 to 50 characters of letters,
// digits, '-' and '_', not starting with '-', and unique across packages,
// actions and triggers of the account.
const (
	NameMinLength = 1
	NameMaxLength = 50
	// NamePattern is the whole rule as a regular expression.
	NamePattern = `^[A-Za-z0-9_][A-Za-z0-9_-]{0,49}$`
	// NameRule is the rule in words, for messages and documentation.
	NameRule = "1 to 50 characters of letters, digits, '-' and '_', not starting with '-'"
)

// NoPackage is the package name of actions that belong to no package [C].
const NoPackage = "-"

// MaxDescriptionBytes bounds package, action and trigger descriptions (in
// bytes, not characters) [C].
const MaxDescriptionBytes = 3000

// limits.timeout range in ms [C].
const (
	MinTimeoutMs = 500
	MaxTimeoutMs = 300000
)

// MemorySizes are the values of limits.memory in MB [C].
var MemorySizes = []int{128, 256, 512, 1024}

// ActionTypes are the values of an action PUT's type query parameter;
// ActionTypeBasic is the default [C].
var ActionTypes = []string{ActionTypeBasic, ActionTypeWeb, ActionTypeSequence, ActionTypeSequenceWeb}

// TriggerTypes are the values of a trigger PUT's type query parameter
// (required) [C].
var TriggerTypes = []string{TriggerTypeCron, TriggerTypeGithub, TriggerTypeInsight, TriggerTypeObjectStorage,
	TriggerTypeSourceCommit, TriggerTypeSecretManager}

// KindCustomImage is exec.kind of an action run from a container image
// (exec.imageUri, API v2.1 only) [C-3p].
const KindCustomImage = "custom image"

// SupportedKinds are the exec.kind values accepted for new actions
// (2026-07) [C-3p].
var SupportedKinds = []string{"nodejs:22", "python:3.13", "java", "java:21", "swift:3.1.1", "php:7.3",
	"go:1.19", "dotnet:2.2", KindCustomImage}

// DeprecatedKinds were deprecated on 2025-09-18: refused for new actions
// [C-3p]. An action made before keeps its kind (and may be updated with
// it [?]).
var DeprecatedKinds = []string{"nodejs:6", "nodejs:8", "nodejs:12", "nodejs:16", "python:3.6", "python:3.7",
	"python:3.11", "php:7.1", "go:1.11"}

// BinaryKinds need exec.binary true with a base64 .jar or .zip [C-3p].
var BinaryKinds = []string{"java", "java:21", "dotnet:2.2"}

// IsSupportedKind reports whether kind may be used by a new action.
func IsSupportedKind(kind string) bool { return slices.Contains(SupportedKinds, kind) }

// IsDeprecatedKind reports whether kind is one of DeprecatedKinds.
func IsDeprecatedKind(kind string) bool { return slices.Contains(DeprecatedKinds, kind) }

// MaxInvokeTimeoutMs bounds invoke's timeout query parameter (0..60000)
// [C].
const MaxInvokeTimeoutMs = 60000

// Activation list paging and window [C] (GL v2 spec, MCP): pageNo from 1
// (default 1), pageSize default 20; start and end in ms epoch (v2.1); the
// default window, and the most that can be queried, is the last month.
const (
	DefaultPageNo   = 1
	DefaultPageSize = 20
	// MaxPageSize is ncplocal's bound on pageSize [?] (NCP documents none).
	MaxPageSize = 100
)

// ActivationRetention is how far back activations can be queried: one
// month [C]; ncplocal takes 30 days [?].
const ActivationRetention = 30 * 24 * time.Hour

// MaxTriggersPerBucket bounds the object_storage triggers of one bucket
// [C] (guide cloudfunctions-objectstorage-vpc).
const MaxTriggersPerBucket = 10

// CronFields is the number of fields of a cron trigger's cronOption: a
// 5-field UNIX cron, evaluated in KST [C-3p].
const CronFields = 5

// CronLocation is the time zone cron triggers are evaluated in (KST, UTC+9).
var CronLocation = time.FixedZone("KST", 9*60*60)

// ObjectStorage event payload keys, as an action fired by an object_storage
// trigger receives them. The tutorial reads object_name [C]; the other keys
// are not documented [?].
const (
	EventKeyObjectName = "object_name"
	EventKeyBucketName = "bucket_name"
	EventKeyEventType  = "event_type"
)
