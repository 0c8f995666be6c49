package objectstorage

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"sync"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/client"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// The bucket event rule calls against a fake that checks what is sent
// (GET/PUT /{bucket}?notification, CloudFunctionConfiguration elements)
// and answers with the wire fixture.
func TestBucketEventRules(t *testing.T) {
	t.Parallel()
	fixture, err := os.ReadFile("../../wire/objectstorage/testdata/notification.xml")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var seen []string
	var putBody []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r.Method+" "+r.URL.RequestURI())
		switch r.Method {
		case http.MethodGet:
			w.Header().Set("Content-Type", "application/xml")
			_, _ = w.Write(fixture)
		case http.MethodPut:
			putBody, _ = io.ReadAll(r.Body)
		}
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL)

	rules, err := c.GetBucketEventRules(t.Context(), "upload")
	if err != nil {
		t.Fatal(err)
	}
	want := []wire.EventRule{{Name: "upload-mp4", Events: []string{wire.EventObjectCreatedAll}, Prefix: "incoming/", Suffix: ".mp4", Target: "cloudfunctions"}}
	if !reflect.DeepEqual(rules, want) {
		t.Errorf("rules %+v", rules)
	}
	if err := c.PutBucketEventRules(t.Context(), "upload", want); err != nil {
		t.Fatal(err)
	}
	var nc wire.NotificationConfiguration
	if err := xml.Unmarshal(putBody, &nc); err != nil {
		t.Fatalf("%s: %v", putBody, err)
	}
	if len(nc.CloudFunctionConfigurations) != 1 || !reflect.DeepEqual(wire.EventRuleOf(nc.CloudFunctionConfigurations[0]), want[0]) {
		t.Errorf("sent %s", putBody)
	}
	if err := c.PutBucketEventRules(t.Context(), "upload", nil); err != nil {
		t.Fatal(err)
	}
	var none wire.NotificationConfiguration
	if err := xml.Unmarshal(putBody, &none); err != nil || len(none.CloudFunctionConfigurations) != 0 {
		t.Errorf("removing every rule sent %s", putBody)
	}
	mu.Lock()
	defer mu.Unlock()
	if seen[0] != "GET /upload?notification=" || seen[1] != "PUT /upload?notification=" {
		t.Errorf("requests %q", seen)
	}
}

func TestBucketEventRules_NoSuchBucket(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(s3ErrorHandler(404, "NoSuchBucket", "The specified bucket does not exist."))
	t.Cleanup(srv.Close)
	if _, err := newTestClient(t, srv.URL).GetBucketEventRules(t.Context(), "nope"); !client.IsNotFound(err) {
		t.Errorf("got %v, want not found", err)
	}
}
