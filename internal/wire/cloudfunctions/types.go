package cloudfunctions

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Parameters are default or runtime parameters: a JSON object. The docs
// show string values ({"key": "value"}) [C]; OpenWhisk, on which the
// service is built, takes any JSON value, and so does ncplocal [?].
type Parameters map[string]any

// StringParameters converts string values to Parameters.
func StringParameters(m map[string]string) Parameters {
	if m == nil {
		return nil
	}
	p := make(Parameters, len(m))
	for k, v := range m {
		p[k] = v
	}
	return p
}

// Strings returns the parameters as strings: a string value as it is, any
// other value as its JSON text (so {"n": 1} gives "1").
func (p Parameters) Strings() map[string]string {
	if p == nil {
		return nil
	}
	m := make(map[string]string, len(p))
	for k, v := range p {
		if s, ok := v.(string); ok {
			m[k] = s
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			b = []byte(fmt.Sprint(v))
		}
		m[k] = string(b)
	}
	return m
}

// Merge returns the parameters of layers merged in order, a later layer
// winning: Merge(package, action, trigger, runtime) is NCP's precedence
// "runtime > trigger > action > package" (§4.2) [C].
func Merge(layers ...Parameters) Parameters {
	out := Parameters{}
	for _, l := range layers {
		for k, v := range l {
			out[k] = v
		}
	}
	return out
}

