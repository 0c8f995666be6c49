package objectstorage

import "encoding/xml"

// Bucket event rules. NCP documents no API for them: its console makes
// them ("bucket events": events, prefix/suffix filters, target Cloud
// Functions), and object_storage triggers of Cloud Functions name them
// (ncp-api.md §4.4) [?]. ncplocal and the provider express them through
// S3's bucket-notification API (GET/PUT /{bucket}?notification), which
// NCP may or may not accept (§6) [?]: each CloudFunctionConfiguration is
// one rule, its Id the rule's name, its Events the rule's events, its
// S3Key filter rules the rule's prefix and suffix, and its CloudFunction
// the rule's target.

// NotificationConfiguration is the body of PutBucketNotificationConfiguration
// and the GetBucketNotificationConfiguration answer. A PUT replaces every
// rule of the bucket; an empty configuration removes them all.
type NotificationConfiguration struct {
	XMLName xml.Name `xml:"NotificationConfiguration"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	// CloudFunctionConfigurations are the bucket event rules (S3's
	// LambdaFunctionConfiguration is written CloudFunctionConfiguration).
	CloudFunctionConfigurations []CloudFunctionConfiguration `xml:"CloudFunctionConfiguration"`
	// Topic and queue targets have no NCP counterpart: ncplocal refuses
	// them.
	TopicConfigurations []TargetConfiguration `xml:"TopicConfiguration"`
	QueueConfigurations []TargetConfiguration `xml:"QueueConfiguration"`
	EventBridge         *struct{}             `xml:"EventBridgeConfiguration"`
}

// CloudFunctionConfiguration is one bucket event rule.
type CloudFunctionConfiguration struct {
	// ID is the rule's name (S3: optional, generated when absent; ncplocal
	// requires it, since triggers name rules by it).
	ID string `xml:"Id,omitempty"`
	// CloudFunction is the rule's target.
	CloudFunction string   `xml:"CloudFunction"`
	Events        []string `xml:"Event"`
	Filter        *Filter  `xml:"Filter,omitempty"`
}

// TargetConfiguration is a topic or queue configuration, read only to be
// refused.
type TargetConfiguration struct {
	ID     string   `xml:"Id,omitempty"`
	Topic  string   `xml:"Topic,omitempty"`
	Queue  string   `xml:"Queue,omitempty"`
	Events []string `xml:"Event"`
}

// Filter is a rule's key filter.
type Filter struct {
	S3Key S3KeyFilter `xml:"S3Key"`
}

// S3KeyFilter holds the key filter rules.
type S3KeyFilter struct {
	FilterRules []FilterRule `xml:"FilterRule"`
}

// FilterRule is one key filter rule: Name FilterPrefix or FilterSuffix.
type FilterRule struct {
	Name  string `xml:"Name"`
	Value string `xml:"Value"`
}

// Filter rule names (S3 takes them case-insensitively, and so does
// ncplocal).
const (
	FilterPrefix = "prefix"
	FilterSuffix = "suffix"
)

// Bucket event types: S3's names [?] (NCP's console speaks of object
// creation and deletion). A "*" event covers its whole family.
const (
	EventObjectCreatedAll       = "s3:ObjectCreated:*"
	EventObjectCreatedPut       = "s3:ObjectCreated:Put"
	EventObjectCreatedPost      = "s3:ObjectCreated:Post"
	EventObjectCreatedCopy      = "s3:ObjectCreated:Copy"
	EventObjectCreatedMultipart = "s3:ObjectCreated:CompleteMultipartUpload"
	EventObjectRemovedAll       = "s3:ObjectRemoved:*"
	EventObjectRemovedDelete    = "s3:ObjectRemoved:Delete"
)

// BucketEvents are the event types a bucket event rule may name.
var BucketEvents = []string{EventObjectCreatedAll, EventObjectCreatedPut, EventObjectCreatedPost,
	EventObjectCreatedCopy, EventObjectCreatedMultipart, EventObjectRemovedAll, EventObjectRemovedDelete}

// Bucket event rule limits [?]: S3's (a filter value of at most 1024
// bytes, one prefix and one suffix per rule); ncplocal bounds the rules
// of a bucket at 100 and a rule name at 255 characters, and requires the
// target.
const (
	MaxEventRules          = 100
	MaxEventRuleNameLength = 255
	MaxFilterValueLength   = 1024
)

// EventRule is a bucket event rule in plain terms, as the provider and
// ncplocal's Cloud Functions use it.
type EventRule struct {
	Name   string   `json:"name"`
	Events []string `json:"events"`
	Prefix string   `json:"prefix,omitempty"`
	Suffix string   `json:"suffix,omitempty"`
	Target string   `json:"target"`
}

// Matches reports whether the rule fires for an event of type ev (see
// EventMatches) on key.
func (r EventRule) Matches(ev, key string) bool {
	if len(key) < len(r.Prefix) || key[:len(r.Prefix)] != r.Prefix ||
		len(key) < len(r.Suffix) || key[len(key)-len(r.Suffix):] != r.Suffix {
		return false
	}
	for _, e := range r.Events {
		if EventMatches(e, ev) {
			return true
		}
	}
	return false
}

// Configuration returns the rule as a CloudFunctionConfiguration.
func (r EventRule) Configuration() CloudFunctionConfiguration {
	c := CloudFunctionConfiguration{ID: r.Name, CloudFunction: r.Target, Events: append([]string(nil), r.Events...)}
	var rules []FilterRule
	if r.Prefix != "" {
		rules = append(rules, FilterRule{Name: FilterPrefix, Value: r.Prefix})
	}
	if r.Suffix != "" {
		rules = append(rules, FilterRule{Name: FilterSuffix, Value: r.Suffix})
	}
	if rules != nil {
		c.Filter = &Filter{S3Key: S3KeyFilter{FilterRules: rules}}
	}
	return c
}

// EventRuleOf returns the rule a CloudFunctionConfiguration describes
// (filter rule names in any case; the last of a name wins).
func EventRuleOf(c CloudFunctionConfiguration) EventRule {
	r := EventRule{Name: c.ID, Target: c.CloudFunction, Events: append([]string(nil), c.Events...)}
	if c.Filter != nil {
		for _, fr := range c.Filter.S3Key.FilterRules {
			switch {
			case equalFold(fr.Name, FilterPrefix):
				r.Prefix = fr.Value
			case equalFold(fr.Name, FilterSuffix):
				r.Suffix = fr.Value
			}
		}
	}
	return r
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// EventMatches reports whether a rule event (possibly a "*" family)
// covers the event type ev ("s3:ObjectCreated:Put").
func EventMatches(ruleEvent, ev string) bool {
	if ruleEvent == ev {
		return true
	}
	n := len(ruleEvent)
	return n > 0 && ruleEvent[n-1] == '*' && len(ev) >= n-1 && ev[:n-1] == ruleEvent[:n-1]
}
