package cloudfunctions

// API v2.0 (PathPrefixV20) body differences (§4.3, §4.4) [C]: an action
// says web in its body instead of a type query parameter, and its vpc is
// one object, not an array (platform=vpc only); a trigger's body wraps the
// trigger and its API Gateway link, and only cron and github exist.
// Activation windows are "yyyy-MM-ddTHH:mm:ss" in KST (TimeLayoutV20).

// ActionRequestV20 is the body of PUT /api/v2/packages/{p}/actions/{a}.
type ActionRequestV20 struct {
	Description   string     `json:"description,omitempty"`
	Parameters    Parameters `json:"parameters,omitempty"`
	Exec          *Exec      `json:"exec,omitempty"`
	Limits        *Limits    `json:"limits,omitempty"`
	VPC           *VPCLink   `json:"vpc,omitempty"`
	Web           *bool      `json:"web,omitempty"`
	RawHTTP       *bool      `json:"raw-http,omitempty"`
	CustomOptions *bool      `json:"custom-options,omitempty"`
}

// TriggerRequestV20 is the body of PUT /api/v2/triggers/{t}.
type TriggerRequestV20 struct {
	Trigger TriggerBodyV20 `json:"trigger"`
	Link    *LinkV20       `json:"link,omitempty"`
}

// TriggerBodyV20 is the trigger part of a v2.0 trigger body.
type TriggerBodyV20 struct {
	Description string     `json:"description,omitempty"`
	Parameters  Parameters `json:"parameters,omitempty"`
	CronOption  string     `json:"cronOption,omitempty"`
	// Credentials (plural in v2.0) and Events are a github trigger's.
	Credentials *GithubCredential `json:"credentials,omitempty"`
	Events      []string          `json:"events,omitempty"`
}

// LinkV20 is a v2.0 github trigger's API Gateway link (productId, not
// productName) [C].
type LinkV20 struct {
	ProductID string `json:"productId"`
	APIName   string `json:"apiName"`
	StageName string `json:"stageName"`
}

// TimeLayoutV20 is the activation window's layout in v2.0, read in KST.
const TimeLayoutV20 = "2006-01-02T15:04:05"

// TriggerTypesV20 are v2.0's trigger types.
var TriggerTypesV20 = []string{TriggerTypeCron, TriggerTypeGithub}
