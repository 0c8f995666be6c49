package objectstorage

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Bucket name length bounds (§6).
const (
	MinBucketNameLength = 3
	MaxBucketNameLength = 63
)

// BucketNameError explains why a bucket name breaks the naming rules.
type BucketNameError struct {
	Name string
	// Rule is the rule the name breaks, as a sentence.
	Rule string
}

// Error implements error.
func (e *BucketNameError) Error() string {
	return fmt.Sprintf("invalid bucket name %q: %s", e.Name, e.Rule)
}

// ValidateBucketName checks name against the NCP bucket naming rules (§6):
// 3 to 63 characters; only lowercase letters, digits, hyphens and periods;
// starting and ending with a letter or digit; no two adjacent periods and no
// period next to a hyphen; not shaped like an IP address. The error is a
// *BucketNameError naming the first rule broken.
func ValidateBucketName(name string) error {
	fail := func(rule string) error { return &BucketNameError{Name: name, Rule: rule} }
	// Lengths and positions count characters, not bytes, and a character
	// is shown as itself: "버킷-abc" has "버" at position 1 (issue 10 item 9).
	if n := utf8.RuneCountInString(name); n < MinBucketNameLength || n > MaxBucketNameLength {
		return fail(fmt.Sprintf("must be between %d and %d characters long (it has %d)",
			MinBucketNameLength, MaxBucketNameLength, n))
	}
	pos := 0
	for _, r := range name {
		pos++
		if r >= utf8.RuneSelf || !isLowerAlnum(byte(r)) && r != '-' && r != '.' {
			return fail(fmt.Sprintf("may contain only lowercase letters, digits, hyphens (-) and periods (.); %q at position %d is not allowed",
				string(r), pos))
		}
	}
	if !isLowerAlnum(name[0]) {
		return fail("must start with a lowercase letter or a digit")
	}
	if !isLowerAlnum(name[len(name)-1]) {
		return fail("must end with a lowercase letter or a digit")
	}
	if strings.Contains(name, "..") {
		return fail("must not contain two adjacent periods (..)")
	}
	if strings.Contains(name, ".-") || strings.Contains(name, "-.") {
		return fail("must not contain a period next to a hyphen (.- or -.)")
	}
	if isIPShaped(name) {
		return fail("must not be formatted as an IP address (for example 192.168.5.4)")
	}
	return nil
}

func isLowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// isIPShaped reports whether name is four period-separated groups of one to
// three digits.
func isIPShaped(name string) bool {
	parts := strings.Split(name, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if len(p) < 1 || len(p) > 3 {
			return false
		}
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return false
			}
		}
	}
	return true
}
