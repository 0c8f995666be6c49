package ncplocal

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strings"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	"github.com/ncplabs/terraform-provider-ncp/internal/wire/apigw"
)

// Operation names the server itself counts for requests the API Gateway
// rejects before any service sees them.
const (
	OpAuthenticationFailed = "apigw:AuthenticationFailed"
	OpNotFound             = "apigw:NotFound"
)

// matchPrefix reports whether path lies under prefix. A prefix without a
// trailing slash matches only at a segment boundary ("/vpc/v2" matches
// "/vpc/v2/x" but not "/vpc/v2x"); "/vpc/v2/" also matches "/vpc/v2".
func matchPrefix(path, prefix string) bool {
	if strings.HasSuffix(prefix, "/") {
		return strings.HasPrefix(path, prefix) || path == strings.TrimSuffix(prefix, "/")
	}
	if !strings.HasPrefix(path, prefix) {
		return false
	}
	return len(path) == len(prefix) || path[len(prefix)] == '/'
}

// gatewayFor returns the route with the longest prefix matching path.
func (s *Server) gatewayFor(path string) (gatewayRoute, bool) {
	for _, g := range s.gateways { // sorted longest first
		if matchPrefix(path, g.prefix) {
			return g, true
		}
	}
	return gatewayRoute{}, false
}

// hasGatewayHeaders reports whether h carries any API Gateway auth header.
func hasGatewayHeaders(h http.Header) bool {
	for k := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-ncp-apigw-") || lk == apigw.HeaderAccessKey {
			return true
		}
	}
	return false
}

// hasAWSAuth reports whether r carries AWS credentials: an Authorization
// header of AWS signature v2 ("AWS ak:sig") or v4 ("AWS4-HMAC-SHA256 ..."),
// or a presigned-URL query.
func hasAWSAuth(r *http.Request) bool {
	if strings.HasPrefix(r.Header.Get("Authorization"), "AWS") {
		return true
	}
	q := r.URL.Query()
	return q.Has("X-Amz-Algorithm") || q.Has("X-Amz-Credential") || q.Has("AWSAccessKeyId")
}

// s3AccessKey extracts the (unverified) access key of an S3 request, used
// only to attribute call counts to an account; the S3 service verifies the
// signature itself.
func s3AccessKey(r *http.Request) string {
	auth := r.Header.Get("Authorization")
	switch {
	case strings.HasPrefix(auth, "AWS4-"):
		if _, rest, ok := strings.Cut(auth, "Credential="); ok {
			ak, _, _ := strings.Cut(rest, "/")
			return ak
		}
	case strings.HasPrefix(auth, "AWS "):
		ak, _, _ := strings.Cut(strings.TrimPrefix(auth, "AWS "), ":")
		return ak
	}
	q := r.URL.Query()
	if c := q.Get("X-Amz-Credential"); c != "" {
		ak, _, _ := strings.Cut(c, "/")
		return ak
	}
	return q.Get("AWSAccessKeyId")
}

// requestURI is the request target the client signed: the path plus query
// as sent on the wire.
func requestURI(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}

