// Package apigw holds what every NCP API Gateway host shares: the request
// signature (ncp-api.md §1.1), the header names and the gateway error envelope
// with its status-code table (§0.3).
package apigw

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Header names of the API Gateway signature scheme.
const (
	HeaderTimestamp   = "x-ncp-apigw-timestamp"
	HeaderAccessKey   = "x-ncp-iam-access-key"
	HeaderSignatureV2 = "x-ncp-apigw-signature-v2"
	// HeaderSignatureV1 carries the same HMAC-SHA256 value; the official Go
	// SDK uses this name for the legacy services (vpc, vserver).
	HeaderSignatureV1 = "x-ncp-apigw-signature-v1"
	HeaderRegionCode  = "x-ncp-region_code"
	HeaderLang        = "x-ncp-lang"
	HeaderRequestID   = "x-ncp-apigw-request-id"
	HeaderTraceID     = "x-ncp-trace-id"
)

// MaxClockSkew is how far a request timestamp may be from the gateway's clock.
const MaxClockSkew = 5 * time.Minute

// StringToSign builds the exact message that is signed:
// METHOD + " " + requestURI + "\n" + timestamp + "\n" + accessKey.
// requestURI is the path plus query string as sent on the wire.
func StringToSign(method, requestURI, timestamp, accessKey string) string {
	return method + " " + requestURI + "\n" + timestamp + "\n" + accessKey
}

// Sign returns Base64(HMAC-SHA256(secretKey, StringToSign(...))).
func Sign(method, requestURI, timestamp, accessKey, secretKey string) string {
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte(StringToSign(method, requestURI, timestamp, accessKey)))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Timestamp formats t as the gateway expects: Unix epoch milliseconds.
func Timestamp(t time.Time) string {
	return strconv.FormatInt(t.UnixMilli(), 10)
}

// MaxTimestampDigits bounds the length of a timestamp header value: 15
// digits of milliseconds reach past the year 30000, while today's values
// have 13.
const MaxTimestampDigits = 15

// ParseTimestamp reads a millisecond epoch timestamp header value, in the
// form Timestamp writes: plain decimal digits, without a sign, spaces or
// leading zeros ("0" itself excepted), at most MaxTimestampDigits long.
// Other spellings of the same number ("+1700000000000", "01700000000000")
// are refused rather than normalised, since the value is signed as sent.
func ParseTimestamp(s string) (time.Time, error) {
	switch {
	case s == "":
		return time.Time{}, errors.New("empty timestamp")
	case len(s) > MaxTimestampDigits:
		return time.Time{}, fmt.Errorf("timestamp %q is longer than %d digits", s, MaxTimestampDigits)
	case len(s) > 1 && s[0] == '0':
		return time.Time{}, fmt.Errorf("timestamp %q has a leading zero", s)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, fmt.Errorf("timestamp %q is not a decimal number of milliseconds", s)
		}
	}
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	return time.UnixMilli(ms), nil
}

// ErrorEnvelope is the API Gateway error body, also used by VOD Station,
// Global Edge and Cloud Functions for their own errors:
// {"error":{"errorCode":"200","message":"Authentication Failed","details":"..."}}.
type ErrorEnvelope struct {
	Error ErrorBody `json:"error"`
}

// ErrorBody is the inner object of ErrorEnvelope.
type ErrorBody struct {
	ErrorCode string `json:"errorCode"`
	Message   string `json:"message"`
	Details   string `json:"details,omitempty"`
}

// A GatewayCode is one row of the API Gateway common status-code table.
type GatewayCode struct {
	HTTPStatus int
	Code       string
	Message    string
}

// The API Gateway common status codes (ncp-api.md §0.3). The last two rows are
// marked [?] there: the public table is confirmed only up to 503/500.
var (
	CodeBadRequest            = GatewayCode{400, "100", "Bad Request Exception"}
	CodeAuthenticationFailed  = GatewayCode{401, "200", "Authentication Failed"}
	CodePermissionDenied      = GatewayCode{401, "210", "Permission Denied"}
	CodeNotFound              = GatewayCode{404, "300", "Not Found Exception"}
	CodeQuotaExceeded         = GatewayCode{429, "400", "Quota Exceeded"}
	CodeThrottleLimited       = GatewayCode{429, "410", "Throttle Limited"}
	CodeRateLimited           = GatewayCode{429, "420", "Rate Limited"}
	CodeRequestEntityTooLarge = GatewayCode{413, "430", "Request Entity Too Large"}
	CodeEndpointError         = GatewayCode{503, "500", "Endpoint Error"}
	CodeEndpointTimeout       = GatewayCode{504, "510", "Endpoint Timeout"} // [?]
	CodeUnexpectedError       = GatewayCode{500, "900", "Unexpected Error"} // [?]
)

// GatewayCodes lists every row of the table.
var GatewayCodes = []GatewayCode{
	CodeBadRequest, CodeAuthenticationFailed, CodePermissionDenied, CodeNotFound,
	CodeQuotaExceeded, CodeThrottleLimited, CodeRateLimited, CodeRequestEntityTooLarge,
	CodeEndpointError, CodeEndpointTimeout, CodeUnexpectedError,
}

// Envelope returns the error envelope for this code with the given details.
func (c GatewayCode) Envelope(details string) ErrorEnvelope {
	return ErrorEnvelope{Error: ErrorBody{ErrorCode: c.Code, Message: c.Message, Details: details}}
}
