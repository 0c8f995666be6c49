package emu

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

func TestAccountContext(t *testing.T) {
	t.Parallel()
	if _, ok := AccountFrom(context.Background()); ok {
		t.Error("account in an empty context")
	}
	a := Account{ID: "acct", AccessKey: "AK"}
	if got, ok := AccountFrom(WithAccount(context.Background(), a)); !ok || got != a {
		t.Errorf("AccountFrom = %+v %v", got, ok)
	}
}

func TestSetOperation(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	SetOperation(r, "ignored") // no recorder: a no-op, no panic
	if Operation(r.Context()) != "" {
		t.Error("operation without recorder")
	}
	rec := &OpRecorder{}
	r = r.WithContext(WithOpRecorder(r.Context(), rec))
	SetOperation(r, "vpc:createVpc")
	if rec.Op != "vpc:createVpc" || Operation(r.Context()) != "vpc:createVpc" {
		t.Errorf("rec.Op = %q", rec.Op)
	}
}

func TestIDs(t *testing.T) {
	t.Parallel()
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	a, b := NewRequestID(), NewRequestID()
	if !uuid.MatchString(a) || a == b {
		t.Errorf("request ids %q %q", a, b)
	}
	if tr := NewTraceID(); !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(tr) {
		t.Errorf("trace id %q", tr)
	}
	if s3 := NewS3RequestID(); !regexp.MustCompile(`^[0-9A-F]{16}$`).MatchString(s3) {
		t.Errorf("S3 request id %q", s3)
	}
	at := time.Date(2025, 8, 21, 0, 57, 32, 0, time.UTC) // 09:57:32 KST
	if got := TimestampedID("vs", at, 37); got != "vs-20250821095732-0000011" {
		t.Errorf("TimestampedID = %q", got)
	}
	if compareIDs("9", "10") >= 0 || compareIDs("10", "9") <= 0 || compareIDs("10", "10") != 0 || compareIDs("ab", "ac") >= 0 {
		t.Error("compareIDs is not numeric-then-lexical")
	}
}

func TestWriteGatewayError(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	WriteGatewayError(w, apigw.CodeRateLimited, "slow down")
	if w.Code != 429 || w.Body.String() != `{"error":{"errorCode":"420","message":"Rate Limited","details":"slow down"}}` {
		t.Errorf("got %d %s", w.Code, w.Body)
	}
}

func TestWriteS3Error(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	WriteS3Error(w, httptest.NewRequest(http.MethodGet, "/bucket/key", nil), 503, "SlowDown", "Please reduce your request rate.")
	var e S3Error
	if err := xml.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatal(err)
	}
	if w.Code != 503 || e.Code != "SlowDown" || e.Resource != "/bucket/key" || e.RequestID == "" || w.Header().Get("x-amz-request-id") != e.RequestID {
		t.Errorf("got %d %+v headers %v", w.Code, e, w.Header())
	}

	w = httptest.NewRecorder()
	WriteS3Error(w, httptest.NewRequest(http.MethodHead, "/bucket", nil), 404, "NoSuchBucket", "x")
	if w.Code != 404 || w.Body.Len() != 0 {
		t.Errorf("HEAD got %d with body %q", w.Code, w.Body)
	}
}
