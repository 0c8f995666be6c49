package apigw

import (
	"encoding/json"
	"testing"
	"time"
)

// The vector is the documented string to sign (ncp-api.md §1.1) for the
// tutorial's category-list request, signed with fixed test keys.
func TestSignVector(t *testing.T) {
	t.Parallel()
	const (
		method = "GET"
		uri    = "/api/v2/category?pageNo=1&pageSizeNo=1"
		ts     = "1700000000000"
	)
	if got, want := StringToSign(method, uri, ts, "AK"), "GET /api/v2/category?pageNo=1&pageSizeNo=1\n1700000000000\nAK"; got != want {
		t.Errorf("StringToSign = %q, want %q", got, want)
	}
	if got, want := Sign(method, uri, ts, "AK", "SK"), "TMckM0KpBu008ujmEmN6r6nh3tGunPVYEiAGk4/ATUo="; got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
	if Sign(method, "/api/v2/category?pageNo=2&pageSizeNo=1", ts, "AK", "SK") == Sign(method, uri, ts, "AK", "SK") {
		t.Error("the query string must be part of the signature")
	}
}

func TestTimestamp(t *testing.T) {
	t.Parallel()
	at := time.UnixMilli(1700000000123)
	if got := Timestamp(at); got != "1700000000123" {
		t.Errorf("Timestamp = %q", got)
	}
	back, err := ParseTimestamp("1700000000123")
	if err != nil || !back.Equal(at) {
		t.Errorf("ParseTimestamp = %v, %v", back, err)
	}
	for _, ok := range []string{"0", "1", "1700000000123", "999999999999999"} {
		if _, err := ParseTimestamp(ok); err != nil {
			t.Errorf("ParseTimestamp(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{
		"", "2026-11-25T00:00:00Z", "+1795000000000", "-1700000000000", "01700000000123", "00",
		" 1700000000123", "1700000000123 ", "1700000000123.0", "1_700_000_000_123", "0x18BCFE56800",
		"1000000000000000", "99999999999999999999", "１７００", "1e12",
	} {
		if _, err := ParseTimestamp(bad); err == nil {
			t.Errorf("ParseTimestamp(%q) must fail", bad)
		}
	}
}

// The documented error bodies (ncp-api.md §0.3) decode into ErrorEnvelope,
// and an envelope encodes back to the same shape.
func TestErrorEnvelope(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"error":{"errorCode":"210","message":"Permission Denied"}}`,
		`{"error":{"errorCode":"80306","message":"ACTION_BODY_MISSING_FIELD","details":"limits.timeout is required"}}`,
		`{"error":{"errorCode":"300","message":"Not Found Exception"}}`,
	} {
		var env ErrorEnvelope
		if err := json.Unmarshal([]byte(body), &env); err != nil || env.Error.ErrorCode == "" || env.Error.Message == "" {
			t.Errorf("%s: decoded %+v, %v", body, env, err)
			continue
		}
		again, err := json.Marshal(env)
		if err != nil || string(again) != body {
			t.Errorf("re-encoded %s as %s (%v)", body, again, err)
		}
	}
	env := CodeAuthenticationFailed.Envelope("signature mismatch")
	if env.Error.ErrorCode != "200" || env.Error.Message != "Authentication Failed" || env.Error.Details != "signature mismatch" {
		t.Errorf("Envelope = %+v", env)
	}
	for _, c := range GatewayCodes {
		if c.HTTPStatus < 400 || c.Code == "" || c.Message == "" {
			t.Errorf("incomplete gateway code %+v", c)
		}
	}
}