// authenticate runs the API Gateway checks of ncp-api.md §1.1 in order:
// required headers, timestamp format and skew, access key, signature. On
// failure it returns the text for the envelope's "details" field.
//
// The wording of details is ours: the real text is [?] in ncp-api.md §1.1;
// only errorCode "200" / "Authentication Failed" / HTTP 401 are confirmed.
// Likewise, that a stale timestamp gets 401/200 is [?] (the most likely form).
func (s *Server) authenticate(r *http.Request) (emu.Account, string, bool) {
	ts := r.Header.Get(apigw.HeaderTimestamp)
	ak := r.Header.Get(apigw.HeaderAccessKey)
	// The official Go SDK sends the same HMAC value under the -v1 name for
	// legacy services; both names are accepted and checked the same way.
	sig := r.Header.Get(apigw.HeaderSignatureV2)
	if sig == "" {
		sig = r.Header.Get(apigw.HeaderSignatureV1)
	}
	switch {
	case ts == "":
		return emu.Account{}, "missing header " + apigw.HeaderTimestamp, false
	case ak == "":
		return emu.Account{}, "missing header " + apigw.HeaderAccessKey, false
	case sig == "":
		return emu.Account{}, "missing header " + apigw.HeaderSignatureV2 + " (or " + apigw.HeaderSignatureV1 + ")", false
	}
	t, err := apigw.ParseTimestamp(ts)
	if err != nil {
		return emu.Account{}, fmt.Sprintf("invalid header %s: %q is not a Unix epoch in milliseconds", apigw.HeaderTimestamp, ts), false
	}
	now := s.now()
	if skew := now.Sub(t); skew > apigw.MaxClockSkew || skew < -apigw.MaxClockSkew {
		return emu.Account{}, fmt.Sprintf("timestamp out of range: %s differs from the server time by %s (at most %s allowed)",
			ts, skew.Round(1e6), apigw.MaxClockSkew), false
	}
	secret, acct, ok := s.keys.lookup(ak)
	if !ok {
		return emu.Account{}, "unknown access key", false
	}
	uri := requestURI(r)
	want := apigw.Sign(r.Method, uri, ts, ak, secret)
	if subtle.ConstantTimeCompare([]byte(sig), []byte(want)) != 1 {
		// The string to sign ends with the access key; the details show
		// everything before it and the key only partly, so that they can be
		// logged and shown as they are.
		prefix := strings.TrimSuffix(apigw.StringToSign(r.Method, uri, ts, ak), ak)
		return emu.Account{}, fmt.Sprintf("signature mismatch: the string to sign was %q followed by the access key (%s)",
			prefix, partialKey(ak)), false
	}
	return acct, "", true
}

// partialKey shows the start of an access key and how long it is, never
// more than a quarter of it.
func partialKey(ak string) string {
	r := []rune(ak)
	shown := len(r) / 4
	return fmt.Sprintf("%s… %d characters", string(r[:shown]), len(r))
}

// setGatewayHeaders adds the ids every API Gateway response carries.
func setGatewayHeaders(w http.ResponseWriter) {
	w.Header().Set(apigw.HeaderRequestID, emu.NewRequestID())
	w.Header().Set(apigw.HeaderTraceID, emu.NewTraceID())
}

// serveGateway answers a request classified as API Gateway traffic and
// returns the caller's account ID ("" when not authenticated).
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request, d dispatch) string {
	setGatewayHeaders(w)
	// The route is resolved before authentication, as a gateway must know
	// the API (and its auth settings) a request is for; an unknown path is
	// 404 whatever its credentials.
	if !d.found {
		emu.SetOperation(r, OpNotFound)
		emu.WriteGatewayError(w, apigw.CodeNotFound, "no API is served at "+r.URL.Path)
		return ""
	}
	acct, details, ok := s.authenticate(r)
	if !ok {
		emu.SetOperation(r, OpAuthenticationFailed)
		emu.WriteGatewayError(w, apigw.CodeAuthenticationFailed, details)
		return ""
	}
	r = r.WithContext(emu.WithAccount(r.Context(), acct))
	s.serveRecovering(w, r, d.route.svc, true)
	return acct.ID
}

// serveS3 answers a request classified as Object Storage traffic and returns
// the caller's account ID as claimed by its credentials ("" when unknown).
func (s *Server) serveS3(w http.ResponseWriter, r *http.Request) string {
	if s.s3 == nil {
		emu.SetOperation(r, "s3:NotImplemented")
		emu.WriteS3Error(w, r, http.StatusNotImplemented, "NotImplemented",
			"Object Storage is not emulated by this ncplocal server")
		return ""
	}
	s.serveRecovering(w, r, s.s3, false)
	if _, acct, ok := s.keys.lookup(s3AccessKey(r)); ok {
		return acct.ID
	}
	return ""
}