// Keys returns the parameter names, sorted.
func (p Parameters) Keys() []string {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ---------------------------------------------------------------- packages

// PackageRequest is the body of PUT …/packages/{packageName} (§4.2). With no
// field set it is sent as {}, which NCP requires [C].
type PackageRequest struct {
	// Description is 0–3000 bytes (MaxDescriptionBytes).
	Description string     `json:"description,omitempty"`
	Parameters  Parameters `json:"parameters,omitempty"`
}

// Package is a package as PUT and GET answer it (§4.2): the PUT answer has
// description, name, namespace, parameters and resourceId; GET adds the
// package's actions and its platform [C].
type Package struct {
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Parameters  Parameters `json:"parameters"`
	Namespace   string     `json:"namespace,omitempty"`
	ResourceID  string     `json:"resourceId,omitempty"`
	Platform    string     `json:"platform,omitempty"`
	// Actions lists the package's actions on GET ([] when it has none).
	// What an element holds is not documented [?]: ncplocal gives the
	// action summary of the action list.
	Actions []ActionSummary `json:"actions,omitempty"`
}

// PackageList is the content of GET …/packages [?] (list shape as for
// activations: an array and a count).
type PackageList struct {
	Packages   []Package `json:"packages"`
	TotalCount int       `json:"totalCount"`
}

// ----------------------------------------------------------------- actions

// Action types (the type query parameter of PUT; immutable) [C].
const (
	ActionTypeBasic       = "basic"
	ActionTypeWeb         = "web"
	ActionTypeSequence    = "sequence"
	ActionTypeSequenceWeb = "sequence-web"
)

// KindSequence is exec.kind of a sequence action [C-3p].
const KindSequence = "sequence"

// Exec is an action's exec object (§4.3).
type Exec struct {
	// Kind is the runtime ("python:3.13"), or KindSequence.
	Kind string `json:"kind"`
	// Binary: Code is the base64 of a zip (required for java and dotnet).
	Binary bool `json:"binary,omitempty"`
	// Code is the source, or with Binary the base64 of the archive.
	Code string `json:"code,omitempty"`
	// Main is the function to call; empty means "main".
	Main string `json:"main,omitempty"`
	// ImageURI is a custom image's "{registry}/{image}:{tag}" (v2.1 only).
	ImageURI string `json:"imageUri,omitempty"`
	// Components are a sequence's "{packageName}/{actionName}" in run
	// order ("-" = no package) [C-3p].
	Components []string `json:"components,omitempty"`
}

// MarshalJSON writes binary on every exec but a sequence's, as the
// documented bodies do ("binary": false included) [C].
func (e Exec) MarshalJSON() ([]byte, error) {
	type plain Exec
	if e.Kind == KindSequence {
		return json.Marshal(plain(e))
	}
	return json.Marshal(struct {
		plain
		Binary bool `json:"binary"`
	}{plain(e), e.Binary})
}

// Limits are an action's limits: both required for basic and web actions
// [C].
type Limits struct {
	// Timeout in ms, MinTimeoutMs..MaxTimeoutMs.
	Timeout int `json:"timeout"`
	// Memory in MB, one of MemorySizes.
	Memory int `json:"memory"`
}

// VPCLink is one element of an action's vpc array: required for basic and
// web actions on platform=vpc; numbers, not strings [C] (DOC example
// {"vpcNo": 21538, "subnetNo": 45007}).
type VPCLink struct {
	VpcNo    int64 `json:"vpcNo"`
	SubnetNo int64 `json:"subnetNo"`
}

// ActionRequest is the body of PUT …/actions/{actionName} in API v2.1
// (§4.3). Sequence actions set only Description, Parameters and Exec
// (Kind KindSequence with Components).
type ActionRequest struct {
	Description string     `json:"description,omitempty"`
	Parameters  Parameters `json:"parameters,omitempty"`
	Exec        *Exec      `json:"exec,omitempty"`
	Limits      *Limits    `json:"limits,omitempty"`
	VPC         []VPCLink  `json:"vpc,omitempty"`
	// RawHTTP and CustomOptions are for web actions only (hyphenated keys).
	RawHTTP       *bool `json:"raw-http,omitempty"`
	CustomOptions *bool `json:"custom-options,omitempty"`
}

// Action is an action as PUT and GET answer it (§4.3): the documented
// fields [C] and namespace, version and type, which the docs do not confirm
// [?]. The PUT answer echoes exec.code [C-3p].
type Action struct {
	Name          string     `json:"name"`
	Namespace     string     `json:"namespace,omitempty"`
	Version       string     `json:"version,omitempty"`
	Type          string     `json:"type,omitempty"`
	Description   string     `json:"description"`
	Parameters    Parameters `json:"parameters"`
	Exec          Exec       `json:"exec"`
	Limits        *Limits    `json:"limits,omitempty"`
	VPC           []VPCLink  `json:"vpc,omitempty"`
	RawHTTP       bool       `json:"raw-http"`
	CustomOptions bool       `json:"custom-options"`
	// Web reports a web action (type web or sequence-web) [?].
	Web bool `json:"web"`
}

// ActionSummary is an element of an action list [?] (OpenWhisk lists
// actions without their code).
type ActionSummary struct {
	Name        string `json:"name"`
	Namespace   string `json:"namespace,omitempty"`
	Version     string `json:"version,omitempty"`
	Type        string `json:"type,omitempty"`
	Kind        string `json:"kind,omitempty"`
	Description string `json:"description"`
}

// ActionList is the content of GET …/packages/{p}/actions [?].
type ActionList struct {
	Actions    []ActionSummary `json:"actions"`
	TotalCount int             `json:"totalCount"`
}

// InvokeResult is the content of POST …/actions/{a} (invoke) [C-3p]: the
// activation id, and when it finished within the timeout its duration and
// response. An activation still running when timeout passes answers with
// the id alone [C].
type InvokeResult struct {
	ActivationID string              `json:"activationId"`
	Duration     int64               `json:"duration,omitempty"`
	Response     *ActivationResponse `json:"response,omitempty"`
}

// ------------------------------------------------------------- activations

// ActivationResponse is an activation's outcome [C-3p] (OpenWhisk's
// response: status "success", "application error", "action developer
// error" or "whisk internal error").
type ActivationResponse struct {
	Status     string         `json:"status"`
	StatusCode int            `json:"statusCode"`
	Success    bool           `json:"success"`
	Result     map[string]any `json:"result"`
}

// Activation is an activation as the detail and list answers give it:
// activationId, duration, start and end (ms epoch) [C], the rest [C-3p]/[?].
type Activation struct {
	ActivationID string             `json:"activationId"`
	Name         string             `json:"name"`
	Namespace    string             `json:"namespace,omitempty"`
	Version      string             `json:"version,omitempty"`
	Start        int64              `json:"start"`
	End          int64              `json:"end"`
	Duration     int64              `json:"duration"`
	StatusCode   int                `json:"statusCode"`
	Response     ActivationResponse `json:"response"`
	Logs         []string           `json:"logs"`
	// Kind says what ran: an action kind, "sequence", or "trigger" [?].
	Kind string `json:"kind,omitempty"`
	// Cause is the id of the activation (a trigger's or a sequence's) that
	// started this one [?] (OpenWhisk's cause).
	Cause string `json:"cause,omitempty"`
}

// ActivationList is the content of the activation lists [C-3p] (MCP mock:
// content.activations[] and content.totalCount).
type ActivationList struct {
	Activations []Activation `json:"activations"`
	TotalCount  int          `json:"totalCount"`
}

// FireResult is the content of POST …/triggers/{t} (fire) [C]: the
// trigger activation's id.
type FireResult struct {
	ActivationID string `json:"activationId"`
}

// ---------------------------------------------------------------- triggers

// Trigger types of API v2.1 (the type query parameter of PUT; immutable)
// [C].
const (
	TriggerTypeCron          = "cron"
	TriggerTypeGithub        = "github"
	TriggerTypeInsight       = "insight"
	TriggerTypeObjectStorage = "object_storage"
	TriggerTypeSourceCommit  = "source_commit"
	TriggerTypeSecretManager = "secret_manager"
)

// ObjectStorageLink names a bucket event rule an object_storage trigger
// listens to [C-3p].
type ObjectStorageLink struct {
	BucketName    string `json:"bucketName"`
	EventRuleName string `json:"eventRuleName"`
}

// GithubCredential is a github trigger's credential [C-3p].
type GithubCredential struct {
	Username    string `json:"username"`
	AccessToken string `json:"accessToken"`
	Repository  string `json:"repository"`
}

// APIGatewayLink is a github trigger's API Gateway endpoint [C-3p].
type APIGatewayLink struct {
	ProductName string `json:"productName"`
	APIName     string `json:"apiName"`
	StageName   string `json:"stageName"`
}

// InsightLink is one element of an insight trigger's insightLink [C-3p].
type InsightLink struct {
	ProdKey                  string `json:"prodKey"`
	RuleGrpID                string `json:"ruleGrpId"`
	ReminderTime             int    `json:"reminderTime"`
	EnableNotiWhenEventClose bool   `json:"enableNotiWhenEventClose"`
}

// SourceCommitLink is one element of a source_commit trigger's link [C-3p].
type SourceCommitLink struct {
	RepositoryName string `json:"repositoryName"`
	WebhookName    string `json:"webhookName"`
	Enable         bool   `json:"enable"`
}

// SecretManagerLink is one element of a secret_manager trigger's link
// [C-3p].
type SecretManagerLink struct {
	SecretName string `json:"secretName"`
}

// TriggerRequest is the flat body of PUT …/triggers/{triggerName} in API
// v2.1 (§4.4): the common description and parameters, and the fields of
// the trigger's type. With no field set it is sent as {} [C].
type TriggerRequest struct {
	Description string     `json:"description,omitempty"`
	Parameters  Parameters `json:"parameters,omitempty"`
	// CronOption is a cron trigger's 5-field UNIX cron, in KST [C-3p].
	CronOption string `json:"cronOption,omitempty"`
	// ObjectStorageLink is required and non-empty for object_storage.
	ObjectStorageLink []ObjectStorageLink `json:"objectStorageLink,omitempty"`
	Credential        *GithubCredential   `json:"credential,omitempty"`
	Events            []string            `json:"events,omitempty"`
	Link              *APIGatewayLink     `json:"link,omitempty"`
	InsightLink       []InsightLink       `json:"insightLink,omitempty"`
	SourceCommitLink  []SourceCommitLink  `json:"sourceCommitLink,omitempty"`
	SecretManagerLink []SecretManagerLink `json:"secretManagerLink,omitempty"`
}

// KeyValue is an element of a trigger's execOption [C-3p]
// ([{"key":"cron","value":"0 8 * * *"}]).
type KeyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ActionRef names an action: its package ("-" for none) and name. It is
// the body of link-action and unlink [C] and an element of a trigger's
// linked actions [?].
type ActionRef struct {
	Action  string `json:"action"`
	Package string `json:"package,omitempty"`
}

// FullName is "package/action", the form of sequence components.
func (r ActionRef) FullName() string {
	p := r.Package
	if p == "" {
		p = NoPackage
	}
	return p + "/" + r.Action
}

// Trigger is a trigger as PUT and GET answer it [C-3p]: name, type,
// description, execOption, the type's links, and the linked actions. NCP's
// answers are seen with "type" or "triggerType" [C-3p]; ncplocal sends
// both. The name of the linked actions' field is a guess [?].
type Trigger struct {
	Name              string              `json:"name"`
	Type              string              `json:"type"`
	TriggerType       string              `json:"triggerType,omitempty"`
	Description       string              `json:"description"`
	Parameters        Parameters          `json:"parameters"`
	ExecOption        []KeyValue          `json:"execOption,omitempty"`
	ObjectStorageLink []ObjectStorageLink `json:"objectStorageLink,omitempty"`
	Actions           []ActionRef         `json:"actions"`
	Namespace         string              `json:"namespace,omitempty"`
	Platform          string              `json:"platform,omitempty"`
}

// TypeName returns Type, or TriggerType when only that is set.
func (t Trigger) TypeName() string {
	if t.Type != "" {
		return t.Type
	}
	return t.TriggerType
}

// TriggerList is the content of GET …/triggers [?].
type TriggerList struct {
	Triggers   []Trigger `json:"triggers"`
	TotalCount int       `json:"totalCount"`
}

// LinkResult is the content of link-action: {"status":"active"}, seen only
// in a third-party test mock [?].
type LinkResult struct {
	Status string `json:"status"`
}

// LinkStatusActive is LinkResult.Status of a link made.
const LinkStatusActive = "active"
