package globaledge

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	wire "github.com/ncplabs/terraform-provider-ncp/internal/wire/globaledge"
)

var nameRE = regexp.MustCompile(wire.NamePattern)

// nameValidator checks a profile or edge name at plan time (wire.NameRule).
type nameValidator struct{}

var _ validator.String = nameValidator{}

func (nameValidator) Description(context.Context) string { return "must be " + wire.NameRule }

func (v nameValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (nameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if nameRE.MatchString(s) {
		return
	}
	problem := ""
	switch n := len([]rune(s)); {
	case n < wire.NameMinLength || n > wire.NameMaxLength:
		problem = fmt.Sprintf("it is %d characters long", n)
	default:
		for i, r := range []rune(s) {
			if !nameRE.MatchString(strings.Repeat(string(r), wire.NameMinLength)) {
				problem = fmt.Sprintf("it contains %q at position %d", r, i+1)
				break
			}
		}
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid Global Edge name",
		fmt.Sprintf("Attribute %s: %q is not a valid Global Edge name: %s. It must be %s.", req.Path, s, problem, wire.NameRule))
}

// idValidator checks an attribute holding a Global Edge ID.
type idValidator struct{}

var _ validator.String = idValidator{}

func (idValidator) Description(context.Context) string {
	return "must be a Global Edge ID, a positive number"
}

func (v idValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (idValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseID(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Global Edge ID", fmt.Sprintf("Attribute %s: %s.", req.Path, err))
	}
}

// idImport is the import format of a profile or an edge.
func isID(s string) bool { _, err := parseID(s); return err == nil }
