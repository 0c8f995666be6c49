package apigw

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseTimestamp: the x-ncp-apigw-timestamp header is read exactly as
// Timestamp writes it. Anything accepted formats back to the same text (the
// value is signed as sent, so no other spelling may mean the same instant),
// and Timestamp's output is always accepted.
func FuzzParseTimestamp(f *testing.F) {
	for _, seed := range []string{
		"1700000000000", "0", "", "01700000000000", "+1700000000000", "-1", " 1700000000000", "1700000000000 ",
		"1.7e12", "999999999999999", "1000000000000000", "9223372036854775807", "1700000000000\n", "１７",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := ParseTimestamp(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("%q: empty error", s)
			}
			return
		}
		if got := Timestamp(ts); got != s {
			t.Fatalf("%q accepted as %v, which is written %q", s, ts, got)
		}
		if len(s) > MaxTimestampDigits {
			t.Fatalf("%q accepted with more than %d digits", s, MaxTimestampDigits)
		}
	})
}

// FuzzSign: the string to sign of the documented scheme (ncp-api.md §1.1)
// is "METHOD URI\nTIMESTAMP\nACCESSKEY", and the signature depends on each
// part: changing the request target changes it.
func FuzzSign(f *testing.F) {
	f.Add("GET", "/vpc/v2/getVpcList?regionCode=KR", "1700000000000", "ncplocal-access-key", "ncplocal-secret-key")
	f.Add("POST", "/api/v2/channels", Timestamp(time.Unix(0, 0)), "", "")
	f.Fuzz(func(t *testing.T, method, uri, ts, ak, sk string) {
		sts := StringToSign(method, uri, ts, ak)
		if !strings.HasPrefix(sts, method+" "+uri+"\n") || !strings.HasSuffix(sts, "\n"+ts+"\n"+ak) {
			t.Fatalf("string to sign %q", sts)
		}
		sig := Sign(method, uri, ts, ak, sk)
		if len(sig) != 44 {
			t.Fatalf("signature %q is not Base64 of 32 bytes", sig)
		}
		if Sign(method, uri+"x", ts, ak, sk) == sig {
			t.Fatalf("the signature does not depend on the request target")
		}
	})
}
