package framework

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// namePattern is the shape of NCP object names (VPC, subnet, network ACL,
// ...; ncp-api.md §5.3): letters, digits and hyphens, starting with a letter
// and ending with a letter or digit.
var namePattern = regexp.MustCompile(`^[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?$`)

// NameValidator returns a validator for NCP object names of minLen to maxLen
// characters: letters, digits and hyphens, starting with a letter and ending
// with a letter or digit. Null and unknown values are not checked.
func NameValidator(minLen, maxLen int) validator.String {
	return nameValidator{minLen: minLen, maxLen: maxLen}
}

type nameValidator struct{ minLen, maxLen int }

func (v nameValidator) Description(context.Context) string {
	return fmt.Sprintf("must be %d to %d characters of letters, digits and hyphens, start with a letter and end with a letter or digit", v.minLen, v.maxLen)
}

func (v nameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v nameValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if n := len(s); n < v.minLen || n > v.maxLen || !namePattern.MatchString(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid NCP name",
			fmt.Sprintf("%s %q is not a valid name: it %s.", req.Path, s, v.Description(ctx)))
	}
}
