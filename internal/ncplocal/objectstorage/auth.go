package objectstorage

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// Signature Version 4 constants.
const (
	algorithmV4    = "AWS4-HMAC-SHA256"
	amzDateFormat  = "20060102T150405Z"
	scopeTerminal  = "aws4_request"
	signingService = "s3"
	// maxClockSkew is how far a request's time may be from the service clock.
	maxClockSkew = 15 * time.Minute
	// maxPresignExpiry bounds X-Amz-Expires (one week).
	maxPresignExpiry = 7 * 24 * time.Hour
	emptySHA256      = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// Values of x-amz-content-sha256 other than a literal hex SHA-256.
const (
	unsignedPayload          = "UNSIGNED-PAYLOAD"
	streamingSigned          = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	streamingSignedTrailer   = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	streamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
)

// caller is the outcome of authentication.
type caller struct {
	// anonymous is true for a request without any credentials.
	anonymous bool
	account   emu.Account
	// payloadHash is the SigV4 x-amz-content-sha256 value ("" for SigV2 and
	// anonymous requests, whose payload is not signed).
	payloadHash string
	// The SigV4 context chunk signatures of a streaming upload chain from.
	signingKey    []byte
	amzDate       string
	scope         string
	seedSignature string
}

// credential is the parsed Credential of SigV4: AK/date/region/service/aws4_request.
type credential struct {
	accessKey, date, region, service string
}

func (c credential) scope() string {
	return c.date + "/" + c.region + "/" + c.service + "/" + scopeTerminal
}

// authenticate verifies the request's credentials: SigV4 in the
// Authorization header or in the query (presigned URL), SigV2 in the header
// or in the query, or none (anonymous).
func (s *Service) authenticate(r *http.Request, q url.Values) (*caller, error) {
	authz := r.Header.Get("Authorization")
	presignV4 := q.Has("X-Amz-Algorithm") || q.Has("X-Amz-Credential") || q.Has("X-Amz-Signature")
	presignV2 := q.Has("AWSAccessKeyId") || q.Has("Signature")
	mechanisms := 0
	for _, b := range []bool{authz != "", presignV4, presignV2} {
		if b {
			mechanisms++
		}
	}
	if mechanisms > 1 {
		return nil, errorf(wire.CodeInvalidArgument, "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified")
	}
	switch {
	case strings.HasPrefix(authz, algorithmV4+" "):
		return s.authV4Header(r, q, strings.TrimPrefix(authz, algorithmV4+" "))
	case strings.HasPrefix(authz, "AWS "):
		return s.authV2(r, q, strings.TrimPrefix(authz, "AWS "), false)
	case authz != "":
		return nil, errorf(wire.CodeInvalidArgument, "Unsupported Authorization Type")
	case presignV4:
		return s.authV4Query(r, q)
	case presignV2:
		return s.authV2(r, q, "", true)
	}
	return &caller{anonymous: true}, nil
}

// lookupKey returns the secret and account of an access key.
func (s *Service) lookupKey(accessKey string) (string, emu.Account, error) {
	if s.env.LookupKey != nil && accessKey != "" {
		if secret, acct, ok := s.env.LookupKey(accessKey); ok {
			if acct.AccessKey == "" {
				acct.AccessKey = accessKey
			}
			return secret, acct, nil
		}
	}
	return "", emu.Account{}, errCode(wire.CodeInvalidAccessKeyID)
}

// checkSkew rejects a request time more than maxClockSkew from now.
func (s *Service) checkSkew(t time.Time) error {
	d := s.now().Sub(t)
	if d > maxClockSkew || d < -maxClockSkew {
		return errorf(wire.CodeRequestTimeTooSkewed,
			"The difference between the request time (%s) and the current time (%s) is too large; at most %s is allowed.",
			t.UTC().Format(time.RFC3339), s.now().UTC().Format(time.RFC3339), maxClockSkew)
	}
	return nil
}

func (s *Service) authV4Header(r *http.Request, q url.Values, params string) (*caller, error) {
	malformed := func(msg string) error {
		return errorf(wire.CodeAuthorizationHeaderMalformed, "The authorization header is malformed; %s", msg)
	}
	fields := map[string]string{}
	for _, f := range strings.Split(params, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(f), "=")
		if !ok {
			return nil, malformed("each component must be of the form name=value")
		}
		fields[k] = v
	}
	credStr, signedStr, sig := fields["Credential"], fields["SignedHeaders"], fields["Signature"]
	if credStr == "" || signedStr == "" || sig == "" {
		return nil, malformed("it must contain Credential, SignedHeaders and Signature")
	}
	cred, err := parseCredential(credStr)
	if err != "" {
		return nil, malformed(err)
	}
	if !acceptedScopeRegion(cred.region) {
		e := errorf(wire.CodeAuthorizationHeaderMalformed, "The authorization header is malformed; the region '%s' is wrong; expecting '%s'", cred.region, wire.DefaultRegion)
		e.region = wire.DefaultRegion
		return nil, e
	}
	amzDate, t, ok := v4RequestTime(r)
	if !ok {
		return nil, errorf(wire.CodeAccessDenied, "AWS authentication requires a valid Date or x-amz-date header")
	}
	if cred.date != amzDate[:8] {
		return nil, malformed("Invalid credential date. Date is not the same as X-Amz-Date.")
	}
	signed, err := parseSignedHeaders(signedStr)
	if err != "" {
		return nil, malformed(err)
	}
	secret, acct, lerr := s.lookupKey(cred.accessKey)
	if lerr != nil {
		return nil, lerr
	}
	if err := s.checkSkew(t); err != nil {
		return nil, err
	}
	payloadHash := r.Header.Get("X-Amz-Content-Sha256")
	if payloadHash == "" {
		return nil, errorf(wire.CodeInvalidRequest, "Missing required header for this request: x-amz-content-sha256")
	}
	if !validPayloadHash(payloadHash) {
		return nil, errorf(wire.CodeInvalidArgument, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.")
	}
	key := deriveSigningKey(secret, cred)
	if err := checkV4(r, q, "", signed, payloadHash, amzDate, cred, key, sig); err != nil {
		return nil, err
	}
	if unsigned := unsignedAmzHeaders(r, signed); len(unsigned) > 0 {
		return nil, errorf(wire.CodeAccessDenied, "There were headers present in the request which were not signed (HeadersNotSigned: %s)", strings.Join(unsigned, ", "))
	}
	return &caller{
		account:       acct,
		payloadHash:   payloadHash,
		signingKey:    key,
		amzDate:       amzDate,
		scope:         cred.scope(),
		seedSignature: strings.ToLower(sig),
	}, nil
}

func (s *Service) authV4Query(r *http.Request, q url.Values) (*caller, error) {
	perr := func(msg string) error { return errorf(wire.CodeAuthorizationQueryParamsError, "%s", msg) }
	for _, p := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"} {
		if q.Get(p) == "" {
			return nil, perr("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
		}
		// A parameter given twice is ambiguous: the signature leaves
		// X-Amz-Signature out, so a second one would ride along unsigned.
		if len(q[p]) > 1 {
			return nil, perr("Query-string authentication version 4 requires each of its parameters once; " + p + " is repeated.")
		}
	}
	if q.Get("X-Amz-Algorithm") != algorithmV4 {
		return nil, perr(`X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"`)
	}
	cred, cerr := parseCredential(q.Get("X-Amz-Credential"))
	if cerr != "" {
		return nil, perr("Error parsing the X-Amz-Credential parameter; " + cerr)
	}
	if !acceptedScopeRegion(cred.region) {
		e := errorf(wire.CodeAuthorizationQueryParamsError, "Error parsing the X-Amz-Credential parameter; the region '%s' is wrong; expecting '%s'", cred.region, wire.DefaultRegion)
		e.region = wire.DefaultRegion
		return nil, e
	}
	amzDate := q.Get("X-Amz-Date")
	t, err := time.Parse(amzDateFormat, amzDate)
	if err != nil {
		return nil, perr(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`)
	}
	if cred.date != amzDate[:8] {
		return nil, perr("Error parsing the X-Amz-Credential parameter; the date does not match X-Amz-Date")
	}
	expires, err := strconv.ParseInt(q.Get("X-Amz-Expires"), 10, 64)
	switch {
	case err != nil:
		return nil, perr("X-Amz-Expires should be a number")
	case expires < 1:
		return nil, perr("X-Amz-Expires must be non-negative")
	case expires > int64(maxPresignExpiry/time.Second):
		// Compared in seconds: in a time.Duration a huge value would wrap.
		return nil, perr("X-Amz-Expires must be less than a week (in seconds) that is 604800")
	}
	signed, serr := parseSignedHeaders(q.Get("X-Amz-SignedHeaders"))
	if serr != "" {
		return nil, perr("Error parsing the X-Amz-SignedHeaders parameter; " + serr)
	}
	secret, acct, lerr := s.lookupKey(cred.accessKey)
	if lerr != nil {
		return nil, lerr
	}
	now := s.now()
	if now.Before(t.Add(-maxClockSkew)) {
		return nil, errorf(wire.CodeAccessDenied, "Request is not valid yet")
	}
	if now.After(t.Add(time.Duration(expires) * time.Second)) {
		return nil, errorf(wire.CodeAccessDenied, "Request has expired")
	}
	payloadHash := r.Header.Get("X-Amz-Content-Sha256")
	if payloadHash == "" {
		payloadHash = unsignedPayload
	}
	if payloadHash != unsignedPayload && !isHexSHA256(payloadHash) {
		return nil, errorf(wire.CodeInvalidArgument, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value for a presigned request.")
	}
	key := deriveSigningKey(secret, cred)
	if err := checkV4(r, q, "X-Amz-Signature", signed, payloadHash, amzDate, cred, key, q.Get("X-Amz-Signature")); err != nil {
		return nil, err
	}
	return &caller{account: acct, payloadHash: payloadHash}, nil
}

// checkV4 rebuilds the canonical request and compares signatures. The
// canonical URI is the spec form (each decoded path segment URI-encoded once,
// as S3 does, without normalisation); the path exactly as sent is tried too,
// for clients that sign what they send without re-encoding it.
func checkV4(r *http.Request, q url.Values, excludeParam string, signed []string, payloadHash, amzDate string,
	cred credential, key []byte, provided string) error {
	query := canonicalQuery(q, excludeParam)
	headers := canonicalHeaders(r, signed)
	var first *sigDetail
	for _, uri := range canonicalURIs(r) {
		creq := strings.Join([]string{r.Method, uri, query, headers, strings.Join(signed, ";"), payloadHash}, "\n")
		sts := algorithmV4 + "\n" + amzDate + "\n" + cred.scope() + "\n" + hexSHA256([]byte(creq))
		want := hex.EncodeToString(hmacSHA256(key, sts))
		if hmac.Equal([]byte(want), []byte(strings.ToLower(provided))) {
			return nil
		}
		if first == nil {
			first = &sigDetail{accessKey: cred.accessKey, stringToSign: sts, provided: provided, canonicalRequest: creq}
		}
	}
	e := errCode(wire.CodeSignatureDoesNotMatch)
	e.sig = first
	return e
}

// v4RequestTime returns the request time in SigV4 format, from x-amz-date or
// else the Date header.
func v4RequestTime(r *http.Request) (string, time.Time, bool) {
	if v := r.Header.Get("X-Amz-Date"); v != "" {
		t, err := time.Parse(amzDateFormat, v)
		return v, t, err == nil
	}
	if v := r.Header.Get("Date"); v != "" {
		if t, err := http.ParseTime(v); err == nil {
			return t.UTC().Format(amzDateFormat), t, true
		}
	}
	return "", time.Time{}, false
}

// scopeRegions are the regions a SigV4 credential scope may name: the
// endpoint's region name, and the provider's region code for it, with which
// the official provider signs and which NCP evidently accepts [I]
// (ncp-api.md §1.2). ncplocal serves the KR region only.
var scopeRegions = []string{wire.DefaultRegion, "KR"}

// acceptedScopeRegion reports whether a credential scope's region is one
// this endpoint answers to; S3 refuses any other.
func acceptedScopeRegion(region string) bool { return slices.Contains(scopeRegions, region) }

// parseCredential parses AK/yyyymmdd/region/s3/aws4_request; the region is
// checked by the caller (acceptedScopeRegion). It returns a description of
// the problem, or "".
func parseCredential(s string) (credential, string) {
	parts := strings.Split(s, "/")
	const want = `expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request"`
	if len(parts) != 5 || parts[0] == "" || parts[2] == "" {
		return credential{}, "the Credential is mal-formed; " + want
	}
	c := credential{accessKey: parts[0], date: parts[1], region: parts[2], service: parts[3]}
	if _, err := time.Parse("20060102", c.date); err != nil || len(c.date) != 8 {
		return credential{}, "the Credential date is invalid; " + want
	}
	if c.service != signingService {
		return credential{}, "incorrect service " + strconv.Quote(c.service) + "; this endpoint expects \"s3\""
	}
	if parts[4] != scopeTerminal {
		return credential{}, "incorrect terminal " + strconv.Quote(parts[4]) + "; this endpoint expects \"aws4_request\""
	}
	return c, ""
}

// unsignedAmzHeaders lists, sorted, the x-amz-* headers of a header-signed
// SigV4 request that SignedHeaders leaves out. S3 refuses such a request
// with AccessDenied ("There were headers present in the request which were
// not signed"), because an unsigned x-amz-acl, x-amz-copy-source, ... could
// be added by anyone on the way. Real clients sign every x-amz-* header they
// send: the aws-sdk-go-v2 signer leaves out only Authorization, User-Agent,
// X-Amzn-Trace-Id, Expect and Transfer-Encoding; botocore only expect,
// user-agent and x-amzn-trace-id; s3cmd signs every header it sets. The
// x-amzn- prefix is not x-amz-, so X-Amzn-Trace-Id stays allowed unsigned.
//
// Presigned (query) requests are not checked: the AWS documentation we could
// confirm requires host in X-Amz-SignedHeaders (parseSignedHeaders enforces
// that) but does not state how S3 treats x-amz-* headers sent unsigned with
// a presigned URL, so ncplocal keeps accepting them there.
func unsignedAmzHeaders(r *http.Request, signed []string) []string {
	var out []string
	for name := range r.Header {
		l := strings.ToLower(name)
		if strings.HasPrefix(l, "x-amz-") && !slices.Contains(signed, l) {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

// parseSignedHeaders checks that the list is lowercase, sorted, free of
// duplicates and includes host.
func parseSignedHeaders(s string) ([]string, string) {
	names := strings.Split(s, ";")
	hasHost := false
	for i, n := range names {
		if n == "" || n != strings.ToLower(n) {
			return nil, "SignedHeaders must be a semicolon-separated list of lowercase header names"
		}
		if i > 0 && names[i-1] >= n {
			return nil, "SignedHeaders must be sorted and free of duplicates"
		}
		if n == "host" {
			hasHost = true
		}
	}
	if !hasHost {
		return nil, "SignedHeaders must include host"
	}
	return names, ""
}

func validPayloadHash(h string) bool {
	switch h {
	case unsignedPayload, streamingSigned, streamingSignedTrailer, streamingUnsignedTrailer:
		return true
	}
	return isHexSHA256(h)
}

func isHexSHA256(h string) bool {
	if len(h) != 64 {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil
}

func deriveSigningKey(secret string, c credential) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), c.date)
	k = hmacSHA256(k, c.region)
	k = hmacSHA256(k, c.service)
	return hmacSHA256(k, scopeTerminal)
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// uriEncode percent-encodes every byte of s except the unreserved characters
// A-Z a-z 0-9 - _ . ~ (and '/' when keepSlash), with upper-case hex, as
// SigV4 requires.
func uriEncode(s string, keepSlash bool) string {
	const hexUpper = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9',
			c == '-', c == '_', c == '.', c == '~', c == '/' && keepSlash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexUpper[c>>4])
			b.WriteByte(hexUpper[c&15])
		}
	}
	return b.String()
}

// wirePath is the request path exactly as sent.
func wirePath(r *http.Request) string {
	if p, _, _ := strings.Cut(r.RequestURI, "?"); strings.HasPrefix(p, "/") {
		return p
	}
	return r.URL.EscapedPath()
}

// canonicalURIs lists the canonical URIs a signature may have been computed
// over; the first is the SigV4 spec form.
func canonicalURIs(r *http.Request) []string {
	spec := "/"
	if r.URL.Path != "" {
		spec = uriEncode(r.URL.Path, true)
	}
	if w := wirePath(r); w != spec {
		return []string{spec, w}
	}
	return []string{spec}
}

// canonicalQuery is the SigV4 canonical query string: each name and value
// URI-encoded, sorted by name then value, exclude left out.
func canonicalQuery(q url.Values, exclude string) string {
	type kv struct{ k, v string }
	var pairs []kv
	for k, vs := range q {
		if k == exclude {
			continue
		}
		for _, v := range vs {
			pairs = append(pairs, kv{uriEncode(k, false), uriEncode(v, false)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.k + "=" + p.v
	}
	return strings.Join(parts, "&")
}

// canonicalHeaders is the SigV4 canonical header block: "name:value\n" for
// each signed header, values trimmed with inner runs of spaces collapsed and
// repeated headers joined by commas.
func canonicalHeaders(r *http.Request, signed []string) string {
	var b strings.Builder
	for _, name := range signed {
		var values []string
		switch name {
		case "host":
			values = []string{r.Host}
		case "transfer-encoding":
			values = []string{strings.Join(r.TransferEncoding, ",")}
		case "content-length":
			values = r.Header.Values(name)
			if len(values) == 0 && r.ContentLength >= 0 {
				values = []string{strconv.FormatInt(r.ContentLength, 10)}
			}
		default:
			values = r.Header.Values(name)
		}
		// Header.Values shares the request's slice: build a new one.
		canon := make([]string, len(values))
		for i, v := range values {
			canon[i] = strings.Join(strings.Fields(v), " ")
		}
		b.WriteString(name + ":" + strings.Join(canon, ",") + "\n")
	}
	return b.String()
}

// v2SubResources are the query parameters that SigV2 includes in the
// canonicalized resource.
var v2SubResources = map[string]bool{
	"acl": true, "cors": true, "delete": true, "lifecycle": true, "location": true, "logging": true,
	"notification": true, "partNumber": true, "policy": true, "requestPayment": true, "restore": true,
	"tagging": true, "torrent": true, "uploadId": true, "uploads": true, "versionId": true,
	"versioning": true, "versions": true, "website": true,
	"response-cache-control": true, "response-content-disposition": true, "response-content-encoding": true,
	"response-content-language": true, "response-content-type": true, "response-expires": true,
}

// authV2 verifies Signature Version 2, in the header ("AWS AK:signature")
// or in the query (AWSAccessKeyId, Expires, Signature).
func (s *Service) authV2(r *http.Request, q url.Values, header string, presigned bool) (*caller, error) {
	var accessKey, sig, dateLine string
	// checkTime runs once the key is known to exist.
	var checkTime func() error
	if presigned {
		for _, p := range []string{"AWSAccessKeyId", "Expires", "Signature"} {
			if len(q[p]) > 1 {
				// Ambiguous, and Signature is not itself signed.
				return nil, errorf(wire.CodeAccessDenied, "Query-string authentication requires each of the Signature, Expires and AWSAccessKeyId parameters once; %s is repeated", p)
			}
		}
		accessKey, sig = q.Get("AWSAccessKeyId"), strings.ReplaceAll(q.Get("Signature"), " ", "+")
		expires := q.Get("Expires")
		if accessKey == "" || sig == "" || expires == "" {
			return nil, errorf(wire.CodeAccessDenied, "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters")
		}
		exp, err := strconv.ParseInt(expires, 10, 64)
		if err != nil {
			return nil, errorf(wire.CodeAccessDenied, "Invalid date (should be seconds since epoch): %s", expires)
		}
		dateLine = expires
		checkTime = func() error {
			if s.now().Unix() > exp {
				return errorf(wire.CodeAccessDenied, "Request has expired")
			}
			return nil
		}
	} else {
		var ok bool
		accessKey, sig, ok = strings.Cut(header, ":")
		if !ok || accessKey == "" || sig == "" {
			return nil, errorf(wire.CodeInvalidArgument, "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature")
		}
		// With x-amz-date, the Date line of the string to sign is empty.
		var t time.Time
		err := strconv.ErrSyntax
		if v := r.Header.Get("X-Amz-Date"); v != "" {
			t, err = parseV2Date(v)
		} else if v := r.Header.Get("Date"); v != "" {
			t, err = parseV2Date(v)
			dateLine = v
		}
		if err != nil {
			return nil, errorf(wire.CodeAccessDenied, "AWS authentication requires a valid Date or x-amz-date header")
		}
		checkTime = func() error { return s.checkSkew(t) }
	}
	secret, acct, err := s.lookupKey(accessKey)
	if err != nil {
		return nil, err
	}
	if err := checkTime(); err != nil {
		return nil, err
	}
	provided, derr := base64.StdEncoding.DecodeString(sig)
	// The canonicalized resource names the bucket of a virtual-hosted
	// request too: "/bucket/key", "/bucket/" for the bucket itself.
	bucketPrefix := ""
	if b, ok := VirtualHostBucket(r.Host, s.env.S3Host); ok {
		bucketPrefix = "/" + b
	}
	var first *sigDetail
	for _, path := range canonicalURIs(r) {
		sts := v2StringToSign(r, q, dateLine, bucketPrefix+path)
		m := hmac.New(sha1.New, []byte(secret))
		m.Write([]byte(sts))
		if derr == nil && hmac.Equal(m.Sum(nil), provided) {
			return &caller{account: acct}, nil
		}
		if first == nil {
			first = &sigDetail{accessKey: accessKey, stringToSign: sts, provided: sig}
		}
	}
	e := errCode(wire.CodeSignatureDoesNotMatch)
	e.sig = first
	return nil, e
}

// v2StringToSign builds the SigV2 string to sign for the canonical path.
func v2StringToSign(r *http.Request, q url.Values, dateLine, path string) string {
	var b strings.Builder
	b.WriteString(r.Method + "\n" + r.Header.Get("Content-MD5") + "\n" + r.Header.Get("Content-Type") + "\n" + dateLine + "\n")
	amz := map[string][]string{}
	for name, vs := range r.Header {
		if l := strings.ToLower(name); strings.HasPrefix(l, "x-amz-") {
			for _, v := range vs {
				amz[l] = append(amz[l], strings.TrimSpace(v))
			}
		}
	}
	names := make([]string, 0, len(amz))
	for n := range amz {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b.WriteString(n + ":" + strings.Join(amz[n], ",") + "\n")
	}
	b.WriteString(path)
	var subs []string
	for k := range q {
		if v2SubResources[k] {
			subs = append(subs, k)
		}
	}
	sort.Strings(subs)
	for i, k := range subs {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(k)
		if v := q.Get(k); v != "" {
			b.WriteString("=" + v)
		}
	}
	return b.String()
}

// parseV2Date reads the Date or x-amz-date header of a SigV2 request: an
// HTTP date (RFC 1123 with "GMT", RFC 850, ANSI C), RFC 1123 with a numeric
// zone as s3cmd sends it ("Wed, 25 Nov 2026 13:15:51 +0000"), or the
// compact ISO 8601 form SigV4 uses.
func parseV2Date(v string) (time.Time, error) {
	if t, err := http.ParseTime(v); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC1123Z, v); err == nil {
		return t, nil
	}
	return time.Parse(amzDateFormat, v)
}
