package objectstorage

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/objectstorage"
)

// bucketNameRule is the bucket naming rule in words.
var bucketNameRule = fmt.Sprintf("%d to %d characters of lowercase letters, digits, hyphens and periods, "+
	"starting and ending with a letter or digit, without two adjacent periods or a period next to a hyphen, "+
	"and not formatted as an IP address", wire.MinBucketNameLength, wire.MaxBucketNameLength)

var bucketNameIPRE = regexp.MustCompile(wire.BucketNameIPPattern)

// bucketNameValidator checks bucket_name at plan time against the naming
// rules of internal/wire/objectstorage, which ncplocal enforces too.
type bucketNameValidator struct{}

var _ validator.String = bucketNameValidator{}

// Description implements validator.Describer.
func (bucketNameValidator) Description(context.Context) string {
	return "must be a valid Object Storage bucket name: " + bucketNameRule
}

// MarkdownDescription implements validator.Describer.
func (v bucketNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

// ValidateString implements validator.String. Null and unknown values are
// not checked.
func (bucketNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	name := req.ConfigValue.ValueString()
	if problem := bucketNameProblem(name); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid bucket name",
			fmt.Sprintf("%s %q is not a valid Object Storage bucket name: it %s.", req.Path, name, problem))
	}
}

// bucketNameProblem says which naming rule name breaks first, "" when it
// breaks none. Lengths and positions count characters (runes), not bytes,
// and a character is shown as itself: "버킷-abc" has "버" at position 1.
func bucketNameProblem(name string) string {
	n := utf8.RuneCountInString(name)
	if n < wire.MinBucketNameLength || n > wire.MaxBucketNameLength {
		return fmt.Sprintf("must be between %d and %d characters long (it has %d)", wire.MinBucketNameLength, wire.MaxBucketNameLength, n)
	}
	pos := 0
	for _, r := range name {
		pos++
		if !strings.ContainsRune(wire.BucketNameChars, r) {
			return fmt.Sprintf("may contain only lowercase letters, digits, hyphens (-) and periods (.); %q at position %d is not allowed",
				string(r), pos)
		}
	}
	first, _ := utf8.DecodeRuneInString(name)
	last, _ := utf8.DecodeLastRuneInString(name)
	switch {
	case !strings.ContainsRune(wire.BucketNameEdgeChars, first):
		return "must start with a lowercase letter or a digit"
	case !strings.ContainsRune(wire.BucketNameEdgeChars, last):
		return "must end with a lowercase letter or a digit"
	}
	if i := slices.IndexFunc(wire.BucketNameForbiddenPairs, func(p string) bool { return strings.Contains(name, p) }); i >= 0 {
		if p := wire.BucketNameForbiddenPairs[i]; p == ".." {
			return "must not contain two adjacent periods (..)"
		}
		return "must not contain a period next to a hyphen (.- or -.)"
	}
	if bucketNameIPRE.MatchString(name) {
		return "must not be formatted as an IP address (for example 192.168.5.4)"
	}
	return ""
}
