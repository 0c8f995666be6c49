package objectstorage

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzValidateBucketName checks ValidateBucketName against the rules of
// ncp-api.md §6 stated independently: an accepted name is 3 to 63
// lowercase letters, digits, hyphens and periods, starts and ends with a
// letter or digit, has no "..", ".-" or "-." and is not an IPv4 address;
// a refused one gets a *BucketNameError naming it, whose positions count
// characters and lie inside the name.
func FuzzValidateBucketName(f *testing.F) {
	for _, seed := range []string{
		"my-bucket", "tf-acc-upload", "a.b.c", "abc", "ab", strings.Repeat("a", 63), strings.Repeat("a", 64),
		"버킷-abc", strings.Repeat("가", 21), "192.168.5.4", "1.2.3.4.5", "999.1.1.1", "my..bucket", "my.-bucket",
		"-abc", "abc-", "ABC", "a_b", "abc\xff", "\xff\xfe\xfd", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		err := ValidateBucketName(name)
		if err != nil {
			var bne *BucketNameError
			if !errors.As(err, &bne) || bne.Name != name || bne.Rule == "" {
				t.Fatalf("%q: %v", name, err)
			}
			if !utf8.ValidString(bne.Rule) {
				t.Fatalf("%q: the rule %q is not valid UTF-8", name, bne.Rule)
			}
			return
		}
		if len(name) < 3 || len(name) > 63 {
			t.Fatalf("%q accepted with %d characters", name, len(name))
		}
		for i := 0; i < len(name); i++ {
			c := name[i]
			if !strings.ContainsRune("abcdefghijklmnopqrstuvwxyz0123456789-.", rune(c)) {
				t.Fatalf("%q accepted with %q", name, c)
			}
		}
		edge := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
		if !edge(name[0]) || !edge(name[len(name)-1]) {
			t.Fatalf("%q accepted with a bad first or last character", name)
		}
		for _, bad := range []string{"..", ".-", "-."} {
			if strings.Contains(name, bad) {
				t.Fatalf("%q accepted with %q", name, bad)
			}
		}
		if a, err := netip.ParseAddr(name); err == nil && a.Is4() {
			t.Fatalf("%q accepted although it is an IP address", name)
		}
	})
}
