package objectstorage

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/ncplabs/terraform-provider-ncp/internal/ncplocal/emu"
	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// Fuzz targets of Object Storage's request authentication: the input is
// what any client on the network may send. Each target checks, besides
// "no panic", that a refusal is an S3 error with a 4xx status and that
// nothing is accepted that S3 would refuse.

// fuzzNow is the fixed service clock of the fuzz targets.
var fuzzNow = time.Date(2026, 11, 25, 13, 15, 51, 0, time.UTC)

// fuzzService returns a service on the fixed clock with alice and bob.
func fuzzService() *Service {
	return New(emu.Env{Now: func() time.Time { return fuzzNow }, LookupKey: lookupKey})
}

// wantRefusal fails unless err is an S3 error answered with a 4xx status.
func wantRefusal(t *testing.T, what string, err error) {
	t.Helper()
	var se *s3Error
	if !errors.As(err, &se) {
		t.Fatalf("%s: refused with %T %v, want an S3 error", what, err, err)
	}
	if st := wire.HTTPStatus(se.code); st < 400 || st > 499 {
		t.Fatalf("%s: refused with %s (HTTP %d), want a 4xx client error: %v", what, se.code, st, err)
	}
}

// authFields splits a SigV4 Authorization header's parameters as a reader
// of the spec would: comma-separated name=value pairs, spaces around them
// ignored.
func authFields(params string) map[string]string {
	out := map[string]string{}
	for _, f := range strings.Split(params, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
		out[k] = v
	}
	return out
}

// FuzzSigV4Header starts from a request signed by the AWS SDK and replaces
// its Authorization, X-Amz-Date and X-Amz-Content-Sha256 headers with the
// fuzzer's. Whatever they hold, the request is refused with a 4xx S3
// error, unless it is the signed request itself: accepted means the same
// credential, signed headers, signature (hex in any case) and date.
func FuzzSigV4Header(f *testing.F) {
	svc := fuzzService()
	creds := aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}
	base := func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/bucket/dir/key%20one.txt?prefix=a&list-type=2", nil)
		r.Host = "127.0.0.1:4510"
		r.Header.Set("X-Amz-Content-Sha256", emptySHA256)
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, emptySHA256, "s3", wire.DefaultRegion, fuzzNow); err != nil {
			f.Fatal(err)
		}
		return r
	}
	signed := base()
	authz, date := signed.Header.Get("Authorization"), signed.Header.Get("X-Amz-Date")
	want := authFields(strings.TrimPrefix(authz, algorithmV4+" "))
	f.Add(authz, date, emptySHA256)
	f.Add(strings.ToUpper(authz[:len(algorithmV4)])+authz[len(algorithmV4):], date, emptySHA256)
	f.Add(strings.ReplaceAll(authz, ",", ", "), date, emptySHA256)
	f.Add(authz, "20261125T131551Z", unsignedPayload)
	f.Add(authz, "", emptySHA256)
	f.Add(authz, "2026", emptySHA256)
	f.Add(authz, "20261125T31551Z", emptySHA256)
	f.Add(authz, "20261125T131551.999Z", emptySHA256)
	f.Add(strings.Replace(authz, "kr-standard", "KR", 1), date, emptySHA256)
	f.Add(strings.Replace(authz, "kr-standard", "us-east-1", 1), date, emptySHA256)
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDALICE0000000001/20261125/kr-standard/s3/aws4_request", date, emptySHA256)
	f.Add("AWS4-HMAC-SHA256 Credential=/,SignedHeaders=,Signature=", date, emptySHA256)
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f,SignedHeaders=Host,Signature=00", date, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
	f.Add("AWS4-HMAC-SHA256 ,,,=,", date, "")
	f.Add("AWS AKIDALICE0000000001:", date, emptySHA256)
	f.Add("Bearer x", date, emptySHA256)
	f.Fuzz(func(t *testing.T, authz, date, sha string) {
		r := base()
		r.Header.Set("Authorization", authz)
		r.Header.Set("X-Amz-Date", date)
		r.Header.Set("X-Amz-Content-Sha256", sha)
		c, err := svc.authenticate(r, r.URL.Query())
		if err != nil {
			wantRefusal(t, "SigV4 header", err)
			return
		}
		if c.anonymous {
			if authz != "" {
				t.Fatalf("Authorization %q was taken as anonymous", authz)
			}
			return
		}
		got := authFields(strings.TrimPrefix(authz, algorithmV4+" "))
		if got["Credential"] != want["Credential"] || got["SignedHeaders"] != want["SignedHeaders"] ||
			!strings.EqualFold(got["Signature"], want["Signature"]) || date != signed.Header.Get("X-Amz-Date") || sha != emptySHA256 {
			t.Fatalf("accepted a request the client did not sign: Authorization %q, X-Amz-Date %q, X-Amz-Content-Sha256 %q", authz, date, sha)
		}
		if c.account.ID != aliceID {
			t.Fatalf("accepted as %+v", c.account)
		}
	})
}

