package objectstorage

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// Bucket event rules (wire/objectstorage notification.go): NCP makes them
// in its console; ncplocal takes them through S3's bucket-notification API,
// one CloudFunctionConfiguration per rule, and Cloud Functions'
// object_storage triggers name them. They live with the bucket: deleting
// the bucket removes them.

// ErrNoSuchEventRule is returned by EventRule for a rule the bucket does not
// have.
var ErrNoSuchEventRule = errors.New("objectstorage: the bucket has no event rule of that name")

// validateEventRules checks a notification configuration and returns its
// rules. [?] NCP documents no such API; the checks are S3's where S3 has
// them (event names, filter rule names, one prefix and one suffix, unique
// ids), plus what a rule needs to be named by a trigger (an Id).
func validateEventRules(nc *wire.NotificationConfiguration) ([]wire.EventRule, error) {
	if len(nc.TopicConfigurations) > 0 || len(nc.QueueConfigurations) > 0 || nc.EventBridge != nil {
		return nil, notImplemented("topic, queue or EventBridge notification targets: a bucket event rule targets Cloud Functions (CloudFunctionConfiguration)")
	}
	if len(nc.CloudFunctionConfigurations) > wire.MaxEventRules {
		return nil, errorf(wire.CodeInvalidArgument, "A bucket may have at most %d event rules.", wire.MaxEventRules)
	}
	rules := make([]wire.EventRule, 0, len(nc.CloudFunctionConfigurations))
	seen := map[string]bool{}
	for i, c := range nc.CloudFunctionConfigurations {
		n := i + 1
		if c.ID == "" {
			return nil, errorf(wire.CodeInvalidArgument, "CloudFunctionConfiguration %d has no Id: the Id is the event rule's name, which triggers refer to.", n)
		}
		if utf8.RuneCountInString(c.ID) > wire.MaxEventRuleNameLength {
			return nil, errorf(wire.CodeInvalidArgument, "The Id of CloudFunctionConfiguration %d is longer than %d characters.", n, wire.MaxEventRuleNameLength)
		}
		if seen[c.ID] {
			return nil, errorf(wire.CodeInvalidArgument, "Two CloudFunctionConfigurations have the Id %q: event rule names must be unique in a bucket.", c.ID)
		}
		seen[c.ID] = true
		if strings.TrimSpace(c.CloudFunction) == "" {
			return nil, errorf(wire.CodeInvalidArgument, "CloudFunctionConfiguration %q has no CloudFunction (the rule's target).", c.ID)
		}
		if len(c.Events) == 0 {
			return nil, errorf(wire.CodeInvalidArgument, "CloudFunctionConfiguration %q names no Event.", c.ID)
		}
		for _, e := range c.Events {
			if !slices.Contains(wire.BucketEvents, e) {
				return nil, errorf(wire.CodeInvalidArgument, "The event %q of CloudFunctionConfiguration %q is not supported; events are %s.", e, c.ID, strings.Join(wire.BucketEvents, ", "))
			}
		}
		if c.Filter != nil {
			var prefixes, suffixes int
			for _, fr := range c.Filter.S3Key.FilterRules {
				switch strings.ToLower(fr.Name) {
				case wire.FilterPrefix:
					prefixes++
				case wire.FilterSuffix:
					suffixes++
				default:
					return nil, errorf(wire.CodeInvalidArgument, "The filter rule name %q of CloudFunctionConfiguration %q is not prefix or suffix.", fr.Name, c.ID)
				}
				if len(fr.Value) > wire.MaxFilterValueLength {
					return nil, errorf(wire.CodeInvalidArgument, "The %s filter of CloudFunctionConfiguration %q is longer than %d bytes.", fr.Name, c.ID, wire.MaxFilterValueLength)
				}
			}
			if prefixes > 1 || suffixes > 1 {
				return nil, errorf(wire.CodeInvalidArgument, "CloudFunctionConfiguration %q has more than one prefix or suffix filter rule.", c.ID)
			}
		}
		rules = append(rules, wire.EventRuleOf(c))
	}
	return rules, nil
}

func (req *request) putBucketNotification() error {
	if err := req.s.checkOwnBucket(req.c, req.bucket); err != nil {
		return err
	}
	data, _, err := req.readBody()
	if err != nil {
		return err
	}
	var nc wire.NotificationConfiguration
	if err := decodeXML(data, &nc); err != nil {
		return err
	}
	rules, err := validateEventRules(&nc)
	if err != nil {
		return err
	}
	return req.writeOwnBucket(func(b *bucket) error {
		if len(rules) == 0 {
			b.EventRules = nil
		} else {
			b.EventRules = rules
		}
		req.w.WriteHeader(http.StatusOK)
		return nil
	})
}

func (req *request) getBucketNotification() error {
	out := wire.NotificationConfiguration{Xmlns: wire.Namespace}
	err := req.readOwnBucket(func(b *bucket) error {
		for _, r := range b.EventRules {
			out.CloudFunctionConfigurations = append(out.CloudFunctionConfigurations, r.Configuration())
		}
		return nil
	})
	if err != nil {
		return err
	}
	writeXML(req.w, http.StatusOK, &out)
	return nil
}

// EventRule returns rule name of a bucket accountID owns: ErrNoSuchBucket,
// ErrAccessDenied (another account's bucket) or ErrNoSuchEventRule when
// there is none.
func (s *Service) EventRule(accountID, bucketName, name string) (wire.EventRule, error) {
	c := &caller{account: accountOf(accountID)}
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, err := s.ownBucket(c, bucketName)
	if err != nil {
		return wire.EventRule{}, inProcessError(err)
	}
	for _, r := range b.EventRules {
		if r.Name == name {
			r.Events = slices.Clone(r.Events)
			return r, nil
		}
	}
	return wire.EventRule{}, ErrNoSuchEventRule
}

// MatchingEventRules returns the names of the rules of bucket bucketName
// (owned by accountID) that fire for event name ev on key, in rule order.
func (s *Service) MatchingEventRules(accountID, bucketName, key, ev string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.buckets[bucketName]
	if b == nil || b.Owner != accountID {
		return nil
	}
	var names []string
	for _, r := range b.EventRules {
		if r.Matches(ev, key) {
			names = append(names, r.Name)
		}
	}
	return names
}
