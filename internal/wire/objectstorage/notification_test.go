package objectstorage

import (
	"encoding/xml"
	"os"
	"reflect"
	"testing"
)

// A notification configuration as the AWS SDKs write it (S3's
// LambdaFunctionConfiguration is CloudFunctionConfiguration on the wire),
// read as a rule and written back.
func TestNotificationConfiguration(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/notification.xml")
	if err != nil {
		t.Fatal(err)
	}
	var nc NotificationConfiguration
	if err := xml.Unmarshal(b, &nc); err != nil {
		t.Fatal(err)
	}
	if len(nc.CloudFunctionConfigurations) != 1 || nc.TopicConfigurations != nil || nc.EventBridge != nil {
		t.Fatalf("configuration %+v", nc)
	}
	r := EventRuleOf(nc.CloudFunctionConfigurations[0])
	want := EventRule{Name: "upload-mp4", Events: []string{EventObjectCreatedAll}, Prefix: "incoming/", Suffix: ".mp4", Target: "cloudfunctions"}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("rule %+v, want %+v", r, want)
	}
	out, err := xml.Marshal(NotificationConfiguration{CloudFunctionConfigurations: []CloudFunctionConfiguration{r.Configuration()}})
	if err != nil {
		t.Fatal(err)
	}
	var back NotificationConfiguration
	if err := xml.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if got := EventRuleOf(back.CloudFunctionConfigurations[0]); !reflect.DeepEqual(got, want) {
		t.Errorf("round trip %+v (%s)", got, out)
	}
	if c := (EventRule{Name: "x", Target: "t"}).Configuration(); c.Filter != nil {
		t.Errorf("a rule without filters writes %+v", c.Filter)
	}
}

func TestEventMatches(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		rule, ev string
		want     bool
	}{
		{EventObjectCreatedAll, EventObjectCreatedPut, true},
		{EventObjectCreatedAll, EventObjectCreatedMultipart, true},
		{EventObjectCreatedPut, EventObjectCreatedPut, true},
		{EventObjectCreatedPut, EventObjectCreatedCopy, false},
		{EventObjectCreatedAll, EventObjectRemovedDelete, false},
		{EventObjectRemovedAll, EventObjectRemovedDelete, true},
		{"", EventObjectCreatedPut, false},
	} {
		if got := EventMatches(tc.rule, tc.ev); got != tc.want {
			t.Errorf("EventMatches(%q, %q) = %v", tc.rule, tc.ev, got)
		}
	}
}