// FuzzSigV4Presigned signs presigned URLs with the AWS SDK's presigner, at
// a fuzzed time before or after the service clock and with a fuzzed
// X-Amz-Expires, and checks the decision against S3's rules: accepted
// exactly when X-Amz-Expires is a whole number of seconds from 1 to 604800
// (a week) and the service clock lies between 15 minutes before the
// signing time and its expiry. Then, with the fuzzed raw query appended,
// the URL is accepted only if the query still means the same.
func FuzzSigV4Presigned(f *testing.F) {
	svc := fuzzService()
	creds := aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}
	for _, seed := range []struct {
		expires string
		age     int64
		extra   string
	}{
		{"60", 0, ""}, {"60", 61, ""}, {"604800", 604800, ""}, {"604801", 0, ""}, {"0", 0, ""}, {"-1", 0, ""},
		{"+60", 0, ""}, {"060", 30, ""}, {"1e3", 0, ""}, {"", 0, ""}, {" 60", 0, ""},
		{"60", -900, ""}, {"60", -901, ""},
		// X-Amz-Expires whose seconds overflow a time.Duration.
		{"9223372036854775807", 0, ""}, {"9223372037", 0, ""}, {"18446744074", 0, ""}, {"18446744073709", 100, ""},
		{"60", 0, "X-Amz-Expires=61"}, {"60", 0, "x-id=GetObject"}, {"60", 0, "X-Amz-Signature=00"},
		{"60", 0, "AWSAccessKeyId=x"}, {"60", 0, "%zz"}, {"60", 0, "X-Amz-Credential=AKIDBOB000000000002%2F20261125%2Fkr-standard%2Fs3%2Faws4_request"},
	} {
		f.Add(seed.expires, seed.age, seed.extra)
	}
	f.Fuzz(func(t *testing.T, expires string, age int64, extra string) {
		if age > 1<<32 || age < -(1<<32) {
			return // outside what a time.Time holds comfortably
		}
		signedAt := fuzzNow.Add(-time.Duration(age) * time.Second)
		u := "http://127.0.0.1:4510/bucket/key.txt?X-Amz-Expires=" + url.QueryEscape(expires)
		r := httptest.NewRequest(http.MethodGet, u, nil)
		r.Host = "127.0.0.1:4510"
		signedURL, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, unsignedPayload, "s3", wire.DefaultRegion, signedAt)
		if err != nil {
			t.Skip("the SDK does not sign this URL")
		}
		pr := httptest.NewRequest(http.MethodGet, signedURL, nil)
		pr.Host = r.Host
		q, qerr := url.ParseQuery(pr.URL.RawQuery)
		if qerr != nil {
			t.Skip("the SDK produced a query the server cannot parse")
		}
		c, err := svc.authenticate(pr, q)
		n, perr := strconv.ParseInt(expires, 10, 64)
		valid := perr == nil && n >= 1 && n <= 604800 && q.Get("X-Amz-Expires") == expires &&
			!fuzzNow.Before(signedAt.Add(-maxClockSkew)) && !fuzzNow.After(signedAt.Add(time.Duration(n)*time.Second))
		switch {
		case err != nil && valid:
			t.Fatalf("X-Amz-Expires %q signed %ds ago: refused %v, want accepted", expires, age, err)
		case err != nil:
			wantRefusal(t, "presigned URL", err)
		case !valid:
			t.Fatalf("X-Amz-Expires %q signed %ds ago: accepted, want refused", expires, age)
		case c.account.ID != aliceID:
			t.Fatalf("accepted as %+v", c.account)
		}
		if extra == "" || err != nil {
			return
		}
		// The same URL with more query: accepted only if the parameters
		// the server reads are the ones signed.
		tampered := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:4510/", nil)
		tampered.URL.Path, tampered.URL.RawQuery = pr.URL.Path, pr.URL.RawQuery+"&"+extra
		tampered.RequestURI = tampered.URL.RequestURI()
		tampered.Host = r.Host
		tq, qerr := url.ParseQuery(tampered.URL.RawQuery)
		if qerr != nil {
			return // the service refuses a malformed query before authenticating
		}
		if reflect.DeepEqual(tq, q) {
			return // "&" or an empty pair: the same parameters
		}
		if _, err := svc.authenticate(tampered, tq); err == nil {
			t.Fatalf("a presigned URL with %q appended was accepted", extra)
		} else {
			wantRefusal(t, "tampered presigned URL", err)
		}
	})
}

