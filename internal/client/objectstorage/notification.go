package objectstorage

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// Operation names of the bucket event rule calls.
const (
	OpGetBucketNotificationConfiguration = "GetBucketNotificationConfiguration"
	OpPutBucketNotificationConfiguration = "PutBucketNotificationConfiguration"
)

// GetBucketEventRules returns the bucket event rules of bucket name
// (GET /{bucket}?notification; see wire.NotificationConfiguration): one
// per CloudFunctionConfiguration, in the order the server gives them. A
// bucket that does not exist gives a KindNotFound error.
func (c *Client) GetBucketEventRules(ctx context.Context, name string) ([]wire.EventRule, error) {
	out, err := c.s3.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String(name)})
	if err != nil {
		return nil, mapError(OpGetBucketNotificationConfiguration, true, err)
	}
	rules := make([]wire.EventRule, 0, len(out.LambdaFunctionConfigurations))
	for _, l := range out.LambdaFunctionConfigurations {
		r := wire.EventRule{Name: aws.ToString(l.Id), Target: aws.ToString(l.LambdaFunctionArn)}
		for _, e := range l.Events {
			r.Events = append(r.Events, string(e))
		}
		if l.Filter != nil && l.Filter.Key != nil {
			var cf wire.CloudFunctionConfiguration
			cf.Filter = &wire.Filter{}
			for _, fr := range l.Filter.Key.FilterRules {
				cf.Filter.S3Key.FilterRules = append(cf.Filter.S3Key.FilterRules,
					wire.FilterRule{Name: string(fr.Name), Value: aws.ToString(fr.Value)})
			}
			f := wire.EventRuleOf(cf)
			r.Prefix, r.Suffix = f.Prefix, f.Suffix
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// PutBucketEventRules replaces every bucket event rule of bucket name with
// rules (PUT /{bucket}?notification); no rules removes them all. The
// request may be resent: it sets the whole configuration.
func (c *Client) PutBucketEventRules(ctx context.Context, name string, rules []wire.EventRule) error {
	cfg := &types.NotificationConfiguration{LambdaFunctionConfigurations: []types.LambdaFunctionConfiguration{}}
	for _, r := range rules {
		l := types.LambdaFunctionConfiguration{Id: aws.String(r.Name), LambdaFunctionArn: aws.String(r.Target)}
		for _, e := range r.Events {
			l.Events = append(l.Events, types.Event(e))
		}
		var frs []types.FilterRule
		if r.Prefix != "" {
			frs = append(frs, types.FilterRule{Name: types.FilterRuleNamePrefix, Value: aws.String(r.Prefix)})
		}
		if r.Suffix != "" {
			frs = append(frs, types.FilterRule{Name: types.FilterRuleNameSuffix, Value: aws.String(r.Suffix)})
		}
		if frs != nil {
			l.Filter = &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: frs}}
		}
		cfg.LambdaFunctionConfigurations = append(cfg.LambdaFunctionConfigurations, l)
	}
	_, err := c.s3.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{
		Bucket: aws.String(name), NotificationConfiguration: cfg})
	return mapError(OpPutBucketNotificationConfiguration, true, err)
}
