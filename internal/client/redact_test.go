package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

// A 401 whose details echo the string to sign, which ends with the access
// key (the way ncplocal answers a signature mismatch, and the way an API
// Gateway may): neither the error the provider turns into a diagnostic nor
// the DEBUG and TRACE logs may show the key in clear.
func TestAuthFailureEchoingTheStringToSign(t *testing.T) {
	t.Parallel()
	srv, _ := server(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		sts := apigw.StringToSign(r.Method, r.RequestURI, r.Header.Get(apigw.HeaderTimestamp), r.Header.Get(apigw.HeaderAccessKey))
		body, _ := json.Marshal(apigw.CodeAuthenticationFailed.Envelope(fmt.Sprintf("signature mismatch: the string to sign was %q", sts)))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write(body)
	})
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	_, err := newTestClient(t, nil).Do(ctx, &Request{Service: "vpc", Operation: "getVpcList", Method: "POST",
		BaseURL: srv.URL, Path: "/vpc/v2/getVpcList"})

	var e *Error
	if !errors.As(err, &e) || !IsAuth(err) || e.Code != apigw.CodeAuthenticationFailed.Code {
		t.Fatalf("got %v, want the gateway's 401", err)
	}
	if !strings.Contains(e.Details, "the string to sign was") {
		t.Fatalf("details lost: %q", e.Details)
	}
	for where, text := range map[string]string{"error": err.Error(), "details": e.Details, "logs": logs.String()} {
		if strings.Contains(text, testAK) {
			t.Errorf("the access key is in clear in the %s: %s", where, text)
		}
		if strings.Contains(text, testSK) {
			t.Errorf("the secret key is in the %s", where)
		}
	}
	// Still useful: the error shows which key was used, masked.
	if !strings.Contains(e.Details, MaskAccessKey(testAK)) {
		t.Errorf("details %q do not show the masked access key", e.Details)
	}
	if !strings.Contains(logs.String(), "the string to sign was") {
		t.Errorf("the logs lack the answer:\n%s", logs.String())
	}
}

// Values a caller marks sensitive (a Cloud Functions parameter holding a
// password) never show in TRACE bodies or errors, in any encoding.
func TestSensitiveValues(t *testing.T) {
	t.Parallel()
	const secret = `pa$$ "word"/1`
	srv, _ := server(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		// An answer echoing the request, JSON-escaped.
		msg, _ := json.Marshal("bad parameter value " + secret)
		fmt.Fprintf(w, `{"error":{"errorCode":"80306","message":%s,"details":"db_password=%s"}}`, msg, strings.ReplaceAll(secret, `"`, `\"`))
	})
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &logs)
	body, _ := json.Marshal(map[string]any{"parameters": map[string]string{"db_password": secret}})
	_, err := newTestClient(t, nil).Do(ctx, &Request{Service: "cloudfunctions", Operation: "putPackage", Method: "PUT",
		BaseURL: srv.URL, Path: "/ncf/api/v2/packages/p", Body: body, Sensitive: []string{secret, ""}})
	var e *Error
	if !errors.As(err, &e) || e.Code != "80306" {
		t.Fatalf("got %v", err)
	}
	escaped, _ := json.Marshal(secret)
	for _, form := range []string{secret, string(escaped[1 : len(escaped)-1])} {
		if strings.Contains(err.Error(), form) {
			t.Errorf("the error shows %q: %v", form, err)
		}
		if strings.Contains(logs.String(), form) {
			t.Errorf("the logs show %q", form)
		}
	}
	if !strings.Contains(e.Message, "bad parameter value ***") || e.Details != "db_password=***" {
		t.Errorf("message %q, details %q", e.Message, e.Details)
	}
	if !strings.Contains(logs.String(), `db_password`) {
		t.Error("the request body is not in the TRACE logs at all")
	}
}

func TestRedactor(t *testing.T) {
	t.Parallel()
	base := newRedactor("ABCDEFGHIJKLMNOPQRST", "secret-key")
	if base.with(nil) != base || base.with([]string{""}) != base || base.with([]string{"secret-key"}) != base {
		t.Error("with() without new values should return the same redactor")
	}
	x := base.with([]string{"pw", "a b&c"})
	tests := map[string]string{
		"key ABCDEFGHIJKLMNOPQRST used": "key ABCD************QRST used",
		"sk=secret-key":                 "sk=***",
		"form a+b%26c, path a%20b&c":    "form ***, path ***",
		"pw and pwpw":                   "*** and ******",
		"nothing secret here":           "nothing secret here",
		"":                              "",
	}
	for in, want := range tests {
		if got := x.string(in); got != want {
			t.Errorf("string(%q) = %q, want %q", in, got, want)
		}
	}
	if got := base.string("pw"); got != "pw" {
		t.Errorf("with() changed its receiver: %q", got)
	}

	cause := fmt.Errorf("dial 10.0.0.1: token pw: %w", ErrAttemptTimeout)
	e := x.error(&Error{Message: "m pw", Details: "d secret-key", Err: cause})
	if e.Message != "m ***" || e.Details != "d ***" || strings.Contains(e.Err.Error(), "pw") {
		t.Errorf("error not redacted: %+v (%v)", e, e.Err)
	}
	if !errors.Is(e, ErrAttemptTimeout) {
		t.Error("redaction broke the error chain")
	}
}