// FuzzSigV2 signs SigV2 requests the way s3cmd and the aws CLI v1 do (in
// the Authorization header with a Date or x-amz-date header, or in the
// query with Expires), with fuzzed date and expiry values, and checks the
// decision: the header form is accepted only with a date within 15 minutes
// of the service clock, the query form only until its Expires second, and
// any other Authorization value is a 4xx refusal.
func FuzzSigV2(f *testing.F) {
	svc := fuzzService()
	for _, seed := range []struct {
		date, expires, authz string
	}{
		{fuzzNow.Format(http.TimeFormat), "", ""},
		{fuzzNow.Format(time.RFC1123Z), "", ""},
		{fuzzNow.Format(amzDateFormat), "", ""},
		{fuzzNow.Add(16 * time.Minute).Format(http.TimeFormat), "", ""},
		{"Wed, 25 Nov 2026 13:15:51 +0900", "", ""},
		{"garbage", "", ""},
		{"", strconv.FormatInt(fuzzNow.Unix()+60, 10), ""},
		{"", strconv.FormatInt(fuzzNow.Unix()-1, 10), ""},
		{"", "9223372036854775807", ""},
		{"", "-9223372036854775808", ""},
		{"", "x", ""},
		{fuzzNow.Format(http.TimeFormat), "", "AWS " + aliceKey},
		{fuzzNow.Format(http.TimeFormat), "", "AWS :sig"},
		{fuzzNow.Format(http.TimeFormat), "", "AWS " + aliceKey + ":not base64!"},
		{fuzzNow.Format(http.TimeFormat), "", "AWS AKIDUNKNOWN:c2ln"},
	} {
		f.Add(seed.date, seed.expires, seed.authz)
	}
	f.Fuzz(func(t *testing.T, date, expires, authz string) {
		const resource = "/bucket/some%20key"
		r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:4510"+resource, nil)
		var valid bool
		if expires != "" {
			sig := signV2(r, resource, expires)
			r.URL.RawQuery = "AWSAccessKeyId=" + aliceKey + "&Expires=" + url.QueryEscape(expires) + "&Signature=" + url.QueryEscape(sig)
			r.RequestURI = r.URL.RequestURI()
			exp, err := strconv.ParseInt(expires, 10, 64)
			valid = err == nil && fuzzNow.Unix() <= exp
		} else {
			r.Header.Set("Date", date)
			if authz == "" {
				authz = "AWS " + aliceKey + ":" + signV2(r, resource, date)
				t1, err := parseV2Date(date)
				valid = err == nil && t1.Sub(fuzzNow).Abs() <= maxClockSkew
			}
			r.Header.Set("Authorization", authz)
		}
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return
		}
		c, err := svc.authenticate(r, q)
		switch {
		case err != nil && valid:
			t.Fatalf("date %q expires %q: refused %v, want accepted", date, expires, err)
		case err != nil:
			wantRefusal(t, "SigV2", err)
		case !valid:
			t.Fatalf("date %q expires %q authorization %q: accepted, want refused", date, expires, authz)
		case c.account.ID != aliceID:
			t.Fatalf("accepted as %+v", c.account)
		}
	})
}

// TestPresignedAuthParametersOnce: a presigned URL that repeats one of its
// authentication parameters is refused, SigV2 and SigV4 alike; the first
// value would be read and the second ride along unchecked (found by
// FuzzSigV4Presigned).
func TestPresignedAuthParametersOnce(t *testing.T) {
	t.Parallel()
	svc := fuzzService()
	const resource = "/bucket/key"
	expires := strconv.FormatInt(fuzzNow.Unix()+60, 10)
	r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:4510"+resource, nil)
	sig := url.QueryEscape(signV2(r, resource, expires))
	good := "AWSAccessKeyId=" + aliceKey + "&Expires=" + expires + "&Signature=" + sig
	for _, tc := range []struct {
		query string
		ok    bool
	}{
		{good, true},
		{good + "&Signature=AAAA", false},
		{good + "&Expires=99999999999", false},
		{good + "&AWSAccessKeyId=" + bobKey, false},
	} {
		r.URL.RawQuery = tc.query
		q, _ := url.ParseQuery(tc.query)
		_, err := svc.authenticate(r, q)
		if tc.ok != (err == nil) {
			t.Errorf("SigV2 %s: %v, want accepted %v", tc.query, err, tc.ok)
		}
		if err != nil {
			wantRefusal(t, tc.query, err)
		}
	}

	creds := aws.Credentials{AccessKeyID: aliceKey, SecretAccessKey: aliceSecret}
	pr := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:4510/bucket/key?X-Amz-Expires=60", nil)
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, pr, unsignedPayload, "s3", wire.DefaultRegion, fuzzNow)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(signed)
	for _, extra := range []string{"", "&X-Amz-Signature=00", "&X-Amz-Expires=60"} {
		r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:4510/bucket/key?"+u.RawQuery+extra, nil)
		q, _ := url.ParseQuery(r.URL.RawQuery)
		_, err := svc.authenticate(r, q)
		if (extra == "") != (err == nil) {
			t.Errorf("SigV4 presigned + %q: %v", extra, err)
		}
	}
}
