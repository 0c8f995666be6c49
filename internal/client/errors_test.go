package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"testing"

	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/legacy"
)

func TestDecodeError(t *testing.T) {
	t.Parallel()
	gw := func(c apigw.GatewayCode, details string) string {
		return fmt.Sprintf(`{"error":{"errorCode":%q,"message":%q,"details":%q}}`, c.Code, c.Message, details)
	}
	tests := []struct {
		name                string
		status              int
		body                string
		kinds               map[string]Kind
		idempotent          bool
		wantKind            Kind
		wantCode, wantMsg   string
		wantDetails         string
		wantNil             bool
		isKind              func(error) bool
		wantErrorWithDetail string
	}{
		{name: "gateway auth", status: 401, body: gw(apigw.CodeAuthenticationFailed, "bad signature"),
			wantKind: KindAuth, wantCode: "200", wantMsg: "Authentication Failed", wantDetails: "bad signature", isKind: IsAuth},
		{name: "gateway permission", status: 401, body: gw(apigw.CodePermissionDenied, ""), wantKind: KindAuth, wantCode: "210", isKind: IsAuth},
		{name: "gateway not found on 400 refined", status: 400, body: gw(apigw.CodeNotFound, ""), wantKind: KindNotFound, wantCode: "300", isKind: IsNotFound},
		{name: "gateway throttle", status: 429, body: gw(apigw.CodeThrottleLimited, ""), wantKind: KindThrottled, wantCode: "410", isKind: IsThrottled},
		{name: "gateway bad request", status: 400, body: gw(apigw.CodeBadRequest, ""), wantKind: KindValidation, wantCode: "100", isKind: IsValidation},
		{name: "service code keeps status kind", status: 409, body: `{"error":{"errorCode":"80101","message":"PACKAGE_NOT_EMPTY"}}`,
			wantKind: KindConflict, wantCode: "80101", wantMsg: "PACKAGE_NOT_EMPTY", isKind: IsConflict},
		{name: "legacy json", status: 400, body: string(legacy.EncodeErrorJSON("1000036", "invalid vpcName")),
			wantKind: KindValidation, wantCode: "1000036", wantMsg: "invalid vpcName", isKind: IsValidation},
		{name: "legacy json override", status: 400, body: string(legacy.EncodeErrorJSON("1000100", "no such VPC")),
			kinds: map[string]Kind{"1000100": KindNotFound}, wantKind: KindNotFound, wantCode: "1000100", isKind: IsNotFound},
		{name: "legacy xml override", status: 400, body: string(legacy.EncodeErrorXML("1000101", "duplicate name")),
			kinds: map[string]Kind{"1000101": KindConflict}, wantKind: KindConflict, wantCode: "1000101", wantMsg: "duplicate name", isKind: IsConflict},
		{name: "legacy error in 2xx", status: 200, body: string(legacy.EncodeErrorJSON("1300", "unknown")), wantKind: KindUnknown, wantCode: "1300"},
		{name: "plain return code", status: 400, body: `{"returnCode":1000036,"returnMessage":"bad"}`, wantKind: KindValidation, wantCode: "1000036", wantMsg: "bad"},
		{name: "raw text", status: 502, body: "  <html>Bad Gateway</html>\n", idempotent: true, wantKind: KindServer, wantMsg: "<html>Bad Gateway</html>"},
		{name: "empty body", status: 404, body: "", wantKind: KindNotFound, isKind: IsNotFound},
		{name: "non-idempotent 503 ambiguous", status: 503, body: gw(apigw.CodeEndpointError, ""), wantKind: KindAmbiguous, wantCode: "500", isKind: IsAmbiguous},
		{name: "idempotent 503 server", status: 503, body: gw(apigw.CodeEndpointError, ""), idempotent: true, wantKind: KindServer, wantCode: "500"},
		{name: "success", status: 200, body: `{"createVpcResponse": {"returnCode":"0"}}`, wantNil: true},
		{name: "success xml", status: 200, body: `<?xml version="1.0"?><createVpcResponse><returnCode>0</returnCode></createVpcResponse>`, wantNil: true},
		{name: "success with error-looking field", status: 200, body: `{"error":{"errorCode":"1"}}`, wantNil: true},
		{name: "204", status: 204, body: "", wantNil: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := &Request{Service: "svc", Operation: "op", ErrorKinds: tc.kinds}
			h := http.Header{}
			h.Set(apigw.HeaderRequestID, "rid")
			e := decodeError(req, tc.status, h, []byte(tc.body), tc.idempotent)
			if tc.wantNil {
				if e != nil {
					t.Fatalf("got %v, want success", e)
				}
				return
			}
			if e == nil {
				t.Fatal("got success, want an error")
			}
			if e.Kind != tc.wantKind || e.Code != tc.wantCode || e.HTTPStatus != tc.status || e.RequestID != "rid" {
				t.Errorf("got kind %v code %q status %d request id %q", e.Kind, e.Code, e.HTTPStatus, e.RequestID)
			}
			if tc.wantMsg != "" && e.Message != tc.wantMsg {
				t.Errorf("message %q, want %q", e.Message, tc.wantMsg)
			}
			if e.Details != tc.wantDetails {
				t.Errorf("details %q, want %q", e.Details, tc.wantDetails)
			}
			if tc.isKind != nil && !tc.isKind(fmt.Errorf("wrapped: %w", e)) {
				t.Errorf("Is* helper false for %v", e)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	t.Parallel()
	e := &Error{Service: "vpc", Operation: "createVpc", HTTPStatus: 400, Code: "1000036",
		Message: "vpcName is invalid", Details: "must start with a letter", RequestID: "abc-123", Kind: KindValidation}
	want := "vpc createVpc: HTTP 400: NCP error 1000036: vpcName is invalid (must start with a letter) [request id abc-123]"
	if e.Error() != want {
		t.Errorf("got  %q\nwant %q", e.Error(), want)
	}

	cause := errors.New("connection reset")
	amb := &Error{Service: "vpc", Operation: "createVpc", Kind: KindAmbiguous, Err: cause}
	if got := amb.Error(); got != "vpc createVpc: connection reset (the request may or may not have been carried out)" {
		t.Errorf("got %q", got)
	}
	if !errors.Is(amb, cause) {
		t.Error("Unwrap does not reach the cause")
	}
	if got := (&Error{HTTPStatus: 500}).Error(); got != "HTTP 500: Internal Server Error" {
		t.Errorf("got %q", got)
	}
	if IsNotFound(errors.New("x")) || IsNotFound(nil) {
		t.Error("IsNotFound true for a non-*Error")
	}
	if KindThrottled.String() != "throttled" || Kind(99).String() != "Kind(99)" {
		t.Errorf("Kind.String: %s %s", KindThrottled, Kind(99))
	}
}

// Through Do: the body is decoded and the Kind override applies.
func TestDoErrorKinds(t *testing.T) {
	t.Parallel()
	srv, _ := server(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set(apigw.HeaderRequestID, "rid-7")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(legacy.EncodeErrorXML("1000100", "The VPC does not exist."))
	})
	c := newTestClient(t, nil)
	_, err := c.Do(context.Background(), &Request{Service: "vpc", Operation: "deleteVpc", Method: "POST",
		BaseURL: srv.URL, Path: "/vpc/v2/deleteVpc", ErrorKinds: map[string]Kind{"1000100": KindNotFound}})
	if !IsNotFound(err) {
		t.Fatalf("got %v, want not found", err)
	}
	want := "vpc deleteVpc: HTTP 400: NCP error 1000100: The VPC does not exist. [request id rid-7]"
	if err.Error() != want {
		t.Errorf("got  %q\nwant %q", err, want)
	}
}

func TestIsTransient(t *testing.T) {
	t.Parallel()
	reset := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"throttled", &Error{Kind: KindThrottled}, true},
		{"server", &Error{Kind: KindServer, HTTPStatus: 500}, true},
		{"ambiguous", &Error{Kind: KindAmbiguous}, true},
		{"attempt timeout", &Error{Err: fmt.Errorf("giving up after 3 attempts: %w", ErrAttemptTimeout)}, true},
		{"connection reset", &Error{Err: reset}, true},
		{"wrapped", fmt.Errorf("reading VPC: %w", &Error{Kind: KindServer}), true},
		{"validation", &Error{Kind: KindValidation}, false},
		{"auth", &Error{Kind: KindAuth}, false},
		{"not found", &Error{Kind: KindNotFound}, false},
		{"conflict", &Error{Kind: KindConflict}, false},
		{"validation over a reset", &Error{Kind: KindValidation, Err: reset}, false},
		{"context ended", &Error{Err: fmt.Errorf("request abandoned: %w", context.DeadlineExceeded)}, false},
		{"plain error", errors.New("boom"), false},
		{"unknown kind", &Error{HTTPStatus: 302}, false},
	}
	for _, tc := range tests {
		if got := IsTransient(tc.err); got != tc.want {
			t.Errorf("%s: IsTransient(%v) = %v, want %v", tc.name, tc.err, got, tc.want)
		}
	}
}
