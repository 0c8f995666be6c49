package client

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

func TestLogging(t *testing.T) {
	t.Parallel()
	srv, _ := server(t, func(hit int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set(apigw.HeaderRequestID, fmt.Sprintf("rid-%d", hit))
		w.Header().Set("Content-Type", "application/json")
		if hit == 1 {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		// A careless server echoing the credentials must not leak them.
		_, _ = fmt.Fprintf(w, `{"echo":%q}`, testAK+" "+testSK)
	})
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	c := newTestClient(t, nil)
	_, err := c.Do(ctx, &Request{Service: "vpc", Operation: "createVpc", Method: "POST", BaseURL: srv.URL,
		Path: "/vpc/v2/createVpc", Query: url.Values{"responseFormatType": {"json"}},
		Body: []byte("vpcName=test&key=" + testAK), ContentType: "application/x-www-form-urlencoded",
		RetryableCodes: []string{"1001015"}})
	if err != nil {
		t.Fatalf("Do: %v", err)
	}

	raw := buf.String()
	if strings.Contains(raw, testSK) {
		t.Error("the secret key was logged")
	}
	if strings.Contains(raw, testAK) {
		t.Error("the access key was logged unmasked")
	}
	if !strings.Contains(raw, MaskAccessKey(testAK)) {
		t.Error("the masked access key is not in the request headers logged at TRACE")
	}

	entries, err := tflogtest.MultilineJSONDecode(&buf)
	if err != nil {
		t.Fatalf("decoding logs: %v", err)
	}
	var debug, trace, retries int
	for _, e := range entries {
		if !strings.HasSuffix(fmt.Sprint(e["@module"]), LogSubsystem) {
			t.Errorf("entry outside the %q subsystem: %v", LogSubsystem, e)
		}
		switch {
		case e["@level"] == "debug" && e["@message"] == "NCP API request":
			debug++
			if e["method"] != "POST" || e["path"] != "/vpc/v2/createVpc" || e["service"] != "vpc" ||
				e["operation"] != "createVpc" || e["attempt"] != float64(debug) || e["duration_ms"] == nil {
				t.Errorf("debug entry %v", e)
			}
			wantStatus := map[int]float64{1: 429, 2: 200}[debug]
			if e["status"] != wantStatus || e["request_id"] != fmt.Sprintf("rid-%d", debug) {
				t.Errorf("debug entry %d: status %v request id %v", debug, e["status"], e["request_id"])
			}
			for k, v := range e {
				if s, ok := v.(string); ok && strings.Contains(s, "responseFormatType") {
					t.Errorf("DEBUG field %s carries the query: %q", k, s)
				}
			}
		case e["@level"] == "debug" && e["@message"] == "Retrying NCP API request":
			retries++
		case e["@level"] == "trace":
			trace++
			if !strings.Contains(fmt.Sprint(e["request_body"]), "vpcName=test") {
				t.Errorf("trace entry lacks the form body: %v", e)
			}
			if e["status"] == float64(200) && !strings.Contains(fmt.Sprint(e["response_body"]), `{"echo":`) {
				t.Errorf("trace entry of the answered attempt lacks the response body: %v", e)
			}
			hdrs := fmt.Sprint(e["request_headers"])
			if !strings.Contains(hdrs, "X-Ncp-Apigw-Signature-V2: ***") {
				t.Errorf("signature not masked in %q", hdrs)
			}
		}
	}
	if debug != 2 || retries != 1 || trace != 2 {
		t.Errorf("got %d debug, %d retry, %d trace entries; want 2, 1, 2:\n%s", debug, retries, trace, raw)
	}
}

// Logging must not eat the response body, even a long one.
func TestLoggingKeepsBody(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 3*maxLoggedBody)
	srv, _ := server(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(long))
	})
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	resp, err := newTestClient(t, nil).Do(ctx, &Request{BaseURL: srv.URL, Path: "/"})
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if string(resp.Body) != long {
		t.Errorf("got %d bytes, want %d", len(resp.Body), len(long))
	}
	if !strings.Contains(buf.String(), "(truncated)") || buf.Len() > 2*maxLoggedBody {
		t.Errorf("logged body not capped (%d bytes of logs)", buf.Len())
	}
}

func TestLogHeadersMasking(t *testing.T) {
	t.Parallel()
	lt := &logTransport{}
	h := http.Header{}
	h.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testAK+"/20260101/kr-standard/s3/aws4_request, Signature=abc")
	h.Set("X-Amz-Security-Token", "token")
	h.Set(apigw.HeaderAccessKey, testAK)
	h.Set("Content-Type", "application/xml")
	got := lt.headers(h)
	want := "Authorization: AWS4-HMAC-SHA256 ***\nContent-Type: application/xml\n" +
		"X-Amz-Security-Token: ***\nX-Ncp-Iam-Access-Key: " + MaskAccessKey(testAK) + "\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	q := url.Values{"X-Amz-Credential": {testAK + "/x"}, "uploads": {""}}
	if got := maskQuery(q); strings.Contains(got, testAK) || !strings.Contains(got, "uploads=") {
		t.Errorf("maskQuery = %q", got)
	}
}

func TestMaskAccessKey(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"":                     "",
		"AK":                   "**",
		"ABCDEFGHI":            "*********",
		"ABCDEFGHIJ":           "AB******IJ",
		"ABCD1234567890WXYZ":   "ABCD**********WXYZ",
		"ABCDEFGHIJKLMNOPWXYZ": "ABCD************WXYZ",
		"키키키키키키키키키":            "*********",
	}
	for in, want := range tests {
		got := MaskAccessKey(in)
		if got != want {
			t.Errorf("MaskAccessKey(%q) = %q, want %q", in, got, want)
		}
		if len(in) >= 4 && strings.Contains(got, in) {
			t.Errorf("MaskAccessKey(%q) reveals the key", in)
		}
	}
}
